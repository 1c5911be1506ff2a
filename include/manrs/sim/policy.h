/*
 * policy.h — policy routing over a real AS graph: the simulator's Gao–Rexford
 * engine (src/sim/sim_route.c, the one implementation) run on CAIDA AS
 * relationships instead of a simulated world, for `manrs whatif`.
 *
 * A mrs_pnet holds the graph (providers, peers, customers and siblings of every
 * AS, by dense index) and each AS's routing policy: ROV (RFC 6811 §5: RPKI-invalid
 * routes dropped), customer filtering (MANRS Action 1: a customer's route is taken
 * only for space in the customer's cone), ASPA (the AS publishes its provider set
 * and verifies AS_PATHs, draft-ietf-sidrops-aspa-verification), RFC 9234 OTC.
 * mrs_pnet_run routes one incident — a hijack (the same prefix, a more specific
 * one, or a forged origin) or a route leak — against the legitimate route and
 * tells, for every AS, whom it routes to. A clone shares the graph and has its own
 * policies and scratch, so several threads can route at once.
 */
#ifndef MANRS_SIM_POLICY_H
#define MANRS_SIM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mrs_asrel;
struct mrs_as2org;
struct mrs_rpki;

#define MRS_PNET_NONE UINT32_MAX

typedef struct mrs_pnet mrs_pnet;

/* The graph of every AS in rel (siblings: s2s links, and with orgs also ASes of one
 * organisation that share a link). NULL with err set on memory or an empty graph. */
mrs_pnet *mrs_pnet_from_asrel(const struct mrs_asrel *rel, const struct mrs_as2org *orgs, char *err, size_t errlen);
/* Same graph and policies, own scratch (NULL: memory). Free clones before the original. */
mrs_pnet *mrs_pnet_clone(const mrs_pnet *g);
void mrs_pnet_free(mrs_pnet *g);

size_t mrs_pnet_count(const mrs_pnet *g);
uint32_t mrs_pnet_asn(const mrs_pnet *g, uint32_t i);
uint32_t mrs_pnet_index(const mrs_pnet *g, uint32_t asn);   /* MRS_PNET_NONE if absent */
void mrs_pnet_degree(const mrs_pnet *g, uint32_t i, unsigned *prov, unsigned *peer, unsigned *cust);

enum {
    MRS_POL_ROV = 1,        /* drops RPKI-invalid routes */
    MRS_POL_FILTER = 2,     /* filters its customers' announcements (MANRS Action 1) */
    MRS_POL_ASPA = 4,       /* publishes ASPA (its providers) and verifies AS_PATHs */
    MRS_POL_OTC = 8         /* RFC 9234 Only-to-Customer on all sessions */
};
void mrs_pnet_set_policy(mrs_pnet *g, uint32_t i, unsigned pol);
unsigned mrs_pnet_policy(const mrs_pnet *g, uint32_t i);
/* ASPA records published whatever the adoption (e.g. the ASPAs in real VRP data):
 * AS paths are verified against these and the adopters' own. Copied. 0 or -1. */
int mrs_pnet_set_published_aspa(mrs_pnet *g, const struct mrs_rpki *published);
/* Partial transit: provider p sends customer c's routes to its customers and
 * peers, not to its own providers (one such customer per provider). */
void mrs_pnet_set_partial_transit(mrs_pnet *g, uint32_t p, uint32_t c);
/* Extra copies of its ASN the AS puts on the paths it originates (0..3). */
void mrs_pnet_set_prepend(mrs_pnet *g, uint32_t i, unsigned n);

typedef enum mrs_pinc_kind {
    MRS_PINC_ORIGIN = 0,    /* the culprit originates the victim's prefix (Type-0 hijack) */
    MRS_PINC_SUBPREFIX,     /* the culprit originates a more specific: no competing route */
    MRS_PINC_FORGED,        /* the culprit announces "culprit origin" (Type-1, forged link) */
    MRS_PINC_LEAK           /* the culprit re-announces its route against policy (RFC 7908) */
} mrs_pinc_kind;

enum { MRS_LEAK_TO_PROVIDERS = 1, MRS_LEAK_TO_PEERS = 2 };

typedef struct mrs_pincident {
    mrs_pinc_kind kind;
    uint32_t culprit;           /* index */
    uint32_t origin;            /* index of the legitimate origin (the victim) */
    bool culprit_invalid;       /* the culprit's route is RPKI-invalid (ROV drops it) */
    bool legit_invalid;         /* the legitimate route is RPKI-invalid itself */
    unsigned leak_to;           /* MRS_LEAK_TO_*: where a leak goes (default both) */
} mrs_pincident;

typedef enum mrs_prun_status {
    MRS_PRUN_OK = 0,
    MRS_PRUN_MEMORY,
    MRS_PRUN_SAME_AS,           /* culprit == origin */
    MRS_PRUN_NO_ROUTE,          /* leak: the leaker has no route to the prefix */
    MRS_PRUN_NOT_A_LEAK,        /* leak: the leaker learns the route from a customer (or originates it) */
    MRS_PRUN_NOWHERE            /* leak: the leaker has no provider or peer to leak to */
} mrs_prun_status;
const char *mrs_prun_status_text(mrs_prun_status s);

typedef struct mrs_poutcome {
    size_t routed;              /* ASes with a route */
    size_t captured;            /* ASes routing to the culprit, the culprit excluded */
    size_t legit;               /* ASes routing to the legitimate origin */
} mrs_poutcome;

mrs_prun_status mrs_pnet_run(mrs_pnet *g, const mrs_pincident *inc, mrs_poutcome *out);

/* Several origins announce one prefix at once (MOAS, anycast), each with its
 * own legitimate route, nobody's invalid: after the run mrs_pnet_source tells
 * whose route every AS takes. n <= MRS_PNET_MAX_ORIGINS. */
#define MRS_PNET_MAX_ORIGINS 64
mrs_prun_status mrs_pnet_run_origins(mrs_pnet *g, const uint32_t *origins, unsigned n);
/* After mrs_pnet_run_origins: the index (into origins) of the route i takes; -1 none. */
int mrs_pnet_source(const mrs_pnet *g, uint32_t i);

/* After a run: 0 no route, 1 the legitimate route, 2 the culprit's. */
int mrs_pnet_choice(const mrs_pnet *g, uint32_t i);
/* After a run: the class of i's route: 0 originated, 1 from a customer (or a
 * sibling's own), 2 from a peer, 3 from a provider, 4 none. */
unsigned mrs_pnet_route_class(const mrs_pnet *g, uint32_t i);
/* After a run: the neighbour i took its route from (MRS_PNET_NONE: originated or none). */
uint32_t mrs_pnet_next_hop(const mrs_pnet *g, uint32_t i);
/* After a run: the ASNs the incident's route carries after the culprit's seed (a
 * leak: the leaker's own path, leaker first; a forged origin: the victim). */
unsigned mrs_pnet_incident_tail(const mrs_pnet *g, const uint32_t **asns);
/* After a run: i's AS path (i first), ASNs; its length, 0 if none or longer than max. */
unsigned mrs_pnet_path(const mrs_pnet *g, uint32_t i, uint32_t *out, unsigned max);

/* Provider-graph cycles (an AS that is, through p2c links, its own provider): the
 * number of ASes on such cycles; *example one of them. Routing terminates anyway
 * (paths never repeat an AS); whatif reports them. */
size_t mrs_pnet_p2c_cycles(const mrs_pnet *g, uint32_t *example);

#endif
