/*
 * asrel.c — CAIDA AS relationships, customer cones, valley-free check (asrel.h).
 *
 * Data layout:
 *  - pairs: open-addressing hash (linear probing, load <= 1/2) keyed by
 *    (min(a,b) << 32 | max(a,b)), value = relationship seen from min(a,b). Keys and
 *    values live in two flat arrays; UINT64_MAX marks an empty slot (it would be the
 *    self link 4294967295|4294967295, which is rejected).
 *  - no list of links beside the pair hash: the CSR is built by walking the hash
 *    (each segment is sorted afterwards, so the walk order does not matter), which
 *    keeps one copy of the relationships in memory instead of two.
 *  - nodes: sorted ASN array; ASN -> dense index through a second hash.
 *  - CSR: for node i, nbr[off[4i] .. off[4i+4]) holds providers, customers, peers,
 *    siblings (each segment sorted by ASN).
 *  - cones: Tarjan SCC over provider->customer edges (iterative), processed in the
 *    order Tarjan emits components (every component after all those it reaches),
 *    cone(C) = members(C) + cones of the child components, deduplicated with a stamp
 *    array; stored per component as sorted ASNs.
 * Assumes at most 2^32-2 ASes and links (checked).
 */
#include "manrs/kb/asrel.h"
#include "manrs/core/date.h"
#include "manrs/core/grow.h"
#include "manrs/core/map64.h"
#include "manrs/core/search.h"

#include <stdlib.h>
#include <string.h>

#include "topo_internal.h"

struct mrs_asrel {
    mrs_map64 pairs;        /* (min ASN << 32 | max ASN) -> relationship from min's view */
    size_t nlinks;
    size_t np2c, np2p, ns2s;
    /* header info */
    uint32_t *clique, *ixps;
    uint64_t records;           /* link lines read, duplicates included */
    size_t nclique, nixps;
    int64_t date_lo, date_hi;   /* inference period (mrs_asrel_period), 0 = unknown */
    int64_t name_date;          /* the file name's date, 0 = none */
    bool name_checked;
    /* nodes and CSR (valid when !dirty) */
    bool dirty;
    uint32_t *asn;          /* sorted */
    size_t nnodes;
    mrs_map64 nodes;        /* ASN -> dense index */
    uint32_t *off;          /* 4*nnodes+1 */
    uint32_t *nbr;
    /* cones (valid when cones_ok) */
    bool cones_ok;
    uint32_t *node_comp;
    uint64_t *cone_off;     /* ncomp+1 */
    uint32_t *cone_mem;
    size_t ncomp;
};

static const char *const rel_names[] = {"none", "p2c", "c2p", "p2p", "s2s"};

const char *mrs_rel_name(mrs_rel r) { return (unsigned)r <= MRS_REL_S2S ? rel_names[r] : "?"; }

static mrs_rel rel_invert(mrs_rel r)
{
    return r == MRS_REL_P2C ? MRS_REL_C2P : r == MRS_REL_C2P ? MRS_REL_P2C : r;
}

mrs_asrel *mrs_asrel_new(void)
{
    mrs_asrel *r = calloc(1, sizeof *r);
    if (r && mrs_map64_init(&r->pairs) != 0) {
        free(r);
        return NULL;
    }
    return r;
}

static void free_derived(mrs_asrel *r)
{
    free(r->asn);
    mrs_map64_clear(&r->nodes);
    free(r->off);
    free(r->nbr);
    free(r->node_comp);
    free(r->cone_off);
    free(r->cone_mem);
    r->asn = r->off = r->nbr = r->node_comp = r->cone_mem = NULL;
    r->cone_off = NULL;
    r->nnodes = r->ncomp = 0;
    r->cones_ok = false;
}

void mrs_asrel_free(mrs_asrel *r)
{
    if (!r)
        return;
    mrs_map64_clear(&r->pairs);
    free(r->clique);
    free(r->ixps);
    free_derived(r);
    free(r);
}

size_t mrs_asrel_link_count(const mrs_asrel *r) { return r->nlinks; }
uint64_t mrs_asrel_record_count(const mrs_asrel *r) { return r->records; }
size_t mrs_asrel_p2c_count(const mrs_asrel *r) { return r->np2c; }
size_t mrs_asrel_p2p_count(const mrs_asrel *r) { return r->np2p; }
size_t mrs_asrel_s2s_count(const mrs_asrel *r) { return r->ns2s; }
size_t mrs_asrel_as_count(const mrs_asrel *r) { return r->dirty ? 0 : r->nnodes; }

