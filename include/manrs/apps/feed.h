/*
 * feed.h — `manrs feed`: route events on NATS JetStream (docs/scale.md).
 *
 * Publishing: every route event of the MRT inputs (feeds/mrt_feed.h) in the order
 * `manrs observe` reads them (observatory.h mrs_obs_mrt_order: the baseline RIBs,
 * then every other file in time order; each file a RIB or updates by its first
 * record), encoded as feeds/route_event_codec.h says, on the subject of its
 * partition (STREAM's subjects are "manrs.ev.STREAM.>": .v4.<octet>, .v6.<hex16>,
 * .ctl). A message is the concatenation of 1..N events of one partition, in
 * reading order: each partition's events are buffered until the next would take
 * the buffer beyond batch_bytes, every buffer is flushed (ascending partition
 * number) before a state change (ctl) is published and before every progress
 * record, so that a ctl message's stream sequence orders it against every
 * partition event exactly as the files do. Each message carries a Nats-Msg-Id
 * (hash of the source name, the index of its first event in it, its number of
 * events) so that the stream's duplicate window drops a message published twice.
 * Publishing is asynchronous with at most max_pending acknowledgements
 * outstanding; every checkpoint events (and at the end of each file) the feed
 * waits for every acknowledgement and records its position and the run's
 * aggregates on "manrs.ev.STREAM.progress.NAME"; a restarted feed reads that
 * record back (the subject's last message) and skips what the stream already has.
 * A NATS failure while publishing (a server restart) does the same within the run:
 * a new connection, on from the record. When every input is in, the feed publishes
 * the seal (mrs_feed_seal) on "manrs.ev.STREAM.seal.NAME".
 *
 * Live inputs (feed_live.c; ris_live, bmp_listen below): RIS Live lines from
 * standard input or a WebSocket, BMP sessions of routers, published as they arrive
 * through the same batches (also flushed every flush_ms), with progress records of
 * their own and message ids unique per start; they end on EOF, duration_s, count
 * or SIGINT/SIGTERM, then the seal ("live":true, "restarts"). A restarted live
 * feed carries the earlier live run's totals on: nothing can be replayed.
 *
 * Reading (the tests; the workers read the same way): every event message of the
 * stream (or of one subject), in stream order, every event of each decoded; an
 * event that does not decode, or that sits on another partition's subject, is
 * counted and logged with its subject and stream sequence, and the rest of its
 * message skipped. Prints the number of events and a digest (per partition,
 * order-sensitive) that the dry run computes from the files themselves.
 */
#ifndef MANRS_APPS_FEED_H
#define MANRS_APPS_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nats/nats.h>

typedef enum feed_mode { FEED_PUBLISH, FEED_READ, FEED_DRY_RUN, FEED_SEAL } feed_mode;

#define FEED_BATCH_BYTES 65536   /* default bytes of events per message */

typedef struct feed_opts {
    feed_mode mode;
    const char *nats_url;          /* nats://[user:pass@]host:port (PUBLISH, READ, SEAL) */
    const char *stream;            /* stream name; NULL = "manrs" */
    const char *name;              /* the feed's name (its progress and seal); NULL = "mrt" */
    const char *subject;           /* READ: one subject (or wildcard); NULL = every event */
    char *const *inputs;           /* PUBLISH, DRY_RUN: MRT files, directories, patterns */
    size_t n_inputs;
    unsigned max_pending;          /* outstanding acknowledgements; 0 = 4096 */
    unsigned checkpoint;           /* events between progress records; 0 = 20000 */
    unsigned batch_bytes;          /* bytes of events per message at most (a longer event
                                      goes alone); 0 = FEED_BATCH_BYTES, 1 = one event each */
    int zstd_level;                /* the batches compressed at this zstd level (route_event_
                                      codec.h); 0 = 1, negative: not compressed */
    unsigned timeout_ms;           /* connect and request timeout; 0 = 5000 */
    bool from_start;               /* ignore the progress record (duplicates are dropped) */
    bool progress;                 /* a progress line on stderr (a TTY) */
    /* live inputs (PUBLISH; feed_live.c), instead of inputs: */
    const char *ris_live;          /* RIS Live JSON lines: a FILE (then published as an MRT
                                      input is: resumable), "-" (standard input) or a
                                      ws:// or wss:// URL */
    const char *bmp_listen;        /* BMP (RFC 7854) routers on "ADDR:PORT" (port 0: any) */
    const char *port_file;         /* --bmp-listen: the bound port written there */
    const char *source;            /* the events' source name; NULL: "-", the URL, or
                                      "bmp://ROUTER" per router connection */
    unsigned rib;                  /* --bmp-listen: the bmp_rib published (0 = pre-policy) */
    char *const *subscribe;        /* URL: the ris_subscribe "data" objects (JSON); none:
                                      every UPDATE (raw included) and every peer state */
    size_t n_subscribe;
    unsigned duration_s;           /* stop after this many seconds; 0 = no limit */
    uint64_t count;                /* stop after this many events; 0 = no limit */
    unsigned flush_ms;             /* buffered events published at least this often; 0 = 1000 */
    unsigned progress_s;           /* live: seconds between progress records; 0 = 10 */
} feed_opts;

