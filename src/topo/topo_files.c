/*
 * topo_files.c — the file entry points of the topo modules: open the file with
 * mrs_reader (plain or gzip/bzip2/xz/zstd, detected from the content), feed its lines
 * to the module's line-source loader, and report damaged input as
 * `FILE: offset N: what`. Kept apart from the parsers so that code using only the
 * in-memory loaders does not pull in the I/O layer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/asrel.h"
#include "manrs/bogon.h"
#include "manrs/delegated.h"
#include "manrs/io.h"
#include "topo_internal.h"

typedef struct reader_src {
    mrs_reader *r;
    char *buf;
    size_t cap;
} reader_src;

static int reader_next(void *ctx, const char **line, size_t *len)
{
    reader_src *rs = ctx;
    ssize_t n = mrs_getline(rs->r, &rs->buf, &rs->cap);
    if (n < 0)
        return mrs_reader_error(rs->r) ? -1 : 0;
    *line = rs->buf;
    *len = (size_t)n;
    return 1;
}

typedef int (*src_loader)(void *obj, mrs_linesrc *src, const char *name, mrs_diag *d, int arg);

/* Feed an open reader to a module loader; damage is reported with the offset. */
static int load_reader(mrs_reader *r, mrs_diag *d, src_loader fn, void *obj, int arg)
{
    const char *name = mrs_reader_name(r);
    reader_src rs = {r, NULL, 0};
    mrs_linesrc src = {reader_next, &rs};
    int rc = fn(obj, &src, name, d, arg);
    if (mrs_reader_error(r)) {
        mrs_diag_error_at(d, name, mrs_reader_offset(r), "%s (data before it was loaded)", mrs_reader_errmsg(r));
        rc = -1;
    }
    free(rs.buf);
    return rc;
}

static int load_file(const char *path, mrs_diag *d, src_loader fn, void *obj, int arg)
{
    char err[512];
    mrs_reader *r = mrs_reader_open(path, err, sizeof err);
    if (!r) {
        mrs_diag_error_file(d, path, "%s", err);
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

int mrs_bogon_load_list(mrs_bogon_set *s, const char *path, mrs_diag *d) { return load_file(path, d, bogon_fn, s, 0); }
int mrs_bogon_load_drop(mrs_bogon_set *s, const char *path, mrs_diag *d) { return load_file(path, d, bogon_fn, s, 1); }
int mrs_deleg_load(mrs_deleg_db *db, const char *path, mrs_diag *d) { return load_file(path, d, deleg_fn, db, 0); }
int mrs_asrel_load(mrs_asrel *r, const char *path, mrs_diag *d) { return load_file(path, d, asrel_fn, r, 0); }
int mrs_cone_load(mrs_cone_set *c, const char *path, mrs_diag *d) { return load_file(path, d, cone_fn, c, 0); }

int mrs_bogon_load_list_reader(mrs_bogon_set *s, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, bogon_fn, s, 0); }
int mrs_bogon_load_drop_reader(mrs_bogon_set *s, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, bogon_fn, s, 1); }
int mrs_deleg_load_reader(mrs_deleg_db *db, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, deleg_fn, db, 0); }
int mrs_asrel_load_reader(mrs_asrel *rel, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, asrel_fn, rel, 0); }
int mrs_cone_load_reader(mrs_cone_set *c, mrs_reader *r, mrs_diag *d) { return load_reader(r, d, cone_fn, c, 0); }
