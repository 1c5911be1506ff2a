/*
 * regex_guard.c — the cost of a regular expression before regcomp (regex_guard.h).
 * Moved here from the monitor's path rules, unchanged, for every command that
 * compiles a user's pattern.
 */
#include "manrs/core/regex_guard.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Walk the pattern once: per group, the deepest quantifier inside it and its
 * positions so far; a group closed is one atom as deep and as large as what it
 * holds, and a quantifier applies to the atom before it. */
int mrs_regex_shape(const char *s, double *size)
{
    struct {
        int deep;               /* deepest quantifier inside the group */
        double w;               /* its positions so far */
    } fr[64];
    int nf = 0, cur = 0, last = 0, worst = 0;
    double w = 0, lastw = 0;
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        if (c == '\\' || c == '[' || c == '.' || (c != '(' && c != ')' && c != '*' && c != '+' && c != '?' &&
                                                     c != '{' && c != '|')) {
            if (c == '\\' && s[i + 1])
                i++;
            else if (c == '[') {   /* a bracket expression: one position */
                size_t j = i + 1;
                if (s[j] == '^')
                    j++;
                if (s[j] == ']')
                    j++;
                while (s[j] && s[j] != ']') {
                    const char *e = s[j] == '[' && s[j + 1] && strchr(":.=", s[j + 1]) ? strchr(s + j + 2, ']') : NULL;
                    j = e ? (size_t)(e - s) + 1 : j + 1;
                }
                i = s[j] ? j : j - 1;
            }
            last = 0;
            lastw = 1;
            w += 1;
        } else if (c == '(') {
            if (nf == 64)
                return INT32_MAX;
            fr[nf].deep = cur;
            fr[nf++].w = w;
            cur = 0;
            w = 0;
            last = 0;
            lastw = 0;
        } else if (c == ')' && nf) {
            last = cur;   /* the group as an atom: as deep and as large as what it holds */
            lastw = w;
            nf--;
            cur = fr[nf].deep > cur ? fr[nf].deep : cur;
            w += fr[nf].w;
        } else if (c == '*' || c == '+' || c == '?' || c == '{') {
            double copies = 2;
            if (c == '{') {
                unsigned long a = strtoul(s + i + 1, NULL, 10), b = a;
                const char *comma = strchr(s + i, ','), *end = strchr(s + i, '}');
                if (comma && end && comma < end)
                    b = comma + 1 < end ? strtoul(comma + 1, NULL, 10) : a;
                copies = (double)(a > b ? a : b) + 1;
                i = end ? (size_t)(end - s) : strlen(s) - 1;
            }
            w += lastw * (copies - 1);
            lastw *= copies;
            last++;   /* applied to the atom before, however deep it already is */
            cur = last > cur ? last : cur;
            worst = last > worst ? last : worst;
        } else {   /* '|', or a ')' without its '(' (regcomp says so) */
            last = 0;
            lastw = 0;
        }
        if (w > 1e12)
            w = 1e12;
        if (lastw > 1e12)
            lastw = 1e12;
    }
    for (; nf > 0; nf--)
        w += fr[nf - 1].w;
    *size = w;
    return worst;
}

mrs_regex_cost mrs_regex_cost_of(const char *s)
{
    double size = 0;
    int depth = mrs_regex_shape(s, &size);
    if (depth > MRS_REGEX_DEPTH_MAX)
        return MRS_REGEX_TOO_DEEP;
    return size > MRS_REGEX_SIZE_MAX ? MRS_REGEX_TOO_LARGE : MRS_REGEX_OK;
}
