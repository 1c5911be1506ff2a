/*
 * test_io.c — streaming reader with transparent decompression (src/core/io.c).
 *
 * Compressed inputs are produced at test time with the same libraries (zlib,
 * libbz2, liblzma, libzstd), so every expectation is an exact byte comparison
 * against the generated plain data. Real data from ../shared/data/mrt is used
 * for one gzip file and for the truncated RouteViews bzip2 dump; those tests
 * skip if the data set is absent.
 */
#include "testutil.h"

#include <bzlib.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "manrs/core/io.h"

typedef struct buf {
    uint8_t *p;
    size_t len;
} buf;

/* ~n bytes of text-like data: random words and numbers from a fixed seed, so it
 * compresses (about 3-4x) but has no long exact repeats. */
static buf gen_data(size_t n, uint32_t seed)
{
    static const char *words[] = {"route", "prefix", "origin", "AS", "peer", "193.0.", "2001:db8::",
                                  "/24", "|", "\n", "\r\n", "\t", "ROA", "valid", "invalid", " "};
    buf b = {malloc(n), n};
    assert_non_null(b.p);
    uint32_t x = seed ? seed : 1;
    size_t i = 0;
    while (i < n) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        const char *w = words[x % 16];
        char num[16];
        if ((x >> 8) % 3 == 0) {
            snprintf(num, sizeof num, "%u", (x >> 12) % 100000);
            w = num;
        } else if ((x >> 8) % 97 == 1) {
            num[0] = (char)(x >> 16); /* occasional arbitrary byte, including NUL */
            num[1] = 0;
            w = num;
            b.p[i++] = (uint8_t)(x >> 16);
            continue;
        }
        size_t k = strlen(w);
        if (k > n - i)
            k = n - i;
        memcpy(b.p + i, w, k);
        i += k;
    }
    return b;
}

static buf gz(const uint8_t *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    buf o = {malloc(deflateBound(&z, n) + 64), 0};
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    z.next_out = o.p;
    z.avail_out = (uInt)(deflateBound(&z, n) + 64);
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    o.len = z.total_out;
    deflateEnd(&z);
    return o;
}

static buf bz(const uint8_t *p, size_t n)
{
    unsigned cap = (unsigned)(n + n / 100 + 600);
    buf o = {malloc(cap), 0};
    assert_int_equal(BZ2_bzBuffToBuffCompress((char *)o.p, &cap, (char *)(uintptr_t)p, (unsigned)n, 9, 0, 0),
                     BZ_OK);
    o.len = cap;
    return o;
}

static buf xz(const uint8_t *p, size_t n)
{
    size_t cap = lzma_stream_buffer_bound(n);
    buf o = {malloc(cap), 0};
    assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, p, n, o.p, &o.len, cap), LZMA_OK);
    return o;
}

static buf zst(const uint8_t *p, size_t n)
{
    /* With the content checksum, as the zstd tool writes by default. */
    size_t cap = ZSTD_compressBound(n);
    buf o = {malloc(cap), 0};
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    assert_non_null(cc);
    assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1)));
    o.len = ZSTD_compress2(cc, o.p, cap, p, n);
    assert_false(ZSTD_isError(o.len));
    ZSTD_freeCCtx(cc);
    return o;
}

static buf plain(const uint8_t *p, size_t n)
{
    buf o = {malloc(n ? n : 1), n};
    memcpy(o.p, p, n);
    return o;
}

typedef buf (*compressor)(const uint8_t *, size_t);

static const struct kind {
    const char *name;
    compressor fn;
    mrs_compression comp;
} KINDS[] = {{"plain", plain, MRS_COMP_NONE},
             {"gzip", gz, MRS_COMP_GZIP},
             {"bzip2", bz, MRS_COMP_BZIP2},
             {"xz", xz, MRS_COMP_XZ},
             {"zstd", zst, MRS_COMP_ZSTD}};

static void cat(buf *a, buf b)
{
    a->p = realloc(a->p, a->len + b.len + 1);
    assert_non_null(a->p);
    memcpy(a->p + a->len, b.p, b.len);
    a->len += b.len;
    free(b.p);
}

/* Read everything with varying chunk sizes; check that offsets only grow and
 * that raw offset never exceeds the raw size. */
