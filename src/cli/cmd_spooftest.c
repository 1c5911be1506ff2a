/*
 * cmd_spooftest.c — `manrs spooftest`: a real source-address-validation test of
 * the generated anti-spoofing ACL in a lab of network namespaces
 * (src/apps/spooftest/, docs/spooftest.md). Argument parsing, the signals and
 * printing only.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/apps/spooftest.h"
#include "manrs/core/prefix.h"

static const char SPOOFTEST_USAGE[] =
    "usage: manrs spooftest [--json] [--keep-going] [--spoofer-csv FILE [--asn ASN]] [options]\n"
    "\n"
    "Source-address validation (MANRS Action 2) tested for real: builds a lab of Linux network\n"
    "namespaces (host - ce - pe - col, veth links, IPv4 and IPv6), sends UDP probes from the host\n"
    "with its own and with forged sources (another customer, the neighbouring /24 and /48,\n"
    "RFC 1918 / RFC 4193, unallocated, bogon) and records at the collector what arrived, in four\n"
    "runs: none (no filter), manrs-acl (the nftables ruleset `manrs antispoof` generates for the\n"
    "lab's multihomed customer, on pe's customer interface), urpf-strict and urpf-loose (RFC 3704,\n"
    "nftables fib). Needs root, iproute2 and nftables; everything is torn down on exit, also on\n"
    "SIGINT/SIGTERM. See docs/spooftest.md.\n"
    "\n"
    "  -j, --json             the result as JSON (runs, probes, verdict) instead of the table\n"
    "  -k, --keep-going       a run that cannot be set up does not stop the others\n"
    "  -s, --spoofer-csv FILE also write Spoofer CSV rows (what `manrs observe --spoofer` reads)\n"
    "  -a, --asn ASN          the network the Spoofer rows are for (default 64500, the lab's provider)\n"
    "      --spoofer-run RUN  the run the Spoofer rows describe (default manrs-acl)\n"
    "      --acl-out FILE     also write the generated nftables ruleset loaded in the manrs-acl run\n"
    "  -c, --copies N         copies of each probe (1..10, default 3)\n"
    "  -q, --quiet            no progress lines (shown only on a terminal anyway)\n"
    "  -h, --help             this help\n"
    "\n"
    "Exit status: 0 the generated ACL blocks every forged probe and passes every legitimate one\n"
    "(and with no filter every probe arrives); 1 it does not, a run could not be set up, or a\n"
    "file cannot be written; 2 usage error; 3 the lab cannot be built here (not root, no network\n"
    "namespaces, veth or nftables); 130/143 stopped by SIGINT/SIGTERM (torn down).\n";

static int write_file(const char *path, const char *what, int (*fn)(const mrs_st_result *, const void *, FILE *),
                      const mrs_st_result *r, const void *arg)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "manrs spooftest: cannot write %s %s: %s\n", what, path, strerror(errno));
        return -1;
    }
    int rc = fn(r, arg, f);
    if (fclose(f) != 0 || rc != 0) {
        fprintf(stderr, "manrs spooftest: cannot write %s %s%s\n", what, path,
                rc != 0 ? " (the run it describes was not measured)" : "");
        return -1;
    }
    return 0;
}

struct csv_arg {
    mrs_st_run_kind run;
    uint32_t asn;
};

static int csv_fn(const mrs_st_result *r, const void *arg, FILE *f)
{
    const struct csv_arg *a = arg;
    return mrs_st_print_spoofer_csv(r, a->run, a->asn, (uint32_t)time(NULL), f);
}

static int acl_fn(const mrs_st_result *r, const void *arg, FILE *f)
{
    (void)arg;
    return r->acl_text && fputs(r->acl_text, f) >= 0 ? 0 : -1;
}

int cmd_spooftest(int argc, char **argv)
{
    enum { OPT_RUN = 1000, OPT_ACL };
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},          {"keep-going", no_argument, NULL, 'k'},
        {"spoofer-csv", required_argument, NULL, 's'}, {"asn", required_argument, NULL, 'a'},
        {"spoofer-run", required_argument, NULL, OPT_RUN}, {"acl-out", required_argument, NULL, OPT_ACL},
        {"copies", required_argument, NULL, 'c'},  {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    bool json = false, quiet = false;
    const char *csv = NULL, *acl_out = NULL;
    struct csv_arg ca = {MRS_ST_RUN_ACL, mrs_st_lab_addrs()->provider_as};
    mrs_st_opts o = {3, false, -1, false};
    unsigned u;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "jks:a:c:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'j': json = true; break;
        case 'k': o.keep_going = true; break;
        case 's': csv = optarg; break;
        case 'a':
            if (!mrs_asn_parse(optarg, strlen(optarg), &ca.asn) || ca.asn == 0) {
                fprintf(stderr, "manrs spooftest: bad AS number for --asn: \"%s\"\n", optarg);
                return 2;
            }
            break;
        case OPT_RUN:
            if (!mrs_st_run_parse(optarg, &ca.run)) {
                fprintf(stderr, "manrs spooftest: unknown run \"%s\" (none, manrs-acl, urpf-strict, urpf-loose)\n",
                        optarg);
                return 2;
            }
            break;
        case OPT_ACL: acl_out = optarg; break;
        case 'c':
            if (!cli_parse_uint(optarg, 1, 10, &u)) {
                fprintf(stderr, "manrs spooftest: --copies takes 1..10\n");
                return 2;
            }
            o.copies = u;
            break;
        case 'q': quiet = true; break;
        case 'h': fputs(SPOOFTEST_USAGE, stdout); return 0;
        default: fputs(SPOOFTEST_USAGE, stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "manrs spooftest: no arguments are taken (\"%s\")\n\n%s", argv[optind], SPOOFTEST_USAGE);
        return 2;
    }
    o.progress = !quiet && isatty(STDERR_FILENO);

    /* SIGINT, SIGTERM, SIGHUP: blocked and read from a signalfd that the lab
     * polls between and during its steps; it then tears down and we exit. */
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &sigs, &old) < 0 || (o.stop_fd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
        fprintf(stderr, "manrs spooftest: cannot watch the signals: %s\n", strerror(errno));
        return 1;
    }
    mrs_st_result r;
    char err[512] = "";
    mrs_st_status st = mrs_st_run(&o, &r, err, sizeof err);
    int signo = 0;
    struct signalfd_siginfo si;
    if (st == MRS_ST_STOPPED && read(o.stop_fd, &si, sizeof si) == (ssize_t)sizeof si)
        signo = (int)si.ssi_signo;
    close(o.stop_fd);
    sigprocmask(SIG_SETMASK, &old, NULL);

    int rc;
    switch (st) {
    case MRS_ST_NO_LAB:
        fprintf(stderr, "manrs spooftest: cannot build the lab: %s\n", err);
        mrs_st_result_clear(&r);
        return 3;
    case MRS_ST_STOPPED:
        fprintf(stderr, "manrs spooftest: %s\n", err);
        mrs_st_result_clear(&r);
        return 128 + (signo ? signo : SIGINT);
    case MRS_ST_ERROR:
        fprintf(stderr, "manrs spooftest: %s\n", err);
        mrs_st_result_clear(&r);
        return 1;
    case MRS_ST_RUN_FAILED:
        fprintf(stderr, "manrs spooftest: %s\n", err[0] ? err : "a run could not be set up");
        break;
    case MRS_ST_DONE: break;
    }
    mrs_st_verdict v;
    mrs_st_judge(&r, &v);
    rc = v.ok ? 0 : 1;
    if ((json ? mrs_st_print_json(&r, stdout) : mrs_st_print_table(&r, stdout)) != 0)
        rc = 1;   /* a write error: main says which */
    if (csv && write_file(csv, "the Spoofer CSV", csv_fn, &r, &ca) != 0)
        rc = 1;
    if (acl_out && write_file(acl_out, "the ruleset", acl_fn, &r, NULL) != 0)
        rc = 1;
    mrs_st_result_clear(&r);
    return rc;
}
