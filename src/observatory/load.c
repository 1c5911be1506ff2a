/*
 * load.c — the observatory pipeline up to detection (observatory.h), shared by
 * observe (mrs_obs_run) and check. Assumes the caller zeroed the bundle.
 */
#include "manrs/observatory/observatory.h"
#include "obs_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manrs/core/date.h"
#include "manrs/feeds/mrt_feed.h"
#include "manrs/feeds/ris_live.h"

struct scan_ctx {
    mrs_obs_bundle *b;
    uint32_t file;
    const char *path;
};

static void on_event(const mrs_route_event *ev, void *user)
{
    struct scan_ctx *c = user;
    mrs_obs_bundle *b = c->b;
    if (!b->events++ || ev->time < b->first_t)
        b->first_t = ev->time;
    if (ev->time > b->last_t)
        b->last_t = ev->time;
    if (b->sink)
        b->sink(ev, c->path, b->sink_ctx);
    else
        mrs_view_add_event(b->view, ev, c->file);
}

typedef struct order_item {
    mrs_obs_mrt_input in;
    size_t given;   /* position among the inputs: breaks ties */
} order_item;

/* Order: by first-record time, RIBs before updates at the same time; a file whose
 * time could not be read (stdin) keeps its place after those whose time is known;
 * input order breaks ties (RIBs, then updates, then RIS Live, each as given). */
static int cmp_input(const void *a_, const void *b_)
{
    const order_item *a = a_, *b = b_;
    if (a->in.known != b->in.known)
        return a->in.known ? -1 : 1;
    if (a->in.known && a->in.t != b->in.t)
        return a->in.t < b->in.t ? -1 : 1;
    if (a->in.rib != b->in.rib)
        return a->in.rib ? -1 : 1;
    return a->given < b->given ? -1 : a->given > b->given;
}

/* The MRT files in time order, whatever the order given (a day of updates is ~100
 * files a shell glob may sort in any way). RIBs dumped no later than the first
 * update are the baseline and come first; a RIB dumped later (RIS rrc05's
 * bview.20020722.2337 after updates.20020722.2238) is a snapshot within the window,
 * read in its place in time like an update of every route it holds. */
int mrs_obs_mrt_order(const mrs_obs_inputs *f, mrs_obs_mrt_input **out, size_t *n_out)
{
    size_t n = f->n[MRS_IN_RIB] + f->n[MRS_IN_UPDATES] + f->n[MRS_IN_RIS_LIVE], k = 0;
    *out = NULL;
    *n_out = 0;
    order_item *in = malloc((n ? n : 1) * sizeof *in);
    mrs_obs_mrt_input *res = malloc((n ? n : 1) * sizeof *res);
    if (!in || !res) {
        free(in);
        free(res);
        return -1;
    }
    uint32_t first_update = UINT32_MAX;
    for (int rib = 1; rib >= 0; rib--) {
        mrs_obs_input kind = rib ? MRS_IN_RIB : MRS_IN_UPDATES;
        for (size_t i = 0; i < f->n[kind]; i++, k++) {
            in[k] = (order_item){{f->files[kind][i], 0, false, rib, false, false}, k};
            in[k].in.known = mrs_mrt_file_first_time(in[k].in.path, &in[k].in.t);
            if (!rib && in[k].in.known && in[k].in.t < first_update)
                first_update = in[k].in.t;
        }
    }
    for (size_t i = 0; i < f->n[MRS_IN_RIS_LIVE]; i++, k++) {
        in[k] = (order_item){{f->files[MRS_IN_RIS_LIVE][i], 0, false, false, true, false}, k};
        in[k].in.known = mrs_ris_live_first_time(in[k].in.path, &in[k].in.t);
        if (in[k].in.known && in[k].in.t < first_update)
            first_update = in[k].in.t;
    }
    qsort(in, n, sizeof *in, cmp_input);
    /* the baseline RIBs, no later than the first update, then the rest */
    for (size_t i = 0; i < n; i++)
        in[i].in.baseline = in[i].in.rib && (!in[i].in.known || in[i].in.t <= first_update);
    k = 0;
    for (int pass = 1; pass >= 0; pass--)
        for (size_t i = 0; i < n; i++)
            if (in[i].in.baseline == (pass == 1))
                res[k++] = in[i].in;
    free(in);
    *out = res;
    *n_out = n;
    return 0;
}

