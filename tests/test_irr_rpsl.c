/* test_irr_rpsl.c — the streaming RPSL parser (src/kb/irr/rpsl.c): object and
 * attribute splitting, continuation lines, comments, case, CRLF, malformed
 * objects with their line numbers, objects across buffer refills and growth. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/io.h"
#include "manrs/kb/irr.h"
#include "../src/kb/irr/irr_internal.h"

#include <zlib.h>

typedef struct chunked {
    const char *s;
    size_t n, off, chunk;
} chunked;

/* Deliver at most `chunk` bytes per call, so that lines and objects straddle reads. */
static size_t chunked_read(void *ctx, void *buf, size_t n)
{
    chunked *c = ctx;
    size_t k = c->n - c->off;
    if (k > n)
        k = n;
    if (k > c->chunk)
        k = c->chunk;
    memcpy(buf, c->s + c->off, k);
    c->off += k;
    return k;
}

/* Render all objects as "L<line> key@line=value|..." lines for exact comparison. */
static char *render_p(rpsl_parser *p)
{
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    rpsl_object o;
    int r;
    while ((r = rpsl_next_object(p, &o)) > 0) {
        size_t need = 64;
        for (size_t i = 0; i < o.n_attrs; i++) {
            assert_int_equal(strlen(o.attrs[i].key), o.attrs[i].key_len);
            assert_int_equal(strlen(o.attrs[i].value), o.attrs[i].value_len);
            need += o.attrs[i].key_len + o.attrs[i].value_len + 32;
        }
        if (n + need > cap) {
            while (n + need > cap)
                cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
        n += (size_t)snprintf(out + n, cap - n, "L%llu", (unsigned long long)o.line);
        for (size_t i = 0; i < o.n_attrs; i++)
            n += (size_t)snprintf(out + n, cap - n, "%s%s@%llu=%s", i ? "|" : " ", o.attrs[i].key,
                                  (unsigned long long)o.attrs[i].line, o.attrs[i].value);
        n += (size_t)snprintf(out + n, cap - n, "\n");
        assert_true(n < cap);
    }
    assert_int_equal(r, 0);
    return out;
}

static char *render(const char *text, mrs_diag *d, size_t chunk)
{
    rpsl_parser *p;
    chunked ck = {text, strlen(text), 0, chunk};
    if (chunk)
        p = rpsl_parser_new(chunked_read, &ck, "t.db", d);
    else
        p = rpsl_parser_new_mem(text, strlen(text), "t.db", d);
    assert_non_null(p);
    char *s = render_p(p);
    rpsl_parser_free(p);
    return s;
}

static const char SYNTAX[] =
    "% RIPE dump header\n"
    "%   terms and conditions\n"
    "\n"
    "# a comment between objects\n"
    "as-set:  AS-FOO   \n"                        /* line 5 */
    "Members: AS1, AS2 # trailing comment\n"
    " AS3,\n"                                     /* continuation with space */
    "\tAS4\n"                                     /* tab */
    "+\n"                                         /* empty '+' continuation */
    "+  AS5\n"                                    /* '+' continuation */
    "# comment line inside an object\n"
    "DESCR:\n"                                    /* empty value */
    "source: TEST\n"
    "\n"
    "\n"
    "route: 192.0.2.0/24\r\n"                     /* line 16, CRLF */
    "origin: AS64500\r\n"
    "remarks: a\r\n"
    "  b  \r\n"
    "source: TEST\r\n"
    "   \t \n"                                    /* white-space-only line ends the object */
    "aut-num: AS1\n"                              /* line 22 */
    "source: TEST";                               /* no final newline */

static const char SYNTAX_EXPECT[] =
    "L5 as-set@5=AS-FOO|members@6=AS1, AS2 AS3, AS4 AS5|descr@12=|source@13=TEST\n"
    "L16 route@16=192.0.2.0/24|origin@17=AS64500|remarks@18=a b|source@20=TEST\n"
    "L22 aut-num@22=AS1|source@23=TEST\n";

static void syntax_objects_attributes_continuations_comments(void **state)
{
    (void)state;
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    char *s = render(SYNTAX, &d, 0);
    assert_string_equal(s, SYNTAX_EXPECT);
    free(s);
    assert_int_equal(d.errors, 0);
    /* Same result when the input arrives 1, 2, 3, 7 bytes at a time. */
    size_t chunks[] = {1, 2, 3, 7};
    for (size_t i = 0; i < 4; i++) {
        s = render(SYNTAX, &d, chunks[i]);
        assert_string_equal(s, SYNTAX_EXPECT);
        free(s);
    }
    assert_int_equal(d.errors, 0);
}

static void malformed_objects_are_reported_with_line_and_skipped(void **state)
{
    (void)state;
    static const char text[] =
        "route: 10.0.0.0/8\n"          /* 1 */
        "origin AS1\n"                 /* 2: no colon */
        "source: X\n"
        "\n"
        " continuation first\n"        /* 5: continuation before any attribute */
        "route: 10.1.0.0/16\n"
        "\n"
        "bad key: x\n"                 /* 8: space in key */
        "\n"
        ": empty key\n"                /* 10 */
        "\n"
        "# only a comment\n"
        "% and another\n"
        "\n"
        "mntner: OK-MNT\n"             /* 15 */
        "source: X\n";
    char *msg = NULL;
    size_t msglen = 0;
    FILE *f = open_memstream(&msg, &msglen);
    mrs_diag d;
    mrs_diag_init(&d, f);
    rpsl_parser *p = rpsl_parser_new_mem(text, strlen(text), "bad.db", &d);
    char *s = render_p(p);
    assert_string_equal(s, "L15 mntner@15=OK-MNT|source@16=X\n");
    assert_int_equal(rpsl_parser_objects(p), 1);
    assert_int_equal(rpsl_parser_skipped(p), 4);
    rpsl_parser_free(p);
    free(s);
    fclose(f);
    assert_int_equal(d.errors, 4);
    assert_string_equal(msg,
                        "bad.db:2: line is neither 'key: value' nor a continuation; object skipped\n"
                        "bad.db:5: continuation line before the first attribute; object skipped\n"
                        "bad.db:8: invalid character in attribute name; object skipped\n"
                        "bad.db:10: attribute line with an empty name; object skipped\n");
    free(msg);
}

static void large_object_grows_buffer_and_line_numbers_stay_exact(void **state)
{
    (void)state;
    /* An as-set of 200000 member lines (~2.6 MB: larger than the 1 MiB read
     * block), then a normal object. */
    size_t cap = 8u << 20, n = 0;
    char *t = malloc(cap);
    n += (size_t)snprintf(t + n, cap - n, "as-set: AS-BIG\n");
    for (int i = 0; i < 200000; i++)
        n += (size_t)snprintf(t + n, cap - n, "members: AS%d\n", i + 1);
    n += (size_t)snprintf(t + n, cap - n, "source: X\n\nroute: 10.0.0.0/8\norigin: AS1\nsource: X\n");
    rpsl_parser *p = rpsl_parser_new_mem(t, n, "big.db", NULL);
    rpsl_object o;
    assert_int_equal(rpsl_next_object(p, &o), 1);
    assert_int_equal(o.n_attrs, 200002);
    assert_string_equal(o.attrs[200000].value, "AS200000");
    assert_int_equal(o.attrs[200000].line, 200001);
    assert_int_equal(rpsl_next_object(p, &o), 1);
    assert_int_equal(o.line, 200004);
    assert_string_equal(rpsl_object_get(&o, "origin")->value, "AS1");
    assert_null(rpsl_object_get(&o, "members"));
    assert_int_equal(rpsl_next_object(p, &o), 0);
    rpsl_parser_free(p);
    free(t);
}

static void overlong_lines_and_objects_are_skipped_with_bounded_memory(void **state)
{
    (void)state;
    char text[4096];
    size_t n = 0;
    n += (size_t)snprintf(text + n, sizeof text - n, "route: 10.0.0.0/8\norigin: AS1\nsource: X\n\n"); /* 1-4 */
    n += (size_t)snprintf(text + n, sizeof text - n, "as-set: AS-LONG\nmembers: ");                    /* 5-6 */
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "AS1, ");
    n += (size_t)snprintf(text + n, sizeof text - n, "\nsource: X\n\nmntner: M\nsource: X\n\n"); /* 7-11: mntner at 9 */
    n += (size_t)snprintf(text + n, sizeof text - n, "as-set: AS-EOF\nmembers: ");                     /* 12-13 */
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "AS2, ");
    /* Read in 7-byte pieces: the long lines are seen without their end and
     * dropped as they come. All at once: the first object is too large, the
     * last line (no line end before the end of input) too long. */
    const struct {
        size_t chunk;
        const char *msg;
    } cases[] = {
        {7, "long.db:6: line longer than 100 bytes; object skipped\n"
            "long.db:13: line longer than 100 bytes; object skipped\n"},
        {0, "long.db:5: object larger than 100 bytes; skipped\n"
            "long.db:13: line longer than 100 bytes; object skipped\n"},
    };
    for (size_t k = 0; k < 2; k++) {
        char *msg = NULL;
        size_t msglen = 0;
        FILE *f = open_memstream(&msg, &msglen);
        mrs_diag d;
        mrs_diag_init(&d, f);
        chunked ck = {text, n, 0, cases[k].chunk};
        rpsl_parser *p = cases[k].chunk ? rpsl_parser_new(chunked_read, &ck, "long.db", &d)
                                        : rpsl_parser_new_mem(text, n, "long.db", &d);
        rpsl_parser_set_max_object(p, 100);
        char *s = render_p(p);
        assert_string_equal(s, "L1 route@1=10.0.0.0/8|origin@2=AS1|source@3=X\nL9 mntner@9=M|source@10=X\n");
        assert_int_equal(rpsl_parser_skipped(p), 2);
        rpsl_parser_free(p);
        free(s);
        fclose(f);
        assert_string_equal(msg, cases[k].msg);
        free(msg);
    }
}

