/*
 * run_json.c — one observatory run as a JSON document (`manrs observe --json`):
 * the window, every incident and every network. Incidents use the field names of
 * the simulator's truth.json (class, culprit, propagators, prefix, start, end,
 * visible_peers), so that tests/oracle/score_truth.py scores a run against ground
 * truth. A document: built with jansson, written compactly.
 */
#include "manrs/output/run_json.h"
#include "manrs/output/json_doc.h"

#include <jansson.h>
#include <string.h>

static json_t *incident_json(const mrs_incident *x)
{
    char pfx[MRS_PREFIX_STRLEN], ip[MRS_IP_STRLEN];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer((json_int_t)x->id));
    json_object_set_new(o, "class", mrs_json_text(mrs_incident_class_name(x->cls)));
    json_object_set_new(o, "confidence", mrs_json_text(mrs_confidence_name(x->confidence)));
    json_object_set_new(o, "reasons", mrs_json_reasons(x->reasons));
    json_object_set_new(o, "culprit", json_integer(x->culprit));
    json_t *pr = json_array();
    for (size_t i = 0; i < x->n_propagators; i++)
        json_array_append_new(pr, json_integer(x->propagators[i]));
    json_object_set_new(o, "propagators", pr);
    json_object_set_new(o, "accomplice", x->accomplice ? json_integer(x->accomplice) : json_null());
    json_t *ac = json_array();
    for (size_t i = 0; i < x->n_accomplices; i++)
        json_array_append_new(ac, json_integer(x->accomplices[i]));
    json_object_set_new(o, "accomplices", ac);
    json_t *vi = json_array();
    for (size_t i = 0; i < x->n_victims; i++)
        json_array_append_new(vi, json_integer(x->victims[i]));
    json_object_set_new(o, "victims", vi);
    mrs_prefix_format(&x->prefix, pfx);
    json_object_set_new(o, "prefix", mrs_json_text(pfx));
    json_object_set_new(o, "start", json_integer(x->start));
    json_object_set_new(o, "end", json_integer(x->end));
    json_object_set_new(o, "score", json_real(mrs_incident_score((int64_t)x->end - x->start)));
    json_object_set_new(o, "visible_peers", json_integer(x->peers));
    if (x->cls == MRS_INC_ROUTE_LEAK)
        json_object_set_new(o, "leak_type", json_integer(x->leak_type));
    json_t *ev = json_array();
    for (size_t i = 0; i < x->n_evidence; i++) {
        const mrs_evidence *e = &x->evidence[i];
        json_t *eo = json_object();
        json_object_set_new(eo, "peer_asn", json_integer(e->peer_asn));
        mrs_ip_format(e->peer_afi, e->peer_ip, ip);
        json_object_set_new(eo, "peer_ip", mrs_json_text(ip));
        json_object_set_new(eo, "time", json_integer(e->time));
        json_object_set_new(eo, "as_path", mrs_json_text(e->as_path ? e->as_path : ""));
        json_object_set_new(eo, "file", mrs_json_text(e->file ? e->file : ""));
        json_object_set_new(eo, "offset", json_integer((json_int_t)e->offset));
        json_object_set_new(eo, "note", e->note ? mrs_json_text(e->note) : json_null());
        json_array_append_new(ev, eo);
    }
    json_object_set_new(o, "evidence", ev);
    return o;
}

static json_t *num(double x) { return x < 0 ? json_null() : json_real(x); }

