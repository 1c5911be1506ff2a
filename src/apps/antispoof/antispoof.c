/*
 * antispoof.c — the neutral anti-spoofing result (see antispoof.h): customer cone,
 * allowed source prefixes with provenance, exact CIDR aggregation, bogon denies and
 * the uRPF decision. The router dialects live in acl_*.c and only print this.
 *
 * Assumes finalized/built knowledge bases that outlive the result. Every list is
 * owned by the result and freed by mrs_antispoof_clear. The cone is walked here
 * (breadth-first down p2c links) rather than taken from mrs_asrel_cones_compute, so
 * that each member knows the provider through which it is in the cone (for the
 * explanations) and so that one customer does not cost the cones of all ASes.
 */
#include "manrs/apps/antispoof.h"
#include "manrs/core/search.h"
#include "manrs/core/grow.h"
#include "manrs/core/hashset.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- prefix bits */

static unsigned bit_at(const mrs_prefix *p, unsigned i) { return (p->addr[i >> 3] >> (7 - (i & 7))) & 1u; }

static void set_bit(mrs_prefix *p, unsigned i) { p->addr[i >> 3] |= (uint8_t)(0x80u >> (i & 7)); }

static mrs_prefix parent_of(const mrs_prefix *p)
{
    mrs_prefix q = *p;
    q.len = (uint8_t)(p->len - 1);
    mrs_prefix_mask(&q);
    return q;
}

/* a and b are the two halves of one parent, a the lower one. */
static bool siblings(const mrs_prefix *a, const mrs_prefix *b)
{
    if (a->afi != b->afi || a->len != b->len || a->len == 0)
        return false;
    if (bit_at(a, a->len - 1u) != 0 || bit_at(b, b->len - 1u) != 1)
        return false;
    mrs_prefix pa = parent_of(a), pb = parent_of(b);
    return mrs_prefix_equal(&pa, &pb);
}

static int cmp_prefix_qsort(const void *x, const void *y) { return mrs_prefix_cmp(x, y); }

size_t mrs_cidr_aggregate(mrs_prefix *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_prefix_qsort);
    /* Drop covered prefixes: the kept list is disjoint and sorted, so the only
     * possible coverer of v[i] is the last kept entry. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && mrs_prefix_covers(&v[k - 1], &v[i]))
            continue;
        v[k++] = v[i];
    }
    /* Merge sibling pairs with a stack (the output area v[0..top) is the stack). */
    size_t top = 0;
    for (size_t i = 0; i < k; i++) {
        v[top++] = v[i];
        while (top >= 2 && siblings(&v[top - 2], &v[top - 1])) {
            v[top - 2] = parent_of(&v[top - 2]);
            top--;
        }
    }
    return top;
}

static int push_prefix(mrs_prefix **out, size_t *n, size_t *cap, const mrs_prefix *p)
{
    mrs_prefix *nv = mrs_grow(*out, cap, *n + 1, sizeof *nv, 32);
    if (!nv)
        return -1;
    *out = nv;
    (*out)[(*n)++] = *p;
    return 0;
}

static bool overlap(const mrs_prefix *a, const mrs_prefix *b)
{
    return mrs_prefix_covers(a, b) || mrs_prefix_covers(b, a);
}

/* x minus b (b aggregated): split x until each half is inside b (dropped) or
 * disjoint from it (kept). At most bits * |b| pieces. */
static int subtract_one(const mrs_prefix *x, const mrs_prefix *b, size_t nb, mrs_prefix **out, size_t *n,
                        size_t *cap)
{
    bool any = false;
    for (size_t j = 0; j < nb; j++) {
        if (!overlap(x, &b[j]))
            continue;
        if (mrs_prefix_covers(&b[j], x))
            return 0;
        any = true;
    }
    if (!any)
        return push_prefix(out, n, cap, x);
    mrs_prefix lo = *x, hi = *x;
    lo.len = hi.len = (uint8_t)(x->len + 1);
    set_bit(&hi, x->len);
    if (subtract_one(&lo, b, nb, out, n, cap) < 0)
        return -1;
    return subtract_one(&hi, b, nb, out, n, cap);
}

int mrs_cidr_subtract(const mrs_prefix *a, size_t na, const mrs_prefix *b, size_t nb, mrs_prefix **out,
                      size_t *n_out, size_t *cap_out)
{
    for (size_t i = 0; i < na; i++)
        if (subtract_one(&a[i], b, nb, out, n_out, cap_out) < 0)
            return -1;
    return 0;
}

/* ---------------------------------------------------------------- names */

const char *mrs_urpf_mode_name(mrs_urpf_mode m)
{
    switch (m) {
    case MRS_URPF_NONE: return "none";
    case MRS_URPF_STRICT: return "strict";
    case MRS_URPF_EFP_A: return "efp-a";
    case MRS_URPF_EFP_B: return "efp-b";
    case MRS_URPF_LOOSE: return "loose";
    }
    return "?";
}

const char *mrs_as_src_kind_name(mrs_as_src_kind k)
{
    switch (k) {
    case MRS_AS_SRC_IRR: return "irr";
    case MRS_AS_SRC_ROA: return "roa";
    case MRS_AS_SRC_RIB: return "rib";
    case MRS_AS_SRC_EXTRA: return "extra";
    }
    return "?";
}

/* ---------------------------------------------------------------- growable arrays */

#define VEC_PUSH(arr, n, cap, val)                                           \
    do {                                                                     \
        void *nv_ = mrs_grow((arr), &(cap), (n) + 1, sizeof *(arr), 16);     \
        if (!nv_)                                                            \
            goto oom;                                                        \
        (arr) = nv_;                                                         \
        (arr)[(n)++] = (val);                                                \
    } while (0)

