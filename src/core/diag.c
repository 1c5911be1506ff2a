/*
 * diag.c — counting and printing of input errors (see diag.h).
 */
#include "manrs/core/diag.h"

#include <inttypes.h>
#include <stdarg.h>

void mrs_diag_init(mrs_diag *d, FILE *stream)
{
    d->stream = stream;
    d->errors = d->warnings = d->printed = 0;
    d->max_print = 0;
    d->sink = NULL;
    d->sink_ctx = NULL;
}

/* The printing half, shared by fresh and replayed messages. */
static int may_print(mrs_diag *d)
{
    if (!d->stream)
        return 0;
    if (d->max_print && d->printed >= d->max_print) {
        if (d->printed == d->max_print)
            fprintf(d->stream, "manrs: further messages suppressed (counted in the summary)\n");
        d->printed++;
        return 0;
    }
    d->printed++;
    return 1;
}

void mrs_diag_replay(mrs_diag *d, int is_error, const char *msg)
{
    if (is_error)
        d->errors++;
    else
        d->warnings++;
    if (d->sink)
        d->sink(d->sink_ctx, is_error, msg);
    else if (may_print(d))
        fprintf(d->stream, "%s\n", msg);
}

MRS_PRINTF(5, 0) static void diag_vprint(mrs_diag *d, const char *file, const char *where, const char *kind,
                        const char *fmt, va_list ap)
{
    if (d->sink) {
        char msg[1024];
        int k = snprintf(msg, sizeof msg, "%s:%s %s", file ? file : "-", where, kind);
        if (k >= 0 && (size_t)k < sizeof msg)
            vsnprintf(msg + k, sizeof msg - (size_t)k, fmt, ap);
        d->sink(d->sink_ctx, kind[0] == '\0', msg);
        return;
    }
    if (!may_print(d))
        return;
    fprintf(d->stream, "%s:%s %s", file ? file : "-", where, kind);
    vfprintf(d->stream, fmt, ap);
    fputc('\n', d->stream);
}

#define DIAG_BODY(counter, kind, wherefmt, whereval)                 \
    do {                                                             \
        char where[48];                                              \
        va_list ap;                                                  \
        d->counter++;                                                \
        snprintf(where, sizeof where, wherefmt, whereval);           \
        va_start(ap, fmt);                                           \
        diag_vprint(d, file, where, kind, fmt, ap);                  \
        va_end(ap);                                                  \
    } while (0)

void mrs_diag_error_at(mrs_diag *d, const char *file, uint64_t offset, const char *fmt, ...)
{
    DIAG_BODY(errors, "", " offset %" PRIu64 ":", offset);
}

void mrs_diag_error_line(mrs_diag *d, const char *file, uint64_t line, const char *fmt, ...)
{
    DIAG_BODY(errors, "", "%" PRIu64 ":", line);
}

void mrs_diag_warn_at(mrs_diag *d, const char *file, uint64_t offset, const char *fmt, ...)
{
    DIAG_BODY(warnings, "warning: ", " offset %" PRIu64 ":", offset);
}

void mrs_diag_warn_line(mrs_diag *d, const char *file, uint64_t line, const char *fmt, ...)
{
    DIAG_BODY(warnings, "warning: ", "%" PRIu64 ":", line);
}

void mrs_diag_error_file(mrs_diag *d, const char *file, const char *fmt, ...)
{
    DIAG_BODY(errors, "", "%s", "");
}
