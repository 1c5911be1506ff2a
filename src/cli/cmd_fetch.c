/*
 * cmd_fetch.c — `manrs fetch`: argument parsing (the downloads are
 * src/apps/fetch/fetch.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/apps/fetch.h"

static const char FETCH_USAGE[] =
    "usage: manrs fetch --out DIR [--from T] [--to T] [options] KIND...\n"
    "\n"
    "Download the public inputs of the observatory into DIR, which mirrors the sources'\n"
    "own layouts (DIR/data.ris.ripe.net/rrc00/2024.01/updates.20240101.0000.gz, ...).\n"
    "Several files at once; each written as NAME.part and renamed when whole; a .part left\n"
    "by a failed run is resumed (HTTP Range); files already there are not fetched again.\n"
    "\n"
    "KINDs: ris-rib, ris-updates (RIPE RIS, every 8 h / 5 min), rv-rib, rv-updates\n"
    "(RouteViews, every 2 h / 15 min), as-rel, as2org (CAIDA, of the window's month /\n"
    "quarter), delegated (the five RIRs' latest), vrps (rpki-client's current VRPs),\n"
    "peeringdb (net and org), bogons (Team Cymru fullbogons), irr (IRR dumps of RIPE,\n"
    "RADB, ARIN), spoofer (CAIDA Spoofer's sessions); 'all' for every kind.\n"
    "\n"
    "  -o, --out DIR           the cache directory (created)\n"
    "  -f, --from T            the window's start (" CLI_TIME_HELP "); default: now\n"
    "  -t, --to T              its end (default: the start); the RIB at or before the start\n"
    "                          is included\n"
    "      --ris RRC           a RIS collector (rrc00, rrc01, ...; repeatable; default rrc00)\n"
    "      --routeviews NAME   a RouteViews collector (route-views2, route-views.linx, ...;\n"
    "                          repeatable; default route-views2)\n"
    "      --base-url KIND=URL another base URL for a kind (a mirror; irr: one for the three\n"
    "                          hosts, each file at URL/HOST/PATH)\n"
    "      --irr-source LIST   the IRR dumps of irr: ripe, radb, arin (comma-separated or\n"
    "                          repeated; default all three)\n"
    "      --checksums LIST    the kinds checked against the NAME.md5 next to each file\n"
    "                          (comma-separated kinds, 'all' or 'none'; default delegated,\n"
    "                          the one source known to publish them); a mismatch sets the\n"
    "                          file apart as NAME.bad and fails it\n"
    "  -j, --jobs N            downloads at once (default 4)\n"
    "      --timeout SEC       connect timeout (default 30)\n"
    "      --stall SEC         a download that gets nothing for SEC seconds fails (default 60)\n"
    "  -n, --dry-run           print each URL and the path it would be written to\n"
    "  -q, --quiet             no progress line on a terminal\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0 when every file is there, 1 when some failed (each said on stderr; its\n"
    ".part is kept for the next run), 2 on usage errors.\n";

/* --checksums: "none", "all", or kinds separated by commas; the last one given counts. */
static bool parse_checksums(const char *s, fetch_opts *o)
{
    bool want[FETCH_KINDS] = {false};
    if (!strcmp(s, "all") || !strcmp(s, "none")) {
        for (unsigned i = 0; i < FETCH_KINDS; i++)
            want[i] = s[0] == 'a';
    } else {
        for (;;) {
            size_t n = strcspn(s, ",");
            char k[32];
            fetch_kind kind;
            if (!n || n >= sizeof k)
                return false;
            memcpy(k, s, n);
            k[n] = 0;
            if (!fetch_kind_parse(k, &kind))
                return false;
            want[kind] = true;
            if (!s[n])
                break;
            s += n + 1;
        }
    }
    memcpy(o->checksum, want, sizeof want);
    o->checksum_given = true;
    return true;
}

