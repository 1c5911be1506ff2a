/*
 * rov.c — Route Origin Validation, RFC 6811 §2, against a built mrs_rpki.
 *
 * The covering VRPs of a route are found by walking the VRP prefix trie from the
 * root towards the route prefix (at most one node per prefix length); each
 * covering trie node names a group of VRPs sharing one prefix, sorted by ASN, so
 * the match test is a short scan (or a binary search for big groups) of 8-byte
 * entries. See rpki.h for the exact semantics, AS 0 and origin NONE.
 */
#include "rpki_impl.h"

#include <string.h>

/* First entry of group [lo, hi) with asn >= want. */
static inline uint32_t group_lower_bound(const rpki_vrp_entry *e, uint32_t lo, uint32_t hi, uint32_t want)
{
    while (hi - lo > 8) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (e[mid].asn < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo < hi && e[lo].asn < want)
        lo++;
    return lo;
}

mrs_rov_state mrs_rov_validate(const mrs_rpki *r, const mrs_prefix *route, uint32_t origin, bool origin_none)
{
    if (!r->built)
        return MRS_ROV_NOT_FOUND;
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    unsigned k = mrs_trie_covering(r->trie, route, m);
    if (!k)
        return MRS_ROV_NOT_FOUND;
    /* Neither origin NONE nor origin 0 can match any VRP (RFC 6811 §2, RFC 7607). */
    if (origin_none || origin == 0)
        return MRS_ROV_INVALID;
    const rpki_vrp_entry *e = r->ent;
    /* Longest covering prefixes first: the likeliest to match. */
    for (unsigned i = k; i-- > 0;) {
        uint32_t g = m[i].value, hi = r->group[g + 1];
        for (uint32_t j = group_lower_bound(e, r->group[g], hi, origin); j < hi && e[j].asn == origin; j++)
            if (e[j].maxlen >= route->len)
                return MRS_ROV_VALID;
    }
    return MRS_ROV_INVALID;
}

mrs_rov_state mrs_rov_validate_ex(const mrs_rpki *r, const mrs_prefix *route, uint32_t origin, bool origin_none,
                                  mrs_rov_result *res)
{
    memset(res, 0, sizeof *res);
    if (!r->built)
        return res->state = MRS_ROV_NOT_FOUND;
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    unsigned k = mrs_trie_covering(r->trie, route, m);
    bool same_asn = false, all_as0 = true;
    bool can_match = !origin_none && origin != 0;
    for (unsigned i = 0; i < k; i++) {
        uint32_t g = m[i].value;
        for (uint32_t j = r->group[g]; j < r->group[g + 1]; j++) {
            const mrs_vrp *v = &r->vrp[j];
            res->n_covering++;
            if (res->covering_shown < MRS_ROV_EVIDENCE_MAX)
                res->covering[res->covering_shown++] = *v;
            if (v->asn != 0)
                all_as0 = false;
            if (can_match && v->asn == origin) {
                same_asn = true;
                if (v->maxlen >= route->len) {
                    res->n_matching++;
                    if (res->matching_shown < MRS_ROV_EVIDENCE_MAX)
                        res->matching[res->matching_shown++] = *v;
                }
            }
        }
    }
    if (res->n_covering == 0)
        res->state = MRS_ROV_NOT_FOUND;
    else if (res->n_matching > 0)
        res->state = MRS_ROV_VALID;
    else {
        res->state = MRS_ROV_INVALID;
        if (origin_none)
            res->reason = MRS_ROV_R_ORIGIN_NONE;
        else if (same_asn)
            res->reason = MRS_ROV_R_TOO_SPECIFIC;
        else if (all_as0)
            res->reason = MRS_ROV_R_AS0;
        else
            res->reason = MRS_ROV_R_ORIGIN;
    }
    return res->state;
}

const char *mrs_rov_state_name(mrs_rov_state s)
{
    switch (s) {
    case MRS_ROV_VALID: return "valid";
    case MRS_ROV_INVALID: return "invalid";
    default: return "not-found";
    }
}

const char *mrs_rov_reason_name(mrs_rov_reason r)
{
    switch (r) {
    case MRS_ROV_R_ORIGIN: return "origin-mismatch";
    case MRS_ROV_R_TOO_SPECIFIC: return "too-specific";
    case MRS_ROV_R_AS0: return "as0";
    case MRS_ROV_R_ORIGIN_NONE: return "origin-none";
    default: return "";
    }
}
