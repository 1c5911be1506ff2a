/*
 * ris_live.c — RIS Live JSON lines as MRT events (see ris_live.h): each message
 * becomes an in-memory BGP4MP_ET record (RFC 6396 §4.4) decoded by the one MRT /
 * BGP decoder, so that a RIS Live feed and an MRT file of the same routes give
 * the same events.
 */
#include "manrs/feeds/ris_live.h"
#include "manrs/core/io.h"
#include "manrs/feeds/mrt_feed.h"
#include "manrs/feeds/mrt_write.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RIS_AS 12654            /* the collectors' AS: the local side of every RIS session */
#define MAX_PATH 1024
#define MAX_PREFIXES 4096       /* per announcement / withdrawal list of one message */

#define BAD(...)                                                                                                       \
    do {                                                                                                               \
        mrs_diag_error_line(diag, name, lineno, __VA_ARGS__);                                                          \
        st->malformed++;                                                                                               \
        goto out;                                                                                                      \
    } while (0)

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Hex text to bytes (appended to b). false if not hex. */
static bool unhex(const char *s, size_t n, mrs_bytes *b)
{
    if (n % 2)
        return false;
    for (size_t i = 0; i < n; i += 2) {
        int h = hexval(s[i]), l = hexval(s[i + 1]);
        if (h < 0 || l < 0)
            return false;
        mrs_bytes_u8(b, (uint8_t)(h << 4 | l));
    }
    return !b->oom;
}

static bool parse_ip(const char *s, unsigned *afi, uint8_t out[16])
{
    return s && mrs_ip_parse(s, strlen(s), afi, out);
}

static bool json_asn(const json_t *j, uint32_t *asn)
{
    if (json_is_integer(j) && json_integer_value(j) >= 0 && json_integer_value(j) <= UINT32_MAX) {
        *asn = (uint32_t)json_integer_value(j);
        return true;
    }
    const char *s = json_string_value(j);
    return s && mrs_asn_parse(s, strlen(s), asn);
}

/* Prefixes of a JSON array into out (at most max). false on a bad one. */
static bool prefixes(const json_t *arr, mrs_prefix *out, unsigned max, unsigned *n, const char **bad)
{
    size_t i;
    json_t *v;
    *n = 0;
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        if (!s || *n == max || !mrs_prefix_parse(s, strlen(s), &out[*n], false)) {
            *bad = s ? s : "(not a string)";
            return false;
        }
        (*n)++;
    }
    return true;
}

typedef struct emit_ctx {
    mrt_decoder *d;
    mrt_event_fn fn;
    void *user;
    uint32_t ts, usec;
    uint64_t offset;
} emit_ctx;

/* Decode one BGP4MP_ET body. */
static void emit(emit_ctx *e, uint16_t subtype, const mrs_bytes *body)
{
    mrt_record rec = {e->offset, e->ts, e->usec, MRT_BGP4MP_ET, subtype, (uint32_t)body->len, body->p};
    mrt_decode(e->d, &rec, e->fn, e->user);
}

