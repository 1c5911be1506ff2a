/*
 * whatif_rib.c — what MRT data tells `manrs whatif`: who originates each prefix,
 * each AS's address space, and each collector peer's last route per prefix.
 * Read through the feeds layer's neutral route events (RIB entries and
 * announcements alike; the last announcement of a peer for a prefix is its
 * choice; a withdrawal leaves it without one).
 */
#include "manrs/apps/whatif.h"
#include "whatif_internal.h"

#include <stdlib.h>
#include <string.h>

#include "manrs/core/grow.h"
#include "manrs/core/map64.h"
#include "manrs/core/trie.h"
#include "manrs/feeds/mrt_feed.h"

static uint64_t peer_key(const mrs_route_peer *p)
{
    return mrs_map64_key_bytes(p->ip, 16, (uint64_t)p->afi << 32 | p->asn);
}

wi_rib *wi_rib_new(void)
{
    wi_rib *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->trie = mrs_trie_new();
    if (!r->trie || mrs_map64_init(&r->pairs_seen) < 0 || mrs_map64_init(&r->peer_ix) < 0 ||
        mrs_map64_init(&r->route_ix) < 0) {
        wi_rib_free(r);
        return NULL;
    }
    return r;
}

void wi_rib_free(wi_rib *r)
{
    if (!r)
        return;
    mrs_trie_free(r->trie);
    mrs_map64_clear(&r->pairs_seen);
    mrs_map64_clear(&r->peer_ix);
    mrs_map64_clear(&r->route_ix);
    free(r->pfx);
    free(r->pairs);
    free(r->peers);
    free(r->routes);
    free(r);
}

size_t wi_rib_prefix_count(const wi_rib *r) { return r->n_pfx; }

static uint32_t prefix_index(wi_rib *r, const mrs_prefix *p0)
{
    mrs_prefix p = *p0;
    mrs_prefix_mask(&p);
    bool created = false;
    uint32_t *slot = mrs_trie_slot(r->trie, &p, &created);
    if (!slot)
        return UINT32_MAX;
    if (!created)
        return *slot;
    mrs_prefix *np = mrs_grow(r->pfx, &r->cap_pfx, r->n_pfx + 1, sizeof *np, 1024);
    if (!np)
        return UINT32_MAX;
    r->pfx = np;
    r->pfx[r->n_pfx] = p;
    *slot = (uint32_t)r->n_pfx;
    return (uint32_t)r->n_pfx++;
}

static uint32_t peer_index(wi_rib *r, const mrs_route_peer *p)
{
    bool found;
    uint32_t *v = mrs_map64_put(&r->peer_ix, peer_key(p), &found);
    if (!v)
        return UINT32_MAX;
    if (found)
        return *v;
    wi_peer *np = mrs_grow(r->peers, &r->cap_peers, r->n_peers + 1, sizeof *np, 64);
    if (!np)
        return UINT32_MAX;
    r->peers = np;
    r->peers[r->n_peers].p = *p;
    *v = (uint32_t)r->n_peers;
    return (uint32_t)r->n_peers++;
}

static void on_event(const mrs_route_event *ev, void *user)
{
    wi_rib *r = user;
    if (r->oom)
        return;
    if (ev->kind != MRS_RE_RIB && ev->kind != MRS_RE_ANNOUNCE && ev->kind != MRS_RE_WITHDRAW)
        return;
    if (ev->safi != MRS_SAFI_UNICAST || (ev->prefix.afi != MRS_AFI_IPV4 && ev->prefix.afi != MRS_AFI_IPV6))
        return;
    uint32_t origin = 0;
    bool has_origin = ev->kind != MRS_RE_WITHDRAW && mrs_as_path_origin(ev->path, &origin);
    if (ev->kind != MRS_RE_WITHDRAW && !has_origin)
        return; /* no origin (empty path, final AS_SET): no choice to compare */
    uint32_t pi = prefix_index(r, &ev->prefix);
    if (pi == UINT32_MAX) {
        r->oom = true;
        return;
    }
    if (has_origin) {
        bool found;
        uint32_t *v = mrs_map64_put(&r->pairs_seen, (uint64_t)pi << 32 | origin, &found);
        if (!v) {
            r->oom = true;
            return;
        }
        if (!found) {
            wi_pair *np = mrs_grow(r->pairs, &r->cap_pairs, r->n_pairs + 1, sizeof *np, 1024);
            if (!np) {
                r->oom = true;
                return;
            }
            r->pairs = np;
            r->pairs[r->n_pairs++] = (wi_pair){pi, origin};
            r->pairs_sorted = false;
        }
    }
    if (!r->keep_peers || !ev->peer_known)
        return;
    uint32_t pe = peer_index(r, &ev->peer);
    if (pe == UINT32_MAX) {
        r->oom = true;
        return;
    }
    bool found;
    if (pe >= (1u << 20)) {
        r->oom = true; /* a million collector peers: not a collector */
        return;
    }
    uint32_t *v = mrs_map64_put(&r->route_ix, (uint64_t)pi << 20 | pe, &found);
    if (!v) {
        r->oom = true;
        return;
    }
    if (!found) {
        wi_route *nr = mrs_grow(r->routes, &r->cap_routes, r->n_routes + 1, sizeof *nr, 1024);
        if (!nr) {
            r->oom = true;
            return;
        }
        r->routes = nr;
        *v = (uint32_t)r->n_routes;
        r->routes[r->n_routes++] = (wi_route){pi, pe, 0, 0, false};
    }
    wi_route *rt = &r->routes[*v];
    if (ev->kind == MRS_RE_WITHDRAW) {
        rt->withdrawn = true;
        return;
    }
    uint32_t first = 0;
    bool has_set;
    mrs_as_path_sequence(ev->path, &first, 1, &has_set);
    rt->origin = origin;
    rt->first_hop = first;
    rt->withdrawn = false;
}

