/*
 * validate_print.c — `manrs validate` output: an aligned table (one row per route,
 * the VRPs as evidence at the end) or JSON Lines (one object per input line).
 *
 * Every knowledge base is one entry of the `checks` table below: its column
 * header, its table cells and its JSON fields. A new check of route_validate.h is
 * a new entry here, not a rewrite.
 *
 * Both formats are written straight into an mrs_outbuf: `validate` runs over
 * millions of routes, and fprintf per cell or a jansson object per route cost
 * ten times the validation itself. The JSON is byte for byte what jansson wrote
 * before (json_dumpf, JSON_COMPACT | JSON_PRESERVE_ORDER): the key order below is
 * the document's, and strings follow jansson's escaping (put_jstr), not
 * core/json_out.h's, so that existing consumers see no change.
 */
#include "manrs/output/validate.h"
#include "manrs/core/json_out.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define EVIDENCE_TABLE 3   /* VRPs shown per row in the table */
#define EVIDENCE_JSON 16   /* IRR objects listed per route in JSON */

/* ---- small writers */

static void put_lit(mrs_outbuf *o, const char *s) { mrs_outbuf_puts(o, s); }

/* Two spaces, then s left-aligned in a field of width w ("  %-*s"). The cells are
 * short: 32 spaces in one fixed-size store, then the text over them. */
static void put_cell(mrs_outbuf *o, const char *s, size_t w)
{
    static const char spaces[32] = "                                ";
    size_t n = strlen(s);
    if (n > 30 || w > 30) {
        if (!mrs_outbuf_reserve(o, 2 + (n > w ? n : w)))
            return;
        char *p = o->buf + o->len;
        p[0] = p[1] = ' ';
        memcpy(p + 2, s, n);
        if (n < w)
            memset(p + 2 + n, ' ', w - n);
        o->len += 2 + (n > w ? n : w);
        return;
    }
    if (!mrs_outbuf_reserve(o, 32))
        return;
    char *p = o->buf + o->len;
    memcpy(p, spaces, 32);
    memcpy(p + 2, s, n);
    o->len += 2 + (n > w ? n : w);
}

static void put_u64(mrs_outbuf *o, uint64_t v) { mrs_outbuf_u64(o, v); }

/* A string as jansson writes it: '"' and '\' escaped, control characters as \b \f
 * \n \r \t or \u00XX (upper-case hex), everything else (DEL, '/', UTF-8) copied.
 * Text that is not well-formed UTF-8 first gets U+FFFD for each bad byte
 * (mrs_utf8_text, what mrs_json_text did before handing it to jansson). */
static void put_jstr(mrs_outbuf *o, const char *s)
{
    size_t n = strlen(s);
    char *fixed = NULL;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            fixed = mrs_utf8_text(s);
            if (!fixed)
                return;
            s = fixed;
            n = strlen(s);
            break;
        }
    }
    if (mrs_outbuf_reserve(o, 2 + 6 * n)) {
        static const char hex[] = "0123456789ABCDEF";
        char *p = o->buf + o->len;
        *p++ = '"';
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c >= 0x20 && c != '"' && c != '\\') {
                *p++ = (char)c;
                continue;
            }
            *p++ = '\\';
            switch (c) {
            case '"': *p++ = '"'; break;
            case '\\': *p++ = '\\'; break;
            case '\b': *p++ = 'b'; break;
            case '\f': *p++ = 'f'; break;
            case '\n': *p++ = 'n'; break;
            case '\r': *p++ = 'r'; break;
            case '\t': *p++ = 't'; break;
            default:
                memcpy(p, "u00", 3);
                p[3] = hex[c >> 4];
                p[4] = hex[c & 15];
                p += 5;
            }
        }
        *p++ = '"';
        o->len = (size_t)(p - o->buf);
    }
    free(fixed);
}

