/* test_trie.c — the prefix trie (src/core/trie.c) against reference implementations:
 * a sorted array with binary search for every query, and plain linear scans for a
 * subset. 100k random prefixes per family, drawn around few base addresses so that
 * deep nesting, shared leading bits and every split shape occur. The queries run on
 * the trie as built, compacted, grown after compaction and compacted again. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "manrs/core/trie.h"

typedef struct ent {
    mrs_prefix p;
    uint32_t value;
} ent;

static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33);
}

static void random_prefix(unsigned afi, const uint8_t bases[][16], unsigned nbases, mrs_prefix *p)
{
    memset(p, 0, sizeof *p);
    p->afi = (uint8_t)afi;
    unsigned bits = mrs_afi_bits(afi);
    memcpy(p->addr, bases[rnd() % nbases], 16);
    /* Flip a few random bits so prefixes share long leading runs. */
    unsigned flips = rnd() % 4;
    for (unsigned i = 0; i < flips; i++) {
        unsigned b = rnd() % bits;
        p->addr[b / 8] ^= (uint8_t)(0x80 >> (b % 8));
    }
    unsigned r = rnd() % 100;
    p->len = (uint8_t)(r < 3 ? rnd() % 8 : (afi == MRS_AFI_IPV4 ? 8 + rnd() % 25 : 16 + rnd() % 113));
    if (afi == MRS_AFI_IPV4)
        memset(p->addr + 4, 0, 12);
    mrs_prefix_mask(p);
}

static int ent_cmp(const void *a, const void *b)
{
    return mrs_prefix_cmp(&((const ent *)a)->p, &((const ent *)b)->p);
}

/* Index of the first entry >= p. */
static size_t lower_bound(const ent *v, size_t n, const mrs_prefix *p)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mrs_prefix_cmp(&v[mid].p, p) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool ref_lookup(const ent *v, size_t n, const mrs_prefix *p, uint32_t *value)
{
    size_t i = lower_bound(v, n, p);
    if (i < n && mrs_prefix_equal(&v[i].p, p)) {
        *value = v[i].value;
        return true;
    }
    return false;
}

typedef struct collect {
    ent *out;
    size_t n, cap;
    size_t stop_after;
} collect;

static int collect_fn(const mrs_prefix *p, uint32_t value, void *arg)
{
    collect *c = arg;
    assert_true(c->n < c->cap);
    c->out[c->n].p = *p;
    c->out[c->n].value = value;
    c->n++;
    return (c->stop_after && c->n == c->stop_after) ? 7 : 0;
}

/* Every query kind on nq queries (half stored prefixes), against the sorted
 * reference v[0..n). */