bool mrs_obs_mrt_scan(const mrs_obs_mrt_input *in, struct mrt_decoder *dec, mrs_diag *md, bool progress,
                      mrs_route_event_fn fn, void *user, uint64_t *damaged, uint64_t *cut)
{
    if (in->ris_live) {
        mrs_ris_live_stats st;
        memset(&st, 0, sizeof st);
        bool ok = mrs_ris_live_feed(in->path, dec, md, fn, user, &st);
        *damaged += st.malformed;
        return ok && st.lines > 0;
    }
    mrt_scan_result res;
    memset(&res, 0, sizeof res);
    mrt_decoder_begin_file(dec, in->path);
    bool ok = mrs_mrt_feed_file(in->path, dec, md, progress, fn, user, &res);
    *damaged += res.damaged + res.resyncs + res.truncated;
    *cut += res.cut;
    return ok && res.records > 0; /* "FILE: no records" (mrt_scan_file): an input that cannot be used */
}

/* Read the MRT inputs in mrs_obs_mrt_order's order; the view's last time after the
 * baseline RIBs is the baseline's end. */
static int scan_mrt(const mrs_obs_inputs *f, mrs_diag *md, mrt_decoder *dec, mrs_obs_bundle *b, bool *failed)
{
    mrs_obs_mrt_input *in;
    size_t n;
    if (mrs_obs_mrt_order(f, &in, &n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!in[i].baseline && i > 0 && in[i - 1].baseline)
            b->baseline_end = b->last_t;   /* mrs_view_last_time */
        b->baseline_ribs += in[i].baseline;
        struct scan_ctx c = {b, b->sink ? 0 : mrs_view_add_file(b->view, in[i].path), in[i].path};
        if (!mrs_obs_mrt_scan(&in[i], dec, md, f->progress, on_event, &c, &b->damaged, &b->cut))
            *failed = true;
    }
    if (n && in[n - 1].baseline)
        b->baseline_end = b->last_t;   /* mrs_view_last_time */
    b->snapshot = f->n[MRS_IN_UPDATES] + f->n[MRS_IN_RIS_LIVE] == 0 && f->n[MRS_IN_RIB] > 0;
    free(in);
    return 0;
}

int obs_scan_mrt(const mrs_obs_inputs *f, mrs_diag *md, mrs_obs_bundle *b, bool *failed)
{
    mrt_decoder *dec = mrt_decoder_new(md);
    int rc = dec ? scan_mrt(f, md, dec, b, failed) : -1;
    mrt_decoder_free(dec);
    return rc;
}

static bool same_org(const void *orgs, uint32_t a, uint32_t b) { return mrs_as2org_siblings(orgs, a, b); }

void mrs_obs_warn(mrs_obs_bundle *b, const char *fmt, ...)
{
    if (b->n_warnings == MRS_OBS_MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->warnings[b->n_warnings++], sizeof b->warnings[0], fmt, ap);
    va_end(ap);
}

static void ymd(int64_t t, char out[11])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Days between the window [from, to] and the period [a, b]; 0 when they overlap. */
static int64_t days_apart(uint32_t from, uint32_t to, int64_t a, int64_t b)
{
    int64_t gap = a > (int64_t)to ? a - (int64_t)to : (int64_t)from > b ? (int64_t)from - b : 0;
    return gap / 86400;
}

/* Knowledge of another period than the routing data (issue 11: RouteViews 2008
 * observed with the only as-rel at hand, 2016's): said on stderr, in the JSON and
 * the report; as-rel far off makes the findings that rest on it alone low
 * confidence. Returns -1 under --strict-period. */
