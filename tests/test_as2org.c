/* test_as2org.c — AS-to-Organization (src/kb/topo/as2org.c): both CAIDA formats
 * from small samples (the 5- and 6-field aut sections, CRLF, comments, damaged
 * lines reported with their line numbers), add/join and the sibling test, and the
 * real CAIDA files: the 2008-04-02 pipe file (derived) and JSON Lines file must give
 * the same ASN -> organisation mapping (counts from PROVENANCE.md, checked with
 * python3 over the JSON Lines), and the 2021-10-01 file says AS721, AS27064 and
 * AS367 are siblings (DNIC-ARIN) while AS1452 is not. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manrs/kb/as2org.h"

static const char *org_of(const mrs_as2org *o, uint32_t asn)
{
    uint32_t i = mrs_as2org_org(o, asn);
    return i == MRS_AS2ORG_NONE ? "(none)" : mrs_as2org_org_id(o, i);
}

static void pipe_format(void **state)
{
    (void)state;
    static const char txt[] =
        "# name: AS Org\n"                                              /* 1 */
        "# format:org_id|changed|org_name|country|source\n"             /* 2 */
        "ORG-A|20080101|Alpha Networks|US|ARIN\n"                       /* 3 */
        "ORG-B|20070101|Beta, Inc.|DE|RIPE\r\n"                         /* 4: CRLF */
        "\n"                                                            /* 5 */
        "ORG-C|20070101|Gamma|FR\n"                                     /* 6: 4 fields */
        "# a comment\n"                                                 /* 7 */
        "# format:aut|changed|aut_name|org_id|source\n"                 /* 8 */
        "1|20080101|ALPHA-1|ORG-A|ARIN\n"                               /* 9 */
        "2|20080202|ALPHA-2|ORG-A|ARIN\n"                               /* 10 */
        "3|20080303|BETA|ORG-B|RIPE\r\n"                                /* 11 */
        "4294967296|20080101|BIG|ORG-B|RIPE\n"                          /* 12: out of range */
        "x5|20080101|X|ORG-B|RIPE\n"                                    /* 13 */
        "# format:aut|changed|aut_name|org_id|opaque_id|source\n"       /* 14: 6 fields */
        "4|20100101|DELTA|ORG-D|0a1b_ARIN|ARIN\n"                       /* 15: undescribed org */
        "2|20100101|ALPHA-2|ORG-B|0a1c_RIPE|RIPE\n"                     /* 16: conflict */
        "5|20100101|E|ORG-A|ARIN\n"                                     /* 17: 5 fields */
        "6|20100101|F|  |x|ARIN\n"                                      /* 18: empty org */
        "3|2010-01-01|BETA|ORG-B||RIPE\n"                               /* 19: same org again */
        "7|20100101|G|OR\0G|x|ARIN\n";                                  /* 20: NUL byte */
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    mrs_diag d;
    mrs_diag_init(&d, f);
    mrs_as2org *o = mrs_as2org_new();
    assert_non_null(o);
    /* The name says JSON Lines; the content decides. */
    assert_int_equal(mrs_as2org_load_mem(o, txt, sizeof txt - 1, "dir/20080402.as-org2info.jsonl", &d), 0);
    fclose(f);
    assert_string_equal(out,
                        "dir/20080402.as-org2info.jsonl:6: 4 fields, the format line (line 2) has 5; line skipped\n"
                        "dir/20080402.as-org2info.jsonl:12: ASN is not a number from 0 to 4294967295: \"4294967296\", line skipped\n"
                        "dir/20080402.as-org2info.jsonl:13: ASN is not a number from 0 to 4294967295: \"x5\", line skipped\n"
                        "dir/20080402.as-org2info.jsonl:16: warning: AS2 was in organisation ORG-A, now ORG-B (the later record kept)\n"
                        "dir/20080402.as-org2info.jsonl:17: 5 fields, the format line (line 14) has 6; line skipped\n"
                        "dir/20080402.as-org2info.jsonl:18: empty organisation id, line skipped\n"
                        "dir/20080402.as-org2info.jsonl:19: warning: \"changed\" \"2010-01-01\" is not a YYYYMMDD date (ignored)\n"
                        "dir/20080402.as-org2info.jsonl:20: organisation id with a NUL byte, line skipped\n");
    free(out);
    assert_int_equal(d.errors, 6);
    assert_int_equal(d.warnings, 2);
    mrs_as2org_stats st;
    mrs_as2org_get_stats(o, &st);
    assert_int_equal(st.orgs, 2);
    assert_int_equal(st.asns, 6);
    assert_int_equal(st.skipped, 6);
    assert_int_equal(st.conflicts, 1);
    assert_int_equal(mrs_as2org_asn_count(o), 4);
    assert_int_equal(mrs_as2org_org_count(o), 3);   /* ORG-A, ORG-B, ORG-D */
    assert_string_equal(org_of(o, 1), "ORG-A");
    assert_string_equal(org_of(o, 2), "ORG-B");     /* the later record */
    assert_string_equal(org_of(o, 3), "ORG-B");
    assert_string_equal(org_of(o, 4), "ORG-D");
    assert_string_equal(org_of(o, 5), "(none)");
    uint32_t b = mrs_as2org_org(o, 3);
    assert_string_equal(mrs_as2org_org_name(o, b), "Beta, Inc.");
    assert_string_equal(mrs_as2org_country(o, b), "DE");      /* CR of line 4 not kept */
    assert_string_equal(mrs_as2org_source(o, b), "RIPE");
    uint32_t dd = mrs_as2org_org(o, 4);
    assert_string_equal(mrs_as2org_org_name(o, dd), "");
    assert_string_equal(mrs_as2org_country(o, dd), "");
    assert_string_equal(mrs_as2org_source(o, dd), "ARIN");    /* from the ASN record */
    assert_true(mrs_as2org_siblings(o, 2, 3));
    assert_false(mrs_as2org_siblings(o, 1, 2));
    assert_false(mrs_as2org_siblings(o, 3, 3));
    assert_false(mrs_as2org_siblings(o, 1, 5));
    /* The file name's date, not the latest "changed" (20100101). */
    assert_int_equal(mrs_as2org_date(o), 20080402);
    mrs_as2org_free(o);
}

