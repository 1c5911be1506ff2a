/*
 * test_containers.c — the base containers of src/core and the one out-of-memory
 * policy (core/grow.h): mrs_map64 against a brute-force model under random puts
 * and removals (backward-shift deletion keeps every key findable); a map or set
 * that cannot grow keeps working, refuses new keys once one slot is left, never
 * loops, and says so in `oom`; mrs_map64_reserve makes room in one step (the
 * puts after it never reallocate); mrs_outbuf and mrs_bytes drop what does not
 * fit and report it instead of exiting; the servers' connection list
 * (mrs_conns) links, unlinks from any position, counts and closes the fds; the
 * sorted merge (core/merge.h) equals a per-key model: sets unite, counts add, a's
 * element is the one kept, and an empty union is still an array.
 */
#include "testutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "manrs/core/evloop.h"
#include "manrs/core/grow.h"
#include "manrs/core/hashset.h"
#include "manrs/core/map64.h"
#include "manrs/core/merge.h"
#include "manrs/core/outbuf.h"
#include "manrs/feeds/mrt_write.h"

static void map64_matches_a_model_under_random_puts_and_removals(void **state)
{
    (void)state;
    enum { NK = 3000, STEPS = 200000 };
    static uint32_t model[NK];   /* value + 1, 0 = absent */
    memset(model, 0, sizeof model);
    mrs_map64 m;
    assert_int_equal(mrs_map64_init(&m), 0);
    srand(11);
    size_t live = 0;
    for (int s = 0; s < STEPS; s++) {
        uint64_t k = (uint64_t)(rand() % NK);
        uint64_t key = k * 0x10001ULL + 7;   /* clustered keys stress the probing */
        int op = rand() % 3;
        if (op < 2) {
            bool found;
            uint32_t *slot = mrs_map64_put(&m, key, &found);
            assert_non_null(slot);
            assert_int_equal(found, model[k] != 0);
            if (!found)
                live++;
            *slot = (uint32_t)s;
            model[k] = (uint32_t)s + 1;
        } else {
            if (model[k])
                live--;
            mrs_map64_remove(&m, key);
            model[k] = 0;
        }
        if (s % 997 == 0)
            for (uint64_t j = 0; j < NK; j++) {
                uint32_t *v = mrs_map64_get(&m, j * 0x10001ULL + 7);
                if (model[j]) {
                    assert_non_null(v);
                    assert_int_equal(*v, model[j] - 1);
                } else
                    assert_null(v);
            }
    }
    assert_int_equal(m.count, live);
    assert_false(m.oom);
    size_t seen = 0;
    for (size_t i = 0; i < m.cap; i++)
        seen += m.key[i] != MRS_MAP64_FREE;
    assert_int_equal(seen, live);
    mrs_map64_clear(&m);
}

/* A map whose growth failed (oom already set, as after a failed allocation)
 * fills up to one free slot, then refuses: no endless probe, lookups still work. */
static void map64_that_cannot_grow_refuses_instead_of_looping(void **state)
{
    (void)state;
    mrs_map64 m;
    assert_int_equal(mrs_map64_init(&m), 0);
    m.oom = true;
    size_t stored = 0;
    for (uint64_t k = 1; k <= 5000; k++) {
        bool found;
        uint32_t *slot = mrs_map64_put(&m, k, &found);
        if (!slot)
            break;
        *slot = (uint32_t)k;
        stored++;
    }
    assert_int_equal(stored, m.cap - 1);
    assert_true(m.oom);
    for (uint64_t k = 1; k <= stored; k++)
        assert_int_equal(*mrs_map64_get(&m, k), (uint32_t)k);
    assert_null(mrs_map64_get(&m, 999999));
    mrs_map64_remove(&m, 1);
    assert_null(mrs_map64_get(&m, 1));
    mrs_map64_clear(&m);

    mrs_map64 z;
    memset(&z, 0, sizeof z);   /* as left by a failed init */
    bool found;
    assert_null(mrs_map64_put(&z, 1, &found));
    assert_null(mrs_map64_get(&z, 1));
}

