/* test_filter.c — manrs filter's generator (src/apps/filter/filter.c) and printers:
 * the range compiler is checked against brute force (the accepted set of
 * (prefix, length) pairs never changes, with or without aggregation), exact
 * expected output of every printer on a small list, and filter_build on crafted
 * RPSL: private-origin drop, -m, -R, bogons, RPKI-invalid drops, unknown sets. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/filter.h"
#include "manrs/kb/rpki.h"

static filter_range R(const char *p, unsigned lo, unsigned hi)
{
    filter_range r;
    assert_true(mrs_prefix_parse(p, strlen(p), &r.prefix, true));
    r.lo = (uint8_t)(lo ? lo : r.prefix.len);
    r.hi = (uint8_t)(hi ? hi : r.lo);
    return r;
}

/* Does the list accept prefix p? */
static bool accepts(const filter_range *v, size_t n, const mrs_prefix *p)
{
    for (size_t i = 0; i < n; i++)
        if (mrs_prefix_covers(&v[i].prefix, p) && p->len >= v[i].lo && p->len <= v[i].hi)
            return true;
    return false;
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The test space: 16 bits of address below a /16 (IPv4: 10.0.0.0/16) or a /32
 * (IPv6: 2001:db8::/32, keyed by hash in the compiler's table instead of
 * exactly); bits is the 16-bit suffix, rel the length below the base. */
static mrs_prefix space_pfx(int afi, uint32_t bits, unsigned rel)
{
    mrs_prefix p = {.afi = (uint8_t)afi};
    unsigned at = afi == MRS_AFI_IPV4 ? 2 : 4;
    if (afi == MRS_AFI_IPV4) {
        p.addr[0] = 10;
    } else {
        p.addr[0] = 0x20;
        p.addr[1] = 0x01;
        p.addr[2] = 0x0d;
        p.addr[3] = 0xb8;
    }
    bits &= ~((1u << (16 - rel)) - 1) & 0xFFFFu;
    p.addr[at] = (uint8_t)(bits >> 8);
    p.addr[at + 1] = (uint8_t)bits;
    p.len = (uint8_t)(at * 8 + rel);
    return p;
}

/* Random ranges in the test space with lengths base..base+8: the accepted set
 * over every prefix of those lengths in that space must not change. */
static void check_equivalent(filter_range *orig, size_t n_orig, bool agg, size_t *n_out)
{
    size_t n = n_orig, cap = n_orig;
    filter_range *v = malloc((n ? n : 1) * sizeof *v);
    assert_non_null(v);
    memcpy(v, orig, n * sizeof *v);
    assert_int_equal(filter_compile(&v, &n, &cap, agg), 0);
    int afi = orig[0].prefix.afi;
    for (unsigned rel = 0; rel <= 8; rel++) {
        for (uint32_t k = 0; k < (1u << rel); k++) {
            mrs_prefix p = space_pfx(afi, k << (16 - rel), rel);
            if (accepts(orig, n_orig, &p) != accepts(v, n, &p)) {
                char ps[MRS_PREFIX_STRLEN];
                mrs_prefix_format(&p, ps);
                fail_msg("%s accepted differently after compile (aggregate=%d)", ps, agg);
            }
        }
    }
    /* No entry is accepted entirely by another; sorted by address then length. */
    for (size_t i = 0; i < n; i++) {
        assert_true(v[i].lo >= v[i].prefix.len && v[i].lo <= v[i].hi);
        for (size_t j = 0; j < n; j++)
            if (i != j && mrs_prefix_covers(&v[j].prefix, &v[i].prefix) && v[j].lo <= v[i].lo && v[i].hi <= v[j].hi)
                fail_msg("entry %zu inside entry %zu", i, j);
        if (i)
            assert_true(mrs_prefix_cmp(&v[i - 1].prefix, &v[i].prefix) <= 0);
    }
    *n_out = n;
    free(v);
}

static void compile_random(int afi)
{
    uint64_t seed = 0x2545F4914F6CDD1Dull;
    size_t total_in = 0, total_plain = 0, total_agg = 0;
    unsigned base = afi == MRS_AFI_IPV4 ? 16 : 32;
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + rng_next(&seed) % 60;
        filter_range *v = calloc(n, sizeof *v);
        assert_non_null(v);
        for (size_t i = 0; i < n; i++) {
            unsigned rel = (unsigned)(rng_next(&seed) % 9);
            v[i].prefix = space_pfx(afi, (uint32_t)rng_next(&seed), rel);
            unsigned hi = rel + (unsigned)(rng_next(&seed) % 3 == 0 ? rng_next(&seed) % 4 : 0);
            if (hi > 8)
                hi = 8;
            unsigned lo = rel + (unsigned)(rng_next(&seed) % 4 == 0 ? 1 : 0);
            if (lo > hi)
                lo = hi;
            v[i].lo = (uint8_t)(base + lo);
            v[i].hi = (uint8_t)(base + hi);
        }
        size_t np, na;
        check_equivalent(v, n, false, &np);
        check_equivalent(v, n, true, &na);
        total_in += n;
        total_plain += np;
        total_agg += na;
        free(v);
    }
    /* aggregation must actually shorten random dense lists */
    assert_true(total_agg < total_plain);
    assert_true(total_plain <= total_in);
}

