/*
 * cmd_observe.c — `manrs observe`: the command line of one observatory run
 * (observatory.h: load, detect, metrics, store) and its printing (the summary
 * line, --json through run_json.h). Choices and definitions: docs/observe.md.
 * Exit: 0 done, 1 an input could not be used (or, with --strict, any decode
 * error), 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/apps/fetch.h"
#include "manrs/apps/worker.h"
#include "manrs/observatory/observatory.h"
#include "manrs/output/run_json.h"

#define OBSERVE_USAGE                                                                                                  \
    "usage: manrs observe [--world DIR] [--rib FILE]... [--updates FILE]... [--vrps FILE]...\n"                      \
    "                     [--rtr HOST:PORT]... [--ris-live FILE]...\n"                                              \
    "                     [--irr FILE]... [--asrel FILE] [--delegated FILE]... [--peeringdb FILE]...\n"              \
    "                     [--spoofer FILE]... [--as2org FILE]... [--beacons FILE]... [--from T] [--to T]\n"       \
    "                     [--min-peers N] [--json FILE]\n"                                                             \
    "                     [--asrel-ipv6] [--strict-period] [--include-low] [--db FILE|URL | --no-db]\n"              \
    "                     [--strict] [--quiet] [--split]\n"                                                      \
    "                     [--fetch DIR [--ris RRC]... [--routeviews NAME]...]\n"                                 \
    "                     [--nats URL [--stream NAME] [--feed NAME] [--reduce] [--run ID]]\n"                   \
    "  Observe routing: detect incidents (route leaks, hijacks, bogons, RPKI-invalid) and score\n"                   \
    "  every network on the four MANRS actions. --world DIR takes every file `manrs sim` wrote.\n"                   \
    "\n"                                                                                                             \
    CLI_OBS_INPUT_HELP                                                                                                 \
    "  --from T           window start (default: first time in the MRT files)\n"                                     \
    "  --to T             window end (default: last time in the MRT files)\n"                                        \
    "                     T: " CLI_TIME_HELP "\n"                                                                   \
    "  --min-peers N      announced = seen by at least N collector peers (default 5, or the\n"                      \
    "                     number of full-feed peers when there are fewer)\n"                                       \
    "  --include-low      score low-confidence incidents too (default: listed, not scored)\n"                        \
    "  --fetch DIR        first download the window's MRT files (RIS rrc00 by default), the CAIDA\n"                \
    "                     as-rel of its month and AS-to-Organization of its quarter into the cache\n"             \
    "                     DIR (manrs fetch), then observe\n"                                                        \
    "                     them; needs --from and --to; a file that cannot be fetched fails the run\n"               \
    "  --ris RRC          with --fetch: a RIS collector (repeatable)\n"                                             \
    "  --routeviews NAME  with --fetch: a RouteViews collector (repeatable)\n"                                      \
    "  --fetch-base KIND=URL  with --fetch: another base URL for a kind (a mirror)\n"                               \
    "  --json FILE        also write the run as JSON to FILE\n"                                                      \
    "  --db FILE|URL      the store the run is added to (default manrs.db; or postgresql://...)\n"                   \
    "  --no-db            do not store the run\n"                                                                    \
    "  --strict           any decode or input error fails the run (stored as failed, exit 1)\n"                      \
    "  --split            run split by prefix, part by part, in this process: the algorithm of\n"              \
    "                     `manrs worker` (docs/scale.md); the same result, a check of it\n"                       \
    "  --nats URL         distributed: the routing data is what `manrs feed` published on NATS,\n"            \
    "                     computed by `manrs worker`s, this command coordinating; the MRT\n"                    \
    "                     inputs are the feed's, --db the store the workers share (docs/scale.md)\n"             \
    "  --stream NAME      with --nats: the event stream (default manrs)\n"                                        \
    "  --feed NAME        with --nats: the feed whose seal starts the run (default mrt)\n"                       \
    "  --reduce           with --nats: resume a split run whose coordinator stopped (the\n"                     \
    "                     missing tasks published again); reduce it again when complete\n"                      \
    "  --run ID           with --nats: that split run rather than the seal's\n"                                   \
    "  -q, --quiet        no progress, summary or 'run stored' line on stderr\n"                                     \
    "  -h, --help         this help\n"                                                                               \
    "\n"                                                                                                             \
    "File options are repeatable; files may be compressed. See docs/observe.md.\n"                                   \
    "Exit status: 0 done; 1 an input could not be used, a store error, or (--strict) a\n"                            \
    "decode or input error; 2 usage error.\n"

/* The run in two or three lines on stderr: what was read, what was found (high
 * confidence first: that is what is scored), and what the data could not support. */
