/* arena.c — see arena.h. */
#include "manrs/core/arena.h"

#include <stdlib.h>
#include <string.h>

struct mrs_arena_chunk {
    mrs_arena_chunk *next;
    size_t used, size;
    char data[];
};

void mrs_arena_init(mrs_arena *a) { a->head = NULL; }

void mrs_arena_clear(mrs_arena *a)
{
    while (a->head) {
        mrs_arena_chunk *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

char *mrs_arena_alloc(mrs_arena *a, size_t n)
{
    mrs_arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        /* not mrs_grow: a new chunk (handed-out strings never move), doubling only up to 1 MiB */
        size_t want = c ? (c->size < (1u << 20) ? c->size * 2 : c->size) : (64u << 10);
        size_t sz = n > want ? n : want;
        if (sz > (size_t)-1 - sizeof *c || !(c = malloc(sizeof *c + sz)))
            return NULL;
        c->size = sz;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    char *p = c->data + c->used;
    c->used += n;
    return p;
}

const char *mrs_arena_strndup(mrs_arena *a, const char *s, size_t n)
{
    char *p = n + 1 ? mrs_arena_alloc(a, n + 1) : NULL;
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
