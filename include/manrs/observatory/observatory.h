/*
 * observatory.h — ONE observatory run: inputs -> routing view -> detection ->
 * metrics -> store. `manrs observe` runs it whole (mrs_obs_run); `manrs check` and
 * every later consumer (monitor, server) use the same loading and detection
 * (mrs_obs_load), so that what they say agrees with the observatory.
 *
 * Rules: MRT files are read in time order (first record); RIBs dumped no later than
 * the first update form the baseline and are read first, a later RIB is read in its
 * place in time; a knowledge file that cannot be read is reported and makes *failed
 * true, the rest still loads.
 */
#ifndef MANRS_OBSERVATORY_H
#define MANRS_OBSERVATORY_H

#include <stdbool.h>
#include <stdint.h>

#include "manrs/kb/asrel.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/delegated.h"
#include "manrs/analysis/detect.h"
#include "manrs/core/diag.h"
#include "manrs/kb/irr.h"
#include "manrs/kb/kbs.h"
#include "manrs/analysis/metrics.h"
#include "manrs/kb/rpki.h"
#include "manrs/store/store.h"
#include "manrs/routes/view.h"

/* The kinds of input, in loading order of the knowledge files; RIBs are scanned
 * before updates whatever the order on the command line (they form the baseline). */
typedef enum mrs_obs_input {
    MRS_IN_RIB = 0,
    MRS_IN_UPDATES,
    MRS_IN_VRPS,
    MRS_IN_IRR,
    MRS_IN_ASREL,
    MRS_IN_DELEGATED,
    MRS_IN_PEERINGDB,
    MRS_IN_SPOOFER,
    MRS_IN_AS2ORG,
    MRS_IN_BEACONS,
    MRS_IN_RTR,                 /* an RTR cache, "HOST:PORT" (VRPs and ASPAs, like --vrps) */
    MRS_IN_RIS_LIVE,            /* RIS Live JSON lines: updates (feeds/ris_live.h) */
    MRS_IN_N
} mrs_obs_input;

/* "rib", "updates", "vrps", "irr", "asrel", "delegated", "peeringdb", "spoofer", "as2org", "beacons", "rtr", "ris-live":
 * the option names, and the tags of the run's input description in the store. */
const char *mrs_obs_input_name(mrs_obs_input k);

typedef struct mrs_obs_inputs {
    char **files[MRS_IN_N];     /* owned copies of the names */
    size_t n[MRS_IN_N], cap[MRS_IN_N];
    bool asrel_ipv6;            /* as-rel covers IPv6 too (the simulator's does) */
    uint32_t from, to;          /* window, 0 = the view's extent */
    bool progress;              /* MRT scan progress on stderr */
    bool strict_period;         /* an input far from the routing data's time is an error */
} mrs_obs_inputs;

/* Add one file of kind k. Returns 0, -1 when out of memory. */
int mrs_obs_inputs_add(mrs_obs_inputs *in, mrs_obs_input k, const char *path);
/* Add what path names, as a user means it: a directory adds every regular file in
 * it (hidden ones skipped), a pattern with * ? [ that names no file is expanded
 * (glob(3), quoted so the shell did not: no "argument list too long" for a year of
 * RIS updates); in name order (MRT files are read in time order anyway). Returns
 * 0; -1 with a message in err (nothing matches, unreadable directory, memory). */
int mrs_obs_inputs_add_path(mrs_obs_inputs *in, mrs_obs_input k, const char *path, char *err, size_t errlen);
/* Add what path names (as mrs_obs_inputs_add_path), each file a RIB when its first
 * record is a table dump, else updates (a file that cannot be peeked is taken as
 * updates; reading it says why). Returns 0; -1 with a message in err. */
int mrs_obs_inputs_add_mrt(mrs_obs_inputs *in, const char *path, char *err, size_t errlen);
/* Add the MRT files listed in list ("-": standard input), one path per line (blank
 * lines and # comments skipped; each path as in mrs_obs_inputs_add_mrt). Returns 0;
 * -1 with a message in err. */
int mrs_obs_inputs_add_list(mrs_obs_inputs *in, const char *list, char *err, size_t errlen);
/* Add every file of a simulated world directory (sim.h's layout) that exists, and
 * mark the as-rel as covering IPv6. Returns 0; -1 with a message in err when dir is
 * not a directory or memory runs out. */
int mrs_obs_inputs_add_world(mrs_obs_inputs *in, const char *dir, char *err, size_t errlen);
size_t mrs_obs_inputs_total(const mrs_obs_inputs *in);
/* "rib=F updates=F ..." in input order (at most max-1 bytes, cut at a name boundary
 * is not guaranteed): what a stored run records as its inputs (MRS_OBS_DESCRIBE_MAX
 * bytes at most, NUL included). */
#define MRS_OBS_DESCRIBE_MAX 4096
void mrs_obs_inputs_describe(const mrs_obs_inputs *in, char *out, size_t max);
void mrs_obs_inputs_clear(mrs_obs_inputs *in);

/* ---- the routing inputs in reading order: what observe reads, in the order it
 * reads it, and what `manrs feed` publishes in that same order (docs/scale.md) */

