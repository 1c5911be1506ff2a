/*
 * view.c — the routing view (see view.h).
 *
 * Three intern tables (peers, prefixes, paths) and one open-route index keyed by
 * (peer, prefix). All tables are open-addressing hash maps over flat arrays; the
 * route list only grows.
 */
#include "manrs/routes/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/grow.h"
#include "manrs/core/hashset.h"
#include "manrs/core/map64.h"

/* Out of memory is sticky (core/grow.h): the event that did not fit is dropped
 * and v->oom set; the owner checks mrs_view_oom once the feed is done. */
#define GROW(v, arr, cap, need, first)                                                                          \
    do {                                                                                                      \
        void *g_ = mrs_grow((arr), &(cap), (need), sizeof *(arr), (first));                                    \
        if (!g_) {                                                                                            \
            (v)->oom = true;                                                                                  \
            return UINT32_MAX;                                                                                \
        }                                                                                                     \
        (arr) = g_;                                                                                           \
    } while (0)

struct mrs_view {
    mrs_view_peer *peers;
    size_t npeers, cpeers;
    mrs_map64 peer_map;            /* hash of (afi, ip, asn) -> peer id; collisions checked */
    mrs_prefix *prefixes;
    size_t nprefixes, cprefixes;
    mrs_map64 prefix_map;          /* hash of prefix -> id (chained by probing on hash collisions) */
    uint32_t *path_pool;        /* interned paths (route_event.h words), back to back */
    size_t pool_len, pool_cap;  /* in words */
    struct {
        uint64_t off;           /* in path_pool, words */
        uint32_t len;
    } *paths;                   /* id -> where the interned path is */
    size_t npaths, cpaths;
    mrs_map64 path_map;
    mrs_view_route *routes;
    size_t nroutes, croutes;
    mrs_map64 open;             /* (peer << 32 | prefix) -> route index */
    char **files;
    size_t nfiles, cfiles;
    uint32_t first_t, last_t;
    bool oom;
};

mrs_view *mrs_view_new(void)
{
    mrs_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->first_t = UINT32_MAX;
    if (mrs_map64_init(&v->peer_map) || mrs_map64_init(&v->prefix_map) || mrs_map64_init(&v->path_map) ||
        mrs_map64_init(&v->open)) {
        mrs_view_free(v);
        return NULL;
    }
    return v;
}

void mrs_view_free(mrs_view *v)
{
    if (!v)
        return;
    mrs_map64_clear(&v->peer_map);
    mrs_map64_clear(&v->prefix_map);
    mrs_map64_clear(&v->path_map);
    mrs_map64_clear(&v->open);
    free(v->peers);
    free(v->prefixes);
    free(v->path_pool);
    free(v->paths);
    free(v->routes);
    for (size_t i = 0; i < v->nfiles; i++)
        free(v->files[i]);
    free(v->files);
    free(v);
}

uint32_t mrs_view_add_file(mrs_view *v, const char *name)
{
    if (v->nfiles >= MRS_VIEW_MAX_FILES) {
        v->oom = true;   /* a limit of the view's size, reported as memory */
        return UINT32_MAX;
    }
    GROW(v, v->files, v->cfiles, v->nfiles + 1, 8);
    if (!(v->files[v->nfiles] = strdup(name))) {
        v->oom = true;
        return UINT32_MAX;
    }
    return (uint32_t)v->nfiles++;
}

bool mrs_view_oom(const mrs_view *v)
{
    return v->oom || v->peer_map.oom || v->prefix_map.oom || v->path_map.oom || v->open.oom;
}

/* Intern with open addressing on the 64-bit hash; a hash collision between
 * different values is resolved by probing with a perturbed key. */
static uint32_t intern_peer(mrs_view *v, const mrs_route_peer *p)
{
    mrs_view_peer k;
    memset(&k, 0, sizeof k);
    k.afi = p->afi;
    memcpy(k.ip, p->ip, 16);
    k.asn = p->asn;
    for (uint64_t salt = 0;; salt++) {
        bool found;
        uint32_t *s = mrs_map64_put(&v->peer_map, mrs_map64_key_bytes(&k, sizeof k, salt), &found);
        if (!s)
            return UINT32_MAX;
        if (found) {
            if (!memcmp(&v->peers[*s], &k, sizeof k))
                return *s;
            continue;
        }
        GROW(v, v->peers, v->cpeers, v->npeers + 1, 64);
        v->peers[v->npeers] = k;
        *s = (uint32_t)v->npeers;
        return (uint32_t)v->npeers++;
    }
}

