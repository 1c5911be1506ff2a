/* fuzz_slurm.c — libFuzzer target for the SLURM parser (src/kb/rpki/slurm.c),
 * then every filter asked about every assertion. Must never crash, leak or trip
 * UBSan. */
#include <stdint.h>

#include "manrs/kb/slurm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_slurm sl;
    if (mrs_slurm_load_mem(&sl, data, size, "fuzz", &d) == 0) {
        for (size_t i = 0; i < sl.n_assertions && i < 64; i++)
            (void)mrs_slurm_filtered(&sl, &sl.assertions[i].prefix, sl.assertions[i].asn);
        mrs_slurm_clear(&sl);
    }
    return 0;
}
