/* test_spooftest.c — manrs spooftest's pure logic (src/apps/spooftest/plan.c,
 * report.c, acl.c): the Internet checksum (RFC 1071's example), the IPv4 and
 * IPv6 UDP probes against vectors computed independently (Python struct), the
 * payload tag, the probe plan (every class in both families, each source where
 * its class says, no kernel martian), the collector's accounting, the verdict,
 * the Spoofer CSV rows read back by kb/spoofer.c, the JSON shape and the ruleset
 * the antispoof library builds for the lab customer. The lab itself (namespaces)
 * is tests/cli_spooftest.sh. */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/spooftest.h"
#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/spoofer.h"

static mrs_prefix P(const char *s)
{
    mrs_prefix p;
    if (!mrs_prefix_parse(s, strlen(s), &p, false))
        fail_msg("bad prefix in test: %s", s);
    return p;
}

static void addr(const char *s, uint8_t out[16])
{
    unsigned afi;
    memset(out, 0, 16);
    if (!mrs_ip_parse(s, strlen(s), &afi, out))
        fail_msg("bad address in test: %s", s);
}

static bool in(const char *addr_s, const char *pfx)
{
    mrs_prefix a = P(addr_s), p = P(pfx);
    return mrs_prefix_covers(&p, &a);
}

/* ---------------------------------------------------------------- packets */

static void checksum_rfc1071(void **state)
{
    (void)state;
    static const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};   /* RFC 1071 §3 */
    assert_int_equal(mrs_st_checksum(b, sizeof b, 0), 0x220d);
    assert_int_equal(mrs_st_checksum(b, 7, 0), mrs_st_checksum((const uint8_t[]){0, 1, 0xf2, 3, 0xf4, 0xf5, 0xf6, 0},
                                                               8, 0));   /* odd length: padded with a zero */
    uint8_t z[4] = {0};
    assert_int_equal(mrs_st_checksum(z, 4, 0), 0xffff);
}

static const mrs_st_tag TAG = {0x01020304, 1, 2, 3};

static void udp4_vector(void **state)
{
    (void)state;
    uint8_t src[16], dst[16], tag[MRS_ST_TAG_LEN], pkt[128];
    addr("198.18.0.10", src);
    addr("198.19.255.6", dst);
    mrs_st_tag_encode(&TAG, tag);
    size_t n = mrs_st_udp4(pkt, sizeof pkt, src, dst, 33434, 33435, 7, tag, sizeof tag);
    assert_int_equal(n, 44);
    assert_int_equal(pkt[0], 0x45);
    assert_int_equal(pkt[2] << 8 | pkt[3], 44);
    assert_int_equal(pkt[4] << 8 | pkt[5], 7);
    assert_int_equal(pkt[8], 64);
    assert_int_equal(pkt[9], 17);
    assert_memory_equal(pkt + 12, src, 4);
    assert_memory_equal(pkt + 16, dst, 4);
    assert_int_equal(pkt[10] << 8 | pkt[11], 0xef83);          /* Python: header checksum */
    assert_int_equal(mrs_st_checksum(pkt, 20, 0), 0);           /* verifies */
    assert_int_equal(pkt[20] << 8 | pkt[21], 33434);
    assert_int_equal(pkt[22] << 8 | pkt[23], 33435);
    assert_int_equal(pkt[24] << 8 | pkt[25], 24);
    assert_int_equal(pkt[26] << 8 | pkt[27], 0xc99f);           /* Python: UDP checksum */
    assert_memory_equal(pkt + 28, tag, sizeof tag);
    assert_int_equal(mrs_st_udp4(pkt, 43, src, dst, 1, 2, 0, tag, sizeof tag), 0);   /* too small */
}

static void udp6_vector(void **state)
{
    (void)state;
    uint8_t src[16], dst[16], tag[MRS_ST_TAG_LEN], pkt[128];
    addr("2001:db8:2::10", src);
    addr("2001:db8:ffff:2::2", dst);
    mrs_st_tag_encode(&TAG, tag);
    size_t n = mrs_st_udp6(pkt, sizeof pkt, src, dst, 33434, 33435, tag, sizeof tag);
    assert_int_equal(n, 64);
    assert_int_equal(pkt[0], 0x60);
    assert_int_equal(pkt[4] << 8 | pkt[5], 24);                 /* payload length */
    assert_int_equal(pkt[6], 17);
    assert_int_equal(pkt[7], 64);
    assert_memory_equal(pkt + 8, src, 16);
    assert_memory_equal(pkt + 24, dst, 16);
    assert_int_equal(pkt[46] << 8 | pkt[47], 0xf94e);           /* Python: UDP checksum */
    assert_int_equal(mrs_st_udp6(pkt, 63, src, dst, 1, 2, tag, sizeof tag), 0);
}

