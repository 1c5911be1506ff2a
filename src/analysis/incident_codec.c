/*
 * incident_codec.c — incidents as bytes (incident.h mrs_incident_list_encode):
 * how the workers of a run split by prefix hand their findings to the reduce
 * (docs/scale.md), so that the reduce stores them through the same code as
 * `manrs observe`.
 *
 * Format, little-endian: "MRSI", u32 version (1), u64 count, then per incident:
 * u32 class, culprit, accomplice, start, end, leak type, peers, confidence,
 * reasons; the prefix (u8 family, u8 length, 16 address bytes); three ASN lists
 * (propagators, accomplices, victims), each u32 n + n u32; u32 evidence rows, each
 * u32 peer ASN, u16 peer family, 16-byte peer address, u32 time, u64 offset, the AS
 * path text, u32 path words (0xffffffff: none) + the words, the file name and the
 * note. A string is u32 length (0xffffffff: NULL) + the bytes, no NUL.
 */
#include "manrs/analysis/incident.h"
#include "manrs/core/grow.h"
#include "manrs/core/le.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE 0xffffffffu
#define MAX_LIST (1u << 24)   /* ASNs or evidence rows of one incident: far above any real one */

typedef struct wbuf {
    uint8_t *p;
    size_t n, cap;
    bool oom;
} wbuf;

static void put(wbuf *w, const void *src, size_t n)
{
    if (w->oom)
        return;
    uint8_t *t = mrs_grow(w->p, &w->cap, w->n + n, 1, 4096);
    if (!t) {
        w->oom = true;
        return;
    }
    w->p = t;
    memcpy(w->p + w->n, src, n);
    w->n += n;
}

static void put32(wbuf *w, uint32_t x)
{
    uint8_t b[4];
    mrs_le_put32(b, x);
    put(w, b, 4);
}

static void put64(wbuf *w, uint64_t x)
{
    uint8_t b[8];
    mrs_le_put64(b, x);
    put(w, b, 8);
}

static void put_str(wbuf *w, const char *s)
{
    if (!s) {
        put32(w, NONE);
        return;
    }
    size_t n = strlen(s);
    put32(w, (uint32_t)n);
    put(w, s, n);
}

static void put_asns(wbuf *w, const uint32_t *v, size_t n)
{
    put32(w, (uint32_t)n);
    for (size_t i = 0; i < n; i++)
        put32(w, v[i]);
}

int mrs_incident_list_encode(const mrs_incident_list *l, uint8_t **out, size_t *len)
{
    wbuf w = {0};
    put(&w, "MRSI", 4);
    put32(&w, 1);
    put64(&w, l->n);
    for (size_t i = 0; i < l->n; i++) {
        const mrs_incident *x = &l->v[i];
        uint32_t h[9] = {(uint32_t)x->cls, x->culprit,    x->accomplice,          x->start,  x->end,
                         x->leak_type,     x->peers,      (uint32_t)x->confidence, x->reasons};
        for (int k = 0; k < 9; k++)
            put32(&w, h[k]);
        put(&w, &x->prefix.afi, 1);
        put(&w, &x->prefix.len, 1);
        put(&w, x->prefix.addr, 16);
        put_asns(&w, x->propagators, x->n_propagators);
        put_asns(&w, x->accomplices, x->n_accomplices);
        put_asns(&w, x->victims, x->n_victims);
        put32(&w, (uint32_t)x->n_evidence);
        for (size_t k = 0; k < x->n_evidence; k++) {
            const mrs_evidence *e = &x->evidence[k];
            put32(&w, e->peer_asn);
            uint8_t afi[2];
            mrs_le_put16(afi, e->peer_afi);
            put(&w, afi, 2);
            put(&w, e->peer_ip, 16);
            put32(&w, e->time);
            put64(&w, e->offset);
            put_str(&w, e->as_path);
            if (!e->path_w)
                put32(&w, NONE);
            else
                put_asns(&w, e->path_w, e->path_n);
            put_str(&w, e->file);
            put_str(&w, e->note);
        }
    }
    if (w.oom) {
        free(w.p);
        return -1;
    }
    *out = w.p;
    *len = w.n;
    return 0;
}

typedef struct rbuf {
    const uint8_t *p;
    size_t n, off;
    char *err;
    size_t errlen;
    bool bad;
} rbuf;

