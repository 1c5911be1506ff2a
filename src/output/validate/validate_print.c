/*
 * validate_print.c — `manrs validate` output: an aligned table (one row per route,
 * the VRPs as evidence at the end) or JSON Lines (one object per input line).
 *
 * Every knowledge base is one entry of the `checks` table below: its column
 * header, its table cells and its JSON fields. A new check of route_validate.h is
 * a new entry here, not a rewrite.
 */
#include "manrs/output/validate.h"
#include "manrs/output/json_doc.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#define EVIDENCE_TABLE 3   /* VRPs shown per row in the table */

static json_t *vrp_json(const mrs_route_kbs *c, const mrs_vrp *v)
{
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&v->prefix, s);
    json_t *o = json_object();
    json_object_set_new(o, "prefix", mrs_json_text(s));
    json_object_set_new(o, "maxLength", json_integer(v->maxlen));
    json_object_set_new(o, "asn", json_integer(v->asn));
    if (v->ta)
        json_object_set_new(o, "ta", mrs_json_text(mrs_rpki_ta_name(c->kb->rpki, v->ta)));
    return o;
}

static void rov_json(const mrs_route_kbs *c, const mrs_route_verdict *r, json_t *o)
{
    const mrs_rov_result *v = &r->rov;
    json_object_set_new(o, "rov", mrs_json_text(mrs_rov_state_name(v->state)));
    json_object_set_new(o, "rov_reason", v->reason ? mrs_json_text(mrs_rov_reason_name(v->reason)) : json_null());
    json_t *m = json_array(), *cv = json_array();
    for (unsigned i = 0; i < v->matching_shown; i++)
        json_array_append_new(m, vrp_json(c, &v->matching[i]));
    for (unsigned i = 0; i < v->covering_shown; i++)
        json_array_append_new(cv, vrp_json(c, &v->covering[i]));
    json_object_set_new(o, "vrps_matching", m);
    json_object_set_new(o, "vrps_matching_total", json_integer(v->n_matching));
    json_object_set_new(o, "vrps_covering", cv);
    json_object_set_new(o, "vrps_covering_total", json_integer(v->n_covering));
}

static void vrp_text(const mrs_vrp *v, char *buf, size_t len)
{
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&v->prefix, s);
    snprintf(buf, len, "%s-%u AS%" PRIu32, s, v->maxlen, v->asn);
}

static void rov_cells(const mrs_route_kbs *c, const mrs_route_verdict *r, FILE *f)
{
    (void)c;
    const mrs_rov_result *v = &r->rov;
    fprintf(f, "  %-9s  %-15s", mrs_rov_state_name(v->state), v->reason ? mrs_rov_reason_name(v->reason) : "-");
}

static void rov_tail(const mrs_route_kbs *c, const mrs_route_verdict *r, FILE *f)
{
    (void)c;
    const mrs_rov_result *v = &r->rov;
    /* Matching VRPs for Valid, covering VRPs otherwise. */
    const mrs_vrp *list = v->state == MRS_ROV_VALID ? v->matching : v->covering;
    unsigned shown = v->state == MRS_ROV_VALID ? v->matching_shown : v->covering_shown;
    uint32_t total = v->state == MRS_ROV_VALID ? v->n_matching : v->n_covering;
    for (unsigned i = 0; i < shown && i < EVIDENCE_TABLE; i++) {
        char b[96];
        vrp_text(&list[i], b, sizeof b);
        fprintf(f, "%s%s", i ? ", " : "  ", b);
    }
    if (total > EVIDENCE_TABLE)
        fprintf(f, " (+%" PRIu32 " more)", total - EVIDENCE_TABLE);
}

static void aspa_json(const mrs_route_kbs *c, const mrs_route_verdict *r, json_t *o)
{
    if (!r->have_aspa)
        return;
    const mrs_aspa_result *a = &r->aspa;
    json_object_set_new(o, "aspa", mrs_json_text(mrs_aspa_state_name(a->state)));
    json_object_set_new(o, "aspa_direction", mrs_json_text(c->aspa_dir == MRS_ASPA_DOWNSTREAM ? "downstream" : "upstream"));
    if (a->reason == MRS_ASPA_R_AS_SET)
        json_object_set_new(o, "aspa_reason", json_string("as-set"));
    else if (a->reason == MRS_ASPA_R_RAMPS) {
        json_t *d = json_object();
        json_object_set_new(d, "n", json_integer(a->n));
        json_object_set_new(d, "max_up_ramp", json_integer(a->max_up_ramp));
        json_object_set_new(d, "min_up_ramp", json_integer(a->min_up_ramp));
        json_object_set_new(d, "max_down_ramp", json_integer(a->max_down_ramp));
        json_object_set_new(d, "min_down_ramp", json_integer(a->min_down_ramp));
        if (a->state == MRS_ASPA_INVALID && a->bad_customer | a->bad_provider) {
            json_object_set_new(d, "not_provider_customer", json_integer(a->bad_customer));
            json_object_set_new(d, "not_provider_provider", json_integer(a->bad_provider));
        }
        json_object_set_new(o, "aspa_ramps", d);
    }
}

