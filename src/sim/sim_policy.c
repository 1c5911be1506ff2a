/*
 * sim_policy.c — the simulator's router (sim_route.c) over a real AS graph, for
 * `manrs whatif` (policy.h). A mrs_pnet is a sim_world that holds only what
 * sim_route reads: the networks (ASN, neighbour lists, policies) and the routing
 * scratch. Nothing here decides a route: sim_route does, exactly as for the
 * simulated worlds, so what whatif predicts on a simulated world's graph is what
 * the simulator did.
 */
#include "manrs/sim/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/search.h"
#include "manrs/kb/as2org.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/rpki.h"
#include "sim_internal.h"

struct mrs_pnet {
    sim_world w;
    bool clone;             /* w.adj and asns belong to the original */
    uint32_t *asns;         /* sorted: index i is asns[i] */
    unsigned *pol;          /* MRS_POL_* per AS */
    mrs_rpki *aspa;         /* the ASPA records of the MRS_POL_ASPA ASes and the published ones */
    uint32_t *pub;          /* published records: customer, count, providers... (shared by clones) */
    size_t n_pub;           /* words in pub */
    size_t pub_records;
    bool aspa_dirty;
    size_t n_aspa;
    uint32_t *stack;
    sim_seed *seeds;        /* the incident's seeds (a leak: one per neighbour) */
    size_t cap_seeds;
    sim_seed legit_seed;
    uint32_t legit_tail[4], tail[SIM_MAXLEN];
    sim_source S[2];
    bool multi;             /* the last run was mrs_pnet_run_origins */
};

/* ----------------------------------------------------------------- building */

typedef struct nb_list {
    const uint32_t *v;
    size_t n;
} nb_list;

static bool same_org(const mrs_as2org *o, uint32_t a, uint32_t b) { return o && mrs_as2org_siblings(o, a, b); }

mrs_pnet *mrs_pnet_from_asrel(const mrs_asrel *rel, const mrs_as2org *orgs, char *err, size_t errlen)
{
    const uint32_t *ases;
    size_t n = mrs_asrel_ases(rel, &ases);
    if (n == 0) {
        snprintf(err, errlen, "the AS relationships hold no AS");
        return NULL;
    }
    if (n >= SIM_NONE) {
        snprintf(err, errlen, "too many ASes (%zu)", n);
        return NULL;
    }
    mrs_pnet *g = calloc(1, sizeof *g);
    if (!g)
        goto oom;
    sim_world *w = &g->w;
    w->n = (unsigned)n;
    w->cut_a = w->cut_b = SIM_NONE;
    g->asns = malloc(n * sizeof *g->asns);
    w->as = calloc(n, sizeof *w->as);
    g->pol = calloc(n, sizeof *g->pol);
    g->stack = malloc(n * sizeof *g->stack);
    if (!g->asns || !w->as || !g->pol || !g->stack)
        goto oom;
    memcpy(g->asns, ases, n * sizeof *ases);
    /* count: providers, peers, customers, siblings (links between one
     * organisation's ASes count as sibling links, whatever as-rel calls them) */
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = ases[i];
        nb_list l[4];
        l[0].n = mrs_asrel_providers(rel, a, &l[0].v);
        l[1].n = mrs_asrel_peers(rel, a, &l[1].v);
        l[2].n = mrs_asrel_customers(rel, a, &l[2].v);
        l[3].n = mrs_asrel_siblings(rel, a, &l[3].v);
        unsigned c[4] = {0, 0, 0, (unsigned)l[3].n};
        for (int k = 0; k < 3; k++)
            for (size_t j = 0; j < l[k].n; j++)
                c[same_org(orgs, a, l[k].v[j]) ? 3 : k]++;
        sim_as *s = &w->as[i];
        s->asn = a;
        s->org = (uint32_t)i;
        s->pt_cust = SIM_NONE;
        s->adj_off = (uint32_t)total;
        s->n_prov = c[0];
        s->n_peer = c[1];
        s->n_cust = c[2];
        s->n_sib = c[3];
        total += (size_t)c[0] + c[1] + c[2] + c[3];
    }
    if (total >= UINT32_MAX) {
        snprintf(err, errlen, "too many links (%zu)", total);
        mrs_pnet_free(g);
        return NULL;
    }
    w->adj = malloc((total ? total : 1) * sizeof *w->adj);
    if (!w->adj)
        goto oom;
    w->n_adj = total;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = ases[i];
        sim_as *s = &w->as[i];
        uint32_t fill[4] = {s->adj_off, s->adj_off + s->n_prov, s->adj_off + s->n_prov + s->n_peer,
                            s->adj_off + s->n_prov + s->n_peer + s->n_cust};
        nb_list l[4];
        l[0].n = mrs_asrel_providers(rel, a, &l[0].v);
        l[1].n = mrs_asrel_peers(rel, a, &l[1].v);
        l[2].n = mrs_asrel_customers(rel, a, &l[2].v);
        l[3].n = mrs_asrel_siblings(rel, a, &l[3].v);
        for (int k = 0; k < 4; k++)
            for (size_t j = 0; j < l[k].n; j++) {
                uint32_t b = l[k].v[j];
                int to = k < 3 && same_org(orgs, a, b) ? 3 : k;
                w->adj[fill[to]++] = (uint32_t)mrs_lower_bound_u32(ases, n, b);
            }
        if (s->n_prov)
            w->n_p2c += s->n_prov;
        w->n_p2p += s->n_peer;
    }
    w->n_p2p /= 2;
    g->aspa_dirty = true;
    return g;
