/*
 * rpsl_ahead.c — RPSL parsing on a second thread ("parse ahead").
 *
 * Loading a dump is three kinds of work: decompressing (io.c does it on its own
 * thread), splitting RPSL into objects (rpsl.c) and inserting them into the
 * database (irrdb.c). This module moves the middle one off the caller's thread:
 * a producer runs an ordinary rpsl_parser over the input and copies each object
 * (keys and values, NUL-terminated) into a batch; the consumer's
 * rpsl_next_object() hands the objects of published batches out in place.
 *
 * Nothing observable changes: the same objects in the same order, the same
 * skipped count, and the parser's messages appear in the caller's mrs_diag in
 * input order, interleaved with the caller's own messages exactly as a
 * synchronous parser would - the producer's diag has a sink that stores each
 * message in the batch, tagged with the object it precedes, and the consumer
 * replays it (mrs_diag_replay) just before handing out that object.
 *
 * Memory stays bounded: AHEAD_SLOTS batches of about AHEAD_TEXT bytes of text
 * (one object larger than that gets a batch of its own, bounded by the parser's
 * max_object, and the batch shrinks back when it is reused) and at most
 * AHEAD_MSGS bytes of messages each: a
 * batch is published early when its messages fill up, so that a hostile file of
 * a million bad objects cannot grow memory.
 *
 * Threads: the producer owns the inner parser, the read callback and the batch it
 * fills; the consumer owns the batch it reads; slot hand-over is under mu.
 */
#include "irr_internal.h"
#include "manrs/core/grow.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define AHEAD_SLOTS 6u
#define AHEAD_TEXT (120u << 10)
#define AHEAD_MSGS (64u << 10)

typedef struct ahead_obj {
    uint32_t attr0, n_attrs;
    uint64_t line;
    uint64_t skipped;        /* inner parser's skipped count when it yielded this */
    size_t msg_end;          /* messages [.., msg_end) come before this object */
} ahead_obj;

typedef struct ahead_batch {
    char *text;
    size_t text_len, text_cap;
    rpsl_attr *attrs;
    size_t n_attrs, attr_cap;
    ahead_obj *objs;
    size_t n_objs, obj_cap;
    char *msgs;              /* records: kind byte ('E'/'W'), text, NUL */
    size_t msg_len, msg_cap;
    bool last;               /* the input ends after this batch */
    int rc;                  /* last: the inner parser's final return (0 or -1) */
    uint64_t skipped_end;    /* last: the inner parser's final skipped count */
} ahead_batch;

struct rpsl_ahead {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t space, data;
    ahead_batch b[AHEAD_SLOTS];
    unsigned filled;         /* (mu) published batches not yet released */
    bool done;               /* (mu) the producer published its last batch */
    bool stop_req;           /* (mu) the consumer asks the producer to leave */
    atomic_int stop;         /* same, read by the read wrapper without the lock */

    /* Producer side. */
    rpsl_parser *inner;
    mrs_diag inner_diag;
    rpsl_read_fn read;
    void *read_ctx;
    int (*damaged)(void *ctx);
    unsigned wr;
    ahead_batch *cur;        /* batch being filled, NULL while waiting for a slot */
    bool oom;                /* a copy failed: end with -1 */

    /* Consumer side. */
    unsigned rd;
    bool held, finished, joined;
    size_t obj_i, msg_pos;
    int final_rc;
};

static void batch_reset(ahead_batch *b)
{
    if (b->text_cap > AHEAD_TEXT) {
        /* Grown for one large object: give it back, so that at most one batch
         * (the one being filled) holds a large object's worth of text. */
        free(b->text);
        b->text = NULL;
        b->text_cap = 0;
    }
    if (b->attr_cap > 65536) {
        free(b->attrs);
        b->attrs = NULL;
        b->attr_cap = 0;
    }
    b->text_len = b->n_attrs = b->n_objs = b->msg_len = 0;
    b->last = false;
    b->rc = 0;
    b->skipped_end = 0;
}

static void batch_free(ahead_batch *b)
{
    free(b->text);
    free(b->attrs);
    free(b->objs);
    free(b->msgs);
}

/* Producer: publish the batch being filled. */
static void publish(rpsl_ahead *a)
{
    pthread_mutex_lock(&a->mu);
    a->wr = (a->wr + 1) % AHEAD_SLOTS;
    a->filled++;
    if (a->cur->last)
        a->done = true;
    pthread_cond_signal(&a->data);
    pthread_mutex_unlock(&a->mu);
    a->cur = NULL;
}

/* Producer: publish the batch being filled (if any and if asked) and wait for a
 * free slot to fill next. Returns false if the consumer asked to stop. */
