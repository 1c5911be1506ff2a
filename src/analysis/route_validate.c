/*
 * route_validate.c — the checks of route_validate.h, in one place: parsing a route
 * line and each knowledge base's verdict.
 */
#include "manrs/analysis/route_validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/grow.h"

/* ---- input */

static bool path_push(mrs_route *in, uint32_t asn)
{
    uint32_t *np = mrs_grow(in->path, &in->cappath, in->npath + 1, sizeof *np, 16);
    if (!np)
        return false;
    in->path = np;
    in->path[in->npath++] = asn;
    return true;
}

/* Parse "PREFIX AS..." into in; on error writes why. */
bool mrs_route_parse(char *line, mrs_route *in, char *why, size_t whylen)
{
    in->npath = 0;
    in->has_as_set = in->origin_none = false;
    in->origin = 0;
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    char *tok = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    if (!mrs_prefix_parse(tok, (size_t)(p - tok), &in->prefix, false)) {
        snprintf(why, whylen, "bad prefix '%.*s'", (int)((p - tok) > 60 ? 60 : (p - tok)), tok);
        return false;
    }
    if (!memchr(tok, '/', (size_t)(p - tok))) {
        snprintf(why, whylen, "prefix '%.*s' has no length", (int)((p - tok) > 60 ? 60 : (p - tok)), tok);
        return false;
    }
    mrs_prefix strict;
    if (!mrs_prefix_parse(tok, (size_t)(p - tok), &strict, true)) {
        snprintf(why, whylen, "prefix '%.*s' has host bits set", (int)((p - tok) > 60 ? 60 : (p - tok)), tok);
        return false;
    }
    bool last_was_set = false;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (*p == '{') { /* AS_SET: {a,b c} */
            char *end = strchr(p, '}');
            if (!end) {
                snprintf(why, whylen, "unterminated AS_SET");
                return false;
            }
            for (char *q = p + 1; q < end;) {
                while (q < end && (*q == ',' || *q == ' ' || *q == '\t'))
                    q++;
                char *s = q;
                while (q < end && *q != ',' && *q != ' ' && *q != '\t')
                    q++;
                uint32_t asn;
                if (q > s && !mrs_asn_parse(s, (size_t)(q - s), &asn)) {
                    snprintf(why, whylen, "bad AS number '%.*s' in AS_SET", (int)((q - s) > 40 ? 40 : (q - s)), s);
                    return false;
                }
            }
            in->has_as_set = true;
            last_was_set = true;
            p = end + 1;
            continue;
        }
        char *s = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        uint32_t asn;
        if (!mrs_asn_parse(s, (size_t)(p - s), &asn)) {
            snprintf(why, whylen, "bad AS number '%.*s'", (int)((p - s) > 40 ? 40 : (p - s)), s);
            return false;
        }
        if (!path_push(in, asn)) {
            snprintf(why, whylen, "out of memory");
            return false;
        }
        last_was_set = false;
    }
    if (in->npath == 0 && !in->has_as_set) {
        snprintf(why, whylen, "missing origin AS");
        return false;
    }
    /* RFC 6811 §2: the origin is the last AS of the path; NONE if that is an AS_SET. */
    in->origin_none = last_was_set;
    if (!last_was_set)
        in->origin = in->path[in->npath - 1];
    return true;
}

void mrs_route_clear(mrs_route *r)
{
    free(r->path);
    memset(r, 0, sizeof *r);
}

/* ---- the checks */

/* RPKI ROV. The evidence comes from the trie, the bulk fast path from the ROV
 * index: they must agree on every route validated here. */
static void rov_eval(const mrs_route_kbs *c, const mrs_route *in, mrs_route_verdict *out)
{
    mrs_rov_validate_ex(c->kb->rpki, &in->prefix, in->origin, in->origin_none, &out->rov);
    out->rov_inconsistent = mrs_rov_validate(c->kb->rpki, &in->prefix, in->origin, in->origin_none) != out->rov.state;
}

/* ASPA: only paths of two or more ASes say anything about relationships. */
static void aspa_eval(const mrs_route_kbs *c, const mrs_route *in, mrs_route_verdict *out)
{
    out->have_aspa = in->npath > 1 || in->has_as_set;
    if (out->have_aspa)
        mrs_aspa_verify(c->kb->rpki, in->path, in->npath, in->has_as_set, c->aspa_dir, &out->aspa);
}

/* IRR route-origin check (route / route6 objects, RFC 2622 §4 / RFC 4012 §3) */
static void irr_eval(const mrs_route_kbs *c, const mrs_route *in, mrs_route_verdict *out)
{
    if (!c->kb->irr)
        return;
    if (in->origin_none) {
        out->irr.state = IRR_NOT_FOUND;
        out->irr.n = 0;
        return;
    }
    if (irr_check_origin(c->kb->irr, &in->prefix, in->origin, c->kb->irr_sel, &out->irr) != 0)
        out->irr.state = IRR_NOT_FOUND;
}

/* Bogons: special-purpose registries (RFC 6890 and successors), loaded lists,
 * unallocated space (RIR delegated stats), and bogon ASNs anywhere in the path. */
static void bogon_eval(const mrs_route_kbs *c, const mrs_route *in, mrs_route_verdict *out)
{
    mrs_bogon_check_route(c->kb->bogons, c->kb->deleg, &in->prefix, &out->bogon);
    out->n_bogon_asns = mrs_bogon_path_asns(in->path, in->npath, c->kb->deleg, out->bogon_asn_pos, MRS_MAX_BOGON_ASNS);
    for (size_t i = 0; i < out->n_bogon_asns && i < MRS_MAX_BOGON_ASNS; i++)
        out->bogon_asns[i] = in->path[out->bogon_asn_pos[i]];
}

/* Valley-free check of the AS path on AS relationships (route leaks, RFC 7908),
 * and the origin's RIR delegation. */
static void vf_eval(const mrs_route_kbs *c, const mrs_route *in, mrs_route_verdict *out)
{
    if (c->kb->deleg && !in->origin_none)
        mrs_deleg_lookup_asn(c->kb->deleg, in->origin, &out->origin_deleg);
    out->have_vf = c->kb->asrel && in->npath > 1;
    if (out->have_vf)
        mrs_asrel_valley_free(c->kb->asrel, in->path, in->npath, &out->vf);
}

void mrs_route_validate(const mrs_route_kbs *k, const mrs_route *r, mrs_route_verdict *v)
{
    rov_eval(k, r, v);
    aspa_eval(k, r, v);
    irr_eval(k, r, v);
    bogon_eval(k, r, v);
    vf_eval(k, r, v);
}

void mrs_route_verdict_clear(mrs_route_verdict *v)
{
    irr_origin_result_clear(&v->irr);
}

const char *mrs_route_bogon_name(mrs_route_bogon_kind k)
{
    switch (k) {
    case MRS_ROUTE_OK: return "ok";
    case MRS_ROUTE_BOGON: return "bogon";
    case MRS_ROUTE_UNALLOCATED: return "unallocated";
    case MRS_ROUTE_OVERLAPS_BOGON: return "overlaps-bogon";
    case MRS_ROUTE_OVERLAPS_UNALLOCATED: return "overlaps-unallocated";
    }
    return "?";
}

const char *mrs_vf_status_name(mrs_vf_status s)
{
    return s == MRS_VF_VALLEY_FREE ? "valley-free" : s == MRS_VF_VIOLATION ? "violation" : "unknown";
}