static buf read_all_from(mrs_reader *r, uint64_t base)
{
    static const size_t chunks[] = {1, 7, 4096, 100003, 1 << 20, 13, 65536, 3 << 20};
    buf o = {NULL, 0};
    size_t cap = 0;
    uint64_t last_raw = 0;
    for (unsigned i = 0;; i++) {
        size_t want = chunks[i % (sizeof chunks / sizeof chunks[0])];
        if (o.len + want > cap) {
            cap = (o.len + want) * 2;
            o.p = realloc(o.p, cap);
            assert_non_null(o.p);
        }
        size_t got = mrs_read(r, o.p + o.len, want);
        assert_true(got <= want);
        o.len += got;
        assert_int_equal(mrs_reader_offset(r), base + o.len);
        uint64_t raw = mrs_reader_raw_offset(r);
        assert_true(raw >= last_raw);
        last_raw = raw;
        if (mrs_reader_raw_size(r))
            assert_true(raw <= mrs_reader_raw_size(r));
        if (got < want)
            break;
    }
    /* Reads after the end (or after damage) return nothing and change nothing. */
    uint8_t extra[16];
    assert_int_equal(mrs_read(r, extra, sizeof extra), 0);
    assert_int_equal(mrs_reader_offset(r), base + o.len);
    return o;
}

static buf read_all(mrs_reader *r)
{
    return read_all_from(r, 0);
}

static mrs_reader *open_ok(const char *path)
{
    char err[512];
    mrs_reader *r = mrs_reader_open(path, err, sizeof err);
    if (!r)
        fail_msg("open %s: %s", path, err);
    return r;
}

static void round_trip_every_compression_byte_exact(void **state)
{
    (void)state;
    buf data = gen_data(3 << 20, 42);
    for (unsigned k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        buf c = KINDS[k].fn(data.p, data.len);
        char name[64];
        snprintf(name, sizeof name, "rt.%s", KINDS[k].name);
        const char *path = tu_write_tmp(name, c.p, c.len);

        mrs_reader *r = open_ok(path);
        assert_int_equal(mrs_reader_compression(r), KINDS[k].comp);
        assert_string_equal(mrs_compression_name(mrs_reader_compression(r)), KINDS[k].name);
        assert_string_equal(mrs_reader_name(r), path);
        assert_int_equal(mrs_reader_raw_size(r), c.len);
        buf o = read_all(r);
        assert_int_equal(mrs_reader_error(r), 0);
        assert_string_equal(mrs_reader_errmsg(r), "");
        assert_int_equal(o.len, data.len);
        assert_memory_equal(o.p, data.p, data.len);
        assert_int_equal(mrs_reader_raw_offset(r), c.len);
        mrs_reader_close(r);
        free(o.p);

        r = mrs_reader_open_mem(c.p, c.len, "mem");
        assert_non_null(r);
        assert_string_equal(mrs_reader_name(r), "mem");
        assert_int_equal(mrs_reader_compression(r), KINDS[k].comp);
        o = read_all(r);
        assert_int_equal(mrs_reader_error(r), 0);
        assert_int_equal(o.len, data.len);
        assert_memory_equal(o.p, data.p, data.len);
        assert_int_equal(mrs_reader_raw_offset(r), c.len);
        mrs_reader_close(r);
        free(o.p);
        free(c.p);
    }
    free(data.p);
}

/* Several members / streams / frames back to back, including an empty one. */
static void concatenated_members_and_streams_are_read_completely(void **state)
{
    (void)state;
    buf data = gen_data(1 << 20, 7);
    const size_t cut[] = {0, 1000, 1000, 400000, data.len}; /* parts: 1000, 0, 399000, rest */
    for (unsigned k = 1; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        buf c = {NULL, 0};
        for (int i = 0; i < 4; i++)
            cat(&c, KINDS[k].fn(data.p + cut[i], cut[i + 1] - cut[i]));
        const char *path = tu_write_tmp("multi", c.p, c.len);
        mrs_reader *r = open_ok(path);
        buf o = read_all(r);
        if (mrs_reader_error(r))
            fail_msg("%s: %s", KINDS[k].name, mrs_reader_errmsg(r));
        assert_int_equal(o.len, data.len);
        assert_memory_equal(o.p, data.p, data.len);
        assert_int_equal(mrs_reader_raw_offset(r), c.len);
        mrs_reader_close(r);
        free(o.p);
        free(c.p);
    }
    free(data.p);
}

/* A compressed stream cut short: the bytes decoded before the cut come out
 * exactly (a prefix of the data), then the error names the truncation. */