oom:
    snprintf(err, errlen, "out of memory");
    mrs_pnet_free(g);
    return NULL;
}

mrs_pnet *mrs_pnet_clone(const mrs_pnet *o)
{
    mrs_pnet *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    size_t n = o->w.n;
    g->w.n = o->w.n;
    g->w.adj = o->w.adj;
    g->w.n_adj = o->w.n_adj;
    g->w.cut_a = g->w.cut_b = SIM_NONE;
    g->clone = true;
    g->asns = o->asns;
    g->pub = o->pub;
    g->n_pub = o->n_pub;
    g->pub_records = o->pub_records;
    g->w.as = malloc(n * sizeof *g->w.as);
    g->pol = malloc(n * sizeof *g->pol);
    g->stack = malloc(n * sizeof *g->stack);
    if (!g->w.as || !g->pol || !g->stack) {
        mrs_pnet_free(g);
        return NULL;
    }
    memcpy(g->w.as, o->w.as, n * sizeof *g->w.as);
    memcpy(g->pol, o->pol, n * sizeof *g->pol);
    g->aspa_dirty = true;
    return g;
}

void mrs_pnet_free(mrs_pnet *g)
{
    if (!g)
        return;
    sim_world *w = &g->w;
    if (!g->clone) {
        free(w->adj);
        free(g->asns);
        free(g->pub);
    }
    free(w->as);
    sim_scratch_free(w);
    free(g->pol);
    free(g->stack);
    free(g->seeds);
    mrs_rpki_free(g->aspa);
    free(g);
}

/* ----------------------------------------------------------------- queries */

size_t mrs_pnet_count(const mrs_pnet *g) { return g->w.n; }
uint32_t mrs_pnet_asn(const mrs_pnet *g, uint32_t i) { return g->w.as[i].asn; }

uint32_t mrs_pnet_index(const mrs_pnet *g, uint32_t asn)
{
    size_t k = mrs_lower_bound_u32(g->asns, g->w.n, asn);
    return k < g->w.n && g->asns[k] == asn ? (uint32_t)k : MRS_PNET_NONE;
}

void mrs_pnet_degree(const mrs_pnet *g, uint32_t i, unsigned *prov, unsigned *peer, unsigned *cust)
{
    const sim_as *a = &g->w.as[i];
    *prov = a->n_prov;
    *peer = a->n_peer;
    *cust = a->n_cust + a->n_sib;
}

void mrs_pnet_set_policy(mrs_pnet *g, uint32_t i, unsigned pol)
{
    sim_as *a = &g->w.as[i];
    if ((g->pol[i] ^ pol) & MRS_POL_ASPA)
        g->aspa_dirty = true;
    g->pol[i] = pol;
    a->rov = pol & MRS_POL_ROV;
    a->filters = pol & MRS_POL_FILTER;
    a->aspa = a->aspa_verify = pol & MRS_POL_ASPA;
    a->otc = pol & MRS_POL_OTC;
}

