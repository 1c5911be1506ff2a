/*
 * rov_index.c — the lookup structure behind the fast path of mrs_rov_validate.
 *
 * A binary trie walk costs one dependent cache miss per level (~20 for a full
 * table), which caps ROV at about a million routes per second. This index answers
 * the same question (RFC 6811 §2: is there a covering VRP, does one match) with
 * two or three memory accesses, by splitting VRPs at a fixed length S (IPv4 /16,
 * IPv6 /32):
 *   - long VRPs (length > S; IPv6: >= S) are stored by bucket, the route's first S bits: one
 *     contiguous run sorted by address then length, 8 bytes (IPv4) per VRP. IPv4
 *     buckets are addressed directly (65536 of them), IPv6 buckets through an
 *     open-addressing hash of the /32;
 *   - short VRPs (length <= S; IPv6: < S) that cover a bucket are copied into one list per
 *     bucket, shared by all buckets with the same deepest short covering prefix.
 *     IPv6 /32s without VRPs of their own use a small trie of the IPv6 prefixes
 *     shorter than /32.
 * A route then reads its bucket's short list and scans the part of its bucket's
 * run that can cover it (addresses between the route masked to S+1 bits and the
 * route itself). mrs_rov_validate_ex keeps using the full trie, and the tests
 * check both paths against a linear reference.
 */
#include "rpki_impl.h"
#include "manrs/core/grow.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The index is read at random: on 4 KiB pages nearly every lookup also misses the
 * TLB. Arrays of 512 KiB or more are placed on 2 MiB boundaries and offered to the
 * kernel as transparent huge pages (a hint; without THP they work as usual). */
#define HUGE_PAGE ((size_t)2 << 20)

static void *index_alloc(size_t bytes, bool huge)
{
    if (!huge || bytes < HUGE_PAGE / 4)
        return malloc(bytes ? bytes : 1);
    size_t rounded = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, rounded) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

static void *index_calloc(size_t n, size_t size, bool huge)
{
    void *p = index_alloc(n * size, huge);
    if (p)
        memset(p, 0, n * size);
    return p;
}

#define be32 rpki_be32
#define hash32 rpki_hash32

static inline uint64_t be64(const uint8_t *a)
{
    return (uint64_t)be32(a) << 32 | be32(a + 4);
}

void rpki_rov_index_free(mrs_rpki *r)
{
    free(r->v4_bucket);
    free(r->v4_block);
    free(r->v4_long);
    free(r->list);
    free(r->v6_slot);
    free(r->v6_long);
    mrs_trie_free(r->v6_short);
    r->v4_bucket = NULL;
    r->v4_block = NULL;
    r->nblock = 0;
    r->v4_long = r->list = NULL;
    r->v6_slot = NULL;
    r->v6_long = NULL;
    r->v6_short = NULL;
    r->nlist = r->caplist = 0;
    r->v6_mask = 0;
}

/* Offset in r->list of the list of short VRPs covering q (q->len = S). Lists are
 * memoised by the deepest covering group, which determines the whole list. */
static int short_list(mrs_rpki *r, const mrs_prefix *q, uint32_t *memo, uint32_t *off)
{
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    unsigned k = mrs_trie_covering(r->trie, q, m);
    if (k == 0) {
        *off = 0; /* list[0] is the empty list */
        return 0;
    }
    uint32_t last = m[k - 1].value;
    if (memo[last] != UINT32_MAX) {
        *off = memo[last];
        return 0;
    }
    size_t count = 0;
    for (unsigned i = 0; i < k; i++)
        count += r->group[m[i].value + 1] - r->group[m[i].value];
    if (count > UINT32_MAX - 1 || r->nlist + count + 1 > UINT32_MAX)
        return -1;
    rov_entry4 *nl = mrs_grow(r->list, &r->caplist, r->nlist + count + 1, sizeof *nl, 1024);
    if (!nl)
        return -1;
    r->list = nl;
    uint32_t start = (uint32_t)r->nlist;
    r->list[r->nlist++] = (rov_entry4){.asn = (uint32_t)count};
    for (unsigned i = 0; i < k; i++)
        for (uint32_t j = r->group[m[i].value]; j < r->group[m[i].value + 1]; j++)
            r->list[r->nlist++] = (rov_entry4){.len = m[i].len, .maxlen = r->ent[j].maxlen, .asn = r->ent[j].asn};
    memo[last] = *off = start;
    return 0;
}

