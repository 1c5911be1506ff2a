/*
 * bgp_decode.c — BGP UPDATE, path attribute and NLRI decoding (see bgp.h).
 *
 * Shared by the MRT decoder and (later) BMP. Nothing here knows about files:
 * problems are returned as bgp_issue entries with byte positions relative to the
 * buffer the caller handed in (plus base_pos), so the caller can turn them into
 * `FILE: offset N: what` messages.
 *
 * Error handling follows the spirit of RFC 7606: an attribute whose length is
 * wrong for its type is kept as far as it can be read and flagged (non-fatal);
 * an attribute or NLRI whose length runs past the enclosing data is fatal for
 * the unit (the framing inside the message is lost).
 */
#include "manrs/feeds/bgp.h"

#include <string.h>

static void add_issue(bgp_attrs *a, uint32_t pos, bool fatal, const char *what, uint32_t x, uint32_t y)
{
    if (a->n_issues >= BGP_MAX_ISSUES) {
        a->n_issues_dropped++;
        if (fatal) /* keep the fatal one visible: overwrite the last slot */
            a->issues[BGP_MAX_ISSUES - 1] = (bgp_issue){pos, fatal, what, x, y};
        return;
    }
    a->issues[a->n_issues++] = (bgp_issue){pos, fatal, what, x, y};
}

/* Read a 32-bit value from an attribute of the wrong length the way lenient
 * decoders do: the bytes present, zero-padded. */
static uint32_t rd32_padded(const uint8_t *p, uint32_t len)
{
    uint8_t b[4] = {0, 0, 0, 0};
    memcpy(b, p, len < 4 ? len : 4);
    return mrs_get32(b);
}

static void copy_padded(uint8_t *dst, size_t dstlen, const uint8_t *src, uint32_t len)
{
    memset(dst, 0, dstlen);
    memcpy(dst, src, len < dstlen ? len : dstlen);
}

int bgp_path_next_seg(const uint8_t *path, uint32_t len, uint8_t asn_size, uint32_t *off, bgp_path_seg *seg)
{
    if (*off >= len)
        return 0;
    if (len - *off < 2)
        return -1;
    uint8_t type = path[*off], count = path[*off + 1];
    if (type < BGP_AS_SET || type > BGP_AS_CONFED_SET)
        return -1;
    uint32_t need = 2u + (uint32_t)count * asn_size;
    if (need > len - *off)
        return -1;
    seg->type = type;
    seg->count = count;
    seg->asns = path + *off + 2;
    *off += need;
    return 1;
}

static bool path_valid(const uint8_t *path, uint32_t len, uint8_t asn_size)
{
    uint32_t off = 0;
    bgp_path_seg s;
    int r;
    while ((r = bgp_path_next_seg(path, len, asn_size, &off, &s)) == 1)
        ;
    return r == 0;
}

uint32_t bgp_path_length(const uint8_t *path, uint32_t len, uint8_t asn_size)
{
    uint32_t off = 0, n = 0;
    bgp_path_seg s;
    while (bgp_path_next_seg(path, len, asn_size, &off, &s) == 1) {
        if (s.type == BGP_AS_SEQUENCE)
            n += s.count;
        else if (s.type == BGP_AS_SET)
            n += 1;
        /* RFC 5065 §5.3: confederation segments do not count */
    }
    return n;
}

bool bgp_path_origin(const uint8_t *path, uint32_t len, uint32_t *origin)
{
    uint32_t off = 0;
    bgp_path_seg s, last = {0, 0, NULL};
    bool any = false;
    while (bgp_path_next_seg(path, len, 4, &off, &s) == 1) {
        if (s.count) {
            last = s;
            any = true;
        }
    }
    if (!any || last.type != BGP_AS_SEQUENCE)
        return false;
    *origin = bgp_seg_asn(&last, last.count - 1u, 4);
    return true;
}

/* Write a segment header + ASNs widened to 4 bytes. */
static uint32_t put_seg(uint8_t *out, uint8_t type, const uint8_t *asns, uint8_t count, uint8_t asn_size)
{
    out[0] = type;
    out[1] = count;
    uint8_t *p = out + 2;
    for (unsigned i = 0; i < count; i++) {
        if (asn_size == 4) {
            memcpy(p, asns + 4 * i, 4);
        } else {
            p[0] = 0;
            p[1] = 0;
            p[2] = asns[2 * i];
            p[3] = asns[2 * i + 1];
        }
        p += 4;
    }
    return 2u + 4u * count;
}

