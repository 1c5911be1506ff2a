/*
 * mrt_write.c — BGP message and MRT record encoding (see mrt_write.h).
 *
 * The encoder writes what RFC-conforming collectors write: TABLE_DUMP_V2 RIBs
 * with 4-byte ASNs and abbreviated MP_REACH_NLRI for IPv6 (RFC 6396 §4.3.4),
 * BGP4MP_MESSAGE_AS4 with full UPDATE messages. With asn_size 2 it produces the
 * AS_TRANS + AS4_PATH encoding of RFC 6793 §4.2.2, for tests of the merge.
 */
#include "manrs/feeds/mrt_write.h"
#include "manrs/core/grow.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "manrs/feeds/bgp.h"

void mrs_bytes_init(mrs_bytes *b)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

void mrs_bytes_clear(mrs_bytes *b)
{
    free(b->p);
    mrs_bytes_init(b);
}

void mrs_bytes_put(mrs_bytes *b, const void *data, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        uint8_t *np = mrs_grow(b->p, &b->cap, b->len + n, 1, 256);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
    }
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
}

void mrs_bytes_u8(mrs_bytes *b, uint8_t v) { mrs_bytes_put(b, &v, 1); }
void mrs_bytes_u16(mrs_bytes *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    mrs_bytes_put(b, x, 2);
}
void mrs_bytes_u32(mrs_bytes *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    mrs_bytes_put(b, x, 4);
}

void bgp_put_attr(mrs_bytes *b, uint8_t flags, uint8_t type, const void *data, size_t len)
{
    if (len > 255) {
        mrs_bytes_u8(b, flags | BGP_ATTR_FLAG_EXTLEN);
        mrs_bytes_u8(b, type);
        mrs_bytes_u16(b, (uint16_t)len);
    } else {
        mrs_bytes_u8(b, flags & (uint8_t)~BGP_ATTR_FLAG_EXTLEN);
        mrs_bytes_u8(b, type);
        mrs_bytes_u8(b, (uint8_t)len);
    }
    mrs_bytes_put(b, data, len);
}

void bgp_put_nlri(mrs_bytes *b, const mrs_prefix *p, bool addpath, uint32_t path_id)
{
    if (addpath)
        mrs_bytes_u32(b, path_id);
    mrs_bytes_u8(b, p->len);
    mrs_bytes_put(b, p->addr, (p->len + 7u) / 8u);
}

/* AS_PATH value: segments of at most 255 ASNs. */
static void put_path(mrs_bytes *v, const uint32_t *path, unsigned n, const uint32_t *set, unsigned nset,
                     uint8_t asn_size, bool trans)
{
    for (unsigned i = 0; i < n;) {
        unsigned c = n - i > 255 ? 255 : n - i;
        mrs_bytes_u8(v, BGP_AS_SEQUENCE);
        mrs_bytes_u8(v, (uint8_t)c);
        for (unsigned j = 0; j < c; j++) {
            uint32_t a = path[i + j];
            if (asn_size == 4)
                mrs_bytes_u32(v, a);
            else
                mrs_bytes_u16(v, (uint16_t)(trans && a > 65535 ? BGP_AS_TRANS : a));
        }
        i += c;
    }
    if (nset) {
        mrs_bytes_u8(v, BGP_AS_SET);
        mrs_bytes_u8(v, (uint8_t)(nset > 255 ? 255 : nset));
        for (unsigned j = 0; j < nset && j < 255; j++) {
            if (asn_size == 4)
                mrs_bytes_u32(v, set[j]);
            else
                mrs_bytes_u16(v, (uint16_t)(trans && set[j] > 65535 ? BGP_AS_TRANS : set[j]));
        }
    }
}

