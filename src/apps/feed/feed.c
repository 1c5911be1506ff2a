/*
 * feed.c — `manrs feed`: MRT route events published on NATS JetStream in the
 * observatory's reading order, batched per partition and sealed; read back; or
 * (dry run) digested as they would be published. feed.h says what; docs/scale.md why.
 */
#include "manrs/apps/feed.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>
#include <nats/nats.h>

#include "manrs/core/diag.h"
#include "manrs/core/grow.h"
#include "manrs/core/hashset.h"
#include "manrs/feeds/mrt_feed.h"
#include "manrs/feeds/route_event_codec.h"
#include "manrs/observatory/observatory.h"
#include "manrs/output/json_doc.h"

#include "feed_internal.h"

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

double feed_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ digest */

/* Per partition, an order-sensitive chain of the events' digests; the partitions
 * combined in partition order. Equal for the files and for the stream read back
 * when every partition holds the same events in the same order.
 *
 * And the ctl rule (docs/scale.md), checked in stream order: an event's place in
 * reading order is (its source's rank, its offset in it), a source's rank the order
 * in which sources first appear (every message of a file is in the stream before
 * the next file's first); a partition event must not come after a state change
 * that follows it in reading order, nor a state change after a partition event
 * that follows it. A state change is a record of its own: no partition event shares
 * its place. */
typedef struct place {
    uint64_t rank, offset;
} place;

typedef struct digest {
    uint64_t *chain;
    uint64_t events, bytes, wire;   /* bytes: of the events; wire: of the messages */
    uint8_t *scratch;
    mrs_rev_unpacker up;
    char **sources;             /* in order of first appearance */
    size_t n_sources, cap_sources;
    size_t last_source;         /* the rank of the last event's source */
    place last_ctl, max_part;   /* the last state change; the furthest partition event */
    bool have_ctl, have_part;
    uint64_t misordered;
} digest;

static int place_cmp(place a, place b)
{
    if (a.rank != b.rank)
        return a.rank < b.rank ? -1 : 1;
    return a.offset < b.offset ? -1 : a.offset > b.offset;
}

/* The event's place in reading order; false when out of memory. */
static bool digest_place(digest *d, const mrs_route_event *ev, place *pl)
{
    size_t r = d->last_source;
    if (r >= d->n_sources || strcmp(d->sources[r], ev->source) != 0) {
        for (r = 0; r < d->n_sources && strcmp(d->sources[r], ev->source) != 0; r++)
            ;
        if (r == d->n_sources) {
            char **nv = mrs_grow(d->sources, &d->cap_sources, d->n_sources + 1, sizeof *nv, 16);
            if (!nv)
                return false;
            d->sources = nv;
            if (!(d->sources[r] = strdup(ev->source)))
                return false;
            d->n_sources++;
        }
        d->last_source = r;
    }
    *pl = (place){r, ev->offset};
    return true;
}

/* Is the event in its place against the state changes? */
static bool digest_order(digest *d, const mrs_route_event *ev)
{
    place pl;
    if (!digest_place(d, ev, &pl))
        return true;   /* out of memory: not checked */
    bool ok;
    if (ev->kind == MRS_RE_PEER_STATE) {
        ok = !d->have_part || place_cmp(d->max_part, pl) < 0;
        d->last_ctl = pl;
        d->have_ctl = true;
    } else {
        ok = !d->have_ctl || place_cmp(d->last_ctl, pl) < 0;
        if (!d->have_part || place_cmp(d->max_part, pl) < 0)
            d->max_part = pl;
        d->have_part = true;
    }
    d->misordered += !ok;
    return ok;
}

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
    mrs_rev_unpacker_free(&d->up);
    for (size_t i = 0; i < d->n_sources; i++)
        free(d->sources[i]);
    free(d->sources);
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

/* ------------------------------------------------------------------ NATS */

void feed_conn_close(feed_conn *c)
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
bool feed_conn_open(feed_conn *c, const feed_opts *o, jsOptions *jo, bool reconnect, bool quiet)
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
bool feed_stream_ensure(feed_conn *c)
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

/* Every event of one message (a batch: 1..N events of one partition, compressed
 * or not) into the digest, in order. Returns the events added; -1 when the batch
 * or an event does not decode or is not of the subject's partition (*field says
 * what; the events before it are in). *misordered (may be NULL) is set when an
 * event breaks the ctl rule. */
static long digest_message(digest *d, const char *base, const char *subj, const uint8_t *msg, size_t msg_len,
                           uint32_t *words, const char **field, const char **misordered)
{
    if (!msg || !msg_len) {
        *field = "empty message";
        return -1;
    }
    d->wire += msg_len;
    size_t len = 0;
    const uint8_t *data = mrs_rev_batch_events(&d->up, msg, msg_len, &len, field);
    if (!data)
        return -1;
    long n = 0;
    for (size_t off = 0; off < len; n++) {
        mrs_route_event ev;
        const char *f = NULL;
        size_t got = mrs_rev_decode(data + off, len - off, &ev, words, &f);
        if (!got) {
            *field = f ? f : "event";
            return -1;
        }
        char want[200];
        mrs_rev_subject(base, &ev, want, sizeof want);
        if (strcmp(want, subj) != 0) {
            *field = "subject (the event belongs to another partition)";
            return -1;
        }
        if (!digest_add(d, &ev)) {
            *field = "event (cannot be re-encoded)";
            return -1;
        }
        if (!digest_order(d, &ev) && misordered && !*misordered)
            *misordered = ev.kind == MRS_RE_PEER_STATE ? "a state change after a partition event that follows it"
                                                       : "a partition event after a state change that follows it";
        off += got;
    }
    return n;
}

/* ------------------------------------------------------------------ inputs */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 0x100000001b3ULL;
    }
    return mrs_mix64(h);
}

/* The inputs, as given (directories and patterns expanded: the order the feed of
 * version-1 progress records published in) and as observe reads them. */
