/* test_lg.c — the looking glass (src/apps/lg): a view built by hand from route
 * events, queried by exact prefix, longest match, more-specifics, origin, transit
 * and AS-path pattern, at a moment and over a window, with the verdicts of each
 * route (ROV, ASPA, IRR, bogon prefix and ASN) and its evidence. */
#include "testutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/lg.h"

static const uint32_t T0 = 1700000000, TEND = 1700001000;

typedef struct world {
    mrs_view *v;
    mrs_kbs kb;
    mrs_diag d;
    mrs_lg *lg;
} world;

static mrs_prefix pfx(const char *s)
{
    mrs_prefix p;
    assert_true(mrs_prefix_parse(s, strlen(s), &p, false));
    return p;
}

/* kind at time t from peer (ASN 1299 / 3356 / 174, addresses 192.0.2.1..3) for
 * prefix s with path (n ASNs, one AS_SEQUENCE), at byte offset off. */
static void ev(world *w, mrs_route_event_kind kind, uint32_t t, uint32_t peer_as, const char *s, const uint32_t *path,
               unsigned n, uint64_t off)
{
    mrs_route_event e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.time = t;
    e.peer.afi = MRS_AFI_IPV4;
    e.peer.ip[0] = 192;
    e.peer.ip[2] = 2;
    e.peer.ip[3] = peer_as == 1299 ? 1 : peer_as == 3356 ? 2 : 3;
    e.peer.asn = peer_as;
    e.peer_known = true;
    e.safi = MRS_SAFI_UNICAST;
    e.prefix = pfx(s);
    uint32_t words[16];
    if (n) {
        words[0] = MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, n);
        memcpy(words + 1, path, n * sizeof *path);
        e.path = (mrs_as_path){words, n + 1};
    }
    e.offset = off;
    e.source = "mem.mrt";
    mrs_view_add_event(w->v, &e, 0);
}

#define P(...) (const uint32_t[]){__VA_ARGS__}, sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t)

static const char IRR[] = "route: 193.0.0.0/21\norigin: AS3333\nsource: TEST\n\n";

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->v = mrs_view_new();
    assert_int_equal(mrs_view_add_file(w->v, "mem.mrt"), 0);
    /* the RIB at T0: 193.0.0.0/21 from three peers, the /24 from one, a route with a
     * private ASN in the path, a bogon prefix */
    ev(w, MRS_RE_RIB, T0, 1299, "193.0.0.0/21", P(1299, 3333), 100);
    ev(w, MRS_RE_RIB, T0, 3356, "193.0.0.0/21", P(3356, 3333), 110);
    ev(w, MRS_RE_RIB, T0, 174, "193.0.0.0/21", P(174, 2914, 3333), 120);
    ev(w, MRS_RE_RIB, T0, 1299, "193.0.0.0/24", P(1299, 3333), 200);
    ev(w, MRS_RE_RIB, T0, 1299, "193.0.8.0/24", P(1299, 64512, 3333), 300);
    ev(w, MRS_RE_RIB, T0, 1299, "10.0.0.0/8", P(1299, 3333), 400);
    /* updates: the /24 from 3356, hijacked at 1299 for 100 s, withdrawn at 3356 */
    ev(w, MRS_RE_ANNOUNCE, T0 + 100, 3356, "193.0.0.0/24", P(3356, 6939, 3333), 1000);
    ev(w, MRS_RE_ANNOUNCE, T0 + 200, 1299, "193.0.0.0/24", P(1299, 666), 2000);
    ev(w, MRS_RE_ANNOUNCE, T0 + 300, 1299, "193.0.0.0/24", P(1299, 3333), 3000);
    ev(w, MRS_RE_WITHDRAW, T0 + 400, 3356, "193.0.0.0/24", NULL, 0, 4000);
    /* announced, then withdrawn at the very end of the data: not held */
    ev(w, MRS_RE_ANNOUNCE, T0 + 500, 174, "193.0.8.0/24", P(174, 3333), 5000);
    ev(w, MRS_RE_WITHDRAW, TEND, 174, "193.0.8.0/24", NULL, 0, 6000);
    mrs_view_close_all(w->v, TEND);
    assert_false(mrs_view_oom(w->v));

    mrs_diag_init(&w->d, NULL);
    mrs_kbs_init(&w->kb);
    assert_int_equal(mrs_kbs_require(&w->kb, MRS_KBS_RPKI | MRS_KBS_BOGONS), 0);
    mrs_prefix v = pfx("193.0.0.0/21");
    assert_int_equal(mrs_rpki_add_vrp(w->kb.rpki, &v, 24, 3333, "test"), 0);
    assert_int_equal(mrs_rpki_add_aspa(w->kb.rpki, 3333, (const uint32_t[]){1299}, 1), 0);
    w->kb.have_vrps = true;
    w->kb.irr = irr_db_new(&w->d);
    assert_int_equal(irr_db_load_mem(w->kb.irr, IRR, sizeof IRR - 1, "mem.db"), 0);
    assert_int_equal(mrs_kbs_finish(&w->kb, NULL), MRS_KBS_OK);
    w->lg = mrs_lg_new(w->v, &w->kb, TEND);
    assert_non_null(w->lg);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    mrs_lg_free(w->lg);
    mrs_kbs_clear(&w->kb);
    mrs_view_free(w->v);
    free(w);
    return 0;
}

