/*
 * sim_confound.c — confounders: legitimate routing that a naive observer takes for an
 * incident, as real data has it (issue 11). Each one is listed in truth.json
 * ("confounders": kind, prefix, the ASes involved, why it is legitimate) and never as
 * an incident; docs/sim.md "Confounders" gives the rates.
 *
 *   default-route      a collector peer sends 0.0.0.0/0 and ::/0 (RouteViews 2008)
 *   siblings           one organisation, several ASNs (sim_world.c add_siblings; as2org.txt)
 *   hybrid-link        p2c where routing happens, p2p at an exchange: as-rel shows the peering
 *   partial-transit    a provider keeps one customer's routes from its own providers
 *   asrel-misinferred  as-rel is an inference: p2p written as p2c or the reverse
 *   asrel-missing      ... and some links are not in it at all
 *   anycast            one prefix, 2-3 origins of one operator (siblings, or ROAs for each)
 *   pa-more-specific   a customer announces a /24 of its provider's block through it
 *   blackhole          RFC 7999: a /32 (/128) tagged 65535:666 from a customer to its provider
 *   ris-beacon         84.205.64.0/24.. from AS12654 on RIS's schedule over an IXP link
 *   research-beacon    another network's beacon on the same schedule, listed in beacons.txt
 *   ddos-protection    a scrubbing service originates a customer's prefix, with a ROA for it
 *
 * Assumes: the same generator as the rest of the world, so the world stays a function
 * of the seed; decisions are taken in index order. No global state.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

const char *sim_conf_kind_name(unsigned kind)
{
    static const char *const names[CF_KINDS] = {
        "default-route", "siblings", "hybrid-link", "partial-transit", "asrel-misinferred", "asrel-missing",
        "anycast", "pa-more-specific", "blackhole", "ris-beacon", "ddos-protection", "research-beacon"};
    return kind < CF_KINDS ? names[kind] : "unknown";
}

/* Rates of the as-rel inference errors (docs/sim.md): CAIDA validates its
 * relationships at ~99 % for p2c and ~95 % for p2p against reported ones, and sees
 * few backup and peering links. */
#define FLIP_P2P 0.03   /* p2p links written as p2c */
#define FLIP_P2C 0.03   /* p2c links written as p2p */
#define MISS_P2P 0.03   /* peering links not in as-rel */
#define MISS_P2C 0.015  /* backup provider links (customer multihomed) not in as-rel */

static uint32_t window_end(const sim_world *w) { return w->par.start + (uint32_t)(w->par.hours * 3600); }
/* Confounder events end before the incidents' limit (the collector reset comes after). */
static uint32_t last_time(const sim_world *w) { return window_end(w) - 420; }

static uint32_t index_of(const sim_world *w, uint32_t asn)
{
    for (uint32_t v = 0; v < w->n; v++)
        if (w->as[v].asn == asn)
            return v;
    return SIM_NONE;
}

static uint64_t pair_key(uint32_t a, uint32_t b) { return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a; }

static sim_conf *link_conf(sim_world *w, unsigned kind, uint32_t a, uint32_t b, int real, int written, const char *why)
{
    sim_conf *c = sim_add_conf(w, kind, why);
    if (c) {
        c->ases[0] = w->as[a].asn;
        c->ases[1] = w->as[b].asn;
        c->n_ases = 2;
        c->rel_real = (int8_t)real;
        c->rel_written = (int8_t)written;
    }
    return c;
}

/* ------------------------------------------------------------------ links */

