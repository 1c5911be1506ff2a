/*
 * wnats.c — NATS and the store for the worker and the coordinator
 * (worker_internal.h): connections that ride out a server restart, the work
 * stream and its shared consumer, the partitions of an event stream, reading one
 * partition in stream order, opening the store again after a failure.
 */
#include "worker_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manrs/core/diag.h"
#include "manrs/core/grow.h"
#include "manrs/feeds/route_event_codec.h"

double wk_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void wconn_close(wconn *c)
{
    if (c->js)
        jsCtx_Destroy(c->js);
    if (c->nc)
        natsConnection_Destroy(c->nc);
    c->js = NULL;
    c->nc = NULL;
}

bool wconn_open(wconn *c, const char *prog, const char *url, const char *stream, unsigned timeout_ms,
                const char *client_name)
{
    memset(c, 0, sizeof *c);
    c->prog = prog;
    c->stream = stream ? stream : "manrs";
    c->timeout_ms = timeout_ms ? timeout_ms : 5000;
    feed_url_redact(url, c->url, sizeof c->url);
    snprintf(c->base, sizeof c->base, "manrs.ev.%s", c->stream);
    snprintf(c->work_stream, sizeof c->work_stream, "MANRS_WORK_%s", c->stream);
    snprintf(c->work_subjects, sizeof c->work_subjects, "manrs.work.%s.>", c->stream);
    snprintf(c->aff_stream, sizeof c->aff_stream, "MANRS_AFF_%s", c->stream);
    snprintf(c->aff_subjects, sizeof c->aff_subjects, "manrs.aff.%s.>", c->stream);
    natsOptions *no = NULL;
    natsStatus s = natsOptions_Create(&no);
    if (s == NATS_OK)
        s = natsOptions_SetURL(no, url);
    if (s == NATS_OK)
        s = natsOptions_SetTimeout(no, c->timeout_ms);
    if (s == NATS_OK)
        s = natsOptions_SetName(no, client_name);
    /* after the first connection: reconnect for ever (a server restart, a network
     * cut): the durable consumer and the streams are the server's */
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(no, -1);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectWait(no, 500);
    if (s != NATS_OK) {
        fprintf(stderr, "%s: %s: bad NATS URL or options: %s\n", prog, c->url, natsStatus_GetText(s));
        natsOptions_Destroy(no);
        return false;
    }
    s = natsConnection_Connect(&c->nc, no);
    natsOptions_Destroy(no);
    if (s != NATS_OK) {
        fprintf(stderr, "%s: %s: cannot connect to NATS: %s\n", prog, c->url, natsStatus_GetText(s));
        c->nc = NULL;
        return false;
    }
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = c->timeout_ms;
    if ((s = natsConnection_JetStream(&c->js, c->nc, &jo)) != NATS_OK) {
        fprintf(stderr, "%s: %s: JetStream: %s\n", prog, c->url, natsStatus_GetText(s));
        wconn_close(c);
        return false;
    }
    return true;
}

/* A work-queue stream (file storage), created when missing. */
static bool queue_stream(wconn *c, const char *name, const char *subject)
{
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetStreamInfo(&si, c->js, name, NULL, &jerr);
    if (s == NATS_OK) {
        jsStreamInfo_Destroy(si);
        return true;
    }
    if (s != NATS_NOT_FOUND && jerr != JSStreamNotFoundErr) {
        fprintf(stderr, "%s: %s: stream %s: %s (JetStream error %d; is JetStream enabled, nats-server -js?)\n",
                c->prog, c->url, name, natsStatus_GetText(s), (int)jerr);
        return false;
    }
    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    const char *subjects[1] = {subject};
    sc.Name = name;
    sc.Subjects = subjects;
    sc.SubjectsLen = 1;
    sc.Retention = js_WorkQueuePolicy;
    sc.Storage = js_FileStorage;
    jerr = 0;
    s = js_AddStream(&si, c->js, &sc, NULL, &jerr);
    if (s != NATS_OK && jerr != JSStreamNameExistErr) {
        fprintf(stderr, "%s: %s: cannot create the work stream %s (%s): %s (JetStream error %d)\n", c->prog, c->url,
                name, subject, natsStatus_GetText(s), (int)jerr);
        return false;
    }
    jsStreamInfo_Destroy(si);
    return true;
}

bool wconn_work_stream(wconn *c)
{
    return queue_stream(c, c->work_stream, c->work_subjects) && queue_stream(c, c->aff_stream, c->aff_subjects);
}

/* A durable pull consumer of stream with this filter, created or given this ack
 * wait (0: created with 30 s when missing, else left as it is); removed by the
 * server after inactive_s without a pull (0: never). */
