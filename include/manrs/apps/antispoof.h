/*
 * antispoof.h — source-address validation for one interface (MANRS Action 2:
 * BCP 38 / RFC 2827 ingress filtering, BCP 84 / RFC 3704 and RFC 8704 uRPF).
 *
 * One neutral result, printed by one small file per router dialect (acl_*.c):
 *   - the allowed source prefixes: the prefixes of every AS of the customer cone
 *     (CAIDA as-rel, or an as-set expansion) taken from IRR route/route6 objects,
 *     RPKI VRPs and, when MRT data is given, routes seen with that origin — RFC 8704
 *     §3.5: the RPF list is augmented with ROAs and IRR objects of the cone;
 *   - each of them with its provenance (which cone member, how it is in the cone,
 *     which IRR object / ROA / RIB entries);
 *   - their exact CIDR aggregate (mrs_cidr_aggregate: the aggregate covers exactly
 *     the union of the inputs, never one address more);
 *   - the bogon sources denied first (the built-in IANA special-purpose list minus
 *     IPv6 link-local, which neighbour discovery needs and routers never forward,
 *     RFC 4291 §2.5.6, minus the permitted prefixes that lie in the registry's
 *     globally reachable exceptions; see build_denies in antispoof.c);
 *   - the uRPF mode for the interface and why (mrs_urpf_decision), deduced from
 *     the as-rel data: strict for a single-homed cone (RFC 3704 §2.2, RFC 8704 §3.7),
 *     enhanced feasible-path (EFP-uRPF, RFC 8704 §3.3 algorithm A / §3.4 algorithm B)
 *     for a multihomed one, loose (RFC 3704 §2.4) only where directionality cannot
 *     be used at all: the neighbour is a lateral peer or a provider, or it is
 *     transit-free.
 * Edge mode (egress filter for an edge network's own space, RFC 2827 §3) uses the
 * same machinery with the AS's own cone and no uRPF mode.
 *
 * Assumptions: the knowledge bases are loaded and finalized by the caller and not
 * changed while the result lives (provenance strings point into them). Input
 * prefixes that lie inside bogon space, that cover bogon space, or that are shorter
 * than the minimum lengths (an IRR object for 0.0.0.0/0 must not open the filter)
 * are dropped and listed with the reason.
 */
#ifndef MANRS_ANTISPOOF_H
#define MANRS_ANTISPOOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manrs/kb/asrel.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/irr.h"
#include "manrs/core/prefix.h"
#include "manrs/kb/rpki.h"
#include "manrs/routes/seen.h"

/* ---------------------------------------------------------------- CIDR sets */

/* Exact aggregation: sort, drop prefixes covered by others, merge sibling pairs
 * into their parent until nothing merges. The result (in place, sorted by family
 * and address, pairwise disjoint) is the unique minimal list of CIDR blocks whose
 * union is exactly the union of the inputs. Host bits of the inputs must be clear.
 * Returns the new count. */
size_t mrs_cidr_aggregate(mrs_prefix *v, size_t n);

/* a minus b, both aggregated (output of mrs_cidr_aggregate): the minimal CIDR
 * list of the addresses in a and not in b, appended to *out (realloc'ed; *n_out,
 * *cap_out updated). Returns 0 or -1 (memory). */
int mrs_cidr_subtract(const mrs_prefix *a, size_t na, const mrs_prefix *b, size_t nb, mrs_prefix **out,
                      size_t *n_out, size_t *cap_out);

/* ---------------------------------------------------------------- the result */

typedef enum mrs_as_mode {
    MRS_AS_CUSTOMER_INGRESS = 0,    /* --customer: ingress filter on a customer interface */
    MRS_AS_EDGE_EGRESS              /* --edge: egress filter, own space only */
} mrs_as_mode;

typedef enum mrs_urpf_mode {
    MRS_URPF_NONE = 0,      /* edge egress: uRPF does not apply to the filter */
    MRS_URPF_STRICT,        /* RFC 3704 §2.2 */
    MRS_URPF_EFP_A,         /* RFC 8704 §3.3 */
    MRS_URPF_EFP_B,         /* RFC 8704 §3.4 */
    MRS_URPF_LOOSE          /* RFC 3704 §2.4 */
} mrs_urpf_mode;