static mrs_lg_query query_prefix(const char *s, mrs_lg_match m)
{
    mrs_lg_query q;
    memset(&q, 0, sizeof q);
    q.has_prefix = true;
    q.prefix = pfx(s);
    q.match = m;
    return q;
}

/* A prefix query run against w's looking glass into r (a fresh result). */
static mrs_lg_query run_prefix(world *w, const char *s, mrs_lg_match m, mrs_lg_result *r)
{
    mrs_lg_query q = query_prefix(s, m);
    memset(r, 0, sizeof *r);
    assert_int_equal(mrs_lg_run(w->lg, &q, r), 0);
    return q;
}

static const mrs_view_peer *peer_of(world *w, const mrs_lg_result *r, size_t i)
{
    return mrs_view_peer_at(w->v, r->entries[i].peer);
}

static void prefix_is(world *w, const mrs_lg_result *r, size_t i, const char *want)
{
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(mrs_view_prefix(w->v, r->entries[i].prefix), s);
    assert_string_equal(s, want);
}

static const mrs_lg_route *at_route(const mrs_lg_result *r, size_t i)
{
    return r->entries[i].at >= 0 ? &r->routes[r->entries[i].at] : NULL;
}

static void exact_prefix_at_the_end_every_peer_held_route_with_verdicts(void **state)
{
    world *w = *state;
    mrs_lg_result r;
    run_prefix(w, "193.0.0.0/21", MRS_LG_EXACT, &r);
    assert_int_equal(r.at, TEND);
    assert_int_equal(r.from, T0);
    assert_int_equal(r.nentries, 3);
    assert_int_equal(r.nroutes, 3);
    assert_int_equal(r.prefixes, 1);
    assert_int_equal(r.peers, 3);
    assert_false(r.truncated);
    /* peers by ASN: 174, 1299, 3356 */
    const uint32_t asn[3] = {174, 1299, 3356};
    const mrs_aspa_state aspa[3] = {MRS_ASPA_INVALID, MRS_ASPA_VALID, MRS_ASPA_INVALID};
    const uint64_t off[3] = {120, 100, 110};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(peer_of(w, &r, i)->asn, asn[i]);
        const mrs_lg_route *x = at_route(&r, i);
        assert_non_null(x);
        assert_true(x->held);
        assert_true(x->in_window);
        assert_int_equal(x->r->start, T0);
        assert_int_equal(x->r->origin, 3333);
        assert_int_equal(x->r->offset, off[i]);
        assert_string_equal(mrs_view_file_name(w->v, x->r->file), "mem.mrt");
        assert_true(x->v.rov_checked);
        assert_int_equal(x->v.rov, MRS_ROV_VALID);
        assert_true(x->v.aspa_checked);
        assert_int_equal(x->v.aspa, aspa[i]);
        assert_true(x->v.irr_checked);
        assert_int_equal(x->v.irr, IRR_VALID);
        assert_int_equal(x->v.bogon, MRS_ROUTE_OK);
        assert_int_equal(x->v.n_bogon_asns, 0);
    }
    mrs_lg_result_clear(&r);
}