static bool queue_consumer(wconn *c, const char *stream, const char *durable, const char *filter,
                           unsigned ack_wait_s, unsigned inactive_s)
{
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = durable;
    cc.InactiveThreshold = (int64_t)inactive_s * 1000000000LL;
    cc.AckPolicy = js_AckExplicit;
    cc.AckWait = (int64_t)(ack_wait_s ? ack_wait_s : 30) * 1000000000LL;
    cc.MaxDeliver = -1;
    cc.MaxAckPending = 10000;
    cc.DeliverPolicy = js_DeliverAll;
    cc.FilterSubject = filter;
    jsConsumerInfo *ci = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetConsumerInfo(&ci, c->js, stream, durable, NULL, &jerr);
    if (s == NATS_OK) {
        bool same = ci->Config && ci->Config->AckWait == cc.AckWait;
        jsConsumerInfo_Destroy(ci);
        ci = NULL;
        if (same || !ack_wait_s)
            return true;   /* 0: the coordinator, which leaves the workers' setting */
        s = js_UpdateConsumer(&ci, c->js, stream, &cc, NULL, &jerr);
    } else if (s == NATS_NOT_FOUND || jerr == JSConsumerNotFoundErr) {
        jerr = 0;
        s = js_AddConsumer(&ci, c->js, stream, &cc, NULL, &jerr);
    }
    jsConsumerInfo_Destroy(ci);
    if (s != NATS_OK) {
        fprintf(stderr, "%s: %s: the consumer %s of %s: %s (JetStream error %d)\n", c->prog, c->url, durable, stream,
                natsStatus_GetText(s), (int)jerr);
        return false;
    }
    return true;
}

bool wconn_work_consumer(wconn *c, unsigned ack_wait_s)
{
    return queue_consumer(c, c->work_stream, WORK_CONSUMER, c->work_subjects, ack_wait_s, 0);
}

void wconn_aff_names(const wconn *c, const char *token, char durable[80], char filter[256])
{
    snprintf(durable, 80, "aff_%s", token);
    snprintf(filter, 256, "manrs.aff.%s.%s.>", c->stream, token);
}

bool wconn_aff_consumer(wconn *c, const char *token, unsigned ack_wait_s)
{
    char durable[80], filter[256];
    wconn_aff_names(c, token, durable, filter);
    /* a worker that is gone leaves its consumer: the server removes it after an
     * hour without a pull (a live worker pulls at least every quarter second
     * while idle) */
    return queue_consumer(c, c->aff_stream, durable, filter, ack_wait_s, AFF_INACTIVE_S);
}

int wconn_aff_exists(wconn *c, const char *token)
{
    char durable[80], filter[256];
    wconn_aff_names(c, token, durable, filter);
    jsConsumerInfo *ci = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetConsumerInfo(&ci, c->js, c->aff_stream, durable, NULL, &jerr);
    jsConsumerInfo_Destroy(ci);
    if (s == NATS_OK)
        return 1;
    return s == NATS_NOT_FOUND || jerr == JSConsumerNotFoundErr ? 0 : -1;
}

/* The partition number of an event subject under base, -1 for anything else. */
static long subject_part(const char *base, const char *subj)
{
    size_t bl = strlen(base);
    if (strncmp(subj, base, bl) != 0 || subj[bl] != '.')
        return -1;
    const char *p = subj + bl + 1;
    char *end;
    if (!strncmp(p, "v4.", 3) && p[3] >= '0' && p[3] <= '9') {
        unsigned long v = strtoul(p + 3, &end, 10);
        return *end || v > 255 ? -1 : (long)v;
    }
    if (!strncmp(p, "v6.", 3) && strlen(p + 3) == 4) {
        unsigned long v = strtoul(p + 3, &end, 16);
        return *end ? -1 : 256 + (long)v;
    }
    return -1;
}

