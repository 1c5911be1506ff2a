/*
 * report_util.c — formatting and escaping shared by the report printers
 * (report_util.h). Times are always UTC.
 */
#include "report_util.h"

#include "manrs/core/diag.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <time.h>

bool rpt_num(double v, char *buf, size_t n, const char *none_text)
{
    if (!isfinite(v) || v < 0) {
        snprintf(buf, n, "%s", none_text);
        return false;
    }
    if (v >= 1e15) { /* not a percentage: a damaged store; keep it exact and short */
        snprintf(buf, n, "%.17g", v);
        return true;
    }
    snprintf(buf, n, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = 0;
        if (e == dot)
            *e = 0;
    }
    return true;
}

void rpt_pct1(double v, char *buf, size_t n, const char *none_text)
{
    if (!isfinite(v) || v < 0)
        snprintf(buf, n, "%s", none_text);
    else if (v >= 1e5)
        snprintf(buf, n, "%.0e", v);
    else
        snprintf(buf, n, "%.1f", v);
}

void rpt_time(int64_t t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(buf, n, "%" PRId64, t);
}

void rpt_duration(int64_t s, char *buf, size_t n)
{
    if (s < 0)
        s = 0;
    if (s >= 86400)
        snprintf(buf, n, "%" PRId64 "d %" PRId64 "h", s / 86400, s % 86400 / 3600);
    else if (s >= 3600)
        snprintf(buf, n, "%" PRId64 "h %" PRId64 "m", s / 3600, s % 3600 / 60);
    else if (s >= 60)
        snprintf(buf, n, "%" PRId64 "m", s / 60);
    else
        snprintf(buf, n, "%" PRId64 "s", s);
}

void rpt_csv_field(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void rpt_html(FILE *f, const char *s)
{
    if (!s)
        return;
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

void rpt_md(FILE *f, const char *s)
{
    if (!s)
        return;
    for (; *s; s++) {
        if (strchr("|`*_\\<>[]", *s))
            fputc('\\', f);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    }
}

void rpt_text(FILE *f, const char *s)
{
    if (!s)
        return;
    mrs_fputs_safe(s, f); /* control bytes and invalid UTF-8 as \\xNN */
}

void rpt_confidence(const mrs_incident *i, char *buf, size_t n)
{
    if (i->confidence == MRS_CONF_HIGH) {
        snprintf(buf, n, "%s", "");
        return;
    }
    char why[400];
    mrs_reasons_format(i->reasons, why, sizeof why);
    snprintf(buf, n, ", low confidence: %s", why);
}

bool rpt_run_not_complete(const mrs_report *r)
{
    return strcmp(r->run.status, "complete") != 0;
}

bool rpt_role_is(const mrs_incident *i, uint32_t asn, const char *role)
{
    const char *r = mrs_incident_role(i, asn);
    return r && !strcmp(r, role);
}
