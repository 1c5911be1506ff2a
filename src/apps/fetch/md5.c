/*
 * md5.c — MD5 as RFC 1321 specifies it: the message padded with a 1 bit, zeros
 * and its length in bits (64 bits, little-endian) to a multiple of 512 bits, then
 * four rounds of 16 operations per 64-byte block on the state A, B, C, D; the
 * digest is A..D little-endian.
 */
#include "md5.h"

#include <stdio.h>
#include <string.h>

/* T[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 section 3.4 */
static const uint32_t T[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* the shift of each operation: four per round, repeated */
static const uint8_t S[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

static uint32_t rotl(uint32_t x, unsigned s) { return (x << s) | (x >> (32 - s)); }

static void block(uint32_t h[4], const uint8_t *p)
{
    uint32_t X[16];
    for (unsigned i = 0; i < 16; i++)
        X[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
               (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (unsigned i = 0; i < 64; i++) {
        unsigned round = i / 16, k;
        uint32_t f;
        switch (round) {
        case 0: f = (b & c) | (~b & d); k = i; break;                 /* F */
        case 1: f = (b & d) | (c & ~d); k = (1 + 5 * i) % 16; break;  /* G */
        case 2: f = b ^ c ^ d; k = (5 + 3 * i) % 16; break;           /* H */
        default: f = c ^ (b | ~d); k = (7 * i) % 16; break;           /* I */
        }
        uint32_t t = d;
        d = c;
        c = b;
        b = b + rotl(a + f + X[k] + T[i], S[round][i % 4]);
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

void fetch_md5_init(fetch_md5 *m)
{
    m->h[0] = 0x67452301;
    m->h[1] = 0xefcdab89;
    m->h[2] = 0x98badcfe;
    m->h[3] = 0x10325476;
    m->len = 0;
    m->nbuf = 0;
}

void fetch_md5_update(fetch_md5 *m, const void *data, size_t len)
{
    const uint8_t *p = data;
    m->len += len;
    if (m->nbuf) {
        size_t take = 64 - m->nbuf < len ? 64 - m->nbuf : len;
        memcpy(m->buf + m->nbuf, p, take);
        m->nbuf += take;
        p += take;
        len -= take;
        if (m->nbuf < 64)
            return;
        block(m->h, m->buf);
        m->nbuf = 0;
    }
    for (; len >= 64; p += 64, len -= 64)
        block(m->h, p);
    memcpy(m->buf, p, len);
    m->nbuf = len;
}

void fetch_md5_final(fetch_md5 *m, uint8_t out[16])
{
    uint64_t bits = m->len * 8;
    uint8_t pad[72] = {0x80};
    size_t npad = (m->nbuf < 56 ? 56 : 120) - m->nbuf;
    for (unsigned i = 0; i < 8; i++)
        pad[npad + i] = (uint8_t)(bits >> (8 * i));
    fetch_md5_update(m, pad, npad + 8);
    for (unsigned i = 0; i < 16; i++)
        out[i] = (uint8_t)(m->h[i / 4] >> (8 * (i % 4)));
}

static void to_hex(const uint8_t d[16], char out[33])
{
    static const char hx[] = "0123456789abcdef";
    for (unsigned i = 0; i < 16; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    out[32] = 0;
}

void fetch_md5_hex(const void *data, size_t len, char out[33])
{
    fetch_md5 m;
    uint8_t d[16];
    fetch_md5_init(&m);
    fetch_md5_update(&m, data, len);
    fetch_md5_final(&m, d);
    to_hex(d, out);
}

int fetch_md5_file(const char *path, char out[33])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fetch_md5 m;
    fetch_md5_init(&m);
    uint8_t buf[1 << 15];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fetch_md5_update(&m, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return -1;
    uint8_t d[16];
    fetch_md5_final(&m, d);
    to_hex(d, out);
    return 0;
}
