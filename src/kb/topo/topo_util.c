/*
 * topo_util.c — line and text helpers for src/kb/topo/ (see topo_internal.h).
 */
#include "topo_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- text helpers */

static int mem_next(void *ctx, const char **line, size_t *len)
{
    mrs_memlines *m = ctx;
    if (m->p >= m->end)
        return 0;
    const char *nl = memchr(m->p, '\n', (size_t)(m->end - m->p));
    const char *e = nl ? nl : m->end;
    size_t n = (size_t)(e - m->p);
    if (n && m->p[n - 1] == '\r')
        n--;
    *line = m->p;
    *len = n;
    m->p = nl ? nl + 1 : m->end;
    return 1;
}

void mrs_linesrc_mem(mrs_linesrc *src, mrs_memlines *m, const void *buf, size_t len)
{
    m->p = buf;
    m->end = m->p + (buf ? len : 0);
    src->next = mem_next;
    src->ctx = m;
}

void mrs_trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t' || **s == '\r')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
        (*n)--;
}

bool mrs_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    if (n == 0 || n > 20)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

size_t mrs_split(const char *s, size_t n, char sep, const char **f, size_t *fl, size_t maxf)
{
    size_t nf = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == sep) {
            if (nf < maxf) {
                f[nf] = s + start;
                fl[nf] = i - start;
            }
            nf++;
            start = i + 1;
        }
    }
    return nf;
}

const char *mrs_quote(char *dst, size_t cap, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (k + 5 >= cap) {   /* room for "\xNN" or "..." plus NUL */
            if (cap >= 4) {
                k = k > cap - 4 ? cap - 4 : k;
                dst[k++] = '.';
                dst[k++] = '.';
                dst[k++] = '.';
            }
            break;
        }
        if (ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '"') {
            dst[k++] = (char)ch;
        } else {
            dst[k++] = '\\';
            dst[k++] = 'x';
            dst[k++] = hex[ch >> 4];
            dst[k++] = hex[ch & 15];
        }
    }
    if (cap)
        dst[k < cap ? k : cap - 1] = '\0';
    return dst;
}

bool mrs_list_prefix(mrs_diag *d, const char *file, uint64_t line, const char *s, size_t n, mrs_prefix *out)
{
    char qb[MRS_QUOTE_MAX];
    if (!memchr(s, '/', n)) {
        mrs_diag_error_line(d, file, line, "missing prefix length in \"%s\"", mrs_quote(qb, sizeof qb, s, n));
        return false;
    }
    if (mrs_prefix_parse(s, n, out, true))
        return true;
    mrs_diag_error_line(d, file, line, "%s \"%s\"", mrs_prefix_parse(s, n, out, false) ? "host bits set in" : "bad prefix",
                        mrs_quote(qb, sizeof qb, s, n));
    return false;
}
