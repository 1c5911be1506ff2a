/*
 * dump_json.c — one JSON object per route event (JSON Lines), for `manrs dump --json`.
 *
 * Field names are stable and documented in docs/dump-format.md. Values come from
 * decoded binary data only (numbers, addresses, fixed names), so no string needs
 * escaping except the file name (the shared writer, manrs/core/json_out.h: a name
 * that is not UTF-8 keeps the line valid JSON, its bad bytes become U+FFFD).
 */
#include <string.h>

#include "manrs/core/json_out.h"
#include "manrs/output/dumpfmt.h"

static void put_ip(mrs_outbuf *o, unsigned afi, const uint8_t *ip)
{
    if (mrs_outbuf_reserve(o, MRS_IP_STRLEN))
        o->len += (size_t)mrs_ip_format(afi, ip, o->buf + o->len);
}

static void key(mrs_outbuf *o, const char *k)
{
    mrs_outbuf_putc(o, ',');
    mrs_outbuf_putc(o, '"');
    mrs_outbuf_puts(o, k);
    mrs_outbuf_puts(o, "\":");
}

static void put_path(mrs_outbuf *o, const bgp_attrs *a)
{
    mrs_outbuf_putc(o, '[');
    uint32_t off = 0;
    bgp_path_seg s;
    bool first = true;
    while (bgp_path_next_seg(a->path, a->path_len, 4, &off, &s) == 1) {
        if (s.type == BGP_AS_SEQUENCE) {
            for (unsigned i = 0; i < s.count; i++) {
                if (!first)
                    mrs_outbuf_putc(o, ',');
                first = false;
                mrs_outbuf_u32(o, bgp_seg_asn(&s, i, 4));
            }
            continue;
        }
        if (!first)
            mrs_outbuf_putc(o, ',');
        first = false;
        if (s.type == BGP_AS_CONFED_SEQUENCE)
            mrs_outbuf_puts(o, "{\"confed_sequence\":");
        else if (s.type == BGP_AS_CONFED_SET)
            mrs_outbuf_puts(o, "{\"confed_set\":");
        mrs_outbuf_putc(o, '[');
        for (unsigned i = 0; i < s.count; i++) {
            if (i)
                mrs_outbuf_putc(o, ',');
            mrs_outbuf_u32(o, bgp_seg_asn(&s, i, 4));
        }
        mrs_outbuf_putc(o, ']');
        if (s.type != BGP_AS_SET)
            mrs_outbuf_putc(o, '}');
    }
    mrs_outbuf_putc(o, ']');
}

static void put_attrs(mrs_outbuf *o, const bgp_attrs *a, const mrt_event *ev)
{
    key(o, "as_path");
    if (a->path)
        put_path(o, a);
    else
        mrs_outbuf_puts(o, a->path_malformed ? "null" : "[]");
    key(o, "origin_as");
    uint32_t origin;
    if (a->path && bgp_path_origin(a->path, a->path_len, &origin))
        mrs_outbuf_u32(o, origin);
    else
        mrs_outbuf_puts(o, "null");
    if (a->origin <= 2) {
        key(o, "origin");
        mrs_outbuf_puts(o, a->origin == 0 ? "\"IGP\"" : a->origin == 1 ? "\"EGP\"" : "\"INCOMPLETE\"");
    }
    const bgp_mp_reach *mp = ev->mp;
    if (!mp && ev->kind == MRT_EV_RIB) {
        for (unsigned i = 0; i < a->n_mp_reach; i++)
            if (a->mp_reach[i].abbreviated || a->mp_reach[i].afi == ev->prefix.pfx.afi)
                mp = &a->mp_reach[i];
    }
    if (mp) {
        key(o, "next_hop");
        mrs_outbuf_putc(o, '"');
        put_ip(o, mp->nh_len >= 16 ? MRS_AFI_IPV6 : MRS_AFI_IPV4, mp->nh);
        mrs_outbuf_putc(o, '"');
        if (mp->nh_len == 32) {
            key(o, "next_hop_link_local");
            mrs_outbuf_putc(o, '"');
            put_ip(o, MRS_AFI_IPV6, mp->nh + 16);
            mrs_outbuf_putc(o, '"');
        }
    } else if (bgp_attr_has(a, BGP_ATTR_NEXT_HOP)) {
        key(o, "next_hop");
        mrs_outbuf_putc(o, '"');
        put_ip(o, MRS_AFI_IPV4, a->next_hop);
        mrs_outbuf_putc(o, '"');
    }
    if (bgp_attr_has(a, BGP_ATTR_LOCAL_PREF)) {
        key(o, "local_pref");
        mrs_outbuf_u32(o, a->local_pref);
    }
    if (bgp_attr_has(a, BGP_ATTR_MED)) {
        key(o, "med");
        mrs_outbuf_u32(o, a->med);
    }
    if (a->n_communities) {
        key(o, "communities");
        mrs_outbuf_putc(o, '[');
        for (uint32_t i = 0; i < a->n_communities; i++) {
            uint32_t c = mrs_get32(a->communities + 4 * i);
            if (i)
                mrs_outbuf_putc(o, ',');
            mrs_outbuf_putc(o, '"');
            mrs_outbuf_u32(o, c >> 16);
            mrs_outbuf_putc(o, ':');
            mrs_outbuf_u32(o, c & 0xffff);
            mrs_outbuf_putc(o, '"');
        }
        mrs_outbuf_putc(o, ']');
    }
    if (a->n_large_communities) {
        key(o, "large_communities");
        mrs_outbuf_putc(o, '[');
        for (uint32_t i = 0; i < a->n_large_communities; i++) {
            const uint8_t *p = a->large_communities + 12 * i;
            if (i)
                mrs_outbuf_putc(o, ',');
            mrs_outbuf_putc(o, '"');
            mrs_outbuf_u32(o, mrs_get32(p));
            mrs_outbuf_putc(o, ':');
            mrs_outbuf_u32(o, mrs_get32(p + 4));
            mrs_outbuf_putc(o, ':');
            mrs_outbuf_u32(o, mrs_get32(p + 8));
            mrs_outbuf_putc(o, '"');
        }
        mrs_outbuf_putc(o, ']');
    }
    if (a->n_ext_communities) {
        static const char hex[] = "0123456789abcdef";
        key(o, "ext_communities");
        mrs_outbuf_putc(o, '[');
        for (uint32_t i = 0; i < a->n_ext_communities; i++) {
            if (i)
                mrs_outbuf_putc(o, ',');
            mrs_outbuf_putc(o, '"');
            for (unsigned j = 0; j < 8; j++) {
                uint8_t b = a->ext_communities[8 * i + j];
                mrs_outbuf_putc(o, hex[b >> 4]);
                mrs_outbuf_putc(o, hex[b & 15]);
            }
            mrs_outbuf_putc(o, '"');
        }
        mrs_outbuf_putc(o, ']');
    }
    if (bgp_attr_has(a, BGP_ATTR_ATOMIC_AGGREGATE)) {
        key(o, "atomic_aggregate");
        mrs_outbuf_puts(o, "true");
    }
    if (bgp_attr_has(a, BGP_ATTR_AGGREGATOR)) {
        key(o, "aggregator_as");
        mrs_outbuf_u32(o, a->aggregator_as);
        key(o, "aggregator_ip");
        mrs_outbuf_putc(o, '"');
        put_ip(o, MRS_AFI_IPV4, a->aggregator_ip);
        mrs_outbuf_putc(o, '"');
    }
    if (bgp_attr_has(a, BGP_ATTR_OTC)) {
        key(o, "otc");
        mrs_outbuf_u32(o, a->otc);
    }
}

