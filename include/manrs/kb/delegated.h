/*
 * delegated.h — RIR "delegated-extended" statistics: who holds an address block or
 * an AS number, in which country, and whether it is allocated at all.
 *
 * Format (one record per line, '|' separated; see the NRO/RIR statistics format
 * description): header `version|registry|serial|records|startdate|enddate|UTCoffset`,
 * summaries `registry|*|type|*|count|summary`, records
 * `registry|cc|type|start|value|date|status[|opaque-id[|extensions...]]`, '#' comments.
 * type is asn, ipv4 or ipv6; value is the number of ASNs (asn), the number of
 * addresses (ipv4: need not be a power of two, so one record may span several CIDR
 * blocks) or the prefix length (ipv6). Status is allocated, assigned, available,
 * reserved, and in the NRO combined file also ianapool and ietf.
 *
 * Several files (one per RIR, or the NRO combined file) are loaded into one
 * mrs_deleg_db. Queries give the longest covering delegated block of a prefix (or
 * the range holding an ASN) with its registry, country and status.
 *
 * "Unallocated" (counts as a bogon for routing): status available, reserved,
 * ianapool or ietf, or not covered by any record — the last only when the loaded set
 * is complete (all five RIR files, or a file with IANA records such as the NRO
 * combined one; see mrs_deleg_is_complete), because a single RIR file says nothing
 * about the other RIRs' space.
 *
 * Bad lines are reported as `FILE:LINE: what` through mrs_diag, skipped and counted.
 */
#ifndef MANRS_DELEGATED_H
#define MANRS_DELEGATED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"

struct mrs_reader;

typedef enum mrs_deleg_status {
    MRS_DELEG_NOT_COVERED = 0,  /* no record covers the query */
    MRS_DELEG_ALLOCATED,
    MRS_DELEG_ASSIGNED,
    MRS_DELEG_AVAILABLE,
    MRS_DELEG_RESERVED,
    MRS_DELEG_IANAPOOL,         /* NRO combined file: still in the IANA pool */
    MRS_DELEG_IETF              /* NRO combined file: reserved by the IETF */
} mrs_deleg_status;

typedef enum mrs_deleg_type {
    MRS_DELEG_TYPE_ASN = 1,
    MRS_DELEG_TYPE_IPV4,
    MRS_DELEG_TYPE_IPV6
} mrs_deleg_type;

typedef struct mrs_deleg_record {
    const char *registry;   /* as written, e.g. "afrinic", "ripencc", "iana" */
    const char *opaque_id;  /* holder's opaque id, "" if absent */
    const char *file;       /* file (or mem name) the record came from */
    uint64_t line;          /* its line there */
    uint64_t value;         /* as written: ASN count / address count / IPv6 prefix length */
    uint32_t date;          /* YYYYMMDD as written, 0 if empty */
    uint32_t asn_first;     /* asn records: the range [asn_first, asn_last] */
    uint32_t asn_last;
    uint8_t start[16];      /* ipv4/ipv6 records: first address (network order) */
    char cc[4];             /* country code as written (2 letters, "ZZ", "EU") or "" */
    uint8_t type;           /* mrs_deleg_type */
    uint8_t status;         /* mrs_deleg_status */
} mrs_deleg_record;

typedef struct mrs_deleg_file_info {
    const char *name;
    char version[16];       /* header version ("2", "2.3"), "" if no header */
    char registry[16];
    uint64_t header_records;    /* count the header announces */
    uint64_t records;           /* records loaded from this file */
    uint64_t summary[4];        /* summary counts by mrs_deleg_type (index 1..3) */
    uint64_t bad_lines;         /* skipped */
    uint32_t date;              /* the header's enddate, else its serial when that is a date:
                                   YYYYMMDD, 0 = unknown (the data's "as of") */
} mrs_deleg_file_info;

typedef struct mrs_deleg_db mrs_deleg_db;

mrs_deleg_db *mrs_deleg_new(void);
void mrs_deleg_free(mrs_deleg_db *db);

/* Load one file (any compression mrs_reader handles). Returns 0, or -1 if the file
 * could not be opened/read or memory ran out (reported through d). Bad lines do
 * not fail the load. */
int mrs_deleg_load(mrs_deleg_db *db, const char *path, mrs_diag *d);
/* Same from a memory buffer (name is used in messages; the buffer may be freed after). */
int mrs_deleg_load_mem(mrs_deleg_db *db, const void *buf, size_t len, const char *name, mrs_diag *d);
/* The same from an open reader (e.g. standard input); the caller closes it. */
int mrs_deleg_load_reader(mrs_deleg_db *db, struct mrs_reader *r, mrs_diag *d);

size_t mrs_deleg_count(const mrs_deleg_db *db);
const mrs_deleg_record *mrs_deleg_record_at(const mrs_deleg_db *db, size_t i);
/* Records by type and status: counts[type][status]. */
uint64_t mrs_deleg_count_by(const mrs_deleg_db *db, mrs_deleg_type type, mrs_deleg_status status);
/* Number of CIDR blocks the IP records were split into. */
size_t mrs_deleg_block_count(const mrs_deleg_db *db);
size_t mrs_deleg_file_count(const mrs_deleg_db *db);
const mrs_deleg_file_info *mrs_deleg_file_at(const mrs_deleg_db *db, size_t i);

/* Complete = all of afrinic, apnic, arin, lacnic and ripencc were loaded, or a file
 * with registry "iana" records / ianapool status (the NRO combined file). Only a
 * complete db lets "not covered" count as unallocated. The caller may override. */
bool mrs_deleg_is_complete(const mrs_deleg_db *db);
void mrs_deleg_set_complete(mrs_deleg_db *db, bool complete);

/* True for the statuses that mean "not (yet) given to a network": available,
 * reserved, ianapool, ietf. */
bool mrs_deleg_status_unallocated(mrs_deleg_status s);
const char *mrs_deleg_status_name(mrs_deleg_status s);   /* "allocated", ..., "not-covered" */

typedef struct mrs_deleg_answer {
    mrs_deleg_status status;        /* of the longest covering block / holding range */
    const mrs_deleg_record *rec;    /* that record, NULL when not covered */
    mrs_prefix block;               /* prefix queries: the covering CIDR block */
    bool unallocated;               /* the query counts as unallocated space (see above) */
    bool partial;                   /* prefix queries, not covered: blocks lie inside the prefix */
    bool contains_unallocated;      /* partial: some space inside is unallocated (an
                                       unallocated block, or a gap in a complete db) */
    const mrs_deleg_record *inner;  /* partial: an inner record (the first unallocated
                                       one if contains_unallocated), else NULL */
} mrs_deleg_answer;

/* Look up a prefix / an ASN. Always fills *a; returns a->status. Record pointers in
 * the answer stay valid until the next load into db. */
mrs_deleg_status mrs_deleg_lookup_prefix(const mrs_deleg_db *db, const mrs_prefix *p, mrs_deleg_answer *a);
mrs_deleg_status mrs_deleg_lookup_asn(const mrs_deleg_db *db, uint32_t asn, mrs_deleg_answer *a);

#endif