int sim_confound_links(sim_world *w)
{
    mrs_set64 touched;
    mrs_set64_init(&touched);
    for (size_t i = 0; i < w->n_conf; i++) /* the sibling links */
        mrs_set64_add(&touched, pair_key(w->conf[i].ases[0], w->conf[i].ases[1]));
    int rc = 0;
    /* hybrid links: a regional carrier sells transit to a network in one region and
     * peers with it at an exchange in another; the inference sees the peering */
    unsigned want = !w->par.asrel_errors ? 0 : w->n_p2c / 100 ? w->n_p2c / 100 : 1;
    for (unsigned t = 0, got = 0; t < want * 30 && got < want && rc == 0; t++) {
        uint32_t v = sim_below(w, w->n);
        if (w->as[v].kind != K_TRANSIT || !w->as[v].n_cust)
            continue;
        uint32_t c = sim_customers(w, v)[sim_below(w, w->as[v].n_cust)];
        if ((w->as[c].kind == K_STUB && w->as[c].n_prov < 2) || !mrs_set64_add(&touched, pair_key(w->as[v].asn, w->as[c].asn)))
            continue;
        if (!link_conf(w, CF_HYBRID, v, c, -1, 0,
                       "provider-customer in one region (routing follows it), peers at an exchange elsewhere: "
                       "as-rel shows the peering"))
            rc = -1;
        got++;
    }
    /* partial transit: the provider carries the customer's routes to its own customers
     * and peers only (a region, a peering fabric), never upstream */
    want = w->n / 300 ? w->n / 300 : 1;
    for (unsigned t = 0, got = 0; t < want * 30 && got < want && rc == 0; t++) {
        uint32_t v = sim_below(w, w->n);
        if (w->as[v].kind != K_TRANSIT || !w->as[v].n_cust || !w->as[v].n_prov || w->as[v].pt_cust != SIM_NONE)
            continue;
        uint32_t c = sim_customers(w, v)[sim_below(w, w->as[v].n_cust)];
        if (w->as[c].n_prov < 2 || !mrs_set64_add(&touched, pair_key(w->as[v].asn, w->as[c].asn)))
            continue;
        w->as[v].pt_cust = c;
        if (!link_conf(w, CF_PARTIAL, v, c, -1, -1,
                       "partial transit: the provider sends the customer's routes to its customers and peers, "
                       "not to its own providers"))
            rc = -1;
        got++;
    }
    /* the inference's errors, per link in index order; the Tier-1 clique is right */
    for (uint32_t v = 0; v < w->n && rc == 0; v++) {
        const uint32_t *pe = sim_peers(w, v), *cu = sim_customers(w, v);
        for (uint32_t j = 0; j < w->as[v].n_peer && rc == 0; j++) {
            uint32_t u = pe[j];
            if (u < v || (w->as[u].kind == K_T1 && w->as[v].kind == K_T1))
                continue;
            double x = sim_unit(w);
            if (!w->par.asrel_errors)
                continue; /* off by default: docs/sim.md */
            if (x >= FLIP_P2P + MISS_P2P || !mrs_set64_add(&touched, pair_key(w->as[v].asn, w->as[u].asn)))
                continue;
            /* written as p2c, the bigger network as the provider */
            uint32_t hi = w->as[u].n_cust > w->as[v].n_cust ? u : v, lo = hi == u ? v : u;
            if (!link_conf(w, x < FLIP_P2P ? CF_ASREL_FLIP : CF_ASREL_MISSING, hi, lo, 0, x < FLIP_P2P ? -1 : 9,
                           x < FLIP_P2P ? "as-rel is an inference: a peering written as provider-customer"
                                        : "as-rel is an inference: a peering link it never saw"))
                rc = -1;
        }
        for (uint32_t j = 0; j < w->as[v].n_cust && rc == 0; j++) {
            uint32_t c = cu[j];
            double x = sim_unit(w);
            if (!w->par.asrel_errors)
                continue;
            bool miss = x >= FLIP_P2C && x < FLIP_P2C + MISS_P2C && w->as[c].n_prov >= 2;
            if ((x >= FLIP_P2C && !miss) || !mrs_set64_add(&touched, pair_key(w->as[v].asn, w->as[c].asn)))
                continue;
            if (!link_conf(w, miss ? CF_ASREL_MISSING : CF_ASREL_FLIP, v, c, -1, miss ? 9 : 0,
                           miss ? "as-rel is an inference: a backup provider link it never saw"
                                : "as-rel is an inference: a provider-customer link written as a peering"))
                rc = -1;
        }
    }
    if (touched.oom)
        rc = -1;
    mrs_set64_clear(&touched);
    return rc < 0 || w->oom ? -1 : 0;
}

/* ------------------------------------------------------------------ address space */

/* v's provider-assigned more specifics: 4 % of stubs announce a /24 of a provider's
 * announced block through that provider (the provider's own route covers it). Called
 * while v's prefixes are being made, so they stay in v's range of w->pfx. Two in five
 * start during the window (a new customer turned up). */