static void empty_and_comment_only_inputs(void **state)
{
    (void)state;
    const char *inputs[] = {"", "\n\n\n", "% header only\n%\n", "   \n\t\n", "#x"};
    for (size_t i = 0; i < 5; i++) {
        mrs_diag d;
        mrs_diag_init(&d, NULL);
        char *s = render(inputs[i], &d, 0);
        assert_string_equal(s, "");
        assert_int_equal(d.errors, 0);
        free(s);
    }
}

static bool keep_few(const char *k, size_t n)
{
    return (n == 7 && memcmp(k, "members", 7) == 0) || (n == 6 && memcmp(k, "source", 6) == 0) ||
           (n == 6 && memcmp(k, "origin", 6) == 0);
}

/* The key filter drops attributes (and their continuation lines) but keeps the
 * class attribute, the line numbers, and every check with its message. */
static void key_filter_drops_attributes_not_checks(void **state)
{
    (void)state;
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    rpsl_parser *p = rpsl_parser_new_mem(SYNTAX, strlen(SYNTAX), "t.db", &d);
    rpsl_parser_set_key_filter(p, keep_few);
    char *s = render_p(p);
    assert_string_equal(s, "L5 as-set@5=AS-FOO|members@6=AS1, AS2 AS3, AS4 AS5|source@13=TEST\n"
                           "L16 route@16=192.0.2.0/24|origin@17=AS64500|source@20=TEST\n"
                           "L22 aut-num@22=AS1|source@23=TEST\n");
    free(s);
    rpsl_parser_free(p);
    static const char bad[] = "route: 10.0.0.0/8\n"
                              "remarks: dropped\n"
                              " dropped continuation\n"
                              "bad key: x\n"        /* 4: checked although it would be dropped */
                              "\n"
                              "descr: first attribute kept whatever the filter says\n"
                              "+ with its continuation\n"
                              "source: X\n";
    char *msg = NULL;
    size_t msglen = 0;
    FILE *f = open_memstream(&msg, &msglen);
    mrs_diag_init(&d, f);
    p = rpsl_parser_new_mem(bad, strlen(bad), "bad.db", &d);
    rpsl_parser_set_key_filter(p, keep_few);
    s = render_p(p);
    assert_string_equal(s, "L6 descr@6=first attribute kept whatever the filter says with its continuation|source@8=X\n");
    assert_int_equal(rpsl_parser_skipped(p), 1);
    rpsl_parser_free(p);
    free(s);
    fclose(f);
    assert_string_equal(msg, "bad.db:4: invalid character in attribute name; object skipped\n");
    free(msg);
}

