/*
 * feed_live.c — `manrs feed` over live inputs (feed.h, docs/scale.md): RIS Live
 * JSON lines from standard input or a WebSocket (feeds/ris_live.h, ris_ws.h), and
 * BMP sessions of routers (apps/bmpd.h's listener, feeds/bmp.h), published as they
 * arrive through the MRT feed's batching publisher (feed_internal.h) on the one
 * event loop (core/evloop.h).
 *
 * What differs from the MRT feed:
 *  - batches are also flushed on a timer (flush_ms): nothing waits for the next
 *    event of its partition; a progress record follows every progress_s seconds in
 *    which something was published, and every checkpoint events;
 *  - a message's Nats-Msg-Id is the start's nonce and the message's number in the
 *    run: unique, so that the stream's duplicate window drops nothing real;
 *  - nothing can be replayed: a live feed restarted on a stream that holds an
 *    earlier live run of the same name carries that run's aggregates on from its
 *    last progress record, and the events the stream holds after that record (an
 *    interrupted run's last ones), and counts the restart; what arrived while no
 *    feed ran is lost;
 *  - the run ends on the end of the input (standard input), --duration, --count,
 *    SIGINT or SIGTERM: every batch is published, every acknowledgement waited
 *    for, a last progress record ("final") and the seal published;
 *  - a NATS failure ends the run (exit 1, no seal): a restart goes on from the
 *    last record.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "manrs/apps/bmpd.h"
#include "manrs/core/diag.h"
#include "manrs/core/evloop.h"
#include "manrs/core/hashset.h"
#include "manrs/feeds/bmp.h"
#include "manrs/feeds/mrt_feed.h"
#include "manrs/feeds/ris_live.h"
#include "manrs/feeds/ris_ws.h"
#include "manrs/output/json_doc.h"

#include "feed_internal.h"

#define LIVE_PROGRESS_VERSION 3

typedef struct live {
    const feed_opts *o;
    feeder *f;
    mrs_evloop *loop;
    mrt_decoder *dec;
    mrs_diag diag;
    mrs_mrt_feed mf;            /* MRT events -> route events -> live_event */
    bool mf_ok;
    const char *kind;           /* "ris-live" or "bmp" */
    char source[600];           /* the events' source (BMP: the listener's, for the seal) */
    char router_source[600];    /* BMP: "bmp://ROUTER" of the record being decoded */
    /* RIS Live */
    bool stdin_in;
    int fd, fd_flags;
    bool restore_flags, eof;
    mrs_ris_live_stream in;
    mrs_ris_live_stats rst;
    mrs_ris_ws *ws;
    unsigned timeout_ms;
    /* BMP */
    bmp_listener *bl;
    bmp_listener_stats bst;
    /* the run */
    uint64_t run_events, run_records, restarts;
    bool counted, stopped, signalled, timed_out, connect_failed;
    uint32_t data_time;
    bool dated;
    double last_record_t;
    uint64_t published_at_record;
    bool final;
} live;

/* ------------------------------------------------------------------ events */

static void live_event(const mrs_route_event *ev, void *user)
{
    live *l = user;
    feeder *f = l->f;
    if (l->counted || f->stop)
        return;
    feed_on_event(ev, f);
    l->run_events++;
    if (l->o->count && l->run_events >= l->o->count) {
        l->counted = true;
        mrs_evloop_stop(l->loop);
    }
    if (f->stop)
        mrs_evloop_stop(l->loop);
}

/* Every MRT event of a record (RIS Live line, BMP record): its time dates the run. */
static void live_mrt(const mrt_event *ev, void *user)
{
    live *l = user;
    if (!l->dated && ev->rec) {
        l->data_time = ev->rec->timestamp;
        l->dated = true;
    }
    mrs_mrt_feed_event(ev, &l->mf);
}

static void on_record(const mrt_record *rec, unsigned ribs, void *user)
{
    live *l = user;
    /* one RIB, as manrs bmpd writes it: what observe reads from bmpd's files */
    if (!(ribs & (1u << l->o->rib)) || l->counted || l->f->stop)
        return;
    l->run_records++;
    if (!l->o->source) {
        snprintf(l->router_source, sizeof l->router_source, "bmp://%s", bmp_listener_router(l->bl));
        l->mf.name = l->router_source;
    }
    mrt_decode(l->dec, rec, live_mrt, l);
}

