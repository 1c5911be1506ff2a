/*
 * cli_time.c — option values: times (core/date.c reads them, for every command and
 * every file format alike) and bounded numbers.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "cli.h"

#include "manrs/core/date.h"

bool cli_parse_time(const char *s, uint32_t *out) { return mrs_time_parse(s, out); }

bool cli_parse_uint(const char *s, long lo, long hi, unsigned *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = (unsigned)v;
    return true;
}
