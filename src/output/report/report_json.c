/*
 * report_json.c — `manrs report --format json`: one JSON document.
 * "incidents" use the field names of the simulator's truth.json (class, culprit,
 * propagators, prefix, start, end) plus accomplice, victims, leak_type, peers,
 * "evidence" and, with --as, the network's "role"; "networks" carry every metric, the per-action scores and statuses.
 * Numbers: at most two decimals; no data = null. Key order is fixed (tests pin it).
 */
#include <inttypes.h>
#include <string.h>

#include "manrs/core/json_out.h"
#include "report_util.h"

static void num(FILE *f, double v)
{
    char b[48];
    fputs(rpt_num(v, b, sizeof b, "null") ? b : "null", f);
}

void mrs_report_json_run(FILE *f, const mrs_run_info *ri)
{
    fprintf(f, "{\"id\": %" PRId64 ", \"status\": ", ri->id);
    mrs_json_fcstr(f, ri->status);
    fputs(", \"reason\": ", f);
    mrs_json_fcstr(f, ri->reason);
    fprintf(f, ", \"window\": {\"start\": %" PRIu32 ", \"end\": %" PRIu32 "}, \"started\": %" PRId64 ", \"finished\": ",
            ri->window_start, ri->window_end, ri->started);
    if (ri->finished)
        fprintf(f, "%" PRId64, ri->finished);
    else
        fputs("null", f);
    fputs(", \"inputs\": ", f);
    mrs_json_fcstr(f, ri->inputs);
    fputs(", \"tool_version\": ", f);
    mrs_json_fcstr(f, ri->tool_version);
    fprintf(f, ", \"schema_version\": %d, \"networks\": %" PRIu64 ", \"incidents\": %" PRIu64 ", \"warnings\": [",
            ri->schema_version, ri->n_networks, ri->n_incidents);
    for (const char *p = ri->warnings; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line - 1 ? len : sizeof line - 1), p);
        if (p != ri->warnings)
            fputs(", ", f);
        mrs_json_fcstr(f, line);
        p = e ? e + 1 : p + len;
    }
    fputs("]}", f);
}

void mrs_report_json_agg_fields(FILE *f, const mrs_report_agg *g)
{
    fprintf(f, "\"networks\": %zu, \"actions\": {", g->networks);
    for (int a = 1; a <= 4; a++) {
        fprintf(f, "%s\"%s\": {\"ready\": %zu, \"aspiring\": %zu, \"lagging\": %zu, \"no_data\": %zu, \"mean\": ",
                a > 1 ? ", " : "", mrs_action_key(a), g->status[a][MRS_READY], g->status[a][MRS_ASPIRING],
                g->status[a][MRS_LAGGING], g->status[a][MRS_NO_DATA]);
        num(f, g->mean[a]);
        if (a == 4) {
            fputs(", \"mean_irr\": ", f);
            num(f, g->mean_irr);
        }
        fputc('}', f);
    }
    fputc('}', f);
}

void mrs_report_json_agg(FILE *f, const mrs_report_agg *g)
{
    fputc('{', f);
    mrs_report_json_agg_fields(f, g);
    fputc('}', f);
}

