/*
 * sim_world.c — building the simulated world: networks (Tier-1 clique, regional
 * transit, content, stubs), their AS numbers and RIR/country, provider-customer
 * links by preferential attachment (heavy-tailed degrees) and settlement-free
 * peering, address space from realistic RIR blocks, announced prefixes, MANRS
 * postures, ROAs and the IRR coverage of each network.
 *
 * Assumes: one seeded generator (splitmix64) in the world; every loop runs in index
 * order, so the same parameters give the same world. Providers are always created
 * before their customers, so the provider-customer graph has no cycle.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/bogon.h"
#include "manrs/core/grow.h"
#include "manrs/core/search.h"
#include "sim_internal.h"

uint32_t sim_rand(sim_world *w)
{
    uint64_t z = (w->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

uint32_t sim_below(sim_world *w, uint32_t n) { return n ? (uint32_t)(((uint64_t)sim_rand(w) * n) >> 32) : 0; }

double sim_unit(sim_world *w) { return sim_rand(w) / 4294967296.0; }

/* mrs_grow (first capacity 64) that also sets the world's sticky oom flag. */
void *sim_grow(sim_world *w, void *p, size_t *cap, size_t need, size_t elem)
{
    void *q = mrs_grow(p, cap, need, elem, 64);
    if (!q)
        w->oom = true;
    return q;
}

/* ------------------------------------------------------------------ registries */

static const char *const rir_names[RIR_N] = {"arin", "ripencc", "apnic", "lacnic", "afrinic"};
const char *sim_rir_name(unsigned rir) { return rir < RIR_N ? rir_names[rir] : "iana"; }

static const char *const rir_cc[RIR_N][12] = {
    {"US", "US", "US", "CA", "US", "US", "CA", "US", NULL},
    {"DE", "GB", "FR", "NL", "RU", "IT", "SE", "PL", "ES", "UA", "CH", "TR"},
    {"CN", "JP", "AU", "IN", "KR", "ID", "SG", "VN", "HK", "NZ", NULL},
    {"BR", "AR", "MX", "CL", "CO", "BR", NULL},
    {"ZA", "NG", "KE", "EG", "MA", NULL},
};

static unsigned rir_cc_count(unsigned rir)
{
    unsigned n = 0;
    while (n < 12 && rir_cc[rir][n])
        n++;
    return n;
}

const char *sim_country(const sim_as *a) { return rir_cc[a->rir][a->cc]; }

/* IPv4 /8s each RIR administers (IANA IPv4 address space registry), without any
 * /8 that holds special-purpose space (100/8, 192/8, 198/8, 203/8). */
static const uint8_t rir_v4[RIR_N][40] = {
    {23, 24, 50, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 96, 97, 98, 99, 104, 107, 108, 173, 174, 184,
     199, 204, 205, 206, 207, 208, 209, 216},
    {2, 5, 31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 109, 176, 178,
     185, 188, 193, 194, 195, 212, 213, 217},
    {1, 14, 27, 36, 39, 42, 49, 58, 59, 60, 61, 101, 103, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120,
     121, 122, 123, 124, 125, 126, 175, 180, 182, 183, 202, 210, 211, 218, 219},
    {177, 179, 181, 186, 187, 189, 190, 191, 200, 201},
    {41, 102, 105, 154, 196, 197},
};

static unsigned rir_v4_count(unsigned rir)
{
    unsigned n = 0;
    while (n < 40 && rir_v4[rir][n])
        n++;
    return n;
}

const uint8_t *sim_rir_v4_blocks(unsigned rir, unsigned *n)
{
    *n = rir_v4_count(rir);
    return rir_v4[rir];
}

/* First 16 bits of each RIR's IPv6 /12 (IANA IPv6 unicast address assignments). */
static const uint16_t rir_v6[RIR_N] = {0x2600, 0x2a00, 0x2400, 0x2800, 0x2c00};

/* 32-bit ASN blocks per RIR (IANA AS number registry), [first, last]. */
static const uint32_t rir_asn32[RIR_N][2] = {
    {393216, 402431}, {196608, 213403}, {131072, 141625}, {262144, 273820}, {327680, 329727}};

static const double rir_weight[RIR_N] = {0.25, 0.38, 0.22, 0.10, 0.05};

static const uint32_t tier1_asn[] = {3356, 1299, 174,  2914, 3257, 6762, 6453, 6939, 3491,
                                     701,  7018, 1239, 5511, 6461, 12956, 6830, 3320, 4637};

/* ------------------------------------------------------------------ names */

static const char *const syl[] = {"ar", "ve", "lo", "ra", "ka", "ti", "no", "su", "me", "da", "ri", "on",
                                  "ex", "al", "ta", "ne", "vi", "co", "mo", "li", "ze", "pa", "qu", "is"};
static const char *const suffix[4][4] = {
    {"Global", "Networks", "Communications", "Backbone"},
    {"Telecom", "Transit", "Networks", "Carrier"},
    {"Cloud", "Media", "CDN", "Streaming"},
    {"Internet", "Broadband", "Hosting", "Net"},
};

