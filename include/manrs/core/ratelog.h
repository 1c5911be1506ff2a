/*
 * ratelog.h — rate-limited log lines on stderr for the servers (whoisd, rtrd, ...):
 * a hostile client must not be able to fill the disk with the server's messages.
 * At most `lines` lines per `interval_ms`; beyond that lines are counted, and the
 * next window starts with one line saying how many were suppressed.
 */
#ifndef MANRS_RATELOG_H
#define MANRS_RATELOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "manrs/core/diag.h"

typedef struct mrs_ratelog {
    const char *prefix;         /* "manrs whoisd" */
    unsigned lines, interval_ms;
    uint64_t window;            /* ms, monotonic: start of the current window */
    unsigned printed;
    uint64_t suppressed;
} mrs_ratelog;

void mrs_ratelog_init(mrs_ratelog *r, const char *prefix, unsigned lines, unsigned interval_ms);
/* Log one line (prefix ": " message "\n"), unless over the limit. */
void mrs_ratelog_line(mrs_ratelog *r, const char *fmt, ...) MRS_PRINTF(2, 3);
void mrs_ratelog_v(mrs_ratelog *r, const char *fmt, va_list ap) MRS_PRINTF(2, 0);
/* Start a new window when the current one is over (call from a timer, and once
 * at the end with force set: the suppressed count is printed). */
void mrs_ratelog_roll(mrs_ratelog *r, bool force);

#endif
