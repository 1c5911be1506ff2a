/*
 * dump_bgpdump.c — the `bgpdump -m` line format, byte for byte.
 *
 * bgpdump (RIPE NCC, Debian 1.6.2) is the reference every routing researcher's
 * scripts parse, so `manrs dump -m` reproduces its output exactly for every
 * record it prints. The rules below were established from its documentation and
 * behaviour and are pinned by tests/cli_dump_oracle.sh on real archives:
 *  - absent NEXT_HOP prints 255.255.255.255; absent LOCAL_PREF/MED print 0;
 *    absent ORIGIN prints INCOMPLETE; absent AS_PATH prints an empty field;
 *  - an AS path that does not parse prints "! Error !"; paths are cut with
 *    "..." once the text passes 7900 characters;
 *  - communities print as "a:b" with no-export / no-advertise / local-AS names,
 *    limited to 8191 characters like bgpdump's BUFSIZ buffer;
 *  - prefixes from MP_REACH_NLRI for IPv4 print LOCAL_PREF and MED as signed;
 *  - IPv6 addresses: a single zero group is compressed too ("2001:7f8:30::2:1:0:8447");
 *  - deprecated BGP type (5): no '|' between MED and the communities field;
 *  - TABLE_DUMP(_V2) next hop: the IPv6 next hop of MP_REACH_NLRI when present,
 *    else NEXT_HOP; RIB_GENERIC and multicast RIB records are not printed.
 * Deviations (where bgpdump is provably wrong) are listed in docs/dump-format.md.
 */
#include <stdlib.h>
#include <string.h>

#include "manrs/output/dumpfmt.h"

/*
 * IPv6 text as bgpdump writes it: like inet_ntop, except that the longest run of
 * zero groups is compressed even when it is a single group ("2001:7f8:30::2:1:0:8447"),
 * and ::a.b.c.d is used for every IPv4-compatible address other than :: and ::1.
 */
static int ipv6_bgpdump(const uint8_t a[16], char *out)
{
    static const char hex[] = "0123456789abcdef";
    static const uint8_t zero12[12] = {0};
    uint32_t last = mrs_get32(a + 12);
    bool mapped = memcmp(a, zero12, 10) == 0 && a[10] == 0xff && a[11] == 0xff;
    bool compat = memcmp(a, zero12, 12) == 0 && last > 1;
    if (mapped || compat) {
        int n = 0;
        memcpy(out, mapped ? "::ffff:" : "::", mapped ? 7 : 2);
        n = mapped ? 7 : 2;
        n += mrs_ipv4_format(a + 12, out + n);
        return n;
    }
    int best = -1, bestlen = 0;
    for (int i = 0; i < 8; i++) {
        int run = 0;
        while (i + run < 8 && a[2 * (i + run)] == 0 && a[2 * (i + run) + 1] == 0)
            run++;
        if (run > bestlen) {
            best = i;
            bestlen = run;
        }
    }
    int n = 0;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            if (i == 0)
                out[n++] = ':';
            out[n++] = ':';
            i += bestlen - 1;
            continue;
        }
        unsigned w = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned d = (w >> shift) & 15;
            if (d || started || shift == 0) {
                out[n++] = hex[d];
                started = true;
            }
        }
        if (i != 7)
            out[n++] = ':';
    }
    out[n] = '\0';
    return n;
}

static void put_ip(mrs_outbuf *o, unsigned afi, const uint8_t *ip)
{
    if (mrs_outbuf_reserve(o, MRS_IP_STRLEN))
        o->len += (size_t)(afi == MRS_AFI_IPV6 ? ipv6_bgpdump(ip, o->buf + o->len)
                                                : mrs_ipv4_format(ip, o->buf + o->len));
}

static void put_prefix(mrs_outbuf *o, const bgp_prefix *p)
{
    put_ip(o, p->pfx.afi, p->pfx.addr);
    mrs_outbuf_putc(o, '/');
    mrs_outbuf_u32(o, p->pfx.len);
}

