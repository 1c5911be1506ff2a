/*
 * ixp.c — the route checks of `manrs ixp` (ixp.h): every RIB entry of a route
 * server's dump against the Action 1 filter classes, findings kept with their
 * evidence, counted per member and for the whole RS.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/ixp.h"
#include "manrs/core/grow.h"
#include "manrs/feeds/mrt_feed.h"

#define AS_TRANS 23456u /* RFC 6793 §9 */

static const struct {
    const char *name, *title;
    bool required;
} classes[IXP_NCLASS] = {
    [IXP_RPKI_INVALID] = {"rpki-invalid", "RPKI invalid", true},
    [IXP_BOGON_PREFIX] = {"bogon-prefix", "bogon prefix", true},
    [IXP_BOGON_ASN] = {"bogon-asn", "bogon ASN in path", true},
    [IXP_IRR_NO_ROUTE] = {"irr-no-route-object", "no IRR route object", true},
    [IXP_IRR_NOT_IN_SET] = {"irr-origin-not-in-as-set", "origin not in the member's as-set", true},
    [IXP_TOO_SPECIFIC] = {"too-specific", "prefix too specific", false},
    [IXP_FIRST_AS] = {"first-as-not-peer", "first AS not the peer's", false},
    [IXP_TRANSIT_FREE] = {"transit-free-in-path", "transit-free AS in path", false},
    [IXP_AS_SET] = {"as-set-in-path", "AS_SET in path", false},
};

const char *ixp_class_name(ixp_class c) { return c < IXP_NCLASS ? classes[c].name : "?"; }
bool ixp_class_required(ixp_class c) { return c < IXP_NCLASS && classes[c].required; }
bool ixp_class_parse(const char *s, ixp_class *c)
{
    for (int i = 0; i < IXP_NCLASS; i++)
        if (!strcmp(s, classes[i].name)) {
            *c = (ixp_class)i;
            return true;
        }
    return false;
}

/* The transit-free networks a member of an IXP should never show behind itself:
 * the list of the NLNOG BGP Filter Guide, "Filtering Known Transit Networks"
 * (bgpfilterguide.nlnog.net/guides/no_transit_leaks/, as DENOG's routing guide
 * repeats it in 2024): the networks that buy transit from nobody, so that a route
 * through them learned from an IXP member is a leak of the member's upstream
 * routes (RFC 7908 type 1/4). Sorted. Extend or replace with --transit-free. */
static const uint32_t transit_free[] = {
    174,  /* Cogent */
    701,  /* Verizon (UUNET) */
    1299, /* Arelion (Telia) */
    2914, /* NTT */
    3257, /* GTT */
    3320, /* Deutsche Telekom */
    3356, /* Lumen (Level3) */
    3491, /* PCCW */
    4134, /* Chinanet */
    5511, /* Orange */
    6453, /* Tata */
    6461, /* Zayo */
    6762, /* Telecom Italia Sparkle */
    6830, /* Liberty Global */
    7018, /* AT&T */
};

const uint32_t *ixp_transit_free_builtin(size_t *n)
{
    *n = sizeof transit_free / sizeof transit_free[0];
    return transit_free;
}

static bool sorted_has(const uint32_t *v, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] == x)
            return true;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* A malloc'd printf; NULL when out of memory. */
static char *fmt(const char *f, ...) MRS_PRINTF(1, 2);
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

/* A growing text, for the details that list things. */
typedef struct text {
    char *s;
    size_t n, cap;
    bool oom;
} text;

static void add(text *t, const char *f, ...) MRS_PRINTF(2, 3);
static void add(text *t, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    if (n < 0 || t->oom)
        return;
    char *ns = mrs_grow(t->s, &t->cap, t->n + (size_t)n + 1, 1, 128);
    if (!ns) {
        t->oom = true;
        return;
    }
    t->s = ns;
    va_start(ap, f);
    vsnprintf(t->s + t->n, (size_t)n + 1, f, ap);
    va_end(ap);
    t->n += (size_t)n;
}

static char *done(text *t)
{
    if (t->oom || !t->s) {
        free(t->s);
        return t->oom ? NULL : fmt("%s", "");
    }
    return t->s;
}

int ixp_init(ixp_result *r, const ixp_opts *o)
{
    memset(r, 0, sizeof *r);
    r->o = *o;
    if (!r->o.transit)
        r->o.transit = ixp_transit_free_builtin(&r->o.n_transit);
    return mrs_map64_init(&r->member_map);
}