void dumpfmt_json(mrs_outbuf *o, const mrt_event *ev, const char *file)
{
    static const char *kinds[] = {"?", "rib", "announce", "withdraw", "state"};
    const mrt_record *rec = ev->rec;
    mrs_outbuf_puts(o, "{\"type\":\"");
    mrs_outbuf_puts(o, kinds[ev->kind <= MRT_EV_STATE ? ev->kind : 0]);
    mrs_outbuf_puts(o, "\",\"time\":");
    mrs_outbuf_u32(o, rec->timestamp);
    if (rec->type == MRT_BGP4MP_ET) {
        key(o, "usec");
        mrs_outbuf_u32(o, rec->usec);
    }
    key(o, "peer_ip");
    mrs_outbuf_putc(o, '"');
    if (ev->peer.ip_known)
        put_ip(o, ev->peer.afi, ev->peer.ip);
    mrs_outbuf_putc(o, '"');
    key(o, "peer_as");
    mrs_outbuf_u32(o, ev->peer.asn);
    if (ev->kind == MRT_EV_STATE) {
        key(o, "old_state");
        mrs_outbuf_u32(o, ev->old_state);
        key(o, "new_state");
        mrs_outbuf_u32(o, ev->new_state);
    } else {
        key(o, "prefix");
        mrs_outbuf_putc(o, '"');
        put_ip(o, ev->prefix.pfx.afi, ev->prefix.pfx.addr);
        mrs_outbuf_putc(o, '/');
        mrs_outbuf_u32(o, ev->prefix.pfx.len);
        mrs_outbuf_putc(o, '"');
        if (ev->safi != BGP_SAFI_UNICAST) {
            key(o, "safi");
            mrs_outbuf_u32(o, ev->safi);
        }
        if (ev->addpath) {
            key(o, "path_id");
            mrs_outbuf_u32(o, ev->prefix.path_id);
        }
        if (ev->kind == MRT_EV_RIB) {
            key(o, "originated");
            mrs_outbuf_u32(o, ev->originated);
        }
        if (ev->attrs)
            put_attrs(o, ev->attrs, ev);
    }
    if (ev->local_msg) {
        key(o, "local");
        mrs_outbuf_puts(o, "true");
    }
    key(o, "mrt_type");
    mrs_outbuf_putc(o, '"');
    mrs_outbuf_puts(o, mrt_type_name(rec->type));
    mrs_outbuf_putc(o, '/');
    mrs_outbuf_puts(o, mrt_subtype_name(rec->type, rec->subtype));
    mrs_outbuf_putc(o, '"');
    if (file) {
        key(o, "file");
        mrs_json_cstr(o, file);
    }
    key(o, "offset");
    mrs_outbuf_u64(o, rec->offset);
    mrs_outbuf_putc(o, '}');
    mrs_outbuf_eol(o);
}
