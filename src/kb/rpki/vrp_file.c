/*
 * vrp_file.c — mrs_rpki_load_file: read a whole (possibly compressed) VRP export
 * through mrs_reader and hand it to mrs_rpki_load_mem. Kept apart from vrp.c so
 * that in-memory users (tests, fuzzers) do not need the I/O layer.
 */
#include "manrs/core/grow.h"
#include "manrs/core/io.h"
#include "manrs/kb/rpki.h"

#include <stdlib.h>
#include <string.h>

int mrs_rpki_load_file(mrs_rpki *r, const char *path, mrs_diag *d, mrs_rpki_load_stats *stats)
{
    char err[512];
    mrs_reader *rd = mrs_reader_open_why(path, err, sizeof err);
    if (!rd) {
        mrs_diag_error_file(d, path, "%s", err);
        return -1;
    }
    /* Plain files are read into a buffer of their size at once. */
    size_t cap = 1 << 20, len = 0;
    uint64_t raw = mrs_reader_raw_size(rd);
    if (mrs_reader_compression(rd) == MRS_COMP_NONE && raw >= cap && raw < SIZE_MAX / 2)
        cap = (size_t)raw + 1;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            mrs_diag_error_file(d, path, "out of memory");
            mrs_reader_close(rd);
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
    int damaged = mrs_reader_error(rd);
    if (damaged) {
        /* The last line may be cut short ("/24" read as "/2"): keep whole lines only. */
        while (len > 0 && buf[len - 1] != '\n')
            len--;
        mrs_diag_error_file(d, path, "%s (loading the complete lines read before the damage)",
                            mrs_reader_errmsg(rd));
    }
    int rc = mrs_rpki_load_mem(r, buf, len, path, d, stats);
    free(buf);
    mrs_reader_close(rd);
    return rc;
}