static void name_stem(const sim_as *a, char *out, size_t n, bool upper)
{
    uint32_t s = a->name_seed;
    unsigned k = 2 + s % 2;
    size_t o = 0;
    for (unsigned i = 0; i < k && o + 3 < n; i++) {
        const char *y = syl[(s >> (4 + 5 * i)) % (sizeof syl / sizeof syl[0])];
        for (; *y && o + 1 < n; y++, o++)
            out[o] = (char)(upper ? *y - 32 : (i == 0 && o == 0 ? *y - 32 : *y));
    }
    out[o] = 0;
}

void sim_as_name(const sim_as *a, char *out, size_t n)
{
    char st[16];
    name_stem(a, st, sizeof st, false);
    snprintf(out, n, "%s %s", st, suffix[a->kind][(a->name_seed >> 24) % 4]);
}

void sim_as_handle(const sim_as *a, char *out, size_t n)
{
    char st[16];
    name_stem(a, st, sizeof st, true);
    snprintf(out, n, "%s-AS%u", st, a->asn % 100);
}

void sim_as_domain(const sim_as *a, char *out, size_t n)
{
    char st[16];
    name_stem(a, st, sizeof st, false);
    st[0] = (char)(st[0] + 32);
    snprintf(out, n, "%s%u.net", st, a->asn % 1000);
}

/* ------------------------------------------------------------------ lookups */

uint64_t sim_prefix_key(const mrs_prefix *p)
{
    uint64_t k = 0;
    if (p->afi == MRS_AFI_IPV4) {
        k = (uint64_t)p->addr[0] << 24 | (uint64_t)p->addr[1] << 16 | (uint64_t)p->addr[2] << 8 | p->addr[3];
        return k << 8 | p->len;
    }
    for (int i = 0; i < 6; i++)    /* /48 and shorter: the first 48 bits suffice */
        k = k << 8 | p->addr[i];
    return (1ULL << 63) | k << 8 | p->len;
}

uint32_t sim_alloc_owner(const sim_world *w, const mrs_prefix *p)
{
    /* allocations are sorted by prefix (sim_world_build): binary search */
    size_t lo;
    MRS_LOWER_BOUND(lo, w->n_alloc, i, mrs_prefix_cmp(&w->alloc[i].p, p) <= 0);
    for (size_t i = lo; i-- > 0;) {
        if (mrs_prefix_covers(&w->alloc[i].p, p))
            return (uint32_t)i;
        if (w->alloc[i].p.afi != p->afi)
            break;
        /* allocations do not nest: the first one below that does not cover decides */
        return SIM_NONE;
    }
    return SIM_NONE;
}

/* RFC 6811 §2: covered by some VRP; valid if one VRP matches origin and length. */
int sim_rpki_state(const sim_world *w, const mrs_prefix *p, uint32_t origin)
{
    uint32_t ai = sim_alloc_owner(w, p);
    if (ai == SIM_NONE)
        return RPKI_NOTFOUND;
    const sim_as *o = &w->as[w->alloc[ai].owner];
    bool covered = false;
    for (uint32_t i = 0; i < o->roa_n; i++) {
        const sim_roa *r = &w->roa[o->roa_first + i];
        if (!mrs_prefix_covers(&r->p, p))
            continue;
        covered = true;
        if (r->asn == origin && origin != 0 && p->len <= r->maxlen)
            return RPKI_VALID;
    }
    /* the authorisations the holder gave other origins (confounders: a customer's
     * provider-assigned space, anycast sites, a DDoS-protection service) */
    for (size_t i = 0; i < w->n_xroa; i++) {
        const sim_roa *r = &w->xroa[i];
        if (!mrs_prefix_covers(&r->p, p))
            continue;
        covered = true;
        if (r->asn == origin && origin != 0 && p->len <= r->maxlen)
            return RPKI_VALID;
    }
    return covered ? RPKI_INVALID : RPKI_NOTFOUND;
}

int sim_add_xroa(sim_world *w, const mrs_prefix *p, unsigned maxlen, uint32_t asn)
{
    sim_roa *nr = sim_grow(w, w->xroa, &w->cap_xroa, w->n_xroa + 1, sizeof *nr);
    if (!nr)
        return -1;
    w->xroa = nr;
    nr[w->n_xroa].p = *p;
    nr[w->n_xroa].maxlen = (uint8_t)maxlen;
    nr[w->n_xroa].asn = asn;
    w->n_xroa++;
    return 0;
}

sim_conf *sim_add_conf(sim_world *w, unsigned kind, const char *why)
{
    sim_conf *nc = sim_grow(w, w->conf, &w->cap_conf, w->n_conf + 1, sizeof *nc);
    if (!nc)
        return NULL;
    w->conf = nc;
    sim_conf *c = &nc[w->n_conf++];
    memset(c, 0, sizeof *c);
    c->kind = (uint8_t)kind;
    c->why = why;
    c->rel_real = c->rel_written = 9;
    return c;
}

/* ------------------------------------------------------------------ topology */

int sim_add_pfx(sim_world *w, const mrs_prefix *p, uint32_t owner)
{
    sim_pfx *np = sim_grow(w, w->pfx, &w->cap_pfx, w->n_pfx + 1, sizeof *np);
    if (!np)
        return -1;
    w->pfx = np;
    memset(&np[w->n_pfx], 0, sizeof np[0]);
    np[w->n_pfx].p = *p;
    np[w->n_pfx].owner = owner;
    w->n_pfx++;
    mrs_set64_add(&w->announced, sim_prefix_key(p));
    return 0;
}

