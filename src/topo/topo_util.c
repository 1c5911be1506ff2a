/*
 * topo_util.c — prefix index, string arena and line helpers for src/topo/
 * (see topo_internal.h). Assumes the index is built once and then queried many
 * times: additions append, mrs_pfxidx_finish sorts, lookups are binary searches.
 */
#include "topo_internal.h"

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
    for (int f = 0; f < 2; f++)
        for (int l = 0; l <= 128; l++)
            free(ix->lens[f][l].v);
    mrs_pfxidx_init(ix);
}

static int fam_of(unsigned afi) { return afi == MRS_AFI_IPV6 ? 1 : 0; }

/* Copy the first len bits of src into dst (16 bytes), zeroing the rest. */
static void mask_copy(uint8_t dst[16], const uint8_t src[16], unsigned len)
{
    unsigned full = len / 8, rem = len % 8;
    memset(dst, 0, 16);
    memcpy(dst, src, full);
    if (rem)
        dst[full] = (uint8_t)(src[full] & (0xffu << (8 - rem)));
}

int mrs_pfxidx_add(mrs_pfxidx *ix, const mrs_prefix *p, uint32_t val)
{
    int f = fam_of(p->afi);
    unsigned len = p->len;
    if (len > mrs_afi_bits(p->afi))
        return -1;
    mrs_pfxidx_len *L = &ix->lens[f][len];
    if (L->n == L->cap) {
        size_t nc = L->cap ? L->cap * 2 : 16;
        mrs_pfxidx_ent *nv = realloc(L->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        L->v = nv;
        L->cap = nc;
    }
    mask_copy(L->v[L->n].addr, p->addr, len);
    L->v[L->n].val = val;
    L->n++;
    ix->count++;
    ix->finished = false;
    return 0;
}

static int ent_cmp(const void *a, const void *b)
{
    const mrs_pfxidx_ent *x = a, *y = b;
    int c = memcmp(x->addr, y->addr, 16);
    if (c)
        return c;
    return (x->val > y->val) - (x->val < y->val);
}

void mrs_pfxidx_finish(mrs_pfxidx *ix)
{
    for (int f = 0; f < 2; f++) {
        ix->nused[f] = 0;
        for (int l = 128; l >= 0; l--) {
            mrs_pfxidx_len *L = &ix->lens[f][l];
            if (!L->n)
                continue;
            qsort(L->v, L->n, sizeof *L->v, ent_cmp);
            ix->used[f][ix->nused[f]++] = (uint8_t)l;
        }
    }
    ix->finished = true;
}

/* First position in L whose address is >= key. */
static size_t lower_bound(const mrs_pfxidx_len *L, const uint8_t key[16])
{
    size_t lo = 0, hi = L->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(L->v[mid].addr, key, 16) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int mrs_pfxidx_covering(const mrs_pfxidx *ix, const mrs_prefix *p, mrs_pfxidx_cb cb, void *ctx)
{
    int f = fam_of(p->afi);
    uint8_t key[16];
    for (unsigned i = 0; i < ix->nused[f]; i++) {
        unsigned l = ix->used[f][i];
        if (l > p->len)
            continue;
        const mrs_pfxidx_len *L = &ix->lens[f][l];
        mask_copy(key, p->addr, l);
        for (size_t k = lower_bound(L, key); k < L->n && memcmp(L->v[k].addr, key, 16) == 0; k++) {
            int r = cb(ctx, &L->v[k], l);
            if (r)
                return r;
        }
    }
    return 0;
}

/* Does the entry address start with the first plen bits of pa (masked)? */
static bool inside(const uint8_t e[16], const uint8_t pa[16], unsigned plen)
{
    unsigned full = plen / 8, rem = plen % 8;
    if (memcmp(e, pa, full) != 0)
        return false;
    if (rem) {
        uint8_t m = (uint8_t)(0xffu << (8 - rem));
        if ((e[full] & m) != (pa[full] & m))
            return false;
    }
    return true;
}

int mrs_pfxidx_contained(const mrs_pfxidx *ix, const mrs_prefix *p, mrs_pfxidx_cb cb, void *ctx)
{
    int f = fam_of(p->afi);
    uint8_t key[16];
    mask_copy(key, p->addr, p->len);
    for (unsigned i = ix->nused[f]; i-- > 0;) {   /* ascending lengths */
        unsigned l = ix->used[f][i];
        if (l <= p->len)
            continue;
        const mrs_pfxidx_len *L = &ix->lens[f][l];
        for (size_t k = lower_bound(L, key); k < L->n && inside(L->v[k].addr, key, p->len); k++) {
            int r = cb(ctx, &L->v[k], l);
            if (r)
                return r;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- string arena */

struct mrs_arena_blk {
    mrs_arena_blk *next;
    size_t used, cap;
    char data[];
};

void mrs_arena_init(mrs_arena *a) { a->head = NULL; }

void mrs_arena_free(mrs_arena *a)
{
    mrs_arena_blk *b = a->head;
    while (b) {
        mrs_arena_blk *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
}

const char *mrs_arena_strndup(mrs_arena *a, const char *s, size_t n)
{
    mrs_arena_blk *b = a->head;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > 65536 ? n + 1 : 65536;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    char *d = b->data + b->used;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    b->used += n + 1;
    return d;
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