static void fail(rbuf *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(rbuf *r, const char *fmt, ...)
{
    if (r->bad)
        return;
    r->bad = true;
    char m[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    snprintf(r->err, r->errlen, "%s at byte %zu", m, r->off);
}

static const uint8_t *take(rbuf *r, size_t n, const char *what)
{
    if (r->bad)
        return NULL;
    if (r->n - r->off < n) {
        fail(r, "%s: truncated", what);
        return NULL;
    }
    const uint8_t *p = r->p + r->off;
    r->off += n;
    return p;
}

static uint32_t get32(rbuf *r, const char *what)
{
    const uint8_t *b = take(r, 4, what);
    return b ? mrs_le_get32(b) : 0;
}

static uint64_t get64(rbuf *r, const char *what)
{
    uint64_t lo = get32(r, what);
    return lo | (uint64_t)get32(r, what) << 32;
}

/* a u32 count of items of `item` bytes, checked against the bytes left */
static uint32_t get_count(rbuf *r, size_t item, const char *what)
{
    uint32_t n = get32(r, what);
    if (!r->bad && (n > MAX_LIST || n > (r->n - r->off) / item)) {
        r->off -= 4;
        fail(r, "%s: %u items do not fit", what, n);
        return 0;
    }
    return n;
}

static char *get_str(rbuf *r, const char *what)
{
    uint32_t n = get32(r, what);
    if (r->bad || n == NONE)
        return NULL;
    const uint8_t *b = take(r, n, what);
    if (!b)
        return NULL;
    if (memchr(b, 0, n)) {
        fail(r, "%s: NUL inside", what);
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) {
        fail(r, "out of memory");
        return NULL;
    }
    memcpy(s, b, n);
    s[n] = 0;
    return s;
}

static uint32_t *get_asns(rbuf *r, size_t *n, const char *what)
{
    *n = get_count(r, 4, what);
    if (r->bad || !*n)
        return NULL;
    uint32_t *v = malloc(*n * sizeof *v);
    if (!v) {
        fail(r, "out of memory");
        *n = 0;
        return NULL;
    }
    for (size_t i = 0; i < *n; i++)
        v[i] = get32(r, what);
    return v;
}

static void get_incident(rbuf *r, mrs_incident *x)
{
    uint32_t h[9];
    for (int k = 0; k < 9; k++)
        h[k] = get32(r, "incident");
    if (r->bad)
        return;
    if (h[0] >= MRS_INC_NCLASSES || h[7] > MRS_CONF_LOW) {
        r->off -= 36;
        fail(r, "incident: class %u or confidence %u out of range", h[0], h[7]);
        return;
    }
    x->cls = (mrs_incident_class)h[0];
    x->culprit = h[1];
    x->accomplice = h[2];
    x->start = h[3];
    x->end = h[4];
    x->leak_type = h[5];
    x->peers = h[6];
    x->confidence = (mrs_confidence)h[7];
    x->reasons = h[8];
    const uint8_t *pf = take(r, 18, "prefix");
    if (!pf)
        return;
    x->prefix.afi = pf[0];
    x->prefix.len = pf[1];
    memcpy(x->prefix.addr, pf + 2, 16);
    if ((x->prefix.afi != MRS_AFI_IPV4 && x->prefix.afi != MRS_AFI_IPV6) ||
        x->prefix.len > mrs_afi_bits(x->prefix.afi)) {
        r->off -= 18;
        fail(r, "prefix: family %u length %u", pf[0], pf[1]);
        return;
    }
    x->propagators = get_asns(r, &x->n_propagators, "propagators");
    x->accomplices = get_asns(r, &x->n_accomplices, "accomplices");
    x->victims = get_asns(r, &x->n_victims, "victims");
    size_t ne = get_count(r, 46, "evidence");
    if (r->bad || !ne)
        return;
    if (!(x->evidence = calloc(ne, sizeof *x->evidence))) {
        fail(r, "out of memory");
        return;
    }
    for (size_t k = 0; k < ne && !r->bad; k++) {
        mrs_evidence *e = &x->evidence[k];
        x->n_evidence++;
        e->peer_asn = get32(r, "evidence");
        const uint8_t *b = take(r, 18, "evidence peer");
        if (!b)
            return;
        e->peer_afi = mrs_le_get16(b);
        memcpy(e->peer_ip, b + 2, 16);
        e->time = get32(r, "evidence");
        e->offset = get64(r, "evidence");
        e->as_path = get_str(r, "evidence AS path");
        uint32_t pn = get32(r, "evidence path");
        if (!r->bad && pn != NONE) {
            r->off -= 4;
            size_t n;
            e->path_w = get_asns(r, &n, "evidence path");
            e->path_n = (uint32_t)n;
            if (!e->path_w && !r->bad)
                e->path_w = calloc(1, sizeof *e->path_w);   /* an empty path, not "none" */
        }
        e->file = get_str(r, "evidence file");
        e->note = get_str(r, "evidence note");
    }
}

int mrs_incident_list_decode(const uint8_t *p, size_t len, mrs_incident_list *out, char *err, size_t errlen)
{
    rbuf r = {p, len, 0, err, errlen, false};
    const uint8_t *h = take(&r, 8, "header");
    if (!h || memcmp(h, "MRSI", 4) != 0 || h[4] != 1 || h[5] || h[6] || h[7]) {
        r.off = 0;
        r.bad = false;
        fail(&r, h ? "not an incident list of version 1 (MRSI 1)" : "not an incident list (too short)");
        return -1;
    }
    uint64_t n = get64(&r, "count");
    if (!r.bad && n > (len - r.off) / 52) {
        fail(&r, "count: %llu incidents do not fit", (unsigned long long)n);
        return -1;
    }
    for (uint64_t i = 0; i < n && !r.bad; i++) {
        mrs_incident *t = mrs_grow(out->v, &out->cap, out->n + 1, sizeof *t, 64);
        if (!t) {
            fail(&r, "out of memory");
            break;
        }
        out->v = t;
        mrs_incident *x = &out->v[out->n];
        memset(x, 0, sizeof *x);
        get_incident(&r, x);
        if (r.bad) {
            mrs_incident_clear(x);
            break;
        }
        out->n++;
    }
    if (!r.bad && r.off != len)
        fail(&r, "%zu bytes after the last incident", len - r.off);
    return r.bad ? -1 : 0;
}
