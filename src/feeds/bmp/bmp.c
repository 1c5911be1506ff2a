/*
 * bmp.c — BMP messages and sessions (see bmp.h; RFC 7854, RFC 9069, RFC 8671).
 */
#include "manrs/feeds/bmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/grow.h"
#include "manrs/core/io.h"
#include "manrs/core/map64.h"
#include "manrs/feeds/bgp.h"
#include "manrs/feeds/mrt_write.h"

/* BGP FSM states as MRT numbers them (RFC 6396 §4.4.1) */
#define FSM_IDLE 1
#define FSM_OPENCONFIRM 5
#define FSM_ESTABLISHED 6

static const char *const rib_names[BMP_RIBS] = {"pre-policy", "post-policy", "loc-rib", "out-pre-policy",
                                                "out-post-policy"};

const char *bmp_rib_name(bmp_rib r) { return r < BMP_RIBS ? rib_names[r] : "?"; }

bool bmp_rib_parse(const char *s, bmp_rib *r)
{
    for (unsigned i = 0; i < BMP_RIBS; i++)
        if (!strcmp(s, rib_names[i])) {
            *r = (bmp_rib)i;
            return true;
        }
    return false;
}

const char *bmp_type_name(unsigned type)
{
    static const char *const n[BMP_TYPES] = {"Route Monitoring", "Statistics Report", "Peer Down", "Peer Up",
                                             "Initiation", "Termination", "Route Mirroring"};
    return type < BMP_TYPES ? n[type] : "unknown type";
}

/* ------------------------------------------------------------------ messages */

long bmp_frame(const uint8_t *buf, size_t avail, const char **err)
{
    if (avail < 1)
        return 0;
    /* Versions 1 and 2 (drafts) had another header; nothing can be framed. */
    if (buf[0] != BMP_VERSION) {
        *err = "not BMP version 3";
        return -1;
    }
    if (avail < BMP_COMMON_HEADER)
        return 0;
    uint32_t len = mrs_get32(buf + 1);
    if (len < BMP_COMMON_HEADER) {
        *err = "message length below the 6-byte header";
        return -1;
    }
    if (len > BMP_MAX_MESSAGE) {
        *err = "message length above 1 MiB";
        return -1;
    }
    return (long)len;
}

#define FAIL(what, at)                                                                                                 \
    do {                                                                                                               \
        *err = (what);                                                                                                 \
        *pos = (uint32_t)(at);                                                                                         \
        return -1;                                                                                                     \
    } while (0)

static void peer_rib(bmp_msg *m)
{
    uint8_t f = m->peer.flags;
    if (m->peer.type == BMP_PEER_LOC_RIB)
        m->rib = BMP_RIB_LOC;
    else if (f & BMP_FLAG_O)
        m->rib = f & BMP_FLAG_L ? BMP_RIB_OUT_POST : BMP_RIB_OUT_PRE;
    else
        m->rib = f & BMP_FLAG_L ? BMP_RIB_IN_POST : BMP_RIB_IN_PRE;
}

/* An address field of 16 bytes: IPv4 in the low-order 4 (RFC 7854 §4.2). */
static void addr16(uint8_t out[16], const uint8_t *wire, bool v6)
{
    memset(out, 0, 16);
    if (v6)
        memcpy(out, wire, 16);
    else
        memcpy(out, wire + 12, 4);
}

