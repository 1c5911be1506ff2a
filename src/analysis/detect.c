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
#include "detect_internal.h"

#include <stdlib.h>
#include <string.h>

void mrs_detect_cfg_default(mrs_detect_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->max_evidence = 8;
    c->use_otc = true;
}

/* Default routes and prefixes too short for any real holder (IPv4 shorter than /8,
 * IPv6 shorter than /16): a collector peer that sends a default route would
 * otherwise "cover" every prefix announced later (issue 11: one RouteViews peer's
 * 0.0.0.0/0 made 20 421 sub-prefix hijacks). Never checked, never covering. */
static bool implausibly_short(const mrs_prefix *p)
{
    return p->len < (p->afi == MRS_AFI_IPV4 ? 8 : 16);
}

/* The baseline: each prefix's origins before the window (CSR: bl_off, bl_orig,
 * ascending per prefix), the prefixes in a trie, the links of baseline paths.
 * Bucketed by prefix id (a counting sort: one pass to count, one to place), then
 * each prefix's few origins sorted: no sort of all routes. */
static int build_baseline(det *d)
{
    const mrs_view *v = d->v;
    size_t nr = mrs_view_route_count(v), np = mrs_view_prefix_count(v);
    d->bl_off = calloc(np + 1, sizeof *d->bl_off);
    d->bl_path = calloc(mrs_view_path_count(v) + 1, 1);
    if (!d->bl_off || !d->bl_path)
        return -1;
    size_t cnt = 0;
    for (size_t i = 0; i < nr; i++) {
        const mrs_view_route *r = mrs_view_route_at(v, i);
        if (r->start <= d->cfg.baseline_end && r->origin && !implausibly_short(mrs_view_prefix(v, r->prefix))) {
            d->bl_off[r->prefix + 1]++;
            cnt++;
        }
    }
    for (size_t p = 0; p < np; p++)
        d->bl_off[p + 1] += d->bl_off[p];
    uint32_t *fill = malloc((np ? np : 1) * sizeof *fill);
    d->bl_orig = malloc((cnt ? cnt : 1) * sizeof *d->bl_orig);
    d->bl_trie = mrs_trie_new();
    if (!fill || !d->bl_orig || !d->bl_trie) {
        free(fill);
        return -1;
    }
    memcpy(fill, d->bl_off, np * sizeof *fill);
    mrs_set64_init(&d->bl_links);
    uint32_t last_path = UINT32_MAX;
    for (size_t i = 0; i < nr; i++) {
        const mrs_view_route *r = mrs_view_route_at(v, i);
        if (r->start > d->cfg.baseline_end || implausibly_short(mrs_view_prefix(v, r->prefix)))
            continue;
        if (r->origin)
            d->bl_orig[fill[r->prefix]++] = r->origin;
        d->bl_path[r->path] |= mrs_view_prefix(v, r->prefix)->afi == MRS_AFI_IPV6 ? BL_V6 : BL_V4;
        if (r->path != last_path) {   /* cheap de-duplication; the set does the rest */
            bool set = false;
            size_t n = det_path_distinct(v, r->path, d->buf, &set);
            for (size_t k = 1; k < n; k++)
                mrs_set64_add(&d->bl_links, det_link_key(d->buf[k - 1], d->buf[k]));
            last_path = r->path;
        }
    }
    free(fill);
    /* a part of a split run: the links of every part's baseline (a superset of its own) */
    for (size_t i = 0; d->cfg.facts && i < d->cfg.facts->n_links; i++)
        mrs_set64_add(&d->bl_links, d->cfg.facts->links[i]);
    if (d->bl_links.oom)
        return -1;
    /* each bucket sorted and without repeats, moved down over the gaps */
    uint32_t w = 0, s = 0;
    for (size_t p = 0; p < np; p++) {
        uint32_t e = d->bl_off[p + 1], w0 = w;
        size_t m = det_uniq_u32(d->bl_orig + s, e - s);
        memmove(d->bl_orig + w, d->bl_orig + s, m * sizeof *d->bl_orig);
        w += (uint32_t)m;
        d->bl_off[p] = w0;
        s = e;
        if (m && mrs_trie_insert(d->bl_trie, mrs_view_prefix(v, (uint32_t)p), (uint32_t)p) < 0)
            return -1;
    }
    d->bl_off[np] = w;
    /* Best effort: an uncompacted trie answers the same, only slower. */
    (void)mrs_trie_compact(d->bl_trie);
    return 0;
}

