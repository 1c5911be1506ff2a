/* test_programme.c — the MANRS programme: the participants registry and the
 * disputes file (kb/participants.h), the committed Actions of a mask and each
 * committed (network, Action) of a participant's verdicts in order, the sign-up
 * rule sets, conformance verdicts and the enforcement state machine
 * (analysis/programme.h). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/analysis/programme.h"
#include "manrs/kb/participants.h"

/* ------------------------------------------------------------------ helpers */

typedef struct msgs {
    char text[4096];
    size_t n;
} msgs;

static void sink(void *ctx, int is_error, const char *msg)
{
    msgs *m = ctx;
    size_t o = strlen(m->text);
    snprintf(m->text + o, sizeof m->text - o, "%s%s\n", is_error ? "E " : "W ", msg);
    m->n++;
}

static int load(const char *yaml, mrs_registry *r, msgs *m, mrs_diag *d)
{
    memset(m, 0, sizeof *m);
    mrs_diag_init(d, NULL);
    d->sink = sink;
    d->sink_ctx = m;
    return mrs_registry_load_mem(yaml, strlen(yaml), "reg.yml", r, d);
}

#define GOOD_HEAD "version: 1\nparticipants:\n"
#define NETOPS(id, asn, acts)                                                                                          \
    "  - organisation: " id "\n    programme: network-operator\n    tier: manrs\n    joined: 2019-05-14\n"         \
    "    contact: noc@" id ".example\n    asns:\n      - {asn: " asn ", actions: " acts "}\n"

/* ------------------------------------------------------------------ registry */

static void registry_reads_every_programme(void **state)
{
    (void)state;
    static const char yaml[] =
        GOOD_HEAD NETOPS("alpha", "64500", "[1, 2, 3, 4]")
        "  - organisation: Beta Cloud GmbH\n    id: beta\n    programme: cdn-cloud\n    tier: manrs-plus\n"
        "    joined: 2021-03-01\n    contact: https://beta.example/manrs\n    asns:\n"
        "      - {asn: AS64501, actions: [1, 2, 3, 4, 5]}\n      - {asn: 64502, actions: [1, 2, 3, 4, 5, 6]}\n"
        "  - organisation: Example IX\n    programme: ixp\n    tier: manrs\n    joined: 2018-06-01\n"
        "    contact: ops@ix.example\n    route-server: 64510\n    peering-lan: [192.0.2.0/24, 2001:db8::/64]\n"
        "    actions: [1, 2, 3]\n"
        "  - organisation: Router Vendor\n    programme: vendor\n    tier: manrs\n    joined: 2022-01-10\n"
        "    contact: psirt@vendor.example\n    actions: [1]\n"
        "tiers:\n  manrs:\n    grace-periods: 3\n    action1-min: 80\n  manrs-plus: {leaks-count: false}\n";
    mrs_registry r;
    msgs m;
    mrs_diag d;
    assert_int_equal(load(yaml, &r, &m, &d), 0);
    assert_int_equal(r.skipped, 0);
    assert_int_equal(m.n, 0);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.v[0].id, "alpha");
    assert_int_equal(r.v[0].joined, 20190514);
    assert_int_equal(r.v[0].actions, 0x1e);
    assert_string_equal(r.v[1].id, "beta");
    assert_int_equal(r.v[1].programme, MRS_PROG_CDN);
    assert_int_equal(r.v[1].tier, MRS_TIER_PLUS);
    assert_int_equal(r.v[1].n_asns, 2);
    assert_int_equal(r.v[1].asns[0].asn, 64501);
    assert_int_equal(r.v[1].actions, 0x7e);
    assert_string_equal(r.v[2].id, "example-ix");
    assert_int_equal(r.v[2].route_server, 64510);
    assert_int_equal(r.v[2].n_lans, 2);
    assert_int_equal(r.v[3].programme, MRS_PROG_VENDOR);
    assert_true(r.tiers[MRS_TIER_MANRS].grace_periods == 3);
    assert_true(r.tiers[MRS_TIER_MANRS].action_min[1] == 80);
    assert_true(r.tiers[MRS_TIER_MANRS].action_min[4] == 90);
    assert_false(r.tiers[MRS_TIER_PLUS].leaks_count);
    assert_true(r.tiers[MRS_TIER_PLUS].action_min[1] == 100);
    assert_ptr_equal(mrs_registry_find(&r, "AS64502"), &r.v[1]);
    assert_ptr_equal(mrs_registry_find(&r, "example ix"), &r.v[2]);
    assert_ptr_equal(mrs_registry_find(&r, "64510"), &r.v[2]);
    assert_null(mrs_registry_find(&r, "64599"));
    mrs_registry_clear(&r);
}