static json_t *network_json(const mrs_network_metrics *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "asn", json_integer(m->asn));
    json_object_set_new(o, "country", mrs_json_text(m->country));
    json_object_set_new(o, "name", mrs_json_text(m->name));
    json_t *raw = json_object(), *rawc = json_object();
    for (unsigned c = 0; c < MRS_INC_NCLASSES; c++) {
        json_object_set_new(raw, mrs_incident_class_name((mrs_incident_class)c), json_real(m->raw[c]));
        json_object_set_new(rawc, mrs_incident_class_name((mrs_incident_class)c), json_real(m->raw_c[c]));
    }
    json_object_set_new(o, "raw", raw);
    json_object_set_new(o, "raw_c", rawc);
    json_object_set_new(o, "m1", num(m->m1));
    json_object_set_new(o, "m1c", num(m->m1c));
    json_object_set_new(o, "m2", num(m->m2));
    json_object_set_new(o, "m2c", num(m->m2c));
    json_object_set_new(o, "m3", num(m->m3));
    json_object_set_new(o, "m3c", num(m->m3c));
    json_object_set_new(o, "m4", num(m->m4));
    json_object_set_new(o, "m4c", num(m->m4c));
    json_object_set_new(o, "m5", num(m->m5));
    json_object_set_new(o, "m5c", num(m->m5c));
    json_object_set_new(o, "m6", json_boolean(m->m6));
    json_object_set_new(o, "m8", json_boolean(m->m8));
    json_object_set_new(o, "announced", json_integer((json_int_t)m->announced));
    json_object_set_new(o, "irr_covered", json_integer((json_int_t)m->irr_covered));
    json_object_set_new(o, "rpki_valid", json_integer((json_int_t)m->rpki_valid));
    json_object_set_new(o, "rpki_invalid", json_integer((json_int_t)m->rpki_invalid));
    json_object_set_new(o, "m7irr", num(m->m7irr));
    json_object_set_new(o, "m7rpki", num(m->m7rpki));
    json_object_set_new(o, "m7rpkin", num(m->m7rpkin));
    json_t *act = json_object();
    for (int k = 1; k <= 4; k++) {
        char key[16];
        snprintf(key, sizeof key, "action%d", k);
        json_t *a = json_object();
        json_object_set_new(a, "score", num(m->action[k]));
        json_object_set_new(a, "status", mrs_json_text(mrs_readiness_name(m->status[k])));
        json_object_set_new(act, key, a);
    }
    json_object_set_new(o, "actions", act);
    return o;
}

int mrs_run_json_write(const char *path, const mrs_obs_result *r, unsigned min_peers, uint64_t decode_errors)
{
    json_t *root = json_object(), *ji = json_array(), *jn = json_array();
    json_t *w = json_object();
    json_object_set_new(w, "start", json_integer(r->b.from));
    json_object_set_new(w, "end", json_integer(r->b.to));
    json_object_set_new(w, "baseline_end", json_integer(r->b.baseline_end));
    json_object_set_new(w, "min_peers", json_integer(min_peers));
    json_object_set_new(w, "full_feed_peers", json_integer(r->full_feed_peers));
    /* coverage: per action, the networks that have data */
    json_t *cov = json_object();
    for (int k = 1; k <= 4; k++) {
        json_int_t n = 0;
        for (size_t i = 0; i < r->nets.n; i++)
            n += r->nets.v[i].status[k] != MRS_NO_DATA;
        char key[16];
        snprintf(key, sizeof key, "action%d", k);
        json_object_set_new(cov, key, json_integer(n));
    }
    json_object_set_new(w, "networks_with_data", cov);
    size_t merged = mrs_incidents_merged(&r->b.incidents, false);
    json_object_set_new(w, "incidents_high_merged", merged == (size_t)-1 ? json_null() : json_integer((json_int_t)merged));
    json_object_set_new(w, "decode_errors", json_integer((json_int_t)decode_errors));
    json_object_set_new(w, "baseline", json_boolean(r->b.has_baseline));
    json_object_set_new(w, "implausibly_short_routes", json_integer((json_int_t)r->b.detect.short_routes));
    json_object_set_new(w, "default_route_peers", json_integer((json_int_t)r->b.detect.default_peers));
    json_object_set_new(w, "beacon_routes", json_integer((json_int_t)r->b.detect.beacon_routes));
    json_object_set_new(w, "ixp_lan_routes", json_integer((json_int_t)r->b.detect.ixp_lan_routes));
    json_object_set_new(w, "blackhole_routes", json_integer((json_int_t)r->b.detect.blackhole_routes));
    json_object_set_new(w, "messages_cut_by_collector", json_integer((json_int_t)r->b.cut));
    json_object_set_new(root, "window", w);
    /* about the inputs (periods, coverage): what stderr and the stored run say */
    json_t *jw = json_array();
    for (size_t i = 0; i < r->b.n_warnings; i++)
        json_array_append_new(jw, json_string(r->b.warnings[i]));
    json_object_set_new(root, "warnings", jw);
    for (size_t i = 0; i < r->b.incidents.n; i++)
        json_array_append_new(ji, incident_json(&r->b.incidents.v[i]));
    for (size_t i = 0; i < r->nets.n; i++)
        json_array_append_new(jn, network_json(&r->nets.v[i]));
    json_object_set_new(root, "incidents", ji);
    json_object_set_new(root, "networks", jn);
    int jr = strcmp(path, "-") == 0 ? json_dumpf(root, stdout, JSON_COMPACT) : json_dump_file(root, path, JSON_COMPACT);
    json_decref(root);
    return jr != 0 ? -1 : 0;
}
