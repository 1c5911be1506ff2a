/*
 * mark.c — the statement of a quality mark (mark.h, docs/programme.md): one
 * participant's conformance for one period from prog_conformance (the same run
 * and rules as `manrs conformance`), with every input's SHA-256; and --rerun,
 * which recomputes it from the same inputs and compares it byte for byte.
 *
 * Scores and minimums are written as decimal strings with four decimals and
 * times as integers: the canonical form has no real numbers, so no two printf
 * implementations can disagree about a mark.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/mark.h"
#include "manrs/apps/programme.h"
#include "manrs/core/date.h"
#include "manrs/core/json_out.h"

static const char *const action_names[7] = {"", "filtering", "anti-spoofing", "coordination", "global validation",
                                            "action 5", "action 6"};

/* ------------------------------------------------------------------ small builders */

typedef struct jb {
    bool oom;
} jb;

static json_t *jstr(jb *b, const char *s)
{
    if (!s)
        return json_null();
    char *t = mrs_utf8_text(s);
    json_t *v = t ? json_string(t) : NULL;
    free(t);
    if (!v)
        b->oom = true;
    return v;
}

static void put(jb *b, json_t *o, const char *k, json_t *v)
{
    if (!v || json_object_set_new(o, k, v) != 0)
        b->oom = true;
}

static void push(jb *b, json_t *a, json_t *v)
{
    if (!v || json_array_append_new(a, v) != 0)
        b->oom = true;
}

static json_t *dec4(double v)
{
    if (v < 0)
        return json_null();
    char s[64];
    snprintf(s, sizeof s, "%.4f", v);
    return json_string(s);
}

static json_t *actions_arr(jb *b, uint8_t bits)
{
    json_t *a = json_array();
    MRS_FOR_EACH_ACTION(k, a ? bits : 0)
        push(b, a, json_integer(k));
    if (!a)
        b->oom = true;
    return a;
}


static json_t *incidents_arr(jb *b, const prog_result *r, const uint64_t *ids, size_t n)
{
    json_t *a = json_array();
    if (!a) {
        b->oom = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const mrs_incident *x = prog_incident(r, ids[i]);
        json_t *o = json_object();
        if (!o) {
            b->oom = true;
            break;
        }
        put(b, o, "id", json_integer((json_int_t)ids[i]));
        if (x) {
            char pfx[MRS_PREFIX_STRLEN];
            mrs_prefix_format(&x->prefix, pfx);
            put(b, o, "class", json_string(mrs_incident_class_name(x->cls)));
            put(b, o, "prefix", json_string(pfx));
            put(b, o, "culprit", json_integer(x->culprit));
            put(b, o, "start", json_integer(x->start));
            put(b, o, "confidence", json_string(mrs_confidence_name(x->confidence)));
        }
        push(b, a, o);
    }
    return a;
}

static void ymd_text(uint32_t v, char out[11])
{
    snprintf(out, 11, "%04u-%02u-%02u", v / 10000 % 10000, v / 100 % 100, v % 100);
}

/* ------------------------------------------------------------------ inputs */

static int add_input(jb *b, json_t *arr, const char *kind, const char *file, char *err, size_t errlen)
{
    char hex[65];
    if (mark_sha256_file(file, hex, err, errlen) != 0)
        return -1;
    json_t *o = json_object();
    if (!o) {
        b->oom = true;
        return 0;
    }
    put(b, o, "kind", json_string(kind));
    put(b, o, "file", jstr(b, file));
    put(b, o, "sha256", json_string(hex));
    push(b, arr, o);
    return 0;
}

/* Every input a statement rests on, in the one order (the registry, the disputes,
 * then the observatory's kinds in their order, each kind's files as given, then
 * the route servers' RIBs, kind "rs-rib"), with its SHA-256. NULL with why in err. */
