/*
 * cmd_check.c — `manrs check ASN`: load the observatory's inputs (observatory.h),
 * assess the AS on the four MANRS actions (check.h), print a table or JSON.
 * Exit: 0 it ran (whatever the verdicts), 1 input error or unknown AS, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/check.h"

#define CHECK_USAGE                                                                                                    \
    "usage: manrs check [--world DIR] [--rib FILE]... [--updates FILE]... [--vrps FILE]...\n"                        \
    "                   [--rtr HOST:PORT]... [--ris-live FILE]...\n"                                                \
    "                   [--irr FILE]... [--asrel FILE] [--delegated FILE]... [--peeringdb FILE]...\n"                \
    "                   [--spoofer FILE]... [--as2org FILE]... [--beacons FILE]... [--asrel-ipv6]\n"              \
    "                   [--strict-period]\n"                                                                        \
    "                   [--min-peers N]\n"                                                                          \
    "                   [--acl-format ios|junos|eos|nftables] [--stale-days N] [--now T]\n"                          \
    "                   [-j | --json] ASN\n"                                                                          \
    "  MANRS self-assessment of one network: per action PASS/FAIL/NO-DATA, the evidence\n"                           \
    "  and the exact remediation (ROAs, route objects, ACL, contacts). See docs/check.md.\n"                         \
    "\n"                                                                                                             \
    CLI_OBS_INPUT_HELP                                                                                                 \
    "  --min-peers N      originates = seen by at least N collector peers (default 1)\n"                             \
    "  --acl-format F     dialect of the suggested ACL: ios (default), junos, eos, nftables\n"                       \
    "  --stale-days N     contacts unchanged for N days do not count (default 730, 0 = off)\n"                        \
    "  --now T            reference date for --stale-days (default: newest date in the data);\n"                      \
    "                     T is " CLI_TIME_HELP "\n"                                                                   \
    "  -j, --json         one JSON object instead of the table\n"                                                    \
    "  -h, --help         this help\n"                                                                               \
    "\n"                                                                                                             \
    "File options are repeatable; files may be compressed.\n"                                                        \
    "Exit status, for scripts: 0 every action PASS; 3 at least one action FAIL; 4 none\n"                           \
    "FAIL but at least one NO-DATA; 1 input or write error, or an AS named by no input;\n"                           \
    "2 usage error.\n"

/* The exit status a script tests: FAIL outranks NO-DATA (documented in CHECK_USAGE,
 * docs/check.md and manrs.1). */
enum { CHECK_EXIT_PASS = 0, CHECK_EXIT_FAIL = 3, CHECK_EXIT_NO_DATA = 4 };
static int verdict_status(const mrs_check_result *r)
{
    int rc = CHECK_EXIT_PASS;
    for (int a = 1; a <= 4; a++) {
        if (r->act[a].verdict == MRS_CHECK_FAIL)
            return CHECK_EXIT_FAIL;
        if (r->act[a].verdict == MRS_CHECK_NO_DATA)
            rc = CHECK_EXIT_NO_DATA;
    }
    return rc;
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_OBS_INPUT_OPTIONS,
        {"min-peers", required_argument, NULL, 'm'},
        {"acl-format", required_argument, NULL, 'f'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"stale-days", required_argument, NULL, 'S'},
        {"now", required_argument, NULL, 'N'},
        {NULL, 0, NULL, 0},
    };
    mrs_obs_inputs in;
    memset(&in, 0, sizeof in);
    mrs_check_opts co = {.min_peers = 1, .acl_format = MRS_ACL_IOS, .stale_days = 730};
    bool json = false;
    int ch, rc = 2;
    cli_getopt g = {.cmd = "check", .shortopts = "jh", .opts = opts, .in = &in};
    optind = 1;
    while ((ch = cli_next_option(&g, argc, argv)) != -1) {
        switch (ch) {
        case CLI_OPT_FAILED: rc = 1; goto out;
        case 'm':
            if (!cli_min_peers("check", optarg, &co.min_peers))
                goto out;
            break;
        case 'f':
            if (!mrs_acl_format_parse(optarg, &co.acl_format) || co.acl_format == MRS_ACL_JSON) {
                fprintf(stderr, "manrs check: --acl-format: '%s' is not ios, junos, eos or nftables\n", optarg);
                goto out;
            }
            break;
        case 'S': {
            char *end;
            unsigned long x = strtoul(optarg, &end, 10);
            if (!*optarg || *end || x > 36500) {
                fprintf(stderr, "manrs check: --stale-days: bad count '%s' (0 turns the check off)\n", optarg);
                goto out;
            }
            co.stale_days = (unsigned)x;
            break;
        }
        case 'N': {
            uint32_t t;
            if (!cli_parse_time(optarg, &t) || t < 86400) {
                fprintf(stderr, "manrs check: --now: '%s' is not a date or time (" CLI_TIME_HELP ")\n", optarg);
                goto out;
            }
            co.now_days = t / 86400;
            break;
        }
        case 'j': json = true; break;
        case 'h': fputs(CHECK_USAGE, stdout); rc = 0; goto out;
        default: fputs(CHECK_USAGE, stderr); goto out;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "manrs check: exactly one ASN expected\n\n%s", CHECK_USAGE);
        goto out;
    }
    const char *as = argv[optind];
    uint32_t asn;
    if (!mrs_asn_parse(as, strlen(as), &asn)) {
        fprintf(stderr, "manrs check: '%s' is not an AS number\n\n%s", as, CHECK_USAGE);
        goto out;
    }
    if (!mrs_obs_inputs_total(&in)) {
        fprintf(stderr, "manrs check: no input (--world or the individual files)\n\n%s", CHECK_USAGE);
        goto out;
    }
    rc = 1;
    mrs_diag kd, md;
    mrs_obs_bundle b;
    mrs_check_result r;
    memset(&r, 0, sizeof r);
    if (!cli_obs_load("check", &in, &kd, &md, &b)) {
        /* said why */
    } else if (!mrs_check_known(&b, asn)) {
        fprintf(stderr, "manrs check: AS%u is not in any input (routing data, as-rel, IRR aut-num, PeeringDB, "
                        "Spoofer)\n", asn);
    } else if (mrs_check_run(&b, asn, &co, &r) != 0) {
        fprintf(stderr, "manrs check: out of memory\n");
    } else if ((json ? mrs_check_print_json(&r, stdout) : mrs_check_print_table(&r, stdout)) != 0) {
        cli_write_failed("check");
    } else
        rc = verdict_status(&r);
    mrs_check_clear(&r);
    mrs_obs_bundle_clear(&b);
out:
    mrs_obs_inputs_clear(&in);
    return rc;
}
