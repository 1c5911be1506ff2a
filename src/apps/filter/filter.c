/*
 * filter.c — the neutral half of manrs filter (see include/manrs/apps/filter.h): IRR
 * objects -> one sorted list of prefix ranges or ASNs; the range compiler
 * (exact containment removal and aggregation); the printer registry.
 *
 * Range compiler. Each distinct prefix is a node with a bit mask of accepted
 * lengths: bit k set = "every prefix of length k inside this node". A range
 * {p, lo, hi} sets bits lo..hi of node p. Then:
 *   - containment: a bit of a node that an ancestor node also has is redundant
 *     (the ancestor accepts all those prefixes already) and is cleared;
 *   - aggregation (-A), bottom-up per length: the bits two sibling nodes have in
 *     common move to their parent (the union of "length-k prefixes inside the
 *     left half" and "... inside the right half" is exactly "length-k prefixes
 *     inside the parent", for k >= the halves' length). Then containment again.
 * Every rewrite preserves the accepted set of (prefix, length) pairs exactly.
 * Each contiguous run of bits of a node is printed as one range.
 */
#include "manrs/apps/filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/bogon.h"
#include "manrs/core/grow.h"
#include "manrs/core/map64.h"
#include "manrs/kb/irr_query.h"
#include "manrs/kb/rpki.h"
#include "manrs/core/search.h"

void filter_list_clear(filter_list *l)
{
    free(l->v);
    free(l->asns);
    l->v = NULL;
    l->asns = NULL;
    l->n = l->cap = l->n_asns = l->cap_asns = 0;
}

/* ------------------------------------------------------------ range compiler */

typedef struct fnode {
    mrs_prefix p;
    uint32_t next;   /* -A: the next node of the same length (in what would be padding) */
    uint64_t m[3];   /* accepted lengths 0..191 (0..128 used) */
} fnode;

typedef struct ftab {
    fnode *v;
    size_t n, cap;
    mrs_map64 map;   /* pfx_key -> index in v */
} ftab;

static inline bool mbit(const uint64_t m[3], unsigned k) { return (m[k >> 6] >> (k & 63)) & 1; }
static inline void mset(uint64_t m[3], unsigned k) { m[k >> 6] |= 1ull << (k & 63); }
static inline bool mzero(const uint64_t m[3]) { return !(m[0] | m[1] | m[2]); }

static uint64_t phash(const mrs_prefix *p)
{
    uint64_t a, b;
    memcpy(&a, p->addr, 8);
    memcpy(&b, p->addr + 8, 8);
    uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^ ((uint64_t)p->len << 8 | p->afi);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
}

static bool same_pfx(const mrs_prefix *a, const mrs_prefix *b)
{
    return a->afi == b->afi && a->len == b->len && !memcmp(a->addr, b->addr, 16);
}

#define HASHED_KEY (1ull << 63)

/* The map key of p for probe number `salt`. An IPv4 prefix as mrs_prefix_mask
 * leaves it (addr[4..15] zero) is its own key, len << 32 | address: *exact, a
 * hit is p itself and the salt is never used. Any other prefix (IPv6) is keyed
 * by a hash with bit 63 set, so that it never takes an exact key; a hit must be
 * compared, and another prefix under the key sends the probe to the next salt. */
static uint64_t pfx_key(const mrs_prefix *p, uint32_t salt, bool *exact)
{
    uint32_t hi, mid;
    uint64_t lo;
    memcpy(&hi, p->addr, 4);
    memcpy(&mid, p->addr + 4, 4);
    memcpy(&lo, p->addr + 8, 8);
    *exact = p->afi == MRS_AFI_IPV4 && !mid && !lo;
    if (*exact)
        return (uint64_t)p->len << 32 | hi;   /* host byte order: a key, not an address */
    uint64_t k = phash(p);
    if (salt)
        k = mrs_mix64(k ^ salt * 0x9E3779B97F4A7C15ull);
    k |= HASHED_KEY;
    return k == MRS_MAP64_FREE ? k - 1 : k;
}

