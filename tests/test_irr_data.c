/* test_irr_data.c — the IRR code on real RIPE dumps from ../shared/data/irr
 * (gzip, read through mrs_reader): object and attribute counts must equal the
 * counts in PROVENANCE.md (made with zcat | grep), and as-set expansions must
 * equal those of an independent Python implementation (tests/irr_expand_ref.py). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manrs/kb/irr.h"

static void parser_counts_ripe_as_set_dump(void **state)
{
    (void)state;
    char path[1024];
    TU_REQUIRE_DATA("irr/ripe.db.as-set.gz", path);
    char err[256];
    mrs_reader *r = mrs_reader_open(path, err, sizeof err);
    assert_non_null(r);
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    rpsl_parser *p = rpsl_parser_new_reader(r, &d);
    rpsl_object o;
    uint64_t sets = 0, members = 0, mbrs = 0, other = 0;
    int rc;
    while ((rc = rpsl_next_object(p, &o)) > 0) {
        if (strcmp(o.attrs[0].key, "as-set") == 0)
            sets++;
        else
            other++;
        for (size_t i = 0; i < o.n_attrs; i++) {
            if (strcmp(o.attrs[i].key, "members") == 0)
                members++;
            else if (strcmp(o.attrs[i].key, "mbrs-by-ref") == 0)
                mbrs++;
        }
    }
    assert_int_equal(rc, 0);
    assert_int_equal(sets, 25174);
    assert_int_equal(members, 309034);
    assert_int_equal(mbrs, 542);
    assert_int_equal(other, 0);
    assert_int_equal(rpsl_parser_skipped(p), 0);
    assert_int_equal(d.errors, 0);
    assert_false(mrs_reader_error(r));
    rpsl_parser_free(p);
    mrs_reader_close(r);
}

/* Run the Python reference with the given arguments; returns its stdout
 * (malloc'd) or NULL if python3 is not available. */
