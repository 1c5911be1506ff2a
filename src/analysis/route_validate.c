/*
 * route_validate.c — the checks of route_validate.h, in one place: parsing a route
 * line and each knowledge base's verdict.
 */
#include "manrs/analysis/route_validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/grow.h"
#include "manrs/core/outbuf.h"

/* ---- input */

static bool path_push(mrs_route *in, uint32_t asn)
{
    if (in->npath == in->cappath) {
        uint32_t *np = mrs_grow(in->path, &in->cappath, in->npath + 1, sizeof *np, 16);
        if (!np)
            return false;
        in->path = np;
    }
    in->path[in->npath++] = asn;
    return true;
}

/* Room for n more bytes of path_text. */
static bool text_room(mrs_route *in, size_t n)
{
    if (in->path_text_len + n <= in->path_text_cap)
        return true;
    char *t = mrs_grow(in->path_text, &in->path_text_cap, in->path_text_len + n, 1, 64);
    if (!t)
        return false;
    in->path_text = t;
    return true;
}

static bool text_asn(mrs_route *in, char sep, uint32_t asn)
{
    if (!text_room(in, 12))
        return false;
    if (sep)
        in->path_text[in->path_text_len++] = sep;
    in->path_text_len += (size_t)mrs_u32_to_str(asn, in->path_text + in->path_text_len);
    return true;
}

static bool text_raw(mrs_route *in, const char *s, size_t n)
{
    if (!text_room(in, n))
        return false;
    memcpy(in->path_text + in->path_text_len, s, n);
    in->path_text_len += n;
    return true;
}

static inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), false)
#define WHYN(...) (snprintf(why, whylen, __VA_ARGS__), -1)
#define CUT(n, max) (int)((n) > (max) ? (max) : (n))

/* The AS path p[0..end): ASNs, AS_SETs {a,b}; with confed, confederation segments
 * (a,b) / [a,b] are kept in the text but not in the path. Sets the origin. */
static bool parse_path(const char *p, const char *end, mrs_route *in, bool confed, char *why, size_t whylen)
{
    bool last_was_set = false;
    size_t tokens = 0;
    for (;;) {
        while (p < end && is_blank(*p))
            p++;
        if (p == end)
            break;
        bool space = in->path_text_len != 0;
        if (*p == '{') { /* AS_SET: {a,b c} */
            const char *close = memchr(p, '}', (size_t)(end - p));
            if (!close)
                return WHY("unterminated AS_SET");
            bool first = true;
            if (space && !text_raw(in, " ", 1))
                return WHY("out of memory");
            if (!text_raw(in, "{", 1))
                return WHY("out of memory");
            for (const char *q = p + 1; q < close;) {
                while (q < close && (*q == ',' || is_blank(*q)))
                    q++;
                const char *t = q;
                while (q < close && *q != ',' && !is_blank(*q))
                    q++;
                uint32_t asn;
                if (q == t)
                    continue;
                if (!mrs_asn_parse(t, (size_t)(q - t), &asn))
                    return WHY("bad AS number '%.*s' in AS_SET", CUT(q - t, 40), t);
                if (!text_asn(in, first ? 0 : ',', asn))
                    return WHY("out of memory");
                first = false;
            }
            if (!text_raw(in, "}", 1))
                return WHY("out of memory");
            in->has_as_set = true;
            last_was_set = true;
            tokens++;
            p = close + 1;
            continue;
        }
        if (confed && (*p == '(' || *p == '[')) { /* AS_CONFED_SEQUENCE / AS_CONFED_SET */
            const char *close = memchr(p, *p == '(' ? ')' : ']', (size_t)(end - p));
            if (!close)
                return WHY("unterminated confederation segment");
            if ((space && !text_raw(in, " ", 1)) || !text_raw(in, p, (size_t)(close + 1 - p)))
                return WHY("out of memory");
            p = close + 1;
            continue;
        }
        const char *t = p;
        while (p < end && !is_blank(*p))
            p++;
        uint32_t asn;
        if (!mrs_asn_parse(t, (size_t)(p - t), &asn))
            return WHY("bad AS number '%.*s'", CUT(p - t, 40), t);
        if (!path_push(in, asn) || !text_asn(in, space ? ' ' : 0, asn))
            return WHY("out of memory");
        last_was_set = false;
        tokens++;
    }
    if (in->npath == 0 && !in->has_as_set)
        return WHY("missing origin AS");
    /* RFC 6811 §2: the origin is the last AS of the path; NONE if that is an AS_SET. */
    in->origin_none = last_was_set;
    if (!last_was_set)
        in->origin = in->path[in->npath - 1];
    in->path_known = in->path_known || tokens > 1 || in->has_as_set;
    return true;
}

