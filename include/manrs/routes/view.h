/*
 * view.h — the routing view: every route each collector peer had, over time.
 *
 * Built from neutral route events (route_event.h; any feed): a RIB entry opens a route at the
 * RIB's time; an announcement replaces the peer's route for the prefix (closing
 * the previous one) unless it carries the same AS path; a withdrawal closes it;
 * a peer session leaving Established closes all of the peer's routes (RFC 4271
 * §8.2.2: routes are lost with the session). What remains open is closed at the
 * end of the observation window.
 *
 * Storage is compact and allocation-free per route: prefixes and AS paths are
 * interned (one copy each, referred to by 32-bit ids), a route is 40 bytes.
 * Evidence for every route: the MRT file and the byte offset of the record that
 * announced it.
 */
#ifndef MANRS_VIEW_H
#define MANRS_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/feeds/route_event.h"
#include "manrs/core/prefix.h"

#define MRS_VIEW_OPEN UINT32_MAX

typedef struct mrs_view_peer {
    uint16_t afi;
    uint8_t ip[16];
    uint32_t asn;
} mrs_view_peer;

/* Order of peers by (asn, afi, ip): a peer's identity across views. */
int mrs_view_peer_cmp(const void *a, const void *b);

typedef struct mrs_view_route {
    uint32_t peer;            /* index into the peer table */
    uint32_t prefix;          /* interned prefix id */
    uint32_t path;            /* interned AS path id */
    uint32_t start, end;      /* seconds; end == MRS_VIEW_OPEN while the route is held */
    uint32_t file : 24;       /* index into the file table (< MRS_VIEW_MAX_FILES) */
    uint32_t blackhole : 1;   /* RFC 7999 BLACKHOLE community attached */
    uint32_t held : 1;        /* still held when the window ended (closed by mrs_view_close_all,
                                 not withdrawn, replaced or lost with the session) */
    uint32_t spare : 6;
    uint64_t offset;          /* byte offset of the announcing MRT record */
    uint32_t origin;          /* origin AS, 0 when undeterminable (AS_SET) */
    uint32_t otc;             /* RFC 9234 Only-To-Customer value, 0 if absent */
} mrs_view_route;

typedef struct mrs_view mrs_view;

/* Files one view can name (route evidence keeps a 24-bit file index). */
#define MRS_VIEW_MAX_FILES (1u << 24)

mrs_view *mrs_view_new(void);
void mrs_view_free(mrs_view *v);

/* Register an input file; returns its index for mrs_view_add_event. */
uint32_t mrs_view_add_file(mrs_view *v, const char *name);
/* Feed one event (typically from a feed's callback, e.g. mrs_mrt_feed_file). */
void mrs_view_add_event(mrs_view *v, const mrs_route_event *ev, uint32_t file);
/* Did memory run out while building (then events were dropped and the view is
 * incomplete; core/grow.h)? Check once after the feed. */
bool mrs_view_oom(const mrs_view *v);
/* Close every open route at time t (end of the window); they are marked held. */
void mrs_view_close_all(mrs_view *v, uint32_t t);

size_t mrs_view_route_count(const mrs_view *v);
const mrs_view_route *mrs_view_route_at(const mrs_view *v, size_t i);
size_t mrs_view_peer_count(const mrs_view *v);
const mrs_view_peer *mrs_view_peer_at(const mrs_view *v, size_t i);
size_t mrs_view_prefix_count(const mrs_view *v);
const mrs_prefix *mrs_view_prefix(const mrs_view *v, uint32_t id);
size_t mrs_view_path_count(const mrs_view *v);
/* An interned path, decoded (route_event.h walkers apply). */
mrs_as_path mrs_view_path(const mrs_view *v, uint32_t id);
/* The path flattened to its AS_SEQUENCE members in order (AS_SET members are not
 * included; *has_set tells whether there was one). Returns the count; writes at most max. */
size_t mrs_view_path_asns(const mrs_view *v, uint32_t id, uint32_t *out, size_t max, bool *has_set);
const char *mrs_view_file_name(const mrs_view *v, uint32_t id);
/* Full-feed collector peers: those that held, at some moment, at least half of the
 * view's prefixes of a family with a table's worth of them (>= 10 000: a window of
 * updates holds the changed prefixes only, and then no peer is full-feed). With
 * full non-NULL (mrs_view_peer_count entries) each peer's verdict is written.
 * Returns the count, or -1 when out of memory. Memory: 8 bytes per prefix. */
#define MRS_VIEW_TABLE_PREFIXES 10000
long mrs_view_full_feed_peers(const mrs_view *v, bool *full);
/* The rule: a peer that held `held` of a family's `total` distinct prefixes. */
static inline bool mrs_view_full_feed(uint64_t held, uint64_t total)
{
    return total >= MRS_VIEW_TABLE_PREFIXES && 2 * held >= total;
}
/* Distinct prefixes each peer held, per family (cnt: 2 per peer, [2p] IPv4,
 * [2p+1] IPv6), and the view's distinct prefixes per family (total). Returns 0,
 * -1 when out of memory. What mrs_view_full_feed_peers counts with; a run split by
 * prefix adds these up over its parts (every prefix is in one part). */
int mrs_view_peer_prefixes(const mrs_view *v, uint64_t *cnt, uint64_t total[2]);
uint32_t mrs_view_first_time(const mrs_view *v);
uint32_t mrs_view_last_time(const mrs_view *v);

#endif
