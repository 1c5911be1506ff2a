/*
 * report_table.c — `manrs report` for a terminal: networks ranked by readiness
 * with the four actions side by side, the status distribution of the whole set
 * and per country; with --as, every failed metric explained by its incidents and
 * their evidence (collector peer, time, AS path, MRT file and offset).
 * Columns are padded before colouring, so alignment holds with and without colour.
 */
#include <inttypes.h>
#include <string.h>

#include "report_util.h"

#include "manrs/core/diag.h"

#define MAX_COUNTRIES 20
#define MAX_INCIDENTS_PER_METRIC 20

static const char *colour_of(mrs_readiness s)
{
    switch (s) {
    case MRS_READY: return "\033[32m";
    case MRS_ASPIRING: return "\033[33m";
    case MRS_LAGGING: return "\033[31m";
    default: return "\033[2m";
    }
}

/* status word padded to width, coloured if asked */
static void status_cell(FILE *f, mrs_readiness s, int width, bool colour)
{
    const char *name = mrs_readiness_name(s);
    if (colour)
        fprintf(f, "%s%-*s\033[0m", colour_of(s), width, name);
    else
        fprintf(f, "%-*s", width, name);
}

static void header(FILE *f, const mrs_report *r, bool colour)
{
    char ws[32], we[32];
    rpt_time(r->run.window_start, ws, sizeof ws);
    rpt_time(r->run.window_end, we, sizeof we);
    fprintf(f, "manrs report: %s, run %" PRId64 " ", r->db_path, r->run.id);
    bool bad = rpt_run_not_complete(r);
    if (bad && colour)
        fprintf(f, "\033[1;31m(%s)\033[0m", r->run.status);
    else
        fprintf(f, "(%s)", r->run.status);
    fprintf(f, ", window %s .. %s UTC\n", ws, we);
    fputs("inputs: ", f);
    rpt_text(f, r->run.inputs);
    fputc('\n', f);
    if (r->run.warnings && r->run.warnings[0]) {
        fputs("warning: ", f);
        for (const char *p = r->run.warnings; *p;) {
            size_t n = strcspn(p, "\n");
            char line[512];
            mrs_text_safe(line, sizeof line, p, n);
            fputs(line, f);
            p += n;
            if (*p == '\n') {
                p++;
                fputs("\nwarning: ", f);
            }
        }
        fputc('\n', f);
    }
    if (bad) {
        fprintf(f, "THIS RUN IS %s: it holds no results", !strcmp(r->run.status, "failed") ? "FAILED" : "INCOMPLETE");
        if (r->run.reason) {
            fputs(" — ", f);
            rpt_text(f, r->run.reason);
        }
        fputc('\n', f);
        if (!strcmp(r->run.status, "incomplete"))
            fputs("(it was interrupted, or it is still being written)\n", f);
    }
}