void bgp_put_route_attrs(mrs_bytes *b, const bgp_route *r, uint8_t asn_size, const mrs_prefix *mp_nlri,
                         unsigned n_mp, bool rib_entry)
{
    const uint8_t WK = BGP_ATTR_FLAG_TRANSITIVE, OPT = BGP_ATTR_FLAG_OPTIONAL,
                  OPT_T = BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_TRANSITIVE;
    mrs_bytes v;
    mrs_bytes_init(&v);
    bgp_put_attr(b, WK, BGP_ATTR_ORIGIN, &r->origin, 1);
    put_path(&v, r->path, r->path_len, r->origin_set, r->origin_set_len, asn_size, true);
    bgp_put_attr(b, WK, BGP_ATTR_AS_PATH, v.p, v.len);
    bool need_as4 = false;
    for (unsigned i = 0; i < r->path_len; i++)
        need_as4 |= r->path[i] > 65535;
    for (unsigned i = 0; i < r->origin_set_len; i++)
        need_as4 |= r->origin_set[i] > 65535;
    if (r->next_hop_afi == MRS_AFI_IPV4)
        bgp_put_attr(b, WK, BGP_ATTR_NEXT_HOP, r->next_hop, 4);
    if (r->has_med) {
        uint8_t x[4] = {(uint8_t)(r->med >> 24), (uint8_t)(r->med >> 16), (uint8_t)(r->med >> 8), (uint8_t)r->med};
        bgp_put_attr(b, OPT, BGP_ATTR_MED, x, 4);
    }
    if (r->has_local_pref) {
        uint32_t lp = r->local_pref;
        uint8_t x[4] = {(uint8_t)(lp >> 24), (uint8_t)(lp >> 16), (uint8_t)(lp >> 8), (uint8_t)lp};
        bgp_put_attr(b, WK, BGP_ATTR_LOCAL_PREF, x, 4);
    }
    if (r->atomic_aggregate)
        bgp_put_attr(b, WK, BGP_ATTR_ATOMIC_AGGREGATE, NULL, 0);
    if (r->has_aggregator) {
        v.len = 0;
        if (asn_size == 4)
            mrs_bytes_u32(&v, r->aggregator_as);
        else
            mrs_bytes_u16(&v, (uint16_t)(r->aggregator_as > 65535 ? BGP_AS_TRANS : r->aggregator_as));
        mrs_bytes_put(&v, r->aggregator_ip, 4);
        bgp_put_attr(b, OPT_T, BGP_ATTR_AGGREGATOR, v.p, v.len);
    }
    if (r->n_communities) {
        v.len = 0;
        for (unsigned i = 0; i < r->n_communities; i++)
            mrs_bytes_u32(&v, r->communities[i]);
        bgp_put_attr(b, OPT_T, BGP_ATTR_COMMUNITIES, v.p, v.len);
    }
    if (n_mp || (rib_entry && r->next_hop_afi == MRS_AFI_IPV6)) {
        v.len = 0;
        if (rib_entry) {
            mrs_bytes_u8(&v, 16);
            mrs_bytes_put(&v, r->next_hop, 16);
        } else {
            mrs_bytes_u16(&v, MRS_AFI_IPV6);
            mrs_bytes_u8(&v, BGP_SAFI_UNICAST);
            mrs_bytes_u8(&v, 16);
            mrs_bytes_put(&v, r->next_hop, 16);
            mrs_bytes_u8(&v, 0);
            for (unsigned i = 0; i < n_mp; i++)
                bgp_put_nlri(&v, &mp_nlri[i], false, 0);
        }
        bgp_put_attr(b, OPT, BGP_ATTR_MP_REACH_NLRI, v.p, v.len);
    }
    if (asn_size == 2 && need_as4) {
        v.len = 0;
        put_path(&v, r->path, r->path_len, r->origin_set, r->origin_set_len, 4, false);
        bgp_put_attr(b, OPT_T, BGP_ATTR_AS4_PATH, v.p, v.len);
        if (r->has_aggregator && r->aggregator_as > 65535) {
            v.len = 0;
            mrs_bytes_u32(&v, r->aggregator_as);
            mrs_bytes_put(&v, r->aggregator_ip, 4);
            bgp_put_attr(b, OPT_T, BGP_ATTR_AS4_AGGREGATOR, v.p, v.len);
        }
    }
    if (r->n_large) {
        v.len = 0;
        for (unsigned i = 0; i < 3 * r->n_large; i++)
            mrs_bytes_u32(&v, r->large[i]);
        bgp_put_attr(b, OPT_T, BGP_ATTR_LARGE_COMMUNITIES, v.p, v.len);
    }
    if (r->has_otc) {
        uint8_t x[4] = {(uint8_t)(r->otc >> 24), (uint8_t)(r->otc >> 16), (uint8_t)(r->otc >> 8), (uint8_t)r->otc};
        bgp_put_attr(b, OPT_T, BGP_ATTR_OTC, x, 4);
    }
    if (v.oom)
        b->oom = true;
    mrs_bytes_clear(&v);
}