int sim_confound_own_space(sim_world *w, uint32_t v)
{
    const sim_as *a = &w->as[v];
    if (a->kind != K_STUB || !a->n_prov || sim_unit(w) >= 0.04)
        return 0;
    uint32_t P = sim_providers(w, v)[sim_below(w, a->n_prov)];
    const sim_as *pa = &w->as[P];
    for (unsigned t = 0; t < 32 && pa->pfx_n; t++) {
        const sim_pfx *pp = &w->pfx[pa->pfx_first + sim_below(w, pa->pfx_n)];
        if (pp->conf || pp->p.afi != MRS_AFI_IPV4 || pp->p.len >= 24)
            continue;
        mrs_prefix q;
        if (!sim_hole_in(w, &pp->p, &q))
            continue;
        if (sim_add_pfx(w, &q, v) < 0)
            return -1;
        sim_pfx *np = &w->pfx[w->n_pfx - 1];
        np->conf = 1;
        np->irr = 1; /* the customer's route object */
        uint32_t T0 = w->par.start, span = last_time(w) - T0 - 600;
        if (sim_unit(w) < 0.4)
            np->late = T0 + 60 + sim_below(w, span);
        sim_conf *c = sim_add_conf(w, CF_PA_SPECIFIC,
                                   "provider-assigned space: the customer announces a more specific of its "
                                   "provider's block through the provider");
        if (!c)
            return -1;
        c->has_prefix = true;
        c->prefix = q;
        c->ases[0] = pa->asn;
        c->ases[1] = a->asn;
        c->n_ases = 2;
        c->start = np->late;
        return 0;
    }
    return 0;
}

int sim_confound_space(sim_world *w, int phase)
{
    if (phase == 0) {
        /* anycast: a /24 of its own announced by 2-3 ASes of one operator - an
         * organisation's siblings (as2org says so, no ROA), or a content network and
         * other ASNs it uses abroad, each with a ROA */
        unsigned want = w->n / 500 ? w->n / 500 : 1;
        for (unsigned g = 0, t = 0; g < 2 * want && t < 200; t++) {
            bool sib = g % 2 == 0;
            uint32_t o[3];
            unsigned no = 0;
            if (sib) {
                size_t ci = SIM_NONE;
                for (size_t i = 0; i < w->n_conf; i++) /* the (g/2)-th organisation with siblings */
                    if (w->conf[i].kind == CF_SIBLINGS && (ci == SIM_NONE || w->conf[i].ases[0] != w->conf[ci].ases[0])) {
                        if (ci != SIM_NONE && no++ >= g / 2)
                            break;
                        ci = i;
                    }
                no = 0;
                if (ci == SIM_NONE)
                    break;
                uint32_t A = index_of(w, w->conf[ci].ases[0]);
                o[no++] = A;
                const uint32_t *sb = sim_siblings(w, A);
                for (uint32_t j = 0; j < w->as[A].n_sib && no < 3; j++)
                    o[no++] = sb[j];
            } else {
                uint32_t X = sim_below(w, w->n);
                if (w->as[X].kind != K_CONTENT || !w->as[X].n_prov)
                    continue;
                o[no++] = X;
                for (unsigned k = 1 + (sim_unit(w) < 0.5); k > 0; k--) {
                    uint32_t Y = sim_below(w, w->n);
                    if (Y != X && w->as[Y].kind != K_T1 && w->as[Y].n_prov)
                        o[no++] = Y;
                }
            }
            if (no < 2) {
                if (sib)
                    g += 2;
                continue;
            }
            mrs_prefix p;
            if (!sim_alloc_v4(w, w->as[o[0]].rir, 24, &p))
                break;
            if (sim_add_alloc(w, &p, o[0], true) < 0)
                return -1;
            mrs_set64_add(&w->announced, sim_prefix_key(&p));
            sim_conf *c = sim_add_conf(w, CF_ANYCAST,
                                       sib ? "anycast: one operator's prefix originated by its sibling ASes (as2org.txt)"
                                           : "anycast: one operator's prefix originated by several ASes, each with a ROA");
            if (!c)
                return -1;
            c->has_prefix = true;
            c->prefix = p;
            for (unsigned k = 0; k < no; k++)
                c->ases[k] = w->as[o[k]].asn;
            c->n_ases = no;
            c->rel_real = sib; /* remembered for phase 1: sibling variant, no ROAs */
            g++;
        }
        return w->oom ? -1 : 0;
    }
    /* phase 1 (allocations sorted): authorisations for other origins */
    for (size_t i = 0; i < w->n_conf; i++) {
        sim_conf *c = &w->conf[i];
        if (c->kind == CF_PA_SPECIFIC && sim_rpki_state(w, &c->prefix, c->ases[1]) == RPKI_INVALID) {
            /* the provider's ROAs cover its block: it issued one for its customer */
            if (sim_add_xroa(w, &c->prefix, 24, c->ases[1]) < 0)
                return -1;
        } else if (c->kind == CF_ANYCAST) {
            if (!c->rel_real)
                for (unsigned k = 0; k < c->n_ases; k++)
                    if (sim_add_xroa(w, &c->prefix, 24, c->ases[k]) < 0)
                        return -1;
            c->rel_real = 9;
        }
    }
    /* DDoS protection: a scrubbing service (content or transit network, unrelated to
     * the customer) originates the customer's RPKI-valid prefix during an attack; the
     * customer made a ROA for the service's AS beforehand */
    unsigned want = w->n / 700 ? w->n / 700 : 1;
    uint32_t T0 = w->par.start, lt = last_time(w);
    for (unsigned g = 0, t = 0; g < want && t < 400; t++) {
        uint32_t V = sim_below(w, w->n), S = sim_below(w, w->n);
        const sim_as *va = &w->as[V];
        if (va->kind == K_T1 || !va->pfx_n || S == V || w->as[S].org == va->org || w->as[S].kind == K_STUB ||
            w->as[S].kind == K_T1)
            continue;
        sim_pfx *p = &w->pfx[va->pfx_first + sim_below(w, va->pfx_n)];
        if (p->conf || sim_rpki_state(w, &p->p, va->asn) != RPKI_VALID)
            continue;
        if (sim_add_xroa(w, &p->p, p->p.len, w->as[S].asn) < 0)
            return -1;
        p->conf = 1;
        sim_conf *c = sim_add_conf(w, CF_DDOS, "DDoS protection: the scrubbing service originates its customer's "
                                               "prefix during an attack, with a ROA the customer made for it");
        if (!c)
            return -1;
        c->has_prefix = true;
        c->prefix = p->p;
        c->ases[0] = w->as[S].asn;
        c->ases[1] = va->asn;
        c->n_ases = 2;
        uint32_t dur = 600 + sim_below(w, 1800);
        uint32_t span = lt - T0 - 120;
        if (dur > span / 2)
            dur = span / 2;
        c->start = T0 + 60 + sim_below(w, span - dur);
        c->end = c->start + dur;
        g++;
    }
    return w->oom ? -1 : 0;
}

