/* test_delegated.c — RIR delegated-extended statistics (src/kb/topo/delegated.c):
 * exact record/block counts on real AFRINIC, LACNIC and NRO files (cross-checked
 * with an independent Python ipaddress.summarize_address_range count), hand-checked
 * lookups (line numbers from grep -n), completeness rule, gaps, malformed lines, and
 * the route-bogon check that combines bogons with unallocated space. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/bogon.h"
#include "manrs/kb/delegated.h"

static mrs_prefix P(const char *s)
{
    mrs_prefix p;
    if (!mrs_prefix_parse(s, strlen(s), &p, false))
        fail_msg("bad test prefix %s", s);
    return p;
}

static mrs_deleg_status lookup(const mrs_deleg_db *db, const char *s, mrs_deleg_answer *a)
{
    mrs_prefix p = P(s);
    return mrs_deleg_lookup_prefix(db, &p, a);
}

static void afrinic_counts_and_lookups(void **state)
{
    (void)state;
    char path[1024];
    TU_REQUIRE_DATA("misc/delegated-afrinic-extended-latest", path);
    mrs_deleg_db *db = mrs_deleg_new();
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    assert_int_equal(mrs_deleg_load(db, path, &d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 0);   /* header and summaries agree with the records */
    assert_int_equal(mrs_deleg_count(db), 15019);
    assert_int_equal(mrs_deleg_block_count(db), 11796);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_ASN, MRS_DELEG_ALLOCATED), 2272);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_ASN, MRS_DELEG_AVAILABLE), 697);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_ASN, MRS_DELEG_RESERVED), 357);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_IPV4, MRS_DELEG_ALLOCATED), 3135);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_IPV4, MRS_DELEG_ASSIGNED), 1486);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_IPV4, MRS_DELEG_AVAILABLE), 20);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_IPV4, MRS_DELEG_RESERVED), 448);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_IPV6, MRS_DELEG_ALLOCATED), 956);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_IPV6, MRS_DELEG_ASSIGNED), 312);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_IPV6, MRS_DELEG_AVAILABLE), 2359);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_IPV6, MRS_DELEG_RESERVED), 2977);
    const mrs_deleg_file_info *fi = mrs_deleg_file_at(db, 0);
    assert_string_equal(fi->version, "2");
    assert_string_equal(fi->registry, "afrinic");
    assert_int_equal(fi->header_records, 15019);
    assert_int_equal(fi->summary[MRS_DELEG_TYPE_IPV4], 5089);
    assert_false(mrs_deleg_is_complete(db));

    mrs_deleg_answer a;
    /* line 7237: afrinic|ZA|ipv4|196.10.61.0|8960|19940325|assigned|F36ADDE8
     * = 196.10.61.0/24 + 196.10.62.0/23 + 196.10.64.0/19 */
    assert_int_equal(lookup(db, "196.10.64.0/19", &a), MRS_DELEG_ASSIGNED);
    assert_int_equal(a.rec->line, 7237);
    assert_string_equal(a.rec->cc, "ZA");
    assert_string_equal(a.rec->registry, "afrinic");
    assert_string_equal(a.rec->opaque_id, "F36ADDE8");
    assert_int_equal(a.rec->date, 19940325);
    assert_int_equal(a.rec->value, 8960);
    char buf[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&a.block, buf);
    assert_string_equal(buf, "196.10.64.0/19");
    assert_false(a.unallocated);
    assert_int_equal(lookup(db, "196.10.62.128/25", &a), MRS_DELEG_ASSIGNED);
    mrs_prefix_format(&a.block, buf);
    assert_string_equal(buf, "196.10.62.0/23");
    /* line 8228: afrinic|ZZ|ipv4|196.10.56.0|1024||reserved| */
    assert_int_equal(lookup(db, "196.10.57.0/24", &a), MRS_DELEG_RESERVED);
    assert_int_equal(a.rec->line, 8228);
    assert_int_equal(a.rec->date, 0);
    assert_string_equal(a.rec->opaque_id, "");
    assert_true(a.unallocated);
    /* 196.10.60.0/22: 60.0/24 reserved (line 8229) + 61.0/24, 62.0/23 assigned. */
    assert_int_equal(lookup(db, "196.10.60.0/22", &a), MRS_DELEG_NOT_COVERED);
    assert_true(a.partial);
    assert_true(a.contains_unallocated);
    assert_int_equal(a.inner->line, 8229);
    assert_false(a.unallocated);
    /* 196.10.96.0/22: 96.0/24 ZA, 97.0/24 EG, 98.0/23 ZA, all assigned, no gap. */
    assert_int_equal(lookup(db, "196.10.96.0/22", &a), MRS_DELEG_NOT_COVERED);
    assert_true(a.partial);
    assert_false(a.contains_unallocated);
    mrs_deleg_set_complete(db, true);
    assert_int_equal(lookup(db, "196.10.96.0/22", &a), MRS_DELEG_NOT_COVERED);
    assert_false(a.contains_unallocated);   /* tiled exactly */
    mrs_deleg_set_complete(db, false);
    /* line 8424: afrinic|ZZ|ipv6|2001:4208::|29||available| */
    assert_int_equal(lookup(db, "2001:4208:1::/48", &a), MRS_DELEG_AVAILABLE);
    assert_int_equal(a.rec->line, 8424);
    assert_true(a.unallocated);
    /* Not AFRINIC space: not covered, and a lone RIR file is not complete. */
    assert_int_equal(lookup(db, "8.8.8.0/24", &a), MRS_DELEG_NOT_COVERED);
    assert_false(a.partial);
    assert_false(a.unallocated);
    /* ASNs. line 5: afrinic|ZA|asn|1228|1|19910301|allocated|F36B9F4B */
    assert_int_equal(mrs_deleg_lookup_asn(db, 1228, &a), MRS_DELEG_ALLOCATED);
    assert_int_equal(a.rec->line, 5);
    assert_string_equal(a.rec->opaque_id, "F36B9F4B");
    assert_false(a.unallocated);
    /* line 19: afrinic|ZZ|asn|5536|1||available| */
    assert_int_equal(mrs_deleg_lookup_asn(db, 5536, &a), MRS_DELEG_AVAILABLE);
    assert_int_equal(a.rec->line, 19);
    assert_true(a.unallocated);
    assert_int_equal(mrs_deleg_lookup_asn(db, 3356, &a), MRS_DELEG_NOT_COVERED);
    assert_false(a.unallocated);
    mrs_deleg_free(db);
}

