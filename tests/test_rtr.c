/* test_rtr.c — RTR PDUs (src/kb/rpki/rtr_pdu.c) and SLURM files (slurm.c): every PDU encoded to the exact
 * bytes of RFC 8210 §5 (and of StayRTR's version-2 ASPA PDU, captured from
 * stayrtr 0.5 -protocol 2), parsed back; the malformed ones rejected with the
 * Error Report code the RFC gives; incomplete input asks for more. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/rtr.h"
#include "manrs/kb/slurm.h"

static mrs_prefix P(const char *s)
{
    mrs_prefix p;
    assert_true(mrs_prefix_parse(s, strlen(s), &p, true));
    return p;
}

static void hex_equal(const uint8_t *b, size_t n, const char *hex)
{
    char s[1024];
    assert_true(2 * n < sizeof s);
    for (size_t i = 0; i < n; i++)
        snprintf(s + 2 * i, 3, "%02x", b[i]);
    assert_string_equal(s, hex);
}

static void encode_exact_bytes(void **state)
{
    (void)state;
    uint8_t b[256];
    mrs_prefix p4 = P("192.0.2.0/24"), p6 = P("2001:db8::/32");
    hex_equal(b, mrs_rtr_serial_notify(b, 1, 0x1234, 7), "010012340000000c00000007");
    hex_equal(b, mrs_rtr_serial_query(b, 1, 0x1234, 7), "010112340000000c00000007");
    hex_equal(b, mrs_rtr_reset_query(b, 0), "0002000000000008");
    hex_equal(b, mrs_rtr_cache_response(b, 2, 0xbeef), "0203beef00000008");
    hex_equal(b, mrs_rtr_cache_reset(b, 1), "0108000000000008");
    /* the bytes StayRTR sends for AS64500's 192.0.2.0/24-24 */
    hex_equal(b, mrs_rtr_prefix(b, 2, 1, &p4, 24, 64500), "020400000000001401181800c00002000000fbf4");
    hex_equal(b, mrs_rtr_prefix(b, 1, 0, &p6, 48, 64501),
              "0106000000000020002030002001" "0db80000000000000000000000000000fbf5");
    hex_equal(b, mrs_rtr_end_of_data(b, 0, 9, 3, 1, 2, 3), "000700090000000c00000003");
    /* StayRTR: End of Data 3600 / 600 / 7200 */
    hex_equal(b, mrs_rtr_end_of_data(b, 2, 0x2e1b, 0, 3600, 600, 7200),
              "02072e1b000000180000000000000e100000025800001c20");
    /* StayRTR's ASPA PDU for customer 64500, providers 64501 64502, IPv4 and IPv6 */
    uint32_t prov[] = {64501, 64502};
    hex_equal(b, mrs_rtr_aspa(b, 1, 0, 64500, prov, 2), "020b000000000018010000020000fbf40000fbf50000fbf6");
    hex_equal(b, mrs_rtr_aspa(b, 1, 1, 64500, prov, 1), "020b000000000014010100010000fbf40000fbf5");
    uint8_t q[8];
    mrs_rtr_reset_query(q, 3);
    size_t n = mrs_rtr_error_report(b, 2, MRS_RTR_ERR_UNSUPPORTED_VERSION, q, 8, "v3");
    assert_int_equal(n, mrs_rtr_error_size(8, 2));
    hex_equal(b, n, "020a00040000001a000000080302000000000008000000027633");
}