/* irr_db's loaders get only the attributes irr_db_key_used accepts: every key
 * that src/kb/irr/irrdb.c compares with KEY(x, "...") must be in it. */
static void database_key_filter_covers_every_key_the_loaders_read(void **state)
{
    (void)state;
    const char *src = getenv("MANRS_SRC");
    char path[1024];
    snprintf(path, sizeof path, "%s/src/kb/irr/irrdb.c", src ? src : ".");
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("SKIP: %s not readable (set MANRS_SRC to the source tree)\n", path);
        skip();
    }
    char line[4096];
    unsigned found = 0;
    while (fgets(line, sizeof line, f)) {
        for (char *k = strstr(line, "KEY("); k; k = strstr(k + 4, "KEY(")) {
            char *q = strchr(k, '"');
            char *e = q ? strchr(q + 1, '"') : NULL;
            char *close = strchr(k, ')');
            if (!q || !e || (close && close < q))
                continue;
            size_t n = (size_t)(e - q - 1);
            if (!irr_db_key_used(q + 1, n))
                fail_msg("irrdb.c reads '%.*s' but irr_db_key_used drops it", (int)n, q + 1);
            found++;
        }
    }
    fclose(f);
    assert_true(found >= 30);
    const char *dropped[] = {"remarks", "descr", "created", "notify", "mnt-lower", "import-via"};
    for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
        assert_false(irr_db_key_used(dropped[i], strlen(dropped[i])));
}

