/*
 * report_html.c — `manrs report --format html`: one self-contained page (inline
 * CSS and SVG, no script, no external resource: it opens offline and can be
 * mailed). Overview cards, the readiness distribution per action and its trend
 * across complete runs as inline SVG charts, incidents per class, countries, the
 * ranked networks, then one section per network explaining every failed metric
 * with its incidents and their evidence and the incidents it was the victim of,
 * and the list of every incident (the anchor the rows above link to, evidence
 * folded in <details>). All store text is HTML-escaped.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/output/html.h"
#include "report_util.h"

#define HTML_MAX_SECTIONS 200
#define HTML_MAX_INCIDENTS 20

static const char *const status_colour[4] = {"#9aa0a6", "#c62828", "#f29900", "#1e8e3e"}; /* no_data lagging aspiring ready */
static const char *const action_colour[5] = {"", "#1a73e8", "#9334e6", "#12b5cb", "#e8710a"};

const char mrs_html_css[] =
    "*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "color:#202124;background:#f4f6f8}"
    "header{background:#0b3d59;color:#fff;padding:20px 32px}header h1{margin:0 0 4px;font-size:22px;font-weight:600}"
    "header .meta{opacity:.85;font-size:13px}main{max-width:1180px;margin:0 auto;padding:20px 24px 48px}"
    "section{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:18px 22px;margin:18px 0}"
    "h2{font-size:17px;margin:0 0 12px;font-weight:600}h3{font-size:15px;margin:18px 0 8px}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px}"
    ".card{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:14px 16px}"
    ".card .v{font-size:26px;font-weight:600}.card .l{color:#5f6368;font-size:12px;text-transform:uppercase;letter-spacing:.04em}"
    "table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:5px 8px;border-bottom:1px solid #e8eaed;"
    "text-align:left;vertical-align:top}th{background:#f8f9fa;font-weight:600;color:#3c4043;position:sticky;top:0}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr:hover td{background:#f8fbff}"
    ".pill{display:inline-block;min-width:62px;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;text-align:center}"
    ".ready{background:#1e8e3e}.aspiring{background:#f29900}.lagging{background:#c62828}.no_data{background:#9aa0a6}"
    ".banner{background:#fce8e6;color:#a50e0e;border:1px solid #f5c2c0;border-radius:8px;padding:12px 16px;font-weight:600}"
    ".scroll{max-height:560px;overflow:auto}.muted{color:#5f6368}code{font:12px ui-monospace,Menlo,Consolas,monospace;"
    "background:#f1f3f4;padding:1px 4px;border-radius:4px;word-break:break-all}"
    ".net{border-left:4px solid #1a73e8}.fail{color:#a50e0e;font-weight:600}.grid{display:grid;"
    "grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:4px 18px}"
    ".ev{font-size:12px;color:#3c4043}a{color:#1a73e8;text-decoration:none}a:hover{text-decoration:underline}"
    "svg text{font:12px system-ui,sans-serif;fill:#3c4043}.legend span{display:inline-block;margin-right:14px;font-size:12px}"
    ".legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}"
    ".nw{white-space:nowrap;word-break:normal}code.path{word-break:normal}footer{color:#5f6368;font-size:12px;text-align:center;padding:12px}";

void mrs_html_pill(FILE *f, mrs_readiness s, double score)
{
    char b[48];
    rpt_pct1(score, b, sizeof b, "");
    fprintf(f, "<span class=\"pill %s\">%s%s%s</span>", mrs_readiness_name(s),
            s == MRS_NO_DATA ? "no data" : mrs_readiness_name(s), b[0] ? " " : "", b);
}

static void legend_status(FILE *f)
{
    static const mrs_readiness order[4] = {MRS_READY, MRS_ASPIRING, MRS_LAGGING, MRS_NO_DATA};
    fputs("<div class=\"legend\">", f);
    for (int i = 0; i < 4; i++)
        fprintf(f, "<span><i style=\"background:%s\"></i>%s</span>", status_colour[order[i]],
                order[i] == MRS_NO_DATA ? "no data" : mrs_readiness_name(order[i]));
    fputs("</div>", f);
}

