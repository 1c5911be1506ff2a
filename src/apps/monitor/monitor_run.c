/*
 * monitor_run.c — `manrs monitor`: inputs (MRT and RIS Live files replayed in
 * time order, then BMP live) into the engine, alerts out to the channels.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "manrs/apps/bmpd.h"
#include "manrs/apps/monitor.h"
#include "manrs/core/date.h"
#include "manrs/core/evloop.h"
#include "manrs/core/outbuf.h"
#include "manrs/feeds/mrt_feed.h"
#include "manrs/feeds/ris_live.h"
#include "manrs/feeds/ris_ws.h"
#include "manrs/kb/kbs.h"
#include "manrs/kb/rtr.h"

typedef struct sink {
    const monitor_opts *o;
    int syslog_fd;              /* --syslog-server: UDP, RFC 5424 messages (RFC 5426); -1 none */
    char host[256];
    uint64_t syslog_sent, syslog_failed;
    mrs_outbuf out, file;
    FILE *fp;
    bool write_failed;
    mon_notify *notify;
} sink;

static void on_alert(const mon_alert *a, void *user)
{
    sink *s = user;
    if (!s->o->quiet) {
        mon_alert_json(&s->out, a);
        mrs_outbuf_flush(&s->out);     /* live: an alert goes out when it is raised */
        fflush(stdout);
    }
    if (s->fp) {
        mon_alert_json(&s->file, a);
        mrs_outbuf_flush(&s->file);
        if (ferror(s->fp) || fflush(s->fp) != 0)
            s->write_failed = true;
    }
    if (s->notify)
        mon_notify_alert(s->notify, a);
    if (s->syslog_fd >= 0) {
        /* RFC 5424 §6: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG;
         * facility daemon (3), warning (4) or, resolved, notice (5) */
        char p[MRS_PREFIX_STRLEN], t[MRS_TIME_ISO_LEN], msg[1400];
        mrs_prefix_format(&a->prefix, p);
        time_t now = time(NULL);
        int n = snprintf(msg, sizeof msg, "<%d>1 %s %s manrs-monitor %d %s - %s%s %s AS%u: %s", 3 * 8 + (a->resolved ? 5 : 4),
                         mrs_time_iso((int64_t)now, t), s->host, (int)getpid(), a->type, a->resolved ? "resolved " : "",
                         a->type, p, a->asn, a->description);
        if (n > 0 && send(s->syslog_fd, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1, MSG_NOSIGNAL) > 0)
            s->syslog_sent++;
        else
            s->syslog_failed++;
    }
    if (s->o->syslog) {
        char p[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&a->prefix, p);
        syslog(a->resolved ? LOG_NOTICE : LOG_WARNING, "%s%s %s AS%u: %s", a->resolved ? "resolved " : "", a->type,
               p, a->asn, a->description);
    }
}

typedef struct input {
    const char *path;
    bool ris, rib;
    uint32_t t;
    bool timed;
} input;

static int input_cmp(const void *a, const void *b)
{
    const input *x = a, *y = b;
    if (x->rib != y->rib)
        return x->rib ? -1 : 1;
    if (x->timed != y->timed)
        return x->timed ? -1 : 1;   /* stdin last: it cannot be peeked */
    return x->t < y->t ? -1 : x->t > y->t;
}

/* BMP live: records decoded by the one decoder into route events. */
typedef struct live {
    mrt_decoder *d;
    mrs_mrt_feed feed;
} live;

static void on_record(const mrt_record *rec, unsigned ribs, void *user)
{
    live *l = user;
    /* Adj-RIB-In pre-policy and Loc-RIB are what the router heard and chose;
     * post-policy and Adj-RIB-Out would count the same routes twice */
    if (ribs & ((1u << BMP_RIB_IN_PRE) | (1u << BMP_RIB_LOC)))
        mrt_decode(l->d, rec, mrs_mrt_feed_event, &l->feed);
}

/* RTR sessions kept open: every new table of any of them makes a new set (the
 * VRP files' records and the latest table of each session), handed to the engine. */
typedef struct rtr_src rtr_src;
typedef struct rtr_slot {
    rtr_src *rs;
    mrs_rtr_session *sess;
    mrs_rpki *table;            /* its latest set */
} rtr_slot;

struct rtr_src {
    rtr_slot *slot;
    size_t n;
    mrs_rpki *base;             /* the --vrps files, or NULL */
    mrs_rpki *merged;           /* the engine's set now, or NULL (the one loaded at the start) */
    mon_engine *e;
};