static void tag_round_trip(void **state)
{
    (void)state;
    uint8_t b[MRS_ST_TAG_LEN];
    mrs_st_tag t = {0xdeadbeef, 3, 9, 13}, u;
    mrs_st_tag_encode(&t, b);
    assert_memory_equal(b, "MRST", 4);
    assert_true(mrs_st_tag_decode(b, sizeof b, &u));
    assert_int_equal(u.nonce, t.nonce);
    assert_int_equal(u.run, 3);
    assert_int_equal(u.copy, 9);
    assert_int_equal(u.probe, 13);
    assert_false(mrs_st_tag_decode(b, sizeof b - 1, &u));
    b[12] = 1;
    assert_false(mrs_st_tag_decode(b, sizeof b, &u));           /* padding must be zero */
    b[12] = 0;
    b[0] = 'X';
    assert_false(mrs_st_tag_decode(b, sizeof b, &u));
}

/* ---------------------------------------------------------------- the plan */

static void plan_covers_every_class(void **state)
{
    (void)state;
    size_t n;
    const mrs_st_probe_def *p = mrs_st_probes(&n);
    const mrs_st_addrs *a = mrs_st_lab_addrs();
    assert_int_equal(n, 14);
    int seen[MRS_ST_NCLASSES][2] = {{0}};
    mrs_bogon_set *bs = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    assert_non_null(bs);
    /* what Linux drops as martian before any filter (so the none run would lose it) */
    static const char *const martian[] = {"0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/4", "255.255.255.255/32",
                                          "::1/128",   "ff00::/8",    "fe80::/10",   "::ffff:0:0/96", "::/128"};
    /* every prefix the lab routes */
    const char *routed[] = {a->cust_p1_4,   a->cust_p2_4,   a->cust_p1_6, a->cust_p2_6, a->other_cust4,
                            a->other_cust6, a->adjacent4,   a->adjacent6, a->link4,     a->link6,
                            "198.19.255.4/30", "2001:db8:ffff:2::/64"};
    for (size_t i = 0; i < n; i++) {
        unsigned afi;
        uint8_t b[16];
        assert_true(mrs_ip_parse(p[i].source, strlen(p[i].source), &afi, b));
        assert_int_equal(afi, p[i].afi);
        assert_true(i < 7 ? afi == MRS_AFI_IPV4 : afi == MRS_AFI_IPV6);   /* IPv4 first */
        seen[p[i].cls][afi == MRS_AFI_IPV6]++;
        for (size_t m = 0; m < sizeof martian / sizeof *martian; m++)
            assert_false(in(p[i].source, martian[m]) && P(martian[m]).afi == afi);
        bool v6 = afi == MRS_AFI_IPV6;
        mrs_prefix src = P(p[i].source);
        mrs_bogon_result br;
        bool bogon = mrs_bogon_check_prefix(bs, &src, &br) == MRS_BOGON_COVERED;
        bool any_route = false;
        for (size_t k = 0; k < sizeof routed / sizeof *routed; k++)
            any_route |= P(routed[k]).afi == afi && in(p[i].source, routed[k]);
        switch (p[i].cls) {
        case MRS_ST_OWN: assert_true(in(p[i].source, v6 ? a->cust_p1_6 : a->cust_p1_4)); break;
        case MRS_ST_MULTIHOMED: assert_true(in(p[i].source, v6 ? a->cust_p2_6 : a->cust_p2_4)); break;
        case MRS_ST_OTHER_CUSTOMER: assert_true(in(p[i].source, v6 ? a->other_cust6 : a->other_cust4)); break;
        case MRS_ST_ADJACENT: {
            /* the sibling of prefix 1: same parent one bit up */
            mrs_prefix adj = P(v6 ? a->adjacent6 : a->adjacent4), p1 = P(v6 ? a->cust_p1_6 : a->cust_p1_4);
            assert_true(in(p[i].source, v6 ? a->adjacent6 : a->adjacent4));
            assert_int_equal(adj.len, p1.len);
            assert_false(mrs_prefix_equal(&adj, &p1));
            adj.len--, p1.len--;
            mrs_prefix_mask(&adj), mrs_prefix_mask(&p1);
            assert_true(mrs_prefix_equal(&adj, &p1));
            break;
        }
        case MRS_ST_PRIVATE: assert_true(in(p[i].source, v6 ? "fc00::/7" : "10.0.0.0/8")); break;
        case MRS_ST_UNALLOCATED:
            assert_false(any_route);   /* nobody routes it in the lab ... */
            assert_true(in(p[i].source, v6 ? "2001:db8::/32" : "198.18.0.0/15"));   /* ... inside its Internet */
            break;
        case MRS_ST_BOGON:
            assert_true(bogon);
            assert_false(in(p[i].source, v6 ? "2001:db8::/32" : "198.18.0.0/15"));
            break;
        case MRS_ST_NCLASSES: fail();
        }
        assert_true(mrs_st_class_spoofed(p[i].cls) == (p[i].cls != MRS_ST_OWN && p[i].cls != MRS_ST_MULTIHOMED));
    }
    for (unsigned c = 0; c < MRS_ST_NCLASSES; c++) {
        assert_int_equal(seen[c][0], 1);
        assert_int_equal(seen[c][1], 1);
    }
    mrs_bogon_set_free(bs);
    mrs_st_run_kind k;
    assert_true(mrs_st_run_parse("urpf-loose", &k));
    assert_int_equal(k, MRS_ST_RUN_LOOSE);
    assert_false(mrs_st_run_parse("loose", &k));
    assert_string_equal(mrs_st_run_name(MRS_ST_RUN_ACL), "manrs-acl");
    assert_string_equal(mrs_st_class_name(MRS_ST_OTHER_CUSTOMER), "other-customer");
}

