/*
 * test_md5.c — the MD5 of `manrs fetch` (src/apps/fetch/md5.c) against the test
 * suite of RFC 1321 (appendix A.5), fed whole and in pieces of every size, and
 * across the padding boundaries (55, 56, 63, 64, 65 bytes).
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "../src/apps/fetch/md5.h"

static const struct {
    const char *in, *md5;
} rfc1321[] = {
    {"", "d41d8cd98f00b204e9800998ecf8427e"},
    {"a", "0cc175b9c0f1b6a831c399e269772661"},
    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
    {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
    {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
     "57edf4a22be3c955ac49da2e2107b67a"},
};

static void test_rfc1321_suite(void **state)
{
    (void)state;
    char hex[33];
    for (size_t i = 0; i < sizeof rfc1321 / sizeof rfc1321[0]; i++) {
        fetch_md5_hex(rfc1321[i].in, strlen(rfc1321[i].in), hex);
        assert_string_equal(hex, rfc1321[i].md5);
    }
}

/* The same digest whatever the pieces the bytes come in. */
static void test_pieces(void **state)
{
    (void)state;
    const char *s = rfc1321[6].in;
    size_t len = strlen(s);
    for (size_t piece = 1; piece <= len; piece++) {
        fetch_md5 m;
        uint8_t d[16];
        fetch_md5_init(&m);
        for (size_t off = 0; off < len; off += piece)
            fetch_md5_update(&m, s + off, len - off < piece ? len - off : piece);
        fetch_md5_final(&m, d);
        char hex[33];
        for (unsigned i = 0; i < 16; i++)
            snprintf(hex + 2 * i, 3, "%02x", d[i]);
        assert_string_equal(hex, rfc1321[6].md5);
    }
}

/* Lengths at the padding boundaries: "a" repeated (digests from md5sum). */
static void test_boundaries(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *md5;
    } v[] = {
        {55, "ef1772b6dff9a122358552954ad0df65"}, {56, "3b0c8ac703f828b04c6c197006d17218"},
        {63, "b06521f39153d618550606be297466d5"}, {64, "014842d480b571495a4a0363793f7367"},
        {65, "c743a45e0d2e6a95cb859adae0248435"}, {1000, "cabe45dcc9ae5b66ba86600cca6b8ba8"},
    };
    char buf[1000], hex[33];
    memset(buf, 'a', sizeof buf);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        fetch_md5_hex(buf, v[i].n, hex);
        assert_string_equal(hex, v[i].md5);
    }
    const char *p = tu_write_tmp("md5-a1000", buf, sizeof buf);
    assert_int_equal(fetch_md5_file(p, hex), 0);
    assert_string_equal(hex, "cabe45dcc9ae5b66ba86600cca6b8ba8");
    assert_int_equal(fetch_md5_file("/nonexistent/md5", hex), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc1321_suite),
        cmocka_unit_test(test_pieces),
        cmocka_unit_test(test_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
