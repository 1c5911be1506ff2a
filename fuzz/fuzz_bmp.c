/* fuzz_bmp.c — libFuzzer target for BMP streams (src/feeds/bmp/bmp.c): the
 * input is a router's stream, fed to one session in two reads split at a point
 * the first byte chooses (partial messages held across reads), every record it
 * makes decoded by the MRT/BGP decoder, then the stream ended. Must never crash,
 * leak or trip UBSan. */
#include <stdint.h>
#include <string.h>

#include "manrs/feeds/bmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_event(const mrt_event *ev, void *user)
{
    (void)user;
    volatile uint8_t x = ev->prefix.pfx.len;
    (void)x;
}

static void on_record(const mrt_record *rec, unsigned ribs, void *user)
{
    (void)ribs;
    mrt_decode(user, rec, on_event, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrt_decoder *dec = mrt_decoder_new(&d);
    bmp_session *s = bmp_session_new("fuzz", &d, data[0] & 1);
    if (!dec || !s) {
        mrt_decoder_free(dec);
        bmp_session_free(s);
        return 0;
    }
    mrt_decoder_begin_file(dec, "fuzz");
    data++, size--;
    size_t cut = size ? (size_t)data[0] * 7 % (size + 1) : 0;
    if (bmp_session_input(s, data, cut, 1, 2, on_record, dec) == 0)
        bmp_session_input(s, data + cut, size - cut, 3, 4, on_record, dec);
    bmp_session_end(s, 5, 6, on_record, dec);
    bmp_session_free(s);
    mrt_decoder_free(dec);
    return 0;
}
