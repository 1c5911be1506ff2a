/*
 * rpki_impl.h — private layout of mrs_rpki, shared by vrp.c (loading, building),
 * rov.c (origin validation) and aspa.c (AS_PATH verification). Not installed.
 */
#ifndef MANRS_RPKI_IMPL_H
#define MANRS_RPKI_IMPL_H

#include "manrs/kb/rpki.h"
#include "manrs/core/trie.h"

/* The part of a VRP that ROV reads in its inner loop, 8 bytes. */
typedef struct rpki_vrp_entry {
    uint32_t asn;
    uint8_t maxlen;
    uint8_t pad;
    uint16_t ta;
} rpki_vrp_entry;

/* When a VRP was valid, Unix seconds (1970..2106, like MRT timestamps), 0 = unknown:
 * its ROA's EE certificate notBefore / notAfter (RFC 6488 §3, inclusive bounds per
 * RFC 5280 §4.1.2.5) or rpki-client's "expires". Kept apart from mrs_vrp and from
 * the packed ROV structures: the ROV loop never reads it, and an export without
 * times costs nothing (the array is only created by the first VRP that has one). */
typedef struct rpki_vrp_time {
    uint32_t not_before, not_after;
} rpki_vrp_time;

typedef struct rpki_aspa_pair {
    uint32_t customer, provider;
} rpki_aspa_pair;

/* ROV index entry for IPv4, and for the per-bucket lists of short VRPs of both
 * families: the prefix bits below the bucket (IPv4: bits 16..31), the length, the
 * maxLength and the ASN. In a list of short VRPs the first entry is a header whose
 * asn field holds the number of entries that follow. */
typedef struct rov_entry4 {
    uint16_t low;
    uint8_t len;
    uint8_t maxlen;
    uint32_t asn;
} rov_entry4;

/* An IPv4 /16 bucket. Buckets with more than RPKI_BIG_BUCKET long VRPs also get a
 * table of their 256 /24 blocks. */
typedef struct rov_bucket4 {
    uint32_t start;          /* first long VRP in v4_long */
    uint32_t short_off;      /* list of the VRPs of length <= 16 covering the /16 */
    uint32_t block;          /* 1 + index of the first of its 256 rov_block4, or 0 for none */
} rov_bucket4;

/* A /24 block of a big bucket. */
typedef struct rov_block4 {
    uint32_t list_off;       /* list of the VRPs of length <= 24 covering the /24 */
    uint32_t first;          /* first long VRP of the bucket with address >= the /24 */
} rov_block4;

#define RPKI_BIG_BUCKET 64

/* ROV index entry for IPv6 VRPs of length >= 32: bits 32..95 and 96..127. */
typedef struct rov_entry6 {
    uint64_t mid;
    uint32_t low;
    uint8_t len;
    uint8_t maxlen;
    uint16_t pad;
    uint32_t asn;
    uint32_t pad2;
} rov_entry6;

/* Hash slot of an IPv6 /32 that holds VRPs of length >= 32. */
typedef struct rov_slot6 {
    uint32_t key;            /* bits 0..31 */
    uint32_t used;
    uint32_t start, end;     /* its entries in v6_long */
    uint32_t short_off;      /* list of the VRPs shorter than /32 covering this /32 */
} rov_slot6;

#define RPKI_MAX_TA 1024   /* distinct trust-anchor names kept; more are recorded as 0 */

struct mrs_rpki {
    /* VRPs as added; after a build: sorted by prefix, ASN, maxLength and unique. */
    mrs_vrp *vrp;
    size_t nvrp, capvrp;
    size_t nsorted;          /* leading part of vrp[] already sorted and unique */
    /* vtime[i] is the validity of vrp[i] (capvtime follows capvrp); NULL until a
     * VRP with a validity is added. */
    rpki_vrp_time *vtime;
    size_t capvtime;
    /* When the loaded exports were made (mrs_rpki_period): every input so far was
     * made at or after made_first and at or before made_last; 0 = unknown. */
    int64_t made_first, made_last;
    size_t made_inputs;
    /* Trust anchor names; index 0 is "". */
    char **ta;
    size_t nta;
    /* ASPA staging: every (customer, provider) pair, and every customer (an ASPA
     * may list no provider besides AS 0). */
    rpki_aspa_pair *pair;
    size_t npair, cappair;
    uint32_t *cust_raw;
    size_t ncust_raw, capcust_raw;