/* mrs_map64_reserve: n puts after reserving n never reallocate (same capacity,
 * same arrays), the values stay, whether the map was initialised or all zero;
 * reserving more on a non-empty map keeps every key; a reservation no
 * allocation can satisfy fails, leaves the map as it was and sets oom. */
static void map64_reserve_makes_room_once(void **state)
{
    (void)state;
    for (size_t n = 0; n <= 100000; n = n ? n * 3 + 1 : 1) {
        mrs_map64 m;
        if (n & 1)
            assert_int_equal(mrs_map64_init(&m), 0);
        else
            memset(&m, 0, sizeof m);   /* never initialised: reserve is the init */
        assert_int_equal(mrs_map64_reserve(&m, n), 0);
        size_t cap = m.cap;
        const uint64_t *key = m.key;
        const uint32_t *val = m.val;
        assert_true(cap >= 2 * n);
        assert_true(n < 512 || cap < 4 * n);   /* one power of two, not more */
        for (uint64_t k = 0; k < n; k++) {
            bool found;
            uint32_t *slot = mrs_map64_put(&m, k * 0x10001ULL + 7, &found);
            assert_non_null(slot);
            assert_false(found);
            *slot = (uint32_t)(k ^ 0x5555);
        }
        assert_int_equal(m.cap, cap);
        assert_ptr_equal(m.key, key);
        assert_ptr_equal(m.val, val);
        assert_int_equal(m.count, n);
        for (uint64_t k = 0; k < n; k++) {
            uint32_t *v = mrs_map64_get(&m, k * 0x10001ULL + 7);
            assert_non_null(v);
            assert_int_equal(*v, (uint32_t)(k ^ 0x5555));
        }
        assert_int_equal(mrs_map64_reserve(&m, n / 2), 0);   /* never shrinks */
        assert_int_equal(m.cap, cap);
        assert_false(m.oom);
        mrs_map64_clear(&m);
    }

    /* On a non-empty map: every key and value kept, then room for the rest. */
    mrs_map64 m;
    assert_int_equal(mrs_map64_init(&m), 0);
    enum { FIRST = 3000, ALL = 50000 };
    for (uint64_t k = 0; k < FIRST; k++) {
        bool found;
        uint32_t *slot = mrs_map64_put(&m, k * 0x9E3779B97F4A7C15ULL, &found);
        assert_non_null(slot);
        *slot = (uint32_t)k;
    }
    mrs_map64_remove(&m, 17 * 0x9E3779B97F4A7C15ULL);
    assert_int_equal(mrs_map64_reserve(&m, ALL), 0);
    size_t cap = m.cap;
    assert_int_equal(m.count, FIRST - 1);
    for (uint64_t k = 0; k < FIRST; k++) {
        uint32_t *v = mrs_map64_get(&m, k * 0x9E3779B97F4A7C15ULL);
        if (k == 17) {
            assert_null(v);
            continue;
        }
        assert_non_null(v);
        assert_int_equal(*v, (uint32_t)k);
    }
    for (uint64_t k = FIRST; k <= ALL; k++) {   /* ALL - (FIRST - 1) new keys */
        bool found;
        uint32_t *slot = mrs_map64_put(&m, k * 0x9E3779B97F4A7C15ULL, &found);
        assert_non_null(slot);
        assert_false(found);
        *slot = (uint32_t)k;
    }
    assert_int_equal(m.count, ALL);
    assert_int_equal(m.cap, cap);

    /* No allocation can satisfy it: -1, oom, the map untouched and usable. */
    const uint64_t *key = m.key;
    assert_int_equal(mrs_map64_reserve(&m, SIZE_MAX / 2), -1);
    assert_true(m.oom);
    assert_int_equal(m.cap, cap);
    assert_ptr_equal(m.key, key);
    assert_int_equal(m.count, ALL);
    for (uint64_t k = 0; k <= ALL; k++)
        if (k != 17)
            assert_int_equal(*mrs_map64_get(&m, k * 0x9E3779B97F4A7C15ULL), (uint32_t)k);
    mrs_map64_clear(&m);
}

