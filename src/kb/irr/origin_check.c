/*
 * check.c — the IRR route-origin check: is (prefix, origin) backed by a route /
 * route6 object?
 *
 * The prefix index (internal to irr, see irr_internal.h): route objects sorted by
 * (family, length, address, origin, source), with the start of each (family,
 * length) run in db->lenstart. The exact and covering objects of a prefix P/L are
 * found with one binary search per populated length 0..L on P masked to that
 * length: at most 33 (IPv4) / 129 (IPv6) searches of O(log n), no pointers, no
 * per-node allocation.
 *
 * States (most specific evidence first):
 *   VALID          an exact route object with this origin;
 *   VALID_COVERED  no such exact object, but a covering (less specific) one with
 *                  this origin;
 *   INVALID_ORIGIN route objects exist for the exact or covering prefixes, none
 *                  with this origin;
 *   NOT_FOUND      no route object for the prefix or any covering prefix.
 */
#include "irr_internal.h"
#include "manrs/core/grow.h"
#include "manrs/core/search.h"

#include <stdlib.h>
#include <string.h>

const char *irr_origin_state_name(irr_origin_state s)
{
    switch (s) {
    case IRR_VALID:
        return "valid";
    case IRR_VALID_COVERED:
        return "valid-covered";
    case IRR_INVALID_ORIGIN:
        return "invalid-origin";
    case IRR_NOT_FOUND:
        return "not-found";
    }
    return "?";
}

/* First route index in [lo,hi) with address >= addr (all entries have one length). */
static size_t lower_addr(const irr_db *db, size_t lo, size_t hi, const uint8_t *addr)
{
    size_t k;
    MRS_LOWER_BOUND(k, hi - lo, i, memcmp(db->routes.v[lo + i].pfx.addr, addr, 16) < 0);
    return lo + k;
}

static int add_ref(const irr_db *db, irr_origin_result *res, const irr_route *r)
{
    irr_route_ref *nv = mrs_grow(res->evidence, &res->cap, res->n + 1, sizeof *nv, 8);
    if (!nv)
        return -1;
    res->evidence = nv;
    irr_route_ref *e = &res->evidence[res->n++];
    e->prefix = r->pfx;
    e->origin = r->origin;
    e->source = db->names.v[db->source_name[r->source]].s;
    e->mnt_by = r->mnt_by;
    e->file = db->files.v[r->file];
    e->line = r->line;
    return 0;
}

typedef struct hit {
    uint32_t idx;
    int rank;
} hit;

int irr_check_origin(const irr_db *db, const mrs_prefix *prefix, uint32_t origin, const irr_sel *sel,
                     irr_origin_result *res)
{
    res->n = 0;
    res->state = IRR_NOT_FOUND;
    if (!db->finalized || (prefix->afi != MRS_AFI_IPV4 && prefix->afi != MRS_AFI_IPV6) ||
        prefix->len > mrs_afi_bits(prefix->afi))
        return -1;
    int f = prefix->afi == MRS_AFI_IPV6;
    /* Collect matches per length, most specific first. Same-origin matches are
     * collected separately so that VALID / VALID_COVERED evidence only holds them. */
    hit *hits = NULL;
    size_t nh = 0, caph = 0;
    int exact_same = 0, cover_same = 0;
    for (int L = prefix->len; L >= 0; L--) {
        size_t lo = db->lenstart[f][L], hi = db->lenstart[f][L + 1];
        if (lo == hi)
            continue;
        mrs_prefix q = *prefix;
        q.len = (uint8_t)L;
        mrs_prefix_mask(&q);
        size_t i = lower_addr(db, lo, hi, q.addr);
        size_t group_start = nh;
        for (; i < hi && memcmp(db->routes.v[i].pfx.addr, q.addr, 16) == 0; i++) {
            const irr_route *r = &db->routes.v[i];
            int rk = irr_sel_rank(db, sel, r->source);
            if (rk < 0)
                continue;
            hit *nv = mrs_grow(hits, &caph, nh + 1, sizeof *nv, 16);
            if (!nv) {
                free(hits);
                return -1;
            }
            hits = nv;
            hits[nh].idx = (uint32_t)i;
            hits[nh].rank = rk;
            nh++;
            if (r->origin == origin) {
                if (L == prefix->len)
                    exact_same++;
                else
                    cover_same++;
            }
        }
        /* Within one prefix: by origin, then source rank (insertion sort; groups are tiny). */
        for (size_t a = group_start + 1; a < nh; a++) {
            hit h = hits[a];
            size_t b = a;
            while (b > group_start) {
                const hit *p = &hits[b - 1];
                uint32_t po = db->routes.v[p->idx].origin, ho = db->routes.v[h.idx].origin;
                if (po < ho || (po == ho && p->rank <= h.rank))
                    break;
                hits[b] = hits[b - 1];
                b--;
            }
            hits[b] = h;
        }
    }
    int rc = 0;
    if (exact_same)
        res->state = IRR_VALID;
    else if (cover_same)
        res->state = IRR_VALID_COVERED;
    else if (nh)
        res->state = IRR_INVALID_ORIGIN;
    for (size_t k = 0; k < nh && rc == 0; k++) {
        const irr_route *r = &db->routes.v[hits[k].idx];
        bool keep;
        if (res->state == IRR_VALID)
            keep = r->origin == origin && r->pfx.len == prefix->len;
        else if (res->state == IRR_VALID_COVERED)
            keep = r->origin == origin;
        else
            keep = true;
        if (keep)
            rc = add_ref(db, res, r);
    }
    free(hits);
    return rc;
}

void irr_origin_result_clear(irr_origin_result *res)
{
    free(res->evidence);
    memset(res, 0, sizeof *res);
}
