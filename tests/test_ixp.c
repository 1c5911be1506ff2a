/* test_ixp.c — `manrs ixp` (src/apps/ixp): every finding class on hand-built
 * route-server RIB entries, each with a route that must NOT be flagged; members
 * (peer, RS session, AS_TRANS peer); the Action 1 verdict; the members file
 * parser (good lines, each kind of bad line reported and counted). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/ixp.h"

/* The MANRS IXP validation tool's own test ROAs. */
static const char vrps[] = "{\"roas\":[\n"
                           "{\"asn\":\"AS64496\",\"prefix\":\"185.186.79.0/24\",\"maxLength\":28,\"ta\":\"test\"},\n"
                           "{\"asn\":\"AS64497\",\"prefix\":\"185.186.79.0/24\",\"maxLength\":24,\"ta\":\"test\"},\n"
                           "{\"asn\":\"AS26695\",\"prefix\":\"185.186.11.0/24\",\"maxLength\":32,\"ta\":\"test\"},\n"
                           "{\"asn\":\"AS64498\",\"prefix\":\"2001:db8::/32\",\"maxLength\":64,\"ta\":\"test\"},\n"
                           "{\"asn\":\"AS0\",\"prefix\":\"2001:db8::/33\",\"maxLength\":64,\"ta\":\"test\"}]}\n";

static const char rpsl[] = "route: 193.0.0.0/21\norigin: AS3333\nsource: TEST\n\n"
                           "as-set: AS-TEST\nmembers: AS3333\nsource: TEST\n\n";

typedef struct fixture {
    mrs_kbs kb;
    ixp_members members;
    ixp_result r;
    uint32_t words[64];
} fixture;

static void kb_setup(fixture *f, bool with_vrps, bool with_irr)
{
    memset(f, 0, sizeof *f);
    mrs_kbs_init(&f->kb);
    assert_int_equal(mrs_kbs_require(&f->kb, MRS_KBS_BOGONS), 0);
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    if (with_vrps)
        assert_int_equal(mrs_kbs_load(&f->kb, MRS_KB_VRPS, tu_write_tmp("ixp_vrps.json", vrps, strlen(vrps)), &d, NULL),
                         0);
    if (with_irr)
        assert_int_equal(mrs_kbs_load(&f->kb, MRS_KB_IRR, tu_write_tmp("ixp.db", rpsl, strlen(rpsl)), &d, NULL), 0);
    assert_int_equal(mrs_kbs_finish(&f->kb, NULL), MRS_KBS_OK);
}

static void run_init(fixture *f, uint32_t rs_asn, const uint32_t *transit, size_t nt, bool members)
{
    ixp_opts o = {&f->kb, members ? &f->members : NULL, rs_asn, transit, nt};
    assert_int_equal(ixp_init(&f->r, &o), 0);
}

static void teardown_f(fixture *f)
{
    ixp_clear(&f->r);
    ixp_members_clear(&f->members);
    mrs_kbs_clear(&f->kb);
}

/* "a b {c,d} e" into path words (AS_SEQUENCE runs, {..} an AS_SET). */
static mrs_as_path path_of(fixture *f, const char *s)
{
    uint32_t n = 0, hdr = 0;
    bool in_set = false;
    for (const char *p = s; *p;) {
        if (*p == ' ' || *p == ',') {
            p++;
            continue;
        }
        if (*p == '{') {
            hdr = n++;
            f->words[hdr] = MRS_SEG_HEADER(MRS_SEG_AS_SET, 0);
            in_set = true;
            p++;
            continue;
        }
        if (*p == '}') {
            in_set = false;
            hdr = UINT32_MAX;
            p++;
            continue;
        }
        if (!in_set && (n == 0 || hdr == UINT32_MAX || MRS_SEG_TYPE(f->words[hdr]) != MRS_SEG_AS_SEQUENCE)) {
            hdr = n++;
            f->words[hdr] = MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, 0);
        }
        char *end;
        f->words[n++] = (uint32_t)strtoul(p, &end, 10);
        f->words[hdr]++;
        p = end;
    }
    return (mrs_as_path){f->words, n};
}

