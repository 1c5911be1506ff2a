/*
 * cmd_whatif.c — `manrs whatif`: who must act to stop an incident (apps/whatif.h,
 * docs/whatif.md). Argument parsing, loading and printing only.
 * Exit: 0 done; 1 input error (unreadable file, unknown AS, a prefix nobody
 * announces, an empty adoption set, not a leak); 2 usage.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/apps/whatif.h"
#include "manrs/kb/as2org.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/rpki.h"

#define WHATIF_USAGE                                                                                                   \
    "usage: manrs whatif --asrel FILE (--hijack PREFIX | --leak PREFIX) --by ASN [--origin ASN]\n"                    \
    "                    [--adopt FILE|top-N|participants:FILE] [--action rov|filter|aspa]\n"                        \
    "                    [--vrps FILE] [--rib MRT]... [--greedy K] [--json] [--svg FILE]\n"                           \
    "       manrs whatif --asrel FILE --rib MRT... --validate [--hijack PREFIX --by ASN]\n"                          \
    "  Policy routing (Gao-Rexford, the simulator's engine) over an AS graph for one hijack or\n"               \
    "  route leak: the share of ASes (and of address space) that would route to the culprit\n"                     \
    "  with nobody acting and with an adoption set, and the greedy sequence of the K ASes whose\n"                  \
    "  adoption cuts it most. --validate: how often the model predicts the origin each collector\n"                 \
    "  peer really chose (MOAS prefixes in the MRT data, or the given hijack). See docs/whatif.md.\n"              \
    "\n"                                                                                                             \
    "  --asrel FILE       CAIDA AS relationships (serial-1 or -2; any compression)\n"                                 \
    "  --as2org FILE      CAIDA AS-to-Organization: links inside one organisation are sibling links\n"               \
    "  --world DIR        a simulated world: its asrel.txt, rib.mrt.gz, vrps.json and as2org.txt\n"                  \
    "  --hijack PREFIX    a hijack of PREFIX by --by (see --type)\n"                                                  \
    "  --leak PREFIX      a route leak of PREFIX by --by (RFC 7908)\n"                                                \
    "  --by ASN           the culprit\n"                                                                              \
    "  --origin ASN       the legitimate origin (default: the origin of PREFIX, or of the prefix\n"                  \
    "                     covering it, in the --rib data)\n"                                                          \
    "  --type T           hijack type: origin (same prefix), sub (a more specific), forged (path\n"                  \
    "                     \"BY ORIGIN\"); default: sub if --rib shows only a covering prefix, else origin\n"         \
    "  --leak-to T        where the leaker sends the route: providers, peers or all (default all)\n"                \
    "  --adopt SET        the adoption set: a file of ASNs, top-N (the N largest customer cones),\n"                \
    "                     participants:FILE (every network of a MANRS participants registry), or\n"                 \
    "                     ready1:DB / ready4:DB (the networks an observe store rates ready for\n"                  \
    "                     Action 1 / Action 4 in its latest run)\n"                                              \
    "  --action A         what the adopters do: rov, filter (MANRS Action 1 customer filtering),\n"                 \
    "                     aspa (publish ASPA and verify paths), or a comma list (default rov)\n"                     \
    "  --vrps FILE        VRPs for the RPKI states (default: the victim holds a ROA for its prefix)\n"              \
    "                     and the ASPAs published there\n"                                                           \
    "  --policy FILE      the deployment before any adoption: \"ASN [rov] [filter] [aspa] [otc]\n"                  \
    "                     [prepend=N] [partial-transit=CUSTOMER]\" per line (docs/whatif.md)\n"                      \
    "  --rib MRT          MRT RIB or updates (repeatable): origins, address space, validation\n"                     \
    "  --greedy K         the K ASes whose adoption of --action cuts capture most, one by one\n"                     \
    "  --threads N        threads for the greedy search (default: one per CPU, at most 8)\n"                       \
    "  --json             JSON output\n"                                                                              \
    "  --svg FILE         capture versus k (the greedy steps) as an SVG plot\n"                                       \
    "  --members          --json: also the captured ASes and the propagators (nobody acting)\n"                      \
    "  --validate         compare predictions with the collector peers' real choices (needs --rib)\n"               \
    "  --max-events N     --validate: at most N MOAS prefixes (default all)\n"                                       \
    "  --events           --validate: one line per MOAS prefix (prefix, origins, agreeing peers)\n"                  \
    "  -h, --help         this help\n"                                                                               \
    "\n"                                                                                                             \
    "Exit status: 0 done; 1 unreadable or damaged input, an AS the graph does not hold, a prefix\n"                   \
    "nobody announces, an empty adoption set, or a leak that is none; 2 usage error.\n"

#define MAX_RIBS 256

typedef struct wi_args {
    const char *asrel, *as2org, *world, *adopt, *vrps, *svg, *by, *origin, *type, *policy;
    const char *ribs[MAX_RIBS];
    int n_ribs;
    bool json, validate, events;
    unsigned greedy, threads, max_events;
    mrs_whatif_opts o;
} wi_args;

/* A usage error: the message, the usage, exit status 2. */
#define usage_err(...) (fprintf(stderr, "manrs whatif: " __VA_ARGS__), fprintf(stderr, "\n\n%s", WHATIF_USAGE), 2)

