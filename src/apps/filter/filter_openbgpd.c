/*
 * filter_openbgpd.c — OpenBGPD printer for manrs filter: a macro holding a
 * prefix set (`NAME="prefix { ... }"`), allow/deny from/to AS rules for -f/-G and
 * an as-set for -t, in bgpq4's -B shape.
 */
#include "filter_util.h"

static int print_openbgpd(const filter_list *l, bool aggregated, outbuf *o, char *err, size_t errlen)
{
    (void)aggregated;
    (void)err;
    (void)errlen;
    switch (l->kind) {
    case FILTER_PREFIX:
        if (!l->n) {
            outbuf_puts(o, "# generated prefix-list ");
            outbuf_puts(o, l->name);
            outbuf_puts(o, " (AS 0) is empty\n# use -a <asn> to generate \"deny from ASN <asn>\" instead of this list\n");
        }
        outbuf_puts(o, l->name);
        outbuf_puts(o, "=\"prefix { \n");
        for (size_t i = 0; i < l->n; i++) {
            outbuf_putc(o, '\t');
            filter_put_prefix(o, &l->v[i].prefix);
            if (!fr_exact(&l->v[i]) && l->v[i].lo == l->v[i].hi) {
                outbuf_puts(o, " prefixlen = ");
                outbuf_u32(o, l->v[i].lo);
            } else if (!fr_exact(&l->v[i])) {
                outbuf_puts(o, " prefixlen ");
                outbuf_u32(o, l->v[i].lo);
                outbuf_puts(o, " - ");
                outbuf_u32(o, l->v[i].hi);
            }
            outbuf_putc(o, '\n');
        }
        outbuf_puts(o, "\t}\"\n");
        return 0;
    case FILTER_ASPATH_IN:
    case FILTER_ASPATH_OUT: {
        const char *dir = l->kind == FILTER_ASPATH_IN ? "from" : "to";
        if (!l->n_asns) {
            outbuf_puts(o, "deny ");
            outbuf_puts(o, dir);
            outbuf_puts(o, " AS ");
            outbuf_u32(o, l->peer_asn);
            outbuf_putc(o, '\n');
            return 0;
        }
        for (size_t i = 0; i < l->n_asns; i++) {
            outbuf_puts(o, "allow ");
            outbuf_puts(o, dir);
            outbuf_puts(o, " AS ");
            outbuf_u32(o, l->peer_asn);
            outbuf_puts(o, " AS ");
            outbuf_u32(o, l->asns[i]);
            outbuf_putc(o, '\n');
        }
        return 0;
    }
    case FILTER_ASLIST:
        outbuf_puts(o, "as-set ");
        outbuf_puts(o, l->name);
        outbuf_puts(o, " {\n");
        for (size_t i = 0; i < l->n_asns; i++) {
            if (i % 8 == 0)
                outbuf_putc(o, '\t');
            outbuf_u32(o, l->asns[i]);
            outbuf_putc(o, (i % 8 == 7 || i + 1 == l->n_asns) ? '\n' : ' ');
        }
        outbuf_puts(o, "}\n");
        return 0;
    }
    return 0;
}

const filter_printer filter_printer_openbgpd = {"openbgpd", "-B", "OpenBGPD prefix macro / allow rules / as-set",
                                                print_openbgpd};
