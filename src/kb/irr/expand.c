/*
 * expand.c — as-set and route-set expansion (RFC 2622 §5.1-5.2, RFC 4012 §2) and
 * the prefix range operators (RFC 2622 §2).
 *
 * Resolution of a set name: among the set objects with that name in the selected
 * sources, the one of the best-ranked source wins ("first source that has the set
 * wins"); nested names are resolved the same way.
 *
 * as-set expansion is a depth-first walk with a per-expansion state table:
 * a set on the current path referenced again is a cycle (warning with the path,
 * not followed); a set already expanded through another path is not expanded
 * again (diamonds are not cycles); a reference deeper than max_depth is not
 * followed (warning with the path). Warnings name the FILE:LINE of the set object
 * holding the offending reference.
 *
 * route-set expansion memoizes the (operator-free) content of each route-set per
 * expansion; an operator on a nested member is applied to every range of that
 * member's content (distribution, see irr_range_apply). A route-set whose content
 * was cut by a cycle stays cut for the rest of that expansion.
 */
#include "irr_internal.h"
#include "manrs/core/grow.h"

#include "manrs/core/grow.h"
#include "manrs/core/map64.h"
#include "manrs/core/search.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- range operators */

bool irr_range_op_parse(const char *s, size_t len, irr_range_op *op)
{
    memset(op, 0, sizeof *op);
    if (len < 2 || s[0] != '^')
        return false;
    if (len == 2 && s[1] == '-') {
        op->kind = IRR_OP_MINUS;
        return true;
    }
    if (len == 2 && s[1] == '+') {
        op->kind = IRR_OP_PLUS;
        return true;
    }
    unsigned v[2] = {0, 0};
    int which = 0, digits = 0;
    for (size_t i = 1; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            v[which] = v[which] * 10 + (unsigned)(c - '0');
            if (++digits > 3 || v[which] > 128)
                return false;
        } else if (c == '-' && which == 0 && digits) {
            which = 1;
            digits = 0;
        } else {
            return false;
        }
    }
    if (!digits)
        return false;
    if (which == 0) {
        op->kind = IRR_OP_N;
        op->n = op->m = (uint8_t)v[0];
        return true;
    }
    if (v[0] > v[1])
        return false;
    op->kind = IRR_OP_NM;
    op->n = (uint8_t)v[0];
    op->m = (uint8_t)v[1];
    return true;
}

bool irr_range_apply(irr_prefix_range *r, irr_range_op op)
{
    unsigned bits = mrs_afi_bits(r->prefix.afi);
    unsigned lo = r->min_len, hi = r->max_len;
    switch (op.kind) {
    case IRR_OP_NONE:
        return true;
    case IRR_OP_MINUS:
        lo = lo + 1;
        hi = bits;
        break;
    case IRR_OP_PLUS:
        hi = bits;
        break;
    case IRR_OP_N:
        if (op.n < lo)
            return false;
        lo = hi = op.n;
        break;
    case IRR_OP_NM:
        if (op.n > lo)
            lo = op.n;
        hi = op.m;
        break;
    default:
        return false;
    }
    if (lo > hi || hi > bits)
        return false;
    r->min_len = (uint8_t)lo;
    r->max_len = (uint8_t)hi;
    return true;
}

int irr_prefix_range_format(const irr_prefix_range *r, char *out)
{
    int n = mrs_prefix_format(&r->prefix, out);
    unsigned bits = mrs_afi_bits(r->prefix.afi);
    if (r->min_len == r->prefix.len && r->max_len == r->prefix.len)
        return n;
    if (r->min_len == r->prefix.len && r->max_len == bits)
        return n + sprintf(out + n, "^+");
    if (r->min_len == r->prefix.len + 1 && r->max_len == bits)
        return n + sprintf(out + n, "^-");
    if (r->min_len == r->max_len)
        return n + sprintf(out + n, "^%u", r->min_len);
    return n + sprintf(out + n, "^%u-%u", r->min_len, r->max_len);
}

/* ---------------------------------------------------------------- state table */