/* Stacked horizontal bars: the status distribution of each action. */
void mrs_html_distribution(FILE *f, const mrs_report_agg *g)
{
    static const mrs_readiness order[4] = {MRS_READY, MRS_ASPIRING, MRS_LAGGING, MRS_NO_DATA};
    const int W = 1080, L = 150, BW = W - L - 100, BH = 26, GAP = 14;
    int H = 4 * (BH + GAP) + 10;
    fprintf(f, "<svg role=\"img\" aria-label=\"readiness distribution per action\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
               "style=\"max-width:%dpx\">",
            W, H, W);
    for (int a = 1; a <= 4; a++) {
        int y = 6 + (a - 1) * (BH + GAP);
        fprintf(f, "<text x=\"0\" y=\"%d\">%d %s</text>", y + BH / 2 + 4, a, mrs_action_title(a));
        double x = L;
        size_t n = g->networks ? g->networks : 1;
        for (int k = 0; k < 4; k++) {
            size_t c = g->status[a][order[k]];
            double w = (double)BW * (double)c / (double)n;
            if (c) {
                fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %zu of %zu</title></rect>",
                        x, y, w, BH, status_colour[order[k]], mrs_readiness_name(order[k]), c, g->networks);
                if (w > 34)
                    fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" style=\"fill:#fff\">%.0f%%</text>",
                            x + w / 2, y + BH / 2 + 4, 100.0 * (double)c / (double)n);
            }
            x += w;
        }
        if (!g->networks)
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eee\"/>", L, y, BW, BH);
        char b[48];
        rpt_pct1(g->mean[a], b, sizeof b, "–");
        fprintf(f, "<text x=\"%d\" y=\"%d\">mean %s</text>", L + BW + 8, y + BH / 2 + 4, b);
    }
    fputs("</svg>", f);
    legend_status(f);
}

/* One network: its action score; a set: the share of its networks ready. -1 = no data. */
static double trend_value(const mrs_report *r, size_t i, int a)
{
    const mrs_report_agg *g = &r->trend[i].agg;
    if (r->opts.asn) {
        double v = g->networks ? g->mean[a] : -1.0;
        return v > 100 ? 100 : v; /* a damaged store must not throw the line off the chart */
    }
    return g->networks ? 100.0 * (double)g->status[a][MRS_READY] / (double)g->networks : -1.0;
}

