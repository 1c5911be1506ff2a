/*
 * test_mrt.c — MRT framing and decoding (src/feeds/mrt/) on crafted bytes: exact bgpdump
 * lines for tricky attributes, and every kind of damage the reader must survive.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/feeds/bgp.h"
#include "manrs/output/dumpfmt.h"
#include "manrs/feeds/mrt.h"
#include "manrs/feeds/mrt_example.h"
#include "manrs/feeds/mrt_write.h"

typedef struct run {
    char *out;        /* bgpdump -m lines */
    char *msgs;       /* diagnostics */
    uint64_t errors, warnings, events;
    mrt_decoder_stats stats;
    mrt_reader_stats rstats;
} run;

/* Every line is printed twice: plainly and through the per-UPDATE cache of
 * `manrs dump`; decode_mem checks the two are byte-identical. */
static void on_ev(const mrt_event *ev, void *user)
{
    void **u = user;
    dumpfmt_bgpdump(u[0], ev);
    dumpfmt_bgpdump_cached(u[2], u[3], ev);
    (*(uint64_t *)u[1])++;
}

static run decode_mem(const void *data, size_t len)
{
    run r;
    memset(&r, 0, sizeof r);
    size_t msz = 0;
    FILE *ms = open_memstream(&r.msgs, &msz);
    mrs_diag diag;
    mrs_diag_init(&diag, ms);
    mrt_reader *rd = mrt_reader_open_mem(data, len, "mem", &diag);
    mrt_decoder *d = mrt_decoder_new(&diag);
    mrt_decoder_begin_file(d, "mem");
    mrs_outbuf o, oc;
    mrs_outbuf_init(&o, NULL);
    mrs_outbuf_init(&oc, NULL);
    dumpfmt_cache *cache = dumpfmt_cache_new();
    assert_non_null(cache);
    void *u[4] = {&o, &r.events, &oc, cache};
    mrt_record rec;
    while (mrt_read(rd, &rec))
        mrt_decode(d, &rec, on_ev, u);
    mrs_outbuf_putc(&o, '\0');
    mrs_outbuf_putc(&oc, '\0');
    assert_string_equal(oc.buf, o.buf);
    r.out = strdup(o.buf);
    mrs_outbuf_close(&o);
    mrs_outbuf_close(&oc);
    dumpfmt_cache_free(cache);
    r.stats = *mrt_decoder_get_stats(d);
    r.rstats = *mrt_reader_get_stats(rd);
    mrt_decoder_free(d);
    mrt_reader_close(rd);
    fclose(ms);
    r.errors = diag.errors;
    r.warnings = diag.warnings;
    return r;
}

static void run_free(run *r)
{
    free(r->out);
    free(r->msgs);
}

static const uint8_t PEER4[4] = {192, 0, 2, 1}, LOCAL4[4] = {192, 0, 2, 254};