    /* Built structures. */
    bool built;
    mrs_trie *trie;          /* VRP prefix -> group index g */
    uint32_t *group;         /* VRPs of group g are vrp[group[g] .. group[g+1]-1] */
    size_t ngroup;
    rpki_vrp_entry *ent;     /* ent[i] mirrors vrp[i], packed for the ROV loop */
    uint32_t *cust;          /* sorted distinct customer ASes */
    uint32_t *cust_start;    /* providers of cust[i]: prov[cust_start[i] .. cust_start[i+1]-1] */
    uint32_t *prov;          /* sorted within each customer */
    size_t ncust;

    /* ROV index (rov_index.c): VRPs split at /16 (IPv4) or /32 (IPv6). A route
     * looks at one list of the short VRPs covering its bucket and one contiguous,
     * sorted run of the longer VRPs inside its bucket. */
    rov_bucket4 *v4_bucket;  /* 65537: long VRPs of /16 b are v4_long[bucket[b].start .. bucket[b+1].start-1] */
    rov_block4 *v4_block;    /* 256 per big bucket */
    size_t nblock;
    rov_entry4 *v4_long;
    rov_entry4 *list;        /* short-VRP lists of both families */
    size_t nlist, caplist;
    rov_slot6 *v6_slot;      /* open addressing, v6_mask + 1 slots */
    size_t v6_mask;
    rov_entry6 *v6_long;
    mrs_trie *v6_short;      /* IPv6 VRP prefixes shorter than /32 -> group, for /32s without a slot */
};

int rpki_rov_index_build(mrs_rpki *r);

/* vrp_time.c: a time of a VRP export ("1627568318", "2019-07-18 11:40:32",
 * "2021-07-27T18:56:02Z"); false when malformed or outside 0..UINT32_MAX. */
bool rpki_time_parse(const char *s, size_t n, uint32_t *t);
/* After an input was loaded (its VRPs are vrp[from .. nvrp-1]): fold the time it
 * was made into made_first/made_last. made: the export's own timestamp, 0 if none. */
void rpki_note_period(mrs_rpki *r, size_t from, uint32_t made);

static inline uint32_t rpki_be32(const uint8_t *a)
{
    return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

/* Hash of an IPv6 /32 for the v6_slot table. */
static inline uint32_t rpki_hash32(uint32_t k)
{
    k ^= k >> 16;
    k *= 0x7feb352dU;
    k ^= k >> 15;
    k *= 0x846ca68bU;
    return k ^ (k >> 16);
}
void rpki_rov_index_free(mrs_rpki *r);

/* CSV VRP exports line by line (vrp.c), for mrs_rpki_load_mem and the streaming
 * file loader (vrp_file.c): begin, every line (without its '\n'; split in place,
 * so writable) in order, end. rpki_csv_line returns -1 when the load must stop
 * (no header where one is due: not a VRP export; out of memory). */
typedef struct csv_cols {
    int asn, prefix, maxlen, ta, uri;
    int not_before, not_after, expires;     /* RIPE NCC validator; rpki-client */
} csv_cols;
typedef struct rpki_csv {
    mrs_rpki *r;
    const char *name;
    mrs_diag *d;
    mrs_rpki_load_stats *st;
    csv_cols c;
    bool have_header;
    uint64_t lineno;
    size_t from;
} rpki_csv;
void rpki_csv_begin(rpki_csv *cs, mrs_rpki *r, const char *name, mrs_diag *d, mrs_rpki_load_stats *st);
int rpki_csv_line(rpki_csv *cs, char *line, size_t n);
int rpki_csv_end(rpki_csv *cs);
/* mrs_text_sniff for VRP files: JSON ('{') or a CSV header on the first line
 * that is not blank or a comment. */
const char *rpki_sniff(const char *p, size_t n);

#endif
