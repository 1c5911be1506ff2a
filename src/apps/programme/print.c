/*
 * print.c — the programme's outputs: the conformance table, JSON, CSV, the public
 * "commitments vs measured" list, and the sign-up check (programme.h).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/programme.h"
#include "manrs/core/date.h"
#include "manrs/core/json_out.h"
#include "manrs/output/report.h"

static const char *const action_names[7] = {"", "filtering", "anti-spoofing", "coordination", "global validation",
                                            "action 5", "action 6"};


static void ymd_text(uint32_t v, char out[11])
{
    snprintf(out, 11, "%04u-%02u-%02u", v / 10000 % 10000, v / 100 % 100, v % 100);
}

static void actions_text(uint8_t a, char *out, size_t n)
{
    size_t o = 0;
    out[0] = 0;
    MRS_FOR_EACH_ACTION(k, a)
        if (o < n)
            o += (size_t)snprintf(out + o, n - o, "%s%u", o ? "," : "", k);
}

static void ids_list(FILE *f, const uint64_t *v, size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%" PRIu64, i ? ", " : "", v[i]);
    fputc(']', f);
}

/* ------------------------------------------------------------------ table */

int prog_print_table(const prog_result *r, FILE *f)
{
    char a[MRS_TIME_ISO_LEN], b[MRS_TIME_ISO_LEN];
    fprintf(f, "MANRS conformance, period %s (routing data %s .. %s)\n", r->period, mrs_time_iso(r->obs.b.from, a),
            mrs_time_iso(r->obs.b.to, b));
    fprintf(f, "registry %s: %zu participants", r->reg.file, r->reg.n);
    if (r->reg.skipped)
        fprintf(f, ", %" PRIu64 " entries skipped (see above)", r->reg.skipped);
    if (r->disputes.n)
        fprintf(f, "; %zu disputes", r->disputes.n);
    fputs("\n\n", f);
    fprintf(f, "%-28s %-11s %-16s %-15s %-11s %s\n", "participant", "tier", "programme", "outcome", "state",
            "per action (1 2 3 4 5 6)");
    size_t count[4] = {0}, states[5] = {0};
    for (size_t i = 0; i < r->conf.n; i++) {
        const mrs_participant_verdicts *pv = &r->conf.v[i];
        count[pv->outcome]++;
        states[r->enf[i].state]++;
        char acts[64];
        size_t o = 0;
        for (unsigned k = 1; k <= 6; k++) {
            bool committed = pv->p->actions & MRS_ACTION_BIT(k);
            const char *c = !committed ? "." : pv->action[k] == MRS_VERDICT_CONFORMANT ? "ok"
                                             : pv->action[k] == MRS_VERDICT_NOT     ? "NOT"
                                             : pv->action[k] == MRS_VERDICT_NO_DATA ? "?"
                                                                                    : "-";
            o += (size_t)snprintf(acts + o, sizeof acts - o, "%s%s", k > 1 ? " " : "", c);
        }
        fprintf(f, "%-28.28s %-11s %-16s %-15s %-11s %s\n", pv->p->id, mrs_tier_name(pv->p->tier),
                mrs_programme_name(pv->p->programme), mrs_verdict_name(pv->outcome),
                mrs_enf_state_name(r->enf[i].state), acts);
        for (mrs_commit_iter it = {0}; mrs_commit_next(pv, &it);) {
            const mrs_action_verdict *v = it.a;
            if (v->verdict != MRS_VERDICT_NOT)
                continue;
            fprintf(f, "    AS%u Action %u (%s): %.1f < %.1f: %s", it.av->asn, it.k, action_names[it.k], v->score,
                    v->min, v->basis);
            if (v->n_incidents) {
                fputs("; incidents", f);
                for (size_t q = 0; q < v->n_incidents && q < 8; q++)
                    fprintf(f, " %" PRIu64, v->incidents[q]);
                if (v->n_incidents > 8)
                    fprintf(f, " (+%zu)", v->n_incidents - 8);
            }
            if (v->n_disputed)
                fprintf(f, "; %zu disputed, not counted", v->n_disputed);
            fputc('\n', f);
        }
    }
    fprintf(f, "\n%zu conformant, %zu not conformant, %zu no data, %zu not measured; states:", count[0], count[1],
            count[2], count[3]);
    for (int s = 0; s < 5; s++)
        fprintf(f, " %s %zu%s", mrs_enf_state_name((mrs_enf_state)s), states[s], s < 4 ? "," : "\n");
    fprintf(f, "%s\n", r->stored ? "stored with the period in the store" : "not stored (no --db)");
    return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------------------ JSON */

static void policy_json(FILE *f, const mrs_tier_policy *p)
{
    fprintf(f, "{\"action_min\": {\"1\": %g, \"2\": %g, \"3\": %g, \"4\": %g}, \"leaks_count\": %s, "
               "\"action4_both\": %s, \"grace_periods\": %u}",
            p->action_min[1], p->action_min[2], p->action_min[3], p->action_min[4], p->leaks_count ? "true" : "false",
            p->action4_both ? "true" : "false", p->grace_periods);
}

int prog_print_json(const prog_result *r, FILE *f)
{
    fprintf(f, "{\"period\": \"%s\", \"window\": {\"start\": %" PRIu32 ", \"end\": %" PRIu32 "}, \"registry\": ",
            r->period, r->obs.b.from, r->obs.b.to);
    mrs_json_fcstr(f, r->reg.file);
    fprintf(f, ", \"ruleset\": \"%s\", \"run\": ", r->ruleset);
    if (r->run > 0)
        fprintf(f, "%" PRId64, r->run);
    else
        fputs("null", f);
    fprintf(f, ", \"stored\": %s, \"skipped\": %" PRIu64 ", \"tiers\": {", r->stored ? "true" : "false",
            r->reg.skipped + r->disputes.skipped);
    for (int t = 0; t < MRS_TIER_N; t++) {
        fprintf(f, "%s\"%s\": ", t ? ", " : "", mrs_tier_name((mrs_tier)t));
        policy_json(f, &r->reg.tiers[t]);
    }
    fputs("},\n\"participants\": [", f);
    /* the incidents referenced, listed once after the participants */
    size_t cap = 0, nref = 0;
    uint64_t *ref = NULL;
    for (size_t i = 0; i < r->conf.n; i++) {
        const mrs_participant_verdicts *pv = &r->conf.v[i];
        const mrs_participant *p = pv->p;
        char joined[11];
        ymd_text(p->joined, joined);
        fprintf(f, "%s\n {\"id\": ", i ? "," : "");
        mrs_json_fcstr(f, p->id);
        fputs(", \"organisation\": ", f);
        mrs_json_fcstr(f, p->organisation);
        fprintf(f, ", \"programme\": \"%s\", \"tier\": \"%s\", \"joined\": \"%s\", \"contact\": ",
                mrs_programme_name(p->programme), mrs_tier_name(p->tier), joined);
        mrs_json_fcstr(f, p->contact);
        fprintf(f, ", \"outcome\": \"%s\", \"enforcement\": {\"previous\": ", mrs_verdict_name(pv->outcome));
        if (r->prev_period[i][0])
            fprintf(f, "{\"period\": \"%s\", \"state\": \"%s\", \"failing\": %u}", r->prev_period[i],
                    mrs_enf_state_name(r->prev[i].state), r->prev[i].failing);
        else
            fputs("null", f);
        fprintf(f, ", \"state\": \"%s\", \"failing\": %u}, \"actions\": {", mrs_enf_state_name(r->enf[i].state),
                r->enf[i].failing);
        MRS_FOR_EACH_ACTION(k, p->actions)
            fprintf(f, "%s\"%u\": \"%s\"", k == mrs_action_next(p->actions, 0) ? "" : ", ", k,
                    mrs_verdict_name(pv->action[k]));
        fputs("}, \"asns\": [", f);
        for (size_t j = 0; j < pv->n_asns; j++) {
            const mrs_asn_verdicts *av = &pv->asns[j];
            fprintf(f, "%s\n   {\"asn\": ", j ? "," : "");
            if (av->asn)
                fprintf(f, "%" PRIu32, av->asn);
            else
                fputs("null", f);
            fprintf(f, ", \"seen\": %s, \"actions\": [", av->seen ? "true" : "false");
            MRS_FOR_EACH_ACTION(k, av->committed) {
                const mrs_action_verdict *a = &av->a[k];
                fprintf(f, "%s{\"action\": %u, \"verdict\": \"%s\", \"score\": ",
                        k == mrs_action_next(av->committed, 0) ? "" : ", ", k, mrs_verdict_name(a->verdict));
                if (a->score < 0)
                    fputs("null", f);
                else
                    fprintf(f, "%.4f", a->score);
                fprintf(f, ", \"min\": %g, \"basis\": ", a->min);
                mrs_json_fcstr(f, a->basis);
                fputs(", \"incidents\": ", f);
                ids_list(f, a->incidents, a->n_incidents);
                fputs(", \"disputed\": ", f);
                ids_list(f, a->disputed, a->n_disputed);
                fputc('}', f);
                for (int pass = 0; pass < 2; pass++) {
                    const uint64_t *v = pass ? a->disputed : a->incidents;
                    size_t nv = pass ? a->n_disputed : a->n_incidents;
                    for (size_t q = 0; q < nv; q++) {
                        bool have = false;
                        for (size_t z = 0; z < nref && !have; z++)
                            have = ref[z] == v[q];
                        if (have)
                            continue;
                        if (nref == cap) {
                            size_t nc = cap ? cap * 2 : 64;
                            uint64_t *t = realloc(ref, nc * sizeof *t);
                            if (!t) {
                                free(ref);
                                return -1;
                            }
                            ref = t;
                            cap = nc;
                        }
                        ref[nref++] = v[q];
                    }
                }
            }
            fputs("]}", f);
        }
        fputs("]}", f);
    }
    fputs("\n],\n\"incidents\": [", f);
    for (size_t i = 0; i < nref; i++) {
        const mrs_incident *x = prog_incident(r, ref[i]);
        if (!x)
            continue;
        fputs(i ? ",\n " : "\n ", f);
        mrs_report_json_incident(f, x, 0);
    }
    free(ref);
    fputs("\n],\n\"disputes\": [", f);
    for (size_t i = 0; i < r->disputes.n; i++) {
        const mrs_dispute *d = &r->disputes.v[i];
        fprintf(f, "%s\n {\"participant\": ", i ? "," : "");
        mrs_json_fcstr(f, d->participant);
        fprintf(f, ", \"status\": \"%s\", \"matches\": [", mrs_dispute_status_name(d->status));
        const mrs_incident_list *l = &r->obs.b.incidents;
        for (size_t k = 0, first = 1; k < l->n; k++)
            if (mrs_dispute_matches(d, &l->v[k])) {
                fprintf(f, "%s%" PRIu64, first ? "" : ", ", l->v[k].id);
                first = 0;
            }
        fputs("], \"reason\": ", f);
        mrs_json_fcstr(f, d->reason);
        fputc('}', f);
    }
    size_t count[4] = {0}, states[5] = {0};
    for (size_t i = 0; i < r->conf.n; i++) {
        count[r->conf.v[i].outcome]++;
        states[r->enf[i].state]++;
    }
    fprintf(f, "\n],\n\"summary\": {\"participants\": %zu, \"conformant\": %zu, \"not_conformant\": %zu, "
               "\"no_data\": %zu, \"not_measured\": %zu, \"states\": {",
            r->conf.n, count[0], count[1], count[2], count[3]);
    for (int s = 0; s < 5; s++)
        fprintf(f, "%s\"%s\": %zu", s ? ", " : "", mrs_enf_state_name((mrs_enf_state)s), states[s]);
    fputs("}}}\n", f);
    return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------------------ CSV */

static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int prog_print_csv(const prog_result *r, FILE *f)
{
    fputs("period,participant,tier,programme,asn,action,verdict,score,min,incidents,disputed,outcome,state,basis\n", f);
    for (size_t i = 0; i < r->conf.n; i++) {
        const mrs_participant_verdicts *pv = &r->conf.v[i];
        for (mrs_commit_iter it = {0}; mrs_commit_next(pv, &it);) {
            const mrs_asn_verdicts *av = it.av;
            const mrs_action_verdict *a = it.a;
            unsigned k = it.k;
            fprintf(f, "%s,", r->period);
            csv_field(f, pv->p->id);
            fprintf(f, ",%s,%s,", mrs_tier_name(pv->p->tier), mrs_programme_name(pv->p->programme));
            if (av->asn)
                fprintf(f, "%" PRIu32, av->asn);
            fprintf(f, ",%u,%s,", k, mrs_verdict_name(a->verdict));
            if (a->score >= 0)
                fprintf(f, "%.4f", a->score);
            fprintf(f, ",%g,", a->min);
            for (size_t q = 0; q < a->n_incidents; q++)
                fprintf(f, "%s%" PRIu64, q ? " " : "", a->incidents[q]);
            fputc(',', f);
            for (size_t q = 0; q < a->n_disputed; q++)
                fprintf(f, "%s%" PRIu64, q ? " " : "", a->disputed[q]);
            fprintf(f, ",%s,%s,", mrs_verdict_name(pv->outcome), mrs_enf_state_name(r->enf[i].state));
            csv_field(f, a->basis);
            fputc('\n', f);
        }
    }
    return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------------------ public list */

static void md_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("\\`*_[]<>|#", *s))
            fputc('\\', f);
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
    }
}

