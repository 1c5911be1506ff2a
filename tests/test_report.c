/* test_report.c — `manrs report` (src/output/report/report_*.c, src/cli/cmd_report.c) on a
 * store built here with the store API: synthetic networks, incidents with evidence,
 * two complete runs, a failed and an interrupted one. Outputs are pinned exactly. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "manrs/output/report.h"

#define T0 1700000000u

static void net(mrs_network_metrics *m, uint32_t asn, const char *cc, double a1, double a3, double rpki, double irr)
{
    mrs_score_cfg cfg;
    mrs_score_cfg_default(&cfg);
    memset(m, 0, sizeof *m);
    m->asn = asn;
    snprintf(m->country, sizeof m->country, "%s", cc);
    m->m1 = m->m1c = m->m2 = m->m2c = m->m3 = m->m3c = m->m4 = m->m4c = 100;
    m->m5 = m->m5c = -1;
    m->m6 = m->m8 = a3 > 0;
    m->announced = 20;
    /* (uint64_t) of a double beyond 2^64 is undefined: gcc -O2 gave 0 at run time,
     * -O3 folded it to UINT64_MAX (which no JSON parser reads as an integer) */
    m->irr_covered = irr >= 0 && irr / 5 < 1e18 ? (uint64_t)(irr / 5) : 0;
    m->rpki_valid = rpki >= 0 && rpki / 5 < 1e18 ? (uint64_t)(rpki / 5) : 0;
    m->m7irr = irr;
    m->m7rpki = rpki;
    m->m7rpkin = 0;
    m->action[0] = -1;
    m->action[1] = a1;
    m->action[2] = -1;
    m->action[3] = a3;
    m->action[4] = rpki;
    for (int a = 1; a <= 4; a++)
        m->status[a] = mrs_readiness_of(&cfg, m->action[a]);
}

static mrs_evidence ev_hijack[1], ev_leak[2];

static void incidents(mrs_incident inc[3])
{
    memset(inc, 0, 3 * sizeof *inc);
    memset(ev_hijack, 0, sizeof ev_hijack);
    memset(ev_leak, 0, sizeof ev_leak);
    static uint32_t p1[] = {64500}, p2[] = {64500, 64502}, v1[] = {64503}, v2[] = {64510};
    /* 1: AS64501 hijacks AS64503's 192.0.2.0/24 for 13 h; AS64500 (its provider) let it through */
    inc[0].id = 1;
    inc[0].cls = MRS_INC_HIJACK_ORIGIN;
    inc[0].culprit = 64501;
    inc[0].accomplice = 64500;
    inc[0].propagators = p1;
    inc[0].n_propagators = 1;
    inc[0].victims = v1;
    inc[0].n_victims = 1;
    assert_true(mrs_prefix_parse("192.0.2.0/24", 12, &inc[0].prefix, true));
    inc[0].start = T0;
    inc[0].end = T0 + 13 * 3600;
    inc[0].peers = 12;
    ev_hijack[0].peer_asn = 3333;
    ev_hijack[0].peer_afi = MRS_AFI_IPV4;
    memcpy(ev_hijack[0].peer_ip, (uint8_t[4]){193, 0, 0, 56}, 4);
    ev_hijack[0].time = T0 + 60;
    ev_hijack[0].as_path = "3333 64500 64501";
    ev_hijack[0].file = "updates.20231114.2215.gz";
    ev_hijack[0].offset = 4711;
    ev_hijack[0].note = "origin AS64501 not in ROA 192.0.2.0/24-24 AS64503, no IRR route";
    inc[0].evidence = ev_hijack;
    inc[0].n_evidence = 1;
    /* 2: AS64502 leaks 2001:db8::/32 (RFC 7908 type 1), 20 min */
    inc[1].id = 2;
    inc[1].cls = MRS_INC_ROUTE_LEAK;
    inc[1].culprit = 64502;
    inc[1].propagators = p2;
    inc[1].n_propagators = 2;
    inc[1].victims = v2;
    inc[1].n_victims = 1;
    assert_true(mrs_prefix_parse("2001:db8::/32", 13, &inc[1].prefix, true));
    inc[1].start = T0 + 600;
    inc[1].end = T0 + 1800;
    inc[1].leak_type = 1;
    inc[1].peers = 5;
    ev_leak[0].peer_asn = 6939;
    ev_leak[0].peer_afi = MRS_AFI_IPV6;
    unsigned afi;
    assert_true(mrs_ip_parse("2001:7f8::1b1b:0:1", 18, &afi, ev_leak[0].peer_ip));
    ev_leak[0].time = T0 + 600;
    ev_leak[0].as_path = "6939 64500 64502 64510";
    ev_leak[0].file = "rib.20231114.2200.bz2";
    ev_leak[0].offset = 0;
    ev_leak[1].peer_asn = 3333;
    ev_leak[1].peer_afi = MRS_AFI_IPV4;
    memcpy(ev_leak[1].peer_ip, (uint8_t[4]){193, 0, 0, 56}, 4);
    ev_leak[1].time = T0 + 700;
    ev_leak[1].as_path = "3333 64500 64502 64510";
    ev_leak[1].file = "a \"quoted\", <odd> file";
    ev_leak[1].offset = 99;
    ev_leak[1].note = "peer\nroute";
    inc[1].evidence = ev_leak;
    inc[1].n_evidence = 2;
    /* 3: AS64503 announces a bogon (no evidence sample kept) */
    inc[2].id = 3;
    inc[2].cls = MRS_INC_BOGON_PREFIX;
    inc[2].culprit = 64503;
    assert_true(mrs_prefix_parse("10.0.0.0/8", 10, &inc[2].prefix, true));
    inc[2].start = T0;
    inc[2].end = T0 + 86400;
    inc[2].peers = 9;
}

