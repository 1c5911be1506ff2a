/*
 * sim_route.c — policy routing in the simulated world and what the collectors see.
 *
 * sim_route computes every network's best route for one prefix among competing
 * sources (the legitimate origin, an incident) with Gao–Rexford policies
 * (Gao & Rexford 2001; the export rules behind RFC 7908's leak definition):
 * a route learned from a customer (or originated) is exported to everybody, one
 * from a peer or provider only to customers; preference customer > peer > provider,
 * then the shortest AS path, then the lowest neighbour ASN. Three phases, each a
 * bucket queue by path length: customer routes climb provider links, then one peer
 * hop, then provider routes descend customer links. A network refuses a route that
 * holds its own ASN (loop), an RPKI-invalid route if it enforces ROV (RFC 6811 §5),
 * and from a customer a route the customer is not entitled to (prefix outside the
 * customer cone's space, or a bogon ASN in the path) if it filters customers.
 *
 * sim_baseline routes every origin once (all its prefixes share the tree) and keeps
 * each collector peer's path; sim_incidents injects the incidents through the same
 * router and records ground truth and the update events each collector peer sees;
 * sim_churn adds background flaps and a collector session reset.
 */
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/bogon.h"
#include "manrs/kb/rpki.h"
#include "manrs/core/grow.h"
#include "manrs/core/search.h"
#include "sim_internal.h"

int sim_scratch(sim_world *w)
{
    if (w->cls)
        return 0;
    size_t n = w->n;
    w->cls = malloc(n);
    w->len = malloc(n);
    w->src = malloc(n);
    w->seeded = malloc(n);
    w->done = malloc(n);
    w->mark = calloc(n, 1);
    w->nh = malloc(n * sizeof *w->nh);
    w->otcv = malloc(n * sizeof *w->otcv);
    return w->cls && w->len && w->src && w->seeded && w->done && w->mark && w->nh && w->otcv ? 0 : -1;
}

void sim_scratch_free(sim_world *w)
{
    free(w->cls);
    free(w->len);
    free(w->src);
    free(w->seeded);
    free(w->done);
    free(w->mark);
    free(w->nh);
    free(w->otcv);
    for (unsigned i = 0; i < SIM_MAXLEN; i++)
        free(w->bk[i]);
}

static int push(sim_world *w, unsigned l, uint32_t v)
{
    if (l >= SIM_MAXLEN)
        return 0;
    uint32_t *nb = mrs_grow(w->bk[l], &w->bkcap[l], w->bkn[l] + 1, sizeof *nb, 256);
    if (!nb) {
        w->oom = true;
        return -1;
    }
    w->bk[l] = nb;
    w->bk[l][w->bkn[l]++] = v;
    return 0;
}

/* ASPA verification at v of the route `from` offers (draft-ietf-sidrops-aspa-verification
 * §5.5 upstream for a route from a customer or peer, §5.6 downstream from a provider):
 * only in worlds that carry ASPA records (w->aspa; the simulator's own worlds do not
 * verify, `manrs whatif --action aspa` does). The path is the one v would receive:
 * the sender's route, or the seed's tail for a seeded route. */
static bool aspa_accepts(const sim_world *w, const sim_source *srcs, unsigned s, uint32_t from, unsigned cls,
                         bool seed)
{
    uint32_t path[SIM_MAXLEN];
    unsigned n;
    if (seed) {
        const sim_source *S = &srcs[s];
        n = S->tail_n < SIM_MAXLEN ? S->tail_n : SIM_MAXLEN;
        memcpy(path, S->tail, n * sizeof *path);
    } else {
        n = sim_path(w, srcs, from, path, SIM_MAXLEN);
    }
    if (!n)
        return true;
    mrs_aspa_direction dir = cls == C_PROV ? MRS_ASPA_DOWNSTREAM : MRS_ASPA_UPSTREAM;
    return mrs_aspa_verify(w->aspa, path, n, false, dir, NULL) != MRS_ASPA_INVALID;
}

static bool accept(const sim_world *w, const sim_source *srcs, unsigned s, uint32_t v, uint32_t from, unsigned cls,
                   bool seed)
{
    const sim_source *S = &srcs[s];
    const sim_as *a = &w->as[v];
    if (from == SIM_NONE)
        return true; /* originated here (the tail may hold its own prepends) */
    for (unsigned i = 0; i < S->tail_n; i++)
        if (S->tail[i] == a->asn)
            return false; /* AS_PATH loop (RFC 4271 §9.1.2) */
    if (a->rov && S->invalid)
        return false;
    if (from != SIM_NONE && cls == C_CUST && a->filters && !S->entitle_all) {
        if (S->bogon_path || !S->entitled || !S->entitled[from])
            return false;
    }
    if (w->aspa && a->aspa_verify && !aspa_accepts(w, srcs, s, from, cls, seed))
        return false;
    return true;
}

/* Offer a route to v; returns true if v took it. */
static bool offer(sim_world *w, const sim_source *srcs, unsigned s, uint32_t v, unsigned cls, unsigned len,
                  uint32_t from, bool seed, uint32_t seed_otc)
{
    if (len >= SIM_MAXLEN || cls > w->cls[v])
        return false;
    if (cls > w->cls[v])
        return false;
    if (cls == w->cls[v]) {
        if (len > w->len[v])
            return false;
        if (len == w->len[v]) {
            uint32_t a = from == SIM_NONE ? 0 : w->as[from].asn;
            uint32_t b = w->nh[v] == SIM_NONE ? 0 : w->as[w->nh[v]].asn;
            if (a >= b)
                return false;
        }
    }
    /* only a better route is checked against the link state and the receiver's policy */
    if ((from == w->cut_a && v == w->cut_b) || (from == w->cut_b && v == w->cut_a))
        return false;
    if (!accept(w, srcs, s, v, from, cls, seed))
        return false;
    /* RFC 9234 §5: the OTC on the wire (the sender's, or added on egress to a customer
     * or peer), ingress checks, and the value added on ingress from a provider or peer */
    uint32_t wire = 0, fasn = from == SIM_NONE ? 0 : w->as[from].asn;
    bool down_or_peer = cls == C_PROV || cls == C_PEER;
    if (seed)
        wire = seed_otc;
    else if (from != SIM_NONE)
        wire = w->otcv[from] ? w->otcv[from] : (w->as[from].otc && down_or_peer ? fasn : 0);
    if (w->as[v].otc && wire && (cls == C_CUST || (cls == C_PEER && wire != fasn)))
        return false; /* a route leak: ineligible */
    w->otcv[v] = wire ? wire : (w->as[v].otc && down_or_peer ? fasn : 0);
    w->cls[v] = (uint8_t)cls;
    w->len[v] = (uint8_t)len;
    w->nh[v] = from;
    w->src[v] = (uint8_t)s;
    w->seeded[v] = seed;
    return true;
}

