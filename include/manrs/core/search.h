/*
 * search.h — THE binary search of manrs: the lower bound (the first element that
 * is not less than the key) over a sorted run, written once.
 *
 *     size_t k;
 *     MRS_LOWER_BOUND(k, n, i, v[i].asn < asn);   // `less` is an expression in i
 *     if (k < n && v[k].asn == asn) ...
 *
 * The expression form serves arrays of structs sorted by any key without a
 * comparison callback (an indirect call per probe would cost more than the probe
 * in the hot paths: valley-free checks, cone membership, ROV).
 */
#ifndef MANRS_CORE_SEARCH_H
#define MANRS_CORE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MRS_LOWER_BOUND(out, n, i, less)                                                                        \
    do {                                                                                                      \
        size_t lo_ = 0, hi_ = (n);                                                                            \
        while (lo_ < hi_) {                                                                                   \
            size_t i = lo_ + (hi_ - lo_) / 2;                                                                 \
            if (less)                                                                                         \
                lo_ = i + 1;                                                                                  \
            else                                                                                              \
                hi_ = i;                                                                                      \
        }                                                                                                     \
        (out) = lo_;                                                                                          \
    } while (0)

static inline size_t mrs_lower_bound_u32(const uint32_t *v, size_t n, uint32_t key)
{
    size_t k;
    MRS_LOWER_BOUND(k, n, i, v[i] < key);
    return k;
}

static inline size_t mrs_lower_bound_u64(const uint64_t *v, size_t n, uint64_t key)
{
    size_t k;
    MRS_LOWER_BOUND(k, n, i, v[i] < key);
    return k;
}

/* THE orders of plain keys, ascending, as qsort (and mrs_merge_sorted) take them. */
static inline int mrs_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static inline int mrs_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Is key in the sorted array? */
static inline bool mrs_sorted_has_u32(const uint32_t *v, size_t n, uint32_t key)
{
    size_t k = mrs_lower_bound_u32(v, n, key);
    return k < n && v[k] == key;
}

#endif
