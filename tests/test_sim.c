/*
 * test_sim.c — the simulated Internet: parameters, determinism (byte-identical
 * files for one seed), and every file read back with the project's own loaders
 * (as-rel, delegated stats, RPSL, MRT) or jansson (rpki-client JSON, PeeringDB,
 * truth.json) with zero errors and counts that agree with the summary.
 * The RPKI files go through the project's VRP loader and validator as well: no
 * legitimate route is RPKI-invalid, every network's roa_coverage in truth.json is the
 * validator's share of Valid routes, and the incident classes get the ROV state they
 * claim. Routing properties are checked by tests/cli_sim.sh (tests/sim_check.py).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "manrs/kb/as2org.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/delegated.h"
#include "manrs/core/diag.h"
#include "manrs/kb/irr.h"
#include "manrs/feeds/mrt.h"
#include "manrs/feeds/bgp.h"
#include "manrs/kb/beacon.h"
#include "manrs/kb/rpki.h"
#include "manrs/sim/sim.h"
#include "testutil.h"

static const char *const files[] = {"asrel.txt",   "delegated.txt", "vrps.json",      "irr.db",    "peeringdb.json",
                                    "spoofer.csv", "rib.mrt.gz",    "updates.mrt.gz", "truth.json", "as2org.txt",
                                    "beacons.txt"};

static void small_params(mrs_sim_params *p, uint64_t seed)
{
    mrs_sim_params_default(p);
    p->ases = 400;
    p->seed = seed;
    p->collectors = 2;
    p->peers_per_collector = 4;
    p->incidents = 2;
}

static const char *world_dir(const char *name)
{
    static char buf[4][600];
    static unsigned k;
    char *d = buf[k++ % 4];
    snprintf(d, 600, "%s/%s", tu_tmpdir(), name);
    mkdir(d, 0777);
    return d;
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b)
        b[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void test_params(void **state)
{
    (void)state;
    mrs_sim_params p;
    char err[256];
    mrs_sim_params_default(&p);
    assert_true(mrs_sim_params_check(&p, err, sizeof err));
    assert_int_equal(p.ases, 2000);
    assert_int_equal(p.collectors, 4);
    assert_int_equal(p.peers_per_collector, 8);
    p.ases = 0;
    assert_false(mrs_sim_params_check(&p, err, sizeof err));
    assert_non_null(strstr(err, "--ases"));
    mrs_sim_params_default(&p);
    p.ases = 10;
    p.collectors = 11;
    assert_false(mrs_sim_params_check(&p, err, sizeof err));
    assert_non_null(strstr(err, "more collectors"));
    p.collectors = 2;
    p.peers_per_collector = 6;
    assert_false(mrs_sim_params_check(&p, err, sizeof err));
    p.peers_per_collector = 5;
    assert_true(mrs_sim_params_check(&p, err, sizeof err));
    p.hours = 0.1;
    assert_false(mrs_sim_params_check(&p, err, sizeof err));
    p.hours = 1;
    p.manrs_share = 1.5;
    assert_false(mrs_sim_params_check(&p, err, sizeof err));
    assert_string_equal(mrs_sim_class_name(0), "route-leak");
    assert_string_equal(mrs_sim_class_name(6), "rpki-invalid");
    /* mrs_sim_write refuses bad parameters too */
    p.manrs_share = 0.3;
    p.ases = 0;
    assert_int_equal(mrs_sim_write(&p, world_dir("bad"), NULL, err, sizeof err), -1);
}

