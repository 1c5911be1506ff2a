/*
 * lg.h — the looking glass over the routes seen (`manrs lg`, docs/lg.md): which
 * route each collector peer held for a prefix, an address, an origin, a transit AS
 * or an AS-path pattern, at a moment and over a window, each route with its RPKI
 * ROV, ASPA, IRR and bogon verdicts and the MRT file and byte offset that announced
 * it.
 *
 * Built once over a loaded routing view (routes/view.h) and the knowledge bases
 * (kb/kbs.h): mrs_lg_new indexes the view's routes by prefix (one sorted array of
 * route numbers and a prefix trie). After that the index is read-only: any number
 * of queries, from any number of threads, each filling its own result (a server
 * answers a request with mrs_lg_run and mrs_lg_json). The view and the knowledge
 * bases must outlive the index.
 *
 * A query selects routes (view intervals: one peer, one prefix, one path from
 * start to end):
 *   - by prefix: exactly it (MRS_LG_EXACT), it and everything under it
 *     (MRS_LG_MORE_SPECIFICS), or, per peer, the most specific route covering it
 *     that the peer held at `at` (MRS_LG_LONGEST, an address or a prefix);
 *   - by origin AS, by transit AS (in the path, not the origin), by a POSIX
 *     extended regular expression over the AS path written "A B C" (neighbour
 *     first; AS_SETs as {a,b});
 * every criterion given must hold (at least one is needed). Of the routes
 * selected, those held at `at` or overlapping the window [from, to] are kept,
 * grouped per (prefix, peer): the route held at `at`, and the history (every
 * interval in the window, in time order).
 */
#ifndef MANRS_APPS_LG_H
#define MANRS_APPS_LG_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manrs/analysis/route_validate.h"
#include "manrs/kb/kbs.h"
#include "manrs/routes/view.h"

typedef struct mrs_lg mrs_lg;

/* Index v for queries; kb (RPKI, ASPA, IRR, bogons, delegated: whatever is loaded;
 * bogons required) judges the routes. data_end is the end of the data (the moment
 * routes still held were closed at; 0: the view's last time). NULL when out of
 * memory. */
mrs_lg *mrs_lg_new(const mrs_view *v, const mrs_kbs *kb, uint32_t data_end);
void mrs_lg_free(mrs_lg *lg);
uint32_t mrs_lg_data_start(const mrs_lg *lg);
uint32_t mrs_lg_data_end(const mrs_lg *lg);

typedef enum mrs_lg_match {
    MRS_LG_EXACT = 0,
    MRS_LG_LONGEST,
    MRS_LG_MORE_SPECIFICS
} mrs_lg_match;

#define MRS_LG_LIMIT_DEFAULT 1000

typedef struct mrs_lg_query {
    bool has_prefix;
    mrs_prefix prefix;          /* host bits are ignored except for MRS_LG_LONGEST's address */
    mrs_lg_match match;
    bool has_origin, has_transit;
    uint32_t origin, transit;
    const regex_t *path_re;     /* mrs_lg_path_compile; NULL: any path */
    uint32_t at;                /* 0: the end of the data */
    uint32_t from, to;          /* the history window; 0: the data's start / end */
    size_t limit;               /* routes in the answer at most; 0: MRS_LG_LIMIT_DEFAULT */
} mrs_lg_query;

/* Compile an AS-path pattern (POSIX ERE, no sub-matches), refused before regcomp
 * when too costly to compile (core/regex_guard.h). Returns true; false with why. */
bool mrs_lg_path_compile(regex_t *re, const char *pattern, char *why, size_t whylen);

/* The verdicts of one route (analysis/route_validate.h, as `manrs validate` gives
 * them); a check whose knowledge is absent says so (the *_checked flags). */
typedef struct mrs_lg_verdict {
    bool rov_checked;           /* VRPs were given */
    mrs_rov_state rov;
    mrs_rov_reason rov_reason;
    uint32_t rov_matching, rov_covering;        /* VRPs matching / covering the route */
    bool aspa_checked;          /* ASPA objects were given and the path has two or more ASes */
    mrs_aspa_state aspa;
    bool irr_checked;           /* route objects were given */
    irr_origin_state irr;
    mrs_route_bogon_kind bogon;     /* the prefix */
    size_t n_bogon_asns;            /* bogon ASNs in the path (the first is bogon_asn) */
    uint32_t bogon_asn;
} mrs_lg_verdict;

typedef struct mrs_lg_route {
    const mrs_view_route *r;    /* peer, prefix, path, start, end, file, offset, origin (the view's) */
    bool held;                  /* not withdrawn: still held at the end of the data */
    bool in_window;             /* overlaps the window (else it is only the route held at `at`) */
    mrs_lg_verdict v;
} mrs_lg_route;

/* One collector peer's routes for one prefix. */
typedef struct mrs_lg_entry {
    uint32_t prefix, peer;      /* view ids */
    size_t first, n;            /* its routes: routes[first .. first + n), in time order */
    long at;                    /* the one held at the query's moment (index into routes), -1: none */
} mrs_lg_entry;

typedef struct mrs_lg_result {
    uint32_t at, from, to;      /* the moment and the window, resolved */
    mrs_lg_entry *entries;      /* by prefix (address order, shorter first), then peer (ASN, address) */
    size_t nentries, centries;
    mrs_lg_route *routes;
    size_t nroutes, croutes;
    size_t matched;             /* routes selected, also those beyond the limit */
    size_t prefixes, peers;     /* distinct prefixes and peers among the entries */
    bool truncated;             /* matched > limit: the rest were left out */
} mrs_lg_result;

/* Answer q into res (zeroed first, or reused after mrs_lg_result_clear). Returns
 * 0 (res->nroutes == 0: nothing matched), -1 when out of memory. */
int mrs_lg_run(const mrs_lg *lg, const mrs_lg_query *q, mrs_lg_result *res);
void mrs_lg_result_clear(mrs_lg_result *res);

/* The answer as one JSON document (docs/lg.md), as a string to free(); query_text
 * (what was asked, for the reader) may be NULL. NULL when out of memory. */
char *mrs_lg_json(const mrs_lg *lg, const mrs_lg_result *res, const char *query_text);
/* The answer as a table. Returns 0, -1 on a write error. */
int mrs_lg_print_table(const mrs_lg *lg, const mrs_lg_result *res, FILE *f);

/* The view behind the index, for printers. */
const mrs_view *mrs_lg_view(const mrs_lg *lg);

#endif