/* Each damaged participant: FILE:LINE: what, skipped and counted; the rest read. */
static void damaged_participants_are_reported_and_skipped(void **state)
{
    (void)state;
    static const struct {
        const char *entry, *want;
    } cases[] = {
        {"  - organisation: X\n    programme: isp\n", "reg.yml:4: programme must be one of"},
        {"  - {organisation: X, programme: network-operator, tier: gold, joined: 2020-01-01, contact: a@b.example, "
         "asns: [{asn: 1, actions: [1]}]}\n",
         "reg.yml:3: tier must be one of"},
        {"  - {organisation: X, programme: network-operator, tier: manrs, joined: 2020-02-30, contact: a@b.example, "
         "asns: [{asn: 1, actions: [1]}]}\n",
         "expected a date YYYY-MM-DD for: joined"},
        {"  - {organisation: X, programme: network-operator, tier: manrs, joined: 2020-01-01, contact: nobody, "
         "asns: [{asn: 1, actions: [1]}]}\n",
         "contact must be an e-mail address or an http(s):// URL"},
        {"  - {organisation: X, programme: network-operator, tier: manrs, joined: 2020-01-01, contact: a@b.example, "
         "asns: [{asn: 1, actions: [5]}]}\n",
         "an Action number must be: 1..4"},
        {"  - {organisation: X, programme: network-operator, tier: manrs, joined: 2020-01-01, contact: a@b.example, "
         "asns: [{asn: 0, actions: [1]}]}\n",
         "expected an AS number for: asn"},
        {"  - {organisation: X, programme: network-operator, tier: manrs, joined: 2020-01-01, contact: a@b.example}\n",
         "needs asns: with their actions"},
        {"  - {organisation: X, programme: ixp, tier: manrs, joined: 2020-01-01, contact: a@b.example, actions: [1]}\n",
         "an IXP needs its route-server ASN or its peering-lan"},
        {"  - {organisation: X, programme: vendor, tier: manrs, joined: 2020-01-01, contact: a@b.example, "
         "actions: [1], route-server: 5}\n",
         "route-server and peering-lan are for IXPs"},
        {"  - {organisation: X, programme: network-operator, tier: manrs, joined: 2020-01-01, contact: a@b.example, "
         "asns: [{asn: 1, actions: [1]}], colour: blue}\n",
         "unknown key: colour"},
        {"  - {organisation: X, programme: network-operator, tier: manrs, joined: 2020-01-01, contact: a@b.example, "
         "asns: [{asn: 1, actions: [1]}, {asn: 1, actions: [2]}]}\n",
         "the same ASN twice: AS1"},
        {"  - just a string\n", "reg.yml:3: a participant must be a mapping"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml, GOOD_HEAD "%s" NETOPS("alpha", "64500", "[1]"), cases[i].entry);
        mrs_registry r;
        msgs m;
        mrs_diag d;
        assert_int_equal(load(yaml, &r, &m, &d), 0);
        if (!strstr(m.text, cases[i].want))
            fail_msg("case %zu: want \"%s\" in: %s", i, cases[i].want, m.text);
        assert_int_equal(r.skipped, 1);
        assert_int_equal(r.n, 1);
        assert_string_equal(r.v[0].id, "alpha");
        mrs_registry_clear(&r);
    }
    /* not a registry at all: -1 */
    const char *bad[] = {"version: 2\nparticipants: []\n", "[1, 2]\n", "version: 1\nparticipants: {a: 1}\n",
                         "version: 1\nparticipants:\n  - {organisation: [unclosed\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mrs_registry r;
        msgs m;
        mrs_diag d;
        assert_int_equal(load(bad[i], &r, &m, &d), -1);
        assert_true(d.errors > 0);
    }
}

