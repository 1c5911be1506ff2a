/* fuzz_ris_live.c — libFuzzer target for the RIS Live JSON line reader
 * (src/feeds/rislive/ris_live.c): every line of the input goes through
 * mrs_ris_live_line, and what it makes of it through the MRT/BGP decoder; then the
 * same bytes through the descriptor reader of live inputs (mrs_ris_live_stream_read,
 * `manrs feed --ris-live -`), which must find the same lines (blank ones skipped, a
 * last line without its newline taken) and the same events. Must never crash, leak
 * or trip UBSan. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/feeds/ris_live.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_event(const mrt_event *ev, void *user)
{
    volatile uint8_t x = ev->prefix.pfx.len;
    (void)x;
    if (user)
        ++*(uint64_t *)user;
}

static int blank(const char *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (p[k] != ' ' && p[k] != '\t')
            return 0;
    return 1;
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
    uint64_t lineno = 0, lines = 0, events = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (!blank(p, n)) {
            lines++;
            mrs_ris_live_line(p, n, "fuzz", ++lineno, (uint64_t)(p - (const char *)data), dec, &d, on_event, &events,
                              &st);
        } else {
            ++lineno;
        }
        p += n + (nl != NULL);
    }
    /* the descriptor reader, on the same bytes */
    FILE *tf = tmpfile();
    if (tf && (!size || fwrite(data, 1, size, tf) == size) && fflush(tf) == 0) {
        rewind(tf);
        mrs_ris_live_stream in;
        memset(&in, 0, sizeof in);
        in.name = "fuzz";
        mrs_ris_live_stats st2;
        memset(&st2, 0, sizeof st2);
        uint64_t events2 = 0;
        mrt_decoder_begin_file(dec, "fuzz");
        int r;
        while ((r = mrs_ris_live_stream_read(&in, fileno(tf), dec, &d, on_event, &events2, &st2)) > 0)
            ;
        if (r == 0 && (st2.lines != lines || events2 != events))
            abort();   /* the two readers disagree on lines or events */
        mrs_ris_live_stream_clear(&in);
    }
    if (tf)
        fclose(tf);
    mrt_decoder_free(dec);
    return 0;
}
