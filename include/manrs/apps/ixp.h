/*
 * ixp.h — `manrs ixp`: the MANRS IXP programme's Action 1 ("prevent propagation of
 * incorrect routing information": the route server filters) measured on what a
 * route server actually accepted, i.e. its RIB dumps (MRT TABLE_DUMP or
 * TABLE_DUMP_V2). Every route is checked; each finding names the member (the RS
 * peer: peer ASN and address), the prefix, origin, AS path, and the MRT file and
 * byte offset of the record, so that anyone can re-check it (bgpdump -m).
 *
 * Classes (docs/ixp.md gives the reasoning and the RFCs):
 *   rpki-invalid             RFC 6811 ROV with the VRPs given (covering VRPs kept)
 *   bogon-prefix             inside (or covering) IANA special-purpose space (kb/bogon.h)
 *   bogon-asn                a bogon ASN anywhere in the path (RFC 7607, 6793, 5398, 6996, 7300)
 *   irr-no-route-object      no route/route6 object for (prefix, origin) or a covering prefix
 *   irr-origin-not-in-as-set the origin is not in the member's expanded as-set (members file)
 *   too-specific             longer than /24 (IPv4) or /48 (IPv6), unless tagged BLACKHOLE
 *                            (RFC 7999: the RS blackholing service takes host routes)
 *   first-as-not-peer        the first AS of the path is not the member's (RS peers are
 *                            transparent, the RS never prepends: RFC 7947 §2.2.2)
 *   transit-free-in-path     a transit-free ("Tier-1") ASN behind the member (a leak)
 *   as-set-in-path           an AS_SET segment (RFC 9774 deprecates them)
 * The first five are the classes MANRS IXP Action 1 requires the RS to filter
 * (RPKI and IRR, and bogons: incorrect by definition); the others are the
 * recommended route-server filters (BCP 194, NLNOG BGP filter guide) and do not
 * change the verdict.
 *
 * Members: a peer of the RIB (address + ASN). A peer whose ASN is the RS's own
 * (--rs-asn: the dump was taken over a session with the RS, which shows every
 * member's routes as its own) and a peer shown as AS_TRANS (23456: a TABLE_DUMP v1
 * peer field cannot hold a 4-byte ASN) stand for several members: their routes go to
 * the member named by each path's first AS, and the first-AS check does not apply.
 *
 * Assumes: the knowledge bases are finished (mrs_kbs_finish) with the bogon set
 * present; rpki and irr may be absent (their classes are then "not measured").
 */
#ifndef MANRS_APPS_IXP_H
#define MANRS_APPS_IXP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manrs/core/diag.h"
#include "manrs/core/map64.h"
#include "manrs/feeds/route_event.h"
#include "manrs/kb/kbs.h"

typedef enum ixp_class {
    IXP_RPKI_INVALID = 0,
    IXP_BOGON_PREFIX,
    IXP_BOGON_ASN,
    IXP_IRR_NO_ROUTE,
    IXP_IRR_NOT_IN_SET,
    IXP_TOO_SPECIFIC,
    IXP_FIRST_AS,
    IXP_TRANSIT_FREE,
    IXP_AS_SET,
    IXP_NCLASS
} ixp_class;

const char *ixp_class_name(ixp_class c);            /* "rpki-invalid", ... */
bool ixp_class_required(ixp_class c);               /* counts against the Action 1 verdict */
bool ixp_class_parse(const char *s, ixp_class *c);

/* ------------------------------------------------------------- members file */

/* One line "ASN [AS-SET] [NAME...]" of a members file. */
typedef struct ixp_member_info {
    uint32_t asn;
    char *as_set;               /* NULL: none given */
    char *name;                 /* NULL: none given */
    uint64_t line;
} ixp_member_info;

typedef struct ixp_members {
    ixp_member_info *v;         /* sorted by ASN after loading */
    size_t n, cap;
    uint64_t bad;               /* malformed lines skipped */
} ixp_members;

/* Parse a members file (any compression; '-' = stdin): '#' comments and blank lines
 * ignored; ASN as 64500 or AS64500; AS-SET an RPSL as-set name (AS-FOO,
 * AS64500:AS-FOO) or '-' for none; NAME the rest of the line. A malformed line
 * (bad ASN, ASN listed twice, a control byte) is reported `FILE:LINE: what`
 * through d, skipped and counted in m->bad. Returns 0, or -1 when the file cannot
 * be read or memory runs out. */
