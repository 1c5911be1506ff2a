/*
 * bmp.h — the BGP Monitoring Protocol (RFC 7854; Loc-RIB, RFC 9069; Adj-RIB-Out,
 * RFC 8671) as a feed: a monitored router's stream of BMP messages becomes MRT
 * BGP4MP_ET records, which the one BGP decoder (mrt.h) reads like a collector's
 * update file, and which `manrs bmpd` writes to MRT files for every other command.
 *
 * Two levels:
 *  - bmp_frame / bmp_parse: one message, no state, no allocation (fuzzed);
 *  - bmp_session: one router's TCP stream. It buffers partial messages, keeps the
 *    peers the router reported up (Peer Up carries both OPEN messages: the 4-octet
 *    AS number and the ADD-PATH capabilities negotiated, RFC 6793, RFC 7911), and
 *    turns
 *      Route Monitoring  -> BGP4MP_ET MESSAGE_AS4 (MESSAGE when the A flag says the
 *                           AS_PATH is in 2-octet form; the _ADDPATH subtypes of
 *                           RFC 8050 when the session negotiated ADD-PATH for the
 *                           update's address family),
 *      Peer Up           -> STATE_CHANGE_AS4 OpenConfirm -> Established,
 *      Peer Down, and the end of the router's stream for every peer still up
 *                        -> STATE_CHANGE_AS4 Established -> Idle.
 *    The record's peer is the BMP peer (address and AS of the per-peer header), its
 *    local side the router (Peer Up's local address; the AS of the sent OPEN). A
 *    Loc-RIB "peer" (RFC 9069 §4.1) has no address: its records carry the
 *    router's BGP Identifier as the peer address and the router's AS, so that two
 *    routers of one AS stay apart. Each record says which RIB it comes from
 *    (bmp_rib): MRT has no field for it, so a writer keeps one RIB per file.
 *    Statistics Reports, Initiation, Termination and Route Mirroring are counted
 *    (Initiation's sysName names the router in messages), not turned into records.
 *
 * Bad input: a message that cannot be framed (version other than 3, length below
 * the header or above BMP_MAX_MESSAGE) ends the stream — there is no way to find
 * the next message; a framed message that does not parse is reported
 * (`NAME: offset N: what`, N the stream offset of the damage) and skipped, the
 * stream goes on.
 */
#ifndef MANRS_FEEDS_BMP_H
#define MANRS_FEEDS_BMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/feeds/mrt.h"
#include "manrs/feeds/mrt_write.h"

#define BMP_VERSION 3
#define BMP_COMMON_HEADER 6         /* version, length, type (RFC 7854 §4.1) */
#define BMP_PEER_HEADER 42          /* RFC 7854 §4.2 */
#define BMP_MAX_MESSAGE (1u << 20)  /* two 65 535-byte OPENs (RFC 8654) and TLVs fit */

/* Message types (RFC 7854 §4.1) */
enum {
    BMP_ROUTE_MONITORING = 0,
    BMP_STATISTICS = 1,
    BMP_PEER_DOWN = 2,
    BMP_PEER_UP = 3,
    BMP_INITIATION = 4,
    BMP_TERMINATION = 5,
    BMP_ROUTE_MIRRORING = 6,
    BMP_TYPES = 7,
};

/* Peer types (RFC 7854 §4.2, RFC 9069 §4.1) */
enum {
    BMP_PEER_GLOBAL = 0,
    BMP_PEER_RD = 1,
    BMP_PEER_LOCAL = 2,
    BMP_PEER_LOC_RIB = 3,
};

/* Per-peer header flags: peer types 0-2 (RFC 7854 §4.2, RFC 8671 §4) */
#define BMP_FLAG_V 0x80             /* the peer address is IPv6 */
#define BMP_FLAG_L 0x40             /* post-policy */
#define BMP_FLAG_A 0x20             /* AS_PATH in the legacy 2-octet form */
#define BMP_FLAG_O 0x10             /* Adj-RIB-Out */
/* ... and of Loc-RIB (RFC 9069 §4.2) */
#define BMP_FLAG_F 0x80             /* the Loc-RIB is filtered */