int cmd_fetch(int argc, char **argv)
{
    enum { OPT_RIS = 256, OPT_RV, OPT_BASE, OPT_TIMEOUT, OPT_STALL, OPT_IRR_SOURCE, OPT_CHECKSUMS };
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},       {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},        {"ris", required_argument, NULL, OPT_RIS},
        {"routeviews", required_argument, NULL, OPT_RV}, {"base-url", required_argument, NULL, OPT_BASE},
        {"jobs", required_argument, NULL, 'j'},      {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"stall", required_argument, NULL, OPT_STALL}, {"dry-run", no_argument, NULL, 'n'},
        {"quiet", no_argument, NULL, 'q'},           {"help", no_argument, NULL, 'h'},
        {"irr-source", required_argument, NULL, OPT_IRR_SOURCE},
        {"checksums", required_argument, NULL, OPT_CHECKSUMS},
        {NULL, 0, NULL, 0}};
    fetch_opts o;
    memset(&o, 0, sizeof o);
    size_t cap = (size_t)argc + 1;
    const char **ris = calloc(cap, sizeof *ris), **rv = calloc(cap, sizeof *rv);
    bool quiet = false, have_from = false, have_to = false;
    int c, rc = 2;
    fetch_plan plan;
    memset(&plan, 0, sizeof plan);
    if (!ris || !rv) {
        rc = 1;
        goto out;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:f:t:j:nqh", longopts, NULL)) != -1) {
        bool ok = true;
        switch (c) {
        case 'o': o.out = optarg; break;
        case 'f': ok = have_from = cli_parse_time(optarg, &o.from); break;
        case 't': ok = have_to = cli_parse_time(optarg, &o.to); break;
        case OPT_RIS: ris[o.nris++] = optarg; break;
        case OPT_RV: rv[o.nrv++] = optarg; break;
        case OPT_BASE: {
            const char *eq = strchr(optarg, '=');
            char k[32];
            fetch_kind kind;
            ok = eq && (size_t)(eq - optarg) < sizeof k;
            if (ok) {
                memcpy(k, optarg, (size_t)(eq - optarg));
                k[eq - optarg] = 0;
                ok = fetch_kind_parse(k, &kind);
            }
            if (ok)
                o.base[kind] = eq + 1;
            break;
        }
        case OPT_IRR_SOURCE: ok = fetch_irr_sources_parse(optarg, &o.irr_sources); break;
        case OPT_CHECKSUMS: ok = parse_checksums(optarg, &o); break;
        case 'j': ok = cli_parse_uint(optarg, 1, 64, &o.jobs); break;
        case OPT_TIMEOUT: ok = cli_parse_uint(optarg, 1, 3600, &o.timeout_s); break;
        case OPT_STALL: ok = cli_parse_uint(optarg, 1, 3600, &o.stall_s); break;
        case 'n': o.dry_run = true; break;
        case 'q': quiet = true; break;
        case 'h':
            fputs(FETCH_USAGE, stdout);
            rc = 0;
            goto out;
        default: fputs(FETCH_USAGE, stderr); goto out;
        }
        if (!ok) {
            fprintf(stderr, "manrs fetch: bad value '%s'\n", optarg);
            goto out;
        }
    }
    for (int i = optind; i < argc; i++) {
        fetch_kind k;
        if (!strcmp(argv[i], "all")) {
            for (unsigned j = 0; j < FETCH_KINDS; j++)
                o.kinds[j] = true;
        } else if (fetch_kind_parse(argv[i], &k)) {
            o.kinds[k] = true;
        } else {
            fprintf(stderr, "manrs fetch: unknown kind '%s'\n\n%s", argv[i], FETCH_USAGE);
            goto out;
        }
    }
    if (optind >= argc || !o.out) {
        fprintf(stderr, "manrs fetch: %s\n\n%s", o.out ? "no KIND given" : "no --out DIR given", FETCH_USAGE);
        goto out;
    }
    if (!have_from)
        o.from = (uint32_t)time(NULL);
    if (!have_to)
        o.to = o.from;
    if (o.to < o.from) {
        fprintf(stderr, "manrs fetch: --to is before --from\n");
        goto out;
    }
    o.ris = ris;
    o.rv = rv;
    o.progress = !quiet && isatty(STDERR_FILENO);
    char err[256];
    if (fetch_plan_make(&o, &plan, err, sizeof err) < 0) {
        fprintf(stderr, "manrs fetch: %s\n", err);
        goto out;
    }
    fetch_stats st;
    rc = fetch_run(&o, &plan, &st);
    if (!o.dry_run) {
        fprintf(stderr, "manrs fetch: %zu files: %zu fetched (%.1f MB), %zu already there, %zu failed", st.files,
                st.fetched, (double)st.bytes / 1e6, st.present, st.failed);
        if (st.verified)
            fprintf(stderr, "; %zu checked against their published MD5", st.verified);
        fputc('\n', stderr);
    }
out:
    fetch_plan_clear(&plan);
    free(ris);
    free(rv);
    return rc;
}