static void sets_that_cannot_grow_refuse_and_say_so(void **state)
{
    (void)state;
    mrs_set64 s;
    mrs_set64_init(&s);
    s.oom = true;
    size_t stored = 0;
    for (uint64_t k = 0; k < 5000; k++)
        stored += mrs_set64_add(&s, k);
    assert_int_equal(stored, s.cap - 1);
    assert_true(mrs_set64_has(&s, 0));
    assert_false(mrs_set64_has(&s, 4999));
    mrs_set64_clear(&s);

    mrs_set192 t;
    mrs_set192_init(&t);
    t.oom = true;
    stored = 0;
    for (uint64_t k = 0; k < 5000; k++)
        stored += mrs_set192_add(&t, (mrs_key192){k, 1, 2});
    assert_int_equal(stored, t.cap - 1);
    mrs_set192_clear(&t);

    mrs_set64 z;
    memset(&z, 0, sizeof z);   /* as left by a failed init */
    assert_false(mrs_set64_add(&z, 1));
    assert_false(mrs_set64_has(&z, 1));
}

static void builders_drop_what_does_not_fit_and_report_it(void **state)
{
    (void)state;
    volatile size_t huge_v = SIZE_MAX / 4;   /* opaque to the compiler's bounds checks */
    size_t huge = huge_v;
    mrs_outbuf o;
    mrs_outbuf_init(&o, NULL);
    mrs_outbuf_puts(&o, "kept");
    assert_false(mrs_outbuf_reserve(&o, SIZE_MAX / 2));   /* no allocation can satisfy it */
    assert_true(o.oom && o.failed);
    mrs_outbuf_put(&o, "x", huge);                         /* dropped, not written past the end */
    assert_int_equal(o.len, 4);
    assert_memory_equal(o.buf, "kept", 4);
    assert_false(mrs_outbuf_close(&o));

    mrs_bytes b;
    mrs_bytes_init(&b);
    mrs_bytes_u32(&b, 1);
    static const uint8_t big[1];
    mrs_bytes_put(&b, big, huge * 2);
    assert_true(b.oom);
    assert_int_equal(b.len, 4);
    mrs_bytes_u8(&b, 2);                               /* sticky: later puts are dropped */
    assert_int_equal(b.len, 4);
    mrt_patch_u16(&b, 2, 7);                           /* no write into a failed buffer */
    mrs_bytes mem;
    mrs_bytes_init(&mem);
    mrt_writer *w = mrt_writer_open_mem(&mem);
    assert_false(mrt_write_bytes(w, 1, 0, 13, 1, &b)); /* refused, the writer fails */
    assert_false(mrt_writer_close(w));
    mrs_bytes_clear(&mem);
    mrs_bytes_clear(&b);
}


static size_t conns_walk(const mrs_conns *s, mrs_conn **seen, size_t max)
{
    size_t n = 0;
    const mrs_conn *prev = NULL;
    for (mrs_conn *k = s->head; k && n < max; k = k->next) {
        assert_ptr_equal(k->prev, prev);
        seen[n++] = k;
        prev = k;
    }
    return n;
}