/* Per set object, per expansion: on the current path, or expanded (with the
 * level it was expanded at, whether its expansion was complete, i.e. no depth
 * cut happened below it, and for route-sets the index of its memoized content). */
enum { ST_PATH = 1, ST_DONE = 2 };
#define LVL_COMPLETE 0x80000000u

typedef struct st_entry {
    uint32_t val;       /* memo index (route-sets) */
    uint32_t lvl;       /* level | LVL_COMPLETE */
    uint8_t st;
} st_entry;

typedef struct state_tab {
    mrs_map64 idx;      /* set index -> entry (core/map64.h; created on first use) */
    st_entry *e;
    size_t n, cap;
} state_tab;

static uint8_t st_get(const state_tab *t, uint32_t key, uint32_t *val, uint32_t *lvl)
{
    const uint32_t *k = mrs_map64_get(&t->idx, key);
    if (!k)
        return 0;
    if (val)
        *val = t->e[*k].val;
    if (lvl)
        *lvl = t->e[*k].lvl;
    return t->e[*k].st;
}

static int st_set(state_tab *t, uint32_t key, uint8_t st, uint32_t val, uint32_t lvl)
{
    if (!t->idx.cap && mrs_map64_init(&t->idx) != 0)
        return -1;
    bool found;
    uint32_t *k = mrs_map64_put(&t->idx, key, &found);
    if (!k)
        return -1;
    if (!found) {
        st_entry *ne = mrs_grow(t->e, &t->cap, t->n + 1, sizeof *ne, 64);
        if (!ne) {
            mrs_map64_remove(&t->idx, key);
            return -1;
        }
        t->e = ne;
        *k = (uint32_t)t->n++;
    }
    t->e[*k] = (st_entry){val, lvl, st};
    return 0;
}

static void st_free(state_tab *t)
{
    mrs_map64_clear(&t->idx);
    free(t->e);
    memset(t, 0, sizeof *t);
}

/* ---------------------------------------------------------------- common */

#define MAX_DEPTH_HARD 1000

typedef struct exp_ctx {
    const irr_db *db;
    const irr_sel *sel;
    unsigned max_depth;
    irr_expand_stats *st;
    state_tab tab;
    uint32_t path[MAX_DEPTH_HARD + 2];   /* set indexes */
    unsigned depth;
    /* as-set output */
    uint32_t *asns;
    size_t n, cap;
} exp_ctx;

/* "AS-A -> AS-B -> AS-C" into buf. */
static const char *path_str(const exp_ctx *c, uint32_t last_name, char *buf, size_t bl)
{
    size_t k = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < c->depth && k + 8 < bl; i++) {
        const char *nm = c->db->names.v[c->db->sets.v[c->path[i]].name].s;
        k += (size_t)snprintf(buf + k, bl - k, "%s%s", i ? " -> " : "", nm);
    }
    if (k + 8 < bl)
        snprintf(buf + k, bl - k, " -> %s", c->db->names.v[last_name].s);
    else if (bl > 4)
        strcpy(buf + bl - 4, "...");
    return buf;
}

static int push_asn(exp_ctx *c, uint32_t asn)
{
    uint32_t *na = mrs_grow(c->asns, &c->cap, c->n + 1, sizeof *na, 256);
    if (!na)
        return -1;
    c->asns = na;
    c->asns[c->n++] = asn;
    return 0;
}

/* Decide whether to follow a reference from the set on top of the path to the set
 * named name_id of class cls; the referenced set would be at level c->depth.
 * Returns the set index, or IRR_NONE (missing / cycle / depth cut: counted, and
 * cycles and cuts reported). *done = true when it was already expanded and that
 * expansion can be reused: complete, or done at the same or a shallower level.
 * An incomplete expansion (a depth cut below it) reached again at a shallower
 * level is done again, so that the result is exactly "everything within
 * max_depth levels", whatever order the walk meets the sets in. */
