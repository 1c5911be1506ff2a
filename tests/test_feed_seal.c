/*
 * test_feed_seal.c — the feed's seal (apps/feed.h): written and parsed back field
 * for field; broken JSON, a missing field, a field of the wrong type or range and
 * another version are refused with the field named, never a crash; and the
 * observatory's reading order (observatory.h mrs_obs_mrt_order) on files of known
 * times; a live feed's seal ("live", "restarts": absent from an MRT feed's).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/feed.h"
#include "manrs/observatory/observatory.h"

static mrs_feed_seal sample(void)
{
    mrs_feed_seal s;
    memset(&s, 0, sizeof s);
    s.version = 1;
    s.events = 672705;
    s.first_time = 1764547200;
    s.last_time = 1764550561;
    s.baseline_end = 1764547200;
    s.baseline_ribs = 1;
    s.rib_files = 2;
    s.update_files = 3;
    s.ris_live_files = 0;
    s.snapshot = false;
    s.damaged = 7;
    s.cut = 95;
    s.failed = true;
    snprintf(s.inputs, sizeof s.inputs, "rib=/d/rib.mrt.gz updates=/d/u 1.gz updates=\"q\\\".gz");
    s.last_seq = 4294967296ULL + 5;
    s.data_time = 1764547100;
    s.dated = true;
    return s;
}

/* A live feed's seal: two more fields after "dated", parsed back; an MRT feed's has
 * neither; a live seal with "restarts" missing or wrong is refused with it named. */
static void live_fields(void **state)
{
    (void)state;
    mrs_feed_seal s = sample(), back;
    char *json = mrs_feed_seal_json(&s);
    assert_non_null(json);
    assert_null(strstr(json, "\"live\""));
    assert_null(strstr(json, "\"restarts\""));
    char err[256] = "";
    assert_int_equal(mrs_feed_seal_parse(json, strlen(json), &back, err, sizeof err), 0);
    assert_false(back.live);
    free(json);
    s.live = true;
    s.restarts = 3;
    json = mrs_feed_seal_json(&s);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"dated\":true,\"live\":true,\"restarts\":3}"));
    assert_int_equal(mrs_feed_seal_parse(json, strlen(json), &back, err, sizeof err), 0);
    assert_true(back.live);
    assert_int_equal(back.restarts, 3);
    free(json);
    const char *bad[] = {"\"live\":true}", "\"live\":true,\"restarts\":-1}", "\"live\":1,\"restarts\":1}"};
    const char *what[] = {"restarts", "restarts", "live"};
    for (size_t i = 0; i < 3; i++) {
        s.live = false;
        char *base = mrs_feed_seal_json(&s);
        assert_non_null(base);
        char j[8192];
        snprintf(j, sizeof j, "%.*s,%s", (int)strlen(base) - 1, base, bad[i]);
        err[0] = 0;
        assert_int_equal(mrs_feed_seal_parse(j, strlen(j), &back, err, sizeof err), -1);
        assert_non_null(strstr(err, what[i]));
        free(base);
    }
}

static void round_trip(void **state)
{
    (void)state;
    mrs_feed_seal s = sample(), back;
    char *json = mrs_feed_seal_json(&s);
    assert_non_null(json);
    /* the documented field order */
    assert_true(strncmp(json, "{\"version\":1,\"events\":672705,\"first_time\":1764547200,", 52) == 0);
    assert_non_null(strstr(json, "\"last_seq\":4294967301,\"data_time\":1764547100,\"dated\":true}"));
    char err[256] = "";
    assert_int_equal(mrs_feed_seal_parse(json, strlen(json), &back, err, sizeof err), 0);
    assert_int_equal(back.version, 1);
    assert_int_equal(back.events, s.events);
    assert_int_equal(back.first_time, s.first_time);
    assert_int_equal(back.last_time, s.last_time);
    assert_int_equal(back.baseline_end, s.baseline_end);
    assert_int_equal(back.baseline_ribs, s.baseline_ribs);
    assert_int_equal(back.rib_files, s.rib_files);
    assert_int_equal(back.update_files, s.update_files);
    assert_int_equal(back.ris_live_files, s.ris_live_files);
    assert_int_equal(back.snapshot, s.snapshot);
    assert_int_equal(back.damaged, s.damaged);
    assert_int_equal(back.cut, s.cut);
    assert_int_equal(back.failed, s.failed);
    assert_string_equal(back.inputs, s.inputs);
    assert_int_equal(back.last_seq, s.last_seq);
    assert_int_equal(back.data_time, s.data_time);
    assert_int_equal(back.dated, s.dated);
    /* not NUL-terminated: only len bytes are read */
    char *copy = malloc(strlen(json) + 10);
    assert_non_null(copy);
    memcpy(copy, json, strlen(json));
    memset(copy + strlen(json), '}', 10);
    assert_int_equal(mrs_feed_seal_parse(copy, strlen(json), &back, err, sizeof err), 0);
    free(copy);
    /* unknown fields are ignored (a later writer may add some) */
    char more[8192];
    snprintf(more, sizeof more, "{\"zzz\":[1,2],%s", json + 1);
    assert_int_equal(mrs_feed_seal_parse(more, strlen(more), &back, err, sizeof err), 0);
    free(json);
}

