/*
 * report_model.c — gathers what `manrs report` prints (report.h) from the store:
 * the scoped, ranked networks, the incidents that involve them, aggregates for the
 * whole set and per country, and the trend of the scope over every complete run.
 * Assumes the store's rows are complete for complete runs (store.c guarantees a
 * failed or interrupted run has none).
 */
#include "manrs/output/report.h"
#include "manrs/core/search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/analysis/score.h"

#define MD(id_, label_, what_, act, im, acc, b, sc, field)                                                         \
    {id_, label_, what_, act, im, acc, b, sc, offsetof(mrs_network_metrics, field)}
static const mrs_metric_desc metric_table[] = {
    MD("m1", "M1", "route leaks by the network", 1, 1, false, false, false, m1),
    MD("m1c", "M1C", "route leaks of direct customers it propagated", 1, 1, true, false, false, m1c),
    MD("m2", "M2", "hijacks (mis-originations) by the network", 1, 2, false, false, true, m2),
    MD("m2c", "M2C", "hijacks of direct customers it propagated", 1, 2, true, false, true, m2c),
    MD("m3", "M3", "bogon prefixes announced by the network", 1, 3, false, false, true, m3),
    MD("m3c", "M3C", "bogon prefixes of direct customers it propagated", 1, 3, true, false, true, m3c),
    MD("m4", "M4", "bogon ASNs in paths it originated", 1, 4, false, false, true, m4),
    MD("m4c", "M4C", "bogon ASNs in paths of direct customers it propagated", 1, 4, true, false, true, m4c),
    MD("m5", "M5", "prefixes that leaked spoofed packets", 2, 0, false, false, true, m5),
    MD("m5c", "M5C", "customer prefixes that leaked spoofed packets", 2, 0, true, false, false, m5c),
    MD("m6", "M6", "routing policy registered (aut-num with import and export)", 3, 0, false, true, false, m6),
    MD("m8", "M8", "contact registered (admin-c/tech-c with e-mail, or PeeringDB poc)", 3, 0, false, true, true, m8),
    MD("m7irr", "M7IRR", "announced routes covered by an IRR object with the same origin", 4, 0, false, false, true, m7irr),
    MD("m7rpki", "M7RPKI", "RPKI valid minus 10 x invalid share of announced routes", 4, 0, false, false, true, m7rpki),
    MD("m7rpkin", "M7RPKIN", "share of announced routes RPKI-invalid", 4, 0, false, false, false, m7rpkin),
};
#undef MD

const mrs_metric_desc *mrs_report_metrics(size_t *n)
{
    *n = sizeof metric_table / sizeof metric_table[0];
    return metric_table;
}

double mrs_metric_value(const mrs_network_metrics *m, const mrs_metric_desc *d)
{
    if (d->is_bool) {
        bool b;
        memcpy(&b, (const char *)m + d->off, sizeof b);
        return b ? 100.0 : 0.0;
    }
    double v;
    memcpy(&v, (const char *)m + d->off, sizeof v);
    return v;
}

bool mrs_metric_failed(const mrs_network_metrics *m, const mrs_metric_desc *d)
{
    double v = mrs_metric_value(m, d);
    if (v < 0)
        return false;
    if (!strcmp(d->id, "m7rpkin"))
        return v > 0;
    mrs_score_cfg cfg;
    mrs_score_cfg_default(&cfg);
    return v < cfg.ready_at;
}

bool mrs_incident_counts_for(const mrs_incident *i, uint32_t asn, const mrs_metric_desc *d)
{
    if (d->id[0] == 'm' && !strcmp(d->id, "m7rpkin"))
        return i->cls == MRS_INC_RPKI_INVALID && i->culprit == asn;
    if (!d->incident_metric || mrs_incident_metric(i->cls) != d->incident_metric)
        return false;
    return d->accomplice ? i->accomplice == asn : i->culprit == asn;
}

bool mrs_incident_harms(const mrs_incident *i, uint32_t asn)
{
    return asn && mrs_sorted_has_u32(i->victims, i->n_victims, asn);
}

const char *mrs_incident_role(const mrs_incident *i, uint32_t asn)
{
    if (!asn)
        return NULL;
    if (i->culprit == asn)
        return "culprit";
    if (i->accomplice == asn)
        return "accomplice";
    if (mrs_incident_harms(i, asn))
        return "victim";
    if (mrs_sorted_has_u32(i->propagators, i->n_propagators, asn))
        return "propagator";
    return NULL;
}

const char *mrs_action_key(int a)
{
    static const char *const k[5] = {"", "filtering", "anti_spoofing", "coordination", "global_validation"};
    return a >= 1 && a <= 4 ? k[a] : "";
}

const char *mrs_action_title(int a)
{
    static const char *const k[5] = {"", "Filtering", "Anti-spoofing", "Coordination", "Global validation"};
    return a >= 1 && a <= 4 ? k[a] : "";
}

