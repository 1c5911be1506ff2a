/*
 * bogon.c — bogon prefixes and AS numbers (see bogon.h and docs/topo.md).
 *
 * The built-in tables below transcribe the IANA IPv4 and IPv6 Special-Purpose
 * Address Registries (RFC 6890 §2.2.2/§2.2.3 and later RFCs), the IANA IPv4 Address
 * Space registry (multicast, reserved) and the IANA IPv6 Address Space registry
 * (everything outside 2000::/3 is "Reserved by IETF" or special). Rule: a block is a
 * bogon when its row says Globally Reachable = False, or it is not unicast space
 * IANA gives out. Rows with Globally Reachable = True that sit inside a bogon block
 * are listed as exceptions (carve-outs). Assumes mrs_prefix_parse accepts every
 * literal below (checked at set creation: a typo makes mrs_bogon_set_new fail).
 *
 * Lookups go through the core prefix trie (core/trie.h): the most specific covering
 * entry decides; at equal prefix a bogon entry wins over an exception. The trie holds
 * one value per prefix, so the entries of one prefix form a ring through their next
 * links in insertion order, and the trie names the newest one, whose next is the
 * oldest: adding is O(1) and a walk of the group starts at the earliest entry.
 */
#include "manrs/kb/bogon.h"
#include "manrs/core/grow.h"
#include "manrs/core/search.h"
#include "manrs/core/trie.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "topo_internal.h"

typedef struct builtin_row {
    const char *prefix;
    const char *name;
    const char *source;
    const char *note;
    bool exception;
    uint32_t since;     /* YYYYMMDD from which the block is special-purpose (not
                           globally routable); 0 = always. Before it, routes there
                           were legitimate: 6to4 relays were anycast until RFC 7526
                           (May 2015), the 6bone until its phase-out (RFC 3701) */
} builtin_row;

static const builtin_row builtin_v4[] = {
    {"0.0.0.0/8", "\"This network\"", "RFC 791", "RFC 791 §3.2; RFC 1122 §3.2.1.3", false, 0},
    {"10.0.0.0/8", "Private-Use", "RFC 1918", NULL, false, 0},
    {"100.64.0.0/10", "Shared Address Space", "RFC 6598", "carrier-grade NAT space", false, 20120401},
    {"127.0.0.0/8", "Loopback", "RFC 1122", "RFC 1122 §3.2.1.3", false, 0},
    {"169.254.0.0/16", "Link Local", "RFC 3927", NULL, false, 0},
    {"172.16.0.0/12", "Private-Use", "RFC 1918", NULL, false, 0},
    {"192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890", "RFC 6890 §2.1", false, 20100101},
    {"192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723",
     "globally reachable per the IANA registry", true, 20160101},
    {"192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155",
     "globally reachable per the IANA registry", true, 20170801},
    {"192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737", NULL, false, 0},
    {"192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526",
     "RFC 7526 deprecated the 6to4 anycast relay prefix", false, 20150501},
    {"192.168.0.0/16", "Private-Use", "RFC 1918", NULL, false, 0},
    {"198.18.0.0/15", "Benchmarking", "RFC 2544", NULL, false, 0},
    {"198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737", NULL, false, 20100101},
    {"203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737", NULL, false, 20100101},
    {"224.0.0.0/4", "Multicast", "RFC 5771", "IANA IPv4 Address Space: multicast, never unicast-routed", false, 0},
    {"240.0.0.0/4", "Reserved", "RFC 1112", "RFC 1112 §4 (class E)", false, 0},
    {"255.255.255.255/32", "Limited Broadcast", "RFC 919", "RFC 919 §7; RFC 8190", false, 0},
};

