/*
 * outbuf.h — a growable output buffer with fast number formatting, for the
 * hot output paths (dump lines, JSON Lines). Flushes to a FILE when it grows
 * past a threshold; write errors are remembered and reported by outbuf_close.
 * Out of memory is sticky like a write error (core/grow.h: library code never
 * exits): the writers drop what does not fit, outbuf_close returns false.
 */
#ifndef MANRS_OUTBUF_H
#define MANRS_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct outbuf {
    char *buf;
    size_t len, cap;
    FILE *out;           /* NULL: keep everything in memory (tests) */
    bool failed;         /* a write failed or memory ran out (then oom too) */
    bool oom;
} outbuf;

void outbuf_init(outbuf *o, FILE *out);
/* Make room for need more bytes; false (and o->failed, o->oom) when out of memory. */
bool outbuf_grow(outbuf *o, size_t need);
void outbuf_flush(outbuf *o);
/* Flush and free; returns false if any write failed. */
bool outbuf_close(outbuf *o);

/* Room for n more bytes at o->buf + o->len? (false: out of memory, skip the write) */
static inline bool outbuf_reserve(outbuf *o, size_t n)
{
    return o->len + n <= o->cap || outbuf_grow(o, n);
}
static inline void outbuf_put(outbuf *o, const char *s, size_t n)
{
    if (!outbuf_reserve(o, n))
        return;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}
static inline void outbuf_puts(outbuf *o, const char *s) { outbuf_put(o, s, strlen(s)); }
static inline void outbuf_putc(outbuf *o, char c)
{
    if (outbuf_reserve(o, 1))
        o->buf[o->len++] = c;
}
/* Decimal of an unsigned 32/64-bit value. */
int mrs_u32_to_str(uint32_t v, char *out);
void outbuf_u32(outbuf *o, uint32_t v);
void outbuf_u64(outbuf *o, uint64_t v);
void outbuf_i32(outbuf *o, int32_t v);
/* End a line; flushes when the buffer is large. */
static inline void outbuf_eol(outbuf *o)
{
    outbuf_putc(o, '\n');
    if (o->out && o->len >= (1u << 16))
        outbuf_flush(o);
}

#endif
