/*
 * route_event.h — the neutral route event: what every feed emits (MRT files today;
 * BMP, RIS Live and RTR-fed monitors next) and what every consumer above the feeds
 * reads (the routes store, the anti-spoofing and filter generators). A consumer
 * never sees MRT record types, BGP attribute bytes or 2-/4-byte ASN encodings: the
 * feed decodes them once.
 *
 * The AS path is carried decoded (mrs_as_path): segments of 4-byte ASNs after the
 * RFC 6793 §4.2.3 AS4_PATH merge, segment types as on the wire (RFC 4271 §4.3
 * AS_SET / AS_SEQUENCE, RFC 5065 confederation segments).
 *
 * Events and the memory they point to are valid only during the callback.
 */
#ifndef MANRS_FEEDS_ROUTE_EVENT_H
#define MANRS_FEEDS_ROUTE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/prefix.h"

/* Segment types (RFC 4271 §4.3, RFC 5065 §3), the values of the wire. */
enum {
    MRS_SEG_AS_SET = 1,
    MRS_SEG_AS_SEQUENCE = 2,
    MRS_SEG_CONFED_SEQUENCE = 3,
    MRS_SEG_CONFED_SET = 4,
};

/* A decoded AS path: a run of 32-bit words, each segment one header word
 * (type << 16 | count) followed by its count ASNs. n == 0: empty (or absent) path. */
typedef struct mrs_as_path {
    const uint32_t *w;
    uint32_t n;
} mrs_as_path;

#define MRS_SEG_TYPE(h) ((h) >> 16)
#define MRS_SEG_COUNT(h) ((h) & 0xffffu)
#define MRS_SEG_HEADER(type, count) ((uint32_t)(type) << 16 | (uint32_t)(count))

/* Walk the segments: start with *i = 0; each call gives the next segment's type,
 * member count and members, and returns false at the end (or at a truncated run). */
bool mrs_as_path_next_segment(mrs_as_path p, uint32_t *i, unsigned *type, uint32_t *count, const uint32_t **asns);
/* Origin AS (RFC 6811 §2): the last AS of the last non-empty segment when that is
 * an AS_SEQUENCE; false (origin NONE) for an empty path or a final AS_SET. */
bool mrs_as_path_origin(mrs_as_path p, uint32_t *origin);
/* The AS_SEQUENCE members in order, at most max written (the count is returned
 * even when larger); *has_set tells whether any other segment was present. */
size_t mrs_as_path_sequence(mrs_as_path p, uint32_t *out, size_t max, bool *has_set);
/* Is asn anywhere in the path (any segment)? */
bool mrs_as_path_has(mrs_as_path p, uint32_t asn);
/* The path as text, bgpdump style: "1 2 {3,4} (5 6)". Returns a malloc'd string,
 * NULL when out of memory. */
char *mrs_as_path_text(mrs_as_path p);

typedef enum mrs_route_event_kind {
    MRS_RE_RIB = 1,             /* a route held at a RIB snapshot's time */
    MRS_RE_ANNOUNCE,            /* a route announced */
    MRS_RE_WITHDRAW,            /* a route withdrawn */
    MRS_RE_PEER_STATE,          /* the session with the peer changed state (RFC 4271 §8.2.2
                                   FSM numbering, 6 = Established); leaving Established loses
                                   every route of the peer */
} mrs_route_event_kind;

typedef struct mrs_route_peer {
    uint16_t afi;               /* MRS_AFI_IPV4 / MRS_AFI_IPV6 */
    uint8_t ip[16];
    uint32_t asn;
} mrs_route_peer;

typedef struct mrs_route_event {
    mrs_route_event_kind kind;
    uint32_t time;              /* seconds since 1970 */
    mrs_route_peer peer;        /* the collector's (or router's) BGP neighbour */
    bool peer_known;            /* false: the feed could not tell the peer's address
                                   (damaged Zebra state changes) */
    uint16_t old_state, new_state;   /* PEER_STATE */
    uint8_t safi;               /* 1 unicast, 2 multicast, ... (RFC 4760) */
    mrs_prefix prefix;          /* as received: host bits may be set (see host_bits) */
    bool host_bits;
    uint32_t path_id;           /* ADD-PATH (RFC 7911), 0 without */
    mrs_as_path path;           /* RIB / ANNOUNCE */
    bool has_otc;               /* RFC 9234 Only-To-Customer attribute present */
    uint32_t otc;
    bool blackhole;             /* RFC 7999 BLACKHOLE community (65535:666) attached */
    /* evidence: where the feed read it, for anyone to re-check */
    const char *source;         /* file name (MRT) or feed name */
    uint64_t offset;            /* byte offset of the record in the decompressed file */
} mrs_route_event;

#define MRS_BGP_ESTABLISHED 6
#define MRS_COMMUNITY_BLACKHOLE 0xFFFF029Au   /* 65535:666, RFC 7999 section 5 */
#define MRS_SAFI_UNICAST 1

/* Did this event end the peer's session (and with it all of its routes)? */
static inline bool mrs_route_event_session_lost(const mrs_route_event *ev)
{
    return ev->kind == MRS_RE_PEER_STATE && ev->old_state == MRS_BGP_ESTABLISHED &&
           ev->new_state != MRS_BGP_ESTABLISHED && ev->peer_known;
}

typedef void (*mrs_route_event_fn)(const mrs_route_event *ev, void *user);

#endif
