/* test_bmp.c — BMP messages and sessions (src/feeds/bmp): a router's stream
 * (Initiation, Peer Up with the OPENs of both sides, Route Monitoring of each RIB,
 * ADD-PATH, 2-octet AS paths, Loc-RIB, Statistics, Peer Down, Termination) turned
 * into MRT records and decoded by the one BGP decoder, the same whatever the
 * stream's split into reads; damage reported at its stream offset, a damaged
 * message skipped, an unframeable stream stopped. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/feeds/bgp.h"
#include "manrs/feeds/bmp.h"
#include "manrs/output/dumpfmt.h"

static mrs_prefix P(const char *s)
{
    mrs_prefix p;
    assert_true(mrs_prefix_parse(s, strlen(s), &p, true));
    return p;
}

static void ip(const char *s, uint8_t out[16])
{
    unsigned afi;
    memset(out, 0, 16);
    assert_true(mrs_ip_parse(s, strlen(s), &afi, out));
}

static bmp_peer_hdr peer(uint8_t type, uint8_t flags, const char *addr, uint32_t asn, uint32_t sec)
{
    bmp_peer_hdr h;
    memset(&h, 0, sizeof h);
    h.type = type;
    h.flags = flags;
    h.afi = strchr(addr, ':') ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
    ip(addr, h.addr);
    h.asn = asn;
    h.bgp_id[0] = 10, h.bgp_id[3] = (uint8_t)asn;
    h.sec = sec;
    h.usec = 250;
    return h;
}

/* An UPDATE announcing p over path (asn_size 2 or 4), with a path id when addpath. */
static void put_update(mrs_bytes *b, const mrs_prefix *p, const uint32_t *path, unsigned n, uint8_t asn_size,
                       bool addpath, uint32_t path_id)
{
    bgp_route r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.path_len = n;
    r.next_hop_afi = p->afi;
    if (p->afi == MRS_AFI_IPV4)
        ip("192.0.2.2", r.next_hop);
    else
        ip("2001:db8::2", r.next_hop);
    if (!addpath) {
        bgp_put_update(b, NULL, 0, &r, p, 1, asn_size);
        return;
    }
    assert_int_equal(p->afi, MRS_AFI_IPV4);
    mrs_bytes attrs, nlri;
    mrs_bytes_init(&attrs);
    mrs_bytes_init(&nlri);
    bgp_put_route_attrs(&attrs, &r, asn_size, NULL, 0, false);
    bgp_put_nlri(&nlri, p, true, path_id);
    for (int i = 0; i < 16; i++)
        mrs_bytes_u8(b, 0xff);
    mrs_bytes_u16(b, (uint16_t)(23 + attrs.len + nlri.len));
    mrs_bytes_u8(b, BGP_MSG_UPDATE);
    mrs_bytes_u16(b, 0);
    mrs_bytes_u16(b, (uint16_t)attrs.len);
    mrs_bytes_put(b, attrs.p, attrs.len);
    mrs_bytes_put(b, nlri.p, nlri.len);
    mrs_bytes_clear(&attrs);
    mrs_bytes_clear(&nlri);
}

static void put_rm(mrs_bytes *b, const bmp_peer_hdr *h, const char *pfx, const uint32_t *path, unsigned n,
                   bool addpath, uint32_t path_id)
{
    size_t s = bmp_put_start(b, BMP_ROUTE_MONITORING);
    bmp_put_peer(b, h);
    mrs_prefix p = P(pfx);
    put_update(b, &p, path, n, (h->type != BMP_PEER_LOC_RIB && (h->flags & BMP_FLAG_A)) ? 2 : 4, addpath, path_id);
    bmp_put_end(b, s);
}

static void put_peer_up(mrs_bytes *b, const bmp_peer_hdr *h, const char *local, uint32_t local_as, bool as4,
                        const uint8_t sent_ap[2][2], const uint8_t recv_ap[2][2])
{
    size_t s = bmp_put_start(b, BMP_PEER_UP);
    bmp_put_peer(b, h);
    uint8_t la[16] = {0}, l[16];
    ip(local, l);
    if (h->afi == MRS_AFI_IPV6)
        memcpy(la, l, 16);
    else
        memcpy(la + 12, l, 4);
    mrs_bytes_put(b, la, 16);
    mrs_bytes_u16(b, 179);
    mrs_bytes_u16(b, 40000);
    uint8_t id[4] = {192, 0, 2, 1};
    bgp_put_open(b, local_as, id, 90, as4, sent_ap);
    bgp_put_open(b, h->asn, h->bgp_id, 90, as4, recv_ap);
    bmp_put_end(b, s);
}

