/*
 * prefix.c — address/prefix formatting and parsing (see prefix.h).
 *
 * The formatters are on the hot path of `manrs dump` (one or two addresses per
 * output line), so they avoid stdio and write digits directly.
 */
#include "manrs/core/prefix.h"
#include "manrs/core/outbuf.h"

#include <ctype.h>
#include <string.h>

static int put_u8(uint8_t b, char *out)
{
    unsigned v = b;
    if (v >= 100) {
        unsigned h = v / 100;
        v -= h * 100;
        out[0] = (char)('0' + h);
        memcpy(out + 1, mrs_digits2 + 2 * v, 2);
        return 3;
    }
    if (v >= 10) {
        memcpy(out, mrs_digits2 + 2 * v, 2);
        return 2;
    }
    out[0] = (char)('0' + v);
    return 1;
}

int mrs_ipv4_format(const uint8_t a[4], char *out)
{
    int n = put_u8(a[0], out);
    out[n++] = '.';
    n += put_u8(a[1], out + n);
    out[n++] = '.';
    n += put_u8(a[2], out + n);
    out[n++] = '.';
    n += put_u8(a[3], out + n);
    out[n] = '\0';
    return n;
}

static int put_hex16(unsigned v, char *out)
{
    static const char hex[] = "0123456789abcdef";
    int n = 0;
    int started = 0;
    for (int shift = 12; shift >= 0; shift -= 4) {
        unsigned d = (v >> shift) & 0xf;
        if (d || started || shift == 0) {
            out[n++] = hex[d];
            started = 1;
        }
    }
    return n;
}

int mrs_ipv6_format(const uint8_t a[16], char *out)
{
    unsigned w[8];
    for (int i = 0; i < 8; i++)
        w[i] = ((unsigned)a[2 * i] << 8) | a[2 * i + 1];

    /* Longest run of zero groups (first one on ties); runs of one are not compressed. */
    int best = -1, bestlen = 0, cur = -1, curlen = 0;
    for (int i = 0; i < 8; i++) {
        if (w[i] == 0) {
            if (cur < 0) {
                cur = i;
                curlen = 1;
            } else {
                curlen++;
            }
            if (curlen > bestlen) {
                best = cur;
                bestlen = curlen;
            }
        } else {
            cur = -1;
            curlen = 0;
        }
    }
    if (bestlen < 2)
        best = -1;

    int n = 0;
    for (int i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + bestlen) {
            if (i == best)
                out[n++] = ':';
            continue;
        }
        if (i)
            out[n++] = ':';
        /* Embedded IPv4: ::a.b.c.d and ::ffff:a.b.c.d (as inet_ntop prints them). */
        if (i == 6 && best == 0 && (bestlen == 6 || (bestlen == 5 && w[5] == 0xffff))) {
            n += mrs_ipv4_format(a + 12, out + n);
            return n;
        }
        n += put_hex16(w[i], out + n);
    }
    if (best >= 0 && best + bestlen == 8)
        out[n++] = ':';
    out[n] = '\0';
    return n;
}

int mrs_ip_format(unsigned afi, const uint8_t *a, char *out)
{
    return afi == MRS_AFI_IPV6 ? mrs_ipv6_format(a, out) : mrs_ipv4_format(a, out);
}

int mrs_prefix_format(const mrs_prefix *p, char *out)
{
    int n = mrs_ip_format(p->afi, p->addr, out);
    out[n++] = '/';
    n += put_u8(p->len, out + n);
    out[n] = '\0';
    return n;
}

/* A dotted quad at the start of s[0..n) (octets of 1-3 digits, <= 255) into out;
 * returns the bytes it takes, 0 when there is none. */
static size_t scan_ipv4(const char *s, size_t n, uint8_t out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part) {
            if (i >= n || s[i] != '.')
                return 0;
            i++;
        }
        unsigned v = 0, digits = 0;
        while (i < n && (unsigned)(s[i] - '0') < 10u) {
            v = v * 10 + (unsigned)(s[i] - '0');
            if (++digits > 3 || v > 255)
                return 0;
            i++;
        }
        if (!digits)
            return 0;
        out[part] = (uint8_t)v;
    }
    return i;
}

