/* test_view.c — the routes store: the timeline (src/routes/view.c, route intervals
 * per peer) and the collapsed routes seen (src/routes/seen.c). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "manrs/feeds/mrt_feed.h"
#include "manrs/feeds/mrt_write.h"
#include "manrs/routes/seen.h"
#include "manrs/routes/view.h"

static const uint32_t T0 = 1700000000;
static const uint8_t P1[4] = {192, 0, 2, 1}, P2[4] = {192, 0, 2, 2}, LOC[4] = {192, 0, 2, 254};

static void rib(mrt_writer *w, const mrs_prefix *p, const uint32_t *pa, unsigned na, const uint32_t *pb, unsigned nb)
{
    mrs_bytes b;
    mrs_bytes_init(&b);
    mrt_peer_entry peers[2];
    memset(peers, 0, sizeof peers);
    peers[0].afi = peers[1].afi = MRS_AFI_IPV4;
    memcpy(peers[0].ip, P1, 4);
    memcpy(peers[1].ip, P2, 4);
    peers[0].asn = 64500;
    peers[1].asn = 64501;
    const uint8_t cid[4] = {1, 1, 1, 1};
    mrt_put_peer_index(&b, cid, "", peers, 2);
    mrt_write_record(w, T0, 0, MRT_TABLE_DUMP_V2, MRT_TD2_PEER_INDEX_TABLE, b.p, b.len);
    b.len = 0;
    size_t cnt = mrt_put_rib_header(&b, 0, p);
    bgp_route r;
    memset(&r, 0, sizeof r);
    r.next_hop_afi = MRS_AFI_IPV4;
    r.path = pa;
    r.path_len = na;
    mrt_put_rib_entry(&b, 0, T0 - 100, &r, p);
    r.path = pb;
    r.path_len = nb;
    mrt_put_rib_entry(&b, 1, T0 - 100, &r, p);
    mrt_patch_u16(&b, cnt, 2);
    mrt_write_record(w, T0, 0, MRT_TABLE_DUMP_V2, MRT_TD2_RIB_IPV4_UNICAST, b.p, b.len);
    mrs_bytes_clear(&b);
}

static void update(mrt_writer *w, uint32_t t, const uint8_t *peer_ip, uint32_t peer_as, const mrs_prefix *p,
                   const uint32_t *path, unsigned n)
{
    mrs_bytes m, b;
    mrs_bytes_init(&m);
    mrs_bytes_init(&b);
    bgp_route r;
    memset(&r, 0, sizeof r);
    r.next_hop_afi = MRS_AFI_IPV4;
    r.path = path;
    r.path_len = n;
    if (path)
        bgp_put_update(&m, NULL, 0, &r, p, 1, 4);
    else
        bgp_put_update(&m, p, 1, NULL, NULL, 0, 4);
    mrt_put_bgp4mp_message(&b, peer_as, 64511, MRS_AFI_IPV4, peer_ip, LOC, m.p, m.len, true);
    mrt_write_record(w, t, 0, MRT_BGP4MP_ET, MRT_BGP4MP_MESSAGE_AS4, b.p, b.len);
    mrs_bytes_clear(&m);
    mrs_bytes_clear(&b);
}

static void on_ev(const mrs_route_event *ev, void *user) { mrs_view_add_event(user, ev, 0); }

static void routes_open_and_close_with_updates_withdrawals_and_session_loss(void **state)
{
    (void)state;
    mrs_prefix p;
    mrs_prefix_parse("198.51.100.0/24", 15, &p, true);
    const uint32_t A[] = {64500, 3356, 65001}, B[] = {64501, 1299, 65001}, C[] = {64500, 174, 65002};
    mrs_bytes mem;
    mrs_bytes_init(&mem);
    mrt_writer *w = mrt_writer_open_mem(&mem);
    rib(w, &p, A, 3, B, 3);
    update(w, T0 + 10, P1, 64500, &p, C, 3);
    update(w, T0 + 20, P1, 64500, &p, C, 3); /* same route again: no change */
    update(w, T0 + 30, P2, 64501, &p, NULL, 0);
    mrs_bytes st;
    mrs_bytes_init(&st);
    mrt_put_bgp4mp_state(&st, 64500, 64511, MRS_AFI_IPV4, P1, LOC, 6, 1);
    mrt_write_record(w, T0 + 40, 0, MRT_BGP4MP_ET, MRT_BGP4MP_STATE_CHANGE_AS4, st.p, st.len);
    update(w, T0 + 50, P1, 64500, &p, A, 3);
    mrt_writer_close(w);

    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrt_reader *r = mrt_reader_open_mem(mem.p, mem.len, "mem", &d);
    mrt_decoder *dec = mrt_decoder_new(&d);
    mrs_view *v = mrs_view_new();
    mrs_view_add_file(v, "mem");
    mrs_mrt_feed feed;
    assert_int_equal(mrs_mrt_feed_init(&feed, "mem", on_ev, v), 0);
    mrt_record rec;
    while (mrt_read(r, &rec))
        mrt_decode(dec, &rec, mrs_mrt_feed_event, &feed);
    mrs_mrt_feed_clear(&feed);
    mrs_view_close_all(v, T0 + 100);
    assert_int_equal(d.errors, 0);
    assert_int_equal(mrs_view_peer_count(v), 2);
    assert_int_equal(mrs_view_prefix_count(v), 1);
    assert_int_equal(mrs_view_path_count(v), 3);
    assert_int_equal(mrs_view_route_count(v), 4);
    struct { uint32_t peer_as, origin, start, end; } want[4] = {
        {64500, 65001, T0, T0 + 10}, {64501, 65001, T0, T0 + 30}, {64500, 65002, T0 + 10, T0 + 40}, {64500, 65001, T0 + 50, T0 + 100}};
    for (unsigned i = 0; i < 4; i++) {
        const mrs_view_route *x = mrs_view_route_at(v, i);
        assert_int_equal(mrs_view_peer_at(v, x->peer)->asn, want[i].peer_as);
        assert_int_equal(x->origin, want[i].origin);
        assert_int_equal(x->start, want[i].start);
        assert_int_equal(x->end, want[i].end);
    }
    uint32_t asns[8];
    bool has_set;
    assert_int_equal(mrs_view_path_asns(v, mrs_view_route_at(v, 2)->path, asns, 8, &has_set), 3);
    assert_int_equal(asns[1], 174);
    assert_false(has_set);
    assert_true(mrs_view_route_at(v, 2)->offset > 0);
    mrs_view_free(v);
    mrt_decoder_free(dec);
    mrt_reader_close(r);
    mrs_bytes_clear(&st);
    mrs_bytes_clear(&mem);
}

