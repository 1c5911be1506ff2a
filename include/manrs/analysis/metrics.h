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
 * an incident, a Spoofer test or PeeringDB. Returns 0 or -1 (memory). */
int mrs_metrics_compute(const mrs_metrics_input *in, mrs_network_list *out);
void mrs_network_list_clear(mrs_network_list *l);


#endif
