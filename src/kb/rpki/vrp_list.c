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

int64_t mrs_rpki_route_valid_until(const mrs_rpki *r, const mrs_prefix *route, uint32_t origin)
{
    mrs_rov_result res;
    if (mrs_rov_validate_ex(r, route, origin, false, &res) != MRS_ROV_VALID || !r->vtime)
        return 0;
    int64_t until = 0;
    for (unsigned k = 0; k < res.matching_shown; k++) {
        /* the matching VRP's place in the sorted array: its validity */
        size_t lo = 0, hi = r->nvrp;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = mrs_vrp_cmp(&r->vrp[mid], &res.matching[k]);
            if (!c) {
                if (!r->vtime[mid].not_after)
                    return 0;   /* one VRP without an end keeps the route valid */
                if (r->vtime[mid].not_after > until)
                    until = r->vtime[mid].not_after;
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    return res.n_matching > res.matching_shown ? 0 : until;
}