void ixp_clear(ixp_result *r)
{
    for (size_t i = 0; i < r->n_files; i++)
        free(r->files[i]);
    free(r->files);
    free(r->file_routes);
    free(r->members);
    mrs_map64_clear(&r->member_map);
    for (size_t i = 0; i < r->n_f; i++) {
        free(r->f[i].path);
        free(r->f[i].detail);
    }
    free(r->f);
    for (size_t i = 0; i < r->n_sets; i++)
        free(r->sets[i].asns);
    free(r->sets);
    memset(r, 0, sizeof *r);
}

bool ixp_class_measured(const ixp_result *r, ixp_class c)
{
    const mrs_kbs *k = r->o.kb;
    switch (c) {
    case IXP_RPKI_INVALID: return k->rpki && k->have_vrps;
    case IXP_IRR_NO_ROUTE: return k->irr != NULL;
    case IXP_IRR_NOT_IN_SET: return k->irr && r->o.members;
    case IXP_TRANSIT_FREE: return r->o.n_transit > 0;
    default: return true;
    }
}

bool ixp_conformant(const ixp_result *r)
{
    for (int c = 0; c < IXP_NCLASS; c++)
        if (classes[c].required && r->found[c])
            return false;
    return true;
}

/* The index of a file name, interned. */
static int file_index(ixp_result *r, const char *name, uint32_t *idx)
{
    if (!name)
        name = "-";
    for (size_t i = r->n_files; i-- > 0;)
        if (!strcmp(r->files[i], name)) {
            *idx = (uint32_t)i;
            return 0;
        }
    char **nf = realloc(r->files, (r->n_files + 1) * sizeof *nf);
    if (!nf)
        return -1;
    r->files = nf;
    uint64_t *nr = realloc(r->file_routes, (r->n_files + 1) * sizeof *nr);
    if (!nr)
        return -1;
    r->file_routes = nr;
    if (!(r->files[r->n_files] = strdup(name)))
        return -1;
    r->file_routes[r->n_files] = 0;
    *idx = (uint32_t)r->n_files++;
    return 0;
}

/* The member of (peer, member ASN): hashed into the map, collisions resolved by
 * comparing and probing again with another seed. */
typedef struct member_key {
    uint8_t ip[16];
    uint32_t peer_asn, asn;
    uint16_t afi;
    uint8_t pad[6];
} member_key;

static ixp_member *member_of(ixp_result *r, const mrs_route_peer *peer, uint32_t asn, bool via)
{
    member_key k;
    memset(&k, 0, sizeof k);
    memcpy(k.ip, peer->ip, 16);
    k.peer_asn = peer->asn;
    k.asn = asn;
    k.afi = peer->afi;
    for (uint64_t seed = 1;; seed++) {
        bool found;
        uint32_t *slot = mrs_map64_put(&r->member_map, mrs_map64_key_bytes(&k, sizeof k, seed), &found);
        if (!slot)
            return NULL;
        if (found) {
            ixp_member *m = &r->members[*slot];
            if (m->peer.afi == peer->afi && m->peer.asn == peer->asn && m->asn == asn &&
                !memcmp(m->peer.ip, peer->ip, 16))
                return m;
            continue;
        }
        ixp_member *nm = mrs_grow(r->members, &r->cap_members, r->n_members + 1, sizeof *nm, 64);
        if (!nm) {
            mrs_map64_remove(&r->member_map, mrs_map64_key_bytes(&k, sizeof k, seed));
            return NULL;
        }
        r->members = nm;
        ixp_member *m = &r->members[r->n_members];
        memset(m, 0, sizeof *m);
        m->peer = *peer;
        m->asn = asn;
        m->via_rs = via;
        m->info = r->o.members ? ixp_members_find(r->o.members, asn) : NULL;
        *slot = (uint32_t)r->n_members++;
        return m;
    }
}

/* The expanded as-set of a member (cached). NULL when out of memory. */
static const ixp_irr_cache *member_set(ixp_result *r, const ixp_member_info *mi)
{
    for (size_t i = 0; i < r->n_sets; i++)
        if (r->sets[i].asn == mi->asn)
            return &r->sets[i];
    ixp_irr_cache *ns = mrs_grow(r->sets, &r->cap_sets, r->n_sets + 1, sizeof *ns, 16);
    if (!ns)
        return NULL;
    r->sets = ns;
    irr_asn_list l;
    memset(&l, 0, sizeof l);
    irr_expand_opts eo = {r->o.kb->irr_sel, 0};
    if (irr_expand_as_set(r->o.kb->irr, mi->as_set, &eo, &l) != 0) {
        irr_asn_list_clear(&l);
        return NULL;
    }
    ixp_irr_cache *c = &r->sets[r->n_sets++];
    c->asn = mi->asn;
    c->found = l.st.found;
    c->asns = l.asns;   /* taken over */
    c->n = l.n;
    return c;
}

