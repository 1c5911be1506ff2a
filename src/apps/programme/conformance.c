/*
 * conformance.c — one period of the MANRS programme: the observatory run, the
 * participants' disputes taken out of their own verdicts, the verdicts, the
 * enforcement step from the previous stored period, and the store (programme.h).
 */
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/programme.h"

void prog_result_clear(prog_result *r)
{
    mrs_conformance_clear(&r->conf);
    if (r->nets_of)
        for (size_t i = 0; i < r->reg.n; i++)
            mrs_network_list_clear(&r->nets_of[i]);
    free(r->nets_of);
    free(r->nets_ptr);
    free(r->prev);
    free(r->enf);
    free(r->prev_period);
    mrs_obs_result_clear(&r->obs);
    mrs_dispute_list_clear(&r->disputes);
    mrs_registry_clear(&r->reg);
    memset(r, 0, sizeof *r);
    r->run = -1;
}

/* A participant's metrics without the incidents it disputes (open or upheld): the
 * run's incident list minus those, recomputed by the same code as the run. */
static int without_disputed(prog_result *r, const prog_opts *o, size_t pi)
{
    const mrs_participant *p = &r->reg.v[pi];
    const mrs_incident_list *all = &r->obs.b.incidents;
    size_t hit = 0;
    for (size_t i = 0; i < all->n; i++)
        hit += mrs_incident_disputed(&r->disputes, p->id, &all->v[i]);
    if (!hit)
        return 0;
    mrs_incident_list keep = {0};
    if (!(keep.v = malloc((all->n ? all->n : 1) * sizeof *keep.v)))
        return -1;
    for (size_t i = 0; i < all->n; i++)
        if (!mrs_incident_disputed(&r->disputes, p->id, &all->v[i]))
            keep.v[keep.n++] = all->v[i];   /* shallow: the run owns the members */
    keep.cap = keep.n;
    int rc = mrs_obs_metrics(&r->obs, &o->cfg, &keep, &r->nets_of[pi]);
    free(keep.v);
    if (rc == 0)
        r->nets_ptr[pi] = &r->nets_of[pi];
    return rc;
}

int prog_conformance(const char *registry, const mrs_obs_inputs *in, const prog_opts *o, mrs_store *st, mrs_diag *kd,
                     mrs_diag *md, prog_result *r, char *err, size_t errlen)
{
    r->run = -1;
    r->ruleset = mrs_ruleset_name(mrs_ruleset_current());
    if (o->period && !mrs_period_parse(o->period, NULL, NULL)) {
        snprintf(err, errlen, "--period %s: not a month YYYY-MM", o->period);
        return -1;
    }
    if (mrs_registry_load(registry, &r->reg, kd) != 0) {
        snprintf(err, errlen, "%s: the participants registry cannot be used (see above)", registry);
        return -1;
    }
    if (!r->reg.n) {
        snprintf(err, errlen, "%s: no usable participant", registry);
        return -1;
    }
    if (o->disputes && mrs_disputes_load(o->disputes, &r->disputes, kd) != 0) {
        snprintf(err, errlen, "%s: the disputes file cannot be used (see above)", o->disputes);
        return -1;
    }
    for (size_t i = 0; i < r->disputes.n; i++)
        if (!mrs_registry_find(&r->reg, r->disputes.v[i].participant))
            mrs_diag_warn_line(kd, o->disputes, r->disputes.v[i].line, "participant %s is not in %s: dispute ignored",
                               r->disputes.v[i].participant, registry);
    const char *why = NULL;
    bool store_err = false;
    if (mrs_obs_run(in, &o->cfg, st, kd, md, &r->obs, &why, &store_err) != 0) {
        snprintf(err, errlen, "%s", why ? why : "cannot load the inputs");
        return -1;
    }
    if (r->obs.store_failed) {
        snprintf(err, errlen, "%s", st ? mrs_store_errmsg(st) : "store failed");
        return -1;
    }
    r->run = r->obs.run;
    char data_period[8];
    mrs_period_of(r->obs.b.from, data_period);
    snprintf(r->period, sizeof r->period, "%s", o->period ? o->period : data_period);
    r->period_mismatch = strcmp(r->period, data_period) != 0;
    if (r->period_mismatch) {
        snprintf(err, errlen, "--period %s: the routing data starts in %s; a period's verdicts rest on that period's data",
                 r->period, data_period);
        return -1;
    }
    size_t n = r->reg.n;
    r->nets_of = calloc(n, sizeof *r->nets_of);
    r->nets_ptr = calloc(n, sizeof *r->nets_ptr);
    r->prev = calloc(n, sizeof *r->prev);
    r->enf = calloc(n, sizeof *r->enf);
    r->prev_period = calloc(n, sizeof *r->prev_period);
    if (!r->nets_of || !r->nets_ptr || !r->prev || !r->enf || !r->prev_period) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (without_disputed(r, o, i) != 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    mrs_conformance_input ci = {
        .reg = &r->reg,
        .nets = &r->obs.nets,
        .nets_of = r->nets_ptr,
        .incidents = &r->obs.b.incidents,
        .disputes = &r->disputes,
        .asrel = r->obs.b.kb.asrel,
        .score = o->cfg.score,
        .no_irr = r->obs.b.kb.irr == NULL,
    };
    if (mrs_conformance_compute(&ci, &r->conf) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (st) {
            int q = mrs_store_enforcement_before(st, r->reg.v[i].id, r->period, &r->prev[i], r->prev_period[i]);
            if (q < 0) {
                snprintf(err, errlen, "%s", mrs_store_errmsg(st));
                return -1;
            }
        }
        r->enf[i] = mrs_enforce_step(r->prev[i], r->conf.v[i].outcome, &r->reg.tiers[r->reg.v[i].tier]);
    }
    if (st) {
        if (mrs_store_put_conformance(st, r->period, r->run, &r->conf, r->enf, r->ruleset) != 0) {
            snprintf(err, errlen, "%s", mrs_store_errmsg(st));
            return -1;
        }
        r->stored = true;
    }
    return 0;
}