void mrs_report_json_network(FILE *f, const mrs_network_metrics *m, size_t rank)
{
    fprintf(f, "{\"rank\": %zu, \"asn\": %" PRIu32 ", \"country\": ", rank, m->asn);
    mrs_json_fcstr(f, m->country[0] ? m->country : NULL);
    fputs(", \"name\": ", f);
    mrs_json_fcstr(f, m->name[0] ? m->name : NULL);
    fputs(", \"metrics\": {", f);
    size_t nd;
    const mrs_metric_desc *d = mrs_report_metrics(&nd);
    for (size_t i = 0; i < nd; i++) {
        fprintf(f, "%s\"%s\": ", i ? ", " : "", d[i].id);
        if (d[i].is_bool)
            fputs(mrs_metric_value(m, &d[i]) > 0 ? "true" : "false", f);
        else
            num(f, mrs_metric_value(m, &d[i]));
    }
    fprintf(f, ", \"announced\": %" PRIu64 ", \"irr_covered\": %" PRIu64 ", \"rpki_valid\": %" PRIu64
               ", \"rpki_invalid\": %" PRIu64 "}, \"raw\": {",
            m->announced, m->irr_covered, m->rpki_valid, m->rpki_invalid);
    for (int c = 0; c < MRS_INC_NCLASSES; c++) {
        fprintf(f, "%s\"%s\": ", c ? ", " : "", mrs_incident_class_name((mrs_incident_class)c));
        num(f, m->raw[c]);
    }
    fputs("}, \"raw_accomplice\": {", f);
    for (int c = 0; c < MRS_INC_NCLASSES; c++) {
        fprintf(f, "%s\"%s\": ", c ? ", " : "", mrs_incident_class_name((mrs_incident_class)c));
        num(f, m->raw_c[c]);
    }
    fputs("}, \"actions\": {", f);
    for (int a = 1; a <= 4; a++) {
        fprintf(f, "%s\"%s\": {\"score\": ", a > 1 ? ", " : "", mrs_action_key(a));
        num(f, m->action[a]);
        if (a == 4) {
            fputs(", \"irr\": ", f);
            num(f, m->m7irr);
        }
        fprintf(f, ", \"status\": \"%s\"}", mrs_readiness_name(m->status[a]));
    }
    fputs("}}", f);
}

void mrs_report_json_incident(FILE *f, const mrs_incident *i, uint32_t asn)
{
    char pfx[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&i->prefix, pfx);
    fprintf(f, "{\"id\": %" PRIu64 ", \"class\": \"%s\", \"confidence\": \"%s\", \"reasons\": [", i->id,
            mrs_incident_class_name(i->cls), mrs_confidence_name(i->confidence));
    for (int k = 0, first = 1; k < MRS_WHY_NCODES; k++)
        if (i->reasons & 1u << k) {
            fprintf(f, "%s\"%s\"", first ? "" : ", ", mrs_reason_code(1u << k));
            first = 0;
        }
    fprintf(f, "], \"culprit\": %" PRIu32 ", \"accomplice\": ", i->culprit);
    if (i->accomplice)
        fprintf(f, "%" PRIu32, i->accomplice);
    else
        fputs("null", f);
    fputs(", \"propagators\": [", f);
    for (size_t k = 0; k < i->n_propagators; k++)
        fprintf(f, "%s%" PRIu32, k ? ", " : "", i->propagators[k]);
    fputs("], \"victims\": [", f);
    for (size_t k = 0; k < i->n_victims; k++)
        fprintf(f, "%s%" PRIu32, k ? ", " : "", i->victims[k]);
    fputc(']', f);
    const char *role = mrs_incident_role(i, asn);
    if (role)
        fprintf(f, ", \"role\": \"%s\"", role);
    fprintf(f, ", \"prefix\": \"%s\", \"start\": %" PRIu32 ", \"end\": %" PRIu32 ", \"leak_type\": ", pfx, i->start,
            i->end);
    if (i->leak_type)
        fprintf(f, "%u", i->leak_type);
    else
        fputs("null", f);
    fprintf(f, ", \"peers\": %u, \"evidence\": [", i->peers);
    for (size_t k = 0; k < i->n_evidence; k++) {
        const mrs_evidence *e = &i->evidence[k];
        char ip[MRS_IP_STRLEN] = "";
        if (e->peer_afi == MRS_AFI_IPV4 || e->peer_afi == MRS_AFI_IPV6)
            mrs_ip_format(e->peer_afi, e->peer_ip, ip);
        fprintf(f, "%s\n    {\"peer_asn\": %" PRIu32 ", \"peer_ip\": ", k ? "," : "", e->peer_asn);
        mrs_json_fcstr(f, ip[0] ? ip : NULL);
        fprintf(f, ", \"time\": %" PRIu32 ", \"as_path\": ", e->time);
        mrs_json_fcstr(f, e->as_path);
        fputs(", \"file\": ", f);
        mrs_json_fcstr(f, e->file);
        fprintf(f, ", \"offset\": %" PRIu64 ", \"note\": ", e->offset);
        mrs_json_fcstr(f, e->note);
        fputc('}', f);
    }
    fputs("]}", f);
}

