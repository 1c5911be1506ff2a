/*
 * date.c — the one way manrs reads a moment in time: Unix seconds ("1764547200")
 * or ISO 8601 / RFC 3339 in UTC ("2025-12-01", "2025-12-01T00:00Z",
 * "2025-12-01T00:00:00Z", "2025-12-01 00:00:00", an explicit "+00:00" offset, or
 * any other offset, which is applied). Dates before 1970 or after 2106 (the 32-bit
 * MRT timestamp) are refused.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "manrs/core/date.h"

static bool digits(const char *s, size_t n, unsigned *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (unsigned)(s[i] - '0');
    }
    return true;
}

bool mrs_time_parse(const char *s, uint32_t *out)
{
    size_t n = strlen(s);
    unsigned v;
    if (n && n <= 10 && digits(s, n, &v)) {
        uint64_t x = 0;
        for (size_t i = 0; i < n; i++)
            x = x * 10 + (uint64_t)(s[i] - '0');
        if (x > UINT32_MAX)
            return false;
        *out = (uint32_t)x;
        return true;
    }
    unsigned y, mo, d, h = 0, mi = 0, se = 0;
    if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d))
        return false;
    if (!mrs_date_valid(y, mo, d))
        return false;
    const char *p = s + 10;
    int64_t offset = 0;   /* seconds east of UTC */
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (strlen(p) < 5 || !digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi))
            return false;
        p += 5;
        if (*p == ':') {
            if (!digits(p + 1, 2, &se) || strlen(p) < 3)
                return false;
            p += 3;
            if (*p == '.')   /* fractions of a second: ignored */
                for (p++; *p >= '0' && *p <= '9'; p++)
                    ;
        }
        if (h > 23 || mi > 59 || se > 60)
            return false;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            unsigned oh, om;
            if (strlen(p) != 6 || !digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 ||
                om > 59)
                return false;
            offset = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
            p += 6;
        }
    }
    if (*p)
        return false;
    int64_t t = mrs_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
    if (t < 0 || t > UINT32_MAX)
        return false;
    *out = (uint32_t)t;
    return true;
}
