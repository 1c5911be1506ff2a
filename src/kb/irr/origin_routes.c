/*
 * origin_routes.c — every route / route6 object registered for one origin AS,
 * collected into a list (the IRR half of "which prefixes may this AS source?", used
 * by manrs antispoof). The lookup itself is irr_db_routes_by_origin (query.c, the
 * same one whoisd's !g/!6 use); this file only gathers its answers. Objects of every
 * selected source are returned, not only the best ranked one: the same prefix
 * registered in two sources is two pieces of evidence.
 */
#include <stdlib.h>

#include "irr_internal.h"
#include "manrs/core/grow.h"
#include "manrs/kb/irr_query.h"

static int append_route(void *user, const irr_route_ref *r)
{
    irr_route_list *out = user;
    irr_route_ref *nv = mrs_grow(out->v, &out->cap, out->n + 1, sizeof *nv, 16);
    if (!nv)
        return -1;
    out->v = nv;
    out->v[out->n++] = *r;
    return 0;
}

int irr_routes_by_origin(const irr_db *db, uint32_t origin, const irr_sel *sel, irr_route_list *out)
{
    return irr_db_routes_by_origin(db, origin, 0, sel, append_route, out) < 0 ? -1 : 0;
}

void irr_route_list_clear(irr_route_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