int sim_add_alloc(sim_world *w, const mrs_prefix *p, uint32_t owner, bool announced)
{
    sim_alloc *na = sim_grow(w, w->alloc, &w->cap_alloc, w->n_alloc + 1, sizeof *na);
    if (!na)
        return -1;
    w->alloc = na;
    memset(&na[w->n_alloc], 0, sizeof na[0]);
    na[w->n_alloc].p = *p;
    na[w->n_alloc].owner = owner;
    na[w->n_alloc].announced = announced;
    na[w->n_alloc].date = 19950101 + 10000 * sim_below(w, 30) + 100 * sim_below(w, 12) + sim_below(w, 28);
    w->n_alloc++;
    return 0;
}

static unsigned ceil_log2(unsigned x)
{
    unsigned l = 0;
    while ((1u << l) < x)
        l++;
    return l;
}

/* IPv4 block of 2^(32-len) addresses from the RIR's /8s (next RIR when full). */
bool sim_alloc_v4(sim_world *w, unsigned rir, unsigned len, mrs_prefix *out)
{
    uint32_t size = 1u << (32 - len);
    for (unsigned tries = 0; tries < RIR_N; tries++, rir = (rir + 1) % RIR_N) {
        unsigned nb = rir_v4_count(rir);
        while (w->rir_blk4[rir] < nb) {
            uint32_t base = (uint32_t)rir_v4[rir][w->rir_blk4[rir]] << 24;
            uint32_t a = w->rir_addr4[rir];
            if (a < base)
                a = base;
            a = (a + size - 1) & ~(size - 1);
            /* RIPE's routing beacons and anchors (84.205.64.0/19, 93.175.144.0/20)
             * are never handed out: the beacons of the world are announced there */
            static const uint32_t ris[2][2] = {{0x54cd4000u, 0x2000}, {0x5daf9000u, 0x1000}};
            bool skip = false;
            for (unsigned r = 0; r < 2 && !skip; r++)
                if ((uint64_t)a < (uint64_t)ris[r][0] + ris[r][1] && (uint64_t)a + size > ris[r][0]) {
                    w->rir_addr4[rir] = ris[r][0] + ris[r][1];
                    skip = true;
                }
            if (skip)
                continue;
            if ((uint64_t)a + size <= (uint64_t)base + (1u << 24)) {
                w->rir_addr4[rir] = a + size;
                memset(out, 0, sizeof *out);
                out->afi = MRS_AFI_IPV4;
                out->len = (uint8_t)len;
                out->addr[0] = (uint8_t)(a >> 24);
                out->addr[1] = (uint8_t)(a >> 16);
                out->addr[2] = (uint8_t)(a >> 8);
                out->addr[3] = (uint8_t)a;
                return true;
            }
            w->rir_blk4[rir]++;
            w->rir_addr4[rir] = 0;
        }
    }
    return false;
}

static void alloc_v6(sim_world *w, unsigned rir, mrs_prefix *out)
{
    /* every 16th /32 of the RIR /12, so that the space looks sparse like the real one
     * (every /32 in worlds too big for that: the /12 holds 2^20 of them) */
    uint32_t k = (w->rir_next6[rir] += w->n > 50000 ? 1 : 16) & 0xfffff;
    uint32_t top = (uint32_t)rir_v6[rir] << 16 | k;
    memset(out, 0, sizeof *out);
    out->afi = MRS_AFI_IPV6;
    out->len = 32;
    out->addr[0] = (uint8_t)(top >> 24);
    out->addr[1] = (uint8_t)(top >> 16);
    out->addr[2] = (uint8_t)(top >> 8);
    out->addr[3] = (uint8_t)top;
}

/* Announced IPv4 prefixes of one allocation of a network: the aggregate (unless
 * deaggregated-only) and k more specifics spaced `stride` /24s apart, each at most
 * half a stride long, so that the last /24 of every stride is a hole that no
 * announced prefix covers (room for the incidents). */
static int announce_v4(sim_world *w, uint32_t v, unsigned k)
{
    unsigned len = 24 - ceil_log2(2 * k);
    if (len > 22)
        len = 22;
    if (len < 10)
        len = 10;
    mrs_prefix a;
    if (!sim_alloc_v4(w, w->as[v].rir, len, &a))
        return 0; /* IPv4 exhausted: the network stays IPv4-less */
    bool deagg = k >= 4 && sim_unit(w) < 0.15;
    if (sim_add_alloc(w, &a, v, !deagg) < 0)
        return -1;
    unsigned cap = 1u << (24 - len);
    unsigned pieces = deagg ? k : k - 1;
    if (!deagg && sim_add_pfx(w, &a, v) < 0)
        return -1;
    if (!pieces)
        return 0;
    unsigned stride = cap / pieces;
    if (stride > 64)
        stride = 64;
    uint32_t base = (uint32_t)a.addr[0] << 24 | (uint32_t)a.addr[1] << 16 | (uint32_t)a.addr[2] << 8;
    for (unsigned i = 0; i < pieces; i++) {
        unsigned plen = 24;
        double u = sim_unit(w);
        if (stride >= 8 && u < 0.2)
            plen = 22;
        else if (stride >= 4 && u < 0.45)
            plen = 23;
        uint32_t x = base + ((uint32_t)(i * stride) << 8);
        mrs_prefix p;
        memset(&p, 0, sizeof p);
        p.afi = MRS_AFI_IPV4;
        p.len = (uint8_t)plen;
        p.addr[0] = (uint8_t)(x >> 24);
        p.addr[1] = (uint8_t)(x >> 16);
        p.addr[2] = (uint8_t)(x >> 8);
        if (p.len == a.len)
            continue;
        if (sim_add_pfx(w, &p, v) < 0)
            return -1;
    }
    return 0;
}