static void truncated_stream_returns_exact_prefix_then_error(void **state)
{
    (void)state;
    buf data = gen_data(3 << 20, 99);
    for (unsigned k = 1; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        buf c = KINDS[k].fn(data.p, data.len);
        const size_t cuts[] = {c.len * 6 / 10, c.len - 1, 7}; /* 7: past every magic number */
        for (unsigned j = 0; j < 3; j++) {
            size_t cutlen = cuts[j];
            const char *path = tu_write_tmp("trunc", c.p, cutlen);
            mrs_reader *r = open_ok(path);
            buf o = read_all(r);
            assert_int_not_equal(mrs_reader_error(r), 0);
            assert_true(o.len <= data.len);
            if (o.len)
                assert_memory_equal(o.p, data.p, o.len);
            char want[200];
            snprintf(want, sizeof want, "%s stream truncated at compressed offset %zu (decompressed offset %zu)",
                     KINDS[k].name, cutlen, o.len);
            assert_string_equal(mrs_reader_errmsg(r), want);
            if (j == 0)
                assert_true(o.len > data.len / 4 || KINDS[k].comp == MRS_COMP_BZIP2);
            mrs_reader_close(r);
            free(o.p);
        }
        free(c.p);
    }
    free(data.p);
}

/* gzip without its last 4 trailer bytes (ISIZE): every data byte was decoded,
 * but the member is still incomplete. */
static void gzip_missing_trailer_delivers_all_data_and_reports_truncation(void **state)
{
    (void)state;
    buf data = gen_data(200000, 5);
    buf c = gz(data.p, data.len);
    mrs_reader *r = mrs_reader_open_mem(c.p, c.len - 4, "t");
    buf o = read_all(r);
    assert_int_equal(o.len, data.len);
    assert_memory_equal(o.p, data.p, data.len);
    char want[200];
    snprintf(want, sizeof want, "gzip stream truncated at compressed offset %zu (decompressed offset %zu)",
             c.len - 4, data.len);
    assert_string_equal(mrs_reader_errmsg(r), want);
    mrs_reader_close(r);
    free(o.p);
    free(c.p);
    free(data.p);
}

static void corrupt_byte_in_the_middle_is_an_error_not_a_crash(void **state)
{
    (void)state;
    buf data = gen_data(1 << 20, 3);
    for (unsigned k = 1; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        buf c = KINDS[k].fn(data.p, data.len);
        for (int flip = 0; flip < 4; flip++) {
            buf d = plain(c.p, c.len);
            d.p[d.len / 2 + (size_t)flip * 37] ^= (uint8_t)(0x55 << flip);
            mrs_reader *r = mrs_reader_open_mem(d.p, d.len, "corrupt");
            buf o = read_all(r);
            if (!mrs_reader_error(r))
                fail_msg("%s: corruption not detected", KINDS[k].name);
            assert_non_null(strstr(mrs_reader_errmsg(r), KINDS[k].name));
            assert_non_null(strstr(mrs_reader_errmsg(r), "at compressed offset"));
            assert_true(o.len <= data.len + (1u << 20));
            mrs_reader_close(r);
            free(o.p);
            free(d.p);
        }
        free(c.p);
    }
    free(data.p);
}

static void trailing_garbage_after_complete_member_is_an_error(void **state)
{
    (void)state;
    buf data = gen_data(100000, 11);
    for (unsigned k = 1; k <= 2; k++) { /* gzip, bzip2 */
        buf c = KINDS[k].fn(data.p, data.len);
        size_t clen = c.len;
        cat(&c, plain((const uint8_t *)"garbage!", 8));
        mrs_reader *r = mrs_reader_open_mem(c.p, c.len, "g");
        buf o = read_all(r);
        assert_int_equal(o.len, data.len);
        assert_memory_equal(o.p, data.p, data.len);
        char want[200];
        snprintf(want, sizeof want, "%s trailing garbage after %s at compressed offset %zu (decompressed offset %zu)",
                 KINDS[k].name, k == 1 ? "member" : "stream", clen, data.len);
        assert_string_equal(mrs_reader_errmsg(r), want);
        mrs_reader_close(r);
        free(o.p);
        free(c.p);
    }
    free(data.p);
}

static void empty_inputs(void **state)
{
    (void)state;
    const char *path = tu_write_tmp("empty", "", 0);
    mrs_reader *r = open_ok(path);
    uint8_t b[8];
    assert_int_equal(mrs_reader_compression(r), MRS_COMP_NONE);
    assert_int_equal(mrs_read(r, b, sizeof b), 0);
    assert_int_equal(mrs_reader_error(r), 0);
    char *line = NULL;
    size_t cap = 0;
    assert_int_equal(mrs_getline(r, &line, &cap), -1);
    mrs_reader_close(r);

    r = mrs_reader_open_mem(NULL, 0, "nothing");
    assert_int_equal(mrs_read(r, b, sizeof b), 0);
    assert_int_equal(mrs_reader_error(r), 0);
    mrs_reader_close(r);

    /* A compressed empty file of each kind: zero bytes, no error. */
    for (unsigned k = 1; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        buf c = KINDS[k].fn((const uint8_t *)"", 0);
        r = mrs_reader_open_mem(c.p, c.len, "e");
        assert_int_equal(mrs_reader_compression(r), KINDS[k].comp);
        assert_int_equal(mrs_read(r, b, sizeof b), 0);
        if (mrs_reader_error(r))
            fail_msg("%s: %s", KINDS[k].name, mrs_reader_errmsg(r));
        assert_int_equal(mrs_reader_raw_offset(r), c.len);
        assert_int_equal(mrs_getline(r, &line, &cap), -1);
        mrs_reader_close(r);
        free(c.p);
    }
    /* Short plain inputs that start like a magic number are plain. */
    r = mrs_reader_open_mem("\x1f", 1, "one");
    assert_int_equal(mrs_reader_compression(r), MRS_COMP_NONE);
    assert_int_equal(mrs_read(r, b, sizeof b), 1);
    assert_int_equal(b[0], 0x1f);
    mrs_reader_close(r);
    free(line);
}