static void history_intervals_and_at_a_moment(void **state)
{
    world *w = *state;
    mrs_lg_result r;
    mrs_lg_query q = run_prefix(w, "193.0.0.0/24", MRS_LG_EXACT, &r);
    assert_int_equal(r.nentries, 2);
    /* 1299: three intervals, the last held; the hijack in between judged */
    assert_int_equal(peer_of(w, &r, 0)->asn, 1299);
    assert_int_equal(r.entries[0].n, 3);
    const mrs_lg_route *h = &r.routes[r.entries[0].first];
    const uint32_t start[3] = {T0, T0 + 200, T0 + 300}, end[3] = {T0 + 200, T0 + 300, TEND};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(h[i].r->start, start[i]);
        assert_int_equal(h[i].r->end, end[i]);
        assert_int_equal(h[i].held, i == 2);
    }
    assert_int_equal(h[1].r->origin, 666);
    assert_int_equal(h[1].v.rov, MRS_ROV_INVALID);
    assert_int_equal(h[1].v.rov_reason, MRS_ROV_R_ORIGIN);
    assert_int_equal(h[1].v.irr, IRR_INVALID_ORIGIN);
    assert_int_equal(h[1].v.aspa, MRS_ASPA_UNKNOWN);
    assert_int_equal(h[2].v.irr, IRR_VALID_COVERED);
    assert_ptr_equal(at_route(&r, 0), &h[2]);
    /* 3356: withdrawn at T0+400: nothing held at the end */
    assert_int_equal(peer_of(w, &r, 1)->asn, 3356);
    assert_int_equal(r.entries[1].n, 1);
    assert_int_equal(r.entries[1].at, -1);
    assert_false(r.routes[r.entries[1].first].held);
    assert_int_equal(r.routes[r.entries[1].first].r->end, T0 + 400);

    /* at T0+250: the hijack at 1299, 3356's route */
    q.at = T0 + 250;
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.at, T0 + 250);
    assert_int_equal(at_route(&r, 0)->r->origin, 666);
    assert_non_null(at_route(&r, 1));
    assert_int_equal(at_route(&r, 1)->r->start, T0 + 100);
    /* at T0+200 exactly: the new route (intervals are [start, end)) */
    q.at = T0 + 200;
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(at_route(&r, 0)->r->start, T0 + 200);

    /* window [T0+350, end]: 1299's first two intervals are out, 3356's (ending at
     * T0+400) is in; at the end, 1299's route */
    q.at = 0;
    q.from = T0 + 350;
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.nroutes, 2);
    assert_int_equal(r.routes[r.entries[0].first].r->start, T0 + 300);
    assert_int_equal(r.routes[r.entries[1].first].r->end, T0 + 400);
    /* window [T0+10, T0+50] with the moment at the end: 1299's first interval in the
     * window, its held route shown as the moment's only (not in the window) */
    q.from = T0 + 10;
    q.to = T0 + 50;
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.nentries, 1);
    assert_int_equal(r.entries[0].n, 2);
    assert_true(r.routes[r.entries[0].first].in_window);
    assert_false(at_route(&r, 0)->in_window);
    assert_int_equal(at_route(&r, 0)->r->start, T0 + 300);
    mrs_lg_result_clear(&r);
}

static void withdrawn_at_the_very_end_is_not_held(void **state)
{
    world *w = *state;
    mrs_lg_result r;
    run_prefix(w, "193.0.8.0/24", MRS_LG_EXACT, &r);
    assert_int_equal(r.nentries, 2);
    assert_int_equal(peer_of(w, &r, 0)->asn, 174);
    assert_int_equal(r.entries[0].at, -1);
    assert_false(r.routes[r.entries[0].first].held);
    assert_int_equal(r.routes[r.entries[0].first].r->end, TEND);
    /* 1299's route there has a private ASN in its path */
    const mrs_lg_route *x = at_route(&r, 1);
    assert_non_null(x);
    assert_int_equal(x->v.n_bogon_asns, 1);
    assert_int_equal(x->v.bogon_asn, 64512);
    assert_int_equal(x->v.bogon, MRS_ROUTE_OK);
    mrs_lg_result_clear(&r);
}

static void longest_match_per_peer_at_the_moment(void **state)
{
    world *w = *state;
    mrs_lg_result r;
    mrs_lg_query q = run_prefix(w, "193.0.0.77/32", MRS_LG_LONGEST, &r);
    /* 174 and 3356 (its /24 withdrawn) use the /21, 1299 the /24 */
    assert_int_equal(r.nentries, 3);
    prefix_is(w, &r, 0, "193.0.0.0/21");
    assert_int_equal(peer_of(w, &r, 0)->asn, 174);
    prefix_is(w, &r, 1, "193.0.0.0/21");
    assert_int_equal(peer_of(w, &r, 1)->asn, 3356);
    prefix_is(w, &r, 2, "193.0.0.0/24");
    assert_int_equal(peer_of(w, &r, 2)->asn, 1299);
    /* at T0+150 3356 held the /24 too */
    q.at = T0 + 150;
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.nentries, 3);
    prefix_is(w, &r, 1, "193.0.0.0/24");
    prefix_is(w, &r, 2, "193.0.0.0/24");
    /* nothing covers it */
    q = query_prefix("8.8.8.8/32", MRS_LG_LONGEST);
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.nroutes, 0);
    mrs_lg_result_clear(&r);
}