/* A whole BGP message of the given type at p (at most avail bytes): its length. */
static int bgp_message(const uint8_t *p, uint32_t avail, uint8_t type, uint32_t *len, const char **what)
{
    static const uint8_t marker[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    if (avail < 19) {
        *what = "BGP message shorter than its 19-byte header";
        return -1;
    }
    if (memcmp(p, marker, 16)) {
        *what = "BGP message without its marker";
        return -1;
    }
    uint32_t l = mrs_get16(p + 16);
    if (l < 19 || l > avail) {
        *what = l < 19 ? "BGP message length below 19" : "BGP message runs past the BMP message";
        return -1;
    }
    if (p[18] != type) {
        *what = type == BGP_MSG_UPDATE   ? "Route Monitoring without a BGP UPDATE"
                : type == BGP_MSG_OPEN   ? "Peer Up without a BGP OPEN"
                                         : "Peer Down without a BGP NOTIFICATION";
        return -1;
    }
    *len = l;
    return 0;
}

int bmp_parse(const uint8_t *buf, size_t len, bmp_msg *m, const char **err, uint32_t *pos)
{
    memset(m, 0, sizeof *m);
    if (len < BMP_COMMON_HEADER || buf[0] != BMP_VERSION || mrs_get32(buf + 1) != len)
        FAIL("bad common header", 0);
    m->length = (uint32_t)len;
    m->type = buf[5];
    const uint8_t *p = buf + BMP_COMMON_HEADER;
    uint32_t n = (uint32_t)len - BMP_COMMON_HEADER, at = BMP_COMMON_HEADER;
    const char *what;

    switch (m->type) {
    case BMP_ROUTE_MONITORING:
    case BMP_STATISTICS:
    case BMP_PEER_DOWN:
    case BMP_PEER_UP:
    case BMP_ROUTE_MIRRORING: {
        if (n < BMP_PEER_HEADER)
            FAIL("message shorter than the per-peer header", at);
        bmp_peer_hdr *h = &m->peer;
        h->type = p[0];
        h->flags = p[1];
        if (h->type > BMP_PEER_LOC_RIB)
            FAIL("unknown peer type", at);
        memcpy(h->rd, p + 2, 8);
        bool v6 = h->type != BMP_PEER_LOC_RIB && (h->flags & BMP_FLAG_V);
        h->afi = v6 ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        addr16(h->addr, p + 10, v6);
        h->asn = mrs_get32(p + 26);
        memcpy(h->bgp_id, p + 30, 4);
        h->sec = mrs_get32(p + 34);
        h->usec = mrs_get32(p + 38);
        m->has_peer = true;
        peer_rib(m);
        p += BMP_PEER_HEADER;
        n -= BMP_PEER_HEADER;
        at += BMP_PEER_HEADER;
        break;
    }
    case BMP_INITIATION:
    case BMP_TERMINATION:
        m->tlv = p;
        m->tlv_len = n;
        m->tlv_pos = at;
        return 0;
    default:
        FAIL("unknown message type", 5);
    }

    switch (m->type) {
    case BMP_ROUTE_MONITORING:
        /* One BGP UPDATE (RFC 7854 §4.6); trailing bytes are not a second one. */
        if (bgp_message(p, n, BGP_MSG_UPDATE, &m->bgp_len, &what) < 0)
            FAIL(what, at);
        if (m->bgp_len != n)
            FAIL("bytes after the BGP UPDATE", at + m->bgp_len);
        m->bgp = p;
        return 0;
    case BMP_STATISTICS:
        if (n < 4)
            FAIL("Statistics Report without its count", at);
        m->stats_count = mrs_get32(p);
        m->tlv = p + 4;
        m->tlv_len = n - 4;
        m->tlv_pos = at + 4;
        return 0;
    case BMP_ROUTE_MIRRORING:
        m->tlv = p;
        m->tlv_len = n;
        m->tlv_pos = at;
        return 0;
    case BMP_PEER_DOWN:
        if (n < 1)
            FAIL("Peer Down without its reason", at);
        m->down_reason = p[0];
        if (m->down_reason == 1 || m->down_reason == 3) {
            if (bgp_message(p + 1, n - 1, BGP_MSG_NOTIFICATION, &m->bgp_len, &what) < 0)
                FAIL(what, at + 1);
            m->bgp = p + 1;
        } else if (m->down_reason == 2) {
            if (n < 3)
                FAIL("Peer Down (reason 2) without its FSM event code", at + 1);
            m->down_fsm = mrs_get16(p + 1);
        }
        /* reasons 4, 5, 6 (RFC 9069 §5.4: TLVs) and unknown ones: the peer is down all the same */
        return 0;
    case BMP_PEER_UP: {
        if (n < 20)
            FAIL("Peer Up shorter than its addresses and ports", at);
        bool v6 = m->peer.afi == MRS_AFI_IPV6;
        m->local_afi = m->peer.afi;
        addr16(m->local_addr, p, v6);
        m->local_port = mrs_get16(p + 16);
        m->remote_port = mrs_get16(p + 18);
        p += 20;
        n -= 20;
        at += 20;
        if (bgp_message(p, n, BGP_MSG_OPEN, &m->sent_open_len, &what) < 0)
            FAIL(what, at);
        m->sent_open = p;
        p += m->sent_open_len;
        n -= m->sent_open_len;
        at += m->sent_open_len;
        if (bgp_message(p, n, BGP_MSG_OPEN, &m->recv_open_len, &what) < 0)
            FAIL(what, at);
        m->recv_open = p;
        m->tlv = p + m->recv_open_len;
        m->tlv_len = n - m->recv_open_len;
        m->tlv_pos = at + m->recv_open_len;
        return 0;
    }
    }
    FAIL("unknown message type", 5);
}

int bmp_tlv_next(const uint8_t *p, uint32_t len, uint32_t *off, uint16_t *type, uint16_t *tlen,
                 const uint8_t **val)
{
    if (*off >= len)
        return 0;
    if (len - *off < 4)
        return -1;
    uint16_t l = mrs_get16(p + *off + 2);
    if (len - *off - 4 < l)
        return -1;
    *type = mrs_get16(p + *off);
    *tlen = l;
    *val = p + *off + 4;
    *off += 4u + l;
    return 1;
}

/* Capabilities (RFC 5492) in one Capabilities optional parameter. */
static int open_caps(const uint8_t *c, uint32_t n, uint32_t base, bgp_open_info *o, const char **err,
                     uint32_t *pos)
{
    uint32_t i = 0;
    while (i < n) {
        if (n - i < 2 || n - i - 2 < c[i + 1])
            FAIL("capability runs past its parameter", base + i);
        uint8_t code = c[i], cl = c[i + 1];
        const uint8_t *v = c + i + 2;
        if (code == 65) {               /* 4-octet AS number, RFC 6793 §3 */
            if (cl != 4)
                FAIL("4-octet AS capability of a length other than 4", base + i);
            o->as4 = true;
            o->asn = mrs_get32(v);
        } else if (code == 69) {        /* ADD-PATH, RFC 7911 §4 */
            if (cl % 4)
                FAIL("ADD-PATH capability of a length not a multiple of 4", base + i);
            for (unsigned k = 0; k < cl; k += 4) {
                uint16_t afi = mrs_get16(v + k);
                uint8_t safi = v[k + 2];
                if (afi >= 1 && afi <= 2 && safi >= 1 && safi <= 2)
                    o->addpath[afi - 1][safi - 1] = v[k + 3] & 3;
            }
        }
        i += 2u + cl;
    }
    return 0;
}

int bgp_open_parse(const uint8_t *msg, uint32_t len, bgp_open_info *o, const char **err, uint32_t *pos)
{
    memset(o, 0, sizeof *o);
    if (len < 29)
        FAIL("BGP OPEN shorter than 29 bytes", 0);
    if (msg[19] != 4)
        FAIL("BGP OPEN of a version other than 4", 19);
    o->asn = mrs_get16(msg + 20);
    memcpy(o->bgp_id, msg + 24, 4);
    uint32_t plen = msg[28], at = 29;
    bool ext = false;
    /* RFC 9072 §2: a length of 255 followed by type 255 announces 2-byte lengths. */
    if (plen == 255 && len >= 32 && msg[29] == 255) {
        ext = true;
        plen = mrs_get16(msg + 30);
        at = 32;
    }
    if (plen > len - at)
        FAIL("BGP OPEN optional parameters run past the message", 28);
    uint32_t end = at + plen;
    uint32_t as2 = o->asn;
    while (at < end) {
        uint32_t hl = ext ? 3 : 2;
        if (end - at < hl)
            FAIL("BGP OPEN optional parameter cut", at);
        uint8_t type = msg[at];
        uint32_t l = ext ? mrs_get16(msg + at + 1) : msg[at + 1];
        if (end - at - hl < l)
            FAIL("BGP OPEN optional parameter runs past the parameters", at);
        if (type == 2 && open_caps(msg + at + hl, l, at + hl, o, err, pos) < 0)
            return -1;
        at += hl + l;
    }
    if (!o->as4)
        o->asn = as2;
    return 0;
}

/* ------------------------------------------------------------------ sessions */

/* A peer of the monitored router, as a Peer Up described it. */
typedef struct peer_key {
    uint8_t type, pad;              /* peer type; one BGP session shows Adj-RIB-In and -Out */
    uint16_t afi;
    uint8_t rd[8];
    uint8_t addr[16];
} peer_key;

typedef struct bmp_peer {
    peer_key key;
    bool up;
    uint32_t asn, local_as;
    uint8_t local_addr[16];
    uint8_t bgp_id[4];
    uint8_t addpath[2][2][2];       /* [in/out][AFI][SAFI]: path ids present in its updates */
} bmp_peer;

struct bmp_session {
    char *name;
    mrs_diag *diag;
    bool peer_time;
    uint8_t *buf;                   /* an unfinished message */
    size_t len, cap;
    uint64_t offset;                /* stream offset of buf[0] */
    bool dead;
    bmp_peer *peers;
    size_t npeers, peers_cap;
    mrs_map64 index;                /* hash of peer_key -> peers[] index */
    bool warned_unknown;
    uint32_t last_sec, last_usec;   /* of the last record */
    char sysname[128];
    mrs_bytes body;
    bmp_session_stats st;
};

bmp_session *bmp_session_new(const char *name, mrs_diag *diag, bool peer_time)
{
    bmp_session *s = calloc(1, sizeof *s);
    if (!s || !(s->name = strdup(name)) || mrs_map64_init(&s->index) < 0) {
        if (s)
            free(s->name);
        free(s);
        return NULL;
    }
    s->diag = diag;
    s->peer_time = peer_time;
    mrs_bytes_init(&s->body);
    return s;
}

void bmp_session_free(bmp_session *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->buf);
    free(s->peers);
    mrs_map64_clear(&s->index);
    mrs_bytes_clear(&s->body);
    free(s);
}

