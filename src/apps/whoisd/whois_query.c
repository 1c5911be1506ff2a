/*
 * whois_query.c — the whois query engine of manrs whoisd: one query line in, the
 * answer bytes out (see include/manrs/apps/whoisd.h for the language and framing).
 *
 * Pure: no sockets, no clock, no globals; the only state is the whois_session
 * the caller passes. Every malformed query gets an "F <message>" answer (IRRd
 * style) or "%% <message>" (RIPE style); nothing here can close the connection
 * except !q and the end of a non-persistent exchange.
 *
 * Behaviour follows IRRd 4's documented query language (docs/users/queries.rst in
 * the IRRd project): "C" when a valid query finds nothing, "D" when the named
 * key (set, object) does not exist, `!!` answers nothing.
 */
#include "manrs/apps/whoisd.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manrs/core/grow.h"
#include "manrs/kb/irr_query.h"

void whois_session_init(whois_session *s)
{
    memset(s, 0, sizeof *s);
    /* Grown on first use (mrs_outbuf_grow starts at 4 KiB): idle clients cost nothing. */
    s->scratch.buf = NULL;
    s->scratch.cap = s->scratch.len = 0;
    s->scratch.out = NULL;
}

void whois_session_clear(whois_session *s)
{
    free(s->scratch.buf);
    s->scratch.buf = NULL;
    s->scratch.cap = s->scratch.len = 0;
}

/* ------------------------------------------------------------------ framing */

static void put_fail(mrs_outbuf *out, const char *msg)
{
    mrs_outbuf_puts(out, "F ");
    mrs_outbuf_puts(out, msg);
    mrs_outbuf_putc(out, '\n');
}

/* The body being built passed the session's answer limit: the writers stop early
 * (the limit bounds the work as well as the memory of one answer). */
static bool over(const whois_session *s, const mrs_outbuf *b)
{
    return s->answer_limit && b->len > s->answer_limit;
}

/* Frame the scratch body: "A<n>\n<body>\nC\n", or "C\n" when it is empty. */
static void put_body(whois_session *s, mrs_outbuf *out)
{
    mrs_outbuf *body = &s->scratch;
    if (over(s, body)) {
        char msg[96];
        snprintf(msg, sizeof msg, "Answer too large: more than %zu bytes (the server's limit)", s->answer_limit);
        body->len = 0;
        s->over_limit = true;
        put_fail(out, msg);
        return;
    }
    if (body->oom) {
        /* the answer did not fit in memory: say so instead of sending part of it
         * (the scratch buffer is per query: the next one starts clean) */
        body->oom = body->failed = false;
        body->len = 0;
        put_fail(out, "out of memory");
        return;
    }
    if (!body->len) {
        mrs_outbuf_puts(out, "C\n");
        return;
    }
    mrs_outbuf_putc(out, 'A');
    mrs_outbuf_u64(out, (uint64_t)body->len + 1);
    mrs_outbuf_putc(out, '\n');
    mrs_outbuf_put(out, body->buf, body->len);
    mrs_outbuf_puts(out, "\nC\n");
}

static void sep(mrs_outbuf *b)
{
    if (b->len)
        mrs_outbuf_putc(b, ' ');
}

/* ------------------------------------------------------------------ RPSL rendering */

static void attr(mrs_outbuf *b, const char *key, const char *val)
{
    size_t kl = strlen(key);
    mrs_outbuf_put(b, key, kl);
    mrs_outbuf_putc(b, ':');
    for (size_t i = kl + 1; i < 16; i++)
        mrs_outbuf_putc(b, ' ');
    mrs_outbuf_puts(b, val);
    mrs_outbuf_putc(b, '\n');
}

static void attr_opt(mrs_outbuf *b, const char *key, const char *val)
{
    if (val && *val)
        attr(b, key, val);
}

/* Separate objects by one blank line. */
static void obj_begin(mrs_outbuf *b)
{
    if (b->len)
        mrs_outbuf_putc(b, '\n');
}

static void render_route(mrs_outbuf *b, const irr_route_ref *r, bool keys_only)
{
    char ps[MRS_PREFIX_STRLEN], as[16];
    mrs_prefix_format(&r->prefix, ps);
    snprintf(as, sizeof as, "AS%u", r->origin);
    obj_begin(b);
    attr(b, r->prefix.afi == MRS_AFI_IPV6 ? "route6" : "route", ps);
    attr(b, "origin", as);
    if (keys_only)
        return;
    attr_opt(b, "mnt-by", r->mnt_by);
    attr(b, "source", r->source);
}