typedef struct feed_inputs {
    mrs_obs_inputs given;      /* every file under MRS_IN_UPDATES, in the order given */
    mrs_obs_inputs in;         /* each file a RIB or updates by its first record */
    mrs_obs_mrt_input *order;  /* reading order (mrs_obs_mrt_order) */
    size_t n;
    uint64_t *before;          /* before[i]: the set of order[0..i) (sum of name hashes) */
    char describe[MRS_OBS_DESCRIBE_MAX];
} feed_inputs;

_Static_assert(MRS_FEED_SEAL_INPUTS_MAX == MRS_OBS_DESCRIBE_MAX, "the seal's inputs hold a run's description");

static void inputs_free(feed_inputs *fi)
{
    mrs_obs_inputs_clear(&fi->given);
    mrs_obs_inputs_clear(&fi->in);
    free(fi->order);
    free(fi->before);
}

/* ris_live: the files are RIS Live JSON lines (observe's --ris-live), not MRT. */
static bool inputs_build(feed_inputs *fi, char *const *args, size_t n, bool ris_live)
{
    char err[512];
    memset(fi, 0, sizeof *fi);
    for (size_t i = 0; i < n; i++)
        if (mrs_obs_inputs_add_path(&fi->given, MRS_IN_UPDATES, args[i], err, sizeof err) != 0) {
            mrs_text_safe_inplace(err, sizeof err);
            fprintf(stderr, PROG ": %s\n", err);
            return false;
        }
    for (size_t i = 0; i < fi->given.n[MRS_IN_UPDATES]; i++) {
        const char *f = fi->given.files[MRS_IN_UPDATES][i];
        struct stat st;
        if (!strcmp(f, "-")) {
            fprintf(stderr, PROG ": standard input cannot be published (the feed resumes by file name)\n");
            return false;
        }
        if (stat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
            char safe[600];
            mrs_text_safe(safe, sizeof safe, f, strlen(f));
            fprintf(stderr, PROG ": %s: cannot open the file\n", safe);
            return false;
        }
        if (ris_live && mrs_obs_inputs_add(&fi->in, MRS_IN_RIS_LIVE, f) != 0) {
            fprintf(stderr, PROG ": out of memory\n");
            return false;
        }
        if (!ris_live && mrs_obs_inputs_add_mrt(&fi->in, f, err, sizeof err) != 0) {
            fprintf(stderr, PROG ": %s\n", err);
            return false;
        }
    }
    if (!fi->given.n[MRS_IN_UPDATES]) {
        fprintf(stderr, PROG ": no MRT file among the inputs\n");
        return false;
    }
    if (mrs_obs_mrt_order(&fi->in, &fi->order, &fi->n) != 0 || !(fi->before = calloc(fi->n + 1, sizeof *fi->before))) {
        fprintf(stderr, PROG ": out of memory\n");
        return false;
    }
    for (size_t i = 0; i < fi->n; i++)
        fi->before[i + 1] = fi->before[i] + hash_str(fi->order[i].path);
    mrs_obs_inputs_describe(&fi->in, fi->describe, sizeof fi->describe);
    return true;
}

/* ------------------------------------------------------------------ publishing and the dry run */


void feed_agg_init(feed_agg *a)
{
    memset(a, 0, sizeof *a);
    a->first = UINT32_MAX;
}



static void batches_clear(feeder *f)
{
    for (size_t i = 0; i < f->n_dirty; i++) {
        pbuf *b = f->part[f->dirty[i]];
        b->len = 0;
        b->n = 0;
        b->dirty = false;
    }
    f->n_dirty = 0;
}

static void batches_free(feeder *f)
{
    for (long p = 0; f->part && p < MRS_REV_PARTITIONS; p++)
        if (f->part[p]) {
            free(f->part[p]->b);
            free(f->part[p]);
        }
    free(f->part);
    free(f->dirty);
}

/* One message: the partition's buffered events. */
void feed_emit(feeder *f, long part)
{
    pbuf *b = f->part[part];
    if (!b || !b->len || f->stop)
        return;
    size_t wire = b->len;
    const uint8_t *msg = f->o->zstd_level < 0 ? b->b : mrs_rev_batch_pack(&f->pk, b->b, b->len, &wire);
    if (!msg) {
        fprintf(stderr, PROG ": out of memory\n");
        f->stop = true;
        return;
    }
    if (!f->c) {
        /* what a reader gets: the batch as published, unpacked */
        const char *field = NULL;
        f->seq++;
        f->agg.last_seq = f->seq;
        const char *misordered = NULL;
        if (digest_message(f->dg, f->base, b->subject, msg, wire, f->words, &field, &misordered) != (long)b->n ||
            misordered) {
            fprintf(stderr, PROG ": internal error: the message of %" PRIu32 " events on %s: %s\n", b->n, b->subject,
                    misordered ? misordered : field ? field : "events missing");
            f->stop = true;
            return;
        }
    } else {
        char id[80];
        if (f->live)   /* nothing to resume by: unique per start and message */
            snprintf(id, sizeof id, "%016" PRIx64 "-L%" PRIu64, f->nonce, f->messages);
        else
            snprintf(id, sizeof id, "%016" PRIx64 "-%" PRIu64 "-%" PRIu32, f->file_hash, b->first, b->n);
        natsMsg *m = NULL;
        natsStatus s = natsMsg_Create(&m, b->subject, NULL, (const char *)msg, (int)wire);
        if (s == NATS_OK)
            s = natsMsgHeader_Set(m, "Nats-Msg-Id", id);
        if (s == NATS_OK)
            s = js_PublishMsgAsync(f->c->js, &m, NULL);
        if (s != NATS_OK) {
            natsMsg_Destroy(m);
            char safe[600];
            mrs_text_safe(safe, sizeof safe, f->file, strlen(f->file));
            fprintf(stderr, PROG ": %s: %s: cannot publish the events of %s from %" PRIu64 " on: %s\n", f->c->url,
                    b->subject, safe, b->first, natsStatus_GetText(s));
            f->stop = f->nats_error = true;
            return;
        }
    }
    f->messages++;
    f->published += b->n;
    f->bytes += b->len;
    f->wire_bytes += wire;
    b->len = 0;
    b->n = 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

/* Every partition's buffered events, in ascending partition order (but the ctl
 * subject's when keep_ctl: it holds events only when no other partition does). */
void feed_flush_all(feeder *f, bool keep_ctl)
{
    if (!f->n_dirty)
        return;
    qsort(f->dirty, f->n_dirty, sizeof *f->dirty, cmp_long);
    size_t kept = 0;
    for (size_t i = 0; i < f->n_dirty; i++) {
        long p = f->dirty[i];
        if (keep_ctl && p == CTL_PARTITION && f->part[p]->len) {
            kept = 1;
            continue;
        }
        feed_emit(f, p);
        f->part[p]->dirty = false;
    }
    f->n_dirty = kept;
    if (kept)
        f->dirty[0] = CTL_PARTITION;
}

void feed_on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
    (void)js;
    feeder *f = closure;
    pthread_mutex_lock(&f->mu);
    if (pae) {
        if (!f->nacked++)
            snprintf(f->first_error, sizeof f->first_error, "%s: %s",
                     natsMsg_GetSubject(msg) ? natsMsg_GetSubject(msg) : "?",
                     pae->ErrText ? pae->ErrText : natsStatus_GetText(pae->Err));
    } else if (pa) {
        f->acked++;
        if (pa->Duplicate)
            f->dups++;
        /* a duplicate's acknowledgement gives the sequence of the message stored */
        if (pa->Sequence > f->max_seq)
            f->max_seq = pa->Sequence;
    }
    pthread_mutex_unlock(&f->mu);
    natsMsg_Destroy(msg);
}