/* Which RIB a Route Monitoring message shows. */
typedef enum bmp_rib {
    BMP_RIB_IN_PRE = 0,             /* Adj-RIB-In, pre-policy (what collectors record) */
    BMP_RIB_IN_POST,
    BMP_RIB_LOC,                    /* RFC 9069 */
    BMP_RIB_OUT_PRE,                /* RFC 8671 */
    BMP_RIB_OUT_POST,
    BMP_RIBS,
} bmp_rib;

/* "pre-policy", "post-policy", "loc-rib", "out-pre-policy", "out-post-policy" */
const char *bmp_rib_name(bmp_rib r);
bool bmp_rib_parse(const char *s, bmp_rib *r);
const char *bmp_type_name(unsigned type);

typedef struct bmp_peer_hdr {
    uint8_t type, flags;
    uint8_t rd[8];                  /* Peer Distinguisher */
    uint16_t afi;                   /* MRS_AFI_IPV4 / MRS_AFI_IPV6 (V flag) */
    uint8_t addr[16];               /* IPv4: the first 4 bytes (the wire has it in the last 4) */
    uint32_t asn;
    uint8_t bgp_id[4];
    uint32_t sec, usec;             /* 0: unknown */
} bmp_peer_hdr;

typedef struct bmp_msg {
    uint8_t type;
    uint32_t length;                /* the whole message */
    bool has_peer;
    bmp_peer_hdr peer;
    bmp_rib rib;                    /* has_peer: the RIB the peer header names */
    /* Route Monitoring: the BGP UPDATE (header included); Peer Down reasons 1
     * and 3: the NOTIFICATION; Route Mirroring: the TLVs */
    const uint8_t *bgp;
    uint32_t bgp_len;
    /* Peer Up (RFC 7854 §4.10) */
    uint16_t local_afi;
    uint8_t local_addr[16];
    uint16_t local_port, remote_port;
    const uint8_t *sent_open, *recv_open;   /* whole BGP OPEN messages */
    uint32_t sent_open_len, recv_open_len;
    /* Peer Down (RFC 7854 §4.9, RFC 9069 §5.4) */
    uint8_t down_reason;
    uint16_t down_fsm;              /* reason 2 */
    /* Statistics Report: the count; its TLVs, Initiation's, Termination's, Peer
     * Up's information TLVs (bmp_tlv_next) */
    uint32_t stats_count;
    const uint8_t *tlv;
    uint32_t tlv_len;
    uint32_t tlv_pos;               /* position of tlv in the message */
} bmp_msg;

/* The length of the message at buf (0: fewer than BMP_COMMON_HEADER bytes yet).
 * -1 when it cannot be framed, the reason in *err. */
long bmp_frame(const uint8_t *buf, size_t avail, const char **err);
/* Parse one framed message (len = its length). 0, or -1 with the reason in *err
 * and its position in the message in *pos. */
int bmp_parse(const uint8_t *buf, size_t len, bmp_msg *m, const char **err, uint32_t *pos);
/* Walk information TLVs (type, length, value: RFC 7854 §4.4): 1 with the next,
 * 0 at the end, -1 when one runs past the end (*off left at it). */
int bmp_tlv_next(const uint8_t *p, uint32_t len, uint32_t *off, uint16_t *type, uint16_t *tlen,
                 const uint8_t **val);

/* What an OPEN message says (RFC 4271 §4.2, RFC 5492 capabilities, RFC 9072
 * extended optional parameters). */
typedef struct bgp_open_info {
    uint32_t asn;                   /* the 4-octet AS capability's, else My AS */
    bool as4;                       /* the 4-octet AS capability (RFC 6793) */
    uint8_t bgp_id[4];
    /* ADD-PATH (RFC 7911 §4): per (AFI 1|2, SAFI 1|2), bit 1 receive, bit 2 send */
    uint8_t addpath[2][2];
} bgp_open_info;
/* Parse a whole OPEN message. 0, or -1 with *err and *pos. */
int bgp_open_parse(const uint8_t *msg, uint32_t len, bgp_open_info *o, const char **err, uint32_t *pos);

/* ------------------------------------------------------------------ sessions */

