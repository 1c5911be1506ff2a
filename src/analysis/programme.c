/*
 * programme.c — sign-up rule sets, conformance verdicts and enforcement (see
 * programme.h; the rules and their sources in docs/programme.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/analysis/programme.h"
#include "manrs/core/date.h"
#include "manrs/core/search.h"

/* ------------------------------------------------------------------ rule sets */

/* One programme's sign-up rule: at least `min` of its Actions, these ones
 * mandatory, and a set made only of `not_alone` Actions does not qualify. */
typedef struct prog_rule {
    bool exists;
    unsigned min;
    uint8_t mandatory;
    uint8_t not_alone;
    const char *summary;
} prog_rule;

struct mrs_ruleset {
    const char *name;
    uint32_t since;             /* YYYYMMDD */
    prog_rule prog[MRS_PROG_N];
};

#define A(k) MRS_ACTION_BIT(k)

/* Dates: the launch of MANRS (November 2014); the network operators' rule of
 * "at least one Action, Coordination not alone" (2016); the IXP programme (2018:
 * Actions 1 and 2 mandatory, three of five); the CDN and Cloud programme (2020:
 * Actions 1-5 mandatory, 6 optional); vendors (one or both of their two
 * Actions, [ours]: the programme publishes no minimum we could cite). */
static const mrs_ruleset rulesets[] = {
    {"manrs-2014", 20141101,
     {[MRS_PROG_NETOPS] = {true, 2, 0, 0, "network operators: at least two of the four Actions"}}},
    {"manrs-2016", 20160101,
     {[MRS_PROG_NETOPS] = {true, 1, 0, A(3), "network operators: at least one Action, Coordination (3) not alone"}}},
    {"manrs-2018", 20180401,
     {[MRS_PROG_NETOPS] = {true, 1, 0, A(3), "network operators: at least one Action, Coordination (3) not alone"},
      [MRS_PROG_IXP] = {true, 3, A(1) | A(2), 0, "IXPs: Actions 1 and 2 mandatory, at least three of the five"}}},
    {"manrs-2020", 20200301,
     {[MRS_PROG_NETOPS] = {true, 1, 0, A(3), "network operators: at least one Action, Coordination (3) not alone"},
      [MRS_PROG_IXP] = {true, 3, A(1) | A(2), 0, "IXPs: Actions 1 and 2 mandatory, at least three of the five"},
      [MRS_PROG_CDN] = {true, 5, A(1) | A(2) | A(3) | A(4) | A(5), 0,
                        "CDN and cloud providers: Actions 1 to 5 mandatory, 6 optional"},
      [MRS_PROG_VENDOR] = {true, 1, 0, 0, "equipment vendors: at least one of the two Actions"}}},
};
#define N_RULESETS (sizeof rulesets / sizeof rulesets[0])

size_t mrs_ruleset_count(void) { return N_RULESETS; }
const mrs_ruleset *mrs_ruleset_at_index(size_t i) { return i < N_RULESETS ? &rulesets[i] : NULL; }
const mrs_ruleset *mrs_ruleset_current(void) { return &rulesets[N_RULESETS - 1]; }
const char *mrs_ruleset_name(const mrs_ruleset *r) { return r->name; }
uint32_t mrs_ruleset_since(const mrs_ruleset *r) { return r->since; }

const mrs_ruleset *mrs_ruleset_by_name(const char *name)
{
    for (size_t i = 0; i < N_RULESETS; i++)
        if (!strcmp(rulesets[i].name, name))
            return &rulesets[i];
    return NULL;
}

const mrs_ruleset *mrs_ruleset_in_force(uint32_t d)
{
    const mrs_ruleset *r = NULL;
    for (size_t i = 0; i < N_RULESETS; i++)
        if (rulesets[i].since <= d)
            r = &rulesets[i];
    return r;
}

const char *mrs_ruleset_summary(const mrs_ruleset *r, mrs_programme p)
{
    return p < MRS_PROG_N && r->prog[p].exists ? r->prog[p].summary : NULL;
}

static unsigned popcount8(uint8_t v)
{
    unsigned n = 0;
    for (; v; v &= (uint8_t)(v - 1))
        n++;
    return n;
}

static bool rule_ok(const prog_rule *pr, uint8_t actions, char *why, size_t whylen, const char *who)
{
    if (popcount8(actions) < pr->min) {
        snprintf(why, whylen, "%s commits to %u Action%s, the rule asks for at least %u", who, popcount8(actions),
                 popcount8(actions) == 1 ? "" : "s", pr->min);
        return false;
    }
    if ((actions & pr->mandatory) != pr->mandatory) {
        for (unsigned k = 1; k <= 6; k++)
            if ((pr->mandatory & A(k)) && !(actions & A(k))) {
                snprintf(why, whylen, "%s does not commit to Action %u, which the rule makes mandatory", who, k);
                break;
            }
        return false;
    }
    if (pr->not_alone && actions && !(actions & (uint8_t)~pr->not_alone)) {
        snprintf(why, whylen, "%s commits to Coordination (Action 3) alone, which the rule does not accept", who);
        return false;
    }
    return true;
}

