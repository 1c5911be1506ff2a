/*
 * mrt_follow.c — MRT as it is written (see mrt.h, mrs_mrt_follow): a file that
 * grows (a BGP daemon dumping its updates), read record by record as they are
 * appended, or a directory that receives whole files (manrs bmpd's rotation, a
 * mirror of a collector's archive), each read once when it appears.
 */
#define _GNU_SOURCE
#include "manrs/feeds/mrt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manrs/core/grow.h"
#include "manrs/core/hashset.h"
#include "manrs/core/map64.h"

#define MAX_RECORD (1u << 24)   /* a length above 16 MiB: the file is not MRT (or damaged) */

struct mrs_mrt_follow {
    char *path;
    bool dir;
    mrs_diag *diag;
    /* a file */
    int fd;
    ino_t ino;
    uint64_t offset;            /* file offset of buf[0] */
    uint8_t *buf;
    size_t len, cap;
    /* a directory: the names seen */
    mrs_set64 seen;
};

static int open_tail(mrs_mrt_follow *f, bool at_end)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
    f->len = 0;
    if (f->fd < 0)
        return -1;
    struct stat st;
    if (fstat(f->fd, &st) < 0)
        return -1;
    f->ino = st.st_ino;
    f->offset = at_end ? (uint64_t)st.st_size : 0;
    if (lseek(f->fd, (off_t)f->offset, SEEK_SET) < 0)
        return -1;
    return 0;
}

mrs_mrt_follow *mrs_mrt_follow_new(const char *path, mrs_diag *diag, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    mrs_mrt_follow *f = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(path))) {
        free(f);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    f->diag = diag;
    f->fd = -1;
    f->dir = S_ISDIR(st.st_mode);
    mrs_set64_init(&f->seen);
    if (f->dir) {
        /* what is there already is history: only files that appear from now on */
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)))
            mrs_set64_add(&f->seen, mrs_map64_key_bytes(e->d_name, strlen(e->d_name), 0));
        if (d)
            closedir(d);
    } else if (open_tail(f, true) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        mrs_mrt_follow_free(f);
        return NULL;
    }
    return f;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static long poll_dir(mrs_mrt_follow *f, mrt_decoder *d, mrt_event_fn fn, void *user)
{
    DIR *dp = opendir(f->path);
    if (!dp)
        return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t l = strlen(e->d_name);
        /* temporary names: manrs bmpd's NAME.part, rsync's .NAME.XXXXXX */
        if (e->d_name[0] == '.' || (l > 5 && !strcmp(e->d_name + l - 5, ".part")))
            continue;
        if (mrs_set64_has(&f->seen, mrs_map64_key_bytes(e->d_name, l, 0)))
            continue;
        char **nn = mrs_grow(names, &cap, n + 1, sizeof *nn, 16);
        if (!nn || !(nn[n] = strdup(e->d_name)))
            break;
        names = nn;
        n++;
    }
    closedir(dp);
    if (n)
        qsort(names, n, sizeof *names, name_cmp);   /* rotated names sort by time */
    long records = 0;
    for (size_t i = 0; i < n; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", f->path, names[i]);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            mrt_scan_result res;
            mrt_scan_file(p, d, f->diag, false, fn, user, &res);
            records += (long)res.records;
        }
        mrs_set64_add(&f->seen, mrs_map64_key_bytes(names[i], strlen(names[i]), 0));
        free(names[i]);
    }
    free(names);
    return records;
}

static long poll_file(mrs_mrt_follow *f, mrt_decoder *d, mrt_event_fn fn, void *user)
{
    struct stat st;
    if (stat(f->path, &st) == 0 && (st.st_ino != f->ino || (uint64_t)st.st_size < f->offset + f->len)) {
        /* rotated or truncated: a new file, read from its start */
        if (open_tail(f, false) < 0)
            return 0;
        mrt_decoder_begin_file(d, f->path);
    }
    if (f->fd < 0)
        return 0;
    long records = 0;
    for (;;) {
        if (f->cap - f->len < 65536) {
            uint8_t *nb = mrs_grow(f->buf, &f->cap, f->len + 65536, 1, 1 << 17);
            if (!nb)
                return records;
            f->buf = nb;
        }
        ssize_t r = read(f->fd, f->buf + f->len, f->cap - f->len);
        if (r <= 0)
            break;
        f->len += (size_t)r;
        /* the complete records at the front (RFC 6396 §2: 12-byte header, length) */
        size_t whole = 0;
        while (f->len - whole >= 12) {
            const uint8_t *h = f->buf + whole;
            uint32_t l = (uint32_t)h[8] << 24 | (uint32_t)h[9] << 16 | (uint32_t)h[10] << 8 | h[11];
            if (l > MAX_RECORD) {
                mrs_diag_error_at(f->diag, f->path, f->offset + whole,
                                  "record length %u: not MRT; following from the end of the file", l);
                f->offset += f->len;
                f->len = 0;
                whole = 0;
                lseek(f->fd, 0, SEEK_END);
                break;
            }
            if (f->len - whole - 12 < l)
                break;
            whole += 12u + l;
        }
        if (!whole)
            continue;
        mrt_reader *rd = mrt_reader_open_mem(f->buf, whole, f->path, f->diag);
        mrt_record rec;
        while (rd && mrt_read(rd, &rec) == 1) {
            rec.offset += f->offset;    /* offsets in the file, for the evidence */
            mrt_decode(d, &rec, fn, user);
            records++;
        }
        mrt_reader_close(rd);
        memmove(f->buf, f->buf + whole, f->len - whole);
        f->len -= whole;
        f->offset += whole;
    }
    return records;
}

long mrs_mrt_follow_poll(mrs_mrt_follow *f, mrt_decoder *d, mrt_event_fn fn, void *user)
{
    return f->dir ? poll_dir(f, d, fn, user) : poll_file(f, d, fn, user);
}

void mrs_mrt_follow_free(mrs_mrt_follow *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    mrs_set64_clear(&f->seen);
    free(f->buf);
    free(f->path);
    free(f);
}
