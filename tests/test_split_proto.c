/* test_split_proto.c — what the coordinator and the workers exchange besides the
 * analysis codecs (apps/worker.h, src/apps/worker/proto.c): the task message, the
 * partition subjects, the split run's spec, the seal's inputs and extent, the
 * detection counts. Round trips, and every kind of damage refused with a reason. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/worker.h"

static void tasks_round_trip_and_refuse_damage(void **state)
{
    (void)state;
    char buf[MRS_TASK_MAX], err[200];
    mrs_task t = {.split = 9223372036854775807LL, .phase = 2, .n_parts = 1, .parts = {65791}}, u;
    int n = mrs_task_format(&t, buf, sizeof buf);
    assert_string_equal(buf, "1 9223372036854775807 2 65791");
    assert_int_equal(mrs_task_parse(buf, (size_t)n, &u, err, sizeof err), 0);
    assert_true(u.split == t.split && u.phase == 2 && u.n_parts == 1 && u.parts[0] == 65791);
    /* several small partitions: version 2, in the order given */
    t.n_parts = 3;
    t.parts[1] = 0;
    t.parts[2] = 300;
    n = mrs_task_format(&t, buf, sizeof buf);
    assert_string_equal(buf, "2 9223372036854775807 2 65791 0 300");
    assert_int_equal(mrs_task_parse(buf, (size_t)n, &u, err, sizeof err), 0);
    assert_true(u.n_parts == 3 && u.parts[0] == 65791 && u.parts[1] == 0 && u.parts[2] == 300);
    /* the most there may be fits the buffer */
    t.n_parts = MRS_TASK_MAX_PARTS;
    for (unsigned i = 0; i < MRS_TASK_MAX_PARTS; i++)
        t.parts[i] = 65791 - i;
    n = mrs_task_format(&t, buf, sizeof buf);
    assert_true(n > 0 && n < (int)sizeof buf);
    assert_int_equal(mrs_task_parse(buf, (size_t)n, &u, err, sizeof err), 0);
    assert_memory_equal(u.parts, t.parts, sizeof t.parts);
    t.n_parts = 0;
    assert_int_equal(mrs_task_format(&t, buf, sizeof buf), -1);
    t.n_parts = MRS_TASK_MAX_PARTS + 1;
    assert_int_equal(mrs_task_format(&t, buf, sizeof buf), -1);
    /* one more than the most */
    char many[400];
    size_t at = (size_t)snprintf(many, sizeof many, "2 1 1");
    for (unsigned i = 0; i <= MRS_TASK_MAX_PARTS; i++)
        at += (size_t)snprintf(many + at, sizeof many - at, " %u", i);
    err[0] = 0;
    assert_int_equal(mrs_task_parse(many, at, &u, err, sizeof err), -1);
    assert_non_null(strstr(err, "more than"));
    static const char *const bad[] = {
        "",                   "1 1 1",          "2 1 1 0",      "1 0 1 0",       "1 1 0 0",
        "1 1 3 0",            "1 1 1 65792",    "1 01 1 0",     "1 1 1 0 ",      " 1 1 1 0",
        "1  1 1 0",           "1 -1 1 0",       "1 +1 1 0",     "1 1 1 0\n",     "1 9223372036854775808 1 0",
        "1 1 1 99999999999999999999", "1 1 1 x", "1 1\t1 0",   "3 1 1 0 1",     "0 1 1 0",
        "1 1 1 0 1",          "2 1 1 0 0",      "2 1 1 0 1 0",  "2 1 1 0 65792", "2 1 1 0  1",
        "2 1 1 0 1 ",         "2 1 1 0 01",     "2 0 1 0 1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        if (mrs_task_parse(bad[i], strlen(bad[i]), &u, err, sizeof err) == 0)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_non_null(strstr(err, "task: "));
    }
    /* not NUL-terminated: only len bytes are read */
    assert_int_equal(mrs_task_parse("1 5 1 17999", 8, &u, err, sizeof err), 0);
    assert_int_equal(u.parts[0], 17);
    assert_int_equal(mrs_task_parse("2 5 1 17 9 9", 10, &u, err, sizeof err), 0);
    assert_int_equal(u.n_parts, 2);
}

