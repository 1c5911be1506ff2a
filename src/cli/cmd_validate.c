/*
 * cmd_validate.c — `manrs validate`: check routes against the knowledge bases.
 *
 * Input: one route per line, "PREFIX ORIGIN" or "PREFIX AS_PATH..." (AS_PATH in
 * AS_PATH order, neighbour first, origin last; ASNs as 64500 or AS64500; an AS_SET
 * as {64500,64501}), from the command line (all arguments form one route) or from
 * standard input. Output: an aligned table, or JSON Lines with --json (one object
 * per input line, in input order). A bad line is reported as "-:LINE: what", skipped,
 * and makes the exit status 1.
 *
 * Structure: every knowledge base is one entry of the `checks` table below — a
 * field in struct route_result, an evaluation function, a JSON printer and a table
 * printer. Adding IRR or bogon checks is adding an entry, not a rewrite.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/core/diag.h"
#include "manrs/core/io.h"
#include "manrs/core/prefix.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/delegated.h"
#include "manrs/kb/irr.h"
#include "manrs/kb/rpki.h"

#define VALIDATE_USAGE                                                                                  \
    "usage: manrs validate [--vrps FILE...] [--irr FILE...] [--asrel FILE] [--delegated FILE...]\n"      \
    "                      [--bogons FILE...] [--drop FILE...] [--json] [--downstream] [PREFIX AS_PATH...]\n" \
    "\n"                                                                                               \
    "Validate routes against the knowledge bases: RPKI Route Origin Validation (RFC 6811),\n"          \
    "ASPA AS_PATH verification (draft-ietf-sidrops-aspa-verification) for paths of two or\n"          \
    "more ASes, the IRR route-origin check (route/route6 objects), bogon prefixes and ASNs\n"         \
    "(IANA special-purpose registries, RIR unallocated space), and the valley-free check of\n"        \
    "the path on AS relationships (route leaks, RFC 7908).\n"                                         \
    "Routes come from the arguments (one route) or from standard input, one per line:\n"              \
    "  PREFIX ORIGIN            e.g. 193.0.0.0/21 3333\n"                                               \
    "  PREFIX AS_PATH...        e.g. 193.0.0.0/21 AS1299 AS3333 (neighbour first, origin last)\n"      \
    "An AS_SET is written {64500,64501}; a path ending in one has no determinable origin.\n"           \
    "\n"                                                                                               \
    "  --vrps FILE        VRP/ASPA export (rpki-client, Routinator, StayRTR JSON or CSV)\n"             \
    "  --irr FILE         RPSL dump (route, route6, ...; several sources by their source: attribute)\n"\
    "  --irr-sources L    comma-separated IRR sources to use, in priority order (default: all)\n"       \
    "  --asrel FILE       CAIDA AS relationships (serial-1 or serial-2)\n"                              \
    "  --delegated FILE   RIR delegated-extended statistics (unallocated space counts as bogon)\n"      \
    "  --bogons FILE      extra bogon prefixes, one per line (Team Cymru fullbogons format)\n"          \
    "  --drop FILE        Spamhaus DROP/EDROP list\n"                                                    \
    "  --json             JSON Lines output, one object per input line\n"                              \
    "  --downstream       verify AS paths as received from a provider (default: upstream)\n"           \
    "  -h, --help         this help\n"                                                                 \
    "Files may be compressed; every option but --irr-sources is repeatable. Bad entries in a\n"       \
    "file are reported as FILE:LINE and skipped.\n"                                                   \
    "\n"                                                                                               \
    "Exit status: 0 all lines validated, 1 some input lines or knowledge entries were bad,\n"         \
    "2 usage error or a knowledge file could not be read. See docs/validate.md.\n"

#define EVIDENCE_TABLE 3   /* VRPs shown per row in the table */

typedef struct validate_ctx {
    mrs_rpki *rpki;
    mrs_aspa_direction aspa_dir;
    bool json;
    uint64_t *inconsistent;     /* routes where the two ROV paths disagreed */
    irr_db *irr;                /* --irr (NULL: not checked) */
    const irr_sel *irr_sel;     /* --irr-sources (NULL: all, in priority order) */
    mrs_bogon_set *bogons;      /* built-in registries + --bogons/--drop lists */
    mrs_deleg_db *deleg;        /* --delegated (NULL: not given) */
    mrs_asrel *asrel;           /* --asrel (NULL: not given) */
} validate_ctx;

