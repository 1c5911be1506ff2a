/*
 * mrt_example.c — the deterministic example MRT data set (see mrt_example.h).
 * Everything derives from a xorshift generator seeded by the caller; the same
 * arguments give byte-identical files.
 */
#include "manrs/feeds/mrt_example.h"

#include <string.h>

#include "manrs/feeds/bgp.h"
#include "manrs/feeds/mrt.h"

static uint32_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (uint32_t)(*s >> 11);
}

static const uint32_t peer_as[4] = {3333, 2914, 6939, 4200000001u};

static void example_prefix(unsigned i, mrs_prefix *p)
{
    memset(p, 0, sizeof *p);
    if (i % 5 == 4) { /* every fifth prefix is IPv6: 2001:db8:xxxx::/48 */
        p->afi = MRS_AFI_IPV6;
        p->len = 48;
        p->addr[0] = 0x20;
        p->addr[1] = 0x01;
        p->addr[2] = 0x0d;
        p->addr[3] = 0xb8;
        p->addr[4] = (uint8_t)(i >> 8);
        p->addr[5] = (uint8_t)i;
    } else { /* 10.x.y.0/24 */
        p->afi = MRS_AFI_IPV4;
        p->len = 24;
        p->addr[0] = 10;
        p->addr[1] = (uint8_t)(i >> 8);
        p->addr[2] = (uint8_t)i;
    }
}

static void example_route(uint64_t *s, unsigned peer, unsigned i, const mrs_prefix *p, bgp_route *r, uint32_t *path,
                          uint32_t *comm)
{
    memset(r, 0, sizeof *r);
    unsigned len = 2 + rnd(s) % 4;
    path[0] = peer_as[peer];
    for (unsigned k = 1; k < len; k++)
        path[k] = 64496 + (rnd(s) % 16); /* documentation ASNs (RFC 5398) */
    path[len - 1] = 65536 + (i % 16);   /* documentation 4-byte ASNs */
    r->path = path;
    r->path_len = len;
    r->origin = (uint8_t)(i % 3 == 0 ? 0 : 2);
    r->next_hop_afi = p->afi;
    if (p->afi == MRS_AFI_IPV4) {
        r->next_hop[0] = 192;
        r->next_hop[1] = 0;
        r->next_hop[2] = 2;
        r->next_hop[3] = (uint8_t)(1 + peer);
    } else {
        r->next_hop[0] = 0x20;
        r->next_hop[1] = 0x01;
        r->next_hop[2] = 0x0d;
        r->next_hop[3] = 0xb8;
        r->next_hop[15] = (uint8_t)(1 + peer);
    }
    r->has_med = i % 2;
    r->med = rnd(s) % 100;
    comm[0] = peer_as[peer] << 16 | 100;
    comm[1] = BGP_COMMUNITY_NO_EXPORT;
    r->communities = comm;
    r->n_communities = i % 4 == 0 ? 2 : i % 4 == 1 ? 1 : 0;
}

bool mrt_example_write(mrt_writer *w, unsigned n, uint32_t seed, mrt_example_counts *c)
{
    mrt_example_counts local;
    if (!c)
        c = &local;
    memset(c, 0, sizeof *c);
    if (n == 0)
        n = 1;
    uint64_t s = 0x9e3779b97f4a7c15ULL ^ seed;
    const uint32_t t0 = 1700000000u;
    mrs_bytes b;
    mrs_bytes_init(&b);
    mrt_peer_entry peers[4];
    memset(peers, 0, sizeof peers);
    for (unsigned k = 0; k < 4; k++) {
        peers[k].afi = MRS_AFI_IPV4;
        peers[k].ip[0] = 192;
        peers[k].ip[2] = 2;
        peers[k].ip[3] = (uint8_t)(1 + k);
        peers[k].asn = peer_as[k];
        peers[k].bgp_id[0] = 10;
        peers[k].bgp_id[3] = (uint8_t)(1 + k);
    }
    const uint8_t cid[4] = {192, 0, 2, 254};
    mrt_put_peer_index(&b, cid, "manrs-example", peers, 4);
    bool ok = mrt_write_bytes(w, t0, 0, MRT_TABLE_DUMP_V2, MRT_TD2_PEER_INDEX_TABLE, &b);
    c->records++;
    uint32_t path[8], comm[2];
    for (unsigned i = 0; i < n; i++) {
        mrs_prefix p;
        example_prefix(i, &p);
        b.len = 0;
        size_t cnt = mrt_put_rib_header(&b, i, &p);
        unsigned entries = 1 + i % 4;
        for (unsigned k = 0; k < entries; k++) {
            bgp_route r;
            example_route(&s, k, i, &p, &r, path, comm);
            mrt_put_rib_entry(&b, (uint16_t)k, t0 - 3600 - i, &r, &p);
        }
        mrt_patch_u16(&b, cnt, (uint16_t)entries);
        ok &= mrt_write_bytes(w, t0, 0, MRT_TABLE_DUMP_V2,
                               p.afi == MRS_AFI_IPV6 ? MRT_TD2_RIB_IPV6_UNICAST : MRT_TD2_RIB_IPV4_UNICAST, &b);
        c->records++;
        c->rib_entries += entries;
    }
    /* updates: each peer re-announces a few prefixes, withdraws some, one session flaps */
    const uint8_t local_ip[4] = {192, 0, 2, 254};
    mrs_bytes msg;
    mrs_bytes_init(&msg);
    for (unsigned i = 0; i < n; i++) {
        unsigned peer = rnd(&s) % 4;
        mrs_prefix p;
        example_prefix(rnd(&s) % n, &p);
        bgp_route r;
        example_route(&s, peer, i, &p, &r, path, comm);
        msg.len = 0;
        bool withdraw = i % 7 == 3;
        if (withdraw)
            bgp_put_update(&msg, &p, 1, NULL, NULL, 0, 4);
        else
            bgp_put_update(&msg, NULL, 0, &r, &p, 1, 4);
        b.len = 0;
        mrt_put_bgp4mp_message(&b, peer_as[peer], 64511, MRS_AFI_IPV4, peers[peer].ip, local_ip, msg.p, msg.len,
                               true);
        ok &= mrt_write_bytes(w, t0 + 1 + i, (i * 7919u) % 1000000u, MRT_BGP4MP_ET, MRT_BGP4MP_MESSAGE_AS4, &b);
        c->records++;
        if (withdraw)
            c->withdrawals++;
        else
            c->announcements++;
        if (i == n / 2) {
            static const uint16_t flap[][2] = {{6, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}};
            for (unsigned k = 0; k < 6; k++) {
                b.len = 0;
                mrt_put_bgp4mp_state(&b, peer_as[0], 64511, MRS_AFI_IPV4, peers[0].ip, local_ip, flap[k][0],
                                     flap[k][1]);
                ok &= mrt_write_bytes(w, t0 + 1 + i, k, MRT_BGP4MP_ET, MRT_BGP4MP_STATE_CHANGE_AS4, &b);
                c->records++;
                c->state_changes++;
            }
        }
    }
    mrs_bytes_clear(&msg);
    mrs_bytes_clear(&b);
    return ok;
}