static void add_route(fixture *f, uint32_t peer_asn, const char *peer_ip, const char *prefix, const char *path,
                      bool blackhole)
{
    mrs_route_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = MRS_RE_RIB;
    ev.peer.afi = strchr(peer_ip, ':') ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
    mrs_prefix pp;
    assert_true(mrs_prefix_parse(peer_ip, strlen(peer_ip), &pp, false));
    memcpy(ev.peer.ip, pp.addr, 16);
    ev.peer.asn = peer_asn;
    ev.peer_known = true;
    assert_true(mrs_prefix_parse(prefix, strlen(prefix), &ev.prefix, true));
    ev.path = path_of(f, path);
    ev.blackhole = blackhole;
    ev.source = "test.mrt";
    ev.offset = 100 + f->r.routes;
    ixp_add(&f->r, &ev);
    assert_false(f->r.oom);
}

static size_t count(const fixture *f, ixp_class c) { return f->r.found[c]; }
static size_t total(const fixture *f)
{
    size_t n = 0;
    for (int c = 0; c < IXP_NCLASS; c++)
        n += f->r.found[c];
    return n;
}

static void test_rpki_invalid(void **state)
{
    (void)state;
    fixture f;
    kb_setup(&f, true, false);
    run_init(&f, 34307, NULL, 0, false);
    assert_true(ixp_class_measured(&f.r, IXP_RPKI_INVALID));
    add_route(&f, 34307, "193.239.116.255", "185.186.79.0/24", "9009 136258", false);
    assert_int_equal(count(&f, IXP_RPKI_INVALID), 1);
    assert_int_equal(total(&f), 1);
    const ixp_finding *x = &f.r.f[0];
    assert_int_equal(x->n_vrps, 2);
    assert_int_equal(x->vrps[0].asn, 64496);
    assert_int_equal(x->vrps[0].maxlen, 28);
    assert_int_equal(x->vrps[1].asn, 64497);
    assert_int_equal(x->vrps[1].maxlen, 24);
    char *t = ixp_finding_text(&f.r, x);
    assert_non_null(t);
    assert_non_null(strstr(t, "RPKI invalid: prefix 185.186.79.0/24 from origin AS136258, received from peer "
                              "193.239.116.255 AS34307 (member AS9009), AS path 9009 136258, covering VRPs "
                              "185.186.79.0/24 AS64496 max 28; 185.186.79.0/24 AS64497 max 24"));
    assert_non_null(strstr(t, "[test.mrt offset 100]"));
    free(t);
    assert_false(ixp_conformant(&f.r));
    /* negative: valid (maxLength 32 covers the /24), and not-found elsewhere */
    add_route(&f, 34307, "193.239.116.255", "185.186.11.0/24", "6939 32097 26695", false);
    add_route(&f, 34307, "193.239.116.255", "185.186.8.0/22", "50673 200365 203729", false);
    assert_int_equal(count(&f, IXP_RPKI_INVALID), 1);
    assert_int_equal(f.r.rov_valid, 1);
    assert_int_equal(f.r.rov_notfound, 1);
    assert_int_equal(f.r.rov_invalid, 1);
    /* IPv6: another origin under 2001:db8::/32 AS64498 and the AS0 /33 */
    add_route(&f, 64499, "2001:7f8:ffff::1", "2001:db8::/48", "64499", false);
    assert_int_equal(count(&f, IXP_RPKI_INVALID), 2);
    teardown_f(&f);
}

static void test_no_vrps_not_measured(void **state)
{
    (void)state;
    fixture f;
    kb_setup(&f, false, false);
    run_init(&f, 0, NULL, 0, false);
    assert_false(ixp_class_measured(&f.r, IXP_RPKI_INVALID));
    assert_false(ixp_class_measured(&f.r, IXP_IRR_NO_ROUTE));
    add_route(&f, 9009, "193.239.118.115", "185.186.79.0/24", "9009 136258", false);
    assert_int_equal(total(&f), 0);
    assert_true(ixp_conformant(&f.r));
    teardown_f(&f);
}