int obs_check_periods(const mrs_obs_inputs *f, mrs_obs_bundle *b, bool any_routes)
{
    if (!any_routes)
        return 0;
    char s1[11], s2[11], w[11];
    ymd(b->from, w);
    bool off = false;
    int64_t a, z;
    if (b->kb.asrel && mrs_asrel_period(b->kb.asrel, &a, &z) &&
        days_apart(b->from, b->to, a, z) > MRS_OBS_PERIOD_DAYS) {
        ymd(a, s1);
        ymd(z, s2);
        b->asrel_off_period = off = true;
        mrs_obs_warn(b, "--asrel %s: relationships inferred %s..%s, %" PRId64 " days from the routing data (%s): route "
                "leaks, hijacks and forged paths that rest on them are low confidence",
             f->files[MRS_IN_ASREL][0], s1, s2, days_apart(b->from, b->to, a, z), w);
    }
    if (b->kb.rpki && mrs_rpki_period(b->kb.rpki, &a, &z) && days_apart(b->from, b->to, a ? a : z, z ? z : a) >
                                                                   MRS_OBS_PERIOD_DAYS) {
        ymd(a ? a : z, s1);
        ymd(z ? z : a, s2);
        size_t undated = 0, n = mrs_rpki_vrp_count(b->kb.rpki);
        for (size_t i = 0; i < n; i++) {
            int64_t nb, na;
            undated += !mrs_rpki_vrp_validity(b->kb.rpki, i, &nb, &na);
        }
        b->rpki_off_period = undated > 0;
        off = true;
        mrs_obs_warn(b, "--vrps: exported %s..%s, %" PRId64 " days from the routing data (%s): %zu VRPs not valid "
                        "then left out%s", s1, s2, days_apart(b->from, b->to, a ? a : z, z ? z : a), w,
                     b->vrps_not_valid,
                     undated ? "; the rest carry no validity dates, so RPKI verdicts are low confidence" : "");
    }
    uint32_t d = b->kb.orgs ? mrs_as2org_date(b->kb.orgs) : 0;
    if (d && mrs_date_ymd_u32(d, &a) && days_apart(b->from, b->to, a, a) > MRS_OBS_PERIOD_DAYS &&
        f->n[MRS_IN_AS2ORG]) {
        ymd(a, s1);
        off = true;
        mrs_obs_warn(b, "--as2org %s: organisations of %s, %" PRId64 " days from the routing data (%s): siblings may "
                "differ", f->files[MRS_IN_AS2ORG][0], s1, days_apart(b->from, b->to, a, a), w);
    }
    /* an IRR dump is as new as its newest object (last-modified:, changed:): route
     * objects and contacts of a dump years away say little about who was
     * authorised then (RIS 2016 observed with RIPE-NONAUTH objects of 2023) */
    for (size_t i = 0; b->kb.irr && i < irr_db_file_count(b->kb.irr); i++) {
        uint32_t days = irr_db_file_newest(b->kb.irr, i);
        a = (int64_t)days * 86400;
        if (days && days_apart(b->from, b->to, a, a) > MRS_OBS_PERIOD_DAYS) {
            ymd(a, s1);
            off = true;
            mrs_obs_warn(b, "--irr %s: newest object changed %s, %" PRId64 " days from the routing data (%s): route "
                         "objects and contacts may differ", irr_db_file_name(b->kb.irr, i), s1,
                         days_apart(b->from, b->to, a, a), w);
        }
    }
    for (size_t i = 0; b->kb.deleg && i < mrs_deleg_file_count(b->kb.deleg); i++) {
        const mrs_deleg_file_info *fi = mrs_deleg_file_at(b->kb.deleg, i);
        if (fi->date && mrs_date_ymd_u32(fi->date, &a) && days_apart(b->from, b->to, a, a) > MRS_OBS_PERIOD_DAYS) {
            ymd(a, s1);
            off = true;
            mrs_obs_warn(b, "--delegated %s: delegations as of %s, %" PRId64 " days from the routing data (%s): "
                         "allocations and countries may differ", fi->name, s1, days_apart(b->from, b->to, a, a), w);
        }
    }
    if (b->pdb.generated) {
        a = b->pdb.generated;
        if (days_apart(b->from, b->to, a, a) > MRS_OBS_PERIOD_DAYS && f->n[MRS_IN_PEERINGDB]) {
            ymd(a, s1);
            off = true;
            mrs_obs_warn(b, "--peeringdb %s: a dump of %s, %" PRId64 " days from the routing data (%s): contacts, "
                         "organisations and IXP prefixes may differ", f->files[MRS_IN_PEERINGDB][0], s1,
                         days_apart(b->from, b->to, a, a), w);
        }
    }
    return off && f->strict_period ? -1 : 0;
}

