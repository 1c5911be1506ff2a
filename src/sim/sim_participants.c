/*
 * sim_participants.c — the simulated world's MANRS participants: every
 * organisation with a MANRS network joins (its MANRS networks as its ASNs); some
 * commit honestly to what they do (a few to less: filtering alone, or only their
 * contacts, which no sign-up rule accepts), some to all four Actions whatever they
 * do; a quarter are MANRS+. participants.yml is the registry (kb/participants.h), and
 * truth.json's "participants" gives the conformance the world's ground truth
 * implies for the window (docs/sim.md):
 *
 *   Action 1  not conformant when the network is the culprit of an incident that a
 *             collector peer saw, or the provider next to the culprit on a collector
 *             peer's path of it (the C metrics); route leaks count for MANRS+ only
 *             (mrs_tier_policy_default); no data when it originates nothing;
 *   Action 2  no data without a Spoofer test; conformant when it filters spoofing;
 *   Action 3  conformant with public contacts; no data when nothing describes it;
 *   Action 4  RPKI (valid - 10 x invalid) and IRR coverage of its prefixes against the
 *             tier's minimum, either (MANRS) or both (MANRS+).
 *
 * Some lapse (sim_participants_plan): one network committed to filtering whose
 * providers are not in MANRS starts originating another network's prefix in a
 * month of early 2026, half of them for two months only; sim_lapses injects that
 * hijack into a world of such a month, and "history" gives the outcome of every
 * month of the programme (docs/sim.md).
 *
 * The draws come from a generator of their own, so the rest of the world is the
 * same with or without this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/date.h"
#include "manrs/kb/participants.h"
#include "sim_internal.h"

typedef struct sim_part {
    uint32_t head;              /* the organisation's first network (index) */
    uint32_t *members;          /* indices, by ASN */
    unsigned n;
    uint8_t *commit;            /* per member: MRS_ACTION_BIT */
    uint8_t tier;               /* mrs_tier */
    bool honest;
    uint32_t joined;            /* YYYYMMDD */
    uint32_t lapse, recover;    /* YYYYMM it starts originating others' space, and stops (0: never) */
} sim_part;

void sim_participants_free(sim_world *w)
{
    free(w->lapsed);
    w->lapsed = NULL;
    w->n_lapsed = 0;
    free(w->ixp_members);
    w->ixp_members = NULL;
    w->n_ixp_members = 0;
    for (size_t i = 0; i < w->n_part; i++) {
        free(w->part[i].members);
        free(w->part[i].commit);
    }
    free(w->part);
    w->part = NULL;
    w->n_part = 0;
}

typedef struct member_key {
    uint64_t key;               /* organisation's first network's ASN << 32 | the network's ASN */
    uint32_t v;
} member_key;

static int cmp_key(const void *a, const void *b)
{
    uint64_t x = ((const member_key *)a)->key, y = ((const member_key *)b)->key;
    return x < y ? -1 : x > y;
}

static double rpki_pct(const sim_as *a)
{
    double v = (double)a->roa_ok - 10.0 * a->roa_inv;
    return a->pfx_n ? 100.0 * (v > 0 ? v : 0) / a->pfx_n : -1;
}

static double irr_pct(const sim_as *a) { return a->pfx_n ? 100.0 * a->irr_ok / a->pfx_n : -1; }

static uint32_t add_months(uint32_t ym, unsigned n)
{
    unsigned y = ym / 100, m = ym % 100 - 1 + n;
    return (y + m / 12) * 100 + m % 12 + 1;
}

/* The world's month, YYYYMM. */
static uint32_t world_month(const sim_world *w)
{
    int64_t y;
    unsigned m, d;
    mrs_civil_from_days((int64_t)(w->par.start / 86400), &y, &m, &d);
    return (uint32_t)(y * 100 + m);
}

static bool lapsed_in(const sim_part *p, uint32_t ym)
{
    return p->lapse && ym >= p->lapse && (!p->recover || ym < p->recover);
}

/* A participant that can lapse without another participant being its accomplice:
 * one network, committed to filtering, with providers of which none is in MANRS. */
static bool lapse_eligible(const sim_world *w, const sim_part *p)
{
    if (p->n != 1 || !(p->commit[0] & MRS_ACTION_BIT(1)))
        return false;
    const sim_as *a = &w->as[p->members[0]];
    if (a->kind == K_T1 || !a->n_prov)
        return false;
    for (uint32_t k = 0; k < a->n_prov; k++)
        if (w->as[w->adj[a->adj_off + k]].manrs)
            return false;
    return true;
}

