/*
 * trie.c — path-compressed binary trie of IPv4 and IPv6 prefixes (see trie.h).
 *
 * The algorithm is written once in trie_impl.inc and instantiated per family so
 * that IPv4 nodes carry a 32-bit key (16-byte nodes) and IPv6 nodes a 128-bit key
 * (GCC/Clang unsigned __int128). Keys are the address bits read big-endian.
 */
#include "manrs/core/trie.h"

#include <stdlib.h>
#include <string.h>

#include "manrs/core/u128.h"

static inline unsigned clz128(mrs_u128 x) { return mrs_u128_clz(x); }

static inline void to_prefix4(uint32_t key, unsigned len, unsigned afi, mrs_prefix *p)
{
    memset(p, 0, sizeof *p);
    p->afi = (uint8_t)afi;
    p->len = (uint8_t)len;
    for (int i = 0; i < 4; i++)
        p->addr[i] = (uint8_t)(key >> (24 - 8 * i));
}

static inline void to_prefix6(mrs_u128 key, unsigned len, unsigned afi, mrs_prefix *p)
{
    memset(p, 0, sizeof *p);
    p->afi = (uint8_t)afi;
    p->len = (uint8_t)len;
    for (int i = 0; i < 16; i++)
        p->addr[i] = (uint8_t)(key >> (120 - 8 * i));
}

/* The root table's entry and the chain of valued nodes above it (trie_impl.inc). */
typedef struct trie_tab {
    uint32_t start, up;
} trie_tab;
typedef struct trie_up {
    uint32_t node, prev;
} trie_up;
#define TRIE_TAB_END UINT32_C(0x80000000)
#define TRIE_TAB_MIN 256   /* fewer prefixes per family: no table */

static inline uint32_t key4(const mrs_prefix *p)
{
    return (uint32_t)p->addr[0] << 24 | (uint32_t)p->addr[1] << 16 | (uint32_t)p->addr[2] << 8 | p->addr[3];
}

static inline mrs_u128 key6(const mrs_prefix *p) { return mrs_u128_load(p->addr); }

/* The input of mrs_trie_build_sorted: item i is the prefix at base + stride *
 * (order ? order[i] : i), its value values ? values[i] : (order ? order[i] : i). */
typedef struct trie_bulk {
    const char *base;
    size_t stride;
    const uint32_t *order;
    const uint32_t *values;
} trie_bulk;

static inline size_t trie_bulk_at(const trie_bulk *in, size_t i) { return in->order ? in->order[i] : i; }

static inline const mrs_prefix *trie_bulk_pfx(const trie_bulk *in, size_t i)
{
    return (const mrs_prefix *)(const void *)(in->base + in->stride * trie_bulk_at(in, i));
}

static inline uint32_t trie_bulk_value(const trie_bulk *in, size_t i)
{
    return in->values ? in->values[i] : (uint32_t)trie_bulk_at(in, i);
}

static inline uint32_t bulk_key4(const trie_bulk *in, size_t i) { return key4(trie_bulk_pfx(in, i)); }
static inline mrs_u128 bulk_key6(const trie_bulk *in, size_t i) { return key6(trie_bulk_pfx(in, i)); }

/* An IPv4 node in 16 bytes: the length (0..32) rides in the top 6 bits of the
 * 0-side child index and the has-value flag in the top bit of the 1-side one, so
 * a walk step reads its length with one shift, its child with one mask. Indexes
 * have 26 bits: at most 2^26 nodes (~33 M prefixes, far above any routing
 * registry). A zeroed node is empty: len 0, no value, no children. */
typedef struct trie_node4 {
    uint32_t key;
    uint32_t value;
    uint32_t link[2];
} trie_node4;
#define TRIE_IDX4 UINT32_C(0x03ffffff)
#define TRIE_HAS4 UINT32_C(0x80000000)

