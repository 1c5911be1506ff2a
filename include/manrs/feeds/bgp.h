/*
 * bgp.h — decoding of BGP-4 messages and path attributes (RFC 4271), shared by
 * every source of routes: MRT dumps today, BMP and live sessions later.
 *
 * Design: decoding never allocates and never copies bulk data. A decoded
 * attribute set (bgp_attrs) points into the caller's buffer; NLRI are walked with
 * an iterator over the raw bytes. The only data written by the decoder is the
 * effective AS path when an AS4_PATH has to be merged (RFC 6793 §4.2.3); it lives
 * in a scratch buffer owned by the bgp_decoder, valid until the next decode.
 *
 * Leniency: real archives contain odd but decodable data (zero-length attributes,
 * attributes repeated, trailing bytes). The decoder keeps everything it can read
 * unambiguously and records each problem as a bgp_issue with its byte position, so
 * the caller can report `FILE: offset N: what`. Structural damage (a length that
 * runs past the enclosing data) stops decoding of that unit and is flagged fatal.
 */
#ifndef MANRS_BGP_H
#define MANRS_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/prefix.h"

/* BGP message types (RFC 4271 §4.1, RFC 2918) */
enum {
    BGP_MSG_OPEN = 1,
    BGP_MSG_UPDATE = 2,
    BGP_MSG_NOTIFICATION = 3,
    BGP_MSG_KEEPALIVE = 4,
    BGP_MSG_ROUTE_REFRESH = 5,
};

/* Path attribute type codes (IANA "BGP Path Attributes") */
enum {
    BGP_ATTR_ORIGIN = 1,
    BGP_ATTR_AS_PATH = 2,
    BGP_ATTR_NEXT_HOP = 3,
    BGP_ATTR_MED = 4,
    BGP_ATTR_LOCAL_PREF = 5,
    BGP_ATTR_ATOMIC_AGGREGATE = 6,
    BGP_ATTR_AGGREGATOR = 7,
    BGP_ATTR_COMMUNITIES = 8,          /* RFC 1997 */
    BGP_ATTR_ORIGINATOR_ID = 9,        /* RFC 4456 */
    BGP_ATTR_CLUSTER_LIST = 10,        /* RFC 4456 */
    BGP_ATTR_MP_REACH_NLRI = 14,       /* RFC 4760 */
    BGP_ATTR_MP_UNREACH_NLRI = 15,     /* RFC 4760 */
    BGP_ATTR_EXT_COMMUNITIES = 16,     /* RFC 4360 */
    BGP_ATTR_AS4_PATH = 17,            /* RFC 6793 */
    BGP_ATTR_AS4_AGGREGATOR = 18,      /* RFC 6793 */
    BGP_ATTR_LARGE_COMMUNITIES = 32,   /* RFC 8092 */
    BGP_ATTR_OTC = 35,                 /* RFC 9234 Only To Customer */
};

/* Attribute flags (RFC 4271 §4.3) */
#define BGP_ATTR_FLAG_OPTIONAL 0x80
#define BGP_ATTR_FLAG_TRANSITIVE 0x40
#define BGP_ATTR_FLAG_PARTIAL 0x20
#define BGP_ATTR_FLAG_EXTLEN 0x10

/* AS_PATH segment types (RFC 4271 §4.3, RFC 5065 §3) */
enum {
    BGP_AS_SET = 1,
    BGP_AS_SEQUENCE = 2,
    BGP_AS_CONFED_SEQUENCE = 3,
    BGP_AS_CONFED_SET = 4,
};

#define BGP_AS_TRANS 23456u           /* RFC 6793 §2 */
#define BGP_SAFI_UNICAST 1
#define BGP_SAFI_MULTICAST 2
#define BGP_SAFI_UNICAST_MULTICAST 3  /* obsolete value seen in old archives */

#define BGP_COMMUNITY_NO_EXPORT 0xFFFFFF01u
#define BGP_COMMUNITY_NO_ADVERTISE 0xFFFFFF02u
#define BGP_COMMUNITY_NO_EXPORT_SUBCONFED 0xFFFFFF03u

