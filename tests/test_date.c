/*
 * test_date.c — core/date.h: the day arithmetic both ways and mrs_time_iso, the
 * ISO 8601 UTC text of the times people read (check's evidence).
 */
#include "testutil.h"

#include <string.h>
#include <time.h>

#include "manrs/core/date.h"

static void test_examples(void **state)
{
    (void)state;
    char b[MRS_TIME_ISO_LEN];
    assert_string_equal(mrs_time_iso(0, b), "1970-01-01T00:00:00Z");
    assert_string_equal(mrs_time_iso(1710072000, b), "2024-03-10T12:00:00Z");
    assert_string_equal(mrs_time_iso(951825599, b), "2000-02-29T11:59:59Z");   /* leap day of a 400-year */
    assert_string_equal(mrs_time_iso(4107542399, b), "2100-02-28T23:59:59Z");  /* 2100 is no leap year */
    assert_string_equal(mrs_time_iso(4107542400, b), "2100-03-01T00:00:00Z");
    assert_string_equal(mrs_time_iso(UINT32_MAX, b), "2106-02-07T06:28:15Z");
    assert_string_equal(mrs_time_iso(-1, b), "1969-12-31T23:59:59Z");
    assert_int_equal(strlen(b), MRS_TIME_ISO_LEN - 1);
}

/* Against the C library, every ~9 hours over 1970..2106, and day numbers both ways. */
static void test_against_gmtime(void **state)
{
    (void)state;
    char b[MRS_TIME_ISO_LEN], want[64];
    for (int64_t t = 0; t <= UINT32_MAX; t += 32749) {
        time_t tt = (time_t)t;
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
        assert_string_equal(mrs_time_iso(t, b), want);
    }
    for (int64_t z = -800000; z <= 800000; z += 7) {
        int64_t y;
        unsigned m, d;
        mrs_civil_from_days(z, &y, &m, &d);
        assert_true(mrs_date_valid(y, m, d));
        assert_int_equal(mrs_days_from_civil(y, m, d), z);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),
        cmocka_unit_test(test_against_gmtime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