/* One network, one commitment: a second claim is reported with both lines and
 * dropped; a participant left with no ASN of its own is left out. */
static void overlapping_participants_are_reported(void **state)
{
    (void)state;
    static const char yaml[] = GOOD_HEAD NETOPS("alpha", "64500", "[1, 4]") NETOPS("beta", "64500", "[1]")
        "  - {organisation: gamma, programme: network-operator, tier: manrs, joined: 2020-01-01, "
        "contact: a@gamma.example, asns: [{asn: 64500, actions: [2]}, {asn: 64501, actions: [1, 2]}]}\n"
        NETOPS("alpha", "64502", "[1]");
    mrs_registry r;
    msgs m;
    mrs_diag d;
    assert_int_equal(load(yaml, &r, &m, &d), 0);
    assert_non_null(strstr(m.text, "reg.yml:16: AS64500 is claimed by alpha (line 3) too"));
    assert_non_null(strstr(m.text, "beta has no ASN left of its own"));
    assert_non_null(strstr(m.text, "id alpha is taken by an earlier participant"));
    assert_int_equal(r.n, 2);
    assert_string_equal(r.v[1].id, "gamma");
    assert_int_equal(r.v[1].n_asns, 1);
    assert_int_equal(r.v[1].asns[0].asn, 64501);
    assert_int_equal(r.v[1].actions, 0x6);
    assert_int_equal(r.skipped, 4); /* beta's and gamma's claims, beta, the second alpha */
    mrs_registry_clear(&r);
}

static void disputes_are_read(void **state)
{
    (void)state;
    static const char yaml[] =
        "disputes:\n"
        "  - participant: alpha\n    incident: 17\n    reason: our customer's ROA was wrong\n"
        "    filed: 2025-12-03\n    status: upheld\n"
        "  - participant: beta\n    incident: {class: route-leak, prefix: 192.0.2.0/24, culprit: AS64501,"
        " start: 2025-12-01T00:10:00Z}\n    reason: it was a sibling\n"
        "  - participant: gamma\n    incident: {class: hijack-origin}\n    reason: names nothing\n"
        "  - participant: delta\n    incident: 5\n";
    mrs_dispute_list l;
    msgs m;
    memset(&m, 0, sizeof m);
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    d.sink = sink;
    d.sink_ctx = &m;
    assert_int_equal(mrs_disputes_load_mem(yaml, sizeof yaml - 1, "d.yml", &l, &d), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.skipped, 2);
    assert_non_null(strstr(m.text, "d.yml:11: incident: name at least its prefix or culprit"));
    assert_non_null(strstr(m.text, "d.yml:13: no reason"));
    assert_int_equal(l.v[0].id, 17);
    assert_int_equal(l.v[0].status, MRS_DISPUTE_UPHELD);
    assert_int_equal(l.v[1].culprit, 64501);
    assert_int_equal(l.v[1].start, 1764547800);
    assert_int_equal(l.v[1].status, MRS_DISPUTE_OPEN);
    mrs_incident inc;
    memset(&inc, 0, sizeof inc);
    inc.id = 3;
    inc.cls = MRS_INC_ROUTE_LEAK;
    inc.culprit = 64501;
    inc.start = 1764547800;
    assert_true(mrs_prefix_parse("192.0.2.0/24", 12, &inc.prefix, true));
    assert_true(mrs_dispute_matches(&l.v[1], &inc));
    assert_true(mrs_incident_disputed(&l, "beta", &inc));
    assert_false(mrs_incident_disputed(&l, "alpha", &inc));   /* only its own */
    inc.start++;
    assert_false(mrs_dispute_matches(&l.v[1], &inc));
    inc.start--;
    inc.cls = MRS_INC_HIJACK_ORIGIN;
    assert_false(mrs_dispute_matches(&l.v[1], &inc));
    l.v[1].status = MRS_DISPUTE_REJECTED;   /* reviewed: counts again */
    inc.cls = MRS_INC_ROUTE_LEAK;
    assert_false(mrs_incident_disputed(&l, "beta", &inc));
    mrs_dispute_list_clear(&l);
}

