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

#define be32 rpki_be32

/* Walk a list of short VRPs (see rov_index.c). Returns 1 on a match. */
static inline int scan_short(const rov_entry4 *l, unsigned len, uint32_t origin, bool can_match, bool *covered)
{
    uint32_t n = l[0].asn;
    for (uint32_t i = 1; i <= n; i++) {
        if (l[i].len > len)
            continue;
        *covered = true;
        if (can_match && l[i].asn == origin && l[i].maxlen >= len)
            return 1;
    }
    return 0;
}

static mrs_rov_state validate4(const mrs_rpki *r, const mrs_prefix *route, uint32_t origin, bool can_match)
{
    uint32_t addr = be32(route->addr);
    unsigned len = route->len;
    const rov_bucket4 *bk = &r->v4_bucket[addr >> 16];
    const rov_entry4 *v = r->v4_long;
    uint32_t lo = addr & 0xffffu;
    bool covered = false;
    if (len <= 16 || bk->block == 0) {
        /* Short VRPs covering the /16, then every long VRP of the (small) bucket
         * up to the route's address (fetched while the list is read). */
        if (len > 16)
            __builtin_prefetch(&v[bk->start]);
        if (scan_short(r->list + bk->short_off, len, origin, can_match, &covered))
            return MRS_ROV_VALID;
        if (len <= 16)
            return covered ? MRS_ROV_INVALID : MRS_ROV_NOT_FOUND;
        for (uint32_t s = bk->start, e = bk[1].start; s < e && v[s].low <= lo; s++) {
            if (v[s].len > len || ((lo ^ v[s].low) & (0xffffu << (32 - v[s].len)) & 0xffffu))
                continue;
            covered = true;
            if (can_match && v[s].asn == origin && v[s].maxlen >= len)
                return MRS_ROV_VALID;
        }
        return covered ? MRS_ROV_INVALID : MRS_ROV_NOT_FOUND;
    }
    /* Big bucket: VRPs up to /24 covering the route's /24 block are in one list;
     * only VRPs longer than /24 inside the block remain to be scanned. */
    const rov_block4 *blk = &r->v4_block[bk->block - 1 + (lo >> 8)];
    if (len > 24)
        __builtin_prefetch(&v[blk->first]);
    if (scan_short(r->list + blk->list_off, len, origin, can_match, &covered))
        return MRS_ROV_VALID;
    if (len > 24) {
        for (uint32_t s = blk->first, e = bk[1].start; s < e && v[s].low <= lo; s++) {
            if (v[s].len <= 24 || v[s].len > len || ((lo ^ v[s].low) & (0xffffu << (32 - v[s].len)) & 0xffffu))
                continue;
            covered = true;
            if (can_match && v[s].asn == origin && v[s].maxlen >= len)
                return MRS_ROV_VALID;
        }
    }
    return covered ? MRS_ROV_INVALID : MRS_ROV_NOT_FOUND;
}

static mrs_rov_state validate6(const mrs_rpki *r, const mrs_prefix *route, uint32_t origin, bool can_match)
{
    unsigned len = route->len;
    bool covered = false;
    const rov_slot6 *slot = NULL;
    uint32_t key = be32(route->addr);
    if (len >= 32) {
        size_t h = rpki_hash32(key);
        for (h &= r->v6_mask; r->v6_slot[h].used; h = (h + 1) & r->v6_mask)
            if (r->v6_slot[h].key == key) {
                slot = &r->v6_slot[h];
                break;
            }
    }
    if (!slot) {
        /* Only VRPs shorter than /32 can cover: the small trie of those. */
        mrs_trie_match m[MRS_TRIE_MAX_COVERING];
        unsigned k = mrs_trie_covering(r->v6_short, route, m);
        if (!k)
            return MRS_ROV_NOT_FOUND;
        if (can_match)
            for (unsigned i = 0; i < k; i++)
                for (uint32_t j = r->group[m[i].value]; j < r->group[m[i].value + 1]; j++)
                    if (r->ent[j].asn == origin && r->ent[j].maxlen >= len)
                        return MRS_ROV_VALID;
        return MRS_ROV_INVALID;
    }
    if (scan_short(r->list + slot->short_off, len, origin, can_match, &covered))
        return MRS_ROV_VALID;
    uint64_t mid = (uint64_t)be32(route->addr + 4) << 32 | be32(route->addr + 8);
    uint32_t low = be32(route->addr + 12);
    uint64_t first = mid & (UINT64_C(1) << 63);
    const rov_entry6 *v = r->v6_long;
    uint32_t s = slot->start, e = slot->end;
    /* A VRP of exactly this /32 sorts first and covers any route in it. */
    if (v[s].len == 32) {
        covered = true;
        if (can_match && v[s].asn == origin && v[s].maxlen >= len)
            return MRS_ROV_VALID;
        for (s++; s < e && v[s].len == 32; s++)
            if (can_match && v[s].asn == origin && v[s].maxlen >= len)
                return MRS_ROV_VALID;
    }
    while (e - s > 8) {
        uint32_t m = s + (e - s) / 2;
        if (v[m].mid < first)
            s = m + 1;
        else
            e = m;
    }
    for (e = slot->end; s < e && (v[s].mid < mid || (v[s].mid == mid && v[s].low <= low)); s++) {
        unsigned l2 = v[s].len - 32u; /* 1..96 bits below the /32 (the /32 entries were handled above) */
        if (v[s].len > len)
            continue;
        if (l2 <= 64) {
            if (((mid ^ v[s].mid) >> (64 - l2)) != 0)
                continue;
        } else if (mid != v[s].mid || ((low ^ v[s].low) >> (96 - l2)) != 0) {
            continue;
        }
        covered = true;
        if (can_match && v[s].asn == origin && v[s].maxlen >= len)
            return MRS_ROV_VALID;
    }
    return covered ? MRS_ROV_INVALID : MRS_ROV_NOT_FOUND;
}

