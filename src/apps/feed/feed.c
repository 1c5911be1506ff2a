/*
 * feed.c — `manrs feed`: MRT route events published on NATS JetStream, read back,
 * or (dry run) digested straight from the files. feed.h says what; docs/scale.md why.
 */
#include "manrs/apps/feed.h"

#include <dirent.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <nats/nats.h>

#include "manrs/core/diag.h"
#include "manrs/core/grow.h"
#include "manrs/core/hashset.h"
#include "manrs/feeds/mrt_feed.h"
#include "manrs/feeds/route_event_codec.h"

#define PROG "manrs feed"
#define MAX_MALFORMED_LOGGED 100

void feed_url_redact(const char *url, char *out, size_t cap)
{
    const char *scheme = strstr(url, "://");
    const char *host = scheme ? scheme + 3 : url;
    const char *end = host + strcspn(host, "/,");
    const char *at = NULL;
    for (const char *p = host; p < end; p++)
        if (*p == '@')
            at = p;
    if (!at) {
        snprintf(out, cap, "%s", url);
    } else {
        snprintf(out, cap, "%.*s%s", (int)(host - url), url, at + 1);
    }
    mrs_text_safe_inplace(out, cap);
}

bool feed_name_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '-'))
            return false;
    return true;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ digest */

/* Per partition, an order-sensitive chain of the events' digests; the partitions
 * combined in partition order. Equal for the files and for the stream read back
 * when every partition holds the same events in the same order. */
typedef struct digest {
    uint64_t *chain;
    uint64_t events, bytes;
    uint8_t *scratch;
} digest;

static bool digest_init(digest *d)
{
    memset(d, 0, sizeof *d);
    d->chain = calloc(MRS_REV_PARTITIONS, sizeof *d->chain);
    d->scratch = malloc(MRS_REV_MAX_MSG);
    return d->chain && d->scratch;
}

static void digest_free(digest *d)
{
    free(d->chain);
    free(d->scratch);
}

static bool digest_add(digest *d, const mrs_route_event *ev)
{
    uint64_t h = mrs_rev_digest(ev, d->scratch, MRS_REV_MAX_MSG);
    long p = mrs_rev_partition(ev);
    if (!h || p < 0)
        return false;
    d->chain[p] = mrs_mix64(d->chain[p] ^ h) + 1;
    d->events++;
    d->bytes += mrs_rev_encode(ev, d->scratch, MRS_REV_MAX_MSG);
    return true;
}

static uint64_t digest_value(const digest *d)
{
    uint64_t h = 0x84222325cbf29ce4ULL;
    for (long p = 0; p < MRS_REV_PARTITIONS; p++)
        if (d->chain[p])
            h = mrs_mix64(h ^ mrs_mix64((uint64_t)p + 1) ^ d->chain[p]);
    return h;
}

/* ------------------------------------------------------------------ inputs */

typedef struct inputs {
    char **v;
    size_t n, cap;
} inputs;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool inputs_add(inputs *in, const char *path)
{
    char **nv = mrs_grow(in->v, &in->cap, in->n + 1, sizeof *nv, 16);
    if (!nv)
        return false;
    in->v = nv;
    return (in->v[in->n] = strdup(path)) != NULL && ++in->n;
}

/* Files as given; a directory: its regular, non-hidden files in name order. */
static bool inputs_expand(inputs *in, char *const *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(args[i], &st) != 0) {
            fprintf(stderr, PROG ": %s: cannot open the file\n", args[i]);
            return false;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (!inputs_add(in, args[i]))
                return false;
            continue;
        }
        DIR *d = opendir(args[i]);
        if (!d) {
            fprintf(stderr, PROG ": %s: cannot read the directory\n", args[i]);
            return false;
        }
        size_t first = in->n;
        struct dirent *e;
        bool ok = true;
        while (ok && (e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", args[i], e->d_name);
            if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
                ok = inputs_add(in, p);
        }
        closedir(d);
        if (!ok)
            return false;
        qsort(in->v + first, in->n - first, sizeof *in->v, cmp_str);
    }
    return true;
}

