/*
 * worker.c — `manrs worker` (worker.h, docs/scale.md "The workers"): pull tasks
 * from the shared consumer of the work stream, rebuild the partition's routing
 * view from the event stream (its subject and the ctl subject, in stream order, up
 * to the seal's last sequence), compute the phase (observatory.h part steps),
 * store the row, acknowledge. One task at a time per thread (--threads): the
 * threads of a process share the split run (its knowledge, state changes, merged
 * facts and phase-1 views: run_ctx, under wk.mu); each has its own NATS
 * connection, pull subscription, store session and in-progress beat (wthread).
 * Run several workers (processes, machines) to go faster.
 *
 * The view of a partition is the one `observe --split` builds in one process
 * (observatory part.c): it begins with the partition's first event; a peer-state
 * event (ctl) of stream sequence c is applied before every partition event of a
 * sequence > c, and only once the view has begun (the feed publishes every
 * buffered partition event before a state change, so sequences order them as the
 * files do).
 */
#include "worker_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "manrs/analysis/incident.h"
#include "manrs/analysis/metrics.h"
#include "manrs/core/diag.h"
#include "manrs/core/grow.h"
#include "manrs/feeds/route_event_codec.h"

#define PROG "manrs worker"
#define MAX_LOGGED 100

/* ------------------------------------------------------------------ in-progress acknowledgements */

/* While a task is worked on, "in progress" every third of the ack wait: a slow
 * partition is not delivered again; a dead worker's is, after the ack wait. */
typedef struct beat {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    natsMsg *msg;
    bool quit, started;
    unsigned every_ms;
} beat;