const char *mrs_urpf_mode_name(mrs_urpf_mode m);   /* "none", "strict", "efp-a", "efp-b", "loose" */

/* Why that mode; the printers turn it into comment lines (mrs_antispoof_explain). */
typedef enum mrs_urpf_reason {
    MRS_URPF_R_EDGE = 0,            /* egress filter of an edge network */
    MRS_URPF_R_SINGLE_HOMED_STUB,   /* one provider, no customers */
    MRS_URPF_R_SINGLE_HOMED_CONE,   /* one provider, no cone member has a provider outside the cone */
    MRS_URPF_R_MULTIHOMED,          /* multihomed, cone disjoint from our other customers: A */
    MRS_URPF_R_MULTIHOMED_OVERLAP,  /* multihomed and a cone member reaches us another way: B */
    MRS_URPF_R_MULTIHOMED_UNKNOWN,  /* multihomed, our own AS not given: B (RFC 8704 §3.7) */
    MRS_URPF_R_NOT_IN_ASREL,        /* no as-rel data for the customer: B */
    MRS_URPF_R_PEER,                /* the neighbour is a lateral peer: loose */
    MRS_URPF_R_PROVIDER,            /* the neighbour is our provider: loose */
    MRS_URPF_R_TRANSIT_FREE         /* the neighbour has no provider at all: loose */
} mrs_urpf_reason;

typedef struct mrs_urpf_decision {
    mrs_urpf_mode mode;
    mrs_urpf_reason reason;
    uint32_t customer_providers;    /* providers of the customer AS (0 for an as-set) */
    uint32_t n_external;            /* distinct providers of cone members outside the cone and our AS */
    uint32_t example_member;        /* a multihomed cone member (or the overlap member), 0 if none */
    uint32_t example_provider;      /* its provider outside the cone (or the other customer of ours) */
    uint32_t assumed_local;         /* our AS as given, or the single external provider assumed to be us; 0 */
    bool local_given;
    bool local_not_provider;        /* --local-as given, but it is not a provider of the customer in the data */
} mrs_urpf_decision;

/* How an AS is in the cone. */
typedef struct mrs_as_member {
    uint32_t asn;
    uint32_t via;                   /* provider through which it is in the cone; 0 = the root / a set member */
    uint32_t depth;                 /* p2c hops below the root */
    uint32_t n_providers;           /* all providers in the as-rel data */
    uint32_t n_outside;             /* providers outside the cone, not our AS */
    uint32_t first_outside;         /* the lowest of those, 0 if none */
} mrs_as_member;

typedef enum mrs_as_src_kind {
    MRS_AS_SRC_IRR = 1,             /* route / route6 object */
    MRS_AS_SRC_ROA,                 /* RPKI VRP */
    MRS_AS_SRC_RIB,                 /* seen in MRT data with this origin */
    MRS_AS_SRC_EXTRA                /* given by the operator (link subnets, ...) */
} mrs_as_src_kind;

const char *mrs_as_src_kind_name(mrs_as_src_kind k);   /* "irr", "roa", "rib", "extra" */

/* One input prefix and where it came from. */
typedef struct mrs_as_source {
    mrs_prefix prefix;
    uint8_t kind;                   /* mrs_as_src_kind */
    uint8_t maxlen;                 /* ROA: maxLength */
    uint32_t origin;                /* cone member (0 for EXTRA) */
    const char *irr_source;         /* IRR: "RIPE"; ROA: trust anchor or ""; RIB: first file */
    const char *file;               /* IRR: dump file; RIB: the first MRT file it was seen in */
    uint64_t line;                  /* IRR: line of the object */
    uint64_t count;                 /* RIB: entries/announcements seen */
} mrs_as_source;

typedef enum mrs_as_drop_reason {
    MRS_AS_DROP_BOGON = 1,          /* inside bogon space */
    MRS_AS_DROP_COVERS_BOGON,       /* covers bogon space: nobody can hold it */
    MRS_AS_DROP_TOO_SHORT           /* shorter than the minimum length of its family */
} mrs_as_drop_reason;