static void inputs_free(inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->v[i]);
    free(in->v);
}

/* ------------------------------------------------------------------ NATS */

typedef struct conn {
    natsConnection *nc;
    jsCtx *js;
    char url[512];          /* redacted */
    char base[160];         /* manrs.ev.STREAM */
    const char *stream;
} conn;

static void conn_close(conn *c)
{
    if (c->js)
        jsCtx_Destroy(c->js);
    if (c->nc)
        natsConnection_Destroy(c->nc);
    c->js = NULL;
    c->nc = NULL;
}

/* reconnect: let libnats reconnect on its own (readers); a publisher does not,
 * see publish(). quiet: no message when the server cannot be reached. */
static bool conn_open(conn *c, const feed_opts *o, jsOptions *jo, bool reconnect, bool quiet)
{
    natsOptions *no = NULL;
    natsStatus s = natsOptions_Create(&no);
    if (s == NATS_OK)
        s = natsOptions_SetURL(no, o->nats_url);
    if (s == NATS_OK)
        s = natsOptions_SetTimeout(no, o->timeout_ms ? o->timeout_ms : 5000);
    if (s == NATS_OK)
        s = natsOptions_SetName(no, "manrs feed");
    if (s == NATS_OK && reconnect)
        s = natsOptions_SetMaxReconnect(no, 120);
    if (s == NATS_OK && reconnect)
        s = natsOptions_SetReconnectWait(no, 500);
    if (s == NATS_OK && !reconnect)
        s = natsOptions_SetAllowReconnect(no, false);
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: bad NATS URL or options: %s\n", c->url, natsStatus_GetText(s));
        natsOptions_Destroy(no);
        return false;
    }
    s = natsConnection_Connect(&c->nc, no);
    natsOptions_Destroy(no);
    if (s != NATS_OK) {
        if (!quiet)
            fprintf(stderr, PROG ": %s: cannot connect to NATS: %s\n", c->url, natsStatus_GetText(s));
        return false;
    }
    jo->Wait = o->timeout_ms ? o->timeout_ms : 5000;
    s = natsConnection_JetStream(&c->js, c->nc, jo);
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: JetStream: %s\n", c->url, natsStatus_GetText(s));
        return false;
    }
    return true;
}

/* The stream exists with our subjects, or is created (file storage). */
static bool stream_ensure(conn *c)
{
    char pattern[200];
    snprintf(pattern, sizeof pattern, "%s.>", c->base);
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetStreamInfo(&si, c->js, c->stream, NULL, &jerr);
    if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr) {
        jsStreamConfig sc;
        jsStreamConfig_Init(&sc);
        const char *subjects[1] = {pattern};
        sc.Name = c->stream;
        sc.Subjects = subjects;
        sc.SubjectsLen = 1;
        sc.Storage = js_FileStorage;
        jerr = 0;
        s = js_AddStream(&si, c->js, &sc, NULL, &jerr);
        if (s != NATS_OK) {
            fprintf(stderr, PROG ": %s: cannot create stream %s (%s): %s (JetStream error %d)\n", c->url, c->stream,
                    pattern, natsStatus_GetText(s), (int)jerr);
            return false;
        }
        jsStreamInfo_Destroy(si);
        return true;
    }
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: stream %s: %s (JetStream error %d; is JetStream enabled, nats-server -js?)\n",
                c->url, c->stream, natsStatus_GetText(s), (int)jerr);
        return false;
    }
    bool ok = false;
    for (int i = 0; si->Config && i < si->Config->SubjectsLen; i++)
        if (!strcmp(si->Config->Subjects[i], pattern))
            ok = true;
    if (!ok)
        fprintf(stderr, PROG ": %s: stream %s exists but does not hold the subjects %s\n", c->url, c->stream, pattern);
    jsStreamInfo_Destroy(si);
    return ok;
}