/* ,"key": — every member after the first */
static void put_key(mrs_outbuf *o, const char *k)
{
    mrs_outbuf_putc(o, ',');
    mrs_outbuf_putc(o, '"');
    mrs_outbuf_puts(o, k);
    mrs_outbuf_put(o, "\":", 2);
}

/* {"key": — an object's first member */
static void put_open(mrs_outbuf *o, const char *k)
{
    mrs_outbuf_put(o, "{\"", 2);
    mrs_outbuf_puts(o, k);
    mrs_outbuf_put(o, "\":", 2);
}

static void kv_str(mrs_outbuf *o, const char *k, const char *v)
{
    put_key(o, k);
    put_jstr(o, v);
}

static void kv_u64(mrs_outbuf *o, const char *k, uint64_t v)
{
    put_key(o, k);
    put_u64(o, v);
}

static void put_prefix(mrs_outbuf *o, const mrs_prefix *p)
{
    if (mrs_outbuf_reserve(o, MRS_PREFIX_STRLEN + 2)) {
        o->buf[o->len++] = '"';
        o->len += (size_t)mrs_prefix_format(p, o->buf + o->len);
        o->buf[o->len++] = '"';
    }
}

/* ---- the checks */

static void vrp_json(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_vrp *v)
{
    put_open(o, "prefix");
    put_prefix(o, &v->prefix);
    kv_u64(o, "maxLength", v->maxlen);
    kv_u64(o, "asn", v->asn);
    if (v->ta)
        kv_str(o, "ta", mrs_rpki_ta_name(c->kb->rpki, v->ta));
    mrs_outbuf_putc(o, '}');
}

static void vrp_list_json(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_vrp *v, unsigned n)
{
    mrs_outbuf_putc(o, '[');
    for (unsigned i = 0; i < n; i++) {
        if (i)
            mrs_outbuf_putc(o, ',');
        vrp_json(o, c, &v[i]);
    }
    mrs_outbuf_putc(o, ']');
}

static void rov_json(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_route_verdict *r)
{
    const mrs_rov_result *v = &r->rov;
    kv_str(o, "rov", mrs_rov_state_name(v->state));
    put_key(o, "rov_reason");
    if (v->reason)
        put_jstr(o, mrs_rov_reason_name(v->reason));
    else
        put_lit(o, "null");
    put_key(o, "vrps_matching");
    vrp_list_json(o, c, v->matching, v->matching_shown);
    kv_u64(o, "vrps_matching_total", v->n_matching);
    put_key(o, "vrps_covering");
    vrp_list_json(o, c, v->covering, v->covering_shown);
    kv_u64(o, "vrps_covering_total", v->n_covering);
}

static void rov_cells(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_route_verdict *r)
{
    (void)c;
    const mrs_rov_result *v = &r->rov;
    put_cell(o, mrs_rov_state_name(v->state), 9);
    put_cell(o, v->reason ? mrs_rov_reason_name(v->reason) : "-", 15);
}

static void rov_tail(mrs_outbuf *o, const mrs_route_verdict *r)
{
    const mrs_rov_result *v = &r->rov;
    /* Matching VRPs for Valid, covering VRPs otherwise. */
    const mrs_vrp *list = v->state == MRS_ROV_VALID ? v->matching : v->covering;
    unsigned shown = v->state == MRS_ROV_VALID ? v->matching_shown : v->covering_shown;
    uint32_t total = v->state == MRS_ROV_VALID ? v->n_matching : v->n_covering;
    for (unsigned i = 0; i < shown && i < EVIDENCE_TABLE; i++) {
        mrs_outbuf_put(o, i ? ", " : "  ", 2);
        if (mrs_outbuf_reserve(o, MRS_PREFIX_STRLEN))
            o->len += (size_t)mrs_prefix_format(&list[i].prefix, o->buf + o->len);
        mrs_outbuf_putc(o, '-');
        mrs_outbuf_u32(o, list[i].maxlen);
        mrs_outbuf_put(o, " AS", 3);
        mrs_outbuf_u32(o, list[i].asn);
    }
    if (total > EVIDENCE_TABLE) {
        mrs_outbuf_put(o, " (+", 3);
        mrs_outbuf_u32(o, total - EVIDENCE_TABLE);
        mrs_outbuf_put(o, " more)", 6);
    }
}

