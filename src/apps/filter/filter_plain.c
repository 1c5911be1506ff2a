/*
 * filter_plain.c — plain printer for manrs filter: one entry per line, prefixes
 * in RPSL range notation (RFC 2622 §2: "192.0.2.0/24", "192.0.2.0/24^+",
 * "192.0.2.0/24^24-26"), ASNs as "AS64500". For scripts and diffs.
 */
#include "filter_util.h"

#include "manrs/kb/irr.h"

static int print_plain(const filter_list *l, bool aggregated, mrs_outbuf *o, char *err, size_t errlen)
{
    (void)aggregated;
    (void)err;
    (void)errlen;
    if (l->kind == FILTER_PREFIX) {
        char buf[64];
        for (size_t i = 0; i < l->n; i++) {
            irr_prefix_range r = {.prefix = l->v[i].prefix, .min_len = l->v[i].lo, .max_len = l->v[i].hi};
            mrs_outbuf_put(o, buf, (size_t)irr_prefix_range_format(&r, buf));
            mrs_outbuf_putc(o, '\n');
        }
        return 0;
    }
    for (size_t i = 0; i < l->n_asns; i++) {
        mrs_outbuf_puts(o, "AS");
        mrs_outbuf_u32(o, l->asns[i]);
        mrs_outbuf_putc(o, '\n');
    }
    return 0;
}

const filter_printer filter_printer_plain = {"plain", NULL, "one prefix range (RPSL notation) or ASN per line",
                                             print_plain};
