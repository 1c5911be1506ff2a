/*
 * cmd_rtrd.c — `manrs rtrd`: argument parsing for the RTR cache server (the
 * server itself is src/apps/rtrd/rtrd.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/rtrd.h"

static const char RTRD_USAGE[] =
    "usage: manrs rtrd (--vrps FILE | --rtr HOST:PORT)... [--slurm FILE] [--listen ADDR:PORT] [options]\n"
    "\n"
    "Serve VRPs and ASPAs to routers over the RPKI-to-Router protocol: versions 0 (RFC 6810),\n"
    "1 (RFC 8210) and 2 (draft-ietf-sidrops-8210bis-10, ASPA; as StayRTR speaks it), chosen by\n"
    "the router's first PDU. Reset and incremental (Serial Query) updates, Serial Notify on\n"
    "changes. Files: anything --vrps reads elsewhere (rpki-client, Routinator, StayRTR JSON,\n"
    "CSV; compressed or not). See docs/rtrd.md.\n"
    "\n"
    "  -v, --vrps FILE         VRP/ASPA file to serve (repeatable; at least one)\n"
    "  -r, --rtr HOST:PORT     an upstream RTR cache whose table is served too: fetched at start, then\n"
    "                          followed over RTR (Serial Notify, deltas) (repeatable; a broken\n"
    "                          session keeps the data served)\n"
    "  -s, --slurm FILE        local exceptions (SLURM, RFC 8416): prefix filters and assertions\n"
    "  -l, --listen ADDR:PORT  address to listen on (default 127.0.0.1:3323; port 0 = any free)\n"
    "  -p, --port-file FILE    write the bound port to FILE once listening (for scripts)\n"
    "  -P, --poll SEC          check the files for changes every SEC seconds (default 60)\n"
    "  -n, --notify-interval SEC  Serial Notify at most every SEC seconds (default 60; 0 = at once)\n"
    "  -H, --history N         versions kept for incremental updates (default 32; older: Cache Reset)\n"
    "      --refresh SEC       End of Data refresh interval for version 1 and 2 routers (default 3600;\n"
    "                          RFC 8210 §6: 1-86400)\n"
    "      --retry SEC         End of Data retry interval (default 600; 1-7200)\n"
    "      --expire SEC        End of Data expire interval (default 7200; 600-172800; above the other two)\n"
    "  -t, --timeout SEC       close a router that stops reading with data due, or leaves a PDU\n"
    "                          unfinished (or sends none after connecting), for SEC seconds (default 60)\n"
    "  -c, --max-clients N     concurrent routers (default 10000)\n"
    "  -h, --help              this help\n"
    "\n"
    "Signals: SIGHUP reloads the files (a failed load keeps the data served); SIGINT/SIGTERM stop.\n"
    "Exit status: 0 after a clean stop, 1 if the files cannot be loaded or the address not\n"
    "bound, 2 on usage errors.\n";

int cmd_rtrd(int argc, char **argv)
{
    enum { OPT_REFRESH = 256, OPT_RETRY, OPT_EXPIRE };
    static const struct option longopts[] = {
        {"vrps", required_argument, NULL, 'v'},        {"listen", required_argument, NULL, 'l'},
        {"slurm", required_argument, NULL, 's'},       {"rtr", required_argument, NULL, 'r'},
        {"port-file", required_argument, NULL, 'p'},   {"poll", required_argument, NULL, 'P'},
        {"notify-interval", required_argument, NULL, 'n'}, {"history", required_argument, NULL, 'H'},
        {"refresh", required_argument, NULL, OPT_REFRESH}, {"retry", required_argument, NULL, OPT_RETRY},
        {"expire", required_argument, NULL, OPT_EXPIRE}, {"timeout", required_argument, NULL, 't'},
        {"max-clients", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char **files = calloc((size_t)argc + 1, sizeof *files), **rtrs = calloc((size_t)argc + 1, sizeof *rtrs);
    if (!files || !rtrs) {
        free(files);
        free(rtrs);
        return 1;
    }
    size_t nf = 0, nr = 0;
    rtrd_opts o;
    memset(&o, 0, sizeof o);
    int c, rc = 2;
    optind = 1;
    while ((c = getopt_long(argc, argv, "v:r:s:l:p:P:n:H:t:c:h", longopts, NULL)) != -1) {
        unsigned v = 0;
        bool ok = true;
        switch (c) {
        case 'v': files[nf++] = optarg; break;
        case 'r': rtrs[nr++] = optarg; break;
        case 's': o.slurm = optarg; break;
        case 'l': o.listen = optarg; break;
        case 'p': o.port_file = optarg; break;
        case 'P': ok = cli_parse_uint(optarg, 1, 86400, &o.poll_s); break;
        case 'n':
            ok = cli_parse_uint(optarg, 0, 86400, &o.notify_interval_s);
            o.notify_set = true;
            break;
        case 'H': ok = cli_parse_uint(optarg, 1, 100000, &o.history); break;
        case OPT_REFRESH: ok = cli_parse_uint(optarg, 1, 86400, &o.refresh); break;
        case OPT_RETRY: ok = cli_parse_uint(optarg, 1, 7200, &o.retry); break;
        case OPT_EXPIRE: ok = cli_parse_uint(optarg, 600, 172800, &o.expire); break;
        case 't': ok = cli_parse_uint(optarg, 1, 86400, &o.timeout_s); break;
        case 'c':
            ok = cli_parse_uint(optarg, 1, 1000000, &v);
            o.max_clients = v;
            break;
        case 'h':
            fputs(RTRD_USAGE, stdout);
            rc = 0;
            goto out;
        default: fputs(RTRD_USAGE, stderr); goto out;
        }
        if (!ok) {
            fprintf(stderr, "manrs rtrd: bad value '%s' for --%s\n", optarg,
                    c == OPT_REFRESH ? "refresh" : c == OPT_RETRY ? "retry" : c == OPT_EXPIRE ? "expire" : "option");
            goto out;
        }
    }
    if (optind < argc || nf + nr == 0) {
        fprintf(stderr, "manrs rtrd: %s\n\n", nf + nr ? "unexpected argument" : "no --vrps FILE or --rtr HOST:PORT given");
        fputs(RTRD_USAGE, stderr);
        goto out;
    }
    unsigned refresh = o.refresh ? o.refresh : 3600, retry = o.retry ? o.retry : 600,
             expire = o.expire ? o.expire : 7200;
    if (expire <= refresh || expire <= retry) {
        /* RFC 8210 §6: the expire interval must be larger than refresh and retry */
        fprintf(stderr, "manrs rtrd: --expire %u must exceed --refresh %u and --retry %u\n", expire, refresh, retry);
        goto out;
    }
    o.vrp_files = files;
    o.n_vrp_files = nf;
    o.rtr_sources = rtrs;
    o.n_rtr_sources = nr;
    rc = rtrd_run(&o);
out:
    free(files);
    free(rtrs);
    return rc;
}