/* Many peers and prefixes with random withdrawals and session losses: the view must
 * agree with a brute-force model (which checks the open-route index deletions). */
static void random_churn_matches_a_reference_model(void **state)
{
    (void)state;
    enum { NP = 7, NX = 300, STEPS = 20000 };
    static int ref_open[NP][NX]; /* path id + 1 currently held, 0 none */
    memset(ref_open, 0, sizeof ref_open);
    mrs_view *v = mrs_view_new();
    mrs_view_add_file(v, "synthetic");
    srand(7);
    size_t opened = 0;
    for (int s = 0; s < STEPS; s++) {
        mrs_route_event ev;
        memset(&ev, 0, sizeof ev);
        ev.time = T0 + (uint32_t)s;
        int peer = rand() % NP, x = rand() % NX, op = rand() % 10;
        ev.peer.afi = MRS_AFI_IPV4;
        ev.peer_known = true;
        ev.peer.ip[3] = (uint8_t)(peer + 1);
        ev.peer.asn = 64500 + (uint32_t)peer;
        ev.safi = MRS_SAFI_UNICAST;
        ev.prefix.afi = MRS_AFI_IPV4;
        ev.prefix.len = 24;
        ev.prefix.addr[0] = 10;
        ev.prefix.addr[1] = (uint8_t)(x >> 8);
        ev.prefix.addr[2] = (uint8_t)x;
        if (op == 0) {
            ev.kind = MRS_RE_PEER_STATE;
            ev.old_state = 6;
            ev.new_state = 1;
            mrs_view_add_event(v, &ev, 0);
            for (int k = 0; k < NX; k++)
                ref_open[peer][k] = 0;
        } else if (op < 4) {
            ev.kind = MRS_RE_WITHDRAW;
            mrs_view_add_event(v, &ev, 0);
            ref_open[peer][x] = 0;
        } else {
            uint32_t path[3] = {MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, 2), 64500, (uint32_t)op};
            ev.kind = MRS_RE_ANNOUNCE;
            ev.path = (mrs_as_path){path, 3};
            mrs_view_add_event(v, &ev, 0);
            if (ref_open[peer][x] != op)
                opened++;
            ref_open[peer][x] = op;
        }
    }

    assert_int_equal(mrs_view_route_count(v), opened);
    /* every route still open in the view is exactly one the model holds */
    size_t open_view = 0, open_ref = 0;
    for (size_t i = 0; i < mrs_view_route_count(v); i++)
        open_view += mrs_view_route_at(v, i)->end == MRS_VIEW_OPEN;
    for (int pp = 0; pp < NP; pp++)
        for (int k = 0; k < NX; k++)
            open_ref += ref_open[pp][k] != 0;
    assert_int_equal(open_view, open_ref);
    mrs_view_close_all(v, T0 + STEPS);
    for (size_t i = 0; i < mrs_view_route_count(v); i++)
        assert_true(mrs_view_route_at(v, i)->end != MRS_VIEW_OPEN && mrs_view_route_at(v, i)->end >= mrs_view_route_at(v, i)->start);
    mrs_view_free(v);
}