static uint32_t follow(exp_ctx *c, uint32_t name_id, irr_class cls, bool *done)
{
    char buf[1024];
    const char *cn = irr_class_name(cls);
    *done = false;
    uint32_t s = irr_set_resolve(c->db, name_id, cls, c->sel);
    uint32_t from = c->path[c->depth - 1];
    if (s == IRR_NONE) {
        c->st->missing++;   /* counted, not printed: real dumps reference many sets of other registries */
        return IRR_NONE;
    }
    uint32_t lvl = 0;
    uint8_t state = st_get(&c->tab, s, NULL, &lvl);
    if (state == ST_PATH) {
        c->st->cycles++;
        mrs_diag_warn_line(c->db->diag, c->db->files.v[c->db->sets.v[from].file], c->db->sets.v[from].line,
                           "%s cycle not followed: %s", cn, path_str(c, name_id, buf, sizeof buf));
        return IRR_NONE;
    }
    if (state == ST_DONE && ((lvl & LVL_COMPLETE) || (lvl & ~LVL_COMPLETE) <= c->depth)) {
        *done = true;
        return s;
    }
    if (c->depth > c->max_depth) {
        c->st->depth_cut++;
        mrs_diag_warn_line(c->db->diag, c->db->files.v[c->db->sets.v[from].file], c->db->sets.v[from].line,
                           "%s nesting deeper than %u not followed: %s", cn, c->max_depth,
                           path_str(c, name_id, buf, sizeof buf));
        return IRR_NONE;
    }
    return s;
}

/* ---------------------------------------------------------------- as-set */

/* Members joining set s by reference: aut-nums with member-of: <name> whose
 * mnt-by is listed in the set's mbrs-by-ref (or ANY). RFC 2622 §5.1. */
static int as_set_by_ref(exp_ctx *c, const irr_set *s)
{
    const irr_db *db = c->db;
    if (!s->mbrs_any && !s->mbr_n)
        return 0;
    for (size_t i = irr_pairs_lower(db->autnum_memberof, db->n_autnum_memberof, s->name);
         i < db->n_autnum_memberof && (uint32_t)(db->autnum_memberof[i] >> 32) == s->name; i++) {
        const irr_autnum_int *a = &db->autnums.v[(uint32_t)db->autnum_memberof[i]];
        if (irr_sel_rank(db, c->sel, a->source) < 0)
            continue;
        if (s->mbrs_any || irr_ids_intersect(db, s->mbr_off, s->mbr_n, a->mnt_off, a->mnt_n))
            if (push_asn(c, a->pub.asn) < 0)
                return -1;
    }
    return 0;
}

static int as_set_walk(exp_ctx *c, uint32_t set_idx)
{
    const irr_db *db = c->db;
    const irr_set *s = &db->sets.v[set_idx];
    uint32_t level = c->depth;
    unsigned cuts0 = c->st->depth_cut;
    if (st_get(&c->tab, set_idx, NULL, NULL) == 0)
        c->st->sets++;
    if (st_set(&c->tab, set_idx, ST_PATH, 0, level) < 0)
        return -1;
    c->path[c->depth++] = set_idx;
    for (uint32_t i = 0; i < s->mem_n; i++) {
        const irr_member *m = &db->members.v[s->mem_off + i];
        if (m->kind == MEM_ASN) {
            if (push_asn(c, m->val) < 0)
                return -1;
        } else if (m->kind == MEM_AS_SET) {
            bool done;
            uint32_t t = follow(c, m->val, IRR_CLASS_AS_SET, &done);
            if (t != IRR_NONE && !done && as_set_walk(c, t) < 0)
                return -1;
        }
    }
    if (as_set_by_ref(c, s) < 0)
        return -1;
    c->depth--;
    return st_set(&c->tab, set_idx, ST_DONE, 0, level | (c->st->depth_cut == cuts0 ? LVL_COMPLETE : 0));
}

/* Sort (LSD radix, 4 x 8 bits: expansions push each ASN once per set that lists
 * it, ~150 000 pushes for the largest RIPE as-set, where qsort's comparator
 * calls dominated) and drop duplicates. Returns the new length. */