static void test_compile_random(void **state)
{
    (void)state;
    compile_random(MRS_AFI_IPV4);
    compile_random(MRS_AFI_IPV6);
}

static void expect_list(filter_range *v, size_t n, bool agg, const char *const *want, size_t nwant)
{
    size_t cap = n;
    filter_range *c = malloc(n * sizeof *c);
    assert_non_null(c);
    memcpy(c, v, n * sizeof *c);
    assert_int_equal(filter_compile(&c, &n, &cap, agg), 0);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++) {
        char ps[MRS_PREFIX_STRLEN], line[96];
        mrs_prefix_format(&c[i].prefix, ps);
        snprintf(line, sizeof line, "%s %u-%u", ps, c[i].lo, c[i].hi);
        assert_string_equal(line, want[i]);
    }
    free(c);
}

static void test_compile_examples(void **state)
{
    (void)state;
    /* parent + both halves -> "/24 le 25" */
    filter_range a[] = {R("10.0.0.0/24", 0, 0), R("10.0.0.0/25", 0, 0), R("10.0.0.128/25", 0, 0)};
    const char *wa[] = {"10.0.0.0/24 24-25"};
    expect_list(a, 3, true, wa, 1);
    const char *wa_plain[] = {"10.0.0.0/24 24-24", "10.0.0.0/25 25-25", "10.0.0.128/25 25-25"};
    expect_list(a, 3, false, wa_plain, 3);
    /* halves without parent -> "/23 ge 24 le 24"; the lone /26 stays */
    filter_range b[] = {R("10.0.0.0/24", 0, 0), R("10.0.1.0/24", 0, 0), R("10.0.2.0/26", 0, 0)};
    const char *wb[] = {"10.0.0.0/23 24-24", "10.0.2.0/26 26-26"};
    expect_list(b, 3, true, wb, 2);
    /* -R: the /19s inside "/18 le 24" disappear even without -A; same prefix twice merges */
    filter_range c[] = {R("41.84.64.0/18", 18, 24), R("41.84.64.0/19", 19, 24), R("41.84.96.0/19", 19, 24),
                        R("41.84.64.0/18", 18, 24)};
    const char *wc[] = {"41.84.64.0/18 18-24"};
    expect_list(c, 4, false, wc, 1);
    /* IPv6 and IPv4 together: IPv4 first */
    filter_range d[] = {R("2001:db8::/33", 0, 0), R("2001:db8:8000::/33", 0, 0), R("192.0.2.0/24", 0, 0)};
    const char *wd[] = {"192.0.2.0/24 24-24", "2001:db8::/32 33-33"};
    expect_list(d, 3, true, wd, 2);
    /* empty */
    filter_range *e = NULL;
    size_t n = 0, cap = 0;
    assert_int_equal(filter_compile(&e, &n, &cap, true), 0);
    assert_int_equal(n, 0);
    free(e);
}