static uint32_t intern_prefix(mrs_view *v, const mrs_prefix *pin)
{
    mrs_prefix p = *pin;
    mrs_prefix_mask(&p); /* host bits on the wire do not make another prefix */
    for (uint64_t salt = 0;; salt++) {
        bool found;
        uint32_t *s = mrs_map64_put(&v->prefix_map, mrs_map64_key_bytes(&p, sizeof p, salt), &found);
        if (!s)
            return UINT32_MAX;
        if (found) {
            if (mrs_prefix_equal(&v->prefixes[*s], &p))
                return *s;
            continue;
        }
        GROW(v, v->prefixes, v->cprefixes, v->nprefixes + 1, 1024);
        v->prefixes[v->nprefixes] = p;
        *s = (uint32_t)v->nprefixes;
        return (uint32_t)v->nprefixes++;
    }
}

static uint32_t intern_path(mrs_view *v, mrs_as_path path)
{
    size_t len = path.n;
    for (uint64_t salt = 0;; salt++) {
        bool found;
        uint32_t *s = mrs_map64_put(&v->path_map, mrs_map64_key_bytes(path.w, len * sizeof *path.w, salt), &found);
        if (!s)
            return UINT32_MAX;
        if (found) {
            if (v->paths[*s].len == len && !memcmp(v->path_pool + v->paths[*s].off, path.w, len * sizeof *path.w))
                return *s;
            continue;
        }
        GROW(v, v->path_pool, v->pool_cap, v->pool_len + len, 16384);
        GROW(v, v->paths, v->cpaths, v->npaths + 1, 1024);
        if (len)
            memcpy(v->path_pool + v->pool_len, path.w, len * sizeof *path.w);
        v->paths[v->npaths].off = v->pool_len;
        v->paths[v->npaths].len = (uint32_t)len;
        v->pool_len += len;
        *s = (uint32_t)v->npaths;
        return (uint32_t)v->npaths++;
    }
}

static void close_route(mrs_view *v, uint32_t idx, uint32_t t)
{
    mrs_view_route *r = &v->routes[idx];
    r->end = t < r->start ? r->start : t;
}

static void open_route(mrs_view *v, uint32_t peer, uint32_t prefix, const mrs_route_event *ev, uint32_t file,
                       uint32_t t)
{
    uint32_t path = intern_path(v, ev->path);
    uint32_t otc = ev->has_otc ? ev->otc : 0;
    uint64_t key = (uint64_t)peer << 32 | prefix;
    bool found;
    uint32_t *slot = path == UINT32_MAX ? NULL : mrs_map64_put(&v->open, key, &found);
    if (!slot)
        return;   /* out of memory: mrs_view_oom says so */
    if (found) {
        mrs_view_route *cur = &v->routes[*slot];
        if (cur->path == path && cur->otc == otc && cur->blackhole == ev->blackhole)
            return; /* same route announced again: nothing changes */
        close_route(v, *slot, t);
    }
    /* the slot pointer stays valid: the map is not touched until it is set */
    mrs_view_route *nr = mrs_grow(v->routes, &v->croutes, v->nroutes + 1, sizeof *nr, 4096);
    if (!nr) {
        v->oom = true;
        if (!found)
            mrs_map64_remove(&v->open, key);
        return;
    }
    v->routes = nr;
    mrs_view_route *r = &v->routes[v->nroutes];
    r->peer = peer;
    r->prefix = prefix;
    r->path = path;
    r->start = t;
    r->end = MRS_VIEW_OPEN;
    r->file = file & (MRS_VIEW_MAX_FILES - 1);
    r->blackhole = ev->blackhole;
    r->held = 0;
    r->spare = 0;
    r->offset = ev->offset;
    r->origin = 0;
    mrs_as_path_origin(ev->path, &r->origin);
    r->otc = otc;
    *slot = (uint32_t)v->nroutes++;
}

static void close_peer(mrs_view *v, uint32_t peer, uint32_t t)
{
    /* rare (session resets): scan the open index and close this peer's routes */
    for (size_t i = 0; i < v->open.cap;) {
        if (v->open.key[i] != MRS_MAP64_FREE && (uint32_t)(v->open.key[i] >> 32) == peer) {
            close_route(v, v->open.val[i], t);
            mrs_map64_remove(&v->open, v->open.key[i]);
            continue; /* another entry may have shifted into slot i */
        }
        i++;
    }
}

void mrs_view_add_event(mrs_view *v, const mrs_route_event *ev, uint32_t file)
{
    uint32_t t = ev->time;
    if (t < v->first_t)
        v->first_t = t;
    if (t > v->last_t)
        v->last_t = t;
    if (ev->kind == MRS_RE_PEER_STATE) {
        /* leaving Established loses every route of the session */
        if (mrs_route_event_session_lost(ev)) {
            uint32_t peer = intern_peer(v, &ev->peer);
            if (peer != UINT32_MAX)
                close_peer(v, peer, t);
        }
        return;
    }
    if (ev->safi != MRS_SAFI_UNICAST)
        return;
    uint32_t peer = intern_peer(v, &ev->peer);
    uint32_t prefix = intern_prefix(v, &ev->prefix);
    if (peer == UINT32_MAX || prefix == UINT32_MAX)
        return;   /* out of memory: mrs_view_oom says so */
    if (ev->kind == MRS_RE_WITHDRAW) {
        uint64_t key = (uint64_t)peer << 32 | prefix;
        uint32_t *slot = mrs_map64_get(&v->open, key);
        if (slot) {
            close_route(v, *slot, t);
            mrs_map64_remove(&v->open, key);
        }
        return;
    }
    /* RIB entries: the route is held at the dump time; announcements: from now */
    open_route(v, peer, prefix, ev, file, t);
}

