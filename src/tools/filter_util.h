/*
 * filter_util.h — small helpers shared by the filter printers (filter_*.c):
 * range tests and the Cisco-style "ge/le" suffix. Private to src/tools.
 */
#ifndef MANRS_FILTER_UTIL_H
#define MANRS_FILTER_UTIL_H

#include <stdio.h>

#include "manrs/filter.h"

static inline bool fr_exact(const filter_range *r) { return r->lo == r->prefix.len && r->hi == r->prefix.len; }

static inline const char *fr_ip(const filter_list *l) { return l->afi == MRS_AFI_IPV6 ? "ipv6" : "ip"; }
static inline const char *fr_default(const filter_list *l) { return l->afi == MRS_AFI_IPV6 ? "::/0" : "0.0.0.0/0"; }

/* " ge A le B" / " le B" / "" (Cisco IOS, IOS-XR, EOS, FRR prefix-list syntax). */
static inline void fr_put_gele(outbuf *o, const filter_range *r)
{
    if (fr_exact(r))
        return;
    if (r->lo > r->prefix.len) {
        outbuf_puts(o, " ge ");
        outbuf_u32(o, r->lo);
    }
    outbuf_puts(o, " le ");
    outbuf_u32(o, r->hi);
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

static inline int fl_fail(char *err, size_t n, const char *msg)
{
    snprintf(err, n, "%s", msg);
    return -1;
}

#endif
