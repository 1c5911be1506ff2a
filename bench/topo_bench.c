/* topo_bench.c — load and lookup speed of the topo modules on the real data
 * (built and run by bench/topo.sh; prints figures, asserts nothing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manrs/kb/asrel.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/delegated.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t xr(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "../shared/data";
    char p[1024];
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    const int N = 2000000;

    snprintf(p, sizeof p, "%s/asrel/20161101.as-rel.txt.bz2", data);
    mrs_asrel *r = mrs_asrel_new();
    double t = now();
    if (mrs_asrel_load(r, p, &d) != 0)
        return 1;
    double tl = now() - t;
    t = now();
    mrs_asrel_cones_compute(r);
    double tc = now() - t;
    printf("asrel: load %zu links (bz2) %.3f s; cones for %zu ASes %.3f s\n", mrs_asrel_link_count(r), tl,
           mrs_asrel_as_count(r), tc);
    /* Pairs: half real links (an AS and one of its neighbours), half random. */
    uint32_t asns[4096], other[4096];
    for (int i = 0; i < 4096; i++) {
        asns[i] = (uint32_t)(xr() % 60000);
        const uint32_t *v;
        size_t n = mrs_asrel_peers(r, asns[i], &v);
        other[i] = (i & 1) && n ? v[xr() % n] : (uint32_t)(xr() % 60000);
    }
    t = now();
    unsigned long hits = 0;
    for (int i = 0; i < N; i++)
        hits += mrs_asrel_rel(r, asns[i & 4095], other[i & 4095]) != MRS_REL_NONE;
    double tr = now() - t;
    printf("asrel: rel(a,b) %.1f M lookups/s (%lu hits)\n", N / tr / 1e6, hits);
    uint32_t path[6] = {6939, 1299, 174, 13335, 13335, 132892};
    t = now();
    for (int i = 0; i < N / 4; i++) {
        path[0] = asns[i & 4095];
        mrs_asrel_valley_free(r, path, 6, NULL);
    }
    printf("asrel: valley-free 6-hop paths %.2f M/s\n", N / 4 / (now() - t) / 1e6);
    mrs_asrel_free(r);

    snprintf(p, sizeof p, "%s/misc/fullbogons-ipv6.txt", data);
    mrs_bogon_set *b = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    t = now();
    mrs_bogon_load_list(b, p, &d);
    snprintf(p, sizeof p, "%s/misc/fullbogons-ipv4.txt", data);
    mrs_bogon_load_list(b, p, &d);
    printf("bogon: load %zu entries %.3f s\n", mrs_bogon_count(b), now() - t);
    t = now();
    hits = 0;
    for (int i = 0; i < N; i++) {
        mrs_prefix q;
        memset(&q, 0, sizeof q);
        uint64_t x = xr();
        if (i & 1) {
            q.afi = MRS_AFI_IPV6;
            q.len = 48;
            q.addr[0] = (uint8_t)(0x20 | ((x >> 8) & 0x0f));
            memcpy(q.addr + 1, &x, 5);
        } else {
            q.afi = MRS_AFI_IPV4;
            q.len = 24;
            memcpy(q.addr, &x, 3);
        }
        hits += mrs_bogon_check_prefix(b, &q, NULL) != MRS_BOGON_NO;
    }
    double tb = now() - t;
    printf("bogon: check_prefix %.2f M/s (%lu bogon)\n", N / tb / 1e6, hits);
    mrs_bogon_set_free(b);

    mrs_deleg_db *db = mrs_deleg_new();
    t = now();
    snprintf(p, sizeof p, "%s/misc/delegated-lacnic-extended-latest", data);
    mrs_deleg_load(db, p, &d);
    snprintf(p, sizeof p, "%s/misc/delegated-afrinic-extended-latest", data);
    mrs_deleg_load(db, p, &d);
    printf("delegated: load %zu records (%zu blocks) %.3f s\n", mrs_deleg_count(db), mrs_deleg_block_count(db),
           now() - t);
    t = now();
    hits = 0;
    for (int i = 0; i < N; i++) {
        mrs_prefix q;
        memset(&q, 0, sizeof q);
        uint64_t x = xr();
        q.afi = MRS_AFI_IPV4;
        q.len = 24;
        q.addr[0] = (uint8_t)(i & 1 ? 177 : 196);
        memcpy(q.addr + 1, &x, 2);
        mrs_deleg_answer a;
        hits += mrs_deleg_lookup_prefix(db, &q, &a) != MRS_DELEG_NOT_COVERED;
    }
    printf("delegated: lookup_prefix %.2f M/s (%lu covered)\n", N / (now() - t) / 1e6, hits);
    mrs_deleg_free(db);
    return 0;
}
