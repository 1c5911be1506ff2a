/*
 * acl_json.c — the anti-spoofing result as one JSON object: the decision, the
 * cone, every permit entry with all its sources (no provenance limit), the bogon
 * denies and the dropped inputs. For scripts and for `manrs check`.
 *
 * Strings from the data (IRR source names, file names, bogon names) are written by
 * the shared JSON writer (manrs/core/json_out.h): UTF-8 is kept as it is (a file
 * named routé.gz stays routé.gz), bytes that are not UTF-8 become U+FFFD.
 */
#include <inttypes.h>
#include <stdio.h>

#include "manrs/apps/antispoof.h"
#include "manrs/core/json_out.h"

/* Strings from the data through the shared writer; NULL is printed as "" (the
 * fields are always present in the document). */
static void json_str(FILE *out, const char *s)
{
    mrs_json_fcstr(out, s ? s : "");
}

static void json_prefix(FILE *out, const mrs_prefix *p)
{
    char b[MRS_PREFIX_STRLEN];
    mrs_prefix_format(p, b);
    fprintf(out, "\"%s\"", b);
}

static void json_source(FILE *out, const mrs_as_source *s)
{
    fprintf(out, "{\"prefix\":");
    json_prefix(out, &s->prefix);
    fprintf(out, ",\"kind\":\"%s\"", mrs_as_src_kind_name((mrs_as_src_kind)s->kind));
    if (s->kind != MRS_AS_SRC_EXTRA)
        fprintf(out, ",\"origin\":%" PRIu32, s->origin);
    switch ((mrs_as_src_kind)s->kind) {
    case MRS_AS_SRC_IRR:
        fprintf(out, ",\"irr_source\":");
        json_str(out, s->irr_source);
        fprintf(out, ",\"file\":");
        json_str(out, s->file);
        fprintf(out, ",\"line\":%" PRIu64, s->line);
        break;
    case MRS_AS_SRC_ROA:
        fprintf(out, ",\"max_length\":%u,\"trust_anchor\":", s->maxlen);
        json_str(out, s->irr_source);
        break;
    case MRS_AS_SRC_RIB:
        fprintf(out, ",\"entries\":%" PRIu64 ",\"file\":", s->count);
        json_str(out, s->file);
        break;
    case MRS_AS_SRC_EXTRA:
        break;
    }
    fputc('}', out);
}

struct json_lines {
    FILE *out;
    bool first;
};

static void json_line(void *ctx, const char *line)
{
    struct json_lines *c = ctx;
    fputs(c->first ? "" : ",", c->out);
    json_str(c->out, line);
    c->first = false;
}

static const char *reason_name(mrs_urpf_reason r)
{
    switch (r) {
    case MRS_URPF_R_EDGE: return "edge-egress";
    case MRS_URPF_R_SINGLE_HOMED_STUB: return "single-homed-stub";
    case MRS_URPF_R_SINGLE_HOMED_CONE: return "single-homed-cone";
    case MRS_URPF_R_MULTIHOMED: return "multihomed";
    case MRS_URPF_R_MULTIHOMED_OVERLAP: return "multihomed-overlap";
    case MRS_URPF_R_MULTIHOMED_UNKNOWN: return "multihomed-local-as-unknown";
    case MRS_URPF_R_NOT_IN_ASREL: return "not-in-asrel";
    case MRS_URPF_R_PEER: return "lateral-peer";
    case MRS_URPF_R_PROVIDER: return "provider";
    case MRS_URPF_R_TRANSIT_FREE: return "transit-free";
    }
    return "?";
}

static const char *drop_name(uint8_t r)
{
    switch ((mrs_as_drop_reason)r) {
    case MRS_AS_DROP_BOGON: return "bogon";
    case MRS_AS_DROP_COVERS_BOGON: return "covers-bogon";
    case MRS_AS_DROP_TOO_SHORT: return "too-short";
    }
    return "?";
}

