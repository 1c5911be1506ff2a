/*
 * antispoof_bench.c — timing of manrs antispoof on a large cone: AS3356's
 * customer cone in the real CAIDA as-rel (47k ASes in 20161101) with the real
 * RIPE-NONAUTH route/route6 objects and the AFRINIC VRPs. Prints the load times
 * of each knowledge file, the build time (cone walk, source collection,
 * aggregation, uRPF decision) and the print time of each format. Run by
 * bench/antispoof.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manrs/apps/antispoof.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "../shared/data";
    char asrel_p[512], r4[512], r6[512], vrp_p[512];
    snprintf(asrel_p, sizeof asrel_p, "%s/asrel/20161101.as-rel.txt.bz2", data);
    snprintf(r4, sizeof r4, "%s/irr/ripe-nonauth.db.route.gz", data);
    snprintf(r6, sizeof r6, "%s/irr/ripe-nonauth.db.route6.gz", data);
    snprintf(vrp_p, sizeof vrp_p, "%s/rpki/roas.csv", data);
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    double t0 = now();
    mrs_asrel *rel = mrs_asrel_new();
    if (mrs_asrel_load(rel, asrel_p, &d) < 0) {
        fprintf(stderr, "cannot load %s\n", asrel_p);
        return 1;
    }
    double t1 = now();
    irr_db *db = irr_db_new(&d);
    if (irr_db_load_file(db, r4) < 0 || irr_db_load_file(db, r6) < 0 || irr_db_finalize(db) < 0) {
        fprintf(stderr, "cannot load the IRR files\n");
        return 1;
    }
    double t2 = now();
    mrs_rpki *rpki = mrs_rpki_new();
    if (mrs_rpki_load_file(rpki, vrp_p, &d, NULL) < 0 || mrs_rpki_build(rpki) < 0) {
        fprintf(stderr, "cannot load %s\n", vrp_p);
        return 1;
    }
    double t3 = now();
    printf("load as-rel      %8.1f ms  (%zu ASes, %zu links)\n", (t1 - t0) * 1e3, mrs_asrel_as_count(rel),
           mrs_asrel_link_count(rel));
    printf("load IRR         %8.1f ms  (route + route6 objects)\n", (t2 - t1) * 1e3);
    printf("load VRPs        %8.1f ms  (%zu VRPs)\n", (t3 - t2) * 1e3, mrs_rpki_vrp_count(rpki));
    static const struct {
        const char *subject;
        mrs_as_mode mode;
    } runs[] = {{"AS3356", MRS_AS_CUSTOMER_INGRESS}, {"AS3356", MRS_AS_EDGE_EGRESS}, {"AS36965", MRS_AS_CUSTOMER_INGRESS}};
    FILE *null = fopen("/dev/null", "w");
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        mrs_antispoof_input in;
        memset(&in, 0, sizeof in);
        in.mode = runs[r].mode;
        in.subject = runs[r].subject;
        in.asrel = rel;
        in.irr = db;
        in.rpki = rpki;
        mrs_antispoof a;
        char err[256];
        const int reps = 5;
        double best = 1e9;
        for (int k = 0; k < reps; k++) {
            double s = now();
            if (mrs_antispoof_build(&in, &a, err, sizeof err) < 0) {
                fprintf(stderr, "%s\n", err);
                return 1;
            }
            double e = now() - s;
            if (e < best)
                best = e;
            if (k + 1 < reps)
                mrs_antispoof_clear(&a);
        }
        printf("build %-7s %-6s %7.1f ms  (best of %d: %zu cone ASes, %zu sources, %zu permits, uRPF %s)\n",
               runs[r].subject, runs[r].mode == MRS_AS_EDGE_EGRESS ? "edge" : "cust", best * 1e3, reps,
               a.n_members, a.n_src, a.n_permit, mrs_urpf_mode_name(a.urpf.mode));
        if (runs[r].mode == MRS_AS_EDGE_EGRESS) {
            static const char *names[] = {"ios", "junos", "eos", "nftables", "json"};
            for (int f = 0; f < 5; f++) {
                mrs_acl_opts o = {NULL, "eth1", 0};
                double s = now();
                mrs_acl_print(&a, (mrs_acl_format)f, &o, null);
                printf("  print %-9s %7.1f ms  (all provenance lines)\n", names[f], (now() - s) * 1e3);
            }
        }
        mrs_antispoof_clear(&a);
    }
    fclose(null);
    mrs_rpki_free(rpki);
    irr_db_free(db);
    mrs_asrel_free(rel);
    return 0;
}