/* Every acknowledgement in, or false after saying why. */
int feed_progress_last(feeder *f, natsMsg **m)
{
    jsErrCode jerr = 0;
    natsStatus s = js_GetLastMsg(m, f->c->js, f->c->stream, f->progress_subject, NULL, &jerr);
    if (s == NATS_NOT_FOUND || jerr == JSNoMessageFoundErr)
        return 0;
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: %s: cannot read the progress record: %s (JetStream error %d)\n", f->c->url,
                f->progress_subject, natsStatus_GetText(s), (int)jerr);
        return -1;
    }
    return 1;
}

bool feed_progress_publish(feeder *f, json_t *o)
{
    char *rec = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!rec) {
        fprintf(stderr, PROG ": out of memory\n");
        return false;
    }
    jsPubAck *pa = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_Publish(&pa, f->c->js, f->progress_subject, rec, (int)strlen(rec), NULL, &jerr);
    jsPubAck_Destroy(pa);
    free(rec);
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: %s: cannot record the progress: %s (JetStream error %d)\n", f->c->url,
                f->progress_subject, natsStatus_GetText(s), (int)jerr);
        return false;
    }
    return true;
}

bool feed_wait_acks(feeder *f)
{
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 250;
    natsStatus s = NATS_TIMEOUT;
    uint64_t nacked = 0;
    /* up to a minute, but no longer than the connection lives or acknowledgements
     * come back positive */
    for (int i = 0; i < 240 && s == NATS_TIMEOUT && !nacked; i++) {
        s = js_PublishAsyncComplete(f->c->js, &po);
        pthread_mutex_lock(&f->mu);
        nacked = f->nacked;
        pthread_mutex_unlock(&f->mu);
        if (s == NATS_TIMEOUT && natsConnection_IsClosed(f->c->nc)) {
            s = NATS_CONNECTION_CLOSED;
            break;
        }
    }
    if (s != NATS_OK || nacked) {
        if (nacked)
            fprintf(stderr, PROG ": %s: stream %s: %" PRIu64 " messages not acknowledged, the first: %s\n", f->c->url,
                    f->c->stream, nacked, f->first_error);
        else
            fprintf(stderr, PROG ": %s: stream %s: waiting for acknowledgements: %s\n", f->c->url, f->c->stream,
                    natsStatus_GetText(s));
        return false;
    }
    pthread_mutex_lock(&f->mu);
    if (f->max_seq > f->agg.last_seq)
        f->agg.last_seq = f->max_seq;
    pthread_mutex_unlock(&f->mu);
    return true;
}

static json_t *opt_time(const feed_agg *a, uint32_t t) { return a->first > a->last ? json_null() : json_integer(t); }

/* Every buffer flushed, every acknowledgement in, then the progress record: the
 * current file's first next_idx events are in the stream, and the aggregates of
 * the files before it (a resumed feed reads the file again from its start). */
static bool checkpoint(feeder *f, uint64_t next_idx)
{
    if (f->live)
        return feed_live_checkpoint(f);
    feed_flush_all(f, false);
    if (f->stop)
        return false;
    f->since_checkpoint = 0;
    if (!f->c) {
        f->seq++;
        f->progress_records++;
        return true;
    }
    if (!feed_wait_acks(f))
        return false;
    const feed_agg *a = &f->at_file;
    char hash[20], before[20];
    snprintf(hash, sizeof hash, "%016" PRIx64, f->file_hash);
    snprintf(before, sizeof before, "%016" PRIx64, f->fi->before[f->file_i]);
    json_t *o = json_object();
    json_object_set_new(o, "version", json_integer(2));
    json_object_set_new(o, "file", mrs_json_text(f->file));
    json_object_set_new(o, "file_index", json_integer((json_int_t)f->file_i));
    json_object_set_new(o, "file_hash", json_string(hash));
    json_object_set_new(o, "before", json_string(before));
    json_object_set_new(o, "next", json_integer((json_int_t)next_idx));
    json_object_set_new(o, "events", json_integer((json_int_t)a->events));
    json_object_set_new(o, "first_time", opt_time(a, a->first));
    json_object_set_new(o, "last_time", opt_time(a, a->last));
    json_object_set_new(o, "baseline_end", json_integer(a->baseline_end));
    json_object_set_new(o, "damaged", json_integer((json_int_t)a->damaged));
    json_object_set_new(o, "cut", json_integer((json_int_t)a->cut));
    json_object_set_new(o, "failed", json_boolean(a->failed));
    json_object_set_new(o, "last_seq", json_integer((json_int_t)f->agg.last_seq));
    return feed_progress_publish(f, o);
}

