/*
 * rov_bench.c — throughput of manrs ROV (mrs_rov_validate) and of rtrlib's
 * pfx_table_validate on the same VRP set and the same routes; also the time to
 * load the VRP set from JSON. Built and run by bench/rov.sh (not by CMake).
 * Usage: rov_bench VRPS.json VRPS.txt   (the .txt holds "prefix maxlen asn" lines,
 * the same VRPs as the JSON). Both implementations must agree on every route.
 */
#include <rtrlib/rtrlib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manrs/core/diag.h"
#include "manrs/kb/rpki.h"

typedef struct route {
    mrs_prefix p;
    uint32_t origin;
    struct lrtr_ip_addr ra;
} route;

typedef struct vrp_line {
    mrs_prefix p;
    unsigned maxlen;
    uint32_t asn;
} vrp_line;

/* CPU time of this process: the machine may be shared, and time spent waiting
 * for a core is not the code's. Wall-clock figures are printed alongside. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: rov_bench VRPS.json VRPS.txt\n");
        return 2;
    }
    enum { NROUTES = 1000000, ROUNDS = 10 };

    /* 1. manrs: load the JSON export (timed, including the build). */
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    mrs_rpki *r = mrs_rpki_new();
    mrs_rpki_load_stats st;
    double t0 = now(), w0 = wall();
    if (mrs_rpki_load_file(r, argv[1], &d, &st) != 0 || mrs_rpki_build(r) != 0) {
        fprintf(stderr, "rov_bench: cannot load %s\n", argv[1]);
        return 1;
    }
    double tload = now() - t0, wload = wall() - w0;
    printf("VRP JSON load+build: %llu entries, %zu distinct VRPs in %.3f s CPU (%.3f s wall)\n",
           (unsigned long long)st.vrps, mrs_rpki_vrp_count(r), tload, wload);

    /* 2. rtrlib: the same VRPs. */
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    size_t nv = 0, capv = 1 << 20;
    vrp_line *v = malloc(capv * sizeof *v);
    char pfx[128];
    unsigned maxlen;
    unsigned long asn;
    struct pfx_table pt;
    pfx_table_init(&pt, NULL);
    t0 = now();
    while (fscanf(f, "%127s %u %lu", pfx, &maxlen, &asn) == 3) {
        if (nv == capv)
            v = realloc(v, (capv *= 2) * sizeof *v);
        if (!mrs_prefix_parse(pfx, strlen(pfx), &v[nv].p, true))
            continue;
        v[nv].maxlen = maxlen;
        v[nv].asn = (uint32_t)asn;
        struct pfx_record rec;
        memset(&rec, 0, sizeof rec);
        char *slash = strchr(pfx, '/');
        *slash = 0;
        lrtr_ip_str_to_addr(pfx, &rec.prefix);
        rec.asn = (uint32_t)asn;
        rec.min_len = v[nv].p.len;
        rec.max_len = (uint8_t)maxlen;
        pfx_table_add(&pt, &rec); /* duplicates return PFX_DUPLICATE_RECORD */
        nv++;
    }
    fclose(f);
    printf("rtrlib pfx_table_add of %zu VRPs: %.3f s\n", nv, now() - t0);

    /* 3. Routes. */
    route *rt = malloc(NROUTES * sizeof *rt);
    for (size_t i = 0; i < NROUTES; i++) {
        const vrp_line *x = &v[rnd() % nv];
        route *q = &rt[i];
        q->p = x->p;
        q->origin = x->asn ? x->asn : 64500;
        unsigned kind = rnd() % 100, bits = mrs_afi_bits(q->p.afi);
        if (kind < 40) {
            /* the VRP's own prefix and origin */
        } else if (kind < 60) { /* more specific, inside or beyond maxLength */
            unsigned len = q->p.len + 1 + rnd() % 8;
            if (len > bits)
                len = bits;
            for (unsigned b = q->p.len; b < len; b++)
                if (rnd() & 1)
                    q->p.addr[b / 8] |= (uint8_t)(0x80 >> (b % 8));
            q->p.len = (uint8_t)len;
        } else if (kind < 75) { /* wrong origin */
            q->origin = 64496 + rnd() % 1000;
        } else { /* random IPv4 prefix, mostly uncovered */
            memset(&q->p, 0, sizeof q->p);
            q->p.afi = MRS_AFI_IPV4;
            uint32_t a = rnd();
            q->p.len = (uint8_t)(16 + rnd() % 9);
            for (int b = 0; b < 4; b++)
                q->p.addr[b] = (uint8_t)(a >> (24 - 8 * b));
            mrs_prefix_mask(&q->p);
        }
        char s[MRS_IP_STRLEN];
        mrs_ip_format(q->p.afi, q->p.addr, s);
        lrtr_ip_str_to_addr(s, &q->ra);
    }

    /* 4. Agreement on every route, and state counts. */
    size_t counts[3] = {0}, disagree = 0;
    for (size_t i = 0; i < NROUTES; i++) {
        mrs_rov_state a = mrs_rov_validate(r, &rt[i].p, rt[i].origin, false);
        enum pfxv_state b;
        pfx_table_validate(&pt, rt[i].origin, &rt[i].ra, rt[i].p.len, &b);
        mrs_rov_state bm = b == BGP_PFXV_STATE_VALID ? MRS_ROV_VALID
                           : b == BGP_PFXV_STATE_INVALID ? MRS_ROV_INVALID : MRS_ROV_NOT_FOUND;
        counts[a]++;
        if (a != bm && disagree++ < 5) {
            char s[MRS_PREFIX_STRLEN];
            mrs_prefix_format(&rt[i].p, s);
            fprintf(stderr, "DISAGREE %s AS%u: manrs %s, rtrlib %s\n", s, rt[i].origin, mrs_rov_state_name(a),
                    mrs_rov_state_name(bm));
        }
    }
    printf("routes: %d (valid %zu, invalid %zu, not-found %zu); manrs/rtrlib disagreements: %zu\n", NROUTES,
           counts[MRS_ROV_VALID], counts[MRS_ROV_INVALID], counts[MRS_ROV_NOT_FOUND], disagree);

    /* 5. Throughput. */
    volatile unsigned sink = 0;
    t0 = now();
    w0 = wall();
    for (int round = 0; round < ROUNDS; round++)
        for (size_t i = 0; i < NROUTES; i++)
            sink += mrs_rov_validate(r, &rt[i].p, rt[i].origin, false);
    double tm = now() - t0, wm = wall() - w0;
    mrs_rov_query *bq = malloc(NROUTES * sizeof *bq);
    mrs_rov_state *bs = malloc(NROUTES * sizeof *bs);
    for (size_t i = 0; i < NROUTES; i++)
        bq[i] = (mrs_rov_query){.prefix = rt[i].p, .origin = rt[i].origin};
    t0 = now();
    w0 = wall();
    for (int round = 0; round < ROUNDS; round++)
        mrs_rov_validate_batch(r, bq, NROUTES, bs);
    double tb = now() - t0, wb = wall() - w0;
    for (size_t i = 0; i < NROUTES; i++)
        if (bs[i] != mrs_rov_validate(r, &rt[i].p, rt[i].origin, false)) {
            fprintf(stderr, "rov_bench: batch and single answers differ at route %zu\n", i);
            return 1;
        }
    free(bq);
    free(bs);
    t0 = now();
    w0 = wall();
    for (int round = 0; round < ROUNDS; round++)
        for (size_t i = 0; i < NROUTES; i++) {
            enum pfxv_state b;
            pfx_table_validate(&pt, rt[i].origin, &rt[i].ra, rt[i].p.len, &b);
            sink += b;
        }
    double tr = now() - t0, wr = wall() - w0;
    double n = (double)NROUTES * ROUNDS;
    printf("manrs  mrs_rov_validate:   %.2f M validations/s CPU (%.0f ns each; %.2f M/s wall)\n", n / tm / 1e6,
           tm / n * 1e9, n / wm / 1e6);
    printf("manrs  mrs_rov_validate_batch: %.2f M validations/s CPU (%.0f ns each; %.2f M/s wall)\n",
           n / tb / 1e6, tb / n * 1e9, n / wb / 1e6);
    printf("rtrlib pfx_table_validate: %.2f M validations/s CPU (%.0f ns each; %.2f M/s wall)\n", n / tr / 1e6,
           tr / n * 1e9, n / wr / 1e6);
    printf("ratio manrs/rtrlib: %.1fx single calls, %.1fx batch\n", tr / tm, tr / tb);
    pfx_table_free(&pt);
    mrs_rpki_free(r);
    free(rt);
    free(v);
    return disagree ? 1 : 0;
}
