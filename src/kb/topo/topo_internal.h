/*
 * topo_internal.h — helpers shared by the src/kb/topo/ modules (bogons, RIR
 * delegated statistics, AS relationships, AS-to-Organization). Not a public header.
 *
 * - prefixes: bogon.c and delegated.c index theirs with the core prefix trie
 *   (core/trie.h), one value per prefix; several entries of one prefix are chained
 *   by the module itself (a ring of next links per prefix).
 * - strings live in the core arena (core/arena.h): pointers stay valid until it is
 *   freed (blocks are never moved), so parsed names can be handed out as const char *.
 * - line splitting of an in-memory buffer, used by the *_load_mem entry points.
 */
#ifndef MANRS_TOPO_INTERNAL_H
#define MANRS_TOPO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/arena.h"
#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"

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

/* Per-module loaders over a line source (defined in bogon.c, delegated.c, asrel.c, as2org.c, beacon.c;
 * the file variants in topo_files.c wrap them around an mrs_reader). name must stay
 * valid during the call; each copies what it keeps. Return 0 or -1 (memory). */
struct mrs_bogon_set;
struct mrs_deleg_db;
struct mrs_asrel;
struct mrs_cone_set;
struct mrs_as2org;
struct mrs_beacon_set;
int mrs_bogon_load_src_(struct mrs_bogon_set *s, mrs_linesrc *src, const char *name, mrs_diag *d, bool drop);
int mrs_deleg_load_src_(struct mrs_deleg_db *db, mrs_linesrc *src, const char *name, mrs_diag *d);
int mrs_asrel_load_src_(struct mrs_asrel *r, mrs_linesrc *src, const char *name, mrs_diag *d);
int mrs_cone_load_src_(struct mrs_cone_set *c, mrs_linesrc *src, const char *name, mrs_diag *d);
int mrs_as2org_load_src_(struct mrs_as2org *o, mrs_linesrc *src, const char *name, mrs_diag *d);
int mrs_beacon_load_src_(struct mrs_beacon_set *s, mrs_linesrc *src, const char *name, mrs_diag *d);

/* Small text helpers. */
/* Trim ASCII blanks (space, tab, CR) from both ends of [*s, *s+*n). */
void mrs_trim(const char **s, size_t *n);
/* Strict unsigned decimal (digits only, no sign, no blanks), max value max. */
bool mrs_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out);
/* Split s at sep into at most maxf fields (pointers into s, lengths). Returns the
 * number of fields found (which may exceed maxf: extra fields are not stored). */
size_t mrs_split(const char *s, size_t n, char sep, const char **f, size_t *fl, size_t maxf);

/* A prefix of a list file line (bogon and beacon lists): "addr/len" with no host
 * bits set. Otherwise false, reported as FILE:LINE (missing prefix length, host
 * bits set, bad prefix). */
bool mrs_list_prefix(mrs_diag *d, const char *file, uint64_t line, const char *s, size_t n, mrs_prefix *out);

/* Printable, bounded copy of untrusted text for messages: bytes outside printable
 * ASCII (and '"', '\\') become \xNN, long input ends in "...". Returns dst. */
#define MRS_QUOTE_MAX 64
const char *mrs_quote(char *dst, size_t cap, const char *s, size_t n);

#endif