/* 0: done; 1: an input, NATS or stream error (said on stderr), or an input that
 * could not be used (published all the same, the seal says failed); SEAL: 3 when
 * the stream holds no seal of the feed. */
int feed_run(const feed_opts *o);

/* Is --ris-live ARG live (standard input "-", a ws:// or wss:// URL), not a file? */
bool feed_live_input(const char *ris_live);

/* The URL without its credentials (nats://user:pass@h:p -> nats://h:p), for messages. */
void feed_url_redact(const char *url, char *out, size_t cap);
/* A stream or feed name NATS accepts in a subject token and as a stream name. */
bool feed_name_ok(const char *s);

/* ---------------------------------------------------------------- the seal
 *
 * Published once every input is in the stream and acknowledged, on
 * "manrs.ev.STREAM.seal.FEED", as one JSON object (version 1):
 *
 *   {"version":1, "events":N, "first_time":T0, "last_time":T1, "baseline_end":TB,
 *    "baseline_ribs":K, "rib_files":R, "update_files":U, "ris_live_files":L,
 *    "snapshot":bool, "damaged":D, "cut":C, "failed":bool, "inputs":"...",
 *    "last_seq":S, "data_time":T, "dated":bool}
 *
 * with the routing view's meaning (routes/view.h, observatory load.c): first_time
 * and last_time the least and greatest event time over every event (every kind,
 * every SAFI; 0 and 0 without events), what `manrs observe` takes as its window
 * without --from/--to; baseline_end the greatest event time of the baseline RIBs
 * (0 without any): observe's baseline end; baseline_ribs those RIBs; snapshot: RIBs
 * and nothing else (observe's rule); damaged the MRT records damaged,
 * resynchronisations and truncations, cut the messages old collectors cut at 4 096
 * bytes, failed: an input could not be used (unreadable, no records) — all as
 * observe counts them; inputs mrs_obs_inputs_describe() of the feed's inputs (what
 * observe stores as a run's inputs); last_seq the stream sequence of the last event
 * message (a worker has all of its partition once it has read up to it). A resumed
 * feed carries the aggregates in its progress record: its seal equals an
 * uninterrupted run's, last_seq aside (the progress records take sequences too).
 * data_time is the earliest first-record time of the inputs (dated false when no
 * input's could be read): the time observe dates the bogon registries and the VRPs'
 * validity at (observatory.h mrs_obs_data_time), which a worker needs to judge as
 * observe does.
 *
 * A live feed (feed_live.c: RIS Live from standard input or a WebSocket, BMP
 * sessions) seals the same fields when it stops (end of input, --duration,
 * --count, SIGINT/SIGTERM), and two more: "live":true, and "restarts", the number
 * of earlier runs of the feed on the stream whose aggregates this one carries on
 * (each a gap: what arrived while no feed ran is not in the stream; docs/scale.md).
 * Its inputs are "ris-live=SOURCE" or "bmp=SOURCE"; data_time the time of its
 * first record. */

#define MRS_FEED_SEAL_VERSION 1
#define MRS_FEED_SEAL_INPUTS_MAX 4096   /* = observatory.h MRS_OBS_DESCRIBE_MAX */

typedef struct mrs_feed_seal {
    unsigned version;
    uint64_t events;
    uint32_t first_time, last_time, baseline_end;
    uint64_t baseline_ribs, rib_files, update_files, ris_live_files;
    bool snapshot;
    uint64_t damaged, cut;
    bool failed;
    char inputs[MRS_FEED_SEAL_INPUTS_MAX];
    uint64_t last_seq;
    uint32_t data_time;
    bool dated;
    /* a live feed's (--ris-live - or URL, --bmp-listen): "live":true and
     * "restarts":N follow "dated"; absent from an MRT feed's seal */
    bool live;
    uint64_t restarts;
} mrs_feed_seal;

/* Parse a seal (json[0..len), not NUL-terminated necessarily). Returns 0; -1 with
 * a message in err naming what is wrong (not JSON, not an object, a field missing
 * or of the wrong type or range, another version). Fields it does not know are
 * ignored. */
int mrs_feed_seal_parse(const char *json, size_t len, mrs_feed_seal *out, char *err, size_t errlen);
/* The seal as one line of compact JSON, fields in the order above (malloc'd; NULL
 * when out of memory). */
char *mrs_feed_seal_json(const mrs_feed_seal *s);
/* The last seal of feed (NULL = "mrt") in stream (NULL = "manrs"), read with
 * js_GetLastMsg on the subject "manrs.ev.STREAM.seal.FEED" through js (a JetStream
 * context of the caller's connection). Returns 1 with the seal in *out; 0 when the
 * stream holds none (the feed has not finished); -1 with a message in err (NATS,
 * no such stream, a seal that does not parse). */
int mrs_feed_seal_get(jsCtx *js, const char *stream, const char *feed, mrs_feed_seal *out, char *err,
                      size_t errlen);

#endif