/* A gzip'ed dump with good objects, runs of bad ones (more messages than one
 * batch holds), an object larger than a batch, and a cut-short end. */
static char *ahead_input(size_t *len)
{
    size_t cap = 8u << 20, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    for (int i = 0; i < 30000; i++) {
        if (i % 5000 == 1000) {
            for (int j = 0; j < 1500; j++)
                n += (size_t)snprintf(t + n, cap - n, "route: 10.%d.%d.0/24\nbad key %d: x\n\n", j % 250, i % 250, j);
        }
        if (i == 20000) {
            n += (size_t)snprintf(t + n, cap - n, "as-set: AS-HUGE\n");
            for (int j = 0; j < 60000; j++)
                n += (size_t)snprintf(t + n, cap - n, "members: AS%d\n", j + 1);
            n += (size_t)snprintf(t + n, cap - n, "source: TEST\n\n");
        }
        n += (size_t)snprintf(t + n, cap - n,
                              "route: 10.%d.%d.0/24\ndescr: object %d\nremarks: r\n  more\norigin: AS%d\n"
                              "mnt-by: M-%d\nsource: TEST\n\n",
                              (i / 250) % 250, i % 250, i, 64500 + i % 100, i % 7);
        assert_true(n + 4096 < cap);
    }
    n += (size_t)snprintf(t + n, cap - n, "aut-num: AS1\nsource: TEST\n"); /* no blank line: cut short below */
    *len = n;
    return t;
}

