/*
 * filter_frr.c — FRRouting printer for manrs filter: `ip prefix-list` /
 * `ipv6 prefix-list` lines (the IOS syntax FRR shares) and `bgp as-path
 * access-list` (FRR 7.5+ spelling) with the same regexes as IOS. bgpq4 has no FRR
 * mode; its Cisco output is what FRR users paste, minus the as-path keyword.
 */
#include "filter_util.h"

static int print_frr(const filter_list *l, bool aggregated, mrs_outbuf *o, char *err, size_t errlen)
{
    if (l->kind == FILTER_PREFIX)
        return filter_printer_cisco.print(l, aggregated, o, err, errlen);
    if (l->kind == FILTER_ASLIST)
        return fl_fail(err, errlen, "AS lists (-t) are supported for the json, bird, openbgpd and plain formats only");
    fr_put_aspath_acl(o, l, "bgp as-path access-list", "");
    return 0;
}

const filter_printer filter_printer_frr = {"frr", NULL, "FRRouting prefix-list / bgp as-path access-list", print_frr};