size_t mrs_asrel_ases(const mrs_asrel *r, const uint32_t **out)
{
    *out = r->dirty ? NULL : r->asn;
    return r->dirty ? 0 : r->nnodes;
}

bool mrs_asrel_period(const mrs_asrel *r, int64_t *first, int64_t *last)
{
    if (r->date_lo) {
        *first = r->date_lo;
        *last = r->date_hi;
        return true;
    }
    *first = *last = r->name_date;
    return r->name_date != 0;
}

const uint32_t *mrs_asrel_clique(const mrs_asrel *r, size_t *n)
{
    *n = r->nclique;
    return r->clique;
}

const uint32_t *mrs_asrel_ixps(const mrs_asrel *r, size_t *n)
{
    *n = r->nixps;
    return r->ixps;
}

/* ---------------------------------------------------------------- pair hash */

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    return a < b ? ((uint64_t)a << 32) | b : ((uint64_t)b << 32) | a;
}

mrs_rel mrs_asrel_rel(const mrs_asrel *r, uint32_t a, uint32_t b)
{
    if (a == b)
        return MRS_REL_NONE;
    const uint32_t *slot = mrs_map64_get(&r->pairs, pair_key(a, b));
    if (!slot)
        return MRS_REL_NONE;
    mrs_rel v = (mrs_rel)*slot;
    return a < b ? v : rel_invert(v);
}

int mrs_asrel_add(mrs_asrel *r, uint32_t a, uint32_t b, mrs_rel rel)
{
    if (a == b || rel < MRS_REL_P2C || rel > MRS_REL_S2S)
        return -1;
    uint64_t key = pair_key(a, b);
    mrs_rel from_min = a < b ? rel : rel_invert(rel);
    const uint32_t *known = mrs_map64_get(&r->pairs, key);
    if (known)
        return *known == (uint32_t)from_min ? 1 : -1;
    if (r->nlinks >= UINT32_MAX - 1)
        return -1;
    bool found;
    uint32_t *slot = mrs_map64_put(&r->pairs, key, &found);
    if (!slot)
        return -1;
    *slot = (uint32_t)from_min;
    r->nlinks++;
    if (rel == MRS_REL_P2C || rel == MRS_REL_C2P)
        r->np2c++;
    else if (rel == MRS_REL_P2P)
        r->np2p++;
    else
        r->ns2s++;
    r->dirty = true;
    r->cones_ok = false;
    return 0;
}

/* ---------------------------------------------------------------- nodes and CSR */

/* Dense index of asn, or UINT32_MAX. */
static uint32_t node_index(const mrs_asrel *r, uint32_t asn)
{
    if (r->dirty)
        return UINT32_MAX;
    const uint32_t *i = mrs_map64_get(&r->nodes, asn);
    return i ? *i : UINT32_MAX;
}

static unsigned seg_of(mrs_rel rel_from_node)
{
    /* node's view: C2P -> the other is its provider (segment 0), P2C -> customer (1) */
    switch (rel_from_node) {
    case MRS_REL_C2P: return 0;
    case MRS_REL_P2C: return 1;
    case MRS_REL_P2P: return 2;
    default: return 3;
    }
}

