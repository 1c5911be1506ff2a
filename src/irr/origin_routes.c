/*
 * origin_routes.c — every route / route6 object registered for one origin AS
 * (the IRR half of "which prefixes may this AS source?", used by manrs antispoof;
 * the same lookup as IRRd's !g/!6 but with each object's provenance).
 *
 * Assumes a finalized irr_db: db->by_origin holds (origin << 32 | route index),
 * sorted, so the objects of one origin are one contiguous run found by binary
 * search. Objects of every selected source are returned, not only the best ranked
 * one: the same prefix registered in two sources is two pieces of evidence.
 */
#include "irr_internal.h"

#include <stdlib.h>

int irr_routes_by_origin(const irr_db *db, uint32_t origin, const irr_sel *sel, irr_route_list *out)
{
    if (!db->finalized)
        return -1;
    size_t i = irr_pairs_lower(db->by_origin, db->n_by_origin, origin);
    for (; i < db->n_by_origin && (uint32_t)(db->by_origin[i] >> 32) == origin; i++) {
        const irr_route *r = &db->routes.v[(uint32_t)db->by_origin[i]];
        if (irr_sel_rank(db, sel, r->source) < 0)
            continue;
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 16;
            irr_route_ref *nv = realloc(out->v, nc * sizeof *nv);
            if (!nv)
                return -1;
            out->v = nv;
            out->cap = nc;
        }
        irr_route_ref *e = &out->v[out->n++];
        e->prefix = r->pfx;
        e->origin = r->origin;
        e->source = db->names.v[db->source_name[r->source]].s;
        e->mnt_by = r->mnt_by;
        e->file = db->files.v[r->file];
        e->line = r->line;
    }
    return 0;
}

void irr_route_list_free(irr_route_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
