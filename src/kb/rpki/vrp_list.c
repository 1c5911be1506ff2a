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