/* ------------------------------------------------------------------ routes */

static int add_xrib(sim_world *w, const mrs_prefix *p, unsigned peer, const uint32_t *path, unsigned n, uint32_t otc)
{
    sim_xrib *nx = sim_grow(w, w->xrib, &w->cap_xrib, w->n_xrib + 1, sizeof *nx);
    if (!nx)
        return -1;
    w->xrib = nx;
    uint32_t *np = sim_grow(w, w->evpool, &w->cap_evpool, w->n_evpool + n, sizeof *np);
    if (!np)
        return -1;
    w->evpool = np;
    memcpy(np + w->n_evpool, path, n * sizeof *path);
    sim_xrib *x = &nx[w->n_xrib++];
    x->p = *p;
    x->peer = (uint16_t)peer;
    x->path_off = (uint32_t)w->n_evpool;
    x->path_len = n;
    x->in_rib = x->at_end = true;
    x->otc = otc;
    w->n_evpool += n;
    return 0;
}

/* Every collector peer's path for the sources (after sim_route), into paths[k * SIM_MAXLEN],
 * and the OTC it holds into otc[k]. */
static unsigned peer_paths(sim_world *w, const sim_source *S, uint32_t *paths, uint8_t *len, uint32_t *otc)
{
    unsigned vis = 0;
    for (unsigned k = 0; k < w->n_peers; k++) {
        len[k] = (uint8_t)sim_path(w, S, w->peer[k], paths + (size_t)k * SIM_MAXLEN, SIM_MAXLEN);
        otc[k] = len[k] ? w->otcv[w->peer[k]] : 0;
        vis += len[k] > 0;
    }
    return vis;
}

static mrs_prefix v4(uint32_t a, unsigned len)
{
    mrs_prefix p;
    memset(&p, 0, sizeof p);
    p.afi = MRS_AFI_IPV4;
    p.len = (uint8_t)len;
    p.addr[0] = (uint8_t)(a >> 24);
    p.addr[1] = (uint8_t)(a >> 16);
    p.addr[2] = (uint8_t)(a >> 8);
    p.addr[3] = (uint8_t)a;
    return p;
}

