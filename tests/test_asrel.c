/* test_asrel.c — AS relationships (src/kb/topo/asrel.c): hand-built topologies with
 * exact cones (including a p2c cycle) and valley-free verdicts for each RFC 7908
 * leak type, parser edge cases, and the real CAIDA 20161101 serial-1 file (counts
 * and lookups verified with `bzcat | grep -n`; cone sizes with an independent
 * Python BFS). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/asrel.h"

/*
 *        1 ====== 2            (p2p, "tier 1")      13
 *       / \ \    / \                                 ||  p2p
 *     10   11 20 .. 12 ==== 13  (10 == 12 p2p)
 *       \ / \  |     \
 *       100  101 21    102     20 -> 21 -> 22 -> 20 (p2c cycle), 22 -> 23
 *        |
 *       1000                   30 ~ 31 siblings, 31 -> 32
 */
static mrs_asrel *small_topology(void)
{
    mrs_asrel *r = mrs_asrel_new();
    struct {
        uint32_t a, b;
        mrs_rel rel;
    } links[] = {
        {1, 2, MRS_REL_P2P},    {1, 10, MRS_REL_P2C},   {1, 11, MRS_REL_P2C},  {2, 11, MRS_REL_P2C},
        {2, 12, MRS_REL_P2C},   {10, 100, MRS_REL_P2C}, {100, 11, MRS_REL_C2P}, {11, 101, MRS_REL_P2C},
        {12, 102, MRS_REL_P2C}, {10, 12, MRS_REL_P2P},  {100, 1000, MRS_REL_P2C}, {12, 13, MRS_REL_P2P},
        {20, 21, MRS_REL_P2C},  {21, 22, MRS_REL_P2C},  {22, 20, MRS_REL_P2C}, {22, 23, MRS_REL_P2C},
        {1, 20, MRS_REL_P2C},   {30, 31, MRS_REL_S2S},  {31, 32, MRS_REL_P2C},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        assert_int_equal(mrs_asrel_add(r, links[i].a, links[i].b, links[i].rel), 0);
    assert_int_equal(mrs_asrel_finish(r), 0);
    return r;
}

static void expect_list(const uint32_t *got, size_t n, const uint32_t *want, size_t wn, const char *what)
{
    if (n != wn)
        fail_msg("%s: %zu members, expected %zu", what, n, wn);
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("%s: member %zu is %u, expected %u", what, i, got[i], want[i]);
}

#define EXPECT_CONE(r, asn, ...)                                                    \
    do {                                                                            \
        const uint32_t want_[] = {__VA_ARGS__};                                     \
        const uint32_t *got_;                                                       \
        size_t n_ = mrs_asrel_cone((r), (asn), &got_);                              \
        expect_list(got_, n_, want_, sizeof want_ / sizeof want_[0], "cone of " #asn); \
    } while (0)

static void relationships_and_neighbours(void **state)
{
    (void)state;
    mrs_asrel *r = small_topology();
    assert_int_equal(mrs_asrel_link_count(r), 19);
    assert_int_equal(mrs_asrel_p2c_count(r), 15);
    assert_int_equal(mrs_asrel_p2p_count(r), 3);
    assert_int_equal(mrs_asrel_s2s_count(r), 1);
    assert_int_equal(mrs_asrel_as_count(r), 17);
    assert_int_equal(mrs_asrel_rel(r, 1, 10), MRS_REL_P2C);
    assert_int_equal(mrs_asrel_rel(r, 10, 1), MRS_REL_C2P);
    assert_int_equal(mrs_asrel_rel(r, 11, 100), MRS_REL_P2C);   /* added as 100 c2p 11 */
    assert_int_equal(mrs_asrel_rel(r, 12, 10), MRS_REL_P2P);
    assert_int_equal(mrs_asrel_rel(r, 31, 30), MRS_REL_S2S);
    assert_int_equal(mrs_asrel_rel(r, 1, 12), MRS_REL_NONE);
    assert_int_equal(mrs_asrel_rel(r, 1, 1), MRS_REL_NONE);
    assert_int_equal(mrs_asrel_rel(r, 7, 8), MRS_REL_NONE);
    /* Re-adding: same -> 1, conflicting / self / bad kind -> -1, nothing changes. */
    assert_int_equal(mrs_asrel_add(r, 10, 1, MRS_REL_C2P), 1);
    assert_int_equal(mrs_asrel_add(r, 10, 1, MRS_REL_P2P), -1);
    assert_int_equal(mrs_asrel_add(r, 5, 5, MRS_REL_P2P), -1);
    assert_int_equal(mrs_asrel_add(r, 5, 6, MRS_REL_NONE), -1);
    assert_int_equal(mrs_asrel_link_count(r), 19);
    const uint32_t *v;
    size_t n = mrs_asrel_providers(r, 100, &v);
    expect_list(v, n, (const uint32_t[]){10, 11}, 2, "providers of 100");
    n = mrs_asrel_customers(r, 1, &v);
    expect_list(v, n, (const uint32_t[]){10, 11, 20}, 3, "customers of 1");
    n = mrs_asrel_peers(r, 12, &v);
    expect_list(v, n, (const uint32_t[]){10, 13}, 2, "peers of 12");
    n = mrs_asrel_siblings(r, 30, &v);
    expect_list(v, n, (const uint32_t[]){31}, 1, "siblings of 30");
    assert_int_equal(mrs_asrel_providers(r, 1, &v), 0);
    assert_int_equal(mrs_asrel_customers(r, 4242, &v), 0);
    assert_null(v);
    mrs_asrel_free(r);
}

static void customer_cones_with_cycle(void **state)
{
    (void)state;
    mrs_asrel *r = small_topology();
    const uint32_t *m;
    assert_int_equal(mrs_asrel_cone(r, 1, &m), 0);   /* not computed yet */
    assert_int_equal(mrs_asrel_cones_compute(r), 0);
    EXPECT_CONE(r, 1000, 1000);
    EXPECT_CONE(r, 100, 100, 1000);
    EXPECT_CONE(r, 10, 10, 100, 1000);
    EXPECT_CONE(r, 11, 11, 100, 101, 1000);
    EXPECT_CONE(r, 12, 12, 102);
    EXPECT_CONE(r, 13, 13);
    EXPECT_CONE(r, 1, 1, 10, 11, 20, 21, 22, 23, 100, 101, 1000);
    EXPECT_CONE(r, 2, 2, 11, 12, 100, 101, 102, 1000);
    EXPECT_CONE(r, 20, 20, 21, 22, 23);   /* the cycle shares one cone */
    EXPECT_CONE(r, 21, 20, 21, 22, 23);
    EXPECT_CONE(r, 22, 20, 21, 22, 23);
    EXPECT_CONE(r, 23, 23);
    EXPECT_CONE(r, 30, 30);               /* siblings are not p2c: not in the cone */
    EXPECT_CONE(r, 31, 31, 32);
    assert_int_equal(mrs_asrel_cone(r, 4242, &m), 0);
    assert_true(mrs_asrel_in_cone(r, 1, 1000));
    assert_true(mrs_asrel_in_cone(r, 1, 1));
    assert_false(mrs_asrel_in_cone(r, 1, 102));
    assert_false(mrs_asrel_in_cone(r, 4242, 4242));
    /* Adding a link invalidates the cones; recomputing picks it up. */
    assert_int_equal(mrs_asrel_add(r, 1000, 102, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_cone(r, 1000, &m), 0);
    assert_int_equal(mrs_asrel_cones_compute(r), 0);
    EXPECT_CONE(r, 1000, 102, 1000);
    EXPECT_CONE(r, 1, 1, 10, 11, 20, 21, 22, 23, 100, 101, 102, 1000);
    mrs_asrel_free(r);
}

static void vf(const mrs_asrel *r, const uint32_t *path, size_t n, mrs_vf_status st, size_t recv, size_t send,
               mrs_leak_type lt, size_t unknown)
{
    mrs_vf_result res;
    mrs_vf_status got = mrs_asrel_valley_free(r, path, n, &res);
    bool ok = got == st && res.status == st && res.unknown_links == unknown;
    if (ok && st == MRS_VF_VIOLATION)
        ok = res.receiver == recv && res.sender == send && res.leaker == path[send] && res.leak_type == lt;
    if (!ok) {
        char buf[256];
        size_t k = 0;
        for (size_t i = 0; i < n && k < 200; i++)
            k += (size_t)snprintf(buf + k, sizeof buf - k, " %u", path[i]);
        fail_msg("path%s: status %d recv %zu send %zu type %d unknown %zu; expected %d %zu %zu %d %zu", buf,
                 (int)got, res.receiver, res.sender, (int)res.leak_type, res.unknown_links, (int)st, recv, send,
                 (int)lt, unknown);
    }
}

#define VF(r, st, recv, send, lt, unk, ...)                                         \
    do {                                                                            \
        const uint32_t p_[] = {__VA_ARGS__};                                        \
        vf((r), p_, sizeof p_ / sizeof p_[0], (st), (recv), (send), (lt), (unk));   \
    } while (0)

static void valley_free_verdicts(void **state)
{
    (void)state;
    mrs_asrel *r = small_topology();
    VF(r, MRS_VF_VALLEY_FREE, 0, 0, 0, 0, 1, 10, 100);            /* up, up */
    VF(r, MRS_VF_VALLEY_FREE, 0, 0, 0, 0, 12, 10, 100);           /* up, flat */
    VF(r, MRS_VF_VALLEY_FREE, 0, 0, 0, 0, 102, 12, 10, 100);      /* up, flat, down */
    VF(r, MRS_VF_VALLEY_FREE, 0, 0, 0, 0, 101, 11, 2, 1, 10);     /* up, flat, down, down */
    VF(r, MRS_VF_VALLEY_FREE, 0, 0, 0, 0, 1000, 100, 10, 1);      /* down, down, down */
    /* Type 1 hairpin: 100 learns from provider 10, sends to provider 11. */
    VF(r, MRS_VF_VIOLATION, 0, 1, MRS_LEAK_HAIRPIN, 0, 11, 100, 10);
    /* Type 2 lateral: 12 learns from peer 10, sends to peer 13. */
    VF(r, MRS_VF_VIOLATION, 0, 1, MRS_LEAK_LATERAL, 0, 13, 12, 10, 100);
    /* Type 3: 10 learns from provider 1, sends to peer 12. */
    VF(r, MRS_VF_VIOLATION, 0, 1, MRS_LEAK_PROVIDER_TO_PEER, 0, 12, 10, 1, 2);
    /* Type 4: 12 learns from peer 10, sends to provider 2. */
    VF(r, MRS_VF_VIOLATION, 0, 1, MRS_LEAK_PEER_TO_PROVIDER, 0, 2, 12, 10, 100);
    /* The first violation in propagation order is reported, not the last. */
    VF(r, MRS_VF_VIOLATION, 2, 3, MRS_LEAK_HAIRPIN, 0, 2, 1, 11, 100, 10);
    /* Prepending: runs of one AS are one hop; positions point into the raw path. */
    VF(r, MRS_VF_VALLEY_FREE, 0, 0, 0, 0, 1, 1, 10, 10, 10, 100);
    VF(r, MRS_VF_VIOLATION, 1, 2, MRS_LEAK_HAIRPIN, 0, 11, 11, 100, 100, 10);
    /* Unknown links are not violations ... */
    mrs_vf_result res;
    const uint32_t p1[] = {1, 999, 100};
    assert_int_equal(mrs_asrel_valley_free(r, p1, 3, &res), MRS_VF_UNKNOWN);
    assert_int_equal(res.unknown_links, 2);
    assert_int_equal(res.first_unknown, 1);
    VF(r, MRS_VF_UNKNOWN, 0, 0, 0, 2, 11, 100, 999, 10);       /* could have been up,up */
    /* ... but a valley after them is still definite. */
    VF(r, MRS_VF_VIOLATION, 0, 1, MRS_LEAK_HAIRPIN, 1, 11, 100, 10, 999);
    /* up, ?, ?, up: the unknowns may have been ups, so no verdict. */
    VF(r, MRS_VF_UNKNOWN, 0, 0, 0, 2, 2, 12, 999, 10, 100);
    /* down, ?, ?, up: a valley whatever the unknowns were; the type is not guessed. */
    VF(r, MRS_VF_VIOLATION, 0, 1, MRS_LEAK_UNDETERMINED, 2, 2, 12, 999, 10, 1);
    /* Siblings are transparent. */
    VF(r, MRS_VF_VALLEY_FREE, 0, 0, 0, 0, 32, 31, 30);
    VF(r, MRS_VF_VALLEY_FREE, 0, 0, 0, 0, 30, 31, 32);
    /* Degenerate paths. */
    assert_int_equal(mrs_asrel_valley_free(r, NULL, 0, &res), MRS_VF_VALLEY_FREE);
    const uint32_t one[] = {1};
    assert_int_equal(mrs_asrel_valley_free(r, one, 1, NULL), MRS_VF_VALLEY_FREE);
    const uint32_t same[] = {7, 7, 7};
    assert_int_equal(mrs_asrel_valley_free(r, same, 3, &res), MRS_VF_VALLEY_FREE);
    mrs_asrel_free(r);
}

/* test hooks for mrs_asrel_valley_free_ctx */
static bool standing_12_from_10(void *ctx, uint32_t from, uint32_t leaker)
{
    unsigned *asked = ctx;
    (*asked)++;
    return from == 10 && leaker == 12;
}

static mrs_rel aspa_like(const void *ctx, uint32_t sender, uint32_t receiver, mrs_rel asrel)
{
    (void)ctx;
    (void)asrel;
    /* AS1000's own record: 100 is not its provider, so 1000 -> 100 is not up */
    return sender == 1000 && receiver == 100 ? MRS_REL_P2P : MRS_REL_NONE;
}

static void valley_free_with_caller_knowledge(void **state)
{
    (void)state;
    static const char txt[] = "# input clique: 1 2\n1|2|0\n1|10|-1\n2|12|-1\n10|12|0\n12|13|0\n10|100|-1\n"
                              "100|1000|-1\n13|14|0\n";
    mrs_diag dg;
    mrs_diag_init(&dg, NULL);
    mrs_asrel *r = mrs_asrel_new();
    assert_int_equal(mrs_asrel_load_mem(r, txt, sizeof txt - 1, "rel.txt", &dg), 0);
    mrs_vf_ctx c;
    memset(&c, 0, sizeof c);
    mrs_vf_result res;
    /* 13 <- 12 <- 10 <- 100: a type-2 valley at 12 (from peer 10, to peer 13), then
     * 14 <- 13 another (from peer 12, to peer 14) */
    const uint32_t p1[] = {14, 13, 12, 10, 100};
    assert_int_equal(mrs_asrel_valley_free_ctx(r, p1, 5, &c, &res), MRS_VF_VIOLATION);
    assert_int_equal(res.leaker, 12);
    assert_int_equal(res.leak_from, 10);
    assert_int_equal(res.standing_skipped, 0);
    /* 12 passing 10's routes sideways is standing: the walk goes on from 12 as from
     * an origin and finds 13 passing 12's route to its peer 14 */
    unsigned asked = 0;
    c.standing = standing_12_from_10;
    c.standing_ctx = &asked;
    assert_int_equal(mrs_asrel_valley_free_ctx(r, p1, 5, &c, &res), MRS_VF_VIOLATION);
    assert_int_equal(res.leaker, 13);
    assert_int_equal(res.leak_from, 12);
    assert_int_equal(res.leak_type, MRS_LEAK_LATERAL);
    assert_int_equal(res.standing_skipped, 1);
    assert_int_equal(res.standing_leaker, 12);
    assert_int_equal(res.standing_from, 10);
    assert_int_equal(res.standing_type, MRS_LEAK_LATERAL);
    assert_int_equal(asked, 2);   /* asked about both valleys */
    /* without it the same path is one valley; the plain walk knows no hooks */
    assert_int_equal(mrs_asrel_valley_free(r, p1, 5, &res), MRS_VF_VIOLATION);
    assert_int_equal(res.leaker, 12);
    c.standing = NULL;
    /* 1 <-? 77 <- 13: 77 had peer 13's route (a descent) and sent it over a link
     * as-rel lacks: a leak if that link is up or flat */
    const uint32_t p2[] = {1, 77, 13};
    const uint32_t p2b[] = {999, 77, 13};
    assert_int_equal(mrs_asrel_add(r, 77, 13, MRS_REL_P2P), 0);
    assert_int_equal(mrs_asrel_finish(r), 0);
    assert_int_equal(mrs_asrel_valley_free_ctx(r, p2, 3, &c, &res), MRS_VF_UNKNOWN);
    assert_int_equal(res.maybe_leaker, 77);
    assert_int_equal(res.maybe_from, 13);
    assert_int_equal(res.clique_links, 0);
    /* the clique has no providers: 77 -> 1 went up */
    c.clique_top = true;
    assert_int_equal(mrs_asrel_valley_free_ctx(r, p2, 3, &c, &res), MRS_VF_VIOLATION);
    assert_int_equal(res.leaker, 77);
    assert_int_equal(res.leak_type, MRS_LEAK_PEER_TO_PROVIDER);
    assert_int_equal(res.clique_links, 1);
    assert_int_equal(res.maybe_leaker, 0);
    /* not into the clique: still unknown */
    assert_int_equal(mrs_asrel_valley_free_ctx(r, p2b, 3, &c, &res), MRS_VF_UNKNOWN);
    assert_int_equal(res.clique_links, 0);
    assert_int_equal(res.maybe_leaker, 77);
    /* 14 <- 13 <-? 66 <-? 12 <- 10 <- 100: 12 had peer 10's route (a descent), then
     * two links as-rel lacks, then 13 sends to its peer 14: a valley at 13, but 12
     * (sending over the unknown link) may be the leaker instead: after_unknown */
    const uint32_t p3[] = {14, 13, 66, 12, 10, 100};
    assert_int_equal(mrs_asrel_valley_free_ctx(r, p3, 6, &c, &res), MRS_VF_VIOLATION);
    assert_int_equal(res.leaker, 13);
    assert_true(res.after_unknown);
    assert_int_equal(mrs_asrel_valley_free_ctx(r, p1, 5, &c, &res), MRS_VF_VIOLATION);
    assert_false(res.after_unknown);
    /* a link hook (ASPA): 1000 -> 100 is not up, so 100 passing it up to 10 leaks */
    const uint32_t p4[] = {10, 100, 1000};
    assert_int_equal(mrs_asrel_valley_free_ctx(r, p4, 3, &c, &res), MRS_VF_VALLEY_FREE);
    c.link = aspa_like;
    assert_int_equal(mrs_asrel_valley_free_ctx(r, p4, 3, &c, &res), MRS_VF_VIOLATION);
    assert_int_equal(res.leaker, 100);
    assert_int_equal(res.leak_type, MRS_LEAK_PEER_TO_PROVIDER);
    assert_int_equal(res.decided_links, 1);
    mrs_asrel_free(r);
}

static void parser_formats_and_errors(void **state)
{
    (void)state;
    static const char txt[] =
        "# input clique: 1 2 3\n"                   /* 1 */
        "# IXP ASes: 9 8\n"                         /* 2 */
        "# source:topology|BGP|20161101|ripe|rrc00\n"   /* 3 */
        "1|2|0\n"                                   /* 4 */
        "1|10|-1\n"                                 /* 5 */
        "10|20|-1|bgp\n"                            /* 6: serial-2 */
        "1|10|-1\n"                                 /* 7: duplicate (warning) */
        "10|1|-1\n"                                 /* 8: conflict */
        "1|2\n"                                     /* 9 */
        "1|2|3\n"                                   /* 10 */
        "a|b|0\n"                                   /* 11 */
        "5|5|0\n"                                   /* 12 */
        "7|8|0|bgp|mlp\n"                           /* 13: extra column ignored */
        "4294967296|1|0\n"                          /* 14 */
        "30|31|1\n"                                 /* 15: sibling */
        "\n"
        "  40|41|0  \r\n"                           /* 17: blanks, CRLF */
        "42|43|\x1b\n";                             /* 18 */
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    mrs_diag d;
    mrs_diag_init(&d, f);
    mrs_asrel *r = mrs_asrel_new();
    assert_int_equal(mrs_asrel_load_mem(r, txt, sizeof txt - 1, "rel.txt", &d), 0);
    fclose(f);
    assert_int_equal(d.warnings, 1);
    assert_int_equal(d.errors, 7);
    assert_string_equal(out,
                        "rel.txt:7: warning: duplicate link 1|10\n"
                        "rel.txt:8: AS10-AS1 is p2c here but c2p earlier (first kept)\n"
                        "rel.txt:9: expected a|b|rel or a|b|rel|source, got 2 fields\n"
                        "rel.txt:10: unknown relationship \"3\" (expected -1, 0 or 1)\n"
                        "rel.txt:11: bad AS number\n"
                        "rel.txt:12: self link AS5\n"
                        "rel.txt:14: bad AS number\n"
                        "rel.txt:18: unknown relationship \"\\x1b\" (expected -1, 0 or 1)\n");
    free(out);
    assert_int_equal(mrs_asrel_link_count(r), 6);
    assert_int_equal(mrs_asrel_rel(r, 8, 7), MRS_REL_P2P);
    assert_int_equal(mrs_asrel_rel(r, 10, 20), MRS_REL_P2C);
    assert_int_equal(mrs_asrel_rel(r, 1, 10), MRS_REL_P2C);
    assert_int_equal(mrs_asrel_rel(r, 41, 40), MRS_REL_P2P);
    assert_int_equal(mrs_asrel_rel(r, 30, 31), MRS_REL_S2S);
    size_t n;
    const uint32_t *c = mrs_asrel_clique(r, &n);
    expect_list(c, n, (const uint32_t[]){1, 2, 3}, 3, "clique");
    c = mrs_asrel_ixps(r, &n);
    expect_list(c, n, (const uint32_t[]){9, 8}, 2, "IXPs");
    /* Loading more accumulates; the CSR is rebuilt. */
    assert_int_equal(mrs_asrel_load_mem(r, "20|21|-1\n", 9, "more", &d), 0);
    assert_int_equal(mrs_asrel_link_count(r), 7);
    const uint32_t *v;
    n = mrs_asrel_customers(r, 20, &v);
    expect_list(v, n, (const uint32_t[]){21}, 1, "customers of 20");
    assert_int_equal(mrs_asrel_cones_compute(r), 0);
    EXPECT_CONE(r, 1, 1, 10, 20, 21);
    /* Empty input, missing file. */
    mrs_asrel *e = mrs_asrel_new();
    assert_int_equal(mrs_asrel_load_mem(e, "", 0, "empty", &d), 0);
    assert_int_equal(mrs_asrel_as_count(e), 0);
    assert_int_equal(mrs_asrel_cones_compute(e), 0);
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_asrel_load(e, "/nonexistent/as-rel.txt", &d), -1);
    assert_int_equal(d.errors, 1);
    mrs_asrel_free(e);
    mrs_asrel_free(r);
}

static void caida_20161101_real_data(void **state)
{
    (void)state;
    char path[1024];
    TU_REQUIRE_DATA("asrel/20161101.as-rel.txt.bz2", path);
    mrs_asrel *r = mrs_asrel_new();
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    assert_int_equal(mrs_asrel_load(r, path, &d), 0);
    assert_int_equal(d.errors + d.warnings, 0);
    assert_int_equal(mrs_asrel_link_count(r), 239064);
    assert_int_equal(mrs_asrel_p2c_count(r), 110479);
    assert_int_equal(mrs_asrel_p2p_count(r), 128585);
    assert_int_equal(mrs_asrel_s2s_count(r), 0);
    assert_int_equal(mrs_asrel_as_count(r), 55809);
    size_t n;
    const uint32_t *c = mrs_asrel_clique(r, &n);
    assert_int_equal(n, 17);
    assert_int_equal(c[0], 174);
    assert_int_equal(c[16], 12956);
    c = mrs_asrel_ixps(r, &n);
    assert_int_equal(n, 28);
    assert_int_equal(c[0], 1200);
    assert_int_equal(c[27], 57463);
    /* grep -n: 720:174|3356|0  1362:174|13335|-1  12679:1103|3333|-1
     *          17068:1299|6939|-1  37201:3333|13335|0  37206:3333|15169|0 */
    assert_int_equal(mrs_asrel_rel(r, 3356, 174), MRS_REL_P2P);
    assert_int_equal(mrs_asrel_rel(r, 174, 13335), MRS_REL_P2C);
    assert_int_equal(mrs_asrel_rel(r, 13335, 174), MRS_REL_C2P);
    assert_int_equal(mrs_asrel_rel(r, 3333, 1103), MRS_REL_C2P);
    assert_int_equal(mrs_asrel_rel(r, 6939, 1299), MRS_REL_C2P);
    assert_int_equal(mrs_asrel_rel(r, 15169, 3333), MRS_REL_P2P);
    assert_int_equal(mrs_asrel_rel(r, 13335, 3333), MRS_REL_P2P);
    assert_int_equal(mrs_asrel_rel(r, 3356, 13335), MRS_REL_NONE);
    const uint32_t *v;
    assert_int_equal(mrs_asrel_providers(r, 13335, &v), 29);   /* grep -c '|13335|-1' */
    assert_int_equal(v[0], 174);
    assert_int_equal(mrs_asrel_peers(r, 13335, &v), 193);
    n = mrs_asrel_customers(r, 13335, &v);
    expect_list(v, n, (const uint32_t[]){132892, 203898, 394536}, 3, "customers of 13335");
    assert_int_equal(mrs_asrel_customers(r, 3356, &v), 4498);
    assert_int_equal(mrs_asrel_peers(r, 6939, &v), 4892);
    assert_int_equal(mrs_asrel_cones_compute(r), 0);
    const uint32_t *m;
    assert_int_equal(mrs_asrel_cone(r, 3356, &m), 47224);
    assert_int_equal(mrs_asrel_cone(r, 174, &m), 46453);
    assert_int_equal(mrs_asrel_cone(r, 1299, &m), 47136);
    assert_int_equal(mrs_asrel_cone(r, 2914, &m), 42781);
    assert_int_equal(mrs_asrel_cone(r, 701, &m), 25051);
    assert_int_equal(mrs_asrel_cone(r, 6939, &m), 40344);
    assert_int_equal(mrs_asrel_cone(r, 37100, &m), 399);
    EXPECT_CONE(r, 13335, 13335, 132892, 203898, 394536);
    EXPECT_CONE(r, 15169, 15169, 15276, 19425, 36040, 36384, 36492, 41264, 43515, 55023);
    assert_true(mrs_asrel_in_cone(r, 174, 13335));
    assert_false(mrs_asrel_in_cone(r, 13335, 174));
    VF(r, MRS_VF_VALLEY_FREE, 0, 0, 0, 0, 6939, 1299, 13335);
    VF(r, MRS_VF_VALLEY_FREE, 0, 0, 0, 0, 1299, 174, 13335);
    VF(r, MRS_VF_VIOLATION, 0, 1, MRS_LEAK_HAIRPIN, 0, 1299, 13335, 174);
    VF(r, MRS_VF_VIOLATION, 0, 1, MRS_LEAK_PROVIDER_TO_PEER, 0, 3333, 13335, 174);
    mrs_asrel_free(r);
}

/* A bz2 file cut short: the links before the damage load, the load says -1 and
 * names the offset; nothing crashes. */
static void truncated_compressed_file(void **state)
{
    (void)state;
    char path[1024];
    TU_REQUIRE_DATA("asrel/20161101.as-rel.txt.bz2", path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[400000];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_int_equal(n, sizeof buf);
    const char *cut = tu_write_tmp("cut.as-rel.bz2", buf, n);
    mrs_asrel *r = mrs_asrel_new();
    char *out = NULL;
    size_t outlen = 0;
    FILE *m = open_memstream(&out, &outlen);
    mrs_diag d;
    mrs_diag_init(&d, m);
    assert_int_equal(mrs_asrel_load(r, cut, &d), -1);
    fclose(m);
    /* The damage, and the incomplete line before it (not parsed: a cut line could
     * read as a valid but wrong link). */
    assert_int_equal(d.errors, 2);
    assert_non_null(strstr(out, "cut.as-rel.bz2:67058: line cut short by the damaged input, skipped\n"));
    assert_non_null(strstr(out, "cut.as-rel.bz2: offset 899120: "));
    free(out);
    /* 400 kB of a 780 kB file (bzip2 blocks of 900 kB text): a part of the links. */
    assert_int_equal(mrs_asrel_link_count(r), 66933);   /* bzcat | head -67057 | grep -vc '^#' */
    assert_int_equal(mrs_asrel_rel(r, 3356, 174), MRS_REL_P2P);   /* line 720, early */
    assert_int_equal(mrs_asrel_cones_compute(r), 0);
    mrs_asrel_free(r);
}

static void ppdc_cones(void **state)
{
    (void)state;
    static const char txt[] = "# ppdc-ases\n1 1 2 3\n2 2\n3 5 4 3 4\n7 8 9\n4 x 5\n\n";
    mrs_cone_set *c = mrs_cone_set_new();
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    mrs_diag d;
    mrs_diag_init(&d, f);
    assert_int_equal(mrs_cone_load_mem(c, txt, sizeof txt - 1, "ppdc", &d), 0);
    fclose(f);
    assert_string_equal(out, "ppdc:6: bad AS number \"x\" (line skipped)\n");
    free(out);
    assert_int_equal(mrs_cone_set_count(c), 4);
    const uint32_t *m;
    size_t n = mrs_cone_get(c, 3, &m);
    expect_list(m, n, (const uint32_t[]){3, 4, 5}, 3, "ppdc 3");
    n = mrs_cone_get(c, 7, &m);
    expect_list(m, n, (const uint32_t[]){7, 8, 9}, 3, "ppdc 7");   /* owner added */
    assert_true(mrs_cone_contains(c, 1, 3));
    assert_false(mrs_cone_contains(c, 2, 3));
    assert_int_equal(mrs_cone_get(c, 4, &m), 0);
    assert_false(mrs_cone_contains(c, 4, 4));
    mrs_cone_set_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(relationships_and_neighbours),
        cmocka_unit_test(customer_cones_with_cycle),
        cmocka_unit_test(valley_free_verdicts),
        cmocka_unit_test(valley_free_with_caller_knowledge),
        cmocka_unit_test(parser_formats_and_errors),
        cmocka_unit_test(caida_20161101_real_data),
        cmocka_unit_test(truncated_compressed_file),
        cmocka_unit_test(ppdc_cones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
