/*
 * report_formats.c — the registered table of `manrs report` formats: one small
 * printer file each (report_<format>.c), one entry here each.
 */
#include <string.h>

#include "manrs/output/report.h"

static int print_json(FILE *f, const mrs_report *r, bool color) { (void)color; return mrs_report_json(f, r); }
static int print_csv(FILE *f, const mrs_report *r, bool color) { (void)color; return mrs_report_csv(f, r); }
static int print_html(FILE *f, const mrs_report *r, bool color) { (void)color; return mrs_report_html(f, r); }
static int print_md(FILE *f, const mrs_report *r, bool color) { (void)color; return mrs_report_markdown(f, r); }

static const mrs_report_format formats[] = {
    {"table", NULL, mrs_report_table},
    {"json", NULL, print_json},
    {"csv", NULL, print_csv},
    {"html", NULL, print_html},
    {"markdown", "md", print_md},
};

const mrs_report_format *mrs_report_formats(size_t *n)
{
    *n = sizeof formats / sizeof formats[0];
    return formats;
}

const mrs_report_format *mrs_report_format_find(const char *name)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (!strcmp(name, formats[i].name) || (formats[i].alias && !strcmp(name, formats[i].alias)))
            return &formats[i];
    return NULL;
}
