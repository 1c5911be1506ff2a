/*
 * inputs_load.h — load the observatory's inputs (MRT RIBs/updates into the routing
 * view, VRPs, IRR, as-rel, delegated stats, PeeringDB, Spoofer CSV) and run the
 * incident detection, for commands that need the whole pipeline without the
 * database (`manrs check`). Same order and rules as `manrs observe`: RIBs first
 * (they form the baseline), then updates; a knowledge file that cannot be read is
 * reported and makes *failed true, the rest still loads.
 * Assumes: file names stay valid while the bundle lives.
 */
#ifndef MANRS_INPUTS_LOAD_H
#define MANRS_INPUTS_LOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "manrs/asrel.h"
#include "manrs/bogon.h"
#include "manrs/delegated.h"
#include "manrs/detect.h"
#include "manrs/diag.h"
#include "manrs/irr.h"
#include "manrs/metrics.h"
#include "manrs/rpki.h"
#include "manrs/view.h"

typedef struct mrs_file_list {
    const char *const *v;
    int n;
} mrs_file_list;

typedef struct mrs_obs_files {
    mrs_file_list rib, updates, vrps, irr, asrel, delegated, peeringdb, spoofer;
    bool asrel_ipv6;            /* as-rel covers IPv6 too (the simulator's does) */
    uint32_t from, to;          /* window, 0 = the view's extent */
    bool progress;              /* MRT scan progress on stderr */
} mrs_obs_files;

/* Everything loaded, owned; NULL members = input not given. */
typedef struct mrs_obs_bundle {
    mrs_rpki *rpki;
    irr_db *irr;
    mrs_asrel *asrel;
    mrs_deleg_db *deleg;
    mrs_bogon_set *bogons;
    mrs_peeringdb pdb;
    mrs_spoofer spoofer;
    rv_view *view;
    mrs_incident_list incidents;
    uint32_t from, to, baseline_end;
    uint64_t damaged;           /* MRT records damaged, resynchronisations, truncations */
    mrs_detect_stats detect;
} mrs_obs_bundle;

/* Load every input and detect incidents. Returns 0 (check *failed for inputs
 * that could not be used), or -1 with a message in why (memory, index build). */
int mrs_obs_load(const mrs_obs_files *f, mrs_diag *kd, mrs_diag *md, mrs_obs_bundle *b, bool *failed,
                 const char **why);
void mrs_obs_bundle_free(mrs_obs_bundle *b);

#endif
