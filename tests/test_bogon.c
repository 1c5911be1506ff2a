/* test_bogon.c — bogon prefixes and ASNs (src/kb/topo/bogon.c): built-in registry
 * entries with their RFCs, covered/overlaps semantics, exceptions (Teredo), loaded
 * fullbogons and Spamhaus lists (real data), malformed lines, bogon ASNs; and the
 * routing beacon lists (src/kb/topo/beacon.c), the other "never an incident" prefix
 * list of the topology knowledge. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/beacon.h"
#include "manrs/kb/bogon.h"

static mrs_prefix P(const char *s)
{
    mrs_prefix p;
    if (!mrs_prefix_parse(s, strlen(s), &p, false))
        fail_msg("bad test prefix %s", s);
    return p;
}

/* Check route s: expect match m and (if entry_pfx) the evidence prefix and source. */
static void expect(const mrs_bogon_set *set, const char *s, mrs_bogon_match m, const char *entry_pfx,
                   const char *source)
{
    mrs_prefix p = P(s);
    mrs_bogon_result r;
    mrs_bogon_match got = mrs_bogon_check_prefix(set, &p, &r);
    if (got != m)
        fail_msg("%s: match %d, expected %d", s, (int)got, (int)m);
    assert_int_equal(r.match, m);
    if (entry_pfx) {
        assert_non_null(r.entry);
        char buf[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&r.entry->prefix, buf);
        if (strcmp(buf, entry_pfx) != 0)
            fail_msg("%s: evidence %s, expected %s", s, buf, entry_pfx);
        if (source && strcmp(r.entry->source, source) != 0)
            fail_msg("%s: source %s, expected %s", s, r.entry->source, source);
    } else if (m == MRS_BOGON_NO) {
        assert_true(r.entry == NULL || r.entry->exception);
    }
}

static void builtin_ipv4_special_purpose(void **state)
{
    (void)state;
    mrs_bogon_set *s = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    assert_non_null(s);
    assert_int_equal(mrs_bogon_count(s), 18 + 41);
    expect(s, "10.1.2.0/24", MRS_BOGON_COVERED, "10.0.0.0/8", "RFC 1918");
    expect(s, "10.0.0.0/8", MRS_BOGON_COVERED, "10.0.0.0/8", "RFC 1918");
    expect(s, "172.31.255.0/24", MRS_BOGON_COVERED, "172.16.0.0/12", "RFC 1918");
    expect(s, "172.32.0.0/16", MRS_BOGON_NO, NULL, NULL);
    expect(s, "192.168.1.1/32", MRS_BOGON_COVERED, "192.168.0.0/16", "RFC 1918");
    expect(s, "0.0.0.0/8", MRS_BOGON_COVERED, "0.0.0.0/8", "RFC 791");
    expect(s, "100.64.0.0/10", MRS_BOGON_COVERED, "100.64.0.0/10", "RFC 6598");
    expect(s, "100.127.255.0/24", MRS_BOGON_COVERED, "100.64.0.0/10", "RFC 6598");
    expect(s, "100.128.0.0/24", MRS_BOGON_NO, NULL, NULL);
    expect(s, "100.0.0.0/8", MRS_BOGON_OVERLAPS, "100.64.0.0/10", "RFC 6598");
    expect(s, "127.0.0.1/32", MRS_BOGON_COVERED, "127.0.0.0/8", "RFC 1122");
    expect(s, "169.254.0.0/16", MRS_BOGON_COVERED, "169.254.0.0/16", "RFC 3927");
    expect(s, "192.0.0.8/32", MRS_BOGON_COVERED, "192.0.0.0/24", "RFC 6890");
    expect(s, "192.0.0.9/32", MRS_BOGON_NO, "192.0.0.9/32", "RFC 7723");   /* PCP anycast carve-out */
    expect(s, "192.0.0.10/32", MRS_BOGON_NO, "192.0.0.10/32", "RFC 8155");
    expect(s, "192.0.0.0/23", MRS_BOGON_OVERLAPS, "192.0.0.0/24", "RFC 6890");
    expect(s, "192.0.2.0/24", MRS_BOGON_COVERED, "192.0.2.0/24", "RFC 5737");
    expect(s, "192.88.99.0/24", MRS_BOGON_COVERED, "192.88.99.0/24", "RFC 7526");
    expect(s, "198.18.0.0/16", MRS_BOGON_COVERED, "198.18.0.0/15", "RFC 2544");
    expect(s, "198.20.0.0/16", MRS_BOGON_NO, NULL, NULL);
    expect(s, "198.51.100.128/25", MRS_BOGON_COVERED, "198.51.100.0/24", "RFC 5737");
    expect(s, "203.0.113.0/24", MRS_BOGON_COVERED, "203.0.113.0/24", "RFC 5737");
    expect(s, "239.1.0.0/16", MRS_BOGON_COVERED, "224.0.0.0/4", "RFC 5771");
    expect(s, "250.0.0.0/8", MRS_BOGON_COVERED, "240.0.0.0/4", "RFC 1112");
    expect(s, "255.255.255.255/32", MRS_BOGON_COVERED, "255.255.255.255/32", "RFC 919");
    expect(s, "8.8.8.0/24", MRS_BOGON_NO, NULL, NULL);
    expect(s, "193.0.0.0/21", MRS_BOGON_NO, NULL, NULL);
    /* Default route: covers bogons; evidence = lowest, then shortest, contained entry. */
    expect(s, "0.0.0.0/0", MRS_BOGON_OVERLAPS, "0.0.0.0/8", "RFC 791");
    expect(s, "128.0.0.0/1", MRS_BOGON_OVERLAPS, "169.254.0.0/16", "RFC 3927");
    expect(s, "192.0.0.0/8", MRS_BOGON_OVERLAPS, "192.0.0.0/24", "RFC 6890");
    expect(s, "192.168.0.0/15", MRS_BOGON_OVERLAPS, "192.168.0.0/16", "RFC 1918");
    mrs_bogon_set_free(s);
}

