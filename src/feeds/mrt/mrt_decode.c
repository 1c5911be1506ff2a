/*
 * mrt_decode.c — MRT records to route events (RFC 6396 §4, RFC 8050).
 *
 * One function per MRT type; BGP messages go to the shared decoder in
 * bgp_decode.c. Damage policy: a record (or one RIB entry of a record) whose
 * structure cannot be trusted produces no events at all and one error naming the
 * file offset; every intact record is decoded in full. Events of one UPDATE come
 * in the order: withdrawn routes, MP_UNREACH_NLRI, NLRI, MP_REACH_NLRI, with MP
 * families in ascending (AFI, SAFI) order — the order bgpdump prints them.
 */
#include "manrs/feeds/mrt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mrt_decoder {
    mrs_diag *diag;
    char name[512];
    mrt_peer *peers;            /* TABLE_DUMP_V2 peer index table */
    unsigned n_peers;
    bool have_peer_table;
    bool warned_multi_entry;
    bool warned_addpath;
    mrt_decoder_stats stats;
    bgp_attrs attrs;
    bgp_update upd;
    bgp_decoder bgp;            /* large scratch: keep last */
};

mrt_decoder *mrt_decoder_new(mrs_diag *diag)
{
    mrt_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->diag = diag;
    snprintf(d->name, sizeof d->name, "-");
    return d;
}

void mrt_decoder_free(mrt_decoder *d)
{
    if (!d)
        return;
    free(d->peers);
    free(d);
}

void mrt_decoder_begin_file(mrt_decoder *d, const char *name)
{
    snprintf(d->name, sizeof d->name, "%s", name ? name : "-");
    free(d->peers);
    d->peers = NULL;
    d->n_peers = 0;
    d->have_peer_table = false;
    d->warned_multi_entry = false;
    d->warned_addpath = false;
}

const mrt_decoder_stats *mrt_decoder_get_stats(const mrt_decoder *d) { return &d->stats; }
unsigned mrt_decoder_peer_count(const mrt_decoder *d) { return d->n_peers; }

static uint64_t body_offset(const mrt_record *rec)
{
    bool et = rec->type == MRT_BGP4MP_ET || rec->type == MRT_ISIS_ET || rec->type == MRT_OSPFV3_ET;
    return rec->offset + (et ? 16u : 12u);
}

/* A damaged record or entry: one error, counted. pos is relative to the body. */
#define MRT_COLLECTOR_CUT 4096u   /* record body length at which old collectors cut messages */

