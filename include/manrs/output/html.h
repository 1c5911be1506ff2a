/*
 * html.h — the HTML pieces the report file (`manrs report --format html`) and
 * the web observatory (`manrs serve`) share, so that both show a network, an
 * incident and a chart the same way (src/output/report/report_html.c).
 *
 * Links differ: the report is one file (anchors "#as64500", "#inc-7"), the
 * observatory a site ("/networks/64500", "/incidents/7"); every piece that
 * links takes the mode. Text from the store is untrusted: every piece escapes it.
 */
#ifndef MANRS_OUTPUT_HTML_H
#define MANRS_OUTPUT_HTML_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "manrs/output/report.h"

typedef enum mrs_html_links {
    MRS_HTML_FILE = 0,      /* anchors within one page */
    MRS_HTML_SITE,          /* pages of `manrs serve` */
} mrs_html_links;

/* The style sheet (no external resource). */
extern const char mrs_html_css[];

/* &<>"' escaped; NULL prints nothing. */
void mrs_html_text(FILE *f, const char *s);
/* A link to a network's section or page: <a href="...">AS64500</a>. */
void mrs_html_network_link(FILE *f, uint32_t asn, mrs_html_links mode);
/* A readiness status with its score, coloured. */
void mrs_html_pill(FILE *f, mrs_readiness s, double score);
/* Stacked bars: the status distribution of each action in g. */
void mrs_html_distribution(FILE *f, const mrs_report_agg *g);
/* Lines per action across r's complete runs (a network's scores with --as). */
void mrs_html_trend(FILE *f, const mrs_report *r);
/* Bars: r's incidents per class. */
void mrs_html_incident_classes(FILE *f, const mrs_report *r);

/* Incident tables: the header row (role: with a "role" column), then one row per
 * incident. anchor: this row is the incident's own (id="inc-N" in a file; in a
 * site the row links to the incident's page either way); its evidence folds
 * into <details> (always in a site: the incident's page shows it whole). role:
 * asn's part in it, or NULL. */
void mrs_html_incident_head(FILE *f, bool role);
void mrs_html_incident_row(FILE *f, const mrs_incident *in, bool anchor, const char *role, mrs_html_links mode);
/* The evidence rows of an incident (peer, time, path, MRT file @ offset, note). */
void mrs_html_evidence(FILE *f, const mrs_incident *in);

/* A network explained: actions, metrics, every failed metric with the incidents
 * behind it, and the incidents it was the victim of (r's incidents). */
void mrs_html_network_body(FILE *f, const mrs_report *r, const mrs_network_metrics *m, mrs_html_links mode);

#endif