static void on_rtr_table(mrs_rpki *r, uint32_t serial, void *user)
{
    rtr_slot *sl = user;
    rtr_src *rs = sl->rs;
    mrs_rpki_free(sl->table);
    sl->table = r;
    mrs_rpki *m = mrs_rpki_new();
    if (!m)
        return;
    bool ok = !rs->base || mrs_rpki_add_all(m, rs->base) == 0;
    for (size_t i = 0; ok && i < rs->n; i++)
        if (rs->slot[i].table)
            ok = mrs_rpki_add_all(m, rs->slot[i].table) == 0;
    if (!ok || mrs_rpki_build(m) != 0) {
        mrs_rpki_free(m);
        return;
    }
    size_t nv;
    mrs_rpki_vrps(m, &nv);
    fprintf(stderr, "manrs monitor: RTR serial %u: %zu VRPs, %zu ASPAs in use\n", serial, nv, mrs_rpki_aspa_count(m));
    mon_engine_set_rpki(rs->e, m, (uint32_t)time(NULL));
    mrs_rpki_free(rs->merged);
    rs->merged = m;
}

/* MRT followed: its own decoder (its name in messages, its peer table). */
typedef struct follow_src {
    mrs_mrt_follow *f;
    mrt_decoder *d;
    mrs_mrt_feed feed;          /* its events' source: the path */
    bool feed_ok;
} follow_src;

typedef struct follow_set {
    follow_src *src;
    size_t n;
    live *l;
} follow_set;

static void on_follow(mrs_evloop *lp, void *user)
{
    (void)lp;
    follow_set *fs = user;
    for (size_t i = 0; i < fs->n; i++)
        mrs_mrt_follow_poll(fs->src[i].f, fs->src[i].d, mrs_mrt_feed_event, &fs->src[i].feed);
}

typedef struct ticker {
    struct rtr_src *rtr;
    bmp_listener *bl;
    mon_engine *e;
    mon_metrics *metrics;
    sink *s;
    uint32_t last_event;        /* time of the last route event (feed lag) */
} ticker;

static void on_tick(mrs_evloop *lp, void *user)
{
    (void)lp;
    ticker *t = user;
    if (t->bl)
        bmp_listener_tick(t->bl);
    for (size_t i = 0; t->rtr && i < t->rtr->n; i++)
        mrs_rtr_session_tick(t->rtr->slot[i].sess);
    if (t->metrics)
        mon_metrics_tick(t->metrics);
    mon_engine_tick(t->e, (uint32_t)time(NULL));     /* repeats on a quiet feed */
}

static void metric(mrs_outbuf *o, const char *name, const char *type, const char *help, double v)
{
    char line[512];
    snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help, name, type, name, v);
    mrs_outbuf_puts(o, line);
}

static void write_metrics(mrs_outbuf *o, void *user)
{
    ticker *t = user;
    mon_stats st = mon_engine_stats(t->e);
    bmp_listener_stats bs;
    memset(&bs, 0, sizeof bs);
    if (t->bl)
        bs = bmp_listener_get_stats(t->bl);
    metric(o, "manrs_monitor_route_events_total", "counter", "Route events read from every feed.", (double)st.events);
    metric(o, "manrs_monitor_route_events_relevant_total", "counter",
           "Route events concerning the configuration.", (double)st.relevant);
    metric(o, "manrs_monitor_alerts_raised_total", "counter", "Alerts raised.", (double)st.raised);
    metric(o, "manrs_monitor_alerts_resolved_total", "counter", "Alerts resolved.", (double)st.resolved);
    metric(o, "manrs_monitor_alerts_active", "gauge", "Alerts raised and not resolved.",
           (double)(st.raised - st.resolved));
    metric(o, "manrs_monitor_routes_held", "gauge", "Routes held for the configuration.", (double)st.held);
    metric(o, "manrs_monitor_bmp_routers", "gauge", "Routers connected over BMP.", (double)bs.routers);
    metric(o, "manrs_monitor_bmp_peers_up", "gauge", "BGP peers the connected routers report up.",
           (double)bs.peers_up);
    metric(o, "manrs_monitor_bmp_messages_total", "counter", "BMP messages received.", (double)bs.messages);
    metric(o, "manrs_monitor_bmp_skipped_total", "counter", "BMP messages skipped as malformed.",
           (double)bs.skipped);
    if (t->last_event)
        metric(o, "manrs_monitor_feed_lag_seconds", "gauge",
               "Seconds between now and the time of the last route event.",
               (double)time(NULL) - (double)t->last_event);
    if (t->s->notify) {
        mon_notify_stats ns = mon_notify_get_stats(t->s->notify);
        metric(o, "manrs_monitor_notifications_sent_total", "counter", "Webhook posts and mails delivered.",
               (double)ns.sent);
        metric(o, "manrs_monitor_notifications_failed_total", "counter", "Deliveries that failed.",
               (double)ns.failed);
        metric(o, "manrs_monitor_notifications_dropped_total", "counter", "Alerts dropped on a full queue.",
               (double)ns.dropped);
    }
}

