/*
 * test_diag.c — untrusted text in messages: control bytes, C1 controls and invalid
 * UTF-8 come out as \xNN, valid UTF-8 unchanged; mrs_diag messages are escaped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "manrs/core/diag.h"

static void expect_safe(const char *in, size_t n, const char *want)
{
    char out[256];
    size_t need = mrs_text_safe(out, sizeof out, in, n);
    assert_string_equal(out, want);
    assert_int_equal(need, strlen(want));
}

static void escapes_controls_and_bad_utf8(void **state)
{
    (void)state;
    expect_safe("plain AS65001", 13, "plain AS65001");
    expect_safe("\x1b[31mred\x1b[0m", 12, "\\x1B[31mred\\x1B[0m");
    expect_safe("a\tb\nc\rd\x7f", 8, "a\\x09b\\x0Ac\\x0Dd\\x7F");
    expect_safe("nul\0x", 5, "nul\\x00x");
    /* valid UTF-8 kept: é, €, 😀 */
    expect_safe("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    /* invalid: lone continuation, truncated sequence, overlong '/', surrogate, > U+10FFFF, 0xff */
    expect_safe("\x80", 1, "\\x80");
    expect_safe("\xe2\x82", 2, "\\xE2\\x82");
    expect_safe("\xc0\xaf", 2, "\\xC0\\xAF");
    expect_safe("\xed\xa0\x80", 3, "\\xED\\xA0\\x80");
    expect_safe("\xf4\x90\x80\x80", 4, "\\xF4\\x90\\x80\\x80");
    expect_safe("\xff\xfe", 2, "\\xFF\\xFE");
    /* C1 control CSI (U+009B), valid UTF-8 but a terminal escape */
    expect_safe("\xc2\x9b" "2J", 4, "\\xC2\\x9B2J");
}

static void truncates_whole_escapes(void **state)
{
    (void)state;
    char out[6];
    size_t need = mrs_text_safe(out, sizeof out, "ab\x1b" "cd", 5);
    assert_int_equal(need, 8);
    assert_string_equal(out, "ab"); /* "\x1B" does not fit after "ab" in 5 bytes */
    char small[4];
    mrs_text_safe(small, sizeof small, "\xc3\xa9\xc3\xa9", 4);
    assert_string_equal(small, "\xc3\xa9");
    char buf[16] = "x\x1by";
    mrs_text_safe_inplace(buf, sizeof buf);
    assert_string_equal(buf, "x\\x1By");
}

static void diag_messages_are_escaped(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    mrs_diag d;
    mrs_diag_init(&d, f);
    mrs_diag_error_line(&d, "v\x1b.csv", 2, "bad ASN '%s'", "AS\x1b[31m\xff");
    mrs_diag_warn_at(&d, "m.mrt", 7, "%s", "ok \xc3\xa9");
    mrs_diag_replay(&d, 1, "replayed \x07");
    fclose(f);
    assert_string_equal(text, "v\\x1B.csv:2: bad ASN 'AS\\x1B[31m\\xFF'\n"
                              "m.mrt: offset 7: warning: ok \xc3\xa9\n"
                              "replayed \\x07\n");
    assert_int_equal(d.errors, 2);
    assert_int_equal(d.warnings, 1);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_controls_and_bad_utf8),
        cmocka_unit_test(truncates_whole_escapes),
        cmocka_unit_test(diag_messages_are_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