/* ------------------------------------------------------------------ progress and seal */

/* The live progress record: the run's aggregates, so far. */
bool feed_live_checkpoint(feeder *f)
{
    live *l = f->live_ctx;
    feed_flush_all(f, false);
    if (f->stop)
        return false;
    f->since_checkpoint = 0;
    if (!feed_wait_acks(f))
        return false;
    const feed_agg *a = &f->agg;
    char nonce[20];
    snprintf(nonce, sizeof nonce, "%016" PRIx64, f->nonce);
    bool any = a->first <= a->last;
    json_t *o = json_object();
    json_object_set_new(o, "version", json_integer(LIVE_PROGRESS_VERSION));
    json_object_set_new(o, "live", json_string(l->kind));
    json_object_set_new(o, "source", mrs_json_text(l->source));
    json_object_set_new(o, "nonce", json_string(nonce));
    json_object_set_new(o, "restarts", json_integer((json_int_t)l->restarts));
    json_object_set_new(o, "events", json_integer((json_int_t)a->events));
    json_object_set_new(o, "first_time", any ? json_integer(a->first) : json_null());
    json_object_set_new(o, "last_time", any ? json_integer(a->last) : json_null());
    json_object_set_new(o, "damaged", json_integer((json_int_t)a->damaged));
    json_object_set_new(o, "failed", json_boolean(a->failed));
    json_object_set_new(o, "last_seq", json_integer((json_int_t)a->last_seq));
    json_object_set_new(o, "data_time", json_integer(l->data_time));
    json_object_set_new(o, "dated", json_boolean(l->dated));
    json_object_set_new(o, "published", json_integer((json_int_t)f->published));
    json_object_set_new(o, "final", json_boolean(l->final));
    if (!feed_progress_publish(f, o))
        return false;
    f->progress_records++;
    l->last_record_t = feed_now_s();
    l->published_at_record = f->published;
    return true;
}

static bool jget_u64(json_t *o, const char *key, uint64_t max, uint64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
        return false;
    *out = (uint64_t)json_integer_value(v);
    return true;
}

/* The events of the stream's event messages after sequence from (an interrupted
 * run's, beyond its last progress record) into *a: their number, times, the last
 * sequence; *n the events. 0, or -1 (said). */
static int live_count_after(feeder *f, uint64_t from, feed_agg *a, uint64_t *n)
{
    feed_conn *c = f->c;
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetStreamInfo(&si, c->js, c->stream, NULL, &jerr);
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: stream %s: %s (JetStream error %d)\n", c->url, c->stream, natsStatus_GetText(s),
                (int)jerr);
        return -1;
    }
    uint64_t last = si->State.LastSeq;
    jsStreamInfo_Destroy(si);
    if (last <= from)
        return 0;
    char subject[200], progress[200], seal[200];
    snprintf(subject, sizeof subject, "%s.>", c->base);
    size_t pl = (size_t)snprintf(progress, sizeof progress, "%s.progress.", c->base);
    size_t sl = (size_t)snprintf(seal, sizeof seal, "%s.seal.", c->base);
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = c->stream;
    so.Ordered = true;
    so.Config.DeliverPolicy = js_DeliverByStartSequence;
    so.Config.OptStartSeq = from + 1;
    natsSubscription *sub = NULL;
    uint32_t *words = malloc(4 * MRS_REV_MAX_WORDS);
    mrs_rev_unpacker up = {0};
    int rc = -1;
    if (!words) {
        fprintf(stderr, PROG ": out of memory\n");
        return -1;
    }
    s = js_SubscribeSync(&sub, c->js, subject, NULL, &so, &jerr);
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: stream %s: cannot read it after sequence %" PRIu64 ": %s (JetStream error %d)\n",
                c->url, c->stream, from, natsStatus_GetText(s), (int)jerr);
        goto out;
    }
    for (;;) {
        natsMsg *m = NULL;
        s = natsSubscription_NextMsg(&m, sub, f->o->timeout_ms ? f->o->timeout_ms : 5000);
        if (s != NATS_OK) {
            fprintf(stderr, PROG ": %s: stream %s: reading after sequence %" PRIu64 ": %s\n", c->url, c->stream, from,
                    natsStatus_GetText(s));
            goto out;
        }
        jsMsgMetaData *meta = NULL;
        uint64_t seq = 0;
        if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
            seq = meta->Sequence.Stream;
            jsMsgMetaData_Destroy(meta);
        }
        const char *subj = natsMsg_GetSubject(m);
        if (strncmp(subj, progress, pl) != 0 && strncmp(subj, seal, sl) != 0) {
            size_t len = 0;
            const char *bad = NULL;
            const uint8_t *d = mrs_rev_batch_events(&up, (const uint8_t *)natsMsg_GetData(m),
                                                    (size_t)natsMsg_GetDataLength(m), &len, &bad);
            for (size_t off = 0; d && off < len;) {
                mrs_route_event ev;
                const char *field = NULL;
                size_t got = mrs_rev_decode(d + off, len - off, &ev, words, &field);
                if (!got)
                    break;   /* not the feed's (a reader logs it) */
                a->events++;
                if (ev.time < a->first)
                    a->first = ev.time;
                if (ev.time > a->last)
                    a->last = ev.time;
                (*n)++;
                off += got;
            }
            if (seq > a->last_seq)
                a->last_seq = seq;
        }
        natsMsg_Destroy(m);
        if (!seq || seq >= last)
            break;
    }
    rc = 0;