void bgp_put_update(mrs_bytes *b, const mrs_prefix *withdrawn, unsigned n_withdrawn, const bgp_route *r,
                    const mrs_prefix *announced, unsigned n_announced, uint8_t asn_size)
{
    mrs_bytes w4, a4, attrs, v;
    mrs_bytes_init(&w4);
    mrs_bytes_init(&a4);
    mrs_bytes_init(&attrs);
    mrs_bytes_init(&v);
    unsigned n6w = 0, n6a = 0;
    for (unsigned i = 0; i < n_withdrawn; i++) {
        if (withdrawn[i].afi == MRS_AFI_IPV4)
            bgp_put_nlri(&w4, &withdrawn[i], false, 0);
        else
            n6w++;
    }
    if (n6w) {
        mrs_bytes_u16(&v, MRS_AFI_IPV6);
        mrs_bytes_u8(&v, BGP_SAFI_UNICAST);
        for (unsigned i = 0; i < n_withdrawn; i++)
            if (withdrawn[i].afi == MRS_AFI_IPV6)
                bgp_put_nlri(&v, &withdrawn[i], false, 0);
        bgp_put_attr(&attrs, BGP_ATTR_FLAG_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI, v.p, v.len);
    }
    mrs_prefix *mp = NULL;
    for (unsigned i = 0; i < n_announced; i++) {
        if (announced[i].afi == MRS_AFI_IPV4)
            bgp_put_nlri(&a4, &announced[i], false, 0);
        else
            n6a++;
    }
    if (r && n_announced) {
        if (n6a) {
            if ((mp = calloc(n6a, sizeof *mp)) != NULL) {
                unsigned k = 0;
                for (unsigned i = 0; i < n_announced; i++)
                    if (announced[i].afi == MRS_AFI_IPV6)
                        mp[k++] = announced[i];
            } else
                attrs.oom = true;
        }
        if (mp || !n6a)
            bgp_put_route_attrs(&attrs, r, asn_size, mp, n6a, false);
    }
    static const uint8_t marker[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    mrs_bytes_put(b, marker, 16);
    mrs_bytes_u16(b, (uint16_t)(19 + 2 + w4.len + 2 + attrs.len + a4.len));
    mrs_bytes_u8(b, BGP_MSG_UPDATE);
    mrs_bytes_u16(b, (uint16_t)w4.len);
    mrs_bytes_put(b, w4.p, w4.len);
    mrs_bytes_u16(b, (uint16_t)attrs.len);
    mrs_bytes_put(b, attrs.p, attrs.len);
    mrs_bytes_put(b, a4.p, a4.len);
    free(mp);
    if (w4.oom || a4.oom || attrs.oom || v.oom)
        b->oom = true;
    mrs_bytes_clear(&w4);
    mrs_bytes_clear(&a4);
    mrs_bytes_clear(&attrs);
    mrs_bytes_clear(&v);
}

struct mrt_writer {
    gzFile gz;
    FILE *f;
    mrs_bytes *mem;
    bool failed;
};

mrt_writer *mrt_writer_open(const char *path, char *err, size_t errlen)
{
    mrt_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    size_t n = strlen(path);
    if (n > 3 && !strcmp(path + n - 3, ".gz")) {
        /* gzdopen writes no file name and a zero modification time: deterministic */
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0)
            w->gz = gzdopen(fd, "wb6");
        if (fd < 0 || !w->gz) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
            if (fd >= 0)
                close(fd);
            free(w);
            return NULL;
        }
    } else {
        w->f = fopen(path, "wb");
        if (!w->f) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            free(w);
            return NULL;
        }
    }
    return w;
}

mrt_writer *mrt_writer_open_mem(mrs_bytes *mem)
{
    mrt_writer *w = calloc(1, sizeof *w);
    if (w)
        w->mem = mem;
    return w;
}

static void wr(mrt_writer *w, const void *p, size_t n)
{
    if (!n || w->failed)
        return;
    if (w->mem) {
        mrs_bytes_put(w->mem, p, n);
        if (w->mem->oom)
            w->failed = true;
    } else if (w->gz) {
        if (gzwrite(w->gz, p, (unsigned)n) != (int)n)
            w->failed = true;
    } else if (fwrite(p, 1, n, w->f) != n) {
        w->failed = true;
    }
}

bool mrt_write_record(mrt_writer *w, uint32_t ts, uint32_t usec, uint16_t type, uint16_t subtype, const void *body,
                      size_t len)
{
    bool et = type == 17 || type == 33 || type == 49;
    mrs_bytes h;
    mrs_bytes_init(&h);
    mrs_bytes_u32(&h, ts);
    mrs_bytes_u16(&h, type);
    mrs_bytes_u16(&h, subtype);
    mrs_bytes_u32(&h, (uint32_t)(len + (et ? 4 : 0)));
    if (et)
        mrs_bytes_u32(&h, usec);
    if (h.oom)
        w->failed = true;
    wr(w, h.p, h.len);
    wr(w, body, len);
    mrs_bytes_clear(&h);
    return !w->failed;
}

