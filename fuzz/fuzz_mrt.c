/*
 * fuzz_mrt.c — libFuzzer target: MRT framing + record decoding + both printers on
 * arbitrary bytes (compressed or not: the reader detects the format).
 */
#include <stddef.h>
#include <stdint.h>

#include "manrs/output/dumpfmt.h"
#include "manrs/feeds/mrt.h"

static void on_event(const mrt_event *ev, void *user)
{
    mrs_outbuf *o = user;
    dumpfmt_bgpdump(o, ev);
    dumpfmt_json(o, ev, "fuzz");
    if (o->len > (1u << 20))
        o->len = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag diag;
    mrs_diag_init(&diag, NULL);
    mrt_reader *r = mrt_reader_open_mem(data, size, "fuzz", &diag);
    mrt_decoder *d = mrt_decoder_new(&diag);
    if (!r || !d) {
        mrt_reader_close(r);
        mrt_decoder_free(d);
        return 0;
    }
    mrt_decoder_begin_file(d, "fuzz");
    mrs_outbuf o;
    mrs_outbuf_init(&o, NULL);
    mrt_record rec;
    while (mrt_read(r, &rec))
        mrt_decode(d, &rec, on_event, &o);
    mrs_outbuf_close(&o);
    mrt_decoder_free(d);
    mrt_reader_close(r);
    return 0;
}
