/*
 * cmd_feed.c — `manrs feed`: argument parsing for the route event feed on NATS
 * JetStream (the feed itself is src/apps/feed/).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/apps/feed.h"
#include "manrs/feeds/bmp.h"

static const char FEED_USAGE[] =
    "usage: manrs feed --nats URL [--stream NAME] --mrt FILE|DIR...\n"
    "       manrs feed --nats URL [--stream NAME] --ris-live FILE|-|URL [live options]\n"
    "       manrs feed --nats URL [--stream NAME] --bmp-listen ADDR:PORT [live options]\n"
    "       manrs feed --nats URL [--stream NAME] --read [--subject SUBJECT]\n"
    "       manrs feed --nats URL [--stream NAME] [--name FEED] --seal\n"
    "       manrs feed --dry-run --mrt FILE|DIR...\n"
    "\n"
    "Publish the route events of MRT files on a NATS JetStream stream in the order\n"
    "`manrs observe` reads them (baseline RIBs, then the rest in time order), partitioned\n"
    "by prefix (IPv4 by covering /8, IPv6 by /16; state changes on the ctl subject),\n"
    "several events of one partition per message, with acknowledgements; a restarted feed\n"
    "resumes where the stream says it stopped and a message published twice is dropped by\n"
    "the stream. At the end a seal gives the run's facts (events, times, baseline end,\n"
    "damage). Live inputs (RIS Live from standard input or a WebSocket, BMP sessions) are\n"
    "published as they arrive until they end; a restarted live feed goes on counting but\n"
    "cannot replay what it missed. See docs/scale.md.\n"
    "\n"
    "  -n, --nats URL          the NATS server (nats://[user:pass@]host:port)\n"
    "  -s, --stream NAME       the stream (default manrs; subjects manrs.ev.NAME.>),\n"
    "                          created with file storage when missing\n"
    "  -m, --mrt FILE|DIR      MRT files (any compression; a directory: its files; a quoted\n"
    "                          pattern), each a RIB or updates by its first record; repeat,\n"
    "                          or list after it\n"
    "      --ris-live FILE|-|URL  RIS Live JSON lines: a FILE is published as --mrt FILE\n"
    "                          is; - (standard input, until its end) and a ws:// or wss://\n"
    "                          URL (the RIS Live service) are live\n"
    "      --bmp-listen ADDR:PORT  accept BMP (RFC 7854) sessions of routers there\n"
    "                          (127.0.0.1:11019, [::1]:PORT; port 0: any, said on stderr)\n"
    "                          and publish their route events (live)\n"
    "      --name FEED         the feed's name: its progress record and seal (default mrt)\n"
    "      --from-start        ignore the progress record, publish everything again\n"
    "                          (the stream drops what it has within its duplicate window)\n"
    "      --batch-bytes N     bytes of events of one partition per message at most\n"
    "                          (default 65536; 0 or 1: one event per message)\n"
    "      --compress LEVEL    each message's events compressed with zstd at LEVEL\n"
    "                          (1..19, default 1; 0: not compressed); readers take both\n"
    "      --max-pending N     acknowledgements outstanding at most (default 4096)\n"
    "      --checkpoint N      events between progress records (default 20000)\n"
    "  -t, --timeout MS        connect and request timeout (default 5000; a WebSocket\n"
    "                          not connected within it is an error)\n"
    "  -r, --read              read the stream back: decode every event, skip and log\n"
    "                          malformed messages, print the count and a digest\n"
    "      --subject SUBJECT   with --read: only this subject (wildcards allowed)\n"
    "      --seal              print the stream's last seal of the feed (JSON)\n"
    "      --dry-run           no NATS: print what a fresh stream would get (count, digest,\n"
    "                          messages) and the seal\n"
    "  -q, --quiet             no progress line\n"
    "  -h, --help              this help\n"
    "\n"
    "Live options (--ris-live - or URL, --bmp-listen):\n"
    "      --duration SEC      stop after SEC seconds\n"
    "      --count N           stop after N events\n"
    "      --flush-ms MS       buffered events published at least every MS ms (default 1000)\n"
    "      --progress-every SEC  a progress record at least every SEC s (default 10)\n"
    "      --source NAME       the events' source name (default: -, the URL, or\n"
    "                          bmp://ROUTER:PORT per router connection)\n"
    "      --subscribe JSON    URL: a ris_subscribe \"data\" object; repeat (default: every\n"
    "                          UPDATE with raw, every RIS_PEER_STATE)\n"
    "      --rib RIB           BMP: the RIB published: pre-policy (Adj-RIB-In, the default),\n"
    "                          post-policy, loc-rib, out-pre-policy, out-post-policy\n"
    "      --port-file FILE    BMP: write the bound port there\n"
    "A live feed ends at the end of standard input, --duration, --count, SIGINT or SIGTERM:\n"
    "then every batch is published, every acknowledgement waited for, and the seal\n"
    "published (with \"live\":true and its \"restarts\").\n"
    "\n"
    "Output: 'published N skipped N duplicates N files N bytes N messages N events N\n"
    "first_time T last_time T baseline_end T damaged N cut N failed 0|1 last_seq N wire N'\n"
    "and the seal's JSON; with --read and --dry-run, 'events N malformed N progress N\n"
    "digest HEX bytes N messages N seals N last_seq N misordered N wire N' (--dry-run: and\n"
    "the seal's JSON). bytes: of the events; wire: of the messages (compressed).\n"
    "Exit status: 0 done, 1 input or NATS error (or an input that could not be used: the\n"
    "seal says failed), 2 usage, 3 --seal: no seal yet.\n";

int cmd_feed(int argc, char **argv)
{
    enum {
        OPT_NAME = 256, OPT_FROM_START, OPT_MAX_PENDING, OPT_CHECKPOINT, OPT_SUBJECT, OPT_DRY_RUN, OPT_BATCH, OPT_SEAL,
        OPT_RIS, OPT_BMP, OPT_PORT_FILE, OPT_RIB, OPT_SOURCE, OPT_SUBSCRIBE, OPT_DURATION, OPT_COUNT, OPT_FLUSH,
        OPT_PROGRESS_EVERY, OPT_COMPRESS
    };
    static const struct option longopts[] = {
        {"nats", required_argument, NULL, 'n'},
        {"stream", required_argument, NULL, 's'},
        {"mrt", required_argument, NULL, 'm'},
        {"name", required_argument, NULL, OPT_NAME},
        {"from-start", no_argument, NULL, OPT_FROM_START},
        {"max-pending", required_argument, NULL, OPT_MAX_PENDING},
        {"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
        {"batch-bytes", required_argument, NULL, OPT_BATCH},
        {"seal", no_argument, NULL, OPT_SEAL},
        {"timeout", required_argument, NULL, 't'},
        {"read", no_argument, NULL, 'r'},
        {"subject", required_argument, NULL, OPT_SUBJECT},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"ris-live", required_argument, NULL, OPT_RIS},
        {"bmp-listen", required_argument, NULL, OPT_BMP},
        {"port-file", required_argument, NULL, OPT_PORT_FILE},
        {"rib", required_argument, NULL, OPT_RIB},
        {"source", required_argument, NULL, OPT_SOURCE},
        {"subscribe", required_argument, NULL, OPT_SUBSCRIBE},
        {"duration", required_argument, NULL, OPT_DURATION},
        {"count", required_argument, NULL, OPT_COUNT},
        {"flush-ms", required_argument, NULL, OPT_FLUSH},
        {"progress-every", required_argument, NULL, OPT_PROGRESS_EVERY},
        {"compress", required_argument, NULL, OPT_COMPRESS},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    feed_opts o;
    memset(&o, 0, sizeof o);
    o.mode = FEED_PUBLISH;
    bool read = false, dry = false, quiet = false, seal = false;
    char **mrt = calloc((size_t)argc + 1, sizeof *mrt);
    char **subs = calloc((size_t)argc + 1, sizeof *subs);
    size_t n_mrt = 0, n_subs = 0;
    bool live_opt = false, bmp_opt = false, ris_twice = false;
    if (!mrt || !subs) {
        free(mrt);
        free(subs);
        fputs("manrs feed: out of memory\n", stderr);
        return 1;
    }
    int c, rc = 2;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:s:m:t:rqh", longopts, NULL)) != -1) {
        bool ok = true;
        const char *what = NULL;
        switch (c) {
        case 'n': o.nats_url = optarg; break;
        case 's':
            o.stream = optarg;
            ok = feed_name_ok(optarg);
            what = "stream (letters, digits, '-', '_')";
            break;
        case OPT_NAME:
            o.name = optarg;
            ok = feed_name_ok(optarg);
            what = "name (letters, digits, '-', '_')";
            break;
        case 'm': mrt[n_mrt++] = optarg; break;
        case OPT_FROM_START: o.from_start = true; break;
        case OPT_MAX_PENDING: ok = cli_parse_uint(optarg, 1, 1000000, &o.max_pending), what = "max-pending"; break;
        case OPT_CHECKPOINT: ok = cli_parse_uint(optarg, 1, 100000000, &o.checkpoint), what = "checkpoint"; break;
        case OPT_BATCH:
            /* 0 and 1 both mean one event per message (feed_opts: 0 is the default) */
            ok = cli_parse_uint(optarg, 0, 64 << 20, &o.batch_bytes), what = "batch-bytes";
            if (ok && o.batch_bytes == 0)
                o.batch_bytes = 1;
            break;
        case OPT_COMPRESS: {
            unsigned lv = 0;
            ok = cli_parse_uint(optarg, 0, 19, &lv), what = "compress (0..19)";
            o.zstd_level = lv ? (int)lv : -1;
            break;
        }
        case OPT_SEAL: seal = true; break;
        case 't': ok = cli_parse_uint(optarg, 1, 3600000, &o.timeout_ms), what = "timeout"; break;
        case 'r': read = true; break;
        case OPT_SUBJECT: o.subject = optarg; break;
        case OPT_DRY_RUN: dry = true; break;
        case OPT_RIS: ris_twice = o.ris_live != NULL, o.ris_live = optarg; break;
        case OPT_BMP: o.bmp_listen = optarg; break;
        case OPT_PORT_FILE: o.port_file = optarg, bmp_opt = true; break;
        case OPT_RIB: {
            bmp_rib r;
            ok = bmp_rib_parse(optarg, &r), what = "rib (pre-policy, post-policy, loc-rib, out-pre-policy, out-post-policy)";
            o.rib = (unsigned)r;
            bmp_opt = true;
            break;
        }
        case OPT_SOURCE: o.source = optarg, live_opt = true; break;
        case OPT_SUBSCRIBE: subs[n_subs++] = optarg, live_opt = true; break;
        case OPT_DURATION: ok = cli_parse_uint(optarg, 1, 100000000, &o.duration_s), what = "duration", live_opt = true; break;
        case OPT_COUNT: {
            unsigned n = 0;
            ok = cli_parse_uint(optarg, 1, 2000000000, &n), what = "count", live_opt = true;
            o.count = n;
            break;
        }
        case OPT_FLUSH: ok = cli_parse_uint(optarg, 1, 3600000, &o.flush_ms), what = "flush-ms", live_opt = true; break;
        case OPT_PROGRESS_EVERY:
            ok = cli_parse_uint(optarg, 1, 86400, &o.progress_s), what = "progress-every", live_opt = true;
            break;
        case 'q': quiet = true; break;
        case 'h':
            fputs(FEED_USAGE, stdout);
            rc = 0;
            goto out;
        default: fputs(FEED_USAGE, stderr); goto out;
        }
        if (!ok) {
            fprintf(stderr, "manrs feed: bad value '%s' for --%s\n", optarg, what);
            goto out;
        }
    }
    /* files listed after --mrt FILE */
    if (n_mrt)
        while (optind < argc)
            mrt[n_mrt++] = argv[optind++];
    const char *why = NULL;
    bool live = (o.ris_live && feed_live_input(o.ris_live)) || o.bmp_listen;
    int inputs = (n_mrt > 0) + (o.ris_live != NULL) + (o.bmp_listen != NULL);
    if (optind < argc)
        why = "unexpected argument";
    else if (inputs > 1 || ris_twice)
        why = "one input: --mrt FILES, --ris-live FILE|-|URL or --bmp-listen ADDR:PORT";
    else if (live && o.from_start)
        why = "--from-start goes with files (a live input cannot be replayed)";
    else if (live_opt && !live)
        why = "--duration, --count, --flush-ms, --progress-every, --source and --subscribe go with --ris-live - or URL, "
              "or --bmp-listen";
    else if (bmp_opt && !o.bmp_listen)
        why = "--rib and --port-file go with --bmp-listen";
    else if (n_subs && !(o.ris_live && strcmp(o.ris_live, "-") && feed_live_input(o.ris_live)))
        why = "--subscribe goes with --ris-live URL";
    else if (read + dry + seal > 1)
        why = "--read, --seal and --dry-run exclude each other";
    else if (!dry && !o.nats_url)
        why = "no --nats URL given";
    else if (read && inputs)
        why = "--read takes no input";
    else if (seal && inputs)
        why = "--seal takes no input";
    else if (!read && !seal && !inputs)
        why = "no input given (--mrt, --ris-live or --bmp-listen)";
    else if (dry && live)
        why = "--dry-run reads files (not standard input, a URL or BMP sessions)";
    else if (o.subject && !read)
        why = "--subject goes with --read";
    if (why) {
        fprintf(stderr, "manrs feed: %s\n\n", why);
        fputs(FEED_USAGE, stderr);
        goto out;
    }
    o.mode = read ? FEED_READ : seal ? FEED_SEAL : dry ? FEED_DRY_RUN : FEED_PUBLISH;
    o.inputs = mrt;
    o.n_inputs = n_mrt;
    o.subscribe = subs;
    o.n_subscribe = n_subs;
    o.progress = !quiet && isatty(STDERR_FILENO);
    rc = feed_run(&o);
out:
    free(mrt);
    free(subs);
    return rc;
}