static char *gzip_text(const char *t, size_t n, size_t *glen)
{
    uLong cap = compressBound((uLong)n) + 64;
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)(uintptr_t)t;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *glen = z.total_out;
    deflateEnd(&z);
    return (char *)out;
}

static char *load_with(const char *path, bool ahead, bool filter, char **msgs, uint64_t *skipped)
{
    if (!ahead)
        setenv("MANRS_IO_THREADS", "0", 1);
    mrs_reader *r = mrs_reader_open(path, NULL, 0);
    assert_non_null(r);
    size_t ml = 0;
    FILE *f = open_memstream(msgs, &ml);
    mrs_diag d;
    mrs_diag_init(&d, f);
    d.max_print = filter ? 0 : 5000; /* with and without the print limit */
    rpsl_parser *p = rpsl_parser_new_reader(r, &d);
    unsetenv("MANRS_IO_THREADS");
    if (filter)
        rpsl_parser_set_key_filter(p, irr_db_key_used);
    char *s = render_p(p);
    *skipped = rpsl_parser_skipped(p);
    assert_int_equal(d.errors, *skipped);
    rpsl_parser_free(p);
    mrs_reader_close(r);
    fclose(f);
    return s;
}

/* Parsing ahead on a second thread (rpsl_ahead.c) changes nothing observable:
 * same objects, same messages in the same order (also past the print limit),
 * same counts; with or without the key filter; complete and cut-short input;
 * and a parser freed early does not hang. */
static void parse_ahead_equals_synchronous_parsing(void **state)
{
    (void)state;
    size_t n, glen;
    char *t = ahead_input(&n);
    char *g = gzip_text(t, n, &glen);
    for (int cut = 0; cut < 2; cut++) {
        const char *path = tu_write_tmp("ahead.db.gz", g, cut ? glen - 9 : glen);
        for (int filter = 0; filter < 2; filter++) {
            char *m1, *m2;
            uint64_t k1, k2;
            char *s1 = load_with(path, true, filter, &m1, &k1);
            char *s2 = load_with(path, false, filter, &m2, &k2);
            assert_int_equal(k1, k2);
            assert_true(k1 >= 7500);
            assert_int_equal(strlen(s1), strlen(s2));
            assert_string_equal(s1, s2);
            assert_string_equal(m1, m2);
            assert_non_null(strstr(s1, "L1 route@1=10.0.0.0/24"));
            assert_non_null(strstr(s1, "members@"));
            assert_int_equal(strstr(s1, "remarks@") != NULL, !filter);
            if (filter)
                assert_int_equal(strstr(m1, "object cut short by damaged input") != NULL, cut);
            else
                assert_non_null(strstr(m1, "further messages suppressed"));
            assert_int_equal(strstr(s1, "aut-num@") != NULL, !cut);
            free(s1);
            free(s2);
            free(m1);
            free(m2);
        }
        /* Free after a few objects: the producer is stopped and joined. */
        mrs_reader *r = mrs_reader_open(path, NULL, 0);
        rpsl_parser *p = rpsl_parser_new_reader(r, NULL);
        rpsl_object o;
        for (int i = 0; i < 3; i++)
            assert_int_equal(rpsl_next_object(p, &o), 1);
        rpsl_parser_free(p);
        mrs_reader_close(r);
    }
    free(g);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(syntax_objects_attributes_continuations_comments),
        cmocka_unit_test(malformed_objects_are_reported_with_line_and_skipped),
        cmocka_unit_test(large_object_grows_buffer_and_line_numbers_stay_exact),
        cmocka_unit_test(overlong_lines_and_objects_are_skipped_with_bounded_memory),
        cmocka_unit_test(empty_and_comment_only_inputs),
        cmocka_unit_test(key_filter_drops_attributes_not_checks),
        cmocka_unit_test(database_key_filter_covers_every_key_the_loaders_read),
        cmocka_unit_test(parse_ahead_equals_synchronous_parsing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