bool mrt_write_bytes(mrt_writer *w, uint32_t ts, uint32_t usec, uint16_t type, uint16_t subtype, const mrs_bytes *b)
{
    if (b->oom) {
        w->failed = true;
        return false;
    }
    return mrt_write_record(w, ts, usec, type, subtype, b->p, b->len);
}

bool mrt_writer_close(mrt_writer *w)
{
    if (!w)
        return false;
    bool ok = !w->failed;
    if (w->gz) {
        if (gzclose(w->gz) != Z_OK)
            ok = false;
    } else if (w->f) {
        if (fclose(w->f) != 0)
            ok = false;
    }
    free(w);
    return ok;
}

void mrt_put_peer_index(mrs_bytes *b, const uint8_t collector_id[4], const char *view, const mrt_peer_entry *peers,
                        unsigned n)
{
    mrs_bytes_put(b, collector_id, 4);
    size_t vl = view ? strlen(view) : 0;
    mrs_bytes_u16(b, (uint16_t)vl);
    mrs_bytes_put(b, view, vl);
    mrs_bytes_u16(b, (uint16_t)n);
    for (unsigned i = 0; i < n; i++) {
        bool v6 = peers[i].afi == MRS_AFI_IPV6;
        mrs_bytes_u8(b, (uint8_t)((v6 ? 1 : 0) | 2)); /* 4-byte AS always */
        mrs_bytes_put(b, peers[i].bgp_id, 4);
        mrs_bytes_put(b, peers[i].ip, v6 ? 16 : 4);
        mrs_bytes_u32(b, peers[i].asn);
    }
}

size_t mrt_put_rib_header(mrs_bytes *b, uint32_t seq, const mrs_prefix *p)
{
    mrs_bytes_u32(b, seq);
    mrs_bytes_u8(b, p->len);
    mrs_bytes_put(b, p->addr, (p->len + 7u) / 8u);
    size_t pos = b->len;
    mrs_bytes_u16(b, 0);
    return pos;
}

void mrt_patch_u16(mrs_bytes *b, size_t pos, uint16_t v)
{
    if (b->oom || pos + 2 > b->len)
        return;   /* nothing was written there (out of memory is reported by the writer) */
    b->p[pos] = (uint8_t)(v >> 8);
    b->p[pos + 1] = (uint8_t)v;
}

void mrt_put_rib_entry(mrs_bytes *b, uint16_t peer_index, uint32_t originated, const bgp_route *r,
                       const mrs_prefix *p)
{
    (void)p;
    mrs_bytes_u16(b, peer_index);
    mrs_bytes_u32(b, originated);
    mrs_bytes a;
    mrs_bytes_init(&a);
    bgp_put_route_attrs(&a, r, 4, NULL, 0, true);
    mrs_bytes_u16(b, (uint16_t)a.len);
    mrs_bytes_put(b, a.p, a.len);
    if (a.oom)
        b->oom = true;
    mrs_bytes_clear(&a);
}

void mrt_put_bgp4mp_message(mrs_bytes *b, uint32_t peer_as, uint32_t local_as, unsigned afi, const uint8_t *peer_ip,
                            const uint8_t *local_ip, const uint8_t *msg, size_t msg_len, bool as4)
{
    if (as4) {
        mrs_bytes_u32(b, peer_as);
        mrs_bytes_u32(b, local_as);
    } else {
        mrs_bytes_u16(b, (uint16_t)peer_as);
        mrs_bytes_u16(b, (uint16_t)local_as);
    }
    mrs_bytes_u16(b, 0);
    mrs_bytes_u16(b, (uint16_t)afi);
    size_t il = afi == MRS_AFI_IPV6 ? 16 : 4;
    mrs_bytes_put(b, peer_ip, il);
    mrs_bytes_put(b, local_ip, il);
    mrs_bytes_put(b, msg, msg_len);
}

void mrt_put_bgp4mp_state(mrs_bytes *b, uint32_t peer_as, uint32_t local_as, unsigned afi, const uint8_t *peer_ip,
                          const uint8_t *local_ip, uint16_t old_state, uint16_t new_state)
{
    mrs_bytes_u32(b, peer_as);
    mrs_bytes_u32(b, local_as);
    mrs_bytes_u16(b, 0);
    mrs_bytes_u16(b, (uint16_t)afi);
    size_t il = afi == MRS_AFI_IPV6 ? 16 : 4;
    mrs_bytes_put(b, peer_ip, il);
    mrs_bytes_put(b, local_ip, il);
    mrs_bytes_u16(b, old_state);
    mrs_bytes_u16(b, new_state);
}