static void render_aut_num(mrs_outbuf *b, const irr_aut_num *a, bool keys_only)
{
    char as[16];
    snprintf(as, sizeof as, "AS%u", a->asn);
    obj_begin(b);
    attr(b, "aut-num", as);
    if (keys_only)
        return;
    attr_opt(b, "as-name", a->as_name);
    attr_opt(b, "member-of", a->member_of);
    attr_opt(b, "admin-c", a->admin_c);
    attr_opt(b, "tech-c", a->tech_c);
    attr_opt(b, "abuse-c", a->abuse_c);
    attr_opt(b, "mnt-by", a->mnt_by);
    attr(b, "source", a->source);
}

static void render_set(const irr_db *db, mrs_outbuf *b, const irr_set_view *v, bool keys_only)
{
    obj_begin(b);
    attr(b, irr_class_name(v->cls), v->name);
    char m[80];
    for (uint32_t i = 0; i < v->n_members; i++) {
        irr_db_set_member(db, v, i, m);
        attr(b, (v->cls == IRR_CLASS_ROUTE_SET && strchr(m, ':') && strchr(m, '/')) ? "mp-members" : "members", m);
    }
    if (keys_only)
        return;
    if (v->mbrs_any)
        attr(b, "mbrs-by-ref", "ANY");
    for (uint32_t i = 0; i < v->n_mbrs_by_ref; i++)
        attr(b, "mbrs-by-ref", irr_db_set_mbr_by_ref(db, v, i));
    attr(b, "source", v->source);
}

static void render_contact(mrs_outbuf *b, const irr_contact *c, bool keys_only)
{
    obj_begin(b);
    switch (c->cls) {
    case IRR_CLASS_PERSON:
    case IRR_CLASS_ROLE:
        attr(b, irr_class_name(c->cls), c->name);
        attr(b, "nic-hdl", c->key);
        break;
    case IRR_CLASS_ORGANISATION:
        attr(b, "organisation", c->key);
        if (!keys_only)
            attr_opt(b, "org-name", c->name);
        break;
    default:
        attr(b, irr_class_name(c->cls), c->key);
        break;
    }
    if (keys_only)
        return;
    attr_opt(b, "e-mail", c->e_mail);
    attr_opt(b, "abuse-mailbox", c->abuse_mailbox);
    attr(b, "source", c->source);
}

/* Strip the final newline of a body of objects (the framing adds it back). */
static void body_trim(mrs_outbuf *b)
{
    if (b->len && b->buf[b->len - 1] == '\n')
        b->len--;
}

/* ------------------------------------------------------------------ helpers */

typedef struct pfx_vec {
    mrs_prefix *v;
    size_t n, cap;
    bool oom;
} pfx_vec;

static void pv_push(pfx_vec *pv, const mrs_prefix *p)
{
    mrs_prefix *nv = mrs_grow(pv->v, &pv->cap, pv->n + 1, sizeof *nv, 64);
    if (!nv) {
        pv->oom = true;
        return;
    }
    pv->v = nv;
    pv->v[pv->n++] = *p;
}

static int collect_prefix(void *user, const irr_route_ref *r)
{
    pv_push(user, &r->prefix);
    return 0;
}

static int cmp_pfx(const void *a, const void *b) { return mrs_prefix_cmp(a, b); }

static size_t pv_sort_unique(pfx_vec *pv)
{
    if (pv->n)
        qsort(pv->v, pv->n, sizeof *pv->v, cmp_pfx);
    size_t w = 0;
    for (size_t i = 0; i < pv->n; i++)
        if (!w || !mrs_prefix_equal(&pv->v[w - 1], &pv->v[i]))
            pv->v[w++] = pv->v[i];
    pv->n = w;
    return w;
}

static void put_prefixes(const whois_session *s, mrs_outbuf *b, const pfx_vec *pv)
{
    char ps[MRS_PREFIX_STRLEN];
    for (size_t i = 0; i < pv->n && !over(s, b); i++) {
        sep(b);
        mrs_outbuf_put(b, ps, (size_t)mrs_prefix_format(&pv->v[i], ps));
    }
}

/* The session's source selection. false (with an F answer) when a listed
 * source no longer exists (a reload dropped it). */
static bool session_sel(const irr_db *db, const whois_session *s, irr_sel *sel, mrs_outbuf *out)
{
    if (irr_db_select(db, s->sources, sel) < 0) {
        put_fail(out, "selected sources are no longer loaded; send !s again");
        return false;
    }
    return true;
}

static bool parse_asn(const char *s, size_t n, uint32_t *asn)
{
    /* IRRd takes "AS64500" / "as64500"; bare numbers too (bgpq4 sends "as"). */
    return n > 0 && n < 16 && mrs_asn_parse(s, n, asn);
}

