/*
 * programme.h — the MANRS programme as a product: `manrs participants check` (the
 * registry and the sign-up rules, with the observatory's evidence) and `manrs
 * conformance` (a period's verdicts per participant and committed Action, the
 * enforcement state, stored per period). The rules themselves are
 * analysis/programme.h; this runs them over one observatory run and prints.
 * docs/programme.md.
 */
#ifndef MANRS_APPS_PROGRAMME_H
#define MANRS_APPS_PROGRAMME_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "manrs/analysis/programme.h"
#include "manrs/kb/participants.h"
#include "manrs/observatory/observatory.h"
#include "manrs/store/store.h"

typedef struct prog_opts {
    const char *disputes;       /* disputes file, NULL: none */
    const char *const *rs_ribs; /* IXP route servers' RIB dumps (apps/ixp.h): an IXP
                                   participant's Action 1, matched by its peering LAN */
    size_t n_rs_ribs;
    const char *period;         /* "YYYY-MM"; NULL: the month the routing data starts in */
    mrs_obs_cfg cfg;            /* the observatory run's configuration */
} prog_opts;

typedef struct prog_result {
    mrs_registry reg;
    mrs_dispute_list disputes;
    mrs_obs_result obs;             /* the run the verdicts rest on */
    mrs_network_list *nets_of;      /* per participant with a dispute: metrics without its disputed incidents */
    const mrs_network_list **nets_ptr;
    mrs_conformance conf;
    mrs_enforcement *prev, *enf;    /* per participant: before and after the period */
    char (*prev_period)[8];         /* "" when the participant has no earlier period in the store */
    char period[8];
    const char *ruleset;            /* the sign-up rule set named with the results */
    int64_t run;                    /* the stored observatory run, -1 if none */
    bool stored;                    /* the verdicts were stored */
    bool period_mismatch;           /* the routing data starts outside --period */
    size_t rs_unmatched;            /* route-server RIBs no IXP participant's peering LAN explains */
} prog_result;

/* Load the registry (and disputes), run the observatory over in, compute the
 * period's verdicts and each participant's enforcement state (continuing from
 * what st holds for earlier periods), and store both when st is not NULL.
 * Returns 0 (results in r; r->reg.skipped / disputes.skipped counted the damaged
 * entries), -1 with a message in err. Zero r first. */
int prog_conformance(const char *registry, const mrs_obs_inputs *in, const prog_opts *o, mrs_store *st, mrs_diag *kd,
                     mrs_diag *md, prog_result *r, char *err, size_t errlen);
void prog_result_clear(prog_result *r);
/* The run's incident with this id, or NULL. */
const mrs_incident *prog_incident(const prog_result *r, uint64_t id);

/* The printers; each returns -1 on the first failed write. */
int prog_print_table(const prog_result *r, FILE *f);
int prog_print_json(const prog_result *r, FILE *f);
int prog_print_csv(const prog_result *r, FILE *f);
/* The public list that drives peer pressure: every committed Action measured not
 * conformant, and every participant committed to filtering (Action 1) that was
 * culprit or accomplice of a high-confidence incident of the period (leaks
 * included), with the evidence. Markdown. */
int prog_print_public(const prog_result *r, FILE *f);

/* ---- participants check: the registry against a sign-up rule set */
typedef enum prog_rules_mode {
    PROG_RULES_NAMED = 0,       /* one rule set for everyone (default: the current one) */
    PROG_RULES_AT_JOIN,         /* each participant by the rule set in force when it joined */
} prog_rules_mode;

/* Print each participant's sign-up verdict under the rule set (or the one in
 * force at its join date), and, when c is not NULL, the measured verdicts of its
 * committed Actions as evidence; JSON when json. *failing gets the number of
 * participants that do not meet their rule. Returns -1 on a write error. */
int prog_print_signup(const mrs_registry *reg, prog_rules_mode mode, const mrs_ruleset *named,
                      const mrs_conformance *c, bool json, FILE *f, size_t *failing);

#endif
