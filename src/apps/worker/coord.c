/*
 * coord.c — `manrs observe --nats`: the coordinator of a run split by prefix over
 * workers (worker.h, docs/scale.md "The workers"). It waits for the feed's seal,
 * records the split run (store.h), publishes the tasks of every partition and
 * phase (small partitions several to a task), waits for the workers' rows in the
 * store, merges the facts between the phases,
 * and reduces the parts into the observatory run (observatory.h
 * mrs_obs_split_reduce): the rows `manrs observe` stores for the same files.
 * Everything it needs to go on is in the store and the streams: a coordinator that
 * dies is resumed with --reduce --run ID (or by starting it again on the seal).
 */
#include "worker_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "manrs/analysis/incident.h"
#include "manrs/analysis/metrics.h"
#include "manrs/core/diag.h"
#include "manrs/feeds/route_event_codec.h"

#define PROG "manrs observe"
#define DB_PATIENCE 120   /* seconds the store may be away (a PostgreSQL restart) */
#define AFF_WAIT 3.0      /* seconds without a new phase-2 row before the tasks left with
                             their owners go to every worker too */
#define SMALL_SHARE 256   /* a partition with fewer than 1/SMALL_SHARE of the run's
                             messages is small: several go in one task */

/* Who holds which phase-1 view: per partition, the index + 1 of its worker
 * process's token (0: none known), and per token whether that process has its
 * affinity consumer. */
typedef struct owners {
    uint32_t *of;               /* by partition number (MRS_REV_PARTITIONS) */
    char (*tok)[MRS_WORKER_TOKEN_MAX];
    bool *live;
    size_t n, cap;
    bool oom;
} owners;

typedef struct coord {
    const cluster_opts *o;
    wconn c;
    bool connected;
    mrs_store *st;
    mrs_split_info info;
    int64_t id;
    uint64_t round;         /* publishing passes: their message ids differ */
    uint32_t *sz_parts;     /* every partition (ascending) and its messages: the */
    uint64_t *sz_msgs;      /* grouping of small partitions */
    size_t sz_n;
    uint64_t sz_total;
    bool sz_loaded;
    time_t started;
    size_t warnings;        /* about the knowledge (a reduce again starts from them) */
} coord;

/* The store, again after a failure; NULL when it stays away (said). */
static mrs_store *db(coord *k)
{
    if (!k->st)
        k->st = wk_store_open(PROG, k->o->db, DB_PATIENCE, true);
    return k->st;
}

static void db_failed(coord *k, const char *doing)
{
    fprintf(stderr, PROG ": --db %s (%s): reconnecting\n", k->st ? mrs_store_errmsg(k->st) : k->o->db, doing);
    mrs_store_close(k->st);
    k->st = NULL;
}

#define DB_RETRY(k, doing, call)                                                                                    \
    do {                                                                                                           \
        if (!db(k))                                                                                                \
            return -1;                                                                                             \
        if ((call) >= 0)                                                                                           \
            break;                                                                                                 \
        db_failed(k, doing);                                                                                       \
    } while (1)

/* ------------------------------------------------------------------ the seal */

/* The last seal of the feed as published: 1 found (malloc'd text), 0 none yet, -1 error (said). */
static int seal_text(coord *k, const char *feed, char **out)
{
    char subject[256];
    snprintf(subject, sizeof subject, "%s.seal.%s", k->c.base, feed);
    natsMsg *m = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetLastMsg(&m, k->c.js, k->c.stream, subject, NULL, &jerr);
    if (jerr == JSNoMessageFoundErr || (s == NATS_NOT_FOUND && jerr != JSStreamNotFoundErr))
        return 0;
    if (s != NATS_OK) {
        if (jerr == JSStreamNotFoundErr)
            return 0;   /* the feed has not created it yet */
        fprintf(stderr, PROG ": %s: %s: %s (JetStream error %d)\n", k->c.url, subject, natsStatus_GetText(s),
                (int)jerr);
        return -1;
    }
    int len = natsMsg_GetDataLength(m);
    *out = strndup(natsMsg_GetData(m), len > 0 ? (size_t)len : 0);
    natsMsg_Destroy(m);
    if (!*out) {
        fprintf(stderr, PROG ": out of memory\n");
        return -1;
    }
    return 1;
}

/* The inputs of the run: the seal's routing inputs, then the knowledge of kn (as
 * observe orders them: the stored run's description is observe's). */