static void det_free(det *d)
{
    free(d->pv);
    free(d->beacon_space);
    free(d->bl_off);
    free(d->bl_path);
    free(d->bl_orig);
    mrs_trie_free(d->bl_trie);
    mrs_set64_clear(&d->bl_links);
    mrs_set64_clear(&d->bl_valleys);
    mrs_set64_clear(&d->default_peers);
    mrs_map64_clear(&d->ov);
    free(d->ev);
    irr_origin_result_clear(&d->irr_res);
}

/* The window, the baseline (origins, links, valleys) and the per-path and
 * per-prefix caches; d is zeroed first and always safe to det_free. */
static int det_setup(det *d, const mrs_view *v, const mrs_detect_kb *kb, const mrs_detect_cfg *cfg)
{
    memset(d, 0, sizeof *d);
    d->v = v;
    d->kb = kb;
    d->cfg = *cfg;
    if (!d->cfg.from && !d->cfg.to) {
        d->cfg.from = mrs_view_first_time(v);
        d->cfg.to = mrs_view_last_time(v);
    }
    if (!d->cfg.baseline_end)
        d->cfg.baseline_end = d->cfg.from;
    d->pv = calloc(mrs_view_path_count(v) + 1, sizeof *d->pv);
    d->beacon_space = calloc(mrs_view_prefix_count(v) + 1, 1);
    mrs_set64_init(&d->default_peers);
    if (!d->pv || !d->beacon_space || build_baseline(d) != 0 || det_build_baseline_valleys(d) != 0)
        return -1;
    return 0;
}

