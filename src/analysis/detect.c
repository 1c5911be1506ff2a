/*
 * detect.c — incident detectors over the routing view (see detect.h and
 * docs/observe.md for what each class means and why).
 *
 * Design (sized for >= 1 M prefixes x 30 peers): one linear pass over the view's
 * routes. Per-path verdicts (bogon ASN, valley-free leak, forged origin link) are
 * computed once per interned path and cached in an array indexed by path id; the
 * origin verdict takes a fast path (origin in the RIB baseline of the exact prefix
 * and not RPKI-invalid) and otherwise is computed once per (prefix, origin) and
 * memoised in an open-addressing table. Only routes that are incidents produce an
 * event; events are grouped by sorting (class, culprit, prefix, start) and merged
 * when they overlap in time. No allocation per route.
 *
 * Assumes the knowledge bases are built and the view closed (mrs_view_close_all).
 */
#include "manrs/analysis/detect.h"
#include "manrs/core/grow.h"
#include "manrs/core/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/hashset.h"
#include "manrs/core/map64.h"
#include "manrs/core/trie.h"

#define MAXPATH 512
#define CONE_WALK_MAX 4096   /* ASes visited by one in_cone_of walk */

void mrs_detect_cfg_default(mrs_detect_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->max_evidence = 8;
    c->use_otc = true;
}

/* ------------------------------------------------------------- incidents */

/* class names, mrs_incident_list_clear: src/analysis/incident.c */

/* ------------------------------------------------------------- context */

enum { PV_UNKNOWN = 0, PV_DONE = 1 };

typedef struct path_verdict {
    uint8_t state;
    uint8_t leak_type;
    uint8_t bogon;              /* a bogon ASN is in the path */
    uint32_t leaker;            /* valley-free violation: the leaker, else 0 */
    uint32_t bogon_culprit;     /* the AS next to the first bogon ASN (collector side) */
    uint32_t forged_culprit;    /* the AS adjacent to the origin over a non-existent link */
    uint32_t leak_from;         /* the leaker's neighbour it received the route from */
    uint32_t why;               /* leak: mrs_reason flags of how the valley was found */
    uint32_t maybe_leaker;      /* no leak: sent the route over a link as-rel lacks after a
                                   descent (mrs_vf_result.maybe_leaker) */
    uint32_t conflict_leaker;   /* the first valley, when it was seen before the window */
    uint8_t conflict_type;
} path_verdict;

/* origin verdicts; memoised as verdict | LOW << 7 | reasons << 8 */
enum { OV_LEGIT = 0, OV_HIJACK_ORIGIN, OV_HIJACK_SUB, OV_RPKI_INVALID };
#define OV_LOW 0x80u

/* prefix-pair key -> covering-relation verdict (core/map64.h) */
typedef mrs_map64 ov_map;

typedef struct event {
    uint32_t culprit;
    uint32_t prefix;
    uint32_t route;
    uint32_t s, e;
    uint32_t reasons;           /* mrs_reason flags */
    uint8_t cls;
    uint8_t leak_type;
    uint8_t conf;               /* mrs_confidence, or EV_CORROBORATES */
} event;

/* An event that is no finding by itself: the route went through a finding's culprit
 * and on over a link as-rel does not know, so it shows how far the finding's route
 * went (another collector peer's view) but proves nothing alone. */
#define EV_CORROBORATES 2

typedef struct det {
    const mrs_view *v;
    const mrs_detect_kb *kb;
    mrs_detect_cfg cfg;
    uint32_t *bl_off;           /* CSR: baseline origins per prefix id */
    uint32_t *bl_orig;
    mrs_trie *bl_trie;          /* baseline prefixes -> prefix id */
    mrs_set64 bl_links;         /* adjacencies seen in baseline paths */
    mrs_set64 bl_valleys;       /* valleys (from, leaker, to) of baseline paths, hashed */
    uint8_t *bl_path;           /* per path id: on a baseline route (BL_V4 / BL_V6 by family) */
    mrs_set64 default_peers;    /* collector peers that sent a default route */
    path_verdict *pv;
    ov_map ov;
    event *ev;
    size_t nev, capev;
    irr_origin_result irr_res;
    uint32_t buf[MAXPATH];
    uint32_t walk[CONE_WALK_MAX];   /* in_cone_of */
} det;