static void put_time(mrs_outbuf *o, const mrt_record *rec)
{
    mrs_outbuf_u32(o, rec->timestamp);
    if (rec->type == MRT_BGP4MP_ET) {
        char tmp[10];
        int n = mrs_u32_to_str(rec->usec, tmp);
        mrs_outbuf_putc(o, '.');
        for (int i = n; i < 6; i++)
            mrs_outbuf_putc(o, '0');
        mrs_outbuf_put(o, tmp, (size_t)n);
    }
}

void dumpfmt_aspath(mrs_outbuf *o, const bgp_attrs *a)
{
    if (a->path_malformed) {
        mrs_outbuf_puts(o, "! Error !");
        return;
    }
    if (!a->path)
        return;
    static const char open_c[5] = {0, '{', 0, '(', '['};
    static const char close_c[5] = {0, '}', 0, ')', ']'};
    size_t start = o->len;
    uint32_t off = 0;
    bgp_path_seg s;
    uint8_t prev = BGP_AS_SEQUENCE, last = 0;
    bool space = false, any = false;
    while (bgp_path_next_seg(a->path, a->path_len, 4, &off, &s) == 1) {
        if (prev != BGP_AS_SEQUENCE)
            mrs_outbuf_putc(o, close_c[prev]);
        if (space)
            mrs_outbuf_putc(o, ' ');
        if (s.type != BGP_AS_SEQUENCE)
            mrs_outbuf_putc(o, open_c[s.type]);
        space = false;
        bool set = s.type == BGP_AS_SET || s.type == BGP_AS_CONFED_SET;
        for (unsigned i = 0; i < s.count; i++) {
            if (space)
                mrs_outbuf_putc(o, set ? ',' : ' ');
            else
                space = true;
            mrs_outbuf_u32(o, bgp_seg_asn(&s, i, 4));
            if (o->len - start > 7900) {
                mrs_outbuf_puts(o, "...");
                return;
            }
        }
        prev = s.type;
        last = s.type;
        any = true;
    }
    if (any && last != BGP_AS_SEQUENCE)
        mrs_outbuf_putc(o, close_c[last]);
}

static void put_communities(mrs_outbuf *o, const bgp_attrs *a)
{
    /* bgpdump builds " a:b c:d" in a BUFSIZ (8192) buffer and prints it without the
     * leading space; the emulation keeps the same limit. */
    char buf[8192];
    size_t n = 0;
    for (uint32_t i = 0; i < a->n_communities; i++) {
        uint32_t c = mrs_get32(a->communities + 4 * i);
        const char *name = c == BGP_COMMUNITY_NO_EXPORT ? " no-export"
                           : c == BGP_COMMUNITY_NO_ADVERTISE ? " no-advertise"
                           : c == BGP_COMMUNITY_NO_EXPORT_SUBCONFED ? " local-AS"
                                                                     : NULL;
        if (name) {
            size_t l = strlen(name);
            if (n + l < sizeof buf) {
                memcpy(buf + n, name, l);
                n += l;
            }
            continue;
        }
        char tmp[24];
        size_t l = 0;
        tmp[l++] = ' ';
        l += (size_t)mrs_u32_to_str(c >> 16, tmp + l);
        tmp[l++] = ':';
        l += (size_t)mrs_u32_to_str(c & 0xffff, tmp + l);
        size_t room = sizeof buf - 1 - n;
        if (l > room)
            l = room;
        memcpy(buf + n, tmp, l);
        n += l;
    }
    if (n > 1)
        mrs_outbuf_put(o, buf + 1, n - 1);
}

