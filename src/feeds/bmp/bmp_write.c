/*
 * bmp_write.c — encoding BMP messages (RFC 7854) and BGP OPENs (RFC 4271 §4.2,
 * RFC 5492, RFC 6793, RFC 7911) for the tests and the fuzz seeds.
 */
#include <string.h>

#include "manrs/feeds/bgp.h"
#include "manrs/feeds/bmp.h"

size_t bmp_put_start(mrs_bytes *b, uint8_t type)
{
    size_t start = b->len;
    mrs_bytes_u8(b, BMP_VERSION);
    mrs_bytes_u32(b, 0);
    mrs_bytes_u8(b, type);
    return start;
}

void bmp_put_end(mrs_bytes *b, size_t start)
{
    if (b->oom || b->len < start + BMP_COMMON_HEADER)
        return;
    uint32_t n = (uint32_t)(b->len - start);
    uint8_t *p = b->p + start + 1;
    p[0] = (uint8_t)(n >> 24);
    p[1] = (uint8_t)(n >> 16);
    p[2] = (uint8_t)(n >> 8);
    p[3] = (uint8_t)n;
}

void bmp_put_peer(mrs_bytes *b, const bmp_peer_hdr *h)
{
    uint8_t a[16] = {0};
    if (h->afi == MRS_AFI_IPV6)
        memcpy(a, h->addr, 16);
    else
        memcpy(a + 12, h->addr, 4);
    mrs_bytes_u8(b, h->type);
    mrs_bytes_u8(b, h->flags);
    mrs_bytes_put(b, h->rd, 8);
    mrs_bytes_put(b, a, 16);
    mrs_bytes_u32(b, h->asn);
    mrs_bytes_put(b, h->bgp_id, 4);
    mrs_bytes_u32(b, h->sec);
    mrs_bytes_u32(b, h->usec);
}

void bmp_put_tlv(mrs_bytes *b, uint16_t type, const void *value, uint16_t len)
{
    mrs_bytes_u16(b, type);
    mrs_bytes_u16(b, len);
    mrs_bytes_put(b, value, len);
}

void bgp_put_open(mrs_bytes *b, uint32_t asn, const uint8_t bgp_id[4], uint16_t hold, bool as4,
                  const uint8_t addpath[2][2])
{
    uint8_t caps[64];
    size_t n = 0;
    caps[n++] = 1;              /* Multiprotocol, RFC 4760 §8: IPv4 and IPv6 unicast */
    caps[n++] = 4;
    caps[n++] = 0, caps[n++] = 1, caps[n++] = 0, caps[n++] = 1;
    caps[n++] = 1;
    caps[n++] = 4;
    caps[n++] = 0, caps[n++] = 2, caps[n++] = 0, caps[n++] = 1;
    if (as4) {
        caps[n++] = 65;
        caps[n++] = 4;
        caps[n++] = (uint8_t)(asn >> 24), caps[n++] = (uint8_t)(asn >> 16);
        caps[n++] = (uint8_t)(asn >> 8), caps[n++] = (uint8_t)asn;
    }
    size_t ap = n;
    caps[n++] = 69;
    caps[n++] = 0;
    for (int a = 0; addpath && a < 2; a++)
        for (int f = 0; f < 2; f++)
            if (addpath[a][f]) {
                caps[n++] = 0, caps[n++] = (uint8_t)(a + 1), caps[n++] = (uint8_t)(f + 1);
                caps[n++] = addpath[a][f];
                caps[ap + 1] += 4;
            }
    if (!caps[ap + 1])
        n = ap;
    static const uint8_t marker[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    mrs_bytes_put(b, marker, 16);
    mrs_bytes_u16(b, (uint16_t)(29 + 2 + n));
    mrs_bytes_u8(b, BGP_MSG_OPEN);
    mrs_bytes_u8(b, 4);
    mrs_bytes_u16(b, (uint16_t)(asn > 0xffff ? BGP_AS_TRANS : asn));
    mrs_bytes_u16(b, hold);
    mrs_bytes_put(b, bgp_id, 4);
    mrs_bytes_u8(b, (uint8_t)(2 + n));
    mrs_bytes_u8(b, 2);         /* Capabilities optional parameter */
    mrs_bytes_u8(b, (uint8_t)n);
    mrs_bytes_put(b, caps, n);
}
