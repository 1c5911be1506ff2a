/*
 * cmd_providers.c — `manrs providers ASN`: a customer's view of its providers,
 * their MANRS standing and the incidents they passed on (apps/providers.h,
 * docs/providers.md).
 * Exit: 0 every provider that is a participant is conformant (or no data), 3 at
 * least one is not conformant or is in notice, grace or suspended, 1 input, store
 * or write error or an AS no input knows, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/providers.h"

#define PROV_USAGE                                                                                                     \
    "usage: manrs providers [--asrel FILE] [--participants FILE] [--db FILE|URL] [--disputes FILE]\n"              \
    "                       [--format table|json|html] [--min-peers N] [--include-low]\n"                           \
    "                       [inputs: --world DIR | --rib ...] ASN\n"                                                  \
    "  A customer's view of its providers: do my upstreams keep their MANRS word?\n"                               \
    "  The AS's upstreams from CAIDA as-rel (its providers) and from the observed AS\n"                            \
    "  paths (the AS just before it), each with its programme standing (registry,\n"                              \
    "  stored enforcement state, per-Action conformance for this data), and the\n"                                 \
    "  high-confidence incidents a provider propagated. See docs/providers.md.\n"                                  \
    "\n"                                                                                                             \
    "  --participants F   the participants registry (YAML): who is a participant, and (with\n"                      \
    "                     routing inputs) the providers' conformance as `manrs conformance`\n"                      \
    "  --db FILE|URL      a store to read the providers' latest enforcement states from (read only)\n"             \
    "  --disputes FILE    participants' disputes of incidents (YAML), for the verdicts\n"                          \
    "  --format F         table (default), json, or html (one self-contained page)\n"                             \
    "  --min-peers N      announced = seen by at least N collector peers (as conformance)\n"                       \
    "  --include-low      low-confidence incidents too (verdicts and exposure; default: high only)\n"          \
    "  -h, --help         this help\n"                                                                               \
    "\n" CLI_OBS_INPUT_HELP "\n"                                                                                     \
    "Without routing data (only --asrel), the upstreams are as-rel's providers and paths are\n"                      \
    "\"not given\". Exit status: 0 every provider that is a participant is conformant (or\n"                        \
    "no data); 3 at least one is not conformant, or in notice, grace or suspended; 1 input,\n"                  \
    "store or write error, or an AS no input knows; 2 usage error.\n"

enum { FMT_TABLE, FMT_JSON, FMT_HTML };

int cmd_providers(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_OBS_INPUT_OPTIONS,
        {"participants", required_argument, NULL, 1001},
        {"db", required_argument, NULL, 1002},
        {"disputes", required_argument, NULL, 1003},
        {"format", required_argument, NULL, 1004},
        {"min-peers", required_argument, NULL, 1005},
        {"include-low", no_argument, NULL, 1006},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    mrs_obs_inputs in;
    memset(&in, 0, sizeof in);
    prov_opts po;
    memset(&po, 0, sizeof po);
    mrs_score_cfg_default(&po.cfg.score);
    static const char *const formats[] = {"table", "json", "html", NULL};
    int fmt = FMT_TABLE, ch, rc = 2;
    cli_getopt g = {.cmd = "providers", .shortopts = "h", .opts = opts, .in = &in};
    optind = 1;
    while ((ch = cli_next_option(&g, argc, argv)) != -1) {
        switch (ch) {
        case CLI_OPT_FAILED: rc = 1; goto out;
        case 1001: po.registry = optarg; break;
        case 1002: po.db = optarg; break;
        case 1003: po.disputes = optarg; break;
        case 1004:
            if ((fmt = cli_choice("providers", "--format", optarg, formats)) < 0)
                goto out;
            break;
        case 1005:
            if (!cli_obs_min_peers("providers", optarg, &po.cfg))
                goto out;
            break;
        case 1006:
            po.include_low = true;
            po.cfg.score.include_low = true;
            break;
        case 'h': fputs(PROV_USAGE, stdout); rc = 0; goto out;
        default: fputs(PROV_USAGE, stderr); goto out;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "manrs providers: exactly one ASN expected\n\n%s", PROV_USAGE);
        goto out;
    }
    const char *as = argv[optind];
    uint32_t asn;
    if (!mrs_asn_parse(as, strlen(as), &asn) || !asn) {
        fprintf(stderr, "manrs providers: '%s' is not an AS number\n\n%s", as, PROV_USAGE);
        goto out;
    }
    if (!in.n[MRS_IN_ASREL] && !in.n[MRS_IN_RIB] && !in.n[MRS_IN_UPDATES] && !in.n[MRS_IN_RIS_LIVE]) {
        fprintf(stderr, "manrs providers: no input that names upstreams (--asrel, --world or routing data)\n\n%s",
                PROV_USAGE);
        goto out;
    }
    rc = 1;
    mrs_diag kd, md;
    cli_diags(&kd, &md, 20);
    prov_result r;
    memset(&r, 0, sizeof r);
    char err[512];
    bool failed = false;
    if (prov_run(asn, &in, &po, &kd, &md, &r, &failed, err, sizeof err) != 0) {
        fprintf(stderr, "manrs providers: %s\n", err);
    } else if (failed) {
        fprintf(stderr, "manrs providers: an input could not be used, or a registry entry was skipped (see above)\n");
    } else if (!r.known) {
        fprintf(stderr, "manrs providers: AS%u is not in any input (as-rel links, routing data)\n", asn);
    } else {
        int w = fmt == FMT_JSON ? prov_print_json(&r, stdout)
              : fmt == FMT_HTML ? prov_print_html(&r, stdout)
                                : prov_print_table(&r, stdout);
        if (w != 0)
            cli_write_failed("providers");
        else
            rc = prov_any_failing(&r) ? 3 : 0;
    }
    prov_result_clear(&r);
out:
    mrs_obs_inputs_clear(&in);
    return rc;
}