int mrs_detect(const mrs_view *v, const mrs_detect_kb *kb, const mrs_detect_cfg *cfg, mrs_incident_list *out,
               mrs_detect_stats *st)
{
    mrs_detect_stats dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    det d;
    int rc = -1;
    if (det_setup(&d, v, kb, cfg) != 0)
        goto done;
    size_t nr = mrs_view_route_count(v);
    for (size_t i = 0; i < nr; i++) {
        const mrs_view_route *r = mrs_view_route_at(v, i);
        uint32_t s, e;
        if (!det_clip(&d, r, &s, &e))
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
                if (r->origin && det_add_event(&d, MRS_INC_BOGON_PREFIX, r->origin, (uint32_t)i, r, s, e, 0, MRS_CONF_HIGH,
                                           MRS_WHY_SPECIAL_PURPOSE) != 0)
                    goto done;
                continue;
            }
        }
        const path_verdict *pv = det_path_check(&d, r->path);
        if (pv->bogon) {
            if (pv->bogon_culprit && det_add_event(&d, MRS_INC_BOGON_ASN, pv->bogon_culprit, (uint32_t)i, r, s, e, 0,
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
        uint8_t *bsp = &d.beacon_space[r->prefix];
        if (!*bsp)
            *bsp = mrs_beacon_space(kb->beacons, p) ? 2 : 1;   /* once per prefix, not per route */
        if (*bsp == 2 && r->origin && mrs_beacon_match(kb->beacons, p, r->origin)) {
            /* routing beacons (kb/beacon.h): announced and withdrawn on a schedule by
             * research networks over exchange links no inference knows, and their
             * peers are asked to give them transit (the RIS peering policy: "treat
             * the beacon prefixes as normal customer prefixes"); exempt from the leak,
             * forged-path and origin checks when their listed origin announces them
             * (anyone else is still checked; a bogon in the path is still a bogon) */
            st->beacon_routes++;
            continue;
        }
        bool rel_ok = det_rel_applies(&d, p);
        uint32_t leaker = rel_ok ? pv->leaker : 0, why = 0;
        uint8_t lt = pv->leak_type;
        mrs_confidence conf = MRS_CONF_HIGH;
        if (rel_ok && pv->conflict_leaker) {
            /* the path's first valley was there before the window: an observation
             * (relationship-conflict), listed; a new valley further on is judged apart */
            uint32_t cw = (d.cfg.snapshot ? MRS_WHY_SNAPSHOT : MRS_WHY_REL_CONFLICT) |
                          (d.cfg.asrel_off_period ? MRS_WHY_OFF_PERIOD : 0);
            if (det_add_event(&d, MRS_INC_ROUTE_LEAK, pv->conflict_leaker, (uint32_t)i, r, s, e, pv->conflict_type,
                          MRS_CONF_LOW, cw) != 0)
                goto done;
        }
        if (leaker) {
            conf = det_valley_strength(&d, pv, &why);
            if (leaker == pv->forged_culprit)
                leaker = 0;   /* the valley is the forged link itself: a forged path, judged below */
            else if (conf == MRS_CONF_HIGH && r->origin && pv->leak_from == r->origin &&
                     !det_bl_has(&d, r->prefix, r->origin)) {
                /* a neighbour's own new route passed on: a new valley only because the
                 * route is new (simulated: a customer's sub-prefix hijack over a
                 * customer link written as a peering, passed to 24 peers) */
                conf = MRS_CONF_LOW;
                why |= MRS_WHY_NEW_ROUTE;
            }
        } else if (r->otc && rel_ok && !pv->conflict_leaker && d.cfg.use_otc &&
                   (leaker = det_otc_leaker(&d, r, &lt)) != 0) {
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
        if (leaker && det_add_event(&d, MRS_INC_ROUTE_LEAK, leaker, (uint32_t)i, r, s, e, lt, conf, why) != 0)
            goto done;
        if (!r->origin)
            continue;
        if (rel_ok && pv->forged_culprit) {
            why = MRS_WHY_NEW_LINK | MRS_WHY_FEW_PREFIXES | (d.cfg.has_baseline ? 0 : MRS_WHY_NO_BASELINE) |
                  (d.cfg.asrel_off_period ? MRS_WHY_OFF_PERIOD : 0);
            conf = d.cfg.has_baseline && !d.cfg.asrel_off_period ? MRS_CONF_HIGH : MRS_CONF_LOW;
            if (det_add_event(&d, MRS_INC_HIJACK_PATH, pv->forged_culprit, (uint32_t)i, r, s, e, 0, conf, why) != 0)
                goto done;
            continue;   /* the origin is the victim's own */
        }
        /* fast path: the baseline origin of the exact prefix, not RPKI-invalid */
        if (det_bl_has(&d, r->prefix, r->origin) &&
            (!kb->rpki || mrs_rov_validate(kb->rpki, p, r->origin, false) != MRS_ROV_INVALID))
            continue;
        uint64_t key = (uint64_t)r->prefix << 32 | r->origin;
        uint32_t ov;
        if (!det_ov_get(&d.ov, key, &ov)) {
            ov = det_origin_classify(&d, r->prefix, r->origin);
            if (det_ov_put(&d.ov, key, ov) != 0)
                goto done;
        }
        static const mrs_incident_class ovc[] = {MRS_INC_NCLASSES, MRS_INC_HIJACK_ORIGIN, MRS_INC_HIJACK_SUBPREFIX,
                                                 MRS_INC_RPKI_INVALID};
        unsigned verdict = ov & 0x7f;
        if (verdict != OV_LEGIT && det_add_event(&d, ovc[verdict], r->origin, (uint32_t)i, r, s, e, 0,
                                             ov & OV_LOW ? MRS_CONF_LOW : MRS_CONF_HIGH, ov >> 8) != 0)
            goto done;
    }
    if (det_forged_filter(&d) != 0 || det_hijack_context(&d) != 0 || det_corroborate(&d) != 0)
        goto done;
    st->events = d.nev;
    st->default_peers = d.default_peers.count;
    if (d.nev)
        qsort(d.ev, d.nev, sizeof *d.ev, det_cmp_event);
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
        if (det_make_incident(&d, i, j, out, st) != 0)
            goto done;
        i = j;
    }
    mrs_incident_list_canonical(out);
    rc = 0;
done:
    det_free(&d);
    return rc;
}

/* sorted, unique keys of a set */
static int set_keys(const mrs_set64 *s, uint64_t **out, size_t *n)
{
    *n = 0;
    *out = malloc((s->count ? s->count : 1) * sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i])
            (*out)[(*n)++] = s->slots[i] - 1;
    qsort(*out, *n, sizeof **out, mrs_cmp_u64);
    return 0;
}