static uint64_t link_key(uint32_t a, uint32_t b)
{
    return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

/* Path flattened, prepends removed; returns the count. */
static size_t path_distinct(const mrs_view *v, uint32_t path, uint32_t *out, bool *has_set)
{
    size_t n = mrs_view_path_asns(v, path, out, MAXPATH, has_set);
    if (n > MAXPATH)
        n = MAXPATH;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || out[m - 1] != out[i])
            out[m++] = out[i];
    return m;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Default routes and prefixes too short for any real holder (IPv4 shorter than /8,
 * IPv6 shorter than /16): a collector peer that sends a default route would
 * otherwise "cover" every prefix announced later (issue 11: one RouteViews peer's
 * 0.0.0.0/0 made 20 421 sub-prefix hijacks). Never checked, never covering. */
static bool implausibly_short(const mrs_prefix *p)
{
    return p->len < (p->afi == MRS_AFI_IPV4 ? 8 : 16);
}

/* Routing beacons: prefixes announced and withdrawn on a schedule by research
 * networks, from route collectors that peer at IXPs over links no relationship
 * inference knows, and which the RIS peering policy asks peers to give transit
 * ("treat the beacon prefixes as normal customer prefixes"): a peer sending them
 * to its providers is doing what it was asked. The RIPE RIS beacons
 * (84.205.64.0/19, 2001:7fb:fe00::/40) and RIS anchors (93.175.144.0/20,
 * 2001:7fb:fd00::/40), all originated by AS12654: exempt from the leak, forged-path
 * and origin checks when AS12654 originates them (anyone else announcing them is
 * still checked; a bogon in their path is still a bogon). */
static bool ris_beacon(const mrs_prefix *p, uint32_t origin)
{
    if (origin != 12654)
        return false;
    const uint8_t *a = p->addr;
    if (p->afi == MRS_AFI_IPV4)
        return (a[0] == 84 && a[1] == 205 && (a[2] & 0xe0) == 64 && p->len >= 19) ||
               (a[0] == 93 && a[1] == 175 && (a[2] & 0xf0) == 144 && p->len >= 20);
    return p->len >= 40 && a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x07 && a[3] == 0xfb &&
           (a[4] == 0xfe || a[4] == 0xfd);
}

/* One organisation: an as-rel sibling link or the same org in as2org. */
static bool same_org(const det *d, uint32_t a, uint32_t b)
{
    if (a == b)
        return true;
    if (d->kb->asrel && mrs_asrel_rel(d->kb->asrel, a, b) == MRS_REL_S2S)
        return true;
    return d->kb->same_org && d->kb->same_org(d->kb->org_ctx, a, b);
}

/* A standing valley is keyed on (from, leaker): the leaker passing routes of that
 * neighbour up or sideways before the window, to whichever next AS. Keyed on the
 * whole triple, a link the inference got wrong (a customer link written as a
 * peering) showed every new path of that customer as a "new valley": with as-rel
 * written as an inference, a failover of AS211261 from AS174 to AS3356 made AS3257 a
 * "leaker" (simulated, 103 false leaks in one world). A hash collision can only make
 * a new valley look standing, i.e. lower a confidence, never raise one. */
static uint64_t valley_key(uint32_t from, uint32_t leaker)
{
    uint64_t k = mrs_mix64(((uint64_t)from << 32 | leaker) ^ 0x9e3779b97f4a7c15ull);
    return k == UINT64_MAX ? k - 1 : k;
}

static bool clip(const det *d, const mrs_view_route *r, uint32_t *s, uint32_t *e)
{
    uint32_t a = r->start, b = r->end;
    if (d->cfg.to && b > d->cfg.to)
        b = d->cfg.to;
    if (a < d->cfg.from)
        a = d->cfg.from;
    if (b < a)
        return false;
    *s = a;
    *e = b;
    return true;
}

enum { BL_V4 = 1, BL_V6 = 2 };

static int build_baseline(det *d)
{
    const mrs_view *v = d->v;
    size_t nr = mrs_view_route_count(v), np = mrs_view_prefix_count(v);
    size_t cnt = 0;
    for (size_t i = 0; i < nr; i++) {
        const mrs_view_route *r = mrs_view_route_at(v, i);
        if (r->start <= d->cfg.baseline_end && r->origin && !implausibly_short(mrs_view_prefix(v, r->prefix)))
            cnt++;
    }
    uint64_t *pairs = malloc((cnt ? cnt : 1) * sizeof *pairs);
    d->bl_off = calloc(np + 1, sizeof *d->bl_off);
    d->bl_path = calloc(mrs_view_path_count(v) + 1, 1);
    if (!pairs || !d->bl_off || !d->bl_path) {
        free(pairs);
        return -1;
    }
    cnt = 0;
    mrs_set64_init(&d->bl_links);
    uint32_t last_path = UINT32_MAX;
    for (size_t i = 0; i < nr; i++) {
        const mrs_view_route *r = mrs_view_route_at(v, i);
        if (r->start > d->cfg.baseline_end || implausibly_short(mrs_view_prefix(v, r->prefix)))
            continue;
        if (r->origin)
            pairs[cnt++] = (uint64_t)r->prefix << 32 | r->origin;
        d->bl_path[r->path] |= mrs_view_prefix(v, r->prefix)->afi == MRS_AFI_IPV6 ? BL_V6 : BL_V4;
        if (r->path != last_path) {   /* cheap de-duplication; the set does the rest */
            bool set = false;
            size_t n = path_distinct(v, r->path, d->buf, &set);
            for (size_t k = 1; k < n; k++)
                mrs_set64_add(&d->bl_links, link_key(d->buf[k - 1], d->buf[k]));
            last_path = r->path;
        }
    }
    qsort(pairs, cnt, sizeof *pairs, cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < cnt; i++)
        if (m == 0 || pairs[m - 1] != pairs[i])
            pairs[m++] = pairs[i];
    d->bl_orig = malloc((m ? m : 1) * sizeof *d->bl_orig);
    d->bl_trie = mrs_trie_new();
    if (!d->bl_orig || !d->bl_trie) {
        free(pairs);
        return -1;
    }
    for (size_t i = 0; i < m; i++) {
        uint32_t p = (uint32_t)(pairs[i] >> 32);
        d->bl_orig[i] = (uint32_t)pairs[i];
        d->bl_off[p + 1]++;
        if (i == 0 || (uint32_t)(pairs[i - 1] >> 32) != p)
            if (mrs_trie_insert(d->bl_trie, mrs_view_prefix(v, p), p) < 0) {
                free(pairs);
                return -1;
            }
    }
    for (size_t p = 0; p < np; p++)
        d->bl_off[p + 1] += d->bl_off[p];
    free(pairs);
    /* Best effort: an uncompacted trie answers the same, only slower. */
    (void)mrs_trie_compact(d->bl_trie);
    return 0;
}

static bool bl_has(const det *d, uint32_t prefix, uint32_t origin)
{
    for (uint32_t i = d->bl_off[prefix]; i < d->bl_off[prefix + 1]; i++)
        if (d->bl_orig[i] == origin)
            return true;
    return false;
}

static bool asrel_known(const mrs_asrel *r, uint32_t a)
{
    const uint32_t *x;
    return mrs_asrel_providers(r, a, &x) + mrs_asrel_customers(r, a, &x) + mrs_asrel_peers(r, a, &x) +
               mrs_asrel_siblings(r, a, &x) >
           0;
}

/* Bogon ASNs (RFC 7607/6996/5398/7300/6793, IANA reserved) anywhere in the path,
 * AS_SET members included (an aggregator that keeps private ASNs of its customers in
 * the set, e.g. "31200 {50923,65014,65111}", shows them to the world). The culprit
 * is the network next to the first bogon on the collector side — it should have
 * stripped or refused it; for a bogon inside an AS_SET, the AS before the set (the
 * aggregator). 0 when the bogon is the collector peer itself. */
static bool bogon_in_path(mrs_as_path ap, uint32_t *culprit)
{
    uint32_t i = 0, count, prev = 0;
    unsigned type;
    const uint32_t *asns;
    *culprit = 0;
    while (mrs_as_path_next_segment(ap, &i, &type, &count, &asns)) {
        bool seq = type == MRS_SEG_AS_SEQUENCE;
        if (!seq && type != MRS_SEG_AS_SET)
            continue;   /* confederation segments never leave the confederation */
        for (uint32_t k = 0; k < count; k++) {
            if (mrs_bogon_asn(asns[k], NULL)) {
                *culprit = prev;
                return true;
            }
            if (seq && asns[k] != prev)
                prev = asns[k];
        }
    }
    return false;
}

/* ASPA (draft-ietf-sidrops-aspa-verification §5.3, authorized()): a network's own
 * signed word on its providers decides a link as-rel gets wrong or lacks. Either
 * side's record may tell: the receiver listed as the sender's provider (up), the
 * sender listed as the receiver's (down); a sender whose record does not list the
 * receiver did not send up (taken as sideways: whether peer or customer, the route
 * may then only go down). */
static mrs_rel aspa_link(const void *ctx, uint32_t sender, uint32_t receiver, mrs_rel asrel)
{
    const mrs_rpki *rp = ctx;
    mrs_aspa_auth up = mrs_aspa_authorized(rp, sender, receiver);
    if (up == MRS_ASPA_PROVIDER_PLUS)
        return MRS_REL_C2P;
    if (mrs_aspa_authorized(rp, receiver, sender) == MRS_ASPA_PROVIDER_PLUS)
        return MRS_REL_P2C;
    if (up == MRS_ASPA_NOT_PROVIDER_PLUS && (asrel == MRS_REL_C2P || asrel == MRS_REL_NONE))
        return MRS_REL_P2P;
    return MRS_REL_NONE;
}

/* path_check: a valley seen before the window is standing practice (valley_key). */
static bool standing_valley(void *ctx, uint32_t from, uint32_t leaker)
{
    const det *d = ctx;
    return mrs_set64_has(&d->bl_valleys, valley_key(from, leaker));
}

/* build_baseline_valleys: every valley of a baseline path is standing; recorded,
 * and the walk goes on to the next. */
static bool collect_valley(void *ctx, uint32_t from, uint32_t leaker)
{
    det *d = ctx;
    mrs_set64_add(&d->bl_valleys, valley_key(from, leaker));
    return true;
}

/* How detection walks a path: siblings transparent (as-rel s2s and as2org), ASPA
 * over as-rel where a record speaks, the clique without providers. */
static void vf_ctx(det *d, mrs_vf_ctx *c, bool (*standing)(void *, uint32_t, uint32_t), void *sctx)
{
    memset(c, 0, sizeof *c);
    c->same_org = d->kb->same_org;
    c->org_ctx = d->kb->org_ctx;
    if (d->kb->rpki && mrs_rpki_aspa_count(d->kb->rpki)) {
        c->link = aspa_link;
        c->link_ctx = d->kb->rpki;
    }
    c->standing = standing;
    c->standing_ctx = sctx;
    c->clique_top = true;
}

static const path_verdict *path_check(det *d, uint32_t path)
{
    path_verdict *p = &d->pv[path];
    if (p->state == PV_DONE)
        return p;
    p->state = PV_DONE;
    p->bogon = bogon_in_path(mrs_view_path(d->v, path), &p->bogon_culprit);
    bool set = false;
    size_t n = path_distinct(d->v, path, d->buf, &set);
    const uint32_t *a = d->buf;
    if (p->bogon || !d->kb->asrel)
        return p;
    mrs_vf_ctx vc;
    vf_ctx(d, &vc, standing_valley, d);
    mrs_vf_result vr;
    if (mrs_asrel_valley_free_ctx(d->kb->asrel, a, n, &vc, &vr) == MRS_VF_VIOLATION) {
        p->leaker = vr.leaker;
        p->leak_type = (uint8_t)vr.leak_type;
        p->leak_from = vr.leak_from;
        p->why = (vr.decided_links ? MRS_WHY_ASPA_LINK : 0) | (vr.clique_links ? MRS_WHY_CLIQUE_LINK : 0) |
                 (vr.after_unknown ? MRS_WHY_UNKNOWN_LINK : 0) | (vr.standing_skipped ? MRS_WHY_PAST_STANDING : 0);
    } else
        p->maybe_leaker = vr.maybe_leaker;
    p->conflict_leaker = vr.standing_leaker;
    p->conflict_type = (uint8_t)vr.standing_type;
    /* forged origin (Type-1 hijack): the AS next to the origin has no relationship
     * with it, both are known to as-rel and the link never appeared in the baseline */
    if (n >= 2 && !set) {
        uint32_t o = a[n - 1], x = a[n - 2];
        if (mrs_asrel_rel(d->kb->asrel, x, o) == MRS_REL_NONE && asrel_known(d->kb->asrel, x) &&
            asrel_known(d->kb->asrel, o) && !mrs_set64_has(&d->bl_links, link_key(x, o)))
            p->forged_culprit = x;
    }
    return p;
}

/* RFC 9234 §5: once a route carries OTC, every later hop must go down (provider to
 * customer). A hop that sends it up or sideways is a leak by the sender. Used when
 * the valley-free test found nothing (e.g. links missing from as-rel). */
static uint32_t otc_leaker(det *d, const mrs_view_route *r, uint8_t *type)
{
    if (!r->otc || !d->kb->asrel)
        return 0;
    bool set = false;
    size_t n = path_distinct(d->v, r->path, d->buf, &set);
    const uint32_t *a = d->buf;
    size_t k = n;
    for (size_t i = 0; i < n; i++)
        if (a[i] == r->otc) {
            k = i;
            break;
        }
    if (k == n || k == 0)
        return 0;
    /* the hop from the OTC AS itself is where OTC was attached (egress to a peer or
     * customer, or ingress from it): the checks start with the next one */
    for (size_t j = k - 1; j >= 1; j--) {
        mrs_rel out = mrs_asrel_rel(d->kb->asrel, a[j], a[j - 1]);
        if (out == MRS_REL_C2P || out == MRS_REL_P2P) {
            mrs_rel in = j + 1 < n ? mrs_asrel_rel(d->kb->asrel, a[j], a[j + 1]) : MRS_REL_NONE;
            bool from_prov = in == MRS_REL_C2P, to_prov = out == MRS_REL_C2P;
            *type = from_prov ? (to_prov ? 1 : 3) : (to_prov ? 4 : 2);
            return a[j];
        }
    }
    return 0;
}

static bool rel_applies(const det *d, const mrs_prefix *p)
{
    return p->afi == MRS_AFI_IPV4 || d->cfg.asrel_ipv6;
}

/* The valleys of the baseline's paths: a valley that was already there before the
 * window is a standing path, far more often a relationship the inference got wrong
 * (or a sibling, or partial transit) than a leak. */
static int build_baseline_valleys(det *d)
{
    mrs_set64_init(&d->bl_valleys);
    if (!d->kb->asrel)
        return 0;
    /* once per distinct path of a baseline route of a family the as-rel applies to;
     * every valley of the path, not just the first */
    uint8_t fams = BL_V4 | (d->cfg.asrel_ipv6 ? BL_V6 : 0);
    size_t npath = mrs_view_path_count(d->v);
    mrs_vf_ctx vc;
    vf_ctx(d, &vc, collect_valley, d);
    for (size_t p = 0; p < npath; p++) {
        if (!(d->bl_path[p] & fams))
            continue;
        bool set = false;
        size_t n = path_distinct(d->v, (uint32_t)p, d->buf, &set);
        if (!bogon_in_path(mrs_view_path(d->v, (uint32_t)p), &(uint32_t){0}))
            mrs_asrel_valley_free_ctx(d->kb->asrel, d->buf, n, &vc, NULL);
    }
    return d->bl_valleys.oom ? -1 : 0;
}

/* Confidence of a valley-free violation (docs/observe.md "Evidence strength"). */
static mrs_confidence valley_strength(const det *d, const path_verdict *pv, uint32_t *why)
{
    uint32_t off = d->cfg.asrel_off_period ? MRS_WHY_OFF_PERIOD : 0;
    if (!d->cfg.has_baseline) {
        *why = MRS_WHY_NO_BASELINE | off;
        return MRS_CONF_LOW;
    }
    if (mrs_set64_has(&d->bl_valleys, valley_key(pv->leak_from, pv->leaker))) {
        *why = (d->cfg.snapshot ? MRS_WHY_SNAPSHOT : MRS_WHY_REL_CONFLICT) | off;
        return MRS_CONF_LOW;
    }
    *why = MRS_WHY_NEW_VALLEY | off | pv->why;
    /* after a link as-rel does not know, the AS that sent over it may be the leaker */
    return off || (pv->why & MRS_WHY_UNKNOWN_LINK) ? MRS_CONF_LOW : MRS_CONF_HIGH;
}

static int ov_get(const ov_map *m, uint64_t key, uint32_t *val)
{
    const uint32_t *v = mrs_map64_get(m, key);
    if (!v)
        return 0;
    *val = *v;
    return 1;
}

static int ov_put(ov_map *m, uint64_t key, uint32_t val)
{
    bool found;
    if (!m->cap && mrs_map64_init(m) != 0)
        return -1;
    uint32_t *v = mrs_map64_put(m, key, &found);
    if (!v)
        return -1;
    *v = val;
    return 0;
}

/* The most specific baseline prefix strictly covering prefix p; UINT32_MAX if none. */
static uint32_t bl_covering(const det *d, const mrs_prefix *p)
{
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    unsigned n = mrs_trie_covering(d->bl_trie, p, m);
    for (unsigned i = n; i-- > 0;)
        if (m[i].len < p->len)
            return m[i].value;
    return UINT32_MAX;
}

static bool irr_matches(det *d, const mrs_prefix *p, uint32_t origin)
{
    if (!d->kb->irr)
        return false;
    if (irr_check_origin(d->kb->irr, p, origin, NULL, &d->irr_res) != 0) {
        d->irr_res.state = IRR_NOT_FOUND;
        d->irr_res.n = 0;
        return false;
    }
    return d->irr_res.state == IRR_VALID || d->irr_res.state == IRR_VALID_COVERED;
}

/* RPKI decides a hijack when it says the origin is invalid with VRPs of the period. */
static bool rpki_decided(uint32_t why)
{
    return (why & MRS_WHY_RPKI_INVALID) && !(why & MRS_WHY_RPKI_OFF_PERIOD);
}

/* Is x in q's customer cone, i.e. q reachable from x over customer-to-provider
 * links? Breadth-first up from x: the providers above one AS are few (tens), unlike
 * the cone below a large transit network. Bounded; false when the bound is hit. */
static bool in_cone_of(det *d, uint32_t q, uint32_t x)
{
    if (!d->kb->asrel || q == x)
        return false;
    uint32_t *seen = d->walk;
    size_t n = 0, head = 0;
    seen[n++] = x;
    while (head < n) {
        const uint32_t *pv;
        size_t np = mrs_asrel_providers(d->kb->asrel, seen[head++], &pv);
        for (size_t i = 0; i < np; i++) {
            if (pv[i] == q)
                return true;
            bool dup = false;
            for (size_t k = 0; k < n && !dup; k++)
                dup = seen[k] == pv[i];
            if (dup)
                continue;
            if (n == CONE_WALK_MAX)
                return false;
            seen[n++] = pv[i];
        }
    }
    return false;
}

/* Provider and customer (directly or through the cone), either way round. */
static bool related(det *d, uint32_t a, uint32_t b)
{
    if (!d->kb->asrel)
        return false;
    mrs_rel r = mrs_asrel_rel(d->kb->asrel, a, b);
    return r == MRS_REL_P2C || r == MRS_REL_C2P || in_cone_of(d, a, b) || in_cone_of(d, b, a);
}

static uint32_t ov_pack(unsigned verdict, mrs_confidence c, uint32_t why)
{
    return verdict | (c == MRS_CONF_LOW ? OV_LOW : 0) | why << 8;
}

/* A hijack candidate's confidence. High when an authority decides (RPKI says the
 * origin is not authorised; the IRR names another origin for exactly this prefix
 * and RPKI agrees), or when a baseline shows the origin is new and relationships
 * of the period show the two origins unrelated. Low otherwise: without relationships
 * of the period a customer announcing its provider's space (provider-assigned
 * space, multihoming) cannot be told from a stranger (issue 11: the RouteViews 2008
 * days, where every such MOAS was explainable). */
static uint32_t hijack_verdict(const det *d, unsigned verdict, mrs_rov_state rov, bool rel, uint32_t why)
{
    if (rov == MRS_ROV_INVALID)
        why |= MRS_WHY_RPKI_INVALID | (d->cfg.rpki_off_period ? MRS_WHY_RPKI_OFF_PERIOD : 0);
    bool rpki_decides = rov == MRS_ROV_INVALID && !d->cfg.rpki_off_period;
    if (rel)
        why |= MRS_WHY_RELATED_ORIGIN;
    if (!d->cfg.has_baseline)
        why |= MRS_WHY_NO_BASELINE;
    if (!d->kb->asrel)
        why |= MRS_WHY_NO_RELATIONSHIPS;
    else if (d->cfg.asrel_off_period)
        why |= MRS_WHY_OFF_PERIOD;
    bool rel_known = d->kb->asrel && !d->cfg.asrel_off_period;
    bool high = rpki_decides || (d->cfg.has_baseline && rel_known && !rel);
    return ov_pack(verdict, high ? MRS_CONF_HIGH : MRS_CONF_LOW, why);
}

/* The origin verdict of (prefix, origin), packed with its confidence and reasons;
 * see docs/observe.md "Hijacks". */
static uint32_t origin_classify(det *d, uint32_t prefix, uint32_t origin)
{
    const mrs_prefix *p = mrs_view_prefix(d->v, prefix);
    mrs_rov_state rov = MRS_ROV_NOT_FOUND;
    mrs_rov_reason why = MRS_ROV_R_NONE;
    if (d->kb->rpki) {
        mrs_rov_result res;
        rov = mrs_rov_validate_ex(d->kb->rpki, p, origin, false, &res);
        why = res.reason;
    }
    if (rov == MRS_ROV_VALID || irr_matches(d, p, origin))
        return OV_LEGIT;
    bool inb = bl_has(d, prefix, origin);
    if (inb && (rov != MRS_ROV_INVALID || why == MRS_ROV_R_TOO_SPECIFIC))
        return OV_LEGIT;
    bool other = false, rel = false;
    for (uint32_t i = d->bl_off[prefix]; i < d->bl_off[prefix + 1]; i++) {
        uint32_t b = d->bl_orig[i];
        if (b == origin || mrs_bogon_asn(b, NULL))
            continue;   /* a private ASN (a customer its provider did not strip) holds nothing */
        if (same_org(d, b, origin))
            return OV_LEGIT;   /* one network under two ASNs */
        other = true;
        rel = rel || related(d, b, origin);
    }
    if (other)
        return hijack_verdict(d, OV_HIJACK_ORIGIN, rov, rel,
                              (inb ? 0 : MRS_WHY_NEW_ORIGIN) | MRS_WHY_NO_AUTH);
    /* not in the baseline, but the exact prefix is registered in the IRR to another
     * origin: the holder's prefix (which no collector peer carried, e.g. because ROV
     * networks drop a too-specific ROA mistake) taken over by this origin. Only with
     * RPKI against the origin too: an IRR object alone may be stale (real RIPE
     * non-authoritative objects for AFRINIC space gave such false hijacks). */
    if (d->kb->irr && rov == MRS_ROV_INVALID && d->irr_res.state == IRR_INVALID_ORIGIN)
        for (size_t i = 0; i < d->irr_res.n; i++)
            if (d->irr_res.evidence[i].prefix.len == p->len && d->irr_res.evidence[i].origin != origin)
                return hijack_verdict(d, OV_HIJACK_ORIGIN, rov, false,
                                      MRS_WHY_NEW_ORIGIN | MRS_WHY_NO_AUTH | MRS_WHY_IRR_OTHER);
    uint32_t q = bl_covering(d, p);
    if (q != UINT32_MAX && d->bl_off[q + 1] > d->bl_off[q]) {
        rel = false;
        for (uint32_t i = d->bl_off[q]; i < d->bl_off[q + 1]; i++) {
            uint32_t b = d->bl_orig[i];
            /* the holder's own more specific, a sibling's, or a customer's out of
             * its provider's block (provider-assigned space): legitimate */
            if (b == origin || same_org(d, b, origin) || in_cone_of(d, b, origin))
                return OV_LEGIT;
            rel = rel || related(d, b, origin);
        }
        return hijack_verdict(d, OV_HIJACK_SUB, rov, rel, MRS_WHY_NEW_ORIGIN | MRS_WHY_NO_AUTH);
    }
    if (rov == MRS_ROV_INVALID && why != MRS_ROV_R_TOO_SPECIFIC)
        return d->cfg.rpki_off_period
                   ? ov_pack(OV_RPKI_INVALID, MRS_CONF_LOW, MRS_WHY_RPKI_INVALID | MRS_WHY_RPKI_OFF_PERIOD)
                   : ov_pack(OV_RPKI_INVALID, MRS_CONF_HIGH, MRS_WHY_RPKI_INVALID);
    return OV_LEGIT;
}

static int add_event(det *d, mrs_incident_class cls, uint32_t culprit, uint32_t ri, const mrs_view_route *r, uint32_t s,
                     uint32_t e, uint8_t lt, unsigned conf, uint32_t why)
{
    event *t = mrs_grow(d->ev, &d->capev, d->nev + 1, sizeof *t, 256);
    if (!t)
        return -1;
    d->ev = t;
    d->ev[d->nev++] = (event){culprit, r->prefix, ri, s, e, why, (uint8_t)cls, lt, (uint8_t)conf};
    return 0;
}

static int cmp_event(const void *a, const void *b)
{
    const event *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    if (x->culprit != y->culprit)
        return x->culprit < y->culprit ? -1 : 1;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    return x->route < y->route ? -1 : x->route > y->route;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static size_t uniq_u32(uint32_t *a, size_t n)
{
    qsort(a, n, sizeof *a, cmp_u32);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || a[m - 1] != a[i])
            a[m++] = a[i];
    return m;
}

static char *note_for(det *d, const event *e, const mrs_view_route *r)
{
    char buf[512], pfx[MRS_PREFIX_STRLEN];
    const mrs_prefix *p = mrs_view_prefix(d->v, r->prefix);
    mrs_prefix_format(p, pfx);
    const char *rov = "no VRPs", *why = "";
    if (d->kb->rpki) {
        mrs_rov_result res;
        rov = mrs_rov_state_name(mrs_rov_validate_ex(d->kb->rpki, p, r->origin, false, &res));
        why = mrs_rov_reason_name(res.reason);
    }
    const char *irr = "no IRR";
    if (d->kb->irr && irr_check_origin(d->kb->irr, p, r->origin, NULL, &d->irr_res) == 0)
        irr = irr_origin_state_name(d->irr_res.state);
    switch ((mrs_incident_class)e->cls) {
    case MRS_INC_ROUTE_LEAK:
        if (e->conf == EV_CORROBORATES)
            snprintf(buf, sizeof buf, "the same route at another collector peer: AS%u passed it on over a link "
                     "as-rel does not know (not a proof by itself; shows the route went further)", e->culprit);
        else if (path_check(d, r->path)->conflict_leaker == e->culprit)
            snprintf(buf, sizeof buf, "valley at AS%u already on paths before the window (type %u)", e->culprit,
                     e->leak_type);
        else if (path_check(d, r->path)->leaker)
            snprintf(buf, sizeof buf, "RFC 7908 type %u leak by AS%u (valley-free violation on as-rel%s)",
                     e->leak_type, e->culprit, r->otc ? "; OTC present" : "");
        else
            snprintf(buf, sizeof buf, "RFC 7908 type %u leak by AS%u: sent up or sideways although it carried "
                     "OTC AS%u (RFC 9234 section 5)", e->leak_type, e->culprit, r->otc);
        break;
    case MRS_INC_BOGON_PREFIX:
        snprintf(buf, sizeof buf, "bogon prefix %s (RFC 6890 special-purpose, not globally reachable) from AS%u", pfx,
                 r->origin);
        break;
    case MRS_INC_BOGON_ASN:
        snprintf(buf, sizeof buf, "bogon ASN in path, next to AS%u", e->culprit);
        break;
    case MRS_INC_HIJACK_PATH:
        snprintf(buf, sizeof buf, "forged origin: no AS%u-AS%u link in as-rel nor in the baseline RIB", e->culprit,
                 r->origin);
        break;
    default: {
        int n = snprintf(buf, sizeof buf, "%s AS%u: RPKI %s%s%s; IRR %s; baseline origins:", pfx, r->origin, rov,
                         *why ? " " : "", why, irr);
        for (uint32_t i = d->bl_off[r->prefix]; i < d->bl_off[r->prefix + 1] && n > 0 && (size_t)n < sizeof buf - 16;
             i++)
            n += snprintf(buf + n, sizeof buf - (size_t)n, " AS%u", d->bl_orig[i]);
        if (d->bl_off[r->prefix] == d->bl_off[r->prefix + 1] && n > 0 && (size_t)n < sizeof buf - 16) {
            uint32_t q = bl_covering(d, p);
            if (q != UINT32_MAX) {
                char qs[MRS_PREFIX_STRLEN];
                mrs_prefix_format(mrs_view_prefix(d->v, q), qs);
                n += snprintf(buf + n, sizeof buf - (size_t)n, " none; covered by %s of", qs);
                for (uint32_t i = d->bl_off[q]; i < d->bl_off[q + 1] && (size_t)n < sizeof buf - 16; i++)
                    n += snprintf(buf + n, sizeof buf - (size_t)n, " AS%u", d->bl_orig[i]);
            } else
                snprintf(buf + n, sizeof buf - (size_t)n, " none; no covering announcement");
        }
    }
    }
    return strdup(buf);
}

/* Findings whose weight is in how far a route went (a leak, a new origin, a new
 * link): seen by one collector peer's AS alone, they may be that network's own
 * view (an internal more-specific, a private session). A fact about the route
 * itself (a bogon, an RPKI verdict, an OTC attribute) holds at one peer too. */
static bool rests_on_propagation(const mrs_incident *x)
{
    switch (x->cls) {
    case MRS_INC_ROUTE_LEAK: return !(x->reasons & MRS_WHY_OTC);
    case MRS_INC_HIJACK_ORIGIN:
    case MRS_INC_HIJACK_SUBPREFIX: return !rpki_decided(x->reasons);
    case MRS_INC_HIJACK_PATH: return true;
    default: return false;
    }
}

/* Distinct collector peer ASes among view peer ids. */
static size_t peer_ases(const det *d, const uint32_t *peers, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t asn = mrs_view_peer_at(d->v, peers[i])->asn;
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++)
            dup = mrs_view_peer_at(d->v, peers[j])->asn == asn;
        k += !dup;
    }
    return k;
}

