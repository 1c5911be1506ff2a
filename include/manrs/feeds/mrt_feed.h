/*
 * mrt_feed.h — MRT files (RIS, RouteViews, any collector) as a feed of neutral
 * route events (route_event.h). The feed every observatory run, anti-spoofing and
 * filter command reads; only `manrs dump` and `manrs stats` look at the MRT
 * records themselves (mrt.h).
 */
#ifndef MANRS_FEEDS_MRT_FEED_H
#define MANRS_FEEDS_MRT_FEED_H

#include <stdbool.h>

#include "manrs/feeds/mrt.h"
#include "manrs/feeds/route_event.h"

/* The adapter itself, for callers that frame and decode records on their own
 * (memory buffers, tests): pass mrs_mrt_feed_event as the mrt_event_fn of
 * mrt_decode with the feed as its user pointer. */
typedef struct mrs_mrt_feed {
    mrs_route_event_fn fn;
    void *user;
    const char *name;           /* the events' source */
    uint32_t *words;            /* decoded path scratch */
} mrs_mrt_feed;

int mrs_mrt_feed_init(mrs_mrt_feed *f, const char *name, mrs_route_event_fn fn, void *user);   /* -1: memory */
void mrs_mrt_feed_event(const mrt_event *ev, void *feed);
void mrs_mrt_feed_clear(mrs_mrt_feed *f);

/* Read every record of one file (any compression, "-" = stdin), decode it with d
 * and call fn per route event; an event's source is path. Damage goes to diag and
 * is counted in res (as mrt_scan_file). Returns false if the file could not be
 * opened (or memory ran out). */
bool mrs_mrt_feed_file(const char *path, mrt_decoder *d, mrs_diag *diag, bool progress, mrs_route_event_fn fn,
                       void *user, mrt_scan_result *res);

/* The same with a decoder of its own for this one file: the records read, or -1
 * (the file could not be opened, memory). */
int64_t mrs_mrt_feed_path(const char *path, mrs_diag *diag, bool progress, mrs_route_event_fn fn, void *user);
/* The timestamp of the file's first MRT record (RFC 6396 §2: the common header's
 * first four bytes; a RIB dump's PEER_INDEX_TABLE carries the dump time), to order
 * inputs by time whatever the order they were given in. False when the file cannot
 * be opened or holds less than one header ("-" is never peeked: it cannot be read
 * twice). */
bool mrs_mrt_file_first_time(const char *path, uint32_t *t);
/* The same, and whether the file is a RIB dump: its first record is a TABLE_DUMP
 * or TABLE_DUMP_V2 (RFC 6396 §4.2, §4.3), not BGP4MP updates. */
bool mrs_mrt_file_peek(const char *path, uint32_t *t, bool *rib);

#endif