/* ------------------------------------------------------------------ publish */

typedef struct pub {
    const feed_opts *o;
    conn *c;
    char progress_subject[240];
    uint8_t *buf;
    /* the acknowledgement handler runs on a libnats thread */
    pthread_mutex_t mu;
    uint64_t acked, dups, failed;
    char first_error[512];
    /* the publishing thread */
    const char *file;
    uint64_t file_hash, idx, skip_until, published, skipped, bytes, since_checkpoint;
    bool stop, nats_error;
    double t0, last_progress;
} pub;

#define FEED_RETRIES 5

/* A new connection within seconds (the server restarting)? */
static bool reconnect_within(conn *c, const feed_opts *o, jsOptions *jo, int seconds)
{
    conn_close(c);
    double end = now_s() + seconds;
    while (now_s() < end) {
        if (conn_open(c, o, jo, false, true))
            return true;
        conn_close(c);
        nats_Sleep(500);
    }
    return false;
}

static void on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
    (void)js;
    pub *p = closure;
    pthread_mutex_lock(&p->mu);
    if (pae) {
        if (!p->failed++)
            snprintf(p->first_error, sizeof p->first_error, "%s: %s",
                     natsMsg_GetSubject(msg) ? natsMsg_GetSubject(msg) : "?",
                     pae->ErrText ? pae->ErrText : natsStatus_GetText(pae->Err));
    } else if (pa) {
        p->acked++;
        if (pa->Duplicate)
            p->dups++;
    }
    pthread_mutex_unlock(&p->mu);
    natsMsg_Destroy(msg);
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 0x100000001b3ULL;
    }
    return mrs_mix64(h);
}

/* Every acknowledgement in (or fail), then the progress record: FILE's first
 * next_idx events are in the stream. */
static bool checkpoint(pub *p, uint64_t next_idx)
{
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 250;
    natsStatus s = NATS_TIMEOUT;
    uint64_t failed = 0;
    /* up to a minute, but no longer than the connection lives or acknowledgements
     * come back positive */
    for (int i = 0; i < 240 && s == NATS_TIMEOUT && !failed; i++) {
        s = js_PublishAsyncComplete(p->c->js, &po);
        pthread_mutex_lock(&p->mu);
        failed = p->failed;
        pthread_mutex_unlock(&p->mu);
        if (s == NATS_TIMEOUT && natsConnection_IsClosed(p->c->nc)) {
            s = NATS_CONNECTION_CLOSED;
            break;
        }
    }
    if (s != NATS_OK || failed) {
        if (failed)
            fprintf(stderr, PROG ": %s: stream %s: %" PRIu64 " events not acknowledged, the first: %s\n", p->c->url,
                    p->c->stream, failed, p->first_error);
        else
            fprintf(stderr, PROG ": %s: stream %s: waiting for acknowledgements: %s\n", p->c->url, p->c->stream,
                    natsStatus_GetText(s));
        return false;
    }
    char rec[4200];
    int n = snprintf(rec, sizeof rec, "1 %" PRIu64 " %s\n", next_idx, p->file);
    jsPubAck *pa = NULL;
    jsErrCode jerr = 0;
    s = js_Publish(&pa, p->c->js, p->progress_subject, rec, n, NULL, &jerr);
    jsPubAck_Destroy(pa);
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: %s: cannot record the progress: %s (JetStream error %d)\n", p->c->url,
                p->progress_subject, natsStatus_GetText(s), (int)jerr);
        return false;
    }
    p->since_checkpoint = 0;
    return true;
}