int64_t wi_rib_load(wi_rib *r, const char *path, bool keep_peers, mrs_diag *d)
{
    if (r->n_pfx && keep_peers && !r->keep_peers)
        return -1; /* peers must be kept from the first file on */
    r->keep_peers = keep_peers;
    int64_t n = mrs_mrt_feed_path(path, d, false, on_event, r);
    wi_rib_sort(r);
    return r->oom ? -1 : n;
}

static int cmp_pair(const void *a, const void *b)
{
    const wi_pair *x = a, *y = b;
    if (x->pfx != y->pfx)
        return x->pfx < y->pfx ? -1 : 1;
    return x->origin < y->origin ? -1 : x->origin > y->origin;
}

void wi_rib_sort(wi_rib *r)
{
    if (!r->pairs_sorted) {
        qsort(r->pairs, r->n_pairs, sizeof *r->pairs, cmp_pair);
        r->pairs_sorted = true;
    }
}

size_t wi_rib_prefix_origins(const wi_rib *r, uint32_t pi, uint32_t *out, size_t max)
{
    /* pairs sorted by prefix index: binary search for the first */
    size_t lo = 0, hi = r->n_pairs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->pairs[mid].pfx < pi)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    for (size_t k = lo; k < r->n_pairs && r->pairs[k].pfx == pi; k++)
        if (n < max)
            out[n++] = r->pairs[k].origin;
    return n;
}

size_t wi_rib_origins(const wi_rib *r, const mrs_prefix *p, uint32_t *out, size_t max)
{
    uint32_t pi;
    if (!r->pairs_sorted || !mrs_trie_lookup(r->trie, p, &pi))
        return 0;
    return wi_rib_prefix_origins(r, pi, out, max);
}

bool wi_rib_cover(const wi_rib *r, const mrs_prefix *p, mrs_prefix *cover, uint32_t *out, size_t max, size_t *n)
{
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    unsigned k = mrs_trie_covering(r->trie, p, m);
    unsigned minlen = p->afi == MRS_AFI_IPV6 ? 16 : 8; /* a default route covers nobody's space */
    for (unsigned i = k; i-- > 0;) {
        if (m[i].len >= p->len || m[i].len < minlen)
            continue;
        *cover = r->pfx[m[i].value];
        *n = wi_rib_prefix_origins(r, m[i].value, out, max);
        return true;
    }
    return false;
}

/* Weight of one prefix: IPv4 addresses, IPv6 /64s (a /64 and longer count 1). */
static double span(const mrs_prefix *p)
{
    unsigned bits = p->afi == MRS_AFI_IPV6 ? 64 : 32;
    unsigned len = p->len > bits ? bits : p->len;
    double w = 1;
    for (unsigned i = len; i < bits; i++)
        w *= 2;
    return w;
}

typedef struct op {
    uint32_t origin;
    uint32_t rank;      /* the prefix's place in mrs_prefix_cmp order */
    uint32_t pfx;
} op;

typedef struct ranked {
    mrs_prefix p;
    uint32_t idx;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    return mrs_prefix_cmp(&((const ranked *)a)->p, &((const ranked *)b)->p);
}

static int cmp_op(const void *a, const void *b)
{
    const op *x = a, *y = b;
    if (x->origin != y->origin)
        return x->origin < y->origin ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

double wi_rib_weights(const wi_rib *r, const mrs_pnet *g, unsigned afi, double *w)
{
    size_t n = mrs_pnet_count(g);
    for (size_t i = 0; i < n; i++)
        w[i] = 0;
    op *v = malloc((r->n_pairs ? r->n_pairs : 1) * sizeof *v);
    ranked *rk = malloc((r->n_pfx ? r->n_pfx : 1) * sizeof *rk);
    uint32_t *rank = malloc((r->n_pfx ? r->n_pfx : 1) * sizeof *rank);
    if (!v || !rk || !rank) {
        free(v);
        free(rk);
        free(rank);
        return -1;
    }
    for (size_t k = 0; k < r->n_pfx; k++)
        rk[k] = (ranked){r->pfx[k], (uint32_t)k};
    qsort(rk, r->n_pfx, sizeof *rk, cmp_ranked);
    for (size_t k = 0; k < r->n_pfx; k++)
        rank[rk[k].idx] = (uint32_t)k;
    free(rk);
    size_t m = 0;
    /* a default route or anything shorter than /8 (/16 in IPv6) is no address
     * space anybody holds (the observatory calls such prefixes implausible) */
    unsigned minlen = afi == MRS_AFI_IPV6 ? 16 : 8;
    for (size_t k = 0; k < r->n_pairs; k++)
        if (r->pfx[r->pairs[k].pfx].afi == afi && r->pfx[r->pairs[k].pfx].len >= minlen)
            v[m++] = (op){r->pairs[k].origin, rank[r->pairs[k].pfx], r->pairs[k].pfx};
    free(rank);
    /* by origin, then address (shorter first): a prefix inside the last one kept
     * for the same origin adds no space (counted once per AS) */
    qsort(v, m, sizeof *v, cmp_op);
    double total = 0;
    const mrs_prefix *kept = NULL;
    uint32_t cur = 0;
    for (size_t k = 0; k < m; k++) {
        const mrs_prefix *p = &r->pfx[v[k].pfx];
        if (!kept || v[k].origin != cur || !mrs_prefix_covers(kept, p)) {
            kept = p;
            cur = v[k].origin;
            uint32_t i = mrs_pnet_index(g, cur);
            if (i != MRS_PNET_NONE) {
                double s = span(p);
                w[i] += s;
                total += s;
            }
        }
    }
    free(v);
    return total;
}