unsigned mrs_pnet_policy(const mrs_pnet *g, uint32_t i) { return g->pol[i]; }

int mrs_pnet_set_published_aspa(mrs_pnet *g, const mrs_rpki *published)
{
    if (g->clone)
        return -1;
    size_t n = mrs_rpki_aspa_count(published), words = 0;
    for (size_t i = 0; i < n; i++) {
        const uint32_t *pv;
        size_t np;
        mrs_rpki_aspa_at(published, i, &pv, &np);
        words += 2 + np;
    }
    uint32_t *v = malloc((words ? words : 1) * sizeof *v);
    if (!v)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const uint32_t *pv;
        size_t np;
        v[k] = mrs_rpki_aspa_at(published, i, &pv, &np);
        v[k + 1] = (uint32_t)np;
        memcpy(v + k + 2, pv, np * sizeof *pv);
        k += 2 + np;
    }
    free(g->pub);
    g->pub = v;
    g->n_pub = words;
    g->pub_records = n;
    g->aspa_dirty = true;
    return 0;
}

void mrs_pnet_set_partial_transit(mrs_pnet *g, uint32_t p, uint32_t c) { g->w.as[p].pt_cust = c; }

void mrs_pnet_set_prepend(mrs_pnet *g, uint32_t i, unsigned n) { g->w.as[i].prepend = (uint8_t)(n > 3 ? 3 : n); }

const char *mrs_prun_status_text(mrs_prun_status s)
{
    switch (s) {
    case MRS_PRUN_OK: return "ok";
    case MRS_PRUN_MEMORY: return "out of memory";
    case MRS_PRUN_SAME_AS: return "the culprit is the legitimate origin";
    case MRS_PRUN_NO_ROUTE: return "the leaker has no route to the prefix";
    case MRS_PRUN_NOT_A_LEAK: return "the leaker learns the route from a customer (or originates it): passing it on "
                                     "is no leak";
    case MRS_PRUN_NOWHERE: return "the leaker has no other provider or peer to leak to";
    }
    return "?";
}

/* ----------------------------------------------------------------- routing */

/* The ASPA records of the adopters: each publishes its providers (and siblings,
 * which carry each other's routes everywhere). */
static int aspa_sync(mrs_pnet *g)
{
    if (!g->aspa_dirty)
        return 0;
    mrs_rpki_free(g->aspa);
    g->aspa = NULL;
    g->n_aspa = 0;
    sim_world *w = &g->w;
    for (size_t k = 0; k < g->n_pub; k += 2 + g->pub[k + 1]) {
        if (!g->aspa && !(g->aspa = mrs_rpki_new()))
            return -1;
        if (mrs_rpki_add_aspa(g->aspa, g->pub[k], g->pub + k + 2, g->pub[k + 1]) < 0)
            return -1;
        g->n_aspa++;
    }
    for (uint32_t i = 0; i < w->n; i++)
        if (g->pol[i] & MRS_POL_ASPA) {
            if (!g->aspa && !(g->aspa = mrs_rpki_new()))
                return -1;
            const sim_as *a = &w->as[i];
            uint32_t buf[256], *pv = buf;
            size_t np = (size_t)a->n_prov + a->n_sib;
            if (np > 256 && !(pv = malloc(np * sizeof *pv)))
                return -1;
            const uint32_t *pr = sim_providers(w, i), *sb = sim_siblings(w, i);
            for (uint32_t j = 0; j < a->n_prov; j++)
                pv[j] = w->as[pr[j]].asn;
            for (uint32_t j = 0; j < a->n_sib; j++)
                pv[a->n_prov + j] = w->as[sb[j]].asn;
            int rc = mrs_rpki_add_aspa(g->aspa, a->asn, pv, np);
            if (pv != buf)
                free(pv);
            if (rc < 0)
                return -1;
            g->n_aspa++;
        }
    if (g->aspa && mrs_rpki_build(g->aspa) < 0)
        return -1;
    g->aspa_dirty = false;
    return 0;
}