static const builtin_row builtin_v6[] = {
    /* Outside 2000::/3: the IANA IPv6 Address Space registry, block by block. */
    {"::/8", "Reserved by IETF", "RFC 4291", NULL, false, 0},   /* IANA IPv6 Address Space */
    {"100::/8", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"200::/7", "Reserved by IETF", "RFC 4048", "formerly NSAP, deprecated", false, 0},
    {"400::/6", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"800::/5", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"1000::/4", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"4000::/3", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"6000::/3", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"8000::/3", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"a000::/3", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"c000::/3", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"e000::/4", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"f000::/5", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"f800::/6", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"fc00::/7", "Unique-Local", "RFC 4193", NULL, false, 0},
    {"fe00::/9", "Reserved by IETF", "RFC 4291", NULL, false, 0},
    {"fe80::/10", "Link-Local Unicast", "RFC 4291", NULL, false, 0},
    {"fec0::/10", "Site-Local (deprecated)", "RFC 3879", NULL, false, 0},
    {"ff00::/8", "Multicast", "RFC 4291", NULL, false, 0},
    /* Special-purpose rows inside those blocks (more specific evidence). */
    {"::/128", "Unspecified Address", "RFC 4291", NULL, false, 0},
    {"::1/128", "Loopback Address", "RFC 4291", NULL, false, 0},
    {"::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", NULL, false, 0},
    {"64:ff9b::/96", "IPv4-IPv6 Translat.", "RFC 6052",
     "registry says globally reachable, but it lies in ::/8 and a NAT64 well-known prefix is "
     "not expected in the global table", false, 0},
    {"64:ff9b:1::/48", "IPv4-IPv6 Translat. (local use)", "RFC 8215", NULL, false, 0},
    {"100::/64", "Discard-Only Address Block", "RFC 6666", NULL, false, 0},
    {"5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602", NULL, false, 20240701},
    /* Inside 2000::/3. */
    {"2001::/23", "IETF Protocol Assignments", "RFC 2928",
     "not globally reachable except the carve-outs listed with it", false, 0},
    {"2001::/32", "TEREDO", "RFC 4380",
     "exception: globally reachable (N/A in the registry, RFC 4380 §5); Teredo relays announce it", true, 0},
    {"2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723", "globally reachable", true, 0},
    {"2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155", "globally reachable", true, 0},
    {"2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665", "globally reachable", true, 0},
    {"2001:2::/48", "Benchmarking", "RFC 5180", "RFC 5180 and errata 1752", false, 20080501},
    {"2001:3::/32", "AMT", "RFC 7450", "globally reachable", true, 0},
    {"2001:4:112::/48", "AS112-v6", "RFC 7535", "globally reachable", true, 0},
    {"2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843", NULL, false, 0},
    {"2001:20::/28", "ORCHIDv2", "RFC 7343", "globally reachable per the IANA registry", true, 0},
    {"2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374", "globally reachable", true, 0},
    {"2001:db8::/32", "Documentation", "RFC 3849", NULL, false, 0},
    {"2002::/16", "6to4", "RFC 3056",
     "bogon by choice: 6to4 needs no BGP routes for 2002::/16 beyond relays, RFC 7526 "
     "deprecated the anycast relays; common operator bogon lists filter it", false, 20150501},
    {"3ffe::/16", "former 6bone", "RFC 3701", "returned to IANA (RFC 3701), not allocated", false, 20060606},
    {"3fff::/20", "Documentation", "RFC 9637", NULL, false, 20240701},
};

typedef struct bogon_ent {
    mrs_bogon_entry pub;
    uint32_t next;          /* next entry of the same prefix (a ring, see above) */
} bogon_ent;

struct mrs_bogon_set {
    bogon_ent *e;
    size_t n, cap;
    mrs_trie *trie;         /* prefix -> newest entry with that prefix */
    mrs_arena strings;
};

size_t mrs_bogon_count(const mrs_bogon_set *s) { return s->n; }

const mrs_bogon_entry *mrs_bogon_entry_at(const mrs_bogon_set *s, size_t i)
{
    return i < s->n ? &s->e[i].pub : NULL;
}

/* Link entry i into the ring of its prefix. Returns 0 or -1 (memory). */
static int index_entry(mrs_bogon_set *s, uint32_t i)
{
    bool created;
    uint32_t *slot = mrs_trie_slot(s->trie, &s->e[i].pub.prefix, &created);
    if (!slot)
        return -1;
    if (created) {
        s->e[i].next = i;
    } else {
        s->e[i].next = s->e[*slot].next;
        s->e[*slot].next = i;
    }
    *slot = i;
    return 0;
}