static int default_route(sim_world *w)
{
    /* one peer's table holds a default from its upstream (RouteViews 2008: 20 421
     * "sub-prefix hijacks" from one peer's 0.0.0.0/0) */
    unsigned k = sim_below(w, w->n_peers);
    uint32_t v = w->peer[k], path[2] = {w->as[v].asn, 0};
    unsigned n = 1;
    uint32_t otc = 0;
    if (w->as[v].n_prov) {
        uint32_t pv = sim_providers(w, v)[0];
        path[n++] = w->as[pv].asn;
        if (w->as[pv].otc || w->as[v].otc) /* RFC 9234: set on the way down */
            otc = w->as[pv].asn;
    }
    for (unsigned fam = 0; fam < 2; fam++) {
        mrs_prefix p;
        memset(&p, 0, sizeof p);
        p.afi = fam ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        if (add_xrib(w, &p, k, path, n, otc) < 0)
            return -1;
        sim_conf *c = sim_add_conf(w, CF_DEFAULT, "a default route in a collector peer's table: covers everything, "
                                                  "announces nothing");
        if (!c)
            return -1;
        c->has_prefix = true;
        c->prefix = p;
        memcpy(c->ases, path, sizeof path);
        c->n_ases = n;
        c->visible_peers = 1;
    }
    return 0;
}

/* A beacon's schedule: announced at t = k period - off, withdrawn up seconds later. */
typedef struct beacon_sched {
    uint32_t period, off, up;
} beacon_sched;

/* One routing beacon: origin announces p on its schedule through collector peer N
 * (world AS index), which gives it transit over an exchange link no as-rel knows.
 * Listed in truth as kind. */
static int beacon(sim_world *w, uint32_t N, uint32_t origin, const mrs_prefix *p, const beacon_sched *bs,
                  unsigned kind, const char *why, uint32_t *paths, uint8_t *len, uint32_t *otc)
{
    uint32_t T0 = w->par.start, lt = last_time(w);
    uint32_t tail[1] = {origin};
    sim_seed sd = {N, SIM_NONE, C_CUST, 2, 0};
    sim_source S;
    memset(&S, 0, sizeof S);
    S.seeds = &sd;
    S.n_seeds = 1;
    S.tail = tail;
    S.tail_n = 1;
    S.entitle_all = true;
    if (sim_route(w, &S, 1) < 0)
        return -1;
    unsigned vis = peer_paths(w, &S, paths, len, otc);
    uint32_t ph = (T0 + bs->off) % bs->period;
    bool up0 = ph > 0 && ph < bs->up, up = up0;
    for (unsigned k = 0; k < w->n_peers && up; k++)
        if (len[k] && add_xrib(w, p, k, paths + (size_t)k * SIM_MAXLEN, len[k], otc[k]) < 0)
            return -1;
    for (uint32_t base = T0 - ph; base < lt; base += bs->period)
        for (unsigned e = 0; e < 2; e++) {
            uint32_t t = base + (e ? bs->up : 0);
            bool announce = e == 0;
            if (t < T0 || t >= lt || announce == up)
                continue;
            for (unsigned k = 0; k < w->n_peers; k++)
                if (len[k] && sim_event_path(w, t + sim_delay(w, len[k]), k, p, paths + (size_t)k * SIM_MAXLEN,
                                             announce ? len[k] : 0, otc[k], 0) < 0)
                    return -1;
            up = announce;
        }
    /* what the table holds at the end (sent again after the collector reset) */
    for (size_t i = 0; i < w->n_xrib; i++)
        if (mrs_prefix_equal(&w->xrib[i].p, p))
            w->xrib[i].at_end = up;
    for (unsigned k = 0; k < w->n_peers && up && !up0; k++) {
        if (!len[k])
            continue;
        if (add_xrib(w, p, k, paths + (size_t)k * SIM_MAXLEN, len[k], otc[k]) < 0)
            return -1;
        w->xrib[w->n_xrib - 1].in_rib = false;
    }
    sim_conf *cf = sim_add_conf(w, kind, why);
    if (!cf)
        return -1;
    cf->has_prefix = true;
    cf->prefix = *p;
    cf->ases[0] = origin;
    cf->ases[1] = w->as[N].asn;
    cf->n_ases = 2;
    cf->visible_peers = vis;
    return 0;
}

/* The research network that runs beacons besides its own routing: a stub with a
 * provider and prefixes of its own, in no incident (neither culprit nor holder of a
 * victim prefix), no collector peer; the first such from a random start. */