const bmp_session_stats *bmp_session_get_stats(const bmp_session *s) { return &s->st; }
const char *bmp_session_sysname(const bmp_session *s) { return s->sysname; }
size_t bmp_session_pending(const bmp_session *s) { return s->len; }

static peer_key key_of(const bmp_peer_hdr *h)
{
    peer_key k;
    memset(&k, 0, sizeof k);
    k.type = h->type;
    k.afi = h->afi;
    memcpy(k.rd, h->rd, 8);
    if (h->type != BMP_PEER_LOC_RIB)
        memcpy(k.addr, h->addr, 16);
    return k;
}

/* The peer of key k; with create, added (down) when absent. NULL: absent, or out of memory. */
static bmp_peer *peer_find(bmp_session *s, const peer_key *k, bool create)
{
    for (uint64_t seed = 0;; seed++) {
        uint64_t h = mrs_map64_key_bytes(k, sizeof *k, seed);
        uint32_t *v = mrs_map64_get(&s->index, h);
        if (v) {
            if (!memcmp(&s->peers[*v].key, k, sizeof *k))
                return &s->peers[*v];
            continue;           /* another peer's hash: probe with the next seed */
        }
        if (!create)
            return NULL;
        bmp_peer *np = mrs_grow(s->peers, &s->peers_cap, s->npeers + 1, sizeof *np, 16);
        if (!np)
            return NULL;
        s->peers = np;
        bool found;
        uint32_t *slot = mrs_map64_put(&s->index, h, &found);
        if (!slot)
            return NULL;
        *slot = (uint32_t)s->npeers;
        bmp_peer *p = &s->peers[s->npeers++];
        memset(p, 0, sizeof *p);
        p->key = *k;
        return p;
    }
}