static bool asn_taken(const sim_world *w, uint32_t asn)
{
    for (uint32_t v = 0; v < w->n; v++)
        if (w->as[v].asn == asn)
            return true;
    return false;
}

/* The IXP: a route server (an ASN no network of the world has) with up to 24
 * members that announce prefixes, half of the time one that lets through what
 * MANRS IXP Action 1 asks it to filter: an RPKI-invalid route (another network's
 * prefix its ROA does not authorise the member to originate) and a bogon prefix. */
static int build_ixp(sim_world *w)
{
    static const uint32_t rs_candidates[] = {59900, 59901, 61955, 62998, 63999, 51706, 47541};
    for (size_t i = 0; i < sizeof rs_candidates / sizeof rs_candidates[0] && !w->ixp_rs_asn; i++)
        if (!asn_taken(w, rs_candidates[i]))
            w->ixp_rs_asn = rs_candidates[i];
    if (!w->ixp_rs_asn)
        return 0; /* no IXP in this world */
    uint32_t want = w->n < 48 ? w->n / 2 : 24;
    if (!(w->ixp_members = malloc((want ? want : 1) * sizeof *w->ixp_members)))
        return -1;
    for (unsigned t = 0; t < 50 * want && w->n_ixp_members < want; t++) {
        uint32_t v = sim_below(w, w->n);
        bool dup = false;
        for (uint32_t j = 0; j < w->n_ixp_members && !dup; j++)
            dup = w->ixp_members[j] == v;
        if (dup || !w->as[v].pfx_n || w->as[v].kind == K_T1)
            continue;
        w->ixp_members[w->n_ixp_members++] = v;
    }
    /* by ASN, as a RIB's peer table would list them */
    for (uint32_t i = 1; i < w->n_ixp_members; i++)
        for (uint32_t j = i; j > 0 && w->as[w->ixp_members[j - 1]].asn > w->as[w->ixp_members[j]].asn; j--) {
            uint32_t x = w->ixp_members[j];
            w->ixp_members[j] = w->ixp_members[j - 1];
            w->ixp_members[j - 1] = x;
        }
    w->ixp_filters = sim_unit(w) < 0.5;
    if (w->ixp_filters || w->n_ixp_members < 2)
        return 0;
    /* an RPKI-invalid route: a prefix with a ROA, originated by a member that is not its holder */
    for (unsigned t = 0; t < 400; t++) {
        const sim_pfx *q = &w->pfx[sim_below(w, (uint32_t)w->n_pfx)];
        uint32_t m = sim_below(w, w->n_ixp_members);
        if (!q->roa || q->conf || q->late || q->owner == w->ixp_members[m] || q->p.afi != MRS_AFI_IPV4 ||
            sim_rpki_state(w, &q->p, w->as[w->ixp_members[m]].asn) != RPKI_INVALID)
            continue;
        w->ixp_bad[w->n_ixp_bad] = q->p;
        w->ixp_bad_member[w->n_ixp_bad++] = m;
        break;
    }
    /* a bogon: RFC 1918 space */
    mrs_prefix b;
    memset(&b, 0, sizeof b);
    b.afi = MRS_AFI_IPV4;
    b.len = 24;
    b.addr[0] = 10;
    b.addr[1] = (uint8_t)sim_below(w, 256);
    b.addr[2] = (uint8_t)sim_below(w, 256);
    w->ixp_bad[w->n_ixp_bad] = b;
    w->ixp_bad_member[w->n_ixp_bad++] = sim_below(w, w->n_ixp_members);
    return 0;
}

