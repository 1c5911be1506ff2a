/*
 * topo_internal.h — helpers shared by the src/kb/topo/ modules (bogons, RIR
 * delegated statistics, AS relationships, AS-to-Organization). Not a public header.
 *
 * - mrs_pfxidx: a compact, read-mostly prefix index. All entries of a family sit in
 *   one array sorted by (first address, length); since prefixes either nest or are
 *   disjoint, each entry also records its nearest enclosing entry ("parent"). A
 *   covering lookup is one binary search plus a walk up the parent chain (at most
 *   one step per nesting level); a "contained" lookup is one binary search plus a
 *   scan of the entries inside the range. Addresses are kept as 128-bit numbers
 *   (core/u128.h) so comparisons are integer compares. This is deliberately
 *   independent of any shared trie so that the topo modules stand alone.
 * - strings live in the core arena (core/arena.h): pointers stay valid until it is
 *   freed (blocks are never moved), so parsed names can be handed out as const char *.
 * - line splitting of an in-memory buffer, used by the *_load_mem entry points.
 *
 * Assumes prefixes are canonical (host bits zero) when added; lookups mask the
 * query themselves.
 */
#ifndef MANRS_TOPO_INTERNAL_H
#define MANRS_TOPO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/arena.h"
#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"
#include "manrs/core/u128.h"


typedef struct mrs_pfxidx_ent {
    mrs_u128 start, end;    /* first and last address of the prefix (core/u128.h; IPv4 in the
                               top 32 bits) */
    uint32_t val;           /* caller's payload (usually an index into its own array) */
    uint32_t parent;        /* index of the nearest enclosing entry, UINT32_MAX = none */
    uint8_t len;
} mrs_pfxidx_ent;

typedef struct mrs_pfxidx_fam {
    mrs_pfxidx_ent *v;
    size_t n, cap;
} mrs_pfxidx_fam;

typedef struct mrs_pfxidx {
    mrs_pfxidx_fam fam[2];  /* [0] IPv4, [1] IPv6 */
    size_t count;
    bool finished;
} mrs_pfxidx;

/* The entry's first address as 16 network-order bytes. */
void mrs_pfxidx_ent_addr(const mrs_pfxidx_ent *e, uint8_t out[16]);

void mrs_pfxidx_init(mrs_pfxidx *ix);
void mrs_pfxidx_free(mrs_pfxidx *ix);
/* Add a prefix (its host bits are ignored). Returns 0, or -1 on allocation failure.
 * Invalidates the sort: call mrs_pfxidx_finish before the next lookup. */
int mrs_pfxidx_add(mrs_pfxidx *ix, const mrs_prefix *p, uint32_t val);
/* Sort (by address, length, val) and link parents. */
void mrs_pfxidx_finish(mrs_pfxidx *ix);

/* Callback: return nonzero to stop the walk. len is the entry's prefix length. */
typedef int (*mrs_pfxidx_cb)(void *ctx, const mrs_pfxidx_ent *e, unsigned len);

/* Visit entries that cover p (entry length <= p->len, same leading bits), longest
 * first; equal prefixes in descending val order. Returns the callback's stop value
 * or 0. */
int mrs_pfxidx_covering(const mrs_pfxidx *ix, const mrs_prefix *p, mrs_pfxidx_cb cb, void *ctx);
/* Visit entries strictly inside p (entry length > p->len) in (address, length, val)
 * order. Returns the callback's stop value or 0. */
int mrs_pfxidx_contained(const mrs_pfxidx *ix, const mrs_prefix *p, mrs_pfxidx_cb cb, void *ctx);


/* A source of text lines: an in-memory buffer or (topo_files.c) an mrs_reader.
 * next() returns 1 with line and len set (no '\n', a '\r' before it dropped), 0 at the
 * end, -1 if the input is damaged (the caller reports it). Keeping the modules on
 * this interface keeps mrs_reader out of their object files, so the *_mem entry
 * points (tests, fuzzers) link without the I/O layer. */
typedef struct mrs_linesrc {
    int (*next)(void *ctx, const char **line, size_t *len);
    void *ctx;
} mrs_linesrc;

typedef struct mrs_memlines {
    const char *p, *end;
} mrs_memlines;
void mrs_linesrc_mem(mrs_linesrc *src, mrs_memlines *m, const void *buf, size_t len);

/* Per-module loaders over a line source (defined in bogon.c, delegated.c, asrel.c, as2org.c;
 * the file variants in topo_files.c wrap them around an mrs_reader). name must stay
 * valid during the call; each copies what it keeps. Return 0 or -1 (memory). */
struct mrs_bogon_set;
struct mrs_deleg_db;
struct mrs_asrel;
struct mrs_cone_set;
struct mrs_as2org;
int mrs_bogon_load_src_(struct mrs_bogon_set *s, mrs_linesrc *src, const char *name, mrs_diag *d, bool drop);
int mrs_deleg_load_src_(struct mrs_deleg_db *db, mrs_linesrc *src, const char *name, mrs_diag *d);
int mrs_asrel_load_src_(struct mrs_asrel *r, mrs_linesrc *src, const char *name, mrs_diag *d);
int mrs_cone_load_src_(struct mrs_cone_set *c, mrs_linesrc *src, const char *name, mrs_diag *d);
int mrs_as2org_load_src_(struct mrs_as2org *o, mrs_linesrc *src, const char *name, mrs_diag *d);

/* Small text helpers. */
/* Trim ASCII blanks (space, tab, CR) from both ends of [*s, *s+*n). */
void mrs_trim(const char **s, size_t *n);
/* Strict unsigned decimal (digits only, no sign, no blanks), max value max. */
bool mrs_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out);
/* Split s at sep into at most maxf fields (pointers into s, lengths). Returns the
 * number of fields found (which may exceed maxf: extra fields are not stored). */
size_t mrs_split(const char *s, size_t n, char sep, const char **f, size_t *fl, size_t maxf);

/* Printable, bounded copy of untrusted text for messages: bytes outside printable
 * ASCII (and '"', '\\') become \xNN, long input ends in "...". Returns dst. */
#define MRS_QUOTE_MAX 64
const char *mrs_quote(char *dst, size_t cap, const char *s, size_t n);

#endif
