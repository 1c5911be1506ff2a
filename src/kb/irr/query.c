/*
 * query.c — read-only lookups on a finalized irr_db for the query server and the
 * filter generator (see include/manrs/kb/irr_query.h): route objects by origin and by
 * prefix relation, the direct members of a set, prefix aggregation.
 *
 * Uses the indexes built by irr_db_finalize (irr_internal.h): routes sorted by
 * (family, length, address, origin, source), the prefix trie from each prefix to
 * its run, and the (origin << 32 | index) array. A prefix relation is one walk of
 * the trie, as in the route-origin check (origin_check.c).
 */
#include "irr_internal.h"
#include "manrs/core/grow.h"
#include "manrs/kb/irr_query.h"
#include "manrs/core/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void route_ref(const irr_db *db, const irr_route *r, irr_route_ref *ref)
{
    ref->prefix = r->pfx;
    ref->origin = r->origin;
    ref->source = db->names.v[db->source_name[r->source]].s;
    ref->mnt_by = r->mnt_by ? r->mnt_by : "";
    ref->file = db->files.v[r->file];
    ref->line = r->line;
}

int irr_db_routes_by_origin(const irr_db *db, uint32_t asn, unsigned afi, const irr_sel *sel, irr_route_fn fn,
                            void *user)
{
    if (!db->finalized)
        return -1;
    for (size_t i = irr_pairs_lower(db->by_origin, db->n_by_origin, asn);
         i < db->n_by_origin && (uint32_t)(db->by_origin[i] >> 32) == asn; i++) {
        const irr_route *r = &db->routes.v[(uint32_t)db->by_origin[i]];
        if ((afi && r->pfx.afi != afi) || irr_sel_rank(db, sel, r->source) < 0)
            continue;
        irr_route_ref ref;
        route_ref(db, r, &ref);
        int rc = fn(user, &ref);
        if (rc)
            return rc;
    }
    return 0;
}

/* Report the selected objects of the run starting at routes.v[start]; *found is
 * set when there is at least one. */
static int report_run(const irr_db *db, size_t start, const irr_sel *sel, irr_route_fn fn, void *user, bool *found)
{
    for (size_t i = start, end = irr_route_run_end(db, start); i < end; i++) {
        const irr_route *r = &db->routes.v[i];
        if (irr_sel_rank(db, sel, r->source) < 0)
            continue;
        *found = true;
        irr_route_ref ref;
        route_ref(db, r, &ref);
        int rc = fn(user, &ref);
        if (rc)
            return rc;
    }
    return 0;
}

typedef struct runs {
    uint32_t *v;
    size_t n, cap;
    unsigned len;       /* the query's length: its own prefix is left out */
} runs;

static int collect_run(const mrs_prefix *p, uint32_t start, void *arg)
{
    runs *c = arg;
    if (p->len <= c->len)
        return 0;
    uint32_t *nv = mrs_grow(c->v, &c->cap, c->n + 1, sizeof *nv, 64);
    if (!nv)
        return -1;
    c->v = nv;
    c->v[c->n++] = start;
    return 0;
}

/* The objects of every prefix strictly inside q, in index order: the trie walks in
 * address order, the runs are sorted back into (length, address) order. */
static int more_specific(const irr_db *db, const mrs_prefix *q, const irr_sel *sel, irr_route_fn fn, void *user)
{
    runs c = {NULL, 0, 0, q->len};
    const mrs_trie *trie = irr_route_trie(db);
    if (!trie || mrs_trie_covered(trie, q, collect_run, &c) != 0) {
        free(c.v);
        return -1;
    }
    if (c.n > 1)
        qsort(c.v, c.n, sizeof *c.v, mrs_cmp_u32);
    bool found = false;
    int rc = 0;
    for (size_t k = 0; k < c.n && rc == 0; k++)
        rc = report_run(db, c.v[k], sel, fn, user, &found);
    free(c.v);
    return rc;
}

int irr_db_routes_by_prefix(const irr_db *db, const mrs_prefix *p, irr_prefix_match m, const irr_sel *sel,
                            irr_route_fn fn, void *user)
{
    if (!db->finalized)
        return -1;
    if (p->afi != MRS_AFI_IPV4 && p->afi != MRS_AFI_IPV6)
        return 0;
    unsigned bits = mrs_afi_bits(p->afi);
    if (p->len > bits)
        return 0;
    bool found = false;
    uint32_t start;
    mrs_trie_match cm[MRS_TRIE_MAX_COVERING];
    const mrs_trie *trie = irr_route_trie(db);
    if (!trie)
        return -1;
    switch (m) {
    case IRR_PM_EXACT:
        return mrs_trie_lookup(trie, p, &start) ? report_run(db, start, sel, fn, user, &found) : 0;
    case IRR_PM_ONE_LESS:
    case IRR_PM_ALL_LESS:
        /* Most specific first; one-less stops at the first prefix with a selected object. */
        for (unsigned k = mrs_trie_covering(trie, p, cm); k-- > 0;) {
            if (m == IRR_PM_ONE_LESS && cm[k].len == p->len)
                continue;
            int rc = report_run(db, cm[k].value, sel, fn, user, &found);
            if (rc)
                return rc;
            if (found && m == IRR_PM_ONE_LESS)
                break;
        }
        return 0;
    case IRR_PM_ALL_MORE:
        return more_specific(db, p, sel, fn, user);
    }
    return 0;
}

