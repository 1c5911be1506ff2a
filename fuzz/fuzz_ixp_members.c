/* fuzz_ixp_members.c — libFuzzer target for the members file of `manrs ixp`
 * (src/apps/ixp/ixp_members.c: "ASN [AS-SET] [NAME]" per line), followed by a
 * lookup of every loaded member and of its neighbours. Must never crash, leak or
 * trip UBSan; every member kept has a nonzero ASN and the list is sorted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/ixp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    ixp_members m;
    memset(&m, 0, sizeof m);
    (void)ixp_members_load_mem(&m, data, size, "fuzz-members", &d);
    for (size_t i = 0; i < m.n; i++) {
        const ixp_member_info *e = &m.v[i];
        if (e->asn == 0 || (i && m.v[i - 1].asn >= e->asn))
            abort();
        if (ixp_members_find(&m, e->asn) != e)
            abort();
        (void)ixp_members_find(&m, e->asn + 1);
        (void)ixp_members_find(&m, e->asn - 1);
        if (e->as_set && !*e->as_set)
            abort();
    }
    ixp_members_clear(&m);
    return 0;
}