static void getline_crlf_long_lines_and_last_line_without_newline(void **state)
{
    (void)state;
    size_t big = (3u << 20) / 2 + 17; /* > 1 MiB, > every internal buffer */
    static const char head[] = "a\r\n\nb\n\r\n\rx\r\r\nplain\n";
    const size_t hlen = sizeof head - 1;
    buf text = {NULL, 0};
    cat(&text, plain((const uint8_t *)head, hlen));
    buf longline = {malloc(big + 2), big + 2};
    for (size_t i = 0; i < big; i++)
        longline.p[i] = (uint8_t)('a' + i % 26);
    longline.p[big] = '\r';
    longline.p[big + 1] = '\n';
    cat(&text, longline);
    cat(&text, plain((const uint8_t *)"tail\r", 5));

    for (unsigned k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        buf c = KINDS[k].fn(text.p, text.len);
        mrs_reader *r = mrs_reader_open_mem(c.p, c.len, "lines");
        char *line = NULL;
        size_t cap = 0;
        assert_int_equal(mrs_getline(r, &line, &cap), 1);
        assert_string_equal(line, "a");
        assert_int_equal(mrs_getline(r, &line, &cap), 0);
        assert_string_equal(line, "");
        assert_int_equal(mrs_getline(r, &line, &cap), 1);
        assert_string_equal(line, "b");
        assert_int_equal(mrs_getline(r, &line, &cap), 0); /* "\r\n" */
        assert_int_equal(mrs_getline(r, &line, &cap), 3); /* "\rx\r\r\n": only the last \r goes */
        assert_memory_equal(line, "\rx\r", 4);
        assert_int_equal(mrs_reader_offset(r), 13);
        /* Mixing mrs_read and mrs_getline keeps the byte order. */
        char five[5];
        assert_int_equal(mrs_read(r, five, 3), 3);
        assert_memory_equal(five, "pla", 3);
        assert_int_equal(mrs_getline(r, &line, &cap), 2);
        assert_string_equal(line, "in");
        assert_int_equal(mrs_getline(r, &line, &cap), (ssize_t)big);
        assert_memory_equal(line, text.p + hlen, big);
        assert_int_equal(line[big], '\0');
        assert_true(cap > big);
        /* Final line without '\n' is a line; its '\r' is data, not a line end. */
        assert_int_equal(mrs_getline(r, &line, &cap), 5);
        assert_string_equal(line, "tail\r");
        assert_int_equal(mrs_getline(r, &line, &cap), -1);
        assert_int_equal(mrs_getline(r, &line, &cap), -1);
        assert_int_equal(mrs_reader_error(r), 0);
        assert_int_equal(mrs_reader_offset(r), text.len);
        free(line);
        mrs_reader_close(r);
        free(c.p);
    }
    free(text.p);
}

static void getline_counts_every_line_of_generated_data(void **state)
{
    (void)state;
    buf data = gen_data(2 << 20, 8);
    size_t nl = 0;
    for (size_t i = 0; i < data.len; i++)
        nl += data.p[i] == '\n';
    if (data.p[data.len - 1] != '\n')
        nl++;
    buf c = gz(data.p, data.len);
    mrs_reader *r = mrs_reader_open_mem(c.p, c.len, "count");
    char *line = NULL;
    size_t cap = 0, n = 0, bytes = 0;
    ssize_t len;
    while ((len = mrs_getline(r, &line, &cap)) >= 0) {
        n++;
        bytes += (size_t)len;
    }
    assert_int_equal(n, nl);
    assert_int_equal(mrs_reader_error(r), 0);
    assert_true(bytes < data.len);
    free(line);
    mrs_reader_close(r);
    free(c.p);
    free(data.p);
}