static int announce_v6(sim_world *w, uint32_t v, unsigned k)
{
    mrs_prefix a;
    alloc_v6(w, w->as[v].rir, &a);
    if (sim_add_alloc(w, &a, v, true) < 0 || sim_add_pfx(w, &a, v) < 0)
        return -1;
    for (unsigned i = 1; i < k; i++) {
        mrs_prefix p = a;
        p.len = 48;
        unsigned sub = i * 2; /* every other /48: odd ones stay holes */
        p.addr[4] = (uint8_t)(sub >> 8);
        p.addr[5] = (uint8_t)sub;
        if (sim_add_pfx(w, &p, v) < 0)
            return -1;
    }
    return 0;
}

static unsigned pareto(sim_world *w, double xmin, double alpha, unsigned cap)
{
    double u = sim_unit(w);
    double x = xmin / pow(1.0 - u, 1.0 / alpha);
    return x > cap ? cap : (unsigned)x;
}

static uint32_t draw_asn(sim_world *w, mrs_set64 *used, const sim_as *a, bool four)
{
    for (;;) {
        uint32_t asn;
        if (four) {
            uint32_t lo = rir_asn32[a->rir][0], hi = rir_asn32[a->rir][1];
            asn = lo + sim_below(w, hi - lo + 1);
        } else {
            asn = 1 + sim_below(w, 64495);
        }
        if (asn == SIM_COLLECTOR_AS || mrs_bogon_asn(asn, NULL))
            continue;
        if (mrs_set64_add(used, asn) || used->oom)
            return asn;   /* out of memory: the caller sees used->oom and fails */
    }
}

typedef struct edge {
    uint32_t a, b;  /* p2c: a provider of b; p2p and s2s: a < b by index */
    uint8_t p2p;    /* 0 p2c, 1 p2p, 2 s2s (siblings) */
} edge;

typedef struct edges {
    edge *e;
    size_t n, cap;
    mrs_set64 seen;
} edges;

static int add_edge(sim_world *w, edges *E, uint32_t a, uint32_t b, unsigned p2p)
{
    if (a == b)
        return 0;
    uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
    if (!mrs_set64_add(&E->seen, (uint64_t)lo << 32 | hi))
        return 0; /* one relationship per pair */
    edge *ne = sim_grow(w, E->e, &E->cap, E->n + 1, sizeof *ne);
    if (!ne)
        return -1;
    E->e = ne;
    ne[E->n].a = p2p ? lo : a;
    ne[E->n].b = p2p ? hi : b;
    ne[E->n].p2p = p2p;
    E->n++;
    return 1;
}

