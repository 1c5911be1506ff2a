/*
 * detect_internal.h — what the files of the detector share: the state of one
 * mrs_detect call (det), the per-path verdicts, the events. Not an API.
 *   detect.c           the pass over the routes, the baseline, the order of checks
 *   detect_path.c      path verdicts: bogon ASNs, valleys (as-rel, ASPA, the clique,
 *                      standing valleys), OTC, forged links, corroborating sightings
 *   detect_origin.c    origin verdicts: RPKI, IRR, relationships, the hijack context
 *                      (carried, upstream, moved) and the forged-path filter
 *   detect_incident.c  events into findings: merging, confidence, evidence
 * Class names and mrs_incident_list_clear: incident.c.
 */
#ifndef MANRS_DETECT_INTERNAL_H
#define MANRS_DETECT_INTERNAL_H

#include "manrs/analysis/detect.h"
#include "manrs/core/grow.h"
#include "manrs/core/hashset.h"
#include "manrs/core/map64.h"
#include "manrs/core/search.h"
#include "manrs/core/trie.h"

#define MAXPATH 512
#define CONE_WALK_MAX 4096   /* ASes visited by one in_cone_of walk */

enum { PV_UNKNOWN = 0, PV_DONE = 1 };

/* det.bl_path: the path is on a baseline route of this family */
enum { BL_V4 = 1, BL_V6 = 2 };

typedef struct path_verdict {
    uint8_t state;
    uint8_t leak_type;
    uint8_t bogon;              /* a bogon ASN is in the path */
    uint32_t leaker;            /* valley-free violation: the leaker, else 0 */
    uint32_t bogon_culprit;     /* the AS next to the first bogon ASN (collector side) */
    uint32_t forged_culprit;    /* the AS adjacent to the origin over a non-existent link */
    uint32_t leak_from;         /* the leaker's neighbour it received the route from */
    uint32_t why;               /* leak: mrs_reason flags of how the valley was found */
    uint32_t maybe_leaker;      /* no leak: sent the route over a link as-rel lacks after a
                                   descent (mrs_vf_result.maybe_leaker) */
    uint32_t conflict_leaker;   /* the first valley, when it was seen before the window */
    uint8_t conflict_type;
} path_verdict;

/* origin verdicts; memoised as verdict | LOW << 7 | reasons << 8 */
enum { OV_LEGIT = 0, OV_HIJACK_ORIGIN, OV_HIJACK_SUB, OV_RPKI_INVALID };
#define OV_LOW 0x80u

/* prefix-pair key -> covering-relation verdict (core/map64.h) */
typedef mrs_map64 ov_map;

typedef struct event {
    uint32_t culprit;
    uint32_t prefix;
    uint32_t route;
    uint32_t s, e;
    uint32_t reasons;           /* mrs_reason flags */
    uint8_t cls;
    uint8_t leak_type;
    uint8_t conf;               /* mrs_confidence, or EV_CORROBORATES */
} event;

/* An event that is no finding by itself: the route went through a finding's culprit
 * and on over a link as-rel does not know, so it shows how far the finding's route
 * went (another collector peer's view) but proves nothing alone. */
#define EV_CORROBORATES 2

typedef struct det {
    const mrs_view *v;
    const mrs_detect_kb *kb;
    mrs_detect_cfg cfg;
    uint32_t *bl_off;           /* CSR: baseline origins per prefix id */
    uint32_t *bl_orig;
    mrs_trie *bl_trie;          /* baseline prefixes -> prefix id */
    mrs_set64 bl_links;         /* adjacencies seen in baseline paths */
    mrs_set64 bl_valleys;       /* valleys (from, leaker, to) of baseline paths, hashed */
    uint8_t *bl_path;           /* per path id: on a baseline route (BL_V4 / BL_V6 by family) */
    uint8_t *beacon_space;      /* per prefix id: 0 not asked yet, 1 no, 2 inside a beacon entry */
    mrs_set64 default_peers;    /* collector peers that sent a default route */
    path_verdict *pv;
    ov_map ov;
    event *ev;
    size_t nev, capev;
    irr_origin_result irr_res;
    uint32_t buf[MAXPATH];
    uint32_t walk[CONE_WALK_MAX];   /* in_cone_of */
} det;

/* ---- small helpers, inline: called once per route or per hop */

static inline bool det_clip(const det *d, const mrs_view_route *r, uint32_t *s, uint32_t *e)
{
    uint32_t a = r->start, b = r->end;
    if (d->cfg.to && b > d->cfg.to)
        b = d->cfg.to;
    if (a < d->cfg.from)
        a = d->cfg.from;
    if (b < a)
        return false;
    *s = a;
    *e = b;
    return true;
}

static inline bool det_bl_has(const det *d, uint32_t prefix, uint32_t origin)
{
    for (uint32_t i = d->bl_off[prefix]; i < d->bl_off[prefix + 1]; i++)
        if (d->bl_orig[i] == origin)
            return true;
    return false;
}

static inline uint64_t det_link_key(uint32_t a, uint32_t b)
{
    return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

static inline bool det_rel_applies(const det *d, const mrs_prefix *p)
{
    return p->afi == MRS_AFI_IPV4 || d->cfg.asrel_ipv6;
}

/* RPKI decides a hijack when it says the origin is invalid with VRPs of the period. */
static inline bool det_rpki_decided(uint32_t why)
{
    return (why & MRS_WHY_RPKI_INVALID) && !(why & MRS_WHY_RPKI_OFF_PERIOD);
}

/* ---- detect.c */

/* ---- detect_path.c */
size_t det_path_distinct(const mrs_view *v, uint32_t path, uint32_t *out, bool *has_set);
/* Sort a ascending (insertion sort when short: most lists are a prefix's few
 * origins); det_uniq_u32 also drops repeats and returns the count left. */
void det_sort_u32(uint32_t *a, size_t n);
size_t det_uniq_u32(uint32_t *a, size_t n);
bool det_same_org(const det *d, uint32_t a, uint32_t b);
const path_verdict *det_path_check(det *d, uint32_t path);
uint32_t det_otc_leaker(det *d, const mrs_view_route *r, uint8_t *type);
int det_build_baseline_valleys(det *d);
mrs_confidence det_valley_strength(const det *d, const path_verdict *pv, uint32_t *why);
int det_corroborate(det *d);

/* ---- detect_origin.c */
int det_ov_get(const ov_map *m, uint64_t key, uint32_t *val);
int det_ov_put(ov_map *m, uint64_t key, uint32_t val);
uint32_t det_bl_covering(const det *d, const mrs_prefix *p);
uint32_t det_origin_classify(det *d, uint32_t prefix, uint32_t origin);
int det_hijack_context(det *d);
int det_forged_filter(det *d);

/* ---- detect_incident.c */
int det_add_event(det *d, mrs_incident_class cls, uint32_t culprit, uint32_t ri, const mrs_view_route *r, uint32_t s,
                  uint32_t e, uint8_t lt, unsigned conf, uint32_t why);
int det_cmp_event(const void *a, const void *b);
int det_make_incident(det *d, size_t a, size_t b, mrs_incident_list *out, mrs_detect_stats *st);

#endif
