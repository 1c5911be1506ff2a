/*
 * spoofer.c — Spoofer-style CSV (session,timestamp,asn,client_prefix,country,nat,
 * spoof_private,spoof_routed) into the test list of spoofer.h.
 */
#include "manrs/kb/spoofer.h"

#include <stdlib.h>
#include <string.h>

#include "manrs/core/grow.h"
#include "manrs/core/io.h"

#define MAX_INPUT ((size_t)1 << 31)   /* 2 GiB */

/* ------------------------------------------------------------- Spoofer CSV */

enum { SC_TIME, SC_ASN, SC_PREFIX, SC_PRIV, SC_ROUTED, SC_N };

static bool parse_u32(const char *s, size_t n, uint32_t *out)
{
    if (n == 0 || n > 10)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

static bool outcome(const char *s, size_t n, bool *received)
{
    if (n == 8 && memcmp(s, "received", 8) == 0)
        *received = true;
    else if ((n == 7 && memcmp(s, "blocked", 7) == 0) || (n == 9 && memcmp(s, "rewritten", 9) == 0) || n == 0)
        *received = false;
    else
        return false;
    return true;
}

int mrs_spoofer_load_mem(mrs_spoofer *s, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    static const char *const cols[SC_N] = {"timestamp", "asn", "client_prefix", "spoof_private", "spoof_routed"};
    int idx[SC_N];
    const char *p = buf, *end = p + len;
    uint64_t line = 0;
    bool header = false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line++;
        const char *f[32];
        size_t fl[32];
        size_t nf = 0;
        const char *q = p;
        size_t ll = (size_t)(le - p);
        if (ll && p[ll - 1] == '\r')
            ll--;
        const char *lend = p + ll;
        while (nf < 32) {
            const char *c = memchr(q, ',', (size_t)(lend - q));
            const char *fe = c ? c : lend;
            f[nf] = q;
            fl[nf++] = (size_t)(fe - q);
            if (!c)
                break;
            q = c + 1;
        }
        p = nl ? nl + 1 : end;
        if (ll == 0)
            continue;
        if (memchr(f[0], '\0', ll)) {
            mrs_diag_error_line(d, name, line, "NUL byte in line, skipped");
            continue;
        }
        if (!header) {
            for (int c = 0; c < SC_N; c++) {
                idx[c] = -1;
                for (size_t k = 0; k < nf; k++)
                    if (fl[k] == strlen(cols[c]) && memcmp(f[k], cols[c], fl[k]) == 0)
                        idx[c] = (int)k;
                if (idx[c] < 0) {
                    mrs_diag_error_line(d, name, line, "header has no \"%s\" column", cols[c]);
                    return -1;
                }
            }
            header = true;
            continue;
        }
        mrs_spoof_test t;
        memset(&t, 0, sizeof t);
        bool priv = false, routed = false;
        const char *why = NULL;
        for (int c = 0; c < SC_N && !why; c++)
            if ((size_t)idx[c] >= nf)
                why = "too few columns";
        if (!why && !parse_u32(f[idx[SC_TIME]], fl[idx[SC_TIME]], &t.time))
            why = "bad timestamp";
        if (!why && (!parse_u32(f[idx[SC_ASN]], fl[idx[SC_ASN]], &t.asn) || t.asn == 0))
            why = "bad asn";
        if (!why && !mrs_prefix_parse(f[idx[SC_PREFIX]], fl[idx[SC_PREFIX]], &t.client, false))
            why = "bad client_prefix";
        if (!why && !outcome(f[idx[SC_PRIV]], fl[idx[SC_PRIV]], &priv))
            why = "bad spoof_private (received/blocked/rewritten)";
        if (!why && !outcome(f[idx[SC_ROUTED]], fl[idx[SC_ROUTED]], &routed))
            why = "bad spoof_routed (received/blocked/rewritten)";
        if (why) {
            mrs_diag_error_line(d, name, line, "%s, line skipped", why);
            continue;
        }
        t.leaked = priv || routed;
        mrs_spoof_test *tv = mrs_grow(s->v, &s->cap, s->n + 1, sizeof *tv, 256);
        if (!tv)
            return -1;
        s->v = tv;
        s->v[s->n++] = t;
    }
    if (!header) {
        mrs_diag_error_file(d, name, "empty: no header line");
        return -1;
    }
    return 0;
}

/* mrs_text_sniff: the first line is the header; it must name the columns read
 * (checked in full by the loader), so that wrong text is rejected before the
 * whole file is read. */
static const char *spoofer_sniff(const char *p, size_t n)
{
    const char *nl = memchr(p, '\n', n);
    size_t len = nl ? (size_t)(nl - p) : n;
    if (!nl && n < 4096)
        return NULL;   /* the first line goes on past what was looked at */
    static const char *const need[] = {"asn", "client_prefix", "spoof_private", "spoof_routed"};
    for (size_t i = 0; i < sizeof need / sizeof *need; i++) {
        size_t k = strlen(need[i]);
        bool found = false;
        for (size_t j = 0; j + k <= len && !found; j++)
            found = memcmp(p + j, need[i], k) == 0;
        if (!found)
            return "expected a CSV header line naming timestamp, asn, client_prefix, spoof_private, spoof_routed";
    }
    return NULL;
}

int mrs_spoofer_load_file(mrs_spoofer *s, const char *path, mrs_diag *d)
{
    char *b;
    size_t n;
    if (mrs_read_whole_text(path, MAX_INPUT, "Spoofer CSV", spoofer_sniff, d, &b, &n) != 0)
        return -1;
    int rc = mrs_spoofer_load_mem(s, b, n, path, d);
    free(b);
    return rc;
}

void mrs_spoofer_clear(mrs_spoofer *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}
