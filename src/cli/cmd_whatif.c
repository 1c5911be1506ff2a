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
#include "manrs/kb/participants.h"
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
    "                     or participants:FILE (every network of a MANRS participants registry)\n"                  \
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

/* The adoption set: a file, top-N or participants:FILE. */
static int load_adopt(const wi_args *a, mrs_asrel *rel, uint32_t **out, size_t *n, mrs_diag *d)
{
    const char *s = a->adopt;
    unsigned top;
    if (!strncmp(s, "top-", 4) && cli_parse_uint(s + 4, 1, 10000000, &top)) {
        *out = malloc(top * sizeof **out);
        if (!*out)
            return -1;
        *n = mrs_whatif_top_cone(rel, top, *out);
        return *n ? 0 : -1;
    }
    if (!strncmp(s, "participants:", 13)) {
        mrs_registry reg;
        memset(&reg, 0, sizeof reg);
        if (mrs_registry_load(s + 13, &reg, d) < 0) {
            mrs_registry_clear(&reg);
            return -1;
        }
        size_t cnt = 0;
        for (size_t i = 0; i < reg.n; i++)
            cnt += reg.v[i].n_asns;
        *out = malloc((cnt ? cnt : 1) * sizeof **out);
        if (!*out) {
            mrs_registry_clear(&reg);
            return -1;
        }
        *n = 0;
        for (size_t i = 0; i < reg.n; i++)
            for (size_t j = 0; j < reg.v[i].n_asns; j++)
                (*out)[(*n)++] = reg.v[i].asns[j].asn;
        mrs_registry_clear(&reg);
        return 0;
    }
    ssize_t k = mrs_whatif_adopt_file(s, out, d);
    if (k < 0)
        return -1;
    *n = (size_t)k;
    return 0;
}

/* Who announces the prefix (the legitimate origin and the hijack type), from the MRT data. */
static int find_origin(wi_args *a, const wi_rib *rib)
{
    mrs_whatif_opts *o = &a->o;
    char ps[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&o->prefix, ps);
    uint32_t exact[16], cov[16];
    size_t ne = rib ? wi_rib_origins(rib, &o->prefix, exact, 16) : 0, nc = 0;
    mrs_prefix cover;
    bool has_cover = rib && wi_rib_cover(rib, &o->prefix, &cover, cov, 16, &nc);
    bool sub = a->type ? !strcmp(a->type, "sub") : (!ne && has_cover);
    if (a->type && !strcmp(a->type, "forged"))
        o->kind = MRS_PINC_FORGED;
    else if (o->kind != MRS_PINC_LEAK && sub)
        o->kind = MRS_PINC_SUBPREFIX;
    if (o->kind == MRS_PINC_SUBPREFIX) {
        if (has_cover)
            o->cover = cover;
        else if (rib && !a->origin) {
            fprintf(stderr, "manrs whatif: nobody announces a prefix covering %s in the MRT data\n", ps);
            return -1;
        } else {
            o->cover = o->prefix; /* no data: the victim's prefix one bit shorter */
            if (o->cover.len)
                o->cover.len--;
            mrs_prefix_mask(&o->cover);
        }
    }
    if (a->origin)
        return 0;
    const uint32_t *v = o->kind == MRS_PINC_SUBPREFIX ? cov : exact;
    size_t n = o->kind == MRS_PINC_SUBPREFIX ? nc : ne;
    if (!rib) {
        fprintf(stderr, "manrs whatif: give --origin ASN, or --rib MRT data that shows who announces %s\n", ps);
        return -1;
    }
    for (size_t k = 0; k < n; k++)
        if (v[k] != o->culprit_asn) {
            o->origin_asn = v[k];
            return 0;
        }
    if (n == 0)
        fprintf(stderr, "manrs whatif: nobody announces %s%s in the MRT data: give --origin\n", ps,
                o->kind == MRS_PINC_SUBPREFIX ? " nor a prefix covering it" : "");
    else
        fprintf(stderr, "manrs whatif: only the culprit announces %s in the MRT data: give --origin\n", ps);
    return -1;
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
    if (a.o.have_prefix && find_origin(&a, rib) < 0)
        goto out;
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
        double pa = ag.predictions ? 100.0 * (double)ag.agree / (double)ag.predictions : 0;
        double pm = ag.predictions ? 100.0 * (double)ag.majority_agree / (double)ag.predictions : 0;
        if (a.json)
            printf("{\"events\": %zu, \"predictions\": %zu, \"agree\": %zu, \"agreement\": %.4f, "
                   "\"majority_agree\": %zu, \"majority_agreement\": %.4f, \"no_route\": %zu, "
                   "\"skipped_unknown_origin\": %zu, \"peer_unknown\": %zu, \"peer_is_origin\": %zu, "
                   "\"two_origins\": {\"events\": %zu, \"predictions\": %zu, \"agree\": %zu, \"majority_agree\": %zu}}\n",
                   ag.events, ag.predictions, ag.agree, pa / 100, ag.majority_agree, pm / 100, ag.no_route,
                   ag.skipped_unknown, ag.peer_unknown, ag.peer_is_origin, ag.two_events, ag.two_predictions,
                   ag.two_agree, ag.two_majority);
        else
            printf("agreement: %zu of %zu collector-peer choices predicted (%.1f%%) over %zu %s;\n"
                   "baseline (every peer takes the more common origin): %zu (%.1f%%)\n"
                   "left out: %zu events with an origin outside the graph, %zu peers outside it, %zu peers that "
                   "are an origin; %zu predictions without a route\n",
                   ag.agree, ag.predictions, pa, ag.events, a.o.have_prefix ? "incident" : "MOAS prefixes",
                   ag.majority_agree, pm, ag.skipped_unknown, ag.peer_unknown, ag.peer_is_origin, ag.no_route);
        if (ag.two_events && !a.o.have_prefix && !a.json)
            printf("of which prefixes with exactly two origins: %zu of %zu choices (%.1f%%) over %zu prefixes; "
                   "baseline %zu (%.1f%%)\n",
                   ag.two_agree, ag.two_predictions, 100.0 * (double)ag.two_agree / (double)ag.two_predictions,
                   ag.two_events, ag.two_majority, 100.0 * (double)ag.two_majority / (double)ag.two_predictions);
        rc = 0;
        goto out;
    }
    if (a.adopt) {
        size_t n = 0;
        if (load_adopt(&a, rel, &adopt, &n, &d) < 0) {
            fprintf(stderr, "manrs whatif: %s: no adoption set\n", a.adopt);
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