typedef struct mrs_as_dropped {
    mrs_as_source src;
    uint8_t reason;                 /* mrs_as_drop_reason */
    const char *bogon_name, *bogon_rfc;   /* BOGON / COVERS_BOGON: the entry */
    mrs_prefix bogon;
} mrs_as_dropped;

/* One permit entry of the filter: an aggregate and its contributing sources,
 * src[first .. first+n-1] (sources are sorted by prefix, so the sources inside an
 * aggregate are contiguous). */
typedef struct mrs_as_permit {
    mrs_prefix prefix;
    size_t first, n;
} mrs_as_permit;

/* One bogon deny entry (after carve-outs, aggregated); name/rfc of the bogon
 * entry that covers it. */
typedef struct mrs_as_deny {
    mrs_prefix prefix;
    const char *name, *rfc;
} mrs_as_deny;

typedef struct mrs_antispoof {
    mrs_as_mode mode;
    char subject[128];              /* "AS64500" or the as-set name as given */
    uint32_t asn;                   /* the customer / edge AS; 0 for an as-set */
    bool is_set;
    const char *set_sources;        /* as-set: the IRR sources searched, for messages */
    mrs_urpf_decision urpf;

    mrs_as_member *members;         /* sorted by ASN */
    size_t n_members;

    mrs_as_source *src;             /* kept inputs, sorted by prefix then kind, origin */
    size_t n_src;
    mrs_as_dropped *dropped;
    size_t n_dropped;

    mrs_as_permit *permit;          /* IPv4 first, then IPv6, by address */
    size_t n_permit, n_permit4;
    mrs_as_deny *deny;              /* bogon denies, IPv4 first */
    size_t n_deny, n_deny4;
    mrs_prefix link_local6;         /* fe80::/10, permitted after the bogon denies */
    mrs_prefix *pre_permit;         /* loose only: globally reachable exceptions inside bogon
                                       blocks (Teredo, AS112, ...), permitted before the denies */
    size_t n_pre_permit, n_pre_permit4;
    bool permit_any;                /* loose mode: no source list, only the bogon denies */
    bool in_asrel;                  /* the customer / edge AS is in the as-rel data */

    uint64_t n_irr, n_roa, n_rib, n_extra;   /* inputs per kind (before dropping) */
    /* What the data may be missing, per family ([0] IPv4, [1] IPv6); said by
     * mrs_antispoof_warnings. */
    bool irr_given;
    uint64_t irr_family_objects[2]; /* route / route6 objects in the IRR data given (all sources) */
    uint32_t unregistered[2];       /* cone ASes with prefixes of the family from VRPs or MRT routes
                                       and no IRR object of it (counted only when the IRR data has some) */
    uint32_t unregistered_asn[2];   /* the lowest of them, and one of its prefixes */
    mrs_prefix unregistered_prefix[2];
    uint64_t rib_entries_seen;      /* RIB/announce events with a cone origin */
    char **owned;                   /* strings owned by the result */
    size_t n_owned;
} mrs_antispoof;

/* What to build from. Everything optional except the subject; NULL = not given. */
typedef struct mrs_antispoof_input {
    mrs_as_mode mode;
    const char *subject;            /* "AS64500", "64500" or an as-set name */
    uint32_t local_as;              /* our own AS (the provider), 0 = not given */
    const mrs_asrel *asrel;
    const irr_db *irr;
    const irr_sel *irr_sel;         /* NULL = all sources */
    const mrs_rpki *rpki;           /* must be built */
    const mrs_bogon_set *bogons;    /* NULL = the built-in list */
    /* RIB: (prefix, origin) pairs seen in routing data (routes/seen.h; sorted on
     * first read, hence not const). */
    mrs_seen *rib;
    const mrs_prefix *extra;        /* operator-given prefixes (link subnets) */
    size_t n_extra;
    unsigned min_len4, min_len6;    /* 0 = defaults 8 and 16 */
} mrs_antispoof_input;

/* The cone that input would use (members sorted by ASN), without building the
 * rest: lets the CLI restrict the MRT scan to the cone. Returns 0, or -1 with a
 * message in err (unknown AS / as-set, memory). *members is malloc'ed. */
int mrs_antispoof_cone(const mrs_antispoof_input *in, uint32_t **members, size_t *n, char *err, size_t errlen);

