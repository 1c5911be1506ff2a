/*
 * diag.h — how manrs reports bad input.
 *
 * House rule: bad input gets a clear message naming the file and the byte offset
 * (binary formats) or the line (text formats), the damaged unit is skipped and
 * counted, the rest is still processed. All parsers report through one mrs_diag,
 * so a command can print a summary ("3 records skipped") and choose its exit status.
 *
 * Messages look like:   FILE: offset 1234: what          (binary input)
 *                       FILE:17: what                    (text input)
 */
#ifndef MANRS_DIAG_H
#define MANRS_DIAG_H

#include <stdint.h>
#include <stdio.h>

typedef struct mrs_diag {
    FILE *stream;          /* where messages are printed; NULL = count only */
    uint64_t errors;       /* input damaged: something was skipped */
    uint64_t warnings;     /* input odd but fully understood */
    uint64_t printed;      /* messages printed so far */
    uint64_t max_print;    /* stop printing (not counting) after this many; 0 = no limit */
    /* When set, every message (formatted, without its newline) is handed to sink
     * instead of being printed (max_print does not apply): a parser running on
     * another thread collects its messages so that the consumer can replay them
     * in input order with mrs_diag_replay. */
    void (*sink)(void *ctx, int is_error, const char *msg);
    void *sink_ctx;
} mrs_diag;

void mrs_diag_init(mrs_diag *d, FILE *stream);

#if defined(__GNUC__)
#define MRS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MRS_PRINTF(a, b)
#endif

/* Error at a byte offset of a binary file. */
void mrs_diag_error_at(mrs_diag *d, const char *file, uint64_t offset, const char *fmt, ...) MRS_PRINTF(4, 5);
/* Error at a line of a text file (line numbers start at 1). */
void mrs_diag_error_line(mrs_diag *d, const char *file, uint64_t line, const char *fmt, ...) MRS_PRINTF(4, 5);
/* Warning (counted separately), same two shapes. */
void mrs_diag_warn_at(mrs_diag *d, const char *file, uint64_t offset, const char *fmt, ...) MRS_PRINTF(4, 5);
void mrs_diag_warn_line(mrs_diag *d, const char *file, uint64_t line, const char *fmt, ...) MRS_PRINTF(4, 5);
/* Error about a whole file (cannot open, etc.). */
void mrs_diag_error_file(mrs_diag *d, const char *file, const char *fmt, ...) MRS_PRINTF(3, 4);
/* Count and print a message formatted earlier by a sink (see above). */
void mrs_diag_replay(mrs_diag *d, int is_error, const char *msg);

/* Untrusted text made safe for a terminal or a log: every control byte (C0, DEL),
 * C1 control (U+0080..U+009F) and byte that is not part of valid UTF-8 becomes
 * \xNN; valid UTF-8 is kept. All mrs_diag messages go through it (they echo input).
 * mrs_text_safe writes the escaped form of src[0..n) into dst (cap bytes, always
 * NUL-terminated when cap > 0, never cutting an escape or a character in half) and
 * returns the length the whole escaped text needs (as snprintf does). */
size_t mrs_text_safe(char *dst, size_t cap, const char *src, size_t n);
/* The same, printed to f. Returns EOF on a write error. */
int mrs_fputs_safe(const char *s, FILE *f);
/* Escape s in place when it needs it and fits (strings of a fixed buffer). */
void mrs_text_safe_inplace(char *s, size_t cap);

#endif
