/*
 * filter_sros.c — Nokia SR OS MD-CLI printer for manrs filter: policy-options
 * prefix-list with exact / through / range entries and as-path-group entries
 * (8 ASNs per expression), in bgpq4's -n shape.
 */
#include "filter_util.h"

static void entry_open(outbuf *o, unsigned *e)
{
    outbuf_puts(o, "  entry ");
    outbuf_u32(o, (*e)++);
    outbuf_puts(o, " {\n    expression \"");
}

static int print_sros(const filter_list *l, bool aggregated, outbuf *o, char *err, size_t errlen)
{
    (void)aggregated;
    if (l->kind == FILTER_PREFIX) {
        outbuf_puts(o, "/configure policy-options\ndelete prefix-list \"");
        outbuf_puts(o, l->name);
        outbuf_puts(o, "\"\nprefix-list \"");
        outbuf_puts(o, l->name);
        outbuf_puts(o, "\" {\n");
        for (size_t i = 0; i < l->n; i++) {
            const filter_range *r = &l->v[i];
            outbuf_puts(o, "    prefix ");
            filter_put_prefix(o, &r->prefix);
            if (fr_exact(r)) {
                outbuf_puts(o, " type exact {\n    }\n");
            } else if (r->lo == r->prefix.len) {
                outbuf_puts(o, " type through {\n        through-length ");
                outbuf_u32(o, r->hi);
                outbuf_puts(o, "\n    }\n");
            } else {
                outbuf_puts(o, " type range {\n        start-length ");
                outbuf_u32(o, r->lo);
                outbuf_puts(o, "\n        end-length ");
                outbuf_u32(o, r->hi);
                outbuf_puts(o, "\n    }\n");
            }
        }
        outbuf_puts(o, "}\n");
        return 0;
    }
    if (l->kind == FILTER_ASLIST)
        return fl_fail(err, errlen, "AS lists (-t) are supported for the json, bird, openbgpd and plain formats only");
    bool in = l->kind == FILTER_ASPATH_IN;
    uint32_t peer = l->peer_asn;
    unsigned e = 1;
    outbuf_puts(o, "/configure policy-options\ndelete as-path-group \"");
    outbuf_puts(o, l->name);
    outbuf_puts(o, "\"\nas-path-group \"");
    outbuf_puts(o, l->name);
    outbuf_puts(o, "\" {\n");
    if (l->n_asns && fl_has(l, peer)) {
        entry_open(o, &e);
        outbuf_u32(o, peer);
        outbuf_puts(o, "+\"\n  }\n");
    }
    unsigned k = 0;
    for (size_t i = 0; i < l->n_asns; i++) {
        if (l->asns[i] == peer)
            continue;
        if (k == 0) {
            entry_open(o, &e);
            if (in)
                outbuf_u32(o, peer);
            outbuf_puts(o, ".*[");
        } else {
            outbuf_putc(o, ' ');
        }
        outbuf_u32(o, l->asns[i]);
        if (++k == 8) {
            outbuf_puts(o, "]\"\n  }\n");
            k = 0;
        }
    }
    if (k)
        outbuf_puts(o, "]\"\n  }\n");
    outbuf_puts(o, "}\n");
    return 0;
}

const filter_printer filter_printer_sros = {"sros", "-n", "Nokia SR OS MD-CLI prefix-list / as-path-group", print_sros};
