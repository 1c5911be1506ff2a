/*
 * diag.c — counting and printing of input errors (see diag.h).
 */
#include "manrs/diag.h"

#include <inttypes.h>
#include <stdarg.h>

void mrs_diag_init(mrs_diag *d, FILE *stream)
{
    d->stream = stream;
    d->errors = d->warnings = d->printed = 0;
    d->max_print = 0;
}

MRS_PRINTF(5, 0) static void diag_vprint(mrs_diag *d, const char *file, const char *where, const char *kind,
                        const char *fmt, va_list ap)
{
    if (!d->stream)
        return;
    if (d->max_print && d->printed >= d->max_print) {
        if (d->printed == d->max_print)
            fprintf(d->stream, "manrs: further messages suppressed (counted in the summary)\n");
        d->printed++;
        return;
    }
    d->printed++;
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