/* The collapsed store (seen.h): duplicates merge with counts, the first file is
 * kept, host bits are masked, coverage honours the length range. */
static void seen_routes_merge_and_answer_coverage(void **state)
{
    (void)state;
    mrs_seen *s = mrs_seen_new();
    assert_non_null(s);
    mrs_prefix a, b, c;
    mrs_prefix_parse("192.0.2.0/24", 12, &a, true);
    mrs_prefix_parse("192.0.2.128/25", 14, &b, true);
    mrs_prefix_parse("198.51.100.7/24", 15, &c, false);   /* host bits on the wire */
    assert_int_equal(mrs_seen_add(s, &b, 64501, "two.mrt"), 0);
    assert_int_equal(mrs_seen_add(s, &a, 64500, "one.mrt"), 0);
    assert_int_equal(mrs_seen_add(s, &a, 64500, "two.mrt"), 0);
    assert_int_equal(mrs_seen_add(s, &a, 64502, "one.mrt"), 0);
    assert_int_equal(mrs_seen_add(s, &c, 64503, "one.mrt"), 0);
    assert_int_equal(mrs_seen_events(s), 5);
    assert_int_equal(mrs_seen_count(s), 4);
    const mrs_seen_route *r = mrs_seen_at(s, 0);
    assert_true(mrs_prefix_equal(&r->prefix, &a));
    assert_int_equal(r->origin, 64500);
    assert_int_equal(r->count, 2);
    assert_string_equal(mrs_seen_file(s, r->file), "one.mrt");
    assert_int_equal(mrs_seen_at(s, 1)->origin, 64502);
    assert_int_equal(mrs_seen_at(s, 2)->prefix.len, 25);
    assert_int_equal(mrs_seen_at(s, 3)->prefix.addr[3], 0);   /* masked */
    assert_null(mrs_seen_at(s, 4));
    mrs_prefix p23;
    mrs_prefix_parse("192.0.2.0/23", 12, &p23, true);
    assert_true(mrs_seen_covered(s, &p23, 23, 25));
    assert_true(mrs_seen_covered(s, &p23, 25, 25));
    assert_false(mrs_seen_covered(s, &p23, 23, 23));
    assert_false(mrs_seen_covered(s, &b, 26, 32));
    mrs_seen_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(routes_open_and_close_with_updates_withdrawals_and_session_loss),
        cmocka_unit_test(random_churn_matches_a_reference_model),
        cmocka_unit_test(seen_routes_merge_and_answer_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