static uint32_t lab_network(sim_world *w)
{
    if (!w->n)
        return SIM_NONE;
    uint32_t s = sim_below(w, w->n);
    for (uint32_t k = 0; k < w->n; k++) {
        uint32_t v = (s + k) % w->n;
        const sim_as *a = &w->as[v];
        bool ok = a->n_cust == 0 && a->n_prov > 0 && a->pfx_n > 0 && a->n_sib == 0;
        for (unsigned i = 0; i < w->n_peers && ok; i++)
            ok = w->peer[i] != v;
        for (size_t i = 0; i < w->n_inc && ok; i++) {
            ok = w->inc[i].culprit != v;
            for (uint32_t j = 0; j < a->pfx_n && ok; j++)
                ok = !mrs_prefix_covers(&w->pfx[a->pfx_first + j].p, &w->inc[i].prefix) &&
                     !mrs_prefix_covers(&w->inc[i].prefix, &w->pfx[a->pfx_first + j].p);
        }
        if (ok)
            return v;
    }
    return SIM_NONE;
}

/* RIS routing beacons (ripe.net "RIS Routing Beacons"): collector c announces
 * 84.205.(64+c).0/24 and 2001:7fb:fe00+c::/48 from AS12654 at 00:00, 04:00, ... UTC
 * and withdraws them two hours later, through the collector's first peer at the
 * exchange. And a research network's beacons, which no built-in list knows
 * (SIM_LAB_BEACONS /24s from SIM_LAB_BEACON_PREFIX, originated by a stub network
 * of the world besides its own prefixes, each through another collector peer),
 * listed in beacons.txt for `observe --beacons`: up 20 minutes into the window for
 * an hour, every two hours, so that their links are new in the window (without
 * the list: forged paths over links that carry a fraction of the origin's
 * prefixes). */
static int beacons(sim_world *w, uint32_t *paths, uint8_t *len, uint32_t *otc)
{
    unsigned nb = w->par.collectors < 16 ? w->par.collectors : 16;
    beacon_sched ris = {14400, 0, 7200};
    for (unsigned c = 0; c < nb; c++) {
        uint32_t N = w->peer[c * w->par.peers_per_collector];   /* the collector's first peer */
        for (unsigned fam = 0; fam < 2; fam++) {
            mrs_prefix p;
            if (fam == 0)
                p = v4(0x54cd4000u + (c << 8), 24);
            else {
                memset(&p, 0, sizeof p);
                p.afi = MRS_AFI_IPV6;
                p.len = 48;
                p.addr[0] = 0x20, p.addr[1] = 0x01, p.addr[2] = 0x07, p.addr[3] = 0xfb;
                p.addr[4] = 0xfe, p.addr[5] = (uint8_t)c;
            }
            if (beacon(w, N, SIM_BEACON_AS, &p, &ris, CF_BEACON,
                       "RIS routing beacon: AS12654 announces and withdraws it on a schedule through a collector "
                       "peer at the exchange", paths, len, otc) != 0)
                return -1;
        }
    }
    /* the lab's draws come from a stream of their own: the rest of the world stays
     * what it was before the lab's beacons were simulated */
    uint64_t main_stream = w->rng;
    w->rng = w->par.seed ^ 0x6c61622d62656163ULL;   /* "lab-beac" */
    uint32_t L = lab_network(w);
    int rc = 0;
    beacon_sched lab = {7200, 7200 - (w->par.start + 1200) % 7200, 3600};
    for (unsigned b = 0; L != SIM_NONE && b < SIM_LAB_BEACONS && 1 + b < w->n_peers && rc == 0; b++) {
        mrs_prefix p = v4(SIM_LAB_BEACON_PREFIX + (b << 8), 24);
        rc = beacon(w, w->peer[1 + b], w->as[L].asn, &p, &lab, CF_LAB_BEACON,
                    "a research network's routing beacon (beacons.txt): announced and withdrawn on a schedule "
                    "through a collector peer at the exchange", paths, len, otc);
    }
    w->rng = main_stream;
    return rc;
}

/* Anycast: the origins compete like one prefix's sources; with three, the third site
 * comes up during the window. */
