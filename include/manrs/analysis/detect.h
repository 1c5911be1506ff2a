/*
 * detect.h — incident detection over the routing view (view.h): route leaks,
 * hijacks (origin, sub-prefix, forged path), bogon prefixes, bogon ASNs and
 * RPKI-invalid originations of unannounced space, each with the culprit, the
 * networks that propagated it and re-checkable evidence. What counts as each
 * class, and why, is in docs/observe.md; the class names are those of the
 * simulator's truth.json (docs/sim.md).
 *
 * Assumes: the view is complete (mrs_view_close_all called at the window end); the
 * knowledge bases are built (mrs_rpki_build, irr_db_finalize, asrel loaded).
 * Any knowledge base may be NULL: the checks that need it are then skipped.
 */
#ifndef MANRS_DETECT_H
#define MANRS_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "manrs/kb/asrel.h"
#include "manrs/kb/beacon.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/delegated.h"
#include "manrs/kb/irr.h"
#include "manrs/analysis/incident.h"
#include "manrs/kb/rpki.h"
#include "manrs/routes/view.h"

typedef struct mrs_detect_kb {
    const mrs_asrel *asrel;        /* valley-free, forged-origin links */
    const mrs_rpki *rpki;          /* RFC 6811 origin validation */
    const irr_db *irr;             /* route/route6 objects */
    const mrs_bogon_set *bogons;   /* full bogon prefixes (RFC 6890 registries) */
    const mrs_deleg_db *deleg;     /* unused for scoring (administrative bogons are not scored) */
    mrs_same_org_fn same_org;      /* siblings: one organisation (as2org), NULL = as-rel s2s only */
    const void *org_ctx;
    /* IXP peering LAN prefixes (PeeringDB ixpfx), NULL = none known */
    bool (*ixp_lan)(const void *ctx, const mrs_prefix *p);
    const void *ixp_ctx;
    const mrs_beacon_set *beacons; /* routing beacons (kb/beacon.h), NULL = the built-in RIS list */
} mrs_detect_kb;

/* A count per 64-bit key (mrs_detect_facts). */
typedef struct mrs_key_count {
    uint64_t key;
    uint64_t n;
} mrs_key_count;

/* What detection knows from beyond one prefix and its more-specifics: the
 * adjacencies and the valleys of the baseline's paths (a forged link is one the
 * baseline never showed; a valley already on a baseline path is standing), and the
 * prefixes each origin announced and those announced over each last link
 * (neighbour, origin) (the forged-origin filter's share, detect_origin.c). One
 * process computes them from its whole view. A run split by prefix (docs/scale.md)
 * computes each part's (mrs_detect_facts_of), adds them up
 * (mrs_detect_facts_merge: the sets unite, the counts add, since every prefix is in
 * one part) and gives every part the whole (mrs_detect_cfg.facts): its findings are
 * then exactly those of one process. All arrays sorted by key, keys unique. */
typedef struct mrs_detect_facts {
    uint64_t *links;               /* adjacency keys of baseline paths */
    size_t n_links;
    uint64_t *valleys;             /* valley keys of baseline paths (a hash of from, leaker) */
    size_t n_valleys;
    mrs_key_count *origins;        /* origin -> distinct prefixes it originated */
    size_t n_origins;
    mrs_key_count *last_links;     /* neighbour << 32 | origin -> distinct prefixes over that link */
    size_t n_last_links;
    uint64_t routes;               /* routes of the view(s) */
    mrs_view_peer *default_peers;  /* collector peers that sent a default route in the window,
                                      by (asn, afi, ip) (mrs_detect_stats.default_peers) */
    size_t n_default_peers;
} mrs_detect_facts;

typedef struct mrs_detect_cfg {
    uint32_t from, to;             /* window; routes are clipped to it (0,0 = the view's extent) */
    uint32_t baseline_end;         /* routes held at or before this time form the RIB baseline */
    bool snapshot;                 /* RIBs only: every route held at one moment; incidents of
                                      zero duration are kept (docs/observe.md "Snapshot") */
    bool asrel_off_period;         /* as-rel inferred > 6 months from the data: findings that rest
                                      on it alone (valleys, forged links) are low confidence */
    bool rpki_off_period;          /* VRPs of another period, some undated: RPKI decides nothing */
    bool has_baseline;             /* the baseline is real (a RIB, or updates before the window):
                                      without it a change cannot be told from a standing path,
                                      and the findings that need one are low confidence */
    unsigned max_evidence;         /* evidence rows kept per incident (default 8) */
    bool use_otc;                  /* RFC 9234 OTC leak detection (default true) */
    bool asrel_ipv6;               /* as-rel applies to IPv6 routes too (default false: CAIDA's
                                      serial-1 files are inferred from IPv4 paths; the simulator's
                                      as-rel covers both families) */
    const mrs_detect_facts *facts; /* NULL: from the view; else the whole run's (a part of a split run) */
} mrs_detect_cfg;

void mrs_detect_cfg_default(mrs_detect_cfg *c);

typedef struct mrs_detect_stats {
    uint64_t routes, events;       /* routes examined, incident events (route x class) */
    uint64_t zero_duration;        /* incidents skipped because they lasted 0 s */
    uint64_t per_class[MRS_INC_NCLASSES];
    uint64_t high[MRS_INC_NCLASSES];   /* of which high confidence */
    uint64_t short_routes;         /* routes of implausibly short prefixes (IPv4 < /8, IPv6 < /16),
                                      defaults included: never checked, never covering */
    uint64_t default_peers;        /* collector peers that sent a default route */
    uint64_t beacon_routes;        /* routing beacons (kb/beacon.h), exempt from leak and hijack checks */
    uint64_t ixp_lan_routes;       /* routes of IXP peering LANs, exempt from hijack checks */
    uint64_t blackhole_routes;     /* RFC 7999 BLACKHOLE routes, exempt from leak and hijack
                                      checks (a host route of one's own space or a customer's,
                                      sent to have traffic dropped) */
} mrs_detect_stats;

/* Detect every incident of the view into out (appended; zero it first).
 * Returns 0, or -1 on memory exhaustion (out then holds what was complete). */
int mrs_detect(const mrs_view *v, const mrs_detect_kb *kb, const mrs_detect_cfg *cfg, mrs_incident_list *out,
               mrs_detect_stats *st);

/* The facts of one part's view (cfg as mrs_detect would get it, cfg->facts
 * ignored). Returns 0, -1 when out of memory. */
int mrs_detect_facts_of(const mrs_view *v, const mrs_detect_kb *kb, const mrs_detect_cfg *cfg, mrs_detect_facts *out);
/* into += add. Returns 0, -1 when out of memory (into unchanged). */
int mrs_detect_facts_merge(mrs_detect_facts *into, const mrs_detect_facts *add);
void mrs_detect_facts_clear(mrs_detect_facts *f);
/* Facts as bytes (little-endian, versioned) and back: what a worker stores. The
 * decoder checks every count against the bytes and the order of every array;
 * returns 0, or -1 with the reason in err. */
int mrs_detect_facts_encode(const mrs_detect_facts *f, uint8_t **out, size_t *len);
int mrs_detect_facts_decode(const uint8_t *p, size_t len, mrs_detect_facts *out, char *err, size_t errlen);


#endif