static void report(bmp_session *s, uint64_t at, bool error, const char *what)
{
    if (error)
        mrs_diag_error_at(s->diag, s->name, at, "%s", what);
    else
        mrs_diag_warn_at(s->diag, s->name, at, "%s", what);
}

/* The record's peer and local addresses: Loc-RIB has none, the router's BGP
 * Identifier stands in (bmp.h). */
static void record_ends(const bmp_msg *m, const bmp_peer *p, uint8_t peer_ip[16], uint8_t local_ip[16],
                        uint32_t *peer_as, uint32_t *local_as, unsigned *afi)
{
    memset(peer_ip, 0, 16);
    memset(local_ip, 0, 16);
    if (m->peer.type == BMP_PEER_LOC_RIB) {
        memcpy(peer_ip, m->peer.bgp_id, 4);
        memcpy(local_ip, m->peer.bgp_id, 4);
        *afi = MRS_AFI_IPV4;
        *peer_as = *local_as = m->peer.asn;
        return;
    }
    memcpy(peer_ip, m->peer.addr, 16);
    if (p)
        memcpy(local_ip, p->local_addr, 16);
    *afi = m->peer.afi;
    *peer_as = m->peer.asn;
    *local_as = p ? p->local_as : 0;
}

static unsigned ribs_of(const bmp_msg *m)
{
    return m->peer.type == BMP_PEER_LOC_RIB ? 1u << BMP_RIB_LOC : BMP_RIBS_ADJ;
}