/* ------------------------------------------------------------------ rules */

static mrs_participant netops(uint8_t a)
{
    static mrs_participant_asn one;
    one = (mrs_participant_asn){64500, a, 1};
    mrs_participant p;
    memset(&p, 0, sizeof p);
    p.id = "x";
    p.programme = MRS_PROG_NETOPS;
    p.asns = &one;
    p.n_asns = 1;
    p.actions = a;
    return p;
}

#define B(k) MRS_ACTION_BIT(k)

static void signup_rules_follow_their_time(void **state)
{
    (void)state;
    const mrs_ruleset *r14 = mrs_ruleset_by_name("manrs-2014"), *r16 = mrs_ruleset_by_name("manrs-2016");
    const mrs_ruleset *r18 = mrs_ruleset_by_name("manrs-2018"), *cur = mrs_ruleset_current();
    assert_non_null(r14);
    assert_non_null(r16);
    assert_non_null(r18);
    assert_string_equal(mrs_ruleset_name(cur), "manrs-2020");
    assert_null(mrs_ruleset_by_name("manrs-1999"));
    char why[256];
    mrs_participant p = netops(B(1));
    assert_false(mrs_signup_check(r14, &p, why, sizeof why));   /* 2014: two of four */
    assert_non_null(strstr(why, "at least 2"));
    assert_true(mrs_signup_check(r16, &p, why, sizeof why));
    p = netops(B(3));
    assert_false(mrs_signup_check(cur, &p, why, sizeof why));   /* coordination alone */
    assert_non_null(strstr(why, "alone"));
    p = netops(B(1) | B(3));
    assert_true(mrs_signup_check(r14, &p, why, sizeof why));
    assert_true(mrs_signup_check(cur, &p, why, sizeof why));
    /* IXPs: 1 and 2 mandatory, three of five; no IXP programme before 2018 */
    p = netops(B(1) | B(3) | B(4));
    p.programme = MRS_PROG_IXP;
    p.n_asns = 0;
    assert_false(mrs_signup_check(cur, &p, why, sizeof why));
    assert_non_null(strstr(why, "Action 2"));
    p.actions = B(1) | B(2);
    assert_false(mrs_signup_check(r18, &p, why, sizeof why));
    p.actions = B(1) | B(2) | B(5);
    assert_true(mrs_signup_check(r18, &p, why, sizeof why));
    assert_false(mrs_signup_check(r16, &p, why, sizeof why));
    assert_non_null(strstr(why, "did not exist"));
    /* CDN and cloud: 1-5 mandatory */
    p = netops(B(1) | B(2) | B(3) | B(4) | B(6));
    p.programme = MRS_PROG_CDN;
    assert_false(mrs_signup_check(cur, &p, why, sizeof why));
    p.asns[0].actions = p.actions = B(1) | B(2) | B(3) | B(4) | B(5);
    assert_true(mrs_signup_check(cur, &p, why, sizeof why));
    /* the rule set in force on a date */
    assert_null(mrs_ruleset_in_force(20140101));
    assert_ptr_equal(mrs_ruleset_in_force(20150601), r14);
    assert_ptr_equal(mrs_ruleset_in_force(20170101), r16);
    assert_ptr_equal(mrs_ruleset_in_force(20250101), cur);
}

/* ------------------------------------------------------------------ conformance */

static void set_all(mrs_network_metrics *m, double v)
{
    m->m1 = m->m1c = m->m2 = m->m2c = m->m3 = m->m3c = m->m4 = m->m4c = v;
}

