/*
 * grow.h — the one growth rule for the arrays manrs builds (doubling, so that
 * n pushes cost O(n) copies in all), and the one out-of-memory policy:
 *
 *   Library code never exits and never prints on its own account. An allocation
 *   that fails is returned to the caller: functions return -1 or NULL; builders
 *   fed in loops, where a check per push would be noise (mrs_outbuf, mrs_bytes, the
 *   hash sets and mrs_map64, the routing view), make it sticky — an `oom` flag
 *   (or mrs_view_oom) that the owner checks once, like ferror(). Commands report "out of
 *   memory" and fail; servers drop the one request or client that did not fit
 *   and serve the others.
 *
 * mrs_grow returns the array with room for `need` elements of `elem` bytes: v
 * itself when *cap already suffices, else v reallocated to max(need, 2 * *cap,
 * first) elements (*cap updated). NULL when out of memory: v and *cap are then
 * unchanged and still valid. The caller assigns the result back:
 *
 *     T *nv = mrs_grow(l->v, &l->cap, l->n + 1, sizeof *nv, 256);
 *     if (!nv) return -1;
 *     l->v = nv;
 *
 * (Returning the pointer instead of writing through a void ** keeps the element
 * type's pointer from being accessed as another type.)
 */
#ifndef MANRS_GROW_H
#define MANRS_GROW_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static inline void *mrs_grow(void *v, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap && v)
        return v;
    size_t nc = *cap ? *cap : (first ? first : 1);
    while (nc < need) {
        if (nc > SIZE_MAX / 2)
            return NULL;
        nc *= 2;
    }
    if (elem && nc > SIZE_MAX / elem)
        return NULL;
    void *nv = realloc(v, nc * elem);
    if (!nv)
        return NULL;
    *cap = nc;
    return nv;
}

#endif
