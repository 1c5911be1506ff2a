/*
 * conformance.c — one period of the MANRS programme: the observatory run, the
 * participants' disputes taken out of their own verdicts, the verdicts, the
 * enforcement step from the previous stored period, and the store (programme.h).
 */
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/ixp.h"
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

const mrs_incident *prog_incident(const prog_result *r, uint64_t id)
{
    const mrs_incident_list *l = &r->obs.b.incidents;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].id == id)
            return &l->v[i];
    return NULL;
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

/* How many of the RIB's members sit in the participant's peering LANs. */
static size_t members_in_lans(const ixp_result *x, const mrs_participant *p)
{
    size_t n = 0;
    for (size_t i = 0; i < x->n_members; i++) {
        mrs_prefix host;
        memset(&host, 0, sizeof host);
        host.afi = x->members[i].peer.afi;
        host.len = host.afi == MRS_AFI_IPV4 ? 32 : 128;
        memcpy(host.addr, x->members[i].peer.ip, 16);
        for (size_t l = 0; l < p->n_lans; l++)
            if (mrs_prefix_covers(&p->lans[l], &host)) {
                n++;
                break;
            }
    }
    return n;
}

/* An IXP participant's Action 1 from what its route server accepted (MANRS IXP
 * Action 1: the classes `manrs ixp` counts against the verdict). The RIB goes to
 * the IXP participant whose peering LANs hold most of its members. */
static int rs_action1(prog_result *r, const char *file, mrs_diag *md)
{
    ixp_opts io;
    memset(&io, 0, sizeof io);
    io.kb = &r->obs.b.kb;
    ixp_result x;
    if (ixp_init(&x, &io) != 0)
        return -1;
    int rc = 0;
    if (ixp_scan_file(&x, file, md) < 0 || x.oom) {
        rc = x.oom ? -1 : 1;
        goto out;
    }
    size_t best = 0, at = 0;
    for (size_t i = 0; i < r->conf.n; i++) {
        const mrs_participant *p = r->conf.v[i].p;
        size_t n = p->programme == MRS_PROG_IXP ? members_in_lans(&x, p) : 0;
        if (n > best) {
            best = n;
            at = i;
        }
    }
    if (!best) {
        r->rs_unmatched++;
        goto out;
    }
    mrs_participant_verdicts *pv = &r->conf.v[at];
    mrs_action_verdict *a = &pv->asns[0].a[1];
    if (!(pv->asns[0].committed & MRS_ACTION_BIT(1)))
        goto out;
    bool ok = ixp_conformant(&x);
    a->verdict = ok ? MRS_VERDICT_CONFORMANT : MRS_VERDICT_NOT;
    a->min = 100;
    a->score = x.routes ? 100.0 * (double)(x.routes - x.routes_flagged) / (double)x.routes : 100;
    const char *base = strrchr(file, '/');
    size_t o = (size_t)snprintf(a->basis, sizeof a->basis, "route server RIB %s: %llu routes, %zu members",
                                base ? base + 1 : file, (unsigned long long)x.routes, x.n_members);
    for (int c = 0; c < IXP_NCLASS && o < sizeof a->basis; c++)
        if (ixp_class_required((ixp_class)c) && x.found[c])
            o += (size_t)snprintf(a->basis + o, sizeof a->basis - o, "; %s %llu", ixp_class_name((ixp_class)c),
                                  (unsigned long long)x.found[c]);
    mrs_conformance_combine(pv);
out:
    ixp_clear(&x);
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
    for (size_t i = 0; i < o->n_rs_ribs; i++) {
        int q = rs_action1(r, o->rs_ribs[i], md);
        if (q != 0) {
            snprintf(err, errlen, q < 0 ? "out of memory" : "%s: the route server's RIB cannot be read", o->rs_ribs[i]);
            return -1;
        }
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