static void emit(bmp_session *s, const bmp_msg *m, unsigned ribs, uint64_t at, uint16_t subtype, uint32_t sec,
                 uint32_t usec, bmp_record_fn fn, void *user)
{
    if (s->body.oom) {
        report(s, at, true, "out of memory: message skipped");
        s->st.skipped++;
        mrs_bytes_clear(&s->body);
        return;
    }
    if (s->peer_time && m->peer.sec) {
        sec = m->peer.sec;
        usec = m->peer.usec < 1000000 ? m->peer.usec : 0;
    }
    s->last_sec = sec;
    s->last_usec = usec;
    mrt_record rec = {at, sec, usec, MRT_BGP4MP_ET, subtype, (uint32_t)s->body.len, s->body.p};
    s->st.records++;
    fn(&rec, ribs, user);
}

static void emit_state(bmp_session *s, const bmp_msg *m, const bmp_peer *p, uint64_t at, uint16_t from,
                       uint16_t to, uint32_t sec, uint32_t usec, bmp_record_fn fn, void *user)
{
    uint8_t pip[16], lip[16];
    uint32_t pas, las;
    unsigned afi;
    record_ends(m, p, pip, lip, &pas, &las, &afi);
    s->body.len = 0;
    mrt_put_bgp4mp_state(&s->body, pas, las, afi, pip, lip, from, to);
    emit(s, m, ribs_of(m), at, MRT_BGP4MP_STATE_CHANGE_AS4, sec, usec, fn, user);
}

/* Does an UPDATE carry path identifiers for a family the peer negotiated ADD-PATH
 * for? The classic fields are IPv4 unicast; MP_(UN)REACH_NLRI name their own. */
static bool update_addpath(const uint8_t *msg, uint32_t len, const uint8_t addpath[2][2])
{
    uint32_t wl = mrs_get16(msg + 19);
    if (19u + 2 + wl + 2 > len)
        return false;
    uint32_t al = mrs_get16(msg + 21 + wl);
    const uint8_t *a = msg + 23 + wl;
    if (23u + wl + al > len)
        return false;
    bool classic = wl || 23u + wl + al < len;
    if (classic && addpath[0][0])
        return true;
    for (uint32_t i = 0; i + 3 <= al;) {
        uint8_t flags = a[i], type = a[i + 1];
        uint32_t hl = flags & BGP_ATTR_FLAG_EXTLEN ? 4 : 3;
        if (i + hl > al)
            break;
        uint32_t l = hl == 4 ? mrs_get16(a + i + 2) : a[i + 2];
        if (i + hl + l > al)
            break;
        if ((type == BGP_ATTR_MP_REACH_NLRI || type == BGP_ATTR_MP_UNREACH_NLRI) && l >= 3) {
            uint16_t afi = mrs_get16(a + i + hl);
            uint8_t safi = a[i + hl + 2];
            if (afi >= 1 && afi <= 2 && safi >= 1 && safi <= 2 && addpath[afi - 1][safi - 1])
                return true;
        }
        i += hl + l;
    }
    return false;
}

