/*
 * sim_internal.h — the simulated world shared by the files in src/sim: networks, links,
 * address space, postures, the Gao–Rexford route computation and the incidents.
 * Not a public interface (see include/manrs/sim/sim.h). One sim_world owns all memory;
 * sim_world_free releases it. Indices (uint32_t) name networks; SIM_NONE is "none".
 */
#ifndef MANRS_SIM_INTERNAL_H
#define MANRS_SIM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/hashset.h"
#include "manrs/core/prefix.h"
#include "manrs/sim/sim.h"

#define SIM_NONE UINT32_MAX
/* A leaker sends the route to every provider (or peer) but the one it came from:
 * far more than any simulated network has. */
#define SIM_MAX_LEAK_SEEDS 2048
#define SIM_MAXLEN 64          /* longest AS path the router keeps (far above any real one) */
#define SIM_COLLECTOR_AS 12654 /* local AS of the collectors in BGP4MP records (RIPE RIS) */
#define SIM_BEACON_AS 12654    /* RIS routing beacons' origin (the same AS as at RIPE) */
/* A research network's routing beacons that no built-in list knows (beacons.txt),
 * in space outside the RIRs' blocks the allocator hands out (sim_world.c rir_v4) */
#define SIM_LAB_BEACON_PREFIX 0xc685ce00u   /* 198.133.206.0/24, then the next /24s */
#define SIM_LAB_BEACONS 3
#define SIM_BLACKHOLE 0xFFFF029Au /* RFC 7999 BLACKHOLE community 65535:666 */

enum sim_kind { K_T1 = 0, K_TRANSIT, K_CONTENT, K_STUB };
enum sim_rir { RIR_ARIN = 0, RIR_RIPE, RIR_APNIC, RIR_LACNIC, RIR_AFRINIC, RIR_N };
/* Route classes as the receiving network sees them (lower is preferred). */
enum sim_cls { C_ORIGIN = 0, C_CUST, C_PEER, C_PROV, C_NONE };
enum sim_class { INC_LEAK = 0, INC_HIJACK_ORIGIN, INC_HIJACK_SUB, INC_HIJACK_PATH, INC_BOGON_PREFIX,
                 INC_BOGON_ASN, INC_RPKI_INVALID };
enum sim_rpki { RPKI_NOTFOUND = 0, RPKI_VALID, RPKI_INVALID };

typedef struct sim_as {
    uint32_t asn;
    uint8_t kind, rir, cc;              /* cc: index into the RIR's country list */
    bool manrs, filters, rov, anti_spoof, contacts, aspa, in_pdb, has_v6;
    bool contact_irr, contact_pdb;      /* where the contacts are (if contacts) */
    bool spoof_tested;                  /* spoofer.csv has a test from it (written by write_spoofer) */
    bool otc;                           /* applies RFC 9234 Only-to-Customer on all its sessions */
    bool aspa_verify;                   /* verifies AS_PATHs with w->aspa (never in simulated worlds) */
    uint8_t autnum;                     /* 0 none, 1 with import/export, 2 without policy */
    uint8_t prepend;                    /* extra copies of its ASN on every path it originates */
    bool routes_radb;                   /* route objects in RADB instead of the RIR database */
    uint32_t pfx_first, pfx_n;          /* announced prefixes: w->pfx[pfx_first ..] */
    uint32_t alloc_first, alloc_n;
    uint32_t roa_first, roa_n;
    uint32_t adj_off;                   /* w->adj: providers, then peers, then customers */
    uint32_t n_prov, n_peer, n_cust;
    uint32_t roa_ok, irr_ok, roa_inv;   /* announced prefixes RPKI-valid / IRR-covered / RPKI-invalid */
    uint32_t name_seed;
    uint32_t n_sib;                     /* siblings (same organisation), after the customers in w->adj */
    uint32_t org;                       /* index of the organisation's first network (itself if none) */
    uint32_t pt_cust;                   /* partial transit: this customer's routes are not sent to
                                           this network's providers (SIM_NONE: none) */
} sim_as;

typedef struct sim_pfx {
    mrs_prefix p;
    uint32_t owner;
    uint8_t roa;                        /* exact ROA for this prefix */
    uint8_t irr;                        /* 0 no route object, 1 same origin, 2 stale (other origin) */
    uint8_t inv;                        /* RPKI-invalid (a ROA misconfiguration of its holder) */
    uint32_t stale_origin;
    uint8_t conf;                       /* a confounder's prefix: no incident or churn touches it */
    uint32_t late;                      /* first announced at this time (0: in the RIB already) */
} sim_pfx;