out:
    if (sub)
        natsSubscription_Destroy(sub);
    free(words);
    mrs_rev_unpacker_free(&up);
    return rc;
}

/* An earlier run of the feed on the stream: a live one is carried on (1), none is
 * 0; an MRT feed's record under the name, or an error, -1 (said). */
static int live_resume(live *l)
{
    feeder *f = l->f;
    natsMsg *m = NULL;
    int got = feed_progress_last(f, &m);
    if (got <= 0)
        return got;
    json_t *o = json_loadb(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m), 0, NULL);
    uint64_t rec_seq = natsMsg_GetSequence(m);
    natsMsg_Destroy(m);
    uint64_t v = 0, restarts = 0, t0 = 0, t1 = 0, td = 0;
    feed_agg a;
    feed_agg_init(&a);
    json_t *jt0 = json_object_get(o, "first_time"), *jt1 = json_object_get(o, "last_time");
    bool ok = json_is_object(o) && jget_u64(o, "version", UINT32_MAX, &v) && v == LIVE_PROGRESS_VERSION &&
              json_is_string(json_object_get(o, "live")) && jget_u64(o, "restarts", UINT32_MAX, &restarts) &&
              jget_u64(o, "events", INT64_MAX, &a.events) && jget_u64(o, "damaged", INT64_MAX, &a.damaged) &&
              jget_u64(o, "last_seq", INT64_MAX, &a.last_seq) && jget_u64(o, "data_time", UINT32_MAX, &td) &&
              json_is_boolean(json_object_get(o, "failed")) && json_is_boolean(json_object_get(o, "dated")) &&
              json_is_null(jt0) == json_is_null(jt1) &&
              (json_is_null(jt0) || (jget_u64(o, "first_time", UINT32_MAX, &t0) &&
                                     jget_u64(o, "last_time", UINT32_MAX, &t1) && t0 <= t1));
    const char *kind = json_string_value(json_object_get(o, "live"));
    if (ok && strcmp(kind, l->kind) != 0) {
        fprintf(stderr, PROG ": %s: %s: the stream holds a live feed of another kind (%s) under this name: give "
                        "--name or --stream\n", f->c->url, f->progress_subject, kind);
        json_decref(o);
        return -1;
    }
    if (!ok) {
        fprintf(stderr, PROG ": %s: %s: the stream holds another feed's progress (an MRT feed, or not understood) "
                        "under this name: give the live feed its own --name or --stream\n",
                f->c->url, f->progress_subject);
        json_decref(o);
        return -1;
    }
    a.failed = json_is_true(json_object_get(o, "failed"));
    if (!json_is_null(jt0)) {
        a.first = (uint32_t)t0;
        a.last = (uint32_t)t1;
    }
    l->dated = json_is_true(json_object_get(o, "dated"));
    l->data_time = (uint32_t)td;
    l->restarts = restarts + 1;
    bool final = json_is_true(json_object_get(o, "final"));
    json_decref(o);
    uint64_t after = 0;
    /* a run that did not end: what it published after its last record is in the
     * stream, not in the record's totals: counted from the stream */
    if (!final && rec_seq && live_count_after(f, rec_seq, &a, &after) != 0)
        return -1;
    f->agg = a;
    fprintf(stderr,
            PROG ": the stream holds an earlier live run of %s (%" PRIu64 " events, up to sequence %" PRIu64
                 "%s): going on from it (restart %" PRIu64 "; what arrived while no feed ran is not in the stream)\n",
            f->progress_subject, a.events, a.last_seq, after ? ", counted past its last progress record" : "",
            l->restarts);
    return 1;
}