void mrs_view_close_all(mrs_view *v, uint32_t t)
{
    for (size_t i = 0; i < v->open.cap; i++)
        if (v->open.key[i] != MRS_MAP64_FREE) {
            close_route(v, v->open.val[i], t);
            v->routes[v->open.val[i]].held = 1;
        }
    bool lost = v->open.oom;
    mrs_map64_clear(&v->open);
    if (mrs_map64_init(&v->open) != 0 || lost)
        v->oom = true;
}

size_t mrs_view_route_count(const mrs_view *v) { return v->nroutes; }
const mrs_view_route *mrs_view_route_at(const mrs_view *v, size_t i) { return &v->routes[i]; }
size_t mrs_view_peer_count(const mrs_view *v) { return v->npeers; }
const mrs_view_peer *mrs_view_peer_at(const mrs_view *v, size_t i) { return &v->peers[i]; }
size_t mrs_view_prefix_count(const mrs_view *v) { return v->nprefixes; }
const mrs_prefix *mrs_view_prefix(const mrs_view *v, uint32_t id) { return &v->prefixes[id]; }
size_t mrs_view_path_count(const mrs_view *v) { return v->npaths; }
const char *mrs_view_file_name(const mrs_view *v, uint32_t id) { return id < v->nfiles ? v->files[id] : "?"; }
/* Distinct prefixes per peer and family, 64 peers per pass over the routes: one
 * word per prefix holds the pass's peers as bits. */
int mrs_view_peer_prefixes(const mrs_view *v, uint64_t *cnt, uint64_t total[2])
{
    size_t np = v->nprefixes, npeer = v->npeers;
    total[0] = total[1] = 0;
    for (size_t i = 0; i < np; i++)
        total[v->prefixes[i].afi == MRS_AFI_IPV6]++;
    memset(cnt, 0, 2 * npeer * sizeof *cnt);
    uint64_t *w = malloc((np ? np : 1) * sizeof *w);
    if (!w)
        return -1;
    for (size_t b = 0; b < npeer; b += 64) {
        memset(w, 0, (np ? np : 1) * sizeof *w);
        for (size_t i = 0; i < v->nroutes; i++) {
            const mrs_view_route *r = &v->routes[i];
            if (r->peer < b || r->peer - b >= 64)
                continue;
            uint64_t bit = 1ull << (r->peer - b);
            if (!(w[r->prefix] & bit)) {
                w[r->prefix] |= bit;
                cnt[2 * r->peer + (v->prefixes[r->prefix].afi == MRS_AFI_IPV6)]++;
            }
        }
    }
    free(w);
    return 0;
}

long mrs_view_full_feed_peers(const mrs_view *v, bool *full)
{
    size_t npeer = v->npeers;
    uint64_t total[2];
    uint64_t *cnt = calloc(2 * (npeer ? npeer : 1), sizeof *cnt);
    if (!cnt || mrs_view_peer_prefixes(v, cnt, total) != 0) {
        free(cnt);
        return -1;
    }
    long n = 0;
    for (size_t p = 0; p < npeer; p++) {
        bool f = mrs_view_full_feed(cnt[2 * p], total[0]) || mrs_view_full_feed(cnt[2 * p + 1], total[1]);
        if (full)
            full[p] = f;
        n += f;
    }
    free(cnt);
    return n;
}

uint32_t mrs_view_first_time(const mrs_view *v) { return v->first_t == UINT32_MAX ? 0 : v->first_t; }
uint32_t mrs_view_last_time(const mrs_view *v) { return v->last_t; }

mrs_as_path mrs_view_path(const mrs_view *v, uint32_t id)
{
    return (mrs_as_path){v->path_pool + v->paths[id].off, v->paths[id].len};
}

size_t mrs_view_path_asns(const mrs_view *v, uint32_t id, uint32_t *out, size_t max, bool *has_set)
{
    return mrs_as_path_sequence(mrs_view_path(v, id), out, max, has_set);
}

int mrs_view_peer_cmp(const void *a_, const void *b_)
{
    const mrs_view_peer *a = a_, *b = b_;
    if (a->asn != b->asn)
        return a->asn < b->asn ? -1 : 1;
    if (a->afi != b->afi)
        return a->afi < b->afi ? -1 : 1;
    return memcmp(a->ip, b->ip, sizeof a->ip);
}