int ixp_members_load(ixp_members *m, const char *path, mrs_diag *d);
int ixp_members_load_mem(ixp_members *m, const void *buf, size_t len, const char *name, mrs_diag *d);
const ixp_member_info *ixp_members_find(const ixp_members *m, uint32_t asn);
void ixp_members_clear(ixp_members *m);

/* ------------------------------------------------------------- the check */

/* The built-in transit-free ASNs (sorted). */
const uint32_t *ixp_transit_free_builtin(size_t *n);

typedef struct ixp_opts {
    const mrs_kbs *kb;          /* bogons required; rpki/irr optional */
    const ixp_members *members; /* NULL: none */
    uint32_t rs_asn;            /* 0: not given */
    const uint32_t *transit;    /* sorted transit-free ASNs (NULL: the built-in list) */
    size_t n_transit;
} ixp_opts;

#define IXP_VRPS_MAX 8

typedef struct ixp_finding {
    ixp_class cls;
    uint32_t member;            /* index into ixp_result.members */
    mrs_prefix prefix;
    uint32_t origin;
    bool origin_none;           /* the path ends in an AS_SET (or is empty) */
    char *path;                 /* "9009 136258", bgpdump style */
    uint32_t file;              /* index into ixp_result.files */
    uint64_t offset;            /* byte offset of the MRT record */
    char *detail;               /* what exactly, one line */
    /* rpki-invalid: the covering VRPs (the first IXP_VRPS_MAX of n_vrps) */
    uint32_t n_vrps;
    mrs_vrp vrps[IXP_VRPS_MAX];
} ixp_finding;

typedef struct ixp_member {
    mrs_route_peer peer;        /* the RS peer the routes came from */
    uint32_t asn;               /* the member's ASN (peer ASN, or first AS via an RS/AS_TRANS peer) */
    bool via_rs;                /* peer is the RS's own session (--rs-asn) or AS_TRANS */
    const ixp_member_info *info;/* from the members file, or NULL */
    uint64_t routes;
    uint64_t found[IXP_NCLASS]; /* findings by class */
    uint64_t routes_flagged;    /* routes with at least one finding */
    /* hint: the peer's ASN never began a path, with several first ASes */
    uint64_t first_is_peer;
    uint32_t some_first;
    bool varied_first;
} ixp_member;

typedef struct ixp_irr_cache {  /* expanded as-sets, by member ASN */
    uint32_t asn;
    bool found;
    uint32_t *asns;
    size_t n;
} ixp_irr_cache;

typedef struct ixp_result {
    ixp_opts o;
    char **files;
    uint64_t *file_routes;
    size_t n_files;
    ixp_member *members;
    size_t n_members, cap_members;
    mrs_map64 member_map;       /* key: hash of (peer, member ASN) -> index */
    ixp_finding *f;
    size_t n_f, cap_f;
    uint64_t routes, routes_flagged, v4, v6;
    uint64_t found[IXP_NCLASS];
    uint64_t ignored;           /* events that are not RIB entries (updates, state) */
    uint64_t blackhole;         /* routes with the BLACKHOLE community (RFC 7999): no length check */
    /* Action 2 indicators */
    uint64_t rov_valid, rov_invalid, rov_notfound;
    uint64_t irr_ok, irr_missing;
    ixp_irr_cache *sets;
    size_t n_sets, cap_sets;
    bool oom;
} ixp_result;

/* Start a run (o is copied; what it points to must outlive r). 0 or -1 (memory). */
int ixp_init(ixp_result *r, const ixp_opts *o);
/* Check one route event (RIB entries; others are counted in ignored). Out of
 * memory is sticky in r->oom. */
void ixp_add(ixp_result *r, const mrs_route_event *ev);
/* Read one MRT file (any compression) through the feed and check every route.
 * Returns the number of MRT records framed (0: "no records"), or -1 when the file
 * could not be opened (or memory ran out); damage goes to d. */
int64_t ixp_scan_file(ixp_result *r, const char *path, mrs_diag *d);
void ixp_clear(ixp_result *r);

/* The Action 1 verdict: no finding of a required class. */
bool ixp_conformant(const ixp_result *r);
/* Is the class measured in this run (rpki needs VRPs, irr an IRR dump, the as-set
 * check a members file too)? */
bool ixp_class_measured(const ixp_result *r, ixp_class c);

/* One finding as one line of text, as the table prints it (malloc'd, NULL: memory). */
char *ixp_finding_text(const ixp_result *r, const ixp_finding *f);

/* ixp_print.c */
int ixp_print_table(const ixp_result *r, FILE *out);
int ixp_print_json(const ixp_result *r, FILE *out);

#endif