static void check_queries(const mrs_trie *t, const ent *v, size_t n, unsigned afi, const uint8_t bases[][16],
                          unsigned nq)
{
    enum { NLINEAR = 100 };
    collect c = {.out = malloc(n * sizeof(ent)), .cap = n};
    assert_non_null(c.out);
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    for (unsigned q = 0; q < nq; q++) {
        mrs_prefix p;
        if (q % 2)
            p = v[rnd() % n].p; /* a stored prefix */
        else
            random_prefix(afi, bases, 64, &p); /* mostly absent */
        /* The trie is asked with random host bits set in a quarter of the queries. */
        mrs_prefix h = p;
        if (rnd() % 4 == 0)
            for (unsigned b = p.len; b < mrs_afi_bits(afi); b++)
                h.addr[b / 8] |= (uint8_t)((rnd() & 1) << (7 - b % 8));
        /* exact */
        uint32_t a = 0, b = 0;
        bool fa = mrs_trie_lookup(t, &h, &a), fb = ref_lookup(v, n, &p, &b);
        assert_int_equal(fa, fb);
        if (fa)
            assert_int_equal(a, b);
        /* covering: every length 0..len, shortest first */
        unsigned k = mrs_trie_covering(t, &h, m), want = 0;
        for (unsigned len = 0; len <= p.len; len++) {
            mrs_prefix s = p;
            s.len = (uint8_t)len;
            mrs_prefix_mask(&s);
            uint32_t val;
            if (ref_lookup(v, n, &s, &val)) {
                assert_true(want < k);
                assert_int_equal(m[want].len, len);
                assert_int_equal(m[want].value, val);
                want++;
            }
        }
        assert_int_equal(k, want);
        /* covered: the contiguous run of the sorted array that p covers */
        c.n = 0;
        c.stop_after = 0;
        assert_int_equal(mrs_trie_covered(t, &h, collect_fn, &c), 0);
        size_t i = lower_bound(v, n, &p), j = 0;
        for (; i < n && mrs_prefix_covers(&p, &v[i].p); i++, j++) {
            assert_true(j < c.n);
            assert_true(mrs_prefix_equal(&c.out[j].p, &v[i].p));
            assert_int_equal(c.out[j].value, v[i].value);
        }
        assert_int_equal(c.n, j);
    }
    /* A few queries against plain linear scans of everything. */
    for (unsigned q = 0; q < NLINEAR; q++) {
        mrs_prefix p;
        random_prefix(afi, bases, 64, &p);
        p.len = (uint8_t)(p.len / 2);
        mrs_prefix_mask(&p);
        unsigned k = mrs_trie_covering(t, &p, m), nc = 0;
        c.n = 0;
        mrs_trie_covered(t, &p, collect_fn, &c);
        size_t nd = 0;
        for (size_t i = 0; i < n; i++) {
            if (mrs_prefix_covers(&v[i].p, &p))
                nc++;
            if (mrs_prefix_covers(&p, &v[i].p))
                nd++;
        }
        assert_int_equal(k, nc);
        assert_int_equal(c.n, nd);
    }
    /* Early stop of the covered walk returns the callback's value. */
    mrs_prefix all = {.afi = (uint8_t)afi, .len = 0};
    c.n = 0;
    c.stop_after = 5;
    assert_int_equal(mrs_trie_covered(t, &all, collect_fn, &c), 7);
    assert_int_equal(c.n, 5);
    for (unsigned i = 0; i < 5; i++)
        assert_true(mrs_prefix_equal(&c.out[i].p, &v[i].p));

    free(c.out);
}

static void check_family(unsigned afi)
{
    enum { NPFX = 100000 };
    rng_state = afi * 977u + 1;
    uint8_t bases[64][16];
    for (unsigned i = 0; i < 64; i++)
        for (unsigned j = 0; j < 16; j++)
            bases[i][j] = (uint8_t)rnd();

    mrs_trie *t = mrs_trie_new();
    assert_non_null(t);
    ent *v = malloc((NPFX + NPFX / 10) * sizeof *v);
    assert_non_null(v);
    size_t n = 0;
    for (unsigned i = 0; i < NPFX; i++) {
        mrs_prefix p;
        random_prefix(afi, bases, 64, &p);
        uint32_t val = rnd();
        int rc = mrs_trie_insert(t, &p, val);
        assert_true(rc == 0 || rc == 1);
        /* Keep the reference in step: replace on duplicates. */
        bool found = false;
        if (rc == 0) {
            for (size_t j = n; j-- > 0;)
                if (mrs_prefix_equal(&v[j].p, &p)) {
                    v[j].value = val;
                    found = true;
                    break;
                }
            assert_true(found);
        } else {
            v[n].p = p;
            v[n].value = val;
            n++;
        }
    }
    qsort(v, n, sizeof *v, ent_cmp);
    for (size_t i = 1; i < n; i++)
        assert_int_not_equal(mrs_prefix_cmp(&v[i - 1].p, &v[i].p), 0);
    assert_int_equal(mrs_trie_count(t, afi), n);
    assert_true(mrs_trie_memory(t) > 0);

    check_queries(t, v, n, afi, bases, 100000);
    /* Compacted, the trie answers the same; insertions after it still work. */
    size_t before = mrs_trie_memory(t);
    assert_int_equal(mrs_trie_compact(t), 0);
    assert_true(mrs_trie_memory(t) <= before);
    assert_int_equal(mrs_trie_count(t, afi), n);
    check_queries(t, v, n, afi, bases, 50000);
    for (unsigned i = 0; i < NPFX / 10; i++) {
        mrs_prefix p;
        random_prefix(afi, bases, 64, &p);
        if (mrs_trie_lookup(t, &p, NULL))
            continue;
        v[n].p = p;
        v[n].value = rnd();
        assert_int_equal(mrs_trie_insert(t, &p, v[n].value), 1);
        n++;
    }
    qsort(v, n, sizeof *v, ent_cmp);
    check_queries(t, v, n, afi, bases, 20000);
    assert_int_equal(mrs_trie_compact(t), 0);
    check_queries(t, v, n, afi, bases, 20000);

    free(v);
    mrs_trie_free(t);
}