/*
 * RFC 6793 §4.2.3: reconstruct the AS path from AS_PATH (2-byte ASNs, with AS_TRANS
 * placeholders) and AS4_PATH. If AS_PATH holds fewer ASes than AS4_PATH, AS4_PATH
 * is ignored; otherwise the leading ASes of AS_PATH are kept so that the result has
 * as many ASes as AS_PATH, and AS4_PATH is appended.
 */
static uint32_t merge_as4_path(uint8_t *out, const bgp_attrs *a)
{
    uint32_t n_path = bgp_path_length(a->as_path, a->as_path_len, 2);
    uint32_t n_as4 = bgp_path_length(a->as4_path, a->as4_path_len, 4);
    uint32_t need = n_path - n_as4, w = 0, off = 0;
    bgp_path_seg s;
    bool prev_taken = true;
    while (bgp_path_next_seg(a->as_path, a->as_path_len, 2, &off, &s) == 1) {
        bool confed = s.type == BGP_AS_CONFED_SEQUENCE || s.type == BGP_AS_CONFED_SET;
        if (confed) {
            /* prepended if leading or adjacent to a prepended segment */
            if (!prev_taken)
                break;
            w += put_seg(out + w, s.type, s.asns, s.count, 2);
            continue;
        }
        if (need == 0)
            break;
        if (s.type == BGP_AS_SET) {
            w += put_seg(out + w, s.type, s.asns, s.count, 2);
            need -= 1;
        } else {
            uint8_t take = (uint8_t)(s.count < need ? s.count : need);
            w += put_seg(out + w, s.type, s.asns, take, 2);
            need -= take;
        }
        prev_taken = true;
    }
    memcpy(out + w, a->as4_path, a->as4_path_len);
    return w + a->as4_path_len;
}

static uint32_t widen_path(uint8_t *out, const uint8_t *path, uint32_t len)
{
    uint32_t off = 0, w = 0;
    bgp_path_seg s;
    while (bgp_path_next_seg(path, len, 2, &off, &s) == 1)
        w += put_seg(out + w, s.type, s.asns, s.count, 2);
    return w;
}

static void effective_path(bgp_decoder *dec, bgp_attrs *a, const bgp_decode_opts *opts, uint32_t base_pos)
{
    (void)base_pos;
    if (!a->as_path)
        return;
    if (!path_valid(a->as_path, a->as_path_len, a->asn_size)) {
        a->path_malformed = true;
        return;
    }
    if (a->asn_size == 4) {
        a->path = a->as_path;
        a->path_len = a->as_path_len;
        return;
    }
    bool use_as4 = opts->rfc6793_merge && a->as4_path != NULL;
    if (use_as4 && !path_valid(a->as4_path, a->as4_path_len, 4))
        use_as4 = false;
    /* RFC 6793 §4.2.3: when both AGGREGATOR and AS4_AGGREGATOR are received and the
     * AGGREGATOR holds an AS other than AS_TRANS, an OLD speaker aggregated:
     * AS4_PATH and AS4_AGGREGATOR are ignored. */
    if (use_as4 && bgp_attr_has(a, BGP_ATTR_AGGREGATOR) && bgp_attr_has(a, BGP_ATTR_AS4_AGGREGATOR) &&
        a->aggregator_as != BGP_AS_TRANS)
        use_as4 = false;
    if (use_as4 && bgp_path_length(a->as_path, a->as_path_len, 2) < bgp_path_length(a->as4_path, a->as4_path_len, 4))
        use_as4 = false;
    a->path_len = use_as4 ? merge_as4_path(dec->path_buf, a) : widen_path(dec->path_buf, a->as_path, a->as_path_len);
    a->path = dec->path_buf;
}