/* One parsed input line. */
typedef struct route_in {
    uint64_t lineno;
    mrs_prefix prefix;
    uint32_t *path;      /* AS_SEQUENCE members in order; AS_SET members are not kept */
    size_t npath, cappath;
    bool has_as_set;
    bool origin_none;    /* the path ends in an AS_SET */
    uint32_t origin;
} route_in;

/* Results of every knowledge base for one route. */
#define MAX_BOGON_ASNS 16

typedef struct route_result {
    mrs_rov_result rov;
    bool have_aspa;
    mrs_aspa_result aspa;
    irr_origin_result irr;          /* when c->irr; evidence owned here, freed per line */
    mrs_route_bogon bogon;
    size_t n_bogon_asns;            /* total; positions and ASNs of the first MAX_BOGON_ASNS */
    size_t bogon_asn_pos[MAX_BOGON_ASNS];
    uint32_t bogon_asns[MAX_BOGON_ASNS];
    bool have_vf;
    mrs_vf_result vf;
    mrs_deleg_answer origin_deleg;  /* when c->deleg and the origin is known */
} route_result;

/* ---- the checks ---- */

static void rov_eval(const validate_ctx *c, const route_in *in, route_result *out)
{
    /* The evidence comes from the trie, the bulk fast path from the ROV index:
     * check that they agree on every route validated here. */
    mrs_rov_validate_ex(c->rpki, &in->prefix, in->origin, in->origin_none, &out->rov);
    if (mrs_rov_validate(c->rpki, &in->prefix, in->origin, in->origin_none) != out->rov.state) {
        char s[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&in->prefix, s);
        fprintf(stderr, "manrs validate: internal error: ROV index and trie disagree on %s AS%" PRIu32 "\n", s,
                in->origin);
        (*c->inconsistent)++;
    }
}

static json_t *vrp_json(const validate_ctx *c, const mrs_vrp *v)
{
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&v->prefix, s);
    json_t *o = json_object();
    json_object_set_new(o, "prefix", json_string(s));
    json_object_set_new(o, "maxLength", json_integer(v->maxlen));
    json_object_set_new(o, "asn", json_integer(v->asn));
    if (v->ta)
        json_object_set_new(o, "ta", json_string(mrs_rpki_ta_name(c->rpki, v->ta)));
    return o;
}

