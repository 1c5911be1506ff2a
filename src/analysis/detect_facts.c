/*
 * detect_facts.c — the facts detection needs from beyond one prefix partition
 * (detect.h mrs_detect_facts): adding two parts' facts up, and the bytes a worker
 * stores them as (docs/scale.md "What crosses partitions").
 *
 * Format, little-endian: "MRSF", u32 version (1), u64 routes, then four arrays,
 * each a u64 count and its items: links (u64 keys), valleys (u64 keys), origins
 * and last links ((u64 key, u64 count) pairs), then u64 n default-route peers
 * (u32 asn, u16 afi, u16 0, 16-byte address). Keys strictly ascending.
 */
#include "manrs/analysis/detect.h"
#include "manrs/core/le.h"
#include "manrs/core/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mrs_detect_facts_clear(mrs_detect_facts *f)
{
    free(f->links);
    free(f->valleys);
    free(f->origins);
    free(f->last_links);
    free(f->default_peers);
    memset(f, 0, sizeof *f);
}

static int cmp_key_count(const void *a, const void *b)
{
    return mrs_cmp_u64(&((const mrs_key_count *)a)->key, &((const mrs_key_count *)b)->key);
}

static void add_count(void *into, const void *add)
{
    ((mrs_key_count *)into)->n += ((const mrs_key_count *)add)->n;
}

int mrs_detect_facts_merge(mrs_detect_facts *into, const mrs_detect_facts *add)
{
    mrs_detect_facts t;
    memset(&t, 0, sizeof t);
    t.links = mrs_merge_sorted(into->links, into->n_links, add->links, add->n_links, sizeof *t.links, mrs_cmp_u64,
                               NULL, &t.n_links);
    t.valleys = mrs_merge_sorted(into->valleys, into->n_valleys, add->valleys, add->n_valleys, sizeof *t.valleys,
                                 mrs_cmp_u64, NULL, &t.n_valleys);
    t.origins = mrs_merge_sorted(into->origins, into->n_origins, add->origins, add->n_origins, sizeof *t.origins,
                                 cmp_key_count, add_count, &t.n_origins);
    t.last_links = mrs_merge_sorted(into->last_links, into->n_last_links, add->last_links, add->n_last_links,
                                    sizeof *t.last_links, cmp_key_count, add_count, &t.n_last_links);
    t.default_peers = mrs_merge_sorted(into->default_peers, into->n_default_peers, add->default_peers,
                                       add->n_default_peers, sizeof *t.default_peers, mrs_view_peer_cmp, NULL,
                                       &t.n_default_peers);
    t.routes = into->routes + add->routes;
    if (!t.links || !t.valleys || !t.origins || !t.last_links || !t.default_peers) {
        mrs_detect_facts_clear(&t);
        return -1;
    }
    mrs_detect_facts_clear(into);
    *into = t;
    return 0;
}


int mrs_detect_facts_encode(const mrs_detect_facts *f, uint8_t **out, size_t *len)
{
    size_t n = 16 + 5 * 8 + 8 * (f->n_links + f->n_valleys) + 16 * (f->n_origins + f->n_last_links) +
               24 * f->n_default_peers;
    uint8_t *p = malloc(n), *w = p;
    if (!p)
        return -1;
    memcpy(w, "MRSF", 4);
    w[4] = 1;
    w[5] = w[6] = w[7] = 0;
    mrs_le_put64(w + 8, f->routes);
    w += 16;
    const uint64_t *keys[2] = {f->links, f->valleys};
    size_t nk[2] = {f->n_links, f->n_valleys};
    for (int a = 0; a < 2; a++) {
        mrs_le_put64(w, nk[a]);
        w += 8;
        for (size_t i = 0; i < nk[a]; i++, w += 8)
            mrs_le_put64(w, keys[a][i]);
    }
    const mrs_key_count *cnt[2] = {f->origins, f->last_links};
    size_t nc[2] = {f->n_origins, f->n_last_links};
    for (int a = 0; a < 2; a++) {
        mrs_le_put64(w, nc[a]);
        w += 8;
        for (size_t i = 0; i < nc[a]; i++, w += 16) {
            mrs_le_put64(w, cnt[a][i].key);
            mrs_le_put64(w + 8, cnt[a][i].n);
        }
    }
    mrs_le_put64(w, f->n_default_peers);
    w += 8;
    for (size_t i = 0; i < f->n_default_peers; i++, w += 24) {
        const mrs_view_peer *q = &f->default_peers[i];
        mrs_le_put32(w, q->asn);
        mrs_le_put16(w + 4, q->afi);
        w[6] = w[7] = 0;
        memcpy(w + 8, q->ip, 16);
    }
    *out = p;
    *len = n;
    return 0;
}

