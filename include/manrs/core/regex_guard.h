/*
 * regex_guard.h — what glibc's regcomp would build from a POSIX extended regular
 * expression, measured before it is built, so that a user's pattern (an AS-path
 * rule of the monitor, an AS-path query of the looking glass) cannot make it run
 * for hours or take gigabytes.
 *
 * Two measures: how deeply quantifiers nest ("a+" 1, "(a+)*" and "a+*" 2), and how
 * many positions the pattern has once each bounded repeat {m,n} is copied out.
 * regcomp takes time exponential in the depth (".*" followed by 15 '+' runs for
 * hours) and proportional to the size ("(.{1,255}){1,255}" is 65 000 copies); an
 * AS-path pattern needs neither.
 */
#ifndef MANRS_CORE_REGEX_GUARD_H
#define MANRS_CORE_REGEX_GUARD_H

#define MRS_REGEX_DEPTH_MAX 3
#define MRS_REGEX_SIZE_MAX 20000.0

/* The quantifier nesting depth of s (INT32_MAX past 64 nested groups); *size is
 * its positions once bounded repeats are copied out (capped at 1e12). */
int mrs_regex_shape(const char *s, double *size);

typedef enum mrs_regex_cost {
    MRS_REGEX_OK = 0,
    MRS_REGEX_TOO_DEEP,     /* quantifiers nested more than MRS_REGEX_DEPTH_MAX deep */
    MRS_REGEX_TOO_LARGE     /* over MRS_REGEX_SIZE_MAX positions once copied out */
} mrs_regex_cost;

/* Is s cheap enough to hand to regcomp? */
mrs_regex_cost mrs_regex_cost_of(const char *s);

#endif