static void ipv4_matches_reference_on_100k_random_prefixes(void **state)
{
    (void)state;
    check_family(MRS_AFI_IPV4);
}

static void ipv6_matches_reference_on_100k_random_prefixes(void **state)
{
    (void)state;
    check_family(MRS_AFI_IPV6);
}

static void small_cases_pin_split_shapes_and_families(void **state)
{
    (void)state;
    mrs_trie *t = mrs_trie_new();
    mrs_prefix p;
    const char *pf[] = {"10.0.0.0/8", "10.1.0.0/16", "10.0.0.0/16", "0.0.0.0/0", "10.1.2.0/24", "11.0.0.0/8", "::/0", "2001:db8::/32"};
    for (unsigned i = 0; i < sizeof pf / sizeof pf[0]; i++) {
        assert_true(mrs_prefix_parse(pf[i], strlen(pf[i]), &p, true));
        assert_int_equal(mrs_trie_insert(t, &p, 100 + i), 1);
    }
    assert_int_equal(mrs_trie_count(t, MRS_AFI_IPV4), 6);
    assert_int_equal(mrs_trie_count(t, MRS_AFI_IPV6), 2);
    assert_int_equal(mrs_trie_count(t, 0), 8);
    /* replace */
    assert_true(mrs_prefix_parse("10.1.0.0/16", 11, &p, true));
    assert_int_equal(mrs_trie_insert(t, &p, 5), 0);
    uint32_t val;
    assert_true(mrs_trie_lookup(t, &p, &val));
    assert_int_equal(val, 5);
    /* 10.1.0.0/15 is not stored although it lies on the path */
    assert_true(mrs_prefix_parse("10.0.0.0/15", 11, &p, true));
    assert_false(mrs_trie_lookup(t, &p, &val));
    /* covering of a host route, host bits ignored */
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    assert_true(mrs_prefix_parse("10.1.2.3/32", 11, &p, true));
    unsigned k = mrs_trie_covering(t, &p, m);
    assert_int_equal(k, 4);
    assert_int_equal(m[0].len, 0);
    assert_int_equal(m[0].value, 103);
    assert_int_equal(m[1].len, 8);
    assert_int_equal(m[2].len, 16);
    assert_int_equal(m[2].value, 5);
    assert_int_equal(m[3].len, 24);
    /* families do not mix */
    assert_true(mrs_prefix_parse("2001:db8::1/128", 15, &p, true));
    assert_int_equal(mrs_trie_covering(t, &p, m), 2);
    assert_int_equal(m[1].value, 107);
    /* bad family / length */
    p.afi = 9;
    assert_int_equal(mrs_trie_insert(t, &p, 1), -1);
    assert_false(mrs_trie_lookup(t, &p, &val));
    p.afi = MRS_AFI_IPV4;
    p.len = 33;
    assert_int_equal(mrs_trie_insert(t, &p, 1), -1);
    mrs_trie_free(t);
    mrs_trie_free(NULL);
}

/* Every query kind on two tries holding the same prefixes must answer alike. */
static void same_answers(const mrs_trie *a, const mrs_trie *b, const mrs_prefix *q)
{
    uint32_t va = 0, vb = 0;
    bool fa = mrs_trie_lookup(a, q, &va), fb = mrs_trie_lookup(b, q, &vb);
    assert_int_equal(fa, fb);
    if (fa)
        assert_int_equal(va, vb);
    mrs_trie_match ma[MRS_TRIE_MAX_COVERING], mb[MRS_TRIE_MAX_COVERING];
    unsigned ka = mrs_trie_covering(a, q, ma), kb = mrs_trie_covering(b, q, mb);
    assert_int_equal(ka, kb);
    for (unsigned i = 0; i < ka; i++) {
        assert_int_equal(ma[i].len, mb[i].len);
        assert_int_equal(ma[i].value, mb[i].value);
    }
    enum { CAP = 64 };
    collect ca = {.out = malloc(CAP * sizeof(ent)), .cap = CAP, .stop_after = CAP};
    collect cb = {.out = malloc(CAP * sizeof(ent)), .cap = CAP, .stop_after = CAP};
    assert_non_null(ca.out);
    assert_non_null(cb.out);
    assert_int_equal(mrs_trie_covered(a, q, collect_fn, &ca), mrs_trie_covered(b, q, collect_fn, &cb));
    assert_int_equal(ca.n, cb.n);
    for (size_t i = 0; i < ca.n; i++) {
        assert_true(mrs_prefix_equal(&ca.out[i].p, &cb.out[i].p));
        assert_int_equal(ca.out[i].value, cb.out[i].value);
    }
    free(ca.out);
    free(cb.out);
}

