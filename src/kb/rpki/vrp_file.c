/*
 * vrp_file.c — mrs_rpki_load_file: a (possibly compressed) VRP export through
 * mrs_reader. Kept apart from vrp.c so that in-memory users (tests, fuzzers) do
 * not need the I/O layer.
 *
 * The format is decided from the first bytes (rpki_sniff), before anything is
 * read into memory: binary data (/dev/zero, random bytes, an MRT dump) and text
 * that is neither JSON nor a CSV header are rejected at once. JSON is one
 * document (read whole, then parsed); CSV is streamed line by line, so memory is
 * the VRP set's, not the file's. In text mode the reader stops at a NUL byte, so
 * a good start followed by binary data ends there too.
 */
#include "manrs/core/grow.h"
#include "manrs/core/io.h"
#include "manrs/kb/rpki.h"
#include "rpki_impl.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK (64u * 1024u)

static const char *const WHAT = "a VRP export";

static int load_json_file(mrs_rpki *r, mrs_reader *rd, const char *path, mrs_diag *d, mrs_rpki_load_stats *stats)
{
    /* Plain files are read into a buffer of their size at once. */
    size_t cap = 1 << 20, len = 0;
    uint64_t raw = mrs_reader_raw_size(rd);
    if (mrs_reader_compression(rd) == MRS_COMP_NONE && raw >= cap && raw < SIZE_MAX / 2)
        cap = (size_t)raw + 1;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            mrs_diag_error_file(d, path, "out of memory");
            return -1;
        }
        if (len == cap) {
            char *nb = mrs_grow(buf, &cap, len + 1, 1, 1 << 20);
            if (!nb)
                free(buf);
            buf = nb;
            continue;
        }
        size_t got = mrs_read(rd, buf + len, cap - len);
        len += got;
        if (got == 0 || mrs_reader_error(rd))
            break;
    }
    if (mrs_reader_error(rd)) {
        /* The last line may be cut short ("/24" read as "/2"): keep whole lines only. */
        while (len > 0 && buf[len - 1] != '\n')
            len--;
        mrs_diag_error_file(d, path, "%s (loading the complete lines read before the damage)",
                            mrs_reader_errmsg(rd));
    }
    int rc = mrs_rpki_load_mem(r, buf, len, path, d, stats);
    free(buf);
    return rc;
}

/* CSV: lines split over mrs_read. The fragment after the last '\n' before damage is
 * a cut line ("/24" read as "/2"): dropped. A line longer than MRS_LINE_MAX ends
 * the load (no VRP export has one). */
static int load_csv_file(mrs_rpki *r, mrs_reader *rd, const char *path, mrs_diag *d, mrs_rpki_load_stats *stats)
{
    mrs_rpki_load_stats dummy;
    mrs_rpki_load_stats *st = stats ? stats : &dummy;
    memset(st, 0, sizeof *st);
    rpki_csv cs;
    rpki_csv_begin(&cs, r, path, d, st);
    char *buf = NULL;
    size_t cap = 0, len = 0, pos = 0;
    int rc = 0, first = 1;
    bool eof = false;
    while (rc == 0) {
        char *nl = len > pos ? memchr(buf + pos, '\n', len - pos) : NULL;
        if (nl || (eof && len > pos)) {
            size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
            if (!nl && mrs_reader_error(rd))
                break;   /* cut by the damage */
            char *line = buf + pos;
            if (first && n >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
                line += 3;
                n -= 3;
            }
            first = 0;
            pos = (size_t)(line - buf) + n + (nl ? 1 : 0);
            line[n] = '\0';
            rc = rpki_csv_line(&cs, line, n);
            continue;
        }
        if (eof)
            break;
        if (len - pos > MRS_LINE_MAX) {
            mrs_diag_error_line(d, path, cs.lineno + 1, "line longer than %u bytes: not a VRP export", MRS_LINE_MAX);
            rc = -1;
            break;
        }
        if (pos > 0) {
            memmove(buf, buf + pos, len - pos);
            len -= pos;
            pos = 0;
        }
        char *nb = mrs_grow(buf, &cap, len + CHUNK + 1, 1, 2 * CHUNK);
        if (!nb) {
            mrs_diag_error_file(d, path, "out of memory");
            rc = -1;
            break;
        }
        buf = nb;
        size_t got = mrs_read(rd, buf + len, CHUNK);
        len += got;
        if (got < CHUNK)
            eof = true;
    }
    free(buf);
    if (mrs_reader_error(rd))
        mrs_diag_error_file(d, path, "%s (loading the complete lines read before the damage)",
                            mrs_reader_errmsg(rd));
    return rc == 0 ? rpki_csv_end(&cs) : rc;
}

int mrs_rpki_load_file(mrs_rpki *r, const char *path, mrs_diag *d, mrs_rpki_load_stats *stats)
{
    char err[512];
    mrs_reader *rd = mrs_reader_open_why(path, err, sizeof err);
    if (!rd) {
        mrs_diag_error_file(d, path, "%s", err);
        return -1;
    }
    if (mrs_reader_expect_text(rd, WHAT, rpki_sniff, d) != 0) {
        mrs_reader_close(rd);
        return -1;
    }
    /* JSON or CSV: the first character after a BOM and whitespace (rpki_sniff
     * has seen the first bytes; a comment line can only start CSV). */
    size_t n;
    const char *p = mrs_reader_peek(rd, &n);
    size_t i = n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
        i++;
    int rc = i < n && p[i] == '{' ? load_json_file(r, rd, path, d, stats) : load_csv_file(r, rd, path, d, stats);
    mrs_reader_close(rd);
    return rc;
}