int mrs_asrel_finish(mrs_asrel *r)
{
    free_derived(r);
    size_t n2 = r->nlinks * 2;
    uint32_t *all = malloc((n2 ? n2 : 1) * sizeof *all);
    if (!all)
        return -1;
    size_t k2 = 0;
    for (size_t s = 0; s < r->pairs.cap; s++)
        if (r->pairs.key[s] != MRS_MAP64_FREE) {
            all[k2++] = (uint32_t)(r->pairs.key[s] >> 32);
            all[k2++] = (uint32_t)r->pairs.key[s];
        }
    qsort(all, n2, sizeof *all, mrs_cmp_u32);
    size_t nn = 0;
    for (size_t i = 0; i < n2; i++)
        if (nn == 0 || all[i] != all[nn - 1])
            all[nn++] = all[i];
    r->asn = all;
    r->nnodes = nn;
    int nodes_ok = mrs_map64_init(&r->nodes);
    r->off = calloc(4 * nn + 1, sizeof *r->off);
    r->nbr = malloc((n2 ? n2 : 1) * sizeof *r->nbr);
    uint32_t *fill = calloc(4 * nn + 1, sizeof *fill);
    if (nodes_ok != 0 || !r->off || !r->nbr || !fill) {
        free(fill);
        free_derived(r);
        return -1;
    }
    for (size_t i = 0; i < nn; i++) {
        bool found;
        uint32_t *slot = mrs_map64_put(&r->nodes, all[i], &found);
        if (!slot) {
            free(fill);
            free_derived(r);
            return -1;
        }
        *slot = (uint32_t)i;
    }
    r->dirty = false;   /* node_index works from here on */
    for (size_t s = 0; s < r->pairs.cap; s++)
        if (r->pairs.key[s] != MRS_MAP64_FREE) {
            uint32_t ia = node_index(r, (uint32_t)(r->pairs.key[s] >> 32));
            uint32_t ib = node_index(r, (uint32_t)r->pairs.key[s]);
            mrs_rel rel = (mrs_rel)r->pairs.val[s];
            r->off[4 * ia + seg_of(rel) + 1]++;
            r->off[4 * ib + seg_of(rel_invert(rel)) + 1]++;
        }
    for (size_t k = 1; k <= 4 * nn; k++)
        r->off[k] += r->off[k - 1];
    memcpy(fill, r->off, (4 * nn + 1) * sizeof *fill);
    for (size_t s = 0; s < r->pairs.cap; s++)
        if (r->pairs.key[s] != MRS_MAP64_FREE) {
            uint32_t a = (uint32_t)(r->pairs.key[s] >> 32), b = (uint32_t)r->pairs.key[s];
            mrs_rel rel = (mrs_rel)r->pairs.val[s];
            r->nbr[fill[4 * node_index(r, a) + seg_of(rel)]++] = b;
            r->nbr[fill[4 * node_index(r, b) + seg_of(rel_invert(rel))]++] = a;
        }
    free(fill);
    for (size_t k = 0; k < 4 * nn; k++)
        qsort(r->nbr + r->off[k], r->off[k + 1] - r->off[k], sizeof *r->nbr, mrs_cmp_u32);
    return 0;
}

static size_t segment(const mrs_asrel *r, uint32_t asn, unsigned seg, const uint32_t **out)
{
    uint32_t i = node_index(r, asn);
    if (i == UINT32_MAX) {
        *out = NULL;
        return 0;
    }
    *out = r->nbr + r->off[4 * (size_t)i + seg];
    return r->off[4 * (size_t)i + seg + 1] - r->off[4 * (size_t)i + seg];
}

size_t mrs_asrel_providers(const mrs_asrel *r, uint32_t asn, const uint32_t **out) { return segment(r, asn, 0, out); }
size_t mrs_asrel_customers(const mrs_asrel *r, uint32_t asn, const uint32_t **out) { return segment(r, asn, 1, out); }
size_t mrs_asrel_peers(const mrs_asrel *r, uint32_t asn, const uint32_t **out) { return segment(r, asn, 2, out); }
size_t mrs_asrel_siblings(const mrs_asrel *r, uint32_t asn, const uint32_t **out) { return segment(r, asn, 3, out); }

/* ---------------------------------------------------------------- parsing */

static int parse_as_list(const char *s, size_t n, uint32_t **out, size_t *count)
{
    /* Space separated ASNs; anything unparsable ends the list. */
    size_t cap = 0;
    uint32_t *v = NULL;
    size_t k = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        size_t st = i;
        while (i < n && s[i] != ' ' && s[i] != '\t')
            i++;
        if (i == st)
            break;
        uint64_t a;
        if (!mrs_parse_u64(s + st, i - st, UINT32_MAX, &a))
            break;
        uint32_t *nv = mrs_grow(v, &cap, k + 1, sizeof *nv, 32);
        if (!nv) {
            free(v);
            return -1;
        }
        v = nv;
        v[k++] = (uint32_t)a;
    }
    free(*out);
    *out = v;
    *count = k;
    return 0;
}