static void test_deterministic(void **state)
{
    (void)state;
    mrs_sim_params p;
    char err[256];
    small_params(&p, 7);
    const char *a = world_dir("det-a"), *b = world_dir("det-b"), *c = world_dir("det-c");
    mrs_sim_summary sa, sb;
    assert_int_equal(mrs_sim_write(&p, a, &sa, err, sizeof err), 0);
    assert_int_equal(mrs_sim_write(&p, b, &sb, err, sizeof err), 0);
    p.seed = 8;
    assert_int_equal(mrs_sim_write(&p, c, NULL, err, sizeof err), 0);
    unsigned differ = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t la, lb, lc;
        char *x = slurp(a, files[i], &la), *y = slurp(b, files[i], &lb), *z = slurp(c, files[i], &lc);
        assert_non_null(x);
        assert_non_null(y);
        assert_non_null(z);
        assert_true(la > 0);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
        differ += la != lc || memcmp(x, z, la) != 0;
        free(x);
        free(y);
        free(z);
    }
    assert_int_equal(differ, sizeof files / sizeof files[0]); /* another seed: another world */
    assert_int_equal(sa.rib_entries, sb.rib_entries);
    assert_int_equal(sa.networks, 400);
    assert_int_equal(sa.collector_peers, 8);
}

typedef struct mrt_count {
    uint64_t rib, ann, wd, st;
    unsigned bad_next_hop;
} mrt_count;

static void count_ev(const mrt_event *ev, void *user)
{
    mrt_count *c = user;
    switch (ev->kind) {
    case MRT_EV_RIB: c->rib++; break;
    case MRT_EV_ANNOUNCE: c->ann++; break;
    case MRT_EV_WITHDRAW: c->wd++; break;
    case MRT_EV_STATE: c->st++; break;
    }
    if ((ev->kind == MRT_EV_RIB || ev->kind == MRT_EV_ANNOUNCE) && (!ev->attrs || !ev->attrs->path))
        c->bad_next_hop++;
}

