/*
 * route_event_codec.c — the route event as a binary message and its partition
 * subject (route_event_codec.h has the layout; docs/scale.md the reasons).
 */
#include "manrs/feeds/route_event_codec.h"
#include "manrs/core/le.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

enum {
    F_PEER_KNOWN = 0x01,
    F_HOST_BITS = 0x02,
    F_HAS_OTC = 0x04,
    F_BLACKHOLE = 0x08,
    F_PEER16 = 0x10,
    F_PREFIX16 = 0x20,
    F_ALL = 0x3f,
};


/* 4 when bytes 4..15 are zero (an IPv4 address as the feeds store it), else 16. */
static size_t addr_len(const uint8_t a[16])
{
    for (int i = 4; i < 16; i++)
        if (a[i])
            return 16;
    return 4;
}

static bool host_little_endian(void)
{
    const uint16_t one = 1;
    uint8_t b;
    memcpy(&b, &one, 1);
    return b == 1;
}

size_t mrs_rev_encode(const mrs_route_event *ev, uint8_t *buf, size_t cap)
{
    if (!ev->source || (ev->path.n && !ev->path.w) || ev->path.n > MRS_REV_MAX_WORDS)
        return 0;
    size_t slen = strlen(ev->source);
    if (slen > MRS_REV_MAX_SOURCE || ev->prefix.afi > MRS_AFI_IPV6 ||
        ev->prefix.len > (ev->prefix.afi ? mrs_afi_bits(ev->prefix.afi) : 0) || ev->kind < MRS_RE_RIB ||
        ev->kind > MRS_RE_PEER_STATE || (ev->prefix.afi == 0) != (ev->kind == MRS_RE_PEER_STATE) ||
        (ev->path.n && (ev->kind == MRS_RE_WITHDRAW || ev->kind == MRS_RE_PEER_STATE)))
        return 0;   /* what the decoder would refuse */
    size_t plen = addr_len(ev->peer.ip), xlen = addr_len(ev->prefix.addr);
    size_t words_at = MRS_REV_HEADER + plen + xlen + slen + 1;
    words_at = (words_at + 3) & ~(size_t)3;
    size_t total = words_at + 4 * (size_t)ev->path.n;
    if (total > cap)
        return total;
    unsigned flags = (ev->peer_known ? F_PEER_KNOWN : 0) | (ev->host_bits ? F_HOST_BITS : 0) |
                     (ev->has_otc ? F_HAS_OTC : 0) | (ev->blackhole ? F_BLACKHOLE : 0) |
                     (plen == 16 ? F_PEER16 : 0) | (xlen == 16 ? F_PREFIX16 : 0);
    memset(buf, 0, words_at);
    buf[0] = MRS_REV_VERSION;
    buf[1] = (uint8_t)ev->kind;
    buf[2] = (uint8_t)flags;
    buf[3] = ev->safi;
    mrs_le_put32(buf + 4, (uint32_t)total);
    mrs_le_put32(buf + 8, ev->time);
    mrs_le_put32(buf + 12, ev->peer.asn);
    mrs_le_put16(buf + 16, ev->peer.afi);
    mrs_le_put16(buf + 18, ev->old_state);
    mrs_le_put16(buf + 20, ev->new_state);
    buf[22] = ev->prefix.afi;
    buf[23] = ev->prefix.len;
    mrs_le_put32(buf + 24, ev->path_id);
    mrs_le_put32(buf + 28, ev->otc);
    mrs_le_put64(buf + 32, ev->offset);
    mrs_le_put16(buf + 40, (uint16_t)slen);
    mrs_le_put32(buf + 44, ev->path.n);
    uint8_t *p = buf + MRS_REV_HEADER;
    memcpy(p, ev->peer.ip, plen);
    p += plen;
    memcpy(p, ev->prefix.addr, xlen);
    p += xlen;
    memcpy(p, ev->source, slen);
    p = buf + words_at;
    for (uint32_t i = 0; i < ev->path.n; i++, p += 4)
        mrs_le_put32(p, ev->path.w[i]);
    return total;
}

#define FAIL(f)                                                                                                        \
    do {                                                                                                               \
        *field = (f);                                                                                                  \
        return 0;                                                                                                      \
    } while (0)

