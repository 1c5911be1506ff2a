/* test_prefix.c — address/prefix formatting and parsing (src/core/prefix.c). */
#include "testutil.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/prefix.h"

static void ipv6_format_matches_inet_ntop_on_random_and_edge_addresses(void **state)
{
    (void)state;
    srand(12345);
    for (int iter = 0; iter < 200000; iter++) {
        uint8_t a[16];
        for (int i = 0; i < 16; i++) {
            /* Mostly zero bytes so that zero runs of every shape occur. */
            a[i] = (rand() % 3 == 0) ? (uint8_t)rand() : 0;
        }
        if (iter % 7 == 0) { a[10] = a[11] = 0xff; memset(a, 0, 10); }
        char ours[MRS_IP_STRLEN], ref[INET6_ADDRSTRLEN];
        mrs_ipv6_format(a, ours);
        assert_non_null(inet_ntop(AF_INET6, a, ref, sizeof ref));
        assert_string_equal(ours, ref);
        unsigned afi;
        uint8_t back[16];
        assert_true(mrs_ip_parse(ours, strlen(ours), &afi, back));
        assert_int_equal(afi, MRS_AFI_IPV6);
        assert_memory_equal(a, back, 16);
    }
}

static void ipv4_format_and_parse_round_trip(void **state)
{
    (void)state;
    const uint8_t a[4] = {193, 0, 10, 255};
    char s[MRS_IP_STRLEN];
    assert_int_equal(mrs_ipv4_format(a, s), 12);
    assert_string_equal(s, "193.0.10.255");
    unsigned afi;
    uint8_t b[16];
    assert_true(mrs_ip_parse(s, strlen(s), &afi, b));
    assert_int_equal(afi, MRS_AFI_IPV4);
    assert_memory_equal(a, b, 4);
    assert_false(mrs_ip_parse("256.1.1.1", 9, &afi, b));
    assert_false(mrs_ip_parse("1.2.3", 5, &afi, b));
    assert_false(mrs_ip_parse("1.2.3.4.5", 9, &afi, b));
    assert_false(mrs_ip_parse("1:2:3", 5, &afi, b));
    assert_false(mrs_ip_parse("1::2::3", 7, &afi, b));
}

static void prefix_parse_rejects_bad_lengths_and_host_bits_when_strict(void **state)
{
    (void)state;
    mrs_prefix p;
    assert_true(mrs_prefix_parse("10.0.0.0/8", 10, &p, true));
    assert_int_equal(p.len, 8);
    assert_false(mrs_prefix_parse("10.0.0.1/8", 10, &p, true));
    assert_true(mrs_prefix_parse("10.0.0.1/8", 10, &p, false));
    assert_int_equal(p.addr[3], 0);
    assert_false(mrs_prefix_parse("10.0.0.0/33", 11, &p, false));
    assert_false(mrs_prefix_parse("2001:db8::/129", 14, &p, false));
    assert_true(mrs_prefix_parse("2001:db8::/32", 13, &p, true));
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&p, s);
    assert_string_equal(s, "2001:db8::/32");
}

static void covers_is_the_less_specific_relation(void **state)
{
    (void)state;
    mrs_prefix a, b, c;
    mrs_prefix_parse("193.0.0.0/21", 12, &a, true);
    mrs_prefix_parse("193.0.4.0/24", 12, &b, true);
    mrs_prefix_parse("193.0.8.0/24", 12, &c, true);
    assert_true(mrs_prefix_covers(&a, &b));
    assert_false(mrs_prefix_covers(&b, &a));
    assert_false(mrs_prefix_covers(&a, &c));
    assert_true(mrs_prefix_covers(&a, &a));
}

static void asn_parse_accepts_plain_as_prefix_and_asdot(void **state)
{
    (void)state;
    uint32_t asn;
    assert_true(mrs_asn_parse("AS64500", 7, &asn));
    assert_int_equal(asn, 64500);
    assert_true(mrs_asn_parse("as3333", 6, &asn));
    assert_int_equal(asn, 3333);
    assert_true(mrs_asn_parse("4294967295", 10, &asn));
    assert_int_equal(asn, 4294967295u);
    assert_false(mrs_asn_parse("4294967296", 10, &asn));
    assert_true(mrs_asn_parse("1.10", 4, &asn));
    assert_int_equal(asn, 65546);
    assert_false(mrs_asn_parse("AS", 2, &asn));
    assert_false(mrs_asn_parse("12a", 3, &asn));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipv6_format_matches_inet_ntop_on_random_and_edge_addresses),
        cmocka_unit_test(ipv4_format_and_parse_round_trip),
        cmocka_unit_test(prefix_parse_rejects_bad_lengths_and_host_bits_when_strict),
        cmocka_unit_test(covers_is_the_less_specific_relation),
        cmocka_unit_test(asn_parse_accepts_plain_as_prefix_and_asdot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
