/* test_score.c — metric arithmetic of ../shared/docs/manrs-metrics.md (src/analysis/score.c). */
#include "testutil.h"

#include <math.h>

#include "manrs/analysis/score.h"

static void incident_durations_score_as_the_metrics_doc_says(void **state)
{
    (void)state;
    /* the document's worked example: 29 min, 13 h and 25 h -> raw metric 3.5 */
    double raw = mrs_incident_score(29 * 60) + mrs_incident_score(13 * 3600) + mrs_incident_score(25 * 3600);
    assert_true(fabs(raw - 3.5) < 1e-12);
    assert_true(mrs_incident_score(0) == 0.0);
    assert_true(mrs_incident_score(30 * 60 - 1) == 0.5);
    assert_true(mrs_incident_score(30 * 60) == 1.0);
    assert_true(mrs_incident_score(24 * 3600 - 1) == 1.0);
    assert_true(mrs_incident_score(24 * 3600) == 2.0);
    assert_true(mrs_incident_score(48 * 3600) == 3.0);
}

static void raw_metric_maps_to_the_published_percentages(void **state)
{
    (void)state;
    /* 0 -> 100 %, 0.5 -> 60 %, 1 -> 48.6 %, 2 -> 36 % */
    assert_true(fabs(mrs_metric_percent(0) - 100.0) < 1e-9);
    assert_true(fabs(mrs_metric_percent(0.5) - 60.0) < 1e-9);
    assert_true(fabs(mrs_metric_percent(1) - 48.6) < 0.05);
    assert_true(fabs(mrs_metric_percent(2) - 36.0) < 1e-9);
}

static void rpki_metric_penalises_invalids_tenfold_and_floors_at_zero(void **state)
{
    (void)state;
    assert_true(fabs(mrs_rpki_percent(90, 1, 100) - 80.0) < 1e-9);
    assert_true(mrs_rpki_percent(5, 10, 100) == 0.0);
    assert_true(mrs_rpki_percent(0, 0, 0) < 0);
}

static void readiness_cutoffs(void **state)
{
    (void)state;
    mrs_score_cfg c;
    mrs_score_cfg_default(&c);
    assert_int_equal(mrs_readiness_of(&c, 90.0), MRS_READY);
    assert_int_equal(mrs_readiness_of(&c, 89.99), MRS_ASPIRING);
    assert_int_equal(mrs_readiness_of(&c, 50.0), MRS_ASPIRING);
    assert_int_equal(mrs_readiness_of(&c, 49.9), MRS_LAGGING);
    assert_int_equal(mrs_readiness_of(&c, -1), MRS_NO_DATA);
    assert_string_equal(mrs_readiness_name(MRS_NO_DATA), "no_data");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(incident_durations_score_as_the_metrics_doc_says),
        cmocka_unit_test(raw_metric_maps_to_the_published_percentages),
        cmocka_unit_test(rpki_metric_penalises_invalids_tenfold_and_floors_at_zero),
        cmocka_unit_test(readiness_cutoffs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
