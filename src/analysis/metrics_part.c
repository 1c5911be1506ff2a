/*
 * metrics_part.c — what the routes give the metrics, per part of a run split by
 * prefix (metrics.h mrs_metrics_part): adding parts up, and the bytes a worker
 * stores a part as (docs/scale.md).
 *
 * Format, little-endian: "MRSM", u32 version (1), u64 IPv4 prefixes, u64 IPv6
 * prefixes; u64 n + n u32 ASNs; u64 n + n announce counts (u32 asn, u32 peers, u64
 * pairs, u64 rpki_valid, u64 rpki_invalid, u64 irr_covered); u64 n + n peers (u32
 * asn, u16 afi, u16 0, 16-byte address, u64 IPv4 prefixes, u64 IPv6 prefixes).
 * Every array strictly ascending by its key.
 */
#include "manrs/analysis/metrics.h"
#include "manrs/core/le.h"
#include "manrs/core/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_ann(void *into, const void *add)
{
    mrs_announce_count *e = into;
    const mrs_announce_count *b = add;
    e->pairs += b->pairs;
    e->rpki_valid += b->rpki_valid;
    e->rpki_invalid += b->rpki_invalid;
    e->irr_covered += b->irr_covered;
}

static void add_peer(void *into, const void *add)
{
    mrs_peer_prefixes *e = into;
    const mrs_peer_prefixes *b = add;
    e->n[0] += b->n[0];
    e->n[1] += b->n[1];
}

int mrs_metrics_part_merge(mrs_metrics_part *into, const mrs_metrics_part *add)
{
    mrs_metrics_part t;
    memset(&t, 0, sizeof t);
    t.asns = mrs_merge_sorted(into->asns, into->n_asns, add->asns, add->n_asns, sizeof *t.asns, mrs_cmp_u32, NULL,
                              &t.n_asns);
    t.ann = mrs_merge_sorted(into->ann, into->n_ann, add->ann, add->n_ann, sizeof *t.ann, mrs_announce_count_cmp,
                             add_ann, &t.n_ann);
    t.peers = mrs_merge_sorted(into->peers, into->n_peers, add->peers, add->n_peers, sizeof *t.peers,
                               mrs_peer_prefixes_cmp, add_peer, &t.n_peers);
    if (!t.asns || !t.ann || !t.peers) {
        mrs_metrics_part_clear(&t);
        return -1;
    }
    t.prefixes[0] = into->prefixes[0] + add->prefixes[0];
    t.prefixes[1] = into->prefixes[1] + add->prefixes[1];
    mrs_metrics_part_clear(into);
    *into = t;
    return 0;
}

static uint8_t *put32(uint8_t *p, uint32_t x)
{
    mrs_le_put32(p, x);
    return p + 4;
}

static uint8_t *put64(uint8_t *p, uint64_t x)
{
    mrs_le_put64(p, x);
    return p + 8;
}


#define ANN_BYTES 40
#define PEER_BYTES 40

int mrs_metrics_part_encode(const mrs_metrics_part *p, uint8_t **out, size_t *len)
{
    size_t n = 24 + 8 + 4 * p->n_asns + 8 + ANN_BYTES * p->n_ann + 8 + PEER_BYTES * p->n_peers;
    uint8_t *b = malloc(n), *w = b;
    if (!b)
        return -1;
    memcpy(w, "MRSM", 4);
    w = put32(w + 4, 1);
    w = put64(w, p->prefixes[0]);
    w = put64(w, p->prefixes[1]);
    w = put64(w, p->n_asns);
    for (size_t i = 0; i < p->n_asns; i++)
        w = put32(w, p->asns[i]);
    w = put64(w, p->n_ann);
    for (size_t i = 0; i < p->n_ann; i++) {
        const mrs_announce_count *a = &p->ann[i];
        w = put32(w, a->asn);
        w = put32(w, a->peers);
        w = put64(w, a->pairs);
        w = put64(w, a->rpki_valid);
        w = put64(w, a->rpki_invalid);
        w = put64(w, a->irr_covered);
    }
    w = put64(w, p->n_peers);
    for (size_t i = 0; i < p->n_peers; i++) {
        const mrs_peer_prefixes *q = &p->peers[i];
        w = put32(w, q->asn);
        mrs_le_put16(w, q->afi);
        w[2] = w[3] = 0;
        memcpy(w + 4, q->ip, 16);
        w = put64(w + 20, q->n[0]);
        w = put64(w, q->n[1]);
    }
    *out = b;
    *len = n;
    return 0;
}

