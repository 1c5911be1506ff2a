/*
 * worker.h — the distributed observatory (docs/scale.md "The workers"): `manrs
 * worker` computes the parts of a run split by prefix (observatory.h) from the
 * route events `manrs feed` put on NATS JetStream, and `manrs observe --nats`
 * coordinates them and reduces their results into the stored run, the same rows
 * as `manrs observe` over the same files.
 *
 * The task protocol. For the event stream STREAM (subjects manrs.ev.STREAM.>) the
 * work stream is MANRS_WORK_<STREAM> (subjects manrs.work.STREAM.>, work-queue
 * retention, file storage) with one durable pull consumer, "workers", that every
 * worker shares (competing consumers). A task is one message on
 * manrs.work.STREAM.<split>.<phase>.<part> whose body is the text
 * "1 SPLIT PHASE PART" (version 1; mrs_task_parse): compute phase 1 (the
 * partition's detection facts) or phase 2 (its incidents, metrics part and
 * detection counts, given the merged facts) of partition PART (0..65791,
 * feeds/route_event_codec.h) of split run SPLIT (the store's split_runs row,
 * store.h); or "2 SPLIT PHASE PART PART..." (version 2): several small
 * partitions one after the other, each its own row (the subject names the first). The worker stores the result as the row (split, phase, part) of
 * split_parts (first row wins) and acknowledges the task after the commit; while
 * it works it sends "in progress" every third of the ack wait. A task not
 * acknowledged within the ack wait (a worker killed, a connection lost) is
 * delivered again, to any worker; one whose row exists is acknowledged at once.
 *
 * The tasks are published the largest partition first (store.h
 * mrs_store_split_missing), so the longest start first. A phase-2 task goes to
 * the worker process that stored the partition's phase-1 row, on its own consumer
 * "aff_TOKEN" of the stream MANRS_AFF_<STREAM> (subjects
 * manrs.aff.STREAM.TOKEN.SPLIT.PHASE.PART, mrs_worker_token), where its phase-1
 * view is kept; to every worker (the shared queue) as well after 3 s without a new
 * row. A worker process may run
 * several tasks at once (threads): each thread is a competing consumer of its own,
 * on its own connection and store session; the split run's knowledge is loaded
 * once and its phase-1 views are kept once for every thread, so a phase-2 task
 * finds the view its partition's phase 1 built whichever thread takes it.
 */
#ifndef MANRS_APPS_WORKER_H
#define MANRS_APPS_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/analysis/detect.h"
#include "manrs/apps/feed.h"
#include "manrs/observatory/observatory.h"

/* ---------------------------------------------------------------- the worker */

#define WORKER_THREADS_MAX 256

typedef struct worker_opts {
    const char *nats_url;          /* nats://[user:pass@]host:port */
    const char *db;                /* the coordinator's store (postgresql://...) */
    const char *stream;            /* the event stream; NULL = "manrs" */
    const char *name;              /* in the rows and messages; NULL = host:pid */
    int64_t run;                   /* serve only this split run (others: left to other
                                      workers); 0 = any */
    unsigned threads;              /* tasks at once, each on its own NATS connection and
                                      store session, sharing the run's knowledge and
                                      phase-1 views; 0 = 1 (at most WORKER_THREADS_MAX) */
    bool once;                     /* exit when no split run needs workers any more */
    unsigned ack_wait_s;           /* the consumer's ack wait; 0 = 30 */
    unsigned cache_mb;             /* phase-1 views kept for phase 2; 0 = 2048 */
    unsigned timeout_ms;           /* connect and request timeout; 0 = 5000 */
    bool quiet;                    /* no line per task */
} worker_opts;

/* Serve tasks until SIGTERM or SIGINT (0), or with once until nothing is left (0);
 * 1 when NATS or the store cannot be reached at start (said on stderr), or on a
 * fatal error. Blocks SIGINT, SIGTERM in the calling thread (call it before any
 * other thread starts). */
int worker_run(const worker_opts *o);

/* ---------------------------------------------------------------- the coordinator */

typedef struct cluster_opts {
    const char *nats_url;
    const char *db;                /* the store: split runs and the observatory run */
    const char *stream;            /* NULL = "manrs" */
    const char *feed;              /* the feed whose seal is awaited; NULL = "mrt" */
    int64_t resume;                /* --reduce --run ID: that split run; 0 = the seal's */
    bool reduce;                   /* --reduce: resume (and reduce again when complete) */
    unsigned timeout_ms;           /* connect and request timeout; 0 = 5000 */
    unsigned stall_s;              /* tasks published again after this long without a
                                      new row; 0 = 120 */
    bool quiet, progress;
} cluster_opts;

/* Coordinate one split run: the seal, the split run, phase 1, the merged facts,
 * phase 2, the reduce into the store. in holds the knowledge inputs and options
 * (its MRT inputs are replaced by the seal's); r gets the run as mrs_obs_run gives
 * it (zeroed by the caller; r->run the stored run). Returns 0 done (r filled); 2
 * nothing to do (the split run is complete; said on stderr); -1 after saying why
 * on stderr. */