typedef struct route_ctx {
    ixp_result *r;
    const mrs_route_event *ev;
    const mrs_prefix *prefix;
    uint32_t member, file, origin;
    bool origin_none;
    char *path;
    bool flagged;
} route_ctx;

/* Record a finding; takes detail (may be NULL: out of memory). */
static ixp_finding *finding(route_ctx *c, ixp_class cls, char *detail)
{
    ixp_result *r = c->r;
    ixp_finding *nf = detail ? mrs_grow(r->f, &r->cap_f, r->n_f + 1, sizeof *nf, 64) : NULL;
    char *path = nf ? strdup(c->path) : NULL;
    if (!path) {
        free(detail);
        r->oom = true;
        return NULL;
    }
    r->f = nf;
    ixp_finding *f = &r->f[r->n_f++];
    memset(f, 0, sizeof *f);
    f->cls = cls;
    f->member = c->member;
    f->prefix = *c->prefix;
    f->origin = c->origin;
    f->origin_none = c->origin_none;
    f->path = path;
    f->file = c->file;
    f->offset = c->ev->offset;
    f->detail = detail;
    r->found[cls]++;
    r->members[c->member].found[cls]++;
    c->flagged = true;
    return f;
}

static void check_rpki(route_ctx *c)
{
    ixp_result *r = c->r;
    const mrs_kbs *k = r->o.kb;
    if (!k->rpki || !k->have_vrps)
        return;
    mrs_rov_result res;
    mrs_rov_validate_ex(k->rpki, c->prefix, c->origin, c->origin_none, &res);
    if (res.state == MRS_ROV_VALID)
        r->rov_valid++;
    else if (res.state == MRS_ROV_NOT_FOUND)
        r->rov_notfound++;
    if (res.state != MRS_ROV_INVALID)
        return;
    r->rov_invalid++;
    text t = {0};
    add(&t, "covering VRPs ");
    char p[MRS_PREFIX_STRLEN];
    for (unsigned i = 0; i < res.covering_shown; i++) {
        mrs_prefix_format(&res.covering[i].prefix, p);
        add(&t, "%s%s AS%" PRIu32 " max %u", i ? "; " : "", p, res.covering[i].asn, res.covering[i].maxlen);
    }
    if (res.n_covering > res.covering_shown)
        add(&t, "; and %" PRIu32 " more", res.n_covering - res.covering_shown);
    add(&t, " (%s)", mrs_rov_reason_name(res.reason));
    ixp_finding *f = finding(c, IXP_RPKI_INVALID, done(&t));
    if (!f)
        return;
    f->n_vrps = res.n_covering;
    for (unsigned i = 0; i < res.covering_shown && i < IXP_VRPS_MAX; i++)
        f->vrps[i] = res.covering[i];
}

static void check_bogon_prefix(route_ctx *c)
{
    mrs_route_bogon rb;
    mrs_route_bogon_kind kind = mrs_bogon_check_route(c->r->o.kb->bogons, NULL, c->prefix, &rb);
    if (kind != MRS_ROUTE_BOGON && kind != MRS_ROUTE_OVERLAPS_BOGON)
        return;
    const mrs_bogon_entry *e = rb.bogon.entry;
    char p[MRS_PREFIX_STRLEN] = "?";
    if (e)
        mrs_prefix_format(&e->prefix, p);
    finding(c, IXP_BOGON_PREFIX,
            fmt("%s %s %s (%s)", kind == MRS_ROUTE_BOGON ? "inside" : "covers", p, e && e->name ? e->name : "",
                e && e->source ? e->source : ""));
}

static void check_bogon_asns(route_ctx *c)
{
    mrs_as_path path = c->ev->path;
    text t = {0};
    uint32_t shown[16];
    size_t ns = 0;
    for (uint32_t s = 0; s < path.n;) {
        uint32_t cnt = MRS_SEG_COUNT(path.w[s]);
        if (s + 1 + cnt > path.n)
            break;
        for (uint32_t k = 0; k < cnt; k++) {
            uint32_t asn = path.w[s + 1 + k];
            const mrs_bogon_asn_range *why = NULL;
            if (!mrs_bogon_asn(asn, &why))
                continue;
            bool seen = false;
            for (size_t i = 0; i < ns; i++)
                seen |= shown[i] == asn;
            if (seen || ns == 16)
                continue;
            shown[ns++] = asn;
            add(&t, "%sAS%" PRIu32 " (%s, %s)", ns > 1 ? "; " : "", asn, why && why->name ? why->name : "bogon",
                why && why->source ? why->source : "");
        }
        s += 1 + cnt;
    }
    if (ns)
        finding(c, IXP_BOGON_ASN, done(&t));
    else
        free(t.s);
}

