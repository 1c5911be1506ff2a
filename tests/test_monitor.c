/* test_monitor.c — `manrs monitor`: BGPalerter's prefixes.yml read unchanged
 * (scalars and lists of ASNs, booleans, groups, options.monitorASns; bad entries
 * skipped with their line, unknown keys warned, non-YAML refused), and the
 * engine's alerts: each raised once when min-peers peers hold it and resolved once
 * when none does, through announcements, replacements, withdrawals and sessions
 * lost; hijack (exact and more-specific), newprefix, misconfiguration,
 * visibility, rpki. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/monitor.h"
#include "manrs/core/outbuf.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/rpki.h"

static mrs_prefix P(const char *s)
{
    mrs_prefix p;
    assert_true(mrs_prefix_parse(s, strlen(s), &p, true));
    return p;
}

static const char GOOD[] =
    "# BGPalerter prefixes.yml\n"
    "203.0.113.0/24:\n"
    "  description: web farm\n"
    "  asn: 64500\n"
    "  ignoreMorespecifics: false\n"
    "  ignore: false\n"
    "  group: noc\n"
    "2001:db8::/32:\n"
    "  description: v6\n"
    "  asn:\n"
    "    - 64500\n"
    "    - AS64501\n"
    "  ignoreMorespecifics: yes\n"
    "  path:\n"
    "    - match: \".*64500$\"\n"
    "  colour: blue\n"
    "192.0.2.0/24:\n"
    "  asn: [64502]\n"
    "  ignore: true\n"
    "options:\n"
    "  monitorASns:\n"
    "    '64500':\n"
    "      group: noc\n"
    "    64503:\n";

static char *load(const char *text, mon_config *c, int *rc)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    mrs_diag d;
    mrs_diag_init(&d, f);
    *rc = mon_config_load_mem(text, strlen(text), "p.yml", c, &d);
    fclose(f);
    return out;
}

static void config_good(void **state)
{
    (void)state;
    mon_config c;
    int rc;
    char *msg = load(GOOD, &c, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(c.nprefixes, 3);
    assert_int_equal(c.skipped, 0);
    /* sorted: IPv4 first */
    mrs_prefix p = P("192.0.2.0/24");
    assert_int_equal(mrs_prefix_cmp(&c.prefixes[0].prefix, &p), 0);
    assert_true(c.prefixes[0].ignore);
    assert_string_equal(c.prefixes[0].group, "default");
    assert_string_equal(c.prefixes[1].description, "web farm");
    assert_string_equal(c.prefixes[1].group, "noc");
    assert_int_equal(c.prefixes[1].nasns, 1);
    assert_int_equal(c.prefixes[1].asns[0], 64500);
    assert_int_equal(c.prefixes[1].line, 2);
    assert_int_equal(c.prefixes[2].nasns, 2);
    assert_int_equal(c.prefixes[2].asns[1], 64501);
    assert_true(c.prefixes[2].ignore_more_specifics);
    assert_int_equal(c.nasns, 2);
    assert_int_equal(c.asns[0].asn, 64500);
    assert_string_equal(c.asns[0].group, "noc");
    assert_int_equal(c.asns[1].asn, 64503);
    assert_string_equal(c.asns[1].group, "default");
    assert_int_equal(c.prefixes[2].npaths, 1);
    assert_true(c.prefixes[2].paths[0].has_match && !c.prefixes[2].paths[0].has_not_match);
    assert_non_null(strstr(msg, "p.yml:16: warning: 2001:db8::/32: unknown key 'colour' ignored"));
    free(msg);
    mon_config_clear(&c);
}

/* Path rules whose regular expression glibc would take hours to compile
 * (quantifiers stacked 15 deep: found by fuzz_monitor_config) or that copy out
 * to millions of positions are refused at once with the reason; the rule that
 * is fine stays, and so does the prefix. */
static void config_slow_regex(void **state)
{
    (void)state;
    mon_config c;
    int rc;
    char *msg = load("10.0.0.0/8:\n  asn: 1\n  path:\n    - match: \".*+++++++++++++++1$\"\n"
                     "    - match: \"(.{1,255}){1,255}\"\n    - match: \"((((a+)+)+)+)\"\n"
                     "    - match: \"(.*2914|[[:digit:]]+ 3356)( [0-9]+){0,4}$\"\n",
                     &c, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(msg, "p.yml:4: path match: quantifiers nested more than 3 deep"));
    assert_non_null(strstr(msg, "p.yml:5: path match: repeats too large"));
    assert_non_null(strstr(msg, "p.yml:6: path match: quantifiers nested more than 3 deep"));
    assert_int_equal(c.nprefixes, 1);
    assert_int_equal(c.prefixes[0].npaths, 1);
    free(msg);
    mon_config_clear(&c);
}

