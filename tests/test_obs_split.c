/*
 * test_obs_split.c — a run split by prefix (observatory.h, docs/scale.md), step
 * by step as `manrs worker` takes it, with every hand-over through its bytes:
 * a simulated world's events go to per-partition views; each part's detection
 * facts, incidents and metrics part are encoded and decoded (and must re-encode to
 * the same bytes); the merged result equals mrs_obs_run's incidents and networks.
 * The part steps of different partitions in threads at once, sharing one bundle
 * and the merged facts (what `manrs worker --threads` does): the same bytes as one
 * at a time (and no race under ThreadSanitizer: make test-tsan runs this test).
 * Then the codecs alone: merging, every truncation and damaged field refused with
 * a reason, and the canonical incident order.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "manrs/core/diag.h"
#include "manrs/feeds/mrt_feed.h"
#include "manrs/feeds/route_event_codec.h"
#include "manrs/observatory/observatory.h"
#include "manrs/sim/sim.h"

typedef struct parts {
    mrs_view **v;            /* by partition */
    uint32_t *used, n_used;
    const char *file;
    uint32_t *file_id;
    const char **file_of;
    uint64_t events, first, last, ctl;
} parts;

static void to_part(const mrs_route_event *ev, void *u)
{
    parts *p = u;
    if (!p->events++ || ev->time < p->first)
        p->first = ev->time;
    if (ev->time > p->last)
        p->last = ev->time;
    long k = mrs_rev_partition(ev);
    assert_true(k >= 0);
    if (k == MRS_REV_PARTITIONS - 1) {
        p->ctl++;
        for (uint32_t i = 0; i < p->n_used; i++)
            mrs_view_add_event(p->v[p->used[i]], ev, 0);
        return;
    }
    if (!p->v[k]) {
        assert_non_null(p->v[k] = mrs_view_new());
        p->used[p->n_used++] = (uint32_t)k;
    }
    if (p->file_of[k] != p->file) {
        p->file_of[k] = p->file;
        p->file_id[k] = mrs_view_add_file(p->v[k], p->file);
    }
    mrs_view_add_event(p->v[k], ev, p->file_id[k]);
}

/* decode(encode(x)) re-encodes to the same bytes */
static void check_facts_bytes(const mrs_detect_facts *f, mrs_detect_facts *back)
{
    uint8_t *b1, *b2;
    size_t n1, n2;
    char err[256];
    assert_int_equal(mrs_detect_facts_encode(f, &b1, &n1), 0);
    assert_int_equal(mrs_detect_facts_decode(b1, n1, back, err, sizeof err), 0);
    assert_int_equal(mrs_detect_facts_encode(back, &b2, &n2), 0);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    free(b1);
    free(b2);
}

/* A simulated world (ases, seed, incidents) written to tmp/NAME: its inputs. */
static void world(const char *name, unsigned ases, uint64_t seed, unsigned incidents, char *dir, size_t cap,
                  mrs_obs_inputs *in)
{
    char err[256];
    snprintf(dir, cap, "%s/%s", tu_tmpdir(), name);
    mkdir(dir, 0777);
    mrs_sim_params sp;
    mrs_sim_params_default(&sp);
    sp.ases = ases;
    sp.seed = seed;
    sp.incidents = incidents;
    assert_int_equal(mrs_sim_write(&sp, dir, NULL, err, sizeof err), 0);
    memset(in, 0, sizeof *in);
    assert_int_equal(mrs_obs_inputs_add_world(in, dir, err, sizeof err), 0);
}

/* The world's events into per-partition views, as the feed and the workers
 * split them: the RIB (the baseline), then the updates; the extent of the data. */