/* Every route event of the live feed: into the engine, its time noted. */
static void on_event(const mrs_route_event *ev, void *user)
{
    ticker *t = user;
    t->last_event = ev->time;
    mon_engine_event(ev, t->e);
}

static void print_active(const mon_alert *a, void *user)
{
    (void)user;
    char p[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&a->prefix, p);
    fprintf(stderr, "manrs monitor: still active: %s %s AS%u (%u peers)\n", a->type, p, a->asn, a->peers);
}

/* A RIS Live WebSocket client's lines, read on the loop. */
typedef struct ws_src {
    mrs_ris_ws *ws;
    mrs_ris_live_stream in;
    mrs_ris_live_stats st;
    live *l;
    mrs_diag *diag;
} ws_src;

static void on_ws(mrs_evloop *lp, int fd, unsigned events, void *user)
{
    (void)events;
    ws_src *w = user;
    if (mrs_ris_live_stream_read(&w->in, fd, w->l->d, w->diag, mrs_mrt_feed_event, &w->l->feed, &w->st) <= 0)
        mrs_evloop_unwatch(lp, fd);
}

static void stop_live(mrs_evloop *lp, int signo, void *user)
{
    (void)user;
    fprintf(stderr, "manrs monitor: signal %d: stopping\n", signo);
    mrs_evloop_stop(lp);
}

/* What RIS Live should send: updates of the monitored prefixes and their
 * more-specifics, updates of the monitored ASes' routes, peer states. */
static char **subscriptions(const mon_config *c, size_t *n)
{
    char **v = calloc(c->nprefixes + c->nasns + 1, sizeof *v);
    *n = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < c->nprefixes; i++) {
        char p[MRS_PREFIX_STRLEN];
        if (c->prefixes[i].ignore)
            continue;
        mrs_prefix_format(&c->prefixes[i].prefix, p);
        if (asprintf(&v[*n], "{\"type\":\"UPDATE\",\"prefix\":\"%s\",\"moreSpecific\":true,"
                             "\"socketOptions\":{\"includeRaw\":true}}", p) < 0)
            goto fail;
        (*n)++;
    }
    for (size_t i = 0; i < c->nasns; i++) {
        const mon_asn *a = &c->asns[i];
        /* its own routes (origin), or every path through it when its neighbours are watched */
        if (asprintf(&v[*n], "{\"type\":\"UPDATE\",\"path\":\"%u%s\",\"socketOptions\":{\"includeRaw\":true}}",
                     a->asn, a->has_upstreams || a->has_downstreams ? "" : "$") < 0)
            goto fail;
        (*n)++;
    }
    if (!(v[*n] = strdup("{\"type\":\"RIS_PEER_STATE\"}")))
        goto fail;
    (*n)++;
    return v;
fail:
    for (size_t i = 0; i < *n; i++)
        free(v[i]);
    free(v);
    return NULL;
}

