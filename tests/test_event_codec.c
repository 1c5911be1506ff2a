/*
 * test_event_codec.c — the route event's binary message (feeds/route_event_codec.h):
 * every event of a simulated world's MRT files round-trips bit for bit, damaged
 * messages are refused with the field named and never read out of bounds, and the
 * partition subjects keep a /8 (/16) with its more-specifics; a batch of events
 * compresses and comes back bit for bit, and a damaged compressed batch is refused
 * with its field named.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "manrs/core/diag.h"
#include "manrs/feeds/mrt_feed.h"
#include "manrs/feeds/route_event_codec.h"
#include "manrs/sim/sim.h"

static void assert_same_event(const mrs_route_event *a, const mrs_route_event *b)
{
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->time, b->time);
    assert_int_equal(a->peer.afi, b->peer.afi);
    assert_memory_equal(a->peer.ip, b->peer.ip, 16);
    assert_int_equal(a->peer.asn, b->peer.asn);
    assert_int_equal(a->peer_known, b->peer_known);
    assert_int_equal(a->old_state, b->old_state);
    assert_int_equal(a->new_state, b->new_state);
    assert_int_equal(a->safi, b->safi);
    assert_memory_equal(&a->prefix, &b->prefix, sizeof a->prefix);
    assert_int_equal(a->host_bits, b->host_bits);
    assert_int_equal(a->path_id, b->path_id);
    assert_int_equal(a->path.n, b->path.n);
    if (a->path.n)
        assert_memory_equal(a->path.w, b->path.w, 4 * (size_t)a->path.n);
    assert_int_equal(a->has_otc, b->has_otc);
    assert_int_equal(a->otc, b->otc);
    assert_int_equal(a->blackhole, b->blackhole);
    assert_string_equal(a->source, b->source);
    assert_int_equal(a->offset, b->offset);
}

typedef struct rt {
    uint8_t *buf;       /* MRS_REV_MAX_MSG + 8 */
    uint32_t *words;
    uint64_t events, kinds[5], bytes, path_words, aligned;
} rt;

static void round_trip(const mrs_route_event *ev, void *user)
{
    rt *r = user;
    /* at an aligned and at an unaligned place in the buffer: the path is read in
     * place in the first case, copied to the scratch in the second */
    for (int shift = 0; shift < 2; shift++) {
        uint8_t *b = r->buf + shift;
        size_t n = mrs_rev_encode(ev, b, MRS_REV_MAX_MSG);
        assert_true(n >= MRS_REV_HEADER && n <= MRS_REV_MAX_MSG);
        assert_int_equal(n % 4, 0);
        assert_int_equal(mrs_rev_encode(ev, b, n - 1), n);   /* too small: the size asked */
        mrs_route_event back;
        const char *field = NULL;
        assert_int_equal(mrs_rev_decode(b, n, &back, r->words, &field), n);
        assert_same_event(ev, &back);
        if (back.path.n && back.path.w != r->words)
            r->aligned++;
        assert_true(back.source >= (const char *)b && back.source < (const char *)b + n);
        if (!shift)
            r->bytes += n;
    }
    r->events++;
    r->kinds[ev->kind]++;
    r->path_words += ev->path.n;
}

static void test_sim_world_round_trip(void **state)
{
    (void)state;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/codec-world", tu_tmpdir());
    mkdir(dir, 0777);
    mrs_sim_params p;
    mrs_sim_params_default(&p);
    p.ases = 400;
    p.seed = 7;
    char err[256];
    assert_int_equal(mrs_sim_write(&p, dir, NULL, err, sizeof err), 0);
    rt r;
    memset(&r, 0, sizeof r);
    r.buf = malloc(MRS_REV_MAX_MSG + 8);
    r.words = malloc(4 * MRS_REV_MAX_WORDS);
    assert_non_null(r.buf);
    assert_non_null(r.words);
    static const char *const files[] = {"rib.mrt.gz", "updates.mrt.gz"};
    for (int i = 0; i < 2; i++) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        mrs_diag diag;
        mrs_diag_init(&diag, stderr);
        assert_true(mrs_mrt_feed_path(path, &diag, false, round_trip, &r) > 0);
        assert_int_equal(diag.errors, 0);
    }
    print_message("%llu events (rib %llu, announce %llu, withdraw %llu, state %llu), %.1f bytes per message, "
                  "%llu path words\n",
                  (unsigned long long)r.events, (unsigned long long)r.kinds[1], (unsigned long long)r.kinds[2],
                  (unsigned long long)r.kinds[3], (unsigned long long)r.kinds[4], (double)r.bytes / (double)r.events,
                  (unsigned long long)r.path_words);
    assert_true(r.events > 1000);
    assert_true(r.kinds[MRS_RE_RIB] > 0 && r.kinds[MRS_RE_ANNOUNCE] > 0 && r.kinds[MRS_RE_WITHDRAW] > 0);
    assert_true(r.aligned > 0);
    free(r.buf);
    free(r.words);
}

