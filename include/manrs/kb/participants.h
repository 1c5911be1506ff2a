/*
 * participants.h — the MANRS participants registry: who committed to what
 * (docs/programme.md, schema docs/participants.schema.json), and the disputes
 * participants filed against incidents.
 *
 * A registry is YAML (libyaml's document loader: aliases are shared nodes, never
 * expanded; the walk is at most four levels deep):
 *
 *   version: 1
 *   participants:
 *     - organisation: Example Networks
 *       id: example-networks          # optional; unique; default: from the name
 *       programme: network-operator   # network-operator | ixp | cdn-cloud | vendor
 *       tier: manrs                   # manrs | manrs-plus
 *       joined: 2019-05-14
 *       contact: noc@example.net      # public: e-mail address or https:// URL
 *       asns:
 *         - {asn: 64500, actions: [1, 2, 3, 4]}
 *     - organisation: Example IX
 *       programme: ixp
 *       route-server: 64510
 *       peering-lan: [192.0.2.0/24, 2001:db8::/64]
 *       actions: [1, 2, 3, 4, 5]
 *       ...
 *   tiers:                            # optional: override a tier's thresholds
 *     manrs-plus: {grace-periods: 0, action1-min: 100}
 *
 * A damaged participant is reported as FILE:LINE: what, skipped and counted; the
 * rest is read. An ASN that two participants claim is reported and kept only with
 * the first (the registry must not give one network two commitments).
 */
#ifndef MANRS_KB_PARTICIPANTS_H
#define MANRS_KB_PARTICIPANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"

typedef enum mrs_programme {
    MRS_PROG_NETOPS = 0,        /* "network-operator": Actions 1-4 */
    MRS_PROG_IXP,               /* "ixp": Actions 1-5 */
    MRS_PROG_CDN,               /* "cdn-cloud": Actions 1-6 */
    MRS_PROG_VENDOR,            /* "vendor": Actions 1-2 */
    MRS_PROG_N
} mrs_programme;

typedef enum mrs_tier {
    MRS_TIER_MANRS = 0,         /* "manrs" */
    MRS_TIER_PLUS,              /* "manrs-plus" */
    MRS_TIER_N
} mrs_tier;

const char *mrs_programme_name(mrs_programme p);
const char *mrs_tier_name(mrs_tier t);
/* The highest Action number of a programme (4, 5, 6, 2). */
unsigned mrs_programme_actions(mrs_programme p);

/* What conformance asks of a tier (docs/programme.md). Scores are the observatory's
 * percentages (analysis/metrics.h); a committed action is conformant when its score
 * reaches the minimum. */
typedef struct mrs_tier_policy {
    double action_min[5];       /* [1]..[4]: minimum score per Action (default 90; MANRS+ 100, 100, 100, 95) */
    bool leaks_count;           /* route leaks (M1/M1C) count in Action 1 (MANRS+ only by default) */
    bool action4_both;          /* Action 4: RPKI and IRR both reach the minimum (MANRS+); else either */
    unsigned grace_periods;     /* failing periods in grace after the notice before suspension (2; MANRS+ 0) */
} mrs_tier_policy;

void mrs_tier_policy_default(mrs_tier t, mrs_tier_policy *p);

#define MRS_ACTION_BIT(k) (1u << (k))   /* actions: bit k = Action k (1..6) */
#define MRS_ACTION_MAX 6

/* The committed Actions of a mask, ascending: the first after Action k (k = 0: the
 * first of all), 0 after the last. MRS_FOR_EACH_ACTION(k, mask) is the loop:
 *
 *     MRS_FOR_EACH_ACTION(k, p->actions)
 *         printf(" %u", k);
 */
static inline unsigned mrs_action_next(unsigned actions, unsigned k)
{
    while (++k <= MRS_ACTION_MAX)
        if (actions & MRS_ACTION_BIT(k))
            return k;
    return 0;
}
#define MRS_FOR_EACH_ACTION(k, actions) \
    for (unsigned k = mrs_action_next((actions), 0); k; k = mrs_action_next((actions), k))

typedef struct mrs_participant_asn {
    uint32_t asn;
    uint8_t actions;            /* committed Actions, MRS_ACTION_BIT */
    unsigned line;
} mrs_participant_asn;

typedef struct mrs_participant {
    char *id;                   /* unique key: given, or the organisation in lower case, non-alphanumerics as '-' */
    char *organisation;
    mrs_programme programme;
    mrs_tier tier;
    uint32_t joined;            /* YYYYMMDD */
    char *contact;
    mrs_participant_asn *asns;  /* network-operator, cdn-cloud (and an IXP's own networks) */
    size_t n_asns;
    uint8_t actions;            /* ixp, vendor: the organisation's Actions; others: the union over asns */
    uint32_t route_server;      /* ixp: the route server's ASN, 0 if none */
    mrs_prefix *lans;           /* ixp: peering LANs */
    size_t n_lans;
    unsigned line;
} mrs_participant;

typedef struct mrs_registry {
    mrs_participant *v;         /* in file order */
    size_t n;
    uint64_t skipped;           /* participants (or ASN entries) left out, each reported */
    mrs_tier_policy tiers[MRS_TIER_N];
    char *file;
} mrs_registry;

/* Returns 0 when the registry was read (check skipped), -1 when it could not be
 * used at all (not YAML, not a registry, unreadable, memory): reported to d. */
int mrs_registry_load(const char *path, mrs_registry *r, mrs_diag *d);
int mrs_registry_load_mem(const char *buf, size_t len, const char *name, mrs_registry *r, mrs_diag *d);
void mrs_registry_clear(mrs_registry *r);
/* A participant by id, organisation (case-insensitive) or ASN ("AS64500" or "64500"). */
const mrs_participant *mrs_registry_find(const mrs_registry *r, const char *key);
/* The participant that holds asn, or NULL. */
const mrs_participant *mrs_registry_by_asn(const mrs_registry *r, uint32_t asn);

/* ---- disputes: a participant's objection to an incident (docs/programme.md) */
typedef enum mrs_dispute_status {
    MRS_DISPUTE_OPEN = 0,       /* "open": excluded from the verdict, listed as disputed */
    MRS_DISPUTE_UPHELD,         /* "upheld": reviewed, the incident was not the participant's: excluded */
    MRS_DISPUTE_REJECTED,       /* "rejected": reviewed, the incident stands: counted again */
} mrs_dispute_status;

const char *mrs_dispute_status_name(mrs_dispute_status s);

/* An incident is named by what does not depend on a run's numbering: class,
 * prefix, culprit and (optionally) its start; or by id within one run. */
typedef struct mrs_dispute {
    char *participant;          /* id as in the registry */
    uint64_t id;                /* incident id, 0 = match by the fields below */
    char cls[24];               /* incident class ("route-leak", ...), "" = any */
    mrs_prefix prefix;          /* len 0xff = any */
    bool has_prefix;
    uint32_t culprit;           /* 0 = any */
    uint32_t start;             /* 0 = any */
    char *reason;
    uint32_t filed;             /* YYYYMMDD */
    mrs_dispute_status status;
    unsigned line;
} mrs_dispute;

typedef struct mrs_dispute_list {
    mrs_dispute *v;
    size_t n;
    uint64_t skipped;
} mrs_dispute_list;

int mrs_disputes_load(const char *path, mrs_dispute_list *l, mrs_diag *d);
int mrs_disputes_load_mem(const char *buf, size_t len, const char *name, mrs_dispute_list *l, mrs_diag *d);
void mrs_dispute_list_clear(mrs_dispute_list *l);

#endif
