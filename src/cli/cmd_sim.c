/*
 * cmd_sim.c — `manrs sim --out DIR [options]`: write a simulated Internet with
 * ground truth (see include/manrs/sim/sim.h and docs/sim.md). Refuses an existing
 * non-empty output directory unless --force; bad parameters exit 2.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "manrs/sim/sim.h"

static const char SIM_USAGE[] =
    "usage: manrs sim --out DIR [options]\n"
    "\n"
    "Write a simulated Internet with ground truth into DIR: asrel.txt, delegated.txt,\n"
    "vrps.json, irr.db, peeringdb.json, spoofer.csv, rib.mrt.gz, updates.mrt.gz and\n"
    "truth.json (every injected incident and each network's true MANRS posture;\n"
    "legitimate look-alikes of incidents are listed there as confounders), and\n"
    "as2org.txt (the organisations, when there are confounders).\n"
    "\n"
    "  -o, --out DIR                output directory, created if absent (required)\n"
    "  -n, --ases N                 networks (default 2000)\n"
    "  -s, --seed S                 seed; same seed, identical files (default 1)\n"
    "  -k, --collectors K           route collectors (default 4)\n"
    "  -p, --peers-per-collector P  collector peers per collector (default 8)\n"
    "  -H, --hours H                update window length (default 1, at least 0.5)\n"
    "  -S, --start T                window start, " CLI_TIME_HELP "\n"
    "                               (default 1764547200 = 2025-12-01)\n"
    "  -m, --manrs-share X          share of MANRS participants, 0..1 (default 0.3)\n"
    "  -r, --rov-share X            share of participants doing ROV (default 0.5)\n"
    "  -x, --prefix-scale X         scale prefixes per network by X (default 1)\n"
    "  -i, --incidents N            incidents per class and leak type (default 3)\n"
    "  -c, --churn X                flaps per 1000 prefixes and hour (default 2)\n"
    "  -C, --no-confounders         no default routes, siblings, anycast, blackholes,\n"
    "                               beacons, DDoS protection, ... and an exact as-rel\n"
    "  -E, --asrel-errors           as-rel with misinferred relationships and hybrid\n"
    "                               links written as peerings (off: the observatory\n"
    "                               takes them for new leaks, docs/sim.md)\n"
    "  -f, --force                  write into a non-empty DIR\n"
    "  -q, --quiet                  no summary on standard output\n"
    "  -h, --help                   this help\n"
    "\n"
    "Exit status: 0 written, 1 write error, 2 usage error or bad parameter.\n";

static bool num(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

static int dir_state(const char *path)
{ /* -1 error, 0 absent, 1 empty dir, 2 non-empty dir, 3 not a dir */
    struct stat st;
    if (stat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return 3;
    DIR *d = opendir(path);
    if (!d)
        return -1;
    struct dirent *e;
    int r = 1;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            r = 2;
            break;
        }
    closedir(d);
    return r;
}

