/*
 * filter_bench.c — times manrs filter's generation on a loaded db: load the RPSL
 * files once, then build + print (to memory) the prefix list of an as-set many
 * times; prints the load time and the per-run generation time (median of runs).
 * Usage: filter_bench SET RUNS FILE... (built by bench/filter.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manrs/apps/filter.h"
#include "manrs/kb/irr.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: filter_bench SET RUNS FILE...\n");
        return 2;
    }
    const char *set = argv[1];
    int runs = atoi(argv[2]);
    if (runs < 1 || runs > 10000)
        return 2;
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    double t0 = now();
    irr_db *db = irr_db_new(&d);
    for (int i = 3; i < argc; i++)
        if (!db || irr_db_load_file(db, argv[i]) < 0)
            return 1;
    if (irr_db_finalize(db) < 0)
        return 1;
    double t_load = now() - t0;
    const char *objs[] = {set};
    double *t = calloc((size_t)runs, sizeof *t);
    if (!t)
        return 1;
    size_t lines = 0, lines_agg = 0;
    for (int agg = 0; agg < 2; agg++) {
        for (int r = 0; r < runs; r++) {
            double a = now();
            filter_opts o = {.kind = FILTER_PREFIX, .afi = MRS_AFI_IPV4, .aggregate = agg};
            filter_list l;
            char err[256];
            if (filter_build(db, &o, objs, 1, &l, NULL, err, sizeof err) < 0) {
                fprintf(stderr, "%s\n", err);
                return 1;
            }
            mrs_outbuf ob;
            mrs_outbuf_init(&ob, NULL);
            if (filter_printer_cisco.print(&l, agg, &ob, err, sizeof err) < 0)
                return 1;
            *(agg ? &lines_agg : &lines) = l.n;
            mrs_outbuf_close(&ob);
            filter_list_clear(&l);
            t[r] = now() - a;
        }
        qsort(t, (size_t)runs, sizeof *t, cmpd);
        printf("filter %s%s: %zu entries, generation (expand + routes + compile + print) median %.1f ms, "
               "min %.1f ms over %d runs\n",
               set, agg ? " -A" : "", agg ? lines_agg : lines, t[runs / 2] * 1e3, t[0] * 1e3, runs);
    }
    printf("load + finalize of the RPSL files: %.0f ms\n", t_load * 1e3);
    free(t);
    irr_db_free(db);
    return 0;
}