static void check_irr(route_ctx *c)
{
    ixp_result *r = c->r;
    const mrs_kbs *k = r->o.kb;
    if (!k->irr)
        return;
    const ixp_member *m = &r->members[c->member];
    if (c->origin_none) {
        r->irr_missing++;
        finding(c, IXP_IRR_NO_ROUTE, fmt("%s", "origin NONE (the path ends in an AS_SET): no route object can match"));
        return;
    }
    if (m->info && m->info->as_set) {
        const ixp_irr_cache *s = member_set(r, m->info);
        if (!s) {
            r->oom = true;
            return;
        }
        if (!s->found)
            finding(c, IXP_IRR_NOT_IN_SET,
                    fmt("as-set %s of AS%" PRIu32 " (members file line %" PRIu64 ") is not in the IRR data",
                        m->info->as_set, m->asn, m->info->line));
        else if (!sorted_has(s->asns, s->n, c->origin))
            finding(c, IXP_IRR_NOT_IN_SET,
                    fmt("origin AS%" PRIu32 " is not in %s of AS%" PRIu32 " (%zu ASNs)", c->origin, m->info->as_set,
                        m->asn, s->n));
    }
    irr_origin_result res;
    memset(&res, 0, sizeof res);
    if (irr_check_origin(k->irr, c->prefix, c->origin, k->irr_sel, &res) != 0) {
        irr_origin_result_clear(&res);
        r->oom = true;
        return;
    }
    if (res.state == IRR_VALID || res.state == IRR_VALID_COVERED) {
        r->irr_ok++;
        irr_origin_result_clear(&res);
        return;
    }
    r->irr_missing++;
    text t = {0};
    char p[MRS_PREFIX_STRLEN];
    mrs_prefix_format(c->prefix, p);
    if (res.state == IRR_NOT_FOUND)
        add(&t, "no route%s object for %s or a covering prefix", c->prefix->afi == MRS_AFI_IPV6 ? "6" : "", p);
    else {
        add(&t, "route objects only for other origins:");
        for (size_t i = 0; i < res.n && i < 4; i++) {
            mrs_prefix_format(&res.evidence[i].prefix, p);
            add(&t, "%s %s AS%" PRIu32 " (%s)", i ? ";" : "", p, res.evidence[i].origin,
                res.evidence[i].source ? res.evidence[i].source : "");
        }
        if (res.n > 4)
            add(&t, "; and %zu more", res.n - 4);
    }
    irr_origin_result_clear(&res);
    finding(c, IXP_IRR_NO_ROUTE, done(&t));
}

