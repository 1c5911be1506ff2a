/* fuzz_ris_live.c — libFuzzer target for the RIS Live JSON line reader
 * (src/feeds/rislive/ris_live.c): every line of the input goes through
 * mrs_ris_live_line, and what it makes of it through the MRT/BGP decoder. Must
 * never crash, leak or trip UBSan. */
#include <stdint.h>
#include <string.h>

#include "manrs/feeds/ris_live.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_event(const mrt_event *ev, void *user)
{
    (void)user;
    volatile uint8_t x = ev->prefix.pfx.len;
    (void)x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrt_decoder *dec = mrt_decoder_new(&d);
    if (!dec)
        return 0;
    mrt_decoder_begin_file(dec, "fuzz");
    mrs_ris_live_stats st;
    memset(&st, 0, sizeof st);
    const char *p = (const char *)data, *end = p + size;
    uint64_t lineno = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        mrs_ris_live_line(p, n, "fuzz", ++lineno, (uint64_t)(p - (const char *)data), dec, &d, on_event, NULL, &st);
        p += n + (nl != NULL);
    }
    mrt_decoder_free(dec);
    return 0;
}