static void landscape(FILE *f, const mrs_report *r, bool colour)
{
    fprintf(f, "\n%zu networks", r->n_nets_scope);
    if (r->opts.country[0])
        fprintf(f, " in %s", r->opts.country);
    if (r->n_nets < r->n_nets_scope)
        fprintf(f, " (top %zu shown)", r->n_nets);
    size_t total = 0;
    for (int c = 0; c < MRS_INC_NCLASSES; c++)
        total += r->inc_by_class[c];
    fprintf(f, ", %zu incidents%s", total, r->opts.top || r->opts.country[0] ? " involving them" : "");
    const char *sep = " (";
    for (int c = 0; c < MRS_INC_NCLASSES; c++) {
        if (r->inc_by_class[c]) {
            fprintf(f, "%s%s %zu", sep, mrs_incident_class_name((mrs_incident_class)c), r->inc_by_class[c]);
            sep = ", ";
        }
    }
    if (total)
        fputc(')', f);
    if (r->n_low_hidden)
        fprintf(f, "; %zu low-confidence, not shown (--include-low)", r->n_low_hidden);
    fputs("\n\n", f);
    if (!r->n_nets)
        return;
    fprintf(f, "%5s  %-12s %-2s  %-14s  %-14s  %-14s  %s\n", "rank", "network", "cc", "1 Filtering", "2 Anti-spoof",
            "3 Coordination", "4 RPKI   IRR");
    for (size_t i = 0; i < r->n_nets; i++) {
        const mrs_network_metrics *m = &r->nets[i];
        char as[16];
        snprintf(as, sizeof as, "AS%" PRIu32, m->asn);
        fprintf(f, "%5zu  %-12s %-2s", i + 1, as, m->country[0] ? m->country : "--");
        char b[48], c[48];
        for (int a = 1; a <= 3; a++) {
            rpt_pct1(m->action[a], b, sizeof b, "-");
            fprintf(f, "  %5s ", b);
            status_cell(f, m->status[a], 8, colour);
        }
        rpt_pct1(m->action[4], b, sizeof b, "-");
        rpt_pct1(m->m7irr, c, sizeof c, "-");
        fprintf(f, "  %5s %5s ", b, c);
        status_cell(f, m->status[4], 0, colour); /* last column: no trailing blanks */
        fputc('\n', f);
    }
}