static mrs_route_event sample(mrs_route_event_kind kind, const char *pfx, uint32_t *words, uint32_t nw)
{
    mrs_route_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.time = 1764547200;
    ev.peer.afi = MRS_AFI_IPV6;
    unsigned afi;
    assert_true(mrs_ip_parse("2001:db8::1", 11, &afi, ev.peer.ip));
    ev.peer.asn = 4200000000u;
    ev.peer_known = true;
    ev.safi = 1;
    if (pfx)
        assert_true(mrs_prefix_parse(pfx, strlen(pfx), &ev.prefix, false));
    ev.path.w = words;
    ev.path.n = nw;
    ev.has_otc = true;
    ev.otc = 65001;
    ev.blackhole = true;
    ev.path_id = 7;
    ev.source = "rrc00/updates.20251201.0000.gz";
    ev.offset = 0x123456789aULL;
    return ev;
}

static void test_crafted(void **state)
{
    (void)state;
    uint32_t w[] = {MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, 2), 64500, 64501, MRS_SEG_HEADER(MRS_SEG_AS_SET, 1), 7};
    uint32_t words[MRS_REV_MAX_WORDS];
    _Alignas(4) uint8_t buf[512];
    mrs_route_event ev = sample(MRS_RE_ANNOUNCE, "2001:db8:8000::/33", w, 5), back;
    ev.host_bits = true;
    ev.prefix.addr[15] = 1;   /* a host bit, kept as received */
    size_t n = mrs_rev_encode(&ev, buf, sizeof buf);
    assert_int_equal(n, 48 + 16 + 16 + strlen(ev.source) + 1 + 1 + 20);
    const char *field;
    assert_int_equal(mrs_rev_decode(buf, n, &back, words, &field), n);
    assert_same_event(&ev, &back);
    assert_ptr_equal(back.path.w, (const uint32_t *)(const void *)(buf + n - 20));

    /* a state change: no prefix, no path */
    mrs_route_event st = sample(MRS_RE_PEER_STATE, NULL, NULL, 0);
    st.old_state = 6;
    st.new_state = 1;
    n = mrs_rev_encode(&st, buf, sizeof buf);
    assert_true(n > 0);
    assert_int_equal(mrs_rev_decode(buf, n, &back, words, &field), n);
    assert_same_event(&st, &back);

    /* what the decoder refuses the encoder refuses too */
    mrs_route_event bad = sample(MRS_RE_WITHDRAW, "10.0.0.0/8", w, 5);
    assert_int_equal(mrs_rev_encode(&bad, buf, sizeof buf), 0);
    bad = sample(MRS_RE_ANNOUNCE, NULL, w, 5);
    assert_int_equal(mrs_rev_encode(&bad, buf, sizeof buf), 0);
    bad = sample(MRS_RE_ANNOUNCE, "10.0.0.0/8", w, 5);
    bad.source = NULL;
    assert_int_equal(mrs_rev_encode(&bad, buf, sizeof buf), 0);

    /* two messages back to back: self-delimiting */
    mrs_route_event v4 = sample(MRS_RE_RIB, "192.0.2.0/24", w, 3);
    size_t n1 = mrs_rev_encode(&v4, buf, sizeof buf);
    size_t n2 = mrs_rev_encode(&st, buf + n1, sizeof buf - n1);
    assert_int_equal(mrs_rev_decode(buf, n1 + n2, &back, words, &field), n1);
    assert_same_event(&v4, &back);
    assert_int_equal(mrs_rev_decode(buf + n1, n2, &back, words, &field), n2);
    assert_same_event(&st, &back);
}

/* A batch of events: packed (zstd) smaller, unpacked to the same bytes; a batch that
 * does not shrink goes as it is; every truncation, a byte after the frame, a changed
 * byte, a lying length, a frame without its checksum: refused, the field named. */