/* The routing data's time before it is read: --from, else the earliest first
 * record of the MRT files. */
bool mrs_obs_data_time(const mrs_obs_inputs *f, uint32_t *t)
{
    if (f->from) {
        *t = f->from;
        return true;
    }
    bool any = false;
    static const mrs_obs_input routing[] = {MRS_IN_RIB, MRS_IN_UPDATES, MRS_IN_RIS_LIVE};
    for (size_t j = 0; j < sizeof routing / sizeof routing[0]; j++)
        for (size_t i = 0, k = routing[j]; i < f->n[k]; i++) {
            uint32_t x;
            bool known = k == MRS_IN_RIS_LIVE ? mrs_ris_live_first_time(f->files[k][i], &x)
                                              : mrs_mrt_file_first_time(f->files[k][i], &x);
            if (known && (!any || x < *t)) {
                *t = x;
                any = true;
            }
        }
    return any;
}

static bool ixp_lan(const void *ctx, const mrs_prefix *p)
{
    return mrs_peeringdb_ixp_lan(ctx, p);
}

int obs_load_knowledge(const mrs_obs_inputs *f, uint32_t t0, bool dated, mrs_diag *kd, mrs_obs_bundle *b,
                       bool *failed, const char **why)
{
    *why = "out of memory";
    mrs_kbs_init(&b->kb);
    /* the special-purpose registries as they stood when the routing data was
     * recorded (192.88.99.0/24 was the 6to4 relays' anycast until 2015) */
    if (dated && !(b->kb.bogons = mrs_bogon_set_new_at(MRS_BOGON_WITH_BUILTIN, t0)))
        return -1;
    if (mrs_kbs_require(&b->kb, MRS_KBS_BOGONS) != 0)
        return -1;
    /* knowledge files in this order (their messages too): a file that cannot be
     * used is reported and counted, the rest still loads */
    static const struct {
        mrs_obs_input in;
        mrs_kb_kind kind;
    } kbin[] = {{MRS_IN_VRPS, MRS_KB_VRPS},           {MRS_IN_IRR, MRS_KB_IRR},       {MRS_IN_ASREL, MRS_KB_ASREL},
                {MRS_IN_DELEGATED, MRS_KB_DELEGATED}, {MRS_IN_AS2ORG, MRS_KB_AS2ORG},
                {MRS_IN_BEACONS, MRS_KB_BEACONS},     {MRS_IN_RTR, MRS_KB_RTR}};
    for (size_t k = 0; k < sizeof kbin / sizeof kbin[0]; k++)
        for (size_t i = 0; i < f->n[kbin[k].in]; i++)
            if (mrs_kbs_load(&b->kb, kbin[k].kind, f->files[kbin[k].in][i], kd, NULL) != 0)
                *failed = true;
    if (b->kb.rpki && dated) {
        /* RFC 6811 validation as of the routing data: ROAs made later (or expired
         * before) must not judge it (real case: an AFRINIC export of ~2022 made
         * AS133229's 154.16.195.0/24 "RPKI invalid" in 2016 with ROAs of 2020-21) */
        size_t dropped = 0;
        mrs_rpki_valid_at(b->kb.rpki, t0, &dropped);
        b->vrps_not_valid = dropped;
    }
    switch (mrs_kbs_finish(&b->kb, NULL)) {
    case MRS_KBS_OK: break;
    case MRS_KBS_VRP_INDEX: *why = "cannot build the VRP index"; return -1;
    case MRS_KBS_IRR_FINALIZE: *why = "cannot finalize the IRR database"; return -1;
    default: return -1;
    }
    for (size_t i = 0; i < f->n[MRS_IN_PEERINGDB]; i++)
        if (mrs_peeringdb_load_file(&b->pdb, f->files[MRS_IN_PEERINGDB][i], kd) != 0)
            *failed = true;
    mrs_peeringdb_finish(&b->pdb);
    /* PeeringDB's organisations join CAIDA's: two ASes are siblings if either says so */
    if (b->pdb.n) {
        if (!b->kb.orgs && !(b->kb.orgs = mrs_as2org_new()))
            return -1;
        if (mrs_peeringdb_add_orgs(&b->pdb, b->kb.orgs) != 0)
            return -1;
    }
    for (size_t i = 0; i < f->n[MRS_IN_SPOOFER]; i++)
        if (mrs_spoofer_load_file(&b->spoofer, f->files[MRS_IN_SPOOFER][i], kd) != 0)
            *failed = true;
    *why = NULL;
    return 0;
}