static size_t sort_unique_u32(uint32_t *v, size_t n)
{
    if (n < 2)
        return n;
    uint32_t *tmp = n > 64 ? malloc(n * sizeof *tmp) : NULL;
    if (!tmp) {
        qsort(v, n, sizeof *v, mrs_cmp_u32);
    } else {
        uint32_t *src = v, *dst = tmp;
        for (unsigned shift = 0; shift < 32; shift += 8) {
            size_t count[257] = {0};
            for (size_t i = 0; i < n; i++)
                count[((src[i] >> shift) & 0xff) + 1]++;
            for (unsigned b = 0; b < 256; b++)
                count[b + 1] += count[b];
            for (size_t i = 0; i < n; i++)
                dst[count[(src[i] >> shift) & 0xff]++] = src[i];
            uint32_t *t = src;
            src = dst;
            dst = t;
        }
        /* After 4 passes the sorted data is back in v. */
        free(tmp);
    }
    size_t w = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[w - 1])
            v[w++] = v[i];
    return w;
}

static void ctx_init(exp_ctx *c, const irr_db *db, const irr_expand_opts *o, irr_expand_stats *st)
{
    memset(c, 0, offsetof(exp_ctx, path));
    c->db = db;
    c->sel = o ? o->sel : NULL;
    c->max_depth = (o && o->max_depth) ? o->max_depth : IRR_DEFAULT_MAX_DEPTH;
    if (c->max_depth > MAX_DEPTH_HARD)
        c->max_depth = MAX_DEPTH_HARD;
    c->st = st;
    c->depth = 0;
    c->asns = NULL;
    c->n = c->cap = 0;
}

/* Expand as-set name_id into c->asns (unsorted). */
static int as_set_collect(exp_ctx *c, uint32_t set_idx)
{
    return as_set_walk(c, set_idx);
}

int irr_expand_as_set(const irr_db *db, const char *name, const irr_expand_opts *o, irr_asn_list *out)
{
    memset(&out->st, 0, sizeof out->st);
    out->n = 0;
    if (!db->finalized)
        return -1;
    size_t nl = strlen(name);
    uint32_t asn;
    exp_ctx c;
    ctx_init(&c, db, o, &out->st);
    c.asns = out->asns;
    c.cap = out->cap;
    int rc = 0;
    if (nl > 2 && (name[0] == 'A' || name[0] == 'a') && (name[1] == 'S' || name[1] == 's') && name[2] >= '0' &&
        name[2] <= '9' && !memchr(name, ':', nl) && mrs_asn_parse(name, nl, &asn)) {
        out->st.found = true;
        rc = push_asn(&c, asn);
    } else {
        uint32_t s = irr_set_resolve(db, irr_name_find(db, name, nl), IRR_CLASS_AS_SET, c.sel);
        if (s != IRR_NONE) {
            out->st.found = true;
            rc = as_set_collect(&c, s);
        }
    }
    st_free(&c.tab);
    out->asns = c.asns;
    out->cap = c.cap;
    out->n = rc < 0 ? 0 : sort_unique_u32(c.asns, c.n);
    return rc;
}

void irr_asn_list_clear(irr_asn_list *l)
{
    free(l->asns);
    memset(l, 0, sizeof *l);
}

/* ---------------------------------------------------------------- route-set */

typedef struct rvec {
    irr_prefix_range *v;
    size_t n, cap;
} rvec;

typedef struct rs_ctx {
    exp_ctx e;           /* path / state / stats; e.asns used for nested as-set expansion */
    rvec *memo;          /* content per expanded route-set */
    size_t n_memo, cap_memo;
} rs_ctx;

static int rvec_push(rvec *v, const irr_prefix_range *r)
{
    irr_prefix_range *nv = mrs_grow(v->v, &v->cap, v->n + 1, sizeof *nv, 64);
    if (!nv)
        return -1;
    v->v = nv;
    v->v[v->n++] = *r;
    return 0;
}

static int push_with_op(rvec *out, irr_prefix_range r, irr_range_op op)
{
    if (!irr_range_apply(&r, op))
        return 0;
    return rvec_push(out, &r);
}