/* One evidence row for route r of event e, while there is room (max_evidence). A
 * row that could not be filled for lack of memory is left partly empty. */
static int add_evidence(det *d, mrs_incident *x, const mrs_view_route *r, const event *e)
{
    if (x->n_evidence >= d->cfg.max_evidence)
        return 0;
    mrs_evidence *ev = &x->evidence[x->n_evidence++];
    const mrs_view_peer *pp = mrs_view_peer_at(d->v, r->peer);
    ev->peer_asn = pp->asn;
    ev->peer_afi = pp->afi;
    memcpy(ev->peer_ip, pp->ip, 16);
    ev->time = r->start;
    mrs_as_path ap = mrs_view_path(d->v, r->path);
    ev->as_path = mrs_as_path_text(ap);
    if (ap.n && (ev->path_w = malloc(ap.n * sizeof *ev->path_w)) != NULL) {
        memcpy(ev->path_w, ap.w, ap.n * sizeof *ev->path_w);
        ev->path_n = ap.n;
    }
    const char *fn = mrs_view_file_name(d->v, r->file);
    ev->file = strdup(fn ? fn : "");
    ev->offset = r->offset;
    ev->note = note_for(d, e, r);
    return ev->file && ev->note ? 0 : -1;
}

/* Turn events [a, b) (same class, culprit, prefix, one merged time run) into an incident. */
static int make_incident(det *d, size_t a, size_t b, mrs_incident_list *out, mrs_detect_stats *st)
{
    /* high when any route of it is; everything the incident says (its time, reasons,
     * peers, propagators, evidence) comes from the routes that gave the verdict, so
     * a high incident never shows a low route as its proof */
    mrs_confidence conf = MRS_CONF_LOW;
    bool any = false;
    for (size_t i = a; i < b; i++) {
        if (d->ev[i].conf == MRS_CONF_HIGH)
            conf = MRS_CONF_HIGH;
        any |= d->ev[i].conf != EV_CORROBORATES;
    }
    if (!any)
        return 0;   /* corroboration of nothing */
    uint32_t s = UINT32_MAX, e = 0;
    for (size_t i = a; i < b; i++) {
        if (d->ev[i].conf != conf)
            continue;
        if (d->ev[i].s < s)
            s = d->ev[i].s;
        if (d->ev[i].e > e)
            e = d->ev[i].e;
    }
    if (e < s || (e == s && !d->cfg.snapshot)) {
        st->zero_duration++;
        return 0;
    }
    mrs_incident *nv = mrs_grow(out->v, &out->cap, out->n + 1, sizeof *nv, 64);
    if (!nv)
        return -1;
    out->v = nv;
    mrs_incident *x = &out->v[out->n];
    memset(x, 0, sizeof *x);
    x->cls = (mrs_incident_class)d->ev[a].cls;
    x->culprit = d->ev[a].culprit;
    x->prefix = *mrs_view_prefix(d->v, d->ev[a].prefix);
    x->start = s;
    x->end = e;
    size_t cap_p = 64, np = 0, na = 0, npe = 0;
    uint32_t *prop = malloc(cap_p * sizeof *prop);
    uint32_t *acc = malloc((b - a) * sizeof *acc);
    uint32_t *peers = malloc((b - a) * sizeof *peers);
    x->evidence = calloc(d->cfg.max_evidence ? d->cfg.max_evidence : 1, sizeof *x->evidence);
    if (!prop || !acc || !peers || !x->evidence) {
        free(prop);
        free(acc);
        free(peers);
        free(x->evidence);
        return -1;
    }
    x->confidence = conf;
    for (size_t i = a; i < b; i++)
        if (d->ev[i].conf == conf)
            x->reasons |= d->ev[i].reasons;
    unsigned lt_count[5] = {0};
    for (size_t i = a; i < b; i++) {
        if (d->ev[i].conf != conf)
            continue;
        const mrs_view_route *r = mrs_view_route_at(d->v, d->ev[i].route);
        lt_count[d->ev[i].leak_type <= 4 ? d->ev[i].leak_type : 0]++;
        bool set = false;
        size_t n = path_distinct(d->v, r->path, d->buf, &set);
        size_t k = 0;
        while (k < n && d->buf[k] != x->culprit)
            k++;
        if (k == n)
            k = 0;  /* culprit not on the path (cannot happen): no propagators */
        uint32_t *t = mrs_grow(prop, &cap_p, np + k, sizeof *t, 64);
        if (!t) {
            free(prop);
            free(acc);
            free(peers);
            return -1;
        }
        prop = t;
        for (size_t j = 0; j < k; j++)
            prop[np++] = d->buf[j];
        if (k > 0)
            acc[na++] = d->buf[k - 1];
        bool new_peer = true;
        for (size_t j = 0; j < npe; j++)
            if (peers[j] == r->peer)
                new_peer = false;
        if (new_peer) {
            peers[npe++] = r->peer;
            add_evidence(d, x, r, &d->ev[i]);
        }
    }
    /* accomplice: the neighbour seen most often next to the culprit */
    uint32_t best = 0;
    size_t best_n = 0;
    qsort(acc, na, sizeof *acc, cmp_u32);
    for (size_t i = 0; i < na;) {
        size_t j = i;
        while (j < na && acc[j] == acc[i])
            j++;
        if (j - i > best_n) {
            best_n = j - i;
            best = acc[i];
        }
        i = j;
    }
    x->accomplice = best;
    x->n_accomplices = uniq_u32(acc, na);
    x->accomplices = acc;
    x->n_propagators = uniq_u32(prop, np);
    x->propagators = prop;
    x->peers = (unsigned)npe;
    if (x->confidence == MRS_CONF_HIGH && rests_on_propagation(x) && peer_ases(d, peers, npe) < 2) {
        /* other collector peers that had the route through the culprit and on over a
         * link as-rel does not know show it went further than one peer's view */
        for (size_t i = a; i < b && peer_ases(d, peers, npe) < 2; i++) {
            if (d->ev[i].conf != EV_CORROBORATES)
                continue;
            const mrs_view_route *r = mrs_view_route_at(d->v, d->ev[i].route);
            bool seen = false;
            for (size_t j = 0; j < npe && !seen; j++)
                seen = mrs_view_peer_at(d->v, peers[j])->asn == mrs_view_peer_at(d->v, r->peer)->asn;
            if (seen)
                continue;
            peers[npe++] = r->peer;
            if (add_evidence(d, x, r, &d->ev[i]) != 0) {
                free(peers);
                out->n++;   /* owned by the list now: freed with it */
                return -1;
            }
        }
        if (peer_ases(d, peers, npe) < 2) {
            x->confidence = MRS_CONF_LOW;
            x->reasons |= MRS_WHY_ONE_PEER;
        }
    }
    free(peers);
    if (x->cls == MRS_INC_ROUTE_LEAK) {
        unsigned bt = 0;
        for (unsigned t = 1; t <= 4; t++)
            if (lt_count[t] > lt_count[bt])
                bt = t;
        x->leak_type = bt;
    }
    x->id = out->n + 1;
    out->n++;
    st->per_class[x->cls]++;
    if (x->confidence == MRS_CONF_HIGH)
        st->high[x->cls]++;
    return 0;
}