static void builtin_ipv6_special_purpose_and_exceptions(void **state)
{
    (void)state;
    mrs_bogon_set *s = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    assert_non_null(s);
    expect(s, "2001:db8::/32", MRS_BOGON_COVERED, "2001:db8::/32", "RFC 3849");
    expect(s, "2001:db8:1234::/48", MRS_BOGON_COVERED, "2001:db8::/32", "RFC 3849");
    /* Teredo is globally reachable: carved out of 2001::/23, not a bogon. */
    expect(s, "2001::/32", MRS_BOGON_NO, "2001::/32", "RFC 4380");
    expect(s, "2001:0:abcd::/48", MRS_BOGON_NO, "2001::/32", "RFC 4380");
    expect(s, "2001:5::/32", MRS_BOGON_COVERED, "2001::/23", "RFC 2928");
    expect(s, "2001::/23", MRS_BOGON_COVERED, "2001::/23", "RFC 2928");
    expect(s, "2001::/31", MRS_BOGON_COVERED, "2001::/23", "RFC 2928");
    expect(s, "2001::/16", MRS_BOGON_OVERLAPS, "2001::/23", "RFC 2928");
    expect(s, "2001:2::/48", MRS_BOGON_COVERED, "2001:2::/48", "RFC 5180");
    expect(s, "2001:3::/32", MRS_BOGON_NO, "2001:3::/32", "RFC 7450");
    expect(s, "2001:4:112::/48", MRS_BOGON_NO, "2001:4:112::/48", "RFC 7535");
    expect(s, "2001:4::/32", MRS_BOGON_COVERED, "2001::/23", "RFC 2928");
    expect(s, "2001:10::/28", MRS_BOGON_COVERED, "2001:10::/28", "RFC 4843");
    expect(s, "2001:20::/28", MRS_BOGON_NO, "2001:20::/28", "RFC 7343");
    expect(s, "2001:30::/28", MRS_BOGON_NO, "2001:30::/28", "RFC 9374");
    expect(s, "2001:200::/32", MRS_BOGON_NO, NULL, NULL);   /* just outside 2001::/23 */
    expect(s, "2002::/16", MRS_BOGON_COVERED, "2002::/16", "RFC 3056");
    expect(s, "2002:c000:204::/48", MRS_BOGON_COVERED, "2002::/16", "RFC 3056");
    expect(s, "3ffe:1::/32", MRS_BOGON_COVERED, "3ffe::/16", "RFC 3701");
    expect(s, "3fff:123::/32", MRS_BOGON_COVERED, "3fff::/20", "RFC 9637");
    expect(s, "3fff:1000::/20", MRS_BOGON_NO, NULL, NULL);
    expect(s, "2a00:1450::/32", MRS_BOGON_NO, NULL, NULL);
    expect(s, "fc00::/7", MRS_BOGON_COVERED, "fc00::/7", "RFC 4193");
    expect(s, "fd12:3456::/32", MRS_BOGON_COVERED, "fc00::/7", "RFC 4193");
    expect(s, "fe80::/64", MRS_BOGON_COVERED, "fe80::/10", "RFC 4291");
    expect(s, "fec0::/10", MRS_BOGON_COVERED, "fec0::/10", "RFC 3879");
    expect(s, "ff02::1/128", MRS_BOGON_COVERED, "ff00::/8", "RFC 4291");
    expect(s, "::/128", MRS_BOGON_COVERED, "::/128", "RFC 4291");
    expect(s, "::1/128", MRS_BOGON_COVERED, "::1/128", "RFC 4291");
    expect(s, "::ffff:0:0/96", MRS_BOGON_COVERED, "::ffff:0.0.0.0/96", "RFC 4291");
    expect(s, "::ffff:10.0.0.0/104", MRS_BOGON_COVERED, "::ffff:0.0.0.0/96", "RFC 4291");
    expect(s, "64:ff9b::/96", MRS_BOGON_COVERED, "64:ff9b::/96", "RFC 6052");
    expect(s, "64:ff9b:1::/48", MRS_BOGON_COVERED, "64:ff9b:1::/48", "RFC 8215");
    expect(s, "100::/64", MRS_BOGON_COVERED, "100::/64", "RFC 6666");
    expect(s, "100::/56", MRS_BOGON_COVERED, "100::/8", "RFC 4291");
    expect(s, "5f00:1::/32", MRS_BOGON_COVERED, "5f00::/16", "RFC 9602");
    expect(s, "4000::/3", MRS_BOGON_COVERED, "4000::/3", "RFC 4291");
    expect(s, "8000::/1", MRS_BOGON_OVERLAPS, "8000::/3", "RFC 4291");
    expect(s, "e000::/4", MRS_BOGON_COVERED, "e000::/4", "RFC 4291");
    expect(s, "::/0", MRS_BOGON_OVERLAPS, "::/8", "RFC 4291");
    expect(s, "2000::/3", MRS_BOGON_OVERLAPS, "2001::/23", "RFC 2928");
    expect(s, "2002::/15", MRS_BOGON_OVERLAPS, "2002::/16", "RFC 3056");
    /* Wider than Teredo but still inside 2001::/23: a bogon. */
    expect(s, "2001::/30", MRS_BOGON_COVERED, "2001::/23", "RFC 2928");
    mrs_bogon_set_free(s);
}