/* One problem found while decoding, with its position in the decoded buffer. */
typedef struct bgp_issue {
    uint32_t pos;          /* byte position relative to the start of the buffer given */
    bool fatal;            /* the unit (message / RIB entry) could not be decoded */
    const char *what;      /* static text */
    uint32_t a, b;         /* numbers for the message (e.g. attribute type, length) */
} bgp_issue;

#define BGP_MAX_ISSUES 8

/* A run of NLRI bytes (RFC 4271 §4.3 / RFC 4760 §5 encoding), walked with bgp_nlri_next. */
typedef struct bgp_nlri {
    uint16_t afi;          /* MRS_AFI_IPV4 / MRS_AFI_IPV6 */
    uint8_t safi;
    bool addpath;          /* each prefix preceded by a 4-byte Path Identifier (RFC 7911 §3) */
    const uint8_t *data;
    uint32_t len;
    uint32_t pos;          /* position of data relative to the decoded buffer (for messages) */
} bgp_nlri;

/* MP_REACH_NLRI (RFC 4760 §3), or the abbreviated form used in TABLE_DUMP_V2 RIB
 * entries (RFC 6396 §4.3.4: only next-hop length and next hop). */
typedef struct bgp_mp_reach {
    uint16_t afi;
    uint8_t safi;
    uint8_t nh_len;        /* as on the wire: 4, 16, 32 (global + link-local), ... */
    uint8_t nh[32];        /* next hop bytes (first min(nh_len,32)), zero padded */
    bool abbreviated;      /* RIB-entry form without AFI/SAFI/NLRI (RFC 6396 §4.3.4) */
    bgp_nlri nlri;
} bgp_mp_reach;

typedef struct bgp_raw_attr {
    uint8_t flags, type;
    uint16_t len;
    const uint8_t *data;
} bgp_raw_attr;

#define BGP_MAX_MP 4
#define BGP_MAX_OTHER_ATTRS 16

/* A decoded path attribute set. Pointers refer to the caller's buffer or to the
 * decoder's scratch (effective AS path). */
typedef struct bgp_attrs {
    uint64_t present;          /* bit (type-1) set for each attribute type 1..64 seen */
    uint8_t origin;            /* 0 IGP, 1 EGP, 2 INCOMPLETE; 0xff = absent */
    uint8_t asn_size;          /* 2 or 4: width of AS numbers in as_path/aggregator on the wire */

    /* AS_PATH as on the wire, and the effective path after RFC 6793 §4.2.3 merging
     * of AS4_PATH (always encoded with 4-byte AS numbers). */
    const uint8_t *as_path;
    uint32_t as_path_len;
    const uint8_t *as4_path;
    uint32_t as4_path_len;
    const uint8_t *path;       /* effective path, 4-byte ASNs; NULL if no AS_PATH */
    uint32_t path_len;
    bool path_malformed;       /* AS_PATH segments do not parse: path is NULL */

    uint8_t next_hop[4];
    uint32_t med;
    uint32_t local_pref;
    uint32_t aggregator_as;    /* effective (AS4_AGGREGATOR applied) */
    uint8_t aggregator_ip[4];
    uint32_t as4_aggregator_as;
    uint8_t as4_aggregator_ip[4];
    uint8_t originator_id[4];
    uint32_t otc;              /* RFC 9234 */

    const uint8_t *communities;      /* 4 bytes each */
    uint32_t n_communities;
    const uint8_t *ext_communities;  /* 8 bytes each */
    uint32_t n_ext_communities;
    const uint8_t *large_communities;/* 12 bytes each */
    uint32_t n_large_communities;
    const uint8_t *cluster_list;     /* 4 bytes each */
    uint32_t n_cluster_list;

    uint8_t n_mp_reach, n_mp_unreach;
    bgp_mp_reach mp_reach[BGP_MAX_MP];
    bgp_nlri mp_unreach[BGP_MAX_MP];

    uint8_t n_other;                 /* attributes kept raw (unknown or not decoded) */
    uint16_t n_other_dropped;        /* beyond BGP_MAX_OTHER_ATTRS */
    bgp_raw_attr other[BGP_MAX_OTHER_ATTRS];

    uint8_t n_issues;
    uint16_t n_issues_dropped;
    bgp_issue issues[BGP_MAX_ISSUES];
} bgp_attrs;

