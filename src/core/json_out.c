/*
 * json_out.c — the JSON string writer (see json_out.h for the rule and why).
 *
 * One encoder, enc(), writes the escaped form of a slice of the input into a
 * caller-provided buffer; the mrs_outbuf variants point it straight into the mrs_outbuf,
 * the FILE variants into a stack buffer that is written with one fwrite.
 */
#include "manrs/core/json_out.h"
#include "manrs/core/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bytes copied as they are: printable ASCII except '"' and '\'. */
static const unsigned char plain[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
    R16(0), R16(0),                                 /* 0x00..0x1f: control */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20..0x2f: '"' */
    R16(1), R16(1),                                 /* 0x30..0x4f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50..0x5f: '\' */
    R16(1),                                         /* 0x60..0x6f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, /* 0x70..0x7f: DEL */
    R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), /* 0x80..0xff */
#undef R16
};

/* Whether the 8 bytes at p are all plain, a word at a time (the exact "has a byte
 * less than / equal to / more than" tests of the bit-twiddling folklore; a false
 * "no" only sends the bytes to the table loop). */
static inline bool all_plain8(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t lt20 = (x - 0x20 * ones) & ~x & high;                  /* a byte < 0x20 */
    uint64_t q = x ^ (0x22 * ones), bs = x ^ (0x5c * ones);
    uint64_t eq = ((q - ones) & ~q & high) | ((bs - ones) & ~bs & high); /* '"' or '\' */
    uint64_t gt7e = ((x + ones) | x) & high;                         /* a byte > 0x7e */
    return !(lt20 | eq | gt7e);
}

/* Escape the units of s that start in [i, stop) into d (a unit may run past stop,
 * by at most 3 bytes, never past n). Writes at most 6 bytes per input byte
 * consumed; stores the index after the last unit in *next; returns bytes written. */
static size_t enc(char *d, const unsigned char *s, size_t i, size_t stop, size_t n, size_t *next)
{
    static const char hex[] = "0123456789abcdef";
    char *d0 = d;
    while (i < stop) {
        size_t j = i;
        while (stop - j >= 8 && all_plain8(s + j))
            j += 8;
        while (j < stop && plain[s[j]])
            j++;
        memcpy(d, s + i, j - i);
        d += j - i;
        i = j;
        if (i >= stop)
            break;
        unsigned char c = s[i];
        if (c >= 0x80) {
            size_t k = mrs_utf8_len(s + i, n - i);
            if (k) {
                for (size_t m = 0; m < k; m++)
                    d[m] = (char)s[i + m];
                d += k;
                i += k;
            } else {
                memcpy(d, "\\ufffd", 6);
                d += 6;
                i++;
            }
            continue;
        }
        *d++ = '\\';
        switch (c) {
        case '"': *d++ = '"'; break;
        case '\\': *d++ = '\\'; break;
        case '\b': *d++ = 'b'; break;
        case '\f': *d++ = 'f'; break;
        case '\n': *d++ = 'n'; break;
        case '\r': *d++ = 'r'; break;
        case '\t': *d++ = 't'; break;
        default: /* other controls and DEL */
            d[0] = 'u';
            d[1] = '0';
            d[2] = '0';
            d[3] = hex[c >> 4];
            d[4] = hex[c & 15];
            d += 5;
        }
        i++;
    }
    *next = i;
    return (size_t)(d - d0);
}

size_t mrs_json_escape(char *dst, const char *s, size_t n)
{
    size_t next;
    return enc(dst, (const unsigned char *)s, 0, n, n, &next);
}

/* Input bytes escaped per step for long strings: bounds the space reserved (mrs_outbuf)
 * or the stack buffer (FILE) to 6 * (SLICE + 3) bytes. */
#define SLICE 4096u
#define FSLICE 512u

/* Room for n more bytes at o->buf + o->len? Judged on cap, not on what
 * mrs_outbuf_reserve returns, so that an mrs_outbuf that cannot grow (one that drops what
 * does not fit rather than exiting) is never written past: the rest of the string
 * is then dropped, like the mrs_outbuf's own writers drop theirs. */
static bool room(mrs_outbuf *o, size_t n)
{
    mrs_outbuf_reserve(o, n);
    return o->buf && o->cap - o->len >= n;
}

void mrs_json_str(mrs_outbuf *o, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    if (n <= SLICE) { /* the usual case: one reservation */
        if (!room(o, MRS_JSON_ESC_MAX(n) + 2))
            return;
        o->buf[o->len++] = '"';
        o->len += enc(o->buf + o->len, u, 0, n, n, &i);
        o->buf[o->len++] = '"';
        return;
    }
    mrs_outbuf_putc(o, '"');
    while (i < n) {
        size_t stop = n - i > SLICE ? i + SLICE : n;
        if (!room(o, MRS_JSON_ESC_MAX(stop - i + 3)))
            return;
        o->len += enc(o->buf + o->len, u, i, stop, n, &i);
    }
    mrs_outbuf_putc(o, '"');
}

void mrs_json_cstr(mrs_outbuf *o, const char *s)
{
    if (!s)
        mrs_outbuf_put(o, "null", 4);
    else
        mrs_json_str(o, s, strlen(s));
}

void mrs_json_fstr(FILE *f, const char *s, size_t n)
{
    char buf[2 + MRS_JSON_ESC_MAX(FSLICE + 3)];
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, len = 0;
    buf[len++] = '"';
    for (;;) {
        size_t stop = n - i > FSLICE ? i + FSLICE : n;
        len += enc(buf + len, u, i, stop, n, &i);
        if (i >= n)
            break;
        fwrite(buf, 1, len, f);
        len = 0;
    }
    buf[len++] = '"';
    fwrite(buf, 1, len, f);
}

void mrs_json_fcstr(FILE *f, const char *s)
{
    if (!s)
        fputs("null", f);
    else
        mrs_json_fstr(f, s, strlen(s));
}

char *mrs_utf8_text(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1);   /* an invalid byte grows to EF BF BD */
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = u[i] < 0x80 ? 1 : mrs_utf8_len(u + i, n - i);
        if (k) {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(out + o, "\xef\xbf\xbd", 3);   /* U+FFFD, one per offending byte */
            o += 3;
            i++;
        }
    }
    out[o] = 0;
    return out;
}
