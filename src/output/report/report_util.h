/*
 * report_util.h — small shared pieces of the `manrs report` printers: number and
 * time formatting, and escaping for CSV, HTML and Markdown (JSON strings go through
 * the shared writer, manrs/core/json_out.h). Internal to src/output/report/.
 * Strings from the store (inputs, reasons, AS paths, file names, notes) are
 * untrusted text: every printer escapes them for its format.
 */
#ifndef MANRS_REPORT_UTIL_H
#define MANRS_REPORT_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "manrs/output/report.h"

/* A percentage or raw value: at most 2 decimals (trailing zeros dropped);
 * returns false (and none_text in buf) for no data (v < 0). */
bool rpt_num(double v, char *buf, size_t n, const char *none_text);
/* Fixed one-decimal percentage for tables ("100.0", "48.6"), none_text if no data. */
void rpt_pct1(double v, char *buf, size_t n, const char *none_text);
/* "2023-11-14 22:15:00" (UTC). */
void rpt_time(int64_t t, char *buf, size_t n);
/* "1d 2h", "13h 5m", "29m", "40s". */
void rpt_duration(int64_t s, char *buf, size_t n);

void rpt_csv_field(FILE *f, const char *s);  /* RFC 4180 quoting when needed */
void rpt_html(FILE *f, const char *s);       /* &<>"' escaped */
void rpt_md(FILE *f, const char *s);
/* Plain text for a terminal: control characters (escape sequences) become '?'. */
void rpt_text(FILE *f, const char *s);         /* | ` * _ \ < > escaped, newlines as spaces */

/* "complete" -> false; for the banners of failed / incomplete runs */
bool rpt_run_not_complete(const mrs_report *r);
/* ", low confidence: relationship-conflict,one-peer" for a low incident, "" else. */
void rpt_confidence(const mrs_incident *i, char *buf, size_t n);
/* Is asn's role in i (mrs_incident_role) the given one? */
bool rpt_role_is(const mrs_incident *i, uint32_t asn, const char *role);

#endif