/* The live feeds (BMP, RIS Live WebSockets) until SIGINT/SIGTERM. */
static int run_live(const monitor_opts *o, mon_engine *e, mrt_decoder *dec, sink *s, const mon_config *cfg,
                    mrs_diag *diag, mrs_rpki **in_use)
{
    int rc = -1;
    rtr_src rs = {NULL, 0, NULL, NULL, e};
    follow_set fs = {NULL, 0, NULL};
    mrs_evloop *lp = mrs_evloop_new();
    live l = {dec, {0}};
    ticker tk = {NULL, NULL, e, NULL, s, 0};
    ws_src *ws = o->nris_ws ? calloc(o->nris_ws, sizeof *ws) : NULL;
    size_t nsub = 0;
    char **subs = o->nris_ws ? subscriptions(cfg, &nsub) : NULL;
    char err[256] = "";
    if (!lp || mrs_mrt_feed_init(&l.feed, "live", on_event, &tk) != 0 || (o->nris_ws && (!ws || !subs))) {
        fprintf(stderr, "manrs monitor: out of memory\n");
        goto done;
    }
    if (o->bmp_listen) {
        bmp_listener_opts lo = {"manrs monitor", o->bmp_listen, o->timeout_s, 0, on_record, &l};
        if (!(tk.bl = bmp_listener_new(lp, &lo)) ||
            (o->port_file && mrs_server_port_file("manrs monitor", bmp_listener_fd(tk.bl), o->port_file) < 0))
            goto done;
        fprintf(stderr, "manrs monitor: BMP on %s (port %d)\n", o->bmp_listen, bmp_listener_port(tk.bl));
    } else if (mrs_evloop_signal(lp, SIGINT, stop_live, NULL) < 0 ||
               mrs_evloop_signal(lp, SIGTERM, stop_live, NULL) < 0) {
        fprintf(stderr, "manrs monitor: cannot set up the event loop: %s\n", strerror(errno));
        goto done;
    }
    for (size_t i = 0; i < o->nris_ws; i++) {
        mrs_ris_ws_opts wo = {o->ris_ws[i], (const char *const *)subs, nsub, 0};
        ws[i].l = &l;
        ws[i].diag = diag;
        ws[i].in.name = o->ris_ws[i];
        if (!(ws[i].ws = mrs_ris_ws_start(&wo, err, sizeof err)) ||
            mrs_evloop_watch(lp, mrs_ris_ws_fd(ws[i].ws), MRS_EV_READ, on_ws, &ws[i]) < 0) {
            fprintf(stderr, "manrs monitor: --ris-live %s\n", *err ? err : strerror(errno));
            goto done;
        }
        fprintf(stderr, "manrs monitor: RIS Live from %s (%zu subscriptions)\n", o->ris_ws[i], nsub);
    }
    if (o->nfollow) {
        fs.l = &l;
        if (!(fs.src = calloc(o->nfollow, sizeof *fs.src)))
            goto done;
        for (size_t i = 0; i < o->nfollow; i++) {
            follow_src *fo = &fs.src[i];
            fo->feed_ok = mrs_mrt_feed_init(&fo->feed, o->follow[i], on_event, &tk) == 0;
            if (!fo->feed_ok || !(fo->d = mrt_decoder_new(diag)) ||
                !(fo->f = mrs_mrt_follow_new(o->follow[i], diag, err, sizeof err))) {
                fprintf(stderr, "manrs monitor: --mrt-follow %s\n", *err ? err : "out of memory");
                mrt_decoder_free(fo->d);
                if (fo->feed_ok)
                    mrs_mrt_feed_clear(&fo->feed);
                goto done;
            }
            mrt_decoder_begin_file(fs.src[i].d, o->follow[i]);
            fs.n++;
            fprintf(stderr, "manrs monitor: following %s\n", o->follow[i]);
        }
        /* four times a second: an update appended is alerted on within 250 ms of being written */
        if (mrs_evloop_timer(lp, 250, on_follow, &fs) < 0)
            goto done;
    }
    if (o->nrtr) {
        /* the files' VRPs once more, on their own, to merge with the sessions' tables */
        if (o->nvrps) {
            rs.base = mrs_rpki_new();
            for (size_t i = 0; rs.base && i < o->nvrps; i++)
                mrs_rpki_load_file(rs.base, o->vrps[i], diag, NULL);
            if (!rs.base || mrs_rpki_build(rs.base) != 0) {
                fprintf(stderr, "manrs monitor: out of memory\n");
                goto done;
            }
        }
        if (!(rs.slot = calloc(o->nrtr, sizeof *rs.slot)))
            goto done;
        for (size_t i = 0; i < o->nrtr; i++) {
            rs.slot[i].rs = &rs;
            mrs_rtr_session_opts so = {o->rtr[i], diag, on_rtr_table, &rs.slot[i]};
            if (!(rs.slot[i].sess = mrs_rtr_session_new(lp, &so)))
                goto done;
            rs.n++;
        }
        tk.rtr = &rs;
        fprintf(stderr, "manrs monitor: following %zu RTR cache(s): new VRPs are applied as they come\n", rs.n);
    }
    if (mrs_evloop_timer(lp, 1000, on_tick, &tk) < 0 ||
        (o->metrics_listen && !(tk.metrics = mon_metrics_new(lp, o->metrics_listen, write_metrics, &tk, err, sizeof err)))) {
        fprintf(stderr, "manrs monitor: /metrics: cannot listen on %s\n", *err ? err : strerror(errno));
        goto done;
    }
    if (o->metrics_listen)
        fprintf(stderr, "manrs monitor: /metrics on %s\n", o->metrics_listen);
    if (mrs_evloop_run(lp) < 0) {
        fprintf(stderr, "manrs monitor: event loop failed: %s\n", strerror(errno));
        goto done;
    }
    rc = 0;
done:
    for (size_t i = 0; i < fs.n; i++) {
        mrs_mrt_follow_free(fs.src[i].f);
        mrt_decoder_free(fs.src[i].d);
        mrs_mrt_feed_clear(&fs.src[i].feed);
    }
    free(fs.src);
    for (size_t i = 0; i < rs.n; i++) {
        mrs_rtr_session_free(rs.slot[i].sess);
        mrs_rpki_free(rs.slot[i].table);
    }
    free(rs.slot);
    mrs_rpki_free(rs.base);
    *in_use = rs.merged;    /* the engine still points at it: freed after the engine */
    mon_metrics_free(tk.metrics);
    bmp_listener_free(tk.bl, NULL);
    for (size_t i = 0; ws && i < o->nris_ws; i++) {
        mrs_ris_ws_stats wst;
        if (!ws[i].ws)
            continue;
        mrs_ris_ws_stop(ws[i].ws, &wst);
        mrs_ris_live_stream_clear(&ws[i].in);
        fprintf(stderr, "manrs monitor: RIS Live %s: %llu connections, %llu messages (%llu malformed), %llu dropped\n",
                o->ris_ws[i], (unsigned long long)wst.connects, (unsigned long long)wst.messages,
                (unsigned long long)ws[i].st.malformed, (unsigned long long)wst.dropped);
    }
    for (size_t i = 0; subs && i < nsub; i++)
        free(subs[i]);
    free(subs);
    free(ws);
    mrs_mrt_feed_clear(&l.feed);
    mrs_evloop_free(lp);
    return rc;
}