static int damaged(mrt_decoder *d, const mrt_record *rec, uint32_t pos, const char *fmt, ...) MRS_PRINTF(4, 5);
static int damaged(mrt_decoder *d, const mrt_record *rec, uint32_t pos, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    d->stats.records_damaged++;
    mrs_diag_error_at(d->diag, d->name, body_offset(rec) + pos, "%s %s record: %s; skipped", mrt_type_name(rec->type),
                      mrt_subtype_name(rec->type, rec->subtype), msg);
    return -1;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void issue_text(const bgp_issue *is, char *buf, size_t n)
{
    /* issue texts are literals of bgp_decode.c with at most two %u */
    snprintf(buf, n, is->what, is->a, is->b);
}
#pragma GCC diagnostic pop

/* Report attribute issues. Returns true if one was fatal (the caller skips). */
static bool report_issues(mrt_decoder *d, const mrt_record *rec, const bgp_attrs *a, bool *fatal_out,
                          uint32_t *fatal_pos, char *fatal_msg, size_t fatal_len)
{
    bool fatal = false;
    for (unsigned i = 0; i < a->n_issues; i++) {
        const bgp_issue *is = &a->issues[i];
        char text[200];
        issue_text(is, text, sizeof text);
        if (is->fatal) {
            if (!fatal) {
                *fatal_pos = is->pos;
                snprintf(fatal_msg, fatal_len, "%s", text);
            }
            fatal = true;
        } else {
            mrs_diag_warn_at(d->diag, d->name, body_offset(rec) + is->pos, "%s", text);
        }
    }
    *fatal_out = fatal;
    return fatal;
}

/* ------------------------------------------------------------ TABLE_DUMP (12) */

static int decode_table_dump(mrt_decoder *d, const mrt_record *rec, mrt_event_fn fn, void *user)
{
    const uint8_t *b = rec->body;
    uint32_t len = rec->length;
    bool v6 = rec->subtype == 2 || rec->subtype == 4;
    uint8_t asn = (rec->subtype == 3 || rec->subtype == 4) ? 4 : 2;
    uint32_t alen_ip = v6 ? 16 : 4;
    uint32_t fixed = alen_ip + 1 + 1 + 4 + alen_ip + asn + 2; /* per entry, after view+seq */
    if (len < 4 + fixed)
        return damaged(d, rec, 0, "%u bytes, a RIB entry needs %u", len, 4 + fixed);
    uint32_t off = 4; /* view number, sequence number */
    bgp_decode_opts opts = {asn, false, true, true};
    int ret = 0;
    unsigned n = 0;
    while (off < len) {
        if (n == 1 && !d->warned_multi_entry) {
            d->warned_multi_entry = true;
            mrs_diag_warn_at(d->diag, d->name, body_offset(rec) + off,
                             "TABLE_DUMP record holds several RIB entries (pre-RFC 6396 layout of early RIS "
                             "dumps); decoding each");
        }
        if (len - off < fixed)
            return damaged(d, rec, off, "trailing %u bytes do not hold a RIB entry", len - off);
        const uint8_t *e = b + off;
        mrt_event ev;
        memset(&ev, 0, sizeof ev);
        ev.kind = MRT_EV_RIB;
        ev.rec = rec;
        ev.source = MRT_NLRI_RIB;
        ev.safi = BGP_SAFI_UNICAST;
        ev.prefix.pfx.afi = v6 ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        memcpy(ev.prefix.pfx.addr, e, alen_ip);
        uint8_t plen = e[alen_ip];
        if (plen > (v6 ? 128 : 32))
            return damaged(d, rec, off + alen_ip, "prefix length %u", plen);
        ev.prefix.pfx.len = plen;
        /* status byte e[alen_ip+1] is unused (RFC 6396 §4.2: SHOULD be 1) */
        ev.originated = mrs_get32(e + alen_ip + 2);
        ev.peer.afi = v6 ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        ev.peer.ip_known = true;
        memcpy(ev.peer.ip, e + alen_ip + 6, alen_ip);
        const uint8_t *q = e + 2 * alen_ip + 6;
        ev.peer.asn = asn == 4 ? mrs_get32(q) : mrs_get16(q);
        uint32_t attr_len = mrs_get16(q + asn);
        uint32_t attr_off = off + fixed;
        if (attr_len > len - attr_off)
            return damaged(d, rec, attr_off - 2, "attribute length %u runs past the record (%u left)", attr_len,
                           len - attr_off);
        bool fatal;
        uint32_t fpos = 0;
        char fmsg[200];
        bgp_attrs_decode(&d->bgp, b + attr_off, attr_len, &opts, attr_off, &d->attrs);
        report_issues(d, rec, &d->attrs, &fatal, &fpos, fmsg, sizeof fmsg);
        off = attr_off + attr_len;
        n++;
        if (fatal) {
            ret = damaged(d, rec, fpos, "%s", fmsg);
            continue;
        }
        ev.attrs = &d->attrs;
        d->stats.rib_entries++;
        fn(&ev, user);
    }
    return ret;
}

/* --------------------------------------------------------- TABLE_DUMP_V2 (13) */

static int decode_peer_index(mrt_decoder *d, const mrt_record *rec)
{
    const uint8_t *b = rec->body;
    uint32_t len = rec->length;
    if (len < 8)
        return damaged(d, rec, 0, "PEER_INDEX_TABLE of %u bytes", len);
    uint32_t off = 4;
    uint32_t vlen = mrs_get16(b + off);
    off += 2;
    if (vlen > len - off || len - off - vlen < 2)
        return damaged(d, rec, off - 2, "view name length %u runs past the record", vlen);
    off += vlen;
    uint32_t count = mrs_get16(b + off);
    off += 2;
    mrt_peer *peers = calloc(count ? count : 1, sizeof *peers);
    if (!peers)
        return damaged(d, rec, 0, "out of memory for %u peers", count);
    for (uint32_t i = 0; i < count; i++) {
        if (len - off < 1) {
            free(peers);
            return damaged(d, rec, off, "peer entry %u of %u missing", i, count);
        }
        uint8_t ptype = b[off];
        uint32_t ipl = (ptype & 1) ? 16 : 4, asl = (ptype & 2) ? 4 : 2;
        if (len - off < 1 + 4 + ipl + asl) {
            free(peers);
            return damaged(d, rec, off, "peer entry %u of %u truncated", i, count);
        }
        mrt_peer *p = &peers[i];
        memcpy(p->bgp_id, b + off + 1, 4);
        p->afi = (ptype & 1) ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        memcpy(p->ip, b + off + 5, ipl);
        p->asn = asl == 4 ? mrs_get32(b + off + 5 + ipl) : mrs_get16(b + off + 5 + ipl);
        p->ip_known = true;
        off += 1 + 4 + ipl + asl;
    }
    free(d->peers);
    d->peers = peers;
    d->n_peers = count;
    d->have_peer_table = true;
    if (off != len)
        mrs_diag_warn_at(d->diag, d->name, body_offset(rec) + off, "%u bytes after the PEER_INDEX_TABLE ignored",
                         len - off);
    return 0;
}

static int decode_rib(mrt_decoder *d, const mrt_record *rec, mrt_event_fn fn, void *user)
{
    const uint8_t *b = rec->body;
    uint32_t len = rec->length;
    uint16_t st = rec->subtype;
    bool addpath = st >= MRT_TD2_RIB_IPV4_UNICAST_ADDPATH;
    bool generic = st == MRT_TD2_RIB_GENERIC || st == MRT_TD2_RIB_GENERIC_ADDPATH;
    mrt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = MRT_EV_RIB;
    ev.rec = rec;
    ev.source = MRT_NLRI_RIB;
    ev.addpath = addpath;
    uint32_t off = 4; /* sequence number */
    uint16_t afi;
    if (generic) {
        if (len < 7)
            return damaged(d, rec, 0, "RIB_GENERIC of %u bytes", len);
        afi = mrs_get16(b + 4);
        ev.safi = b[6];
        off = 7;
        if ((afi != MRS_AFI_IPV4 && afi != MRS_AFI_IPV6) || ev.safi < 1 || ev.safi > 3) {
            /* e.g. VPN or flowspec NLRI: not a plain route */
            d->stats.records_unsupported++;
            return 1;
        }
    } else {
        bool v6 = st == MRT_TD2_RIB_IPV6_UNICAST || st == MRT_TD2_RIB_IPV6_MULTICAST ||
                  st == MRT_TD2_RIB_IPV6_UNICAST_ADDPATH || st == MRT_TD2_RIB_IPV6_MULTICAST_ADDPATH;
        bool mc = st == MRT_TD2_RIB_IPV4_MULTICAST || st == MRT_TD2_RIB_IPV6_MULTICAST ||
                  st == MRT_TD2_RIB_IPV4_MULTICAST_ADDPATH || st == MRT_TD2_RIB_IPV6_MULTICAST_ADDPATH;
        afi = v6 ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        ev.safi = mc ? BGP_SAFI_MULTICAST : BGP_SAFI_UNICAST;
    }
    /* The prefix: RFC 6396 §4.3.2 (length + minimal bytes) */
    bgp_nlri one = {afi, ev.safi, false, b + off, len - off, 0};
    uint32_t noff = 0;
    if (off >= len || bgp_nlri_next(&one, &noff, &ev.prefix) != 1)
        return damaged(d, rec, off, "prefix field damaged");
    off += noff;
    if (len - off < 2)
        return damaged(d, rec, off, "entry count missing");
    uint32_t count = mrs_get16(b + off);
    off += 2;
    if (!d->have_peer_table)
        return damaged(d, rec, 0, "RIB record before any PEER_INDEX_TABLE");
    bgp_decode_opts opts = {4, addpath, true, false};
    int ret = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t need = 2 + 4 + (addpath ? 4 : 0) + 2;
        if (len - off < need)
            return damaged(d, rec, off, "RIB entry %u of %u truncated", i, count);
        uint32_t pidx = mrs_get16(b + off);
        ev.originated = mrs_get32(b + off + 2);
        ev.prefix.path_id = addpath ? mrs_get32(b + off + 6) : 0;
        uint32_t alen = mrs_get16(b + off + need - 2);
        uint32_t aoff = off + need;
        if (alen > len - aoff)
            return damaged(d, rec, aoff - 2, "RIB entry %u of %u: attribute length %u runs past the record", i,
                           count, alen);
        off = aoff + alen;
        if (pidx >= d->n_peers) {
            ret = damaged(d, rec, aoff - need, "RIB entry %u: peer index %u beyond the %u peers of the table", i,
                          pidx, d->n_peers);
            continue;
        }
        bool fatal;
        uint32_t fpos = 0;
        char fmsg[200];
        bgp_attrs_decode(&d->bgp, b + aoff, alen, &opts, aoff, &d->attrs);
        report_issues(d, rec, &d->attrs, &fatal, &fpos, fmsg, sizeof fmsg);
        if (fatal) {
            ret = damaged(d, rec, fpos, "RIB entry %u: %s", i, fmsg);
            continue;
        }
        ev.peer = d->peers[pidx];
        ev.attrs = &d->attrs;
        d->stats.rib_entries++;
        fn(&ev, user);
    }
    if (off != len)
        mrs_diag_warn_at(d->diag, d->name, body_offset(rec) + off, "%u bytes after the last RIB entry ignored",
                         len - off);
    return ret;
}