/* Append and index an entry (strings must already be stable). */
static int push(mrs_bogon_set *s, const mrs_prefix *p, const char *name, const char *source,
                const char *note, uint64_t line, mrs_bogon_origin origin, bool exception)
{
    if (s->n >= UINT32_MAX)
        return -1;
    bogon_ent *ne = mrs_grow(s->e, &s->cap, s->n + 1, sizeof *ne, 64);
    if (!ne)
        return -1;
    s->e = ne;
    mrs_bogon_entry *e = &s->e[s->n].pub;
    e->prefix = *p;
    mrs_prefix_mask(&e->prefix);
    e->name = name;
    e->source = source;
    e->note = note;
    e->line = line;
    e->origin = (uint8_t)origin;
    e->exception = exception;
    if (index_entry(s, (uint32_t)s->n) != 0)
        return -1;
    s->n++;
    return 0;
}

static int add_builtins(mrs_bogon_set *s, const builtin_row *rows, size_t n, uint32_t day)
{
    for (size_t i = 0; i < n; i++) {
        if (day && rows[i].since > day)
            continue;   /* routable at the time of the data */
        mrs_prefix p;
        if (!mrs_prefix_parse(rows[i].prefix, strlen(rows[i].prefix), &p, true))
            return -1;
        if (push(s, &p, rows[i].name, rows[i].source, rows[i].note, 0, MRS_BOGON_BUILTIN, rows[i].exception) != 0)
            return -1;
    }
    return 0;
}

mrs_bogon_set *mrs_bogon_set_new(unsigned flags) { return mrs_bogon_set_new_at(flags, 0); }

mrs_bogon_set *mrs_bogon_set_new_at(unsigned flags, int64_t t)
{
    uint32_t day = 0;
    if (t > 0) {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        day = (uint32_t)(tm.tm_year + 1900) * 10000u + (uint32_t)(tm.tm_mon + 1) * 100u + (uint32_t)tm.tm_mday;
    }
    mrs_bogon_set *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    mrs_arena_init(&s->strings);
    s->trie = mrs_trie_new();
    if (!s->trie ||
        ((flags & MRS_BOGON_WITH_BUILTIN_V4) &&
         add_builtins(s, builtin_v4, sizeof builtin_v4 / sizeof builtin_v4[0], day) != 0) ||
        ((flags & MRS_BOGON_WITH_BUILTIN_V6) &&
         add_builtins(s, builtin_v6, sizeof builtin_v6 / sizeof builtin_v6[0], day) != 0)) {
        mrs_bogon_set_free(s);
        return NULL;
    }
    return s;
}

void mrs_bogon_set_free(mrs_bogon_set *s)
{
    if (!s)
        return;
    free(s->e);
    mrs_trie_free(s->trie);
    mrs_arena_clear(&s->strings);
    free(s);
}

int mrs_bogon_add(mrs_bogon_set *s, const mrs_prefix *p, const char *name, const char *source, bool exception)
{
    if ((p->afi != MRS_AFI_IPV4 && p->afi != MRS_AFI_IPV6) || p->len > mrs_afi_bits(p->afi))
        return -1;
    const char *n = mrs_arena_strndup(&s->strings, name ? name : "", name ? strlen(name) : 0);
    const char *src = mrs_arena_strndup(&s->strings, source ? source : "", source ? strlen(source) : 0);
    if (!n || !src)
        return -1;
    return push(s, p, n, src, NULL, 0, MRS_BOGON_ADDED, exception);
}

/* ---------------------------------------------------------------- loading */

typedef struct list_ctx {
    mrs_bogon_set *s;
    mrs_diag *d;
    const char *name;       /* stable copy of the file name */
    bool drop;              /* Spamhaus format */
} list_ctx;