static void partition_subjects(void **state)
{
    (void)state;
    char s[64];
    mrs_split_part_subject("manrs.ev.x", 0, s, sizeof s);
    assert_string_equal(s, "manrs.ev.x.v4.0");
    mrs_split_part_subject("manrs.ev.x", 255, s, sizeof s);
    assert_string_equal(s, "manrs.ev.x.v4.255");
    mrs_split_part_subject("manrs.ev.x", 256 + 0x2001, s, sizeof s);
    assert_string_equal(s, "manrs.ev.x.v6.2001");
    mrs_split_part_subject("manrs.ev.x", 256 + 0xffff, s, sizeof s);
    assert_string_equal(s, "manrs.ev.x.v6.ffff");
    mrs_split_part_subject("manrs.ev.x", 65792, s, sizeof s);
    assert_string_equal(s, "manrs.ev.x.ctl");
}

static void specs_round_trip(void **state)
{
    (void)state;
    mrs_obs_inputs in, out;
    memset(&in, 0, sizeof in);
    memset(&out, 0, sizeof out);
    assert_int_equal(mrs_obs_inputs_add(&in, MRS_IN_RIB, "/data/rib.gz"), 0);   /* left out */
    assert_int_equal(mrs_obs_inputs_add(&in, MRS_IN_VRPS, "/k/vrps one.json"), 0);
    assert_int_equal(mrs_obs_inputs_add(&in, MRS_IN_VRPS, "/k/vrps\"2.csv"), 0);
    assert_int_equal(mrs_obs_inputs_add(&in, MRS_IN_IRR, "/k/irr.db"), 0);
    assert_int_equal(mrs_obs_inputs_add(&in, MRS_IN_BEACONS, "/k/b.txt"), 0);
    in.asrel_ipv6 = true;
    in.from = 1700000000;
    in.to = 4000000000u;
    mrs_split_spec sp = {1699999999, true, true}, sq;
    char *j = mrs_split_spec_json(&in, &sp);
    assert_non_null(j);
    char err[300];
    assert_int_equal(mrs_split_spec_parse(j, strlen(j), &out, &sq, err, sizeof err), 0);
    assert_int_equal(out.n[MRS_IN_RIB], 0);
    assert_int_equal(out.n[MRS_IN_VRPS], 2);
    assert_string_equal(out.files[MRS_IN_VRPS][1], "/k/vrps\"2.csv");
    assert_string_equal(out.files[MRS_IN_IRR][0], "/k/irr.db");
    assert_string_equal(out.files[MRS_IN_BEACONS][0], "/k/b.txt");
    assert_true(out.asrel_ipv6 && !out.strict_period && out.from == 1700000000 && out.to == 4000000000u);
    assert_true(sq.data_time == 1699999999 && sq.dated && sq.knowledge_failed);
    free(j);
    mrs_obs_inputs_clear(&out);
    static const char *const bad[] = {
        "", "[]", "{\"version\":2}", "{\"version\":1}",
        "{\"version\":1,\"inputs\":{\"rib\":[\"x\"]},\"asrel_ipv6\":false,\"strict_period\":false,\"from\":0,\"to\":0,"
        "\"data_time\":0,\"dated\":false,\"knowledge_failed\":false}",
        "{\"version\":1,\"inputs\":{\"vrps\":[1]},\"asrel_ipv6\":false,\"strict_period\":false,\"from\":0,\"to\":0,"
        "\"data_time\":0,\"dated\":false,\"knowledge_failed\":false}",
        "{\"version\":1,\"inputs\":{\"vrps\":[\"a\\u0000b\"]},\"asrel_ipv6\":false,\"strict_period\":false,\"from\":0,"
        "\"to\":0,\"data_time\":0,\"dated\":false,\"knowledge_failed\":false}",
        "{\"version\":1,\"inputs\":{},\"asrel_ipv6\":false,\"strict_period\":false,\"from\":5,\"to\":4,"
        "\"data_time\":0,\"dated\":false,\"knowledge_failed\":false}",
        "{\"version\":1,\"inputs\":{},\"asrel_ipv6\":false,\"strict_period\":false,\"from\":0,\"to\":0,"
        "\"data_time\":4294967296,\"dated\":false,\"knowledge_failed\":false}",
        "{\"version\":1,\"inputs\":{},\"asrel_ipv6\":false,\"strict_period\":false,\"from\":0,\"to\":0,"
        "\"data_time\":0,\"dated\":false}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&out, 0, sizeof out);
        err[0] = 0;
        if (mrs_split_spec_parse(bad[i], strlen(bad[i]), &out, &sq, err, sizeof err) == 0)
            fail_msg("accepted %s", bad[i]);
        assert_true(err[0] != 0);
        mrs_obs_inputs_clear(&out);
    }
    mrs_obs_inputs_clear(&in);
}