static pbuf *part_buf(feeder *f, long part, const mrs_route_event *ev)
{
    pbuf *b = f->part[part];
    if (!b) {
        if (!(b = calloc(1, sizeof *b)))
            return NULL;
        mrs_rev_subject(f->base, ev, b->subject, sizeof b->subject);
        f->part[part] = b;
    }
    return b;
}

void feed_on_event(const mrs_route_event *ev, void *user)
{
    feeder *f = user;
    uint64_t idx = f->idx++;
    if (f->stop)
        return;
    /* the aggregates count every event, published now or in an earlier run (the
     * view's: every kind, every SAFI) */
    if (ev->time < f->agg.first)
        f->agg.first = ev->time;
    if (ev->time > f->agg.last)
        f->agg.last = ev->time;
    if (f->baseline && ev->time > f->agg.baseline_end)
        f->agg.baseline_end = ev->time;
    size_t n = mrs_rev_encode(ev, f->enc, MRS_REV_MAX_MSG);
    long part = mrs_rev_partition(ev);
    if (!n || n > MRS_REV_MAX_MSG || part < 0) {
        char safe[600];
        mrs_text_safe(safe, sizeof safe, f->file, strlen(f->file));
        fprintf(stderr, PROG ": %s: offset %" PRIu64 ": event cannot be encoded (left out; the seal says failed)\n",
                safe, ev->offset);
        f->agg.failed = true;
        return;
    }
    f->agg.events++;
    if (idx < f->skip_until) {
        f->skipped++;
        return;
    }
    /* a state change orders itself against every partition: what came before it is
     * published before it, what comes after it after it */
    if (part == CTL_PARTITION)
        feed_flush_all(f, true);
    else if (f->part[CTL_PARTITION] && f->part[CTL_PARTITION]->len)
        feed_emit(f, CTL_PARTITION);
    pbuf *b = part_buf(f, part, ev);
    if (!b) {
        fprintf(stderr, PROG ": out of memory\n");
        f->stop = true;
        return;
    }
    if (b->len && b->len + n > f->limit)
        feed_emit(f, part);
    if (f->stop)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *nb = realloc(b->b, cap);
        if (!nb) {
            fprintf(stderr, PROG ": out of memory\n");
            f->stop = true;
            return;
        }
        b->b = nb;
        b->cap = cap;
    }
    memcpy(b->b + b->len, f->enc, n);
    if (!b->n)
        b->first = idx;
    b->len += n;
    b->n++;
    if (!b->dirty) {
        b->dirty = true;
        f->dirty[f->n_dirty++] = part;
    }
    if (++f->since_checkpoint >= (f->o->checkpoint ? f->o->checkpoint : 20000) && !checkpoint(f, idx + 1)) {
        f->stop = true;
        f->nats_error = f->c != NULL;
    }
    if (f->o->progress && f->c && (idx & 4095) == 0) {
        double t = feed_now_s();
        if (t - f->last_progress >= 1) {
            f->last_progress = t;
            fprintf(stderr, "\r" PROG ": %" PRIu64 " events published (%.0f/s)  ", f->published,
                    (double)f->published / (t - f->t0));
        }
    }
}

/* ------------------------------------------------------------------ resuming */

typedef struct resume {
    size_t start;              /* the first input to read */
    size_t file;               /* the input the record names */
    uint64_t next;             /* its events already in the stream */
} resume;

static bool json_u64(json_t *o, const char *key, uint64_t max, uint64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
        return false;
    *out = (uint64_t)json_integer_value(v);
    return true;
}

/* A version-2 record: position and aggregates; false when not understood. */
static bool parse_progress2(const char *rec, size_t len, uint64_t *file_i, uint64_t *file_hash, uint64_t *before,
                            uint64_t *next, feed_agg *a, char *file, size_t file_cap)
{
    json_t *o = json_loadb(rec, len, 0, NULL);
    uint64_t v = 0, t0 = 0, t1 = 0, tb = 0;
    json_t *jt0 = json_object_get(o, "first_time"), *jt1 = json_object_get(o, "last_time");
    const char *fh = json_string_value(json_object_get(o, "file_hash"));
    const char *bf = json_string_value(json_object_get(o, "before"));
    const char *fn = json_string_value(json_object_get(o, "file"));
    bool ok = json_is_object(o) && json_u64(o, "version", 2, &v) && v == 2 && fh && bf && fn &&
              sscanf(fh, "%16" SCNx64, file_hash) == 1 && sscanf(bf, "%16" SCNx64, before) == 1 &&
              json_u64(o, "file_index", SIZE_MAX, file_i) && json_u64(o, "next", UINT64_MAX >> 1, next) &&
              json_u64(o, "events", UINT64_MAX >> 1, &a->events) &&
              json_u64(o, "baseline_end", UINT32_MAX, &tb) && json_u64(o, "damaged", UINT64_MAX >> 1, &a->damaged) &&
              json_u64(o, "cut", UINT64_MAX >> 1, &a->cut) && json_is_boolean(json_object_get(o, "failed")) &&
              json_u64(o, "last_seq", UINT64_MAX >> 1, &a->last_seq) && (json_is_null(jt0) == json_is_null(jt1)) &&
              (json_is_null(jt0) || (json_u64(o, "first_time", UINT32_MAX, &t0) &&
                                     json_u64(o, "last_time", UINT32_MAX, &t1) && t0 <= t1));
    if (ok) {
        a->failed = json_is_true(json_object_get(o, "failed"));
        a->baseline_end = (uint32_t)tb;
        a->first = json_is_null(jt0) ? UINT32_MAX : (uint32_t)t0;
        a->last = json_is_null(jt0) ? 0 : (uint32_t)t1;
        snprintf(file, file_cap, "%s", fn);
    }
    json_decref(o);
    return ok;
}