/* ---------------------------------------------------------------- results */

static void arrive(mrs_st_result *r, unsigned run, size_t i, const char *from)
{
    size_t n;
    const mrs_st_probe_def *p = mrs_st_probes(&n);
    uint8_t b[MRS_ST_TAG_LEN], src[16];
    mrs_st_tag t = {r->nonce, (uint8_t)run, 0, (uint16_t)i};
    mrs_st_tag_encode(&t, b);
    addr(from ? from : p[i].source, src);
    mrs_st_record(r, (mrs_st_run_kind)run, b, sizeof b, p[i].afi, src);
}

/* the result a correct lab gives (docs/spooftest.md) */
static void expected_result(mrs_st_result *r)
{
    size_t n;
    const mrs_st_probe_def *p = mrs_st_probes(&n);
    mrs_st_result_init(r, 42, 3);
    for (unsigned k = 0; k < MRS_ST_NRUNS; k++) {
        r->run[k].attempted = r->run[k].done = true;
        for (size_t i = 0; i < n; i++) {
            mrs_st_class c = p[i].cls;
            bool pass = k == MRS_ST_RUN_NONE || c == MRS_ST_OWN ||
                        (k == MRS_ST_RUN_ACL && c == MRS_ST_MULTIHOMED) ||
                        (k == MRS_ST_RUN_LOOSE && (c == MRS_ST_MULTIHOMED || mrs_st_class_routed(c)));
            r->run[k].probe[i].sent = 3;
            if (pass)
                arrive(r, k, i, NULL);
        }
    }
}

static void accounting(void **state)
{
    (void)state;
    mrs_st_result r;
    mrs_st_result_init(&r, 7, 2);
    r.run[MRS_ST_RUN_ACL].done = true;
    uint8_t b[MRS_ST_TAG_LEN], src[16];
    addr("198.18.0.10", src);
    mrs_st_tag t = {7, MRS_ST_RUN_ACL, 1, 0};
    mrs_st_tag_encode(&t, b);
    assert_true(mrs_st_record(&r, MRS_ST_RUN_ACL, b, sizeof b, MRS_AFI_IPV4, src));
    assert_int_equal(r.run[MRS_ST_RUN_ACL].probe[0].received, 1);
    assert_true(mrs_st_arrived(&r, MRS_ST_RUN_ACL, 0));
    assert_false(mrs_st_arrived(&r, MRS_ST_RUN_NONE, 0));
    /* another source (NAT): counted as rewritten, not as arrived */
    addr("198.19.255.1", src);
    t.probe = 1;
    mrs_st_tag_encode(&t, b);
    assert_true(mrs_st_record(&r, MRS_ST_RUN_ACL, b, sizeof b, MRS_AFI_IPV4, src));
    assert_int_equal(r.run[MRS_ST_RUN_ACL].probe[1].rewritten, 1);
    assert_false(mrs_st_arrived(&r, MRS_ST_RUN_ACL, 1));
    /* strays: another run's, another invocation's, a copy beyond, another family, garbage */
    assert_false(mrs_st_record(&r, MRS_ST_RUN_NONE, b, sizeof b, MRS_AFI_IPV4, src));
    t.nonce = 8;
    mrs_st_tag_encode(&t, b);
    assert_false(mrs_st_record(&r, MRS_ST_RUN_ACL, b, sizeof b, MRS_AFI_IPV4, src));
    t.nonce = 7, t.copy = 2;
    mrs_st_tag_encode(&t, b);
    assert_false(mrs_st_record(&r, MRS_ST_RUN_ACL, b, sizeof b, MRS_AFI_IPV4, src));
    t.copy = 0, t.probe = 8;   /* an IPv6 probe arriving over IPv4 */
    mrs_st_tag_encode(&t, b);
    assert_false(mrs_st_record(&r, MRS_ST_RUN_ACL, b, sizeof b, MRS_AFI_IPV4, src));
    t.probe = MRS_ST_NPROBES;
    mrs_st_tag_encode(&t, b);
    assert_false(mrs_st_record(&r, MRS_ST_RUN_ACL, b, sizeof b, MRS_AFI_IPV4, src));
    assert_false(mrs_st_record(&r, MRS_ST_RUN_ACL, "hello", 5, MRS_AFI_IPV4, src));
    assert_int_equal(r.stray, 6);
    assert_int_equal(r.packets_received, 2);
}