static void seal_inputs_with_spaces(void **state)
{
    (void)state;
    mrs_obs_inputs in, back;
    memset(&in, 0, sizeof in);
    memset(&back, 0, sizeof back);
    assert_int_equal(mrs_obs_inputs_add(&in, MRS_IN_RIB, "/d/a rib.gz"), 0);
    assert_int_equal(mrs_obs_inputs_add(&in, MRS_IN_UPDATES, "/d/u=1 updates=x"), 0);
    assert_int_equal(mrs_obs_inputs_add(&in, MRS_IN_UPDATES, "/d/u2"), 0);
    assert_int_equal(mrs_obs_inputs_add(&in, MRS_IN_RIS_LIVE, "r.json"), 0);
    char d[MRS_OBS_DESCRIBE_MAX], d2[MRS_OBS_DESCRIBE_MAX], err[200];
    mrs_obs_inputs_describe(&in, d, sizeof d);
    assert_int_equal(mrs_split_inputs_parse(d, &back, err, sizeof err), 0);
    /* a name holding " updates=" is cut there: the one ambiguity of the text */
    assert_int_equal(back.n[MRS_IN_RIB], 1);
    assert_string_equal(back.files[MRS_IN_RIB][0], "/d/a rib.gz");
    assert_int_equal(back.n[MRS_IN_UPDATES], 3);
    assert_string_equal(back.files[MRS_IN_UPDATES][0], "/d/u=1");
    assert_string_equal(back.files[MRS_IN_UPDATES][1], "x");
    assert_string_equal(back.files[MRS_IN_RIS_LIVE][0], "r.json");
    mrs_obs_inputs_describe(&back, d2, sizeof d2);
    assert_string_equal(d, d2);   /* the description is the same all the same */
    mrs_obs_inputs_clear(&back);
    mrs_obs_inputs_clear(&in);
    static const char *const bad[] = {"", "vrps=x", "rib=", "rib=a updates=", "x rib=a", "updates"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&back, 0, sizeof back);
        if (mrs_split_inputs_parse(bad[i], &back, err, sizeof err) == 0)
            fail_msg("accepted \"%s\"", bad[i]);
        mrs_obs_inputs_clear(&back);
    }
    /* a name may end in a space */
    memset(&back, 0, sizeof back);
    assert_int_equal(mrs_split_inputs_parse("rib=a  rib=b ", &back, err, sizeof err), 0);
    assert_int_equal(back.n[MRS_IN_RIB], 2);
    assert_string_equal(back.files[MRS_IN_RIB][0], "a ");
    assert_string_equal(back.files[MRS_IN_RIB][1], "b ");
    mrs_obs_inputs_clear(&back);
}