bool mrs_signup_check(const mrs_ruleset *r, const mrs_participant *p, char *why, size_t whylen)
{
    if (whylen)
        *why = 0;
    const prog_rule *pr = p->programme < MRS_PROG_N ? &r->prog[p->programme] : NULL;
    if (!pr || !pr->exists) {
        snprintf(why, whylen, "the %s programme did not exist under %s", mrs_programme_name(p->programme), r->name);
        return false;
    }
    if (p->programme == MRS_PROG_NETOPS || p->programme == MRS_PROG_CDN) {
        for (size_t i = 0; i < p->n_asns; i++) {
            char who[24];
            snprintf(who, sizeof who, "AS%u", p->asns[i].asn);
            if (!rule_ok(pr, p->asns[i].actions, why, whylen, who))
                return false;
        }
        return p->n_asns > 0;
    }
    return rule_ok(pr, p->actions, why, whylen, "the organisation");
}

/* ------------------------------------------------------------------ names */

static const char *const verdict_names[] = {"conformant", "not-conformant", "no-data", "not-measured"};
static const char *const enf_names[] = {"conformant", "notice", "grace", "suspended", "reinstated"};

const char *mrs_verdict_name(mrs_verdict v) { return (unsigned)v < 4 ? verdict_names[v] : "?"; }
const char *mrs_enf_state_name(mrs_enf_state s) { return (unsigned)s < 5 ? enf_names[s] : "?"; }

bool mrs_verdict_parse(const char *s, mrs_verdict *v)
{
    for (unsigned i = 0; i < 4; i++)
        if (!strcmp(s, verdict_names[i])) {
            *v = (mrs_verdict)i;
            return true;
        }
    return false;
}

bool mrs_enf_state_parse(const char *s, mrs_enf_state *out)
{
    for (unsigned i = 0; i < 5; i++)
        if (!strcmp(s, enf_names[i])) {
            *out = (mrs_enf_state)i;
            return true;
        }
    return false;
}

/* ------------------------------------------------------------------ disputes */

bool mrs_dispute_matches(const mrs_dispute *d, const mrs_incident *inc)
{
    if (d->id)
        return d->id == inc->id;
    if (d->cls[0] && strcmp(d->cls, mrs_incident_class_name(inc->cls)))
        return false;
    if (d->has_prefix && !mrs_prefix_equal(&d->prefix, &inc->prefix))
        return false;
    if (d->culprit && d->culprit != inc->culprit)
        return false;
    if (d->start && d->start != inc->start)
        return false;
    return d->has_prefix || d->culprit;
}

bool mrs_incident_disputed(const mrs_dispute_list *l, const char *id, const mrs_incident *inc)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (l->v[i].status != MRS_DISPUTE_REJECTED && !strcmp(l->v[i].participant, id) &&
            mrs_dispute_matches(&l->v[i], inc))
            return true;
    return false;
}

/* ------------------------------------------------------------------ conformance */

static const mrs_network_metrics *find_net(const mrs_network_list *l, uint32_t asn)
{
    size_t lo;
    MRS_LOWER_BOUND(lo, l->n, i, l->v[i].asn < asn);
    return lo < l->n && l->v[lo].asn == asn ? &l->v[lo] : NULL;
}

static int push_id(uint64_t **v, size_t *n, uint64_t id)
{
    uint64_t *t = realloc(*v, (*n + 1) * sizeof *t);
    if (!t)
        return -1;
    *v = t;
    t[(*n)++] = id;
    return 0;
}

/* Does the incident count against asn in Action 1 (culprit, or accomplice by the
 * C-metric rule of metrics.c)? */
static bool counts_against(const mrs_conformance_input *in, const mrs_incident *x, uint32_t asn, bool leaks)
{
    if (x->confidence != MRS_CONF_HIGH && !in->score.include_low)
        return false;
    int met = mrs_incident_metric(x->cls);
    if (met == 1 && !leaks)
        return false;
    if (x->culprit == asn)
        return true;
    for (size_t k = 0; k < x->n_accomplices; k++)
        if (x->accomplices[k] == asn)
            return !in->asrel || mrs_asrel_rel(in->asrel, asn, x->culprit) == MRS_REL_P2C;
    return false;
}

static void fmt_pct(char *o, size_t n, const char *name, double v)
{
    if (v < 0)
        snprintf(o, n, "%s no data", name);
    else
        snprintf(o, n, "%s %.1f", name, v);
}