static void lacnic_counts_and_lookups(void **state)
{
    (void)state;
    char path[1024];
    TU_REQUIRE_DATA("misc/delegated-lacnic-extended-latest", path);
    mrs_deleg_db *db = mrs_deleg_new();
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    assert_int_equal(mrs_deleg_load(db, path, &d), 0);
    assert_int_equal(d.errors + d.warnings, 0);
    assert_int_equal(mrs_deleg_count(db), 86237);
    assert_int_equal(mrs_deleg_block_count(db), 72116);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_IPV6, MRS_DELEG_AVAILABLE), 26602);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_IPV4, MRS_DELEG_AVAILABLE), 4);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_ASN, MRS_DELEG_ALLOCATED), 12916);
    assert_string_equal(mrs_deleg_file_at(db, 0)->version, "2.3");
    mrs_deleg_answer a;
    /* line 5: lacnic|BR|ipv4|24.152.0.0|1024|20200310|allocated|310248 */
    assert_int_equal(lookup(db, "24.152.0.0/22", &a), MRS_DELEG_ALLOCATED);
    assert_int_equal(a.rec->line, 5);
    assert_string_equal(a.rec->cc, "BR");
    assert_string_equal(a.rec->opaque_id, "310248");
    /* line 9036: lacnic||ipv4|177.39.96.0|1024||available (7 fields, no opaque id) */
    assert_int_equal(lookup(db, "177.39.97.0/24", &a), MRS_DELEG_AVAILABLE);
    assert_int_equal(a.rec->line, 9036);
    assert_string_equal(a.rec->cc, "");
    assert_true(a.unallocated);
    /* line 86241: lacnic||asn|273717|104||available */
    assert_int_equal(mrs_deleg_lookup_asn(db, 273820, &a), MRS_DELEG_AVAILABLE);
    assert_int_equal(a.rec->line, 86241);
    assert_int_equal(mrs_deleg_lookup_asn(db, 273821, &a), MRS_DELEG_NOT_COVERED);

    /* Both RIR files together: counts add up, lookups still resolve per file. */
    char path2[1024];
    TU_REQUIRE_DATA("misc/delegated-afrinic-extended-latest", path2);
    assert_int_equal(mrs_deleg_load(db, path2, &d), 0);
    assert_int_equal(mrs_deleg_count(db), 86237 + 15019);
    assert_int_equal(mrs_deleg_file_count(db), 2);
    assert_int_equal(mrs_deleg_lookup_asn(db, 1228, &a), MRS_DELEG_ALLOCATED);
    assert_string_equal(a.rec->file, path2);
    assert_false(mrs_deleg_is_complete(db));
    mrs_deleg_free(db);
}