static void verdicts_follow_the_tier(void **state)
{
    (void)state;
    static const char yaml[] = GOOD_HEAD
        "  - {organisation: plain, programme: network-operator, tier: manrs, joined: 2020-01-01,"
        " contact: a@plain.example, asns: [{asn: 64500, actions: [1, 2, 3, 4]}, {asn: 64501, actions: [1]}]}\n"
        "  - {organisation: plus, programme: network-operator, tier: manrs-plus, joined: 2020-01-01,"
        " contact: a@plus.example, asns: [{asn: 64502, actions: [1, 4]}]}\n"
        "  - {organisation: ix, programme: ixp, tier: manrs, joined: 2020-01-01, contact: a@ix.example,"
        " route-server: 64510, actions: [1, 2, 3]}\n";
    mrs_registry r;
    msgs m;
    mrs_diag d;
    assert_int_equal(load(yaml, &r, &m, &d), 0);
    assert_int_equal(r.n, 3);
    mrs_network_metrics nets[3];
    memset(nets, 0, sizeof nets);
    /* 64500: Action 1 at 100, M5 no data, contacts, RPKI 50 / IRR 95 (either: 95) */
    nets[0].asn = 64500;
    nets[0].announced = 10;
    set_all(&nets[0], 100);
    nets[0].m5 = -1;
    nets[0].m8 = true;
    nets[0].action[3] = 100;
    nets[0].m7rpki = 50;
    nets[0].m7irr = 95;
    /* 64502 (MANRS+): a leak (M1 60) fails it, leaks count; RPKI 96, IRR 94: both -> 94 < 95 */
    nets[1].asn = 64502;
    nets[1].announced = 4;
    set_all(&nets[1], 100);
    nets[1].m1 = 60;
    nets[1].m7rpki = 96;
    nets[1].m7irr = 94;
    /* 64501 is in no input */
    nets[2].asn = 64599;
    mrs_network_list nl = {nets, 2};
    mrs_incident inc[2];
    memset(inc, 0, sizeof inc);
    uint32_t acc = 64502;
    inc[0] = (mrs_incident){.id = 7, .cls = MRS_INC_ROUTE_LEAK, .culprit = 64999, .accomplices = &acc,
                            .n_accomplices = 1, .confidence = MRS_CONF_HIGH};
    inc[1] = (mrs_incident){.id = 8, .cls = MRS_INC_HIJACK_ORIGIN, .culprit = 64502, .confidence = MRS_CONF_LOW};
    mrs_incident_list il = {inc, 2, 2};
    mrs_conformance_input ci = {.reg = &r, .nets = &nl, .incidents = &il};
    mrs_score_cfg_default(&ci.score);
    mrs_conformance c;
    assert_int_equal(mrs_conformance_compute(&ci, &c), 0);
    const mrs_participant_verdicts *pv = &c.v[0];
    assert_int_equal(pv->asns[0].a[1].verdict, MRS_VERDICT_CONFORMANT);
    assert_int_equal(pv->asns[0].a[2].verdict, MRS_VERDICT_NO_DATA);
    assert_int_equal(pv->asns[0].a[3].verdict, MRS_VERDICT_CONFORMANT);
    assert_int_equal(pv->asns[0].a[4].verdict, MRS_VERDICT_CONFORMANT);
    assert_true(pv->asns[0].a[4].score == 95);
    assert_false(pv->asns[1].seen);
    assert_int_equal(pv->asns[1].a[1].verdict, MRS_VERDICT_NO_DATA);
    assert_int_equal(pv->action[1], MRS_VERDICT_CONFORMANT);
    assert_int_equal(pv->outcome, MRS_VERDICT_CONFORMANT);
    pv = &c.v[1];
    assert_int_equal(pv->asns[0].a[1].verdict, MRS_VERDICT_NOT);
    assert_true(pv->asns[0].a[1].score == 60);
    assert_int_equal(pv->asns[0].a[1].n_incidents, 1);   /* the leak; not the low-confidence hijack */
    assert_int_equal(pv->asns[0].a[1].incidents[0], 7);
    assert_int_equal(pv->asns[0].a[4].verdict, MRS_VERDICT_NOT);
    assert_true(pv->asns[0].a[4].score == 94);
    assert_int_equal(pv->outcome, MRS_VERDICT_NOT);
    pv = &c.v[2];
    assert_int_equal(pv->action[1], MRS_VERDICT_NOT_MEASURED);
    assert_int_equal(pv->outcome, MRS_VERDICT_NOT_MEASURED);
    mrs_conformance_clear(&c);
    /* the same leak under MANRS (leaks outside Action 1): conformant */
    r.v[1].tier = MRS_TIER_MANRS;
    assert_int_equal(mrs_conformance_compute(&ci, &c), 0);
    assert_int_equal(c.v[1].asns[0].a[1].verdict, MRS_VERDICT_CONFORMANT);
    assert_int_equal(c.v[1].asns[0].a[1].n_incidents, 0);
    assert_int_equal(c.v[1].asns[0].a[4].verdict, MRS_VERDICT_CONFORMANT);   /* either: 96 */
    mrs_conformance_clear(&c);
    /* no IRR input: M7 IRR is no data, not 0 (64500: RPKI 50 alone decides) */
    ci.no_irr = true;
    assert_int_equal(mrs_conformance_compute(&ci, &c), 0);
    assert_true(c.v[0].asns[0].a[4].score == 50);
    assert_int_equal(c.v[0].asns[0].a[4].verdict, MRS_VERDICT_NOT);
    assert_non_null(strstr(c.v[0].asns[0].a[4].basis, "IRR no data"));
    assert_int_equal(c.v[1].asns[0].a[4].verdict, MRS_VERDICT_CONFORMANT); /* either: RPKI 96 alone */
    mrs_conformance_clear(&c);
    ci.no_irr = false;
    /* a disputed incident is listed as such, not counted (its metrics come from nets_of) */
    r.v[1].tier = MRS_TIER_PLUS;
    mrs_dispute dsp = {.participant = "plus", .id = 7, .reason = "x"};
    mrs_dispute_list dl = {&dsp, 1, 0};
    ci.disputes = &dl;
    assert_int_equal(mrs_conformance_compute(&ci, &c), 0);
    assert_int_equal(c.v[1].asns[0].a[1].n_incidents, 0);
    assert_int_equal(c.v[1].asns[0].a[1].n_disputed, 1);
    mrs_conformance_clear(&c);
    mrs_registry_clear(&r);
}

