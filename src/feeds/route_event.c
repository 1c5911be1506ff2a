/*
 * route_event.c — walking a decoded AS path (route_event.h): origin, the
 * AS_SEQUENCE members, membership and the bgpdump-style text of evidence rows.
 * Every function tolerates a truncated word run (it stops at the last whole
 * segment).
 */
#include "manrs/feeds/route_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/grow.h"

bool mrs_as_path_next_segment(mrs_as_path p, uint32_t *i, unsigned *type, uint32_t *count, const uint32_t **asns)
{
    if (*i >= p.n)
        return false;
    uint32_t h = p.w[*i];
    if (MRS_SEG_COUNT(h) > p.n - *i - 1)
        return false;
    *type = MRS_SEG_TYPE(h);
    *count = MRS_SEG_COUNT(h);
    *asns = p.w + *i + 1;
    *i += 1 + *count;
    return true;
}

bool mrs_as_path_origin(mrs_as_path p, uint32_t *origin)
{
    uint32_t i = 0, count, last_count = 0;
    unsigned type, last_type = 0;
    const uint32_t *asns, *last = NULL;
    while (mrs_as_path_next_segment(p, &i, &type, &count, &asns))
        if (count) {
            last = asns;
            last_type = type;
            last_count = count;
        }
    if (!last || last_type != MRS_SEG_AS_SEQUENCE)
        return false;
    *origin = last[last_count - 1];
    return true;
}

size_t mrs_as_path_sequence(mrs_as_path p, uint32_t *out, size_t max, bool *has_set)
{
    uint32_t i = 0, count;
    unsigned type;
    const uint32_t *asns;
    size_t n = 0;
    *has_set = false;
    while (mrs_as_path_next_segment(p, &i, &type, &count, &asns)) {
        if (type != MRS_SEG_AS_SEQUENCE) {
            *has_set = true;
            continue;
        }
        for (uint32_t k = 0; k < count; k++, n++)
            if (n < max)
                out[n] = asns[k];
    }
    return n;
}

bool mrs_as_path_has(mrs_as_path p, uint32_t asn)
{
    uint32_t i = 0, count;
    unsigned type;
    const uint32_t *asns;
    while (mrs_as_path_next_segment(p, &i, &type, &count, &asns))
        for (uint32_t k = 0; k < count; k++)
            if (asns[k] == asn)
                return true;
    return false;
}

char *mrs_as_path_text(mrs_as_path p)
{
    size_t cap = 0, n = 0;
    /* each ASN is at most 10 digits and a separator; each segment adds 3 */
    char *s = mrs_grow(NULL, &cap, (size_t)p.n * 12 + 16, 1, 16);
    if (!s)
        return NULL;
    s[0] = 0;
    uint32_t i = 0, count;
    unsigned type;
    const uint32_t *asns;
    while (mrs_as_path_next_segment(p, &i, &type, &count, &asns)) {
        bool set = type == MRS_SEG_AS_SET || type == MRS_SEG_CONFED_SET;
        bool conf = type == MRS_SEG_CONFED_SEQUENCE || type == MRS_SEG_CONFED_SET;
        if (n)
            s[n++] = ' ';
        if (set)
            s[n++] = '{';
        else if (conf)
            s[n++] = '(';
        for (uint32_t k = 0; k < count; k++)
            n += (size_t)snprintf(s + n, cap - n, "%s%u", k ? (set ? "," : " ") : "", asns[k]);
        if (set)
            s[n++] = '}';
        else if (conf)
            s[n++] = ')';
        s[n] = 0;
    }
    return s;
}
