/* fuzz_spoofer.c — libFuzzer target for the Spoofer-style CSV loader
 * (src/kb/peeringdb.c, src/kb/spoofer.c), then M5 computation over what loaded.
 * Must never crash, leak or trip UBSan. */
#include <stdint.h>
#include <string.h>

#include "manrs/analysis/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_spoofer s;
    memset(&s, 0, sizeof s);
    (void)mrs_spoofer_load_mem(&s, data, size, "fuzz", &d);
    mrs_view *v = mrs_view_new();
    if (v) {
        mrs_metrics_input mi;
        memset(&mi, 0, sizeof mi);
        mi.view = v;
        mi.spoofer = &s;
        mrs_score_cfg_default(&mi.score);
        mrs_network_list nets;
        if (mrs_metrics_compute(&mi, &nets) == 0)
            mrs_network_list_clear(&nets);
        mrs_view_free(v);
    }
    mrs_spoofer_clear(&s);
    return 0;
}