static void print_summary(const mrs_obs_result *r, const mrs_diag *md, const mrs_diag *kd)
{
    const mrs_detect_stats *st = &r->b.detect;
    uint64_t high = 0;
    for (unsigned c = 0; c < MRS_INC_NCLASSES; c++)
        high += st->high[c];
    fprintf(stderr, "manrs observe: %" PRIu64 " routes, %" PRIu64 " prefixes, %" PRIu64 " peers (%ld full-feed); %" PRIu64
            " high-confidence findings (", r->b.routes, r->b.prefixes, r->b.peers, r->full_feed_peers, high);
    for (unsigned c = 0; c < MRS_INC_NCLASSES; c++)
        fprintf(stderr, "%s%s %" PRIu64, c ? ", " : "", mrs_incident_class_name((mrs_incident_class)c), st->high[c]);
    size_t merged = mrs_incidents_merged(&r->b.incidents, false);
    fprintf(stderr, ") = %zu incidents, %" PRIu64 " low (listed, not scored); %zu networks; decode errors %" PRIu64
            ", input errors %" PRIu64 "\n", merged == (size_t)-1 ? 0 : merged, (uint64_t)r->b.incidents.n - high,
            r->nets.n, md->errors, kd->errors);
    fprintf(stderr, "manrs observe: networks with data:");
    for (int k = 1; k <= 4; k++) {
        size_t n = 0;
        for (size_t i = 0; i < r->nets.n; i++)
            n += r->nets.v[i].status[k] != MRS_NO_DATA;
        fprintf(stderr, "%s action %d %zu", k > 1 ? "," : "", k, n);
    }
    fprintf(stderr, " of %zu\n", r->nets.n);
    if (!r->b.has_baseline)
        fprintf(stderr, "manrs observe: note: no baseline (no RIB dumped before the first update, no updates "
                        "before --from): leaks, hijacks and forged paths cannot be told from standing paths and "
                        "are low confidence\n");
    if (r->b.cut)
        fprintf(stderr, "manrs observe: note: %" PRIu64 " BGP messages cut at 4 096 bytes by the collector were skipped "
                        "(a limit of old MRT writers, not damage)\n", r->b.cut);
    if (st->ixp_lan_routes)
        fprintf(stderr, "manrs observe: note: %" PRIu64 " routes of IXP peering LANs (PeeringDB) were not checked "
                "for leaks or hijacks\n", st->ixp_lan_routes);
    if (st->beacon_routes)
        fprintf(stderr, "manrs observe: note: %" PRIu64 " routes of routing beacons (RIS%s) were not checked for "
                "leaks or hijacks\n", st->beacon_routes, r->b.kb.beacons ? " and --beacons" : "");
    if (st->blackhole_routes)
        fprintf(stderr, "manrs observe: note: %" PRIu64 " RFC 7999 blackhole routes (65535:666) were not checked for "
                "leaks or hijacks\n", st->blackhole_routes);
    if (st->default_peers || st->short_routes)
        fprintf(stderr, "manrs observe: note: %" PRIu64 " collector peers sent a default route; %" PRIu64
                " routes of implausibly short prefixes were not checked\n", st->default_peers, st->short_routes);
}