/* "|aspath|origin|nexthop|lp|med|communities|AG|aggregator|" after the prefix field. */
static void put_route_tail(mrs_outbuf *o, const bgp_attrs *a, unsigned nh_afi, const uint8_t *nh, bool signed_prefs,
                           bool v1_layout)
{
    static const uint8_t none[4] = {255, 255, 255, 255};
    dumpfmt_aspath(o, a);
    mrs_outbuf_putc(o, '|');
    mrs_outbuf_puts(o, a->origin == 0 ? "IGP" : a->origin == 1 ? "EGP" : "INCOMPLETE");
    mrs_outbuf_putc(o, '|');
    put_ip(o, nh_afi, nh ? nh : none);
    mrs_outbuf_putc(o, '|');
    uint32_t lp = bgp_attr_has(a, BGP_ATTR_LOCAL_PREF) ? a->local_pref : 0;
    uint32_t med = bgp_attr_has(a, BGP_ATTR_MED) ? a->med : 0;
    if (signed_prefs) {
        mrs_outbuf_i32(o, (int32_t)lp);
        mrs_outbuf_putc(o, '|');
        mrs_outbuf_i32(o, (int32_t)med);
    } else {
        mrs_outbuf_u32(o, lp);
        mrs_outbuf_putc(o, '|');
        mrs_outbuf_u32(o, med);
    }
    if (!v1_layout) /* bgpdump writes no separator here for the deprecated BGP type */
        mrs_outbuf_putc(o, '|');
    if (bgp_attr_has(a, BGP_ATTR_COMMUNITIES))
        put_communities(o, a);
    mrs_outbuf_puts(o, bgp_attr_has(a, BGP_ATTR_ATOMIC_AGGREGATE) ? "|AG|" : "|NAG|");
    if (bgp_attr_has(a, BGP_ATTR_AGGREGATOR) && memcmp(a->aggregator_ip, none, 4) != 0) {
        mrs_outbuf_u32(o, a->aggregator_as);
        mrs_outbuf_putc(o, ' ');
        put_ip(o, MRS_AFI_IPV4, a->aggregator_ip);
    }
    mrs_outbuf_putc(o, '|');
}

/* bgpdump's next hop for RIB lines: IPv6 next hop of an MP_REACH_NLRI
 * (abbreviated, or IPv6 unicast) if there is one, else NEXT_HOP. */
static void rib_next_hop(const bgp_attrs *a, unsigned *afi, const uint8_t **nh)
{
    *afi = MRS_AFI_IPV4;
    *nh = bgp_attr_has(a, BGP_ATTR_NEXT_HOP) ? a->next_hop : NULL;
    if (!bgp_attr_has(a, BGP_ATTR_MP_REACH_NLRI))
        return;
    for (unsigned i = 0; i < a->n_mp_reach; i++) {
        const bgp_mp_reach *m = &a->mp_reach[i];
        if (m->abbreviated || (m->afi == MRS_AFI_IPV6 && m->safi == BGP_SAFI_UNICAST)) {
            *afi = MRS_AFI_IPV6;
            *nh = m->nh;
            return;
        }
    }
}

static void put_peer(mrs_outbuf *o, const mrt_event *ev)
{
    put_ip(o, ev->peer.afi, ev->peer.ip);
    mrs_outbuf_putc(o, '|');
    mrs_outbuf_u32(o, ev->peer.asn);
    mrs_outbuf_putc(o, '|');
}

/* "peer|peer_as|prefix|" plus "path_id|" for ADD-PATH: the start of every route line. */
static void put_peer_and_route(mrs_outbuf *o, const mrt_event *ev)
{
    put_peer(o, ev);
    put_prefix(o, &ev->prefix);
    mrs_outbuf_putc(o, '|');
    if (ev->addpath) {
        mrs_outbuf_u32(o, ev->prefix.path_id);
        mrs_outbuf_putc(o, '|');
    }
}

static const char *bgp4mp_name(const mrt_event *ev)
{
    static const char *names[8] = {"BGP4MP",    "BGP4MP_AP",    "BGP4MP_LOCAL",    "BGP4MP_LOCAL_AP",
                                   "BGP4MP_ET", "BGP4MP_ET_AP", "BGP4MP_ET_LOCAL", "BGP4MP_ET_LOCAL_AP"};
    unsigned i = (ev->rec->type == MRT_BGP4MP_ET ? 4u : 0u) | (ev->local_msg ? 2u : 0u) | (ev->addpath ? 1u : 0u);
    return names[i];
}