static void decode_mp_reach(bgp_attrs *a, const uint8_t *p, uint32_t len, const bgp_decode_opts *opts, uint32_t pos)
{
    if (a->n_mp_reach >= BGP_MAX_MP) {
        add_issue(a, pos, false, "too many MP_REACH_NLRI attributes", 0, 0);
        return;
    }
    bgp_mp_reach m;
    memset(&m, 0, sizeof m);
    if (opts->rib_entry && len >= 1 && p[0] != 0) {
        /* RFC 6396 §4.3.4: RIB entries carry only the next hop length and next hop. */
        m.abbreviated = true;
        m.nh_len = p[0];
        if (1u + m.nh_len > len) {
            add_issue(a, pos, false, "MP_REACH_NLRI next hop longer than the attribute", m.nh_len, len);
        }
        copy_padded(m.nh, sizeof m.nh, p + 1, len - 1 < m.nh_len ? len - 1 : m.nh_len);
        m.afi = m.nh_len == 4 || m.nh_len == 12 ? MRS_AFI_IPV4 : MRS_AFI_IPV6;
        m.safi = BGP_SAFI_UNICAST;
        a->mp_reach[a->n_mp_reach++] = m;
        return;
    }
    if (len < 5) {
        add_issue(a, pos, true, "MP_REACH_NLRI too short (%u bytes)", len, 0);
        return;
    }
    m.afi = mrs_get16(p);
    m.safi = p[2];
    m.nh_len = p[3];
    uint32_t o = 4;
    if (o + m.nh_len + 1u > len) {
        add_issue(a, pos, true, "MP_REACH_NLRI next hop length %u runs past the attribute", m.nh_len, 0);
        return;
    }
    copy_padded(m.nh, sizeof m.nh, p + o, m.nh_len);
    o += m.nh_len;
    /* RFC 4760 §3: one reserved octet (was "Number of SNPAs" in RFC 2858). */
    uint8_t n_snpa = p[o++];
    for (unsigned i = 0; i < n_snpa; i++) {
        if (o >= len) {
            add_issue(a, pos, true, "MP_REACH_NLRI SNPA list runs past the attribute", 0, 0);
            return;
        }
        uint32_t sl = ((uint32_t)p[o] + 1u) / 2u; /* length in semi-octets */
        o += 1 + sl;
        if (o > len) {
            add_issue(a, pos, true, "MP_REACH_NLRI SNPA list runs past the attribute", 0, 0);
            return;
        }
    }
    for (unsigned i = 0; i < a->n_mp_reach; i++) {
        if (a->mp_reach[i].afi == m.afi && a->mp_reach[i].safi == m.safi) {
            add_issue(a, pos, false, "repeated MP_REACH_NLRI for AFI %u, ignored", m.afi, m.safi);
            return;
        }
    }
    m.nlri = (bgp_nlri){m.afi, m.safi, opts->addpath, p + o, len - o, pos + o};
    a->mp_reach[a->n_mp_reach++] = m;
}

static void decode_mp_unreach(bgp_attrs *a, const uint8_t *p, uint32_t len, const bgp_decode_opts *opts, uint32_t pos)
{
    if (len < 3) {
        add_issue(a, pos, true, "MP_UNREACH_NLRI too short (%u bytes)", len, 0);
        return;
    }
    uint16_t afi = mrs_get16(p);
    uint8_t safi = p[2];
    for (unsigned i = 0; i < a->n_mp_unreach; i++) {
        if (a->mp_unreach[i].afi == afi && a->mp_unreach[i].safi == safi) {
            add_issue(a, pos, false, "repeated MP_UNREACH_NLRI for AFI %u, ignored", afi, safi);
            return;
        }
    }
    if (a->n_mp_unreach >= BGP_MAX_MP) {
        add_issue(a, pos, false, "too many MP_UNREACH_NLRI attributes", 0, 0);
        return;
    }
    a->mp_unreach[a->n_mp_unreach++] = (bgp_nlri){afi, safi, opts->addpath, p + 3, len - 3, pos + 3};
}

static void keep_other(bgp_attrs *a, uint8_t flags, uint8_t type, const uint8_t *p, uint32_t len)
{
    if (a->n_other >= BGP_MAX_OTHER_ATTRS) {
        a->n_other_dropped++;
        return;
    }
    a->other[a->n_other++] = (bgp_raw_attr){flags, type, (uint16_t)len, p};
}

/* Check a fixed attribute length; returns true if exact. */
static bool want_len(bgp_attrs *a, uint32_t pos, uint8_t type, uint32_t len, uint32_t want)
{
    if (len == want)
        return true;
    (void)want;
    add_issue(a, pos, false, "path attribute %u has an unexpected length (%u)", type, len);
    return false;
}

