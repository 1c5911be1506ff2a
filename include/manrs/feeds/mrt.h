/*
 * mrt.h — reading MRT routing information export files (RFC 6396, RFC 8050).
 *
 * Two layers, kept apart so each can be fuzzed and reused:
 *   1. Framing (mrt_reader): splits a (possibly compressed) stream into records.
 *      It validates each common header and, when framing is broken by damage in
 *      the file, resynchronises on the next plausible header instead of giving up,
 *      reporting exactly which byte range was skipped.
 *   2. Decoding (mrt_decoder): turns one record into route events (RIB entries,
 *      announcements, withdrawals, peer state changes) by calling a callback.
 *      BGP messages and attributes are decoded by the shared BGP decoder (bgp.h),
 *      the same one a BMP receiver uses.
 *
 * Events point into the record buffer (zero copy); they are valid only during the
 * callback.
 */
#ifndef MANRS_MRT_H
#define MANRS_MRT_H

#include <stdbool.h>
#include <stdint.h>

#include "manrs/feeds/bgp.h"
#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"

/* MRT types (RFC 6396 §4; 5 = deprecated BGP type of older archives) */
enum {
    MRT_BGP = 5,
    MRT_TABLE_DUMP = 12,
    MRT_TABLE_DUMP_V2 = 13,
    MRT_BGP4MP = 16,
    MRT_BGP4MP_ET = 17,
    MRT_ISIS = 32,
    MRT_ISIS_ET = 33,
    MRT_OSPFV3 = 48,
    MRT_OSPFV3_ET = 49,
};

/* TABLE_DUMP_V2 subtypes (RFC 6396 §4.3, RFC 8050 §3) */
enum {
    MRT_TD2_PEER_INDEX_TABLE = 1,
    MRT_TD2_RIB_IPV4_UNICAST = 2,
    MRT_TD2_RIB_IPV4_MULTICAST = 3,
    MRT_TD2_RIB_IPV6_UNICAST = 4,
    MRT_TD2_RIB_IPV6_MULTICAST = 5,
    MRT_TD2_RIB_GENERIC = 6,
    MRT_TD2_GEO_PEER_TABLE = 7,
    MRT_TD2_RIB_IPV4_UNICAST_ADDPATH = 8,
    MRT_TD2_RIB_IPV4_MULTICAST_ADDPATH = 9,
    MRT_TD2_RIB_IPV6_UNICAST_ADDPATH = 10,
    MRT_TD2_RIB_IPV6_MULTICAST_ADDPATH = 11,
    MRT_TD2_RIB_GENERIC_ADDPATH = 12,
};

/* BGP4MP subtypes (RFC 6396 §4.4, RFC 8050 §3) */
enum {
    MRT_BGP4MP_STATE_CHANGE = 0,
    MRT_BGP4MP_MESSAGE = 1,
    MRT_BGP4MP_ENTRY = 2,            /* obsolete, never standardised */
    MRT_BGP4MP_SNAPSHOT = 3,         /* obsolete */
    MRT_BGP4MP_MESSAGE_AS4 = 4,
    MRT_BGP4MP_STATE_CHANGE_AS4 = 5,
    MRT_BGP4MP_MESSAGE_LOCAL = 6,
    MRT_BGP4MP_MESSAGE_AS4_LOCAL = 7,
    MRT_BGP4MP_MESSAGE_ADDPATH = 8,
    MRT_BGP4MP_MESSAGE_AS4_ADDPATH = 9,
    MRT_BGP4MP_MESSAGE_LOCAL_ADDPATH = 10,
    MRT_BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH = 11,
};

/* Deprecated type 5 (BGP) subtypes, found in RIPE RIS files of 1999-2001 */
enum {
    MRT_BGP_NULL = 0,
    MRT_BGP_UPDATE = 1,
    MRT_BGP_PREF_UPDATE = 2,
    MRT_BGP_STATE_CHANGE = 3,
    MRT_BGP_SYNC = 4,
    MRT_BGP_OPEN = 5,
    MRT_BGP_NOTIFY = 6,
    MRT_BGP_KEEPALIVE = 7,
};

