/*
 * incident.c — the incident model of observe.h: class names (those of the
 * simulator's truth.json, so detections can be scored against ground truth) and
 * ownership (an incident owns its propagators and evidence strings).
 */
#include "manrs/analysis/incident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const class_names[MRS_INC_NCLASSES] = {
    "route-leak", "hijack-origin", "hijack-subprefix", "hijack-path", "bogon-prefix", "bogon-asn", "rpki-invalid",
};

const char *mrs_incident_class_name(mrs_incident_class c)
{
    return (unsigned)c < MRS_INC_NCLASSES ? class_names[c] : "unknown";
}

bool mrs_incident_class_parse(const char *s, mrs_incident_class *c)
{
    for (unsigned i = 0; i < MRS_INC_NCLASSES; i++) {
        if (!strcmp(s, class_names[i])) {
            *c = (mrs_incident_class)i;
            return true;
        }
    }
    return false;
}

const char *mrs_confidence_name(mrs_confidence c) { return c == MRS_CONF_HIGH ? "high" : "low"; }

bool mrs_confidence_parse(const char *s, mrs_confidence *c)
{
    if (!strcmp(s, "high"))
        *c = MRS_CONF_HIGH;
    else if (!strcmp(s, "low"))
        *c = MRS_CONF_LOW;
    else
        return false;
    return true;
}

/* Index = bit position of the mrs_reason flag. The codes are part of the JSON and
 * store formats: never rename one, only add. */
static const struct {
    const char *code, *text;
} reasons[MRS_WHY_NCODES] = {
    {"otc-proof", "the route carried an RFC 9234 Only-to-Customer attribute and was sent up or sideways after it"},
    {"new-valley", "the valley (neighbour, leaker, neighbour) is absent from every path before the window: the path is a change"},
    {"relationship-conflict", "the same valley was already on paths before the window: more likely a relationship the "
                              "as-rel inference got wrong, a sibling or partial transit than a leak"},
    {"no-baseline", "no routes before the window: a change cannot be told from a path that was always there"},
    {"rpki-invalid", "RPKI ROAs cover the prefix and none authorises this origin (RFC 6811)"},
    {"new-origin", "the origin never announced this prefix before the window"},
    {"no-authorisation", "neither RPKI nor an IRR route object authorises this origin"},
    {"special-purpose", "the prefix is in the IANA special-purpose registries (RFC 6890) and not globally reachable"},
    {"bogon-asn-in-path", "a reserved or private ASN is in the AS path (RFC 7607, 6996, 5398, 7300)"},
    {"new-link", "the link to the origin is in neither the AS relationships nor any path before the window"},
    {"few-prefixes", "the link carries at most half of the origin's prefixes (a real adjacency carries most)"},
    {"irr-other-origin", "an IRR route object for exactly this prefix names another origin"},
    {"related-origin", "the origin and the prefix's earlier origin are provider and customer: more likely "
                       "multihoming or a provider announcing for its customer than a hijack"},
    {"snapshot", "a RIB alone is one moment: without a change or an OTC attribute a valley cannot be told from a "
                 "relationship the inference got wrong"},
    {"relationships-off-period", "the AS relationships were inferred more than six months away from the routing "
                                 "data: links and relationships change"},
    {"one-peer", "seen by one collector peer only: its own view, not a route the Internet carried"},
    {"origin-moved", "the earlier origin no longer announced the prefix while this one did: a move or a handover, "
                     "not a conflict"},
    {"concurrent-origins", "the earlier origin announced the prefix at the same time: two origins competed for it"},
    {"no-relationships", "no AS relationships: a customer announcing space of its provider cannot be told from a "
                         "stranger"},
    {"rpki-off-period", "the VRPs were exported more than six months away from the routing data and carry no "
                        "validity dates: the ROAs may not have existed then"},
    {"otc-to-peer", "the route carried OTC and went to a network the as-rel inference calls a peer: a leak if the "
                    "peering is real, but customer links inferred as peerings are common"},
    {"aspa-link", "an ASPA record (a network's own signed list of its providers) decided a link of the path that "
                  "as-rel lacks or calls otherwise"},
    {"clique-link", "a link missing from as-rel next to the Tier-1 clique, which has no providers, taken as "
                    "customer-to-provider into the clique"},
    {"unknown-link", "a link as-rel does not know lies between the route's descent and the valley: the network that "
                     "sent the route over it may be the leaker instead"},
    {"beyond-standing-valley", "an earlier valley on the path was already there before the window (standing "
                               "practice); this one further on is new"},
    {"new-route-from-origin", "the leaker had the route from its origin and the route is new in the window: a "
                              "customer's new announcement over a link the inference calls a peering looks the same"},
};