static int inputs_rebuild(mrs_obs_inputs *in, const char *seal_inputs, const mrs_obs_inputs *kn, char *err,
                          size_t errlen)
{
    mrs_obs_inputs t;
    memset(&t, 0, sizeof t);
    if (mrs_split_inputs_parse(seal_inputs, &t, err, errlen) != 0) {
        mrs_obs_inputs_clear(&t);
        return -1;
    }
    for (unsigned kd = 0; kd < MRS_IN_N; kd++) {
        if (kd == MRS_IN_RIB || kd == MRS_IN_UPDATES || kd == MRS_IN_RIS_LIVE)
            continue;
        for (size_t i = 0; i < kn->n[kd]; i++)
            if (mrs_obs_inputs_add(&t, (mrs_obs_input)kd, kn->files[kd][i]) != 0) {
                snprintf(err, errlen, "out of memory");
                mrs_obs_inputs_clear(&t);
                return -1;
            }
    }
    t.asrel_ipv6 = kn->asrel_ipv6;
    t.from = kn->from;
    t.to = kn->to;
    t.strict_period = kn->strict_period;
    t.progress = kn->progress;
    mrs_obs_inputs_clear(in);
    *in = t;
    return 0;
}

/* ------------------------------------------------------------------ affinity */

static void owner_add(uint32_t part, const char *worker, void *ctx)
{
    owners *w = ctx;
    if (part >= MRS_REV_PARTITIONS || w->oom)
        return;
    char tok[MRS_WORKER_TOKEN_MAX];
    mrs_worker_token(worker, tok);
    size_t i = 0;
    while (i < w->n && strcmp(w->tok[i], tok))
        i++;
    if (i == w->n) {
        if (w->n == w->cap) {
            size_t cap = w->cap ? 2 * w->cap : 16;
            void *t = realloc(w->tok, cap * sizeof *w->tok), *l = t ? realloc(w->live, cap * sizeof *w->live) : NULL;
            if (t)
                w->tok = t;
            if (!t || !l) {
                w->oom = true;
                return;
            }
            w->live = l;
            w->cap = cap;
        }
        memcpy(w->tok[w->n], tok, sizeof tok);
        w->live[w->n++] = false;
    }
    w->of[part] = (uint32_t)i + 1;
}

static void owners_clear(owners *w)
{
    free(w->of);
    free(w->tok);
    free(w->live);
    memset(w, 0, sizeof *w);
}

/* The phase-1 rows' workers, and which of them have their affinity consumer.
 * false: none known (out of memory, the store away: every task to the shared
 * queue). */
static bool owners_load(coord *k, owners *w)
{
    memset(w, 0, sizeof *w);
    if (!(w->of = calloc(MRS_REV_PARTITIONS, sizeof *w->of)))
        return false;
    for (;;) {
        if (!db(k)) {
            owners_clear(w);
            return false;
        }
        if (mrs_store_split_workers(k->st, k->id, 1, owner_add, w) >= 0)
            break;
        db_failed(k, "list the phase-1 workers");
        memset(w->of, 0, MRS_REV_PARTITIONS * sizeof *w->of);
        w->n = 0;
    }
    if (w->oom) {
        owners_clear(w);
        return false;
    }
    for (size_t i = 0; i < w->n; i++)
        w->live[i] = wconn_aff_exists(&k->c, w->tok[i]) == 1;
    return true;
}

/* The tasks of a split run left on the affinity stream (their owner gone, or
 * another worker's row first): removed once the phase is complete. */
static void owners_purge(coord *k)
{
    char subject[256];
    snprintf(subject, sizeof subject, "manrs.aff.%s.*.%" PRId64 ".>", k->c.stream, k->id);
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Stream.Purge.Subject = subject;
    jsErrCode jerr = 0;
    natsStatus s = js_PurgeStream(k->c.js, k->c.aff_stream, &jo, &jerr);
    if (s != NATS_OK && !k->o->quiet)
        fprintf(stderr, PROG ": %s: %s: tasks left not removed: %s (JetStream error %d; harmless: found done)\n",
                k->c.url, subject, natsStatus_GetText(s), (int)jerr);
}

/* ------------------------------------------------------------------ tasks */

/* The messages of a partition of the split run (0 when unknown). */
static uint64_t part_messages(const coord *k, uint32_t part)
{
    size_t lo = 0, hi = k->sz_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k->sz_parts[mid] < part)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < k->sz_n && k->sz_parts[lo] == part ? k->sz_msgs[lo] : 0;
}