static void on_event(const mrs_route_event *ev, void *user)
{
    pub *p = user;
    uint64_t idx = p->idx++;
    if (p->stop)
        return;
    if (idx < p->skip_until) {
        p->skipped++;
        return;
    }
    size_t n = mrs_rev_encode(ev, p->buf, MRS_REV_MAX_MSG);
    if (!n) {
        fprintf(stderr, PROG ": %s: offset %" PRIu64 ": event cannot be encoded (skipped)\n", p->file, ev->offset);
        return;
    }
    char subject[200], id[64];
    mrs_rev_subject(p->c->base, ev, subject, sizeof subject);
    snprintf(id, sizeof id, "%016" PRIx64 "-%" PRIu64, p->file_hash, idx);
    natsMsg *m = NULL;
    natsStatus s = natsMsg_Create(&m, subject, NULL, (const char *)p->buf, (int)n);
    if (s == NATS_OK)
        s = natsMsgHeader_Set(m, "Nats-Msg-Id", id);
    if (s == NATS_OK)
        s = js_PublishMsgAsync(p->c->js, &m, NULL);
    if (s != NATS_OK) {
        natsMsg_Destroy(m);
        fprintf(stderr, PROG ": %s: %s: cannot publish the event at %s offset %" PRIu64 ": %s\n", p->c->url, subject,
                p->file, ev->offset, natsStatus_GetText(s));
        p->stop = p->nats_error = true;
        return;
    }
    p->published++;
    p->bytes += n;
    if (++p->since_checkpoint >= (p->o->checkpoint ? p->o->checkpoint : 20000) && !checkpoint(p, idx + 1))
        p->stop = p->nats_error = true;
    if (p->o->progress && (p->published & 4095) == 0) {
        double t = now_s();
        if (t - p->last_progress >= 1) {
            p->last_progress = t;
            fprintf(stderr, "\r" PROG ": %" PRIu64 " events published (%.0f/s)  ", p->published,
                    (double)p->published / (t - p->t0));
        }
    }
}

/* The progress record: 0 none (or ignored), 1 found (*file_i, *skip), -1 error. */
static int read_progress(pub *p, const inputs *in, size_t *file_i, uint64_t *skip)
{
    natsMsg *m = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetLastMsg(&m, p->c->js, p->c->stream, p->progress_subject, NULL, &jerr);
    if (s == NATS_NOT_FOUND || jerr == JSNoMessageFoundErr)
        return 0;
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: %s: cannot read the progress record: %s (JetStream error %d)\n", p->c->url,
                p->progress_subject, natsStatus_GetText(s), (int)jerr);
        return -1;
    }
    char rec[4200];
    int len = natsMsg_GetDataLength(m);
    snprintf(rec, sizeof rec, "%.*s", len < 0 ? 0 : len, natsMsg_GetData(m));
    natsMsg_Destroy(m);
    char *nl = strchr(rec, '\n');
    if (nl)
        *nl = 0;
    unsigned long long next;
    int off = 0;
    if (sscanf(rec, "1 %llu %n", &next, &off) != 1 || !off) {
        fprintf(stderr, PROG ": %s: %s: progress record not understood: starting from the first input\n", p->c->url,
                p->progress_subject);
        return 0;
    }
    for (size_t i = 0; i < in->n; i++)
        if (!strcmp(in->v[i], rec + off)) {
            *file_i = i;
            *skip = next;
            return 1;
        }
    mrs_text_safe_inplace(rec, sizeof rec);
    fprintf(stderr, PROG ": %s: %s: the last progress (%s) is not among the inputs: starting from the first "
                    "(events already in the stream are dropped as duplicates)\n",
            p->c->url, p->progress_subject, rec + off);
    return 0;
}

