/*
 * cmd_validate.c — `manrs validate`: check routes against the knowledge bases
 * (analysis/route_validate.h), printed by output/validate.h.
 *
 * Input: one route per line, "PREFIX ORIGIN" or "PREFIX AS_PATH..." (AS_PATH in
 * AS_PATH order, neighbour first, origin last; ASNs as 64500 or AS64500; an AS_SET
 * as {64500,64501}) or a bgpdump -m line (mrs_route_parse_line), from the command
 * line (all arguments form one route) or from standard input. Output: an aligned
 * table, or JSON Lines with --json (one object per input line, in input order),
 * through one mrs_outbuf (large writes, no stdio per route). A bad line is reported as "-:LINE: what", skipped,
 * and makes the exit status 1.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/core/io.h"
#include "manrs/output/validate.h"

#define VALIDATE_USAGE                                                                                  \
    "usage: manrs validate [--vrps FILE...] [--rtr HOST:PORT...] [--irr FILE...] [--irr-sources L]\n"   \
    "                      [--asrel FILE]\n"                                                           \
    "                      [--delegated FILE...] [--bogons FILE...] [--drop FILE...] [--json]\n"        \
    "                      [--upstream | --downstream] [PREFIX AS_PATH...]\n"                          \
    "\n"                                                                                               \
    "Validate routes against the knowledge bases: RPKI Route Origin Validation (RFC 6811),\n"          \
    "ASPA AS_PATH verification (draft-ietf-sidrops-aspa-verification) for paths of two or\n"          \
    "more ASes, the IRR route-origin check (route/route6 objects), bogon prefixes and ASNs\n"         \
    "(IANA special-purpose registries, RIR unallocated space), and the valley-free check of\n"        \
    "the path on AS relationships (route leaks, RFC 7908).\n"                                         \
    "Routes come from the arguments (one route) or from standard input, one per line:\n"              \
    "  PREFIX ORIGIN            e.g. 193.0.0.0/21 3333\n"                                               \
    "  PREFIX AS_PATH...        e.g. 193.0.0.0/21 AS1299 AS3333 (neighbour first, origin last)\n"      \
    "  a `manrs dump -m` / `bgpdump -m` line (A and B lines; W and STATE lines are skipped)\n"        \
    "An AS_SET is written {64500,64501}; a path ending in one has no determinable origin.\n"           \
    "\n"                                                                                               \
    "  -v, --vrps FILE    VRP/ASPA export (rpki-client, Routinator, StayRTR JSON or CSV)\n"             \
    "      --rtr H:P      VRPs and ASPAs fetched from an RTR cache (RFC 6810/8210/8210bis)\n"           \
    "  --irr FILE         RPSL dump (route, route6, ...; several sources by their source: attribute)\n"\
    "  -S, --irr-sources L  comma-separated IRR sources to use, in priority order (default: all)\n"       \
    "  --asrel FILE       CAIDA AS relationships (serial-1 or serial-2)\n"                              \
    "  --delegated FILE   RIR delegated-extended statistics (unallocated space counts as bogon)\n"      \
    "  --bogons FILE      extra bogon prefixes, one per line (Team Cymru fullbogons format)\n"          \
    "  --drop FILE        Spamhaus DROP/EDROP list\n"                                                    \
    "  -j, --json         JSON Lines output, one object per input line\n"                              \
    "  --upstream         verify AS paths as received from a customer or peer (the default)\n"        \
    "  --downstream       verify AS paths as received from a provider\n"                                \
    "  -h, --help         this help\n"                                                                 \
    "Files may be compressed; every FILE option is repeatable. Bad entries in a file are\n"           \
    "reported as FILE:LINE and skipped.\n"                                                            \
    "\n"                                                                                               \
    "Exit status: 0 all lines validated, 1 some input lines or knowledge entries were bad,\n"         \
    "2 usage error or a knowledge file could not be read. See docs/validate.md.\n"

typedef struct validate_run {
    mrs_kbs kbs;
    mrs_route_kbs kb;           /* kbs and the ASPA direction */
    bool json;
    uint64_t inconsistent;      /* routes where the two ROV paths disagreed */
    mrs_route route;            /* parse buffer, reused */
    mrs_route_verdict res;      /* verdict buffer, reused */
    mrs_outbuf out;             /* standard output, written in large blocks */
} validate_run;