static void config_bad(void **state)
{
    (void)state;
    static const struct {
        const char *yml;
        int rc;
        const char *why;
    } cases[] = {
        {"203.0.113.0/33:\n  asn: 1\n10.0.0.0/8:\n  asn: 2\n", 0, "p.yml:1: '203.0.113.0/33' is not a prefix"},
        {"10.0.0.0/8:\n  asn: 4294967296\n20.0.0.0/8:\n  asn: 1\n", 0, "p.yml:2: asn: not an AS number: '4294967296'"},
        {"10.0.0.0/8:\n  description: x\n20.0.0.0/8:\n  asn: 1\n", 0, "p.yml:1: 10.0.0.0/8: no asn"},
        {"10.0.0.0/8:\n  asn: 1\n  ignore: maybe\n20.0.0.0/8:\n  asn: 1\n", 0, "p.yml:3: ignore: 'maybe' is not true or false"},
        {"10.0.0.0/8: [1, 2]\n20.0.0.0/8:\n  asn: 1\n", 0, "10.0.0.0/8: expected its settings"},
        {"10.0.0.0/8:\n  asn: 1\n   bad: indentation\n", -1, "p.yml:3: not YAML"},
        {"- 10.0.0.0/8\n", -1, "not a prefixes.yml"},
        {"", -1, "p.yml: no records"},
        {"options:\n  monitorASns:\n", -1, "no prefix or AS to monitor"},
        /* a repeated asn key (found by fuzz_monitor_config): the last one counts */
        {"10.0.0.0/8:\n  asn: [1, 2, 3]\n  asn: [4, 5, 6, 7]\n20.0.0.0/8:\n  asn: x\n", 0, "p.yml:5: asn: not an AS number: 'x'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mon_config c;
        int rc;
        char *msg = load(cases[i].yml, &c, &rc);
        if (rc != cases[i].rc || !strstr(msg, cases[i].why))
            fail_msg("case %zu: rc %d, '%s'", i, rc, msg);
        if (rc == 0 && (c.skipped != 1 || c.nprefixes != 1))
            fail_msg("case %zu: %zu skipped, %zu kept", i, c.skipped, c.nprefixes);
        free(msg);
        mon_config_clear(&c);
    }
}

/* ------------------------------------------------------------------ engine */

typedef struct log {
    char lines[32][160];
    unsigned n;
} log_t;

static void on_alert(const mon_alert *a, void *user)
{
    log_t *l = user;
    char p[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&a->prefix, p);
    assert_true(l->n < 32);
    snprintf(l->lines[l->n++], sizeof l->lines[0], "%s%s %s AS%u peers=%u t=%u", a->resolved ? "resolved " : "",
             a->type, p, a->asn, a->peers, a->time);
}

static uint32_t T = 1000;

static void evp(mon_engine *e, mrs_route_event_kind kind, uint8_t peer, const char *pfx, const uint32_t *asns,
                unsigned n)
{
    mrs_route_event x;
    memset(&x, 0, sizeof x);
    x.kind = kind;
    x.time = T++;
    x.peer.afi = MRS_AFI_IPV4;
    x.peer.ip[0] = 10, x.peer.ip[3] = peer;
    x.peer.asn = asns[0];
    x.peer_known = true;
    x.safi = 1;
    uint32_t w[16];
    w[0] = MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, n);
    memcpy(w + 1, asns, n * sizeof *asns);
    x.prefix = P(pfx);
    if (kind != MRS_RE_WITHDRAW)
        x.path = (mrs_as_path){w, n + 1};
    x.source = "test";
    mon_engine_event(&x, e);
}

/* A route of peer N with the path (65000 + N, 64999, origin), a withdrawal, or
 * the peer's session lost (MRS_RE_PEER_STATE). */