/* One BGP4MP_MESSAGE(_AS4) record around the given UPDATE body (after the header). */
static void put_update_record(mrs_bytes *file, uint32_t ts, const uint8_t *body, size_t blen, bool as4)
{
    mrs_bytes msg, rec;
    mrs_bytes_init(&msg);
    mrs_bytes_init(&rec);
    static const uint8_t marker[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    mrs_bytes_put(&msg, marker, 16);
    mrs_bytes_u16(&msg, (uint16_t)(19 + blen));
    mrs_bytes_u8(&msg, BGP_MSG_UPDATE);
    mrs_bytes_put(&msg, body, blen);
    mrt_put_bgp4mp_message(&rec, 64500, 64511, MRS_AFI_IPV4, PEER4, LOCAL4, msg.p, msg.len, as4);
    mrt_writer *w = mrt_writer_open_mem(file);
    mrt_write_record(w, ts, 0, MRT_BGP4MP, as4 ? MRT_BGP4MP_MESSAGE_AS4 : MRT_BGP4MP_MESSAGE, rec.p, rec.len);
    mrt_writer_close(w);
    mrs_bytes_clear(&msg);
    mrs_bytes_clear(&rec);
}

/* UPDATE body: no withdrawals, the given attribute bytes, NLRI 10.1.0.0/16. */
static void update_body(mrs_bytes *b, const mrs_bytes *attrs)
{
    mrs_bytes_u16(b, 0);
    mrs_bytes_u16(b, (uint16_t)attrs->len);
    mrs_bytes_put(b, attrs->p, attrs->len);
    static const uint8_t nlri[] = {16, 10, 1};
    mrs_bytes_put(b, nlri, sizeof nlri);
}

static void example_round_trip_counts_every_event(void **state)
{
    (void)state;
    mrs_bytes mem;
    mrs_bytes_init(&mem);
    mrt_writer *w = mrt_writer_open_mem(&mem);
    mrt_example_counts c;
    assert_true(mrt_example_write(w, 300, 7, &c));
    assert_true(mrt_writer_close(w));
    run r = decode_mem(mem.p, mem.len);
    assert_int_equal(r.errors, 0);
    assert_int_equal(r.warnings, 0);
    assert_int_equal(r.stats.rib_entries, c.rib_entries);
    assert_int_equal(r.stats.announcements, c.announcements);
    assert_int_equal(r.stats.withdrawals, c.withdrawals);
    assert_int_equal(r.stats.state_changes, c.state_changes);
    assert_int_equal(r.rstats.records, c.records);
    assert_int_equal(r.events, c.rib_entries + c.announcements + c.withdrawals + c.state_changes);
    run_free(&r);
    mrs_bytes_clear(&mem);
}

static void as_path_segments_print_like_bgpdump(void **state)
{
    (void)state;
    /* AS_SEQUENCE 64500 64501, AS_SET {1,2}, AS_CONFED_SEQUENCE (3 4), AS_CONFED_SET [5,6] */
    static const uint8_t path[] = {2, 2, 0, 0, 0xfb, 0xf4, 0, 0, 0xfb, 0xf5, 1, 2, 0, 0, 0, 1, 0, 0, 0, 2,
                                   3, 2, 0, 0, 0, 3,    0, 0, 0, 4,    4, 2, 0, 0, 0, 5, 0, 0, 0, 6};
    mrs_bytes a, body, file;
    mrs_bytes_init(&a);
    mrs_bytes_init(&body);
    mrs_bytes_init(&file);
    uint8_t origin = 0;
    bgp_put_attr(&a, 0x40, BGP_ATTR_ORIGIN, &origin, 1);
    bgp_put_attr(&a, 0x40, BGP_ATTR_AS_PATH, path, sizeof path);
    static const uint8_t nh[4] = {192, 0, 2, 1};
    bgp_put_attr(&a, 0x40, BGP_ATTR_NEXT_HOP, nh, 4);
    static const uint8_t comm[] = {0xff, 0xff, 0xff, 0x01, 0xff, 0xff, 0xff, 0x02, 0xff, 0xff, 0xff, 0x03, 0xfd, 0xe8, 0x00, 0x64};
    bgp_put_attr(&a, 0xc0, BGP_ATTR_COMMUNITIES, comm, sizeof comm);
    bgp_put_attr(&a, 0x40, BGP_ATTR_ATOMIC_AGGREGATE, NULL, 0);
    static const uint8_t agg[] = {0, 0, 0xfb, 0xf4, 10, 0, 0, 1};
    bgp_put_attr(&a, 0xc0, BGP_ATTR_AGGREGATOR, agg, sizeof agg);
    update_body(&body, &a);
    put_update_record(&file, 1000, body.p, body.len, true);
    run r = decode_mem(file.p, file.len);
    assert_int_equal(r.errors, 0);
    assert_string_equal(r.out, "BGP4MP|1000|A|192.0.2.1|64500|10.1.0.0/16|64500 64501 {1,2} (3 4) [5,6]|IGP|"
                               "192.0.2.1|0|0|no-export no-advertise local-AS 65000:100|AG|64500 10.0.0.1|\n");
    run_free(&r);
    mrs_bytes_clear(&a);
    mrs_bytes_clear(&body);
    mrs_bytes_clear(&file);
}

static void absent_attributes_print_bgpdump_defaults(void **state)
{
    (void)state;
    mrs_bytes a, body, file;
    mrs_bytes_init(&a);
    mrs_bytes_init(&body);
    mrs_bytes_init(&file);
    update_body(&body, &a); /* no attributes at all */
    put_update_record(&file, 5, body.p, body.len, true);
    run r = decode_mem(file.p, file.len);
    assert_string_equal(r.out, "BGP4MP|5|A|192.0.2.1|64500|10.1.0.0/16||INCOMPLETE|255.255.255.255|0|0||NAG||\n");
    run_free(&r);
    mrs_bytes_clear(&a);
    mrs_bytes_clear(&body);
    mrs_bytes_clear(&file);
}

/* RFC 6793 §4.2.3 on a 2-byte session. */
static char *as4_case(const uint32_t *path, unsigned n, bool agg, uint32_t agg_as, bool as4agg)
{
    mrs_bytes a, v, body, file;
    mrs_bytes_init(&a);
    mrs_bytes_init(&v);
    mrs_bytes_init(&body);
    mrs_bytes_init(&file);
    uint8_t origin = 0;
    bgp_put_attr(&a, 0x40, BGP_ATTR_ORIGIN, &origin, 1);
    mrs_bytes_u8(&v, 2);
    mrs_bytes_u8(&v, (uint8_t)n);
    for (unsigned i = 0; i < n; i++)
        mrs_bytes_u16(&v, (uint16_t)(path[i] > 65535 ? 23456 : path[i]));
    bgp_put_attr(&a, 0x40, BGP_ATTR_AS_PATH, v.p, v.len);
    if (agg) {
        v.len = 0;
        mrs_bytes_u16(&v, (uint16_t)agg_as);
        mrs_bytes_u32(&v, 0x0a000001);
        bgp_put_attr(&a, 0xc0, BGP_ATTR_AGGREGATOR, v.p, v.len);
    }
    /* AS4_PATH holds the last two ASes with their real numbers */
    v.len = 0;
    mrs_bytes_u8(&v, 2);
    mrs_bytes_u8(&v, 2);
    mrs_bytes_u32(&v, path[n - 2]);
    mrs_bytes_u32(&v, path[n - 1]);
    bgp_put_attr(&a, 0xc0, BGP_ATTR_AS4_PATH, v.p, v.len);
    if (as4agg) {
        v.len = 0;
        mrs_bytes_u32(&v, 4200000000u);
        mrs_bytes_u32(&v, 0x0a000002);
        bgp_put_attr(&a, 0xc0, BGP_ATTR_AS4_AGGREGATOR, v.p, v.len);
    }
    update_body(&body, &a);
    put_update_record(&file, 1, body.p, body.len, false);
    run r = decode_mem(file.p, file.len);
    char *line = strdup(r.out);
    run_free(&r);
    mrs_bytes_clear(&a);
    mrs_bytes_clear(&v);
    mrs_bytes_clear(&body);
    mrs_bytes_clear(&file);
    return line;
}

static void as4_path_is_merged_per_rfc6793(void **state)
{
    (void)state;
    const uint32_t path[] = {64500, 3356, 196613, 65551 + 1};
    char *l = as4_case(path, 4, false, 0, false);
    assert_non_null(strstr(l, "|64500 3356 196613 65552|"));
    free(l);
    /* AGGREGATOR with AS_TRANS + AS4_AGGREGATOR: path merged, AS4_AGGREGATOR used */
    l = as4_case(path, 4, true, 23456, true);
    assert_non_null(strstr(l, "|64500 3356 196613 65552|"));
    assert_non_null(strstr(l, "|4200000000 10.0.0.2|"));
    free(l);
    /* AGGREGATOR of an OLD speaker (not AS_TRANS) + AS4_AGGREGATOR: both AS4 attributes ignored */
    l = as4_case(path, 4, true, 64999, true);
    assert_non_null(strstr(l, "|64500 3356 23456 23456|"));
    assert_non_null(strstr(l, "|64999 10.0.0.1|"));
    free(l);
    /* AGGREGATOR alone (no AS4_AGGREGATOR): AS4_PATH still merged */
    l = as4_case(path, 4, true, 64999, false);
    assert_non_null(strstr(l, "|64500 3356 196613 65552|"));
    free(l);
}

static void as_set_origin_has_no_origin_as(void **state)
{
    (void)state;
    static const uint8_t p1[] = {2, 1, 0, 0, 0, 1, 1, 2, 0, 0, 0, 2, 0, 0, 0, 3};
    uint32_t o = 0;
    assert_false(bgp_path_origin(p1, sizeof p1, &o));
    static const uint8_t p2[] = {2, 2, 0, 0, 0, 1, 0, 0, 0xfb, 0xf4};
    assert_true(bgp_path_origin(p2, sizeof p2, &o));
    assert_int_equal(o, 64500);
    assert_int_equal(bgp_path_length(p1, sizeof p1, 4), 2);
}

/* --- damage ------------------------------------------------------------- */

static void build_example(mrs_bytes *mem, unsigned n)
{
    mrs_bytes_init(mem);
    mrt_writer *w = mrt_writer_open_mem(mem);
    mrt_example_write(w, n, 3, NULL);
    mrt_writer_close(w);
}

static void truncated_file_keeps_every_complete_record(void **state)
{
    (void)state;
    mrs_bytes mem;
    build_example(&mem, 50);
    run full = decode_mem(mem.p, mem.len);
    for (size_t cut = mem.len - 1; cut > mem.len - 40; cut--) {
        run r = decode_mem(mem.p, cut);
        assert_int_equal(r.errors, 1);
        assert_int_equal(r.rstats.truncated, 1);
        assert_non_null(strstr(r.msgs, "mem: offset "));
        assert_non_null(strstr(r.msgs, "input ends inside"));
        /* output is the full output minus the last record's lines */
        assert_true(strncmp(full.out, r.out, strlen(r.out)) == 0);
        assert_true(strlen(r.out) < strlen(full.out));
        run_free(&r);
    }
    run_free(&full);
    mrs_bytes_clear(&mem);
}

static void garbage_between_records_is_skipped_and_reported(void **state)
{
    (void)state;
    mrs_bytes mem, bad;
    build_example(&mem, 50);
    run full = decode_mem(mem.p, mem.len);
    /* insert 37 bytes of garbage after the peer index table (its length is known) */
    size_t first = 12 + mrs_get32(mem.p + 8);
    mrs_bytes_init(&bad);
    mrs_bytes_put(&bad, mem.p, first);
    for (int i = 0; i < 37; i++)
        mrs_bytes_u8(&bad, (uint8_t)(0xa5 ^ i));
    mrs_bytes_put(&bad, mem.p + first, mem.len - first);
    run r = decode_mem(bad.p, bad.len);
    assert_string_equal(r.out, full.out);
    assert_int_equal(r.rstats.resyncs, 1);
    assert_int_equal(r.rstats.bytes_skipped, 37);
    assert_true(r.errors >= 1);
    char want[64];
    snprintf(want, sizeof want, "mem: offset %zu:", first);
    assert_non_null(strstr(r.msgs, want));
    assert_non_null(strstr(r.msgs, "skipped 37 bytes"));
    run_free(&r);
    run_free(&full);
    mrs_bytes_clear(&bad);
    mrs_bytes_clear(&mem);
}

static void attribute_overrun_skips_only_that_record(void **state)
{
    (void)state;
    mrs_bytes a, body, file;
    mrs_bytes_init(&a);
    mrs_bytes_init(&body);
    mrs_bytes_init(&file);
    uint8_t origin = 0;
    bgp_put_attr(&a, 0x40, BGP_ATTR_ORIGIN, &origin, 1);
    /* an AS_PATH claiming 200 bytes inside a 10-byte attribute block */
    static const uint8_t bad[] = {0x40, 2, 200, 2, 1, 0, 1};
    mrs_bytes_put(&a, bad, sizeof bad);
    update_body(&body, &a);
    put_update_record(&file, 10, body.p, body.len, true);
    mrs_bytes good_a, good_body;
    mrs_bytes_init(&good_a);
    mrs_bytes_init(&good_body);
    update_body(&good_body, &good_a);
    put_update_record(&file, 11, good_body.p, good_body.len, true);
    run r = decode_mem(file.p, file.len);
    assert_int_equal(r.errors, 1);
    assert_int_equal(r.stats.records_damaged, 1);
    assert_non_null(strstr(r.msgs, "path attribute 2 length 200 runs past the attributes"));
    assert_string_equal(r.out, "BGP4MP|11|A|192.0.2.1|64500|10.1.0.0/16||INCOMPLETE|255.255.255.255|0|0||NAG||\n");
    run_free(&r);
    mrs_bytes_clear(&a);
    mrs_bytes_clear(&body);
    mrs_bytes_clear(&file);
    mrs_bytes_clear(&good_a);
    mrs_bytes_clear(&good_body);
}

/* One BGP4MP_MESSAGE (2-byte ASNs, IPv4: a 16-byte header) whose BGP message claims
 * `claimed` bytes but holds only `have`. */
static void put_short_message(mrs_bytes *file, uint32_t ts, uint16_t claimed, size_t have)
{
    mrs_bytes msg, rec;
    mrs_bytes_init(&msg);
    mrs_bytes_init(&rec);
    for (int i = 0; i < 16; i++)
        mrs_bytes_u8(&msg, 0xff);
    mrs_bytes_u16(&msg, claimed);
    mrs_bytes_u8(&msg, BGP_MSG_UPDATE);
    while (msg.len < have)
        mrs_bytes_u8(&msg, 0);
    mrt_put_bgp4mp_message(&rec, 64500, 64511, MRS_AFI_IPV4, PEER4, LOCAL4, msg.p, msg.len, false);
    mrt_writer *w = mrt_writer_open_mem(file);
    mrt_write_record(w, ts, 0, MRT_BGP4MP, MRT_BGP4MP_MESSAGE, rec.p, rec.len);
    mrt_writer_close(w);
    mrs_bytes_clear(&msg);
    mrs_bytes_clear(&rec);
}

/* Zebra-era collectors cut records at a 4 096-byte body (RouteViews 2008: "BGP
 * message length 4093, only 4080 bytes"): a known limit of the writer, counted and
 * warned about apart from damage. The same shortfall in any other record is damage. */
static void messages_cut_by_the_collector_are_not_damage(void **state)
{
    (void)state;
    mrs_bytes file, a, body;
    mrs_bytes_init(&file);
    mrs_bytes_init(&a);
    mrs_bytes_init(&body);
    put_short_message(&file, 10, 4093, 4096 - 16);
    put_short_message(&file, 11, 4000, 3000);
    update_body(&body, &a);
    put_update_record(&file, 12, body.p, body.len, false);
    run r = decode_mem(file.p, file.len);
    assert_int_equal(r.stats.records_cut, 1);
    assert_int_equal(r.stats.records_damaged, 1);
    assert_int_equal(r.errors, 1);
    assert_int_equal(r.warnings, 1);
    assert_non_null(strstr(r.msgs, "BGP message of 4093 bytes cut at 4080 by the collector"));
    assert_non_null(strstr(r.msgs, "BGP message length 4000, only 3000 bytes in the record"));
    assert_string_equal(r.out, "BGP4MP|12|A|192.0.2.1|64500|10.1.0.0/16||INCOMPLETE|255.255.255.255|0|0||NAG||\n");
    run_free(&r);
    mrs_bytes_clear(&file);
    mrs_bytes_clear(&a);
    mrs_bytes_clear(&body);
}

static void bad_prefix_length_keeps_prefixes_before_it(void **state)
{
    (void)state;
    mrs_bytes body, file;
    mrs_bytes_init(&body);
    mrs_bytes_init(&file);
    mrs_bytes_u16(&body, 0);
    mrs_bytes_u16(&body, 0);
    static const uint8_t nlri[] = {24, 10, 0, 1, 33, 1, 2, 3, 4, 5};
    mrs_bytes_put(&body, nlri, sizeof nlri);
    put_update_record(&file, 7, body.p, body.len, true);
    run r = decode_mem(file.p, file.len);
    assert_int_equal(r.errors, 1);
    assert_non_null(strstr(r.msgs, "NLRI damaged"));
    assert_non_null(strstr(r.msgs, "after 1 prefixes"));
    assert_non_null(strstr(r.out, "|10.0.1.0/24|"));
    assert_int_equal(r.stats.announcements, 1);
    run_free(&r);
    mrs_bytes_clear(&body);
    mrs_bytes_clear(&file);
}

static void rib_peer_index_out_of_range_skips_the_entry(void **state)
{
    (void)state;
    mrs_bytes mem;
    build_example(&mem, 5);
    /* second record = first RIB record (10.0.0.0/24, 1 entry). Patch its peer index to 9. */
    size_t first = 12 + mrs_get32(mem.p + 8);
    uint8_t *body = mem.p + first + 12;
    /* seq(4) plen(1) prefix(3) count(2) -> entry: peer index at +10 */
    body[10] = 0;
    body[11] = 9;
    run r = decode_mem(mem.p, mem.len);
    assert_int_equal(r.errors, 1);
    assert_non_null(strstr(r.msgs, "peer index 9 beyond the 4 peers"));
    run full;
    mrs_bytes clean;
    build_example(&clean, 5);
    full = decode_mem(clean.p, clean.len);
    assert_int_equal(r.stats.rib_entries + 1, full.stats.rib_entries);
    run_free(&full);
    run_free(&r);
    mrs_bytes_clear(&clean);
    mrs_bytes_clear(&mem);
}

static void rib_before_peer_table_and_unknown_types_are_reported(void **state)
{
    (void)state;
    mrs_bytes mem;
    build_example(&mem, 3);
    size_t first = 12 + mrs_get32(mem.p + 8);
    /* drop the peer index table; prepend an unknown but well-formed type (ISIS, 32) */
    mrs_bytes f;
    mrs_bytes_init(&f);
    mrt_writer *w = mrt_writer_open_mem(&f);
    static const uint8_t blob[5] = {1, 2, 3, 4, 5};
    mrt_write_record(w, 1700000000, 0, MRT_ISIS, 0, blob, sizeof blob);
    mrt_writer_close(w);
    mrs_bytes_put(&f, mem.p + first, mem.len - first);
    run r = decode_mem(f.p, f.len);
    assert_int_equal(r.stats.records_unsupported, 1);
    assert_int_equal(r.stats.rib_entries, 0);
    assert_non_null(strstr(r.msgs, "RIB record before any PEER_INDEX_TABLE"));
    assert_true(r.stats.announcements > 0); /* the updates still decode */
    run_free(&r);
    mrs_bytes_clear(&f);
    mrs_bytes_clear(&mem);
}

static void short_length_fields_are_repaired_when_consistent(void **state)
{
    (void)state;
    /* Three TABLE_DUMP records whose length fields are all 4 bytes short. */
    mrs_bytes f;
    mrs_bytes_init(&f);
    for (int k = 0; k < 3; k++) {
        mrs_bytes body;
        mrs_bytes_init(&body);
        mrs_bytes_u16(&body, 0);
        mrs_bytes_u16(&body, (uint16_t)k);
        static const uint8_t pfx[4] = {10, 0, 0, 0};
        mrs_bytes_put(&body, pfx, 4);
        mrs_bytes_u8(&body, 8);
        mrs_bytes_u8(&body, 1);
        mrs_bytes_u32(&body, 900000000);
        mrs_bytes_put(&body, PEER4, 4);
        mrs_bytes_u16(&body, 3333);
        static const uint8_t attrs[] = {0x40, 1, 1, 0, 0x40, 3, 4, 192, 0, 2, 1};
        mrs_bytes_u16(&body, sizeof attrs);
        mrs_bytes_put(&body, attrs, sizeof attrs);
        mrs_bytes_u32(&f, 947550744);
        mrs_bytes_u16(&f, MRT_TABLE_DUMP);
        mrs_bytes_u16(&f, 1);
        mrs_bytes_u32(&f, (uint32_t)body.len - 4);
        mrs_bytes_put(&f, body.p, body.len);
        mrs_bytes_clear(&body);
    }
    run r = decode_mem(f.p, f.len);
    assert_int_equal(r.errors, 0);
    assert_int_equal(r.rstats.length_fixes, 3);
    assert_int_equal(r.stats.rib_entries, 3);
    assert_non_null(strstr(r.msgs, "4 bytes short"));
    assert_non_null(strstr(r.out, "TABLE_DUMP|947550744|B|192.0.2.1|3333|10.0.0.0/8||IGP|192.0.2.1|0|0||NAG||\n"));
    run_free(&r);
    mrs_bytes_clear(&f);
}

static void et_microseconds_and_ipv6_print_like_bgpdump(void **state)
{
    (void)state;
    mrs_bytes msg, rec, f;
    mrs_bytes_init(&msg);
    mrs_bytes_init(&rec);
    mrs_bytes_init(&f);
    mrs_prefix p;
    assert_true(mrs_prefix_parse("2001:7f8:30::/48", 16, &p, true));
    uint32_t path[2] = {64500, 4200000000u};
    bgp_route r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.path_len = 2;
    r.next_hop_afi = MRS_AFI_IPV6;
    unsigned afi;
    assert_true(mrs_ip_parse("2001:7f8:30:0:2:1:0:8447", 24, &afi, r.next_hop));
    r.has_local_pref = true;
    r.local_pref = 100;
    bgp_put_update(&msg, NULL, 0, &r, &p, 1, 4);
    uint8_t peer6[16];
    assert_true(mrs_ip_parse("2001:7f8:30::1", 14, &afi, peer6));
    mrt_put_bgp4mp_message(&rec, 64500, 64511, MRS_AFI_IPV6, peer6, peer6, msg.p, msg.len, true);
    mrt_writer *w = mrt_writer_open_mem(&f);
    mrt_write_record(w, 1445565678, 9481, MRT_BGP4MP_ET, MRT_BGP4MP_MESSAGE_AS4, rec.p, rec.len);
    mrt_writer_close(w);
    run x = decode_mem(f.p, f.len);
    /* bgpdump compresses the single zero group too */
    assert_string_equal(x.out, "BGP4MP_ET|1445565678.009481|A|2001:7f8:30::1|64500|2001:7f8:30::/48|64500 4200000000|"
                               "IGP|2001:7f8:30::2:1:0:8447|100|0||NAG||\n");
    run_free(&x);
    mrs_bytes_clear(&msg);
    mrs_bytes_clear(&rec);
    mrs_bytes_clear(&f);
}

static void count_ev(const mrt_event *ev, void *user)
{
    (void)ev;
    (*(uint64_t *)user)++;
}

static void real_rib_file_decodes_cleanly(void **state)
{
    (void)state;
    char path[1024];
    TU_REQUIRE_DATA("mrt/rib6.20151101.0600_firstMB.complete-records.bz2", path);
    mrs_diag diag;
    mrs_diag_init(&diag, NULL);
    mrt_decoder *d = mrt_decoder_new(&diag);
    uint64_t n = 0;
    mrt_scan_result res;
    assert_true(mrt_scan_file(path, d, &diag, false, count_ev, &n, &res));
    /* counts from ../shared/data/PROVENANCE.md: 1 peer index + 6870 RIB records, 149578 entries */
    assert_int_equal(res.records, 6871);
    assert_int_equal(n, 149578);
    assert_int_equal(mrt_decoder_get_stats(d)->rib_entries, 149578);
    assert_int_equal(mrt_decoder_peer_count(d), 29); /* 27 of them have entries */
    assert_int_equal(diag.errors, 0);
    mrt_decoder_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(example_round_trip_counts_every_event),
        cmocka_unit_test(as_path_segments_print_like_bgpdump),
        cmocka_unit_test(absent_attributes_print_bgpdump_defaults),
        cmocka_unit_test(as4_path_is_merged_per_rfc6793),
        cmocka_unit_test(as_set_origin_has_no_origin_as),
        cmocka_unit_test(truncated_file_keeps_every_complete_record),
        cmocka_unit_test(garbage_between_records_is_skipped_and_reported),
        cmocka_unit_test(attribute_overrun_skips_only_that_record),
        cmocka_unit_test(messages_cut_by_the_collector_are_not_damage),
        cmocka_unit_test(bad_prefix_length_keeps_prefixes_before_it),
        cmocka_unit_test(rib_peer_index_out_of_range_skips_the_entry),
        cmocka_unit_test(rib_before_peer_table_and_unknown_types_are_reported),
        cmocka_unit_test(short_length_fields_are_repaired_when_consistent),
        cmocka_unit_test(et_microseconds_and_ipv6_print_like_bgpdump),
        cmocka_unit_test(real_rib_file_decodes_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