/* One line of a list file. Returns -1 on memory exhaustion. */
static int list_line(list_ctx *c, const char *line, size_t len, uint64_t lineno)
{
    const char *p = line;
    size_t n = len;
    const char *sbl = NULL;
    size_t sbln = 0;
    char comment = c->drop ? ';' : '#';
    /* Strip a comment: DROP uses "prefix ; SBLnnn", where the part after ';' is the
     * SBL reference, and lines that start with ';' are comments. */
    const char *cm = memchr(p, comment, n);
    if (cm) {
        if (c->drop) {
            sbl = cm + 1;
            sbln = (size_t)(p + n - sbl);
            mrs_trim(&sbl, &sbln);
        }
        n = (size_t)(cm - p);
    }
    mrs_trim(&p, &n);
    if (n == 0)
        return 0;   /* blank or comment line */
    mrs_prefix pfx;
    if (!mrs_list_prefix(c->d, c->name, lineno, p, n, &pfx))
        return 0;
    const char *name = "listed";
    if (c->drop) {
        if (!sbl || sbln == 0 || sbln > 32) {
            mrs_diag_warn_line(c->d, c->name, lineno, "DROP entry without SBL reference");
        } else if (!(name = mrs_arena_strndup(&c->s->strings, sbl, sbln))) {
            return -1;
        }
    }
    return push(c->s, &pfx, name, c->name, NULL, lineno, c->drop ? MRS_BOGON_DROP : MRS_BOGON_LIST, false);
}

int mrs_bogon_load_src_(mrs_bogon_set *s, mrs_linesrc *src, const char *name, mrs_diag *d, bool drop)
{
    list_ctx c = {s, d, NULL, drop};
    c.name = mrs_arena_strndup(&s->strings, name ? name : "-", name ? strlen(name) : 1);
    if (!c.name)
        return -1;
    const char *line;
    size_t len;
    uint64_t lineno = 0;
    int r = 0;
    while (src->next(src->ctx, &line, &len) == 1) {
        if (list_line(&c, line, len, ++lineno) != 0) {
            mrs_diag_error_file(d, c.name, "out of memory");
            r = -1;
            break;
        }
    }
    /* Best effort: an uncompacted trie answers the same, only slower. */
    (void)mrs_trie_compact(s->trie);
    return r;
}

int mrs_bogon_load_list_mem(mrs_bogon_set *s, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    mrs_linesrc src;
    mrs_memlines m;
    mrs_linesrc_mem(&src, &m, buf, len);
    return mrs_bogon_load_src_(s, &src, name, d, false);
}

int mrs_bogon_load_drop_mem(mrs_bogon_set *s, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    mrs_linesrc src;
    mrs_memlines m;
    mrs_linesrc_mem(&src, &m, buf, len);
    return mrs_bogon_load_src_(s, &src, name, d, true);
}

/* ---------------------------------------------------------------- route checks */

typedef struct inner_ctx {
    const mrs_bogon_set *s;
    unsigned route_len;
    const mrs_bogon_entry *found;
} inner_ctx;

/* The first bogon (not exception) entry strictly inside the route, in (address,
 * length, insertion) order. */
static int inner_cb(const mrs_prefix *p, uint32_t last, void *vctx)
{
    inner_ctx *c = vctx;
    if (p->len <= c->route_len)
        return 0;   /* the route's own prefix */
    for (uint32_t i = c->s->e[last].next;; i = c->s->e[i].next) {
        if (!c->s->e[i].pub.exception) {
            c->found = &c->s->e[i].pub;
            return 1;
        }
        if (i == last)
            return 0;
    }
}

mrs_bogon_match mrs_bogon_check_prefix(const mrs_bogon_set *s, const mrs_prefix *route, mrs_bogon_result *r)
{
    mrs_bogon_result tmp;
    if (!r)
        r = &tmp;
    r->match = MRS_BOGON_NO;
    r->entry = NULL;
    if ((route->afi != MRS_AFI_IPV4 && route->afi != MRS_AFI_IPV6) || route->len > mrs_afi_bits(route->afi))
        return MRS_BOGON_NO;
    /* The most specific covering prefix decides: its earliest bogon entry, else its
     * earliest exception. */
    const mrs_bogon_entry *bogon = NULL, *exc = NULL;
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    unsigned k = mrs_trie_covering(s->trie, route, m);
    if (k) {
        uint32_t last = m[k - 1].value;
        for (uint32_t i = s->e[last].next; !bogon; i = s->e[i].next) {
            const mrs_bogon_entry *be = &s->e[i].pub;
            if (be->exception) {
                if (!exc)
                    exc = be;
            } else {
                bogon = be;
            }
            if (i == last)
                break;
        }
    }
    if (bogon) {
        r->match = MRS_BOGON_COVERED;
        r->entry = bogon;
        return r->match;
    }
    /* Not inside a bogon (or carved out by an exception). Does it cover any? An
     * exception block itself does not protect a shorter route that covers a bogon
     * sitting beside it, so the inner search only skips exception entries. */
    inner_ctx ic = {s, route->len, NULL};
    mrs_trie_covered(s->trie, route, inner_cb, &ic);
    if (ic.found) {
        r->match = MRS_BOGON_OVERLAPS;
        r->entry = ic.found;
        return r->match;
    }
    r->entry = exc;
    return MRS_BOGON_NO;
}