static int verdict_action(const mrs_conformance_input *in, const mrs_participant *p, const mrs_network_metrics *m,
                          uint32_t asn, unsigned k, mrs_action_verdict *av)
{
    const mrs_tier_policy *pol = &in->reg->tiers[p->tier];
    av->min = k <= 4 ? pol->action_min[k] : 0;
    av->score = -1;
    bool measurable = (p->programme == MRS_PROG_NETOPS || p->programme == MRS_PROG_CDN) && k >= 1 && k <= 4;
    if (!measurable) {
        av->verdict = MRS_VERDICT_NOT_MEASURED;
        snprintf(av->basis, sizeof av->basis, "%s",
                 p->programme == MRS_PROG_IXP ? "a route server's filtering: manrs ixp on its RIB"
                                              : "not visible in routing data");
        return 0;
    }
    if (!m) {
        av->verdict = MRS_VERDICT_NO_DATA;
        snprintf(av->basis, sizeof av->basis, "the network is not in the routing data or the other inputs");
        return 0;
    }
    char a[32], b[32];
    switch (k) {
    case 1: {
        if (!m->announced) {
            snprintf(av->basis, sizeof av->basis, "no route of its seen by enough collector peers");
            break;
        }
        double v[8] = {m->m2, m->m2c, m->m3, m->m3c, m->m4, m->m4c, m->m1, m->m1c};
        static const char *const nm[8] = {"M2", "M2C", "M3", "M3C", "M4", "M4C", "M1", "M1C"};
        unsigned nv = pol->leaks_count ? 8 : 6;
        double s = 100;
        size_t o = 0;
        for (unsigned i = 0; i < nv; i++) {
            s = v[i] < s ? v[i] : s;
            o += (size_t)snprintf(av->basis + o, o < sizeof av->basis ? sizeof av->basis - o : 0, "%s%s %.1f",
                                  i ? ", " : "", nm[i], v[i]);
        }
        av->score = s;
        for (size_t i = 0; in->incidents && i < in->incidents->n; i++) {
            const mrs_incident *x = &in->incidents->v[i];
            if (!counts_against(in, x, asn, pol->leaks_count))
                continue;
            bool disp = mrs_incident_disputed(in->disputes, p->id, x);
            if (disp ? push_id(&av->disputed, &av->n_disputed, x->id) : push_id(&av->incidents, &av->n_incidents, x->id))
                return -1;
        }
        break;
    }
    case 2:
        av->score = m->m5;
        fmt_pct(av->basis, sizeof av->basis, "M5", m->m5);
        if (m->m5 < 0)
            snprintf(av->basis, sizeof av->basis, "no Spoofer test from the network in the period");
        break;
    case 3:
        av->score = m->action[3];
        snprintf(av->basis, sizeof av->basis, "%s",
                 m->m8 ? "M8: a public contact with an e-mail (IRR or PeeringDB)"
                       : m->contact_known ? "M8: described (aut-num or PeeringDB) but no contact with an e-mail"
                                          : "no aut-num or PeeringDB record in the inputs");
        break;
    case 4:
        if (!m->announced) {
            snprintf(av->basis, sizeof av->basis, "no route of its seen by enough collector peers");
            break;
        }
    {
        double irr = in->no_irr ? -1 : m->m7irr;
        fmt_pct(a, sizeof a, "RPKI", m->m7rpki);
        fmt_pct(b, sizeof b, "IRR", irr);
        snprintf(av->basis, sizeof av->basis, "M7 %s, %s (%s)", a, b, pol->action4_both ? "both" : "either");
        if (pol->action4_both)
            av->score = m->m7rpki < 0 || irr < 0 ? -1 : m->m7rpki < irr ? m->m7rpki : irr;
        else
            av->score = m->m7rpki > irr ? m->m7rpki : irr;
        break;
    }
    }
    av->verdict = av->score < 0 ? MRS_VERDICT_NO_DATA
                                : av->score + 1e-9 >= av->min ? MRS_VERDICT_CONFORMANT : MRS_VERDICT_NOT;
    return 0;
}

/* Over several ASNs or actions: any not -> not; any conformant -> conformant;
 * any no-data -> no-data; else not-measured. */
static mrs_verdict combine(mrs_verdict acc, mrs_verdict v, bool first)
{
    if (first)
        return v;
    static const int rank[4] = {[MRS_VERDICT_NOT] = 3, [MRS_VERDICT_CONFORMANT] = 2, [MRS_VERDICT_NO_DATA] = 1,
                                [MRS_VERDICT_NOT_MEASURED] = 0};
    return rank[v] > rank[acc] ? v : acc;
}

