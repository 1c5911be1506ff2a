/*
 * whatif_internal.h — the parts of src/apps/whatif shared between its files.
 */
#ifndef MANRS_WHATIF_INTERNAL_H
#define MANRS_WHATIF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/map64.h"
#include "manrs/core/trie.h"
#include "manrs/feeds/route_event.h"

typedef struct wi_pair {
    uint32_t pfx;       /* prefix index */
    uint32_t origin;
} wi_pair;

typedef struct wi_peer {
    mrs_route_peer p;
} wi_peer;

typedef struct wi_route {
    uint32_t pfx, peer;
    uint32_t origin;        /* of the peer's last announcement */
    uint32_t first_hop;     /* the path's first AS (normally the peer's) */
    bool withdrawn;         /* the last event was a withdrawal */
} wi_route;

struct wi_rib {
    mrs_trie *trie;         /* prefix -> index into pfx */
    mrs_prefix *pfx;
    size_t n_pfx, cap_pfx;
    wi_pair *pairs;         /* distinct (prefix, origin) */
    size_t n_pairs, cap_pairs;
    bool pairs_sorted;
    mrs_map64 pairs_seen;
    bool keep_peers;
    wi_peer *peers;
    size_t n_peers, cap_peers;
    mrs_map64 peer_ix;
    wi_route *routes;
    size_t n_routes, cap_routes;
    mrs_map64 route_ix;     /* (prefix << 20 ^ peer) -> index into routes */
    bool oom;
};

/* Sort the (prefix, origin) pairs: call after the last load, before queries. */
void wi_rib_sort(wi_rib *r);
size_t wi_rib_prefix_origins(const wi_rib *r, uint32_t pi, uint32_t *out, size_t max);

#endif
