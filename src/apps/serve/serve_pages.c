/*
 * serve_pages.c — the pages of the web observatory: overview, countries (a world
 * map and a table), networks, one network, incidents, one incident, search. Plain
 * HTML and inline SVG, no script: every table sorts and pages through links, so
 * everything works in any browser, a text one included. The pieces a network or
 * an incident is shown with are those of the report file (output/html.h).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "manrs/core/prefix.h"
#include "manrs/output/html.h"
#include "serve_internal.h"

#define HTML "text/html; charset=utf-8"
#define PAGE_ROWS 50u
#define NETWORK_INCIDENTS_MAX 500u

static void time_text(int64_t t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

void page_head(FILE *f, const char *title, const mrs_report *r)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
          "<link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\"><title>",
          f);
    mrs_html_text(f, title);
    fprintf(f, " — MANRS observatory</title><style>%s"
               "nav a{color:#fff;margin-right:16px;font-weight:600}nav form{display:inline;float:right}"
               "nav input{padding:3px 8px;border-radius:6px;border:0;width:260px}.pager a{margin:0 6px}"
               "dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{color:#5f6368}dd{margin:0}"
               ".lg label{display:inline-block;margin:4px 12px 4px 0}tr.at{font-weight:600}"
               "th a{color:inherit}.map path{stroke:#fff;stroke-width:.4}.map a:hover path{stroke:#202124;stroke-width:1}"
               "</style></head><body>\n<header><nav><a href=\"/\">Overview</a><a href=\"/countries\">Countries</a>"
               "<a href=\"/networks\">Networks</a><a href=\"/incidents\">Incidents</a><a href=\"/lg\">Looking glass</a>"
               "<a href=\"/api\">API</a>"
               "<form action=\"/search\" method=\"get\" role=\"search\"><input name=\"q\" "
               "placeholder=\"ASN, name, country code or prefix\" aria-label=\"search\"></form></nav>"
               "<h1 style=\"margin-top:12px\">",
            mrs_html_css);
    mrs_html_text(f, title);
    fputs("</h1>", f);
    if (r) {
        char ws[32], we[32];
        time_text(r->run.window_start, ws, sizeof ws);
        time_text(r->run.window_end, we, sizeof we);
        fprintf(f, "<div class=\"meta\">run %" PRId64 " · %s – %s UTC", r->run.id, ws, we);
        if (r->run.warnings && r->run.warnings[0]) {
            fputs(" · warning: ", f);
            mrs_html_text(f, r->run.warnings);
        }
        fputs("</div>", f);
    }
    fputs("</header>\n<main>\n", f);
}

void page_foot(FILE *f)
{
    fputs("</main><footer>manrs " MANRS_VERSION " · the MANRS observatory from public routing data; every incident is "
          "re-checkable from its evidence · <a href=\"/api\">JSON API</a></footer></body></html>\n",
          f);
}

void page_error(FILE *f, unsigned status, const char *msg)
{
    char title[32];
    snprintf(title, sizeof title, "Error %u", status);
    page_head(f, title, NULL);
    fputs("<section><p>", f);
    mrs_html_text(f, msg);
    fputs("</p><p><a href=\"/\">Back to the overview</a></p></section>", f);
    page_foot(f);
}

/* A link to this page with one argument changed. args: "name=value" pairs
 * already escaped for a URL, joined by '&'. */
static void link_args(FILE *f, const char *path, const char *args)
{
    fputs("<a href=\"", f);
    mrs_html_text(f, path);
    if (args && *args) {
        fputc('?', f);
        mrs_html_text(f, args);
    }
    fputs("\">", f);
}

/* Percent-encode a query value (RFC 3986 unreserved kept). */
static void url_value(char *out, size_t n, const char *v)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p && o + 4 < n; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
            out[o++] = (char)*p;
        else
            o += (size_t)snprintf(out + o, n - o, "%%%02X", *p);
    }
    out[o] = 0;
}

static void pager(FILE *f, const char *path, const char *keep, uint64_t offset, uint64_t limit, size_t total)
{
    if (total <= limit)
        return;
    char a[512];
    fputs("<p class=\"pager\">", f);
    if (offset > 0) {
        snprintf(a, sizeof a, "%s%soffset=%" PRIu64, keep, *keep ? "&" : "", offset > limit ? offset - limit : 0);
        link_args(f, path, a);
        fputs("← previous</a>", f);
    }
    fprintf(f, " %" PRIu64 "–%" PRIu64 " of %zu ", offset + 1, offset + limit < total ? offset + limit : total, total);
    if (offset + limit < total) {
        snprintf(a, sizeof a, "%s%soffset=%" PRIu64, keep, *keep ? "&" : "", offset + limit);
        link_args(f, path, a);
        fputs("next →</a>", f);
    }
    fputs("</p>", f);
}

