/*
 * cmd_lg.c — `manrs lg QUERY`: load the observatory's inputs (observatory.h),
 * index the routes seen (apps/lg.h) and print, per collector peer, the route held
 * at a moment and the history over a window, with verdicts and MRT evidence.
 * Exit: 0 something matched, 1 nothing matched, 2 usage or input error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/lg.h"
#include "manrs/observatory/observatory.h"

#define LG_USAGE                                                                                                       \
    "usage: manrs lg [--world DIR] [--rib FILE]... [--updates FILE]... [--vrps FILE]...\n"                           \
    "                [--rtr HOST:PORT]... [--ris-live FILE]... [--irr FILE]... [--asrel FILE]\n"                    \
    "                [--delegated FILE]... [--peeringdb FILE]... [--spoofer FILE]... [--as2org FILE]...\n"         \
    "                [--beacons FILE]... [--files-from F] [--asrel-ipv6] [--strict-period]\n"                     \
    "                [--at T] [--from T] [--to T] [--longest | --more-specifics]\n"                                \
    "                [--origin ASN] [--transit ASN] [--path REGEX] [--limit N] [-j | --json]\n"                     \
    "                [PREFIX | ADDRESS | ASN]\n"                                                                    \
    "  Looking glass over the routes seen: for each collector peer, the route it held at a\n"                        \
    "  moment and its history over a window, each with its RPKI ROV, ASPA, IRR and bogon\n"                         \
    "  verdicts and the MRT file and byte offset that announced it. See docs/lg.md.\n"                               \
    "\n"                                                                                                             \
    "  PREFIX             routes for exactly this prefix (default), or with --longest /\n"                          \
    "                     --more-specifics; an ADDRESS alone means --longest\n"                                     \
    "  ASN                AS64500 (or 64500): the routes it originated, as --origin\n"                              \
    "\n" CLI_OBS_INPUT_HELP                                                                                          \
    "  --longest          per peer, the most specific route covering the address or prefix\n"                      \
    "  --more-specifics   the prefix and every prefix under it\n"                                                  \
    "  --origin ASN       routes originated by ASN\n"                                                              \
    "  --transit ASN      routes whose AS path passes through ASN (not as the origin)\n"                           \
    "  --path REGEX       routes whose AS path, written \"A B C\" (neighbour first, AS_SETs\n"                      \
    "                     as {a,b}), matches the POSIX extended regular expression REGEX\n"                        \
    "                     (e.g. '^3356 ', ' 3333$', '(^| )174( |$)')\n"                                               \
    "  --at T             the moment of the route shown per peer (default: the end of the data)\n"                  \
    "  --from T           start of the history window (default: the start of the data)\n"                         \
    "  --to T             end of the history window (default: the end of the data);\n"                            \
    "                     T is " CLI_TIME_HELP "\n"                                                                   \
    "  --limit N          show at most N routes (default 1000); says when truncated\n"                           \
    "  -j, --json         one JSON document instead of the table\n"                                                \
    "  -h, --help         this help\n"                                                                            \
    "\n"                                                                                                             \
    "Criteria combine: every one given must hold. File options are repeatable; files may\n"                      \
    "be compressed.\n"                                                                                               \
    "Exit status: 0 some route matched, 1 none matched, 2 usage or input error.\n"

enum { O_AT = 256, O_FROM, O_TO, O_LONGEST, O_MORE, O_ORIGIN, O_TRANSIT, O_PATH, O_LIMIT };

static bool parse_asn_opt(const char *opt, const char *s, uint32_t *asn)
{
    if (mrs_asn_parse(s, strlen(s), asn))
        return true;
    fprintf(stderr, "manrs lg: %s: '%s' is not an AS number\n", opt, s);
    return false;
}

static bool parse_time_opt(const char *opt, const char *s, uint32_t *t)
{
    if (cli_parse_time(s, t))
        return true;
    fprintf(stderr, "manrs lg: %s: '%s' is not a date or time (" CLI_TIME_HELP ")\n", opt, s);
    return false;
}

/* The positional query: an ASN, a prefix or an address (then longest match). */
static bool parse_query(const char *s, mrs_lg_query *q, bool *match_given)
{
    size_t n = strlen(s);
    if ((n > 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's')) || strspn(s, "0123456789.") == n) {
        uint32_t asn;
        if (!strchr(s, '.') || (n > 2 && (s[0] == 'A' || s[0] == 'a'))) {
            if (!mrs_asn_parse(s, n, &asn)) {
                fprintf(stderr, "manrs lg: '%s' is not an AS number\n", s);
                return false;
            }
            if (q->has_origin && q->origin != asn) {
                fprintf(stderr, "manrs lg: two different origins (%s and --origin)\n", s);
                return false;
            }
            q->has_origin = true;
            q->origin = asn;
            return true;
        }
    }
    if (!mrs_prefix_parse(s, n, &q->prefix, false)) {
        fprintf(stderr, "manrs lg: '%s' is neither a prefix, an address nor an AS number\n", s);
        return false;
    }
    q->has_prefix = true;
    if (!strchr(s, '/')) {
        if (*match_given && q->match == MRS_LG_MORE_SPECIFICS) {
            fprintf(stderr, "manrs lg: --more-specifics needs a prefix, not the address '%s'\n", s);
            return false;
        }
        q->match = MRS_LG_LONGEST;
    } else if (q->match != MRS_LG_LONGEST) {
        mrs_prefix p;
        if (!mrs_prefix_parse(s, n, &p, true)) {
            fprintf(stderr, "manrs lg: prefix '%s' has host bits set (--longest takes it as an address)\n", s);
            return false;
        }
    }
    return true;
}

