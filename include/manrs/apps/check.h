/*
 * check.h — `manrs check ASN`: the MANRS self-assessment of one network, action by
 * action, as a neutral result (verdict, evidence lines, remediation lines, plus the
 * structured items behind them) that check_print.c turns into a table or JSON.
 *
 * Action 1: incidents with the AS as culprit, and incidents of its direct customers
 *   (as-rel p2c) that it propagated as the adjacent network (the accomplice).
 * Action 2: Spoofer-style test results of the AS; the egress ACL for its own space
 *   (antispoof.h, edge mode), and the command for customer ingress filters.
 * Action 3: aut-num admin-c/tech-c resolving to a role/person with e-mail, or a
 *   PeeringDB poc with e-mail (abuse-c alone does not count).
 * Action 4: (prefix, origin=AS) pairs seen in the routing view: RFC 6811 state of
 *   each; NotFound ones get a suggested ROA with maxLength = prefix length (RFC 9319
 *   §4/§5: authorise only what is announced); Invalid ones list the VRPs; prefixes
 *   without a matching route object get the RPSL object to submit. Prefixes the AS
 *   "originates" only through a forged path (hijack-path) or as the culprit of an
 *   incident are left out of the suggestions and said so.
 * Assumes: the bundle (observatory.h, mrs_obs_load) is loaded; knowledge bases may be missing
 * (the verdict is then NO-DATA for what depends on them).
 */
#ifndef MANRS_CHECK_H
#define MANRS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manrs/apps/antispoof.h"
#include "manrs/observatory/observatory.h"

typedef enum mrs_check_verdict {
    MRS_CHECK_PASS = 0,
    MRS_CHECK_FAIL,
    MRS_CHECK_NO_DATA
} mrs_check_verdict;

const char *mrs_check_verdict_name(mrs_check_verdict v);   /* "PASS", "FAIL", "NO-DATA" */

typedef struct mrs_check_strs {
    char **v;
    size_t n, cap;
} mrs_check_strs;

typedef struct mrs_check_action {
    mrs_check_verdict verdict;
    const char *title;
    mrs_check_strs evidence, remediation;
} mrs_check_action;

typedef struct mrs_check_incident {
    uint64_t id;
    mrs_incident_class cls;
    mrs_prefix prefix;
    uint32_t culprit;
    bool as_culprit;            /* false: as accomplice of a customer */
    uint32_t start, end;        /* Unix seconds (JSON); the evidence text says them in ISO 8601 */
} mrs_check_incident;

typedef struct mrs_check_roa {
    mrs_prefix prefix;
    uint8_t maxlen;
    uint32_t asn;
} mrs_check_roa;

typedef struct mrs_check_opts {
    unsigned min_peers;         /* announced = seen by >= this many peers (0 = 1) */
    mrs_acl_format acl_format;
    /* Action 3: a contact object last changed more than stale_days before the
     * reference date is stale and does not count (0 = no staleness check). The
     * reference date (days since 1970-01-01) is now_days, or when 0 the newest
     * change date in the IRR data (the dump's own "now"). */
    unsigned stale_days;
    uint32_t now_days;
} mrs_check_opts;

typedef struct mrs_check_result {
    uint32_t asn;
    mrs_check_action act[5];            /* [1]..[4] */
    /* action 1 */
    mrs_check_incident *inc;
    size_t n_inc;
    /* action 2 */
    size_t spoof_tests, spoof_leaked;
    char *acl;                          /* the egress ACL text, or NULL */
    /* action 3 */
    bool contact_ok;
    size_t contacts_stale;              /* contacts with e-mail that did not count for their age */
    /* action 4 */
    size_t announced, rov_valid, rov_invalid, rov_notfound, irr_missing, skipped;
    mrs_check_roa *roa;
    size_t n_roa;
    mrs_check_strs route_objects;       /* RPSL text of each */
} mrs_check_result;

/* Is the AS named by any input (routing view, as-rel, IRR aut-num, PeeringDB, Spoofer)? */
bool mrs_check_known(const mrs_obs_bundle *b, uint32_t asn);

/* Assess. Returns 0, or -1 on memory exhaustion. */
int mrs_check_run(const mrs_obs_bundle *b, uint32_t asn, const mrs_check_opts *o, mrs_check_result *r);
void mrs_check_clear(mrs_check_result *r);

/* check_print.c */
int mrs_check_print_table(const mrs_check_result *r, FILE *out);
int mrs_check_print_json(const mrs_check_result *r, FILE *out);

#endif
