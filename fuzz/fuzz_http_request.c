/* fuzz_http_request.c — libFuzzer target for the request heads the monitor's
 * /metrics endpoint reads (src/apps/monitor/metrics.c, mon_http_request): any
 * bytes, whole and in every prefix a slow client could have sent so far. Must
 * never crash or trip UBSan, and a verdict once given must not change as more
 * bytes arrive. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/monitor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        size = 4096;
    int first = 0;
    for (size_t n = 0; n <= size; n++) {
        int v = mon_http_request((const char *)data, n);
        if (first && v != first)
            abort();    /* a verdict depends only on the head, complete once given */
        if (v && !first)
            first = v;
    }
    return 0;
}
