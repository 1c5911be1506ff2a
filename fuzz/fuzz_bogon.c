/* fuzz_bogon.c — libFuzzer target for the bogon list parsers (fullbogons
 * prefix-per-line and Spamhaus DROP) in src/kb/topo/bogon.c, followed by route checks
 * against the loaded entries. Must never crash, leak or trip UBSan. */
#include <stdint.h>
#include <string.h>

#include "manrs/kb/bogon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_bogon_set *s = mrs_bogon_set_new(size && (data[0] & 1) ? MRS_BOGON_WITH_BUILTIN : 0);
    if (!s)
        return 0;
    (void)mrs_bogon_load_list_mem(s, data, size, "fuzz-list", &d);
    (void)mrs_bogon_load_drop_mem(s, data, size, "fuzz-drop", &d);
    for (size_t i = 0; i < mrs_bogon_count(s) && i < 64; i++) {
        mrs_prefix p = mrs_bogon_entry_at(s, i)->prefix;
        mrs_bogon_result r;
        (void)mrs_bogon_check_prefix(s, &p, &r);
        if (p.len) {
            p.len--;
            mrs_prefix_mask(&p);
            (void)mrs_bogon_check_prefix(s, &p, &r);
        }
    }
    mrs_bogon_set_free(s);
    return 0;
}
