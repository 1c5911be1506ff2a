/*
 * asrel.h — AS relationships (CAIDA as-rel), customer cones and the valley-free
 * test that route-leak detection (RFC 7908) builds on.
 *
 * Input formats (CAIDA "The CAIDA AS Relationships Dataset"):
 *   serial-1: `a|b|-1` (a is a provider of b) and `a|b|0` (a and b are peers);
 *             '#' comments, of which `# input clique: AS AS ...` and
 *             `# IXP ASes: AS AS ...` are parsed and kept.
 *   serial-2: `a|b|rel|source` (same rel codes; the source column, and any
 *             further columns, are ignored).
 *   A rel of 1 (siblings, used by some derived data sets) is accepted as s2s.
 *   Customer cones, CAIDA ppdc-ases: `AS member member ...` per line, '#' comments.
 *
 * Storage: links in an open-addressing hash keyed by the AS pair (O(1) rel(a,b),
 * no per-entry malloc); per-AS neighbour lists in CSR arrays (providers, customers,
 * peers, siblings, each sorted by ASN). Recursive customer cones (the AS itself plus
 * everything reachable down p2c links; p2c cycles in the data are handled: ASes on
 * a cycle share one cone) are computed for all ASes at once on request.
 *
 * Duplicate lines are warnings, conflicting relationships for the same pair errors
 * (the first one is kept), self links and malformed lines errors: `FILE:LINE: what`.
 */
#ifndef MANRS_ASREL_H
#define MANRS_ASREL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"

struct mrs_reader;

typedef enum mrs_rel {
    MRS_REL_NONE = 0,   /* no link in the data */
    MRS_REL_P2C,        /* a is a provider of b */
    MRS_REL_C2P,        /* a is a customer of b */
    MRS_REL_P2P,        /* peers */
    MRS_REL_S2S         /* siblings */
} mrs_rel;

const char *mrs_rel_name(mrs_rel r);   /* "none", "p2c", "c2p", "p2p", "s2s" */

typedef struct mrs_asrel mrs_asrel;

mrs_asrel *mrs_asrel_new(void);
void mrs_asrel_free(mrs_asrel *r);

/* Load a serial-1 or serial-2 file (any compression mrs_reader handles) / a memory
 * buffer. Several loads accumulate. Returns 0, or -1 (cannot open, damaged
 * compressed stream — the lines before the damage are kept —, memory). */
int mrs_asrel_load(mrs_asrel *r, const char *path, mrs_diag *d);
int mrs_asrel_load_mem(mrs_asrel *r, const void *buf, size_t len, const char *name, mrs_diag *d);
/* The same from an open reader (e.g. standard input); the caller closes it. */
int mrs_asrel_load_reader(mrs_asrel *rel, struct mrs_reader *r, mrs_diag *d);

/* Add one link by hand (tests, synthetic topologies): rel as seen from a
 * (MRS_REL_P2C: a provides transit to b). Returns 0, 1 if the link was already there
 * with the same relationship, -1 on conflict, self link or memory. After adding,
 * call mrs_asrel_finish before neighbour, cone or valley-free queries (loads finish
 * by themselves). */
int mrs_asrel_add(mrs_asrel *r, uint32_t a, uint32_t b, mrs_rel rel);
int mrs_asrel_finish(mrs_asrel *r);

/* Counts: links by kind and ASes. */
size_t mrs_asrel_link_count(const mrs_asrel *r);
/* Link lines read by the loaders, duplicates and conflicts included (a file that
 * repeats another still has records). */
uint64_t mrs_asrel_record_count(const mrs_asrel *r);
size_t mrs_asrel_p2c_count(const mrs_asrel *r);
size_t mrs_asrel_p2p_count(const mrs_asrel *r);
size_t mrs_asrel_s2s_count(const mrs_asrel *r);
size_t mrs_asrel_as_count(const mrs_asrel *r);
/* Every AS in the data, sorted; valid until the next load/finish. Returns the count. */
size_t mrs_asrel_ases(const mrs_asrel *r, const uint32_t **out);
/* The ASes of the "# input clique:" and "# IXP ASes:" header lines, as written. */
const uint32_t *mrs_asrel_clique(const mrs_asrel *r, size_t *n);
/* The period the relationships were inferred from: the dates of CAIDA's
 * "# source:topology|BGP|YYYYMMDD|..." header lines (earliest, latest), or the
 * file name's leading YYYYMMDD (CAIDA's naming) when there are none; Unix times.
 * False when neither is known. */
