/*
 * spooftest.h — a real source-address-validation test (MANRS Action 2) of the
 * anti-spoofing filter `manrs antispoof --format nftables` generates, in a lab
 * of Linux network namespaces (docs/spooftest.md):
 *
 *     host --- ce --- pe --- col
 *                     |
 *                     +-- (stub link to another customer)
 *
 * The probe host sends UDP probes to the collector with its own source and with
 * forged ones (another customer's prefix, the neighbouring /24 or /48, RFC 1918
 * / RFC 4193, unallocated and bogon space), IPv4 and IPv6, once per run: no
 * filter; the generated ACL on pe's customer-facing interface; strict and loose
 * uRPF (RFC 3704) as nftables fib rules there. The collector records what
 * arrived; the verdict says whether the generated ACL blocks every forged class
 * and passes every legitimate one (both prefixes of the multihomed customer,
 * one of which pe routes back through another interface: the case strict uRPF
 * gets wrong, RFC 8704 §2).
 *
 * Pure logic (address plan, packets, tags, results, verdict, report) is kept
 * apart from the lab (namespaces, nft, sockets) so it can be unit-tested.
 */
#ifndef MANRS_SPOOFTEST_H
#define MANRS_SPOOFTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---------------------------------------------------------------- the plan */

typedef enum mrs_st_run_kind {
    MRS_ST_RUN_NONE = 0,    /* no filter: every probe must arrive */
    MRS_ST_RUN_ACL,         /* the generated nftables ruleset on pe's customer interface */
    MRS_ST_RUN_STRICT,      /* fib saddr . iif oif missing drop (RFC 3704 §2.2) */
    MRS_ST_RUN_LOOSE,       /* fib saddr oif missing drop (RFC 3704 §2.4) */
    MRS_ST_NRUNS
} mrs_st_run_kind;

const char *mrs_st_run_name(mrs_st_run_kind k);   /* "none", "manrs-acl", "urpf-strict", "urpf-loose" */
bool mrs_st_run_parse(const char *s, mrs_st_run_kind *k);

typedef enum mrs_st_class {
    MRS_ST_OWN = 0,         /* the host's own address (customer prefix 1): legitimate */
    MRS_ST_MULTIHOMED,      /* the customer's second prefix, routed back another way: legitimate */
    MRS_ST_OTHER_CUSTOMER,  /* another customer of the provider: forged, routed */
    MRS_ST_ADJACENT,        /* the /24 (/48) next to the customer's block (Spoofer's adjacency test) */
    MRS_ST_PRIVATE,         /* RFC 1918 / RFC 4193 */
    MRS_ST_UNALLOCATED,     /* lab space nobody holds: no route anywhere */
    MRS_ST_BOGON,           /* IANA special-purpose space the kernel still forwards */
    MRS_ST_NCLASSES
} mrs_st_class;

const char *mrs_st_class_name(mrs_st_class c);   /* "own", "multihomed", "other-customer", ... */
bool mrs_st_class_spoofed(mrs_st_class c);
/* Spoofer's two outcomes: a forged class counts as "routed" (another network's
 * routed address: other-customer, adjacent) or "private" (private, unallocated,
 * bogon: addresses nobody may route). */
bool mrs_st_class_routed(mrs_st_class c);

typedef struct mrs_st_probe_def {
    mrs_st_class cls;
    uint8_t afi;                /* MRS_AFI_IPV4 / MRS_AFI_IPV6 */
    const char *source;         /* the source address, text */
    const char *space;          /* what it is, for the docs and --json */
} mrs_st_probe_def;

#define MRS_ST_NPROBES (2 * MRS_ST_NCLASSES)

/* The probes, IPv4 first, each family in class order. */
const mrs_st_probe_def *mrs_st_probes(size_t *n);

/* The lab's address plan (docs/spooftest.md). */
typedef struct mrs_st_addrs {
    const char *collector4, *collector6;            /* the probes' destination */
    const char *cust_p1_4, *cust_p2_4;              /* the customer's two prefixes */
    const char *cust_p1_6, *cust_p2_6;
    const char *other_cust4, *other_cust6;          /* another customer of pe */
    const char *adjacent4, *adjacent6;              /* routed by pe towards col */
    const char *link4, *link6;                      /* ce--pe interconnect (permitted as --extra) */
    uint32_t provider_as, customer_as, second_provider_as, other_customer_as, adjacent_as;
    uint16_t port;                                  /* collector UDP port */
} mrs_st_addrs;

const mrs_st_addrs *mrs_st_lab_addrs(void);

/* ---------------------------------------------------------------- packets */

/* The Internet checksum (RFC 1071) of len bytes, folded with sum (the pseudo
 * header's partial sum, or 0), in network byte order as it goes on the wire. */
uint16_t mrs_st_checksum(const void *data, size_t len, uint32_t sum);

/* An IPv4 (with header, for IP_HDRINCL) or IPv6 (with header, for IPPROTO_RAW)
 * UDP datagram from src to dst. Returns its length, or 0 if cap is too small or
 * the payload too long. src/dst: 4 or 16 bytes. */
size_t mrs_st_udp4(uint8_t *buf, size_t cap, const uint8_t src[4], const uint8_t dst[4], uint16_t sport,
                   uint16_t dport, uint16_t ip_id, const void *payload, size_t plen);
size_t mrs_st_udp6(uint8_t *buf, size_t cap, const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
                   uint16_t dport, const void *payload, size_t plen);

/* The payload of a probe: "MRST", the invocation's nonce, the run, the probe, the
 * copy. The collector matches arrivals exactly on it (and on the source). */
