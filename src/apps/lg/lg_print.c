/*
 * lg_print.c — a looking-glass answer as a table and as one JSON document (lg.h;
 * the schema is docs/lg.md's).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/lg.h"
#include "manrs/core/date.h"
#include "manrs/output/json_doc.h"

static const char *rov_text(const mrs_lg_verdict *v)
{
    return v->rov_checked ? mrs_rov_state_name(v->rov) : NULL;
}

static const char *aspa_text(const mrs_lg_verdict *v)
{
    return v->aspa_checked ? mrs_aspa_state_name(v->aspa) : NULL;
}

static const char *irr_text(const mrs_lg_verdict *v)
{
    return v->irr_checked ? irr_origin_state_name(v->irr) : NULL;
}

static json_t *str_or_null(const char *s) { return s ? mrs_json_text(s) : json_null(); }

static json_t *time_json(uint32_t t)
{
    char iso[MRS_TIME_ISO_LEN];
    return mrs_json_text(mrs_time_iso(t, iso));
}

static json_t *route_json(const mrs_lg *lg, const mrs_lg_route *x)
{
    const mrs_view *v = mrs_lg_view(lg);
    const mrs_view_route *r = x->r;
    json_t *o = json_object();
    char *path = mrs_as_path_text(mrs_view_path(v, r->path));
    json_object_set_new(o, "path", str_or_null(path));
    free(path);
    json_object_set_new(o, "origin", r->origin ? json_integer(r->origin) : json_null());
    json_object_set_new(o, "start", json_integer(r->start));
    json_object_set_new(o, "start_iso", time_json(r->start));
    json_object_set_new(o, "end", x->held ? json_null() : json_integer(r->end));
    json_object_set_new(o, "end_iso", x->held ? json_null() : time_json(r->end));
    json_object_set_new(o, "held", json_boolean(x->held));
    json_object_set_new(o, "in_window", json_boolean(x->in_window));
    const mrs_lg_verdict *vd = &x->v;
    json_object_set_new(o, "rov", str_or_null(rov_text(vd)));
    if (vd->rov_checked) {
        json_object_set_new(o, "rov_reason", vd->rov_reason ? mrs_json_text(mrs_rov_reason_name(vd->rov_reason))
                                                             : json_null());
        json_object_set_new(o, "rov_vrps_matching", json_integer(vd->rov_matching));
        json_object_set_new(o, "rov_vrps_covering", json_integer(vd->rov_covering));
    }
    json_object_set_new(o, "aspa", str_or_null(aspa_text(vd)));
    json_object_set_new(o, "irr", str_or_null(irr_text(vd)));
    json_object_set_new(o, "bogon", mrs_json_text(mrs_route_bogon_name(vd->bogon)));
    json_object_set_new(o, "bogon_asns", json_integer((json_int_t)vd->n_bogon_asns));
    json_object_set_new(o, "bogon_asn", vd->n_bogon_asns ? json_integer(vd->bogon_asn) : json_null());
    json_object_set_new(o, "blackhole", json_boolean(r->blackhole));
    json_object_set_new(o, "otc", r->otc ? json_integer(r->otc) : json_null());
    json_object_set_new(o, "file", mrs_json_text(mrs_view_file_name(v, r->file)));
    json_object_set_new(o, "offset", json_integer((json_int_t)r->offset));
    return o;
}

char *mrs_lg_json(const mrs_lg *lg, const mrs_lg_result *res, const char *query_text)
{
    const mrs_view *v = mrs_lg_view(lg);
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "query", str_or_null(query_text));
    json_object_set_new(o, "at", json_integer(res->at));
    json_object_set_new(o, "at_iso", time_json(res->at));
    json_object_set_new(o, "from", json_integer(res->from));
    json_object_set_new(o, "to", json_integer(res->to));
    json_object_set_new(o, "data_start", json_integer(mrs_lg_data_start(lg)));
    json_object_set_new(o, "data_end", json_integer(mrs_lg_data_end(lg)));
    json_object_set_new(o, "matched", json_integer((json_int_t)res->matched));
    json_object_set_new(o, "shown", json_integer((json_int_t)res->nroutes));
    json_object_set_new(o, "truncated", json_boolean(res->truncated));
    json_object_set_new(o, "prefixes", json_integer((json_int_t)res->prefixes));
    json_object_set_new(o, "peers", json_integer((json_int_t)res->peers));
    json_t *ents = json_array();
    for (size_t i = 0; i < res->nentries; i++) {
        const mrs_lg_entry *e = &res->entries[i];
        const mrs_view_peer *p = mrs_view_peer_at(v, e->peer);
        char pfx[MRS_PREFIX_STRLEN], ip[MRS_IP_STRLEN];
        mrs_prefix_format(mrs_view_prefix(v, e->prefix), pfx);
        mrs_ip_format(p->afi, p->ip, ip);
        json_t *j = json_object(), *hist = json_array();
        json_object_set_new(j, "prefix", mrs_json_text(pfx));
        json_object_set_new(j, "peer_asn", json_integer(p->asn));
        json_object_set_new(j, "peer_ip", mrs_json_text(ip));
        json_object_set_new(j, "at", e->at >= 0 ? route_json(lg, &res->routes[e->at]) : json_null());
        for (size_t k = e->first; k < e->first + e->n; k++)
            if (res->routes[k].in_window)
                json_array_append_new(hist, route_json(lg, &res->routes[k]));
        json_object_set_new(j, "history", hist);
        json_array_append_new(ents, j);
    }
    json_object_set_new(o, "entries", ents);
    char *s = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

static void verdict_cells(const mrs_lg_verdict *v, char *out, size_t n)
{
    const char *rov = rov_text(v), *aspa = aspa_text(v), *irr = irr_text(v);
    char bog[48];
    if (v->n_bogon_asns)
        snprintf(bog, sizeof bog, "%s,AS%u", mrs_route_bogon_name(v->bogon), v->bogon_asn);
    else
        snprintf(bog, sizeof bog, "%s", mrs_route_bogon_name(v->bogon));
    snprintf(out, n, "rov=%s%s%s aspa=%s irr=%s bogon=%s", rov ? rov : "-", v->rov_reason ? "/" : "",
             v->rov_reason ? mrs_rov_reason_name(v->rov_reason) : "", aspa ? aspa : "-", irr ? irr : "-", bog);
}

static void route_row(const mrs_lg *lg, const mrs_lg_route *x, bool at, FILE *f)
{
    const mrs_view *v = mrs_lg_view(lg);
    const mrs_view_route *r = x->r;
    char s[MRS_TIME_ISO_LEN], e[MRS_TIME_ISO_LEN], cells[160];
    char *path = mrs_as_path_text(mrs_view_path(v, r->path));
    verdict_cells(&x->v, cells, sizeof cells);
    fprintf(f, "    %c %s .. %-20s  %s\n        %s  %s@%llu%s\n", at ? '*' : ' ', mrs_time_iso(r->start, s),
            x->held ? "held" : mrs_time_iso(r->end, e), path ? (*path ? path : "(empty)") : "?", cells,
            mrs_view_file_name(v, r->file), (unsigned long long)r->offset, r->blackhole ? "  BLACKHOLE" : "");
    free(path);
}

int mrs_lg_print_table(const mrs_lg *lg, const mrs_lg_result *res, FILE *f)
{
    const mrs_view *v = mrs_lg_view(lg);
    char a[MRS_TIME_ISO_LEN], b[MRS_TIME_ISO_LEN], c[MRS_TIME_ISO_LEN];
    fprintf(f, "at %s, history %s .. %s: %zu route%s, %zu peer%s, %zu prefix%s\n", mrs_time_iso(res->at, a),
            mrs_time_iso(res->from, b), mrs_time_iso(res->to, c), res->nroutes, res->nroutes == 1 ? "" : "s",
            res->peers, res->peers == 1 ? "" : "s", res->prefixes, res->prefixes == 1 ? "" : "es");
    fputs("(* the route held at that moment; START .. END or held: still held at the end of the data)\n", f);
    for (size_t i = 0; i < res->nentries; i++) {
        const mrs_lg_entry *e = &res->entries[i];
        char pfx[MRS_PREFIX_STRLEN], ip[MRS_IP_STRLEN];
        if (i == 0 || e->prefix != res->entries[i - 1].prefix) {
            mrs_prefix_format(mrs_view_prefix(v, e->prefix), pfx);
            fprintf(f, "\n%s\n", pfx);
        }
        const mrs_view_peer *p = mrs_view_peer_at(v, e->peer);
        mrs_ip_format(p->afi, p->ip, ip);
        fprintf(f, "  peer AS%u %s%s\n", p->asn, ip, e->at < 0 ? "  (nothing held at that moment)" : "");
        for (size_t k = e->first; k < e->first + e->n; k++)
            route_row(lg, &res->routes[k], (long)k == e->at, f);
    }
    if (res->truncated)
        fprintf(f, "\ntruncated: %zu of %zu routes shown (--limit)\n", res->nroutes, res->matched);
    return ferror(f) ? -1 : 0;
}
