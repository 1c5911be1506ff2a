/*
 * cmd_bmpd.c — `manrs bmpd`: argument parsing for the BMP station (the station
 * itself is src/apps/bmpd/).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/bmpd.h"

static const char BMPD_USAGE[] =
    "usage: manrs bmpd --mrt-out PATTERN|DIR [--listen ADDR:PORT] [--rib RIB] [options]\n"
    "\n"
    "A BMP monitoring station (RFC 7854; Loc-RIB, RFC 9069; Adj-RIB-Out, RFC 8671): routers\n"
    "connect and stream BMP; their Route Monitoring messages are written as MRT BGP4MP_ET\n"
    "updates, and Peer Up/Down as state changes, to files rotated like RouteViews' (one per\n"
    "15 minutes), which every other command and bgpdump read. See docs/bmpd.md.\n"
    "\n"
    "  -o, --mrt-out PATTERN   output file name, a strftime(3) pattern in UTC of the period's\n"
    "                          start (e.g. bmp/%Y.%m/updates.%Y%m%d.%H%M.gz; '.gz' compresses);\n"
    "                          an existing directory DIR means DIR/updates.%Y%m%d.%H%M.gz\n"
    "  -r, --rotate SEC        file period (default 900; aligned to the epoch, 60-86400 or\n"
    "                          1-59 for tests)\n"
    "      --rib RIB           the RIB written: pre-policy (Adj-RIB-In, the default), post-policy,\n"
    "                          loc-rib, out-pre-policy, out-post-policy; the others are counted\n"
    "  -l, --listen ADDR:PORT  address to listen on (default 127.0.0.1:11019; port 0 = any free)\n"
    "  -p, --port-file FILE    write the bound port to FILE once listening (for scripts)\n"
    "  -t, --timeout SEC       close a router that leaves a message unfinished for SEC seconds\n"
    "                          (default 60)\n"
    "  -c, --max-routers N     concurrent router connections (default 256)\n"
    "  -h, --help              this help\n"
    "\n"
    "Files are written as NAME.part and renamed to NAME when their period ends (or at exit).\n"
    "Signals: SIGINT/SIGTERM stop (the routers' peers are recorded down, the file completed).\n"
    "Exit status: 0 after a clean stop, 1 if the address cannot be bound or a file written,\n"
    "2 on usage errors.\n";

int cmd_bmpd(int argc, char **argv)
{
    enum { OPT_RIB = 256 };
    static const struct option longopts[] = {
        {"mrt-out", required_argument, NULL, 'o'},   {"rotate", required_argument, NULL, 'r'},
        {"rib", required_argument, NULL, OPT_RIB},   {"listen", required_argument, NULL, 'l'},
        {"port-file", required_argument, NULL, 'p'}, {"timeout", required_argument, NULL, 't'},
        {"max-routers", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    bmpd_opts o;
    memset(&o, 0, sizeof o);
    o.rib = BMP_RIB_IN_PRE;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:r:l:p:t:c:h", longopts, NULL)) != -1) {
        unsigned v = 0;
        bool ok = true;
        switch (c) {
        case 'o': o.mrt_out = optarg; break;
        case 'r': ok = cli_parse_uint(optarg, 1, 86400, &o.rotate_s); break;
        case OPT_RIB: ok = bmp_rib_parse(optarg, &o.rib); break;
        case 'l': o.listen = optarg; break;
        case 'p': o.port_file = optarg; break;
        case 't': ok = cli_parse_uint(optarg, 1, 86400, &o.timeout_s); break;
        case 'c':
            ok = cli_parse_uint(optarg, 1, 100000, &v);
            o.max_routers = v;
            break;
        case 'h': fputs(BMPD_USAGE, stdout); return 0;
        default: fputs(BMPD_USAGE, stderr); return 2;
        }
        if (!ok) {
            fprintf(stderr, "manrs bmpd: bad value '%s' for --%s\n", optarg,
                    c == OPT_RIB ? "rib (pre-policy, post-policy, loc-rib, out-pre-policy, out-post-policy)"
                    : c == 'r'   ? "rotate"
                    : c == 't'   ? "timeout"
                                 : "max-routers");
            return 2;
        }
    }
    if (optind < argc || !o.mrt_out) {
        fprintf(stderr, "manrs bmpd: %s\n\n", o.mrt_out ? "unexpected argument" : "no --mrt-out given");
        fputs(BMPD_USAGE, stderr);
        return 2;
    }
    size_t n = strlen(o.mrt_out);
    static const char *const unsupported[] = {".bz2", ".xz", ".zst"};
    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(unsupported[i]);
        if (n > k && !strcmp(o.mrt_out + n - k, unsupported[i])) {
            fprintf(stderr, "manrs bmpd: --mrt-out %s: manrs writes plain or gzip (.gz) MRT\n", o.mrt_out);
            return 2;
        }
    }
    return bmpd_run(&o);
}