static void test_batches(void **state)
{
    (void)state;
    uint32_t w[] = {MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, 3), 64500, 64501, 64502};
    size_t cap = 64 * 1024, n = 0;
    uint8_t *raw = malloc(cap);
    assert_non_null(raw);
    char pfx[32];
    for (int i = 0; n + 200 < cap; i++) {
        snprintf(pfx, sizeof pfx, "10.%d.%d.0/24", (i >> 8) & 255, i & 255);
        mrs_route_event ev = sample(i % 7 ? MRS_RE_ANNOUNCE : MRS_RE_WITHDRAW, pfx, i % 7 ? w : NULL, i % 7 ? 4 : 0);
        ev.time += (uint32_t)i;
        size_t k = mrs_rev_encode(&ev, raw + n, cap - n);
        assert_true(k > 0 && k <= cap - n);
        n += k;
    }
    mrs_rev_packer pk = {0};
    mrs_rev_unpacker up = {0};
    size_t plen = 0, len = 0;
    const char *field = NULL;
    const uint8_t *p = mrs_rev_batch_pack(&pk, raw, n, &plen);
    assert_non_null(p);
    assert_true(p != raw && plen * 4 < n);
    assert_int_equal(p[0], MRS_REVB_ZSTD);
    uint8_t *z = malloc(plen + 1);   /* an exact copy: ASan sees an over-read */
    memcpy(z, p, plen);
    const uint8_t *back = mrs_rev_batch_events(&up, z, plen, &len, &field);
    assert_non_null(back);
    assert_null(field);
    assert_int_equal(len, n);
    assert_memory_equal(back, raw, n);
    /* events as they are: themselves */
    assert_ptr_equal(mrs_rev_batch_events(&up, raw, n, &len, &field), raw);
    assert_int_equal(len, n);
    /* one event does not shrink: as it is */
    size_t one = mrs_rev_decode(raw, n, &(mrs_route_event){0}, NULL, &field);
    assert_ptr_equal(mrs_rev_batch_pack(&pk, raw, one, &plen), raw);
    assert_int_equal(plen, one);
    p = mrs_rev_batch_pack(&pk, raw, n, &plen);   /* its buffer again */
    assert_true(p != raw);
    /* damage */
    for (size_t cut = 0; cut < plen; cut++) {
        uint8_t *t = malloc(cut ? cut : 1);
        memcpy(t, p, cut);
        field = NULL;
        assert_null(mrs_rev_batch_events(&up, t, cut, &len, &field));
        assert_non_null(field);
        assert_true(!strncmp(field, "batch", 5));
        free(t);
    }
    memcpy(z, p, plen);
    z[plen] = 0;
    assert_null(mrs_rev_batch_events(&up, z, plen + 1, &len, &field));
    assert_string_equal(field, "batch (zstd: not exactly one frame)");
    size_t refused = 0;
    for (size_t at = MRS_REVB_HEADER; at < plen; at++) {
        memcpy(z, p, plen);
        z[at] ^= 0x01;
        field = NULL;
        back = mrs_rev_batch_events(&up, z, plen, &len, &field);
        if (!back) {
            assert_true(!strncmp(field, "batch", 5));
            refused++;
        } else {
            assert_int_equal(len, n);   /* the checksum: a change it lets through changed nothing */
            assert_memory_equal(back, raw, n);
        }
    }
    assert_true(refused * 10 >= (plen - MRS_REVB_HEADER) * 9);
    memcpy(z, p, plen);
    z[4] ^= 1;   /* the length says another */
    assert_null(mrs_rev_batch_events(&up, z, plen, &len, &field));
    memcpy(z, p, plen);
    z[1] = 1;
    assert_null(mrs_rev_batch_events(&up, z, plen, &len, &field));
    assert_string_equal(field, "batch header");
    memcpy(z, p, plen);
    z[4] = z[5] = z[6] = z[7] = 0;
    assert_null(mrs_rev_batch_events(&up, z, plen, &len, &field));
    assert_string_equal(field, "batch length");
    memcpy(z, p, plen);
    z[MRS_REVB_HEADER + 4] &= (uint8_t)~0x04;   /* no checksum flag */
    assert_null(mrs_rev_batch_events(&up, z, plen, &len, &field));
    free(z);
    mrs_rev_packer_free(&pk);
    mrs_rev_unpacker_free(&up);
    free(raw);
}

/* Every truncation and every single-byte change of a message is either refused with a
 * field named or decodes into something that re-encodes to the same bytes; never a
 * read past the end (the decoder gets an exact-size heap copy, so ASan sees it). */