/* Lines per action across the complete runs (trend_value). */
void mrs_html_trend(FILE *f, const mrs_report *r)
{
    const int W = 1080, H = 260, L = 84, R = 56, T = 12, B = 44;
    int pw = W - L - R, ph = H - T - B;
    fprintf(f, "<svg role=\"img\" aria-label=\"share of networks ready per action across runs\" viewBox=\"0 0 %d %d\" "
               "width=\"100%%\" style=\"max-width:%dpx\">",
            W, H, W);
    for (int p = 0; p <= 100; p += 25) {
        double y = T + ph - ph * p / 100.0;
        fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e8eaed\"/>", L - 30, L + pw + 30, y, y);
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>", L - 36, y + 4, p);
    }
    size_t n = r->n_trend;
    size_t step = n > 8 ? (n + 7) / 8 : 1;
    for (size_t i = 0; i < n; i++) {
        double x = n == 1 ? L + pw / 2.0 : L + pw * (double)i / (double)(n - 1);
        if (i % step == 0 || i == n - 1) {
            char ws[32];
            rpt_time(r->trend[i].window_start, ws, sizeof ws);
            ws[16] = 0; /* to the minute */
            fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">run %" PRId64 "</text>", x, T + ph + 16,
                    r->trend[i].run);
            fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" style=\"fill:#80868b;font-size:10px\">%s</text>", x,
                    T + ph + 30, ws);
        }
    }
    for (int a = 1; a <= 4; a++) {
        /* wider first: a line hidden under a later one still shows as its border */
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" stroke-linejoin=\"round\" points=\"",
                action_colour[a], 7.0 - 1.5 * a);
        for (size_t i = 0, first = 1; i < n; i++) {
            double v = trend_value(r, i, a);
            if (v < 0)
                continue; /* no data in that run: the line joins its neighbours */
            double x = n == 1 ? L + pw / 2.0 : L + pw * (double)i / (double)(n - 1);
            fprintf(f, "%s%.1f,%.1f", first ? "" : " ", x, T + ph - ph * v / 100.0);
            first = 0;
        }
        fputs("\"/>", f);
        for (size_t i = 0; i < n; i++) {
            double v = trend_value(r, i, a);
            if (v < 0)
                continue;
            double x = n == 1 ? L + pw / 2.0 : L + pw * (double)i / (double)(n - 1);
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>run %" PRId64 ", %s: %.1f%%%s"
                       "</title></circle>",
                    x, T + ph - ph * v / 100.0, action_colour[a], r->trend[i].run, mrs_action_title(a), v,
                    r->opts.asn ? "" : " ready");
        }
    }
    fputs("</svg><div class=\"legend\">", f);
    for (int a = 1; a <= 4; a++)
        fprintf(f, "<span><i style=\"background:%s\"></i>%d %s</span>", action_colour[a], a, mrs_action_title(a));
    fputs("</div>", f);
    if (n < 2)
        fputs("<p class=\"muted\">One complete run so far: the trend grows with every further run over the next "
              "window.</p>",
              f);
}

void mrs_html_incident_classes(FILE *f, const mrs_report *r)
{
    size_t max = 0;
    for (int c = 0; c < MRS_INC_NCLASSES; c++)
        max = r->inc_by_class[c] > max ? r->inc_by_class[c] : max;
    const int W = 1080, L = 150, BW = W - L - 100, BH = 18, GAP = 8;
    fprintf(f, "<svg role=\"img\" aria-label=\"incidents per class\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
               "style=\"max-width:%dpx\">",
            W, MRS_INC_NCLASSES * (BH + GAP) + 4, W);
    for (int c = 0; c < MRS_INC_NCLASSES; c++) {
        int y = 2 + c * (BH + GAP);
        double w = max ? (double)BW * (double)r->inc_by_class[c] / (double)max : 0;
        fprintf(f, "<text x=\"0\" y=\"%d\">%s</text>", y + BH - 4, mrs_incident_class_name((mrs_incident_class)c));
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"#5f6368\"/>", L, y, w, BH);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\">%zu</text>", L + w + 6, y + BH - 4, r->inc_by_class[c]);
    }
    fputs("</svg>", f);
}

static void head(FILE *f, const mrs_report *r)
{
    char ws[32], we[32];
    rpt_time(r->run.window_start, ws, sizeof ws);
    rpt_time(r->run.window_end, we, sizeof we);
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
               "<title>MANRS observatory — run %" PRId64 "</title><style>%s</style></head><body>\n",
            r->run.id, mrs_html_css);
    fprintf(f, "<header><h1>MANRS observatory report");
    if (r->opts.asn)
        fprintf(f, " — AS%" PRIu32, r->opts.asn);
    else if (r->opts.country[0]) {
        fputs(" — ", f);
        rpt_html(f, r->opts.country);
    }
    fprintf(f, "</h1><div class=\"meta\">run %" PRId64 " · <b>", r->run.id);
    rpt_html(f, r->run.status);
    fprintf(f, "</b> · window %s – %s UTC · inputs: ", ws, we);
    rpt_html(f, r->run.inputs);
    if (r->run.warnings && r->run.warnings[0]) {
        fputs("<br>warning: ", f);
        rpt_html(f, r->run.warnings);
    }
    if (r->n_low_hidden)
        fprintf(f, "<br>%zu low-confidence incidents not shown (<code>--include-low</code>)", r->n_low_hidden);
    fputs("</div></header>\n<main>\n", f);
    if (rpt_run_not_complete(r)) {
        fprintf(f, "<div class=\"banner\">This run is %s: it holds no results.",
                !strcmp(r->run.status, "failed") ? "FAILED" : "INCOMPLETE (interrupted or still running)");
        if (r->run.reason) {
            fputs(" Reason: ", f);
            rpt_html(f, r->run.reason);
        }
        fputs("</div>\n", f);
    }
}