int cluster_observe(const cluster_opts *o, mrs_obs_inputs *in, const mrs_obs_cfg *cfg, mrs_diag *kd,
                    mrs_diag *md, mrs_obs_result *r);

/* ---------------------------------------------------------------- the codecs (proto.c) */

/* A task: one partition ("1 SPLIT PHASE PART", version 1), or several small ones
 * done one after the other ("2 SPLIT PHASE PART PART...", version 2: 2 to
 * MRS_TASK_MAX_PARTS distinct partitions; the coordinator groups the partitions
 * under 1/256 of the run's messages, docs/scale.md "The task protocol"). */
#define MRS_TASK_MAX_PARTS 32
typedef struct mrs_task {
    int64_t split;                 /* > 0 */
    int phase;                     /* 1 or 2 */
    unsigned n_parts;              /* 1..MRS_TASK_MAX_PARTS */
    uint32_t parts[MRS_TASK_MAX_PARTS];   /* each < MRS_REV_PARTITIONS - 1 (not ctl), distinct */
} mrs_task;

#define MRS_TASK_MAX 256
/* The task's text into out (at least MRS_TASK_MAX bytes): version 1 for one
 * partition, 2 for several; its length (-1 when n_parts is out of range). */
int mrs_task_format(const mrs_task *t, char *out, size_t cap);
/* Parse a task body (data[0..len), not NUL-terminated): exactly one of the formats
 * above, decimal without signs or leading zeros, single spaces, fields in range,
 * no partition twice. 0, or -1 with a message in err naming what is wrong. */
int mrs_task_parse(const char *data, size_t len, mrs_task *t, char *err, size_t errlen);

/* A worker process's name as a NATS subject token and consumer name (its
 * affinity consumer, docs/scale.md): letters, digits, '-' and '_' kept (at most
 * 40), anything else '_', then '_' and the name's FNV-1a 32-bit hash in 8 hex
 * digits (names that differ only in other characters stay apart). Its length;
 * out holds at least MRS_WORKER_TOKEN_MAX bytes. */
#define MRS_WORKER_TOKEN_MAX 52
int mrs_worker_token(const char *name, char *out);

/* The subject of partition part (0..65791) under base "manrs.ev.STREAM". */
int mrs_split_part_subject(const char *base, uint32_t part, char *out, size_t cap);

/* The spec of a split run (the store's split_runs.spec): what every worker loads
 * and how, as JSON: {"version":1,"inputs":{"vrps":[...],...},"asrel_ipv6":b,
 * "strict_period":b,"from":T,"to":T,"data_time":T,"dated":b,"knowledge_failed":b},
 * the knowledge inputs of in (MRT inputs left out), names as given (the same paths
 * must exist on every worker's machine), the routing data's time the knowledge is
 * taken at, and whether a knowledge input could not be used by the coordinator (a
 * worker computes only when its own loading agrees). */
typedef struct mrs_split_spec {
    uint32_t data_time;
    bool dated;
    bool knowledge_failed;
} mrs_split_spec;
/* malloc'd; NULL when out of memory. */
char *mrs_split_spec_json(const mrs_obs_inputs *in, const mrs_split_spec *sp);
/* Parse a spec into in (zeroed by the caller; knowledge inputs and options only)
 * and sp: 0, or -1 with a message in err (not JSON, another version, an unknown or
 * MRT input kind, a field missing or of the wrong type or range). */
int mrs_split_spec_parse(const char *json, size_t len, mrs_obs_inputs *in, mrs_split_spec *sp, char *err,
                         size_t errlen);

/* The routing inputs named by a description ("rib=F updates=F ris-live=F", what
 * the seal's "inputs" holds, mrs_obs_inputs_describe) added to in: a token starts
 * at the beginning or after a space with one of those kind names and '=', and
 * runs to the next such token (so names may hold spaces). 0, or -1 with a message
 * in err (empty, another kind, an empty name, out of memory). */
int mrs_split_inputs_parse(const char *desc, mrs_obs_inputs *in, char *err, size_t errlen);

/* The extent of the routing data (observatory.h) from a seal's JSON (feed.h
 * mrs_feed_seal_parse). 0, or -1 with a message in err. */
int mrs_split_seal_extent(const char *json, size_t len, mrs_feed_seal *seal, mrs_obs_extent *x, char *err,
                          size_t errlen);

/* A part's detection counts (detect.h mrs_detect_stats) as bytes: "MRSC", version
 * 1, the number of counters, each a little-endian 64-bit word, in the struct's
 * order. MRS_SPLIT_COUNTS_LEN bytes. */
#define MRS_SPLIT_COUNTS_N (5 + 2 * MRS_INC_NCLASSES + 3)
#define MRS_SPLIT_COUNTS_LEN (12 + 8 * MRS_SPLIT_COUNTS_N)
void mrs_split_counts_encode(const mrs_detect_stats *st, uint8_t out[MRS_SPLIT_COUNTS_LEN]);
/* 0, or -1 with a message in err (length, magic, version, count). */
int mrs_split_counts_decode(const uint8_t *p, size_t len, mrs_detect_stats *st, char *err, size_t errlen);
/* into += add (every counter). */
void mrs_split_counts_add(mrs_detect_stats *into, const mrs_detect_stats *add);

#endif
