/*
 * slurm.h — Simplified Local Internet Number Resource Management with the RPKI
 * (SLURM, RFC 8416): an operator's local exceptions to the VRPs a relying party
 * produced. `manrs rtrd --slurm FILE` applies them to what it serves.
 *
 *   {"slurmVersion": 1,
 *    "validationOutputFilters": {"prefixFilters": [{"prefix": "192.0.2.0/24",
 *        "asn": 64496, "comment": "..."}], "bgpsecFilters": []},
 *    "locallyAddedAssertions": {"prefixAssertions": [{"asn": 64496,
 *        "prefix": "198.51.100.0/24", "maxPrefixLength": 24}], "bgpsecAssertions": []}}
 *
 * A prefix filter (§3.3.1) removes the VRPs whose prefix is equal to or more
 * specific than its prefix and/or whose origin is its asn (both when both are
 * given); an assertion (§3.4.1) adds a VRP (maxPrefixLength defaults to the
 * prefix length). Assertions are added after the filters and are not filtered.
 * BGPsec entries are accepted and ignored (no router keys are served). A file that
 * breaks a rule of the RFC (version, required members, a prefix with host bits,
 * maxPrefixLength out of range, an ASN out of range, an unknown member) is
 * rejected whole (an invalid file is not used at all), with what and where.
 */
#ifndef MANRS_KB_SLURM_H
#define MANRS_KB_SLURM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/kb/rpki.h"

typedef struct mrs_slurm_filter {
    bool has_prefix, has_asn;
    mrs_prefix prefix;
    uint32_t asn;
} mrs_slurm_filter;

typedef struct mrs_slurm {
    mrs_slurm_filter *filters;
    size_t n_filters;
    mrs_vrp *assertions;
    size_t n_assertions;
    size_t bgpsec_ignored;      /* BGPsec filters and assertions, not applied */
} mrs_slurm;

/* Load a SLURM file. Returns 0, or -1 (reported through d as "FILE: where: what";
 * *s is then empty). */
int mrs_slurm_load(mrs_slurm *s, const char *path, mrs_diag *d);
int mrs_slurm_load_mem(mrs_slurm *s, const void *buf, size_t len, const char *name, mrs_diag *d);
void mrs_slurm_clear(mrs_slurm *s);

/* Does a filter of s remove this VRP? */
bool mrs_slurm_filtered(const mrs_slurm *s, const mrs_prefix *p, uint32_t asn);

#endif