static void nro_combined_excerpt(void **state)
{
    (void)state;
    char path[1024];
    TU_REQUIRE_DATA("misc/extended-delegated-stats.txt", path);
    mrs_deleg_db *db = mrs_deleg_new();
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_deleg_load(db, path, &d), 0);
    assert_int_equal(d.errors, 0);
    /* An excerpt: header says 395402 records and summaries 74480/166309/154613. */
    assert_int_equal(d.warnings, 4);
    assert_int_equal(mrs_deleg_count(db), 15);
    assert_int_equal(mrs_deleg_block_count(db), 11);
    assert_int_equal(mrs_deleg_count_by(db, MRS_DELEG_TYPE_ASN, MRS_DELEG_IETF), 1);
    assert_true(mrs_deleg_is_complete(db));   /* has IANA records */
    mrs_deleg_answer a;
    assert_int_equal(mrs_deleg_lookup_asn(db, 0, &a), MRS_DELEG_IETF);
    assert_string_equal(a.rec->registry, "iana");
    assert_true(a.unallocated);
    assert_int_equal(mrs_deleg_lookup_asn(db, 7, &a), MRS_DELEG_ASSIGNED);
    assert_string_equal(a.rec->registry, "ripencc");
    assert_string_equal(a.rec->cc, "GB");
    assert_int_equal(mrs_deleg_lookup_asn(db, 9, &a), MRS_DELEG_NOT_COVERED);
    assert_true(a.unallocated);   /* complete db: not covered = unallocated */
    assert_int_equal(lookup(db, "2.20.0.0/14", &a), MRS_DELEG_ASSIGNED);
    assert_string_equal(a.rec->cc, "EU");
    assert_int_equal(lookup(db, "1.0.2.0/23", &a), MRS_DELEG_ASSIGNED);
    assert_string_equal(a.rec->cc, "CN");
    /* 1.0.0.0/22 is tiled by three assigned records: not unallocated anywhere. */
    assert_int_equal(lookup(db, "1.0.0.0/22", &a), MRS_DELEG_NOT_COVERED);
    assert_true(a.partial);
    assert_false(a.contains_unallocated);
    /* 1.0.0.0/21: 1.0.4.0/22 has no record -> a gap in a complete db. */
    assert_int_equal(lookup(db, "1.0.0.0/21", &a), MRS_DELEG_NOT_COVERED);
    assert_true(a.contains_unallocated);
    assert_int_equal(lookup(db, "2001:601::/48", &a), MRS_DELEG_RESERVED);
    assert_int_equal(lookup(db, "2001:200:1000::/36", &a), MRS_DELEG_ASSIGNED);
    assert_string_equal(a.rec->cc, "JP");
    mrs_deleg_free(db);
}

static const char *const rir_files[] = {
    "afrinic|ZA|ipv4|41.0.0.0|16777216|20071024|allocated|A\n",
    "apnic|AU|ipv4|1.0.0.0|256|20110811|assigned|B\napnic|AU|asn|1221|1|19930101|assigned|B\n",
    "arin|US|ipv4|8.0.0.0|16777216|19921201|allocated|C\n",
    "lacnic|BR|ipv4|200.0.0.0|16777216|20000101|allocated|D\n",
    "ripencc|NL|ipv4|193.0.0.0|2097152|19930901|allocated|E\nripencc|NL|ipv6|2001:67c::|32|20000101|allocated|E\n",
};