/* json is refused, err names want */
static void refused(const char *json, const char *want)
{
    mrs_feed_seal out;
    char err[256] = "";
    int rc = mrs_feed_seal_parse(json, json ? strlen(json) : 0, &out, err, sizeof err);
    if (rc != -1 || !strstr(err, want))
        fail_msg("%s: rc %d, err '%s', expected '%s'", json ? json : "(null)", rc, err, want);
}

/* The sample with one field replaced (value NULL: removed). */
static char *with_field(const char *key, const char *value)
{
    mrs_feed_seal s = sample();
    char *json = mrs_feed_seal_json(&s);
    assert_non_null(json);
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    char *at = strstr(json, pat);
    assert_non_null(at);
    /* the value ends at the next ',' or '}' outside a string */
    char *end = at + strlen(pat);
    bool in_str = false;
    for (; *end; end++) {
        if (in_str && *end == '\\') {
            end++;
            continue;
        }
        if (*end == '"')
            in_str = !in_str;
        else if (!in_str && (*end == ',' || *end == '}'))
            break;
    }
    char *out = malloc(strlen(json) + (value ? strlen(value) : 0) + 64);
    assert_non_null(out);
    size_t head = (size_t)(at - json);
    if (value) {
        sprintf(out, "%.*s%s%s%s", (int)head, json, pat, value, end);
    } else {
        /* drop "key":value and its comma */
        if (*end == ',')
            end++;
        else if (head > 0 && json[head - 1] == ',')
            head--;
        sprintf(out, "%.*s%s", (int)head, json, end);
    }
    free(json);
    return out;
}

static void broken(void **state)
{
    (void)state;
    refused(NULL, "no data");
    refused("", "not JSON");
    refused("{", "not JSON");
    refused("{\"version\":1,", "not JSON");
    refused("[1,2,3]", "not a JSON object");
    refused("\"seal\"", "not JSON");   /* a bare string is not a JSON text for jansson's default */
    refused("{}", "no field \"version\"");
    refused("{\"version\":2}", "version 2 not understood");
    refused("{\"version\":\"1\"}", "field \"version\"");
    refused("{\"version\":1,\"version\":1}", "not JSON");   /* duplicate keys */
    refused("{\"version\":1}", "no field \"events\"");
    static const char *const fields[] = {"events",   "first_time", "last_time", "baseline_end", "baseline_ribs",
                                         "rib_files", "update_files", "ris_live_files", "snapshot", "damaged",
                                         "cut",      "failed",     "inputs",    "last_seq", "data_time", "dated"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        char want[64];
        char *j = with_field(fields[i], NULL);
        snprintf(want, sizeof want, "no field \"%s\"", fields[i]);
        refused(j, want);
        free(j);
        /* the wrong type */
        bool is_bool = !strcmp(fields[i], "snapshot") || !strcmp(fields[i], "failed") || !strcmp(fields[i], "dated");
        bool is_str = !strcmp(fields[i], "inputs");
        j = with_field(fields[i], is_str ? "17" : is_bool ? "1" : "\"17\"");
        snprintf(want, sizeof want, "field \"%s\"", fields[i]);
        refused(j, want);
        free(j);
        j = with_field(fields[i], "null");
        refused(j, want);
        free(j);
        if (!is_str && !is_bool) {
            j = with_field(fields[i], "-1");
            refused(j, want);
            free(j);
            j = with_field(fields[i], "1.5");
            refused(j, want);
            free(j);
        }
    }
    /* times are 32 bits */
    char *j = with_field("last_time", "4294967296");
    refused(j, "field \"last_time\"");
    free(j);
    /* inconsistent */
    j = with_field("first_time", "1764550562");
    refused(j, "first_time 1764550562 is after last_time");
    free(j);
    j = with_field("baseline_ribs", "3");
    refused(j, "baseline_ribs 3 is more than rib_files 2");
    free(j);
    /* an inputs string longer than the field, or with a NUL */
    size_t n = MRS_FEED_SEAL_INPUTS_MAX + 10;
    char *big = malloc(n + 3);
    assert_non_null(big);
    big[0] = '"';
    memset(big + 1, 'x', n);
    big[n + 1] = '"';
    big[n + 2] = 0;
    j = with_field("inputs", big);
    refused(j, "field \"inputs\" is longer");
    free(j);
    free(big);
    j = with_field("inputs", "\"a\\u0000b\"");
    refused(j, "u0000");   /* jansson refuses a NUL in a string itself */
    free(j);
    /* every prefix of a good seal is refused, none crashes */
    mrs_feed_seal s = sample(), out;
    char *json = mrs_feed_seal_json(&s);
    char err[256];
    for (size_t k = 0; k < strlen(json); k++)
        assert_int_equal(mrs_feed_seal_parse(json, k, &out, err, sizeof err), -1);
    free(json);
}

