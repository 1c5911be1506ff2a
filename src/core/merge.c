/*
 * merge.c — the sorted merge (core/merge.h).
 */
#include "manrs/core/merge.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *mrs_merge_sorted(const void *a, size_t na, const void *b, size_t nb, size_t size, mrs_merge_cmp_fn cmp,
                       mrs_merge_add_fn add, size_t *n)
{
    size_t most = na + nb ? na + nb : 1;
    if (size && most > SIZE_MAX / size)
        return NULL;
    unsigned char *o = malloc(most * size);
    if (!o)
        return NULL;
    const unsigned char *x = a, *y = b;
    size_t i = 0, j = 0, k = 0;
    while (i < na || j < nb) {
        int c = i == na ? 1 : j == nb ? -1 : cmp(x + i * size, y + j * size);
        unsigned char *d = o + k++ * size;
        if (c > 0) {
            memcpy(d, y + j++ * size, size);
            continue;
        }
        memcpy(d, x + i++ * size, size);
        if (c == 0) {
            if (add)
                add(d, y + j * size);
            j++;
        }
    }
    *n = k;
    return o;
}