static void test_damaged(void **state)
{
    (void)state;
    uint32_t w[] = {MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, 3), 64500, 64501, 64502};
    uint32_t *words = malloc(4 * MRS_REV_MAX_WORDS);
    uint8_t good[512], again[MRS_REV_MAX_MSG];
    mrs_route_event ev = sample(MRS_RE_ANNOUNCE, "198.51.100.0/24", w, 4), back;
    size_t n = mrs_rev_encode(&ev, good, sizeof good);
    const char *field;
    for (size_t k = 0; k < n; k++) {
        uint8_t *cut = malloc(k ? k : 1);
        memcpy(cut, good, k);
        field = NULL;
        assert_int_equal(mrs_rev_decode(cut, k, &back, words, &field), 0);
        assert_non_null(field);
        assert_true(field[0] != 0);
        free(cut);
    }
    uint64_t refused = 0, accepted = 0;
    for (size_t i = 0; i < n; i++) {
        for (unsigned v = 0; v < 256; v += 37) {
            uint8_t *m = malloc(n);
            memcpy(m, good, n);
            m[i] ^= (uint8_t)(v | 1);
            field = NULL;
            size_t got = mrs_rev_decode(m, n, &back, words, &field);
            if (!got) {
                assert_true(field && field[0]);
                refused++;
            } else {
                assert_true(got <= n);
                size_t re = mrs_rev_encode(&back, again, sizeof again);
                assert_int_equal(re, got);
                assert_memory_equal(again, m, got);
                accepted++;
            }
            free(m);
        }
    }
    assert_true(refused > 0 && accepted > 0);
    /* named fields */
    uint8_t m[512];
    memcpy(m, good, n);
    m[0] = 2;
    assert_int_equal(mrs_rev_decode(m, n, &back, words, &field), 0);
    assert_string_equal(field, "version");
    memcpy(m, good, n);
    m[23] = 33;
    assert_int_equal(mrs_rev_decode(m, n, &back, words, &field), 0);
    assert_string_equal(field, "prefix length");
    memcpy(m, good, n);
    m[44] = 200;   /* word count far beyond the message */
    assert_int_equal(mrs_rev_decode(m, n, &back, words, &field), 0);
    assert_string_equal(field, "path (length does not match the word count)");
    memcpy(m, good, n);
    m[4] = 0xff;   /* total length beyond the bytes given */
    assert_int_equal(mrs_rev_decode(m, n, &back, words, &field), 0);
    assert_string_equal(field, "length");
    /* an unaligned message without scratch */
    uint8_t *u = malloc(n + 1);
    memcpy(u + 1, good, n);
    assert_int_equal(mrs_rev_decode(u + 1, n, &back, NULL, &field), 0);
    assert_string_equal(field, "path (unaligned, no scratch)");
    free(u);
    free(words);
}

static void test_subjects(void **state)
{
    (void)state;
    char a[128], b[128];
    mrs_route_event ev = sample(MRS_RE_ANNOUNCE, "10.0.0.0/8", NULL, 0);
    mrs_rev_subject("manrs.ev.s", &ev, a, sizeof a);
    assert_string_equal(a, "manrs.ev.s.v4.10");
    assert_int_equal(mrs_rev_partition(&ev), 10);
    static const char *const more[] = {"10.1.0.0/16", "10.255.255.0/24", "10.0.0.1/32"};
    for (int i = 0; i < 3; i++) {
        mrs_route_event m = sample(MRS_RE_WITHDRAW, more[i], NULL, 0);
        mrs_rev_subject("manrs.ev.s", &m, b, sizeof b);
        assert_string_equal(a, b);
        assert_int_equal(mrs_rev_partition(&m), 10);
    }
    /* a /7 goes to the partition of its first /8; its more-specifics in the
     * second /8 are in another partition (docs/scale.md) */
    ev = sample(MRS_RE_ANNOUNCE, "10.0.0.0/7", NULL, 0);
    mrs_rev_subject("manrs.ev.s", &ev, b, sizeof b);
    assert_string_equal(b, "manrs.ev.s.v4.10");
    ev = sample(MRS_RE_ANNOUNCE, "11.0.0.0/9", NULL, 0);
    mrs_rev_subject("manrs.ev.s", &ev, b, sizeof b);
    assert_string_equal(b, "manrs.ev.s.v4.11");
    ev = sample(MRS_RE_ANNOUNCE, "2001:db8::/32", NULL, 0);
    mrs_rev_subject("manrs.ev.s", &ev, a, sizeof a);
    assert_string_equal(a, "manrs.ev.s.v6.2001");
    assert_int_equal(mrs_rev_partition(&ev), 256 + 0x2001);
    ev = sample(MRS_RE_ANNOUNCE, "2001::/16", NULL, 0);
    mrs_rev_subject("manrs.ev.s", &ev, b, sizeof b);
    assert_string_equal(a, b);
    ev = sample(MRS_RE_ANNOUNCE, "2a00::/12", NULL, 0);
    mrs_rev_subject("manrs.ev.s", &ev, b, sizeof b);
    assert_string_equal(b, "manrs.ev.s.v6.2a00");
    ev = sample(MRS_RE_PEER_STATE, NULL, NULL, 0);
    mrs_rev_subject("manrs.ev.s", &ev, b, sizeof b);
    assert_string_equal(b, "manrs.ev.s.ctl");
    assert_int_equal(mrs_rev_partition(&ev), MRS_REV_PARTITIONS - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crafted),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_batches),
        cmocka_unit_test(test_subjects),
        cmocka_unit_test(test_sim_world_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