/* A forged-origin candidate link (x, o) is kept only when it carries at most half
 * of the prefixes o originates in the view: a real but unrecorded adjacency (a new
 * peering, a link as-rel missed) carries all or most of the origin's routes, a
 * forged path the few prefixes the forger chose (docs/observe.md). */
static size_t count_eq(const uint64_t *a, size_t n, uint64_t x)
{
    return mrs_lower_bound_u64(a, n, x + 1) - mrs_lower_bound_u64(a, n, x);
}

/* ---- hijack context: what the rest of the view says about a new origin
 *
 * Two facts no relationship inference is needed for (so they hold with as-rel of
 * another period, as in the RouteViews 2008 days):
 *  - carried: the prefix's earlier origin (hijack-origin) or the covering prefix's
 *    origin (hijack-subprefix) is the AS right before the new origin on the new
 *    announcement's path: the holder takes the route straight from the new origin
 *    and passes it on, it consented (real cases: "3356 5462 44403", AS5462's /21
 *    now originated by its customer AS44403 through it; "1299 1239 30038", AS1239
 *    carrying its customer's more-specific of its 208.0.0.0/11). Not an incident.
 *    Further up the path it proves nothing: a holder without filters for its own
 *    space accepts a hijacked more-specific from its provider like any route and
 *    hands it to its customers.
 *  - upstream: the new origin is the AS right before the earlier origin on the
 *    earlier origin's own paths: its direct neighbour, typically its provider
 *    announcing the customer's space (real case: AS701 originating for 106 s the
 *    /20 its customer AS16413 announces through it). Related origins: low
 *    confidence. (Anywhere else on those paths proves nothing: every transit
 *    network carries everyone's routes.)
 *  - concurrent: for hijack-origin, the earlier origin kept announcing the prefix
 *    at least as long as the new one (a conflict: the holder did not give it up).
 *    If the earlier origin stopped first, the prefix moved (a renumbering, a change
 *    of provider, make-before-break): low confidence, "origin-moved". */

