/*
 * topo_files.c — the file entry points of the topo modules: open the file with
 * mrs_reader (plain or gzip/bzip2/xz/zstd, detected from the content), feed its lines
 * to the module's line-source loader, and report damaged input as
 * `FILE: offset N: what`. Kept apart from the parsers so that code using only the
 * in-memory loaders does not pull in the I/O layer.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/as2org.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/beacon.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/delegated.h"
#include "manrs/core/grow.h"
#include "manrs/core/io.h"
#include "topo_internal.h"

/* Line splitting over mrs_read, done here rather than with mrs_getline so that two
 * hostile cases are handled exactly:
 *  - a damaged compressed stream: the fragment after the last '\n' before the
 *    damage is an incomplete line; parsing it could yield a valid but wrong record
 *    ("128.0.0.0/16" cut to "128.0.0.0/1"), so it is reported and dropped. A final
 *    line without '\n' in an undamaged file is a normal line.
 *  - a line longer than MAX_LINE: reported and replaced by an empty line (which
 *    every parser ignores), so memory stays bounded and line numbers stay right. */
#define MAX_LINE (1u << 20)
#define CHUNK (64u * 1024u)

typedef struct reader_src {
    mrs_reader *r;
    mrs_diag *d;
    const char *name;
    char *buf;
    size_t len, pos, cap;
    uint64_t lineno;        /* lines handed out so far */
    bool eof, skipping;     /* skipping: inside an overlong line */
} reader_src;

static int reader_fill(reader_src *rs)
{
    if (rs->pos > 0) {   /* compact */
        memmove(rs->buf, rs->buf + rs->pos, rs->len - rs->pos);
        rs->len -= rs->pos;
        rs->pos = 0;
    }
    char *nb = mrs_grow(rs->buf, &rs->cap, rs->len + CHUNK, 1, 2 * CHUNK);
    if (!nb)
        return -1;
    rs->buf = nb;
    size_t got = mrs_read(rs->r, rs->buf + rs->len, CHUNK);
    rs->len += got;
    if (got < CHUNK)
        rs->eof = true;   /* end of stream, or damage (mrs_reader_error tells) */
    return 0;
}

static int reader_next(void *ctx, const char **line, size_t *len)
{
    reader_src *rs = ctx;
    for (;;) {
        char *p = rs->buf ? rs->buf + rs->pos : NULL;   /* NULL before the first fill */
        size_t avail = rs->len - rs->pos;
        char *nl = avail ? memchr(p, '\n', avail) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - p);
            rs->pos += n + 1;
            rs->lineno++;
            if (rs->skipping) {
                rs->skipping = false;
                *line = "";
                *len = 0;
                return 1;
            }
            if (n && p[n - 1] == '\r')
                n--;
            *line = p;
            *len = n;
            return 1;
        }
        if (avail >= MAX_LINE || (rs->skipping && avail)) {
            if (!rs->skipping)
                mrs_diag_error_line(rs->d, rs->name, rs->lineno + 1, "line longer than %u bytes, skipped", MAX_LINE);
            rs->skipping = true;
            rs->pos = rs->len;   /* drop what we have of it */
            continue;
        }
        if (rs->eof) {
            if (avail == 0 && !rs->skipping)
                return mrs_reader_error(rs->r) ? -1 : 0;
            rs->pos = rs->len;
            rs->lineno++;
            if (mrs_reader_error(rs->r)) {
                mrs_diag_error_line(rs->d, rs->name, rs->lineno, "line cut short by the damaged input, skipped");
                return -1;
            }
            *line = rs->skipping || !p ? "" : p;
            *len = rs->skipping ? 0 : avail;
            if (!rs->skipping && avail && p[avail - 1] == '\r')
                (*len)--;
            rs->skipping = false;
            return 1;
        }
        if (reader_fill(rs) != 0) {
            mrs_diag_error_file(rs->d, rs->name, "out of memory");
            return -1;
        }
    }
}

typedef int (*src_loader)(void *obj, mrs_linesrc *src, const char *name, mrs_diag *d, int arg);

