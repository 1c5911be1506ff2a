/*
 * filter_junos.c — Juniper Junos printer for manrs filter: policy-options
 * prefix-list (exact prefixes only: a Junos prefix-list cannot carry length
 * ranges, so -A / -R lists that need ranges are refused, as bgpq4 refuses -A)
 * and as-path-group, in bgpq4's -J shape.
 */
#include "filter_util.h"

static void as_path_line(mrs_outbuf *o, unsigned *idx)
{
    mrs_outbuf_puts(o, "  as-path a");
    mrs_outbuf_u32(o, (*idx)++);
    mrs_outbuf_puts(o, " \"");
}

static int print_junos(const filter_list *l, bool aggregated, mrs_outbuf *o, char *err, size_t errlen)
{
    if (l->kind == FILTER_PREFIX) {
        for (size_t i = 0; i < l->n; i++)
            if (!fr_exact(&l->v[i]))
                return fl_fail(err, errlen,
                               aggregated ? "aggregation (-A) cannot be expressed in a Junos prefix-list"
                                          : "length ranges (-R) cannot be expressed in a Junos prefix-list");
        mrs_outbuf_puts(o, "policy-options {\nreplace:\n prefix-list ");
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_puts(o, " {\n");
        for (size_t i = 0; i < l->n; i++) {
            mrs_outbuf_puts(o, "    ");
            filter_put_prefix(o, &l->v[i].prefix);
            mrs_outbuf_puts(o, ";\n");
        }
        mrs_outbuf_puts(o, " }\n}\n");
        return 0;
    }
    if (l->kind == FILTER_ASLIST)
        return fl_fail(err, errlen, "AS lists (-t) are supported for the json, bird, openbgpd and plain formats only");
    bool in = l->kind == FILTER_ASPATH_IN;
    uint32_t peer = l->peer_asn;
    unsigned idx = 0;
    mrs_outbuf_puts(o, "policy-options {\nreplace:\n as-path-group ");
    mrs_outbuf_puts(o, l->name);
    mrs_outbuf_puts(o, " {\n");
    if (!l->n_asns)
        mrs_outbuf_puts(o, "  as-path aNone \"!.*\";\n");
    if (l->n_asns && fl_has(l, peer)) {
        as_path_line(o, &idx);
        mrs_outbuf_putc(o, '^');
        mrs_outbuf_u32(o, peer);
        mrs_outbuf_putc(o, '(');
        mrs_outbuf_u32(o, peer);
        mrs_outbuf_puts(o, ")*$\";\n");
    }
    unsigned k = 0;
    for (size_t i = 0; i < l->n_asns; i++) {
        if (l->asns[i] == peer)
            continue;
        if (k == 0) {
            as_path_line(o, &idx);
            mrs_outbuf_putc(o, '^');
            if (in)
                mrs_outbuf_u32(o, peer);
            mrs_outbuf_puts(o, "(.)*(");
        } else {
            mrs_outbuf_putc(o, '|');
        }
        mrs_outbuf_u32(o, l->asns[i]);
        if (++k == 8) {
            mrs_outbuf_puts(o, ")$\";\n");
            k = 0;
        }
    }
    if (k)
        mrs_outbuf_puts(o, ")$\";\n");
    mrs_outbuf_puts(o, " }\n}\n");
    return 0;
}

const filter_printer filter_printer_junos = {"junos", "-J", "Juniper Junos policy-options prefix-list / as-path-group",
                                             print_junos};
