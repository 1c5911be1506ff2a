/*
 * rpki.h — the RPKI knowledge base: Validated ROA Payloads (VRPs) for Route Origin
 * Validation (RFC 6811) and ASPA records for AS_PATH verification
 * (draft-ietf-sidrops-aspa-verification-28, "the ASPA draft" below).
 *
 * Life cycle: mrs_rpki_new, then any number of loads / adds, then mrs_rpki_build
 * (sorts, removes duplicates, builds the lookup structures), then queries. Adding
 * after a build is allowed; call mrs_rpki_build again before the next query.
 * Queries on a built set are read-only and may run from several threads at once.
 *
 * Input formats (detected from the content, compressed files are fine):
 *   JSON  {"roas":[{"asn":13335 | "AS13335", "prefix":"1.0.0.0/24", "maxLength":24,
 *          "ta":"apnic"}...], "aspas":[...]} — rpki-client, Routinator, StayRTR/gortr,
 *          RIPE NCC validator exports ("metadata" and "expires": see "Time" below;
 *          other keys are ignored). ASPA entries: customer as "customer_asid" or
 *          "customer", "providers" as numbers, "AS123" strings or objects {"asid": N}.
 *   CSV   with a header line naming the columns "ASN", "IP Prefix", "Max Length" and
 *          optionally "Trust Anchor" (rpki-client, Routinator), or the RIPE NCC
 *          validator's "URI","ASN","IP Prefix","Max Length","Not Before","Not After";
 *          quoted or not, in any column order.
 * Every entry is checked: prefix syntax, host bits clear, prefix length <= maxLength
 * <= 32 (IPv4) or 128 (IPv6), ASN in 0..4294967295. A bad entry is reported as
 * "FILE:LINE: what" (CSV) or "FILE: roas[17]: what" (JSON) through the mrs_diag,
 * skipped and counted; the rest is loaded.
 *
 * Time. A VRP set describes the RPKI at the moment its export was made; routing
 * data of another period must be judged by the VRPs of its own time (RFC 6811
 * validates a route against the VRPs the relying party holds when the route is
 * seen), so each VRP keeps its validity when the input gives one, as Unix seconds
 * (UTC, 1970..2106; 0 = unknown), bounds inclusive (RFC 5280 §4.1.2.5):
 *   RIPE NCC validator / Routinator "csvext" CSV: "Not Before" and "Not After"
 *          ("2019-07-18 11:40:32", UTC; RFC 3339 "…T…Z" and Unix seconds are also
 *          read) — the ROA's EE certificate validity (RFC 6488 §3);
 *   rpki-client CSV: "Expires", rpki-client JSON: per-VRP "expires" (Unix seconds):
 *          a not-after only (when the VRP's chain stops being valid); no not-before;
 *   Routinator / StayRTR / RIPE validator JSON without "expires": nothing.
 * A time that does not parse, is out of range, or a Not Before after the Not After,
 * is reported as a warning ("FILE:LINE: warning: …", JSON with its entry index)
 * and the VRP is kept without validity: ROV does not need the time, and dropping
 * the VRP would turn Valid routes Invalid. ASPA entries keep no time.
 */
#ifndef MANRS_RPKI_H
#define MANRS_RPKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"

typedef struct mrs_rpki mrs_rpki;

/* One VRP (RFC 6811 §1: prefix, maximum length, origin AS). */
typedef struct mrs_vrp {
    mrs_prefix prefix;
    uint32_t asn;
    uint8_t maxlen;
    uint16_t ta;        /* trust anchor, see mrs_rpki_ta_name(); 0 = not given */
} mrs_vrp;

typedef enum mrs_vrp_format {
    MRS_VRP_FMT_UNKNOWN = 0,
    MRS_VRP_FMT_JSON,       /* rpki-client / Routinator / StayRTR / RIPE validator JSON */
    MRS_VRP_FMT_CSV,        /* ASN,IP Prefix,Max Length[,Trust Anchor[,...]] */
    MRS_VRP_FMT_CSV_RIPE    /* URI,ASN,IP Prefix,Max Length,Not Before,Not After */
} mrs_vrp_format;

typedef struct mrs_rpki_load_stats {
    mrs_vrp_format format;
    uint64_t vrps;          /* VRP entries accepted from this input */
    uint64_t aspas;         /* ASPA entries accepted */
    uint64_t skipped;       /* bad entries reported and skipped */
    uint64_t dated;         /* VRP entries accepted with a validity (see "Time") */
} mrs_rpki_load_stats;

