/*
 * cmd_conformance.c — `manrs conformance --participants FILE [inputs]`: one
 * period's verdicts per participant and committed Action, the enforcement state,
 * stored per period (apps/programme.h, docs/programme.md).
 * Exit: 0 no participant failing, 3 at least one not conformant, 1 input or store
 * error (a damaged registry entry included), 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/programme.h"

#define CONF_USAGE                                                                                                     \
    "usage: manrs conformance --participants FILE [--db FILE|URL | --no-db] [--period YYYY-MM]\n"                 \
    "                         [--disputes FILE] [--format table|json|csv|public]\n"                                 \
    "                         [--from T] [--to T] [--min-peers N] [--include-low]\n"                              \
    "                         [inputs: --world DIR | --rib ...]\n"                                                \
    "  A period's MANRS conformance: for every participant of the registry and every\n"                           \
    "  Action it committed to, conformant / not-conformant / no-data from the\n"                                   \
    "  observatory's high-confidence results, with the incidents and metrics behind it;\n"                         \
    "  the enforcement state (conformant, notice, grace, suspended, reinstated) carried\n"                         \
    "  on from the store's earlier periods. See docs/programme.md.\n"                                               \
    "\n"                                                                                                             \
    "  --participants F   the participants registry (YAML, docs/participants.schema.json)\n"                        \
    "  --db FILE|URL      the store: the run, the period's verdicts and states (default manrs.db)\n"              \
    "  --no-db            keep nothing: the states start from conformant\n"                                          \
    "  --period YYYY-MM   the period (default: the month the routing data starts in); the\n"                      \
    "                     routing data must start in it\n"                                                           \
    "  --disputes FILE    participants' disputes of incidents (YAML): excluded from their verdicts\n"              \
    "  --rs-rib FILE      an IXP route server's RIB dump (MRT): the Action 1 of the IXP participant\n"            \
    "                     whose peering LAN its members are in, as manrs ixp checks it (--world:\n"             \
    "                     the world's rs.mrt.gz)\n"                                                              \
    "  --format F         table (default), json, csv, or public (Markdown: commitments vs measured)\n"           \
    "  --from T           the observed window starts at T, as for observe (updates before\n"                     \
    "                     it are the baseline); T is " CLI_TIME_HELP "\n"                                    \
    "  --to T             the observed window ends at T\n"                                                         \
    "  --min-peers N      announced = seen by at least N collector peers (default 5, adapted as observe)\n"       \
    "  --include-low      low-confidence incidents count too (default: high only)\n"                             \
    "  -h, --help         this help\n"                                                                               \
    "\n" CLI_OBS_INPUT_HELP "\n"                                                                                     \
    "Exit status: 0 no participant is failing; 3 at least one is not conformant; 1 input or\n"                    \
    "store error, or a registry entry had to be skipped; 2 usage error.\n"

enum { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_PUBLIC };

int cmd_conformance(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_OBS_INPUT_OPTIONS,
        {"participants", required_argument, NULL, 1001},
        {"db", required_argument, NULL, 1002},
        {"no-db", no_argument, NULL, 1003},
        {"period", required_argument, NULL, 1004},
        {"disputes", required_argument, NULL, 1005},
        {"format", required_argument, NULL, 1006},
        {"min-peers", required_argument, NULL, 1007},
        {"include-low", no_argument, NULL, 1008},
        {"from", required_argument, NULL, 1009},
        {"to", required_argument, NULL, 1010},
        {"rs-rib", required_argument, NULL, 1011},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    mrs_obs_inputs in;
    memset(&in, 0, sizeof in);
    prog_opts po;
    memset(&po, 0, sizeof po);
    mrs_score_cfg_default(&po.cfg.score);
    const char *registry = NULL, *db = "manrs.db";
    const char **rs = calloc((size_t)argc + 1, sizeof *rs);
    char world_rs[4096];
    if (!rs)
        return 1;
    static const char *const formats[] = {"table", "json", "csv", "public", NULL};
    int fmt = FMT_TABLE, ch, rc = 2;
    cli_getopt g = {.cmd = "conformance", .shortopts = "h", .opts = opts, .in = &in};
    optind = 1;
    while ((ch = cli_next_option(&g, argc, argv)) != -1) {
        switch (ch) {
        case CLI_OPT_FAILED: rc = 1; goto out;
        case 1001: registry = optarg; break;
        case 1002: db = optarg; break;
        case 1003: db = NULL; break;
        case 1004: po.period = optarg; break;
        case 1005: po.disputes = optarg; break;
        case 1006:
            if ((fmt = cli_choice("conformance", "--format", optarg, formats)) < 0)
                goto out;
            break;
        case 1007:
            if (!cli_obs_min_peers("conformance", optarg, &po.cfg))
                goto out;
            break;
        case 1008: po.cfg.score.include_low = true; break;
        case 1011: rs[po.n_rs_ribs++] = optarg; break;
        case 1009:
        case 1010:
            if (!cli_parse_time(optarg, ch == 1009 ? &in.from : &in.to)) {
                fprintf(stderr, "manrs conformance: --%s: bad time '%s' (" CLI_TIME_HELP ")\n",
                        ch == 1009 ? "from" : "to", optarg);
                goto out;
            }
            break;
        case 'h': fputs(CONF_USAGE, stdout); rc = 0; goto out;
        default: fputs(CONF_USAGE, stderr); goto out;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "manrs conformance: unexpected argument '%s'\n\n%s", argv[optind], CONF_USAGE);
        goto out;
    }
    if (!registry) {
        fprintf(stderr, "manrs conformance: --participants FILE is required\n\n%s", CONF_USAGE);
        goto out;
    }
    if (!mrs_obs_inputs_total(&in)) {
        fprintf(stderr, "manrs conformance: no input (--world or the individual files)\n\n%s", CONF_USAGE);
        goto out;
    }
    if (po.period && !mrs_period_parse(po.period, NULL, NULL)) {
        fprintf(stderr, "manrs conformance: --period: '%s' is not a month YYYY-MM\n", po.period);
        goto out;
    }
    /* a simulated world's route server (sim.h: rs.mrt.gz), unless RIBs were named */
    if (!po.n_rs_ribs && cli_world_rs_rib(g.world, world_rs, sizeof world_rs))
        rs[po.n_rs_ribs++] = world_rs;
    po.rs_ribs = rs;
    rc = 1;
    mrs_store *st = NULL;
    if (db) {
        char err[512];
        if (!(st = mrs_store_open(db, err, sizeof err))) {
            fprintf(stderr, "manrs conformance: %s\n", err);
            goto out;
        }
    }
    mrs_diag kd, md;
    cli_diags(&kd, &md, 20);
    prog_result r;
    memset(&r, 0, sizeof r);
    char err[512];
    if (prog_conformance(registry, &in, &po, st, &kd, &md, &r, err, sizeof err) != 0) {
        fprintf(stderr, "manrs conformance: %s\n", err);
    } else {
        if (r.rs_unmatched)
            fprintf(stderr, "manrs conformance: %zu route-server RIB%s match%s no IXP participant's peering LAN "
                            "(not used)\n", r.rs_unmatched, r.rs_unmatched == 1 ? "" : "s",
                    r.rs_unmatched == 1 ? "es" : "");
        int w = fmt == FMT_JSON ? prog_print_json(&r, stdout)
              : fmt == FMT_CSV  ? prog_print_csv(&r, stdout)
              : fmt == FMT_PUBLIC ? prog_print_public(&r, stdout)
                                  : prog_print_table(&r, stdout);
        if (w != 0) {
            cli_write_failed("conformance");
        } else if (r.obs.failed) {
            fprintf(stderr, "manrs conformance: an input could not be used (see above)\n");
        } else if (r.reg.skipped || r.disputes.skipped) {
            fprintf(stderr, "manrs conformance: %llu registry or dispute entries were skipped (see above)\n",
                    (unsigned long long)(r.reg.skipped + r.disputes.skipped));
        } else {
            rc = 0;
            for (size_t i = 0; i < r.conf.n; i++)
                if (r.conf.v[i].outcome == MRS_VERDICT_NOT)
                    rc = 3;
        }
    }
    prog_result_clear(&r);
    if (st)
        mrs_store_close(st);
out:
    mrs_obs_inputs_clear(&in);
    free(rs);
    return rc;
}