static void live_seal(const live *l, mrs_feed_seal *s)
{
    const feeder *f = l->f;
    memset(s, 0, sizeof *s);
    s->version = MRS_FEED_SEAL_VERSION;
    s->events = f->agg.events;
    s->first_time = f->agg.first > f->agg.last ? 0 : f->agg.first;
    s->last_time = f->agg.first > f->agg.last ? 0 : f->agg.last;
    s->ris_live_files = !strcmp(l->kind, "ris-live");
    s->damaged = f->agg.damaged;
    s->failed = f->agg.failed;
    snprintf(s->inputs, sizeof s->inputs, "%s=%s", l->kind, l->source);
    s->last_seq = f->agg.last_seq;
    s->data_time = l->data_time;
    s->dated = l->dated;
    s->live = true;
    s->restarts = l->restarts;
}

/* ------------------------------------------------------------------ the loop */

static void on_signal(mrs_evloop *lp, int signo, void *user)
{
    live *l = user;
    l->signalled = true;
    fprintf(stderr, PROG ": signal %d: stopping\n", signo);
    mrs_evloop_stop(lp);
}

static void on_input(mrs_evloop *lp, int fd, unsigned events, void *user)
{
    (void)events;
    live *l = user;
    int r = mrs_ris_live_stream_read(&l->in, fd, l->dec, &l->diag, live_mrt, l, &l->rst);
    if (r <= 0) {
        mrs_evloop_unwatch(lp, fd);
        l->eof = true;
        if (r < 0)
            l->f->agg.failed = true;   /* said by the reader */
        if (l->stdin_in || r < 0)
            mrs_evloop_stop(lp);
    }
}

static void on_flush(mrs_evloop *lp, void *user)
{
    live *l = user;
    feeder *f = l->f;
    if (f->stop) {
        mrs_evloop_stop(lp);
        return;
    }
    feed_flush_all(f, false);
    unsigned every = l->o->progress_s ? l->o->progress_s : 10;
    double now = feed_now_s();
    if (f->published != l->published_at_record && now - l->last_record_t >= every && !feed_live_checkpoint(f))
        f->stop = f->nats_error = true;
    if (f->stop)
        mrs_evloop_stop(lp);
    if (f->o->progress && now - f->last_progress >= 1) {
        f->last_progress = now;
        fprintf(stderr, "\r" PROG ": %" PRIu64 " events published (%.0f/s)  ", f->published,
                (double)f->published / (now - f->t0));
    }
}

static void on_tick(mrs_evloop *lp, void *user)
{
    (void)lp;
    live *l = user;
    if (l->bl)
        bmp_listener_tick(l->bl);
}

static void on_duration(mrs_evloop *lp, void *user)
{
    live *l = user;
    l->timed_out = true;
    mrs_evloop_stop(lp);
}

static void on_connect_check(mrs_evloop *lp, void *user)
{
    live *l = user;
    if (l->ws && !l->connect_failed && !mrs_ris_ws_connects(l->ws) && !l->dated) {
        char safe[600];
        mrs_text_safe(safe, sizeof safe, l->o->ris_live, strlen(l->o->ris_live));
        fprintf(stderr, PROG ": %s: no WebSocket connection within %u ms (unreachable, refused, or not a RIS "
                        "Live service)\n", safe, l->timeout_ms);
        l->connect_failed = true;
        mrs_evloop_stop(lp);
    }
}

/* The subscriptions when none is given: every UPDATE (raw: the BGP message as
 * received) and every peer state. */