static int anycast(sim_world *w, sim_conf *c, uint32_t *paths, uint8_t *len, uint32_t *paths2, uint8_t *len2,
                   uint32_t *otc, uint32_t *otc2)
{
    uint32_t o[3];
    unsigned no = c->n_ases < 3 ? c->n_ases : 3;
    for (unsigned k = 0; k < no; k++)
        o[k] = index_of(w, c->ases[k]);
    sim_seed sd[3];
    uint32_t tail[3][4];
    sim_source S[3];
    for (unsigned k = 0; k < no; k++)
        sim_legit_source(w, o[k], false, &sd[k], tail[k], &S[k]);
    unsigned first = no == 3 ? 2 : no;
    if (sim_route(w, S, first) < 0)
        return -1;
    c->visible_peers = peer_paths(w, S, paths, len, otc);
    for (unsigned k = 0; k < w->n_peers; k++)
        if (len[k] && add_xrib(w, &c->prefix, k, paths + (size_t)k * SIM_MAXLEN, len[k], otc[k]) < 0)
            return -1;
    if (first == no)
        return 0;
    if (sim_route(w, S, no) < 0)
        return -1;
    peer_paths(w, S, paths2, len2, otc2);
    uint32_t T0 = w->par.start;
    c->start = T0 + 60 + sim_below(w, last_time(w) - T0 - 600);
    for (unsigned k = 0; k < w->n_peers; k++) {
        const uint32_t *a = paths + (size_t)k * SIM_MAXLEN, *b = paths2 + (size_t)k * SIM_MAXLEN;
        if (len[k] == len2[k] && !memcmp(a, b, len[k] * sizeof *a))
            continue;
        if (sim_event_path(w, c->start + sim_delay(w, len2[k]), k, &c->prefix, b, len2[k], otc2[k], 0) < 0)
            return -1;
        for (size_t i = 0; i < w->n_xrib; i++)
            if (w->xrib[i].peer == k && mrs_prefix_equal(&w->xrib[i].p, &c->prefix))
                w->xrib[i].at_end = false;
        if (len2[k]) {
            if (add_xrib(w, &c->prefix, k, b, len2[k], otc2[k]) < 0)
                return -1;
            w->xrib[w->n_xrib - 1].in_rib = false;
        }
    }
    return 0;
}

/* A prefix that starts during the window: every peer that will carry it hears of it. */
static int late_prefix(sim_world *w, const sim_pfx *p)
{
    for (unsigned k = 0; k < w->n_peers; k++) {
        size_t c = sim_bcell(w, p->owner, p->inv, k);
        if (w->blen[c] && sim_event_path(w, p->late + sim_delay(w, w->blen[c]), k, &p->p, w->bpool + w->boff[c],
                                         w->blen[c], w->botc[c], 0) < 0)
            return -1;
    }
    return 0;
}

/* DDoS protection: the service's origination competes with the customer's own
 * (which stays up) from start to end. */
static int ddos(sim_world *w, sim_conf *c, uint32_t *paths, uint8_t *len, uint32_t *otc)
{
    uint32_t S = index_of(w, c->ases[0]), V = index_of(w, c->ases[1]);
    sim_seed sd[2];
    uint32_t tail[4];
    sim_source src[2];
    sim_legit_source(w, V, false, &sd[0], tail, &src[0]);
    sd[1] = (sim_seed){S, SIM_NONE, C_ORIGIN, 1, 0};
    memset(&src[1], 0, sizeof src[1]);
    src[1].seeds = &sd[1];
    src[1].n_seeds = 1;
    src[1].entitle_all = true; /* its providers' filters know the service's customers (IRR) */
    if (sim_route(w, src, 2) < 0)
        return -1;
    peer_paths(w, src, paths, len, otc);
    for (unsigned k = 0; k < w->n_peers; k++) {
        size_t cell = sim_bcell(w, V, 0, k);
        const uint32_t *a = w->bpool + w->boff[cell], *b = paths + (size_t)k * SIM_MAXLEN;
        unsigned la = w->blen[cell];
        c->visible_peers += len[k] && w->src[w->peer[k]] == 1;
        if (la == len[k] && !memcmp(a, b, la * sizeof *a))
            continue;
        if (sim_event_path(w, c->start + sim_delay(w, len[k]), k, &c->prefix, b, len[k], otc[k], 0) < 0 ||
            sim_event_path(w, c->end + sim_delay(w, la), k, &c->prefix, a, la, w->botc[cell], 0) < 0)
            return -1;
    }
    return 0;
}

/* RFC 7999 blackholes: a customer under attack sends its provider a /32 (/128) of
 * its own space tagged BLACKHOLE; the provider drops the traffic and keeps the route
 * to itself (NO_EXPORT) - except towards a route collector, when it is a collector
 * peer. Two in three are picked behind a collector peer. */
