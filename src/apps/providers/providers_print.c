/*
 * providers_print.c — `manrs providers` as a table, JSON (docs/providers.md
 * gives the schema) and a self-contained HTML page (no scripts; the incident
 * rows are output/html.h's).
 */
#include <inttypes.h>
#include <string.h>

#include "manrs/apps/providers.h"
#include "manrs/core/date.h"
#include "manrs/core/json_out.h"
#include "manrs/output/html.h"

/* What as-rel says of the link, from the upstream's side, in words. */
static const char *relation(const prov_result *r, const prov_upstream *u)
{
    if (!r->have_asrel)
        return "not given";
    switch (u->rel) {
    case MRS_REL_P2C: return "provider";
    case MRS_REL_P2P: return "peer";
    case MRS_REL_C2P: return "customer";
    case MRS_REL_S2S: return "sibling";
    case MRS_REL_NONE: break;
    }
    return "no link";
}

static void sources(const prov_result *r, const prov_upstream *u, char *out, size_t max)
{
    if (u->from_asrel && u->from_paths)
        snprintf(out, max, "as-rel, paths");
    else if (u->from_asrel)
        snprintf(out, max, "as-rel");
    else
        snprintf(out, max, "seen upstream in paths (as-rel: %s)", relation(r, u));
}

static void state_text(const prov_result *r, const prov_upstream *u, char *out, size_t max)
{
    if (!u->p)
        snprintf(out, max, "-");
    else if (!r->have_store)
        snprintf(out, max, "not given");
    else if (!u->has_state)
        snprintf(out, max, "none stored");
    else
        snprintf(out, max, "%s (%s)", mrs_enf_state_name(u->state.state), u->state_period);
}

/* The verdict of Action k for the upstream: its ASN's when the registry lists it,
 * else the participant's. */
static mrs_verdict action_verdict(const prov_upstream *u, unsigned k)
{
    return u->av ? u->av->a[k].verdict : u->v->action[k];
}

static uint8_t committed(const prov_upstream *u)
{
    return u->av ? u->av->committed : u->p->actions;
}

static void conformance_text(const prov_upstream *u, char *out, size_t max)
{
    if (!u->p) {
        snprintf(out, max, "-");
        return;
    }
    if (!u->v) {
        snprintf(out, max, "no data");
        return;
    }
    size_t n = (size_t)snprintf(out, max, "%s:", mrs_verdict_name(u->v->outcome));
    MRS_FOR_EACH_ACTION(k, committed(u))
        if (n < max)
            n += (size_t)snprintf(out + n, max - n, " A%u %s", k, mrs_verdict_name(action_verdict(u, k)));
}

static void evidence_text(const mrs_evidence *e, char *out, size_t max)
{
    if (!e) {
        snprintf(out, max, "no sample kept");
        return;
    }
    snprintf(out, max, "peer AS%" PRIu32 " path \"%s\" %s @ %" PRIu64, e->peer_asn, e->as_path ? e->as_path : "",
             e->file ? e->file : "?", e->offset);
}