static int decode_table_dump_v2(mrt_decoder *d, const mrt_record *rec, mrt_event_fn fn, void *user)
{
    switch (rec->subtype) {
    case MRT_TD2_PEER_INDEX_TABLE:
        return decode_peer_index(d, rec);
    case MRT_TD2_GEO_PEER_TABLE:
        d->stats.records_unsupported++;
        return 1;
    default:
        if (rec->subtype >= MRT_TD2_RIB_IPV4_UNICAST && rec->subtype <= MRT_TD2_RIB_GENERIC_ADDPATH)
            return decode_rib(d, rec, fn, user);
        d->stats.records_unknown++;
        return 1;
    }
}

/* ------------------------------------------------------------ BGP UPDATE → events */

static const struct { uint16_t afi; uint8_t safi; } mp_order[] = {
    {1, 1}, {1, 2}, {1, 3}, {2, 1}, {2, 2}, {2, 3},
};

/* Where an NLRI run stops parsing: returns true if it parses to the end, else
 * false with *bad at the offset of the damaged entry. */
static bool nlri_parses(const bgp_nlri *n, uint32_t *bad)
{
    uint32_t off = 0;
    bgp_prefix p;
    int r;
    while ((r = bgp_nlri_next(n, &off, &p)) == 1)
        ;
    *bad = off;
    return r == 0;
}