static void errf(char *err, size_t len, const char *fmt, ...) MRS_PRINTF(3, 4);
static void errf(char *err, size_t len, const char *fmt, ...)
{
    if (!err || !len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

static const char *base_name(const char *path)
{
    if (!path)
        return "";
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* ---------------------------------------------------------------- the cone */

static bool asrel_knows(const mrs_asrel *r, uint32_t asn)
{
    const uint32_t *x;
    return mrs_asrel_providers(r, asn, &x) + mrs_asrel_customers(r, asn, &x) + mrs_asrel_peers(r, asn, &x) +
               mrs_asrel_siblings(r, asn, &x) > 0;
}

static int cmp_member(const void *x, const void *y)
{
    const mrs_as_member *a = x, *b = y;
    return a->asn < b->asn ? -1 : a->asn > b->asn;
}

static const mrs_as_member *find_member(const mrs_antispoof *a, uint32_t asn)
{
    size_t lo;
    MRS_LOWER_BOUND(lo, a->n_members, i, a->members[i].asn < asn);
    return lo < a->n_members && a->members[lo].asn == asn ? &a->members[lo] : NULL;
}

static bool is_member(const mrs_antispoof *a, uint32_t asn) { return find_member(a, asn) != NULL; }

static int push_member(mrs_antispoof *a, size_t *cap, const mrs_as_member *m)
{
    mrs_as_member *nv = mrs_grow(a->members, cap, a->n_members + 1, sizeof *nv, 16);
    if (!nv)
        return -1;
    a->members = nv;
    a->members[a->n_members++] = *m;
    return 0;
}

/* Fill a->members (sorted), a->subject/asn/is_set/in_asrel. */
static int build_members(const mrs_antispoof_input *in, mrs_antispoof *a, char *err, size_t errlen)
{
    size_t cap = 0;
    const char *subj = in->subject ? in->subject : "";
    uint32_t asn;
    snprintf(a->subject, sizeof a->subject, "%s", subj);
    if (mrs_asn_parse(subj, strlen(subj), &asn)) {
        a->asn = asn;
        snprintf(a->subject, sizeof a->subject, "AS%u", asn);
        a->in_asrel = in->asrel && asrel_knows(in->asrel, asn);
        mrs_as_member root = {asn, 0, 0, 0, 0, 0};
        if (push_member(a, &cap, &root) != 0)
            goto oom;
        if (a->in_asrel) {
            /* Breadth-first down p2c links; a->members doubles as the queue, a
             * hash set of visited ASNs keeps it linear. */
            mrs_set64 seen;
            mrs_set64_init(&seen);
            mrs_set64_add(&seen, asn);
            for (size_t q = 0; q < a->n_members; q++) {
                const uint32_t *cust;
                size_t nc = mrs_asrel_customers(in->asrel, a->members[q].asn, &cust);
                for (size_t i = 0; i < nc; i++) {
                    if (!mrs_set64_add(&seen, cust[i]))
                        continue;
                    mrs_as_member m = {cust[i], a->members[q].asn, a->members[q].depth + 1, 0, 0, 0};
                    if (push_member(a, &cap, &m) != 0) {
                        mrs_set64_clear(&seen);
                        goto oom;
                    }
                }
            }
            bool lost = seen.oom;   /* a customer may have been skipped */
            mrs_set64_clear(&seen);
            if (lost)
                goto oom;
        }
    } else {
        if (!in->irr) {
            errf(err, errlen, "%s is neither an AS number nor, without IRR data (--irr), an as-set", subj);
            return -1;
        }
        if (in->mode == MRS_AS_EDGE_EGRESS) {
            errf(err, errlen, "--edge takes an AS number, not \"%s\"", subj);
            return -1;
        }
        a->is_set = true;
        irr_asn_list l;
        memset(&l, 0, sizeof l);
        irr_expand_opts o = {in->irr_sel, 0};
        if (irr_expand_as_set(in->irr, subj, &o, &l) < 0) {
            irr_asn_list_clear(&l);
            goto oom;
        }
        if (!l.st.found || l.n == 0) {
            /* name the sources that were searched */
            char srcs[512];
            size_t off = 0;
            srcs[0] = 0;
            size_t ns = irr_db_source_count(in->irr);
            for (unsigned i = 0; i < ns && off < sizeof srcs - 64; i++) {
                if (in->irr_sel && !in->irr_sel->all && in->irr_sel->rank[i] < 0)
                    continue;
                off += (size_t)snprintf(srcs + off, sizeof srcs - off, "%s%s", off ? ", " : "",
                                        irr_db_source_name(in->irr, i));
            }
            if (!l.st.found)
                errf(err, errlen, "as-set %s not found in the IRR sources searched (%s)", subj, off ? srcs : "none loaded");
            else
                errf(err, errlen, "as-set %s (IRR sources %s) expands to no AS number", subj, srcs);
            irr_asn_list_clear(&l);
            return -1;
        }
        for (size_t i = 0; i < l.n; i++) {
            mrs_as_member m = {l.asns[i], 0, 0, 0, 0, 0};
            if (push_member(a, &cap, &m) != 0) {
                irr_asn_list_clear(&l);
                goto oom;
            }
        }
        irr_asn_list_clear(&l);
        a->in_asrel = in->asrel != NULL;
    }
    qsort(a->members, a->n_members, sizeof *a->members, cmp_member);
    /* provider counts */
    if (in->asrel) {
        for (size_t i = 0; i < a->n_members; i++) {
            mrs_as_member *m = &a->members[i];
            const uint32_t *prov;
            size_t np = mrs_asrel_providers(in->asrel, m->asn, &prov);
            m->n_providers = (uint32_t)np;
            for (size_t j = 0; j < np; j++) {
                if (is_member(a, prov[j]) || (in->local_as && prov[j] == in->local_as))
                    continue;
                if (!m->n_outside)
                    m->first_outside = prov[j];
                m->n_outside++;
            }
        }
    }
    return 0;
oom:
    errf(err, errlen, "out of memory");
    return -1;
}

int mrs_antispoof_cone(const mrs_antispoof_input *in, uint32_t **members, size_t *n, char *err, size_t errlen)
{
    mrs_antispoof a;
    memset(&a, 0, sizeof a);
    *members = NULL;
    *n = 0;
    if (build_members(in, &a, err, errlen) < 0) {
        free(a.members);
        return -1;
    }
    uint32_t *v = malloc((a.n_members ? a.n_members : 1) * sizeof *v);
    if (!v) {
        free(a.members);
        errf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < a.n_members; i++)
        v[i] = a.members[i].asn;
    free(a.members);
    *members = v;
    *n = a.n_members;
    return 0;
}

/* ---------------------------------------------------------------- uRPF decision */

/* Is some AS above the external providers (up provider links) a customer of
 * local, i.e. does part of the cone reach us through another customer interface?
 * Fills the example (member, other customer). */
/* The upward walk's queue: each AS with the cone member it was reached from. */
typedef struct walk {
    uint32_t *queue, *from;   /* grow together */
    size_t n, capq, capf;
} walk;

static int walk_push(walk *w, uint32_t asn, uint32_t from)
{
    uint32_t *nq = mrs_grow(w->queue, &w->capq, w->n + 1, sizeof *nq, 64);
    if (!nq)
        return -1;
    w->queue = nq;
    uint32_t *nf = mrs_grow(w->from, &w->capf, w->n + 1, sizeof *nf, 64);
    if (!nf)
        return -1;
    w->from = nf;
    w->queue[w->n] = asn;
    w->from[w->n++] = from;
    return 0;
}

static bool cone_reaches_other_customer(const mrs_antispoof_input *in, const mrs_antispoof *a, uint32_t local,
                                        uint32_t *ex_member, uint32_t *ex_other)
{
    /* members other than the root with any direct link to us */
    for (size_t i = 0; i < a->n_members; i++) {
        uint32_t m = a->members[i].asn;
        if (!a->is_set && m == a->asn)
            continue;
        if (mrs_asrel_rel(in->asrel, local, m) != MRS_REL_NONE) {
            *ex_member = m;
            *ex_other = m;
            return true;
        }
    }
    /* upward walk from the providers outside the cone */
    mrs_set64 seen;
    mrs_set64_init(&seen);
    walk w = {0};
    bool found = false;
    for (size_t i = 0; i < a->n_members && !found; i++) {
        const uint32_t *prov;
        size_t np = mrs_asrel_providers(in->asrel, a->members[i].asn, &prov);
        for (size_t j = 0; j < np; j++) {
            if (prov[j] == local || is_member(a, prov[j]) || !mrs_set64_add(&seen, prov[j]))
                continue;
            if (walk_push(&w, prov[j], a->members[i].asn) != 0)
                goto out;
        }
    }
    for (size_t q = 0; q < w.n && !found; q++) {
        uint32_t x = w.queue[q];
        if (mrs_asrel_rel(in->asrel, local, x) == MRS_REL_P2C) {
            *ex_member = w.from[q];
            *ex_other = x;
            found = true;
            break;
        }
        const uint32_t *prov;
        size_t np = mrs_asrel_providers(in->asrel, x, &prov);
        for (size_t j = 0; j < np; j++) {
            if (prov[j] == local || !mrs_set64_add(&seen, prov[j]))
                continue;
            if (walk_push(&w, prov[j], w.from[q]) != 0)
                goto out;
        }
    }
out:
    free(w.queue);
    free(w.from);
    mrs_set64_clear(&seen);
    return found;
}

static void decide_urpf(const mrs_antispoof_input *in, mrs_antispoof *a)
{
    mrs_urpf_decision *d = &a->urpf;
    memset(d, 0, sizeof *d);
    d->local_given = in->local_as != 0;
    d->assumed_local = in->local_as;
    if (in->mode == MRS_AS_EDGE_EGRESS) {
        d->mode = MRS_URPF_NONE;
        d->reason = MRS_URPF_R_EDGE;
        return;
    }
    if (!in->asrel || !a->in_asrel) {
        d->mode = MRS_URPF_EFP_B;
        d->reason = MRS_URPF_R_NOT_IN_ASREL;
        return;
    }
    uint32_t local = in->local_as;
    if (!a->is_set) {
        const uint32_t *prov;
        d->customer_providers = (uint32_t)mrs_asrel_providers(in->asrel, a->asn, &prov);
        if (local) {
            mrs_rel rel = mrs_asrel_rel(in->asrel, local, a->asn);
            if (rel == MRS_REL_P2P) {
                d->mode = MRS_URPF_LOOSE;
                d->reason = MRS_URPF_R_PEER;
                d->assumed_local = local;
                return;
            }
            if (rel == MRS_REL_C2P) {
                d->mode = MRS_URPF_LOOSE;
                d->reason = MRS_URPF_R_PROVIDER;
                d->assumed_local = local;
                return;
            }
        }
        d->local_not_provider = local && mrs_asrel_rel(in->asrel, local, a->asn) != MRS_REL_P2C;
        if (d->customer_providers == 0 && !(local && mrs_asrel_rel(in->asrel, local, a->asn) == MRS_REL_P2C)) {
            d->mode = MRS_URPF_LOOSE;
            d->reason = MRS_URPF_R_TRANSIT_FREE;
            return;
        }
    }
    /* x: our AS as given; else, for a customer AS with exactly one provider, that
     * provider (we are asked about a customer, so that must be us); else, for a
     * set, the one provider outside the set if there is exactly one. */
    uint32_t x = local;
    if (!x && !a->is_set && d->customer_providers == 1) {
        const uint32_t *prov;
        mrs_asrel_providers(in->asrel, a->asn, &prov);
        x = prov[0];
    }
    /* Distinct providers of cone members outside the cone, x excluded. */
    uint32_t *ext = NULL;
    size_t next = 0, capext = 0;
    for (size_t i = 0; i < a->n_members; i++) {
        const uint32_t *prov;
        size_t np = mrs_asrel_providers(in->asrel, a->members[i].asn, &prov);
        for (size_t j = 0; j < np; j++) {
            if (is_member(a, prov[j]) || (x && prov[j] == x))
                continue;
            uint32_t *nv = mrs_grow(ext, &capext, next + 1, sizeof *nv, 16);
            if (!nv) {
                free(ext);
                d->mode = MRS_URPF_EFP_B;      /* the safe answer when we cannot compute */
                d->reason = MRS_URPF_R_MULTIHOMED_UNKNOWN;
                return;
            }
            ext = nv;
            ext[next++] = prov[j];
        }
    }
    if (next)
        qsort(ext, next, sizeof *ext, mrs_cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < next; i++)
        if (k == 0 || ext[k - 1] != ext[i])
            ext[k++] = ext[i];
    next = k;
    if (!x && a->is_set && next == 1) {
        x = ext[0];
        next = 0;
    }
    d->assumed_local = x;
    d->n_external = (uint32_t)next;
    /* Members linked to x: the interfaces over which the cone reaches us. */
    size_t links_to_x = 0;
    uint32_t other_link = 0;
    if (x)
        for (size_t i = 0; i < a->n_members; i++)
            if (mrs_asrel_rel(in->asrel, x, a->members[i].asn) != MRS_REL_NONE) {
                links_to_x++;
                if (a->is_set || a->members[i].asn != a->asn)
                    other_link = a->members[i].asn;
            }
    /* example of a multihomed member */
    for (size_t i = 0; i < a->n_members; i++) {
        const mrs_as_member *m = &a->members[i];
        const uint32_t *prov;
        size_t np = mrs_asrel_providers(in->asrel, m->asn, &prov);
        for (size_t j = 0; j < np && !d->example_member; j++)
            if (!is_member(a, prov[j]) && (!x || prov[j] != x)) {
                d->example_member = m->asn;
                d->example_provider = prov[j];
            }
        if (d->example_member)
            break;
    }
    free(ext);
    /* Strict: exactly one link between the cone and x, from x to the customer (or to
     * the one linked member of a set), and no provider outside the cone. */
    bool one_link;
    if (a->is_set)
        one_link = links_to_x == 1 && mrs_asrel_rel(in->asrel, x, other_link) == MRS_REL_P2C;
    else
        one_link = links_to_x == 1 && !other_link && mrs_asrel_rel(in->asrel, x, a->asn) == MRS_REL_P2C;
    if (x && d->n_external == 0 && one_link) {
        d->mode = MRS_URPF_STRICT;
        d->reason = a->n_members == 1 ? MRS_URPF_R_SINGLE_HOMED_STUB : MRS_URPF_R_SINGLE_HOMED_CONE;
        return;
    }
    if (a->is_set && links_to_x == 1)
        other_link = 0;     /* the single linked member of a set is not a second link */
    /* Multihomed, or the cone reaches us over more than one link. */
    if (x && links_to_x > 1) {
        d->mode = MRS_URPF_EFP_B;
        d->reason = MRS_URPF_R_MULTIHOMED_OVERLAP;
        d->example_member = other_link;
        d->example_provider = x;
        return;
    }
    if (!local) {
        d->mode = MRS_URPF_EFP_B;
        d->reason = MRS_URPF_R_MULTIHOMED_UNKNOWN;
        return;
    }
    uint32_t em = 0, eo = 0;
    if (cone_reaches_other_customer(in, a, local, &em, &eo)) {
        d->mode = MRS_URPF_EFP_B;
        d->reason = MRS_URPF_R_MULTIHOMED_OVERLAP;
        d->example_member = em;
        d->example_provider = eo;
        return;
    }
    d->mode = MRS_URPF_EFP_A;
    d->reason = MRS_URPF_R_MULTIHOMED;
}

/* ---------------------------------------------------------------- sources */

static int cmp_source(const void *x, const void *y)
{
    const mrs_as_source *a = x, *b = y;
    int c = mrs_prefix_cmp(&a->prefix, &b->prefix);
    if (c)
        return c;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->origin != b->origin)
        return a->origin < b->origin ? -1 : 1;
    if (a->maxlen != b->maxlen)
        return a->maxlen < b->maxlen ? -1 : 1;
    int s = strcmp(a->irr_source ? a->irr_source : "", b->irr_source ? b->irr_source : "");
    if (s)
        return s;
    return a->line < b->line ? -1 : a->line > b->line;
}

void mrs_antispoof_clear(mrs_antispoof *a)
{
    if (!a)
        return;
    free(a->members);
    free(a->src);
    free(a->dropped);
    free(a->permit);
    free(a->deny);
    free(a->pre_permit);
    for (size_t i = 0; i < a->n_owned; i++)
        free(a->owned[i]);
    free(a->owned);
    memset(a, 0, sizeof *a);
}

static const char *own_str(mrs_antispoof *a, const char *s, size_t *cap)
{
    char *d = strdup(s ? s : "");
    if (!d)
        return NULL;
    char **nv = mrs_grow(a->owned, cap, a->n_owned + 1, sizeof *nv, 8);
    if (!nv) {
        free(d);
        return NULL;
    }
    a->owned = nv;
    a->owned[a->n_owned++] = d;
    return d;
}

static unsigned fam_index(const mrs_prefix *p) { return p->afi == MRS_AFI_IPV6; }

/* Per family, the cone ASes with kept prefixes from VRPs or MRT routes and no IRR
 * object of that family, when the IRR data has objects of it (a->unregistered). */
static int unregistered(mrs_antispoof *a)
{
    if (!a->irr_given || !a->n_members)
        return 0;
    uint8_t *fl = calloc(a->n_members, 1);   /* bit 2f: IRR object, bit 2f+1: other source */
    if (!fl)
        return -1;
    for (size_t i = 0; i < a->n_src; i++) {
        const mrs_as_source *s = &a->src[i];
        const mrs_as_member *m = s->origin ? find_member(a, s->origin) : NULL;
        if (m)
            fl[m - a->members] |= (uint8_t)(1u << (2 * fam_index(&s->prefix) + (s->kind != MRS_AS_SRC_IRR)));
    }
    for (unsigned f = 0; f < 2; f++) {
        if (!a->irr_family_objects[f])
            continue;
        for (size_t i = 0; i < a->n_members; i++)
            if ((fl[i] >> (2 * f) & 3u) == 2u && a->unregistered[f]++ == 0)
                a->unregistered_asn[f] = a->members[i].asn;
        for (size_t i = 0; a->unregistered[f] && i < a->n_src; i++)
            if (a->src[i].origin == a->unregistered_asn[f] && fam_index(&a->src[i].prefix) == f) {
                a->unregistered_prefix[f] = a->src[i].prefix;
                break;
            }
    }
    free(fl);
    return 0;
}

/* The bogon denies: each top-level (non-nested) bogon entry, named after its
 * entry, minus the carve-outs: IPv6 link-local (permitted next, see antispoof.h)
 * and, with a source list, the permitted aggregates (they meet bogon space only
 * inside the registry's globally reachable exceptions, e.g. Teredo 2001::/32: the
 * inputs inside or covering bogons were dropped). Without a source list (loose)
 * the exceptions are permitted before the denies instead (a->pre_permit): carving
 * /128 exceptions out of their /23 would cost ~100 entries each, and in front of
 * "permit any" the two are the same filter. */
static int build_denies(const mrs_bogon_set *bs, mrs_antispoof *a)
{
    size_t nb = mrs_bogon_count(bs);
    mrs_prefix *bog = NULL, *carve = NULL, *pieces = NULL;
    size_t nbog = 0, capbog = 0, ncarve = 0, capcarve = 0, npieces = 0, cappieces = 0, capdeny = 0, cappre = 0;
    int rc = -1;
    mrs_prefix ll;
    memset(&ll, 0, sizeof ll);
    ll.afi = MRS_AFI_IPV6;
    ll.len = 10;
    ll.addr[0] = 0xfe;
    ll.addr[1] = 0x80;
    a->link_local6 = ll;
    VEC_PUSH(carve, ncarve, capcarve, ll);
    for (size_t i = 0; i < nb; i++) {
        const mrs_bogon_entry *e = mrs_bogon_entry_at(bs, i);
        if (!e->exception)
            VEC_PUSH(bog, nbog, capbog, e->prefix);
        else if (a->permit_any)
            VEC_PUSH(a->pre_permit, a->n_pre_permit, cappre, e->prefix);
    }
    a->n_pre_permit = mrs_cidr_aggregate(a->pre_permit, a->n_pre_permit);
    if (!a->permit_any)
        for (size_t i = 0; i < a->n_permit; i++)
            VEC_PUSH(carve, ncarve, capcarve, a->permit[i].prefix);
    ncarve = mrs_cidr_aggregate(carve, ncarve);
    /* top-level entries: sort, drop nested (not merged: each keeps its name) */
    if (nbog)
        qsort(bog, nbog, sizeof *bog, cmp_prefix_qsort);
    size_t k = 0;
    for (size_t i = 0; i < nbog; i++) {
        if (k > 0 && mrs_prefix_covers(&bog[k - 1], &bog[i]))
            continue;
        bog[k++] = bog[i];
    }
    nbog = k;
    for (size_t i = 0; i < nbog; i++) {
        npieces = 0;
        if (mrs_cidr_subtract(&bog[i], 1, carve, ncarve, &pieces, &npieces, &cappieces) < 0)
            goto oom;
        npieces = mrs_cidr_aggregate(pieces, npieces);
        const char *name = "", *rfc = "";
        for (size_t t = 0; t < nb; t++) {
            const mrs_bogon_entry *e = mrs_bogon_entry_at(bs, t);
            if (!e->exception && mrs_prefix_equal(&e->prefix, &bog[i])) {
                name = e->name;
                rfc = e->source;
                break;
            }
        }
        for (size_t j = 0; j < npieces; j++) {
            mrs_as_deny dn = {pieces[j], name, rfc};
            VEC_PUSH(a->deny, a->n_deny, capdeny, dn);
            if (dn.prefix.afi == MRS_AFI_IPV4)
                a->n_deny4++;
        }
    }
    for (size_t i = 0; i < a->n_pre_permit; i++)
        a->n_pre_permit4 += a->pre_permit[i].afi == MRS_AFI_IPV4;
    rc = 0;
oom:
    free(bog);
    free(carve);
    free(pieces);
    return rc;
}

int mrs_antispoof_build(const mrs_antispoof_input *in, mrs_antispoof *a, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    a->mode = in->mode;
    mrs_bogon_set *own_bogons = NULL;
    mrs_prefix *agg = NULL;
    irr_route_list rl;
    memset(&rl, 0, sizeof rl);
    size_t cap_src = 0, cap_drop = 0, cap_owned = 0, cap_permit = 0;
    if (build_members(in, a, err, errlen) < 0)
        goto fail;

    /* IRR route / route6 objects of every member */
    if (in->irr) {
        const irr_stats *ist = irr_db_stats(in->irr);
        a->irr_given = true;
        a->irr_family_objects[0] = ist->loaded[IRR_CLASS_ROUTE];
        a->irr_family_objects[1] = ist->loaded[IRR_CLASS_ROUTE6];
        for (size_t i = 0; i < a->n_members; i++)
            if (irr_routes_by_origin(in->irr, a->members[i].asn, in->irr_sel, &rl) < 0)
                goto oom;
        for (size_t i = 0; i < rl.n; i++) {
            mrs_as_source s = {rl.v[i].prefix, MRS_AS_SRC_IRR, 0, rl.v[i].origin, rl.v[i].source, rl.v[i].file,
                               rl.v[i].line, 0};
            VEC_PUSH(a->src, a->n_src, cap_src, s);
            a->n_irr++;
        }
    }
    /* VRPs of every member */
    if (in->rpki) {
        size_t nv;
        const mrs_vrp *v = mrs_rpki_vrps(in->rpki, &nv);
        for (size_t i = 0; i < nv; i++) {
            if (v[i].asn == 0 || !is_member(a, v[i].asn))
                continue;
            mrs_as_source s = {v[i].prefix, MRS_AS_SRC_ROA, v[i].maxlen, v[i].asn,
                               mrs_rpki_ta_name(in->rpki, v[i].ta), NULL, 0, 0};
            VEC_PUSH(a->src, a->n_src, cap_src, s);
            a->n_roa++;
        }
    }
    /* Routes seen in MRT data */
    if (in->rib) {
        size_t nr = mrs_seen_count(in->rib);
        for (size_t i = 0; i < nr; i++) {
            const mrs_seen_route *r = mrs_seen_at(in->rib, i);
            if (!r->origin || !is_member(a, r->origin))
                continue;
            const char *f = mrs_seen_file(in->rib, r->file);
            mrs_as_source s = {r->prefix, MRS_AS_SRC_RIB, 0, r->origin, NULL, f, 0, r->count};
            VEC_PUSH(a->src, a->n_src, cap_src, s);
            a->n_rib++;
            a->rib_entries_seen += r->count;
        }
    }
    size_t n_cone_sources = a->n_src;
    for (size_t i = 0; i < in->n_extra; i++) {
        mrs_prefix p = in->extra[i];
        mrs_prefix_mask(&p);
        mrs_as_source s = {p, MRS_AS_SRC_EXTRA, 0, 0, NULL, NULL, 0, 0};
        VEC_PUSH(a->src, a->n_src, cap_src, s);
        a->n_extra++;
    }
    if (!a->is_set && n_cone_sources == 0 && !a->in_asrel) {
        char what[160];
        size_t off = 0;
        what[0] = 0;
        off += (size_t)snprintf(what + off, sizeof what - off, "%s", in->asrel ? "not in the as-rel data" : "");
        if (in->irr)
            off += (size_t)snprintf(what + off, sizeof what - off, "%sno route/route6 object", off ? ", " : "");
        if (in->rpki)
            off += (size_t)snprintf(what + off, sizeof what - off, "%sno VRP", off ? ", " : "");
        if (in->rib)
            snprintf(what + off, sizeof what - off, "%snot seen as an origin in the MRT data", off ? ", " : "");
        errf(err, errlen, "unknown AS %s: %s", a->subject, what[0] ? what : "no data given to look it up in");
        goto fail;
    }

    /* bogon and length checks */
    if (!in->bogons && !(own_bogons = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN)))
        goto oom;
    const mrs_bogon_set *bs = in->bogons ? in->bogons : own_bogons;
    unsigned min4 = in->min_len4 ? in->min_len4 : 8, min6 = in->min_len6 ? in->min_len6 : 16;
    size_t k = 0;
    for (size_t i = 0; i < a->n_src; i++) {
        mrs_as_source *s = &a->src[i];
        mrs_as_dropped dr;
        memset(&dr, 0, sizeof dr);
        dr.src = *s;
        unsigned minl = s->prefix.afi == MRS_AFI_IPV4 ? min4 : min6;
        mrs_bogon_result br;
        mrs_bogon_match m = mrs_bogon_check_prefix(bs, &s->prefix, &br);
        if (s->kind != MRS_AS_SRC_EXTRA && s->prefix.len < minl)
            dr.reason = MRS_AS_DROP_TOO_SHORT;
        else if (m == MRS_BOGON_COVERED)
            dr.reason = MRS_AS_DROP_BOGON;
        else if (m == MRS_BOGON_OVERLAPS)
            dr.reason = MRS_AS_DROP_COVERS_BOGON;
        if (dr.reason) {
            if (br.entry && dr.reason != MRS_AS_DROP_TOO_SHORT) {
                dr.bogon = br.entry->prefix;
                if (!(dr.bogon_name = own_str(a, br.entry->name, &cap_owned)) ||
                    !(dr.bogon_rfc = own_str(a, br.entry->source, &cap_owned)))
                    goto oom;
            }
            VEC_PUSH(a->dropped, a->n_dropped, cap_drop, dr);
            continue;
        }
        a->src[k++] = *s;
    }
    a->n_src = k;
    if (unregistered(a) < 0)
        goto oom;
    if (a->n_src == 0 && in->mode == MRS_AS_EDGE_EGRESS) {
        errf(err, errlen, "no prefix found for %s (%zu dropped as bogon or too short): the filter would block all traffic",
             a->subject, a->n_dropped);
        goto fail;
    }
    if (a->n_src)
        qsort(a->src, a->n_src, sizeof *a->src, cmp_source);

    decide_urpf(in, a);
    a->permit_any = a->urpf.mode == MRS_URPF_LOOSE;
    if (a->n_src == 0 && !a->permit_any) {
        errf(err, errlen,
             "no source prefix found for the %zu AS%s of %s (%zu dropped as bogon or too short): the filter would block "
             "all traffic",
             a->n_members, a->n_members == 1 ? "" : "es", a->subject, a->n_dropped);
        goto fail;
    }

    /* exact aggregation, contributors by two pointers over the sorted sources */
    agg = malloc((a->n_src ? a->n_src : 1) * sizeof *agg);
    if (!agg)
        goto oom;
    for (size_t i = 0; i < a->n_src; i++)
        agg[i] = a->src[i].prefix;
    size_t nagg = mrs_cidr_aggregate(agg, a->n_src);
    size_t j = 0;
    for (size_t i = 0; i < nagg; i++) {
        mrs_as_permit p = {agg[i], j, 0};
        while (j < a->n_src && mrs_prefix_covers(&agg[i], &a->src[j].prefix)) {
            p.n++;
            j++;
        }
        VEC_PUSH(a->permit, a->n_permit, cap_permit, p);
        if (p.prefix.afi == MRS_AFI_IPV4)
            a->n_permit4++;
    }
    if (build_denies(bs, a) < 0)
        goto oom;
    free(agg);
    irr_route_list_clear(&rl);
    mrs_bogon_set_free(own_bogons);
    return 0;
oom:
    errf(err, errlen, "out of memory");
fail:
    free(agg);
    irr_route_list_clear(&rl);
    mrs_bogon_set_free(own_bogons);
    mrs_antispoof_clear(a);
    return -1;
}

/* ---------------------------------------------------------------- explanations */

void mrs_acl_sanitize_comment(char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch > 0x7e)
            s[i] = '?';
    }
    /* "*" "/" -> "*" "?" ("* /" would need a byte more: keep the length) */
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '*' && s[i + 1] == '/')
            s[i + 1] = '?';
}

