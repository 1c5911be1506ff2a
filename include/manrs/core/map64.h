/*
 * map64.h — THE hash map of manrs: 64-bit keys to 32-bit values (typically an id
 * or an index into an array the caller owns), open addressing with linear probing
 * and backward-shift deletion, load factor at most 1/2 while memory lasts.
 *
 * Values are ids, not pointers: the caller's arrays can be reallocated freely. A
 * key is usually a hash of the real key; callers that intern variable-size data
 * resolve hash collisions by comparing the data and probing again with another
 * salt (see routes/view.c).
 *
 * Out of memory is sticky (core/grow.h): a map that cannot grow keeps working at
 * a higher load until one slot is left, then mrs_map64_put returns NULL and `oom`
 * stays set.
 */
#ifndef MANRS_CORE_MAP64_H
#define MANRS_CORE_MAP64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "manrs/core/hashset.h"   /* mrs_mix64 */

#define MRS_MAP64_FREE UINT64_MAX   /* the one key that cannot be stored: marks a free slot */

typedef struct mrs_map64 {
    uint64_t *key;              /* probes touch only this array (half the cache lines of */
    uint32_t *val;              /* key/value pairs); the value is read on a hit */
    size_t cap, count;
    bool oom;
} mrs_map64;

/* Returns 0, or -1 when out of memory (the map is then empty and oom set). */
int mrs_map64_init(mrs_map64 *m);
void mrs_map64_clear(mrs_map64 *m);
/* The value slot of key, NULL if absent. Inline: lookups are the hot path
 * (AS relationships in every valley-free check, the routes store per event). */
static inline uint32_t *mrs_map64_get(const mrs_map64 *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    size_t i = mrs_mix64(key) & (m->cap - 1);
    for (;; i = (i + 1) & (m->cap - 1)) {
        uint64_t k = m->key[i];
        if (k == key)
            return key != MRS_MAP64_FREE ? &m->val[i] : NULL;
        if (k == MRS_MAP64_FREE)
            return NULL;
    }
}
/* A map key for n bytes of variable-size data (interned strings, paths, peers):
 * 8 bytes at a time through mrs_mix64, seeded (a caller resolves a collision between
 * different data by probing again with another seed). Never MRS_MAP64_FREE. */
static inline uint64_t mrs_map64_key_bytes(const void *p, size_t n, uint64_t seed)
{
    const uint8_t *b = p;
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
    while (n >= 8) {
        uint64_t x;
        memcpy(&x, b, 8);
        h = mrs_mix64(h ^ x);
        b += 8;
        n -= 8;
    }
    uint64_t x = 0;
    memcpy(&x, b, n);
    h = mrs_mix64(h ^ x);
    return h == MRS_MAP64_FREE ? h - 1 : h;
}

/* The value slot of key, inserted if absent (*found false: the caller sets the
 * value). NULL when out of memory (or for key MRS_MAP64_FREE). The slot is valid
 * until the next put or remove. */
uint32_t *mrs_map64_put(mrs_map64 *m, uint64_t key, bool *found);
void mrs_map64_remove(mrs_map64 *m, uint64_t key);
/* Room for n keys in all (those already there included) at the load factor, in
 * one step: n puts of new keys into an empty map then never reallocate. A
 * caller that knows its number of keys skips the doublings, and with them the
 * moments when the old and the new table are both allocated. Never shrinks.
 * On a map that is all zero (never initialised, or after mrs_map64_clear) it
 * is mrs_map64_init with room for n keys, without the default table first.
 * Returns 0, or -1 when out of memory: the map is then as it was (every key,
 * the same capacity) and oom is set, as after a failed growth. */
int mrs_map64_reserve(mrs_map64 *m, size_t n);

/* Iteration: for (size_t i = 0; i < m->cap; i++) if (m->key[i] != MRS_MAP64_FREE) ... m->val[i] */

#endif
