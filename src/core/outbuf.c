/* outbuf.c — see outbuf.h */
#include "manrs/core/outbuf.h"
#include "manrs/core/grow.h"

#include <stdint.h>
#include <stdlib.h>

void mrs_outbuf_init(mrs_outbuf *o, FILE *out)
{
    o->cap = 1u << 17;
    o->buf = malloc(o->cap);
    o->len = 0;
    o->out = out;
    o->failed = o->oom = o->buf == NULL;
    if (!o->buf)
        o->cap = 0;
}

bool mrs_outbuf_grow(mrs_outbuf *o, size_t need)
{
    if (o->out && o->len) {
        mrs_outbuf_flush(o);
        if (o->len + need <= o->cap)
            return true;
    }
    char *nb = mrs_grow(o->buf, &o->cap, o->len + need, 1, 4096);
    if (!nb) {
        o->failed = o->oom = true;   /* sticky: what does not fit is dropped */
        return false;
    }
    o->buf = nb;
    return true;
}

void mrs_outbuf_flush(mrs_outbuf *o)
{
    if (!o->out || !o->len)
        return;
    if (fwrite(o->buf, 1, o->len, o->out) != o->len)
        o->failed = true;
    o->len = 0;
}

bool mrs_outbuf_close(mrs_outbuf *o)
{
    mrs_outbuf_flush(o);
    if (o->out && fflush(o->out) != 0)
        o->failed = true;
    free(o->buf);
    o->buf = NULL;
    o->cap = o->len = 0;
    return !o->failed;
}

/* Two digits at a time ("00".."99"): half the divisions of the digit loop, no reversal. */
const char mrs_digits2[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                 "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                 "8081828384858687888990919293949596979899";

int mrs_u32_to_str(uint32_t v, char *out)
{
    int n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6
          : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
    char *p = out + n;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100) * 2;
        v /= 100;
        p -= 2;
        p[0] = mrs_digits2[r];
        p[1] = mrs_digits2[r + 1];
    }
    if (v >= 10) {
        p -= 2;
        p[0] = mrs_digits2[v * 2];
        p[1] = mrs_digits2[v * 2 + 1];
    } else {
        *--p = (char)('0' + v);
    }
    return n;
}

void mrs_outbuf_u64(mrs_outbuf *o, uint64_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (!mrs_outbuf_reserve(o, 20))
        return;
    while (n)
        o->buf[o->len++] = tmp[--n];
}

void mrs_outbuf_i32(mrs_outbuf *o, int32_t v)
{
    if (v < 0) {
        mrs_outbuf_putc(o, '-');
        mrs_outbuf_u32(o, (uint32_t)(-(int64_t)v));
    } else {
        mrs_outbuf_u32(o, (uint32_t)v);
    }
}