static void more_specifics_and_exact_miss(void **state)
{
    world *w = *state;
    mrs_lg_result r;
    mrs_lg_query q = run_prefix(w, "193.0.0.0/21", MRS_LG_MORE_SPECIFICS, &r);
    assert_int_equal(r.prefixes, 2);   /* the /21 and the /24; not 193.0.8.0/24 */
    assert_int_equal(r.nentries, 5);
    prefix_is(w, &r, 0, "193.0.0.0/21");
    prefix_is(w, &r, 4, "193.0.0.0/24");
    q = query_prefix("193.0.0.0/16", MRS_LG_MORE_SPECIFICS);
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.prefixes, 3);
    q = query_prefix("193.0.0.0/22", MRS_LG_EXACT);
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.nroutes, 0);
    assert_int_equal(r.nentries, 0);
    mrs_lg_result_clear(&r);
}

static void origin_transit_and_limit(void **state)
{
    world *w = *state;
    mrs_lg_query q;
    memset(&q, 0, sizeof q);
    q.has_origin = true;
    q.origin = 666;
    mrs_lg_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.nroutes, 1);
    assert_int_equal(r.routes[0].r->start, T0 + 200);
    assert_int_equal(r.entries[0].at, -1);   /* not held at the end */
    /* transit 2914: 174's route of the /21 only; 3333 is never transit */
    memset(&q, 0, sizeof q);
    q.has_transit = true;
    q.transit = 2914;
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.nroutes, 1);
    assert_int_equal(peer_of(w, &r, 0)->asn, 174);
    q.transit = 3333;
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.nroutes, 0);
    /* every route of origin 3333: 9 (all but the hijack); at most 4 shown */
    memset(&q, 0, sizeof q);
    q.has_origin = true;
    q.origin = 3333;
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.nroutes, 9);
    assert_false(r.truncated);
    q.limit = 4;
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.nroutes, 4);
    assert_int_equal(r.matched, 9);
    assert_true(r.truncated);
    /* criteria combine: the /24 and origin 3333 */
    q = query_prefix("193.0.0.0/24", MRS_LG_EXACT);
    q.has_origin = true;
    q.origin = 3333;
    assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
    assert_int_equal(r.nroutes, 3);
    mrs_lg_result_clear(&r);
}

