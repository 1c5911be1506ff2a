/*
 * as2org.h — AS-to-Organization: which ASes one organisation runs (siblings), so
 * that leak, hijack and forged-path detection can treat them as one network.
 *
 * Input: CAIDA's "AS Organizations" dataset (https://www.caida.org/catalog/datasets/as-organizations/),
 * in either of its two formats, detected from the content (the first non-empty line
 * starting with '{' means JSON Lines), never from the file name:
 *   pipe-separated: sections introduced by comment lines
 *       # format:org_id|changed|org_name|country|source
 *       # format:aut|changed|aut_name|org_id|source              (until about 2014)
 *       # format:aut|changed|aut_name|org_id|opaque_id|source    (since)
 *     The field positions are taken from the last format line, so a column added
 *     later does not shift the others. Other '#' lines are comments.
 *   JSON Lines: one object per line, "type":"Organization" (organizationId, name,
 *     country, source, changed) or "type":"ASN" (asn as a string or a number, name,
 *     organizationId, opaqueId, source, changed).
 * Any compression mrs_reader handles (gzip, bzip2, xz, zstd). CRLF line ends and a
 * UTF-8 byte order mark are accepted.
 *
 * Bad lines (wrong field count, a record before any format line, JSON that is not
 * an object, an unknown "type", an ASN that is not a decimal number below 2^32, a
 * missing organisation id) are errors `FILE:LINE: what`, skipped and counted in
 * stats.skipped; a format line without an org_id column (or, for ASNs, an aut
 * column) is one error, and the records under it are ignored. An ASN given again with another organisation is a warning: the
 * later record wins and stats.conflicts counts it. An organisation record given
 * again overwrites the name, country, source and date of the earlier one. ASN
 * records may name organisations that no Organization record describes: the
 * organisation then exists with its id only (name and country "").
 *
 * Organisations have dense indices 0 .. org_count-1 in order of first appearance;
 * MRS_AS2ORG_NONE means "unknown". Storage: ASN -> organisation in one mrs_map64,
 * organisation id -> index in another (keyed by a hash of the id, collisions
 * resolved by comparing), strings in one arena; no allocation per record.
 *
 * Groups: other sources (PeeringDB, see mrs_peeringdb_add_orgs) may know that two
 * organisations are one; mrs_as2org_join records that, and siblings() then holds
 * across the joined organisations (union-find over organisations).
 */
#ifndef MANRS_KB_AS2ORG_H
#define MANRS_KB_AS2ORG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"

struct mrs_reader;

#define MRS_AS2ORG_NONE UINT32_MAX   /* no organisation known */

typedef struct mrs_as2org mrs_as2org;

/* Counted over every load of the object (and add/join calls). */
typedef struct mrs_as2org_stats {
    uint64_t orgs;          /* organisation records accepted */
    uint64_t asns;          /* ASN records accepted (an ASN listed twice counts twice) */
    uint64_t skipped;       /* bad lines reported as errors and skipped */
    uint64_t conflicts;     /* an ASN given again with another organisation (later kept) */
} mrs_as2org_stats;

mrs_as2org *mrs_as2org_new(void);       /* NULL when out of memory */
void mrs_as2org_free(mrs_as2org *o);

/* Load a CAIDA file (either format, any compression) / a memory buffer (not
 * compressed) / an open reader (the caller closes it). Several loads accumulate.
 * name (or path) is used in messages and for the date (mrs_as2org_date). Returns 0,
 * or -1 only when the file cannot be read (cannot open, damaged compressed stream:
 * the lines before the damage are kept) or memory runs out; bad lines do not fail
 * the load. */
int mrs_as2org_load(mrs_as2org *o, const char *path, mrs_diag *d);
int mrs_as2org_load_mem(mrs_as2org *o, const void *buf, size_t len, const char *name, mrs_diag *d);
int mrs_as2org_load_reader(mrs_as2org *o, struct mrs_reader *r, mrs_diag *d);

/* Map asn to the organisation org_id (created with source `source`, which may be
 * NULL, if it is new). The later call wins, as for records in a file. Returns 0
 * (added or already so), 1 (asn had another organisation: replaced, counted as a
 * conflict), -1 (org_id NULL or empty, or out of memory). */
int mrs_as2org_add(mrs_as2org *o, uint32_t asn, const char *org_id, const char *source);
/* Another source's grouping: asn belongs to org_id too. If asn has no organisation
 * yet it gets org_id; if it has another one, the two organisations (and everything
 * joined to them before) become one group — nothing is replaced. Returns 0, -1 (as
 * above). */
int mrs_as2org_join(mrs_as2org *o, uint32_t asn, const char *org_id, const char *source);

/* The organisation asn's record names, MRS_AS2ORG_NONE if asn is not in the data. */
uint32_t mrs_as2org_org(const mrs_as2org *o, uint32_t asn);
/* The group of an organisation: one organisation index shared by every
 * organisation joined to it (org itself when nothing was joined);
 * MRS_AS2ORG_NONE for MRS_AS2ORG_NONE or an index out of range. */
uint32_t mrs_as2org_group(const mrs_as2org *o, uint32_t org);
/* a != b and both ASes belong to the same organisation or group. */
bool mrs_as2org_siblings(const mrs_as2org *o, uint32_t a, uint32_t b);

/* Organisation attributes for reports. NULL for an index out of range; "" when
 * the data did not say (no Organization record, empty field). The strings live as
 * long as the object. country is as given (ISO 3166 alpha-2 in CAIDA's files). */
const char *mrs_as2org_org_id(const mrs_as2org *o, uint32_t org);
const char *mrs_as2org_org_name(const mrs_as2org *o, uint32_t org);
const char *mrs_as2org_country(const mrs_as2org *o, uint32_t org);
const char *mrs_as2org_source(const mrs_as2org *o, uint32_t org);

size_t mrs_as2org_asn_count(const mrs_as2org *o);   /* distinct ASNs */
size_t mrs_as2org_org_count(const mrs_as2org *o);   /* organisations, described or only named */
void mrs_as2org_get_stats(const mrs_as2org *o, mrs_as2org_stats *st);

/* The date of the data as YYYYMMDD (e.g. 20080402), 0 if unknown: taken from the
 * file name when its last path component starts with 8 digits forming a valid
 * date (CAIDA names files 20080402.as-org2info.txt.gz), else the latest valid
 * "changed" of any record. Over several loads: the latest file-name date, else the
 * latest "changed". */
uint32_t mrs_as2org_date(const mrs_as2org *o);

#endif
