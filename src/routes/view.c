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

#include "manrs/core/hashset.h"

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "manrs: out of memory (%zu bytes) in the routing view\n", n);
        exit(3);
    }
    return q;
}

/* A map from 64-bit keys to 32-bit values (value UINT32_MAX = empty). */
typedef struct u64map {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, count;
} u64map;

static void map_init(u64map *m)
{
    m->cap = 1024;
    m->count = 0;
    m->keys = xrealloc(NULL, m->cap * sizeof *m->keys);
    m->vals = xrealloc(NULL, m->cap * sizeof *m->vals);
    memset(m->vals, 0xff, m->cap * sizeof *m->vals);
}

static void map_free(u64map *m)
{
    free(m->keys);
    free(m->vals);
}

static uint32_t *map_slot(u64map *m, uint64_t key, bool *found)
{
    size_t i = mrs_mix64(key) & (m->cap - 1);
    while (m->vals[i] != UINT32_MAX) {
        if (m->keys[i] == key) {
            *found = true;
            return &m->vals[i];
        }
        i = (i + 1) & (m->cap - 1);
    }
    *found = false;
    m->keys[i] = key;
    return &m->vals[i];
}

static void map_grow(u64map *m)
{
    if ((m->count + 1) * 2 <= m->cap)
        return;
    u64map n;
    n.cap = m->cap * 2;
    n.count = m->count;
    n.keys = xrealloc(NULL, n.cap * sizeof *n.keys);
    n.vals = xrealloc(NULL, n.cap * sizeof *n.vals);
    memset(n.vals, 0xff, n.cap * sizeof *n.vals);
    for (size_t i = 0; i < m->cap; i++) {
        if (m->vals[i] == UINT32_MAX)
            continue;
        bool f;
        *map_slot(&n, m->keys[i], &f) = m->vals[i];
    }
    map_free(m);
    *m = n;
}

/* Insert if absent; returns the value slot (fresh slots hold UINT32_MAX until set). */
static uint32_t *map_get_or_add(u64map *m, uint64_t key, bool *found)
{
    map_grow(m);
    uint32_t *s = map_slot(m, key, found);
    if (!*found)
        m->count++;
    return s;
}

/* Remove by backward-shift deletion (keeps linear probing chains intact). */
static void map_remove(u64map *m, uint64_t key)
{
    size_t i = mrs_mix64(key) & (m->cap - 1);
    while (m->vals[i] != UINT32_MAX && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    if (m->vals[i] == UINT32_MAX)
        return;
    m->count--;
    for (;;) {
        m->vals[i] = UINT32_MAX;
        size_t j = i;
        for (;;) {
            j = (j + 1) & (m->cap - 1);
            if (m->vals[j] == UINT32_MAX)
                return;
            size_t home = mrs_mix64(m->keys[j]) & (m->cap - 1);
            /* can the entry at j move to i? (i lies cyclically in [home, j)) */
            if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j))
                break;
        }
        m->keys[i] = m->keys[j];
        m->vals[i] = m->vals[j];
        i = j;
    }
}

struct rv_view {
    rv_peer *peers;
    size_t npeers, cpeers;
    u64map peer_map;            /* hash of (afi, ip, asn) -> peer id; collisions checked */
    mrs_prefix *prefixes;
    size_t nprefixes, cprefixes;
    u64map prefix_map;          /* hash of prefix -> id (chained by probing on hash collisions) */
    uint32_t *path_pool;        /* interned paths (route_event.h words), back to back */
    size_t pool_len, pool_cap;  /* in words */
    uint64_t *path_off;         /* id -> offset in pool (words); length in path_len */
    uint32_t *path_len;
    size_t npaths, cpaths;
    u64map path_map;
    rv_route *routes;
    size_t nroutes, croutes;
    u64map open;                /* (peer << 32 | prefix) -> route index */
    char **files;
    size_t nfiles;
    uint32_t first_t, last_t;
};

rv_view *rv_new(void)
{
    rv_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    map_init(&v->peer_map);
    map_init(&v->prefix_map);
    map_init(&v->path_map);
    map_init(&v->open);
    v->first_t = UINT32_MAX;
    return v;
}

void rv_free(rv_view *v)
{
    if (!v)
        return;
    map_free(&v->peer_map);
    map_free(&v->prefix_map);
    map_free(&v->path_map);
    map_free(&v->open);
    free(v->peers);
    free(v->prefixes);
    free(v->path_pool);
    free(v->path_off);
    free(v->path_len);
    free(v->routes);
    for (size_t i = 0; i < v->nfiles; i++)
        free(v->files[i]);
    free(v->files);
    free(v);
}