mrs_prun_status mrs_pnet_run(mrs_pnet *g, const mrs_pincident *inc, mrs_poutcome *out)
{
    sim_world *w = &g->w;
    memset(out, 0, sizeof *out);
    uint32_t X = inc->culprit, O = inc->origin;
    if (X == O)
        return MRS_PRUN_SAME_AS;
    if (sim_scratch(w) < 0 || aspa_sync(g) < 0)
        return MRS_PRUN_MEMORY;
    w->aspa = g->n_aspa ? g->aspa : NULL;
    w->oom = false;
    g->multi = false;
    sim_source *S = g->S;
    memset(S, 0, 2 * sizeof *S);
    if (O != MRS_PNET_NONE && inc->kind != MRS_PINC_SUBPREFIX)
        sim_legit_source(w, O, inc->legit_invalid, &g->legit_seed, g->legit_tail, &S[0]);
    else
        S[0].entitle_all = true;    /* no competing route (a more specific has none) */
    unsigned n_seeds = 0, tail_n = 0;
    const sim_as *x = &w->as[X];
    size_t need = inc->kind == MRS_PINC_LEAK ? (size_t)x->n_prov + x->n_peer : 1;
    if (need > g->cap_seeds) {
        sim_seed *ns = realloc(g->seeds, need * sizeof *ns);
        if (!ns)
            return MRS_PRUN_MEMORY;
        g->seeds = ns;
        g->cap_seeds = need;
    }
    if (inc->kind == MRS_PINC_LEAK) {
        if (O == MRS_PNET_NONE)
            return MRS_PRUN_NO_ROUTE;
        if (sim_route(w, S, 1) < 0)
            return MRS_PRUN_MEMORY;
        if (w->cls[X] == C_NONE)
            return MRS_PRUN_NO_ROUTE;
        if (w->cls[X] <= C_CUST)
            return MRS_PRUN_NOT_A_LEAK;
        unsigned to = inc->leak_to ? inc->leak_to : MRS_LEAK_TO_PROVIDERS | MRS_LEAK_TO_PEERS;
        n_seeds = sim_leak_seeds(w, &S[0], X, to & MRS_LEAK_TO_PROVIDERS, to & MRS_LEAK_TO_PEERS, g->seeds,
                                 (unsigned)need, g->tail, &tail_n);
        if (!tail_n)
            return MRS_PRUN_NO_ROUTE;
        if (!n_seeds)
            return MRS_PRUN_NOWHERE;
    } else {
        if (inc->kind == MRS_PINC_FORGED && O != MRS_PNET_NONE)
            g->tail[tail_n++] = w->as[O].asn; /* path "X O": a link that does not exist */
        g->seeds[0] = (sim_seed){X, SIM_NONE, C_ORIGIN, (uint8_t)(1 + tail_n), 0};
        n_seeds = 1;
    }
    sim_mark_cone_up(w, O, g->stack);
    S[1].seeds = g->seeds;
    S[1].n_seeds = n_seeds;
    S[1].tail = g->tail;
    S[1].tail_n = tail_n;
    S[1].invalid = inc->culprit_invalid;
    S[1].entitled = w->mark;
    if (sim_route(w, S, 2) < 0)
        return MRS_PRUN_MEMORY;
    for (uint32_t v = 0; v < w->n; v++) {
        if (w->cls[v] == C_NONE)
            continue;
        out->routed++;
        if (w->src[v] == 1)
            out->captured += v != X;
        else
            out->legit++;
    }
    return MRS_PRUN_OK;
}

mrs_prun_status mrs_pnet_run_origins(mrs_pnet *g, const uint32_t *origins, unsigned n)
{
    sim_world *w = &g->w;
    if (n > MRS_PNET_MAX_ORIGINS)
        n = MRS_PNET_MAX_ORIGINS;
    if (sim_scratch(w) < 0 || aspa_sync(g) < 0)
        return MRS_PRUN_MEMORY;
    w->aspa = g->n_aspa ? g->aspa : NULL;
    w->oom = false;
    sim_seed sd[MRS_PNET_MAX_ORIGINS];
    uint32_t tails[MRS_PNET_MAX_ORIGINS][4];
    sim_source S[MRS_PNET_MAX_ORIGINS];
    for (unsigned k = 0; k < n; k++)
        sim_legit_source(w, origins[k], false, &sd[k], tails[k], &S[k]);
    if (sim_route(w, S, n) < 0)
        return MRS_PRUN_MEMORY;
    memset(g->S, 0, sizeof g->S); /* the sources are gone: paths are not kept */
    g->multi = true;
    return MRS_PRUN_OK;
}