static int publish(const feed_opts *o, conn *c, const inputs *in)
{
    pub p;
    memset(&p, 0, sizeof p);
    p.o = o;
    p.c = c;
    pthread_mutex_init(&p.mu, NULL);
    snprintf(p.progress_subject, sizeof p.progress_subject, "%s.progress.%s", c->base, o->name ? o->name : "mrt");
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.PublishAsync.MaxPending = o->max_pending ? o->max_pending : 4096;
    jo.PublishAsync.AckHandler = on_ack;
    jo.PublishAsync.AckHandlerClosure = &p;
    jo.PublishAsync.StallWait = 60000;
    int rc = 1;
    if (!(p.buf = malloc(MRS_REV_MAX_MSG)))
        goto out;
    if (!conn_open(c, o, &jo, false, false) || !stream_ensure(c))
        goto out;
    p.t0 = p.last_progress = now_s();
    uint64_t files = 0;
    for (unsigned attempt = 0;; attempt++) {
        size_t first = 0;
        uint64_t skip = 0;
        /* --from-start: the first attempt only; after a NATS failure, this run's
         * own progress record says where to go on from */
        int r = o->from_start && attempt == 0 ? 0 : read_progress(&p, in, &first, &skip);
        if (r < 0)
            p.stop = p.nats_error = true;
        else if (r > 0 && (first || skip))
            fprintf(stderr, PROG ": resuming at %s, event %" PRIu64 " (%s)\n", in->v[first], skip,
                    p.progress_subject);
        for (size_t i = first; i < in->n && !p.stop; i++) {
            p.file = in->v[i];
            p.file_hash = hash_str(in->v[i]);
            p.idx = 0;
            p.skip_until = i == first ? skip : 0;
            mrs_diag diag;
            mrs_diag_init(&diag, stderr);
            diag.max_print = 20;
            if (mrs_mrt_feed_path(in->v[i], &diag, false, on_event, &p) < 0) {
                fprintf(stderr, PROG ": %s: cannot read the MRT file\n", in->v[i]);
                p.stop = true;
                break;
            }
            if (!p.stop && !checkpoint(&p, p.idx))
                p.stop = p.nats_error = true;
            if (!p.stop)
                files++;
        }
        if (o->progress)
            fputs("\r\033[K", stderr);
        if (!p.stop)
            break;
        /* NATS went away (a server restart). The connection does not reconnect
         * by itself: libnats would replay its buffered messages after a gap (those
         * the old server never read), storing them out of order. A new connection
         * instead, and on from the last progress record: the stream holds a prefix
         * of what was sent (one connection, stored in order), what it has after the
         * record is dropped as a duplicate, and the order in every partition holds. */
        if (!p.nats_error || attempt >= FEED_RETRIES)
            goto out;
        fprintf(stderr, PROG ": %s: reconnecting (attempt %u of %d)\n", c->url, attempt + 1, FEED_RETRIES);
        if (!reconnect_within(c, o, &jo, 60)) {
            fprintf(stderr, PROG ": %s: NATS did not come back within 60 s\n", c->url);
            goto out;
        }
        if (!stream_ensure(c))   /* a server without its store: the stream again */
            goto out;
        pthread_mutex_lock(&p.mu);
        p.failed = 0;
        pthread_mutex_unlock(&p.mu);
        p.stop = p.nats_error = false;
        p.since_checkpoint = 0;
    }
    double dt = now_s() - p.t0;
    pthread_mutex_lock(&p.mu);
    uint64_t dups = p.dups;
    pthread_mutex_unlock(&p.mu);
    printf("published %" PRIu64 " skipped %" PRIu64 " duplicates %" PRIu64 " files %" PRIu64 " bytes %" PRIu64 "\n",
           p.published, p.skipped, dups, files, p.bytes);
    fprintf(stderr,
            PROG ": %" PRIu64 " events published to stream %s at %s (%" PRIu64 " already there: skipped; %" PRIu64
                 " dropped as duplicates) in %.2f s: %.0f events/s, %.1f bytes per event\n",
            p.published, c->stream, c->url, p.skipped, dups, dt, dt > 0 ? (double)p.published / dt : 0.0,
            p.published ? (double)p.bytes / (double)p.published : 0.0);
    rc = 0;
out:
    conn_close(c);
    nats_CloseAndWait(5000);   /* before p goes: no acknowledgement handler runs after this */
    pthread_mutex_destroy(&p.mu);
    free(p.buf);
    return rc;
}

/* ------------------------------------------------------------------ read */

