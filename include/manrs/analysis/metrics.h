/*
 * metrics.h — per-network MANRS metrics (../shared/docs/manrs-metrics.md) from the
 * routing view, the detected incidents and the knowledge bases (incl. PeeringDB
 * contacts for M8 and Spoofer-style results for M5). Choices: docs/observe.md.
 */
#ifndef MANRS_METRICS_H
#define MANRS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/kb/asrel.h"
#include "manrs/kb/delegated.h"
#include "manrs/core/diag.h"
#include "manrs/kb/irr.h"
#include "manrs/kb/as2org.h"
#include "manrs/kb/peeringdb.h"
#include "manrs/analysis/incident.h"
#include "manrs/kb/rpki.h"
#include "manrs/kb/spoofer.h"
#include "manrs/analysis/score.h"
#include "manrs/routes/view.h"

/* ---- metrics */
typedef struct mrs_metrics_input {
    const mrs_view *view;
    const mrs_incident_list *incidents;
    const mrs_asrel *asrel;         /* may be NULL */
    const mrs_rpki *rpki;           /* may be NULL */
    const irr_db *irr;              /* may be NULL */
    const mrs_deleg_db *deleg;      /* may be NULL */
    const mrs_peeringdb *pdb;       /* may be NULL */
    const mrs_spoofer *spoofer;     /* may be NULL */
    const mrs_as2org *orgs;         /* may be NULL: the networks' names */
    mrs_score_cfg score;
    uint32_t from, to;              /* window (spoofer tests outside are ignored; 0,0 = all) */
} mrs_metrics_input;

typedef struct mrs_network_list {
    mrs_network_metrics *v;         /* sorted by ASN */
    size_t n;
} mrs_network_list;

/* Every network that originated or propagated a route in the view, or is named by
 * an incident, a Spoofer test or PeeringDB. Returns 0 or -1 (memory).
 * = mrs_metrics_part_of, then mrs_metrics_finish. */
int mrs_metrics_compute(const mrs_metrics_input *in, mrs_network_list *out);
void mrs_network_list_clear(mrs_network_list *l);

/* ---- what the routes give, as parts that add up (a run split by prefix,
 * docs/scale.md): every figure is a count over prefixes or a union, and every
 * prefix is in one part. */

/* (prefix, origin) pairs of one origin seen by exactly `peers` collector peers */
typedef struct mrs_announce_count {
    uint32_t asn, peers;
    uint64_t pairs, rpki_valid, rpki_invalid, irr_covered;
} mrs_announce_count;

/* one collector peer (by its identity, not a view's index): distinct prefixes per family */
typedef struct mrs_peer_prefixes {
    uint32_t asn;
    uint16_t afi;
    uint8_t ip[16];
    uint64_t n[2];
} mrs_peer_prefixes;

/* The orders of a part's arrays, as qsort comparisons: announce counts by (asn,
 * peers), peers by (asn, afi, ip). */
int mrs_announce_count_cmp(const void *a, const void *b);
int mrs_peer_prefixes_cmp(const void *a, const void *b);

typedef struct mrs_metrics_part {
    uint32_t *asns;                 /* networks on the routes' paths, ascending */
    size_t n_asns;
    mrs_announce_count *ann;        /* by (asn, peers) ascending */
    size_t n_ann;
    mrs_peer_prefixes *peers;       /* by (asn, afi, ip) ascending */
    size_t n_peers;
    uint64_t prefixes[2];           /* distinct prefixes per family (IPv4, IPv6) */
} mrs_metrics_part;

/* The part of in->view (in->rpki, in->irr, in->from, in->to are used; the
 * threshold is not: pairs are kept by peer count). Returns 0, -1 (memory). */
int mrs_metrics_part_of(const mrs_metrics_input *in, mrs_metrics_part *out);
/* into += add. Returns 0, -1 (memory; into unchanged). */
int mrs_metrics_part_merge(mrs_metrics_part *into, const mrs_metrics_part *add);
void mrs_metrics_part_clear(mrs_metrics_part *p);
/* Full-feed collector peers of the whole (routes/view.h's rule). */
long mrs_metrics_part_full_feed_peers(const mrs_metrics_part *p);
/* The networks' metrics from the routes' part (in->view is not read). */
int mrs_metrics_finish(const mrs_metrics_input *in, const mrs_metrics_part *p, mrs_network_list *out);
/* As bytes (little-endian, versioned, "MRSM") and back; the decoder checks every
 * count against the bytes and every order; -1 with the reason in err. */
int mrs_metrics_part_encode(const mrs_metrics_part *p, uint8_t **out, size_t *len);
int mrs_metrics_part_decode(const uint8_t *b, size_t len, mrs_metrics_part *out, char *err, size_t errlen);


#endif