/* ------------------------------------------------------------------ overview */

static void card(FILE *f, const char *label, const char *value, const char *href)
{
    fputs("<div class=\"card\"><div class=\"l\">", f);
    mrs_html_text(f, label);
    fputs("</div><div class=\"v\">", f);
    if (href)
        fprintf(f, "<a href=\"%s\">", href);
    fputs(value, f);
    if (href)
        fputs("</a>", f);
    fputs("</div></div>", f);
}

static void networks_rows(FILE *f, const mrs_report *r, const size_t *v, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const mrs_network_metrics *m = &r->nets[v ? v[i] : i];
        fprintf(f, "<tr><td class=\"n\">%zu</td><td>", (v ? v[i] : i) + 1);
        mrs_html_network_link(f, m->asn, MRS_HTML_SITE);
        if (m->name[0]) {
            fputs(" <span class=\"muted\">", f);
            mrs_html_text(f, m->name);
            fputs("</span>", f);
        }
        fputs("</td><td>", f);
        if (m->country[0]) {
            char cc[16];
            url_value(cc, sizeof cc, m->country);
            fprintf(f, "<a href=\"/networks?country=%s\">", cc);
            mrs_html_text(f, m->country);
            fputs("</a>", f);
        }
        fputs("</td>", f);
        for (int a = 1; a <= 4; a++) {
            fputs("<td>", f);
            mrs_html_pill(f, m->status[a], m->action[a]);
            fputs("</td>", f);
        }
        if (m->m7irr >= 0)
            fprintf(f, "<td class=\"n\">%.1f</td></tr>\n", m->m7irr);
        else
            fputs("<td class=\"n\">–</td></tr>\n", f);
    }
}

void page_overview(req *q)
{
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    if (!r)
        return;
    FILE *f = req_reply(q, MHD_HTTP_OK, HTML);
    if (!f) {
        mrs_report_clear(&tmp);
        return;
    }
    page_head(f, "MANRS observatory", r);
    size_t inc = 0;
    for (int c = 0; c < MRS_INC_NCLASSES; c++)
        inc += r->inc_by_class[c];
    char b[64];
    fputs("<div class=\"cards\">", f);
    snprintf(b, sizeof b, "%zu", r->n_nets_scope);
    card(f, "networks", b, "/networks");
    snprintf(b, sizeof b, "%zu", inc);
    card(f, "incidents", b, "/incidents");
    snprintf(b, sizeof b, "%zu", r->n_countries);
    card(f, "countries", b, "/countries");
    for (int a = 1; a <= 4; a++) {
        const mrs_report_agg *g = &r->total;
        char l[64];
        snprintf(l, sizeof l, "%d %s ready", a, mrs_action_title(a));
        snprintf(b, sizeof b, "%.0f%%", g->networks ? 100.0 * (double)g->status[a][MRS_READY] / (double)g->networks : 0);
        card(f, l, b, NULL);
    }
    fputs("</div>\n<section><h2>Readiness per action</h2>", f);
    mrs_html_distribution(f, &r->total);
    fputs("</section>\n<section><h2>Trend across runs <span class=\"muted\">(share of networks ready)</span></h2>", f);
    mrs_html_trend(f, r);
    fputs("</section>\n<section><h2>Incidents per class</h2>", f);
    mrs_html_incident_classes(f, r);
    fputs("</section>\n<section><h2>Most ready networks</h2><table><tr><th class=\"n\">rank</th><th>network</th>"
          "<th>cc</th><th>1 Filtering</th><th>2 Anti-spoofing</th><th>3 Coordination</th><th>4 Global validation</th>"
          "<th class=\"n\">IRR</th></tr>",
          f);
    networks_rows(f, r, NULL, 0, r->n_nets < 10 ? r->n_nets : 10);
    fputs("</table><p><a href=\"/networks\">All networks</a> · <a href=\"/networks?sort=a1&amp;order=asc\">least "
          "ready in filtering</a></p></section>\n<section><h2>Latest incidents</h2>",
          f);
    if (!r->inc.n)
        fputs("<p>None published in this run.</p>", f);
    else {
        mrs_html_incident_head(f, false);
        for (size_t i = r->inc.n, k = 0; i-- > 0 && k < 10; k++)
            mrs_html_incident_row(f, &r->inc.v[i], false, NULL, MRS_HTML_SITE);
        fputs("</table><p><a href=\"/incidents\">All incidents</a></p>", f);
    }
    fputs("</section>\n", f);
    page_foot(f);
    mrs_report_clear(&tmp);
}

/* ------------------------------------------------------------------ countries */

