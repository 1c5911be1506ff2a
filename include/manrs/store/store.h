/*
 * store.h — the observatory's history, in an SQLite file (`--db manrs.db`, the
 * embedded default) or in PostgreSQL (`--db postgresql://user@host/dbname`):
 * the same schema and the same answers (docs/store.md).
 *
 * One run = one observation window over a set of inputs. A run is created
 * "running", filled, and marked "complete" or "failed" at the end: a run that
 * failed or was interrupted is never read as complete. Schema version in
 * PRAGMA user_version (SQLite) or the table manrs_schema (PostgreSQL); documented
 * in docs/store.md.
 *
 * Writing: mrs_store_begin_run commits the run row ("running") and opens one
 * transaction that holds every incident and network of the run; end_run
 * "complete" commits the rows together with the status, end_run "failed" rolls
 * the rows back and records the status and reason. A process that dies in
 * between leaves the run "running" with no rows: readers report it as
 * incomplete. One run at a time per handle.
 */
#ifndef MANRS_STORE_H
#define MANRS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "manrs/analysis/incident.h"
#include "manrs/analysis/programme.h"

#define MRS_STORE_SCHEMA_VERSION 5

typedef struct mrs_store mrs_store;

/* Open (creating or migrating the schema). path: an SQLite file, or a URL
 * postgresql://... or postgres://... (libpq's form; connect_timeout 5 s unless it
 * sets one). NULL with a message in err on failure, naming the file or the URL
 * (never its password). */
mrs_store *mrs_store_open(const char *path, char *err, size_t errlen);
/* Open an existing store for reading only: a missing file, a file that is not a
 * manrs store, or a schema newer than this program fails with a message in err. */
mrs_store *mrs_store_open_readonly(const char *path, char *err, size_t errlen);
void mrs_store_close(mrs_store *s);
/* The last error of this handle ("" if none). */
const char *mrs_store_errmsg(const mrs_store *s);
/* The store's name for messages and reports: the file, or the URL without its
 * password. */
const char *mrs_store_name(const mrs_store *s);

/* Start a run over [window_start, window_end]; inputs is a free-text description
 * (file names). Returns the run id, or -1. */
int64_t mrs_store_begin_run(mrs_store *s, uint32_t window_start, uint32_t window_end, const char *inputs);
int mrs_store_add_incident(mrs_store *s, int64_t run, const mrs_incident *inc);
int mrs_store_add_network(mrs_store *s, int64_t run, const mrs_network_metrics *m);
/* What the run says about its inputs (e.g. knowledge from another period), one
 * warning per line; kept with the run, shown by the report. */
int mrs_store_set_warnings(mrs_store *s, int64_t run, const char *text);
/* status: "complete" or "failed" (with a reason). If an insert of this run failed,
 * "complete" is refused: the run is recorded failed ("store: <first error>") and -1
 * is returned. */
int mrs_store_end_run(mrs_store *s, int64_t run, const char *status, const char *reason);

/* ---- reading (every int function: 0 ok, -1 error with mrs_store_errmsg) ---- */

typedef struct mrs_run_info {
    int64_t id;
    int64_t started, finished;      /* unix seconds (UTC); finished 0 if never ended */
    uint32_t window_start, window_end;
    char status[16];                /* "complete", "failed" or "incomplete" (left running) */
    char *inputs;                   /* owned */
    char *reason;                   /* owned, NULL if none */
    char *tool_version;             /* owned: manrs version that wrote the run */
    char *warnings;                 /* owned: about the inputs, one per line, "" if none */
    int schema_version;             /* schema version the run was written with */
    uint64_t n_networks, n_incidents;
} mrs_run_info;

void mrs_run_info_clear(mrs_run_info *r);   /* frees the members */
void mrs_run_infos_free(mrs_run_info *v, size_t n);

/* All runs, oldest first. */
int mrs_store_runs(mrs_store *s, mrs_run_info **v, size_t *n);
/* One run: 0 found, 1 no such run, -1 error. */
int mrs_store_run(mrs_store *s, int64_t id, mrs_run_info *out);
/* Id of the newest complete run; 0 if there is none, -1 on error. */
int64_t mrs_store_latest_complete(mrs_store *s);

/* Networks of a run ordered by ASN (country: "" = all, else only that country).
 * *v is malloc'ed (free it). */
int mrs_store_networks(mrs_store *s, int64_t run, const char *country, mrs_network_metrics **v, size_t *n);
/* One network: 0 found, 1 absent, -1 error. */
int mrs_store_network(mrs_store *s, int64_t run, uint32_t asn, mrs_network_metrics *out);
/* Incidents of a run ordered by id, with propagators, victims and evidence.
 * asn != 0: only incidents where asn is the culprit, the accomplice, a propagator
 * or a victim. */
int mrs_store_incidents(mrs_store *s, int64_t run, uint32_t asn, mrs_incident_list *out);


/* ---- the MANRS programme (analysis/programme.h) */

/* One period's conformance, with each participant's enforcement state after it
 * (enf[i] for c->v[i]); replaces what the store held for the same period and
 * participant. run: the observatory run it rests on (0: not stored). */
int mrs_store_put_conformance(mrs_store *s, const char *period, int64_t run, const mrs_conformance *c,
                              const mrs_enforcement *enf, const char *ruleset);