int prov_print_table(const prov_result *r, FILE *f)
{
    size_t nprov = 0;
    for (size_t i = 0; i < r->n_up; i++)
        nprov += r->up[i].provider;
    fprintf(f, "AS%" PRIu32 ": %zu upstream%s, %zu provider%s\n", r->asn, r->n_up, r->n_up == 1 ? "" : "s", nprov,
            nprov == 1 ? "" : "s");
    fprintf(f, "  as-rel: %s; paths: %s; registry: %s; conformance: %s; store: %s\n",
            r->have_asrel ? (r->asrel_name ? r->asrel_name : "given") : "not given",
            r->have_paths ? "given" : "not given", r->have_registry ? "given" : "not given",
            r->have_conformance ? r->period : "no data", r->have_store ? "given" : "not given");
    fprintf(f, "\n%-12s %-40s %6s %6s  %-24s %-12s %-22s %s\n", "UPSTREAM", "SOURCES", "PEERS", "PATHS", "PARTICIPANT",
            "TIER", "STATE", "CONFORMANCE");
    for (size_t i = 0; i < r->n_up; i++) {
        const prov_upstream *u = &r->up[i];
        char asn[16], src[96], peers[16], paths[24], st[48], conf[160];
        snprintf(asn, sizeof asn, "AS%" PRIu32, u->asn);
        sources(r, u, src, sizeof src);
        if (u->from_paths) {
            snprintf(peers, sizeof peers, "%u", u->peers);
            snprintf(paths, sizeof paths, "%" PRIu64, u->paths);
        } else
            snprintf(peers, sizeof peers, "-"), snprintf(paths, sizeof paths, "-");
        state_text(r, u, st, sizeof st);
        conformance_text(u, conf, sizeof conf);
        fprintf(f, "%-12s %-40s %6s %6s  %-24s %-12s %-22s %s\n", asn, src, peers, paths,
                u->p ? u->p->id : (r->have_registry ? "not a participant" : "-"), u->p ? mrs_tier_name(u->p->tier) : "-",
                st, conf);
    }
    if (!r->n_up)
        fputs("  (none known)\n", f);
    fprintf(f, "\nExposure: %s incidents that could reach AS%" PRIu32 " through its providers: ",
            r->include_low ? "high- and low-confidence" : "high-confidence", r->asn);
    if (!r->have_incidents)
        fputs("no routing data given\n", f);
    else if (!r->n_exp)
        fputs("none\n", f);
    else {
        fprintf(f, "%zu\n%-10s %-11s %6s %-18s %-20s %-10s %-20s %s\n", r->n_exp, "PROVIDER", "ROLE", "ID", "CLASS",
                "PREFIX", "CULPRIT", "START (UTC)", "EVIDENCE");
        for (size_t i = 0; i < r->n_exp; i++) {
            const prov_exposure *x = &r->exp[i];
            char pfx[MRS_PREFIX_STRLEN], t[MRS_TIME_ISO_LEN], ev[1024], prov[16], cul[16];
            mrs_prefix_format(&x->inc->prefix, pfx);
            mrs_time_iso(x->inc->start, t);
            evidence_text(x->ev, ev, sizeof ev);
            snprintf(prov, sizeof prov, "AS%" PRIu32, x->provider);
            snprintf(cul, sizeof cul, "AS%" PRIu32, x->inc->culprit);
            fprintf(f, "%-10s %-11s %6" PRIu64 " %-18s %-20s %-10s %-20s %s%s\n", prov, prov_role_name(x->role),
                    x->inc->id, mrs_incident_class_name(x->inc->cls), pfx, cul, t, ev,
                    x->inc->confidence == MRS_CONF_HIGH ? "" : " [low confidence]");
        }
    }
    fflush(f);
    return ferror(f) ? -1 : 0;
}

static void json_str_or_null(FILE *f, const char *s)
{
    if (s)
        mrs_json_fcstr(f, s);
    else
        fputs("null", f);
}

