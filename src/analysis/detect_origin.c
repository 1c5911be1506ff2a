/*
 * detect_origin.c — the verdicts about a (prefix, origin) not in the baseline:
 * RPKI and IRR first, then the relationships (siblings, customers in the holder's
 * cone); after the pass, what the rest of the view says about a new origin (the
 * holder carries it, it is the holder's upstream, the holder moved away) and the
 * filter that tells a forged path from a link as-rel never saw.
 */
#include "detect_internal.h"

#include <stdlib.h>
#include <string.h>


int det_ov_get(const ov_map *m, uint64_t key, uint32_t *val)
{
    const uint32_t *v = mrs_map64_get(m, key);
    if (!v)
        return 0;
    *val = *v;
    return 1;
}

int det_ov_put(ov_map *m, uint64_t key, uint32_t val)
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
uint32_t det_bl_covering(const det *d, const mrs_prefix *p)
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
uint32_t det_origin_classify(det *d, uint32_t prefix, uint32_t origin)
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
    bool inb = det_bl_has(d, prefix, origin);
    if (inb && (rov != MRS_ROV_INVALID || why == MRS_ROV_R_TOO_SPECIFIC))
        return OV_LEGIT;
    bool other = false, rel = false;
    for (uint32_t i = d->bl_off[prefix]; i < d->bl_off[prefix + 1]; i++) {
        uint32_t b = d->bl_orig[i];
        if (b == origin || mrs_bogon_asn(b, NULL))
            continue;   /* a private ASN (a customer its provider did not strip) holds nothing */
        if (det_same_org(d, b, origin))
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
    uint32_t q = det_bl_covering(d, p);
    if (q != UINT32_MAX && d->bl_off[q + 1] > d->bl_off[q]) {
        rel = false;
        for (uint32_t i = d->bl_off[q]; i < d->bl_off[q + 1]; i++) {
            uint32_t b = d->bl_orig[i];
            /* the holder's own more specific, a sibling's, or a customer's out of
             * its provider's block (provider-assigned space): legitimate */
            if (b == origin || det_same_org(d, b, origin) || in_cone_of(d, b, origin))
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
        p = det_bl_covering(d, mrs_view_prefix(d->v, ev->prefix));
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
        size_t n = det_path_distinct(d->v, r->path, d->buf, &set);
        uint32_t up = n >= 2 && !set ? d->buf[n - 2] : 0;
        for (; k < nc && c[k].scan == r->prefix; k++)
            if (up && up == c[k].origin && r->origin != c[k].origin)
                mrs_set64_add(upstream, (uint64_t)c[k].prefix << 32 | c[k].origin);
    }
    free(want);
    qsort(*sp, *nsp, sizeof **sp, mrs_span_cmp);
    return 0;
}

int det_hijack_context(det *d)
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
        size_t n = det_path_distinct(d->v, r->path, d->buf, &set);
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
            if (mrs_set64_has(&upstream, pair) && !det_rpki_decided(ev->reasons)) {
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
                if (!conflict && !det_rpki_decided(ev->reasons))
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

static uint64_t facts_count(const mrs_key_count *v, size_t n, uint64_t key)
{
    size_t lo;
    MRS_LOWER_BOUND(lo, n, i, v[i].key < key);
    return lo < n && v[lo].key == key ? v[lo].n : 0;
}

/* A part of a split run: the shares from every part's prefixes (mrs_detect_facts). */
static void forged_filter_facts(det *d)
{
    const mrs_detect_facts *f = d->cfg.facts;
    size_t m = 0;
    for (size_t i = 0; i < d->nev; i++) {
        event *e = &d->ev[i];
        if (e->cls == MRS_INC_HIJACK_PATH) {
            uint32_t o = mrs_view_route_at(d->v, e->route)->origin;
            uint64_t n_o = facts_count(f->origins, f->n_origins, o),
                     n_l = facts_count(f->last_links, f->n_last_links, (uint64_t)e->culprit << 32 | o);
            if (n_l * 2 > n_o)
                continue;
        }
        d->ev[m++] = *e;
    }
    d->nev = m;
}

int det_forged_filter(det *d)
{
    if (d->cfg.facts) {
        forged_filter_facts(d);
        return 0;
    }
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
        size_t n = det_path_distinct(d->v, r->path, d->buf, &set);
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
    qsort(ao, no, sizeof *ao, mrs_cmp_u64);
    qsort(al, nl, sizeof *al, mrs_cmp_u64);
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