int rpki_rov_index_build(mrs_rpki *r)
{
    /* Huge pages pay off for big sets only (a small one fits the caches anyway). */
    bool huge = r->nvrp >= 65536;
    /* The 65537th bucket only marks the end of the last one. */
    uint32_t *memo = malloc((r->ngroup ? r->ngroup : 1) * sizeof *memo);
    r->v4_bucket = index_calloc(65537, sizeof *r->v4_bucket, huge);
    r->caplist = 1024;
    r->list = malloc(r->caplist * sizeof *r->list);
    r->v6_short = mrs_trie_new();
    if (!memo || !r->v4_bucket || !r->list || !r->v6_short)
        goto oom;
    memset(memo, 0xff, (r->ngroup ? r->ngroup : 1) * sizeof *memo);
    r->list[0] = (rov_entry4){0};
    r->nlist = 1;

    /* IPv4: VRPs are sorted by address, so each /16's long VRPs are contiguous and
     * the buckets come in order. */
    size_t nlong4 = 0, nlong6 = 0, nkeys6 = 0;
    bool short4 = false; /* any IPv4 VRP of length <= 16? if not, no short lists to compute */
    uint32_t last_key = 0;
    for (size_t i = 0; i < r->nvrp; i++) {
        const mrs_prefix *p = &r->vrp[i].prefix;
        if (p->afi == MRS_AFI_IPV4 && p->len > 16) {
            r->v4_bucket[(be32(p->addr) >> 16) + 1].start++;
            nlong4++;
        } else if (p->afi == MRS_AFI_IPV4) {
            short4 = true;
        } else if (p->afi == MRS_AFI_IPV6 && p->len >= 32) {
            if (!nlong6 || be32(p->addr) != last_key)
                nkeys6++;
            last_key = be32(p->addr);
            nlong6++;
        }
    }
    size_t nbig = 0;
    for (size_t b = 0; b < 65536; b++) {
        nbig += r->v4_bucket[b + 1].start > RPKI_BIG_BUCKET;
        r->v4_bucket[b + 1].start += r->v4_bucket[b].start;
    }
    r->v4_block = index_alloc((nbig ? nbig : 1) * 256 * sizeof *r->v4_block, huge);
    r->v4_long = index_alloc((nlong4 ? nlong4 : 1) * sizeof *r->v4_long, huge);
    r->v6_long = index_alloc((nlong6 ? nlong6 : 1) * sizeof *r->v6_long, huge);
    size_t nslots = 16;
    while (nslots < 2 * nkeys6)
        nslots *= 2;
    r->v6_slot = index_calloc(nslots, sizeof *r->v6_slot, huge);
    r->v6_mask = nslots - 1;
    if (!r->v4_long || !r->v6_long || !r->v6_slot || !r->v4_block)
        goto oom;
    size_t k4 = 0, k6 = 0;
    rov_slot6 *cur = NULL;
    for (size_t i = 0; i < r->nvrp; i++) {
        const mrs_vrp *v = &r->vrp[i];
        const mrs_prefix *p = &v->prefix;
        if (p->afi == MRS_AFI_IPV4 && p->len > 16) {
            r->v4_long[k4++] = (rov_entry4){.low = (uint16_t)be32(p->addr), .len = p->len, .maxlen = v->maxlen,
                                            .asn = v->asn};
        } else if (p->afi == MRS_AFI_IPV6 && p->len >= 32) {
            uint32_t key = be32(p->addr);
            if (!cur || cur->key != key) {
                size_t h = hash32(key) & r->v6_mask;
                while (r->v6_slot[h].used)
                    h = (h + 1) & r->v6_mask;
                cur = &r->v6_slot[h];
                cur->used = 1;
                cur->key = key;
                cur->start = (uint32_t)k6;
                /* VRPs shorter than /32 covering this /32 (those of the /31). */
                mrs_prefix q = {.afi = MRS_AFI_IPV6, .len = 31};
                memcpy(q.addr, p->addr, 4);
                q.addr[3] &= 0xfe;
                if (short_list(r, &q, memo, &cur->short_off) < 0)
                    goto oom;
            }
            r->v6_long[k6++] = (rov_entry6){.mid = be64(p->addr + 4), .low = be32(p->addr + 12), .len = p->len,
                                            .maxlen = v->maxlen, .asn = v->asn};
            cur->end = (uint32_t)k6;
        } else if (p->afi == MRS_AFI_IPV6 && (i == 0 || !mrs_prefix_equal(&r->vrp[i - 1].prefix, p))) {
            uint32_t g;
            if (!mrs_trie_lookup(r->trie, p, &g) || mrs_trie_insert(r->v6_short, p, g) < 0)
                goto oom;
        }
    }
    /* Buckets without short VRPs or a block table keep their zeroes (calloc). */
    for (uint32_t b = 0; (short4 || nbig) && b < 65536; b++) {
        rov_bucket4 *bk = &r->v4_bucket[b];
        mrs_prefix q = {.afi = MRS_AFI_IPV4, .len = 16};
        q.addr[0] = (uint8_t)(b >> 8);
        q.addr[1] = (uint8_t)b;
        if (short4 && short_list(r, &q, memo, &bk->short_off) < 0)
            goto oom;
        uint32_t s = bk->start, e = bk[1].start;
        if (e - s <= RPKI_BIG_BUCKET)
            continue;
        rov_block4 *blk = &r->v4_block[r->nblock * 256];
        bk->block = (uint32_t)(r->nblock++ * 256 + 1);
        q.len = 24;
        for (uint32_t t = 0; t < 256; t++) {
            q.addr[2] = (uint8_t)t;
            if (short_list(r, &q, memo, &blk[t].list_off) < 0)
                goto oom;
            while (s < e && r->v4_long[s].low < (t << 8))
                s++;
            blk[t].first = s;
        }
    }
    free(memo);
    /* The short lists grew by realloc; move them to their final, aligned home. */
    rov_entry4 *fin = index_alloc(r->nlist * sizeof *fin, huge);
    if (!fin)
        goto oom_nomemo;
    memcpy(fin, r->list, r->nlist * sizeof *fin);
    free(r->list);
    r->list = fin;
    r->caplist = r->nlist;
    return 0;
oom:
    free(memo);
oom_nomemo:
    rpki_rov_index_free(r);
    return -1;
}
