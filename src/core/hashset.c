/* hashset.c — see hashset.h. Load factor kept at or below 1/2 while memory lasts. */
#include "manrs/core/hashset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Out of memory is sticky (core/grow.h): a table that cannot grow keeps working
 * at a higher load until one slot is left, then refuses new keys; s->oom tells the
 * owner that the set is incomplete. */

void mrs_set64_init(mrs_set64 *s)
{
    s->count = 0;
    s->slots = calloc(1024, sizeof *s->slots);
    s->cap = s->slots ? 1024 : 0;
    s->oom = !s->slots;
}

static void set64_insert_raw(uint64_t *slots, size_t cap, uint64_t stored)
{
    size_t i = mrs_mix64(stored) & (cap - 1);
    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = stored;
}

bool mrs_set64_add(mrs_set64 *s, uint64_t key)
{
    if (!s->cap)
        return false;
    uint64_t stored = key + 1;
    size_t i = mrs_mix64(stored) & (s->cap - 1);
    while (s->slots[i]) {
        if (s->slots[i] == stored)
            return false;
        i = (i + 1) & (s->cap - 1);
    }
    if (s->count + 2 > s->cap) {   /* keep one slot empty: probes must end */
        s->oom = true;
        return false;
    }
    s->slots[i] = stored;
    if (++s->count * 2 > s->cap && !s->oom) {
        size_t ncap = s->cap * 2;
        uint64_t *ns = calloc(ncap, sizeof *ns);
        if (!ns) {
            s->oom = true;
            return true;
        }
        for (size_t j = 0; j < s->cap; j++)
            if (s->slots[j])
                set64_insert_raw(ns, ncap, s->slots[j]);
        free(s->slots);
        s->slots = ns;
        s->cap = ncap;
    }
    return true;
}

void mrs_set64_push(mrs_set64_ring *r, uint64_t key)
{
    mrs_set64 *s = r->set;
    if (s->cap)
        __builtin_prefetch(&s->slots[mrs_mix64(key + 1) & (s->cap - 1)], 1);
    if (r->n == MRS_SET64_RING) {
        mrs_set64_add(s, r->keys[r->head]);
        r->keys[r->head] = key;
        r->head = (r->head + 1) % MRS_SET64_RING;
        return;
    }
    r->keys[(r->head + r->n++) % MRS_SET64_RING] = key;
}

void mrs_set64_flush(mrs_set64_ring *r)
{
    while (r->n) {
        mrs_set64_add(r->set, r->keys[r->head]);
        r->head = (r->head + 1) % MRS_SET64_RING;
        r->n--;
    }
}

bool mrs_set64_has(const mrs_set64 *s, uint64_t key)
{
    if (!s->cap)
        return false;
    uint64_t stored = key + 1;
    size_t i = mrs_mix64(stored) & (s->cap - 1);
    while (s->slots[i]) {
        if (s->slots[i] == stored)
            return true;
        i = (i + 1) & (s->cap - 1);
    }
    return false;
}

void mrs_set64_clear(mrs_set64 *s)
{
    free(s->slots);
    memset(s, 0, sizeof *s);
}

static uint64_t key192_hash(mrs_key192 k)
{
    return mrs_mix64(k.a ^ mrs_mix64(k.b ^ mrs_mix64(k.c)));
}

void mrs_set192_init(mrs_set192 *s)
{
    s->count = 0;
    s->slots = calloc(1024, sizeof *s->slots);
    s->used = calloc(1024, 1);
    s->cap = s->slots && s->used ? 1024 : 0;
    s->oom = !s->cap;
}

static bool key_eq(mrs_key192 x, mrs_key192 y) { return x.a == y.a && x.b == y.b && x.c == y.c; }

bool mrs_set192_add(mrs_set192 *s, mrs_key192 key)
{
    if (!s->cap)
        return false;
    size_t i = key192_hash(key) & (s->cap - 1);
    while (s->used[i]) {
        if (key_eq(s->slots[i], key))
            return false;
        i = (i + 1) & (s->cap - 1);
    }
    if (s->count + 2 > s->cap) {   /* keep one slot empty: probes must end */
        s->oom = true;
        return false;
    }
    s->used[i] = 1;
    s->slots[i] = key;
    if (++s->count * 2 > s->cap && !s->oom) {
        size_t ncap = s->cap * 2;
        mrs_key192 *ns = calloc(ncap, sizeof *ns);
        uint8_t *nu = calloc(ncap, 1);
        if (!ns || !nu) {
            free(ns);
            free(nu);
            s->oom = true;
            return true;
        }
        for (size_t j = 0; j < s->cap; j++) {
            if (!s->used[j])
                continue;
            size_t k = key192_hash(s->slots[j]) & (ncap - 1);
            while (nu[k])
                k = (k + 1) & (ncap - 1);
            nu[k] = 1;
            ns[k] = s->slots[j];
        }
        free(s->slots);
        free(s->used);
        s->slots = ns;
        s->used = nu;
        s->cap = ncap;
    }
    return true;
}

bool mrs_set192_has(const mrs_set192 *s, mrs_key192 key)
{
    if (!s->cap)
        return false;
    size_t i = key192_hash(key) & (s->cap - 1);
    while (s->used[i]) {
        if (key_eq(s->slots[i], key))
            return true;
        i = (i + 1) & (s->cap - 1);
    }
    return false;
}

void mrs_set192_clear(mrs_set192 *s)
{
    free(s->slots);
    free(s->used);
    memset(s, 0, sizeof *s);
}
