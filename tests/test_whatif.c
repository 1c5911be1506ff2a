/* test_whatif.c — `manrs whatif` (apps/whatif.h over sim/policy.h) on a graph
 * small enough to route by hand:
 *
 *        1 ---- 2          1-2 peers; arrows down are provider -> customer
 *       / \      \
 *      3   4      5
 *      |    \    / \
 *      6     \  /   8
 *             7             7 has two providers, 4 and 5
 *
 * The victim 6 originates the prefix. Hand-routed outcomes (docs/whatif.md):
 *   origin hijack by 8: 5 (customer route), 2 (customer beats peer), 7 (shorter
 *     provider route) take the culprit's route: 3 of the 7 other ASes;
 *   ROV at 5 (or customer filtering at 5) frees everybody; ROV at 2 frees only 2;
 *   sub-prefix hijack by 8: everybody but the culprit (no competing route);
 *   forged origin "8 6": ROV cannot help; ASPA needs 6 to publish and 5 to verify;
 *   leak by 7 (learned from provider 4, sent to provider 5): 5, 2 and 8 take it;
 *     customer filtering at 5 stops it; ASPA needs 4 (or 1) to publish, 5 to verify;
 *   partial transit at 5 for its customer 8: 2 no longer hears the hijack.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "manrs/apps/whatif.h"
#include "manrs/kb/asrel.h"

static mrs_asrel *graph(void)
{
    mrs_asrel *r = mrs_asrel_new();
    assert_non_null(r);
    assert_int_equal(mrs_asrel_add(r, 1, 2, MRS_REL_P2P), 0);
    assert_int_equal(mrs_asrel_add(r, 1, 3, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(r, 1, 4, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(r, 2, 5, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(r, 3, 6, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(r, 4, 7, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(r, 5, 7, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(r, 5, 8, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_finish(r), 0);
    return r;
}

static mrs_pnet *net(mrs_asrel **rel)
{
    *rel = graph();
    char err[128];
    mrs_pnet *g = mrs_pnet_from_asrel(*rel, NULL, err, sizeof err);
    assert_non_null(g);
    assert_int_equal(mrs_pnet_count(g), 8);
    return g;
}

static mrs_whatif_opts opts(mrs_pinc_kind kind, uint32_t culprit)
{
    mrs_whatif_opts o;
    memset(&o, 0, sizeof o);
    o.kind = kind;
    o.culprit_asn = culprit;
    o.origin_asn = 6;
    o.action = MRS_POL_ROV;
    o.threads = 1;
    return o;
}

static int choice(const mrs_pnet *g, uint32_t asn) { return mrs_pnet_choice(g, mrs_pnet_index(g, asn)); }

static void test_origin_hijack(void **state)
{
    (void)state;
    mrs_asrel *rel;
    mrs_pnet *g = net(&rel);
    mrs_pincident inc = {.kind = MRS_PINC_ORIGIN, .culprit = mrs_pnet_index(g, 8), .origin = mrs_pnet_index(g, 6),
                         .culprit_invalid = true};
    mrs_poutcome out;
    assert_int_equal(mrs_pnet_run(g, &inc, &out), MRS_PRUN_OK);
    assert_int_equal(out.captured, 3);
    assert_int_equal(choice(g, 5), 2);
    assert_int_equal(choice(g, 2), 2);
    assert_int_equal(choice(g, 7), 2);
    assert_int_equal(choice(g, 1), 1);
    assert_int_equal(choice(g, 4), 1);
    uint32_t path[8];
    assert_int_equal(mrs_pnet_path(g, mrs_pnet_index(g, 7), path, 8), 3); /* 7 5 8 */
    assert_int_equal(path[1], 5);
    assert_int_equal(path[2], 8);
    assert_int_equal(mrs_pnet_route_class(g, mrs_pnet_index(g, 2)), 1);   /* from a customer */

    /* the adoption sets of the head comment */
    uint32_t at5[] = {5}, at2[] = {2};
    mrs_whatif_opts o = opts(MRS_PINC_ORIGIN, 8);
    o.adopt = at5;
    o.n_adopt = 1;
    o.have_adopt = true;
    mrs_whatif_result r;
    char err[256];
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.without.captured, 3);
    assert_int_equal(r.with.captured, 0);
    assert_true(fabs(r.capture_without - 3.0 / 7) < 1e-9);
    assert_true(r.rpki_assumed);
    assert_string_equal(r.culprit_rpki, "invalid");
    mrs_whatif_result_clear(&r);
    o.adopt = at2;
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.with.captured, 2);
    mrs_whatif_result_clear(&r);
    o.action = MRS_POL_FILTER; /* 8 may not send 6's space: 5's customer filter drops it */
    o.adopt = at5;
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.with.captured, 0);
    mrs_whatif_result_clear(&r);
    /* the policies given are restored after the run */
    assert_int_equal(mrs_pnet_policy(g, mrs_pnet_index(g, 5)), 0);

    /* greedy: AS5 first (it frees all three); then nothing is left */
    o = opts(MRS_PINC_ORIGIN, 8);
    o.greedy = 3;
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.n_greedy, 1);
    assert_int_equal(r.greedy[0].asn, 5);
    assert_int_equal(r.greedy[0].captured, 0);
    mrs_whatif_result_clear(&r);
    mrs_pnet_free(g);
    mrs_asrel_free(rel);
}