static void builtin_families_are_selectable(void **state)
{
    (void)state;
    mrs_bogon_set *v4 = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN_V4);
    assert_int_equal(mrs_bogon_count(v4), 18);
    expect(v4, "10.0.0.0/8", MRS_BOGON_COVERED, "10.0.0.0/8", "RFC 1918");
    expect(v4, "2001:db8::/32", MRS_BOGON_NO, NULL, NULL);
    mrs_bogon_set_free(v4);
    mrs_bogon_set *none = mrs_bogon_set_new(0);
    assert_int_equal(mrs_bogon_count(none), 0);
    expect(none, "10.0.0.0/8", MRS_BOGON_NO, NULL, NULL);
    expect(none, "0.0.0.0/0", MRS_BOGON_NO, NULL, NULL);
    /* A hand-added entry; an explicit bogon at the same prefix beats an exception. */
    mrs_prefix p = P("2001::/32");
    assert_int_equal(mrs_bogon_add(none, &p, "Teredo", "local policy", false), 0);
    mrs_bogon_set *b = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN_V6);
    assert_int_equal(mrs_bogon_add(b, &p, "Teredo", "local policy", false), 0);
    expect(b, "2001::/32", MRS_BOGON_COVERED, "2001::/32", "local policy");
    expect(b, "2001:0:1::/48", MRS_BOGON_COVERED, "2001::/32", "local policy");
    mrs_prefix bad = P("10.0.0.0/8");
    bad.len = 40;
    assert_int_equal(mrs_bogon_add(b, &bad, NULL, NULL, false), -1);
    mrs_bogon_set_free(b);
    mrs_bogon_set_free(none);
}