static void verdicts(void **state)
{
    (void)state;
    mrs_st_result r;
    mrs_st_verdict v;
    expected_result(&r);
    mrs_st_judge(&r, &v);
    assert_true(v.ok && v.none_ok && v.acl_ok);
    assert_int_equal(v.acl_spoofed, 10);
    assert_int_equal(v.acl_spoofed_blocked, 10);
    assert_int_equal(v.acl_legit, 4);
    assert_int_equal(v.acl_legit_passed, 4);
    assert_true(v.strict_drops_multihomed);
    assert_true(v.loose_passes_other);
    /* a forged probe through the ACL */
    arrive(&r, MRS_ST_RUN_ACL, 11, NULL);   /* private, IPv6 */
    mrs_st_judge(&r, &v);
    assert_false(v.ok);
    assert_false(v.acl_ok);
    assert_int_equal(v.acl_spoofed_blocked, 9);
    /* a legitimate prefix the ACL drops (the generator forgot the second prefix) */
    expected_result(&r);
    r.run[MRS_ST_RUN_ACL].probe[8].received = 0;
    mrs_st_judge(&r, &v);
    assert_false(v.ok);
    assert_int_equal(v.acl_legit_passed, 3);
    /* strict passing the multihomed prefix: no longer "drops" */
    expected_result(&r);
    arrive(&r, MRS_ST_RUN_STRICT, 1, NULL);
    mrs_st_judge(&r, &v);
    assert_false(v.strict_drops_multihomed);
    assert_true(v.ok);   /* strict's behaviour is reported, not judged */
    /* a probe lost with no filter: nothing proves anything */
    expected_result(&r);
    r.run[MRS_ST_RUN_NONE].probe[6].received = 0;
    mrs_st_judge(&r, &v);
    assert_false(v.none_ok);
    assert_false(v.ok);
    /* a run that could not be set up */
    expected_result(&r);
    r.run[MRS_ST_RUN_LOOSE].done = false;
    mrs_st_judge(&r, &v);
    assert_true(v.any_failed);
    assert_false(v.ok);
    assert_false(v.loose_ran);
    /* the ACL run not done at all */
    expected_result(&r);
    r.run[MRS_ST_RUN_ACL].done = false;
    r.run[MRS_ST_RUN_ACL].attempted = false;
    mrs_st_judge(&r, &v);
    assert_false(v.acl_ok);
    assert_false(v.ok);
}

/* ---------------------------------------------------------------- output */

static char *print_to_string(int (*fn)(const mrs_st_result *, FILE *), const mrs_st_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(fn(r, f), 0);
    fclose(f);
    return buf;
}

