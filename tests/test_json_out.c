/* test_json_out.c — the JSON string writer (src/core/json_out.c): every escape,
 * UTF-8 passed through, every invalid form replaced by U+FFFD, NUL bytes, strings
 * longer than the writer's slices, the mrs_outbuf and FILE sinks agreeing, and a
 * differential check against jansson (whatever the bytes, jansson must accept the
 * output; for valid UTF-8 it must decode back to the input; for invalid input it
 * must decode to a reference replacement computed independently here). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "manrs/core/json_out.h"

/* The output of all three entry points for s[0..n); they must agree. Returns a
 * malloc'd NUL-terminated string (the quoted JSON), its length in *len. */
static char *enc(const char *s, size_t n, size_t *len)
{
    mrs_outbuf o;
    mrs_outbuf_init(&o, NULL);
    mrs_json_str(&o, s, n);

    char *fbuf = NULL;
    size_t flen = 0;
    FILE *f = open_memstream(&fbuf, &flen);
    assert_non_null(f);
    mrs_json_fstr(f, s, n);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(flen, o.len);
    assert_memory_equal(fbuf, o.buf, o.len);
    free(fbuf);

    char *raw = malloc(MRS_JSON_ESC_MAX(n) + 1);
    assert_non_null(raw);
    size_t rn = mrs_json_escape(raw, s, n);
    assert_true(rn <= MRS_JSON_ESC_MAX(n));
    assert_int_equal(rn + 2, o.len);
    assert_memory_equal(raw, o.buf + 1, rn);
    free(raw);

    char *out = malloc(o.len + 1);
    assert_non_null(out);
    memcpy(out, o.buf, o.len);
    out[o.len] = 0;
    *len = o.len;
    mrs_outbuf_close(&o);
    return out;
}

static void expect(const char *in, size_t n, const char *want)
{
    size_t len;
    char *got = enc(in, n, &len);
    if (strcmp(got, want) != 0)
        fail_msg("input of %zu bytes: got [%s], want [%s]", n, got, want);
    assert_int_equal(len, strlen(want));
    free(got);
}
#define EXPECT(lit, want) expect(lit, sizeof lit - 1, want)

static void every_ascii_byte_is_copied_or_escaped_as_pinned(void **state)
{
    (void)state;
    for (unsigned c = 0; c < 0x80; c++) {
        char in[1] = {(char)c}, want[16];
        switch (c) {
        case '"': strcpy(want, "\"\\\"\""); break;
        case '\\': strcpy(want, "\"\\\\\""); break;
        case 0x08: strcpy(want, "\"\\b\""); break;
        case 0x09: strcpy(want, "\"\\t\""); break;
        case 0x0a: strcpy(want, "\"\\n\""); break;
        case 0x0c: strcpy(want, "\"\\f\""); break;
        case 0x0d: strcpy(want, "\"\\r\""); break;
        default:
            if (c < 0x20 || c == 0x7f)
                snprintf(want, sizeof want, "\"\\u%04x\"", c);
            else
                snprintf(want, sizeof want, "\"%c\"", (char)c);
        }
        expect(in, 1, want);
    }
    EXPECT("", "\"\"");
    EXPECT("rrc00/bview.20000111.0032.gz", "\"rrc00/bview.20000111.0032.gz\"");
    EXPECT("a\"b\\c/d\x01\x1f\x7f\x1b[31m", "\"a\\\"b\\\\c/d\\u0001\\u001f\\u007f\\u001b[31m\"");
    EXPECT("l1\r\nl2\tx\by\fz", "\"l1\\r\\nl2\\tx\\by\\fz\"");
}

/* Every byte at every position of a 17-byte run of plain ASCII: the word-at-a-time
 * scan must stop at it wherever it falls in an 8-byte word. */
static void every_byte_is_found_at_every_offset_of_a_plain_run(void **state)
{
    (void)state;
    for (unsigned c = 0; c < 256; c++) {
        size_t one_len;
        char one_in[1] = {(char)c};
        char *one = enc(one_in, 1, &one_len); /* "X" as pinned above (or \ufffd) */
        for (size_t pos = 0; pos < 17; pos++) {
            char in[17], want[64];
            memset(in, 'a', sizeof in);
            in[pos] = (char)c;
            size_t k = 0;
            want[k++] = '"';
            memset(want + k, 'a', pos);
            k += pos;
            memcpy(want + k, one + 1, one_len - 2);
            k += one_len - 2;
            memset(want + k, 'a', 16 - pos);
            k += 16 - pos;
            want[k++] = '"';
            want[k] = 0;
            expect(in, sizeof in, want);
        }
        free(one);
    }
}