static int cmp_country(const void *a, const void *b, void *ctx)
{
    const int *key = ctx;
    const mrs_report_agg *x = *(const mrs_report_agg *const *)a, *y = *(const mrs_report_agg *const *)b;
    double u, v;
    if (*key == 0)
        return strcmp(x->country, y->country);
    if (*key == 5) {
        u = (double)x->networks;
        v = (double)y->networks;
    } else {
        u = x->networks ? (double)x->status[*key][MRS_READY] / (double)x->networks : 0;
        v = y->networks ? (double)y->status[*key][MRS_READY] / (double)y->networks : 0;
    }
    return u < v ? -1 : u > v ? 1 : strcmp(x->country, y->country);
}

void page_countries(req *q)
{
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    uint64_t action;
    bool ok = true;
    const char *sort = r ? req_text(q, "sort", 16, &ok) : NULL;
    if (!r || !ok || !req_uint(q, "action", 4, 4, &action)) {
        mrs_report_clear(&tmp);
        return;
    }
    static const char *const keys[] = {"country", "a1", "a2", "a3", "a4", "networks"};
    int key = 5;
    if (sort) {
        key = -1;
        for (int k = 0; k < 6; k++)
            if (!strcmp(sort, keys[k]))
                key = k;
    }
    if (key < 0 || action < 1) {
        req_error(q, MHD_HTTP_BAD_REQUEST, key < 0 ? "sort: one of country, networks, a1, a2, a3, a4" : "action: 1 to 4");
        mrs_report_clear(&tmp);
        return;
    }
    const mrs_report_agg **v = malloc((r->n_countries ? r->n_countries : 1) * sizeof *v);
    FILE *f = v ? req_reply(q, MHD_HTTP_OK, HTML) : NULL;
    if (!f) {
        free(v);
        mrs_report_clear(&tmp);
        return;
    }
    for (size_t i = 0; i < r->n_countries; i++)
        v[i] = &r->countries[i];
    qsort_r(v, r->n_countries, sizeof *v, cmp_country, &key);
    bool asc = key == 0;   /* names A-Z; figures largest first */
    page_head(f, "Countries", r);
    fprintf(f, "<section><h2>Networks ready in action %" PRIu64 ", %s, per country</h2><p>", action,
            mrs_action_title((int)action));
    for (int a = 1; a <= 4; a++) {
        char args[32];
        snprintf(args, sizeof args, "action=%d", a);
        if (a > 1)
            fputs(" · ", f);
        if ((uint64_t)a == action)
            fprintf(f, "<b>%d %s</b>", a, mrs_action_title(a));
        else {
            link_args(f, "/countries", args);
            fprintf(f, "%d %s</a>", a, mrs_action_title(a));
        }
    }
    fputs("</p>", f);
    if (q->s->map)
        serve_map_svg(f, q->s->map, r, (int)action);
    else
        fputs("<p class=\"muted\">No map data on this server (scripts/deps.sh installs world-atlas and iso-codes): "
              "the table below has every country.</p>",
              f);
    fputs("</section>\n<section><h2>All countries</h2><table><tr>", f);
    static const char *const heads[] = {"country", "1 Filtering", "2 Anti-spoofing", "3 Coordination",
                                        "4 Global validation", "networks"};
    static const int order[] = {0, 5, 1, 2, 3, 4};
    for (int k = 0; k < 6; k++) {
        char args[48];
        snprintf(args, sizeof args, "action=%" PRIu64 "&sort=%s", action, keys[order[k]]);
        fprintf(f, "<th%s>", order[k] ? " class=\"n\"" : "");
        link_args(f, "/countries", args);
        fprintf(f, "%s%s</a></th>", heads[order[k]], order[k] == key ? " ▾" : "");
    }
    fputs("</tr>", f);
    for (size_t j = 0; j < r->n_countries; j++) {
        const mrs_report_agg *g = v[asc ? j : r->n_countries - 1 - j];
        char cc[16];
        url_value(cc, sizeof cc, g->country);
        fprintf(f, "<tr id=\"cc-%s\"><td><a href=\"/networks?country=%s\">", cc, cc);
        mrs_html_text(f, g->country);
        fprintf(f, "</a></td><td class=\"n\">%zu</td>", g->networks);
        for (int a = 1; a <= 4; a++)
            fprintf(f, "<td class=\"n\">%zu (%.0f%%)</td>", g->status[a][MRS_READY],
                    g->networks ? 100.0 * (double)g->status[a][MRS_READY] / (double)g->networks : 0.0);
        fputs("</tr>\n", f);
    }
    fputs("</table></section>\n", f);
    page_foot(f);
    free(v);
    mrs_report_clear(&tmp);
}

/* ------------------------------------------------------------------ networks */