static int build(sim_world *w)
{
    if (w->part)
        return 0;
    /* the MANRS networks grouped by organisation, organisations in ASN order */
    member_key *mk = malloc((w->n ? w->n : 1) * sizeof *mk);
    if (!mk)
        return -1;
    size_t nm = 0;
    for (uint32_t v = 0; v < w->n; v++)
        if (w->as[v].manrs)
            mk[nm++] = (member_key){(uint64_t)w->as[w->as[v].org].asn << 32 | w->as[v].asn, v};
    qsort(mk, nm, sizeof *mk, cmp_key);
    uint64_t keep = w->rng;
    w->rng = w->par.seed * 0x9e3779b97f4a7c15ULL ^ 0x7061727469636970ULL; /* "particip" */
    int64_t first = mrs_days_from_civil(2014, 11, 6), last = mrs_days_from_civil(2025, 10, 31);
    int rc = 0;
    for (size_t i = 0; i < nm && rc == 0;) {
        size_t j = i;
        while (j < nm && mk[j].key >> 32 == mk[i].key >> 32)
            j++;
        sim_part *t = realloc(w->part, (w->n_part + 1) * sizeof *t);
        if (!t) {
            rc = -1;
            break;
        }
        w->part = t;
        sim_part *p = &w->part[w->n_part++];
        memset(p, 0, sizeof *p);
        p->head = w->as[mk[i].v].org;
        p->members = malloc((j - i) * sizeof *p->members);
        p->commit = calloc(j - i, 1);
        if (!p->members || !p->commit) {
            rc = -1;
            break;
        }
        for (size_t q = i; q < j; q++)
            p->members[p->n++] = mk[q].v;
        i = j;
        p->honest = sim_unit(w) < 0.7;
        p->tier = sim_unit(w) < 0.25 ? MRS_TIER_PLUS : MRS_TIER_MANRS;
        int64_t y, day = first + (int64_t)sim_below(w, (uint32_t)(last - first + 1));
        unsigned m, d;
        mrs_civil_from_days(day, &y, &m, &d);
        p->joined = (uint32_t)(y * 10000 + m * 100 + d);
        for (unsigned k = 0; k < p->n; k++) {
            const sim_as *b = &w->as[p->members[k]];
            uint8_t c = 0;
            if (!p->honest)
                c = MRS_ACTION_BIT(1) | MRS_ACTION_BIT(2) | MRS_ACTION_BIT(3) | MRS_ACTION_BIT(4);
            else {
                c |= b->filters ? MRS_ACTION_BIT(1) : 0;
                c |= b->anti_spoof ? MRS_ACTION_BIT(2) : 0;
                c |= b->contacts ? MRS_ACTION_BIT(3) : 0;
                c |= rpki_pct(b) >= 90 || irr_pct(b) >= 90 ? MRS_ACTION_BIT(4) : 0;
                /* some sign up with less than they do: filtering alone (enough since
                 * 2016, not in 2014), or only their contacts (never enough) */
                double u = sim_unit(w);
                if (u < 0.04 || !c)
                    c = MRS_ACTION_BIT(3);
                else if (u < 0.12 && (c & MRS_ACTION_BIT(1)))
                    c = MRS_ACTION_BIT(1);
            }
            p->commit[k] = c;
        }
        /* some lapse: from a month of early 2026 on, half of them for two months only */
        if (lapse_eligible(w, p) && sim_unit(w) < 0.2) {
            p->lapse = 202601 + sim_below(w, 3);
            if (sim_unit(w) < 0.5)
                p->recover = add_months(p->lapse, 2);
        }
    }
    if (rc == 0)
        rc = build_ixp(w);
    w->rng = keep;
    free(mk);
    if (rc)
        w->oom = true;
    return rc;
}

int sim_participants_plan(sim_world *w)
{
    if (build(w) != 0)
        return -1;
    uint32_t ym = world_month(w);
    for (size_t i = 0; i < w->n_part; i++)
        if (lapsed_in(&w->part[i], ym)) {
            uint32_t *t = realloc(w->lapsed, (w->n_lapsed + 1) * sizeof *t);
            if (!t) {
                w->oom = true;
                return -1;
            }
            w->lapsed = t;
            w->lapsed[w->n_lapsed++] = w->part[i].members[0];
        }
    return 0;
}