int mrs_pnet_source(const mrs_pnet *g, uint32_t i)
{
    const sim_world *w = &g->w;
    if (!w->cls || w->cls[i] == C_NONE)
        return -1;
    return w->src[i];
}

int mrs_pnet_choice(const mrs_pnet *g, uint32_t i)
{
    const sim_world *w = &g->w;
    if (!w->cls || w->cls[i] == C_NONE)
        return 0;
    return w->src[i] == 1 ? 2 : 1;
}

unsigned mrs_pnet_route_class(const mrs_pnet *g, uint32_t i)
{
    const sim_world *w = &g->w;
    return w->cls ? w->cls[i] : C_NONE;
}

uint32_t mrs_pnet_next_hop(const mrs_pnet *g, uint32_t i)
{
    const sim_world *w = &g->w;
    if (!w->cls || w->cls[i] == C_NONE)
        return MRS_PNET_NONE;
    return w->nh[i] == SIM_NONE ? MRS_PNET_NONE : w->nh[i];
}

unsigned mrs_pnet_incident_tail(const mrs_pnet *g, const uint32_t **asns)
{
    *asns = g->S[1].tail;
    return g->S[1].tail_n;
}

unsigned mrs_pnet_path(const mrs_pnet *g, uint32_t i, uint32_t *out, unsigned max)
{
    if (!g->w.cls || g->multi)
        return 0;
    return sim_path(&g->w, g->S, i, out, max);
}

/* ------------------------------------------------------------ p2c cycles */

/* Tarjan's strongly connected components over customer -> provider links,
 * iteratively: the ASes of components with more than one AS (or a self link). */
size_t mrs_pnet_p2c_cycles(const mrs_pnet *g, uint32_t *example)
{
    const sim_world *w = &g->w;
    uint32_t n = w->n;
    uint32_t *idx = malloc(n * sizeof *idx), *low = malloc(n * sizeof *low), *stk = malloc(n * sizeof *stk);
    uint32_t *cs = malloc(n * sizeof *cs), *ci = malloc(n * sizeof *ci);
    uint8_t *on = calloc(n, 1);
    size_t found = 0;
    if (example)
        *example = 0;
    if (!idx || !low || !stk || !cs || !ci || !on)
        goto done;
    for (uint32_t v = 0; v < n; v++)
        idx[v] = UINT32_MAX;
    uint32_t counter = 0, sp = 0;
    for (uint32_t r = 0; r < n; r++) {
        if (idx[r] != UINT32_MAX)
            continue;
        uint32_t csp = 0;
        cs[csp] = r;
        ci[csp++] = 0;
        idx[r] = low[r] = counter++;
        stk[sp++] = r;
        on[r] = 1;
        while (csp) {
            uint32_t v = cs[csp - 1];
            if (ci[csp - 1] < w->as[v].n_prov) {
                uint32_t u = sim_providers(w, v)[ci[csp - 1]++];
                if (idx[u] == UINT32_MAX) {
                    idx[u] = low[u] = counter++;
                    stk[sp++] = u;
                    on[u] = 1;
                    cs[csp] = u;
                    ci[csp++] = 0;
                } else if (on[u] && idx[u] < low[v]) {
                    low[v] = idx[u];
                }
                continue;
            }
            csp--;
            if (csp && low[v] < low[cs[csp - 1]])
                low[cs[csp - 1]] = low[v];
            if (low[v] == idx[v]) {
                size_t size = 0;
                uint32_t u;
                do {
                    u = stk[--sp];
                    on[u] = 0;
                    size++;
                } while (u != v);
                if (size > 1) {
                    if (!found && example)
                        *example = w->as[v].asn;
                    found += size;
                }
            }
        }
    }
done:
    free(idx);
    free(low);
    free(stk);
    free(cs);
    free(ci);
    free(on);
    return found;
}