size_t mrs_rev_decode(const uint8_t *msg, size_t n, mrs_route_event *ev, uint32_t *words, const char **field)
{
    static const char *none = "";
    const char *dummy;
    if (!field)
        field = &dummy;
    *field = none;
    if (n < 1)
        FAIL("version (empty message)");
    if (msg[0] != MRS_REV_VERSION)
        FAIL("version");
    if (n < MRS_REV_HEADER)
        FAIL("header (truncated)");
    size_t total = mrs_le_get32(msg + 4);
    if (total < MRS_REV_HEADER || total > n)
        FAIL("length");
    unsigned kind = msg[1], flags = msg[2];
    if (kind < MRS_RE_RIB || kind > MRS_RE_PEER_STATE)
        FAIL("kind");
    if (flags & ~(unsigned)F_ALL)
        FAIL("flags");
    memset(ev, 0, sizeof *ev);
    ev->kind = (mrs_route_event_kind)kind;
    ev->peer_known = flags & F_PEER_KNOWN;
    ev->host_bits = flags & F_HOST_BITS;
    ev->has_otc = flags & F_HAS_OTC;
    ev->blackhole = flags & F_BLACKHOLE;
    ev->safi = msg[3];
    ev->time = mrs_le_get32(msg + 8);
    ev->peer.asn = mrs_le_get32(msg + 12);
    ev->peer.afi = mrs_le_get16(msg + 16);
    ev->old_state = mrs_le_get16(msg + 18);
    ev->new_state = mrs_le_get16(msg + 20);
    ev->prefix.afi = msg[22];
    ev->prefix.len = msg[23];
    if (ev->prefix.afi > MRS_AFI_IPV6)
        FAIL("prefix family");
    if (ev->prefix.len > (ev->prefix.afi ? mrs_afi_bits(ev->prefix.afi) : 0))
        FAIL("prefix length");
    if ((ev->prefix.afi == 0) != (kind == MRS_RE_PEER_STATE))
        FAIL("prefix family (a route needs a prefix, a state change has none)");
    ev->path_id = mrs_le_get32(msg + 24);
    ev->otc = mrs_le_get32(msg + 28);
    ev->offset = mrs_le_get64(msg + 32);
    size_t slen = mrs_le_get16(msg + 40);
    if (slen > MRS_REV_MAX_SOURCE || mrs_le_get16(msg + 42))
        FAIL("source length");
    uint32_t nw = mrs_le_get32(msg + 44);
    if (nw > MRS_REV_MAX_WORDS)
        FAIL("path word count");
    size_t plen = flags & F_PEER16 ? 16 : 4, xlen = flags & F_PREFIX16 ? 16 : 4;
    size_t at = MRS_REV_HEADER;
    if (total - at < plen + xlen)
        FAIL("addresses (truncated)");
    if ((plen == 16 && addr_len(msg + at) == 4) || (xlen == 16 && addr_len(msg + at + plen) == 4))
        FAIL("address (16 bytes where 4 are enough: not canonical)");
    memcpy(ev->peer.ip, msg + at, plen);
    at += plen;
    memcpy(ev->prefix.addr, msg + at, xlen);
    at += xlen;
    if (total - at < slen + 1)
        FAIL("source (truncated)");
    const char *src = (const char *)msg + at;
    if (memchr(src, 0, slen) || src[slen] != 0)
        FAIL("source (NUL)");
    ev->source = src;
    at += slen + 1;
    size_t words_at = (at + 3) & ~(size_t)3;
    if (words_at > total)
        FAIL("padding (truncated)");
    for (size_t i = at; i < words_at; i++)
        if (msg[i])
            FAIL("padding");
    if ((total - words_at) / 4 != nw || (total - words_at) % 4)
        FAIL("path (length does not match the word count)");
    if (kind == MRS_RE_PEER_STATE || kind == MRS_RE_WITHDRAW) {
        if (nw)
            FAIL("path (on a withdrawal or state change)");
    }
    const uint8_t *wp = msg + words_at;
    if (nw) {
        if (((uintptr_t)wp & 3) == 0 && host_little_endian()) {
            ev->path.w = (const uint32_t *)(const void *)wp;
        } else {
            if (!words)
                FAIL("path (unaligned, no scratch)");
            for (uint32_t i = 0; i < nw; i++)
                words[i] = mrs_le_get32(wp + 4 * (size_t)i);
            ev->path.w = words;
        }
    }
    ev->path.n = nw;
    return total;
}

long mrs_rev_partition(const mrs_route_event *ev)
{
    switch (ev->prefix.afi) {
    case 0: return 256 + 65536;
    case MRS_AFI_IPV4: return ev->prefix.addr[0];
    case MRS_AFI_IPV6: return 256 + ((long)ev->prefix.addr[0] << 8 | ev->prefix.addr[1]);
    default: return -1;
    }
}

int mrs_rev_subject(const char *base, const mrs_route_event *ev, char *out, size_t cap)
{
    switch (ev->prefix.afi) {
    case MRS_AFI_IPV4: return snprintf(out, cap, "%s.v4.%u", base, ev->prefix.addr[0]);
    case MRS_AFI_IPV6: return snprintf(out, cap, "%s.v6.%02x%02x", base, ev->prefix.addr[0], ev->prefix.addr[1]);
    default: return snprintf(out, cap, "%s.ctl", base);
    }
}

