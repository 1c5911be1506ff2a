/*
 * providers.c — a customer's view of its providers (providers.h,
 * docs/providers.md): the upstreams from as-rel and the observed paths, their
 * programme standing, and the incidents that reached the customer through them.
 */
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/providers.h"
#include "manrs/core/hashset.h"

const char *prov_role_name(prov_role r)
{
    switch (r) {
    case PROV_ROLE_CULPRIT: return "culprit";
    case PROV_ROLE_ACCOMPLICE: return "accomplice";
    case PROV_ROLE_PROPAGATOR: return "propagator";
    }
    return "?";
}

static prov_upstream *find_up(prov_result *r, uint32_t asn)
{
    for (size_t i = 0; i < r->n_up; i++)
        if (r->up[i].asn == asn)
            return &r->up[i];
    return NULL;
}

static prov_upstream *get_up(prov_result *r, uint32_t asn, size_t *cap)
{
    prov_upstream *u = find_up(r, asn);
    if (u)
        return u;
    if (r->n_up == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        prov_upstream *nv = realloc(r->up, nc * sizeof *nv);
        if (!nv)
            return NULL;
        r->up = nv;
        *cap = nc;
    }
    u = &r->up[r->n_up++];
    memset(u, 0, sizeof *u);
    u->asn = asn;
    return u;
}

/* The ASes immediately upstream of asn in one path (collector peer first),
 * prepending collapsed; at most max, distinct. */
static size_t path_upstreams(const uint32_t *p, size_t n, uint32_t asn, uint32_t *out, size_t max, bool *seen)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != asn)
            continue;
        *seen = true;
        if (i == 0 || p[i - 1] == asn)
            continue;   /* the collector peer itself, or a prepend */
        uint32_t u = p[i - 1];
        bool dup = false;
        for (size_t j = 0; j < k; j++)
            dup |= out[j] == u;
        if (!dup && k < max)
            out[k++] = u;
    }
    return k;
}

#define PROV_MAX_PATH 1024
#define PROV_MAX_UP 8

static int from_paths(const prov_input *in, prov_result *r, size_t *cap)
{
    const mrs_view *v = in->view;
    size_t np = mrs_view_path_count(v);
    /* pass 1: per interned path, its upstreams of asn (CSR) */
    uint32_t *off = calloc(np + 1, sizeof *off);
    uint32_t *ups = NULL;
    size_t nups = 0, capups = 0;
    uint32_t *asns = malloc(PROV_MAX_PATH * sizeof *asns);
    int rc = -1;
    mrs_set64 peers;
    mrs_set64_init(&peers);
    if (!off || !asns)
        goto out;
    for (size_t p = 0; p < np; p++) {
        off[p] = (uint32_t)nups;
        bool has_set = false, seen = false;
        size_t n = mrs_view_path_asns(v, (uint32_t)p, asns, PROV_MAX_PATH, &has_set);
        if (n > PROV_MAX_PATH)
            n = PROV_MAX_PATH;
        uint32_t u[PROV_MAX_UP];
        size_t k = path_upstreams(asns, n, in->asn, u, PROV_MAX_UP, &seen);
        r->known |= seen;
        for (size_t j = 0; j < k; j++) {
            if (nups == capups) {
                size_t nc = capups ? capups * 2 : 64;
                uint32_t *nv = realloc(ups, nc * sizeof *nv);
                if (!nv)
                    goto out;
                ups = nv;
                capups = nc;
            }
            ups[nups++] = u[j];
            prov_upstream *up = get_up(r, u[j], cap);
            if (!up)
                goto out;
            up->from_paths = true;
            up->paths++;
        }
    }
    off[np] = (uint32_t)nups;
    /* pass 2: the routes over those paths, and their distinct collector peers */
    size_t nr = mrs_view_route_count(v);
    for (size_t i = 0; i < nr && nups; i++) {
        const mrs_view_route *rt = mrs_view_route_at(v, i);
        for (uint32_t j = off[rt->path]; j < off[rt->path + 1]; j++) {
            prov_upstream *up = find_up(r, ups[j]);
            up->routes++;
            if (mrs_set64_add(&peers, ((uint64_t)ups[j] << 32) | rt->peer))
                up->peers++;
        }
    }
    rc = peers.oom ? -1 : 0;
out:
    mrs_set64_clear(&peers);
    free(off);
    free(ups);
    free(asns);
    return rc;
}