struct mrt_decoder;   /* feeds/mrt.h */

typedef struct mrs_obs_mrt_input {
    const char *path;           /* one of the inputs' names (valid while they are) */
    uint32_t t;                 /* time of its first record, when known */
    bool known;                 /* t could be read ("-" cannot be peeked) */
    bool rib;                   /* an MRS_IN_RIB input */
    bool ris_live;              /* an MRS_IN_RIS_LIVE input (JSON lines), else MRT */
    bool baseline;              /* a RIB dumped no later than the first update (or of
                                   unknown time): the baseline, read first */
} mrs_obs_mrt_input;

/* The MRT (and RIS Live) inputs in reading order: the baseline RIBs first, then
 * every other input; each group by first-record time, RIBs before updates at the
 * same time, inputs of unknown time after the others, ties in input order (RIBs,
 * updates, RIS Live, each as added). *out is malloc'd (*n entries; one per input).
 * Returns 0, -1 when out of memory. */
int mrs_obs_mrt_order(const mrs_obs_inputs *in, mrs_obs_mrt_input **out, size_t *n);
/* Read one input of that order as observe does: fn per route event (dec decodes,
 * restarted for the file; md gets the damage). Adds the MRT records damaged,
 * resynchronisations and truncations (RIS Live: malformed lines) to *damaged, the
 * messages old collectors cut at 4 096 bytes to *cut. Returns false when the input
 * cannot be used: unreadable, or no record (line) in it. */
bool mrs_obs_mrt_scan(const mrs_obs_mrt_input *in, struct mrt_decoder *dec, mrs_diag *md, bool progress,
                      mrs_route_event_fn fn, void *user, uint64_t *damaged, uint64_t *cut);

/* Knowledge more than this many days away from the routing data's window gives a
 * warning (and low confidence to what rests on it alone). */
#define MRS_OBS_PERIOD_DAYS 183
#define MRS_OBS_MAX_WARNINGS 8

/* Everything loaded, owned; NULL members = input not given. */
typedef struct mrs_obs_bundle {
    mrs_kbs kb;                 /* RPKI, IRR, as-rel, delegated, bogons, beacons (kb/kbs.h) */
    mrs_peeringdb pdb;
    mrs_spoofer spoofer;
    mrs_view *view;
    mrs_incident_list incidents;
    uint32_t from, to, baseline_end;
    bool has_baseline;          /* a RIB or updates before the window (detect.h) */
    bool snapshot;              /* RIBs only: one moment, no changes to see (detect.h) */
    size_t baseline_ribs;       /* RIB files dumped no later than the first update */
    bool asrel_off_period;      /* as-rel inferred more than MRS_OBS_PERIOD_DAYS from the data */
    bool rpki_off_period;       /* VRPs exported that far from the data, some without validity dates */
    size_t vrps_not_valid;      /* VRPs whose validity does not cover the data's time, left out */
    char warnings[MRS_OBS_MAX_WARNINGS][256];   /* about the inputs: printed, in the JSON, stored */
    size_t n_warnings;
    uint64_t damaged;           /* MRT records damaged, resynchronisations, truncations */
    uint64_t cut;               /* messages cut by old collectors at 4 096 bytes (not damage) */
    mrs_detect_stats detect;
    uint64_t routes, prefixes, peers;   /* the view's (of the whole, for a split run) */
    /* events read: their count and extent (mrs_view_first_time, mrs_view_last_time) */
    uint64_t events;
    uint32_t first_t, last_t;
    /* a run split by prefix: the MRT events go here (view NULL), not into a view */
    void (*sink)(const mrs_route_event *ev, const char *file, void *ctx);
    void *sink_ctx;
} mrs_obs_bundle;

/* Load every input and detect incidents. Returns 0 (check *failed for inputs
 * that could not be used), or -1 with a message in why (memory, index build). */
int mrs_obs_load(const mrs_obs_inputs *in, mrs_diag *kd, mrs_diag *md, mrs_obs_bundle *b, bool *failed,
                 const char **why);
void mrs_obs_bundle_clear(mrs_obs_bundle *b);
/* Add a warning about the inputs (kept with the run, printed, in the JSON); at most
 * MRS_OBS_MAX_WARNINGS, the rest are dropped. */
