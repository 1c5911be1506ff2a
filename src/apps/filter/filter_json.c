/*
 * filter_json.c — JSON printer for manrs filter, in bgpq4's -j shape:
 * { "NAME": [ { "prefix": "192.0.2.0\/24", "exact": true }, ... ] } and
 * {"NAME": [ asn,asn,... ]} for -f / -t (8 per line). The '/' is escaped as
 * bgpq4 does (valid JSON either way). The list name goes through the shared JSON
 * writer (manrs/core/json_out.h).
 */
#include "filter_util.h"
#include "manrs/core/json_out.h"

#include <string.h>

static int print_json(const filter_list *l, bool aggregated, mrs_outbuf *o, char *err, size_t errlen)
{
    (void)aggregated;
    if (l->kind == FILTER_PREFIX) {
        mrs_outbuf_puts(o, "{ ");
        mrs_json_cstr(o, l->name);
        mrs_outbuf_puts(o, ": [\n");
        for (size_t i = 0; i < l->n; i++) {
            char ps[MRS_PREFIX_STRLEN];
            mrs_prefix_format(&l->v[i].prefix, ps);
            char *slash = strchr(ps, '/');
            mrs_outbuf_puts(o, "    { \"prefix\": \"");
            mrs_outbuf_put(o, ps, (size_t)(slash - ps));
            mrs_outbuf_puts(o, "\\/");
            mrs_outbuf_puts(o, slash + 1);
            if (fr_exact(&l->v[i])) {
                mrs_outbuf_puts(o, "\", \"exact\": true }");
            } else {
                mrs_outbuf_puts(o, "\", \"exact\": false");
                if (l->v[i].lo > l->v[i].prefix.len) {
                    /* bgpq4 breaks the line here */
                    mrs_outbuf_puts(o, ",\n      \"greater-equal\": ");
                    mrs_outbuf_u32(o, l->v[i].lo);
                }
                mrs_outbuf_puts(o, ", \"less-equal\": ");
                mrs_outbuf_u32(o, l->v[i].hi);
                mrs_outbuf_puts(o, " }");
            }
            mrs_outbuf_puts(o, i + 1 < l->n ? ",\n" : "\n");
        }
        mrs_outbuf_puts(o, "] }\n");
        return 0;
    }
    if (l->kind == FILTER_ASPATH_OUT)
        return fl_fail(err, errlen, "JSON output supports prefix lists, -f and -t only");
    mrs_outbuf_putc(o, '{');
    mrs_json_cstr(o, l->name);
    mrs_outbuf_puts(o, ": [\n");
    for (size_t i = 0; i < l->n_asns; i++) {
        if (i % 8 == 0)
            mrs_outbuf_puts(o, "  ");
        mrs_outbuf_u32(o, l->asns[i]);
        if (i + 1 == l->n_asns)
            mrs_outbuf_putc(o, '\n');
        else
            mrs_outbuf_puts(o, i % 8 == 7 ? ",\n" : ",");
    }
    mrs_outbuf_puts(o, "]}\n");
    return 0;
}

const filter_printer filter_printer_json = {"json", "-j", "JSON (bgpq4 -j layout)", print_json};
