/*
 * hashset.h — exact sets of fixed-size keys (open addressing, linear probing),
 * for counting distinct prefixes, origins and peers in one pass with bounded,
 * predictable memory (no per-entry allocation). Out of memory is sticky
 * (core/grow.h): `oom` set means the set is incomplete (some adds returned false
 * without storing the key); the owner checks it once at the end.
 */
#ifndef MANRS_HASHSET_H
#define MANRS_HASHSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mrs_set64 {
    uint64_t *slots;       /* key+1 stored, 0 = empty (so key UINT64_MAX is not storable) */
    size_t cap, count;
    bool oom;
} mrs_set64;

void mrs_set64_init(mrs_set64 *s);
/* Returns true if the key was new. Keys must be < UINT64_MAX. */
bool mrs_set64_add(mrs_set64 *s, uint64_t key);
bool mrs_set64_has(const mrs_set64 *s, uint64_t key);
void mrs_set64_clear(mrs_set64 *s);

/* Inserting many keys that are mostly cache misses: a small ring defers each insert
 * until its slot has been prefetched, so that ~16 memory accesses overlap instead of
 * stalling one after the other. Call mrs_set64_flush before reading the set. */
#define MRS_SET64_RING 16
typedef struct mrs_set64_ring {
    mrs_set64 *set;
    uint64_t keys[MRS_SET64_RING];
    unsigned n, head;
} mrs_set64_ring;

static inline void mrs_set64_ring_init(mrs_set64_ring *r, mrs_set64 *s)
{
    r->set = s;
    r->n = r->head = 0;
}
void mrs_set64_push(mrs_set64_ring *r, uint64_t key);
void mrs_set64_flush(mrs_set64_ring *r);

typedef struct mrs_key192 {
    uint64_t a, b, c;
} mrs_key192;

typedef struct mrs_set192 {
    mrs_key192 *slots;
    uint8_t *used;
    size_t cap, count;
    bool oom;
} mrs_set192;

void mrs_set192_init(mrs_set192 *s);
bool mrs_set192_add(mrs_set192 *s, mrs_key192 key);
bool mrs_set192_has(const mrs_set192 *s, mrs_key192 key);
void mrs_set192_clear(mrs_set192 *s);

static inline uint64_t mrs_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

#endif