static void aspa_json(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_route_verdict *r)
{
    if (!r->have_aspa)
        return;
    const mrs_aspa_result *a = &r->aspa;
    kv_str(o, "aspa", mrs_aspa_state_name(a->state));
    kv_str(o, "aspa_direction", c->aspa_dir == MRS_ASPA_DOWNSTREAM ? "downstream" : "upstream");
    if (a->reason == MRS_ASPA_R_AS_SET) {
        kv_str(o, "aspa_reason", "as-set");
    } else if (a->reason == MRS_ASPA_R_RAMPS) {
        put_key(o, "aspa_ramps");
        put_open(o, "n");
        put_u64(o, a->n);
        kv_u64(o, "max_up_ramp", a->max_up_ramp);
        kv_u64(o, "min_up_ramp", a->min_up_ramp);
        kv_u64(o, "max_down_ramp", a->max_down_ramp);
        kv_u64(o, "min_down_ramp", a->min_down_ramp);
        if (a->state == MRS_ASPA_INVALID && (a->bad_customer | a->bad_provider)) {
            kv_u64(o, "not_provider_customer", a->bad_customer);
            kv_u64(o, "not_provider_provider", a->bad_provider);
        }
        mrs_outbuf_putc(o, '}');
    }
}

static void aspa_cells(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_route_verdict *r)
{
    (void)c;
    put_cell(o, r->have_aspa ? mrs_aspa_state_name(r->aspa.state) : "-", 7);
}

static void irr_json(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_route_verdict *r)
{
    if (!c->kb->irr) {
        put_key(o, "irr");
        put_lit(o, "null");
        return;
    }
    kv_str(o, "irr", irr_origin_state_name(r->irr.state));
    put_key(o, "irr_evidence");
    mrs_outbuf_putc(o, '[');
    for (size_t i = 0; i < r->irr.n && i < EVIDENCE_JSON; i++) {
        const irr_route_ref *x = &r->irr.evidence[i];
        if (i)
            mrs_outbuf_putc(o, ',');
        put_open(o, "prefix");
        put_prefix(o, &x->prefix);
        kv_u64(o, "origin", x->origin);
        kv_str(o, "source", x->source ? x->source : "");
        if (x->mnt_by)
            kv_str(o, "mnt_by", x->mnt_by);
        if (x->file) {
            kv_str(o, "file", x->file);
            kv_u64(o, "line", x->line);
        }
        mrs_outbuf_putc(o, '}');
    }
    mrs_outbuf_putc(o, ']');
    kv_u64(o, "irr_evidence_total", r->irr.n);
}

static void irr_cells(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_route_verdict *r)
{
    put_cell(o, c->kb->irr ? irr_origin_state_name(r->irr.state) : "-", 14);
}

static void bogon_entry_json(mrs_outbuf *o, const mrs_bogon_entry *e)
{
    put_open(o, "prefix");
    put_prefix(o, &e->prefix);
    kv_str(o, "name", e->name ? e->name : "");
    kv_str(o, "source", e->source ? e->source : "");
    if (e->line)
        kv_u64(o, "line", e->line);
    mrs_outbuf_putc(o, '}');
}

static void deleg_json(mrs_outbuf *o, const mrs_deleg_answer *a)
{
    put_open(o, "status");
    put_jstr(o, mrs_deleg_status_name(a->status));
    const mrs_deleg_record *r = a->rec ? a->rec : a->inner;
    if (r) {
        kv_str(o, "registry", r->registry);
        kv_str(o, "cc", r->cc);
        kv_str(o, "file", r->file);
        kv_u64(o, "line", r->line);
    }
    mrs_outbuf_putc(o, '}');
}

