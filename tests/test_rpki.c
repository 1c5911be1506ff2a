/* test_rpki.c — VRP/ASPA loading (src/kb/rpki/vrp.c), VRP validity in time
 * (src/kb/rpki/vrp_time.c: mrs_rpki_valid_at, mrs_rpki_period), Route Origin Validation
 * (src/kb/rpki/rov.c, RFC 6811 §2) and ASPA verification (src/kb/rpki/aspa.c,
 * draft-ietf-sidrops-aspa-verification-28). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/rpki.h"

#include <zlib.h>

/* ---- helpers ---- */

typedef struct capture {
    char *buf;
    size_t len;
    FILE *f;
    mrs_diag d;
} capture;

static void cap_open(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
    mrs_diag_init(&c->d, c->f);
}

static const char *cap_text(capture *c)
{
    fflush(c->f);
    return c->buf ? c->buf : "";
}

static void cap_close(capture *c)
{
    fclose(c->f);
    free(c->buf);
}

static mrs_rpki *load_str(const char *text, const char *name, capture *c, mrs_rpki_load_stats *st, int want_rc)
{
    mrs_rpki *r = mrs_rpki_new();
    assert_non_null(r);
    assert_int_equal(mrs_rpki_load_mem(r, text, strlen(text), name, &c->d, st), want_rc);
    assert_int_equal(mrs_rpki_build(r), 0);
    return r;
}

static mrs_prefix P(const char *s)
{
    mrs_prefix p;
    assert_true(mrs_prefix_parse(s, strlen(s), &p, false));
    return p;
}

static mrs_rov_state rov(const mrs_rpki *r, const char *pfx, uint32_t origin, mrs_rov_reason *reason)
{
    mrs_prefix p = P(pfx);
    mrs_rov_result res;
    mrs_rov_state s = mrs_rov_validate_ex(r, &p, origin, false, &res);
    assert_int_equal(mrs_rov_validate(r, &p, origin, false), s);
    if (reason)
        *reason = res.reason;
    return s;
}

/* ---- loading ---- */