static bool parse_ipv4(const char *s, size_t n, uint8_t out[4])
{
    return n > 0 && scan_ipv4(s, n, out) == n;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool parse_ipv6(const char *s, size_t n, uint8_t out[16])
{
    uint8_t buf[16] = {0};
    int groups = 0, gap = -1;
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (n >= 1 && s[0] == ':') {
        return false;
    }
    while (i < n) {
        /* An embedded IPv4 tail? */
        size_t j = i;
        while (j < n && s[j] != ':' && s[j] != '.')
            j++;
        if (j < n && s[j] == '.') {
            if (groups > 6 || !parse_ipv4(s + i, n - i, buf + 2 * groups))
                return false;
            groups += 2;
            i = n;
            break;
        }
        unsigned v = 0;
        int digits = 0;
        while (i < n && hexval(s[i]) >= 0) {
            v = (v << 4) | (unsigned)hexval(s[i]);
            if (++digits > 4)
                return false;
            i++;
        }
        if (!digits || groups >= 8)
            return false;
        buf[2 * groups] = (uint8_t)(v >> 8);
        buf[2 * groups + 1] = (uint8_t)v;
        groups++;
        if (i == n)
            break;
        if (s[i] != ':')
            return false;
        i++;
        if (i < n && s[i] == ':') {
            if (gap >= 0)
                return false;
            gap = groups;
            i++;
        } else if (i == n) {
            return false; /* trailing single ':' */
        }
    }
    if (gap >= 0) {
        if (groups > 7)
            return false;
        int tail = groups - gap;
        memset(out, 0, 16);
        memcpy(out, buf, (size_t)gap * 2);
        memcpy(out + 16 - tail * 2, buf + gap * 2, (size_t)tail * 2);
        return true;
    }
    if (groups != 8)
        return false;
    memcpy(out, buf, 16);
    return true;
}

bool mrs_ip_parse(const char *s, size_t n, unsigned *afi, uint8_t out[16])
{
    memset(out, 0, 16);
    if (memchr(s, ':', n)) {
        *afi = MRS_AFI_IPV6;
        return parse_ipv6(s, n, out);
    }
    *afi = MRS_AFI_IPV4;
    return parse_ipv4(s, n, out);
}

bool mrs_prefix_mask(mrs_prefix *p)
{
    bool had = false;
    unsigned bits = mrs_afi_bits(p->afi);
    for (unsigned i = 0; i < bits / 8; i++) {
        unsigned keep = p->len >= (i + 1) * 8 ? 8 : (p->len > i * 8 ? p->len - i * 8 : 0);
        uint8_t mask = (uint8_t)(keep ? (0xff << (8 - keep)) & 0xff : 0);
        if (p->addr[i] & ~mask)
            had = true;
        p->addr[i] &= mask;
    }
    return had;
}

/* The length after "/": decimal digits only, at least one, at most max. */
static inline bool prefix_len(const char *s, size_t n, unsigned max, unsigned *len)
{
    if (!n)
        return false;
    *len = 0;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned)(s[i] - '0') >= 10u)
            return false;
        *len = *len * 10 + (unsigned)(s[i] - '0');
        if (*len > max)
            return false;
    }
    return true;
}

/* The common case of mrs_prefix_parse in one pass: a dotted quad (octets of 1-3
 * digits, <= 255), optionally "/LEN" with LEN <= 32, no host bits set. True with
 * *p filled exactly as the general path would; false for anything else (IPv6,
 * host bits, any error), which the general path then decides. */
static inline bool prefix4_fast(const char *s, size_t n, mrs_prefix *p)
{
    uint8_t q[4];
    size_t i = scan_ipv4(s, n, q);
    if (!i)
        return false;
    uint32_t a = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
    unsigned len = 32;
    if (i < n) {
        if (s[i] != '/' || !prefix_len(s + i + 1, n - i - 1, 32, &len))
            return false;
        if (len < 32 && (a & (0xffffffffu >> len)))
            return false;
    }
    memset(p, 0, sizeof *p);
    p->afi = MRS_AFI_IPV4;
    p->len = (uint8_t)len;
    memcpy(p->addr, q, 4);
    return true;
}

bool mrs_prefix_parse(const char *s, size_t n, mrs_prefix *p, bool strict)
{
    if (prefix4_fast(s, n, p))
        return true;
    memset(p, 0, sizeof *p);
    const char *slash = memchr(s, '/', n);
    size_t alen = slash ? (size_t)(slash - s) : n;
    unsigned afi;
    if (!mrs_ip_parse(s, alen, &afi, p->addr))
        return false;
    p->afi = (uint8_t)afi;
    unsigned bits = mrs_afi_bits(afi), len = bits;
    if (slash && !prefix_len(slash + 1, n - alen - 1, bits, &len))
        return false;
    p->len = (uint8_t)len;
    /* Host bits: the partial byte, then the whole bytes after it. */
    unsigned full = len / 8, rest = len % 8;
    bool host = false;
    if (rest) {
        uint8_t keep = (uint8_t)(0xff << (8 - rest));
        host = (p->addr[full] & ~keep) != 0;
        full++;
    }
    for (unsigned i = full; i < bits / 8 && !host; i++)
        host = p->addr[i] != 0;
    if (host) {
        if (strict)
            return false;
        mrs_prefix_mask(p);
    }
    return true;
}

bool mrs_prefix_covers(const mrs_prefix *a, const mrs_prefix *b)
{
    if (a->afi != b->afi || a->len > b->len)
        return false;
    unsigned full = a->len / 8, rest = a->len % 8;
    if (memcmp(a->addr, b->addr, full) != 0)
        return false;
    if (rest) {
        uint8_t mask = (uint8_t)(0xff << (8 - rest));
        if ((a->addr[full] & mask) != (b->addr[full] & mask))
            return false;
    }
    return true;
}

bool mrs_prefix_equal(const mrs_prefix *a, const mrs_prefix *b)
{
    return a->afi == b->afi && a->len == b->len && memcmp(a->addr, b->addr, 16) == 0;
}

static inline uint64_t be64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

int mrs_prefix_cmp(const mrs_prefix *a, const mrs_prefix *b)
{
    if (a->afi != b->afi)
        return a->afi < b->afi ? -1 : 1;
    /* the address as two big-endian halves: no memcmp call */
    uint64_t x = be64(a->addr), y = be64(b->addr);
    if (x == y) {
        x = be64(a->addr + 8);
        y = be64(b->addr + 8);
    }
    if (x != y)
        return x < y ? -1 : 1;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return 0;
}

bool mrs_asn_parse(const char *s, size_t n, uint32_t *asn)
{
    if (n >= 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's')) {
        s += 2;
        n -= 2;
    }
    if (!n)
        return false;
    uint64_t v = 0, hi = 0;
    bool dot = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' && !dot && i > 0 && i + 1 < n) {
            if (v > 65535)
                return false;
            hi = v;
            v = 0;
            dot = true;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > 0xffffffffULL)
            return false;
    }
    if (dot) {
        if (v > 65535)
            return false;
        v = (hi << 16) | v;
    }
    *asn = (uint32_t)v;
    return true;
}