static char *run_ref(const char *dump, const char *args)
{
    char script[1024];
    snprintf(script, sizeof script, "%s", __FILE__);
    char *slash = strrchr(script, '/');
    snprintf(slash ? slash + 1 : script, sizeof script - (size_t)(slash ? slash + 1 - script : 0),
             "irr_expand_ref.py");
    if (access(script, R_OK) != 0 || system("python3 -c '' 2>/dev/null") != 0)
        return NULL;
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "python3 '%s' '%s' %s", script, dump, args);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t cap = 1 << 20, n = 0;
    char *out = malloc(cap);
    size_t k;
    while ((k = fread(out + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (cap - n < 2) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    out[n] = '\0';
    assert_int_equal(pclose(f), 0);
    return out;
}

static void db_loads_ripe_as_sets_and_expansions_match_reference(void **state)
{
    (void)state;
    char path[1024];
    TU_REQUIRE_DATA("irr/ripe.db.as-set.gz", path);
    mrs_diag d;
    mrs_diag_init(&d, NULL);   /* member warnings counted below */
    irr_db *db = irr_db_new(&d);
    assert_int_equal(irr_db_load_file(db, path), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    const irr_stats *st = irr_db_stats(db);
    assert_int_equal(st->objects, 25174);
    assert_int_equal(st->loaded[IRR_CLASS_AS_SET], 25174);
    assert_int_equal(st->malformed, 0);
    assert_int_equal(st->duplicates, 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(irr_db_source_count(db), 1);
    assert_string_equal(irr_db_source_name(db, 0), "RIPE");

    char *ref = run_ref(path, "--stats");
    if (ref) {
        char mine[64];
        snprintf(mine, sizeof mine, "sets=25174 members=%llu\n",
                 (unsigned long long)(st->members + st->bad_members));
        assert_string_equal(ref, mine);
        free(ref);
    }

    /* AS-RESTENA: small, hand-checked against the dump (AS-LXP, AS-VDL nested). */
    irr_asn_list l = {0};
    assert_int_equal(irr_expand_as_set(db, "AS-RESTENA", NULL, &l), 0);
    assert_int_equal(l.n, 5);
    const uint32_t restena[] = {2602, 42909, 51966, 211018, 211999};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(l.asns[i], restena[i]);

    /* Large real expansions vs the reference (no depth limit in effect). */
    const char *names[] = {"AS-RESTENA", "AS-NETIX", "AS3326:AS-PEERS-UA", "AS-SIMWOOD-CUSTOMERS", "AS-DONLL"};
    char args[512] = "";
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        snprintf(args + strlen(args), sizeof args - strlen(args), " '%s'", names[k]);
    char *want = run_ref(path, args);
    if (!want)
        print_message("SKIP part: python3 not available for the reference expansions\n");
    size_t cap = 1 << 20, n = 0;
    char *got = malloc(cap);
    got[0] = '\0';
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        irr_expand_opts o = {.max_depth = 1000};
        assert_int_equal(irr_expand_as_set(db, names[k], &o, &l), 0);
        assert_true(l.st.found);
        assert_int_equal(l.st.depth_cut, 0);
        n += (size_t)snprintf(got + n, cap - n, "%s:", names[k]);
        for (size_t i = 0; i < l.n; i++) {
            if (cap - n < 32) {
                cap *= 2;
                got = realloc(got, cap);
            }
            n += (size_t)snprintf(got + n, cap - n, " %u", l.asns[i]);
        }
        n += (size_t)snprintf(got + n, cap - n, "\n");
        print_message("%s: %zu ASNs from %u sets (%u cycles, %u missing)\n", names[k], l.n, l.st.sets, l.st.cycles,
                      l.st.missing);
    }
    if (want) {
        if (strcmp(got, want) != 0)
            fail_msg("expansions differ from the reference");
        print_message("all equal to the reference\n");
    }
    free(got);
    free(want);
    assert_int_equal(irr_expand_as_set(db, "AS-NETIX", &(irr_expand_opts){.max_depth = 1000}, &l), 0);
    assert_int_equal(l.n, 51038);
    irr_asn_list_clear(&l);
    irr_db_free(db);
}

static void db_loads_ripe_nonauth_routes_and_aut_nums(void **state)
{
    (void)state;
    char p1[1024], p2[1024], p3[1024];
    TU_REQUIRE_DATA("irr/ripe-nonauth.db.route.gz", p1);
    TU_REQUIRE_DATA("irr/ripe-nonauth.db.route6.gz", p2);
    TU_REQUIRE_DATA("irr/ripe-nonauth.db.aut-num.gz", p3);
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    irr_db *db = irr_db_new(&d);
    assert_int_equal(irr_db_load_file(db, p1), 0);
    assert_int_equal(irr_db_load_file(db, p2), 0);
    assert_int_equal(irr_db_load_file(db, p3), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    const irr_stats *st = irr_db_stats(db);
    assert_int_equal(st->objects, 52082 + 1356 + 2109);
    assert_int_equal(st->duplicates, 0); /* zcat | awk | sort | uniq -d: no repeated (route, origin) */
    assert_int_equal(st->loaded[IRR_CLASS_ROUTE], 52082);
    assert_int_equal(st->loaded[IRR_CLASS_ROUTE6], 1356);
    assert_int_equal(st->loaded[IRR_CLASS_AUT_NUM], 2109);
    assert_int_equal(st->malformed, 0);
    assert_int_equal(d.errors, 0);
    assert_string_equal(irr_db_source_name(db, 0), "RIPE-NONAUTH");

    /* import/export/mp-import/mp-export lines: 40630 (PROVENANCE.md). */
    uint64_t ie = 0;
    assert_int_equal(irr_db_aut_num_count(db), 2109);
    for (size_t i = 0; i < irr_db_aut_num_count(db); i++) {
        const irr_aut_num *a = irr_db_aut_num_at(db, i);
        ie += a->n_import + a->n_export;
        if (i)
            assert_true(irr_db_aut_num_at(db, i - 1)->asn <= a->asn);
    }
    assert_int_equal(ie, 40630);
    assert_null(irr_db_aut_num_at(db, 2109));

    /* Every route object is VALID for its own (prefix, origin). */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "zcat '%s' | awk '/^route:/{p=$2} /^origin:/{print p, $2}' | head -2000", p1);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char line[256];
    int checked = 0;
    irr_origin_result res = {0};
    while (fgets(line, sizeof line, f)) {
        char pfx[128], org[64];
        if (sscanf(line, "%127s %63s", pfx, org) != 2)
            continue;
        mrs_prefix p;
        uint32_t asn;
        assert_true(mrs_prefix_parse(pfx, strlen(pfx), &p, true));
        assert_true(mrs_asn_parse(org, strlen(org), &asn));
        assert_int_equal(irr_check_origin(db, &p, asn, NULL, &res), 0);
        assert_int_equal(res.state, IRR_VALID);
        assert_string_equal(res.evidence[0].source, "RIPE-NONAUTH");
        checked++;
    }
    pclose(f);
    assert_int_equal(checked, 2000);
    irr_origin_result_clear(&res);
    irr_db_free(db);
}

/* The route-origin check against a brute-force computation over all route and
 * route6 objects of the RIPE-NONAUTH dumps (read with zcat/awk, not with the
 * code under test), for 1 000 queries derived from real objects: exact with the
 * same / another origin, more specifics, less specifics, neighbours. */
typedef struct bf_route {
    mrs_prefix p;
    uint32_t origin;
} bf_route;

static size_t read_pairs(const char *path, const char *key, bf_route **out, size_t n, size_t *cap)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "zcat '%s' | awk '/^%s:/{p=$2} /^origin:/{print p, $2}'", path, key);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char pfx[128], org[64];
        if (sscanf(line, "%127s %63s", pfx, org) != 2)
            continue;
        if (n == *cap) {
            *cap = *cap ? *cap * 2 : 4096;
            *out = realloc(*out, *cap * sizeof **out);
            assert_non_null(*out);
        }
        assert_true(mrs_prefix_parse(pfx, strlen(pfx), &(*out)[n].p, true));
        assert_true(mrs_asn_parse(org, strlen(org), &(*out)[n].origin));
        n++;
    }
    assert_int_equal(pclose(f), 0);
    return n;
}