static int build_topology(sim_world *w, edges *E)
{
    unsigned n = w->n;
    unsigned n_t1 = n >= 150 ? 15 : (n / 10 > 2 ? n / 10 : 2);
    if (n_t1 > n)
        n_t1 = n;
    unsigned n_transit = n_t1 < n ? (unsigned)(n * 0.12) : 0;
    if (n_t1 + n_transit > n)
        n_transit = n - n_t1;
    mrs_set64 used;
    mrs_set64_init(&used);
    /* kinds, registries, AS numbers */
    for (unsigned i = 0; i < n; i++) {
        sim_as *a = &w->as[i];
        a->kind = i < n_t1 ? K_T1 : i < n_t1 + n_transit ? K_TRANSIT : (sim_unit(w) < 0.04 ? K_CONTENT : K_STUB);
        double u = sim_unit(w), acc = 0;
        a->rir = RIR_N - 1;
        for (unsigned r = 0; r < RIR_N; r++) {
            acc += rir_weight[r];
            if (u < acc) {
                a->rir = (uint8_t)r;
                break;
            }
        }
        if (a->kind == K_T1)
            a->rir = (uint8_t)(i % 3 == 1 ? RIR_RIPE : i % 7 == 5 ? RIR_APNIC : RIR_ARIN);
        a->cc = (uint8_t)sim_below(w, rir_cc_count(a->rir));
        a->name_seed = sim_rand(w);
        if (a->kind == K_T1 && i < sizeof tier1_asn / sizeof tier1_asn[0]) {
            a->asn = tier1_asn[i];
            mrs_set64_add(&used, a->asn);
        }
    }
    for (unsigned i = 0; i < n; i++) {
        sim_as *a = &w->as[i];
        if (a->asn)
            continue;
        double p4 = a->kind == K_TRANSIT ? 0.2 : a->kind == K_CONTENT ? 0.35 : a->kind == K_T1 ? 0 : 0.55;
        a->asn = draw_asn(w, &used, a, sim_unit(w) < p4);
    }
    if (used.oom)
        w->oom = true;
    mrs_set64_clear(&used);

    /* Tier-1 clique */
    for (unsigned i = 0; i < n_t1; i++)
        for (unsigned j = i + 1; j < n_t1; j++)
            if (add_edge(w, E, i, j, true) < 0)
                return -1;
    /* preferential attachment: tickets of provider-capable networks */
    uint32_t *tk = NULL;
    size_t ntk = 0, captk = 0;
    /* Tier-1 tickets fall off with rank (24 x 15 / (rank + 1)): the real transit
     * market is dominated by a few carriers, whose customer cones hold most of the
     * Internet (AS3356's held ~85 % of all ASes in CAIDA's 2016 graph) */
    for (unsigned i = 0; i < n_t1; i++)
        for (unsigned k = 0; k < 24 * 15 / (i + 1); k++) {
            if (!(tk = sim_grow(w, tk, &captk, ntk + 1, sizeof *tk)))
                return -1;
            tk[ntk++] = i;
        }
    for (unsigned i = n_t1; i < n; i++) {
        sim_as *a = &w->as[i];
        unsigned want;
        double u = sim_unit(w);
        if (a->kind == K_TRANSIT)
            want = u < 0.3 ? 1 : u < 0.75 ? 2 : u < 0.92 ? 3 : 4;
        else if (a->kind == K_CONTENT)
            want = u < 0.2 ? 1 : u < 0.6 ? 2 : 3;
        else
            want = u < 0.42 ? 1 : u < 0.85 ? 2 : 3;
        unsigned got = 0;
        /* a regional carrier buys transit from a Tier-1 first (nearly all do, mostly
         * from the biggest ones), as does a quarter of the edge: that is what makes
         * the top customer cones large */
        if (sim_unit(w) < (a->kind == K_TRANSIT ? 0.97 : 0.25)) {
            unsigned r = 0;
            while (r + 1 < n_t1 && sim_unit(w) < 0.2)
                r++;
            int e = add_edge(w, E, r, i, false);
            if (e < 0)
                return -1;
            got += (unsigned)e;
        }
        for (unsigned t = 0; t < 40 && got < want && ntk; t++) {
            uint32_t p = tk[sim_below(w, (uint32_t)ntk)];
            /* regional bias: most providers of a network are in its region */
            if (w->as[p].kind != K_T1 && w->as[p].rir != a->rir && sim_unit(w) < 0.8)
                continue;
            int r = add_edge(w, E, p, i, false);
            if (r < 0)
                return -1;
            if (r == 0)
                continue;
            got++;
            if (!(tk = sim_grow(w, tk, &captk, ntk + 1, sizeof *tk)))
                return -1;
            tk[ntk++] = p;
        }
        if (!got) /* no ticket fitted: attach to a Tier-1 */
            if (add_edge(w, E, sim_below(w, n_t1), i, false) < 0)
                return -1;
        if (a->kind == K_TRANSIT) {
            if (!(tk = sim_grow(w, tk, &captk, ntk + 2, sizeof *tk)))
                return -1;
            tk[ntk++] = i;
            tk[ntk++] = i;
        }
    }
    free(tk);
    /* settlement-free peering: transit with transit of the same region, content
     * with many transit networks, a few stub-stub (IXP) peerings */
    for (unsigned i = n_t1; i < n; i++) {
        sim_as *a = &w->as[i];
        unsigned want = a->kind == K_TRANSIT ? pareto(w, 1.5, 1.3, 60)
                        : a->kind == K_CONTENT ? 3 + pareto(w, 3, 1.2, 120)
                                               : (sim_unit(w) < 0.15 ? 1 : 0);
        unsigned span = n_t1 + n_transit;
        for (unsigned t = 0, got = 0; t < want * 4 && got < want && span > n_t1; t++) {
            uint32_t q = a->kind == K_STUB && sim_unit(w) < 0.5 ? n_t1 + n_transit + sim_below(w, n - n_t1 - n_transit)
                                                                  : n_t1 + sim_below(w, span - n_t1);
            if (q == i || (w->as[q].rir != a->rir && sim_unit(w) < 0.6))
                continue;
            int r = add_edge(w, E, i, q, true);
            if (r < 0)
                return -1;
            got += (unsigned)r;
        }
    }
    return 0;
}

/* Organisations with several ASNs (CAIDA as2org siblings): a parent (transit or
 * content) and one or two more networks with their own providers, linked by a
 * sibling link over which each passes its own and its customers' routes as a
 * customer would and everything else as a provider would. So a sibling announces
 * the parent's space to its own providers: "P B A" with A the origin, which
 * as-rel (where CAIDA's inference writes the sibling link as p2c A->B, or p2p)
 * shows as B leaking its provider's route to another provider - the DoD's
 * AS721/AS27064/AS367 in RIS 2016. One organisation per 150 networks. */