mrs_route_bogon_kind mrs_bogon_check_route(const mrs_bogon_set *s, const mrs_deleg_db *db,
                                           const mrs_prefix *route, mrs_route_bogon *out)
{
    mrs_route_bogon tmp;
    if (!out)
        out = &tmp;
    memset(out, 0, sizeof *out);
    mrs_bogon_match m = s ? mrs_bogon_check_prefix(s, route, &out->bogon) : MRS_BOGON_NO;
    if (db) {
        out->deleg_checked = true;
        mrs_deleg_lookup_prefix(db, route, &out->deleg);
    }
    if (m == MRS_BOGON_COVERED)
        out->kind = MRS_ROUTE_BOGON;
    else if (db && out->deleg.unallocated)
        out->kind = MRS_ROUTE_UNALLOCATED;
    else if (m == MRS_BOGON_OVERLAPS)
        out->kind = MRS_ROUTE_OVERLAPS_BOGON;
    else if (db && out->deleg.contains_unallocated)
        out->kind = MRS_ROUTE_OVERLAPS_UNALLOCATED;
    else
        out->kind = MRS_ROUTE_OK;
    return out->kind;
}

/* ---------------------------------------------------------------- AS numbers */

static const mrs_bogon_asn_range asn_table[] = {
    {0, 0, "Reserved (AS 0)", "RFC 7607"},
    {23456, 23456, "AS_TRANS", "RFC 6793"},
    {64496, 64511, "Documentation", "RFC 5398"},
    {64512, 65534, "Private Use", "RFC 6996"},
    {65535, 65535, "Reserved (last 16-bit)", "RFC 7300"},
    {65536, 65551, "Documentation", "RFC 5398"},
    {65552, 131071, "Reserved by IANA", "IANA AS Numbers registry"},
    {4200000000u, 4294967294u, "Private Use", "RFC 6996"},
    {4294967295u, 4294967295u, "Reserved (last 32-bit)", "RFC 7300"},
};

const mrs_bogon_asn_range *mrs_bogon_asn_table(size_t *n)
{
    *n = sizeof asn_table / sizeof asn_table[0];
    return asn_table;
}

bool mrs_bogon_asn(uint32_t asn, const mrs_bogon_asn_range **why)
{
    size_t lo;   /* first range with last >= asn */
    MRS_LOWER_BOUND(lo, sizeof asn_table / sizeof asn_table[0], i, asn_table[i].last < asn);
    if (lo < sizeof asn_table / sizeof asn_table[0] && asn_table[lo].first <= asn) {
        if (why)
            *why = &asn_table[lo];
        return true;
    }
    if (why)
        *why = NULL;
    return false;
}

mrs_asn_bogon_kind mrs_bogon_asn_check(const mrs_deleg_db *db, uint32_t asn, const mrs_bogon_asn_range **why,
                                       mrs_deleg_answer *deleg)
{
    const mrs_bogon_asn_range *w = NULL;
    bool bogon = mrs_bogon_asn(asn, &w);
    if (why)
        *why = w;
    mrs_deleg_answer tmp;
    if (!deleg)
        deleg = &tmp;
    if (db)
        mrs_deleg_lookup_asn(db, asn, deleg);
    else
        memset(deleg, 0, sizeof *deleg);
    if (bogon)
        return MRS_ASN_BOGON;
    return db && deleg->unallocated ? MRS_ASN_UNALLOCATED : MRS_ASN_OK;
}

size_t mrs_bogon_path_asns(const uint32_t *path, size_t n, const mrs_deleg_db *db, size_t *pos, size_t max)
{
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        if (mrs_bogon_asn_check(db, path[i], NULL, NULL) != MRS_ASN_OK) {
            if (found < max && pos)
                pos[found] = i;
            found++;
        }
    }
    return found;
}