/* One task: t's partitions, to the process whose token is tok (its affinity
 * consumer) or, NULL, to every worker. */
static int publish_task(coord *k, const mrs_task *t, const char *tok)
{
    char body[MRS_TASK_MAX], subject[256], msgid[160];
    int len = mrs_task_format(t, body, sizeof body);
    if (len < 0 || len >= (int)sizeof body) {
        fprintf(stderr, PROG ": internal error: a task of %u partitions\n", t->n_parts);
        return -1;
    }
    if (tok)
        snprintf(subject, sizeof subject, "manrs.aff.%s.%s.%" PRId64 ".%d.%" PRIu32, k->c.stream, tok, k->id,
                 t->phase, t->parts[0]);
    else
        snprintf(subject, sizeof subject, "manrs.work.%s.%" PRId64 ".%d.%" PRIu32, k->c.stream, k->id, t->phase,
                 t->parts[0]);
    /* a retry of this pass is dropped as a duplicate; a later pass is not */
    snprintf(msgid, sizeof msgid, "%" PRId64 ".%d.%" PRIu32 ".%u.%lld.%" PRIu64, k->id, t->phase, t->parts[0],
             t->n_parts, (long long)k->started, k->round);
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MsgId = msgid;
    double end = wk_now() + 60;
    for (;;) {
        jsPubAck *pa = NULL;
        jsErrCode jerr = 0;
        natsStatus s = js_Publish(&pa, k->c.js, subject, body, len, &po, &jerr);
        jsPubAck_Destroy(pa);
        if (s == NATS_OK)
            break;
        if (wk_now() > end) {
            fprintf(stderr, PROG ": %s: %s: cannot publish the task: %s (JetStream error %d); resume with "
                            "--reduce --run %" PRId64 "\n", k->c.url, subject, natsStatus_GetText(s), (int)jerr,
                    k->id);
            return -1;
        }
        nats_Sleep(500);   /* NATS restarting: the connection comes back by itself */
    }
    return 0;
}

/* Publish the tasks of parts (in their order, the largest first): each to the
 * worker process that holds the partition's phase-1 view when w knows one that
 * listens, else to every worker. A partition under 1/SMALL_SHARE of the run's
 * messages shares its task with other small ones of the same destination, up to
 * that many messages together and MRS_TASK_MAX_PARTS partitions: a small
 * partition costs a fetch, an acknowledgement and a scheduling gap otherwise,
 * more than its work. Returns the number of tasks, -1 after saying why. */
