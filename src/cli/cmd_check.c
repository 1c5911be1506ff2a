/*
 * cmd_check.c — `manrs check ASN`: load the observatory's inputs (inputs_load.h),
 * assess the AS on the four MANRS actions (check.h), print a table or JSON.
 * Exit: 0 it ran (whatever the verdicts), 1 input error or unknown AS, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "manrs/check.h"

#define CHECK_USAGE                                                                                                    \
    "usage: manrs check [--world DIR] [--rib FILE]... [--updates FILE]... [--vrps FILE]...\n"                       \
    "                   [--irr FILE]... [--asrel FILE] [--delegated FILE]... [--peeringdb FILE]...\n"               \
    "                   [--spoofer FILE]... [--min-peers N] [--acl-format ios|junos|eos|nftables]\n"             \
    "                   [--stale-days N] [--now YYYY-MM-DD] [--json] ASN\n"                                         \
    "  MANRS self-assessment of one network: per action PASS/FAIL/NO-DATA, the evidence\n"                           \
    "  and the exact remediation (ROAs, route objects, ACL, contacts). See docs/check.md.\n"

#define MAXF 64
enum { K_RIB, K_UPD, K_VRPS, K_IRR, K_ASREL, K_DELEG, K_PDB, K_SPOOF, K_N };

typedef struct flist {
    const char *v[MAXF];
    char *own[MAXF];
    int n;
} flist;

static int fl_add(flist *f, const char *p, char *own)
{
    if (f->n == MAXF) {
        fprintf(stderr, "manrs check: too many files (max %d per option)\n", MAXF);
        free(own);
        return -1;
    }
    f->own[f->n] = own;
    f->v[f->n++] = p;
    return 0;
}

static int world(flist *fl, const char *dir)
{
    static const char *const names[K_N] = {"rib.mrt.gz", "updates.mrt.gz", "vrps.json", "irr.db",
                                           "asrel.txt",  "delegated.txt",  "peeringdb.json", "spoofer.csv"};
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "manrs check: --world %s: not a directory\n", dir);
        return -1;
    }
    for (int k = 0; k < K_N; k++) {
        size_t n = strlen(dir) + strlen(names[k]) + 2;
        char *p = malloc(n);
        if (!p)
            return -1;
        snprintf(p, n, "%s/%s", dir, names[k]);
        if (stat(p, &st) != 0) {
            free(p);
            continue;
        }
        if (fl_add(&fl[k], p, p) != 0)
            return -1;
    }
    return 0;
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rib", required_argument, NULL, 'r'},       {"updates", required_argument, NULL, 'u'},
        {"vrps", required_argument, NULL, 'v'},      {"irr", required_argument, NULL, 'i'},
        {"asrel", required_argument, NULL, 'a'},     {"delegated", required_argument, NULL, 'd'},
        {"peeringdb", required_argument, NULL, 'p'}, {"spoofer", required_argument, NULL, 's'},
        {"world", required_argument, NULL, 'w'},     {"min-peers", required_argument, NULL, 'm'},
        {"acl-format", required_argument, NULL, 'f'}, {"json", no_argument, NULL, 'j'},
        {"asrel-ipv6", no_argument, NULL, '6'},      {"help", no_argument, NULL, 'h'},
        {"stale-days", required_argument, NULL, 'S'}, {"now", required_argument, NULL, 'N'},
        {NULL, 0, NULL, 0},
    };
    flist fl[K_N];
    memset(fl, 0, sizeof fl);
    mrs_check_opts co = {.min_peers = 1, .acl_format = MRS_ACL_IOS, .stale_days = 730};
    bool json = false, v6 = false;
    int ch, rc = 2;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int e = 0;
        switch (ch) {
        case 'r': e = fl_add(&fl[K_RIB], optarg, NULL); break;
        case 'u': e = fl_add(&fl[K_UPD], optarg, NULL); break;
        case 'v': e = fl_add(&fl[K_VRPS], optarg, NULL); break;
        case 'i': e = fl_add(&fl[K_IRR], optarg, NULL); break;
        case 'a': e = fl_add(&fl[K_ASREL], optarg, NULL); break;
        case 'd': e = fl_add(&fl[K_DELEG], optarg, NULL); break;
        case 'p': e = fl_add(&fl[K_PDB], optarg, NULL); break;
        case 's': e = fl_add(&fl[K_SPOOF], optarg, NULL); break;
        case 'w':
            e = world(fl, optarg);
            v6 = true;   /* the simulator's as-rel covers both families */
            break;
        case 'm': {
            char *end;
            unsigned long x = strtoul(optarg, &end, 10);
            if (!*optarg || *end || x == 0 || x > 100000) {
                fprintf(stderr, "manrs check: --min-peers: bad count '%s'\n", optarg);
                goto out;
            }
            co.min_peers = (unsigned)x;
            break;
        }
        case 'f':
            if (!mrs_acl_format_parse(optarg, &co.acl_format) || co.acl_format == MRS_ACL_JSON) {
                fprintf(stderr, "manrs check: --acl-format: '%s' is not ios, junos, eos or nftables\n", optarg);
                goto out;
            }
            break;
        case 'S': {
            char *end;
            unsigned long x = strtoul(optarg, &end, 10);
            if (!*optarg || *end || x > 36500) {
                fprintf(stderr, "manrs check: --stale-days: bad count '%s' (0 turns the check off)\n", optarg);
                goto out;
            }
            co.stale_days = (unsigned)x;
            break;
        }
        case 'N':
            co.now_days = irr_modified_days(optarg, strlen(optarg));
            if (!co.now_days || strlen(optarg) != 10) {
                fprintf(stderr, "manrs check: --now: '%s' is not a date YYYY-MM-DD\n", optarg);
                goto out;
            }
            break;
        case 'j': json = true; break;
        case '6': v6 = true; break;
        case 'h': fputs(CHECK_USAGE, stdout); rc = 0; goto out;
        default: fputs(CHECK_USAGE, stderr); goto out;
        }
        if (e) {
            rc = 1;
            goto out;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "manrs check: exactly one ASN expected\n\n%s", CHECK_USAGE);
        goto out;
    }
    const char *as = argv[optind];
    uint32_t asn;
    if (!mrs_asn_parse(as, strlen(as), &asn)) {
        fprintf(stderr, "manrs check: '%s' is not an AS number\n\n%s", as, CHECK_USAGE);
        goto out;
    }
    int total = 0;
    for (int k = 0; k < K_N; k++)
        total += fl[k].n;
    if (!total) {
        fprintf(stderr, "manrs check: no input (--world or the individual files)\n\n%s", CHECK_USAGE);
        goto out;
    }
    rc = 1;
    mrs_obs_files f;
    memset(&f, 0, sizeof f);
    mrs_file_list *dst[K_N] = {&f.rib, &f.updates, &f.vrps, &f.irr, &f.asrel, &f.delegated, &f.peeringdb, &f.spoofer};
    for (int k = 0; k < K_N; k++) {
        dst[k]->v = fl[k].v;
        dst[k]->n = fl[k].n;
    }
    f.asrel_ipv6 = v6;
    mrs_diag kd, md;
    mrs_diag_init(&kd, stderr);
    mrs_diag_init(&md, stderr);
    kd.max_print = md.max_print = 20;
    mrs_obs_bundle b;
    memset(&b, 0, sizeof b);
    bool failed = false;
    const char *why = NULL;
    mrs_check_result r;
    memset(&r, 0, sizeof r);
    if (mrs_obs_load(&f, &kd, &md, &b, &failed, &why) != 0) {
        fprintf(stderr, "manrs check: %s\n", why ? why : "cannot load the inputs");
    } else if (failed) {
        fprintf(stderr, "manrs check: an input could not be used (see above)\n");
    } else if (!mrs_check_known(&b, asn)) {
        fprintf(stderr, "manrs check: AS%u is not in any input (routing data, as-rel, IRR aut-num, PeeringDB, "
                        "Spoofer)\n", asn);
    } else if (mrs_check_run(&b, asn, &co, &r) != 0) {
        fprintf(stderr, "manrs check: out of memory\n");
    } else if ((json ? mrs_check_print_json(&r, stdout) : mrs_check_print_table(&r, stdout)) != 0) {
        fprintf(stderr, "manrs check: cannot write the output\n");
    } else
        rc = 0;
    mrs_check_free(&r);
    mrs_obs_bundle_free(&b);
out:
    for (int k = 0; k < K_N; k++)
        for (int i = 0; i < fl[k].n; i++)
            free(fl[k].own[i]);
    return rc;
}