/* One input line line[0..n) (line[n] is writable). */
static void process_line(validate_run *c, char *line, size_t n, uint64_t lineno, mrs_diag *d)
{
    char *hash = memchr(line, '#', n);
    if (hash)
        n = (size_t)(hash - line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r' || line[n - 1] == '\n'))
        n--;
    char *p = line;
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    if (!n)
        return;
    char why[160];
    mrs_route *in = &c->route;
    int got = mrs_route_parse_line(p, n, in, why, sizeof why);
    if (got < 0) {
        mrs_diag_error_line(d, "-", lineno, "%s", why);
        return;
    }
    if (got == 0)
        return; /* a bgpdump -m withdrawal or state line */
    mrs_route_verdict *res = &c->res;
    memset(res, 0, sizeof *res);
    mrs_route_validate(&c->kb, in, res);
    if (res->rov_inconsistent) {
        char s[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&in->prefix, s);
        fprintf(stderr, "manrs validate: internal error: ROV index and trie disagree on %s AS%" PRIu32 "\n", s,
                in->origin);
        c->inconsistent++;
    }
    if (c->json)
        mrs_validate_print_json(&c->out, &c->kb, lineno, in, res);
    else
        mrs_validate_print_row(&c->out, &c->kb, in, res);
    mrs_route_verdict_clear(res);
}

typedef struct kb_file {
    mrs_kb_kind kind;
    const char *path;
} kb_file;

/* Load every knowledge file named on the command line. Bad entries are reported
 * (FILE:LINE) and skipped; a file that cannot be read at all is fatal (-1). */
static int load_kbs(mrs_kbs *k, const kb_file *f, size_t n, const char *irr_sources, mrs_diag *kd)
{
    if (mrs_kbs_require(k, MRS_KBS_RPKI | MRS_KBS_BOGONS) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        uint64_t skipped;
        if (mrs_kbs_load(k, f[i].kind, f[i].path, kd, &skipped) < 0) { /* 1: no records, an input error */
            fprintf(stderr, "manrs validate: cannot load %s\n", f[i].path);
            return -1;
        }
        if (skipped)
            fprintf(stderr, "manrs validate: %s: %" PRIu64 " bad entries skipped\n", f[i].path, skipped);
    }
    if (!k->have_vrps)
        fprintf(stderr, "manrs validate: no --vrps or --rtr given: every route is RPKI not-found (RFC 6811 §2)\n");
    switch (mrs_kbs_finish(k, irr_sources)) {
    case MRS_KBS_OK: return 0;
    case MRS_KBS_UNKNOWN_SOURCE:
        fprintf(stderr, "manrs validate: --irr-sources %s: unknown source\n", irr_sources);
        return -1;
    default: return -1;
    }
}

int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"vrps", required_argument, NULL, 'v'},
        {"rtr", required_argument, NULL, 'R'},
        {"irr", required_argument, NULL, 'i'},
        {"irr-sources", required_argument, NULL, 'S'},
        {"asrel", required_argument, NULL, 'a'},
        {"delegated", required_argument, NULL, 'd'},
        {"bogons", required_argument, NULL, 'b'},
        {"drop", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},
        {"downstream", no_argument, NULL, 'D'},
        {"upstream", no_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    validate_run c;
    memset(&c, 0, sizeof c);
    mrs_aspa_direction dir = MRS_ASPA_UPSTREAM;
    kb_file *files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    const char *irr_sources = NULL;
    if (!files)
        return 2;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "v:S:jh", opts, NULL)) != -1) {
        switch (ch) {
        case 'v': files[nfiles++] = (kb_file){MRS_KB_VRPS, optarg}; break;
        case 'R': files[nfiles++] = (kb_file){MRS_KB_RTR, optarg}; break;
        case 'i': files[nfiles++] = (kb_file){MRS_KB_IRR, optarg}; break;
        case 'a': files[nfiles++] = (kb_file){MRS_KB_ASREL, optarg}; break;
        case 'd': files[nfiles++] = (kb_file){MRS_KB_DELEGATED, optarg}; break;
        case 'b': files[nfiles++] = (kb_file){MRS_KB_BOGONS, optarg}; break;
        case 'p': files[nfiles++] = (kb_file){MRS_KB_DROP, optarg}; break;
        case 'S': irr_sources = optarg; break;
        case 'j': c.json = true; break;
        case 'D': dir = MRS_ASPA_DOWNSTREAM; break;
        case 'U': dir = MRS_ASPA_UPSTREAM; break;
        case 'h': fputs(VALIDATE_USAGE, stdout); free(files); return 0;
        default: fputs(VALIDATE_USAGE, stderr); free(files); return 2;
        }
    }
    mrs_diag kd, d;
    mrs_diag_init(&kd, stderr);
    kd.max_print = 100;
    mrs_diag_init(&d, stderr);
    d.max_print = 1000;
    mrs_kbs_init(&c.kbs);
    c.kb = (mrs_route_kbs){&c.kbs, dir};
    if (load_kbs(&c.kbs, files, nfiles, irr_sources, &kd) != 0) {
        free(files);
        mrs_kbs_clear(&c.kbs);
        return 2;
    }
    free(files);
    int status = kd.errors ? 1 : 0;
    mrs_outbuf_init(&c.out, stdout);
    if (!c.json && isatty(STDOUT_FILENO))
        mrs_validate_print_header(&c.out);
    if (optind < argc) {
        /* All arguments form one route. */
        size_t len = 1;
        for (int i = optind; i < argc; i++)
            len += strlen(argv[i]) + 1;
        char *line = malloc(len);
        if (!line) {
            mrs_outbuf_close(&c.out);
            mrs_kbs_clear(&c.kbs);
            return 2;
        }
        line[0] = 0;
        for (int i = optind; i < argc; i++) {
            strcat(line, argv[i]);
            strcat(line, " ");
        }
        process_line(&c, line, strlen(line), 1, &d);
        free(line);
    } else {
        char err[512];
        mrs_reader *rd = mrs_reader_open("-", err, sizeof err);
        if (!rd) {
            fprintf(stderr, "manrs validate: %s\n", err);
            mrs_outbuf_close(&c.out);
            mrs_kbs_clear(&c.kbs);
            return 2;
        }
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        uint64_t lineno = 0;
        while ((n = mrs_getline(rd, &line, &cap)) >= 0) {
            lineno++;
            if (memchr(line, 0, (size_t)n)) {
                mrs_diag_error_line(&d, "-", lineno, "NUL byte in line");
                continue;
            }
            process_line(&c, line, (size_t)n, lineno, &d);
        }
        if (mrs_reader_error(rd)) {
            fprintf(stderr, "manrs validate: standard input: %s\n", mrs_reader_errmsg(rd));
            status = 1;
        }
        free(line);
        mrs_reader_close(rd);
    }
    if (d.errors) {
        fprintf(stderr, "manrs validate: %" PRIu64 " bad input line%s skipped\n", d.errors, d.errors == 1 ? "" : "s");
        status = 1;
    }
    if (!mrs_outbuf_close(&c.out))
        status = 1;
    if (c.inconsistent)
        status = 3;
    mrs_route_clear(&c.route);
    mrs_kbs_clear(&c.kbs);
    return status;
}