int cmd_lg(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_OBS_INPUT_OPTIONS,
        {"at", required_argument, NULL, O_AT},       {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},       {"longest", no_argument, NULL, O_LONGEST},
        {"more-specifics", no_argument, NULL, O_MORE}, {"origin", required_argument, NULL, O_ORIGIN},
        {"transit", required_argument, NULL, O_TRANSIT}, {"path", required_argument, NULL, O_PATH},
        {"limit", required_argument, NULL, O_LIMIT}, {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0},
    };
    mrs_obs_inputs in;
    memset(&in, 0, sizeof in);
    mrs_lg_query q;
    memset(&q, 0, sizeof q);
    const char *path_pattern = NULL;
    bool json = false, match_given = false, have_re = false;
    regex_t re;
    int ch, rc = 2;
    cli_getopt g = {.cmd = "lg", .shortopts = "jh", .opts = opts, .in = &in};
    optind = 1;
    while ((ch = cli_next_option(&g, argc, argv)) != -1) {
        switch (ch) {
        case CLI_OPT_FAILED: goto out;   /* an input error is a usage error here (exit 2) */
        case O_AT: if (!parse_time_opt("--at", optarg, &q.at)) goto out; break;
        case O_FROM: if (!parse_time_opt("--from", optarg, &q.from)) goto out; break;
        case O_TO: if (!parse_time_opt("--to", optarg, &q.to)) goto out; break;
        case O_LONGEST:
        case O_MORE:
            if (match_given && q.match != (ch == O_LONGEST ? MRS_LG_LONGEST : MRS_LG_MORE_SPECIFICS)) {
                fprintf(stderr, "manrs lg: --longest and --more-specifics exclude each other\n");
                goto out;
            }
            match_given = true;
            q.match = ch == O_LONGEST ? MRS_LG_LONGEST : MRS_LG_MORE_SPECIFICS;
            break;
        case O_ORIGIN: if (!parse_asn_opt("--origin", optarg, &q.origin)) goto out; q.has_origin = true; break;
        case O_TRANSIT: if (!parse_asn_opt("--transit", optarg, &q.transit)) goto out; q.has_transit = true; break;
        case O_PATH: path_pattern = optarg; break;
        case O_LIMIT: {
            unsigned n;
            if (!cli_parse_uint(optarg, 1, 10000000, &n)) {
                fprintf(stderr, "manrs lg: --limit: '%s' is not a count from 1 to 10000000\n", optarg);
                goto out;
            }
            q.limit = n;
            break;
        }
        case 'j': json = true; break;
        case 'h': fputs(LG_USAGE, stdout); rc = 0; goto out;
        default: fputs(LG_USAGE, stderr); goto out;
        }
    }
    if (optind + 1 < argc) {
        fprintf(stderr, "manrs lg: one query expected, got %d\n\n%s", argc - optind, LG_USAGE);
        goto out;
    }
    if (optind < argc && !parse_query(argv[optind], &q, &match_given))
        goto out;
    if (match_given && !q.has_prefix) {
        fprintf(stderr, "manrs lg: --longest and --more-specifics need a prefix or an address\n");
        goto out;
    }
    if (path_pattern) {
        char why[160];
        if (!mrs_lg_path_compile(&re, path_pattern, why, sizeof why)) {
            fprintf(stderr, "manrs lg: --path '%s': %s\n", path_pattern, why);
            goto out;
        }
        have_re = true;
        q.path_re = &re;
    }
    if (!q.has_prefix && !q.has_origin && !q.has_transit && !q.path_re) {
        fprintf(stderr, "manrs lg: nothing to look for (a prefix, an address, an AS, --transit or --path)\n\n%s",
                LG_USAGE);
        goto out;
    }
    if (q.from && q.to && q.from > q.to) {
        fprintf(stderr, "manrs lg: --from is after --to\n");
        goto out;
    }
    if (!mrs_obs_inputs_total(&in) || in.n[MRS_IN_RIB] + in.n[MRS_IN_UPDATES] + in.n[MRS_IN_RIS_LIVE] == 0) {
        fprintf(stderr, "manrs lg: no routing data (--world, --rib, --updates, --ris-live)\n\n%s", LG_USAGE);
        goto out;
    }
    mrs_diag kd, md;
    mrs_obs_bundle b;
    mrs_lg *lg = NULL;
    mrs_lg_result res;
    memset(&res, 0, sizeof res);
    if (!cli_obs_load("lg", &in, &kd, &md, &b)) {
        /* said why */
    } else if (!(lg = mrs_lg_new(b.view, &b.kb, b.to)) || mrs_lg_run(lg, &q, &res) != 0) {
        fprintf(stderr, "manrs lg: out of memory\n");
    } else {
        char *text = NULL;
        if (json) {
            char qs[512] = "";
            for (int i = 1; i < argc; i++)
                if (strlen(qs) + strlen(argv[i]) + 2 < sizeof qs)
                    snprintf(qs + strlen(qs), sizeof qs - strlen(qs), "%s%s", *qs ? " " : "", argv[i]);
            text = mrs_lg_json(lg, &res, qs);
        }
        if (json ? !text || fputs(text, stdout) < 0 || putchar('\n') < 0 : mrs_lg_print_table(lg, &res, stdout) != 0) {
            if (json && !text)
                fprintf(stderr, "manrs lg: out of memory\n");
        } else
            rc = res.nroutes ? 0 : 1;
        free(text);
        for (size_t i = 0; i < b.n_warnings; i++)
            fprintf(stderr, "manrs lg: warning: %s\n", b.warnings[i]);
    }
    mrs_lg_result_clear(&res);
    mrs_lg_free(lg);
    mrs_obs_bundle_clear(&b);
out:
    if (have_re)
        regfree(&re);
    mrs_obs_inputs_clear(&in);
    return rc;
}
