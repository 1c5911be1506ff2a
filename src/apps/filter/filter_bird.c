/*
 * filter_bird.c — BIRD (2.x) printer for manrs filter: a prefix set constant
 * `NAME = [ 192.0.2.0/24, 198.51.100.0/22{22,24} ];` and an integer set of ASNs
 * for -f / -t, in bgpq4's -b shape. An empty prefix set prints nothing (BIRD has
 * no empty set literal), as bgpq4 does; the CLI warns about it.
 */
#include "filter_util.h"

static int print_bird(const filter_list *l, bool aggregated, mrs_outbuf *o, char *err, size_t errlen)
{
    (void)aggregated;
    if (l->kind == FILTER_PREFIX) {
        if (!l->n)
            return 0;
        mrs_outbuf_puts(o, l->name);
        mrs_outbuf_puts(o, " = [\n");
        for (size_t i = 0; i < l->n; i++) {
            mrs_outbuf_puts(o, "    ");
            filter_put_prefix(o, &l->v[i].prefix);
            if (!fr_exact(&l->v[i])) {
                mrs_outbuf_putc(o, '{');
                mrs_outbuf_u32(o, l->v[i].lo);
                mrs_outbuf_putc(o, ',');
                mrs_outbuf_u32(o, l->v[i].hi);
                mrs_outbuf_putc(o, '}');
            }
            mrs_outbuf_puts(o, i + 1 < l->n ? ",\n" : "\n");
        }
        mrs_outbuf_puts(o, "];\n");
        return 0;
    }
    if (l->kind == FILTER_ASPATH_OUT)
        return fl_fail(err, errlen, "BIRD output supports prefix lists, -f and -t only");
    mrs_outbuf_puts(o, l->name);
    if (!l->n_asns) {
        mrs_outbuf_puts(o, " = [];\n");
        return 0;
    }
    mrs_outbuf_puts(o, " = [\n");
    size_t per = l->kind == FILTER_ASLIST ? 8 : 10;   /* bgpq4's counts for -t and -f */
    for (size_t i = 0; i < l->n_asns; i++) {
        if (i % per == 0)
            mrs_outbuf_puts(o, "    ");
        mrs_outbuf_u32(o, l->asns[i]);
        if (i + 1 == l->n_asns)
            mrs_outbuf_putc(o, '\n');
        else
            mrs_outbuf_puts(o, i % per == per - 1 ? ",\n" : ", ");
    }
    mrs_outbuf_puts(o, "];\n");
    return 0;
}

const filter_printer filter_printer_bird = {"bird", "-b", "BIRD 2 prefix set / integer set", print_bird};
