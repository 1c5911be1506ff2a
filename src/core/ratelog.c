/*
 * ratelog.c — rate-limited log lines (see ratelog.h).
 */
#include "manrs/core/ratelog.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void mrs_ratelog_init(mrs_ratelog *r, const char *prefix, unsigned lines, unsigned interval_ms)
{
    r->prefix = prefix;
    r->lines = lines;
    r->interval_ms = interval_ms;
    r->window = mono_ms();
    r->printed = 0;
    r->suppressed = 0;
}

void mrs_ratelog_roll(mrs_ratelog *r, bool force)
{
    uint64_t now = mono_ms();
    if (!force && now - r->window < r->interval_ms)
        return;
    if (r->suppressed)
        fprintf(stderr, "%s: %llu log messages suppressed in the last %u s\n", r->prefix,
                (unsigned long long)r->suppressed, r->interval_ms / 1000u);
    r->window = now;
    r->printed = 0;
    r->suppressed = 0;
}

void mrs_ratelog_v(mrs_ratelog *r, const char *fmt, va_list ap)
{
    mrs_ratelog_roll(r, false);
    if (r->printed >= r->lines) {
        r->suppressed++;
        return;
    }
    r->printed++;
    fprintf(stderr, "%s: ", r->prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void mrs_ratelog_line(mrs_ratelog *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mrs_ratelog_v(r, fmt, ap);
    va_end(ap);
}