/* The messages on subject (a filter) in the stream: -1 after saying why not. */
static int64_t stream_count(conn *c, const char *subject, bool filtered)
{
    jsOptions jo;
    jsOptions_Init(&jo);
    if (filtered)
        jo.Stream.Info.SubjectsFilter = subject;
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetStreamInfo(&si, c->js, c->stream, &jo, &jerr);
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: stream %s: %s%s\n", c->url, c->stream,
                s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr ? "no such stream" : natsStatus_GetText(s),
                s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr ? "" : " (is JetStream enabled, nats-server -js?)");
        return -1;
    }
    int64_t n = (int64_t)si->State.Msgs;
    if (filtered) {
        n = 0;
        for (int i = 0; si->State.Subjects && i < si->State.Subjects->Count; i++)
            n += (int64_t)si->State.Subjects->List[i].Msgs;
    }
    jsStreamInfo_Destroy(si);
    return n;
}

static int read_stream(const feed_opts *o, conn *c)
{
    jsOptions jo;
    jsOptions_Init(&jo);
    if (!conn_open(c, o, &jo, true, false))
        return 1;
    digest d;
    uint32_t *words = malloc(4 * MRS_REV_MAX_WORDS);
    if (!digest_init(&d) || !words) {
        fprintf(stderr, PROG ": out of memory\n");
        digest_free(&d);
        free(words);
        conn_close(c);
        return 1;
    }
    char subject[256], progress_prefix[200];
    snprintf(subject, sizeof subject, "%s", o->subject ? o->subject : "");
    if (!o->subject)
        snprintf(subject, sizeof subject, "%s.>", c->base);
    size_t pl = (size_t)snprintf(progress_prefix, sizeof progress_prefix, "%s.progress.", c->base);
    uint64_t malformed = 0, progress = 0, seen = 0;
    double t0 = now_s();
    natsSubscription *sub = NULL;
    jsErrCode jerr = 0;
    int rc = 1;
    natsStatus s;
    int64_t expect = stream_count(c, subject, o->subject != NULL);
    if (expect < 0)
        goto out;
    if (expect == 0)
        goto done;   /* nothing to wait for */
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = c->stream;
    so.Ordered = true;
    so.Config.DeliverPolicy = js_DeliverAll;
    s = js_SubscribeSync(&sub, c->js, subject, NULL, &so, &jerr);
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: stream %s, subject %s: cannot subscribe: %s (JetStream error %d)\n", c->url,
                c->stream, subject, natsStatus_GetText(s), (int)jerr);
        goto out;
    }
    natsSubscription_SetPendingLimits(sub, 1 << 20, 512 << 20);
    for (;;) {
        natsMsg *m = NULL;
        s = natsSubscription_NextMsg(&m, sub, o->timeout_ms ? o->timeout_ms : 5000);
        if (s == NATS_TIMEOUT) {
            if ((int64_t)seen < expect) {
                fprintf(stderr, PROG ": %s: stream %s, subject %s: nothing for %u ms after %" PRIu64 " of %" PRId64
                                " messages\n",
                        c->url, c->stream, subject, o->timeout_ms ? o->timeout_ms : 5000, seen, expect);
                goto out;
            }
            break;   /* nothing more on the subject */
        }
        seen++;
        if (s != NATS_OK) {
            fprintf(stderr, PROG ": %s: stream %s, subject %s: %s\n", c->url, c->stream, subject, natsStatus_GetText(s));
            goto out;
        }
        jsMsgMetaData *meta = NULL;
        uint64_t seq = 0, pending = 1;
        if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
            seq = meta->Sequence.Stream;
            pending = meta->NumPending;
            jsMsgMetaData_Destroy(meta);
        }
        const char *subj = natsMsg_GetSubject(m);
        if (!strncmp(subj, progress_prefix, pl)) {
            progress++;
        } else {
            const uint8_t *data = (const uint8_t *)natsMsg_GetData(m);
            size_t len = (size_t)natsMsg_GetDataLength(m);
            mrs_route_event ev;
            const char *field = NULL;
            size_t got = data ? mrs_rev_decode(data, len, &ev, words, &field) : 0;
            char want[200] = "";
            if (got && got != len)
                field = "length (bytes after the event)";
            else if (got && (mrs_rev_subject(c->base, &ev, want, sizeof want), strcmp(want, subj)))
                field = "subject (the event belongs to another partition)";
            if (!got || got != len || strcmp(want, subj)) {
                if (malformed++ < MAX_MALFORMED_LOGGED) {
                    char safe[300];
                    mrs_text_safe(safe, sizeof safe, subj, strlen(subj));
                    fprintf(stderr, PROG ": %s: seq %" PRIu64 ": malformed event (%s): skipped\n", safe, seq,
                            field ? field : "empty");
                }
            } else if (!digest_add(&d, &ev)) {
                malformed++;
            }
        }
        natsMsg_Destroy(m);
        if (pending == 0)
            break;
        if (o->progress && (d.events & 65535) == 0 && d.events)
            fprintf(stderr, "\r" PROG ": %" PRIu64 " events read  ", d.events);
    }