static void on_route_monitoring(bmp_session *s, const bmp_msg *m, uint64_t at, uint32_t sec, uint32_t usec,
                                bmp_record_fn fn, void *user)
{
    peer_key k = key_of(&m->peer);
    bmp_peer *p = peer_find(s, &k, false);
    if (!p || !p->up) {
        /* RFC 7854 §4.10: Peer Up comes first; without it the session's ADD-PATH
         * state is unknown. Recorded all the same (no path ids assumed), once said. */
        s->st.unknown_peer++;
        if (!s->warned_unknown) {
            s->warned_unknown = true;
            report(s, at, false, "Route Monitoring for a peer not reported up (no Peer Up): no ADD-PATH assumed");
        }
    }
    s->st.by_rib[m->rib]++;
    bool as4 = m->peer.type == BMP_PEER_LOC_RIB || !(m->peer.flags & BMP_FLAG_A);
    bool out = m->rib == BMP_RIB_OUT_PRE || m->rib == BMP_RIB_OUT_POST;
    bool addpath = p && update_addpath(m->bgp, m->bgp_len, (const uint8_t(*)[2])p->addpath[out]);
    uint8_t pip[16], lip[16];
    uint32_t pas, las;
    unsigned afi;
    record_ends(m, p, pip, lip, &pas, &las, &afi);
    s->body.len = 0;
    if (!as4) {
        /* 2-octet session: the MRT record's AS fields are 2 octets too. */
        pas = pas > 0xffff ? BGP_AS_TRANS : pas;
        las = las > 0xffff ? BGP_AS_TRANS : las;
    }
    mrt_put_bgp4mp_message(&s->body, pas, las, afi, pip, lip, m->bgp, m->bgp_len, as4);
    uint16_t sub = as4 ? (addpath ? MRT_BGP4MP_MESSAGE_AS4_ADDPATH : MRT_BGP4MP_MESSAGE_AS4)
                       : (addpath ? MRT_BGP4MP_MESSAGE_ADDPATH : MRT_BGP4MP_MESSAGE);
    emit(s, m, 1u << m->rib, at, sub, sec, usec, fn, user);
}

static void on_peer_up(bmp_session *s, const bmp_msg *m, uint64_t at, uint32_t sec, uint32_t usec, bmp_record_fn fn,
                       void *user)
{
    bgp_open_info sent, recv;
    const char *err;
    uint32_t pos;
    if (bgp_open_parse(m->sent_open, m->sent_open_len, &sent, &err, &pos) < 0) {
        report(s, at + BMP_COMMON_HEADER + BMP_PEER_HEADER + 20 + pos, true, err);
        s->st.skipped++;
        return;
    }
    if (bgp_open_parse(m->recv_open, m->recv_open_len, &recv, &err, &pos) < 0) {
        report(s, at + BMP_COMMON_HEADER + BMP_PEER_HEADER + 20 + m->sent_open_len + pos, true, err);
        s->st.skipped++;
        return;
    }
    peer_key k = key_of(&m->peer);
    bmp_peer *p = peer_find(s, &k, true);
    if (!p) {
        report(s, at, true, "out of memory: Peer Up skipped");
        s->st.skipped++;
        return;
    }
    bool was_up = p->up;
    p->up = true;
    p->asn = m->peer.asn;
    p->local_as = sent.asn;
    memcpy(p->local_addr, m->local_addr, 16);
    memcpy(p->bgp_id, m->peer.bgp_id, 4);
    /* Path ids flow from the sender to the receiver: into Adj-RIB-In when the
     * peer may send and the router receive (RFC 7911 §4), out of Adj-RIB-Out the
     * other way round; a Loc-RIB's OPENs are made up by the router (RFC 9069 §5.2),
     * either one says. */
    for (int a = 0; a < 2; a++)
        for (int f = 0; f < 2; f++) {
            uint8_t rs = recv.addpath[a][f], ss = sent.addpath[a][f];
            bool loc = m->peer.type == BMP_PEER_LOC_RIB;
            p->addpath[0][a][f] = loc ? (rs | ss) != 0 : (rs & 2) && (ss & 1);
            p->addpath[1][a][f] = loc ? (rs | ss) != 0 : (ss & 2) && (rs & 1);
        }
    if (!was_up)
        s->st.peers_up++;
    emit_state(s, m, p, at, FSM_OPENCONFIRM, FSM_ESTABLISHED, sec, usec, fn, user);
}

