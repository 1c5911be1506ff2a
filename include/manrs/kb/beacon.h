/*
 * beacon.h — routing beacons: prefixes that research networks announce and
 * withdraw on a schedule to study how BGP converges (RIPE RIS beacons and anchors,
 * the BGP Beacons of Mao et al., testbeds such as PEERING). They reach route
 * collectors over exchange links no relationship inference knows, and their
 * operators ask peers to give them transit, so their paths look like leaks and
 * forged paths and their origins come and go: the observatory exempts them
 * (docs/observe.md "Not incidents at all").
 *
 * A set holds entries `prefix [origin]`: a route matches when its prefix is equal
 * to or more specific than an entry's and, if the entry names an origin, the
 * route's origin is that AS (anyone else announcing beacon space is still
 * checked). The built-in list is the RIPE RIS beacons 84.205.64.0/19 and
 * 2001:7fb:fe00::/40 and RIS anchors 93.175.144.0/20 and 2001:7fb:fd00::/40, all
 * from AS12654.
 *
 * File format (`manrs observe --beacons FILE`): one entry per line,
 *
 *     # RIS beacons
 *     84.205.64.0/19    AS12654
 *     198.133.206.0/24  AS3130     # a research network's beacon
 *     2001:db8:1::/48              # any origin
 *
 * the origin written 64500, AS64500 or asdot; '#' starts a comment; blank lines are
 * ignored. Bad lines (no prefix length, host bits set, a prefix shorter than IPv4
 * /8 or IPv6 /16 that would exempt a continent, a bad or reserved origin, text
 * after the origin) are reported as FILE:LINE, skipped and counted.
 */
#ifndef MANRS_KB_BEACON_H
#define MANRS_KB_BEACON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"

struct mrs_reader;

typedef struct mrs_beacon {
    mrs_prefix prefix;
    uint32_t origin;        /* 0: any origin */
    const char *source;     /* the file name, or "built-in" */
    uint64_t line;          /* line in the file, 0 for built-ins */
} mrs_beacon;

typedef struct mrs_beacon_set mrs_beacon_set;

/* A set with the built-in RIS list (builtin) or empty. NULL when out of memory. */
mrs_beacon_set *mrs_beacon_set_new(bool builtin);
void mrs_beacon_set_free(mrs_beacon_set *s);

/* Add one entry (source is copied; NULL means ""). Returns 0, -1 (memory, or an
 * invalid prefix). */
int mrs_beacon_add(mrs_beacon_set *s, const mrs_prefix *p, uint32_t origin, const char *source);

/* Load a beacon list (format above). Returns 0, or -1 when the file cannot be
 * opened or read, or memory runs out; bad lines go through d (FILE:LINE). */
int mrs_beacon_load(mrs_beacon_set *s, const char *path, mrs_diag *d);
int mrs_beacon_load_mem(mrs_beacon_set *s, const void *buf, size_t len, const char *name, mrs_diag *d);
int mrs_beacon_load_reader(mrs_beacon_set *s, struct mrs_reader *r, mrs_diag *d);

size_t mrs_beacon_count(const mrs_beacon_set *s);
const mrs_beacon *mrs_beacon_at(const mrs_beacon_set *s, size_t i);

/* The entry that makes a route of prefix p originated by origin a beacon (the most
 * specific, the first listed on a tie), or NULL. A NULL set means the built-in
 * list. Entry pointers are valid until the set changes. */
const mrs_beacon *mrs_beacon_match(const mrs_beacon_set *s, const mrs_prefix *p, uint32_t origin);
/* Is p beacon space: equal to or more specific than some entry, whatever its
 * origin? (A route outside it is no beacon: callers with many routes per prefix
 * ask this once per prefix, mrs_beacon_match only inside it.) NULL: the built-ins. */
bool mrs_beacon_space(const mrs_beacon_set *s, const mrs_prefix *p);

#endif
