/*
 * check.c — the IRR route-origin check: is (prefix, origin) backed by a route /
 * route6 object?
 *
 * The prefix index (see irr_internal.h): route objects sorted by (family, length,
 * address, origin, source), the objects of one prefix in one run, and the core
 * prefix trie from each prefix to its run. The exact and covering objects of a
 * prefix are the runs of one covering walk of the trie.
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
    /* Collect matches per prefix, most specific first. Same-origin matches are
     * counted so that VALID / VALID_COVERED evidence only holds them. */
    hit *hits = NULL;
    size_t nh = 0, caph = 0;
    int exact_same = 0, cover_same = 0;
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    const mrs_trie *trie = irr_route_trie(db);
    if (!trie)
        return -1;
    for (unsigned k = mrs_trie_covering(trie, prefix, m); k-- > 0;) {
        unsigned L = m[k].len;
        size_t i = m[k].value, end = irr_route_run_end(db, i);
        size_t group_start = nh;
        for (; i < end; i++) {
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