static void completeness_and_route_bogon_check(void **state)
{
    (void)state;
    mrs_deleg_db *db = mrs_deleg_new();
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    mrs_bogon_set *bs = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    mrs_route_bogon rb;
    mrs_prefix p = P("9.0.0.0/8");
    for (size_t i = 0; i < 5; i++) {
        assert_false(mrs_deleg_is_complete(db));
        assert_int_equal(mrs_bogon_check_route(bs, db, &p, &rb), MRS_ROUTE_OK);
        assert_int_equal(mrs_deleg_load_mem(db, rir_files[i], strlen(rir_files[i]), "rir", &d), 0);
    }
    assert_int_equal(d.errors + d.warnings, 0);
    assert_true(mrs_deleg_is_complete(db));   /* all five RIRs */
    assert_int_equal(mrs_bogon_check_route(bs, db, &p, &rb), MRS_ROUTE_UNALLOCATED);
    assert_true(rb.deleg_checked);
    assert_int_equal(rb.deleg.status, MRS_DELEG_NOT_COVERED);
    p = P("8.8.8.0/24");
    assert_int_equal(mrs_bogon_check_route(bs, db, &p, &rb), MRS_ROUTE_OK);
    assert_string_equal(rb.deleg.rec->registry, "arin");
    p = P("10.0.0.0/8");   /* special purpose wins over "not covered" */
    assert_int_equal(mrs_bogon_check_route(bs, db, &p, &rb), MRS_ROUTE_BOGON);
    assert_string_equal(rb.bogon.entry->source, "RFC 1918");
    p = P("8.0.0.0/7");    /* 8/8 allocated, 9/8 a gap */
    assert_int_equal(mrs_bogon_check_route(bs, db, &p, &rb), MRS_ROUTE_OVERLAPS_UNALLOCATED);
    p = P("0.0.0.0/0");
    assert_int_equal(mrs_bogon_check_route(bs, db, &p, &rb), MRS_ROUTE_OVERLAPS_BOGON);
    p = P("193.0.0.0/11");
    assert_int_equal(mrs_bogon_check_route(bs, db, &p, &rb), MRS_ROUTE_OK);
    p = P("193.0.0.0/10");
    assert_int_equal(mrs_bogon_check_route(bs, db, &p, &rb), MRS_ROUTE_OVERLAPS_UNALLOCATED);
    p = P("2001:67c:2e8::/48");
    assert_int_equal(mrs_bogon_check_route(bs, db, &p, &rb), MRS_ROUTE_OK);
    p = P("2a0f::/16");
    assert_int_equal(mrs_bogon_check_route(bs, db, &p, &rb), MRS_ROUTE_UNALLOCATED);
    p = P("2001:db8::/32");
    assert_int_equal(mrs_bogon_check_route(bs, NULL, &p, &rb), MRS_ROUTE_BOGON);
    assert_false(rb.deleg_checked);
    /* ASNs in a path: built-in bogon + unallocated in a complete db. */
    const uint32_t path[] = {1221, 64512, 3356, 1221};
    size_t pos[4];
    assert_int_equal(mrs_bogon_path_asns(path, 4, db, pos, 4), 2);
    assert_int_equal(pos[0], 1);
    assert_int_equal(pos[1], 2);
    assert_int_equal(mrs_bogon_path_asns(path, 4, NULL, pos, 4), 1);
    const mrs_bogon_asn_range *why;
    mrs_deleg_answer da;
    assert_int_equal(mrs_bogon_asn_check(db, 3356, &why, &da), MRS_ASN_UNALLOCATED);
    assert_null(why);
    assert_int_equal(da.status, MRS_DELEG_NOT_COVERED);
    assert_int_equal(mrs_bogon_asn_check(db, 1221, &why, &da), MRS_ASN_OK);
    assert_string_equal(da.rec->registry, "apnic");
    assert_int_equal(mrs_bogon_asn_check(db, 23456, &why, &da), MRS_ASN_BOGON);
    assert_string_equal(why->source, "RFC 6793");
    assert_int_equal(mrs_bogon_asn_check(NULL, 3356, &why, NULL), MRS_ASN_OK);
    mrs_deleg_set_complete(db, false);
    p = P("9.0.0.0/8");
    assert_int_equal(mrs_bogon_check_route(bs, db, &p, &rb), MRS_ROUTE_OK);
    mrs_bogon_set_free(bs);
    mrs_deleg_free(db);
}

