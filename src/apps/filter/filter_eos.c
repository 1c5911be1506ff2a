/*
 * filter_eos.c — Arista EOS printer for manrs filter: sequenced ip/ipv6
 * prefix-list (bgpq4 -e shape) and ip as-path access-list (EOS syntax,
 * "permit REGEX any"; bgpq4 has no EOS as-path mode).
 */
#include "filter_util.h"

static int print_eos(const filter_list *l, bool aggregated, mrs_outbuf *o, char *err, size_t errlen)
{
    (void)aggregated;
    if (l->kind == FILTER_PREFIX) {
        mrs_outbuf_puts(o, "no ");
        mrs_outbuf_puts(o, fr_ip(l));
        mrs_outbuf_puts(o, " prefix-list ");
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_putc(o, '\n');
        if (!l->n) {
            mrs_outbuf_puts(o, "! generated prefix-list ");
            mrs_outbuf_puts(o, l->name);
            mrs_outbuf_puts(o, " is empty\n");
        }
        mrs_outbuf_puts(o, fr_ip(l));
        mrs_outbuf_puts(o, " prefix-list ");
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_putc(o, '\n');
        if (!l->n) {
            mrs_outbuf_puts(o, "   seq 1 deny ");
            mrs_outbuf_puts(o, fr_default(l));
            mrs_outbuf_putc(o, '\n');
            return 0;
        }
        for (size_t i = 0; i < l->n; i++) {
            mrs_outbuf_puts(o, "    seq ");
            mrs_outbuf_u64(o, (uint64_t)i + 1);
            mrs_outbuf_puts(o, " permit ");
            filter_put_prefix(o, &l->v[i].prefix);
            fr_put_gele(o, &l->v[i]);
            mrs_outbuf_putc(o, '\n');
        }
        return 0;
    }
    if (l->kind == FILTER_ASLIST)
        return fl_fail(err, errlen, "AS lists (-t) are supported for the json, bird, openbgpd and plain formats only");
    fr_put_aspath_acl(o, l, "ip as-path access-list", " any");
    return 0;
}

const filter_printer filter_printer_eos = {"eos", "-e", "Arista EOS prefix-list / as-path access-list", print_eos};
