/*
 * feed_internal.h — what the feed's files share (src/apps/feed/): the NATS
 * connection, the batching publisher (feeder) that feed.c drives over MRT inputs
 * and feed_live.c over live inputs (RIS Live lines, BMP sessions).
 */
#ifndef MANRS_APPS_FEED_INTERNAL_H
#define MANRS_APPS_FEED_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <nats/nats.h>

#include "manrs/apps/feed.h"
#include "manrs/feeds/route_event_codec.h"

#define PROG "manrs feed"

typedef struct digest digest;
typedef struct feed_inputs feed_inputs;

typedef struct feed_conn {
    natsConnection *nc;
    jsCtx *js;
    char url[512];          /* redacted */
    char base[160];         /* manrs.ev.STREAM */
    const char *stream;
} feed_conn;

/* The run's aggregates, as the seal gives them (carried in the progress record). */
typedef struct feed_agg {
    uint64_t events;
    uint32_t first, last;      /* first > last: no event yet */
    uint32_t baseline_end;
    uint64_t damaged, cut;
    bool failed;
    uint64_t last_seq;
} feed_agg;

/* One partition's events waiting to be published. */
typedef struct pbuf {
    uint8_t *b;
    size_t len, cap;
    uint64_t first;            /* index of its first event in the source */
    uint32_t n;                /* events */
    bool dirty;                /* in feeder.dirty */
    char subject[160];
} pbuf;

#define CTL_PARTITION (MRS_REV_PARTITIONS - 1)

typedef struct feeder {
    const feed_opts *o;
    feed_conn *c;                   /* NULL: the dry run */
    const char *base;          /* manrs.ev.STREAM */
    const feed_inputs *fi;
    /* batching */
    pbuf **part;               /* MRS_REV_PARTITIONS, each allocated when first used */
    long *dirty;               /* partitions that may hold events */
    size_t n_dirty;
    size_t limit;              /* bytes of events per message */
    uint8_t *enc;
    mrs_rev_packer pk;         /* the batches compressed (feed_opts.zstd_level) */
    /* the file being read */
    size_t file_i;
    const char *file;
    uint64_t file_hash, idx, skip_until;
    bool baseline;
    feed_agg agg;              /* so far */
    feed_agg at_file;          /* before this file: what a progress record carries */
    /* this run */
    uint64_t published, messages, skipped, bytes, wire_bytes, since_checkpoint, files;
    bool stop, nats_error;
    double t0, last_progress;
    char progress_subject[240], seal_subject[240];
    /* the acknowledgement handler runs on a libnats thread */
    pthread_mutex_t mu;
    uint64_t acked, dups, nacked, max_seq;
    char first_error[512];
    /* the dry run: what a fresh stream would hold */
    digest *dg;
    uint32_t *words;
    uint64_t seq, progress_records;
    /* a live feed (feed_live.c): message ids from a nonce of the start */
    bool live;
    uint64_t nonce;
    void *live_ctx;
} feeder;

double feed_now_s(void);
void feed_agg_init(feed_agg *a);
/* reconnect: let libnats reconnect on its own (readers); quiet: no message when
 * the server cannot be reached. */
bool feed_conn_open(feed_conn *c, const feed_opts *o, jsOptions *jo, bool reconnect, bool quiet);
void feed_conn_close(feed_conn *c);
/* The stream exists with our subjects, or is created (file storage). */
bool feed_stream_ensure(feed_conn *c);
/* fi: the MRT inputs, NULL for a live feed. */
bool feed_feeder_init(feeder *f, const feed_opts *o, feed_conn *c, const char *base, const feed_inputs *fi);
void feed_feeder_free(feeder *f);
/* Every route event: its aggregates, batched on its partition (mrs_route_event_fn). */
void feed_on_event(const mrs_route_event *ev, void *user);
/* Every partition's buffered events published (ascending partition order; the
 * ctl subject's kept when keep_ctl). */
void feed_flush_all(feeder *f, bool keep_ctl);
void feed_on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure);
/* Every acknowledgement in, or false after saying why. */
bool feed_wait_acks(feeder *f);
/* The last progress record of the feed: 1 (*m, the caller destroys it), 0 none, -1
 * after saying why. */
int feed_progress_last(feeder *f, natsMsg **m);
/* A progress record (o, taken) on the feed's progress subject, acknowledged; false
 * after saying why. */
bool feed_progress_publish(feeder *f, json_t *o);
bool feed_publish_seal(feeder *f, const char *json);
bool feed_reconnect_within(feed_conn *c, const feed_opts *o, jsOptions *jo, int seconds);

/* feed_live.c: the progress record of a live feed (flushed, acknowledged first);
 * the live run itself. */
bool feed_live_checkpoint(feeder *f);
int feed_live_run(const feed_opts *o, feed_conn *c);

#endif