static void aspa_cells(const mrs_route_kbs *c, const mrs_route_verdict *r, FILE *f)
{
    (void)c;
    fprintf(f, "  %-7s", r->have_aspa ? mrs_aspa_state_name(r->aspa.state) : "-");
}

static void irr_json(const mrs_route_kbs *c, const mrs_route_verdict *r, json_t *o)
{
    if (!c->kb->irr) {
        json_object_set_new(o, "irr", json_null());
        return;
    }
    json_object_set_new(o, "irr", mrs_json_text(irr_origin_state_name(r->irr.state)));
    json_t *ev = json_array();
    for (size_t i = 0; i < r->irr.n && i < 16; i++) {
        const irr_route_ref *x = &r->irr.evidence[i];
        char s[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&x->prefix, s);
        json_t *e = json_object();
        json_object_set_new(e, "prefix", mrs_json_text(s));
        json_object_set_new(e, "origin", json_integer(x->origin));
        json_object_set_new(e, "source", mrs_json_text(x->source ? x->source : ""));
        if (x->mnt_by)
            json_object_set_new(e, "mnt_by", mrs_json_text(x->mnt_by));
        if (x->file) {
            json_object_set_new(e, "file", mrs_json_text(x->file));
            json_object_set_new(e, "line", json_integer((json_int_t)x->line));
        }
        json_array_append_new(ev, e);
    }
    json_object_set_new(o, "irr_evidence", ev);
    json_object_set_new(o, "irr_evidence_total", json_integer((json_int_t)r->irr.n));
}

static void irr_cells(const mrs_route_kbs *c, const mrs_route_verdict *r, FILE *f)
{
    fprintf(f, "  %-14s", c->kb->irr ? irr_origin_state_name(r->irr.state) : "-");
}

static json_t *bogon_entry_json(const mrs_bogon_entry *e)
{
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&e->prefix, s);
    json_t *o = json_object();
    json_object_set_new(o, "prefix", mrs_json_text(s));
    json_object_set_new(o, "name", mrs_json_text(e->name ? e->name : ""));
    json_object_set_new(o, "source", mrs_json_text(e->source ? e->source : ""));
    if (e->line)
        json_object_set_new(o, "line", json_integer((json_int_t)e->line));
    return o;
}

static json_t *deleg_json(const mrs_deleg_answer *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "status", mrs_json_text(mrs_deleg_status_name(a->status)));
    const mrs_deleg_record *r = a->rec ? a->rec : a->inner;
    if (r) {
        json_object_set_new(o, "registry", mrs_json_text(r->registry));
        json_object_set_new(o, "cc", mrs_json_text(r->cc));
        json_object_set_new(o, "file", mrs_json_text(r->file));
        json_object_set_new(o, "line", json_integer((json_int_t)r->line));
    }
    return o;
}


static void bogon_json(const mrs_route_kbs *c, const mrs_route_verdict *r, json_t *o)
{
    json_t *b = json_object();
    json_object_set_new(b, "prefix", mrs_json_text(mrs_route_bogon_name(r->bogon.kind)));
    if (r->bogon.kind == MRS_ROUTE_BOGON || r->bogon.kind == MRS_ROUTE_OVERLAPS_BOGON) {
        if (r->bogon.bogon.entry)
            json_object_set_new(b, "entry", bogon_entry_json(r->bogon.bogon.entry));
    } else if ((r->bogon.kind == MRS_ROUTE_UNALLOCATED || r->bogon.kind == MRS_ROUTE_OVERLAPS_UNALLOCATED) &&
               r->bogon.deleg_checked) {
        json_object_set_new(b, "delegated", deleg_json(&r->bogon.deleg));
    }
    json_t *asns = json_array();
    for (size_t i = 0; i < r->n_bogon_asns && i < MRS_MAX_BOGON_ASNS; i++) {
        json_t *e = json_object();
        uint32_t asn = r->bogon_asns[i];
        const mrs_bogon_asn_range *why = NULL;
        mrs_deleg_answer da;
        mrs_asn_bogon_kind k = mrs_bogon_asn_check(c->kb->deleg, asn, &why, &da);
        json_object_set_new(e, "asn", json_integer(asn));
        json_object_set_new(e, "position", json_integer((json_int_t)r->bogon_asn_pos[i]));
        if (k == MRS_ASN_BOGON && why) {
            json_object_set_new(e, "reason", mrs_json_text(why->name));
            json_object_set_new(e, "source", mrs_json_text(why->source));
        } else {
            json_object_set_new(e, "reason", json_string("unallocated"));
            json_object_set_new(e, "delegated", deleg_json(&da));
        }
        json_array_append_new(asns, e);
    }
    json_object_set_new(b, "asns", asns);
    json_object_set_new(b, "asns_total", json_integer((json_int_t)r->n_bogon_asns));
    json_object_set_new(o, "bogon", b);
    if (c->kb->deleg) {
        json_object_set_new(o, "prefix_delegated", deleg_json(&r->bogon.deleg));
        if (r->origin_deleg.status || r->origin_deleg.rec)
            json_object_set_new(o, "origin_delegated", deleg_json(&r->origin_deleg));
    }
}

