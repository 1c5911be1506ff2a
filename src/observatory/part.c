/*
 * part.c — one observatory run split by prefix (observatory.h "a run split by
 * prefix", docs/scale.md): the same steps as load.c and run.c, part by part, with
 * what crosses parts handed over explicitly: the extent of the routing data, the
 * detection facts and the metrics parts. `manrs worker` runs the part steps on
 * NATS partitions; mrs_obs_run_split runs them all in one process, which is how the
 * tests prove the split gives mrs_obs_run's answer.
 */
#include "manrs/observatory/observatory.h"
#include "obs_internal.h"

#include <stdlib.h>
#include <string.h>

#include "manrs/feeds/route_event_codec.h"

int mrs_obs_split_open(const mrs_obs_inputs *in, const mrs_obs_extent *x, mrs_diag *kd, mrs_obs_bundle *b,
                       bool *failed, const char **why)
{
    if (obs_load_knowledge(in, x->data_time, x->dated, kd, b, failed, why) != 0)
        return -1;
    b->events = x->events;
    b->first_t = x->first_time;
    b->last_t = x->last_time;
    b->from = in->from ? in->from : x->first_time;
    b->to = in->to ? in->to : x->last_time;
    b->baseline_ribs = x->baseline_ribs;
    b->baseline_end = x->baseline_ribs ? x->baseline_end : 0;
    b->snapshot = x->snapshot;
    b->damaged = x->damaged;
    b->cut = x->cut;
    if (x->failed)
        *failed = true;
    /* the flags as if there were routes: where a part has none, they change nothing;
     * the reduce drops the warnings when the whole has none */
    if (obs_check_periods(in, b, true) != 0) {
        *why = "--strict-period: an input is more than six months away from the routing data";
        return -1;
    }
    b->has_baseline = b->baseline_ribs > 0 || b->from > b->first_t;
    return 0;
}

/* A part's view closed at the window's end, and detection set up as observe does. */
static int part_setup(const mrs_obs_inputs *in, const mrs_obs_bundle *b, mrs_view *v, mrs_detect_kb *kb,
                      mrs_detect_cfg *dc)
{
    mrs_view_close_all(v, b->to);
    if (mrs_view_oom(v))
        return -1;
    obs_detect_setup(in, b, b->first_t, kb, dc);
    return 0;
}

int mrs_obs_part_facts(const mrs_obs_inputs *in, mrs_obs_bundle *b, mrs_view *v, mrs_detect_facts *out)
{
    memset(out, 0, sizeof *out);
    mrs_detect_kb kb;
    mrs_detect_cfg dc;
    if (part_setup(in, b, v, &kb, &dc) != 0)
        return -1;
    return mrs_detect_facts_of(v, &kb, &dc, out);
}

int mrs_obs_part_detect(const mrs_obs_inputs *in, mrs_obs_bundle *b, mrs_view *v, const mrs_detect_facts *all,
                        mrs_incident_list *inc, mrs_metrics_part *mp, mrs_detect_stats *st)
{
    memset(mp, 0, sizeof *mp);
    mrs_detect_kb kb;
    mrs_detect_cfg dc;
    if (part_setup(in, b, v, &kb, &dc) != 0)
        return -1;
    dc.facts = all;
    mrs_incident_list mine = {0};
    mrs_detect_stats ds;
    if (mrs_detect(v, &kb, &dc, &mine, &ds) != 0) {
        mrs_incident_list_clear(&mine);
        return -1;
    }
    /* the incidents move over (their arrays with them) */
    if (mine.n) {
        if (inc->n + mine.n > inc->cap) {
            size_t cap = inc->cap ? inc->cap : 64;
            while (cap < inc->n + mine.n)
                cap *= 2;
            mrs_incident *t = realloc(inc->v, cap * sizeof *t);
            if (!t) {
                mrs_incident_list_clear(&mine);
                return -1;
            }
            inc->v = t;
            inc->cap = cap;
        }
        memcpy(inc->v + inc->n, mine.v, mine.n * sizeof *mine.v);
        inc->n += mine.n;
    }
    free(mine.v);
    if (st) {
        st->routes += ds.routes;
        st->events += ds.events;
        st->zero_duration += ds.zero_duration;
        for (unsigned c = 0; c < MRS_INC_NCLASSES; c++) {
            st->per_class[c] += ds.per_class[c];
            st->high[c] += ds.high[c];
        }
        st->short_routes += ds.short_routes;
        st->beacon_routes += ds.beacon_routes;
        st->ixp_lan_routes += ds.ixp_lan_routes;
        st->blackhole_routes += ds.blackhole_routes;
    }
    mrs_metrics_input mi;
    memset(&mi, 0, sizeof mi);
    mi.view = v;
    mi.rpki = b->kb.rpki;
    mi.irr = b->kb.irr;
    mi.from = b->from;
    mi.to = b->to;
    return mrs_metrics_part_of(&mi, mp);
}