int sim_route(sim_world *w, const sim_source *srcs, unsigned n_src)
{
    if (sim_scratch(w) < 0)
        return -1;
    if (w->sum)
        w->sum->route_runs++;
    unsigned n = w->n;
    memset(w->cls, C_NONE, n);
    memset(w->len, 0xff, n);
    memset(w->seeded, 0, n);
    memset(w->done, 0, n);
    for (unsigned i = 0; i < n; i++)
        w->nh[i] = SIM_NONE;
    for (unsigned l = 0; l < SIM_MAXLEN; l++)
        w->bkn[l] = 0;
    for (unsigned s = 0; s < n_src; s++)
        for (unsigned k = 0; k < srcs[s].n_seeds; k++) {
            const sim_seed *sd = &srcs[s].seeds[k];
            if (offer(w, srcs, s, sd->at, sd->cls, sd->len, sd->from, true, sd->otc) && sd->cls <= C_CUST)
                if (push(w, sd->len, sd->at) < 0)
                    return -1;
        }
    /* phase 1: customer routes climb to providers */
    for (unsigned l = 0; l < SIM_MAXLEN; l++)
        for (size_t k = 0; k < w->bkn[l]; k++) {
            uint32_t v = w->bk[l][k];
            if (w->done[v] || w->len[v] != l || w->cls[v] > C_CUST)
                continue;
            w->done[v] = 1;
            const uint32_t *pr = sim_providers(w, v);
            /* partial transit: the provider keeps this customer's routes from its own providers */
            uint32_t np = w->as[v].pt_cust != SIM_NONE && w->nh[v] == w->as[v].pt_cust ? 0 : w->as[v].n_prov;
            for (uint32_t j = 0; j < np; j++)
                if (offer(w, srcs, w->src[v], pr[j], C_CUST, l + 1, v, false, 0))
                    if (push(w, l + 1, pr[j]) < 0)
                        return -1;
            /* a sibling takes its organisation's own and customer routes as a customer's */
            const uint32_t *sb = sim_siblings(w, v);
            for (uint32_t j = 0; j < w->as[v].n_sib; j++)
                if (offer(w, srcs, w->src[v], sb[j], C_CUST, l + 1, v, false, 0))
                    if (push(w, l + 1, sb[j]) < 0)
                        return -1;
        }
    /* phase 2: one hop across peering links */
    for (uint32_t v = 0; v < n; v++) {
        if (w->cls[v] > C_CUST)
            continue;
        const uint32_t *pe = sim_peers(w, v);
        for (uint32_t j = 0; j < w->as[v].n_peer; j++)
            offer(w, srcs, w->src[v], pe[j], C_PEER, w->len[v] + 1u, v, false, 0);
    }
    /* phase 3: everything descends to customers */
    memset(w->done, 0, n);
    for (unsigned l = 0; l < SIM_MAXLEN; l++)
        w->bkn[l] = 0;
    for (uint32_t v = 0; v < n; v++)
        if (w->cls[v] != C_NONE && push(w, w->len[v], v) < 0)
            return -1;
    for (unsigned l = 0; l < SIM_MAXLEN; l++)
        for (size_t k = 0; k < w->bkn[l]; k++) {
            uint32_t v = w->bk[l][k];
            if (w->done[v] || w->len[v] != l)
                continue;
            w->done[v] = 1;
            const uint32_t *cu = sim_customers(w, v);
            /* customers and then siblings (which take anything else as from a provider) */
            for (uint32_t j = 0; j < w->as[v].n_cust + w->as[v].n_sib; j++)
                if (offer(w, srcs, w->src[v], cu[j], C_PROV, l + 1, v, false, 0))
                    if (push(w, l + 1, cu[j]) < 0)
                        return -1;
        }
    return w->oom ? -1 : 0;
}

unsigned sim_path(const sim_world *w, const sim_source *srcs, uint32_t v, uint32_t *out, unsigned max)
{
    if (w->cls[v] == C_NONE)
        return 0;
    unsigned k = 0;
    for (;;) {
        if (k >= max)
            return 0;
        out[k++] = w->as[v].asn;
        if (w->seeded[v]) {
            const sim_source *S = &srcs[w->src[v]];
            for (unsigned i = 0; i < S->tail_n; i++) {
                if (k >= max)
                    return 0;
                out[k++] = S->tail[i];
            }
            return k;
        }
        v = w->nh[v];
        if (v == SIM_NONE)
            return 0;
    }
}

void sim_legit_source(const sim_world *w, uint32_t o, bool invalid, sim_seed *sd, uint32_t tail[4], sim_source *S)
{
    const sim_as *a = &w->as[o];
    unsigned np = a->prepend < 4 ? a->prepend : 3;
    for (unsigned i = 0; i < np; i++)
        tail[i] = a->asn;
    *sd = (sim_seed){o, SIM_NONE, C_ORIGIN, (uint8_t)(1 + np), 0};
    memset(S, 0, sizeof *S);
    S->seeds = sd;
    S->n_seeds = 1;
    S->tail = tail;
    S->tail_n = np;
    S->entitle_all = true;
    S->invalid = invalid;
}

/* ------------------------------------------------------------------ collectors */

typedef struct deg_item {
    uint32_t v;
    uint32_t score;
} deg_item;

static int cmp_deg_item(const void *x, const void *y)
{
    const deg_item *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->v < b->v ? -1 : a->v > b->v;
}

/* Collector peers: the best-connected networks (Tier-1 and big transit, as at RIS and
 * Route Views), with some randomness so that not only the clique is seen. */
static int choose_peers(sim_world *w)
{
    unsigned np = w->par.collectors * w->par.peers_per_collector;
    deg_item *d = malloc(w->n * sizeof *d);
    w->peer = malloc(np * sizeof *w->peer);
    if (!d || !w->peer) {
        free(d);
        return -1;
    }
    for (uint32_t v = 0; v < w->n; v++) {
        const sim_as *a = &w->as[v];
        uint32_t deg = a->n_cust * 4 + a->n_peer + a->n_prov;
        d[v].v = v;
        d[v].score = deg * (8 + sim_below(w, 8)) + sim_below(w, 16);
    }
    qsort(d, w->n, sizeof *d, cmp_deg_item);
    for (unsigned k = 0; k < np; k++)
        w->peer[k] = d[k].v;
    w->n_peers = np;
    free(d);
    return 0;
}