bool mrs_asrel_period(const mrs_asrel *r, int64_t *first, int64_t *last);
const uint32_t *mrs_asrel_ixps(const mrs_asrel *r, size_t *n);

/* Relationship of a to b in O(1). */
mrs_rel mrs_asrel_rel(const mrs_asrel *r, uint32_t a, uint32_t b);

/* Neighbour lists of asn, sorted by ASN; the pointer stays valid until the next
 * load/finish. Return the count (0 for an unknown AS). */
size_t mrs_asrel_providers(const mrs_asrel *r, uint32_t asn, const uint32_t **out);
size_t mrs_asrel_customers(const mrs_asrel *r, uint32_t asn, const uint32_t **out);
size_t mrs_asrel_peers(const mrs_asrel *r, uint32_t asn, const uint32_t **out);
size_t mrs_asrel_siblings(const mrs_asrel *r, uint32_t asn, const uint32_t **out);

/* Compute the recursive customer cones of all ASes (about O(sum of cone sizes));
 * call it once after loading, before the cone queries (which return 0 / false
 * until then, and again after a later add or load). Returns 0 or -1 (memory). */
int mrs_asrel_cones_compute(mrs_asrel *r);
/* Cone of asn: sorted ASNs including asn itself. Returns the size; 0 if asn is not
 * in the data or cones were not computed. */
size_t mrs_asrel_cone(const mrs_asrel *r, uint32_t asn, const uint32_t **members);
bool mrs_asrel_in_cone(const mrs_asrel *r, uint32_t asn, uint32_t member);

/* ---------------------------------------------------------------- valley-free */

typedef enum mrs_vf_status {
    MRS_VF_VALLEY_FREE = 0, /* every link known and the path is up* flat? down* */
    MRS_VF_VIOLATION,       /* a definite valley (a route leak candidate) */
    MRS_VF_UNKNOWN          /* no definite violation, but some links are not in the data */
} mrs_vf_status;

/* RFC 7908 §3 route-leak types that a relationship valley can indicate; types 5
 * (re-origination) and 6 (internal more-specifics) need other evidence. */
typedef enum mrs_leak_type {
    MRS_LEAK_UNDETERMINED = 0,
    MRS_LEAK_HAIRPIN = 1,           /* Type 1: from a provider, to a provider */
    MRS_LEAK_LATERAL = 2,           /* Type 2: from a peer, to a peer */
    MRS_LEAK_PROVIDER_TO_PEER = 3,  /* Type 3: from a provider, to a peer */
    MRS_LEAK_PEER_TO_PROVIDER = 4   /* Type 4: from a peer, to a provider */
} mrs_leak_type;

typedef struct mrs_vf_result {
    mrs_vf_status status;
    /* VIOLATION: the first violating link in propagation order (from the origin):
     * path[sender] exported the route to path[receiver] (receiver < sender; prepends
     * are skipped, so sender is the first position of the next distinct AS). */
    size_t receiver, sender;
    uint32_t leaker;                /* path[sender]: the AS that leaked */
    mrs_leak_type leak_type;
    size_t unknown_links;           /* links not in the data */
    size_t first_unknown;           /* position (receiver side) of the first unknown link,
                                       in propagation order; valid if unknown_links > 0 */
    /* mrs_asrel_valley_free_ctx only (0 otherwise): */
    uint32_t leak_from;             /* VIOLATION: the AS the leaker received the route from */
    bool after_unknown;             /* VIOLATION: an unknown link lies between the last
                                       certain descent and the leak, so the AS that sent
                                       over it may be the leaker instead */
    size_t standing_skipped;        /* valleys the caller called standing, walked past */
    uint32_t standing_leaker, standing_from;    /* the first of them; 0 if none */
    mrs_leak_type standing_type;
    size_t decided_links;           /* links the caller's link() decided (e.g. by ASPA) */
    size_t clique_links;            /* unknown links next to the clique, taken as c2p/p2c */
    uint32_t maybe_leaker, maybe_from;  /* no VIOLATION: the first AS that, after a descent,
                                       sent the route over an unknown link (a leak if that
                                       link is up or flat); 0 if none */
} mrs_vf_result;