static void seal_extent(void **state)
{
    (void)state;
    static const char base[] =
        "{\"version\":1,\"events\":10,\"first_time\":100,\"last_time\":200,\"baseline_end\":150,\"baseline_ribs\":1,"
        "\"rib_files\":1,\"update_files\":2,\"ris_live_files\":0,\"snapshot\":false,\"damaged\":3,\"cut\":4,"
        "\"failed\":true,\"inputs\":\"rib=a updates=b\",\"last_seq\":77%s}";
    char json[600], err[300];
    mrs_feed_seal seal;
    mrs_obs_extent x;
    snprintf(json, sizeof json, base, ",\"data_time\":99,\"dated\":true");
    assert_int_equal(mrs_split_seal_extent(json, strlen(json), &seal, &x, err, sizeof err), 0);
    assert_true(x.events == 10 && x.first_time == 100 && x.last_time == 200 && x.baseline_end == 150 &&
                x.baseline_ribs == 1 && !x.snapshot && x.damaged == 3 && x.cut == 4 && x.failed);
    assert_true(x.dated && x.data_time == 99);
    assert_int_equal(seal.last_seq, 77);
    snprintf(json, sizeof json, base, "");   /* a seal without its data time */
    assert_int_equal(mrs_split_seal_extent(json, strlen(json), &seal, &x, err, sizeof err), -1);
    assert_non_null(strstr(err, "data_time"));
    snprintf(json, sizeof json, base, ",\"data_time\":-1,\"dated\":true");
    assert_int_equal(mrs_split_seal_extent(json, strlen(json), &seal, &x, err, sizeof err), -1);
    assert_int_equal(mrs_split_seal_extent("{", 1, &seal, &x, err, sizeof err), -1);
}

static void counts_round_trip(void **state)
{
    (void)state;
    mrs_detect_stats a, b, c;
    uint64_t *w = (uint64_t *)&a;
    for (size_t i = 0; i < sizeof a / sizeof *w; i++)
        w[i] = 0x0102030405060708ULL * (i + 1);
    uint8_t buf[MRS_SPLIT_COUNTS_LEN];
    mrs_split_counts_encode(&a, buf);
    char err[200];
    assert_int_equal(mrs_split_counts_decode(buf, sizeof buf, &b, err, sizeof err), 0);
    assert_memory_equal(&a, &b, sizeof a);
    memset(&c, 0, sizeof c);
    mrs_split_counts_add(&c, &a);
    mrs_split_counts_add(&c, &a);
    assert_int_equal(c.high[6], 2 * a.high[6]);
    assert_int_equal(c.blackhole_routes, 2 * a.blackhole_routes);
    assert_int_equal(mrs_split_counts_decode(buf, sizeof buf - 1, &b, err, sizeof err), -1);
    for (size_t i = 0; i < 12; i++) {
        uint8_t d[MRS_SPLIT_COUNTS_LEN];
        memcpy(d, buf, sizeof d);
        d[i] ^= 0x40;
        if (mrs_split_counts_decode(d, sizeof d, &b, err, sizeof err) == 0)
            fail_msg("header byte %zu damaged and accepted", i);
    }
}

static void worker_tokens(void **state)
{
    (void)state;
    char a[MRS_WORKER_TOKEN_MAX], b[MRS_WORKER_TOKEN_MAX];
    assert_int_equal(mrs_worker_token("vm:1234", a), 16);
    assert_memory_equal(a, "vm_1234_", 8);
    /* another character, the same kept text: another token */
    mrs_worker_token("vm.1234", b);
    assert_memory_equal(b, "vm_1234_", 8);
    assert_string_not_equal(a, b);
    /* long names cut at 40, the hash keeps them apart; only subject-safe bytes */
    char long1[200], long2[200];
    memset(long1, 'x', 150);
    long1[150] = 0;
    memcpy(long2, long1, 151);
    long2[149] = 'y';
    int n = mrs_worker_token(long1, a);
    mrs_worker_token(long2, b);
    assert_int_equal(n, 49);
    assert_int_equal(strlen(a), 49);
    assert_string_not_equal(a, b);
    mrs_worker_token("a b*c>d/e\\f\xff", a);
    for (const char *p = a; *p; p++)
        assert_true(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", *p) != NULL);
    assert_int_equal(mrs_worker_token("", a), 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tasks_round_trip_and_refuse_damage),
        cmocka_unit_test(partition_subjects),
        cmocka_unit_test(worker_tokens),
        cmocka_unit_test(specs_round_trip),
        cmocka_unit_test(seal_inputs_with_spaces),
        cmocka_unit_test(seal_extent),
        cmocka_unit_test(counts_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