/* Copy q[0..n) into a NUL-terminated buffer; false if too long or it has NUL. */
static bool cstr(const char *q, size_t n, char *buf, size_t cap)
{
    if (n >= cap || memchr(q, 0, n))
        return false;
    memcpy(buf, q, n);
    buf[n] = 0;
    return true;
}

/* ------------------------------------------------------------------ IRRd style */

static void q_origin(const irr_db *db, whois_session *s, const char *a, size_t n, unsigned afi, mrs_outbuf *out)
{
    uint32_t asn;
    if (!parse_asn(a, n, &asn)) {
        put_fail(out, "Invalid AS number");
        return;
    }
    irr_sel sel;
    if (!session_sel(db, s, &sel, out))
        return;
    pfx_vec pv = {0};
    irr_db_routes_by_origin(db, asn, afi, &sel, collect_prefix, &pv);
    if (pv.oom) {
        free(pv.v);
        put_fail(out, "out of memory");
        return;
    }
    pv_sort_unique(&pv);
    mrs_outbuf *b = &s->scratch;
    b->len = 0;
    put_prefixes(s, b, &pv);
    free(pv.v);
    put_body(s, out);
}

/* An expansion that went past the server's limits is an error, not a silently
 * shorter answer: "F" with the limit (IRRd's error form). true when answered. */
static bool expand_limits(const whois_session *s, const char *name, const irr_expand_stats *st, size_t n,
                          mrs_outbuf *out)
{
    char msg[400];
    if (st->depth_cut) {
        snprintf(msg, sizeof msg, "Set %.255s is nested deeper than %u levels (the server's limit)", name,
                 s->max_depth ? s->max_depth : IRR_DEFAULT_MAX_DEPTH);
    } else if (s->max_set_size && n > s->max_set_size) {
        snprintf(msg, sizeof msg, "Set %.255s expands to more than %zu members (the server's limit)", name,
                 s->max_set_size);
    } else {
        return false;
    }
    put_fail(out, msg);
    return true;
}

/* Recursively expand an as-set (or AS number) to ASNs; false + answer if not
 * found or past the limits. */
static bool expand_asns(const irr_db *db, const whois_session *s, const irr_sel *sel, const char *name,
                        irr_asn_list *l, mrs_outbuf *out)
{
    irr_expand_opts eo = {.sel = sel, .max_depth = s->max_depth};
    if (irr_expand_as_set(db, name, &eo, l) < 0) {
        put_fail(out, "expansion failed (out of memory)");
        return false;
    }
    if (!l->st.found) {
        mrs_outbuf_puts(out, "D\n");
        return false;
    }
    return !expand_limits(s, name, &l->st, l->n, out);
}

static void q_set(const irr_db *db, whois_session *s, const char *a, size_t n, mrs_outbuf *out)
{
    bool recursive = false;
    if (n >= 2 && a[n - 2] == ',' && a[n - 1] == '1') {
        recursive = true;
        n -= 2;
    }
    char name[256];
    if (!n || !cstr(a, n, name, sizeof name) || strchr(name, ',') || strchr(name, ' ')) {
        put_fail(out, "Invalid set name");
        return;
    }
    irr_sel sel;
    if (!session_sel(db, s, &sel, out))
        return;
    irr_set_view v;
    if (!irr_db_set_find(db, name, &sel, &v)) {
        mrs_outbuf_puts(out, "D\n");
        return;
    }
    mrs_outbuf *b = &s->scratch;
    b->len = 0;
    char m[80];
    if (!recursive) {
        for (uint32_t i = 0; i < v.n_members && !over(s, b); i++) {
            int ml = irr_db_set_member(db, &v, i, m);
            sep(b);
            mrs_outbuf_put(b, m, (size_t)ml);
        }
    } else if (v.cls == IRR_CLASS_AS_SET) {
        irr_asn_list l = {0};
        if (!expand_asns(db, s, &sel, name, &l, out)) {
            irr_asn_list_clear(&l);
            return;
        }
        for (size_t i = 0; i < l.n && !over(s, b); i++) {
            sep(b);
            mrs_outbuf_puts(b, "AS");
            mrs_outbuf_u32(b, l.asns[i]);
        }
        irr_asn_list_clear(&l);
    } else {
        irr_range_list rl = {0};
        irr_expand_opts eo = {.sel = &sel, .max_depth = s->max_depth};
        if (irr_expand_route_set(db, name, &eo, &rl) < 0) {
            irr_range_list_clear(&rl);
            put_fail(out, "expansion failed (out of memory)");
            return;
        }
        if (expand_limits(s, name, &rl.st, rl.n, out)) {
            irr_range_list_clear(&rl);
            return;
        }
        char rs[64];
        for (size_t i = 0; i < rl.n && !over(s, b); i++) {
            sep(b);
            mrs_outbuf_put(b, rs, (size_t)irr_prefix_range_format(&rl.v[i], rs));
        }
        irr_range_list_clear(&rl);
    }
    put_body(s, out);
}

