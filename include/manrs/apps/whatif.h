/*
 * whatif.h — `manrs whatif`: who must act to stop an incident. Policy routing over
 * a real AS graph (sim/policy.h: the simulator's engine) for one hijack or route
 * leak, with nobody acting and with an adoption set of ROV, customer filtering
 * (MANRS Action 1) or ASPA; the greedy sequence of the k ASes whose adoption cuts
 * the culprit's capture most; and the agreement of the model with what collector
 * peers really chose in MRT data (MOAS prefixes, or a given incident).
 */
#ifndef MANRS_APPS_WHATIF_H
#define MANRS_APPS_WHATIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"
#include "manrs/sim/policy.h"

struct mrs_asrel;
struct mrs_rpki;

/* ------------------------------------------------------------ routes seen */

/* What MRT data says, for whatif: the origins of every prefix (to find who
 * announces the incident's prefix, and each AS's address space), and each
 * collector peer's last route per prefix (for the agreement check). */
typedef struct wi_rib wi_rib;

wi_rib *wi_rib_new(void);
void wi_rib_free(wi_rib *r);
/* Read one MRT file (RIB dump or updates; any compression). keep_peers: keep each
 * peer's last route per prefix (validation). Returns records read, -1 if the file
 * cannot be opened or memory ran out. Damage goes to d. */
int64_t wi_rib_load(wi_rib *r, const char *path, bool keep_peers, mrs_diag *d);
/* Origins announcing exactly p (sorted, distinct); the count. */
size_t wi_rib_origins(const wi_rib *r, const mrs_prefix *p, uint32_t *out, size_t max);
/* The longest announced prefix strictly covering p and its origins (no default
 * route, nothing shorter than /8 or /16); false if none. */
bool wi_rib_cover(const wi_rib *r, const mrs_prefix *p, mrs_prefix *cover, uint32_t *out, size_t max, size_t *n);
/* Address space each AS of g originates in family afi (IPv4: addresses; IPv6:
 * /64s; prefixes shorter than /8 or /16 left out), counted once per AS; w[i] for index i of g. Returns the total. */
double wi_rib_weights(const wi_rib *r, const mrs_pnet *g, unsigned afi, double *w);
size_t wi_rib_prefix_count(const wi_rib *r);

/* ------------------------------------------------------------ one incident */

typedef struct mrs_whatif_opts {
    mrs_pinc_kind kind;
    mrs_prefix prefix;          /* the incident's prefix */
    bool have_prefix;
    mrs_prefix cover;           /* sub-prefix hijack: the victim's announced prefix */
    uint32_t culprit_asn, origin_asn;
    unsigned leak_to;           /* MRS_LEAK_TO_* (0: both) */
    unsigned action;            /* MRS_POL_* the adopters take up */
    const uint32_t *adopt;      /* adoption set (ASNs), may be empty */
    size_t n_adopt;
    bool have_adopt;
    unsigned greedy;            /* k greedy steps (0: none) */
    unsigned threads;           /* for the greedy search (0: one per CPU, at most 8) */
    const struct mrs_rpki *vrps;/* NULL: the victim is assumed to hold a ROA for its prefix */
    const double *weights;      /* address space per AS index (NULL: none) */
    double weight_total;
    bool progress;              /* greedy progress on stderr (a TTY) */
    bool members;               /* list the captured ASes and the propagators (without adoption) */
} mrs_whatif_opts;

typedef struct mrs_whatif_step {
    uint32_t asn;
    size_t captured;
    double capture, space;      /* after adopting it (space: NAN without weights) */
} mrs_whatif_step;

typedef struct mrs_whatif_result {
    mrs_poutcome without, with;
    double capture_without, capture_with;   /* share of ASes (culprit excluded) */
    double space_without, space_with;       /* share of address space (NAN: no weights) */
    size_t n_ases;
    const char *culprit_rpki, *legit_rpki;  /* "invalid", "valid", "not-found" */
    bool rpki_assumed;
    size_t adopt_used;                      /* adopters found in the graph */
    uint32_t *adopt_unknown;                /* adopters not in the graph */
    size_t n_adopt_unknown;
    mrs_whatif_step *greedy;
    size_t n_greedy;
    size_t greedy_runs;                     /* routing runs the greedy search took */
    size_t cycle_ases;                      /* ASes on provider-graph (p2c) cycles */
    uint32_t cycle_example;
    uint32_t *captured_asns;                /* members: sorted, the culprit left out */
    size_t n_captured_asns;
    uint32_t *propagators;                  /* members: ASes others took the culprit's route from */
    size_t n_propagators;
    double seconds;
} mrs_whatif_result;

/* Route the incident without and with the adoption set, then the greedy steps.
 * Returns 0, or -1 with err set (unknown AS, not a leak, memory). The policies of g
 * are left as they were given (the caller's deployment). */
int mrs_whatif_run(mrs_pnet *g, const mrs_whatif_opts *o, mrs_whatif_result *r, char *err, size_t errlen);
void mrs_whatif_result_clear(mrs_whatif_result *r);

