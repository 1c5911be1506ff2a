/*
 * serve_lg.c — the looking glass of the web observatory (docs/serve.md, docs/lg.md):
 * the routing data and knowledge given with --lg-* are loaded once at start with
 * the observatory's loader (as `manrs lg` loads them) and indexed once
 * (mrs_lg_new); each request parses its query (serve_lg_query, shared by the page
 * and the API) and runs it into its own result (mrs_lg_run).
 *   /api/v1/lg  the document of `manrs lg --json` (mrs_lg_json)
 *   /lg         a GET form (no script) and the answer as one table per collector
 *               peer: the route held at the moment asked, the history, the
 *               verdicts, the MRT file and offset; ASes linked to their pages
 * Bounds: limit at most SERVE_LG_LIMIT_MAX routes; a path pattern at most
 * SERVE_LG_PATH_MAX bytes and refused by the regex guard before it is compiled
 * when too costly (core/regex_guard.h); a query that still takes over a second
 * is logged.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "manrs/core/date.h"
#include "manrs/core/prefix.h"
#include "manrs/observatory/observatory.h"
#include "manrs/output/html.h"
#include "serve_internal.h"

#define SLOW_QUERY_MS 1000.0

static const char NOT_CONFIGURED[] =
    "the looking glass is not configured: start manrs serve with --lg-world DIR, or --lg-rib / --lg-updates "
    "FILE and the knowledge files (docs/serve.md)";

/* ------------------------------------------------------------------ start and stop */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int serve_lg_open(srv *s)
{
    const mrs_obs_inputs *in = s->o->lg_inputs;
    if (!in || !mrs_obs_inputs_total(in))
        return 0;
    double t0 = now_ms();
    mrs_diag_init(&s->lg_kd, stderr);
    mrs_diag_init(&s->lg_md, stderr);
    s->lg_kd.max_print = s->lg_md.max_print = 20;
    bool failed = false;
    const char *why = NULL;
    if (!(s->lgb = calloc(1, sizeof *s->lgb))) {
        fprintf(stderr, "manrs serve: looking glass: out of memory\n");
        return -1;
    }
    if (mrs_obs_load(in, &s->lg_kd, &s->lg_md, s->lgb, &failed, &why) != 0) {
        fprintf(stderr, "manrs serve: looking glass: %s\n", why ? why : "cannot load the inputs");
        return -1;
    }
    if (failed) {
        fprintf(stderr, "manrs serve: looking glass: an input could not be used (see above)\n");
        return -1;
    }
    if (!(s->lg = mrs_lg_new(s->lgb->view, &s->lgb->kb, s->lgb->to))) {
        fprintf(stderr, "manrs serve: looking glass: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < s->lgb->n_warnings; i++)
        fprintf(stderr, "manrs serve: looking glass: warning: %s\n", s->lgb->warnings[i]);
    fprintf(stderr, "manrs serve: looking glass: %zu routes, %zu prefixes, %zu peers, loaded and indexed in %.2f s\n",
            mrs_view_route_count(s->lgb->view), mrs_view_prefix_count(s->lgb->view),
            mrs_view_peer_count(s->lgb->view), (now_ms() - t0) / 1e3);
    return 0;
}

void serve_lg_close(srv *s)
{
    mrs_lg_free(s->lg);
    s->lg = NULL;
    if (s->lgb) {
        mrs_obs_bundle_clear(s->lgb);
        free(s->lgb);
        s->lgb = NULL;
    }
}

/* ------------------------------------------------------------------ the query */

/* A text argument, NULL when absent or empty. */
static const char *text_arg(req *q, const char *name, size_t max, bool *ok)
{
    const char *v = req_text(q, name, max, ok);
    return v && *v ? v : NULL;
}

static void text_add(char *text, size_t n, const char *name, const char *v)
{
    size_t k = strlen(text);
    if (v && k < n)
        snprintf(text + k, n - k, "%s%s=%s", k ? "&" : "", name, v);
}

int serve_lg_query(req *q, mrs_lg_query *lq, regex_t *re, bool *have_re, size_t limit_def, char *text, size_t n)
{
    memset(lq, 0, sizeof *lq);
    *have_re = false;
    if (n)
        text[0] = 0;
    bool ok = true;
    const char *prefix = text_arg(q, "prefix", 64, &ok), *match = ok ? text_arg(q, "match", 16, &ok) : NULL,
               *origin = ok ? text_arg(q, "origin", 16, &ok) : NULL,
               *transit = ok ? text_arg(q, "transit", 16, &ok) : NULL,
               *path = ok ? text_arg(q, "path", SERVE_LG_PATH_MAX, &ok) : NULL,
               *at = ok ? text_arg(q, "at", 40, &ok) : NULL, *from = ok ? text_arg(q, "from", 40, &ok) : NULL,
               *to = ok ? text_arg(q, "to", 40, &ok) : NULL;
    if (!ok)
        return -1;
    uint64_t limit;
    if (!req_uint(q, "limit", SERVE_LG_LIMIT_MAX, limit_def, &limit))
        return -1;
    if (!limit) {
        req_error(q, MHD_HTTP_BAD_REQUEST, "limit: a whole number from 1 to %u is expected", SERVE_LG_LIMIT_MAX);
        return -1;
    }
    lq->limit = (size_t)limit;
    bool match_given = match != NULL;
    if (match) {
        if (!strcmp(match, "exact"))
            lq->match = MRS_LG_EXACT;
        else if (!strcmp(match, "longest"))
            lq->match = MRS_LG_LONGEST;
        else if (!strcmp(match, "more-specifics"))
            lq->match = MRS_LG_MORE_SPECIFICS;
        else {
            req_error(q, MHD_HTTP_BAD_REQUEST, "match: exact, longest or more-specifics");
            return -1;
        }
        if (!prefix) {
            req_error(q, MHD_HTTP_BAD_REQUEST, "match: needs a prefix or an address");
            return -1;
        }
    }
    if (prefix) {
        size_t len = strlen(prefix);
        bool address = !strchr(prefix, '/');
        if (!mrs_prefix_parse(prefix, len, &lq->prefix, false)) {
            req_error(q, MHD_HTTP_BAD_REQUEST, "prefix: '%s' is neither a prefix nor an address", prefix);
            return -1;
        }
        lq->has_prefix = true;
        if (address && !match_given)
            lq->match = MRS_LG_LONGEST;   /* an address alone: longest match, as manrs lg */
        if (address && lq->match == MRS_LG_MORE_SPECIFICS) {
            req_error(q, MHD_HTTP_BAD_REQUEST, "match: more-specifics needs a prefix, not the address '%s'", prefix);
            return -1;
        }
        mrs_prefix strict;
        if (!address && lq->match != MRS_LG_LONGEST && !mrs_prefix_parse(prefix, len, &strict, true)) {
            req_error(q, MHD_HTTP_BAD_REQUEST, "prefix: '%s' has host bits set (match=longest takes it as an address)",
                      prefix);
            return -1;
        }
    }
    if (origin) {
        if (!mrs_asn_parse(origin, strlen(origin), &lq->origin)) {
            req_error(q, MHD_HTTP_BAD_REQUEST, "origin: '%s' is not an AS number", origin);
            return -1;
        }
        lq->has_origin = true;
    }
    if (transit) {
        if (!mrs_asn_parse(transit, strlen(transit), &lq->transit)) {
            req_error(q, MHD_HTTP_BAD_REQUEST, "transit: '%s' is not an AS number", transit);
            return -1;
        }
        lq->has_transit = true;
    }
    static const char *const tnames[] = {"at", "from", "to"};
    const char *tv[] = {at, from, to};
    uint32_t *tp[] = {&lq->at, &lq->from, &lq->to};
    for (int i = 0; i < 3; i++)
        if (tv[i] && !mrs_time_parse(tv[i], tp[i])) {
            req_error(q, MHD_HTTP_BAD_REQUEST, "%s: '%s' is not a date or time (Unix seconds or ISO 8601)", tnames[i],
                      tv[i]);
            return -1;
        }
    if (lq->from && lq->to && lq->from > lq->to) {
        req_error(q, MHD_HTTP_BAD_REQUEST, "from: after to");
        return -1;
    }
    text_add(text, n, "prefix", prefix);
    text_add(text, n, "match", match);
    text_add(text, n, "origin", origin);
    text_add(text, n, "transit", transit);
    text_add(text, n, "path", path);
    text_add(text, n, "at", at);
    text_add(text, n, "from", from);
    text_add(text, n, "to", to);
    if (limit != limit_def) {
        char l[24];
        snprintf(l, sizeof l, "%" PRIu64, limit);
        text_add(text, n, "limit", l);
    }
    if (!prefix && !origin && !transit && !path)
        return 0;
    if (path) {   /* last: nothing to free on the errors above */
        char why[160];
        if (!mrs_lg_path_compile(re, path, why, sizeof why)) {
            req_error(q, MHD_HTTP_BAD_REQUEST, "path: %s", why);
            return -1;
        }
        *have_re = true;
        lq->path_re = re;
    }
    return 1;
}

/* Run lq; a query slower than SLOW_QUERY_MS is logged. -1 (500 sent) when out of
 * memory. */
static int run(req *q, const mrs_lg_query *lq, mrs_lg_result *res, const char *text)
{
    double t0 = now_ms();
    memset(res, 0, sizeof *res);
    if (mrs_lg_run(q->s->lg, lq, res) != 0) {
        req_error(q, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return -1;
    }
    double ms = now_ms() - t0;
    if (ms > SLOW_QUERY_MS)
        mrs_ratelog_line(&q->s->log, "looking glass: %.0f ms for %s", ms, text);
    return 0;
}

/* ------------------------------------------------------------------ the API */

void api_lg(req *q)
{
    if (!q->s->lg) {
        req_error(q, MHD_HTTP_NOT_FOUND, "%s", NOT_CONFIGURED);
        return;
    }
    mrs_lg_query lq;
    regex_t re;
    bool have_re;
    char text[SERVE_LG_PATH_MAX + 256];
    int k = serve_lg_query(q, &lq, &re, &have_re, SERVE_LG_LIMIT_MAX, text, sizeof text);
    if (k == 0)
        req_error(q, MHD_HTTP_BAD_REQUEST, "nothing to look for: give prefix, origin, transit or path");
    if (k <= 0)
        return;
    mrs_lg_result res;
    if (run(q, &lq, &res, text) == 0) {
        char *doc = mrs_lg_json(q->s->lg, &res, text);
        FILE *f = doc ? req_reply(q, MHD_HTTP_OK, "application/json") : NULL;
        if (f) {
            fputs(doc, f);
            fputc('\n', f);
        } else
            req_error(q, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        free(doc);
    }
    mrs_lg_result_clear(&res);
    if (have_re)
        regfree(&re);
}

/* ------------------------------------------------------------------ the page */

static void input(FILE *f, req *q, const char *name, const char *label, const char *hint, size_t max)
{
    bool ok;
    const char *v = req_text(q, name, max, &ok);
    fprintf(f, "<label>%s <input name=\"%s\" placeholder=\"", label, name);
    mrs_html_text(f, hint);
    fputs("\" value=\"", f);
    mrs_html_text(f, v);
    fputs("\"></label>\n", f);
}

static void form(FILE *f, req *q)
{
    bool ok;
    const char *m = req_text(q, "match", 16, &ok);
    fputs("<section><form action=\"/lg\" method=\"get\" class=\"lg\">\n", f);
    input(f, q, "prefix", "Prefix or address", "193.0.0.0/21 or 193.0.0.1", 64);
    fputs("<label>Match <select name=\"match\">", f);
    static const char *const opts[][2] = {{"", "exact (a prefix), longest (an address)"},
                                          {"exact", "exact"},
                                          {"longest", "longest match per peer"},
                                          {"more-specifics", "the prefix and more-specifics"}};
    for (size_t i = 0; i < 4; i++)
        fprintf(f, "<option value=\"%s\"%s>%s</option>", opts[i][0],
                (m ? !strcmp(m, opts[i][0]) : !i) ? " selected" : "", opts[i][1]);
    fputs("</select></label>\n", f);
    input(f, q, "origin", "Origin AS", "AS3333", 16);
    input(f, q, "transit", "Transit AS", "AS6939", 16);
    input(f, q, "path", "AS path regex", "^3356 | 3333$", SERVE_LG_PATH_MAX);
    input(f, q, "at", "At", "end of the data", 40);
    input(f, q, "from", "From", "start of the data", 40);
    input(f, q, "to", "To", "end of the data", 40);
    input(f, q, "limit", "Limit", "100 (at most 1000)", 8);
    fputs("<button type=\"submit\">Look up</button></form></section>\n", f);
}

/* An AS path with each AS number linked to its network's page. */
static void path_html(FILE *f, const char *path)
{
    if (!path || !*path) {
        fputs("(empty)", f);
        return;
    }
    for (const char *p = path; *p;) {
        size_t d = strspn(p, "0123456789");
        if (d && d < 11) {
            fprintf(f, "<a href=\"/networks/%.*s\">%.*s</a>", (int)d, p, (int)d, p);
            p += d;
        } else {
            char c[2] = {*p, 0};
            mrs_html_text(f, c);
            p++;
        }
    }
}

static void route_row(FILE *f, const mrs_lg *lg, const mrs_lg_route *x, bool at)
{
    const mrs_view *v = mrs_lg_view(lg);
    const mrs_view_route *r = x->r;
    const mrs_lg_verdict *vd = &x->v;
    char s[MRS_TIME_ISO_LEN], e[MRS_TIME_ISO_LEN];
    fprintf(f, "<tr%s><td>%s</td><td>%s</td><td>%s</td><td>", at ? " class=\"at\"" : "", at ? "★" : "",
            mrs_time_iso(r->start, s), x->held ? "held" : mrs_time_iso(r->end, e));
    char *path = mrs_as_path_text(mrs_view_path(v, r->path));
    path_html(f, path);
    free(path);
    fputs("</td><td>", f);
    if (vd->rov_checked) {
        mrs_html_text(f, mrs_rov_state_name(vd->rov));
        if (vd->rov_reason) {
            fputs(" (", f);
            mrs_html_text(f, mrs_rov_reason_name(vd->rov_reason));
            fputc(')', f);
        }
    } else
        fputs("–", f);
    fputs("</td><td>", f);
    mrs_html_text(f, vd->aspa_checked ? mrs_aspa_state_name(vd->aspa) : "–");
    fputs("</td><td>", f);
    mrs_html_text(f, vd->irr_checked ? irr_origin_state_name(vd->irr) : "–");
    fputs("</td><td>", f);
    mrs_html_text(f, mrs_route_bogon_name(vd->bogon));
    if (vd->n_bogon_asns) {
        fputs(", ", f);
        mrs_html_network_link(f, vd->bogon_asn, MRS_HTML_SITE);
    }
    if (r->blackhole)
        fputs(", BLACKHOLE", f);
    fputs("</td><td><code>", f);
    mrs_html_text(f, mrs_view_file_name(v, r->file));
    fprintf(f, "@%" PRIu64 "</code></td></tr>\n", (uint64_t)r->offset);
}

static void results(FILE *f, const mrs_lg *lg, const mrs_lg_result *res)
{
    const mrs_view *v = mrs_lg_view(lg);
    char a[MRS_TIME_ISO_LEN], b[MRS_TIME_ISO_LEN], c[MRS_TIME_ISO_LEN];
    fprintf(f, "<section><p class=\"lg-summary\">At %s, history %s – %s: %zu route%s, %zu peer%s, %zu prefix%s",
            mrs_time_iso(res->at, a), mrs_time_iso(res->from, b), mrs_time_iso(res->to, c), res->nroutes,
            res->nroutes == 1 ? "" : "s", res->peers, res->peers == 1 ? "" : "s", res->prefixes,
            res->prefixes == 1 ? "" : "es");
    if (res->truncated)
        fprintf(f, " (truncated: %zu of %zu routes shown; raise the limit or narrow the query)", res->nroutes,
                res->matched);
    fputs(". ★ the route held at that moment; <em>held</em>: still held at the end of the data.</p>", f);
    if (!res->nroutes)
        fputs("<p>No route matched.</p>", f);
    for (size_t i = 0; i < res->nentries; i++) {
        const mrs_lg_entry *e = &res->entries[i];
        char pfx[MRS_PREFIX_STRLEN], ip[MRS_IP_STRLEN];
        if (i == 0 || e->prefix != res->entries[i - 1].prefix) {
            mrs_prefix_format(mrs_view_prefix(v, e->prefix), pfx);
            fputs("<h2>", f);
            mrs_html_text(f, pfx);
            fputs("</h2>\n", f);
        }
        const mrs_view_peer *p = mrs_view_peer_at(v, e->peer);
        mrs_ip_format(p->afi, p->ip, ip);
        fputs("<h3>peer ", f);
        mrs_html_network_link(f, p->asn, MRS_HTML_SITE);
        fputc(' ', f);
        mrs_html_text(f, ip);
        if (e->at < 0)
            fputs(" <small>(nothing held at that moment)</small>", f);
        fputs("</h3>\n<table class=\"lg-routes\"><tr><th></th><th>start</th><th>end</th><th>AS path</th><th>ROV</th>"
              "<th>ASPA</th><th>IRR</th><th>bogon</th><th>MRT file@offset</th></tr>\n",
              f);
        for (size_t k = e->first; k < e->first + e->n; k++)
            route_row(f, lg, &res->routes[k], (long)k == e->at);
        fputs("</table>\n", f);
    }
    fputs("</section>\n", f);
}

void page_lg(req *q)
{
    srv *s = q->s;
    if (!s->lg) {
        req_error(q, MHD_HTTP_NOT_FOUND, "%s", NOT_CONFIGURED);
        return;
    }
    mrs_lg_query lq;
    regex_t re;
    bool have_re;
    char text[SERVE_LG_PATH_MAX + 256];
    int k = serve_lg_query(q, &lq, &re, &have_re, SERVE_LG_PAGE_LIMIT, text, sizeof text);
    if (k < 0)
        return;
    mrs_lg_result res;
    memset(&res, 0, sizeof res);
    if (k == 0 || run(q, &lq, &res, text) == 0) {
        FILE *f = req_reply(q, MHD_HTTP_OK, "text/html; charset=utf-8");
        if (f) {
            char a[MRS_TIME_ISO_LEN], b[MRS_TIME_ISO_LEN];
            page_head(f, "Looking glass", NULL);
            fprintf(f, "<div class=\"meta\">routes seen from %s to %s: for each collector peer, the route it held at a "
                       "moment and its history, with RPKI ROV, ASPA, IRR and bogon verdicts and the MRT record that "
                       "announced it (JSON: <a href=\"/api\">/api/v1/lg</a>)</div>\n",
                    mrs_time_iso(mrs_lg_data_start(s->lg), a), mrs_time_iso(mrs_lg_data_end(s->lg), b));
            form(f, q);
            if (k > 0)
                results(f, s->lg, &res);
            page_foot(f);
        }
    }
    mrs_lg_result_clear(&res);
    if (have_re)
        regfree(&re);
}