static void jsonl_format(void **state)
{
    (void)state;
    static const char txt[] =
        "\xef\xbb\xbf{\"type\":\"Organization\",\"organizationId\":\"ORG-A\",\"name\":\"Alpha\",\"country\":\"US\","
        "\"source\":\"ARIN\",\"changed\":\"20211001\"}\n"                                               /* 1: BOM */
        "{\"type\":\"ASN\",\"asn\":\"1\",\"organizationId\":\"ORG-A\",\"name\":\"A1\",\"source\":\"ARIN\","
        "\"changed\":\"20200101\"}\r\n"                                                                 /* 2 */
        "{\"type\":\"ASN\",\"asn\":64500,\"organizationId\":\"ORG-A\",\"opaqueId\":\"x_ARIN\",\"source\":\"ARIN\"}\n" /* 3 */
        "[1,2]\n"                                                                                       /* 4 */
        "{\"type\":\"ASN\",\"asn\":\"4294967296\",\"organizationId\":\"ORG-A\"}\n"                     /* 5 */
        "{\"type\":\"ASN\",\"asn\":4294967296,\"organizationId\":\"ORG-A\"}\n"                         /* 6 */
        "{\"type\":\"Widget\"}\n"                                                                       /* 7 */
        "{\"type\":\"ASN\",\"asn\":\"2\",\n"                                                            /* 8 */
        "\n"                                                                                            /* 9 */
        "{\"type\":\"ASN\",\"asn\":\"1\",\"organizationId\":\"ORG-B\"}\n"                              /* 10: conflict */
        "{\"type\":\"ASN\",\"asn\":4200000000,\"organizationId\":\"ORG-B\"}\n"                         /* 11 */
        "{\"type\":\"ASN\",\"asn\":\"7\",\"organizationId\":7}\n"                                      /* 12 */
        "{\"type\":\"ASN\",\"asn\":\"-5\",\"organizationId\":\"ORG-A\"}\n"                           /* 13 */
        "{\"type\":\"Organization\",\"organizationId\":\"ORG-B\",\"name\":null,\"country\":\"NL\"}";   /* 14: no newline */
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    mrs_diag d;
    mrs_diag_init(&d, f);
    mrs_as2org *o = mrs_as2org_new();
    assert_int_equal(mrs_as2org_load_mem(o, txt, sizeof txt - 1, "orgs.txt", &d), 0);
    fclose(f);
    d.stream = NULL;   /* count only from here on */
    /* jansson's wording of the syntax error is its own; the line number is ours. */
    char *l8 = strstr(out, "orgs.txt:8: JSON: ");
    assert_non_null(l8);
    char *l8end = strchr(l8, '\n');
    assert_non_null(l8end);
    memmove(l8, l8end + 1, strlen(l8end + 1) + 1);
    assert_string_equal(out,
                        "orgs.txt:4: not a JSON object, line skipped\n"
                        "orgs.txt:5: ASN is not a number from 0 to 4294967295: \"4294967296\", line skipped\n"
                        "orgs.txt:6: \"asn\" 4294967296 is not from 0 to 4294967295, line skipped\n"
                        "orgs.txt:7: \"type\" is neither Organization nor ASN: \"Widget\", line skipped\n"
                        "orgs.txt:10: warning: AS1 was in organisation ORG-A, now ORG-B (the later record kept)\n"
                        "orgs.txt:12: \"organizationId\" is not a string, line skipped\n"
                        "orgs.txt:13: ASN is not a number from 0 to 4294967295: \"-5\", line skipped\n");
    free(out);
    assert_int_equal(d.errors, 7);
    assert_int_equal(d.warnings, 1);
    mrs_as2org_stats st;
    mrs_as2org_get_stats(o, &st);
    assert_int_equal(st.orgs, 2);
    assert_int_equal(st.asns, 4);
    assert_int_equal(st.skipped, 7);
    assert_int_equal(st.conflicts, 1);
    assert_int_equal(mrs_as2org_asn_count(o), 3);
    assert_string_equal(org_of(o, 1), "ORG-B");
    assert_string_equal(org_of(o, 64500), "ORG-A");
    assert_string_equal(org_of(o, 4200000000u), "ORG-B");
    assert_string_equal(org_of(o, 2), "(none)");
    uint32_t a = mrs_as2org_org(o, 64500), b = mrs_as2org_org(o, 1);
    assert_string_equal(mrs_as2org_org_name(o, a), "Alpha");
    assert_string_equal(mrs_as2org_country(o, a), "US");
    assert_string_equal(mrs_as2org_org_name(o, b), "");
    assert_string_equal(mrs_as2org_country(o, b), "NL");
    assert_true(mrs_as2org_siblings(o, 1, 4200000000u));
    assert_false(mrs_as2org_siblings(o, 1, 64500));
    /* No date in the name: the latest valid "changed". */
    assert_int_equal(mrs_as2org_date(o), 20211001);
    /* Attributes of indices that do not exist. */
    assert_null(mrs_as2org_org_id(o, MRS_AS2ORG_NONE));
    assert_null(mrs_as2org_org_name(o, 99));
    assert_int_equal(mrs_as2org_group(o, MRS_AS2ORG_NONE), MRS_AS2ORG_NONE);
    /* An empty input and an input of comments only load nothing, without errors. */
    assert_int_equal(mrs_as2org_load_mem(o, "", 0, "empty", &d), 0);
    assert_int_equal(mrs_as2org_load_mem(o, "# x\n\n", 5, "comments", &d), 0);
    assert_int_equal(d.errors, 7);
    /* A pipe record before any format line. */
    assert_int_equal(mrs_as2org_load_mem(o, "1|2|3|4|5\n", 10, "nofmt", &d), 0);
    assert_int_equal(d.errors, 8);
    mrs_as2org_free(o);
}

