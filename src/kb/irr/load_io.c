/*
 * load_io.c — RPSL input through mrs_reader (include/manrs/core/io.h), so that dumps
 * can be read gzip/bzip2/xz/zstd-compressed as published (ripe.db.*.gz).
 *
 * Kept apart from rpsl.c/irrdb.c so that the parser and database are usable
 * (tests, fuzzers) with in-memory input only. A damaged compressed stream is not
 * fatal for the objects decoded before the damage: they are loaded, the object
 * the damage cut is dropped, the damage is reported with the reader's message
 * and the load returns -1.
 */
#include "irr_internal.h"

#include <stdlib.h>
#include <string.h>

static size_t reader_read(void *ctx, void *buf, size_t n)
{
    return mrs_read((mrs_reader *)ctx, buf, n);
}

static int reader_damaged(void *ctx)
{
    return mrs_reader_error((const mrs_reader *)ctx);
}

rpsl_parser *rpsl_parser_new_reader(mrs_reader *r, mrs_diag *diag)
{
    rpsl_parser *p = rpsl_parser_new(reader_read, r, mrs_reader_name(r), diag);
    if (p) {
        rpsl_parser_set_damaged_fn(p, reader_damaged);
        const char *env = getenv("MANRS_IO_THREADS");
        rpsl_parser_set_ahead(p, !(env && strcmp(env, "0") == 0));
    }
    return p;
}

int irr_db_load_reader(irr_db *db, mrs_reader *r)
{
    rpsl_parser *p = rpsl_parser_new_reader(r, irr_db_diag(db));
    if (!p)
        return -1;
    int rc = irr_db_load_parser(db, p);
    rpsl_parser_free(p);
    if (mrs_reader_error(r)) {
        mrs_diag_error_file(irr_db_diag(db), mrs_reader_name(r), "%s", mrs_reader_errmsg(r));
        rc = -1;
    }
    return rc;
}

int irr_db_load_file(irr_db *db, const char *path)
{
    char err[512];
    mrs_reader *r = mrs_reader_open_why(path, err, sizeof err);
    if (!r) {
        mrs_diag_error_file(irr_db_diag(db), path, "%s", err);
        return -1;
    }
    /* Binary data (/dev/zero, random bytes, an MRT dump) is rejected from its first
     * bytes; a NUL byte after a good start ends the input there. */
    if (mrs_reader_expect_text(r, "an RPSL dump", NULL, irr_db_diag(db)) != 0) {
        mrs_reader_close(r);
        return -1;
    }
    int rc = irr_db_load_reader(db, r);
    mrs_reader_close(r);
    return rc;
}
