/*
 * filter_cisco.c — Cisco IOS printer for manrs filter: ip/ipv6 prefix-list and
 * ip as-path access-list, in the shape bgpq4 prints (its default format), so
 * that the two compare line for line.
 */
#include "filter_util.h"

/* AS-path lines: "^PEER(_PEER)*$" when the peer itself is listed, then the other
 * ASNs 4 per regex. -G (outbound) has no leading peer. */
static void cisco_aspath(const filter_list *l, mrs_outbuf *o, const char *prefix, unsigned per_line)
{
    bool in = l->kind == FILTER_ASPATH_IN;
    uint32_t peer = l->peer_asn;
    if (fl_has(l, peer)) {
        mrs_outbuf_puts(o, prefix);
        if (in) {
            mrs_outbuf_putc(o, '^');
            mrs_outbuf_u32(o, peer);
            mrs_outbuf_puts(o, "(_");
        } else {
            mrs_outbuf_puts(o, "^(_");
        }
        mrs_outbuf_u32(o, peer);
        mrs_outbuf_puts(o, ")*$\n");
    }
    unsigned k = 0;
    for (size_t i = 0; i < l->n_asns; i++) {
        if (l->asns[i] == peer)
            continue;
        if (k == 0) {
            mrs_outbuf_puts(o, prefix);
            mrs_outbuf_putc(o, '^');
            if (in)
                mrs_outbuf_u32(o, peer);
            mrs_outbuf_puts(o, "(_[0-9]+)*_(");
        } else {
            mrs_outbuf_putc(o, '|');
        }
        mrs_outbuf_u32(o, l->asns[i]);
        if (++k == per_line) {
            mrs_outbuf_puts(o, ")$\n");
            k = 0;
        }
    }
    if (k)
        mrs_outbuf_puts(o, ")$\n");
}

static int print_cisco(const filter_list *l, bool aggregated, mrs_outbuf *o, char *err, size_t errlen)
{
    (void)aggregated;
    switch (l->kind) {
    case FILTER_PREFIX:
        mrs_outbuf_puts(o, "no ");
        mrs_outbuf_puts(o, fr_ip(l));
        mrs_outbuf_puts(o, " prefix-list ");
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_putc(o, '\n');
        if (!l->n) {
            mrs_outbuf_puts(o, "! generated prefix-list ");
            mrs_outbuf_puts(o, l->name);
            mrs_outbuf_puts(o, " is empty\n");
            mrs_outbuf_puts(o, fr_ip(l));
            mrs_outbuf_puts(o, " prefix-list ");
            mrs_outbuf_puts(o, l->name);
            mrs_outbuf_puts(o, " deny ");
            mrs_outbuf_puts(o, fr_default(l));
            mrs_outbuf_putc(o, '\n');
            return 0;
        }
        for (size_t i = 0; i < l->n; i++) {
            mrs_outbuf_puts(o, fr_ip(l));
            mrs_outbuf_puts(o, " prefix-list ");
            mrs_outbuf_puts(o, l->name);
            mrs_outbuf_puts(o, " permit ");
            filter_put_prefix(o, &l->v[i].prefix);
            fr_put_gele(o, &l->v[i]);
            mrs_outbuf_putc(o, '\n');
        }
        return 0;
    case FILTER_ASPATH_IN:
    case FILTER_ASPATH_OUT: {
        char pfx[300];
        snprintf(pfx, sizeof pfx, "ip as-path access-list %s permit ", l->name);
        mrs_outbuf_puts(o, "no ip as-path access-list ");
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_putc(o, '\n');
        if (!l->n_asns) {
            mrs_outbuf_puts(o, "ip as-path access-list ");
            mrs_outbuf_puts(o, l->name);
            mrs_outbuf_puts(o, " deny .*\n");
            return 0;
        }
        cisco_aspath(l, o, pfx, l->kind == FILTER_ASPATH_IN ? 4 : 5);   /* bgpq4's counts */
        return 0;
    }
    case FILTER_ASLIST:
        break;
    }
    return fl_fail(err, errlen, "AS lists (-t) are supported for the json, bird, openbgpd and plain formats only");
}

const filter_printer filter_printer_cisco = {"cisco", NULL, "Cisco IOS ip prefix-list / as-path access-list (bgpq4 default)",
                                             print_cisco};