static void *beat_main(void *arg)
{
    beat *b = arg;
    pthread_mutex_lock(&b->mu);
    while (!b->quit) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += b->every_ms / 1000;
        ts.tv_nsec += (long)(b->every_ms % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        int rc = pthread_cond_timedwait(&b->cv, &b->mu, &ts);
        if (rc == ETIMEDOUT && !b->quit && b->msg)
            natsMsg_InProgress(b->msg, NULL);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static void beat_set(beat *b, natsMsg *m)
{
    pthread_mutex_lock(&b->mu);
    b->msg = m;
    pthread_mutex_unlock(&b->mu);
}

/* ------------------------------------------------------------------ the run's state */

typedef struct ctl_msg {
    uint64_t seq;
    uint8_t *data;
    size_t len;
} ctl_msg;

typedef struct cached_view {
    uint32_t part;
    mrs_view *v;
    uint64_t bytes, tick;
    uint64_t events, messages, malformed;
} cached_view;

/* What one split run needs, loaded on its first task and kept for the next. */
typedef struct run_ctx {
    int64_t id;                 /* 0: none loaded */
    mrs_split_info info;
    mrs_feed_seal seal;
    mrs_obs_extent x;
    mrs_obs_inputs in;          /* the knowledge (the spec) */
    mrs_obs_bundle b;           /* loaded knowledge */
    bool b_loaded;
    bool usable;                /* the knowledge loaded here as it did for the coordinator */
    char base[160];
    ctl_msg *ctl;
    size_t n_ctl, cap_ctl;
    bool ctl_loaded;
    mrs_detect_facts facts;     /* merged, for phase 2 */
    bool facts_loaded;
    cached_view *cache;
    size_t n_cache, cap_cache;
    uint64_t cache_bytes;
} run_ctx;

/* The process: what its threads share. */
typedef struct wk {
    const worker_opts *o;
    int sfd;                    /* SIGINT, SIGTERM */
    atomic_bool stopping;
    char name[128];
    char token[MRS_WORKER_TOKEN_MAX];   /* name as a subject token (mrs_worker_token) */
    pthread_mutex_t mu;         /* run, users, tick */
    pthread_cond_t cv;          /* users back to 0 */
    run_ctx run;
    unsigned users;             /* threads computing a task of run */
    uint64_t tick;
    atomic_uint_fast64_t tasks;
    atomic_uint_fast64_t logged;   /* malformed messages logged */
} wk;

/* One thread: a competing consumer of the work stream and of its process's
 * affinity consumer. */
typedef struct wthread {
    wk *w;
    char name[144];             /* the worker's name (the process's: its rows say it) */
    wconn c;
    natsSubscription *sub;      /* the shared consumer */
    natsSubscription *aff_sub;  /* the process's affinity consumer */
    mrs_store *st;
    uint32_t *words;            /* decoding scratch (MRS_REV_MAX_WORDS) */
    mrs_rev_unpacker up;        /* compressed batches */
    beat hb;
    pthread_t th;
    bool running;
    bool view_kept;             /* the last get_view: from the phase-1 views kept */
} wthread;

static bool stop_requested(void *ctx)
{
    wk *w = ((wthread *)ctx)->w;
    struct signalfd_siginfo si;
    while (!atomic_load(&w->stopping) && read(w->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
        atomic_store(&w->stopping, true);
        fprintf(stderr, PROG ": %s: stopping (the current tasks, if any, are left to another worker)\n",
                strsignal((int)si.ssi_signo));
    }
    return atomic_load(&w->stopping);
}

static void cache_drop(run_ctx *r, size_t i)
{
    mrs_view_free(r->cache[i].v);
    r->cache_bytes -= r->cache[i].bytes;
    r->cache[i] = r->cache[--r->n_cache];
}

static void run_clear(run_ctx *r)
{
    mrs_split_info_clear(&r->info);
    mrs_obs_inputs_clear(&r->in);
    if (r->b_loaded)
        mrs_obs_bundle_clear(&r->b);
    for (size_t i = 0; i < r->n_ctl; i++)
        free(r->ctl[i].data);
    free(r->ctl);
    mrs_detect_facts_clear(&r->facts);
    while (r->n_cache)
        cache_drop(r, r->n_cache - 1);
    free(r->cache);
    memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------------ the store */

/* The store, opened again after a failure (PostgreSQL restarting): NULL when
 * stopping. */
static mrs_store *db(wthread *w)
{
    while (!w->st && !stop_requested(w)) {
        if ((w->st = wk_store_open(PROG, w->w->o->db, 30, true)))
            fprintf(stderr, PROG ": --db %s: connected again\n", mrs_store_name(w->st));
    }
    return w->st;
}

static void db_failed(wthread *w, const char *doing)
{
    fprintf(stderr, PROG ": --db %s (%s): reconnecting\n", w->st ? mrs_store_errmsg(w->st) : w->w->o->db, doing);
    mrs_store_close(w->st);
    w->st = NULL;
}

/* ------------------------------------------------------------------ loading a run */

static int ctl_add(uint64_t seq, const uint8_t *data, size_t len, void *ctx)
{
    run_ctx *r = ctx;
    ctl_msg *n = mrs_grow(r->ctl, &r->cap_ctl, r->n_ctl + 1, sizeof *n, 64);
    uint8_t *d = malloc(len ? len : 1);
    if (!n || !d) {
        free(d);
        fprintf(stderr, PROG ": out of memory\n");
        return -1;
    }
    r->ctl = n;
    if (len)
        memcpy(d, data, len);
    r->ctl[r->n_ctl++] = (ctl_msg){seq, d, len};
    return 0;
}

/* Decode the events of one message; fn for each. The number of events taken, the
 * first failure's field in *field (NULL when the whole message decoded). */
typedef void (*event_fn)(const mrs_route_event *ev, void *ctx);

static uint64_t each_event(const uint8_t *data, size_t len, long want_part, uint32_t *words, event_fn fn, void *ctx,
                           const char **field)
{
    uint64_t n = 0;
    *field = NULL;
    if (!data || !len) {
        *field = "empty message";
        return 0;
    }
    for (size_t off = 0; off < len;) {
        mrs_route_event ev;
        const char *f = NULL;
        size_t got = mrs_rev_decode(data + off, len - off, &ev, words, &f);
        if (!got) {
            *field = f ? f : "event";
            break;
        }
        if (mrs_rev_partition(&ev) != want_part) {
            *field = "subject (the event belongs to another partition)";
            break;
        }
        fn(&ev, ctx);
        n++;
        off += got;
    }
    return n;
}

static void log_malformed(wthread *w, const char *subject, uint64_t seq, const char *field)
{
    if (atomic_fetch_add(&w->w->logged, 1) < MAX_LOGGED) {
        char safe[300];
        mrs_text_safe(safe, sizeof safe, subject, strlen(subject));
        fprintf(stderr, PROG ": %s: seq %" PRIu64 ": malformed event (%s): skipped\n", safe, seq, field);
    }
}

static void ignore_event(const mrs_route_event *ev, void *ctx)
{
    (void)ev;
    (void)ctx;
}

/* The split run of task t: its row, seal, spec, knowledge and ctl subject. 0
 * ready; 1 not servable here (said; the task goes back, later); 2 not now (NATS,
 * stopping: again soon); -1 a store failure. Called with w->w->mu held and no
 * thread using the run if it is another. */
static int run_load(wthread *w, int64_t id)
{
    run_ctx *r = &w->w->run;
    if (r->id == id)
        return r->usable ? 0 : 1;
    run_clear(r);
    mrs_store *st = db(w);
    if (!st)
        return 1;
    int g = mrs_store_split_get(st, id, &r->info);
    if (g < 0) {
        db_failed(w, "read the split run");
        return -1;
    }
    if (g > 0) {
        fprintf(stderr, PROG ": split run %" PRId64 " is not in %s: is this worker on the coordinator's store?\n", id,
                mrs_store_name(st));
        return 1;
    }
    r->id = id;
    char err[600];
    mrs_split_spec sp;
    if (strcmp(r->info.stream, w->c.stream) != 0) {
        fprintf(stderr, PROG ": split run %" PRId64 " reads stream %s, this worker %s\n", id, r->info.stream,
                w->c.stream);
        return 1;
    }
    if (mrs_split_seal_extent(r->info.seal, strlen(r->info.seal), &r->seal, &r->x, err, sizeof err) ||
        mrs_split_spec_parse(r->info.spec, strlen(r->info.spec), &r->in, &sp, err, sizeof err)) {
        fprintf(stderr, PROG ": split run %" PRId64 ": %s\n", id, err);
        return 1;
    }
    /* the time the knowledge is taken at: the coordinator's (--from, else the seal's) */
    r->x.data_time = sp.data_time;
    r->x.dated = sp.dated;
    snprintf(r->base, sizeof r->base, "manrs.ev.%s", r->info.stream);
    /* the knowledge: the same files as the coordinator named, here */
    mrs_diag kd;
    mrs_diag_init(&kd, stderr);
    kd.max_print = 50;
    bool failed = false;
    const char *why = NULL;
    double t0 = wk_now();
    mrs_obs_extent kx = r->x;
    kx.failed = false;   /* the knowledge's own failures, to compare with the coordinator's */
    if (mrs_obs_split_open(&r->in, &kx, &kd, &r->b, &failed, &why) != 0) {
        fprintf(stderr, PROG ": split run %" PRId64 ": %s\n", id, why ? why : "out of memory");
        r->b_loaded = true;
        return 1;
    }
    r->b_loaded = true;
    if (failed != sp.knowledge_failed) {
        fprintf(stderr, PROG ": split run %" PRId64 ": %s: not computing (the results would differ from the "
                        "coordinator's)\n", id, failed ? "a knowledge input could not be used on this machine"
                                                     : "the knowledge loads here, not at the coordinator's");
        return 1;
    }
    /* the state changes, once per run */
    char ctl[200];
    snprintf(ctl, sizeof ctl, "%s.ctl", r->base);
    int64_t n = wconn_subject_count(&w->c, ctl);
    if (n < 0 || (n > 0 && wconn_read(&w->c, ctl, r->seal.last_seq, ctl_add, r, stop_requested, w) != 0)) {
        run_clear(r);   /* all of it again with the next task */
        return 2;
    }
    for (size_t i = 0; i < r->n_ctl; i++) {
        /* kept unpacked: every partition applies them */
        const char *field = NULL;
        size_t len = 0;
        const uint8_t *ev = mrs_rev_batch_events(&w->up, r->ctl[i].data, r->ctl[i].len, &len, &field);
        if (ev && ev != r->ctl[i].data) {
            uint8_t *d = malloc(len);
            if (!d) {
                fprintf(stderr, PROG ": out of memory\n");
                run_clear(r);
                return 2;
            }
            memcpy(d, ev, len);
            free(r->ctl[i].data);
            r->ctl[i].data = d;
            r->ctl[i].len = len;
        }
        if (ev)
            each_event(r->ctl[i].data, r->ctl[i].len, MRS_REV_PARTITIONS - 1, w->words, ignore_event, NULL, &field);
        else
            r->ctl[i].len = 0;   /* applied nowhere */
        if (field)
            log_malformed(w, ctl, r->ctl[i].seq, field);
    }
    r->ctl_loaded = true;
    r->usable = true;
    if (!w->w->o->quiet)
        fprintf(stderr, PROG ": split run %" PRId64 " (stream %s, %" PRIu64 " events, %" PRIu64 " partitions): "
                        "knowledge loaded in %.1f s, %zu state-change messages\n",
                id, r->info.stream, r->seal.events, r->info.n_parts, wk_now() - t0, r->n_ctl);
    return 0;
}

/* The split run for a task of this thread: loaded once for every thread (the
 * others wait), another run only once no thread computes with the current one.
 * run_load's values; on 0 the caller computes and then calls run_release. */
static int run_acquire(wthread *t, int64_t id)
{
    wk *w = t->w;
    pthread_mutex_lock(&w->mu);
    while (w->run.id != id && w->users > 0)
        pthread_cond_wait(&w->cv, &w->mu);
    int rc = run_load(t, id);
    if (rc == 0)
        w->users++;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

static void run_release(wk *w)
{
    pthread_mutex_lock(&w->mu);
    w->users--;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

/* ------------------------------------------------------------------ building a partition's view */

typedef struct vbuild {
    wthread *w;
    run_ctx *r;
    long part;
    const char *subject;
    mrs_view *v;
    bool started;
    size_t ctl_i;
    uint64_t events, messages, malformed, bytes;
    uint32_t *fids;             /* the view's file ids, in order of appearance */
    size_t n_fids, cap_fids;
    uint32_t last_fid;
    bool oom;
} vbuild;

static void apply_ctl_event(const mrs_route_event *ev, void *ctx)
{
    vbuild *b = ctx;
    mrs_view_add_event(b->v, ev, 0);
}

/* The state changes of sequence < seq: applied once the view has begun, passed over before. */
static void ctl_before(vbuild *b, uint64_t seq)
{
    run_ctx *r = b->r;
    for (; b->ctl_i < r->n_ctl && r->ctl[b->ctl_i].seq < seq; b->ctl_i++) {
        if (!b->started)
            continue;
        const char *field;
        each_event(r->ctl[b->ctl_i].data, r->ctl[b->ctl_i].len, MRS_REV_PARTITIONS - 1, b->w->words,
                   apply_ctl_event, b, &field);
    }
}

static uint32_t file_id(vbuild *b, const char *source)
{
    if (b->n_fids && !strcmp(mrs_view_file_name(b->v, b->last_fid), source))
        return b->last_fid;
    for (size_t i = 0; i < b->n_fids; i++)
        if (!strcmp(mrs_view_file_name(b->v, b->fids[i]), source))
            return b->last_fid = b->fids[i];
    uint32_t *n = mrs_grow(b->fids, &b->cap_fids, b->n_fids + 1, sizeof *n, 8);
    uint32_t id = mrs_view_add_file(b->v, source);
    if (!n || id == UINT32_MAX) {
        b->oom = true;
        return 0;
    }
    b->fids = n;
    b->fids[b->n_fids++] = id;
    return b->last_fid = id;
}

typedef struct part_msg {
    vbuild *b;
    uint64_t seq;
    bool first;
} part_msg;

static void apply_part_event(const mrs_route_event *ev, void *ctx)
{
    part_msg *pm = ctx;
    vbuild *b = pm->b;
    if (pm->first) {
        pm->first = false;
        ctl_before(b, pm->seq);   /* before the view begins: passed over */
        b->started = true;
    }
    mrs_view_add_event(b->v, ev, file_id(b, ev->source));
    b->events++;
}

static int on_part_msg(uint64_t seq, const uint8_t *data, size_t len, void *ctx)
{
    vbuild *b = ctx;
    part_msg pm = {b, seq, true};
    const char *field;
    b->messages++;
    size_t n = 0;
    const uint8_t *events = mrs_rev_batch_events(&b->w->up, data, len, &n, &field);
    b->bytes += events ? n : len;
    if (events)
        each_event(events, n, b->part, b->w->words, apply_part_event, &pm, &field);
    if (field) {
        b->malformed++;
        log_malformed(b->w, b->subject, seq, field);
    }
    return b->oom ? -1 : 0;
}

/* The partition's view: 0 built (cv filled, cv->v may be a view that never
 * began: no event), 1 abandoned (stopping, NATS), -1 out of memory. */
static int build_view(wthread *w, uint32_t part, cached_view *cv)
{
    run_ctx *r = &w->w->run;
    char subject[200];
    mrs_split_part_subject(r->base, part, subject, sizeof subject);
    vbuild b = {w, r, (long)part, subject, mrs_view_new(), false, 0, 0, 0, 0, 0, NULL, 0, 0, 0, false};
    if (!b.v)
        return -1;
    int rc = wconn_read(&w->c, subject, r->seal.last_seq, on_part_msg, &b, stop_requested, w);
    if (rc == 0 && b.started)
        ctl_before(&b, r->seal.last_seq + 1);
    free(b.fids);
    if (rc == 0 && (b.oom || mrs_view_oom(b.v)))
        rc = -2;
    if (rc != 0) {
        mrs_view_free(b.v);
        if (rc == -2)
            fprintf(stderr, PROG ": %s: out of memory building the view\n", subject);
        return rc == -2 ? -1 : 1;
    }
    *cv = (cached_view){part, b.v, b.bytes + 64, 0, b.events, b.messages, b.malformed};
    if (!b.started) {
        mrs_view_free(b.v);
        cv->v = NULL;
    }
    return 0;
}

/* The view from the cache (taken out of it), else built. */
static int get_view(wthread *t, uint32_t part, cached_view *cv)
{
    wk *w = t->w;
    run_ctx *r = &w->run;
    pthread_mutex_lock(&w->mu);
    for (size_t i = 0; i < r->n_cache; i++)
        if (r->cache[i].part == part) {
            *cv = r->cache[i];
            r->cache_bytes -= cv->bytes;
            r->cache[i] = r->cache[--r->n_cache];
            pthread_mutex_unlock(&w->mu);
            t->view_kept = true;
            return 0;
        }
    pthread_mutex_unlock(&w->mu);
    t->view_kept = false;
    return build_view(t, part, cv);
}

/* Keep a phase-1 view for phase 2, the least recently used ones dropped beyond the budget. */
static void keep_view(wthread *t, cached_view *cv)
{
    wk *w = t->w;
    run_ctx *r = &w->run;
    uint64_t budget = (uint64_t)(w->o->cache_mb ? w->o->cache_mb : 2048) << 20;
    if (!cv->v || cv->bytes > budget) {
        mrs_view_free(cv->v);
        return;
    }
    pthread_mutex_lock(&w->mu);
    while (r->n_cache && r->cache_bytes + cv->bytes > budget) {
        size_t old = 0;
        for (size_t i = 1; i < r->n_cache; i++)
            if (r->cache[i].tick < r->cache[old].tick)
                old = i;
        cache_drop(r, old);
    }
    cached_view *n = mrs_grow(r->cache, &r->cap_cache, r->n_cache + 1, sizeof *n, 64);
    if (n) {
        r->cache = n;
        cv->tick = ++w->tick;
        r->cache[r->n_cache++] = *cv;
        r->cache_bytes += cv->bytes;
    }
    pthread_mutex_unlock(&w->mu);
    if (!n)
        mrs_view_free(cv->v);
}

/* ------------------------------------------------------------------ one task */

enum { DONE, AGAIN, GIVE_BACK };   /* acknowledge; deliver again soon; leave to another worker */

static int store_part(wthread *w, const mrs_split_part *p)
{
    for (;;) {
        mrs_store *st = db(w);
        if (!st)
            return AGAIN;
        int rc = mrs_store_split_put_part(st, p);
        if (rc >= 0)
            return DONE;   /* 1: another worker's row was first: the same result */
        db_failed(w, "store the part");
    }
}

static int phase1(wthread *w, const mrs_task *t, uint32_t part, double t0)
{
    run_ctx *r = &w->w->run;
    cached_view cv;
    int g = get_view(w, part, &cv);
    if (g)
        return g > 0 ? AGAIN : GIVE_BACK;
    uint8_t *blob = NULL;
    size_t len = 0;
    if (cv.v) {
        mrs_detect_facts f;
        int rc = mrs_obs_part_facts(&r->in, &r->b, cv.v, &f);
        if (rc == 0)
            rc = mrs_detect_facts_encode(&f, &blob, &len);
        mrs_detect_facts_clear(&f);
        if (rc != 0) {
            fprintf(stderr, PROG ": partition %" PRIu32 ": out of memory\n", part);
            mrs_view_free(cv.v);
            return GIVE_BACK;
        }
    }
    mrs_split_part p = {.split = t->split, .phase = 1, .part = part, .facts = blob, .n_facts = len,
                        .events = cv.events, .messages = cv.messages, .malformed = cv.malformed,
                        .worker = w->name, .seconds = wk_now() - t0};
    int rc = store_part(w, &p);
    free(blob);
    keep_view(w, &cv);
    return rc;
}

/* The merged facts of the run, read once for every thread: DONE, AGAIN, GIVE_BACK. */
static int facts_load(wthread *w, const mrs_task *t)
{
    run_ctx *r = &w->w->run;
    pthread_mutex_lock(&w->w->mu);
    int rc = DONE;
    if (!r->facts_loaded) {
        mrs_store *st = db(w);
        uint8_t *b = NULL;
        size_t n = 0;
        int g = st ? mrs_store_split_facts(st, t->split, &b, &n) : -1;
        char err[300];
        if (!st) {
            rc = AGAIN;
        } else if (g < 0) {
            db_failed(w, "read the merged facts");
            rc = AGAIN;
        } else if (g > 0) {
            fprintf(stderr, PROG ": split run %" PRId64 ": a phase-2 task before the merged facts\n", t->split);
            rc = GIVE_BACK;
        } else if (mrs_detect_facts_decode(b, n, &r->facts, err, sizeof err) != 0) {
            fprintf(stderr, PROG ": split run %" PRId64 ": merged facts: %s\n", t->split, err);
            rc = GIVE_BACK;
        } else {
            r->facts_loaded = true;
        }
        free(b);
    }
    pthread_mutex_unlock(&w->w->mu);
    return rc;
}

static int phase2(wthread *w, const mrs_task *t, uint32_t part, double t0)
{
    run_ctx *r = &w->w->run;
    int f = facts_load(w, t);
    if (f != DONE)
        return f;
    cached_view cv;
    int g = get_view(w, part, &cv);
    if (g)
        return g > 0 ? AGAIN : GIVE_BACK;
    uint8_t *inc_b = NULL, *met_b = NULL, counts[MRS_SPLIT_COUNTS_LEN];
    size_t inc_n = 0, met_n = 0;
    mrs_split_part p = {.split = t->split, .phase = 2, .part = part, .events = cv.events,
                        .messages = cv.messages, .malformed = cv.malformed, .worker = w->name};
    if (cv.v) {
        mrs_incident_list inc = {0};
        mrs_metrics_part mp;
        mrs_detect_stats ds;
        memset(&ds, 0, sizeof ds);
        int rc = mrs_obs_part_detect(&r->in, &r->b, cv.v, &r->facts, &inc, &mp, &ds);
        if (rc == 0)
            rc = mrs_incident_list_encode(&inc, &inc_b, &inc_n);
        if (rc == 0)
            rc = mrs_metrics_part_encode(&mp, &met_b, &met_n);
        mrs_incident_list_clear(&inc);
        mrs_metrics_part_clear(&mp);
        mrs_view_free(cv.v);
        if (rc != 0) {
            fprintf(stderr, PROG ": partition %" PRIu32 ": out of memory\n", part);
            free(inc_b);
            free(met_b);
            return GIVE_BACK;
        }
        mrs_split_counts_encode(&ds, counts);
        p.incidents = inc_b;
        p.n_incidents = inc_n;
        p.metrics = met_b;
        p.n_metrics = met_n;
        p.counts = counts;
        p.n_counts = sizeof counts;
    }
    p.seconds = wk_now() - t0;
    int rc = store_part(w, &p);
    free(inc_b);
    free(met_b);
    return rc;
}

static int one_part(wthread *w, const mrs_task *t, uint32_t part, uint64_t delivered, double t0);

static void handle(wthread *w, natsMsg *m)
{
    const worker_opts *o = w->w->o;
    char err[300];
    mrs_task t;
    const char *subj = natsMsg_GetSubject(m);
    int len = natsMsg_GetDataLength(m);
    if (mrs_task_parse(natsMsg_GetData(m), len > 0 ? (size_t)len : 0, &t, err, sizeof err) != 0) {
        char safe[300];
        mrs_text_safe(safe, sizeof safe, subj, strlen(subj));
        fprintf(stderr, PROG ": %s: %s: dropped\n", safe, err);
        natsMsg_Term(m, NULL);
        return;
    }
    if (o->run && t.split != o->run) {
        natsMsg_NakWithDelay(m, 1000, NULL);   /* another worker's */
        return;
    }
    uint64_t delivered = 1;
    jsMsgMetaData *meta = NULL;
    if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
        delivered = meta->NumDelivered;
        jsMsgMetaData_Destroy(meta);
    }
    beat_set(&w->hb, m);
    /* the partitions one after the other, each its row; a task given back part
     * way comes again and finds the rows done */
    int outcome = DONE;
    for (unsigned i = 0; i < t.n_parts && outcome == DONE; i++) {
        double t0 = wk_now();
        w->view_kept = false;
        if (!o->quiet)
            fprintf(stderr, PROG ": split run %" PRId64 " phase %d partition %" PRIu32 ": begun%s%s\n", t.split,
                    t.phase, t.parts[i], delivered > 1 ? " (a task delivered again)" : "",
                    t.n_parts > 1 && i == 0 ? " (a task of small partitions)" : "");
        outcome = one_part(w, &t, t.parts[i], delivered, t0);
        if (outcome == DONE && !o->quiet)
            fprintf(stderr, PROG ": split run %" PRId64 " phase %d partition %" PRIu32 ": done in %.2f s%s\n", t.split,
                    t.phase, t.parts[i], wk_now() - t0,
                    t.phase == 1 || !w->view_kept ? "" : " (the view phase 1 built, kept)");
    }
    beat_set(&w->hb, NULL);
    if (outcome == DONE) {
        /* not waited for: a lost acknowledgement brings the task again, found done */
        natsStatus s = natsMsg_Ack(m, NULL);
        if (s != NATS_OK)
            fprintf(stderr, PROG ": %s: acknowledgement not sent (%s): the task will come again and be found done\n",
                    w->c.url, natsStatus_GetText(s));
        atomic_fetch_add(&w->w->tasks, 1);
    } else {
        /* stopping, NATS gone: again soon; not servable here: later, to another */
        natsMsg_NakWithDelay(m, outcome == AGAIN ? 0 : 5000, NULL);
    }
}

/* One partition of task t: DONE (its row in), AGAIN, GIVE_BACK. */
static int one_part(wthread *w, const mrs_task *t, uint32_t part, uint64_t delivered, double t0)
{
    int outcome = GIVE_BACK;
    for (;;) {
        mrs_store *st = db(w);
        if (!st) {
            outcome = AGAIN;
            break;
        }
        /* a task delivered again may be done (its worker killed between the commit
         * and the acknowledgement): look first. A first delivery is not (the
         * coordinator publishes missing parts only); if it were, the row's first
         * version stays (ON CONFLICT DO NOTHING) */
        int has = delivered > 1 ? mrs_store_split_has_part(st, t->split, t->phase, part) : 0;
        if (has < 0) {
            db_failed(w, "look for the part");
            continue;
        }
        if (has) {
            outcome = DONE;   /* a task delivered again whose row is in */
            break;
        }
        int l = run_acquire(w, t->split);
        if (l < 0)
            continue;
        if (l > 0) {
            outcome = l == 2 ? AGAIN : GIVE_BACK;
            break;
        }
        outcome = t->phase == 1 ? phase1(w, t, part, t0) : phase2(w, t, part, t0);
        run_release(w->w);
        break;
    }
    return outcome;
}

/* ------------------------------------------------------------------ the loop */

static bool nothing_left(wthread *w)
{
    for (;;) {
        mrs_store *st = db(w);
        if (!st)
            return true;   /* stopping */
        int64_t waiting, total;
        if (mrs_store_split_waiting(st, w->c.stream, w->w->o->run, &waiting, &total) == 0)
            return total > 0 && waiting == 0;
        db_failed(w, "look for work");
    }
}

/* Connect a thread: its NATS connection, the work stream and consumer, its pull
 * subscription, its store session. false after saying why. */
static bool thread_open(wthread *t, unsigned ack)
{
    const worker_opts *o = t->w->o;
    char cname[200];
    snprintf(cname, sizeof cname, "manrs worker %s", t->name);
    if (!(t->words = malloc(4 * MRS_REV_MAX_WORDS))) {
        fprintf(stderr, PROG ": out of memory\n");
        return false;
    }
    if (!(t->st = wk_store_open(PROG, o->db, 0, false)))
        return false;
    if (!wconn_open(&t->c, PROG, o->nats_url, o->stream, o->timeout_ms, cname) || !wconn_work_stream(&t->c) ||
        !wconn_work_consumer(&t->c, ack) || !wconn_aff_consumer(&t->c, t->w->token, ack))
        return false;
    char durable[80], filter[256];
    wconn_aff_names(&t->c, t->w->token, durable, filter);
    const struct {
        natsSubscription **sub;
        const char *stream, *subjects, *durable;
    } pulls[2] = {{&t->sub, t->c.work_stream, t->c.work_subjects, WORK_CONSUMER},
                  {&t->aff_sub, t->c.aff_stream, filter, durable}};
    for (int i = 0; i < 2; i++) {
        jsSubOptions so;
        jsSubOptions_Init(&so);
        so.Stream = pulls[i].stream;
        so.Consumer = pulls[i].durable;
        jsErrCode jerr = 0;
        natsStatus s = js_PullSubscribe(pulls[i].sub, t->c.js, pulls[i].subjects, pulls[i].durable, NULL, &so, &jerr);
        if (s != NATS_OK) {
            fprintf(stderr, PROG ": %s: cannot pull from %s (%s): %s (JetStream error %d)\n", t->c.url,
                    pulls[i].stream, pulls[i].durable, natsStatus_GetText(s), (int)jerr);
            *pulls[i].sub = NULL;
            return false;
        }
    }
    pthread_mutex_init(&t->hb.mu, NULL);
    pthread_cond_init(&t->hb.cv, NULL);
    t->hb.every_ms = ack * 1000 / 3 ? ack * 1000 / 3 : 300;
    if (pthread_create(&t->hb.th, NULL, beat_main, &t->hb) != 0) {
        fprintf(stderr, PROG ": cannot start a thread\n");
        pthread_mutex_destroy(&t->hb.mu);
        pthread_cond_destroy(&t->hb.cv);
        return false;
    }
    t->hb.started = true;
    return true;
}

static void thread_close(wthread *t)
{
    if (t->hb.started) {
        pthread_mutex_lock(&t->hb.mu);
        t->hb.quit = true;
        pthread_cond_signal(&t->hb.cv);
        pthread_mutex_unlock(&t->hb.mu);
        pthread_join(t->hb.th, NULL);
        pthread_mutex_destroy(&t->hb.mu);
        pthread_cond_destroy(&t->hb.cv);
    }
    if (t->sub)
        natsSubscription_Destroy(t->sub);
    if (t->aff_sub)
        natsSubscription_Destroy(t->aff_sub);
    wconn_close(&t->c);
    mrs_store_close(t->st);
    free(t->words);
    mrs_rev_unpacker_free(&t->up);
}

/* A thread's loop: one task at a time until stopped (or, with --once, idle with nothing left). */
static void *thread_main(void *arg)
{
    wthread *t = arg;
    const worker_opts *o = t->w->o;
    double idle_since = wk_now();
    bool said_down = false, own_first = true;
    while (!stop_requested(t)) {
        /* the process's own tasks (phase 2 where its phase-1 view is kept) after
         * one of them or when the shared queue has had nothing for a while, for a
         * while (this libnats's no-wait fetch waits for its expiry); else the
         * shared queue: a phase-1 task never waits for the own queue, and an own
         * task waits 20 ms at most while a run goes on (the queues looked at 30
         * times a second), 100 ms after 2 s without a task (10 times) */
        bool busy = wk_now() - idle_since < 2.0;
        natsMsgList list = {0};
        jsErrCode jerr = 0;
        natsStatus s = NATS_TIMEOUT;
        if (own_first) {
            s = natsSubscription_Fetch(&list, t->aff_sub, 1, busy ? 10 : 50, &jerr);
            if (s != NATS_OK || list.Count == 0) {
                natsMsgList_Destroy(&list);
                own_first = false;
                s = NATS_TIMEOUT;
            }
        }
        if (!own_first) {
            s = natsSubscription_Fetch(&list, t->sub, 1, busy ? 20 : 100, &jerr);
            own_first = s == NATS_TIMEOUT;
        }
        if (s == NATS_OK) {
            said_down = false;
            for (int i = 0; i < list.Count; i++)
                if (!stop_requested(t))
                    handle(t, list.Msgs[i]);
                else
                    natsMsg_Nak(list.Msgs[i], NULL);
            natsMsgList_Destroy(&list);
            idle_since = wk_now();
            continue;
        }
        natsMsgList_Destroy(&list);
        if (s != NATS_TIMEOUT) {
            if (!said_down)
                fprintf(stderr, PROG ": %s: %s: waiting for NATS\n", t->c.url, natsStatus_GetText(s));
            said_down = true;
            nats_Sleep(500);
            continue;
        }
        if (o->once && wk_now() - idle_since >= 1.0 && nothing_left(t))
            break;
    }
    return NULL;
}

int worker_run(const worker_opts *o)
{
    unsigned nt = o->threads ? o->threads : 1;
    wk *w = calloc(1, sizeof *w);
    wthread *th = calloc(nt, sizeof *th);
    if (!w || !th) {
        fprintf(stderr, PROG ": out of memory\n");
        free(w);
        free(th);
        return 1;
    }
    w->o = o;
    w->sfd = -1;
    /* SIGINT, SIGTERM: read between tasks and messages, never interrupting a write
     * (blocked here, before any thread starts: every thread inherits the mask) */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &sigs, NULL) != 0 || (w->sfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
        fprintf(stderr, PROG ": signals: %s\n", strerror(errno));
        free(w);
        free(th);
        return 1;
    }
    if (o->name) {
        snprintf(w->name, sizeof w->name, "%s", o->name);
    } else {
        char host[64] = "?";
        gethostname(host, sizeof host - 1);
        snprintf(w->name, sizeof w->name, "%s:%ld", host, (long)getpid());
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    unsigned ack = o->ack_wait_s ? o->ack_wait_s : 30;
    int rc = 0;
    unsigned opened = 0;
    mrs_worker_token(w->name, w->token);
    for (; opened < nt; opened++) {
        wthread *t = &th[opened];
        t->w = w;
        snprintf(t->name, sizeof t->name, "%s", w->name);
        if (!thread_open(t, ack)) {
            rc = 1;
            opened++;   /* closed below with the others */
            break;
        }
    }
    if (rc == 0) {
        if (!o->quiet)
            fprintf(stderr, PROG ": %s serving %s at %s, store %s, %u thread%s\n", w->name, th[0].c.work_stream,
                    th[0].c.url, mrs_store_name(th[0].st), nt, nt > 1 ? "s" : "");
        for (unsigned i = 1; i < nt; i++) {
            if (pthread_create(&th[i].th, NULL, thread_main, &th[i]) != 0) {
                fprintf(stderr, PROG ": cannot start a thread (%u running)\n", i);
                break;
            }
            th[i].running = true;
        }
        thread_main(&th[0]);
        for (unsigned i = 1; i < nt; i++)
            if (th[i].running)
                pthread_join(th[i].th, NULL);
        if (!o->quiet)
            fprintf(stderr, PROG ": %s: %" PRIu64 " tasks done\n", w->name, (uint64_t)atomic_load(&w->tasks));
    }
    for (unsigned i = 0; i < opened; i++)
        thread_close(&th[i]);
    run_clear(&w->run);
    nats_CloseAndWait(5000);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    close(w->sfd);
    free(th);
    free(w);
    return rc;
}