mrs_rpki *mrs_rpki_new(void);           /* NULL when out of memory */
void mrs_rpki_free(mrs_rpki *r);

/* Load a VRP/ASPA export. Returns 0 when the input was understood (even if some
 * entries were skipped: see stats->skipped and the diag), -1 when nothing could be
 * loaded (unreadable file, unknown format, JSON syntax error, out of memory); the
 * reason is reported through d. stats may be NULL. */
int mrs_rpki_load_file(mrs_rpki *r, const char *path, mrs_diag *d, mrs_rpki_load_stats *stats);
/* Same from memory (tests, fuzzers); name is used in messages. Compressed data is
 * not accepted here (use mrs_rpki_load_file). */
int mrs_rpki_load_mem(mrs_rpki *r, const void *buf, size_t len, const char *name, mrs_diag *d,
                      mrs_rpki_load_stats *stats);

/* Add one VRP / one ASPA directly (already validated by the caller: returns -1 on
 * an invalid VRP or out of memory). ta may be NULL. An ASPA for a customer that
 * already has one is merged: the provider set is the union (ASPA draft §5.3, U-SPAS). */
int mrs_rpki_add_vrp(mrs_rpki *r, const mrs_prefix *p, unsigned maxlen, uint32_t asn, const char *ta);
int mrs_rpki_add_aspa(mrs_rpki *r, uint32_t customer, const uint32_t *providers, size_t nproviders);
/* Add every VRP and ASPA of the built set src to dst (merging sets: files and RTR
 * tables). Returns 0, or -1 when out of memory. */
int mrs_rpki_add_all(mrs_rpki *dst, const mrs_rpki *src);

/* Build the lookup structures (sort, deduplicate). 0 or -1 (out of memory). */
int mrs_rpki_build(mrs_rpki *r);

/* Keep only the VRPs that existed at time t (Unix seconds): every VRP whose known
 * validity does not cover t (not before > t, or not after < t) is removed; VRPs
 * without validity stay. Why: a later export holds ROAs that did not exist when
 * older routing data was seen, and judging an old route by them makes a wrong
 * accusation (a 2016 route "RPKI invalid" because of a ROA signed in 2021); RFC 6811
 * validation happens against the VRPs of the route's own time. Removing VRPs can
 * only move routes towards NotFound. Call it after loading and before
 * mrs_rpki_build: after a build, copies of one VRP have been merged into one whose
 * validity spans them all. A built set from which VRPs were removed answers
 * NotFound until the next mrs_rpki_build. ASPA records are not touched (the
 * formats give them no not-before; an ASPA's "expires" is not kept). dropped (may
 * be NULL) gets the number removed. Returns 0 (it allocates nothing). */
int mrs_rpki_valid_at(mrs_rpki *r, int64_t t, size_t *dropped);

/* When the loaded exports were made, for warnings about data of another period:
 * every input loaded so far was made at or after *first and at or before *last
 * (0 = unknown). What each format gives:
 *   rpki-client JSON: "metadata": {"buildtime": "2021-07-27T18:56:02Z"}, exact
 *          (first = last); Routinator / RIPE validator / StayRTR JSON: "metadata":
 *          {"generated": Unix seconds} (or "generatedTime"), exact;
 *   CSV and JSON without such metadata: from the VRPs' validity, since a validator
 *          only emits ROAs valid when it runs: first = the latest Not Before (RIPE
 *          validator CSV), last = the earliest Not After / "expires" (unless it is
 *          before first: stale data, last unknown);
 *   inputs without times: nothing.
 * A bound known for some inputs only is unknown. mrs_rpki_add_vrp does not count
 * as an input. False when both bounds are unknown. */
bool mrs_rpki_period(const mrs_rpki *r, int64_t *first, int64_t *last);

/* The validity of the i-th VRP of mrs_rpki_vrps() (a built set); 0 = unknown.
 * False when neither bound is known. */
bool mrs_rpki_vrp_validity(const mrs_rpki *r, size_t i, int64_t *not_before, int64_t *not_after);

