/*
 * filter_iosxr.c — Cisco IOS-XR printer for manrs filter: prefix-set and
 * as-path-set (RPL), in bgpq4's -X shape. One deliberate difference: bgpq4 puts
 * a stray comma after "as-path-set NAME" when the peer's own ASN is not listed
 * (invalid RPL); this printer never does (see docs/filter.md).
 */
#include "filter_util.h"

static void xr_regex(mrs_outbuf *o, bool *first)
{
    mrs_outbuf_puts(o, *first ? "  ios-regex '" : ",\n  ios-regex '");
    *first = false;
}

static int print_iosxr(const filter_list *l, bool aggregated, mrs_outbuf *o, char *err, size_t errlen)
{
    (void)aggregated;
    if (l->kind == FILTER_PREFIX) {
        mrs_outbuf_puts(o, "no prefix-set ");
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_puts(o, "\nprefix-set ");
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_putc(o, '\n');
        if (!l->n)
            mrs_outbuf_putc(o, '\n');
        for (size_t i = 0; i < l->n; i++) {
            mrs_outbuf_putc(o, ' ');
            filter_put_prefix(o, &l->v[i].prefix);
            fr_put_gele(o, &l->v[i]);
            mrs_outbuf_puts(o, i + 1 < l->n ? ",\n" : "\n");
        }
        mrs_outbuf_puts(o, "end-set\n");
        return 0;
    }
    if (l->kind == FILTER_ASLIST)
        return fl_fail(err, errlen, "AS lists (-t) are supported for the json, bird, openbgpd and plain formats only");
    bool in = l->kind == FILTER_ASPATH_IN;
    uint32_t peer = l->peer_asn;
    mrs_outbuf_puts(o, "as-path-set ");
    mrs_outbuf_puts(o, l->name);
    mrs_outbuf_putc(o, '\n');
    bool first = true;
    if (l->n_asns && fl_has(l, peer)) {
        xr_regex(o, &first);
        mrs_outbuf_putc(o, '^');
        if (in)
            mrs_outbuf_u32(o, peer);
        mrs_outbuf_puts(o, "(_");
        mrs_outbuf_u32(o, peer);
        mrs_outbuf_puts(o, ")*$'");
    }
    unsigned k = 0, per_line = in ? 6 : 7;   /* bgpq4's counts */
    for (size_t i = 0; i < l->n_asns; i++) {
        if (l->asns[i] == peer)
            continue;
        if (k == 0) {
            xr_regex(o, &first);
            mrs_outbuf_putc(o, '^');
            if (in)
                mrs_outbuf_u32(o, peer);
            mrs_outbuf_puts(o, "(_[0-9]+)*_(");
        } else {
            mrs_outbuf_putc(o, '|');
        }
        mrs_outbuf_u32(o, l->asns[i]);
        if (++k == per_line) {
            mrs_outbuf_puts(o, ")$'");
            k = 0;
        }
    }
    if (k)
        mrs_outbuf_puts(o, ")$'");
    if (!first)
        mrs_outbuf_putc(o, '\n');
    mrs_outbuf_puts(o, "end-set\n");
    return 0;
}

const filter_printer filter_printer_iosxr = {"iosxr", "-X", "Cisco IOS-XR prefix-set / as-path-set", print_iosxr};