bool irr_db_set_find(const irr_db *db, const char *name, const irr_sel *sel, irr_set_view *v)
{
    if (!db->finalized)
        return false;
    size_t n = strlen(name);
    int cls = irr_set_name_class(name, n);
    if (cls < 0)
        return false;
    uint32_t idx = irr_set_resolve(db, irr_name_find(db, name, n), (irr_class)cls, sel);
    if (idx == IRR_NONE)
        return false;
    const irr_set *s = &db->sets.v[idx];
    v->cls = (irr_class)s->cls;
    v->name = db->names.v[s->name].s;
    v->source = db->names.v[db->source_name[s->source]].s;
    v->file = db->files.v[s->file];
    v->line = s->line;
    v->n_members = s->mem_n;
    v->n_mbrs_by_ref = s->mbr_n;
    v->mbrs_any = s->mbrs_any;
    v->index = idx;
    return true;
}

static int op_format(irr_range_op op, char *out, size_t cap)
{
    switch (op.kind) {
    case IRR_OP_MINUS:
        return snprintf(out, cap, "^-");
    case IRR_OP_PLUS:
        return snprintf(out, cap, "^+");
    case IRR_OP_N:
        return snprintf(out, cap, "^%u", op.n);
    case IRR_OP_NM:
        return snprintf(out, cap, "^%u-%u", op.n, op.m);
    default:
        out[0] = 0;
        return 0;
    }
}

int irr_db_set_member(const irr_db *db, const irr_set_view *v, uint32_t i, char out[80])
{
    const irr_set *s = &db->sets.v[v->index];
    if (i >= s->mem_n) {
        out[0] = 0;
        return 0;
    }
    const irr_member *m = &db->members.v[s->mem_off + i];
    int n = 0;
    switch (m->kind) {
    case MEM_ASN:
        n = snprintf(out, 80, "AS%u", m->val);
        break;
    case MEM_AS_SET:
    case MEM_ROUTE_SET:
        n = snprintf(out, 80, "%.60s", db->names.v[m->val].s);
        break;
    case MEM_PREFIX:
        n = mrs_prefix_format(&db->mpfx.v[m->val], out);
        break;
    default:
        out[0] = 0;
        return 0;
    }
    n += op_format(m->op, out + n, (size_t)(80 - n));
    return n;
}

const char *irr_db_set_mbr_by_ref(const irr_db *db, const irr_set_view *v, uint32_t i)
{
    const irr_set *s = &db->sets.v[v->index];
    if (i >= s->mbr_n)
        return "";
    return db->names.v[db->ids.v[s->mbr_off + i]].s;
}

/* ------------------------------------------------------------- aggregation */

static int cmp_addr_len(const void *a_, const void *b_)
{
    const mrs_prefix *a = a_, *b = b_;
    if (a->afi != b->afi)
        return a->afi < b->afi ? -1 : 1;
    int c = memcmp(a->addr, b->addr, 16);
    if (c)
        return c;
    return (a->len > b->len) - (a->len < b->len);
}

static inline bool bit_at(const uint8_t *a, unsigned i) { return (a[i >> 3] >> (7 - (i & 7))) & 1; }

/* Are a and b the two halves of one prefix one bit shorter? */
static bool siblings(const mrs_prefix *a, const mrs_prefix *b)
{
    if (a->afi != b->afi || a->len != b->len || a->len == 0)
        return false;
    mrs_prefix pa = *a, pb = *b;
    pa.len--;
    pb.len--;
    mrs_prefix_mask(&pa);
    mrs_prefix_mask(&pb);
    return mrs_prefix_equal(&pa, &pb) && !bit_at(a->addr, a->len - 1u) && bit_at(b->addr, b->len - 1u);
}

size_t irr_prefix_aggregate(mrs_prefix *v, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        mrs_prefix_mask(&v[i]);
    qsort(v, n, sizeof *v, cmp_addr_len);
    /* Drop covered prefixes: a cover sorts before what it covers. */
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && mrs_prefix_covers(&v[w - 1], &v[i]))
            continue;
        v[w++] = v[i];
    }
    /* Merge sibling halves, as a stack (a merge can enable one more below). */
    size_t top = 0;
    for (size_t i = 0; i < w; i++) {
        v[top++] = v[i];
        while (top >= 2 && siblings(&v[top - 2], &v[top - 1])) {
            v[top - 2].len--;
            top--;
        }
    }
    return top;
}

int irr_sel_source_rank(const irr_db *db, const irr_sel *sel, unsigned source)
{
    return irr_sel_rank(db, sel, source);
}

int irr_set_class_of_name(const char *s, size_t n) { return irr_set_name_class(s, n); }