bool bgp_attrs_decode(bgp_decoder *dec, const uint8_t *data, uint32_t len, const bgp_decode_opts *opts,
                      uint32_t base_pos, bgp_attrs *a)
{
    memset(a, 0, offsetof(bgp_attrs, mp_reach));
    a->n_other = 0;
    a->n_other_dropped = 0;
    a->n_issues = 0;
    a->n_issues_dropped = 0;
    a->origin = 0xff;
    a->asn_size = opts->asn_size;

    uint32_t off = 0;
    bool fatal = false;
    while (off < len) {
        uint32_t apos = base_pos + off;
        if (len - off < 3) {
            add_issue(a, apos, true, "path attribute header truncated (%u bytes left)", len - off, 0);
            fatal = true;
            break;
        }
        uint8_t flags = data[off], type = data[off + 1];
        uint32_t alen, hdr;
        if (flags & BGP_ATTR_FLAG_EXTLEN) {
            if (len - off < 4) {
                add_issue(a, apos, true, "path attribute header truncated (%u bytes left)", len - off, 0);
                fatal = true;
                break;
            }
            alen = mrs_get16(data + off + 2);
            hdr = 4;
        } else {
            alen = data[off + 2];
            hdr = 3;
        }
        if (alen > len - off - hdr) {
            add_issue(a, apos, true, "path attribute %u length %u runs past the attributes", type, alen);
            fatal = true;
            break;
        }
        const uint8_t *p = data + off + hdr;
        off += hdr + alen;
        if (type >= 1 && type <= 64) {
            if (a->present >> (type - 1) & 1) {
                /* RFC 7606 §3(g): keep the first occurrence */
                add_issue(a, apos, false, "path attribute %u repeated, later copy ignored", type, 0);
                continue;
            }
            a->present |= 1ull << (type - 1);
        }
        switch (type) {
        case BGP_ATTR_ORIGIN:
            want_len(a, apos, type, alen, 1);
            a->origin = alen ? p[0] : 0;
            break;
        case BGP_ATTR_AS_PATH:
            a->as_path = p;
            a->as_path_len = alen;
            break;
        case BGP_ATTR_NEXT_HOP:
            want_len(a, apos, type, alen, 4);
            copy_padded(a->next_hop, 4, p, alen);
            break;
        case BGP_ATTR_MED:
            want_len(a, apos, type, alen, 4);
            a->med = rd32_padded(p, alen);
            break;
        case BGP_ATTR_LOCAL_PREF:
            want_len(a, apos, type, alen, 4);
            a->local_pref = rd32_padded(p, alen);
            break;
        case BGP_ATTR_ATOMIC_AGGREGATE:
            want_len(a, apos, type, alen, 0);
            break;
        case BGP_ATTR_AGGREGATOR:
            /* 6 bytes with 2-byte ASNs, 8 with 4-byte ASNs (RFC 6793 §3) */
            if (alen == 8 || (alen != 6 && opts->asn_size == 4)) {
                want_len(a, apos, type, alen, 8);
                a->aggregator_as = rd32_padded(p, alen);
                copy_padded(a->aggregator_ip, 4, alen > 4 ? p + 4 : p, alen > 4 ? alen - 4 : 0);
            } else {
                want_len(a, apos, type, alen, 6);
                uint8_t b[2] = {alen > 0 ? p[0] : 0, alen > 1 ? p[1] : 0};
                a->aggregator_as = mrs_get16(b);
                copy_padded(a->aggregator_ip, 4, alen > 2 ? p + 2 : p, alen > 2 ? alen - 2 : 0);
            }
            break;
        case BGP_ATTR_COMMUNITIES:
            if (alen % 4)
                add_issue(a, apos, false, "COMMUNITIES length %u not a multiple of 4", alen, 0);
            a->communities = p;
            a->n_communities = alen / 4;
            break;
        case BGP_ATTR_ORIGINATOR_ID:
            want_len(a, apos, type, alen, 4);
            copy_padded(a->originator_id, 4, p, alen);
            break;
        case BGP_ATTR_CLUSTER_LIST:
            if (alen % 4)
                add_issue(a, apos, false, "CLUSTER_LIST length %u not a multiple of 4", alen, 0);
            a->cluster_list = p;
            a->n_cluster_list = alen / 4;
            break;
        case BGP_ATTR_MP_REACH_NLRI:
            decode_mp_reach(a, p, alen, opts, apos + hdr);
            break;
        case BGP_ATTR_MP_UNREACH_NLRI:
            decode_mp_unreach(a, p, alen, opts, apos + hdr);
            break;
        case BGP_ATTR_EXT_COMMUNITIES:
            if (alen % 8)
                add_issue(a, apos, false, "EXTENDED_COMMUNITIES length %u not a multiple of 8", alen, 0);
            a->ext_communities = p;
            a->n_ext_communities = alen / 8;
            break;
        case BGP_ATTR_AS4_PATH:
            a->as4_path = p;
            a->as4_path_len = alen;
            break;
        case BGP_ATTR_AS4_AGGREGATOR:
            want_len(a, apos, type, alen, 8);
            a->as4_aggregator_as = rd32_padded(p, alen);
            copy_padded(a->as4_aggregator_ip, 4, alen > 4 ? p + 4 : p, alen > 4 ? alen - 4 : 0);
            break;
        case BGP_ATTR_LARGE_COMMUNITIES:
            if (alen % 12)
                add_issue(a, apos, false, "LARGE_COMMUNITIES length %u not a multiple of 12", alen, 0);
            a->large_communities = p;
            a->n_large_communities = alen / 12;
            break;
        case BGP_ATTR_OTC:
            want_len(a, apos, type, alen, 4);
            a->otc = rd32_padded(p, alen);
            break;
        default:
            keep_other(a, flags, type, p, alen);
            break;
        }
        for (unsigned i = 0; i < a->n_issues; i++)
            if (a->issues[i].fatal)
                fatal = true;
        if (fatal)
            break;
    }
    /* RFC 6793 §4.2.3: AS4_AGGREGATOR replaces an AGGREGATOR that holds AS_TRANS. */
    if (opts->rfc6793_merge && a->asn_size == 2 && bgp_attr_has(a, BGP_ATTR_AGGREGATOR) &&
        bgp_attr_has(a, BGP_ATTR_AS4_AGGREGATOR) && a->aggregator_as == BGP_AS_TRANS) {
        effective_path(dec, a, opts, base_pos); /* decided with the original AGGREGATOR */
        a->aggregator_as = a->as4_aggregator_as;
        memcpy(a->aggregator_ip, a->as4_aggregator_ip, 4);
    } else {
        effective_path(dec, a, opts, base_pos);
    }
    if (a->path_malformed)
        add_issue(a, base_pos, false, "AS_PATH segments malformed", 0, 0);
    return !fatal;
}