void page_networks(req *q)
{
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    uint64_t offset;
    size_t n = 0, *v = NULL;
    const char *sort;
    bool desc, ok = true;
    const char *cc = r ? req_text(q, "country", 8, &ok) : NULL;
    if (!r || !ok || !req_uint(q, "offset", UINT32_MAX, 0, &offset) ||
        !(v = serve_networks_order(q, r, &n, &sort, &desc))) {
        mrs_report_clear(&tmp);
        return;
    }
    FILE *f = req_reply(q, MHD_HTTP_OK, HTML);
    if (!f) {
        free(v);
        mrs_report_clear(&tmp);
        return;
    }
    char title[64], ccv[32] = "", keep[128];
    if (cc && *cc) {
        url_value(ccv, sizeof ccv, cc);
        snprintf(title, sizeof title, "Networks in %.8s", cc);
    } else
        snprintf(title, sizeof title, "Networks");
    page_head(f, title, r);
    fprintf(f, "<section><h2>%zu networks <span class=\"muted\">by ", n);
    mrs_html_text(f, sort);
    fprintf(f, ", %s; <a href=\"/api/v1/networks.csv\">CSV of all</a></span></h2><table><tr>",
            desc ? "descending" : "ascending");
    static const char *const keys[] = {"rank", "asn", "country", "a1", "a2", "a3", "a4", "irr"};
    static const char *const heads[] = {"rank", "network", "cc", "1 Filtering", "2 Anti-spoofing", "3 Coordination",
                                        "4 Global validation", "IRR"};
    for (int k = 0; k < 8; k++) {
        bool cur = !strcmp(sort, keys[k]);
        bool next_desc = cur ? !desc : (k >= 3);
        snprintf(keep, sizeof keep, "%s%s%ssort=%s&order=%s", ccv[0] ? "country=" : "", ccv, ccv[0] ? "&" : "", keys[k],
                 next_desc ? "desc" : "asc");
        fprintf(f, "<th%s>", k == 0 || k == 7 ? " class=\"n\"" : "");
        link_args(f, "/networks", keep);
        fprintf(f, "%s%s</a></th>", heads[k], cur ? (desc ? " ▾" : " ▴") : "");
    }
    fputs("</tr>\n", f);
    networks_rows(f, r, v, offset < n ? (size_t)offset : n, offset + PAGE_ROWS < n ? (size_t)offset + PAGE_ROWS : n);
    fputs("</table>", f);
    snprintf(keep, sizeof keep, "%s%s%ssort=%s&order=%s", ccv[0] ? "country=" : "", ccv, ccv[0] ? "&" : "", sort,
             desc ? "desc" : "asc");
    pager(f, "/networks", keep, offset, PAGE_ROWS, n);
    fputs("</section>\n", f);
    page_foot(f);
    free(v);
    mrs_report_clear(&tmp);
}

/* What a network can do about an incident, by its part in it: the advice of
 * `manrs check` (docs/check.md). */
static void fix_for(FILE *f, const mrs_incident *x, const char *role)
{
    if (!strcmp(role, "victim"))
        fputs(x->cls == MRS_INC_HIJACK_PATH || x->cls == MRS_INC_ROUTE_LEAK
                  ? "An ASPA record naming your providers lets networks that verify AS paths reject leaked and "
                    "forged paths."
                  : "ROAs for all your space (maxLength = announced length) make such announcements RPKI-invalid; "
                    "networks that validate drop them.",
              f);
    else if (!strcmp(role, "accomplice"))
        fputs("Filter what your customers announce: a prefix list from their IRR data (<code>manrs filter</code>) "
              "and RPKI route-origin validation would have dropped this route.",
              f);
    else if (!strcmp(role, "culprit"))
        switch (x->cls) {
        case MRS_INC_ROUTE_LEAK:
            fputs("Announce to providers and peers only your own and your customers' routes: export filters, "
                  "BGP roles and the OTC attribute (RFC 9234).",
                  f);
            break;
        case MRS_INC_BOGON_PREFIX:
        case MRS_INC_BOGON_ASN:
            fputs("Filter bogon prefixes and private or reserved ASNs at your borders (RFC 6890, RFC 7607).", f);
            break;
        default:
            fputs("Announce only address space you hold and are authorised for; publish ROAs and IRR route objects "
                  "for it (<code>manrs check</code> lists them).",
                  f);
        }
    else
        fputs("It passed through your network; your customer filters decide whether it goes further.", f);
}