int mrs_obs_split_reduce(const mrs_obs_inputs *in, const mrs_obs_cfg *cfg, const mrs_obs_extent *x,
                         const mrs_detect_facts *all, mrs_store *st, mrs_diag *kd, mrs_diag *md, mrs_obs_result *r,
                         const char **why, bool *store_err)
{
    (void)x;
    *store_err = false;
    r->run = -1;
    if (!all->routes) {   /* as mrs_obs_load: no routes, no words about periods */
        r->b.n_warnings = 0;
        r->b.asrel_off_period = r->b.rpki_off_period = false;
    }
    r->b.routes = all->routes;
    r->b.prefixes = r->part.prefixes[0] + r->part.prefixes[1];
    r->b.peers = r->part.n_peers;
    r->b.detect.default_peers = all->n_default_peers;   /* distinct over the parts */
    mrs_incident_list_canonical(&r->b.incidents);
    return obs_finish_run(in, cfg, st, kd, md, r, why, store_err);
}

/* ---- all parts in one process */

typedef struct split_sink {
    mrs_view **views;       /* by partition number */
    uint64_t *file_gen;     /* per view: the file generation its file id is of */
    uint32_t *file_id;
    uint32_t *used;         /* partition numbers with a view, in creation order */
    size_t n_used;
    uint64_t gen;           /* bumped when the file changes */
    const char *file;
    uint64_t unknown;       /* events of no partition (unknown family) */
    bool oom;
} split_sink;

static void split_event(const mrs_route_event *ev, const char *file, void *ctx)
{
    split_sink *s = ctx;
    if (file != s->file) {
        s->file = file;
        s->gen++;
    }
    long part = mrs_rev_partition(ev);
    if (part < 0) {
        s->unknown++;
        return;
    }
    if (part == MRS_REV_PARTITIONS - 1) {   /* a peer state change: every part's */
        for (size_t i = 0; i < s->n_used; i++)
            mrs_view_add_event(s->views[s->used[i]], ev, 0);
        return;
    }
    mrs_view *v = s->views[part];
    if (!v) {
        if (!(v = s->views[part] = mrs_view_new())) {
            s->oom = true;
            return;
        }
        s->used[s->n_used++] = (uint32_t)part;
    }
    if (s->file_gen[part] != s->gen) {
        s->file_gen[part] = s->gen;
        s->file_id[part] = mrs_view_add_file(v, file);
    }
    mrs_view_add_event(v, ev, s->file_id[part]);
}

int mrs_obs_run_split(const mrs_obs_inputs *in, const mrs_obs_cfg *cfg, mrs_store *st, mrs_diag *kd, mrs_diag *md,
                      mrs_obs_result *r, const char **why, bool *store_err)
{
    *store_err = false;
    r->run = -1;
    *why = "out of memory";
    int rc = -1;
    split_sink s = {0};
    mrs_detect_facts all = {0}, one;
    s.views = calloc(MRS_REV_PARTITIONS, sizeof *s.views);
    s.file_gen = calloc(MRS_REV_PARTITIONS, sizeof *s.file_gen);
    s.file_id = calloc(MRS_REV_PARTITIONS, sizeof *s.file_id);
    s.used = calloc(MRS_REV_PARTITIONS, sizeof *s.used);
    if (!s.views || !s.file_gen || !s.file_id || !s.used)
        goto done;
    /* 1. read once, each event into its part's view: what the feed does */
    mrs_obs_bundle scan = {0};
    scan.sink = split_event;
    scan.sink_ctx = &s;
    bool scan_failed = false;
    if (obs_scan_mrt(in, md, &scan, &scan_failed) != 0 || s.oom)
        goto done;
    for (size_t i = 0; i < s.n_used; i++)
        if (mrs_view_oom(s.views[s.used[i]]))
            goto done;
    mrs_obs_extent x = {scan.events, scan.first_t, scan.last_t, scan.baseline_end, scan.baseline_ribs,
                        scan.snapshot, 0, false, scan.damaged, scan.cut, scan_failed};
    x.dated = mrs_obs_data_time(in, &x.data_time);
    /* 2. the knowledge, then the facts of every part, added up */
    if (mrs_obs_split_open(in, &x, kd, &r->b, &r->failed, why) != 0)
        goto done;
    *why = "out of memory";
    for (size_t i = 0; i < s.n_used; i++) {
        if (mrs_obs_part_facts(in, &r->b, s.views[s.used[i]], &one) != 0)
            goto done;
        int m = mrs_detect_facts_merge(&all, &one);
        mrs_detect_facts_clear(&one);
        if (m != 0)
            goto done;
    }
    /* 3. every part's findings and metrics part, given the whole's facts */
    for (size_t i = 0; i < s.n_used; i++) {
        mrs_metrics_part mp;
        if (mrs_obs_part_detect(in, &r->b, s.views[s.used[i]], &all, &r->b.incidents, &mp, &r->b.detect) != 0)
            goto done;
        int m = mrs_metrics_part_merge(&r->part, &mp);
        mrs_metrics_part_clear(&mp);
        if (m != 0)
            goto done;
        mrs_view_free(s.views[s.used[i]]);
        s.views[s.used[i]] = NULL;
    }
    /* 4. the run */
    rc = mrs_obs_split_reduce(in, cfg, &x, &all, st, kd, md, r, why, store_err);
done:
    for (size_t i = 0; s.views && i < s.n_used; i++)
        mrs_view_free(s.views[s.used[i]]);
    free(s.views);
    free(s.file_gen);
    free(s.file_id);
    free(s.used);
    mrs_detect_facts_clear(&all);
    return rc;
}