static void test_files_load(void **state)
{
    (void)state;
    mrs_sim_params p;
    char err[256], path[700];
    small_params(&p, 3);
    const char *d = world_dir("load");
    mrs_sim_summary s;
    assert_int_equal(mrs_sim_write(&p, d, &s, err, sizeof err), 0);
    assert_true(s.incidents >= 10);
    assert_true(s.prefixes_v4 > 400 && s.prefixes_v6 > 50);

    /* as-rel: zero errors, every link, the clique */
    mrs_diag dg;
    mrs_diag_init(&dg, stderr);
    mrs_asrel *rel = mrs_asrel_new();
    snprintf(path, sizeof path, "%s/asrel.txt", d);
    assert_int_equal(mrs_asrel_load(rel, path, &dg), 0);
    assert_int_equal(mrs_asrel_finish(rel), 0);
    assert_int_equal(dg.errors, 0);
    /* sibling links are in as-rel as p2c or p2p (CAIDA has no s2s); the default world
     * writes every other link as it is (--asrel-errors is off) */
    assert_true(s.links_s2s > 0);
    assert_true(mrs_asrel_p2c_count(rel) >= s.links_p2c && mrs_asrel_p2p_count(rel) >= s.links_p2p);
    assert_int_equal(mrs_asrel_p2c_count(rel) + mrs_asrel_p2p_count(rel), s.links_p2c + s.links_p2p + s.links_s2s);
    assert_int_equal(mrs_asrel_as_count(rel), 400);
    size_t ncl;
    mrs_asrel_clique(rel, &ncl);
    assert_int_equal(ncl, s.tier1);
    assert_int_equal(mrs_asrel_rel(rel, 3356, 1299), MRS_REL_P2P);

    /* delegated: zero errors and warnings; every ASN allocated with a country */
    mrs_diag_init(&dg, stderr);
    mrs_deleg_db *db = mrs_deleg_new();
    snprintf(path, sizeof path, "%s/delegated.txt", d);
    assert_int_equal(mrs_deleg_load(db, path, &dg), 0);
    assert_int_equal(dg.errors, 0);
    assert_int_equal(dg.warnings, 0);
    mrs_deleg_answer ans;
    assert_int_equal(mrs_deleg_lookup_asn(db, 3356, &ans), MRS_DELEG_ALLOCATED);

    /* RPSL: zero malformed objects; route objects as counted */
    mrs_diag_init(&dg, stderr);
    irr_db *irr = irr_db_new(&dg);
    snprintf(path, sizeof path, "%s/irr.db", d);
    assert_int_equal(irr_db_load_file(irr, path), 0);
    assert_int_equal(irr_db_finalize(irr), 0);
    const irr_stats *is = irr_db_stats(irr);
    assert_int_equal(is->malformed, 0);
    assert_int_equal(is->duplicates, 0);
    assert_int_equal(is->bad_members, 0);
    assert_int_equal(dg.errors, 0);
    assert_int_equal(is->loaded[IRR_CLASS_ROUTE] + is->loaded[IRR_CLASS_ROUTE6], s.irr_routes);
    assert_true(is->loaded[IRR_CLASS_AUT_NUM] > 100);
    assert_true(is->loaded[IRR_CLASS_AS_SET] > 20);
    assert_true(is->loaded[IRR_CLASS_ROLE] > 50);

    /* MRT: zero damage, counts as in the summary, every route has a path */
    mrt_count c;
    memset(&c, 0, sizeof c);
    const char *mrt[2] = {"rib.mrt.gz", "updates.mrt.gz"};
    for (int i = 0; i < 2; i++) {
        mrs_diag_init(&dg, stderr);
        mrt_decoder *dec = mrt_decoder_new(&dg);
        mrt_scan_result res;
        snprintf(path, sizeof path, "%s/%s", d, mrt[i]);
        assert_true(mrt_scan_file(path, dec, &dg, false, count_ev, &c, &res));
        assert_int_equal(res.damaged, 0);
        assert_false(res.truncated);
        assert_int_equal(dg.errors, 0);
        assert_int_equal(dg.warnings, 0);
        mrt_decoder_free(dec);
    }
    assert_int_equal(c.rib, s.rib_entries);
    assert_int_equal(c.ann, s.announcements);
    assert_int_equal(c.wd, s.withdrawals);
    assert_int_equal(c.st, s.state_changes);
    assert_int_equal(c.st, 5);
    assert_int_equal(c.bad_next_hop, 0);

    /* rpki-client JSON */
    json_error_t je;
    snprintf(path, sizeof path, "%s/vrps.json", d);
    json_t *v = json_load_file(path, 0, &je);
    assert_non_null(v);
    json_t *roas = json_object_get(v, "roas"), *aspas = json_object_get(v, "aspas");
    assert_true(json_is_array(roas) && json_is_array(aspas));
    assert_int_equal(json_array_size(roas), s.roas);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "metadata"), "vrps")), s.roas);
    size_t i;
    json_t *it;
    json_array_foreach(roas, i, it)
    {
        mrs_prefix pf;
        const char *ps = json_string_value(json_object_get(it, "prefix"));
        assert_non_null(ps);
        assert_true(mrs_prefix_parse(ps, strlen(ps), &pf, true));
        json_int_t ml = json_integer_value(json_object_get(it, "maxLength"));
        assert_true(ml >= pf.len && ml <= (pf.afi == MRS_AFI_IPV4 ? 32 : 128));
        assert_true(json_integer_value(json_object_get(it, "asn")) > 0);
        assert_non_null(json_string_value(json_object_get(it, "ta")));
    }
    json_array_foreach(aspas, i, it)
    {
        assert_true(json_is_integer(json_object_get(it, "customer_asid")));
        assert_true(json_array_size(json_object_get(it, "providers")) >= 1);
    }
    json_decref(v);

    /* PeeringDB */
    snprintf(path, sizeof path, "%s/peeringdb.json", d);
    v = json_load_file(path, 0, &je);
    assert_non_null(v);
    json_t *data = json_object_get(v, "data");
    assert_true(json_array_size(data) > 100);
    unsigned with_poc = 0;
    uint32_t poc_asn[400];
    json_array_foreach(data, i, it)
    {
        assert_true(json_integer_value(json_object_get(it, "asn")) > 0);
        json_t *poc = json_object_get(it, "poc_set");
        assert_true(json_is_array(poc));
        if (json_array_size(poc)) {
            assert_true(with_poc < 400);
            poc_asn[with_poc] = (uint32_t)json_integer_value(json_object_get(it, "asn"));
            with_poc++;
            assert_string_equal(json_string_value(json_object_get(json_array_get(poc, 0), "role")), "NOC");
            assert_non_null(strchr(json_string_value(json_object_get(json_array_get(poc, 0), "email")), '@'));
        }
    }
    assert_true(with_poc > 20);
    json_decref(v);

    /* truth.json: the schema of issue 4, exactly */
    snprintf(path, sizeof path, "%s/truth.json", d);
    v = json_load_file(path, 0, &je);
    assert_non_null(v);
    json_t *inc = json_object_get(v, "incidents"), *net = json_object_get(v, "networks");
    assert_int_equal(json_array_size(inc), s.incidents);
    assert_int_equal(json_array_size(net), 400);
    static const char *const cls[] = {"route-leak", "hijack-origin", "hijack-subprefix", "hijack-path",
                                      "bogon-prefix", "bogon-asn", "rpki-invalid"};
    unsigned seen[7] = {0};
    mrs_bogon_set *bs = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    json_array_foreach(inc, i, it)
    {
        assert_int_equal(json_integer_value(json_object_get(it, "id")), (json_int_t)i + 1);
        const char *c0 = json_string_value(json_object_get(it, "class"));
        assert_non_null(c0);
        int k = -1;
        for (int j = 0; j < 7; j++)
            if (!strcmp(c0, cls[j]))
                k = j;
        assert_true(k >= 0);
        seen[k]++;
        assert_true(json_is_integer(json_object_get(it, "culprit")));
        assert_true(json_is_array(json_object_get(it, "propagators")));
        mrs_prefix pf;
        const char *ps = json_string_value(json_object_get(it, "prefix"));
        assert_true(mrs_prefix_parse(ps, strlen(ps), &pf, true));
        /* bogon-prefix incidents are full bogons for the project's own bogon table,
         * and no other incident prefix is */
        mrs_bogon_result br;
        assert_int_equal(mrs_bogon_check_prefix(bs, &pf, &br) == MRS_BOGON_COVERED, k == 4);
        json_int_t st = json_integer_value(json_object_get(it, "start")),
                   en = json_integer_value(json_object_get(it, "end"));
        assert_true(st >= p.start && en > st && en <= p.start + 3600);
    }
    mrs_bogon_set_free(bs);
    for (int j = 0; j < 7; j++)
        assert_int_equal(seen[j], s.incidents_by_class[j]);
    assert_int_equal(seen[0], 8); /* 2 per RFC 7908 type */
    unsigned part = 0;
    json_array_foreach(net, i, it)
    {
        static const char *const b[] = {"manrs_participant", "filters_customers", "rov", "anti_spoofing", "contacts",
                                        "irr_policy"};
        for (int j = 0; j < 6; j++)
            assert_true(json_is_boolean(json_object_get(it, b[j])));
        double rc = json_number_value(json_object_get(it, "roa_coverage"));
        double ic = json_number_value(json_object_get(it, "irr_coverage"));
        assert_true(rc >= 0 && rc <= 1 && ic >= 0 && ic <= 1);
        part += json_is_true(json_object_get(it, "manrs_participant"));
        /* every network's ASN is allocated in delegated.txt and not a bogon ASN */
        uint32_t asn = (uint32_t)json_integer_value(json_object_get(it, "asn"));
        assert_int_equal(mrs_deleg_lookup_asn(db, asn, &ans), MRS_DELEG_ALLOCATED);
        assert_false(mrs_bogon_asn(asn, NULL));
        /* the true posture is observable: routing policy (M6) and contacts (M8: an
         * admin-c/tech-c role with an e-mail, or a PeeringDB poc; abuse-c alone is not) */
        const irr_aut_num *an = irr_db_aut_num(irr, asn, NULL);
        assert_int_equal(json_is_true(json_object_get(it, "irr_policy")), an && an->n_import && an->n_export);
        bool contact = false;
        for (unsigned k = 0; k < with_poc; k++)
            contact |= poc_asn[k] == asn;
        if (an && an->admin_c && *an->admin_c) {
            const irr_contact *ct = irr_db_contact(irr, IRR_CLASS_ROLE, an->admin_c, NULL);
            assert_non_null(ct);
            contact |= ct->e_mail && strchr(ct->e_mail, '@') != NULL;
        }
        assert_int_equal(json_is_true(json_object_get(it, "contacts")), contact);
    }
    assert_int_equal(part, s.manrs);
    json_decref(v);

    /* spoofer.csv: header, 8 fields per line */
    size_t len;
    char *csv = slurp(d, "spoofer.csv", &len);
    assert_non_null(csv);
    assert_memory_equal(csv, "session,timestamp,asn,client_prefix,country,nat,spoof_private,spoof_routed\n", 75);
    unsigned lines = 0;
    for (char *l = csv; *l;) {
        char *e = strchr(l, '\n');
        assert_non_null(e);
        unsigned commas = 0;
        for (char *q = l; q < e; q++)
            commas += *q == ',';
        assert_int_equal(commas, 7);
        lines++;
        l = e + 1;
    }
    assert_true(lines > 50);
    free(csv);

    irr_db_free(irr);
    mrs_deleg_free(db);
    mrs_asrel_free(rel);
}