static void bogon_json(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_route_verdict *r)
{
    put_key(o, "bogon");
    put_open(o, "prefix");
    put_jstr(o, mrs_route_bogon_name(r->bogon.kind));
    if (r->bogon.kind == MRS_ROUTE_BOGON || r->bogon.kind == MRS_ROUTE_OVERLAPS_BOGON) {
        if (r->bogon.bogon.entry) {
            put_key(o, "entry");
            bogon_entry_json(o, r->bogon.bogon.entry);
        }
    } else if ((r->bogon.kind == MRS_ROUTE_UNALLOCATED || r->bogon.kind == MRS_ROUTE_OVERLAPS_UNALLOCATED) &&
               r->bogon.deleg_checked) {
        put_key(o, "delegated");
        deleg_json(o, &r->bogon.deleg);
    }
    put_key(o, "asns");
    mrs_outbuf_putc(o, '[');
    for (size_t i = 0; i < r->n_bogon_asns && i < MRS_MAX_BOGON_ASNS; i++) {
        uint32_t asn = r->bogon_asns[i];
        const mrs_bogon_asn_range *why = NULL;
        mrs_deleg_answer da;
        mrs_asn_bogon_kind k = mrs_bogon_asn_check(c->kb->deleg, asn, &why, &da);
        if (i)
            mrs_outbuf_putc(o, ',');
        put_open(o, "asn");
        put_u64(o, asn);
        kv_u64(o, "position", r->bogon_asn_pos[i]);
        if (k == MRS_ASN_BOGON && why) {
            kv_str(o, "reason", why->name);
            kv_str(o, "source", why->source);
        } else {
            kv_str(o, "reason", "unallocated");
            put_key(o, "delegated");
            deleg_json(o, &da);
        }
        mrs_outbuf_putc(o, '}');
    }
    mrs_outbuf_putc(o, ']');
    kv_u64(o, "asns_total", r->n_bogon_asns);
    mrs_outbuf_putc(o, '}');
    if (c->kb->deleg) {
        put_key(o, "prefix_delegated");
        deleg_json(o, &r->bogon.deleg);
        if (r->origin_deleg.status || r->origin_deleg.rec) {
            put_key(o, "origin_delegated");
            deleg_json(o, &r->origin_deleg);
        }
    }
}

static void bogon_cells(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_route_verdict *r)
{
    (void)c;
    const char *k = mrs_route_bogon_name(r->bogon.kind);
    if (!r->n_bogon_asns) {
        put_cell(o, k, 20);
        return;
    }
    char cell[48];
    size_t n = 0;
    if (r->bogon.kind) {
        n = strlen(k);
        memcpy(cell, k, n);
        cell[n++] = '+';
    }
    n += (size_t)mrs_u32_to_str((uint32_t)r->n_bogon_asns, cell + n);
    memcpy(cell + n, "-asn", 5);
    put_cell(o, cell, 20);
}

static void vf_json(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_route_verdict *r)
{
    (void)c;
    if (!r->have_vf)
        return;
    kv_str(o, "valley_free", mrs_vf_status_name(r->vf.status));
    if (r->vf.status == MRS_VF_VIOLATION) {
        kv_u64(o, "leaker", r->vf.leaker);
        put_key(o, "leak_type");
        mrs_outbuf_i32(o, (int32_t)r->vf.leak_type);
        kv_u64(o, "leak_receiver_position", r->vf.receiver);
    }
    if (r->vf.unknown_links)
        kv_u64(o, "unknown_links", r->vf.unknown_links);
}

static void vf_cells(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_route_verdict *r)
{
    (void)c;
    put_cell(o, r->have_vf ? mrs_vf_status_name(r->vf.status) : "-", 11);
}