static bool starts_with(const char *s, size_t n, const char *lit, size_t *after)
{
    size_t l = strlen(lit);
    if (n < l || memcmp(s, lit, l) != 0)
        return false;
    *after = l;
    return true;
}

static int asrel_line(mrs_asrel *r, const char *name, mrs_diag *d, const char *line, size_t len, uint64_t lineno)
{
    const char *s = line;
    size_t n = len;
    mrs_trim(&s, &n);
    if (n == 0)
        return 0;
    if (s[0] == '#') {
        size_t at;
        if (starts_with(s, n, "# input clique:", &at))
            return parse_as_list(s + at, n - at, &r->clique, &r->nclique);
        if (starts_with(s, n, "# IXP ASes:", &at))
            return parse_as_list(s + at, n - at, &r->ixps, &r->nixps);
        int64_t t;
        if (starts_with(s, n, "# source:topology|BGP|", &at) && n - at >= 8 && mrs_date_ymd(s + at, &t)) {
            if (!r->date_lo || t < r->date_lo)
                r->date_lo = t;
            if (t > r->date_hi)
                r->date_hi = t;
        }
        return 0;
    }
    if (!r->name_checked) {
        r->name_checked = true;
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        int64_t t;
        if (strlen(base) >= 8 && mrs_date_ymd(base, &t))
            r->name_date = t;
    }
    const char *f[5];
    size_t fl[5];
    size_t nf = mrs_split(s, n, '|', f, fl, 5);
    /* serial-1 has 3 fields, serial-2 a 4th (source); later columns are tolerated
     * and ignored so that a format extension does not drop real links. */
    if (nf < 3) {
        mrs_diag_error_line(d, name, lineno, "expected a|b|rel or a|b|rel|source, got %zu fields", nf);
        return 0;
    }
    uint64_t a, b;
    if (!mrs_parse_u64(f[0], fl[0], UINT32_MAX, &a) || !mrs_parse_u64(f[1], fl[1], UINT32_MAX, &b)) {
        mrs_diag_error_line(d, name, lineno, "bad AS number");
        return 0;
    }
    mrs_rel rel;
    if (fl[2] == 2 && f[2][0] == '-' && f[2][1] == '1')
        rel = MRS_REL_P2C;
    else if (fl[2] == 1 && f[2][0] == '0')
        rel = MRS_REL_P2P;
    else if (fl[2] == 1 && f[2][0] == '1')
        rel = MRS_REL_S2S;
    else {
        char qb[MRS_QUOTE_MAX];
        mrs_diag_error_line(d, name, lineno, "unknown relationship \"%s\" (expected -1, 0 or 1)",
                            mrs_quote(qb, sizeof qb, f[2], fl[2]));
        return 0;
    }
    if (a == b) {
        mrs_diag_error_line(d, name, lineno, "self link AS%llu", (unsigned long long)a);
        return 0;
    }
    mrs_rel before = mrs_asrel_rel(r, (uint32_t)a, (uint32_t)b);
    int rc = mrs_asrel_add(r, (uint32_t)a, (uint32_t)b, rel);
    if (rc >= 0 || before != MRS_REL_NONE)
        r->records++;   /* a link line read, new or not */
    if (rc == 1) {
        mrs_diag_warn_line(d, name, lineno, "duplicate link %llu|%llu", (unsigned long long)a, (unsigned long long)b);
    } else if (rc < 0) {
        if (before == MRS_REL_NONE)
            return -1;   /* memory */
        mrs_diag_error_line(d, name, lineno, "AS%llu-AS%llu is %s here but %s earlier (first kept)",
                            (unsigned long long)a, (unsigned long long)b, mrs_rel_name(rel), mrs_rel_name(before));
    }
    return 0;
}

int mrs_asrel_load_src_(mrs_asrel *r, mrs_linesrc *src, const char *name, mrs_diag *d)
{
    const char *line;
    size_t len;
    uint64_t lineno = 0;
    int rc = 0;
    while (src->next(src->ctx, &line, &len) == 1) {
        if (asrel_line(r, name, d, line, len, ++lineno) != 0) {
            mrs_diag_error_file(d, name, "out of memory");
            rc = -1;
            break;
        }
    }
    if (mrs_asrel_finish(r) != 0) {
        mrs_diag_error_file(d, name, "out of memory");
        rc = -1;
    }
    return rc;
}