/* Index of node p, or SIZE_MAX if absent; then *key is where p goes, the key
 * of probe number *salt. */
static size_t ftab_find(const ftab *t, const mrs_prefix *p, uint64_t *key, uint32_t *salt)
{
    bool exact;
    for (*salt = 0;; ++*salt) {
        *key = pfx_key(p, *salt, &exact);
        const uint32_t *id = mrs_map64_get(&t->map, *key);
        if (!id)
            return SIZE_MAX;
        if (exact || same_pfx(&t->v[*id].p, p))
            return *id;
    }
}

/* Index of node p, creating it (empty mask) if create. SIZE_MAX if absent / OOM. */
static size_t ftab_get(ftab *t, const mrs_prefix *p, bool create)
{
    uint64_t key;
    uint32_t salt;
    size_t i = ftab_find(t, p, &key, &salt);
    if (i != SIZE_MAX || !create)
        return i;
    fnode *nv = mrs_grow(t->v, &t->cap, t->n + 1, sizeof *nv, 256);
    if (!nv)
        return SIZE_MAX;
    t->v = nv;
    bool found;
    uint32_t *slot = mrs_map64_put(&t->map, key, &found);
    if (!slot)
        return SIZE_MAX;
    i = t->n++;
    *slot = (uint32_t)i;
    memset(&t->v[i], 0, sizeof t->v[i]);
    t->v[i].p = *p;
    return i;
}

/* The map of the nodes v[0..n), which are distinct, built again (after v was
 * reordered), sized once. Each node takes the first of its keys that no other
 * node holds, as ftab_get would have given it. Returns 0, -1 out of memory. */
static int ftab_index(ftab *t)
{
    if (mrs_map64_reserve(&t->map, t->n) != 0)   /* cleared before the sort: all zero */
        return -1;
    for (size_t i = 0; i < t->n; i++)
        for (uint32_t salt = 0;; salt++) {
            bool exact, found;
            uint32_t *slot = mrs_map64_put(&t->map, pfx_key(&t->v[i].p, salt, &exact), &found);
            if (!slot)
                return -1;
            if (!found) {
                *slot = (uint32_t)i;
                break;
            }
        }
    return 0;
}

static int cmp_node(const void *a_, const void *b_)
{
    const fnode *a = a_, *b = b_;
    if (a->p.afi != b->p.afi)
        return a->p.afi < b->p.afi ? -1 : 1;
    int c = memcmp(a->p.addr, b->p.addr, 16);
    if (c)
        return c;
    return (a->p.len > b->p.len) - (a->p.len < b->p.len);
}

/* Clear the bits an ancestor node has. Nodes sorted by (afi, address, length):
 * the ancestors of a node are on a stack of the covering nodes before it. */
static void containment(fnode *v, size_t n)
{
    size_t stack[130];
    uint64_t cum[130][3];
    size_t top = 0;
    for (size_t i = 0; i < n; i++) {
        while (top && !mrs_prefix_covers(&v[stack[top - 1]].p, &v[i].p))
            top--;
        if (top)
            for (int w = 0; w < 3; w++)
                v[i].m[w] &= ~cum[top - 1][w];
        if (top < 130) {
            for (int w = 0; w < 3; w++)
                cum[top][w] = (top ? cum[top - 1][w] : 0) | v[i].m[w];
            stack[top++] = i;
        }
    }
}

#define NO_NODE UINT32_MAX

/* -A: move the lengths two sibling nodes have in common to their parent,
 * bottom-up (see the header comment). Returns 0, -1 out of memory.
 *
 * Memory: the map is freed for the sort (whose scratch buffer would otherwise
 * share the peak with it) and built again after it, sized once. A round visits
 * the nodes of its length through a list threaded through the nodes (`next`),
 * so the rounds cost no memory either; a parent created in round L joins the
 * list of round L - 1. Within a round the order does not matter: the pairs are
 * disjoint and each has its own parent. */