static void ev(mon_engine *e, mrs_route_event_kind kind, uint8_t peer, const char *pfx, uint32_t origin)
{
    if (kind == MRS_RE_PEER_STATE) {
        mrs_route_event x;
        memset(&x, 0, sizeof x);
        x.kind = kind;
        x.time = T++;
        x.peer.afi = MRS_AFI_IPV4;
        x.peer.ip[0] = 10, x.peer.ip[3] = peer;
        x.peer_known = true;
        x.old_state = 6;
        x.new_state = 1;
        mon_engine_event(&x, e);
        return;
    }
    uint32_t path[] = {65000u + peer, 64999, origin};
    evp(e, kind, peer, pfx, path, 3);
}

static void expect(log_t *l, unsigned *seen, const char *line)
{
    if (*seen >= l->n)
        fail_msg("expected '%s', no more alerts", line);
    if (strcmp(l->lines[*seen], line))
        fail_msg("alert %u: '%s', expected '%s'", *seen, l->lines[*seen], line);
    (*seen)++;
}

static void engine_alerts(void **state)
{
    (void)state;
    mon_config c;
    int rc;
    char *msg = load("192.0.2.0/24:\n  asn: 64500\n  description: lab\noptions:\n  monitorASns:\n    64500:\n", &c, &rc);
    free(msg);
    assert_int_equal(rc, 0);
    mrs_rpki *r = mrs_rpki_new();
    mrs_prefix v = P("192.0.2.0/24");
    assert_int_equal(mrs_rpki_add_vrp(r, &v, 24, 64500, NULL), 0);
    assert_int_equal(mrs_rpki_build(r), 0);
    log_t l = {.n = 0};
    mon_opts o = {.min_peers = 2, .rpki = r};
    mon_engine *e = mon_engine_new(&c, &o, on_alert, &l);
    unsigned seen = 0;
    T = 1000;

    ev(e, MRS_RE_RIB, 1, "192.0.2.0/24", 64500);
    ev(e, MRS_RE_RIB, 2, "192.0.2.0/24", 64500);
    assert_int_equal(l.n, 0);                               /* t 1000, 1001 */
    /* a sub-prefix hijack: one peer is not enough, the second raises it */
    ev(e, MRS_RE_ANNOUNCE, 1, "192.0.2.128/25", 64666);     /* 1002 */
    assert_int_equal(l.n, 0);
    ev(e, MRS_RE_ANNOUNCE, 2, "192.0.2.128/25", 64666);     /* 1003 */
    expect(&l, &seen, "hijack 192.0.2.128/25 AS64666 peers=2 t=1003");
    ev(e, MRS_RE_ANNOUNCE, 2, "192.0.2.128/25", 64666);     /* repeated: nothing */
    ev(e, MRS_RE_WITHDRAW, 2, "192.0.2.128/25", 0);         /* 1005: one peer still has it */
    assert_int_equal(l.n, seen);
    /* replaced by the owner's own more-specific: hijack over, newprefix (one peer) */
    ev(e, MRS_RE_ANNOUNCE, 1, "192.0.2.128/25", 64500);     /* 1006 */
    expect(&l, &seen, "resolved hijack 192.0.2.128/25 AS64666 peers=0 t=1006");
    ev(e, MRS_RE_ANNOUNCE, 2, "192.0.2.128/25", 64500);     /* 1007 */
    expect(&l, &seen, "newprefix 192.0.2.128/25 AS64500 peers=2 t=1007");
    /* and RPKI invalid (too specific for the /24-24 VRP): the owner's own mistake */
    expect(&l, &seen, "rpki 192.0.2.128/25 AS64500 peers=2 t=1007");
    /* the monitored AS announces a prefix not listed */
    ev(e, MRS_RE_ANNOUNCE, 1, "198.51.100.0/24", 64500);    /* 1008 */
    ev(e, MRS_RE_ANNOUNCE, 2, "198.51.100.0/24", 64500);    /* 1009 */
    expect(&l, &seen, "misconfiguration 198.51.100.0/24 AS64500 peers=2 t=1009");
    /* its own route is covered by no ROA: an rpki alert too */
    expect(&l, &seen, "rpki 198.51.100.0/24 AS64500 peers=2 t=1009");
    /* routes of others, elsewhere: nothing */
    ev(e, MRS_RE_ANNOUNCE, 1, "203.0.113.0/24", 64501);
    assert_int_equal(l.n, seen);
    /* peer 1's session is lost: none of its routes counts any more */
    ev(e, MRS_RE_PEER_STATE, 1, NULL, 0);                   /* 1011 */
    assert_int_equal(l.n, seen);                            /* every alert still held by peer 2 */
    ev(e, MRS_RE_PEER_STATE, 2, NULL, 0);                   /* 1012 */
    /* (in the order the routes were first held) */
    expect(&l, &seen, "visibility 192.0.2.0/24 AS64500 peers=2 t=1012");
    expect(&l, &seen, "resolved newprefix 192.0.2.128/25 AS64500 peers=0 t=1012");
    expect(&l, &seen, "resolved rpki 192.0.2.128/25 AS64500 peers=0 t=1012");
    expect(&l, &seen, "resolved misconfiguration 198.51.100.0/24 AS64500 peers=0 t=1012");
    expect(&l, &seen, "resolved rpki 198.51.100.0/24 AS64500 peers=0 t=1012");
    /* back at one peer: visibility holds at the other; back at both: resolved */
    ev(e, MRS_RE_ANNOUNCE, 1, "192.0.2.0/24", 64500);       /* 1013 */
    assert_int_equal(l.n, seen);
    ev(e, MRS_RE_ANNOUNCE, 2, "192.0.2.0/24", 64500);       /* 1014 */
    expect(&l, &seen, "resolved visibility 192.0.2.0/24 AS64500 peers=0 t=1014");
    /* an exact-prefix hijack: the peers see the prefix from another origin, ours is
     * no longer visible from them either */
    ev(e, MRS_RE_ANNOUNCE, 1, "192.0.2.0/24", 64777);
    ev(e, MRS_RE_ANNOUNCE, 2, "192.0.2.0/24", 64777);       /* 1016 */
    expect(&l, &seen, "visibility 192.0.2.0/24 AS64500 peers=2 t=1016");
    expect(&l, &seen, "hijack 192.0.2.0/24 AS64777 peers=2 t=1016");
    assert_int_equal(l.n, seen);
    mon_stats st = mon_engine_stats(e);
    assert_int_equal(st.raised, 8);
    assert_int_equal(st.resolved, 6);

    /* the JSON line of the last one */
    mrs_outbuf ob;
    mrs_outbuf_init(&ob, NULL);
    mon_alert a = {.type = "hijack", .prefix = P("192.0.2.0/24"), .asn = 64777, .time = 1016, .peers = 2,
                   .description = "d \"q\"", .rule = &c.prefixes[0], .group = "noc"};
    mon_alert_json(&ob, &a);
    mrs_outbuf_putc(&ob, 0);
    assert_string_equal(ob.buf, "{\"type\":\"hijack\",\"prefix\":\"192.0.2.0/24\",\"asn\":64777,\"time\":\"1970-01-01T00:16:56Z\","
                               "\"description\":\"d \\\"q\\\"\",\"resolved\":false,\"peers\":2,\"group\":\"noc\","
                               "\"monitored\":\"192.0.2.0/24\",\"expected\":[64500]}\n");
    mrs_outbuf_close(&ob);
    mon_engine_free(e);
    mrs_rpki_free(r);
    mon_config_clear(&c);
}

