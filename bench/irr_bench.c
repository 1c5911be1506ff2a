/*
 * irr_bench.c — throughput figures for the IRR code (built and run by
 * bench/rpsl.sh; not part of the library or the tests).
 *
 *   irr_bench parse FILE          RPSL parse only (rpsl_next_object), MB/s
 *   irr_bench load FILE...        irr_db load + finalize, objects/s
 *   irr_bench expand-synth N      expand a synthetic nested as-set of N ASNs
 *   irr_bench expand FILE SET     expand a real as-set from a dump
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manrs/kb/irr.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse(const char *path)
{
    char err[256];
    mrs_reader *r = mrs_reader_open(path, err, sizeof err);
    if (!r) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    rpsl_parser *p = rpsl_parser_new_reader(r, &d);
    rpsl_object o;
    uint64_t attrs = 0;
    double t0 = now();
    int rc;
    while ((rc = rpsl_next_object(p, &o)) > 0)
        attrs += o.n_attrs;
    double t = now() - t0;
    double mb = (double)mrs_reader_offset(r) / 1e6;
    printf("parse: %.1f MB, %llu objects, %llu attributes, %.3f s, %.0f MB/s\n", mb,
           (unsigned long long)rpsl_parser_objects(p), (unsigned long long)attrs, t, mb / t);
    rpsl_parser_free(p);
    mrs_reader_close(r);
    return rc < 0;
}

static int load(int n, char **paths)
{
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    d.max_print = 5;
    irr_db *db = irr_db_new(&d);
    double t0 = now();
    for (int i = 0; i < n; i++)
        if (irr_db_load_file(db, paths[i]) < 0)
            return 1;
    double t1 = now();
    if (irr_db_finalize(db) < 0)
        return 1;
    double t2 = now();
    const irr_stats *st = irr_db_stats(db);
    printf("load: %llu objects in %.3f s (%.0f objects/s), finalize %.3f s\n", (unsigned long long)st->objects,
           t1 - t0, (double)st->objects / (t1 - t0), t2 - t1);
    irr_db_free(db);
    return 0;
}

static void report(const char *what, irr_db *db, const char *name, int reps, unsigned max_depth)
{
    irr_asn_list l = {0};
    irr_expand_opts o = {.max_depth = max_depth};
    double best = 1e9, worst = 0, sum = 0;
    for (int i = 0; i < reps; i++) {
        double t0 = now();
        irr_expand_as_set(db, name, &o, &l);
        double t = now() - t0;
        sum += t;
        if (t < best)
            best = t;
        if (t > worst)
            worst = t;
    }
    printf("%s: %s (max depth %u) -> %zu ASNs from %u sets (%u cycles, %u depth cuts, %u missing): "
           "mean %.2f ms, min %.2f ms, max %.2f ms (%d runs)\n",
           what, name, max_depth ? max_depth : IRR_DEFAULT_MAX_DEPTH, l.n, l.st.sets, l.st.cycles, l.st.depth_cut,
           l.st.missing, sum / reps * 1e3, best * 1e3, worst * 1e3, reps);
    irr_asn_list_clear(&l);
}

/* AS-TOP -> 100 x AS-Ln -> 10 x AS-Ln-m -> N/1000 ASNs each; with cross links,
 * every level-2 set also references the level-2 set of the next branch, making
 * chains 100 sets long: the walk meets sets already expanded and cut by the
 * depth limit (the adversarial case for the exact depth-limited walk). */
static int expand_synth1(unsigned n, int cross)
{
    size_t cap = (size_t)n * 24 + (1u << 20), len = 0;
    char *t = malloc(cap);
    unsigned per = n / 1000 ? n / 1000 : 1;
    len += (size_t)snprintf(t + len, cap - len, "as-set: AS-TOP\nmembers: ");
    for (unsigned i = 0; i < 100; i++)
        len += (size_t)snprintf(t + len, cap - len, "%sAS-L%u", i ? ", " : "", i);
    len += (size_t)snprintf(t + len, cap - len, "\nsource: BENCH\n\n");
    unsigned asn = 64512;
    for (unsigned i = 0; i < 100; i++) {
        len += (size_t)snprintf(t + len, cap - len, "as-set: AS-L%u\nmembers: ", i);
        for (unsigned j = 0; j < 10; j++)
            len += (size_t)snprintf(t + len, cap - len, "%sAS-L%u-%u", j ? ", " : "", i, j);
        len += (size_t)snprintf(t + len, cap - len, "\nsource: BENCH\n\n");
        for (unsigned j = 0; j < 10; j++) {
            len += (size_t)snprintf(t + len, cap - len, "as-set: AS-L%u-%u\nmembers: AS64511", i, j);
            if (cross)
                len += (size_t)snprintf(t + len, cap - len, ", AS-L%u-%u", (i + 1) % 100, j);
            for (unsigned k = 0; k < per; k++)
                len += (size_t)snprintf(t + len, cap - len, ", AS%u", asn++);
            len += (size_t)snprintf(t + len, cap - len, "\nsource: BENCH\n\n");
        }
    }
    irr_db *db = irr_db_new(NULL);
    if (irr_db_load_mem(db, t, len, "synthetic") < 0 || irr_db_finalize(db) < 0)
        return 1;
    report(cross ? "expand-synth (cross-linked)" : "expand-synth (tree)", db, "AS-TOP", 20, 0);
    irr_db_free(db);
    free(t);
    return 0;
}

static int expand_synth(unsigned n)
{
    return expand_synth1(n, 0) || expand_synth1(n, 1);
}

static int expand_real(const char *path, const char *name)
{
    irr_db *db = irr_db_new(NULL);
    if (irr_db_load_file(db, path) < 0 || irr_db_finalize(db) < 0)
        return 1;
    report("expand", db, name, 20, 0);
    report("expand", db, name, 20, 1000);
    irr_db_free(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "parse") == 0)
        return parse(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "load") == 0)
        return load(argc - 2, argv + 2);
    if (argc >= 3 && strcmp(argv[1], "expand-synth") == 0)
        return expand_synth((unsigned)atoi(argv[2]));
    if (argc >= 4 && strcmp(argv[1], "expand") == 0)
        return expand_real(argv[2], argv[3]);
    fprintf(stderr, "usage: irr_bench parse FILE | load FILE... | expand-synth N | expand FILE SET\n");
    return 2;
}
