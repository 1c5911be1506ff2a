/*
 * date.h — THE calendar arithmetic of manrs (proleptic Gregorian, UTC): used by
 * the RPSL date parsers (last-modified:, changed:) and by the command line's
 * ISO 8601 times.
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

#endif