static void random_query(unsigned afi, mrs_prefix *q)
{
    memset(q, 0, sizeof *q);
    q->afi = (uint8_t)afi;
    unsigned bits = mrs_afi_bits(afi);
    for (unsigned i = 0; i < bits / 8; i++)
        q->addr[i] = (uint8_t)rnd();
    q->addr[0] = (uint8_t)((q->addr[0] & 0x0f) | 0x20);   /* near the stored prefixes */
    q->len = (uint8_t)(rnd() % (bits + 1));
    if (rnd() % 2)
        mrs_prefix_mask(q);   /* else host bits stay set */
}

/* The root table that mrs_trie_compact builds (first bits of the key -> where a
 * walk goes on) answers as the walk from the root: prefixes shorter and longer
 * than its depth (/0 included), host bits, a family with no prefix or too few for
 * a table, replaced values, growth after compaction and compaction again. */
static void root_table_answers_as_the_walk(void **state)
{
    (void)state;
    rng_state = 4242;
    mrs_trie *plain = mrs_trie_new(), *tab = mrs_trie_new();
    assert_non_null(plain);
    assert_non_null(tab);
    mrs_prefix q;
    /* Empty tries, compacted or not. */
    assert_int_equal(mrs_trie_compact(tab), 0);
    for (unsigned afi = MRS_AFI_IPV4; afi <= MRS_AFI_IPV6; afi += MRS_AFI_IPV6 - MRS_AFI_IPV4)
        for (unsigned i = 0; i < 200; i++) {
            random_query(afi, &q);
            same_answers(plain, tab, &q);
        }
    /* 3000 IPv4 prefixes under 32.0.0.0/3, every length, and 100 IPv6 (too few
     * for a table). */
    for (unsigned i = 0; i < 3100; i++) {
        unsigned afi = i < 3000 ? MRS_AFI_IPV4 : MRS_AFI_IPV6;
        random_query(afi, &q);
        if (i % 7 == 0)
            q.len = (uint8_t)(rnd() % 12);   /* many above the table's depth */
        mrs_prefix_mask(&q);
        uint32_t v = rnd();
        assert_int_equal(mrs_trie_insert(plain, &q, v), mrs_trie_insert(tab, &q, v));
    }
    mrs_prefix zero = {.afi = MRS_AFI_IPV4, .len = 0};
    assert_int_equal(mrs_trie_insert(plain, &zero, 77), mrs_trie_insert(tab, &zero, 77));
    assert_int_equal(mrs_trie_compact(tab), 0);
    for (unsigned round = 0; round < 3; round++) {
        for (unsigned i = 0; i < 20000; i++) {
            random_query(i % 5 ? MRS_AFI_IPV4 : MRS_AFI_IPV6, &q);
            same_answers(plain, tab, &q);
        }
        if (round == 0) {
            /* Replaced values (no new node: the table stays) are read afresh. */
            for (unsigned len = 0; len <= 32; len++) {
                random_query(MRS_AFI_IPV4, &q);
                q.len = (uint8_t)len;
                mrs_prefix_mask(&q);
                uint32_t v = rnd();
                assert_int_equal(mrs_trie_insert(plain, &q, v), mrs_trie_insert(tab, &q, v));
                assert_int_equal(mrs_trie_insert(plain, &q, v + 1), 0);
                assert_int_equal(mrs_trie_insert(tab, &q, v + 1), 0);
            }
            assert_int_equal(mrs_trie_insert(plain, &zero, 78), 0);
            assert_int_equal(mrs_trie_insert(tab, &zero, 78), 0);
        } else if (round == 1) {
            /* Growth after compaction, then compaction again. */
            for (unsigned i = 0; i < 2000; i++) {
                random_query(i % 2 ? MRS_AFI_IPV4 : MRS_AFI_IPV6, &q);
                mrs_prefix_mask(&q);
                uint32_t v = rnd();
                assert_int_equal(mrs_trie_insert(plain, &q, v), mrs_trie_insert(tab, &q, v));
            }
            for (unsigned i = 0; i < 5000; i++) {
                random_query(i % 2 ? MRS_AFI_IPV4 : MRS_AFI_IPV6, &q);
                same_answers(plain, tab, &q);
            }
            assert_int_equal(mrs_trie_compact(tab), 0);
        }
    }
    /* Every stored prefix's covering list and lookup, through the table. */
    collect all = {.out = malloc(8000 * sizeof(ent)), .cap = 8000};
    assert_non_null(all.out);
    assert_int_equal(mrs_trie_covered(plain, &zero, collect_fn, &all), 0);
    assert_int_equal(all.n, mrs_trie_count(plain, MRS_AFI_IPV4));
    for (size_t i = 0; i < all.n; i++)
        same_answers(plain, tab, &all.out[i].p);
    free(all.out);
    mrs_trie_free(plain);
    mrs_trie_free(tab);
}

