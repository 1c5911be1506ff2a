/*
 * lg.c — the looking glass's index and queries (lg.h).
 *
 * The index: the view's route numbers ordered by prefix (address order), then
 * peer (ASN, address), then creation (a peer's routes for one prefix are created
 * in the order of its announcements: time order), by two stable counting sorts;
 * per prefix the range of that array; a trie over the view's prefixes for the
 * longest-match and more-specifics queries. 4 bytes per route, 8 per prefix, the
 * trie.
 */
#include "manrs/apps/lg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/grow.h"
#include "manrs/core/regex_guard.h"
#include "manrs/core/trie.h"

struct mrs_lg {
    const mrs_view *v;
    mrs_kbs kb;                 /* the caller's, with an empty RPKI set when none was given */
    mrs_rpki *own_rpki;
    mrs_route_kbs rk;
    bool have_vrps, have_aspa;
    uint32_t start, end;
    uint32_t *porder;           /* prefix ids in address order */
    uint32_t *peer_rank;        /* peer id -> rank in (ASN, address) order */
    uint32_t *off;              /* prefix id -> first position in order; off[nprefixes] = routes */
    uint32_t *order;            /* route numbers by prefix, peer, creation */
    mrs_trie *trie;             /* prefix -> id */
};

typedef struct pfx_item {
    mrs_prefix p;
    uint32_t id;
} pfx_item;

