/*
 * cmd_monitor.c — `manrs monitor`: argument parsing (the monitor itself is
 * src/apps/monitor/).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/monitor.h"

static const char MONITOR_USAGE[] =
    "usage: manrs monitor --config prefixes.yml [--mrt FILE]... [--mrt-follow PATH]...\n"
    "                     [--ris-live FILE|-|URL]... [--bmp-listen ADDR:PORT] [options]\n"
    "\n"
    "Watch one's own prefixes and ASes, BGPalerter-style, and print alerts as JSON Lines:\n"
    "hijack (a listed prefix or a more-specific announced by an origin not listed),\n"
    "newprefix (a more-specific announced by a listed origin), misconfiguration (a monitored\n"
    "AS announcing a prefix not listed), visibility (withdrawn at the peers that had it),\n"
    "rpki (one's own route RPKI invalid or covered by no ROA, with --vrps/--rtr), bogon (one's\n"
    "own route for a bogon prefix or with a bogon AS in its path), leak (one's own route\n"
    "leaked: ASPA invalid, or a new valley on --asrel), neighbor (a monitored AS seen with an\n"
    "upstream or downstream not listed), path (a route matching a path rule). Each alert\n"
    "is raised once when min-peers peers\n"
    "hold it and resolved once when none does. The configuration is\n"
    "BGPalerter's prefixes.yml, unchanged. Files are replayed as a live feed in time order\n"
    "(RIB dumps first); with --bmp-listen the monitor goes on live. See docs/monitor.md.\n"
    "\n"
    "  -c, --config FILE       prefixes.yml (BGPalerter format): prefixes, asn, description,\n"
    "                          ignoreMorespecifics, ignore, group, path, options.monitorASns\n"
    "  -m, --mrt FILE          MRT file to replay (repeatable; RIB dumps and updates)\n"
    "      --ris-live FILE|URL RIS Live JSON lines to replay ('-' = stdin), or the RIS Live\n"
    "                          WebSocket (wss://ris-live.ripe.net/v1/ws/?client=NAME), subscribed\n"
    "                          to the monitored prefixes and ASes, live (repeatable)\n"
    "  -f, --mrt-follow PATH   follow an MRT file as it grows (records read as they are appended),\n"
    "                          or a directory: each new file read when it appears (manrs bmpd's\n"
    "                          rotation, a mirrored archive), live (repeatable)\n"
    "  -b, --bmp-listen ADDR:PORT  receive BMP from routers (Adj-RIB-In pre-policy and Loc-RIB\n"
    "                          are monitored) until SIGINT/SIGTERM\n"
    "  -p, --port-file FILE    write the BMP port to FILE once listening (for scripts)\n"
    "      --metrics-listen ADDR:PORT  serve Prometheus metrics at /metrics (with --bmp-listen):\n"
    "                          alerts, route events, feed lag, BMP routers and peers up\n"
    "  -v, --vrps FILE         VRPs for rpki alerts (repeatable)\n"
    "  -r, --rtr HOST:PORT     VRPs from an RTR cache (repeatable); with a live feed the cache is\n"
    "                          followed (Serial Notify): a ROA that disappears raises rpki\n"
    "                          (VRPs: rpki alerts; their ASPAs: leak alerts)\n"
    "      --roa-expiry HOURS  rpki alert when the ROAs that make one's own route valid all expire\n"
    "                          within HOURS (their ends known, e.g. rpki-client JSON; default 24;\n"
    "                          0: never)\n"
    "      --asrel FILE        AS relationships (CAIDA as-rel): leak alerts for valleys that the\n"
    "                          RIB snapshots read first did not show\n"
    "      --bogons FILE       bogon prefix list on top of the built-in registries (repeatable)\n"
    "  -n, --min-peers N       peers that must hold a condition before it is alerted (default 2)\n"
    "  -o, --output FILE       append the alerts to FILE too\n"
    "      --syslog            send the alerts to syslog too (facility daemon)\n"
    "      --syslog-server HOST:PORT  send them to a syslog server too: RFC 5424 over UDP\n"
    "  -w, --webhook [GROUP=]URL  POST each alert as JSON {\"text\": ..., \"alert\": {...}} (Slack,\n"
    "                          Mattermost, Teams incoming webhooks); only GROUP's alerts when given\n"
    "                          (repeatable)\n"
    "      --smtp URL          mail server for --mail-to (smtp://HOST:PORT, smtps://...)\n"
    "      --mail-from ADDR    sender of the alert mails\n"
    "      --mail-to [GROUP=]ADDR  mail each alert (of GROUP) to ADDR (repeatable)\n"
    "      --repeat SEC        say an alert again while it stays active, every SEC seconds\n"
    "                          (default: never)\n"
    "  -q, --quiet             no alerts on stdout (with another channel)\n"
    "  -t, --timeout SEC       BMP: close a router that leaves a message unfinished (default 60)\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0, or 1 when the configuration or an input cannot be used or input was\n"
    "damaged (reported on stderr), 2 on usage errors.\n";

int cmd_monitor(int argc, char **argv)
{
    enum { OPT_RIS = 256, OPT_SYSLOG, OPT_SMTP, OPT_FROM, OPT_TO, OPT_REPEAT, OPT_METRICS, OPT_ASREL, OPT_BOGONS,
           OPT_EXPIRY, OPT_SYSLOG_SERVER };
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},     {"mrt", required_argument, NULL, 'm'},
        {"mrt-follow", required_argument, NULL, 'f'},
        {"ris-live", required_argument, NULL, OPT_RIS}, {"bmp-listen", required_argument, NULL, 'b'},
        {"port-file", required_argument, NULL, 'p'},  {"vrps", required_argument, NULL, 'v'},
        {"rtr", required_argument, NULL, 'r'},        {"min-peers", required_argument, NULL, 'n'},
        {"output", required_argument, NULL, 'o'},     {"syslog", no_argument, NULL, OPT_SYSLOG},
        {"syslog-server", required_argument, NULL, OPT_SYSLOG_SERVER},
        {"quiet", no_argument, NULL, 'q'},            {"timeout", required_argument, NULL, 't'},
        {"webhook", required_argument, NULL, 'w'},    {"smtp", required_argument, NULL, OPT_SMTP},
        {"mail-from", required_argument, NULL, OPT_FROM}, {"mail-to", required_argument, NULL, OPT_TO},
        {"repeat", required_argument, NULL, OPT_REPEAT}, {"asrel", required_argument, NULL, OPT_ASREL},
        {"bogons", required_argument, NULL, OPT_BOGONS}, {"roa-expiry", required_argument, NULL, OPT_EXPIRY}, {"metrics-listen", required_argument, NULL, OPT_METRICS},
        {"help", no_argument, NULL, 'h'},             {NULL, 0, NULL, 0}};
    size_t cap = (size_t)argc + 1;
    const char **mrt = calloc(cap, sizeof *mrt), **ris = calloc(cap, sizeof *ris), **vrps = calloc(cap, sizeof *vrps),
               **rtr = calloc(cap, sizeof *rtr), **hooks = calloc(cap, sizeof *hooks),
               **to = calloc(cap, sizeof *to), **bogons = calloc(cap, sizeof *bogons), **ws = calloc(cap, sizeof *ws),
               **follow = calloc(cap, sizeof *follow);
    monitor_opts o;
    memset(&o, 0, sizeof o);
    bool expiry_set = false;
    int c, rc = 2;
    if (!mrt || !ris || !vrps || !rtr || !hooks || !to || !bogons || !ws || !follow) {
        rc = 1;
        goto out;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:m:f:b:p:v:r:n:o:qt:w:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': o.config = optarg; break;
        case 'm': mrt[o.nmrt++] = optarg; break;
        case 'f': follow[o.nfollow++] = optarg; break;
        case OPT_RIS:
            if (!strncmp(optarg, "ws://", 5) || !strncmp(optarg, "wss://", 6))
                ws[o.nris_ws++] = optarg;
            else
                ris[o.nris++] = optarg;
            break;
        case 'b': o.bmp_listen = optarg; break;
        case 'p': o.port_file = optarg; break;
        case 'v': vrps[o.nvrps++] = optarg; break;
        case 'r': rtr[o.nrtr++] = optarg; break;
        case 'o': o.output = optarg; break;
        case OPT_SYSLOG: o.syslog = true; break;
        case OPT_SYSLOG_SERVER: o.syslog_server = optarg; break;
        case 'q': o.quiet = true; break;
        case 'w': hooks[o.notify.nwebhooks++] = optarg; break;
        case OPT_SMTP: o.notify.smtp_url = optarg; break;
        case OPT_METRICS: o.metrics_listen = optarg; break;
        case OPT_ASREL: o.asrel = optarg; break;
        case OPT_EXPIRY: {
            unsigned h;
            if (!cli_parse_uint(optarg, 0, 24 * 365, &h)) {
                fprintf(stderr, "manrs monitor: bad value '%s' for --roa-expiry (hours)\n", optarg);
                goto out;
            }
            o.roa_expiry_s = h * 3600u;
            expiry_set = true;
            break;
        }
        case OPT_BOGONS: bogons[o.nbogons++] = optarg; break;
        case OPT_FROM: o.notify.mail_from = optarg; break;
        case OPT_TO: to[o.notify.nmail_to++] = optarg; break;
        case 'n':
        case 't':
        case OPT_REPEAT: {
            unsigned v;
            if (!cli_parse_uint(optarg, 1, c == OPT_REPEAT ? 86400 * 365 : 100000, &v)) {
                fprintf(stderr, "manrs monitor: bad value '%s' for --%s\n", optarg,
                        c == 'n' ? "min-peers" : c == 't' ? "timeout" : "repeat");
                goto out;
            }
            *(c == 'n' ? &o.min_peers : c == 't' ? &o.timeout_s : &o.repeat_s) = v;
            break;
        }
        case 'h':
            fputs(MONITOR_USAGE, stdout);
            rc = 0;
            goto out;
        default: fputs(MONITOR_USAGE, stderr); goto out;
        }
    }
    const char *why = optind < argc                          ? "unexpected argument"
                      : !o.config                            ? "no --config prefixes.yml given"
                      : !o.nmrt && !o.nris && !o.nris_ws && !o.bmp_listen && !o.nfollow
                          ? "no input: --mrt, --mrt-follow, --ris-live or --bmp-listen"
                      : o.quiet && !o.output && !o.syslog && !o.syslog_server && !o.notify.nwebhooks && !o.notify.nmail_to
                          ? "--quiet without another channel: alerts would go nowhere"
                      : o.notify.nmail_to && (!o.notify.smtp_url || !o.notify.mail_from)
                          ? "--mail-to needs --smtp and --mail-from"
                      : o.metrics_listen && !o.bmp_listen && !o.nris_ws && !o.nfollow
                          ? "--metrics-listen needs a live feed (--bmp-listen, --ris-live ws://...)"
                          : NULL;
    if (why) {
        fprintf(stderr, "manrs monitor: %s\n\n%s", why, MONITOR_USAGE);
        goto out;
    }
    if (!expiry_set)
        o.roa_expiry_s = 24 * 3600u;
    o.mrt = mrt;
    o.ris_live = ris;
    o.vrps = vrps;
    o.rtr = rtr;
    o.notify.webhooks = hooks;
    o.notify.mail_to = to;
    o.bogons = bogons;
    o.ris_ws = ws;
    o.follow = follow;
    rc = monitor_run(&o);
out:
    free(mrt);
    free(ris);
    free(vrps);
    free(rtr);
    free(hooks);
    free(to);
    free(bogons);
    free(ws);
    free(follow);
    return rc;
}
