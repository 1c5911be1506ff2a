/*
 * filter.h — prefix and AS-path filter generation from RPSL (manrs filter), the
 * bgpq4-like generator of MANRS Action 1.
 *
 * Two steps, kept apart so that "a new router format is a new small file":
 *   1. filter_build: IRR objects (AS numbers, as-sets, route-sets, prefixes) ->
 *      one neutral filter_list: either prefix ranges (sorted, exact) or an ASN
 *      list, after the options (-4/-6, -m, -R, -A, private-ASN, bogon and
 *      RPKI drops).
 *   2. a filter_printer per vendor (src/apps/filter/filter_<vendor>.c) turns the list
 *      into configuration text.
 *
 * Range semantics: {prefix, lo, hi} accepts every prefix inside `prefix` whose
 * length is in lo..hi (prefix.len <= lo <= hi <= 32/128), as a Cisco prefix-list
 * line "prefix ge lo le hi". Aggregation (-A) rewrites the list into fewer ranges
 * that accept exactly the same set of (prefix, length) pairs — never more (see
 * filter_compile). Entries accepted entirely by another entry are dropped in
 * every mode (as bgpq4 does).
 */
#ifndef MANRS_FILTER_H
#define MANRS_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/kb/irr.h"
#include "manrs/core/outbuf.h"

typedef enum filter_kind {
    FILTER_PREFIX = 0,     /* prefix-list (default) */
    FILTER_ASPATH_IN,      /* -f ASN: paths received from peer ASN ending in a customer ASN */
    FILTER_ASPATH_OUT,     /* -G ASN: paths sent (ending in a customer ASN, any first hop) */
    FILTER_ASLIST          /* -t: the ASN list itself */
} filter_kind;

typedef struct filter_range {
    mrs_prefix prefix;     /* canonical (host bits clear) */
    uint8_t lo, hi;
} filter_range;

typedef struct filter_list {
    filter_kind kind;
    unsigned afi;          /* MRS_AFI_IPV4 / MRS_AFI_IPV6 (prefix lists) */
    const char *name;      /* -l NAME */
    uint32_t peer_asn;     /* -f / -G */
    filter_range *v;       /* FILTER_PREFIX: sorted by (address, length, lo, hi) */
    size_t n, cap;
    uint32_t *asns;        /* the others: sorted, unique */
    size_t n_asns, cap_asns;
} filter_list;

void filter_list_clear(filter_list *l);

struct mrs_rpki;

typedef struct filter_opts {
    filter_kind kind;
    unsigned afi;                 /* 0 = IPv4 */
    const char *name;             /* NULL = "NN" (bgpq4's default) */
    uint32_t peer_asn;
    unsigned max_len;             /* -m: drop longer prefixes; 0 = no limit */
    unsigned more_specific_to;    /* -R: accept more specifics up to this length; 0 = exact */
    bool aggregate;               /* -A */
    bool allow_private;           /* -p: keep the ASNs filter_asn_private() names, and their routes
                                   * (bgpq4 drops both by default) */
    bool no_bogons;               /* drop bogon prefixes and bogon ASNs */
    unsigned max_depth;           /* -L: set nesting limit; 0 = IRR_DEFAULT_MAX_DEPTH */
    const irr_sel *sel;           /* -S: sources; NULL = all */
    const char *sources_text;     /* for messages: the -S list or NULL */
    const struct mrs_rpki *rpki;  /* --rpki: drop RPKI-invalid (prefix, origin) pairs; NULL = off */
    FILE *warn;                   /* warnings (dropped entries); NULL = silent */
} filter_opts;

typedef struct filter_stats {
    size_t asns;                  /* ASNs after expansion */
    size_t routes;                /* route objects looked at */
    size_t dropped_private;       /* ASNs filter_asn_private() left out (of the AS list, or whose
                                   * routes were left out of the prefix list) */
    size_t dropped_bogon;         /* bogon prefixes / bogon ASNs */
    size_t dropped_rpki;          /* RPKI-invalid routes */
    size_t dropped_long;          /* longer than -m */
    size_t cycles;                /* set reference cycles met (reported by irr) */
} filter_stats;

/* The ASNs bgpq4 1.9 refuses ("Invalid AS number") unless -p, found by
 * experiment: 64496-65551 (documentation RFC 5398, private use RFC 6996,
 * reserved 65535 RFC 7300, documentation 65536-65551 RFC 5398) and
 * 4200000000-4294967295 (private use RFC 6996, reserved RFC 7300). Kept: 0,
 * 23456 (AS_TRANS) and the unallocated 65552-131071 (--no-bogons drops those). */
bool filter_asn_private(uint32_t asn);

/* Build the neutral list for objects (AS numbers "AS64500", as-set / route-set
 * names, prefixes "192.0.2.0/24"). An unknown set is an error: returns -1 and
 * writes "AS-FOO: no such as-set in sources RIPE, RADB" (or "in any loaded
 * source") into err. -1 also on out of memory. */
int filter_build(const irr_db *db, const filter_opts *o, const char *const *objects, size_t n_objects,
                 filter_list *out, filter_stats *st, char *err, size_t errlen);

/* Rewrite the ranges *v[0..*n) (any order, either family) into the sorted form
 * described above: entries accepted by another dropped, runs of lengths of one
 * prefix merged, and with aggregate, sibling ranges merged upwards. *v may be
 * reallocated (*cap is its capacity). Returns 0, or -1 (out of memory; *v
 * unchanged). Exposed for tests. */
int filter_compile(filter_range **v, size_t *n, size_t *cap, bool aggregate);

/* ---- printers ---- */

typedef struct filter_printer {
    const char *name;             /* --format NAME */
    const char *bgpq4_flag;       /* the equivalent bgpq4 flag ("-J"), or NULL */
    const char *summary;
    /* Append the configuration to out. Returns 0, or -1 with a message in err
     * when the format cannot express the list (e.g. -A on Junos prefix-lists). */
    int (*print)(const filter_list *l, bool aggregated, mrs_outbuf *out, char *err, size_t errlen);
} filter_printer;

/* NULL-terminated table of all printers (filter.c). */
const filter_printer *const *filter_printers(void);
const filter_printer *filter_printer_find(const char *name);

/* Shared helpers for printers (filter.c). */
void filter_put_prefix(mrs_outbuf *o, const mrs_prefix *p);       /* "192.0.2.0/24" */
void filter_put_u32(mrs_outbuf *o, uint32_t v);

extern const filter_printer filter_printer_cisco, filter_printer_iosxr, filter_printer_junos,
    filter_printer_eos, filter_printer_bird, filter_printer_openbgpd, filter_printer_frr,
    filter_printer_sros, filter_printer_routeros, filter_printer_json, filter_printer_plain;

#endif