void ixp_add(ixp_result *r, const mrs_route_event *ev)
{
    if (ev->kind != MRS_RE_RIB) {
        r->ignored++;
        return;
    }
    mrs_as_path path = ev->path;
    /* first segment, AS_SET presence */
    unsigned first_type = 0;
    uint32_t first_as = 0, first_count = 0;
    bool has_set = false;
    for (uint32_t s = 0; s < path.n;) {
        unsigned type = MRS_SEG_TYPE(path.w[s]);
        uint32_t cnt = MRS_SEG_COUNT(path.w[s]);
        if (s + 1 + cnt > path.n)
            break;
        if (!first_type && cnt) {
            first_type = type;
            first_count = cnt;
            first_as = path.w[s + 1];
        }
        has_set |= type == MRS_SEG_AS_SET || type == MRS_SEG_CONFED_SET;
        s += 1 + cnt;
    }
    bool first_seq = first_type == MRS_SEG_AS_SEQUENCE && first_count > 0;
    bool via = (r->o.rs_asn && ev->peer.asn == r->o.rs_asn) || ev->peer.asn == AS_TRANS;
    uint32_t masn = via ? (first_seq ? first_as : 0) : ev->peer.asn;

    route_ctx c = {r, ev, NULL, 0, 0, 0, false, NULL, false};
    mrs_prefix q = ev->prefix;
    mrs_prefix_mask(&q);
    c.prefix = &q;
    ixp_member *m = member_of(r, &ev->peer, masn, via);
    if (!m || file_index(r, ev->source, &c.file) != 0) {
        r->oom = true;
        return;
    }
    c.member = (uint32_t)(m - r->members);
    c.origin_none = !mrs_as_path_origin(path, &c.origin);
    if (c.origin_none)
        c.origin = 0;
    if (!path.n) {  /* a route the peer originated itself, no path: RFC 4271 §5.1.2 says eBGP prepends */
        c.origin = ev->peer.asn;
        c.origin_none = false;
    }
    if (!(c.path = mrs_as_path_text(path))) {
        r->oom = true;
        return;
    }
    r->routes++;
    r->file_routes[c.file]++;
    m->routes++;
    if (q.afi == MRS_AFI_IPV6)
        r->v6++;
    else
        r->v4++;

    check_rpki(&c);
    check_bogon_prefix(&c);
    check_bogon_asns(&c);
    check_irr(&c);
    if (ev->blackhole)
        r->blackhole++;
    else if (q.len > (q.afi == MRS_AFI_IPV6 ? 48 : 24))
        finding(&c, IXP_TOO_SPECIFIC,
                fmt("/%u is longer than /%u", q.len, q.afi == MRS_AFI_IPV6 ? 48u : 24u));
    if (!via) {
        if (first_seq && first_as == ev->peer.asn)
            m->first_is_peer++;
        else if (!path.n || !first_type)
            finding(&c, IXP_FIRST_AS, fmt("empty AS path: the peer AS%" PRIu32 " is not in it", ev->peer.asn));
        else if (!first_seq)
            finding(&c, IXP_FIRST_AS, fmt("the path starts with an AS_SET, not the peer AS%" PRIu32, ev->peer.asn));
        else
            finding(&c, IXP_FIRST_AS,
                    fmt("first AS%" PRIu32 ", the peer is AS%" PRIu32, first_as, ev->peer.asn));
        if (first_seq) {
            if (!m->some_first)
                m->some_first = first_as;
            else if (m->some_first != first_as)
                m->varied_first = true;
        }
    }
    if (r->o.n_transit) {
        text t = {0};
        uint32_t seen[8];
        size_t ns = 0, pos = 0;
        for (uint32_t s = 0; s < path.n;) {
            uint32_t cnt = MRS_SEG_COUNT(path.w[s]);
            if (s + 1 + cnt > path.n)
                break;
            for (uint32_t k = 0; k < cnt; k++, pos++) {
                uint32_t asn = path.w[s + 1 + k];
                if (pos == 0 || asn == masn || !sorted_has(r->o.transit, r->o.n_transit, asn))
                    continue;
                bool dup = false;
                for (size_t i = 0; i < ns; i++)
                    dup |= seen[i] == asn;
                if (dup || ns == 8)
                    continue;
                seen[ns++] = asn;
                add(&t, "%sAS%" PRIu32, ns > 1 ? ", " : "", asn);
            }
            s += 1 + cnt;
        }
        if (ns) {
            add(&t, " behind the member AS%" PRIu32 " (transit-free: a leak of its upstream's routes)", masn);
            finding(&c, IXP_TRANSIT_FREE, done(&t));
        } else
            free(t.s);
    }
    if (has_set)
        finding(&c, IXP_AS_SET, fmt("AS_SET in the path %s (RFC 9774: AS_SET is deprecated)", c.path));
    if (c.flagged) {
        r->routes_flagged++;
        m->routes_flagged++;
    }
    free(c.path);
}

static void on_event(const mrs_route_event *ev, void *user) { ixp_add(user, ev); }

int64_t ixp_scan_file(ixp_result *r, const char *path, mrs_diag *d)
{
    uint32_t idx;
    if (file_index(r, path, &idx) != 0) {
        r->oom = true;
        return -1;
    }
    return mrs_mrt_feed_path(path, d, false, on_event, r);
}

char *ixp_finding_text(const ixp_result *r, const ixp_finding *f)
{
    const ixp_member *m = &r->members[f->member];
    char p[MRS_PREFIX_STRLEN], ip[MRS_PREFIX_STRLEN], member[48] = "";
    mrs_prefix_format(&f->prefix, p);
    mrs_ip_format(m->peer.afi, m->peer.ip, ip);
    if (m->via_rs)
        snprintf(member, sizeof member, " (member AS%" PRIu32 ")", m->asn);
    char origin[24];
    if (f->origin_none)
        snprintf(origin, sizeof origin, "NONE");
    else
        snprintf(origin, sizeof origin, "AS%" PRIu32, f->origin);
    return fmt("%s: prefix %s from origin %s, received from peer %s AS%" PRIu32 "%s, AS path %s, %s [%s offset %" PRIu64
               "]",
               classes[f->cls].title, p, origin, ip, m->peer.asn, member, *f->path ? f->path : "(empty)", f->detail,
               r->files[f->file], f->offset);
}
