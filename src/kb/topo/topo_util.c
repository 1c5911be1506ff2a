/*
 * topo_util.c — prefix index and line helpers for src/kb/topo/
 * (see topo_internal.h). Assumes the index is built once and then queried many
 * times: additions append, mrs_pfxidx_finish sorts, lookups are binary searches.
 */
#include "topo_internal.h"
#include "manrs/core/grow.h"
#include "manrs/core/search.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- prefix index */

void mrs_pfxidx_init(mrs_pfxidx *ix)
{
    memset(ix, 0, sizeof *ix);
    ix->finished = true;
}

void mrs_pfxidx_free(mrs_pfxidx *ix)
{
    free(ix->fam[0].v);
    free(ix->fam[1].v);
    mrs_pfxidx_init(ix);
}

static int fam_of(unsigned afi) { return afi == MRS_AFI_IPV6 ? 1 : 0; }

/* First and last address of the len-bit prefix at addr in a family of `bits` bits. */
static void prefix_range(const uint8_t addr[16], unsigned len, unsigned bits, mrs_u128 *start, mrs_u128 *end)
{
    mrs_u128 beyond = mrs_u128_ones_from(bits);
    mrs_u128 host = mrs_u128_ones_from(len) & ~beyond;   /* host bits of this family: len .. bits-1 */
    *start = mrs_u128_load(addr) & ~host & ~beyond;
    *end = *start | host;
}

void mrs_pfxidx_ent_addr(const mrs_pfxidx_ent *e, uint8_t out[16]) { mrs_u128_store(e->start, out); }

int mrs_pfxidx_add(mrs_pfxidx *ix, const mrs_prefix *p, uint32_t val)
{
    if ((p->afi != MRS_AFI_IPV4 && p->afi != MRS_AFI_IPV6) || p->len > mrs_afi_bits(p->afi))
        return -1;
    mrs_pfxidx_fam *F = &ix->fam[fam_of(p->afi)];
    if (F->n >= UINT32_MAX - 1)
        return -1;
    mrs_pfxidx_ent *nv = mrs_grow(F->v, &F->cap, F->n + 1, sizeof *nv, 64);
    if (!nv)
        return -1;
    F->v = nv;
    mrs_pfxidx_ent *e = &F->v[F->n++];
    prefix_range(p->addr, p->len, mrs_afi_bits(p->afi), &e->start, &e->end);
    e->val = val;
    e->len = p->len;
    e->parent = UINT32_MAX;
    ix->count++;
    ix->finished = false;
    return 0;
}

static int ent_cmp(const void *a, const void *b)
{
    const mrs_pfxidx_ent *x = a, *y = b;
    int c = mrs_u128_cmp(x->start, y->start);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return (x->val > y->val) - (x->val < y->val);
}

void mrs_pfxidx_finish(mrs_pfxidx *ix)
{
    for (int f = 0; f < 2; f++) {
        mrs_pfxidx_fam *F = &ix->fam[f];
        if (F->n > 1)
            qsort(F->v, F->n, sizeof *F->v, ent_cmp);
        /* Parents by a sweep with a stack of open (enclosing) entries. Prefixes nest
         * or are disjoint, so an entry starting inside the top of the stack lies
         * wholly inside it. The stack is threaded through the parent links. */
        uint32_t top = UINT32_MAX;
        for (size_t i = 0; i < F->n; i++) {
            mrs_pfxidx_ent *e = &F->v[i];
            while (top != UINT32_MAX && mrs_u128_cmp(F->v[top].end, e->start) < 0)
                top = F->v[top].parent;
            e->parent = top;
            top = (uint32_t)i;
        }
    }
    ix->finished = true;
}

/* First position whose start is > key (upper bound). */
static size_t upper_bound(const mrs_pfxidx_fam *F, mrs_u128 key)
{
    size_t lo;
    MRS_LOWER_BOUND(lo, F->n, i, F->v[i].start <= key);
    return lo;
}

/* First position whose start is >= key. */
static size_t lower_bound(const mrs_pfxidx_fam *F, mrs_u128 key)
{
    size_t lo;
    MRS_LOWER_BOUND(lo, F->n, i, F->v[i].start < key);
    return lo;
}

int mrs_pfxidx_covering(const mrs_pfxidx *ix, const mrs_prefix *p, mrs_pfxidx_cb cb, void *ctx)
{
    if ((p->afi != MRS_AFI_IPV4 && p->afi != MRS_AFI_IPV6) || p->len > mrs_afi_bits(p->afi))
        return 0;
    const mrs_pfxidx_fam *F = &ix->fam[fam_of(p->afi)];
    mrs_u128 s, e;
    prefix_range(p->addr, p->len, mrs_afi_bits(p->afi), &s, &e);
    size_t ub = upper_bound(F, s);
    if (ub == 0)
        return 0;
    /* The last entry starting at or before s; its chain of parents holds every
     * entry that contains s, deepest first. */
    uint32_t i = (uint32_t)(ub - 1);
    while (i != UINT32_MAX && mrs_u128_cmp(F->v[i].end, s) < 0)
        i = F->v[i].parent;
    while (i != UINT32_MAX && F->v[i].len > p->len)
        i = F->v[i].parent;
    for (; i != UINT32_MAX; i = F->v[i].parent) {
        int r = cb(ctx, &F->v[i], F->v[i].len);
        if (r)
            return r;
    }
    return 0;
}

int mrs_pfxidx_contained(const mrs_pfxidx *ix, const mrs_prefix *p, mrs_pfxidx_cb cb, void *ctx)
{
    if ((p->afi != MRS_AFI_IPV4 && p->afi != MRS_AFI_IPV6) || p->len > mrs_afi_bits(p->afi))
        return 0;
    const mrs_pfxidx_fam *F = &ix->fam[fam_of(p->afi)];
    mrs_u128 s, e;
    prefix_range(p->addr, p->len, mrs_afi_bits(p->afi), &s, &e);
    for (size_t k = lower_bound(F, s); k < F->n && mrs_u128_cmp(F->v[k].start, e) <= 0; k++) {
        if (F->v[k].len <= p->len)
            continue;   /* equal to or covering p (same start) */
        int r = cb(ctx, &F->v[k], F->v[k].len);
        if (r)
            return r;
    }
    return 0;
}

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