/* !a[4|6]<set>: the distinct prefixes originated by the set's ASes (as-set), or
 * the set's prefixes (route-set, ranges taken at their base prefix). Like IRRd 4
 * the answer is the distinct prefixes, NOT an aggregate: bgpq4 builds its filters
 * from this answer, and an aggregate would drop the more specifics a customer
 * registered (e.g. a /13 under its /12) from the filter. */
static void q_aggregate(const irr_db *db, whois_session *s, const char *a, size_t n, mrs_outbuf *out)
{
    unsigned afi = 0;
    if (n && (a[0] == '4' || a[0] == '6')) {
        afi = a[0] == '4' ? MRS_AFI_IPV4 : MRS_AFI_IPV6;
        a++;
        n--;
    }
    char name[256];
    if (!n) {
        /* The exact IRRd 4 text: bgpq4 probes "!a" and compares it to decide
         * whether the server supports !a. */
        put_fail(out, "Missing required set name for A query");
        return;
    }
    if (!cstr(a, n, name, sizeof name) || strchr(name, ',') || strchr(name, ' ')) {
        put_fail(out, "Invalid set name");
        return;
    }
    irr_sel sel;
    if (!session_sel(db, s, &sel, out))
        return;
    pfx_vec pv = {0};
    int cls = irr_set_class_of_name(name, n);
    if (cls == IRR_CLASS_ROUTE_SET) {
        irr_range_list rl = {0};
        irr_expand_opts eo = {.sel = &sel, .max_depth = s->max_depth};
        int rc = irr_expand_route_set(db, name, &eo, &rl);
        if (rc < 0 || !rl.st.found || expand_limits(s, name, &rl.st, rl.n, out)) {
            if (rc < 0)
                put_fail(out, "expansion failed (out of memory)");
            else if (!rl.st.found)
                mrs_outbuf_puts(out, "D\n");
            irr_range_list_clear(&rl);
            return;
        }
        for (size_t i = 0; i < rl.n; i++)
            if (!afi || rl.v[i].prefix.afi == afi)
                pv_push(&pv, &rl.v[i].prefix);
        irr_range_list_clear(&rl);
    } else {
        irr_asn_list l = {0};
        if (!expand_asns(db, s, &sel, name, &l, out)) {
            irr_asn_list_clear(&l);
            return;
        }
        for (size_t i = 0; i < l.n; i++)
            irr_db_routes_by_origin(db, l.asns[i], afi, &sel, collect_prefix, &pv);
        irr_asn_list_clear(&l);
    }
    if (pv.oom) {
        free(pv.v);
        put_fail(out, "out of memory");
        return;
    }
    pv_sort_unique(&pv);
    mrs_outbuf *b = &s->scratch;
    b->len = 0;
    put_prefixes(s, b, &pv);
    free(pv.v);
    put_body(s, out);
}

typedef struct route_render {
    const whois_session *s;
    mrs_outbuf *b;
    bool keys_only;
    bool origins_only;
    uint32_t *origins;
    size_t n, cap;
    bool oom;
} route_render;

static int render_route_cb(void *user, const irr_route_ref *r)
{
    route_render *rr = user;
    if (!rr->origins_only) {
        render_route(rr->b, r, rr->keys_only);
        return over(rr->s, rr->b);   /* past the answer limit: stop the walk */
    }
    for (size_t i = 0; i < rr->n; i++)
        if (rr->origins[i] == r->origin)
            return 0;
    uint32_t *nv = mrs_grow(rr->origins, &rr->cap, rr->n + 1, sizeof *nv, 16);
    if (!nv) {
        rr->oom = true;
        return 1;
    }
    rr->origins = nv;
    rr->origins[rr->n++] = r->origin;
    return 0;
}