static int aggregate_nodes(ftab *t)
{
    mrs_map64_clear(&t->map);
    if (t->n)
        qsort(t->v, t->n, sizeof *t->v, cmp_node);
    containment(t->v, t->n);
    if (ftab_index(t) < 0)
        return -1;
    uint32_t head[129];
    for (int L = 0; L <= 128; L++)
        head[L] = NO_NODE;
    for (size_t i = t->n; i-- > 0;)   /* each list in the order of v */
        if (t->v[i].p.len <= 128) {
            t->v[i].next = head[t->v[i].p.len];
            head[t->v[i].p.len] = (uint32_t)i;
        }
    for (int L = 128; L >= 1; L--) {
        for (size_t i = head[L]; i != NO_NODE; i = t->v[i].next) {
            if (mzero(t->v[i].m))
                continue;
            unsigned bitpos = (unsigned)L - 1;
            if ((t->v[i].p.addr[bitpos >> 3] >> (7 - (bitpos & 7))) & 1)
                continue;   /* visit each pair from its left half */
            mrs_prefix sib = t->v[i].p;
            sib.addr[bitpos >> 3] |= (uint8_t)(1u << (7 - (bitpos & 7)));
            size_t j = ftab_get(t, &sib, false);
            if (j == SIZE_MAX)
                continue;
            uint64_t common[3];
            for (int w = 0; w < 3; w++)
                common[w] = t->v[i].m[w] & t->v[j].m[w];
            if (mzero(common))
                continue;
            mrs_prefix par = t->v[i].p;
            par.len--;
            size_t before = t->n;
            size_t k = ftab_get(t, &par, true);
            if (k == SIZE_MAX)
                return -1;
            if (t->n != before) {   /* a new node: round L - 1 visits it */
                t->v[k].next = head[L - 1];
                head[L - 1] = (uint32_t)k;
            }
            for (int w = 0; w < 3; w++) {
                t->v[k].m[w] |= common[w];
                t->v[i].m[w] &= ~common[w];
                t->v[j].m[w] &= ~common[w];
            }
        }
    }
    return 0;
}

static size_t compile(filter_range *v, size_t n, bool aggregate, filter_range **outp, size_t *outcap)
{
    ftab t = {0};
    /* The n ranges make at most n nodes (until -A adds parents): the map is
     * sized once, so no doubling holds an old and a new table at once. */
    if (mrs_map64_reserve(&t.map, n) != 0)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        mrs_prefix p = v[i].prefix;
        mrs_prefix_mask(&p);
        size_t k = ftab_get(&t, &p, true);
        if (k == SIZE_MAX)
            goto oom;
        for (unsigned b = v[i].lo; b <= v[i].hi; b++)
            mset(t.v[k].m, b);
    }
    if (aggregate && aggregate_nodes(&t) < 0)
        goto oom;
    /* The nodes are complete: the output list does not share the peak with the map. */
    mrs_map64_clear(&t.map);
    if (t.n)
        qsort(t.v, t.n, sizeof *t.v, cmp_node);
    containment(t.v, t.n);
    /* Emit one range per contiguous run of bits. */
    size_t w = 0;
    filter_range *out = *outp;
    size_t cap = *outcap;
    for (size_t i = 0; i < t.n; i++) {
        unsigned bits = mrs_afi_bits(t.v[i].p.afi);
        for (unsigned b = t.v[i].p.len; b <= bits; b++) {
            if (!mbit(t.v[i].m, b))
                continue;
            unsigned e = b;
            while (e + 1 <= bits && mbit(t.v[i].m, e + 1))
                e++;
            filter_range *nv = mrs_grow(out, &cap, w + 1, sizeof *nv, 256);
            if (!nv)
                goto oom;
            out = *outp = nv;
            *outcap = cap;
            out[w++] = (filter_range){.prefix = t.v[i].p, .lo = (uint8_t)b, .hi = (uint8_t)e};
            b = e;
        }
    }
    free(t.v);
    return w;