static void linef(mrs_as_line_fn fn, void *ctx, const char *fmt, ...) MRS_PRINTF(3, 4);
static void linef(mrs_as_line_fn fn, void *ctx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    mrs_acl_sanitize_comment(buf);
    fn(ctx, buf);
}

static void member_phrase(const mrs_antispoof *a, uint32_t asn, char *buf, size_t len)
{
    const mrs_as_member *m = find_member(a, asn);
    if (!m)
        snprintf(buf, len, "AS%u", asn);
    else if (a->is_set)
        snprintf(buf, len, "AS%u (member of %s)", asn, a->subject);
    else if (m->via)
        snprintf(buf, len, "AS%u (customer of AS%u)", asn, m->via);
    else if (a->mode == MRS_AS_EDGE_EGRESS)
        snprintf(buf, len, "AS%u (the edge network)", asn);
    else
        snprintf(buf, len, "AS%u (the customer)", asn);
}

int mrs_as_source_format(const mrs_antispoof *a, const mrs_as_source *s, char *buf, size_t len)
{
    char p[MRS_PREFIX_STRLEN], who[192];
    mrs_prefix_format(&s->prefix, p);
    member_phrase(a, s->origin, who, sizeof who);
    switch ((mrs_as_src_kind)s->kind) {
    case MRS_AS_SRC_IRR:
        return snprintf(buf, len, "%s: IRR %s object, origin %s, source %s (%s:%llu)", p,
                        s->prefix.afi == MRS_AFI_IPV6 ? "route6" : "route", who, s->irr_source ? s->irr_source : "",
                        base_name(s->file), (unsigned long long)s->line);
    case MRS_AS_SRC_ROA:
        return snprintf(buf, len, "%s: ROA maxLength %u, %s%s%s", p, s->maxlen, who,
                        s->irr_source && *s->irr_source ? ", trust anchor " : "", s->irr_source ? s->irr_source : "");
    case MRS_AS_SRC_RIB:
        return snprintf(buf, len, "%s: seen in the RIB with origin %s, %llu entr%s (%s)", p, who,
                        (unsigned long long)s->count, s->count == 1 ? "y" : "ies", base_name(s->file));
    case MRS_AS_SRC_EXTRA:
        return snprintf(buf, len, "%s: given by the operator (--extra)", p);
    }
    return snprintf(buf, len, "%s", p);
}

