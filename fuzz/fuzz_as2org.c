/* fuzz_as2org.c — libFuzzer target for the CAIDA AS-to-Organization loader
 * (src/kb/topo/as2org.c), both formats: through the in-memory mrs_reader (so
 * compressed input is covered) and the plain memory loader, then joins and the
 * queries on ASNs taken from the input bytes, and every organisation's attributes.
 * Seeds: fuzz/seeds/fuzz_as2org/ (hand-written, both formats). Must never crash,
 * leak or trip UBSan. */
#include <stdint.h>
#include <string.h>

#include "manrs/kb/as2org.h"
#include "manrs/core/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_as2org *o = mrs_as2org_new();
    if (!o)
        return 0;
    mrs_reader *r = mrs_reader_open_mem(data, size, "20080402.fuzz");
    if (r) {
        (void)mrs_as2org_load_reader(o, r, &d);
        mrs_reader_close(r);
    }
    (void)mrs_as2org_load_mem(o, data, size, "fuzz", &d);
    /* Small ASNs from the input, so that they hit loaded records (the samples use
     * ASNs 1..15); joins between them exercise the groups. */
    uint32_t asn[16];
    size_t n = size < 16 ? size : 16;
    for (size_t i = 0; i < n; i++)
        asn[i] = data[i] % 16;
    for (size_t i = 0; i + 1 < n; i += 2)
        (void)mrs_as2org_join(o, asn[i], (data[i + 1] & 1) ? "peeringdb:1" : "peeringdb:2", "PeeringDB");
    for (size_t i = 0; i < n; i++) {
        uint32_t org = mrs_as2org_org(o, asn[i]);
        if (org != MRS_AS2ORG_NONE && !mrs_as2org_org_id(o, org))
            __builtin_trap();
        bool s = mrs_as2org_siblings(o, asn[i], asn[(i + 1) % n]);
        if (s != mrs_as2org_siblings(o, asn[(i + 1) % n], asn[i]))
            __builtin_trap();   /* symmetric */
    }
    size_t no = mrs_as2org_org_count(o);
    for (uint32_t i = 0; i < no; i++) {
        const char *id = mrs_as2org_org_id(o, i), *name = mrs_as2org_org_name(o, i);
        const char *cc = mrs_as2org_country(o, i), *src = mrs_as2org_source(o, i);
        if (!id || !id[0] || !name || !cc || !src || mrs_as2org_group(o, i) >= no)
            __builtin_trap();
        (void)strlen(name);
    }
    (void)mrs_as2org_date(o);
    mrs_as2org_free(o);
    return 0;
}
