/*
 * trie.h — the prefix trie used by every manrs knowledge base (RPKI, IRR, bogons...).
 *
 * A path-compressed binary (Patricia) trie, one per address family inside one
 * mrs_trie. Each stored prefix carries a 32-bit payload chosen by the caller,
 * typically an index into a caller-owned array (RPKI stores there the index of
 * the group of VRPs that share the prefix).
 *
 * Memory: nodes live in one growing array per family and refer to each other by
 * 32-bit index — no per-node malloc. An IPv4 node takes 16 bytes, an IPv6 node 32;
 * a trie of n prefixes has fewer than 2n nodes (every internal node branches). A
 * family holds at most 2^26 IPv4 nodes (the indexes share their word with the
 * node's length) or 2^31 IPv6 nodes.
 *
 * Queries:
 *   exact     — the payload of exactly this prefix;
 *   covering  — every stored prefix that covers the query (less-specifics and the
 *               exact prefix), shortest first; at most 129 of them;
 *   covered   — every stored prefix the query covers (more-specifics and the exact
 *               prefix), in mrs_prefix_cmp order (address, then length), by callback.
 *
 * Host bits of query prefixes beyond their length are ignored. Prefixes are never
 * removed (the knowledge bases are built once, then queried).
 * Not thread-safe for writers; any number of concurrent readers once built.
 */
#ifndef MANRS_TRIE_H
#define MANRS_TRIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/prefix.h"

#define MRS_TRIE_MAX_COVERING 129   /* /0 ... /128 */

typedef struct mrs_trie mrs_trie;

typedef struct mrs_trie_match {
    uint32_t value;   /* payload of the covering prefix */
    uint8_t len;      /* its length: the prefix is the query truncated to len bits */
} mrs_trie_match;

/* Returns NULL when out of memory. */
mrs_trie *mrs_trie_new(void);
void mrs_trie_free(mrs_trie *t);

/* Slot of prefix p, created if absent (then *created = true and the slot holds 0).
 * The pointer is valid until the next insertion. NULL when out of memory, when the
 * family is unknown, or when the family would exceed its node limit (above); the
 * trie is then unchanged. */
uint32_t *mrs_trie_slot(mrs_trie *t, const mrs_prefix *p, bool *created);
/* Insert or replace. Returns 1 if inserted, 0 if replaced, -1 on failure (as above). */
int mrs_trie_insert(mrs_trie *t, const mrs_prefix *p, uint32_t value);

/* A trie built at once from n prefixes, already compacted (mrs_trie_compact: same
 * layout, same root tables) — for inputs known before the first query. Item i is
 * the prefix at (const char *)base + stride * (order ? order[i] : i) (base points
 * at the first prefix: an array of mrs_prefix, or the mrs_prefix member of an
 * array of structs), its value values ? values[i] : (order ? order[i] : i). Of
 * equal prefixes the first item's value is kept (as mrs_trie_slot filling only
 * created slots would).
 * In O(n) plus a binary search per node, with no compaction pass, when the items
 * come in mrs_prefix_cmp order — IPv4 before IPv6, then address, shorter first on
 * equal address — with host bits clear; otherwise (checked first, in O(n)) by
 * insertion and compaction: the same trie, slower. NULL when out of memory, when a
 * prefix has an unknown family, or when a family would exceed its node limit (in
 * the ordered case: more than 2^25 IPv4 or 2^30 IPv6 items). */
mrs_trie *mrs_trie_build_sorted(const void *base, size_t stride, const uint32_t *order, const uint32_t *values,
                                size_t n);

/* Exact lookup; true and *value set when p is stored. */
bool mrs_trie_lookup(const mrs_trie *t, const mrs_prefix *p, uint32_t *value);

/* Covering prefixes of p, shortest first, including p itself if stored.
 * out must hold MRS_TRIE_MAX_COVERING entries. Returns how many were written. */
unsigned mrs_trie_covering(const mrs_trie *t, const mrs_prefix *p, mrs_trie_match *out);

/* Call fn for every stored prefix covered by p (including p), in address order,
 * shorter first on equal address. Stops early and returns fn's value when fn
 * returns nonzero; returns 0 after a full walk. */
typedef int (*mrs_trie_visit_fn)(const mrs_prefix *p, uint32_t value, void *arg);
int mrs_trie_covered(const mrs_trie *t, const mrs_prefix *p, mrs_trie_visit_fn fn, void *arg);

/* Lay the nodes out in the order of a covered walk (address order, shorter first)
 * and release spare capacity, for a trie whose loading is done: a covered walk then
 * reads memory sequentially and a lookup path touches fewer cache lines. It also
 * builds, for a family of at least 256 prefixes, a root table indexed by the first
 * b = min(16, log2(count) - 1) bits of an address (8 bytes per entry, at most 512 KiB
 * per family): a query of length >= b starts at the node the walk from the root
 * would reach past depth b (~b levels fewer dependent loads), and the prefixes
 * shorter than b that cover it come from a chain kept with the table. Queries
 * answer the same; later insertions still work (their nodes are appended; one that
 * adds a node or a value drops the table until the next compaction, a replaced
 * value keeps it). Needs 4 bytes per node while it runs. Returns 0, or -1 when out
 * of memory (the trie is then unchanged, compacted for one family only or without
 * a table: valid either way). */
int mrs_trie_compact(mrs_trie *t);

/* Number of stored prefixes of one family (MRS_AFI_IPV4/6), or of both with afi 0. */
size_t mrs_trie_count(const mrs_trie *t, unsigned afi);
/* Bytes held by the node arrays and root tables. */
size_t mrs_trie_memory(const mrs_trie *t);

#endif