static void cards(FILE *f, const mrs_report *r)
{
    size_t inc = 0;
    for (int c = 0; c < MRS_INC_NCLASSES; c++)
        inc += r->inc_by_class[c];
    fputs("<div class=\"cards\">", f);
    fprintf(f, "<div class=\"card\"><div class=\"l\">networks</div><div class=\"v\">%zu</div></div>", r->n_nets_scope);
    fprintf(f, "<div class=\"card\"><div class=\"l\">incidents</div><div class=\"v\">%zu</div></div>", inc);
    for (int a = 1; a <= 4; a++) {
        const mrs_report_agg *g = &r->total;
        double share = g->networks ? 100.0 * (double)g->status[a][MRS_READY] / (double)g->networks : 0;
        fprintf(f, "<div class=\"card\"><div class=\"l\">%d %s ready</div><div class=\"v\" style=\"color:%s\">%.0f%%</div></div>",
                a, mrs_action_title(a), action_colour[a], share);
    }
    fputs("</div>\n", f);
}

static void countries(FILE *f, const mrs_report *r)
{
    if (!r->n_countries)
        return;
    fputs("<section><h2>Countries</h2><div class=\"scroll\"><table><tr><th>country</th><th class=\"n\">networks</th>", f);
    for (int a = 1; a <= 4; a++)
        fprintf(f, "<th class=\"n\">%d %s ready</th><th class=\"n\">mean</th>", a, mrs_action_title(a));
    fputs("</tr>", f);
    for (size_t i = 0; i < r->n_countries; i++) {
        const mrs_report_agg *g = &r->countries[i];
        fputs("<tr><td>", f);
        rpt_html(f, g->country);
        fprintf(f, "</td><td class=\"n\">%zu</td>", g->networks);
        for (int a = 1; a <= 4; a++) {
            char b[48];
            rpt_pct1(g->mean[a], b, sizeof b, "–");
            fprintf(f, "<td class=\"n\">%zu (%.0f%%)</td><td class=\"n\">%s</td>", g->status[a][MRS_READY],
                    g->networks ? 100.0 * (double)g->status[a][MRS_READY] / (double)g->networks : 0.0, b);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table></div></section>\n", f);
}

static void networks_table(FILE *f, const mrs_report *r)
{
    fprintf(f, "<section><h2>Networks ranked by readiness <span class=\"muted\">(%zu of %zu)</span></h2>"
               "<div class=\"scroll\"><table><tr><th class=\"n\">rank</th><th>network</th><th>cc</th>",
            r->n_nets, r->n_nets_scope);
    for (int a = 1; a <= 4; a++)
        fprintf(f, "<th>%d %s</th>", a, mrs_action_title(a));
    fputs("<th class=\"n\">IRR</th></tr>\n", f);
    for (size_t i = 0; i < r->n_nets; i++) {
        const mrs_network_metrics *m = &r->nets[i];
        fprintf(f, "<tr><td class=\"n\">%zu</td><td>", i + 1);
        if (i < HTML_MAX_SECTIONS)
            fprintf(f, "<a href=\"#as%" PRIu32 "\">AS%" PRIu32 "</a>", m->asn, m->asn);
        else
            fprintf(f, "AS%" PRIu32, m->asn);
        if (m->name[0]) {
            fputs(" <span class=\"muted\">", f);
            rpt_html(f, m->name);
            fputs("</span>", f);
        }
        fputs("</td><td>", f);
        rpt_html(f, m->country);
        fputs("</td>", f);
        for (int a = 1; a <= 4; a++) {
            fputs("<td>", f);
            mrs_html_pill(f, m->status[a], m->action[a]);
            fputs("</td>", f);
        }
        char b[48];
        rpt_pct1(m->m7irr, b, sizeof b, "–");
        fprintf(f, "<td class=\"n\">%s</td></tr>\n", b);
    }
    fputs("</table></div></section>\n", f);
}

void mrs_html_evidence(FILE *f, const mrs_incident *i)
{
    for (size_t k = 0; k < i->n_evidence; k++) {
        const mrs_evidence *e = &i->evidence[k];
        char ip[MRS_IP_STRLEN] = "?", t[32];
        if (e->peer_afi == MRS_AFI_IPV4 || e->peer_afi == MRS_AFI_IPV6)
            mrs_ip_format(e->peer_afi, e->peer_ip, ip);
        rpt_time(e->time, t, sizeof t);
        fprintf(f, "<div class=\"ev\">peer AS%" PRIu32 " %s at %s · path <code class=\"path\">", e->peer_asn, ip, t);
        rpt_html(f, e->as_path);
        /* the file's base name, the full name on hover */
        const char *base = e->file ? strrchr(e->file, '/') : NULL;
        fputs("</code> · <code class=\"path\" title=\"", f);
        rpt_html(f, e->file);
        fputs("\">", f);
        rpt_html(f, base && base[1] ? base + 1 : e->file);
        fprintf(f, "</code> @ %" PRIu64, e->offset);
        if (e->note) {
            fputs(" · ", f);
            rpt_html(f, e->note);
        }
        fputs("</div>", f);
    }
}

void mrs_html_incident_head(FILE *f, bool role)
{
    fprintf(f, "<table><tr><th class=\"n\">id</th><th>class</th>%s<th>prefix</th><th>culprit</th><th>accomplice</th>"
               "<th>victims</th><th>start – end (UTC)</th><th class=\"n\">peers</th><th>evidence</th></tr>",
            role ? "<th>role</th>" : "");
}

void mrs_html_text(FILE *f, const char *s)
{
    rpt_html(f, s);
}

void mrs_html_network_link(FILE *f, uint32_t asn, mrs_html_links mode)
{
    fprintf(f, mode == MRS_HTML_SITE ? "<a href=\"/networks/%" PRIu32 "\">AS%" PRIu32 "</a>"
                                     : "<a href=\"#as%" PRIu32 "\">AS%" PRIu32 "</a>",
            asn, asn);
}

/* An AS in an incident row: a link on a site (every network has a page), plain
 * text in a file (only the first networks have a section). */
static void row_as(FILE *f, uint32_t asn, mrs_html_links mode)
{
    if (mode == MRS_HTML_SITE)
        mrs_html_network_link(f, asn, mode);
    else
        fprintf(f, "AS%" PRIu32, asn);
}

void mrs_html_incident_row(FILE *f, const mrs_incident *in, bool anchor, const char *role, mrs_html_links mode)
{
    char pfx[MRS_PREFIX_STRLEN], ts[32], te[32], dur[32];
    mrs_prefix_format(&in->prefix, pfx);
    rpt_time(in->start, ts, sizeof ts);
    rpt_time(in->end, te, sizeof te);
    rpt_duration((int64_t)in->end - (int64_t)in->start, dur, sizeof dur);
    if (mode == MRS_HTML_SITE)
        fprintf(f, "<tr><td class=\"n\"><a href=\"/incidents/%" PRIu64 "\">%" PRIu64 "</a></td>", in->id, in->id);
    else if (anchor)
        fprintf(f, "<tr id=\"inc-%" PRIu64 "\"><td class=\"n\">%" PRIu64 "</td>", in->id, in->id);
    else
        fprintf(f, "<tr><td class=\"n\"><a href=\"#inc-%" PRIu64 "\">%" PRIu64 "</a></td>", in->id, in->id);
    fprintf(f, "<td>%s", mrs_incident_class_name(in->cls));
    if (in->leak_type)
        fprintf(f, " (type %u)", in->leak_type);
    char conf[512];
    rpt_confidence(in, conf, sizeof conf);
    if (conf[0]) {
        fputs("<br><span class=\"muted\">", f);
        rpt_html(f, conf + 2);
        fputs("</span>", f);
    }
    fputs("</td>", f);
    if (role)
        fprintf(f, "<td>%s</td>", role);
    fprintf(f, "<td><code class=\"nw\">%s</code></td><td>", pfx);
    row_as(f, in->culprit, mode);
    fputs("</td><td>", f);
    if (in->accomplice)
        row_as(f, in->accomplice, mode);
    fputs("</td><td>", f);
    for (size_t k = 0; k < in->n_victims; k++) {
        if (k)
            fputs(", ", f);
        row_as(f, in->victims[k], mode);
    }
    fprintf(f, "</td><td class=\"nw\">%s<br>%s (%s)</td><td class=\"n\">%u</td><td>", ts, te, dur, in->peers);
    if (!in->n_evidence)
        fputs("<span class=\"muted\">no sample kept</span>", f);
    else if (anchor || mode == MRS_HTML_SITE) {
        fprintf(f, "<details><summary>%zu observation%s</summary>", in->n_evidence, in->n_evidence == 1 ? "" : "s");
        mrs_html_evidence(f, in);
        fputs("</details>", f);
    } else
        mrs_html_evidence(f, in);
    fputs("</td></tr>", f);
}

/* mine: the incidents where asn is culprit or accomplice (found once per section) */
static void incident_rows(FILE *f, const mrs_incident *const *mine, size_t nmine, uint32_t asn, const mrs_metric_desc *d,
                          mrs_html_links mode)
{
    size_t n = 0;
    for (size_t i = 0; i < nmine; i++)
        n += mrs_incident_counts_for(mine[i], asn, d);
    if (!n)
        return;
    mrs_html_incident_head(f, false);
    size_t shown = 0;
    for (size_t i = 0; i < nmine && shown < HTML_MAX_INCIDENTS; i++) {
        if (!mrs_incident_counts_for(mine[i], asn, d))
            continue;
        shown++;
        mrs_html_incident_row(f, mine[i], false, NULL, mode);
    }
    fputs("</table>", f);
    if (n > shown)
        fprintf(f, "<p class=\"muted\">%zu more incidents: %s</p>", n - shown,
                mode == MRS_HTML_SITE ? "in the network's list of incidents" : "in the list of all incidents below");
}

/* The incidents that took asn's address space or routes. */
static void victim_rows(FILE *f, const mrs_report *r, uint32_t asn, mrs_html_links mode)
{
    size_t n = 0, shown = 0;
    for (size_t i = 0; i < r->inc.n; i++)
        n += mrs_incident_harms(&r->inc.v[i], asn);
    if (!n)
        return;
    fprintf(f, "<h3>Victim of %zu incident%s <span class=\"muted\">(its address space or routes taken by another "
               "network; not scored against it)</span></h3>",
            n, n == 1 ? "" : "s");
    mrs_html_incident_head(f, false);
    for (size_t i = 0; i < r->inc.n && shown < HTML_MAX_INCIDENTS; i++)
        if (mrs_incident_harms(&r->inc.v[i], asn)) {
            mrs_html_incident_row(f, &r->inc.v[i], false, NULL, mode);
            shown++;
        }
    fputs("</table>", f);
    if (n > shown)
        fprintf(f, "<p class=\"muted\">%zu more incidents: %s</p>", n - shown,
                mode == MRS_HTML_SITE ? "in the network's list of incidents" : "in the list of all incidents below");
}

/* Every incident of the report, each row the anchor the others link to. */
static void all_incidents(FILE *f, const mrs_report *r)
{
    fprintf(f, "<section id=\"incidents\"><h2>All incidents <span class=\"muted\">(%zu", r->inc.n);
    if (r->opts.asn)
        fprintf(f, " involving AS%" PRIu32, r->opts.asn);
    else if (r->opts.top || r->opts.country[0])
        fputs(" involving the networks listed", f);
    fputs(")</span></h2>", f);
    if (!r->inc.n) {
        fputs("<p>None.</p></section>\n", f);
        return;
    }
    fputs("<div class=\"scroll\">", f);
    mrs_html_incident_head(f, r->opts.asn != 0);
    for (size_t i = 0; i < r->inc.n; i++)
        mrs_html_incident_row(f, &r->inc.v[i], true, r->opts.asn ? mrs_incident_role(&r->inc.v[i], r->opts.asn) : NULL,
                              MRS_HTML_FILE);
    fputs("</table></div></section>\n", f);
}

void mrs_html_network_body(FILE *f, const mrs_report *r, const mrs_network_metrics *m, mrs_html_links mode)
{
    size_t nmine = 0;
    for (size_t i = 0; i < r->inc.n; i++)
        nmine += r->inc.v[i].culprit == m->asn || r->inc.v[i].accomplice == m->asn;
    const mrs_incident **mine = malloc((nmine ? nmine : 1) * sizeof *mine);
    nmine = 0;
    for (size_t i = 0; mine && i < r->inc.n; i++)
        if (r->inc.v[i].culprit == m->asn || r->inc.v[i].accomplice == m->asn)
            mine[nmine++] = &r->inc.v[i];
    fputs("<div class=\"grid\">", f);
    for (int a = 1; a <= 4; a++) {
        fprintf(f, "<div>%d %s: ", a, mrs_action_title(a));
        mrs_html_pill(f, m->status[a], m->action[a]);
        fputs("</div>", f);
    }
    fputs("</div><h3>Metrics</h3><div class=\"grid\">", f);
    size_t nd;
    const mrs_metric_desc *d = mrs_report_metrics(&nd);
    for (size_t k = 0; k < nd; k++) {
        char b[48];
        if (d[k].is_bool)
            snprintf(b, sizeof b, "%s", mrs_metric_value(m, &d[k]) > 0 ? "yes" : "no");
        else if (rpt_num(mrs_metric_value(m, &d[k]), b, sizeof b, "no data"))
            snprintf(b + strlen(b), sizeof b - strlen(b), " %%");
        bool failed = mrs_metric_failed(m, &d[k]);
        fprintf(f, "<div%s title=\"%s\"><b>%s</b> %s%s</div>", failed ? " class=\"fail\"" : "", d[k].what, d[k].label, b,
                d[k].scored ? "" : " <span class=\"muted\">(not scored)</span>");
    }
    fprintf(f, "</div><p class=\"muted\">%" PRIu64 " announced routes · %" PRIu64 " IRR-covered · %" PRIu64
               " RPKI valid · %" PRIu64 " RPKI invalid</p>",
            m->announced, m->irr_covered, m->rpki_valid, m->rpki_invalid);
    for (size_t k = 0; k < nd; k++) {
        if (!mrs_metric_failed(m, &d[k]))
            continue;
        char b[48];
        if (d[k].is_bool)
            snprintf(b, sizeof b, "no");
        else if (rpt_num(mrs_metric_value(m, &d[k]), b, sizeof b, "–"))
            snprintf(b + strlen(b), sizeof b - strlen(b), " %%");
        fprintf(f, "<h3>%s %s — %s</h3>", d[k].label, b, d[k].what);
        if (!strcmp(d[k].id, "m7irr"))
            fprintf(f, "<p>%" PRIu64 " of %" PRIu64 " announced routes have no IRR route object with the same origin.</p>",
                    m->announced - m->irr_covered, m->announced);
        else if (!strcmp(d[k].id, "m7rpki") || !strcmp(d[k].id, "m7rpkin"))
            fprintf(f, "<p>%" PRIu64 " RPKI-valid and %" PRIu64 " RPKI-invalid of %" PRIu64 " announced routes "
                       "(RFC 6811).</p>",
                    m->rpki_valid, m->rpki_invalid, m->announced);
        else if (!strcmp(d[k].id, "m6"))
            fputs("<p>No aut-num object with at least one import and one export (or mp-import / mp-export) was "
                  "found in the IRR.</p>",
                  f);
        else if (!strcmp(d[k].id, "m8"))
            fputs("<p>No admin-c / tech-c resolving to a contact with e-mail in the IRR, and no PeeringDB point of "
                  "contact (abuse-c alone does not count).</p>",
                  f);
        else if (d[k].action == 2)
            fputs("<p>Spoofer-style tests saw spoofed packets leave this network in the window.</p>", f);
        incident_rows(f, mine, nmine, m->asn, &d[k], mode);
    }
    victim_rows(f, r, m->asn, mode);
    if (!mine)
        fputs("<p class=\"fail\">out of memory: incidents not listed</p>", f);
    free(mine);
}

static void network_section(FILE *f, const mrs_report *r, const mrs_network_metrics *m)
{
    fprintf(f, "<section class=\"net\" id=\"as%" PRIu32 "\"><h2>AS%" PRIu32 " ", m->asn, m->asn);
    if (m->name[0]) {
        rpt_html(f, m->name);
        fputc(' ', f);
    }
    fputs("<span class=\"muted\">", f);
    rpt_html(f, m->country[0] ? m->country : "country unknown");
    fputs("</span></h2>", f);
    mrs_html_network_body(f, r, m, MRS_HTML_FILE);
    fputs("</section>\n", f);
}

int mrs_report_html(FILE *f, const mrs_report *r)
{
    head(f, r);
    if (!r->opts.asn) {
        cards(f, r);
        fputs("<section><h2>Readiness per action</h2>", f);
        mrs_html_distribution(f, &r->total);
        fputs("</section>\n", f);
    }
    fprintf(f, "<section><h2>Trend across runs <span class=\"muted\">(%s)</span></h2>",
            r->opts.asn ? "score per action" : "share of networks ready");
    mrs_html_trend(f, r);
    fputs("</section>\n<section><h2>Incidents per class", f);
    if (r->opts.asn)
        fprintf(f, " <span class=\"muted\">(AS%" PRIu32 " as culprit, accomplice, propagator or victim)</span>",
                r->opts.asn);
    else if (r->opts.top || r->opts.country[0])
        fputs(" <span class=\"muted\">(involving the networks listed)</span>", f);
    fputs("</h2>", f);
    mrs_html_incident_classes(f, r);
    fputs("</section>\n", f);
    if (!r->opts.asn) {
        countries(f, r);
        networks_table(f, r);
    }
    size_t ns = r->n_nets < HTML_MAX_SECTIONS ? r->n_nets : HTML_MAX_SECTIONS;
    for (size_t i = 0; i < ns; i++)
        network_section(f, r, &r->nets[i]);
    if (r->n_nets > ns)
        fprintf(f, "<p class=\"muted\">Sections for the first %zu networks; <code>manrs report --as ASN</code> explains "
                   "any other.</p>",
                ns);
    if (r->opts.asn && !r->n_nets) {
        fprintf(f, "<section class=\"net\" id=\"as%" PRIu32 "\"><p>AS%" PRIu32 " has no metrics in this run.</p>",
                r->opts.asn, r->opts.asn);
        victim_rows(f, r, r->opts.asn, MRS_HTML_FILE);
        fputs("</section>\n", f);
    }
    all_incidents(f, r);
    fputs("</main><footer>manrs " MANRS_VERSION " · store ", f);
    rpt_html(f, r->db_path);
    fprintf(f, " · schema %d · generated from public routing data; every incident is re-checkable from its evidence"
               "</footer></body></html>\n",
            r->run.schema_version);
    return ferror(f) ? -1 : 0;
}