static int cmp_pfx_item(const void *a_, const void *b_)
{
    const pfx_item *a = a_, *b = b_;
    int c = mrs_prefix_cmp(&a->p, &b->p);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

typedef struct peer_item {
    const mrs_view_peer *p;
    uint32_t id;
} peer_item;

static int cmp_peer_item(const void *a_, const void *b_)
{
    const peer_item *a = a_, *b = b_;
    if (a->p->asn != b->p->asn)
        return a->p->asn < b->p->asn ? -1 : 1;
    if (a->p->afi != b->p->afi)
        return a->p->afi < b->p->afi ? -1 : 1;
    int c = memcmp(a->p->ip, b->p->ip, 16);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* Prefix order and trie. */
static int index_prefixes(mrs_lg *lg)
{
    size_t np = mrs_view_prefix_count(lg->v);
    pfx_item *it = malloc((np ? np : 1) * sizeof *it);
    lg->porder = malloc((np ? np : 1) * sizeof *lg->porder);
    if (!it || !lg->porder) {
        free(it);
        return -1;
    }
    for (size_t i = 0; i < np; i++) {
        it[i].p = *mrs_view_prefix(lg->v, (uint32_t)i);
        it[i].id = (uint32_t)i;
    }
    qsort(it, np, sizeof *it, cmp_pfx_item);
    for (size_t i = 0; i < np; i++)
        lg->porder[i] = it[i].id;
    lg->trie = mrs_trie_build_sorted(&it[0].p, sizeof *it, NULL, lg->porder, np);
    free(it);
    return lg->trie ? 0 : -1;
}

static int index_peers(mrs_lg *lg)
{
    size_t n = mrs_view_peer_count(lg->v);
    peer_item *it = malloc((n ? n : 1) * sizeof *it);
    lg->peer_rank = malloc((n ? n : 1) * sizeof *lg->peer_rank);
    if (!it || !lg->peer_rank) {
        free(it);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        it[i] = (peer_item){mrs_view_peer_at(lg->v, i), (uint32_t)i};
    qsort(it, n, sizeof *it, cmp_peer_item);
    for (size_t i = 0; i < n; i++)
        lg->peer_rank[it[i].id] = (uint32_t)i;
    free(it);
    return 0;
}

/* Routes by peer rank (stable), then by prefix (stable): by prefix, peer, creation. */
static int index_routes(mrs_lg *lg)
{
    size_t nr = mrs_view_route_count(lg->v), np = mrs_view_prefix_count(lg->v), npeer = mrs_view_peer_count(lg->v);
    uint32_t *tmp = malloc((nr ? nr : 1) * sizeof *tmp);
    uint32_t *cnt = calloc(npeer + 1, sizeof *cnt);
    lg->order = malloc((nr ? nr : 1) * sizeof *lg->order);
    lg->off = calloc(np + 1, sizeof *lg->off);
    if (!tmp || !cnt || !lg->order || !lg->off) {
        free(tmp);
        free(cnt);
        return -1;
    }
    for (size_t i = 0; i < nr; i++)
        cnt[lg->peer_rank[mrs_view_route_at(lg->v, i)->peer] + 1]++;
    for (size_t k = 1; k <= npeer; k++)
        cnt[k] += cnt[k - 1];
    for (size_t i = 0; i < nr; i++)
        tmp[cnt[lg->peer_rank[mrs_view_route_at(lg->v, i)->peer]]++] = (uint32_t)i;
    for (size_t i = 0; i < nr; i++)
        lg->off[mrs_view_route_at(lg->v, i)->prefix + 1]++;
    for (size_t k = 1; k <= np; k++)
        lg->off[k] += lg->off[k - 1];
    /* cnt reused as the fill position of each prefix */
    uint32_t *pos = realloc(cnt, (np + 1) * sizeof *pos);
    if (!pos) {
        free(cnt);
        free(tmp);
        return -1;
    }
    memcpy(pos, lg->off, (np + 1) * sizeof *pos);
    for (size_t i = 0; i < nr; i++)
        lg->order[pos[mrs_view_route_at(lg->v, tmp[i])->prefix]++] = tmp[i];
    free(pos);
    free(tmp);
    return 0;
}

mrs_lg *mrs_lg_new(const mrs_view *v, const mrs_kbs *kb, uint32_t data_end)
{
    mrs_lg *lg = calloc(1, sizeof *lg);
    if (!lg)
        return NULL;
    lg->v = v;
    lg->kb = *kb;
    lg->have_vrps = kb->rpki && kb->have_vrps;
    if (!lg->kb.rpki) {
        if (!(lg->own_rpki = mrs_rpki_new()) || mrs_rpki_build(lg->own_rpki) != 0) {
            mrs_lg_free(lg);
            return NULL;
        }
        lg->kb.rpki = lg->own_rpki;
    }
    lg->have_aspa = mrs_rpki_aspa_count(lg->kb.rpki) > 0;
    lg->rk.kb = &lg->kb;
    lg->rk.aspa_dir = MRS_ASPA_UPSTREAM;
    lg->start = mrs_view_first_time(v);
    lg->end = data_end ? data_end : mrs_view_last_time(v);
    if (index_prefixes(lg) != 0 || index_peers(lg) != 0 || index_routes(lg) != 0) {
        mrs_lg_free(lg);
        return NULL;
    }
    return lg;
}

void mrs_lg_free(mrs_lg *lg)
{
    if (!lg)
        return;
    if (lg->own_rpki)
        mrs_rpki_free(lg->own_rpki);
    free(lg->porder);
    free(lg->peer_rank);
    free(lg->off);
    free(lg->order);
    mrs_trie_free(lg->trie);
    free(lg);
}

uint32_t mrs_lg_data_start(const mrs_lg *lg) { return lg->start; }
uint32_t mrs_lg_data_end(const mrs_lg *lg) { return lg->end; }
const mrs_view *mrs_lg_view(const mrs_lg *lg) { return lg->v; }

bool mrs_lg_path_compile(regex_t *re, const char *pattern, char *why, size_t whylen)
{
    switch (mrs_regex_cost_of(pattern)) {
    case MRS_REGEX_TOO_DEEP:
        snprintf(why, whylen, "quantifiers nested more than %d deep (too slow to compile)", MRS_REGEX_DEPTH_MAX);
        return false;
    case MRS_REGEX_TOO_LARGE:
        snprintf(why, whylen, "repeats too large (over %.0f positions once copied out)", MRS_REGEX_SIZE_MAX);
        return false;
    case MRS_REGEX_OK: break;
    }
    int rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        regerror(rc, re, why, whylen);
        return false;
    }
    return true;
}

/* ---- queries */

typedef struct qctx {
    const mrs_lg *lg;
    const mrs_lg_query *q;
    mrs_lg_result *res;
    size_t limit;
    uint8_t *pathhit;           /* per path id: 0 not yet matched, 1 matches, 2 does not */
    const int32_t *best;        /* MRS_LG_LONGEST: per peer rank, the covering prefix it uses */
    int32_t best_k;
    bool oom;
} qctx;

static bool is_held(const mrs_view_route *r) { return r->held || r->end == MRS_VIEW_OPEN; }

/* Held at t: [start, end), and at the end itself when it was never withdrawn. */
static bool held_at(const mrs_view_route *r, uint32_t t)
{
    return r->start <= t && (t < r->end || (is_held(r) && t <= r->end));
}

static bool path_matches(qctx *c, uint32_t path)
{
    if (!c->q->path_re)
        return true;
    if (c->pathhit[path])
        return c->pathhit[path] == 1;
    char *text = mrs_as_path_text(mrs_view_path(c->lg->v, path));
    if (!text) {
        c->oom = true;
        return false;
    }
    bool m = regexec(c->q->path_re, text, 0, NULL, 0) == 0;
    free(text);
    c->pathhit[path] = m ? 1 : 2;
    return m;
}

/* The origin as validation sees it: the view's, or the peer's own AS for an empty
 * path (a route the peer originated; route_validate.h's reading of bgpdump lines). */
static uint32_t origin_of(const mrs_lg *lg, const mrs_view_route *r)
{
    if (r->origin || mrs_view_path(lg->v, r->path).n)
        return r->origin;
    return mrs_view_peer_at(lg->v, r->peer)->asn;
}

static bool selected(qctx *c, const mrs_view_route *r)
{
    const mrs_lg_query *q = c->q;
    if (q->has_origin && origin_of(c->lg, r) != q->origin)
        return false;
    if (q->has_transit &&
        (origin_of(c->lg, r) == q->transit || !mrs_as_path_has(mrs_view_path(c->lg->v, r->path), q->transit)))
        return false;
    return path_matches(c, r->path);
}

static bool push_entry(qctx *c, uint32_t prefix, uint32_t peer)
{
    mrs_lg_result *res = c->res;
    if (res->nentries == res->centries) {
        mrs_lg_entry *e = mrs_grow(res->entries, &res->centries, res->nentries + 1, sizeof *e, 64);
        if (!e)
            return false;
        res->entries = e;
    }
    res->entries[res->nentries++] = (mrs_lg_entry){prefix, peer, res->nroutes, 0, -1};
    return true;
}

static bool push_route(qctx *c, const mrs_view_route *r, bool at, bool in_window)
{
    mrs_lg_result *res = c->res;
    if (res->nroutes == res->croutes) {
        mrs_lg_route *x = mrs_grow(res->routes, &res->croutes, res->nroutes + 1, sizeof *x, 64);
        if (!x)
            return false;
        res->routes = x;
    }
    mrs_lg_entry *e = &res->entries[res->nentries - 1];
    if (at)
        e->at = (long)res->nroutes;
    mrs_lg_route *x = &res->routes[res->nroutes++];
    memset(x, 0, sizeof *x);
    x->r = r;
    x->held = is_held(r);
    x->in_window = in_window;
    e->n++;
    return true;
}

/* The routes of one prefix: per peer, those selected held at the moment or in the window. */
static void scan_prefix(qctx *c, uint32_t prefix)
{
    const mrs_lg *lg = c->lg;
    mrs_lg_result *res = c->res;
    uint32_t cur_peer = UINT32_MAX;
    bool entry_open = false;
    for (uint32_t k = lg->off[prefix]; k < lg->off[prefix + 1] && !c->oom; k++) {
        const mrs_view_route *r = mrs_view_route_at(lg->v, lg->order[k]);
        if (r->peer != cur_peer) {
            cur_peer = r->peer;
            entry_open = false;
        }
        if (c->best && c->best[lg->peer_rank[r->peer]] != c->best_k)
            continue;
        bool at = held_at(r, res->at), in_window = r->start <= res->to && r->end >= res->from;
        if ((!at && !in_window) || !selected(c, r))
            continue;
        res->matched++;
        if (res->nroutes >= c->limit) {
            res->truncated = true;
            continue;
        }
        if (!entry_open && !push_entry(c, prefix, r->peer)) {
            c->oom = true;
            return;
        }
        entry_open = true;
        if (!push_route(c, r, at, in_window))
            c->oom = true;
    }
}

/* Longest match, per peer: the most specific prefix covering the query that the
 * peer held at the moment (whatever the other criteria: they select among its
 * routes after). */
static void run_longest(qctx *c)
{
    const mrs_lg *lg = c->lg;
    mrs_trie_match cov[MRS_TRIE_MAX_COVERING];
    unsigned n = mrs_trie_covering(lg->trie, &c->q->prefix, cov);
    size_t npeer = mrs_view_peer_count(lg->v);
    int32_t *best = malloc((npeer ? npeer : 1) * sizeof *best);
    if (!best) {
        c->oom = true;
        return;
    }
    for (size_t i = 0; i < npeer; i++)
        best[i] = -1;
    for (unsigned k = n; k-- > 0;)
        for (uint32_t j = lg->off[cov[k].value]; j < lg->off[cov[k].value + 1]; j++) {
            const mrs_view_route *r = mrs_view_route_at(lg->v, lg->order[j]);
            if (best[lg->peer_rank[r->peer]] < 0 && held_at(r, c->res->at))
                best[lg->peer_rank[r->peer]] = (int32_t)k;
        }
    c->best = best;
    for (unsigned k = 0; k < n && !c->oom; k++) {
        c->best_k = (int32_t)k;
        scan_prefix(c, cov[k].value);
    }
    c->best = NULL;
    free(best);
}

static int collect(const mrs_prefix *p, uint32_t value, void *arg)
{
    (void)p;
    qctx *c = arg;
    scan_prefix(c, value);
    return c->oom ? -1 : 0;
}

/* The route as route_validate.h takes it. */
static void judge(const mrs_lg *lg, mrs_lg_route *x, uint32_t *buf, size_t cap)
{
    const mrs_view_route *r = x->r;
    mrs_route in;
    memset(&in, 0, sizeof in);
    in.prefix = *mrs_view_prefix(lg->v, r->prefix);
    size_t n = mrs_view_path_asns(lg->v, r->path, buf, cap, &in.has_as_set);
    in.path = buf;
    in.npath = n < cap ? n : cap;
    in.origin = origin_of(lg, r);
    in.origin_none = in.origin == 0 && in.has_as_set;
    in.path_known = true;
    mrs_route_verdict rv;
    memset(&rv, 0, sizeof rv);
    mrs_route_validate(&lg->rk, &in, &rv);
    mrs_lg_verdict *v = &x->v;
    v->rov_checked = lg->have_vrps;
    v->rov = rv.rov.state;
    v->rov_reason = rv.rov.reason;
    v->rov_matching = rv.rov.n_matching;
    v->rov_covering = rv.rov.n_covering;
    v->aspa_checked = lg->have_aspa && rv.have_aspa;
    v->aspa = rv.aspa.state;
    v->irr_checked = lg->kb.irr != NULL;
    v->irr = rv.irr.state;
    v->bogon = rv.bogon.kind;
    v->n_bogon_asns = rv.n_bogon_asns;
    v->bogon_asn = rv.n_bogon_asns ? rv.bogon_asns[0] : 0;
    mrs_route_verdict_clear(&rv);
}

static void entry_counts(const mrs_lg *lg, mrs_lg_result *res)
{
    size_t np = 0, npeer = mrs_view_peer_count(lg->v);
    uint8_t *seen = calloc(npeer ? npeer : 1, 1);
    for (size_t i = 0; i < res->nentries; i++) {
        if (i == 0 || res->entries[i].prefix != res->entries[i - 1].prefix)
            np++;
        if (seen && !seen[res->entries[i].peer]) {
            seen[res->entries[i].peer] = 1;
            res->peers++;
        }
    }
    res->prefixes = np;
    free(seen);
}

int mrs_lg_run(const mrs_lg *lg, const mrs_lg_query *q, mrs_lg_result *res)
{
    res->nentries = res->nroutes = res->matched = res->prefixes = res->peers = 0;
    res->truncated = false;
    res->at = q->at ? q->at : lg->end;
    res->from = q->from ? q->from : lg->start;
    res->to = q->to ? q->to : lg->end;
    qctx c = {.lg = lg, .q = q, .res = res, .limit = q->limit ? q->limit : MRS_LG_LIMIT_DEFAULT};
    if (q->path_re && !(c.pathhit = calloc(mrs_view_path_count(lg->v) + 1, 1)))
        return -1;
    if (q->has_prefix) {
        mrs_prefix p = q->prefix;
        if (q->match == MRS_LG_LONGEST)
            run_longest(&c);
        else if (mrs_prefix_mask(&p), q->match == MRS_LG_EXACT) {
            uint32_t id;
            if (mrs_trie_lookup(lg->trie, &p, &id))
                scan_prefix(&c, id);
        } else
            mrs_trie_covered(lg->trie, &p, collect, &c);
    } else {
        size_t np = mrs_view_prefix_count(lg->v);
        for (size_t i = 0; i < np && !c.oom; i++)
            scan_prefix(&c, lg->porder[i]);
    }
    free(c.pathhit);
    if (c.oom)
        return -1;
    uint32_t buf[256];
    for (size_t i = 0; i < res->nroutes; i++)
        judge(lg, &res->routes[i], buf, sizeof buf / sizeof buf[0]);
    entry_counts(lg, res);
    return 0;
}

void mrs_lg_result_clear(mrs_lg_result *res)
{
    free(res->entries);
    free(res->routes);
    memset(res, 0, sizeof *res);
}