/* Build the fixture store: runs 1 and 2 complete, 3 failed, 4 interrupted. */
static const char *fixture(void)
{
    static char path[600];
    if (path[0])
        return path;
    snprintf(path, sizeof path, "%s/report.db", tu_tmpdir());
    unlink(path);
    char err[512];
    mrs_store *s = mrs_store_open(path, err, sizeof err);
    assert_non_null(s);
    for (int k = 0; k < 2; k++) {
        int64_t run = mrs_store_begin_run(s, T0 + 86400u * (unsigned)k, T0 + 86400u * (unsigned)(k + 1),
                                          k ? "rib2.mrt.gz updates2.mrt.gz" : "rib.mrt.gz updates.mrt.gz");
        assert_int_equal(run, k + 1);
        mrs_network_metrics m;
        net(&m, 64500, "NL", 100, 100, 95, 100);
        m.m2c = k ? 100 : 60; /* accomplice of the hijack in run 1 only */
        m.raw_c[MRS_INC_HIJACK_ORIGIN] = k ? 0 : 0.5;
        m.action[1] = k ? 100 : 60;
        m.status[1] = k ? MRS_READY : MRS_ASPIRING;
        assert_int_equal(mrs_store_add_network(s, run, &m), 0);
        net(&m, 64501, "NL", 48.55, 0, 0, 50);
        m.m2 = 48.55;
        m.raw[MRS_INC_HIJACK_ORIGIN] = 1;
        m.rpki_invalid = 1;
        m.m7rpkin = 5;
        assert_int_equal(mrs_store_add_network(s, run, &m), 0);
        net(&m, 64502, "DE", 100, 100, 60 + 35 * k, 90);
        snprintf(m.name, sizeof m.name, "Example \"Transit\" <GmbH>");
        m.m1 = 60;
        m.raw[MRS_INC_ROUTE_LEAK] = 0.5;
        assert_int_equal(mrs_store_add_network(s, run, &m), 0);
        net(&m, 64503, "", 100, 0, -1, -1);
        m.m3 = 36;
        m.raw[MRS_INC_BOGON_PREFIX] = 2;
        m.action[1] = 36;
        m.status[1] = MRS_LAGGING;
        m.announced = 0;
        m.irr_covered = m.rpki_valid = 0;
        assert_int_equal(mrs_store_add_network(s, run, &m), 0);
        if (k == 0) {
            mrs_incident inc[3];
            incidents(inc);
            for (int i = 0; i < 3; i++)
                assert_int_equal(mrs_store_add_incident(s, run, &inc[i]), 0);
        }
        assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), 0);
    }
    int64_t run = mrs_store_begin_run(s, T0 + 2 * 86400, T0 + 3 * 86400, "rib3.mrt.gz");
    assert_int_equal(run, 3);
    assert_int_equal(mrs_store_end_run(s, run, "failed", "rib3.mrt.gz: offset 1234: truncated MRT record"), 0);
    run = mrs_store_begin_run(s, T0 + 3 * 86400, T0 + 4 * 86400, "rib4.mrt.gz");
    assert_int_equal(run, 4);
    mrs_store_close(s); /* interrupted */
    return path;
}

/* Run a printer into a string. */
static char *render(int64_t run, const mrs_report_opts *o, int fmt)
{
    char err[512];
    mrs_store *s = mrs_store_open_readonly(fixture(), err, sizeof err);
    assert_non_null(s);
    mrs_report r;
    if (mrs_report_load(s, "report.db", run, o, &r, err, sizeof err))
        fail_msg("%s", err);
    mrs_store_close(s);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    int rc = -1;
    switch (fmt) {
    case 0: rc = mrs_report_table(f, &r, false); break;
    case 1: rc = mrs_report_json(f, &r); break;
    case 2: rc = mrs_report_csv(f, &r); break;
    case 3: rc = mrs_report_html(f, &r); break;
    case 4: rc = mrs_report_markdown(f, &r); break;
    }
    assert_int_equal(rc, 0);
    fclose(f);
    mrs_report_clear(&r);
    return buf;
}

