/* test_trie_limits.c — the IPv4 node limit of the prefix trie (2^26 nodes: the
 * indexes share their word with the length, src/core/trie.c), reached here with
 * the limit lowered to 4 096 nodes by compiling trie.c into this test: insertion
 * and the one-pass build fail cleanly at the limit, the trie stays whole and
 * usable, IPv6 is not affected. */
#include "testutil.h"

#include <string.h>

#define TRIE_MAX_NODES4 UINT32_C(4096)
#include "../src/core/trie.c"

static mrs_prefix host4(uint32_t i)
{
    /* Spread hosts: every insertion after the first adds a glue node and a leaf. */
    uint32_t a = i * UINT32_C(2654435761);
    mrs_prefix p = {.afi = MRS_AFI_IPV4, .len = 32};
    for (int k = 0; k < 4; k++)
        p.addr[k] = (uint8_t)(a >> (24 - 8 * k));
    return p;
}

static void insertion_stops_cleanly_at_the_node_limit(void **state)
{
    (void)state;
    mrs_trie *t = mrs_trie_new();
    assert_non_null(t);
    uint32_t n = 0;
    for (;; n++) {
        mrs_prefix p = host4(n);
        int rc = mrs_trie_insert(t, &p, n);
        if (rc < 0)
            break;
        assert_int_equal(rc, 1);
        assert_true(n < 4096);
    }
    /* Two nodes per prefix, the sentinel and the first leaf: the last insertion
     * that fit left fewer than two free nodes. */
    assert_int_equal(n, 2048);
    assert_int_equal(mrs_trie_count(t, MRS_AFI_IPV4), n);
    mrs_prefix p = host4(n);
    assert_false(mrs_trie_lookup(t, &p, NULL));
    /* Room for two nodes is reserved before the search: at the limit even a
     * replacement is refused, and changes nothing. */
    p = host4(7);
    assert_int_equal(mrs_trie_insert(t, &p, 70), -1);
    /* IPv6 has its own array and limit. */
    mrs_prefix v6 = {.afi = MRS_AFI_IPV6, .len = 32, .addr = {0x20, 0x01, 0x0d, 0xb8}};
    assert_int_equal(mrs_trie_insert(t, &v6, 6), 1);
    assert_int_equal(mrs_trie_compact(t), 0);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v;
        p = host4(i);
        assert_true(mrs_trie_lookup(t, &p, &v));
        assert_int_equal(v, i);
    }
    uint32_t v;
    assert_true(mrs_trie_lookup(t, &v6, &v));
    assert_int_equal(v, 6);
    /* Lengths 0..32, valued or glue, survive the packing next to large indexes. */
    mrs_prefix all = {.afi = MRS_AFI_IPV4, .len = 0};
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    p = host4(5);
    assert_int_equal(mrs_trie_covering(t, &p, m), 1);
    assert_int_equal(m[0].len, 32);
    assert_int_equal(mrs_trie_insert(t, &all, 99), -1);   /* full: even one node is refused */
    mrs_trie_free(t);
}

static int host_cmp(const void *a, const void *b)
{
    return mrs_prefix_cmp(a, b);
}

static void bulk_build_respects_the_node_limit(void **state)
{
    (void)state;
    /* n items may take 2n - 1 nodes plus the sentinel: 2048 fit, 2049 do not. */
    static mrs_prefix v[2049];
    for (uint32_t i = 0; i < 2049; i++)
        v[i] = host4(i);
    qsort(v, 2049, sizeof v[0], host_cmp);
    mrs_trie *t = mrs_trie_build_sorted(v, sizeof v[0], NULL, NULL, 2049);
    assert_null(t);
    t = mrs_trie_build_sorted(v, sizeof v[0], NULL, NULL, 2048);
    assert_non_null(t);
    assert_int_equal(mrs_trie_count(t, MRS_AFI_IPV4), 2048);
    for (uint32_t i = 0; i < 2048; i++) {
        uint32_t val;
        assert_true(mrs_trie_lookup(t, &v[i], &val));
        assert_int_equal(val, i);
    }
    mrs_trie_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(insertion_stops_cleanly_at_the_node_limit),
        cmocka_unit_test(bulk_build_respects_the_node_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