typedef struct nlri_block {
    bgp_nlri n;
    mrt_event_kind kind;
    mrt_nlri_source source;
    const bgp_mp_reach *mp;
    const char *what;
} nlri_block;

/* The NLRI runs of an UPDATE in bgpdump's printing order. */
static unsigned collect_blocks(const bgp_update *u, nlri_block *b)
{
    const bgp_attrs *a = &u->attrs;
    unsigned n = 0;
    b[n++] = (nlri_block){u->withdrawn, MRT_EV_WITHDRAW, MRT_NLRI_PLAIN, NULL, "withdrawn routes"};
    for (unsigned k = 0; k < sizeof mp_order / sizeof mp_order[0]; k++)
        for (unsigned i = 0; i < a->n_mp_unreach; i++)
            if (a->mp_unreach[i].afi == mp_order[k].afi && a->mp_unreach[i].safi == mp_order[k].safi)
                b[n++] = (nlri_block){a->mp_unreach[i], MRT_EV_WITHDRAW, MRT_NLRI_MP, NULL, "MP_UNREACH_NLRI"};
    b[n++] = (nlri_block){u->nlri, MRT_EV_ANNOUNCE, MRT_NLRI_PLAIN, NULL, "NLRI"};
    for (unsigned k = 0; k < sizeof mp_order / sizeof mp_order[0]; k++)
        for (unsigned i = 0; i < a->n_mp_reach; i++)
            if (a->mp_reach[i].afi == mp_order[k].afi && a->mp_reach[i].safi == mp_order[k].safi &&
                !a->mp_reach[i].abbreviated)
                b[n++] = (nlri_block){a->mp_reach[i].nlri, MRT_EV_ANNOUNCE, MRT_NLRI_MP, &a->mp_reach[i],
                                      "MP_REACH_NLRI"};
    return n;
}

