/*
 * date.h — THE calendar arithmetic of manrs (proleptic Gregorian, UTC): used by
 * the RPSL date parsers (last-modified:, changed:), by the command line's
 * ISO 8601 times and by the times printed for people to read (mrs_time_iso).
 */
#ifndef MANRS_CORE_DATE_H
#define MANRS_CORE_DATE_H

#include <stdbool.h>
#include <stdint.h>

/* Is y-m-d a real date (month 1..12, day within the month, leap years)? */
static inline bool mrs_date_valid(int64_t y, unsigned m, unsigned d)
{
    static const unsigned mdays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m] + (m == 2 && leap);
}

/* Days since 1970-01-01 of y-m-d (the civil-from-days arithmetic on 400-year eras). */
static inline int64_t mrs_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* The inverse: y-m-d of a day number since 1970-01-01. */
static inline void mrs_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Unix time t as ISO 8601 UTC, "2024-03-10T12:00:00Z" (20 characters + NUL),
 * for times people read (tables, evidence text); JSON keeps the number beside it. */
#define MRS_TIME_ISO_LEN 21
static inline char *mrs_time_iso(int64_t t, char out[MRS_TIME_ISO_LEN])
{
    int64_t days = (t >= 0 ? t : t - 86399) / 86400, y;
    unsigned sec = (unsigned)(t - days * 86400), m, d;
    mrs_civil_from_days(days, &y, &m, &d);
    unsigned yy = y < 0 ? 0 : y > 9999 ? 9999 : (unsigned)y;   /* keep the width */
    const unsigned v[6] = {yy, m, d, sec / 3600, sec / 60 % 60, sec % 60};
    static const char sep[6] = {'-', '-', 'T', ':', ':', 'Z'};
    char *o = out;
    for (int i = 0; i < 6; i++) {
        if (i == 0) {
            *o++ = (char)('0' + v[0] / 1000);
            *o++ = (char)('0' + v[0] / 100 % 10);
        }
        *o++ = (char)('0' + v[i] / 10 % 10);
        *o++ = (char)('0' + v[i] % 10);
        *o++ = sep[i];
    }
    *o = 0;
    return out;
}

/* "YYYYMMDD" (exactly 8 digits, a real date) as a Unix time at 00:00 UTC; false
 * otherwise. CAIDA names and stamps its files this way. */
static inline bool mrs_date_ymd(const char *s, int64_t *t)
{
    unsigned v[8];
    for (int i = 0; i < 8; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v[i] = (unsigned)(s[i] - '0');
    }
    int64_t y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    unsigned m = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
    if (!mrs_date_valid(y, m, d))
        return false;
    *t = mrs_days_from_civil(y, m, d) * 86400;
    return true;
}

/* The same for a date held as the number YYYYMMDD. */
static inline bool mrs_date_ymd_u32(uint32_t v, int64_t *t)
{
    if (v < 10000101u || v > 99991231u)
        return false;
    char s[9];
    for (int i = 7; i >= 0; i--, v /= 10)
        s[i] = (char)('0' + v % 10);
    return mrs_date_ymd(s, t);
}

/* A moment in time: Unix seconds or ISO 8601 / RFC 3339 (a date, or a date and time
 * with Z or an offset, which is applied); false if it is neither or outside
 * 1970..2106 (core/date.c). */
bool mrs_time_parse(const char *s, uint32_t *out);

#endif
