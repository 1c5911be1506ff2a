/*
 * report.h — `manrs report`: what the observatory store (store.h) says about the
 * whole landscape, a country, or one network, in five formats (one small printer
 * per format, src/output/report/report_<format>.c).
 *
 * mrs_report_load gathers one run: the networks in scope ranked by readiness,
 * the incidents that involve them (with evidence), aggregates for the whole set
 * and per country, and the trend of the same scope over every complete run.
 * The printers only print; each returns -1 on the first failed write.
 *
 * Ranking ("readiness"): more actions ready first, then the higher mean of the
 * per-action scores that have data, then the lower ASN. Metric verdicts in the
 * explanations use the default cut-offs of score.h (the store keeps scores and
 * statuses, not the configuration that produced them).
 */
#ifndef MANRS_REPORT_H
#define MANRS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manrs/store/store.h"

typedef struct mrs_report_opts {
    uint32_t asn;           /* one network (0: all) */
    char country[4];        /* one country ("" : all) */
    size_t top;             /* at most this many networks (0: all) */
    bool include_low;       /* list low-confidence incidents too (default: high only, as scored) */
} mrs_report_opts;

/* Status distribution and mean score of a set of networks. Index [1..4] = action. */
typedef struct mrs_report_agg {
    char country[4];        /* "" for the whole set */
    size_t networks;
    size_t status[5][4];    /* [action][mrs_readiness] */
    double mean[5];         /* mean score over networks with data, -1 if none */
    double mean_irr;        /* mean M7IRR, -1 if none */
} mrs_report_agg;

typedef struct mrs_report_trend {
    int64_t run;
    uint32_t window_start, window_end;
    mrs_report_agg agg;     /* of the report's scope in that run */
} mrs_report_trend;

typedef struct mrs_report {
    const char *db_path;
    mrs_report_opts opts;
    mrs_run_info run;                       /* the run reported */
    mrs_run_info *runs;                     /* every run of the store, oldest first */
    size_t n_runs;
    mrs_report_trend *trend;                /* complete runs, oldest first */
    size_t n_trend;
    mrs_network_metrics *nets;              /* in scope, ranked, cut to opts.top */
    size_t n_nets, n_nets_scope;            /* listed / in scope before the cut */
    mrs_incident_list inc;                  /* involving the listed networks as culprit, accomplice,
                                               propagator or victim (all, if unscoped);
                                               high confidence only unless opts.include_low */
    size_t n_low_hidden;                    /* low-confidence incidents left out */
    size_t inc_by_class[MRS_INC_NCLASSES];
    mrs_report_agg total;                   /* every network in scope */
    mrs_report_agg *countries;              /* per country, most networks first */
    size_t n_countries;
} mrs_report;

/* Load run `run` of the store. 0 ok; -1 with a message in err. */
int mrs_report_load(mrs_store *s, const char *db_path, int64_t run, const mrs_report_opts *o, mrs_report *r,
                    char *err, size_t errlen);
void mrs_report_clear(mrs_report *r);
/* The status distribution and means of networks v[0..n) (country cc, "" for any). */
void mrs_report_aggregate(mrs_report_agg *g, const char *cc, const mrs_network_metrics *v, size_t n);
/* Is the reported run complete? (failed / incomplete runs hold no results) */
bool mrs_report_run_complete(const mrs_report *r);

/* Mean of the per-action scores with data (-1 if none), and the ready count. */
double mrs_report_overall(const mrs_network_metrics *m);
unsigned mrs_report_ready_count(const mrs_network_metrics *m);
/* "filtering", "anti_spoofing", "coordination", "global_validation" for 1..4 */
const char *mrs_action_key(int action);
const char *mrs_action_title(int action);   /* "Filtering", "Anti-spoofing", ... */

/* The metrics of ../shared/docs/manrs-metrics.md as the report lists them. */
typedef struct mrs_metric_desc {
    const char *id;         /* "m2c" */
    const char *label;      /* "M2C" */
    const char *what;       /* one line */
    int action;
    int incident_metric;    /* 1..4 for M1..M4(C), else 0 */
    bool accomplice;        /* a C metric */
    bool is_bool;           /* m6, m8 */
    bool scored;            /* counts in the action score by default */
    size_t off;             /* of the double (or bool) in mrs_network_metrics */
} mrs_metric_desc;

const mrs_metric_desc *mrs_report_metrics(size_t *n);
/* Value in percent (bool: 100 or 0); -1 = no data. */
double mrs_metric_value(const mrs_network_metrics *m, const mrs_metric_desc *d);
/* Is the metric below the default "ready" cut-off (or false for a bool)? M7RPKIN
 * fails when any route is invalid. */
bool mrs_metric_failed(const mrs_network_metrics *m, const mrs_metric_desc *d);
/* Does incident i count against metric d of network asn? */
bool mrs_incident_counts_for(const mrs_incident *i, uint32_t asn, const mrs_metric_desc *d);
/* Is asn among the networks incident i harmed (its victims)? */
bool mrs_incident_harms(const mrs_incident *i, uint32_t asn);
/* How asn takes part in i: "culprit", "accomplice", "victim", "propagator" (in
 * that order of precedence), or NULL. */
const char *mrs_incident_role(const mrs_incident *i, uint32_t asn);

/* The registered formats (report_formats.c): one small file per format, one entry
 * each; the command looks its --format up here. */
typedef struct mrs_report_format {
    const char *name;           /* "table", "json", "csv", "html", "markdown" */
    const char *alias;          /* another accepted name ("md"), or NULL */
    /* color: ANSI colours where the format has them (table on a terminal) */
    int (*print)(FILE *f, const mrs_report *r, bool color);
} mrs_report_format;

const mrs_report_format *mrs_report_format_find(const char *name);   /* NULL if unknown */
const mrs_report_format *mrs_report_formats(size_t *n);

int mrs_report_table(FILE *f, const mrs_report *r, bool color);
int mrs_report_json(FILE *f, const mrs_report *r);
/* The objects of the JSON document, for other documents built of them (the API
 * of `manrs serve`): a run; a set's status counts and means (_fields: without
 * the enclosing braces); a network with its rank; an incident, with asn's "role"
 * in it when asn != 0. */
void mrs_report_json_run(FILE *f, const mrs_run_info *ri);
void mrs_report_json_agg(FILE *f, const mrs_report_agg *g);
void mrs_report_json_agg_fields(FILE *f, const mrs_report_agg *g);
void mrs_report_json_network(FILE *f, const mrs_network_metrics *m, size_t rank);
void mrs_report_json_incident(FILE *f, const mrs_incident *i, uint32_t asn);
/* Incidents per class {"route-leak": n, ...}; the countries' array; a trend
 * point {"run", "window", "summary"}. */
void mrs_report_json_counts(FILE *f, const mrs_report *r);
void mrs_report_json_countries(FILE *f, const mrs_report *r);
void mrs_report_json_trend_point(FILE *f, const mrs_report_trend *t);
int mrs_report_csv(FILE *f, const mrs_report *r);
int mrs_report_markdown(FILE *f, const mrs_report *r);
int mrs_report_html(FILE *f, const mrs_report *r);

#endif
