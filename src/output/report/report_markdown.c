/*
 * report_markdown.c — `manrs report --format markdown`: the landscape (or one
 * network) as GitHub-flavoured Markdown tables, for issue trackers and wikis.
 * Text from the store is escaped (rpt_md) so it cannot break a table.
 */
#include <inttypes.h>
#include <string.h>

#include "report_util.h"

#define MD_MAX_INCIDENTS 50

static void run_header(FILE *f, const mrs_report *r)
{
    char ws[32], we[32];
    rpt_time(r->run.window_start, ws, sizeof ws);
    rpt_time(r->run.window_end, we, sizeof we);
    fprintf(f, "# MANRS observatory report — run %" PRId64 "\n\n", r->run.id);
    fprintf(f, "- status: **%s**", r->run.status);
    if (r->run.reason) {
        fputs(" — ", f);
        rpt_md(f, r->run.reason);
    }
    fprintf(f, "\n- window: %s .. %s UTC\n- inputs: ", ws, we);
    rpt_md(f, r->run.inputs);
    fputc('\n', f);
    if (r->run.warnings && r->run.warnings[0]) {
        fputs("- warning: ", f);
        for (const char *p = r->run.warnings; *p; p++) {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            char line[1024];
            snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line - 1 ? len : sizeof line - 1), p);
            rpt_md(f, line);
            if (!e)
                break;
            fputs("\n- warning: ", f);
            p = e;
        }
        fputc('\n', f);
    }
    if (r->n_low_hidden)
        fprintf(f, "- low-confidence incidents not shown: %zu (`--include-low`)\n", r->n_low_hidden);
    if (rpt_run_not_complete(r))
        fprintf(f, "\n> **This run is %s: it holds no results.**\n", r->run.status);
}

static void agg_table(FILE *f, const mrs_report *r)
{
    fputs("\n## Readiness per action\n\n| scope | networks |", f);
    for (int a = 1; a <= 4; a++)
        fprintf(f, " %d %s (ready / aspiring / lagging / no data, mean) |", a, mrs_action_title(a));
    fputs("\n|---|---:|---|---|---|---|\n", f);
    for (size_t i = 0; i <= r->n_countries; i++) {
        const mrs_report_agg *g = i ? &r->countries[i - 1] : &r->total;
        if (i && r->opts.country[0])
            break;
        fputs("| ", f);
        rpt_md(f, i ? g->country : (r->opts.country[0] ? r->opts.country : "all"));
        fprintf(f, " | %zu |", g->networks);
        for (int a = 1; a <= 4; a++) {
            char b[48];
            rpt_pct1(g->mean[a], b, sizeof b, "–");
            fprintf(f, " %zu / %zu / %zu / %zu, %s |", g->status[a][MRS_READY], g->status[a][MRS_ASPIRING],
                    g->status[a][MRS_LAGGING], g->status[a][MRS_NO_DATA], b);
        }
        fputc('\n', f);
    }
}

static void networks_table(FILE *f, const mrs_report *r)
{
    fprintf(f, "\n## Networks (%zu of %zu, ranked by readiness)\n\n", r->n_nets, r->n_nets_scope);
    fputs("| rank | network | cc | 1 Filtering | 2 Anti-spoofing | 3 Coordination | 4 RPKI | 4 IRR |\n", f);
    fputs("|---:|---|---|---|---|---|---|---:|\n", f);
    for (size_t i = 0; i < r->n_nets; i++) {
        const mrs_network_metrics *m = &r->nets[i];
        fprintf(f, "| %zu | AS%" PRIu32 " | ", i + 1, m->asn);
        rpt_md(f, m->country);
        fputs(" |", f);
        for (int a = 1; a <= 4; a++) {
            char b[48];
            rpt_pct1(m->action[a], b, sizeof b, "–");
            fprintf(f, " %s %s |", b, mrs_readiness_name(m->status[a]));
        }
        char b[48];
        rpt_pct1(m->m7irr, b, sizeof b, "–");
        fprintf(f, " %s |\n", b);
    }
}