static void world_parts(const char *dir, const mrs_obs_inputs *in, mrs_diag *md, parts *p, mrs_obs_extent *x)
{
    char rib[700], upd[700];
    snprintf(rib, sizeof rib, "%s/rib.mrt.gz", dir);
    snprintf(upd, sizeof upd, "%s/updates.mrt.gz", dir);
    memset(p, 0, sizeof *p);
    p->v = calloc(MRS_REV_PARTITIONS, sizeof *p->v);
    p->used = calloc(MRS_REV_PARTITIONS, sizeof *p->used);
    p->file_id = calloc(MRS_REV_PARTITIONS, sizeof *p->file_id);
    p->file_of = calloc(MRS_REV_PARTITIONS, sizeof *p->file_of);
    assert_true(p->v && p->used && p->file_id && p->file_of);
    p->file = rib;
    assert_true(mrs_mrt_feed_path(rib, md, false, to_part, p) > 0);
    uint32_t baseline_end = (uint32_t)p->last;
    p->file = upd;
    assert_true(mrs_mrt_feed_path(upd, md, false, to_part, p) > 0);
    assert_true(p->n_used > 10);
    *x = (mrs_obs_extent){p->events, (uint32_t)p->first, (uint32_t)p->last, baseline_end, 1, false, 0, false, 0, 0,
                          false};
    x->dated = mrs_obs_data_time(in, &x->data_time);
    p->file = NULL;   /* the file names were the caller's stack's */
}

static void parts_free(parts *p)
{
    for (uint32_t i = 0; i < p->n_used; i++)
        mrs_view_free(p->v[p->used[i]]);
    free(p->v);
    free(p->used);
    free(p->file_id);
    free(p->file_of);
}

static void test_world_split_through_bytes(void **state)
{
    (void)state;
    char dir[600], err[256];
    mrs_obs_inputs in;
    world("split-world", 600, 11, 6, dir, sizeof dir, &in);

    /* the whole, in one process */
    mrs_obs_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    mrs_score_cfg_default(&cfg.score);
    mrs_diag kd, md;
    mrs_diag_init(&kd, stderr);
    mrs_diag_init(&md, stderr);
    mrs_obs_result one;
    memset(&one, 0, sizeof one);
    const char *why;
    bool store_err;
    assert_int_equal(mrs_obs_run(&in, &cfg, NULL, &kd, &md, &one, &why, &store_err), 0);
    assert_true(one.b.incidents.n > 20);

    /* the parts */
    parts p;
    mrs_obs_extent x;
    world_parts(dir, &in, &md, &p, &x);

    mrs_obs_result r;
    memset(&r, 0, sizeof r);
    bool failed = false;
    assert_int_equal(mrs_obs_split_open(&in, &x, &kd, &r.b, &failed, &why), 0);
    assert_false(failed);
    mrs_detect_facts all;
    memset(&all, 0, sizeof all);
    for (uint32_t i = 0; i < p.n_used; i++) {
        mrs_detect_facts f, back;
        assert_int_equal(mrs_obs_part_facts(&in, &r.b, p.v[p.used[i]], &f), 0);
        check_facts_bytes(&f, &back);
        assert_int_equal(mrs_detect_facts_merge(&all, &back), 0);
        mrs_detect_facts_clear(&f);
        mrs_detect_facts_clear(&back);
    }
    mrs_detect_facts all_back;
    check_facts_bytes(&all, &all_back);
    assert_true(all.n_links > 100 && all.n_origins > 100 && all.n_last_links > 100);
    for (uint32_t i = 0; i < p.n_used; i++) {
        mrs_incident_list inc = {0};
        mrs_metrics_part mp, mp_back;
        assert_int_equal(mrs_obs_part_detect(&in, &r.b, p.v[p.used[i]], &all_back, &inc, &mp, &r.b.detect), 0);
        uint8_t *b1, *b2;
        size_t n1, n2;
        /* incidents through their bytes (evidence, strings and all) */
        assert_int_equal(mrs_incident_list_encode(&inc, &b1, &n1), 0);
        size_t before = r.b.incidents.n;
        assert_int_equal(mrs_incident_list_decode(b1, n1, &r.b.incidents, err, sizeof err), 0);
        assert_int_equal(r.b.incidents.n - before, inc.n);
        mrs_incident_list tail = {r.b.incidents.v + before, r.b.incidents.n - before, 0};
        assert_int_equal(mrs_incident_list_encode(&tail, &b2, &n2), 0);
        assert_int_equal(n1, n2);
        assert_memory_equal(b1, b2, n1);
        free(b1);
        free(b2);
        mrs_incident_list_clear(&inc);
        /* the metrics part too */
        assert_int_equal(mrs_metrics_part_encode(&mp, &b1, &n1), 0);
        assert_int_equal(mrs_metrics_part_decode(b1, n1, &mp_back, err, sizeof err), 0);
        assert_int_equal(mrs_metrics_part_encode(&mp_back, &b2, &n2), 0);
        assert_int_equal(n1, n2);
        assert_memory_equal(b1, b2, n1);
        free(b1);
        free(b2);
        assert_int_equal(mrs_metrics_part_merge(&r.part, &mp_back), 0);
        mrs_metrics_part_clear(&mp);
        mrs_metrics_part_clear(&mp_back);
    }
    assert_int_equal(mrs_obs_split_reduce(&in, &cfg, &x, &all_back, NULL, &kd, &md, &r, &why, &store_err), 0);

    /* the same incidents, numbered alike, and the same networks */
    assert_int_equal(r.b.incidents.n, one.b.incidents.n);
    for (size_t i = 0; i < r.b.incidents.n; i++) {
        const mrs_incident *a = &one.b.incidents.v[i], *b = &r.b.incidents.v[i];
        assert_int_equal(a->id, b->id);
        assert_int_equal(a->cls, b->cls);
        assert_int_equal(a->culprit, b->culprit);
        assert_memory_equal(&a->prefix, &b->prefix, sizeof a->prefix);
        assert_int_equal(a->start, b->start);
        assert_int_equal(a->end, b->end);
        assert_int_equal(a->confidence, b->confidence);
        assert_int_equal(a->reasons, b->reasons);
        assert_int_equal(a->n_propagators, b->n_propagators);
        assert_int_equal(a->n_evidence, b->n_evidence);
        for (size_t k = 0; k < a->n_evidence; k++) {
            assert_string_equal(a->evidence[k].file, b->evidence[k].file);
            assert_int_equal(a->evidence[k].offset, b->evidence[k].offset);
        }
    }
    assert_int_equal(r.nets.n, one.nets.n);
    assert_memory_equal(r.nets.v, one.nets.v, r.nets.n * sizeof *r.nets.v);
    assert_int_equal(r.full_feed_peers, one.full_feed_peers);
    assert_int_equal(r.min_peers, one.min_peers);
    print_message("%u partitions, %zu incidents, %zu networks, %zu links, %zu valleys: the same\n", p.n_used,
                  r.b.incidents.n, r.nets.n, all.n_links, all.n_valleys);
    parts_free(&p);
    mrs_detect_facts_clear(&all);
    mrs_detect_facts_clear(&all_back);
    mrs_obs_result_clear(&r);
    mrs_obs_result_clear(&one);
    mrs_obs_inputs_clear(&in);
}

