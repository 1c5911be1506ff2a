/*
 * detect_path.c — the verdicts about a path, once per interned path: a bogon ASN
 * and its culprit, the first valley that is not standing practice (as-rel, ASPA,
 * the provider-free clique, siblings), the AS that sent a route on over a link
 * as-rel lacks, a forged link to the origin; RFC 9234 OTC; the other collector
 * peers' sightings that corroborate a leak. docs/observe.md "Evidence strength".
 */
#include "detect_internal.h"

#include <stdlib.h>
#include <string.h>

/* Path flattened, prepends removed; returns the count. */
size_t det_path_distinct(const mrs_view *v, uint32_t path, uint32_t *out, bool *has_set)
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

void det_sort_u32(uint32_t *a, size_t n)
{
    if (n > 24) {
        qsort(a, n, sizeof *a, mrs_cmp_u32);
    } else {   /* the usual case: one prefix's origins, a few */
        for (size_t i = 1; i < n; i++) {
            uint32_t x = a[i];
            size_t j = i;
            for (; j > 0 && a[j - 1] > x; j--)
                a[j] = a[j - 1];
            a[j] = x;
        }
    }
}

size_t det_uniq_u32(uint32_t *a, size_t n)
{
    /* the usual list repeats a value or two many times (a prefix's origin at every
     * peer): keep a sorted set of the values seen at the front, insert the new
     * ones; past 16 distinct values sort the rest the general way */
    size_t m = 0, i = 0;
    for (; i < n && m <= 16; i++) {
        uint32_t x = a[i];
        size_t j = m;
        while (j > 0 && a[j - 1] > x)
            j--;
        if (j > 0 && a[j - 1] == x)
            continue;
        memmove(a + j + 1, a + j, (m - j) * sizeof *a);
        a[j] = x;
        m++;
    }
    if (i == n)
        return m;
    det_sort_u32(a, n);
    m = 0;
    for (i = 0; i < n; i++)
        if (m == 0 || a[m - 1] != a[i])
            a[m++] = a[i];
    return m;
}

/* One organisation: an as-rel sibling link or the same org in as2org. */
bool det_same_org(const det *d, uint32_t a, uint32_t b)
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

/* det_path_check: a valley seen before the window is standing practice (valley_key). */
static bool standing_valley(void *ctx, uint32_t from, uint32_t leaker)
{
    const det *d = ctx;
    return mrs_set64_has(&d->bl_valleys, valley_key(from, leaker));
}

/* det_build_baseline_valleys: every valley of a baseline path is standing; recorded,
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

/* The verdict of one path, its valleys walked with the given standing test
 * (standing_valley; collect_valley for the baseline's paths, whose every valley is
 * standing: the same turns either way). */
static const path_verdict *path_fill(det *d, uint32_t path, bool (*standing)(void *, uint32_t, uint32_t))
{
    path_verdict *p = &d->pv[path];
    p->state = PV_DONE;
    p->bogon = bogon_in_path(mrs_view_path(d->v, path), &p->bogon_culprit);
    bool set = false;
    size_t n = det_path_distinct(d->v, path, d->buf, &set);
    const uint32_t *a = d->buf;
    if (p->bogon || !d->kb->asrel)
        return p;
    mrs_vf_result vr;
    mrs_vf_ctx vc;
    vf_ctx(d, &vc, standing, d);
    mrs_asrel_valley_free_ctx(d->kb->asrel, a, n, &vc, &vr);
    if (vr.status == MRS_VF_VIOLATION) {
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
            asrel_known(d->kb->asrel, o) && !mrs_set64_has(&d->bl_links, det_link_key(x, o)))
            p->forged_culprit = x;
    }
    return p;
}

const path_verdict *det_path_check(det *d, uint32_t path)
{
    const path_verdict *p = &d->pv[path];
    return p->state == PV_DONE ? p : path_fill(d, path, standing_valley);
}

/* RFC 9234 §5: once a route carries OTC, every later hop must go down (provider to
 * customer). A hop that sends it up or sideways is a leak by the sender. Used when
 * the valley-free test found nothing (e.g. links missing from as-rel). */
uint32_t det_otc_leaker(det *d, const mrs_view_route *r, uint8_t *type)
{
    if (!r->otc || !d->kb->asrel)
        return 0;
    bool set = false;
    size_t n = det_path_distinct(d->v, r->path, d->buf, &set);
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

/* The valleys of the baseline's paths: a valley that was already there before the
 * window is a standing path, far more often a relationship the inference got wrong
 * (or a sibling, or partial transit) than a leak. */
int det_build_baseline_valleys(det *d)
{
    mrs_set64_init(&d->bl_valleys);
    if (!d->kb->asrel)
        return 0;
    /* once per distinct path of a baseline route of a family the as-rel applies to;
     * every valley of the path, not just the first */
    uint8_t fams = BL_V4 | (d->cfg.asrel_ipv6 ? BL_V6 : 0);
    size_t npath = mrs_view_path_count(d->v);
    for (size_t p = 0; p < npath; p++)
        if (d->bl_path[p] & fams)
            path_fill(d, (uint32_t)p, collect_valley);
    /* a part of a split run: every part's baseline valleys (a superset of its own;
     * its baseline paths' verdicts are the same either way: all their valleys are in) */
    for (size_t i = 0; d->cfg.facts && i < d->cfg.facts->n_valleys; i++)
        mrs_set64_add(&d->bl_valleys, d->cfg.facts->valleys[i]);
    return d->bl_valleys.oom ? -1 : 0;
}

/* Confidence of a valley-free violation (docs/observe.md "Evidence strength"). */
mrs_confidence det_valley_strength(const det *d, const path_verdict *pv, uint32_t *why)
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

/* A high route leak (culprit, prefix) seen at one collector peer AS may have
 * reached others over links as-rel does not know: the routes of that prefix that
 * went through the culprit after a descent and on over an unknown link are added
 * as corroborating events (det_make_incident counts their peers, nothing else). */
int det_corroborate(det *d)
{
    mrs_set64 keys;
    mrs_set64_init(&keys);
    size_t np = mrs_view_prefix_count(d->v);
    uint8_t *pfx = NULL;   /* the prefixes of high leaks, by id: one byte test per route */
    for (size_t i = 0; i < d->nev; i++)
        if (d->ev[i].cls == MRS_INC_ROUTE_LEAK && d->ev[i].conf == MRS_CONF_HIGH) {
            if (!pfx && !(pfx = calloc(np + 1, 1)))
                return -1;
            mrs_set64_add(&keys, (uint64_t)d->ev[i].prefix << 32 | d->ev[i].culprit);
            pfx[d->ev[i].prefix] = 1;
        }
    int rc = keys.oom ? -1 : 0;
    size_t nr = pfx ? mrs_view_route_count(d->v) : 0;
    for (size_t i = 0; i < nr && rc == 0; i++) {
        const mrs_view_route *r = mrs_view_route_at(d->v, i);
        uint32_t s, e;
        if (!pfx[r->prefix] || !det_clip(d, r, &s, &e))
            continue;
        const path_verdict *pv = det_path_check(d, r->path);
        if (!pv->leaker && pv->maybe_leaker &&
            mrs_set64_has(&keys, (uint64_t)r->prefix << 32 | pv->maybe_leaker))
            rc = det_add_event(d, MRS_INC_ROUTE_LEAK, pv->maybe_leaker, (uint32_t)i, r, s, e, 0, EV_CORROBORATES, 0);
    }
    mrs_set64_clear(&keys);
    free(pfx);
    return rc;
}