static void fullbogons_ipv4_real_list(void **state)
{
    (void)state;
    char path[1024];
    TU_REQUIRE_DATA("misc/fullbogons-ipv4.txt", path);
    mrs_bogon_set *s = mrs_bogon_set_new(0);
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    assert_int_equal(mrs_bogon_load_list(s, path, &d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 0);
    assert_int_equal(mrs_bogon_count(s), 703);
    mrs_bogon_result r;
    mrs_prefix p = P("23.135.225.0/24");
    assert_int_equal(mrs_bogon_check_prefix(s, &p, &r), MRS_BOGON_COVERED);
    assert_int_equal(r.entry->origin, MRS_BOGON_LIST);
    assert_int_equal(r.entry->line, 5);
    assert_string_equal(r.entry->source, path);
    p = P("10.20.0.0/16");
    assert_int_equal(mrs_bogon_check_prefix(s, &p, &r), MRS_BOGON_COVERED);
    assert_int_equal(r.entry->line, 4);
    p = P("8.8.8.0/24");
    assert_int_equal(mrs_bogon_check_prefix(s, &p, &r), MRS_BOGON_NO);
    p = P("23.135.0.0/16");
    assert_int_equal(mrs_bogon_check_prefix(s, &p, &r), MRS_BOGON_OVERLAPS);
    mrs_bogon_set_free(s);
}

static void fullbogons_ipv6_real_list(void **state)
{
    (void)state;
    char path[1024];
    TU_REQUIRE_DATA("misc/fullbogons-ipv6.txt", path);
    mrs_bogon_set *s = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    assert_int_equal(mrs_bogon_load_list(s, path, &d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(mrs_bogon_count(s), 59 + 143544);
    mrs_bogon_result r;
    mrs_prefix p = P("2c0f:1:8000::/33");   /* line 141228: 2c0f:1::/32 */
    assert_int_equal(mrs_bogon_check_prefix(s, &p, &r), MRS_BOGON_COVERED);
    assert_int_equal(r.entry->line, 141228);
    /* A built-in, more specific than the list's ::/10, is the evidence. */
    p = P("::1/128");
    assert_int_equal(mrs_bogon_check_prefix(s, &p, &r), MRS_BOGON_COVERED);
    assert_string_equal(r.entry->source, "RFC 4291");
    p = P("2a00:1450::/32");   /* Google, allocated */
    assert_int_equal(mrs_bogon_check_prefix(s, &p, &r), MRS_BOGON_NO);
    mrs_bogon_set_free(s);
}

static void spamhaus_drop_and_edrop(void **state)
{
    (void)state;
    char drop[1024], edrop[1024];
    TU_REQUIRE_DATA("misc/drop.txt", drop);
    TU_REQUIRE_DATA("misc/edrop.txt", edrop);
    mrs_bogon_set *s = mrs_bogon_set_new(0);
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    assert_int_equal(mrs_bogon_load_drop(s, drop, &d), 0);
    assert_int_equal(mrs_bogon_count(s), 989);
    assert_int_equal(mrs_bogon_load_drop(s, edrop, &d), 0);
    assert_int_equal(mrs_bogon_count(s), 989 + 321);
    assert_int_equal(d.errors + d.warnings, 0);
    mrs_bogon_result r;
    mrs_prefix p = P("1.10.20.0/24");
    assert_int_equal(mrs_bogon_check_prefix(s, &p, &r), MRS_BOGON_COVERED);
    assert_string_equal(r.entry->name, "SBL256894");
    assert_int_equal(r.entry->origin, MRS_BOGON_DROP);
    assert_int_equal(r.entry->line, 5);
    p = P("2.57.122.0/24");
    assert_int_equal(mrs_bogon_check_prefix(s, &p, &r), MRS_BOGON_COVERED);
    assert_string_equal(r.entry->name, "SBL636050");
    assert_string_equal(r.entry->source, edrop);
    mrs_bogon_set_free(s);
}

static void malformed_lines_are_reported_skipped_counted(void **state)
{
    (void)state;
    static const char list[] =
        "# comment\n"
        "10.0.0.0/33\n"
        "hello\n"
        "10.0.0.1/8\n"
        "  192.0.2.0/24  # trailing comment\r\n"
        "1.2.3.0\n"
        "\n"
        "2001:db8::/32\n"
        "2001:db8::/129\n"
        "198.51.100.0/24";   /* no final newline */
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    mrs_diag d;
    mrs_diag_init(&d, f);
    mrs_bogon_set *s = mrs_bogon_set_new(0);
    assert_int_equal(mrs_bogon_load_list_mem(s, list, sizeof list - 1, "x.txt", &d), 0);
    fclose(f);
    assert_int_equal(d.errors, 5);
    assert_int_equal(mrs_bogon_count(s), 3);
    assert_string_equal(out,
                        "x.txt:2: bad prefix \"10.0.0.0/33\"\n"
                        "x.txt:3: missing prefix length in \"hello\"\n"
                        "x.txt:4: host bits set in \"10.0.0.1/8\"\n"
                        "x.txt:6: missing prefix length in \"1.2.3.0\"\n"
                        "x.txt:9: bad prefix \"2001:db8::/129\"\n");
    free(out);
    expect(s, "198.51.100.0/24", MRS_BOGON_COVERED, "198.51.100.0/24", "x.txt");
    assert_int_equal(mrs_bogon_entry_at(s, 2)->line, 10);

    static const char drop[] = "; Spamhaus\n1.2.3.0/24 ; SBL1\n5.6.7.0/24\n5.6.8.0/24 ;\nbad ; SBL2\n";
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_bogon_load_drop_mem(s, drop, sizeof drop - 1, "d.txt", &d), 0);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.warnings, 2);
    assert_int_equal(mrs_bogon_count(s), 6);
    expect(s, "5.6.7.0/24", MRS_BOGON_COVERED, "5.6.7.0/24", "d.txt");
    mrs_bogon_set_free(s);
}

/* Through the file reader: an overlong line is reported and skipped without
 * shifting line numbers, a final line without '\n' is a line, CRLF is fine. */
static void file_reader_long_lines_and_final_line(void **state)
{
    (void)state;
    size_t big = 2u << 20;
    char *buf = malloc(big + 200);
    assert_non_null(buf);
    size_t n = 0;
    n += (size_t)sprintf(buf + n, "10.0.0.0/8\r\n");
    memset(buf + n, 'A', big);
    n += big;
    n += (size_t)sprintf(buf + n, "\n192.168.0.0/16\n172.16.0.0/12");
    const char *path = tu_write_tmp("long.txt", buf, n);
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    mrs_diag d;
    mrs_diag_init(&d, f);
    mrs_bogon_set *s = mrs_bogon_set_new(0);
    assert_int_equal(mrs_bogon_load_list(s, path, &d), 0);
    fclose(f);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(out, "long.txt:2: line longer than 1048576 bytes, skipped\n"));
    free(out);
    assert_int_equal(mrs_bogon_count(s), 3);
    assert_int_equal(mrs_bogon_entry_at(s, 0)->line, 1);
    assert_int_equal(mrs_bogon_entry_at(s, 1)->line, 3);
    assert_int_equal(mrs_bogon_entry_at(s, 2)->line, 4);
    /* An empty file. */
    path = tu_write_tmp("empty.txt", "", 0);
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_bogon_load_list(s, path, &d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(mrs_bogon_count(s), 3);
    /* A file that is one endless line. */
    memset(buf, '1', big);
    path = tu_write_tmp("endless.txt", buf, big);
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_bogon_load_list(s, path, &d), 0);
    assert_int_equal(d.errors, 1);
    assert_int_equal(mrs_bogon_count(s), 3);
    mrs_bogon_set_free(s);
    free(buf);
}