int mrs_acl_print_json(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out)
{
    char name[160];
    if (o->name)
        snprintf(name, sizeof name, "%s", o->name);
    else
        mrs_acl_default_name(a, name, sizeof name);
    const mrs_urpf_decision *d = &a->urpf;
    fprintf(out, "{\"mode\":\"%s\",\"subject\":", a->mode == MRS_AS_EDGE_EGRESS ? "edge-egress" : "customer-ingress");
    json_str(out, a->subject);
    fprintf(out, ",\"asn\":%" PRIu32 ",\"as_set\":%s,\"in_asrel\":%s,\"name\":", a->asn, a->is_set ? "true" : "false",
            a->in_asrel ? "true" : "false");
    json_str(out, name);
    fprintf(out, ",\"interface\":");
    if (o->interface)
        json_str(out, o->interface);
    else
        fputs("null", out);
    fprintf(out, ",\"urpf\":{\"mode\":\"%s\",\"reason\":\"%s\",\"customer_providers\":%" PRIu32
                 ",\"external_providers\":%" PRIu32 ",\"example_member\":%" PRIu32 ",\"example_provider\":%" PRIu32
                 ",\"local_as\":%" PRIu32 ",\"local_as_given\":%s,\"explanation\":[",
            mrs_urpf_mode_name(d->mode), reason_name(d->reason), d->customer_providers, d->n_external,
            d->example_member, d->example_provider, d->assumed_local, d->local_given ? "true" : "false");
    struct json_lines jl = {out, true};
    mrs_antispoof_explain(a, json_line, &jl);
    fprintf(out, "]},\"cone\":[");
    for (size_t i = 0; i < a->n_members; i++) {
        const mrs_as_member *m = &a->members[i];
        fprintf(out, "%s{\"asn\":%" PRIu32 ",\"via\":%" PRIu32 ",\"depth\":%" PRIu32 ",\"providers\":%" PRIu32
                     ",\"providers_outside\":%" PRIu32 "}",
                i ? "," : "", m->asn, m->via, m->depth, m->n_providers, m->n_outside);
    }
    fprintf(out, "],\"deny\":[");
    for (size_t i = 0; i < a->n_deny; i++) {
        fprintf(out, "%s{\"prefix\":", i ? "," : "");
        json_prefix(out, &a->deny[i].prefix);
        fprintf(out, ",\"name\":");
        json_str(out, a->deny[i].name);
        fprintf(out, ",\"source\":");
        json_str(out, a->deny[i].rfc);
        fputc('}', out);
    }
    fprintf(out, "],\"permit_before_deny\":[");
    for (size_t i = 0; i < a->n_pre_permit; i++) {
        fputs(i ? "," : "", out);
        json_prefix(out, &a->pre_permit[i]);
    }
    fprintf(out, "],\"permit_link_local\":");
    json_prefix(out, &a->link_local6);
    fprintf(out, ",\"permit_any\":%s,\"permit\":[", a->permit_any ? "true" : "false");
    for (size_t i = 0; i < a->n_permit; i++) {
        const mrs_as_permit *p = &a->permit[i];
        fprintf(out, "%s{\"prefix\":", i ? "," : "");
        json_prefix(out, &p->prefix);
        fprintf(out, ",\"sources\":[");
        for (size_t k = 0; k < p->n; k++) {
            if (k)
                fputc(',', out);
            json_source(out, &a->src[p->first + k]);
        }
        fprintf(out, "]}");
    }
    fprintf(out, "],\"dropped\":[");
    for (size_t i = 0; i < a->n_dropped; i++) {
        const mrs_as_dropped *dr = &a->dropped[i];
        fprintf(out, "%s{\"source\":", i ? "," : "");
        json_source(out, &dr->src);
        fprintf(out, ",\"reason\":\"%s\"", drop_name(dr->reason));
        if (dr->reason != MRS_AS_DROP_TOO_SHORT) {
            fprintf(out, ",\"bogon\":");
            json_prefix(out, &dr->bogon);
            fprintf(out, ",\"bogon_name\":");
            json_str(out, dr->bogon_name);
        }
        fputc('}', out);
    }
    fprintf(out, "],\"warnings\":[");
    struct json_lines jw = {out, true};
    mrs_antispoof_warnings(a, json_line, &jw);
    fprintf(out, "],\"counts\":{\"members\":%zu,\"irr\":%" PRIu64 ",\"roa\":%" PRIu64 ",\"rib\":%" PRIu64
                 ",\"extra\":%" PRIu64 ",\"rib_entries\":%" PRIu64 ",\"sources_kept\":%zu,\"dropped\":%zu"
                 ",\"permit4\":%zu,\"permit6\":%zu,\"deny\":%zu}}\n",
            a->n_members, a->n_irr, a->n_roa, a->n_rib, a->n_extra, a->rib_entries_seen, a->n_src, a->n_dropped,
            a->n_permit4, a->n_permit - a->n_permit4, a->n_deny);
    return ferror(out) ? -1 : 0;
}