/* ---------------------------------------------------------------- printers */

static const char *print(const char *fmt, const filter_list *l, bool agg, int want_rc)
{
    static char buf[4096];
    const filter_printer *p = filter_printer_find(fmt);
    assert_non_null(p);
    mrs_outbuf o;
    mrs_outbuf_init(&o, NULL);
    char err[200] = "";
    int rc = p->print(l, agg, &o, err, sizeof err);
    assert_int_equal(rc, want_rc);
    if (rc < 0)
        snprintf(buf, sizeof buf, "ERROR %s", err);
    else
        snprintf(buf, sizeof buf, "%.*s", (int)o.len, o.buf);
    mrs_outbuf_close(&o);
    return buf;
}

static void test_printers_prefix(void **state)
{
    (void)state;
    filter_range v[] = {R("192.0.2.0/24", 0, 0), R("198.51.100.0/22", 22, 24), R("203.0.112.0/23", 24, 24)};
    filter_list l = {.kind = FILTER_PREFIX, .afi = MRS_AFI_IPV4, .name = "N", .v = v, .n = 3};
    assert_string_equal(print("cisco", &l, true, 0),
                        "no ip prefix-list N\n"
                        "ip prefix-list N permit 192.0.2.0/24\n"
                        "ip prefix-list N permit 198.51.100.0/22 le 24\n"
                        "ip prefix-list N permit 203.0.112.0/23 ge 24 le 24\n");
    assert_string_equal(print("frr", &l, true, 0), print("cisco", &l, true, 0));
    assert_string_equal(print("iosxr", &l, true, 0),
                        "no prefix-set N\nprefix-set N\n 192.0.2.0/24,\n 198.51.100.0/22 le 24,\n"
                        " 203.0.112.0/23 ge 24 le 24\nend-set\n");
    assert_string_equal(print("eos", &l, true, 0),
                        "no ip prefix-list N\nip prefix-list N\n    seq 1 permit 192.0.2.0/24\n"
                        "    seq 2 permit 198.51.100.0/22 le 24\n    seq 3 permit 203.0.112.0/23 ge 24 le 24\n");
    assert_string_equal(print("bird", &l, true, 0),
                        "N = [\n    192.0.2.0/24,\n    198.51.100.0/22{22,24},\n    203.0.112.0/23{24,24}\n];\n");
    assert_string_equal(print("openbgpd", &l, true, 0),
                        "N=\"prefix { \n\t192.0.2.0/24\n\t198.51.100.0/22 prefixlen 22 - 24\n"
                        "\t203.0.112.0/23 prefixlen = 24\n\t}\"\n");
    assert_string_equal(print("json", &l, true, 0),
                        "{ \"N\": [\n    { \"prefix\": \"192.0.2.0\\/24\", \"exact\": true },\n"
                        "    { \"prefix\": \"198.51.100.0\\/22\", \"exact\": false, \"less-equal\": 24 },\n"
                        "    { \"prefix\": \"203.0.112.0\\/23\", \"exact\": false,\n"
                        "      \"greater-equal\": 24, \"less-equal\": 24 }\n] }\n");
    assert_string_equal(print("sros", &l, true, 0),
                        "/configure policy-options\ndelete prefix-list \"N\"\nprefix-list \"N\" {\n"
                        "    prefix 192.0.2.0/24 type exact {\n    }\n"
                        "    prefix 198.51.100.0/22 type through {\n        through-length 24\n    }\n"
                        "    prefix 203.0.112.0/23 type range {\n        start-length 24\n        end-length 24\n"
                        "    }\n}\n");
    assert_string_equal(print("routeros", &l, true, 0),
                        "/routing filter rule add chain=\"N-V4\" rule=\"if (dst=192.0.2.0/24) {accept}\"\n"
                        "/routing filter rule add chain=\"N-V4\" rule=\"if (dst in 198.51.100.0/22 && dst-len in "
                        "22-24) {accept}\"\n"
                        "/routing filter rule add chain=\"N-V4\" rule=\"if (dst in 203.0.112.0/23 && dst-len in "
                        "24-24) {accept}\"\n");
    assert_string_equal(print("plain", &l, true, 0), "192.0.2.0/24\n198.51.100.0/22^22-24\n203.0.112.0/23^24\n");
    /* Junos prefix-lists cannot hold ranges. */
    assert_string_equal(print("junos", &l, true, -1),
                        "ERROR aggregation (-A) cannot be expressed in a Junos prefix-list");
    l.n = 1;
    assert_string_equal(print("junos", &l, false, 0),
                        "policy-options {\nreplace:\n prefix-list N {\n    192.0.2.0/24;\n }\n}\n");
    /* Empty lists: deny-all where the format has one. */
    l.n = 0;
    assert_string_equal(print("cisco", &l, false, 0),
                        "no ip prefix-list N\n! generated prefix-list N is empty\nip prefix-list N deny 0.0.0.0/0\n");
    assert_string_equal(print("bird", &l, false, 0), "");
    l.afi = MRS_AFI_IPV6;
    assert_string_equal(print("eos", &l, false, 0),
                        "no ipv6 prefix-list N\n! generated prefix-list N is empty\nipv6 prefix-list N\n"
                        "   seq 1 deny ::/0\n");
}