static inline unsigned len4(const trie_node4 *n) { return n->link[0] >> 26; }
static inline bool has_value4(const trie_node4 *n) { return n->link[1] >> 31; }
static inline uint32_t child4(const trie_node4 *n, unsigned dir) { return n->link[dir] & TRIE_IDX4; }
static inline void set_child4(trie_node4 *n, unsigned dir, uint32_t c)
{
    n->link[dir] = (n->link[dir] & ~TRIE_IDX4) | c;
}
static inline void set_meta4(trie_node4 *n, unsigned len, bool has_value)
{
    n->link[0] = (n->link[0] & TRIE_IDX4) | (uint32_t)len << 26;
    n->link[1] = (n->link[1] & TRIE_IDX4) | (has_value ? TRIE_HAS4 : 0);
}

/* An IPv6 node: the 16-byte key aligns it to 32 bytes anyway, plain fields. */
typedef struct trie_node6 {
    mrs_u128 key;
    uint32_t child[2];
    uint32_t value;
    uint8_t len;
    uint8_t has_value;
} trie_node6;

static inline unsigned len6(const trie_node6 *n) { return n->len; }
static inline bool has_value6(const trie_node6 *n) { return n->has_value; }
static inline uint32_t child6(const trie_node6 *n, unsigned dir) { return n->child[dir]; }
static inline void set_child6(trie_node6 *n, unsigned dir, uint32_t c) { n->child[dir] = c; }
static inline void set_meta6(trie_node6 *n, unsigned len, bool has_value)
{
    n->len = (uint8_t)len;
    n->has_value = has_value;
}

#define KEY uint32_t
#define KEYBITS 32u
#ifndef TRIE_MAX_NODES4   /* lowered by tests/test_trie_limits.c to reach it */
#define TRIE_MAX_NODES4 (TRIE_IDX4 + 1)
#endif
#define MAXNODES TRIE_MAX_NODES4
#define NODE trie_node4
#define FAM trie_fam4
#define FN(x) x##4
#define KEY_CLZ(x) __builtin_clz(x)
#include "trie_impl.inc"
#undef KEY
#undef KEYBITS
#undef MAXNODES
#undef NODE
#undef FAM
#undef FN
#undef KEY_CLZ

#define KEY mrs_u128
#define KEYBITS 128u
#define MAXNODES (UINT32_C(1) << 31)
#define NODE trie_node6
#define FAM trie_fam6
#define FN(x) x##6
#define KEY_CLZ(x) clz128(x)
#include "trie_impl.inc"
#undef KEY
#undef KEYBITS
#undef MAXNODES
#undef NODE
#undef FAM
#undef FN
#undef KEY_CLZ

struct mrs_trie {
    trie_fam4 v4;
    trie_fam6 v6;
};

static inline bool valid_prefix(const mrs_prefix *p)
{
    return (p->afi == MRS_AFI_IPV4 && p->len <= 32) || (p->afi == MRS_AFI_IPV6 && p->len <= 128);
}

mrs_trie *mrs_trie_new(void)
{
    return calloc(1, sizeof(mrs_trie));
}

void mrs_trie_free(mrs_trie *t)
{
    if (!t)
        return;
    free(t->v4.node);
    free(t->v6.node);
    tab_drop4(&t->v4);
    tab_drop6(&t->v6);
    free(t);
}

uint32_t *mrs_trie_slot(mrs_trie *t, const mrs_prefix *p, bool *created)
{
    bool dummy;
    if (!created)
        created = &dummy;
    if (!valid_prefix(p))
        return NULL;
    if (p->afi == MRS_AFI_IPV4)
        return slot4(&t->v4, key4(p), p->len, created);
    return slot6(&t->v6, key6(p), p->len, created);
}

int mrs_trie_insert(mrs_trie *t, const mrs_prefix *p, uint32_t value)
{
    bool created;
    uint32_t *s = mrs_trie_slot(t, p, &created);
    if (!s)
        return -1;
    *s = value;
    return created ? 1 : 0;
}

bool mrs_trie_lookup(const mrs_trie *t, const mrs_prefix *p, uint32_t *value)
{
    if (!valid_prefix(p))
        return false;
    if (p->afi == MRS_AFI_IPV4)
        return lookup4(&t->v4, key4(p), p->len, value);
    return lookup6(&t->v6, key6(p), p->len, value);
}

