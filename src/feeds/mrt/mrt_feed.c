/*
 * mrt_feed.c — MRT files as a feed of neutral route events (route_event.h): the
 * decoder's mrt_event (record types, BGP attribute bytes) becomes the event every
 * consumer above the feeds reads. The AS path is converted into 32-bit words per
 * event (a merged AS4 path lives in the decoder's scratch buffer, so the same
 * pointer may hold another path at the next entry: no caching by address).
 */
#include "manrs/feeds/mrt_feed.h"

#include "manrs/core/io.h"

#include <stdlib.h>
#include <string.h>

/* The effective path (bgp.h: 4-byte ASNs, segments validated by the decoder) has at
 * most len / 2 segments + ASNs: one word each. */
#define MAX_PATH_WORDS ((4u * 65536u + 1024u) / 2u + 1u)

static uint32_t path_words(const uint8_t *path, uint32_t len, uint32_t *out)
{
    uint32_t off = 0, n = 0;
    bgp_path_seg s;
    while (bgp_path_next_seg(path, len, 4, &off, &s) == 1) {
        out[n++] = MRS_SEG_HEADER(s.type, s.count);
        for (unsigned i = 0; i < s.count; i++)
            out[n++] = bgp_seg_asn(&s, i, 4);
    }
    return n;
}

int mrs_mrt_feed_init(mrs_mrt_feed *f, const char *name, mrs_route_event_fn fn, void *user)
{
    f->fn = fn;
    f->user = user;
    f->name = name;
    f->words = malloc(MAX_PATH_WORDS * sizeof *f->words);
    return f->words ? 0 : -1;
}

void mrs_mrt_feed_clear(mrs_mrt_feed *f)
{
    free(f->words);
    f->words = NULL;
}

void mrs_mrt_feed_event(const mrt_event *ev, void *feed)
{
    mrs_mrt_feed *c = feed;
    mrs_route_event re;
    memset(&re, 0, sizeof re);
    re.time = ev->rec->timestamp;
    re.peer.afi = ev->peer.afi;
    memcpy(re.peer.ip, ev->peer.ip, 16);
    re.peer.asn = ev->peer.asn;
    re.peer_known = ev->peer.ip_known;
    re.safi = ev->safi;
    re.source = c->name;
    re.offset = ev->rec->offset;
    switch (ev->kind) {
    case MRT_EV_STATE:
        re.kind = MRS_RE_PEER_STATE;
        re.old_state = ev->old_state;
        re.new_state = ev->new_state;
        break;
    case MRT_EV_WITHDRAW: re.kind = MRS_RE_WITHDRAW; break;
    case MRT_EV_RIB:
    case MRT_EV_ANNOUNCE: {
        re.kind = ev->kind == MRT_EV_RIB ? MRS_RE_RIB : MRS_RE_ANNOUNCE;
        const bgp_attrs *a = ev->attrs;
        if (a && a->path) {
            re.path.w = c->words;
            re.path.n = path_words(a->path, a->path_len, c->words);
        }
        if (a && bgp_attr_has(a, BGP_ATTR_OTC)) {
            re.has_otc = true;
            re.otc = a->otc;
        }
        for (uint32_t i = 0; a && i < a->n_communities && !re.blackhole; i++) {
            const uint8_t *cm = a->communities + 4 * i;
            re.blackhole = ((uint32_t)cm[0] << 24 | (uint32_t)cm[1] << 16 | (uint32_t)cm[2] << 8 | cm[3]) ==
                           MRS_COMMUNITY_BLACKHOLE;
        }
        break;
    }
    default: return;
    }
    if (re.kind != MRS_RE_PEER_STATE) {
        re.prefix = ev->prefix.pfx;
        re.host_bits = ev->prefix.host_bits;
        re.path_id = ev->addpath ? ev->prefix.path_id : 0;
    }
    c->fn(&re, c->user);
}

bool mrs_mrt_feed_file(const char *path, mrt_decoder *d, mrs_diag *diag, bool progress, mrs_route_event_fn fn,
                       void *user, mrt_scan_result *res)
{
    mrs_mrt_feed f;
    if (mrs_mrt_feed_init(&f, path, fn, user) != 0) {
        memset(res, 0, sizeof *res);
        mrs_diag_error_file(diag, path, "out of memory");
        return false;
    }
    bool ok = mrt_scan_file(path, d, diag, progress, mrs_mrt_feed_event, &f, res);
    mrs_mrt_feed_clear(&f);
    return ok;
}

int64_t mrs_mrt_feed_path(const char *path, mrs_diag *diag, bool progress, mrs_route_event_fn fn, void *user)
{
    mrt_decoder *dec = mrt_decoder_new(diag);
    if (!dec) {
        mrs_diag_error_file(diag, path, "out of memory");
        return -1;
    }
    mrt_decoder_begin_file(dec, path);
    mrt_scan_result res;
    memset(&res, 0, sizeof res);
    bool ok = mrs_mrt_feed_file(path, dec, diag, progress, fn, user, &res);
    mrt_decoder_free(dec);
    return ok ? (int64_t)res.records : -1;
}

bool mrs_mrt_file_first_time(const char *path, uint32_t *t)
{
    bool rib;
    return mrs_mrt_file_peek(path, t, &rib);
}

bool mrs_mrt_file_peek(const char *path, uint32_t *t, bool *rib)
{
    if (!strcmp(path, "-"))
        return false;
    char err[128];
    mrs_reader *r = mrs_reader_open(path, err, sizeof err);
    if (!r)
        return false;
    uint8_t h[12];
    bool ok = mrs_read(r, h, sizeof h) == sizeof h;
    mrs_reader_close(r);
    if (ok) {
        *t = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
        uint16_t type = (uint16_t)(h[4] << 8 | h[5]);
        *rib = type == MRT_TABLE_DUMP || type == MRT_TABLE_DUMP_V2;
    }
    return ok;
}