double mrs_report_overall(const mrs_network_metrics *m)
{
    double sum = 0;
    int n = 0;
    for (int a = 1; a <= 4; a++) {
        if (m->status[a] != MRS_NO_DATA && m->action[a] >= 0 && isfinite(m->action[a])) {
            sum += m->action[a];
            n++;
        }
    }
    return n ? sum / n : -1.0;
}

unsigned mrs_report_ready_count(const mrs_network_metrics *m)
{
    unsigned n = 0;
    for (int a = 1; a <= 4; a++)
        n += m->status[a] == MRS_READY;
    return n;
}

static int rank_cmp(const void *pa, const void *pb)
{
    const mrs_network_metrics *a = pa, *b = pb;
    unsigned ra = mrs_report_ready_count(a), rb = mrs_report_ready_count(b);
    if (ra != rb)
        return ra > rb ? -1 : 1;
    double oa = mrs_report_overall(a), ob = mrs_report_overall(b);
    if (oa != ob)
        return oa > ob ? -1 : 1;
    return a->asn < b->asn ? -1 : a->asn > b->asn;
}

static void agg_init(mrs_report_agg *g, const char *cc)
{
    memset(g, 0, sizeof *g);
    snprintf(g->country, sizeof g->country, "%s", cc ? cc : "");
}

/* Sums into g; mean[] holds sums and a count in status until agg_finish. */
static void agg_add(mrs_report_agg *g, const mrs_network_metrics *m, double sums[6], size_t cnt[6])
{
    g->networks++;
    for (int a = 1; a <= 4; a++) {
        unsigned st = (unsigned)m->status[a] <= MRS_READY ? (unsigned)m->status[a] : 0;
        g->status[a][st]++;
        if (m->status[a] != MRS_NO_DATA && m->action[a] >= 0 && isfinite(m->action[a])) {
            sums[a] += m->action[a];
            cnt[a]++;
        }
    }
    if (m->m7irr >= 0 && isfinite(m->m7irr)) {
        sums[5] += m->m7irr;
        cnt[5]++;
    }
}

static void agg_finish(mrs_report_agg *g, const double sums[6], const size_t cnt[6])
{
    g->mean[0] = -1;
    for (int a = 1; a <= 4; a++)
        g->mean[a] = cnt[a] ? sums[a] / (double)cnt[a] : -1.0;
    g->mean_irr = cnt[5] ? sums[5] / (double)cnt[5] : -1.0;
}

void mrs_report_aggregate(mrs_report_agg *g, const char *cc, const mrs_network_metrics *v, size_t n)
{
    double sums[6] = {0};
    size_t cnt[6] = {0};
    agg_init(g, cc);
    for (size_t i = 0; i < n; i++)
        if (!cc || !*cc || !strcmp(v[i].country, cc))
            agg_add(g, &v[i], sums, cnt);
    agg_finish(g, sums, cnt);
}

static int cc_cmp(const void *pa, const void *pb)
{
    const mrs_network_metrics *a = pa, *b = pb;
    int c = strcmp(a->country, b->country);
    return c ? c : (a->asn < b->asn ? -1 : a->asn > b->asn);
}

static int agg_cmp(const void *pa, const void *pb)
{
    const mrs_report_agg *a = pa, *b = pb;
    if (a->networks != b->networks)
        return a->networks > b->networks ? -1 : 1;
    return strcmp(a->country, b->country);
}

/* Per-country aggregates of v (sorted by country in a copy). */
static int countries_of(mrs_report *r, const mrs_network_metrics *v, size_t n)
{
    if (!n)
        return 0;
    mrs_network_metrics *c = malloc(n * sizeof *c);
    r->countries = malloc(n * sizeof *r->countries);
    if (!c || !r->countries) {
        free(c);
        return -1;
    }
    memcpy(c, v, n * sizeof *c);
    qsort(c, n, sizeof *c, cc_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !strcmp(c[j].country, c[i].country))
            j++;
        if (c[i].country[0])
            mrs_report_aggregate(&r->countries[r->n_countries++], c[i].country, c + i, j - i);
        i = j;
    }
    free(c);
    qsort(r->countries, r->n_countries, sizeof *r->countries, agg_cmp);
    return 0;
}

static int load_trend(mrs_store *s, mrs_report *r)
{
    r->trend = calloc(r->n_runs ? r->n_runs : 1, sizeof *r->trend);
    if (!r->trend)
        return -1;
    for (size_t k = 0; k < r->n_runs; k++) {
        const mrs_run_info *ri = &r->runs[k];
        if (strcmp(ri->status, "complete"))
            continue;
        mrs_report_trend *t = &r->trend[r->n_trend];
        t->run = ri->id;
        t->window_start = ri->window_start;
        t->window_end = ri->window_end;
        if (r->opts.asn) {
            mrs_network_metrics m;
            int rc = mrs_store_network(s, ri->id, r->opts.asn, &m);
            if (rc < 0)
                return -1;
            mrs_report_aggregate(&t->agg, "", &m, rc == 0 ? 1 : 0);
        } else {
            mrs_network_metrics *v;
            size_t n;
            if (mrs_store_networks(s, ri->id, r->opts.country, &v, &n))
                return -1;
            mrs_report_aggregate(&t->agg, r->opts.country, v, n);
            free(v);
        }
        r->n_trend++;
    }
    return 0;
}