void page_network(req *q, uint32_t asn)
{
    uint64_t run;
    if (!req_uint(q, "run", INT64_MAX, 0, &run))
        return;
    mrs_report lat;
    memset(&lat, 0, sizeof lat);
    const mrs_report *latest = run ? NULL : req_run(q, &lat);
    if (!run && !latest)
        return;
    if (!run)
        run = (uint64_t)latest->run.id;
    mrs_report r;
    mrs_report_opts o;
    memset(&o, 0, sizeof o);
    o.asn = asn;
    char err[512];
    if (mrs_report_load(q->s->store, q->s->o->db, (int64_t)run, &o, &r, err, sizeof err) != 0) {
        if (strstr(err, "no run"))
            req_error(q, MHD_HTTP_NOT_FOUND, "no run %" PRIu64 " in the store", run);
        else
            req_error(q, MHD_HTTP_INTERNAL_SERVER_ERROR, "the store could not be read");
        return;
    }
    if (!r.n_nets && !r.inc.n) {
        req_error(q, MHD_HTTP_NOT_FOUND, "AS%" PRIu32 " is not in run %" PRIu64 " (it announced nothing seen by enough "
                                         "collector peers and took part in no published incident)",
                  asn, run);
        mrs_report_clear(&r);
        return;
    }
    FILE *f = req_reply(q, MHD_HTTP_OK, HTML);
    if (!f) {
        mrs_report_clear(&r);
        return;
    }
    char title[96];
    if (r.n_nets && r.nets[0].name[0])
        snprintf(title, sizeof title, "AS%" PRIu32 " — %s", asn, r.nets[0].name);
    else
        snprintf(title, sizeof title, "AS%" PRIu32, asn);
    page_head(f, title, &r);
    if (r.n_nets) {
        const mrs_network_metrics *m = &r.nets[0];
        size_t rank = q->s->view_run == (int64_t)run ? serve_rank(q->s, asn) : 0;
        fputs("<section class=\"net\"><h2>", f);
        mrs_html_text(f, m->country[0] ? m->country : "country unknown");
        if (rank)
            fprintf(f, " · rank %zu of %zu by readiness", rank, q->s->view.n_nets);
        fputs("</h2>", f);
        mrs_html_network_body(f, &r, m, MRS_HTML_SITE);
        fprintf(f, "<p class=\"muted\">Self-assessment with remediation: <code>manrs check %" PRIu32 "</code></p>"
                   "</section>\n",
                asn);
    } else
        fprintf(f, "<section><p>AS%" PRIu32 " has no metrics in this run: it announced nothing seen by enough "
                   "collector peers.</p></section>\n",
                asn);
    fputs("<section><h2>Scores across runs</h2>", f);
    mrs_html_trend(f, &r);
    fprintf(f, "</section>\n<section><h2>Incidents involving AS%" PRIu32 " <span class=\"muted\">(%zu)</span></h2>", asn,
            r.inc.n);
    if (!r.inc.n)
        fputs("<p>None published in this run.</p>", f);
    else {
        mrs_html_incident_head(f, true);
        for (size_t i = 0; i < r.inc.n && i < NETWORK_INCIDENTS_MAX; i++)
            mrs_html_incident_row(f, &r.inc.v[i], false, mrs_incident_role(&r.inc.v[i], asn), MRS_HTML_SITE);
        fputs("</table>", f);
        if (r.inc.n > NETWORK_INCIDENTS_MAX)
            fprintf(f, "<p class=\"muted\">%zu more: <a href=\"/incidents?asn=%" PRIu32 "\">all of them</a></p>",
                    r.inc.n - NETWORK_INCIDENTS_MAX, asn);
        fputs("<h3>What AS", f);
        fprintf(f, "%" PRIu32 " can do</h3><ul>", asn);
        bool said[4][MRS_INC_NCLASSES];
        memset(said, 0, sizeof said);
        static const char *const roles[] = {"culprit", "accomplice", "victim", "propagator"};
        for (size_t i = 0; i < r.inc.n; i++) {
            const char *role = mrs_incident_role(&r.inc.v[i], asn);
            for (int k = 0; k < 4 && role; k++)
                if (!strcmp(role, roles[k]) && !said[k][r.inc.v[i].cls]) {
                    said[k][r.inc.v[i].cls] = true;
                    fprintf(f, "<li><b>as %s of %s</b>: ", role, mrs_incident_class_name(r.inc.v[i].cls));
                    fix_for(f, &r.inc.v[i], role);
                    fputs("</li>", f);
                }
        }
        fputs("</ul>", f);
    }
    fputs("</section>\n", f);
    page_foot(f);
    mrs_report_clear(&r);
}

/* ------------------------------------------------------------------ incidents */