int prov_print_json(const prov_result *r, FILE *f)
{
    fprintf(f, "{\"asn\": %" PRIu32 ", \"inputs\": {\"asrel\": ", r->asn);
    if (r->have_asrel)
        json_str_or_null(f, r->asrel_name ? r->asrel_name : "");
    else
        fputs("null", f);
    fprintf(f, ", \"paths\": %s, \"registry\": %s, \"conformance_period\": ", r->have_paths ? "true" : "false",
            r->have_registry ? "true" : "false");
    json_str_or_null(f, r->have_conformance ? r->period : NULL);
    fprintf(f, ", \"store\": %s, \"incidents\": %s, \"include_low\": %s},\n\"upstreams\": [",
            r->have_store ? "true" : "false", r->have_incidents ? "true" : "false", r->include_low ? "true" : "false");
    for (size_t i = 0; i < r->n_up; i++) {
        const prov_upstream *u = &r->up[i];
        char src[96];
        sources(r, u, src, sizeof src);
        fprintf(f, "%s\n {\"asn\": %" PRIu32 ", \"sources\": [", i ? "," : "", u->asn);
        fprintf(f, "%s%s%s]", u->from_asrel ? "\"as-rel\"" : "", u->from_asrel && u->from_paths ? ", " : "",
                u->from_paths ? "\"paths\"" : "");
        fprintf(f, ", \"relation\": \"%s\", \"provider\": %s, \"label\": ", relation(r, u), u->provider ? "true" : "false");
        mrs_json_fcstr(f, src);
        if (u->from_paths)
            fprintf(f, ", \"seen\": {\"peers\": %u, \"paths\": %" PRIu64 ", \"routes\": %" PRIu64 "}", u->peers, u->paths,
                    u->routes);
        else
            fputs(", \"seen\": null", f);
        fputs(", \"participant\": ", f);
        if (u->p) {
            fputs("{\"id\": ", f);
            mrs_json_fcstr(f, u->p->id);
            fputs(", \"organisation\": ", f);
            mrs_json_fcstr(f, u->p->organisation);
            fprintf(f, ", \"programme\": \"%s\", \"tier\": \"%s\"}", mrs_programme_name(u->p->programme),
                    mrs_tier_name(u->p->tier));
        } else
            fputs("null", f);
        fputs(", \"state\": ", f);
        if (u->has_state)
            fprintf(f, "{\"state\": \"%s\", \"period\": \"%s\", \"failing\": %u}", mrs_enf_state_name(u->state.state),
                    u->state_period, u->state.failing);
        else
            fputs("null", f);
        fputs(", \"conformance\": ", f);
        if (u->p && u->v) {
            fprintf(f, "{\"outcome\": \"%s\", \"actions\": {", mrs_verdict_name(u->v->outcome));
            MRS_FOR_EACH_ACTION(k, committed(u))
                fprintf(f, "%s\"%u\": \"%s\"", k == mrs_action_next(committed(u), 0) ? "" : ", ", k,
                        mrs_verdict_name(action_verdict(u, k)));
            fputs("}}", f);
        } else
            fputs("null", f);
        fprintf(f, ", \"exposures\": %zu}", u->n_exposures);
    }
    fputs("],\n\"exposure\": [", f);
    for (size_t i = 0; i < r->n_exp; i++) {
        const prov_exposure *x = &r->exp[i];
        char pfx[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&x->inc->prefix, pfx);
        fprintf(f,
                "%s\n {\"provider\": %" PRIu32 ", \"role\": \"%s\", \"incident\": {\"id\": %" PRIu64
                ", \"class\": \"%s\", \"leak_type\": %u, \"prefix\": \"%s\", \"culprit\": %" PRIu32
                ", \"start\": %" PRIu32 ", \"end\": %" PRIu32 ", \"confidence\": \"%s\", \"peers\": %u}, \"evidence\": ",
                i ? "," : "", x->provider, prov_role_name(x->role), x->inc->id, mrs_incident_class_name(x->inc->cls),
                x->inc->leak_type, pfx, x->inc->culprit, x->inc->start, x->inc->end,
                mrs_confidence_name(x->inc->confidence), x->inc->peers);
        if (x->ev) {
            fprintf(f, "{\"peer_asn\": %" PRIu32 ", \"time\": %" PRIu32 ", \"as_path\": ", x->ev->peer_asn, x->ev->time);
            json_str_or_null(f, x->ev->as_path);
            fputs(", \"file\": ", f);
            json_str_or_null(f, x->ev->file);
            fprintf(f, ", \"offset\": %" PRIu64 "}}", x->ev->offset);
        } else
            fputs("null}", f);
    }
    fprintf(f, "],\n\"failing\": %s}\n", prov_any_failing(r) ? "true" : "false");
    fflush(f);
    return ferror(f) ? -1 : 0;
}

