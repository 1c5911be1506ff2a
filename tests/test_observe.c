/*
 * test_observe.c — the detectors (detect.h) on a hand-built routing view with one
 * route of each incident class and exact expected culprits, propagators, leak
 * type and times; the per-network metrics (merging of overlapping incidents, the
 * doc's worked example 29 min + 13 h + 25 h = 3.5, accomplice weight, M5 from
 * Spoofer, announced-route coverage); the PeeringDB and Spoofer loaders on
 * hostile input (bad lines reported and skipped, the rest loaded).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "manrs/analysis/detect.h"
#include "manrs/analysis/metrics.h"
#include "testutil.h"

#define T0 1700000000u

static void add_route_ex(mrs_view *v, uint32_t t, uint32_t peer_as, const char *pfx, const uint32_t *path, size_t n,
                         bool withdraw, bool blackhole)
{
    mrs_route_event ev;
    memset(&ev, 0, sizeof ev);
    ev.time = t;
    ev.peer.afi = MRS_AFI_IPV4;
    ev.peer_known = true;
    ev.peer.ip[0] = 192;
    ev.peer.ip[3] = (uint8_t)peer_as;
    ev.peer.asn = peer_as;
    ev.safi = MRS_SAFI_UNICAST;
    assert_true(mrs_prefix_parse(pfx, strlen(pfx), &ev.prefix, true));
    uint32_t w[1 + 16];
    w[0] = MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, n);
    for (size_t i = 0; i < n; i++)
        w[1 + i] = path[i];
    ev.kind = withdraw ? MRS_RE_WITHDRAW : (t == T0 ? MRS_RE_RIB : MRS_RE_ANNOUNCE);
    if (!withdraw)
        ev.path = (mrs_as_path){w, (uint32_t)(1 + n)};
    ev.blackhole = blackhole;
    mrs_view_add_event(v, &ev, 0);
}

static void add_route(mrs_view *v, uint32_t t, uint32_t peer_as, const char *pfx, const uint32_t *path, size_t n,
                      bool withdraw)
{
    add_route_ex(v, t, peer_as, pfx, path, n, withdraw, false);
}

#define P(...) (const uint32_t[]){__VA_ARGS__}, sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t)

/* Detection over the hour after T0 with the routes at T0 as the baseline. */
static mrs_detect_cfg hour_cfg(void)
{
    mrs_detect_cfg cfg;
    mrs_detect_cfg_default(&cfg);
    cfg.from = T0;
    cfg.to = T0 + 3600;
    cfg.baseline_end = T0;
    cfg.has_baseline = true;
    return cfg;
}

/* The incidents found, one line each (in the test's output, for whoever reads a failure). */
static void print_incidents(const mrs_incident_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        char s[MRS_PREFIX_STRLEN], why[256];
        mrs_prefix_format(&l->v[i].prefix, s);
        mrs_reasons_format(l->v[i].reasons, why, sizeof why);
        print_message("  %s %s AS%u %s %s\n", mrs_incident_class_name(l->v[i].cls), s, l->v[i].culprit,
                      mrs_confidence_name(l->v[i].confidence), why);
    }
}

static const mrs_incident *find_inc(const mrs_incident_list *l, mrs_incident_class c, const char *pfx)
{
    mrs_prefix p;
    assert_true(mrs_prefix_parse(pfx, strlen(pfx), &p, true));
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].cls == c && mrs_prefix_cmp(&l->v[i].prefix, &p) == 0)
            return &l->v[i];
    return NULL;
}

