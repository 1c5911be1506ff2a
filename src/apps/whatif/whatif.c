/*
 * whatif.c — one incident without and with an adoption set, and the greedy
 * search for the ASes whose adoption cuts the culprit's capture most.
 *
 * Capture: the share of ASes (the culprit left out) whose route for the prefix
 * leads to the culprit; with address weights (MRT data), the share of address
 * space originated by those ASes.
 *
 * The greedy search is exact greedy: every step routes the incident once per
 * candidate and keeps the one that cuts capture most (ties: the lower ASN).
 * Candidates are the only ASes whose adoption can change anything:
 *   ROV, filtering: an AS that routes to the culprit (one that does not drops a
 *     route it does not use, and its exports stay the same); for filtering, only
 *     if its route came from a customer. A captured AS with no customer and no
 *     sibling that adopts ROV frees itself and nobody else (it passes provider and
 *     peer routes only to customers): its gain is 1 without routing.
 *   ASPA: also the ASes on the culprit's route after its own (the leaker's path,
 *     a forged origin), whose published provider sets make the path invalid.
 * Candidates are evaluated by several threads, each on its own clone of the
 * graph (sim/policy.h); the result does not depend on the thread count.
 */
#include "manrs/apps/whatif.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "manrs/core/io.h"
#include "manrs/core/prefix.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/participants.h"
#include "manrs/kb/rpki.h"
#include "manrs/store/store.h"
#include "manrs/core/search.h"

#define WI_TAIL_MAX 64 /* ASes after the culprit on its route that may publish ASPA */

const char *mrs_whatif_kind_name(mrs_pinc_kind k)
{
    switch (k) {
    case MRS_PINC_ORIGIN: return "origin-hijack";
    case MRS_PINC_SUBPREFIX: return "subprefix-hijack";
    case MRS_PINC_FORGED: return "forged-origin-hijack";
    case MRS_PINC_LEAK: return "route-leak";
    }
    return "?";
}

const char *mrs_whatif_action_name(unsigned a)
{
    static const char *const names[16] = {"none",        "rov",        "filter",        "rov+filter",
                                          "aspa",        "rov+aspa",   "filter+aspa",   "rov+filter+aspa",
                                          "otc",         "rov+otc",    "filter+otc",    "rov+filter+otc",
                                          "aspa+otc",    "rov+aspa+otc", "filter+aspa+otc", "rov+filter+aspa+otc"};
    return names[a & 15];
}

bool mrs_whatif_action_parse(const char *s, unsigned *action)
{
    *action = 0;
    while (*s) {
        size_t n = strcspn(s, ",+");
        if (n == 3 && !strncmp(s, "rov", 3))
            *action |= MRS_POL_ROV;
        else if (n == 6 && !strncmp(s, "filter", 6))
            *action |= MRS_POL_FILTER;
        else if (n == 4 && !strncmp(s, "aspa", 4))
            *action |= MRS_POL_ASPA;
        else
            return false;
        s += n;
        if (*s)
            s++;
    }
    return *action != 0;
}

/* ------------------------------------------------------------ adoption sets */

typedef struct cone_item {
    uint32_t asn;
    size_t size;
} cone_item;

static int cmp_cone(const void *a, const void *b)
{
    const cone_item *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->asn < y->asn ? -1 : x->asn > y->asn;
}

size_t mrs_whatif_top_cone(mrs_asrel *rel, size_t n, uint32_t *out)
{
    if (mrs_asrel_cones_compute(rel) < 0)
        return 0;
    const uint32_t *ases;
    size_t m = mrs_asrel_ases(rel, &ases);
    cone_item *v = malloc((m ? m : 1) * sizeof *v);
    if (!v)
        return 0;
    for (size_t i = 0; i < m; i++) {
        const uint32_t *mem;
        v[i] = (cone_item){ases[i], mrs_asrel_cone(rel, ases[i], &mem)};
    }
    qsort(v, m, sizeof *v, cmp_cone);
    size_t k = n < m ? n : m;
    for (size_t i = 0; i < k; i++)
        out[i] = v[i].asn;
    free(v);
    return k;
}

