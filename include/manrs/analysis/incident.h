/*
 * incident.h — the observatory's data model: incidents with evidence and per-network
 * MANRS metrics (../shared/docs/manrs-metrics.md). Produced by the detectors and the
 * metric computation (src/analysis/), stored by src/store/, printed by `manrs report`.
 *
 * Incident classes use the names of the simulator's truth.json so that anyone can
 * score the observatory against ground truth.
 */
#ifndef MANRS_ANALYSIS_INCIDENT_H
#define MANRS_ANALYSIS_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/prefix.h"
#include "manrs/feeds/route_event.h"
#include "manrs/analysis/score.h"

typedef enum mrs_incident_class {
    MRS_INC_ROUTE_LEAK = 0,     /* "route-leak"        M1 / M1C */
    MRS_INC_HIJACK_ORIGIN,      /* "hijack-origin"     M2 / M2C */
    MRS_INC_HIJACK_SUBPREFIX,   /* "hijack-subprefix"  M2 / M2C */
    MRS_INC_HIJACK_PATH,        /* "hijack-path"       M2 / M2C */
    MRS_INC_BOGON_PREFIX,       /* "bogon-prefix"      M3 / M3C */
    MRS_INC_BOGON_ASN,          /* "bogon-asn"         M4 / M4C */
    MRS_INC_RPKI_INVALID,       /* "rpki-invalid"      M2 / M2C */
    MRS_INC_NCLASSES
} mrs_incident_class;

const char *mrs_incident_class_name(mrs_incident_class c);
bool mrs_incident_class_parse(const char *s, mrs_incident_class *c);
/* Incident metric (1..4: M1..M4) a class counts towards. */
int mrs_incident_metric(mrs_incident_class c);

/* How strongly the data supports an incident (docs/observe.md "Evidence strength").
 * HIGH: hard to explain otherwise; scored, counted in headlines and reports. LOW: the
 * pattern is there but a benign explanation is at least as likely (a relationship the
 * inference got wrong, a path that was already there before the window): listed
 * with its reasons, never scored unless asked (--include-low). */
typedef enum mrs_confidence {
    MRS_CONF_HIGH = 0,
    MRS_CONF_LOW,
} mrs_confidence;

const char *mrs_confidence_name(mrs_confidence c);   /* "high", "low" */
bool mrs_confidence_parse(const char *s, mrs_confidence *c);

/* Why an incident has its confidence: a set of codes (bit flags), each with a
 * stable machine-readable name and one sentence of text. Codes that raise
 * confidence and codes that lower it can both be present; the confidence is the
 * detector's verdict over all of them. */
typedef enum mrs_reason {
    MRS_WHY_OTC = 1u << 0,              /* "otc-proof" */
    MRS_WHY_NEW_VALLEY = 1u << 1,       /* "new-valley" */
    MRS_WHY_REL_CONFLICT = 1u << 2,     /* "relationship-conflict" */
    MRS_WHY_NO_BASELINE = 1u << 3,      /* "no-baseline" */
    MRS_WHY_RPKI_INVALID = 1u << 4,     /* "rpki-invalid" */
    MRS_WHY_NEW_ORIGIN = 1u << 5,       /* "new-origin" */
    MRS_WHY_NO_AUTH = 1u << 6,          /* "no-authorisation" */
    MRS_WHY_SPECIAL_PURPOSE = 1u << 7,  /* "special-purpose" */
    MRS_WHY_BOGON_ASN = 1u << 8,        /* "bogon-asn-in-path" */
    MRS_WHY_NEW_LINK = 1u << 9,         /* "new-link" */
    MRS_WHY_FEW_PREFIXES = 1u << 10,    /* "few-prefixes" */
    MRS_WHY_IRR_OTHER = 1u << 11,       /* "irr-other-origin" */
    MRS_WHY_RELATED_ORIGIN = 1u << 12,  /* "related-origin" */
    MRS_WHY_SNAPSHOT = 1u << 13,        /* "snapshot" */
    MRS_WHY_OFF_PERIOD = 1u << 14,      /* "relationships-off-period" */
    MRS_WHY_ONE_PEER = 1u << 15,        /* "one-peer" */
    MRS_WHY_ORIGIN_MOVED = 1u << 16,    /* "origin-moved" */
    MRS_WHY_CONFLICT = 1u << 17,        /* "concurrent-origins" */
    MRS_WHY_NO_RELATIONSHIPS = 1u << 18, /* "no-relationships" */
    MRS_WHY_RPKI_OFF_PERIOD = 1u << 19, /* "rpki-off-period" */
    MRS_WHY_OTC_TO_PEER = 1u << 20,     /* "otc-to-peer" */
    MRS_WHY_ASPA_LINK = 1u << 21,       /* "aspa-link" */
    MRS_WHY_CLIQUE_LINK = 1u << 22,     /* "clique-link" */
    MRS_WHY_UNKNOWN_LINK = 1u << 23,    /* "unknown-link" */
    MRS_WHY_PAST_STANDING = 1u << 24,   /* "beyond-standing-valley" */
    MRS_WHY_NEW_ROUTE = 1u << 25,       /* "new-route-from-origin" */
} mrs_reason;
#define MRS_WHY_NCODES 26

