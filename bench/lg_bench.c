/*
 * lg_bench.c — times the looking glass on loaded routing data: the load (as
 * `manrs lg` does it), the index (mrs_lg_new), then per query kind the median time
 * of a query: exact prefix, longest match of an address, more-specifics of a /8,
 * origin AS, AS-path pattern (each over every route: the slow kinds).
 * Usage: lg_bench RUNS MRT_FILE... (built by bench/lg.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manrs/apps/lg.h"
#include "manrs/observatory/observatory.h"

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

static double median_run(const mrs_lg *lg, const mrs_lg_query *q, int runs, size_t *routes)
{
    double t[64];
    mrs_lg_result r;
    memset(&r, 0, sizeof r);
    for (int i = 0; i < runs; i++) {
        double t0 = now();
        if (mrs_lg_run(lg, q, &r) != 0)
            exit(1);
        t[i] = now() - t0;
    }
    *routes = r.matched;
    mrs_lg_result_clear(&r);
    qsort(t, (size_t)runs, sizeof t[0], cmpd);
    return t[runs / 2];
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    int runs = atoi(argv[1]);
    if (runs < 1 || runs > 64)
        runs = 9;
    mrs_obs_inputs in;
    memset(&in, 0, sizeof in);
    for (int i = 2; i < argc; i++)
        mrs_obs_inputs_add(&in, strstr(argv[i], "updates") ? MRS_IN_UPDATES : MRS_IN_RIB, argv[i]);
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_obs_bundle b;
    memset(&b, 0, sizeof b);
    bool failed = false;
    const char *why;
    double t0 = now();
    if (mrs_obs_load(&in, &d, &d, &b, &failed, &why) != 0)
        return 1;
    double t1 = now();
    mrs_lg *lg = mrs_lg_new(b.view, &b.kb, b.to);
    double t2 = now();
    if (!lg)
        return 1;
    printf("load (mrs_obs_load)  %.2f s: %zu routes, %zu prefixes, %zu peers\n", t1 - t0,
           mrs_view_route_count(b.view), mrs_view_prefix_count(b.view), mrs_view_peer_count(b.view));
    printf("index (mrs_lg_new)   %.3f s\n", t2 - t1);
    static const struct {
        const char *name, *arg;
        int kind;   /* 0 exact, 1 longest, 2 more-specifics, 3 origin, 4 path */
    } qs[] = {
        {"exact", "193.0.0.0/21", 0}, {"longest", "193.0.0.1", 1}, {"more-specifics", "193.0.0.0/8", 2},
        {"origin", "3333", 3},        {"path", " 3333$", 4},
    };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        mrs_lg_query q;
        memset(&q, 0, sizeof q);
        q.limit = 1000;
        regex_t re;
        char why2[128];
        if (qs[i].kind <= 2) {
            q.has_prefix = true;
            mrs_prefix_parse(qs[i].arg, strlen(qs[i].arg), &q.prefix, false);
            q.match = qs[i].kind == 0 ? MRS_LG_EXACT : qs[i].kind == 1 ? MRS_LG_LONGEST : MRS_LG_MORE_SPECIFICS;
        } else if (qs[i].kind == 3) {
            q.has_origin = true;
            q.origin = (uint32_t)atoi(qs[i].arg);
        } else {
            if (!mrs_lg_path_compile(&re, qs[i].arg, why2, sizeof why2))
                return 1;
            q.path_re = &re;
        }
        size_t n;
        double t = median_run(lg, &q, runs, &n);
        printf("query %-15s %-14s %12.1f us  (%zu routes matched)\n", qs[i].name, qs[i].arg, t * 1e6, n);
        if (q.path_re)
            regfree(&re);
    }
    mrs_lg_free(lg);
    mrs_obs_bundle_clear(&b);
    mrs_obs_inputs_clear(&in);
    return 0;
}
