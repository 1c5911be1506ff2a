/*
 * detect_incident.c — events (route x class) into findings: one per class,
 * culprit and prefix over one run of time (flaps joined, MRS_INCIDENT_FLAP_GAP),
 * high when a route of it is, everything else from the routes that gave the
 * verdict; propagators, accomplices, evidence rows with the route's file and
 * offset; one collector peer AS alone makes what rests on propagation low;
 * the victims (incident.h) from the baseline, the routes and the ROAs.
 */
#include "detect_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int det_add_event(det *d, mrs_incident_class cls, uint32_t culprit, uint32_t ri, const mrs_view_route *r, uint32_t s,
                  uint32_t e, uint8_t lt, unsigned conf, uint32_t why)
{
    event *t = mrs_grow(d->ev, &d->capev, d->nev + 1, sizeof *t, 256);
    if (!t)
        return -1;
    d->ev = t;
    d->ev[d->nev++] = (event){culprit, r->prefix, ri, s, e, why, (uint8_t)cls, lt, (uint8_t)conf};
    return 0;
}

int det_cmp_event(const void *a, const void *b)
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
        else if (det_path_check(d, r->path)->conflict_leaker == e->culprit)
            snprintf(buf, sizeof buf, "valley at AS%u already on paths before the window (type %u)", e->culprit,
                     e->leak_type);
        else if (det_path_check(d, r->path)->leaker)
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
            uint32_t q = det_bl_covering(d, p);
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
    case MRS_INC_HIJACK_SUBPREFIX: return !det_rpki_decided(x->reasons);
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

#define MAX_VICTIMS 64

static size_t add_victim(uint32_t *v, size_t n, uint32_t asn, uint32_t culprit)
{
    if (!asn || asn == culprit)
        return n;
    for (size_t i = 0; i < n; i++)
        if (v[i] == asn)
            return n;
    if (n < MAX_VICTIMS)
        v[n++] = asn;
    return n;
}

/* The networks incident x harmed (incident.h), from the events [a, b) of its
 * verdict (conf). A hijack's victims are the prefix's (or the covering prefix's)
 * origins in the baseline; without a baseline route the holders the ROAs name. */
static int find_victims(det *d, mrs_incident *x, size_t a, size_t b, mrs_confidence conf)
{
    uint32_t v[MAX_VICTIMS];
    size_t n = 0;
    uint32_t pid = d->ev[a].prefix, q = UINT32_MAX;
    switch (x->cls) {
    case MRS_INC_HIJACK_ORIGIN: q = pid; break;
    case MRS_INC_HIJACK_SUBPREFIX: q = det_bl_covering(d, &x->prefix); break;
    case MRS_INC_HIJACK_PATH:
    case MRS_INC_ROUTE_LEAK:
        for (size_t i = a; i < b; i++)
            if (d->ev[i].conf == conf)
                n = add_victim(v, n, mrs_view_route_at(d->v, d->ev[i].route)->origin, x->culprit);
        break;
    default: break;
    }
    if (q != UINT32_MAX)
        for (uint32_t i = d->bl_off[q]; i < d->bl_off[q + 1]; i++)
            n = add_victim(v, n, d->bl_orig[i], x->culprit);
    if (!n && d->kb->rpki &&
        (x->cls == MRS_INC_HIJACK_ORIGIN || x->cls == MRS_INC_HIJACK_SUBPREFIX || x->cls == MRS_INC_RPKI_INVALID)) {
        mrs_rov_result res;
        mrs_rov_validate_ex(d->kb->rpki, &x->prefix, x->culprit, false, &res);
        for (unsigned i = 0; i < res.covering_shown; i++)
            n = add_victim(v, n, res.covering[i].asn, x->culprit);
    }
    if (!n)
        return 0;
    det_sort_u32(v, n);
    if (!(x->victims = malloc(n * sizeof *x->victims)))
        return -1;
    memcpy(x->victims, v, n * sizeof *v);
    x->n_victims = n;
    return 0;
}

/* Turn events [a, b) (same class, culprit, prefix, one merged time run) into an incident. */
int det_make_incident(det *d, size_t a, size_t b, mrs_incident_list *out, mrs_detect_stats *st)
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
        size_t n = det_path_distinct(d->v, r->path, d->buf, &set);
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
    det_sort_u32(acc, na);
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
    x->n_accomplices = det_uniq_u32(acc, na);
    x->accomplices = acc;
    x->n_propagators = det_uniq_u32(prop, np);
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
    if (find_victims(d, x, a, b, conf) != 0) {
        out->n++;   /* owned by the list now: freed with it */
        return -1;
    }
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