static void rov_json(const validate_ctx *c, const route_result *r, json_t *o)
{
    const mrs_rov_result *v = &r->rov;
    json_object_set_new(o, "rov", json_string(mrs_rov_state_name(v->state)));
    json_object_set_new(o, "rov_reason", v->reason ? json_string(mrs_rov_reason_name(v->reason)) : json_null());
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

static void rov_cells(const validate_ctx *c, const route_result *r, FILE *f)
{
    (void)c;
    const mrs_rov_result *v = &r->rov;
    fprintf(f, "  %-9s  %-15s", mrs_rov_state_name(v->state), v->reason ? mrs_rov_reason_name(v->reason) : "-");
}

static void rov_tail(const validate_ctx *c, const route_result *r, FILE *f)
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

static void aspa_eval(const validate_ctx *c, const route_in *in, route_result *out)
{
    /* Only paths of two or more ASes say anything about relationships. */
    out->have_aspa = in->npath > 1 || in->has_as_set;
    if (out->have_aspa)
        mrs_aspa_verify(c->rpki, in->path, in->npath, in->has_as_set, c->aspa_dir, &out->aspa);
}

static void aspa_json(const validate_ctx *c, const route_result *r, json_t *o)
{
    if (!r->have_aspa)
        return;
    const mrs_aspa_result *a = &r->aspa;
    json_object_set_new(o, "aspa", json_string(mrs_aspa_state_name(a->state)));
    json_object_set_new(o, "aspa_direction", json_string(c->aspa_dir == MRS_ASPA_DOWNSTREAM ? "downstream" : "upstream"));
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

static void aspa_cells(const validate_ctx *c, const route_result *r, FILE *f)
{
    (void)c;
    fprintf(f, "  %-7s", r->have_aspa ? mrs_aspa_state_name(r->aspa.state) : "-");
}


/* IRR route-origin check (route / route6 objects, RFC 2622 §4 / RFC 4012 §3) */
static void irr_eval(const validate_ctx *c, const route_in *in, route_result *out)
{
    if (!c->irr)
        return;
    if (in->origin_none) {
        out->irr.state = IRR_NOT_FOUND;
        out->irr.n = 0;
        return;
    }
    if (irr_check_origin(c->irr, &in->prefix, in->origin, c->irr_sel, &out->irr) != 0)
        out->irr.state = IRR_NOT_FOUND;
}

static void irr_json(const validate_ctx *c, const route_result *r, json_t *o)
{
    if (!c->irr) {
        json_object_set_new(o, "irr", json_null());
        return;
    }
    json_object_set_new(o, "irr", json_string(irr_origin_state_name(r->irr.state)));
    json_t *ev = json_array();
    for (size_t i = 0; i < r->irr.n && i < 16; i++) {
        const irr_route_ref *x = &r->irr.evidence[i];
        char s[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&x->prefix, s);
        json_t *e = json_object();
        json_object_set_new(e, "prefix", json_string(s));
        json_object_set_new(e, "origin", json_integer(x->origin));
        json_object_set_new(e, "source", json_string(x->source ? x->source : ""));
        if (x->mnt_by)
            json_object_set_new(e, "mnt_by", json_string(x->mnt_by));
        if (x->file) {
            json_object_set_new(e, "file", json_string(x->file));
            json_object_set_new(e, "line", json_integer((json_int_t)x->line));
        }
        json_array_append_new(ev, e);
    }
    json_object_set_new(o, "irr_evidence", ev);
    json_object_set_new(o, "irr_evidence_total", json_integer((json_int_t)r->irr.n));
}

static void irr_cells(const validate_ctx *c, const route_result *r, FILE *f)
{
    fprintf(f, "  %-14s", c->irr ? irr_origin_state_name(r->irr.state) : "-");
}

/* Bogons: special-purpose registries (RFC 6890 and successors), loaded lists,
 * unallocated space (RIR delegated stats), and bogon ASNs anywhere in the path. */
static const char *route_bogon_name(mrs_route_bogon_kind k)
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

static void bogon_eval(const validate_ctx *c, const route_in *in, route_result *out)
{
    mrs_bogon_check_route(c->bogons, c->deleg, &in->prefix, &out->bogon);
    out->n_bogon_asns = mrs_bogon_path_asns(in->path, in->npath, c->deleg, out->bogon_asn_pos, MAX_BOGON_ASNS);
    for (size_t i = 0; i < out->n_bogon_asns && i < MAX_BOGON_ASNS; i++)
        out->bogon_asns[i] = in->path[out->bogon_asn_pos[i]];
}

static json_t *bogon_entry_json(const mrs_bogon_entry *e)
{
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&e->prefix, s);
    json_t *o = json_object();
    json_object_set_new(o, "prefix", json_string(s));
    json_object_set_new(o, "name", json_string(e->name ? e->name : ""));
    json_object_set_new(o, "source", json_string(e->source ? e->source : ""));
    if (e->line)
        json_object_set_new(o, "line", json_integer((json_int_t)e->line));
    return o;
}

static json_t *deleg_json(const mrs_deleg_answer *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(mrs_deleg_status_name(a->status)));
    const mrs_deleg_record *r = a->rec ? a->rec : a->inner;
    if (r) {
        json_object_set_new(o, "registry", json_string(r->registry));
        json_object_set_new(o, "cc", json_string(r->cc));
        json_object_set_new(o, "file", json_string(r->file));
        json_object_set_new(o, "line", json_integer((json_int_t)r->line));
    }
    return o;
}