bool sim_participants_write(sim_world *w, const char *dir, char *err, size_t errlen)
{
    if (build(w) != 0) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, mrs_world_file_name(MRS_WORLD_PARTICIPANTS));
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot create", path);
        return false;
    }
    fprintf(f, "# MANRS participants of a simulated world (manrs sim, seed %llu): not real organisations.\n"
               "# Format: docs/participants.schema.json, docs/programme.md.\n"
               "version: 1\nparticipants:\n",
            (unsigned long long)w->par.seed);
    for (size_t i = 0; i < w->n_part; i++) {
        const sim_part *p = &w->part[i];
        const sim_as *h = &w->as[p->head];
        char name[64], dom[64];
        sim_as_name(h, name, sizeof name);
        sim_as_domain(h, dom, sizeof dom);
        fprintf(f, "  - organisation: \"%s\"\n    id: as%u\n    programme: network-operator\n    tier: %s\n"
                   "    joined: %04u-%02u-%02u\n    contact: noc@%s\n    asns:\n",
                name, h->asn, mrs_tier_name((mrs_tier)p->tier), p->joined / 10000, p->joined / 100 % 100,
                p->joined % 100, dom);
        for (unsigned k = 0; k < p->n; k++) {
            fprintf(f, "      - {asn: %u, actions: [", w->as[p->members[k]].asn);
            for (unsigned a = 1, first = 1; a <= 4; a++)
                if (p->commit[k] & MRS_ACTION_BIT(a)) {
                    fprintf(f, "%s%u", first ? "" : ", ", a);
                    first = 0;
                }
            fprintf(f, "]}\n");
        }
    }
    if (w->ixp_rs_asn) {
        static const uint8_t lan[4] = SIM_IXP_LAN_V4;
        fprintf(f, "  - organisation: \"Simulated Internet Exchange\"\n    id: sim-ix\n    programme: ixp\n"
                   "    tier: manrs\n    joined: 2019-06-01\n    contact: ops@sim-ix.example\n"
                   "    route-server: %u\n    peering-lan: [%u.%u.%u.%u/%u]\n    actions: [1, 2, 3]\n",
                w->ixp_rs_asn, lan[0], lan[1], lan[2], lan[3], SIM_IXP_LAN_LEN);
    }
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        snprintf(err, errlen, "%s: write failed", path);
        return false;
    }
    return true;
}

static bool is_provider(const sim_world *w, uint32_t prov_asn, uint32_t cust)
{
    const sim_as *c = &w->as[cust];
    for (uint32_t k = 0; k < c->n_prov; k++)
        if (w->as[w->adj[c->adj_off + k]].asn == prov_asn)
            return true;
    return false;
}

/* The verdict the ground truth implies (see the head of the file): 0 no data,
 * 1 conformant, 2 not conformant. with_lapse: count the incidents of participants
 * that lapsed this month (without: what the network does in a month it keeps its
 * word). */
static int truth_verdict(const sim_world *w, uint32_t v, unsigned action, const mrs_tier_policy *pol, bool with_lapse)
{
    const sim_as *a = &w->as[v];
    switch (action) {
    case 1:
        if (!a->pfx_n)
            return 0;
        for (size_t i = 0; i < w->n_inc; i++) {
            const sim_incident *I = &w->inc[i];
            if (!I->visible_peers || (I->cls == INC_LEAK && !pol->leaks_count) || (I->lapse && !with_lapse))
                continue;
            if (I->culprit == v)
                return 2;
            for (unsigned k = 0; k < I->n_acc; k++)
                if (I->acc[k] == a->asn && is_provider(w, a->asn, I->culprit))
                    return 2;
        }
        return 1;
    case 2:
        return !a->spoof_tested ? 0 : a->anti_spoof ? 1 : 2;
    case 3:
        return a->contacts ? 1 : a->autnum || a->in_pdb ? 2 : 0;
    default: {
        if (!a->pfx_n)
            return 0;
        /* its own prefixes, and what it originated of others' space in an incident
         * enough collector peers saw (the observatory counts those too) */
        double total = a->pfx_n, valid = a->roa_ok, invalid = a->roa_inv, irr = a->irr_ok;
        for (size_t i = 0; i < w->n_inc; i++) {
            const sim_incident *I = &w->inc[i];
            if (I->culprit != v || I->visible_peers < 5 || (I->lapse && !with_lapse) ||
                (I->cls != INC_HIJACK_ORIGIN && I->cls != INC_HIJACK_SUB && I->cls != INC_RPKI_INVALID))
                continue;
            int st = sim_rpki_state(w, &I->prefix, a->asn);
            total++;
            valid += st == RPKI_VALID;
            invalid += st == RPKI_INVALID;
        }
        double rv = valid - 10.0 * invalid;
        double r = 100.0 * (rv > 0 ? rv : 0) / total, ic = 100.0 * irr / total;
        double sc = pol->action4_both ? (r < ic ? r : ic) : (r > ic ? r : ic);
        return sc + 1e-9 >= pol->action_min[4] ? 1 : 2;
    }
    }
}

/* A participant's outcome over its committed Actions (any not -> not, else any
 * conformant -> conformant, else no data). */