/* The participant's enforcement state after the latest period before `period`
 * ("YYYY-MM"); its period into prev_period when not NULL. 0 found, 1 none (a new
 * participant: conformant), -1 error. */
int mrs_store_enforcement_before(mrs_store *s, const char *participant, const char *period, mrs_enforcement *out,
                                 char prev_period[8]);

/* ---- a run split by prefix over workers (docs/scale.md "the workers"; schema
 * version 5). The coordinator creates the split run, workers put one row per
 * (phase, partition), the coordinator stores the merged facts between the
 * phases and records the observatory run at the end. Blobs are the analysis
 * codecs' bytes (detect.h, incident.h, metrics.h). Not while a run is open on
 * the handle. Meant for PostgreSQL (several workers at once); valid on SQLite. */

typedef struct mrs_split_info {
    int64_t id, created, finished;  /* finished 0 while running */
    char *stream, *feed;            /* the event stream and the feed whose seal it is */
    char *seal;                     /* the seal, as published (JSON) */
    char *spec;                     /* what the workers load and how (JSON, apps/worker.h) */
    char *inputs;                   /* the run's inputs (mrs_obs_inputs_describe) */
    uint64_t n_parts;               /* partitions with events */
    int phase;                      /* 1, or 2 once the merged facts are stored */
    char status[16];                /* "running", "complete", "failed" */
    char *reason;                   /* why it failed, NULL */
    int64_t run;                    /* the observatory run, 0 until reduced */
} mrs_split_info;

void mrs_split_info_clear(mrs_split_info *r);

/* Create the split run of in (stream, feed, seal, spec, inputs) with its
 * partitions (n, ascending; messages: per partition, may be NULL), in one
 * transaction. The same stream, feed, seal and spec give the same run: then its
 * id with *existed true (nothing changed). Returns the id, -1 on error. */
int64_t mrs_store_split_create(mrs_store *s, const mrs_split_info *in, const uint32_t *parts,
                               const uint64_t *messages, size_t n, bool *existed);
/* 0 found, 1 no such split run, -1 error. */
int mrs_store_split_get(mrs_store *s, int64_t id, mrs_split_info *out);
/* Every partition (ascending) and its message count; malloc'd. */
int mrs_store_split_partitions(mrs_store *s, int64_t split, uint32_t **parts, uint64_t **messages, size_t *n);
/* The partitions without a row of phase (1 or 2), the largest first (most
 * messages; then ascending): the order the coordinator publishes their tasks in,
 * so that the longest tasks start first (longest-processing-time-first
 * scheduling: the phase ends no later than its largest partition needs);
 * malloc'd. */
int mrs_store_split_missing(mrs_store *s, int64_t split, int phase, uint32_t **parts, size_t *n);
/* fn(part, worker) for every row of the phase (ascending by part): who computed
 * what (the coordinator sends a partition's phase-2 task to the worker that holds
 * its phase-1 view). 0, or -1 on error. */
typedef void (*mrs_store_split_worker_fn)(uint32_t part, const char *worker, void *ctx);
int mrs_store_split_workers(mrs_store *s, int64_t split, int phase, mrs_store_split_worker_fn fn, void *ctx);
/* Rows of the phase so far, and their malformed messages added up. */
int mrs_store_split_progress(mrs_store *s, int64_t split, int phase, uint64_t *done, uint64_t *malformed);

/* One worker's result for one (phase, partition). */
typedef struct mrs_split_part {
    int64_t split;
    int phase;
    uint32_t part;
    const uint8_t *facts, *incidents, *metrics, *counts;   /* NULL = none (SQL NULL) */
    size_t n_facts, n_incidents, n_metrics, n_counts;
    uint64_t events, messages, malformed;
    const char *worker;
    double seconds;
} mrs_split_part;

/* Insert the row; 0 inserted, 1 the row was there already (kept as it is), -1 error. */
int mrs_store_split_put_part(mrs_store *s, const mrs_split_part *p);
/* 1 the row exists, 0 not, -1 error. */
int mrs_store_split_has_part(mrs_store *s, int64_t split, int phase, uint32_t part);
/* fn for every row of the phase, by partition (the blobs valid during the call);
 * fn returns 0, or -1 with a reason in err that becomes the store's error. */
int mrs_store_split_each_part(mrs_store *s, int64_t split, int phase,
                              int (*fn)(const mrs_split_part *p, void *ctx, char *err, size_t errlen), void *ctx);
/* Store the merged facts (phase 2 begins). */
int mrs_store_split_set_facts(mrs_store *s, int64_t split, const uint8_t *facts, size_t len);
/* The merged facts (malloc'd): 0, 1 none yet, -1 error. */
int mrs_store_split_facts(mrs_store *s, int64_t split, uint8_t **facts, size_t *len);
/* Status "complete" (run: the observatory run), "failed" (reason) or "running" again. */
int mrs_store_split_end(mrs_store *s, int64_t split, const char *status, const char *reason, int64_t run);
/* Split runs (of stream, "" or NULL = any; of id split, 0 = any): *total of them,
 * *waiting still needing workers (running, and phase 1 or phase 2 rows missing). */
int mrs_store_split_waiting(mrs_store *s, const char *stream, int64_t split, int64_t *waiting, int64_t *total);

#endif