/* ---- the part steps in threads, sharing the bundle and the merged facts */

typedef struct part_bytes {
    uint8_t *facts, *inc, *met;
    size_t n_facts, n_inc, n_met;
} part_bytes;

typedef struct par {
    const mrs_obs_inputs *in;
    mrs_obs_bundle *b;
    parts *p;
    const mrs_detect_facts *all;   /* NULL: phase 1 */
    part_bytes *out;               /* by index into p->used */
    atomic_uint next;
    atomic_int failures;
} par;

static int part_step(par *q, uint32_t i)
{
    mrs_view *v = q->p->v[q->p->used[i]];
    part_bytes *o = &q->out[i];
    if (!q->all) {
        mrs_detect_facts f;
        int rc = mrs_obs_part_facts(q->in, q->b, v, &f);
        if (rc == 0)
            rc = mrs_detect_facts_encode(&f, &o->facts, &o->n_facts);
        mrs_detect_facts_clear(&f);
        return rc;
    }
    mrs_incident_list inc = {0};
    mrs_metrics_part mp;
    mrs_detect_stats ds;
    memset(&ds, 0, sizeof ds);
    int rc = mrs_obs_part_detect(q->in, q->b, v, q->all, &inc, &mp, &ds);
    if (rc == 0)
        rc = mrs_incident_list_encode(&inc, &o->inc, &o->n_inc);
    if (rc == 0)
        rc = mrs_metrics_part_encode(&mp, &o->met, &o->n_met);
    mrs_incident_list_clear(&inc);
    mrs_metrics_part_clear(&mp);
    return rc;
}

