/*
 * sim_write.c — writing the simulated world in the real public formats (CAIDA
 * serial-1 as-rel, RIR delegated-extended stats, rpki-client JSON, RPSL, PeeringDB
 * API JSON, a Spoofer-style CSV, MRT TABLE_DUMP_V2 and BGP4MP_ET) plus truth.json,
 * and the mrs_sim_* entry points. docs/sim.md describes every file.
 *
 * Assumes: the world is fully built (sim_world_build, sim_baseline, sim_incidents,
 * sim_churn). Files are written in a fixed order with no time stamps taken from the
 * clock, so the same seed gives the same bytes.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manrs/feeds/mrt.h"
#include "manrs/feeds/mrt_write.h"
#include "sim_internal.h"

void mrs_sim_params_default(mrs_sim_params *p)
{
    memset(p, 0, sizeof *p);
    p->ases = 2000;
    p->seed = 1;
    p->collectors = 4;
    p->peers_per_collector = 8;
    p->hours = 1;
    p->start = 1764547200u;
    p->manrs_share = 0.3;
    p->rov_share = 0.5;
    p->prefix_scale = 1;
    p->incidents = 3;
    p->churn = 2;
    p->confounders = true;
}

bool mrs_sim_params_check(const mrs_sim_params *p, char *err, size_t errlen)
{
#define BAD(...) return (snprintf(err, errlen, __VA_ARGS__), false)
    if (p->ases < 3)
        BAD("--ases must be at least 3 (got %u)", p->ases);
    if (p->ases > 200000)
        BAD("--ases must be at most 200000 (got %u)", p->ases);
    if (p->collectors < 1 || p->peers_per_collector < 1)
        BAD("--collectors and --peers-per-collector must be at least 1");
    if ((uint64_t)p->collectors > p->ases)
        BAD("more collectors (%u) than networks (%u)", p->collectors, p->ases);
    if ((uint64_t)p->collectors * p->peers_per_collector > p->ases)
        BAD("more collector peers (%u x %u) than networks (%u)", p->collectors, p->peers_per_collector, p->ases);
    if ((uint64_t)p->collectors * p->peers_per_collector > 4096)
        BAD("at most 4096 collector peers");
    if ((uint64_t)p->ases * p->collectors * p->peers_per_collector > 20000000)
        BAD("networks x collector peers must be at most 20 000 000 (memory for the baseline paths)");
    if (!(p->hours >= 0.5 && p->hours <= 744))
        BAD("--hours must be between 0.5 and 744");
    if ((uint64_t)p->start + (uint64_t)(p->hours * 3600) > UINT32_MAX || p->start < 86400u * 366)
        BAD("--start out of range");
    if (!(p->manrs_share >= 0 && p->manrs_share <= 1) || !(p->rov_share >= 0 && p->rov_share <= 1))
        BAD("shares must be between 0 and 1");
    if (!(p->prefix_scale > 0 && p->prefix_scale <= 50))
        BAD("--prefix-scale must be in (0, 50]");
    if (p->incidents > 1000)
        BAD("--incidents must be at most 1000");
    if (!(p->churn >= 0 && p->churn <= 1000))
        BAD("--churn must be between 0 and 1000");
    return true;
#undef BAD
}

/* ------------------------------------------------------------------ helpers */

typedef struct out {
    FILE *f;
    char path[4096];
    bool bad;
} out;

static bool out_open(out *o, const char *dir, const char *name, char *err, size_t errlen)
{
    snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
    o->f = fopen(o->path, "wb");
    o->bad = false;
    if (!o->f) {
        snprintf(err, errlen, "%s: %s", o->path, strerror(errno));
        return false;
    }
    return true;
}

static bool out_close(out *o, char *err, size_t errlen)
{
    bool ok = !ferror(o->f);
    if (fclose(o->f) != 0)
        ok = false;
    if (!ok)
        snprintf(err, errlen, "%s: write failed: %s", o->path, strerror(errno));
    return ok;
}

static const char *irr_source(unsigned rir)
{
    static const char *const s[RIR_N] = {"ARIN", "RIPE", "APNIC", "LACNIC", "AFRINIC"};
    return rir < RIR_N ? s[rir] : "RADB";
}

static void ymd(uint32_t t, char *buf, size_t n, bool iso)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (iso)
        strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        strftime(buf, n, "%Y%m%d", &tm);
}

typedef struct pair {
    uint32_t a, b;
    int rel;
} pair;

