/* fuzz_peeringdb.c — libFuzzer target for the PeeringDB /net and /ixpfx JSON loader
 * (src/kb/peeringdb.c, src/kb/spoofer.c): load, finish (sort + merge), look every record up.
 * Must never crash, leak or trip UBSan. */
#include <stdint.h>
#include <string.h>

#include "manrs/analysis/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_peeringdb p;
    memset(&p, 0, sizeof p);
    (void)mrs_peeringdb_load_mem(&p, data, size, "fuzz", &d);
    mrs_peeringdb_finish(&p);
    for (size_t i = 0; i < p.n; i++)
        if (!mrs_peeringdb_find(&p, p.v[i].asn))
            __builtin_trap();
    /* every IXP prefix loaded is inside itself (unless the index could not be built) */
    for (size_t i = 0; i < p.n_ixp && p.ixp_index; i++)
        if (!mrs_peeringdb_ixp_lan(&p, &p.ixp[i]))
            __builtin_trap();
    mrs_peeringdb_clear(&p);
    return 0;
}