/* The lines of a text buffer, each without its '#' comment. */
typedef struct wi_lines {
    const char *p, *end;
    unsigned line;
} wi_lines;

static bool line_next(wi_lines *l, const char **b, const char **e)
{
    if (l->p >= l->end)
        return false;
    const char *nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
    const char *le = nl ? nl : l->end;
    const char *hash = memchr(l->p, '#', (size_t)(le - l->p));
    *b = l->p;
    *e = hash ? hash : le;
    l->line++;
    l->p = nl ? nl + 1 : l->end;
    return true;
}

ssize_t mrs_whatif_adopt_file(const char *path, uint32_t **out, mrs_diag *d)
{
    *out = NULL;
    size_t len;
    char *buf = NULL;
    if (mrs_read_whole(path, (size_t)64 << 20, d, &buf, &len) < 0)
        return -1;
    ssize_t n = mrs_whatif_adopt_mem(buf, len, path, out, d);
    free(buf);
    return n;
}

ssize_t mrs_whatif_adopt_mem(const char *buf, size_t len, const char *path, uint32_t **out, mrs_diag *d)
{
    *out = NULL;
    size_t n = 0, cap = 0;
    uint32_t *v = NULL;
    bool bad = false;
    wi_lines ls = {buf, buf + len, 0};
    const char *p, *stop;
    while (line_next(&ls, &p, &stop)) {
        unsigned line = ls.line;
        for (const char *q = p; q < stop;) {
            while (q < stop && (isspace((unsigned char)*q) || *q == ','))
                q++;
            const char *t = q;
            while (q < stop && !isspace((unsigned char)*q) && *q != ',')
                q++;
            if (t == q)
                continue;
            size_t tl = (size_t)(q - t);
            if (tl > 2 && (t[0] == 'A' || t[0] == 'a') && (t[1] == 'S' || t[1] == 's')) {
                t += 2;
                tl -= 2;
            }
            uint32_t asn;
            if (!mrs_asn_parse(t, tl, &asn)) {
                mrs_diag_error_line(d, path, line, "not an AS number: \"%.*s\"", (int)(q - t), t);
                bad = true;
                continue;
            }
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 64;
                uint32_t *nv = realloc(v, nc * sizeof *nv);
                if (!nv) {
                    free(v);
                    return -1;
                }
                v = nv;
                cap = nc;
            }
            v[n++] = asn;
        }
    }
    *out = v;
    return bad ? -1 : (ssize_t)n;
}

int mrs_whatif_adopt_ready(const char *db, unsigned action, uint32_t **out, size_t *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    if (action < 1 || action > 4) {
        snprintf(err, errlen, "Action %u: the observatory rates Actions 1 to 4", action);
        return -1;
    }
    mrs_store *s = mrs_store_open_readonly(db, err, errlen);
    if (!s)
        return -1;
    int64_t run = mrs_store_latest_complete(s);
    mrs_network_metrics *v = NULL;
    size_t m = 0;
    int rc = -1;
    if (run <= 0)
        snprintf(err, errlen, "%s: no complete observatory run", db);
    else if (mrs_store_networks(s, run, "", &v, &m) < 0)
        snprintf(err, errlen, "%s: %s", db, mrs_store_errmsg(s));
    else if (!(*out = malloc((m ? m : 1) * sizeof **out)))
        snprintf(err, errlen, "out of memory");
    else {
        for (size_t i = 0; i < m; i++)
            if (v[i].status[action] == MRS_READY)
                (*out)[(*n)++] = v[i].asn;
        rc = 0;
    }
    free(v);
    mrs_store_close(s);
    return rc;
}