static int cmp_pair(const void *x, const void *y)
{
    const pair *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

/* Sort network indices by ASN (no qsort_r in C11: sort (asn, index) pairs). */
static void sort_by_asn(const sim_world *w, uint32_t *idx, size_t n)
{
    pair *pp = malloc(n * sizeof *pp);
    if (!pp)
        return;
    for (size_t i = 0; i < n; i++) {
        pp[i].a = w->as[idx[i]].asn;
        pp[i].b = idx[i];
    }
    qsort(pp, n, sizeof *pp, cmp_pair);
    for (size_t i = 0; i < n; i++)
        idx[i] = pp[i].b;
    free(pp);
}

/* ------------------------------------------------------------------ layout */

const char *mrs_world_file_name(mrs_world_file f)
{
    static const char *const names[MRS_WORLD_NFILES] = {
        "rib.mrt.gz",    "updates.mrt.gz", "vrps.json",   "irr.db",     "asrel.txt",
        "delegated.txt", "peeringdb.json", "spoofer.csv", "truth.json", "as2org.txt", "beacons.txt",
        "participants.yml", "rs.mrt.gz",
    };
    return (unsigned)f < MRS_WORLD_NFILES ? names[f] : "";
}

/* ------------------------------------------------------------------ as-rel */

static bool write_asrel(sim_world *w, const char *dir, char *err, size_t errlen)
{
    out o;
    if (!out_open(&o, dir, mrs_world_file_name(MRS_WORLD_ASREL), err, errlen))
        return false;
    size_t np = w->n_p2c + w->n_p2p + w->n_conf;
    pair *pp = malloc((np ? np : 1) * sizeof *pp);
    if (!pp) {
        fclose(o.f);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    size_t k = 0;
    for (uint32_t v = 0; v < w->n; v++) {
        const uint32_t *cu = sim_customers(w, v), *pe = sim_peers(w, v);
        for (uint32_t j = 0; j < w->as[v].n_cust; j++)
            pp[k++] = (pair){w->as[v].asn, w->as[cu[j]].asn, -1};
        for (uint32_t j = 0; j < w->as[v].n_peer; j++)
            if (w->as[v].asn < w->as[pe[j]].asn)
                pp[k++] = (pair){w->as[v].asn, w->as[pe[j]].asn, 0};
    }
    qsort(pp, k, sizeof *pp, cmp_pair);
    /* as-rel is an inference (confounders): sibling links as CAIDA writes them, hybrid
     * links and misinferred ones as the inference saw them, missing ones left out */
    size_t *at = malloc((w->n_conf ? w->n_conf : 1) * sizeof *at), k0 = k;
    if (!at) {
        free(pp);
        fclose(o.f);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (size_t i = 0; i < w->n_conf; i++) { /* find them all first: the edits reorder */
        const sim_conf *c = &w->conf[i];
        at[i] = SIZE_MAX;
        if (c->n_ases != 2 || c->rel_written == c->rel_real ||
            (c->kind != CF_SIBLINGS && c->kind != CF_HYBRID && c->kind != CF_ASREL_FLIP && c->kind != CF_ASREL_MISSING))
            continue;
        uint32_t a = c->ases[0], b = c->ases[1];
        pair key = c->rel_real == 0 ? (pair){a < b ? a : b, a < b ? b : a, 0} : (pair){a, b, -1};
        if (c->rel_real == 1) { /* sibling links are not among the others */
            at[i] = k;
            pp[k++] = key;
            continue;
        }
        pair *hit = bsearch(&key, pp, k0, sizeof *pp, cmp_pair);
        if (hit)
            at[i] = (size_t)(hit - pp);
    }
    bool resort = false;
    for (size_t i = 0; i < w->n_conf; i++) {
        if (at[i] == SIZE_MAX)
            continue;
        const sim_conf *c = &w->conf[i];
        uint32_t a = c->ases[0], b = c->ases[1];
        pp[at[i]] = c->rel_written == 0 ? (pair){a < b ? a : b, a < b ? b : a, 0} : (pair){a, b, c->rel_written};
        resort = true;
    }
    free(at);
    if (resort)
        qsort(pp, k, sizeof *pp, cmp_pair);
    fprintf(o.f, "# source: manrs sim, seed %llu (simulated world, not measured data)\n",
            (unsigned long long)w->par.seed);
    fprintf(o.f, "# input clique:");
    for (uint32_t v = 0; v < w->n; v++)
        if (w->as[v].kind == K_T1)
            fprintf(o.f, " %u", w->as[v].asn);
    fprintf(o.f, "\n# format: <provider-as>|<customer-as>|-1\n# format: <peer-as>|<peer-as>|0\n");
    for (size_t i = 0; i < k; i++)
        if (pp[i].rel != 9)
            fprintf(o.f, "%u|%u|%d\n", pp[i].a, pp[i].b, pp[i].rel);
    free(pp);
    return out_close(&o, err, errlen);
}

/* ------------------------------------------------------------------ delegated */

static bool write_delegated(sim_world *w, const char *dir, char *err, size_t errlen)
{
    out o;
    if (!out_open(&o, dir, mrs_world_file_name(MRS_WORLD_DELEGATED), err, errlen))
        return false;
    char today[16];
    ymd(w->par.start, today, sizeof today, false);
    /* counts first (summary lines must agree) */
    uint32_t maxend[256];
    memset(maxend, 0, sizeof maxend);
    unsigned n4 = 0, n6 = 0, nas = w->n, navail = 0;
    for (size_t i = 0; i < w->n_alloc; i++) {
        const sim_alloc *a = &w->alloc[i];
        if (a->p.afi == MRS_AFI_IPV4) {
            n4++;
            uint32_t s = (uint32_t)a->p.addr[0] << 24 | (uint32_t)a->p.addr[1] << 16 | (uint32_t)a->p.addr[2] << 8;
            uint32_t e = s + (1u << (32 - a->p.len));
            if (e - 1 - ((uint32_t)a->p.addr[0] << 24) + 1 > maxend[a->p.addr[0]])
                maxend[a->p.addr[0]] = e - ((uint32_t)a->p.addr[0] << 24);
        } else
            n6++;
    }
    for (unsigned r = 0; r < RIR_N; r++) {
        unsigned nb;
        const uint8_t *b = sim_rir_v4_blocks(r, &nb);
        for (unsigned i = 0; i < nb; i++)
            navail += maxend[b[i]] < (1u << 24);
    }
    fprintf(o.f, "# delegated-extended statistics of the simulated world (manrs sim, seed %llu)\n",
            (unsigned long long)w->par.seed);
    fprintf(o.f, "2.3|nro|%s|%u|19830101|%s|+0000\n", today, nas + n4 + navail + n6, today);
    fprintf(o.f, "nro|*|asn|*|%u|summary\n", nas);
    fprintf(o.f, "nro|*|ipv4|*|%u|summary\n", n4 + navail);
    fprintf(o.f, "nro|*|ipv6|*|%u|summary\n", n6);
    uint32_t *idx = malloc(w->n * sizeof *idx);
    if (!idx) {
        fclose(o.f);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < w->n; i++)
        idx[i] = i;
    sort_by_asn(w, idx, w->n);
    for (uint32_t i = 0; i < w->n; i++) {
        const sim_as *a = &w->as[idx[i]];
        fprintf(o.f, "%s|%s|asn|%u|1|%u|allocated|sim-%u\n", sim_rir_name(a->rir), sim_country(a), a->asn,
                19950101 + (a->name_seed % 30) * 10000 + (a->name_seed >> 8) % 12 * 100 + (a->name_seed >> 16) % 28,
                a->asn);
    }
    free(idx);
    for (size_t i = 0; i < w->n_alloc; i++) {
        const sim_alloc *al = &w->alloc[i];
        if (al->p.afi != MRS_AFI_IPV4)
            continue;
        const sim_as *a = &w->as[al->owner];
        char ip[MRS_IP_STRLEN];
        mrs_ip_format(MRS_AFI_IPV4, al->p.addr, ip);
        fprintf(o.f, "%s|%s|ipv4|%s|%u|%u|allocated|sim-%u\n", sim_rir_name(a->rir), sim_country(a), ip,
                1u << (32 - al->p.len), al->date, a->asn);
    }
    /* the rest of each RIR /8 is still available (RIR free pool) */
    for (unsigned r = 0; r < RIR_N; r++) {
        unsigned nb;
        const uint8_t *b = sim_rir_v4_blocks(r, &nb);
        for (unsigned i = 0; i < nb; i++) {
            if (maxend[b[i]] >= (1u << 24))
                continue;
            uint32_t s = (uint32_t)b[i] << 24 | maxend[b[i]];
            fprintf(o.f, "%s|ZZ|ipv4|%u.%u.%u.%u|%u|%s|available||\n", sim_rir_name(r), s >> 24, (s >> 16) & 255,
                    (s >> 8) & 255, s & 255, (1u << 24) - maxend[b[i]], "");
        }
    }
    for (size_t i = 0; i < w->n_alloc; i++) {
        const sim_alloc *al = &w->alloc[i];
        if (al->p.afi != MRS_AFI_IPV6)
            continue;
        const sim_as *a = &w->as[al->owner];
        char ip[MRS_IP_STRLEN];
        mrs_ip_format(MRS_AFI_IPV6, al->p.addr, ip);
        fprintf(o.f, "%s|%s|ipv6|%s|%u|%u|allocated|sim-%u\n", sim_rir_name(a->rir), sim_country(a), ip, al->p.len,
                al->date, a->asn);
    }
    return out_close(&o, err, errlen);
}

/* ------------------------------------------------------------------ RPKI */

static bool write_vrps(sim_world *w, const char *dir, char *err, size_t errlen)
{
    out o;
    if (!out_open(&o, dir, mrs_world_file_name(MRS_WORLD_VRPS), err, errlen))
        return false;
    static const char *const ta[RIR_N] = {"arin", "ripe", "apnic", "lacnic", "afrinic"};
    char iso[32];
    ymd(w->par.start, iso, sizeof iso, true);
    unsigned naspa = 0;
    for (uint32_t v = 0; v < w->n; v++)
        naspa += w->as[v].aspa;
    fprintf(o.f,
            "{\n\t\"metadata\": {\n\t\t\"buildmachine\": \"manrs-sim\",\n\t\t\"buildtime\": \"%s\",\n"
            "\t\t\"generated\": %u,\n\t\t\"generatedTime\": \"%s\",\n\t\t\"roas\": %zu,\n\t\t\"failedroas\": 0,\n"
            "\t\t\"invalidroas\": 0,\n\t\t\"aspas\": %u,\n\t\t\"vrps\": %zu,\n\t\t\"uniquevrps\": %zu\n\t},\n"
            "\t\"roas\": [\n",
            iso, w->par.start, iso, w->n_roa + w->n_xroa, naspa, w->n_roa + w->n_xroa, w->n_roa + w->n_xroa);
    uint32_t expires = w->par.start + 7 * 86400;
    for (size_t i = 0; i < w->n_roa + w->n_xroa; i++) {
        const sim_roa *r = i < w->n_roa ? &w->roa[i] : &w->xroa[i - w->n_roa];
        uint32_t own = sim_alloc_owner(w, &r->p);
        unsigned rir = own == SIM_NONE ? RIR_RIPE : w->as[w->alloc[own].owner].rir;
        char ps[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&r->p, ps);
        fprintf(o.f, "\t\t{ \"asn\": %u, \"prefix\": \"%s\", \"maxLength\": %u, \"ta\": \"%s\", \"expires\": %u }%s\n",
                r->asn, ps, r->maxlen, ta[rir], expires, i + 1 < w->n_roa + w->n_xroa ? "," : "");
    }
    fprintf(o.f, "\t],\n\t\"aspas\": [\n");
    uint32_t *idx = malloc(w->n * sizeof *idx);
    if (!idx) {
        fclose(o.f);
        return false;
    }
    for (uint32_t i = 0; i < w->n; i++)
        idx[i] = i;
    sort_by_asn(w, idx, w->n);
    unsigned done = 0;
    for (uint32_t i = 0; i < w->n; i++) {
        const sim_as *a = &w->as[idx[i]];
        if (!a->aspa)
            continue;
        fprintf(o.f, "\t\t{ \"customer_asid\": %u, \"expires\": %u, \"providers\": [", a->asn, expires);
        uint32_t pv[64];
        unsigned np = 0;
        const uint32_t *pr = sim_providers(w, idx[i]);
        for (uint32_t j = 0; j < a->n_prov && np < 64; j++)
            pv[np++] = w->as[pr[j]].asn;
        if (!np)
            pv[np++] = 0; /* AS0: no providers (Tier-1) */
        for (unsigned x = 1; x < np; x++) /* ascending, as rpki-client prints them */
            for (unsigned y = x; y > 0 && pv[y - 1] > pv[y]; y--) {
                uint32_t t = pv[y];
                pv[y] = pv[y - 1];
                pv[y - 1] = t;
            }
        for (unsigned x = 0; x < np; x++)
            fprintf(o.f, "%s%u", x ? ", " : " ", pv[x]);
        fprintf(o.f, " ] }%s\n", ++done < naspa ? "," : "");
    }
    free(idx);
    fprintf(o.f, "\t]\n}\n");
    if (w->sum) {
        w->sum->roas = (unsigned)(w->n_roa + w->n_xroa);
        w->sum->aspas = naspa;
    }
    return out_close(&o, err, errlen);
}

/* ------------------------------------------------------------------ IRR */

static void set_name(const sim_world *w, uint32_t v, char *buf, size_t n)
{
    if (w->as[v].n_cust)
        snprintf(buf, n, "AS%u:AS-CUSTOMERS", w->as[v].asn);
    else
        snprintf(buf, n, "AS%u", w->as[v].asn);
}

static void nic_hdl(const sim_as *a, const char *what, char *buf, size_t n)
{
    snprintf(buf, n, "%s%u-%s", what, a->asn, irr_source(a->rir));
}

static bool write_irr(sim_world *w, const char *dir, char *err, size_t errlen)
{
    out o;
    if (!out_open(&o, dir, mrs_world_file_name(MRS_WORLD_IRR), err, errlen))
        return false;
    FILE *f = o.f;
    fprintf(f, "%% RPSL dump of the simulated world (manrs sim, seed %llu)\n\n", (unsigned long long)w->par.seed);
    uint32_t *idx = malloc(w->n * sizeof *idx);
    if (!idx) {
        fclose(f);
        return false;
    }
    for (uint32_t i = 0; i < w->n; i++)
        idx[i] = i;
    sort_by_asn(w, idx, w->n);
    unsigned nroutes = 0;
    for (uint32_t ii = 0; ii < w->n; ii++) {
        uint32_t v = idx[ii];
        const sim_as *a = &w->as[v];
        const char *src = irr_source(a->rir);
        char name[64], dom[64], handle[64], mine[64], h_noc[64], h_ab[64];
        sim_as_name(a, name, sizeof name);
        sim_as_domain(a, dom, sizeof dom);
        sim_as_handle(a, handle, sizeof handle);
        set_name(w, v, mine, sizeof mine);
        nic_hdl(a, "NOC", h_noc, sizeof h_noc);
        nic_hdl(a, "AB", h_ab, sizeof h_ab);
        bool any = a->autnum || a->pfx_n;
        if (!any)
            continue;
        fprintf(f, "mntner:         MAINT-AS%u\ndescr:          %s\nupd-to:         noc@%s\n"
                   "auth:           BCRYPT-PW # Filtered\nmnt-by:         MAINT-AS%u\nsource:         %s\n\n",
                a->asn, name, dom, a->asn, src);
        bool roles = a->contacts && a->contact_irr;
        bool abuse = a->autnum && (a->manrs || (a->name_seed & 3) != 0);
        if (roles)
            fprintf(f, "role:           %s NOC\naddress:        %s\ne-mail:         noc@%s\nnic-hdl:        %s\n"
                       "mnt-by:         MAINT-AS%u\nsource:         %s\n\n",
                    name, sim_country(a), dom, h_noc, a->asn, src);
        if (abuse)
            fprintf(f, "role:           %s Abuse\naddress:        %s\nabuse-mailbox:  abuse@%s\nnic-hdl:        %s\n"
                       "mnt-by:         MAINT-AS%u\nsource:         %s\n\n",
                    name, sim_country(a), dom, h_ab, a->asn, src);
        if (a->autnum) {
            fprintf(f, "aut-num:        AS%u\nas-name:        %s\ndescr:          %s\n", a->asn, handle, name);
            if (a->autnum == 1) {
                const uint32_t *pr = sim_providers(w, v), *pe = sim_peers(w, v), *cu = sim_customers(w, v);
                char other[64];
                for (uint32_t j = 0; j < a->n_prov; j++)
                    fprintf(f, "import:         from AS%u accept ANY\nexport:         to AS%u announce %s\n",
                            w->as[pr[j]].asn, w->as[pr[j]].asn, mine);
                for (uint32_t j = 0; j < a->n_peer && j < 40; j++) {
                    set_name(w, pe[j], other, sizeof other);
                    fprintf(f, "import:         from AS%u accept %s\nexport:         to AS%u announce %s\n",
                            w->as[pe[j]].asn, other, w->as[pe[j]].asn, mine);
                }
                for (uint32_t j = 0; j < a->n_cust && j < 40; j++) {
                    set_name(w, cu[j], other, sizeof other);
                    fprintf(f, "import:         from AS%u accept %s\nexport:         to AS%u announce ANY\n",
                            w->as[cu[j]].asn, other, w->as[cu[j]].asn);
                }
            }
            if (roles)
                fprintf(f, "admin-c:        %s\ntech-c:         %s\n", h_noc, h_noc);
            if (abuse)
                fprintf(f, "abuse-c:        %s\n", h_ab);
            fprintf(f, "mnt-by:         MAINT-AS%u\nsource:         %s\n\n", a->asn, src);
        }
        if (a->n_cust) {
            fprintf(f, "as-set:         %s\ndescr:          customers of %s\n", mine, name);
            const uint32_t *cu = sim_customers(w, v);
            fprintf(f, "members:        AS%u", a->asn);
            for (uint32_t j = 0; j < a->n_cust; j++) {
                char other[64];
                set_name(w, cu[j], other, sizeof other);
                fprintf(f, "%s%s", (j + 1) % 8 == 0 ? "\nmembers:        " : ", ", other);
            }
            fprintf(f, "\nmnt-by:         MAINT-AS%u\nsource:         %s\n\n", a->asn, src);
        }
        const char *rsrc = a->routes_radb ? "RADB" : src;
        for (uint32_t j = 0; j < a->pfx_n; j++) {
            const sim_pfx *p = &w->pfx[a->pfx_first + j];
            if (!p->irr)
                continue;
            char ps[MRS_PREFIX_STRLEN];
            mrs_prefix_format(&p->p, ps);
            bool v6 = p->p.afi == MRS_AFI_IPV6;
            fprintf(f, "%s%s%s\ndescr:          %s\norigin:         AS%u\nmnt-by:         MAINT-AS%u\nsource:         %s\n\n",
                    v6 ? "route6:         " : "route:          ", ps, "", name, p->irr == 1 ? a->asn : p->stale_origin,
                    a->asn, rsrc);
            nroutes++;
        }
    }
    free(idx);
    if (w->sum)
        w->sum->irr_routes = nroutes;
    return out_close(&o, err, errlen);
}

/* ------------------------------------------------------------------ beacons */

/* The routing beacons the built-in RIS list does not know (kb/beacon.h format). */
static bool write_beacons(sim_world *w, const char *dir, char *err, size_t errlen)
{
    out o;
    if (!out_open(&o, dir, mrs_world_file_name(MRS_WORLD_BEACONS), err, errlen))
        return false;
    fprintf(o.f, "# routing beacons (manrs sim, seed %llu): prefix origin\n", (unsigned long long)w->par.seed);
    for (size_t i = 0; i < w->n_conf; i++)
        if (w->conf[i].kind == CF_LAB_BEACON) {
            char ps[MRS_PREFIX_STRLEN];
            mrs_prefix_format(&w->conf[i].prefix, ps);
            fprintf(o.f, "%s AS%u\n", ps, w->conf[i].ases[0]);
        }
    return out_close(&o, err, errlen);
}

/* ------------------------------------------------------------------ as2org */

/* CAIDA AS-to-Organization, pipe format of 2014 and later: every network with its
 * organisation (siblings share their parent's), organisations first. */
static bool write_as2org(sim_world *w, const char *dir, char *err, size_t errlen)
{
    out o;
    if (!out_open(&o, dir, mrs_world_file_name(MRS_WORLD_AS2ORG), err, errlen))
        return false;
    FILE *f = o.f;
    uint32_t *idx = malloc((w->n ? w->n : 1) * sizeof *idx);
    if (!idx) {
        fclose(f);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < w->n; i++)
        idx[i] = i;
    sort_by_asn(w, idx, w->n);
    char day[16];
    ymd(w->par.start - 86400 * 30, day, sizeof day, false);
    fprintf(f, "# source: manrs sim, seed %llu (simulated world, not measured data)\n",
            (unsigned long long)w->par.seed);
    fprintf(f, "# format:org_id|changed|org_name|country|source\n");
    for (uint32_t ii = 0; ii < w->n; ii++) {
        const sim_as *a = &w->as[idx[ii]];
        if (a->org != idx[ii])
            continue;
        char name[64];
        sim_as_name(a, name, sizeof name);
        fprintf(f, "SIM-%u-%s|%s|%s|%s|%s\n", a->asn, irr_source(a->rir), day, name, sim_country(a),
                irr_source(a->rir));
    }
    fprintf(f, "# format:aut|changed|aut_name|org_id|opaque_id|source\n");
    for (uint32_t ii = 0; ii < w->n; ii++) {
        const sim_as *a = &w->as[idx[ii]], *org = &w->as[a->org];
        char handle[64];
        sim_as_handle(a, handle, sizeof handle);
        fprintf(f, "%u|%s|%s|SIM-%u-%s|sim-%u|%s\n", a->asn, day, handle, org->asn, irr_source(org->rir), a->asn,
                irr_source(a->rir));
    }
    free(idx);
    return out_close(&o, err, errlen);
}

/* ------------------------------------------------------------------ PeeringDB */

static bool write_pdb(sim_world *w, const char *dir, char *err, size_t errlen)
{
    out o;
    if (!out_open(&o, dir, mrs_world_file_name(MRS_WORLD_PEERINGDB), err, errlen))
        return false;
    FILE *f = o.f;
    uint32_t *idx = malloc(w->n * sizeof *idx);
    if (!idx) {
        fclose(f);
        return false;
    }
    for (uint32_t i = 0; i < w->n; i++)
        idx[i] = i;
    sort_by_asn(w, idx, w->n);
    static const char *const type[4] = {"NSP", "NSP", "Content", "Cable/DSL/ISP"};
    static const char *const pol[3] = {"Open", "Selective", "Restrictive"};
    char iso[32];
    ymd(w->par.start - 86400 * 400, iso, sizeof iso, true);
    fprintf(f, "{\"data\": [");
    bool first = true;
    for (uint32_t ii = 0; ii < w->n; ii++) {
        uint32_t v = idx[ii];
        const sim_as *a = &w->as[v];
        if (!a->in_pdb)
            continue;
        char name[64], dom[64], set[64];
        sim_as_name(a, name, sizeof name);
        sim_as_domain(a, dom, sizeof dom);
        set_name(w, v, set, sizeof set);
        unsigned n4 = 0, n6 = 0;
        for (uint32_t j = 0; j < a->pfx_n; j++)
            *(w->pfx[a->pfx_first + j].p.afi == MRS_AFI_IPV4 ? &n4 : &n6) += 1;
        fprintf(f,
                "%s\n{\"id\": %u, \"org_id\": %u, \"name\": \"%s\", \"aka\": \"\", \"website\": \"https://www.%s/\", "
                "\"asn\": %u, \"irr_as_set\": \"%s\", \"info_type\": \"%s\", \"info_prefixes4\": %u, "
                "\"info_prefixes6\": %u, \"info_scope\": \"%s\", \"info_unicast\": true, \"info_ipv6\": %s, "
                "\"policy_general\": \"%s\", \"status\": \"ok\", \"created\": \"%s\", \"updated\": \"%s\", \"poc_set\": [",
                first ? "" : ",", v + 1, a->org + 10001, name, dom, a->asn, a->autnum ? set : "", type[a->kind], n4 * 2, n6 * 2,
                a->kind == K_T1 ? "Global" : "Regional", a->has_v6 ? "true" : "false", pol[a->name_seed % 3], iso, iso);
        first = false;
        if (a->contacts && a->contact_pdb)
            fprintf(f,
                    "{\"id\": %u, \"role\": \"NOC\", \"visible\": \"Public\", \"name\": \"%s NOC\", \"phone\": \"\", "
                    "\"email\": \"noc@%s\", \"url\": \"\", \"status\": \"ok\"}, "
                    "{\"id\": %u, \"role\": \"Policy\", \"visible\": \"Public\", \"name\": \"Peering\", \"phone\": \"\", "
                    "\"email\": \"peering@%s\", \"url\": \"\", \"status\": \"ok\"}",
                    2 * v + 1, name, dom, 2 * v + 2, dom);
        fprintf(f, "]}");
    }
    fprintf(f, "\n], \"meta\": {}}\n");
    free(idx);
    return out_close(&o, err, errlen);
}

/* ------------------------------------------------------------------ Spoofer */

static bool write_spoofer(sim_world *w, const char *dir, char *err, size_t errlen)
{
    out o;
    if (!out_open(&o, dir, mrs_world_file_name(MRS_WORLD_SPOOFER), err, errlen))
        return false;
    FILE *f = o.f;
    fprintf(f, "session,timestamp,asn,client_prefix,country,nat,spoof_private,spoof_routed\n");
    uint32_t W = (uint32_t)(w->par.hours * 3600);
    unsigned session = 100000;
    uint32_t last_event = w->par.start;
    for (size_t i = 0; i < w->n_ev; i++)
        last_event = w->ev[i].ts > last_event ? w->ev[i].ts : last_event;
    uint32_t *idx = malloc(w->n * sizeof *idx);
    if (!idx) {
        fclose(f);
        return false;
    }
    for (uint32_t i = 0; i < w->n; i++)
        idx[i] = i;
    sort_by_asn(w, idx, w->n);
    for (uint32_t ii = 0; ii < w->n; ii++) {
        const sim_as *a = &w->as[idx[ii]];
        double test = a->manrs ? 0.7 : 0.35;
        if (sim_unit(w) >= test)
            continue;
        unsigned ns = 1 + sim_below(w, 4);
        for (unsigned s = 0; s < ns; s++) {
            const sim_pfx *p = NULL;
            for (unsigned t = 0; t < 8 && a->pfx_n; t++) {
                const sim_pfx *q = &w->pfx[a->pfx_first + sim_below(w, a->pfx_n)];
                if (q->p.afi == MRS_AFI_IPV4 && !(q->conf && sim_alloc_owner(w, &q->p) != SIM_NONE &&
                                                  w->alloc[sim_alloc_owner(w, &q->p)].owner != q->owner)) {
                    p = q;
                    break;
                }
            }
            if (!p)
                break;
            mrs_prefix c = p->p;
            c.len = 24;
            char ps[MRS_PREFIX_STRLEN];
            mrs_prefix_format(&c, ps);
            const char *routed = a->anti_spoof ? (sim_unit(w) < 0.9 ? "blocked" : "rewritten") : "received";
            const char *priv = a->anti_spoof ? "blocked" : (sim_unit(w) < 0.7 ? "received" : "blocked");
            /* drawn in the order the files of earlier versions had them */
            const char *nat = sim_unit(w) < 0.6 ? "yes" : "no";
            uint32_t when = w->par.start + sim_below(w, W);
            fprintf(f, "%u,%u,%u,%s,%s,%s,%s,%s\n", session++, when, a->asn, ps, sim_country(a), nat, priv, routed);
            if (when <= last_event)   /* the observatory reads tests within the routing data's time */
                w->as[idx[ii]].spoof_tested = true;
        }
    }
    free(idx);
    return out_close(&o, err, errlen);
}

/* ------------------------------------------------------------------ MRT */

typedef struct peer_info {
    uint8_t ip[4], ip6[16];
    uint32_t asn;
    unsigned collector;
} peer_info;

static void peer_addresses(const sim_world *w, unsigned k, peer_info *pi)
{
    const sim_as *a = &w->as[w->peer[k]];
    memset(pi, 0, sizeof *pi);
    pi->asn = a->asn;
    pi->collector = k / w->par.peers_per_collector;
    bool got4 = false, got6 = false;
    for (uint32_t j = 0; j < a->pfx_n; j++) {
        const mrs_prefix *p = &w->pfx[a->pfx_first + j].p;
        if (p->afi == MRS_AFI_IPV4 && !got4) {
            memcpy(pi->ip, p->addr, 4);
            pi->ip[3] = (uint8_t)(1 + pi->collector);
            got4 = true;
        } else if (p->afi == MRS_AFI_IPV6 && !got6) {
            memcpy(pi->ip6, p->addr, 16);
            pi->ip6[15] = (uint8_t)(1 + pi->collector);
            got6 = true;
        }
    }
    if (!got4) { /* no IPv4 space: an address from the collector's exchange LAN */
        pi->ip[0] = 193;
        pi->ip[1] = 0;
        pi->ip[2] = (uint8_t)(10 + pi->collector);
        pi->ip[3] = (uint8_t)(1 + k % 250);
    }
    if (!got6) { /* IPv4-mapped next hop */
        pi->ip6[10] = pi->ip6[11] = 0xff;
        memcpy(pi->ip6 + 12, pi->ip, 4);
    }
}

static void fill_route(bgp_route *r, const mrs_prefix *p, const peer_info *pi, const uint32_t *path, unsigned n,
                       uint32_t otc)
{
    memset(r, 0, sizeof *r); /* no communities: put_update adds one when the event has it */
    r->has_otc = otc != 0;
    r->otc = otc;
    r->origin = 0;
    r->path = path;
    r->path_len = n;
    r->next_hop_afi = p->afi;
    if (p->afi == MRS_AFI_IPV4)
        memcpy(r->next_hop, pi->ip, 4);
    else
        memcpy(r->next_hop, pi->ip6, 16);
}

typedef struct pfx_ref {
    mrs_prefix p;
    uint32_t owner;
    uint8_t inv;
    uint32_t x_lo, x_hi;                /* owner SIM_NONE: entries xs[x_lo .. x_hi) of w->xrib */
} pfx_ref;

static int cmp_xrib(const void *x, const void *y)
{
    const sim_xrib *a = x, *b = y;
    int c = mrs_prefix_cmp(&a->p, &b->p);
    return c ? c : (a->peer > b->peer) - (a->peer < b->peer);
}

static int cmp_pfx_ref(const void *x, const void *y)
{
    return mrs_prefix_cmp(&((const pfx_ref *)x)->p, &((const pfx_ref *)y)->p);
}

static bool write_rib(sim_world *w, const char *dir, const peer_info *pis, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, mrs_world_file_name(MRS_WORLD_RIB));
    mrt_writer *mw = mrt_writer_open(path, err, errlen);
    if (!mw)
        return false;
    mrs_bytes b;
    mrs_bytes_init(&b);
    mrt_peer_entry *pe = calloc(w->n_peers, sizeof *pe);
    pfx_ref *refs = malloc((w->n_pfx + w->n_xrib + 1) * sizeof *refs);
    sim_xrib *xs = malloc((w->n_xrib + 1) * sizeof *xs);
    if (!pe || !refs || !xs) {
        free(pe);
        free(refs);
        free(xs);
        mrt_writer_close(mw);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (unsigned k = 0; k < w->n_peers; k++) {
        pe[k].afi = MRS_AFI_IPV4;
        memcpy(pe[k].ip, pis[k].ip, 4);
        pe[k].asn = pis[k].asn;
        memcpy(pe[k].bgp_id, pis[k].ip, 4);
    }
    const uint8_t cid[4] = {193, 0, 4, 28};
    mrt_put_peer_index(&b, cid, "manrs-sim", pe, w->n_peers);
    uint32_t T0 = w->par.start;
    bool ok = mrt_write_bytes(mw, T0, 0, MRT_TABLE_DUMP_V2, MRT_TD2_PEER_INDEX_TABLE, &b);
    uint64_t recs = 1, entries = 0;
    size_t nr = 0, nx = 0;
    for (size_t i = 0; i < w->n_pfx; i++) {
        if (w->pfx[i].late)
            continue; /* not announced yet */
        refs[nr].p = w->pfx[i].p;
        refs[nr].owner = w->pfx[i].owner;
        refs[nr].inv = w->pfx[i].inv;
        nr++;
    }
    /* the confounders' routes held at the start (default, anycast, beacons) */
    for (size_t i = 0; i < w->n_xrib; i++)
        if (w->xrib[i].in_rib)
            xs[nx++] = w->xrib[i];
    qsort(xs, nx, sizeof *xs, cmp_xrib);
    for (size_t i = 0; i < nx;) {
        size_t j = i;
        while (j < nx && mrs_prefix_equal(&xs[j].p, &xs[i].p))
            j++;
        refs[nr] = (pfx_ref){xs[i].p, SIM_NONE, 0, (uint32_t)i, (uint32_t)j};
        nr++;
        i = j;
    }
    qsort(refs, nr, sizeof *refs, cmp_pfx_ref);
    uint32_t seq = 0;
    for (size_t i = 0; i < nr && ok; i++) {
        const mrs_prefix *p = &refs[i].p;
        b.len = 0;
        size_t cnt = mrt_put_rib_header(&b, seq, p);
        unsigned ne = 0;
        for (unsigned k = 0; k < w->n_peers; k++) {
            const uint32_t *ap;
            unsigned plen;
            uint32_t otc = 0;
            if (refs[i].owner == SIM_NONE) {
                size_t x = refs[i].x_lo;
                while (x < refs[i].x_hi && xs[x].peer != k)
                    x++;
                if (x == refs[i].x_hi)
                    continue;
                ap = w->evpool + xs[x].path_off;
                plen = xs[x].path_len;
                otc = xs[x].otc;
            } else {
                size_t c = sim_bcell(w, refs[i].owner, refs[i].inv, k);
                ap = w->bpool + w->boff[c];
                plen = w->blen[c];
                otc = w->botc[c];
            }
            if (!plen)
                continue;
            bgp_route r;
            fill_route(&r, p, &pis[k], ap, plen, otc);
            uint32_t age = (uint32_t)((sim_prefix_key(p) * 2654435761u + k * 40503u) % (86400u * 20));
            mrt_put_rib_entry(&b, (uint16_t)k, T0 - 600 - age, &r, p);
            ne++;
        }
        if (!ne)
            continue;
        mrt_patch_u16(&b, cnt, (uint16_t)ne);
        ok = mrt_write_bytes(mw, T0, 0, MRT_TABLE_DUMP_V2,
                              p->afi == MRS_AFI_IPV6 ? MRT_TD2_RIB_IPV6_UNICAST : MRT_TD2_RIB_IPV4_UNICAST, &b);
        seq++;
        recs++;
        entries += ne;
    }
    free(pe);
    free(refs);
    free(xs);
    mrs_bytes_clear(&b);
    ok &= mrt_writer_close(mw);
    if (!ok)
        snprintf(err, errlen, "%s: write failed", path);
    if (w->sum) {
        w->sum->rib_records = recs;
        w->sum->rib_entries = entries;
    }
    return ok;
}

static int cmp_event(const void *x, const void *y)
{
    const sim_event *a = x, *b = y;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    if (a->usec != b->usec)
        return a->usec < b->usec ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void collector_ip(unsigned c, uint8_t ip[4])
{
    ip[0] = 193;
    ip[1] = 0;
    ip[2] = 4;
    ip[3] = (uint8_t)(28 + c);
}

static bool put_update(sim_world *w, mrt_writer *mw, mrs_bytes *b, mrs_bytes *msg, uint32_t ts, uint32_t usec,
                       const peer_info *pi, const mrs_prefix *pf, unsigned npf, const uint32_t *path, unsigned n,
                       uint32_t otc, uint32_t comm)
{
    msg->len = 0;
    if (n) {
        bgp_route r;
        fill_route(&r, &pf[0], pi, path, n, otc);
        if (comm) {
            r.communities = &comm;
            r.n_communities = 1;
        }
        bgp_put_update(msg, NULL, 0, &r, pf, npf, 4);
        if (w->sum)
            w->sum->announcements += npf;
    } else {
        bgp_put_update(msg, pf, npf, NULL, NULL, 0, 4);
        if (w->sum)
            w->sum->withdrawals += npf;
    }
    uint8_t lip[4];
    collector_ip(pi->collector, lip);
    b->len = 0;
    mrt_put_bgp4mp_message(b, pi->asn, SIM_COLLECTOR_AS, MRS_AFI_IPV4, pi->ip, lip, msg->p, msg->len, true);
    if (w->sum)
        w->sum->update_records++;
    return mrt_write_bytes(mw, ts, usec, MRT_BGP4MP_ET, MRT_BGP4MP_MESSAGE_AS4, b);
}

static bool write_updates(sim_world *w, const char *dir, const peer_info *pis, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, mrs_world_file_name(MRS_WORLD_UPDATES));
    mrt_writer *mw = mrt_writer_open(path, err, errlen);
    if (!mw)
        return false;
    qsort(w->ev, w->n_ev, sizeof *w->ev, cmp_event);
    mrs_bytes b, msg;
    mrs_bytes_init(&b);
    mrs_bytes_init(&msg);
    bool ok = true;
    unsigned reset_peer = w->n_peers - 1;
    uint32_t reset_up = 0;
    for (size_t i = 0; i < w->n_ev && ok; i++) {
        const sim_event *e = &w->ev[i];
        const peer_info *pi = &pis[e->peer];
        if (e->kind == 2) {
            uint8_t lip[4];
            collector_ip(pi->collector, lip);
            b.len = 0;
            mrt_put_bgp4mp_state(&b, pi->asn, SIM_COLLECTOR_AS, MRS_AFI_IPV4, pi->ip, lip, e->st_old, e->st_new);
            ok = mrt_write_bytes(mw, e->ts, e->usec, MRT_BGP4MP_ET, MRT_BGP4MP_STATE_CHANGE_AS4, &b);
            if (w->sum) {
                w->sum->state_changes++;
                w->sum->update_records++;
            }
            if (e->st_new == 6)
                reset_up = e->ts;
            continue;
        }
        ok = put_update(w, mw, &b, &msg, e->ts, e->usec, pi, &e->p, 1, w->evpool + e->path_off, e->path_len, e->otc,
                        e->comm);
    }
    /* after the session reset the peer sends its whole table again, one UPDATE per
     * origin and family with up to 200 (IPv4) or 100 (IPv6) prefixes */
    if (reset_up && ok) {
        mrs_prefix *batch = malloc(200 * sizeof *batch);
        uint32_t usec = 0, ts = reset_up + 1;
        for (uint32_t o = 0; o < w->n && ok && batch; o++) {
            const sim_as *a = &w->as[o];
            for (unsigned fv = 0; fv < 4 && ok; fv++) {
                unsigned fam = fv < 2 ? MRS_AFI_IPV4 : MRS_AFI_IPV6, variant = fv & 1;
                size_t c = sim_bcell(w, o, variant, reset_peer);
                if (!w->blen[c])
                    continue;
                unsigned nb = 0, cap = fam == MRS_AFI_IPV4 ? 200 : 100;
                for (uint32_t j = 0; j <= a->pfx_n && ok; j++) {
                    if (j < a->pfx_n && w->pfx[a->pfx_first + j].p.afi == fam &&
                        w->pfx[a->pfx_first + j].inv == variant)
                        batch[nb++] = w->pfx[a->pfx_first + j].p;
                    if (nb && (nb == cap || j == a->pfx_n)) {
                        ok = put_update(w, mw, &b, &msg, ts, usec, &pis[reset_peer], batch, nb, w->bpool + w->boff[c],
                                        w->blen[c], w->botc[c], 0);
                        nb = 0;
                        if ((usec += 137) >= 1000000) {
                            usec = 0;
                            ts++;
                        }
                    }
                }
            }
        }
        /* and the confounders' routes it holds at the end (default, anycast, beacons) */
        for (size_t i = 0; i < w->n_xrib && ok && batch; i++) {
            const sim_xrib *x = &w->xrib[i];
            if (x->peer != reset_peer || !x->at_end)
                continue;
            ok = put_update(w, mw, &b, &msg, ts, usec, &pis[reset_peer], &x->p, 1, w->evpool + x->path_off,
                            x->path_len, x->otc, 0);
            if ((usec += 137) >= 1000000) {
                usec = 0;
                ts++;
            }
        }
        if (!batch)
            ok = false;
        free(batch);
    }
    mrs_bytes_clear(&b);
    mrs_bytes_clear(&msg);
    ok &= mrt_writer_close(mw);
    if (!ok)
        snprintf(err, errlen, "%s: write failed", path);
    return ok;
}

/* ------------------------------------------------------------------ the IXP */

/* The route server's RIB at the window start: one peer per member (an address in
 * the peering LAN), each member's own prefixes (path: the member) and its direct
 * customers' (path: member customer), as a transparent route server passes them
 * on (RFC 7947 §2.2.2). A route server that filters (MANRS IXP Action 1) passes
 * only routes with a route object of their origin that are not RPKI-invalid; one
 * that does not passes them all, and w->ixp_bad besides. */
typedef struct rs_route {             /* prefix, member (index), customer (SIM_NONE: own) */
    mrs_prefix p;
    uint32_t member, second;
} rs_route;

static int cmp_rs_route(const void *x, const void *y)
{
    const rs_route *a = x, *b = y;
    int c = mrs_prefix_cmp(&a->p, &b->p);
    return c ? c : (a->member > b->member) - (a->member < b->member);
}

static bool write_rs_rib(sim_world *w, const char *dir, char *err, size_t errlen)
{
    if (!w->ixp_rs_asn || !w->n_ixp_members)
        return true;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, mrs_world_file_name(MRS_WORLD_RS_RIB));
    mrt_writer *mw = mrt_writer_open(path, err, errlen);
    if (!mw)
        return false;
    static const uint8_t lan[4] = SIM_IXP_LAN_V4;
    uint32_t nm = w->n_ixp_members;
    mrt_peer_entry *pe = calloc(nm, sizeof *pe);
    peer_info *pis = calloc(nm, sizeof *pis);
    size_t cap = 2 + 2 * (size_t)w->n_pfx, n = 0;
    rs_route *rr = malloc(cap * sizeof *rr);
    mrs_bytes b;
    mrs_bytes_init(&b);
    bool ok = pe && pis && rr;
    for (uint32_t k = 0; ok && k < nm; k++) {
        const sim_as *a = &w->as[w->ixp_members[k]];
        memcpy(pis[k].ip, lan, 4);
        pis[k].ip[3] = (uint8_t)(1 + k);
        pis[k].asn = a->asn;
        pe[k].afi = MRS_AFI_IPV4;
        memcpy(pe[k].ip, pis[k].ip, 4);
        memcpy(pe[k].bgp_id, pis[k].ip, 4);
        pe[k].asn = a->asn;
        for (uint32_t j = 0; j < a->pfx_n && n < cap; j++) {
            const sim_pfx *q = &w->pfx[a->pfx_first + j];
            if (q->p.afi == MRS_AFI_IPV4 && !q->late && !q->conf && !q->inv && (q->irr == 1 || !w->ixp_filters))
                rr[n++] = (rs_route){q->p, k, SIM_NONE};
        }
        const uint32_t *cu = sim_customers(w, w->ixp_members[k]);
        for (uint32_t c = 0; c < a->n_cust; c++) {
            const sim_as *ca = &w->as[cu[c]];
            for (uint32_t j = 0; j < ca->pfx_n && j < 4 && n < cap; j++) {
                const sim_pfx *q = &w->pfx[ca->pfx_first + j];
                if (q->p.afi == MRS_AFI_IPV4 && !q->late && !q->conf && !q->inv && (q->irr == 1 || !w->ixp_filters))
                    rr[n++] = (rs_route){q->p, k, cu[c]};
            }
        }
    }
    for (unsigned i = 0; ok && i < w->n_ixp_bad && n < cap; i++)
        rr[n++] = (rs_route){w->ixp_bad[i], w->ixp_bad_member[i], SIM_NONE};
    if (ok) {
        qsort(rr, n, sizeof *rr, cmp_rs_route); /* one RIB record per prefix */
        const uint8_t cid[4] = {lan[0], lan[1], lan[2], 254};
        mrt_put_peer_index(&b, cid, "sim-ix-rs", pe, (uint16_t)nm);
        ok = mrt_write_bytes(mw, w->par.start, 0, MRT_TABLE_DUMP_V2, MRT_TD2_PEER_INDEX_TABLE, &b);
    }
    uint32_t seq = 0;
    for (size_t i = 0; ok && i < n;) {
        size_t j = i;
        b.len = 0;
        size_t cnt = mrt_put_rib_header(&b, seq++, &rr[i].p);
        unsigned ne = 0;
        for (; j < n && mrs_prefix_equal(&rr[j].p, &rr[i].p); j++) {
            if (j > i && rr[j].member == rr[j - 1].member)
                continue; /* a member announces a prefix once */
            uint32_t ap[2] = {pis[rr[j].member].asn, rr[j].second == SIM_NONE ? 0 : w->as[rr[j].second].asn};
            bgp_route r;
            fill_route(&r, &rr[j].p, &pis[rr[j].member], ap, rr[j].second == SIM_NONE ? 1 : 2, 0);
            mrt_put_rib_entry(&b, (uint16_t)rr[j].member, w->par.start - 3600, &r, &rr[j].p);
            ne++;
        }
        mrt_patch_u16(&b, cnt, (uint16_t)ne);
        ok = mrt_write_bytes(mw, w->par.start, 0, MRT_TABLE_DUMP_V2, MRT_TD2_RIB_IPV4_UNICAST, &b);
        i = j;
    }
    free(pe);
    free(pis);
    free(rr);
    mrs_bytes_clear(&b);
    ok &= mrt_writer_close(mw);
    if (!ok)
        snprintf(err, errlen, "%s: write failed", path);
    return ok;
}

/* ------------------------------------------------------------------ truth */

static bool write_truth(sim_world *w, const char *dir, const peer_info *pis, char *err, size_t errlen)
{
    out o;
    if (!out_open(&o, dir, mrs_world_file_name(MRS_WORLD_TRUTH), err, errlen))
        return false;
    FILE *f = o.f;
    const mrs_sim_params *P = &w->par;
    fprintf(f, "{\n\"generator\": {\"name\": \"manrs sim\", \"seed\": %llu, \"ases\": %u, \"collectors\": %u, "
               "\"peers_per_collector\": %u, \"hours\": %g, \"manrs_share\": %g, \"rov_share\": %g, "
               "\"prefix_scale\": %g, \"incidents_per_class\": %u, \"churn\": %g},\n",
            (unsigned long long)P->seed, P->ases, P->collectors, P->peers_per_collector, P->hours, P->manrs_share,
            P->rov_share, P->prefix_scale, P->incidents, P->churn);
    fprintf(f, "\"window\": {\"start\": %u, \"end\": %u},\n", P->start, P->start + (uint32_t)(P->hours * 3600));
    uint32_t top;
    double cone = sim_largest_cone(w, &top);
    fprintf(f, "\"largest_cone_share\": %.4f, \"largest_cone_asn\": %u,\n", cone, top == SIM_NONE ? 0 : w->as[top].asn);
    fprintf(f, "\"collectors\": [");
    for (unsigned c = 0; c < P->collectors; c++) {
        uint8_t lip[4];
        collector_ip(c, lip);
        fprintf(f, "%s\n {\"name\": \"sim-rrc%02u\", \"local_as\": %u, \"local_ip\": \"%u.%u.%u.%u\", \"peers\": [",
                c ? "," : "", c, SIM_COLLECTOR_AS, lip[0], lip[1], lip[2], lip[3]);
        for (unsigned j = 0; j < P->peers_per_collector; j++) {
            unsigned k = c * P->peers_per_collector + j;
            char ip[MRS_IP_STRLEN];
            mrs_ip_format(MRS_AFI_IPV4, pis[k].ip, ip);
            fprintf(f, "%s{\"asn\": %u, \"ip\": \"%s\"}", j ? ", " : "", pis[k].asn, ip);
        }
        fprintf(f, "]}");
    }
    fprintf(f, "\n],\n\"incidents\": [");
    for (size_t i = 0; i < w->n_inc; i++) {
        const sim_incident *I = &w->inc[i];
        char ps[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&I->prefix, ps);
        fprintf(f, "%s\n {\"id\": %zu, \"class\": \"%s\", \"culprit\": %u, \"propagators\": [", i ? "," : "", i + 1,
                mrs_sim_class_name(I->cls), w->as[I->culprit].asn);
        for (unsigned j = 0; j < I->n_prop; j++)
            fprintf(f, "%s%u", j ? ", " : "", I->propagators[j]);
        fprintf(f, "], \"prefix\": \"%s\", \"start\": %u, \"end\": %u, \"visible_peers\": %u", ps, I->start, I->end,
                I->visible_peers);
        if (I->cls == INC_LEAK)
            fprintf(f, ", \"leak_type\": %u", I->leak_type);
        if (I->victim)
            fprintf(f, ", \"victim\": %u", I->victim);
        if (I->note)
            fprintf(f, ", \"note\": \"%s\"", I->note);
        fprintf(f, "}");
    }
    fprintf(f, "\n],\n\"confounders\": [");
    static const char *const rel[] = {"p2c", "p2p", "s2s"};
    for (size_t i = 0; i < w->n_conf; i++) {
        const sim_conf *c = &w->conf[i];
        fprintf(f, "%s\n {\"kind\": \"%s\"", i ? "," : "", sim_conf_kind_name(c->kind));
        if (c->has_prefix) {
            char ps[MRS_PREFIX_STRLEN];
            mrs_prefix_format(&c->prefix, ps);
            fprintf(f, ", \"prefix\": \"%s\"", ps);
        }
        fprintf(f, ", \"ases\": [");
        for (unsigned j = 0; j < c->n_ases; j++)
            fprintf(f, "%s%u", j ? ", " : "", c->ases[j]);
        fprintf(f, "]");
        if (c->rel_real >= -1 && c->rel_real <= 1) /* a link: ases[0] is the provider of a p2c one */
            fprintf(f, ", \"relationship\": \"%s\", \"asrel\": \"%s\"", rel[c->rel_real + 1],
                    c->rel_written == 9 ? "absent" : rel[c->rel_written + 1]);
        if (c->start || c->end)
            fprintf(f, ", \"start\": %u", c->start);
        if (c->end)
            fprintf(f, ", \"end\": %u", c->end);
        if (c->has_prefix)
            fprintf(f, ", \"visible_peers\": %u", c->visible_peers);
        fprintf(f, ", \"why\": \"%s\"}", c->why);
    }
    fprintf(f, "\n],\n\"link_failures\": [");
    for (size_t i = 0; i < w->n_fail; i++) {
        const sim_failure *F = &w->fail[i];
        fprintf(f, "%s\n {\"provider\": %u, \"customer\": %u, \"start\": %u, \"end\": %u, \"prefixes\": %u}", i ? "," : "",
                w->as[F->a].asn, w->as[F->b].asn, F->start, F->end, F->prefixes);
    }
    fprintf(f, "\n],\n\"networks\": [");
    uint32_t *idx = malloc(w->n * sizeof *idx);
    if (!idx) {
        fclose(f);
        return false;
    }
    for (uint32_t i = 0; i < w->n; i++)
        idx[i] = i;
    sort_by_asn(w, idx, w->n);
    static const char *const kind[4] = {"tier1", "transit", "content", "stub"};
    for (uint32_t ii = 0; ii < w->n; ii++) {
        const sim_as *a = &w->as[idx[ii]];
        double rc = a->pfx_n ? (double)a->roa_ok / a->pfx_n : 0, ic = a->pfx_n ? (double)a->irr_ok / a->pfx_n : 0;
        fprintf(f,
                "%s\n {\"asn\": %u, \"manrs_participant\": %s, \"filters_customers\": %s, \"rov\": %s, "
                "\"anti_spoofing\": %s, \"contacts\": %s, \"roa_coverage\": %.4f, \"irr_coverage\": %.4f, "
                "\"rpki_invalid_share\": %.4f, \"irr_policy\": %s, \"otc\": %s, \"kind\": \"%s\", \"country\": \"%s\", "
                "\"prefixes\": %u",
                ii ? "," : "", a->asn, a->manrs ? "true" : "false", a->filters ? "true" : "false",
                a->rov ? "true" : "false", a->anti_spoof ? "true" : "false", a->contacts ? "true" : "false", rc, ic,
                a->pfx_n ? (double)a->roa_inv / a->pfx_n : 0.0, a->autnum == 1 ? "true" : "false", a->otc ? "true" : "false", kind[a->kind],
                sim_country(a), a->pfx_n);
        /* path prepending (traffic engineering), for a router that wants to
         * route as the simulator did (manrs whatif --policy) */
        if (a->prepend)
            fprintf(f, ", \"prepend\": %u", a->prepend < 4 ? a->prepend : 3u);
        fputc('}', f);
    }
    free(idx);
    fprintf(f, "\n],\n");
    sim_participants_truth(w, f);
    fprintf(f, "\n}\n");
    return out_close(&o, err, errlen);
}

/* ------------------------------------------------------------------ entry points */

int mrs_sim_write(const mrs_sim_params *p, const char *dir, mrs_sim_summary *sum, char *err, size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!mrs_sim_params_check(p, err, errlen))
        return -1;
    mrs_sim_summary local;
    if (!sum)
        sum = &local;
    memset(sum, 0, sizeof *sum);
    sim_world w;
    memset(&w, 0, sizeof w);
    w.par = *p;
    w.rng = p->seed * 0x9e3779b97f4a7c15ULL ^ 0x6d616e7273ULL;
    w.n = p->ases;
    w.sum = sum;
    int rc = sim_world_build(&w);
    if (rc == 0)
        rc = sim_participants_plan(&w);
    if (rc == 0)
        rc = sim_baseline(&w);
    if (rc == 0)
        rc = sim_confound_routes(&w);
    if (rc == 0)
        rc = sim_incidents(&w);
    if (rc == 0)
        rc = sim_churn(&w);
    if (rc == 0)
        rc = sim_lapses(&w);
    if (rc < 0) {
        snprintf(err, errlen, "out of memory building the world");
        sim_world_free(&w);
        return -1;
    }
    peer_info *pis = calloc(w.n_peers, sizeof *pis);
    if (!pis) {
        snprintf(err, errlen, "out of memory");
        sim_world_free(&w);
        return -1;
    }
    for (unsigned k = 0; k < w.n_peers; k++)
        peer_addresses(&w, k, &pis[k]);
    bool ok = write_asrel(&w, dir, err, errlen) && write_delegated(&w, dir, err, errlen) &&
              write_vrps(&w, dir, err, errlen) && write_irr(&w, dir, err, errlen) && write_pdb(&w, dir, err, errlen) &&
              write_spoofer(&w, dir, err, errlen) && write_rib(&w, dir, pis, err, errlen) &&
              write_updates(&w, dir, pis, err, errlen) && sim_participants_write(&w, dir, err, errlen) &&
              write_rs_rib(&w, dir, err, errlen) &&
              write_truth(&w, dir, pis, err, errlen) &&
              (!p->confounders || write_as2org(&w, dir, err, errlen)) &&
              (!p->confounders || write_beacons(&w, dir, err, errlen));
    /* summary */
    uint64_t roa_ok = 0, irr_ok = 0;
    for (uint32_t v = 0; v < w.n; v++) {
        const sim_as *a = &w.as[v];
        sum->networks++;
        sum->tier1 += a->kind == K_T1;
        sum->transit += a->kind == K_TRANSIT;
        sum->content += a->kind == K_CONTENT;
        sum->stub += a->kind == K_STUB;
        sum->manrs += a->manrs;
        sum->rov += a->rov;
        roa_ok += a->roa_ok;
        sum->prefixes_invalid += a->roa_inv;
        irr_ok += a->irr_ok;
    }
    for (size_t i = 0; i < w.n_pfx; i++)
        *(w.pfx[i].p.afi == MRS_AFI_IPV4 ? &sum->prefixes_v4 : &sum->prefixes_v6) += 1;
    sum->largest_cone_share = sim_largest_cone(&w, &sum->largest_cone_asn);
    if (sum->largest_cone_asn != SIM_NONE)
        sum->largest_cone_asn = w.as[sum->largest_cone_asn].asn;
    sum->links_p2c = w.n_p2c;
    sum->links_p2p = w.n_p2p;
    sum->roa_coverage = w.n_pfx ? (double)roa_ok / w.n_pfx : 0;
    sum->irr_coverage = w.n_pfx ? (double)irr_ok / w.n_pfx : 0;
    sum->collector_peers = w.n_peers;
    for (size_t i = 0; i < w.n_conf; i++) {
        sum->links_s2s += w.conf[i].kind == CF_SIBLINGS;
        sum->confounders++;
        sum->confounders_by_kind[w.conf[i].kind]++;
    }
    free(pis);
    sim_world_free(&w);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sum->seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    return ok ? 0 : -1;
}

void mrs_sim_summary_print(FILE *f, const mrs_sim_summary *s)
{
    fprintf(f, "networks       %u (tier-1 %u, transit %u, content %u, stub %u)\n", s->networks, s->tier1, s->transit,
            s->content, s->stub);
    fprintf(f, "MANRS          %u participants, %u networks enforce ROV\n", s->manrs, s->rov);
    fprintf(f, "links          %u (provider-customer %u, peering %u, siblings %u)\n",
            s->links_p2c + s->links_p2p + s->links_s2s, s->links_p2c, s->links_p2p, s->links_s2s);
    fprintf(f, "largest cone   %.1f %% of the networks (AS%u's customer cone)\n", 100 * s->largest_cone_share,
            s->largest_cone_asn);
    fprintf(f, "prefixes       %u (IPv4 %u, IPv6 %u)\n", s->prefixes_v4 + s->prefixes_v6, s->prefixes_v4,
            s->prefixes_v6);
    fprintf(f, "RPKI           %u ROAs, %u ASPAs, ROA coverage %.1f %%, %u prefixes RPKI-invalid (ROA mistakes)\n", s->roas,
            s->aspas, 100 * s->roa_coverage, s->prefixes_invalid);
    fprintf(f, "IRR            %u route objects, IRR coverage %.1f %%\n", s->irr_routes, 100 * s->irr_coverage);
    fprintf(f, "collectors     %u peers\n", s->collector_peers);
    fprintf(f, "incidents      %u (visible at a collector peer: %u):", s->incidents, s->incidents_visible);
    for (unsigned c = 0; c < MRS_SIM_CLASSES; c++)
        fprintf(f, " %s %u%s", mrs_sim_class_name(c), s->incidents_by_class[c], c + 1 < MRS_SIM_CLASSES ? "," : "\n");
    fprintf(f, "confounders    %u", s->confounders);
    for (unsigned k = 0, first = 1; k < CF_KINDS; k++)
        if (s->confounders_by_kind[k]) {
            fprintf(f, "%s%s %u", first ? ": " : ", ", sim_conf_kind_name(k), s->confounders_by_kind[k]);
            first = 0;
        }
    fprintf(f, "%s\n", s->confounders ? "" : " (--no-confounders)");
    fprintf(f, "rib.mrt.gz     %llu records, %llu entries\n", (unsigned long long)s->rib_records,
            (unsigned long long)s->rib_entries);
    fprintf(f, "updates.mrt.gz %llu records (%llu announced, %llu withdrawn prefixes, %llu state changes)\n",
            (unsigned long long)s->update_records, (unsigned long long)s->announcements,
            (unsigned long long)s->withdrawals, (unsigned long long)s->state_changes);
    fprintf(f, "time           %.2f s (%llu route computations)\n", s->seconds, (unsigned long long)s->route_runs);
}