static void on_peer_down(bmp_session *s, const bmp_msg *m, uint64_t at, uint32_t sec, uint32_t usec,
                         bmp_record_fn fn, void *user)
{
    peer_key k = key_of(&m->peer);
    bmp_peer *p = peer_find(s, &k, false);
    if (!p || !p->up) {
        report(s, at, false, "Peer Down for a peer not reported up");
        return;
    }
    p->up = false;
    s->st.peers_up--;
    emit_state(s, m, p, at, FSM_ESTABLISHED, FSM_IDLE, sec, usec, fn, user);
}

static void on_initiation(bmp_session *s, const bmp_msg *m, uint64_t at)
{
    uint32_t off = 0;
    uint16_t t, l;
    const uint8_t *v;
    int r;
    while ((r = bmp_tlv_next(m->tlv, m->tlv_len, &off, &t, &l, &v)) == 1)
        if (t == 2)             /* sysName (RFC 7854 §4.4) */
            mrs_text_safe(s->sysname, sizeof s->sysname, (const char *)v, l);
    if (r < 0)
        report(s, at + m->tlv_pos + off, false, "Initiation information TLV runs past the message");
}

static void on_message(bmp_session *s, const uint8_t *msg, uint32_t len, uint32_t sec, uint32_t usec,
                       bmp_record_fn fn, void *user)
{
    bmp_msg m;
    const char *err;
    uint32_t pos;
    uint64_t at = s->offset;
    s->st.messages++;
    s->st.by_type[msg[5] < BMP_TYPES ? msg[5] : BMP_TYPES]++;
    char what[160];
    if (msg[5] >= BMP_TYPES) {
        /* a type of a later RFC, or experimental (251-254): framed, not understood */
        snprintf(what, sizeof what, "message of unknown type %u skipped (%u bytes)", msg[5], len);
        report(s, at + 5, false, what);
        return;
    }
    if (bmp_parse(msg, len, &m, &err, &pos) < 0) {
        snprintf(what, sizeof what, "%s: %s (%u-byte message skipped)", bmp_type_name(msg[5]), err, len);
        report(s, at + pos, true, what);
        s->st.skipped++;
        return;
    }
    switch (m.type) {
    case BMP_ROUTE_MONITORING:
        on_route_monitoring(s, &m, at, sec, usec, fn, user);
        break;
    case BMP_PEER_UP:
        on_peer_up(s, &m, at, sec, usec, fn, user);
        break;
    case BMP_PEER_DOWN:
        on_peer_down(s, &m, at, sec, usec, fn, user);
        break;
    case BMP_INITIATION:
        on_initiation(s, &m, at);
        break;
    default:
        break;
    }
}

static int stream_broken(bmp_session *s, const char *err)
{
    char what[160];
    snprintf(what, sizeof what, "%s: the stream cannot be framed any further", err);
    report(s, s->offset, true, what);
    s->dead = true;
    s->len = 0;
    return -1;
}

/* Keep n more bytes of an unfinished message. */
static int hold(bmp_session *s, const uint8_t *data, size_t n)
{
    uint8_t *nb = mrs_grow(s->buf, &s->cap, s->len + n, 1, 256);
    if (!nb) {
        report(s, s->offset, true, "out of memory: stream closed");
        s->dead = true;
        return -1;
    }
    s->buf = nb;
    memcpy(s->buf + s->len, data, n);
    s->len += n;
    return 0;
}