/* ------------------------------------------------------------------ enforcement */

static void enforcement_walks_its_states(void **state)
{
    (void)state;
    mrs_tier_policy manrs, plus;
    mrs_tier_policy_default(MRS_TIER_MANRS, &manrs);
    mrs_tier_policy_default(MRS_TIER_PLUS, &plus);
    const mrs_verdict F = MRS_VERDICT_NOT, P = MRS_VERDICT_CONFORMANT, N = MRS_VERDICT_NO_DATA;
    /* MANRS: notice, grace, grace, suspended; no data changes nothing; a pass reinstates */
    const mrs_verdict seq[] = {P, F, N, F, F, F, F, P, P, F, P};
    const mrs_enf_state want[] = {MRS_ENF_CONFORMANT, MRS_ENF_NOTICE, MRS_ENF_NOTICE,    MRS_ENF_GRACE,
                                  MRS_ENF_GRACE,      MRS_ENF_SUSPENDED, MRS_ENF_SUSPENDED, MRS_ENF_REINSTATED,
                                  MRS_ENF_CONFORMANT, MRS_ENF_NOTICE,   MRS_ENF_CONFORMANT};
    mrs_enforcement e = {MRS_ENF_CONFORMANT, 0};
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        e = mrs_enforce_step(e, seq[i], &manrs);
        if (e.state != want[i])
            fail_msg("MANRS step %zu: %s, want %s", i, mrs_enf_state_name(e.state), mrs_enf_state_name(want[i]));
    }
    /* MANRS+: no grace */
    e = (mrs_enforcement){MRS_ENF_CONFORMANT, 0};
    e = mrs_enforce_step(e, F, &plus);
    assert_int_equal(e.state, MRS_ENF_NOTICE);
    e = mrs_enforce_step(e, F, &plus);
    assert_int_equal(e.state, MRS_ENF_SUSPENDED);
    e = mrs_enforce_step(e, MRS_VERDICT_NOT_MEASURED, &plus);
    assert_int_equal(e.state, MRS_ENF_SUSPENDED);
    e = mrs_enforce_step(e, P, &plus);
    assert_int_equal(e.state, MRS_ENF_REINSTATED);
    assert_int_equal(e.failing, 0);
    mrs_enf_state s;
    for (int i = 0; i < 5; i++) {
        assert_true(mrs_enf_state_parse(mrs_enf_state_name((mrs_enf_state)i), &s));
        assert_int_equal(s, i);
    }
    assert_false(mrs_enf_state_parse("banned", &s));
}