static void print_rib(mrs_outbuf *o, const mrt_event *ev)
{
    const mrt_record *rec = ev->rec;
    if (rec->type == MRT_TABLE_DUMP) {
        mrs_outbuf_puts(o, "TABLE_DUMP|");
    } else {
        uint16_t st = rec->subtype;
        if (st != MRT_TD2_RIB_IPV4_UNICAST && st != MRT_TD2_RIB_IPV6_UNICAST &&
            st != MRT_TD2_RIB_IPV4_UNICAST_ADDPATH && st != MRT_TD2_RIB_IPV6_UNICAST_ADDPATH)
            return; /* bgpdump does not print RIB_GENERIC or multicast RIBs */
        mrs_outbuf_puts(o, ev->addpath ? "TABLE_DUMP2_AP|" : "TABLE_DUMP2|");
    }
    put_time(o, rec);
    mrs_outbuf_puts(o, "|B|");
    put_peer_and_route(o, ev);
    unsigned afi;
    const uint8_t *nh;
    rib_next_hop(ev->attrs, &afi, &nh);
    put_route_tail(o, ev->attrs, afi, nh, false, false);
    mrs_outbuf_eol(o);
}

/*
 * The per-message cache. Every prefix of one UPDATE shares the record's type, time and
 * peer (the head, up to the prefix) and, for announcements, the attributes (the tail,
 * after the prefix): an UPDATE of 500 prefixes printed each of them 500 times. The
 * cache keeps the text of the last head and tail and reuses it while the events come
 * from the same record (offset in the file, body, time) and, for the tail, the same
 * attribute block, MP_REACH_NLRI and NLRI field. Records are unique by offset within
 * one file; the caller resets the cache between files.
 */
#define CACHE_HEAD_MAX 160
#define CACHE_TAIL_MAX 20000   /* path <= 7900 + "...", communities <= 8191, the rest < 200 */
#define LINE_RESERVE 32768     /* reserved before formatting a piece to cache: no flush inside */

struct dumpfmt_cache {
    bool have_head, have_tail;
    uint64_t offset;           /* the record both pieces come from */
    const uint8_t *body;
    uint32_t timestamp, usec;
    mrt_event_kind head_kind;
    const bgp_attrs *attrs;    /* the tail's attributes, next hop and NLRI source */
    const bgp_mp_reach *mp;
    mrt_nlri_source source;
    size_t head_len, tail_len;
    char head[CACHE_HEAD_MAX];
    char tail[CACHE_TAIL_MAX];
};

dumpfmt_cache *dumpfmt_cache_new(void)
{
    return calloc(1, sizeof(dumpfmt_cache));
}

void dumpfmt_cache_reset(dumpfmt_cache *c)
{
    if (c)
        c->have_head = c->have_tail = false;
}

void dumpfmt_cache_free(dumpfmt_cache *c)
{
    free(c);
}

static void update_head(mrs_outbuf *o, const mrt_event *ev, bool v1)
{
    mrs_outbuf_puts(o, v1 ? "BGP" : bgp4mp_name(ev));
    mrs_outbuf_putc(o, '|');
    put_time(o, ev->rec);
    mrs_outbuf_puts(o, ev->kind == MRT_EV_WITHDRAW ? "|W|" : "|A|");
    put_peer(o, ev);
}

static void update_tail(mrs_outbuf *o, const mrt_event *ev, bool v1)
{
    const bgp_attrs *a = ev->attrs;
    if (ev->source == MRT_NLRI_MP && ev->mp) {
        bool v6nh = ev->mp->afi == MRS_AFI_IPV6 || ev->mp->nh_len >= 16;
        put_route_tail(o, a, v6nh ? MRS_AFI_IPV6 : MRS_AFI_IPV4, ev->mp->nh, !v6nh, false);
    } else {
        put_route_tail(o, a, MRS_AFI_IPV4, bgp_attr_has(a, BGP_ATTR_NEXT_HOP) ? a->next_hop : NULL, false, v1);
    }
}