static void q_route(const irr_db *db, whois_session *s, const char *a, size_t n, mrs_outbuf *out)
{
    irr_prefix_match m = IRR_PM_EXACT;
    bool origins = false;
    const char *comma = memchr(a, ',', n);
    size_t pn = n;
    if (comma) {
        pn = (size_t)(comma - a);
        if (n - pn != 2) {
            put_fail(out, "Invalid option: use ,o ,l ,L or ,M");
            return;
        }
        switch (comma[1]) {
        case 'o':
            origins = true;
            break;
        case 'l':
            m = IRR_PM_ONE_LESS;
            break;
        case 'L':
            m = IRR_PM_ALL_LESS;
            break;
        case 'M':
            m = IRR_PM_ALL_MORE;
            break;
        default:
            put_fail(out, "Invalid option: use ,o ,l ,L or ,M");
            return;
        }
    }
    mrs_prefix p;
    if (!pn || !memchr(a, '/', pn) || !mrs_prefix_parse(a, pn, &p, true)) {
        put_fail(out, "Invalid prefix");
        return;
    }
    irr_sel sel;
    if (!session_sel(db, s, &sel, out))
        return;
    mrs_outbuf *b = &s->scratch;
    b->len = 0;
    route_render rr = {.s = s, .b = b, .origins_only = origins};
    irr_db_routes_by_prefix(db, &p, m, &sel, render_route_cb, &rr);
    if (rr.oom) {
        free(rr.origins);
        put_fail(out, "out of memory");
        return;
    }
    if (origins) {
        for (size_t i = 0; i < rr.n && !over(s, b); i++) {
            sep(b);
            mrs_outbuf_puts(b, "AS");
            mrs_outbuf_u32(b, rr.origins[i]);
        }
        free(rr.origins);
    }
    body_trim(b);
    put_body(s, out);
}

static int ci_eq(const char *a, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    if (n != l)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != lit[i])
            return 0;
    return 1;
}

