/*
 * score.h — MANRS metric arithmetic (../shared/docs/manrs-metrics.md): incident
 * scores by duration, raw metric to percentage, per-action scores and readiness.
 * Pure functions; every choice the document marks [ours] is a field of mrs_score_cfg.
 */
#ifndef MANRS_SCORE_H
#define MANRS_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum mrs_readiness {
    MRS_NO_DATA = 0,
    MRS_LAGGING,
    MRS_ASPIRING,
    MRS_READY,
} mrs_readiness;

typedef struct mrs_score_cfg {
    double ready_at;            /* >= this percentage: ready (default 90) */
    double aspiring_at;         /* >= this: aspiring, else lagging (default 50) */
    double accomplice_weight;   /* C metrics: weight per incident (default 0.5) */
    unsigned min_peers;         /* "announced": seen by at least this many collector peers (5) */
    bool leaks_in_action1;      /* M1/M1C count in Action 1 (default false, as since 2024) */
    bool action1_product;       /* combine Action 1 metrics by product (default: minimum) */
    bool include_low;           /* low-confidence incidents count too (default false: only
                                   what the evidence makes hard to explain otherwise) */
} mrs_score_cfg;

void mrs_score_cfg_default(mrs_score_cfg *c);

/* Score of one incident of the given duration (seconds): < 30 min 0.5, < 24 h 1,
 * then +1 per further full 24 h; 0 for zero or negative durations. */
double mrs_incident_score(int64_t duration_s);
/* Raw incident metric to percentage: 100 * 0.6^sqrt(raw / 0.5). */
double mrs_metric_percent(double raw);
/* M7RPKI: (valid - 10 * invalid) / total, floored at 0, as a percentage; -1 if total is 0. */
double mrs_rpki_percent(uint64_t valid, uint64_t invalid, uint64_t total);
/* Status of a percentage (negative = no data). */
mrs_readiness mrs_readiness_of(const mrs_score_cfg *c, double percent);
const char *mrs_readiness_name(mrs_readiness r);  /* "ready", "aspiring", "lagging", "no_data" */
/* Parse a readiness name written by mrs_readiness_name; false if unknown. */
bool mrs_readiness_parse(const char *s, mrs_readiness *r);

#endif
