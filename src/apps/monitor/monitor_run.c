/*
 * monitor_run.c — `manrs monitor`: inputs (MRT and RIS Live files replayed in
 * time order, then BMP live) into the engine, alerts out to the channels.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "manrs/apps/bmpd.h"
#include "manrs/apps/monitor.h"
#include "manrs/core/outbuf.h"
#include "manrs/feeds/mrt_feed.h"
#include "manrs/feeds/ris_live.h"
#include "manrs/kb/kbs.h"

typedef struct sink {
    const monitor_opts *o;
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

typedef struct ticker {
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
    bmp_listener_tick(t->bl);
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
    bmp_listener_stats bs = bmp_listener_get_stats(t->bl);
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
    sink s;
    memset(&s, 0, sizeof s);
    s.o = o;
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
    if (o->notify.nwebhooks || o->notify.nmail_to) {
        char err[256];
        if (!(s.notify = mon_notify_start(&o->notify, err, sizeof err))) {
            fprintf(stderr, "manrs monitor: %s\n", err);
            goto out;
        }
    }
    mon_opts eo = {o->min_peers, kbs.have_vrps ? kbs.rpki : NULL, o->repeat_s, kbs.asrel, kbs.bogons};
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
    if (o->bmp_listen) {
        mrs_evloop *lp = mrs_evloop_new();
        live l = {dec, {0}};
        bmp_listener *bl = NULL;
        bmp_listener_opts lo = {"manrs monitor", o->bmp_listen, o->timeout_s, 0, on_record, &l};
        ticker tk = {NULL, e, NULL, &s, 0};
        char err[256] = "";
        if (!lp || mrs_mrt_feed_init(&l.feed, "bmp", on_event, &tk) != 0 || !(tk.bl = bl = bmp_listener_new(lp, &lo)) ||
            mrs_evloop_timer(lp, 1000, on_tick, &tk) < 0 ||
            (o->port_file && mrs_server_port_file("manrs monitor", bmp_listener_fd(bl), o->port_file) < 0) ||
            (o->metrics_listen &&
             !(tk.metrics = mon_metrics_new(lp, o->metrics_listen, write_metrics, &tk, err, sizeof err)))) {
            if (*err)
                fprintf(stderr, "manrs monitor: /metrics: cannot listen on %s\n", err);
            else if (lp && bl)
                fprintf(stderr, "manrs monitor: cannot set up the BMP listener: %s\n", strerror(errno));
            mon_metrics_free(tk.metrics);
            bmp_listener_free(bl, NULL);
            mrs_mrt_feed_clear(&l.feed);
            mrs_evloop_free(lp);
            goto out;
        }
        mrt_decoder_begin_file(dec, "bmp");
        fprintf(stderr, "manrs monitor: BMP on %s (port %d)%s%s\n", o->bmp_listen, bmp_listener_port(bl),
                o->metrics_listen ? ", /metrics on " : "", o->metrics_listen ? o->metrics_listen : "");
        int lr = mrs_evloop_run(lp);
        mon_metrics_free(tk.metrics);
        bmp_listener_free(bl, NULL);
        mrs_mrt_feed_clear(&l.feed);
        mrs_evloop_free(lp);
        if (lr < 0) {
            fprintf(stderr, "manrs monitor: event loop failed: %s\n", strerror(errno));
            goto out;
        }
    }
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
    free(in);
    mrt_decoder_free(dec);
    mon_engine_free(e);
    mrs_kbs_clear(&kbs);
    mon_config_clear(&cfg);
    return rc;
}