static int bpool_add(sim_world *w, const uint32_t *path, unsigned n)
{
    uint32_t *np = sim_grow(w, w->bpool, &w->cap_bpool, w->n_bpool + n, sizeof *np);
    if (!np)
        return -1;
    w->bpool = np;
    memcpy(np + w->n_bpool, path, n * sizeof *path);
    w->n_bpool += n;
    return 0;
}

int sim_baseline(sim_world *w)
{
    if (choose_peers(w) < 0)
        return -1;
    size_t cells = (size_t)w->n * 2 * w->n_peers;
    w->boff = malloc(cells * sizeof *w->boff);
    w->botc = calloc(cells, sizeof *w->botc);
    w->blen = calloc(cells, 1);
    if (!w->boff || !w->blen || !w->botc)
        return -1;
    uint32_t path[SIM_MAXLEN];
    for (uint32_t o = 0; o < w->n; o++) {
        const sim_as *a = &w->as[o];
        for (unsigned variant = 0; variant < 2 && a->pfx_n; variant++) {
            if (variant == 1 && !a->roa_inv)
                break;
            sim_seed sd;
            sim_source S;
            uint32_t tail[4];
            sim_legit_source(w, o, variant == 1, &sd, tail, &S);
            if (sim_route(w, &S, 1) < 0)
                return -1;
            for (unsigned k = 0; k < w->n_peers; k++) {
                unsigned len = sim_path(w, &S, w->peer[k], path, SIM_MAXLEN);
                size_t c = sim_bcell(w, o, variant, k);
                w->boff[c] = (uint32_t)w->n_bpool;
                w->blen[c] = (uint8_t)len;
                w->botc[c] = len ? w->otcv[w->peer[k]] : 0;
                if (len && bpool_add(w, path, len) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ events */

static sim_event *new_event(sim_world *w, uint32_t ts, unsigned peer, unsigned kind, const mrs_prefix *p)
{
    sim_event *ne = sim_grow(w, w->ev, &w->cap_ev, w->n_ev + 1, sizeof *ne);
    if (!ne)
        return NULL;
    w->ev = ne;
    sim_event *e = &ne[w->n_ev];
    memset(e, 0, sizeof *e);
    e->ts = ts;
    e->usec = sim_below(w, 1000000);
    e->seq = (uint32_t)w->n_ev;
    e->peer = (uint16_t)peer;
    e->kind = (uint8_t)kind;
    if (p)
        e->p = *p;
    w->n_ev++;
    return e;
}

int sim_event_path(sim_world *w, uint32_t ts, unsigned peer, const mrs_prefix *p, const uint32_t *path, unsigned n,
                   uint32_t otc, uint32_t comm)
{
    size_t off = w->n_evpool;
    if (n) { /* a withdrawal has no path */
        uint32_t *np = sim_grow(w, w->evpool, &w->cap_evpool, off + n, sizeof *np);
        if (!np)
            return -1;
        w->evpool = np;
        memcpy(np + off, path, n * sizeof *path);
        w->n_evpool += n;
    }
    sim_event *e = new_event(w, ts, peer, n ? 0 : 1, p);
    if (!e)
        return -1;
    e->path_off = (uint32_t)off;
    e->path_len = n;
    e->otc = n ? otc : 0;
    e->comm = n ? comm : 0;
    return 0;
}

static int event_path(sim_world *w, uint32_t ts, unsigned peer, const mrs_prefix *p, const uint32_t *path,
                      unsigned n, uint32_t otc)
{
    return sim_event_path(w, ts, peer, p, path, n, otc, 0);
}

/* Propagation delay to a collector peer: about 1.5 s per AS hop plus jitter. */
uint32_t sim_delay(sim_world *w, unsigned hops) { return 1 + (hops * 3) / 2 + sim_below(w, 3); }
static uint32_t delay(sim_world *w, unsigned hops) { return sim_delay(w, hops); }

/* ------------------------------------------------------------------ incidents */

const char *mrs_sim_class_name(unsigned cls)
{
    static const char *const names[MRS_SIM_CLASSES] = {"route-leak",     "hijack-origin", "hijack-subprefix",
                                                       "hijack-path",    "bogon-prefix",  "bogon-asn",
                                                       "rpki-invalid"};
    return cls < MRS_SIM_CLASSES ? names[cls] : "unknown";
}

/* Mark the networks entitled to send the owner's space as a customer route: the
 * owner and everybody that has it in its customer cone. */
void sim_mark_cone_up(sim_world *w, uint32_t owner, uint32_t *stack)
{
    memset(w->mark, 0, w->n);
    if (owner == SIM_NONE)
        return;
    size_t sp = 0;
    stack[sp++] = owner;
    w->mark[owner] = 1;
    while (sp) {
        uint32_t v = stack[--sp];
        const uint32_t *pr = sim_providers(w, v);
        for (uint32_t j = 0; j < w->as[v].n_prov; j++)
            if (!w->mark[pr[j]]) {
                w->mark[pr[j]] = 1;
                stack[sp++] = pr[j];
            }
        const uint32_t *sb = sim_siblings(w, v);
        for (uint32_t j = 0; j < w->as[v].n_sib; j++)
            if (!w->mark[sb[j]]) {
                w->mark[sb[j]] = 1;
                stack[sp++] = sb[j];
            }
    }
}

typedef struct inc_plan {
    unsigned cls, leak_type;
    uint32_t culprit, owner, legit_origin;  /* legit_origin: SIM_NONE if no competing route */
    mrs_prefix prefix;
    uint32_t tail[SIM_MAXLEN];
    unsigned tail_n;
    uint32_t origin_asn;                     /* origin on the incident path */
    uint8_t legit_variant;                   /* the legitimate route is RPKI-invalid */
    sim_seed seeds[SIM_MAX_LEAK_SEEDS], legit_seed;
    uint32_t legit_tail[4];
    unsigned n_seeds;
    bool bogon_path;
    const char *note;
} inc_plan;

static uint32_t pick_culprit(sim_world *w, bool allow_stub)
{
    if (w->forcing)
        return w->forced;   /* a participant that lapses this month */
    for (unsigned t = 0; t < 200; t++) {
        uint32_t v = sim_below(w, w->n);
        const sim_as *a = &w->as[v];
        if (a->kind == K_T1 || (!allow_stub && a->kind == K_STUB))
            continue;
        if (a->manrs && sim_unit(w) < 0.9)
            continue;
        if (!a->n_prov)
            continue;
        return v;
    }
    return SIM_NONE;
}

static bool prefix_used(const mrs_set64 *used, const mrs_prefix *p) { return mrs_set64_has(used, sim_prefix_key(p)); }

/* A random announced prefix of v. */
static const sim_pfx *any_prefix(sim_world *w, uint32_t v)
{
    const sim_as *a = &w->as[v];
    if (!a->pfx_n)
        return NULL;
    const sim_pfx *p = &w->pfx[a->pfx_first + sim_below(w, a->pfx_n)];
    return p->conf ? NULL : p; /* a confounder's prefix is left alone */
}

/* Preferably one with room for a more specific. */
static const sim_pfx *roomy_prefix(sim_world *w, uint32_t v)
{
    const sim_pfx *p = NULL;
    for (unsigned t = 0; t < 8 && (!p || p->p.len >= (p->p.afi == MRS_AFI_IPV4 ? 24 : 48)); t++)
        p = any_prefix(w, v);
    return p;
}

/* A /24 (or /48) inside p that nobody announces and no announced prefix of the
 * owner covers except possibly p itself. */
bool sim_hole_in(sim_world *w, const mrs_prefix *p, mrs_prefix *out)
{
    unsigned hl = p->afi == MRS_AFI_IPV4 ? 24 : 48;
    if (p->len >= hl)
        return false;
    for (unsigned t = 0; t < 32; t++) {
        mrs_prefix q = *p;
        q.len = (uint8_t)hl;
        unsigned bits = hl - p->len;
        uint32_t r = sim_rand(w) & ((bits >= 32 ? 0xffffffffu : (1u << bits) - 1));
        r |= 1; /* odd /24s and /48s are holes by construction (sim_world.c) */
        unsigned byte = hl / 8 - 1;
        for (unsigned b = 0; b < bits && b < 24; b += 8, byte--) {
            uint8_t mask = (uint8_t)(bits - b >= 8 ? 0xff : (1u << (bits - b)) - 1);
            q.addr[byte] = (uint8_t)((q.addr[byte] & ~mask) | ((r >> b) & mask));
        }
        if (!mrs_prefix_covers(p, &q))
            continue;
        bool clash = false;
        for (unsigned l = p->len + 1; l <= hl && !clash; l++) {
            mrs_prefix c = q;
            c.len = (uint8_t)l;
            mrs_prefix_mask(&c);
            clash = mrs_set64_has(&w->announced, sim_prefix_key(&c));
        }
        if (!clash) {
            *out = q;
            return true;
        }
    }
    return false;
}

static bool adjacent(const sim_world *w, uint32_t a, uint32_t b)
{
    const uint32_t *nb = sim_providers(w, a);
    uint32_t n = w->as[a].n_prov + w->as[a].n_peer + w->as[a].n_cust + w->as[a].n_sib;
    for (uint32_t j = 0; j < n; j++)
        if (nb[j] == b)
            return true;
    return false;
}

/* Is v in top's customer cone (top reachable from v over provider links)? */
static bool in_cone(const sim_world *w, uint32_t top, uint32_t v)
{
    uint8_t *seen = calloc(w->n, 1);
    uint32_t *stack = malloc(w->n * sizeof *stack);
    bool found = false;
    size_t sp = 0;
    if (seen && stack) {
        stack[sp++] = v;
        seen[v] = 1;
        while (sp && !found) {
            uint32_t x = stack[--sp];
            const uint32_t *pr = sim_providers(w, x);
            for (uint32_t j = 0; j < w->as[x].n_prov && !found; j++) {
                found = pr[j] == top;
                if (!seen[pr[j]]) {
                    seen[pr[j]] = 1;
                    stack[sp++] = pr[j];
                }
            }
        }
    }
    free(seen);
    free(stack);
    return found;
}

/* A hijacker unrelated to its victim: a customer announcing space of its provider
 * (provider-assigned space) and a provider announcing its customer's are what the
 * observatory calls legitimate (docs/observe.md "Hijacks"), so the ground truth
 * must not call them hijacks. */
static bool related(const sim_world *w, uint32_t a, uint32_t b)
{
    return w->as[a].org == w->as[b].org || in_cone(w, a, b) || in_cone(w, b, a);
}

unsigned sim_leak_seeds(sim_world *w, const sim_source *base, uint32_t X, bool to_prov, bool to_peer, sim_seed *seeds,
                        unsigned max, uint32_t *tail, unsigned *tail_n)
{
    unsigned k = sim_path(w, base, X, tail, SIM_MAXLEN), n = 0;
    *tail_n = k;
    if (!k)
        return 0;
    uint32_t learned = w->nh[X];
    for (int side = 0; side < 2; side++) {
        if (!(side == 0 ? to_prov : to_peer))
            continue;
        const uint32_t *nb = side == 0 ? sim_providers(w, X) : sim_peers(w, X);
        unsigned nn = side == 0 ? w->as[X].n_prov : w->as[X].n_peer;
        for (unsigned j = 0; j < nn && n < max; j++) {
            if (nb[j] == learned)
                continue;
            sim_seed *s = &seeds[n++];
            s->at = nb[j];
            s->from = X;
            s->cls = side == 0 ? C_CUST : C_PEER;
            s->len = (uint8_t)(k + 1);
            s->otc = w->otcv[X]; /* the leaked route keeps the OTC it had at the leaker */
        }
    }
    return n;
}

static bool plan_incident(sim_world *w, unsigned cls, unsigned sub, inc_plan *pl, const mrs_set64 *used,
                          sim_source *base)
{
    memset(pl, 0, sizeof *pl);
    pl->cls = cls;
    pl->legit_origin = SIM_NONE;
    pl->owner = SIM_NONE;
    uint32_t X = pick_culprit(w, true);
    if (X == SIM_NONE)
        return false;
    pl->culprit = X;
    pl->origin_asn = w->as[X].asn;
    switch (cls) {
    case INC_HIJACK_ORIGIN:
    case INC_HIJACK_PATH: {
        uint32_t V = sim_below(w, w->n);
        if (V == X || adjacent(w, X, V))
            return false; /* a forged link must not exist (else the path is real) */
        if (cls == INC_HIJACK_ORIGIN && related(w, X, V))
            return false;
        const sim_pfx *p = any_prefix(w, V);
        if (!p || prefix_used(used, &p->p))
            return false;
        pl->prefix = p->p;
        pl->legit_variant = p->inv;
        pl->owner = pl->legit_origin = V;
        if (cls == INC_HIJACK_PATH) {
            pl->tail[pl->tail_n++] = w->as[V].asn; /* forged origin: path X V (Type-1) */
            pl->origin_asn = w->as[V].asn;
        }
        break;
    }
    case INC_HIJACK_SUB: {
        uint32_t V = sim_below(w, w->n);
        if (sub == 0) { /* 2008 YouTube shape: a content network's space */
            pl->note = "youtube-2008";
            for (unsigned t = 0; t < 100 && w->as[V].kind != K_CONTENT; t++)
                V = sim_below(w, w->n);
        }
        if (V == X || related(w, X, V))
            return false;
        const sim_pfx *p = roomy_prefix(w, V);
        if (!p || !sim_hole_in(w, &p->p, &pl->prefix) || prefix_used(used, &pl->prefix))
            return false;
        pl->owner = V;
        break;
    }
    case INC_BOGON_PREFIX: {
        static const uint8_t v4[][3] = {{10, 0, 8}, {172, 16, 12}, {192, 168, 16}, {100, 64, 10}, {198, 18, 15}};
        mrs_prefix q;
        memset(&q, 0, sizeof q);
        if (sub % 4 == 3) { /* fd00::/8 unique local, RFC 4193 */
            q.afi = MRS_AFI_IPV6;
            q.len = 48;
            q.addr[0] = 0xfd;
            q.addr[1] = (uint8_t)sim_rand(w);
            q.addr[2] = (uint8_t)sim_rand(w);
            q.addr[3] = (uint8_t)sim_rand(w);
        } else {
            unsigned k = sim_below(w, 5);
            q.afi = MRS_AFI_IPV4;
            q.len = (uint8_t)(sim_unit(w) < 0.5 ? 24 : 16 + sim_below(w, 8));
            if (q.len < v4[k][2])
                q.len = v4[k][2];
            uint32_t a = (uint32_t)v4[k][0] << 24 | (uint32_t)v4[k][1] << 16;
            uint32_t span = v4[k][2] >= 32 ? 0 : (1u << (32 - v4[k][2])) - 1;
            a |= sim_rand(w) & span;
            a &= q.len ? ~((1u << (32 - q.len)) - 1) : 0;
            q.addr[0] = (uint8_t)(a >> 24);
            q.addr[1] = (uint8_t)(a >> 16);
            q.addr[2] = (uint8_t)(a >> 8);
            q.addr[3] = (uint8_t)a;
        }
        if (prefix_used(used, &q))
            return false;
        pl->prefix = q;
        break;
    }
    case INC_BOGON_ASN: {
        /* a customer with a private (or otherwise reserved) ASN behind X, not stripped */
        static const uint32_t bog[][2] = {{64512, 65534}, {4200000000u, 4294967294u}, {65552, 131071},
                                          {23456, 23456}, {64496, 64511}};
        unsigned k = sub % 5;
        uint32_t B = bog[k][0] + sim_below(w, bog[k][1] - bog[k][0] + 1);
        const sim_pfx *p = roomy_prefix(w, X);
        if (!p || !sim_hole_in(w, &p->p, &pl->prefix) || prefix_used(used, &pl->prefix))
            return false;
        pl->tail[pl->tail_n++] = B;
        pl->origin_asn = B;
        pl->owner = X;
        pl->bogon_path = true;
        break;
    }
    case INC_RPKI_INVALID: {
        /* fat finger: a /24 inside space whose holder has a ROA for the block but does
         * not announce that part */
        for (unsigned t = 0; t < 400; t++) {
            const sim_alloc *al = &w->alloc[sim_below(w, (uint32_t)w->n_alloc)];
            if (al->owner == X || al->announced || !al->agg_roa)
                continue;
            if (!sim_hole_in(w, &al->p, &pl->prefix) || prefix_used(used, &pl->prefix))
                continue;
            pl->owner = al->owner;
            break;
        }
        if (pl->owner == SIM_NONE)
            return false;
        break;
    }
    case INC_LEAK: {
        /* RFC 7908 §3: 1 hairpin (provider -> provider), 2 lateral (peer -> peer),
         * 3 provider -> peer, 4 peer -> provider */
        unsigned type = 1 + sub % 4;
        pl->leak_type = type;
        unsigned from_cls = type == 1 || type == 3 ? C_PROV : C_PEER;
        bool to_prov = type == 1 || type == 4;
        const sim_as *L = NULL;
        for (unsigned t = 0; t < 400; t++, X = pick_culprit(w, true)) {
            if (X == SIM_NONE)
                return false;
            L = &w->as[X];
            if (L->otc) { /* an RFC 9234 speaker would not leak */
                L = NULL;
                continue;
            }
            if ((type == 1 && L->n_prov >= 2) || (type == 2 && L->n_peer >= 2) ||
                ((type == 3 || type == 4) && L->n_prov >= 1 && L->n_peer >= 1))
                break;
            L = NULL;
        }
        if (!L)
            return false;
        pl->culprit = X;
        for (unsigned t = 0; t < 12; t++) {
            uint32_t O = sim_below(w, w->n);
            if (from_cls == C_PEER) {
                /* an origin in a peer's customer cone: L most likely learns it from that peer */
                O = sim_peers(w, X)[sim_below(w, L->n_peer)];
                for (unsigned d = sim_below(w, 4); d > 0 && w->as[O].n_cust; d--)
                    O = sim_customers(w, O)[sim_below(w, w->as[O].n_cust)];
            }
            if (O == X)
                continue;
            const sim_pfx *p = any_prefix(w, O);
            if (!p || prefix_used(used, &p->p))
                continue;
            sim_seed sd;
            uint32_t ptail[4];
            sim_legit_source(w, O, p->inv, &sd, ptail, base);
            if (sim_route(w, base, 1) < 0)
                return false;
            if (w->cls[X] != from_cls)
                continue;
            pl->n_seeds = sim_leak_seeds(w, base, X, to_prov, !to_prov, pl->seeds, SIM_MAX_LEAK_SEEDS, pl->tail, &pl->tail_n);
            if (!pl->tail_n)
                continue;
            if (!pl->n_seeds)
                continue;
            pl->prefix = p->p;
            pl->legit_variant = p->inv;
            pl->owner = pl->legit_origin = O;
            pl->origin_asn = w->as[O].asn;
            return true;
        }
        return false;
    }
    default: return false;
    }
    sim_seed *s = &pl->seeds[pl->n_seeds++];
    s->at = X;
    s->from = SIM_NONE;
    s->cls = C_ORIGIN;
    s->len = (uint8_t)(1 + pl->tail_n);
    return true;
}

/* Route one planned incident against the legitimate route; fills the collector
 * peers' paths before (legit, llen) and during (inc_path, ilen) the incident. */
static int route_plan(sim_world *w, inc_plan *pl, sim_source S[2], uint32_t *legit, uint8_t *llen,
                      uint32_t *inc_path, uint8_t *ilen, uint32_t *otc, uint32_t *stack, unsigned *visible)
{
    memset(S, 0, 2 * sizeof *S);
    if (pl->legit_origin != SIM_NONE)
        sim_legit_source(w, pl->legit_origin, pl->legit_variant, &pl->legit_seed, pl->legit_tail, &S[0]);
    memset(llen, 0, w->n_peers);
    if (pl->legit_origin != SIM_NONE)
        for (unsigned k = 0; k < w->n_peers; k++) {
            size_t c = sim_bcell(w, pl->legit_origin, pl->legit_variant, k);
            llen[k] = w->blen[c];
            otc[2 * k] = w->botc[c];
            memcpy(legit + k * SIM_MAXLEN, w->bpool + w->boff[c], llen[k] * sizeof *legit);
        }
    sim_mark_cone_up(w, pl->owner, stack);
    S[1].seeds = pl->seeds;
    S[1].n_seeds = pl->n_seeds;
    S[1].tail = pl->tail;
    S[1].tail_n = pl->tail_n;
    S[1].invalid = sim_rpki_state(w, &pl->prefix, pl->origin_asn) == RPKI_INVALID;
    S[1].bogon_path = pl->bogon_path;
    S[1].entitled = w->mark;
    if (sim_route(w, S, 2) < 0)
        return -1;
    *visible = 0;
    for (unsigned k = 0; k < w->n_peers; k++) {
        ilen[k] = (uint8_t)sim_path(w, S, w->peer[k], inc_path + k * SIM_MAXLEN, SIM_MAXLEN);
        otc[2 * k + 1] = ilen[k] ? w->otcv[w->peer[k]] : 0;
        if (ilen[k] && w->src[w->peer[k]] == 1)
            (*visible)++;
    }
    return 0;
}

/* What injecting incidents needs besides the world: scratch buffers and the
 * prefixes already used. */
typedef struct inc_ctx {
    uint32_t T0, last_end;
    uint32_t *stack, *legit, *inc_path, *otc;
    uint8_t *llen, *ilen, *prop;
    mrs_set64 used;
    sim_source base;
} inc_ctx;

/* Plan, route and record one incident of class cls (sub: its variant); a plan that
 * no collector peer would see is tried again (16 attempts). Returns 0 (also when
 * no plan worked: nothing recorded), -1 when out of memory. lapse: the culprit is
 * the participant in w->forced (64 attempts). */
static int inject(sim_world *w, inc_ctx *x, unsigned cls, unsigned sub, bool lapse)
{
    uint32_t T0 = x->T0, last_end = x->last_end;
    uint32_t *stack = x->stack, *legit = x->legit, *inc_path = x->inc_path, *otc = x->otc;
    uint8_t *llen = x->llen, *ilen = x->ilen, *prop = x->prop;
    int rc = 0;
    inc_plan pl;
    bool have = false;
    unsigned visible = 0;
    sim_source S[2];
    bool fresh = false; /* w's routing state is that of pl */
    for (unsigned attempt = 0; attempt < (lapse ? 64u : 16u) && rc == 0; attempt++) {
        inc_plan tmp;
        if (!plan_incident(w, cls, sub, &tmp, &x->used, &x->base)) {
            if (w->oom)
                rc = -1;
            if (cls == INC_LEAK)
                fresh = false; /* leak planning routes the baseline */
            continue;
        }
        pl = tmp;
        if (route_plan(w, &pl, S, legit, llen, inc_path, ilen, otc, stack, &visible) < 0) {
            rc = -1;
            break;
        }
        have = fresh = true;
        if (visible)
            break;
    }
    if (have && rc == 0 && !fresh && route_plan(w, &pl, S, legit, llen, inc_path, ilen, otc, stack, &visible) < 0)
        rc = -1;
    if (!have || rc < 0)
        return rc;
    /* ground truth: who carried it */
    memset(prop, 0, w->n);
    for (uint32_t v = 0; v < w->n; v++)
        if (w->cls[v] != C_NONE && w->src[v] == 1 && w->nh[v] != SIM_NONE)
            prop[w->nh[v]] = 1; /* v took the incident route from nh[v] */
    for (unsigned k = 0; k < w->n_peers; k++)
        if (w->cls[w->peer[k]] != C_NONE && w->src[w->peer[k]] == 1)
            prop[w->peer[k]] = 1;
    prop[pl.culprit] = 0;
    sim_incident *ni = sim_grow(w, w->inc, &w->cap_inc, w->n_inc + 1, sizeof *ni);
    if (!ni)
        return -1;
    w->inc = ni;
    sim_incident *I = &ni[w->n_inc++];
    memset(I, 0, sizeof *I);
    I->cls = (uint8_t)cls;
    I->leak_type = (uint8_t)pl.leak_type;
    I->culprit = pl.culprit;
    I->victim = pl.owner != SIM_NONE && pl.owner != pl.culprit ? w->as[pl.owner].asn : 0;
    I->prefix = pl.prefix;
    I->note = pl.note;
    I->visible_peers = visible;
    unsigned np = 0;
    for (uint32_t v = 0; v < w->n; v++)
        np += prop[v] && w->src[v] == 1 && w->cls[v] != C_NONE;
    I->propagators = malloc((np ? np : 1) * sizeof *I->propagators);
    if (!I->propagators)
        return -1;
    for (uint32_t v = 0; v < w->n; v++)
        if (prop[v] && w->src[v] == 1 && w->cls[v] != C_NONE)
            I->propagators[I->n_prop++] = w->as[v].asn;
    qsort(I->propagators, I->n_prop, sizeof *I->propagators, mrs_cmp_u32);
    /* the accomplices a collector can see: the AS before the culprit on a peer's path */
    I->acc = malloc((w->n_peers ? w->n_peers : 1) * sizeof *I->acc);
    if (!I->acc)
        return -1;
    for (unsigned k = 0; k < w->n_peers; k++) {
        const uint32_t *b = inc_path + k * SIM_MAXLEN;
        if (!ilen[k] || w->src[w->peer[k]] != 1)
            continue;
        for (unsigned q = 1; q < ilen[k]; q++)
            if (b[q] == w->as[pl.culprit].asn) {
                bool known = false;
                for (unsigned z = 0; z < I->n_acc && !known; z++)
                    known = I->acc[z] == b[q - 1];
                if (!known && b[q - 1] != b[q])
                    I->acc[I->n_acc++] = b[q - 1];
                break;
            }
    }
    qsort(I->acc, I->n_acc, sizeof *I->acc, mrs_cmp_u32);
    mrs_set64_add(&x->used, sim_prefix_key(&pl.prefix));
    /* timing: short (< 30 min) and longer incidents, all inside the window */
    uint32_t span = last_end > T0 + 120 ? last_end - T0 - 120 : 1;
    uint32_t dur = sim_unit(w) < 0.5 ? 120 + sim_below(w, 1500) : 1800 + sim_below(w, 4 * 3600);
    if (dur > span / 2)
        dur = 60 + sim_below(w, span / 2);
    I->start = T0 + 60 + sim_below(w, span - dur);
    I->end = I->start + dur;
    /* what each collector peer sees */
    for (unsigned k = 0; k < w->n_peers && rc == 0; k++) {
        const uint32_t *a = legit + k * SIM_MAXLEN, *b = inc_path + k * SIM_MAXLEN;
        if (llen[k] == ilen[k] && !memcmp(a, b, llen[k] * sizeof *a))
            continue;
        rc = event_path(w, I->start + delay(w, ilen[k] ? ilen[k] : llen[k]), k, &pl.prefix, b, ilen[k],
                        otc[2 * k + 1]);
        if (rc == 0)
            rc = event_path(w, I->end + delay(w, llen[k] ? llen[k] : ilen[k]), k, &pl.prefix, a, llen[k],
                            otc[2 * k]);
    }
    if (w->sum) {
        w->sum->incidents++;
        w->sum->incidents_by_class[cls]++;
        w->sum->incidents_visible += visible > 0;
    }
    I->lapse = lapse;
    return rc;
}

/* The scratch buffers of inject(); 0 or -1 (memory). */
static int ctx_open(sim_world *w, inc_ctx *x)
{
    const mrs_sim_params *P = &w->par;
    memset(x, 0, sizeof *x);
    x->T0 = P->start;
    x->last_end = P->start + (uint32_t)(P->hours * 3600) - 420; /* the collector session reset comes after */
    x->stack = malloc(w->n * sizeof *x->stack);
    x->legit = malloc((size_t)w->n_peers * SIM_MAXLEN * sizeof *x->legit);
    x->llen = malloc(w->n_peers ? w->n_peers : 1);
    x->inc_path = malloc((size_t)w->n_peers * SIM_MAXLEN * sizeof *x->inc_path);
    x->ilen = malloc(w->n_peers ? w->n_peers : 1);
    x->otc = calloc(2 * (size_t)w->n_peers + 1, sizeof *x->otc); /* per peer: legitimate, incident */
    x->prop = malloc(w->n);
    mrs_set64_init(&x->used);
    x->base.entitle_all = true;
    return x->stack && x->legit && x->llen && x->inc_path && x->ilen && x->otc && x->prop ? 0 : -1;
}

static int ctx_close(sim_world *w, inc_ctx *x, int rc)
{
    if (x->used.oom)
        w->oom = true;
    mrs_set64_clear(&x->used);
    free(x->stack);
    free(x->legit);
    free(x->llen);
    free(x->inc_path);
    free(x->ilen);
    free(x->otc);
    free(x->prop);
    return rc < 0 || w->oom ? -1 : 0;
}

int sim_incidents(sim_world *w)
{
    inc_ctx x;
    int rc = ctx_open(w, &x);
    unsigned per = w->par.incidents;
    for (unsigned cls = 0; cls < MRS_SIM_CLASSES && rc == 0; cls++) {
        unsigned count = cls == INC_LEAK ? per * 4 : per;
        for (unsigned sub = 0; sub < count && rc == 0; sub++)
            rc = inject(w, &x, cls, sub, false);
    }
    return ctx_close(w, &x, rc);
}

int sim_lapses(sim_world *w)
{
    if (!w->n_lapsed)
        return 0;
    inc_ctx x;
    int rc = ctx_open(w, &x);
    for (size_t i = 0; i < w->n_inc && rc == 0; i++)
        if (!mrs_set64_add(&x.used, sim_prefix_key(&w->inc[i].prefix)) && x.used.oom)
            rc = -1;
    /* a generator of their own: every later draw (churn is done; the files' own
     * draws come after) is what it is in a month nobody lapses */
    uint64_t keep = w->rng;
    w->rng = w->par.seed * 0x9e3779b97f4a7c15ULL ^ 0x6c61707365ULL ^ (uint64_t)w->par.start << 17; /* "lapse" */
    for (uint32_t i = 0; i < w->n_lapsed && rc == 0; i++) {
        w->forced = w->lapsed[i];
        w->forcing = true;
        rc = inject(w, &x, INC_HIJACK_ORIGIN, 0, true);
        w->forcing = false;
    }
    w->rng = keep;
    return ctx_close(w, &x, rc);
}

/* Background noise: prefixes withdrawn by their origin and announced again. Then
 * one collector session resets near the end of the window (state changes, then the
 * peer's whole table again, RFC 4271 §8). */
/* Link failures: a multi-homed network loses one provider link for a while; every
 * origin whose path at some collector peer used the link is routed again without it
 * (still by policy, so the new paths are valley-free), and the peers see the new
 * paths, then the old ones when the link comes back. Origins with a prefix under an
 * incident are left alone, and their prefixes are kept out of other churn. */
static bool path_uses(const uint32_t *p, unsigned n, uint32_t x, uint32_t y)
{
    for (unsigned i = 0; i + 1 < n; i++)
        if ((p[i] == x && p[i + 1] == y) || (p[i] == y && p[i + 1] == x))
            return true;
    return false;
}

static int link_failures(sim_world *w, mrs_set64 *busy, uint32_t T0, uint32_t last_end)
{
    unsigned want = (unsigned)(w->n / 400.0 * w->par.hours + 0.5);
    uint8_t *aff = calloc(w->n, 1);
    uint32_t *path = malloc(SIM_MAXLEN * sizeof *path);
    int rc = aff && path ? 0 : -1;
    for (unsigned f = 0, tries = 0; f < want && tries < want * 20 && rc == 0; tries++) {
        uint32_t b = sim_below(w, w->n);
        if (w->as[b].kind == K_T1 || w->as[b].n_prov < 2)
            continue;
        uint32_t a = sim_providers(w, b)[sim_below(w, w->as[b].n_prov)];
        uint32_t A = w->as[a].asn, B = w->as[b].asn;
        /* which origins' collector paths cross the link, and are they free to change */
        memset(aff, 0, w->n);
        unsigned naff = 0;
        bool clash = false;
        for (uint32_t o = 0; o < w->n && !clash; o++)
            for (unsigned v = 0; v < 2 && !aff[o]; v++)
                for (unsigned k = 0; k < w->n_peers; k++) {
                    size_t c = sim_bcell(w, o, v, k);
                    if (w->blen[c] && path_uses(w->bpool + w->boff[c], w->blen[c], A, B)) {
                        aff[o] = 1;
                        naff++;
                        const sim_as *oa = &w->as[o];
                        for (uint32_t j = 0; j < oa->pfx_n && !clash; j++)
                            clash = mrs_set64_has(busy, sim_prefix_key(&w->pfx[oa->pfx_first + j].p));
                        break;
                    }
                }
        if (clash || !naff || naff > 64)
            continue; /* an incident prefix would move, or too big a failure for noise */
        uint32_t t = T0 + 30 + sim_below(w, last_end - T0 - 1000);
        uint32_t back = t + 60 + sim_below(w, 900);
        sim_failure *nf = sim_grow(w, w->fail, &w->cap_fail, w->n_fail + 1, sizeof *nf);
        if (!nf) {
            rc = -1;
            break;
        }
        w->fail = nf;
        sim_failure *F = &nf[w->n_fail++];
        *F = (sim_failure){a, b, t, back, 0};
        f++;
        for (uint32_t o = 0; o < w->n && rc == 0; o++) {
            if (!aff[o])
                continue;
            const sim_as *oa = &w->as[o];
            for (uint32_t j = 0; j < oa->pfx_n; j++)
                mrs_set64_add(busy, sim_prefix_key(&w->pfx[oa->pfx_first + j].p));
            for (unsigned v = 0; v < 2 && rc == 0; v++) {
                if (v == 1 && !oa->roa_inv)
                    break;
                sim_seed sd;
                sim_source S;
                uint32_t tail[4];
                sim_legit_source(w, o, v == 1, &sd, tail, &S);
                w->cut_a = a;
                w->cut_b = b;
                rc = sim_route(w, &S, 1);
                w->cut_a = w->cut_b = SIM_NONE;
                bool changed = false;
                for (unsigned k = 0; k < w->n_peers && rc == 0; k++) {
                    size_t c = sim_bcell(w, o, v, k);
                    unsigned len = sim_path(w, &S, w->peer[k], path, SIM_MAXLEN);
                    const uint32_t *old = w->bpool + w->boff[c];
                    if (len == w->blen[c] && !memcmp(path, old, len * sizeof *path))
                        continue;
                    changed = true;
                    for (uint32_t j = 0; j < oa->pfx_n && rc == 0; j++) {
                        const sim_pfx *p = &w->pfx[oa->pfx_first + j];
                        if (p->inv != v)
                            continue;
                        if (event_path(w, t + delay(w, len), k, &p->p, path, len, w->otcv[w->peer[k]]) < 0 ||
                            event_path(w, back + delay(w, w->blen[c]), k, &p->p, w->bpool + w->boff[c],
                                       w->blen[c], w->botc[c]) < 0)
                            rc = -1;
                    }
                }
                for (uint32_t j = 0; j < oa->pfx_n && changed; j++)
                    F->prefixes += w->pfx[oa->pfx_first + j].inv == v;
            }
        }
    }
    free(aff);
    free(path);
    return rc;
}

int sim_churn(sim_world *w)
{
    const mrs_sim_params *P = &w->par;
    uint32_t T0 = P->start, W = (uint32_t)(P->hours * 3600);
    uint32_t last_end = T0 + W - 420;
    /* prefixes that must not change under the incidents: no background event on them */
    mrs_set64 busy;
    mrs_set64_init(&busy);
    for (size_t i = 0; i < w->n_inc; i++)
        mrs_set64_add(&busy, sim_prefix_key(&w->inc[i].prefix));
    for (size_t i = 0; i < w->n_pfx; i++) /* confounders' prefixes keep their own story */
        if (w->pfx[i].conf)
            mrs_set64_add(&busy, sim_prefix_key(&w->pfx[i].p));
    int rc = link_failures(w, &busy, T0, last_end);
    double nflaps = P->churn * (double)w->n_pfx / 1000.0 * P->hours;
    unsigned flaps = (unsigned)(nflaps + 0.5);
    for (unsigned f = 0; f < flaps && w->n_pfx && rc == 0; f++) {
        const sim_pfx *p = &w->pfx[sim_below(w, (uint32_t)w->n_pfx)];
        uint32_t t = T0 + 30 + sim_below(w, last_end - T0 - 700);
        uint32_t back = t + 30 + sim_below(w, 600);
        if (!mrs_set64_add(&busy, sim_prefix_key(&p->p)))
            continue;
        for (unsigned k = 0; k < w->n_peers && rc == 0; k++) {
            size_t c = sim_bcell(w, p->owner, p->inv, k);
            unsigned len = w->blen[c];
            if (!len)
                continue;
            if (event_path(w, t + delay(w, len), k, &p->p, NULL, 0, 0) < 0 ||
                event_path(w, back + delay(w, len), k, &p->p, w->bpool + w->boff[c], len, w->botc[c]) < 0)
                rc = -1;
        }
    }
    if (busy.oom)
        w->oom = true;
    mrs_set64_clear(&busy);
    if (rc < 0)
        return -1;
    if (w->n_peers) {
        /* session reset of the last collector peer: Established -> Idle, then back */
        unsigned k = w->n_peers - 1;
        sim_event *e = new_event(w, T0 + W - 300, k, 2, NULL);
        if (!e)
            return -1;
        e->st_old = 6;
        e->st_new = 1;
        static const uint8_t up[][2] = {{1, 2}, {2, 4}, {4, 5}, {5, 6}};
        for (unsigned i = 0; i < 4; i++) {
            e = new_event(w, T0 + W - 240, k, 2, NULL);
            if (!e)
                return -1;
            e->usec = i * 1000;
            e->st_old = up[i][0];
            e->st_new = up[i][1];
        }
    }
    return w->oom ? -1 : 0;
}
