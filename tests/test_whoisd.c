/* test_whoisd.c — the whois query engine (src/apps/whoisd/whois_query.c) on a crafted
 * RPSL database, with the exact answer bytes of every query kind: IRRd framing
 * (A<n> ... C, C, D, F), !! persistence and one-shot closing, source selection,
 * !i cycles, unknown sets, malformed queries, RIPE-style flag queries; plus the
 * irr_query.h lookups the engine relies on (prefix relations, aggregation). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/irr_query.h"
#include "manrs/apps/whoisd.h"

static const char DB[] =
    "as-set: AS-TOP\nmembers: AS3333, AS-MID, AS1\nsource: TEST\n\n"
    "as-set: AS-MID\nmembers: AS2, AS-TOP\nsource: TEST\n\n"   /* cycle back to AS-TOP */
    "as-set: AS-LONE\nmembers: AS-NOWHERE\nsource: TEST\n\n"
    "route-set: RS-ONE\nmembers: 192.0.2.0/24^+, RS-TWO\nmp-members: 2001:db8::/32\nsource: TEST\n\n"
    "route-set: RS-TWO\nmembers: 198.51.100.0/24\nsource: TEST\n\n"
    "route: 192.0.2.0/24\norigin: AS1\nmnt-by: MNT-A\nsource: TEST\n\n"
    "route: 192.0.2.0/25\norigin: AS1\nsource: TEST\n\n"
    "route: 192.0.2.128/25\norigin: AS1\nsource: TEST\n\n"
    "route: 192.0.0.0/16\norigin: AS2\nsource: TEST\n\n"
    "route: 192.0.2.0/24\norigin: AS2\nsource: OTHER\n\n"
    "route6: 2001:db8::/32\norigin: AS1\nsource: TEST\n\n"
    "route6: 2001:db8:1::/48\norigin: AS1\nsource: TEST\n\n"
    "aut-num: AS1\nas-name: EXAMPLE\nadmin-c: ADM1-TEST\ntech-c: TECH1-TEST\nmnt-by: MNT-A\nsource: TEST\n\n"
    "mntner: MNT-A\nupd-to: a@example.net\nauth: CRYPT-PW x\nmnt-by: MNT-A\nsource: TEST\n\n"
    "as-set: AS-L1\nmembers: AS10, AS-L2\nsource: TEST\n\n"   /* a chain 2 levels deep */
    "as-set: AS-L2\nmembers: AS11, AS-L3\nsource: TEST\n\n"
    "as-set: AS-L3\nmembers: AS12\nsource: TEST\n";