static void valid_utf8_is_passed_through(void **state)
{
    (void)state;
    /* 2-, 3-, 4-byte forms and the edges of every range */
    EXPECT("rout\xc3\xa9.gz", "\"rout\xc3\xa9.gz\"");       /* U+00E9 */
    EXPECT("\xe2\x82\xac", "\"\xe2\x82\xac\"");             /* U+20AC */
    EXPECT("\xf0\x9d\x84\x9e", "\"\xf0\x9d\x84\x9e\"");     /* U+1D11E */
    EXPECT("\xc2\x80", "\"\xc2\x80\"");                     /* U+0080 (a C1 control: text) */
    EXPECT("\xdf\xbf", "\"\xdf\xbf\"");                     /* U+07FF */
    EXPECT("\xe0\xa0\x80", "\"\xe0\xa0\x80\"");             /* U+0800 */
    EXPECT("\xed\x9f\xbf", "\"\xed\x9f\xbf\"");             /* U+D7FF */
    EXPECT("\xee\x80\x80", "\"\xee\x80\x80\"");             /* U+E000 */
    EXPECT("\xef\xbf\xbf", "\"\xef\xbf\xbf\"");             /* U+FFFF */
    EXPECT("\xef\xbb\xbf", "\"\xef\xbb\xbf\"");             /* BOM: a character like any other */
    EXPECT("\xf0\x90\x80\x80", "\"\xf0\x90\x80\x80\"");     /* U+10000 */
    EXPECT("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");     /* U+10FFFF */
    EXPECT("a\xc3\xa9\"\xe2\x82\xac\n", "\"a\xc3\xa9\\\"\xe2\x82\xac\\n\"");
}

#define R "\\ufffd"

static void each_invalid_byte_becomes_u_fffd(void **state)
{
    (void)state;
    /* a Latin-1 é is not turned into \u00e9 (that is what made routé -> routÃ©) */
    EXPECT("rout\xe9.gz", "\"rout" R ".gz\"");
    EXPECT("\x80", "\"" R "\"");                            /* lone continuation bytes */
    EXPECT("\xbf\xbf", "\"" R R "\"");
    EXPECT("\xc0\x80", "\"" R R "\"");                      /* overlong NUL */
    EXPECT("\xc1\xbf", "\"" R R "\"");                      /* overlong U+007F */
    EXPECT("\xe0\x80\x80", "\"" R R R "\"");                /* overlong 3-byte */
    EXPECT("\xe0\x9f\xbf", "\"" R R R "\"");
    EXPECT("\xf0\x80\x80\x80", "\"" R R R R "\"");          /* overlong 4-byte */
    EXPECT("\xf0\x8f\xbf\xbf", "\"" R R R R "\"");
    EXPECT("\xed\xa0\x80", "\"" R R R "\"");                /* U+D800 */
    EXPECT("\xed\xbf\xbf", "\"" R R R "\"");                /* U+DFFF */
    EXPECT("\xed\xa0\xbd\xed\xb8\x80", "\"" R R R R R R "\""); /* CESU-8 pair */
    EXPECT("\xf4\x90\x80\x80", "\"" R R R R "\"");          /* U+110000 */
    EXPECT("\xf5\x80\x80\x80", "\"" R R R R "\"");
    EXPECT("\xf8\x88\x80\x80\x80", "\"" R R R R R "\"");    /* old 5-byte form */
    EXPECT("\xfe\xff", "\"" R R "\"");
    /* truncated: at the end, and followed by ASCII or by a new lead byte */
    EXPECT("\xc3", "\"" R "\"");
    EXPECT("\xe2\x82", "\"" R R "\"");
    EXPECT("\xf0\x9d\x84", "\"" R R R "\"");
    EXPECT("\xc3" "A", "\"" R "A\"");
    EXPECT("\xe2\x82" "A", "\"" R R "A\"");
    EXPECT("\xe2\xc3\xa9", "\"" R "\xc3\xa9\"");
    EXPECT("\xf0\x9d\x84\"", "\"" R R R "\\\"\"");
}