/* The alerts on the path of one's own routes: ASPA and AS-relationship leaks
 * (a valley of the RIB snapshot is standing, not alerted), bogon ASNs and
 * prefixes, neighbours not listed. Public ASNs only (documentation and private
 * ones are bogons). */
static void engine_path_alerts(void **state)
{
    (void)state;
    mon_config c;
    int rc;
    free(load("198.18.0.0/24:\n  asn: 100\n193.0.0.0/21:\n  asn: 100\n"
              "options:\n  monitorASns:\n    100:\n      upstreams: [200, 300]\n      downstreams: []\n",
              &c, &rc));
    assert_int_equal(rc, 0);
    assert_true(c.asns[0].has_upstreams && c.asns[0].has_downstreams);
    assert_int_equal(c.asns[0].nupstreams, 2);
    assert_int_equal(c.asns[0].ndownstreams, 0);
    mrs_rpki *r = mrs_rpki_new();
    mrs_prefix v = P("193.0.0.0/21");
    assert_int_equal(mrs_rpki_add_vrp(r, &v, 21, 100, NULL), 0);
    uint32_t p100[] = {200, 300}, p700[] = {710};
    assert_int_equal(mrs_rpki_add_aspa(r, 100, p100, 2), 0);
    assert_int_equal(mrs_rpki_add_aspa(r, 700, p700, 1), 0);
    assert_int_equal(mrs_rpki_build(r), 0);
    mrs_asrel *rel = mrs_asrel_new();
    /* 100 is a customer of 200 and of 300; 200 and 300 peer; 400 is a customer of
     * 300, 900 and 950 */
    assert_int_equal(mrs_asrel_add(rel, 200, 100, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(rel, 300, 100, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(rel, 200, 300, MRS_REL_P2P), 0);
    assert_int_equal(mrs_asrel_add(rel, 300, 400, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(rel, 900, 400, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(rel, 950, 400, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_finish(rel), 0);
    mrs_bogon_set *b = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    assert_non_null(b);
    log_t l = {.n = 0};
    mon_opts o = {.min_peers = 1, .rpki = r, .asrel = rel, .bogons = b};
    mon_engine *e = mon_engine_new(&c, &o, on_alert, &l);
    unsigned seen = 0;
    T = 5000;
    /* a valley in the RIB snapshot: 400 passes 300's route (its provider's) to 900, its
     * other provider: standing practice, not alerted */
    uint32_t standing[] = {900, 400, 300, 100};
    evp(e, MRS_RE_RIB, 1, "193.0.0.0/21", standing, 4);
    assert_int_equal(l.n, 0);
    /* the same valley later, from another peer: still standing */
    uint32_t same[] = {900, 400, 300, 100};
    evp(e, MRS_RE_ANNOUNCE, 2, "193.0.0.0/21", same, 4);
    assert_int_equal(l.n, 0);
    uint32_t fine[] = {300, 200, 100};      /* up to 200, across to its peer 300: valley-free */
    evp(e, MRS_RE_ANNOUNCE, 3, "193.0.0.0/21", fine, 3);
    assert_int_equal(l.n, 0);
    /* a new valley: 400 passes its provider 300's route to its other provider 950 */
    uint32_t leak2[] = {950, 400, 300, 100};
    evp(e, MRS_RE_ANNOUNCE, 3, "193.0.0.0/21", leak2, 4);
    expect(&l, &seen, "leak 193.0.0.0/21 AS400 peers=1 t=5003");
    /* an ASPA valley: 100's providers are 200 and 300 only, 700's is 710: the path
     * 800 <- 700 <- 500 <- 100 goes down (or sideways) at 100 -> 500 and up at 700 -> 800 */
    uint32_t aspa[] = {800, 700, 500, 100};
    evp(e, MRS_RE_ANNOUNCE, 4, "193.0.0.0/21", aspa, 4);
    /* and 100's upstream 500 is not in its list */
    expect(&l, &seen, "leak 193.0.0.0/21 AS500 peers=1 t=5004");    /* 500 or after it, not 100 */
    expect(&l, &seen, "neighbor 193.0.0.0/21 AS500 peers=1 t=5004");
    /* a bogon ASN in the path of one's own route; a bogon prefix of one's own */
    uint32_t priv[] = {200, 64512, 100};
    evp(e, MRS_RE_ANNOUNCE, 5, "193.0.0.0/21", priv, 3);
    expect(&l, &seen, "bogon 193.0.0.0/21 AS64512 peers=1 t=5005");
    expect(&l, &seen, "neighbor 193.0.0.0/21 AS64512 peers=1 t=5005");
    uint32_t own[] = {200, 100};
    evp(e, MRS_RE_ANNOUNCE, 6, "198.18.0.0/24", own, 2);     /* RFC 2544 benchmarking space */
    expect(&l, &seen, "rpki 198.18.0.0/24 AS100 peers=1 t=5006");   /* no ROA covers it */
    expect(&l, &seen, "bogon 198.18.0.0/24 AS100 peers=1 t=5006");
    /* a downstream: none allowed */
    uint32_t down[] = {200, 100, 600};
    evp(e, MRS_RE_ANNOUNCE, 7, "203.0.113.0/24", down, 3);
    expect(&l, &seen, "neighbor 203.0.113.0/24 AS600 peers=1 t=5007");
    /* withdrawn: resolved */
    evp(e, MRS_RE_WITHDRAW, 3, "193.0.0.0/21", leak2, 4);
    expect(&l, &seen, "resolved leak 193.0.0.0/21 AS400 peers=0 t=5008");
    expect(&l, &seen, "visibility 193.0.0.0/21 AS100 peers=1 t=5008");   /* peer 3 had it */
    assert_int_equal(l.n, seen);
    mon_engine_free(e);
    mrs_bogon_set_free(b);
    mrs_asrel_free(rel);
    mrs_rpki_free(r);
    mon_config_clear(&c);
}

/* ROAs expiring: a route valid only through VRPs whose end ("expires") comes
 * within roa_expiry_s is alerted as time passes, without any update; renewed VRPs
 * resolve it. */
static void engine_roa_expiry(void **state)
{
    (void)state;
    mon_config c;
    int rc;
    free(load("193.0.0.0/21:\n  asn: 100\n", &c, &rc));
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    const char *old = "{\"roas\":[{\"prefix\":\"193.0.0.0/21\",\"maxLength\":21,\"asn\":\"AS100\",\"expires\":20000}]}";
    const char *renewed = "{\"roas\":[{\"prefix\":\"193.0.0.0/21\",\"maxLength\":21,\"asn\":\"AS100\",\"expires\":90000}]}";
    mrs_rpki *r1 = mrs_rpki_new(), *r2 = mrs_rpki_new();
    assert_int_equal(mrs_rpki_load_mem(r1, old, strlen(old), "v1.json", &d, NULL), 0);
    assert_int_equal(mrs_rpki_load_mem(r2, renewed, strlen(renewed), "v2.json", &d, NULL), 0);
    assert_int_equal(mrs_rpki_build(r1), 0);
    assert_int_equal(mrs_rpki_build(r2), 0);
    mrs_prefix p = P("193.0.0.0/21");
    int64_t until;
    assert_int_equal(mrs_rov_validate_until(r1, &p, 100, &until), MRS_ROV_VALID);
    assert_int_equal(until, 20000);
    assert_int_equal(mrs_rov_validate_until(r1, &p, 101, &until), MRS_ROV_INVALID);
    assert_int_equal(until, 0);     /* not Valid */
    log_t l = {.n = 0};
    mon_opts o = {.min_peers = 1, .rpki = r1, .roa_expiry_s = 3600};
    mon_engine *e = mon_engine_new(&c, &o, on_alert, &l);
    unsigned seen = 0;
    T = 10000;
    uint32_t path[] = {200, 100};
    evp(e, MRS_RE_ANNOUNCE, 1, "193.0.0.0/21", path, 2);   /* 10 000: 10 000 s before the end */
    assert_int_equal(l.n, 0);
    mon_engine_tick(e, 15000);
    assert_int_equal(l.n, 0);
    mon_engine_tick(e, 16500);                              /* less than an hour left */
    expect(&l, &seen, "rpki 193.0.0.0/21 AS100 peers=1 t=16500");
    mon_engine_set_rpki(e, r2, 16600);                      /* renewed */
    expect(&l, &seen, "resolved rpki 193.0.0.0/21 AS100 peers=0 t=16600");
    assert_int_equal(l.n, seen);
    mon_engine_free(e);
    mrs_rpki_free(r1);
    mrs_rpki_free(r2);
    mon_config_clear(&c);
}

/* BGPalerter path rules: match, notMatch, lengths; a bad regular expression
 * skips its rule only. */
static void engine_path_rules(void **state)
{
    (void)state;
    mon_config c;
    int rc;
    char *msg = load("193.0.0.0/21:\n  asn: 100\n  path:\n"
                     "    - match: \".*300,100$\"\n      notMatch: \".*666.*\"\n      matchDescription: via 300\n"
                     "      maxLength: 4\n"
                     "    - match: \"(\"\n      matchDescription: broken\n",
                     &c, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(msg, "p.yml:8: path match:"));
    free(msg);
    assert_int_equal(c.prefixes[0].npaths, 1);
    assert_int_equal(c.skipped, 1);
    /* a repeated key: the last one counts, the first is freed (ASan; found by fuzzing) */
    mon_config c2;
    free(load("10.0.0.0/8:\n  asn: 1\n  path:\n    - match: \"2\"\n      match: \"(\"\n"
              "    - match: \"2\"\n      match: \"3\"\n", &c2, &rc));
    assert_int_equal(rc, 0);
    assert_int_equal(c2.prefixes[0].npaths, 1);
    assert_int_equal(regexec(&c2.prefixes[0].paths[0].match, "3", 0, NULL, 0), 0);
    mon_config_clear(&c2);
    log_t l = {.n = 0};
    mon_opts o = {.min_peers = 1};
    mon_engine *e = mon_engine_new(&c, &o, on_alert, &l);
    unsigned seen = 0;
    T = 7000;
    uint32_t p1[] = {200, 100}, p2[] = {400, 300, 100}, p3[] = {666, 300, 100}, p4[] = {1, 2, 3, 300, 100};
    evp(e, MRS_RE_ANNOUNCE, 1, "193.0.0.0/21", p1, 2);
    evp(e, MRS_RE_ANNOUNCE, 3, "193.0.0.0/21", p3, 3);     /* notMatch */
    evp(e, MRS_RE_ANNOUNCE, 4, "193.0.0.0/21", p4, 5);     /* longer than maxLength */
    assert_int_equal(l.n, 0);
    evp(e, MRS_RE_ANNOUNCE, 2, "193.0.0.0/21", p2, 3);     /* 7003 */
    expect(&l, &seen, "path 193.0.0.0/21 AS100 peers=1 t=7003");
    evp(e, MRS_RE_ANNOUNCE, 2, "193.0.0.0/21", p1, 2);     /* 7004: the path changes back */
    expect(&l, &seen, "resolved path 193.0.0.0/21 AS100 peers=0 t=7004");
    assert_int_equal(l.n, seen);
    mon_engine_free(e);
    mon_config_clear(&c);
}

/* An alert still active is said again every repeat_s seconds of feed time, with
 * "repeat": true; a resolved one is not. */
static void engine_repeat(void **state)
{
    (void)state;
    mon_config c;
    int rc;
    free(load("192.0.2.0/24:\n  asn: 64500\n", &c, &rc));
    log_t l = {.n = 0};
    mon_opts o = {.min_peers = 1, .repeat_s = 60};
    mon_engine *e = mon_engine_new(&c, &o, on_alert, &l);
    unsigned seen = 0;
    T = 1000;
    ev(e, MRS_RE_ANNOUNCE, 1, "192.0.2.0/24", 64666);       /* 1000 */
    expect(&l, &seen, "hijack 192.0.2.0/24 AS64666 peers=1 t=1000");
    T = 1030;
    ev(e, MRS_RE_ANNOUNCE, 2, "203.0.113.0/24", 1);          /* not yet */
    assert_int_equal(l.n, seen);
    mon_engine_tick(e, 1061);                                /* a quiet feed's clock */
    expect(&l, &seen, "hijack 192.0.2.0/24 AS64666 peers=1 t=1061");
    T = 1070;
    ev(e, MRS_RE_WITHDRAW, 1, "192.0.2.0/24", 0);
    expect(&l, &seen, "resolved hijack 192.0.2.0/24 AS64666 peers=0 t=1070");
    mon_engine_tick(e, 2000);
    assert_int_equal(l.n, seen);
    assert_int_equal(mon_engine_stats(e).repeated, 1);
    mon_engine_free(e);
    mon_config_clear(&c);
}

/* The /metrics endpoint's request heads (RFC 9112 §3). */
static void http_requests(void **state)
{
    (void)state;
    static const struct {
        const char *head;
        int verdict;
    } cases[] = {
        {"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 200},
        {"GET /metrics?name[]=x HTTP/1.0\r\n\r\n", 200},
        {"HEAD /metrics HTTP/1.1\n\n", 201},
        {"GET / HTTP/1.1\r\n\r\n", 404},
        {"GET /metricsX HTTP/1.1\r\n\r\n", 404},
        {"POST /metrics HTTP/1.1\r\n\r\n", 405},
        {"GET /metrics HTTP/2.0\r\n\r\n", 400},
        {"GET /metrics\r\n\r\n", 400},
        {" /metrics HTTP/1.1\r\n\r\n", 400},
        {"GET  HTTP/1.1\r\n\r\n", 400},
        {"GET /metrics HTTP/1.1\r\nHost: x\r\n", 0},
        {"", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (mon_http_request(cases[i].head, strlen(cases[i].head)) != cases[i].verdict)
            fail_msg("case %zu: %d", i, mon_http_request(cases[i].head, strlen(cases[i].head)));
    char big[5000];
    memset(big, 'a', sizeof big);
    assert_int_equal(mon_http_request(big, sizeof big), 400);   /* a head that never ends */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(config_good),
        cmocka_unit_test(config_bad),
        cmocka_unit_test(config_slow_regex),
        cmocka_unit_test(engine_alerts),
        cmocka_unit_test(engine_repeat),
        cmocka_unit_test(engine_path_alerts),
        cmocka_unit_test(engine_roa_expiry),
        cmocka_unit_test(engine_path_rules),
        cmocka_unit_test(http_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
