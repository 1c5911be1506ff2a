/*
 * run.c — one whole observatory run (observatory.h): load and detect (load.c),
 * compute every network's metrics (metrics.h), and record the run in the store.
 *
 * The store sees a run only once loading is done; from then on the run row exists
 * and ends "complete" (every incident and network inserted) or "failed" with the
 * reason, so that readers never take partial results for a complete run.
 */
#include "manrs/observatory/observatory.h"
#include "obs_internal.h"

#include <stdio.h>
#include <string.h>

static int store_rows(mrs_store *st, const mrs_obs_result *r)
{
    if (r->b.n_warnings) {
        char text[MRS_OBS_MAX_WARNINGS * sizeof r->b.warnings[0] + MRS_OBS_MAX_WARNINGS];
        size_t o = 0;
        for (size_t i = 0; i < r->b.n_warnings; i++)
            o += (size_t)snprintf(text + o, sizeof text - o, "%s%s", i ? "\n" : "", r->b.warnings[i]);
        if (mrs_store_set_warnings(st, r->run, text) != 0)
            return -1;
    }
    for (size_t i = 0; i < r->b.incidents.n; i++)
        if (mrs_store_add_incident(st, r->run, &r->b.incidents.v[i]) != 0)
            return -1;
    for (size_t i = 0; i < r->nets.n; i++)
        if (mrs_store_add_network(st, r->run, &r->nets.v[i]) != 0)
            return -1;
    return 0;
}

/* "Announced" = seen by >= min_peers collector peers. A threshold above the number
 * of full-feed peers leaves most networks without data (RIS rrc05 2002, one
 * full-feed peer: --min-peers 5 kept 13 of 13 463 networks): the default adapts to
 * them; one given explicitly is kept, with a warning. */
static void adapt_min_peers(mrs_obs_result *r, const mrs_obs_cfg *cfg, unsigned *min_peers)
{
    long full = mrs_metrics_part_full_feed_peers(&r->part);
    r->full_feed_peers = full;
    if (full > 0 && *min_peers > (unsigned long)full) {
        if (cfg->min_peers_set)
            mrs_obs_warn(&r->b, "--min-peers %u but only %ld full-feed collector peers: most networks will have no "
                                "Action 1 and 4 data", *min_peers, full);
        else
            *min_peers = (unsigned)full;
    }
    if (full > 0 && full < 3)
        mrs_obs_warn(&r->b, "%ld full-feed collector peer%s: what one network's view shows is all there is", full,
                     full == 1 ? "" : "s");
    r->min_peers = *min_peers;
}

/* The metrics input of a loaded run (min_peers as the run adapted it, once known). */
static void metrics_input(const mrs_obs_result *r, const mrs_obs_cfg *cfg, const mrs_incident_list *incidents,
                          mrs_metrics_input *mi)
{
    memset(mi, 0, sizeof *mi);
    mi->view = r->b.view;
    mi->incidents = incidents;
    mi->asrel = r->b.kb.asrel;
    mi->rpki = r->b.kb.rpki;
    mi->irr = r->b.kb.irr;
    mi->deleg = r->b.kb.deleg;
    mi->pdb = &r->b.pdb;
    mi->spoofer = &r->b.spoofer;
    mi->orgs = r->b.kb.orgs;
    mi->score = cfg->score;
    if (r->min_peers)
        mi->score.min_peers = r->min_peers;
    mi->from = r->b.from;
    mi->to = r->b.to;
}

int mrs_obs_metrics(const mrs_obs_result *r, const mrs_obs_cfg *cfg, const mrs_incident_list *incidents,
                    mrs_network_list *out)
{
    mrs_metrics_input mi;
    metrics_input(r, cfg, incidents, &mi);
    return mrs_metrics_finish(&mi, &r->part, out);
}

int obs_finish_run(const mrs_obs_inputs *in, const mrs_obs_cfg *cfg, mrs_store *st, mrs_diag *kd, mrs_diag *md,
                   mrs_obs_result *r, const char **why, bool *store_err)
{
    if (st) {
        char inputs[MRS_OBS_DESCRIBE_MAX];
        mrs_obs_inputs_describe(in, inputs, sizeof inputs);
        if ((r->run = mrs_store_begin_run(st, r->b.from, r->b.to, inputs)) < 0) {
            *why = mrs_store_errmsg(st);
            *store_err = true;
            return -1;
        }
    }
    mrs_metrics_input mi;
    metrics_input(r, cfg, &r->b.incidents, &mi);
    adapt_min_peers(r, cfg, &mi.score.min_peers);
    if (mrs_metrics_finish(&mi, &r->part, &r->nets) != 0) {
        *why = "out of memory";
        if (st)
            mrs_store_end_run(st, r->run, "failed", *why);
        return -1;
    }
    r->strict_failed = cfg->strict && (md->errors || kd->errors || r->b.damaged);
    if (!st)
        return 0;
    if (r->strict_failed) {
        mrs_store_end_run(st, r->run, "failed", "--strict: decode errors");
        return 0;
    }
    if (store_rows(st, r) != 0) {
        mrs_store_end_run(st, r->run, "failed", mrs_store_errmsg(st));
        r->failed = r->store_failed = true;
    } else if (mrs_store_end_run(st, r->run, "complete", NULL) != 0) {
        /* end_run "complete" refuses (and records "failed") if an insert failed */
        r->failed = r->store_failed = true;
    }
    return 0;
}

int mrs_obs_run(const mrs_obs_inputs *in, const mrs_obs_cfg *cfg, mrs_store *st, mrs_diag *kd, mrs_diag *md,
                mrs_obs_result *r, const char **why, bool *store_err)
{
    *store_err = false;
    r->run = -1;
    if (mrs_obs_load(in, kd, md, &r->b, &r->failed, why) != 0)
        return -1;
    mrs_metrics_input mi;
    metrics_input(r, cfg, &r->b.incidents, &mi);
    if (mrs_metrics_part_of(&mi, &r->part) != 0) {
        *why = "out of memory";
        return -1;
    }
    return obs_finish_run(in, cfg, st, kd, md, r, why, store_err);
}

void mrs_obs_result_clear(mrs_obs_result *r)
{
    mrs_network_list_clear(&r->nets);
    mrs_metrics_part_clear(&r->part);
    mrs_obs_bundle_clear(&r->b);
    r->run = -1;
}