static int truth_outcome(const sim_world *w, const sim_part *p, const mrs_tier_policy *pol, bool with_lapse)
{
    int outcome = 0;
    for (unsigned k = 0; k < p->n; k++)
        for (unsigned a = 1; a <= 4; a++)
            if (p->commit[k] & MRS_ACTION_BIT(a)) {
                int v = truth_verdict(w, p->members[k], a, pol, with_lapse);
                outcome = v > outcome ? v : outcome;
            }
    return outcome;
}

/* The programme of the simulated worlds starts in December 2025 (the default
 * window): "history" lists the months from then to this world's. */
#define SIM_PROGRAMME_START 202512u

void sim_participants_truth(sim_world *w, FILE *f)
{
    fprintf(f, "\"participants\": [");
    if (build(w) != 0)
        return; /* w->oom fails the write */
    static const char *const names[3] = {"no-data", "conformant", "not-conformant"};
    uint32_t ym = world_month(w);
    for (size_t i = 0; i < w->n_part; i++) {
        const sim_part *p = &w->part[i];
        mrs_tier_policy pol;
        mrs_tier_policy_default((mrs_tier)p->tier, &pol);
        fprintf(f, "%s\n {\"id\": \"as%u\", \"tier\": \"%s\", \"honest\": %s, \"asns\": [", i ? "," : "",
                w->as[p->head].asn, mrs_tier_name((mrs_tier)p->tier), p->honest ? "true" : "false");
        for (unsigned k = 0; k < p->n; k++) {
            fprintf(f, "%s{\"asn\": %u, \"actions\": {", k ? ", " : "", w->as[p->members[k]].asn);
            for (unsigned a = 1, first = 1; a <= 4; a++)
                if (p->commit[k] & MRS_ACTION_BIT(a)) {
                    fprintf(f, "%s\"%u\": \"%s\"", first ? "" : ", ", a,
                            names[truth_verdict(w, p->members[k], a, &pol, true)]);
                    first = 0;
                }
            fprintf(f, "}}");
        }
        fprintf(f, "], \"outcome\": \"%s\"", names[truth_outcome(w, p, &pol, true)]);
        if (p->lapse) {
            fprintf(f, ", \"lapse\": \"%04u-%02u\"", p->lapse / 100, p->lapse % 100);
            if (p->recover)
                fprintf(f, ", \"recover\": \"%04u-%02u\"", p->recover / 100, p->recover % 100);
        }
        /* every month of the programme up to this one: the month a participant
         * lapses in fails; the others are what it does when it keeps its word */
        int base = truth_outcome(w, p, &pol, false);
        fprintf(f, ", \"history\": [");
        uint32_t from = ym < SIM_PROGRAMME_START ? ym : SIM_PROGRAMME_START;
        for (uint32_t m = from, first = 1; m <= ym; m = add_months(m, 1), first = 0)
            fprintf(f, "%s{\"period\": \"%04u-%02u\", \"outcome\": \"%s\"}", first ? "" : ", ", m / 100, m % 100,
                    names[m == ym ? truth_outcome(w, p, &pol, true) : lapsed_in(p, m) ? 2 : base]);
        fprintf(f, "]}");
    }
    if (w->ixp_rs_asn) {
        /* the IXP: Action 1 from what its route server accepted; 2 and 3 are not in
         * routing data */
        const char *a1 = w->ixp_filters ? "conformant" : "not-conformant";
        fprintf(f, "%s\n {\"id\": \"sim-ix\", \"tier\": \"manrs\", \"honest\": %s, \"route_server\": %u, "
                   "\"members\": %u, \"asns\": [{\"asn\": %u, \"actions\": {\"1\": \"%s\", \"2\": \"not-measured\", "
                   "\"3\": \"not-measured\"}}], \"outcome\": \"%s\", \"history\": [",
                w->n_part ? "," : "", w->ixp_filters ? "true" : "false", w->ixp_rs_asn, w->n_ixp_members,
                w->ixp_rs_asn, a1, a1);
        uint32_t from = ym < SIM_PROGRAMME_START ? ym : SIM_PROGRAMME_START;
        for (uint32_t m = from, first = 1; m <= ym; m = add_months(m, 1), first = 0)
            fprintf(f, "%s{\"period\": \"%04u-%02u\", \"outcome\": \"%s\"}", first ? "" : ", ", m / 100, m % 100, a1);
        fprintf(f, "]}");
    }
    fprintf(f, "\n]");
}