/* The progress record: 0 none (or not usable: from the first input, aggregates
 * zero), 1 found (*r, f->agg), -1 error. A version-1 record (`1 NEXT FILE`, a
 * feed that published in the order given) is taken when the files before FILE are
 * the same in both orders; the aggregates of those files are then read again. */
static int read_progress(feeder *f, resume *r)
{
    natsMsg *m = NULL;
    int got = feed_progress_last(f, &m);
    if (got <= 0)
        return got;
    int len = natsMsg_GetDataLength(m);
    const char *data = natsMsg_GetData(m);
    char file[4200] = "";
    const feed_inputs *fi = f->fi;
    int rc = 0;
    const char *why = "not understood";
    if (len > 0 && data[0] == '{') {
        uint64_t fidx = 0, fhash = 0, before = 0, next = 0;
        feed_agg a;
        feed_agg_init(&a);
        if (parse_progress2(data, (size_t)len, &fidx, &fhash, &before, &next, &a, file, sizeof file)) {
            if (fidx < fi->n && hash_str(fi->order[fidx].path) == fhash && fi->before[fidx] == before) {
                *r = (resume){fidx, fidx, next};
                f->agg = a;
                rc = 1;
            } else {
                why = "names another list of inputs (a file before it is new, gone or moved)";
            }
        }
    } else if (len > 0 && data[0] == '1') {
        /* version 1: "1 NEXT FILE" */
        char rec[4200];
        snprintf(rec, sizeof rec, "%.*s", len, data);
        char *nl = strchr(rec, '\n');
        if (nl)
            *nl = 0;
        unsigned long long next;
        int off = 0;
        if (sscanf(rec, "1 %llu %n", &next, &off) == 1 && off) {
            snprintf(file, sizeof file, "%s", rec + off);
            why = "is not among the inputs";
            const mrs_obs_inputs *g = &fi->given;
            uint64_t given_before = 0;
            for (size_t j = 0; j < g->n[MRS_IN_UPDATES] && rc == 0; j++) {
                if (!strcmp(g->files[MRS_IN_UPDATES][j], file)) {
                    for (size_t i = 0; i < fi->n; i++)
                        if (!strcmp(fi->order[i].path, file)) {
                            if (fi->before[i] == given_before) {
                                *r = (resume){0, i, next};
                                rc = 1;
                            } else {
                                why = "was written by a feed that published in another order";
                            }
                        }
                    break;
                }
                given_before += hash_str(g->files[MRS_IN_UPDATES][j]);
            }
        }
    }
    natsMsg_Destroy(m);
    if (rc == 0) {
        mrs_text_safe_inplace(file, sizeof file);
        fprintf(stderr, PROG ": %s: %s: the last progress record (%s) %s: starting from the first input (events "
                        "already in the stream are dropped as duplicates)\n",
                f->c->url, f->progress_subject, *file ? file : "?", why);
    }
    return rc;
}

/* ------------------------------------------------------------------ the run */

static void make_seal(const feeder *f, mrs_feed_seal *s)
{
    const feed_inputs *fi = f->fi;
    memset(s, 0, sizeof *s);
    s->version = MRS_FEED_SEAL_VERSION;
    s->events = f->agg.events;
    s->first_time = f->agg.first > f->agg.last ? 0 : f->agg.first;
    s->last_time = f->agg.first > f->agg.last ? 0 : f->agg.last;
    s->baseline_end = f->agg.baseline_end;
    for (size_t i = 0; i < fi->n; i++)
        s->baseline_ribs += fi->order[i].baseline;
    s->rib_files = fi->in.n[MRS_IN_RIB];
    s->update_files = fi->in.n[MRS_IN_UPDATES];
    s->ris_live_files = fi->in.n[MRS_IN_RIS_LIVE];
    s->snapshot = s->update_files + s->ris_live_files == 0 && s->rib_files > 0;
    s->damaged = f->agg.damaged;
    s->cut = f->agg.cut;
    s->failed = f->agg.failed;
    snprintf(s->inputs, sizeof s->inputs, "%s", fi->describe);
    s->last_seq = f->agg.last_seq;
    /* observe's mrs_obs_data_time: the earliest first record of the inputs */
    for (size_t i = 0; i < fi->n; i++)
        if (fi->order[i].known && (!s->dated || fi->order[i].t < s->data_time)) {
            s->data_time = fi->order[i].t;
            s->dated = true;
        }
}

/* Read inputs from r->start on, publishing (or digesting) every event after the
 * resume point. False when the run stopped (f->nats_error: NATS went away). */