static void whole_space_records(void **state)
{
    (void)state;
    /* Edge sizes: the whole IPv4 space, a /0 IPv6 record, the top ASN. */
    static const char txt[] =
        "iana|ZZ|ipv4|0.0.0.0|4294967296|19700101|ianapool|\n"
        "iana|ZZ|ipv6|::|0|19700101|ianapool|\n"
        "iana|ZZ|asn|4294967295|1||reserved|\n";
    mrs_deleg_db *db = mrs_deleg_new();
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    assert_int_equal(mrs_deleg_load_mem(db, txt, sizeof txt - 1, "w", &d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(mrs_deleg_block_count(db), 2);
    mrs_deleg_answer a;
    assert_int_equal(lookup(db, "0.0.0.0/0", &a), MRS_DELEG_IANAPOOL);
    assert_int_equal(a.block.len, 0);
    assert_int_equal(lookup(db, "255.255.255.255/32", &a), MRS_DELEG_IANAPOOL);
    assert_int_equal(lookup(db, "ffff::/16", &a), MRS_DELEG_IANAPOOL);
    assert_int_equal(mrs_deleg_lookup_asn(db, 4294967295u, &a), MRS_DELEG_RESERVED);
    assert_int_equal(mrs_deleg_lookup_asn(db, 4294967294u, &a), MRS_DELEG_NOT_COVERED);
    mrs_deleg_free(db);
}

static void malformed_lines(void **state)
{
    (void)state;
    static const char txt[] =
        "2|test|20230101|5|19700101|20230101|+0000\n"       /* 1 */
        "test|*|asn|*|2|summary\n"                          /* 2 */
        "test|*|ipv4|*|3|summary\n"                         /* 3 */
        "# comment\n"                                       /* 4 */
        "test|ZA|asn|100|1|20200101|allocated|X1\n"         /* 5 ok */
        "test|ZA|asn|200|0|20200101|allocated|X2\n"         /* 6 */
        "test|ZA|ipv4|10.0.0.0|0|20200101|allocated|X3\n"   /* 7 */
        "test|ZA|ipv4|255.255.255.0|512|20200101|allocated\n"   /* 8 */
        "test|ZA|ipv6|2001:db8::1|32|20200101|allocated|X\n"    /* 9 */
        "test|ZA|ipv4|1.2.3.0|256|2020010|allocated|X\n"    /* 10 */
        "test|ZA|ipx|1.2.3.0|256|20200101|allocated|X\n"    /* 11 */
        "test|ZA|ipv4|1.2.3.0|256|20200101|stolen|X\n"      /* 12 */
        "test|ZA|ipv4|1.2.3.0\n"                            /* 13 */
        "test|ZA|ipv4|1.2.3.0|256|20200101|allocated|X|e1|e2\n" /* 14 ok */
        "test|Z@|ipv4|1.2.4.0|256|20200101|allocated|X\n"   /* 15 */
        "test|ZA|asn|4294967295|2|20200101|allocated|X\n"   /* 16 */
        "test|ZA|ipv6|2001:db8::|129|20200101|allocated|X\n"    /* 17 */
        "test|ZA|ipv4|1.2.3|256|20200101|allocated|X\n"     /* 18 */
        "test|ZA|ipv4|2001:db8::|256|20200101|allocated|X\n"    /* 19 */
        "2|test|20230101|5|19700101|20230101|+0000\n"       /* 20 */
        "test|*|ipv4|*|x|summary\n"                         /* 21 */
        "test|ZA|asn|abc|1|20200101|allocated|X\n"          /* 22 */
        "\xff\xfe|\x01\n"                                   /* 23 */
        "test|ZA|\x1b[2J|1.2.3.0|256|20200101|allocated|X\n";  /* 24: escaped in the message */
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    mrs_diag d;
    mrs_diag_init(&d, f);
    mrs_deleg_db *db = mrs_deleg_new();
    assert_int_equal(mrs_deleg_load_mem(db, txt, sizeof txt - 1, "t.txt", &d), 0);
    fclose(f);
    assert_int_equal(d.errors, 18);
    assert_int_equal(d.warnings, 3);
    assert_int_equal(mrs_deleg_count(db), 2);
    assert_int_equal(mrs_deleg_file_at(db, 0)->bad_lines, 18);
    assert_non_null(strstr(out, "t.txt:6: ASN count 0 out of range from AS200\n"));
    assert_non_null(strstr(out, "t.txt:9: ipv6 start has bits set beyond /32\n"));
    assert_non_null(strstr(out, "t.txt:13: record has 4 fields, expected at least 7"));
    assert_non_null(strstr(out, "t.txt:20: second header line\n"));
    assert_non_null(strstr(out, "t.txt:1: warning: header announces 5 records, 2 loaded\n"));
    assert_non_null(strstr(out, "t.txt:24: unknown type \"\\x1b[2J\"\n"));
    if (getenv("TEST_VERBOSE"))
        fputs(out, stderr);
    free(out);
    mrs_deleg_answer a;
    assert_int_equal(lookup(db, "1.2.3.0/24", &a), MRS_DELEG_ALLOCATED);
    assert_string_equal(a.rec->opaque_id, "X");
    assert_int_equal(mrs_deleg_lookup_asn(db, 100, &a), MRS_DELEG_ALLOCATED);
    /* Empty input and a missing file. */
    assert_int_equal(mrs_deleg_load_mem(db, "", 0, "empty", &d), 0);
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_deleg_load(db, "/nonexistent/delegated", &d), -1);
    assert_int_equal(d.errors, 1);
    mrs_deleg_free(db);
}

/* Files that list the same block (an RIR file beside the NRO combined one): the
 * record loaded first answers, covering and inside a query alike. */
static void equal_blocks_answer_from_the_first_file(void **state)
{
    (void)state;
    static const char a[] = "ripencc|NL|ipv4|193.0.0.0|256|19930901|allocated|A\n"
                            "ripencc|NL|ipv4|193.0.1.0|256|19930901|available|A\n";
    static const char b[] = "nro|DE|ipv4|193.0.0.0|256|19930901|assigned|B\n"
                            "nro|DE|ipv4|193.0.1.0|256|19930901|assigned|B\n";
    mrs_deleg_db *db = mrs_deleg_new();
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_deleg_load_mem(db, a, sizeof a - 1, "a", &d), 0);
    assert_int_equal(mrs_deleg_load_mem(db, b, sizeof b - 1, "b", &d), 0);
    assert_int_equal(mrs_deleg_block_count(db), 4);
    mrs_deleg_answer ans;
    assert_int_equal(lookup(db, "193.0.0.128/25", &ans), MRS_DELEG_ALLOCATED);
    assert_string_equal(ans.rec->cc, "NL");
    char buf[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&ans.block, buf);
    assert_string_equal(buf, "193.0.0.0/24");
    /* Inside 193.0.0.0/23: the first record in (address, length, load) order, unless
     * an unallocated one comes later. */
    assert_int_equal(lookup(db, "193.0.0.0/23", &ans), MRS_DELEG_NOT_COVERED);
    assert_true(ans.partial);
    assert_true(ans.contains_unallocated);
    assert_string_equal(ans.inner->cc, "NL");
    assert_int_equal(ans.inner->status, MRS_DELEG_AVAILABLE);
    mrs_deleg_free(db);
    /* Loaded the other way round, the NRO records answer. */
    db = mrs_deleg_new();
    assert_int_equal(mrs_deleg_load_mem(db, b, sizeof b - 1, "b", &d), 0);
    assert_int_equal(mrs_deleg_load_mem(db, a, sizeof a - 1, "a", &d), 0);
    assert_int_equal(lookup(db, "193.0.0.128/25", &ans), MRS_DELEG_ASSIGNED);
    assert_string_equal(ans.rec->cc, "DE");
    assert_int_equal(lookup(db, "193.0.0.0/23", &ans), MRS_DELEG_NOT_COVERED);
    assert_true(ans.contains_unallocated);
    assert_string_equal(ans.inner->cc, "NL");
    mrs_deleg_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(afrinic_counts_and_lookups),
        cmocka_unit_test(lacnic_counts_and_lookups),
        cmocka_unit_test(nro_combined_excerpt),
        cmocka_unit_test(completeness_and_route_bogon_check),
        cmocka_unit_test(whole_space_records),
        cmocka_unit_test(malformed_lines),
        cmocka_unit_test(equal_blocks_answer_from_the_first_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
