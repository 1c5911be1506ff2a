/*
 * cmd_worker.c — `manrs worker`: argument parsing for a worker of the distributed
 * observatory (the worker itself is src/apps/worker/, docs/scale.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/worker.h"

static const char WORKER_USAGE[] =
    "usage: manrs worker --nats URL --db URL [--stream NAME] [--run ID] [--name W]\n"
    "                    [--threads N] [--once] [--ack-wait S] [--cache-mb N]\n"
    "                    [--timeout MS] [--quiet]\n"
    "\n"
    "Compute the parts of observatory runs split by prefix: pull tasks from the work\n"
    "stream that `manrs observe --nats` fills (any number of workers, on any machines,\n"
    "share it), rebuild each partition's routing view from the route events `manrs\n"
    "feed` published, detect, and store the results in the coordinator's store. The\n"
    "knowledge files the coordinator names must exist at the same paths here. See\n"
    "docs/scale.md.\n"
    "\n"
    "  -n, --nats URL          the NATS server (nats://[user:pass@]host:port)\n"
    "  -d, --db URL            the coordinator's store (postgresql://...; an SQLite file\n"
    "                          for workers on one machine)\n"
    "  -s, --stream NAME       the event stream (default manrs): tasks come from the work\n"
    "                          stream MANRS_WORK_NAME\n"
    "      --run ID            only tasks of this split run (others are left to other\n"
    "                          workers)\n"
    "      --name W            this worker's name in the store and the logs (default\n"
    "                          host:pid)\n"
    "  -j, --threads N         tasks worked on at once (default 1): N workers in one\n"
    "                          process, sharing its knowledge and phase-1 views (one\n"
    "                          per core of the machine)\n"
    "      --once              exit when no split run of the stream needs workers any more\n"
    "                          (at least one exists and all are computed)\n"
    "      --ack-wait S        seconds before a task a worker took without finishing it\n"
    "                          (killed, cut off) goes to another (default 30; the shared\n"
    "                          consumer takes the last worker's value)\n"
    "      --cache-mb N        phase-1 views kept for phase 2, in MB (default 2048)\n"
    "  -t, --timeout MS        connect and request timeout (default 5000)\n"
    "  -q, --quiet             no line per task\n"
    "  -h, --help              this help\n"
    "\n"
    "SIGTERM or SIGINT: the current task is left to another worker; exit 0.\n"
    "Exit status: 0 done or stopped, 1 NATS or the store cannot be reached at start\n"
    "(or a fatal error), 2 usage.\n";

int cmd_worker(int argc, char **argv)
{
    enum { OPT_RUN = 256, OPT_NAME, OPT_ONCE, OPT_ACK, OPT_CACHE };
    static const struct option longopts[] = {
        {"nats", required_argument, NULL, 'n'},
        {"db", required_argument, NULL, 'd'},
        {"stream", required_argument, NULL, 's'},
        {"run", required_argument, NULL, OPT_RUN},
        {"name", required_argument, NULL, OPT_NAME},
        {"threads", required_argument, NULL, 'j'},
        {"once", no_argument, NULL, OPT_ONCE},
        {"ack-wait", required_argument, NULL, OPT_ACK},
        {"cache-mb", required_argument, NULL, OPT_CACHE},
        {"timeout", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    worker_opts o;
    memset(&o, 0, sizeof o);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:d:s:j:t:qh", longopts, NULL)) != -1) {
        bool ok = true;
        const char *what = NULL;
        unsigned v = 0;
        switch (c) {
        case 'n': o.nats_url = optarg; break;
        case 'd': o.db = optarg; break;
        case 's':
            o.stream = optarg;
            ok = feed_name_ok(optarg);
            what = "stream (letters, digits, '-', '_')";
            break;
        case OPT_RUN:
            ok = cli_parse_uint(optarg, 1, 2000000000, &v), what = "run";
            o.run = v;
            break;
        case OPT_NAME:
            o.name = optarg;
            ok = *optarg && strlen(optarg) < 100, what = "name (1..99 bytes)";
            break;
        case 'j': ok = cli_parse_uint(optarg, 1, WORKER_THREADS_MAX, &o.threads), what = "threads"; break;
        case OPT_ONCE: o.once = true; break;
        case OPT_ACK: ok = cli_parse_uint(optarg, 1, 3600, &o.ack_wait_s), what = "ack-wait (1..3600 s)"; break;
        case OPT_CACHE: ok = cli_parse_uint(optarg, 1, 1 << 24, &o.cache_mb), what = "cache-mb"; break;
        case 't': ok = cli_parse_uint(optarg, 1, 3600000, &o.timeout_ms), what = "timeout"; break;
        case 'q': o.quiet = true; break;
        case 'h': fputs(WORKER_USAGE, stdout); return 0;
        default: fputs(WORKER_USAGE, stderr); return 2;
        }
        if (!ok) {
            fprintf(stderr, "manrs worker: bad value '%s' for --%s\n", optarg, what);
            return 2;
        }
    }
    const char *why = NULL;
    if (optind < argc)
        why = "unexpected argument";
    else if (!o.nats_url)
        why = "no --nats URL given";
    else if (!o.db)
        why = "no --db given (the coordinator's store)";
    if (why) {
        fprintf(stderr, "manrs worker: %s\n\n%s", why, WORKER_USAGE);
        return 2;
    }
    return worker_run(&o);
}