static void incident_row(FILE *f, const mrs_incident *i)
{
    char pfx[MRS_PREFIX_STRLEN], ts[32], te[32];
    mrs_prefix_format(&i->prefix, pfx);
    rpt_time(i->start, ts, sizeof ts);
    rpt_time(i->end, te, sizeof te);
    char conf[512];
    rpt_confidence(i, conf, sizeof conf);
    fprintf(f, "| %" PRIu64 " | %s%s | %s | AS%" PRIu32 " | ", i->id, mrs_incident_class_name(i->cls),
            conf[0] ? " (low)" : "", pfx, i->culprit);
    if (i->accomplice)
        fprintf(f, "AS%" PRIu32, i->accomplice);
    fputs(" | ", f);
    for (size_t k = 0; k < i->n_victims; k++)
        fprintf(f, "%sAS%" PRIu32, k ? ", " : "", i->victims[k]);
    fprintf(f, " | %s | %s | %u | ", ts, te, i->peers);
    for (size_t k = 0; k < i->n_evidence; k++) {
        const mrs_evidence *e = &i->evidence[k];
        char ip[MRS_IP_STRLEN] = "?", t[32];
        if (e->peer_afi == MRS_AFI_IPV4 || e->peer_afi == MRS_AFI_IPV6)
            mrs_ip_format(e->peer_afi, e->peer_ip, ip);
        rpt_time(e->time, t, sizeof t);
        fprintf(f, "%speer AS%" PRIu32 " %s at %s, path `", k ? "<br>" : "", e->peer_asn, ip, t);
        for (const char *p = e->as_path; p && *p; p++)
            fputc(*p == '`' || *p == '|' || (unsigned char)*p < 0x20 ? ' ' : *p, f);
        fputs("`, ", f);
        rpt_md(f, e->file);
        fprintf(f, " @ %" PRIu64, e->offset);
        if (e->note) {
            fputs(" — ", f);
            rpt_md(f, e->note);
        }
    }
    fputs(" |\n", f);
}

#define INCIDENT_HEAD                                                                                  \
    "| id | class | prefix | culprit | accomplice | victims | start | end | peers | evidence |\n"             \
    "|---:|---|---|---|---|---|---|---|---:|---|\n"

/* The incidents that took asn's address space or routes. */
static void victim_of(FILE *f, const mrs_report *r, uint32_t asn)
{
    size_t n = 0, shown = 0;
    for (size_t i = 0; i < r->inc.n; i++)
        n += rpt_role_is(&r->inc.v[i], asn, "victim");
    if (!n)
        return;
    fprintf(f, "\n### Victim of %zu incident%s (not scored against AS%" PRIu32 ")\n\n", n, n == 1 ? "" : "s", asn);
    fputs(INCIDENT_HEAD, f);
    for (size_t i = 0; i < r->inc.n && shown < MD_MAX_INCIDENTS; i++)
        if (rpt_role_is(&r->inc.v[i], asn, "victim")) {
            incident_row(f, &r->inc.v[i]);
            shown++;
        }
}

static void one_network(FILE *f, const mrs_report *r)
{
    uint32_t asn = r->opts.asn;
    fprintf(f, "\n## AS%" PRIu32 "\n\n", asn);
    if (!r->n_nets) {
        fprintf(f, "No metrics in this run (nothing announced seen by enough peers).\n");
        victim_of(f, r, asn);
        return;
    }
    const mrs_network_metrics *m = &r->nets[0];
    fputs("| action | score | status |\n|---|---:|---|\n", f);
    for (int a = 1; a <= 4; a++) {
        char b[48];
        rpt_pct1(m->action[a], b, sizeof b, "–");
        fprintf(f, "| %d %s | %s | %s |\n", a, mrs_action_title(a), b, mrs_readiness_name(m->status[a]));
    }
    fputs("\n| metric | value | what |\n|---|---:|---|\n", f);
    size_t nd;
    const mrs_metric_desc *d = mrs_report_metrics(&nd);
    for (size_t k = 0; k < nd; k++) {
        char b[48];
        if (d[k].is_bool)
            snprintf(b, sizeof b, "%s", mrs_metric_value(m, &d[k]) > 0 ? "yes" : "no");
        else
            rpt_num(mrs_metric_value(m, &d[k]), b, sizeof b, "–");
        fprintf(f, "| %s%s%s | %s | %s |\n", mrs_metric_failed(m, &d[k]) ? "**" : "", d[k].label,
                mrs_metric_failed(m, &d[k]) ? "**" : "", b, d[k].what);
    }
    for (size_t k = 0; k < nd; k++) {
        if (!mrs_metric_failed(m, &d[k]) || (!d[k].incident_metric && strcmp(d[k].id, "m7rpkin")))
            continue;
        size_t n = 0;
        for (size_t i = 0; i < r->inc.n; i++)
            n += mrs_incident_counts_for(&r->inc.v[i], asn, &d[k]);
        if (!n)
            continue;
        fprintf(f, "\n### %s — %s (%zu incident%s)\n\n", d[k].label, d[k].what, n, n == 1 ? "" : "s");
        fputs(INCIDENT_HEAD, f);
        size_t shown = 0;
        for (size_t i = 0; i < r->inc.n && shown < MD_MAX_INCIDENTS; i++)
            if (mrs_incident_counts_for(&r->inc.v[i], asn, &d[k])) {
                incident_row(f, &r->inc.v[i]);
                shown++;
            }
    }
    victim_of(f, r, asn);
}

int mrs_report_markdown(FILE *f, const mrs_report *r)
{
    run_header(f, r);
    if (r->opts.asn) {
        one_network(f, r);
    } else {
        agg_table(f, r);
        networks_table(f, r);
    }
    return ferror(f) ? -1 : 0;
}