int mrs_asrel_load_mem(mrs_asrel *r, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    mrs_linesrc src;
    mrs_memlines m;
    mrs_linesrc_mem(&src, &m, buf, len);
    return mrs_asrel_load_src_(r, &src, name ? name : "-", d);
}

/* ---------------------------------------------------------------- customer cones */

int mrs_asrel_cones_compute(mrs_asrel *r)
{
    if (r->dirty && mrs_asrel_finish(r) != 0)
        return -1;
    if (r->cones_ok)
        return 0;
    size_t nn = r->nnodes;
    free(r->node_comp);
    free(r->cone_off);
    free(r->cone_mem);
    r->node_comp = NULL;
    r->cone_off = NULL;
    r->cone_mem = NULL;
    uint32_t *idx = malloc((nn + 1) * sizeof *idx);     /* Tarjan index, UINT32_MAX = unvisited */
    uint32_t *low = malloc((nn + 1) * sizeof *low);
    uint32_t *stk = malloc((nn + 1) * sizeof *stk);     /* Tarjan stack */
    uint32_t *cstk = malloc((nn + 1) * sizeof *cstk);   /* call stack: node */
    uint32_t *cpos = malloc((nn + 1) * sizeof *cpos);   /* call stack: next customer position */
    uint8_t *onstk = calloc(nn + 1, 1);
    uint32_t *comp = malloc((nn + 1) * sizeof *comp);
    uint32_t *order = malloc((nn + 1) * sizeof *order); /* nodes grouped by component, emission order */
    uint32_t *comp_start = malloc((nn + 2) * sizeof *comp_start);
    uint32_t *stamp = calloc(nn + 1, sizeof *stamp);
    uint32_t *cstamp = calloc(nn + 1, sizeof *cstamp);   /* per child component */
    uint64_t *coff = malloc((nn + 2) * sizeof *coff);
    uint32_t *scratch = malloc((nn + 1) * sizeof *scratch);
    uint32_t *mem = NULL;
    size_t memcap = 0, memn = 0;
    int rc = -1;
    if (!idx || !low || !stk || !cstk || !cpos || !onstk || !comp || !order || !comp_start || !stamp || !cstamp || !coff || !scratch)
        goto out;
    memset(idx, 0xff, (nn + 1) * sizeof *idx);
    uint32_t counter = 0, sp = 0, ncomp = 0, nordered = 0;
    for (uint32_t root = 0; root < nn; root++) {
        if (idx[root] != UINT32_MAX)
            continue;
        uint32_t csp = 0;
        cstk[csp] = root;
        cpos[csp] = r->off[4 * (size_t)root + 1];
        csp++;
        idx[root] = low[root] = counter++;
        stk[sp++] = root;
        onstk[root] = 1;
        while (csp) {
            uint32_t v = cstk[csp - 1];
            uint32_t end = r->off[4 * (size_t)v + 2];
            if (cpos[csp - 1] < end) {
                uint32_t w = node_index(r, r->nbr[cpos[csp - 1]++]);
                if (idx[w] == UINT32_MAX) {
                    idx[w] = low[w] = counter++;
                    stk[sp++] = w;
                    onstk[w] = 1;
                    cstk[csp] = w;
                    cpos[csp] = r->off[4 * (size_t)w + 1];
                    csp++;
                } else if (onstk[w] && idx[w] < low[v]) {
                    low[v] = idx[w];
                }
                continue;
            }
            /* v is done */
            if (low[v] == idx[v]) {
                comp_start[ncomp] = nordered;
                uint32_t w;
                do {
                    w = stk[--sp];
                    onstk[w] = 0;
                    comp[w] = ncomp;
                    order[nordered++] = w;
                } while (w != v);
                ncomp++;
            }
            csp--;
            if (csp) {
                uint32_t u = cstk[csp - 1];
                if (low[v] < low[u])
                    low[u] = low[v];
            }
        }
    }
    comp_start[ncomp] = nordered;
    /* Cones in emission order: all child components are complete before their parents. */
    coff[0] = 0;
    for (uint32_t c = 0; c < ncomp; c++) {
        uint32_t st = c + 1;   /* stamp value for this component (never 0) */
        size_t k = 0;
        for (uint32_t i = comp_start[c]; i < comp_start[c + 1]; i++) {
            uint32_t v = order[i];
            if (stamp[v] != st) {
                stamp[v] = st;
                scratch[k++] = v;
            }
        }
        for (uint32_t i = comp_start[c]; i < comp_start[c + 1]; i++) {
            uint32_t v = order[i];
            for (uint32_t p = r->off[4 * (size_t)v + 1]; p < r->off[4 * (size_t)v + 2]; p++) {
                uint32_t w = node_index(r, r->nbr[p]);
                uint32_t cw = comp[w];
                if (cw == c || cstamp[cw] == st)
                    continue;   /* own component, or this child cone already merged */
                cstamp[cw] = st;
                for (uint64_t q = coff[cw]; q < coff[cw + 1]; q++) {
                    uint32_t x = mem[q];
                    if (stamp[x] != st) {
                        stamp[x] = st;
                        scratch[k++] = x;
                    }
                }
            }
        }
        qsort(scratch, k, sizeof *scratch, mrs_cmp_u32);
        if (memn + k > memcap) {
            uint32_t *nm = mrs_grow(mem, &memcap, memn + k, sizeof *nm, 1 << 16);
            if (!nm)
                goto out;
            mem = nm;
        }
        memcpy(mem + memn, scratch, k * sizeof *scratch);   /* dense indices for now */
        memn += k;
        coff[c + 1] = memn;
    }
    for (size_t i = 0; i < memn; i++)
        mem[i] = r->asn[mem[i]];   /* dense order = ASN order, so cones stay sorted */
    r->node_comp = comp;
    comp = NULL;
    r->cone_off = coff;
    coff = NULL;
    r->cone_mem = mem;
    mem = NULL;
    r->ncomp = ncomp;
    r->cones_ok = true;
    rc = 0;
out:
    free(idx);
    free(low);
    free(stk);
    free(cstk);
    free(cpos);
    free(onstk);
    free(comp);
    free(order);
    free(comp_start);
    free(stamp);
    free(cstamp);
    free(coff);
    free(scratch);
    free(mem);
    return rc;
}

