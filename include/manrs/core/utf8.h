/*
 * utf8.h — well-formedness of UTF-8 (RFC 3629 section 4), for every writer that
 * must not pass malformed text on (JSON output, diagnostics).
 */
#ifndef MANRS_CORE_UTF8_H
#define MANRS_CORE_UTF8_H

#include <stddef.h>

/* Length of the well-formed UTF-8 sequence at s, of at most `left` bytes (s[0] >=
 * 0x80); 0 if the lead byte is invalid or the sequence is malformed (overlong,
 * surrogate, beyond U+10FFFF, cut short). */
static inline size_t mrs_utf8_len(const unsigned char *s, size_t left)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xbf;
    size_t n;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        else if (c == 0xed)
            hi = 0x9f; /* U+D800..U+DFFF */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        else if (c == 0xf4)
            hi = 0x8f; /* > U+10FFFF */
    } else {
        return 0; /* continuation byte, C0/C1 (overlong), F5..FF */
    }
    if (left < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[k] & 0xc0) != 0x80)
            return 0;
    return n;
}

#endif
