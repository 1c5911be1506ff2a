/*
 * worker_internal.h — what the worker (worker.c) and the coordinator (coord.c)
 * share: the NATS connection, the work stream and its consumer, reading one
 * subject of the event stream, reconnecting to the store.
 */
#ifndef MANRS_WORKER_INTERNAL_H
#define MANRS_WORKER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <nats/nats.h>

#include "manrs/apps/worker.h"
#include "manrs/store/store.h"

#define WORK_CONSUMER "workers"
#define AFF_INACTIVE_S 3600   /* an affinity consumer without a pull this long is removed */

typedef struct wconn {
    natsConnection *nc;
    jsCtx *js;
    char url[512];              /* without credentials, for messages */
    const char *prog;           /* "manrs worker", "manrs observe" */
    const char *stream;         /* the event stream */
    char base[160];             /* manrs.ev.STREAM */
    char work_stream[160];      /* MANRS_WORK_STREAM */
    char work_subjects[200];    /* manrs.work.STREAM.> */
    char aff_stream[160];       /* MANRS_AFF_STREAM: tasks for one worker process */
    char aff_subjects[200];     /* manrs.aff.STREAM.> (manrs.aff.STREAM.TOKEN.SPLIT.PHASE.PART) */
    unsigned timeout_ms;
} wconn;

double wk_now(void);

/* Connect (reconnecting by itself after that: a server restart is ridden out).
 * false after saying why (the URL named, without credentials). */
bool wconn_open(wconn *c, const char *prog, const char *url, const char *stream, unsigned timeout_ms,
                const char *client_name);
void wconn_close(wconn *c);
/* The work stream and the affinity stream, created when missing (work-queue
 * retention, file storage). */
bool wconn_work_stream(wconn *c);
/* The shared durable pull consumer, created or given this ack wait (0: created
 * with 30 s when missing, else left as it is). */
bool wconn_work_consumer(wconn *c, unsigned ack_wait_s);
/* A worker process's own durable consumer of the affinity stream, "aff_TOKEN",
 * filtered to manrs.aff.STREAM.TOKEN.> (worker.h mrs_worker_token): the phase-2
 * tasks of the partitions whose phase 1 it computed. Created or given this ack
 * wait. */
bool wconn_aff_consumer(wconn *c, const char *token, unsigned ack_wait_s);
void wconn_aff_names(const wconn *c, const char *token, char durable[80], char filter[256]);
/* 1 the worker process of token has its affinity consumer, 0 not, -1 NATS error. */
int wconn_aff_exists(wconn *c, const char *token);

/* Every event subject (partition) of the stream with its message count, ascending
 * by partition number; malloc'd. false after saying why. */
bool wconn_partitions(wconn *c, uint32_t **parts, uint64_t **messages, size_t *n);
/* Messages on one subject (-1 after saying why). */
int64_t wconn_subject_count(wconn *c, const char *subject);

/* fn for every message of subject with stream sequence <= last_seq, in order
 * (an ordered consumer). fn returns 0 to go on, 1 to stop (abandon), -1 error.
 * Returns 0 done, 1 abandoned, -1 after saying why. stop (may be NULL) is asked
 * between messages. */
typedef int (*wconn_msg_fn)(uint64_t seq, const uint8_t *data, size_t len, void *ctx);
int wconn_read(wconn *c, const char *subject, uint64_t last_seq, wconn_msg_fn fn, void *ctx,
               bool (*stop)(void *ctx), void *stop_ctx);

/* The store again after a failure: open it, every 0.5 s for up to `seconds`
 * (0: once). NULL after saying why (the URL without its password). quiet: say
 * nothing per attempt. */
mrs_store *wk_store_open(const char *prog, const char *db, unsigned seconds, bool quiet);

#endif
