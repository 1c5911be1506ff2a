/*
 * fuzz_event_codec.c — libFuzzer target: the route event decoder
 * (feeds/route_event_codec.h) on arbitrary bytes, as a worker meets them on the
 * stream. The input is read as messages back to back; each one that decodes is
 * walked (AS path segments, origin, text) and re-encoded, which must give back
 * exactly its bytes (the encoding is canonical). The first byte shifts the input
 * by 0..3 so both path readings (in place, copied) are reached; with its bit 2 the
 * input is a batch as a message on the stream carries it (mrs_rev_batch_events:
 * events as they are, or compressed), whose events are then read so; a batch that
 * decompresses to events only is packed again and must unpack to the same events.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/feeds/route_event_codec.h"

/* true when every byte is in an event */
static bool events(const uint8_t *m, size_t size)
{
    static uint32_t words[MRS_REV_MAX_WORDS];
    static uint8_t again[MRS_REV_MAX_MSG];
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
    return at == size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t shift = data[0] & 3;
    bool batch = data[0] & 4;
    data++;
    size--;
    uint8_t *copy = malloc(size + shift + 1);   /* exact end: ASan sees an over-read */
    if (!copy)
        return 0;
    uint8_t *m = copy + shift;
    memcpy(m, data, size);
    if (!batch) {
        events(m, size);
        free(copy);
        return 0;
    }
    mrs_rev_unpacker up = {0}, up2 = {0};
    mrs_rev_packer pk = {0};
    size_t len = 0;
    const char *field = NULL;
    const uint8_t *ev = mrs_rev_batch_events(&up, m, size, &len, &field);
    if (!ev) {
        if (!field || !field[0])
            abort();
    } else {
        if (ev != m && len > MRS_REVB_MAX_RAW)
            abort();
        if (events(ev, len) && ev != m) {
            /* compressed, every byte an event: packed again, the same events come back */
            size_t plen = 0, back_len = 0;
            const uint8_t *p = mrs_rev_batch_pack(&pk, ev, len, &plen);
            const uint8_t *back = p ? mrs_rev_batch_events(&up2, p, plen, &back_len, &field) : NULL;
            if (p && (!back || back_len != len || memcmp(back, ev, len)))
                abort();
        }
    }
    mrs_rev_unpacker_free(&up);
    mrs_rev_unpacker_free(&up2);
    mrs_rev_packer_free(&pk);
    free(copy);
    return 0;
}
