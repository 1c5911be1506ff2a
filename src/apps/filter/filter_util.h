/*
 * filter_util.h — small helpers shared by the filter printers (filter_*.c):
 * range tests and the Cisco-style "ge/le" suffix. Private to src/apps/filter.
 */
#ifndef MANRS_FILTER_UTIL_H
#define MANRS_FILTER_UTIL_H

#include <stdio.h>

#include "manrs/apps/filter.h"

static inline bool fr_exact(const filter_range *r) { return r->lo == r->prefix.len && r->hi == r->prefix.len; }

static inline const char *fr_ip(const filter_list *l) { return l->afi == MRS_AFI_IPV6 ? "ipv6" : "ip"; }
static inline const char *fr_default(const filter_list *l) { return l->afi == MRS_AFI_IPV6 ? "::/0" : "0.0.0.0/0"; }

/* " ge A le B" / " le B" / "" (Cisco IOS, IOS-XR, EOS, FRR prefix-list syntax). */
static inline void fr_put_gele(mrs_outbuf *o, const filter_range *r)
{
    if (fr_exact(r))
        return;
    if (r->lo > r->prefix.len) {
        mrs_outbuf_puts(o, " ge ");
        mrs_outbuf_u32(o, r->lo);
    }
    mrs_outbuf_puts(o, " le ");
    mrs_outbuf_u32(o, r->hi);
}

static inline bool fl_has(const filter_list *l, uint32_t asn)
{
    size_t lo = 0, hi = l->n_asns;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (l->asns[m] < asn)
            lo = m + 1;
        else
            hi = m;
    }
    return lo < l->n_asns && l->asns[lo] == asn;
}

/* An AS-path filter as one regex access-list (FRR `bgp as-path access-list`, EOS
 * `ip as-path access-list`): "no <cmd> NAME", then per ASN a permit line
 * (received from the peer: ^PEER(_[0-9]+)*_ASN$; sent: ^([0-9]+_)*ASN$; the
 * peer itself: ^PEER(_PEER)*$), or one deny-all line when the list is empty.
 * tail ends every permit/deny line (EOS: " any"). */
static inline void fr_put_aspath_acl(mrs_outbuf *o, const filter_list *l, const char *cmd, const char *tail)
{
    bool in = l->kind == FILTER_ASPATH_IN;
    mrs_outbuf_puts(o, "no ");
    mrs_outbuf_puts(o, cmd);
    mrs_outbuf_putc(o, ' ');
    mrs_outbuf_puts(o, l->name);
    mrs_outbuf_putc(o, '\n');
    if (!l->n_asns) {
        mrs_outbuf_puts(o, cmd);
        mrs_outbuf_putc(o, ' ');
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_puts(o, " deny .*");
        mrs_outbuf_puts(o, tail);
        mrs_outbuf_putc(o, '\n');
        return;
    }
    for (size_t i = 0; i < l->n_asns; i++) {
        mrs_outbuf_puts(o, cmd);
        mrs_outbuf_putc(o, ' ');
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_puts(o, " permit ^");
        if (l->asns[i] == l->peer_asn) {
            mrs_outbuf_u32(o, l->peer_asn);
            mrs_outbuf_puts(o, "(_");
            mrs_outbuf_u32(o, l->peer_asn);
            mrs_outbuf_puts(o, ")*$");
        } else {
            if (in) {
                mrs_outbuf_u32(o, l->peer_asn);
                mrs_outbuf_puts(o, "(_[0-9]+)*_");
            } else {
                mrs_outbuf_puts(o, "([0-9]+_)*");
            }
            mrs_outbuf_u32(o, l->asns[i]);
            mrs_outbuf_putc(o, '$');
        }
        mrs_outbuf_puts(o, tail);
        mrs_outbuf_putc(o, '\n');
    }
}

static inline int fl_fail(char *err, size_t n, const char *msg)
{
    snprintf(err, n, "%s", msg);
    return -1;
}

#endif