static inline bool bgp_attr_has(const bgp_attrs *a, unsigned type)
{
    return type >= 1 && type <= 64 && (a->present >> (type - 1)) & 1;
}

/* Options that the container (MRT subtype, BMP peer flags, session capabilities)
 * decides, not the message. */
typedef struct bgp_decode_opts {
    uint8_t asn_size;          /* 2 or 4 */
    bool addpath;              /* ADD-PATH (RFC 7911) for all NLRI */
    bool rib_entry;            /* TABLE_DUMP_V2 RIB entry: abbreviated MP_REACH allowed */
    bool rfc6793_merge;        /* merge AS4_PATH/AS4_AGGREGATOR when asn_size == 2 */
} bgp_decode_opts;

/* Scratch space for one decode (effective AS path). One per thread/stream. */
typedef struct bgp_decoder {
    uint8_t path_buf[4 * 65536 + 1024];
} bgp_decoder;

/* Decode a path attribute block (the bytes after "Total Path Attribute Length").
 * base_pos is added to issue positions. Returns false if a fatal issue was found
 * (the attributes decoded before it are still filled in). */
bool bgp_attrs_decode(bgp_decoder *dec, const uint8_t *data, uint32_t len, const bgp_decode_opts *opts,
                      uint32_t base_pos, bgp_attrs *out);

/* A decoded UPDATE message (RFC 4271 §4.3). */
typedef struct bgp_update {
    bgp_nlri withdrawn;        /* IPv4 unicast withdrawn routes */
    bgp_attrs attrs;
    bgp_nlri nlri;             /* IPv4 unicast NLRI */
} bgp_update;

/* Decode an UPDATE body (after the 19-byte header). Returns false on structural
 * damage (issues in u->attrs.issues). */
bool bgp_update_decode(bgp_decoder *dec, const uint8_t *body, uint32_t len, const bgp_decode_opts *opts,
                       uint32_t base_pos, bgp_update *u);

/* One NLRI entry. */
typedef struct bgp_prefix {
    mrs_prefix pfx;            /* address bytes as on the wire (host bits not cleared) */
    uint32_t path_id;
    bool host_bits;            /* bits beyond len were set on the wire */
} bgp_prefix;

/* Walk an NLRI run. *off starts at 0. Returns 1 with *p filled, 0 at the end,
 * -1 if the encoding is damaged (prefix length beyond the family, or the bytes
 * run out): *off is left at the damaged entry. */
int bgp_nlri_next(const bgp_nlri *n, uint32_t *off, bgp_prefix *p);

/* AS path walking over raw segments with 4-byte or 2-byte ASNs. */
typedef struct bgp_path_seg {
    uint8_t type;
    uint8_t count;
    const uint8_t *asns;
} bgp_path_seg;
/* Returns 1 and the next segment, 0 at the end, -1 if malformed. */
int bgp_path_next_seg(const uint8_t *path, uint32_t len, uint8_t asn_size, uint32_t *off, bgp_path_seg *seg);
static inline uint32_t bgp_seg_asn(const bgp_path_seg *s, unsigned i, uint8_t asn_size)
{
    const uint8_t *p = s->asns + (size_t)i * asn_size;
    return asn_size == 4 ? ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3])
                         : ((uint32_t)p[0] << 8 | p[1]);
}
/* Origin AS of a path (4-byte encoding): the last AS of a final AS_SEQUENCE.
 * Returns false if there is none (empty path, or final segment is an AS_SET —
 * RFC 6811 §2: then the origin is "NONE"). */
bool bgp_path_origin(const uint8_t *path, uint32_t len, uint32_t *origin);
/* Path length for route selection (RFC 4271 §9.1.2.2: AS_SET counts 1, RFC 5065:
 * confederation segments count 0). */
uint32_t bgp_path_length(const uint8_t *path, uint32_t len, uint8_t asn_size);

/* Read big-endian integers. */
static inline uint16_t mrs_get16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t mrs_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