int mrs_whatif_adopt_spec(const char *spec, mrs_asrel *rel, uint32_t **out, size_t *n, mrs_diag *d, char *err,
                          size_t errlen)
{
    *out = NULL;
    *n = 0;
    const char *s = spec;
    char *end;
    if (!strncmp(s, "top-", 4) && s[4] >= '1' && s[4] <= '9') {
        unsigned long top = strtoul(s + 4, &end, 10);
        if (*end || top > 10000000) {
            snprintf(err, errlen, "top-N: N from 1 to 10000000");
            return -1;
        }
        if (!(*out = malloc(top * sizeof **out))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        *n = mrs_whatif_top_cone(rel, top, *out);
        return 0;
    }
    if ((!strncmp(s, "ready1:", 7) || !strncmp(s, "ready4:", 7)) && s[7])
        return mrs_whatif_adopt_ready(s + 7, (unsigned)(s[5] - '0'), out, n, err, errlen);
    if (!strncmp(s, "participants:", 13)) {
        mrs_registry reg;
        memset(&reg, 0, sizeof reg);
        if (mrs_registry_load(s + 13, &reg, d) < 0) {
            mrs_registry_clear(&reg);
            snprintf(err, errlen, "the participants registry cannot be read (see above)");
            return -1;
        }
        size_t cnt = 0;
        for (size_t i = 0; i < reg.n; i++)
            cnt += reg.v[i].n_asns;
        if (!(*out = malloc((cnt ? cnt : 1) * sizeof **out))) {
            mrs_registry_clear(&reg);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < reg.n; i++)
            for (size_t j = 0; j < reg.v[i].n_asns; j++)
                (*out)[(*n)++] = reg.v[i].asns[j].asn;
        mrs_registry_clear(&reg);
        return 0;
    }
    ssize_t k = mrs_whatif_adopt_file(s, out, d);
    if (k < 0) {
        snprintf(err, errlen, "no adoption set (see above)");
        return -1;
    }
    *n = (size_t)k;
    return 0;
}

int mrs_whatif_resolve(mrs_whatif_opts *o, const wi_rib *rib, const char *type, bool have_origin, char *err,
                       size_t errlen)
{
    char ps[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&o->prefix, ps);
    uint32_t exact[16], cov[16];
    size_t ne = rib ? wi_rib_origins(rib, &o->prefix, exact, 16) : 0, nc = 0;
    mrs_prefix cover;
    bool has_cover = rib && wi_rib_cover(rib, &o->prefix, &cover, cov, 16, &nc);
    bool sub = type ? !strcmp(type, "sub") : (!ne && has_cover);
    if (type && !strcmp(type, "forged"))
        o->kind = MRS_PINC_FORGED;
    else if (o->kind != MRS_PINC_LEAK && sub)
        o->kind = MRS_PINC_SUBPREFIX;
    if (o->kind == MRS_PINC_SUBPREFIX) {
        if (has_cover) {
            o->cover = cover;
        } else if (rib && !have_origin) {
            snprintf(err, errlen, "nobody announces a prefix covering %s in the MRT data", ps);
            return -1;
        } else {
            o->cover = o->prefix; /* no data: the victim's prefix one bit shorter */
            if (o->cover.len)
                o->cover.len--;
            mrs_prefix_mask(&o->cover);
        }
    }
    if (have_origin)
        return 0;
    if (!rib) {
        snprintf(err, errlen, "give --origin ASN, or --rib MRT data that shows who announces %s", ps);
        return -1;
    }
    const uint32_t *v = o->kind == MRS_PINC_SUBPREFIX ? cov : exact;
    size_t n = o->kind == MRS_PINC_SUBPREFIX ? nc : ne;
    for (size_t k = 0; k < n; k++)
        if (v[k] != o->culprit_asn) {
            o->origin_asn = v[k];
            return 0;
        }
    if (n == 0)
        snprintf(err, errlen, "nobody announces %s%s in the MRT data: give --origin", ps,
                 o->kind == MRS_PINC_SUBPREFIX ? " nor a prefix covering it" : "");
    else
        snprintf(err, errlen, "only the culprit announces %s in the MRT data: give --origin", ps);
    return -1;
}

/* ------------------------------------------------------------ one incident */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct wi_ctx {
    const mrs_whatif_opts *o;
    mrs_pincident inc;
    size_t denom;               /* ASes that count (the culprit left out) */
    double wdenom;
} wi_ctx;

static double space_of(const mrs_pnet *g, const wi_ctx *c)
{
    if (!c->o->weights || c->wdenom <= 0)
        return NAN;
    double s = 0;
    size_t n = mrs_pnet_count(g);
    for (uint32_t i = 0; i < n; i++)
        if (i != c->inc.culprit && mrs_pnet_choice(g, i) == 2)
            s += c->o->weights[i];
    return s / c->wdenom;
}

static const char *rov_name(mrs_rov_state s) { return mrs_rov_state_name(s); }

/* Indices and RPKI states of the incident. */
static int setup(const mrs_pnet *g, const mrs_whatif_opts *o, wi_ctx *c, mrs_whatif_result *r, char *err,
                 size_t errlen)
{
    memset(&c->inc, 0, sizeof c->inc);
    c->o = o;
    c->inc.kind = o->kind;
    c->inc.leak_to = o->leak_to;
    c->inc.culprit = mrs_pnet_index(g, o->culprit_asn);
    c->inc.origin = mrs_pnet_index(g, o->origin_asn);
    if (c->inc.culprit == MRS_PNET_NONE) {
        snprintf(err, errlen, "AS%" PRIu32 " (the culprit) is not in the AS relationships", o->culprit_asn);
        return -1;
    }
    if (c->inc.origin == MRS_PNET_NONE) {
        snprintf(err, errlen, "AS%" PRIu32 " (the legitimate origin) is not in the AS relationships", o->origin_asn);
        return -1;
    }
    if (o->culprit_asn == o->origin_asn) {
        snprintf(err, errlen, "AS%" PRIu32 " is both the culprit and the legitimate origin", o->culprit_asn);
        return -1;
    }
    /* RPKI: with VRPs, the states of the two routes (RFC 6811); without, the
     * victim is assumed to hold a ROA for exactly its announced prefix */
    if (o->vrps && o->have_prefix) {
        r->rpki_assumed = false;
        mrs_rov_state lg = mrs_rov_validate(o->vrps, o->kind == MRS_PINC_SUBPREFIX ? &o->cover : &o->prefix,
                                            o->origin_asn, false);
        uint32_t path_origin = o->kind == MRS_PINC_ORIGIN || o->kind == MRS_PINC_SUBPREFIX ? o->culprit_asn
                                                                                            : o->origin_asn;
        mrs_rov_state cu = mrs_rov_validate(o->vrps, &o->prefix, path_origin, false);
        c->inc.legit_invalid = lg == MRS_ROV_INVALID;
        c->inc.culprit_invalid = cu == MRS_ROV_INVALID;
        r->legit_rpki = rov_name(lg);
        r->culprit_rpki = rov_name(cu);
    } else {
        r->rpki_assumed = true;
        c->inc.legit_invalid = false;
        c->inc.culprit_invalid = o->kind == MRS_PINC_ORIGIN || o->kind == MRS_PINC_SUBPREFIX;
        r->legit_rpki = "valid";
        r->culprit_rpki = c->inc.culprit_invalid ? "invalid" : "valid";
    }
    size_t n = mrs_pnet_count(g);
    c->denom = n > 1 ? n - 1 : 1;
    c->wdenom = o->weights ? o->weight_total - o->weights[c->inc.culprit] : 0;
    return 0;
}

static int route(mrs_pnet *g, const wi_ctx *c, mrs_poutcome *out, char *err, size_t errlen)
{
    mrs_prun_status st = mrs_pnet_run(g, &c->inc, out);
    if (st != MRS_PRUN_OK) {
        snprintf(err, errlen, "%s", mrs_prun_status_text(st));
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ greedy */

typedef struct cand {
    uint32_t i;
    size_t captured;            /* after adopting it */
} cand;

typedef struct pool {
    const mrs_pnet *base;
    const wi_ctx *c;
    unsigned action;
    cand *v;
    size_t n;
    atomic_size_t next;
    atomic_size_t finished;
    atomic_bool failed;
    bool progress;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    mrs_pnet *g = mrs_pnet_clone(p->base);
    if (!g) {
        atomic_store(&p->failed, true);
        return NULL;
    }
    for (;;) {
        size_t k = atomic_fetch_add(&p->next, 1);
        if (k >= p->n || atomic_load(&p->failed))
            break;
        cand *cd = &p->v[k];
        unsigned keep = mrs_pnet_policy(g, cd->i);
        mrs_pnet_set_policy(g, cd->i, keep | p->action);
        mrs_poutcome out;
        if (mrs_pnet_run(g, &p->c->inc, &out) != MRS_PRUN_OK) {
            atomic_store(&p->failed, true);
            break;
        }
        cd->captured = out.captured;
        mrs_pnet_set_policy(g, cd->i, keep);
        size_t f = atomic_fetch_add(&p->finished, 1) + 1;
        if (p->progress && (f % 256 == 0 || f == p->n))
            fprintf(stderr, "\rwhatif: %zu/%zu candidates", f, p->n);
    }
    mrs_pnet_free(g);
    return NULL;
}

static unsigned thread_count(unsigned want)
{
    if (want)
        return want > 64 ? 64 : want;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

/* ASPA needs two parties: an AS on the culprit's route that publishes its
 * provider set, and one that verifies. When no single adoption helps, try the
 * pairs of an AS on the route after the culprit (a leaker's upstream, a forged
 * origin) and a captured neighbour of the culprit (where the route enters).
 * Returns the routing runs taken, or -1 (memory); *first, *best, *best_cap: the
 * best pair found (first NONE if none helps). */
static int aspa_pair(mrs_pnet *g, const wi_ctx *c, unsigned action, size_t cur, uint32_t *first, uint32_t *best,
                     size_t *best_cap)
{
    const uint32_t *tail;
    unsigned tn = mrs_pnet_incident_tail(g, &tail);
    uint32_t pub[WI_TAIL_MAX];
    unsigned np = 0;
    for (unsigned k = 0; k < tn && np < WI_TAIL_MAX; k++) {
        uint32_t i = mrs_pnet_index(g, tail[k]);
        if (i != MRS_PNET_NONE && i != c->inc.culprit && (mrs_pnet_policy(g, i) & action) != action)
            pub[np++] = i;
    }
    size_t n = mrs_pnet_count(g), m = 0;
    uint32_t *ver = malloc(n * sizeof *ver);
    if (!ver)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        if (mrs_pnet_choice(g, i) == 2 && mrs_pnet_next_hop(g, i) == c->inc.culprit &&
            (mrs_pnet_policy(g, i) & action) != action)
            ver[m++] = i;
    int runs = 0;
    *first = *best = MRS_PNET_NONE;
    *best_cap = cur;
    for (unsigned a = 0; a < np; a++)
        for (size_t b = 0; b < m; b++) {
            unsigned ka = mrs_pnet_policy(g, pub[a]), kb = mrs_pnet_policy(g, ver[b]);
            mrs_pnet_set_policy(g, pub[a], ka | action);
            mrs_pnet_set_policy(g, ver[b], kb | action);
            mrs_poutcome out;
            mrs_prun_status st = mrs_pnet_run(g, &c->inc, &out);
            mrs_pnet_set_policy(g, ver[b], kb);
            mrs_pnet_set_policy(g, pub[a], ka);
            runs++;
            if (st != MRS_PRUN_OK) {
                free(ver);
                return -1;
            }
            if (out.captured < *best_cap) {
                *best_cap = out.captured;
                *first = pub[a];
                *best = ver[b];
            }
        }
    free(ver);
    /* leave g routed as it was for the caller */
    mrs_poutcome out;
    if (mrs_pnet_run(g, &c->inc, &out) != MRS_PRUN_OK)
        return -1;
    return runs + 1;
}

static int greedy(mrs_pnet *g, const wi_ctx *c, mrs_whatif_result *r, char *err, size_t errlen)
{
    const mrs_whatif_opts *o = c->o;
    size_t n = mrs_pnet_count(g);
    r->greedy = calloc(o->greedy ? o->greedy : 1, sizeof *r->greedy);
    cand *v = malloc(n * sizeof *v);
    uint8_t *is_cand = malloc(n);
    if (!r->greedy || !v || !is_cand) {
        free(v);
        free(is_cand);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    unsigned action = o->action;
    for (unsigned step = 0; step < o->greedy && rc == 0; step++) {
        mrs_poutcome cur;
        if ((rc = route(g, c, &cur, err, errlen)) < 0)
            break;
        if (cur.captured == 0)
            break; /* nothing left to win */
        /* candidates (see the head of this file) */
        memset(is_cand, 0, n);
        bool rov_helps = (action & MRS_POL_ROV) && c->inc.culprit_invalid;
        for (uint32_t i = 0; i < n; i++) {
            if (i == c->inc.culprit || mrs_pnet_choice(g, i) != 2 || (mrs_pnet_policy(g, i) & action) == action)
                continue;
            if (rov_helps || (action & MRS_POL_ASPA) ||
                ((action & MRS_POL_FILTER) && mrs_pnet_route_class(g, i) == 1))
                is_cand[i] = 1;
        }
        if (action & MRS_POL_ASPA) {
            const uint32_t *tail;
            unsigned tn = mrs_pnet_incident_tail(g, &tail);
            for (unsigned k = 0; k < tn; k++) {
                uint32_t i = mrs_pnet_index(g, tail[k]);
                if (i != MRS_PNET_NONE && i != c->inc.culprit && (mrs_pnet_policy(g, i) & action) != action)
                    is_cand[i] = 1;
            }
        }
        size_t m = 0;
        uint32_t stub_best = MRS_PNET_NONE; /* ROV at a captured AS without customers: gain exactly 1 */
        for (uint32_t i = 0; i < n; i++) {
            if (!is_cand[i])
                continue;
            unsigned np, npe, nc;
            mrs_pnet_degree(g, i, &np, &npe, &nc);
            if (rov_helps && nc == 0 && !(action & MRS_POL_ASPA)) {
                if (stub_best == MRS_PNET_NONE || mrs_pnet_asn(g, i) < mrs_pnet_asn(g, stub_best))
                    stub_best = i;
                continue;
            }
            v[m++] = (cand){i, 0};
        }
        pool p = {.base = g, .c = c, .action = action, .v = v, .n = m, .progress = o->progress};
        atomic_init(&p.next, 0);
        atomic_init(&p.finished, 0);
        atomic_init(&p.failed, false);
        unsigned nt = thread_count(o->threads);
        if (nt > m)
            nt = m ? (unsigned)m : 1;
        pthread_t th[64];
        unsigned started = 0;
        for (unsigned t = 1; t < nt; t++)
            if (pthread_create(&th[t], NULL, worker, &p) == 0)
                started = t;
            else
                break;
        worker(&p);
        for (unsigned t = 1; t <= started; t++)
            pthread_join(th[t], NULL);
        if (o->progress && m)
            fputc('\n', stderr);
        r->greedy_runs += m;
        if (atomic_load(&p.failed)) {
            snprintf(err, errlen, "out of memory in the greedy search");
            rc = -1;
            break;
        }
        uint32_t best = MRS_PNET_NONE;
        size_t best_cap = cur.captured;
        for (size_t k = 0; k < m; k++)
            if (v[k].captured < best_cap ||
                (best != MRS_PNET_NONE && v[k].captured == best_cap && mrs_pnet_asn(g, v[k].i) < mrs_pnet_asn(g, best))) {
                best = v[k].i;
                best_cap = v[k].captured;
            }
        if (stub_best != MRS_PNET_NONE &&
            (best == MRS_PNET_NONE || cur.captured - 1 < best_cap ||
             (cur.captured - 1 == best_cap && mrs_pnet_asn(g, stub_best) < mrs_pnet_asn(g, best)))) {
            best = stub_best;
            best_cap = cur.captured - 1;
        }
        uint32_t first = MRS_PNET_NONE; /* ASPA: a publisher that enables best */
        if ((best == MRS_PNET_NONE || best_cap >= cur.captured) && (action & MRS_POL_ASPA) &&
            step + 1 < o->greedy) {
            if ((rc = aspa_pair(g, c, action, cur.captured, &first, &best, &best_cap)) < 0) {
                snprintf(err, errlen, "out of memory in the greedy search");
                break;
            }
            r->greedy_runs += (size_t)rc;
            rc = 0;
        }
        if (best == MRS_PNET_NONE || best_cap >= cur.captured)
            break; /* no single adoption (nor, for ASPA, pair) helps any more */
        uint32_t take[2] = {first, best};
        for (int t = 0; t < 2 && rc == 0; t++) {
            if (take[t] == MRS_PNET_NONE)
                continue;
            mrs_pnet_set_policy(g, take[t], mrs_pnet_policy(g, take[t]) | action);
            mrs_poutcome after;
            if ((rc = route(g, c, &after, err, errlen)) < 0)
                break;
            mrs_whatif_step *s = &r->greedy[r->n_greedy++];
            s->asn = mrs_pnet_asn(g, take[t]);
            s->captured = after.captured;
            s->capture = (double)after.captured / (double)c->denom;
            s->space = space_of(g, c);
        }
        if (take[0] != MRS_PNET_NONE)
            step++; /* the pair took two steps */
    }
    free(v);
    free(is_cand);
    return rc;
}

/* ------------------------------------------------------------ the run */

/* The captured ASes and the propagators (the ASes a captured AS took the route
 * from, the culprit left out), sorted by ASN. */
static int members(const mrs_pnet *g, const wi_ctx *c, mrs_whatif_result *r)
{
    size_t n = mrs_pnet_count(g);
    uint8_t *prop = calloc(n, 1);
    r->captured_asns = malloc(n * sizeof *r->captured_asns);
    r->propagators = malloc(n * sizeof *r->propagators);
    if (!prop || !r->captured_asns || !r->propagators) {
        free(prop);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (i == c->inc.culprit || mrs_pnet_choice(g, i) != 2)
            continue;
        r->captured_asns[r->n_captured_asns++] = mrs_pnet_asn(g, i);
        uint32_t nh = mrs_pnet_next_hop(g, i);
        if (nh != MRS_PNET_NONE && nh != c->inc.culprit)
            prop[nh] = 1;
    }
    for (uint32_t i = 0; i < n; i++)
        if (prop[i])
            r->propagators[r->n_propagators++] = mrs_pnet_asn(g, i);
    free(prop);
    qsort(r->captured_asns, r->n_captured_asns, sizeof *r->captured_asns, mrs_cmp_u32);
    qsort(r->propagators, r->n_propagators, sizeof *r->propagators, mrs_cmp_u32);
    return 0;
}

int mrs_whatif_policy_file(const char *path, mrs_pnet *g, size_t *unknown, mrs_diag *d)
{
    *unknown = 0;
    size_t len;
    char *buf = NULL;
    if (mrs_read_whole(path, (size_t)256 << 20, d, &buf, &len) < 0)
        return -1;
    int rc = mrs_whatif_policy_mem(buf, len, path, g, unknown, d);
    free(buf);
    return rc;
}

int mrs_whatif_policy_mem(const char *buf, size_t len, const char *path, mrs_pnet *g, size_t *unknown, mrs_diag *d)
{
    *unknown = 0;
    int rc = 0;
    wi_lines ls = {buf, buf + len, 0};
    const char *p, *stop;
    while (line_next(&ls, &p, &stop)) {
        unsigned line = ls.line;
        uint32_t i = MRS_PNET_NONE;
        unsigned pol = 0;
        bool first = true, bad = false, skip = false;
        for (const char *q = p; q < stop && !bad;) {
            while (q < stop && isspace((unsigned char)*q))
                q++;
            const char *t = q;
            while (q < stop && !isspace((unsigned char)*q))
                q++;
            size_t tl = (size_t)(q - t);
            if (!tl)
                continue;
            if (first) {
                first = false;
                uint32_t asn;
                if (tl > 2 && (t[0] == 'A' || t[0] == 'a') && (t[1] == 'S' || t[1] == 's')) {
                    t += 2;
                    tl -= 2;
                }
                if (!mrs_asn_parse(t, tl, &asn)) {
                    mrs_diag_error_line(d, path, line, "not an AS number: \"%.*s\"", (int)tl, t);
                    bad = true;
                    break;
                }
                i = mrs_pnet_index(g, asn);
                if (i == MRS_PNET_NONE) {
                    (*unknown)++;
                    skip = true;
                    break;
                }
                pol = mrs_pnet_policy(g, i);
                continue;
            }
            uint32_t v;
            if (tl == 3 && !memcmp(t, "rov", 3))
                pol |= MRS_POL_ROV;
            else if (tl == 6 && !memcmp(t, "filter", 6))
                pol |= MRS_POL_FILTER;
            else if (tl == 4 && !memcmp(t, "aspa", 4))
                pol |= MRS_POL_ASPA;
            else if (tl == 3 && !memcmp(t, "otc", 3))
                pol |= MRS_POL_OTC;
            else if (tl > 8 && !memcmp(t, "prepend=", 8) && mrs_asn_parse(t + 8, tl - 8, &v) && v <= 3)
                mrs_pnet_set_prepend(g, i, v);
            else if (tl > 16 && !memcmp(t, "partial-transit=", 16) && mrs_asn_parse(t + 16, tl - 16, &v)) {
                uint32_t ci = mrs_pnet_index(g, v);
                if (ci == MRS_PNET_NONE)
                    (*unknown)++;
                else
                    mrs_pnet_set_partial_transit(g, i, ci);
            } else {
                mrs_diag_error_line(d, path, line, "unknown policy \"%.*s\" (rov, filter, aspa, otc, prepend=N, "
                                    "partial-transit=ASN)", (int)tl, t);
                bad = true;
            }
        }
        if (bad)
            rc = -1;
        else if (!skip && i != MRS_PNET_NONE)
            mrs_pnet_set_policy(g, i, pol);
    }
    return rc;
}

int mrs_whatif_run(mrs_pnet *g, const mrs_whatif_opts *o, mrs_whatif_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    double t0 = now_s();
    wi_ctx c;
    if (setup(g, o, &c, r, err, errlen) < 0)
        return -1;
    r->n_ases = mrs_pnet_count(g);
    r->cycle_ases = mrs_pnet_p2c_cycles(g, &r->cycle_example);
    if (route(g, &c, &r->without, err, errlen) < 0)
        return -1;
    r->capture_without = (double)r->without.captured / (double)c.denom;
    if (o->members && members(g, &c, r) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    r->space_without = space_of(g, &c);
    /* the adoption set, on top of the given deployment; restored afterwards */
    size_t n = mrs_pnet_count(g);
    unsigned *keep = malloc(n * sizeof *keep);
    if (!keep) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < n; i++)
        keep[i] = mrs_pnet_policy(g, i);
    int rc = 0;
    if (o->have_adopt) {
        r->adopt_unknown = malloc((o->n_adopt ? o->n_adopt : 1) * sizeof *r->adopt_unknown);
        if (!r->adopt_unknown) {
            free(keep);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        uint8_t *seen = calloc(n, 1);
        if (!seen) {
            free(keep);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        for (size_t k = 0; k < o->n_adopt; k++) {
            uint32_t i = mrs_pnet_index(g, o->adopt[k]);
            if (i == MRS_PNET_NONE) {
                r->adopt_unknown[r->n_adopt_unknown++] = o->adopt[k];
                continue;
            }
            r->adopt_used += !seen[i];
            seen[i] = 1;
            mrs_pnet_set_policy(g, i, mrs_pnet_policy(g, i) | o->action);
        }
        free(seen);
        rc = route(g, &c, &r->with, err, errlen);
    } else {
        r->with = r->without;
    }
    if (rc == 0) {
        r->capture_with = (double)r->with.captured / (double)c.denom;
        r->space_with = o->have_adopt ? space_of(g, &c) : r->space_without;
        if (o->greedy)
            rc = greedy(g, &c, r, err, errlen);
    }
    for (uint32_t i = 0; i < n; i++)
        mrs_pnet_set_policy(g, i, keep[i]);
    free(keep);
    r->seconds = now_s() - t0;
    return rc;
}

void mrs_whatif_result_clear(mrs_whatif_result *r)
{
    free(r->captured_asns);
    free(r->propagators);
    free(r->adopt_unknown);
    free(r->greedy);
    memset(r, 0, sizeof *r);
}