static void bogon_json(const validate_ctx *c, const route_result *r, json_t *o)
{
    json_t *b = json_object();
    json_object_set_new(b, "prefix", json_string(route_bogon_name(r->bogon.kind)));
    if (r->bogon.kind == MRS_ROUTE_BOGON || r->bogon.kind == MRS_ROUTE_OVERLAPS_BOGON) {
        if (r->bogon.bogon.entry)
            json_object_set_new(b, "entry", bogon_entry_json(r->bogon.bogon.entry));
    } else if ((r->bogon.kind == MRS_ROUTE_UNALLOCATED || r->bogon.kind == MRS_ROUTE_OVERLAPS_UNALLOCATED) &&
               r->bogon.deleg_checked) {
        json_object_set_new(b, "delegated", deleg_json(&r->bogon.deleg));
    }
    json_t *asns = json_array();
    for (size_t i = 0; i < r->n_bogon_asns && i < MAX_BOGON_ASNS; i++) {
        json_t *e = json_object();
        uint32_t asn = r->bogon_asns[i];
        const mrs_bogon_asn_range *why = NULL;
        mrs_deleg_answer da;
        mrs_asn_bogon_kind k = mrs_bogon_asn_check(c->deleg, asn, &why, &da);
        json_object_set_new(e, "asn", json_integer(asn));
        json_object_set_new(e, "position", json_integer((json_int_t)r->bogon_asn_pos[i]));
        if (k == MRS_ASN_BOGON && why) {
            json_object_set_new(e, "reason", json_string(why->name));
            json_object_set_new(e, "source", json_string(why->source));
        } else {
            json_object_set_new(e, "reason", json_string("unallocated"));
            json_object_set_new(e, "delegated", deleg_json(&da));
        }
        json_array_append_new(asns, e);
    }
    json_object_set_new(b, "asns", asns);
    json_object_set_new(b, "asns_total", json_integer((json_int_t)r->n_bogon_asns));
    json_object_set_new(o, "bogon", b);
    if (c->deleg) {
        json_object_set_new(o, "prefix_delegated", deleg_json(&r->bogon.deleg));
        if (r->origin_deleg.status || r->origin_deleg.rec)
            json_object_set_new(o, "origin_delegated", deleg_json(&r->origin_deleg));
    }
}

static void bogon_cells(const validate_ctx *c, const route_result *r, FILE *f)
{
    (void)c;
    char cell[40];
    const char *k = route_bogon_name(r->bogon.kind);
    if (r->n_bogon_asns)
        snprintf(cell, sizeof cell, "%s%s%zu-asn", r->bogon.kind ? k : "", r->bogon.kind ? "+" : "", r->n_bogon_asns);
    else
        snprintf(cell, sizeof cell, "%s", k);
    fprintf(f, "  %-20s", cell);
}

/* Valley-free check of the AS path on AS relationships (route leaks, RFC 7908) */
static void vf_eval(const validate_ctx *c, const route_in *in, route_result *out)
{
    if (c->deleg && !in->origin_none)
        mrs_deleg_lookup_asn(c->deleg, in->origin, &out->origin_deleg);
    out->have_vf = c->asrel && in->npath > 1;
    if (out->have_vf)
        mrs_asrel_valley_free(c->asrel, in->path, in->npath, &out->vf);
}

static const char *vf_name(mrs_vf_status s)
{
    return s == MRS_VF_VALLEY_FREE ? "valley-free" : s == MRS_VF_VIOLATION ? "violation" : "unknown";
}

static void vf_json(const validate_ctx *c, const route_result *r, json_t *o)
{
    (void)c;
    if (!r->have_vf)
        return;
    json_object_set_new(o, "valley_free", json_string(vf_name(r->vf.status)));
    if (r->vf.status == MRS_VF_VIOLATION) {
        json_object_set_new(o, "leaker", json_integer(r->vf.leaker));
        json_object_set_new(o, "leak_type", json_integer(r->vf.leak_type));
        json_object_set_new(o, "leak_receiver_position", json_integer((json_int_t)r->vf.receiver));
    }
    if (r->vf.unknown_links)
        json_object_set_new(o, "unknown_links", json_integer((json_int_t)r->vf.unknown_links));
}

static void vf_cells(const validate_ctx *c, const route_result *r, FILE *f)
{
    (void)c;
    fprintf(f, "  %-11s", r->have_vf ? vf_name(r->vf.status) : "-");
}

typedef struct check {
    const char *name;                     /* table column header(s), as wide as the cells */
    void (*eval)(const validate_ctx *, const route_in *, route_result *);
    void (*json)(const validate_ctx *, const route_result *, json_t *);
    void (*cells)(const validate_ctx *, const route_result *, FILE *);
} check;

/* Table columns appear in this order; rov_tail (the evidence) is always last. */
static const check checks[] = {
    {"  ROV        REASON         ", rov_eval, rov_json, rov_cells},
    {"  ASPA   ", aspa_eval, aspa_json, aspa_cells},
    {"  IRR           ", irr_eval, irr_json, irr_cells},
    {"  BOGON               ", bogon_eval, bogon_json, bogon_cells},
    {"  VALLEY     ", vf_eval, vf_json, vf_cells},
};
#define NCHECKS (sizeof checks / sizeof checks[0])

/* ---- input ---- */

