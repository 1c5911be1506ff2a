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

#define MRS_MAP64_EMPTY UINT32_MAX   /* the one value that cannot be stored */

typedef struct mrs_map64 {
    uint64_t *keys;
    uint32_t *vals;             /* MRS_MAP64_EMPTY = free slot */
    size_t cap, count;
    bool oom;
} mrs_map64;

/* Returns 0, or -1 when out of memory (the map is then empty and oom set). */
int mrs_map64_init(mrs_map64 *m);
void mrs_map64_free(mrs_map64 *m);
/* The value slot of key, NULL if absent. */
uint32_t *mrs_map64_get(const mrs_map64 *m, uint64_t key);
/* The value slot of key, inserted if absent (*found false: the slot holds
 * MRS_MAP64_EMPTY until the caller sets it, and must be set). NULL when out of
 * memory. The slot is valid until the next put or remove. */
uint32_t *mrs_map64_put(mrs_map64 *m, uint64_t key, bool *found);
void mrs_map64_remove(mrs_map64 *m, uint64_t key);

/* Iteration: for (size_t i = 0; i < m->cap; i++) if (m->vals[i] != MRS_MAP64_EMPTY) ... */

#endif
