/*
 * merge.h — THE sorted merge of manrs: the union of two arrays sorted strictly
 * ascending by one comparison, written once. The parts of a run split by prefix
 * (docs/scale.md) are added up with it: sets unite (a key in both is kept once),
 * counts add (a key in both is a's element with b's added by `add`).
 *
 *     size_t n;
 *     uint64_t *u = mrs_merge_sorted(a, na, b, nb, sizeof *a, mrs_cmp_u64, NULL, &n);
 *     if (!u) ... out of memory
 *
 * Callbacks, not an expression macro (core/search.h): a merge touches each element
 * once, in the few places that add parts up, far from the hot paths.
 */
#ifndef MANRS_CORE_MERGE_H
#define MANRS_CORE_MERGE_H

#include <stddef.h>

#include "manrs/core/search.h"   /* mrs_cmp_u32, mrs_cmp_u64 */

/* <0, 0, >0 as qsort's */
typedef int (*mrs_merge_cmp_fn)(const void *a, const void *b);
/* into (a copy of a's element) += add (b's element of the same key) */
typedef void (*mrs_merge_add_fn)(void *into, const void *add);

/* The union of a[0..na) and b[0..nb), elements of `size` bytes each sorted
 * strictly ascending by cmp, in a new malloc'd array of na + nb elements at the
 * most (never a zero-byte request), its length in *n. A key in both: a's element,
 * then add(that copy, b's) unless add is NULL. NULL when out of memory (*n unset). */
void *mrs_merge_sorted(const void *a, size_t na, const void *b, size_t nb, size_t size, mrs_merge_cmp_fn cmp,
                       mrs_merge_add_fn add, size_t *n);

#endif