static void put_peer_down(mrs_bytes *b, const bmp_peer_hdr *h)
{
    size_t s = bmp_put_start(b, BMP_PEER_DOWN);
    bmp_put_peer(b, h);
    mrs_bytes_u8(b, 2);     /* local close, FSM event */
    mrs_bytes_u16(b, 0);
    bmp_put_end(b, s);
}

/* The stream of one router, as test_bmp builds it. */
static void router_stream(mrs_bytes *b)
{
    size_t s = bmp_put_start(b, BMP_INITIATION);
    bmp_put_tlv(b, 1, "manrs test", 10);
    bmp_put_tlv(b, 2, "r1\n", 3);
    bmp_put_end(b, s);

    static const uint8_t send4[2][2] = {{2, 0}, {0, 0}}, recv4[2][2] = {{1, 0}, {0, 0}};
    bmp_peer_hdr a = peer(BMP_PEER_GLOBAL, 0, "192.0.2.2", 64501, 1700000000);
    put_peer_up(b, &a, "192.0.2.1", 64500, true, recv4, send4);
    uint32_t pa[] = {64501, 64496};
    put_rm(b, &a, "198.51.100.0/24", pa, 2, true, 7);
    bmp_peer_hdr apost = a;
    apost.flags |= BMP_FLAG_L;
    put_rm(b, &apost, "198.51.100.0/24", pa, 2, true, 7);

    /* IPv6 peer, 2-octet session */
    bmp_peer_hdr c = peer(BMP_PEER_GLOBAL, BMP_FLAG_V | BMP_FLAG_A, "2001:db8::2", 64502, 1700000001);
    put_peer_up(b, &c, "2001:db8::1", 64500, false, NULL, NULL);
    uint32_t pc[] = {64502, 3356};
    put_rm(b, &c, "2001:db8:100::/40", pc, 2, false, 0);

    /* Loc-RIB (RFC 9069): the router's best path */
    bmp_peer_hdr loc = peer(BMP_PEER_LOC_RIB, 0, "0.0.0.0", 64500, 1700000002);
    loc.bgp_id[0] = 192, loc.bgp_id[1] = 0, loc.bgp_id[2] = 2, loc.bgp_id[3] = 1;
    put_peer_up(b, &loc, "0.0.0.0", 64500, true, NULL, NULL);
    put_rm(b, &loc, "198.51.100.0/24", pa, 2, false, 0);

    /* Adj-RIB-Out (RFC 8671) towards the first peer: no path ids that way */
    bmp_peer_hdr out = a;
    out.flags |= BMP_FLAG_O;
    uint32_t po[] = {64500, 64496};
    put_rm(b, &out, "203.0.113.0/24", po, 2, false, 0);

    s = bmp_put_start(b, BMP_STATISTICS);
    bmp_put_peer(b, &a);
    mrs_bytes_u32(b, 1);
    uint8_t v[4] = {0, 0, 0, 3};
    bmp_put_tlv(b, 0, v, 4);
    bmp_put_end(b, s);

    put_peer_down(b, &a);
    s = bmp_put_start(b, BMP_TERMINATION);
    uint8_t why[2] = {0, 0};
    bmp_put_tlv(b, 1, why, 2);
    bmp_put_end(b, s);
}

typedef struct out {
    mrt_decoder *d;
    mrs_outbuf o;
    FILE *f;
    char *text;
    size_t len;
    unsigned ribs[8];
    uint32_t path_ids[8];
    unsigned nrec, nann;
} out;

static void on_event(const mrt_event *ev, void *user)
{
    out *x = user;
    dumpfmt_bgpdump(&x->o, ev);
    if (ev->kind == MRT_EV_ANNOUNCE && x->nann < 8)
        x->path_ids[x->nann++] = ev->addpath ? ev->prefix.path_id : 0;
}

static void on_record(const mrt_record *rec, unsigned ribs, void *user)
{
    out *x = user;
    if (x->nrec < 8)
        x->ribs[x->nrec] = ribs;
    x->nrec++;
    mrt_decode(x->d, rec, on_event, x);
}