static long publish_tasks(coord *k, int phase, const uint32_t *parts, size_t n, const owners *w)
{
    k->round++;
    long tasks = 0;
    uint64_t small = k->sz_total / SMALL_SHARE;
    size_t nd = (w ? w->n : 0) + 1;   /* destinations: 0 every worker, i + 1 the process of token i */
    mrs_task *g = calloc(nd, sizeof *g);
    uint64_t *g_msgs = calloc(nd, sizeof *g_msgs);
    int rc = 0;
    if (!g || !g_msgs) {
        free(g);
        free(g_msgs);
        fprintf(stderr, PROG ": out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        uint32_t o = w && parts[i] < MRS_REV_PARTITIONS ? w->of[parts[i]] : 0;
        size_t d = o && w->live[o - 1] ? o : 0;
        const char *tok = d ? w->tok[d - 1] : NULL;
        uint64_t m = part_messages(k, parts[i]);
        if (m >= small) {
            mrs_task t = {.split = k->id, .phase = phase, .n_parts = 1, .parts = {parts[i]}};
            rc = publish_task(k, &t, tok);
            tasks++;
            continue;
        }
        if (g[d].n_parts && (g_msgs[d] + m > small || g[d].n_parts == MRS_TASK_MAX_PARTS)) {
            rc = publish_task(k, &g[d], tok);
            tasks++;
            g[d].n_parts = 0;
            g_msgs[d] = 0;
        }
        g[d].split = k->id;
        g[d].phase = phase;
        g[d].parts[g[d].n_parts++] = parts[i];
        g_msgs[d] += m;
    }
    for (size_t d = 0; d < nd && rc == 0; d++)
        if (g[d].n_parts) {
            rc = publish_task(k, &g[d], d ? w->tok[d - 1] : NULL);
            tasks++;
        }
    free(g);
    free(g_msgs);
    return rc ? -1 : tasks;
}

/* Publish the phase's missing tasks and wait for every row; again after a stall.
 * Phase 2 goes to the owners of the phase-1 views (affinity), and to every worker
 * after AFF_WAIT seconds without a new row (an owner gone or slow: another
 * rebuilds the view; the first row stays). */
static int run_phase(coord *k, int phase)
{
    uint32_t *missing = NULL;
    size_t n = 0;
    owners w;
    bool aff = phase == 2 && owners_load(k, &w);
    size_t to_owners = 0;
    if (!k->sz_loaded) {
        DB_RETRY(k, "list the partitions",
                 mrs_store_split_partitions(k->st, k->id, &k->sz_parts, &k->sz_msgs, &k->sz_n));
        for (size_t i = 0; i < k->sz_n; i++)
            k->sz_total += k->sz_msgs[i];
        k->sz_loaded = true;
    }
    DB_RETRY(k, "list the missing parts", mrs_store_split_missing(k->st, k->id, phase, &missing, &n));
    for (size_t i = 0; aff && i < n; i++)
        to_owners += missing[i] < MRS_REV_PARTITIONS && w.of[missing[i]] && w.live[w.of[missing[i]] - 1];
    double t0 = wk_now(), last_progress = t0;
    long tasks = n ? publish_tasks(k, phase, missing, n, aff ? &w : NULL) : 0;
    if (tasks < 0) {
        free(missing);
        if (aff)
            owners_clear(&w);
        return -1;
    }
    free(missing);
    if (aff)
        owners_clear(&w);
    bool spread = to_owners == 0;   /* every task on the shared queue */
    if (!k->o->quiet && to_owners)
        fprintf(stderr, PROG ": split run %" PRId64 " phase 2: %zu of %zu tasks to the worker holding the "
                        "partition's phase-1 view\n", k->id, to_owners, n);
    if (!k->o->quiet)
        fprintf(stderr, PROG ": split run %" PRId64 " phase %d: %zu of %" PRIu64 " partitions to compute, in %ld "
                        "tasks\n", k->id, phase, n, k->info.n_parts, tasks);
    uint64_t done = 0, prev = UINT64_MAX, malformed = 0;
    unsigned stall = k->o->stall_s ? k->o->stall_s : 120;
    for (;;) {
        DB_RETRY(k, "wait for the parts", mrs_store_split_progress(k->st, k->id, phase, &done, &malformed));
        if (done != prev) {
            if (k->o->progress)
                fprintf(stderr, "\r" PROG ": phase %d: %" PRIu64 " of %" PRIu64 " partitions  ", phase, done,
                        k->info.n_parts);
            prev = done;
            last_progress = wk_now();
        }
        if (done >= k->info.n_parts)
            break;
        if (!spread && wk_now() - last_progress > AFF_WAIT) {
            DB_RETRY(k, "list the missing parts", mrs_store_split_missing(k->st, k->id, phase, &missing, &n));
            if (!k->o->quiet)
                fprintf(stderr, PROG ": split run %" PRId64 " phase 2: no new part for %.0f s: the %zu tasks left "
                                "published to every worker too\n", k->id, AFF_WAIT, n);
            long rc = n ? publish_tasks(k, phase, missing, n, NULL) : 0;
            free(missing);
            if (rc < 0)
                return -1;
            spread = true;
            last_progress = wk_now();
        }
        if (wk_now() - last_progress > stall) {
            /* nothing for a long while: tasks lost (a NATS server without its store)? */
            DB_RETRY(k, "list the missing parts", mrs_store_split_missing(k->st, k->id, phase, &missing, &n));
            fprintf(stderr, PROG ": split run %" PRId64 " phase %d: no new part for %u s: publishing the %zu "
                            "missing tasks again (are workers running? manrs worker --stream %s)\n",
                    k->id, phase, stall, n, k->c.stream);
            long rc = n ? publish_tasks(k, phase, missing, n, NULL) : 0;
            free(missing);
            if (rc < 0)
                return -1;
            last_progress = wk_now();
        }
        nats_Sleep(20);   /* a count(*) on the primary key: cheap */
    }
    if (phase == 2)
        owners_purge(k);   /* tasks left with an owner that did not take them */
    if (k->o->progress)
        fputs("\r\033[K", stderr);
    if (!k->o->quiet)
        fprintf(stderr, PROG ": split run %" PRId64 " phase %d: %" PRIu64 " partitions in %.2f s%s\n", k->id, phase,
                done, wk_now() - t0, phase == 1 && malformed ? "" : "");
    if (phase == 1 && malformed)
        fprintf(stderr, PROG ": split run %" PRId64 ": %" PRIu64 " malformed messages skipped by the workers (their "
                        "logs name them)\n", k->id, malformed);
    return 0;
}

/* ------------------------------------------------------------------ merging */

static int merge_facts(const mrs_split_part *p, void *ctx, char *err, size_t errlen)
{
    mrs_detect_facts *all = ctx, one;
    if (!p->facts)
        return 0;   /* a partition without an event of its own (only malformed messages) */
    if (mrs_detect_facts_decode(p->facts, p->n_facts, &one, err, errlen) != 0)
        return -1;
    int rc = mrs_detect_facts_merge(all, &one);
    mrs_detect_facts_clear(&one);
    if (rc != 0)
        snprintf(err, errlen, "out of memory");
    return rc;
}

static int store_facts(coord *k)
{
    for (;;) {
        if (!db(k))
            return -1;
        mrs_detect_facts all = {0};
        uint8_t *b = NULL;
        size_t n = 0;
        int rc = mrs_store_split_each_part(k->st, k->id, 1, merge_facts, &all);
        if (rc == 0 && mrs_detect_facts_encode(&all, &b, &n) != 0) {
            fprintf(stderr, PROG ": out of memory\n");
            mrs_detect_facts_clear(&all);
            return -1;
        }
        mrs_detect_facts_clear(&all);
        if (rc == 0)
            rc = mrs_store_split_set_facts(k->st, k->id, b, n);
        free(b);
        if (rc == 0) {
            k->info.phase = 2;
            return 0;
        }
        if (strstr(mrs_store_errmsg(k->st), "phase 1, part")) {
            fprintf(stderr, PROG ": %s\n", mrs_store_errmsg(k->st));   /* a row that does not decode */
            return -1;
        }
        db_failed(k, "merge the facts");
    }
}

typedef struct reduce_ctx {
    mrs_obs_result *r;
} reduce_ctx;

static int add_part(const mrs_split_part *p, void *ctx, char *err, size_t errlen)
{
    reduce_ctx *c = ctx;
    if (!p->incidents && !p->metrics && !p->counts)
        return 0;   /* no event of its own */
    if (!p->incidents || !p->metrics || !p->counts) {
        snprintf(err, errlen, "a phase-2 row without its incidents, metrics or counts");
        return -1;
    }
    mrs_metrics_part mp;
    mrs_detect_stats ds;
    if (mrs_incident_list_decode(p->incidents, p->n_incidents, &c->r->b.incidents, err, errlen) != 0 ||
        mrs_split_counts_decode(p->counts, p->n_counts, &ds, err, errlen) != 0 ||
        mrs_metrics_part_decode(p->metrics, p->n_metrics, &mp, err, errlen) != 0)
        return -1;
    int rc = mrs_metrics_part_merge(&c->r->part, &mp);
    mrs_metrics_part_clear(&mp);
    if (rc != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    mrs_split_counts_add(&c->r->b.detect, &ds);
    return 0;
}

/* ------------------------------------------------------------------ the run */

int cluster_observe(const cluster_opts *o, mrs_obs_inputs *in, const mrs_obs_cfg *cfg, mrs_diag *kd,
                    mrs_diag *md, mrs_obs_result *r)
{
    coord k;
    memset(&k, 0, sizeof k);
    k.o = o;
    k.started = time(NULL);
    int rc = -1;
    char err[600];
    char *seal = NULL, *spec = NULL;
    uint32_t *parts = NULL;
    uint64_t *msgs = NULL;
    mrs_detect_facts all = {0};
    r->run = -1;
    if (!(k.st = wk_store_open(PROG, o->db, 0, false)))
        goto out;
    const char *stream = o->stream, *feed = o->feed ? o->feed : "mrt";
    if (o->resume) {
        int g = mrs_store_split_get(k.st, o->resume, &k.info);
        if (g != 0) {
            fprintf(stderr, PROG ": --run %" PRId64 ": %s\n", o->resume,
                    g > 0 ? "no such split run in the store" : mrs_store_errmsg(k.st));
            goto out;
        }
        k.id = o->resume;
        stream = k.info.stream;
        feed = k.info.feed;
    }
    if (!wconn_open(&k.c, PROG, o->nats_url, stream, o->timeout_ms, "manrs observe (coordinator)") ||
        !wconn_work_stream(&k.c) || !wconn_work_consumer(&k.c, 0))
        goto out;
    mrs_feed_seal fs;
    mrs_obs_extent x;
    mrs_split_spec sp = {0, false, false};
    if (k.id) {
        /* resuming: everything as the split run has it */
        mrs_obs_inputs kn;
        memset(&kn, 0, sizeof kn);
        if (mrs_split_seal_extent(k.info.seal, strlen(k.info.seal), &fs, &x, err, sizeof err) != 0 ||
            mrs_split_spec_parse(k.info.spec, strlen(k.info.spec), &kn, &sp, err, sizeof err) != 0 ||
            inputs_rebuild(in, fs.inputs, &kn, err, sizeof err) != 0) {
            fprintf(stderr, PROG ": split run %" PRId64 ": %s\n", k.id, err);
            mrs_obs_inputs_clear(&kn);
            goto out;
        }
        mrs_obs_inputs_clear(&kn);
        x.data_time = sp.data_time;
        x.dated = sp.dated;
    } else {
        bool said = false;
        int g;
        while ((g = seal_text(&k, feed, &seal)) == 0) {
            if (!said && !o->quiet)
                fprintf(stderr, PROG ": waiting for the seal of feed %s on stream %s at %s\n", feed, k.c.stream,
                        k.c.url);
            said = true;
            nats_Sleep(1000);
        }
        if (g < 0)
            goto out;
        if (mrs_split_seal_extent(seal, strlen(seal), &fs, &x, err, sizeof err) != 0 ||
            inputs_rebuild(in, fs.inputs, in, err, sizeof err) != 0) {
            fprintf(stderr, PROG ": %s: the seal of feed %s: %s\n", k.c.url, feed, err);
            goto out;
        }
        /* --from dates the knowledge as observe does (mrs_obs_data_time); else the seal */
        if (in->from) {
            x.data_time = in->from;
            x.dated = true;
        }
        sp.data_time = x.data_time;
        sp.dated = x.dated;
    }
    /* the knowledge, here too: for the reduce, and to tell the workers whether it loads */
    {
        mrs_obs_extent kx = x;
        kx.failed = false;
        bool kfailed = false;
        const char *why = NULL;
        if (mrs_obs_split_open(in, &kx, kd, &r->b, &kfailed, &why) != 0) {
            fprintf(stderr, PROG ": %s\n", why ? why : "out of memory");
            goto out;
        }
        r->failed = kfailed || x.failed;
        k.warnings = r->b.n_warnings;
        if (k.id && kfailed != sp.knowledge_failed) {
            fprintf(stderr, PROG ": split run %" PRId64 ": the knowledge %s here, not when the run began\n", k.id,
                    kfailed ? "cannot all be used" : "loads");
            goto out;
        }
        sp.knowledge_failed = kfailed;
    }
    if (!k.id) {
        size_t n = 0;
        char describe[MRS_OBS_DESCRIBE_MAX];
        mrs_obs_inputs_describe(in, describe, sizeof describe);
        if (!(spec = mrs_split_spec_json(in, &sp))) {
            fprintf(stderr, PROG ": out of memory\n");
            goto out;
        }
        if (!wconn_partitions(&k.c, &parts, &msgs, &n))
            goto out;
        mrs_split_info si = {.stream = (char *)k.c.stream, .feed = (char *)feed, .seal = seal, .spec = spec,
                             .inputs = describe};
        bool existed = false;
        int64_t id = mrs_store_split_create(k.st, &si, parts, msgs, n, &existed);
        if (id < 0) {
            fprintf(stderr, PROG ": --db %s\n", mrs_store_errmsg(k.st));
            goto out;
        }
        k.id = id;
        if (mrs_store_split_get(k.st, id, &k.info) != 0) {
            fprintf(stderr, PROG ": --db %s\n", mrs_store_errmsg(k.st));
            goto out;
        }
        if (existed && !strcmp(k.info.status, "complete") && !o->reduce) {
            fprintf(stderr, PROG ": the seal of feed %s on stream %s with this knowledge is split run %" PRId64
                            ", complete: observatory run %" PRId64 " (--reduce --run %" PRId64 " reduces it again)\n",
                    feed, k.c.stream, id, k.info.run, id);
            rc = 2;
            goto out;
        }
        if (existed)
            fprintf(stderr, PROG ": the seal of feed %s on stream %s with this knowledge is split run %" PRId64
                            " (%s, phase %d): resuming it\n", feed, k.c.stream, id, k.info.status, k.info.phase);
        else if (!o->quiet)
            fprintf(stderr, PROG ": split run %" PRId64 ": %" PRIu64 " events of stream %s (feed %s) in %zu "
                            "partitions\n", id, fs.events, k.c.stream, feed, n);
    } else if (!strcmp(k.info.status, "complete") && !o->reduce) {
        fprintf(stderr, PROG ": split run %" PRId64 " is complete: observatory run %" PRId64 "\n", k.id, k.info.run);
        rc = 2;
        goto out;
    } else if (!o->quiet)
        fprintf(stderr, PROG ": resuming split run %" PRId64 " (%s, phase %d)\n", k.id, k.info.status, k.info.phase);
    /* the phases */
    if (k.info.phase == 1 && (run_phase(&k, 1) != 0 || store_facts(&k) != 0))
        goto out;
    if (run_phase(&k, 2) != 0)
        goto out;
    /* the reduce: every part's findings, metrics part and counts, then the run */
    double t0 = wk_now();
    for (;;) {
        if (!db(&k))
            goto out;
        uint8_t *b = NULL;
        size_t n = 0;
        int g = mrs_store_split_facts(k.st, k.id, &b, &n);
        if (g == 0) {
            g = mrs_detect_facts_decode(b, n, &all, err, sizeof err) ? -2 : 0;
            free(b);
        }
        if (g == -2 || g == 1) {
            fprintf(stderr, PROG ": split run %" PRId64 ": merged facts: %s\n", k.id, g == 1 ? "missing" : err);
            goto out;
        }
        if (g == 0) {
            reduce_ctx rc2 = {r};
            mrs_incident_list_clear(&r->b.incidents);
            mrs_metrics_part_clear(&r->part);
            memset(&r->part, 0, sizeof r->part);
            memset(&r->b.detect, 0, sizeof r->b.detect);
            if (mrs_store_split_each_part(k.st, k.id, 2, add_part, &rc2) == 0)
                break;
            if (strstr(mrs_store_errmsg(k.st), "phase 2, part")) {
                fprintf(stderr, PROG ": %s\n", mrs_store_errmsg(k.st));
                goto out;
            }
        }
        mrs_detect_facts_clear(&all);
        db_failed(&k, "read the parts");
    }
    md->errors += x.damaged;   /* the feed's count of what it could not read */
    const char *why = NULL;
    bool store_err = false;
    for (int attempt = 0;; attempt++) {
        if (!db(&k))
            goto out;
        int red = mrs_obs_split_reduce(in, cfg, &x, &all, k.st, kd, md, r, &why, &store_err);
        if (red == 0 && !r->store_failed)
            break;
        if (!store_err && !r->store_failed) {
            fprintf(stderr, PROG ": %s\n", why ? why : "out of memory");
            goto out;
        }
        if (attempt >= 3) {
            fprintf(stderr, PROG ": --db %s: %s\n", mrs_store_name(k.st), why ? why : mrs_store_errmsg(k.st));
            goto out;
        }
        /* the store went away during the reduce: that run is failed or incomplete; again */
        db_failed(&k, "store the run");
        mrs_network_list_clear(&r->nets);
        r->store_failed = false;
        r->failed = sp.knowledge_failed || x.failed;
        r->b.n_warnings = k.warnings;
    }
    for (;;) {
        if (!db(&k))
            goto out;
        if (mrs_store_split_end(k.st, k.id, "complete", NULL, r->run) == 0)
            break;
        db_failed(&k, "end the split run");
    }
    if (!o->quiet)
        fprintf(stderr, PROG ": split run %" PRId64 " reduced in %.1f s: observatory run %" PRId64 "\n", k.id,
                wk_now() - t0, r->run);
    rc = 0;
out:
    mrs_detect_facts_clear(&all);
    free(seal);
    free(spec);
    free(parts);
    free(msgs);
    free(k.sz_parts);
    free(k.sz_msgs);
    mrs_split_info_clear(&k.info);
    wconn_close(&k.c);
    nats_CloseAndWait(5000);
    mrs_store_close(k.st);
    return rc;
}
