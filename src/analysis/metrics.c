/*
 * metrics.c — per-network MANRS metrics (manrs-metrics.md; choices in docs/observe.md).
 *
 * Announced routes: the view's routes are bucketed by prefix id with a counting
 * sort (linear, one uint32 per route), then each prefix's (origin, peer) pairs are
 * sorted (a handful each) to count distinct collector peers per origin; a (prefix,
 * origin) seen by >= min_peers peers is announced and checked once against RPKI
 * (RFC 6811) and IRR. Incident metrics merge overlapping incidents of the same
 * metric and network before scoring (the doc's "events ... merged into one incident").
 */
#include "manrs/analysis/metrics.h"
#include "manrs/core/grow.h"
#include "manrs/core/search.h"
#include "manrs/core/utf8.h"

#include <stdlib.h>
#include <string.h>

#include "manrs/core/hashset.h"

void mrs_network_list_clear(mrs_network_list *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

static mrs_network_metrics *find(mrs_network_list *l, uint32_t asn)
{
    size_t lo;
    MRS_LOWER_BOUND(lo, l->n, i, l->v[i].asn < asn);
    return lo < l->n && l->v[lo].asn == asn ? &l->v[lo] : NULL;
}

/* Score of an incident held from s to e. A snapshot's incident (s == e: seen in a
 * RIB alone) was held for at least a moment: the shortest duration's score. */
static double held_score(uint32_t s, uint32_t e)
{
    return mrs_incident_score(e > s ? (int64_t)e - s : 1);
}

/* (asn, metric/c flag, start, end, weight) intervals for the incident metrics */
typedef struct ival {
    uint32_t asn;
    uint8_t metric;     /* 1..4, +4 for the C variant */
    uint32_t s, e;
    double w;
} ival;

static int cmp_ival(const void *a, const void *b)
{
    const ival *x = a, *y = b;
    if (x->asn != y->asn)
        return x->asn < y->asn ? -1 : 1;
    if (x->metric != y->metric)
        return x->metric < y->metric ? -1 : 1;
    return x->s < y->s ? -1 : x->s > y->s;
}

static bool contact_ok(const irr_db *db, const char *list)
{
    if (!list || !*list)
        return false;
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ')
            e++;
        if (e > p && (size_t)(e - p) < 128) {
            char key[128];
            memcpy(key, p, (size_t)(e - p));
            key[e - p] = 0;
            const irr_contact *c = irr_db_contact(db, IRR_CLASS_ROLE, key, NULL);
            if (!c || !c->e_mail || !*c->e_mail)
                c = irr_db_contact(db, IRR_CLASS_PERSON, key, NULL);
            if (c && c->e_mail && *c->e_mail)
                return true;
        }
        p = e;
    }
    return false;
}