static void origin_check_equals_brute_force(void **state)
{
    (void)state;
    char p1[1024], p2[1024];
    TU_REQUIRE_DATA("irr/ripe-nonauth.db.route.gz", p1);
    TU_REQUIRE_DATA("irr/ripe-nonauth.db.route6.gz", p2);
    irr_db *db = irr_db_new(NULL);
    assert_int_equal(irr_db_load_file(db, p1), 0);
    assert_int_equal(irr_db_load_file(db, p2), 0);
    assert_int_equal(irr_db_finalize(db), 0);
    bf_route *rt = NULL;
    size_t cap = 0, n = read_pairs(p1, "route", &rt, 0, &cap);
    n = read_pairs(p2, "route6", &rt, n, &cap);
    assert_int_equal(n, 52082 + 1356);

    irr_origin_result res = {0};
    size_t counts[4] = {0};
    unsigned seed = 1;
    for (size_t k = 0; k < 200; k++) {
        const bf_route *base = &rt[(k * 2671) % n];
        for (int kind = 0; kind < 5; kind++) {
            mrs_prefix q = base->p;
            uint32_t origin = base->origin;
            unsigned bits = mrs_afi_bits(q.afi);
            seed = seed * 1103515245u + 12345u;
            if (kind == 1) {
                origin = origin + 1;
            } else if (kind == 2 && q.len < bits) {
                q.len = (uint8_t)(q.len + 1 + (seed >> 16) % (bits - q.len < 4 ? bits - q.len : 4));
                q.addr[(q.len - 1) / 8] |= (uint8_t)(0x80u >> ((q.len - 1) % 8));
            } else if (kind == 3 && q.len > 0) {
                q.len = (uint8_t)(q.len - 1 - (seed >> 16) % (q.len < 8 ? q.len : 8));
                mrs_prefix_mask(&q);
            } else if (kind == 4 && q.len > 0) {
                /* The neighbour of the same length, origin of another object. */
                q.addr[(q.len - 1) / 8] ^= (uint8_t)(0x80u >> ((q.len - 1) % 8));
                origin = rt[(seed >> 8) % n].origin;
            }
            /* Brute force. */
            size_t exact_same = 0, cover_same = 0, any = 0;
            for (size_t i = 0; i < n; i++) {
                if (!mrs_prefix_covers(&rt[i].p, &q))
                    continue;
                any++;
                if (rt[i].origin == origin) {
                    if (rt[i].p.len == q.len)
                        exact_same++;
                    else
                        cover_same++;
                }
            }
            irr_origin_state want = exact_same ? IRR_VALID
                                    : cover_same ? IRR_VALID_COVERED
                                    : any        ? IRR_INVALID_ORIGIN
                                                 : IRR_NOT_FOUND;
            size_t want_n = exact_same ? exact_same : cover_same ? cover_same : any;
            assert_int_equal(irr_check_origin(db, &q, origin, NULL, &res), 0);
            if (res.state != want || res.n != want_n) {
                char b[MRS_PREFIX_STRLEN];
                mrs_prefix_format(&q, b);
                fail_msg("%s AS%u: got %s/%zu, brute force %s/%zu", b, origin, irr_origin_state_name(res.state), res.n,
                         irr_origin_state_name(want), want_n);
            }
            counts[want]++;
        }
    }
    print_message("brute force agrees on 1000 queries: valid %zu, valid-covered %zu, invalid-origin %zu, "
                  "not-found %zu\n",
                  counts[IRR_VALID], counts[IRR_VALID_COVERED], counts[IRR_INVALID_ORIGIN], counts[IRR_NOT_FOUND]);
    /* Every state occurs, so that the comparison means something. */
    for (int i = 0; i < 4; i++)
        assert_true(counts[i] > 0);
    irr_origin_result_clear(&res);
    free(rt);
    irr_db_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parser_counts_ripe_as_set_dump),
        cmocka_unit_test(db_loads_ripe_as_sets_and_expansions_match_reference),
        cmocka_unit_test(db_loads_ripe_nonauth_routes_and_aut_nums),
        cmocka_unit_test(origin_check_equals_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