static const char *const DEFAULT_SUBSCRIBE[] = {
    "{\"type\":\"UPDATE\",\"socketOptions\":{\"includeRaw\":true}}",
    "{\"type\":\"RIS_PEER_STATE\"}",
};

/* Set up the input (before NATS: signals are blocked before libnats starts its
 * threads). */
static bool live_open(live *l)
{
    const feed_opts *o = l->o;
    if (o->bmp_listen) {
        bmp_listener_opts lo = {PROG, o->bmp_listen, 0, 0, on_record, l};
        if (!(l->bl = bmp_listener_new(l->loop, &lo)))   /* SIGINT/SIGTERM stop the loop */
            return false;
        return true;
    }
    if (mrs_evloop_signal(l->loop, SIGINT, on_signal, l) < 0 || mrs_evloop_signal(l->loop, SIGTERM, on_signal, l) < 0) {
        fprintf(stderr, PROG ": cannot set up the event loop: %s\n", strerror(errno));
        return false;
    }
    return true;
}

/* Start reading (after NATS is ready). */
static bool live_start(live *l)
{
    const feed_opts *o = l->o;
    char safe[600];
    if (l->bl) {
        int port = bmp_listener_port(l->bl);
        if (!o->source) {   /* the listener as bound: "bmp://127.0.0.1:0" says little */
            const char *colon = strrchr(o->bmp_listen, ':');
            int host = colon ? (int)(colon - o->bmp_listen) : (int)strlen(o->bmp_listen);
            snprintf(l->source, sizeof l->source, "bmp://%.*s:%d", host, o->bmp_listen, port);
        }
        if (o->port_file && mrs_server_port_file(PROG, bmp_listener_fd(l->bl), o->port_file) < 0)
            return false;
        mrs_text_safe(safe, sizeof safe, o->bmp_listen, strlen(o->bmp_listen));
        fprintf(stderr, PROG ": BMP on %s (port %d), publishing the %s RIB\n", safe, port, bmp_rib_name(o->rib));
        return true;
    }
    l->in.name = l->source;
    if (l->stdin_in) {
        struct stat st;
        l->fd = STDIN_FILENO;
        if (fstat(l->fd, &st) == 0 && S_ISREG(st.st_mode)) {
            /* a regular file: epoll cannot watch it, and it never blocks: read it now */
            int r;
            while ((r = mrs_ris_live_stream_read(&l->in, l->fd, l->dec, &l->diag, live_mrt, l, &l->rst)) > 0)
                ;
            if (r < 0)
                l->f->agg.failed = true;
            l->eof = true;
            return true;
        }
        /* a pipe or a terminal: read what is there, never wait in read(2) */
        l->fd_flags = fcntl(l->fd, F_GETFL);
        if (l->fd_flags < 0 || fcntl(l->fd, F_SETFL, l->fd_flags | O_NONBLOCK) < 0) {
            fprintf(stderr, PROG ": standard input: %s\n", strerror(errno));
            return false;
        }
        l->restore_flags = true;
    } else {
        char err[512] = "";
        const char *const *subs = o->n_subscribe ? (const char *const *)o->subscribe : DEFAULT_SUBSCRIBE;
        size_t nsubs = o->n_subscribe ? o->n_subscribe : sizeof DEFAULT_SUBSCRIBE / sizeof *DEFAULT_SUBSCRIBE;
        mrs_ris_ws_opts wo = {o->ris_live, subs, nsubs, 0};
        if (!(l->ws = mrs_ris_ws_start(&wo, err, sizeof err))) {
            mrs_text_safe_inplace(err, sizeof err);
            fprintf(stderr, PROG ": --ris-live %s\n", err);
            return false;
        }
        l->fd = mrs_ris_ws_fd(l->ws);
        if (mrs_evloop_timer(l->loop, l->timeout_ms, on_connect_check, l) < 0)
            return false;
        mrs_text_safe(safe, sizeof safe, o->ris_live, strlen(o->ris_live));
        fprintf(stderr, PROG ": RIS Live from %s (%zu subscriptions)\n", safe, nsubs);
    }
    if (mrs_evloop_watch(l->loop, l->fd, MRS_EV_READ, on_input, l) < 0) {
        fprintf(stderr, PROG ": cannot watch the input: %s\n", strerror(errno));
        return false;
    }
    return true;
}