static int add_siblings(sim_world *w, edges *E)
{
    unsigned n = w->n, lo = 0;
    while (lo < n && w->as[lo].kind == K_T1)
        lo++;
    if (n - lo < 8)
        return 0;
    unsigned orgs = n / 150 ? n / 150 : 1;
    uint8_t *in_org = calloc(n, 1);
    if (!in_org)
        return -1;
    int rc = 0;
    for (unsigned g = 0, tries = 0; g < orgs && tries < orgs * 20 && rc == 0; tries++) {
        uint32_t A = lo + sim_below(w, n - lo);
        if (w->as[A].kind == K_STUB || in_org[A])
            continue;
        unsigned want = 1 + (sim_unit(w) < 0.3), got = 0;
        for (unsigned t = 0; t < 20 && got < want; t++) {
            uint32_t B = lo + sim_below(w, n - lo);
            if (B == A || in_org[B] || w->as[B].kind == K_TRANSIT)
                continue;
            uint32_t x = A < B ? A : B, y = A < B ? B : A;
            if (mrs_set64_has(&E->seen, (uint64_t)x << 32 | y))
                continue; /* already linked otherwise */
            int r = add_edge(w, E, A, B, 2);
            if (r <= 0) {
                rc = r;
                if (r < 0)
                    break;
                continue;
            }
            w->as[B].org = A;
            in_org[A] = in_org[B] = 1;
            got++;
            /* the first organisation is the DoD shape: p2c in as-rel */
            bool p2c = (g == 0 && got == 1) || sim_unit(w) < 0.7;
            sim_conf *c = sim_add_conf(w, CF_SIBLINGS, "one organisation (as2org.txt): siblings pass each other's "
                                                       "routes to their own providers; as-rel shows a valley");
            if (!c) {
                rc = -1;
                break;
            }
            c->ases[0] = w->as[A].asn;
            c->ases[1] = w->as[B].asn;
            c->n_ases = 2;
            c->rel_real = 1;
            c->rel_written = p2c ? -1 : 0;
        }
        g += got > 0;
    }
    free(in_org);
    return rc < 0 || w->oom ? -1 : 0;
}

/* CSR adjacency: providers, peers, customers, siblings per network. */
static int build_adjacency(sim_world *w, const edges *E)
{
    for (size_t k = 0; k < E->n; k++) {
        const edge *e = &E->e[k];
        if (e->p2p == 2) {
            w->as[e->a].n_sib++;
            w->as[e->b].n_sib++;
        } else if (e->p2p) {
            w->as[e->a].n_peer++;
            w->as[e->b].n_peer++;
            w->n_p2p++;
        } else {
            w->as[e->a].n_cust++;
            w->as[e->b].n_prov++;
            w->n_p2c++;
        }
    }
    size_t off = 0;
    for (unsigned i = 0; i < w->n; i++) {
        w->as[i].adj_off = (uint32_t)off;
        off += w->as[i].n_prov + w->as[i].n_peer + w->as[i].n_cust + w->as[i].n_sib;
    }
    w->n_adj = off;
    w->adj = malloc((off ? off : 1) * sizeof *w->adj);
    uint32_t *fill = calloc(w->n ? w->n : 1, 4 * sizeof *fill);
    if (!w->adj || !fill) {
        free(fill);
        return -1;
    }
    for (size_t k = 0; k < E->n; k++) {
        const edge *e = &E->e[k];
        sim_as *A = &w->as[e->a], *B = &w->as[e->b];
        if (e->p2p == 2) {
            w->adj[A->adj_off + A->n_prov + A->n_peer + A->n_cust + fill[4 * e->a + 3]++] = e->b;
            w->adj[B->adj_off + B->n_prov + B->n_peer + B->n_cust + fill[4 * e->b + 3]++] = e->a;
        } else if (e->p2p) {
            w->adj[A->adj_off + A->n_prov + fill[4 * e->a + 1]++] = e->b;
            w->adj[B->adj_off + B->n_prov + fill[4 * e->b + 1]++] = e->a;
        } else {
            w->adj[A->adj_off + A->n_prov + A->n_peer + fill[4 * e->a + 2]++] = e->b;
            w->adj[B->adj_off + fill[4 * e->b]++] = e->a;
        }
    }
    free(fill);
    return 0;
}

/* ------------------------------------------------------------------ postures */

static void assign_posture(sim_world *w, sim_as *a, double *roa_p, double *irr_p)
{
    const mrs_sim_params *P = &w->par;
    double share = a->kind == K_T1 ? P->manrs_share * 1.6 : a->kind == K_STUB ? P->manrs_share * 0.9 : P->manrs_share;
    a->manrs = sim_unit(w) < share;
    if (a->manrs) {
        a->filters = sim_unit(w) < 0.97;
        a->rov = sim_unit(w) < P->rov_share;
        a->anti_spoof = sim_unit(w) < 0.95;
        a->contacts = true;
        *roa_p = 0.85 + 0.15 * sim_unit(w);
        *irr_p = 0.9 + 0.1 * sim_unit(w);
        a->autnum = 1;
        a->aspa = a->rov && sim_unit(w) < 0.4;
    } else {
        a->filters = a->kind != K_STUB && sim_unit(w) < 0.25;
        a->rov = a->kind != K_STUB && sim_unit(w) < 0.05;
        a->anti_spoof = sim_unit(w) < 0.45;
        a->contacts = sim_unit(w) < 0.5;
        double u = sim_unit(w);
        *roa_p = u < 0.45 ? 0 : u < 0.75 ? 0.2 + 0.7 * sim_unit(w) : 1;
        u = sim_unit(w);
        *irr_p = u < 0.2 ? 0 : u < 0.7 ? 0.2 + 0.7 * sim_unit(w) : 1;
        u = sim_unit(w);
        a->autnum = u < 0.5 ? 1 : u < 0.75 ? 2 : 0;
        a->routes_radb = sim_unit(w) < 0.3;
    }
    if (a->contacts) {
        double u = sim_unit(w);
        a->contact_irr = a->autnum != 0 && u < 0.7;
        a->contact_pdb = !a->contact_irr || u < 0.35;
    }
    a->otc = sim_unit(w) < (a->manrs ? 0.25 : 0.02);
    double pdb = a->manrs ? 0.9 : a->kind == K_STUB ? 0.4 : 0.8;
    a->in_pdb = a->contact_pdb || sim_unit(w) < pdb;
}