static int parse(int argc, char **argv, wi_args *a)
{
    static const struct option opts[] = {
        {"asrel", required_argument, NULL, 1001},   {"as2org", required_argument, NULL, 1002},
        {"world", required_argument, NULL, 1003},   {"hijack", required_argument, NULL, 1004},
        {"leak", required_argument, NULL, 1005},    {"by", required_argument, NULL, 1006},
        {"origin", required_argument, NULL, 1007},  {"type", required_argument, NULL, 1008},
        {"leak-to", required_argument, NULL, 1009}, {"adopt", required_argument, NULL, 1010},
        {"action", required_argument, NULL, 1011},  {"vrps", required_argument, NULL, 1012},
        {"rib", required_argument, NULL, 1013},     {"greedy", required_argument, NULL, 1014},
        {"threads", required_argument, NULL, 1015}, {"json", no_argument, NULL, 1016},
        {"svg", required_argument, NULL, 1017},     {"validate", no_argument, NULL, 1018},
        {"max-events", required_argument, NULL, 1019}, {"events", no_argument, NULL, 1020},
        {"policy", required_argument, NULL, 1021},  {"members", no_argument, NULL, 1022},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    const char *pfx = NULL;
    bool leak = false;
    int ch;
    a->o.action = MRS_POL_ROV;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 1001: a->asrel = optarg; break;
        case 1002: a->as2org = optarg; break;
        case 1003: a->world = optarg; break;
        case 1004:
        case 1005:
            if (pfx)
                return usage_err("give one incident (%s): --hijack or --leak, once", optarg);
            pfx = optarg;
            leak = ch == 1005;
            break;
        case 1006: a->by = optarg; break;
        case 1007: a->origin = optarg; break;
        case 1008: a->type = optarg; break;
        case 1009:
            if (!strcmp(optarg, "providers"))
                a->o.leak_to = MRS_LEAK_TO_PROVIDERS;
            else if (!strcmp(optarg, "peers"))
                a->o.leak_to = MRS_LEAK_TO_PEERS;
            else if (!strcmp(optarg, "all"))
                a->o.leak_to = MRS_LEAK_TO_PROVIDERS | MRS_LEAK_TO_PEERS;
            else
                return usage_err("--leak-to: '%s' is not providers, peers or all", optarg);
            break;
        case 1010: a->adopt = optarg; break;
        case 1011:
            if (!mrs_whatif_action_parse(optarg, &a->o.action))
                return usage_err("--action: '%s' is not rov, filter, aspa or a comma list of them", optarg);
            break;
        case 1012: a->vrps = optarg; break;
        case 1013:
            if (a->n_ribs >= MAX_RIBS)
                return usage_err("too many --rib files (%s)", optarg);
            a->ribs[a->n_ribs++] = optarg;
            break;
        case 1014:
            if (!cli_parse_uint(optarg, 1, 10000, &a->greedy))
                return usage_err("--greedy: bad count '%s' (1..10000)", optarg);
            break;
        case 1015:
            if (!cli_parse_uint(optarg, 1, 64, &a->threads))
                return usage_err("--threads: bad count '%s' (1..64)", optarg);
            break;
        case 1016: a->json = true; break;
        case 1017: a->svg = optarg; break;
        case 1018: a->validate = true; break;
        case 1019:
            if (!cli_parse_uint(optarg, 1, 100000000, &a->max_events))
                return usage_err("--max-events: bad count '%s'", optarg);
            break;
        case 1020: a->events = true; break;
        case 1021: a->policy = optarg; break;
        case 1022: a->o.members = true; break;
        case 'h': fputs(WHATIF_USAGE, stdout); return 0;
        default: fputs(WHATIF_USAGE, stderr); return 2;
        }
    }
    if (optind != argc)
        return usage_err("unexpected argument '%s'", argv[optind]);
    if (!a->asrel && !a->world)
        return usage_err("%s", "--asrel (or --world) is required");
    if (!pfx && !a->validate)
        return usage_err("%s", "an incident is required: --hijack PREFIX or --leak PREFIX, with --by ASN");
    if (pfx) {
        if (!mrs_prefix_parse(pfx, strlen(pfx), &a->o.prefix, false))
            return usage_err("'%s' is not a prefix", pfx);
        mrs_prefix_mask(&a->o.prefix);
        a->o.have_prefix = true;
        if (!a->by)
            return usage_err("%s", "--by ASN (the culprit) is required");
        a->o.kind = leak ? MRS_PINC_LEAK : MRS_PINC_ORIGIN;
        if (a->type && leak)
            return usage_err("--type %s is for hijacks", a->type);
    }
    if (a->by && !mrs_asn_parse(a->by, strlen(a->by), &a->o.culprit_asn))
        return usage_err("--by: '%s' is not an AS number", a->by);
    if (a->origin && !mrs_asn_parse(a->origin, strlen(a->origin), &a->o.origin_asn))
        return usage_err("--origin: '%s' is not an AS number", a->origin);
    if (a->type && strcmp(a->type, "origin") && strcmp(a->type, "sub") && strcmp(a->type, "forged"))
        return usage_err("--type: '%s' is not origin, sub or forged", a->type);
    if (a->validate && !a->n_ribs && !a->world)
        return usage_err("%s", "--validate needs MRT data (--rib or --world)");
    return -1; /* go on */
}