int prov_print_html(const prov_result *r, FILE *f)
{
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            "<title>MANRS — the providers of AS%" PRIu32 "</title><style>%s</style></head><body>\n",
            r->asn, mrs_html_css);
    fprintf(f, "<header><h1>The providers of AS%" PRIu32 "</h1><p class=\"muted\">Do my upstreams keep their MANRS "
               "word? as-rel: ", r->asn);
    mrs_html_text(f, r->have_asrel ? (r->asrel_name ? r->asrel_name : "given") : "not given");
    fprintf(f, " · paths: %s · registry: %s · conformance: %s · store: %s</p></header>\n<main>",
            r->have_paths ? "given" : "not given", r->have_registry ? "given" : "not given",
            r->have_conformance ? r->period : "no data", r->have_store ? "given" : "not given");
    fputs("<section><h2>Upstreams</h2><table><tr><th>upstream</th><th>sources</th><th class=\"n\">peers</th>"
          "<th class=\"n\">paths</th><th>participant</th><th>tier</th><th>state</th><th>conformance</th>"
          "<th class=\"n\">incidents</th></tr>",
          f);
    for (size_t i = 0; i < r->n_up; i++) {
        const prov_upstream *u = &r->up[i];
        char src[96], st[48], conf[160];
        sources(r, u, src, sizeof src);
        state_text(r, u, st, sizeof st);
        conformance_text(u, conf, sizeof conf);
        fprintf(f, "<tr id=\"as%" PRIu32 "\"><td>AS%" PRIu32 "</td><td>", u->asn, u->asn);
        mrs_html_text(f, src);
        if (u->from_paths)
            fprintf(f, "</td><td class=\"n\">%u</td><td class=\"n\">%" PRIu64 "</td><td>", u->peers, u->paths);
        else
            fputs("</td><td class=\"n\">-</td><td class=\"n\">-</td><td>", f);
        if (u->p) {
            mrs_html_text(f, u->p->id);
            fputs(" <span class=\"muted\">(", f);
            mrs_html_text(f, u->p->organisation);
            fprintf(f, ", %s)</span>", mrs_programme_name(u->p->programme));
        } else
            fputs(r->have_registry ? "not a participant" : "-", f);
        fprintf(f, "</td><td>%s</td><td>", u->p ? mrs_tier_name(u->p->tier) : "-");
        mrs_html_text(f, st);
        fputs("</td><td>", f);
        mrs_html_text(f, conf);
        fprintf(f, "</td><td class=\"n\">%zu</td></tr>", u->n_exposures);
    }
    fputs("</table>", f);
    if (!r->n_up)
        fputs("<p class=\"muted\">No upstream known.</p>", f);
    fprintf(f, "</section>\n<section><h2>Exposure <span class=\"muted\">(%s incidents that could reach AS%" PRIu32
               " through its providers)</span></h2>",
            r->include_low ? "high- and low-confidence" : "high-confidence", r->asn);
    if (!r->have_incidents)
        fputs("<p class=\"muted\">No routing data given.</p>", f);
    else if (!r->n_exp)
        fputs("<p>None.</p>", f);
    else {
        mrs_html_incident_head(f, true);
        for (size_t i = 0; i < r->n_exp; i++) {
            const prov_exposure *x = &r->exp[i];
            bool first = true;
            for (size_t j = 0; j < i; j++)
                first &= r->exp[j].inc != x->inc;
            char role[48];
            snprintf(role, sizeof role, "AS%" PRIu32 " %s", x->provider, prov_role_name(x->role));
            mrs_html_incident_row(f, x->inc, first, role, MRS_HTML_FILE);
        }
        fputs("</table>", f);
    }
    fputs("</section></main></body></html>\n", f);
    fflush(f);
    return ferror(f) ? -1 : 0;
}