static void getline_on_truncated_stream_returns_prefix_lines_then_error(void **state)
{
    (void)state;
    buf data = gen_data(1 << 20, 21);
    buf c = gz(data.p, data.len);
    mrs_reader *r = mrs_reader_open_mem(c.p, c.len / 2, "half");
    char *line = NULL;
    size_t cap = 0, pos = 0;
    ssize_t len;
    while ((len = mrs_getline(r, &line, &cap)) >= 0) {
        assert_true(pos + (size_t)len <= data.len);
        assert_memory_equal(line, data.p + pos, (size_t)len);
        pos += (size_t)len;
        while (pos < data.len && (data.p[pos] == '\r' || data.p[pos] == '\n'))
            if (data.p[pos++] == '\n')
                break;
    }
    assert_int_not_equal(mrs_reader_error(r), 0);
    assert_non_null(strstr(mrs_reader_errmsg(r), "gzip stream truncated at compressed offset"));
    assert_true(pos > data.len / 4);
    free(line);
    mrs_reader_close(r);
    free(c.p);
    free(data.p);
}

/* RFC 1952 section 2.3.1 trailer of every member: a wrong CRC32 or ISIZE is
 * reported once all the member's bytes were delivered (they decoded fine; the
 * check says they are not what was compressed), with zlib's wording; also in a
 * later member, and byte by byte across refills (the trailer straddles reads). */