int mrs_metrics_finish(const mrs_metrics_input *in, const mrs_metrics_part *part, mrs_network_list *out)
{
    memset(out, 0, sizeof *out);
    const mrs_score_cfg *sc = &in->score;
    int rc = -1;
    uint32_t *asns = NULL;
    ival *iv = NULL;
    size_t nas = 0, cap_as = 0;
    mrs_set64 seen;
    mrs_set64_init(&seen);
#define ADD_AS(a)                                                                                                      \
    do {                                                                                                               \
        uint32_t a_ = (a);                                                                                             \
        if (a_ && mrs_set64_add(&seen, a_)) {                                                                          \
            uint32_t *t_ = mrs_grow(asns, &cap_as, nas + 1, sizeof *t_, 1024);                                         \
            if (!t_)                                                                                                   \
                goto done;                                                                                             \
            asns = t_;                                                                                                 \
            asns[nas++] = a_;                                                                                          \
        }                                                                                                              \
    } while (0)
    /* 1. the networks */
    for (size_t i = 0; i < part->n_asns; i++)
        ADD_AS(part->asns[i]);
    for (size_t i = 0; in->incidents && i < in->incidents->n; i++) {
        const mrs_incident *x = &in->incidents->v[i];
        ADD_AS(x->culprit);
        for (size_t k = 0; k < x->n_propagators; k++)
            ADD_AS(x->propagators[k]);
    }
    for (size_t i = 0; in->spoofer && i < in->spoofer->n; i++)
        ADD_AS(in->spoofer->v[i].asn);
    for (size_t i = 0; in->pdb && i < in->pdb->n; i++)
        ADD_AS(in->pdb->v[i].asn);
    if (nas)
        qsort(asns, nas, sizeof *asns, mrs_cmp_u32);
    out->v = calloc(nas ? nas : 1, sizeof *out->v);
    if (!out->v)
        goto done;
    out->n = nas;
    for (size_t i = 0; i < nas; i++) {
        mrs_network_metrics *m = &out->v[i];
        m->asn = asns[i];
        m->m5 = m->m5c = -1;
        m->m7irr = m->m7rpki = m->m7rpkin = -1;
        if (in->orgs) {
            const char *nm = mrs_as2org_org_name(in->orgs, mrs_as2org_org(in->orgs, m->asn));
            size_t k = 0;
            /* whole UTF-8 sequences only, control characters dropped */
            for (size_t j = 0; nm && nm[j] && k + 1 < sizeof m->name;) {
                unsigned char c = (unsigned char)nm[j];
                size_t len = c < 0x80 ? 1 : mrs_utf8_len((const unsigned char *)nm + j, strlen(nm + j));
                if (!len) {
                    j++;
                    continue;
                }
                if (k + len >= sizeof m->name)
                    break;
                if (len > 1 || (c >= 0x20 && c != 0x7f))
                    for (size_t t = 0; t < len; t++)
                        m->name[k++] = nm[j + t];
                j += len;
            }
            m->name[k] = 0;
        }
        if (in->deleg) {
            mrs_deleg_answer a;
            mrs_deleg_lookup_asn(in->deleg, m->asn, &a);
            if (a.rec && !mrs_deleg_status_unallocated(a.status)) {
                memcpy(m->country, a.rec->cc, 3);
                m->country[3] = 0;
            }
        }
        if (in->irr) {
            const irr_aut_num *an = irr_db_aut_num(in->irr, m->asn, NULL);
            if (an) {
                m->m6 = an->n_import > 0 && an->n_export > 0;
                m->m8 = contact_ok(in->irr, an->admin_c) || contact_ok(in->irr, an->tech_c);
                m->contact_known = true;
            }
        }
        if (in->pdb) {
            const mrs_pdb_net *pn = mrs_peeringdb_find(in->pdb, m->asn);
            if (pn)
                m->contact_known = true;
            if (pn && pn->poc_email)
                m->m8 = true;
        }
    }
    /* 2. announced (prefix, origin) pairs: those seen by >= min_peers peers */
    unsigned min_peers = sc->min_peers ? sc->min_peers : 1;
    for (size_t i = 0; i < part->n_ann; i++) {
        const mrs_announce_count *a = &part->ann[i];
        mrs_network_metrics *m = a->peers >= min_peers ? find(out, a->asn) : NULL;
        if (!m)
            continue;
        m->announced += a->pairs;
        m->rpki_valid += a->rpki_valid;
        m->rpki_invalid += a->rpki_invalid;
        m->irr_covered += a->irr_covered;
    }
    /* 3. incident metrics */
    size_t niv = 0, cap_iv = 0;
    for (size_t i = 0; in->incidents && i < in->incidents->n; i++)
        cap_iv += 1 + in->incidents->v[i].n_accomplices;
    iv = malloc((cap_iv ? cap_iv : 1) * sizeof *iv);
    if (!iv)
        goto done;
    for (size_t i = 0; in->incidents && i < in->incidents->n; i++) {
        const mrs_incident *x = &in->incidents->v[i];
        if (x->confidence != MRS_CONF_HIGH && !sc->include_low)
            continue;   /* listed, never scored */
        unsigned met = (unsigned)mrs_incident_metric(x->cls);
        mrs_network_metrics *m = find(out, x->culprit);
        double sc1 = held_score(x->start, x->end);
        if (m)
            m->raw[x->cls] += sc1;
        iv[niv++] = (ival){x->culprit, (uint8_t)met, x->start, x->end, 1.0};
        for (size_t k = 0; k < x->n_accomplices; k++) {
            uint32_t acc = x->accomplices[k];
            /* C metrics: incidents of a direct customer (as-rel p2c); without as-rel,
             * every adjacent propagator */
            if (in->asrel && mrs_asrel_rel(in->asrel, acc, x->culprit) != MRS_REL_P2C)
                continue;
            mrs_network_metrics *ma = find(out, acc);
            if (ma)
                ma->raw_c[x->cls] += sc->accomplice_weight * sc1;
            iv[niv++] = (ival){acc, (uint8_t)(met + 4), x->start, x->end, sc->accomplice_weight};
        }
    }
    qsort(iv, niv, sizeof *iv, cmp_ival);
    double merged[9];
    for (size_t i = 0; i < niv;) {
        mrs_network_metrics *m = find(out, iv[i].asn);
        memset(merged, 0, sizeof merged);
        size_t j = i;
        while (j < niv && iv[j].asn == iv[i].asn) {
            /* one metric: merge overlapping intervals (and flaps, incident.h) */
            size_t k = j;
            uint32_t s = iv[k].s, e = iv[k].e;
            uint8_t met = iv[k].metric;
            double w = iv[k].w;
            k++;
            while (k < niv && iv[k].asn == iv[j].asn && iv[k].metric == met) {
                if ((uint64_t)iv[k].s <= (uint64_t)e + MRS_INCIDENT_FLAP_GAP) {
                    if (iv[k].e > e)
                        e = iv[k].e;
                } else {
                    merged[met] += w * held_score(s, e);
                    s = iv[k].s;
                    e = iv[k].e;
                }
                k++;
            }
            merged[met] += w * held_score(s, e);
            j = k;
        }
        if (m) {
            m->m1 = mrs_metric_percent(merged[1]);
            m->m2 = mrs_metric_percent(merged[2]);
            m->m3 = mrs_metric_percent(merged[3]);
            m->m4 = mrs_metric_percent(merged[4]);
            m->m1c = mrs_metric_percent(merged[5]);
            m->m2c = mrs_metric_percent(merged[6]);
            m->m3c = mrs_metric_percent(merged[7]);
            m->m4c = mrs_metric_percent(merged[8]);
        }
        i = j;
    }
    /* networks without incidents: 100 % */
    for (size_t i = 0; i < out->n; i++) {
        mrs_network_metrics *m = &out->v[i];
        bool any = false;
        for (unsigned c = 0; c < MRS_INC_NCLASSES; c++)
            any |= m->raw[c] > 0 || m->raw_c[c] > 0;
        if (!any && m->m1 == 0 && m->m2 == 0 && m->m1c == 0 && m->m2c == 0 && m->m3 == 0 && m->m4 == 0 &&
            m->m3c == 0 && m->m4c == 0)
            m->m1 = m->m1c = m->m2 = m->m2c = m->m3 = m->m3c = m->m4 = m->m4c = 100.0;
    }
    /* 4. Spoofer (M5: distinct client prefixes that leaked spoofed packets) */
    if (in->spoofer && in->spoofer->n) {
        size_t n = in->spoofer->n;
        mrs_spoof_test *t = malloc(n * sizeof *t);
        if (!t)
            goto done;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            const mrs_spoof_test *x = &in->spoofer->v[i];
            if (in->to && (x->time < in->from || x->time > in->to))
                continue;
            t[k++] = *x;
        }
        /* count per ASN: tested?, distinct leaking prefixes */
        for (size_t i = 0; i < k; i++) {
            mrs_network_metrics *m = find(out, t[i].asn);
            if (m && m->m5 < 0)
                m->m5 = 0;   /* tested: raw 0 so far (stored as raw, converted below) */
        }
        mrs_set64 lp;
        mrs_set64_init(&lp);
        for (size_t i = 0; i < k; i++) {
            if (!t[i].leaked)
                continue;
            uint64_t key = (uint64_t)t[i].asn << 32 ^ ((uint64_t)t[i].client.addr[0] << 24 |
                                                       (uint64_t)t[i].client.addr[1] << 16 |
                                                       (uint64_t)t[i].client.addr[2] << 8 | t[i].client.addr[3]) ^
                           ((uint64_t)t[i].client.len << 56);
            if (!mrs_set64_add(&lp, key))
                continue;
            mrs_network_metrics *m = find(out, t[i].asn);
            if (m)
                m->m5 += 1;
            if (in->asrel) {
                const uint32_t *prov;
                size_t npv = mrs_asrel_providers(in->asrel, t[i].asn, &prov);
                for (size_t q = 0; q < npv; q++) {
                    mrs_network_metrics *mp = find(out, prov[q]);
                    if (mp) {
                        if (mp->m5c < 0)
                            mp->m5c = 0;
                        mp->m5c += sc->accomplice_weight;
                    }
                }
            }
        }
        /* direct customers tested without leaking: M5C has data (0) */
        for (size_t i = 0; in->asrel && i < k; i++) {
            const uint32_t *prov;
            size_t npv = mrs_asrel_providers(in->asrel, t[i].asn, &prov);
            for (size_t q = 0; q < npv; q++) {
                mrs_network_metrics *mp = find(out, prov[q]);
                if (mp && mp->m5c < 0)
                    mp->m5c = 0;
            }
        }
        mrs_set64_clear(&lp);
        free(t);
        for (size_t i = 0; i < out->n; i++) {
            mrs_network_metrics *m = &out->v[i];
            if (m->m5 >= 0)
                m->m5 = mrs_metric_percent(m->m5);
            if (m->m5c >= 0)
                m->m5c = mrs_metric_percent(m->m5c);
        }
    }
    /* 5. per action */
    for (size_t i = 0; i < out->n; i++) {
        mrs_network_metrics *m = &out->v[i];
        if (m->announced) {
            m->m7irr = 100.0 * (double)m->irr_covered / (double)m->announced;
            m->m7rpki = in->rpki ? mrs_rpki_percent(m->rpki_valid, m->rpki_invalid, m->announced) : -1;
            m->m7rpkin = in->rpki ? 100.0 * (double)m->rpki_invalid / (double)m->announced : -1;
        }
        double a1[8] = {m->m2, m->m2c, m->m3, m->m3c, m->m4, m->m4c, m->m1, m->m1c};
        unsigned na1 = sc->leaks_in_action1 ? 8 : 6;
        double s1 = sc->action1_product ? 100.0 : 1e9;
        for (unsigned k = 0; k < na1; k++)
            s1 = sc->action1_product ? s1 * a1[k] / 100.0 : (a1[k] < s1 ? a1[k] : s1);
        m->action[1] = m->announced ? s1 : -1;
        m->action[2] = m->m5;
        /* Action 3: a network no contact source describes (no aut-num in the IRR
         * dumps given, no PeeringDB record) has no data, not "lagging": the
         * sources given may simply not cover it (a 3-record PeeringDB excerpt) */
        m->action[3] = m->m8 ? 100.0 : m->contact_known ? 0.0 : -1;
        m->action[4] = m->announced ? m->m7rpki : -1;
        for (int k = 1; k <= 3; k++)
            m->status[k] = mrs_readiness_of(sc, m->action[k]);
        /* Action 4: both figures must reach the threshold; the status is the lower one */
        double a4 = m->m7rpki < m->m7irr ? m->m7rpki : m->m7irr;
        m->status[4] = m->announced ? mrs_readiness_of(sc, a4) : MRS_NO_DATA;
    }
    rc = 0;