static void test_printers_aspath(void **state)
{
    (void)state;
    uint32_t asns[] = {42, 3303, 12653, 198394, 200000, 200001};
    filter_list l = {.kind = FILTER_ASPATH_IN, .name = "N", .peer_asn = 3303, .asns = asns, .n_asns = 6};
    assert_string_equal(print("cisco", &l, false, 0),
                        "no ip as-path access-list N\n"
                        "ip as-path access-list N permit ^3303(_3303)*$\n"
                        "ip as-path access-list N permit ^3303(_[0-9]+)*_(42|12653|198394|200000)$\n"
                        "ip as-path access-list N permit ^3303(_[0-9]+)*_(200001)$\n");
    assert_string_equal(print("junos", &l, false, 0),
                        "policy-options {\nreplace:\n as-path-group N {\n  as-path a0 \"^3303(3303)*$\";\n"
                        "  as-path a1 \"^3303(.)*(42|12653|198394|200000|200001)$\";\n }\n}\n");
    assert_string_equal(print("iosxr", &l, false, 0),
                        "as-path-set N\n  ios-regex '^3303(_3303)*$',\n"
                        "  ios-regex '^3303(_[0-9]+)*_(42|12653|198394|200000|200001)$'\nend-set\n");
    assert_string_equal(print("openbgpd", &l, false, 0),
                        "allow from AS 3303 AS 42\nallow from AS 3303 AS 3303\nallow from AS 3303 AS 12653\n"
                        "allow from AS 3303 AS 198394\nallow from AS 3303 AS 200000\nallow from AS 3303 AS 200001\n");
    assert_string_equal(print("bird", &l, false, 0), "N = [\n    42, 3303, 12653, 198394, 200000, 200001\n];\n");
    assert_string_equal(print("json", &l, false, 0), "{\"N\": [\n  42,3303,12653,198394,200000,200001\n]}\n");
    assert_string_equal(print("sros", &l, false, 0),
                        "/configure policy-options\ndelete as-path-group \"N\"\nas-path-group \"N\" {\n"
                        "  entry 1 {\n    expression \"3303+\"\n  }\n"
                        "  entry 2 {\n    expression \"3303.*[42 12653 198394 200000 200001]\"\n  }\n}\n");
    l.kind = FILTER_ASPATH_OUT;
    assert_string_equal(print("cisco", &l, false, 0),
                        "no ip as-path access-list N\n"
                        "ip as-path access-list N permit ^(_3303)*$\n"
                        "ip as-path access-list N permit ^(_[0-9]+)*_(42|12653|198394|200000|200001)$\n");
    assert_string_equal(print("openbgpd", &l, false, 0),
                        "allow to AS 3303 AS 42\nallow to AS 3303 AS 3303\nallow to AS 3303 AS 12653\n"
                        "allow to AS 3303 AS 198394\nallow to AS 3303 AS 200000\nallow to AS 3303 AS 200001\n");
    assert_string_equal(print("bird", &l, false, -1), "ERROR BIRD output supports prefix lists, -f and -t only");
    l.kind = FILTER_ASLIST;
    assert_string_equal(print("openbgpd", &l, false, 0), "as-set N {\n\t42 3303 12653 198394 200000 200001\n}\n");
    assert_string_equal(print("plain", &l, false, 0), "AS42\nAS3303\nAS12653\nAS198394\nAS200000\nAS200001\n");
    assert_string_equal(print("cisco", &l, false, -1),
                        "ERROR AS lists (-t) are supported for the json, bird, openbgpd and plain formats only");
    l.kind = FILTER_ASPATH_IN;
    l.n_asns = 0;
    assert_string_equal(print("cisco", &l, false, 0), "no ip as-path access-list N\nip as-path access-list N deny .*\n");
    assert_string_equal(print("junos", &l, false, 0),
                        "policy-options {\nreplace:\n as-path-group N {\n  as-path aNone \"!.*\";\n }\n}\n");
    assert_string_equal(print("openbgpd", &l, false, 0), "deny from AS 3303\n");
    assert_null(filter_printer_find("huawei"));
}

