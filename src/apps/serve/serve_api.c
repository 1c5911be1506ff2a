/*
 * serve_api.c — the JSON API of the web observatory, /api/v1/ (docs/api.md,
 * docs/openapi.json): the objects of `manrs report --format json` (one shape for
 * a run, a network, an incident everywhere), lists paginated with limit and
 * offset and carrying their total, CSV exports of networks and incidents.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "manrs/core/json_out.h"
#include "manrs/core/search.h"
#include "serve_internal.h"

#define JSON "application/json"
#define LIMIT_MAX 1000u
#define LIMIT_DEFAULT 100u

/* ------------------------------------------------------------------ shared with the pages */

typedef struct sort_by {
    const mrs_report *r;
    int key;                    /* 0 rank, 1..4 action score, 5 asn, 6 country, 7 IRR */
    bool desc;
} sort_by;

static double sort_value(const mrs_network_metrics *m, int key)
{
    return key >= 1 && key <= 4 ? m->action[key] : m->m7irr;
}

/* By the key, ascending or descending; networks without data (score < 0, no
 * country) after the others either way; ties by rank. */
static int cmp_networks(const void *a, const void *b, void *ctx)
{
    const sort_by *s = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const mrs_network_metrics *x = &s->r->nets[i], *y = &s->r->nets[j];
    int c = 0;
    if (s->key == 0)
        c = i < j ? -1 : i > j;
    else if (s->key == 5)
        c = x->asn < y->asn ? -1 : x->asn > y->asn;
    else if (s->key == 6) {
        if (!x->country[0] != !y->country[0])
            return x->country[0] ? -1 : 1;
        c = strcmp(x->country, y->country);
    } else {
        double u = sort_value(x, s->key), v = sort_value(y, s->key);
        if ((u < 0) != (v < 0))
            return u < 0 ? 1 : -1;
        c = u < v ? -1 : u > v;
    }
    if (s->desc)
        c = -c;
    return c ? c : i < j ? -1 : i > j;
}