uint64_t mrs_rev_digest(const mrs_route_event *ev, uint8_t *scratch, size_t cap)
{
    size_t n = mrs_rev_encode(ev, scratch, cap);
    if (!n || n > cap)
        return 0;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= scratch[i];
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h ? h : 1;
}

/* ---------------------------------------------------------------- batches */

void mrs_rev_packer_free(mrs_rev_packer *p)
{
    ZSTD_freeCCtx(p->cctx);
    free(p->buf);
    memset(p, 0, sizeof *p);
}

const uint8_t *mrs_rev_batch_pack(mrs_rev_packer *p, const uint8_t *raw, size_t n, size_t *len)
{
    *len = n;
    if (!n || n > MRS_REVB_MAX_RAW)
        return raw;
    size_t bound = MRS_REVB_HEADER + ZSTD_compressBound(n);
    if (bound > p->cap) {
        uint8_t *nb = realloc(p->buf, bound);
        if (!nb)
            return NULL;
        p->buf = nb;
        p->cap = bound;
    }
    if (!p->cctx) {
        if (!(p->cctx = ZSTD_createCCtx()))
            return NULL;
        if (ZSTD_isError(ZSTD_CCtx_setParameter(p->cctx, ZSTD_c_compressionLevel, p->level ? p->level : 1)) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(p->cctx, ZSTD_c_checksumFlag, 1)) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(p->cctx, ZSTD_c_contentSizeFlag, 1))) {
            ZSTD_freeCCtx(p->cctx);   /* never one without its checksum */
            p->cctx = NULL;
            return raw;
        }
    }
    size_t z = ZSTD_compress2(p->cctx, p->buf + MRS_REVB_HEADER, p->cap - MRS_REVB_HEADER, raw, n);
    if (ZSTD_isError(z) || MRS_REVB_HEADER + z >= n)
        return raw;   /* not smaller: as it is */
    p->buf[0] = MRS_REVB_ZSTD;
    p->buf[1] = p->buf[2] = p->buf[3] = 0;
    mrs_le_put32(p->buf + 4, (uint32_t)n);
    *len = MRS_REVB_HEADER + z;
    return p->buf;
}

void mrs_rev_unpacker_free(mrs_rev_unpacker *u)
{
    ZSTD_freeDCtx(u->dctx);
    free(u->buf);
    memset(u, 0, sizeof *u);
}

#define BATCH_FAIL(f)                                                                                                  \
    do {                                                                                                               \
        *field = (f);                                                                                                  \
        return NULL;                                                                                                   \
    } while (0)

const uint8_t *mrs_rev_batch_events(mrs_rev_unpacker *u, const uint8_t *msg, size_t n, size_t *len,
                                    const char **field)
{
    *field = NULL;
    *len = 0;
    if (!msg || !n)
        BATCH_FAIL("batch (empty)");
    if (msg[0] != MRS_REVB_ZSTD) {
        *len = n;
        return msg;   /* events as they are (mrs_rev_decode judges them) */
    }
    if (n < MRS_REVB_HEADER || msg[1] || msg[2] || msg[3])
        BATCH_FAIL("batch header");
    size_t raw = mrs_le_get32(msg + 4);
    if (!raw || raw > MRS_REVB_MAX_RAW)
        BATCH_FAIL("batch length");
    const uint8_t *z = msg + MRS_REVB_HEADER;
    size_t zn = n - MRS_REVB_HEADER;
    size_t frame = ZSTD_findFrameCompressedSize(z, zn);
    if (ZSTD_isError(frame) || frame != zn)
        BATCH_FAIL("batch (zstd: not exactly one frame)");
    /* RFC 8878 3.1.1: the magic number, then the Frame_Header_Descriptor, whose bit 2
     * is the Content_Checksum_flag */
    if (zn < 5 || mrs_le_get32(z) != 0xFD2FB528u || !(z[4] & 0x04) || ZSTD_getFrameContentSize(z, zn) != raw)
        BATCH_FAIL("batch (zstd: a frame without its content size and checksum)");
    if (raw > u->cap) {
        uint8_t *nb = realloc(u->buf, raw);
        if (!nb)
            BATCH_FAIL("batch (out of memory)");
        u->buf = nb;
        u->cap = raw;
    }
    if (!u->dctx && !(u->dctx = ZSTD_createDCtx()))
        BATCH_FAIL("batch (out of memory)");
    size_t got = ZSTD_decompressDCtx(u->dctx, u->buf, raw, z, zn);
    if (ZSTD_isError(got))
        BATCH_FAIL("batch (zstd: corrupt frame)");
    if (got != raw)
        BATCH_FAIL("batch length (the frame holds another)");
    *len = raw;
    return u->buf;
}