static bool in_list(const uint32_t *v, size_t n, uint32_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

/* An evidence row whose path goes through the provider, else the first. */
static const mrs_evidence *evidence_through(const mrs_incident *inc, uint32_t asn)
{
    char needle[16];
    snprintf(needle, sizeof needle, "%u", (unsigned)asn);
    size_t ln = strlen(needle);
    for (size_t i = 0; i < inc->n_evidence; i++) {
        const mrs_evidence *e = &inc->evidence[i];
        for (const char *s = e->as_path; s && (s = strstr(s, needle)); s += ln) {
            bool start = s == e->as_path || s[-1] == ' ' || s[-1] == '{' || s[-1] == ',';
            char c = s[ln];
            if (start && (c == 0 || c == ' ' || c == '}' || c == ','))
                return e;
        }
    }
    return inc->n_evidence ? &inc->evidence[0] : NULL;
}

static int cmp_up(const void *a, const void *b)
{
    const prov_upstream *x = a, *y = b;
    if (x->from_asrel != y->from_asrel)
        return x->from_asrel ? -1 : 1;
    return x->asn < y->asn ? -1 : x->asn > y->asn;
}

int prov_compute(const prov_input *in, prov_result *r)
{
    size_t cap = 0;
    r->asn = in->asn;
    r->include_low = in->include_low;
    r->have_asrel = in->asrel != NULL;
    r->have_paths = in->view != NULL;
    r->have_registry = in->reg != NULL;
    r->have_conformance = in->conf != NULL;
    r->have_incidents = in->incidents != NULL;
    if (in->asrel) {
        const uint32_t *v;
        size_t n = mrs_asrel_providers(in->asrel, in->asn, &v);
        for (size_t i = 0; i < n; i++) {
            prov_upstream *u = get_up(r, v[i], &cap);
            if (!u)
                return -1;
            u->from_asrel = true;
        }
        const uint32_t *x;
        r->known |= n || mrs_asrel_customers(in->asrel, in->asn, &x) || mrs_asrel_peers(in->asrel, in->asn, &x) ||
                     mrs_asrel_siblings(in->asrel, in->asn, &x);
    }
    if (in->view && from_paths(in, r, &cap) != 0)
        return -1;
    for (size_t i = 0; i < r->n_up; i++) {
        prov_upstream *u = &r->up[i];
        u->rel = in->asrel ? mrs_asrel_rel(in->asrel, u->asn, in->asn) : MRS_REL_NONE;
        u->provider = u->from_asrel || u->rel == MRS_REL_P2C || (u->from_paths && u->rel == MRS_REL_NONE);
        if (in->reg && (u->p = mrs_registry_by_asn(in->reg, u->asn)) && in->conf) {
            for (size_t k = 0; k < in->conf->n; k++)
                if (in->conf->v[k].p == u->p || (in->conf->v[k].p && !strcmp(in->conf->v[k].p->id, u->p->id)))
                    u->v = &in->conf->v[k];
            for (size_t k = 0; u->v && k < u->v->n_asns; k++)
                if (u->v->asns[k].asn == u->asn)
                    u->av = &u->v->asns[k];
        }
    }
    if (r->n_up)
        qsort(r->up, r->n_up, sizeof *r->up, cmp_up);
    /* exposure: incidents a provider propagated, not the customer's own */
    size_t ecap = 0;
    for (size_t i = 0; in->incidents && i < r->n_up; i++) {
        prov_upstream *u = &r->up[i];
        if (!u->provider)
            continue;
        for (size_t k = 0; k < in->incidents->n; k++) {
            const mrs_incident *inc = &in->incidents->v[k];
            if (inc->confidence != MRS_CONF_HIGH && !in->include_low)
                continue;
            if (inc->culprit == in->asn)
                continue;
            prov_role role;
            if (inc->culprit == u->asn)
                role = PROV_ROLE_CULPRIT;
            else if (inc->accomplice == u->asn || in_list(inc->accomplices, inc->n_accomplices, u->asn))
                role = PROV_ROLE_ACCOMPLICE;
            else if (in_list(inc->propagators, inc->n_propagators, u->asn))
                role = PROV_ROLE_PROPAGATOR;
            else
                continue;
            if (r->n_exp == ecap) {
                size_t nc = ecap ? ecap * 2 : 16;
                prov_exposure *nv = realloc(r->exp, nc * sizeof *nv);
                if (!nv)
                    return -1;
                r->exp = nv;
                ecap = nc;
            }
            r->exp[r->n_exp++] = (prov_exposure){inc, u->asn, role, evidence_through(inc, u->asn)};
            u->n_exposures++;
        }
    }
    return 0;
}

bool prov_any_failing(const prov_result *r)
{
    for (size_t i = 0; i < r->n_up; i++) {
        const prov_upstream *u = &r->up[i];
        if (!u->provider || !u->p)
            continue;
        if (u->v && u->v->outcome == MRS_VERDICT_NOT)
            return true;
        if (u->has_state && (u->state.state == MRS_ENF_NOTICE || u->state.state == MRS_ENF_GRACE ||
                             u->state.state == MRS_ENF_SUSPENDED))
            return true;
    }
    return false;
}

static bool has_routing(const mrs_obs_inputs *in)
{
    return in->n[MRS_IN_RIB] || in->n[MRS_IN_UPDATES] || in->n[MRS_IN_RIS_LIVE];
}

int prov_run(uint32_t asn, const mrs_obs_inputs *in, const prov_opts *o, mrs_diag *kd, mrs_diag *md, prov_result *r,
             bool *input_failed, char *err, size_t errlen)
{
    prov_input pi = {.asn = asn, .include_low = o->include_low};
    *input_failed = false;
    r->prog.run = -1;
    if (in->n[MRS_IN_ASREL])
        r->asrel_name = in->files[MRS_IN_ASREL][0];
    if (has_routing(in) && o->registry) {
        prog_opts po = {.disputes = o->disputes, .cfg = o->cfg};
        if (prog_conformance(o->registry, in, &po, NULL, kd, md, &r->prog, err, errlen) != 0)
            return -1;
        *input_failed = r->prog.obs.failed || r->prog.reg.skipped || r->prog.disputes.skipped;
        pi.asrel = r->prog.obs.b.kb.asrel;
        pi.view = r->prog.obs.b.view;
        pi.incidents = &r->prog.obs.b.incidents;
        pi.reg = &r->prog.reg;
        pi.conf = &r->prog.conf;
        snprintf(r->period, sizeof r->period, "%s", r->prog.period);
    } else if (has_routing(in)) {
        const char *why = "cannot load the inputs";
        if (mrs_obs_load(in, kd, md, &r->bundle, input_failed, &why) != 0) {
            snprintf(err, errlen, "%s", why);
            return -1;
        }
        pi.asrel = r->bundle.kb.asrel;
        pi.view = r->bundle.view;
        pi.incidents = &r->bundle.incidents;
    } else {
        /* no routing data: the relationships alone (other knowledge has nothing to say here) */
        if (in->n[MRS_IN_ASREL]) {
            if (!(r->asrel_own = mrs_asrel_new())) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            for (size_t i = 0; i < in->n[MRS_IN_ASREL]; i++)
                if (mrs_asrel_load(r->asrel_own, in->files[MRS_IN_ASREL][i], kd) != 0) {
                    snprintf(err, errlen, "%s: the AS relationships cannot be used (see above)",
                             in->files[MRS_IN_ASREL][i]);
                    return -1;
                }
            if (!mrs_asrel_link_count(r->asrel_own)) {
                snprintf(err, errlen, "%s: no AS relationship in it", in->files[MRS_IN_ASREL][0]);
                return -1;
            }
            pi.asrel = r->asrel_own;
        }
        if (o->registry) {
            if (mrs_registry_load(o->registry, &r->reg_own, kd) != 0) {
                snprintf(err, errlen, "%s: the participants registry cannot be used (see above)", o->registry);
                return -1;
            }
            *input_failed |= r->reg_own.skipped > 0;
            pi.reg = &r->reg_own;
        }
    }
    if (prov_compute(&pi, r) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (o->db) {
        mrs_store *st = mrs_store_open_readonly(o->db, err, errlen);
        if (!st)
            return -1;
        r->have_store = true;
        for (size_t i = 0; i < r->n_up; i++) {
            prov_upstream *u = &r->up[i];
            if (!u->p)
                continue;
            int q = mrs_store_enforcement_before(st, u->p->id, "9999-99", &u->state, u->state_period);
            if (q < 0) {
                snprintf(err, errlen, "%s", mrs_store_errmsg(st)); /* it starts with the store's name */
                mrs_store_close(st);
                return -1;
            }
            u->has_state = q == 0;
        }
        mrs_store_close(st);
    }
    return 0;
}

void prov_result_clear(prov_result *r)
{
    free(r->up);
    free(r->exp);
    mrs_asrel_free(r->asrel_own);
    mrs_registry_clear(&r->reg_own);
    mrs_obs_bundle_clear(&r->bundle);
    prog_result_clear(&r->prog);
    memset(r, 0, sizeof *r);
}