void page_incidents(req *q)
{
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    uint64_t offset;
    size_t n = 0;
    int cls;
    uint32_t asn;
    const char *sort;
    bool desc;
    const mrs_incident **v = NULL;
    if (!r || !req_uint(q, "offset", UINT32_MAX, 0, &offset) ||
        !(v = serve_incidents_filter(q, r, &n, &cls, &asn, &sort, &desc))) {
        mrs_report_clear(&tmp);
        return;
    }
    FILE *f = req_reply(q, MHD_HTTP_OK, HTML);
    if (!f) {
        free(v);
        mrs_report_clear(&tmp);
        return;
    }
    page_head(f, "Incidents", r);
    fputs("<section><p>", f);
    fprintf(f, cls < 0 ? "<b>all (%zu)</b>" : "<a href=\"/incidents\">all (%zu)</a>", r->inc.n);
    for (int c = 0; c < MRS_INC_NCLASSES; c++) {
        const char *name = mrs_incident_class_name((mrs_incident_class)c);
        if (c == cls)
            fprintf(f, " · <b>%s (%zu)</b>", name, r->inc_by_class[c]);
        else
            fprintf(f, " · <a href=\"/incidents?class=%s\">%s (%zu)</a>", name, name, r->inc_by_class[c]);
    }
    fputs(" · <a href=\"/api/v1/incidents.csv\">CSV</a></p>", f);
    if (asn)
        fprintf(f, "<p>Involving AS%" PRIu32 ": %zu</p>", asn, n);
    char keep[160] = "";
    int k = 0;
    if (cls >= 0)
        k = snprintf(keep, sizeof keep, "class=%s&", mrs_incident_class_name((mrs_incident_class)cls));
    if (asn)
        k += snprintf(keep + k, sizeof keep - (size_t)k, "asn=%" PRIu32 "&", asn);
    if (!n)
        fputs("<p>None published in this run.</p>", f);
    else {
        static const char *const keys[] = {"id", "class", "prefix", "start", "peers", "duration"};
        static const char *const labels[] = {"sort by: id", "class", "prefix", "start", "collector peers",
                                             "duration"};
        fputs("<p class=\"pager\">", f);
        for (int j = 0; j < 6; j++) {
            bool cur = !strcmp(sort, keys[j]);
            char args[200];
            snprintf(args, sizeof args, "%ssort=%s&order=%s", keep, keys[j],
                     cur ? (desc ? "asc" : "desc") : j >= 4 ? "desc" : "asc");
            link_args(f, "/incidents", args);
            fprintf(f, "%s%s</a>", labels[j], cur ? (desc ? " ▾" : " ▴") : "");
        }
        fputs("</p>", f);
        mrs_html_incident_head(f, asn != 0);
        for (size_t i = (size_t)(offset < n ? offset : n); i < n && i < offset + PAGE_ROWS; i++)
            mrs_html_incident_row(f, v[i], false, asn ? mrs_incident_role(v[i], asn) : NULL, MRS_HTML_SITE);
        fputs("</table>", f);
    }
    snprintf(keep + k, sizeof keep - (size_t)k, "sort=%s&order=%s", sort, desc ? "desc" : "asc");
    pager(f, "/incidents", keep, offset, PAGE_ROWS, n);
    fputs("</section>\n", f);
    page_foot(f);
    free(v);
    mrs_report_clear(&tmp);
}

static void as_list(FILE *f, const uint32_t *v, size_t n)
{
    if (!n)
        fputs("<span class=\"muted\">none</span>", f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        mrs_html_network_link(f, v[i], MRS_HTML_SITE);
    }
}