static int contact_class(const char *c, size_t n)
{
    static const struct {
        const char *name;
        irr_class cls;
    } t[] = {{"mntner", IRR_CLASS_MNTNER}, {"role", IRR_CLASS_ROLE},
             {"person", IRR_CLASS_PERSON}, {"irt", IRR_CLASS_IRT},
             {"organisation", IRR_CLASS_ORGANISATION}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (ci_eq(c, n, t[i].name))
            return (int)t[i].cls;
    return -1;
}

typedef struct first_route {
    mrs_outbuf *b;
    uint32_t origin;
    bool done;
} first_route;

static int first_route_cb(void *user, const irr_route_ref *r)
{
    first_route *fr = user;
    if (r->origin != fr->origin)
        return 0;
    render_route(fr->b, r, false);
    fr->done = true;
    return 1;
}

static void q_match(const irr_db *db, whois_session *s, const char *a, size_t n, mrs_outbuf *out)
{
    const char *comma = memchr(a, ',', n);
    if (!comma || comma == a || comma + 1 == a + n) {
        put_fail(out, "Invalid query: use !m<object-class>,<primary-key>");
        return;
    }
    size_t cn = (size_t)(comma - a);
    const char *key = comma + 1;
    size_t kn = n - cn - 1;
    char kbuf[256];
    if (!cstr(key, kn, kbuf, sizeof kbuf)) {
        put_fail(out, "Key too long");
        return;
    }
    irr_sel sel;
    if (!session_sel(db, s, &sel, out))
        return;
    mrs_outbuf *b = &s->scratch;
    b->len = 0;
    if (ci_eq(a, cn, "aut-num")) {
        uint32_t asn;
        const irr_aut_num *an = parse_asn(key, kn, &asn) ? irr_db_aut_num(db, asn, &sel) : NULL;
        if (an)
            render_aut_num(b, an, false);
    } else if (ci_eq(a, cn, "as-set") || ci_eq(a, cn, "route-set")) {
        irr_set_view v;
        int want = ci_eq(a, cn, "as-set") ? IRR_CLASS_AS_SET : IRR_CLASS_ROUTE_SET;
        if (irr_db_set_find(db, kbuf, &sel, &v) && (int)v.cls == want)
            render_set(db, b, &v, false);
    } else if (ci_eq(a, cn, "route") || ci_eq(a, cn, "route6")) {
        /* Primary key: prefix and origin written together, "192.0.2.0/24AS65000". */
        char *as = NULL;
        for (char *p = kbuf; *p; p++)
            if ((p[0] == 'A' || p[0] == 'a') && (p[1] == 'S' || p[1] == 's')) {
                as = p;
                break;
            }
        mrs_prefix p;
        uint32_t asn;
        if (!as || !mrs_prefix_parse(kbuf, (size_t)(as - kbuf), &p, true) || !parse_asn(as, strlen(as), &asn) ||
            (p.afi == MRS_AFI_IPV6) != (cn == 6)) {
            put_fail(out, "Invalid route key: use <prefix><origin>, e.g. 192.0.2.0/24AS65000");
            return;
        }
        first_route fr = {.b = b, .origin = asn};
        irr_db_routes_by_prefix(db, &p, IRR_PM_EXACT, &sel, first_route_cb, &fr);
    } else {
        int cc = contact_class(a, cn);
        if (cc < 0) {
            put_fail(out, "Unknown or unsupported object class");
            return;
        }
        const irr_contact *c = irr_db_contact(db, (irr_class)cc, kbuf, &sel);
        if (c)
            render_contact(b, c, false);
    }
    if (!b->len) {
        mrs_outbuf_puts(out, "D\n");
        return;
    }
    body_trim(b);
    put_body(s, out);
}

/* The selected source names in priority order, comma separated. */
static void put_source_list(const irr_db *db, const irr_sel *sel, mrs_outbuf *b)
{
    size_t ns = irr_db_source_count(db);
    for (int r = 0; r < (int)ns; r++)
        for (unsigned i = 0; i < ns; i++)
            if (irr_sel_source_rank(db, sel, i) == r) {
                if (b->len)
                    mrs_outbuf_putc(b, ',');
                mrs_outbuf_puts(b, irr_db_source_name(db, i));
            }
}

static void q_sources(const irr_db *db, whois_session *s, const char *a, size_t n, mrs_outbuf *out)
{
    mrs_outbuf *b = &s->scratch;
    b->len = 0;
    if (ci_eq(a, n, "-lc")) {
        irr_sel sel;
        if (!session_sel(db, s, &sel, out))
            return;
        put_source_list(db, &sel, b);
        put_body(s, out);
        return;
    }
    char list[WHOIS_MAX_SOURCES_TEXT];
    irr_sel sel;
    if (!n || !cstr(a, n, list, sizeof list) || irr_db_select(db, list, &sel) < 0) {
        put_fail(out, "Unknown source(s) or empty list; !s-lc lists the sources");
        return;
    }
    for (char *p = list; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    memcpy(s->sources, list, n + 1);
    mrs_outbuf_puts(out, "C\n");
}

static void q_serials(const irr_db *db, whois_session *s, const char *a, size_t n, mrs_outbuf *out)
{
    mrs_outbuf *b = &s->scratch;
    b->len = 0;
    size_t ns = irr_db_source_count(db);
    bool all = n == 0 || (n == 2 && a[0] == '-' && a[1] == '*');
    for (unsigned i = 0; i < ns; i++) {
        const char *nm = irr_db_source_name(db, i);
        if (!all && (strlen(nm) != n || strncasecmp(nm, a, n) != 0))
            continue;
        /* Not a mirror: no serials (IRRd: <source>:<mirrored Y/N>:<serial range>). */
        if (b->len)
            mrs_outbuf_putc(b, '\n');
        mrs_outbuf_puts(b, nm);
        mrs_outbuf_puts(b, ":N:0-0");
    }
    if (!b->len) {
        put_fail(out, "Unknown source");
        return;
    }
    put_body(s, out);
}

static void irrd_query(const irr_db *db, whois_session *s, const char *version, const char *q, size_t n,
                       mrs_outbuf *out)
{
    char c = n >= 2 ? q[1] : 0;
    const char *a = q + 2;
    size_t an = n >= 2 ? n - 2 : 0;
    switch (c) {
    case '!':
        if (an) {
            put_fail(out, "!! takes no parameters");
            break;
        }
        s->persistent = true;
        return;   /* no answer at all, and not the end of a one-shot exchange */
    case 'n':
        snprintf(s->client, sizeof s->client, "%.*s", (int)(an < 63 ? an : 63), a);
        mrs_outbuf_puts(out, "C\n");
        break;
    case 'v': {
        mrs_outbuf *b = &s->scratch;
        b->len = 0;
        mrs_outbuf_puts(b, version);
        put_body(s, out);
        break;
    }
    case 'q':
        s->quit = true;
        return;
    case 't': {
        char buf[8];
        char *end;
        long t = cstr(a, an, buf, sizeof buf) && an ? strtol(buf, &end, 10) : 0;
        if (t < 1 || t > 1000 || *end) {
            put_fail(out, "Invalid timeout: 1 to 1000 seconds");
            break;
        }
        s->timeout_s = (unsigned)t;
        mrs_outbuf_puts(out, "C\n");
        break;
    }
    case 's':
        q_sources(db, s, a, an, out);
        break;
    case 'j':
        q_serials(db, s, a, an, out);
        break;
    case 'g':
        q_origin(db, s, a, an, MRS_AFI_IPV4, out);
        break;
    case '6':
        q_origin(db, s, a, an, MRS_AFI_IPV6, out);
        break;
    case 'i':
        q_set(db, s, a, an, out);
        break;
    case 'a':
        q_aggregate(db, s, a, an, out);
        break;
    case 'r':
        q_route(db, s, a, an, out);
        break;
    case 'm':
        q_match(db, s, a, an, out);
        break;
    default:
        put_fail(out, "Unrecognised command");
        break;
    }
    if (!s->persistent)
        s->quit = true;
}

/* ------------------------------------------------------------------ RIPE style */

typedef struct ripe_q {
    bool keys_only;
    unsigned types;          /* bit per irr_class; 0 = all */
    const char *inv_attr;    /* -i attribute */
    size_t inv_attr_n;
    int pm;                  /* -x -l -L -M: irr_prefix_match, or -1 */
    const char *key;
    size_t key_n;
} ripe_q;

static bool type_ok(const ripe_q *r, irr_class c) { return !r->types || (r->types & (1u << c)); }

static int class_by_name(const char *s, size_t n)
{
    for (int c = 0; c < IRR_CLASS_COUNT; c++)
        if (ci_eq(s, n, irr_class_name((irr_class)c)))
            return c;
    return -1;
}

typedef struct ripe_route_ctx {
    const whois_session *s;
    mrs_outbuf *b;
    const ripe_q *r;
} ripe_route_ctx;

static int ripe_route_cb(void *user, const irr_route_ref *ref)
{
    ripe_route_ctx *c = user;
    if (type_ok(c->r, ref->prefix.afi == MRS_AFI_IPV6 ? IRR_CLASS_ROUTE6 : IRR_CLASS_ROUTE))
        render_route(c->b, ref, c->r->keys_only);
    return over(c->s, c->b);
}

static void ripe_err(mrs_outbuf *out, const char *msg)
{
    mrs_outbuf_puts(out, "%% ");
    mrs_outbuf_puts(out, msg);
    mrs_outbuf_puts(out, "\n\n");
}

/* One whitespace-separated token from *p (bounded by end). */
static bool token(const char **p, const char *end, const char **t, size_t *tn)
{
    const char *s = *p;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if (s == end)
        return false;
    const char *e = s;
    while (e < end && *e != ' ' && *e != '\t')
        e++;
    *t = s;
    *tn = (size_t)(e - s);
    *p = e;
    return true;
}

static void ripe_query(const irr_db *db, whois_session *s, const char *q, size_t n, mrs_outbuf *out)
{
    ripe_q r = {.pm = -1};
    const char *p = q, *end = q + n, *t;
    size_t tn;
    bool keepalive_flag = false;
    bool search = false;
    while (token(&p, end, &t, &tn)) {
        if (t[0] != '-' || tn < 2) {
            if (r.key) {
                ripe_err(out, "Only one search key per query");
                goto done;
            }
            r.key = t;
            r.key_n = tn;
            search = true;
            continue;
        }
        if (tn != 2) {
            ripe_err(out, "Unsupported flag (long flags are not supported)");
            goto done;
        }
        const char *arg;
        size_t argn;
        switch (t[1]) {
        case 'k':
            keepalive_flag = true;
            break;
        case 'K':
            r.keys_only = true;
            break;
        case 'r':
        case 'F':
        case 'B':
        case 'G':
            break;   /* accepted, no effect (no recursion into contacts, no filtering) */
        case 'a':
            s->sources[0] = 0;
            break;
        case 'T':
        case 's':
        case 'V':
        case 'i':
            if (!token(&p, end, &arg, &argn)) {
                ripe_err(out, "Flag needs an argument");
                goto done;
            }
            if (t[1] == 'T') {
                const char *c = arg, *ce = arg + argn;
                while (c < ce) {
                    const char *e = memchr(c, ',', (size_t)(ce - c));
                    if (!e)
                        e = ce;
                    int cls = class_by_name(c, (size_t)(e - c));
                    if (cls < 0) {
                        ripe_err(out, "Unknown or unsupported object class in -T");
                        goto done;
                    }
                    r.types |= 1u << cls;
                    c = e + 1;
                }
            } else if (t[1] == 's') {
                char list[WHOIS_MAX_SOURCES_TEXT];
                irr_sel sel;
                if (!cstr(arg, argn, list, sizeof list) || irr_db_select(db, list, &sel) < 0) {
                    ripe_err(out, "Unknown source(s) in -s");
                    goto done;
                }
                for (char *c = list; *c; c++)
                    *c = (char)toupper((unsigned char)*c);
                memcpy(s->sources, list, argn + 1);
            } else if (t[1] == 'V') {
                snprintf(s->client, sizeof s->client, "%.*s", (int)(argn < 63 ? argn : 63), arg);
            } else {
                r.inv_attr = arg;
                r.inv_attr_n = argn;
            }
            break;
        case 'x':
            r.pm = IRR_PM_EXACT;
            break;
        case 'l':
            r.pm = IRR_PM_ONE_LESS;
            break;
        case 'L':
            r.pm = IRR_PM_ALL_LESS;
            break;
        case 'M':
            r.pm = IRR_PM_ALL_MORE;
            break;
        default:
            ripe_err(out, "Unsupported flag");
            goto done;
        }
    }
    if (keepalive_flag && !search) {
        /* "-k" alone: enter keep-alive mode; a second "-k" ends the session (RIPE). */
        if (s->persistent)
            s->quit = true;
        s->persistent = true;
        return;
    }
    if (keepalive_flag)
        s->persistent = true;
    if (!r.key) {
        if (r.inv_attr || r.pm >= 0)
            ripe_err(out, "Missing search key");
        goto done;   /* flags only (-V, -s): nothing to answer */
    }
    irr_sel sel;
    if (irr_db_select(db, s->sources, &sel) < 0) {
        ripe_err(out, "Selected sources are no longer loaded; use -s or -a");
        goto done;
    }
    char key[256];
    if (!cstr(r.key, r.key_n, key, sizeof key)) {
        ripe_err(out, "Search key too long");
        goto done;
    }
    mrs_outbuf *b = &s->scratch;
    b->len = 0;
    ripe_route_ctx rc = {.s = s, .b = b, .r = &r};
    uint32_t asn;
    mrs_prefix pfx;
    bool is_pfx = memchr(key, '/', r.key_n) || memchr(key, ':', r.key_n) || memchr(key, '.', r.key_n);
    if (r.inv_attr) {
        if (!ci_eq(r.inv_attr, r.inv_attr_n, "origin")) {
            ripe_err(out, "Inverse lookup is supported for the origin attribute only");
            goto done;
        }
        if (!parse_asn(key, r.key_n, &asn)) {
            ripe_err(out, "Invalid AS number");
            goto done;
        }
        irr_db_routes_by_origin(db, asn, 0, &sel, ripe_route_cb, &rc);
    } else if (r.pm >= 0 || (is_pfx && mrs_prefix_parse(key, r.key_n, &pfx, false))) {
        if (!mrs_prefix_parse(key, r.key_n, &pfx, false)) {
            ripe_err(out, "Invalid prefix");
            goto done;
        }
        mrs_prefix_mask(&pfx);
        /* A bare prefix: all less specifics, exact included (IRRd). */
        irr_db_routes_by_prefix(db, &pfx, r.pm >= 0 ? (irr_prefix_match)r.pm : IRR_PM_ALL_LESS, &sel, ripe_route_cb,
                                &rc);
    } else {
        int sc = irr_set_class_of_name(key, r.key_n);
        irr_set_view v;
        if (sc >= 0) {
            if (type_ok(&r, (irr_class)sc) && irr_db_set_find(db, key, &sel, &v))
                render_set(db, b, &v, r.keys_only);
        } else if (parse_asn(key, r.key_n, &asn)) {
            const irr_aut_num *an = irr_db_aut_num(db, asn, &sel);
            if (an && type_ok(&r, IRR_CLASS_AUT_NUM))
                render_aut_num(b, an, r.keys_only);
        } else {
            static const irr_class cc[] = {IRR_CLASS_MNTNER, IRR_CLASS_ROLE, IRR_CLASS_PERSON, IRR_CLASS_IRT,
                                           IRR_CLASS_ORGANISATION};
            for (size_t i = 0; i < sizeof cc / sizeof cc[0]; i++) {
                if (!type_ok(&r, cc[i]))
                    continue;
                const irr_contact *c = irr_db_contact(db, cc[i], key, &sel);
                if (c)
                    render_contact(b, c, r.keys_only);
            }
        }
    }
    if (over(s, b)) {
        char msg[96];
        snprintf(msg, sizeof msg, "Answer too large: more than %zu bytes (the server's limit)", s->answer_limit);
        b->len = 0;
        s->over_limit = true;
        ripe_err(out, msg);
        goto done;
    }
    if (!b->len) {
        mrs_outbuf_puts(out, "%  No entries found for the selected source(s).\n\n");
        goto done;
    }
    mrs_outbuf_put(out, b->buf, b->len);
    mrs_outbuf_putc(out, '\n');   /* IRRd: objects separated by a blank line, then one extra newline */
done:
    if (!s->persistent)
        s->quit = true;
}

/* ------------------------------------------------------------------ entry */

void whois_answer(const irr_db *db, whois_session *s, const char *version, const char *q, size_t n, mrs_outbuf *out)
{
    s->over_limit = false;
    while (n && (q[n - 1] == '\r' || q[n - 1] == ' ' || q[n - 1] == '\t'))
        n--;
    while (n && (q[0] == ' ' || q[0] == '\t')) {
        q++;
        n--;
    }
    if (!n)
        return;   /* empty lines are ignored (IRRd) */
    if (memchr(q, 0, n)) {
        if (q[0] == '!')
            put_fail(out, "Invalid query (NUL byte)");
        else
            ripe_err(out, "Invalid query (NUL byte)");
        if (!s->persistent)
            s->quit = true;
        return;
    }
    if (q[0] == '!')
        irrd_query(db, s, version, q, n, out);
    else
        ripe_query(db, s, q, n, out);
}