uint32_t rv_add_file(rv_view *v, const char *name)
{
    v->files = xrealloc(v->files, (v->nfiles + 1) * sizeof *v->files);
    size_t n = strlen(name);
    v->files[v->nfiles] = xrealloc(NULL, n + 1);
    memcpy(v->files[v->nfiles], name, n + 1);
    return (uint32_t)v->nfiles++;
}

static uint64_t hash_bytes(const void *p, size_t n, uint64_t seed)
{
    const uint8_t *b = p;
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
    while (n >= 8) {
        uint64_t x;
        memcpy(&x, b, 8);
        h = mrs_mix64(h ^ x);
        b += 8;
        n -= 8;
    }
    uint64_t x = 0;
    memcpy(&x, b, n);
    return mrs_mix64(h ^ x);
}

/* Intern with open addressing on the 64-bit hash; a hash collision between
 * different values is resolved by probing with a perturbed key. */
static uint32_t intern_peer(rv_view *v, const mrs_route_peer *p)
{
    rv_peer k;
    memset(&k, 0, sizeof k);
    k.afi = p->afi;
    memcpy(k.ip, p->ip, 16);
    k.asn = p->asn;
    for (uint64_t salt = 0;; salt++) {
        bool found;
        uint32_t *s = map_get_or_add(&v->peer_map, hash_bytes(&k, sizeof k, salt), &found);
        if (found) {
            if (!memcmp(&v->peers[*s], &k, sizeof k))
                return *s;
            continue;
        }
        if (v->npeers == v->cpeers) {
            v->cpeers = v->cpeers ? v->cpeers * 2 : 64;
            v->peers = xrealloc(v->peers, v->cpeers * sizeof *v->peers);
        }
        v->peers[v->npeers] = k;
        *s = (uint32_t)v->npeers;
        return (uint32_t)v->npeers++;
    }
}

static uint32_t intern_prefix(rv_view *v, const mrs_prefix *pin)
{
    mrs_prefix p = *pin;
    mrs_prefix_mask(&p); /* host bits on the wire do not make another prefix */
    for (uint64_t salt = 0;; salt++) {
        bool found;
        uint32_t *s = map_get_or_add(&v->prefix_map, hash_bytes(&p, sizeof p, salt), &found);
        if (found) {
            if (mrs_prefix_equal(&v->prefixes[*s], &p))
                return *s;
            continue;
        }
        if (v->nprefixes == v->cprefixes) {
            v->cprefixes = v->cprefixes ? v->cprefixes * 2 : 1024;
            v->prefixes = xrealloc(v->prefixes, v->cprefixes * sizeof *v->prefixes);
        }
        v->prefixes[v->nprefixes] = p;
        *s = (uint32_t)v->nprefixes;
        return (uint32_t)v->nprefixes++;
    }
}

static uint32_t intern_path(rv_view *v, mrs_as_path path)
{
    size_t len = path.n;
    for (uint64_t salt = 0;; salt++) {
        bool found;
        uint32_t *s = map_get_or_add(&v->path_map, hash_bytes(path.w, len * sizeof *path.w, salt), &found);
        if (found) {
            if (v->path_len[*s] == len && !memcmp(v->path_pool + v->path_off[*s], path.w, len * sizeof *path.w))
                return *s;
            continue;
        }
        if (v->pool_len + len > v->pool_cap) {
            v->pool_cap = v->pool_cap ? v->pool_cap * 2 : 16384;
            while (v->pool_len + len > v->pool_cap)
                v->pool_cap *= 2;
            v->path_pool = xrealloc(v->path_pool, v->pool_cap * sizeof *v->path_pool);
        }
        if (v->npaths == v->cpaths) {
            v->cpaths = v->cpaths ? v->cpaths * 2 : 1024;
            v->path_off = xrealloc(v->path_off, v->cpaths * sizeof *v->path_off);
            v->path_len = xrealloc(v->path_len, v->cpaths * sizeof *v->path_len);
        }
        if (len)
            memcpy(v->path_pool + v->pool_len, path.w, len * sizeof *path.w);
        v->path_off[v->npaths] = v->pool_len;
        v->path_len[v->npaths] = (uint32_t)len;
        v->pool_len += len;
        *s = (uint32_t)v->npaths;
        return (uint32_t)v->npaths++;
    }
}

static void close_route(rv_view *v, uint32_t idx, uint32_t t)
{
    rv_route *r = &v->routes[idx];
    r->end = t < r->start ? r->start : t;
}