static void parse_round_trip(void **state)
{
    (void)state;
    uint8_t b[256];
    mrs_rtr_pdu d;
    mrs_rtr_fault f;
    mrs_prefix p6 = P("2001:db8:1::/48");
    size_t n = mrs_rtr_prefix(b, 1, 1, &p6, 64, 4200000000u);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(mrs_rtr_parse(b, k, 65536, &d, &f), 0);   /* incomplete: more bytes */
    assert_int_equal(mrs_rtr_parse(b, n, 65536, &d, &f), 1);
    assert_int_equal(d.length, n);
    assert_int_equal(d.type, MRS_RTR_IPV6_PREFIX);
    assert_true(mrs_prefix_equal(&d.prefix, &p6));
    assert_int_equal(d.maxlen, 64);
    assert_int_equal(d.asn, 4200000000u);
    assert_int_equal(d.flags, 1);
    n = mrs_rtr_end_of_data(b, 1, 77, 5, 10, 20, 900);
    assert_int_equal(mrs_rtr_parse(b, n, 65536, &d, &f), 1);
    assert_true(d.session == 77 && d.serial == 5 && d.refresh == 10 && d.retry == 20 && d.expire == 900);
    uint32_t prov[] = {1, 2, 3};
    n = mrs_rtr_aspa(b, 0, 1, 64500, prov, 3);
    assert_int_equal(mrs_rtr_parse(b, n, 65536, &d, &f), 1);
    assert_true(d.asn == 64500 && d.n_providers == 3 && d.afi_flags == 1 && d.flags == 0);
    assert_int_equal(d.providers[7], 2);
    n = mrs_rtr_error_report(b, 1, MRS_RTR_ERR_NO_DATA, NULL, 0, "no data yet");
    assert_int_equal(mrs_rtr_parse(b, n, 65536, &d, &f), 1);
    assert_int_equal(d.session, MRS_RTR_ERR_NO_DATA);
    assert_int_equal(d.err_text_len, 11);
    assert_memory_equal(d.err_text, "no data yet", 11);
    /* a version above 2: the header only, for the session to refuse */
    mrs_rtr_reset_query(b, 3);
    assert_int_equal(mrs_rtr_parse(b, 8, 65536, &d, &f), 1);
    assert_int_equal(d.version, 3);
}

/* What a router or a hostile client may send, and the Error Report code for it. */
static void malformed(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        uint16_t code;
        const char *why;
    } bad[] = {
        {"0102000000000004", MRS_RTR_ERR_CORRUPT_DATA, "shorter than the header"},
        {"010200007fffffff", MRS_RTR_ERR_CORRUPT_DATA, "exceeds"},
        {"010200000000000900", MRS_RTR_ERR_CORRUPT_DATA, "Reset Query PDU of 9 bytes"},
        {"000700090000001800000003000000010000000200000003", MRS_RTR_ERR_CORRUPT_DATA, "End of Data PDU of 24"},
        {"0105000000000008", MRS_RTR_ERR_UNSUPPORTED_PDU, "type 5"},
        {"0109000000000008", MRS_RTR_ERR_CORRUPT_DATA, "Router Key PDU of 8"},
        {"0009000000000020" "0000000000000000000000000000000000000000" "00000001", MRS_RTR_ERR_UNSUPPORTED_PDU,
         "type 9 does not exist in protocol version 0"},
        {"010b000000000010010000000000fbf4", MRS_RTR_ERR_UNSUPPORTED_PDU, "type 11"},
        {"020b000000000014010000020000fbf40000fbf5", MRS_RTR_ERR_CORRUPT_DATA, "for 2 providers"},
        {"010400000000001401211800c00002000000fbf4", MRS_RTR_ERR_CORRUPT_DATA, "prefix length 33"},
        {"010400000000001401181000c00002000000fbf4", MRS_RTR_ERR_CORRUPT_DATA, "max length 16"},
        {"010400000000001401181800c00002010000fbf4", MRS_RTR_ERR_CORRUPT_DATA, "host bits"},
        {"010a000000000010ffffffff00000000", MRS_RTR_ERR_CORRUPT_DATA, "encapsulated PDU"},
        {"010a00000000001200000000000000056869", MRS_RTR_ERR_CORRUPT_DATA, "text of 5 bytes"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t b[128];
        size_t n = strlen(bad[i].hex) / 2;
        for (size_t k = 0; k < n; k++) {
            unsigned x;
            sscanf(bad[i].hex + 2 * k, "%2x", &x);
            b[k] = (uint8_t)x;
        }
        mrs_rtr_pdu d;
        mrs_rtr_fault f;
        int r = mrs_rtr_parse(b, n, 65536, &d, &f);
        if (r != -1 || f.code != bad[i].code || !strstr(f.why, bad[i].why))
            fail_msg("case %zu (%s): got %d, code %u, '%s'", i, bad[i].hex, r, r < 0 ? f.code : 0,
                     r < 0 ? f.why : "");
    }
}