static void add_join_siblings(void **state)
{
    (void)state;
    mrs_as2org *o = mrs_as2org_new();
    assert_int_equal(mrs_as2org_add(o, 10, "X", "test"), 0);
    assert_int_equal(mrs_as2org_add(o, 11, "X", "test"), 0);
    assert_int_equal(mrs_as2org_add(o, 11, "X", NULL), 0);      /* already so */
    assert_true(mrs_as2org_siblings(o, 10, 11));
    assert_true(mrs_as2org_siblings(o, 11, 10));
    assert_false(mrs_as2org_siblings(o, 10, 10));
    assert_false(mrs_as2org_siblings(o, 10, 12));               /* 12 unknown */
    assert_int_equal(mrs_as2org_add(o, 11, "Y", NULL), 1);      /* conflict: the later wins */
    assert_false(mrs_as2org_siblings(o, 10, 11));
    assert_int_equal(mrs_as2org_add(o, 11, "", NULL), -1);
    assert_int_equal(mrs_as2org_add(o, 11, NULL, NULL), -1);
    assert_string_equal(mrs_as2org_source(o, mrs_as2org_org(o, 10)), "test");
    assert_string_equal(mrs_as2org_source(o, mrs_as2org_org(o, 11)), "");
    /* Joins group organisations; nothing is replaced. */
    assert_int_equal(mrs_as2org_join(o, 11, "P1", "PeeringDB"), 0);
    assert_string_equal(org_of(o, 11), "Y");
    assert_false(mrs_as2org_siblings(o, 10, 11));
    assert_int_equal(mrs_as2org_join(o, 10, "P1", "PeeringDB"), 0);
    assert_true(mrs_as2org_siblings(o, 10, 11));
    assert_string_equal(org_of(o, 10), "X");
    assert_int_equal(mrs_as2org_group(o, mrs_as2org_org(o, 10)), mrs_as2org_group(o, mrs_as2org_org(o, 11)));
    /* The group's index: Y, the root of the bigger of the two groups joined ({Y, P1}
     * against {X}); Y itself beat P1 as the older of two single organisations. */
    assert_string_equal(mrs_as2org_org_id(o, mrs_as2org_group(o, mrs_as2org_org(o, 10))), "Y");
    assert_int_equal(mrs_as2org_join(o, 12, "P1", "PeeringDB"), 0);   /* new ASN: gets P1 */
    assert_string_equal(org_of(o, 12), "P1");
    assert_true(mrs_as2org_siblings(o, 12, 10));
    assert_int_equal(mrs_as2org_join(o, 12, "", NULL), -1);
    /* A long chain of joins stays one group. */
    char id[32];
    for (uint32_t i = 0; i < 1000; i++) {
        snprintf(id, sizeof id, "C%u", i);
        assert_int_equal(mrs_as2org_add(o, 1000 + i, id, NULL), 0);
        snprintf(id, sizeof id, "Q%u", i / 2);
        assert_int_equal(mrs_as2org_join(o, 1000 + i, id, NULL), 0);
        snprintf(id, sizeof id, "Q%u", (i + 1) / 2);
        assert_int_equal(mrs_as2org_join(o, 1000 + i, id, NULL), 0);
    }
    assert_true(mrs_as2org_siblings(o, 1000, 1999));
    assert_false(mrs_as2org_siblings(o, 1000, 10));
    assert_int_equal(mrs_as2org_asn_count(o), 1003);
    assert_int_equal(mrs_as2org_date(o), 0);
    mrs_as2org_free(o);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static mrs_as2org *load_real(const char *path, mrs_diag *d)
{
    mrs_as2org *o = mrs_as2org_new();
    assert_non_null(o);
    double t0 = now_s();
    assert_int_equal(mrs_as2org_load(o, path, d), 0);
    print_message("%s: %zu ASNs, %zu organisations, %.2f s\n", path, mrs_as2org_asn_count(o), mrs_as2org_org_count(o),
                  now_s() - t0);
    return o;
}

/* The two 2008-04-02 files (JSON Lines as published, pipe-separated derived from
 * it) hold the same records: 37 602 organisations, 42 178 ASN records of which 15
 * repeat an ASN with the same organisation (42 163 ASNs). */
static void caida_20080402_both_formats(void **state)
{
    (void)state;
    char pj[4096], pt[4096];
    TU_REQUIRE_DATA("asorg/20080402.as-org2info.jsonl.gz", pj);
    TU_REQUIRE_DATA("asorg/20080402.as-org2info.txt.gz", pt);
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    mrs_as2org *j = load_real(pj, &d);
    mrs_as2org *t = load_real(pt, &d);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 0);
    mrs_as2org_stats sj, stt;
    mrs_as2org_get_stats(j, &sj);
    mrs_as2org_get_stats(t, &stt);
    assert_int_equal(sj.orgs, 37602);
    assert_int_equal(sj.asns, 42178);
    assert_int_equal(sj.conflicts, 0);
    assert_int_equal(sj.skipped, 0);
    assert_memory_equal(&sj, &stt, sizeof sj);
    assert_int_equal(mrs_as2org_asn_count(j), 42163);
    assert_int_equal(mrs_as2org_asn_count(t), 42163);
    assert_int_equal(mrs_as2org_org_count(j), 37602);
    assert_int_equal(mrs_as2org_org_count(t), 37602);
    assert_int_equal(mrs_as2org_date(j), 20080402);
    /* Every ASN of these files is below 400 000 (the largest is 393222): comparing
     * that range and finding all of them compares the whole mapping. */
    size_t seen = 0;
    for (uint32_t asn = 0; asn < 400000; asn++) {
        uint32_t a = mrs_as2org_org(j, asn), b = mrs_as2org_org(t, asn);
        if (a == MRS_AS2ORG_NONE || b == MRS_AS2ORG_NONE) {
            if (a != b)
                fail_msg("AS%u: %s in the JSON Lines file, %s in the pipe file", asn, org_of(j, asn), org_of(t, asn));
            continue;
        }
        seen++;
        if (strcmp(mrs_as2org_org_id(j, a), mrs_as2org_org_id(t, b)) != 0 ||
            strcmp(mrs_as2org_org_name(j, a), mrs_as2org_org_name(t, b)) != 0 ||
            strcmp(mrs_as2org_country(j, a), mrs_as2org_country(t, b)) != 0)
            fail_msg("AS%u: %s (%s) in the JSON Lines file, %s (%s) in the pipe file", asn, mrs_as2org_org_id(j, a),
                     mrs_as2org_org_name(j, a), mrs_as2org_org_id(t, b), mrs_as2org_org_name(t, b));
    }
    assert_int_equal(seen, 42163);
    uint32_t dnic = mrs_as2org_org(t, 721);
    assert_string_equal(mrs_as2org_org_id(t, dnic), "DNIC-ARIN");
    assert_string_equal(mrs_as2org_org_name(t, dnic), "DoD Network Information Center");
    assert_string_equal(mrs_as2org_country(t, dnic), "US");
    assert_string_equal(mrs_as2org_source(t, dnic), "ARIN");
    assert_true(mrs_as2org_siblings(t, 721, 27064));
    assert_false(mrs_as2org_siblings(t, 721, 1452));
    mrs_as2org_free(j);
    mrs_as2org_free(t);
}

