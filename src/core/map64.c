/* map64.c — see map64.h. */
#include "manrs/core/map64.h"

#include <stdlib.h>
#include <string.h>

static int alloc_table(mrs_map64 *m, size_t cap)
{
    uint64_t *k = malloc(cap * sizeof *k);
    uint32_t *v = malloc(cap * sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    memset(k, 0xff, cap * sizeof *k);   /* every slot MRS_MAP64_FREE */
    m->key = k;
    m->val = v;
    m->cap = cap;
    return 0;
}

int mrs_map64_init(mrs_map64 *m)
{
    memset(m, 0, sizeof *m);
    if (alloc_table(m, 1024) != 0) {
        m->oom = true;
        return -1;
    }
    return 0;
}

void mrs_map64_clear(mrs_map64 *m)
{
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

/* Slot of key, or the free slot where it would go. */
static size_t find(const mrs_map64 *m, uint64_t key)
{
    size_t i = mrs_mix64(key) & (m->cap - 1);
    while (m->key[i] != MRS_MAP64_FREE && m->key[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* The entries of m into a new table of cap slots (a power of two above count).
 * Returns 0, or -1 when out of memory (m unchanged). */
static int rehash(mrs_map64 *m, size_t cap)
{
    mrs_map64 n;
    memset(&n, 0, sizeof n);
    if (alloc_table(&n, cap) != 0)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        if (m->key[i] != MRS_MAP64_FREE) {
            size_t j = find(&n, m->key[i]);
            n.key[j] = m->key[i];
            n.val[j] = m->val[i];
        }
    n.count = m->count;
    n.oom = m->oom;
    free(m->key);
    free(m->val);
    *m = n;
    return 0;
}

static void grow(mrs_map64 *m)
{
    if (rehash(m, m->cap * 2) != 0)
        m->oom = true;
}

int mrs_map64_reserve(mrs_map64 *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 1024;
    while (cap / 2 < n) {   /* the load factor of mrs_map64_put: count <= cap / 2 */
        if (cap > SIZE_MAX / 2 / sizeof *m->key) {
            m->oom = true;
            return -1;
        }
        cap *= 2;
    }
    if (cap == m->cap)
        return 0;
    if (rehash(m, cap) != 0) {
        m->oom = true;
        return -1;
    }
    return 0;
}

uint32_t *mrs_map64_put(mrs_map64 *m, uint64_t key, bool *found)
{
    *found = false;
    if (!m->cap || key == MRS_MAP64_FREE)
        return NULL;
    if ((m->count + 1) * 2 > m->cap && !m->oom)
        grow(m);
    size_t i = find(m, key);
    *found = m->key[i] == key;
    if (*found)
        return &m->val[i];
    if (m->count + 2 > m->cap) {   /* keep one slot free: probes must end */
        m->oom = true;
        return NULL;
    }
    m->key[i] = key;
    m->count++;
    return &m->val[i];
}

void mrs_map64_remove(mrs_map64 *m, uint64_t key)
{
    if (!m->cap || key == MRS_MAP64_FREE)
        return;
    size_t i = find(m, key);
    if (m->key[i] == MRS_MAP64_FREE)
        return;
    m->count--;
    for (;;) {
        m->key[i] = MRS_MAP64_FREE;
        size_t j = i;
        for (;;) {
            j = (j + 1) & (m->cap - 1);
            if (m->key[j] == MRS_MAP64_FREE)
                return;
            size_t home = mrs_mix64(m->key[j]) & (m->cap - 1);
            /* can the entry at j move to i? (i lies cyclically in [home, j)) */
            if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j))
                break;
        }
        m->key[i] = m->key[j];
        m->val[i] = m->val[j];
        i = j;
    }
}