/* Name and sentence of the single code `bit` (one of mrs_reason); NULL if unknown. */
const char *mrs_reason_code(uint32_t bit);
const char *mrs_reason_text(uint32_t bit);
/* The set from comma-separated codes (as the store keeps them); unknown codes are
 * ignored. */
uint32_t mrs_reasons_parse(const char *s);
/* Comma-separated codes of a set into out (always NUL-terminated). */
void mrs_reasons_format(uint32_t reasons, char *out, size_t max);

/* One observation supporting an incident: re-checkable from the public data. */
typedef struct mrs_evidence {
    uint32_t peer_asn;
    uint16_t peer_afi;
    uint8_t peer_ip[16];
    uint32_t time;              /* when the peer announced the route */
    char *as_path;              /* bgpdump-style text, owned */
    uint32_t *path_w;           /* the same path decoded (route_event.h words), owned; NULL when
                                   the evidence was read back from a store (text only) */
    uint32_t path_n;
    char *file;                 /* MRT file name, owned */
    uint64_t offset;            /* byte offset of the MRT record in the decompressed file */
    char *note;                 /* e.g. "RPKI invalid: 192.0.2.0/24-24 AS64500", owned, may be NULL */
} mrs_evidence;

typedef struct mrs_incident {
    uint64_t id;
    mrs_incident_class cls;
    uint32_t culprit;           /* the responsible network */
    uint32_t *propagators;      /* networks that carried it (sorted, owned) */
    size_t n_propagators;
    uint32_t accomplice;        /* the propagator adjacent to the culprit (metric C), 0 if none;
                                   the one seen on most collector paths when there are several */
    uint32_t *accomplices;      /* every propagator seen adjacent to the culprit (sorted, owned) */
    size_t n_accomplices;
    uint32_t *victims;          /* the networks it harmed (sorted, owned; none for bogons):
                                   hijack-origin the prefix's baseline origins, hijack-subprefix
                                   those of the covering prefix (either: the ASNs of the covering
                                   ROAs when there is no baseline), hijack-path the origin whose
                                   path was forged, route-leak the leaked route's origin,
                                   rpki-invalid the covering ROAs' ASNs; never the culprit */
    size_t n_victims;
    mrs_prefix prefix;
    uint32_t start, end;        /* first and last moment any peer held the route */
    unsigned leak_type;         /* route-leak: RFC 7908 type 1-4, else 0 */
    unsigned peers;             /* collector peers that saw it */
    mrs_evidence *evidence;     /* a bounded sample, owned */
    size_t n_evidence;
    mrs_confidence confidence;
    uint32_t reasons;           /* mrs_reason flags */
} mrs_incident;

typedef struct mrs_incident_list {
    mrs_incident *v;
    size_t n, cap;
} mrs_incident_list;

