/*
 * cmd_ixp.c — `manrs ixp --rs-rib FILE...`: the MANRS IXP Action 1 check of a
 * route server's RIB dumps (apps/ixp.h), printed as a report or JSON.
 * Exit (the one rule of manrs.1, as `check`): 0 the RS is conformant (no route of a
 * required class), 3 it is not; 1 an input that cannot be read or holds no records,
 * or a write error; 2 a usage error.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/ixp.h"
#include "manrs/core/search.h"

#define IXP_USAGE                                                                                                     \
    "usage: manrs ixp --rs-rib FILE... [--vrps FILE...] [--irr FILE...] [--members FILE]\n"                         \
    "                 [--bogons FILE...] [--rs-asn ASN] [--transit-free LIST] [--json]\n"                           \
    "\n"                                                                                                             \
    "MANRS IXP programme, Action 1: what a route server accepted, from its RIB dumps (MRT\n"                       \
    "TABLE_DUMP or TABLE_DUMP_V2, any compression), checked route by route: RPKI invalid\n"                        \
    "(RFC 6811), bogon prefixes and ASNs, no IRR route object / origin not in the member's\n"                       \
    "as-set, longer than /24 or /48, first AS not the peer's, transit-free ASes behind the\n"                       \
    "member, AS_SET. Per member and for the RS, with the evidence of each finding (prefix,\n"                      \
    "origin, AS path, peer, MRT file and byte offset). See docs/ixp.md.\n"                                           \
    "\n"                                                                                                             \
    "  -r, --rs-rib FILE  route-server RIB dump (MRT); repeatable, at least one\n"                                 \
    "  -v, --vrps FILE    VRPs (rpki-client, Routinator, StayRTR JSON or CSV): the rpki-invalid check\n"          \
    "  -i, --irr FILE     RPSL dump (route, route6, as-set): the IRR checks\n"                                     \
    "  -m, --members FILE members, one per line: ASN [AS-SET] [NAME] ('-' for no as-set)\n"                        \
    "  -b, --bogons FILE  extra bogon prefixes, one per line, beyond the built-in IANA registries\n"               \
    "  -a, --rs-asn ASN   the route server's own ASN: a peer with it is the RS's session, its\n"                   \
    "                     routes belong to the member named by each path's first AS\n"                            \
    "  -t, --transit-free LIST  comma-separated ASNs added to the built-in transit-free list;\n"                  \
    "                     '=LIST' replaces it ('=' alone: no transit-free check)\n"                                 \
    "  -j, --json         one JSON document instead of the report\n"                                             \
    "  -h, --help         this help\n"                                                                           \
    "\n"                                                                                                             \
    "Files may be compressed; bad entries are reported as FILE:LINE or FILE: offset N and skipped.\n"             \
    "Exit status: 0 the RS is Action 1 conformant, 3 it accepted routes of a required class,\n"                    \
    "1 an input could not be read or held no records (or a write error), 2 usage error.\n"

enum { IXP_EXIT_NOT_CONFORMANT = 3 };   /* as check's FAIL: 1 stays "input or write error" */

typedef struct kb_file {
    mrs_kb_kind kind;
    const char *path;
} kb_file;