size_t mrs_asrel_cone(const mrs_asrel *r, uint32_t asn, const uint32_t **members)
{
    *members = NULL;
    if (!r->cones_ok)
        return 0;
    uint32_t i = node_index(r, asn);
    if (i == UINT32_MAX)
        return 0;
    uint32_t c = r->node_comp[i];
    *members = r->cone_mem + r->cone_off[c];
    return (size_t)(r->cone_off[c + 1] - r->cone_off[c]);
}

bool mrs_asrel_in_cone(const mrs_asrel *r, uint32_t asn, uint32_t member)
{
    const uint32_t *m;
    size_t n = mrs_asrel_cone(r, asn, &m);
    return mrs_sorted_has_u32(m, n, member);
}

/* ---------------------------------------------------------------- valley-free */

typedef enum step { STEP_UP, STEP_FLAT, STEP_DOWN, STEP_SIB, STEP_UNKNOWN } step;

mrs_vf_status mrs_asrel_valley_free(const mrs_asrel *r, const uint32_t *path, size_t n, mrs_vf_result *res)
{
    return mrs_asrel_valley_free_org(r, path, n, NULL, NULL, res);
}

mrs_vf_status mrs_asrel_valley_free_org(const mrs_asrel *r, const uint32_t *path, size_t n, mrs_same_org_fn same_org,
                                        const void *ctx, mrs_vf_result *res)
{
    mrs_vf_ctx c;
    memset(&c, 0, sizeof c);
    c.same_org = same_org;
    c.org_ctx = ctx;
    return mrs_asrel_valley_free_ctx(r, path, n, &c, res);
}

/* RFC 7908 section 3 type of a valley: what the leaker received (prev) and sent (st). */
static mrs_leak_type leak_type_of(bool have_prev, step prev, step st)
{
    if (have_prev && prev == STEP_DOWN)
        return st == STEP_UP ? MRS_LEAK_HAIRPIN : MRS_LEAK_PROVIDER_TO_PEER;
    if (have_prev && prev == STEP_FLAT)
        return st == STEP_UP ? MRS_LEAK_PEER_TO_PROVIDER : MRS_LEAK_LATERAL;
    return MRS_LEAK_UNDETERMINED;
}