done:
    if (o->progress)
        fputs("\r\033[K", stderr);
    double dt = now_s() - t0;
    printf("events %" PRIu64 " malformed %" PRIu64 " progress %" PRIu64 " digest %016" PRIx64 " bytes %" PRIu64 "\n",
           d.events, malformed, progress, digest_value(&d), d.bytes);
    fprintf(stderr, PROG ": %" PRIu64 " events read from stream %s (%s) at %s in %.2f s: %.0f events/s; %" PRIu64
                    " malformed, skipped\n",
            d.events, c->stream, subject, c->url, dt, dt > 0 ? (double)d.events / dt : 0.0, malformed);
    rc = 0;
out:
    if (sub)
        natsSubscription_Destroy(sub);
    conn_close(c);
    nats_CloseAndWait(5000);
    digest_free(&d);
    free(words);
    return rc;
}

/* ------------------------------------------------------------------ dry run */

static void on_dry(const mrs_route_event *ev, void *user)
{
    digest *d = user;
    if (!digest_add(d, ev))
        fprintf(stderr, PROG ": %s: offset %" PRIu64 ": event cannot be encoded (skipped)\n", ev->source, ev->offset);
}

static int dry_run(const inputs *in)
{
    digest d;
    if (!digest_init(&d)) {
        digest_free(&d);
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    int rc = 0;
    for (size_t i = 0; i < in->n && !rc; i++) {
        mrs_diag diag;
        mrs_diag_init(&diag, stderr);
        diag.max_print = 20;
        if (mrs_mrt_feed_path(in->v[i], &diag, false, on_dry, &d) < 0) {
            fprintf(stderr, PROG ": %s: cannot read the MRT file\n", in->v[i]);
            rc = 1;
        }
    }
    if (!rc)
        printf("events %" PRIu64 " malformed 0 progress 0 digest %016" PRIx64 " bytes %" PRIu64 "\n", d.events,
               digest_value(&d), d.bytes);
    digest_free(&d);
    return rc;
}

int feed_run(const feed_opts *o)
{
    conn c;
    memset(&c, 0, sizeof c);
    c.stream = o->stream ? o->stream : "manrs";
    snprintf(c.base, sizeof c.base, "manrs.ev.%s", c.stream);
    if (o->nats_url)
        feed_url_redact(o->nats_url, c.url, sizeof c.url);
    if (o->mode == FEED_READ)
        return read_stream(o, &c);
    inputs in;
    memset(&in, 0, sizeof in);
    int rc = 1;
    if (!inputs_expand(&in, o->inputs, o->n_inputs))
        goto out;
    if (!in.n) {
        fprintf(stderr, PROG ": no MRT file among the inputs\n");
        goto out;
    }
    rc = o->mode == FEED_DRY_RUN ? dry_run(&in) : publish(o, &c, &in);
out:
    inputs_free(&in);
    return rc;
}