mrs_rov_state mrs_rov_validate(const mrs_rpki *r, const mrs_prefix *route, uint32_t origin, bool origin_none)
{
    if (!r->built)
        return MRS_ROV_NOT_FOUND;
    /* Neither origin NONE nor origin 0 can match any VRP (RFC 6811 §2, RFC 7607). */
    bool can_match = !origin_none && origin != 0;
    if (route->afi == MRS_AFI_IPV4 && route->len <= 32)
        return validate4(r, route, origin, can_match);
    if (route->afi == MRS_AFI_IPV6 && route->len <= 128)
        return validate6(r, route, origin, can_match);
    return MRS_ROV_NOT_FOUND;
}

/* Prefetch in three rounds what validate4/validate6 will read for a group of
 * routes (bucket, then block or bucket run, then list and long run), then answer
 * them; each round's loads are independent of each other, so their misses overlap. */
#define ROV_GROUP 16

void mrs_rov_validate_batch(const mrs_rpki *r, const mrs_rov_query *q, size_t n, mrs_rov_state *out)
{
    if (!r->built) {
        for (size_t i = 0; i < n; i++)
            out[i] = MRS_ROV_NOT_FOUND;
        return;
    }
    for (size_t g = 0; g < n; g += ROV_GROUP) {
        size_t m = n - g < ROV_GROUP ? n - g : ROV_GROUP;
        const mrs_rov_query *x = q + g;
        for (size_t i = 0; i < m; i++) {
            if (x[i].prefix.afi == MRS_AFI_IPV4)
                __builtin_prefetch(&r->v4_bucket[be32(x[i].prefix.addr) >> 16]);
            else if (x[i].prefix.afi == MRS_AFI_IPV6)
                __builtin_prefetch(&r->v6_slot[rpki_hash32(be32(x[i].prefix.addr)) & r->v6_mask]);
        }
        for (size_t i = 0; i < m; i++) {
            if (x[i].prefix.afi != MRS_AFI_IPV4)
                continue;
            uint32_t addr = be32(x[i].prefix.addr);
            const rov_bucket4 *bk = &r->v4_bucket[addr >> 16];
            if (x[i].prefix.len > 16 && bk->block != 0) {
                __builtin_prefetch(&r->v4_block[bk->block - 1 + ((addr >> 8) & 0xffu)]);
            } else {
                __builtin_prefetch(&r->list[bk->short_off]);
                __builtin_prefetch(&r->v4_long[bk->start]);
            }
        }
        for (size_t i = 0; i < m; i++) {
            if (x[i].prefix.afi != MRS_AFI_IPV4 || x[i].prefix.len <= 16)
                continue;
            uint32_t addr = be32(x[i].prefix.addr);
            const rov_bucket4 *bk = &r->v4_bucket[addr >> 16];
            if (bk->block != 0) {
                const rov_block4 *blk = &r->v4_block[bk->block - 1 + ((addr >> 8) & 0xffu)];
                __builtin_prefetch(&r->list[blk->list_off]);
                if (x[i].prefix.len > 24)
                    __builtin_prefetch(&r->v4_long[blk->first]);
            }
        }
        for (size_t i = 0; i < m; i++)
            out[g + i] = mrs_rov_validate(r, &x[i].prefix, x[i].origin, x[i].origin_none);
    }
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