/* SLURM (RFC 8416): the filter semantics, and every rule of the format enforced. */
static void slurm_files(void **state)
{
    (void)state;
    static const char good[] =
        "{\"slurmVersion\": 1, \"validationOutputFilters\": {\"prefixFilters\": ["
        "{\"prefix\": \"192.0.2.0/24\", \"comment\": \"x\"}, {\"asn\": 64496}, "
        "{\"prefix\": \"198.51.100.0/24\", \"asn\": 64497}], \"bgpsecFilters\": []},"
        "\"locallyAddedAssertions\": {\"prefixAssertions\": [{\"asn\": 64499, \"prefix\": \"2001:db8::/32\","
        "\"maxPrefixLength\": 48}, {\"asn\": 64500, \"prefix\": \"203.0.113.0/24\"}], "
        "\"bgpsecAssertions\": [{\"asn\": 1, \"SKI\": \"x\", \"routerPublicKey\": \"y\"}]}}";
    mrs_slurm sl;
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_slurm_load_mem(&sl, good, sizeof good - 1, "s.json", &d), 0);
    assert_int_equal(sl.n_filters, 3);
    assert_int_equal(sl.n_assertions, 2);
    assert_int_equal(sl.bgpsec_ignored, 1);
    assert_int_equal(sl.assertions[0].maxlen, 48);
    assert_int_equal(sl.assertions[1].maxlen, 24);   /* defaults to the prefix length */
    mrs_prefix a = P("192.0.2.128/25"), b = P("192.0.0.0/16"), c = P("198.51.100.0/24"), e = P("10.0.0.0/8");
    assert_true(mrs_slurm_filtered(&sl, &a, 1));     /* more specific of a prefix filter, any origin */
    assert_false(mrs_slurm_filtered(&sl, &b, 1));    /* less specific: kept */
    assert_true(mrs_slurm_filtered(&sl, &e, 64496)); /* the asn filter, any prefix */
    assert_true(mrs_slurm_filtered(&sl, &c, 64497)); /* both given: both must match */
    assert_false(mrs_slurm_filtered(&sl, &c, 64498));
    mrs_slurm_clear(&sl);
    static const struct {
        const char *json, *why;
    } bad[] = {
        {"[]", "not a JSON object"},
        {"{\"slurmVersion\": 2}", "slurmVersion must be 1"},
        {"{\"slurmVersion\": 1, \"x\": 1}", "unknown member \"x\""},
        {"{\"slurmVersion\": 1}", "objects are required"},
        {"{\"slurmVersion\": 1, \"validationOutputFilters\": {}, \"locallyAddedAssertions\": {}}",
         "arrays are required"},
        {"{\"slurmVersion\": 1, \"validationOutputFilters\": {\"prefixFilters\": [{\"comment\": \"c\"}],"
         "\"bgpsecFilters\": []}, \"locallyAddedAssertions\": {\"prefixAssertions\": [], \"bgpsecAssertions\": []}}",
         "needs a prefix, an asn or both"},
        {"{\"slurmVersion\": 1, \"validationOutputFilters\": {\"prefixFilters\": [{\"prefix\": \"192.0.2.1/24\"}],"
         "\"bgpsecFilters\": []}, \"locallyAddedAssertions\": {\"prefixAssertions\": [], \"bgpsecAssertions\": []}}",
         "prefixFilters[0]: bad prefix"},
        {"{\"slurmVersion\": 1, \"validationOutputFilters\": {\"prefixFilters\": [], \"bgpsecFilters\": []},"
         "\"locallyAddedAssertions\": {\"prefixAssertions\": [{\"asn\": 1, \"prefix\": \"192.0.2.0/24\","
         "\"maxPrefixLength\": 23}], \"bgpsecAssertions\": []}}",
         "maxPrefixLength must be between"},
        {"{\"slurmVersion\": 1, \"validationOutputFilters\": {\"prefixFilters\": [{\"asn\": -1}], "
         "\"bgpsecFilters\": []}, \"locallyAddedAssertions\": {\"prefixAssertions\": [], \"bgpsecAssertions\": []}}",
         "bad asn"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *out = NULL;
        size_t outlen = 0;
        FILE *f = open_memstream(&out, &outlen);
        mrs_diag_init(&d, f);
        int r = mrs_slurm_load_mem(&sl, bad[i].json, strlen(bad[i].json), "s.json", &d);
        fclose(f);
        if (r != -1 || !strstr(out, bad[i].why) || sl.n_filters || sl.n_assertions)
            fail_msg("case %zu: %d '%s'", i, r, out);
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encode_exact_bytes),
        cmocka_unit_test(parse_round_trip),
        cmocka_unit_test(malformed),
        cmocka_unit_test(slurm_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