/* ---------------------------------------------------------------- framing */

typedef struct mrt_record {
    uint64_t offset;           /* decompressed offset of the common header */
    uint32_t timestamp;
    uint32_t usec;             /* microseconds of _ET types (RFC 6396 §3), else 0 */
    uint16_t type, subtype;
    uint32_t length;           /* body length (the ET microseconds not included) */
    const uint8_t *body;       /* valid until the next mrt_read */
} mrt_record;

typedef struct mrt_reader_stats {
    uint64_t records;          /* records returned */
    uint64_t bytes;            /* decompressed bytes consumed */
    uint64_t resyncs;          /* times framing was lost and found again */
    uint64_t bytes_skipped;    /* bytes skipped while resynchronising */
    uint64_t truncated;        /* 1 if the input ended inside a record */
    uint64_t length_fixes;     /* records whose length field was corrected */
} mrt_reader_stats;

typedef struct mrt_reader mrt_reader;
struct mrs_reader;

/* Open a file (any compression; "-" = stdin). Problems in the data go to diag.
 * Returns NULL if the file cannot be opened, the reason in err without the file
 * name ("No such file or directory"): report it as mrs_diag_error_file(diag, path, ...). */
mrt_reader *mrt_reader_open(const char *path, mrs_diag *diag, char *err, size_t errlen);
/* Read MRT from memory (fuzzers, tests). */
mrt_reader *mrt_reader_open_mem(const void *buf, size_t len, const char *name, mrs_diag *diag);
/* Next record: 1 = got one, 0 = end of input (damage at the end is reported to diag). */
int mrt_read(mrt_reader *r, mrt_record *rec);
const mrt_reader_stats *mrt_reader_get_stats(const mrt_reader *r);
const char *mrt_reader_name(const mrt_reader *r);
/* Progress: raw bytes consumed and raw size (0 if unknown). */
void mrt_reader_progress(const mrt_reader *r, uint64_t *raw_done, uint64_t *raw_total);
void mrt_reader_close(mrt_reader *r);

/* Is (type, subtype) one this module knows? */
bool mrt_type_known(uint16_t type, uint16_t subtype);
const char *mrt_type_name(uint16_t type);
const char *mrt_subtype_name(uint16_t type, uint16_t subtype);

/* ---------------------------------------------------------------- decoding */

typedef enum mrt_event_kind {
    MRT_EV_RIB = 1,            /* a RIB entry (TABLE_DUMP, TABLE_DUMP_V2) */
    MRT_EV_ANNOUNCE,           /* prefix announced in an UPDATE */
    MRT_EV_WITHDRAW,           /* prefix withdrawn in an UPDATE */
    MRT_EV_STATE,              /* BGP FSM state change of a collector peer */
} mrt_event_kind;

typedef enum mrt_nlri_source {
    MRT_NLRI_RIB = 0,          /* the prefix of a RIB record */
    MRT_NLRI_PLAIN,            /* IPv4 NLRI / withdrawn routes fields of the UPDATE */
    MRT_NLRI_MP,               /* MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760) */
} mrt_nlri_source;

typedef struct mrt_peer {
    uint16_t afi;              /* address family of ip */
    uint8_t ip[16];
    uint32_t asn;
    uint8_t bgp_id[4];         /* TABLE_DUMP_V2 peer index table only */
    bool ip_known;             /* false for damaged Zebra 8-byte state changes */
} mrt_peer;

typedef struct mrt_event {
    mrt_event_kind kind;
    const mrt_record *rec;
    mrt_peer peer;             /* the collector's BGP neighbour */
    mrt_peer local;            /* BGP4MP: the collector side of the session */
    bool local_msg;            /* BGP4MP_MESSAGE_*LOCAL: sent by the collector */
    bool addpath;              /* path_id meaningful (RFC 7911 / RFC 8050) */
    mrt_nlri_source source;
    uint8_t safi;
    bgp_prefix prefix;         /* RIB / ANNOUNCE / WITHDRAW */
    const bgp_attrs *attrs;    /* RIB / ANNOUNCE (NULL otherwise) */
    const bgp_mp_reach *mp;    /* ANNOUNCE from MP_REACH_NLRI: its next hop */
    uint32_t originated;       /* RIB: originated time */
    uint16_t old_state, new_state; /* STATE (RFC 4271 §8.2.2 FSM numbering) */
} mrt_event;