static void world_file(char *out, size_t n, const char *dir, const char *name) { snprintf(out, n, "%s/%s", dir, name); }

int cmd_whatif(int argc, char **argv)
{
    wi_args a;
    memset(&a, 0, sizeof a);
    int rc = parse(argc, argv, &a);
    if (rc >= 0)
        return rc;
    char wasrel[4096], wrib[4096], wvrps[4096], worg[4096];
    if (a.world) {
        world_file(wasrel, sizeof wasrel, a.world, "asrel.txt");
        world_file(wrib, sizeof wrib, a.world, "rib.mrt.gz");
        world_file(wvrps, sizeof wvrps, a.world, "vrps.json");
        world_file(worg, sizeof worg, a.world, "as2org.txt");
        if (!a.asrel)
            a.asrel = wasrel;
        if (!a.n_ribs)
            a.ribs[a.n_ribs++] = wrib;
        if (!a.vrps)
            a.vrps = wvrps;
        if (!a.as2org && access(worg, R_OK) == 0)
            a.as2org = worg;
    }
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    d.max_print = 20;
    rc = 1;
    mrs_asrel *rel = mrs_asrel_new();
    mrs_as2org *org = NULL;
    mrs_rpki *vrps = NULL;
    wi_rib *rib = NULL;
    mrs_pnet *g = NULL;
    uint32_t *adopt = NULL;
    double *weights = NULL;
    mrs_whatif_result r;
    memset(&r, 0, sizeof r);
    char err[512];
    bool tty = isatty(STDERR_FILENO);
    if (!rel || mrs_asrel_load(rel, a.asrel, &d) < 0 || d.errors)
        goto out;
    if (a.as2org && (!(org = mrs_as2org_new()) || mrs_as2org_load(org, a.as2org, &d) < 0))
        goto out;
    if (a.vrps && (!(vrps = mrs_rpki_new()) || mrs_rpki_load_file(vrps, a.vrps, &d, NULL) < 0 ||
                   mrs_rpki_build(vrps) < 0))
        goto out;
    if (!(g = mrs_pnet_from_asrel(rel, org, err, sizeof err))) {
        fprintf(stderr, "manrs whatif: %s: %s\n", a.asrel, err);
        goto out;
    }
    if (vrps && mrs_pnet_set_published_aspa(g, vrps) < 0)
        goto out;
    if (a.policy) {
        size_t unknown = 0;
        if (mrs_whatif_policy_file(a.policy, g, &unknown, &d) < 0)
            goto out;
        if (unknown)
            fprintf(stderr, "manrs whatif: %s: %zu ASes are not in the AS relationships (left out)\n", a.policy,
                    unknown);
    }
    if (a.n_ribs && !(rib = wi_rib_new()))
        goto out;
    for (int i = 0; i < a.n_ribs; i++) {
        if (tty)
            fprintf(stderr, "\rwhatif: reading %s", a.ribs[i]);
        if (wi_rib_load(rib, a.ribs[i], a.validate, &d) < 0) {
            fprintf(stderr, "%smanrs whatif: %s: cannot read the MRT data\n", tty ? "\n" : "", a.ribs[i]);
            goto out;
        }
    }
    if (tty && a.n_ribs)
        fputc('\n', stderr);
    if (a.o.have_prefix && mrs_whatif_resolve(&a.o, rib, a.type, a.origin != NULL, err, sizeof err) < 0) {
        fprintf(stderr, "manrs whatif: %s\n", err);
        goto out;
    }
    a.o.vrps = vrps;
    a.o.greedy = a.greedy;
    a.o.threads = a.threads;
    a.o.progress = tty;
    if (a.validate) {
        mrs_whatif_agreement ag;
        if (mrs_whatif_agreement_run(g, rib, &a.o, a.max_events, &ag, a.events ? stdout : NULL, err, sizeof err) <
            0) {
            fprintf(stderr, "manrs whatif: %s\n", err);
            goto out;
        }
        mrs_whatif_print_agreement(stdout, &ag, a.json, a.o.have_prefix);
        rc = 0;
        goto out;
    }
    if (a.adopt) {
        size_t n = 0;
        if (mrs_whatif_adopt_spec(a.adopt, rel, &adopt, &n, &d, err, sizeof err) < 0) {
            fprintf(stderr, "manrs whatif: %s: %s\n", a.adopt, err);
            goto out;
        }
        if (n == 0) {
            fprintf(stderr, "manrs whatif: %s: the adoption set is empty\n", a.adopt);
            goto out;
        }
        a.o.adopt = adopt;
        a.o.n_adopt = n;
        a.o.have_adopt = true;
    }
    if (rib) {
        weights = malloc(mrs_pnet_count(g) * sizeof *weights);
        if (!weights)
            goto out;
        a.o.weight_total = wi_rib_weights(rib, g, a.o.prefix.afi ? a.o.prefix.afi : 1, weights);
        a.o.weights = weights;
    }
    if (mrs_whatif_run(g, &a.o, &r, err, sizeof err) < 0) {
        fprintf(stderr, "manrs whatif: %s\n", err);
        goto out;
    }
    if (a.json)
        mrs_whatif_print_json(stdout, &a.o, &r, a.asrel);
    else
        mrs_whatif_print_table(stdout, &a.o, &r, a.asrel);
    if (a.svg) {
        FILE *f = fopen(a.svg, "w");
        if (!f) {
            fprintf(stderr, "manrs whatif: %s: cannot write\n", a.svg);
            goto out;
        }
        mrs_whatif_print_svg(f, &a.o, &r);
        if (fclose(f) != 0) {
            fprintf(stderr, "manrs whatif: %s: cannot write\n", a.svg);
            goto out;
        }
    }
    rc = 0;
out:
    mrs_whatif_result_clear(&r);
    free(weights);
    free(adopt);
    mrs_pnet_free(g);
    wi_rib_free(rib);
    mrs_rpki_free(vrps);
    mrs_as2org_free(org);
    mrs_asrel_free(rel);
    return rc;
}
