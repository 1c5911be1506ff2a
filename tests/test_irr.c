/* test_irr.c — the IRR database (irrdb.c), set expansion (expand.c) and the
 * route-origin check (check.c) on hand-written RPSL with exact expected values:
 * malformed objects with FILE:LINE messages, sources and priorities, as-set
 * cycles, depth limit, hierarchical names, mbrs-by-ref, route-set range
 * operators, route-origin states with evidence; the name interner's case folding
 * and its path for names whose 64-bit hashes collide. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "manrs/kb/irr.h"
#include "manrs/kb/irr_query.h"
#include "../src/kb/irr/irr_internal.h"

/* Captured diagnostics. */
typedef struct cap {
    char *buf;
    size_t len;
    FILE *f;
    mrs_diag d;
} cap;

static void cap_open(cap *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
    mrs_diag_init(&c->d, c->f);
}

static const char *cap_text(cap *c)
{
    fflush(c->f);
    return c->buf;
}

static void cap_reset(cap *c)
{
    fclose(c->f);
    free(c->buf);
    cap_open(c);
}

static void cap_close(cap *c)
{
    fclose(c->f);
    free(c->buf);
}

static mrs_prefix P(const char *s)
{
    mrs_prefix p;
    assert_true(mrs_prefix_parse(s, strlen(s), &p, true));
    return p;
}

/* ------------------------------------------------------------------ loading */

static const char LOAD[] =
    "route: 192.0.2.0/24\n"          /* 1 */
    "origin: AS64500\n"
    "mnt-by: MNT-A, MNT-B\n"
    "source: RIPE\n"
    "\n"
    "route: 192.0.2.1/24\n"          /* 6: host bits */
    "origin: AS1\n"
    "source: RIPE\n"
    "\n"
    "route: 2001:db8::/32\n"         /* 10: IPv6 in route: */
    "origin: AS1\n"
    "source: RIPE\n"
    "\n"
    "ROUTE6: 2001:DB8::/32\n"        /* 14 */
    "origin: as64501\n"
    "source: radb\n"
    "\n"
    "route: 198.51.100.0/24\n"       /* 18: no origin */
    "source: RIPE\n"
    "\n"
    "route: 198.51.100.0/24\n"       /* 21 */
    "origin: 64500\n"                /* 22: not an RPSL AS number */
    "source: RIPE\n"
    "\n"
    "aut-num: AS64500\n"             /* 25 */
    "as-name: EXAMPLE\n"
    "admin-c: AA1-RIPE\n"
    "tech-c: TT1-RIPE\n"
    "tech-c: TT2-RIPE\n"
    "import: from AS1 accept ANY\n"
    "mp-import: afi ipv6.unicast from AS1 accept ANY\n"
    "export: to AS1 announce AS64500\n"
    "mnt-by: MNT-A\n"
    "source: RIPE\n"
    "\n"
    "aut-num: ASX\n"                 /* 36 */
    "source: RIPE\n"
    "\n"
    "as-set: AS-FOO\n"               /* 39 */
    "members: AS1, AS2, AS-BAR, junk!, RS-NOPE\n"
    "source: RIPE\n"
    "\n"
    "as-set: FOO\n"                  /* 43 */
    "source: RIPE\n"
    "\n"
    "route: 203.0.113.0/24\n"        /* 46 */
    "origin: AS1\n"
    "origin: AS2\n"                  /* 48: twice */
    "source: RIPE\n"
    "\n"
    "person: John Doe\n"             /* 51: no nic-hdl */
    "source: RIPE\n"
    "\n"
    "person: Jane Roe\n"             /* 54 */
    "nic-hdl: JR1-RIPE\n"
    "e-mail: jane@example.net\n"
    "source: RIPE\n"
    "\n"
    "role: NOC\n"                    /* 59 */
    "nic-hdl: NOC1-RIPE\n"
    "abuse-mailbox: abuse@example.net\n"
    "source: RIPE\n"
    "\n"
    "organisation: ORG-EX1-RIPE\n"   /* 64 */
    "org-name: Example Org\n"
    "e-mail: a@example.net\n"
    "e-mail: b@example.net\n"
    "source: RIPE\n"
    "\n"
    "mntner: MNT-A\n"                /* 70 */
    "source: RIPE\n"
    "\n"
    "irt: IRT-EX\n"                  /* 73 */
    "abuse-mailbox: irt@example.net\n"
    "source: RIPE\n"
    "\n"
    "inetnum: 192.0.2.0 - 192.0.2.255\n" /* 77 */
    "source: RIPE\n"
    "\n"
    "route: 192.0.2.0/24\n"          /* 80: duplicate of line 1 */
    "origin: AS64500\n"
    "source: RIPE\n"
    "\n"
    "route: 192.0.2.0/24\n"          /* 84: no source */
    "origin: AS64500\n";