static bool path_push(route_in *in, uint32_t asn)
{
    if (in->npath == in->cappath) {
        size_t nc = in->cappath ? in->cappath * 2 : 16;
        uint32_t *np = realloc(in->path, nc * sizeof *np);
        if (!np)
            return false;
        in->path = np;
        in->cappath = nc;
    }
    in->path[in->npath++] = asn;
    return true;
}

/* Parse "PREFIX AS..." into in; on error writes why. */
static bool parse_route(char *line, route_in *in, char *why, size_t whylen)
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

/* ---- output ---- */

static void print_header(FILE *f)
{
    fprintf(f, "%-20s  %-12s", "PREFIX", "ORIGIN");
    for (size_t i = 0; i < NCHECKS; i++)
        fputs(checks[i].name, f);
    fputs("  VRPS\n", f);
}

static void print_row(const validate_ctx *c, const route_in *in, const route_result *res, FILE *f)
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
    fputc('\n', f);
}

static void print_json(const validate_ctx *c, const route_in *in, const route_result *res, FILE *f)
{
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&in->prefix, s);
    json_t *o = json_object();
    json_object_set_new(o, "line", json_integer((json_int_t)in->lineno));
    json_object_set_new(o, "prefix", json_string(s));
    json_object_set_new(o, "origin", in->origin_none ? json_null() : json_integer(in->origin));
    json_t *path = json_array();
    for (size_t i = 0; i < in->npath; i++)
        json_array_append_new(path, json_integer(in->path[i]));
    json_object_set_new(o, "path", path);
    if (in->has_as_set)
        json_object_set_new(o, "as_set", json_true());
    for (size_t i = 0; i < NCHECKS; i++)
        checks[i].json(c, res, o);
    json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fputc('\n', f);
    json_decref(o);
}

static void process_line(const validate_ctx *c, char *line, route_in *in, mrs_diag *d)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = 0;
    size_t n = strlen(line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
        line[--n] = 0;
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return;
    char why[160];
    if (!parse_route(p, in, why, sizeof why)) {
        mrs_diag_error_line(d, "-", in->lineno, "%s", why);
        return;
    }
    route_result res;
    memset(&res, 0, sizeof res);
    for (size_t i = 0; i < NCHECKS; i++)
        checks[i].eval(c, in, &res);
    if (c->json)
        print_json(c, in, &res, stdout);
    else
        print_row(c, in, &res, stdout);
    irr_origin_result_free(&res.irr);
}

static void free_kbs(validate_ctx *c)
{
    mrs_rpki_free(c->rpki);
    irr_db_free(c->irr);
    mrs_bogon_set_free(c->bogons);
    mrs_deleg_free(c->deleg);
    mrs_asrel_free(c->asrel);
}

typedef struct kb_file {
    char kind;            /* option letter */
    const char *path;
} kb_file;

/* Load every knowledge file named on the command line. Bad entries are reported
 * (FILE:LINE) and skipped; a file that cannot be read at all is fatal (-1). */
static int load_kbs(validate_ctx *c, const kb_file *f, size_t n, const char *irr_sources, irr_sel *sel, mrs_diag *kd)
{
    bool have_irr = false, have_vrps = false;
    for (size_t i = 0; i < n; i++) {
        int rc = 0;
        switch (f[i].kind) {
        case 'v': {
            mrs_rpki_load_stats st;
            rc = mrs_rpki_load_file(c->rpki, f[i].path, kd, &st);
            if (rc == 0 && st.skipped)
                fprintf(stderr, "manrs validate: %s: %" PRIu64 " bad entries skipped\n", f[i].path, st.skipped);
            have_vrps = true;
            break;
        }
        case 'i':
            if (!c->irr && !(c->irr = irr_db_new(kd)))
                return -1;
            rc = irr_db_load_file(c->irr, f[i].path);
            have_irr = true;
            break;
        case 'a':
            if (!c->asrel && !(c->asrel = mrs_asrel_new()))
                return -1;
            rc = mrs_asrel_load(c->asrel, f[i].path, kd);
            break;
        case 'd':
            if (!c->deleg && !(c->deleg = mrs_deleg_new()))
                return -1;
            rc = mrs_deleg_load(c->deleg, f[i].path, kd);
            break;
        case 'b':
            rc = mrs_bogon_load_list(c->bogons, f[i].path, kd);
            break;
        case 'p':
            rc = mrs_bogon_load_drop(c->bogons, f[i].path, kd);
            break;
        }
        if (rc != 0) {
            fprintf(stderr, "manrs validate: cannot load %s\n", f[i].path);
            return -1;
        }
    }
    if (!have_vrps)
        fprintf(stderr, "manrs validate: no --vrps given: every route is RPKI not-found (RFC 6811 §2)\n");
    if (mrs_rpki_build(c->rpki) != 0)
        return -1;
    if (have_irr) {
        if (irr_db_finalize(c->irr) != 0)
            return -1;
        if (irr_sources) {
            if (irr_db_select(c->irr, irr_sources, sel) != 0) {
                fprintf(stderr, "manrs validate: --irr-sources %s: unknown source\n", irr_sources);
                return -1;
            }
            c->irr_sel = sel;
        }
    }
    if (c->asrel && mrs_asrel_finish(c->asrel) != 0)
        return -1;
    return 0;
}