/* An MRT file of one BGP4MP_ET STATE_CHANGE (updates) or a TABLE_DUMP_V2
 * PEER_INDEX_TABLE (a RIB) record at time t: all mrs_obs_mrt_order peeks at. */
static const char *mrt_file(const char *name, uint32_t t, bool rib)
{
    uint8_t b[64];
    size_t n = 0;
    b[n++] = (uint8_t)(t >> 24), b[n++] = (uint8_t)(t >> 16), b[n++] = (uint8_t)(t >> 8), b[n++] = (uint8_t)t;
    if (rib) {
        /* type 13, subtype 1, body: collector id, view name length 0, peer count 0 */
        static const uint8_t h[] = {0, 13, 0, 1, 0, 0, 0, 8, 10, 0, 0, 1, 0, 0, 0, 0};
        memcpy(b + n, h, sizeof h);
        n += sizeof h;
    } else {
        /* type 17 (BGP4MP_ET), subtype 5 (STATE_CHANGE_AS4): microseconds, peer AS,
         * local AS, ifindex, AFI 1, peer and local IPv4, old and new state */
        static const uint8_t h[] = {0, 17, 0, 5, 0, 0, 0, 0x1c, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2,
                                    0, 0, 0, 1, 10, 0, 0, 1, 10, 0, 0, 2, 0, 1, 0, 6};
        memcpy(b + n, h, sizeof h);
        n += sizeof h;
    }
    return tu_write_tmp(name, b, n);
}

static void reading_order(void **state)
{
    (void)state;
    mrs_obs_inputs in;
    memset(&in, 0, sizeof in);
    char p[6][512];
    /* updates at 100, 200, 200 (given in that order: a tie keeps it), 50 is before
     * the first update; RIBs at 100 (baseline: no later than the first update), 90
     * (baseline), 150 (later: read in its place) */
    snprintf(p[0], sizeof p[0], "%s", mrt_file("u200a", 200, false));
    snprintf(p[1], sizeof p[1], "%s", mrt_file("u100", 100, false));
    snprintf(p[2], sizeof p[2], "%s", mrt_file("u200b", 200, false));
    snprintf(p[3], sizeof p[3], "%s", mrt_file("r150", 150, true));
    snprintf(p[4], sizeof p[4], "%s", mrt_file("r100", 100, true));
    snprintf(p[5], sizeof p[5], "%s", mrt_file("r90", 90, true));
    char err[256];
    for (int i = 0; i < 6; i++)
        assert_int_equal(mrs_obs_inputs_add_mrt(&in, p[i], err, sizeof err), 0);
    assert_int_equal(in.n[MRS_IN_RIB], 3);
    assert_int_equal(in.n[MRS_IN_UPDATES], 3);
    mrs_obs_mrt_input *o;
    size_t n;
    assert_int_equal(mrs_obs_mrt_order(&in, &o, &n), 0);
    assert_int_equal(n, 6);
    static const int want[6] = {5, 4, 1, 3, 0, 2};
    static const bool baseline[6] = {true, true, false, false, false, false};
    static const bool rib[6] = {true, true, false, true, false, false};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(o[i].path, p[want[i]]);
        assert_int_equal(o[i].baseline, baseline[i]);
        assert_int_equal(o[i].rib, rib[i]);
        assert_true(o[i].known);
    }
    free(o);
    mrs_obs_inputs_clear(&in);
    /* nothing: an empty order */
    assert_int_equal(mrs_obs_mrt_order(&in, &o, &n), 0);
    assert_int_equal(n, 0);
    free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(live_fields),
        cmocka_unit_test(broken),
        cmocka_unit_test(reading_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
