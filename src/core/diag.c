/*
 * diag.c — counting and printing of input errors (see diag.h).
 */
#include "manrs/core/diag.h"
#include "manrs/core/utf8.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid, printable UTF-8 character at s[0..n), 0 if s[0] must be
 * escaped: C0 controls, DEL, malformed UTF-8, and the C1 controls U+0080..U+009F. */
static size_t safe_char(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x20 || c == 0x7f)
        return 0;
    if (c < 0x80)
        return 1;
    size_t len = mrs_utf8_len(s, n);
    return len == 2 && c == 0xc2 && s[1] <= 0x9f ? 0 : len;
}

size_t mrs_text_safe(char *dst, size_t cap, const char *src, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)src;
    size_t need = 0, o = 0;
    bool room = cap > 0;
    for (size_t i = 0; i < n;) {
        size_t k = safe_char(s + i, n - i);
        char esc[4];
        const char *piece = (const char *)s + i;
        size_t plen = k;
        if (!k) {
            esc[0] = '\\', esc[1] = 'x', esc[2] = hex[s[i] >> 4], esc[3] = hex[s[i] & 15];
            piece = esc, plen = 4, k = 1;
        }
        if (room && o + plen < cap) {
            memcpy(dst + o, piece, plen);
            o += plen;
        } else {
            room = false;
        }
        need += plen;
        i += k;
    }
    if (cap)
        dst[o] = '\0';
    return need;
}

int mrs_fputs_safe(const char *s, FILE *f)
{
    size_t n = strlen(s);
    char small[1024];
    char *buf = small;
    size_t need = mrs_text_safe(small, sizeof small, s, n);
    if (need >= sizeof small) {
        if (!(buf = malloc(need + 1)))
            return EOF; /* errno: ENOMEM */
        mrs_text_safe(buf, need + 1, s, n);
    }
    int rc = fputs(buf, f);
    if (buf != small)
        free(buf);
    return rc;
}

void mrs_text_safe_inplace(char *s, size_t cap)
{
    size_t n = strlen(s);
    char tmp[1024];
    if (cap > sizeof tmp)
        cap = sizeof tmp;
    size_t need = mrs_text_safe(tmp, cap, s, n);
    if (need != n || memcmp(tmp, s, n))
        memcpy(s, tmp, strlen(tmp) + 1);
}

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
    else if (may_print(d)) {
        mrs_fputs_safe(msg, d->stream);
        fputc('\n', d->stream);
    }
}

MRS_PRINTF(5, 0) static void diag_vprint(mrs_diag *d, const char *file, const char *where, const char *kind,
                        const char *fmt, va_list ap)
{
    if (!d->sink && !may_print(d))
        return;
    /* The message is formatted whole, then escaped: file names and echoed input
     * may carry terminal escapes or invalid UTF-8. */
    char msg[1024];
    int k = snprintf(msg, sizeof msg, "%s:%s %s", file ? file : "-", where, kind);
    if (k >= 0 && (size_t)k < sizeof msg)
        vsnprintf(msg + k, sizeof msg - (size_t)k, fmt, ap);
    if (d->sink) {
        char safe[1024];
        mrs_text_safe(safe, sizeof safe, msg, strlen(msg));
        d->sink(d->sink_ctx, kind[0] == '\0', safe);
        return;
    }
    mrs_fputs_safe(msg, d->stream);
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