static void test_bogons(void **state)
{
    (void)state;
    fixture f;
    kb_setup(&f, false, false);
    run_init(&f, 0, NULL, 0, false);
    add_route(&f, 15720, "193.201.28.24", "10.1.0.0/16", "15720", false);
    assert_int_equal(count(&f, IXP_BOGON_PREFIX), 1);
    assert_non_null(strstr(f.r.f[0].detail, "10.0.0.0/8"));
    add_route(&f, 15720, "193.201.28.24", "0.0.0.0/0", "15720", false);   /* covers bogon space */
    assert_int_equal(count(&f, IXP_BOGON_PREFIX), 2);
    add_route(&f, 15720, "193.201.28.24", "62.241.10.0/24", "15720 65100 65505", false);
    assert_int_equal(count(&f, IXP_BOGON_ASN), 1);
    assert_non_null(strstr(f.r.f[2].detail, "AS65100 (Private Use, RFC 6996); AS65505"));
    assert_false(ixp_conformant(&f.r));
    /* negatives */
    size_t before = total(&f);
    add_route(&f, 15720, "193.201.28.24", "193.0.0.0/21", "15720 3333", false);
    add_route(&f, 15720, "2001:7f8:10::1:5720", "2001:67c:2e8::/48", "15720 3333", false);
    assert_int_equal(total(&f), before);
    teardown_f(&f);
}

static void test_too_specific(void **state)
{
    (void)state;
    fixture f;
    kb_setup(&f, false, false);
    run_init(&f, 0, NULL, 0, false);
    add_route(&f, 41327, "193.201.28.98", "31.185.96.0/25", "41327", false);
    add_route(&f, 41327, "2001:7f8:10::4:1327", "2a00:1::/49", "41327", false);
    assert_int_equal(count(&f, IXP_TOO_SPECIFIC), 2);
    assert_true(ixp_conformant(&f.r));   /* recommended, not required */
    add_route(&f, 41327, "193.201.28.98", "31.185.96.0/32", "41327", true);   /* BLACKHOLE, RFC 7999 */
    add_route(&f, 41327, "193.201.28.98", "31.185.97.0/24", "41327", false);
    add_route(&f, 41327, "2001:7f8:10::4:1327", "2a00:1::/48", "41327", false);
    assert_int_equal(count(&f, IXP_TOO_SPECIFIC), 2);
    assert_int_equal(f.r.blackhole, 1);
    teardown_f(&f);
}

static void test_first_as_and_members(void **state)
{
    (void)state;
    fixture f;
    kb_setup(&f, false, false);
    run_init(&f, 34307, NULL, 0, false);
    add_route(&f, 41327, "193.201.28.98", "31.185.96.0/24", "3333 41327", false);
    add_route(&f, 41327, "193.201.28.98", "31.185.97.0/24", "{41327}", false);
    add_route(&f, 41327, "193.201.28.98", "31.185.98.0/24", "", false);
    assert_int_equal(count(&f, IXP_FIRST_AS), 3);
    assert_non_null(strstr(f.r.f[0].detail, "first AS3333, the peer is AS41327"));
    /* negatives: own first AS (prepends too); the RS session; an AS_TRANS peer */
    add_route(&f, 41327, "193.201.28.98", "31.185.99.0/24", "41327 41327 60501", false);
    add_route(&f, 34307, "193.239.116.255", "185.186.67.0/24", "58299 204994", false);
    add_route(&f, 34307, "193.239.116.255", "185.186.64.0/24", "50673 200365 202562", false);
    add_route(&f, 23456, "193.201.28.109", "2.57.84.0/22", "203462", false);
    assert_int_equal(count(&f, IXP_FIRST_AS), 3);
    /* members: the peer, two behind the RS session, the AS_TRANS one */
    assert_int_equal(f.r.n_members, 4);
    size_t via = 0;
    for (size_t i = 0; i < f.r.n_members; i++)
        if (f.r.members[i].via_rs) {
            via++;
            assert_true(f.r.members[i].asn == 58299 || f.r.members[i].asn == 50673 || f.r.members[i].asn == 203462);
        } else {
            assert_int_equal(f.r.members[i].asn, 41327);
            assert_int_equal(f.r.members[i].routes, 4);
            assert_int_equal(f.r.members[i].found[IXP_FIRST_AS], 3);
        }
    assert_int_equal(via, 3);
    teardown_f(&f);
}