int bgp_nlri_next(const bgp_nlri *n, uint32_t *off, bgp_prefix *p)
{
    if (*off >= n->len)
        return 0;
    uint32_t o = *off;
    memset(p, 0, sizeof *p);
    if (n->addpath) {
        if (n->len - o < 4)
            return -1;
        p->path_id = mrs_get32(n->data + o);
        o += 4;
    }
    if (o >= n->len)
        return -1;
    uint8_t plen = n->data[o++];
    unsigned maxbits = n->afi == MRS_AFI_IPV6 ? 128u : 32u;
    if (plen > maxbits)
        return -1;
    uint32_t bytes = (plen + 7u) / 8u;
    if (bytes > n->len - o)
        return -1;
    p->pfx.afi = (uint8_t)(n->afi == MRS_AFI_IPV6 ? MRS_AFI_IPV6 : MRS_AFI_IPV4);
    p->pfx.len = plen;
    memcpy(p->pfx.addr, n->data + o, bytes);
    if (plen % 8 && bytes) {
        uint8_t mask = (uint8_t)(0xff >> (plen % 8));
        p->host_bits = (p->pfx.addr[bytes - 1] & mask) != 0;
    }
    *off = o + bytes;
    return 1;
}

bool bgp_update_decode(bgp_decoder *dec, const uint8_t *body, uint32_t len, const bgp_decode_opts *opts,
                       uint32_t base_pos, bgp_update *u)
{
    memset(&u->withdrawn, 0, sizeof u->withdrawn);
    memset(&u->nlri, 0, sizeof u->nlri);
    if (len < 4) {
        memset(&u->attrs, 0, offsetof(bgp_attrs, mp_reach));
        u->attrs.n_issues = 0;
        add_issue(&u->attrs, base_pos, true, "UPDATE shorter than 4 bytes (%u)", len, 0);
        return false;
    }
    uint32_t wlen = mrs_get16(body);
    if (2u + wlen + 2u > len) {
        memset(&u->attrs, 0, offsetof(bgp_attrs, mp_reach));
        u->attrs.n_issues = 0;
        add_issue(&u->attrs, base_pos, true, "UPDATE withdrawn routes length %u runs past the message", wlen, 0);
        return false;
    }
    u->withdrawn = (bgp_nlri){MRS_AFI_IPV4, BGP_SAFI_UNICAST, opts->addpath, body + 2, wlen, base_pos + 2};
    uint32_t alen = mrs_get16(body + 2 + wlen);
    uint32_t apos = 4 + wlen;
    if (apos + alen > len) {
        memset(&u->attrs, 0, offsetof(bgp_attrs, mp_reach));
        u->attrs.n_issues = 0;
        add_issue(&u->attrs, base_pos + apos - 2, true, "UPDATE path attribute length %u runs past the message", alen,
                  0);
        return false;
    }
    bool ok = bgp_attrs_decode(dec, body + apos, alen, opts, base_pos + apos, &u->attrs);
    u->nlri = (bgp_nlri){MRS_AFI_IPV4, BGP_SAFI_UNICAST, opts->addpath, body + apos + alen, len - apos - alen,
                         base_pos + apos + alen};
    return ok;
}