/* started/finished are wall-clock times: replace them by 0 */
static void normalise_times(char *s)
{
    static const char *const keys[] = {"\"started\": ", "\"finished\": "};
    for (int k = 0; k < 2; k++) {
        for (char *p = s; (p = strstr(p, keys[k])) != NULL;) {
            p += strlen(keys[k]);
            if (*p < '0' || *p > '9')
                continue;
            char *e = p;
            while (*e >= '0' && *e <= '9')
                e++;
            *p = '0';
            memmove(p + 1, e, strlen(e) + 1);
        }
    }
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s", path);
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 16384;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t n = fread(buf + len, 1, 4096, f);
        len += n;
        if (n < 4096)
            break;
    }
    fclose(f);
    buf[len] = 0;
    return buf;
}

/* Expected outputs live in tests/report/ beside this file. */
static void expect_file(const char *got, const char *name)
{
    char path[1024];
    const char *src = __FILE__;
    const char *slash = strrchr(src, '/');
    snprintf(path, sizeof path, "%.*s/report/%s", slash ? (int)(slash - src) : 1, slash ? src : ".", name);
    if (getenv("MANRS_REPORT_REGEN")) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
    }
    char *want = slurp(path);
    if (strcmp(got, want)) {
        tu_write_tmp(name, got, strlen(got));
        fail_msg("%s differs from %s (got: %s/%s)", name, path, tu_tmpdir(), name);
    }
    free(want);
}

static mrs_report_opts scope(uint32_t asn, const char *cc, size_t top)
{
    mrs_report_opts o;
    memset(&o, 0, sizeof o);
    o.asn = asn;
    snprintf(o.country, sizeof o.country, "%s", cc);
    o.top = top;
    return o;
}

enum { TABLE, JSON, CSV, HTML, MD };

static void json_lists_truth_names_metrics_and_evidence(void **state)
{
    (void)state;
    mrs_report_opts o = scope(0, "", 0);
    char *j = render(1, &o, JSON);
    normalise_times(j);
    /* the points that matter, independent of the pinned file */
    assert_non_null(strstr(j, "{\"id\": 1, \"class\": \"hijack-origin\", \"confidence\": \"high\", \"reasons\": [], "
                              "\"culprit\": 64501, \"accomplice\": 64500, "
                              "\"propagators\": [64500], \"victims\": [64503], \"prefix\": \"192.0.2.0/24\", \"start\": 1700000000, \"end\": "
                              "1700046800, \"leak_type\": null, \"peers\": 12, \"evidence\": [\n    {\"peer_asn\": 3333, "
                              "\"peer_ip\": \"193.0.0.56\", \"time\": 1700000060, \"as_path\": \"3333 64500 64501\", "
                              "\"file\": \"updates.20231114.2215.gz\", \"offset\": 4711, "));
    assert_non_null(strstr(j, "\"file\": \"a \\\"quoted\\\", <odd> file\", \"offset\": 99, \"note\": \"peer\\nroute\"}"));
    assert_non_null(strstr(j, "\"peer_ip\": \"2001:7f8::1b1b:0:1\""));
    assert_non_null(strstr(j, "{\"rank\": 1, \"asn\": 64502, \"country\": \"DE\", \"name\": \"Example \\\"Transit\\\" "
                              "<GmbH>\", \"metrics\": {\"m1\": 60, "));
    assert_non_null(strstr(j, "\"m5\": null, \"m5c\": null")); /* no data is null, never 0 */
    assert_non_null(strstr(j, "\"global_validation\": {\"score\": 0, \"irr\": 50, \"status\": \"lagging\"}"));
    assert_non_null(strstr(j, "{\"id\": 3, \"status\": \"failed\", \"reason\": \"rib3.mrt.gz: offset 1234: truncated MRT record\""));
    assert_non_null(strstr(j, "{\"id\": 4, \"status\": \"incomplete\", \"reason\": null"));
    json_error_t jerr;
    json_t *doc = json_loads(j, 0, &jerr);
    if (!doc)
        fail_msg("invalid JSON: line %d: %s", jerr.line, jerr.text);
    assert_int_equal(json_array_size(json_object_get(doc, "networks")), 4);
    assert_int_equal(json_array_size(json_object_get(doc, "incidents")), 3);
    json_decref(doc);
    expect_file(j, "run1.json");
    free(j);
    o = scope(64501, "", 0);
    j = render(1, &o, JSON);
    normalise_times(j);
    doc = json_loads(j, 0, &jerr);
    assert_non_null(doc);
    json_decref(doc);
    expect_file(j, "run1-as64501.json");
    free(j);
}

