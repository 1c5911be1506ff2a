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

static const char FEED_USAGE[] =
    "usage: manrs feed --nats URL [--stream NAME] --mrt FILE|DIR...\n"
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
    "damage). See docs/scale.md.\n"
    "\n"
    "  -n, --nats URL          the NATS server (nats://[user:pass@]host:port)\n"
    "  -s, --stream NAME       the stream (default manrs; subjects manrs.ev.NAME.>),\n"
    "                          created with file storage when missing\n"
    "  -m, --mrt FILE|DIR      MRT files (any compression; a directory: its files; a quoted\n"
    "                          pattern), each a RIB or updates by its first record; repeat,\n"
    "                          or list after it\n"
    "      --name FEED         the feed's name: its progress record and seal (default mrt)\n"
    "      --from-start        ignore the progress record, publish everything again\n"
    "                          (the stream drops what it has within its duplicate window)\n"
    "      --batch-bytes N     bytes of events of one partition per message at most\n"
    "                          (default 65536; 0 or 1: one event per message)\n"
    "      --max-pending N     acknowledgements outstanding at most (default 4096)\n"
    "      --checkpoint N      events between progress records (default 20000)\n"
    "  -t, --timeout MS        connect and request timeout (default 5000)\n"
    "  -r, --read              read the stream back: decode every event, skip and log\n"
    "                          malformed messages, print the count and a digest\n"
    "      --subject SUBJECT   with --read: only this subject (wildcards allowed)\n"
    "      --seal              print the stream's last seal of the feed (JSON)\n"
    "      --dry-run           no NATS: print what a fresh stream would get (count, digest,\n"
    "                          messages) and the seal\n"
    "  -q, --quiet             no progress line\n"
    "  -h, --help              this help\n"
    "\n"
    "Output: 'published N skipped N duplicates N files N bytes N messages N events N\n"
    "first_time T last_time T baseline_end T damaged N cut N failed 0|1 last_seq N' and the\n"
    "seal's JSON; with --read and --dry-run, 'events N malformed N progress N digest HEX\n"
    "bytes N messages N seals N last_seq N' (--dry-run: and the seal's JSON).\n"
    "Exit status: 0 done, 1 input or NATS error (or an input that could not be used: the\n"
    "seal says failed), 2 usage, 3 --seal: no seal yet.\n";

int cmd_feed(int argc, char **argv)
{
    enum { OPT_NAME = 256, OPT_FROM_START, OPT_MAX_PENDING, OPT_CHECKPOINT, OPT_SUBJECT, OPT_DRY_RUN, OPT_BATCH, OPT_SEAL };
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
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    feed_opts o;
    memset(&o, 0, sizeof o);
    o.mode = FEED_PUBLISH;
    bool read = false, dry = false, quiet = false, seal = false;
    char **mrt = calloc((size_t)argc + 1, sizeof *mrt);
    size_t n_mrt = 0;
    if (!mrt) {
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
        case OPT_SEAL: seal = true; break;
        case 't': ok = cli_parse_uint(optarg, 1, 3600000, &o.timeout_ms), what = "timeout"; break;
        case 'r': read = true; break;
        case OPT_SUBJECT: o.subject = optarg; break;
        case OPT_DRY_RUN: dry = true; break;
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
    if (optind < argc)
        why = "unexpected argument";
    else if (read + dry + seal > 1)
        why = "--read, --seal and --dry-run exclude each other";
    else if (!dry && !o.nats_url)
        why = "no --nats URL given";
    else if (read && n_mrt)
        why = "--read takes no --mrt";
    else if (seal && n_mrt)
        why = "--seal takes no --mrt";
    else if (!read && !seal && !n_mrt)
        why = "no --mrt input given (--bmp-listen and --ris-live are not implemented yet)";
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
    o.progress = !quiet && isatty(STDERR_FILENO);
    rc = feed_run(&o);
out:
    free(mrt);
    return rc;
}