static void out_open(out *x, mrs_diag *d)
{
    memset(x, 0, sizeof *x);
    x->d = mrt_decoder_new(d);
    mrt_decoder_begin_file(x->d, "bmp");
    x->f = open_memstream(&x->text, &x->len);
    mrs_outbuf_init(&x->o, x->f);
}

static void out_close(out *x)
{
    mrs_outbuf_close(&x->o);
    fclose(x->f);
    mrt_decoder_free(x->d);
}

static void session_to_mrt(void **state)
{
    (void)state;
    mrs_bytes b;
    mrs_bytes_init(&b);
    router_stream(&b);
    assert_false(b.oom);

    /* whole, then byte by byte: the same records */
    char *texts[2];
    for (int split = 0; split < 2; split++) {
        mrs_diag d;
        mrs_diag_init(&d, NULL);
        out x;
        out_open(&x, &d);
        bmp_session *s = bmp_session_new("bmp://192.0.2.1:4242", &d, true);
        if (!split)
            assert_int_equal(bmp_session_input(s, b.p, b.len, 1, 0, on_record, &x), 0);
        else
            for (size_t i = 0; i < b.len; i++)
                assert_int_equal(bmp_session_input(s, b.p + i, 1, 1, 0, on_record, &x), 0);
        assert_int_equal(bmp_session_pending(s), 0);
        const bmp_session_stats *st = bmp_session_get_stats(s);
        assert_int_equal(st->messages, 12);
        assert_int_equal(st->by_type[BMP_ROUTE_MONITORING], 5);
        assert_int_equal(st->by_type[BMP_PEER_UP], 3);
        assert_int_equal(st->by_rib[BMP_RIB_IN_PRE], 2);
        assert_int_equal(st->by_rib[BMP_RIB_IN_POST], 1);
        assert_int_equal(st->by_rib[BMP_RIB_LOC], 1);
        assert_int_equal(st->by_rib[BMP_RIB_OUT_PRE], 1);
        assert_int_equal(st->peers_up, 2);
        assert_string_equal(bmp_session_sysname(s), "r1\\x0A");
        /* the stream ends: the two peers still up go down */
        bmp_session_end(s, 1700000100, 5, on_record, &x);
        assert_int_equal(bmp_session_get_stats(s)->peers_up, 0);
        assert_int_equal(d.errors + d.warnings, 0);
        bmp_session_free(s);
        assert_int_equal(x.nrec, 11);
        /* records: up, rm pre, rm post, up, rm, up(loc), rm loc, rm out, down, down, down */
        assert_int_equal(x.ribs[0], BMP_RIBS_ADJ);
        assert_int_equal(x.ribs[1], 1u << BMP_RIB_IN_PRE);
        assert_int_equal(x.ribs[2], 1u << BMP_RIB_IN_POST);
        assert_int_equal(x.ribs[5], 1u << BMP_RIB_LOC);
        assert_int_equal(x.ribs[6], 1u << BMP_RIB_LOC);
        assert_int_equal(x.ribs[7], 1u << BMP_RIB_OUT_PRE);
        /* path ids only where ADD-PATH was negotiated into Adj-RIB-In */
        assert_int_equal(x.nann, 5);
        assert_int_equal(x.path_ids[0], 7);
        assert_int_equal(x.path_ids[1], 7);
        assert_int_equal(x.path_ids[2], 0);
        assert_int_equal(x.path_ids[4], 0);
        out_close(&x);
        texts[split] = x.text;
    }
    assert_string_equal(texts[0], texts[1]);
    assert_string_equal(texts[0],
                        "BGP4MP_ET|1700000000.000250|STATE|192.0.2.2|64501|5|6\n"
                        "BGP4MP_ET_AP|1700000000.000250|A|192.0.2.2|64501|198.51.100.0/24|7|64501 64496|IGP|192.0.2.2|0|0||NAG||\n"
                        "BGP4MP_ET_AP|1700000000.000250|A|192.0.2.2|64501|198.51.100.0/24|7|64501 64496|IGP|192.0.2.2|0|0||NAG||\n"
                        "BGP4MP_ET|1700000001.000250|STATE|2001:db8::2|64502|5|6\n"
                        "BGP4MP_ET|1700000001.000250|A|2001:db8::2|64502|2001:db8:100::/40|64502 3356|IGP|2001:db8::2|0|0||NAG||\n"
                        "BGP4MP_ET|1700000002.000250|STATE|192.0.2.1|64500|5|6\n"
                        "BGP4MP_ET|1700000002.000250|A|192.0.2.1|64500|198.51.100.0/24|64501 64496|IGP|192.0.2.2|0|0||NAG||\n"
                        "BGP4MP_ET|1700000000.000250|A|192.0.2.2|64501|203.0.113.0/24|64500 64496|IGP|192.0.2.2|0|0||NAG||\n"
                        "BGP4MP_ET|1700000000.000250|STATE|192.0.2.2|64501|6|1\n"
                        "BGP4MP_ET|1700000000.000250|STATE|2001:db8::2|64502|6|1\n"
                        "BGP4MP_ET|1700000000.000250|STATE|192.0.2.1|64500|6|1\n");
    free(texts[0]);
    free(texts[1]);
    mrs_bytes_clear(&b);
}