void page_incident(req *q, uint64_t id)
{
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    if (!r)
        return;
    const mrs_incident *x = serve_incident_find(r, id);
    if (!x) {
        req_error(q, MHD_HTTP_NOT_FOUND, "no incident %" PRIu64 " published in run %" PRId64, id, r->run.id);
        mrs_report_clear(&tmp);
        return;
    }
    FILE *f = req_reply(q, MHD_HTTP_OK, HTML);
    if (!f) {
        mrs_report_clear(&tmp);
        return;
    }
    char title[96], pfx[MRS_PREFIX_STRLEN], ts[32], te[32];
    mrs_prefix_format(&x->prefix, pfx);
    snprintf(title, sizeof title, "Incident %" PRIu64 ": %s %s", x->id, mrs_incident_class_name(x->cls), pfx);
    page_head(f, title, r);
    time_text(x->start, ts, sizeof ts);
    time_text(x->end, te, sizeof te);
    fputs("<section><dl>", f);
    fprintf(f, "<dt>class</dt><dd>%s", mrs_incident_class_name(x->cls));
    if (x->leak_type)
        fprintf(f, " (RFC 7908 type %u)", x->leak_type);
    fprintf(f, "</dd><dt>prefix</dt><dd><code>%s</code></dd><dt>culprit</dt><dd>", pfx);
    mrs_html_network_link(f, x->culprit, MRS_HTML_SITE);
    fputs("</dd><dt>accomplice</dt><dd>", f);
    if (x->accomplice)
        mrs_html_network_link(f, x->accomplice, MRS_HTML_SITE);
    else
        fputs("<span class=\"muted\">none</span>", f);
    fputs("</dd><dt>victims</dt><dd>", f);
    as_list(f, x->victims, x->n_victims);
    fputs("</dd><dt>propagators</dt><dd>", f);
    as_list(f, x->propagators, x->n_propagators);
    fprintf(f, "</dd><dt>seen</dt><dd>%s – %s UTC by %u collector peers</dd><dt>confidence</dt><dd>%s", ts, te,
            x->peers, mrs_confidence_name(x->confidence));
    fputs("</dd><dt>why</dt><dd><ul style=\"margin:0;padding-left:18px\">", f);
    for (int k = 0; k < MRS_WHY_NCODES; k++)
        if (x->reasons & 1u << k) {
            fprintf(f, "<li><code>%s</code> ", mrs_reason_code(1u << k));
            mrs_html_text(f, mrs_reason_text(1u << k));
            fputs("</li>", f);
        }
    fputs("</ul></dd></dl></section>\n<section><h2>Evidence</h2>", f);
    if (!x->n_evidence)
        fputs("<p class=\"muted\">No sample kept.</p>", f);
    else {
        fputs("<table><tr><th>collector peer</th><th>time (UTC)</th><th>AS path</th><th>MRT file @ byte offset</th>"
              "<th>note</th></tr>",
              f);
        for (size_t k = 0; k < x->n_evidence; k++) {
            const mrs_evidence *e = &x->evidence[k];
            char ip[MRS_IP_STRLEN] = "?", t[32];
            if (e->peer_afi == MRS_AFI_IPV4 || e->peer_afi == MRS_AFI_IPV6)
                mrs_ip_format(e->peer_afi, e->peer_ip, ip);
            time_text(e->time, t, sizeof t);
            fprintf(f, "<tr><td>AS%" PRIu32 " %s</td><td class=\"nw\">%s</td><td><code class=\"path\">", e->peer_asn, ip,
                    t);
            mrs_html_text(f, e->as_path);
            fputs("</code></td><td><code>", f);
            mrs_html_text(f, e->file);
            fprintf(f, "</code> @ %" PRIu64 "</td><td>", e->offset);
            mrs_html_text(f, e->note);
            fputs("</td></tr>", f);
        }
        fputs("</table><p class=\"muted\">Each row names its MRT record: the file and the byte offset of the record "
              "in the decompressed file, for anyone to check with bgpdump or <code>manrs dump</code>.</p>",
              f);
    }
    fputs("</section>\n<section><h2>What to do</h2><ul>", f);
    static const char *const roles[] = {"culprit", "accomplice", "victim"};
    for (int k = 0; k < 3; k++) {
        if (k == 1 && !x->accomplice)
            continue;
        if (k == 2 && !x->n_victims)
            continue;
        fprintf(f, "<li><b>the %s</b>: ", roles[k]);
        fix_for(f, x, roles[k]);
        fputs("</li>", f);
    }
    fprintf(f, "</ul><p class=\"muted\"><a href=\"/api/v1/incidents/%" PRIu64 "\">this incident as JSON</a></p>"
               "</section>\n",
            x->id);
    page_foot(f);
    mrs_report_clear(&tmp);
}

/* ------------------------------------------------------------------ search */