int bmp_session_input(bmp_session *s, const uint8_t *data, size_t len, uint32_t sec, uint32_t usec,
                      bmp_record_fn fn, void *user)
{
    if (s->dead)
        return -1;
    s->st.bytes += len;
    const char *err = NULL;
    /* First complete a message held from earlier input: its header, then the rest. */
    while (s->len && len) {
        long need = bmp_frame(s->buf, s->len, &err);
        if (need < 0)
            return stream_broken(s, err);
        size_t want = need ? (size_t)need : BMP_COMMON_HEADER;
        size_t take = want - s->len < len ? want - s->len : len;
        if (hold(s, data, take) < 0)
            return -1;
        data += take;
        len -= take;
        need = bmp_frame(s->buf, s->len, &err);
        if (need < 0)
            return stream_broken(s, err);
        if (need && s->len == (size_t)need) {
            on_message(s, s->buf, (uint32_t)need, sec, usec, fn, user);
            s->offset += (uint64_t)need;
            s->len = 0;
        }
    }
    /* Then whole messages straight from the input; a partial one is held. */
    while (len) {
        long need = bmp_frame(data, len, &err);
        if (need < 0)
            return stream_broken(s, err);
        if (!need || len < (size_t)need)
            return hold(s, data, len);
        on_message(s, data, (uint32_t)need, sec, usec, fn, user);
        s->offset += (uint64_t)need;
        data += need;
        len -= (size_t)need;
    }
    return 0;
}

void bmp_session_end(bmp_session *s, uint32_t sec, uint32_t usec, bmp_record_fn fn, void *user)
{
    if (s->peer_time) {
        /* a recording: it ended when its last message was stamped */
        sec = s->last_sec;
        usec = s->last_usec;
    }
    if (s->len) {
        char what[96];
        snprintf(what, sizeof what, "stream ended inside a message (%zu bytes of it)", s->len);
        report(s, s->offset, true, what);
        s->len = 0;
    }
    for (size_t i = 0; i < s->npeers; i++) {
        bmp_peer *p = &s->peers[i];
        if (!p->up)
            continue;
        bmp_msg m;
        memset(&m, 0, sizeof m);
        m.has_peer = true;
        m.peer.type = p->key.type;
        m.peer.flags = p->key.afi == MRS_AFI_IPV6 ? BMP_FLAG_V : 0;
        m.peer.afi = p->key.afi;
        memcpy(m.peer.rd, p->key.rd, 8);
        memcpy(m.peer.addr, p->key.addr, 16);
        memcpy(m.peer.bgp_id, p->bgp_id, 4);
        m.peer.asn = p->asn;
        peer_rib(&m);
        p->up = false;
        s->st.peers_up--;
        emit_state(s, &m, p, s->offset, FSM_ESTABLISHED, FSM_IDLE, sec, usec, fn, user);
    }
}

/* ------------------------------------------------------------------ files */

typedef struct scan_ctx {
    unsigned ribs;
    mrt_decoder *d;
    mrt_event_fn fn;
    void *user;
} scan_ctx;

static void scan_record(const mrt_record *rec, unsigned ribs, void *user)
{
    scan_ctx *c = user;
    if (ribs & c->ribs)
        mrt_decode(c->d, rec, c->fn, c->user);
}

bool mrs_bmp_scan(const char *path, unsigned ribs, mrt_decoder *d, mrs_diag *diag, mrt_event_fn fn, void *user,
                  bmp_session_stats *st)
{
    memset(st, 0, sizeof *st);
    char err[512];
    mrs_reader *r = mrs_reader_open_why(path, err, sizeof err);
    if (!r) {
        mrs_diag_error_file(diag, path, "%s", err);
        return false;
    }
    const char *name = mrs_reader_name(r);
    bmp_session *s = bmp_session_new(name, diag, true);
    if (!s) {
        mrs_diag_error_file(diag, name, "out of memory");
        mrs_reader_close(r);
        return false;
    }
    mrt_decoder_begin_file(d, name);
    scan_ctx c = {ribs ? ribs : (1u << BMP_RIBS) - 1, d, fn, user};
    uint8_t buf[65536];
    size_t n;
    while ((n = mrs_read(r, buf, sizeof buf)) > 0)
        if (bmp_session_input(s, buf, n, 0, 0, scan_record, &c) < 0)
            break;
    if (mrs_reader_error(r))
        mrs_diag_error_file(diag, name, "%s", mrs_reader_errmsg(r));
    else if (!s->st.bytes)
        mrs_diag_error_file(diag, name, "no records");
    bmp_session_end(s, 0, 0, scan_record, &c);
    *st = s->st;
    bmp_session_free(s);
    mrs_reader_close(r);
    return true;
}