static void missing_file_fails_cleanly(void **state)
{
    (void)state;
    mrs_bogon_set *s = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_bogon_load_list(s, "/nonexistent/bogons.txt", &d), -1);
    assert_int_equal(d.errors, 1);
    assert_int_equal(mrs_bogon_count(s), 59);
    mrs_bogon_set_free(s);
}

/* The registries as they stood at the time of the data: 6to4 relay anycast and the
 * 6bone were routable before RFC 7526 (2015) and RFC 3701's phase-out (2006). */
static void builtins_at_a_date(void **state)
{
    (void)state;
    mrs_bogon_set *now = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    mrs_bogon_set *y2002 = mrs_bogon_set_new_at(MRS_BOGON_WITH_BUILTIN, 1027377515);   /* 2002-07-22 */
    mrs_bogon_set *y2008 = mrs_bogon_set_new_at(MRS_BOGON_WITH_BUILTIN, 1203724800);   /* 2008-02-23 */
    mrs_bogon_set *y2016 = mrs_bogon_set_new_at(MRS_BOGON_WITH_BUILTIN, 1470931200);   /* 2016-08-11 */
    assert_non_null(now);
    assert_non_null(y2002);
    assert_non_null(y2008);
    assert_non_null(y2016);
    expect(now, "192.88.99.0/24", MRS_BOGON_COVERED, "192.88.99.0/24", NULL);
    expect(y2008, "192.88.99.0/24", MRS_BOGON_NO, NULL, NULL);
    expect(y2016, "192.88.99.0/24", MRS_BOGON_COVERED, "192.88.99.0/24", NULL);
    expect(y2008, "2002:c000:201::/48", MRS_BOGON_NO, NULL, NULL);
    expect(y2016, "2002:c000:201::/48", MRS_BOGON_COVERED, "2002::/16", NULL);
    expect(y2002, "3ffe:8000::/24", MRS_BOGON_NO, NULL, NULL);
    expect(y2008, "3ffe:8000::/24", MRS_BOGON_COVERED, "3ffe::/16", NULL);
    expect(y2008, "100.64.1.0/24", MRS_BOGON_NO, NULL, NULL);
    expect(y2016, "100.64.1.0/24", MRS_BOGON_COVERED, "100.64.0.0/10", NULL);
    /* what was always special stays so */
    expect(y2002, "10.1.0.0/16", MRS_BOGON_COVERED, "10.0.0.0/8", NULL);
    expect(y2002, "192.0.2.0/24", MRS_BOGON_COVERED, "192.0.2.0/24", NULL);
    assert_true(mrs_bogon_count(y2002) < mrs_bogon_count(now));
    mrs_bogon_set_free(now);
    mrs_bogon_set_free(y2002);
    mrs_bogon_set_free(y2008);
    mrs_bogon_set_free(y2016);
}