/* Messages parsed alone: fields where RFC 7854 puts them. */
static void parse_fields(void **state)
{
    (void)state;
    mrs_bytes b;
    mrs_bytes_init(&b);
    static const uint8_t both[2][2] = {{3, 0}, {3, 0}};
    bmp_peer_hdr h = peer(BMP_PEER_RD, BMP_FLAG_V, "2001:db8::7", 4200000000u, 1);
    h.rd[7] = 9;
    put_peer_up(&b, &h, "2001:db8::1", 64500, true, both, both);
    bmp_msg m;
    const char *err = NULL;
    uint32_t pos = 0;
    assert_int_equal(bmp_frame(b.p, 5, &err), 0);
    assert_int_equal(bmp_frame(b.p, b.len, &err), (long)b.len);
    assert_int_equal(bmp_parse(b.p, b.len, &m, &err, &pos), 0);
    assert_int_equal(m.type, BMP_PEER_UP);
    assert_int_equal(m.peer.type, BMP_PEER_RD);
    assert_int_equal(m.peer.rd[7], 9);
    assert_int_equal(m.peer.afi, MRS_AFI_IPV6);
    assert_int_equal(m.peer.asn, 4200000000u);
    assert_int_equal(m.local_port, 179);
    assert_int_equal(m.remote_port, 40000);
    assert_int_equal(m.rib, BMP_RIB_IN_PRE);
    bgp_open_info o;
    assert_int_equal(bgp_open_parse(m.recv_open, m.recv_open_len, &o, &err, &pos), 0);
    assert_true(o.as4);
    assert_int_equal(o.asn, 4200000000u);
    assert_int_equal(o.addpath[0][0], 3);
    assert_int_equal(o.addpath[1][0], 3);
    assert_int_equal(o.addpath[0][1], 0);
    assert_int_equal(m.tlv_len, 0);

    bmp_rib r;
    assert_true(bmp_rib_parse("loc-rib", &r));
    assert_int_equal(r, BMP_RIB_LOC);
    assert_string_equal(bmp_rib_name(BMP_RIB_OUT_POST), "out-post-policy");
    assert_false(bmp_rib_parse("adj-rib-in", &r));
    mrs_bytes_clear(&b);
}

static char *run_damaged(const uint8_t *data, size_t len, int *rc, uint64_t *records, uint64_t *skipped)
{
    char *text = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    mrs_diag d;
    mrs_diag_init(&d, f);
    out x;
    out_open(&x, &d);
    bmp_session *s = bmp_session_new("bmp://192.0.2.9:1", &d, true);
    *rc = bmp_session_input(s, data, len, 0, 0, on_record, &x);
    bmp_session_end(s, 0, 0, on_record, &x);
    *records = bmp_session_get_stats(s)->records;
    *skipped = bmp_session_get_stats(s)->skipped;
    bmp_session_free(s);
    out_close(&x);
    free(x.text);
    fclose(f);
    return text;
}