static void periods_are_months(void **state)
{
    (void)state;
    char p[8];
    mrs_period_of(1764547200, p); /* 2025-12-01 */
    assert_string_equal(p, "2025-12");
    mrs_period_of(1764547199, p);
    assert_string_equal(p, "2025-11");
    uint32_t a, b;
    assert_true(mrs_period_parse("2025-12", &a, &b));
    assert_int_equal(a, 1764547200);
    assert_int_equal(b, 1767225599);
    assert_true(mrs_period_parse("2024-02", &a, &b));
    assert_int_equal(b - a + 1, 29 * 86400);
    assert_false(mrs_period_parse("2025-13", NULL, NULL));
    assert_false(mrs_period_parse("2025-1", NULL, NULL));
    assert_false(mrs_period_parse("25-12-01", NULL, NULL));
}

static void committed_actions_are_walked_in_order(void **state)
{
    (void)state;
    /* bits 0 and 7 are no Action: never walked */
    unsigned mask = MRS_ACTION_BIT(0) | MRS_ACTION_BIT(2) | MRS_ACTION_BIT(5) | MRS_ACTION_BIT(6) | MRS_ACTION_BIT(7);
    unsigned got[8], n = 0;
    MRS_FOR_EACH_ACTION(k, mask)
        got[n++] = k;
    assert_int_equal(n, 3);
    assert_int_equal(got[0], 2);
    assert_int_equal(got[1], 5);
    assert_int_equal(got[2], 6);
    n = 0;
    MRS_FOR_EACH_ACTION(k, 0)
        n++;
    assert_int_equal(n, 0);

    mrs_asn_verdicts asns[4];
    memset(asns, 0, sizeof asns);
    asns[0] = (mrs_asn_verdicts){.asn = 10, .committed = MRS_ACTION_BIT(1) | MRS_ACTION_BIT(4)};
    asns[1] = (mrs_asn_verdicts){.asn = 11, .committed = 0};
    asns[2] = (mrs_asn_verdicts){.asn = 12, .committed = MRS_ACTION_BIT(2) | MRS_ACTION_BIT(3) | MRS_ACTION_BIT(6)};
    asns[3] = (mrs_asn_verdicts){.asn = 13, .committed = 0};
    asns[2].a[3].score = 42;
    mrs_participant_verdicts pv = {.asns = asns, .n_asns = 4};
    static const unsigned want[][2] = {{10, 1}, {10, 4}, {12, 2}, {12, 3}, {12, 6}};
    size_t i = 0;
    for (mrs_commit_iter it = {0}; mrs_commit_next(&pv, &it);) {
        assert_true(i < 5);
        assert_int_equal(it.av->asn, want[i][0]);
        assert_int_equal(it.k, want[i][1]);
        assert_ptr_equal(it.a, &it.av->a[it.k]);
        assert_ptr_equal(it.av, &asns[it.j]);
        i++;
    }
    assert_int_equal(i, 5);
    assert_true(asns[2].a[3].score == 42);
    mrs_participant_verdicts none = {.asns = asns + 3, .n_asns = 1};
    mrs_commit_iter it = {0};
    assert_false(mrs_commit_next(&none, &it));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(registry_reads_every_programme),
        cmocka_unit_test(damaged_participants_are_reported_and_skipped),
        cmocka_unit_test(overlapping_participants_are_reported),
        cmocka_unit_test(disputes_are_read),
        cmocka_unit_test(signup_rules_follow_their_time),
        cmocka_unit_test(verdicts_follow_the_tier),
        cmocka_unit_test(enforcement_walks_its_states),
        cmocka_unit_test(periods_are_months),
        cmocka_unit_test(committed_actions_are_walked_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