static void bogon_asns(void **state)
{
    (void)state;
    static const struct {
        uint32_t asn;
        const char *source;
    } yes[] = {
        {0, "RFC 7607"},          {23456, "RFC 6793"},      {64496, "RFC 5398"},
        {64511, "RFC 5398"},      {64512, "RFC 6996"},      {65000, "RFC 6996"},
        {65534, "RFC 6996"},      {65535, "RFC 7300"},      {65536, "RFC 5398"},
        {65551, "RFC 5398"},      {65552, "IANA AS Numbers registry"},
        {131071, "IANA AS Numbers registry"},               {4200000000u, "RFC 6996"},
        {4294967294u, "RFC 6996"}, {4294967295u, "RFC 7300"},
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        const mrs_bogon_asn_range *why = NULL;
        if (!mrs_bogon_asn(yes[i].asn, &why))
            fail_msg("AS%u should be a bogon", yes[i].asn);
        assert_string_equal(why->source, yes[i].source);
    }
    static const uint32_t no[] = {1, 174, 3356, 23455, 23457, 64495, 131072, 396982, 4199999999u};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        const mrs_bogon_asn_range *why = (const void *)1;
        if (mrs_bogon_asn(no[i], &why))
            fail_msg("AS%u should not be a bogon", no[i]);
        assert_null(why);
    }
    size_t n;
    const mrs_bogon_asn_range *t = mrs_bogon_asn_table(&n);
    assert_int_equal(n, 9);
    for (size_t i = 1; i < n; i++)
        assert_true(t[i].first > t[i - 1].last);
    const uint32_t path[] = {3356, 64512, 174, 0, 23456, 65536};
    size_t pos[8];
    assert_int_equal(mrs_bogon_path_asns(path, 6, NULL, pos, 8), 4);
    assert_int_equal(pos[0], 1);
    assert_int_equal(pos[1], 3);
    assert_int_equal(pos[2], 4);
    assert_int_equal(pos[3], 5);
    assert_int_equal(mrs_bogon_path_asns(path, 6, NULL, pos, 2), 4);   /* counted beyond max */
    assert_int_equal(mrs_bogon_path_asns(path, 0, NULL, pos, 8), 0);
}

/* The index against brute force: random nested prefixes (IPv4 and IPv6, many
 * duplicates and nestings, a quarter of them exceptions), random routes; checks
 * match and the exact evidence entry: the earliest bogon entry of the longest
 * covering prefix; else the first bogon entry strictly inside in (address, length,
 * insertion) order; else the earliest exception of the longest covering prefix. */