static void nul_bytes_are_escaped_when_a_length_is_given(void **state)
{
    (void)state;
    EXPECT("a\0b", "\"a\\u0000b\"");
    EXPECT("\0", "\"\\u0000\"");
    /* the C-string forms stop at the NUL; NULL is null */
    mrs_outbuf o;
    mrs_outbuf_init(&o, NULL);
    mrs_json_cstr(&o, "a\0b");
    mrs_outbuf_putc(&o, ' ');
    mrs_json_cstr(&o, NULL);
    mrs_outbuf_putc(&o, 0);
    assert_string_equal(o.buf, "\"a\" null");
    mrs_outbuf_close(&o);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    mrs_json_fcstr(f, "a\0b");
    fputc(' ', f);
    mrs_json_fcstr(f, NULL);
    fclose(f);
    assert_string_equal(buf, "\"a\" null");
    free(buf);
}

/* --- the reference: a separate, code-point based decoder of the replacement rule */

/* Decode one well-formed UTF-8 character at s (n bytes left) the slow way: read
 * the code point, then reject overlongs, surrogates and > U+10FFFF by value.
 * Returns its length, 0 if the byte at s starts no well-formed character. */
static size_t ref_char(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned long cp;
    if (s[0] < 0x80)
        return 1;
    else if ((s[0] & 0xe0) == 0xc0)
        len = 2, cp = s[0] & 0x1f;
    else if ((s[0] & 0xf0) == 0xe0)
        len = 3, cp = s[0] & 0x0f;
    else if ((s[0] & 0xf8) == 0xf0)
        len = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    static const unsigned long min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0;
    return len;
}

/* The string jansson should decode: s with each byte outside a well-formed
 * character replaced by EF BF BD. Into out (room for 3 n); returns its length. */
static size_t ref_replace(const unsigned char *s, size_t n, unsigned char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t c = ref_char(s + i, n - i);
        if (c) {
            memcpy(out + k, s + i, c);
            k += c;
            i += c;
        } else {
            memcpy(out + k, "\xef\xbf\xbd", 3);
            k += 3;
            i++;
        }
    }
    return k;
}

static void check_against_jansson(const unsigned char *s, size_t n)
{
    size_t len;
    char *out = enc((const char *)s, n, &len);
    json_error_t err;
    json_t *j = json_loadb(out, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!j)
        fail_msg("jansson rejects [%s]: %s", out, err.text);
    assert_true(json_is_string(j));
    unsigned char *want = malloc(3 * n + 1);
    assert_non_null(want);
    size_t wn = ref_replace(s, n, want);
    assert_int_equal(json_string_length(j), wn);
    assert_memory_equal(json_string_value(j), want, wn);
    /* valid UTF-8 (jansson's own validator is the judge) decodes to the input */
    json_t *v = json_stringn((const char *)s, n);
    if (v) {
        assert_int_equal(wn, n);
        assert_memory_equal(json_string_value(j), s, n);
        json_decref(v);
    } else {
        assert_true(wn != n || memcmp(want, s, n) != 0);
    }
    json_decref(j);
    free(want);
    free(out);
}

/* A random string biased towards the interesting bytes: ASCII, controls, quotes,
 * lead and continuation bytes, and whole valid characters of every length. */
static size_t random_bytes(unsigned char *b, size_t cap)
{
    static const char *pieces[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9d\x84\x9e", "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf",
                                   "\xef\xbf\xbd", "\"", "\\", "/", "\n"};
    size_t n = (size_t)rand() % cap, k = 0;
    while (k < n) {
        int r = rand() % 8;
        if (r == 0 && k + 4 <= n) {
            const char *p = pieces[rand() % 10];
            memcpy(b + k, p, strlen(p));
            k += strlen(p);
        } else if (r == 1) {
            b[k++] = (unsigned char)(0x80 + rand() % 0x40); /* continuation */
        } else if (r == 2) {
            b[k++] = (unsigned char)(0xc0 + rand() % 0x40); /* lead or invalid */
        } else if (r == 3) {
            b[k++] = (unsigned char)(rand() % 0x20);
        } else if (r == 4) {
            b[k++] = (unsigned char)rand();
        } else {
            b[k++] = (unsigned char)(0x20 + rand() % 0x60);
        }
    }
    return k;
}

