/*
 * cmd_serve.c — `manrs serve`: argument parsing for the web observatory (the
 * server is src/apps/serve/).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/serve.h"
#include "manrs/observatory/observatory.h"

static const char SERVE_USAGE[] =
    "usage: manrs serve --db FILE|URL [--listen ADDR:PORT] [options]\n"
    "                   [--lg-world DIR | --lg-rib FILE... --lg-updates FILE... --lg-vrps FILE...]\n"
    "\n"
    "The web observatory over a store written by `manrs observe`: pages for people (overview,\n"
    "countries with a world map, networks, one network with its incidents as culprit, accomplice\n"
    "and victim, incidents, one incident with all its evidence, search) and a JSON API under\n"
    "/api/v1/ (docs/api.md, docs/openapi.json). Read-only; a newer complete run is picked up\n"
    "within a second. No script and no request to anywhere else. See docs/serve.md.\n"
    "\n"
    "  -d, --db FILE|URL       the observatory store (required)\n"
    "  -l, --listen ADDR:PORT  address to listen on (default 127.0.0.1:8080; port 0 = any free)\n"
    "  -p, --port-file FILE    write the bound port to FILE once listening (for scripts)\n"
    "  -m, --map FILE          world-atlas countries TopoJSON for the map (default\n"
    "                          " SERVE_MAP_DEFAULT ", installed by scripts/deps.sh)\n"
    "  -i, --iso-codes FILE    ISO 3166-1 names and codes (default\n"
    "                          " SERVE_ISO_DEFAULT ")\n"
    "  -c, --max-clients N     concurrent connections (default 1024)\n"
    "  -t, --timeout SEC       close a connection idle for SEC seconds (default 30)\n"
    "\n"
    "The looking glass (/lg and /api/v1/lg, docs/lg.md): routing data and knowledge loaded\n"
    "once at start, as `manrs lg` loads them; without routing data the page says it is not\n"
    "configured and the API answers 404. File options are repeatable:\n"
    "  --lg-world DIR          every file `manrs sim` wrote into DIR\n"
    "  --lg-rib FILE           MRT RIB dump\n"
    "  --lg-updates FILE       MRT updates\n"
    "  --lg-ris-live FILE      RIPE RIS Live JSON lines\n"
    "  --lg-files-from F       MRT files listed in F, one per line\n"
    "  --lg-vrps FILE          VRPs (rpki-client, Routinator, StayRTR JSON or CSV): ROV, ASPA\n"
    "  --lg-irr FILE           RPSL dump (route objects): the IRR verdict\n"
    "  --lg-asrel FILE         CAIDA AS relationships\n"
    "  --lg-delegated FILE     RIR delegated-extended statistics: unallocated space\n"
    "  -h, --help              this help\n"
    "\n"
    "Signals: SIGINT/SIGTERM stop. Exit status: 0 after a clean stop, 1 if the store cannot be\n"
    "opened or the address not bound, 2 on usage errors.\n";

#define LG_OPT 1024

int cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},        {"listen", required_argument, NULL, 'l'},
        {"port-file", required_argument, NULL, 'p'}, {"map", required_argument, NULL, 'm'},
        {"iso-codes", required_argument, NULL, 'i'}, {"max-clients", required_argument, NULL, 'c'},
        {"timeout", required_argument, NULL, 't'},   {"help", no_argument, NULL, 'h'},
        /* the looking glass's inputs: the observatory's input options, renamed */
        {"lg-world", required_argument, NULL, LG_OPT + 'w'},
        {"lg-rib", required_argument, NULL, LG_OPT + 'r'},
        {"lg-updates", required_argument, NULL, LG_OPT + 'u'},
        {"lg-ris-live", required_argument, NULL, LG_OPT + 'J'},
        {"lg-files-from", required_argument, NULL, LG_OPT + 'l'},
        {"lg-vrps", required_argument, NULL, LG_OPT + 'v'},
        {"lg-irr", required_argument, NULL, LG_OPT + 'i'},
        {"lg-asrel", required_argument, NULL, LG_OPT + 'a'},
        {"lg-delegated", required_argument, NULL, LG_OPT + 'd'},
        {NULL, 0, NULL, 0}};
    serve_opts o;
    memset(&o, 0, sizeof o);
    mrs_obs_inputs in;
    memset(&in, 0, sizeof in);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:l:p:m:i:c:t:h", longopts, NULL)) != -1) {
        bool ok = true;
        if (c >= LG_OPT) {   /* cli_obs_input_option's letters, shifted */
            if (cli_obs_input_option("serve", c - LG_OPT, optarg, &in) != 1)
                goto usage;
            continue;
        }
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'l': o.listen = optarg; break;
        case 'p': o.port_file = optarg; break;
        case 'm': o.map = optarg; break;
        case 'i': o.iso_codes = optarg; break;
        case 'c': ok = cli_parse_uint(optarg, 1, 1000000, &o.max_clients); break;
        case 't': ok = cli_parse_uint(optarg, 1, 86400, &o.timeout_s); break;
        case 'h': fputs(SERVE_USAGE, stdout); mrs_obs_inputs_clear(&in); return 0;
        default: fputs(SERVE_USAGE, stderr); goto usage;
        }
        if (!ok) {
            fprintf(stderr, "manrs serve: bad value '%s' for --%s\n", optarg, c == 'c' ? "max-clients" : "timeout");
            goto usage;
        }
    }
    if (optind < argc || !o.db) {
        fprintf(stderr, "manrs serve: %s\n\n", o.db ? "unexpected argument" : "no --db FILE|URL given");
        fputs(SERVE_USAGE, stderr);
        goto usage;
    }
    if (mrs_obs_inputs_total(&in)) {
        if (in.n[MRS_IN_RIB] + in.n[MRS_IN_UPDATES] + in.n[MRS_IN_RIS_LIVE] == 0) {
            fprintf(stderr, "manrs serve: the looking glass needs routing data (--lg-world, --lg-rib, "
                            "--lg-updates, --lg-ris-live)\n");
            goto usage;
        }
        o.lg_inputs = &in;
    }
    int rc = serve_run(&o);
    mrs_obs_inputs_clear(&in);
    return rc;
usage:
    mrs_obs_inputs_clear(&in);
    return 2;
}