oom:
    free(t.v);
    mrs_map64_clear(&t.map);
    return SIZE_MAX;
}

int filter_compile(filter_range **v, size_t *n, size_t *cap, bool aggregate)
{
    filter_range *out = NULL;
    size_t ocap = 0;
    size_t w = compile(*v, *n, aggregate, &out, &ocap);
    if (w == SIZE_MAX) {
        free(out);
        return -1;
    }
    free(*v);
    *v = out;
    *n = w;
    *cap = ocap;
    return 0;
}

/* ------------------------------------------------------------ building */

static int push_range(filter_list *l, const filter_range *r)
{
    filter_range *nv = mrs_grow(l->v, &l->cap, l->n + 1, sizeof *nv, 256);
    if (!nv)
        return -1;
    l->v = nv;
    l->v[l->n++] = *r;
    return 0;
}

static int push_asn(filter_list *l, uint32_t a)
{
    uint32_t *nv = mrs_grow(l->asns, &l->cap_asns, l->n_asns + 1, sizeof *nv, 256);
    if (!nv)
        return -1;
    l->asns = nv;
    l->asns[l->n_asns++] = a;
    return 0;
}

bool filter_asn_private(uint32_t a) { return (a >= 64496 && a <= 65551) || a >= 4200000000u; }

typedef struct build_ctx {
    const filter_opts *o;
    filter_list *out;
    filter_stats *st;
    mrs_bogon_set *bogons;
    bool oom;
} build_ctx;

static void warn(const build_ctx *c, const mrs_prefix *p, uint32_t origin, const char *what, const char *why)
{
    if (!c->o->warn)
        return;
    char ps[MRS_PREFIX_STRLEN];
    mrs_prefix_format(p, ps);
    if (origin)
        fprintf(c->o->warn, "manrs filter: warning: %s origin AS%u dropped: %s (%s)\n", ps, origin, what, why);
    else
        fprintf(c->o->warn, "manrs filter: warning: %s dropped: %s (%s)\n", ps, what, why);
}

/* One registered (prefix, origin): apply the per-route drops, then add. */
static int add_route(build_ctx *c, const mrs_prefix *p, uint32_t origin, bool have_origin)
{
    const filter_opts *o = c->o;
    unsigned bits = mrs_afi_bits(p->afi);
    c->st->routes++;
    if (o->max_len && p->len > o->max_len) {
        c->st->dropped_long++;
        return 0;
    }
    if (c->bogons) {
        mrs_bogon_result br;
        if (mrs_bogon_check_prefix(c->bogons, p, &br) == MRS_BOGON_COVERED) {
            c->st->dropped_bogon++;
            warn(c, p, origin, "bogon", br.entry ? br.entry->source : "bogon list");
            return 0;
        }
    }
    if (o->rpki && have_origin) {
        mrs_rov_result rr;
        if (mrs_rov_validate_ex(o->rpki, p, origin, false, &rr) == MRS_ROV_INVALID) {
            c->st->dropped_rpki++;
            static const char *const why[] = {"", "no VRP for this origin", "longer than maxLength",
                                              "VRP with AS0", "origin none"};
            warn(c, p, origin, "RPKI invalid", rr.reason < sizeof why / sizeof why[0] ? why[rr.reason] : "invalid");
            return 0;
        }
    }
    unsigned hi = p->len;
    if (o->more_specific_to > hi)
        hi = o->more_specific_to > bits ? bits : o->more_specific_to;
    filter_range r = {.prefix = *p, .lo = p->len, .hi = (uint8_t)hi};
    mrs_prefix_mask(&r.prefix);
    return push_range(c->out, &r);
}

typedef struct origin_cb {
    build_ctx *c;
} origin_cb;