typedef struct sim_alloc {
    mrs_prefix p;
    uint32_t owner;
    uint32_t date;                      /* YYYYMMDD */
    bool announced;                     /* the aggregate itself is announced */
    bool agg_roa;                       /* one ROA for the block, maxLength 24 / 48 */
} sim_alloc;

typedef struct sim_roa {
    mrs_prefix p;
    uint8_t maxlen;
    uint32_t asn;
} sim_roa;

/* One competing route source for sim_route. */
typedef struct sim_seed {
    uint32_t at, from;                  /* receiving network, sender (SIM_NONE: originated) */
    uint8_t cls, len;                   /* class at the receiver, AS-path length there */
    uint32_t otc;                       /* OTC attribute the sender attaches (0: none) */
} sim_seed;

typedef struct sim_source {
    const sim_seed *seeds;
    unsigned n_seeds;
    const uint32_t *tail;               /* ASNs after the seed network on the path */
    unsigned tail_n;
    bool invalid;                       /* RPKI-invalid: ROV networks drop it */
    bool entitle_all;                   /* legitimate route: customer filters pass it */
    bool bogon_path;                    /* path has a bogon ASN: customer filters drop it */
    const uint8_t *entitled;            /* else: per network, may a customer send it? */
} sim_source;

typedef struct sim_incident {
    uint8_t cls, leak_type;
    uint32_t culprit;                   /* index */
    uint32_t victim;                    /* ASN whose space or route it took, 0 none */
    mrs_prefix prefix;
    uint32_t start, end;
    uint32_t *propagators;              /* ASNs, sorted */
    uint32_t *acc;                      /* ASNs next to the culprit on the collector peers' paths of it
                                           (the observable accomplices), sorted */
    unsigned n_acc;
    bool lapse;                         /* injected because its culprit, a participant, lapsed */
    unsigned n_prop, visible_peers;
    const char *note;
} sim_incident;

typedef struct sim_event {
    uint32_t ts, usec, seq;
    uint16_t peer;
    uint8_t kind;                       /* 0 announce, 1 withdraw, 2 state change */
    uint8_t st_old, st_new;
    mrs_prefix p;
    uint32_t path_off, path_len;        /* into w->evpool */
    uint32_t otc;                       /* OTC attribute of the route (0: none) */
    uint32_t comm;                      /* one RFC 1997 community (0: none) */
} sim_event;

typedef struct sim_failure {
    uint32_t a, b;                      /* provider a, customer b (indices) */
    uint32_t start, end;
    unsigned prefixes;                  /* prefixes whose path changed at some collector peer */
} sim_failure;

/* Confounders (docs/sim.md "Confounders"): legitimate routing that looks like an
 * incident to a naive observer, listed in truth.json, never as an incident. */
enum sim_conf_kind { CF_DEFAULT = 0, CF_SIBLINGS, CF_HYBRID, CF_PARTIAL, CF_ASREL_FLIP, CF_ASREL_MISSING,
                     CF_ANYCAST, CF_PA_SPECIFIC, CF_BLACKHOLE, CF_BEACON, CF_DDOS, CF_LAB_BEACON, CF_KINDS };

typedef struct sim_conf {
    uint8_t kind;
    bool has_prefix;
    mrs_prefix prefix;
    uint32_t ases[4];                   /* ASNs */
    unsigned n_ases;
    uint32_t start, end;                /* 0: standing (the whole window) */
    int8_t rel_real, rel_written;       /* as-rel: -1 p2c (ases[0] provider), 0 p2p, 1 s2s, 9 absent */
    unsigned visible_peers;             /* collector peers that carry it (routes only) */
    const char *why;
} sim_conf;

/* A route a collector peer holds at the window start that is not the baseline of
 * an announced prefix (a default route, anycast, beacons). */
typedef struct sim_xrib {
    mrs_prefix p;
    uint16_t peer;
    uint32_t path_off, path_len;        /* into w->evpool */
    bool in_rib, at_end;                /* held at the window start / at its end (sent after the reset) */
    uint32_t otc;                       /* RFC 9234 OTC attribute (0: none) */
} sim_xrib;

