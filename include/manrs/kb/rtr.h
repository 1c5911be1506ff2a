/*
 * rtr.h — the RPKI-to-Router protocol's PDUs: RFC 6810 (version 0), RFC 8210
 * (version 1) and draft-ietf-sidrops-8210bis-10 (version 2, with ASPA), encoded
 * and parsed without sockets (the server is src/apps/rtrd, the client
 * kb/rpki/rtr_client.c). Version 2 is the draft StayRTR implements (Debian's
 * stayrtr 0.5, "-protocol 2"): its ASPA PDU is
 *
 *     version 2 | type 11 | zero (16 bits) | length
 *     flags (1: announce) | AFI flags (0 IPv4, 1 IPv6) | provider count (16 bits)
 *     customer AS | provider AS ... (count of them)
 *
 * one PDU per address family. Every other PDU is laid out as in RFC 8210 §5.
 * All numbers are in network byte order.
 */
#ifndef MANRS_KB_RTR_H
#define MANRS_KB_RTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"

#define MRS_RTR_MAX_VERSION 2

enum {
    MRS_RTR_SERIAL_NOTIFY = 0,
    MRS_RTR_SERIAL_QUERY = 1,
    MRS_RTR_RESET_QUERY = 2,
    MRS_RTR_CACHE_RESPONSE = 3,
    MRS_RTR_IPV4_PREFIX = 4,
    MRS_RTR_IPV6_PREFIX = 6,
    MRS_RTR_END_OF_DATA = 7,
    MRS_RTR_CACHE_RESET = 8,
    MRS_RTR_ROUTER_KEY = 9,
    MRS_RTR_ERROR_REPORT = 10,
    MRS_RTR_ASPA = 11,
};

/* Error Report codes (RFC 8210 §12, 8210bis). */
enum {
    MRS_RTR_ERR_CORRUPT_DATA = 0,
    MRS_RTR_ERR_INTERNAL = 1,
    MRS_RTR_ERR_NO_DATA = 2,
    MRS_RTR_ERR_INVALID_REQUEST = 3,
    MRS_RTR_ERR_UNSUPPORTED_VERSION = 4,
    MRS_RTR_ERR_UNSUPPORTED_PDU = 5,
    MRS_RTR_ERR_WITHDRAW_UNKNOWN = 6,
    MRS_RTR_ERR_DUPLICATE_ANNOUNCE = 7,
    MRS_RTR_ERR_UNEXPECTED_VERSION = 8,
};

/* Sizes of the fixed PDUs. */
#define MRS_RTR_HEADER 8u
#define MRS_RTR_MAX_FIXED 32u   /* the largest fixed PDU (IPv6 Prefix) */

typedef struct mrs_rtr_pdu {
    uint8_t version, type;
    uint16_t session;           /* session id; the error code of an Error Report; ASPA/key: 0 */
    uint32_t length;
    uint32_t serial;            /* Serial Notify/Query, End of Data */
    uint32_t refresh, retry, expire;   /* End of Data, version >= 1 */
    uint8_t flags;              /* prefix, ASPA, router key: bit 0 announce (1) / withdraw (0) */
    mrs_prefix prefix;          /* IPv4/IPv6 Prefix */
    uint8_t maxlen;
    uint32_t asn;               /* prefix origin, router key AS, ASPA customer */
    uint8_t afi_flags;          /* ASPA: 0 IPv4, 1 IPv6 */
    uint16_t n_providers;       /* ASPA */
    const uint8_t *providers;   /* ASPA: n_providers big-endian 32-bit ASNs, in the input */
    const uint8_t *err_pdu;     /* Error Report: the erroneous PDU, as sent */
    uint32_t err_pdu_len;
    const uint8_t *err_text;    /* Error Report: diagnostic text (not NUL-terminated) */
    uint32_t err_text_len;
} mrs_rtr_pdu;

/* Why a PDU could not be parsed: the Error Report code to answer with and a
 * sentence for the log. */
typedef struct mrs_rtr_fault {
    uint16_t code;
    char why[96];
} mrs_rtr_fault;

/* Parse the PDU at the start of buf (len bytes available). Returns 1 and fills
 * *pdu (pdu->length bytes are the PDU); 0 when more bytes are needed; -1 when the
 * PDU is malformed (*f says why and with which code). PDUs longer than max_len
 * are malformed (a router or cache that announces 4 GB is not waited for). A PDU
 * of a version above MRS_RTR_MAX_VERSION is returned with its header only (its
 * layout is unknown): the session decides (Unsupported Protocol Version). */
int mrs_rtr_parse(const uint8_t *buf, size_t len, size_t max_len, mrs_rtr_pdu *pdu, mrs_rtr_fault *f);

/* Encoders: write one PDU to out and return its length. out must hold
 * MRS_RTR_MAX_FIXED bytes for the fixed ones. */
