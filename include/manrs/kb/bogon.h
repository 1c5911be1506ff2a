/*
 * bogon.h — bogon prefixes and bogon AS numbers: address space and AS numbers that
 * must never appear in the global BGP table (MANRS filtering norm; the basis of
 * "is this route a bogon?" in manrs validate).
 *
 * Built-in lists follow the IANA IPv4/IPv6 Special-Purpose Address Registries
 * (RFC 6890 and the RFCs that added entries since) and the IANA IPv6 Address Space
 * registry; each entry carries the RFC that defines it. The rule for the built-ins:
 * a block is a bogon if its registry row says "Globally Reachable: False", or it is
 * outside 2000::/3 (not allocated by IANA for global unicast), or it is IPv4
 * multicast/reserved; see docs/topo.md for the per-entry choices (6to4 2002::/16 is
 * a bogon; Teredo 2001::/32 is not). Globally reachable blocks inside a bogon block
 * (e.g. 2001::/32 Teredo inside 2001::/23) are "exceptions": they carve that space
 * back out. More lists can be loaded: prefix-per-line files (Team Cymru fullbogons)
 * and Spamhaus DROP/EDROP (`prefix ; SBLnnn`).
 *
 * Semantics of a route check (mrs_bogon_check_prefix):
 *   COVERED  — the route is equal to or more specific than a bogon entry (and not
 *              inside a more specific exception): the route is a bogon.
 *   OVERLAPS — the route is less specific than some bogon entry (it covers bogon
 *              space, e.g. 0.0.0.0/0 or 2000::/3), but is not itself inside one.
 *   NO       — neither.
 * The evidence is the matching entry with its RFC or source file and line.
 *
 * Bogon ASNs (RFC 7607, 6793, 5398, 6996, 7300 and the IANA reserved range) are a
 * fixed table, see mrs_bogon_asn.
 */
#ifndef MANRS_BOGON_H
#define MANRS_BOGON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/kb/delegated.h"
#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"

struct mrs_reader;

typedef enum mrs_bogon_origin {
    MRS_BOGON_BUILTIN = 1,      /* IANA special-purpose / address-space registries */
    MRS_BOGON_LIST,             /* loaded prefix-per-line file (fullbogons format) */
    MRS_BOGON_DROP,             /* loaded Spamhaus DROP/EDROP file */
    MRS_BOGON_ADDED             /* mrs_bogon_add */
} mrs_bogon_origin;

typedef struct mrs_bogon_entry {
    mrs_prefix prefix;
    const char *name;       /* "Private-Use", "TEST-NET-1", DROP: "SBL256894", list: "listed" */
    const char *source;     /* built-in: "RFC 1918" etc.; loaded: the file name */
    const char *note;       /* built-in: why it is (not) a bogon, or NULL */
    uint64_t line;          /* line in the source file, 0 for built-ins */
    uint8_t origin;         /* mrs_bogon_origin */
    bool exception;         /* globally reachable block inside a bogon block: not a bogon */
} mrs_bogon_entry;

typedef struct mrs_bogon_set mrs_bogon_set;

/* Flags for mrs_bogon_set_new. With neither flag the set starts empty (use this to
 * replace the built-ins by a loaded list). */
#define MRS_BOGON_WITH_BUILTIN_V4 0x1u
#define MRS_BOGON_WITH_BUILTIN_V6 0x2u
#define MRS_BOGON_WITH_BUILTIN    (MRS_BOGON_WITH_BUILTIN_V4 | MRS_BOGON_WITH_BUILTIN_V6)

mrs_bogon_set *mrs_bogon_set_new(unsigned flags);
/* The built-ins as they stood at time t (Unix seconds, UTC; 0 = today's registry):
 * blocks made special-purpose after t are left out, for they were routable then
 * (192.88.99.0/24 and 2002::/16, 6to4 relays, until RFC 7526 in May 2015; 3ffe::/16,
 * the 6bone, until June 2006; 100.64.0.0/10 until RFC 6598, April 2012; the
 * documentation blocks of RFC 5737 until 2010). */
mrs_bogon_set *mrs_bogon_set_new_at(unsigned flags, int64_t t);
void mrs_bogon_set_free(mrs_bogon_set *s);

/* Add one entry (name/source are copied; NULL means ""). Returns 0 or -1 (memory,
 * or an invalid prefix). Entry pointers from earlier queries become invalid. */
int mrs_bogon_add(mrs_bogon_set *s, const mrs_prefix *p, const char *name, const char *source, bool exception);

/* Prefix-per-line list (Team Cymru fullbogons): one prefix per line, '#' comments,
 * blank lines ignored; a prefix with host bits set is an error. Returns 0 or -1
 * (cannot open/read, memory). Bad lines: FILE:LINE through d, skipped, counted. */