typedef struct sim_world {
    mrs_sim_params par;
    uint64_t rng;
    unsigned n;
    sim_as *as;
    uint32_t *adj;
    size_t n_adj;
    unsigned n_p2c, n_p2p;
    sim_pfx *pfx;
    size_t n_pfx, cap_pfx;
    sim_alloc *alloc;
    size_t n_alloc, cap_alloc;
    sim_roa *roa;
    size_t n_roa, cap_roa;
    mrs_set64 announced;                /* key of every announced prefix */
    uint32_t rir_addr4[RIR_N];          /* bump pointers inside the RIR /8 lists */
    unsigned rir_blk4[RIR_N];
    uint32_t rir_next6[RIR_N];          /* next /32 (bits 12..31 of the address) in the RIR /12 */
    /* routing scratch, n entries each */
    uint8_t *cls, *len, *src, *seeded, *done, *mark;
    uint32_t *nh, *otcv;                /* next hop; OTC value of the selected route (RFC 9234) */
    uint32_t *bk[SIM_MAXLEN];
    size_t bkn[SIM_MAXLEN], bkcap[SIM_MAXLEN];
    /* collector peers */
    unsigned n_peers;
    uint32_t *peer;                     /* network index per collector peer */
    /* baseline paths: per origin network, per variant (0: RPKI valid or not found, 1:
     * RPKI-invalid, dropped by ROV networks), per peer: offset/length into bpool */
    uint32_t *boff, *botc;
    uint8_t *blen;
    uint32_t *bpool;
    size_t n_bpool, cap_bpool;
    /* incidents and update events */
    sim_incident *inc;
    size_t n_inc, cap_inc;
    sim_event *ev;
    size_t n_ev, cap_ev;
    uint32_t *evpool;
    size_t n_evpool, cap_evpool;
    sim_failure *fail;
    size_t n_fail, cap_fail;
    uint32_t cut_a, cut_b;              /* a link that is down for sim_route (SIM_NONE: none) */
    const struct mrs_rpki *aspa;        /* ASPA records verified by aspa_verify networks (NULL: none) */
    /* confounders */
    sim_conf *conf;
    size_t n_conf, cap_conf;
    sim_roa *xroa;                      /* ROAs beyond each holder's own (other origins it authorises) */
    size_t n_xroa, cap_xroa;
    sim_xrib *xrib;
    size_t n_xrib, cap_xrib;
    /* MANRS participants (sim_participants.c) */
    struct sim_part *part;
    size_t n_part;
    uint32_t *lapsed;                   /* networks of participants that lapse this month */
    uint32_t n_lapsed;
    uint32_t forced;                    /* the culprit pick_culprit returns while forcing */
    bool forcing;
    /* the IXP (sim_participants.c): its route server's members and what it accepted */
    uint32_t *ixp_members;              /* network indices, by ASN */
    uint32_t n_ixp_members;
    uint32_t ixp_rs_asn;
    bool ixp_filters;                   /* the route server filters as MANRS IXP Action 1 asks */
    mrs_prefix ixp_bad[2];              /* when it does not: routes it accepted anyway */
    uint32_t ixp_bad_member[2];         /* member index (into ixp_members) announcing each */
    unsigned n_ixp_bad;
    bool oom;
    mrs_sim_summary *sum;
} sim_world;

/* sim_participants.c: the participants registry (participants.yml) and their true
 * conformance (truth.json "participants"), drawn from a generator of their own so
 * that the rest of the world does not change */
int sim_participants_plan(sim_world *w);   /* who joins, commits, lapses this month: before sim_incidents */
bool sim_participants_write(sim_world *w, const char *dir, char *err, size_t errlen);
void sim_participants_truth(sim_world *w, FILE *f);
void sim_participants_free(sim_world *w);
/* The IXP's peering LAN (RFC 5737 TEST-NET-2: the simulated world never announces it). */
#define SIM_IXP_LAN_V4 {198, 51, 100, 0}
#define SIM_IXP_LAN_LEN 24