static void test_subprefix_forged(void **state)
{
    (void)state;
    mrs_asrel *rel;
    mrs_pnet *g = net(&rel);
    mrs_whatif_opts o = opts(MRS_PINC_SUBPREFIX, 8);
    mrs_whatif_result r;
    char err[256];
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.without.captured, 7); /* no competing route */
    mrs_whatif_result_clear(&r);

    o = opts(MRS_PINC_FORGED, 8);
    o.greedy = 1;
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.without.captured, 3);
    assert_string_equal(r.culprit_rpki, "valid"); /* the path ends in the victim: ROV sees nothing */
    assert_int_equal(r.n_greedy, 0);             /* so no ROV adopter helps */
    mrs_whatif_result_clear(&r);

    o.action = MRS_POL_ASPA; /* one adopter is not enough; the pair 6 (publishes), 5 (verifies) is */
    o.greedy = 2;
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.n_greedy, 2);
    assert_int_equal(r.greedy[0].asn, 6);
    assert_int_equal(r.greedy[1].asn, 5);
    assert_int_equal(r.greedy[1].captured, 0);
    mrs_whatif_result_clear(&r);
    mrs_pnet_free(g);
    mrs_asrel_free(rel);
}

static void test_leak(void **state)
{
    (void)state;
    mrs_asrel *rel;
    mrs_pnet *g = net(&rel);
    mrs_whatif_opts o = opts(MRS_PINC_LEAK, 7);
    o.members = true;
    mrs_whatif_result r;
    char err[256];
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.without.captured, 3);
    assert_int_equal(r.n_captured_asns, 3);
    assert_int_equal(r.captured_asns[0], 2);
    assert_int_equal(r.captured_asns[1], 5);
    assert_int_equal(r.captured_asns[2], 8);
    assert_int_equal(r.n_propagators, 1); /* 2 and 8 take it from 5 (5 from the leaker) */
    assert_int_equal(r.propagators[0], 5);
    mrs_whatif_result_clear(&r);

    uint32_t at5[] = {5};
    o = opts(MRS_PINC_LEAK, 7);
    o.action = MRS_POL_FILTER;
    o.adopt = at5;
    o.n_adopt = 1;
    o.have_adopt = true;
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.with.captured, 0);
    mrs_whatif_result_clear(&r);
    o.action = MRS_POL_ROV; /* the leaked route is valid: ROV does nothing */
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.with.captured, 3);
    mrs_whatif_result_clear(&r);

    o = opts(MRS_PINC_LEAK, 7);
    o.action = MRS_POL_ASPA;
    o.greedy = 4;
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.n_greedy, 2);
    assert_int_equal(r.greedy[0].asn, 4); /* the leaker's upstream publishes its providers */
    assert_int_equal(r.greedy[1].asn, 5); /* the leaker's other provider verifies */
    mrs_whatif_result_clear(&r);

    /* not a leak: 3 learns 6's prefix from its customer */
    o = opts(MRS_PINC_LEAK, 3);
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "customer"));
    mrs_whatif_result_clear(&r);
    /* unknown AS */
    o = opts(MRS_PINC_ORIGIN, 99);
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "AS99"));
    mrs_whatif_result_clear(&r);
    mrs_pnet_free(g);
    mrs_asrel_free(rel);
}

