/*
 * vrp_time.c — the time side of a VRP set: parsing the times that exports carry,
 * keeping only the VRPs that existed at a moment (mrs_rpki_valid_at), and when the
 * exports themselves were made (mrs_rpki_period). See rpki.h for the contracts.
 *
 * Times are held as uint32_t Unix seconds (0 = unknown), the range of the MRT
 * timestamps the routing data carries; anything outside is refused by the parser
 * and reported by the loader like any other bad field.
 */
#include "rpki_impl.h"
#include "manrs/core/date.h"

#include <string.h>

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

/* "[T ]HH:MM[:SS[.fff]]" then "", "Z" or "+HH:MM" / "-HH:MM" (applied). */
static bool clock_part(const char *p, const char *e, int64_t *secs)
{
    unsigned h, mi, se = 0;
    if (e - p < 6 || (*p != 'T' && *p != 't' && *p != ' ') || !digits(p + 1, 2, &h) || p[3] != ':' ||
        !digits(p + 4, 2, &mi))
        return false;
    p += 6;
    if (p < e && *p == ':') {
        if (e - p < 3 || !digits(p + 1, 2, &se))
            return false;
        p += 3;
        if (p < e && *p == '.')   /* fractions of a second: dropped */
            for (p++; p < e && *p >= '0' && *p <= '9'; p++)
                ;
    }
    if (h > 23 || mi > 59 || se > 60)
        return false;
    int64_t offset = 0;
    if (p < e && (*p == 'Z' || *p == 'z')) {
        p++;
    } else if (p < e && (*p == '+' || *p == '-')) {
        unsigned oh, om;
        if (e - p != 6 || !digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        offset = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
        p += 6;
    }
    *secs = (int64_t)h * 3600 + mi * 60 + se - offset;
    return p == e;
}

bool rpki_time_parse(const char *s, size_t n, uint32_t *t)
{
    unsigned y, mo, d;
    int64_t v = 0;
    if (n && n <= 10 && digits(s, n, &y)) {   /* Unix seconds (rpki-client "expires") */
        for (size_t i = 0; i < n; i++)
            v = v * 10 + (s[i] - '0');
    } else {
        if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
            !digits(s + 8, 2, &d) || !mrs_date_valid(y, mo, d))
            return false;
        int64_t secs = 0;
        if (n > 10 && !clock_part(s + 10, s + n, &secs))
            return false;
        v = mrs_days_from_civil(y, mo, d) * 86400 + secs;
    }
    if (v < 0 || v > (int64_t)UINT32_MAX)
        return false;
    *t = (uint32_t)v;
    return true;
}

/* Does the validity cover t? Both bounds are inclusive (RFC 5280 §4.1.2.5); an
 * unknown bound does not limit. */
static bool covers(rpki_vrp_time v, int64_t t)
{
    return (!v.not_before || (int64_t)v.not_before <= t) && (!v.not_after || t <= (int64_t)v.not_after);
}

int mrs_rpki_valid_at(mrs_rpki *r, int64_t t, size_t *dropped)
{
    size_t n = 0, sorted = 0;
    if (r->vtime) {
        for (size_t i = 0; i < r->nvrp; i++) {
            if (!covers(r->vtime[i], t))
                continue;
            sorted += i < r->nsorted;
            r->vrp[n] = r->vrp[i];
            r->vtime[n] = r->vtime[i];
            n++;
        }
    } else {
        n = sorted = r->nvrp;
    }
    size_t gone = r->nvrp - n;
    if (gone) {
        /* Order is kept, so the sorted part stays sorted; the built structures
         * index the old array and are void until the next build. */
        r->nvrp = n;
        r->nsorted = sorted;
        r->built = false;
    }
    if (dropped)
        *dropped = gone;
    return 0;
}

void rpki_note_period(mrs_rpki *r, size_t from, uint32_t made)
{
    int64_t first = made, last = made;
    if (!made && r->vtime) {
        /* A validator emits only ROAs valid when it runs: the export was made at or
         * after every Not Before. The earliest Not After bounds it from above, unless
         * the set holds an entry that had already expired by then (stale data). */
        uint32_t nb = 0, na = 0;
        for (size_t i = from; i < r->nvrp; i++) {
            rpki_vrp_time v = r->vtime[i];
            if (v.not_before > nb)
                nb = v.not_before;
            if (v.not_after && (!na || v.not_after < na))
                na = v.not_after;
        }
        first = nb;
        last = na && na >= nb ? na : 0;
    }
    /* The set's bounds hold for every input: an input that does not tell makes
     * that bound unknown. */
    if (r->made_inputs++ == 0) {
        r->made_first = first;
        r->made_last = last;
        return;
    }
    r->made_first = r->made_first && first ? (first < r->made_first ? first : r->made_first) : 0;
    r->made_last = r->made_last && last ? (last > r->made_last ? last : r->made_last) : 0;
}

bool mrs_rpki_period(const mrs_rpki *r, int64_t *first, int64_t *last)
{
    *first = r->made_first;
    *last = r->made_last;
    return r->made_first || r->made_last;
}

bool mrs_rpki_vrp_validity(const mrs_rpki *r, size_t i, int64_t *not_before, int64_t *not_after)
{
    rpki_vrp_time v = {0, 0};
    if (r->built && r->vtime && i < r->nvrp)
        v = r->vtime[i];
    *not_before = v.not_before;
    *not_after = v.not_after;
    return v.not_before || v.not_after;
}