typedef struct fx {
    irr_db *db;
    whois_session s;
    mrs_outbuf out;
    mrs_diag diag;
    char *text;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    mrs_diag_init(&f->diag, NULL);   /* count only: cycle warnings are expected */
    f->db = irr_db_new(&f->diag);
    assert_non_null(f->db);
    assert_int_equal(irr_db_set_source_order(f->db, "TEST,OTHER"), 0);
    assert_int_equal(irr_db_load_mem(f->db, DB, sizeof DB - 1, "db"), 0);
    assert_int_equal(irr_db_finalize(f->db), 0);
    whois_session_init(&f->s);
    mrs_outbuf_init(&f->out, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    whois_session_clear(&f->s);
    mrs_outbuf_close(&f->out);
    irr_db_free(f->db);
    free(f->text);
    free(f);
    return 0;
}

/* Answer one query; returns the answer as a NUL-terminated string. */
static const char *Q(fx *f, const char *q)
{
    f->out.len = 0;
    whois_answer(f->db, &f->s, "manrs whoisd test", q, strlen(q), &f->out);
    free(f->text);
    f->text = malloc(f->out.len + 1);
    assert_non_null(f->text);
    memcpy(f->text, f->out.buf, f->out.len);
    f->text[f->out.len] = 0;
    return f->text;
}

static void test_framing_and_persistence(void **state)
{
    fx *f = *state;
    /* One-shot: without !! the first answered query ends the session. */
    assert_string_equal(Q(f, "!v"), "A18\nmanrs whoisd test\nC\n");
    assert_true(f->s.quit);
    whois_session_clear(&f->s);
    whois_session_init(&f->s);
    assert_string_equal(Q(f, "!!"), "");     /* no answer at all */
    assert_false(f->s.quit);
    assert_true(f->s.persistent);
    assert_string_equal(Q(f, "!nbgpq4 1.9"), "C\n");
    assert_string_equal(f->s.client, "bgpq4 1.9");
    assert_string_equal(Q(f, "!v\r"), "A18\nmanrs whoisd test\nC\n");   /* CRLF clients */
    assert_string_equal(Q(f, ""), "");       /* empty lines ignored */
    assert_false(f->s.quit);
    assert_string_equal(Q(f, "!t60"), "C\n");
    assert_int_equal(f->s.timeout_s, 60);
    assert_string_equal(Q(f, "!t0"), "F Invalid timeout: 1 to 1000 seconds\n");
    assert_string_equal(Q(f, "!tabc"), "F Invalid timeout: 1 to 1000 seconds\n");
    assert_string_equal(Q(f, "!q"), "");
    assert_true(f->s.quit);
}

/* The server's limits: answered with F, never a silently shorter answer. */
static void test_limits(void **state)
{
    fx *f = *state;
    f->s.persistent = true;
    assert_string_equal(Q(f, "!iAS-L1,1"), "A15\nAS10 AS11 AS12\nC\n");   /* default depth 32 */
    f->s.max_depth = 2;
    assert_string_equal(Q(f, "!iAS-L1,1"), "A15\nAS10 AS11 AS12\nC\n");
    f->s.max_depth = 1;
    assert_string_equal(Q(f, "!iAS-L1,1"), "F Set AS-L1 is nested deeper than 1 levels (the server's limit)\n");
    assert_string_equal(Q(f, "!a4AS-L1"), "F Set AS-L1 is nested deeper than 1 levels (the server's limit)\n");
    assert_string_equal(Q(f, "!iAS-L2,1"), "A10\nAS11 AS12\nC\n");
    f->s.max_depth = 0;
    f->s.max_set_size = 2;
    assert_string_equal(Q(f, "!iAS-L1,1"), "F Set AS-L1 expands to more than 2 members (the server's limit)\n");
    assert_string_equal(Q(f, "!iAS-L1"), "A11\nAS10 AS-L2\nC\n");   /* direct members: no expansion */
    assert_string_equal(Q(f, "!iRS-ONE,1"), "F Set RS-ONE expands to more than 2 members (the server's limit)\n");
    assert_string_equal(Q(f, "!iAS-L2,1"), "A10\nAS11 AS12\nC\n");
    f->s.max_set_size = 0;
    f->s.answer_limit = 16;
    assert_string_equal(Q(f, "!v"), "F Answer too large: more than 16 bytes (the server's limit)\n");
    assert_true(f->s.over_limit);
    assert_string_equal(Q(f, "!iAS-L2,1"), "A10\nAS11 AS12\nC\n");   /* 9 bytes: within the limit */
    assert_false(f->s.over_limit);
    assert_string_equal(Q(f, "!r0.0.0.0/0,M"), "F Answer too large: more than 16 bytes (the server's limit)\n");
    assert_true(f->s.over_limit);
    assert_string_equal(Q(f, "-M 0.0.0.0/0"), "%% Answer too large: more than 16 bytes (the server's limit)\n\n");
    f->s.answer_limit = 0;
    assert_false(f->s.quit);
}

static void test_sources(void **state)
{
    fx *f = *state;
    f->s.persistent = true;
    assert_string_equal(Q(f, "!s-lc"), "A11\nTEST,OTHER\nC\n");
    assert_string_equal(Q(f, "!sother"), "C\n");
    assert_string_equal(Q(f, "!s-lc"), "A6\nOTHER\nC\n");
    assert_string_equal(Q(f, "!gAS1"), "C\n");            /* AS1's routes are all in TEST */
    assert_string_equal(Q(f, "!gas2"), "A13\n192.0.2.0/24\nC\n");
    assert_string_equal(Q(f, "!sNOPE"), "F Unknown source(s) or empty list; !s-lc lists the sources\n");
    assert_string_equal(Q(f, "!s-lc"), "A6\nOTHER\nC\n");  /* unchanged by the failed !s */
    assert_string_equal(Q(f, "!sOTHER,TEST"), "C\n");
    assert_string_equal(Q(f, "!s-lc"), "A11\nOTHER,TEST\nC\n");
    assert_string_equal(Q(f, "!j-*"), "A23\nTEST:N:0-0\nOTHER:N:0-0\nC\n");
    assert_string_equal(Q(f, "!jtest"), "A11\nTEST:N:0-0\nC\n");
    assert_string_equal(Q(f, "!jNOPE"), "F Unknown source\n");
    assert_false(f->s.quit);
}

static void test_origin_queries(void **state)
{
    fx *f = *state;
    f->s.persistent = true;
    assert_string_equal(Q(f, "!gas1"), "A41\n192.0.2.0/24 192.0.2.0/25 192.0.2.128/25\nC\n");
    assert_string_equal(Q(f, "!gAS2"), "A26\n192.0.0.0/16 192.0.2.0/24\nC\n");
    assert_string_equal(Q(f, "!6AS1"), "A30\n2001:db8::/32 2001:db8:1::/48\nC\n");
    assert_string_equal(Q(f, "!6AS2"), "C\n");
    assert_string_equal(Q(f, "!gAS99"), "C\n");
    assert_string_equal(Q(f, "!g"), "F Invalid AS number\n");
    assert_string_equal(Q(f, "!gASX"), "F Invalid AS number\n");
    assert_string_equal(Q(f, "!gAS99999999999"), "F Invalid AS number\n");
}

static void test_set_queries(void **state)
{
    fx *f = *state;
    f->s.persistent = true;
    assert_string_equal(Q(f, "!iAS-TOP"), "A18\nAS3333 AS-MID AS1\nC\n");
    /* Recursive: the cycle AS-TOP -> AS-MID -> AS-TOP is cut, not looped. */
    assert_string_equal(Q(f, "!iAS-TOP,1"), "A15\nAS1 AS2 AS3333\nC\n");
    assert_string_equal(Q(f, "!ias-mid,1"), "A15\nAS1 AS2 AS3333\nC\n");
    assert_string_equal(Q(f, "!iAS-LONE,1"), "C\n");     /* exists, expands to nothing */
    assert_string_equal(Q(f, "!iAS-NOWHERE"), "D\n");
    assert_string_equal(Q(f, "!iAS-NOWHERE,1"), "D\n");
    assert_string_equal(Q(f, "!iRS-ONE"), "A36\n192.0.2.0/24^+ RS-TWO 2001:db8::/32\nC\n");
    assert_string_equal(Q(f, "!iRS-ONE,1"), "A45\n192.0.2.0/24^+ 198.51.100.0/24 2001:db8::/32\nC\n");
    assert_string_equal(Q(f, "!i"), "F Invalid set name\n");
    assert_string_equal(Q(f, "!iAS-TOP,2"), "F Invalid set name\n");
    assert_string_equal(Q(f, "!iAS1"), "D\n");            /* an AS number is not a set */
    /* !a: the exact IRRd text for the bare probe (bgpq4 compares it). */
    assert_string_equal(Q(f, "!a"), "F Missing required set name for A query\n");
    assert_string_equal(Q(f, "!a4AS-TOP"), "A54\n192.0.0.0/16 192.0.2.0/24 192.0.2.0/25 192.0.2.128/25\nC\n");
    assert_string_equal(Q(f, "!a6AS-TOP"), "A30\n2001:db8::/32 2001:db8:1::/48\nC\n");
    assert_string_equal(Q(f, "!aAS-TOP"),
                        "A84\n192.0.0.0/16 192.0.2.0/24 192.0.2.0/25 192.0.2.128/25 2001:db8::/32 "
                        "2001:db8:1::/48\nC\n");
    assert_string_equal(Q(f, "!a4RS-ONE"), "A29\n192.0.2.0/24 198.51.100.0/24\nC\n");
    assert_string_equal(Q(f, "!a4AS-NOWHERE"), "D\n");
    assert_false(f->s.quit);
}

static void test_route_queries(void **state)
{
    fx *f = *state;
    f->s.persistent = true;
    assert_string_equal(Q(f, "!r192.0.2.0/24,o"), "A8\nAS1 AS2\nC\n");
    assert_string_equal(Q(f, "!r192.0.2.0/24"),
                        "A164\n"
                        "route:          192.0.2.0/24\norigin:         AS1\nmnt-by:         MNT-A\n"
                        "source:         TEST\n\n"
                        "route:          192.0.2.0/24\norigin:         AS2\nsource:         OTHER\n"
                        "C\n");
    /* one level less specific: the /24 objects, not the /16 */
    assert_string_equal(Q(f, "!r192.0.2.0/25,o"), "A4\nAS1\nC\n");
    const char *l = Q(f, "!r192.0.2.0/25,l");
    assert_non_null(strstr(l, "192.0.2.0/24"));
    assert_null(strstr(l, "192.0.0.0/16"));
    assert_null(strstr(l, "192.0.2.0/25"));
    const char *L = Q(f, "!r192.0.2.0/25,L");
    assert_non_null(strstr(L, "192.0.2.0/25"));
    assert_non_null(strstr(L, "192.0.2.0/24"));
    assert_non_null(strstr(L, "192.0.0.0/16"));
    const char *M = Q(f, "!r192.0.0.0/16,M");
    assert_int_equal(strncmp(M, "A", 1), 0);
    assert_null(strstr(M, "192.0.0.0/16"));
    assert_non_null(strstr(M, "192.0.2.128/25"));
    assert_string_equal(Q(f, "!r198.51.100.0/24"), "C\n");
    assert_string_equal(Q(f, "!r2001:db8:1::/48,o"), "A4\nAS1\nC\n");
    assert_string_equal(Q(f, "!r192.0.2.1/24"), "F Invalid prefix\n");    /* host bits */
    assert_string_equal(Q(f, "!r192.0.2.0"), "F Invalid prefix\n");
    assert_string_equal(Q(f, "!r192.0.2.0/33"), "F Invalid prefix\n");
    assert_string_equal(Q(f, "!r192.0.2.0/24,x"), "F Invalid option: use ,o ,l ,L or ,M\n");
    assert_string_equal(Q(f, "!r192.0.2.0/24,oo"), "F Invalid option: use ,o ,l ,L or ,M\n");
}

static void test_match_queries(void **state)
{
    fx *f = *state;
    f->s.persistent = true;
    assert_string_equal(Q(f, "!maut-num,AS1"),
                        "A140\naut-num:        AS1\nas-name:        EXAMPLE\nadmin-c:        ADM1-TEST\n"
                        "tech-c:         TECH1-TEST\nmnt-by:         MNT-A\nsource:         TEST\nC\n");
    assert_string_equal(Q(f, "!mas-set,as-mid"),
                        "A87\nas-set:         AS-MID\nmembers:        AS2\nmembers:        AS-TOP\n"
                        "source:         TEST\nC\n");
    assert_string_equal(Q(f, "!mroute-set,RS-ONE"),
                        "A128\nroute-set:      RS-ONE\nmembers:        192.0.2.0/24^+\nmembers:        RS-TWO\n"
                        "mp-members:     2001:db8::/32\nsource:         TEST\nC\n");
    assert_string_equal(Q(f, "!mroute,192.0.2.0/24AS2"),
                        "A71\nroute:          192.0.2.0/24\norigin:         AS2\nsource:         OTHER\nC\n");
    assert_string_equal(Q(f, "!mroute6,2001:db8::/32AS1"),
                        "A71\nroute6:         2001:db8::/32\norigin:         AS1\nsource:         TEST\nC\n");
    assert_string_equal(Q(f, "!mroute,192.0.2.0/24AS9"), "D\n");
    assert_string_equal(Q(f, "!mroute,192.0.2.0/24"),
                        "F Invalid route key: use <prefix><origin>, e.g. 192.0.2.0/24AS65000\n");
    assert_string_equal(Q(f, "!mroute6,192.0.2.0/24AS2"),
                        "F Invalid route key: use <prefix><origin>, e.g. 192.0.2.0/24AS65000\n");
    assert_string_equal(Q(f, "!mas-set,AS-NOWHERE"), "D\n");
    assert_string_equal(Q(f, "!maut-num,AS2"), "D\n");
    assert_string_equal(Q(f, "!mas-set,RS-ONE"), "D\n");      /* wrong class */
    assert_string_equal(Q(f, "!mmntner,mnt-a"), "A43\nmntner:         MNT-A\nsource:         TEST\nC\n");
    assert_string_equal(Q(f, "!minetnum,192.0.2.0"), "F Unknown or unsupported object class\n");
    assert_string_equal(Q(f, "!maut-num"), "F Invalid query: use !m<object-class>,<primary-key>\n");
    assert_string_equal(Q(f, "!m,AS1"), "F Invalid query: use !m<object-class>,<primary-key>\n");
}

static void test_malformed(void **state)
{
    fx *f = *state;
    f->s.persistent = true;
    assert_string_equal(Q(f, "!"), "F Unrecognised command\n");
    assert_string_equal(Q(f, "!x"), "F Unrecognised command\n");
    assert_string_equal(Q(f, "!!extra"), "F !! takes no parameters\n");
    char nul[] = "!gAS1\0x";
    f->out.len = 0;
    whois_answer(f->db, &f->s, "v", nul, sizeof nul - 1, &f->out);
    assert_int_equal(f->out.len, strlen("F Invalid query (NUL byte)\n"));
    assert_memory_equal(f->out.buf, "F Invalid query (NUL byte)\n", f->out.len);
    /* Long names are refused, not truncated into another name. */
    char big[600];
    memset(big, 'A', sizeof big);
    memcpy(big, "!iAS-", 5);
    big[sizeof big - 1] = 0;
    assert_string_equal(Q(f, big), "F Invalid set name\n");
    assert_false(f->s.quit);
    /* The session survives every error. */
    assert_string_equal(Q(f, "!gAS2"), "A26\n192.0.0.0/16 192.0.2.0/24\nC\n");
}

static void test_ripe_style(void **state)
{
    fx *f = *state;
    assert_string_equal(Q(f, "-k"), "");
    assert_true(f->s.persistent);
    assert_string_equal(Q(f, "-i origin AS2"),
                        "route:          192.0.0.0/16\norigin:         AS2\nsource:         TEST\n\n"
                        "route:          192.0.2.0/24\norigin:         AS2\nsource:         OTHER\n\n");
    assert_string_equal(Q(f, "-K -i origin AS2"),
                        "route:          192.0.0.0/16\norigin:         AS2\n\n"
                        "route:          192.0.2.0/24\norigin:         AS2\n\n");
    assert_string_equal(Q(f, "-T route6 -K -i origin AS1"),
                        "route6:         2001:db8::/32\norigin:         AS1\n\n"
                        "route6:         2001:db8:1::/48\norigin:         AS1\n\n");
    assert_string_equal(Q(f, "-K AS-MID"), "as-set:         AS-MID\nmembers:        AS2\nmembers:        AS-TOP\n\n");
    assert_string_equal(Q(f, "-K -T as-set AS1"), "%  No entries found for the selected source(s).\n\n");
    assert_string_equal(Q(f, "-K AS1"), "aut-num:        AS1\n\n");
    assert_string_equal(Q(f, "-K -x 192.0.2.0/25"), "route:          192.0.2.0/25\norigin:         AS1\n\n");
    /* A bare prefix: all less specifics, the exact ones included (IRRd). */
    const char *L = Q(f, "-K 192.0.2.128/25");
    assert_non_null(strstr(L, "192.0.2.128/25"));
    assert_non_null(strstr(L, "192.0.0.0/16"));
    assert_string_equal(Q(f, "-s OTHER -K -i origin AS2"), "route:          192.0.2.0/24\norigin:         AS2\n\n");
    assert_string_equal(Q(f, "-a -K -i origin AS1 -T route"),
                        "route:          192.0.2.0/24\norigin:         AS1\n\n"
                        "route:          192.0.2.0/25\norigin:         AS1\n\n"
                        "route:          192.0.2.128/25\norigin:         AS1\n\n");
    assert_string_equal(Q(f, "-i mnt-by MNT-A"), "%% Inverse lookup is supported for the origin attribute only\n\n");
    assert_string_equal(Q(f, "-i origin"), "%% Missing search key\n\n");
    assert_string_equal(Q(f, "-i"), "%% Flag needs an argument\n\n");
    assert_string_equal(Q(f, "-T bogus AS1"), "%% Unknown or unsupported object class in -T\n\n");
    assert_string_equal(Q(f, "-Z AS1"), "%% Unsupported flag\n\n");
    assert_string_equal(Q(f, "AS1 AS2"), "%% Only one search key per query\n\n");
    assert_string_equal(Q(f, "AS-NOWHERE"), "%  No entries found for the selected source(s).\n\n");
    assert_false(f->s.quit);
    assert_string_equal(Q(f, "-k"), "");   /* second -k ends keep-alive */
    assert_true(f->s.quit);
}

static void test_ripe_one_shot(void **state)
{
    fx *f = *state;
    assert_string_equal(Q(f, "-K AS1"), "aut-num:        AS1\n\n");
    assert_true(f->s.quit);
}

static void test_aggregate(void **state)
{
    (void)state;
    mrs_prefix v[8];
    const char *in[] = {"10.0.0.0/25", "10.0.0.128/25", "10.0.1.0/24", "10.0.0.64/26", "192.0.2.0/24",
                        "2001:db8::/33", "2001:db8:8000::/33", "10.0.3.0/24"};
    for (int i = 0; i < 8; i++)
        assert_true(mrs_prefix_parse(in[i], strlen(in[i]), &v[i], true));
    size_t n = irr_prefix_aggregate(v, 8);
    const char *want[] = {"10.0.0.0/23", "10.0.3.0/24", "192.0.2.0/24", "2001:db8::/32"};
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        char ps[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&v[i], ps);
        assert_string_equal(ps, want[i]);
    }
    assert_int_equal(irr_prefix_aggregate(v, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_framing_and_persistence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(test_origin_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_route_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_match_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ripe_style, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ripe_one_shot, setup, teardown),
        cmocka_unit_test(test_aggregate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