static int on_route(void *user, const irr_route_ref *r)
{
    origin_cb *oc = user;
    if (add_route(oc->c, &r->prefix, r->origin, true) < 0) {
        oc->c->oom = true;
        return 1;
    }
    return 0;
}

static void sources_text(const filter_opts *o, char *buf, size_t n)
{
    if (o->sources_text && *o->sources_text)
        snprintf(buf, n, "in sources %s", o->sources_text);
    else
        snprintf(buf, n, "in any loaded source");
}

int filter_build(const irr_db *db, const filter_opts *o, const char *const *objects, size_t n_objects,
                 filter_list *out, filter_stats *st, char *err, size_t errlen)
{
    filter_stats dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    memset(out, 0, sizeof *out);
    out->kind = o->kind;
    out->afi = o->afi ? o->afi : MRS_AFI_IPV4;
    out->name = o->name ? o->name : "NN";
    out->peer_asn = o->peer_asn;
    build_ctx c = {.o = o, .out = out, .st = st};
    if (o->no_bogons) {
        c.bogons = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
        if (!c.bogons) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    irr_expand_opts eo = {.sel = o->sel, .max_depth = o->max_depth};
    irr_asn_list asl = {0};
    irr_range_list rl = {0};
    int rc = -1;
    char where[600];
    sources_text(o, where, sizeof where);
    /* 1. Objects -> ASN list (+ route-set ranges, literal prefixes). */
    for (size_t i = 0; i < n_objects; i++) {
        const char *obj = objects[i];
        size_t on = strlen(obj);
        int cls = irr_set_class_of_name(obj, on);
        uint32_t asn;
        mrs_prefix p;
        if (cls == IRR_CLASS_AS_SET) {
            if (irr_expand_as_set(db, obj, &eo, &asl) < 0)
                goto oom;
            if (!asl.st.found) {
                snprintf(err, errlen, "%s: no such as-set %s", obj, where);
                goto out;
            }
            st->cycles += asl.st.cycles;
            for (size_t k = 0; k < asl.n; k++)
                if (push_asn(out, asl.asns[k]) < 0)
                    goto oom;
        } else if (cls == IRR_CLASS_ROUTE_SET) {
            if (o->kind != FILTER_PREFIX) {
                snprintf(err, errlen, "%s: a route-set cannot make an AS-path filter or AS list", obj);
                goto out;
            }
            if (irr_expand_route_set(db, obj, &eo, &rl) < 0)
                goto oom;
            if (!rl.st.found) {
                snprintf(err, errlen, "%s: no such route-set %s", obj, where);
                goto out;
            }
            st->cycles += rl.st.cycles;
            for (size_t k = 0; k < rl.n; k++) {
                const irr_prefix_range *r = &rl.v[k];
                if (r->prefix.afi != out->afi)
                    continue;
                if (o->max_len && r->min_len > o->max_len) {
                    st->dropped_long++;
                    continue;
                }
                filter_range fr = {.prefix = r->prefix, .lo = r->min_len, .hi = r->max_len};
                if (o->max_len && fr.hi > o->max_len)
                    fr.hi = (uint8_t)o->max_len;
                if (o->more_specific_to > fr.hi)
                    fr.hi = (uint8_t)(o->more_specific_to > mrs_afi_bits(out->afi) ? mrs_afi_bits(out->afi)
                                                                                     : o->more_specific_to);
                if (c.bogons) {
                    mrs_bogon_result br;
                    if (mrs_bogon_check_prefix(c.bogons, &fr.prefix, &br) == MRS_BOGON_COVERED) {
                        st->dropped_bogon++;
                        warn(&c, &fr.prefix, 0, "bogon", br.entry ? br.entry->source : "bogon list");
                        continue;
                    }
                }
                if (push_range(out, &fr) < 0)
                    goto oom;
            }
        } else if (mrs_asn_parse(obj, on, &asn)) {
            if (push_asn(out, asn) < 0)
                goto oom;
        } else if (memchr(obj, '/', on) && mrs_prefix_parse(obj, on, &p, false)) {
            if (o->kind != FILTER_PREFIX) {
                snprintf(err, errlen, "%s: a prefix cannot make an AS-path filter or AS list", obj);
                goto out;
            }
            mrs_prefix_mask(&p);
            if (p.afi == out->afi && add_route(&c, &p, 0, false) < 0)
                goto oom;
        } else {
            snprintf(err, errlen, "%s: not an AS number, as-set, route-set or prefix", obj);
            goto out;
        }
    }
    if (out->n_asns) {
        qsort(out->asns, out->n_asns, sizeof *out->asns, mrs_cmp_u32);
        size_t w = 0;
        for (size_t k = 0; k < out->n_asns; k++)
            if (!w || out->asns[w - 1] != out->asns[k])
                out->asns[w++] = out->asns[k];
        out->n_asns = w;
    }
    if (c.bogons) {
        size_t w = 0;
        for (size_t k = 0; k < out->n_asns; k++) {
            const mrs_bogon_asn_range *why;
            if (mrs_bogon_asn(out->asns[k], &why)) {
                st->dropped_bogon++;
                if (o->warn)
                    fprintf(o->warn, "manrs filter: warning: AS%u dropped: bogon ASN (%s, %s)\n", out->asns[k],
                            why->name, why->source);
                continue;
            }
            out->asns[w++] = out->asns[k];
        }
        out->n_asns = w;
    }
    /* AS-path filters and AS lists: without -p, the private and reserved ASNs
     * go, as bgpq4 drops them. (Prefix lists keep them in out->asns, below.) */
    if (o->kind != FILTER_PREFIX && !o->allow_private) {
        size_t w = 0;
        for (size_t k = 0; k < out->n_asns; k++) {
            if (filter_asn_private(out->asns[k])) {
                st->dropped_private++;
                continue;
            }
            out->asns[w++] = out->asns[k];
        }
        out->n_asns = w;
    }
    st->asns = out->n_asns;
    /* 2. Prefix lists: the routes of every ASN. */
    if (o->kind == FILTER_PREFIX) {
        for (size_t k = 0; k < out->n_asns; k++) {
            uint32_t a = out->asns[k];
            if (!o->allow_private && filter_asn_private(a)) {
                st->dropped_private++;
                continue;
            }
            origin_cb oc = {.c = &c};
            if (irr_db_routes_by_origin(db, a, out->afi, o->sel, on_route, &oc) < 0 || c.oom)
                goto oom;
        }
        if (filter_compile(&out->v, &out->n, &out->cap, o->aggregate) < 0)
            goto oom;
    }
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, "out of memory");
    rc = -1;
out:
    irr_asn_list_clear(&asl);
    irr_range_list_clear(&rl);
    mrs_bogon_set_free(c.bogons);
    return rc;
}

/* ------------------------------------------------------------ printers */

void filter_put_prefix(mrs_outbuf *o, const mrs_prefix *p)
{
    char ps[MRS_PREFIX_STRLEN];
    mrs_outbuf_put(o, ps, (size_t)mrs_prefix_format(p, ps));
}

void filter_put_u32(mrs_outbuf *o, uint32_t v) { mrs_outbuf_u32(o, v); }

static const filter_printer *const printers[] = {
    &filter_printer_cisco, &filter_printer_iosxr, &filter_printer_junos,    &filter_printer_eos,
    &filter_printer_bird,  &filter_printer_openbgpd, &filter_printer_frr,   &filter_printer_sros,
    &filter_printer_routeros, &filter_printer_json, &filter_printer_plain, NULL};

const filter_printer *const *filter_printers(void) { return printers; }

const filter_printer *filter_printer_find(const char *name)
{
    for (size_t i = 0; printers[i]; i++)
        if (!strcmp(printers[i]->name, name))
            return printers[i];
    return NULL;
}