static bool next_slot(rpsl_ahead *a, bool publish_cur)
{
    if (publish_cur && a->cur)
        publish(a);
    a->cur = NULL;
    pthread_mutex_lock(&a->mu);
    while (a->filled == AHEAD_SLOTS && !a->stop_req)
        pthread_cond_wait(&a->space, &a->mu);
    bool go = !a->stop_req;
    pthread_mutex_unlock(&a->mu);
    if (go) {
        a->cur = &a->b[a->wr];
        batch_reset(a->cur);
    }
    return go;
}

/* The inner parser's messages: stored in the batch being filled; a batch whose
 * messages filled up is published early (its objects stay in order: the object
 * the inner parser is working on is not in any batch yet). */
static void sink(void *ctx, int is_error, const char *msg)
{
    rpsl_ahead *a = ctx;
    if (!a->cur)
        return; /* stopping */
    size_t n = strlen(msg) + 2;
    if (a->cur->msg_len + n > AHEAD_MSGS && (a->cur->msg_len > 0 || a->cur->n_objs > 0)) {
        if (!next_slot(a, true))
            return;
    }
    ahead_batch *b = a->cur;
    char *nm = mrs_grow(b->msgs, &b->msg_cap, b->msg_len + n, 1, 4096);
    if (!nm) {
        a->oom = true;
        return;
    }
    b->msgs = nm;
    b->msgs[b->msg_len] = is_error ? 'E' : 'W';
    memcpy(b->msgs + b->msg_len + 1, msg, n - 1);
    b->msg_len += n;
}

static size_t ahead_read(void *ctx, void *buf, size_t n)
{
    rpsl_ahead *a = ctx;
    if (atomic_load_explicit(&a->stop, memory_order_relaxed))
        return 0; /* the consumer went away: end the input early */
    return a->read(a->read_ctx, buf, n);
}

static int ahead_damaged(void *ctx)
{
    rpsl_ahead *a = ctx;
    return a->damaged ? a->damaged(a->read_ctx) : 0;
}

/* Copy one object into the batch being filled (publishing it first if full). */
static int add_object(rpsl_ahead *a, const rpsl_object *o)
{
    size_t need = 0;
    for (size_t i = 0; i < o->n_attrs; i++)
        need += (size_t)o->attrs[i].key_len + o->attrs[i].value_len + 2;
    if (!a->cur)
        return 1; /* the sink found the consumer gone */
    if (a->cur->n_objs > 0 && a->cur->text_len + need > a->cur->text_cap && !next_slot(a, true))
        return 1;
    ahead_batch *b = a->cur;
    if (b->text_len + need > b->text_cap) {
        /* Only an empty batch grows its text (no pointers into it yet). */
        size_t nc = need > AHEAD_TEXT ? need : AHEAD_TEXT;
        char *t = realloc(b->text, nc);
        if (!t)
            return -1;
        b->text = t;
        b->text_cap = nc;
    }
    rpsl_attr *na = mrs_grow(b->attrs, &b->attr_cap, b->n_attrs + o->n_attrs, sizeof *na, 1024);
    if (!na)
        return -1;
    b->attrs = na;
    ahead_obj *no = mrs_grow(b->objs, &b->obj_cap, b->n_objs + 1, sizeof *no, 256);
    if (!no)
        return -1;
    b->objs = no;
    ahead_obj *ob = &b->objs[b->n_objs++];
    ob->attr0 = (uint32_t)b->n_attrs;
    ob->n_attrs = (uint32_t)o->n_attrs;
    ob->line = o->line;
    ob->skipped = rpsl_parser_skipped(a->inner);
    ob->msg_end = b->msg_len;
    for (size_t i = 0; i < o->n_attrs; i++) {
        const rpsl_attr *s = &o->attrs[i];
        rpsl_attr *d = &b->attrs[b->n_attrs++];
        char *k = b->text + b->text_len;
        memcpy(k, s->key, s->key_len + 1);
        char *v = k + s->key_len + 1;
        memcpy(v, s->value, s->value_len + 1);
        b->text_len += (size_t)s->key_len + s->value_len + 2;
        *d = *s;
        d->key = k;
        d->value = v;
    }
    return 0;
}

static void *producer(void *arg)
{
    rpsl_ahead *a = arg;
    if (!next_slot(a, false))
        return NULL;
    for (;;) {
        rpsl_object o;
        int r = a->oom ? -1 : rpsl_next_object(a->inner, &o);
        if (r > 0) {
            int ar = add_object(a, &o);
            if (ar > 0)
                return NULL; /* stop requested */
            if (ar == 0)
                continue;
            r = -1;
        }
        if (!a->cur && !next_slot(a, false))
            return NULL;
        a->cur->last = true;
        a->cur->rc = r < 0 || a->oom ? -1 : 0;
        a->cur->skipped_end = rpsl_parser_skipped(a->inner);
        publish(a); /* and leave: no slot needed after the last batch */
        return NULL;
    }
}