static void rpki_client_json_real_file_loads_all_18_vrps(void **state)
{
    (void)state;
    char path[4096];
    TU_REQUIRE_DATA("rpki/test.rpki.json", path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    capture c;
    cap_open(&c);
    mrs_rpki *r = mrs_rpki_new();
    mrs_rpki_load_stats st;
    assert_int_equal(mrs_rpki_load_mem(r, buf, n, "test.rpki.json", &c.d, &st), 0);
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(st.format, MRS_VRP_FMT_JSON);
    assert_int_equal(st.vrps, 18);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(mrs_rpki_vrp_count(r), 18);
    assert_string_equal(cap_text(&c), "");
    mrs_rov_reason why;
    /* { "asn": 13335, "prefix": "1.0.0.0/24", "maxLength": 24, "ta": "apnic" } */
    assert_int_equal(rov(r, "1.0.0.0/24", 13335, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(r, "1.0.0.0/25", 13335, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_TOO_SPECIFIC);
    /* 1.0.4.0/22 max 22 and 1.0.5.0/24 max 24, both AS38803 */
    assert_int_equal(rov(r, "1.0.5.0/24", 38803, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(r, "1.0.6.0/24", 38803, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_TOO_SPECIFIC);
    assert_int_equal(rov(r, "1.0.6.0/24", 1, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_ORIGIN);
    assert_int_equal(rov(r, "1.0.8.0/24", 38803, NULL), MRS_ROV_NOT_FOUND);
    /* 2800:40::/32 has two VRPs (max 48 and max 32) for AS16814 */
    assert_int_equal(rov(r, "2800:40:1::/48", 16814, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(r, "2800:40:1::/49", 16814, NULL), MRS_ROV_INVALID);
    mrs_prefix p = P("2800:40::/32");
    mrs_rov_result res;
    assert_int_equal(mrs_rov_validate_ex(r, &p, 16814, false, &res), MRS_ROV_VALID);
    assert_int_equal(res.n_covering, 2);
    assert_int_equal(res.n_matching, 2);
    assert_int_equal(res.covering[0].maxlen, 32);
    assert_int_equal(res.covering[1].maxlen, 48);
    assert_string_equal(mrs_rpki_ta_name(r, res.covering[0].ta), "lacnic");
    cap_close(&c);
    mrs_rpki_free(r);
}

static void ripe_validator_csv_real_file_loads_all_4372_vrps(void **state)
{
    (void)state;
    char path[4096];
    TU_REQUIRE_DATA("rpki/roas.csv", path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 21);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 1 << 21, f);
    fclose(f);
    capture c;
    cap_open(&c);
    mrs_rpki *r = mrs_rpki_new();
    mrs_rpki_load_stats st;
    assert_int_equal(mrs_rpki_load_mem(r, buf, n, "roas.csv", &c.d, &st), 0);
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_string_equal(cap_text(&c), "");
    assert_int_equal(st.format, MRS_VRP_FMT_CSV_RIPE);
    assert_int_equal(st.vrps, 4372);
    assert_int_equal(mrs_rpki_vrp_count(r), 4372);
    /* First data line: AS0, 2001:43f8::/48, max 128 */
    mrs_rov_reason why;
    assert_int_equal(rov(r, "2001:43f8::/64", 0, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_AS0);
    assert_int_equal(rov(r, "2001:43f8::/64", 64500, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_AS0);
    /* AS327844,2001:43f8:1::/48,128 */
    assert_int_equal(rov(r, "2001:43f8:1:2::/64", 327844, NULL), MRS_ROV_VALID);
    cap_close(&c);
    mrs_rpki_free(r);
    free(buf);
}

static void every_format_is_detected_from_content(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        mrs_vrp_format fmt;
    } cases[] = {
        /* Routinator JSON: ASN as string */
        {"{\"roas\":[{\"asn\":\"AS13335\",\"prefix\":\"1.1.1.0/24\",\"maxLength\":24,\"ta\":\"apnic\"}]}", MRS_VRP_FMT_JSON},
        /* StayRTR / gortr with metadata, leading whitespace and BOM */
        {"\xEF\xBB\xBF \n{\"metadata\":{\"counts\":1,\"generated\":1},\"roas\":[{\"prefix\":\"1.1.1.0/24\",\"maxLength\":24,\"asn\":\"AS13335\"}]}",
         MRS_VRP_FMT_JSON},
        /* rpki-client CSV */
        {"ASN,IP Prefix,Max Length,Trust Anchor,Expires\nAS13335,1.1.1.0/24,24,apnic,1627568318\n", MRS_VRP_FMT_CSV},
        /* Routinator CSV, CRLF */
        {"ASN,IP Prefix,Max Length,Trust Anchor\r\nAS13335,1.1.1.0/24,24,apnic\r\n", MRS_VRP_FMT_CSV},
        /* RIPE NCC validator CSV, quoted */
        {"\"URI\",\"ASN\",\"IP Prefix\",\"Max Length\",\"Not Before\",\"Not After\"\n"
         "\"rsync://x/y.roa\",\"AS13335\",\"1.1.1.0/24\",\"24\",\"2021-01-01 00:00:00\",\"2022-01-01 00:00:00\"\n",
         MRS_VRP_FMT_CSV_RIPE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        capture c;
        cap_open(&c);
        mrs_rpki_load_stats st;
        mrs_rpki *r = load_str(cases[i].text, "x", &c, &st, 0);
        assert_int_equal(st.format, cases[i].fmt);
        assert_int_equal(st.vrps, 1);
        assert_string_equal(cap_text(&c), "");
        assert_int_equal(rov(r, "1.1.1.0/24", 13335, NULL), MRS_ROV_VALID);
        mrs_rpki_free(r);
        cap_close(&c);
    }
    /* Neither JSON nor a VRP CSV header */
    capture c;
    cap_open(&c);
    mrs_rpki *r = load_str("prefix origin\n1.1.1.0/24 13335\n", "junk.txt", &c, NULL, -1);
    assert_string_equal(cap_text(&c),
                        "junk.txt:1: not a VRP export: expected JSON or a CSV header with ASN, IP Prefix, Max Length\n");
    mrs_rpki_free(r);
    cap_close(&c);
    cap_open(&c);
    r = load_str("{\"roas\": [{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8},\n{\"asn\":2", "cut.json", &c, NULL,
                 -1);
    assert_string_equal(cap_text(&c),
                        "cut.json:2: JSON syntax error at column 8: roas[1]: '}' expected near end of file "
                        "(file rejected)\n");
    /* the entry before the damage is not kept either */
    assert_int_equal(mrs_rpki_vrp_count(r), 0);
    mrs_rpki_free(r);
    cap_close(&c);
    /* a number too long for any integer (found by fuzz_vrp: must not overflow) */
    cap_open(&c);
    r = load_str("{\"roas\":[{\"asn\":123456789012345678901234567890,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8}]}",
                 "big.json", &c, NULL, -1);
    assert_non_null(strstr(cap_text(&c), "big.json:1: JSON syntax error at column 46: roas[0]: too big integer"));
    mrs_rpki_free(r);
    cap_close(&c);
    cap_open(&c);
    r = load_str("{\"vrps\": []}", "other.json", &c, NULL, -1);
    assert_string_equal(cap_text(&c), "other.json: JSON without a \"roas\" or \"aspas\" array: not a VRP export\n");
    mrs_rpki_free(r);
    cap_close(&c);
}

static void bad_json_entries_are_reported_by_index_and_skipped(void **state)
{
    (void)state;
    const char *text =
        "{\"roas\":[\n"
        "{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"maxLength\":24},\n"       /* 0 ok */
        "{\"asn\":2,\"prefix\":\"10.0.0.0/8\",\"maxLength\":33},\n"       /* 1 */
        "{\"asn\":3,\"prefix\":\"10.0.0.0/16\",\"maxLength\":8},\n"       /* 2 */
        "{\"asn\":4,\"prefix\":\"10.0.0.1/8\",\"maxLength\":8},\n"        /* 3 */
        "{\"asn\":4294967296,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8},\n" /* 4 */
        "{\"asn\":-1,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8},\n"       /* 5 */
        "{\"asn\":\"ASX\",\"prefix\":\"10.0.0.0/8\",\"maxLength\":8},\n"  /* 6 */
        "{\"asn\":7,\"prefix\":\"10.0.0.0/8\"},\n"                        /* 7 */
        "{\"asn\":8,\"prefix\":\"10.0.0.0\",\"maxLength\":32},\n"         /* 8 */
        "{\"asn\":9,\"prefix\":\"2001:db8::/32\",\"maxLength\":129},\n"   /* 9 */
        "{\"asn\":10,\"prefix\":\"300.0.0.0/8\",\"maxLength\":8},\n"      /* 10 */
        "{\"asn\":11,\"prefix\":42,\"maxLength\":8},\n"                   /* 11 */
        "{\"asn\":12,\"prefix\":\"10.0.0.0/8\",\"maxLength\":\"8\"},\n"   /* 12 */
        "17,\n"                                                           /* 13 */
        "{\"asn\":4294967295,\"prefix\":\"2001:db8::/32\",\"maxLength\":128,\"ta\":\"ripe\"}\n" /* 14 ok */
        "]}";
    capture c;
    cap_open(&c);
    mrs_rpki_load_stats st;
    mrs_rpki *r = load_str(text, "v.json", &c, &st, 0);
    assert_string_equal(cap_text(&c),
        "v.json: roas[1]: maxLength 33 exceeds /32\n"
        "v.json: roas[2]: maxLength 8 is shorter than the prefix length /16\n"
        "v.json: roas[3]: prefix '10.0.0.1/8' has host bits set beyond /8 (network is 10.0.0.0/8)\n"
        "v.json: roas[4]: missing or bad \"asn\" (want 0..4294967295 or \"AS123\")\n"
        "v.json: roas[5]: missing or bad \"asn\" (want 0..4294967295 or \"AS123\")\n"
        "v.json: roas[6]: missing or bad \"asn\" (want 0..4294967295 or \"AS123\")\n"
        "v.json: roas[7]: missing maxLength\n"
        "v.json: roas[8]: prefix '10.0.0.0' has no length\n"
        "v.json: roas[9]: maxLength 129 exceeds /128\n"
        "v.json: roas[10]: bad prefix '300.0.0.0/8'\n"
        "v.json: roas[11]: missing or non-string \"prefix\"\n"
        "v.json: roas[12]: maxLength is not an integer\n"
        "v.json: roas[13]: not an object\n");
    assert_int_equal(st.vrps, 2);
    assert_int_equal(st.skipped, 13);
    assert_int_equal(c.d.errors, 13);
    assert_int_equal(mrs_rpki_vrp_count(r), 2);
    assert_int_equal(rov(r, "10.1.0.0/16", 1, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(r, "2001:db8::1/128", 4294967295u, NULL), MRS_ROV_VALID);
    mrs_rpki_free(r);
    cap_close(&c);
}

/* The fast path for flat entries and jansson (forced by a nested member) must
 * accept, reject and report exactly the same way. */
static void json_fast_path_and_jansson_agree(void **state)
{
    (void)state;
    static const char *entries[] = {
        "\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8",
        "\"asn\":\"AS2\",\"prefix\":\"10.0.0.0/8\",\"maxLength\":9,\"ta\":\"t\"",
        "\"asn\":3,\"asn\":4,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8",   /* last duplicate wins */
        "\"prefix\" : \"10.0.0.0/8\" ,\n \"maxLength\":8, \"asn\": -0",
        "\"asn\":5,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8.0",
        "\"asn\":6,\"prefix\":\"10.0.0.0/8\",\"maxLength\":true",
        "\"asn\":7.5,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8",
        "\"asn\":8,\"prefix\":\"10.0.0.0\\/8\",\"maxLength\":8",          /* escaped slash */
        "\"asn\":9,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,\"ta\":\"caf\u00e9\"",
        "\"asn\":10,\"prefix\":null,\"maxLength\":8",
        "\"asn\":99999999999,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8",
        "\"asn\":11,\"prefix\":\"10.0.0.0/8\",\"maxLength\":-3",
        "\"asn\":\"AS12\",\"prefix\":\"10.0.0.0/8\",\"maxLength\":\"8\"",
        "\"asn\":13,\"maxLength\":8",
        "",
    };
    char a[4096], b[4096];
    size_t na = 0, nb = 0;
    na += (size_t)snprintf(a + na, sizeof a - na, "{\"roas\":[");
    nb += (size_t)snprintf(b + nb, sizeof b - nb, "{\"roas\":[");
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        na += (size_t)snprintf(a + na, sizeof a - na, "%s{%s}", i ? "," : "", entries[i]);
        nb += (size_t)snprintf(b + nb, sizeof b - nb, "%s{%s%s\"source\":[{\"x\":1}]}", i ? "," : "", entries[i],
                               entries[i][0] ? "," : "");
    }
    snprintf(a + na, sizeof a - na, "]}");
    snprintf(b + nb, sizeof b - nb, "]}");
    capture ca, cb;
    cap_open(&ca);
    cap_open(&cb);
    mrs_rpki_load_stats sa, sb;
    mrs_rpki *ra = load_str(a, "x", &ca, &sa, 0), *rb = load_str(b, "x", &cb, &sb, 0);
    assert_string_equal(cap_text(&ca), cap_text(&cb));
    assert_string_equal(cap_text(&ca),
        "x: roas[4]: maxLength is not an integer\n"
        "x: roas[5]: maxLength is not an integer\n"
        "x: roas[6]: missing or bad \"asn\" (want 0..4294967295 or \"AS123\")\n"
        "x: roas[9]: missing or non-string \"prefix\"\n"
        "x: roas[10]: missing or bad \"asn\" (want 0..4294967295 or \"AS123\")\n"
        "x: roas[11]: negative maxLength -3\n"
        "x: roas[12]: maxLength is not an integer\n"
        "x: roas[13]: missing or non-string \"prefix\"\n"
        "x: roas[14]: missing or non-string \"prefix\"\n");
    assert_int_equal(sa.vrps, 6);
    assert_int_equal(sb.vrps, 6);
    assert_int_equal(mrs_rpki_vrp_count(ra), mrs_rpki_vrp_count(rb));
    uint32_t asns[] = {1, 2, 4, 0, 8, 9};
    for (size_t i = 0; i < 6; i++) {
        mrs_rov_state want = asns[i] ? MRS_ROV_VALID : MRS_ROV_INVALID;
        assert_int_equal(rov(ra, "10.0.0.0/8", asns[i], NULL), want);
        assert_int_equal(rov(rb, "10.0.0.0/8", asns[i], NULL), want);
    }
    assert_int_equal(rov(ra, "10.0.0.0/8", 4, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(ra, "10.0.0.0/8", 3, NULL), MRS_ROV_INVALID);
    mrs_prefix p = P("10.0.0.0/8");
    mrs_rov_result res;
    mrs_rov_validate_ex(ra, &p, 9, false, &res);
    assert_string_equal(mrs_rpki_ta_name(ra, res.matching[0].ta), "caf\xc3\xa9");
    mrs_rpki_free(ra);
    mrs_rpki_free(rb);
    cap_close(&ca);
    cap_close(&cb);
}

static void bad_csv_lines_are_reported_by_line_and_skipped(void **state)
{
    (void)state;
    const char *text =
        "ASN,IP Prefix,Max Length,Trust Anchor\n"
        "AS1,10.0.0.0/8,24,ripe\n"          /* 2 ok */
        "\n"                                /* 3 blank */
        "AS2,10.0.0.0/8\n"                  /* 4 */
        "ASX,10.0.0.0/8,8,ripe\n"           /* 5 */
        "AS3,10.0.0.0/8,x,ripe\n"           /* 6 */
        "AS3,10.0.0.0/8,7,ripe\n"           /* 7 */
        "AS3,\"10.0.0.0/8,8,ripe\n"         /* 8 */
        "AS4,10.0.0.0/8,99999999999999,ripe\n" /* 9 */
        "AS5,2001:db8::/32,48,arin\n";      /* 10 ok, no newline at end */
    capture c;
    cap_open(&c);
    mrs_rpki_load_stats st;
    mrs_rpki *r = load_str(text, "v.csv", &c, &st, 0);
    assert_string_equal(cap_text(&c),
        "v.csv:4: 2 fields, expected at least 3\n"
        "v.csv:5: bad ASN 'ASX'\n"
        "v.csv:6: bad Max Length 'x'\n"
        "v.csv:7: maxLength 7 is shorter than the prefix length /8\n"
        "v.csv:8: unterminated quoted field\n"
        "v.csv:9: bad Max Length '99999999999999'\n");
    assert_int_equal(st.vrps, 2);
    assert_int_equal(st.skipped, 6);
    assert_int_equal(mrs_rpki_vrp_count(r), 2);
    mrs_rpki_free(r);
    cap_close(&c);
}

static void duplicates_across_inputs_count_once(void **state)
{
    (void)state;
    capture c;
    cap_open(&c);
    mrs_rpki *r = mrs_rpki_new();
    const char *a = "{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,\"ta\":\"x\"},"
                    "{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,\"ta\":\"y\"}]}";
    const char *b = "ASN,IP Prefix,Max Length\nAS1,10.0.0.0/8,8\nAS1,10.0.0.0/8,9\n";
    assert_int_equal(mrs_rpki_load_mem(r, a, strlen(a), "a", &c.d, NULL), 0);
    assert_int_equal(mrs_rpki_load_mem(r, b, strlen(b), "b", &c.d, NULL), 0);
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(mrs_rpki_vrp_count(r), 2);
    /* adding after a build and rebuilding */
    mrs_prefix p = P("192.0.2.0/24");
    assert_int_equal(mrs_rpki_add_vrp(r, &p, 24, 64500, NULL), 0);
    assert_int_equal(mrs_rpki_add_vrp(r, &p, 23, 64500, NULL), -1);
    mrs_prefix hb = P("192.0.2.1/24");
    hb.addr[3] = 1;
    assert_int_equal(mrs_rpki_add_vrp(r, &hb, 24, 64500, NULL), -1);
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(mrs_rpki_vrp_count(r), 3);
    assert_int_equal(rov(r, "192.0.2.0/24", 64500, NULL), MRS_ROV_VALID);
    mrs_rpki_free(r);
    cap_close(&c);
}

/* Compressed files load through mrs_reader; a damaged stream keeps only the
 * complete lines read before the damage (a cut "/24" must not become "/2"). */
static void compressed_and_truncated_files(void **state)
{
    (void)state;
    char csv[64 * 1024];
    size_t n = (size_t)snprintf(csv, sizeof csv, "ASN,IP Prefix,Max Length,Trust Anchor\n");
    for (unsigned i = 0; i < 1000; i++)
        n += (size_t)snprintf(csv + n, sizeof csv - n, "AS%u,10.%u.%u.0/24,24,ta\n", 64500 + i, i / 256, i % 256);
    /* gzip it */
    static unsigned char gz[64 * 1024];
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)csv;
    z.avail_in = (uInt)n;
    z.next_out = gz;
    z.avail_out = sizeof gz;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t gzlen = z.total_out;
    deflateEnd(&z);

    capture c;
    cap_open(&c);
    mrs_rpki *r = mrs_rpki_new();
    mrs_rpki_load_stats st;
    const char *path = tu_write_tmp("vrps.csv.gz", gz, gzlen);
    assert_int_equal(mrs_rpki_load_file(r, path, &c.d, &st), 0);
    assert_string_equal(cap_text(&c), "");
    assert_int_equal(st.vrps, 1000);
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(rov(r, "10.3.231.0/24", 64500 + 999, NULL), MRS_ROV_VALID);
    mrs_rpki_free(r);
    cap_close(&c);

    cap_open(&c);
    r = mrs_rpki_new();
    path = tu_write_tmp("cut.csv.gz", gz, gzlen / 2);
    assert_int_equal(mrs_rpki_load_file(r, path, &c.d, &st), 0);
    assert_non_null(strstr(cap_text(&c), "(loading the complete lines read before the damage)"));
    assert_int_equal(c.d.errors, 1); /* the damage only: no cut line was parsed */
    assert_true(st.vrps > 0 && st.vrps < 1000);
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(mrs_rpki_vrp_count(r), st.vrps);
    mrs_rpki_free(r);
    cap_close(&c);

    /* a missing file */
    cap_open(&c);
    r = mrs_rpki_new();
    assert_int_equal(mrs_rpki_load_file(r, "/nonexistent/vrps.json", &c.d, &st), -1);
    assert_non_null(strstr(cap_text(&c), "/nonexistent/vrps.json"));
    mrs_rpki_free(r);
    cap_close(&c);
}

/* ---- ROV semantics, RFC 6811 §2 ---- */

static void rov_states_and_reasons_follow_rfc6811(void **state)
{
    (void)state;
    const char *text =
        "ASN,IP Prefix,Max Length\n"
        "AS64500,192.0.2.0/24,24\n"
        "AS64501,198.51.100.0/22,24\n"
        "AS64502,198.51.100.0/24,24\n"
        "AS0,203.0.113.0/24,32\n"
        "AS0,100.64.0.0/16,24\n"
        "AS64503,100.64.1.0/24,24\n"
        "AS64504,2001:db8::/32,48\n";
    capture c;
    cap_open(&c);
    mrs_rpki *r = load_str(text, "t", &c, NULL, 0);
    mrs_rov_reason why;
    /* exact match and maxLength boundary */
    assert_int_equal(rov(r, "192.0.2.0/24", 64500, &why), MRS_ROV_VALID);
    assert_int_equal(why, MRS_ROV_R_NONE);
    assert_int_equal(rov(r, "192.0.2.0/25", 64500, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_TOO_SPECIFIC);
    assert_int_equal(rov(r, "192.0.2.0/24", 64511, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_ORIGIN);
    /* a less specific than any VRP is not covered */
    assert_int_equal(rov(r, "192.0.0.0/16", 64500, &why), MRS_ROV_NOT_FOUND);
    assert_int_equal(why, MRS_ROV_R_NONE);
    /* maxLength range 22..24 */
    assert_int_equal(rov(r, "198.51.101.0/24", 64501, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(r, "198.51.100.0/23", 64501, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(r, "198.51.101.128/25", 64501, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_TOO_SPECIFIC);
    /* two covering VRPs with different origins: either one makes it valid */
    assert_int_equal(rov(r, "198.51.100.0/24", 64502, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(r, "198.51.100.0/24", 64501, NULL), MRS_ROV_VALID);
    /* AS0: never matches, not even origin 0 */
    assert_int_equal(rov(r, "203.0.113.0/24", 0, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_AS0);
    assert_int_equal(rov(r, "203.0.113.128/25", 64500, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_AS0);
    /* AS0 covering plus a real VRP: the real one still validates */
    assert_int_equal(rov(r, "100.64.1.0/24", 64503, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(r, "100.64.2.0/24", 64503, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_AS0);
    assert_int_equal(rov(r, "100.64.1.0/24", 64599, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_ORIGIN);
    /* origin 0 never matches a real VRP either (RFC 7607) */
    assert_int_equal(rov(r, "192.0.2.0/24", 0, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_ORIGIN);
    /* IPv6, and families do not mix */
    assert_int_equal(rov(r, "2001:db8:ffff::/48", 64504, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(r, "2001:db8:ffff::/49", 64504, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_TOO_SPECIFIC);
    assert_int_equal(rov(r, "::ffff:192.0.2.0/120", 64500, NULL), MRS_ROV_NOT_FOUND);
    /* origin NONE (AS_SET): covered -> Invalid, uncovered -> NotFound */
    mrs_prefix p = P("192.0.2.0/24");
    mrs_rov_result res;
    assert_int_equal(mrs_rov_validate(r, &p, 64500, true), MRS_ROV_INVALID);
    assert_int_equal(mrs_rov_validate_ex(r, &p, 64500, true, &res), MRS_ROV_INVALID);
    assert_int_equal(res.reason, MRS_ROV_R_ORIGIN_NONE);
    assert_int_equal(res.n_matching, 0);
    assert_int_equal(res.n_covering, 1);
    p = P("10.0.0.0/8");
    assert_int_equal(mrs_rov_validate(r, &p, 64500, true), MRS_ROV_NOT_FOUND);
    /* names */
    assert_string_equal(mrs_rov_state_name(MRS_ROV_VALID), "valid");
    assert_string_equal(mrs_rov_state_name(MRS_ROV_INVALID), "invalid");
    assert_string_equal(mrs_rov_state_name(MRS_ROV_NOT_FOUND), "not-found");
    assert_string_equal(mrs_rov_reason_name(MRS_ROV_R_TOO_SPECIFIC), "too-specific");
    assert_string_equal(mrs_rov_reason_name(MRS_ROV_R_ORIGIN), "origin-mismatch");
    assert_string_equal(mrs_rov_reason_name(MRS_ROV_R_AS0), "as0");
    assert_string_equal(mrs_rov_reason_name(MRS_ROV_R_ORIGIN_NONE), "origin-none");
    mrs_rpki_free(r);
    cap_close(&c);
}

static void evidence_is_bounded_and_ordered(void **state)
{
    (void)state;
    mrs_rpki *r = mrs_rpki_new();
    mrs_prefix p8 = P("10.0.0.0/8"), p16 = P("10.1.0.0/16");
    for (uint32_t a = 40; a > 0; a--)
        assert_int_equal(mrs_rpki_add_vrp(r, &p16, 24, 64500 + a, "ta"), 0);
    assert_int_equal(mrs_rpki_add_vrp(r, &p8, 8, 64510, NULL), 0);
    assert_int_equal(mrs_rpki_add_vrp(r, &p8, 24, 64510, NULL), 0);
    assert_int_equal(mrs_rpki_build(r), 0);
    mrs_prefix q = P("10.1.2.0/24");
    mrs_rov_result res;
    assert_int_equal(mrs_rov_validate_ex(r, &q, 64510, false, &res), MRS_ROV_VALID);
    assert_int_equal(res.n_covering, 42);
    assert_int_equal(res.covering_shown, MRS_ROV_EVIDENCE_MAX);
    assert_int_equal(res.n_matching, 2); /* 10.0.0.0/8-24 and 10.1.0.0/16-24 AS64510 */
    assert_int_equal(res.matching_shown, 2);
    assert_int_equal(res.covering[0].prefix.len, 8);
    assert_int_equal(res.covering[0].maxlen, 8);
    assert_int_equal(res.covering[1].maxlen, 24);
    assert_int_equal(res.covering[2].asn, 64501);
    assert_int_equal(res.covering[15].asn, 64514);
    assert_int_equal(res.matching[0].prefix.len, 8);
    assert_int_equal(res.matching[1].prefix.len, 16);
    assert_string_equal(mrs_rpki_ta_name(r, res.covering[2].ta), "ta");
    mrs_rpki_free(r);
}

/* The fast path (rov_index.c), the evidence path (trie) and a linear reference
 * agree on random routes. Addresses are drawn from a few blocks so that VRPs nest,
 * lengths straddle the index split points (/16 IPv4, /32 IPv6), AS 0 and origin
 * NONE occur, and every state is common. */
static uint32_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*s >> 33);
}

static void random_prefix_in(uint64_t *s, unsigned afi, mrs_prefix *p, unsigned minlen, unsigned maxlen)
{
#define RND() lcg(s)
    memset(p, 0, sizeof *p);
    p->afi = (uint8_t)afi;
    if (afi == MRS_AFI_IPV4) {
        p->addr[0] = (uint8_t)(10 + RND() % 2);
        p->addr[1] = (uint8_t)(RND() % 3);
        p->addr[2] = (uint8_t)(RND() % 4);
        p->addr[3] = (uint8_t)(RND() % 4 * 64);
    } else {
        p->addr[0] = 0x20;
        p->addr[1] = 0x01;
        p->addr[2] = 0x0d;
        p->addr[3] = (uint8_t)(0xb8 + RND() % 2);
        p->addr[4] = (uint8_t)(RND() % 2 * 128);
        p->addr[5] = (uint8_t)(RND() % 3);
        p->addr[7] = (uint8_t)(RND() % 3);
        p->addr[12] = (uint8_t)(RND() % 2 * 255);
        p->addr[15] = (uint8_t)(RND() % 2);
    }
    p->len = (uint8_t)(minlen + RND() % (maxlen - minlen + 1));
    mrs_prefix_mask(p);
#undef RND
}

/* The build's bucketed sort: thousands of VRPs in one /16 (and one IPv6 /16), added
 * in scrambled order with duplicates, come out in prefix, ASN, maxLength order and
 * unique. */
static void build_sorts_crowded_buckets(void **state)
{
    (void)state;
    mrs_rpki *r = mrs_rpki_new();
    assert_non_null(r);
    uint32_t x = 12345;
    size_t added = 0;
    for (int i = 0; i < 6000; i++) {
        x = x * 1103515245u + 12345u;
        mrs_prefix p = {0};
        unsigned len;
        if (i % 3) {
            p.afi = MRS_AFI_IPV4;
            len = 16 + (x >> 8) % 17;
            uint32_t a = 0x0a000000u | ((x >> 12) & 0xffffu);
            a &= len ? 0xffffffffu << (32 - len) : 0;
            p.addr[0] = (uint8_t)(a >> 24); p.addr[1] = (uint8_t)(a >> 16);
            p.addr[2] = (uint8_t)(a >> 8); p.addr[3] = (uint8_t)a;
        } else {
            p.afi = MRS_AFI_IPV6;
            len = 32 + (x >> 8) % 33;
            p.addr[0] = 0x20; p.addr[1] = 0x01;
            p.addr[4] = (uint8_t)(x >> 16);
            if (len < 40)
                p.addr[4] &= (uint8_t)(0xff << (40 - len));
        }
        p.len = (uint8_t)len;
        assert_int_equal(mrs_rpki_add_vrp(r, &p, len, (x >> 20) % 7, NULL), 0);
        added++;
    }
    assert_int_equal(mrs_rpki_build(r), 0);
    size_t n;
    const mrs_vrp *v = mrs_rpki_vrps(r, &n);
    assert_true(n > 0 && n <= added);
    for (size_t i = 1; i < n; i++) {
        int c = mrs_prefix_cmp(&v[i - 1].prefix, &v[i].prefix);
        assert_true(c < 0 || (c == 0 && (v[i - 1].asn < v[i].asn ||
                                         (v[i - 1].asn == v[i].asn && v[i - 1].maxlen < v[i].maxlen))));
    }
    mrs_rpki_free(r);
}

static void rov_matches_linear_reference_on_random_routes(void **state)
{
    (void)state;
    uint64_t s = 42;
#define RND() lcg(&s)
    enum { NV = 4000, NR = 40000 };
    mrs_vrp *v = malloc(NV * sizeof *v);
    mrs_rpki *r = mrs_rpki_new();
    for (int i = 0; i < NV; i++) {
        unsigned afi = i % 2 ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        mrs_prefix p;
        if (afi == MRS_AFI_IPV4)
            random_prefix_in(&s, afi, &p, 8, 32);
        else
            random_prefix_in(&s, afi, &p, 20, 128);
        unsigned maxlen = p.len + RND() % 5;
        if (maxlen > mrs_afi_bits(afi))
            maxlen = mrs_afi_bits(afi);
        uint32_t asn = RND() % 10 == 0 ? 0 : 64500 + RND() % 8;
        assert_int_equal(mrs_rpki_add_vrp(r, &p, maxlen, asn, NULL), 0);
        v[i].prefix = p;
        v[i].maxlen = (uint8_t)maxlen;
        v[i].asn = asn;
    }
    assert_int_equal(mrs_rpki_build(r), 0);
    unsigned counts[2][3] = {{0}};
    for (int i = 0; i < NR; i++) {
        unsigned afi = i % 2 ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        mrs_prefix p;
        if (afi == MRS_AFI_IPV4)
            random_prefix_in(&s, afi, &p, 0, 32);
        else
            random_prefix_in(&s, afi, &p, 0, 128);
        if (RND() % 8 == 0) /* some routes outside the blocks */
            p.addr[0] ^= 0x40;
        uint32_t origin = RND() % 12 == 0 ? 0 : 64500 + RND() % 8;
        bool none = RND() % 20 == 0;
        bool covered = false, match = false;
        for (int j = 0; j < NV; j++) {
            if (!mrs_prefix_covers(&v[j].prefix, &p))
                continue;
            covered = true;
            if (!none && v[j].asn != 0 && v[j].asn == origin && v[j].maxlen >= p.len)
                match = true;
        }
        mrs_rov_state want = !covered ? MRS_ROV_NOT_FOUND : match ? MRS_ROV_VALID : MRS_ROV_INVALID;
        mrs_rov_result res;
        assert_int_equal(mrs_rov_validate(r, &p, origin, none), want);
        assert_int_equal(mrs_rov_validate_ex(r, &p, origin, none, &res), want);
        counts[afi - 1][want]++;
    }
    /* every state occurred often in both families */
    for (int f = 0; f < 2; f++)
        for (int st = 0; st < 3; st++)
            assert_true(counts[f][st] > 1000);
    free(v);
    mrs_rpki_free(r);
#undef RND
}

/* ---- ASPA ---- */

static mrs_rpki *aspa_set(const char *json)
{
    capture c;
    cap_open(&c);
    mrs_rpki_load_stats st;
    mrs_rpki *r = load_str(json, "aspa.json", &c, &st, 0);
    assert_string_equal(cap_text(&c), "");
    cap_close(&c);
    return r;
}

static mrs_aspa_state verify(const mrs_rpki *r, const uint32_t *path, size_t n, mrs_aspa_direction dir,
                             mrs_aspa_result *res)
{
    return mrs_aspa_verify(r, path, n, false, dir, res);
}

/* The NIST BRIO ASPA test scenario (ASPA draft "aspa-examples"): A=65000 ... G=65060. */
#define A 65000
#define B 65010
#define C 65020
#define D 65030
#define E 65040
#define F 65050
#define G 65060
static const char *brio =
    "{\"aspas\":["
    "{\"customer_asid\":65000,\"providers\":[65020,65030]},"
    "{\"customer_asid\":65010,\"providers\":[\"AS65040\"]},"
    "{\"customer\":\"AS65020\",\"providers\":[{\"asid\":65050}]},"
    "{\"customer_asid\":65030,\"providers\":[65050,65060]},"
    "{\"customer_asid\":65060,\"providers\":[0]}]}";

static void aspa_authorized_follows_section_5_3(void **state)
{
    (void)state;
    mrs_rpki *r = aspa_set(brio);
    assert_int_equal(mrs_rpki_aspa_count(r), 5);
    assert_int_equal(mrs_aspa_authorized(r, A, C), MRS_ASPA_PROVIDER_PLUS);
    assert_int_equal(mrs_aspa_authorized(r, A, D), MRS_ASPA_PROVIDER_PLUS);
    assert_int_equal(mrs_aspa_authorized(r, A, E), MRS_ASPA_NOT_PROVIDER_PLUS);
    assert_int_equal(mrs_aspa_authorized(r, B, E), MRS_ASPA_PROVIDER_PLUS);
    assert_int_equal(mrs_aspa_authorized(r, C, F), MRS_ASPA_PROVIDER_PLUS);
    assert_int_equal(mrs_aspa_authorized(r, F, G), MRS_ASPA_NO_ATTESTATION);
    assert_int_equal(mrs_aspa_authorized(r, G, E), MRS_ASPA_NOT_PROVIDER_PLUS);
    assert_int_equal(mrs_aspa_authorized(r, G, 0), MRS_ASPA_PROVIDER_PLUS);
    assert_string_equal(mrs_aspa_auth_name(MRS_ASPA_NOT_PROVIDER_PLUS), "not-provider+");
    mrs_rpki_free(r);
    /* Union of provider sets of two ASPAs for one customer (U-SPAS). */
    r = aspa_set("{\"aspas\":[{\"customer_asid\":1,\"providers\":[2]},{\"customer_asid\":1,\"providers\":[3]},"
                 "{\"customer_asid\":4,\"providers\":[]}]}");
    assert_int_equal(mrs_aspa_authorized(r, 1, 2), MRS_ASPA_PROVIDER_PLUS);
    assert_int_equal(mrs_aspa_authorized(r, 1, 3), MRS_ASPA_PROVIDER_PLUS);
    assert_int_equal(mrs_aspa_authorized(r, 1, 4), MRS_ASPA_NOT_PROVIDER_PLUS);
    assert_int_equal(mrs_aspa_authorized(r, 4, 1), MRS_ASPA_NOT_PROVIDER_PLUS);
    assert_int_equal(mrs_aspa_authorized(r, 5, 1), MRS_ASPA_NO_ATTESTATION);
    mrs_rpki_free(r);
}

static void aspa_brio_examples(void **state)
{
    (void)state;
    mrs_rpki *r = aspa_set(brio);
    mrs_aspa_result res;
    /* B receives from E the path E G F C A (E first, origin A last). */
    const uint32_t p1[] = {E, G, F, C, A};
    assert_int_equal(verify(r, p1, 5, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_UNKNOWN);
    assert_int_equal(res.n, 5);
    assert_int_equal(res.max_up_ramp, 4);
    assert_int_equal(res.max_down_ramp, 2);
    assert_int_equal(res.min_up_ramp, 3);
    assert_int_equal(res.min_down_ramp, 1);
    /* The same path as an upstream path: G->E is Not Provider+ at I=4 < N. */
    assert_int_equal(verify(r, p1, 5, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_INVALID);
    assert_int_equal(res.max_up_ramp, 4);
    assert_int_equal(res.max_down_ramp, 0);
    assert_int_equal(res.bad_customer, G);
    assert_int_equal(res.bad_provider, E);
    /* E G D A: up A->D P+, D->G P+, G->E Not P+ => max_up 3; downstream:
     * down E->G: authorized(E,G) no attestation; authorized(G,D): G's SPAS {0} => Not P+ at J=3,
     * max_down = 4-3+1 = 2; 3+2 >= 4 not invalid; min_up 3 + min_down 1 = 4 -> Valid. */
    const uint32_t p2[] = {E, G, D, A};
    assert_int_equal(verify(r, p2, 4, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_VALID);
    assert_int_equal(res.max_up_ramp, 3);
    assert_int_equal(res.min_up_ramp, 3);
    assert_int_equal(res.max_down_ramp, 2);
    assert_int_equal(res.min_down_ramp, 1);
    assert_int_equal(verify(r, p2, 4, MRS_ASPA_UPSTREAM, NULL), MRS_ASPA_INVALID);
    /* E D C A: A->C P+, C->D Not P+ (C's SPAS {F}) => max_up 2; down: authorized(E,D) NoAtt,
     * authorized(D,C) Not P+ (J=3) => max_down 2; 2+2 = 4 = N -> not Invalid;
     * min_up 2 + min_down 1 = 3 < 4 -> Unknown. */
    const uint32_t p3[] = {E, D, C, A};
    assert_int_equal(verify(r, p3, 4, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_UNKNOWN);
    assert_int_equal(res.max_up_ramp, 2);
    assert_int_equal(res.max_down_ramp, 2);
    /* E G D C A: up A->C P+, C->D Not P+ => max_up 2; down: (E,G) NoAtt, (G,D) Not P+ at J=4
     * => max_down 2; 2+2 < 5 -> Invalid. */
    const uint32_t p4[] = {E, G, D, C, A};
    assert_int_equal(verify(r, p4, 5, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_INVALID);
    assert_int_equal(res.max_up_ramp, 2);
    assert_int_equal(res.max_down_ramp, 2);
    mrs_rpki_free(r);
}

/* Chain 1 -> 2 -> 3 -> 4 -> 5 (each AS i has the ASPA {i+1}) lets every hop be chosen. */
static void aspa_every_branch_and_ramp_boundary(void **state)
{
    (void)state;
    mrs_rpki *r = aspa_set("{\"aspas\":["
                           "{\"customer_asid\":1,\"providers\":[2]},"
                           "{\"customer_asid\":2,\"providers\":[3]},"
                           "{\"customer_asid\":3,\"providers\":[4]},"
                           "{\"customer_asid\":4,\"providers\":[5]},"
                           "{\"customer_asid\":5,\"providers\":[6]},"
                           "{\"customer_asid\":10,\"providers\":[11]}]}");
    mrs_aspa_result res;
    /* empty path -> Invalid (step 1) */
    assert_int_equal(mrs_aspa_verify(r, NULL, 0, false, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_INVALID);
    assert_int_equal(res.reason, MRS_ASPA_R_EMPTY);
    assert_int_equal(mrs_aspa_verify(r, NULL, 0, false, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_INVALID);
    /* AS_SET -> Invalid (step 3) even when the sequence alone would be Valid */
    const uint32_t up[] = {5, 4, 3, 2, 1};
    assert_int_equal(mrs_aspa_verify(r, up, 5, true, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_INVALID);
    assert_int_equal(res.reason, MRS_ASPA_R_AS_SET);
    assert_int_equal(mrs_aspa_verify(r, up, 5, true, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_INVALID);
    /* single AS: Valid in both directions (N = 1, no hop) */
    assert_int_equal(verify(r, up, 1, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_VALID);
    assert_int_equal(res.n, 1);
    assert_int_equal(verify(r, up + 4, 1, MRS_ASPA_DOWNSTREAM, NULL), MRS_ASPA_VALID);
    /* prepending collapses: 5 5 4 4 4 3 2 1 1 is 5 4 3 2 1 */
    const uint32_t pre[] = {5, 5, 4, 4, 4, 3, 2, 1, 1};
    assert_int_equal(verify(r, pre, 9, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_VALID);
    assert_int_equal(res.n, 5);
    assert_int_equal(res.max_up_ramp, 5);
    assert_int_equal(res.min_up_ramp, 5);
    /* a non-consecutive repeat is not collapsed: 1 2 1 */
    const uint32_t loop[] = {1, 2, 1};
    assert_int_equal(verify(r, loop, 3, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_INVALID);
    assert_int_equal(res.n, 3);
    /* upstream: all Provider+ -> Valid; a NoAttestation hop -> Unknown; a Not Provider+ -> Invalid */
    const uint32_t u_unknown[] = {7, 5, 4, 3}; /* 5 -> 7: 5's SPAS {6} => Not P+ */
    assert_int_equal(verify(r, u_unknown, 4, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_INVALID);
    assert_int_equal(res.max_up_ramp, 3);
    assert_int_equal(res.bad_customer, 5);
    assert_int_equal(res.bad_provider, 7);
    const uint32_t u_noatt[] = {8, 7, 3, 2, 1}; /* 3 -> 7 Not P+ ... */
    assert_int_equal(verify(r, u_noatt, 5, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_INVALID);
    const uint32_t u_unk2[] = {8, 7, 4, 3}; /* 3->4 P+, 4->7 Not P+ */
    assert_int_equal(verify(r, u_unk2, 4, MRS_ASPA_UPSTREAM, NULL), MRS_ASPA_INVALID);
    const uint32_t u_unk3[] = {9, 8, 6, 5}; /* 5->6 P+, 6->8 NoAtt, 8->9 NoAtt */
    assert_int_equal(verify(r, u_unk3, 4, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_UNKNOWN);
    assert_int_equal(res.max_up_ramp, 4);
    assert_int_equal(res.min_up_ramp, 2);
    /* upstream boundary: max_up_ramp = N-1 (last hop Not P+) is Invalid; N is not. */
    const uint32_t u_last[] = {9, 4, 3, 2, 1}; /* 4 -> 9 Not P+ at I = 4 = N-1 */
    assert_int_equal(verify(r, u_last, 5, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_INVALID);
    assert_int_equal(res.max_up_ramp, 4);
    const uint32_t u_lastna[] = {9, 6, 5, 4}; /* 6 -> 9 NoAtt at I = 3 */
    assert_int_equal(verify(r, u_lastna, 4, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_UNKNOWN);
    assert_int_equal(res.max_up_ramp, 4);
    assert_int_equal(res.min_up_ramp, 3);

    /* downstream: up-ramp 1->2->3 and down-ramp from neighbour 10 down to... */
    /* valley-free with one peering apex: 11 10 | 3 2 1 : up 1,2,3 ; 3->10 Not P+ (I=3);
     * down: authorized(11,10) NoAtt? no: J=5 authorized(AS(5)=11, AS(4)=10): 11 no ASPA -> NoAtt
     * => min_down = 1; authorized(10, 3): 10's SPAS {11} => Not P+ at J=4 => max_down = 2.
     * max_up 3 + max_down 2 = 5 = N -> not Invalid; min_up 3 + min_down 1 = 4 < 5 -> Unknown. */
    const uint32_t d1[] = {11, 10, 3, 2, 1};
    assert_int_equal(verify(r, d1, 5, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_UNKNOWN);
    assert_int_equal(res.max_up_ramp, 3);
    assert_int_equal(res.min_up_ramp, 3);
    assert_int_equal(res.max_down_ramp, 2);
    assert_int_equal(res.min_down_ramp, 1);
    /* downstream all attested: neighbour 2 sent 2 1 where 1's provider is 2: up-ramp covers all. */
    const uint32_t d2[] = {3, 2, 1};
    assert_int_equal(verify(r, d2, 3, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_VALID);
    assert_int_equal(res.max_up_ramp, 3);
    assert_int_equal(res.min_up_ramp, 3);
    /* down-ramp only: path 1 2 3 (neighbour 1, origin 3): route went 3 -> 2 -> 1 downwards,
     * authorized(1,2) P+, authorized(2,3) P+ => max_down = min_down = N;
     * up: authorized(3,2): 3's SPAS {4} => Not P+ at I=1 => max_up = min_up = 1. 1+3 >= 3 -> Valid. */
    const uint32_t d3[] = {1, 2, 3};
    assert_int_equal(verify(r, d3, 3, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_VALID);
    assert_int_equal(res.max_up_ramp, 1);
    assert_int_equal(res.max_down_ramp, 3);
    assert_int_equal(res.min_down_ramp, 3);
    assert_int_equal(verify(r, d3, 3, MRS_ASPA_UPSTREAM, NULL), MRS_ASPA_INVALID);
    /* downstream Invalid boundary: two Not P+ hops separated by one AS (valley):
     * path 1 2 3 | 5 4 ... use 2 1 5 4: AS(1)=4, AS(2)=5, AS(3)=1, AS(4)=2.
     * up: authorized(4,5) P+, authorized(5,1) Not P+ at I=2 => max_up 2.
     * down: J=4 authorized(2,1): 2's SPAS {3} => Not P+ => max_down = 1. 2+1 = 3 < 4 -> Invalid. */
    const uint32_t d4[] = {2, 1, 5, 4};
    assert_int_equal(verify(r, d4, 4, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_INVALID);
    assert_int_equal(res.max_up_ramp, 2);
    assert_int_equal(res.max_down_ramp, 1);
    /* ... and with N = max_up + max_down exactly (apexes one hop apart): 1 5 4:
     * AS(1)=4, AS(2)=5, AS(3)=1. up: (4,5) P+, (5,1) Not P+ at I=2 => max_up 2;
     * down: J=3 authorized(1,5): 1's SPAS {2} => Not P+ => max_down 1. 2+1 = 3 = N -> not Invalid;
     * min_up 2 + min_down 1 = 3 -> Valid (a lateral peering at the apex). */
    const uint32_t d5[] = {1, 5, 4};
    assert_int_equal(verify(r, d5, 3, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_VALID);
    assert_int_equal(res.max_up_ramp, 2);
    assert_int_equal(res.max_down_ramp, 1);
    /* no attestation anywhere: Unknown downstream (N >= 3), Unknown upstream (N >= 2) */
    const uint32_t d6[] = {100, 101, 102};
    assert_int_equal(verify(r, d6, 3, MRS_ASPA_DOWNSTREAM, &res), MRS_ASPA_UNKNOWN);
    assert_int_equal(res.max_up_ramp, 3);
    assert_int_equal(res.min_up_ramp, 1);
    assert_int_equal(res.max_down_ramp, 3);
    assert_int_equal(res.min_down_ramp, 1);
    assert_int_equal(verify(r, d6, 2, MRS_ASPA_DOWNSTREAM, NULL), MRS_ASPA_VALID); /* 1+1 >= 2 */
    assert_int_equal(verify(r, d6, 2, MRS_ASPA_UPSTREAM, NULL), MRS_ASPA_UNKNOWN);
    /* long path (heap copy of the compressed path) */
    uint32_t longp[100];
    for (int i = 0; i < 100; i++)
        longp[i] = 1000 + (uint32_t)i;
    assert_int_equal(verify(r, longp, 100, MRS_ASPA_UPSTREAM, &res), MRS_ASPA_UNKNOWN);
    assert_int_equal(res.n, 100);
    assert_string_equal(mrs_aspa_state_name(MRS_ASPA_UNKNOWN), "unknown");
    mrs_rpki_free(r);
}

static void bad_aspa_entries_are_skipped(void **state)
{
    (void)state;
    capture c;
    cap_open(&c);
    mrs_rpki_load_stats st;
    mrs_rpki *r = load_str("{\"aspas\":[{\"customer_asid\":1,\"providers\":[1,2]},"
                           "{\"customer_asid\":\"ASx\",\"providers\":[2]},"
                           "{\"customer_asid\":3},"
                           "{\"customer_asid\":4,\"providers\":[5,\"AS-1\"]},"
                           "{\"customer_asid\":6,\"providers\":[7]}]}",
                           "a.json", &c, &st, 0);
    assert_string_equal(cap_text(&c),
        "a.json: aspas[0]: customer AS1 listed as its own provider\n"
        "a.json: aspas[1]: missing or bad customer (\"customer_asid\" or \"customer\")\n"
        "a.json: aspas[2]: missing \"providers\" array\n"
        "a.json: aspas[3]: providers[1]: bad AS number\n");
    assert_int_equal(st.aspas, 1);
    assert_int_equal(st.skipped, 4);
    assert_int_equal(mrs_aspa_authorized(r, 1, 2), MRS_ASPA_NO_ATTESTATION);
    assert_int_equal(mrs_aspa_authorized(r, 6, 7), MRS_ASPA_PROVIDER_PLUS);
    mrs_rpki_free(r);
    cap_close(&c);
}


/* ---- time: validity of VRPs, mrs_rpki_valid_at, mrs_rpki_period ---- */

static mrs_rpki *load_unbuilt(const char *text, const char *name, capture *c, mrs_rpki_load_stats *st)
{
    mrs_rpki *r = mrs_rpki_new();
    assert_non_null(r);
    assert_int_equal(mrs_rpki_load_mem(r, text, strlen(text), name, &c->d, st), 0);
    return r;
}

/* The validity of the built VRP with this prefix and ASN. */
static void validity_of(const mrs_rpki *r, const char *pfx, uint32_t asn, int64_t *nb, int64_t *na)
{
    size_t n;
    const mrs_vrp *v = mrs_rpki_vrps(r, &n);
    mrs_prefix p = P(pfx);
    for (size_t i = 0; i < n; i++) {
        if (mrs_prefix_equal(&v[i].prefix, &p) && v[i].asn == asn) {
            mrs_rpki_vrp_validity(r, i, nb, na);
            return;
        }
    }
    fail_msg("no VRP %s AS%u", pfx, asn);
}

static void csv_validity_is_kept(void **state)
{
    (void)state;
    /* RIPE NCC validator CSV: EE certificate Not Before / Not After */
    const char *ripe =
        "URI,ASN,IP Prefix,Max Length,Not Before,Not After\n"
        "rsync://a/1.roa,AS0,2001:43f8::/48,128,2019-07-18 11:40:32,2029-07-18 11:40:32\n"
        "\"rsync://a/2.roa\",\"AS64500\",\"192.0.2.0/24\",\"24\",\"2021-07-27T18:56:02Z\",\"2022-01-01 00:00:00\"\n"
        "rsync://a/3.roa,AS64501,198.51.100.0/24,24,,\n";
    capture c;
    cap_open(&c);
    mrs_rpki_load_stats st;
    mrs_rpki *r = load_str(ripe, "v.csv", &c, &st, 0);
    assert_string_equal(cap_text(&c), "");
    assert_int_equal(st.vrps, 3);
    assert_int_equal(st.dated, 2);
    int64_t nb, na;
    validity_of(r, "2001:43f8::/48", 0, &nb, &na);
    assert_int_equal(nb, 1563450032);   /* 2019-07-18 11:40:32 UTC */
    assert_int_equal(na, 1879069232);   /* 2029-07-18 11:40:32 UTC */
    validity_of(r, "192.0.2.0/24", 64500, &nb, &na);
    assert_int_equal(nb, 1627412162);
    assert_int_equal(na, 1640995200);
    validity_of(r, "198.51.100.0/24", 64501, &nb, &na);
    assert_int_equal(nb, 0);
    assert_int_equal(na, 0);
    /* made at or after the latest Not Before, at or before the earliest Not After */
    int64_t first, last;
    assert_true(mrs_rpki_period(r, &first, &last));
    assert_int_equal(first, 1627412162);
    assert_int_equal(last, 1640995200);
    mrs_rpki_free(r);

    /* rpki-client CSV: Expires (Unix seconds), a not-after only */
    r = load_str("ASN,IP Prefix,Max Length,Trust Anchor,Expires\nAS13335,1.1.1.0/24,24,apnic,1627568318\n"
                 "AS13335,1.0.0.0/24,24,apnic,1627559320\n",
                 "c.csv", &c, &st, 0);
    assert_int_equal(st.dated, 2);
    validity_of(r, "1.1.1.0/24", 13335, &nb, &na);
    assert_int_equal(nb, 0);
    assert_int_equal(na, 1627568318);
    assert_true(mrs_rpki_period(r, &first, &last));
    assert_int_equal(first, 0);
    assert_int_equal(last, 1627559320);
    mrs_rpki_free(r);

    /* Routinator CSV: no times at all */
    r = load_str("ASN,IP Prefix,Max Length,Trust Anchor\nAS13335,1.1.1.0/24,24,apnic\n", "r.csv", &c, &st, 0);
    assert_int_equal(st.dated, 0);
    assert_false(mrs_rpki_period(r, &first, &last));
    assert_false(mrs_rpki_vrp_validity(r, 0, &nb, &na));
    assert_string_equal(cap_text(&c), "");
    mrs_rpki_free(r);
    cap_close(&c);
}

static void json_expires_and_buildtime(void **state)
{
    (void)state;
    /* rpki-client: metadata.buildtime, per-VRP expires (fast path; the nested
     * "source" forces the same entry through jansson) */
    const char *text =
        "{\n\"metadata\": {\"buildmachine\": \"x\", \"buildtime\": \"2021-07-27T18:56:02Z\", \"vrps\": 3},\n"
        "\"roas\": [\n"
        "{ \"asn\": 13335, \"prefix\": \"1.0.0.0/24\", \"maxLength\": 24, \"ta\": \"apnic\", \"expires\": 1627568318 },\n"
        "{ \"asn\": 13336, \"prefix\": \"1.0.0.0/24\", \"maxLength\": 24, \"expires\": 1627568319, \"source\": [{}] },\n"
        "{ \"asn\": 13337, \"prefix\": \"1.0.0.0/24\", \"maxLength\": 24, \"expires\": null },\n"
        "{ \"asn\": 13338, \"prefix\": \"1.0.0.0/24\", \"maxLength\": 24, \"expires\": \"2021-07-29T00:00:00Z\" }\n"
        "],\n\"aspas\": [{\"customer_asid\": 64500, \"expires\": 1, \"providers\": [64501]}]\n}\n";
    capture c;
    cap_open(&c);
    mrs_rpki_load_stats st;
    mrs_rpki *r = load_str(text, "rc.json", &c, &st, 0);
    assert_string_equal(cap_text(&c), "");
    assert_int_equal(st.vrps, 4);
    assert_int_equal(st.dated, 3);
    assert_int_equal(st.aspas, 1);
    int64_t nb, na, first, last;
    validity_of(r, "1.0.0.0/24", 13335, &nb, &na);
    assert_int_equal(nb, 0);
    assert_int_equal(na, 1627568318);
    validity_of(r, "1.0.0.0/24", 13336, &nb, &na);
    assert_int_equal(na, 1627568319);
    validity_of(r, "1.0.0.0/24", 13337, &nb, &na);
    assert_int_equal(na, 0);
    validity_of(r, "1.0.0.0/24", 13338, &nb, &na);
    assert_int_equal(na, 1627516800);
    assert_true(mrs_rpki_period(r, &first, &last));
    assert_int_equal(first, 1627412162);   /* buildtime is exact */
    assert_int_equal(last, 1627412162);
    /* the ASPA is kept whatever its "expires" */
    size_t dropped;
    assert_int_equal(mrs_rpki_valid_at(r, 1627568318, &dropped), 0);
    assert_int_equal(dropped, 1);           /* 13338 expired at 1627516800 */
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(mrs_rpki_vrp_count(r), 3);
    assert_int_equal(mrs_rpki_aspa_count(r), 1);
    mrs_rpki_free(r);

    /* Routinator / RIPE validator: generated (Unix seconds); 0 means unknown */
    r = load_str("{\"metadata\":{\"generated\":1626853335,\"generatedTime\":\"2021-07-21T07:42:15Z\"},"
                 "\"roas\":[{\"asn\":\"AS1\",\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,\"ta\":\"ripe\"}]}",
                 "routinator.json", &c, &st, 0);
    assert_true(mrs_rpki_period(r, &first, &last));
    assert_int_equal(first, 1626853335);
    assert_int_equal(last, 1626853335);
    mrs_rpki_free(r);
    r = load_str("{\"metadata\":{\"generated\":0,\"generatedTime\":\"1970-01-01T00:00:00Z\"},"
                 "\"roas\":[{\"asn\":\"AS1\",\"prefix\":\"10.0.0.0/8\",\"maxLength\":8}]}",
                 "zero.json", &c, &st, 0);
    assert_false(mrs_rpki_period(r, &first, &last));
    mrs_rpki_free(r);
    assert_string_equal(cap_text(&c), "");
    /* metadata that is not a time is reported and ignored; broken metadata is
     * skipped as before */
    r = load_str("{\"metadata\":{\"generated\":\"rov.sh\"},\n\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8}]}",
                 "m.json", &c, &st, 0);
    assert_false(mrs_rpki_period(r, &first, &last));
    mrs_rpki_free(r);
    r = load_str("{\"metadata\":{\"a\":01},\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8}]}",
                 "m2.json", &c, &st, 0);
    assert_int_equal(st.vrps, 1);
    mrs_rpki_free(r);
    assert_string_equal(cap_text(&c), "m.json:1: warning: metadata: \"generated\" is not a time; ignored\n");
    cap_close(&c);

    /* a real rpki-client export */
    char path[4096];
    TU_REQUIRE_DATA("rpki/test.rpki.json", path);
    r = mrs_rpki_new();
    cap_open(&c);
    assert_int_equal(mrs_rpki_load_file(r, path, &c.d, &st), 0);
    assert_int_equal(st.dated, 18);
    assert_true(mrs_rpki_period(r, &first, &last));
    assert_int_equal(first, 1627412162);   /* 2021-07-27T18:56:02Z */
    assert_int_equal(last, 1627412162);
    assert_string_equal(cap_text(&c), "");
    cap_close(&c);
    mrs_rpki_free(r);
}

static void bad_times_are_reported_and_the_vrp_kept(void **state)
{
    (void)state;
    const char *csv =
        "URI,ASN,IP Prefix,Max Length,Not Before,Not After\n"
        "u,AS1,10.1.0.0/16,16,2019-13-01 00:00:00,2029-07-18 11:40:32\n"   /* 2: month 13 */
        "u,AS2,10.2.0.0/16,16,2019-07-18 11:40:32,soon\n"                  /* 3 */
        "u,AS3,10.3.0.0/16,16,2022-01-01 00:00:00,2021-01-01 00:00:00\n"   /* 4: inverted */
        "u,AS4,10.4.0.0/16,16,2019-07-18 11:40:32,2106-02-07 06:28:16\n"   /* 5: beyond 2106 */
        "u,AS5,10.5.0.0/16,16,2019-07-18 25:00:00,2029-07-18 11:40:32\n"   /* 6: hour 25 */
        "u,AS6,10.6.0.0/16,16,2019-07-18 11:40:32,2106-02-07 06:28:15\n";  /* 7: ok, the last second */
    capture c;
    cap_open(&c);
    mrs_rpki_load_stats st;
    mrs_rpki *r = load_str(csv, "t.csv", &c, &st, 0);
    assert_string_equal(cap_text(&c),
        "t.csv:2: warning: bad Not Before '2019-13-01 00:00:00'; VRP kept without validity\n"
        "t.csv:3: warning: bad Not After 'soon'; VRP kept without validity\n"
        "t.csv:4: warning: Not Before is after Not After; VRP kept without validity\n"
        "t.csv:5: warning: bad Not After '2106-02-07 06:28:16'; VRP kept without validity\n"
        "t.csv:6: warning: bad Not Before '2019-07-18 25:00:00'; VRP kept without validity\n");
    assert_int_equal(c.d.errors, 0);
    assert_int_equal(c.d.warnings, 5);
    assert_int_equal(st.vrps, 6);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(st.dated, 1);
    assert_int_equal(mrs_rpki_vrp_count(r), 6);
    int64_t nb, na;
    validity_of(r, "10.1.0.0/16", 1, &nb, &na);
    assert_int_equal(nb + na, 0);        /* the good Not After goes with the bad Not Before */
    validity_of(r, "10.6.0.0/16", 6, &nb, &na);
    assert_int_equal(na, 4294967295LL);
    /* kept VRPs still validate; a VRP without validity survives any valid_at */
    assert_int_equal(rov(r, "10.1.0.0/16", 1, NULL), MRS_ROV_VALID);
    size_t dropped;
    assert_int_equal(mrs_rpki_valid_at(r, 0, &dropped), 0);
    assert_int_equal(dropped, 1);
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(mrs_rpki_vrp_count(r), 5);
    mrs_rpki_free(r);
    cap_close(&c);

    /* JSON: the warning names the line and the entry */
    const char *json =
        "{\"roas\":[\n"
        "{\"asn\":1,\"prefix\":\"10.1.0.0/16\",\"maxLength\":16,\"expires\":-1},\n"
        "{\"asn\":2,\"prefix\":\"10.2.0.0/16\",\"maxLength\":16,\"expires\":4294967296},\n"
        "{\"asn\":3,\"prefix\":\"10.3.0.0/16\",\"maxLength\":16,\"expires\":1.5},\n"
        "{\"asn\":4,\"prefix\":\"10.4.0.0/16\",\"maxLength\":16,\"expires\":\"soon\"},\n"
        "{\"asn\":5,\"prefix\":\"10.5.0.0/16\",\"maxLength\":16,\"expires\":true,\"source\":[]},\n"
        "{\"asn\":6,\"prefix\":\"10.6.0.0/16\",\"maxLength\":16,\"expires\":1627568318}\n"
        "]}";
    cap_open(&c);
    r = load_str(json, "t.json", &c, &st, 0);
    assert_string_equal(cap_text(&c),
        "t.json:2: warning: roas[0]: bad \"expires\" (want Unix seconds 0..4294967295); VRP kept without validity\n"
        "t.json:3: warning: roas[1]: bad \"expires\" (want Unix seconds 0..4294967295); VRP kept without validity\n"
        "t.json:4: warning: roas[2]: bad \"expires\" (want Unix seconds 0..4294967295); VRP kept without validity\n"
        "t.json:5: warning: roas[3]: bad \"expires\" (want Unix seconds 0..4294967295); VRP kept without validity\n"
        "t.json:6: warning: roas[4]: bad \"expires\" (want Unix seconds 0..4294967295); VRP kept without validity\n");
    assert_int_equal(c.d.errors, 0);
    assert_int_equal(st.vrps, 6);
    assert_int_equal(st.dated, 1);
    assert_int_equal(mrs_rpki_vrp_count(r), 6);
    mrs_rpki_free(r);
    cap_close(&c);
}

/* Both bounds are inclusive; unknown bounds do not limit; exactly the VRPs whose
 * known validity misses t go. */
static void valid_at_drops_exactly_the_vrps_not_valid_at_t(void **state)
{
    (void)state;
    const char *csv =
        "URI,ASN,IP Prefix,Max Length,Not Before,Not After\n"
        "u,AS1,10.1.0.0/16,16,2020-01-01 00:00:00,2021-01-01 00:00:00\n"
        "u,AS2,10.2.0.0/16,16,2020-01-01 00:00:00,\n"
        "u,AS3,10.3.0.0/16,16,,2021-01-01 00:00:00\n"
        "u,AS4,10.4.0.0/16,16,,\n";
    static const struct {
        int64_t t;
        size_t dropped;
        const char *kept;   /* which of AS1..AS4 stay */
    } cases[] = {
        {1577836799, 2, "0011"},   /* 2019-12-31 23:59:59: not yet */
        {1577836800, 0, "1111"},   /* Not Before itself */
        {1600000000, 0, "1111"},
        {1609459200, 0, "1111"},   /* Not After itself */
        {1609459201, 2, "0101"},   /* one second after */
        {0, 2, "0011"},
        {-1, 2, "0011"},
        {INT64_MAX, 2, "0101"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        capture c;
        cap_open(&c);
        mrs_rpki *r = load_unbuilt(csv, "b.csv", &c, NULL);
        size_t dropped = 99;
        assert_int_equal(mrs_rpki_valid_at(r, cases[k].t, &dropped), 0);
        assert_int_equal(dropped, cases[k].dropped);
        assert_int_equal(mrs_rpki_build(r), 0);
        assert_int_equal(mrs_rpki_vrp_count(r), 4 - cases[k].dropped);
        for (unsigned a = 1; a <= 4; a++) {
            char pfx[32];
            snprintf(pfx, sizeof pfx, "10.%u.0.0/16", a);
            mrs_rov_state want = cases[k].kept[a - 1] == '1' ? MRS_ROV_VALID : MRS_ROV_NOT_FOUND;
            assert_int_equal(rov(r, pfx, a, NULL), want);
        }
        mrs_rpki_free(r);
        cap_close(&c);
    }
    /* a set without any time: nothing to drop, NULL dropped is fine */
    capture c;
    cap_open(&c);
    mrs_rpki *r = load_str("ASN,IP Prefix,Max Length\nAS1,10.0.0.0/8,8\n", "n.csv", &c, NULL, 0);
    assert_int_equal(mrs_rpki_valid_at(r, 1, NULL), 0);
    assert_int_equal(mrs_rpki_vrp_count(r), 1);
    assert_int_equal(rov(r, "10.0.0.0/8", 1, NULL), MRS_ROV_VALID);   /* still built */
    mrs_rpki_free(r);
    cap_close(&c);
}

/* The wrong accusation of issue 11 in small: a route invalid only because of a
 * ROA signed later becomes NotFound; one valid by a ROA of its time stays Valid. */
static void validate_before_and_after_valid_at(void **state)
{
    (void)state;
    const char *csv =
        "URI,ASN,IP Prefix,Max Length,Not Before,Not After\n"
        "u,AS64500,192.0.2.0/24,24,2021-01-01 00:00:00,2022-01-01 00:00:00\n"     /* signed later */
        "u,AS64501,198.51.100.0/22,24,2015-01-01 00:00:00,2025-01-01 00:00:00\n"  /* of the route's time */
        "u,AS64502,198.51.100.0/24,24,2021-01-01 00:00:00,2022-01-01 00:00:00\n"; /* signed later */
    const int64_t t2016 = 1470931200;   /* 2016-08-11 16:00 UTC */
    capture c;
    cap_open(&c);
    mrs_rpki *r = load_str(csv, "h.csv", &c, NULL, 0);
    mrs_rov_reason why;
    assert_int_equal(rov(r, "192.0.2.0/24", 64499, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_ORIGIN);
    assert_int_equal(rov(r, "198.51.100.0/24", 64501, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(r, "198.51.101.0/24", 64502, NULL), MRS_ROV_INVALID);
    /* on a built set: dropping VRPs voids the build until the next one */
    size_t dropped;
    assert_int_equal(mrs_rpki_valid_at(r, t2016, &dropped), 0);
    assert_int_equal(dropped, 2);
    assert_int_equal(mrs_rpki_vrp_count(r), 0);
    assert_int_equal(rov(r, "198.51.100.0/24", 64501, NULL), MRS_ROV_NOT_FOUND);
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(rov(r, "192.0.2.0/24", 64499, NULL), MRS_ROV_NOT_FOUND);
    assert_int_equal(rov(r, "198.51.100.0/24", 64501, NULL), MRS_ROV_VALID);
    assert_int_equal(rov(r, "198.51.101.0/24", 64502, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_ORIGIN);   /* the /22 of 2015 still covers it */
    mrs_rpki_free(r);
    cap_close(&c);
}

/* Copies of one VRP (two inputs, two ROAs) merge at the build into one whose
 * validity spans both; the period covers every input. */
static void duplicates_join_validity_and_period_spans_inputs(void **state)
{
    (void)state;
    const char *a = "URI,ASN,IP Prefix,Max Length,Not Before,Not After\n"
                    "u,AS1,10.0.0.0/8,8,2020-01-01 00:00:00,2021-01-01 00:00:00\n";
    const char *b = "URI,ASN,IP Prefix,Max Length,Not Before,Not After\n"
                    "u,AS1,10.0.0.0/8,8,2021-01-01 00:00:00,2022-01-01 00:00:00\n"
                    "u,AS2,10.0.0.0/8,8,2021-01-01 00:00:00,\n";
    const char *plain = "ASN,IP Prefix,Max Length\nAS2,10.0.0.0/8,8\n";
    capture c;
    cap_open(&c);
    mrs_rpki *r = load_unbuilt(a, "a.csv", &c, NULL);
    assert_int_equal(mrs_rpki_load_mem(r, b, strlen(b), "b.csv", &c.d, NULL), 0);
    int64_t first, last, nb, na;
    assert_true(mrs_rpki_period(r, &first, &last));
    assert_int_equal(first, 1577836800);   /* a: from 2020-01-01 */
    assert_int_equal(last, 1640995200);    /* b: up to 2022-01-01 (the AS2 entry has no Not After) */
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(mrs_rpki_vrp_count(r), 2);
    validity_of(r, "10.0.0.0/8", 1, &nb, &na);
    assert_int_equal(nb, 1577836800);
    assert_int_equal(na, 1640995200);
    /* AS2 twice: with and without a Not After: the join knows none */
    assert_int_equal(mrs_rpki_load_mem(r, plain, strlen(plain), "p.csv", &c.d, NULL), 0);
    assert_false(mrs_rpki_period(r, &first, &last));   /* p.csv tells nothing */
    assert_int_equal(mrs_rpki_build(r), 0);
    validity_of(r, "10.0.0.0/8", 2, &nb, &na);
    assert_int_equal(nb, 0);
    assert_int_equal(na, 0);
    /* mrs_rpki_add_vrp adds VRPs without validity, after dated ones too */
    mrs_prefix p = P("192.0.2.0/24");
    assert_int_equal(mrs_rpki_add_vrp(r, &p, 24, 64500, NULL), 0);
    assert_int_equal(mrs_rpki_valid_at(r, 1, NULL), 0);
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(mrs_rpki_vrp_count(r), 2);   /* AS1 was not valid at 1 */
    assert_int_equal(rov(r, "192.0.2.0/24", 64500, NULL), MRS_ROV_VALID);
    assert_string_equal(cap_text(&c), "");
    mrs_rpki_free(r);
    cap_close(&c);
}

/* Issue 11, real data: RIS updates of 2016-08-11 against the AFRINIC export of
 * ~2022 made AS133229's 154.16.195.0/24 "RPKI invalid" through ROAs signed in
 * 2020-2021 (and a /16 ROA of 2019). At the time of the routing data there was no
 * covering ROA. */
static void real_afrinic_export_at_2016_is_not_found(void **state)
{
    (void)state;
    char path[4096];
    TU_REQUIRE_DATA("rpki/roas.csv", path);
    capture c;
    cap_open(&c);
    mrs_rpki *r = mrs_rpki_new();
    mrs_rpki_load_stats st;
    assert_int_equal(mrs_rpki_load_file(r, path, &c.d, &st), 0);
    assert_string_equal(cap_text(&c), "");
    assert_int_equal(st.dated, 4372);
    int64_t first, last;
    assert_true(mrs_rpki_period(r, &first, &last));
    assert_int_equal(first, 1640952011);   /* 2021-12-31 12:00:11, the latest Not Before */
    assert_int_equal(last, 1641110187);    /* 2022-01-02 07:56:27, the earliest Not After */
    assert_int_equal(mrs_rpki_build(r), 0);
    mrs_rov_reason why;
    assert_int_equal(rov(r, "154.16.195.0/24", 133229, &why), MRS_ROV_INVALID);
    assert_int_equal(why, MRS_ROV_R_ORIGIN);
    size_t dropped;
    assert_int_equal(mrs_rpki_valid_at(r, 1470931200, &dropped), 0);   /* 2016-08-11 16:00 UTC */
    assert_int_equal(dropped, 4340);
    assert_int_equal(mrs_rpki_build(r), 0);
    assert_int_equal(mrs_rpki_vrp_count(r), 32);
    assert_int_equal(rov(r, "154.16.195.0/24", 133229, NULL), MRS_ROV_NOT_FOUND);
    mrs_rpki_free(r);
    cap_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rpki_client_json_real_file_loads_all_18_vrps),
        cmocka_unit_test(ripe_validator_csv_real_file_loads_all_4372_vrps),
        cmocka_unit_test(every_format_is_detected_from_content),
        cmocka_unit_test(bad_json_entries_are_reported_by_index_and_skipped),
        cmocka_unit_test(json_fast_path_and_jansson_agree),
        cmocka_unit_test(bad_csv_lines_are_reported_by_line_and_skipped),
        cmocka_unit_test(duplicates_across_inputs_count_once),
        cmocka_unit_test(compressed_and_truncated_files),
        cmocka_unit_test(rov_states_and_reasons_follow_rfc6811),
        cmocka_unit_test(evidence_is_bounded_and_ordered),
        cmocka_unit_test(build_sorts_crowded_buckets),
        cmocka_unit_test(rov_matches_linear_reference_on_random_routes),
        cmocka_unit_test(aspa_authorized_follows_section_5_3),
        cmocka_unit_test(aspa_brio_examples),
        cmocka_unit_test(aspa_every_branch_and_ramp_boundary),
        cmocka_unit_test(bad_aspa_entries_are_skipped),
        cmocka_unit_test(csv_validity_is_kept),
        cmocka_unit_test(json_expires_and_buildtime),
        cmocka_unit_test(bad_times_are_reported_and_the_vrp_kept),
        cmocka_unit_test(valid_at_drops_exactly_the_vrps_not_valid_at_t),
        cmocka_unit_test(validate_before_and_after_valid_at),
        cmocka_unit_test(duplicates_join_validity_and_period_spans_inputs),
        cmocka_unit_test(real_afrinic_export_at_2016_is_not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