void mrs_antispoof_provenance(const mrs_antispoof *a, size_t i, size_t max, mrs_as_line_fn fn, void *ctx)
{
    const mrs_as_permit *p = &a->permit[i];
    size_t show = max && p->n > max ? max : p->n;
    char buf[512];
    for (size_t k = 0; k < show; k++) {
        mrs_as_source_format(a, &a->src[p->first + k], buf, sizeof buf);
        mrs_acl_sanitize_comment(buf);
        fn(ctx, buf);
    }
    if (show < p->n)
        linef(fn, ctx, "... and %zu more (all of them: --format json)", p->n - show);
}

static const char *drop_reason_text(const mrs_as_dropped *d, char *buf, size_t len)
{
    char b[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&d->bogon, b);
    switch ((mrs_as_drop_reason)d->reason) {
    case MRS_AS_DROP_BOGON:
        snprintf(buf, len, "inside bogon %s %s (%s)", b, d->bogon_name ? d->bogon_name : "", d->bogon_rfc ? d->bogon_rfc : "");
        break;
    case MRS_AS_DROP_COVERS_BOGON:
        snprintf(buf, len, "covers bogon %s %s (%s): nobody can hold it", b, d->bogon_name ? d->bogon_name : "",
                 d->bogon_rfc ? d->bogon_rfc : "");
        break;
    case MRS_AS_DROP_TOO_SHORT:
        snprintf(buf, len, "shorter than the minimum length for a source prefix");
        break;
    }
    return buf;
}