static void index_matches_brute_force(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
#define RND() (seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17, seed)
    for (int round = 0; round < 40; round++) {
        mrs_bogon_set *s = mrs_bogon_set_new(0);
        enum { N = 120 };
        mrs_prefix ent[N];
        bool exc[N];
        for (int i = 0; i < N; i++) {
            mrs_prefix p;
            memset(&p, 0, sizeof p);
            p.afi = (round & 1) ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
            uint64_t x = RND();
            /* Few distinct leading bits so that prefixes nest and collide. */
            p.addr[0] = (uint8_t)(0x20 | (x & 0x3));
            p.addr[1] = (uint8_t)((x >> 8) & 0xc1);
            p.addr[2] = (uint8_t)(x >> 16);
            p.addr[3] = (uint8_t)(x >> 24);
            unsigned bits = mrs_afi_bits(p.afi);
            p.len = (uint8_t)(RND() % (bits == 32 ? 33 : 40));
            mrs_prefix_mask(&p);
            ent[i] = p;
            exc[i] = RND() % 4 == 0;
            assert_int_equal(mrs_bogon_add(s, &p, "r", "rand", exc[i]), 0);
        }
        for (int q = 0; q < 400; q++) {
            mrs_prefix r;
            if (q < N) {
                r = ent[q];   /* exact matches */
            } else {
                memset(&r, 0, sizeof r);
                r.afi = (round & 1) ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
                uint64_t x = RND();
                r.addr[0] = (uint8_t)(0x20 | (x & 0x3));
                r.addr[1] = (uint8_t)((x >> 8) & 0xc1);
                r.addr[2] = (uint8_t)(x >> 16);
                r.addr[3] = (uint8_t)(x >> 24);
                r.len = (uint8_t)(RND() % (r.afi == MRS_AFI_IPV4 ? 33 : 48));
                mrs_prefix_mask(&r);
            }
            int best = -1, bogon = -1, except = -1, inner = -1;
            for (int i = 0; i < N; i++)
                if (mrs_prefix_covers(&ent[i], &r) && (best < 0 || ent[i].len > ent[best].len))
                    best = i;
            for (int i = 0; i < N && best >= 0; i++) {
                if (!mrs_prefix_equal(&ent[i], &ent[best]))
                    continue;
                if (!exc[i] && bogon < 0)
                    bogon = i;
                if (exc[i] && except < 0)
                    except = i;
            }
            for (int i = 0; i < N; i++)
                if (!exc[i] && ent[i].len > r.len && mrs_prefix_covers(&r, &ent[i]) &&
                    (inner < 0 || mrs_prefix_cmp(&ent[i], &ent[inner]) < 0))
                    inner = i;
            mrs_bogon_result res;
            mrs_bogon_match m = mrs_bogon_check_prefix(s, &r, &res);
            if (bogon >= 0) {
                assert_int_equal(m, MRS_BOGON_COVERED);
                assert_ptr_equal(res.entry, mrs_bogon_entry_at(s, (size_t)bogon));
            } else if (inner >= 0) {
                assert_int_equal(m, MRS_BOGON_OVERLAPS);
                assert_ptr_equal(res.entry, mrs_bogon_entry_at(s, (size_t)inner));
            } else {
                assert_int_equal(m, MRS_BOGON_NO);
                assert_ptr_equal(res.entry, except >= 0 ? mrs_bogon_entry_at(s, (size_t)except) : NULL);
            }
        }
        mrs_bogon_set_free(s);
    }
#undef RND
}

/* Beacon lists: the built-in RIS beacons with AS12654 only, a loaded entry with or
 * without an origin, the most specific entry decides, bad lines FILE:LINE. */
