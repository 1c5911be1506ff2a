/*
 * fuzz_event_codec.c — libFuzzer target: the route event decoder
 * (feeds/route_event_codec.h) on arbitrary bytes, as a worker meets them on the
 * stream. The input is read as messages back to back; each one that decodes is
 * walked (AS path segments, origin, text) and re-encoded, which must give back
 * exactly its bytes (the encoding is canonical). The first byte shifts the input
 * by 0..3 so both path readings (in place, copied) are reached.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/feeds/route_event_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint32_t words[MRS_REV_MAX_WORDS];
    static uint8_t again[MRS_REV_MAX_MSG];
    if (size < 1)
        return 0;
    size_t shift = data[0] & 3;
    data++;
    size--;
    uint8_t *copy = malloc(size + shift + 1);   /* exact end: ASan sees an over-read */
    if (!copy)
        return 0;
    uint8_t *m = copy + shift;
    memcpy(m, data, size);
    size_t at = 0;
    while (at < size) {
        mrs_route_event ev;
        const char *field = NULL;
        size_t n = mrs_rev_decode(m + at, size - at, &ev, words, &field);
        if (!n) {
            if (!field || !field[0])
                abort();
            break;
        }
        uint32_t i = 0, count, origin;
        unsigned type;
        const uint32_t *asns;
        while (mrs_as_path_next_segment(ev.path, &i, &type, &count, &asns))
            ;
        (void)mrs_as_path_origin(ev.path, &origin);
        char *text = mrs_as_path_text(ev.path);
        free(text);
        char subject[128];
        mrs_rev_subject("manrs.ev.fuzz", &ev, subject, sizeof subject);
        if (mrs_rev_partition(&ev) < 0)
            abort();
        if (mrs_rev_encode(&ev, again, sizeof again) != n || memcmp(again, m + at, n))
            abort();
        at += n;
    }
    free(copy);
    return 0;
}