static void csv_has_one_row_per_ranked_network(void **state)
{
    (void)state;
    mrs_report_opts o = scope(0, "", 0);
    char *c = render(1, &o, CSV);
    static const char want[] =
        "run,run_status,rank,asn,country,filtering_score,filtering_status,anti_spoofing_score,anti_spoofing_status,"
        "coordination_score,coordination_status,global_validation_score,global_validation_status,m1,m1c,m2,m2c,m3,m3c,"
        "m4,m4c,m5,m5c,m6,m8,m7irr,m7rpki,m7rpkin,announced,irr_covered,rpki_valid,rpki_invalid,raw_route_leak,"
        "raw_hijack_origin,raw_hijack_subprefix,raw_hijack_path,raw_bogon_prefix,raw_bogon_asn,raw_rpki_invalid,"
        "raw_accomplice_route_leak,raw_accomplice_hijack_origin,raw_accomplice_hijack_subprefix,"
        "raw_accomplice_hijack_path,raw_accomplice_bogon_prefix,raw_accomplice_bogon_asn,raw_accomplice_rpki_invalid\r\n"
        "1,complete,1,64502,DE,100,ready,,no_data,100,ready,60,aspiring,60,100,100,100,100,100,100,100,,,true,true,90,60,"
        "0,20,18,12,0,0.5,0,0,0,0,0,0,0,0,0,0,0,0,0\r\n"
        "1,complete,2,64500,NL,60,aspiring,,no_data,100,ready,95,ready,100,100,100,60,100,100,100,100,,,true,true,100,95,"
        "0,20,20,19,0,0,0,0,0,0,0,0,0,0.5,0,0,0,0,0\r\n"
        "1,complete,3,64503,,36,lagging,,no_data,0,lagging,,no_data,100,100,100,100,36,100,100,100,,,false,false,,,0,0,0,"
        "0,0,0,0,0,0,2,0,0,0,0,0,0,0,0,0\r\n"
        "1,complete,4,64501,NL,48.55,lagging,,no_data,0,lagging,0,lagging,100,100,48.55,100,100,100,100,100,,,false,false,"
        "50,0,5,20,10,0,1,0,1,0,0,0,0,0,0,0,0,0,0,0,0\r\n";
    assert_string_equal(c, want);
    free(c);
}

static void table_ranks_networks_with_actions_side_by_side(void **state)
{
    (void)state;
    mrs_report_opts o = scope(0, "", 0);
    char *t = render(1, &o, TABLE);
    /* aligned columns, no trailing blanks, no colour when not asked */
    assert_non_null(strstr(t, " rank  network      cc  1 Filtering     2 Anti-spoof    3 Coordination  4 RPKI   IRR\n"
                              "    1  AS64502      DE  100.0 ready         - no_data   100.0 ready      60.0  90.0 aspiring\n"
                              "    2  AS64500      NL   60.0 aspiring      - no_data   100.0 ready      95.0 100.0 ready\n"
                              "    3  AS64503      --   36.0 lagging       - no_data     0.0 lagging       -     - no_data\n"
                              "    4  AS64501      NL   48.5 lagging       - no_data     0.0 lagging     0.0  50.0 lagging\n"));
    assert_null(strstr(t, " \n"));
    assert_null(strchr(t, '\033'));
    expect_file(t, "run1.txt");
    free(t);
    o = scope(64501, "", 0);
    t = render(1, &o, TABLE);
    assert_non_null(strstr(t, "  M2 48.5 %: hijacks (mis-originations) by the network — 1 incident\n"
                              "    #1 hijack-origin 192.0.2.0/24 by AS64501 via AS64500 against AS64503, 2023-11-14 22:13:20 .. "
                              "2023-11-15 11:13:20 (13h 0m), seen by 12 peers\n"
                              "      peer AS3333 193.0.0.56 at 2023-11-14 22:14:20  path 3333 64500 64501  "
                              "updates.20231114.2215.gz @ 4711  origin AS64501 not in ROA 192.0.2.0/24-24 AS64503, no IRR "
                              "route\n"));
    expect_file(t, "run1-as64501.txt");
    free(t);
    /* the accomplice sees the incident under M2C, with the same evidence */
    o = scope(64500, "", 0);
    t = render(1, &o, TABLE);
    assert_non_null(strstr(t, "  M2C 60.0 %: hijacks of direct customers it propagated — 1 incident\n    #1 hijack-origin"));
    assert_non_null(strstr(t, "also propagated 1 incident of other networks further away (not scored)"));
    free(t);
}