static void path_patterns(void **state)
{
    world *w = *state;
    char why[160];
    regex_t re;
    mrs_lg_query q;
    memset(&q, 0, sizeof q);
    mrs_lg_result r;
    memset(&r, 0, sizeof r);
    static const struct {
        const char *re;
        size_t routes;
    } cases[] = {
        {"^1299 ", 6},             /* every route from 1299 (5 announcements of 3 prefixes + the bogon) */
        {" 666$", 1},
        {"(^| )6939( |$)", 1},
        {"^174 2914 3333$", 1},
        {"^3333$", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(mrs_lg_path_compile(&re, cases[i].re, why, sizeof why));
        q.path_re = &re;
        assert_int_equal(mrs_lg_run(w->lg, &q, &r), 0);
        print_message("--path '%s': %zu routes\n", cases[i].re, r.nroutes);
        assert_int_equal(r.nroutes, cases[i].routes);
        regfree(&re);
    }
    /* the monitor's guard: refused before regcomp */
    assert_false(mrs_lg_path_compile(&re, ".*(((1+)+)+)+", why, sizeof why));
    assert_non_null(strstr(why, "nested"));
    assert_false(mrs_lg_path_compile(&re, "(.{1,255}){1,255}", why, sizeof why));
    assert_non_null(strstr(why, "repeats"));
    assert_false(mrs_lg_path_compile(&re, "(1299", why, sizeof why));
    mrs_lg_result_clear(&r);
}

static void bogon_prefix_and_no_knowledge(void **state)
{
    world *w = *state;
    mrs_lg_result r;
    mrs_lg_query q = run_prefix(w, "10.0.0.0/8", MRS_LG_EXACT, &r);
    assert_int_equal(r.nroutes, 1);
    assert_int_equal(r.routes[0].v.bogon, MRS_ROUTE_BOGON);
    mrs_lg_result_clear(&r);
    /* without VRPs, ASPAs or IRR: those checks say nothing */
    mrs_kbs bare;
    mrs_kbs_init(&bare);
    assert_int_equal(mrs_kbs_require(&bare, MRS_KBS_BOGONS), 0);
    mrs_lg *lg = mrs_lg_new(w->v, &bare, 0);
    assert_non_null(lg);
    assert_int_equal(mrs_lg_data_end(lg), TEND);
    q = query_prefix("193.0.0.0/21", MRS_LG_EXACT);
    assert_int_equal(mrs_lg_run(lg, &q, &r), 0);
    assert_int_equal(r.nroutes, 3);
    assert_false(r.routes[0].v.rov_checked);
    assert_false(r.routes[0].v.aspa_checked);
    assert_false(r.routes[0].v.irr_checked);
    mrs_lg_result_clear(&r);
    mrs_lg_free(lg);
    mrs_kbs_clear(&bare);
}

static void json_document(void **state)
{
    world *w = *state;
    mrs_lg_result r;
    run_prefix(w, "193.0.0.0/24", MRS_LG_EXACT, &r);
    char *s = mrs_lg_json(w->lg, &r, "193.0.0.0/24");
    assert_non_null(s);
    json_error_t err;
    json_t *j = json_loads(s, 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "query")), "193.0.0.0/24");
    assert_int_equal(json_integer_value(json_object_get(j, "shown")), 4);
    json_t *e = json_array_get(json_object_get(j, "entries"), 0);
    assert_int_equal(json_integer_value(json_object_get(e, "peer_asn")), 1299);
    assert_string_equal(json_string_value(json_object_get(e, "peer_ip")), "192.0.2.1");
    json_t *at = json_object_get(e, "at");
    assert_true(json_is_null(json_object_get(at, "end")));
    assert_true(json_is_true(json_object_get(at, "held")));
    assert_string_equal(json_string_value(json_object_get(at, "path")), "1299 3333");
    assert_string_equal(json_string_value(json_object_get(at, "rov")), "valid");
    assert_string_equal(json_string_value(json_object_get(at, "file")), "mem.mrt");
    assert_int_equal(json_integer_value(json_object_get(at, "offset")), 3000);
    json_t *hist = json_object_get(e, "history");
    assert_int_equal(json_array_size(hist), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 1), "rov")), "invalid");
    assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 1), "rov_reason")), "origin-mismatch");
    json_t *e2 = json_array_get(json_object_get(j, "entries"), 1);
    assert_true(json_is_null(json_object_get(e2, "at")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(e2, "history"), 0), "end")),
                     T0 + 400);
    json_decref(j);
    free(s);
    /* the table */
    FILE *f = tmpfile();
    assert_int_equal(mrs_lg_print_table(w->lg, &r, f), 0);
    rewind(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    assert_non_null(strstr(buf, "193.0.0.0/24\n"));
    assert_non_null(strstr(buf, "peer AS3356 192.0.2.2  (nothing held at that moment)"));
    assert_non_null(strstr(buf, "* 2023-11-14T22:18:20Z .. held"));
    assert_non_null(strstr(buf, "rov=invalid/origin-mismatch aspa=unknown irr=invalid-origin bogon=ok  mem.mrt@2000"));
    mrs_lg_result_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(exact_prefix_at_the_end_every_peer_held_route_with_verdicts, setup, teardown),
        cmocka_unit_test_setup_teardown(history_intervals_and_at_a_moment, setup, teardown),
        cmocka_unit_test_setup_teardown(withdrawn_at_the_very_end_is_not_held, setup, teardown),
        cmocka_unit_test_setup_teardown(longest_match_per_peer_at_the_moment, setup, teardown),
        cmocka_unit_test_setup_teardown(more_specifics_and_exact_miss, setup, teardown),
        cmocka_unit_test_setup_teardown(origin_transit_and_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(path_patterns, setup, teardown),
        cmocka_unit_test_setup_teardown(bogon_prefix_and_no_knowledge, setup, teardown),
        cmocka_unit_test_setup_teardown(json_document, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