static void test_transit_free(void **state)
{
    (void)state;
    fixture f;
    kb_setup(&f, false, false);
    run_init(&f, 0, NULL, 0, false);
    add_route(&f, 8529, "193.239.118.210", "185.186.205.0/24", "8529 3356 15169", false);
    add_route(&f, 8529, "193.239.118.210", "185.186.206.0/24", "8529 1299 {174}", false);
    assert_int_equal(count(&f, IXP_TRANSIT_FREE), 2);
    assert_non_null(strstr(f.r.f[0].detail, "AS3356 behind the member AS8529"));
    assert_non_null(strstr(f.r.f[1].detail, "AS1299, AS174"));
    /* negatives: a transit-free member's own routes (prepended); no transit-free AS */
    add_route(&f, 3356, "193.239.116.1", "4.0.0.0/9", "3356 3356", false);
    add_route(&f, 8529, "193.239.118.210", "185.186.207.0/24", "8529 28885 206350", false);
    assert_int_equal(count(&f, IXP_TRANSIT_FREE), 2);
    ixp_clear(&f.r);
    /* a list of one's own */
    static const uint32_t mine[] = {28885};
    run_init(&f, 0, mine, 1, false);
    add_route(&f, 8529, "193.239.118.210", "185.186.207.0/24", "8529 28885 206350", false);
    add_route(&f, 8529, "193.239.118.210", "185.186.205.0/24", "8529 3356 15169", false);
    assert_int_equal(count(&f, IXP_TRANSIT_FREE), 1);
    teardown_f(&f);
}

static void test_as_set(void **state)
{
    (void)state;
    fixture f;
    kb_setup(&f, true, false);
    run_init(&f, 34307, NULL, 0, false);
    add_route(&f, 34307, "193.239.116.255", "185.186.206.0/24", "8529 28885 {206350}", false);
    assert_int_equal(count(&f, IXP_AS_SET), 1);
    assert_true(f.r.f[0].origin_none);
    assert_string_equal(f.r.f[0].path, "8529 28885 {206350}");
    add_route(&f, 34307, "193.239.116.255", "185.186.205.0/24", "8529 28885 206350", false);
    assert_int_equal(count(&f, IXP_AS_SET), 1);
    assert_int_equal(total(&f), 1);   /* not covered by a VRP: NotFound, not invalid */
    assert_true(ixp_conformant(&f.r));
    teardown_f(&f);
}

static void test_irr(void **state)
{
    (void)state;
    fixture f;
    kb_setup(&f, false, true);
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    const char mf[] = "8529 AS-TEST Test member\n8530 AS-NOSUCH Other\n";
    assert_int_equal(ixp_members_load_mem(&f.members, mf, strlen(mf), "members.txt", &d), 0);
    run_init(&f, 0, NULL, 0, true);
    assert_true(ixp_class_measured(&f.r, IXP_IRR_NO_ROUTE));
    assert_true(ixp_class_measured(&f.r, IXP_IRR_NOT_IN_SET));
    /* negatives: route object and as-set agree; a covered more-specific */
    add_route(&f, 8529, "192.0.2.1", "193.0.0.0/21", "8529 3333", false);
    add_route(&f, 8529, "192.0.2.1", "193.0.4.0/22", "8529 3333", false);
    for (size_t i = 0; i < f.r.n_f; i++)
        print_message("unexpected: %s %s\n", ixp_class_name(f.r.f[i].cls), f.r.f[i].detail);
    assert_int_equal(total(&f), 0);
    assert_int_equal(f.r.irr_ok, 2);
    /* no route object */
    add_route(&f, 8529, "192.0.2.1", "193.0.8.0/24", "8529 3333", false);
    assert_int_equal(count(&f, IXP_IRR_NO_ROUTE), 1);
    assert_int_equal(count(&f, IXP_IRR_NOT_IN_SET), 0);
    /* wrong origin: not in the as-set, route object for another origin */
    add_route(&f, 8529, "192.0.2.1", "193.0.0.0/21", "8529 3334", false);
    assert_int_equal(count(&f, IXP_IRR_NO_ROUTE), 2);
    assert_int_equal(count(&f, IXP_IRR_NOT_IN_SET), 1);
    assert_non_null(strstr(f.r.f[1].detail, "origin AS3334 is not in AS-TEST"));
    assert_non_null(strstr(f.r.f[2].detail, "193.0.0.0/21 AS3333"));
    /* an as-set the IRR does not have */
    add_route(&f, 8530, "192.0.2.2", "193.0.0.0/21", "8530 3333", false);
    assert_int_equal(count(&f, IXP_IRR_NOT_IN_SET), 2);
    assert_false(ixp_conformant(&f.r));
    teardown_f(&f);
}