static void beacon_lists(void **state)
{
    (void)state;
    mrs_prefix ris = P("84.205.76.0/24"), anchor = P("2001:7fb:fd00::/48"), lab = P("198.51.100.0/24");
    /* a NULL set is the built-in list */
    assert_non_null(mrs_beacon_match(NULL, &ris, 12654));
    assert_non_null(mrs_beacon_match(NULL, &anchor, 12654));
    assert_null(mrs_beacon_match(NULL, &ris, 3333));     /* someone else in beacon space */
    mrs_prefix wide = P("84.205.0.0/16");
    assert_null(mrs_beacon_match(NULL, &wide, 12654));   /* less specific than the list */
    mrs_beacon_set *s = mrs_beacon_set_new(false);
    assert_null(mrs_beacon_match(s, &ris, 12654));
    mrs_beacon_set_free(s);

    static const char list[] =
        "# research beacons\n"
        "198.51.100.0/24 AS3130\n"
        "198.51.100.0/24 as3333   # a second origin of the same beacon\n"
        "198.51.0.0/16\n"
        "198.51.100.1/24 3130\n"
        "10.0.0.0/7 3130\n"
        "2000::/12\n"
        "203.0.113.0/24 AS0\n"
        "203.0.113.0/24 AS64512\n"
        "203.0.113.0/24 ASx\n"
        "203.0.113.0 3130\n"
        "203.0.113.0/24 3130 3333\n"
        "  \t\n"
        "2001:db8:1::/48 AS3130";   /* no final newline */
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    mrs_diag d;
    mrs_diag_init(&d, f);
    s = mrs_beacon_set_new(true);
    assert_int_equal(mrs_beacon_count(s), 4);
    assert_int_equal(mrs_beacon_load_mem(s, list, sizeof list - 1, "b.txt", &d), 0);
    fclose(f);
    assert_string_equal(out,
                        "b.txt:5: host bits set in \"198.51.100.1/24\"\n"
                        "b.txt:6: \"10.0.0.0/7\" is too broad for a beacon (IPv4 /8, IPv6 /16 at most)\n"
                        "b.txt:7: \"2000::/12\" is too broad for a beacon (IPv4 /8, IPv6 /16 at most)\n"
                        "b.txt:8: origin AS0 is reserved (Reserved (AS 0), RFC 7607): it originates nothing\n"
                        "b.txt:9: origin AS64512 is reserved (Private Use, RFC 6996): it originates nothing\n"
                        "b.txt:10: bad origin AS \"ASx\"\n"
                        "b.txt:11: missing prefix length in \"203.0.113.0\"\n"
                        "b.txt:12: unexpected \"3333\" after the origin (prefix [origin])\n");
    free(out);
    assert_int_equal(d.errors, 8);
    assert_int_equal(mrs_beacon_count(s), 8);
    /* the most specific entry with a fitting origin, the first listed on a tie */
    const mrs_beacon *b = mrs_beacon_match(s, &lab, 3130);
    assert_non_null(b);
    assert_int_equal(b->line, 2);
    assert_string_equal(b->source, "b.txt");
    b = mrs_beacon_match(s, &lab, 3333);
    assert_non_null(b);
    assert_int_equal(b->line, 3);
    b = mrs_beacon_match(s, &lab, 174);   /* another origin: the /16 for any origin */
    assert_non_null(b);
    assert_int_equal(b->line, 4);
    assert_int_equal(b->origin, 0);
    mrs_prefix other = P("198.52.0.0/24"), v6 = P("2001:db8:1:2::/64");
    assert_null(mrs_beacon_match(s, &other, 3130));
    assert_false(mrs_beacon_space(s, &other));
    assert_true(mrs_beacon_space(s, &lab));
    assert_true(mrs_beacon_space(NULL, &ris));
    assert_false(mrs_beacon_space(NULL, &lab));
    b = mrs_beacon_match(s, &v6, 3130);
    assert_non_null(b);
    assert_int_equal(b->line, 14);
    assert_null(mrs_beacon_match(s, &v6, 3333));
    b = mrs_beacon_match(s, &ris, 12654);   /* the built-ins stay */
    assert_non_null(b);
    assert_string_equal(b->source, "built-in");
    /* mrs_beacon_add takes what the loader refuses as too broad: still found */
    mrs_prefix v4wide = P("64.0.0.0/3"), v6wide = P("3000::/5"), in4 = P("95.1.0.0/16"), in6 = P("3600::/24");
    assert_null(mrs_beacon_match(s, &in4, 3333));
    assert_int_equal(mrs_beacon_add(s, &v4wide, 3333, "added"), 0);
    assert_int_equal(mrs_beacon_add(s, &v6wide, 0, "added"), 0);
    assert_non_null(mrs_beacon_match(s, &in4, 3333));
    assert_null(mrs_beacon_match(s, &other, 3333));   /* 198.52.0.0/24: outside 64.0.0.0/3 */
    assert_non_null(mrs_beacon_match(s, &in6, 1));
    mrs_prefix out6 = P("2a00::/24");
    assert_null(mrs_beacon_match(s, &out6, 1));
    assert_int_equal(mrs_beacon_count(s), 10);
    /* through the file reader: a missing file fails, a binary one is not a list */
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_beacon_load(s, "/nonexistent/beacons.txt", &d), -1);
    assert_int_equal(d.errors, 1);
    const char *path = tu_write_tmp("beacons.bin", "\x00\x01\x02\x03garbage", 11);
    assert_int_equal(mrs_beacon_load(s, path, &d), -1);
    assert_int_equal(d.errors, 2);
    path = tu_write_tmp("beacons.txt", "192.0.2.0/24 AS3130\n", 20);
    assert_int_equal(mrs_beacon_load(s, path, &d), 0);
    assert_int_equal(mrs_beacon_count(s), 11);
    mrs_beacon_set_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtin_ipv4_special_purpose),
        cmocka_unit_test(builtin_ipv6_special_purpose_and_exceptions),
        cmocka_unit_test(builtin_families_are_selectable),
        cmocka_unit_test(builtins_at_a_date),
        cmocka_unit_test(fullbogons_ipv4_real_list),
        cmocka_unit_test(fullbogons_ipv6_real_list),
        cmocka_unit_test(spamhaus_drop_and_edrop),
        cmocka_unit_test(malformed_lines_are_reported_skipped_counted),
        cmocka_unit_test(file_reader_long_lines_and_final_line),
        cmocka_unit_test(missing_file_fails_cleanly),
        cmocka_unit_test(bogon_asns),
        cmocka_unit_test(index_matches_brute_force),
        cmocka_unit_test(beacon_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