static void *par_main(void *arg)
{
    par *q = arg;
    for (unsigned i; (i = atomic_fetch_add(&q->next, 1)) < q->p->n_used;)
        if (part_step(q, i) != 0)
            atomic_fetch_add(&q->failures, 1);
    return NULL;
}

static void par_run(par *q, unsigned threads)
{
    pthread_t th[8];
    atomic_store(&q->next, 0);
    for (unsigned t = 0; t < threads; t++)
        assert_int_equal(pthread_create(&th[t], NULL, par_main, q), 0);
    for (unsigned t = 0; t < threads; t++)
        pthread_join(th[t], NULL);
    assert_int_equal(atomic_load(&q->failures), 0);
}

static void bytes_equal(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    assert_int_equal(na, nb);
    if (na)
        assert_memory_equal(a, b, na);
}

static void test_world_parts_in_threads(void **state)
{
    (void)state;
    char dir[600], err[256];
    mrs_obs_inputs in;
    world("split-threads", 500, 5, 8, dir, sizeof dir, &in);
    mrs_diag kd, md;
    mrs_diag_init(&kd, stderr);
    mrs_diag_init(&md, stderr);
    parts p;
    mrs_obs_extent x;
    world_parts(dir, &in, &md, &p, &x);
    mrs_obs_bundle b;
    memset(&b, 0, sizeof b);
    bool failed = false;
    const char *why;
    assert_int_equal(mrs_obs_split_open(&in, &x, &kd, &b, &failed, &why), 0);

    /* phase 1 in 3 threads, then one at a time: the same bytes part by part */
    part_bytes *th = calloc(p.n_used, sizeof *th), *one = calloc(p.n_used, sizeof *one);
    assert_true(th && one);
    par q = {.in = &in, .b = &b, .p = &p, .all = NULL, .out = th};
    par_run(&q, 3);
    q.out = one;
    par_run(&q, 1);
    mrs_detect_facts all;
    memset(&all, 0, sizeof all);
    for (uint32_t i = 0; i < p.n_used; i++) {
        bytes_equal(th[i].facts, th[i].n_facts, one[i].facts, one[i].n_facts);
        mrs_detect_facts f;
        assert_int_equal(mrs_detect_facts_decode(th[i].facts, th[i].n_facts, &f, err, sizeof err), 0);
        assert_int_equal(mrs_detect_facts_merge(&all, &f), 0);
        mrs_detect_facts_clear(&f);
    }
    /* phase 2 likewise, every thread reading the one merged facts */
    q.all = &all;
    q.out = th;
    par_run(&q, 3);
    q.out = one;
    par_run(&q, 1);
    size_t incidents = 0;
    for (uint32_t i = 0; i < p.n_used; i++) {
        bytes_equal(th[i].inc, th[i].n_inc, one[i].inc, one[i].n_inc);
        bytes_equal(th[i].met, th[i].n_met, one[i].met, one[i].n_met);
        mrs_incident_list l = {0};
        assert_int_equal(mrs_incident_list_decode(th[i].inc, th[i].n_inc, &l, err, sizeof err), 0);
        incidents += l.n;
        mrs_incident_list_clear(&l);
    }
    assert_true(incidents > 10);
    print_message("%u partitions in 3 threads: %zu incidents, the same bytes as one at a time\n", p.n_used, incidents);
    for (uint32_t i = 0; i < p.n_used; i++) {
        free(th[i].facts), free(th[i].inc), free(th[i].met);
        free(one[i].facts), free(one[i].inc), free(one[i].met);
    }
    free(th);
    free(one);
    parts_free(&p);
    mrs_detect_facts_clear(&all);
    mrs_obs_bundle_clear(&b);
    mrs_obs_inputs_clear(&in);
}

