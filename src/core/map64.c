/* map64.c — see map64.h. */
#include "manrs/core/map64.h"

#include <stdlib.h>
#include <string.h>

#include "manrs/core/hashset.h"   /* mrs_mix64 */

static int alloc_table(mrs_map64 *m, size_t cap)
{
    uint64_t *k = malloc(cap * sizeof *k);
    uint32_t *v = malloc(cap * sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    memset(v, 0xff, cap * sizeof *v);
    m->keys = k;
    m->vals = v;
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

void mrs_map64_free(mrs_map64 *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* Slot of key, or the empty slot where it would go. */
static size_t find(const mrs_map64 *m, uint64_t key)
{
    size_t i = mrs_mix64(key) & (m->cap - 1);
    while (m->vals[i] != MRS_MAP64_EMPTY && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

uint32_t *mrs_map64_get(const mrs_map64 *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    size_t i = find(m, key);
    return m->vals[i] != MRS_MAP64_EMPTY ? &m->vals[i] : NULL;
}

static void grow(mrs_map64 *m)
{
    mrs_map64 n;
    memset(&n, 0, sizeof n);
    if (alloc_table(&n, m->cap * 2) != 0) {
        m->oom = true;
        return;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->vals[i] != MRS_MAP64_EMPTY) {
            size_t j = find(&n, m->keys[i]);
            n.keys[j] = m->keys[i];
            n.vals[j] = m->vals[i];
        }
    n.count = m->count;
    free(m->keys);
    free(m->vals);
    *m = n;
}

uint32_t *mrs_map64_put(mrs_map64 *m, uint64_t key, bool *found)
{
    if (!m->cap)
        return NULL;
    if ((m->count + 1) * 2 > m->cap && !m->oom)
        grow(m);
    size_t i = find(m, key);
    *found = m->vals[i] != MRS_MAP64_EMPTY;
    if (*found)
        return &m->vals[i];
    if (m->count + 2 > m->cap) {   /* keep one slot empty: probes must end */
        m->oom = true;
        return NULL;
    }
    m->keys[i] = key;
    m->count++;
    return &m->vals[i];
}

void mrs_map64_remove(mrs_map64 *m, uint64_t key)
{
    if (!m->cap)
        return;
    size_t i = find(m, key);
    if (m->vals[i] == MRS_MAP64_EMPTY)
        return;
    m->count--;
    for (;;) {
        m->vals[i] = MRS_MAP64_EMPTY;
        size_t j = i;
        for (;;) {
            j = (j + 1) & (m->cap - 1);
            if (m->vals[j] == MRS_MAP64_EMPTY)
                return;
            size_t home = mrs_mix64(m->keys[j]) & (m->cap - 1);
            /* can the entry at j move to i? (i lies cyclically in [home, j)) */
            if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j))
                break;
        }
        m->keys[i] = m->keys[j];
        m->vals[i] = m->vals[j];
        i = j;
    }
}