int mrs_ris_live_line(const char *line, size_t len, const char *name, uint64_t lineno, uint64_t offset,
                      mrt_decoder *d, mrs_diag *diag, mrt_event_fn fn, void *user, mrs_ris_live_stats *st)
{
    int rc = -1;
    mrs_bytes msg, body;
    mrs_bytes_init(&msg);
    mrs_bytes_init(&body);
    mrs_prefix *ann = NULL, *wd = NULL;
    json_error_t je;
    json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        BAD("not JSON: %s (column %d)", je.text, je.column);
    const char *type = json_string_value(json_object_get(root, "type"));
    json_t *data = json_object_get(root, "data");
    if (!type || !json_is_object(data))
        BAD("not a RIS Live message (no \"type\" and \"data\" object)");
    if (!strcmp(type, "ris_error")) {
        const char *m = json_string_value(json_object_get(data, "message"));
        mrs_diag_warn_line(diag, name, lineno, "RIS Live error: %s", m ? m : "(no message)");
        st->ris_errors++;
        rc = 0;
        goto out;
    }
    if (strcmp(type, "ris_message") != 0) {   /* pong, ris_subscribe_ok, ...: not routing */
        st->other++;
        rc = 0;
        goto out;
    }
    const char *mtype = json_string_value(json_object_get(data, "type"));
    json_t *tsj = json_object_get(data, "timestamp");
    if (!mtype || !json_is_number(tsj))
        BAD("ris_message without \"type\" or \"timestamp\"");
    double ts = json_number_value(tsj);
    if (!(ts >= 0 && ts < 4294967296.0))
        BAD("timestamp %.3f out of range", ts);
    emit_ctx e = {d, fn, user, (uint32_t)ts, (uint32_t)((ts - (double)(uint32_t)ts) * 1e6 + 0.5), offset};
    if (e.usec >= 1000000u)
        e.usec = 999999;
    const char *peer = json_string_value(json_object_get(data, "peer"));
    unsigned afi;
    uint8_t pip[16] = {0}, lip[16] = {0};
    uint32_t pas;
    if (!parse_ip(peer, &afi, pip) || !json_asn(json_object_get(data, "peer_asn"), &pas))
        BAD("%s message without a valid \"peer\" and \"peer_asn\"", mtype);
    if (!strcmp(mtype, "RIS_PEER_STATE")) {
        const char *state = json_string_value(json_object_get(data, "state"));
        if (!state)
            BAD("RIS_PEER_STATE without \"state\"");
        bool down = !strcmp(state, "down");
        if (!down && strcmp(state, "connected") && strcmp(state, "up"))
            BAD("RIS_PEER_STATE \"%s\" (expected down or connected)", state);
        /* RFC 4271 §8.2.2 numbering: Established (6) lost, or reached */
        mrt_put_bgp4mp_state(&body, pas, RIS_AS, afi, pip, lip, down ? 6 : 1, down ? 1 : 6);
        st->peer_states++;
        emit(&e, MRT_BGP4MP_STATE_CHANGE_AS4, &body);
        rc = 0;
        goto out;
    }
    if (strcmp(mtype, "UPDATE") != 0) {
        st->other++;
        rc = 0;
        goto out;
    }
    st->updates++;
    const char *raw = json_string_value(json_object_get(data, "raw"));
    if (raw) {
        /* the message as the peer sent it: marker, length, type, body */
        if (!unhex(raw, strlen(raw), &msg) || msg.len < 19 || msg.p[18] != 2 ||
            (size_t)(msg.p[16] << 8 | msg.p[17]) != msg.len)
            BAD("UPDATE whose \"raw\" is not one BGP UPDATE message in hex");
        st->updates_raw++;
        mrt_put_bgp4mp_message(&body, pas, RIS_AS, afi, pip, lip, msg.p, msg.len, true);
        emit(&e, MRT_BGP4MP_MESSAGE_AS4, &body);
        rc = 0;
        goto out;
    }
    /* no raw: an UPDATE encoded from the fields, one per announcement (next hop) */
    uint32_t path[MAX_PATH], set[MAX_PATH];
    unsigned np = 0, ns = 0;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(data, "path"), i, v) {
        if (ns)
            BAD("an AS_SET inside the path: only \"raw\" can say it");
        if (json_is_array(v)) {
            size_t k;
            json_t *x;
            json_array_foreach(v, k, x) if (ns == MAX_PATH || !json_asn(x, &set[ns++]))
                BAD("bad AS_SET member in \"path\"");
        } else if (np == MAX_PATH || !json_asn(v, &path[np++])) {
            BAD("bad AS number in \"path\"");
        }
    }
    const char *origin = json_string_value(json_object_get(data, "origin"));
    uint32_t comm[256];
    unsigned nc = 0;
    json_array_foreach(json_object_get(data, "community"), i, v) {
        uint32_t a, b;
        if (nc == 256 || !json_is_array(v) || !json_asn(json_array_get(v, 0), &a) ||
            !json_asn(json_array_get(v, 1), &b) || a > 65535 || b > 65535)
            BAD("bad community in \"community\"");
        comm[nc++] = a << 16 | b;
    }
    ann = malloc(MAX_PREFIXES * sizeof *ann);
    wd = malloc(MAX_PREFIXES * sizeof *wd);
    if (!ann || !wd)
        BAD("out of memory");
    unsigned nw = 0, na;
    const char *badp = NULL;
    if (!prefixes(json_object_get(data, "withdrawals"), wd, MAX_PREFIXES, &nw, &badp))
        BAD("bad withdrawn prefix \"%.60s\"", badp);
    bgp_route r;
    memset(&r, 0, sizeof r);
    r.origin = !origin || !strcmp(origin, "igp") ? 0 : !strcmp(origin, "egp") ? 1 : 2;
    r.path = path;
    r.path_len = np;
    r.origin_set = ns ? set : NULL;
    r.origin_set_len = ns;
    r.communities = nc ? comm : NULL;
    r.n_communities = nc;
    bool sent = false;
    json_array_foreach(json_object_get(data, "announcements"), i, v) {
        const char *nh = json_string_value(json_object_get(v, "next_hop"));
        char first[64];
        size_t fl = nh ? strcspn(nh, ",") : 0;
        if (!nh || fl >= sizeof first)
            BAD("announcement without a valid \"next_hop\"");
        memcpy(first, nh, fl);   /* "global,link-local" for IPv6: the global one */
        first[fl] = '\0';
        if (!parse_ip(first, &r.next_hop_afi, r.next_hop))
            BAD("announcement without a valid \"next_hop\"");
        if (!prefixes(json_object_get(v, "prefixes"), ann, MAX_PREFIXES, &na, &badp))
            BAD("bad announced prefix \"%.60s\"", badp);
        msg.len = 0;
        body.len = 0;
        bgp_put_update(&msg, sent ? NULL : wd, sent ? 0 : nw, &r, ann, na, 4);
        mrt_put_bgp4mp_message(&body, pas, RIS_AS, afi, pip, lip, msg.p, msg.len, true);
        if (msg.oom || body.oom)
            BAD("out of memory");
        emit(&e, MRT_BGP4MP_MESSAGE_AS4, &body);
        sent = true;
    }
    if (!sent && nw) {   /* withdrawals only */
        bgp_put_update(&msg, wd, nw, NULL, NULL, 0, 4);
        mrt_put_bgp4mp_message(&body, pas, RIS_AS, afi, pip, lip, msg.p, msg.len, true);
        if (msg.oom || body.oom)
            BAD("out of memory");
        emit(&e, MRT_BGP4MP_MESSAGE_AS4, &body);
    }
    rc = 0;