static void test_facts_merge_and_damage(void **state)
{
    (void)state;
    uint64_t la[] = {1, 5, 9}, lb[] = {5, 7};
    mrs_key_count oa[] = {{10, 3}, {20, 1}}, ob[] = {{10, 2}, {30, 4}};
    mrs_view_peer pa = {1, {192, 0, 2, 1}, 64500}, pb = {1, {192, 0, 2, 1}, 64500};
    mrs_detect_facts a = {la, 3, NULL, 0, oa, 2, NULL, 0, 7, &pa, 1}, b = {lb, 2, NULL, 0, ob, 2, NULL, 0, 5, &pb, 1};
    mrs_detect_facts m;
    memset(&m, 0, sizeof m);
    assert_int_equal(mrs_detect_facts_merge(&m, &a), 0);
    assert_int_equal(mrs_detect_facts_merge(&m, &b), 0);
    assert_int_equal(m.n_links, 4);
    uint64_t want[] = {1, 5, 7, 9};
    assert_memory_equal(m.links, want, sizeof want);
    assert_int_equal(m.n_origins, 3);
    assert_int_equal(m.origins[0].key, 10);
    assert_int_equal(m.origins[0].n, 5);
    assert_int_equal(m.routes, 12);
    assert_int_equal(m.n_default_peers, 1);   /* one peer, in both parts */
    uint8_t *bytes;
    size_t n;
    char err[256];
    assert_int_equal(mrs_detect_facts_encode(&m, &bytes, &n), 0);
    mrs_detect_facts d;
    for (size_t cut = 0; cut < n; cut++) {
        err[0] = 0;
        assert_int_equal(mrs_detect_facts_decode(bytes, cut, &d, err, sizeof err), -1);
        assert_true(err[0] != 0);
    }
    /* keys out of order: the second link made equal to the first */
    uint8_t *bad = malloc(n);
    memcpy(bad, bytes, n);
    memcpy(bad + 16 + 8 + 8, bad + 16 + 8, 8);
    assert_int_equal(mrs_detect_facts_decode(bad, n, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "ascending"));
    /* a count that cannot fit */
    memcpy(bad, bytes, n);
    memset(bad + 16, 0xff, 8);
    assert_int_equal(mrs_detect_facts_decode(bad, n, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "do not fit"));
    free(bad);
    free(bytes);
    mrs_detect_facts_clear(&m);
}

static void test_metrics_part_merge_and_damage(void **state)
{
    (void)state;
    uint32_t asa[] = {1, 3}, asb[] = {2, 3};
    mrs_announce_count aa[] = {{3, 2, 4, 1, 1, 2}}, ab[] = {{3, 2, 1, 1, 0, 0}, {3, 5, 2, 0, 0, 1}};
    mrs_peer_prefixes pa[] = {{64500, 1, {10}, {5999, 0}}}, pb[] = {{64500, 1, {10}, {4001, 0}}, {64501, 1, {11}, {100, 0}}};
    mrs_metrics_part a = {asa, 2, aa, 1, pa, 1, {12000, 0}}, b = {asb, 2, ab, 2, pb, 2, {8000, 0}};
    mrs_metrics_part m;
    memset(&m, 0, sizeof m);
    assert_int_equal(mrs_metrics_part_merge(&m, &a), 0);
    assert_int_equal(mrs_metrics_part_merge(&m, &b), 0);
    assert_int_equal(m.n_asns, 3);
    assert_int_equal(m.n_ann, 2);
    assert_int_equal(m.ann[0].pairs, 5);
    assert_int_equal(m.ann[0].rpki_valid, 2);
    assert_int_equal(m.n_peers, 2);
    assert_int_equal(m.peers[0].n[0], 10000);
    /* 10 000 of 20 000 IPv4 prefixes: full feed (neither part alone says so) */
    assert_int_equal(mrs_metrics_part_full_feed_peers(&m), 1);
    assert_int_equal(mrs_metrics_part_full_feed_peers(&a), 0);
    assert_int_equal(mrs_metrics_part_full_feed_peers(&b), 0);
    uint8_t *bytes;
    size_t n;
    char err[256];
    assert_int_equal(mrs_metrics_part_encode(&m, &bytes, &n), 0);
    mrs_metrics_part d;
    for (size_t cut = 0; cut < n; cut++) {
        err[0] = 0;
        assert_int_equal(mrs_metrics_part_decode(bytes, cut, &d, err, sizeof err), -1);
        assert_true(err[0] != 0);
    }
    assert_int_equal(mrs_metrics_part_decode(bytes, n, &d, err, sizeof err), 0);
    mrs_metrics_part_clear(&d);
    /* more valid pairs than pairs */
    uint8_t *bad = malloc(n);
    memcpy(bad, bytes, n);
    size_t ann0 = 24 + 8 + 4 * 3 + 8;
    bad[ann0 + 16] = 0xff;
    assert_int_equal(mrs_metrics_part_decode(bad, n, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "more valid"));
    free(bad);
    free(bytes);
    mrs_metrics_part_clear(&m);
}