static void jansson_accepts_every_output_and_decodes_the_reference(void **state)
{
    (void)state;
    /* every 1- and 2-byte string */
    for (unsigned a = 0; a < 256; a++) {
        unsigned char s[2] = {(unsigned char)a, 0};
        check_against_jansson(s, 1);
        for (unsigned b = 0; b < 256; b++) {
            s[1] = (unsigned char)b;
            check_against_jansson(s, 2);
        }
    }
    /* every 3-byte string that starts with a 3- or 4-byte lead, with a few followers */
    static const unsigned char follow[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc3, 0xe2, 0xf0, 0xff};
    for (unsigned a = 0xe0; a < 0x100; a++)
        for (size_t i = 0; i < sizeof follow; i++)
            for (size_t k = 0; k < sizeof follow; k++) {
                unsigned char s[4] = {(unsigned char)a, follow[i], follow[k], 0x80};
                check_against_jansson(s, 3);
                check_against_jansson(s, 4);
            }
    srand(20260610);
    unsigned char b[200];
    for (int iter = 0; iter < 100000; iter++)
        check_against_jansson(b, random_bytes(b, sizeof b));
}

static void long_strings_cross_the_slices_without_losing_a_character(void **state)
{
    (void)state;
    /* 3-byte characters after a 0, 1 or 2 byte offset put a character across every
     * slice boundary of the FILE (512) and mrs_outbuf (4096) writers; an invalid byte
     * and a truncated sequence near the end too */
    for (size_t off = 0; off < 4; off++) {
        size_t n = 20000 + off;
        unsigned char *s = malloc(n);
        assert_non_null(s);
        memset(s, 'x', off);
        for (size_t i = off; i + 3 <= n; i += 3)
            memcpy(s + i, "\xe2\x82\xac", 3);
        s[n / 2] = 0xff;
        s[n - 1] = 0xe2;
        check_against_jansson(s, n);
        free(s);
    }
    /* a long run of escapes: the output is 6 times the input */
    size_t n = 10000;
    unsigned char *s = calloc(n, 1);
    assert_non_null(s);
    size_t len;
    char *out = enc((const char *)s, n, &len);
    assert_int_equal(len, 6 * n + 2);
    free(out);
    check_against_jansson(s, n);
    free(s);
}

static void mrs_outbuf_writer_flushes_to_its_stream(void **state)
{
    (void)state;
    /* an mrs_outbuf with a FILE behind it flushes while writing a long string */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    mrs_outbuf o;
    mrs_outbuf_init(&o, f);
    size_t n = 1u << 19;
    char *s = malloc(n);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('a' + i % 26);
    s[1000] = '\n';
    for (int k = 0; k < 4; k++)
        mrs_json_str(&o, s, n);
    assert_true(mrs_outbuf_close(&o));
    fclose(f);
    assert_int_equal(len, 4 * (n + 3));
    assert_memory_equal(buf + 1, s, 1000);
    assert_memory_equal(buf + 1001, "\\n", 2);
    free(s);
    free(buf);
}

/* The text given to jansson documents (mrs_utf8_text): valid UTF-8 unchanged,
 * each offending byte one raw U+FFFD, and jansson accepts every result. */
static void utf8_text_replaces_what_jansson_would_refuse(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"plain", "plain"},
        {"rout\xc3\xa9", "rout\xc3\xa9"},
        {"rout\xe9.db", "rout\xef\xbf\xbd.db"},
        {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},   /* surrogate: 3 bytes, 3 replacements */
        {"\xf0\x9f\x98\x80 ok", "\xf0\x9f\x98\x80 ok"},
        {"\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = mrs_utf8_text(cases[i].in);
        assert_non_null(t);
        assert_string_equal(t, cases[i].want);
        json_t *j = json_string(t);
        assert_non_null(j);
        json_decref(j);
        free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_ascii_byte_is_copied_or_escaped_as_pinned),
        cmocka_unit_test(every_byte_is_found_at_every_offset_of_a_plain_run),
        cmocka_unit_test(valid_utf8_is_passed_through),
        cmocka_unit_test(each_invalid_byte_becomes_u_fffd),
        cmocka_unit_test(nul_bytes_are_escaped_when_a_length_is_given),
        cmocka_unit_test(jansson_accepts_every_output_and_decodes_the_reference),
        cmocka_unit_test(long_strings_cross_the_slices_without_losing_a_character),
        cmocka_unit_test(mrs_outbuf_writer_flushes_to_its_stream),
        cmocka_unit_test(utf8_text_replaces_what_jansson_would_refuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