/* Write a piece from the cache, or format it and keep a copy. */
static void cached_piece(mrs_outbuf *o, bool hit, char *keep, size_t keep_max, size_t *keep_len, bool *have,
                         void (*fmt)(mrs_outbuf *, const mrt_event *, bool), const mrt_event *ev, bool v1)
{
    if (hit) {
        mrs_outbuf_put(o, keep, *keep_len);
        return;
    }
    *have = false;
    if (!mrs_outbuf_reserve(o, LINE_RESERVE)) {
        fmt(o, ev, v1);
        return;
    }
    size_t start = o->len;
    fmt(o, ev, v1);
    if (o->len >= start && o->len - start <= keep_max) {
        *keep_len = o->len - start;
        memcpy(keep, o->buf + start, *keep_len);
        *have = true;
    }
}

static void print_update(mrs_outbuf *o, dumpfmt_cache *c, const mrt_event *ev, bool v1)
{
    const mrt_record *rec = ev->rec;
    if (c && !(c->offset == rec->offset && c->body == rec->body && c->timestamp == rec->timestamp &&
               c->usec == rec->usec)) {
        c->have_head = c->have_tail = false;
        c->offset = rec->offset;
        c->body = rec->body;
        c->timestamp = rec->timestamp;
        c->usec = rec->usec;
    }
    if (c) {
        bool hit = c->have_head && c->head_kind == ev->kind;
        cached_piece(o, hit, c->head, sizeof c->head, &c->head_len, &c->have_head, update_head, ev, v1);
        c->head_kind = ev->kind;
    } else {
        update_head(o, ev, v1);
    }
    put_prefix(o, &ev->prefix);
    if (ev->kind == MRT_EV_WITHDRAW) {
        if (ev->addpath) {
            mrs_outbuf_putc(o, '|');
            mrs_outbuf_u32(o, ev->prefix.path_id);
        }
        mrs_outbuf_eol(o);
        return;
    }
    mrs_outbuf_putc(o, '|');
    if (ev->addpath) {
        mrs_outbuf_u32(o, ev->prefix.path_id);
        mrs_outbuf_putc(o, '|');
    }
    if (c) {
        bool hit = c->have_tail && c->attrs == ev->attrs && c->mp == ev->mp && c->source == ev->source;
        cached_piece(o, hit, c->tail, sizeof c->tail, &c->tail_len, &c->have_tail, update_tail, ev, v1);
        c->attrs = ev->attrs;
        c->mp = ev->mp;
        c->source = ev->source;
    } else {
        update_tail(o, ev, v1);
    }
    mrs_outbuf_eol(o);
}

void dumpfmt_bgpdump_cached(mrs_outbuf *o, dumpfmt_cache *c, const mrt_event *ev)
{
    const mrt_record *rec = ev->rec;
    if (ev->kind == MRT_EV_RIB) {
        print_rib(o, ev);
        return;
    }
    bool v1 = rec->type == MRT_BGP;
    if (v1 && ev->source == MRT_NLRI_MP)
        return; /* type 5 predates multiprotocol BGP; bgpdump reads only the IPv4 fields */
    if (ev->kind == MRT_EV_ANNOUNCE || ev->kind == MRT_EV_WITHDRAW) {
        print_update(o, c, ev, v1);
        return;
    }
    if (ev->kind != MRT_EV_STATE)
        return;
    mrs_outbuf_puts(o, v1 ? "BGP" : rec->type == MRT_BGP4MP_ET ? "BGP4MP_ET" : "BGP4MP");
    mrs_outbuf_putc(o, '|');
    put_time(o, rec);
    mrs_outbuf_puts(o, "|STATE|");
    put_peer(o, ev);
    mrs_outbuf_u32(o, ev->old_state);
    mrs_outbuf_putc(o, '|');
    mrs_outbuf_u32(o, ev->new_state);
    mrs_outbuf_eol(o);
}

void dumpfmt_bgpdump(mrs_outbuf *o, const mrt_event *ev)
{
    dumpfmt_bgpdump_cached(o, NULL, ev);
}
