/*
 * cmd_report.c — `manrs report`: print what the observatory store says about the
 * landscape, one country or one network (report.h does the work). Owns argument
 * parsing, run selection and the choice of printer, nothing else.
 * A failed or interrupted run is printed as such and exits 1, never as complete.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/output/report.h"

static const char REPORT_USAGE[] =
    "usage: manrs report [--db FILE|URL] [--run N | --latest] [--as ASN | --country CC | --top N]\n"
    "                    [--format table|json|csv|html|markdown] [--include-low] [-o FILE]\n"
    "       manrs report [--db FILE|URL] --runs\n"
    "\n"
    "Print the MANRS readiness of the networks observed by `manrs observe`: the whole\n"
    "landscape ranked by readiness, one country, or one network with every failed metric\n"
    "explained by its incidents and their evidence.\n"
    "\n"
    "  --db FILE|URL    the store (default manrs.db)\n"
    "  --run N          report run N (any status)\n"
    "  --latest         report the newest complete run (the default)\n"
    "  --as ASN         one network: metrics, failed metrics, incidents, evidence\n"
    "  --country CC     networks of one country (delegated stats)\n"
    "  --top N          only the N most ready networks\n"
    "  --format F       table (default), json, csv, html (one self-contained file), markdown\n"
    "  --include-low    list low-confidence incidents too (default: the high-confidence ones,\n"
    "                   those the scores count; docs/observe.md \"Evidence strength\")\n"
    "  -o, --output F   write to F instead of standard output\n"
    "  --runs           list the runs of the store and exit\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 ok, 1 error or the run reported is failed/incomplete, 2 usage.\n";

struct report_args {
    const char *db, *out;
    int64_t run;
    bool list_runs;
    const mrs_report_format *format;
    mrs_report_opts o;
};

static int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
    char *end;
    if (!*s || *s == '-' || *s == '+')
        return -1;
    unsigned long long x = strtoull(s, &end, 10);
    if (*end || x > max)
        return -1;
    *v = x;
    return 0;
}

static int parse_args(int argc, char **argv, struct report_args *a)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"run", required_argument, NULL, 'r'},
        {"latest", no_argument, NULL, 'l'},       {"as", required_argument, NULL, 'a'},
        {"country", required_argument, NULL, 'c'}, {"top", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"runs", no_argument, NULL, 'R'},         {"help", no_argument, NULL, 'h'},
        {"include-low", no_argument, NULL, 'L'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->db = "manrs.db";
    int c, scopes = 0;
    bool latest = false;
    uint64_t v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a->db = optarg; break;
        case 'r':
            if (parse_u64(optarg, INT64_MAX, &v) || v == 0) {
                fprintf(stderr, "manrs report: --run: not a run number: '%s'\n", optarg);
                return 2;
            }
            a->run = (int64_t)v;
            break;
        case 'l': latest = true; break;
        case 'a':
            if (!mrs_asn_parse(optarg, strlen(optarg), &a->o.asn) || !a->o.asn) {
                fprintf(stderr, "manrs report: --as: not an AS number: '%s'\n", optarg);
                return 2;
            }
            scopes++;
            break;
        case 'c':
            if (strlen(optarg) != 2 || !((optarg[0] >= 'A' && optarg[0] <= 'Z') || (optarg[0] >= 'a' && optarg[0] <= 'z')) ||
                !((optarg[1] >= 'A' && optarg[1] <= 'Z') || (optarg[1] >= 'a' && optarg[1] <= 'z'))) {
                fprintf(stderr, "manrs report: --country: expected a two-letter code, not '%s'\n", optarg);
                return 2;
            }
            a->o.country[0] = (char)(optarg[0] & ~0x20);
            a->o.country[1] = (char)(optarg[1] & ~0x20);
            scopes++;
            break;
        case 't':
            if (parse_u64(optarg, SIZE_MAX, &v) || v == 0) {
                fprintf(stderr, "manrs report: --top: expected a positive number, not '%s'\n", optarg);
                return 2;
            }
            a->o.top = (size_t)v;
            scopes++;
            break;
        case 'f':
            if (!(a->format = mrs_report_format_find(optarg))) {
                fprintf(stderr, "manrs report: --format: unknown format '%s' (table, json, csv, html, markdown)\n", optarg);
                return 2;
            }
            break;
        case 'o': a->out = optarg; break;
        case 'R': a->list_runs = true; break;
        case 'L': a->o.include_low = true; break;
        case 'h': fputs(REPORT_USAGE, stdout); return 0;
        default: fputs(REPORT_USAGE, stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "manrs report: unexpected argument '%s'\n\n%s", argv[optind], REPORT_USAGE);
        return 2;
    }
    if (latest && a->run) {
        fputs("manrs report: --run and --latest exclude each other\n", stderr);
        return 2;
    }
    if (scopes > 1) {
        fputs("manrs report: --as, --country and --top exclude each other\n", stderr);
        return 2;
    }
    return -1;
}

static int list_runs(mrs_store *s, const char *db)
{
    mrs_run_info *v;
    size_t n;
    if (mrs_store_runs(s, &v, &n)) {
        fprintf(stderr, "manrs report: %s\n", mrs_store_errmsg(s));
        return 1;
    }
    printf("%4s  %-10s  %-19s  %-19s  %8s  %9s  %s\n", "run", "status", "window start (UTC)", "window end",
           "networks", "incidents", "reason");
    for (size_t i = 0; i < n; i++) {
        char ws[32], we[32];
        time_t t0 = v[i].window_start, t1 = v[i].window_end;
        struct tm tm;
        strftime(ws, sizeof ws, "%Y-%m-%d %H:%M:%S", gmtime_r(&t0, &tm));
        strftime(we, sizeof we, "%Y-%m-%d %H:%M:%S", gmtime_r(&t1, &tm));
        printf("%4" PRId64 "  %-10s  %s  %s  %8" PRIu64 "  %9" PRIu64 "  %s\n", v[i].id, v[i].status, ws, we,
               v[i].n_networks, v[i].n_incidents, v[i].reason ? v[i].reason : "");
    }
    if (!n)
        printf("(no runs in %s)\n", db);
    mrs_run_infos_free(v, n);
    return 0;
}

/* --latest: the newest complete run; say so when newer runs failed or are incomplete. */
static int64_t pick_latest(mrs_store *s, const char *db)
{
    int64_t id = mrs_store_latest_complete(s);
    if (id < 0) {
        fprintf(stderr, "manrs report: %s\n", mrs_store_errmsg(s));
        return -1;
    }
    mrs_run_info *v;
    size_t n;
    if (mrs_store_runs(s, &v, &n)) {
        fprintf(stderr, "manrs report: %s\n", mrs_store_errmsg(s));
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (v[i].id > id)
            fprintf(stderr, "manrs report: note: run %" PRId64 " is %s%s%s; showing the newest complete run\n", v[i].id,
                    v[i].status, v[i].reason ? ": " : "", v[i].reason ? v[i].reason : "");
    mrs_run_infos_free(v, n);
    if (!id) {
        fprintf(stderr, "manrs report: %s: no complete run (run `manrs observe --db %s` first%s)\n", db, db,
                n ? "; --runs lists the others" : "");
        return -1;
    }
    return id;
}

int cmd_report(int argc, char **argv)
{
    struct report_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    char err[600];
    mrs_store *s = mrs_store_open_readonly(a.db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "manrs report: --db %s\n", err); /* err starts with the file name */
        return 1;
    }
    /* the name in messages and the report's header: the file, or the URL without
     * its password; the report outlives the handle */
    char name[1024];
    snprintf(name, sizeof name, "%s", mrs_store_name(s));
    if (a.list_runs) {
        rc = list_runs(s, name);
        mrs_store_close(s);
        return rc;
    }
    int64_t run = a.run ? a.run : pick_latest(s, name);
    if (run < 0) {
        mrs_store_close(s);
        return 1;
    }
    mrs_report r;
    if (mrs_report_load(s, name, run, &a.o, &r, err, sizeof err)) {
        fprintf(stderr, "manrs report: %s\n", err);
        mrs_store_close(s);
        return 1;
    }
    mrs_store_close(s);
    if (a.o.asn && !r.n_nets && !r.inc.n && mrs_report_run_complete(&r)) {
        fprintf(stderr, "manrs report: AS%" PRIu32 " does not appear in run %" PRId64 "\n", a.o.asn, run);
        mrs_report_clear(&r);
        return 1;
    }
    FILE *f = stdout;
    if (a.out && !(f = fopen(a.out, "w"))) {
        fprintf(stderr, "manrs report: -o %s: cannot open: %s\n", a.out, strerror(errno));
        mrs_report_clear(&r);
        return 1;
    }
    const mrs_report_format *fmt = a.format ? a.format : mrs_report_format_find("table");
    rc = fmt->print(f, &r, !a.out && isatty(fileno(stdout)) && !getenv("NO_COLOR"));
    errno = 0;
    int werr = fflush(f) != 0 ? (errno ? errno : EIO) : ferror(f) ? EIO : 0;
    if (f != stdout && fclose(f) && !werr)
        werr = errno ? errno : EIO;
    if (f == stdout && (werr || rc))
        rc = 1; /* main says "write error" */
    else if (werr || rc) {
        fprintf(stderr, "manrs report: -o %s: write error: %s\n", a.out, strerror(werr ? werr : EIO));
        rc = 1;
    }
    bool incomplete = !mrs_report_run_complete(&r);
    if (incomplete)
        fprintf(stderr, "manrs report: run %" PRId64 " is %s%s%s\n", run, r.run.status, r.run.reason ? ": " : "",
                r.run.reason ? r.run.reason : "");
    mrs_report_clear(&r);
    return rc || incomplete ? 1 : 0;
}