static void open_route(rv_view *v, uint32_t peer, uint32_t prefix, const mrs_route_event *ev, uint32_t file,
                       uint32_t t)
{
    uint32_t path = intern_path(v, ev->path);
    uint32_t otc = ev->has_otc ? ev->otc : 0;
    uint64_t key = (uint64_t)peer << 32 | prefix;
    bool found;
    uint32_t *slot = map_get_or_add(&v->open, key, &found);
    if (found) {
        rv_route *cur = &v->routes[*slot];
        if (cur->path == path && cur->otc == otc)
            return; /* same route announced again: nothing changes */
        close_route(v, *slot, t);
    }
    if (v->nroutes == v->croutes) {
        v->croutes = v->croutes ? v->croutes * 2 : 4096;
        v->routes = xrealloc(v->routes, v->croutes * sizeof *v->routes);
        /* the slot pointer stays valid: the map was not resized since */
    }
    rv_route *r = &v->routes[v->nroutes];
    r->peer = peer;
    r->prefix = prefix;
    r->path = path;
    r->start = t;
    r->end = RV_OPEN;
    r->file = file;
    r->offset = ev->offset;
    r->origin = 0;
    mrs_as_path_origin(ev->path, &r->origin);
    r->otc = otc;
    *slot = (uint32_t)v->nroutes++;
}

static void close_peer(rv_view *v, uint32_t peer, uint32_t t)
{
    /* rare (session resets): scan the open index and close this peer's routes */
    for (size_t i = 0; i < v->open.cap;) {
        if (v->open.vals[i] != UINT32_MAX && (uint32_t)(v->open.keys[i] >> 32) == peer) {
            close_route(v, v->open.vals[i], t);
            map_remove(&v->open, v->open.keys[i]);
            continue; /* another entry may have shifted into slot i */
        }
        i++;
    }
}

void rv_add_event(rv_view *v, const mrs_route_event *ev, uint32_t file)
{
    uint32_t t = ev->time;
    if (t < v->first_t)
        v->first_t = t;
    if (t > v->last_t)
        v->last_t = t;
    if (ev->kind == MRS_RE_PEER_STATE) {
        /* leaving Established loses every route of the session */
        if (mrs_route_event_session_lost(ev))
            close_peer(v, intern_peer(v, &ev->peer), t);
        return;
    }
    if (ev->safi != MRS_SAFI_UNICAST)
        return;
    uint32_t peer = intern_peer(v, &ev->peer);
    uint32_t prefix = intern_prefix(v, &ev->prefix);
    if (ev->kind == MRS_RE_WITHDRAW) {
        uint64_t key = (uint64_t)peer << 32 | prefix;
        bool found;
        uint32_t *slot = map_slot(&v->open, key, &found);
        if (found) {
            close_route(v, *slot, t);
            map_remove(&v->open, key);
        }
        return;
    }
    /* RIB entries: the route is held at the dump time; announcements: from now */
    open_route(v, peer, prefix, ev, file, t);
}

void rv_close_all(rv_view *v, uint32_t t)
{
    for (size_t i = 0; i < v->open.cap; i++)
        if (v->open.vals[i] != UINT32_MAX)
            close_route(v, v->open.vals[i], t);
    map_free(&v->open);
    map_init(&v->open);
}

size_t rv_route_count(const rv_view *v) { return v->nroutes; }
const rv_route *rv_route_at(const rv_view *v, size_t i) { return &v->routes[i]; }
size_t rv_peer_count(const rv_view *v) { return v->npeers; }
const rv_peer *rv_peer_at(const rv_view *v, size_t i) { return &v->peers[i]; }
size_t rv_prefix_count(const rv_view *v) { return v->nprefixes; }
const mrs_prefix *rv_prefix(const rv_view *v, uint32_t id) { return &v->prefixes[id]; }
size_t rv_path_count(const rv_view *v) { return v->npaths; }
const char *rv_file_name(const rv_view *v, uint32_t id) { return id < v->nfiles ? v->files[id] : "?"; }
uint32_t rv_first_time(const rv_view *v) { return v->first_t == UINT32_MAX ? 0 : v->first_t; }
uint32_t rv_last_time(const rv_view *v) { return v->last_t; }

mrs_as_path rv_path(const rv_view *v, uint32_t id)
{
    return (mrs_as_path){v->path_pool + v->path_off[id], v->path_len[id]};
}

size_t rv_path_asns(const rv_view *v, uint32_t id, uint32_t *out, size_t max, bool *has_set)
{
    return mrs_as_path_sequence(rv_path(v, id), out, max, has_set);
}
