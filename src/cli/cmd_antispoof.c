/*
 * cmd_antispoof.c — `manrs antispoof`: load the knowledge files, build the
 * anti-spoofing result (src/apps/antispoof/antispoof.c) and print it in one router dialect.
 * Argument parsing and loading only; every decision is in the library.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/antispoof.h"
#include "manrs/kb/kbs.h"

static const char ANTISPOOF_USAGE[] =
    "usage: manrs antispoof (--customer ASN|AS-SET | --edge ASN) [options]\n"
    "\n"
    "Source-address validation filters (MANRS Action 2; BCP 38 RFC 2827, BCP 84 RFC 3704/8704).\n"
    "--customer: ingress filter for a customer interface, allowing the prefixes of the customer's\n"
    "cone (as-rel) or as-set (IRR), from IRR route objects, RPKI VRPs and routes seen in MRT data,\n"
    "exactly aggregated, bogon sources denied first, plus the uRPF mode to use (strict,\n"
    "EFP-uRPF algorithm A/B, loose) deduced from the customer's multihoming, each choice explained.\n"
    "--edge: egress filter for an edge network: only its own space may leave.\n"
    "\n"
    "  -c, --customer X       customer AS number or as-set (as-set needs --irr)\n"
    "  -e, --edge ASN         edge network (egress filter)\n"
    "  -a, --asrel FILE       CAIDA AS relationships (serial-1/2): cone and multihoming\n"
    "  -i, --irr FILE         RPSL dump (repeatable; any compression)\n"
    "  -S, --irr-sources L    IRR sources to use, in priority order (e.g. RIPE,RADB)\n"
    "  -v, --vrps FILE        VRPs (rpki-client/Routinator JSON or CSV; repeatable)\n"
    "      --rtr HOST:PORT    VRPs fetched from an RTR cache (repeatable)\n"
    "  -r, --rib FILE         MRT RIB dump or updates (repeatable): prefixes seen with a cone origin\n"
    "  -l, --local-as ASN     your own AS (the provider): refines strict / EFP-A / EFP-B / loose\n"
    "  -x, --extra PREFIX     also permit this prefix (the interconnect subnet; repeatable)\n"
    "  -f, --format F         ios, junos, eos, nftables, json (default ios)\n"
    "  -n, --name NAME        filter name (default MANRS-ANTISPOOF-<subject>-IN/OUT)\n"
    "  -I, --interface IF     also emit the interface stanza (filter + uRPF command)\n"
    "  -p, --max-provenance N provenance lines per permit entry (default 8, 0 = all)\n"
    "      --min-len4 N       drop IPv4 source prefixes shorter than /N (default 8)\n"
    "      --min-len6 N       drop IPv6 source prefixes shorter than /N (default 16)\n"
    "  -h, --help             this help\n"
    "\n"
    "Exit status: 0 filter written; 1 unknown customer/as-set, no prefix found, unreadable\n"
    "input, or damaged or empty input (bad lines are reported FILE:LINE and skipped, the\n"
    "filter is still written from the rest); 2 usage error.\n";

#define MAX_FILES 64

struct files {
    const char *v[MAX_FILES];
    int n;
};

static int add_file(struct files *f, const char *s, const char *opt)
{
    if (f->n >= MAX_FILES) {
        fprintf(stderr, "manrs antispoof: too many %s files (max %d)\n", opt, MAX_FILES);
        return -1;
    }
    f->v[f->n++] = s;
    return 0;
}

/* Names end up inside router configuration: only characters that every dialect
 * takes unquoted (and that cannot close the nftables string) are accepted. */
static bool safe_word(const char *s, const char *extra)
{
    if (!*s || strlen(s) > 100)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr(extra, *s)))
            return false;
    return true;
}

static bool parse_uint(const char *s, unsigned max, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v > max)
        return false;
    *out = (unsigned)v;
    return true;
}

static void warn_line(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "manrs antispoof: warning: %s\n", line);
}