out:
    json_decref(root);
    mrs_bytes_clear(&msg);
    mrs_bytes_clear(&body);
    free(ann);
    free(wd);
    return rc;
}

bool mrs_ris_live_scan(const char *path, mrt_decoder *d, mrs_diag *diag, mrt_event_fn fn, void *user,
                       mrs_ris_live_stats *st)
{
    memset(st, 0, sizeof *st);
    char err[512];
    mrs_reader *r = mrs_reader_open_why(path, err, sizeof err);
    if (!r) {
        mrs_diag_error_file(diag, path, "%s", err);
        return false;
    }
    if (mrs_reader_expect_text(r, "a RIS Live stream", NULL, diag) != 0) {
        mrs_reader_close(r);
        return false;
    }
    const char *name = mrs_reader_name(r);
    mrt_decoder_begin_file(d, name);
    char *line = NULL;
    size_t cap = 0;
    uint64_t lineno = 0, off = 0;
    ssize_t n;
    while ((n = mrs_getline(r, &line, &cap)) >= 0) {
        lineno++;
        uint64_t at = off;
        off += (uint64_t)n + 1;
        size_t k = 0;
        while (k < (size_t)n && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == (size_t)n)
            continue;
        st->lines++;
        mrs_ris_live_line(line, (size_t)n, name, lineno, at, d, diag, fn, user, st);
    }
    if (mrs_reader_error(r))
        mrs_diag_error_file(diag, name, "%s", mrs_reader_errmsg(r));
    else if (!st->lines)
        mrs_diag_error_file(diag, name, "no records");
    free(line);
    mrs_reader_close(r);
    return true;
}

