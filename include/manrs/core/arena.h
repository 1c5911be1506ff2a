/*
 * arena.h — THE string arena: an append-only store of bytes (names, sources, file
 * names) whose pointers stay valid until the arena is freed; everything goes at
 * once. Chunks grow from 64 KiB to 1 MiB, so small inputs (tests, fuzzing) stay
 * small and large dumps do not pay a malloc per string. Byte-aligned: for text.
 */
#ifndef MANRS_CORE_ARENA_H
#define MANRS_CORE_ARENA_H

#include <stddef.h>

typedef struct mrs_arena_chunk mrs_arena_chunk;
typedef struct mrs_arena {
    mrs_arena_chunk *head;
} mrs_arena;

void mrs_arena_init(mrs_arena *a);
void mrs_arena_clear(mrs_arena *a);
/* n bytes (not aligned); NULL when out of memory. */
char *mrs_arena_alloc(mrs_arena *a, size_t n);
/* A copy of n bytes of s plus a NUL; NULL when out of memory. */
const char *mrs_arena_strndup(mrs_arena *a, const char *s, size_t n);

#endif