static int cmp_alloc(const void *x, const void *y)
{
    return mrs_prefix_cmp(&((const sim_alloc *)x)->p, &((const sim_alloc *)y)->p);
}

static int add_roa(sim_world *w, const mrs_prefix *p, unsigned maxlen, uint32_t asn)
{
    sim_roa *nr = sim_grow(w, w->roa, &w->cap_roa, w->n_roa + 1, sizeof *nr);
    if (!nr)
        return -1;
    w->roa = nr;
    nr[w->n_roa].p = *p;
    nr[w->n_roa].maxlen = (uint8_t)maxlen;
    nr[w->n_roa].asn = asn;
    w->n_roa++;
    return 0;
}

int sim_world_build(sim_world *w)
{
    unsigned n = w->n;
    w->as = calloc(n, sizeof *w->as);
    if (!w->as)
        return -1;
    w->cut_a = w->cut_b = SIM_NONE;
    for (unsigned i = 0; i < n; i++)
        w->as[i].org = i, w->as[i].pt_cust = SIM_NONE;
    mrs_set64_init(&w->announced);
    edges E;
    memset(&E, 0, sizeof E);
    mrs_set64_init(&E.seen);
    int rc = build_topology(w, &E);
    if (rc == 0 && w->par.confounders)
        rc = add_siblings(w, &E);
    if (rc == 0)
        rc = build_adjacency(w, &E);
    if (rc == 0 && w->par.confounders)
        rc = sim_confound_links(w);
    free(E.e);
    if (E.seen.oom)
        w->oom = true;
    mrs_set64_clear(&E.seen);
    if (rc < 0)
        return -1;

    /* address space and announced prefixes */
    double scale = w->par.prefix_scale;
    double *roa_p = calloc(n, sizeof *roa_p), *irr_p = calloc(n, sizeof *irr_p);
    if (!roa_p || !irr_p) {
        free(roa_p);
        free(irr_p);
        return -1;
    }
    for (unsigned i = 0; i < n && rc == 0; i++) {
        sim_as *a = &w->as[i];
        assign_posture(w, a, &roa_p[i], &irr_p[i]);
        unsigned n4;
        switch (a->kind) {
        case K_T1: n4 = 150 + pareto(w, 150, 1.1, 1500); break;
        case K_TRANSIT: n4 = pareto(w, 20, 1.15, 1500); break;
        case K_CONTENT: n4 = 4 + pareto(w, 6, 1.2, 300); break;
        default: n4 = 1 + pareto(w, 3.5, 1.3, 80); break;
        }
        n4 = (unsigned)(n4 * scale + 0.5);
        if (n4 < 1)
            n4 = 1;
        a->has_v6 = a->kind != K_STUB || sim_unit(w) < 0.35;
        /* traffic engineering by AS-path prepending, uniform towards all neighbours */
        if (a->kind >= K_CONTENT && a->n_prov >= 2 && sim_unit(w) < 0.12)
            a->prepend = (uint8_t)(1 + sim_below(w, 2));
        a->pfx_first = (uint32_t)w->n_pfx;
        a->alloc_first = (uint32_t)w->n_alloc;
        unsigned blocks = 1 + (n4 > 48) + (n4 > 400);
        for (unsigned b = 0; b < blocks && rc == 0; b++) {
            unsigned k = n4 / blocks + (b < n4 % blocks);
            if (k)
                rc = announce_v4(w, i, k);
        }
        if (a->has_v6 && rc == 0) {
            unsigned k6 = 1 + (unsigned)(n4 / 5.0 * sim_unit(w));
            if (k6 > 400)
                k6 = 400;
            rc = announce_v6(w, i, k6);
        }
        if (rc == 0 && w->par.confounders)
            rc = sim_confound_own_space(w, i);
        a->pfx_n = (uint32_t)(w->n_pfx - a->pfx_first);
        a->alloc_n = (uint32_t)(w->n_alloc - a->alloc_first);
    }
    if (rc == 0 && w->par.confounders)
        rc = sim_confound_space(w, 0);
    if (rc == 0 && w->oom)
        rc = -1;
    /* ROAs and IRR route objects, per prefix with the network's probabilities; an
     * aggregate with a ROA drags its more specifics along (else they would be
     * RPKI-invalid, which this world keeps for the incidents) */
    for (unsigned i = 0; i < n && rc == 0; i++) {
        sim_as *a = &w->as[i];
        a->roa_first = (uint32_t)w->n_roa;
        for (uint32_t k = 0; k < a->alloc_n && rc == 0; k++) {
            sim_alloc *al = &w->alloc[a->alloc_first + k];
            bool agg_roa = false;
            if (!al->announced) {
                al->agg_roa = agg_roa = roa_p[i] > 0.5 && sim_unit(w) < roa_p[i];
                if (agg_roa)
                    rc = add_roa(w, &al->p, al->p.afi == MRS_AFI_IPV4 ? 24 : 48, a->asn);
            }
            for (uint32_t j = 0; j < a->pfx_n && rc == 0; j++) {
                sim_pfx *p = &w->pfx[a->pfx_first + j];
                if (!mrs_prefix_covers(&al->p, &p->p) || p->conf)
                    continue;
                bool want;
                if (mrs_prefix_equal(&al->p, &p->p))
                    want = agg_roa = sim_unit(w) < roa_p[i];
                else if (agg_roa) /* a sloppy holder forgets some more specifics: RPKI-invalid */
                    want = a->manrs || sim_unit(w) >= 0.05;
                else
                    want = sim_unit(w) < roa_p[i];
                if (want && !al->agg_roa) {
                    p->roa = 1;
                    rc = add_roa(w, &p->p, p->p.len, a->asn);
                }
                if (sim_unit(w) < irr_p[i])
                    p->irr = 1;
                else if (sim_unit(w) < 0.3) {
                    p->irr = 2; /* stale: the previous holder's object never removed */
                    p->stale_origin = w->as[sim_below(w, n)].asn;
                    if (p->stale_origin == a->asn)
                        p->irr = 0;
                }
            }
        }
        a->roa_n = (uint32_t)(w->n_roa - a->roa_first);
    }
    free(roa_p);
    free(irr_p);
    if (rc < 0 || w->oom)
        return -1;
    /* allocations sorted by prefix for sim_alloc_owner (per-network ranges of
     * allocations are not used after this point) */
    qsort(w->alloc, w->n_alloc, sizeof *w->alloc, cmp_alloc);
    if (w->par.confounders && sim_confound_space(w, 1) < 0)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        sim_as *a = &w->as[i];
        for (uint32_t j = 0; j < a->pfx_n; j++) {
            sim_pfx *p = &w->pfx[a->pfx_first + j];
            int rs = sim_rpki_state(w, &p->p, a->asn);
            a->roa_ok += rs == RPKI_VALID;
            p->inv = rs == RPKI_INVALID;
            a->roa_inv += p->inv;
            /* IRR coverage as the observatory counts it: a route object with the same
             * origin for the prefix or a covering announced aggregate */
            bool cov = p->irr == 1;
            for (uint32_t k = 0; k < a->pfx_n && !cov; k++) {
                const sim_pfx *q = &w->pfx[a->pfx_first + k];
                if (q->irr == 1 && q->p.len < p->p.len && mrs_prefix_covers(&q->p, &p->p))
                    cov = true;
            }
            if (cov)
                a->irr_ok++;
        }
    }
    return 0;
}

