/*
 * programme.h — the MANRS programme on top of the observatory (docs/programme.md):
 * the sign-up rules as they changed over time, per-action conformance of the
 * participants' networks from the observatory's high-confidence results, and the
 * enforcement state machine across periods.
 *
 * Pure functions over the registry (kb/participants.h), the networks' metrics and
 * the incidents: what decides a verdict is all here, so that a mark (docs/programme.md)
 * can be re-derived from the same inputs bit for bit.
 */
#ifndef MANRS_ANALYSIS_PROGRAMME_H
#define MANRS_ANALYSIS_PROGRAMME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/analysis/incident.h"
#include "manrs/analysis/metrics.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/participants.h"

/* ---- sign-up rules: named, dated rule sets */
typedef struct mrs_ruleset mrs_ruleset;

size_t mrs_ruleset_count(void);
const mrs_ruleset *mrs_ruleset_at_index(size_t i);     /* oldest first */
const mrs_ruleset *mrs_ruleset_current(void);          /* the default */
const mrs_ruleset *mrs_ruleset_by_name(const char *name);
/* The rule set in force on a date (YYYYMMDD): the newest not after it; NULL before 2014. */
const mrs_ruleset *mrs_ruleset_in_force(uint32_t yyyymmdd);
const char *mrs_ruleset_name(const mrs_ruleset *r);    /* "manrs-2014" */
uint32_t mrs_ruleset_since(const mrs_ruleset *r);      /* YYYYMMDD it took effect (first of the month when
                                                          only the month is on record) */
const char *mrs_ruleset_summary(const mrs_ruleset *r, mrs_programme p);  /* NULL: no such programme yet */
/* Does the participant's commitment meet the rule set? If not, why (one sentence;
 * for per-ASN programmes the first ASN that does not). */
bool mrs_signup_check(const mrs_ruleset *r, const mrs_participant *p, char *why, size_t whylen);

/* ---- conformance */
typedef enum mrs_verdict {
    MRS_VERDICT_CONFORMANT = 0,     /* "conformant" */
    MRS_VERDICT_NOT,                /* "not-conformant" */
    MRS_VERDICT_NO_DATA,            /* "no-data": the inputs say nothing about it */
    MRS_VERDICT_NOT_MEASURED,       /* "not-measured": no routing data can show it (IXP, vendor,
                                       Actions 5-6: `manrs ixp` checks a route server) */
} mrs_verdict;
const char *mrs_verdict_name(mrs_verdict v);
bool mrs_verdict_parse(const char *s, mrs_verdict *v);

/* Incident ids are those of the run (incident.h), listed in id order. */
typedef struct mrs_action_verdict {
    mrs_verdict verdict;
    double score;               /* the figure compared (percent), -1 without data */
    double min;                 /* the tier's minimum */
    char basis[128];            /* the metrics behind it, e.g. "M2 100, M2C 69.6, M3 100, ..." */
    uint64_t *incidents;        /* counted against it (owned) */
    size_t n_incidents;
    uint64_t *disputed;         /* excluded while disputed or after a dispute was upheld (owned) */
    size_t n_disputed;
} mrs_action_verdict;

typedef struct mrs_asn_verdicts {
    uint32_t asn;
    uint8_t committed;          /* MRS_ACTION_BIT */
    bool seen;                  /* the observatory knows the network */
    mrs_action_verdict a[7];    /* [1]..[6] */
} mrs_asn_verdicts;

typedef struct mrs_participant_verdicts {
    const mrs_participant *p;
    mrs_asn_verdicts *asns;
    size_t n_asns;
    mrs_verdict action[7];      /* per committed Action over its ASNs: any not -> not; any conformant -> conformant */
    mrs_verdict outcome;        /* the period: any committed Action not conformant -> not, ... */
} mrs_participant_verdicts;

/* Each committed (network, Action) of a participant's verdicts: network by network,
 * its Actions ascending (MRS_FOR_EACH_ACTION).
 *
 *     for (mrs_commit_iter it = {0}; mrs_commit_next(pv, &it);)
 *         use(it.av->asn, it.k, it.a->verdict);
 */
