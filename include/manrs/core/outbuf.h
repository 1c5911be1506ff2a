/*
 * outbuf.h — a growable output buffer with fast number formatting, for the
 * hot output paths (dump lines, JSON Lines). Flushes to a FILE when it grows
 * past a threshold; write errors are remembered and reported by mrs_outbuf_close.
 * Out of memory is sticky like a write error (core/grow.h: library code never
 * exits): the writers drop what does not fit, mrs_outbuf_close returns false.
 */
#ifndef MANRS_OUTBUF_H
#define MANRS_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct mrs_outbuf {
    char *buf;
    size_t len, cap;
    FILE *out;           /* NULL: keep everything in memory (tests) */
    bool failed;         /* a write failed or memory ran out (then oom too) */
    bool oom;
} mrs_outbuf;

void mrs_outbuf_init(mrs_outbuf *o, FILE *out);
/* Make room for need more bytes; false (and o->failed, o->oom) when out of memory. */
bool mrs_outbuf_grow(mrs_outbuf *o, size_t need);
void mrs_outbuf_flush(mrs_outbuf *o);
/* Flush and free; returns false if any write failed. */
bool mrs_outbuf_close(mrs_outbuf *o);

/* Room for n more bytes at o->buf + o->len? (false: out of memory, skip the write) */
static inline bool mrs_outbuf_reserve(mrs_outbuf *o, size_t n)
{
    return o->len + n <= o->cap || mrs_outbuf_grow(o, n);
}
static inline void mrs_outbuf_put(mrs_outbuf *o, const char *s, size_t n)
{
    if (!mrs_outbuf_reserve(o, n))
        return;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}
static inline void mrs_outbuf_puts(mrs_outbuf *o, const char *s) { mrs_outbuf_put(o, s, strlen(s)); }
static inline void mrs_outbuf_putc(mrs_outbuf *o, char c)
{
    if (mrs_outbuf_reserve(o, 1))
        o->buf[o->len++] = c;
}
/* "00".."99": the two digits of n at mrs_digits2 + 2 * n. */
extern const char mrs_digits2[201];
/* Decimal of an unsigned 32/64-bit value. */
int mrs_u32_to_str(uint32_t v, char *out);
static inline void mrs_outbuf_u32(mrs_outbuf *o, uint32_t v)
{
    if (mrs_outbuf_reserve(o, 10))
        o->len += (size_t)mrs_u32_to_str(v, o->buf + o->len);
}
void mrs_outbuf_u64(mrs_outbuf *o, uint64_t v);
void mrs_outbuf_i32(mrs_outbuf *o, int32_t v);
/* End a line; flushes when the buffer is large. */
static inline void mrs_outbuf_eol(mrs_outbuf *o)
{
    mrs_outbuf_putc(o, '\n');
    if (o->out && o->len >= (1u << 16))
        mrs_outbuf_flush(o);
}

#endif
