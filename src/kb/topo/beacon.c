/*
 * beacon.c — routing beacons (see beacon.h and docs/observe.md).
 *
 * Entries live in one array; the core prefix trie maps each listed prefix to the
 * newest entry of that prefix, and the entries of one prefix are chained through
 * prev (newest to oldest), so a lookup takes the covering prefixes from the trie,
 * most specific first, and walks each chain for an origin that fits.
 */
#include "manrs/kb/beacon.h"
#include "manrs/kb/bogon.h"
#include "manrs/core/grow.h"
#include "manrs/core/trie.h"

#include <stdlib.h>
#include <string.h>

#include "topo_internal.h"

#define NO_PREV UINT32_MAX

typedef struct beacon_ent {
    mrs_beacon pub;
    uint32_t prev;          /* the entry of the same prefix listed before, or NO_PREV */
} beacon_ent;

struct mrs_beacon_set {
    beacon_ent *e;
    size_t n, cap;
    mrs_trie *trie;         /* prefix -> newest entry with that prefix */
    mrs_arena strings;
    /* Every entry is at least an IPv4 /8 or IPv6 /16 (the loader's rule; added
     * entries shorter than that set every bit): a route can only match when its
     * first byte (IPv4) or 16 bits (IPv6) are those of an entry. Checked before
     * the trie, so that the observatory's per-route question costs a bit test. */
    uint64_t first4[256 / 64];
    uint64_t first6[65536 / 64];
};

/* Set the bits of every first byte (IPv4) or 16 bits (IPv6) a route inside p can have. */
static void mark_first(mrs_beacon_set *s, const mrs_prefix *p)
{
    bool v4 = p->afi == MRS_AFI_IPV4;
    unsigned w = v4 ? 8 : 16, n = 1u << w;
    unsigned v = v4 ? p->addr[0] : (unsigned)p->addr[0] << 8 | p->addr[1];
    unsigned mask = p->len >= w ? n - 1 : (n - 1) & ~((n - 1) >> p->len);
    uint64_t *bits = v4 ? s->first4 : s->first6;
    for (unsigned x = v & mask; x < n; x++)
        if ((x & mask) == (v & mask))
            bits[x / 64] |= 1ull << (x % 64);
}

static bool maybe(const mrs_beacon_set *s, const mrs_prefix *p)
{
    if (p->afi == MRS_AFI_IPV4)
        return (s->first4[p->addr[0] / 64] >> (p->addr[0] % 64)) & 1;
    unsigned v = (unsigned)p->addr[0] << 8 | p->addr[1];
    return (s->first6[v / 64] >> (v % 64)) & 1;
}

/* The RIPE RIS routing beacons and anchors ("RIS Routing Beacons", ripe.net): the
 * beacons announce 84.205.(64+c).0/24 and 2001:7fb:fe00+c::/48 from collector c,
 * the anchors sit in 93.175.144.0/20 and 2001:7fb:fd00::/40; all from AS12654. */
#define RIS_AS 12654
static const mrs_beacon builtin[] = {
    {{MRS_AFI_IPV4, 19, {0, 0}, {84, 205, 64, 0}}, RIS_AS, "built-in", 0},
    {{MRS_AFI_IPV4, 20, {0, 0}, {93, 175, 144, 0}}, RIS_AS, "built-in", 0},
    {{MRS_AFI_IPV6, 40, {0, 0}, {0x20, 0x01, 0x07, 0xfb, 0xfe}}, RIS_AS, "built-in", 0},
    {{MRS_AFI_IPV6, 40, {0, 0}, {0x20, 0x01, 0x07, 0xfb, 0xfd}}, RIS_AS, "built-in", 0},
};

size_t mrs_beacon_count(const mrs_beacon_set *s) { return s->n; }

const mrs_beacon *mrs_beacon_at(const mrs_beacon_set *s, size_t i) { return i < s->n ? &s->e[i].pub : NULL; }

static int push(mrs_beacon_set *s, const mrs_prefix *p, uint32_t origin, const char *source, uint64_t line)
{
    if (s->n >= NO_PREV)
        return -1;
    beacon_ent *ne = mrs_grow(s->e, &s->cap, s->n + 1, sizeof *ne, 16);
    if (!ne)
        return -1;
    s->e = ne;
    beacon_ent *e = &s->e[s->n];
    e->pub.prefix = *p;
    mrs_prefix_mask(&e->pub.prefix);
    e->pub.origin = origin;
    e->pub.source = source;
    e->pub.line = line;
    bool created;
    uint32_t *slot = mrs_trie_slot(s->trie, &e->pub.prefix, &created);
    if (!slot)
        return -1;
    e->prev = created ? NO_PREV : *slot;
    *slot = (uint32_t)s->n++;
    mark_first(s, &e->pub.prefix);
    return 0;
}

mrs_beacon_set *mrs_beacon_set_new(bool with_builtin)
{
    mrs_beacon_set *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    mrs_arena_init(&s->strings);
    if (!(s->trie = mrs_trie_new())) {
        mrs_beacon_set_free(s);
        return NULL;
    }
    for (size_t i = 0; with_builtin && i < sizeof builtin / sizeof builtin[0]; i++)
        if (push(s, &builtin[i].prefix, builtin[i].origin, builtin[i].source, 0) != 0) {
            mrs_beacon_set_free(s);
            return NULL;
        }
    return s;
}