static bool read_inputs(feeder *f, const resume *r)
{
    const feed_inputs *fi = f->fi;
    for (size_t i = r->start; i < fi->n && !f->stop; i++) {
        f->file_i = i;
        f->file = fi->order[i].path;
        f->file_hash = hash_str(f->file);
        f->idx = 0;
        f->skip_until = i < r->file ? UINT64_MAX : i == r->file ? r->next : 0;
        f->baseline = fi->order[i].baseline;
        f->at_file = f->agg;
        mrs_diag diag;
        mrs_diag_init(&diag, stderr);
        diag.max_print = 20;
        mrt_decoder *dec = mrt_decoder_new(&diag);
        if (!dec) {
            fprintf(stderr, PROG ": out of memory\n");
            f->stop = true;
            break;
        }
        bool ok = mrs_obs_mrt_scan(&fi->order[i], dec, &diag, false, feed_on_event, f, &f->agg.damaged, &f->agg.cut);
        mrt_decoder_free(dec);
        if (f->stop)
            break;
        if (!ok) {
            char safe[600];
            mrs_text_safe(safe, sizeof safe, f->file, strlen(f->file));
            fprintf(stderr, PROG ": %s: the input cannot be used (unreadable, or no records): the seal says failed\n",
                    safe);
            f->agg.failed = true;
        }
        if (i < r->file)
            continue;   /* read again for the aggregates only (a version-1 record) */
        if (!checkpoint(f, f->idx)) {
            f->stop = true;
            f->nats_error = f->c != NULL;
            break;
        }
        f->files++;
    }
    return !f->stop;
}

bool feed_feeder_init(feeder *f, const feed_opts *o, feed_conn *c, const char *base, const feed_inputs *fi)
{
    memset(f, 0, sizeof *f);
    f->o = o;
    f->c = c;
    f->base = base;
    f->fi = fi;
    f->limit = o->batch_bytes ? o->batch_bytes : FEED_BATCH_BYTES;
    f->pk.level = o->zstd_level > 0 ? o->zstd_level : 1;
    pthread_mutex_init(&f->mu, NULL);
    const char *name = o->name ? o->name : "mrt";
    snprintf(f->progress_subject, sizeof f->progress_subject, "%s.progress.%s", base, name);
    snprintf(f->seal_subject, sizeof f->seal_subject, "%s.seal.%s", base, name);
    f->part = calloc(MRS_REV_PARTITIONS, sizeof *f->part);
    f->dirty = malloc(MRS_REV_PARTITIONS * sizeof *f->dirty);
    f->enc = malloc(MRS_REV_MAX_MSG);
    feed_agg_init(&f->agg);
    if (!f->part || !f->dirty || !f->enc) {
        fprintf(stderr, PROG ": out of memory\n");
        return false;
    }
    f->t0 = f->last_progress = feed_now_s();
    return true;
}

void feed_feeder_free(feeder *f)
{
    batches_free(f);
    free(f->enc);
    mrs_rev_packer_free(&f->pk);
    pthread_mutex_destroy(&f->mu);
}

static void print_summary(const feeder *f, const mrs_feed_seal *s, const char *json, uint64_t dups)
{
    printf("published %" PRIu64 " skipped %" PRIu64 " duplicates %" PRIu64 " files %" PRIu64 " bytes %" PRIu64
           " messages %" PRIu64 " events %" PRIu64 " first_time %" PRIu32 " last_time %" PRIu32 " baseline_end %" PRIu32
           " damaged %" PRIu64 " cut %" PRIu64 " failed %d last_seq %" PRIu64 " wire %" PRIu64 "\n%s\n",
           f->published, f->skipped, dups, f->files, f->bytes, f->messages, s->events, s->first_time, s->last_time,
           s->baseline_end, s->damaged, s->cut, s->failed ? 1 : 0, s->last_seq, f->wire_bytes, json);
}

#define FEED_RETRIES 5

/* A new connection within seconds (the server restarting)? */
bool feed_reconnect_within(feed_conn *c, const feed_opts *o, jsOptions *jo, int seconds)
{
    feed_conn_close(c);
    double end = feed_now_s() + seconds;
    while (feed_now_s() < end) {
        if (feed_conn_open(c, o, jo, false, true))
            return true;
        feed_conn_close(c);
        nats_Sleep(500);
    }
    return false;
}

bool feed_publish_seal(feeder *f, const char *json)
{
    jsPubAck *pa = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_Publish(&pa, f->c->js, f->seal_subject, json, (int)strlen(json), NULL, &jerr);
    jsPubAck_Destroy(pa);
    if (s != NATS_OK) {
        fprintf(stderr, PROG ": %s: %s: cannot publish the seal: %s (JetStream error %d)\n", f->c->url,
                f->seal_subject, natsStatus_GetText(s), (int)jerr);
        return false;
    }
    return true;
}