int mrs_conformance_compute(const mrs_conformance_input *in, mrs_conformance *out)
{
    memset(out, 0, sizeof *out);
    const mrs_registry *reg = in->reg;
    if (!(out->v = calloc(reg->n ? reg->n : 1, sizeof *out->v)))
        return -1;
    out->n = reg->n;
    for (size_t i = 0; i < reg->n; i++) {
        const mrs_participant *p = &reg->v[i];
        mrs_participant_verdicts *pv = &out->v[i];
        pv->p = p;
        const mrs_network_list *nets = in->nets_of && in->nets_of[i] ? in->nets_of[i] : in->nets;
        /* the organisation's own Actions (IXP, vendor) as one pseudo entry without ASN */
        size_t n = p->n_asns ? p->n_asns : 1;
        if (!(pv->asns = calloc(n, sizeof *pv->asns))) {
            mrs_conformance_clear(out);
            return -1;
        }
        pv->n_asns = n;
        for (size_t j = 0; j < n; j++) {
            mrs_asn_verdicts *av = &pv->asns[j];
            av->asn = p->n_asns ? p->asns[j].asn : p->route_server;
            av->committed = p->n_asns ? p->asns[j].actions : p->actions;
            const mrs_network_metrics *m = av->asn && nets ? find_net(nets, av->asn) : NULL;
            av->seen = m != NULL;
            for (unsigned k = 1; k <= mrs_programme_actions(p->programme); k++)
                if ((av->committed & MRS_ACTION_BIT(k)) && verdict_action(in, p, m, av->asn, k, &av->a[k]) != 0) {
                    mrs_conformance_clear(out);
                    return -1;
                }
        }
        mrs_conformance_combine(pv);
    }
    return 0;
}

void mrs_conformance_combine(mrs_participant_verdicts *pv)
{
    bool first[7] = {true, true, true, true, true, true, true};
    for (mrs_commit_iter it = {0}; mrs_commit_next(pv, &it);) {
        pv->action[it.k] = combine(pv->action[it.k], it.a->verdict, first[it.k]);
        first[it.k] = false;
    }
    bool f = true;
    for (unsigned k = 1; k <= 6; k++)
        if (!first[k]) {
            pv->outcome = combine(pv->outcome, pv->action[k], f);
            f = false;
        }
    if (f)
        pv->outcome = MRS_VERDICT_NOT_MEASURED;
}

void mrs_conformance_clear(mrs_conformance *c)
{
    for (size_t i = 0; c->v && i < c->n; i++) {
        for (size_t j = 0; c->v[i].asns && j < c->v[i].n_asns; j++)
            for (unsigned k = 0; k < 7; k++) {
                free(c->v[i].asns[j].a[k].incidents);
                free(c->v[i].asns[j].a[k].disputed);
            }
        free(c->v[i].asns);
    }
    free(c->v);
    memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------------ enforcement */

mrs_enforcement mrs_enforce_step(mrs_enforcement prev, mrs_verdict outcome, const mrs_tier_policy *pol)
{
    mrs_enforcement e = prev;
    if (outcome == MRS_VERDICT_CONFORMANT) {
        e.failing = 0;
        e.state = prev.state == MRS_ENF_SUSPENDED ? MRS_ENF_REINSTATED : MRS_ENF_CONFORMANT;
        return e;
    }
    if (outcome != MRS_VERDICT_NOT)
        return e;   /* no data: nothing changes */
    e.failing = prev.failing + 1;
    if (prev.state == MRS_ENF_SUSPENDED || e.failing >= 2 + pol->grace_periods)
        e.state = MRS_ENF_SUSPENDED;
    else if (e.failing == 1)
        e.state = MRS_ENF_NOTICE;
    else
        e.state = MRS_ENF_GRACE;
    return e;
}

/* ------------------------------------------------------------------ periods */

void mrs_period_of(uint32_t t, char out[8])
{
    int64_t y;
    unsigned m, d;
    mrs_civil_from_days((int64_t)(t / 86400), &y, &m, &d);
    char tmp[32]; /* a uint32_t time is in 1970..2106 */
    snprintf(tmp, sizeof tmp, "%04u-%02u", (unsigned)y, m);
    memcpy(out, tmp, 7);
    out[7] = 0;
}

bool mrs_period_parse(const char *s, uint32_t *from, uint32_t *to)
{
    if (strlen(s) != 7 || s[4] != '-')
        return false;
    unsigned y = 0, m = 0;
    for (int i = 0; i < 7; i++) {
        if (i == 4)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return false;
        if (i < 4)
            y = y * 10 + (unsigned)(s[i] - '0');
        else
            m = m * 10 + (unsigned)(s[i] - '0');
    }
    if (y < 1970 || y > 2105 || m < 1 || m > 12)
        return false;
    int64_t a = mrs_days_from_civil(y, m, 1) * 86400;
    int64_t b = mrs_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) * 86400 - 1;
    if (from)
        *from = (uint32_t)a;
    if (to)
        *to = (uint32_t)b;
    return true;
}