static uint64_t make_nonce(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t h = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
    h ^= (uint64_t)getpid() << 32;
    struct timespec mt;
    clock_gettime(CLOCK_MONOTONIC, &mt);
    h ^= (uint64_t)mt.tv_nsec * 0x9e3779b97f4a7c15ULL;
    return mrs_mix64(h);
}

int feed_live_run(const feed_opts *o, feed_conn *c)
{
    live l;
    feeder f;
    memset(&l, 0, sizeof l);
    l.o = o;
    l.f = &f;
    l.fd = -1;
    l.timeout_ms = o->timeout_ms ? o->timeout_ms : 5000;
    l.kind = o->bmp_listen ? "bmp" : "ris-live";
    l.stdin_in = o->ris_live && !strcmp(o->ris_live, "-");
    if (o->source)
        snprintf(l.source, sizeof l.source, "%s", o->source);
    else if (o->bmp_listen)
        snprintf(l.source, sizeof l.source, "bmp://%s", o->bmp_listen);
    else
        snprintf(l.source, sizeof l.source, "%s", o->ris_live);
    int rc = 1;
    char *json = NULL;
    mrs_feed_seal seal;
    bool fok = feed_feeder_init(&f, o, c, c->base, NULL);
    f.live = true;
    f.live_ctx = &l;
    f.nonce = make_nonce();
    f.file = l.source;
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.PublishAsync.MaxPending = o->max_pending ? o->max_pending : 4096;
    jo.PublishAsync.AckHandler = feed_on_ack;
    jo.PublishAsync.AckHandlerClosure = &f;
    jo.PublishAsync.StallWait = 60000;
    mrs_diag_init(&l.diag, stderr);
    l.diag.max_print = 100;
    if (!fok)
        goto out;
    if (!(l.loop = mrs_evloop_new()) || !(l.dec = mrt_decoder_new(&l.diag)) ||
        mrs_mrt_feed_init(&l.mf, l.source, live_event, &l) != 0) {
        fprintf(stderr, PROG ": out of memory\n");
        goto out;
    }
    l.mf_ok = true;
    mrt_decoder_begin_file(l.dec, l.source);
    if (!live_open(&l))
        goto out;
    if (!feed_conn_open(c, o, &jo, false, false) || !feed_stream_ensure(c))
        goto out;
    int64_t max_payload = natsConnection_GetMaxPayload(c->nc);
    if (max_payload > 0 && (int64_t)f.limit > max_payload - 512) {
        fprintf(stderr, PROG ": %s: --batch-bytes %zu is more than the server takes in a message (max_payload %" PRId64
                        ", headers included)\n", c->url, f.limit, max_payload);
        goto out;
    }
    if (live_resume(&l) < 0)
        goto out;
    /* a first record: a run killed before its next one is found and counted on */
    if (!feed_live_checkpoint(&f))
        goto out;
    f.t0 = f.last_progress = l.last_record_t = feed_now_s();
    if (mrs_evloop_timer(l.loop, o->flush_ms ? o->flush_ms : 1000, on_flush, &l) < 0 ||
        mrs_evloop_timer(l.loop, 1000, on_tick, &l) < 0 ||
        (o->duration_s && mrs_evloop_timer(l.loop, o->duration_s * 1000u, on_duration, &l) < 0)) {
        fprintf(stderr, PROG ": cannot set up the event loop: %s\n", strerror(errno));
        goto out;
    }
    if (!live_start(&l))
        goto out;
    if (!l.eof && !l.counted && !f.stop && mrs_evloop_run(l.loop) < 0) {
        fprintf(stderr, PROG ": event loop failed: %s\n", strerror(errno));
        goto out;
    }
    /* the input closed: the routers' peers go down (state changes, published) */
    if (l.bl) {
        bmp_listener_free(l.bl, &l.bst);
        l.bl = NULL;
        f.agg.damaged += l.bst.skipped + l.bst.closed_bad;
    }
    if (l.ws) {
        mrs_ris_ws_stats wst;
        mrs_ris_ws_stop(l.ws, &wst);
        l.ws = NULL;
        fprintf(stderr, PROG ": RIS Live %s: %" PRIu64 " connections, %" PRIu64 " messages, %" PRIu64 " dropped\n",
                l.source, wst.connects, wst.messages, wst.dropped);
    }
    if (l.connect_failed)
        goto out;
    if (!l.bl && strcmp(l.kind, "ris-live") == 0) {
        f.agg.damaged += l.rst.malformed;
        if (l.rst.lines == 0 && l.stdin_in) {
            fprintf(stderr, PROG ": %s: no RIS Live line: the seal says failed\n", l.source);
            f.agg.failed = true;   /* observe: an input without a record cannot be used */
        }
    }
    if (f.stop) {
        fprintf(stderr, PROG ": %s: publishing failed: the feed stops without a seal; a restarted feed goes on from "
                        "the last progress record (what arrives meanwhile is lost)\n", c->url);
        goto out;
    }
    l.final = true;
    if (!feed_live_checkpoint(&f))
        goto out;
    live_seal(&l, &seal);
    if (!(json = mrs_feed_seal_json(&seal))) {
        fprintf(stderr, PROG ": out of memory\n");
        goto out;
    }
    if (!feed_publish_seal(&f, json))
        goto out;
    if (o->progress)
        fputs("\r\033[K", stderr);
    double dt = feed_now_s() - f.t0;
    pthread_mutex_lock(&f.mu);
    uint64_t dups = f.dups;
    pthread_mutex_unlock(&f.mu);
    printf("published %" PRIu64 " skipped 0 duplicates %" PRIu64 " files %d bytes %" PRIu64 " messages %" PRIu64
           " events %" PRIu64 " first_time %" PRIu32 " last_time %" PRIu32 " baseline_end 0 damaged %" PRIu64
           " cut 0 failed %d last_seq %" PRIu64 " wire %" PRIu64 "\n%s\n",
           f.published, dups, l.bl || o->bmp_listen ? (int)l.bst.connections : 1, f.bytes, f.messages, seal.events,
           seal.first_time, seal.last_time, seal.damaged, seal.failed ? 1 : 0, seal.last_seq, f.wire_bytes, json);
    const char *why = l.counted ? "--count reached" : l.timed_out ? "--duration over" : l.eof ? "end of input"
                                                                                            : "stopped";
    fprintf(stderr,
            PROG ": %s: %" PRIu64 " events published to stream %s at %s in %" PRIu64 " messages in %.2f s: %.0f "
                 "events/s (%" PRIu64 " %s, %" PRIu64 " %s); sealed: %" PRIu64 " events, last sequence %" PRIu64
                 "%s\n",
            why, f.published, c->stream, c->url, f.messages, dt, dt > 0 ? (double)f.published / dt : 0.0,
            o->bmp_listen ? l.run_records : l.rst.lines, o->bmp_listen ? "BMP records of the RIB" : "lines",
            o->bmp_listen ? l.bst.skipped : l.rst.malformed, o->bmp_listen ? "BMP messages skipped" : "malformed",
            seal.events, seal.last_seq,
            seal.failed ? ", the input could not be used (failed)" : "");
    if (o->bmp_listen)
        fprintf(stderr, PROG ": BMP: %" PRIu64 " router connections (%" PRIu64 " closed for a broken stream, %" PRIu64
                        " for a slow one), %" PRIu64 " messages, %" PRIu64 " skipped\n",
                l.bst.connections, l.bst.closed_bad, l.bst.closed_slow, l.bst.messages, l.bst.skipped);
    rc = seal.failed ? 1 : 0;
out:
    if (l.bl)
        bmp_listener_free(l.bl, NULL);
    if (l.ws)
        mrs_ris_ws_stop(l.ws, NULL);
    if (l.restore_flags)
        fcntl(l.fd, F_SETFL, l.fd_flags);
    mrs_ris_live_stream_clear(&l.in);
    feed_conn_close(c);
    nats_CloseAndWait(5000);   /* before f goes: no acknowledgement handler runs after this */
    if (l.mf_ok)
        mrs_mrt_feed_clear(&l.mf);
    mrt_decoder_free(l.dec);
    mrs_evloop_free(l.loop);
    feed_feeder_free(&f);
    free(json);
    return rc;
}