/* The last moment any peer held (prefix, origin) in the view; 0 if never. */
static uint32_t last_held(const mrs_span *v, size_t n, uint64_t key)
{
    size_t i;
    MRS_LOWER_BOUND(i, n, k, v[k].key < key);
    uint32_t last = 0;
    for (; i < n && v[i].key == key; i++)
        if (v[i].e > last)
            last = v[i].e;
    return last;
}

/* The baseline origins that make (prefix, origin) legitimate when on its path:
 * the prefix's own for hijack-origin, the covering prefix's for hijack-subprefix. */
static void context_origins(const det *d, const event *ev, uint32_t *prefix, uint32_t *lo, uint32_t *hi)
{
    uint32_t p = ev->prefix;
    if (ev->cls == MRS_INC_HIJACK_SUBPREFIX)
        p = bl_covering(d, mrs_view_prefix(d->v, ev->prefix));
    *prefix = p;
    *lo = p == UINT32_MAX ? 0 : d->bl_off[p];
    *hi = p == UINT32_MAX ? 0 : d->bl_off[p + 1];
}

/* A candidate (prefix, new origin) and the prefix whose routes tell its context. */
typedef struct cand {
    uint32_t scan;      /* the prefix itself (hijack-origin) or its covering prefix */
    uint32_t prefix, origin;
} cand;

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->scan < y->scan ? -1 : x->scan > y->scan;
}

