/*
 * seen.h — the routes store collapsed over peers and time: which (prefix, origin)
 * pairs the routing data carried, how many RIB entries / announcements did, and
 * the first file that showed each. The other granularity of the routes store next
 * to the timeline of view.h; built from the same route events. Used where the
 * question is "is this announced at all?": anti-spoofing permit lists (what a
 * customer cone originates) and `filter --rib` (registered but never seen).
 *
 * Prefixes are stored masked (host bits on the wire do not make another prefix).
 * Routes whose origin is NONE (path ending in an AS_SET, RFC 6811 §2) are kept
 * only when asked for (origin 0).
 */
#ifndef MANRS_ROUTES_SEEN_H
#define MANRS_ROUTES_SEEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"
#include "manrs/feeds/route_event.h"

typedef struct mrs_seen mrs_seen;

typedef struct mrs_seen_route {
    mrs_prefix prefix;
    uint32_t origin;            /* 0: origin NONE (kept with any_origin) */
    uint32_t file;              /* first file that showed it: mrs_seen_file() */
    uint64_t count;             /* RIB entries and announcements that carried it */
} mrs_seen_route;

/* What a scan keeps. */
typedef struct mrs_seen_filter {
    const uint32_t *origins;    /* sorted; NULL = every origin */
    size_t n_origins;
    bool none_origin;           /* also routes whose origin is NONE (as origin 0) */
} mrs_seen_filter;

mrs_seen *mrs_seen_new(void);
void mrs_seen_free(mrs_seen *s);

/* Every RIB entry and announcement of an MRT file (any compression). Returns 0,
 * or -1 if the file cannot be opened (reported to d) or memory ran out. */
int mrs_seen_scan_mrt(mrs_seen *s, const char *path, const mrs_seen_filter *f, mrs_diag *d);
/* One route by hand (tests, other stores). Returns 0, -1 when out of memory. */
int mrs_seen_add(mrs_seen *s, const mrs_prefix *p, uint32_t origin, const char *file);

/* Routes with a determinable origin read so far (kept or not). */
uint64_t mrs_seen_events(const mrs_seen *s);
/* The routes, sorted by (prefix, origin), duplicates merged. The first call after
 * adding sorts; pointers stay valid until the next add. */
size_t mrs_seen_count(mrs_seen *s);
const mrs_seen_route *mrs_seen_at(mrs_seen *s, size_t i);
const char *mrs_seen_file(const mrs_seen *s, uint32_t file);
/* Is there a route for a prefix covered by p (p itself or a more-specific) with a
 * length in lo..hi? */
bool mrs_seen_covered(mrs_seen *s, const mrs_prefix *p, unsigned lo, unsigned hi);

#endif
