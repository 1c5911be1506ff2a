/*
 * metrics.h — per-network MANRS metrics (../shared/docs/manrs-metrics.md) from the
 * routing view, the detected incidents and the knowledge bases; plus the two small
 * inputs only the observatory uses: PeeringDB network records (contacts, M8) and
 * Spoofer-style test results (anti-spoofing, M5). Choices: docs/observe.md.
 */
#ifndef MANRS_METRICS_H
#define MANRS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/asrel.h"
#include "manrs/delegated.h"
#include "manrs/diag.h"
#include "manrs/irr.h"
#include "manrs/observe.h"
#include "manrs/rpki.h"
#include "manrs/score.h"
#include "manrs/view.h"

/* ---- PeeringDB: /net?depth=2 shape {"data":[{asn, poc_set:[{role, email, ...}]}]} */
typedef struct mrs_pdb_net {
    uint32_t asn;
    bool poc_email;             /* a poc with a non-empty e-mail */
    uint32_t poc_updated;       /* newest "updated" of those pocs, else the net's "poc_updated";
                                   days since 1970-01-01, 0 = unknown */
} mrs_pdb_net;

typedef struct mrs_peeringdb {
    mrs_pdb_net *v;             /* sorted by ASN, unique (poc flags OR-ed, newest dates) */
    size_t n, cap;
    uint32_t newest;            /* newest "updated"/"poc_updated" of any record (days), 0 = none */
} mrs_peeringdb;

/* Load one JSON document (several loads accumulate; call mrs_peeringdb_finish
 * afterwards). Records without a valid asn are errors `FILE: record N: what`,
 * skipped. Returns 0, -1 if the document is not JSON / not the expected shape. */
int mrs_peeringdb_load_mem(mrs_peeringdb *p, const void *buf, size_t len, const char *name, mrs_diag *d);
int mrs_peeringdb_load_file(mrs_peeringdb *p, const char *path, mrs_diag *d);
void mrs_peeringdb_finish(mrs_peeringdb *p);
const mrs_pdb_net *mrs_peeringdb_find(const mrs_peeringdb *p, uint32_t asn);
void mrs_peeringdb_free(mrs_peeringdb *p);

/* ---- Spoofer-style CSV: session,timestamp,asn,client_prefix,country,nat,spoof_private,spoof_routed */
typedef struct mrs_spoof_test {
    uint32_t asn;
    uint32_t time;
    mrs_prefix client;
    bool leaked;                /* spoof_private or spoof_routed = received */
} mrs_spoof_test;

typedef struct mrs_spoofer {
    mrs_spoof_test *v;
    size_t n, cap;
} mrs_spoofer;

/* Header line required (columns found by name, any order). Bad lines:
 * `FILE:LINE: what`, skipped and counted. Returns 0, -1 (no/bad header, I/O). */
int mrs_spoofer_load_mem(mrs_spoofer *s, const void *buf, size_t len, const char *name, mrs_diag *d);
int mrs_spoofer_load_file(mrs_spoofer *s, const char *path, mrs_diag *d);
void mrs_spoofer_free(mrs_spoofer *s);

/* ---- metrics */
typedef struct mrs_metrics_input {
    const rv_view *view;
    const mrs_incident_list *incidents;
    const mrs_asrel *asrel;         /* may be NULL */
    const mrs_rpki *rpki;           /* may be NULL */
    const irr_db *irr;              /* may be NULL */
    const mrs_deleg_db *deleg;      /* may be NULL */
    const mrs_peeringdb *pdb;       /* may be NULL */
    const mrs_spoofer *spoofer;     /* may be NULL */
    mrs_score_cfg score;
    uint32_t from, to;              /* window (spoofer tests outside are ignored; 0,0 = all) */
} mrs_metrics_input;

typedef struct mrs_network_list {
    mrs_network_metrics *v;         /* sorted by ASN */
    size_t n;
} mrs_network_list;

/* Every network that originated or propagated a route in the view, or is named by
 * an incident, a Spoofer test or PeeringDB. Returns 0 or -1 (memory). */
int mrs_metrics_compute(const mrs_metrics_input *in, mrs_network_list *out);
void mrs_network_list_free(mrs_network_list *l);


#endif