rpsl_ahead *rpsl_ahead_start(rpsl_read_fn read, void *ctx, const char *name, size_t max_object,
                             int (*damaged)(void *ctx), rpsl_key_filter keep)
{
    rpsl_ahead *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->read = read;
    a->read_ctx = ctx;
    a->damaged = damaged;
    mrs_diag_init(&a->inner_diag, NULL);
    a->inner_diag.sink = sink;
    a->inner_diag.sink_ctx = a;
    a->inner = rpsl_parser_new(ahead_read, a, name, &a->inner_diag);
    if (!a->inner) {
        free(a);
        return NULL;
    }
    rpsl_parser_set_max_object(a->inner, max_object);
    rpsl_parser_set_key_filter(a->inner, keep);
    if (damaged)
        rpsl_parser_set_damaged_fn(a->inner, ahead_damaged);
    atomic_init(&a->stop, 0);
    if (pthread_mutex_init(&a->mu, NULL) != 0) {
        rpsl_parser_free(a->inner);
        free(a);
        return NULL;
    }
    pthread_cond_init(&a->space, NULL);
    pthread_cond_init(&a->data, NULL);
    if (pthread_create(&a->th, NULL, producer, a) != 0) {
        pthread_cond_destroy(&a->space);
        pthread_cond_destroy(&a->data);
        pthread_mutex_destroy(&a->mu);
        rpsl_parser_free(a->inner);
        free(a);
        return NULL;
    }
    return a;
}

/* Consumer: replay the batch's messages up to end. */
static void replay(rpsl_ahead *a, const ahead_batch *b, size_t end, mrs_diag *out)
{
    while (a->msg_pos < end) {
        const char *m = b->msgs + a->msg_pos;
        size_t n = strlen(m + 1);
        if (out)
            mrs_diag_replay(out, m[0] == 'E', m + 1);
        a->msg_pos += n + 2;
    }
}

static void join(rpsl_ahead *a)
{
    if (a->joined)
        return;
    pthread_join(a->th, NULL);
    a->joined = true;
}

int rpsl_ahead_next(rpsl_ahead *a, rpsl_object *obj, mrs_diag *out, uint64_t *skipped)
{
    if (a->finished)
        return a->final_rc;
    for (;;) {
        if (!a->held) {
            pthread_mutex_lock(&a->mu);
            while (a->filled == 0 && !a->done)
                pthread_cond_wait(&a->data, &a->mu);
            bool none = a->filled == 0;
            pthread_mutex_unlock(&a->mu);
            if (none) {
                /* Cannot happen (the last batch ends the stream), but never hang. */
                a->finished = true;
                a->final_rc = -1;
                join(a);
                return -1;
            }
            a->held = true;
            a->obj_i = 0;
            a->msg_pos = 0;
        }
        ahead_batch *b = &a->b[a->rd];
        if (a->obj_i < b->n_objs) {
            const ahead_obj *ob = &b->objs[a->obj_i++];
            replay(a, b, ob->msg_end, out);
            *skipped = ob->skipped;
            obj->attrs = b->attrs + ob->attr0;
            obj->n_attrs = ob->n_attrs;
            obj->line = ob->line;
            return 1;
        }
        replay(a, b, b->msg_len, out);
        if (b->last) {
            *skipped = b->skipped_end;
            a->finished = true;
            a->final_rc = b->rc;
            join(a);
            return b->rc;
        }
        pthread_mutex_lock(&a->mu);
        a->held = false;
        a->rd = (a->rd + 1) % AHEAD_SLOTS;
        a->filled--;
        pthread_cond_signal(&a->space);
        pthread_mutex_unlock(&a->mu);
    }
}

void rpsl_ahead_free(rpsl_ahead *a)
{
    if (!a)
        return;
    if (!a->joined) {
        atomic_store(&a->stop, 1);
        pthread_mutex_lock(&a->mu);
        a->stop_req = true;
        pthread_cond_signal(&a->space);
        pthread_mutex_unlock(&a->mu);
        join(a);
    }
    for (unsigned i = 0; i < AHEAD_SLOTS; i++)
        batch_free(&a->b[i]);
    rpsl_parser_free(a->inner);
    pthread_cond_destroy(&a->space);
    pthread_cond_destroy(&a->data);
    pthread_mutex_destroy(&a->mu);
    free(a);
}
