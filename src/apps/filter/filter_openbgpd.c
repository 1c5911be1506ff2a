/*
 * filter_openbgpd.c — OpenBGPD printer for manrs filter: a macro holding a
 * prefix set (`NAME="prefix { ... }"`), allow/deny from/to AS rules for -f/-G and
 * an as-set for -t, in bgpq4's -B shape.
 */
#include "filter_util.h"

static int print_openbgpd(const filter_list *l, bool aggregated, mrs_outbuf *o, char *err, size_t errlen)
{
    (void)aggregated;
    (void)err;
    (void)errlen;
    switch (l->kind) {
    case FILTER_PREFIX:
        if (!l->n) {
            mrs_outbuf_puts(o, "# generated prefix-list ");
            mrs_outbuf_puts(o, l->name);
            mrs_outbuf_puts(o, " (AS 0) is empty\n# use -a <asn> to generate \"deny from ASN <asn>\" instead of this list\n");
        }
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_puts(o, "=\"prefix { \n");
        for (size_t i = 0; i < l->n; i++) {
            mrs_outbuf_putc(o, '\t');
            filter_put_prefix(o, &l->v[i].prefix);
            if (!fr_exact(&l->v[i]) && l->v[i].lo == l->v[i].hi) {
                mrs_outbuf_puts(o, " prefixlen = ");
                mrs_outbuf_u32(o, l->v[i].lo);
            } else if (!fr_exact(&l->v[i])) {
                mrs_outbuf_puts(o, " prefixlen ");
                mrs_outbuf_u32(o, l->v[i].lo);
                mrs_outbuf_puts(o, " - ");
                mrs_outbuf_u32(o, l->v[i].hi);
            }
            mrs_outbuf_putc(o, '\n');
        }
        mrs_outbuf_puts(o, "\t}\"\n");
        return 0;
    case FILTER_ASPATH_IN:
    case FILTER_ASPATH_OUT: {
        const char *dir = l->kind == FILTER_ASPATH_IN ? "from" : "to";
        if (!l->n_asns) {
            mrs_outbuf_puts(o, "deny ");
            mrs_outbuf_puts(o, dir);
            mrs_outbuf_puts(o, " AS ");
            mrs_outbuf_u32(o, l->peer_asn);
            mrs_outbuf_putc(o, '\n');
            return 0;
        }
        for (size_t i = 0; i < l->n_asns; i++) {
            mrs_outbuf_puts(o, "allow ");
            mrs_outbuf_puts(o, dir);
            mrs_outbuf_puts(o, " AS ");
            mrs_outbuf_u32(o, l->peer_asn);
            mrs_outbuf_puts(o, " AS ");
            mrs_outbuf_u32(o, l->asns[i]);
            mrs_outbuf_putc(o, '\n');
        }
        return 0;
    }
    case FILTER_ASLIST:
        mrs_outbuf_puts(o, "as-set ");
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_puts(o, " {\n");
        for (size_t i = 0; i < l->n_asns; i++) {
            if (i % 8 == 0)
                mrs_outbuf_putc(o, '\t');
            mrs_outbuf_u32(o, l->asns[i]);
            mrs_outbuf_putc(o, (i % 8 == 7 || i + 1 == l->n_asns) ? '\n' : ' ');
        }
        mrs_outbuf_puts(o, "}\n");
        return 0;
    }
    return 0;
}

const filter_printer filter_printer_openbgpd = {"openbgpd", "-B", "OpenBGPD prefix macro / allow rules / as-set",
                                                print_openbgpd};
