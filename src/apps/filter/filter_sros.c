/*
 * filter_sros.c — Nokia SR OS MD-CLI printer for manrs filter: policy-options
 * prefix-list with exact / through / range entries and as-path-group entries
 * (8 ASNs per expression), in bgpq4's -n shape.
 */
#include "filter_util.h"

static void entry_open(mrs_outbuf *o, unsigned *e)
{
    mrs_outbuf_puts(o, "  entry ");
    mrs_outbuf_u32(o, (*e)++);
    mrs_outbuf_puts(o, " {\n    expression \"");
}

static int print_sros(const filter_list *l, bool aggregated, mrs_outbuf *o, char *err, size_t errlen)
{
    (void)aggregated;
    if (l->kind == FILTER_PREFIX) {
        mrs_outbuf_puts(o, "/configure policy-options\ndelete prefix-list \"");
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_puts(o, "\"\nprefix-list \"");
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_puts(o, "\" {\n");
        for (size_t i = 0; i < l->n; i++) {
            const filter_range *r = &l->v[i];
            mrs_outbuf_puts(o, "    prefix ");
            filter_put_prefix(o, &r->prefix);
            if (fr_exact(r)) {
                mrs_outbuf_puts(o, " type exact {\n    }\n");
            } else if (r->lo == r->prefix.len) {
                mrs_outbuf_puts(o, " type through {\n        through-length ");
                mrs_outbuf_u32(o, r->hi);
                mrs_outbuf_puts(o, "\n    }\n");
            } else {
                mrs_outbuf_puts(o, " type range {\n        start-length ");
                mrs_outbuf_u32(o, r->lo);
                mrs_outbuf_puts(o, "\n        end-length ");
                mrs_outbuf_u32(o, r->hi);
                mrs_outbuf_puts(o, "\n    }\n");
            }
        }
        mrs_outbuf_puts(o, "}\n");
        return 0;
    }
    if (l->kind == FILTER_ASLIST)
        return fl_fail(err, errlen, "AS lists (-t) are supported for the json, bird, openbgpd and plain formats only");
    bool in = l->kind == FILTER_ASPATH_IN;
    uint32_t peer = l->peer_asn;
    unsigned e = 1;
    mrs_outbuf_puts(o, "/configure policy-options\ndelete as-path-group \"");
    mrs_outbuf_puts(o, l->name);
    mrs_outbuf_puts(o, "\"\nas-path-group \"");
    mrs_outbuf_puts(o, l->name);
    mrs_outbuf_puts(o, "\" {\n");
    if (l->n_asns && fl_has(l, peer)) {
        entry_open(o, &e);
        mrs_outbuf_u32(o, peer);
        mrs_outbuf_puts(o, "+\"\n  }\n");
    }
    unsigned k = 0;
    for (size_t i = 0; i < l->n_asns; i++) {
        if (l->asns[i] == peer)
            continue;
        if (k == 0) {
            entry_open(o, &e);
            if (in)
                mrs_outbuf_u32(o, peer);
            mrs_outbuf_puts(o, ".*[");
        } else {
            mrs_outbuf_putc(o, ' ');
        }
        mrs_outbuf_u32(o, l->asns[i]);
        if (++k == 8) {
            mrs_outbuf_puts(o, "]\"\n  }\n");
            k = 0;
        }
    }
    if (k)
        mrs_outbuf_puts(o, "]\"\n  }\n");
    mrs_outbuf_puts(o, "}\n");
    return 0;
}

const filter_printer filter_printer_sros = {"sros", "-n", "Nokia SR OS MD-CLI prefix-list / as-path-group", print_sros};
