/*
 * filter_routeros.c — MikroTik RouterOS 7 printer for manrs filter: one
 * `/routing filter rule` per prefix range in chain NAME-V4 / NAME-V6 (bgpq4 -K7
 * shape, without its doubled space before rule= on range lines), and for -f/-G
 * one rule per ASN matching bgp-as-path (bgpq4 has no RouterOS as-path mode).
 */
#include "filter_util.h"

static void chain(mrs_outbuf *o, const filter_list *l, const char *suffix)
{
    mrs_outbuf_puts(o, "/routing filter rule add chain=\"");
    mrs_outbuf_puts(o, l->name);
    mrs_outbuf_puts(o, suffix);
    mrs_outbuf_puts(o, "\" rule=\"if (");
}

static int print_routeros(const filter_list *l, bool aggregated, mrs_outbuf *o, char *err, size_t errlen)
{
    (void)aggregated;
    if (l->kind == FILTER_PREFIX) {
        const char *sfx = l->afi == MRS_AFI_IPV6 ? "-V6" : "-V4";
        if (!l->n) {
            mrs_outbuf_puts(o, "# generated prefix-list ");
            mrs_outbuf_puts(o, l->name);
            mrs_outbuf_puts(o, " is empty\n");
            return 0;
        }
        for (size_t i = 0; i < l->n; i++) {
            const filter_range *r = &l->v[i];
            chain(o, l, sfx);
            if (fr_exact(r)) {
                mrs_outbuf_puts(o, "dst=");
                filter_put_prefix(o, &r->prefix);
            } else {
                mrs_outbuf_puts(o, "dst in ");
                filter_put_prefix(o, &r->prefix);
                mrs_outbuf_puts(o, " && dst-len in ");
                mrs_outbuf_u32(o, r->lo);
                mrs_outbuf_putc(o, '-');
                mrs_outbuf_u32(o, r->hi);
            }
            mrs_outbuf_puts(o, ") {accept}\"\n");
        }
        return 0;
    }
    if (l->kind == FILTER_ASLIST)
        return fl_fail(err, errlen, "AS lists (-t) are supported for the json, bird, openbgpd and plain formats only");
    bool in = l->kind == FILTER_ASPATH_IN;
    if (!l->n_asns) {
        mrs_outbuf_puts(o, "# generated as-path filter ");
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_puts(o, " is empty\n");
        return 0;
    }
    for (size_t i = 0; i < l->n_asns; i++) {
        chain(o, l, "");
        mrs_outbuf_puts(o, "bgp-as-path ~ \\\"^");
        if (l->asns[i] == l->peer_asn) {
            mrs_outbuf_u32(o, l->peer_asn);
            mrs_outbuf_puts(o, "( ");
            mrs_outbuf_u32(o, l->peer_asn);
            mrs_outbuf_puts(o, ")*$");
        } else {
            if (in) {
                mrs_outbuf_u32(o, l->peer_asn);
                mrs_outbuf_puts(o, "( [0-9]+)* ");
            } else {
                mrs_outbuf_puts(o, "([0-9]+ )*");
            }
            mrs_outbuf_u32(o, l->asns[i]);
            mrs_outbuf_putc(o, '$');
        }
        mrs_outbuf_puts(o, "\\\") {accept}\"\n");
    }
    return 0;
}

const filter_printer filter_printer_routeros = {"routeros", "-K7", "MikroTik RouterOS 7 routing filter rules",
                                                print_routeros};