static int cmp_part(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* The event stream's state with its subjects matching filter and their message
 * counts; NULL after saying why. */
static jsStreamInfo *subjects_info(wconn *c, const char *filter)
{
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Stream.Info.SubjectsFilter = filter;
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetStreamInfo(&si, c->js, c->stream, &jo, &jerr);
    if (s != NATS_OK) {
        fprintf(stderr, "%s: %s: stream %s: %s (JetStream error %d)\n", c->prog, c->url, c->stream,
                s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr ? "no such stream" : natsStatus_GetText(s),
                (int)jerr);
        return NULL;
    }
    return si;
}

bool wconn_partitions(wconn *c, uint32_t **parts, uint64_t **messages, size_t *n)
{
    *parts = NULL;
    *messages = NULL;
    *n = 0;
    char filter[200];
    snprintf(filter, sizeof filter, "%s.>", c->base);
    jsStreamInfo *si = subjects_info(c, filter);
    if (!si)
        return false;
    int cnt = si->State.Subjects ? si->State.Subjects->Count : 0;
    uint64_t *pairs = malloc(2 * sizeof *pairs * (size_t)(cnt ? cnt : 1));
    size_t k = 0;
    for (int i = 0; pairs && i < cnt; i++) {
        long p = subject_part(c->base, si->State.Subjects->List[i].Subject);
        if (p >= 0 && si->State.Subjects->List[i].Msgs) {
            pairs[2 * k] = (uint64_t)p;
            pairs[2 * k + 1] = si->State.Subjects->List[i].Msgs;
            k++;
        }
    }
    jsStreamInfo_Destroy(si);
    if (pairs)
        qsort(pairs, k, 2 * sizeof *pairs, cmp_part);
    *parts = malloc((k ? k : 1) * sizeof **parts);
    *messages = malloc((k ? k : 1) * sizeof **messages);
    if (!pairs || !*parts || !*messages) {
        free(pairs);
        free(*parts);
        free(*messages);
        *parts = NULL;
        *messages = NULL;
        fprintf(stderr, "%s: out of memory\n", c->prog);
        return false;
    }
    for (size_t i = 0; i < k; i++) {
        (*parts)[i] = (uint32_t)pairs[2 * i];
        (*messages)[i] = pairs[2 * i + 1];
    }
    *n = k;
    free(pairs);
    return true;
}

int64_t wconn_subject_count(wconn *c, const char *subject)
{
    jsStreamInfo *si = subjects_info(c, subject);
    if (!si)
        return -1;
    int64_t n = 0;
    for (int i = 0; si->State.Subjects && i < si->State.Subjects->Count; i++)
        n += (int64_t)si->State.Subjects->List[i].Msgs;
    jsStreamInfo_Destroy(si);
    return n;
}

int wconn_read(wconn *c, const char *subject, uint64_t last_seq, wconn_msg_fn fn, void *ctx,
               bool (*stop)(void *ctx), void *stop_ctx)
{
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = c->stream;
    so.Ordered = true;
    so.Config.DeliverPolicy = js_DeliverAll;
    natsSubscription *sub = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_SubscribeSync(&sub, c->js, subject, NULL, &so, &jerr);
    if (s != NATS_OK) {
        fprintf(stderr, "%s: %s: stream %s, subject %s: cannot subscribe: %s (JetStream error %d)\n", c->prog, c->url,
                c->stream, subject, natsStatus_GetText(s), (int)jerr);
        return -1;
    }
    natsSubscription_SetPendingLimits(sub, 1 << 16, 256 << 20);
    int rc = 0;
    for (;;) {
        if (stop && stop(stop_ctx)) {
            rc = 1;
            break;
        }
        natsMsg *m = NULL;
        s = natsSubscription_NextMsg(&m, sub, c->timeout_ms);
        if (s != NATS_OK) {
            fprintf(stderr, "%s: %s: stream %s, subject %s: %s\n", c->prog, c->url, c->stream, subject,
                    s == NATS_TIMEOUT ? "no message within the timeout (is NATS restarting?)" : natsStatus_GetText(s));
            rc = -1;
            break;
        }
        jsMsgMetaData *meta = NULL;
        uint64_t seq = 0, pending = 0;
        if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
            seq = meta->Sequence.Stream;
            pending = meta->NumPending;
            jsMsgMetaData_Destroy(meta);
        }
        if (!seq || seq > last_seq) {
            natsMsg_Destroy(m);
            break;   /* beyond the seal: not this run's */
        }
        int len = natsMsg_GetDataLength(m);
        int r = fn(seq, (const uint8_t *)natsMsg_GetData(m), len > 0 ? (size_t)len : 0, ctx);
        natsMsg_Destroy(m);
        if (r) {
            rc = r;
            break;
        }
        if (pending == 0 || seq == last_seq)
            break;
    }
    natsSubscription_Destroy(sub);
    return rc;
}

mrs_store *wk_store_open(const char *prog, const char *db, unsigned seconds, bool quiet)
{
    double end = wk_now() + seconds;
    char err[600];
    for (;;) {
        mrs_store *st = mrs_store_open(db, err, sizeof err);
        if (st)
            return st;
        if (!quiet || wk_now() >= end)
            fprintf(stderr, "%s: --db %s\n", prog, err); /* err names the store, never its password */
        if (wk_now() >= end)
            return NULL;
        quiet = true;
        nats_Sleep(500);
    }
}