static void caida_20211001_siblings(void **state)
{
    (void)state;
    char p[4096];
    TU_REQUIRE_DATA("asorg/20211001.as-org2info.jsonl.gz", p);
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    mrs_as2org *o = load_real(p, &d);
    assert_int_equal(d.errors, 0);
    mrs_as2org_stats st;
    mrs_as2org_get_stats(o, &st);
    assert_int_equal(st.orgs + st.asns, 194228);
    assert_int_equal(st.orgs, 87682);
    assert_int_equal(mrs_as2org_asn_count(o), 106546);
    assert_int_equal(mrs_as2org_date(o), 20211001);
    assert_string_equal(org_of(o, 721), "DNIC-ARIN");
    assert_true(mrs_as2org_siblings(o, 721, 27064));
    assert_true(mrs_as2org_siblings(o, 27064, 367));
    assert_true(mrs_as2org_siblings(o, 367, 721));
    assert_string_equal(org_of(o, 1452), "HEADQU-3-ARIN");
    assert_false(mrs_as2org_siblings(o, 721, 1452));
    assert_false(mrs_as2org_siblings(o, 1452, 27064));
    assert_false(mrs_as2org_siblings(o, 1452, 367));
    mrs_as2org_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pipe_format),
        cmocka_unit_test(jsonl_format),
        cmocka_unit_test(add_join_siblings),
        cmocka_unit_test(caida_20080402_both_formats),
        cmocka_unit_test(caida_20211001_siblings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