done:
#undef ADD_AS
    if (rc != 0)
        mrs_network_list_clear(out);
    mrs_set64_clear(&seen);
    free(asns);
    free(iv);
    return rc;
}

int mrs_announce_count_cmp(const void *a_, const void *b_)
{
    const mrs_announce_count *a = a_, *b = b_;
    if (a->asn != b->asn)
        return a->asn < b->asn ? -1 : 1;
    return a->peers < b->peers ? -1 : a->peers > b->peers;
}

int mrs_peer_prefixes_cmp(const void *a_, const void *b_)
{
    const mrs_peer_prefixes *a = a_, *b = b_;
    if (a->asn != b->asn)
        return a->asn < b->asn ? -1 : 1;
    if (a->afi != b->afi)
        return a->afi < b->afi ? -1 : 1;
    return memcmp(a->ip, b->ip, sizeof a->ip);
}

/* sort, then add up the entries of equal (asn, peers) */
static size_t combine_ann(mrs_announce_count *v, size_t n)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, mrs_announce_count_cmp);
    size_t w = 0;
    for (size_t i = 1; i < n; i++) {
        if (mrs_announce_count_cmp(&v[w], &v[i]) == 0) {
            v[w].pairs += v[i].pairs;
            v[w].rpki_valid += v[i].rpki_valid;
            v[w].rpki_invalid += v[i].rpki_invalid;
            v[w].irr_covered += v[i].irr_covered;
        } else
            v[++w] = v[i];
    }
    return w + 1;
}