static bool in_clique(const mrs_asrel *r, uint32_t asn)
{
    for (size_t i = 0; i < r->nclique; i++)
        if (r->clique[i] == asn)
            return true;
    return false;
}

mrs_vf_status mrs_asrel_valley_free_ctx(const mrs_asrel *r, const uint32_t *path, size_t n, const mrs_vf_ctx *c,
                                        mrs_vf_result *res)
{
    mrs_vf_result tmp;
    if (!res)
        res = &tmp;
    memset(res, 0, sizeof *res);
    res->status = MRS_VF_VALLEY_FREE;
    enum { ASC, DESC, MAYBE } state = ASC;
    step prev = STEP_UNKNOWN;   /* last non-sibling step */
    bool have_prev = false, unknown_in_desc = false;
    /* Walk in propagation order: from the origin (path[n-1]) towards path[0]. */
    size_t j = n;   /* sender position: first position of its run of repeats */
    while (j > 0) {
        size_t s = j - 1;
        while (s > 0 && path[s - 1] == path[s])
            s--;
        /* sender = path[s], its run is [s, j); receiver = path[s-1]; it had the
         * route from path[j] (none when it is the origin) */
        if (s == 0)
            break;
        size_t recv = s - 1;
        uint32_t from = j < n ? path[j] : 0;
        mrs_rel rel;
        if (c->same_org && c->same_org(c->org_ctx, path[s], path[recv]))
            rel = MRS_REL_S2S;
        else {
            rel = mrs_asrel_rel(r, path[s], path[recv]);
            mrs_rel o = c->link ? c->link(c->link_ctx, path[s], path[recv], rel) : MRS_REL_NONE;
            if (o != MRS_REL_NONE && o != rel) {
                rel = o;
                res->decided_links++;
            } else if (rel == MRS_REL_NONE && c->clique_top) {
                bool to = in_clique(r, path[recv]), fr = in_clique(r, path[s]);
                if (to != fr) {
                    rel = to ? MRS_REL_C2P : MRS_REL_P2C;
                    res->clique_links++;
                }
            }
        }
        step st = rel == MRS_REL_C2P ? STEP_UP : rel == MRS_REL_P2P ? STEP_FLAT
                : rel == MRS_REL_P2C ? STEP_DOWN : rel == MRS_REL_S2S ? STEP_SIB : STEP_UNKNOWN;
        if (st == STEP_UNKNOWN) {
            if (res->unknown_links++ == 0)
                res->first_unknown = recv;
            if (state == ASC)
                state = MAYBE;
            if (state == DESC) {
                unknown_in_desc = true;
                if (!res->maybe_leaker) {
                    res->maybe_leaker = path[s];
                    res->maybe_from = from;
                }
            }
            have_prev = true;
            prev = STEP_UNKNOWN;
        } else if (st != STEP_SIB) {
            if (state == DESC && (st == STEP_UP || st == STEP_FLAT)) {
                if (c->standing && c->standing(c->standing_ctx, from, path[s])) {
                    /* standing practice: as if path[s] originated the route */
                    if (res->standing_skipped++ == 0) {
                        res->standing_leaker = path[s];
                        res->standing_from = from;
                        res->standing_type = leak_type_of(have_prev, prev, st);
                    }
                    state = st == STEP_UP ? ASC : DESC;
                    have_prev = true;
                    prev = st;
                    unknown_in_desc = false;
                    j = s;
                    continue;
                }
                res->status = MRS_VF_VIOLATION;
                res->receiver = recv;
                res->sender = s;
                res->leaker = path[s];
                res->leak_from = from;
                res->after_unknown = unknown_in_desc;
                res->maybe_leaker = res->maybe_from = 0;
                res->leak_type = leak_type_of(have_prev, prev, st);
                return res->status;
            }
            if (st == STEP_FLAT || st == STEP_DOWN)
                state = DESC;
            have_prev = true;
            prev = st;
        }
        j = s;
    }
    if (res->unknown_links)
        res->status = MRS_VF_UNKNOWN;
    return res->status;
}

/* ---------------------------------------------------------------- ppdc-ases */

typedef struct cone_ent {
    uint32_t asn;
    uint32_t pad;
    uint64_t off, n;
} cone_ent;

struct mrs_cone_set {
    cone_ent *e;
    size_t n, cap;
    uint32_t *mem;
    size_t memn, memcap;
    bool sorted;
};