/* the count of the array at *off, checked against the bytes left */
static int get_count(const uint8_t *b, size_t len, size_t *off, size_t item, const char *what, size_t *n, char *err,
                     size_t errlen)
{
    if (len - *off < 8) {
        snprintf(err, errlen, "%s: truncated at byte %zu", what, *off);
        return -1;
    }
    uint64_t x = mrs_le_get64(b + *off);
    *off += 8;
    if (x > (len - *off) / item) {
        snprintf(err, errlen, "%s: %llu items do not fit in the %zu bytes left (byte %zu)", what,
                 (unsigned long long)x, len - *off, *off - 8);
        return -1;
    }
    *n = (size_t)x;
    return 0;
}

int mrs_metrics_part_decode(const uint8_t *b, size_t len, mrs_metrics_part *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len < 24 || memcmp(b, "MRSM", 4) != 0) {
        snprintf(err, errlen, "not a metrics part (no MRSM header)");
        return -1;
    }
    if (mrs_le_get32(b + 4) != 1) {
        snprintf(err, errlen, "metrics part version %u not understood", mrs_le_get32(b + 4));
        return -1;
    }
    out->prefixes[0] = mrs_le_get64(b + 8);
    out->prefixes[1] = mrs_le_get64(b + 16);
    size_t off = 24, n;
    if (get_count(b, len, &off, 4, "networks", &n, err, errlen) != 0)
        goto fail;
    if (!(out->asns = malloc((n ? n : 1) * sizeof *out->asns)))
        goto oom;
    for (size_t i = 0; i < n; i++, off += 4) {
        out->asns[i] = mrs_le_get32(b + off);
        if (i && out->asns[i] <= out->asns[i - 1]) {
            snprintf(err, errlen, "networks: not ascending at byte %zu", off);
            goto fail;
        }
        out->n_asns++;
    }
    if (get_count(b, len, &off, ANN_BYTES, "announce counts", &n, err, errlen) != 0)
        goto fail;
    if (!(out->ann = malloc((n ? n : 1) * sizeof *out->ann)))
        goto oom;
    for (size_t i = 0; i < n; i++, off += ANN_BYTES) {
        mrs_announce_count *a = &out->ann[i];
        *a = (mrs_announce_count){mrs_le_get32(b + off),      mrs_le_get32(b + off + 4),  mrs_le_get64(b + off + 8),
                                  mrs_le_get64(b + off + 16), mrs_le_get64(b + off + 24), mrs_le_get64(b + off + 32)};
        if (i && mrs_announce_count_cmp(&out->ann[i - 1], a) >= 0) {
            snprintf(err, errlen, "announce counts: not ascending at byte %zu", off);
            goto fail;
        }
        if (a->rpki_valid + a->rpki_invalid > a->pairs || a->irr_covered > a->pairs || a->rpki_valid > a->pairs) {
            snprintf(err, errlen, "announce counts: more valid or covered pairs than pairs at byte %zu", off);
            goto fail;
        }
        out->n_ann++;
    }
    if (get_count(b, len, &off, PEER_BYTES, "peers", &n, err, errlen) != 0)
        goto fail;
    if (!(out->peers = malloc((n ? n : 1) * sizeof *out->peers)))
        goto oom;
    for (size_t i = 0; i < n; i++, off += PEER_BYTES) {
        mrs_peer_prefixes *q = &out->peers[i];
        memset(q, 0, sizeof *q);
        q->asn = mrs_le_get32(b + off);
        q->afi = mrs_le_get16(b + off + 4);
        memcpy(q->ip, b + off + 8, 16);
        q->n[0] = mrs_le_get64(b + off + 24);
        q->n[1] = mrs_le_get64(b + off + 32);
        if (b[off + 6] || b[off + 7]) {
            snprintf(err, errlen, "peers: padding not zero at byte %zu", off + 6);
            goto fail;
        }
        if (i && mrs_peer_prefixes_cmp(&out->peers[i - 1], q) >= 0) {
            snprintf(err, errlen, "peers: not ascending at byte %zu", off);
            goto fail;
        }
        out->n_peers++;
    }
    if (off != len) {
        snprintf(err, errlen, "%zu bytes after the last array", len - off);
        goto fail;
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    mrs_metrics_part_clear(out);
    return -1;
}
