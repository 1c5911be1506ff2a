/*
 * vrp_list.c — read access to the built VRP array, for tools that need the VRPs
 * of some ASes (manrs antispoof: the ROAs of a customer cone) rather than a
 * validation answer. Assumes mrs_rpki_build has run (the array is then sorted by
 * prefix, ASN, maxLength and free of duplicates); before that it yields nothing.
 */
#include "rpki_impl.h"

const mrs_vrp *mrs_rpki_vrps(const mrs_rpki *r, size_t *n)
{
    *n = r->built ? r->nvrp : 0;
    return r->built ? r->vrp : NULL;
}

int mrs_vrp_cmp(const mrs_vrp *a, const mrs_vrp *b)
{
    int c = mrs_prefix_cmp(&a->prefix, &b->prefix);
    if (c)
        return c;
    if (a->asn != b->asn)
        return a->asn < b->asn ? -1 : 1;
    return a->maxlen < b->maxlen ? -1 : a->maxlen > b->maxlen;
}

mrs_rov_state mrs_rov_validate_until(const mrs_rpki *r, const mrs_prefix *route, uint32_t origin, int64_t *until)
{
    *until = 0;
    if (!r->vtime)      /* no VRP has a known end: the fast path answers */
        return mrs_rov_validate(r, route, origin, false);
    mrs_rov_result res;
    mrs_rov_state st = mrs_rov_validate_ex(r, route, origin, false, &res);
    if (st != MRS_ROV_VALID || res.n_matching > res.matching_shown)
        return st;
    int64_t end = 0;
    for (unsigned k = 0; k < res.matching_shown; k++) {
        /* the matching VRP's place in the sorted array: its validity */
        size_t lo = 0, hi = r->nvrp;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = mrs_vrp_cmp(&r->vrp[mid], &res.matching[k]);
            if (!c) {
                if (!r->vtime[mid].not_after)
                    return st;  /* one VRP without an end keeps the route valid */
                if (r->vtime[mid].not_after > end)
                    end = r->vtime[mid].not_after;
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    *until = end;
    return st;
}