void page_search(req *q)
{
    bool ok;
    const char *s = req_text(q, "q", 128, &ok);
    if (!ok)
        return;
    char v[136];
    size_t n = 0;
    for (const char *p = s ? s : ""; *p && n + 1 < sizeof v; p++)   /* trimmed */
        if (*p != ' ' || (n && p[1] && p[1] != ' '))
            v[n++] = *p;
    v[n] = 0;
    uint64_t id;
    char path[64];
    if (!n) {
        req_redirect(q, "/");
        return;
    }
    if (serve_parse_id(v, true, UINT32_MAX, &id)) {
        snprintf(path, sizeof path, "/networks/%" PRIu64, id);
        req_redirect(q, path);
        return;
    }
    if (n == 2 && ((v[0] >= 'A' && v[0] <= 'Z') || (v[0] >= 'a' && v[0] <= 'z')) &&
        ((v[1] >= 'A' && v[1] <= 'Z') || (v[1] >= 'a' && v[1] <= 'z'))) {
        snprintf(path, sizeof path, "/networks?country=%c%c", v[0] & ~0x20, v[1] & ~0x20);
        req_redirect(q, path);
        return;
    }
    mrs_prefix p;
    bool is_prefix = mrs_prefix_parse(v, n, &p, false);
    if (!is_prefix) {   /* an address: its host prefix */
        unsigned afi;
        uint8_t ip[16];
        if (mrs_ip_parse(v, n, &afi, ip)) {
            memset(&p, 0, sizeof p);
            p.afi = (uint16_t)afi;
            p.len = afi == MRS_AFI_IPV4 ? 32 : 128;
            memcpy(p.addr, ip, afi == MRS_AFI_IPV4 ? 4 : 16);
            is_prefix = true;
        }
    }
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    if (!r)
        return;
    FILE *f = req_reply(q, MHD_HTTP_OK, HTML);
    if (!f) {
        mrs_report_clear(&tmp);
        return;
    }
    page_head(f, "Search", r);
    fputs("<section><h2>", f);
    mrs_html_text(f, v);
    fputs("</h2>", f);
    if (!is_prefix) {   /* a name: the networks whose organisation's name holds it */
        size_t hits = 0;
        for (size_t i = 0; i < r->n_nets && hits < PAGE_ROWS; i++) {
            if (!strcasestr(r->nets[i].name, v))
                continue;
            if (!hits++)
                fputs("<table><tr><th class=\"n\">rank</th><th>network</th><th>cc</th><th>1 Filtering</th>"
                      "<th>2 Anti-spoofing</th><th>3 Coordination</th><th>4 Global validation</th><th class=\"n\">IRR</th>"
                      "</tr>",
                      f);
            networks_rows(f, r, NULL, i, i + 1);
        }
        if (hits)
            fprintf(f, "</table><p>%zu network%s whose name holds this%s.</p>", hits, hits == 1 ? "" : "s",
                    hits == PAGE_ROWS ? " (the first 50)" : "");
        else
            fputs("<p>No network of this run has that in its name. Search for an ASN (<code>AS64500</code> or "
                  "<code>64500</code>), a name, a country code (<code>NL</code>), a prefix (<code>192.0.2.0/24</code>) "
                  "or an address.</p>",
                  f);
    } else {
        size_t hits = 0;
        for (size_t i = 0; i < r->inc.n; i++) {
            const mrs_incident *x = &r->inc.v[i];
            if (!mrs_prefix_covers(&x->prefix, &p) && !mrs_prefix_covers(&p, &x->prefix))
                continue;
            if (!hits++)
                mrs_html_incident_head(f, false);
            mrs_html_incident_row(f, x, false, NULL, MRS_HTML_SITE);
        }
        if (hits)
            fprintf(f, "</table><p>%zu incident%s on this prefix, inside it or covering it.</p>", hits,
                    hits == 1 ? "" : "s");
        else
            fputs("<p>No published incident on this prefix, inside it or covering it.</p>", f);
    }
    fputs("</section>\n", f);
    page_foot(f);
    mrs_report_clear(&tmp);
}

void page_favicon(req *q)
{
    FILE *f = req_reply(q, MHD_HTTP_OK, "image/svg+xml");
    if (f)
        fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><rect width=\"16\" height=\"16\" "
              "rx=\"3\" fill=\"#0b3d59\"/><path d=\"M3 12V4l5 5 5-5v8\" stroke=\"#fff\" stroke-width=\"2\" "
              "fill=\"none\"/></svg>\n",
              f);
}

void page_api(req *q)
{
    FILE *f = req_reply(q, MHD_HTTP_OK, HTML);
    if (!f)
        return;
    page_head(f, "JSON API", NULL);
    static const char *const eps[][2] = {
        {"/api/v1/runs", "every run of the store, oldest first, and the latest complete one"},
        {"/api/v1/summary", "a run: readiness per action, incidents per class, the trend across runs"},
        {"/api/v1/networks", "networks: ?country= &amp;sort=rank|asn|country|a1..a4|irr &amp;order= &amp;limit= &amp;offset="},
        {"/api/v1/networks/64500", "one network: scores, history over runs, incidents as culprit, accomplice, victim"},
        {"/api/v1/incidents", "incidents: ?class= &amp;asn= &amp;limit= &amp;offset="},
        {"/api/v1/incidents/1", "one incident with its evidence"},
        {"/api/v1/countries", "readiness per country"},
        {"/api/v1/lg", "the looking glass (with --lg-*): ?prefix= &amp;match=exact|longest|more-specifics &amp;origin= "
                       "&amp;transit= &amp;path= &amp;at= &amp;from= &amp;to= &amp;limit=; the document of "
                       "<code>manrs lg --json</code>"},
        {"/api/v1/networks.csv", "every network as CSV"},
        {"/api/v1/incidents.csv", "every incident as CSV"}};
    fputs("<section><p>Every list takes <code>run=N</code> (default: the latest complete run). JSON, UTF-8; "
          "errors are <code>{\"error\": {\"status\", \"message\"}}</code>. The OpenAPI description is "
          "<code>docs/openapi.json</code> in the manrs sources, the guide <code>docs/api.md</code>.</p><table>",
          f);
    for (size_t i = 0; i < sizeof eps / sizeof eps[0]; i++)
        fprintf(f, "<tr><td><a href=\"%s\"><code>%s</code></a></td><td>%s</td></tr>", eps[i][0], eps[i][0], eps[i][1]);
    fputs("</table></section>\n", f);
    page_foot(f);
}