/* The part an incident gives asn as Action 1 counts it: "culprit", "accomplice"
 * (any propagator adjacent to the culprit), or NULL. */
static const char *a1_role(const mrs_incident *x, uint32_t asn)
{
    if (x->culprit == asn)
        return "culprit";
    for (size_t k = 0; k < x->n_accomplices; k++)
        if (x->accomplices[k] == asn)
            return "accomplice";
    return NULL;
}

static void md_incident(FILE *f, const mrs_incident *x, uint32_t asn)
{
    char pfx[MRS_PREFIX_STRLEN], t[MRS_TIME_ISO_LEN];
    mrs_prefix_format(&x->prefix, pfx);
    const char *role = a1_role(x, asn);
    fprintf(f, "  - incident %" PRIu64 ": %s %s by AS%u, %s, seen by %u collector peers, as %s", x->id,
            mrs_incident_class_name(x->cls), pfx, x->culprit, mrs_time_iso(x->start, t), x->peers,
            role ? role : "involved");
    if (x->n_evidence) {
        const mrs_evidence *e = &x->evidence[0];
        fprintf(f, "; evidence: peer AS%u path `", e->peer_asn);
        md_text(f, e->as_path);
        fputs("` in ", f);
        md_text(f, e->file);
        fprintf(f, " at byte %" PRIu64, e->offset);
    }
    fputc('\n', f);
}