unsigned mrs_trie_covering(const mrs_trie *t, const mrs_prefix *p, mrs_trie_match *out)
{
    if (!valid_prefix(p))
        return 0;
    if (p->afi == MRS_AFI_IPV4)
        return covering4(&t->v4, key4(p), p->len, out);
    return covering6(&t->v6, key6(p), p->len, out);
}

int mrs_trie_covered(const mrs_trie *t, const mrs_prefix *p, mrs_trie_visit_fn fn, void *arg)
{
    if (!valid_prefix(p))
        return 0;
    if (p->afi == MRS_AFI_IPV4)
        return covered4(&t->v4, key4(p), p->len, MRS_AFI_IPV4, fn, arg);
    return covered6(&t->v6, key6(p), p->len, MRS_AFI_IPV6, fn, arg);
}

int mrs_trie_compact(mrs_trie *t)
{
    return compact4(&t->v4) && compact6(&t->v6) ? 0 : -1;
}

/* Whether the items are in the order bulk needs: family, then address, then
 * length, host bits clear. Sets *n4 to the number of IPv4 items (they come first). */
static bool bulk_sorted(const trie_bulk *in, size_t n, size_t *n4)
{
    *n4 = 0;
    for (size_t i = 0; i < n; i++) {
        const mrs_prefix *p = trie_bulk_pfx(in, i);
        if (!valid_prefix(p))
            return false;
        if (p->afi == MRS_AFI_IPV4) {
            uint32_t k = key4(p);
            if (*n4 != i || (k & mask4(p->len)) != k)
                return false;   /* after an IPv6 item, or host bits */
            if (i) {
                const mrs_prefix *q = trie_bulk_pfx(in, i - 1);
                uint32_t kq = key4(q);
                if (kq > k || (kq == k && q->len > p->len))
                    return false;
            }
            ++*n4;
        } else {
            mrs_u128 k = key6(p);
            if ((k & mask6(p->len)) != k)
                return false;
            if (i > *n4) {
                const mrs_prefix *q = trie_bulk_pfx(in, i - 1);
                mrs_u128 kq = key6(q);
                if (kq > k || (kq == k && q->len > p->len))
                    return false;
            }
        }
    }
    return true;
}

mrs_trie *mrs_trie_build_sorted(const void *base, size_t stride, const uint32_t *order, const uint32_t *values,
                                size_t n)
{
    trie_bulk in = { base, stride, order, values };
    if (!values && !order && n > (size_t)UINT32_MAX + 1)
        return NULL;   /* the implicit values would not fit */
    mrs_trie *t = mrs_trie_new();
    if (!t)
        return NULL;
    size_t n4;
    if (bulk_sorted(&in, n, &n4)) {
        if (bulk_build4(&t->v4, &in, 0, n4) && bulk_build6(&t->v6, &in, n4, n))
            return t;
        mrs_trie_free(t);
        return NULL;
    }
    /* Not in order: the same trie by insertion (the first of equal prefixes kept). */
    for (size_t i = 0; i < n; i++) {
        bool created;
        uint32_t *s = mrs_trie_slot(t, trie_bulk_pfx(&in, i), &created);
        if (!s) {
            mrs_trie_free(t);
            return NULL;
        }
        if (created)
            *s = trie_bulk_value(&in, i);
    }
    if (mrs_trie_compact(t) != 0) {
        mrs_trie_free(t);
        return NULL;
    }
    return t;
}

size_t mrs_trie_count(const mrs_trie *t, unsigned afi)
{
    if (afi == MRS_AFI_IPV4)
        return t->v4.count;
    if (afi == MRS_AFI_IPV6)
        return t->v6.count;
    return t->v4.count + t->v6.count;
}

size_t mrs_trie_memory(const mrs_trie *t)
{
    size_t m = (size_t)t->v4.cap * sizeof(trie_node4) + (size_t)t->v6.cap * sizeof(trie_node6);
    for (unsigned k = 0; k < 2; k++) {
        unsigned tb = k ? t->v6.tbits : t->v4.tbits;
        if (tb)
            m += sizeof(trie_tab) << tb;
    }
    return m;
}