static double share(size_t part, size_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void distribution(FILE *f, const mrs_report *r)
{
    const mrs_report_agg *g = &r->total;
    if (!g->networks)
        return;
    fprintf(f, "\nreadiness of %s (%zu networks)\n", r->opts.country[0] ? r->opts.country : "the whole set", g->networks);
    fprintf(f, "  %-20s %8s %8s %8s %8s %6s\n", "action", "ready", "aspiring", "lagging", "no_data", "mean");
    for (int a = 1; a <= 4; a++) {
        char b[48];
        rpt_pct1(g->mean[a], b, sizeof b, "-");
        fprintf(f, "  %d %-18s %8zu %8zu %8zu %8zu %6s\n", a, mrs_action_title(a), g->status[a][MRS_READY],
                g->status[a][MRS_ASPIRING], g->status[a][MRS_LAGGING], g->status[a][MRS_NO_DATA], b);
    }
    size_t nc = r->n_countries < MAX_COUNTRIES ? r->n_countries : MAX_COUNTRIES;
    if (r->opts.country[0] || nc == 0)
        return;
    fprintf(f, "\ncountries (share of networks ready)\n  %-3s %8s %8s %8s %8s %8s\n", "cc", "networks", "1", "2", "3", "4");
    for (size_t i = 0; i < nc; i++) {
        const mrs_report_agg *c = &r->countries[i];
        fputs("  ", f);
        rpt_text(f, c->country);
        fprintf(f, "%*s %8zu", 3 - (int)strlen(c->country), "", c->networks);
        for (int a = 1; a <= 4; a++)
            fprintf(f, " %7.1f%%", share(c->status[a][MRS_READY], c->networks));
        fputc('\n', f);
    }
    if (r->n_countries > nc)
        fprintf(f, "  (%zu more countries: --format json or html lists all)\n", r->n_countries - nc);
}

static void evidence_lines(FILE *f, const mrs_incident *i)
{
    char pfx[MRS_PREFIX_STRLEN], ts[32], te[32], dur[32];
    mrs_prefix_format(&i->prefix, pfx);
    rpt_time(i->start, ts, sizeof ts);
    rpt_time(i->end, te, sizeof te);
    rpt_duration((int64_t)i->end - (int64_t)i->start, dur, sizeof dur);
    fprintf(f, "    #%" PRIu64 " %s %s by AS%" PRIu32, i->id, mrs_incident_class_name(i->cls), pfx, i->culprit);
    if (i->accomplice)
        fprintf(f, " via AS%" PRIu32, i->accomplice);
    if (i->leak_type)
        fprintf(f, " (RFC 7908 type %u)", i->leak_type);
    for (size_t k = 0; k < i->n_victims && k < 8; k++)
        fprintf(f, "%sAS%" PRIu32, k ? ", " : " against ", i->victims[k]);
    if (i->n_victims > 8)
        fprintf(f, " and %zu more", i->n_victims - 8);
    char conf[512];
    rpt_confidence(i, conf, sizeof conf);
    fprintf(f, ", %s .. %s (%s), seen by %u peers%s\n", ts, te, dur, i->peers, conf);
    for (size_t k = 0; k < i->n_evidence; k++) {
        const mrs_evidence *e = &i->evidence[k];
        char ip[MRS_IP_STRLEN] = "?", t[32];
        if (e->peer_afi == MRS_AFI_IPV4 || e->peer_afi == MRS_AFI_IPV6)
            mrs_ip_format(e->peer_afi, e->peer_ip, ip);
        rpt_time(e->time, t, sizeof t);
        fprintf(f, "      peer AS%" PRIu32 " %s at %s  path ", e->peer_asn, ip, t);
        rpt_text(f, e->as_path);
        fputs("  ", f);
        rpt_text(f, e->file);
        fprintf(f, " @ %" PRIu64, e->offset);
        if (e->note) {
            fputs("  ", f);
            rpt_text(f, e->note);
        }
        fputc('\n', f);
    }
}

static void one_network(FILE *f, const mrs_report *r, bool colour)
{
    uint32_t asn = r->opts.asn;
    if (!r->n_nets) {
        fprintf(f, "\nAS%" PRIu32 " has no metrics in run %" PRId64 " (it announced nothing seen by enough peers)\n",
                asn, r->run.id);
    } else {
        const mrs_network_metrics *m = &r->nets[0];
        fprintf(f, "\nAS%" PRIu32 " (%s)\n", asn, m->country[0] ? m->country : "country unknown");
        for (int a = 1; a <= 4; a++) {
            char b[48], c[48];
            rpt_pct1(m->action[a], b, sizeof b, "-");
            fprintf(f, "  Action %d %-18s %6s  ", a, mrs_action_title(a), b);
            status_cell(f, m->status[a], 0, colour);
            if (a == 4) {
                rpt_pct1(m->m7irr, c, sizeof c, "-");
                fprintf(f, "  (RPKI; IRR %s)", c);
            }
            fputc('\n', f);
        }
        size_t nd;
        const mrs_metric_desc *d = mrs_report_metrics(&nd);
        fprintf(f, "\n  metrics:");
        for (size_t k = 0; k < nd; k++) {
            char b[48];
            if (d[k].is_bool)
                snprintf(b, sizeof b, "%s", mrs_metric_value(m, &d[k]) > 0 ? "yes" : "no");
            else
                rpt_num(mrs_metric_value(m, &d[k]), b, sizeof b, "-");
            fprintf(f, "%s %s %s", k % 8 ? "," : (k ? "\n   " : ""), d[k].label, b);
        }
        fprintf(f, "\n  announced %" PRIu64 " routes: IRR-covered %" PRIu64 ", RPKI valid %" PRIu64
                   ", RPKI invalid %" PRIu64 "\n",
                m->announced, m->irr_covered, m->rpki_valid, m->rpki_invalid);
        bool any = false;
        for (size_t k = 0; k < nd; k++) {
            if (!mrs_metric_failed(m, &d[k]))
                continue;
            if (!any)
                fputs("\nfailed metrics:\n", f);
            any = true;
            char b[48];
            if (d[k].is_bool)
                snprintf(b, sizeof b, "no");
            else
                snprintf(b, sizeof b, "%.1f %%", mrs_metric_value(m, &d[k]));
            size_t n = 0;
            for (size_t i = 0; i < r->inc.n; i++)
                n += mrs_incident_counts_for(&r->inc.v[i], asn, &d[k]);
            fprintf(f, "  %s %s: %s%s", d[k].label, b, d[k].what, d[k].scored ? "" : " [not scored]");
            if (!strcmp(d[k].id, "m7rpkin"))
                fprintf(f, " — %" PRIu64 " of %" PRIu64 " routes RPKI-invalid", m->rpki_invalid, m->announced);
            else if (d[k].incident_metric)
                fprintf(f, " — %zu incident%s", n, n == 1 ? "" : "s");
            else if (!strcmp(d[k].id, "m7irr"))
                fprintf(f, " — %" PRIu64 " of %" PRIu64 " routes without a matching IRR object",
                        m->announced - m->irr_covered, m->announced);
            else if (!strcmp(d[k].id, "m7rpki"))
                fprintf(f, " — %" PRIu64 " valid, %" PRIu64 " invalid of %" PRIu64 " routes", m->rpki_valid,
                        m->rpki_invalid, m->announced);
            fputc('\n', f);
            size_t shown = 0;
            for (size_t i = 0; i < r->inc.n && shown < MAX_INCIDENTS_PER_METRIC; i++) {
                if (mrs_incident_counts_for(&r->inc.v[i], asn, &d[k])) {
                    evidence_lines(f, &r->inc.v[i]);
                    shown++;
                }
            }
            if (n > shown)
                fprintf(f, "    (%zu more: --format json lists all)\n", n - shown);
        }
        if (!any)
            fputs("\nno failed metric\n", f);
    }
    size_t harmed = 0, shown = 0;
    for (size_t i = 0; i < r->inc.n; i++)
        harmed += rpt_role_is(&r->inc.v[i], asn, "victim");
    if (harmed)
        fprintf(f, "\nvictim of %zu incident%s (its address space or routes taken by another network; not scored "
                   "against it):\n", harmed, harmed == 1 ? "" : "s");
    for (size_t i = 0; i < r->inc.n && shown < MAX_INCIDENTS_PER_METRIC; i++)
        if (rpt_role_is(&r->inc.v[i], asn, "victim")) {
            evidence_lines(f, &r->inc.v[i]);
            shown++;
        }
    if (harmed > shown)
        fprintf(f, "    (%zu more: --format json lists all)\n", harmed - shown);
    size_t prop = 0;
    for (size_t i = 0; i < r->inc.n; i++)
        prop += rpt_role_is(&r->inc.v[i], asn, "propagator");
    if (prop)
        fprintf(f, "\nalso propagated %zu incident%s of other networks further away (not scored)\n", prop,
                prop == 1 ? "" : "s");
}

int mrs_report_table(FILE *f, const mrs_report *r, bool colour)
{
    header(f, r, colour);
    if (r->opts.asn) {
        one_network(f, r, colour);
    } else {
        landscape(f, r, colour);
        distribution(f, r);
    }
    if (r->n_trend > 1) {
        fprintf(f, "\nhistory (complete runs; %s)\n  %-19s %5s %8s %8s %8s %8s %8s\n",
                r->opts.asn ? "score per action" : "networks ready per action", "window start (UTC)", "run", "networks",
                "1", "2", "3", "4");
        for (size_t i = 0; i < r->n_trend; i++) {
            const mrs_report_trend *t = &r->trend[i];
            char ws[32];
            rpt_time(t->window_start, ws, sizeof ws);
            fprintf(f, "  %-19s %5" PRId64 " %8zu", ws, t->run, t->agg.networks);
            for (int a = 1; a <= 4; a++) {
                if (r->opts.asn) {
                    char b[48];
                    rpt_pct1(t->agg.networks ? t->agg.mean[a] : -1, b, sizeof b, "-");
                    fprintf(f, " %8s", b);
                } else {
                    fprintf(f, " %8zu", t->agg.status[a][MRS_READY]);
                }
            }
            fputc('\n', f);
        }
    }
    return ferror(f) ? -1 : 0;
}