static void spoofer_rows_read_back(void **state)
{
    (void)state;
    mrs_st_result r;
    expected_result(&r);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(mrs_st_print_spoofer_csv(&r, MRS_ST_RUN_ACL, 64500, 1764547200, f), 0);
    fclose(f);
    mrs_spoofer s;
    memset(&s, 0, sizeof s);
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_spoofer_load_mem(&s, buf, len, "t.csv", &d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(s.n, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(s.v[i].asn, 64500);
        assert_int_equal(s.v[i].time, 1764547200);
        assert_false(s.v[i].leaked);
    }
    assert_int_equal(s.v[0].client.afi, MRS_AFI_IPV4);
    assert_int_equal(s.v[1].client.afi, MRS_AFI_IPV6);
    mrs_spoofer_clear(&s);
    free(buf);
    /* the loose run leaks routed sources: spoof_routed received, private blocked */
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(mrs_st_print_spoofer_csv(&r, MRS_ST_RUN_LOOSE, 64500, 1764547200, f), 0);
    fclose(f);
    assert_non_null(strstr(buf, ",blocked,received\n"));
    assert_null(strstr(buf, ",received,"));
    memset(&s, 0, sizeof s);
    assert_int_equal(mrs_spoofer_load_mem(&s, buf, len, "t.csv", &d), 0);
    assert_true(s.n == 2 && s.v[0].leaked && s.v[1].leaked);
    mrs_spoofer_clear(&s);
    free(buf);
    /* a run not measured: no rows */
    r.run[MRS_ST_RUN_STRICT].done = false;
    f = fopen("/dev/null", "w");
    assert_int_equal(mrs_st_print_spoofer_csv(&r, MRS_ST_RUN_STRICT, 64500, 1, f), -1);
    fclose(f);
}

static void json_shape(void **state)
{
    (void)state;
    mrs_st_result r;
    expected_result(&r);
    char *s = print_to_string(mrs_st_print_json, &r);
    json_error_t e;
    json_t *j = json_loads(s, 0, &e);
    assert_non_null(j);
    json_t *runs = json_object_get(j, "runs");
    assert_int_equal(json_array_size(runs), 4);
    static const char *const names[] = {"none", "manrs-acl", "urpf-strict", "urpf-loose"};
    for (size_t k = 0; k < 4; k++) {
        json_t *run = json_array_get(runs, k);
        assert_string_equal(json_string_value(json_object_get(run, "name")), names[k]);
        json_t *probes = json_object_get(run, "probes");
        assert_int_equal(json_array_size(probes), 14);
        for (size_t i = 0; i < 14; i++) {
            json_t *p = json_array_get(probes, i);
            assert_true(json_is_string(json_object_get(p, "family")));
            assert_true(json_is_string(json_object_get(p, "class")));
            assert_true(json_is_boolean(json_object_get(p, "spoofed")));
            assert_true(json_is_boolean(json_object_get(p, "arrived")));
        }
    }
    json_t *acl1 = json_array_get(json_object_get(json_array_get(runs, 1), "probes"), 1);
    assert_string_equal(json_string_value(json_object_get(acl1, "class")), "multihomed");
    assert_true(json_is_true(json_object_get(acl1, "arrived")));
    assert_true(json_is_false(json_object_get(acl1, "spoofed")));
    assert_true(json_is_true(json_object_get(json_object_get(j, "verdict"), "ok")));
    json_decref(j);
    free(s);
    char *t = print_to_string(mrs_st_print_table, &r);
    assert_non_null(strstr(t, "blocks 10 of 10 forged probes, passes 4 of 4 legitimate ones"));
    assert_non_null(strstr(t, "urpf-strict: drops the multihomed customer's second prefix (IPv4 and IPv6)"));
    assert_non_null(strstr(t, "urpf-loose: passes another customer's prefix (IPv4 and IPv6)"));
    free(t);
}

static void generated_acl(void **state)
{
    (void)state;
    char urpf[16], err[256];
    size_t permits = 0, denies = 0;
    char *t = mrs_st_acl_text("lab0", urpf, sizeof urpf, &permits, &denies, err, sizeof err);
    assert_non_null(t);
    assert_string_equal(urpf, "efp-a");   /* multihomed customer: no fib check, the permit list */
    assert_int_equal(permits, 6);
    assert_true(denies > 20);
    assert_non_null(strstr(t, "iifname \"lab0\" ip saddr @permit4 accept"));
    const char *permitted[] = {"198.18.0.0/24", "198.18.2.0/24", "2001:db8::/48", "2001:db8:2::/48",
                               "198.19.255.0/30", "2001:db8:ffff:1::/64"};
    for (size_t i = 0; i < sizeof permitted / sizeof *permitted; i++)
        assert_non_null(strstr(t, permitted[i]));
    assert_null(strstr(t, "198.18.64.0/24"));   /* the other customer */
    assert_null(strstr(t, "198.18.1.0/24"));    /* the neighbour */
    assert_null(strstr(t, "fib saddr"));
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checksum_rfc1071),     cmocka_unit_test(udp4_vector),
        cmocka_unit_test(udp6_vector),          cmocka_unit_test(tag_round_trip),
        cmocka_unit_test(plan_covers_every_class), cmocka_unit_test(accounting),
        cmocka_unit_test(verdicts),             cmocka_unit_test(spoofer_rows_read_back),
        cmocka_unit_test(json_shape),           cmocka_unit_test(generated_acl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
