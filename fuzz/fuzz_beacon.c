/* fuzz_beacon.c — libFuzzer target for the routing beacon list parser
 * (src/kb/topo/beacon.c), followed by lookups of every loaded entry, a more
 * specific and a less specific of it, with its origin and another. Must never
 * crash, leak or trip UBSan. */
#include <stdint.h>
#include <string.h>

#include "manrs/kb/beacon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_beacon_set *s = mrs_beacon_set_new(size && (data[0] & 1));
    if (!s)
        return 0;
    (void)mrs_beacon_load_mem(s, data, size, "fuzz-beacons", &d);
    for (size_t i = 0; i < mrs_beacon_count(s) && i < 64; i++) {
        const mrs_beacon *b = mrs_beacon_at(s, i);
        mrs_prefix p = b->prefix;
        uint32_t origin = b->origin;
        (void)mrs_beacon_match(s, &p, origin);
        (void)mrs_beacon_match(s, &p, origin + 1);
        (void)mrs_beacon_match(NULL, &p, origin);
        if (p.len < mrs_afi_bits(p.afi)) {
            p.len++;
            (void)mrs_beacon_match(s, &p, origin);
        }
        if (p.len > 1) {
            p.len = (uint8_t)(p.len - 2);
            mrs_prefix_mask(&p);
            (void)mrs_beacon_match(s, &p, origin);
        }
    }
    mrs_beacon_set_free(s);
    return 0;
}