/* An item of the bulk-build tests: a prefix inside a larger struct (stride). */
typedef struct bulk_item {
    uint32_t pad;
    mrs_prefix p;
    uint32_t value;
} bulk_item;

static int bulk_item_cmp(const void *a, const void *b)
{
    return mrs_prefix_cmp(&((const bulk_item *)a)->p, &((const bulk_item *)b)->p);
}

/* The trie incremental insertion gives for items in this order, the first of
 * equal prefixes kept (mrs_trie_build_sorted's rule), compacted. */
static mrs_trie *insert_all(const bulk_item *v, size_t n)
{
    mrs_trie *t = mrs_trie_new();
    assert_non_null(t);
    for (size_t i = 0; i < n; i++) {
        bool created;
        uint32_t *s = mrs_trie_slot(t, &v[i].p, &created);
        assert_non_null(s);
        if (created)
            *s = v[i].value;
    }
    assert_int_equal(mrs_trie_compact(t), 0);
    return t;
}

static void same_tries(const mrs_trie *a, const mrs_trie *b, const bulk_item *v, size_t n)
{
    assert_int_equal(mrs_trie_count(a, MRS_AFI_IPV4), mrs_trie_count(b, MRS_AFI_IPV4));
    assert_int_equal(mrs_trie_count(a, MRS_AFI_IPV6), mrs_trie_count(b, MRS_AFI_IPV6));
    assert_int_equal(mrs_trie_memory(a), mrs_trie_memory(b));   /* as many nodes, same tables */
    mrs_prefix q;
    for (size_t i = 0; i < n; i++)
        same_answers(a, b, &v[i].p);
    for (unsigned i = 0; i < 3000; i++) {
        random_query(i % 3 ? MRS_AFI_IPV4 : MRS_AFI_IPV6, &q);
        if (i % 11 == 0)
            q.len = (uint8_t)(rnd() % 12);
        same_answers(a, b, &q);
    }
    for (unsigned afi = MRS_AFI_IPV4; afi <= MRS_AFI_IPV6; afi += MRS_AFI_IPV6 - MRS_AFI_IPV4) {
        mrs_prefix all = {.afi = (uint8_t)afi};   /* a full covered walk of each family, in order */
        collect ca = {.out = malloc((n + 1) * sizeof(ent)), .cap = n + 1};
        collect cb = {.out = malloc((n + 1) * sizeof(ent)), .cap = n + 1};
        assert_non_null(ca.out);
        assert_non_null(cb.out);
        assert_int_equal(mrs_trie_covered(a, &all, collect_fn, &ca), 0);
        assert_int_equal(mrs_trie_covered(b, &all, collect_fn, &cb), 0);
        assert_int_equal(ca.n, cb.n);
        for (size_t i = 0; i < ca.n; i++) {
            assert_true(mrs_prefix_equal(&ca.out[i].p, &cb.out[i].p));
            assert_int_equal(ca.out[i].value, cb.out[i].value);
        }
        free(ca.out);
        free(cb.out);
    }
}

/* mrs_trie_build_sorted gives the trie insertion and compaction give: on random
 * sets of both families (one only, or none) with duplicates, /0, full-length
 * prefixes and sizes below and above the root table's threshold; in order (the
 * one-pass build) and out of order or with host bits set (its fallback); through
 * a struct stride, an order array and explicit values. */