mrs_cone_set *mrs_cone_set_new(void) { return calloc(1, sizeof(mrs_cone_set)); }

void mrs_cone_set_free(mrs_cone_set *c)
{
    if (!c)
        return;
    free(c->e);
    free(c->mem);
    free(c);
}

size_t mrs_cone_set_count(const mrs_cone_set *c) { return c->n; }

static int mem_push(mrs_cone_set *c, uint32_t v)
{
    uint32_t *nm = mrs_grow(c->mem, &c->memcap, c->memn + 1, sizeof *nm, 1 << 14);
    if (!nm)
        return -1;
    c->mem = nm;
    c->mem[c->memn++] = v;
    return 0;
}

static int cone_line(mrs_cone_set *c, const char *name, mrs_diag *d, const char *line, size_t len, uint64_t lineno)
{
    const char *s = line;
    size_t n = len;
    mrs_trim(&s, &n);
    if (n == 0 || s[0] == '#')
        return 0;
    size_t start = c->memn;
    uint32_t owner = 0;
    size_t i = 0, tok = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        size_t st = i;
        while (i < n && s[i] != ' ' && s[i] != '\t')
            i++;
        if (i == st)
            break;
        uint64_t a;
        if (!mrs_parse_u64(s + st, i - st, UINT32_MAX, &a)) {
            char qb[MRS_QUOTE_MAX];
            mrs_diag_error_line(d, name, lineno, "bad AS number \"%s\" (line skipped)",
                                mrs_quote(qb, sizeof qb, s + st, i - st));
            c->memn = start;
            return 0;
        }
        if (tok++ == 0)
            owner = (uint32_t)a;
        if (mem_push(c, (uint32_t)a) != 0)
            return -1;
    }
    /* The owner is a member of its own cone (it was pushed first). */
    if (c->memn - start > 1)
        qsort(c->mem + start, c->memn - start, sizeof *c->mem, mrs_cmp_u32);
    size_t k = start;
    for (size_t q = start; q < c->memn; q++)
        if (k == start || c->mem[q] != c->mem[k - 1])
            c->mem[k++] = c->mem[q];
    c->memn = k;
    cone_ent *ne = mrs_grow(c->e, &c->cap, c->n + 1, sizeof *ne, 1024);
    if (!ne)
        return -1;
    c->e = ne;
    c->e[c->n++] = (cone_ent){owner, 0, start, k - start};
    return 0;
}

static int cone_ent_cmp(const void *a, const void *b)
{
    const cone_ent *x = a, *y = b;
    if (x->asn != y->asn)
        return x->asn < y->asn ? -1 : 1;
    return (x->off > y->off) - (x->off < y->off);
}

int mrs_cone_load_src_(mrs_cone_set *c, mrs_linesrc *src, const char *name, mrs_diag *d)
{
    const char *line;
    size_t len;
    uint64_t lineno = 0;
    int rc = 0;
    while (src->next(src->ctx, &line, &len) == 1) {
        if (cone_line(c, name, d, line, len, ++lineno) != 0) {
            mrs_diag_error_file(d, name, "out of memory");
            rc = -1;
            break;
        }
    }
    if (c->n > 1)
        qsort(c->e, c->n, sizeof *c->e, cone_ent_cmp);   /* duplicates: first loaded wins */
    return rc;
}

int mrs_cone_load_mem(mrs_cone_set *c, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    mrs_linesrc src;
    mrs_memlines m;
    mrs_linesrc_mem(&src, &m, buf, len);
    return mrs_cone_load_src_(c, &src, name ? name : "-", d);
}

size_t mrs_cone_get(const mrs_cone_set *c, uint32_t asn, const uint32_t **members)
{
    size_t lo;
    MRS_LOWER_BOUND(lo, c->n, i, c->e[i].asn < asn);
    if (lo < c->n && c->e[lo].asn == asn) {
        *members = c->mem + c->e[lo].off;
        return (size_t)c->e[lo].n;
    }
    *members = NULL;
    return 0;
}

bool mrs_cone_contains(const mrs_cone_set *c, uint32_t asn, uint32_t member)
{
    const uint32_t *m;
    size_t n = mrs_cone_get(c, asn, &m);
    return mrs_sorted_has_u32(m, n, member);
}
