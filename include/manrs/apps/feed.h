/*
 * feed.h — `manrs feed`: route events on NATS JetStream (docs/scale.md).
 *
 * Publishing: every route event of the MRT inputs (feeds/mrt_feed.h), in input
 * order, encoded as feeds/route_event_codec.h says, on the subject of its partition
 * (STREAM's subjects are "manrs.ev.STREAM.>": .v4.<octet>, .v6.<hex16>, .ctl), each
 * message with a Nats-Msg-Id (hash of the source name and the event's index in it)
 * so that the stream's duplicate window drops an event published twice. Publishing
 * is asynchronous with at most max_pending acknowledgements outstanding; every
 * checkpoint events (and at the end of each file) the feed waits for every
 * acknowledgement and records its position on "manrs.ev.STREAM.progress.NAME"; a
 * restarted feed reads that record back (the subject's last message) and skips
 * what the stream already has. A NATS failure while publishing (a server restart)
 * does the same within the run: a new connection, on from the record.
 *
 * Reading (the tests; the workers of the next slice read the same way): every
 * event message of the stream (or of one subject), in stream order, decoded; a
 * message that does not decode, or that sits on another partition's subject, is
 * counted and logged with its subject and stream sequence, and skipped. Prints the
 * number of events and a digest (per partition, order-sensitive) that the dry run
 * computes from the files themselves.
 */
#ifndef MANRS_APPS_FEED_H
#define MANRS_APPS_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum feed_mode { FEED_PUBLISH, FEED_READ, FEED_DRY_RUN } feed_mode;

typedef struct feed_opts {
    feed_mode mode;
    const char *nats_url;          /* nats://[user:pass@]host:port (PUBLISH, READ) */
    const char *stream;            /* stream name; NULL = "manrs" */
    const char *name;              /* the feed's name (its progress record); NULL = "mrt" */
    const char *subject;           /* READ: one subject (or wildcard); NULL = every event */
    char *const *inputs;           /* PUBLISH, DRY_RUN: MRT files or directories */
    size_t n_inputs;
    unsigned max_pending;          /* outstanding acknowledgements; 0 = 4096 */
    unsigned checkpoint;           /* events between progress records; 0 = 20000 */
    unsigned timeout_ms;           /* connect and request timeout; 0 = 5000 */
    bool from_start;               /* ignore the progress record (duplicates are dropped) */
    bool progress;                 /* a progress line on stderr (a TTY) */
} feed_opts;

/* 0: done; 1: an input, NATS or stream error (said on stderr). */
int feed_run(const feed_opts *o);

/* The URL without its credentials (nats://user:pass@h:p -> nats://h:p), for messages. */
void feed_url_redact(const char *url, char *out, size_t cap);
/* A stream or feed name NATS accepts in a subject token and as a stream name. */
bool feed_name_ok(const char *s);

#endif