typedef struct rov_ctx {
    const mrs_rpki *rpki;
    mrs_prefix last;
    uint64_t routes, invalid, too_specific;
    uint32_t asn[2048];
    uint32_t valid[2048], inv[2048], total[2048];
    unsigned n;
} rov_ctx;

static void rov_ev(const mrt_event *ev, void *user)
{
    rov_ctx *c = user;
    if (ev->kind != MRT_EV_RIB || !ev->attrs || !ev->attrs->path)
        return;
    if (c->routes && mrs_prefix_equal(&c->last, &ev->prefix.pfx))
        return; /* one RIB record per prefix: count its first entry */
    c->last = ev->prefix.pfx;
    uint32_t origin;
    assert_true(bgp_path_origin(ev->attrs->path, ev->attrs->path_len, &origin));
    mrs_rov_result rr;
    mrs_rov_state st = mrs_rov_validate_ex(c->rpki, &ev->prefix.pfx, origin, false, &rr);
    c->routes++;
    c->invalid += st == MRS_ROV_INVALID;
    c->too_specific += st == MRS_ROV_INVALID && rr.reason == MRS_ROV_R_TOO_SPECIFIC;
    unsigned k = 0;
    while (k < c->n && c->asn[k] != origin)
        k++;
    if (k == c->n) {
        assert_true(c->n < 2048);
        c->asn[c->n++] = origin;
    }
    c->total[k]++;
    c->valid[k] += st == MRS_ROV_VALID;
    c->inv[k] += st == MRS_ROV_INVALID;
}