/* Decode the UPDATE at body[pos..pos+len) and emit its events with ev as template. */
static int decode_update(mrt_decoder *d, const mrt_record *rec, uint32_t pos, uint32_t len,
                         const bgp_decode_opts *opts, mrt_event *ev, mrt_event_fn fn, void *user)
{
    bgp_update *u = &d->upd;
    bool ok = bgp_update_decode(&d->bgp, rec->body + pos, len, opts, 0, u);
    bool fatal;
    uint32_t fpos = 0;
    char fmsg[200];
    /* issue positions are relative to the UPDATE body: shift to the record body */
    for (unsigned i = 0; i < u->attrs.n_issues; i++)
        u->attrs.issues[i].pos += pos;
    report_issues(d, rec, &u->attrs, &fatal, &fpos, fmsg, sizeof fmsg);
    if (!ok || fatal)
        return damaged(d, rec, fpos, "UPDATE: %s", fatal ? fmsg : "malformed");

    nlri_block blk[2 + 2 * BGP_MAX_MP];
    unsigned nb = collect_blocks(u, blk);
    bool all = true;
    uint32_t bad;
    for (unsigned i = 0; i < nb; i++)
        all = all && nlri_parses(&blk[i].n, &bad);
    if (!all && !opts->addpath) {
        /* RFC 7911 §3: with ADD-PATH each prefix is preceded by a Path Identifier. Some
         * collectors recorded ADD-PATH sessions under the plain subtypes; if every run
         * parses that way (and did not parse plainly), decode it so. */
        bool ap = true;
        for (unsigned i = 0; i < nb; i++) {
            bgp_nlri t = blk[i].n;
            t.addpath = true;
            ap = ap && nlri_parses(&t, &bad);
        }
        if (ap) {
            if (!d->warned_addpath) {
                d->warned_addpath = true;
                mrs_diag_warn_at(d->diag, d->name, body_offset(rec) + pos,
                                 "NLRI parse only with ADD-PATH Path Identifiers (RFC 7911 §3): the session was "
                                 "recorded without an ADDPATH subtype; decoding with path identifiers");
            }
            for (unsigned i = 0; i < nb; i++)
                blk[i].n.addpath = true;
            ev->addpath = true;
            all = true;
        }
    }
    int ret = 0;
    for (unsigned i = 0; i < nb; i++) {
        uint32_t off = 0, count = 0;
        int r;
        ev->kind = blk[i].kind;
        ev->source = blk[i].source;
        ev->attrs = blk[i].kind == MRT_EV_ANNOUNCE ? &u->attrs : NULL;
        ev->mp = blk[i].mp;
        ev->safi = blk[i].n.safi;
        while ((r = bgp_nlri_next(&blk[i].n, &off, &ev->prefix)) == 1) {
            count++;
            if (ev->kind == MRT_EV_ANNOUNCE)
                d->stats.announcements++;
            else
                d->stats.withdrawals++;
            fn(ev, user);
        }
        if (r < 0)
            ret = damaged(d, rec, pos + blk[i].n.pos + off,
                          "%s damaged (prefix length beyond the address family, or truncated) after %u "
                          "prefixes; the rest of the run is skipped",
                          blk[i].what, count);
    }
    ev->mp = NULL;
    return ret;
}

/* ---------------------------------------------------------------- BGP4MP (16/17) */

static bool subtype_as4(uint16_t st)
{
    return st == MRT_BGP4MP_MESSAGE_AS4 || st == MRT_BGP4MP_STATE_CHANGE_AS4 || st == MRT_BGP4MP_MESSAGE_AS4_LOCAL ||
           st == MRT_BGP4MP_MESSAGE_AS4_ADDPATH || st == MRT_BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH;
}