void obs_detect_setup(const mrs_obs_inputs *f, const mrs_obs_bundle *b, uint32_t first_time, mrs_detect_kb *kb,
                      mrs_detect_cfg *dc)
{
    *kb = (mrs_detect_kb){b->kb.asrel, b->kb.rpki, b->kb.irr, b->kb.bogons, b->kb.deleg,
                          b->kb.orgs ? same_org : NULL, b->kb.orgs, b->pdb.n_ixp ? ixp_lan : NULL, &b->pdb,
                          b->kb.beacons};
    mrs_detect_cfg_default(dc);
    dc->from = b->from;
    dc->to = b->to;
    dc->baseline_end = b->baseline_end;
    /* a RIB before the updates, or updates before the window (--from): routes
     * before the window to tell a change from a standing path. A RIB alone is one
     * moment (snapshot): what it holds is judged as it stands. */
    dc->has_baseline = b->baseline_ribs > 0 || b->from > first_time;
    dc->snapshot = b->snapshot;
    dc->asrel_off_period = b->asrel_off_period;
    dc->rpki_off_period = b->rpki_off_period;
    dc->asrel_ipv6 = f->asrel_ipv6;
}

int mrs_obs_load(const mrs_obs_inputs *f, mrs_diag *kd, mrs_diag *md, mrs_obs_bundle *b, bool *failed,
                 const char **why)
{
    uint32_t t0 = 0;
    bool dated = mrs_obs_data_time(f, &t0);
    if (obs_load_knowledge(f, t0, dated, kd, b, failed, why) != 0)
        return -1;
    *why = "out of memory";
    b->view = mrs_view_new();
    mrt_decoder *dec = mrt_decoder_new(md);
    if (!b->view || !dec)
        goto fail;
    if (scan_mrt(f, md, dec, b, failed) != 0)
        goto fail;
    if (mrs_view_oom(b->view))
        goto fail;   /* "out of memory": the view is incomplete */
    b->from = f->from ? f->from : mrs_view_first_time(b->view);
    b->to = f->to ? f->to : mrs_view_last_time(b->view);
    mrs_view_close_all(b->view, b->to);
    if (mrs_view_oom(b->view))
        goto fail;
    if (obs_check_periods(f, b, mrs_view_route_count(b->view) > 0) != 0) {
        *why = "--strict-period: an input is more than six months away from the routing data";
        goto fail;
    }
    mrs_detect_kb kb;
    mrs_detect_cfg dc;
    obs_detect_setup(f, b, mrs_view_first_time(b->view), &kb, &dc);
    b->has_baseline = dc.has_baseline;
    if (mrs_detect(b->view, &kb, &dc, &b->incidents, &b->detect) != 0)
        goto fail;
    b->routes = mrs_view_route_count(b->view);
    b->prefixes = mrs_view_prefix_count(b->view);
    b->peers = mrs_view_peer_count(b->view);
    mrt_decoder_free(dec);
    *why = NULL;
    return 0;
fail:
    mrt_decoder_free(dec);
    return -1;
}

void mrs_obs_bundle_clear(mrs_obs_bundle *b)
{
    mrs_incident_list_clear(&b->incidents);
    mrs_view_free(b->view);
    mrs_spoofer_clear(&b->spoofer);
    mrs_peeringdb_clear(&b->pdb);
    mrs_kbs_clear(&b->kb);
    memset(b, 0, sizeof *b);
}