/* keys (sorted) -> (key, run length) */
static int count_runs(uint64_t *k, size_t n, mrs_key_count **out, size_t *nout)
{
    qsort(k, n, sizeof *k, mrs_cmp_u64);
    *nout = 0;
    *out = malloc((n ? n : 1) * sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && k[j] == k[i])
            j++;
        (*out)[(*nout)++] = (mrs_key_count){k[i], j - i};
        i = j;
    }
    return 0;
}

int mrs_detect_facts_of(const mrs_view *v, const mrs_detect_kb *kb, const mrs_detect_cfg *cfg, mrs_detect_facts *out)
{
    memset(out, 0, sizeof *out);
    mrs_detect_cfg c = *cfg;
    c.facts = NULL;
    det d;
    mrs_set64 op;
    mrs_set192 lp;
    mrs_set64_init(&op);
    mrs_set192_init(&lp);
    uint64_t *ko = NULL, *kl = NULL;
    int rc = -1;
    if (det_setup(&d, v, kb, &c) != 0)
        goto done;
    if (set_keys(&d.bl_links, &out->links, &out->n_links) != 0 ||
        set_keys(&d.bl_valleys, &out->valleys, &out->n_valleys) != 0)
        goto done;
    /* det_forged_filter's shares, for every origin and last link: distinct
     * (origin, prefix) and (neighbour, origin, prefix) */
    size_t nr = mrs_view_route_count(v);
    out->routes = nr;
    for (size_t i = 0; i < nr; i++) {
        const mrs_view_route *r = mrs_view_route_at(v, i);
        if (!r->origin)
            continue;
        mrs_set64_add(&op, (uint64_t)r->origin << 32 | r->prefix);
        bool set = false;
        size_t n = det_path_distinct(v, r->path, d.buf, &set);
        if (n >= 2)
            mrs_set192_add(&lp, (mrs_key192){d.buf[n - 2], r->origin, r->prefix});
    }
    if (op.oom || lp.oom)
        goto done;
    /* the peers that sent a default route, as mrs_detect counts them */
    out->default_peers = malloc((mrs_view_peer_count(v) + 1) * sizeof *out->default_peers);
    if (!out->default_peers)
        goto done;
    for (size_t i = 0; i < nr; i++) {
        const mrs_view_route *r = mrs_view_route_at(v, i);
        uint32_t s, e;
        if (mrs_view_prefix(v, r->prefix)->len == 0 && det_clip(&d, r, &s, &e) &&
            mrs_set64_add(&d.default_peers, r->peer))
            out->default_peers[out->n_default_peers++] = *mrs_view_peer_at(v, r->peer);
    }
    if (out->n_default_peers)
        qsort(out->default_peers, out->n_default_peers, sizeof *out->default_peers, mrs_view_peer_cmp);
    ko = malloc((op.count + 1) * sizeof *ko);
    kl = malloc((lp.count + 1) * sizeof *kl);
    if (!ko || !kl)
        goto done;
    size_t no = 0, nl = 0;
    for (size_t k = 0; k < op.cap; k++)
        if (op.slots[k])
            ko[no++] = (op.slots[k] - 1) >> 32;
    for (size_t k = 0; k < lp.cap; k++)
        if (lp.used[k])
            kl[nl++] = lp.slots[k].a << 32 | lp.slots[k].b;
    if (count_runs(ko, no, &out->origins, &out->n_origins) != 0 ||
        count_runs(kl, nl, &out->last_links, &out->n_last_links) != 0)
        goto done;
    rc = 0;
done:
    det_free(&d);
    mrs_set64_clear(&op);
    mrs_set192_clear(&lp);
    free(ko);
    free(kl);
    if (rc != 0)
        mrs_detect_facts_clear(out);
    return rc;
}
