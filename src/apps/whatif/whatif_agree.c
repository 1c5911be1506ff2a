/*
 * whatif_agree.c — how well the model predicts real routing: for prefixes that
 * two origins announce at once (MOAS) in MRT data, route both origins over the
 * AS graph and compare each collector peer's predicted origin with the one it
 * really chose; or, for a given incident, which peers really took the culprit's
 * route. The trivial baseline (every peer takes the more common origin) is
 * reported beside it, so that the figure means something.
 */
#include "manrs/apps/whatif.h"
#include "whatif_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct ocount {
    uint32_t origin;
    size_t n;
} ocount;

/* Routes grouped by prefix: order[start[p] .. start[p + 1]) are prefix p's. */
static int group(const wi_rib *r, uint32_t **order, uint32_t **start)
{
    *order = malloc((r->n_routes ? r->n_routes : 1) * sizeof **order);
    *start = calloc(r->n_pfx + 1, sizeof **start);
    if (!*order || !*start)
        return -1;
    for (size_t k = 0; k < r->n_routes; k++)
        (*start)[r->routes[k].pfx + 1]++;
    for (size_t p = 0; p < r->n_pfx; p++)
        (*start)[p + 1] += (*start)[p];
    uint32_t *fill = malloc((r->n_pfx ? r->n_pfx : 1) * sizeof *fill);
    if (!fill)
        return -1;
    memcpy(fill, *start, r->n_pfx * sizeof *fill);
    for (size_t k = 0; k < r->n_routes; k++)
        (*order)[fill[r->routes[k].pfx]++] = (uint32_t)k;
    free(fill);
    return 0;
}

/* The graph index of the collector peer of rt, or MRS_PNET_NONE (counted) when the
 * peer is one of the n origins or not in the graph. */
static uint32_t peer_node(const mrs_pnet *g, const wi_rib *r, const wi_route *rt, const uint32_t *origins, size_t n,
                          mrs_whatif_agreement *a)
{
    uint32_t pas = r->peers[rt->peer].p.asn;
    for (size_t q = 0; q < n; q++)
        if (origins[q] == pas) {
            a->peer_is_origin++;
            return MRS_PNET_NONE;
        }
    uint32_t pi = mrs_pnet_index(g, pas);
    if (pi == MRS_PNET_NONE)
        a->peer_unknown++;
    return pi;
}

static void predict(mrs_pnet *g, const wi_rib *r, const uint32_t *ix, size_t n, uint32_t A, uint32_t B, bool any,
                    mrs_whatif_agreement *a, size_t *ok, size_t *total)
{
    for (size_t k = 0; k < n; k++) {
        const wi_route *rt = &r->routes[ix[k]];
        if (rt->withdrawn && !any)
            continue;
        if (rt->origin != A && rt->origin != B)
            continue;
        const uint32_t ab[2] = {A, B};
        uint32_t pi = peer_node(g, r, rt, ab, 2, a);
        if (pi == MRS_PNET_NONE)
            continue;
        int ch = mrs_pnet_choice(g, pi);
        a->predictions++;
        (*total)++;
        if (ch == 0) {
            a->no_route++;
            continue;
        }
        uint32_t pred = ch == 2 ? B : A;
        a->agree += pred == rt->origin;
        *ok += pred == rt->origin;
        a->majority_agree += rt->origin == A;
    }
}