static void route_reset(mrs_route *in)
{
    in->npath = 0;
    in->path_text_len = 0;
    in->has_as_set = in->origin_none = in->path_known = false;
    in->origin = 0;
}

/* The prefix tok[0..n): with a length; host bits are an error when strict, else cleared. */
static bool parse_prefix(const char *tok, size_t n, mrs_prefix *out, bool strict, char *why, size_t whylen)
{
    if (mrs_prefix_parse(tok, n, out, true)) {
        if (!memchr(tok, '/', n))
            return WHY("prefix '%.*s' has no length", CUT(n, 60), tok);
        return true;
    }
    if (!mrs_prefix_parse(tok, n, out, false))
        return WHY("bad prefix '%.*s'", CUT(n, 60), tok);
    if (!memchr(tok, '/', n))
        return WHY("prefix '%.*s' has no length", CUT(n, 60), tok);
    if (strict)
        return WHY("prefix '%.*s' has host bits set", CUT(n, 60), tok);
    return true;
}

/* Parse "PREFIX AS..." into in; on error writes why. */
bool mrs_route_parse(char *line, mrs_route *in, char *why, size_t whylen)
{
    route_reset(in);
    const char *p = line;
    while (is_blank(*p))
        p++;
    const char *tok = p;
    while (*p && !is_blank(*p))
        p++;
    if (!parse_prefix(tok, (size_t)(p - tok), &in->prefix, true, why, whylen))
        return false;
    return parse_path(p, p + strlen(p), in, false, why, whylen);
}

static bool starts(const char *s, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && memcmp(s, lit, l) == 0;
}

/* A bgpdump -m line (see route_validate.h). */
static int parse_bgpdump(char *line, size_t n, mrs_route *in, char *why, size_t whylen)
{
    const char *f[8];
    size_t fl[8], nf = 0;
    const char *p = line, *end = line + n;
    while (nf < 8) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        f[nf] = p;
        fl[nf] = (size_t)((bar ? bar : end) - p);
        nf++;
        if (!bar)
            break;
        p = bar + 1;
    }
    if (!starts(f[0], fl[0], "TABLE_DUMP") && !starts(f[0], fl[0], "BGP"))
        return WHYN("not a bgpdump -m line (type '%.*s')", CUT(fl[0], 40), f[0]);
    if (nf < 3)
        return WHYN("bgpdump -m line has %zu fields", nf);
    if ((fl[2] == 1 && f[2][0] == 'W') || (fl[2] == 5 && memcmp(f[2], "STATE", 5) == 0))
        return 0; /* a withdrawal or a session state change: no route */
    if (!(fl[2] == 1 && (f[2][0] == 'A' || f[2][0] == 'B')))
        return WHYN("bgpdump -m line of unknown kind '%.*s'", CUT(fl[2], 40), f[2]);
    bool addpath = fl[0] >= 3 && memcmp(f[0] + fl[0] - 3, "_AP", 3) == 0;
    size_t pf = addpath ? 7 : 6;
    if (nf <= pf)
        return WHYN("bgpdump -m line has %zu fields, the AS path is field %zu", nf, pf + 1);
    route_reset(in);
    in->path_known = true;
    if (!parse_prefix(f[5], fl[5], &in->prefix, false, why, whylen))
        return -1;
    const char *q = f[pf], *qe = f[pf] + fl[pf];
    while (q < qe && is_blank(*q))
        q++;
    if (q == qe) {
        /* An empty AS_PATH: the route was originated by the AS that sent it, the
         * collector's peer (an iBGP or route-server feed): its AS is the origin. */
        if (!mrs_asn_parse(f[4], fl[4], &in->origin))
            return WHYN("empty AS path and bad peer AS '%.*s'", CUT(fl[4], 40), f[4]);
        return 1;
    }
    return parse_path(f[pf], f[pf] + fl[pf], in, true, why, whylen) ? 1 : -1;
}

int mrs_route_parse_line(char *line, size_t n, mrs_route *r, char *why, size_t whylen)
{
    if (memchr(line, '|', n))
        return parse_bgpdump(line, n, r, why, whylen);
    line[n] = 0;
    return mrs_route_parse(line, r, why, whylen) ? 1 : -1;
}

void mrs_route_clear(mrs_route *r)
{
    free(r->path);
    free(r->path_text);
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