/* The routes of the candidates' prefixes: their spans (for last_held) and the
 * upstream test, a route of the earlier (or covering) origin whose AS right before
 * the origin is the new origin. */
static int scan_context(det *d, cand *c, size_t nc, mrs_set64 *upstream, mrs_span **sp, size_t *nsp)
{
    qsort(c, nc, sizeof *c, cmp_cand);
    uint8_t *want = calloc(mrs_view_prefix_count(d->v) + 1, 1);   /* the scanned prefixes, by id */
    if (!want)
        return -1;
    for (size_t i = 0; i < nc; i++)
        want[c[i].scan] = 1;
    size_t cap = 0, nr = mrs_view_route_count(d->v);
    for (size_t i = 0; i < nr; i++) {
        const mrs_view_route *r = mrs_view_route_at(d->v, i);
        if (!r->origin || !want[r->prefix])
            continue;
        size_t k;
        MRS_LOWER_BOUND(k, nc, j, c[j].scan < r->prefix);
        if (k == nc || c[k].scan != r->prefix)
            continue;
        mrs_span *t = mrs_grow(*sp, &cap, *nsp + 1, sizeof *t, 256);
        if (!t) {
            free(want);
            return -1;
        }
        *sp = t;
        (*sp)[(*nsp)++] = (mrs_span){(uint64_t)r->prefix << 32 | r->origin, r->start, r->end};
        bool set = false;
        size_t n = path_distinct(d->v, r->path, d->buf, &set);
        uint32_t up = n >= 2 && !set ? d->buf[n - 2] : 0;
        for (; k < nc && c[k].scan == r->prefix; k++)
            if (up && up == c[k].origin && r->origin != c[k].origin)
                mrs_set64_add(upstream, (uint64_t)c[k].prefix << 32 | c[k].origin);
    }
    free(want);
    qsort(*sp, *nsp, sizeof **sp, mrs_span_cmp);
    return 0;
}

