/*
 * route_validate.h — one route (a prefix and its AS path) against every knowledge
 * base: RPKI origin validation with the VRPs as evidence (RFC 6811 §2), ASPA path
 * verification (draft-ietf-sidrops-aspa-verification), IRR route-origin (route /
 * route6 objects, RFC 2622 §4 / RFC 4012 §3), bogon prefix and ASNs (RFC 6890
 * registries, lists, RIR delegations), valley-freeness on AS relationships (route
 * leaks, RFC 7908). The engine of `manrs validate`, usable by any command or server;
 * printing is output/validate.h's.
 *
 * Assumes: the knowledge bases are built (mrs_kbs_finish) with rpki and bogons
 * present (mrs_kbs_require); any other may be absent (its check then says nothing).
 */
#ifndef MANRS_ANALYSIS_ROUTE_VALIDATE_H
#define MANRS_ANALYSIS_ROUTE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/delegated.h"
#include "manrs/kb/irr.h"
#include "manrs/kb/kbs.h"
#include "manrs/kb/rpki.h"

/* What a route is validated against: the knowledge bases (kb/kbs.h, with the
 * RPKI set and the bogon registries required) and the ASPA direction. */
typedef struct mrs_route_kbs {
    const mrs_kbs *kb;
    mrs_aspa_direction aspa_dir;
} mrs_route_kbs;

/* One route. */
typedef struct mrs_route {
    mrs_prefix prefix;
    uint32_t *path;             /* AS_SEQUENCE members in order; AS_SET members are not kept */
    size_t npath, cappath;
    bool has_as_set;
    bool origin_none;           /* the path ends in an AS_SET (RFC 6811 §2: origin NONE) */
    uint32_t origin;
    bool path_known;            /* the input gave a path: two or more ASes, an AS_SET, or a
                                   bgpdump -m line (whose path may be the origin alone) */
    char *path_text;            /* when path_known: the path as "1299 3333 {64500,64501}" */
    size_t path_text_len, path_text_cap;
} mrs_route;

/* Parse "PREFIX AS..." (AS_PATH order, neighbour first, origin last; ASNs as 64500
 * or AS64500; an AS_SET as {64500,64501}) into r, reusing its path buffer. On error
 * returns false with why. */
bool mrs_route_parse(char *line, mrs_route *r, char *why, size_t whylen);

/* One input line of `manrs validate`: "PREFIX AS..." as above, or a `bgpdump -m` /
 * `manrs dump -m` line, recognised by its '|' separators:
 *   TABLE_DUMP|ts|B|peer_ip|peer_as|PREFIX|AS_PATH|...     (TABLE_DUMP2 too)
 *   BGP4MP|ts|A|peer_ip|peer_as|PREFIX|AS_PATH|...         (BGP4MP_ET, _LOCAL, BGP)
 *   the _AP types (ADD-PATH) with the path identifier between prefix and path.
 * The origin is the last AS of the path (NONE after an AS_SET); an empty path (a
 * route the peer originated itself) has the peer AS as origin and no path members;
 * confederation segments "(..)" "[..]" are left out; a prefix's host bits are
 * cleared (RFC 4271 §4.3: trailing bits are irrelevant). Returns 1 with a route in r, 0 for a line
 * that holds none (W and STATE lines), -1 on error with why. line[0..n) is
 * modified. */
int mrs_route_parse_line(char *line, size_t n, mrs_route *r, char *why, size_t whylen);
void mrs_route_clear(mrs_route *r);

#define MRS_MAX_BOGON_ASNS 16

/* The verdict of every knowledge base for one route. */
typedef struct mrs_route_verdict {
    mrs_rov_result rov;
    bool rov_inconsistent;          /* the ROV index and the trie disagreed (an internal error) */
    bool have_aspa;                 /* paths of two or more ASes */
    mrs_aspa_result aspa;
    irr_origin_result irr;          /* when kbs->irr; evidence owned here */
    mrs_route_bogon bogon;
    size_t n_bogon_asns;            /* total; positions and ASNs of the first MRS_MAX_BOGON_ASNS */
    size_t bogon_asn_pos[MRS_MAX_BOGON_ASNS];
    uint32_t bogon_asns[MRS_MAX_BOGON_ASNS];
    bool have_vf;
    mrs_vf_result vf;
    mrs_deleg_answer origin_deleg;  /* when kbs->deleg and the origin is known */
} mrs_route_verdict;

/* Validate r. Zero v first; free it with mrs_route_verdict_clear. */
void mrs_route_validate(const mrs_route_kbs *k, const mrs_route *r, mrs_route_verdict *v);
void mrs_route_verdict_clear(mrs_route_verdict *v);

const char *mrs_route_bogon_name(mrs_route_bogon_kind k);   /* "ok", "bogon", "unallocated", ... */
const char *mrs_vf_status_name(mrs_vf_status s);            /* "valley-free", "violation", "unknown" */

#endif