static int bit_index(uint32_t bit)
{
    for (int i = 0; i < MRS_WHY_NCODES; i++)
        if (bit == 1u << i)
            return i;
    return -1;
}

const char *mrs_reason_code(uint32_t bit)
{
    int i = bit_index(bit);
    return i < 0 ? NULL : reasons[i].code;
}

const char *mrs_reason_text(uint32_t bit)
{
    int i = bit_index(bit);
    return i < 0 ? NULL : reasons[i].text;
}

uint32_t mrs_reasons_parse(const char *s)
{
    uint32_t set = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        for (int i = 0; i < MRS_WHY_NCODES; i++)
            if (strlen(reasons[i].code) == n && !strncmp(s, reasons[i].code, n))
                set |= 1u << i;
        s += n;
        if (*s == ',')
            s++;
    }
    return set;
}

void mrs_reasons_format(uint32_t set, char *out, size_t max)
{
    size_t n = 0;
    if (!max)
        return;
    out[0] = '\0';
    for (int i = 0; i < MRS_WHY_NCODES; i++) {
        if (!(set & 1u << i))
            continue;
        int w = snprintf(out + n, max - n, "%s%s", n ? "," : "", reasons[i].code);
        if (w < 0 || (size_t)w >= max - n) {
            out[n] = '\0';   /* whole codes only */
            return;
        }
        n += (size_t)w;
    }
}

/* MANRS incident metric (M1..M4, ../shared/docs/manrs-metrics.md) a class counts
 * towards: leaks M1, hijacks and RPKI-invalid originations M2, bogon prefixes M3,
 * bogon ASNs M4. */
int mrs_incident_metric(mrs_incident_class c)
{
    switch (c) {
    case MRS_INC_ROUTE_LEAK: return 1;
    case MRS_INC_HIJACK_ORIGIN:
    case MRS_INC_HIJACK_SUBPREFIX:
    case MRS_INC_HIJACK_PATH:
    case MRS_INC_RPKI_INVALID: return 2;
    case MRS_INC_BOGON_PREFIX: return 3;
    case MRS_INC_BOGON_ASN: return 4;
    default: return 0;
    }
}

int mrs_span_cmp(const void *a, const void *b)
{
    const mrs_span *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->s < y->s ? -1 : x->s > y->s;
}

size_t mrs_incidents_merged(const mrs_incident_list *l, bool include_low)
{
    mrs_span *v = malloc((l->n ? l->n : 1) * sizeof *v);
    if (!v)
        return (size_t)-1;
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (include_low || l->v[i].confidence == MRS_CONF_HIGH)
            v[n++] = (mrs_span){(uint64_t)mrs_incident_metric(l->v[i].cls) << 32 | l->v[i].culprit, l->v[i].start,
                            l->v[i].end};
    qsort(v, n, sizeof *v, mrs_span_cmp);
    size_t merged = 0;
    for (size_t i = 0; i < n;) {
        uint32_t end = v[i].e;
        size_t j = i + 1;
        while (j < n && v[j].key == v[i].key && (uint64_t)v[j].s <= (uint64_t)end + MRS_INCIDENT_FLAP_GAP) {
            if (v[j].e > end)
                end = v[j].e;
            j++;
        }
        merged++;
        i = j;
    }
    free(v);
    return merged;
}

void mrs_incident_clear(mrs_incident *inc)
{
    free(inc->propagators);
    free(inc->accomplices);   /* detect.c: every propagator adjacent to the culprit */
    free(inc->victims);
    for (size_t i = 0; i < inc->n_evidence; i++) {
        free(inc->evidence[i].as_path);
        free(inc->evidence[i].path_w);
        free(inc->evidence[i].file);
        free(inc->evidence[i].note);
    }
    free(inc->evidence);
    memset(inc, 0, sizeof *inc);
}

void mrs_incident_list_clear(mrs_incident_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        mrs_incident_clear(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int cmp_canonical(const void *a_, const void *b_)
{
    const mrs_incident *a = a_, *b = b_;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (a->culprit != b->culprit)
        return a->culprit < b->culprit ? -1 : 1;
    int c = mrs_prefix_cmp(&a->prefix, &b->prefix);
    if (c)
        return c;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

void mrs_incident_list_canonical(mrs_incident_list *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_canonical);
    for (size_t i = 0; i < l->n; i++)
        l->v[i].id = i + 1;
}