void mrs_beacon_set_free(mrs_beacon_set *s)
{
    if (!s)
        return;
    free(s->e);
    mrs_trie_free(s->trie);
    mrs_arena_clear(&s->strings);
    free(s);
}

int mrs_beacon_add(mrs_beacon_set *s, const mrs_prefix *p, uint32_t origin, const char *source)
{
    if ((p->afi != MRS_AFI_IPV4 && p->afi != MRS_AFI_IPV6) || p->len > mrs_afi_bits(p->afi))
        return -1;
    const char *src = mrs_arena_strndup(&s->strings, source ? source : "", source ? strlen(source) : 0);
    return src ? push(s, p, origin, src, 0) : -1;
}

bool mrs_beacon_space(const mrs_beacon_set *s, const mrs_prefix *p)
{
    if (!s) {
        for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
            if (mrs_prefix_covers(&builtin[i].prefix, p))
                return true;
        return false;
    }
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    return maybe(s, p) && mrs_trie_covering(s->trie, p, m) > 0;
}

const mrs_beacon *mrs_beacon_match(const mrs_beacon_set *s, const mrs_prefix *p, uint32_t origin)
{
    if (!s) {
        if (origin != RIS_AS)
            return NULL;
        for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
            if (mrs_prefix_covers(&builtin[i].prefix, p))
                return &builtin[i];
        return NULL;
    }
    if (!maybe(s, p))
        return NULL;
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    unsigned n = mrs_trie_covering(s->trie, p, m);
    const mrs_beacon *best = NULL;
    while (n-- > 0 && !best)   /* most specific first */
        for (uint32_t i = m[n].value; i != NO_PREV; i = s->e[i].prev)
            if (!s->e[i].pub.origin || s->e[i].pub.origin == origin)
                best = &s->e[i].pub;   /* the chain runs newest to oldest: the last fit was listed first */
    return best;
}

/* ---------------------------------------------------------------- loading */

typedef struct beacon_ctx {
    mrs_beacon_set *s;
    mrs_diag *d;
    const char *name;       /* stable copy of the file name */
} beacon_ctx;

/* The next blank-separated word of [*p, end), or n = 0 at the end. */
static const char *word(const char **p, const char *end, size_t *n)
{
    const char *s = *p;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    const char *w = s;
    while (s < end && *s != ' ' && *s != '\t')
        s++;
    *n = (size_t)(s - w);
    *p = s;
    return w;
}

/* One line. Returns -1 on memory exhaustion. */
static int beacon_line(beacon_ctx *c, const char *line, size_t len, uint64_t lineno)
{
    const char *cm = memchr(line, '#', len);
    const char *end = cm ? cm : line + len, *p = line;
    size_t pn, on, xn;
    const char *pw = word(&p, end, &pn);
    if (pn == 0)
        return 0;   /* blank or comment line */
    const char *ow = word(&p, end, &on);
    const char *xw = word(&p, end, &xn);
    char qb[MRS_QUOTE_MAX];
    mrs_prefix pfx;
    if (xn) {
        mrs_diag_error_line(c->d, c->name, lineno, "unexpected \"%s\" after the origin (prefix [origin])",
                            mrs_quote(qb, sizeof qb, xw, xn));
        return 0;
    }
    if (!mrs_list_prefix(c->d, c->name, lineno, pw, pn, &pfx))
        return 0;
    if (pfx.len < (pfx.afi == MRS_AFI_IPV4 ? 8 : 16)) {
        mrs_diag_error_line(c->d, c->name, lineno, "\"%s\" is too broad for a beacon (IPv4 /8, IPv6 /16 at most)",
                            mrs_quote(qb, sizeof qb, pw, pn));
        return 0;
    }
    uint32_t origin = 0;
    if (on && !mrs_asn_parse(ow, on, &origin)) {
        mrs_diag_error_line(c->d, c->name, lineno, "bad origin AS \"%s\"", mrs_quote(qb, sizeof qb, ow, on));
        return 0;
    }
    const mrs_bogon_asn_range *why;
    if (on && mrs_bogon_asn(origin, &why)) {
        mrs_diag_error_line(c->d, c->name, lineno, "origin AS%u is reserved (%s, %s): it originates nothing",
                            origin, why->name, why->source);
        return 0;
    }
    return push(c->s, &pfx, origin, c->name, lineno);
}

int mrs_beacon_load_src_(mrs_beacon_set *s, mrs_linesrc *src, const char *name, mrs_diag *d)
{
    beacon_ctx c = {s, d, NULL};
    c.name = mrs_arena_strndup(&s->strings, name ? name : "-", name ? strlen(name) : 1);
    if (!c.name)
        return -1;
    const char *line;
    size_t len;
    uint64_t lineno = 0;
    while (src->next(src->ctx, &line, &len) == 1)
        if (beacon_line(&c, line, len, ++lineno) != 0) {
            mrs_diag_error_file(d, c.name, "out of memory");
            return -1;
        }
    (void)mrs_trie_compact(s->trie);   /* best effort: uncompacted answers the same */
    return 0;
}

int mrs_beacon_load_mem(mrs_beacon_set *s, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    mrs_linesrc src;
    mrs_memlines m;
    mrs_linesrc_mem(&src, &m, buf, len);
    return mrs_beacon_load_src_(s, &src, name, d);
}