static int blackholes(sim_world *w)
{
    unsigned want = w->n / 400 ? w->n / 400 : 2;
    uint32_t T0 = w->par.start, lt = last_time(w);
    uint8_t *is_peer = calloc(w->n, 1);
    if (!is_peer)
        return -1;
    for (unsigned k = 0; k < w->n_peers; k++)
        is_peer[w->peer[k]] = 1;
    int rc = 0;
    for (unsigned g = 0, t = 0; g < want && t < 2000 && rc == 0; t++) {
        uint32_t C = sim_below(w, w->n);
        const sim_as *ca = &w->as[C];
        if (ca->kind == K_T1 || !ca->n_prov || !ca->pfx_n)
            continue;
        unsigned seen = 0;
        for (uint32_t j = 0; j < ca->n_prov; j++)
            seen += is_peer[sim_providers(w, C)[j]];
        if ((g % 3 != 2) != (seen > 0))
            continue;
        sim_pfx *p = &w->pfx[ca->pfx_first + sim_below(w, ca->pfx_n)];
        if (p->conf || p->late)
            continue;
        mrs_prefix h = p->p;
        unsigned hl = h.afi == MRS_AFI_IPV4 ? 32 : 128;
        for (unsigned b = h.len; b < hl; b++) /* a random host of the prefix */
            if (sim_rand(w) & 1)
                h.addr[b / 8] |= (uint8_t)(0x80 >> (b % 8));
        h.len = (uint8_t)hl;
        p->conf = 1;
        uint32_t dur = 300 + sim_below(w, 3300), span = lt - T0 - 120;
        if (dur > span / 2)
            dur = span / 2;
        uint32_t start = T0 + 60 + sim_below(w, span - dur);
        sim_conf *c = sim_add_conf(w, CF_BLACKHOLE, "RFC 7999 blackhole: the customer's own host, tagged 65535:666 "
                                                    "towards its provider, which keeps it from other networks");
        if (!c) {
            rc = -1;
            break;
        }
        c->has_prefix = true;
        c->prefix = h;
        c->ases[0] = ca->asn;
        c->n_ases = 1;
        c->start = start;
        c->end = start + dur;
        for (uint32_t j = 0; j < ca->n_prov && rc == 0; j++) {
            uint32_t P = sim_providers(w, C)[j];
            if (c->n_ases < 4)
                c->ases[c->n_ases++] = w->as[P].asn;
            for (unsigned k = 0; k < w->n_peers && rc == 0; k++) {
                if (w->peer[k] != P)
                    continue;
                uint32_t path[2] = {w->as[P].asn, ca->asn};
                c->visible_peers++;
                if (sim_event_path(w, start + sim_delay(w, 2), k, &h, path, 2, 0, SIM_BLACKHOLE) < 0 ||
                    sim_event_path(w, start + dur + sim_delay(w, 2), k, &h, NULL, 0, 0, 0) < 0)
                    rc = -1;
            }
        }
        g++;
    }
    free(is_peer);
    return rc;
}

int sim_confound_routes(sim_world *w)
{
    if (!w->par.confounders || !w->n_peers)
        return 0;
    uint32_t *paths = malloc((size_t)w->n_peers * SIM_MAXLEN * 2 * sizeof *paths);
    uint8_t *len = malloc(2 * (size_t)w->n_peers);
    uint32_t *otc = malloc(2 * (size_t)w->n_peers * sizeof *otc);
    int rc = paths && len && otc ? 0 : -1;
    if (rc == 0)
        rc = default_route(w);
    if (rc == 0)
        rc = beacons(w, paths, len, otc);
    for (size_t i = 0; i < w->n_conf && rc == 0; i++) {
        sim_conf *c = &w->conf[i];
        if (c->kind == CF_ANYCAST)
            rc = anycast(w, c, paths, len, paths + (size_t)w->n_peers * SIM_MAXLEN, len + w->n_peers, otc,
                         otc + w->n_peers);
        else if (c->kind == CF_DDOS)
            rc = ddos(w, c, paths, len, otc);
    }
    for (size_t i = 0; i < w->n_pfx && rc == 0; i++)
        if (w->pfx[i].late)
            rc = late_prefix(w, &w->pfx[i]);
    for (size_t i = 0; i < w->n_conf && rc == 0; i++) /* how many peers carry a PA more specific */
        if (w->conf[i].kind == CF_PA_SPECIFIC) {
            uint32_t v = index_of(w, w->conf[i].ases[1]);
            for (unsigned k = 0; k < w->n_peers && v != SIM_NONE; k++)
                w->conf[i].visible_peers += w->blen[sim_bcell(w, v, 0, k)] > 0;
        }
    if (rc == 0)
        rc = blackholes(w);
    free(paths);
    free(len);
    free(otc);
    return rc < 0 || w->oom ? -1 : 0;
}