const char *mrs_whatif_kind_name(mrs_pinc_kind k);     /* "origin-hijack", "subprefix-hijack", ... */
const char *mrs_whatif_action_name(unsigned action);   /* "rov", "filter", "aspa", "rov+filter", ... */
/* Parse "rov", "filter", "aspa" or a comma list into MRS_POL_* bits; false if unknown. */
bool mrs_whatif_action_parse(const char *s, unsigned *action);

/* The n ASes with the largest customer cones (ties: lower ASN), into out; the count. */
size_t mrs_whatif_top_cone(struct mrs_asrel *rel, size_t n, uint32_t *out);
/* An adoption set named on the command line: top-N, participants:FILE,
 * ready1:DB, ready4:DB, or a file of ASNs. 0 (*out malloc'd, may be empty), or -1
 * with err set (and FILE:LINE on d). */
int mrs_whatif_adopt_spec(const char *spec, struct mrs_asrel *rel, uint32_t **out, size_t *n, mrs_diag *d,
                          char *err, size_t errlen);
/* The incident's kind and legitimate origin from the MRT data: type "origin",
 * "sub", "forged" or NULL (sub when only a covering prefix is announced, else
 * origin); the origin (unless have_origin) is the prefix's (or the covering
 * prefix's) origin other than the culprit. 0, or -1 with err set. */
int mrs_whatif_resolve(mrs_whatif_opts *o, const wi_rib *rib, const char *type, bool have_origin, char *err,
                       size_t errlen);
/* An adoption set from the observatory: every network the latest complete run in
 * the store db rates "ready" for the Action (1..4). 0, or -1 with err set. */
int mrs_whatif_adopt_ready(const char *db, unsigned action, uint32_t **out, size_t *n, char *err, size_t errlen);
/* An adoption set from a file: ASNs ("AS" optional), one or more per line, '#'
 * comments. Returns the count (may be 0), -1 on an unreadable file or a damaged line
 * (FILE:LINE on d; the rest is read). *out is malloc'd. */
ssize_t mrs_whatif_adopt_file(const char *path, uint32_t **out, mrs_diag *d);
ssize_t mrs_whatif_adopt_mem(const char *buf, size_t len, const char *name, uint32_t **out, mrs_diag *d);

/* The deployment before any adoption: lines "ASN [rov] [filter] [aspa] [otc]
 * [prepend=N] [partial-transit=CUSTOMER]", '#' comments. ASes the graph does not
 * hold are counted in *unknown. Returns 0, or -1 (unreadable, damaged line:
 * FILE:LINE on d; the rest is applied). */
int mrs_whatif_policy_file(const char *path, mrs_pnet *g, size_t *unknown, mrs_diag *d);
int mrs_whatif_policy_mem(const char *buf, size_t len, const char *name, mrs_pnet *g, size_t *unknown, mrs_diag *d);

void mrs_whatif_print_table(FILE *f, const mrs_whatif_opts *o, const mrs_whatif_result *r, const char *graph);
void mrs_whatif_print_json(FILE *f, const mrs_whatif_opts *o, const mrs_whatif_result *r, const char *graph);
/* Capture versus k (the greedy steps) as an SVG line plot. */
void mrs_whatif_print_svg(FILE *f, const mrs_whatif_opts *o, const mrs_whatif_result *r);

/* ------------------------------------------------------------ agreement */

typedef struct mrs_whatif_agreement {
    size_t events;              /* MOAS prefixes (or the incident) with a prediction */
    size_t skipped_unknown;     /* events whose origins are not in the graph */
    size_t predictions;         /* (event, collector peer) pairs predicted */
    size_t agree;               /* the model chose the origin the peer chose */
    size_t majority_agree;      /* the trivial baseline: every peer takes the most common origin */
    size_t peer_unknown;        /* peers whose AS is not in the graph */
    size_t peer_is_origin;      /* left out: the peer is one of the origins */
    size_t no_route;            /* the model gave the peer no route */
    size_t two_events, two_predictions, two_agree, two_majority; /* the same for prefixes with
                                                                     exactly two origins (hijack-like) */
} mrs_whatif_agreement;

/* For every prefix with two or more origins among the collector peers' routes
 * (MOAS), route both origins (the more common one as the legitimate route) and
 * compare each peer's predicted origin with its real one; with o->have_prefix, only
 * the incident (its exact prefix, or for a sub-prefix hijack which peers carried
 * the more specific). max_events bounds the work (0: all). */
/* The agreement as text (with the baseline and what was left out) or one JSON object. */
void mrs_whatif_print_agreement(FILE *f, const mrs_whatif_agreement *a, bool json, bool incident);

int mrs_whatif_agreement_run(mrs_pnet *g, const wi_rib *rib, const mrs_whatif_opts *o, size_t max_events,
                             mrs_whatif_agreement *a, FILE *detail, char *err, size_t errlen);

#endif