int mrs_detect_facts_decode(const uint8_t *p, size_t len, mrs_detect_facts *out, char *err, size_t errlen)
{
    static const char *names[4] = {"links", "valleys", "origins", "last links"};
    memset(out, 0, sizeof *out);
    if (len < 16 || memcmp(p, "MRSF", 4) != 0) {
        snprintf(err, errlen, "not detection facts (no MRSF header)");
        return -1;
    }
    if (p[4] != 1 || p[5] || p[6] || p[7]) {
        snprintf(err, errlen, "detection facts version %u not understood", p[4]);
        return -1;
    }
    out->routes = mrs_le_get64(p + 8);
    size_t off = 16;
    for (int a = 0; a < 4; a++) {
        size_t item = a < 2 ? 8 : 16;
        if (len - off < 8) {
            snprintf(err, errlen, "%s: truncated at byte %zu", names[a], off);
            goto fail;
        }
        uint64_t n = mrs_le_get64(p + off);
        off += 8;
        if (n > (len - off) / item) {
            snprintf(err, errlen, "%s: %llu items do not fit in the %zu bytes left", names[a], (unsigned long long)n,
                     len - off);
            goto fail;
        }
        void *v = malloc(n ? n * item : 1);
        if (!v) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < n; i++, off += item) {
            uint64_t k = mrs_le_get64(p + off);
            if (i && k <= mrs_le_get64(p + off - item)) {
                snprintf(err, errlen, "%s: keys not ascending at byte %zu", names[a], off);
                free(v);
                goto fail;
            }
            if (a < 2)
                ((uint64_t *)v)[i] = k;
            else
                ((mrs_key_count *)v)[i] = (mrs_key_count){k, mrs_le_get64(p + off + 8)};
        }
        switch (a) {
        case 0: out->links = v, out->n_links = n; break;
        case 1: out->valleys = v, out->n_valleys = n; break;
        case 2: out->origins = v, out->n_origins = n; break;
        default: out->last_links = v, out->n_last_links = n; break;
        }
    }
    if (len - off < 8) {
        snprintf(err, errlen, "default peers: truncated at byte %zu", off);
        goto fail;
    }
    uint64_t nd = mrs_le_get64(p + off);
    off += 8;
    if (nd > (len - off) / 24) {
        snprintf(err, errlen, "default peers: %llu items do not fit in the %zu bytes left", (unsigned long long)nd,
                 len - off);
        goto fail;
    }
    if (!(out->default_peers = malloc((nd ? nd : 1) * sizeof *out->default_peers))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < nd; i++, off += 24) {
        mrs_view_peer *q = &out->default_peers[i];
        memset(q, 0, sizeof *q);
        q->asn = mrs_le_get32(p + off);
        q->afi = mrs_le_get16(p + off + 4);
        memcpy(q->ip, p + off + 8, 16);
        if (p[off + 6] || p[off + 7] || (i && mrs_view_peer_cmp(&out->default_peers[i - 1], q) >= 0)) {
            snprintf(err, errlen, "default peers: padding or order wrong at byte %zu", off);
            goto fail;
        }
        out->n_default_peers++;
    }
    if (off != len) {
        snprintf(err, errlen, "%zu bytes after the last array", len - off);
        goto fail;
    }
    return 0;
fail:
    mrs_detect_facts_clear(out);
    return -1;
}