/* Keep the incidents that involve a listed network (as culprit, accomplice,
 * propagator or victim) (binary search in asns). */
static bool involves(const mrs_incident *i, const uint32_t *asns, size_t n)
{
    uint32_t probe[2] = {i->culprit, i->accomplice};
    for (size_t k = 0; k < 2 + i->n_propagators; k++) {
        uint32_t a = k < 2 ? probe[k] : i->propagators[k - 2];
        if (mrs_sorted_has_u32(asns, n, a))
            return true;
    }
    for (size_t k = 0; k < i->n_victims; k++)
        if (mrs_sorted_has_u32(asns, n, i->victims[k]))
            return true;
    return false;
}

/* What the observatory publishes and scores: the high-confidence incidents. */
static void drop_low(mrs_report *r)
{
    size_t w = 0;
    for (size_t i = 0; i < r->inc.n; i++) {
        if (r->inc.v[i].confidence == MRS_CONF_HIGH)
            r->inc.v[w++] = r->inc.v[i];
        else {
            mrs_incident_clear(&r->inc.v[i]);
            r->n_low_hidden++;
        }
    }
    r->inc.n = w;
}

static int filter_incidents(mrs_report *r)
{
    uint32_t *asns = malloc((r->n_nets ? r->n_nets : 1) * sizeof *asns);
    if (!asns)
        return -1;
    for (size_t i = 0; i < r->n_nets; i++)
        asns[i] = r->nets[i].asn;
    if (r->n_nets)
        qsort(asns, r->n_nets, sizeof *asns, mrs_cmp_u32);
    size_t w = 0;
    for (size_t i = 0; i < r->inc.n; i++) {
        if (involves(&r->inc.v[i], asns, r->n_nets))
            r->inc.v[w++] = r->inc.v[i];
        else
            mrs_incident_clear(&r->inc.v[i]);
    }
    r->inc.n = w;
    free(asns);
    return 0;
}

int mrs_report_load(mrs_store *s, const char *db_path, int64_t run, const mrs_report_opts *o, mrs_report *r,
                    char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->db_path = db_path;
    r->opts = *o;
    int rc = mrs_store_run(s, run, &r->run);
    if (rc) {
        snprintf(err, errlen, "%s", mrs_store_errmsg(s));
        return -1;
    }
    if (mrs_store_runs(s, &r->runs, &r->n_runs))
        goto store_fail;
    if (o->asn) {
        r->nets = malloc(sizeof *r->nets);
        if (!r->nets)
            goto oom;
        rc = mrs_store_network(s, run, o->asn, r->nets);
        if (rc < 0)
            goto store_fail;
        r->n_nets = rc == 0;
        if (mrs_store_incidents(s, run, o->asn, &r->inc))
            goto store_fail;
    } else {
        if (mrs_store_networks(s, run, o->country, &r->nets, &r->n_nets) ||
            mrs_store_incidents(s, run, 0, &r->inc))
            goto store_fail;
    }
    r->n_nets_scope = r->n_nets;
    mrs_report_aggregate(&r->total, o->country, r->nets, r->n_nets);
    if (!o->asn && countries_of(r, r->nets, r->n_nets))
        goto oom;
    if (r->n_nets)
        qsort(r->nets, r->n_nets, sizeof *r->nets, rank_cmp);
    if (o->top && o->top < r->n_nets)
        r->n_nets = o->top;
    if ((o->top || o->country[0]) && filter_incidents(r))
        goto oom;
    if (!o->include_low)
        drop_low(r);   /* after the scope: what is hidden is what would have been listed */
    for (size_t i = 0; i < r->inc.n; i++)
        if ((unsigned)r->inc.v[i].cls < MRS_INC_NCLASSES)
            r->inc_by_class[r->inc.v[i].cls]++;
    if (load_trend(s, r))
        goto store_fail;
    return 0;
store_fail:
    snprintf(err, errlen, "%s", mrs_store_errmsg(s));
    mrs_report_clear(r);
    return -1;
oom:
    snprintf(err, errlen, "%s: out of memory", db_path);
    mrs_report_clear(r);
    return -1;
}

bool mrs_report_run_complete(const mrs_report *r)
{
    return !strcmp(r->run.status, "complete");
}

void mrs_report_clear(mrs_report *r)
{
    mrs_run_info_clear(&r->run);
    mrs_run_infos_free(r->runs, r->n_runs);
    free(r->trend);
    free(r->nets);
    mrs_incident_list_clear(&r->inc);
    free(r->countries);
    memset(r, 0, sizeof *r);
}
