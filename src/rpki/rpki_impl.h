/*
 * rpki_impl.h — private layout of mrs_rpki, shared by vrp.c (loading, building),
 * rov.c (origin validation) and aspa.c (AS_PATH verification). Not installed.
 */
#ifndef MANRS_RPKI_IMPL_H
#define MANRS_RPKI_IMPL_H

#include "manrs/rpki.h"
#include "manrs/trie.h"

/* The part of a VRP that ROV reads in its inner loop, 8 bytes. */
typedef struct rpki_vrp_entry {
    uint32_t asn;
    uint8_t maxlen;
    uint8_t pad;
    uint16_t ta;
} rpki_vrp_entry;

typedef struct rpki_aspa_pair {
    uint32_t customer, provider;
} rpki_aspa_pair;

#define RPKI_MAX_TA 1024   /* distinct trust-anchor names kept; more are recorded as 0 */

struct mrs_rpki {
    /* VRPs as added; after a build: sorted by prefix, ASN, maxLength and unique. */
    mrs_vrp *vrp;
    size_t nvrp, capvrp;
    size_t nsorted;          /* leading part of vrp[] already sorted and unique */
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
};

#endif