int monitor_run(const monitor_opts *o)
{
    mrs_diag diag;
    mrs_diag_init(&diag, stderr);
    diag.max_print = 1000;
    mon_config cfg;
    if (mon_config_load(o->config, &cfg, &diag) < 0)
        return 1;
    int rc = 1;
    mrs_kbs kbs;
    mrs_kbs_init(&kbs);
    mon_engine *e = NULL;
    mrt_decoder *dec = NULL;
    input *in = NULL;
    mrs_rpki *rtr_set = NULL;
    sink s;
    memset(&s, 0, sizeof s);
    s.o = o;
    s.syslog_fd = -1;
    mrs_outbuf_init(&s.out, stdout);
    for (size_t i = 0; i < o->nvrps; i++)
        if (mrs_kbs_load(&kbs, MRS_KB_VRPS, o->vrps[i], &diag, NULL) != 0)
            goto out;
    for (size_t i = 0; i < o->nrtr; i++)
        if (mrs_kbs_load(&kbs, MRS_KB_RTR, o->rtr[i], &diag, NULL) != 0)
            goto out;
    if (o->asrel && mrs_kbs_load(&kbs, MRS_KB_ASREL, o->asrel, &diag, NULL) != 0)
        goto out;
    for (size_t i = 0; i < o->nbogons; i++)
        if (mrs_kbs_load(&kbs, MRS_KB_BOGONS, o->bogons[i], &diag, NULL) != 0)
            goto out;
    if (mrs_kbs_require(&kbs, MRS_KBS_BOGONS) != 0) {
        fprintf(stderr, "manrs monitor: out of memory\n");
        goto out;
    }
    if (mrs_kbs_finish(&kbs, NULL) != MRS_KBS_OK) {
        fprintf(stderr, "manrs monitor: out of memory building the VRP index\n");
        goto out;
    }
    if (o->output) {
        if (!(s.fp = fopen(o->output, "a"))) {
            fprintf(stderr, "manrs monitor: %s: %s\n", o->output, strerror(errno));
            goto out;
        }
        mrs_outbuf_init(&s.file, s.fp);
    }
    if (o->syslog)
        openlog("manrs-monitor", LOG_PID, LOG_DAEMON);
    if (o->syslog_server) {
        char err[256];
        if ((s.syslog_fd = mrs_udp_connect(o->syslog_server, err, sizeof err)) < 0) {
            fprintf(stderr, "manrs monitor: --syslog-server %s: %s\n", o->syslog_server, err);
            goto out;
        }
        if (gethostname(s.host, sizeof s.host) != 0 || !*s.host)
            snprintf(s.host, sizeof s.host, "-");
        s.host[sizeof s.host - 1] = 0;
    }
    if (o->notify.nwebhooks || o->notify.nmail_to) {
        char err[256];
        if (!(s.notify = mon_notify_start(&o->notify, err, sizeof err))) {
            fprintf(stderr, "manrs monitor: %s\n", err);
            goto out;
        }
    }
    mon_opts eo = {o->min_peers, kbs.have_vrps ? kbs.rpki : NULL, o->repeat_s, kbs.asrel, kbs.bogons, o->roa_expiry_s};
    if (!(e = mon_engine_new(&cfg, &eo, on_alert, &s)) || !(dec = mrt_decoder_new(&diag))) {
        fprintf(stderr, "manrs monitor: out of memory\n");
        goto out;
    }
    fprintf(stderr, "manrs monitor: %zu prefixes and %zu ASes monitored (%zu entries skipped)%s%s%s\n", cfg.nprefixes,
            cfg.nasns, cfg.skipped, eo.rpki ? ", RPKI alerts on" : "",
            eo.rpki && mrs_rpki_aspa_count(eo.rpki) ? ", ASPA leak checks on" : "",
            eo.asrel ? ", AS-relationship leak checks on" : "");

    /* the files, in time order */
    size_t n = o->nmrt + o->nris;
    if (n && !(in = calloc(n, sizeof *in)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        input *x = &in[i];
        x->ris = i >= o->nmrt;
        x->path = x->ris ? o->ris_live[i - o->nmrt] : o->mrt[i];
        x->timed = x->ris ? mrs_ris_live_first_time(x->path, &x->t) : mrs_mrt_file_peek(x->path, &x->t, &x->rib);
    }
    if (n)
        qsort(in, n, sizeof *in, input_cmp);
    for (size_t i = 0; i < n; i++) {
        if (in[i].ris) {
            mrs_ris_live_stats rs;
            mrs_ris_live_feed(in[i].path, dec, &diag, mon_engine_event, e, &rs);
        } else {
            mrt_scan_result res;
            mrs_mrt_feed_file(in[i].path, dec, &diag, false, mon_engine_event, e, &res);
        }
    }
    if ((o->bmp_listen || o->nris_ws || o->nfollow) && run_live(o, e, dec, &s, &cfg, &diag, &rtr_set) < 0)
        goto out;
    mon_stats st = mon_engine_stats(e);
    fprintf(stderr,
            "manrs monitor: %llu route events, %llu concerning the configuration; %llu alerts raised, %llu resolved; "
            "%zu routes held\n",
            (unsigned long long)st.events, (unsigned long long)st.relevant, (unsigned long long)st.raised,
            (unsigned long long)st.resolved, st.held);
    mon_engine_active(e, print_active, NULL);
    if (s.notify) {
        mon_notify_stats ns;
        mon_notify_stop(s.notify, 10, &ns);
        s.notify = NULL;
        fprintf(stderr, "manrs monitor: notifications: %llu sent, %llu failed, %llu dropped (queue full)\n",
                (unsigned long long)ns.sent, (unsigned long long)ns.failed, (unsigned long long)ns.dropped);
    }
    if (s.syslog_fd >= 0)
        fprintf(stderr, "manrs monitor: syslog %s: %llu messages sent, %llu failed\n", o->syslog_server,
                (unsigned long long)s.syslog_sent, (unsigned long long)s.syslog_failed);
    rc = diag.errors || s.write_failed ? 1 : 0;
    if (s.write_failed)
        fprintf(stderr, "manrs monitor: %s: write error\n", o->output);
out:
    mon_notify_stop(s.notify, 0, NULL);
    if (!mrs_outbuf_close(&s.out))
        rc = 1;
    if (s.fp) {
        mrs_outbuf_close(&s.file);
        fclose(s.fp);
    }
    if (o->syslog)
        closelog();
    if (s.syslog_fd >= 0)
        close(s.syslog_fd);
    free(in);
    mrt_decoder_free(dec);
    mon_engine_free(e);
    mrs_rpki_free(rtr_set);
    mrs_kbs_clear(&kbs);
    mon_config_clear(&cfg);
    return rc;
}