static void bogon_cells(const mrs_route_kbs *c, const mrs_route_verdict *r, FILE *f)
{
    (void)c;
    char cell[40];
    const char *k = mrs_route_bogon_name(r->bogon.kind);
    if (r->n_bogon_asns)
        snprintf(cell, sizeof cell, "%s%s%zu-asn", r->bogon.kind ? k : "", r->bogon.kind ? "+" : "", r->n_bogon_asns);
    else
        snprintf(cell, sizeof cell, "%s", k);
    fprintf(f, "  %-20s", cell);
}

static void vf_json(const mrs_route_kbs *c, const mrs_route_verdict *r, json_t *o)
{
    (void)c;
    if (!r->have_vf)
        return;
    json_object_set_new(o, "valley_free", mrs_json_text(mrs_vf_status_name(r->vf.status)));
    if (r->vf.status == MRS_VF_VIOLATION) {
        json_object_set_new(o, "leaker", json_integer(r->vf.leaker));
        json_object_set_new(o, "leak_type", json_integer(r->vf.leak_type));
        json_object_set_new(o, "leak_receiver_position", json_integer((json_int_t)r->vf.receiver));
    }
    if (r->vf.unknown_links)
        json_object_set_new(o, "unknown_links", json_integer((json_int_t)r->vf.unknown_links));
}

static void vf_cells(const mrs_route_kbs *c, const mrs_route_verdict *r, FILE *f)
{
    (void)c;
    fprintf(f, "  %-11s", r->have_vf ? mrs_vf_status_name(r->vf.status) : "-");
}

/* One entry per knowledge base: its table column(s) and its JSON fields. */
typedef struct check {
    const char *name;                     /* table column header(s), as wide as the cells */
    void (*json)(const mrs_route_kbs *, const mrs_route_verdict *, json_t *);
    void (*cells)(const mrs_route_kbs *, const mrs_route_verdict *, FILE *);
} check;

/* Table columns appear in this order; rov_tail (the evidence) is always last. */
static const check checks[] = {
    {"  ROV        REASON         ", rov_json, rov_cells},
    {"  ASPA   ", aspa_json, aspa_cells},
    {"  IRR           ", irr_json, irr_cells},
    {"  BOGON               ", bogon_json, bogon_cells},
    {"  VALLEY     ", vf_json, vf_cells},
};
#define NCHECKS (sizeof checks / sizeof checks[0])

void mrs_validate_print_header(FILE *f)
{
    fprintf(f, "%-20s  %-12s", "PREFIX", "ORIGIN");
    for (size_t i = 0; i < NCHECKS; i++)
        fputs(checks[i].name, f);
    fputs("  VRPS\n", f);
}

int mrs_validate_print_row(FILE *f, const mrs_route_kbs *c, const mrs_route *in, const mrs_route_verdict *res)
{
    char s[MRS_PREFIX_STRLEN], o[16];
    mrs_prefix_format(&in->prefix, s);
    if (in->origin_none)
        snprintf(o, sizeof o, "NONE");
    else
        snprintf(o, sizeof o, "AS%" PRIu32, in->origin);
    fprintf(f, "%-20s  %-12s", s, o);
    for (size_t i = 0; i < NCHECKS; i++)
        checks[i].cells(c, res, f);
    rov_tail(c, res, f);
    return fputc('\n', f) == EOF ? -1 : 0;
}

int mrs_validate_print_json(FILE *f, const mrs_route_kbs *c, uint64_t line, const mrs_route *in,
                            const mrs_route_verdict *res)
{
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&in->prefix, s);
    json_t *o = json_object();
    json_object_set_new(o, "line", json_integer((json_int_t)line));
    json_object_set_new(o, "prefix", mrs_json_text(s));
    json_object_set_new(o, "origin", in->origin_none ? json_null() : json_integer(in->origin));
    json_t *path = json_array();
    for (size_t i = 0; i < in->npath; i++)
        json_array_append_new(path, json_integer(in->path[i]));
    json_object_set_new(o, "path", path);
    if (in->has_as_set)
        json_object_set_new(o, "as_set", json_true());
    for (size_t i = 0; i < NCHECKS; i++)
        checks[i].json(c, res, o);
    int rc = json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return rc != 0 || fputc('\n', f) == EOF ? -1 : 0;
}