void mrs_obs_warn(mrs_obs_bundle *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the whole run */

typedef struct mrs_obs_cfg {
    mrs_score_cfg score;        /* cut-offs, min_peers (score.h defaults) */
    bool strict;                /* any decode or input error fails the stored run */
    bool min_peers_set;         /* score.min_peers was given: keep it (warn when above the
                                   number of full-feed peers); else it adapts to them */
} mrs_obs_cfg;

typedef struct mrs_obs_result {
    mrs_obs_bundle b;           /* inputs, view, incidents */
    mrs_network_list nets;      /* every network's metrics */
    bool failed;                /* an input could not be used */
    bool strict_failed;         /* --strict and there were decode/input errors (the stored
                                   run is "failed") */
    bool store_failed;          /* the results could not be stored (mrs_store_errmsg says
                                   why; the run is recorded "failed"); failed is set too */
    int64_t run;                /* the stored run's id, -1 if not stored */
    long full_feed_peers;       /* routes/view.h mrs_view_full_feed_peers */
    mrs_metrics_part part;      /* what the routes give the metrics (metrics.h) */
    unsigned min_peers;         /* the threshold used for "announced" */
} mrs_obs_result;

/* Load, detect, compute metrics and, when st is not NULL, store the run: the run
 * row exists from the moment loading is done and always ends "complete" or
 * "failed", never with partial results looking complete. Returns 0 when the run
 * went through, results in r (see r->failed, r->strict_failed, r->store_failed);
 * -1 when there are no results, with a message in *why (*store_err true when the
 * message is the store's). Zero r first. */
int mrs_obs_run(const mrs_obs_inputs *in, const mrs_obs_cfg *cfg, mrs_store *st, mrs_diag *kd, mrs_diag *md,
                mrs_obs_result *r, const char **why, bool *store_err);
void mrs_obs_result_clear(mrs_obs_result *r);
/* The metrics of a finished run again over another incident list (the run's minus
 * those a participant disputes, analysis/programme.h), everything else as the run
 * had it. Returns 0, -1 when out of memory. */
int mrs_obs_metrics(const mrs_obs_result *r, const mrs_obs_cfg *cfg, const mrs_incident_list *incidents,
                    mrs_network_list *out);

/* ---- a run split by prefix (docs/scale.md): the same answer as mrs_obs_run,
 * computed part by part. Every prefix and its more-specifics are in one part
 * (feeds/route_event_codec.h mrs_rev_partition); what crosses parts is the run's
 * extent (below), the detection facts (analysis/detect.h) and the metrics parts
 * (analysis/metrics.h), which add up. Steps: mrs_obs_split_open once (the
 * knowledge), per part mrs_obs_part_facts, the facts merged, per part
 * mrs_obs_part_detect, then mrs_obs_split_reduce. */

/* What one part cannot see of the whole routing data (`manrs feed`'s seal). */
typedef struct mrs_obs_extent {
    uint64_t events;
    uint32_t first_time, last_time;   /* min and max event time (mrs_view_first/last_time) */
    uint32_t baseline_end;            /* last event time of the baseline RIBs (0: none) */
    size_t baseline_ribs;
    bool snapshot;                    /* RIBs only */
    uint32_t data_time;               /* mrs_obs_data_time of the inputs */
    bool dated;                       /* data_time is known */
    uint64_t damaged, cut;            /* as mrs_obs_bundle counts them */
    bool failed;                      /* an MRT input could not be used */
} mrs_obs_extent;

/* The routing data's time before it is read: in->from, else the earliest first
 * record of the MRT files. false when unknown. */
bool mrs_obs_data_time(const mrs_obs_inputs *in, uint32_t *t);

/* Load the knowledge inputs of in (its MRT inputs are not read) for routing data
 * of extent x into b (zeroed by the caller; b->view stays NULL), and set b's window,
 * baseline and period flags as mrs_obs_load would. Returns 0 (*failed: an input
 * could not be used), -1 with a message in *why. */
int mrs_obs_split_open(const mrs_obs_inputs *in, const mrs_obs_extent *x, mrs_diag *kd, mrs_obs_bundle *b,
                       bool *failed, const char **why);
/* One part's view (built from its events and every peer-state event, in reading
 * order): closed at the window's end, then its facts. 0, -1 out of memory. */
int mrs_obs_part_facts(const mrs_obs_inputs *in, mrs_obs_bundle *b, mrs_view *v, mrs_detect_facts *out);
/* The part's incidents (appended to inc) and metrics part, given the whole run's
 * facts. st (may be NULL) gets its detection counts added. 0, -1 out of memory. */
int mrs_obs_part_detect(const mrs_obs_inputs *in, mrs_obs_bundle *b, mrs_view *v, const mrs_detect_facts *all,
                        mrs_incident_list *inc, mrs_metrics_part *mp, mrs_detect_stats *st);
/* The run from its parts: r->b is the bundle of mrs_obs_split_open (moved in by the
 * caller), incidents and part moved in too (r->b.incidents, r->part); numbers the
 * incidents, then metrics and the store as mrs_obs_run. */
int mrs_obs_split_reduce(const mrs_obs_inputs *in, const mrs_obs_cfg *cfg, const mrs_obs_extent *x,
                         const mrs_detect_facts *all, mrs_store *st, mrs_diag *kd, mrs_diag *md, mrs_obs_result *r,
                         const char **why, bool *store_err);
/* All of it in one process (`manrs observe --split`): the MRT inputs read once
 * into one view per part, then the steps above. The same result as mrs_obs_run
 * (tests/test_obs_split.c compares them); r->b.view stays NULL. */
int mrs_obs_run_split(const mrs_obs_inputs *in, const mrs_obs_cfg *cfg, mrs_store *st, mrs_diag *kd, mrs_diag *md,
                      mrs_obs_result *r, const char **why, bool *store_err);

#endif
