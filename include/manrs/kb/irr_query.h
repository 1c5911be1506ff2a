/*
 * irr_query.h — read-only lookups on a finalized irr_db that an IRR query server
 * (manrs whoisd, IRRd query language) and the filter generator need beyond irr.h:
 * route objects by origin, route objects by prefix relation (exact, one-level and
 * all less specific, all more specific — the `!r` options of IRRd), and the direct
 * members of a set object.
 *
 * Assumes irr_db_finalize() was called; every function returns -1 / false on a
 * db that is not finalized. Results are in the db's index order (family, length,
 * address, origin, source), which is deterministic; callers sort as they need.
 */
#ifndef MANRS_IRR_QUERY_H
#define MANRS_IRR_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/kb/irr.h"

/* Called per route object; return non-zero to stop (that value is returned). */
typedef int (*irr_route_fn)(void *user, const irr_route_ref *r);

/* Route (afi = MRS_AFI_IPV4), route6 (MRS_AFI_IPV6) or both (afi = 0) objects
 * with origin asn in the selection (sel NULL = all). Returns 0, the callback's
 * non-zero value, or -1 (db not finalized). */
int irr_db_routes_by_origin(const irr_db *db, uint32_t asn, unsigned afi, const irr_sel *sel, irr_route_fn fn,
                            void *user);

typedef enum irr_prefix_match {
    IRR_PM_EXACT = 0,     /* objects for exactly this prefix */
    IRR_PM_ONE_LESS,      /* objects for the most specific prefix strictly covering it */
    IRR_PM_ALL_LESS,      /* objects for every covering prefix, the exact one included */
    IRR_PM_ALL_MORE       /* objects for every prefix strictly inside it */
} irr_prefix_match;

/* Route objects related to prefix p (its host bits ignored); less specifics are
 * reported most specific first, more specifics in index order: by length, then
 * address. The objects of one prefix come by origin, then source. Same returns as
 * irr_db_routes_by_origin, and -1 when out of memory (IRR_PM_ALL_MORE only). */
int irr_db_routes_by_prefix(const irr_db *db, const mrs_prefix *p, irr_prefix_match m, const irr_sel *sel,
                            irr_route_fn fn, void *user);

/* A set object (as-set or route-set) as stored: its direct members. */
typedef struct irr_set_view {
    irr_class cls;           /* IRR_CLASS_AS_SET or IRR_CLASS_ROUTE_SET */
    const char *name;        /* upper case */
    const char *source;
    const char *file;
    uint64_t line;
    uint32_t n_members;      /* members: + mp-members: items kept */
    uint32_t n_mbrs_by_ref;  /* maintainers named in mbrs-by-ref: (0 with ANY) */
    bool mbrs_any;           /* mbrs-by-ref: ANY */
    uint32_t index;          /* internal */
} irr_set_view;

/* The best-ranked set called name (case-insensitive) in the selection; its
 * class follows from the name (RFC 2622 §5: AS-... / RS-... components).
 * Returns false when there is none. */
bool irr_db_set_find(const irr_db *db, const char *name, const irr_sel *sel, irr_set_view *v);
/* Member i (0 <= i < n_members) as RPSL text: "AS64500", "AS-FOO", "RS-BAR^+",
 * "192.0.2.0/24^24-26". Returns the length; out must hold 80 bytes. */
int irr_db_set_member(const irr_db *db, const irr_set_view *v, uint32_t i, char out[80]);
/* Maintainer i of mbrs-by-ref (upper case). */
const char *irr_db_set_mbr_by_ref(const irr_db *db, const irr_set_view *v, uint32_t i);

/* Class of a set name by RFC 2622 §5 (AS-... components: IRR_CLASS_AS_SET,
 * RS-...: IRR_CLASS_ROUTE_SET), or -1 for anything else (AS numbers included). */
int irr_set_class_of_name(const char *s, size_t n);

/* Rank of source id (0 = best) in the selection, -1 = not selected. */
int irr_sel_source_rank(const irr_db *db, const irr_sel *sel, unsigned source);

/* Aggregate prefixes in place to the smallest list of prefixes that covers
 * exactly the same addresses (covered prefixes dropped, sibling halves merged,
 * repeatedly). Input in any order, any mix of families; output sorted by family,
 * address, length. Returns the new count. */
size_t irr_prefix_aggregate(mrs_prefix *v, size_t n);

#endif