/* path[0] is the neighbour (the AS next to the observer), path[n-1] the origin, as
 * in an AS_PATH. Consecutive repeats (prepending) are one hop. Sibling links are
 * transparent. */
mrs_vf_status mrs_asrel_valley_free(const mrs_asrel *r, const uint32_t *path, size_t n, mrs_vf_result *res);
/* The same with a second notion of siblings: links between two ASes for which
 * same_org(ctx, a, b) is true (one organisation, e.g. from CAIDA as2org) are
 * transparent too, whatever as-rel says about them. same_org NULL = as above. */
typedef bool (*mrs_same_org_fn)(const void *ctx, uint32_t a, uint32_t b);
mrs_vf_status mrs_asrel_valley_free_org(const mrs_asrel *r, const uint32_t *path, size_t n, mrs_same_org_fn same_org,
                                        const void *ctx, mrs_vf_result *res);

/* What a caller knows beyond as-rel, consulted as the walk goes (every member
 * optional; zeroed = mrs_asrel_valley_free). */
typedef struct mrs_vf_ctx {
    mrs_same_org_fn same_org;       /* links within one organisation are transparent */
    const void *org_ctx;
    /* The relationship of sender to receiver (MRS_REL_C2P: the receiver is the
     * sender's provider) when the caller knows it better than as-rel, which says
     * asrel; MRS_REL_NONE keeps as-rel's. E.g. ASPA records (an AS's own word on
     * its providers). */
    mrs_rel (*link)(const void *ctx, uint32_t sender, uint32_t receiver, mrs_rel asrel);
    const void *link_ctx;
    /* A valley (from -> leaker -> up or sideways) the caller knows as standing
     * practice (seen before the window): not reported; the walk goes on from the
     * leaker as if it originated the route, so that a leak further on is found. It
     * may record what it is asked (e.g. to collect every valley of a path). */
    bool (*standing)(void *ctx, uint32_t from, uint32_t leaker);
    void *standing_ctx;
    /* A link missing from as-rel next to a member of the "# input clique" (which has
     * no provider by CAIDA's definition of the clique) is customer-to-provider into
     * the clique and provider-to-customer out of it. */
    bool clique_top;
} mrs_vf_ctx;
mrs_vf_status mrs_asrel_valley_free_ctx(const mrs_asrel *r, const uint32_t *path, size_t n, const mrs_vf_ctx *c,
                                        mrs_vf_result *res);

/* ---------------------------------------------------------------- CAIDA ppdc-ases */

typedef struct mrs_cone_set mrs_cone_set;
mrs_cone_set *mrs_cone_set_new(void);
void mrs_cone_set_free(mrs_cone_set *c);
int mrs_cone_load(mrs_cone_set *c, const char *path, mrs_diag *d);
int mrs_cone_load_mem(mrs_cone_set *c, const void *buf, size_t len, const char *name, mrs_diag *d);
int mrs_cone_load_reader(mrs_cone_set *c, struct mrs_reader *r, mrs_diag *d);
size_t mrs_cone_set_count(const mrs_cone_set *c);
/* Members as listed plus the AS itself, sorted, duplicates removed. 0 if absent. */
size_t mrs_cone_get(const mrs_cone_set *c, uint32_t asn, const uint32_t **members);
bool mrs_cone_contains(const mrs_cone_set *c, uint32_t asn, uint32_t member);

#endif