/* Build. Returns 0, or -1 with a one-line message in err: unknown customer AS or
 * as-set (naming the data searched), no source prefix at all, memory. */
int mrs_antispoof_build(const mrs_antispoof_input *in, mrs_antispoof *out, char *err, size_t errlen);
void mrs_antispoof_clear(mrs_antispoof *a);

/* ---------------------------------------------------------------- printing */

/* Comment text shared by every printer: lines without a comment marker, each
 * ending in '\n', written through fn. */
typedef void (*mrs_as_line_fn)(void *ctx, const char *line);
/* The header: what, for whom, the uRPF mode and why, the data used. */
void mrs_antispoof_explain(const mrs_antispoof *a, mrs_as_line_fn fn, void *ctx);
/* The gaps in the data that cost the customer traffic, per family: no source
 * prefix of a family at all (the filter drops every packet of it), IRR data
 * without route6 (or route) objects (a dump not given), cone ASes whose prefixes
 * of a family come from VRPs or MRT routes only. One line each, without a prefix;
 * nothing in loose mode (no source list). The explanation repeats them as
 * "warning: ..." lines, the CLI on stderr, the JSON printer as "warnings".
 * Returns the number of lines. */
size_t mrs_antispoof_warnings(const mrs_antispoof *a, mrs_as_line_fn fn, void *ctx);
/* Provenance of one permit entry: up to max lines (0 = all), then "... and N more". */
void mrs_antispoof_provenance(const mrs_antispoof *a, size_t permit, size_t max, mrs_as_line_fn fn, void *ctx);
/* One line describing a source and its cone member, e.g.
 * "192.0.2.0/24: route object, origin AS64501 (customer of AS64500), RIPE ripe.db.route:12".
 * File names are shown without their directory. */
int mrs_as_source_format(const mrs_antispoof *a, const mrs_as_source *s, char *buf, size_t len);

typedef enum mrs_acl_format {
    MRS_ACL_IOS = 0,
    MRS_ACL_JUNOS,
    MRS_ACL_EOS,
    MRS_ACL_NFT,
    MRS_ACL_JSON
} mrs_acl_format;

typedef struct mrs_acl_opts {
    const char *name;               /* filter name; NULL = MANRS-ANTISPOOF-<subject>-IN/OUT. Written
                                       unquoted: the caller checks it (the CLI allows [A-Za-z0-9_-]) */
    const char *interface;          /* NULL = no interface stanza; also unquoted, caller-checked */
    size_t max_provenance;          /* per permit entry; 0 = all */
} mrs_acl_opts;

/* The registered printers (acl_formats.c). Parse "ios", "junos", "eos"/"arista",
 * "nftables"/"nft", "json". */
bool mrs_acl_format_parse(const char *s, mrs_acl_format *f);
const char *mrs_acl_format_name(mrs_acl_format f);
/* Print in that format. Returns 0, or -1 on a write error (or an unknown format). */
int mrs_acl_print(const mrs_antispoof *a, mrs_acl_format f, const mrs_acl_opts *o, FILE *out);
/* The entries of the table, one file each (acl_<dialect>.c). */
int mrs_acl_print_ios(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out);
int mrs_acl_print_junos(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out);
int mrs_acl_print_eos(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out);
int mrs_acl_print_nft(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out);
int mrs_acl_print_json(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out);

/* Make a comment text safe in every dialect, in place: bytes outside printable
 * ASCII become '?', and a "*" followed by "/" (which would end a Junos comment early and
 * let hostile IRR data inject configuration) loses its "/" (replaced by '?').
 * Applied to every line the explanation functions give. */
void mrs_acl_sanitize_comment(char *s);

/* The uRPF lines of Cisco-style interface configuration (IOS and EOS share the
 * syntax; only the indentation differs). */
void mrs_acl_print_cisco_urpf(FILE *out, mrs_urpf_mode mode, const char *indent);

/* The default filter name with the given suffix ("-IN"), characters other than
 * [A-Za-z0-9_-] replaced by '_' (as-set names contain ':'). */
void mrs_acl_default_name(const mrs_antispoof *a, char *buf, size_t len);

#endif