static void detectors_on_a_small_world(void **state)
{
    (void)state;
    mrs_asrel *ar = mrs_asrel_new();
    assert_int_equal(mrs_asrel_add(ar, 100, 1, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(ar, 100, 2, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(ar, 100, 4, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(ar, 1, 2, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(ar, 2, 3, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(ar, 1, 4, MRS_REL_P2P), 0);
    assert_int_equal(mrs_asrel_add(ar, 4, 5, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(ar, 4, 6, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_finish(ar), 0);
    mrs_rpki *rp = mrs_rpki_new();
    mrs_prefix vp;
    assert_true(mrs_prefix_parse("15.0.0.0/16", 11, &vp, true));
    assert_int_equal(mrs_rpki_add_vrp(rp, &vp, 16, 3, "test"), 0);
    assert_true(mrs_prefix_parse("16.0.0.0/16", 11, &vp, true));
    assert_int_equal(mrs_rpki_add_vrp(rp, &vp, 16, 3, "test"), 0);   /* held, not announced */
    assert_int_equal(mrs_rpki_build(rp), 0);
    mrs_bogon_set *bog = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);

    mrs_view *v = mrs_view_new();
    mrs_view_add_file(v, "synthetic.mrt");
    /* baseline RIB at T0 */
    add_route(v, T0, 100, "11.0.0.0/16", P(100, 2, 3), false);
    add_route(v, T0, 100, "12.0.0.0/16", P(100, 4, 5), false);
    add_route(v, T0, 100, "12.1.0.0/16", P(100, 4, 5), false);
    add_route(v, T0, 100, "12.2.0.0/16", P(100, 4, 5), false);
    add_route(v, T0, 100, "15.0.0.0/16", P(100, 2, 3), false);
    /* a type-1 leak by AS2: learned from its provider 1 (which had it from peer 4),
     * sent to its other provider 100 */
    add_route(v, T0 + 100, 100, "12.0.0.0/16", P(100, 2, 1, 4, 5), false);
    add_route(v, T0 + 2000, 100, "12.0.0.0/16", P(100, 4, 5), false);
    /* origin hijack of 11.0.0.0/16 by AS6, 100 s */
    add_route(v, T0 + 200, 100, "11.0.0.0/16", P(100, 4, 6), false);
    add_route(v, T0 + 300, 100, "11.0.0.0/16", P(100, 2, 3), false);
    /* sub-prefix hijack, bogon prefix, bogon ASN, fat finger, forged path */
    add_route(v, T0 + 400, 100, "11.0.5.0/24", P(100, 4, 6), false);
    add_route(v, T0 + 500, 100, "11.0.5.0/24", NULL, 0, true);
    add_route(v, T0 + 400, 100, "10.1.0.0/16", P(100, 4, 5), false);
    add_route(v, T0 + 400, 100, "13.0.0.0/24", P(100, 4, 5, 64512), false);
    add_route(v, T0 + 400, 100, "15.0.1.0/24", P(100, 4, 6), false);   /* covered by AS3's /16: sub-prefix */
    add_route(v, T0 + 400, 100, "16.0.1.0/24", P(100, 4, 6), false);   /* uncovered: fat finger */
    add_route(v, T0 + 400, 100, "12.1.0.0/16", P(100, 4, 6, 5), false);
    /* zero duration: announced and withdrawn in the same second */
    add_route(v, T0 + 600, 100, "11.0.6.0/24", P(100, 4, 6), false);
    add_route(v, T0 + 600, 100, "11.0.6.0/24", NULL, 0, true);
    /* legitimate: the holder's own more specific, and a valley-free new path */
    add_route(v, T0 + 700, 100, "11.0.7.0/24", P(100, 2, 3), false);
    add_route(v, T0 + 700, 100, "12.2.0.0/16", P(100, 4, 5, 5), false);
    /* type 4: AS1 sends a route from its peer 4 to its provider 100 */
    add_route(v, T0 + 800, 100, "12.2.0.0/16", P(100, 1, 4, 5), false);
    mrs_view_close_all(v, T0 + 3600);

    mrs_detect_kb kb = {ar, rp, NULL, bog, NULL, NULL, NULL, NULL, NULL, NULL};
    mrs_detect_cfg cfg = hour_cfg();
    mrs_incident_list l = {0};
    mrs_detect_stats st;
    assert_int_equal(mrs_detect(v, &kb, &cfg, &l, &st), 0);
    for (size_t i = 0; i < l.n; i++) {
        char s[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&l.v[i].prefix, s);
        print_message("  %s %s AS%u\n", mrs_incident_class_name(l.v[i].cls), s, l.v[i].culprit);
    }
    assert_int_equal(l.n, 9);
    assert_int_equal(st.zero_duration, 1);

    const mrs_incident *x = find_inc(&l, MRS_INC_ROUTE_LEAK, "12.0.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->culprit, 2);
    assert_int_equal(x->leak_type, 1);
    assert_int_equal(x->start, T0 + 100);
    assert_int_equal(x->end, T0 + 2000);
    assert_int_equal(x->n_propagators, 1);
    assert_int_equal(x->propagators[0], 100);
    assert_int_equal(x->accomplice, 100);
    assert_int_equal(x->peers, 1);
    assert_int_equal(x->n_evidence, 1);
    assert_string_equal(x->evidence[0].as_path, "100 2 1 4 5");
    assert_string_equal(x->evidence[0].file, "synthetic.mrt");
    assert_int_equal(x->evidence[0].time, T0 + 100);
    /* a new valley, but one collector peer saw it: listed, low */
    assert_int_equal(x->confidence, MRS_CONF_LOW);
    assert_int_equal(x->reasons, MRS_WHY_NEW_VALLEY | MRS_WHY_ONE_PEER);

    x = find_inc(&l, MRS_INC_HIJACK_ORIGIN, "11.0.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->culprit, 6);
    assert_int_equal(x->end - x->start, 100);
    assert_int_equal(x->accomplice, 4);
    x = find_inc(&l, MRS_INC_HIJACK_SUBPREFIX, "11.0.5.0/24");
    assert_non_null(x);
    assert_int_equal(x->culprit, 6);
    x = find_inc(&l, MRS_INC_BOGON_PREFIX, "10.1.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->culprit, 5);
    assert_int_equal(x->end, T0 + 3600);   /* cut at the window end */
    x = find_inc(&l, MRS_INC_BOGON_ASN, "13.0.0.0/24");
    assert_non_null(x);
    assert_int_equal(x->culprit, 5);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);   /* a fact about the path, at any number of peers */
    assert_int_equal(x->reasons, MRS_WHY_BOGON_ASN);
    assert_int_equal(x->n_propagators, 2);
    x = find_inc(&l, MRS_INC_ROUTE_LEAK, "12.2.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->culprit, 1);
    assert_int_equal(x->leak_type, 4);
    assert_int_equal(x->start, T0 + 800);
    x = find_inc(&l, MRS_INC_HIJACK_SUBPREFIX, "15.0.1.0/24");
    assert_non_null(x);
    assert_int_equal(x->culprit, 6);
    x = find_inc(&l, MRS_INC_RPKI_INVALID, "16.0.1.0/24");
    assert_non_null(x);
    assert_int_equal(x->culprit, 6);
    assert_non_null(strstr(x->evidence[0].note, "origin-mismatch"));
    assert_int_equal(x->confidence, MRS_CONF_HIGH);
    assert_int_equal(x->reasons, MRS_WHY_RPKI_INVALID);
    x = find_inc(&l, MRS_INC_HIJACK_PATH, "12.1.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->culprit, 6);

    /* VRPs of another period without validity dates decide nothing */
    {
        mrs_incident_list l2 = {0};
        mrs_detect_stats st2;
        mrs_detect_cfg c2 = cfg;
        c2.rpki_off_period = true;
        assert_int_equal(mrs_detect(v, &kb, &c2, &l2, &st2), 0);
        const mrs_incident *y = find_inc(&l2, MRS_INC_RPKI_INVALID, "16.0.1.0/24");
        assert_non_null(y);
        assert_int_equal(y->confidence, MRS_CONF_LOW);
        assert_int_equal(y->reasons, MRS_WHY_RPKI_INVALID | MRS_WHY_RPKI_OFF_PERIOD);
        mrs_incident_list_clear(&l2);
    }

    /* metrics from the same run */
    mrs_metrics_input mi;
    memset(&mi, 0, sizeof mi);
    mi.view = v;
    mi.incidents = &l;
    mi.asrel = ar;
    mi.rpki = rp;
    mrs_score_cfg_default(&mi.score);
    mi.score.min_peers = 1;
    /* one collector peer: the leaks and hijacks are low (one-peer); scored here
     * anyway to check the arithmetic */
    mi.score.include_low = true;
    mrs_network_list nets;
    assert_int_equal(mrs_metrics_compute(&mi, &nets), 0);
    const mrs_network_metrics *m2 = NULL, *m100 = NULL, *m6 = NULL, *m3 = NULL;
    for (size_t i = 0; i < nets.n; i++) {
        if (nets.v[i].asn == 2)
            m2 = &nets.v[i];
        if (nets.v[i].asn == 100)
            m100 = &nets.v[i];
        if (nets.v[i].asn == 6)
            m6 = &nets.v[i];
        if (nets.v[i].asn == 3)
            m3 = &nets.v[i];
    }
    assert_non_null(m2);
    assert_non_null(m100);
    assert_non_null(m6);
    assert_non_null(m3);
    assert_float_equal(m2->raw[MRS_INC_ROUTE_LEAK], 1.0, 1e-9);
    assert_float_equal(m2->m1, mrs_metric_percent(1.0), 1e-9);
    /* AS2 and AS1 are direct customers of 100: 0.5 each unmerged; their leaks overlap
     * in time (T0+100..2000, T0+800..3600), so M1C is one merged incident x 0.5 */
    assert_float_equal(m100->raw_c[MRS_INC_ROUTE_LEAK], 1.0, 1e-9);
    assert_float_equal(m100->m1c, mrs_metric_percent(0.5), 1e-9);
    assert_int_equal(m100->announced, 0);
    assert_int_equal(m100->status[1], MRS_NO_DATA);
    /* no IRR, no PeeringDB: no contact source describes anyone, Action 3 has no data */
    assert_int_equal(m2->status[3], MRS_NO_DATA);
    assert_true(m2->action[3] < 0);
    /* AS6, M2: hijack-origin T0+200..300; sub-prefix hijacks, fat finger and forged
     * path overlap in T0+400..3600; 100 s apart, within MRS_INCIDENT_FLAP_GAP: one
     * incident T0+200..3600 (1), not 0.5 + 1 */
    assert_float_equal(m6->m2, mrs_metric_percent(1.0), 1e-9);
    /* AS3 announces 11.0.0.0/16, 15.0.0.0/16 (RPKI valid), 11.0.7.0/24 */
    assert_int_equal(m3->announced, 3);
    assert_int_equal(m3->rpki_valid, 1);
    assert_float_equal(m3->m7rpki, 100.0 / 3, 1e-9);
    assert_int_equal(m3->status[4], MRS_LAGGING);
    mrs_network_list_clear(&nets);

    mrs_incident_list_clear(&l);
    mrs_view_free(v);
    mrs_bogon_set_free(bog);
    mrs_rpki_free(rp);
    mrs_asrel_free(ar);
}

/* A route whose path is given as raw words (segments with headers). */
static void add_words(mrs_view *v, uint32_t t, uint32_t peer_as, const char *pfx, const uint32_t *w, size_t n)
{
    mrs_route_event ev;
    memset(&ev, 0, sizeof ev);
    ev.time = t;
    ev.peer.afi = MRS_AFI_IPV4;
    ev.peer_known = true;
    ev.peer.ip[0] = 192;
    ev.peer.ip[3] = (uint8_t)peer_as;
    ev.peer.asn = peer_as;
    ev.safi = MRS_SAFI_UNICAST;
    assert_true(mrs_prefix_parse(pfx, strlen(pfx), &ev.prefix, true));
    ev.kind = t == T0 ? MRS_RE_RIB : MRS_RE_ANNOUNCE;
    ev.path = (mrs_as_path){w, (uint32_t)n};
    mrs_view_add_event(v, &ev, 0);
}

/* The evidence rules of docs/observe.md on a world seen by two collector peers
 * (AS100 and AS200, peers of each other): each rule with a case that must stay an
 * incident and one that must not. */
static void evidence_strength(void **state)
{
    (void)state;
    mrs_asrel *ar = mrs_asrel_new();
    static const uint32_t p2c[][2] = {{100, 1}, {100, 2}, {100, 4}, {200, 1}, {200, 2}, {200, 4}, {4, 5},
                                      {4, 6},   {4, 7},   {2, 3},   {100, 9}, {200, 12654}, {200, 3130}};
    for (size_t i = 0; i < sizeof p2c / sizeof p2c[0]; i++)
        assert_int_equal(mrs_asrel_add(ar, p2c[i][0], p2c[i][1], MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(ar, 1, 4, MRS_REL_P2P), 0);
    assert_int_equal(mrs_asrel_add(ar, 100, 200, MRS_REL_P2P), 0);
    assert_int_equal(mrs_asrel_finish(ar), 0);
    mrs_bogon_set *bog = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    mrs_view *v = mrs_view_new();
    mrs_view_add_file(v, "synthetic.mrt");
    /* baseline at T0 */
    add_route(v, T0, 100, "12.3.0.0/16", P(100, 4, 1), false);           /* AS4 passes its peer AS1's */
    add_route(v, T0, 200, "12.3.0.0/16", P(200, 100, 4, 1), false);      /* route up: standing (1, 4) */
    add_route(v, T0, 100, "11.0.0.0/16", P(100, 2, 3), false);
    add_route(v, T0, 200, "11.0.0.0/16", P(200, 2, 3), false);
    add_route(v, T0, 100, "11.1.0.0/16", P(100, 2, 3), false);
    add_route(v, T0, 200, "11.1.0.0/16", P(200, 2, 3), false);
    add_route(v, T0, 100, "11.2.0.0/16", P(100, 4), false);
    add_route(v, T0, 200, "11.2.0.0/16", P(200, 4), false);
    add_route(v, T0, 100, "11.3.0.0/16", P(100, 4, 8), false);
    add_route(v, T0, 200, "11.3.0.0/16", P(200, 4, 8), false);
    add_route(v, T0, 100, "0.0.0.0/0", P(100, 4), false);               /* a peer's default route */
    add_route(v, T0, 100, "84.205.64.0/24", P(100, 200, 12654), false);  /* a beacon, known link */
    add_route(v, T0, 200, "84.205.64.0/24", P(200, 12654), false);
    add_route(v, T0, 100, "198.133.207.0/24", P(100, 200, 3130), false);
    add_route(v, T0, 200, "198.133.207.0/24", P(200, 3130), false);
    /* the same neighbour's routes passed up again, for another prefix and whatever
     * the next AS: a relationship conflict (the standing practice of AS4 for AS1) */
    add_route(v, T0 + 100, 100, "12.4.0.0/16", P(100, 4, 1), false);
    add_route(v, T0 + 100, 200, "12.4.0.0/16", P(200, 100, 4, 1), false);
    /* ... even when it now goes to its other provider: (1, 4, 200) is a new triple,
     * but AS4's export of AS1's routes is not new (an inference that calls a
     * customer link a peering shows every path of that customer as a valley) */
    add_route(v, T0 + 100, 200, "12.6.0.0/16", P(200, 4, 1), false);
    add_route(v, T0 + 100, 100, "12.6.0.0/16", P(100, 200, 4, 1), false);
    /* a new valley: AS1 sends its peer 4's route to its other provider 200 */
    add_route(v, T0 + 100, 200, "12.5.0.0/16", P(200, 1, 4, 7), false);
    add_route(v, T0 + 100, 100, "12.5.0.0/16", P(100, 200, 1, 4, 7), false);
    /* AS6 takes 11.0.0.0/16 for 100 s while AS3 keeps it: concurrent origins */
    add_route(v, T0 + 200, 100, "11.0.0.0/16", P(100, 4, 6), false);
    add_route(v, T0 + 200, 200, "11.0.0.0/16", P(200, 4, 6), false);
    add_route(v, T0 + 300, 100, "11.0.0.0/16", P(100, 2, 3), false);
    add_route(v, T0 + 300, 200, "11.0.0.0/16", P(200, 2, 3), false);
    /* 11.1.0.0/16 moves from AS3 to AS7 for good */
    add_route(v, T0 + 400, 100, "11.1.0.0/16", P(100, 4, 7), false);
    add_route(v, T0 + 400, 200, "11.1.0.0/16", P(200, 4, 7), false);
    /* AS8 (no relationships) originates 11.2.0.0/16 through its holder AS4: carried */
    add_route(v, T0 + 500, 100, "11.2.0.0/16", P(100, 4, 8), false);
    add_route(v, T0 + 500, 200, "11.2.0.0/16", P(200, 4, 8), false);
    /* AS4 originates 11.3.0.0/16, whose holder AS8 sends it through AS4: the upstream's MOAS */
    add_route(v, T0 + 500, 200, "11.3.0.0/16", P(200, 4), false);
    /* a RIS beacon over an IXP link no inference knows (without the beacon rule: a
     * forged path, the link carrying half of AS12654's prefixes) */
    add_route(v, T0 + 600, 100, "84.205.73.0/24", P(100, 9, 12654), false);
    add_route(v, T0 + 600, 200, "84.205.73.0/24", P(200, 100, 9, 12654), false);
    /* the same for another research network's beacon: a forged path, unless the
     * beacon list given names it */
    add_route(v, T0 + 600, 100, "198.133.206.0/24", P(100, 9, 3130), false);
    add_route(v, T0 + 600, 200, "198.133.206.0/24", P(200, 100, 9, 3130), false);
    /* under the default route only: not a sub-prefix hijack */
    add_route(v, T0 + 600, 100, "21.0.0.0/24", P(100, 2, 3), false);
    add_route(v, T0 + 600, 200, "21.0.0.0/24", P(200, 2, 3), false);
    /* an aggregate whose AS_SET keeps a customer's private ASN: AS2 should strip it */
    static const uint32_t agg[] = {MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, 2), 100, 2,
                                   MRS_SEG_HEADER(MRS_SEG_AS_SET, 2),      9,   64600};
    add_words(v, T0 + 700, 100, "22.0.0.0/16", agg, sizeof agg / sizeof agg[0]);
    mrs_view_close_all(v, T0 + 3600);

    mrs_detect_kb kb = {ar, NULL, NULL, bog, NULL, NULL, NULL, NULL, NULL, NULL};
    mrs_detect_cfg cfg = hour_cfg();
    mrs_incident_list l = {0};
    mrs_detect_stats st;
    assert_int_equal(mrs_detect(v, &kb, &cfg, &l, &st), 0);
    print_incidents(&l);
    const mrs_incident *x = find_inc(&l, MRS_INC_ROUTE_LEAK, "12.4.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_LOW);
    assert_int_equal(x->reasons, MRS_WHY_REL_CONFLICT);
    x = find_inc(&l, MRS_INC_ROUTE_LEAK, "12.6.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->culprit, 4);
    assert_int_equal(x->confidence, MRS_CONF_LOW);
    assert_int_equal(x->reasons, MRS_WHY_REL_CONFLICT);
    x = find_inc(&l, MRS_INC_ROUTE_LEAK, "12.5.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->culprit, 1);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);
    assert_int_equal(x->reasons, MRS_WHY_NEW_VALLEY);
    x = find_inc(&l, MRS_INC_HIJACK_ORIGIN, "11.0.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->culprit, 6);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);
    assert_true(x->reasons & MRS_WHY_CONFLICT);
    x = find_inc(&l, MRS_INC_HIJACK_ORIGIN, "11.1.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_LOW);
    assert_true(x->reasons & MRS_WHY_ORIGIN_MOVED);
    assert_null(find_inc(&l, MRS_INC_HIJACK_ORIGIN, "11.2.0.0/16"));
    x = find_inc(&l, MRS_INC_HIJACK_ORIGIN, "11.3.0.0/16");   /* the holder's upstream: related, low */
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_LOW);
    assert_true(x->reasons & MRS_WHY_RELATED_ORIGIN);
    assert_null(find_inc(&l, MRS_INC_HIJACK_PATH, "84.205.73.0/24"));
    assert_int_equal(st.beacon_routes, 4);
    assert_non_null(find_inc(&l, MRS_INC_HIJACK_PATH, "198.133.206.0/24"));
    assert_null(find_inc(&l, MRS_INC_HIJACK_SUBPREFIX, "21.0.0.0/24"));
    assert_int_equal(st.default_peers, 1);
    x = find_inc(&l, MRS_INC_BOGON_ASN, "22.0.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->culprit, 2);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);

    /* --beacons: the research beacon listed with its origin is exempt; listed with
     * another origin it is not (anyone else announcing beacon space is checked) */
    static const char other[] = "# lab beacons\n198.133.206.0/23 AS3333\n", ours[] = "198.133.206.0/24 AS3130  # ours\n";
    mrs_beacon_set *bs = mrs_beacon_set_new(true);
    mrs_diag bd;
    mrs_diag_init(&bd, NULL);
    assert_int_equal(mrs_beacon_load_mem(bs, other, strlen(other), "beacons.txt", &bd), 0);
    kb.beacons = bs;
    mrs_incident_list_clear(&l);
    assert_int_equal(mrs_detect(v, &kb, &cfg, &l, &st), 0);
    assert_non_null(find_inc(&l, MRS_INC_HIJACK_PATH, "198.133.206.0/24"));
    assert_int_equal(st.beacon_routes, 4);   /* the RIS beacons stay built in */
    mrs_incident_list_clear(&l);
    assert_int_equal(mrs_beacon_load_mem(bs, ours, strlen(ours), "beacons.txt", &bd), 0);
    assert_int_equal(bd.errors, 0);
    assert_int_equal(mrs_detect(v, &kb, &cfg, &l, &st), 0);
    assert_null(find_inc(&l, MRS_INC_HIJACK_PATH, "198.133.206.0/24"));
    assert_int_equal(st.beacon_routes, 6);
    kb.beacons = NULL;
    mrs_beacon_set_free(bs);

    /* the same relationships eight years away from the data: nothing rests on them */
    mrs_incident_list_clear(&l);
    cfg.asrel_off_period = true;
    assert_int_equal(mrs_detect(v, &kb, &cfg, &l, &st), 0);
    for (size_t i = 0; i < l.n; i++)
        if (l.v[i].cls != MRS_INC_BOGON_ASN)
            assert_int_equal(l.v[i].confidence, MRS_CONF_LOW);
    x = find_inc(&l, MRS_INC_ROUTE_LEAK, "12.5.0.0/16");
    assert_non_null(x);
    assert_true(x->reasons & MRS_WHY_OFF_PERIOD);
    /* and without a baseline, neither can a change be told from a standing path */
    mrs_incident_list_clear(&l);
    cfg.asrel_off_period = false;
    cfg.has_baseline = false;
    assert_int_equal(mrs_detect(v, &kb, &cfg, &l, &st), 0);
    x = find_inc(&l, MRS_INC_ROUTE_LEAK, "12.5.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_LOW);
    assert_true(x->reasons & MRS_WHY_NO_BASELINE);
    mrs_incident_list_clear(&l);
    mrs_view_free(v);

    /* snapshot: a RIB alone, one moment; incidents of zero duration are kept */
    v = mrs_view_new();
    mrs_view_add_file(v, "rib.mrt");
    add_route(v, T0, 100, "12.3.0.0/16", P(100, 1, 4, 5), false);
    add_route(v, T0, 200, "13.0.0.0/24", P(200, 4, 5, 64512), false);
    mrs_view_close_all(v, T0);
    cfg.from = cfg.to = cfg.baseline_end = T0;
    cfg.has_baseline = true;
    cfg.snapshot = true;
    assert_int_equal(mrs_detect(v, &kb, &cfg, &l, &st), 0);
    x = find_inc(&l, MRS_INC_BOGON_ASN, "13.0.0.0/24");
    assert_non_null(x);
    assert_int_equal(x->start, T0);
    assert_int_equal(x->end, T0);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);
    x = find_inc(&l, MRS_INC_ROUTE_LEAK, "12.3.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_LOW);
    assert_int_equal(x->reasons, MRS_WHY_SNAPSHOT);
    mrs_incident_list_clear(&l);
    mrs_view_free(v);
    mrs_bogon_set_free(bog);
    mrs_asrel_free(ar);
}

/* Full-feed peers: half of a family's prefixes, when the view holds a table's worth
 * (an updates window does not, and then nobody is full-feed). */
static void full_feed_peers(void **state)
{
    (void)state;
    for (int big = 0; big < 2; big++) {
        mrs_view *v = mrs_view_new();
        mrs_view_add_file(v, "f.mrt");
        unsigned n = big ? MRS_VIEW_TABLE_PREFIXES : MRS_VIEW_TABLE_PREFIXES - 1;
        for (unsigned i = 0; i < n; i++) {
            char pfx[32];
            snprintf(pfx, sizeof pfx, "20.%u.%u.0/24", i >> 8, i & 255);
            add_route(v, T0, 100, pfx, P(100, 1), false);
            if (i < n / 2)
                add_route(v, T0, 200, pfx, P(200, 1), false);   /* exactly half */
            if (i < n / 3)
                add_route(v, T0, 201, pfx, P(201, 1), false);
        }
        mrs_view_close_all(v, T0 + 10);
        bool full[3];
        assert_int_equal(mrs_view_full_feed_peers(v, full), big ? 2 : 0);
        assert_int_equal(full[0], big);
        assert_int_equal(full[1], big);
        assert_false(full[2]);
        mrs_view_free(v);
    }
}

/* RFC 9234 OTC: a route that carried OTC and then went up to a provider proves a
 * leak on its own; one that went to an inferred peer rests on the inference. */
static void otc_proves_only_upwards(void **state)
{
    (void)state;
    mrs_asrel *ar = mrs_asrel_new();
    assert_int_equal(mrs_asrel_add(ar, 100, 1, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(ar, 4, 7, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(ar, 1, 11, MRS_REL_P2P), 0);   /* no 1-4 link: the valley test cannot tell */
    assert_int_equal(mrs_asrel_finish(ar), 0);
    mrs_view *v = mrs_view_new();
    mrs_view_add_file(v, "otc.mrt");
    static const uint32_t up[] = {MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, 4), 100, 1, 4, 7};
    static const uint32_t side[] = {MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, 4), 11, 1, 4, 7};
    for (int k = 0; k < 2; k++) {
        mrs_route_event ev;
        memset(&ev, 0, sizeof ev);
        ev.time = T0 + 100;
        ev.kind = MRS_RE_ANNOUNCE;
        ev.peer.afi = MRS_AFI_IPV4;
        ev.peer_known = true;
        ev.peer.ip[0] = 192;
        ev.peer.ip[3] = (uint8_t)(k ? 11 : 100);
        ev.peer.asn = k ? 11 : 100;
        ev.safi = MRS_SAFI_UNICAST;
        const char *pfx = k ? "31.0.0.0/16" : "30.0.0.0/16";
        assert_true(mrs_prefix_parse(pfx, strlen(pfx), &ev.prefix, true));
        ev.path = (mrs_as_path){k ? side : up, 5};
        ev.has_otc = true;
        ev.otc = 4;
        mrs_view_add_event(v, &ev, 0);
    }
    mrs_view_close_all(v, T0 + 3600);
    mrs_detect_kb kb = {ar, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    mrs_detect_cfg cfg = hour_cfg();
    mrs_incident_list l = {0};
    mrs_detect_stats st;
    assert_int_equal(mrs_detect(v, &kb, &cfg, &l, &st), 0);
    const mrs_incident *x = find_inc(&l, MRS_INC_ROUTE_LEAK, "30.0.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->culprit, 1);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);   /* one peer is enough: the attribute proves it */
    assert_int_equal(x->reasons, MRS_WHY_OTC);
    x = find_inc(&l, MRS_INC_ROUTE_LEAK, "31.0.0.0/16");
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_LOW);
    assert_int_equal(x->reasons, MRS_WHY_OTC | MRS_WHY_OTC_TO_PEER);
    mrs_incident_list_clear(&l);
    mrs_view_free(v);
    mrs_asrel_free(ar);
}

/* Reason codes are a file format (JSON, store): stable names, exact round trip. */
static const mrs_incident *find_by(const mrs_incident_list *l, mrs_incident_class c, const char *pfx, uint32_t culprit)
{
    mrs_prefix p;
    assert_true(mrs_prefix_parse(pfx, strlen(pfx), &p, true));
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].cls == c && l->v[i].culprit == culprit && mrs_prefix_cmp(&l->v[i].prefix, &p) == 0)
            return &l->v[i];
    return NULL;
}

static bool ixp_lan_of(const void *ctx, const mrs_prefix *p)
{
    return mrs_peeringdb_ixp_lan(ctx, p);
}

/* Route leaks when as-rel is an inference with its errors (docs/observe.md "Evidence
 * strength"): a new valley beyond a standing one, other peers' sightings over links
 * as-rel lacks, the provider-free clique, ASPA over as-rel, a forged link's valley,
 * a neighbour's own new route. */
static void leaks_with_an_inferred_as_rel(void **state)
{
    (void)state;
    static const char rel[] = "# input clique: 1 2\n1|2|0\n1|10|-1\n1|11|-1\n2|12|-1\n2|13|-1\n2|14|-1\n"
                              "10|11|0\n11|12|0\n12|13|0\n10|20|-1\n13|23|-1\n14|24|-1\n13|25|-1\n"
                              "88|13|0\n11|31|0\n";
    mrs_diag dg;
    mrs_diag_init(&dg, NULL);
    mrs_asrel *ar = mrs_asrel_new();
    assert_int_equal(mrs_asrel_load_mem(ar, rel, sizeof rel - 1, "rel.txt", &dg), 0);
    mrs_rpki *rp = mrs_rpki_new();
    assert_int_equal(mrs_rpki_add_aspa(rp, 24, (const uint32_t[]){13}, 1), 0);   /* not 14 */
    assert_int_equal(mrs_rpki_add_aspa(rp, 25, (const uint32_t[]){13}, 1), 0);
    assert_int_equal(mrs_rpki_build(rp), 0);
    mrs_view *v = mrs_view_new();
    mrs_view_add_file(v, "synthetic.mrt");
    /* baseline: AS11 passing its peer AS10's routes up is standing practice */
    add_route(v, T0, 1, "50.0.0.0/16", P(1, 11, 10, 20), false);
    add_route(v, T0, 2, "51.0.0.0/16", P(2, 1, 10, 20), false);
    add_route(v, T0, 2, "52.0.0.0/16", P(2, 13, 23), false);
    add_route(v, T0, 2, "53.0.0.0/16", P(2, 13, 23), false);
    add_route(v, T0, 2, "54.0.0.0/16", P(2, 13, 23), false);
    add_route(v, T0, 2, "55.0.0.0/16", P(2, 13, 24), false);
    add_route(v, T0, 2, "58.0.0.0/16", P(2, 13, 25), false);
    add_route(v, T0, 2, "58.1.0.0/16", P(2, 13, 25), false);
    add_route(v, T0, 2, "58.2.0.0/16", P(2, 13, 25), false);
    add_route(v, T0, 11, "57.0.0.0/16", P(11, 31), false);
    /* A: past AS11's standing valley, AS12 sends the route to its provider 2 and its
     * peer 13: a new valley further on */
    add_route(v, T0 + 100, 2, "51.0.0.0/16", P(2, 12, 11, 10, 20), false);
    add_route(v, T0 + 100, 13, "51.0.0.0/16", P(13, 12, 11, 10, 20), false);
    /* B: AS12 passes peer 13's route to its peer 11 (seen at 11), and to AS77, a
     * link as-rel lacks (seen at 77): 77's sighting shows the route went further */
    add_route(v, T0 + 100, 11, "52.0.0.0/16", P(11, 12, 13, 23), false);
    add_route(v, T0 + 100, 77, "52.0.0.0/16", P(77, 12, 13, 23), false);
    add_route(v, T0 + 100, 11, "53.0.0.0/16", P(11, 12, 13, 23), false);   /* one peer alone */
    /* C: AS88 sends peer 13's route over a link as-rel lacks into the clique */
    add_route(v, T0 + 100, 1, "54.0.0.0/16", P(1, 88, 13, 23), false);
    add_route(v, T0 + 100, 2, "54.0.0.0/16", P(2, 1, 88, 13, 23), false);
    /* D: as-rel says 14 is AS24's provider, AS24's ASPA does not: 14 passes a
     * peer's route up to 2 */
    add_route(v, T0 + 100, 2, "55.0.0.0/16", P(2, 14, 24), false);
    add_route(v, T0 + 100, 1, "55.0.0.0/16", P(1, 2, 14, 24), false);
    /* E: AS14 forges a link to AS25 (whose ASPA says 13 only): a forged path, not a leak */
    add_route(v, T0 + 100, 2, "58.0.0.0/16", P(2, 14, 25), false);
    add_route(v, T0 + 100, 1, "58.0.0.0/16", P(1, 2, 14, 25), false);
    /* F: AS31 (a customer of 11 that as-rel calls a peer) announces a new prefix;
     * its old one newly passed to 11's peer 12 is a new valley */
    add_route(v, T0 + 100, 2, "56.0.0.0/24", P(2, 12, 11, 31), false);
    add_route(v, T0 + 100, 13, "56.0.0.0/24", P(13, 12, 11, 31), false);
    add_route(v, T0 + 100, 2, "57.0.0.0/16", P(2, 12, 11, 31), false);
    add_route(v, T0 + 100, 13, "57.0.0.0/16", P(13, 12, 11, 31), false);
    /* H: an IXP's peering LAN, announced by one member, then by another too */
    add_route(v, T0, 2, "80.249.208.0/21", P(2, 13, 24), false);
    add_route(v, T0 + 100, 2, "80.249.208.0/21", P(2, 13, 23), false);
    add_route(v, T0 + 100, 1, "80.249.208.0/21", P(1, 2, 13, 23), false);
    /* G: a stranger's host route inside AS24's block, tagged BLACKHOLE (RFC 7999),
     * and the same without the community */
    add_route_ex(v, T0 + 100, 2, "55.0.0.1/32", P(2, 13, 23), false, true);
    add_route_ex(v, T0 + 100, 1, "55.0.0.1/32", P(1, 2, 13, 23), false, true);
    add_route(v, T0 + 100, 2, "55.0.0.2/32", P(2, 13, 23), false);
    add_route(v, T0 + 100, 1, "55.0.0.2/32", P(1, 2, 13, 23), false);
    mrs_view_close_all(v, T0 + 3600);

    mrs_detect_kb kb = {ar, rp, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    mrs_detect_cfg cfg = hour_cfg();
    mrs_incident_list l = {0};
    mrs_detect_stats st;
    assert_int_equal(mrs_detect(v, &kb, &cfg, &l, &st), 0);
    print_incidents(&l);
    /* H: without IXP knowledge, a hijack by AS23 */
    assert_non_null(find_by(&l, MRS_INC_HIJACK_ORIGIN, "80.249.208.0/21", 23));
    /* G */
    assert_int_equal(st.blackhole_routes, 2);
    assert_null(find_by(&l, MRS_INC_HIJACK_SUBPREFIX, "55.0.0.1/32", 23));
    assert_non_null(find_by(&l, MRS_INC_HIJACK_SUBPREFIX, "55.0.0.2/32", 23));
    /* A */
    const mrs_incident *x = find_by(&l, MRS_INC_ROUTE_LEAK, "51.0.0.0/16", 12);
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);
    assert_int_equal(x->reasons, MRS_WHY_NEW_VALLEY | MRS_WHY_PAST_STANDING);
    x = find_by(&l, MRS_INC_ROUTE_LEAK, "51.0.0.0/16", 11);   /* the standing one, listed */
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_LOW);
    assert_int_equal(x->reasons, MRS_WHY_REL_CONFLICT);
    /* B */
    x = find_by(&l, MRS_INC_ROUTE_LEAK, "52.0.0.0/16", 12);
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);
    assert_int_equal(x->n_evidence, 2);
    assert_int_equal(x->evidence[1].peer_asn, 77);
    assert_non_null(strstr(x->evidence[1].note, "does not know"));
    x = find_by(&l, MRS_INC_ROUTE_LEAK, "53.0.0.0/16", 12);
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_LOW);
    assert_true(x->reasons & MRS_WHY_ONE_PEER);
    assert_null(find_by(&l, MRS_INC_ROUTE_LEAK, "52.0.0.0/16", 77));
    /* C */
    x = find_by(&l, MRS_INC_ROUTE_LEAK, "54.0.0.0/16", 88);
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);
    assert_int_equal(x->leak_type, 4);
    assert_int_equal(x->reasons, MRS_WHY_NEW_VALLEY | MRS_WHY_CLIQUE_LINK);
    /* D */
    x = find_by(&l, MRS_INC_ROUTE_LEAK, "55.0.0.0/16", 14);
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);
    assert_int_equal(x->reasons, MRS_WHY_NEW_VALLEY | MRS_WHY_ASPA_LINK);
    /* E */
    assert_null(find_by(&l, MRS_INC_ROUTE_LEAK, "58.0.0.0/16", 14));
    x = find_by(&l, MRS_INC_HIJACK_PATH, "58.0.0.0/16", 14);
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);
    /* F */
    x = find_by(&l, MRS_INC_ROUTE_LEAK, "56.0.0.0/24", 11);
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_LOW);
    assert_int_equal(x->reasons, MRS_WHY_NEW_VALLEY | MRS_WHY_NEW_ROUTE);
    x = find_by(&l, MRS_INC_ROUTE_LEAK, "57.0.0.0/16", 11);
    assert_non_null(x);
    assert_int_equal(x->confidence, MRS_CONF_HIGH);
    mrs_incident_list_clear(&l);
    /* H again, with PeeringDB's IXP prefixes: no incident, counted */
    mrs_peeringdb pdb = {0};
    static const char ixj[] = "{\"data\":[{\"ixlan_id\":7,\"prefix\":\"80.249.208.0/21\"}]}";
    assert_int_equal(mrs_peeringdb_load_mem(&pdb, ixj, sizeof ixj - 1, "ix.json", &dg), 0);
    mrs_peeringdb_finish(&pdb);
    kb.ixp_lan = ixp_lan_of;
    kb.ixp_ctx = &pdb;
    assert_int_equal(mrs_detect(v, &kb, &cfg, &l, &st), 0);
    assert_null(find_by(&l, MRS_INC_HIJACK_ORIGIN, "80.249.208.0/21", 23));
    assert_int_equal(st.ixp_lan_routes, 3);   /* every route of it in the window, the first included */
    mrs_incident_list_clear(&l);
    mrs_peeringdb_clear(&pdb);
    kb.ixp_lan = NULL;
    /* without the ASPA records, D is no leak (as-rel alone calls 14 AS24's provider) */
    kb.rpki = NULL;
    assert_int_equal(mrs_detect(v, &kb, &cfg, &l, NULL), 0);
    assert_null(find_by(&l, MRS_INC_ROUTE_LEAK, "55.0.0.0/16", 14));
    mrs_incident_list_clear(&l);
    mrs_view_free(v);
    mrs_rpki_free(rp);
    mrs_asrel_free(ar);
}

static void reason_codes(void **state)
{
    (void)state;
    char buf[512];
    uint32_t all = 0;
    for (int i = 0; i < MRS_WHY_NCODES; i++) {
        assert_non_null(mrs_reason_code(1u << i));
        assert_non_null(mrs_reason_text(1u << i));
        all |= 1u << i;
    }
    assert_null(mrs_reason_code(3));
    assert_null(mrs_reason_code(1u << MRS_WHY_NCODES));
    mrs_reasons_format(all, buf, sizeof buf);
    assert_int_equal(mrs_reasons_parse(buf), all);
    mrs_reasons_format(MRS_WHY_NEW_VALLEY | MRS_WHY_ONE_PEER, buf, sizeof buf);
    assert_string_equal(buf, "new-valley,one-peer");
    assert_int_equal(mrs_reasons_parse("one-peer,bogus,new-valley"), MRS_WHY_NEW_VALLEY | MRS_WHY_ONE_PEER);
    mrs_reasons_format(all, buf, 21);   /* whole codes only: 20 characters and the NUL */
    assert_string_equal(buf, "otc-proof,new-valley");
    mrs_confidence c;
    assert_true(mrs_confidence_parse("low", &c));
    assert_int_equal(c, MRS_CONF_LOW);
    assert_false(mrs_confidence_parse("medium", &c));
}

static mrs_incident mk(uint32_t culprit, mrs_incident_class c, uint32_t s, uint32_t e)
{
    mrs_incident x;
    memset(&x, 0, sizeof x);
    x.culprit = culprit;
    x.cls = c;
    x.start = s;
    x.end = e;
    return x;
}

static void metrics_worked_example_and_merging(void **state)
{
    (void)state;
    mrs_view *v = mrs_view_new();
    mrs_view_close_all(v, T0);
    mrs_incident inc[9] = {
        mk(7, MRS_INC_HIJACK_ORIGIN, T0, T0 + 29 * 60),                          /* 0.5 */
        mk(7, MRS_INC_RPKI_INVALID, T0 + 3600, T0 + 3600 + 13 * 3600),           /* 1 */
        mk(7, MRS_INC_HIJACK_SUBPREFIX, T0 + 86400, T0 + 86400 + 25 * 3600),     /* 2 */
        mk(8, MRS_INC_BOGON_PREFIX, T0, T0 + 1000),                              /* merged */
        mk(8, MRS_INC_BOGON_PREFIX, T0 + 500, T0 + 2000),                        /* with this: 2000 s -> 1 */
        mk(9, MRS_INC_BOGON_ASN, T0, T0 + 100),                                  /* a flap: 900 s apart */
        mk(9, MRS_INC_BOGON_ASN, T0 + 1000, T0 + 1100),                          /* one incident, 0.5 */
        mk(10, MRS_INC_BOGON_ASN, T0, T0 + 100),                                 /* 901 s apart: */
        mk(10, MRS_INC_BOGON_ASN, T0 + 1001, T0 + 1101),                         /* two, 0.5 + 0.5 */
    };
    for (size_t i = 0; i < 9; i++)
        inc[i].confidence = MRS_CONF_HIGH;
    mrs_incident_list l = {inc, 9, 9};
    /* counted as the metrics merge them: 3 (AS7) + 1 (AS8) + 1 (AS9) + 2 (AS10) */
    assert_int_equal(mrs_incidents_merged(&l, false), 7);
    inc[8].confidence = MRS_CONF_LOW;
    assert_int_equal(mrs_incidents_merged(&l, false), 6);
    assert_int_equal(mrs_incidents_merged(&l, true), 7);
    inc[8].confidence = MRS_CONF_HIGH;
    mrs_metrics_input mi;
    memset(&mi, 0, sizeof mi);
    mi.view = v;
    mi.incidents = &l;
    mrs_score_cfg_default(&mi.score);
    mrs_spoofer sp = {0};
    static const char csv[] = "session,timestamp,asn,client_prefix,country,nat,spoof_private,spoof_routed\n"
                              "1,100,7,11.0.1.0/24,NL,no,blocked,received\n"
                              "2,101,7,11.0.1.0/24,NL,no,received,received\n"
                              "3,102,7,11.0.2.0/24,NL,no,blocked,received\n"
                              "4,103,8,12.0.1.0/24,NL,yes,rewritten,blocked\n";
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_spoofer_load_mem(&sp, csv, sizeof csv - 1, "s.csv", &d), 0);
    mi.spoofer = &sp;
    mrs_network_list nets;
    assert_int_equal(mrs_metrics_compute(&mi, &nets), 0);
    assert_int_equal(nets.n, 4);
    assert_int_equal(nets.v[0].asn, 7);
    assert_int_equal(nets.v[2].asn, 9);
    assert_float_equal(nets.v[2].m4, mrs_metric_percent(0.5), 1e-9);
    assert_float_equal(nets.v[3].m4, mrs_metric_percent(1.0), 1e-9);
    assert_float_equal(nets.v[0].m2, mrs_metric_percent(3.5), 1e-9);
    assert_float_equal(nets.v[0].raw[MRS_INC_HIJACK_ORIGIN] + nets.v[0].raw[MRS_INC_RPKI_INVALID] +
                           nets.v[0].raw[MRS_INC_HIJACK_SUBPREFIX],
                       3.5, 1e-9);
    assert_float_equal(nets.v[1].m3, mrs_metric_percent(1.0), 1e-9);
    assert_float_equal(nets.v[1].raw[MRS_INC_BOGON_PREFIX], 1.0, 1e-9);   /* unmerged per class: 0.5 + 0.5 */
    assert_float_equal(nets.v[0].m5, mrs_metric_percent(2), 1e-9);          /* two distinct prefixes */
    assert_float_equal(nets.v[1].m5, 100.0, 1e-9);                          /* tested, nothing leaked */
    assert_int_equal(nets.v[1].status[2], MRS_READY);
    assert_int_equal(nets.v[0].status[2], MRS_LAGGING);
    mrs_network_list_clear(&nets);
    mrs_spoofer_clear(&sp);
    mrs_view_free(v);
}

static void spoofer_hostile_lines(void **state)
{
    (void)state;
    static const char csv[] = "session,timestamp,asn,client_prefix,country,nat,spoof_private,spoof_routed\r\n"
                              "1,100,7,11.0.1.0/24,NL,no,blocked,received\r\n"
                              "2,abc,7,11.0.1.0/24,NL,no,blocked,received\n"
                              "3,100,0,11.0.1.0/24,NL,no,blocked,received\n"
                              "4,100,7,11.0.1.0/33,NL,no,blocked,received\n"
                              "5,100,7,11.0.1.0/24,NL,no,maybe,received\n"
                              "6,100,7\n"
                              "7,100,4294967296,11.0.1.0/24,NL,no,blocked,received\n"
                              "\n"
                              "8,100,9,2001:db8::/48,NL,no,blocked,blocked";
    mrs_spoofer sp = {0};
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_spoofer_load_mem(&sp, csv, sizeof csv - 1, "s.csv", &d), 0);
    assert_int_equal(sp.n, 2);
    assert_int_equal(d.errors, 6);
    assert_true(sp.v[0].leaked);
    assert_false(sp.v[1].leaked);
    assert_int_equal(sp.v[1].asn, 9);
    mrs_spoofer_clear(&sp);
    /* no header / missing column: the file is refused */
    assert_int_equal(mrs_spoofer_load_mem(&sp, "", 0, "e.csv", &d), -1);
    assert_int_equal(mrs_spoofer_load_mem(&sp, "session,asn\n1,2\n", 16, "h.csv", &d), -1);
    mrs_spoofer_clear(&sp);
}

static void peeringdb_records(void **state)
{
    (void)state;
    static const char js[] = "{\"data\":[{\"asn\":3333,\"poc_set\":[{\"role\":\"NOC\",\"email\":\"noc@ripe.net\"}]},"
                             "{\"asn\":10745,\"poc_set\":[]},"
                             "{\"asn\":-1},{\"name\":\"no asn\"},"
                             "{\"asn\":64500,\"poc_set\":[{\"email\":\"x@y\",\"status\":\"deleted\"}]},"
                             "{\"asn\":10745,\"poc_set\":[{\"email\":\"a@b.c\"}]},"
                             "{\"asn\":65000,\"poc_set\":{}}],\"meta\":{}}";
    mrs_peeringdb p = {0};
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_peeringdb_load_mem(&p, js, sizeof js - 1, "p.json", &d), 0);
    assert_int_equal(d.errors, 2);
    assert_int_equal(d.warnings, 1);
    mrs_peeringdb_finish(&p);
    assert_int_equal(p.n, 4);
    assert_true(mrs_peeringdb_find(&p, 3333)->poc_email);
    assert_true(mrs_peeringdb_find(&p, 10745)->poc_email);   /* OR over duplicate records */
    assert_false(mrs_peeringdb_find(&p, 64500)->poc_email);  /* deleted poc */
    assert_null(mrs_peeringdb_find(&p, 1));
    assert_int_equal(mrs_peeringdb_load_mem(&p, "{\"data\":", 8, "bad.json", &d), -1);
    assert_int_equal(mrs_peeringdb_load_mem(&p, "[1,2]", 5, "arr.json", &d), -1);
    /* IXP peering LANs: /ixpfx records, and nested in /ix?depth=2 and /ixlan ones */
    static const char ix[] =
        "{\"data\":[{\"id\":1,\"ixlan_id\":7,\"protocol\":\"IPv4\",\"prefix\":\"80.249.208.0/21\",\"in_dfz\":false},"
        "{\"id\":2,\"ixlan_id\":7,\"protocol\":\"IPv6\",\"prefix\":\"2001:7f8:1::/64\"},"
        "{\"id\":3,\"prefix\":\"80.249.300.0/21\"},"
        "{\"id\":9,\"name\":\"X-IX\",\"ixlan_set\":[{\"id\":8,\"ixpfx_set\":[{\"prefix\":\"185.1.0.0/24\"}]}]}],"
        "\"meta\":{}}";
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_peeringdb_load_mem(&p, ix, sizeof ix - 1, "ixpfx.json", &d), 0);
    assert_int_equal(d.errors, 1);   /* 80.249.300.0 */
    mrs_peeringdb_finish(&p);
    assert_int_equal(p.n_ixp, 3);
    mrs_prefix q;
    assert_true(mrs_prefix_parse("80.249.209.0/24", 15, &q, true));
    assert_true(mrs_peeringdb_ixp_lan(&p, &q));
    assert_true(mrs_prefix_parse("185.1.0.0/24", 12, &q, true));
    assert_true(mrs_peeringdb_ixp_lan(&p, &q));
    assert_true(mrs_prefix_parse("2001:7f8:1::/48", 15, &q, true));
    assert_false(mrs_peeringdb_ixp_lan(&p, &q));   /* covers the LAN, is not inside it */
    assert_true(mrs_prefix_parse("80.249.216.0/24", 15, &q, true));
    assert_false(mrs_peeringdb_ixp_lan(&p, &q));
    mrs_peeringdb_clear(&p);
}

static void peeringdb_real_excerpt(void **state)
{
    (void)state;
    char path[4096];
    TU_REQUIRE_DATA("peeringdb/peeringdb_net_3333_10745.json", path);
    mrs_peeringdb p = {0};
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    assert_int_equal(mrs_peeringdb_load_file(&p, path, &d), 0);
    assert_int_equal(d.errors, 0);
    mrs_peeringdb_finish(&p);
    assert_non_null(mrs_peeringdb_find(&p, 3333));
    mrs_peeringdb_clear(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detectors_on_a_small_world),
        cmocka_unit_test(evidence_strength),
        cmocka_unit_test(reason_codes),
        cmocka_unit_test(otc_proves_only_upwards),
        cmocka_unit_test(leaks_with_an_inferred_as_rel),
        cmocka_unit_test(full_feed_peers),
        cmocka_unit_test(metrics_worked_example_and_merging),
        cmocka_unit_test(spoofer_hostile_lines),
        cmocka_unit_test(peeringdb_records),
        cmocka_unit_test(peeringdb_real_excerpt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
