/*
 * route_event_codec.h — the neutral route event (route_event.h) as a compact binary
 * message, for carrying events between processes (`manrs feed` publishes them on
 * NATS JetStream, docs/scale.md), and the partition (subject) an event belongs to.
 *
 * Message layout, version 1, little-endian, self-delimiting (the total length is
 * in the header, so messages can also be concatenated):
 *
 *   off size field
 *     0   1  version (1)
 *     1   1  kind (mrs_route_event_kind, 1..4)
 *     2   1  flags: 0x01 peer_known, 0x02 host_bits, 0x04 has_otc, 0x08 blackhole,
 *                   0x10 peer address is 16 bytes (else 4), 0x20 prefix address is
 *                   16 bytes (else 4); the other bits must be 0
 *     3   1  safi
 *     4   4  total length of the message, header included
 *     8   4  time
 *    12   4  peer ASN
 *    16   2  peer AFI
 *    18   2  old_state
 *    20   2  new_state
 *    22   1  prefix AFI (0: no prefix, 1 IPv4, 2 IPv6)
 *    23   1  prefix length (0..32 or 0..128; 0 without a prefix)
 *    24   4  path_id
 *    28   4  OTC
 *    32   8  offset (byte offset of the record in its source)
 *    40   2  source name length S (bytes, no NUL; at most 4095)
 *    42   2  0
 *    44   4  AS path word count N
 *    48   .  peer address (4 or 16 bytes), prefix address (4 or 16 bytes),
 *            source name (S bytes) and a NUL, zero padding to a multiple of 4,
 *            the N path words (route_event.h's decoded AS path, 4 bytes each)
 *
 * An IPv4 address (peer or prefix) whose bytes 4..15 are zero is sent as 4 bytes;
 * anything else as 16, so that decode(encode(ev)) equals ev bit for bit.
 */
#ifndef MANRS_FEEDS_ROUTE_EVENT_CODEC_H
#define MANRS_FEEDS_ROUTE_EVENT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/feeds/route_event.h"

#define MRS_REV_VERSION 1
#define MRS_REV_HEADER 48
#define MRS_REV_MAX_SOURCE 4095
/* An AS_PATH attribute holds at most 65535 bytes: fewer than 32768 words. */
#define MRS_REV_MAX_WORDS 32768u
/* The longest message there can be. */
#define MRS_REV_MAX_MSG (MRS_REV_HEADER + 32 + MRS_REV_MAX_SOURCE + 1 + 3 + 4 * MRS_REV_MAX_WORDS)

/* Encode ev into buf (cap bytes). Returns the message length; when that is more
 * than cap nothing useful was written (call again with a buffer that large).
 * Returns 0 when ev cannot be encoded (source name too long, path longer than
 * MRS_REV_MAX_WORDS, prefix length beyond its family, no source). */
size_t mrs_rev_encode(const mrs_route_event *ev, uint8_t *buf, size_t cap);

/* Decode one message from msg[0..n). ev->source points into msg; ev->path.w points
 * into msg when the words are 4-byte aligned there (and the host is little-endian),
 * else into words (MRS_REV_MAX_WORDS entries, may be NULL: then such a message is
 * an error). Returns the message's length (<= n; the rest may be another message),
 * or 0 when the bytes are not a valid message: *field names what is wrong (a
 * static string, e.g. "version", "length", "source"). Never reads outside msg. */
size_t mrs_rev_decode(const uint8_t *msg, size_t n, mrs_route_event *ev, uint32_t *words, const char **field);

/* ---------------------------------------------------------------- subjects */

/* The partition of an event: everything about one prefix and its more-specifics
 * lands in one subject.
 *   IPv4: STREAM_PREFIX.v4.<first octet, decimal>     (the covering /8)
 *   IPv6: STREAM_PREFIX.v6.<first 16 bits, 4 hex>     (the covering /16)
 *   no prefix (PEER_STATE): STREAM_PREFIX.ctl
 * A prefix shorter than /8 (/16) goes to the partition of its first address's /8
 * (/16): its more-specifics in the other /8s are in other partitions (docs/scale.md).
 * base is e.g. "manrs.ev.manrs". Returns the length written (as snprintf). */
int mrs_rev_subject(const char *base, const mrs_route_event *ev, char *out, size_t cap);
/* The partition number behind a subject: 0..255 IPv4, 256..65791 IPv6, 65792 ctl;
 * -1 when the event has an unknown family. */
#define MRS_REV_PARTITIONS (256 + 65536 + 1)
long mrs_rev_partition(const mrs_route_event *ev);

/* A 64-bit digest of one event (FNV-1a over its encoding, mixed): two events with
 * the same digest are, with overwhelming odds, equal bit for bit. 0 if it cannot be
 * encoded. scratch must hold cap bytes (MRS_REV_MAX_MSG is always enough). */
uint64_t mrs_rev_digest(const mrs_route_event *ev, uint8_t *scratch, size_t cap);

/* ---------------------------------------------------------------- batches */

/* A message on the event stream (a batch) is one of
 *   - events back to back (its first byte is MRS_REV_VERSION), or
 *   - a compressed batch: byte 0 MRS_REVB_ZSTD, bytes 1..3 zero, bytes 4..7 the
 *     length L of the events back to back (little-endian, 1..MRS_REVB_MAX_RAW),
 *     then one zstd frame (RFC 8878) of exactly those L bytes, with its content
 *     size and content checksum in it, nothing after it.
 * Events repeat peers, sources and paths: a compressed batch is 4-8 times smaller,
 * which is what the server stores and delivers (docs/scale.md "Batches"). */
#define MRS_REVB_ZSTD 0x5a
#define MRS_REVB_HEADER 8
#define MRS_REVB_MAX_RAW (64u << 20)

/* A compressor (one per thread): zero it before the first use. */
typedef struct mrs_rev_packer {
    void *cctx;
    uint8_t *buf;
    size_t cap;
    int level;                 /* zstd level; 0: 1 */
} mrs_rev_packer;
void mrs_rev_packer_free(mrs_rev_packer *p);
/* The batch to publish for the events raw[0..n) back to back: a compressed batch
 * in p's buffer, or raw itself when compressing does not make it smaller (or n is
 * 0 or beyond MRS_REVB_MAX_RAW). *len its length; NULL when out of memory. */
const uint8_t *mrs_rev_batch_pack(mrs_rev_packer *p, const uint8_t *raw, size_t n, size_t *len);

/* A decompressor (one per thread): zero it before the first use. Its buffer grows
 * to the longest batch met (MRS_REVB_MAX_RAW at most). */
typedef struct mrs_rev_unpacker {
    void *dctx;
    uint8_t *buf;
    size_t cap;
} mrs_rev_unpacker;
void mrs_rev_unpacker_free(mrs_rev_unpacker *u);
/* The events back to back of the batch msg[0..n): msg itself when it is not
 * compressed, else u's buffer (valid until its next use). NULL when the batch is
 * malformed (*field says what: "batch header", "batch length", "batch (zstd: ...)",
 * a static string) or memory runs out. Never reads outside msg. */
const uint8_t *mrs_rev_batch_events(mrs_rev_unpacker *u, const uint8_t *msg, size_t n, size_t *len,
                                    const char **field);

#endif