static int decode_bgp4mp(mrt_decoder *d, const mrt_record *rec, mrt_event_fn fn, void *user)
{
    const uint8_t *b = rec->body;
    uint32_t len = rec->length;
    uint16_t st = rec->subtype;
    if (st == MRT_BGP4MP_ENTRY || st == MRT_BGP4MP_SNAPSHOT) {
        d->stats.records_unsupported++;
        return 1;
    }
    uint8_t asn = subtype_as4(st) ? 4 : 2;
    mrt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.rec = rec;
    ev.local_msg = st == MRT_BGP4MP_MESSAGE_LOCAL || st == MRT_BGP4MP_MESSAGE_AS4_LOCAL ||
                   st == MRT_BGP4MP_MESSAGE_LOCAL_ADDPATH || st == MRT_BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH;
    ev.addpath = st >= MRT_BGP4MP_MESSAGE_ADDPATH;
    bool state = st == MRT_BGP4MP_STATE_CHANGE || st == MRT_BGP4MP_STATE_CHANGE_AS4;

    if (len < 2u * asn)
        return damaged(d, rec, 0, "%u bytes", len);
    ev.peer.asn = asn == 4 ? mrs_get32(b) : mrs_get16(b);
    ev.local.asn = asn == 4 ? mrs_get32(b + asn) : mrs_get16(b + asn);
    uint32_t off = 2u * asn;

    if (state && len == 8 && asn == 2) {
        /* Zebra wrote state changes without interface, AFI and addresses. */
        mrs_diag_warn_at(d->diag, d->name, body_offset(rec), "8-byte STATE_CHANGE without addresses (Zebra bug)");
        ev.kind = MRT_EV_STATE;
        ev.peer.afi = MRS_AFI_IPV4;
        ev.old_state = mrs_get16(b + 4);
        ev.new_state = mrs_get16(b + 6);
        d->stats.state_changes++;
        fn(&ev, user);
        return 0;
    }
    if (len - off < 4)
        return damaged(d, rec, off, "interface index / address family missing");
    uint16_t ifindex = mrs_get16(b + off), afi = mrs_get16(b + off + 2);
    off += 4;
    uint32_t ipl;
    if (afi == MRS_AFI_IPV4) {
        ipl = 4;
    } else if (afi == MRS_AFI_IPV6) {
        ipl = 16;
    } else if (afi == 0xffff && ifindex == 0xffff && !state) {
        /* Zebra OPEN records: no interface, AFI or addresses, and the first four marker
         * bytes are missing. Not a route event; recognised and counted. */
        mrs_diag_warn_at(d->diag, d->name, body_offset(rec), "Zebra OPEN record without addresses");
        d->stats.messages_other++;
        return 0;
    } else {
        return damaged(d, rec, off - 2, "unknown address family %u", afi);
    }
    if (len - off < 2 * ipl)
        return damaged(d, rec, off, "peer/local addresses truncated");
    ev.peer.afi = ev.local.afi = afi;
    ev.peer.ip_known = ev.local.ip_known = true;
    memcpy(ev.peer.ip, b + off, ipl);
    memcpy(ev.local.ip, b + off + ipl, ipl);
    off += 2 * ipl;

    if (state) {
        if (len - off < 4)
            return damaged(d, rec, off, "state fields truncated");
        ev.kind = MRT_EV_STATE;
        ev.old_state = mrs_get16(b + off);
        ev.new_state = mrs_get16(b + off + 2);
        if (len - off != 4)
            mrs_diag_warn_at(d->diag, d->name, body_offset(rec) + off + 4, "%u bytes after STATE_CHANGE ignored",
                             len - off - 4);
        d->stats.state_changes++;
        fn(&ev, user);
        return 0;
    }

    /* BGP message: marker, length, type (RFC 4271 §4.1) */
    if (len - off < 19)
        return damaged(d, rec, off, "BGP message header truncated (%u bytes)", len - off);
    for (unsigned i = 0; i < 16; i++)
        if (b[off + i] != 0xff)
            return damaged(d, rec, off, "BGP marker is not all ones");
    uint32_t mlen = mrs_get16(b + off + 16);
    uint8_t mtype = b[off + 18];
    if (mlen < 19)
        return damaged(d, rec, off + 16, "BGP message length %u below the 19-byte minimum", mlen);
    if (mlen > len - off && len == MRT_COLLECTOR_CUT) {
        /* Zebra-era collectors (RouteViews until ~2009) wrote at most 4 096 bytes
         * of record body and cut longer UPDATEs there: a known limit of the
         * writer, not damage of the file. The message cannot be decoded. */
        d->stats.records_cut++;
        mrs_diag_warn_at(d->diag, d->name, body_offset(rec) + off + 16,
                         "BGP message of %u bytes cut at %u by the collector (4 096-byte records); skipped", mlen,
                         len - off);
        return 1;
    }
    if (mlen > len - off)
        return damaged(d, rec, off + 16, "BGP message length %u, only %u bytes in the record", mlen, len - off);
    if (mlen < len - off)
        mrs_diag_warn_at(d->diag, d->name, body_offset(rec) + off + mlen, "%u bytes after the BGP message ignored",
                         len - off - mlen);
    switch (mtype) {
    case BGP_MSG_UPDATE: {
        bgp_decode_opts opts = {asn, ev.addpath, false, true};
        return decode_update(d, rec, off + 19, mlen - 19, &opts, &ev, fn, user);
    }
    case BGP_MSG_OPEN:
    case BGP_MSG_NOTIFICATION:
    case BGP_MSG_KEEPALIVE:
    case BGP_MSG_ROUTE_REFRESH:
        d->stats.messages_other++;
        return 0;
    default:
        return damaged(d, rec, off + 18, "unknown BGP message type %u", mtype);
    }
}