static void conns_unlink_from_any_position_and_close_the_fds(void **state)
{
    (void)state;
    mrs_evloop *l = mrs_evloop_new();
    assert_non_null(l);
    mrs_conns s = {.loop = l, .lfd = -1};
    mrs_conn c[4];
    int fds[4];
    for (int i = 0; i < 4; i++) {
        int sv[2];
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        close(sv[1]);
        fds[i] = sv[0];
        mrs_conns_add(&s, &c[i], fds[i]);
    }
    mrs_conn *seen[8];
    assert_int_equal(s.n, 4);
    assert_int_equal(conns_walk(&s, seen, 8), 4);
    assert_ptr_equal(seen[0], &c[3]);   /* newest first */
    assert_ptr_equal(seen[3], &c[0]);
    mrs_conns_close(&s, &c[2]);         /* middle */
    mrs_conns_close(&s, &c[3]);         /* head */
    mrs_conns_close(&s, &c[0]);         /* tail */
    assert_int_equal(s.n, 1);
    assert_int_equal(conns_walk(&s, seen, 8), 1);
    assert_ptr_equal(seen[0], &c[1]);
    assert_int_equal(fcntl(fds[2], F_GETFD), -1);   /* closed */
    assert_int_equal(fcntl(fds[0], F_GETFD), -1);
    assert_true(fcntl(fds[1], F_GETFD) >= 0);
    mrs_conns_close(&s, &c[1]);
    assert_null(s.head);
    assert_int_equal(s.n, 0);
    mrs_evloop_free(l);
}

typedef struct {
    uint32_t key, from, n;   /* from: 1 = a, 2 = b, to see whose element is kept */
} kv;

static int kv_cmp(const void *a, const void *b)
{
    return mrs_cmp_u32(&((const kv *)a)->key, &((const kv *)b)->key);
}

static void kv_add(void *into, const void *add)
{
    ((kv *)into)->n += ((const kv *)add)->n;
}

static void sorted_merge_matches_a_per_key_model(void **state)
{
    (void)state;
    enum { NK = 64 };
    srand(5);
    for (int round = 0; round < 300; round++) {
        kv a[NK], b[NK];
        uint32_t na = 0, nb = 0, in_a[NK] = {0}, in_b[NK] = {0};
        for (uint32_t k = 0; k < NK; k++) {
            if (rand() % 3 == 0)
                a[na++] = (kv){k, 1, in_a[k] = 1 + (uint32_t)(rand() % 9)};
            if (rand() % 3 == 0)
                b[nb++] = (kv){k, 2, in_b[k] = 1 + (uint32_t)(rand() % 9)};
        }
        for (int with_add = 0; with_add < 2; with_add++) {
            size_t n = 99;
            kv *u = mrs_merge_sorted(a, na, b, nb, sizeof *a, kv_cmp, with_add ? kv_add : NULL, &n);
            assert_non_null(u);
            size_t k = 0;
            for (uint32_t key = 0; key < NK; key++) {
                if (!in_a[key] && !in_b[key])
                    continue;
                assert_true(k < n);
                assert_int_equal(u[k].key, key);
                assert_int_equal(u[k].from, in_a[key] ? 1 : 2);
                uint32_t want = in_a[key] ? in_a[key] + (with_add ? in_b[key] : 0) : in_b[key];
                assert_int_equal(u[k].n, want);
                k++;
            }
            assert_int_equal(n, k);
            free(u);
        }
    }
    size_t n = 99;
    uint64_t *e = mrs_merge_sorted(NULL, 0, NULL, 0, sizeof *e, mrs_cmp_u64, NULL, &n);
    assert_non_null(e);
    assert_int_equal(n, 0);
    free(e);
    uint64_t x[] = {1, 5, 9}, y[] = {0, 5, 10};
    uint64_t *u = mrs_merge_sorted(x, 3, y, 3, sizeof *x, mrs_cmp_u64, NULL, &n);
    assert_non_null(u);
    assert_int_equal(n, 5);
    assert_true(u[0] == 0 && u[1] == 1 && u[2] == 5 && u[3] == 9 && u[4] == 10);
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(map64_matches_a_model_under_random_puts_and_removals),
        cmocka_unit_test(map64_that_cannot_grow_refuses_instead_of_looping),
        cmocka_unit_test(map64_reserve_makes_room_once),
        cmocka_unit_test(sets_that_cannot_grow_refuse_and_say_so),
        cmocka_unit_test(builders_drop_what_does_not_fit_and_report_it),
        cmocka_unit_test(conns_unlink_from_any_position_and_close_the_fds),
        cmocka_unit_test(sorted_merge_matches_a_per_key_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
