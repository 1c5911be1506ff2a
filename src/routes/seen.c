/*
 * seen.c — the collapsed routes store (seen.h). Routes are appended as they come
 * (a TABLE_DUMP_V2 record gives every entry of one prefix in a row: those are
 * counted in place), then sorted and merged once when read.
 */
#include "manrs/routes/seen.h"
#include "manrs/core/search.h"

#include <stdlib.h>
#include <string.h>

#include "manrs/core/grow.h"
#include "manrs/feeds/mrt_feed.h"

struct mrs_seen {
    mrs_seen_route *v;
    size_t n, cap;
    char **files;
    size_t n_files, cap_files;
    uint64_t events;
    bool sorted;
};

mrs_seen *mrs_seen_new(void) { return calloc(1, sizeof(mrs_seen)); }

void mrs_seen_free(mrs_seen *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_files; i++)
        free(s->files[i]);
    free(s->files);
    free(s->v);
    free(s);
}

uint64_t mrs_seen_events(const mrs_seen *s) { return s->events; }

const char *mrs_seen_file(const mrs_seen *s, uint32_t file) { return file < s->n_files ? s->files[file] : "?"; }

static int file_index(mrs_seen *s, const char *file, uint32_t *idx)
{
    if (s->n_files > 0 && !strcmp(s->files[s->n_files - 1], file)) {
        *idx = (uint32_t)(s->n_files - 1);
        return 0;
    }
    for (size_t i = 0; i < s->n_files; i++)
        if (!strcmp(s->files[i], file)) {
            *idx = (uint32_t)i;
            return 0;
        }
    char **nv = mrs_grow(s->files, &s->cap_files, s->n_files + 1, sizeof *nv, 4);
    if (!nv)
        return -1;
    s->files = nv;
    if (!(s->files[s->n_files] = strdup(file)))
        return -1;
    *idx = (uint32_t)s->n_files++;
    return 0;
}

static int push(mrs_seen *s, const mrs_prefix *p, uint32_t origin, uint32_t file)
{
    if (s->n > 0) {
        mrs_seen_route *last = &s->v[s->n - 1];
        if (last->origin == origin && mrs_prefix_equal(&last->prefix, p)) {
            last->count++;
            return 0;
        }
    }
    mrs_seen_route *nv = mrs_grow(s->v, &s->cap, s->n + 1, sizeof *nv, 256);
    if (!nv)
        return -1;
    s->v = nv;
    s->v[s->n++] = (mrs_seen_route){*p, origin, file, 1};
    s->sorted = false;
    return 0;
}

int mrs_seen_add(mrs_seen *s, const mrs_prefix *p, uint32_t origin, const char *file)
{
    uint32_t f;
    if (file_index(s, file ? file : "-", &f) < 0)
        return -1;
    s->events++;
    mrs_prefix q = *p;
    mrs_prefix_mask(&q);
    return push(s, &q, origin, f);
}

struct scan_ctx {
    mrs_seen *s;
    const mrs_seen_filter *f;
    uint32_t file;
    bool failed;
};

static void on_event(const mrs_route_event *ev, void *user)
{
    struct scan_ctx *c = user;
    if (ev->kind != MRS_RE_RIB && ev->kind != MRS_RE_ANNOUNCE)
        return;
    uint32_t origin = 0;
    if (!mrs_as_path_origin(ev->path, &origin)) {
        if (!c->f->none_origin)
            return;     /* AS_SET origin: RFC 6811 §2 "NONE", no origin to attribute */
        origin = 0;
    } else {
        c->s->events++;
        if (c->f->origins && !mrs_sorted_has_u32(c->f->origins, c->f->n_origins, origin))
            return;
    }
    mrs_prefix q = ev->prefix;
    mrs_prefix_mask(&q);
    if (push(c->s, &q, origin, c->file) < 0)
        c->failed = true;
}

int mrs_seen_scan_mrt(mrs_seen *s, const char *path, const mrs_seen_filter *f, mrs_diag *d)
{
    static const mrs_seen_filter all = {NULL, 0, false};
    struct scan_ctx c = {s, f ? f : &all, 0, false};
    if (file_index(s, path, &c.file) < 0)
        return -1;
    mrt_decoder *dec = mrt_decoder_new(d);
    if (!dec)
        return -1;
    mrt_scan_result res;
    bool ok = mrs_mrt_feed_file(path, dec, d, false, on_event, &c, &res);
    mrt_decoder_free(dec);
    return ok && !c.failed ? 0 : -1;
}

static int cmp_route(const void *x, const void *y)
{
    const mrs_seen_route *a = x, *b = y;
    int c = mrs_prefix_cmp(&a->prefix, &b->prefix);
    if (c)
        return c;
    if (a->origin != b->origin)
        return a->origin < b->origin ? -1 : 1;
    return a->file < b->file ? -1 : a->file > b->file;
}

/* Sort and merge duplicates (same prefix and origin: counts add up, first file kept). */
static void compact(mrs_seen *s)
{
    if (s->sorted || s->n == 0)
        return;
    qsort(s->v, s->n, sizeof *s->v, cmp_route);
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (k > 0 && s->v[k - 1].origin == s->v[i].origin && mrs_prefix_equal(&s->v[k - 1].prefix, &s->v[i].prefix)) {
            s->v[k - 1].count += s->v[i].count;
            continue;
        }
        s->v[k++] = s->v[i];
    }
    s->n = k;
    s->sorted = true;
}

size_t mrs_seen_count(mrs_seen *s)
{
    compact(s);
    return s->n;
}

const mrs_seen_route *mrs_seen_at(mrs_seen *s, size_t i)
{
    compact(s);
    return i < s->n ? &s->v[i] : NULL;
}

bool mrs_seen_covered(mrs_seen *s, const mrs_prefix *p, unsigned lo, unsigned hi)
{
    compact(s);
    size_t a;
    MRS_LOWER_BOUND(a, s->n, i, mrs_prefix_cmp(&s->v[i].prefix, p) < 0);
    for (size_t k = a; k < s->n && mrs_prefix_covers(p, &s->v[k].prefix); k++)
        if (s->v[k].prefix.len >= lo && s->v[k].prefix.len <= hi)
            return true;
    return false;
}