static void load_counts_and_reports_malformed_objects(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    irr_db *db = irr_db_new(&c.d);
    assert_int_equal(irr_db_load_mem(db, LOAD, strlen(LOAD), "load.db"), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    assert_string_equal(cap_text(&c),
                        "load.db:6: route object: prefix '192.0.2.1/24' has host bits set; object skipped\n"
                        "load.db:10: route object: invalid IPv4 prefix '2001:db8::/32'; object skipped\n"
                        "load.db:18: route object 198.51.100.0/24: no origin attribute; object skipped\n"
                        "load.db:22: route object: invalid origin '64500'; object skipped\n"
                        "load.db:36: aut-num object: invalid AS number 'ASX'; object skipped\n"
                        "load.db:40: warning: as-set AS-FOO: invalid member 'junk!' ignored\n"
                        "load.db:40: warning: as-set AS-FOO: invalid member 'RS-NOPE' ignored\n"
                        "load.db:43: as-set object: invalid as-set name 'FOO'; object skipped\n"
                        "load.db:48: route object: attribute 'origin' given twice; object skipped\n"
                        "load.db:51: person object: no nic-hdl attribute; object skipped\n"
                        "load.db:84: route object 192.0.2.0/24: no source attribute; object skipped\n"
                        "load.db:80: warning: route 192.0.2.0/24 AS64500 already loaded from source RIPE "
                        "(load.db:1); duplicate ignored\n");
    const irr_stats *st = irr_db_stats(db);
    assert_int_equal(st->objects, 20);
    assert_int_equal(st->malformed, 9);
    assert_int_equal(st->other, 1);
    assert_int_equal(st->duplicates, 1);
    assert_int_equal(st->bad_members, 2);
    assert_int_equal(st->members, 3);
    assert_int_equal(st->loaded[IRR_CLASS_ROUTE], 1);
    assert_int_equal(st->loaded[IRR_CLASS_ROUTE6], 1);
    assert_int_equal(st->loaded[IRR_CLASS_AUT_NUM], 1);
    assert_int_equal(st->loaded[IRR_CLASS_AS_SET], 1);
    assert_int_equal(st->loaded[IRR_CLASS_PERSON], 1);
    assert_int_equal(st->loaded[IRR_CLASS_ROLE], 1);
    assert_int_equal(st->loaded[IRR_CLASS_ORGANISATION], 1);
    assert_int_equal(st->loaded[IRR_CLASS_MNTNER], 1);
    assert_int_equal(st->loaded[IRR_CLASS_IRT], 1);
    assert_int_equal(c.d.errors, 9);
    assert_int_equal(c.d.warnings, 3);

    /* Sources, upper-cased, in order of first appearance. */
    assert_int_equal(irr_db_source_count(db), 2);
    assert_string_equal(irr_db_source_name(db, 0), "RIPE");
    assert_string_equal(irr_db_source_name(db, 1), "RADB");

    const irr_aut_num *an = irr_db_aut_num(db, 64500, NULL);
    assert_non_null(an);
    assert_string_equal(an->as_name, "EXAMPLE");
    assert_string_equal(an->admin_c, "AA1-RIPE");
    assert_string_equal(an->tech_c, "TT1-RIPE, TT2-RIPE");
    assert_string_equal(an->abuse_c, "");
    assert_string_equal(an->mnt_by, "MNT-A");
    assert_string_equal(an->source, "RIPE");
    assert_int_equal(an->n_import, 2);
    assert_int_equal(an->n_export, 1);
    assert_string_equal(an->file, "load.db");
    assert_int_equal(an->line, 25);
    assert_null(irr_db_aut_num(db, 64501, NULL));

    const irr_contact *ct = irr_db_contact(db, IRR_CLASS_PERSON, "jr1-ripe", NULL);
    assert_non_null(ct);
    assert_string_equal(ct->key, "JR1-RIPE");
    assert_string_equal(ct->name, "Jane Roe");
    assert_string_equal(ct->e_mail, "jane@example.net");
    ct = irr_db_contact(db, IRR_CLASS_ROLE, "NOC1-RIPE", NULL);
    assert_non_null(ct);
    assert_string_equal(ct->name, "NOC");
    assert_string_equal(ct->abuse_mailbox, "abuse@example.net");
    ct = irr_db_contact(db, IRR_CLASS_ORGANISATION, "ORG-EX1-RIPE", NULL);
    assert_non_null(ct);
    assert_string_equal(ct->name, "Example Org");
    assert_string_equal(ct->e_mail, "a@example.net, b@example.net");
    assert_int_equal(ct->line, 64);
    ct = irr_db_contact(db, IRR_CLASS_IRT, "IRT-EX", NULL);
    assert_non_null(ct);
    assert_string_equal(ct->abuse_mailbox, "irt@example.net");
    assert_non_null(irr_db_contact(db, IRR_CLASS_MNTNER, "mnt-a", NULL));
    assert_null(irr_db_contact(db, IRR_CLASS_PERSON, "NOC1-RIPE", NULL));

    irr_origin_result res = {0};
    assert_int_equal(irr_check_origin(db, &(mrs_prefix){0}, 1, NULL, &res), -1); /* afi 0 */
    mrs_prefix p6 = P("2001:db8::/32");
    assert_int_equal(irr_check_origin(db, &p6, 64501, NULL, &res), 0);
    assert_int_equal(res.state, IRR_VALID);
    assert_int_equal(res.n, 1);
    assert_string_equal(res.evidence[0].source, "RADB");
    assert_int_equal(res.evidence[0].line, 14);
    irr_origin_result_clear(&res);
    irr_db_free(db);
    cap_close(&c);
}

static void queries_need_finalize(void **state)
{
    (void)state;
    irr_db *db = irr_db_new(NULL);
    assert_int_equal(irr_db_load_mem(db, LOAD, 40, "x"), 0);
    irr_asn_list l = {0};
    assert_int_equal(irr_expand_as_set(db, "AS-FOO", NULL, &l), -1);
    irr_origin_result res = {0};
    mrs_prefix p = P("192.0.2.0/24");
    assert_int_equal(irr_check_origin(db, &p, 1, NULL, &res), -1);
    assert_null(irr_db_aut_num(db, 64500, NULL));
    irr_asn_list_clear(&l);
    irr_db_free(db);
}

/* ------------------------------------------------------------------ names */

static void fill(char *s, size_t n, int c)
{
    memset(s, c, n);
    s[n] = '\0';
}

/* The word-at-a-time hash folds exactly the ASCII letters, at every length and
 * tail shape: each byte value repeated, and in each position of a mixed name. */
static void name_hash_folds_ascii_letters_only(void **state)
{
    (void)state;
    char a[32], b[32];
    for (int c = 0; c < 256; c++) {
        bool lower = c >= 'a' && c <= 'z', letter = lower || (c >= 'A' && c <= 'Z');
        for (size_t n = 1; n <= 20; n++) {
            fill(a, n, c);
            fill(b, n, lower ? c - 32 : c);
            assert_true(irr_name_hash(a, n) == irr_name_hash(b, n));
            fill(b, n, c ^ 0x20);   /* the other case of a letter, another byte otherwise */
            assert_int_equal(irr_name_hash(a, n) == irr_name_hash(b, n), letter);
        }
    }
    const char *mixed = "as64500:As-CuStOmErS@[`{~]";
    for (size_t n = 0; n <= strlen(mixed); n++) {
        for (size_t i = 0; i < n; i++)
            b[i] = mixed[i] >= 'a' && mixed[i] <= 'z' ? (char)(mixed[i] - 32) : mixed[i];
        assert_true(irr_name_hash(mixed, n) == irr_name_hash(b, n));
        assert_true(irr_name_hash(mixed, n) != MRS_MAP64_FREE);
    }
}

/* Names forced onto one hash are told apart by their text: each keeps its id,
 * is found in any case, and an absent name with that hash is not found. */
static void names_with_colliding_hashes_stay_distinct(void **state)
{
    (void)state;
    irr_db *db = irr_db_new(NULL);
    assert_non_null(db);
    const uint64_t h = 0x1234;
    const char *names[] = {"as-one", "AS-TWO", "As-Three", "mnt-four"};
    uint32_t id[4];
    for (int i = 0; i < 4; i++) {
        id[i] = irr_name_intern_hashed(db, names[i], strlen(names[i]), h);
        assert_int_not_equal(id[i], IRR_NONE);
        for (int j = 0; j < i; j++)
            assert_int_not_equal(id[i], id[j]);
    }
    assert_int_equal(irr_name_intern_hashed(db, "AS-THREE", 8, h), id[2]);
    assert_int_equal(irr_name_find_hashed(db, "as-two", 6, h), id[1]);
    assert_int_equal(irr_name_find_hashed(db, "MNT-FOUR", 8, h), id[3]);
    assert_int_equal(irr_name_find_hashed(db, "AS-ONE", 6, h), id[0]);
    assert_int_equal(irr_name_find_hashed(db, "AS-FIVE", 7, h), IRR_NONE);
    assert_string_equal(db->names.v[id[2]].s, "AS-THREE");
    /* Ordinary names next to the chain: interned and found through their own hash. */
    uint32_t o = irr_name_intern_hashed(db, "as-one", 6, irr_name_hash("as-one", 6));
    assert_int_not_equal(o, IRR_NONE);
    assert_int_not_equal(o, id[0]);
    assert_int_equal(irr_name_find(db, "AS-ONE", 6), o);
    assert_int_equal(irr_name_find(db, "as-two", 6), IRR_NONE);
    irr_db_free(db);
}

/* ------------------------------------------------------------------ as-sets */

static const char SETS[] =
    "as-set: AS-A\nmembers: AS-B, AS1\nsource: T\n\n"                 /* 1 */
    "as-set: AS-B\nmembers: AS-C\nmembers: AS2\nsource: T\n\n"        /* 5 */
    "as-set: AS-C\nmembers: AS-A, AS3\nsource: T\n\n"                 /* 10 */
    "as-set: AS-D\nmembers: AS-E, AS-F\nsource: T\n\n"                /* 14 */
    "as-set: AS-E\nmembers: AS-G\nsource: T\n\n"                      /* 18 */
    "as-set: AS-F\nmembers: AS-G, AS-NOWHERE\nsource: T\n\n"          /* 22 */
    "as-set: AS-G\nmembers: AS7\nsource: T\n\n"                       /* 26 */
    "as-set: AS-SELF\nmembers: AS-SELF, AS9\nsource: T\n\n"           /* 30 */
    "as-set: AS-L0\nmembers: AS100, AS-L1\nsource: T\n\n"             /* 34 */
    "as-set: AS-L1\nmembers: AS101, AS-L2\nsource: T\n\n"             /* 38 */
    "as-set: AS-L2\nmembers: AS102, AS-L3\nsource: T\n\n"             /* 42 */
    "as-set: AS-L3\nmembers: AS103, AS-L4\nsource: T\n\n"             /* 46 */
    "as-set: AS-L4\nmembers: AS104, AS-L5\nsource: T\n\n"             /* 50 */
    "as-set: AS-L5\nmembers: AS105\nsource: T\n\n"                    /* 54 */
    "as-set: AS64500:AS-CUSTOMERS\nmembers: AS64501, as64500:as-customers:as-eu\nsource: T\n\n" /* 58 */
    "as-set: as64500:AS-Customers:AS-EU\nmembers: AS64502, AS4200000000\nsource: T\n\n"        /* 62 */
    "as-set: AS-REF\nmembers: AS10\nmbrs-by-ref: MNT-A\nsource: T\n\n"                         /* 66 */
    "aut-num: AS65001\nmnt-by: MNT-Z\nmember-of: AS-REF\nmnt-by: MNT-A\nsource: T\n\n"         /* 71 */
    "aut-num: AS65002\nmember-of: AS-REF\nmnt-by: MNT-Z\nsource: T\n\n"                        /* 76 */
    "aut-num: AS65003\nmember-of: AS-A\nmnt-by: MNT-A\nsource: T\n\n"  /* AS-A has no mbrs-by-ref */
    "as-set: AS-ANYREF\nmbrs-by-ref: ANY\nsource: T\n\n"
    "as-set: AS-R\nmembers: AS-RA, AS-RS\nsource: T\n\n"                                      /* 91 */
    "as-set: AS-RA\nmembers: AS-RB\nsource: T\n\n"                                            /* 95 */
    "as-set: AS-RB\nmembers: AS-RS\nsource: T\n\n"                                            /* 99 */
    "as-set: AS-RS\nmembers: AS-RT, AS1\nsource: T\n\n"                                       /* 103 */
    "as-set: AS-RT\nmembers: AS-RU, AS2\nsource: T\n\n"                                       /* 107 */
    "as-set: AS-RU\nmembers: AS3\nsource: T\n\n"                                              /* 111 */
    "aut-num: AS65004\nmember-of: AS-ANYREF\nmnt-by: MNT-Q\nsource: T\n";

static void expect_asns(const irr_asn_list *l, const uint32_t *want, size_t n)
{
    assert_int_equal(l->n, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(l->asns[i], want[i]);
}

static void as_set_cycles_diamonds_missing_and_depth(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    irr_db *db = irr_db_new(&c.d);
    assert_int_equal(irr_db_load_mem(db, SETS, strlen(SETS), "sets.db"), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    assert_string_equal(cap_text(&c), "");
    irr_asn_list l = {0};

    /* Cycle AS-A -> AS-B -> AS-C -> AS-A: reported once, at AS-C (line 10). */
    assert_int_equal(irr_expand_as_set(db, "as-a", NULL, &l), 0);
    expect_asns(&l, (uint32_t[]){1, 2, 3}, 3);
    assert_true(l.st.found);
    assert_int_equal(l.st.sets, 3);
    assert_int_equal(l.st.cycles, 1);
    assert_int_equal(l.st.missing, 0);
    assert_string_equal(cap_text(&c), "sets.db:10: warning: as-set cycle not followed: AS-A -> AS-B -> AS-C -> AS-A\n");
    cap_reset(&c);

    /* Diamond is not a cycle; a missing set is reported at the referencing set. */
    assert_int_equal(irr_expand_as_set(db, "AS-D", NULL, &l), 0);
    expect_asns(&l, (uint32_t[]){7}, 1);
    assert_int_equal(l.st.sets, 4);
    assert_int_equal(l.st.cycles, 0);
    assert_int_equal(l.st.missing, 1);
    assert_string_equal(cap_text(&c), ""); /* missing sets are counted, not printed */
    cap_reset(&c);

    assert_int_equal(irr_expand_as_set(db, "AS-SELF", NULL, &l), 0);
    expect_asns(&l, (uint32_t[]){9}, 1);
    assert_int_equal(l.st.cycles, 1);
    assert_string_equal(cap_text(&c), "sets.db:30: warning: as-set cycle not followed: AS-SELF -> AS-SELF\n");
    cap_reset(&c);

    /* Depth: AS-L0 is level 0; with max_depth 3, AS-L4 (level 4) is not followed. */
    irr_expand_opts o = {.max_depth = 3};
    assert_int_equal(irr_expand_as_set(db, "AS-L0", &o, &l), 0);
    expect_asns(&l, (uint32_t[]){100, 101, 102, 103}, 4);
    assert_int_equal(l.st.depth_cut, 1);
    assert_int_equal(l.st.sets, 4);
    assert_string_equal(cap_text(&c), "sets.db:46: warning: as-set nesting deeper than 3 not followed: "
                                      "AS-L0 -> AS-L1 -> AS-L2 -> AS-L3 -> AS-L4\n");
    cap_reset(&c);
    assert_int_equal(irr_expand_as_set(db, "AS-L0", NULL, &l), 0);
    expect_asns(&l, (uint32_t[]){100, 101, 102, 103, 104, 105}, 6);
    assert_int_equal(l.st.depth_cut, 0);

    /* A set first met deep (its expansion cut below) and later at a shallower
     * level is expanded again there: the result is everything within max_depth
     * levels (AS-RS at level 1 -> AS-RT 2 -> AS-RU 3), whatever the walk order. */
    o.max_depth = 3;
    assert_int_equal(irr_expand_as_set(db, "AS-R", &o, &l), 0);
    expect_asns(&l, (uint32_t[]){1, 2, 3}, 3);
    assert_int_equal(l.st.depth_cut, 1);
    assert_int_equal(l.st.sets, 6);
    assert_string_equal(cap_text(&c), "sets.db:103: warning: as-set nesting deeper than 3 not followed: "
                                      "AS-R -> AS-RA -> AS-RB -> AS-RS -> AS-RT\n");
    cap_reset(&c);
    o.max_depth = 2;   /* AS-RU (level 3) is out of reach now */
    assert_int_equal(irr_expand_as_set(db, "AS-R", &o, &l), 0);
    expect_asns(&l, (uint32_t[]){1, 2}, 2);
    cap_reset(&c);

    /* Hierarchical names, case-insensitive. */
    assert_int_equal(irr_expand_as_set(db, "as64500:AS-customers", NULL, &l), 0);
    expect_asns(&l, (uint32_t[]){64501, 64502, 4200000000u}, 3);
    assert_int_equal(l.st.sets, 2);

    /* mbrs-by-ref: only aut-nums maintained by a listed mntner (or ANY); AS65001
     * has mnt-by lines around its member-of line. */
    assert_int_equal(irr_expand_as_set(db, "AS-REF", NULL, &l), 0);
    expect_asns(&l, (uint32_t[]){10, 65001}, 2);
    assert_int_equal(irr_expand_as_set(db, "AS-ANYREF", NULL, &l), 0);
    expect_asns(&l, (uint32_t[]){65004}, 1);

    /* An AS number expands to itself; an unknown set to nothing. */
    assert_int_equal(irr_expand_as_set(db, "AS65535", NULL, &l), 0);
    expect_asns(&l, (uint32_t[]){65535}, 1);
    assert_int_equal(irr_expand_as_set(db, "AS-UNKNOWN", NULL, &l), 0);
    assert_false(l.st.found);
    assert_int_equal(l.n, 0);

    irr_asn_list_clear(&l);
    irr_db_free(db);
    cap_close(&c);
}

static const char SRC_A[] =
    "as-set: AS-X\nmembers: AS1\nsource: RIPE\n\n"
    "as-set: AS-TOP\nmembers: AS-X, AS100\nsource: RIPE\n\n"
    "route: 10.0.0.0/8\norigin: AS1\nsource: RIPE\n";
static const char SRC_B[] =
    "as-set: AS-X\nmembers: AS2\nsource: RADB\n\n"
    "as-set: AS-X\nmembers: AS3\nsource: RADB\n\n"  /* duplicate in RADB: first kept */
    "route: 10.0.0.0/8\norigin: AS1\nsource: RADB\n";

static void sources_priority_and_selection(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    irr_db *db = irr_db_new(&c.d);
    assert_int_equal(irr_db_load_mem(db, SRC_A, strlen(SRC_A), "a.db"), 0);
    assert_int_equal(irr_db_load_mem(db, SRC_B, strlen(SRC_B), "b.db"), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    assert_string_equal(cap_text(&c), "b.db:5: warning: as-set AS-X already loaded from source RADB (b.db:1); "
                                      "duplicate ignored\n");
    irr_asn_list l = {0};
    /* Default: order of first appearance (RIPE, then RADB). */
    assert_int_equal(irr_expand_as_set(db, "AS-TOP", NULL, &l), 0);
    expect_asns(&l, (uint32_t[]){1, 100}, 2);
    /* Priority RADB first: the nested AS-X comes from RADB. */
    assert_int_equal(irr_db_set_source_order(db, "radb ripe"), 0);
    assert_int_equal(irr_expand_as_set(db, "AS-TOP", NULL, &l), -1);  /* needs finalize again */
    assert_int_equal(irr_db_finalize(db), 0);
    assert_int_equal(irr_expand_as_set(db, "AS-TOP", NULL, &l), 0);
    expect_asns(&l, (uint32_t[]){2, 100}, 2);
    /* Explicit selections. */
    irr_sel sel;
    assert_int_equal(irr_db_select(db, "RIPE", &sel), 0);
    irr_expand_opts o = {.sel = &sel};
    assert_int_equal(irr_expand_as_set(db, "AS-X", &o, &l), 0);
    expect_asns(&l, (uint32_t[]){1}, 1);
    assert_int_equal(irr_db_select(db, "RADB", &sel), 0);
    assert_int_equal(irr_expand_as_set(db, "AS-TOP", &o, &l), 0);
    assert_false(l.st.found);
    assert_int_equal(irr_db_select(db, "RIPE,RADB", &sel), 0);
    assert_int_equal(irr_expand_as_set(db, "AS-X", &o, &l), 0);
    expect_asns(&l, (uint32_t[]){1}, 1);
    assert_int_equal(irr_db_select(db, "NOSUCH", &sel), -1);
    assert_int_equal(irr_db_select(db, "", &sel), 0);
    assert_true(sel.all);

    /* Route-origin evidence is ordered by source rank (RADB before RIPE now). */
    irr_origin_result res = {0};
    mrs_prefix p = P("10.0.0.0/8");
    assert_int_equal(irr_check_origin(db, &p, 1, NULL, &res), 0);
    assert_int_equal(res.state, IRR_VALID);
    assert_int_equal(res.n, 2);
    assert_string_equal(res.evidence[0].source, "RADB");
    assert_string_equal(res.evidence[0].file, "b.db");
    assert_string_equal(res.evidence[1].source, "RIPE");
    assert_int_equal(irr_db_select(db, "RIPE", &sel), 0);
    assert_int_equal(irr_check_origin(db, &p, 1, &sel, &res), 0);
    assert_int_equal(res.n, 1);
    assert_string_equal(res.evidence[0].source, "RIPE");
    irr_origin_result_clear(&res);
    irr_asn_list_clear(&l);
    irr_db_free(db);
    cap_close(&c);
}

/* ------------------------------------------------------------------ route-sets */

static const char RSETS[] =
    "route-set: RS-OPS\n"                                                            /* 1 */
    "members: 10.0.0.0/8, 10.0.0.0/8^-, 11.0.0.0/8^+, 12.0.0.0/8^16, 13.0.0.0/8^16-24\n"
    "mp-members: 2001:db8::/32^48, 2001:db8::/32^+\n"
    "members: 10.0.0.0/16^8, 10.0.0.0/8^33, 10.0.0.1/8, 10.0.0.0/8^24-16, 10.0.0.0/8^x\n" /* 4: all bad */
    "source: T\n"
    "\n"
    "route-set: RS-INNER\nmembers: 192.0.2.0/24, 198.51.100.0/24^+, 203.0.113.0/24^25-26\nsource: T\n\n" /* 7 */
    "route-set: RS-OUTER\nmembers: RS-INNER^-, RS-INNER^26, rs-inner^27-28\nsource: T\n\n"               /* 11 */
    "route-set: RS-EXACT24\nmembers: RS-INNER^24\nsource: T\n\n"                                         /* 15 */
    "route-set: RS-AS\nmembers: AS64500, AS-CUST^+\nsource: T\n\n"                                       /* 19 */
    "as-set: AS-CUST\nmembers: AS64501\nsource: T\n\n"                                                   /* 23 */
    "route: 192.0.2.0/24\norigin: AS64500\nsource: T\n\n"                                                /* 27 */
    "route6: 2001:db8::/32\norigin: AS64501\nsource: T\n\n"
    "route: 198.18.0.0/15\norigin: AS64999\nmember-of: RS-BYREF\nmnt-by: MNT-OK\nsource: T\n\n"
    "route: 198.18.0.0/16\norigin: AS64999\nmember-of: RS-BYREF\nmnt-by: MNT-OTHER\nsource: T\n\n"
    "route: 198.19.0.0/16\norigin: AS64999\nmnt-by: MNT-OTHER\nmember-of: RS-BYREF\nmnt-by: MNT-OK\nsource: T\n\n"
    "route-set: RS-BYREF\nmbrs-by-ref: MNT-OK\nsource: T\n\n"
    "route-set: RS-LOOP1\nmembers: 1.0.0.0/8, RS-LOOP2^+\nsource: T\n\n" /* 58 */
    "route-set: RS-LOOP2\nmembers: 2.0.0.0/8, RS-LOOP1\nsource: T\n\n"
    "route-set: AS64500:RS-H\nmembers: RS-OUTER^32\nsource: T\n";

static char *ranges_str(const irr_range_list *l)
{
    static char out[4096];
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < l->n; i++) {
        char b[80];
        irr_prefix_range_format(&l->v[i], b);
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i ? " " : "", b);
    }
    return out;
}

static void route_set_range_operators_exact(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    irr_db *db = irr_db_new(&c.d);
    assert_int_equal(irr_db_load_mem(db, RSETS, strlen(RSETS), "rs.db"), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    assert_string_equal(cap_text(&c), "rs.db:4: warning: route-set RS-OPS: invalid member '10.0.0.0/16^8' ignored\n"
                                      "rs.db:4: warning: route-set RS-OPS: invalid member '10.0.0.0/8^33' ignored\n"
                                      "rs.db:4: warning: route-set RS-OPS: invalid member '10.0.0.1/8' ignored\n"
                                      "rs.db:4: warning: route-set RS-OPS: invalid member '10.0.0.0/8^24-16' ignored\n"
                                      "rs.db:4: warning: route-set RS-OPS: invalid member '10.0.0.0/8^x' ignored\n");
    cap_reset(&c);
    irr_range_list l = {0};
    assert_int_equal(irr_expand_route_set(db, "RS-OPS", NULL, &l), 0);
    assert_string_equal(ranges_str(&l), "10.0.0.0/8 10.0.0.0/8^- 11.0.0.0/8^+ 12.0.0.0/8^16 13.0.0.0/8^16-24 "
                                        "2001:db8::/32^+ 2001:db8::/32^48");
    /* Exact numbers behind the formatting. */
    assert_int_equal(l.v[1].min_len, 9);
    assert_int_equal(l.v[1].max_len, 32);
    assert_int_equal(l.v[2].min_len, 8);
    assert_int_equal(l.v[2].max_len, 32);
    assert_int_equal(l.v[5].min_len, 32);
    assert_int_equal(l.v[5].max_len, 128);

    /* Operators on a nested set distribute over its members' ranges. */
    assert_int_equal(irr_expand_route_set(db, "RS-OUTER", NULL, &l), 0);
    assert_string_equal(ranges_str(&l), "192.0.2.0/24^- 192.0.2.0/24^26 192.0.2.0/24^27-28 "
                                        "198.51.100.0/24^- 198.51.100.0/24^26 198.51.100.0/24^27-28 "
                                        "203.0.113.0/24^26 203.0.113.0/24^26-32 203.0.113.0/24^27-28");
    assert_int_equal(l.st.sets, 2);
    assert_int_equal(irr_expand_route_set(db, "RS-EXACT24", NULL, &l), 0);
    assert_string_equal(ranges_str(&l), "192.0.2.0/24 198.51.100.0/24");
    assert_int_equal(irr_expand_route_set(db, "as64500:rs-h", NULL, &l), 0);
    assert_string_equal(ranges_str(&l), "192.0.2.0/24^32 198.51.100.0/24^32 203.0.113.0/24^32");

    /* AS numbers and as-sets: prefixes of the route objects they originate. */
    assert_int_equal(irr_expand_route_set(db, "RS-AS", NULL, &l), 0);
    assert_string_equal(ranges_str(&l), "192.0.2.0/24 2001:db8::/32^+");

    /* mbrs-by-ref: only route objects maintained by a listed mntner (mnt-by
     * lines around the member-of line count in full). */
    assert_int_equal(irr_expand_route_set(db, "RS-BYREF", NULL, &l), 0);
    assert_string_equal(ranges_str(&l), "198.18.0.0/15 198.19.0.0/16");

    /* Cycle between route-sets. */
    assert_string_equal(cap_text(&c), "");
    assert_int_equal(irr_expand_route_set(db, "RS-LOOP1", NULL, &l), 0);
    assert_string_equal(ranges_str(&l), "1.0.0.0/8 2.0.0.0/8^+");
    assert_int_equal(l.st.cycles, 1);
    assert_string_equal(cap_text(&c), "rs.db:62: warning: route-set cycle not followed: RS-LOOP1 -> RS-LOOP2 -> RS-LOOP1\n");

    irr_range_list_clear(&l);
    irr_db_free(db);
    cap_close(&c);
}

/* RS-Cn: RS-C(n-1), RS-C(n-1)^+, RS-C(n-1)^- for n = 1..40 would hold 3^40
 * ranges without de-duplication; the distinct ranges are 10.0.0.0/8 and
 * 10.0.0.0/8^k-32 for k = 8..32. */
static void route_set_nesting_does_not_explode(void **state)
{
    (void)state;
    size_t cap_ = 1 << 16, n = 0;
    char *t = malloc(cap_);
    n += (size_t)snprintf(t + n, cap_ - n, "route-set: RS-C0\nmembers: 10.0.0.0/8\nsource: T\n\n");
    for (int i = 1; i <= 40; i++)
        n += (size_t)snprintf(t + n, cap_ - n, "route-set: RS-C%d\nmembers: RS-C%d, RS-C%d^+, RS-C%d^-\nsource: T\n\n",
                              i, i - 1, i - 1, i - 1);
    irr_db *db = irr_db_new(NULL);
    assert_int_equal(irr_db_load_mem(db, t, n, "chain.db"), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    irr_range_list l = {0};
    irr_expand_opts o = {.max_depth = 64};
    assert_int_equal(irr_expand_route_set(db, "RS-C40", &o, &l), 0);
    assert_int_equal(l.n, 26);
    assert_int_equal(l.st.sets, 41);
    char b[80];
    irr_prefix_range_format(&l.v[0], b);
    assert_string_equal(b, "10.0.0.0/8");
    irr_prefix_range_format(&l.v[1], b);
    assert_string_equal(b, "10.0.0.0/8^+");
    irr_prefix_range_format(&l.v[2], b);
    assert_string_equal(b, "10.0.0.0/8^-");
    irr_prefix_range_format(&l.v[3], b);
    assert_string_equal(b, "10.0.0.0/8^10-32");
    irr_prefix_range_format(&l.v[25], b);
    assert_string_equal(b, "10.0.0.0/8^32");
    irr_range_list_clear(&l);
    irr_db_free(db);
    free(t);
}

static void range_operator_parse_and_apply(void **state)
{
    (void)state;
    irr_range_op op;
    assert_true(irr_range_op_parse("^-", 2, &op));
    assert_int_equal(op.kind, IRR_OP_MINUS);
    assert_true(irr_range_op_parse("^+", 2, &op));
    assert_int_equal(op.kind, IRR_OP_PLUS);
    assert_true(irr_range_op_parse("^24", 3, &op));
    assert_int_equal(op.kind, IRR_OP_N);
    assert_int_equal(op.n, 24);
    assert_true(irr_range_op_parse("^24-128", 7, &op));
    assert_int_equal(op.kind, IRR_OP_NM);
    assert_int_equal(op.m, 128);
    const char *bad[] = {"^", "^-1", "^+1", "^129", "^1-129", "^10-9", "^1--2", "^0001", "24", "^2a", "^-+"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(irr_range_op_parse(bad[i], strlen(bad[i]), &op));

    irr_prefix_range r = {.prefix = P("10.0.0.0/8"), .min_len = 8, .max_len = 8};
    irr_prefix_range t = r;
    assert_true(irr_range_apply(&t, (irr_range_op){IRR_OP_MINUS, 0, 0}));
    assert_int_equal(t.min_len, 9);
    assert_int_equal(t.max_len, 32);
    /* ^- of a /32 and ^n beyond the family are empty. */
    irr_prefix_range h = {.prefix = P("10.0.0.1/32"), .min_len = 32, .max_len = 32};
    assert_false(irr_range_apply(&h, (irr_range_op){IRR_OP_MINUS, 0, 0}));
    t = r;
    assert_false(irr_range_apply(&t, (irr_range_op){IRR_OP_N, 33, 33}));
    /* ^n-m with n below the range start starts at the range start. */
    t = (irr_prefix_range){.prefix = P("10.0.0.0/8"), .min_len = 20, .max_len = 22};
    assert_true(irr_range_apply(&t, (irr_range_op){IRR_OP_NM, 16, 24}));
    assert_int_equal(t.min_len, 20);
    assert_int_equal(t.max_len, 24);
    t = (irr_prefix_range){.prefix = P("10.0.0.0/8"), .min_len = 20, .max_len = 22};
    assert_false(irr_range_apply(&t, (irr_range_op){IRR_OP_NM, 8, 16}));
}

/* ------------------------------------------------------------------ route-origin */

static const char ROUTES[] =
    "route: 192.0.2.0/24\norigin: AS64500\nmnt-by: MNT-A\nmnt-by: MNT-B\nsource: RIPE\n\n" /* 1 */
    "route: 192.0.2.0/24\norigin: AS64500\nsource: RADB\n\n"                                 /* 7 */
    "route: 192.0.0.0/16\norigin: AS64496\nsource: RIPE\n\n"                                 /* 11 */
    "route: 10.0.0.0/8\norigin: AS64510\nsource: RIPE\n\n"                                   /* 15 */
    "route: 0.0.0.0/0\norigin: AS64999\nsource: RADB\n\n"                                    /* 19 */
    "route6: 2001:db8::/32\norigin: AS64501\nsource: RADB\n\n"                               /* 23 */
    "route6: 2001:db8:1::/48\norigin: AS64502\nsource: RADB\n";                              /* 27 */

static const char *ev_str(const irr_origin_result *r)
{
    static char out[2048];
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->n; i++) {
        char b[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&r->evidence[i].prefix, b);
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s AS%u %s:%llu", i ? "; " : "", b, r->evidence[i].origin,
                              r->evidence[i].source, (unsigned long long)r->evidence[i].line);
    }
    return out;
}

static void route_origin_states_with_evidence(void **state)
{
    (void)state;
    irr_db *db = irr_db_new(NULL);
    assert_int_equal(irr_db_load_mem(db, ROUTES, strlen(ROUTES), "r.db"), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    irr_origin_result res = {0};
    struct {
        const char *pfx;
        uint32_t origin;
        irr_origin_state st;
        const char *ev;
    } cases[] = {
        {"192.0.2.0/24", 64500, IRR_VALID, "192.0.2.0/24 AS64500 RIPE:1; 192.0.2.0/24 AS64500 RADB:7"},
        {"192.0.2.128/25", 64500, IRR_VALID_COVERED, "192.0.2.0/24 AS64500 RIPE:1; 192.0.2.0/24 AS64500 RADB:7"},
        {"192.0.2.0/24", 64496, IRR_VALID_COVERED, "192.0.0.0/16 AS64496 RIPE:11"},
        {"192.0.2.0/24", 65000, IRR_INVALID_ORIGIN,
         "192.0.2.0/24 AS64500 RIPE:1; 192.0.2.0/24 AS64500 RADB:7; 192.0.0.0/16 AS64496 RIPE:11; "
         "0.0.0.0/0 AS64999 RADB:19"},
        {"192.0.3.0/24", 65000, IRR_INVALID_ORIGIN, "192.0.0.0/16 AS64496 RIPE:11; 0.0.0.0/0 AS64999 RADB:19"},
        {"198.18.0.0/15", 64999, IRR_VALID_COVERED, "0.0.0.0/0 AS64999 RADB:19"},
        {"10.0.0.0/7", 64510, IRR_INVALID_ORIGIN, "0.0.0.0/0 AS64999 RADB:19"},
        {"10.255.255.255/32", 64510, IRR_VALID_COVERED, "10.0.0.0/8 AS64510 RIPE:15"},
        {"2001:db8:1::/48", 64501, IRR_VALID_COVERED, "2001:db8::/32 AS64501 RADB:23"},
        {"2001:db8:1::/48", 64502, IRR_VALID, "2001:db8:1::/48 AS64502 RADB:27"},
        {"2001:db8:1::/48", 1, IRR_INVALID_ORIGIN, "2001:db8:1::/48 AS64502 RADB:27; 2001:db8::/32 AS64501 RADB:23"},
        {"2001:db8::/31", 64501, IRR_NOT_FOUND, ""},
        {"::/0", 64501, IRR_NOT_FOUND, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mrs_prefix p = P(cases[i].pfx);
        assert_int_equal(irr_check_origin(db, &p, cases[i].origin, NULL, &res), 0);
        if (res.state != cases[i].st || strcmp(ev_str(&res), cases[i].ev) != 0)
            fail_msg("%s AS%u: got %s [%s]", cases[i].pfx, cases[i].origin, irr_origin_state_name(res.state),
                     ev_str(&res));
    }
    /* Evidence carries mnt-by. */
    mrs_prefix p = P("192.0.2.0/24");
    assert_int_equal(irr_check_origin(db, &p, 64500, NULL, &res), 0);
    assert_string_equal(res.evidence[0].mnt_by, "MNT-A, MNT-B");
    assert_string_equal(res.evidence[1].mnt_by, "");
    /* Only RIPE: the /0 of RADB no longer matters. */
    irr_sel sel;
    assert_int_equal(irr_db_select(db, "RIPE", &sel), 0);
    p = P("198.18.0.0/15");
    assert_int_equal(irr_check_origin(db, &p, 64999, &sel, &res), 0);
    assert_int_equal(res.state, IRR_NOT_FOUND);
    assert_int_equal(res.n, 0);
    assert_string_equal(irr_origin_state_name(IRR_VALID_COVERED), "valid-covered");
    irr_origin_result_clear(&res);
    irr_db_free(db);
}

/* Route objects by prefix relation, in the documented order: less specifics most
 * specific first, more specifics by length then address, the objects of one
 * prefix by origin then source; one-less stops at the first prefix with selected
 * objects; host bits of the query are ignored. */
static int cat_ref(void *user, const irr_route_ref *r)
{
    char *out = user, b[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&r->prefix, b);
    size_t n = strlen(out);
    snprintf(out + n, 2048 - n, "%s%s AS%u %s", n ? "; " : "", b, r->origin, r->source);
    return 0;
}

static const char *by_prefix(const irr_db *db, const char *pfx, irr_prefix_match m, const irr_sel *sel)
{
    static char out[2048];
    out[0] = '\0';
    mrs_prefix p;
    assert_true(mrs_prefix_parse(pfx, strlen(pfx), &p, false));   /* host bits allowed */
    assert_int_equal(irr_db_routes_by_prefix(db, &p, m, sel, cat_ref, out), 0);
    return out;
}

static void routes_by_prefix_relations_in_order(void **state)
{
    (void)state;
    static const char more[] = "route: 192.0.2.128/25\norigin: AS64503\nsource: RIPE\n\n"
                               "route: 192.0.2.0/25\norigin: AS64503\nsource: RIPE\n\n"
                               "route: 192.0.1.0/24\norigin: AS64504\nsource: RADB\n\n"
                               "route: 192.0.2.0/24\norigin: AS64400\nsource: RADB\n\n"
                               "route: 192.0.2.0/26\norigin: AS64505\nsource: RIPE\n";
    irr_db *db = irr_db_new(NULL);
    assert_int_equal(irr_db_load_mem(db, ROUTES, strlen(ROUTES), "r.db"), 0);
    assert_int_equal(irr_db_load_mem(db, more, strlen(more), "m.db"), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    assert_string_equal(by_prefix(db, "192.0.2.0/24", IRR_PM_EXACT, NULL),
                        "192.0.2.0/24 AS64400 RADB; 192.0.2.0/24 AS64500 RIPE; 192.0.2.0/24 AS64500 RADB");
    assert_string_equal(by_prefix(db, "192.0.2.1/24", IRR_PM_EXACT, NULL),
                        "192.0.2.0/24 AS64400 RADB; 192.0.2.0/24 AS64500 RIPE; 192.0.2.0/24 AS64500 RADB");
    assert_string_equal(by_prefix(db, "192.0.2.0/23", IRR_PM_EXACT, NULL), "");
    assert_string_equal(by_prefix(db, "192.0.2.0/26", IRR_PM_ALL_LESS, NULL),
                        "192.0.2.0/26 AS64505 RIPE; 192.0.2.0/25 AS64503 RIPE; 192.0.2.0/24 AS64400 RADB; "
                        "192.0.2.0/24 AS64500 RIPE; 192.0.2.0/24 AS64500 RADB; 192.0.0.0/16 AS64496 RIPE; "
                        "0.0.0.0/0 AS64999 RADB");
    assert_string_equal(by_prefix(db, "192.0.2.0/26", IRR_PM_ONE_LESS, NULL), "192.0.2.0/25 AS64503 RIPE");
    assert_string_equal(by_prefix(db, "0.0.0.0/0", IRR_PM_ONE_LESS, NULL), "");
    assert_string_equal(by_prefix(db, "192.0.0.0/16", IRR_PM_ALL_MORE, NULL),
                        "192.0.1.0/24 AS64504 RADB; 192.0.2.0/24 AS64400 RADB; 192.0.2.0/24 AS64500 RIPE; "
                        "192.0.2.0/24 AS64500 RADB; 192.0.2.0/25 AS64503 RIPE; 192.0.2.128/25 AS64503 RIPE; "
                        "192.0.2.0/26 AS64505 RIPE");
    assert_string_equal(by_prefix(db, "2001:db8::/32", IRR_PM_ALL_MORE, NULL), "2001:db8:1::/48 AS64502 RADB");
    /* With RADB only, one-less skips the RIPE /25 and the RIPE half of the /24. */
    irr_sel sel;
    assert_int_equal(irr_db_select(db, "RADB", &sel), 0);
    assert_string_equal(by_prefix(db, "192.0.2.0/26", IRR_PM_ONE_LESS, &sel),
                        "192.0.2.0/24 AS64400 RADB; 192.0.2.0/24 AS64500 RADB");
    assert_string_equal(by_prefix(db, "192.0.0.0/16", IRR_PM_ALL_MORE, &sel),
                        "192.0.1.0/24 AS64504 RADB; 192.0.2.0/24 AS64400 RADB; 192.0.2.0/24 AS64500 RADB");
    irr_db_free(db);
}

/* Files: a missing file is an error naming it; a truncated gzip dump loads the
 * objects before the damage, reports the damage and returns -1. */
static void file_errors_and_truncated_gzip(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    irr_db *db = irr_db_new(&c.d);
    assert_int_equal(irr_db_load_file(db, "/nonexistent/ripe.db.gz"), -1);
    assert_int_equal(c.d.errors, 1);
    assert_non_null(strstr(cap_text(&c), "/nonexistent/ripe.db.gz"));
    cap_reset(&c);

    /* 2000 route objects, gzip-compressed, then cut in the middle. */
    size_t cap_ = 1 << 20, n = 0;
    char *text = malloc(cap_);
    for (int i = 0; i < 2000; i++)
        n += (size_t)snprintf(text + n, cap_ - n, "route: 10.%d.%d.0/24\norigin: AS%d\nsource: RIPE\n\n", i / 256,
                              i % 256, 64500 + i);
    char path[1024];
    snprintf(path, sizeof path, "%s/cut.db.gz", tu_tmpdir());
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, text, (unsigned)n), (int)n);
    assert_int_equal(gzclose(gz), Z_OK);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fclose(f);
    assert_int_equal(truncate(path, sz / 2), 0);
    assert_int_equal(irr_db_load_file(db, path), -1);
    assert_int_equal(irr_db_finalize(db), 0);
    const irr_stats *st = irr_db_stats(db);
    assert_true(st->loaded[IRR_CLASS_ROUTE] > 100);
    assert_true(st->loaded[IRR_CLASS_ROUTE] < 2000);
    assert_true(c.d.errors >= 2);
    assert_non_null(strstr(cap_text(&c), "cut.db.gz"));
    assert_non_null(strstr(cap_text(&c), "object cut short by damaged input; skipped"));
    /* What was loaded is exactly the first K objects, each with its right origin;
     * the object the damage cut is not there (its origin could be truncated). */
    irr_origin_result res = {0};
    int k = (int)st->loaded[IRR_CLASS_ROUTE];
    for (int i = 0; i <= k; i++) {
        char ps[32];
        snprintf(ps, sizeof ps, "10.%d.%d.0/24", i / 256, i % 256);
        mrs_prefix p = P(ps);
        assert_int_equal(irr_check_origin(db, &p, (uint32_t)(64500 + i), NULL, &res), 0);
        assert_int_equal(res.state, i < k ? IRR_VALID : IRR_NOT_FOUND);
    }
    irr_origin_result_clear(&res);
    free(text);
    irr_db_free(db);
    cap_close(&c);
}

/* last-modified: / changed: dates (check's stale-contact test relies on them). */
static void change_dates_of_objects(void **state)
{
    (void)state;
    char d[11];
    assert_int_equal(irr_modified_days("1970-01-01T00:00:00Z", 20), 0); /* the epoch itself reads as unknown */
    assert_int_equal(irr_modified_days("1970-01-02", 10), 1);
    assert_int_equal(irr_modified_days("2000-03-01T10:00:00Z", 20), 11017);
    irr_days_format(11017, d);
    assert_string_equal(d, "2000-03-01");
    assert_int_equal(irr_modified_days("2024-02-29T00:00:00Z", 20), irr_modified_days("2024-02-28", 10) + 1);
    assert_int_equal(irr_modified_days("2023-02-29", 10), 0);          /* not a leap year */
    assert_int_equal(irr_modified_days("2023-13-01", 10), 0);
    assert_int_equal(irr_modified_days("noc@example.net 20050412", 24), irr_modified_days("2005-04-12", 10));
    assert_int_equal(irr_modified_days("noc@example.net", 15), 0);
    assert_int_equal(irr_modified_days("20050412", 8), 0);            /* changed: needs the e-mail first */
    for (uint32_t x = 1; x < 80000; x += 97) {
        irr_days_format(x, d);
        assert_int_equal(irr_modified_days(d, 10), x);
    }
    static const char db_text[] = "aut-num: AS64500\nadmin-c: R1-TEST\nchanged: a@b.c 19990101\n"
                                  "changed: a@b.c 20030405\nsource: TEST\n\n"
                                  "role: R\nnic-hdl: R1-TEST\ne-mail: r@b.c\nlast-modified: 2010-06-07T08:09:10Z\n"
                                  "source: TEST\n\n"
                                  "person: P\nnic-hdl: P1-TEST\nlast-modified: 2021-01-31T00:00:00Z\nsource: TEST\n";
    mrs_diag dg;
    mrs_diag_init(&dg, NULL);
    irr_db *db = irr_db_new(&dg);
    assert_int_equal(irr_db_load_mem(db, db_text, strlen(db_text), "dates.db"), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    const irr_aut_num *an = irr_db_aut_num(db, 64500, NULL);
    assert_non_null(an);
    irr_days_format(an->modified, d);
    assert_string_equal(d, "2003-04-05");   /* the newest changed: line */
    const irr_contact *c = irr_db_contact(db, IRR_CLASS_ROLE, "R1-TEST", NULL);
    assert_non_null(c);
    irr_days_format(c->modified, d);
    assert_string_equal(d, "2010-06-07");
    irr_days_format(irr_db_newest_modified(db), d);
    assert_string_equal(d, "2021-01-31");
    /* per file too, route objects and sets included (the observatory's period check) */
    static const char routes[] = "route: 192.0.2.0/24\norigin: AS64500\nlast-modified: 2022-05-06T00:00:00Z\n"
                                 "source: TEST\n\nas-set: AS-X\nmembers: AS64500\nchanged: x@y.z 20230102\n"
                                 "source: TEST\n\nroute6: 2001:db8::/32\norigin: AS64500\nsource: TEST\n";
    static const char undated[] = "route: 198.51.100.0/24\norigin: AS64500\nsource: TEST\n";
    assert_int_equal(irr_db_load_mem(db, routes, strlen(routes), "routes.db"), 0);
    assert_int_equal(irr_db_load_mem(db, undated, strlen(undated), "undated.db"), 0);
    assert_int_equal(irr_db_file_count(db), 3);
    assert_string_equal(irr_db_file_name(db, 1), "routes.db");
    irr_days_format(irr_db_file_newest(db, 0), d);
    assert_string_equal(d, "2021-01-31");
    irr_days_format(irr_db_file_newest(db, 1), d);
    assert_string_equal(d, "2023-01-02");
    assert_int_equal(irr_db_file_newest(db, 2), 0);
    assert_int_equal(irr_db_file_newest(db, 3), 0);
    assert_null(irr_db_file_name(db, 3));
    irr_days_format(irr_db_newest_modified(db), d);
    assert_string_equal(d, "2023-01-02");
    assert_int_equal(dg.errors, 0);
    assert_int_equal(dg.warnings, 0);
    irr_db_free(db);

    /* A last-modified: that does not parse is reported (warning, line), the
     * object kept with its other date; a changed: without date is silent. */
    static const char bad[] = "role: R\nnic-hdl: R2-TEST\ne-mail: r@b.c\nchanged: r@b.c\n"
                              "last-modified: yesterday\nchanged: r@b.c 20010203\nsource: TEST\n";
    char *msg = NULL;
    size_t msglen = 0;
    FILE *f = open_memstream(&msg, &msglen);
    mrs_diag_init(&dg, f);
    db = irr_db_new(&dg);
    assert_int_equal(irr_db_load_mem(db, bad, strlen(bad), "bad.db"), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    fclose(f);
    assert_int_equal(dg.warnings, 1);
    assert_int_equal(dg.errors, 0);
    assert_string_equal(msg, "bad.db:5: warning: role object: invalid last-modified 'yesterday' ignored\n");
    c = irr_db_contact(db, IRR_CLASS_ROLE, "R2-TEST", NULL);
    assert_non_null(c);
    irr_days_format(c->modified, d);
    assert_string_equal(d, "2001-02-03");
    free(msg);
    irr_db_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(load_counts_and_reports_malformed_objects),
        cmocka_unit_test(queries_need_finalize),
        cmocka_unit_test(name_hash_folds_ascii_letters_only),
        cmocka_unit_test(names_with_colliding_hashes_stay_distinct),
        cmocka_unit_test(as_set_cycles_diamonds_missing_and_depth),
        cmocka_unit_test(sources_priority_and_selection),
        cmocka_unit_test(route_set_range_operators_exact),
        cmocka_unit_test(route_set_nesting_does_not_explode),
        cmocka_unit_test(range_operator_parse_and_apply),
        cmocka_unit_test(route_origin_states_with_evidence),
        cmocka_unit_test(routes_by_prefix_relations_in_order),
        cmocka_unit_test(file_errors_and_truncated_gzip),
        cmocka_unit_test(change_dates_of_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
