/* fuzz_delegated.c — libFuzzer target for the RIR delegated-extended parser
 * (src/kb/topo/delegated.c) through the in-memory mrs_reader (so compressed inputs
 * are exercised too), followed by lookups derived from the input bytes and the
 * combined route-bogon check. Must never crash, leak or trip UBSan. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "manrs/kb/bogon.h"
#include "manrs/kb/delegated.h"
#include "manrs/core/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_deleg_db *db = mrs_deleg_new();
    if (!db)
        return 0;
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_reader *r = mrs_reader_open_mem(data, size, "fuzz");
    if (r) {
        (void)mrs_deleg_load_reader(db, r, &d);
        mrs_reader_close(r);
    }
    (void)mrs_deleg_load_mem(db, data, size, "fuzz-mem", &d);
    mrs_bogon_set *bs = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    /* Query prefixes built from the first bytes, every length. */
    for (unsigned k = 0; k < 8; k++) {
        mrs_prefix p;
        memset(&p, 0, sizeof p);
        p.afi = (k & 1) ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        for (size_t i = 0; i < 16 && i < size; i++)
            p.addr[i] = data[(i + k) % size];
        p.len = (uint8_t)(size ? data[k % size] % (mrs_afi_bits(p.afi) + 1) : 0);
        mrs_prefix_mask(&p);
        mrs_deleg_answer a;
        (void)mrs_deleg_lookup_prefix(db, &p, &a);
        mrs_route_bogon rb;
        if (bs)
            (void)mrs_bogon_check_route(bs, db, &p, &rb);
        uint32_t asn = 0;
        for (size_t i = 0; i < 4 && i < size; i++)
            asn = (asn << 8) | data[(i + k) % size];
        (void)mrs_deleg_lookup_asn(db, asn, &a);
    }
    for (size_t i = 0; i < mrs_deleg_count(db); i++)
        (void)mrs_deleg_record_at(db, i)->registry[0];
    mrs_bogon_set_free(bs);
    mrs_deleg_free(db);
    return 0;
}