/* The decoded path of an evidence row (empty when only the text is known). */
static inline mrs_as_path mrs_evidence_path(const mrs_evidence *e)
{
    return (mrs_as_path){e->path_w, e->path_w ? e->path_n : 0};
}

/* A keyed time interval: what the merging of overlapping intervals per key works
 * on (incidents per metric and culprit, routes per prefix and origin). */
typedef struct mrs_span {
    uint64_t key;
    uint32_t s, e;
} mrs_span;
/* qsort order: by key, then start. */
int mrs_span_cmp(const void *a, const void *b);

/* A route withdrawn and announced again within this many seconds is one flapping
 * route, not two incidents: detection joins a finding's routes across such gaps,
 * and counting and scoring join a culprit's incidents of one metric across them.
 * 15 minutes, the usual route-flap-damping half-life (RFC 2439 section 4.2,
 * RIPE-580). [ours: ../shared/docs/manrs-metrics.md merges only overlapping
 * events; on the RouteViews day of 2008-02-23 five networks' private-ASN leaks
 * flapped, gaps of 1 to 6 minutes, and counted as 13 incidents instead of 5.] */
#define MRS_INCIDENT_FLAP_GAP 900u

/* Incidents as ../shared/docs/manrs-metrics.md counts them: entries of the same
 * metric (M1..M4) and culprit whose times overlap (or are at most
 * MRS_INCIDENT_FLAP_GAP apart) are one incident (the list keeps one entry per
 * prefix, for evidence and matching). Counts the high-confidence entries only
 * unless include_low. Returns (size_t)-1 when out of memory. */
size_t mrs_incidents_merged(const mrs_incident_list *l, bool include_low);

/* Free what an incident owns (propagators, evidence) and zero it. */
void mrs_incident_clear(mrs_incident *inc);
void mrs_incident_list_clear(mrs_incident_list *l);
/* The canonical order, by (class, culprit, prefix, start, end), and ids 1..n in
 * it: what detection hands out, whatever order the routes were read in, so that a
 * run split by prefix (docs/scale.md) numbers its incidents as one process does. */
void mrs_incident_list_canonical(mrs_incident_list *l);
/* A list as bytes (little-endian, versioned, "MRSI": what a worker of a split run
 * stores, docs/scale.md) and back, appended to out. The decoder checks every length
 * against the bytes, the class, confidence, prefix and strings (no NUL inside);
 * returns 0, or -1 with the reason and byte offset in err (out keeps what came
 * before). Ids are not kept: mrs_incident_list_canonical numbers the whole. */
int mrs_incident_list_encode(const mrs_incident_list *l, uint8_t **out, size_t *len);
int mrs_incident_list_decode(const uint8_t *p, size_t len, mrs_incident_list *out, char *err, size_t errlen);

/* Per-network metrics; a value < 0 means no data. */
typedef struct mrs_network_metrics {
    uint32_t asn;
    char country[4];            /* from delegated stats, "" if unknown */
    char name[64];              /* its organisation's name (CAIDA AS-to-Organization), "" if unknown */
    /* Action 1: raw incident metrics (sum of incident scores) and percentages */
    double raw[MRS_INC_NCLASSES];          /* as culprit */
    double raw_c[MRS_INC_NCLASSES];        /* as accomplice (weighted) */
    double m1, m1c, m2, m2c, m3, m3c, m4, m4c;   /* percentages */
    /* Action 2 */
    double m5, m5c;
    /* Action 3 */
    bool m6;                    /* aut-num with import and export */
    bool m8;                    /* contact: admin-c/tech-c with e-mail, or PeeringDB poc */
    bool contact_known;         /* an aut-num or a PeeringDB record describes the network */
    /* Action 4 */
    uint64_t announced;         /* (prefix, origin) pairs announced (seen by >= min_peers peers) */
    uint64_t irr_covered, rpki_valid, rpki_invalid;
    double m7irr, m7rpki, m7rpkin;
    /* per action */
    double action[5];           /* [1]..[4]; action 4 as the RPKI figure, IRR in m7irr */
    mrs_readiness status[5];
} mrs_network_metrics;

#endif