typedef void (*mrt_event_fn)(const mrt_event *ev, void *user);

typedef struct mrt_decoder_stats {
    uint64_t records_by_type[64];  /* index: type (types >= 64 counted in [63]) */
    uint64_t records_by_subtype[64][16]; /* [type][subtype], subtypes >= 15 counted in [15] */
    uint64_t rib_entries, announcements, withdrawals, state_changes;
    uint64_t records_damaged;      /* records (or RIB entries) skipped because of damage */
    uint64_t records_cut;          /* BGP messages cut by the collector at its 4 096-byte record
                                      limit (Zebra-era RouteViews: a whole day of 2008 has ~115):
                                      skipped with a warning, not damage */
    uint64_t records_unsupported;  /* known but not decoded (e.g. OSPF, obsolete subtypes) */
    uint64_t records_unknown;      /* unknown type/subtype */
    uint64_t messages_other;       /* OPEN / NOTIFICATION / KEEPALIVE / ROUTE-REFRESH */
} mrt_decoder_stats;

typedef struct mrt_decoder mrt_decoder;

mrt_decoder *mrt_decoder_new(mrs_diag *diag);
/* Name used in messages (the file being decoded). Resets the peer index table. */
void mrt_decoder_begin_file(mrt_decoder *d, const char *name);
/* Decode one record, calling fn for each event. Returns 0 if decoded (possibly
 * with warnings), -1 if the record (or part of it) was damaged and skipped
 * (reported to diag), 1 if it was of a type not decoded (counted). */
int mrt_decode(mrt_decoder *d, const mrt_record *rec, mrt_event_fn fn, void *user);
const mrt_decoder_stats *mrt_decoder_get_stats(const mrt_decoder *d);
void mrt_decoder_free(mrt_decoder *d);

/* TABLE_DUMP_V2 peer index table currently loaded (for stats). */
unsigned mrt_decoder_peer_count(const mrt_decoder *d);

/* ---------------------------------------------------------------- whole files */

typedef struct mrt_scan_result {
    uint64_t records;          /* records framed */
    uint64_t damaged;          /* records or RIB entries skipped because of damage */
    uint64_t bytes_skipped;    /* bytes skipped by framing resynchronisation */
    uint64_t resyncs;
    uint64_t cut;              /* records_cut of this file */
    bool truncated;            /* input ended inside a record */
    bool open_failed;
} mrt_scan_result;

/* Read every record of one file, decode it with d and call fn per event.
 * With progress, a status line (records/s, % of file) is redrawn on stderr
 * (callers pass isatty(2)). Errors go to diag. Returns false if the file could
 * not be opened. */
bool mrt_scan_file(const char *path, mrt_decoder *d, mrs_diag *diag, bool progress, mrt_event_fn fn, void *user,
                   mrt_scan_result *res);

/* ---------------------------------------------------------------- following */

/* MRT as it is written: a plain file that grows (records read as they are
 * appended, from its end at the start; a file replaced or truncated is read from
 * its start), or a directory that receives whole files (each new one read once,
 * in name order, any compression; names starting with '.' or ending in ".part"
 * are temporary and skipped; the files there at the start are history, not read). */
typedef struct mrs_mrt_follow mrs_mrt_follow;
mrs_mrt_follow *mrs_mrt_follow_new(const char *path, mrs_diag *diag, char *err, size_t errlen);
/* Read what is new, calling fn per event (d decodes). Returns the records read. */
long mrs_mrt_follow_poll(mrs_mrt_follow *f, mrt_decoder *d, mrt_event_fn fn, void *user);
void mrs_mrt_follow_free(mrs_mrt_follow *f);

#endif