size_t mrs_rpki_vrp_count(const mrs_rpki *r);   /* distinct VRPs after build */
size_t mrs_rpki_aspa_count(const mrs_rpki *r);  /* distinct customer ASes after build */
/* ASPA record i of a built set (0 <= i < mrs_rpki_aspa_count, customers ascending):
 * returns the customer AS; *providers (sorted, AS 0 kept when an ASPA lists it) and
 * *n describe its provider set, valid until the next add or build. */
uint32_t mrs_rpki_aspa_at(const mrs_rpki *r, size_t i, const uint32_t **providers, size_t *n);
const char *mrs_rpki_ta_name(const mrs_rpki *r, uint16_t ta);   /* "" for 0 */
const char *mrs_vrp_format_name(mrs_vrp_format f);

/* ---- Route Origin Validation, RFC 6811 §2 ------------------------------------
 *
 * For a route (prefix, origin AS):
 *   covering VRPs: VRPs whose prefix covers the route prefix (VRP length <= route
 *                  length, leading bits equal);
 *   a covering VRP matches when its maxLength >= the route length, its ASN equals
 *                  the origin, and the origin is not NONE. A VRP with AS 0 never
 *                  matches (RFC 6483 §4, RFC 7607), nor does a route with origin 0.
 *   NotFound: no covering VRP.  Valid: at least one match.  Invalid: otherwise.
 *
 * The origin is NONE when it cannot be determined: the AS_PATH ends in an AS_SET
 * (RFC 6811 §2: the final segment of the AS_PATH is not an AS_SEQUENCE; see also
 * RFC 6907); such a route can never be Valid.
 *
 * Reason for Invalid, first that applies:
 *   MRS_ROV_R_ORIGIN_NONE  origin is NONE;
 *   MRS_ROV_R_TOO_SPECIFIC some covering VRP has the route's (nonzero) origin ASN,
 *                          but every such VRP's maxLength is shorter than the route;
 *   MRS_ROV_R_AS0          every covering VRP has AS 0 (the holder authorises no origin);
 *   MRS_ROV_R_ORIGIN       otherwise: no covering VRP names the origin ASN.
 */
typedef enum mrs_rov_state {
    MRS_ROV_NOT_FOUND = 0,
    MRS_ROV_VALID,
    MRS_ROV_INVALID
} mrs_rov_state;

typedef enum mrs_rov_reason {
    MRS_ROV_R_NONE = 0,         /* Valid or NotFound */
    MRS_ROV_R_ORIGIN,           /* "origin-mismatch" */
    MRS_ROV_R_TOO_SPECIFIC,     /* "too-specific" */
    MRS_ROV_R_AS0,              /* "as0" */
    MRS_ROV_R_ORIGIN_NONE       /* "origin-none" */
} mrs_rov_reason;

#define MRS_ROV_EVIDENCE_MAX 16

typedef struct mrs_rov_result {
    mrs_rov_state state;
    mrs_rov_reason reason;
    uint32_t n_covering;        /* total covering VRPs */
    uint32_t n_matching;        /* total matching VRPs */
    unsigned covering_shown;    /* entries in covering[] (<= MRS_ROV_EVIDENCE_MAX) */
    unsigned matching_shown;
    /* Shortest prefix first, then by ASN, then by maxLength. */
    mrs_vrp covering[MRS_ROV_EVIDENCE_MAX];
    mrs_vrp matching[MRS_ROV_EVIDENCE_MAX];
} mrs_rov_result;

/* The fast path: state only, from a bucketed index built for it (two or three
 * memory accesses per route; see src/kb/rpki/rov_index.c). The set must be built;
 * an unbuilt set answers NotFound. */
mrs_rov_state mrs_rov_validate(const mrs_rpki *r, const mrs_prefix *route, uint32_t origin, bool origin_none);
/* Many routes at once, same answers as mrs_rov_validate: the lookups of a group of
 * routes are interleaved (memory prefetches) so that their cache misses overlap.
 * For bulk work (a whole RIB) this is several times faster. */
typedef struct mrs_rov_query {
    mrs_prefix prefix;
    uint32_t origin;
    bool origin_none;
} mrs_rov_query;
void mrs_rov_validate_batch(const mrs_rpki *r, const mrs_rov_query *q, size_t n, mrs_rov_state *out);

/* State, reason and evidence, from the prefix trie (slower; same states). */
mrs_rov_state mrs_rov_validate_ex(const mrs_rpki *r, const mrs_prefix *route, uint32_t origin,
                                  bool origin_none, mrs_rov_result *res);