static void gzip_trailer_crc_and_length_are_checked(void **state)
{
    (void)state;
    buf data = gen_data(300000, 8);
    buf one = gz(data.p, data.len);
    static const struct {
        int at;                 /* byte of the trailer to change: 0-3 CRC, 4-7 ISIZE */
        const char *what;
    } cases[] = {{0, "incorrect data check"}, {3, "incorrect data check"}, {4, "incorrect length check"},
                 {7, "incorrect length check"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        for (int second = 0; second < 2; second++) {
            buf c = {NULL, 0};
            if (second)
                cat(&c, gz(data.p, data.len)); /* a good member first */
            buf bad = plain(one.p, one.len);
            bad.p[bad.len - 8 + (size_t)cases[k].at] ^= 0x01;
            cat(&c, bad);
            const char *path = tu_write_tmp("trailer.gz", c.p, c.len);
            for (int mode = 0; mode < 3; mode++) {
                mrs_reader *r;
                if (mode == 0)
                    r = open_ok(path);
                else
                    r = mrs_reader_open_mem(c.p, c.len, "m");
                size_t total = 0, got;
                uint8_t b[4096];
                /* mode 2: 1-byte reads (the mem reader hands out all input at
                 * once, so trailer bytes and output cross many steps). */
                while ((got = mrs_read(r, b, mode == 2 ? 1 : sizeof b)) > 0)
                    total += got;
                assert_int_equal(total, (second ? 2 : 1) * data.len);
                char want[200]; /* offsets as zlib's own check gave them: CRC before ISIZE is read */
                snprintf(want, sizeof want, "gzip data corrupt at compressed offset %zu (decompressed offset %zu): %s",
                         c.len - (cases[k].at < 4 ? 4 : 0), total, cases[k].what);
                assert_string_equal(mrs_reader_errmsg(r), want);
                mrs_reader_close(r);
            }
            free(c.p);
        }
    }
    /* The good file passes, byte by byte too. */
    mrs_reader *r = mrs_reader_open_mem(one.p, one.len, "ok");
    uint8_t b1;
    size_t total = 0;
    while (mrs_read(r, &b1, 1) == 1)
        total++;
    assert_int_equal(total, data.len);
    assert_int_equal(mrs_reader_error(r), 0);
    mrs_reader_close(r);
    free(one.p);
    free(data.p);
}

/* Files are decoded ahead on a second thread (io.c "decode ahead"); with
 * MANRS_IO_THREADS=0 synchronously. Both must give the same bytes and the same
 * error text and offsets for truncated files, the same kind of damage and the
 * same bytes for corrupt ones, with damage never visible before the bytes in
 * front of it; a reader closed early (producer blocked on a full ring) must not
 * hang or leak. */
static void decode_ahead_equals_synchronous_decoding(void **state)
{
    (void)state;
    buf data = gen_data(3 << 20, 21);
    for (unsigned k = 1; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        buf c = KINDS[k].fn(data.p, data.len);
        for (int variant = 0; variant < 3; variant++) {
            buf d = plain(c.p, c.len);
            if (variant == 1)
                d.p[d.len * 3 / 4] ^= 0x5a; /* corrupt late: most of the data comes first */
            if (variant == 2)
                d.len = d.len / 2;          /* cut short */
            const char *path = tu_write_tmp("ahead", d.p, d.len);
            buf out[2];
            char msg[2][320];
            for (int sync = 0; sync < 2; sync++) {
                if (sync)
                    setenv("MANRS_IO_THREADS", "0", 1);
                mrs_reader *r = open_ok(path);
                unsetenv("MANRS_IO_THREADS");
                /* Early on, damage far ahead is not visible in either mode. */
                uint8_t head[1000];
                assert_int_equal(mrs_read(r, head, sizeof head), sizeof head);
                assert_int_equal(mrs_reader_error(r), 0);
                buf rest = read_all_from(r, sizeof head);
                out[sync].len = sizeof head + rest.len;
                out[sync].p = malloc(out[sync].len);
                assert_non_null(out[sync].p);
                memcpy(out[sync].p, head, sizeof head);
                if (rest.len)
                    memcpy(out[sync].p + sizeof head, rest.p, rest.len);
                free(rest.p);
                snprintf(msg[sync], sizeof msg[sync], "%s", mrs_reader_errmsg(r));
                assert_int_equal(mrs_reader_error(r) != 0, msg[sync][0] != '\0');
                assert_int_equal(mrs_reader_offset(r), out[sync].len);
                mrs_reader_close(r);
            }
            if (variant == 0)
                assert_string_equal(msg[0], "");
            if (variant == 2 && !msg[0][0])
                fail_msg("%s: truncation not reported", KINDS[k].name);
            if (variant == 1) {
                /* Where a decoder notices corruption depends on its output
                 * buffer sizes (zstd checks per block), so offsets may differ
                 * between any two read patterns; the kind of damage and the
                 * bytes both delivered may not. */
                const char *a = strstr(msg[0], " at "), *b = strstr(msg[1], " at ");
                assert_int_equal(a != NULL, b != NULL);
                if (a)
                    assert_memory_equal(msg[0], msg[1], (size_t)(a - msg[0]) + 1);
                size_t both = out[0].len < out[1].len ? out[0].len : out[1].len;
                assert_memory_equal(out[0].p, out[1].p, both);
            } else {
                assert_string_equal(msg[0], msg[1]);
                assert_int_equal(out[0].len, out[1].len);
                assert_memory_equal(out[0].p, out[1].p, out[0].len);
            }
            free(out[0].p);
            free(out[1].p);
            free(d.p);
        }
        /* Close after a few bytes, and right after open. */
        const char *path = tu_write_tmp("ahead-early", c.p, c.len);
        mrs_reader *r = open_ok(path);
        uint8_t few[10];
        assert_int_equal(mrs_read(r, few, sizeof few), sizeof few);
        assert_memory_equal(few, data.p, sizeof few);
        usleep(20000); /* let the producer fill the ring and block */
        mrs_reader_close(r);
        mrs_reader_close(open_ok(path));
        /* getline over the decoded-ahead chunks: same lines as in memory. */
        r = open_ok(path);
        mrs_reader *m = mrs_reader_open_mem(c.p, c.len, "mem");
        char *l1 = NULL, *l2 = NULL;
        size_t c1 = 0, c2 = 0;
        ssize_t n1, n2;
        uint64_t lines = 0;
        do {
            n1 = mrs_getline(r, &l1, &c1);
            n2 = mrs_getline(m, &l2, &c2);
            assert_int_equal(n1, n2);
            if (n1 >= 0)
                assert_memory_equal(l1, l2, (size_t)n1);
            lines++;
        } while (n1 >= 0);
        assert_true(lines > 1000);
        assert_int_equal(mrs_reader_offset(r), data.len);
        free(l1);
        free(l2);
        mrs_reader_close(r);
        mrs_reader_close(m);
        free(c.p);
    }
    free(data.p);
}

static void missing_file_and_directory_are_reported_with_strerror(void **state)
{
    (void)state;
    char err[256] = "";
    char path[600];
    snprintf(path, sizeof path, "%s/does-not-exist.gz", tu_tmpdir());
    assert_null(mrs_reader_open(path, err, sizeof err));
    char want[700];
    snprintf(want, sizeof want, "%s: No such file or directory", path);
    assert_string_equal(err, want);
    assert_null(mrs_reader_open(tu_tmpdir(), err, sizeof err));
    snprintf(want, sizeof want, "%s: Is a directory", tu_tmpdir());
    assert_string_equal(err, want);
    assert_null(mrs_reader_open(path, NULL, 0));
    /* _why: the reason only, for callers that name the file (mrs_diag_error_file). */
    assert_null(mrs_reader_open_why(path, err, sizeof err));
    assert_string_equal(err, "No such file or directory");
    assert_null(mrs_reader_open_why(tu_tmpdir(), err, sizeof err));
    assert_string_equal(err, "Is a directory");
}

/* "-" reads standard input: a regular file on fd 0 has a size, a pipe does not. */
static void stdin_as_file_and_as_pipe(void **state)
{
    (void)state;
    buf data = gen_data(40000, 77); /* fits in a pipe buffer */
    buf c = gz(data.p, data.len);
    const char *path = tu_write_tmp("stdin.gz", c.p, c.len);
    int saved = dup(0);
    assert_true(saved >= 0);

    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(dup2(fd, 0), 0);
    close(fd);
    mrs_reader *r = open_ok("-");
    assert_string_equal(mrs_reader_name(r), "[stdin]");
    assert_int_equal(mrs_reader_raw_size(r), c.len);
    buf o = read_all(r);
    assert_int_equal(o.len, data.len);
    assert_memory_equal(o.p, data.p, data.len);
    mrs_reader_close(r);
    free(o.p);

    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    assert_int_equal(write(pfd[1], c.p, c.len), (ssize_t)c.len);
    close(pfd[1]);
    assert_int_equal(dup2(pfd[0], 0), 0);
    close(pfd[0]);
    r = open_ok("-");
    assert_int_equal(mrs_reader_raw_size(r), 0);
    assert_int_equal(mrs_reader_compression(r), MRS_COMP_GZIP);
    o = read_all(r);
    assert_int_equal(mrs_reader_error(r), 0);
    assert_int_equal(o.len, data.len);
    assert_memory_equal(o.p, data.p, data.len);
    assert_int_equal(mrs_reader_raw_offset(r), c.len);
    mrs_reader_close(r);
    free(o.p);

    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    free(c.p);
    free(data.p);
}

/* Real RouteViews data: the first ~1 MiB of a bzip2 RIB (cut mid-block) must
 * yield the same 12131168 bytes of complete records as the derived complete file
 * (PROVENANCE.md) and more, then report the truncation at the raw end of the file. */
static void real_truncated_routeviews_bzip2(void **state)
{
    (void)state;
    char p1[600], p2[600];
    TU_REQUIRE_DATA("mrt/rib6.20151101.0600_firstMB.bz2", p1);
    TU_REQUIRE_DATA("mrt/rib6.20151101.0600_firstMB.complete-records.bz2", p2);
    mrs_reader *r = open_ok(p2);
    buf full = read_all(r);
    assert_int_equal(mrs_reader_error(r), 0);
    assert_int_equal(full.len, 12131168);
    assert_int_equal(crc32(0, full.p, (uInt)full.len), 0xb3d6cc2cu);
    assert_int_equal(mrs_reader_raw_offset(r), 1062662);
    mrs_reader_close(r);

    r = open_ok(p1);
    assert_int_equal(mrs_reader_compression(r), MRS_COMP_BZIP2);
    buf cut = read_all(r);
    assert_int_not_equal(mrs_reader_error(r), 0);
    /* All complete bzip2 blocks (CRC-checked) are delivered: 12132997 bytes, i.e.
     * the 12131168 bytes of complete records plus the start of the next record.
     * (bzcat prints only 12130000: it drops its last partly filled 5000-byte buffer.) */
    assert_int_equal(cut.len, 12132997);
    assert_memory_equal(cut.p, full.p, 12131168);
    char want[200];
    snprintf(want, sizeof want, "bzip2 stream truncated at compressed offset 1088026 (decompressed offset %zu)",
             cut.len);
    assert_string_equal(mrs_reader_errmsg(r), want);
    mrs_reader_close(r);
    free(cut.p);
    free(full.p);
}

static void real_ripe_gzip(void **state)
{
    (void)state;
    char p[600];
    TU_REQUIRE_DATA("mrt/bview.20020722.2337.gz", p);
    mrs_reader *r = open_ok(p);
    assert_int_equal(mrs_reader_compression(r), MRS_COMP_GZIP);
    assert_int_equal(mrs_reader_raw_size(r), 1180359);
    buf o = read_all(r);
    assert_int_equal(mrs_reader_error(r), 0);
    assert_int_equal(o.len, 6902693);
    assert_int_equal(crc32(0, o.p, (uInt)o.len), 0x4c60394du);
    assert_int_equal(mrs_reader_raw_offset(r), 1180359);
    mrs_reader_close(r);
    free(o.p);
}

/* Text mode (mrs_reader_expect_text): binary data is rejected from the first
 * bytes; after a good start, a NUL byte ends the stream at exactly its offset,
 * through short reads, large direct reads and getline, plain and compressed;
 * getline stops at MRS_LINE_MAX. */
static void text_mode_rejects_binary_and_stops_at_nul(void **state)
{
    (void)state;
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    static const uint8_t zeros[4096];
    mrs_reader *r = mrs_reader_open_mem(zeros, sizeof zeros, "zero");
    assert_int_equal(mrs_reader_expect_text(r, "a test file", NULL, &d), -1);
    assert_int_equal(d.errors, 1);
    mrs_reader_close(r);
    /* random bytes without NUL: too many control bytes */
    uint8_t rnd[4096];
    uint32_t x = 7;
    for (size_t i = 0; i < sizeof rnd; i++) {
        x = x * 1103515245u + 12345u;
        rnd[i] = (uint8_t)(x >> 16) ? (uint8_t)(x >> 16) : 1;
    }
    r = mrs_reader_open_mem(rnd, sizeof rnd, "rnd");
    assert_int_equal(mrs_reader_expect_text(r, "a test file", NULL, &d), -1);
    mrs_reader_close(r);
    /* JSON sniff */
    r = mrs_reader_open_mem(" \n x{}", 6, "j");
    assert_int_equal(mrs_reader_expect_text(r, "JSON", mrs_sniff_json, &d), -1);
    mrs_reader_close(r);
    r = mrs_reader_open_mem("\xEF\xBB\xBF [1]", 7, "j");
    assert_int_equal(mrs_reader_expect_text(r, "JSON", mrs_sniff_json, &d), 0);
    mrs_reader_close(r);
    assert_int_equal(d.errors, 3);

    /* 300 000 bytes of text lines, then NUL bytes */
    size_t text = 300000, n = text + 200000;
    uint8_t *p = calloc(n, 1);
    assert_non_null(p);
    for (size_t i = 0; i < text; i++)
        p[i] = i % 50 == 49 ? '\n' : (uint8_t)('a' + i % 26);
    buf z = gz(p, n);
    for (int comp = 0; comp < 2; comp++) {
        for (int how = 0; how < 3; how++) {
            r = comp ? mrs_reader_open_mem(z.p, z.len, "t") : mrs_reader_open_mem(p, n, "t");
            assert_int_equal(mrs_reader_expect_text(r, "a test file", NULL, &d), 0);
            size_t got = 0;
            if (how == 2) {
                char *line = NULL;
                size_t cap = 0;
                ssize_t k;
                while ((k = mrs_getline(r, &line, &cap)) >= 0)
                    got += (size_t)k + 1;
                free(line);
            } else {
                size_t chunk = how ? 256 * 1024 : 100;
                uint8_t *b = malloc(chunk);
                size_t k;
                while ((k = mrs_read(r, b, chunk)) > 0)
                    got += k;
                free(b);
            }
            assert_int_equal(got, text);
            assert_true(mrs_reader_error(r));
            assert_non_null(strstr(mrs_reader_errmsg(r), "NUL byte at decompressed offset 300000"));
            mrs_reader_close(r);
        }
    }
    free(z.p);
    /* a line longer than MRS_LINE_MAX ends getline in text mode */
    free(p);
    n = MRS_LINE_MAX + 4096;
    p = malloc(n);
    assert_non_null(p);
    memset(p, 'x', n);
    r = mrs_reader_open_mem(p, n, "long");
    assert_int_equal(mrs_reader_expect_text(r, "a test file", NULL, &d), 0);
    char *line = NULL;
    size_t cap = 0;
    assert_int_equal(mrs_getline(r, &line, &cap), -1);
    assert_non_null(strstr(mrs_reader_errmsg(r), "line longer than"));
    free(line);
    mrs_reader_close(r);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_every_compression_byte_exact),
        cmocka_unit_test(concatenated_members_and_streams_are_read_completely),
        cmocka_unit_test(truncated_stream_returns_exact_prefix_then_error),
        cmocka_unit_test(gzip_missing_trailer_delivers_all_data_and_reports_truncation),
        cmocka_unit_test(corrupt_byte_in_the_middle_is_an_error_not_a_crash),
        cmocka_unit_test(trailing_garbage_after_complete_member_is_an_error),
        cmocka_unit_test(empty_inputs),
        cmocka_unit_test(getline_crlf_long_lines_and_last_line_without_newline),
        cmocka_unit_test(getline_counts_every_line_of_generated_data),
        cmocka_unit_test(getline_on_truncated_stream_returns_prefix_lines_then_error),
        cmocka_unit_test(gzip_trailer_crc_and_length_are_checked),
        cmocka_unit_test(decode_ahead_equals_synchronous_decoding),
        cmocka_unit_test(missing_file_and_directory_are_reported_with_strerror),
        cmocka_unit_test(stdin_as_file_and_as_pipe),
        cmocka_unit_test(real_truncated_routeviews_bzip2),
        cmocka_unit_test(real_ripe_gzip),
        cmocka_unit_test(text_mode_rejects_binary_and_stops_at_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