int cmd_observe(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_OBS_INPUT_OPTIONS,
        {"db", required_argument, NULL, 'D'},
        {"no-db", no_argument, NULL, 'N'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"min-peers", required_argument, NULL, 'm'},
        {"json", required_argument, NULL, 'j'},
        {"strict", no_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"include-low", no_argument, NULL, 'L'},
        {"fetch", required_argument, NULL, 1001},
        {"ris", required_argument, NULL, 1002},
        {"routeviews", required_argument, NULL, 1003},
        {"fetch-base", required_argument, NULL, 1004},
        {"split", no_argument, NULL, 1005},
        {"nats", required_argument, NULL, 1006},
        {"stream", required_argument, NULL, 1007},
        {"feed", required_argument, NULL, 1008},
        {"reduce", no_argument, NULL, 1009},
        {"run", required_argument, NULL, 1010},
        {NULL, 0, NULL, 0},
    };
    mrs_obs_inputs in;
    memset(&in, 0, sizeof in);
    mrs_obs_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    bool split = false, mrt_given = false;
    cluster_opts co;
    memset(&co, 0, sizeof co);
    mrs_score_cfg_default(&cfg.score);
    const char *json_out = NULL, *db = "manrs.db";
    bool quiet = false;
    int ch, rc = 2;
    fetch_opts fo;
    memset(&fo, 0, sizeof fo);
    fetch_plan plan;
    memset(&plan, 0, sizeof plan);
    size_t cap = (size_t)argc + 1;
    const char **ris = calloc(cap, sizeof *ris), **rv = calloc(cap, sizeof *rv);
    if (!ris || !rv) {
        rc = 1;
        goto out;
    }
    optind = 1;
    while ((ch = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        mrt_given |= ch == 'r' || ch == 'u' || ch == 'J' || ch == 'l';
        int e = cli_obs_input_option("observe", ch, optarg, &in);
        if (e) {
            if (e < 0)
                goto out;
            continue;
        }
        switch (ch) {
        case 'D': db = optarg; break;
        case 'N': db = ""; break;
        case 'F':
            if (!cli_parse_time(optarg, &in.from)) {
                fprintf(stderr, "manrs observe: --from: bad time '%s' (" CLI_TIME_HELP ")\n", optarg);
                goto out;
            }
            break;
        case 'T':
            if (!cli_parse_time(optarg, &in.to)) {
                fprintf(stderr, "manrs observe: --to: bad time '%s' (" CLI_TIME_HELP ")\n", optarg);
                goto out;
            }
            break;
        case 'm': {
            if (!cli_min_peers("observe", optarg, &cfg.score.min_peers))
                goto out;
            cfg.min_peers_set = true;
            break;
        }
        case 'j': json_out = optarg; break;
        case 1001: fo.out = optarg; break;
        case 1002: ris[fo.nris++] = optarg; break;
        case 1003: rv[fo.nrv++] = optarg; break;
        case 1004: {
            const char *eq = strchr(optarg, '=');
            char k[32];
            fetch_kind kind;
            if (!eq || (size_t)(eq - optarg) >= sizeof k) {
                fprintf(stderr, "manrs observe: --fetch-base: want KIND=URL, not '%s'\n", optarg);
                goto out;
            }
            memcpy(k, optarg, (size_t)(eq - optarg));
            k[eq - optarg] = 0;
            if (!fetch_kind_parse(k, &kind)) {
                fprintf(stderr, "manrs observe: --fetch-base: unknown kind '%s'\n", k);
                goto out;
            }
            fo.base[kind] = eq + 1;
            break;
        }
        case 'S': cfg.strict = true; break;
        case 'L': cfg.score.include_low = true; break;
        case 'q': quiet = true; break;
        case 1005: split = true; break;
        case 1006: co.nats_url = optarg; break;
        case 1007:
        case 1008:
            if (!feed_name_ok(optarg)) {
                fprintf(stderr, "manrs observe: --%s: bad name '%s' (letters, digits, '-', '_')\n",
                        ch == 1007 ? "stream" : "feed", optarg);
                goto out;
            }
            *(ch == 1007 ? &co.stream : &co.feed) = optarg;
            break;
        case 1009: co.reduce = true; break;
        case 1010: {
            unsigned id;
            if (!cli_parse_uint(optarg, 1, 2000000000, &id)) {
                fprintf(stderr, "manrs observe: --run: bad split run '%s'\n", optarg);
                goto out;
            }
            co.resume = id;
            break;
        }
        case 'h': fputs(OBSERVE_USAGE, stdout); rc = 0; goto out;
        default: fputs(OBSERVE_USAGE, stderr); goto out;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "manrs observe: unexpected argument '%s'\n\n%s", argv[optind], OBSERVE_USAGE);
        goto out;
    }
    if (co.nats_url ? mrt_given || fo.out || split || !*db || in.n[MRS_IN_RTR]
                    : co.stream || co.feed || co.reduce || co.resume) {
        fprintf(stderr, "manrs observe: %s\n",
                !co.nats_url      ? "--stream, --feed, --reduce and --run go with --nats"
                : mrt_given       ? "--nats: the routing data is the feed's (`manrs feed --mrt`), not --rib, --updates, "
                                    "--ris-live or --files-from"
                : !*db            ? "--nats needs the store the workers share (--db postgresql://...)"
                : in.n[MRS_IN_RTR] ? "--nats: not with --rtr (each worker would ask the cache at another moment): "
                                    "give the VRPs as a file (--vrps)"
                                  : "--nats excludes --fetch and --split");
        goto out;
    }
    if ((fo.nris || fo.nrv) && !fo.out) {
        fprintf(stderr, "manrs observe: --ris and --routeviews go with --fetch DIR\n");
        goto out;
    }
    if (fo.out) {
        /* the window's MRT files and relationships, fetched first (apps/fetch) */
        if (!in.from || !in.to) {
            fprintf(stderr, "manrs observe: --fetch needs --from and --to\n");
            goto out;
        }
        fo.from = in.from;
        fo.to = in.to;
        fo.ris = ris;
        fo.rv = rv;
        fo.progress = !quiet && isatty(STDERR_FILENO);
        if (fetch_window(&fo, &plan, in.n[MRS_IN_ASREL] > 0, in.n[MRS_IN_AS2ORG] > 0, quiet) != 0) {
            rc = 1;
            goto out;
        }
        for (size_t i = 0; i < plan.n; i++) {
            fetch_kind k = plan.v[i].kind;
            mrs_obs_input ik = k == FETCH_RIS_RIB || k == FETCH_RV_RIB ? MRS_IN_RIB
                               : k == FETCH_ASREL                      ? MRS_IN_ASREL
                               : k == FETCH_AS2ORG                     ? MRS_IN_AS2ORG
                                                                       : MRS_IN_UPDATES;
            if (mrs_obs_inputs_add(&in, ik, plan.v[i].path) != 0) {
                rc = 1;
                goto out;
            }
        }
    }
    if (in.n[MRS_IN_RIB] + in.n[MRS_IN_UPDATES] + in.n[MRS_IN_RIS_LIVE] == 0 && !co.nats_url) {
        fprintf(stderr, "manrs observe: no routing input (--rib, --updates, --ris-live or --world)\n\n%s", OBSERVE_USAGE);
        goto out;
    }
    if (in.to && in.from > in.to) {
        fprintf(stderr, "manrs observe: --from is after --to\n");
        goto out;
    }
    in.progress = !quiet && isatty(STDERR_FILENO);
    rc = 1;
    mrs_diag kd, md;
    mrs_diag_init(&kd, stderr);
    mrs_diag_init(&md, stderr);
    kd.max_print = md.max_print = 200;
    mrs_store *store = NULL;
    if (*db && !co.nats_url) {
        char err[256];
        if (!(store = mrs_store_open(db, err, sizeof err))) {
            fprintf(stderr, "manrs observe: --db %s\n", err); /* err starts with the file name */
            goto out;
        }
    }
    mrs_obs_result r;
    memset(&r, 0, sizeof r);
    const char *why = NULL;
    bool store_err = false;
    int run_rc;
    if (co.nats_url) {
        /* distributed: the coordinator (apps/worker) stores the run itself */
        co.db = db;
        co.quiet = quiet;
        co.progress = !quiet && isatty(STDERR_FILENO);
        if ((run_rc = cluster_observe(&co, &in, &cfg, &kd, &md, &r)) == 2) {
            rc = 0;
            goto done;
        }
    } else
        run_rc = (split ? mrs_obs_run_split : mrs_obs_run)(&in, &cfg, store, &kd, &md, &r, &why, &store_err);
    for (size_t i = 0; i < r.b.n_warnings; i++)
        fprintf(stderr, "manrs observe: warning: %s\n", r.b.warnings[i]);
    if (run_rc != 0 && co.nats_url)
        goto done;   /* said */
    if (run_rc != 0) {
        if (store_err)
            fprintf(stderr, "manrs observe: --db %s: %s\n", db, why);
        else
            fprintf(stderr, "manrs observe: %s\n", why ? why : "out of memory");
        goto done;
    }
    if (!quiet)
        print_summary(&r, &md, &kd);
    errno = 0;
    if (json_out && mrs_run_json_write(json_out, &r, r.min_peers, md.errors) != 0) {
        if (strcmp(json_out, "-") || !ferror(stdout)) /* else main says "write error" */
            fprintf(stderr, "manrs observe: --json %s: write error: %s\n", json_out, strerror(errno ? errno : EIO));
        goto done;
    }
    if (r.store_failed)
        fprintf(stderr, "manrs observe: --db %s: %s\n", db, mrs_store_errmsg(store));
    else if ((store || co.nats_url) && !r.strict_failed && !quiet)
        fprintf(stderr, "manrs observe: run stored in %s\n", db);
    rc = r.failed || r.strict_failed ? 1 : 0;
    if (r.strict_failed)
        fprintf(stderr, "manrs observe: --strict: %" PRIu64 " decode and %" PRIu64 " input errors\n", md.errors,
                kd.errors);
done:
    mrs_obs_result_clear(&r);
    mrs_store_close(store);
out:
    fetch_plan_clear(&plan);
    free(ris);
    free(rv);
    mrs_obs_inputs_clear(&in);
    return rc;
}