static int publish(const feed_opts *o, feed_conn *c, const feed_inputs *fi)
{
    feeder f;
    int rc = 1;
    bool ok = feed_feeder_init(&f, o, c, c->base, fi);
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.PublishAsync.MaxPending = o->max_pending ? o->max_pending : 4096;
    jo.PublishAsync.AckHandler = feed_on_ack;
    jo.PublishAsync.AckHandlerClosure = &f;
    jo.PublishAsync.StallWait = 60000;
    char *json = NULL;
    mrs_feed_seal seal;
    if (!ok || !feed_conn_open(c, o, &jo, false, false) || !feed_stream_ensure(c))
        goto out;
    /* the server's max_payload counts the headers too (the message id) */
    int64_t max_payload = natsConnection_GetMaxPayload(c->nc);
    if (max_payload > 0 && (int64_t)f.limit > max_payload - 512) {
        fprintf(stderr, PROG ": %s: --batch-bytes %zu is more than the server takes in a message (max_payload %" PRId64
                        ", headers included)\n", c->url, f.limit, max_payload);
        goto out;
    }
    for (unsigned attempt = 0;; attempt++) {
        resume r = {0, 0, 0};
        feed_agg_init(&f.agg);
        batches_clear(&f);
        f.since_checkpoint = 0;
        /* --from-start: the first attempt only; after a NATS failure, this run's
         * own progress record says where to go on from */
        int pr = o->from_start && attempt == 0 ? 0 : read_progress(&f, &r);
        if (pr < 0) {
            f.stop = f.nats_error = true;
        } else if (pr > 0 && (r.file || r.next)) {
            char safe[600];
            mrs_text_safe(safe, sizeof safe, fi->order[r.file].path, strlen(fi->order[r.file].path));
            fprintf(stderr, PROG ": resuming at %s, event %" PRIu64 " (%s)\n", safe, r.next, f.progress_subject);
        }
        if (!f.stop && read_inputs(&f, &r)) {
            make_seal(&f, &seal);
            free(json);
            if (!(json = mrs_feed_seal_json(&seal))) {
                fprintf(stderr, PROG ": out of memory\n");
                goto out;
            }
            if (!feed_publish_seal(&f, json))
                f.stop = f.nats_error = true;
        }
        if (o->progress)
            fputs("\r\033[K", stderr);
        if (!f.stop)
            break;
        /* NATS went away (a server restart). The connection does not reconnect
         * by itself: libnats would replay its buffered messages after a gap (those
         * the old server never read), storing them out of order. A new connection
         * instead, and on from the last progress record: the stream holds a prefix
         * of what was sent (one connection, stored in order), what it has after the
         * record is dropped as a duplicate, and the order in every partition holds. */
        if (!f.nats_error || attempt >= FEED_RETRIES)
            goto out;
        fprintf(stderr, PROG ": %s: reconnecting (attempt %u of %d)\n", c->url, attempt + 1, FEED_RETRIES);
        if (!feed_reconnect_within(c, o, &jo, 60)) {
            fprintf(stderr, PROG ": %s: NATS did not come back within 60 s\n", c->url);
            goto out;
        }
        if (!feed_stream_ensure(c))   /* a server without its store: the stream again */
            goto out;
        pthread_mutex_lock(&f.mu);
        f.nacked = 0;
        f.max_seq = 0;   /* a server back without its store numbers from 1 again: the record says */
        pthread_mutex_unlock(&f.mu);
        f.stop = f.nats_error = false;
    }
    double dt = feed_now_s() - f.t0;
    pthread_mutex_lock(&f.mu);
    uint64_t dups = f.dups;
    pthread_mutex_unlock(&f.mu);
    print_summary(&f, &seal, json, dups);
    fprintf(stderr,
            PROG ": %" PRIu64 " events published to stream %s at %s in %" PRIu64 " messages (%" PRIu64
                 " already there: skipped; %" PRIu64 " messages dropped as duplicates) in %.2f s: %.0f events/s, %.1f "
                 "bytes per event (%.1f in the messages); sealed: %" PRIu64 " events, last sequence %" PRIu64 "%s\n",
            f.published, c->stream, c->url, f.messages, f.skipped, dups, dt, dt > 0 ? (double)f.published / dt : 0.0,
            f.published ? (double)f.bytes / (double)f.published : 0.0,
            f.published ? (double)f.wire_bytes / (double)f.published : 0.0, seal.events, seal.last_seq,
            seal.failed ? ", an input could not be used (failed)" : "");
    rc = seal.failed ? 1 : 0;
out:
    feed_conn_close(c);
    nats_CloseAndWait(5000);   /* before f goes: no acknowledgement handler runs after this */
    feed_feeder_free(&f);
    free(json);
    return rc;
}

/* The events as the feed would publish them on a fresh stream: every message
 * decoded again into the digest, the sequences counted. */
static int dry_run(const feed_opts *o, feed_conn *c, const feed_inputs *fi)
{
    feeder f;
    digest d;
    int rc = 1;
    char *json = NULL;
    uint32_t *words = malloc(4 * MRS_REV_MAX_WORDS);
    bool ok = digest_init(&d) && words;
    if (!feed_feeder_init(&f, o, NULL, c->base, fi) || !ok) {
        if (!ok)
            fprintf(stderr, PROG ": out of memory\n");
        goto out;
    }
    f.dg = &d;
    f.words = words;
    /* the reading order, for the operator (and the tests) */
    for (size_t i = 0; i < fi->n; i++) {
        const mrs_obs_mrt_input *in = &fi->order[i];
        char safe[600], t[16] = "unknown";
        mrs_text_safe(safe, sizeof safe, in->path, strlen(in->path));
        if (in->known)
            snprintf(t, sizeof t, "%" PRIu32, in->t);
        fprintf(stderr, PROG ": input %zu of %zu: %s, first record %s: %s\n", i + 1, fi->n,
                in->baseline ? "baseline RIB" : in->rib ? "RIB" : in->ris_live ? "RIS Live" : "updates", t, safe);
    }
    resume r = {0, 0, 0};
    if (!read_inputs(&f, &r))
        goto out;
    mrs_feed_seal seal;
    make_seal(&f, &seal);
    if (!(json = mrs_feed_seal_json(&seal))) {
        fprintf(stderr, PROG ": out of memory\n");
        goto out;
    }
    printf("events %" PRIu64 " malformed 0 progress %" PRIu64 " digest %016" PRIx64 " bytes %" PRIu64
           " messages %" PRIu64 " seals 1 last_seq %" PRIu64 " misordered %" PRIu64 " wire %" PRIu64 "\n%s\n",
           d.events, f.progress_records, digest_value(&d), d.bytes, f.messages, seal.last_seq, d.misordered, d.wire,
           json);
    rc = seal.failed ? 1 : 0;
out:
    feed_feeder_free(&f);
    digest_free(&d);
    free(words);
    free(json);
    return rc;
}

/* ------------------------------------------------------------------ read */

/* The messages on subject (a filter) in the stream: -1 after saying why not. */
static int64_t stream_count(feed_conn *c, const char *subject, bool filtered)
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