/* ------------------------------------------------------ deprecated BGP type (5) */

static int decode_bgp_v1(mrt_decoder *d, const mrt_record *rec, mrt_event_fn fn, void *user)
{
    const uint8_t *b = rec->body;
    uint32_t len = rec->length;
    mrt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.rec = rec;
    ev.peer.afi = ev.local.afi = MRS_AFI_IPV4;
    ev.peer.ip_known = ev.local.ip_known = true;
    switch (rec->subtype) {
    case MRT_BGP_UPDATE: {
        if (len < 12)
            return damaged(d, rec, 0, "%u bytes", len);
        ev.peer.asn = mrs_get16(b);
        memcpy(ev.peer.ip, b + 2, 4);
        ev.local.asn = mrs_get16(b + 6);
        memcpy(ev.local.ip, b + 8, 4);
        bgp_decode_opts opts = {2, false, false, true};
        return decode_update(d, rec, 12, len - 12, &opts, &ev, fn, user);
    }
    case MRT_BGP_STATE_CHANGE:
        if (len < 10)
            return damaged(d, rec, 0, "%u bytes", len);
        ev.kind = MRT_EV_STATE;
        ev.peer.asn = mrs_get16(b);
        memcpy(ev.peer.ip, b + 2, 4);
        ev.old_state = mrs_get16(b + 6);
        ev.new_state = mrs_get16(b + 8);
        d->stats.state_changes++;
        fn(&ev, user);
        return 0;
    case MRT_BGP_OPEN:
    case MRT_BGP_NOTIFY:
    case MRT_BGP_KEEPALIVE:
        d->stats.messages_other++;
        return 0;
    default:
        d->stats.records_unsupported++;
        return 1;
    }
}

int mrt_decode(mrt_decoder *d, const mrt_record *rec, mrt_event_fn fn, void *user)
{
    d->stats.records_by_type[rec->type < 64 ? rec->type : 63]++;
    d->stats.records_by_subtype[rec->type < 64 ? rec->type : 63][rec->subtype < 15 ? rec->subtype : 15]++;
    switch (rec->type) {
    case MRT_TABLE_DUMP:
        return decode_table_dump(d, rec, fn, user);
    case MRT_TABLE_DUMP_V2:
        return decode_table_dump_v2(d, rec, fn, user);
    case MRT_BGP4MP:
    case MRT_BGP4MP_ET:
        return decode_bgp4mp(d, rec, fn, user);
    case MRT_BGP:
        return decode_bgp_v1(d, rec, fn, user);
    default:
        if (mrt_type_known(rec->type, rec->subtype)) {
            d->stats.records_unsupported++;
            return 1;
        }
        d->stats.records_unknown++;
        mrs_diag_warn_at(d->diag, d->name, rec->offset, "unknown MRT type %u subtype %u; record skipped", rec->type,
                         rec->subtype);
        return 1;
    }
}