int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"vrps", required_argument, NULL, 'v'},
        {"irr", required_argument, NULL, 'i'},
        {"irr-sources", required_argument, NULL, 'S'},
        {"asrel", required_argument, NULL, 'a'},
        {"delegated", required_argument, NULL, 'd'},
        {"bogons", required_argument, NULL, 'b'},
        {"drop", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},
        {"downstream", no_argument, NULL, 'D'},
        {"upstream", no_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    uint64_t inconsistent = 0;
    validate_ctx c = {.aspa_dir = MRS_ASPA_UPSTREAM, .inconsistent = &inconsistent};
    kb_file *files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    const char *irr_sources = NULL;
    if (!files)
        return 2;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "v:jh", opts, NULL)) != -1) {
        switch (ch) {
        case 'v':
        case 'i':
        case 'a':
        case 'd':
        case 'b':
        case 'p':
            files[nfiles++] = (kb_file){(char)ch, optarg};
            break;
        case 'S': irr_sources = optarg; break;
        case 'j': c.json = true; break;
        case 'D': c.aspa_dir = MRS_ASPA_DOWNSTREAM; break;
        case 'U': c.aspa_dir = MRS_ASPA_UPSTREAM; break;
        case 'h': fputs(VALIDATE_USAGE, stdout); free(files); return 0;
        default: fputs(VALIDATE_USAGE, stderr); free(files); return 2;
        }
    }
    mrs_diag kd, d;
    mrs_diag_init(&kd, stderr);
    kd.max_print = 100;
    mrs_diag_init(&d, stderr);
    d.max_print = 1000;
    c.rpki = mrs_rpki_new();
    c.bogons = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    irr_sel sel;
    if (!c.rpki || !c.bogons || load_kbs(&c, files, nfiles, irr_sources, &sel, &kd) != 0) {
        free(files);
        free_kbs(&c);
        return 2;
    }
    free(files);
    int status = kd.errors ? 1 : 0;
    route_in in;
    memset(&in, 0, sizeof in);
    if (!c.json && isatty(STDOUT_FILENO))
        print_header(stdout);
    if (optind < argc) {
        /* All arguments form one route. */
        size_t len = 1;
        for (int i = optind; i < argc; i++)
            len += strlen(argv[i]) + 1;
        char *line = malloc(len);
        if (!line) {
            free_kbs(&c);
            return 2;
        }
        line[0] = 0;
        for (int i = optind; i < argc; i++) {
            strcat(line, argv[i]);
            strcat(line, " ");
        }
        in.lineno = 1;
        process_line(&c, line, &in, &d);
        free(line);
    } else {
        char err[512];
        mrs_reader *rd = mrs_reader_open("-", err, sizeof err);
        if (!rd) {
            fprintf(stderr, "manrs validate: %s\n", err);
            free_kbs(&c);
            return 2;
        }
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = mrs_getline(rd, &line, &cap)) >= 0) {
            in.lineno++;
            if (memchr(line, 0, (size_t)n)) {
                mrs_diag_error_line(&d, "-", in.lineno, "NUL byte in line");
                continue;
            }
            process_line(&c, line, &in, &d);
        }
        if (mrs_reader_error(rd)) {
            fprintf(stderr, "manrs validate: standard input: %s\n", mrs_reader_errmsg(rd));
            status = 1;
        }
        free(line);
        mrs_reader_close(rd);
    }
    if (d.errors) {
        fprintf(stderr, "manrs validate: %" PRIu64 " bad input line%s skipped\n", d.errors, d.errors == 1 ? "" : "s");
        status = 1;
    }
    if (fflush(stdout) != 0)
        status = 1;
    if (inconsistent)
        status = 3;
    free(in.path);
    free_kbs(&c);
    return status;
}
