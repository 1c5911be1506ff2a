/*
 * check_print.c — print a `manrs check` result (check.h): a terminal table, one
 * block per MANRS action (verdict, evidence, remediation), or one JSON object.
 * Assumes the result was filled by mrs_check_run.
 */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "manrs/apps/check.h"
#include "manrs/output/json_doc.h"

int mrs_check_print_table(const mrs_check_result *r, FILE *out)
{
    fprintf(out, "MANRS self-assessment of AS%" PRIu32 "\n", r->asn);
    for (int k = 1; k <= 4; k++) {
        const mrs_check_action *a = &r->act[k];
        fprintf(out, "\n+-- Action %d: %-66s %7s\n", k, a->title ? a->title : "", mrs_check_verdict_name(a->verdict));
        for (size_t i = 0; i < a->evidence.n; i++)
            fprintf(out, "|   %s\n", a->evidence.v[i]);
        if (a->remediation.n)
            fprintf(out, "|  remediation:\n");
        for (size_t i = 0; i < a->remediation.n; i++)
            fprintf(out, "|   %s\n", a->remediation.v[i]);
        if (k == 2 && r->acl) {
            fprintf(out, "|\n");
            for (const char *p = r->acl; *p;) {
                const char *e = strchr(p, '\n');
                size_t n = e ? (size_t)(e - p) : strlen(p);
                fprintf(out, "|   %.*s\n", (int)n, p);
                p += n + (e ? 1 : 0);
            }
        }
        if (k == 4)
            for (size_t i = 0; i < r->route_objects.n; i++) {
                fprintf(out, "|\n");
                for (const char *p = r->route_objects.v[i]; *p;) {
                    const char *e = strchr(p, '\n');
                    size_t n = e ? (size_t)(e - p) : strlen(p);
                    fprintf(out, "|   %.*s\n", (int)n, p);
                    p += n + (e ? 1 : 0);
                }
            }
    }
    return ferror(out) ? -1 : 0;
}

static json_t *strs(const mrs_check_strs *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->n; i++)
        json_array_append_new(a, mrs_json_text(s->v[i]));
    return a;
}

int mrs_check_print_json(const mrs_check_result *r, FILE *out)
{
    json_t *o = json_object(), *acts = json_object();
    char pfx[MRS_PREFIX_STRLEN];
    json_object_set_new(o, "asn", json_integer(r->asn));
    for (int k = 1; k <= 4; k++) {
        const mrs_check_action *a = &r->act[k];
        json_t *j = json_object();
        char key[16];
        snprintf(key, sizeof key, "action%d", k);
        json_object_set_new(j, "title", mrs_json_text(a->title ? a->title : ""));
        json_object_set_new(j, "verdict", mrs_json_text(mrs_check_verdict_name(a->verdict)));
        json_object_set_new(j, "evidence", strs(&a->evidence));
        json_object_set_new(j, "remediation", strs(&a->remediation));
        if (k == 1) {
            json_t *inc = json_array();
            for (size_t i = 0; i < r->n_inc; i++) {
                json_t *x = json_object();
                json_object_set_new(x, "id", json_integer((json_int_t)r->inc[i].id));
                json_object_set_new(x, "class", mrs_json_text(mrs_incident_class_name(r->inc[i].cls)));
                mrs_prefix_format(&r->inc[i].prefix, pfx);
                json_object_set_new(x, "prefix", mrs_json_text(pfx));
                json_object_set_new(x, "culprit", json_integer(r->inc[i].culprit));
                json_object_set_new(x, "role", mrs_json_text(r->inc[i].as_culprit ? "culprit" : "accomplice"));
                json_object_set_new(x, "start", json_integer(r->inc[i].start));
                json_object_set_new(x, "end", json_integer(r->inc[i].end));
                json_array_append_new(inc, x);
            }
            json_object_set_new(j, "incidents", inc);
        } else if (k == 2) {
            json_object_set_new(j, "spoofer_tests", json_integer((json_int_t)r->spoof_tests));
            json_object_set_new(j, "spoofer_spoofable", json_integer((json_int_t)r->spoof_leaked));
            json_object_set_new(j, "acl", r->acl ? mrs_json_text(r->acl) : json_null());
        } else if (k == 3) {
            json_object_set_new(j, "contact_ok", json_boolean(r->contact_ok));
            json_object_set_new(j, "contacts_stale", json_integer((json_int_t)r->contacts_stale));
        } else {
            json_object_set_new(j, "announced", json_integer((json_int_t)r->announced));
            json_object_set_new(j, "rpki_valid", json_integer((json_int_t)r->rov_valid));
            json_object_set_new(j, "rpki_invalid", json_integer((json_int_t)r->rov_invalid));
            json_object_set_new(j, "rpki_not_found", json_integer((json_int_t)r->rov_notfound));
            json_object_set_new(j, "irr_missing", json_integer((json_int_t)r->irr_missing));
            json_object_set_new(j, "skipped", json_integer((json_int_t)r->skipped));
            json_t *roas = json_array();
            for (size_t i = 0; i < r->n_roa; i++) {
                json_t *x = json_object();
                mrs_prefix_format(&r->roa[i].prefix, pfx);
                json_object_set_new(x, "prefix", mrs_json_text(pfx));
                json_object_set_new(x, "maxLength", json_integer(r->roa[i].maxlen));
                json_object_set_new(x, "asn", json_integer(r->roa[i].asn));
                json_array_append_new(roas, x);
            }
            json_object_set_new(j, "suggested_roas", roas);
            json_object_set_new(j, "route_objects", strs(&r->route_objects));
        }
        json_object_set_new(acts, key, j);
    }
    json_object_set_new(o, "actions", acts);
    int rc = json_dumpf(o, out, JSON_INDENT(1) | JSON_SORT_KEYS);
    json_decref(o);
    fputc('\n', out);
    return rc != 0 || ferror(out) ? -1 : 0;
}