size_t *serve_networks_order(req *q, const mrs_report *r, size_t *n, const char **sort, bool *desc)
{
    static const char *const keys[] = {"rank", "a1", "a2", "a3", "a4", "asn", "country", "irr"};
    bool ok;
    const char *s = req_text(q, "sort", 16, &ok), *o = ok ? req_text(q, "order", 8, &ok) : NULL,
               *cc = ok ? req_text(q, "country", 8, &ok) : NULL;
    if (!ok)
        return NULL;
    int key = -1;
    for (int k = 0; k < 8 && s; k++)
        if (!strcmp(s, keys[k]))
            key = k;
    if (s && key < 0) {
        req_error(q, MHD_HTTP_BAD_REQUEST, "sort: one of rank, asn, country, a1, a2, a3, a4, irr");
        return NULL;
    }
    if (o && strcmp(o, "asc") && strcmp(o, "desc")) {
        req_error(q, MHD_HTTP_BAD_REQUEST, "order: asc or desc");
        return NULL;
    }
    *sort = s ? keys[key] : "rank";
    *desc = o ? !strcmp(o, "desc") : (key >= 1 && key <= 4) || key == 7;   /* scores: best first */
    sort_by by = {r, key < 0 ? 0 : key, *desc};
    size_t *v = malloc((r->n_nets ? r->n_nets : 1) * sizeof *v), k = 0;
    if (!v) {
        req_error(q, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return NULL;
    }
    /* the view's order per key and direction is sorted once and kept */
    size_t **kept = r == &q->s->view ? &q->s->order[by.key][by.desc] : NULL;
    if (kept && !*kept && (*kept = malloc((r->n_nets ? r->n_nets : 1) * sizeof **kept)) != NULL) {
        for (size_t i = 0; i < r->n_nets; i++)
            (*kept)[i] = i;
        if (by.key || by.desc)
            qsort_r(*kept, r->n_nets, sizeof **kept, cmp_networks, &by);
    }
    const size_t *all = kept ? *kept : NULL;
    for (size_t j = 0; j < r->n_nets; j++) {
        size_t i = all ? all[j] : j;
        if (!cc || !*cc || !strcasecmp(cc, r->nets[i].country) || (!strcmp(cc, "-") && !r->nets[i].country[0]))
            v[k++] = i;
    }
    if (!all && (by.key || by.desc))
        qsort_r(v, k, sizeof *v, cmp_networks, &by);
    *n = k;
    return v;
}

static const char *const inc_keys[] = {"id", "start", "duration", "peers", "class", "prefix"};
#define INC_KEYS (sizeof inc_keys / sizeof inc_keys[0])

typedef struct inc_sort {
    int key;
    bool desc;
} inc_sort;

static int cmp_incidents(const void *a, const void *b, void *ctx)
{
    const inc_sort *s = ctx;
    const mrs_incident *x = *(const mrs_incident *const *)a, *y = *(const mrs_incident *const *)b;
    int64_t u = 0, v = 0;
    switch (s->key) {
    case 1: u = x->start, v = y->start; break;
    case 2: u = (int64_t)x->end - x->start, v = (int64_t)y->end - y->start; break;
    case 3: u = x->peers, v = y->peers; break;
    case 4: u = x->cls, v = y->cls; break;
    case 5: u = mrs_prefix_cmp(&x->prefix, &y->prefix); break;
    default: break;
    }
    int c = u < v ? -1 : u > v;
    if (s->desc)
        c = -c;
    return c ? c : x->id < y->id ? -1 : x->id > y->id;   /* then by id: total */
}

const mrs_incident **serve_incidents_filter(req *q, const mrs_report *r, size_t *n, int *cls, uint32_t *asn,
                                            const char **sort, bool *desc)
{
    bool ok;
    const char *srt = req_text(q, "sort", 16, &ok), *ord = ok ? req_text(q, "order", 8, &ok) : NULL;
    if (!ok)
        return NULL;
    inc_sort by = {-1, false};
    for (size_t k = 0; k < INC_KEYS; k++)
        if (!srt || !strcmp(srt, inc_keys[k]))
            by.key = srt ? (int)k : 0;
    if (by.key < 0 || (ord && strcmp(ord, "asc") && strcmp(ord, "desc"))) {
        req_error(q, MHD_HTTP_BAD_REQUEST, by.key < 0 ? "sort: one of id, start, duration, peers, class, prefix"
                                                      : "order: asc or desc");
        return NULL;
    }
    by.desc = ord ? !strcmp(ord, "desc") : by.key == 2 || by.key == 3;   /* longest, widest first */
    *sort = inc_keys[by.key];
    *desc = by.desc;
    const char *c = req_text(q, "class", 32, &ok);
    uint64_t a;
    if (!ok || !req_uint(q, "asn", UINT32_MAX, 0, &a))
        return NULL;
    mrs_incident_class k = MRS_INC_NCLASSES;
    if (c && *c && !mrs_incident_class_parse(c, &k)) {
        req_error(q, MHD_HTTP_BAD_REQUEST, "class: one of route-leak, hijack-origin, hijack-subprefix, hijack-path, "
                                           "bogon-prefix, bogon-asn, rpki-invalid");
        return NULL;
    }
    *cls = k == MRS_INC_NCLASSES ? -1 : (int)k;
    *asn = (uint32_t)a;
    const mrs_incident **v = malloc((r->inc.n ? r->inc.n : 1) * sizeof *v);
    if (!v) {
        req_error(q, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return NULL;
    }
    size_t m = 0;
    for (size_t i = 0; i < r->inc.n; i++) {
        const mrs_incident *x = &r->inc.v[i];
        if ((*cls < 0 || (int)x->cls == *cls) && (!a || mrs_incident_role(x, (uint32_t)a)))
            v[m++] = x;
    }
    if (by.key || by.desc)
        qsort_r(v, m, sizeof *v, cmp_incidents, &by);
    *n = m;
    return v;
}

const mrs_incident *serve_incident_find(const mrs_report *r, uint64_t id)
{
    size_t lo = 0, hi = r->inc.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->inc.v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->inc.n && r->inc.v[lo].id == id ? &r->inc.v[lo] : NULL;
}

static int cmp_by_asn(const void *a, const void *b, void *ctx)
{
    const mrs_report *r = ctx;
    uint32_t x = r->nets[*(const size_t *)a].asn, y = r->nets[*(const size_t *)b].asn;
    return x < y ? -1 : x > y;
}

size_t serve_rank(srv *s, uint32_t asn)
{
    const mrs_report *r = &s->view;
    if (!s->by_asn && (s->by_asn = malloc((r->n_nets ? r->n_nets : 1) * sizeof *s->by_asn)) != NULL) {
        for (size_t i = 0; i < r->n_nets; i++)
            s->by_asn[i] = i;
        qsort_r(s->by_asn, r->n_nets, sizeof *s->by_asn, cmp_by_asn, (void *)r);
    }
    if (!s->by_asn) {   /* out of memory: the slow way */
        for (size_t i = 0; i < r->n_nets; i++)
            if (r->nets[i].asn == asn)
                return i + 1;
        return 0;
    }
    size_t lo = 0, hi = r->n_nets;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->nets[s->by_asn[mid]].asn < asn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->n_nets && r->nets[s->by_asn[lo]].asn == asn ? s->by_asn[lo] + 1 : 0;
}

/* ------------------------------------------------------------------ endpoints */

static bool page_args(req *q, uint64_t *limit, uint64_t *offset)
{
    return req_uint(q, "limit", LIMIT_MAX, LIMIT_DEFAULT, limit) && req_uint(q, "offset", UINT32_MAX, 0, offset) &&
           (*limit > 0 || (req_error(q, MHD_HTTP_BAD_REQUEST, "limit: 1 to %u", LIMIT_MAX), false));
}

void api_runs(req *q)
{
    mrs_run_info *v;
    size_t n;
    if (mrs_store_runs(q->s->store, &v, &n) != 0) {
        req_error(q, MHD_HTTP_INTERNAL_SERVER_ERROR, "the store could not be read");
        return;
    }
    int64_t latest = mrs_store_latest_complete(q->s->store);
    FILE *f = req_reply(q, MHD_HTTP_OK, JSON);
    if (f) {
        fputs("{\"latest_complete\": ", f);
        if (latest > 0)
            fprintf(f, "%" PRId64, latest);
        else
            fputs("null", f);
        fputs(", \"runs\": [", f);
        for (size_t i = 0; i < n; i++) {
            fputs(i ? ",\n  " : "\n  ", f);
            mrs_report_json_run(f, &v[i]);
        }
        fputs(n ? "\n]}\n" : "]}\n", f);
    }
    mrs_run_infos_free(v, n);
}

void api_summary(req *q)
{
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    if (!r)
        return;
    FILE *f = req_reply(q, MHD_HTTP_OK, JSON);
    if (f) {
        fputs("{\"run\": ", f);
        mrs_report_json_run(f, &r->run);
        fputs(",\n\"summary\": ", f);
        mrs_report_json_agg(f, &r->total);
        fputs(",\n\"incident_counts\": ", f);
        mrs_report_json_counts(f, r);
        fputs(",\n\"trend\": [", f);
        for (size_t i = 0; i < r->n_trend; i++) {
            fputs(i ? ",\n  " : "\n  ", f);
            mrs_report_json_trend_point(f, &r->trend[i]);
        }
        fputs(r->n_trend ? "\n]}\n" : "]}\n", f);
    }
    mrs_report_clear(&tmp);
}

static void csv_networks(FILE *f, const mrs_report *r)
{
    mrs_report_csv(f, r);
}

void api_networks(req *q, bool csv)
{
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    uint64_t limit, offset;
    const char *sort;
    bool desc;
    size_t n = 0, *v = NULL;
    if (!r || (!csv && !page_args(q, &limit, &offset)) || !(v = serve_networks_order(q, r, &n, &sort, &desc))) {
        mrs_report_clear(&tmp);
        return;
    }
    FILE *f = req_reply(q, MHD_HTTP_OK, csv ? "text/csv; charset=utf-8" : JSON);
    if (f && csv)
        csv_networks(f, r);
    else if (f) {
        fprintf(f, "{\"run\": %" PRId64 ", \"total\": %zu, \"offset\": %" PRIu64 ", \"limit\": %" PRIu64
                   ", \"sort\": \"%s\", \"order\": \"%s\", \"networks\": [",
                r->run.id, n, offset, limit, sort, desc ? "desc" : "asc");
        bool cached = r == &q->s->view;
        for (uint64_t i = offset; i < n && i < offset + limit; i++) {
            fputs(i > offset ? ",\n  " : "\n  ", f);
            size_t len;
            const char *js = cached ? serve_network_json(q->s, v[i], &len) : NULL;
            if (js)
                fwrite(js, 1, len, f);
            else
                mrs_report_json_network(f, &r->nets[v[i]], v[i] + 1);
        }
        fputs(offset < n ? "\n]}\n" : "]}\n", f);
    }
    free(v);
    mrs_report_clear(&tmp);
}

/* A network of run r (a landscape report: the cached view, or another run's),
 * its object (kept, for the view), its incidents (r has every published one),
 * its history (one indexed row per complete run). */
void api_network(req *q, uint32_t asn)
{
    srv *s = q->s;
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    if (!r)
        return;
    bool view = r == &s->view;
    size_t rank = view ? serve_rank(s, asn) : 0, n_inc = 0;
    for (size_t i = 0; !view && i < r->n_nets && !rank; i++)
        rank = r->nets[i].asn == asn ? i + 1 : 0;
    for (size_t i = 0; i < r->inc.n; i++)
        n_inc += mrs_incident_role(&r->inc.v[i], asn) != NULL;
    FILE *f = NULL;
    if (!rank && !n_inc)
        req_error(q, MHD_HTTP_NOT_FOUND, "AS%" PRIu32 " is not in run %" PRId64, asn, r->run.id);
    else
        f = req_reply(q, MHD_HTTP_OK, JSON);
    if (!f) {
        mrs_report_clear(&tmp);
        return;
    }
    fputs("{\"run\": ", f);
    mrs_report_json_run(f, &r->run);
    fputs(",\n\"network\": ", f);
    size_t len;
    const char *js = rank && view ? serve_network_json(s, rank - 1, &len) : NULL;
    if (js)
        fwrite(js, 1, len, f);
    else if (rank)
        mrs_report_json_network(f, &r->nets[rank - 1], rank);
    else
        fputs("null", f);
    fputs(",\n\"history\": [", f);
    size_t k = 0;
    for (size_t i = 0; i < r->n_trend; i++) {
        const mrs_report_trend *t = &r->trend[i];
        mrs_network_metrics m;
        int rc = 1;
        if (t->run == r->run.id) {
            if (rank) {
                m = r->nets[rank - 1];
                rc = 0;
            }
        } else if ((rc = mrs_store_network(s->store, t->run, asn, &m)) < 0) {
            req_error(q, MHD_HTTP_INTERNAL_SERVER_ERROR, "the store could not be read");
            mrs_report_clear(&tmp);
            return;
        }
        mrs_report_trend one = *t;   /* the same point, of this network alone */
        mrs_report_aggregate(&one.agg, "", &m, rc == 0 ? 1 : 0);
        fputs(k++ ? ",\n  " : "\n  ", f);
        mrs_report_json_trend_point(f, &one);
    }
    fputs(k ? "\n],\n\"incidents\": [" : "],\n\"incidents\": [", f);
    k = 0;
    for (size_t i = 0; i < r->inc.n; i++)
        if (mrs_incident_role(&r->inc.v[i], asn)) {
            fputs(k++ ? ",\n  " : "\n  ", f);
            mrs_report_json_incident(f, &r->inc.v[i], asn);
        }
    fputs(k ? "\n]}\n" : "]}\n", f);
    mrs_report_clear(&tmp);
}

static void csv_incidents(FILE *f, const mrs_incident *const *v, size_t n)
{
    fputs("id,class,confidence,culprit,accomplice,victims,prefix,start,end,peers,leak_type,reasons\r\n", f);
    for (size_t i = 0; i < n; i++) {
        const mrs_incident *x = v[i];
        char pfx[MRS_PREFIX_STRLEN], why[512];
        mrs_prefix_format(&x->prefix, pfx);
        mrs_reasons_format(x->reasons, why, sizeof why);
        fprintf(f, "%" PRIu64 ",%s,%s,%" PRIu32 ",", x->id, mrs_incident_class_name(x->cls),
                mrs_confidence_name(x->confidence), x->culprit);
        if (x->accomplice)
            fprintf(f, "%" PRIu32, x->accomplice);
        fputc(',', f);
        for (size_t k = 0; k < x->n_victims; k++)
            fprintf(f, "%s%" PRIu32, k ? " " : "", x->victims[k]);
        fprintf(f, ",%s,%" PRIu32 ",%" PRIu32 ",%u,", pfx, x->start, x->end, x->peers);
        if (x->leak_type)
            fprintf(f, "%u", x->leak_type);
        fprintf(f, ",\"%s\"\r\n", why);   /* codes: [a-z-] and commas */
    }
}

void api_incidents(req *q, bool csv)
{
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    uint64_t limit, offset;
    int cls;
    uint32_t asn;
    size_t n = 0;
    const char *sort;
    bool desc;
    const mrs_incident **v = NULL;
    if (!r || (!csv && !page_args(q, &limit, &offset)) ||
        !(v = serve_incidents_filter(q, r, &n, &cls, &asn, &sort, &desc))) {
        mrs_report_clear(&tmp);
        return;
    }
    FILE *f = req_reply(q, MHD_HTTP_OK, csv ? "text/csv; charset=utf-8" : JSON);
    if (f && csv)
        csv_incidents(f, v, n);
    else if (f) {
        fprintf(f, "{\"run\": %" PRId64 ", \"total\": %zu, \"offset\": %" PRIu64 ", \"limit\": %" PRIu64
                   ", \"sort\": \"%s\", \"order\": \"%s\", \"incidents\": [",
                r->run.id, n, offset, limit, sort, desc ? "desc" : "asc");
        for (uint64_t i = offset; i < n && i < offset + limit; i++) {
            fputs(i > offset ? ",\n  " : "\n  ", f);
            mrs_report_json_incident(f, v[i], asn);
        }
        fputs(offset < n ? "\n]}\n" : "]}\n", f);
    }
    free(v);
    mrs_report_clear(&tmp);
}

void api_incident(req *q, uint64_t id)
{
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    if (!r)
        return;
    const mrs_incident *x = serve_incident_find(r, id);
    if (!x)
        req_error(q, MHD_HTTP_NOT_FOUND, "no incident %" PRIu64 " published in run %" PRId64, id, r->run.id);
    else {
        FILE *f = req_reply(q, MHD_HTTP_OK, JSON);
        if (f) {
            fprintf(f, "{\"run\": %" PRId64 ", \"incident\": ", r->run.id);
            mrs_report_json_incident(f, x, 0);
            fputs("}\n", f);
        }
    }
    mrs_report_clear(&tmp);
}

void api_countries(req *q)
{
    mrs_report tmp;
    const mrs_report *r = req_run(q, &tmp);
    if (!r)
        return;
    FILE *f = req_reply(q, MHD_HTTP_OK, JSON);
    if (f) {
        fprintf(f, "{\"run\": %" PRId64 ", \"summary\": ", r->run.id);
        mrs_report_json_agg(f, &r->total);
        fputs(", \"countries\": ", f);
        mrs_report_json_countries(f, r);
        fputs("}\n", f);
    }
    mrs_report_clear(&tmp);
}