/* mrs_rov_validate, and for a Valid route (RFC 6811) in *until the latest end of
 * validity ("expires", Not After) of the VRPs that make it valid, i.e. when it
 * stops being Valid unless they are renewed; 0 when not Valid or some matching VRP
 * has no known end. One validation (the fast path when no VRP has a known end). */
mrs_rov_state mrs_rov_validate_until(const mrs_rpki *r, const mrs_prefix *route, uint32_t origin, int64_t *until);

const char *mrs_rov_state_name(mrs_rov_state s);     /* "valid", "invalid", "not-found" */
const char *mrs_rov_reason_name(mrs_rov_reason r);   /* "", "origin-mismatch", ... */

/* ---- ASPA AS_PATH verification, draft-ietf-sidrops-aspa-verification-28 ------ */

/* authorized(CAS, PAS), ASPA draft §5.3. */
typedef enum mrs_aspa_auth {
    MRS_ASPA_NO_ATTESTATION = 0,    /* no ASPA for the customer AS */
    MRS_ASPA_PROVIDER_PLUS,         /* PAS is in the customer's provider set (U-SPAS) */
    MRS_ASPA_NOT_PROVIDER_PLUS      /* the customer has an ASPA that does not list PAS */
} mrs_aspa_auth;

typedef enum mrs_aspa_state {
    MRS_ASPA_VALID = 0,
    MRS_ASPA_INVALID,
    MRS_ASPA_UNKNOWN
} mrs_aspa_state;

typedef enum mrs_aspa_direction {
    MRS_ASPA_UPSTREAM = 0,  /* §5.5: route from a customer, lateral peer, RS or RS-client */
    MRS_ASPA_DOWNSTREAM     /* §5.6: route from a provider */
} mrs_aspa_direction;

typedef enum mrs_aspa_reason {
    MRS_ASPA_R_NONE = 0,
    MRS_ASPA_R_EMPTY,       /* empty AS_PATH (step 1) */
    MRS_ASPA_R_AS_SET,      /* AS_PATH has an AS_SET (step 3) */
    MRS_ASPA_R_RAMPS,       /* the ramp bounds of step 4 (Invalid) or 5 (Unknown) */
} mrs_aspa_reason;

typedef struct mrs_aspa_result {
    mrs_aspa_state state;
    mrs_aspa_reason reason;
    uint32_t n;                     /* length of the COMPRESSED_AS_PATH (§5.2) */
    uint32_t max_up_ramp, min_up_ramp;      /* §5.4 */
    uint32_t max_down_ramp, min_down_ramp;  /* §5.4; 0 for upstream (§5.5) */
    /* For Invalid by ramps: the Not Provider+ hop closest to the origin (upstream) —
     * customer AS and the AS it sent the route to. 0/0 if none. */
    uint32_t bad_customer, bad_provider;
} mrs_aspa_result;

mrs_aspa_auth mrs_aspa_authorized(const mrs_rpki *r, uint32_t cas, uint32_t pas);

/* Verify an AS_PATH given in AS_PATH order (path[0] = the neighbour AS that sent the
 * route, path[n-1] = the origin). Prepending is collapsed (§5.2). has_as_set tells
 * that the AS_PATH contained an AS_SET anywhere (its members need not be passed).
 * The neighbour-AS check (step 2) is the caller's business: the path is taken as
 * received from AS path[0]. res may be NULL. */
mrs_aspa_state mrs_aspa_verify(const mrs_rpki *r, const uint32_t *path, size_t n, bool has_as_set,
                               mrs_aspa_direction dir, mrs_aspa_result *res);

const char *mrs_aspa_state_name(mrs_aspa_state s);   /* "valid", "invalid", "unknown" */
const char *mrs_aspa_auth_name(mrs_aspa_auth a);     /* "no-attestation", "provider+", "not-provider+" */

/* All VRPs of a built set, sorted by prefix, ASN and maxLength, without
 * duplicates; valid until the next add or build. *n = 0 and NULL before a build. */
const mrs_vrp *mrs_rpki_vrps(const mrs_rpki *r, size_t *n);
/* The order of that array: prefix (mrs_prefix_cmp), then ASN, then maxLength. */
int mrs_vrp_cmp(const mrs_vrp *a, const mrs_vrp *b);

#endif