/* ---------------------------------------------------------------- build */

static const char DB[] =
    "as-set: AS-CUST\nmembers: AS3333, AS65001, AS-SUB\nsource: TEST\n\n"
    "as-set: AS-SUB\nmembers: AS2, AS-CUST\nsource: TEST\n\n"
    "route-set: RS-X\nmembers: 203.0.113.0/24^25-26\nsource: TEST\n\n"
    "route: 193.0.0.0/21\norigin: AS3333\nsource: TEST\n\n"
    "route: 193.0.10.0/23\norigin: AS3333\nsource: TEST\n\n"
    "route: 193.0.0.0/25\norigin: AS3333\nsource: TEST\n\n"
    "route: 10.1.0.0/16\norigin: AS2\nsource: TEST\n\n"
    "route: 198.18.0.0/24\norigin: AS2\nsource: OTHER\n\n"
    "route: 192.0.2.0/24\norigin: AS65001\nsource: TEST\n\n"
    "route6: 2001:67c:2e8::/48\norigin: AS3333\nsource: TEST\n";

static void plain(const filter_list *l, char *out, size_t n)
{
    size_t w = 0;
    out[0] = 0;
    for (size_t i = 0; i < l->n && w < n; i++) {
        char ps[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&l->v[i].prefix, ps);
        w += (size_t)snprintf(out + w, n - w, "%s%s %u-%u", i ? "," : "", ps, l->v[i].lo, l->v[i].hi);
    }
}