size_t mrs_antispoof_warnings(const mrs_antispoof *a, mrs_as_line_fn fn, void *ctx)
{
    if (a->permit_any)
        return 0;
    static const char *const fam[2] = {"IPv4", "IPv6"}, *const obj[2] = {"route", "route6"};
    size_t n = 0;
    for (unsigned f = 0; f < 2; f++) {
        size_t permits = f ? a->n_permit - a->n_permit4 : a->n_permit4;
        bool no_objects = a->irr_given && !a->irr_family_objects[f], said = true;
        if (!permits && no_objects)
            linef(fn, ctx, "no %s source prefix: the IRR data given holds no %s objects (add the %s dump, e.g. "
                           "--irr ripe.db.%s.gz) and no VRP, MRT route or --extra gives one: the filter drops every "
                           "%s packet from %s",
                  fam[f], obj[f], obj[f], obj[f], fam[f], a->subject);
        else if (!permits)
            linef(fn, ctx, "no %s source prefix for %s in the data given: the filter drops every %s packet from it",
                  fam[f], a->subject, fam[f]);
        else if (no_objects)
            linef(fn, ctx, "the IRR data given holds no %s objects (add the %s dump, e.g. --irr ripe.db.%s.gz): the "
                           "%s permits come from VRPs, MRT routes and --extra only and may miss prefixes of %s",
                  obj[f], obj[f], obj[f], fam[f], a->subject);
        else
            said = false;
        n += said;
        if (a->unregistered[f]) {
            char ps[MRS_PREFIX_STRLEN];
            mrs_prefix_format(&a->unregistered_prefix[f], ps);
            linef(fn, ctx, "%u AS%s of the cone ha%s %s prefixes from VRPs or MRT routes but no %s object (e.g. AS%u, "
                           "%s): permitted from those sources only; without --vrps/--rib they would be dropped",
                  a->unregistered[f], a->unregistered[f] == 1 ? "" : "es", a->unregistered[f] == 1 ? "s" : "ve",
                  fam[f], obj[f], a->unregistered_asn[f], ps);
            n++;
        }
    }
    return n;
}

