/* test_peeringdb.c — PeeringDB networks' organisations (src/kb/peeringdb.c):
 * org_id kept per network, and PeeringDB's grouping joined into an AS-to-Organization
 * object without replacing CAIDA's (the contact fields are tested in test_observe.c).
 * Real data: the PeeringDB API excerpt peeringdb_net_3333_10745.json (AS3333 and
 * AS197000 in org 8829, AS10745 in org 1989) over CAIDA's 2008-04-02 file, which
 * does not know AS197000 yet. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/as2org.h"
#include "manrs/kb/peeringdb.h"

static void org_ids_and_join(void **state)
{
    (void)state;
    static const char js[] = "{\"data\":["
                             "{\"asn\":64500,\"org_id\":7},"
                             "{\"asn\":64501,\"org_id\":7},"
                             "{\"asn\":64502,\"org_id\":8},"
                             "{\"asn\":64503},"
                             "{\"asn\":64504,\"org_id\":\"7\"},"
                             "{\"asn\":64505,\"org_id\":-3},"
                             "{\"asn\":64502,\"org_id\":9}]}";
    mrs_peeringdb p = {0};
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_peeringdb_load_mem(&p, js, sizeof js - 1, "p.json", &d), 0);
    assert_int_equal(d.errors, 0);
    mrs_peeringdb_finish(&p);
    assert_int_equal(p.n, 6);
    assert_int_equal(mrs_peeringdb_find(&p, 64500)->org_id, 7);
    assert_int_equal(mrs_peeringdb_find(&p, 64502)->org_id, 8);   /* two records: the smaller */
    assert_int_equal(mrs_peeringdb_find(&p, 64503)->org_id, 0);
    assert_int_equal(mrs_peeringdb_find(&p, 64504)->org_id, 0);   /* not a number */
    assert_int_equal(mrs_peeringdb_find(&p, 64505)->org_id, 0);

    mrs_as2org *o = mrs_as2org_new();
    /* CAIDA says 64501 and 64503 are one organisation; PeeringDB that 64500 and 64501 are. */
    assert_int_equal(mrs_as2org_add(o, 64501, "ORG-X", "RIPE"), 0);
    assert_int_equal(mrs_as2org_add(o, 64503, "ORG-X", "RIPE"), 0);
    assert_int_equal(mrs_peeringdb_add_orgs(&p, o), 0);
    assert_true(mrs_as2org_siblings(o, 64500, 64501));
    assert_true(mrs_as2org_siblings(o, 64500, 64503));   /* through both sources */
    assert_false(mrs_as2org_siblings(o, 64500, 64502));
    assert_false(mrs_as2org_siblings(o, 64504, 64505));   /* no organisation */
    assert_string_equal(mrs_as2org_org_id(o, mrs_as2org_org(o, 64501)), "ORG-X");   /* CAIDA's kept */
    uint32_t p7 = mrs_as2org_org(o, 64500);
    assert_string_equal(mrs_as2org_org_id(o, p7), "peeringdb:7");
    assert_string_equal(mrs_as2org_source(o, p7), "PeeringDB");
    mrs_as2org_stats st;
    mrs_as2org_get_stats(o, &st);
    assert_int_equal(st.conflicts, 0);
    mrs_as2org_free(o);
    mrs_peeringdb_clear(&p);
}

static void real_excerpt_over_caida_2008(void **state)
{
    (void)state;
    char pp[4096], pc[4096];
    TU_REQUIRE_DATA("peeringdb/peeringdb_net_3333_10745.json", pp);
    TU_REQUIRE_DATA("asorg/20080402.as-org2info.jsonl.gz", pc);
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    mrs_peeringdb p = {0};
    assert_int_equal(mrs_peeringdb_load_file(&p, pp, &d), 0);
    mrs_peeringdb_finish(&p);
    assert_int_equal(mrs_peeringdb_find(&p, 3333)->org_id, 8829);
    assert_int_equal(mrs_peeringdb_find(&p, 197000)->org_id, 8829);
    assert_int_equal(mrs_peeringdb_find(&p, 10745)->org_id, 1989);
    mrs_as2org *o = mrs_as2org_new();
    assert_int_equal(mrs_as2org_load(o, pc, &d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(mrs_as2org_org(o, 197000), MRS_AS2ORG_NONE);
    assert_false(mrs_as2org_siblings(o, 3333, 197000));
    assert_int_equal(mrs_peeringdb_add_orgs(&p, o), 0);
    assert_true(mrs_as2org_siblings(o, 3333, 197000));
    assert_false(mrs_as2org_siblings(o, 3333, 10745));
    assert_string_equal(mrs_as2org_org_id(o, mrs_as2org_org(o, 3333)), "@aut-3333-RIPE");
    /* The group's index names CAIDA's organisation, the older of the two. */
    assert_string_equal(mrs_as2org_org_id(o, mrs_as2org_group(o, mrs_as2org_org(o, 197000))), "@aut-3333-RIPE");
    mrs_as2org_free(o);
    mrs_peeringdb_clear(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(org_ids_and_join),
        cmocka_unit_test(real_excerpt_over_caida_2008),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