#define MRS_ST_TAG_LEN 16
typedef struct mrs_st_tag {
    uint32_t nonce;
    uint8_t run;                /* mrs_st_run_kind; 0xff = warm-up */
    uint8_t copy;
    uint16_t probe;
} mrs_st_tag;

void mrs_st_tag_encode(const mrs_st_tag *t, uint8_t out[MRS_ST_TAG_LEN]);
bool mrs_st_tag_decode(const void *buf, size_t len, mrs_st_tag *t);

/* ---------------------------------------------------------------- results */

typedef struct mrs_st_probe_result {
    unsigned sent;              /* copies sent */
    unsigned received;          /* copies that arrived with the probe's source */
    unsigned rewritten;         /* copies that arrived with another source (NAT) */
} mrs_st_probe_result;

typedef struct mrs_st_run_result {
    bool attempted;
    bool done;                  /* set up and measured */
    char error[256];            /* why it could not be set up */
    mrs_st_probe_result probe[MRS_ST_NPROBES];
} mrs_st_run_result;

typedef struct mrs_st_result {
    mrs_st_run_result run[MRS_ST_NRUNS];
    uint32_t nonce;
    unsigned copies;
    uint64_t packets_sent;      /* probes and warm-up */
    uint64_t packets_received;
    uint64_t stray;             /* datagrams that were not ours or not this run's */
    double seconds;             /* lab up to lab down */
    char lab[16];               /* the lab's name prefix, "mrs<pid>" */
    char acl_urpf[16];          /* the uRPF mode the generator chose ("efp-a", ...) */
    size_t acl_permits, acl_denies;
    char *acl_text;             /* the ruleset loaded in the manrs-acl run (malloc'ed) */
} mrs_st_result;

void mrs_st_result_init(mrs_st_result *r, uint32_t nonce, unsigned copies);
void mrs_st_result_clear(mrs_st_result *r);

/* One datagram at the collector: payload and source (afi, 4 or 16 bytes). Counts
 * it for its probe when the tag carries the result's nonce and the run being
 * measured; returns true when it did. */
bool mrs_st_record(mrs_st_result *r, mrs_st_run_kind run, const void *payload, size_t len, unsigned afi,
                   const uint8_t *src);

/* A probe arrived in a run: at least one copy with its own source. */
bool mrs_st_arrived(const mrs_st_result *r, mrs_st_run_kind run, size_t probe);

typedef struct mrs_st_verdict {
    bool none_ok;               /* the none run ran and every probe arrived (the lab forwards) */
    bool acl_ran;
    unsigned acl_spoofed_blocked, acl_spoofed;   /* forged probes blocked / forged probes */
    unsigned acl_legit_passed, acl_legit;        /* legitimate probes passed / legitimate */
    bool acl_ok;                /* every forged blocked, every legitimate passed */
    bool strict_ran, strict_drops_multihomed;    /* both families' multihomed probes dropped */
    bool loose_ran, loose_passes_other;          /* both families' other-customer probes passed */
    bool any_failed;            /* a run attempted and not set up */
    bool ok;                    /* exit 0: none_ok && acl_ok && !any_failed */
} mrs_st_verdict;

void mrs_st_judge(const mrs_st_result *r, mrs_st_verdict *v);

/* ---------------------------------------------------------------- output */

/* The table (class x run) and the verdict lines. */
int mrs_st_print_table(const mrs_st_result *r, FILE *out);
/* {"lab": ..., "runs": [{"name", "done", "error", "probes": [{"family", "class",
 * "source", "spoofed", "arrived", "sent", "received"}]}], "verdict": {...}} */
int mrs_st_print_json(const mrs_st_result *r, FILE *out);
/* Spoofer CSV (session,timestamp,asn,client_prefix,country,nat,spoof_private,
 * spoof_routed; the columns kb/spoofer.c reads): the header and one row per
 * family for the given run, as network asn at time t. -1 if the run was not
 * measured or on a write error. */
int mrs_st_print_spoofer_csv(const mrs_st_result *r, mrs_st_run_kind run, uint32_t asn, uint32_t t, FILE *out);

/* ---------------------------------------------------------------- the lab */

typedef struct mrs_st_opts {
    unsigned copies;            /* copies of each probe (default 3) */
    bool keep_going;            /* a run that cannot be set up does not stop the others */
    int stop_fd;                /* readable = stop now (a signalfd), -1 = none */
    bool progress;              /* one line per step on stderr */
} mrs_st_opts;

typedef enum mrs_st_status {
    MRS_ST_DONE = 0,            /* measured (see the verdict) */
    MRS_ST_RUN_FAILED,          /* a run could not be set up (without keep_going: the rest not run) */
    MRS_ST_NO_LAB,              /* the lab cannot be built: not root, no netns, no veth, no nft */
    MRS_ST_STOPPED,             /* stop_fd became readable: torn down */
    MRS_ST_ERROR                /* memory or another local error */
} mrs_st_status;

/* The lab's generated ruleset: the antispoof library's nftables printer for the
 * lab customer (mrs_st_lab_addrs), bound to iface. Returns a malloc'ed text, or
 * NULL with a message in err. */
char *mrs_st_acl_text(const char *iface, char *urpf, size_t urpf_len, size_t *permits, size_t *denies, char *err,
                      size_t errlen);

/* Remove labs of processes that are gone (namespaces named mrs<pid>-*, kill(pid,
 * 0) says no such process). Returns how many namespaces were removed. */
int mrs_st_cleanup_stale(void);

/* Build the lab, measure every run, tear it all down (also on failure and on
 * stop_fd). err gets a one-line message for every status but DONE. */
mrs_st_status mrs_st_run(const mrs_st_opts *o, mrs_st_result *r, char *err, size_t errlen);

#endif