bool mrs_ris_live_feed(const char *path, mrt_decoder *d, mrs_diag *diag, mrs_route_event_fn fn, void *user,
                       mrs_ris_live_stats *st)
{
    mrs_mrt_feed f;
    if (mrs_mrt_feed_init(&f, path, fn, user) != 0) {
        mrs_diag_error_file(diag, path, "out of memory");
        return false;
    }
    bool ok = mrs_ris_live_scan(path, d, diag, mrs_mrt_feed_event, &f, st);
    mrs_mrt_feed_clear(&f);
    return ok;
}

bool mrs_ris_live_first_time(const char *path, uint32_t *t)
{
    if (!strcmp(path, "-"))
        return false;   /* standard input cannot be read twice */
    char err[256];
    mrs_reader *r = mrs_reader_open_why(path, err, sizeof err);
    if (!r)
        return false;
    char *line = NULL;
    size_t cap = 0;
    bool found = false;
    ssize_t n;
    for (int k = 0; k < 100 && !found && (n = mrs_getline(r, &line, &cap)) >= 0; k++) {
        json_t *j = json_loadb(line, (size_t)n, 0, NULL);
        json_t *ts = json_object_get(json_object_get(j, "data"), "timestamp");
        if (json_is_number(ts) && json_number_value(ts) >= 0 && json_number_value(ts) < 4294967296.0) {
            *t = (uint32_t)json_number_value(ts);
            found = true;
        }
        json_decref(j);
    }
    free(line);
    mrs_reader_close(r);
    return found;
}

/* Only spaces and tabs (or nothing): skipped, not counted, as mrs_ris_live_scan does. */
static bool blank(const char *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (p[k] != ' ' && p[k] != '\t')
            return false;
    return true;
}

int mrs_ris_live_stream_read(mrs_ris_live_stream *s, int fd, mrt_decoder *d, mrs_diag *diag, mrt_event_fn fn,
                             void *user, mrs_ris_live_stats *st)
{
    for (;;) {
        if (s->cap - s->len < 65536) {
            if (s->cap >= ((size_t)1 << 20) + 65536) {
                mrs_diag_error_line(diag, s->name, s->lineno + 1, "line longer than 1 MiB");
                return -1;
            }
            size_t cap = s->cap ? s->cap * 2 : 131072;
            char *nb = realloc(s->buf, cap);
            if (!nb) {
                mrs_diag_error_file(diag, s->name, "out of memory");
                return -1;
            }
            s->buf = nb;
            s->cap = cap;
        }
        ssize_t n = read(fd, s->buf + s->len, s->cap - s->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 1;
        if (n < 0) {
            mrs_diag_error_file(diag, s->name, "%s", strerror(errno));
            return -1;
        }
        if (n == 0) {
            /* the end: a last line without its newline is a line (as the file reader reads it) */
            if (s->len) {
                s->lineno++;
                if (!blank(s->buf, s->len)) {
                    st->lines++;
                    mrs_ris_live_line(s->buf, s->len, s->name, s->lineno, s->offset, d, diag, fn, user, st);
                }
                s->offset += s->len;
                s->len = 0;
            }
            return 0;
        }
        s->len += (size_t)n;
        char *p = s->buf, *end = s->buf + s->len, *nl;
        while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
            size_t l = (size_t)(nl - p);
            s->lineno++;
            if (!blank(p, l)) {
                st->lines++;
                mrs_ris_live_line(p, l, s->name, s->lineno, s->offset, d, diag, fn, user, st);
            }
            s->offset += l + 1;
            p = nl + 1;
        }
        s->len = (size_t)(end - p);
        memmove(s->buf, p, s->len);
    }
}

void mrs_ris_live_stream_clear(mrs_ris_live_stream *s)
{
    free(s->buf);
    s->buf = NULL;
    s->len = s->cap = 0;
}