static void test_policy_file(void **state)
{
    (void)state;
    mrs_asrel *rel;
    mrs_pnet *g = net(&rel);
    char path[512];
    snprintf(path, sizeof path, "%s/whatif.policy.%d", getenv("MANRS_TMP") ? getenv("MANRS_TMP") : "/tmp",
             (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# deployment\nAS5 partial-transit=8\n2 rov\n77 rov  # not in the graph\n", f);
    fclose(f);
    size_t unknown = 0;
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_whatif_policy_file(path, g, &unknown, &d), 0);
    assert_int_equal(unknown, 1);
    assert_int_equal(mrs_pnet_policy(g, mrs_pnet_index(g, 2)), MRS_POL_ROV);
    /* partial transit at 5 for 8 and ROV at 2: only 5 and 7 take the hijack */
    mrs_whatif_opts o = opts(MRS_PINC_ORIGIN, 8);
    mrs_whatif_result r;
    char err[256];
    assert_int_equal(mrs_whatif_run(g, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.without.captured, 2);
    mrs_whatif_result_clear(&r);
    /* a damaged line is reported with its line and the rest applied */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("1 rov\n4 frobnicate\n3 filter\n", f);
    fclose(f);
    assert_int_equal(mrs_whatif_policy_file(path, g, &unknown, &d), -1);
    assert_true(d.errors >= 1);
    assert_int_equal(mrs_pnet_policy(g, mrs_pnet_index(g, 3)), MRS_POL_FILTER);
    /* adoption files: ASNs with or without "AS", commas, comments */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("AS5, 2 # two\n\n7\n", f);
    fclose(f);
    uint32_t *v = NULL;
    assert_int_equal(mrs_whatif_adopt_file(path, &v, &d), 3);
    assert_int_equal(v[0], 5);
    assert_int_equal(v[2], 7);
    free(v);
    unlink(path);
    mrs_pnet_free(g);
    mrs_asrel_free(rel);
}

static void test_cycles_and_top(void **state)
{
    (void)state;
    mrs_asrel *r = graph();
    /* a provider cycle 10 -> 11 -> 12 -> 10 hanging off AS1 */
    assert_int_equal(mrs_asrel_add(r, 10, 11, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(r, 11, 12, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(r, 12, 10, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(r, 1, 10, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_finish(r), 0);
    char err[128];
    mrs_pnet *g = mrs_pnet_from_asrel(r, NULL, err, sizeof err);
    assert_non_null(g);
    uint32_t ex = 0;
    assert_int_equal(mrs_pnet_p2c_cycles(g, &ex), 3);
    assert_true(ex >= 10 && ex <= 12);
    /* routing terminates on the cycle (paths never repeat an AS) */
    mrs_pincident inc = {.kind = MRS_PINC_ORIGIN, .culprit = mrs_pnet_index(g, 11), .origin = mrs_pnet_index(g, 6)};
    mrs_poutcome out;
    assert_int_equal(mrs_pnet_run(g, &inc, &out), MRS_PRUN_OK);
    mrs_pnet_free(g);
    uint32_t top[3];
    assert_int_equal(mrs_whatif_top_cone(r, 3, top), 3);
    assert_int_equal(top[0], 1); /* 1's cone holds everything below it */
    mrs_asrel_free(r);
    unsigned a;
    assert_true(mrs_whatif_action_parse("rov,aspa", &a));
    assert_int_equal(a, MRS_POL_ROV | MRS_POL_ASPA);
    assert_false(mrs_whatif_action_parse("rpki", &a));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_origin_hijack), cmocka_unit_test(test_subprefix_forged), cmocka_unit_test(test_leak),
        cmocka_unit_test(test_policy_file),   cmocka_unit_test(test_cycles_and_top),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