int mrs_bogon_load_list(mrs_bogon_set *s, const char *path, mrs_diag *d);
int mrs_bogon_load_list_mem(mrs_bogon_set *s, const void *buf, size_t len, const char *name, mrs_diag *d);
/* Spamhaus DROP/EDROP: `prefix ; SBLnnn` lines, ';' comments. */
int mrs_bogon_load_drop(mrs_bogon_set *s, const char *path, mrs_diag *d);
int mrs_bogon_load_drop_mem(mrs_bogon_set *s, const void *buf, size_t len, const char *name, mrs_diag *d);
/* The same from an open reader (e.g. standard input); the caller closes it. */
int mrs_bogon_load_list_reader(mrs_bogon_set *s, struct mrs_reader *r, mrs_diag *d);
int mrs_bogon_load_drop_reader(mrs_bogon_set *s, struct mrs_reader *r, mrs_diag *d);

size_t mrs_bogon_count(const mrs_bogon_set *s);
const mrs_bogon_entry *mrs_bogon_entry_at(const mrs_bogon_set *s, size_t i);

typedef enum mrs_bogon_match {
    MRS_BOGON_NO = 0,
    MRS_BOGON_COVERED,      /* route inside (or equal to) a bogon entry: a bogon route */
    MRS_BOGON_OVERLAPS      /* route covers bogon space without being inside it */
} mrs_bogon_match;

typedef struct mrs_bogon_result {
    mrs_bogon_match match;
    const mrs_bogon_entry *entry;   /* COVERED: the most specific covering bogon entry;
                                       OVERLAPS: the first bogon entry inside the route
                                       (lowest address, then shortest); NO: an exception that carved the
                                       route out, or NULL */
} mrs_bogon_result;

/* Check a route. The result's entry pointer is valid until the set changes. */
mrs_bogon_match mrs_bogon_check_prefix(const mrs_bogon_set *s, const mrs_prefix *route, mrs_bogon_result *r);

/* Route check combined with RIR delegated statistics (db may be NULL). Unallocated
 * space (see delegated.h) makes a route a bogon too. The special-purpose/list check
 * takes precedence: its result is reported when it says COVERED. */
typedef enum mrs_route_bogon_kind {
    MRS_ROUTE_OK = 0,
    MRS_ROUTE_BOGON,                /* inside a bogon entry (bogon.entry says which) */
    MRS_ROUTE_UNALLOCATED,          /* inside unallocated space (deleg says which) */
    MRS_ROUTE_OVERLAPS_BOGON,       /* covers a bogon entry */
    MRS_ROUTE_OVERLAPS_UNALLOCATED  /* covers unallocated space */
} mrs_route_bogon_kind;

typedef struct mrs_route_bogon {
    mrs_route_bogon_kind kind;
    mrs_bogon_result bogon;
    bool deleg_checked;                 /* db was given */
    mrs_deleg_answer deleg;             /* filled when deleg_checked */
} mrs_route_bogon;

mrs_route_bogon_kind mrs_bogon_check_route(const mrs_bogon_set *s, const mrs_deleg_db *db,
                                           const mrs_prefix *route, mrs_route_bogon *out);

/* ---------------------------------------------------------------- AS numbers */

typedef struct mrs_bogon_asn_range {
    uint32_t first, last;
    const char *name;       /* "AS_TRANS", "Private Use", ... */
    const char *source;     /* "RFC 6793", ... */
} mrs_bogon_asn_range;

/* Is asn a bogon? If so and why != NULL, *why is the table entry. */
bool mrs_bogon_asn(uint32_t asn, const mrs_bogon_asn_range **why);
/* The built-in table, sorted and non-overlapping. */
const mrs_bogon_asn_range *mrs_bogon_asn_table(size_t *n);

/* One ASN against the built-in table and, if db is given, RIR delegated stats.
 * Fills *why (table entry or NULL) and, if deleg != NULL and db given, *deleg. */
typedef enum mrs_asn_bogon_kind {
    MRS_ASN_OK = 0,
    MRS_ASN_BOGON,          /* in the built-in table (*why says which range and RFC) */
    MRS_ASN_UNALLOCATED     /* not allocated per the delegated stats (see delegated.h) */
} mrs_asn_bogon_kind;
mrs_asn_bogon_kind mrs_bogon_asn_check(const mrs_deleg_db *db, uint32_t asn, const mrs_bogon_asn_range **why,
                                       mrs_deleg_answer *deleg);

/* Positions (0-based, into path) of bogon ASNs in an AS path. Writes at most max
 * positions into pos; returns the total number of bogon ASNs found (which may be
 * larger than max). If db is given, ASNs that it reports unallocated count too. */
size_t mrs_bogon_path_asns(const uint32_t *path, size_t n, const mrs_deleg_db *db,
                           size_t *pos, size_t max);

#endif
