/*
 * obs_internal.h — what load.c shares with part.c (a run split by prefix): the
 * observatory's own steps, not an API.
 */
#ifndef MANRS_OBS_INTERNAL_H
#define MANRS_OBS_INTERNAL_H

#include "manrs/observatory/observatory.h"

/* The knowledge inputs (everything but routing data), for routing data of time t0
 * (dated false: unknown). b zeroed by the caller. */
int obs_load_knowledge(const mrs_obs_inputs *f, uint32_t t0, bool dated, mrs_diag *kd, mrs_obs_bundle *b,
                       bool *failed, const char **why);
/* Knowledge of another period than b->from..b->to: warnings and the off-period
 * flags (nothing when there are no routes). -1 under --strict-period. */
int obs_check_periods(const mrs_obs_inputs *f, mrs_obs_bundle *b, bool any_routes);
/* Detection's knowledge and configuration as observe sets them (b's window and
 * flags; first_time: the routing data's first event). */
void obs_detect_setup(const mrs_obs_inputs *f, const mrs_obs_bundle *b, uint32_t first_time, mrs_detect_kb *kb,
                      mrs_detect_cfg *dc);
/* Read the MRT inputs in observe's order into b->view, or b->sink when set. */
int obs_scan_mrt(const mrs_obs_inputs *f, mrs_diag *md, mrs_obs_bundle *b, bool *failed);

/* A loaded run (r->b, r->part) to its end: begin the stored run, adapt the
 * threshold, the metrics, the rows (run.c). */
int obs_finish_run(const mrs_obs_inputs *in, const mrs_obs_cfg *cfg, mrs_store *st, mrs_diag *kd, mrs_diag *md,
                   mrs_obs_result *r, const char **why, bool *store_err);

#endif