/* Confounders: listed in truth with their kind and why, never an incident prefix;
 * as2org.txt loads without an error and makes every listed sibling pair siblings;
 * beacons.txt loads without an error and names every research beacon with its
 * origin; --no-confounders writes none, no as2org.txt and no beacons.txt. */
static void test_confounders(void **state)
{
    (void)state;
    mrs_sim_params p;
    char err[256], path[700];
    small_params(&p, 5);
    const char *d = world_dir("conf");
    mrs_sim_summary s;
    assert_int_equal(mrs_sim_write(&p, d, &s, err, sizeof err), 0);
    assert_true(s.confounders > 0);
    json_error_t je;
    snprintf(path, sizeof path, "%s/truth.json", d);
    json_t *v = json_load_file(path, 0, &je);
    assert_non_null(v);
    assert_true(json_number_value(json_object_get(v, "largest_cone_share")) >= 0.5);
    mrs_diag dg;
    mrs_diag_init(&dg, stderr);
    mrs_as2org *o = mrs_as2org_new();
    snprintf(path, sizeof path, "%s/as2org.txt", d);
    assert_int_equal(mrs_as2org_load(o, path, &dg), 0);
    assert_int_equal(dg.errors, 0);
    assert_int_equal(mrs_as2org_asn_count(o), 400);
    size_t i, j;
    json_t *c, *inc;
    unsigned kinds = 0, sib = 0;
    static const char *const want[] = {"default-route", "siblings",  "partial-transit", "anycast",
                                       "blackhole",     "ris-beacon", "ddos-protection", "research-beacon"};
    mrs_beacon_set *bs = mrs_beacon_set_new(false);
    snprintf(path, sizeof path, "%s/beacons.txt", d);
    assert_int_equal(mrs_beacon_load(bs, path, &dg), 0);
    assert_int_equal(dg.errors, 0);
    unsigned lab = 0;
    json_array_foreach(json_object_get(v, "confounders"), i, c)
    {
        const char *k = json_string_value(json_object_get(c, "kind"));
        assert_non_null(k);
        assert_non_null(json_string_value(json_object_get(c, "why")));
        json_t *ases = json_object_get(c, "ases");
        assert_true(json_array_size(ases) >= 1);
        for (size_t w = 0; w < sizeof want / sizeof want[0]; w++)
            if (!strcmp(k, want[w]))
                kinds |= 1u << w;
        if (!strcmp(k, "research-beacon")) {
            mrs_prefix bp;
            const char *ps = json_string_value(json_object_get(c, "prefix"));
            assert_true(mrs_prefix_parse(ps, strlen(ps), &bp, true));
            const mrs_beacon *b = mrs_beacon_match(bs, &bp, (uint32_t)json_integer_value(json_array_get(ases, 0)));
            assert_non_null(b);
            assert_true(mrs_prefix_equal(&b->prefix, &bp));
            lab++;
        }
        if (!strcmp(k, "siblings")) {
            assert_true(mrs_as2org_siblings(o, (uint32_t)json_integer_value(json_array_get(ases, 0)),
                                            (uint32_t)json_integer_value(json_array_get(ases, 1))));
            sib++;
        }
        const char *pf = json_string_value(json_object_get(c, "prefix"));
        json_array_foreach(json_object_get(v, "incidents"), j, inc)
            assert_true(!pf || strcmp(pf, json_string_value(json_object_get(inc, "prefix"))) != 0);
    }
    assert_int_equal(kinds, (1u << (sizeof want / sizeof want[0])) - 1);
    assert_int_equal(sib, s.links_s2s);
    assert_int_equal(lab, mrs_beacon_count(bs));
    json_decref(v);
    mrs_as2org_free(o);
    mrs_beacon_set_free(bs);

    p.confounders = false;
    const char *e = world_dir("noconf");
    assert_int_equal(mrs_sim_write(&p, e, &s, err, sizeof err), 0);
    assert_int_equal(s.confounders, 0);
    assert_int_equal(s.links_s2s, 0);
    snprintf(path, sizeof path, "%s/as2org.txt", e);
    struct stat st;
    assert_true(stat(path, &st) != 0);
    snprintf(path, sizeof path, "%s/beacons.txt", e);
    assert_true(stat(path, &st) != 0);
}