static void markdown_is_pinned(void **state)
{
    (void)state;
    mrs_report_opts o = scope(0, "", 0);
    char *m = render(1, &o, MD);
    expect_file(m, "run1.md");
    free(m);
    o = scope(64502, "", 0);
    m = render(1, &o, MD);
    /* hostile text cannot break the table */
    assert_non_null(strstr(m, "a \"quoted\", \\<odd\\> file @ 99 — peer route |"));
    expect_file(m, "run1-as64502.md");
    free(m);
}

static void html_is_self_contained_with_charts_and_sections(void **state)
{
    (void)state;
    mrs_report_opts o = scope(0, "", 0);
    char *h = render(1, &o, HTML);
    assert_true(!strncmp(h, "<!DOCTYPE html>", 15));
    assert_non_null(strstr(h, "</html>\n"));
    assert_non_null(strstr(h, "<svg role=\"img\" aria-label=\"readiness distribution per action\""));
    assert_non_null(strstr(h, "<svg role=\"img\" aria-label=\"share of networks ready per action across runs\""));
    assert_non_null(strstr(h, "<svg role=\"img\" aria-label=\"incidents per class\""));
    /* trend: one polyline per action over the two complete runs, filtering 25 % -> 50 % ready */
    assert_non_null(strstr(h, "<title>run 1, Filtering: 25.0% ready</title>"));
    assert_non_null(strstr(h, "<title>run 2, Filtering: 50.0% ready</title>"));
    assert_null(strstr(h, "run 3,")); /* the failed run is no data point */
    for (uint32_t asn = 64500; asn <= 64503; asn++) {
        char id[80];
        snprintf(id, sizeof id, "<section class=\"net\" id=\"as%u\">", asn);
        assert_non_null(strstr(h, id));
        snprintf(id, sizeof id, "<a href=\"#as%u\">AS%u</a>", asn, asn);
        assert_non_null(strstr(h, id));
    }
    assert_non_null(strstr(h, "<h2>Countries</h2>"));
    assert_non_null(strstr(h, "a &quot;quoted&quot;, &lt;odd&gt; file"));
    assert_non_null(strstr(h, "<h2>AS64502 Example &quot;Transit&quot; &lt;GmbH&gt; <span class=\"muted\">DE"));
    assert_null(strstr(h, "<odd>"));
    /* nothing to fetch: no scripts, no external references */
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "http://"));
    assert_null(strstr(h, "https://"));
    assert_null(strstr(h, "src="));
    assert_null(strstr(h, "@import"));
    free(h);
}

/* A victim (AS64503, whose prefix AS64501 took) is told of it in every format,
 * though nothing is scored against it; the HTML lists every incident and links
 * the rows of the sections to it. */