void mrs_metrics_part_clear(mrs_metrics_part *p)
{
    free(p->asns);
    free(p->ann);
    free(p->peers);
    memset(p, 0, sizeof *p);
}

int mrs_metrics_part_of(const mrs_metrics_input *in, mrs_metrics_part *out)
{
    memset(out, 0, sizeof *out);
    const mrs_view *v = in->view;
    int rc = -1;
    uint32_t *bucket_off = NULL, *order = NULL;
    uint64_t *op = NULL, *cnt = NULL;
    size_t cap_as = 0, cap_ann = 0;
    mrs_set64 seen;
    mrs_set64_init(&seen);
    /* 1. the networks on the paths */
    uint32_t buf[512];
    for (size_t p = 0; p < mrs_view_path_count(v); p++) {
        bool set = false;
        size_t n = mrs_view_path_asns(v, (uint32_t)p, buf, 512, &set);
        for (size_t k = 0; k < n && k < 512; k++)
            if (buf[k] && mrs_set64_add(&seen, buf[k])) {
                uint32_t *t = mrs_grow(out->asns, &cap_as, out->n_asns + 1, sizeof *t, 1024);
                if (!t)
                    goto done;
                out->asns = t;
                out->asns[out->n_asns++] = buf[k];
            }
    }
    if (out->n_asns)
        qsort(out->asns, out->n_asns, sizeof *out->asns, mrs_cmp_u32);
    /* 2. (prefix, origin) pairs by peer count: counting sort of routes by prefix */
    size_t nr = mrs_view_route_count(v), np = mrs_view_prefix_count(v);
    bucket_off = calloc(np + 1, sizeof *bucket_off);
    order = malloc((nr ? nr : 1) * sizeof *order);
    if (!bucket_off || !order)
        goto done;
    for (size_t i = 0; i < nr; i++)
        bucket_off[mrs_view_route_at(v, i)->prefix + 1]++;
    for (size_t p = 0; p < np; p++)
        bucket_off[p + 1] += bucket_off[p];
    for (size_t i = 0; i < nr; i++)
        order[bucket_off[mrs_view_route_at(v, i)->prefix]++] = (uint32_t)i;
    for (size_t p = np; p > 0; p--)
        bucket_off[p] = bucket_off[p - 1];
    bucket_off[0] = 0;
    size_t cap_op = 64;
    op = malloc(cap_op * sizeof *op);
    if (!op)
        goto done;
    irr_origin_result ir;
    memset(&ir, 0, sizeof ir);
    for (size_t p = 0; p < np; p++) {
        size_t a = bucket_off[p], b = bucket_off[p + 1], k = 0;
        uint64_t *t = mrs_grow(op, &cap_op, b - a, sizeof *t, 64);
        if (!t)
            goto done_ir;
        op = t;
        for (size_t i = a; i < b; i++) {
            const mrs_view_route *r = mrs_view_route_at(v, order[i]);
            if (!r->origin)
                continue;
            if (in->to && (r->start > in->to || r->end < in->from))
                continue;
            op[k++] = (uint64_t)r->origin << 32 | r->peer;
        }
        qsort(op, k, sizeof *op, mrs_cmp_u64);
        for (size_t i = 0; i < k;) {
            size_t j = i;
            unsigned peers = 0;
            while (j < k && op[j] >> 32 == op[i] >> 32) {
                if (j == i || op[j] != op[j - 1])
                    peers++;
                j++;
            }
            uint32_t origin = (uint32_t)(op[i] >> 32);
            i = j;
            const mrs_prefix *pfx = mrs_view_prefix(v, (uint32_t)p);
            mrs_announce_count e = {origin, peers, 1, 0, 0, 0};
            if (in->rpki) {
                mrs_rov_state s = mrs_rov_validate(in->rpki, pfx, origin, false);
                e.rpki_valid = s == MRS_ROV_VALID;
                e.rpki_invalid = s == MRS_ROV_INVALID;
            }
            if (in->irr && irr_check_origin(in->irr, pfx, origin, NULL, &ir) == 0 &&
                (ir.state == IRR_VALID || ir.state == IRR_VALID_COVERED))
                e.irr_covered = 1;
            mrs_announce_count *g = mrs_grow(out->ann, &cap_ann, out->n_ann + 1, sizeof *g, 1024);
            if (!g)
                goto done_ir;
            out->ann = g;
            out->ann[out->n_ann++] = e;
        }
    }
    out->n_ann = combine_ann(out->ann, out->n_ann);
    /* 3. distinct prefixes per collector peer (full-feed peers) */
    size_t npeer = mrs_view_peer_count(v);
    cnt = calloc(2 * (npeer ? npeer : 1), sizeof *cnt);
    out->peers = calloc(npeer ? npeer : 1, sizeof *out->peers);
    if (!cnt || !out->peers || mrs_view_peer_prefixes(v, cnt, out->prefixes) != 0)
        goto done_ir;
    for (size_t i = 0; i < npeer; i++) {
        const mrs_view_peer *vp = mrs_view_peer_at(v, i);
        mrs_peer_prefixes *pp = &out->peers[out->n_peers++];
        pp->asn = vp->asn;
        pp->afi = vp->afi;
        memcpy(pp->ip, vp->ip, sizeof pp->ip);
        pp->n[0] = cnt[2 * i];
        pp->n[1] = cnt[2 * i + 1];
    }
    qsort(out->peers, out->n_peers, sizeof *out->peers, mrs_peer_prefixes_cmp);
    rc = seen.oom ? -1 : 0;
done_ir:
    irr_origin_result_clear(&ir);
done:
    mrs_set64_clear(&seen);
    free(bucket_off);
    free(order);
    free(op);
    free(cnt);
    if (rc != 0)
        mrs_metrics_part_clear(out);
    return rc;
}

long mrs_metrics_part_full_feed_peers(const mrs_metrics_part *p)
{
    long n = 0;
    for (size_t i = 0; i < p->n_peers; i++)
        n += mrs_view_full_feed(p->peers[i].n[0], p->prefixes[0]) ||
             mrs_view_full_feed(p->peers[i].n[1], p->prefixes[1]);
    return n;
}

int mrs_metrics_compute(const mrs_metrics_input *in, mrs_network_list *out)
{
    mrs_metrics_part p;
    memset(out, 0, sizeof *out);
    if (mrs_metrics_part_of(in, &p) != 0)
        return -1;
    int rc = mrs_metrics_finish(in, &p, out);
    mrs_metrics_part_clear(&p);
    return rc;
}