static int hijack_context(det *d)
{
    mrs_set64 carried, upstream;
    mrs_set64_init(&carried);
    mrs_set64_init(&upstream);
    cand *c = NULL;
    size_t nc = 0, capc = 0;
    mrs_span *sp = NULL;
    size_t nsp = 0;
    int rc = -1;
    for (size_t i = 0; i < d->nev; i++) {
        const event *ev = &d->ev[i];
        if (ev->cls != MRS_INC_HIJACK_ORIGIN && ev->cls != MRS_INC_HIJACK_SUBPREFIX)
            continue;
        const mrs_view_route *r = mrs_view_route_at(d->v, ev->route);
        uint32_t q, lo, hi;
        context_origins(d, ev, &q, &lo, &hi);
        bool set = false;
        size_t n = path_distinct(d->v, r->path, d->buf, &set);
        uint32_t up = n >= 2 && !set ? d->buf[n - 2] : 0;
        for (uint32_t k = lo; k < hi; k++)
            if (up && d->bl_orig[k] == up && up != ev->culprit)
                mrs_set64_add(&carried, (uint64_t)ev->prefix << 32 | ev->culprit);
        if (q == UINT32_MAX)
            continue;
        cand *t = mrs_grow(c, &capc, nc + 1, sizeof *t, 64);
        if (!t)
            goto out;
        c = t;
        c[nc++] = (cand){q, ev->prefix, ev->culprit};
    }
    if (nc && scan_context(d, c, nc, &upstream, &sp, &nsp) != 0)
        goto out;
    size_t m = 0;
    for (size_t i = 0; i < d->nev; i++) {
        event *ev = &d->ev[i];
        if (ev->cls == MRS_INC_HIJACK_ORIGIN || ev->cls == MRS_INC_HIJACK_SUBPREFIX) {
            uint64_t pair = (uint64_t)ev->prefix << 32 | ev->culprit;
            if (mrs_set64_has(&carried, pair))
                continue;   /* the holder carries the new route: legitimate */
            if (mrs_set64_has(&upstream, pair) && !rpki_decided(ev->reasons)) {
                ev->reasons |= MRS_WHY_RELATED_ORIGIN;
                ev->conf = MRS_CONF_LOW;
            }
            if (ev->cls == MRS_INC_HIJACK_ORIGIN) {
                uint64_t key = (uint64_t)ev->prefix << 32;
                uint32_t mine = last_held(sp, nsp, key | ev->culprit);
                bool conflict = false;
                for (uint32_t k = d->bl_off[ev->prefix]; k < d->bl_off[ev->prefix + 1] && !conflict; k++)
                    conflict = d->bl_orig[k] != ev->culprit && last_held(sp, nsp, key | d->bl_orig[k]) >= mine;
                ev->reasons |= conflict ? MRS_WHY_CONFLICT : MRS_WHY_ORIGIN_MOVED;
                if (!conflict && !rpki_decided(ev->reasons))
                    ev->conf = MRS_CONF_LOW;
            }
        }
        d->ev[m++] = *ev;
    }
    d->nev = m;
    rc = carried.oom || upstream.oom ? -1 : 0;
out:
    free(c);
    free(sp);
    mrs_set64_clear(&carried);
    mrs_set64_clear(&upstream);
    return rc;
}

static int forged_filter(det *d)
{
    mrs_set64 orig, links, op;
    mrs_set192 lp;
    mrs_set64_init(&orig);
    mrs_set64_init(&links);
    mrs_set64_init(&op);
    mrs_set192_init(&lp);
    size_t ncand = 0;
    for (size_t i = 0; i < d->nev; i++)
        if (d->ev[i].cls == MRS_INC_HIJACK_PATH) {
            const mrs_view_route *r = mrs_view_route_at(d->v, d->ev[i].route);
            mrs_set64_add(&orig, r->origin);
            mrs_set64_add(&links, (uint64_t)d->ev[i].culprit << 32 | r->origin);
            ncand++;
        }
    int rc = 0;
    if (!ncand)
        goto out;
    /* distinct prefixes per candidate origin, and per candidate link */
    size_t nr = mrs_view_route_count(d->v);
    for (size_t i = 0; i < nr; i++) {
        const mrs_view_route *r = mrs_view_route_at(d->v, i);
        if (!r->origin || !mrs_set64_has(&orig, r->origin))
            continue;
        mrs_set64_add(&op, (uint64_t)r->origin << 32 | r->prefix);
        bool set = false;
        size_t n = path_distinct(d->v, r->path, d->buf, &set);
        if (n >= 2 && mrs_set64_has(&links, (uint64_t)d->buf[n - 2] << 32 | r->origin))
            mrs_set192_add(&lp, (mrs_key192){d->buf[n - 2], r->origin, r->prefix});
    }
    /* flatten both sets into sorted arrays; counts by binary search */
    uint64_t *ao = malloc((op.count + 1) * sizeof *ao), *al = malloc((lp.count + 1) * sizeof *al);
    if (!ao || !al) {
        free(ao);
        free(al);
        rc = -1;
        goto out;
    }
    size_t no = 0, nl = 0;
    for (size_t k = 0; k < op.cap; k++)
        if (op.slots[k])
            ao[no++] = (op.slots[k] - 1) >> 32;
    for (size_t k = 0; k < lp.cap; k++)
        if (lp.used[k])
            al[nl++] = lp.slots[k].a << 32 | lp.slots[k].b;
    qsort(ao, no, sizeof *ao, cmp_u64);
    qsort(al, nl, sizeof *al, cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < d->nev; i++) {
        event *e = &d->ev[i];
        if (e->cls == MRS_INC_HIJACK_PATH) {
            uint32_t o = mrs_view_route_at(d->v, e->route)->origin;
            size_t n_o = count_eq(ao, no, o), n_l = count_eq(al, nl, (uint64_t)e->culprit << 32 | o);
            if (n_l * 2 > n_o)
                continue;
        }
        d->ev[m++] = *e;
    }
    free(ao);
    free(al);
    d->nev = m;
out:
    mrs_set64_clear(&orig);
    mrs_set64_clear(&links);
    mrs_set64_clear(&op);
    mrs_set192_clear(&lp);
    return rc;
}

/* A high route leak (culprit, prefix) seen at one collector peer AS may have
 * reached others over links as-rel does not know: the routes of that prefix that
 * went through the culprit after a descent and on over an unknown link are added
 * as corroborating events (make_incident counts their peers, nothing else). */
static int corroborate(det *d)
{
    mrs_set64 keys, pfx;
    mrs_set64_init(&keys);
    mrs_set64_init(&pfx);
    for (size_t i = 0; i < d->nev; i++)
        if (d->ev[i].cls == MRS_INC_ROUTE_LEAK && d->ev[i].conf == MRS_CONF_HIGH) {
            mrs_set64_add(&keys, (uint64_t)d->ev[i].prefix << 32 | d->ev[i].culprit);
            mrs_set64_add(&pfx, d->ev[i].prefix);
        }
    int rc = keys.oom || pfx.oom ? -1 : 0;
    size_t nr = keys.count ? mrs_view_route_count(d->v) : 0;
    for (size_t i = 0; i < nr && rc == 0; i++) {
        const mrs_view_route *r = mrs_view_route_at(d->v, i);
        uint32_t s, e;
        if (!mrs_set64_has(&pfx, r->prefix) || !clip(d, r, &s, &e))
            continue;
        const path_verdict *pv = path_check(d, r->path);
        if (!pv->leaker && pv->maybe_leaker &&
            mrs_set64_has(&keys, (uint64_t)r->prefix << 32 | pv->maybe_leaker))
            rc = add_event(d, MRS_INC_ROUTE_LEAK, pv->maybe_leaker, (uint32_t)i, r, s, e, 0, EV_CORROBORATES, 0);
    }
    mrs_set64_clear(&keys);
    mrs_set64_clear(&pfx);
    return rc;
}