/* The transit-free list: the built-in one extended by LIST, or replaced by =LIST. */
static uint32_t *transit_list(const char *arg, size_t *n)
{
    bool replace = *arg == '=';
    size_t nb = 0;
    const uint32_t *b = ixp_transit_free_builtin(&nb);
    uint32_t *v = malloc((strlen(arg) / 2 + 2 + nb) * sizeof *v);
    if (!v)
        return NULL;
    *n = 0;
    if (!replace)
        for (size_t i = 0; i < nb; i++)
            v[(*n)++] = b[i];
    for (const char *p = arg + replace; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        uint32_t asn;
        if (!mrs_asn_parse(p, len, &asn) || asn == 0) {
            fprintf(stderr, "manrs ixp: --transit-free: '%.*s' is not an AS number\n", (int)len, p);
            free(v);
            return NULL;
        }
        v[(*n)++] = asn;
        p += len + (e ? 1 : 0);
    }
    qsort(v, *n, sizeof *v, mrs_cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (!k || v[k - 1] != v[i])
            v[k++] = v[i];
    *n = k;
    return v;
}

int cmd_ixp(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rs-rib", required_argument, NULL, 'r'},  {"vrps", required_argument, NULL, 'v'},
        {"irr", required_argument, NULL, 'i'},     {"members", required_argument, NULL, 'm'},
        {"bogons", required_argument, NULL, 'b'},  {"rs-asn", required_argument, NULL, 'a'},
        {"transit-free", required_argument, NULL, 't'}, {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    kb_file *files = calloc((size_t)argc + 1, sizeof *files);
    const char **ribs = calloc((size_t)argc + 1, sizeof *ribs);
    size_t nfiles = 0, nribs = 0, ntransit = 0;
    const char *members_path = NULL;
    uint32_t *transit = NULL;
    bool json = false, transit_given = false;
    ixp_opts o;
    memset(&o, 0, sizeof o);
    int ch, rc = 2;
    if (!files || !ribs)
        goto out;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "r:v:i:m:b:a:t:jh", opts, NULL)) != -1) {
        switch (ch) {
        case 'r': ribs[nribs++] = optarg; break;
        case 'v': files[nfiles++] = (kb_file){MRS_KB_VRPS, optarg}; break;
        case 'i': files[nfiles++] = (kb_file){MRS_KB_IRR, optarg}; break;
        case 'b': files[nfiles++] = (kb_file){MRS_KB_BOGONS, optarg}; break;
        case 'm': members_path = optarg; break;
        case 'a':
            if (!mrs_asn_parse(optarg, strlen(optarg), &o.rs_asn) || !o.rs_asn) {
                fprintf(stderr, "manrs ixp: --rs-asn: '%s' is not an AS number\n", optarg);
                goto out;
            }
            break;
        case 't':
            free(transit);
            if (!(transit = transit_list(optarg, &ntransit)))
                goto out;
            transit_given = true;
            break;
        case 'j': json = true; break;
        case 'h': fputs(IXP_USAGE, stdout); rc = 0; goto out;
        default: fputs(IXP_USAGE, stderr); goto out;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "manrs ixp: unexpected argument '%s' (dumps are given with --rs-rib)\n\n%s", argv[optind],
                IXP_USAGE);
        goto out;
    }
    if (!nribs) {
        fprintf(stderr, "manrs ixp: no --rs-rib FILE\n\n%s", IXP_USAGE);
        goto out;
    }
    if (transit_given) {
        o.transit = transit;
        o.n_transit = ntransit;
        if (!ntransit) {
            static const uint32_t none[1] = {0};
            o.transit = none;   /* non-NULL and empty: no transit-free check */
        }
    }

    mrs_diag kd, md;
    mrs_diag_init(&kd, stderr);
    mrs_diag_init(&md, stderr);
    kd.max_print = md.max_print = 100;
    mrs_kbs kbs;
    mrs_kbs_init(&kbs);
    ixp_members members;
    memset(&members, 0, sizeof members);
    ixp_result r;
    memset(&r, 0, sizeof r);
    bool input_bad = mrs_kbs_require(&kbs, MRS_KBS_BOGONS) != 0;
    for (size_t i = 0; i < nfiles && !input_bad; i++)
        if (mrs_kbs_load(&kbs, files[i].kind, files[i].path, &kd, NULL) != 0) {
            fprintf(stderr, "manrs ixp: cannot load %s\n", files[i].path);
            input_bad = true;
        }
    if (!input_bad && mrs_kbs_finish(&kbs, NULL) != MRS_KBS_OK) {
        fprintf(stderr, "manrs ixp: cannot build the knowledge bases\n");
        input_bad = true;
    }
    if (!input_bad && members_path) {
        if (ixp_members_load(&members, members_path, &kd) != 0) {
            fprintf(stderr, "manrs ixp: cannot load %s\n", members_path);
            input_bad = true;
        } else if (members.bad)
            fprintf(stderr, "manrs ixp: %s: %" PRIu64 " bad line%s skipped\n", members_path, members.bad,
                    members.bad == 1 ? "" : "s");
    }
    o.kb = &kbs;
    o.members = members_path ? &members : NULL;
    if (!input_bad && ixp_init(&r, &o) != 0)
        input_bad = true;
    for (size_t i = 0; i < nribs && !input_bad; i++) {
        /* the feed said why ("FILE: reason", "FILE: no records") */
        if (ixp_scan_file(&r, ribs[i], &md) <= 0)
            input_bad = true;
    }
    rc = 1;   /* from here on a failure is an input (or memory) error */
    if (r.oom) {
        fprintf(stderr, "manrs ixp: out of memory\n");
        input_bad = true;
    }
    if (!input_bad) {
        if (md.errors)
            fprintf(stderr, "manrs ixp: %" PRIu64 " damaged MRT records or entries skipped\n", md.errors);
        if ((json ? ixp_print_json(&r, stdout) : ixp_print_table(&r, stdout)) != 0) {
            if (!ferror(stdout)) /* else main says "write error" */
                fprintf(stderr, "manrs ixp: cannot write the output\n");
        } else
            rc = ixp_conformant(&r) ? 0 : IXP_EXIT_NOT_CONFORMANT;
    }
    ixp_clear(&r);
    ixp_members_clear(&members);
    mrs_kbs_clear(&kbs);
out:
    free(transit);
    free(files);
    free(ribs);
    return rc;
}
