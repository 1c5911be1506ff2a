/*
 * providers.h — `manrs providers ASN`: a customer's view of its providers
 * (docs/providers.md). Do my upstreams keep their MANRS word?
 *
 *  - the upstreams: every provider CAIDA's as-rel lists for the AS, and every AS
 *    seen immediately upstream of it in the observed AS paths (the neighbour that
 *    carried its routes towards the collectors), each with its source(s) and what
 *    as-rel calls the link;
 *  - each one's programme standing: participation (registry), the stored
 *    enforcement state, the per-Action conformance for this data
 *    (apps/programme.h, the same computation as `manrs conformance`);
 *  - the incidents a provider propagated (culprit, accomplice or propagator), that
 *    could reach the customer through it; high confidence only unless asked.
 *
 * A "provider" for the exposure and the exit status is an upstream as-rel calls
 * the AS's provider, or one seen upstream in paths on a link as-rel does not know
 * (or without as-rel). A paths-only neighbour that as-rel calls a peer, a customer
 * or a sibling is listed, labelled, and not counted as a provider.
 */
#ifndef MANRS_APPS_PROVIDERS_H
#define MANRS_APPS_PROVIDERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "manrs/analysis/incident.h"
#include "manrs/analysis/programme.h"
#include "manrs/apps/programme.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/participants.h"
#include "manrs/observatory/observatory.h"
#include "manrs/routes/view.h"

typedef enum prov_role {
    PROV_ROLE_CULPRIT = 0,      /* "culprit" */
    PROV_ROLE_ACCOMPLICE,       /* "accomplice": propagator adjacent to the culprit */
    PROV_ROLE_PROPAGATOR,       /* "propagator" */
} prov_role;
const char *prov_role_name(prov_role r);

typedef struct prov_upstream {
    uint32_t asn;
    bool from_asrel;            /* as-rel lists it as a provider of the AS */
    bool from_paths;            /* seen immediately upstream of the AS in paths */
    mrs_rel rel;                /* as-rel's link, seen from this upstream to the AS:
                                   P2C provider, P2P peer, C2P customer, S2S sibling,
                                   NONE no link (or no as-rel) */
    bool provider;              /* counts as a provider (exposure, exit status) */
    unsigned peers;             /* collector peers whose paths show it upstream */
    uint64_t paths;             /* distinct AS paths that show it upstream */
    uint64_t routes;            /* routes (peer, prefix, time) that show it upstream */
    /* programme standing */
    const mrs_participant *p;   /* NULL: not a participant (or no registry) */
    const mrs_participant_verdicts *v;  /* its verdicts for this data; NULL: no data */
    const mrs_asn_verdicts *av; /* the verdicts of this ASN within v; NULL if none */
    bool has_state;             /* the store holds an enforcement state */
    mrs_enforcement state;
    char state_period[8];
    size_t n_exposures;         /* incidents it propagated (rows of prov_result.exp) */
} prov_upstream;

typedef struct prov_exposure {
    const mrs_incident *inc;    /* points into the incident list of the run */
    uint32_t provider;
    prov_role role;
    const mrs_evidence *ev;     /* an evidence row, one through the provider when there is one; may be NULL */
} prov_exposure;

/* What prov_compute works on: any member may be NULL (not given). */
typedef struct prov_input {
    uint32_t asn;
    const mrs_asrel *asrel;
    const mrs_view *view;
    const mrs_registry *reg;
    const mrs_conformance *conf;        /* verdicts for this data (registry order) */
    const mrs_incident_list *incidents;
    bool include_low;                   /* low-confidence incidents too */
} prov_input;

typedef struct prov_result {
    uint32_t asn;
    prov_upstream *up;          /* as-rel providers first, then by ASN */
    size_t n_up;
    prov_exposure *exp;         /* by provider, then incident id */
    size_t n_exp;
    bool have_asrel, have_paths, have_registry, have_conformance, have_store, have_incidents;
    bool known;                 /* some input knows the AS (as-rel link or a path) */
    bool include_low;
    char period[8];             /* the period of the conformance, "" when none */
    const char *asrel_name;     /* first as-rel file, for the output; may be NULL */
    /* owned inputs (prov_run) */
    mrs_asrel *asrel_own;
    mrs_registry reg_own;
    mrs_obs_bundle bundle;      /* routing inputs without a registry */
    prog_result prog;           /* routing inputs with a registry */
} prov_result;

/* The upstreams and exposure from what is given (no I/O). Returns 0, -1 when out
 * of memory. Zero r first; prov_result_clear frees it. */
int prov_compute(const prov_input *in, prov_result *r);

typedef struct prov_opts {
    const char *registry;       /* participants registry, NULL: none */
    const char *disputes;       /* disputes (for the verdicts), NULL: none */
    const char *db;             /* store to read enforcement states from (read only), NULL: none */
    bool include_low;
    mrs_obs_cfg cfg;
} prov_opts;

/* Load the inputs (the routing inputs through the observatory, with the registry
 * through prog_conformance, nothing stored; only as-rel files when there is no
 * routing data), read the store's states, compute. Returns 0; -1 with a message in
 * err (an input that cannot be used, memory, store). *input_failed: an input
 * could not be used but the rest was (the observatory's rule). */
int prov_run(uint32_t asn, const mrs_obs_inputs *in, const prov_opts *o, mrs_diag *kd, mrs_diag *md, prov_result *r,
             bool *input_failed, char *err, size_t errlen);
void prov_result_clear(prov_result *r);

/* The exit status rule: true when some provider is a participant that is not
 * conformant for this data, or whose stored state is notice, grace or suspended. */
bool prov_any_failing(const prov_result *r);

/* Printers; each returns -1 on a failed write. */
int prov_print_table(const prov_result *r, FILE *f);
int prov_print_json(const prov_result *r, FILE *f);
int prov_print_html(const prov_result *r, FILE *f);

#endif