static void test_incidents_damage_and_order(void **state)
{
    (void)state;
    mrs_incident_list l = {0};
    l.v = calloc(3, sizeof *l.v);
    l.n = l.cap = 3;
    uint32_t asns[3] = {7, 8, 9};
    for (int i = 0; i < 3; i++) {
        mrs_incident *x = &l.v[i];
        x->cls = i == 0 ? MRS_INC_ROUTE_LEAK : MRS_INC_HIJACK_ORIGIN;
        x->culprit = 65000 - (uint32_t)i;
        const char *pf = i == 2 ? "10.0.0.0/8" : "192.0.2.0/24";
        assert_true(mrs_prefix_parse(pf, strlen(pf), &x->prefix, true));
        x->start = 100;
        x->end = 200;
        x->propagators = malloc(sizeof asns);
        memcpy(x->propagators, asns, sizeof asns);
        x->n_propagators = 3;
        x->evidence = calloc(1, sizeof *x->evidence);
        x->n_evidence = 1;
        x->evidence->as_path = strdup("7 8 9");
        x->evidence->file = strdup("rib.mrt.gz");
        x->evidence->path_w = calloc(1, sizeof(uint32_t));
        x->evidence->path_n = 0;
    }
    mrs_incident_list_canonical(&l);
    /* route-leak (class order) first, then the hijacks by culprit: 64998 (10/8) before 64999 */
    assert_int_equal(l.v[0].cls, MRS_INC_ROUTE_LEAK);
    assert_int_equal(l.v[1].culprit, 64998);
    assert_int_equal(l.v[2].culprit, 64999);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(l.v[i].id, i + 1);
    uint8_t *bytes;
    size_t n;
    char err[256];
    assert_int_equal(mrs_incident_list_encode(&l, &bytes, &n), 0);
    for (size_t cut = 0; cut < n; cut++) {
        mrs_incident_list d = {0};
        err[0] = 0;
        assert_int_equal(mrs_incident_list_decode(bytes, cut, &d, err, sizeof err), -1);
        assert_non_null(strstr(err, "byte"));
        mrs_incident_list_clear(&d);
    }
    mrs_incident_list d = {0};
    assert_int_equal(mrs_incident_list_decode(bytes, n, &d, err, sizeof err), 0);
    assert_int_equal(d.n, 3);
    assert_string_equal(d.v[2].evidence->as_path, "7 8 9");
    assert_non_null(d.v[2].evidence->path_w);   /* an empty path stays a path */
    assert_null(d.v[2].evidence->note);
    assert_int_equal(d.v[1].culprit, 64998);
    mrs_incident_list_clear(&d);
    /* a class out of range, a NUL inside a string */
    uint8_t *bad = malloc(n);
    memcpy(bad, bytes, n);
    bad[16] = 200;
    assert_int_equal(mrs_incident_list_decode(bad, n, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "out of range"));
    mrs_incident_list_clear(&d);
    memcpy(bad, bytes, n);
    uint8_t *s = NULL;
    for (size_t i = 0; i + 5 <= n && !s; i++)
        if (!memcmp(bad + i, "7 8 9", 5))
            s = bad + i;
    assert_non_null(s);
    s[1] = 0;
    assert_int_equal(mrs_incident_list_decode(bad, n, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "NUL"));
    mrs_incident_list_clear(&d);
    free(bad);
    free(bytes);
    mrs_incident_list_clear(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world_split_through_bytes),
        cmocka_unit_test(test_world_parts_in_threads),
        cmocka_unit_test(test_facts_merge_and_damage),
        cmocka_unit_test(test_metrics_part_merge_and_damage),
        cmocka_unit_test(test_incidents_damage_and_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
