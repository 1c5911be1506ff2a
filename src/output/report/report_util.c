/*
 * report_util.c — formatting and escaping shared by the report printers
 * (report_util.h). Times are always UTC.
 */
#include "report_util.h"

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

/* Length of the well-formed UTF-8 sequence at s (RFC 3629 section 4), 0 if none. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        if (c == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90;
        if (c == 0xf4)
            hi = 0x8f; /* > U+10FFFF */
    } else
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    return n;
}

void rpt_json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x80) {
            size_t n = utf8_len((const unsigned char *)s);
            if (!n) {
                fputs("\\ufffd", f); /* not UTF-8: JSON text must be (RFC 8259 section 8.1) */
                continue;
            }
            fwrite(s, 1, n, f);
            s += n - 1;
            continue;
        }
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
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
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

bool rpt_run_not_complete(const mrs_report *r)
{
    return strcmp(r->run.status, "complete") != 0;
}