static int read_stream(const feed_opts *o, feed_conn *c)
{
    jsOptions jo;
    jsOptions_Init(&jo);
    if (!feed_conn_open(c, o, &jo, true, false))
        return 1;
    digest d;
    uint32_t *words = malloc(4 * MRS_REV_MAX_WORDS);
    if (!digest_init(&d) || !words) {
        fprintf(stderr, PROG ": out of memory\n");
        digest_free(&d);
        free(words);
        feed_conn_close(c);
        return 1;
    }
    char subject[256], progress_prefix[200], seal_prefix[200];
    snprintf(subject, sizeof subject, "%s", o->subject ? o->subject : "");
    if (!o->subject)
        snprintf(subject, sizeof subject, "%s.>", c->base);
    size_t pl = (size_t)snprintf(progress_prefix, sizeof progress_prefix, "%s.progress.", c->base);
    size_t sl = (size_t)snprintf(seal_prefix, sizeof seal_prefix, "%s.seal.", c->base);
    uint64_t malformed = 0, progress = 0, seals = 0, seen = 0, messages = 0, last_seq = 0;
    double t0 = feed_now_s();
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
        } else if (!strncmp(subj, seal_prefix, sl)) {
            seals++;
        } else {
            /* 1..N events of one partition, concatenated */
            messages++;
            if (seq > last_seq)
                last_seq = seq;
            const char *field = NULL, *misordered = NULL;
            uint64_t misordered0 = d.misordered;
            char safe[300];
            mrs_text_safe(safe, sizeof safe, subj, strlen(subj));
            if (digest_message(&d, c->base, subj, (const uint8_t *)natsMsg_GetData(m),
                               (size_t)natsMsg_GetDataLength(m), words, &field, &misordered) < 0 &&
                malformed++ < MAX_MALFORMED_LOGGED)
                fprintf(stderr, PROG ": %s: seq %" PRIu64 ": malformed event (%s): %s\n", safe, seq, field,
                        strncmp(field, "batch", 5) ? "the rest of the message skipped" : "the message skipped");
            if (misordered && misordered0 < MAX_MALFORMED_LOGGED)
                fprintf(stderr, PROG ": %s: seq %" PRIu64 ": %s (docs/scale.md, the ctl rule)\n", safe, seq,
                        misordered);
        }
        natsMsg_Destroy(m);
        if (pending == 0)
            break;
        if (o->progress && (messages & 1023) == 0 && messages)
            fprintf(stderr, "\r" PROG ": %" PRIu64 " events read  ", d.events);
    }
done:
    if (o->progress)
        fputs("\r\033[K", stderr);
    double dt = feed_now_s() - t0;
    printf("events %" PRIu64 " malformed %" PRIu64 " progress %" PRIu64 " digest %016" PRIx64 " bytes %" PRIu64
           " messages %" PRIu64 " seals %" PRIu64 " last_seq %" PRIu64 " misordered %" PRIu64 " wire %" PRIu64 "\n",
           d.events, malformed, progress, digest_value(&d), d.bytes, messages, seals, last_seq, d.misordered, d.wire);
    fprintf(stderr, PROG ": %" PRIu64 " events read from stream %s (%s) at %s in %" PRIu64 " messages in %.2f s: %.0f "
                    "events/s; %" PRIu64 " malformed messages\n",
            d.events, c->stream, subject, c->url, messages, dt, dt > 0 ? (double)d.events / dt : 0.0, malformed);
    rc = 0;
out:
    if (sub)
        natsSubscription_Destroy(sub);
    feed_conn_close(c);
    nats_CloseAndWait(5000);
    digest_free(&d);
    free(words);
    return rc;
}

/* The stream's last seal, printed. */
static int print_seal(const feed_opts *o, feed_conn *c)
{
    jsOptions jo;
    jsOptions_Init(&jo);
    int rc = 1;
    if (feed_conn_open(c, o, &jo, false, false)) {
        mrs_feed_seal seal;
        char err[600];
        int r = mrs_feed_seal_get(c->js, c->stream, o->name, &seal, err, sizeof err);
        char *json = r > 0 ? mrs_feed_seal_json(&seal) : NULL;
        if (r < 0)
            fprintf(stderr, PROG ": %s: %s\n", c->url, err);
        else if (r == 0)
            fprintf(stderr, PROG ": %s: stream %s holds no seal of the feed %s (not finished yet)\n", c->url,
                    c->stream, o->name ? o->name : "mrt");
        else if (!json)
            fprintf(stderr, PROG ": out of memory\n");
        else
            printf("%s\n", json);
        rc = r == 0 ? 3 : json ? 0 : 1;
        free(json);
    }
    feed_conn_close(c);
    nats_CloseAndWait(5000);
    return rc;
}

bool feed_live_input(const char *ris_live)
{
    return !strcmp(ris_live, "-") || !strncmp(ris_live, "ws://", 5) || !strncmp(ris_live, "wss://", 6);
}

int feed_run(const feed_opts *o)
{
    feed_conn c;
    memset(&c, 0, sizeof c);
    c.stream = o->stream ? o->stream : "manrs";
    snprintf(c.base, sizeof c.base, "manrs.ev.%s", c.stream);
    if (o->nats_url)
        feed_url_redact(o->nats_url, c.url, sizeof c.url);
    if (o->mode == FEED_READ)
        return read_stream(o, &c);
    if (o->mode == FEED_SEAL)
        return print_seal(o, &c);
    /* a RIS Live FILE is an input like an MRT file (observe's --ris-live FILE: read
     * in full, resumable by name); standard input, a URL and BMP sessions are live
     * (feed_live.c) */
    char *one[1] = {(char *)o->ris_live};
    bool ris_file = o->ris_live && !feed_live_input(o->ris_live);
    if ((o->ris_live && !ris_file) || o->bmp_listen) {
        if (o->mode == FEED_DRY_RUN) {
            fprintf(stderr, PROG ": --dry-run reads files: not standard input, a URL or BMP sessions\n");
            return 1;
        }
        return feed_live_run(o, &c);
    }
    feed_inputs fi;
    int rc = 1;
    if (inputs_build(&fi, ris_file ? one : o->inputs, ris_file ? 1 : o->n_inputs, ris_file))
        rc = o->mode == FEED_DRY_RUN ? dry_run(o, &c, &fi) : publish(o, &c, &fi);
    inputs_free(&fi);
    return rc;
}
