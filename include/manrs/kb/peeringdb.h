/*
 * peeringdb.h — PeeringDB network records: the points of contact an operator
 * publishes (MANRS Action 3, metric M8; `manrs check` also reads their dates).
 * Hostile input is expected: every bad record is reported `FILE: record N: what`
 * through mrs_diag, skipped and counted; the rest loads. Files go through
 * mrs_reader (any compression).
 */
#ifndef MANRS_KB_PEERINGDB_H
#define MANRS_KB_PEERINGDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"

struct mrs_as2org;

/* ---- PeeringDB: /net?depth=2 shape {"data":[{asn, poc_set:[{role, email, ...}]}]} */
typedef struct mrs_pdb_net {
    uint32_t asn;
    bool poc_email;             /* a poc with a non-empty e-mail */
    uint32_t poc_updated;       /* newest "updated" of those pocs, else the net's "poc_updated";
                                   days since 1970-01-01, 0 = unknown */
    uint32_t org_id;            /* the net's "org_id" (PeeringDB organisation), 0 = none;
                                   records of one ASN naming different ones: the smallest */
} mrs_pdb_net;

typedef struct mrs_peeringdb {
    mrs_pdb_net *v;             /* sorted by ASN, unique (poc flags OR-ed, newest dates) */
    size_t n, cap;
    uint32_t newest;            /* newest "updated"/"poc_updated" of any record (days), 0 = none */
    int64_t generated;          /* the dump's own time, "meta": {"generated": T} (Unix seconds, as
                                   CAIDA's PeeringDB archives write it, or ISO 8601); 0 = not said.
                                   Records' "updated" dates are no snapshot date: a record can stay
                                   unchanged for years */
    /* IXP peering LAN prefixes: /ixpfx records {"prefix", "protocol", "ixlan_id"},
     * or nested in /ixlan ("ixpfx_set") and /ix?depth=2 ("ixlan_set") records */
    mrs_prefix *ixp;
    size_t n_ixp, cap_ixp;
    struct mrs_trie *ixp_index; /* built by mrs_peeringdb_finish */
} mrs_peeringdb;

/* Load one JSON document (several loads accumulate; call mrs_peeringdb_finish
 * afterwards). Records without a valid asn (and not an IXP prefix record) are
 * errors `FILE: record N: what`, skipped; so are bad IXP prefixes. Returns 0, -1
 * if the document is not JSON / not the expected shape, or memory runs out. */
int mrs_peeringdb_load_mem(mrs_peeringdb *p, const void *buf, size_t len, const char *name, mrs_diag *d);
int mrs_peeringdb_load_file(mrs_peeringdb *p, const char *path, mrs_diag *d);
void mrs_peeringdb_finish(mrs_peeringdb *p);
const mrs_pdb_net *mrs_peeringdb_find(const mrs_peeringdb *p, uint32_t asn);
/* Is pfx an IXP peering LAN prefix or inside one (after mrs_peeringdb_finish)? */
bool mrs_peeringdb_ixp_lan(const mrs_peeringdb *p, const mrs_prefix *pfx);
void mrs_peeringdb_clear(mrs_peeringdb *p);

/* PeeringDB's grouping of networks into organisations, added to o (as2org.h) with
 * mrs_as2org_join: each network with an org_id joins the organisation
 * "peeringdb:<org_id>" (source "PeeringDB"; the prefix keeps the ids apart from
 * CAIDA's), so two ASes are siblings when CAIDA or PeeringDB says so; nothing CAIDA
 * said is replaced. Call after mrs_peeringdb_finish. Returns 0, -1 (memory). */
int mrs_peeringdb_add_orgs(const mrs_peeringdb *p, struct mrs_as2org *o);

#endif