static int moas(mrs_pnet *g, const wi_rib *r, const uint32_t *order, const uint32_t *start, size_t max_events,
                mrs_whatif_agreement *a, FILE *detail, char *err, size_t errlen)
{
    ocount oc[MRS_PNET_MAX_ORIGINS];
    uint32_t gi[MRS_PNET_MAX_ORIGINS];
    for (size_t p = 0; p < r->n_pfx && (!max_events || a->events < max_events); p++) {
        const uint32_t *ix = order + start[p];
        size_t n = start[p + 1] - start[p], no = 0;
        for (size_t k = 0; k < n; k++) {
            const wi_route *rt = &r->routes[ix[k]];
            if (rt->withdrawn)
                continue;
            size_t j = 0;
            while (j < no && oc[j].origin != rt->origin)
                j++;
            if (j == no && no < MRS_PNET_MAX_ORIGINS)
                oc[no++] = (ocount){rt->origin, 0};
            if (j < no)
                oc[j].n++;
        }
        if (no < 2)
            continue;
        /* every origin announces at once (MOAS, anycast): the model's choice among
         * those the graph holds; the baseline, the most common origin */
        size_t m = 0, top = 0;
        for (size_t j = 0; j < no; j++) {
            uint32_t i = mrs_pnet_index(g, oc[j].origin);
            if (i == MRS_PNET_NONE)
                continue;
            oc[m] = oc[j];
            gi[m] = i;
            if (oc[m].n > oc[top].n || (oc[m].n == oc[top].n && oc[m].origin < oc[top].origin))
                top = m;
            m++;
        }
        if (m < 2) {
            a->skipped_unknown++;
            continue;
        }
        uint32_t org[MRS_PNET_MAX_ORIGINS];
        for (size_t q = 0; q < m; q++)
            org[q] = oc[q].origin;
        mrs_prun_status st = mrs_pnet_run_origins(g, gi, (unsigned)m);
        if (st != MRS_PRUN_OK) {
            snprintf(err, errlen, "%s", mrs_prun_status_text(st));
            return -1;
        }
        size_t ok = 0, total = 0;
        for (size_t k = 0; k < n; k++) {
            const wi_route *rt = &r->routes[ix[k]];
            if (rt->withdrawn)
                continue;
            size_t j = 0;
            while (j < m && oc[j].origin != rt->origin)
                j++;
            if (j == m)
                continue; /* an origin outside the graph */
            uint32_t pi = peer_node(g, r, rt, org, m, a);
            if (pi == MRS_PNET_NONE)
                continue;
            int s = mrs_pnet_source(g, pi);
            a->predictions++;
            total++;
            a->majority_agree += rt->origin == oc[top].origin;
            if (s < 0) {
                a->no_route++;
                continue;
            }
            ok += oc[s].origin == rt->origin;
        }
        a->agree += ok;
        if (!total)
            continue;
        a->events++;
        if (m == 2) {
            size_t maj = 0;
            for (size_t k = 0; k < n; k++) {
                const wi_route *rt = &r->routes[ix[k]];
                if (!rt->withdrawn && rt->origin == oc[top].origin && rt->origin != oc[!top].origin) {
                    uint32_t pas = r->peers[rt->peer].p.asn;
                    maj += pas != oc[0].origin && pas != oc[1].origin && mrs_pnet_index(g, pas) != MRS_PNET_NONE;
                }
            }
            a->two_events++;
            a->two_predictions += total;
            a->two_agree += ok;
            a->two_majority += maj;
        }
        if (detail) {
            char ps[MRS_PREFIX_STRLEN];
            mrs_prefix_format(&r->pfx[p], ps);
            fprintf(detail, "%s", ps);
            for (size_t q = 0; q < m; q++)
                fprintf(detail, " AS%" PRIu32, oc[q].origin);
            fprintf(detail, " %zu/%zu\n", ok, total);
        }
    }
    return 0;
}

int mrs_whatif_agreement_run(mrs_pnet *g, const wi_rib *r, const mrs_whatif_opts *o, size_t max_events,
                             mrs_whatif_agreement *a, FILE *detail, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    if (!r->keep_peers) {
        snprintf(err, errlen, "the MRT data was read without the peers' routes");
        return -1;
    }
    uint32_t *order = NULL, *start = NULL;
    if (group(r, &order, &start) < 0) {
        free(order);
        free(start);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    if (!o->have_prefix) {
        rc = moas(g, r, order, start, max_events, a, detail, err, errlen);
    } else if (o->kind == MRS_PINC_ORIGIN || o->kind == MRS_PINC_SUBPREFIX) {
        uint32_t pi;
        mrs_pincident inc = {.kind = o->kind,
                             .culprit = mrs_pnet_index(g, o->culprit_asn),
                             .origin = mrs_pnet_index(g, o->origin_asn)};
        mrs_poutcome out;
        mrs_prun_status st;
        if (inc.culprit == MRS_PNET_NONE || inc.origin == MRS_PNET_NONE) {
            snprintf(err, errlen, "the culprit or the origin is not in the AS relationships");
            rc = -1;
        } else if (!mrs_trie_lookup(r->trie, &o->prefix, &pi)) {
            snprintf(err, errlen, "no collector peer carried the prefix in the MRT data");
            rc = -1;
        } else if ((st = mrs_pnet_run(g, &inc, &out)) != MRS_PRUN_OK) {
            snprintf(err, errlen, "%s", mrs_prun_status_text(st));
            rc = -1;
        } else {
            size_t ok = 0, total = 0;
            if (o->kind == MRS_PINC_ORIGIN) {
                predict(g, r, order + start[pi], start[pi + 1] - start[pi], o->origin_asn, o->culprit_asn, true, a,
                        &ok, &total);
            } else {
                /* the peers that carried the covering prefix: did they (also) carry
                 * the culprit's more specific? */
                uint32_t ci;
                if (mrs_trie_lookup(r->trie, &o->cover, &ci)) {
                    for (uint32_t k = start[ci]; k < start[ci + 1]; k++) {
                        const wi_route *rc_ = &r->routes[order[k]];
                        const uint32_t ab[2] = {o->origin_asn, o->culprit_asn};
                        uint32_t gi = peer_node(g, r, rc_, ab, 2, a);
                        if (gi == MRS_PNET_NONE)
                            continue;
                        bool took = false;
                        for (uint32_t q = start[pi]; q < start[pi + 1]; q++) {
                            const wi_route *s = &r->routes[order[q]];
                            took |= s->peer == rc_->peer && s->origin == o->culprit_asn;
                        }
                        bool pred = mrs_pnet_choice(g, gi) == 2;
                        a->predictions++;
                        total++;
                        a->agree += pred == took;
                        ok += pred == took;
                        a->majority_agree += took; /* baseline: everybody takes the more specific */
                    }
                }
            }
            a->events = total > 0;
        }
    } else {
        snprintf(err, errlen, "checking a %s against MRT data needs the peers' whole paths: only origin and "
                              "sub-prefix hijacks can be checked",
                 mrs_whatif_kind_name(o->kind));
        rc = -1;
    }
    free(order);
    free(start);
    return rc;
}