static void damage(void **state)
{
    (void)state;
    mrs_bytes good;
    mrs_bytes_init(&good);
    bmp_peer_hdr a = peer(BMP_PEER_GLOBAL, 0, "192.0.2.2", 64501, 5);
    put_peer_up(&good, &a, "192.0.2.1", 64500, true, NULL, NULL);
    size_t up_len = good.len;
    uint32_t pa[] = {64501};
    put_rm(&good, &a, "198.51.100.0/24", pa, 1, false, 0);
    size_t rm_len = good.len - up_len;

    int rc;
    uint64_t rec, skipped;
    char *msg;

    /* version 1: nothing can be framed */
    mrs_bytes b;
    mrs_bytes_init(&b);
    mrs_bytes_put(&b, good.p, good.len);
    b.p[up_len] = 1;
    msg = run_damaged(b.p, b.len, &rc, &rec, &skipped);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(msg, "bmp://192.0.2.9:1: offset "));
    char want[64];
    snprintf(want, sizeof want, "offset %zu: not BMP version 3", up_len);
    assert_non_null(strstr(msg, want));
    assert_int_equal(rec, 2);       /* the Peer Up, and its peer down at the end */
    free(msg);

    /* a length below the header, and one above 1 MiB */
    uint32_t lens[] = {5, BMP_MAX_MESSAGE + 1};
    for (int i = 0; i < 2; i++) {
        b.len = 0;
        mrs_bytes_put(&b, good.p, good.len);
        uint8_t *l = b.p + up_len + 1;
        l[0] = (uint8_t)(lens[i] >> 24), l[1] = (uint8_t)(lens[i] >> 16), l[2] = (uint8_t)(lens[i] >> 8);
        l[3] = (uint8_t)lens[i];
        msg = run_damaged(b.p, b.len, &rc, &rec, &skipped);
        assert_int_equal(rc, -1);
        assert_non_null(strstr(msg, i ? "above 1 MiB" : "below the 6-byte header"));
        free(msg);
    }

    /* an UPDATE whose marker is damaged: that message skipped, the next one read */
    b.len = 0;
    mrs_bytes_put(&b, good.p, good.len);
    mrs_bytes_put(&b, good.p + up_len, rm_len);
    b.p[up_len + BMP_COMMON_HEADER + BMP_PEER_HEADER + 3] = 0;
    msg = run_damaged(b.p, b.len, &rc, &rec, &skipped);
    assert_int_equal(rc, 0);
    snprintf(want, sizeof want, "offset %zu: Route Monitoring: BGP message without its marker",
             up_len + BMP_COMMON_HEADER + BMP_PEER_HEADER);
    assert_non_null(strstr(msg, want));
    assert_int_equal(skipped, 1);
    assert_int_equal(rec, 3);       /* up, the second update, down */
    free(msg);

    /* a Peer Up whose received OPEN is cut: skipped, its updates then say so */
    b.len = 0;
    mrs_bytes_put(&b, good.p, good.len);
    /* the received OPEN's length field: 20 addr+ports, the sent OPEN (29 + caps) */
    size_t sent_open = BMP_COMMON_HEADER + BMP_PEER_HEADER + 20;
    size_t sent_len = (size_t)(b.p[sent_open + 16] << 8 | b.p[sent_open + 17]);
    b.p[sent_open + sent_len + 17] = 200;
    msg = run_damaged(b.p, b.len, &rc, &rec, &skipped);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(msg, "Peer Up: BGP message runs past the BMP message"));
    assert_non_null(strstr(msg, "Route Monitoring for a peer not reported up"));
    assert_int_equal(rec, 1);       /* the update, recorded without ADD-PATH */
    free(msg);

    /* the stream ends inside a message */
    msg = run_damaged(good.p, good.len - 3, &rc, &rec, &skipped);
    assert_int_equal(rc, 0);
    snprintf(want, sizeof want, "offset %zu: stream ended inside a message", up_len);
    assert_non_null(strstr(msg, want));
    free(msg);

    /* an unknown message type and an unknown peer type: skipped */
    b.len = 0;
    mrs_bytes_put(&b, good.p, good.len);
    b.p[up_len + 5] = 42;
    msg = run_damaged(b.p, b.len, &rc, &rec, &skipped);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(msg, "message of unknown type 42 skipped"));
    b.p[up_len + 5] = BMP_ROUTE_MONITORING;
    b.p[up_len + BMP_COMMON_HEADER] = 9;
    free(msg);
    msg = run_damaged(b.p, b.len, &rc, &rec, &skipped);
    assert_non_null(strstr(msg, "Route Monitoring: unknown peer type"));
    free(msg);

    mrs_bytes_clear(&b);
    mrs_bytes_clear(&good);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(session_to_mrt),
        cmocka_unit_test(parse_fields),
        cmocka_unit_test(damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