static void bulk_build_equals_insertion(void **state)
{
    (void)state;
    rng_state = 777;
    static const size_t sizes[] = {0, 1, 2, 3, 17, 255, 256, 300, 5000, 40000};
    for (unsigned si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        for (unsigned mix = 0; mix < 3; mix++) {   /* both families, IPv4 only, IPv6 only */
            size_t n = sizes[si];
            bulk_item *v = malloc((n ? n : 1) * sizeof *v);
            uint32_t *order = malloc((n ? n : 1) * sizeof *order), *values = malloc((n ? n : 1) * sizeof *values);
            assert_non_null(v);
            assert_non_null(order);
            assert_non_null(values);
            for (size_t i = 0; i < n; i++) {
                unsigned afi = mix == 1 || (mix == 0 && rnd() % 3) ? MRS_AFI_IPV4 : MRS_AFI_IPV6;
                if (i && rnd() % 8 == 0) {
                    v[i].p = v[rnd() % i].p;   /* a duplicate, another value */
                } else {
                    random_query(afi, &v[i].p);
                    unsigned r = rnd() % 50;
                    if (r == 0)
                        v[i].p.len = 0;
                    else if (r == 1)
                        v[i].p.len = (uint8_t)mrs_afi_bits(afi);
                    mrs_prefix_mask(&v[i].p);
                }
                v[i].pad = 0;
                v[i].value = rnd();
            }
            /* In order: the one-pass build, against insertion in the same order. */
            qsort(v, n, sizeof *v, bulk_item_cmp);
            for (size_t i = 0; i < n; i++)
                values[i] = v[i].value;
            mrs_trie *ref = insert_all(v, n);
            mrs_trie *b = mrs_trie_build_sorted(&v[0].p, sizeof *v, NULL, values, n);
            assert_non_null(b);
            same_tries(ref, b, v, n);
            mrs_trie_free(b);
            /* An order array over a shuffled copy, implicit values (the item's index). */
            bulk_item *w = malloc((n ? n : 1) * sizeof *w);
            assert_non_null(w);
            for (size_t i = 0; i < n; i++)
                order[i] = (uint32_t)i;
            for (size_t i = n; i > 1; i--) {
                size_t j = rnd() % i;
                uint32_t x = order[i - 1];
                order[i - 1] = order[j];
                order[j] = x;
            }
            for (size_t i = 0; i < n; i++) {
                w[order[i]] = v[i];
                v[i].value = order[i];
            }
            mrs_trie_free(ref);
            ref = insert_all(v, n);
            b = mrs_trie_build_sorted(&w[0].p, sizeof *w, order, NULL, n);
            assert_non_null(b);
            same_tries(ref, b, v, n);
            mrs_trie_free(b);
            mrs_trie_free(ref);
            /* Out of order (w as stored), then host bits: by insertion, the same. */
            for (size_t i = 0; i < n; i++)
                w[i].value = (uint32_t)i;
            ref = insert_all(w, n);
            b = mrs_trie_build_sorted(&w[0].p, sizeof *w, NULL, NULL, n);
            assert_non_null(b);
            same_tries(ref, b, w, n);
            mrs_trie_free(b);
            mrs_trie_free(ref);
            if (n) {
                qsort(w, n, sizeof *w, bulk_item_cmp);
                for (size_t i = 0; i < n; i++)
                    w[i].value = (uint32_t)i;
                size_t k = rnd() % n;
                if (w[k].p.len < mrs_afi_bits(w[k].p.afi)) {
                    unsigned bit = mrs_afi_bits(w[k].p.afi) - 1;
                    w[k].p.addr[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
                }
                ref = insert_all(w, n);
                b = mrs_trie_build_sorted(&w[0].p, sizeof *w, NULL, NULL, n);
                assert_non_null(b);
                same_tries(ref, b, w, n);
                mrs_trie_free(b);
                mrs_trie_free(ref);
            }
            free(w);
            free(v);
            free(order);
            free(values);
        }
    }
    /* An unknown family fails cleanly. */
    bulk_item bad = {.p = {.afi = 3, .len = 8}};
    assert_null(mrs_trie_build_sorted(&bad.p, sizeof bad, NULL, NULL, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_cases_pin_split_shapes_and_families),
        cmocka_unit_test(root_table_answers_as_the_walk),
        cmocka_unit_test(bulk_build_equals_insertion),
        cmocka_unit_test(ipv4_matches_reference_on_100k_random_prefixes),
        cmocka_unit_test(ipv6_matches_reference_on_100k_random_prefixes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