size_t mrs_rtr_serial_notify(uint8_t *out, uint8_t version, uint16_t session, uint32_t serial);
size_t mrs_rtr_serial_query(uint8_t *out, uint8_t version, uint16_t session, uint32_t serial);
size_t mrs_rtr_reset_query(uint8_t *out, uint8_t version);
size_t mrs_rtr_cache_response(uint8_t *out, uint8_t version, uint16_t session);
size_t mrs_rtr_cache_reset(uint8_t *out, uint8_t version);
/* IPv4 or IPv6 Prefix by p->afi; flags 1 announce, 0 withdraw. */
size_t mrs_rtr_prefix(uint8_t *out, uint8_t version, uint8_t flags, const mrs_prefix *p, uint8_t maxlen, uint32_t asn);
/* Version 0: 12 bytes (serial only); 1 and 2: 24 bytes with the intervals. */
size_t mrs_rtr_end_of_data(uint8_t *out, uint8_t version, uint16_t session, uint32_t serial, uint32_t refresh,
                           uint32_t retry, uint32_t expire);
/* ASPA (version 2): 16 + 4 n bytes (out must hold them). */
size_t mrs_rtr_aspa_size(size_t n);
size_t mrs_rtr_aspa(uint8_t *out, uint8_t flags, uint8_t afi_flags, uint32_t customer, const uint32_t *providers,
                    uint16_t n);
/* Error Report with a copy of the erroneous PDU (at most pdu_len bytes of it) and
 * a text; out must hold mrs_rtr_error_size(pdu_len, strlen(text)) bytes. */
size_t mrs_rtr_error_size(size_t pdu_len, size_t text_len);
size_t mrs_rtr_error_report(uint8_t *out, uint8_t version, uint16_t code, const uint8_t *pdu, size_t pdu_len,
                            const char *text);

/* ---- the client (kb/rpki/rtr_client.c) */

typedef struct mrs_rtr_fetch_stats {
    uint8_t version;            /* the protocol version the session ended with */
    uint16_t session;
    uint32_t serial;
    size_t vrps, aspas, router_keys;   /* records received (ASPAs: PDUs) */
    uint64_t bytes;
} mrs_rtr_fetch_stats;

/* Fetch a cache's whole table over RTR (a Reset Query) from "HOST:PORT" into r:
 * version 2 first, a lower one when the cache says so (an Error Report
 * "Unsupported Protocol Version", or a response in a lower version: RFC 8210 §7).
 * The records are added to r only once End of Data has arrived: a session that
 * breaks adds nothing (the table a caller holds changes atomically). timeout_ms
 * bounds the connect and every wait for data. Errors go through d, named
 * "rtr://HOST:PORT", with the byte offset in the cache's stream where one
 * applies. Returns 0, or -1. st may be NULL. */
struct mrs_rpki;
int mrs_rtr_fetch(struct mrs_rpki *r, const char *host_port, int timeout_ms, mrs_diag *d, mrs_rtr_fetch_stats *st);

const char *mrs_rtr_type_name(uint8_t type);     /* "Serial Notify", ..., "unknown" */
const char *mrs_rtr_error_name(uint16_t code);   /* "Corrupt Data", ..., "unknown" */

/* ---- a session kept open (kb/rpki/rtr_session.c): a router's side of RTR on the
 * caller's event loop. Reset Query once (version 2 first, lower when the cache
 * says so), then Serial Query when the cache sends Serial Notify or the refresh
 * interval of its End of Data ends (RFC 8210 §6, §8); Cache Reset starts again
 * with a Reset Query. After each End of Data that changed the table (and after
 * the first), fn gets a new built set of the whole table, which it owns: a
 * consumer swaps sets, it never sees half an update. A session that breaks is
 * opened again after 1, 2, 4 ... 60 s; the last table stays the caller's.
 * Problems go through diag as "rtr://HOST:PORT: offset N: what". */
struct mrs_evloop;
typedef void (*mrs_rtr_update_fn)(struct mrs_rpki *r, uint32_t serial, void *user);

typedef struct mrs_rtr_session_opts {
    const char *host_port;
    mrs_diag *diag;
    mrs_rtr_update_fn fn;
    void *user;
} mrs_rtr_session_opts;

typedef struct mrs_rtr_session_stats {
    uint8_t version;
    bool connected;
    uint32_t serial;
    size_t vrps, aspas;                 /* in the last set handed over */
    uint64_t connects, disconnects, reset_queries, serial_queries, notifies, cache_resets, updates, bytes;
    uint64_t duplicates, unknown_withdrawals;   /* protocol errors of the cache, ignored */
} mrs_rtr_session_stats;

typedef struct mrs_rtr_session mrs_rtr_session;
/* Connect (at most 2 s) and send the first query; a failure is retried on ticks. */
mrs_rtr_session *mrs_rtr_session_new(struct mrs_evloop *l, const mrs_rtr_session_opts *o);
void mrs_rtr_session_tick(mrs_rtr_session *s);     /* once a second */
mrs_rtr_session_stats mrs_rtr_session_get_stats(const mrs_rtr_session *s);
void mrs_rtr_session_free(mrs_rtr_session *s);

#endif