static void victims_see_what_was_done_to_them(void **state)
{
    (void)state;
    char err[256];
    mrs_store *s = mrs_store_open_readonly(fixture(), err, sizeof err);
    assert_non_null(s);
    mrs_report r;
    mrs_report_opts o = scope(64503, "", 0);
    assert_int_equal(mrs_report_load(s, "x", 1, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.inc.n, 2);   /* #1 as victim, #3 as culprit */
    assert_string_equal(mrs_incident_role(&r.inc.v[0], 64503), "victim");
    assert_string_equal(mrs_incident_role(&r.inc.v[1], 64503), "culprit");
    assert_true(mrs_incident_harms(&r.inc.v[0], 64503));
    assert_false(mrs_incident_harms(&r.inc.v[0], 64501));
    assert_null(mrs_incident_role(&r.inc.v[0], 64999));
    mrs_report_clear(&r);
    mrs_store_close(s);
    char *t = render(1, &o, TABLE);
    assert_non_null(strstr(t, "victim of 1 incident (its address space or routes taken by another network"));
    assert_non_null(strstr(t, "#1 hijack-origin 192.0.2.0/24 by AS64501 via AS64500 against AS64503"));
    free(t);
    char *j = render(1, &o, JSON);
    assert_non_null(strstr(j, "\"victims\": [64503], \"role\": \"victim\""));
    assert_non_null(strstr(j, "\"victims\": [], \"role\": \"culprit\""));
    free(j);
    char *m = render(1, &o, MD);
    assert_non_null(strstr(m, "### Victim of 1 incident (not scored against AS64503)"));
    free(m);
    char *h = render(1, &o, HTML);
    assert_non_null(strstr(h, "<h3>Victim of 1 incident"));
    assert_non_null(strstr(h, "<td>victim</td>"));
    free(h);
    o = scope(0, "", 0);
    h = render(1, &o, HTML);
    for (int id = 1; id <= 3; id++) {
        char a[48];
        snprintf(a, sizeof a, "<tr id=\"inc-%d\">", id);
        assert_non_null(strstr(h, a));
    }
    assert_non_null(strstr(h, "<a href=\"#inc-1\">1</a>"));
    free(h);
}

static void failed_and_interrupted_runs_never_look_complete(void **state)
{
    (void)state;
    mrs_report_opts o = scope(0, "", 0);
    char *t = render(3, &o, TABLE);
    assert_non_null(strstr(t, "run 3 (failed)"));
    assert_non_null(strstr(t, "THIS RUN IS FAILED: it holds no results — rib3.mrt.gz: offset 1234: truncated MRT record\n"));
    free(t);
    t = render(4, &o, TABLE);
    assert_non_null(strstr(t, "run 4 (incomplete)"));
    assert_non_null(strstr(t, "THIS RUN IS INCOMPLETE"));
    free(t);
    char *j = render(3, &o, JSON);
    assert_non_null(strstr(j, "{\"run\": {\"id\": 3, \"status\": \"failed\", \"reason\": \"rib3.mrt.gz: offset 1234"));
    assert_non_null(strstr(j, "\"networks\": [],\n\"incidents\": [],"));
    free(j);
    char *h = render(3, &o, HTML);
    assert_non_null(strstr(h, "<div class=\"banner\">This run is FAILED: it holds no results. Reason: rib3.mrt.gz"));
    free(h);
    char *m = render(4, &o, MD);
    assert_non_null(strstr(m, "- status: **incomplete**"));
    assert_non_null(strstr(m, "> **This run is incomplete: it holds no results.**"));
    free(m);
}

static void scopes_select_networks_and_their_incidents(void **state)
{
    (void)state;
    char err[256];
    mrs_store *s = mrs_store_open_readonly(fixture(), err, sizeof err);
    assert_non_null(s);
    mrs_report r;
    mrs_report_opts o = scope(0, "NL", 0);
    assert_int_equal(mrs_report_load(s, "x", 1, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.n_nets, 2);
    assert_int_equal(r.nets[0].asn, 64500);
    assert_int_equal(r.nets[1].asn, 64501);
    assert_int_equal(r.inc.n, 2); /* #1 (culprit 64501) and #2 (propagated by 64500); not #3 */
    assert_int_equal(r.inc.v[0].id, 1);
    assert_int_equal(r.inc.v[1].id, 2);
    assert_int_equal(r.total.networks, 2);
    assert_int_equal(r.n_trend, 2);
    assert_int_equal(r.trend[1].agg.status[1][MRS_READY], 1);
    mrs_report_clear(&r);
    o = scope(0, "", 1);
    assert_int_equal(mrs_report_load(s, "x", 1, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.n_nets, 1);
    assert_int_equal(r.n_nets_scope, 4);
    assert_int_equal(r.nets[0].asn, 64502);
    assert_int_equal(r.inc.n, 1);
    assert_int_equal(r.inc.v[0].id, 2);
    assert_int_equal(r.total.networks, 4); /* aggregates cover the whole scope, not the cut */
    mrs_report_clear(&r);
    o = scope(0, "", 0);
    assert_int_equal(mrs_report_load(s, "x", 1, &o, &r, err, sizeof err), 0);
    assert_int_equal(r.n_countries, 2); /* unknown country is not a country */
    assert_string_equal(r.countries[0].country, "NL");
    assert_int_equal(r.countries[0].networks, 2);
    assert_true(r.total.mean[1] > 61.13 && r.total.mean[1] < 61.14); /* (100 + 60 + 36 + 48.55) / 4 */
    assert_true(r.total.mean[2] < 0);
    mrs_report_clear(&r);
    assert_int_equal(mrs_report_load(s, "x", 99, &o, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "no run 99"));
    mrs_store_close(s);
}

/* Run the manrs binary; returns the exit status, output in out (stdout+stderr). */
static int run_cli(const char *args, char *out, size_t outlen)
{
    const char *bin = getenv("MANRS_BIN");
    if (!bin || access(bin, X_OK))
        return -1;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' report %s 2>&1", bin, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void cli_reports_bad_input_clearly(void **state)
{
    (void)state;
    if (!getenv("MANRS_BIN")) {
        print_message("SKIP: MANRS_BIN not set\n");
        skip();
    }
    static char out[1 << 16];
    char args[1024];
    const char *db = fixture();
    snprintf(args, sizeof args, "--db '%s/none.db'", tu_tmpdir());
    assert_int_equal(run_cli(args, out, sizeof out), 1);
    assert_non_null(strstr(out, "none.db: cannot open store: No such file or directory"));
    snprintf(args, sizeof args, "--db '%s' --run 99", db);
    assert_int_equal(run_cli(args, out, sizeof out), 1);
    assert_non_null(strstr(out, "no run 99 in this store"));
    /* default: the newest complete run, saying why the newer ones are skipped */
    snprintf(args, sizeof args, "--db '%s'", db);
    assert_int_equal(run_cli(args, out, sizeof out), 0);
    assert_non_null(strstr(out, "note: run 3 is failed: rib3.mrt.gz: offset 1234: truncated MRT record; showing the newest complete run"));
    assert_non_null(strstr(out, "note: run 4 is incomplete; showing"));
    assert_non_null(strstr(out, "run 2 (complete)"));
    /* a failed run is printed as failed and exits 1 */
    snprintf(args, sizeof args, "--db '%s' --run 3 --format json", db);
    assert_int_equal(run_cli(args, out, sizeof out), 1);
    assert_non_null(strstr(out, "\"status\": \"failed\""));
    assert_non_null(strstr(out, "manrs report: run 3 is failed: rib3.mrt.gz"));
    snprintf(args, sizeof args, "--db '%s' --as 64999", db);
    assert_int_equal(run_cli(args, out, sizeof out), 1);
    assert_non_null(strstr(out, "AS64999 does not appear in run 2"));
    snprintf(args, sizeof args, "--db '%s' --format xml", db);
    assert_int_equal(run_cli(args, out, sizeof out), 2);
    assert_non_null(strstr(out, "unknown format 'xml'"));
    snprintf(args, sizeof args, "--db '%s' --as 1 --top 3", db);
    assert_int_equal(run_cli(args, out, sizeof out), 2);
    snprintf(args, sizeof args, "--db '%s' --country N1", db);
    assert_int_equal(run_cli(args, out, sizeof out), 2);
    snprintf(args, sizeof args, "--db '%s' --run 0", db);
    assert_int_equal(run_cli(args, out, sizeof out), 2);
    /* --country is case-insensitive; --runs lists every run with its status */
    snprintf(args, sizeof args, "--db '%s' --country nl --format csv", db);
    assert_int_equal(run_cli(args, out, sizeof out), 0);
    assert_non_null(strstr(out, "\r\n2,complete,1,64500,NL,"));
    snprintf(args, sizeof args, "--db '%s' --runs", db);
    assert_int_equal(run_cli(args, out, sizeof out), 0);
    assert_non_null(strstr(out, "   3  failed "));
    assert_non_null(strstr(out, "   4  incomplete "));
    /* a file that is not a store */
    const char *junk = tu_write_tmp("junk.db", "SQLite format 2\0garbage garbage garbage garbage garbage garbage", 64);
    snprintf(args, sizeof args, "--db '%s'", junk);
    assert_int_equal(run_cli(args, out, sizeof out), 1);
    assert_non_null(strstr(out, "junk.db: cannot read as an SQLite database"));
    /* -o writes the HTML file */
    snprintf(args, sizeof args, "--db '%s' --format html -o '%s/r.html'", db, tu_tmpdir());
    assert_int_equal(run_cli(args, out, sizeof out), 0);
    snprintf(args, sizeof args, "%s/r.html", tu_tmpdir());
    char *h = slurp(args);
    assert_non_null(strstr(h, "<svg"));
    free(h);
}

static void json_is_valid_utf8_whatever_the_store_holds(void **state)
{
    (void)state;
    char path[600], err[512];
    snprintf(path, sizeof path, "%s/utf8.db", tu_tmpdir());
    unlink(path);
    mrs_store *s = mrs_store_open(path, err, sizeof err);
    assert_non_null(s);
    /* valid é, then a lone continuation byte, a truncated sequence, a surrogate, a control */
    int64_t run = mrs_store_begin_run(s, 1, 2, "caf\xc3\xa9 \x91 \xe2\x82 \xed\xa0\x80 \x1b[31m");
    /* absurd values (a damaged store) print exactly, without overflowing anything */
    mrs_network_metrics m;
    net(&m, 64500, "NL", 1e300, 100, 1e300, 1e300);
    m.m2 = 1e300;
    m.raw[0] = 1e300;
    assert_int_equal(mrs_store_add_network(s, run, &m), 0);
    assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), 0);
    mrs_store_close(s);
    s = mrs_store_open_readonly(path, err, sizeof err);
    assert_non_null(s);
    mrs_report r;
    mrs_report_opts o = scope(0, "", 0);
    assert_int_equal(mrs_report_load(s, "x", run, &o, &r, err, sizeof err), 0);
    mrs_store_close(s);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(mrs_report_json(f, &r), 0);
    fclose(f);
    assert_non_null(strstr(buf, "\"inputs\": \"caf\xc3\xa9 \\ufffd \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd \\u001b[31m\""));
    json_error_t jerr;
    json_t *doc = json_loads(buf, 0, &jerr);
    assert_non_null(doc);
    json_decref(doc);
    free(buf);
    /* the terminal table never passes the escape sequence through */
    f = open_memstream(&buf, &len);
    assert_int_equal(mrs_report_table(f, &r, false), 0);
    fclose(f);
    assert_null(strchr(buf, '\033'));
    free(buf);
    f = open_memstream(&buf, &len);
    assert_int_equal(mrs_report_html(f, &r), 0);
    assert_int_equal(mrs_report_markdown(f, &r), 0);
    assert_int_equal(mrs_report_csv(f, &r), 0);
    fclose(f);
    assert_non_null(strstr(buf, "<b>M2</b> 1.0000000000000001e+300 %"));
    free(buf);
    mrs_report_clear(&r);
}

/* Low-confidence incidents: left out (and counted) by default, listed with their
 * reasons with include_low; the run's warnings head every format. */
static void low_confidence_is_listed_only_on_request(void **state)
{
    (void)state;
    char err[512];
    char path[600];
    snprintf(path, sizeof path, "%s/low.db", tu_tmpdir());
    unlink(path);
    mrs_store *s = mrs_store_open(path, err, sizeof err);
    assert_non_null(s);
    int64_t run = mrs_store_begin_run(s, T0, T0 + 3600, "updates.gz");
    mrs_incident hi, lo;
    memset(&hi, 0, sizeof hi);
    memset(&lo, 0, sizeof lo);
    hi.id = 1;
    hi.cls = MRS_INC_BOGON_ASN;
    hi.culprit = 64501;
    assert_true(mrs_prefix_parse("192.0.2.0/24", 12, &hi.prefix, true));
    hi.start = T0;
    hi.end = T0 + 600;
    lo = hi;
    lo.id = 2;
    lo.cls = MRS_INC_ROUTE_LEAK;
    lo.confidence = MRS_CONF_LOW;
    lo.reasons = MRS_WHY_REL_CONFLICT;
    assert_int_equal(mrs_store_add_incident(s, run, &hi), 0);
    assert_int_equal(mrs_store_add_incident(s, run, &lo), 0);
    assert_int_equal(mrs_store_set_warnings(s, run, "--asrel a.txt: 3172 days away"), 0);
    assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), 0);
    mrs_store_close(s);
    for (int with_low = 0; with_low < 2; with_low++) {
        s = mrs_store_open_readonly(path, err, sizeof err);
        assert_non_null(s);
        mrs_report_opts o = scope(0, "", 0);
        o.include_low = with_low;
        mrs_report r;
        assert_int_equal(mrs_report_load(s, "low.db", run, &o, &r, err, sizeof err), 0);
        mrs_store_close(s);
        assert_int_equal(r.inc.n, with_low ? 2 : 1);
        assert_int_equal(r.n_low_hidden, with_low ? 0 : 1);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_int_equal(mrs_report_table(f, &r, false), 0);
        assert_int_equal(mrs_report_json(f, &r), 0);
        assert_int_equal(mrs_report_markdown(f, &r), 0);
        assert_int_equal(mrs_report_html(f, &r), 0);
        fclose(f);
        assert_non_null(strstr(buf, "warning: --asrel a.txt: 3172 days away"));
        assert_non_null(strstr(buf, "\"warnings\": [\"--asrel a.txt: 3172 days away\"]"));
        if (with_low) {
            assert_non_null(strstr(buf, "\"confidence\": \"low\", \"reasons\": [\"relationship-conflict\"]"));
        } else {
            assert_non_null(strstr(buf, "1 low-confidence, not shown (--include-low)"));
            assert_null(strstr(buf, "\"confidence\": \"low\""));
        }
        free(buf);
        mrs_report_clear(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_lists_truth_names_metrics_and_evidence),
        cmocka_unit_test(csv_has_one_row_per_ranked_network),
        cmocka_unit_test(table_ranks_networks_with_actions_side_by_side),
        cmocka_unit_test(markdown_is_pinned),
        cmocka_unit_test(html_is_self_contained_with_charts_and_sections),
        cmocka_unit_test(victims_see_what_was_done_to_them),
        cmocka_unit_test(failed_and_interrupted_runs_never_look_complete),
        cmocka_unit_test(scopes_select_networks_and_their_incidents),
        cmocka_unit_test(cli_reports_bad_input_clearly),
        cmocka_unit_test(json_is_valid_utf8_whatever_the_store_holds),
        cmocka_unit_test(low_confidence_is_listed_only_on_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