/* One entry per knowledge base: its table column(s) and its JSON fields. */
typedef struct check {
    const char *name;                     /* table column header(s), as wide as the cells */
    void (*json)(mrs_outbuf *, const mrs_route_kbs *, const mrs_route_verdict *);
    void (*cells)(mrs_outbuf *, const mrs_route_kbs *, const mrs_route_verdict *);
} check;

/* Table columns appear in this order, then PATH, then the VRPs (rov_tail). */
static const check checks[] = {
    {"  ROV        REASON         ", rov_json, rov_cells},
    {"  ASPA   ", aspa_json, aspa_cells},
    {"  IRR           ", irr_json, irr_cells},
    {"  BOGON               ", bogon_json, bogon_cells},
    {"  VALLEY     ", vf_json, vf_cells},
};
#define NCHECKS (sizeof checks / sizeof checks[0])
#define PATH_WIDTH 24

void mrs_validate_print_header(mrs_outbuf *o)
{
    put_lit(o, "PREFIX                ORIGIN      ");
    for (size_t i = 0; i < NCHECKS; i++)
        put_lit(o, checks[i].name);
    put_lit(o, "  PATH                    ");
    put_lit(o, "  VRPS\n");
}

/* The PATH cell: the path as given (AS_SEQUENCE members, an AS_SET as {a,b}), or
 * "-" when the input named only the origin. */
static void path_cell(mrs_outbuf *o, const mrs_route *in)
{
    if (!in->path_known || !in->path_text_len) {
        put_cell(o, "-", PATH_WIDTH);
        return;
    }
    size_t n = in->path_text_len, w = n > PATH_WIDTH ? n : PATH_WIDTH;
    if (!mrs_outbuf_reserve(o, 2 + w))
        return;
    char *p = o->buf + o->len;
    p[0] = p[1] = ' ';
    memcpy(p + 2, in->path_text, n);
    memset(p + 2 + n, ' ', w - n);
    o->len += 2 + w;
}

int mrs_validate_print_row(mrs_outbuf *o, const mrs_route_kbs *c, const mrs_route *in, const mrs_route_verdict *res)
{
    char s[MRS_PREFIX_STRLEN + 32];
    size_t n = (size_t)mrs_prefix_format(&in->prefix, s);
    if (n < 20) {
        memset(s + n, ' ', 20 - n);
        n = 20;
    }
    if (mrs_outbuf_reserve(o, n)) {
        memcpy(o->buf + o->len, s, n);
        o->len += n;
    }
    if (in->origin_none) {
        put_cell(o, "NONE", 12);
    } else {
        memcpy(s, "AS", 2);
        n = 2 + (size_t)mrs_u32_to_str(in->origin, s + 2);
        s[n] = 0;
        put_cell(o, s, 12);
    }
    for (size_t i = 0; i < NCHECKS; i++)
        checks[i].cells(o, c, res);
    path_cell(o, in);
    rov_tail(o, res);
    mrs_outbuf_eol(o);
    return o->failed ? -1 : 0;
}

int mrs_validate_print_json(mrs_outbuf *o, const mrs_route_kbs *c, uint64_t line, const mrs_route *in,
                            const mrs_route_verdict *res)
{
    put_open(o, "line");
    put_u64(o, line);
    put_key(o, "prefix");
    put_prefix(o, &in->prefix);
    put_key(o, "origin");
    if (in->origin_none)
        put_lit(o, "null");
    else
        put_u64(o, in->origin);
    put_key(o, "path");
    mrs_outbuf_putc(o, '[');
    for (size_t i = 0; i < in->npath; i++) {
        if (i)
            mrs_outbuf_putc(o, ',');
        mrs_outbuf_u32(o, in->path[i]);
    }
    mrs_outbuf_putc(o, ']');
    if (in->has_as_set)
        put_lit(o, ",\"as_set\":true");
    for (size_t i = 0; i < NCHECKS; i++)
        checks[i].json(o, c, res);
    mrs_outbuf_putc(o, '}');
    mrs_outbuf_eol(o);
    return o->failed ? -1 : 0;
}