/* sim_world.c */
uint32_t sim_rand(sim_world *w);
uint32_t sim_below(sim_world *w, uint32_t n);   /* uniform in [0, n) */
double sim_unit(sim_world *w);
void *sim_grow(sim_world *w, void *p, size_t *cap, size_t need, size_t elem);
int sim_world_build(sim_world *w);
void sim_world_free(sim_world *w);
const char *sim_country(const sim_as *a);
const char *sim_rir_name(unsigned rir);
const uint8_t *sim_rir_v4_blocks(unsigned rir, unsigned *n);   /* the RIR's IPv4 /8s */
void sim_as_name(const sim_as *a, char *out, size_t n);      /* "Velora Telecom" */
void sim_as_handle(const sim_as *a, char *out, size_t n);    /* "VELORA-AS" */
void sim_as_domain(const sim_as *a, char *out, size_t n);    /* "velora.net" */
int sim_rpki_state(const sim_world *w, const mrs_prefix *p, uint32_t origin);
int sim_add_xroa(sim_world *w, const mrs_prefix *p, unsigned maxlen, uint32_t asn);
sim_conf *sim_add_conf(sim_world *w, unsigned kind, const char *why);
bool sim_hole_in(sim_world *w, const mrs_prefix *p, mrs_prefix *out);
bool sim_alloc_v4(sim_world *w, unsigned rir, unsigned len, mrs_prefix *out);
int sim_add_pfx(sim_world *w, const mrs_prefix *p, uint32_t owner);
int sim_add_alloc(sim_world *w, const mrs_prefix *p, uint32_t owner, bool announced);
uint32_t sim_alloc_owner(const sim_world *w, const mrs_prefix *p);  /* SIM_NONE if none */
uint64_t sim_prefix_key(const mrs_prefix *p);
double sim_largest_cone(const sim_world *w, uint32_t *top);  /* share of all networks; *top its apex */
static inline size_t sim_bcell(const sim_world *w, uint32_t origin, unsigned variant, unsigned peer)
{
    return ((size_t)origin * 2 + variant) * w->n_peers + peer;
}
static inline const uint32_t *sim_providers(const sim_world *w, uint32_t v) { return w->adj + w->as[v].adj_off; }
static inline const uint32_t *sim_peers(const sim_world *w, uint32_t v)
{
    return w->adj + w->as[v].adj_off + w->as[v].n_prov;
}
static inline const uint32_t *sim_customers(const sim_world *w, uint32_t v)
{
    return w->adj + w->as[v].adj_off + w->as[v].n_prov + w->as[v].n_peer;
}
static inline const uint32_t *sim_siblings(const sim_world *w, uint32_t v)
{
    return w->adj + w->as[v].adj_off + w->as[v].n_prov + w->as[v].n_peer + w->as[v].n_cust;
}

/* sim_confound.c */
const char *sim_conf_kind_name(unsigned kind);
int sim_confound_links(sim_world *w);                  /* hybrid, partial transit, as-rel errors */
int sim_confound_own_space(sim_world *w, uint32_t v);  /* v's provider-assigned more specifics (in v's prefix range) */
int sim_confound_space(sim_world *w, int phase);       /* 0: anycast allocations; 1: ROAs for other origins */
int sim_confound_routes(sim_world *w);                 /* routes and events, after the incidents */
int sim_event_path(sim_world *w, uint32_t ts, unsigned peer, const mrs_prefix *p, const uint32_t *path, unsigned n,
                   uint32_t otc, uint32_t comm);
uint32_t sim_delay(sim_world *w, unsigned hops);

/* sim_route.c */
/* The legitimate route of origin o: seed *sd, prepends in tail[0..3], source *S. */
void sim_legit_source(const sim_world *w, uint32_t o, bool invalid, sim_seed *sd, uint32_t tail[4], sim_source *S);
/* The routing scratch arrays (w->cls .. w->otcv, w->mark); 0 or -1 (memory). */
int sim_scratch(sim_world *w);
void sim_scratch_free(sim_world *w);
int sim_route(sim_world *w, const sim_source *src, unsigned n_src);
/* Mark (w->mark) the networks entitled to send the owner's space as a customer
 * route: the owner and everybody with it in the customer cone. stack: n entries. */
void sim_mark_cone_up(sim_world *w, uint32_t owner, uint32_t *stack);
/* A route leak (RFC 7908 §3) by X of the route it holds after sim_route(base): seeds
 * at X's providers (to_prov) and peers (to_peer) other than the one it learned the
 * route from, at most max; tail gets X's path (X first, *tail_n ASNs; 0 if X has no
 * route). Returns the number of seeds. */
unsigned sim_leak_seeds(sim_world *w, const sim_source *base, uint32_t X, bool to_prov, bool to_peer, sim_seed *seeds,
                        unsigned max, uint32_t *tail, unsigned *tail_n);
/* Path (ASNs) from network v to the source, after sim_route; returns its length or 0. */
unsigned sim_path(const sim_world *w, const sim_source *src, uint32_t v, uint32_t *out, unsigned max);
int sim_baseline(sim_world *w);
int sim_incidents(sim_world *w);
int sim_churn(sim_world *w);
/* The participants that lapse this month (sim_participants_plan) each originate
 * another network's prefix once, after everything else, from a generator of
 * their own: the rest of the world is that of a month nobody lapses. */
int sim_lapses(sim_world *w);

/* sim_write.c */
int sim_write_files(sim_world *w, const char *dir, char *err, size_t errlen);

#endif