static void test_rpki_consistent(void **state)
{
    (void)state;
    mrs_sim_params p;
    char err[256], path[700];
    small_params(&p, 11);
    p.confounders = false; /* the holders' own ROAs only: anycast, beacons etc. have other origins */
    p.incidents = 3;
    const char *d = world_dir("rpki");
    mrs_sim_summary s;
    assert_int_equal(mrs_sim_write(&p, d, &s, err, sizeof err), 0);
    mrs_diag dg;
    mrs_diag_init(&dg, stderr);
    mrs_rpki *r = mrs_rpki_new();
    mrs_rpki_load_stats ls;
    snprintf(path, sizeof path, "%s/vrps.json", d);
    assert_int_equal(mrs_rpki_load_file(r, path, &dg, &ls), 0);
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(dg.errors, 0);
    assert_int_equal(ls.skipped, 0);
    assert_int_equal(ls.format, MRS_VRP_FMT_JSON);
    assert_int_equal(ls.vrps, s.roas);
    assert_int_equal(mrs_rpki_vrp_count(r), s.roas); /* no duplicates */
    assert_int_equal(mrs_rpki_aspa_count(r), s.aspas);

    rov_ctx *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->rpki = r;
    mrt_decoder *dec = mrt_decoder_new(&dg);
    mrt_scan_result res;
    snprintf(path, sizeof path, "%s/rib.mrt.gz", d);
    assert_true(mrt_scan_file(path, dec, &dg, false, rov_ev, c, &res));
    mrt_decoder_free(dec);
    /* legitimate routes are RPKI-invalid only by their holder's ROA mistakes (a ROA for
     * the aggregate, none for a more specific); such a route may be dropped by every
     * collector peer (all enforce ROV), then it is missing from the RIB */
    assert_true(c->routes <= s.prefixes_v4 + s.prefixes_v6);
    assert_true(c->routes + s.prefixes_invalid >= s.prefixes_v4 + s.prefixes_v6);
    assert_true(c->invalid > 0 && c->invalid <= s.prefixes_invalid);
    assert_int_equal(c->too_specific, c->invalid);

    json_error_t je;
    snprintf(path, sizeof path, "%s/truth.json", d);
    json_t *v = json_load_file(path, 0, &je);
    assert_non_null(v);
    size_t i;
    json_t *it;
    unsigned checked = 0;
    json_array_foreach(json_object_get(v, "networks"), i, it)
    {
        uint32_t asn = (uint32_t)json_integer_value(json_object_get(it, "asn"));
        for (unsigned k = 0; k < c->n; k++)
            if (c->asn[k] == asn) {
                double want = json_number_value(json_object_get(it, "roa_coverage"));
                double winv = json_number_value(json_object_get(it, "rpki_invalid_share"));
                json_int_t np = json_integer_value(json_object_get(it, "prefixes"));
                /* valid routes are never dropped: the share is exact */
                assert_true(fabs(want - (double)c->valid[k] / np) < 1e-4);
                assert_true(c->total[k] <= np && c->total[k] + winv * np + 0.5 >= np);
                assert_true(c->inv[k] <= winv * np + 0.5);
                checked++;
            }
    }
    assert_int_equal(checked, c->n);
    assert_true(c->n <= s.networks && c->n + 5 >= s.networks);
    unsigned rpki_inv = 0, bogons = 0;
    json_array_foreach(json_object_get(v, "incidents"), i, it)
    {
        const char *cls = json_string_value(json_object_get(it, "class"));
        const char *ps = json_string_value(json_object_get(it, "prefix"));
        mrs_prefix pf;
        assert_true(mrs_prefix_parse(ps, strlen(ps), &pf, true));
        uint32_t culprit = (uint32_t)json_integer_value(json_object_get(it, "culprit"));
        mrs_rov_result rr;
        if (!strcmp(cls, "rpki-invalid")) {
            /* fat finger: Invalid for the wrong origin, yet covered by no announced route */
            assert_int_equal(mrs_rov_validate_ex(r, &pf, culprit, false, &rr), MRS_ROV_INVALID);
            assert_int_equal(rr.reason, MRS_ROV_R_ORIGIN);
            rpki_inv++;
        } else if (!strcmp(cls, "bogon-prefix")) {
            assert_int_equal(mrs_rov_validate(r, &pf, culprit, false), MRS_ROV_NOT_FOUND);
            bogons++;
        } else if (!strcmp(cls, "hijack-origin") || !strcmp(cls, "hijack-subprefix")) {
            assert_int_not_equal(mrs_rov_validate(r, &pf, culprit, false), MRS_ROV_VALID);
        }
    }
    assert_int_equal(rpki_inv, 3);
    assert_int_equal(bogons, 3);
    json_decref(v);
    free(c);
    mrs_rpki_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_files_load),
        cmocka_unit_test(test_rpki_consistent),
        cmocka_unit_test(test_confounders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