typedef struct mrs_commit_iter {
    size_t j;                       /* the network: pv->asns[j] */
    unsigned k;                     /* the Action (1..6); 0 before the network's first */
    const mrs_asn_verdicts *av;     /* &pv->asns[j] */
    const mrs_action_verdict *a;    /* &av->a[k] */
} mrs_commit_iter;

static inline bool mrs_commit_next(const mrs_participant_verdicts *pv, mrs_commit_iter *it)
{
    for (; it->j < pv->n_asns; it->j++, it->k = 0)
        if ((it->k = mrs_action_next(pv->asns[it->j].committed, it->k)) != 0) {
            it->av = &pv->asns[it->j];
            it->a = &it->av->a[it->k];
            return true;
        }
    return false;
}

typedef struct mrs_conformance {
    mrs_participant_verdicts *v;    /* registry order */
    size_t n;
} mrs_conformance;

typedef struct mrs_conformance_input {
    const mrs_registry *reg;
    const mrs_network_list *nets;           /* the run's metrics */
    const mrs_network_list *const *nets_of; /* per participant (registry order): metrics without the
                                               incidents it disputes; NULL (or a NULL entry) = nets */
    const mrs_incident_list *incidents;
    const mrs_dispute_list *disputes;       /* may be NULL */
    const mrs_asrel *asrel;                 /* may be NULL: as for the C metrics (metrics.c) */
    mrs_score_cfg score;                    /* include_low, accomplice rule as the run's */
    bool no_irr;                            /* no IRR input: M7 IRR is no data, not 0 */
} mrs_conformance_input;

/* Returns 0, -1 when out of memory. */
int mrs_conformance_compute(const mrs_conformance_input *in, mrs_conformance *out);
/* The participant's per-Action verdicts and outcome again from its ASNs' (after a
 * caller filled in what routing data cannot show, e.g. an IXP's Action 1 from its
 * route server's RIB). */
void mrs_conformance_combine(mrs_participant_verdicts *pv);
void mrs_conformance_clear(mrs_conformance *c);

/* Does the dispute name this incident? (class, prefix, culprit, start: each when given) */
bool mrs_dispute_matches(const mrs_dispute *d, const mrs_incident *inc);
/* Is the incident excluded for participant `id` (an open or upheld dispute of its)? */
bool mrs_incident_disputed(const mrs_dispute_list *l, const char *id, const mrs_incident *inc);

/* ---- enforcement across periods (docs/programme.md, the state machine) */
typedef enum mrs_enf_state {
    MRS_ENF_CONFORMANT = 0,     /* "conformant" */
    MRS_ENF_NOTICE,             /* "notice": the first failing period */
    MRS_ENF_GRACE,              /* "grace": failing periods 2 .. 1 + grace_periods */
    MRS_ENF_SUSPENDED,          /* "suspended": after that; the mark is withdrawn */
    MRS_ENF_REINSTATED,         /* "reinstated": the first conformant period after suspension */
} mrs_enf_state;
const char *mrs_enf_state_name(mrs_enf_state s);
bool mrs_enf_state_parse(const char *s, mrs_enf_state *out);

typedef struct mrs_enforcement {
    mrs_enf_state state;
    unsigned failing;           /* consecutive failing periods (no-data periods neither add nor reset) */
} mrs_enforcement;

/* A participant starts conformant (honour system after the sign-up check). */
mrs_enforcement mrs_enforce_step(mrs_enforcement prev, mrs_verdict outcome, const mrs_tier_policy *pol);

/* "YYYY-MM" of a Unix time (UTC) into out[8]. */
void mrs_period_of(uint32_t t, char out[8]);
/* Is s a period YYYY-MM? Its first and last second into *from, *to when not NULL. */
bool mrs_period_parse(const char *s, uint32_t *from, uint32_t *to);

#endif