void mrs_report_json_counts(FILE *f, const mrs_report *r)
{
    fputc('{', f);
    for (int c = 0; c < MRS_INC_NCLASSES; c++)
        fprintf(f, "%s\"%s\": %zu", c ? ", " : "", mrs_incident_class_name((mrs_incident_class)c), r->inc_by_class[c]);
    fputc('}', f);
}

void mrs_report_json_countries(FILE *f, const mrs_report *r)
{
    fputc('[', f);
    for (size_t i = 0; i < r->n_countries; i++) {
        fprintf(f, "%s\n  {\"country\": ", i ? "," : "");
        mrs_json_fcstr(f, r->countries[i].country);
        fputs(", ", f);
        mrs_report_json_agg_fields(f, &r->countries[i]);
        fputc('}', f);
    }
    fputs(r->n_countries ? "\n]" : "]", f);
}

void mrs_report_json_trend_point(FILE *f, const mrs_report_trend *t)
{
    fprintf(f, "{\"run\": %" PRId64 ", \"window\": {\"start\": %" PRIu32 ", \"end\": %" PRIu32 "}, \"summary\": ",
            t->run, t->window_start, t->window_end);
    mrs_report_json_agg(f, &t->agg);
    fputc('}', f);
}

int mrs_report_json(FILE *f, const mrs_report *r)
{
    fputs("{\"run\": ", f);
    mrs_report_json_run(f, &r->run);
    fputs(",\n\"scope\": {\"as\": ", f);
    if (r->opts.asn)
        fprintf(f, "%" PRIu32, r->opts.asn);
    else
        fputs("null", f);
    fputs(", \"country\": ", f);
    mrs_json_fcstr(f, r->opts.country[0] ? r->opts.country : NULL);
    fputs(", \"top\": ", f);
    if (r->opts.top)
        fprintf(f, "%zu", r->opts.top);
    else
        fputs("null", f);
    fprintf(f, ", \"networks_in_scope\": %zu},\n\"summary\": ", r->n_nets_scope);
    mrs_report_json_agg(f, &r->total);
    fputs(",\n\"incident_counts\": ", f);
    mrs_report_json_counts(f, r);
    fputs(",\n\"countries\": ", f);
    mrs_report_json_countries(f, r);
    fputs(",\n\"networks\": [", f);
    for (size_t i = 0; i < r->n_nets; i++) {
        fputs(i ? ",\n  " : "\n  ", f);
        mrs_report_json_network(f, &r->nets[i], i + 1);
    }
    fputs(r->n_nets ? "\n],\n\"incidents\": [" : "],\n\"incidents\": [", f);
    for (size_t i = 0; i < r->inc.n; i++) {
        fputs(i ? ",\n  " : "\n  ", f);
        mrs_report_json_incident(f, &r->inc.v[i], r->opts.asn);
    }
    fputs(r->inc.n ? "\n],\n\"history\": [" : "],\n\"history\": [", f);
    for (size_t i = 0; i < r->n_runs; i++) {
        fputs(i ? ",\n  " : "\n  ", f);
        mrs_report_json_run(f, &r->runs[i]);
    }
    fputs(r->n_runs ? "\n],\n\"trend\": [" : "],\n\"trend\": [", f);
    for (size_t i = 0; i < r->n_trend; i++) {
        fputs(i ? ",\n  " : "\n  ", f);
        mrs_report_json_trend_point(f, &r->trend[i]);
    }
    fputs(r->n_trend ? "\n]}\n" : "]}\n", f);
    return ferror(f) ? -1 : 0;
}