/* The largest customer cone (the AS itself and everything below it over
 * provider-customer links) as a share of all networks. A cone holds the cones of
 * its customers, so the largest one belongs to a network without providers. */
double sim_largest_cone(const sim_world *w, uint32_t *top)
{
    uint8_t *seen = malloc(w->n ? w->n : 1);
    uint32_t *stack = malloc((w->n ? w->n : 1) * sizeof *stack);
    size_t best = 0;
    *top = SIM_NONE;
    for (uint32_t r = 0; r < w->n && seen && stack; r++) {
        if (w->as[r].n_prov || !w->as[r].n_cust)
            continue;
        memset(seen, 0, w->n);
        size_t sp = 0, cnt = 1;
        stack[sp++] = r;
        seen[r] = 1;
        while (sp) {
            uint32_t v = stack[--sp];
            const uint32_t *cu = sim_customers(w, v);
            for (uint32_t j = 0; j < w->as[v].n_cust; j++)
                if (!seen[cu[j]]) {
                    seen[cu[j]] = 1;
                    cnt++;
                    stack[sp++] = cu[j];
                }
        }
        if (cnt > best) {
            best = cnt;
            *top = r;
        }
    }
    free(seen);
    free(stack);
    return w->n ? (double)best / w->n : 0;
}

void sim_world_free(sim_world *w)
{
    sim_participants_free(w);
    free(w->as);
    free(w->adj);
    free(w->pfx);
    free(w->alloc);
    free(w->roa);
    mrs_set64_clear(&w->announced);
    sim_scratch_free(w);
    free(w->botc);
    free(w->peer);
    free(w->boff);
    free(w->blen);
    free(w->bpool);
    for (size_t i = 0; i < w->n_inc; i++) {
        free(w->inc[i].propagators);
        free(w->inc[i].acc);
    }
    free(w->inc);
    free(w->ev);
    free(w->evpool);
    free(w->fail);
    free(w->conf);
    free(w->xroa);
    free(w->xrib);
}
