/*
 * aspa.c — AS_PATH verification with ASPA records, following
 * draft-ietf-sidrops-aspa-verification-28 ("the draft"):
 *   §5.2 COMPRESSED_AS_PATH: consecutive duplicates (prepending) removed;
 *        AS(1) is the origin, AS(N) the neighbour that sent the route.
 *   §5.3 authorized(CAS, PAS): No Attestation / Provider+ / Not Provider+ from the
 *        union of the customer's provider sets (U-SPAS). AS 0 in a provider set is
 *        an ordinary member that never appears in a path (draft §4: no influence).
 *   §5.4 max_up_ramp / min_up_ramp / max_down_ramp / min_down_ramp.
 *   §5.5 upstream (from customer, lateral peer, RS, RS-client), §5.6 downstream
 *        (from provider): empty -> Invalid, AS_SET -> Invalid, then the ramp bounds.
 * The neighbour-AS check (step 2) needs the session's peer AS and is left to the
 * caller (see rpki.h).
 */
#include "rpki_impl.h"
#include "manrs/core/search.h"

#include <stdlib.h>

mrs_aspa_auth mrs_aspa_authorized(const mrs_rpki *r, uint32_t cas, uint32_t pas)
{
    if (!r->built || r->ncust == 0)
        return MRS_ASPA_NO_ATTESTATION;
    size_t lo = mrs_lower_bound_u32(r->cust, r->ncust, cas);
    if (lo == r->ncust || r->cust[lo] != cas)
        return MRS_ASPA_NO_ATTESTATION;
    size_t a = r->cust_start[lo], b = r->cust_start[lo + 1];
    return mrs_sorted_has_u32(r->prov + a, b - a, pas) ? MRS_ASPA_PROVIDER_PLUS : MRS_ASPA_NOT_PROVIDER_PLUS;
}

mrs_aspa_state mrs_aspa_verify(const mrs_rpki *r, const uint32_t *path, size_t n, bool has_as_set,
                               mrs_aspa_direction dir, mrs_aspa_result *res)
{
    mrs_aspa_result local;
    if (!res)
        res = &local;
    *res = (mrs_aspa_result){0};
    /* N: length of the COMPRESSED_AS_PATH (§5.2). */
    size_t N = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || path[i] != path[i - 1])
            N++;
    res->n = N > UINT32_MAX ? UINT32_MAX : (uint32_t)N;
    if (N == 0) { /* step 1 */
        res->reason = MRS_ASPA_R_EMPTY;
        return res->state = MRS_ASPA_INVALID;
    }
    if (has_as_set) { /* step 3 */
        res->reason = MRS_ASPA_R_AS_SET;
        return res->state = MRS_ASPA_INVALID;
    }
    /* AS(i), 1-based from the origin: the compressed path reversed. */
    uint32_t small[64];
    uint32_t *as = N <= 64 ? small : malloc((N + 1) * sizeof *as);
    if (!as) { /* cannot verify: report Unknown rather than a false verdict */
        res->reason = MRS_ASPA_R_RAMPS;
        return res->state = MRS_ASPA_UNKNOWN;
    }
    size_t k = N;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || path[i] != path[i - 1])
            as[--k] = path[i];
#define AS(i) as[(i) - 1]
    /* §5.4 up-ramp: from the origin upwards, hops authorized(AS(I), AS(I+1)). */
    size_t max_up = N, min_up = N;
    for (size_t I = 1; I < N; I++) {
        mrs_aspa_auth a = mrs_aspa_authorized(r, AS(I), AS(I + 1));
        if (a != MRS_ASPA_PROVIDER_PLUS && min_up == N)
            min_up = I;
        if (a == MRS_ASPA_NOT_PROVIDER_PLUS) {
            max_up = I;
            res->bad_customer = AS(I);
            res->bad_provider = AS(I + 1);
            break;
        }
    }
    size_t max_down = 0, min_down = 0;
    if (dir == MRS_ASPA_DOWNSTREAM) {
        /* §5.4 down-ramp: from the neighbour downwards, hops authorized(AS(J), AS(J-1)). */
        max_down = min_down = N;
        for (size_t J = N; J >= 2; J--) {
            mrs_aspa_auth a = mrs_aspa_authorized(r, AS(J), AS(J - 1));
            if (a != MRS_ASPA_PROVIDER_PLUS && min_down == N)
                min_down = N - J + 1;
            if (a == MRS_ASPA_NOT_PROVIDER_PLUS) {
                max_down = N - J + 1;
                break;
            }
        }
    }
#undef AS
    if (as != small)
        free(as);
    res->max_up_ramp = (uint32_t)max_up;
    res->min_up_ramp = (uint32_t)min_up;
    res->max_down_ramp = (uint32_t)max_down;
    res->min_down_ramp = (uint32_t)min_down;
    res->reason = MRS_ASPA_R_RAMPS;
    /* §5.5 steps 4-6 (down-ramps are 0) and §5.6 steps 4-6. */
    if (max_up + max_down < N)
        return res->state = MRS_ASPA_INVALID;
    res->bad_customer = res->bad_provider = 0;
    if (min_up + min_down < N)
        return res->state = MRS_ASPA_UNKNOWN;
    res->reason = MRS_ASPA_R_NONE;
    return res->state = MRS_ASPA_VALID;
}

const char *mrs_aspa_state_name(mrs_aspa_state s)
{
    switch (s) {
    case MRS_ASPA_VALID: return "valid";
    case MRS_ASPA_INVALID: return "invalid";
    default: return "unknown";
    }
}

const char *mrs_aspa_auth_name(mrs_aspa_auth a)
{
    switch (a) {
    case MRS_ASPA_PROVIDER_PLUS: return "provider+";
    case MRS_ASPA_NOT_PROVIDER_PLUS: return "not-provider+";
    default: return "no-attestation";
    }
}