/* Prefixes of route/route6 objects with origin asn in the selection. */
static int routes_of(const irr_db *db, const irr_sel *sel, uint32_t asn, irr_range_op op, rvec *out)
{
    for (size_t i = irr_pairs_lower(db->by_origin, db->n_by_origin, asn);
         i < db->n_by_origin && (uint32_t)(db->by_origin[i] >> 32) == asn; i++) {
        const irr_route *r = &db->routes.v[(uint32_t)db->by_origin[i]];
        if (irr_sel_rank(db, sel, r->source) < 0)
            continue;
        irr_prefix_range pr = {.prefix = r->pfx, .min_len = r->pfx.len, .max_len = r->pfx.len};
        if (push_with_op(out, pr, op) < 0)
            return -1;
    }
    return 0;
}

static int rs_walk(rs_ctx *c, uint32_t set_idx, rvec *out);

static int cmp_range(const void *a_, const void *b_)
{
    const irr_prefix_range *a = a_, *b = b_;
    int c = mrs_prefix_cmp(&a->prefix, &b->prefix);
    if (c)
        return c;
    if (a->min_len != b->min_len)
        return a->min_len < b->min_len ? -1 : 1;
    return a->max_len < b->max_len ? -1 : a->max_len > b->max_len;
}

/* Sort and drop duplicates. Done for every memoized set content, which bounds
 * the growth of nested sets (RS-2: RS-1, RS-1^+ ... would otherwise double at
 * each level) by the number of distinct ranges. */
static void rvec_unique(rvec *v)
{
    if (v->n < 2)
        return;
    qsort(v->v, v->n, sizeof *v->v, cmp_range);
    size_t w = 1;
    for (size_t i = 1; i < v->n; i++)
        if (cmp_range(&v->v[i], &v->v[w - 1]) != 0)
            v->v[w++] = v->v[i];
    v->n = w;
}


/* The content of route-set t (memoized), t being referenced at level c->e.depth.
 * follow() has decided whether a memoized content can be reused (done) or must be
 * computed (again). Returns the memo index, or -1 on error. */
static long rs_content(rs_ctx *c, uint32_t t, bool done)
{
    uint32_t memo_idx = 0;
    uint8_t state = st_get(&c->e.tab, t, &memo_idx, NULL);
    if (done)
        return (long)memo_idx;
    unsigned cuts0 = c->e.st->depth_cut;
    uint32_t level = c->e.depth;
    rvec tmp = {0};
    if (rs_walk(c, t, &tmp) < 0) {
        free(tmp.v);
        return -1;
    }
    rvec_unique(&tmp);
    if (state == ST_DONE) {
        free(c->memo[memo_idx].v);   /* an incomplete expansion, now redone shallower */
    } else {
        rvec *nm = mrs_grow(c->memo, &c->cap_memo, c->n_memo + 1, sizeof *nm, 16);
        if (!nm) {
            free(tmp.v);
            return -1;
        }
        c->memo = nm;
        memo_idx = (uint32_t)c->n_memo++;
    }
    c->memo[memo_idx] = tmp;
    if (st_set(&c->e.tab, t, ST_DONE, memo_idx, level | (c->e.st->depth_cut == cuts0 ? LVL_COMPLETE : 0)) < 0)
        return -1;
    return (long)memo_idx;
}