typedef struct bmp_session_stats {
    uint64_t bytes, messages;
    uint64_t by_type[BMP_TYPES + 1];    /* [BMP_TYPES]: unknown types */
    uint64_t by_rib[BMP_RIBS];          /* Route Monitoring messages */
    uint64_t records;                   /* records emitted */
    uint64_t skipped;                   /* messages reported and skipped */
    uint64_t unknown_peer;              /* Route Monitoring before its Peer Up */
    uint32_t peers_up;
} bmp_session_stats;

/* A record and the RIBs it belongs to, a mask of 1u << bmp_rib: one bit for an
 * update; a peer's state change belongs to each of its RIBs (the Adj-RIBs of a
 * BGP session, or a Loc-RIB). rec->body is valid during the call. */
typedef void (*bmp_record_fn)(const mrt_record *rec, unsigned ribs, void *user);
#define BMP_RIBS_ADJ ((1u << BMP_RIB_IN_PRE) | (1u << BMP_RIB_IN_POST) | (1u << BMP_RIB_OUT_PRE) | (1u << BMP_RIB_OUT_POST))

typedef struct bmp_session bmp_session;

/* name: the router in messages ("bmp://192.0.2.1:4242"), copied. peer_time: stamp
 * records with the per-peer header's time (a recording read back), not the time
 * given to bmp_session_input (arrival at a live receiver); a zero header time
 * falls back to it. NULL when out of memory. */
bmp_session *bmp_session_new(const char *name, mrs_diag *diag, bool peer_time);
void bmp_session_free(bmp_session *s);
/* Bytes as they arrive (any split). Complete messages are handled at once, the
 * rest kept (at most one message). Returns 0, or -1 when the stream cannot go on
 * (reported; call bmp_session_end). */
int bmp_session_input(bmp_session *s, const uint8_t *data, size_t len, uint32_t sec, uint32_t usec,
                      bmp_record_fn fn, void *user);
/* Bytes held of an unfinished message (0: between messages). */
size_t bmp_session_pending(const bmp_session *s);
/* The stream ended: every peer still up goes down (a state change each, at the
 * time given; with peer_time at the time of the last record); an unfinished
 * message is reported. */
void bmp_session_end(bmp_session *s, uint32_t sec, uint32_t usec, bmp_record_fn fn, void *user);
const bmp_session_stats *bmp_session_get_stats(const bmp_session *s);
/* The router's sysName (Initiation, RFC 7854 §4.4) or "" — safe for logs. */
const char *bmp_session_sysname(const bmp_session *s);

/* ------------------------------------------------------------------ encoding
 * (tests, fuzz seeds): a message starts with bmp_put_start, which returns its
 * position, and ends with bmp_put_end, which fills its length in. */
size_t bmp_put_start(mrs_bytes *b, uint8_t type);
void bmp_put_end(mrs_bytes *b, size_t start);
/* The per-peer header; IPv4 addresses given in addr[0..3]. */
void bmp_put_peer(mrs_bytes *b, const bmp_peer_hdr *h);
/* A TLV (Initiation, Termination, Peer Up information, Statistics). */
void bmp_put_tlv(mrs_bytes *b, uint16_t type, const void *value, uint16_t len);
/* A BGP OPEN: asn (AS_TRANS in My AS when above 65535), the 4-octet AS
 * capability when as4, an ADD-PATH capability when addpath (per AFI/SAFI 1..2:
 * 1 receive, 2 send, 3 both) has any. */
void bgp_put_open(mrs_bytes *b, uint32_t asn, const uint8_t bgp_id[4], uint16_t hold, bool as4,
                  const uint8_t addpath[2][2]);

/* ------------------------------------------------------------------ files */

/* Read a recorded BMP stream (the bytes a station received from one router, any
 * compression, "-" = stdin) and decode every record of the RIBs in `ribs` (a
 * mask; 0 = all) with d, calling fn per MRT event; records carry the per-peer
 * header's time. False when the file cannot be opened. */
bool mrs_bmp_scan(const char *path, unsigned ribs, mrt_decoder *d, mrs_diag *diag, mrt_event_fn fn, void *user,
                  bmp_session_stats *st);

#endif