int cmd_sim(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},        {"ases", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},       {"collectors", required_argument, NULL, 'k'},
        {"peers-per-collector", required_argument, NULL, 'p'},
        {"hours", required_argument, NULL, 'H'},      {"start", required_argument, NULL, 'S'},
        {"manrs-share", required_argument, NULL, 'm'}, {"rov-share", required_argument, NULL, 'r'},
        {"prefix-scale", required_argument, NULL, 'x'}, {"incidents", required_argument, NULL, 'i'},
        {"churn", required_argument, NULL, 'c'},      {"force", no_argument, NULL, 'f'},
        {"no-confounders", no_argument, NULL, 'C'},   {"asrel-errors", no_argument, NULL, 'E'},
        {"quiet", no_argument, NULL, 'q'},            {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    mrs_sim_params P;
    mrs_sim_params_default(&P);
    const char *outdir = NULL;
    bool force = false, quiet = false;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "o:n:s:k:p:H:S:m:r:x:i:c:CEfqh", opts, NULL)) != -1) {
        double v;
        const char *name = NULL;
        switch (ch) {
        case 'o': outdir = optarg; continue;
        case 'f': force = true; continue;
        case 'C': P.confounders = false; continue;
        case 'E': P.asrel_errors = true; continue;
        case 'q': quiet = true; continue;
        case 'h': fputs(SIM_USAGE, stdout); return 0;
        case 'n': name = "--ases"; if (num(optarg, 0, 1e7, &v) && v == (unsigned)v) { P.ases = (unsigned)v; continue; } break;
        case 's': name = "--seed"; if (num(optarg, 0, 1.8e19, &v) && v == (double)(uint64_t)v) { P.seed = strtoull(optarg, NULL, 10); continue; } break;
        case 'k': name = "--collectors"; if (num(optarg, 0, 1e6, &v) && v == (unsigned)v) { P.collectors = (unsigned)v; continue; } break;
        case 'p': name = "--peers-per-collector"; if (num(optarg, 0, 1e6, &v) && v == (unsigned)v) { P.peers_per_collector = (unsigned)v; continue; } break;
        case 'H': name = "--hours"; if (num(optarg, 0, 1e6, &v)) { P.hours = v; continue; } break;
        case 'S': name = "--start"; if (cli_parse_time(optarg, &P.start)) continue; break;
        case 'm': name = "--manrs-share"; if (num(optarg, 0, 1, &v)) { P.manrs_share = v; continue; } break;
        case 'r': name = "--rov-share"; if (num(optarg, 0, 1, &v)) { P.rov_share = v; continue; } break;
        case 'x': name = "--prefix-scale"; if (num(optarg, 0, 1e6, &v)) { P.prefix_scale = v; continue; } break;
        case 'i': name = "--incidents"; if (num(optarg, 0, 1e6, &v) && v == (unsigned)v) { P.incidents = (unsigned)v; continue; } break;
        case 'c': name = "--churn"; if (num(optarg, 0, 1e6, &v)) { P.churn = v; continue; } break;
        default:
            fprintf(stderr, "manrs sim: unknown or incomplete option '%s'\n\n%s", argv[optind - 1], SIM_USAGE);
            return 2;
        }
        fprintf(stderr, "manrs sim: %s: bad value '%s'\n", name, optarg);
        return 2;
    }
    if (optind != argc) {
        fprintf(stderr, "manrs sim: unexpected argument '%s'\n\n%s", argv[optind], SIM_USAGE);
        return 2;
    }
    if (!outdir) {
        fprintf(stderr, "manrs sim: --out DIR is required\n\n%s", SIM_USAGE);
        return 2;
    }
    char err[512];
    if (!mrs_sim_params_check(&P, err, sizeof err)) {
        fprintf(stderr, "manrs sim: %s\n", err);
        return 2;
    }
    int st = dir_state(outdir);
    if (st < 0 || st == 3) {
        fprintf(stderr, "manrs sim: %s: %s\n", outdir, st == 3 ? "exists and is not a directory" : strerror(errno));
        return 2;
    }
    if (st == 2 && !force) {
        fprintf(stderr, "manrs sim: %s exists and is not empty (use --force to write into it)\n", outdir);
        return 2;
    }
    if (st == 0 && mkdir(outdir, 0777) != 0) {
        fprintf(stderr, "manrs sim: cannot create %s: %s\n", outdir, strerror(errno));
        return 1;
    }
    mrs_sim_summary sum;
    if (mrs_sim_write(&P, outdir, &sum, err, sizeof err) != 0) {
        fprintf(stderr, "manrs sim: %s\n", err);
        return 1;
    }
    if (!quiet) {
        printf("manrs sim: wrote %s (seed %llu)\n", outdir, (unsigned long long)P.seed);
        mrs_sim_summary_print(stdout, &sum);
    }
    return 0;
}