int prog_print_public(const prog_result *r, FILE *f)
{
    fprintf(f, "# MANRS commitments vs measured, %s\n\n", r->period);
    fprintf(f, "Participants whose measured routing in %s does not match what they committed to, from the "
               "observatory's high-confidence incidents and metrics. Disputed incidents are listed as such and "
               "not counted while the dispute is open.\n\n",
            r->period);
    size_t listed = 0;
    for (size_t i = 0; i < r->conf.n; i++) {
        const mrs_participant_verdicts *pv = &r->conf.v[i];
        bool head = false;
        const mrs_incident_list *l = &r->obs.b.incidents;
        for (mrs_commit_iter it = {0}; mrs_commit_next(pv, &it);) {
            const mrs_asn_verdicts *av = it.av;
            const mrs_action_verdict *a = it.a;
            unsigned k = it.k;
            /* Action 1 committed: every high-confidence incident it took part in, leaks included */
            bool involved = false;
            if (k == 1)
                for (size_t q = 0; q < l->n && !involved; q++)
                    involved = l->v[q].confidence == MRS_CONF_HIGH && a1_role(&l->v[q], av->asn);
            if (a->verdict != MRS_VERDICT_NOT && !involved)
                continue;
            if (!head) {
                fputs("## ", f);
                md_text(f, pv->p->organisation);
                fprintf(f, " (%s, %s; %s)\n\n", pv->p->id, mrs_tier_name(pv->p->tier),
                        mrs_enf_state_name(r->enf[i].state));
                head = true;
                listed++;
            }
            fprintf(f, "- AS%u committed to Action %u (%s): %s", av->asn, k, action_names[k],
                    mrs_verdict_name(a->verdict));
            if (a->score >= 0)
                fprintf(f, ", %.1f against a minimum of %g", a->score, a->min);
            fputs(" (", f);
            md_text(f, a->basis);
            fputs(")\n", f);
            if (k != 1)
                continue;
            for (size_t q = 0; q < l->n; q++) {
                const mrs_incident *x = &l->v[q];
                if (x->confidence != MRS_CONF_HIGH || !a1_role(x, av->asn))
                    continue;
                md_incident(f, x, av->asn);
                if (mrs_incident_disputed(&r->disputes, pv->p->id, x))
                    fputs("    (disputed by the participant: not counted)\n", f);
            }
        }
        if (head)
            fputc('\n', f);
    }
    if (!listed)
        fputs("Every participant's measured routing matches its commitments this period.\n", f);
    return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------------------ sign-up */

int prog_print_signup(const mrs_registry *reg, prog_rules_mode mode, const mrs_ruleset *named,
                      const mrs_conformance *c, bool json, FILE *f, size_t *failing)
{
    *failing = 0;
    if (json)
        fputs("{\"participants\": [", f);
    for (size_t i = 0; i < reg->n; i++) {
        const mrs_participant *p = &reg->v[i];
        const mrs_ruleset *rs = mode == PROG_RULES_AT_JOIN ? mrs_ruleset_in_force(p->joined) : named;
        char why[256] = "";
        bool ok = rs && mrs_signup_check(rs, p, why, sizeof why);
        if (!rs)
            snprintf(why, sizeof why, "joined before MANRS existed (November 2014)");
        *failing += !ok;
        char acts[32], joined[11];
        actions_text(p->actions, acts, sizeof acts);
        ymd_text(p->joined, joined);
        if (json) {
            fprintf(f, "%s\n {\"id\": ", i ? "," : "");
            mrs_json_fcstr(f, p->id);
            fprintf(f, ", \"programme\": \"%s\", \"tier\": \"%s\", \"joined\": \"%s\", \"ruleset\": ",
                    mrs_programme_name(p->programme), mrs_tier_name(p->tier), joined);
            mrs_json_fcstr(f, rs ? mrs_ruleset_name(rs) : NULL);
            fprintf(f, ", \"meets_rule\": %s, \"why\": ", ok ? "true" : "false");
            mrs_json_fcstr(f, ok ? NULL : why);
            fputs(", \"asns\": [", f);
            for (size_t j = 0; j < p->n_asns; j++) {
                fprintf(f, "%s{\"asn\": %" PRIu32 ", \"actions\": [", j ? ", " : "", p->asns[j].asn);
                MRS_FOR_EACH_ACTION(k, p->asns[j].actions)
                    fprintf(f, "%s%u", k == mrs_action_next(p->asns[j].actions, 0) ? "" : ", ", k);
                fputs("]", f);
                if (c) {
                    const mrs_asn_verdicts *av = &c->v[i].asns[j];
                    fprintf(f, ", \"seen\": %s, \"measured\": {", av->seen ? "true" : "false");
                    MRS_FOR_EACH_ACTION(k, av->committed)
                        fprintf(f, "%s\"%u\": \"%s\"", k == mrs_action_next(av->committed, 0) ? "" : ", ", k,
                                mrs_verdict_name(av->a[k].verdict));
                    fputc('}', f);
                }
                fputc('}', f);
            }
            fputs("]}", f);
            continue;
        }
        fprintf(f, "%-28.28s %-16s %-10s joined %s actions %-11s %s: %s%s%s\n", p->id, mrs_programme_name(p->programme),
                mrs_tier_name(p->tier), joined, acts, rs ? mrs_ruleset_name(rs) : "(none)",
                ok ? "meets the rule" : "does NOT meet the rule", ok ? "" : ": ", ok ? "" : why);
        for (size_t j = 0; c && j < c->v[i].n_asns; j++) {
            const mrs_asn_verdicts *av = &c->v[i].asns[j];
            if (!av->asn)
                continue;
            fprintf(f, "    AS%u%s:", av->asn, av->seen ? "" : " (not in the routing data or other inputs)");
            MRS_FOR_EACH_ACTION(k, av->committed)
                fprintf(f, " %u %s", k, mrs_verdict_name(av->a[k].verdict));
            fputc('\n', f);
        }
    }
    if (json)
        fprintf(f, "\n], \"failing\": %zu, \"skipped\": %" PRIu64 "}\n", *failing, reg->skipped);
    else
        fprintf(f, "\n%zu participants, %zu do not meet their sign-up rule, %" PRIu64 " entries skipped\n", reg->n,
                *failing, reg->skipped);
    return ferror(f) ? -1 : 0;
}