/* Feed an open reader to a module loader; damage is reported with the offset. */
static int load_reader(mrs_reader *r, mrs_diag *d, src_loader fn, void *obj, int arg)
{
    const char *name = mrs_reader_name(r);
    reader_src rs;
    memset(&rs, 0, sizeof rs);
    rs.r = r;
    rs.d = d;
    rs.name = name;
    mrs_linesrc src = {reader_next, &rs};
    int rc = fn(obj, &src, name, d, arg);
    if (mrs_reader_error(r)) {
        mrs_diag_error_at(d, name, mrs_reader_offset(r), "%s (data before it was loaded)", mrs_reader_errmsg(r));
        rc = -1;
    }
    free(rs.buf);
    return rc;
}

/* A file is judged from its first bytes before anything is loaded: binary data
 * (/dev/zero, random bytes, an MRT dump) is rejected at once as not `what`, and
 * a NUL byte later ends the input (mrs_reader_expect_text). */
static int load_file(const char *path, const char *what, mrs_diag *d, src_loader fn, void *obj, int arg)
{
    char err[512];
    mrs_reader *r = mrs_reader_open_why(path, err, sizeof err);
    if (!r) {
        mrs_diag_error_file(d, path, "%s", err);
        return -1;
    }
    if (mrs_reader_expect_text(r, what, NULL, d) != 0) {
        mrs_reader_close(r);
        return -1;
    }
    int rc = load_reader(r, d, fn, obj, arg);
    mrs_reader_close(r);
    return rc;
}

static int bogon_fn(void *obj, mrs_linesrc *src, const char *name, mrs_diag *d, int drop)
{
    return mrs_bogon_load_src_(obj, src, name, d, drop != 0);
}

static int deleg_fn(void *obj, mrs_linesrc *src, const char *name, mrs_diag *d, int arg)
{
    (void)arg;
    return mrs_deleg_load_src_(obj, src, name, d);
}

static int asrel_fn(void *obj, mrs_linesrc *src, const char *name, mrs_diag *d, int arg)
{
    (void)arg;
    return mrs_asrel_load_src_(obj, src, name, d);
}

static int cone_fn(void *obj, mrs_linesrc *src, const char *name, mrs_diag *d, int arg)
{
    (void)arg;
    return mrs_cone_load_src_(obj, src, name, d);
}

static int as2org_fn(void *obj, mrs_linesrc *src, const char *name, mrs_diag *d, int arg)
{
    (void)arg;
    return mrs_as2org_load_src_(obj, src, name, d);
}

static int beacon_fn(void *obj, mrs_linesrc *src, const char *name, mrs_diag *d, int arg)
{
    (void)arg;
    return mrs_beacon_load_src_(obj, src, name, d);
}

int mrs_bogon_load_list(mrs_bogon_set *s, const char *path, mrs_diag *d) { return load_file(path, "a prefix list", d, bogon_fn, s, 0); }
int mrs_bogon_load_drop(mrs_bogon_set *s, const char *path, mrs_diag *d) { return load_file(path, "a DROP list", d, bogon_fn, s, 1); }
int mrs_deleg_load(mrs_deleg_db *db, const char *path, mrs_diag *d) { return load_file(path, "RIR delegated statistics", d, deleg_fn, db, 0); }
int mrs_asrel_load(mrs_asrel *r, const char *path, mrs_diag *d) { return load_file(path, "an AS relationships file", d, asrel_fn, r, 0); }
int mrs_cone_load(mrs_cone_set *c, const char *path, mrs_diag *d) { return load_file(path, "a customer cone file", d, cone_fn, c, 0); }
int mrs_as2org_load(mrs_as2org *o, const char *path, mrs_diag *d) { return load_file(path, "an AS-to-Organization file", d, as2org_fn, o, 0); }

int mrs_beacon_load(mrs_beacon_set *s, const char *path, mrs_diag *d) { return load_file(path, "a beacon list", d, beacon_fn, s, 0); }

int mrs_bogon_load_list_reader(mrs_bogon_set *s, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, bogon_fn, s, 0); }
int mrs_bogon_load_drop_reader(mrs_bogon_set *s, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, bogon_fn, s, 1); }
int mrs_deleg_load_reader(mrs_deleg_db *db, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, deleg_fn, db, 0); }
int mrs_asrel_load_reader(mrs_asrel *rel, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, asrel_fn, rel, 0); }
int mrs_cone_load_reader(mrs_cone_set *c, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, cone_fn, c, 0); }
int mrs_as2org_load_reader(mrs_as2org *o, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, as2org_fn, o, 0); }
int mrs_beacon_load_reader(mrs_beacon_set *s, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, beacon_fn, s, 0); }
