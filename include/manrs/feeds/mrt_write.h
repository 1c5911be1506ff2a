/*
 * mrt_write.h — encoding BGP messages and MRT records (RFC 4271, RFC 4760,
 * RFC 6396, RFC 6793, RFC 8050). Used by the tests (round trips and crafted damage),
 * `make demo`, and the simulated Internet, which writes its RIBs and updates as
 * real MRT files for every other command (and for bgpdump) to read.
 */
#ifndef MANRS_MRT_WRITE_H
#define MANRS_MRT_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/prefix.h"

/* A growable byte buffer. Out of memory is sticky (core/grow.h): oom is set,
 * later puts are dropped, and mrt_write_bytes refuses the buffer. */
typedef struct mrs_bytes {
    uint8_t *p;
    size_t len, cap;
    bool oom;
} mrs_bytes;

void mrs_bytes_init(mrs_bytes *b);
void mrs_bytes_clear(mrs_bytes *b);
void mrs_bytes_put(mrs_bytes *b, const void *data, size_t n);
void mrs_bytes_u8(mrs_bytes *b, uint8_t v);
void mrs_bytes_u16(mrs_bytes *b, uint16_t v);
void mrs_bytes_u32(mrs_bytes *b, uint32_t v);

/* What a route carries, for encoding. Absent values: has_* false / n == 0. */
typedef struct bgp_route {
    uint8_t origin;                 /* 0 IGP, 1 EGP, 2 INCOMPLETE */
    const uint32_t *path;           /* AS_SEQUENCE, neighbour first */
    unsigned path_len;
    const uint32_t *origin_set;     /* optional trailing AS_SET */
    unsigned origin_set_len;
    unsigned next_hop_afi;          /* MRS_AFI_IPV4 / MRS_AFI_IPV6 */
    uint8_t next_hop[16];
    bool has_med, has_local_pref, atomic_aggregate, has_aggregator, has_otc;
    uint32_t med, local_pref, aggregator_as, otc;
    uint8_t aggregator_ip[4];
    const uint32_t *communities;    /* RFC 1997 values */
    unsigned n_communities;
    const uint32_t *large;          /* RFC 8092 triples, 3 values each */
    unsigned n_large;
} bgp_route;

/* Append one path attribute (flags adjusted for the extended length). */
void bgp_put_attr(mrs_bytes *b, uint8_t flags, uint8_t type, const void *data, size_t len);
/* Append the path attributes of r. asn_size 2 writes AS_TRANS plus AS4_PATH for
 * ASNs above 65535 (RFC 6793 §4.2.2). mp: NLRI for MP_REACH_NLRI (IPv6 routes),
 * or in a RIB entry (rib_entry) the abbreviated next-hop-only form. */
void bgp_put_route_attrs(mrs_bytes *b, const bgp_route *r, uint8_t asn_size, const mrs_prefix *mp_nlri,
                         unsigned n_mp, bool rib_entry);
/* Append a prefix in NLRI encoding (RFC 4271 §4.3), with a path id if addpath. */
void bgp_put_nlri(mrs_bytes *b, const mrs_prefix *p, bool addpath, uint32_t path_id);
/* Append a whole BGP UPDATE message (marker, length, type, body). IPv4 prefixes go
 * in the classic fields, IPv6 ones in MP_REACH/MP_UNREACH. r may be NULL for a
 * withdrawal-only UPDATE. */
void bgp_put_update(mrs_bytes *b, const mrs_prefix *withdrawn, unsigned n_withdrawn, const bgp_route *r,
                    const mrs_prefix *announced, unsigned n_announced, uint8_t asn_size);

/* MRT output, plain or gzip (by the file name ending in .gz; deterministic: no
 * time stamp in the gzip header). */
typedef struct mrt_writer mrt_writer;
mrt_writer *mrt_writer_open(const char *path, char *err, size_t errlen);
/* Write into memory instead (tests): the bytes are in *mem after each call. */
mrt_writer *mrt_writer_open_mem(mrs_bytes *mem);
/* One record; for _ET types usec is written and counted in the length (RFC 6396 §3). */
bool mrt_write_record(mrt_writer *w, uint32_t ts, uint32_t usec, uint16_t type, uint16_t subtype, const void *body,
                      size_t len);
/* The same with a built body; false (and the writer failed) if building it ran
 * out of memory. */
bool mrt_write_bytes(mrt_writer *w, uint32_t ts, uint32_t usec, uint16_t type, uint16_t subtype, const mrs_bytes *b);
/* Returns false if any write failed. */
bool mrt_writer_close(mrt_writer *w);

/* Record bodies. */
typedef struct mrt_peer_entry {
    unsigned afi;
    uint8_t ip[16];
    uint32_t asn;
    uint8_t bgp_id[4];
} mrt_peer_entry;
void mrt_put_peer_index(mrs_bytes *b, const uint8_t collector_id[4], const char *view, const mrt_peer_entry *peers,
                        unsigned n);
/* TABLE_DUMP_V2 RIB_IPV4_UNICAST / RIB_IPV6_UNICAST body start; then for each entry
 * mrt_put_rib_entry. Returns the position of the entry count to patch. */
size_t mrt_put_rib_header(mrs_bytes *b, uint32_t seq, const mrs_prefix *p);
void mrt_put_rib_entry(mrs_bytes *b, uint16_t peer_index, uint32_t originated, const bgp_route *r,
                       const mrs_prefix *p);
void mrt_patch_u16(mrs_bytes *b, size_t pos, uint16_t v);
/* BGP4MP(_ET) MESSAGE_AS4 body around a BGP message. */
void mrt_put_bgp4mp_message(mrs_bytes *b, uint32_t peer_as, uint32_t local_as, unsigned afi, const uint8_t *peer_ip,
                            const uint8_t *local_ip, const uint8_t *msg, size_t msg_len, bool as4);
void mrt_put_bgp4mp_state(mrs_bytes *b, uint32_t peer_as, uint32_t local_as, unsigned afi, const uint8_t *peer_ip,
                          const uint8_t *local_ip, uint16_t old_state, uint16_t new_state);

#endif