static json_t *collect_inputs(const char *registry, const char *disputes, const mrs_obs_inputs *in,
                              const char *const *rs, size_t nrs, char *err, size_t errlen)
{
    if (in->n[MRS_IN_RTR]) {
        snprintf(err, errlen, "--rtr: a mark records the SHA-256 of every input, and an RTR cache is not a file "
                              "(save the VRPs to a file and give --vrps)");
        return NULL;
    }
    jb b = {false};
    json_t *arr = json_array();
    if (!arr) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int rc = add_input(&b, arr, "participants", registry, err, errlen);
    if (rc == 0 && disputes)
        rc = add_input(&b, arr, "disputes", disputes, err, errlen);
    for (int k = 0; rc == 0 && k < MRS_IN_N; k++)
        for (size_t i = 0; rc == 0 && i < in->n[k]; i++) {
            if (!strcmp(in->files[k][i], "-")) {
                snprintf(err, errlen, "--%s -: a mark records the SHA-256 of every input file, and standard input "
                                      "is not one",
                         mrs_obs_input_name((mrs_obs_input)k));
                rc = -1;
            } else
                rc = add_input(&b, arr, mrs_obs_input_name((mrs_obs_input)k), in->files[k][i], err, errlen);
        }
    for (size_t i = 0; rc == 0 && i < nrs; i++)
        rc = add_input(&b, arr, "rs-rib", rs[i], err, errlen);
    if (rc == 0 && b.oom) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    if (rc != 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

/* ------------------------------------------------------------------ the statement */

static json_t *build(const prog_result *r, size_t pi, const mrs_obs_inputs *in, const prog_opts *po, int64_t issued,
                     json_t *inputs)
{
    jb b = {false};
    const mrs_participant_verdicts *pv = &r->conf.v[pi];
    const mrs_participant *p = pv->p;
    json_t *st = json_object();
    if (!st)
        return NULL;
    char t[MRS_TIME_ISO_LEN], joined[11];
    put(&b, st, "format", json_string(MARK_FORMAT));
    put(&b, st, "version", json_integer(MARK_VERSION));
    put(&b, st, "issued", json_string(mrs_time_iso(issued, t)));
    put(&b, st, "software", json_pack("{s:s,s:s}", "name", "manrs", "version", MANRS_VERSION));

    json_t *pj = json_object();
    if (pj) {
        ymd_text(p->joined, joined);
        put(&b, pj, "id", jstr(&b, p->id));
        put(&b, pj, "organisation", jstr(&b, p->organisation));
        put(&b, pj, "programme", json_string(mrs_programme_name(p->programme)));
        put(&b, pj, "tier", json_string(mrs_tier_name(p->tier)));
        put(&b, pj, "joined", json_string(joined));
        put(&b, pj, "contact", jstr(&b, p->contact));
        put(&b, pj, "actions", actions_arr(&b, p->actions));
        json_t *asns = json_array();
        for (size_t j = 0; asns && j < p->n_asns; j++)
            push(&b, asns, json_pack("{s:I,s:o}", "asn", (json_int_t)p->asns[j].asn, "actions",
                                     actions_arr(&b, p->asns[j].actions)));
        put(&b, pj, "asns", asns);
        if (p->route_server)
            put(&b, pj, "route_server", json_integer(p->route_server));
    }
    put(&b, st, "participant", pj);

    put(&b, st, "period", json_string(r->period));
    put(&b, st, "window", json_pack("{s:I,s:I}", "start", (json_int_t)r->obs.b.from, "end", (json_int_t)r->obs.b.to));
    char why[256] = "";
    bool meets = mrs_signup_check(mrs_ruleset_current(), p, why, sizeof why);
    put(&b, st, "ruleset", json_string(r->ruleset));
    put(&b, st, "signup", json_pack("{s:b,s:o}", "meets_rule", meets, "why", meets ? json_null() : jstr(&b, why)));
    const mrs_tier_policy *pol = &r->reg.tiers[p->tier];
    put(&b, st, "thresholds",
        json_pack("{s:{s:o,s:o,s:o,s:o},s:b,s:b,s:I}", "action_min", "1", dec4(pol->action_min[1]), "2",
                  dec4(pol->action_min[2]), "3", dec4(pol->action_min[3]), "4", dec4(pol->action_min[4]),
                  "leaks_count", pol->leaks_count, "action4_both", pol->action4_both, "grace_periods",
                  (json_int_t)pol->grace_periods));
    put(&b, st, "run", json_pack("{s:b,s:b,s:b,s:I}", "asrel_ipv6", in->asrel_ipv6, "strict_period", in->strict_period,
                                 "include_low", po->cfg.score.include_low, "min_peers", (json_int_t)r->obs.min_peers));

    json_t *v = json_object();
    if (v) {
        put(&b, v, "outcome", json_string(mrs_verdict_name(pv->outcome)));
        put(&b, v, "conformant", json_boolean(pv->outcome == MRS_VERDICT_CONFORMANT));
        json_t *acts = json_array();
        MRS_FOR_EACH_ACTION(k, acts ? p->actions : 0)
            push(&b, acts, json_pack("{s:I,s:s,s:s}", "action", (json_int_t)k, "name", action_names[k], "verdict",
                                     mrs_verdict_name(pv->action[k])));
        put(&b, v, "actions", acts);
        json_t *asns = json_array();
        for (size_t j = 0; asns && j < pv->n_asns; j++) {
            const mrs_asn_verdicts *av = &pv->asns[j];
            json_t *aj = json_object(), *list = json_array();
            if (!aj || !list) {
                json_decref(aj);
                json_decref(list);
                b.oom = true;
                break;
            }
            put(&b, aj, "asn", av->asn ? json_integer(av->asn) : json_null());
            put(&b, aj, "seen", json_boolean(av->seen));
            MRS_FOR_EACH_ACTION(k, av->committed) {
                const mrs_action_verdict *a = &av->a[k];
                json_t *x = json_object();
                if (!x) {
                    b.oom = true;
                    break;
                }
                put(&b, x, "action", json_integer(k));
                put(&b, x, "verdict", json_string(mrs_verdict_name(a->verdict)));
                put(&b, x, "score", dec4(a->score));
                put(&b, x, "min", dec4(a->min));
                put(&b, x, "basis", jstr(&b, a->basis));
                put(&b, x, "incidents", incidents_arr(&b, r, a->incidents, a->n_incidents));
                put(&b, x, "disputed", incidents_arr(&b, r, a->disputed, a->n_disputed));
                push(&b, list, x);
            }
            put(&b, aj, "actions", list);
            push(&b, asns, aj);
        }
        put(&b, v, "asns", asns);
    }
    put(&b, st, "verdicts", v);
    put(&b, st, "inputs", json_incref(inputs));
    if (b.oom) {
        json_decref(st);
        return NULL;
    }
    return st;
}

static int statement_with(const mark_issue *o, json_t *inputs, mrs_diag *kd, mrs_diag *md, json_t **statement,
                          mrs_verdict *outcome, char *err, size_t errlen)
{
    prog_opts po;
    memset(&po, 0, sizeof po);
    mrs_score_cfg_default(&po.cfg.score);
    po.disputes = o->disputes;
    po.period = o->period;
    po.rs_ribs = o->rs_ribs;
    po.n_rs_ribs = o->n_rs_ribs;
    prog_result r;
    memset(&r, 0, sizeof r);
    int rc = -1;
    if (prog_conformance(o->registry, o->in, &po, NULL, kd, md, &r, err, errlen) != 0)
        goto out;
    if (r.obs.failed) {
        snprintf(err, errlen, "an input could not be used (see above): a mark rests on clean inputs only");
        goto out;
    }
    if (r.reg.skipped || r.disputes.skipped) {
        snprintf(err, errlen, "%" PRIu64 " registry or dispute entries were skipped (see above): a mark rests on "
                              "clean inputs only",
                 r.reg.skipped + r.disputes.skipped);
        goto out;
    }
    const mrs_participant *p = mrs_registry_find(&r.reg, o->participant);
    if (!p) {
        snprintf(err, errlen, "no participant '%s' in %s (an id, an organisation or an ASN)", o->participant,
                 o->registry);
        goto out;
    }
    size_t pi = (size_t)(p - r.reg.v);
    if (pi >= r.conf.n || r.conf.v[pi].p != p) {
        snprintf(err, errlen, "internal error: no verdicts for %s", p->id);
        goto out;
    }
    if (!(*statement = build(&r, pi, o->in, &po, o->issued, inputs))) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (outcome)
        *outcome = r.conf.v[pi].outcome;
    rc = 0;
out:
    prog_result_clear(&r);
    return rc;
}

int mark_statement(const mark_issue *o, mrs_diag *kd, mrs_diag *md, json_t **statement, mrs_verdict *outcome,
                   char *err, size_t errlen)
{
    *statement = NULL;
    json_t *inputs = collect_inputs(o->registry, o->disputes, o->in, o->rs_ribs, o->n_rs_ribs, err, errlen);
    if (!inputs)
        return -1;
    int rc = statement_with(o, inputs, kd, md, statement, outcome, err, errlen);
    json_decref(inputs);
    return rc;
}

/* ------------------------------------------------------------------ --rerun */

static const char *sget(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* the statement without what a rerun may change: the time of issue, the names */
static char *comparable(const json_t *st, size_t *len)
{
    json_t *c = json_deep_copy(st);
    if (!c)
        return NULL;
    json_object_del(c, "issued");
    json_object_del(c, "inputs");
    char *s = mark_canon_dump(c, len);
    json_decref(c);
    return s;
}

int mark_rerun(const json_t *st, const mrs_obs_inputs *in_given, const char *registry, const char *disputes,
               const char *rs_rib, mrs_diag *kd, mrs_diag *md, char *err, size_t errlen)
{
    const json_t *rec = json_object_get(st, "inputs");
    const json_t *run = json_object_get(st, "run");
    const char *pid = sget(json_object_get(st, "participant"), "id");
    const char *period = sget(st, "period");
    if (!json_is_array(rec) || !json_is_object(run) || !pid || !period) {
        snprintf(err, errlen, "the statement lacks its inputs, run settings, participant id or period");
        return 1;
    }
    const char *rec_registry = NULL, *rec_disputes = NULL;
    const char **rs = calloc(json_array_size(rec) + 1, sizeof *rs);
    size_t nrs = 0;
    mrs_obs_inputs own;
    memset(&own, 0, sizeof own);
    size_t i;
    json_t *x;
    int rc = -1;
    json_array_foreach(rec, i, x) {
        const char *kind = sget(x, "kind"), *file = sget(x, "file");
        if (!kind || !file || !sget(x, "sha256")) {
            snprintf(err, errlen, "the statement's input %zu lacks its kind, file or sha256", i + 1);
            rc = 1;
            goto out;
        }
        if (!strcmp(kind, "participants"))
            rec_registry = file;
        else if (!strcmp(kind, "disputes"))
            rec_disputes = file;
        else if (!strcmp(kind, "rs-rib") && rs)
            rs[nrs++] = file;
        else {
            int k = 0;
            while (k < MRS_IN_N && strcmp(kind, mrs_obs_input_name((mrs_obs_input)k)))
                k++;
            if (k == MRS_IN_N) {
                snprintf(err, errlen, "the statement's input %zu has an unknown kind", i + 1);
                rc = 1;
                goto out;
            }
            if (mrs_obs_inputs_add(&own, (mrs_obs_input)k, file) != 0) {
                snprintf(err, errlen, "out of memory");
                goto out;
            }
        }
    }
    own.asrel_ipv6 = json_is_true(json_object_get(run, "asrel_ipv6"));
    own.strict_period = json_is_true(json_object_get(run, "strict_period"));
    const mrs_obs_inputs *in = in_given && mrs_obs_inputs_total(in_given) ? in_given : &own;
    if (!registry)
        registry = rec_registry;
    if (!disputes)
        disputes = rec_disputes;
    if (!registry) {
        snprintf(err, errlen, "the statement names no participants registry");
        rc = 1;
        goto out;
    }
    /* the inputs first: the same files, one by one */
    if (!rs) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (rs_rib) { /* given: it replaces the ones the mark names */
        rs[0] = rs_rib;
        nrs = 1;
    }
    json_t *now = collect_inputs(registry, disputes, in, rs, nrs, err, errlen);
    if (!now) {
        rc = 1;
        goto out;
    }
    size_t n = json_array_size(now), m = json_array_size(rec);
    for (i = 0; i < n || i < m; i++) {
        const json_t *a = json_array_get(now, i), *b = json_array_get(rec, i);
        if (!a || !b || strcmp(sget(a, "kind"), sget(b, "kind"))) {
            snprintf(err, errlen, "the inputs differ from the mark's: input %zu is %s %s here, %s %s in the mark", i + 1,
                     a ? sget(a, "kind") : "(none)", a ? sget(a, "file") : "", b ? sget(b, "kind") : "(none)",
                     b ? sget(b, "file") : "");
            break;
        }
        if (strcmp(sget(a, "sha256"), sget(b, "sha256"))) {
            snprintf(err, errlen, "%s: changed: its SHA-256 is %s, the mark recorded %s (as %s)", sget(a, "file"),
                     sget(a, "sha256"), sget(b, "sha256"), sget(b, "file"));
            break;
        }
    }
    if (i < n || i < m) {
        json_decref(now);
        rc = 1;
        goto out;
    }
    /* then the verdicts, from those inputs by the same code */
    mark_issue o = {.registry = registry, .participant = pid, .disputes = disputes, .period = period, .in = in,
                    .rs_ribs = rs, .n_rs_ribs = nrs};
    json_t *again = NULL;
    int q = statement_with(&o, now, kd, md, &again, NULL, err, errlen);
    json_decref(now);
    if (q != 0) {
        rc = 1;
        goto out;
    }
    size_t la = 0, lb = 0;
    char *ca = comparable(again, &la), *cb = comparable(st, &lb);
    if (!ca || !cb) {
        snprintf(err, errlen, "out of memory");
    } else if (la != lb || memcmp(ca, cb, la) != 0) {
        const char *k, *first = "?";
        json_t *v;
        json_object_foreach(again, k, v) {
            if (!strcmp(k, "issued") || !strcmp(k, "inputs"))
                continue;
            size_t l1 = 0, l2 = 0;
            char *c1 = mark_canon_dump(v, &l1), *c2 = json_object_get(st, k) ? mark_canon_dump(json_object_get(st, k), &l2)
                                                                              : NULL;
            bool same = c1 && c2 && l1 == l2 && !memcmp(c1, c2, l1);
            free(c1);
            free(c2);
            if (!same) {
                first = k;
                break;
            }
        }
        size_t at = 0;
        while (at < la && at < lb && ca[at] == cb[at])
            at++;
        snprintf(err, errlen, "the recomputed statement differs from the mark's (first in \"%s\", canonical byte %zu)",
                 first, at);
        rc = 1;
    } else
        rc = 0;
    free(ca);
    free(cb);
    json_decref(again);
out:
    free(rs);
    mrs_obs_inputs_clear(&own);
    return rc;
}