struct prefixed {
    mrs_as_line_fn fn;
    void *ctx;
};

static void warning_line(void *ctx, const char *line)
{
    const struct prefixed *p = ctx;
    char buf[1024];
    snprintf(buf, sizeof buf, "warning: %s", line);
    p->fn(p->ctx, buf);
}

void mrs_antispoof_explain(const mrs_antispoof *a, mrs_as_line_fn fn, void *ctx)
{
    const mrs_urpf_decision *d = &a->urpf;
    char who[192];
    if (a->mode == MRS_AS_EDGE_EGRESS)
        linef(fn, ctx, "manrs antispoof: egress source-address filter (BCP 38, RFC 2827 section 3) for the edge network %s:",
              a->subject);
    else
        linef(fn, ctx, "manrs antispoof: ingress source-address filter (BCP 38, RFC 2827; BCP 84, RFC 3704/8704) for customer %s",
              a->subject);
    if (a->mode == MRS_AS_EDGE_EGRESS)
        linef(fn, ctx, "only packets with a source in its own (and its customers') address space may leave.");
    /* the cone */
    if (a->is_set)
        linef(fn, ctx, "cone: %zu AS%s from the expansion of as-set %s", a->n_members, a->n_members == 1 ? "" : "es",
              a->subject);
    else if (a->in_asrel)
        linef(fn, ctx, "cone: %zu AS%s: %s and its customers, recursively, in the as-rel data", a->n_members,
              a->n_members == 1 ? "" : "es", a->subject);
    else
        linef(fn, ctx, "cone: %s alone (%s)", a->subject, "not in the as-rel data or no as-rel data given");
    size_t show = a->n_members < 16 ? a->n_members : 16;
    for (size_t i = 0; i < show; i++) {
        const mrs_as_member *m = &a->members[i];
        member_phrase(a, m->asn, who, sizeof who);
        if (!a->in_asrel)
            linef(fn, ctx, "  %s", who);
        else if (m->n_outside)
            linef(fn, ctx, "  %s: %u provider%s, %u outside the cone (e.g. AS%u)", who, m->n_providers,
                  m->n_providers == 1 ? "" : "s", m->n_outside, m->first_outside);
        else
            linef(fn, ctx, "  %s: %u provider%s, none outside the cone", who, m->n_providers, m->n_providers == 1 ? "" : "s");
    }
    if (show < a->n_members)
        linef(fn, ctx, "  ... and %zu more ASes", a->n_members - show);
    linef(fn, ctx,
          "sources: %llu IRR route/route6 objects, %llu VRPs, %llu routes seen in MRT data, %llu given; %zu dropped",
          (unsigned long long)a->n_irr, (unsigned long long)a->n_roa, (unsigned long long)a->n_rib,
          (unsigned long long)a->n_extra, a->n_dropped);
    for (size_t i = 0; i < a->n_dropped && i < 32; i++) {
        char s[512], r[256];
        mrs_as_source_format(a, &a->dropped[i].src, s, sizeof s);
        linef(fn, ctx, "  dropped %s -- %s", s, drop_reason_text(&a->dropped[i], r, sizeof r));
    }
    if (a->n_dropped > 32)
        linef(fn, ctx, "  ... and %zu more dropped (--format json lists all)", a->n_dropped - 32);
    if (!a->permit_any)
        linef(fn, ctx,
              "permit: %zu IPv4 + %zu IPv6 exact aggregates of the %zu source prefixes (no address outside them)",
              a->n_permit4, a->n_permit - a->n_permit4, a->n_src);
    struct prefixed pw = {fn, ctx};
    mrs_antispoof_warnings(a, warning_line, &pw);
    if (a->mode == MRS_AS_CUSTOMER_INGRESS && !a->permit_any && a->n_extra == 0)
        linef(fn, ctx, "note: the interconnect subnet is not listed: what the customer's router sends from its link "
                       "address (BGP, ICMP) is dropped unless you add the subnet (--extra)");
    linef(fn, ctx, "deny first: %zu bogon source blocks (IANA special-purpose registries), IPv6 link-local excepted", a->n_deny);
    /* uRPF */
    if (d->local_not_provider)
        linef(fn, ctx, "note: the as-rel data has no provider link from AS%u (you) to %s; the decision below "
                       "uses the links it has", d->assumed_local, a->subject);
    linef(fn, ctx, "uRPF mode: %s", mrs_urpf_mode_name(d->mode));
    switch (d->reason) {
    case MRS_URPF_R_EDGE:
        linef(fn, ctx, "  egress filter on the upstream interface: uRPF is for ingress; on interfaces towards");
        linef(fn, ctx, "  your own customers use 'manrs antispoof --customer'; loose uRPF towards providers");
        linef(fn, ctx, "  (RFC 8704 section 3.7).");
        break;
    case MRS_URPF_R_SINGLE_HOMED_STUB:
        linef(fn, ctx, "  %s has one provider (AS%u, %s) and no customers: a directly connected", a->subject,
              d->assumed_local, d->local_given ? "you" : "taken to be you");
        linef(fn, ctx, "  single-homed stub; strict uRPF (RFC 3704 section 2.2) is what RFC 8704 section 3.7 says to");
        linef(fn, ctx, "  use: every route to its prefixes points back out of this interface.");
        linef(fn, ctx, "  If it connects to you over more than one link, use the filter below without strict uRPF.");
        break;
    case MRS_URPF_R_SINGLE_HOMED_CONE:
        linef(fn, ctx, "  %s has one provider (AS%u, %s) and no AS of its cone has a provider", a->subject,
              d->assumed_local, d->local_given ? "you" : "taken to be you");
        linef(fn, ctx, "  outside the cone: every route to the cone's prefixes enters your network over this");
        linef(fn, ctx, "  interface, so strict uRPF (RFC 3704 section 2.2) drops nothing legitimate.");
        linef(fn, ctx, "  If it connects to you over more than one link, use the filter below without strict uRPF.");
        break;
    case MRS_URPF_R_MULTIHOMED:
        linef(fn, ctx, "  multihomed: AS%u has provider AS%u outside the cone (%u such providers), so strict uRPF",
              d->example_member, d->example_provider, d->n_external);
        linef(fn, ctx, "  would drop legitimate traffic (RFC 8704 section 2). Enhanced feasible-path uRPF, algorithm A");
        linef(fn, ctx, "  (RFC 8704 section 3.3): no AS of the cone reaches AS%u through another customer of yours,",
              d->assumed_local);
        linef(fn, ctx, "  so the per-interface list of algorithm A equals algorithm B's here and is the tighter one.");
        linef(fn, ctx, "  Routers do not implement EFP-uRPF: the permit list below is that RPF list (all prefixes");
        linef(fn, ctx, "  of the cone's origin ASes, augmented with ROAs and IRR objects, RFC 8704 section 3.5).");
        linef(fn, ctx, "  Do not enable strict or feasible-path uRPF on this interface.");
        break;
    case MRS_URPF_R_MULTIHOMED_OVERLAP:
        if (d->example_member == d->example_provider || d->example_provider == d->assumed_local)
            linef(fn, ctx, "  the cone reaches AS%u over more than one link: AS%u connects to it directly as well,",
                  d->assumed_local, d->example_member);
        else
            linef(fn, ctx, "  the cone also reaches AS%u through another of its customers: cone member AS%u is below AS%u,"
                           " a customer of AS%u too,",
                  d->assumed_local, d->example_member, d->example_provider, d->assumed_local);
        linef(fn, ctx, "  so a cone AS may announce its prefixes over the other interface only and still send traffic");
        linef(fn, ctx, "  over this one: enhanced feasible-path uRPF, algorithm B (RFC 8704 section 3.4), which gives");
        linef(fn, ctx, "  every customer interface the same list. Routers do not implement EFP-uRPF: the permit list");
        linef(fn, ctx, "  below is that RPF list for this cone (augmented with ROAs and IRR objects, section 3.5);");
        linef(fn, ctx, "  do not enable strict or feasible-path uRPF on this interface.");
        break;
    case MRS_URPF_R_MULTIHOMED_UNKNOWN:
        if (d->example_member)
            linef(fn, ctx, "  multihomed: AS%u has provider AS%u outside the cone, so strict uRPF would drop",
                  d->example_member, d->example_provider);
        else
            linef(fn, ctx, "  multihomed: strict uRPF would drop legitimate traffic");
        linef(fn, ctx, "  legitimate traffic. Your own AS was not given (--local-as), so whether the cone also reaches");
        linef(fn, ctx, "  you through another customer is unknown: enhanced feasible-path uRPF, algorithm B");
        linef(fn, ctx, "  (RFC 8704 section 3.4), as section 3.7 recommends for every customer interface that is not");
        linef(fn, ctx, "  a single-homed stub. The permit list below is that RPF list; do not enable strict uRPF.");
        break;
    case MRS_URPF_R_NOT_IN_ASREL:
        linef(fn, ctx, "  no AS relationship data for %s: its multihoming is unknown, so strict uRPF is not", a->subject);
        linef(fn, ctx, "  known to be safe; enhanced feasible-path uRPF, algorithm B (RFC 8704 section 3.4, the");
        linef(fn, ctx, "  section 3.7 default). The permit list below is that RPF list; do not enable strict uRPF.");
        break;
    case MRS_URPF_R_PEER:
        linef(fn, ctx, "  %s is a lateral peer of AS%u in the as-rel data, not a customer: RFC 8704 section 3.7", a->subject,
              d->assumed_local);
        linef(fn, ctx, "  says loose uRPF (RFC 3704 section 2.4) on lateral peer interfaces. Only bogons are denied.");
        break;
    case MRS_URPF_R_PROVIDER:
        linef(fn, ctx, "  %s is a provider of AS%u in the as-rel data: traffic from anywhere arrives here; loose",
              a->subject, d->assumed_local);
        linef(fn, ctx, "  uRPF (RFC 3704 section 2.4, RFC 8704 section 3.7). Only bogons are denied.");
        break;
    case MRS_URPF_R_TRANSIT_FREE:
        linef(fn, ctx, "  %s has no provider in the as-rel data (transit-free): it forwards traffic from the whole",
              a->subject);
        linef(fn, ctx, "  Internet, so no source list is safe; loose uRPF (RFC 3704 section 2.4). Only bogons are denied.");
        break;
    }
}

void mrs_acl_default_name(const mrs_antispoof *a, char *buf, size_t len)
{
    char tmp[192];
    snprintf(tmp, sizeof tmp, "MANRS-ANTISPOOF-%s-%s", a->subject, a->mode == MRS_AS_EDGE_EGRESS ? "OUT" : "IN");
    size_t k = 0;
    for (const char *s = tmp; *s && k + 1 < len; s++) {
        char ch = *s;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        buf[k++] = ok ? ch : '_';
    }
    if (len)
        buf[k] = 0;
}