int cmd_antispoof(int argc, char **argv)
{
    enum { OPT_MIN4 = 1000, OPT_MIN6 };
    static const struct option opts[] = {
        {"customer", required_argument, NULL, 'c'},  {"edge", required_argument, NULL, 'e'},
        {"asrel", required_argument, NULL, 'a'},     {"irr", required_argument, NULL, 'i'},
        {"irr-sources", required_argument, NULL, 'S'}, {"vrps", required_argument, NULL, 'v'},
        {"rtr", required_argument, NULL, 'R'},
        {"rib", required_argument, NULL, 'r'},       {"local-as", required_argument, NULL, 'l'},
        {"extra", required_argument, NULL, 'x'},     {"format", required_argument, NULL, 'f'},
        {"name", required_argument, NULL, 'n'},      {"interface", required_argument, NULL, 'I'},
        {"max-provenance", required_argument, NULL, 'p'}, {"min-len4", required_argument, NULL, OPT_MIN4},
        {"min-len6", required_argument, NULL, OPT_MIN6}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *customer = NULL, *edge = NULL, *asrel_file = NULL, *sources = NULL;
    struct files irr = {{0}, 0}, vrps = {{0}, 0}, ribs = {{0}, 0}, rtrs = {{0}, 0};
    mrs_prefix extra[MAX_FILES];
    size_t n_extra = 0;
    mrs_acl_format fmt = MRS_ACL_IOS;
    mrs_acl_opts aopts = {NULL, NULL, 8};
    uint32_t local_as = 0;
    unsigned min4 = 0, min6 = 0, u;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "c:e:a:i:S:v:r:l:x:f:n:I:p:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'c': customer = optarg; break;
        case 'e': edge = optarg; break;
        case 'a': asrel_file = optarg; break;
        case 'i': if (add_file(&irr, optarg, "--irr") < 0) return 2; break;
        case 'S': sources = optarg; break;
        case 'v': if (add_file(&vrps, optarg, "--vrps") < 0) return 2; break;
        case 'R': if (add_file(&rtrs, optarg, "--rtr") < 0) return 2; break;
        case 'r': if (add_file(&ribs, optarg, "--rib") < 0) return 2; break;
        case 'l':
            if (!mrs_asn_parse(optarg, strlen(optarg), &local_as) || local_as == 0) {
                fprintf(stderr, "manrs antispoof: bad AS number for --local-as: \"%s\"\n", optarg);
                return 2;
            }
            break;
        case 'x':
            if (n_extra >= MAX_FILES || !mrs_prefix_parse(optarg, strlen(optarg), &extra[n_extra], true)) {
                fprintf(stderr, "manrs antispoof: bad --extra prefix \"%s\" (host bits must be clear)\n", optarg);
                return 2;
            }
            n_extra++;
            break;
        case 'f':
            if (!mrs_acl_format_parse(optarg, &fmt)) {
                fprintf(stderr, "manrs antispoof: unknown format \"%s\" (ios, junos, eos, nftables, json)\n", optarg);
                return 2;
            }
            break;
        case 'n':
            if (!safe_word(optarg, "_-")) {
                fprintf(stderr, "manrs antispoof: --name takes letters, digits, '_' and '-' (at most 100)\n");
                return 2;
            }
            aopts.name = optarg;
            break;
        case 'I':
            if (!safe_word(optarg, "_-./:")) {
                fprintf(stderr, "manrs antispoof: --interface takes letters, digits and _ - . / : (at most 100)\n");
                return 2;
            }
            aopts.interface = optarg;
            break;
        case 'p':
            if (!parse_uint(optarg, 1000000, &u)) {
                fprintf(stderr, "manrs antispoof: bad --max-provenance \"%s\"\n", optarg);
                return 2;
            }
            aopts.max_provenance = u;
            break;
        case OPT_MIN4:
            if (!parse_uint(optarg, 32, &min4) || min4 == 0) {
                fprintf(stderr, "manrs antispoof: --min-len4 takes 1..32\n");
                return 2;
            }
            break;
        case OPT_MIN6:
            if (!parse_uint(optarg, 128, &min6) || min6 == 0) {
                fprintf(stderr, "manrs antispoof: --min-len6 takes 1..128\n");
                return 2;
            }
            break;
        case 'h': fputs(ANTISPOOF_USAGE, stdout); return 0;
        default: fputs(ANTISPOOF_USAGE, stderr); return 2;
        }
    }
    if (optind < argc || (!customer == !edge)) {
        fprintf(stderr, "manrs antispoof: give exactly one of --customer or --edge%s\n\n%s",
                optind < argc ? " (and no other arguments)" : "", ANTISPOOF_USAGE);
        return 2;
    }
    if (!irr.n && !vrps.n && !ribs.n && !n_extra) {
        fprintf(stderr, "manrs antispoof: no prefix source: give --irr, --vrps, --rib or --extra\n");
        return 2;
    }
    if (sources && !irr.n) {
        fprintf(stderr, "manrs antispoof: --irr-sources needs --irr\n");
        return 2;
    }

    int rc = 1;
    mrs_diag diag;
    mrs_diag_init(&diag, stderr);
    diag.max_print = 100;
    mrs_kbs kb;
    mrs_kbs_init(&kb);
    mrs_seen *rib = NULL;
    uint32_t *cone = NULL;
    size_t n_cone = 0;
    char err[1024];
    mrs_antispoof res;
    memset(&res, 0, sizeof res);
    bool built = false;

    if (asrel_file && mrs_kbs_load(&kb, MRS_KB_ASREL, asrel_file, &diag, NULL) < 0) {
        fprintf(stderr, "manrs antispoof: cannot load the as-rel file %s\n", asrel_file);
        goto out;
    }
    for (int i = 0; i < irr.n; i++)
        if (mrs_kbs_load(&kb, MRS_KB_IRR, irr.v[i], &diag, NULL) < 0) {
            fprintf(stderr, "manrs antispoof: cannot load the IRR file %s\n", irr.v[i]);
            goto out;
        }
    for (int i = 0; i < vrps.n; i++)
        if (mrs_kbs_load(&kb, MRS_KB_VRPS, vrps.v[i], &diag, NULL) < 0) {
            fprintf(stderr, "manrs antispoof: cannot load the VRP file %s\n", vrps.v[i]);
            goto out;
        }
    for (int i = 0; i < rtrs.n; i++)
        if (mrs_kbs_load(&kb, MRS_KB_RTR, rtrs.v[i], &diag, NULL) < 0) {
            fprintf(stderr, "manrs antispoof: cannot fetch the VRPs of the RTR cache %s\n", rtrs.v[i]);
            goto out;
        }
    switch (mrs_kbs_finish(&kb, kb.irr ? sources : NULL)) {
    case MRS_KBS_OK: break;
    case MRS_KBS_UNKNOWN_SOURCE:
        fprintf(stderr, "manrs antispoof: unknown IRR source in \"%s\"\n", sources);
        goto out;
    default: goto oom;
    }
    mrs_antispoof_input in;
    memset(&in, 0, sizeof in);
    in.mode = edge ? MRS_AS_EDGE_EGRESS : MRS_AS_CUSTOMER_INGRESS;
    in.subject = edge ? edge : customer;
    in.local_as = local_as;
    in.asrel = kb.asrel;
    in.irr = kb.irr;
    in.irr_sel = kb.irr_sel;
    in.rpki = kb.rpki;
    in.extra = extra;
    in.n_extra = n_extra;
    in.min_len4 = min4;
    in.min_len6 = min6;
    if (edge) {
        uint32_t e;
        if (!mrs_asn_parse(edge, strlen(edge), &e)) {
            fprintf(stderr, "manrs antispoof: --edge takes an AS number, not \"%s\"\n", edge);
            rc = 2;
            goto out;
        }
    }
    if (ribs.n) {
        /* scan only for the cone's origins */
        if (mrs_antispoof_cone(&in, &cone, &n_cone, err, sizeof err) < 0) {
            fprintf(stderr, "manrs antispoof: %s\n", err);
            goto out;
        }
        if (!(rib = mrs_seen_new()))
            goto oom;
        mrs_seen_filter sf = {cone, n_cone, false};
        for (int i = 0; i < ribs.n; i++)
            if (mrs_seen_scan_mrt(rib, ribs.v[i], &sf, &diag) < 0) {
                fprintf(stderr, "manrs antispoof: cannot read the MRT file %s\n", ribs.v[i]);
                goto out;
            }
        in.rib = rib;
    }
    if (mrs_antispoof_build(&in, &res, err, sizeof err) < 0) {
        fprintf(stderr, "manrs antispoof: %s\n", err);
        goto out;
    }
    built = true;
    if (mrs_acl_print(&res, fmt, &aopts, stdout) < 0 || fflush(stdout) != 0)
        goto out; /* main says "write error" */
    mrs_antispoof_warnings(&res, warn_line, NULL);
    if (diag.errors || diag.warnings)
        fprintf(stderr, "manrs antispoof: %llu input errors, %llu warnings (bad lines were skipped)\n",
                (unsigned long long)diag.errors, (unsigned long long)diag.warnings);
    rc = diag.errors ? 1 : 0; /* the rule of every command: damaged or empty input -> 1 */
    goto out;
oom:
    fprintf(stderr, "manrs antispoof: out of memory\n");
out:
    if (built)
        mrs_antispoof_clear(&res);
    free(cone);
    mrs_seen_free(rib);
    mrs_kbs_clear(&kb);
    return rc;
}
