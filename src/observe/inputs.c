/*
 * inputs.c — the observatory's own small inputs: PeeringDB network records (for
 * M8 contacts) and Spoofer-style CSV test results (for M5). Hostile input is
 * expected: every bad record is reported `FILE: record N: what` (JSON) or
 * `FILE:LINE: what` (CSV) through mrs_diag, skipped and counted; the rest loads.
 * Files go through mrs_reader (any compression).
 */
#include "manrs/irr.h"
#include "manrs/metrics.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/io.h"

#define MAX_INPUT ((size_t)1 << 31)

static int slurp(const char *path, mrs_diag *d, char **buf, size_t *len)
{
    char err[256];
    mrs_reader *r = mrs_reader_open(path, err, sizeof err);
    if (!r) {
        mrs_diag_error_file(d, path, "%s", err);
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    for (;;) {
        if (!b)
            break;
        if (n + 65536 > cap) {
            if (cap >= MAX_INPUT) {
                mrs_diag_error_file(d, path, "larger than 2 GiB");
                free(b);
                b = NULL;
                break;
            }
            char *t = realloc(b, cap * 2);
            if (!t) {
                free(b);
                b = NULL;
                break;
            }
            b = t;
            cap *= 2;
        }
        size_t got = mrs_read(r, b + n, 65536);
        if (got == 0)
            break;
        n += got;
    }
    int bad = mrs_reader_error(r);
    if (bad && b)
        mrs_diag_error_file(d, path, "%s", mrs_reader_errmsg(r));
    mrs_reader_close(r);
    if (!b || bad) {
        free(b);
        return -1;
    }
    *buf = b;
    *len = n;
    return 0;
}

/* ------------------------------------------------------------- PeeringDB */

/* An ISO 8601 timestamp string ("2022-07-27T05:33:20Z") as days since 1970-01-01, 0 if absent/bad. */
static uint32_t json_date_days(const json_t *v)
{
    if (!json_is_string(v))
        return 0;
    return irr_modified_days(json_string_value(v), json_string_length(v));
}

static int pdb_push(mrs_peeringdb *p, uint32_t asn, bool poc, uint32_t poc_updated)
{
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 256;
        mrs_pdb_net *t = realloc(p->v, nc * sizeof *t);
        if (!t)
            return -1;
        p->v = t;
        p->cap = nc;
    }
    p->v[p->n++] = (mrs_pdb_net){asn, poc, poc_updated};
    return 0;
}

int mrs_peeringdb_load_mem(mrs_peeringdb *p, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    json_error_t je;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        mrs_diag_error_line(d, name, (uint64_t)(je.line > 0 ? je.line : 1), "JSON: %s", je.text);
        return -1;
    }
    json_t *data = json_is_object(root) ? json_object_get(root, "data") : NULL;
    if (!json_is_array(data)) {
        mrs_diag_error_file(d, name, "no \"data\" array (PeeringDB API /net shape expected)");
        json_decref(root);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < json_array_size(data); i++) {
        json_t *o = json_array_get(data, i);
        json_t *a = json_is_object(o) ? json_object_get(o, "asn") : NULL;
        if (!json_is_integer(a) || json_integer_value(a) <= 0 || json_integer_value(a) > (json_int_t)UINT32_MAX) {
            mrs_diag_error_file(d, name, "data record %zu: no valid \"asn\", skipped", i + 1);
            continue;
        }
        bool poc = false;
        uint32_t poc_day = 0, net_poc_day = json_date_days(json_object_get(o, "poc_updated"));
        uint32_t upd = json_date_days(json_object_get(o, "updated"));
        if (upd > p->newest)
            p->newest = upd;
        if (net_poc_day > p->newest)
            p->newest = net_poc_day;
        json_t *ps = json_object_get(o, "poc_set");
        if (ps && !json_is_array(ps))
            mrs_diag_warn_at(d, name, i + 1, "record %zu: \"poc_set\" is not an array", i + 1);
        for (size_t k = 0; json_is_array(ps) && k < json_array_size(ps); k++) {
            json_t *e = json_object_get(json_array_get(ps, k), "email");
            json_t *st = json_object_get(json_array_get(ps, k), "status");
            if (json_is_string(e) && strchr(json_string_value(e), '@') &&
                (!json_is_string(st) || strcmp(json_string_value(st), "deleted") != 0)) {
                poc = true;
                uint32_t pd = json_date_days(json_object_get(json_array_get(ps, k), "updated"));
                if (pd > poc_day)
                    poc_day = pd;
            }
        }
        if (pdb_push(p, (uint32_t)json_integer_value(a), poc, poc_day ? poc_day : net_poc_day) != 0) {
            rc = -1;
            break;
        }
    }
    json_decref(root);
    return rc;
}

int mrs_peeringdb_load_file(mrs_peeringdb *p, const char *path, mrs_diag *d)
{
    char *b;
    size_t n;
    if (slurp(path, d, &b, &n) != 0)
        return -1;
    int rc = mrs_peeringdb_load_mem(p, b, n, path, d);
    free(b);
    return rc;
}

static int cmp_pdb(const void *a, const void *b)
{
    uint32_t x = ((const mrs_pdb_net *)a)->asn, y = ((const mrs_pdb_net *)b)->asn;
    return x < y ? -1 : x > y;
}

void mrs_peeringdb_finish(mrs_peeringdb *p)
{
    if (!p->n)
        return;
    qsort(p->v, p->n, sizeof *p->v, cmp_pdb);
    size_t m = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (m && p->v[m - 1].asn == p->v[i].asn) {
            p->v[m - 1].poc_email |= p->v[i].poc_email;
            if (p->v[i].poc_updated > p->v[m - 1].poc_updated)
                p->v[m - 1].poc_updated = p->v[i].poc_updated;
        } else
            p->v[m++] = p->v[i];
    }
    p->n = m;
}

const mrs_pdb_net *mrs_peeringdb_find(const mrs_peeringdb *p, uint32_t asn)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (p->v[mid].asn < asn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->n && p->v[lo].asn == asn ? &p->v[lo] : NULL;
}

void mrs_peeringdb_free(mrs_peeringdb *p)
{
    free(p->v);
    memset(p, 0, sizeof *p);
}

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
        if (s->n == s->cap) {
            size_t nc = s->cap ? s->cap * 2 : 256;
            mrs_spoof_test *tv = realloc(s->v, nc * sizeof *tv);
            if (!tv)
                return -1;
            s->v = tv;
            s->cap = nc;
        }
        s->v[s->n++] = t;
    }
    if (!header) {
        mrs_diag_error_file(d, name, "empty: no header line");
        return -1;
    }
    return 0;
}

int mrs_spoofer_load_file(mrs_spoofer *s, const char *path, mrs_diag *d)
{
    char *b;
    size_t n;
    if (slurp(path, d, &b, &n) != 0)
        return -1;
    int rc = mrs_spoofer_load_mem(s, b, n, path, d);
    free(b);
    return rc;
}

void mrs_spoofer_free(mrs_spoofer *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}