static void test_build(void **state)
{
    (void)state;
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    irr_db *db = irr_db_new(&d);
    assert_non_null(db);
    assert_int_equal(irr_db_load_mem(db, DB, sizeof DB - 1, "db"), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    char err[300], txt[1024];
    filter_list l;
    filter_stats st;
    const char *objs[] = {"AS-CUST"};

    filter_opts o = {.kind = FILTER_PREFIX, .afi = MRS_AFI_IPV4};
    assert_int_equal(filter_build(db, &o, objs, 1, &l, &st, err, sizeof err), 0);
    plain(&l, txt, sizeof txt);
    /* AS65001 is private-use: its route is left out (bgpq4 default), counted. */
    assert_string_equal(txt, "10.1.0.0/16 16-16,193.0.0.0/21 21-21,193.0.0.0/25 25-25,193.0.10.0/23 23-23,"
                             "198.18.0.0/24 24-24");
    assert_int_equal(st.dropped_private, 1);
    assert_int_equal(st.asns, 3);
    assert_int_equal(st.cycles, 1);   /* AS-SUB -> AS-CUST reported, not looped */
    filter_list_clear(&l);

    o.allow_private = true;
    o.max_len = 24;
    assert_int_equal(filter_build(db, &o, objs, 1, &l, &st, err, sizeof err), 0);
    plain(&l, txt, sizeof txt);
    assert_string_equal(txt, "10.1.0.0/16 16-16,192.0.2.0/24 24-24,193.0.0.0/21 21-21,193.0.10.0/23 23-23,"
                             "198.18.0.0/24 24-24");
    assert_int_equal(st.dropped_long, 1);
    filter_list_clear(&l);

    /* -R 24 and bogons: 10.1.0.0/16 (RFC 1918), 198.18.0.0/24 (RFC 2544), 192.0.2.0/24 (TEST-NET-1) go;
     * the bogon ASN AS65001 goes from the list too. */
    o.max_len = 0;
    o.more_specific_to = 24;
    o.no_bogons = true;
    assert_int_equal(filter_build(db, &o, objs, 1, &l, &st, err, sizeof err), 0);
    plain(&l, txt, sizeof txt);
    assert_string_equal(txt, "193.0.0.0/21 21-24,193.0.0.0/25 25-25,193.0.10.0/23 23-24");
    assert_int_equal(st.dropped_bogon, 3);   /* AS65001 + two prefixes */
    filter_list_clear(&l);

    /* Sources: only OTHER. */
    irr_sel sel;
    assert_int_equal(irr_db_select(db, "NOPE", &sel), -1);
    filter_opts o2 = {.kind = FILTER_PREFIX, .afi = MRS_AFI_IPV4, .sources_text = "TEST"};
    assert_int_equal(irr_db_select(db, "TEST", &sel), 0);
    o2.sel = &sel;
    const char *bad[] = {"AS-NOPE"};
    assert_int_equal(filter_build(db, &o2, bad, 1, &l, NULL, err, sizeof err), -1);
    assert_string_equal(err, "AS-NOPE: no such as-set in sources TEST");
    filter_list_clear(&l);
    o2.sources_text = NULL;
    o2.sel = NULL;
    const char *bad2[] = {"RS-NOPE"};
    assert_int_equal(filter_build(db, &o2, bad2, 1, &l, NULL, err, sizeof err), -1);
    assert_string_equal(err, "RS-NOPE: no such route-set in any loaded source");
    filter_list_clear(&l);
    const char *bad3[] = {"hello"};
    assert_int_equal(filter_build(db, &o2, bad3, 1, &l, NULL, err, sizeof err), -1);
    assert_string_equal(err, "hello: not an AS number, as-set, route-set or prefix");
    filter_list_clear(&l);

    /* route-set ranges, a literal prefix and an AS number together, IPv4 only. */
    const char *mix[] = {"RS-X", "198.51.100.0/24", "AS3333"};
    assert_int_equal(filter_build(db, &o2, mix, 3, &l, NULL, err, sizeof err), 0);
    plain(&l, txt, sizeof txt);
    assert_string_equal(txt, "193.0.0.0/21 21-21,193.0.0.0/25 25-25,193.0.10.0/23 23-23,198.51.100.0/24 24-24,"
                             "203.0.113.0/24 25-26");
    filter_list_clear(&l);

    /* IPv6 */
    o2.afi = MRS_AFI_IPV6;
    assert_int_equal(filter_build(db, &o2, objs, 1, &l, NULL, err, sizeof err), 0);
    plain(&l, txt, sizeof txt);
    assert_string_equal(txt, "2001:67c:2e8::/48 48-48");
    filter_list_clear(&l);

    /* AS-path: the ASN list, the private-use AS65001 left out and counted, as bgpq4
     * does; -p keeps it. */
    filter_opts o3 = {.kind = FILTER_ASPATH_IN, .peer_asn = 1299};
    assert_int_equal(filter_build(db, &o3, objs, 1, &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n_asns, 2);
    assert_int_equal(l.asns[0], 2);
    assert_int_equal(l.asns[1], 3333);
    assert_int_equal(st.dropped_private, 1);
    assert_int_equal(st.asns, 2);
    filter_list_clear(&l);
    o3.allow_private = true;
    assert_int_equal(filter_build(db, &o3, objs, 1, &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n_asns, 3);
    assert_int_equal(l.asns[2], 65001);
    assert_int_equal(st.dropped_private, 0);
    filter_list_clear(&l);
    o3.allow_private = false;
    o3.kind = FILTER_ASLIST;
    const char *named[] = {"AS65535", "AS4294967295", "AS23456"};
    assert_int_equal(filter_build(db, &o3, named, 3, &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n_asns, 1);
    assert_int_equal(l.asns[0], 23456);
    assert_int_equal(st.dropped_private, 2);
    filter_list_clear(&l);
    const char *rs[] = {"RS-X"};
    assert_int_equal(filter_build(db, &o3, rs, 1, &l, NULL, err, sizeof err), -1);
    filter_list_clear(&l);

    /* RPKI: a VRP for 193.0.0.0/21 maxLength 21 AS3333 makes 193.0.0.0/25 (too specific) invalid,
     * and a VRP for 10.0.0.0/8 AS9 makes AS2's 10.1.0.0/16 invalid (origin). */
    mrs_rpki *rp = mrs_rpki_new();
    assert_non_null(rp);
    mrs_prefix p;
    assert_true(mrs_prefix_parse("193.0.0.0/21", 12, &p, true));
    assert_int_equal(mrs_rpki_add_vrp(rp, &p, 21, 3333, NULL), 0);
    assert_true(mrs_prefix_parse("10.0.0.0/8", 10, &p, true));
    assert_int_equal(mrs_rpki_add_vrp(rp, &p, 24, 9, NULL), 0);
    assert_int_equal(mrs_rpki_build(rp), 0);
    char *wbuf = NULL;
    size_t wlen = 0;
    FILE *wf = open_memstream(&wbuf, &wlen);
    assert_non_null(wf);
    filter_opts o4 = {.kind = FILTER_PREFIX, .afi = MRS_AFI_IPV4, .rpki = rp, .warn = wf};
    assert_int_equal(filter_build(db, &o4, objs, 1, &l, &st, err, sizeof err), 0);
    fclose(wf);
    plain(&l, txt, sizeof txt);
    assert_string_equal(txt, "193.0.0.0/21 21-21,193.0.10.0/23 23-23,198.18.0.0/24 24-24");
    assert_int_equal(st.dropped_rpki, 2);
    assert_string_equal(wbuf,
                        "manrs filter: warning: 10.1.0.0/16 origin AS2 dropped: RPKI invalid (no VRP for this origin)\n"
                        "manrs filter: warning: 193.0.0.0/25 origin AS3333 dropped: RPKI invalid (longer than "
                        "maxLength)\n");
    free(wbuf);
    filter_list_clear(&l);
    mrs_rpki_free(rp);
    irr_db_free(db);
}

/* The ranges bgpq4 1.9 refuses, edge by edge (tests/cli_filter_bgpq4.sh compares
 * the same edges with bgpq4 itself). */
static void test_private_asn(void **state)
{
    (void)state;
    static const uint32_t out[] = {64496, 64511, 64512, 65000, 65534, 65535, 65536, 65551,
                                   4200000000u, 4294967294u, 4294967295u};
    static const uint32_t in[] = {0, 1, 23456, 64495, 65552, 131071, 131072, 4199999999u};
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        assert_true(filter_asn_private(out[i]));
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        assert_false(filter_asn_private(in[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compile_random),
        cmocka_unit_test(test_compile_examples),
        cmocka_unit_test(test_printers_prefix),
        cmocka_unit_test(test_printers_aspath),
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_private_asn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