int mrs_detect(const mrs_view *v, const mrs_detect_kb *kb, const mrs_detect_cfg *cfg, mrs_incident_list *out,
               mrs_detect_stats *st)
{
    mrs_detect_stats dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    det d;
    memset(&d, 0, sizeof d);
    d.v = v;
    d.kb = kb;
    d.cfg = *cfg;
    if (!d.cfg.from && !d.cfg.to) {
        d.cfg.from = mrs_view_first_time(v);
        d.cfg.to = mrs_view_last_time(v);
    }
    if (!d.cfg.baseline_end)
        d.cfg.baseline_end = d.cfg.from;
    int rc = -1;
    d.pv = calloc(mrs_view_path_count(v) + 1, sizeof *d.pv);
    mrs_set64_init(&d.default_peers);
    if (!d.pv || build_baseline(&d) != 0 || build_baseline_valleys(&d) != 0)
        goto done;
    size_t nr = mrs_view_route_count(v);
    for (size_t i = 0; i < nr; i++) {
        const mrs_view_route *r = mrs_view_route_at(v, i);
        uint32_t s, e;
        if (!clip(&d, r, &s, &e))
            continue;
        st->routes++;
        const mrs_prefix *p = mrs_view_prefix(v, r->prefix);
        if (implausibly_short(p)) {
            st->short_routes++;
            if (p->len == 0)
                mrs_set64_add(&d.default_peers, r->peer);
            continue;
        }
        if (kb->bogons) {
            mrs_bogon_result br;
            if (mrs_bogon_check_prefix(kb->bogons, p, &br) == MRS_BOGON_COVERED) {
                if (r->origin && add_event(&d, MRS_INC_BOGON_PREFIX, r->origin, (uint32_t)i, r, s, e, 0, MRS_CONF_HIGH,
                                           MRS_WHY_SPECIAL_PURPOSE) != 0)
                    goto done;
                continue;
            }
        }
        const path_verdict *pv = path_check(&d, r->path);
        if (pv->bogon) {
            if (pv->bogon_culprit && add_event(&d, MRS_INC_BOGON_ASN, pv->bogon_culprit, (uint32_t)i, r, s, e, 0,
                                               MRS_CONF_HIGH, MRS_WHY_BOGON_ASN) != 0)
                goto done;
            continue;
        }
        if (r->blackhole) {
            /* RFC 7999: a /32 (or so) tagged to have its traffic dropped upstream, by
             * the holder or its provider for it: not a more-specific hijack, and the
             * provider passing it on is what the community asks for */
            st->blackhole_routes++;
            continue;
        }
        if (kb->ixp_lan && kb->ixp_lan(kb->ixp_ctx, p)) {
            /* an IXP's peering LAN: members and the IXP announce it to reach the
             * route servers and each other's interfaces; several origins are the
             * norm, and no member holds it against another */
            st->ixp_lan_routes++;
            continue;
        }
        if (r->origin && ris_beacon(p, r->origin)) {
            st->beacon_routes++;
            continue;   /* RIS asks its peers to give beacons transit: no valley is a leak */
        }
        bool rel_ok = rel_applies(&d, p);
        uint32_t leaker = rel_ok ? pv->leaker : 0, why = 0;
        uint8_t lt = pv->leak_type;
        mrs_confidence conf = MRS_CONF_HIGH;
        if (rel_ok && pv->conflict_leaker) {
            /* the path's first valley was there before the window: an observation
             * (relationship-conflict), listed; a new valley further on is judged apart */
            uint32_t cw = (d.cfg.snapshot ? MRS_WHY_SNAPSHOT : MRS_WHY_REL_CONFLICT) |
                          (d.cfg.asrel_off_period ? MRS_WHY_OFF_PERIOD : 0);
            if (add_event(&d, MRS_INC_ROUTE_LEAK, pv->conflict_leaker, (uint32_t)i, r, s, e, pv->conflict_type,
                          MRS_CONF_LOW, cw) != 0)
                goto done;
        }
        if (leaker) {
            conf = valley_strength(&d, pv, &why);
            if (leaker == pv->forged_culprit)
                leaker = 0;   /* the valley is the forged link itself: a forged path, judged below */
            else if (conf == MRS_CONF_HIGH && r->origin && pv->leak_from == r->origin &&
                     !bl_has(&d, r->prefix, r->origin)) {
                /* a neighbour's own new route passed on: a new valley only because the
                 * route is new (simulated: a customer's sub-prefix hijack over a
                 * customer link written as a peering, passed to 24 peers) */
                conf = MRS_CONF_LOW;
                why |= MRS_WHY_NEW_ROUTE;
            }
        } else if (rel_ok && !pv->conflict_leaker && d.cfg.use_otc && (leaker = otc_leaker(&d, r, &lt)) != 0) {
            /* the route's own attribute proves it (RFC 9234 section 5) when it then
             * went up to a provider; "sideways" rests on the inference calling the
             * link a peering, and customer links inferred as peerings are common
             * (a simulated hybrid link gave 21 false leaks) */
            why = MRS_WHY_OTC;
            if (lt == 2 || lt == 3) {
                why |= MRS_WHY_OTC_TO_PEER;
                conf = MRS_CONF_LOW;
            }
        }
        if (leaker && add_event(&d, MRS_INC_ROUTE_LEAK, leaker, (uint32_t)i, r, s, e, lt, conf, why) != 0)
            goto done;
        if (!r->origin)
            continue;
        if (rel_ok && pv->forged_culprit) {
            why = MRS_WHY_NEW_LINK | MRS_WHY_FEW_PREFIXES | (d.cfg.has_baseline ? 0 : MRS_WHY_NO_BASELINE) |
                  (d.cfg.asrel_off_period ? MRS_WHY_OFF_PERIOD : 0);
            conf = d.cfg.has_baseline && !d.cfg.asrel_off_period ? MRS_CONF_HIGH : MRS_CONF_LOW;
            if (add_event(&d, MRS_INC_HIJACK_PATH, pv->forged_culprit, (uint32_t)i, r, s, e, 0, conf, why) != 0)
                goto done;
            continue;   /* the origin is the victim's own */
        }
        /* fast path: the baseline origin of the exact prefix, not RPKI-invalid */
        if (bl_has(&d, r->prefix, r->origin) &&
            (!kb->rpki || mrs_rov_validate(kb->rpki, p, r->origin, false) != MRS_ROV_INVALID))
            continue;
        uint64_t key = (uint64_t)r->prefix << 32 | r->origin;
        uint32_t ov;
        if (!ov_get(&d.ov, key, &ov)) {
            ov = origin_classify(&d, r->prefix, r->origin);
            if (ov_put(&d.ov, key, ov) != 0)
                goto done;
        }
        static const mrs_incident_class ovc[] = {MRS_INC_NCLASSES, MRS_INC_HIJACK_ORIGIN, MRS_INC_HIJACK_SUBPREFIX,
                                                 MRS_INC_RPKI_INVALID};
        unsigned verdict = ov & 0x7f;
        if (verdict != OV_LEGIT && add_event(&d, ovc[verdict], r->origin, (uint32_t)i, r, s, e, 0,
                                             ov & OV_LOW ? MRS_CONF_LOW : MRS_CONF_HIGH, ov >> 8) != 0)
            goto done;
    }
    if (forged_filter(&d) != 0 || hijack_context(&d) != 0 || corroborate(&d) != 0)
        goto done;
    st->events = d.nev;
    st->default_peers = d.default_peers.count;
    if (d.nev)
        qsort(d.ev, d.nev, sizeof *d.ev, cmp_event);
    for (size_t i = 0; i < d.nev;) {
        size_t j = i + 1;
        uint32_t run_end = d.ev[i].conf == EV_CORROBORATES ? d.ev[i].s : d.ev[i].e;
        while (j < d.nev && d.ev[j].cls == d.ev[i].cls && d.ev[j].culprit == d.ev[i].culprit &&
               d.ev[j].prefix == d.ev[i].prefix &&
               (uint64_t)d.ev[j].s <= (uint64_t)run_end + MRS_INCIDENT_FLAP_GAP) {
            if (d.ev[j].e > run_end && d.ev[j].conf != EV_CORROBORATES)
                run_end = d.ev[j].e;
            j++;
        }
        if (make_incident(&d, i, j, out, st) != 0)
            goto done;
        i = j;
    }
    rc = 0;
done:
    free(d.pv);
    free(d.bl_off);
    free(d.bl_path);
    free(d.bl_orig);
    mrs_trie_free(d.bl_trie);
    mrs_set64_clear(&d.bl_links);
    mrs_set64_clear(&d.bl_valleys);
    mrs_set64_clear(&d.default_peers);
    mrs_map64_clear(&d.ov);
    free(d.ev);
    irr_origin_result_clear(&d.irr_res);
    return rc;
}