static void test_members_file(void **state)
{
    (void)state;
    ixp_members m;
    memset(&m, 0, sizeof m);
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    const char mf[] = "# members of the test IXP\n"
                      "\n"
                      "AS64502 AS64502:AS-CUSTOMERS Hier Archical\n"
                      "64500 AS-TEST Test member   # comment\n"
                      "64501 - Only a name\n"
                      "64503 Name Without Set\n"
                      "64504\n"
                      "bogus AS-X\n"
                      "0 AS-ZERO\n"
                      "64500 AS-AGAIN\n"
                      "64505 AS-CTRL \x01name\n"
                      "4294967296 AS-BIG\n";
    assert_int_equal(ixp_members_load_mem(&m, mf, sizeof mf - 1, "m.txt", &d), 0);
    assert_int_equal(m.n, 5);
    assert_int_equal(m.bad, 5);
    assert_int_equal(d.errors, 5);
    const ixp_member_info *e = ixp_members_find(&m, 64502);
    assert_non_null(e);
    assert_string_equal(e->as_set, "AS64502:AS-CUSTOMERS");
    assert_string_equal(e->name, "Hier Archical");
    e = ixp_members_find(&m, 64500);
    assert_string_equal(e->as_set, "AS-TEST");
    assert_string_equal(e->name, "Test member");
    assert_int_equal(e->line, 4);
    e = ixp_members_find(&m, 64501);
    assert_null(e->as_set);
    assert_string_equal(e->name, "Only a name");
    e = ixp_members_find(&m, 64503);
    assert_null(e->as_set);
    assert_string_equal(e->name, "Name Without Set");
    e = ixp_members_find(&m, 64504);
    assert_null(e->as_set);
    assert_null(e->name);
    assert_null(ixp_members_find(&m, 64505));
    ixp_members_clear(&m);
}

static void test_class_names(void **state)
{
    (void)state;
    for (int c = 0; c < IXP_NCLASS; c++) {
        ixp_class back;
        assert_true(ixp_class_parse(ixp_class_name((ixp_class)c), &back));
        assert_int_equal(back, c);
    }
    assert_true(ixp_class_required(IXP_RPKI_INVALID));
    assert_true(ixp_class_required(IXP_IRR_NO_ROUTE));
    assert_true(ixp_class_required(IXP_BOGON_ASN));
    assert_false(ixp_class_required(IXP_TOO_SPECIFIC));
    assert_false(ixp_class_required(IXP_AS_SET));
    size_t n;
    const uint32_t *t = ixp_transit_free_builtin(&n);
    assert_true(n >= 10);
    for (size_t i = 1; i < n; i++)
        assert_true(t[i - 1] < t[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpki_invalid),  cmocka_unit_test(test_no_vrps_not_measured),
        cmocka_unit_test(test_bogons),        cmocka_unit_test(test_too_specific),
        cmocka_unit_test(test_first_as_and_members), cmocka_unit_test(test_transit_free),
        cmocka_unit_test(test_as_set),        cmocka_unit_test(test_irr),
        cmocka_unit_test(test_members_file),  cmocka_unit_test(test_class_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