static int rs_walk(rs_ctx *c, uint32_t set_idx, rvec *out)
{
    const irr_db *db = c->e.db;
    const irr_set *s = &db->sets.v[set_idx];
    uint32_t memo_idx = 0;
    uint8_t state = st_get(&c->e.tab, set_idx, &memo_idx, NULL);
    if (state == 0)
        c->e.st->sets++;
    if (st_set(&c->e.tab, set_idx, ST_PATH, memo_idx, c->e.depth) < 0)
        return -1;
    c->e.path[c->e.depth++] = set_idx;
    for (uint32_t i = 0; i < s->mem_n; i++) {
        const irr_member *m = &db->members.v[s->mem_off + i];
        switch (m->kind) {
        case MEM_PREFIX: {
            const mrs_prefix *p = &db->mpfx.v[m->val];
            irr_prefix_range r = {.prefix = *p, .min_len = p->len, .max_len = p->len};
            if (push_with_op(out, r, m->op) < 0)
                return -1;
            break;
        }
        case MEM_ASN:
            if (routes_of(db, c->e.sel, m->val, m->op, out) < 0)
                return -1;
            break;
        case MEM_ROUTE_SET: {
            bool done;
            uint32_t t = follow(&c->e, m->val, IRR_CLASS_ROUTE_SET, &done);
            if (t == IRR_NONE)
                break;
            long mi = rs_content(c, t, done);
            if (mi < 0)
                return -1;
            const rvec *src = &c->memo[mi];
            for (size_t k = 0; k < src->n; k++)
                if (push_with_op(out, src->v[k], m->op) < 0)
                    return -1;
            break;
        }
        case MEM_AS_SET: {
            /* Routes originated by the members of the as-set: expanded with its own
             * path/state so that as-set and route-set cycles are told apart. */
            uint32_t t = irr_set_resolve(db, m->val, IRR_CLASS_AS_SET, c->e.sel);
            if (t == IRR_NONE) {
                c->e.st->missing++;
                break;
            }
            exp_ctx *sub = malloc(sizeof *sub);
            if (!sub)
                return -1;
            irr_expand_opts so = {.sel = c->e.sel, .max_depth = c->e.max_depth};
            irr_expand_stats sst = {0};
            ctx_init(sub, db, &so, &sst);
            int rc = as_set_collect(sub, t);
            size_t n = rc < 0 ? 0 : sort_unique_u32(sub->asns, sub->n);
            for (size_t k = 0; rc == 0 && k < n; k++)
                rc = routes_of(db, c->e.sel, sub->asns[k], m->op, out);
            c->e.st->missing += sst.missing;
            c->e.st->cycles += sst.cycles;
            c->e.st->depth_cut += sst.depth_cut;
            free(sub->asns);
            st_free(&sub->tab);
            free(sub);
            if (rc < 0)
                return -1;
            break;
        }
        default:
            break;
        }
    }
    /* Route objects joining by member-of: + mbrs-by-ref: (RFC 2622 §5.2). */
    if (s->mbrs_any || s->mbr_n) {
        for (size_t i = irr_pairs_lower(db->route_memberof, db->n_route_memberof, s->name);
             i < db->n_route_memberof && (uint32_t)(db->route_memberof[i] >> 32) == s->name; i++) {
            const irr_route *r = &db->routes.v[(uint32_t)db->route_memberof[i]];
            if (irr_sel_rank(db, c->e.sel, r->source) < 0)
                continue;
            if (!s->mbrs_any && !irr_ids_intersect(db, s->mbr_off, s->mbr_n, r->mnt_off, r->mnt_n))
                continue;
            irr_prefix_range pr = {.prefix = r->pfx, .min_len = r->pfx.len, .max_len = r->pfx.len};
            if (rvec_push(out, &pr) < 0)
                return -1;
        }
    }
    c->e.depth--;
    /* Off the path; rs_content() marks it done. If it was done before (being
     * redone), keep ST_DONE so that rs_content() replaces the old memo. */
    return st_set(&c->e.tab, set_idx, state == ST_DONE ? ST_DONE : 0, memo_idx, 0);
}

int irr_expand_route_set(const irr_db *db, const char *name, const irr_expand_opts *o, irr_range_list *out)
{
    memset(&out->st, 0, sizeof out->st);
    out->n = 0;
    if (!db->finalized)
        return -1;
    rs_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    ctx_init(&c->e, db, o, &out->st);
    rvec res = {out->v, 0, out->cap};
    int rc = 0;
    size_t nl = strlen(name);
    uint32_t s = irr_set_resolve(db, irr_name_find(db, name, nl), IRR_CLASS_ROUTE_SET, c->e.sel);
    if (s != IRR_NONE) {
        out->st.found = true;
        rc = rs_walk(c, s, &res);
    }
    for (size_t i = 0; i < c->n_memo; i++)
        free(c->memo[i].v);
    free(c->memo);
    st_free(&c->e.tab);
    free(c);
    out->v = res.v;
    out->cap = res.cap;
    if (rc < 0)
        return -1;
    rvec_unique(&res);
    out->n = res.n;
    return 0;
}

void irr_range_list_clear(irr_range_list *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}
