/* test_antispoof.c — manrs antispoof (src/apps/antispoof/antispoof.c): exact CIDR
 * aggregation and subtraction checked against address bitmaps on random prefix
 * sets; the uRPF decision on hand-built topologies (single-homed stub and cone ->
 * strict; the RFC 8704 multihoming shapes -> EFP algorithm A or B; peer, provider,
 * transit-free -> loose); provenance of every source kind; bogon / too-short
 * drops and the carve-outs of the deny list; unknown customer AS / as-set errors. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/antispoof.h"

/* ---------------------------------------------------------------- helpers */

static mrs_prefix P(const char *s)
{
    mrs_prefix p;
    if (!mrs_prefix_parse(s, strlen(s), &p, true))
        fail_msg("bad prefix in test: %s", s);
    return p;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A 4096-address space: IPv4 10.20.0.0/20 or IPv6 2a01:4f8::/116. Address i of
 * the space <-> bit i of the bitmap. */
#define SPACE_BITS 12
#define SPACE (1u << SPACE_BITS)

static mrs_prefix space_prefix(unsigned afi, unsigned off, unsigned len)
{
    mrs_prefix p;
    memset(&p, 0, sizeof p);
    p.afi = (uint8_t)afi;
    if (afi == MRS_AFI_IPV4) {
        uint32_t a = (10u << 24) | (20u << 16) | off;
        p.addr[0] = (uint8_t)(a >> 24);
        p.addr[1] = (uint8_t)(a >> 16);
        p.addr[2] = (uint8_t)(a >> 8);
        p.addr[3] = (uint8_t)a;
        p.len = (uint8_t)(32 - SPACE_BITS + len);
    } else {
        p.addr[0] = 0x2a;
        p.addr[1] = 0x01;
        p.addr[2] = 0x04;
        p.addr[3] = 0xf8;
        p.addr[14] = (uint8_t)(off >> 8);
        p.addr[15] = (uint8_t)off;
        p.len = (uint8_t)(128 - SPACE_BITS + len);
    }
    return p;
}

/* random prefix inside the space: len = 0..12 bits below the space prefix */
static mrs_prefix random_prefix(unsigned afi)
{
    unsigned l = (unsigned)(rnd() % (SPACE_BITS + 1));
    unsigned off = (unsigned)(rnd() % SPACE);
    off &= ~((SPACE >> l) - 1u) & (SPACE - 1u);
    return space_prefix(afi, off, l);
}

/* mark the addresses of p (which must lie in the space of its family) */
static void mark(uint8_t *bm, const mrs_prefix *p, uint8_t val)
{
    unsigned bits = mrs_afi_bits(p->afi);
    unsigned l = p->len - (bits - SPACE_BITS);
    unsigned off;
    if (p->afi == MRS_AFI_IPV4)
        off = ((unsigned)p->addr[2] << 8 | p->addr[3]) & (SPACE - 1u);
    else
        off = ((unsigned)p->addr[14] << 8 | p->addr[15]) & (SPACE - 1u);
    for (unsigned i = 0; i < (SPACE >> l); i++)
        bm[off + i] = val;
}

static void aggregation_is_exact(void **state)
{
    (void)state;
    mrs_prefix in[64], out[64];
    uint8_t want[SPACE], got[SPACE];
    for (int iter = 0; iter < 2000; iter++) {
        unsigned afi = iter % 2 ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        size_t n = 1 + rnd() % 48;
        memset(want, 0, sizeof want);
        for (size_t i = 0; i < n; i++) {
            in[i] = random_prefix(afi);
            /* bias towards adjacent pieces so that merges happen */
            if (i > 0 && rnd() % 3 == 0 && in[i - 1].len > mrs_afi_bits(afi) - SPACE_BITS) {
                in[i] = in[i - 1];
                in[i].addr[afi == MRS_AFI_IPV4 ? (in[i].len - 1) / 8 : (in[i].len - 1) / 8] ^=
                    (uint8_t)(0x80u >> ((in[i].len - 1) % 8));
            }
            mark(want, &in[i], 1);
            out[i] = in[i];
        }
        size_t m = mrs_cidr_aggregate(out, n);
        memset(got, 0, sizeof got);
        for (size_t i = 0; i < m; i++) {
            /* pairwise disjoint, sorted */
            if (i > 0) {
                assert_true(mrs_prefix_cmp(&out[i - 1], &out[i]) < 0);
                assert_false(mrs_prefix_covers(&out[i - 1], &out[i]) || mrs_prefix_covers(&out[i], &out[i - 1]));
            }
            mark(got, &out[i], 1);
        }
        if (memcmp(want, got, sizeof want))
            fail_msg("iteration %d: aggregate does not cover exactly the union of %zu inputs", iter, n);
        /* minimal: no output block's parent lies entirely in the union */
        for (size_t i = 0; i < m; i++) {
            unsigned top = mrs_afi_bits(afi) - SPACE_BITS;
            if (out[i].len <= top)
                continue;
            mrs_prefix par = out[i];
            par.len--;
            mrs_prefix_mask(&par);
            uint8_t pm[SPACE];
            memset(pm, 0, sizeof pm);
            mark(pm, &par, 1);
            bool all = true;
            for (unsigned k = 0; k < SPACE && all; k++)
                if (pm[k] && !want[k])
                    all = false;
            if (all)
                fail_msg("iteration %d: output %zu could be merged into its parent", iter, i);
        }
    }
}

static void subtraction_is_exact(void **state)
{
    (void)state;
    mrs_prefix a[32], b[32];
    uint8_t want[SPACE], got[SPACE], bb[SPACE];
    for (int iter = 0; iter < 1000; iter++) {
        unsigned afi = iter % 2 ? MRS_AFI_IPV4 : MRS_AFI_IPV6;
        size_t na = 1 + rnd() % 16, nb = rnd() % 16;
        memset(want, 0, sizeof want);
        memset(bb, 0, sizeof bb);
        for (size_t i = 0; i < na; i++) {
            a[i] = random_prefix(afi);
            mark(want, &a[i], 1);
        }
        for (size_t i = 0; i < nb; i++) {
            b[i] = random_prefix(afi);
            mark(bb, &b[i], 1);
        }
        for (unsigned k = 0; k < SPACE; k++)
            if (bb[k])
                want[k] = 0;
        na = mrs_cidr_aggregate(a, na);
        nb = mrs_cidr_aggregate(b, nb);
        mrs_prefix *out = NULL;
        size_t no = 0, cap = 0;
        assert_int_equal(mrs_cidr_subtract(a, na, b, nb, &out, &no, &cap), 0);
        memset(got, 0, sizeof got);
        for (size_t i = 0; i < no; i++) {
            for (size_t j = 0; j < i; j++)
                assert_false(mrs_prefix_covers(&out[i], &out[j]) || mrs_prefix_covers(&out[j], &out[i]));
            mark(got, &out[i], 1);
        }
        free(out);
        if (memcmp(want, got, sizeof want))
            fail_msg("iteration %d: a minus b is not exact", iter);
    }
}

static void aggregation_fixed_cases(void **state)
{
    (void)state;
    mrs_prefix v[8] = {P("45.10.1.0/24"), P("45.10.0.0/24"), P("45.10.2.0/24"), P("45.10.0.128/25"),
                       P("2a00:1::/32"), P("2a00::/32"), P("45.10.3.0/25")};
    size_t n = mrs_cidr_aggregate(v, 7);
    char b[MRS_PREFIX_STRLEN];
    const char *want[] = {"45.10.0.0/23", "45.10.2.0/24", "45.10.3.0/25", "2a00::/31"};
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        mrs_prefix_format(&v[i], b);
        assert_string_equal(b, want[i]);
    }
    /* 0.0.0.0/0 and ::/0 absorb everything of their family */
    mrs_prefix w[3] = {P("0.0.0.0/0"), P("1.2.3.4/32"), P("::/0")};
    assert_int_equal(mrs_cidr_aggregate(w, 3), 2);
    assert_int_equal(mrs_cidr_aggregate(w, 0), 0);
}

/* ---------------------------------------------------------------- fixtures */

typedef struct fx {
    mrs_asrel *rel;
    irr_db *irr;
    mrs_rpki *rpki;
    mrs_seen *rib;
    mrs_diag d;
    mrs_antispoof a;
    bool built;
    char err[512];
} fx;

static const char IRR_TEXT[] =
    "route: 45.10.0.0/24\norigin: AS64500\nsource: TEST\n\n"
    "route: 45.10.1.0/24\norigin: AS64501\nsource: TEST\n\n"
    "route6: 2a0a:1000::/32\norigin: AS64500\nsource: TEST\n\n"
    "route: 45.20.0.0/22\norigin: AS64502\nsource: TEST\n\n"
    "route: 45.30.0.0/24\norigin: AS64503\nsource: TEST\n\n"
    "route: 45.40.0.0/24\norigin: AS64510\nsource: TEST\n\n"
    "route: 10.99.0.0/16\norigin: AS64510\nsource: TEST\n\n"
    "route: 0.0.0.0/0\norigin: AS64510\nsource: TEST\n\n"
    "route: 192.0.0.0/16\norigin: AS64510\nsource: TEST\n\n"
    "route6: 2001::/32\norigin: AS64510\nsource: TEST\n\n"
    "route: 45.10.0.0/24\norigin: AS64500\nsource: OTHER\n\n"
    "as-set: AS-TEST\nmembers: AS64500, AS64501\nsource: TEST\n\n"
    "route: 45.50.0.0/24\norigin: AS64520\nsource: TEST\n\n";

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    mrs_diag_init(&f->d, NULL);
    f->rel = mrs_asrel_new();
    f->irr = irr_db_new(&f->d);
    assert_int_equal(irr_db_load_mem(f->irr, IRR_TEXT, strlen(IRR_TEXT), "test.db"), 0);
    assert_int_equal(irr_db_finalize(f->irr), 0);
    f->rpki = mrs_rpki_new();
    mrs_prefix v = P("45.10.0.0/23");
    assert_int_equal(mrs_rpki_add_vrp(f->rpki, &v, 24, 64500, "ripe"), 0);
    v = P("45.99.0.0/24");
    assert_int_equal(mrs_rpki_add_vrp(f->rpki, &v, 24, 64999, "ripe"), 0);
    assert_int_equal(mrs_rpki_build(f->rpki), 0);
    f->rib = mrs_seen_new();
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    if (f->built)
        mrs_antispoof_clear(&f->a);
    mrs_seen_free(f->rib);
    mrs_rpki_free(f->rpki);
    irr_db_free(f->irr);
    mrs_asrel_free(f->rel);
    free(f);
    return 0;
}

static void add_link(fx *f, uint32_t a, uint32_t b, mrs_rel r) { assert_true(mrs_asrel_add(f->rel, a, b, r) >= 0); }

static int build(fx *f, const char *subject, uint32_t local, mrs_as_mode mode)
{
    if (f->built)
        mrs_antispoof_clear(&f->a);
    f->built = false;
    assert_int_equal(mrs_asrel_finish(f->rel), 0);
    mrs_antispoof_input in;
    memset(&in, 0, sizeof in);
    in.mode = mode;
    in.subject = subject;
    in.local_as = local;
    in.asrel = f->rel;
    in.irr = f->irr;
    in.rpki = f->rpki;
    in.rib = f->rib;
    int rc = mrs_antispoof_build(&in, &f->a, f->err, sizeof f->err);
    f->built = rc == 0;
    return rc;
}

static void expect_permits(const mrs_antispoof *a, const char *const *want, size_t n)
{
    char b[MRS_PREFIX_STRLEN];
    if (a->n_permit != n)
        fail_msg("%zu permit entries, expected %zu", a->n_permit, n);
    for (size_t i = 0; i < n; i++) {
        mrs_prefix_format(&a->permit[i].prefix, b);
        if (strcmp(b, want[i]))
            fail_msg("permit %zu is %s, expected %s", i, b, want[i]);
    }
}

/* ---------------------------------------------------------------- uRPF decisions */

/* 65000 -> 64500 (stub) */
static void single_homed_stub_is_strict(void **state)
{
    fx *f = *state;
    add_link(f, 65000, 64500, MRS_REL_P2C);
    add_link(f, 65000, 64999, MRS_REL_P2C);
    assert_int_equal(build(f, "AS64500", 65000, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_STRICT);
    assert_int_equal(f->a.urpf.reason, MRS_URPF_R_SINGLE_HOMED_STUB);
    assert_int_equal(f->a.n_members, 1);
    /* IRR 45.10.0.0/24 (twice: TEST and OTHER), ROA 45.10.0.0/23, route6 2a0a:1000::/32 */
    static const char *const want[] = {"45.10.0.0/23", "2a0a:1000::/32"};
    expect_permits(&f->a, want, 2);
    assert_int_equal(f->a.n_irr, 3);
    assert_int_equal(f->a.n_roa, 1);
    assert_int_equal(f->a.permit[0].n, 3);   /* ROA /23, IRR /24 TEST, IRR /24 OTHER */
    char line[512];
    mrs_as_source_format(&f->a, &f->a.src[f->a.permit[0].first], line, sizeof line);
    assert_string_equal(line, "45.10.0.0/23: ROA maxLength 24, AS64500 (the customer), trust anchor ripe");
    mrs_as_source_format(&f->a, &f->a.src[f->a.permit[0].first + 1], line, sizeof line);
    assert_string_equal(line, "45.10.0.0/24: IRR route object, origin AS64500 (the customer), source OTHER (test.db:41)");
    /* without our AS: the single provider is assumed to be us */
    assert_int_equal(build(f, "64500", 0, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_STRICT);
    assert_int_equal(f->a.urpf.assumed_local, 65000);
    assert_false(f->a.permit_any);
}

/* 65000 -> 64500 -> 64501, nothing else: strict for the whole cone */
static void single_homed_cone_is_strict(void **state)
{
    fx *f = *state;
    add_link(f, 65000, 64500, MRS_REL_P2C);
    add_link(f, 64500, 64501, MRS_REL_P2C);
    add_link(f, 64501, 64777, MRS_REL_P2P);   /* peering does not make it multihomed */
    assert_int_equal(build(f, "AS64500", 65000, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_STRICT);
    assert_int_equal(f->a.urpf.reason, MRS_URPF_R_SINGLE_HOMED_CONE);
    assert_int_equal(f->a.n_members, 2);
    assert_int_equal(f->a.members[1].asn, 64501);
    assert_int_equal(f->a.members[1].via, 64500);
    static const char *const want[] = {"45.10.0.0/23", "2a0a:1000::/32"};
    expect_permits(&f->a, want, 2);
    /* the /23 aggregate: ROA, two IRR objects for 45.10.0.0/24 and one for .1.0/24 */
    assert_int_equal(f->a.permit[0].n, 4);
    char line[512];
    mrs_as_source_format(&f->a, &f->a.src[f->a.permit[0].first + 3], line, sizeof line);
    assert_string_equal(line,
                        "45.10.1.0/24: IRR route object, origin AS64501 (customer of AS64500), source TEST (test.db:5)");
}

/* RFC 8704 §3.4 figure ("challenging"): AS1 (64501) multihomed to AS2 (64502) and
 * AS3 (64503), both customers of AS4 (65004, us). On AS2's interface: algorithm B. */
static void rfc8704_challenging_scenario_is_efp_b(void **state)
{
    fx *f = *state;
    add_link(f, 65004, 64502, MRS_REL_P2C);
    add_link(f, 65004, 64503, MRS_REL_P2C);
    add_link(f, 64502, 64501, MRS_REL_P2C);
    add_link(f, 64503, 64501, MRS_REL_P2C);
    assert_int_equal(build(f, "AS64502", 65004, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_EFP_B);
    assert_int_equal(f->a.urpf.reason, MRS_URPF_R_MULTIHOMED_OVERLAP);
    assert_int_equal(f->a.urpf.example_member, 64501);
    assert_int_equal(f->a.urpf.example_provider, 64503);
    static const char *const want[] = {"45.10.1.0/24", "45.20.0.0/22"};
    expect_permits(&f->a, want, 2);
    /* without our AS: B as the section 3.7 default */
    assert_int_equal(build(f, "AS64502", 0, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_EFP_B);
    assert_int_equal(f->a.urpf.reason, MRS_URPF_R_MULTIHOMED_UNKNOWN);
}

/* RFC 8704 §3.3 scenario 3 shape: AS1 (64501) customer of AS2 (64502, our
 * customer) and of AS5 (64505), a lateral peer of us (65004): the cone reaches us
 * through no other customer interface, algorithm A. */
static void rfc8704_scenario3_is_efp_a(void **state)
{
    fx *f = *state;
    add_link(f, 65004, 64502, MRS_REL_P2C);
    add_link(f, 64502, 64501, MRS_REL_P2C);
    add_link(f, 64505, 64501, MRS_REL_P2C);
    add_link(f, 65004, 64505, MRS_REL_P2P);
    add_link(f, 64600, 64505, MRS_REL_P2C);    /* AS5's own provider, unrelated to us */
    assert_int_equal(build(f, "AS64502", 65004, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_EFP_A);
    assert_int_equal(f->a.urpf.reason, MRS_URPF_R_MULTIHOMED);
    assert_int_equal(f->a.urpf.example_member, 64501);
    assert_int_equal(f->a.urpf.example_provider, 64505);
    assert_int_equal(f->a.urpf.n_external, 1);
    /* the same, but AS5 is also our customer, two levels up: B */
    add_link(f, 64700, 64600, MRS_REL_P2C);
    add_link(f, 65004, 64700, MRS_REL_P2C);
    assert_int_equal(build(f, "AS64502", 65004, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_EFP_B);
    assert_int_equal(f->a.urpf.example_member, 64501);
    assert_int_equal(f->a.urpf.example_provider, 64700);
}

/* The customer is single-homed, but a cone member is multihomed elsewhere. */
static void cone_member_multihomed_elsewhere(void **state)
{
    fx *f = *state;
    add_link(f, 65000, 64500, MRS_REL_P2C);
    add_link(f, 64500, 64501, MRS_REL_P2C);
    add_link(f, 64999, 64501, MRS_REL_P2C);
    assert_int_equal(build(f, "AS64500", 0, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_EFP_B);
    assert_int_equal(f->a.urpf.reason, MRS_URPF_R_MULTIHOMED_UNKNOWN);
    assert_int_equal(f->a.urpf.example_member, 64501);
    assert_int_equal(f->a.urpf.example_provider, 64999);
    assert_int_equal(f->a.members[1].n_outside, 1);
    assert_int_equal(f->a.members[1].first_outside, 64999);
    assert_int_equal(build(f, "AS64500", 65000, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_EFP_A);
    /* a cone member with its own link to us: two interfaces, B */
    add_link(f, 65000, 64501, MRS_REL_P2C);
    assert_int_equal(build(f, "AS64500", 65000, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_EFP_B);
    assert_int_equal(f->a.urpf.reason, MRS_URPF_R_MULTIHOMED_OVERLAP);
    assert_int_equal(f->a.urpf.example_member, 64501);
}

static void peer_provider_transit_free_are_loose(void **state)
{
    fx *f = *state;
    add_link(f, 65000, 64500, MRS_REL_P2P);
    add_link(f, 64501, 65000, MRS_REL_P2C);
    add_link(f, 64502, 64503, MRS_REL_P2C);
    assert_int_equal(build(f, "AS64500", 65000, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_LOOSE);
    assert_int_equal(f->a.urpf.reason, MRS_URPF_R_PEER);
    assert_true(f->a.permit_any);
    /* loose: the registry exceptions (Teredo, AS112, ...) are permitted before the denies */
    assert_true(f->a.n_pre_permit >= 5);
    assert_int_equal(build(f, "AS64501", 65000, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.reason, MRS_URPF_R_PROVIDER);
    assert_int_equal(build(f, "AS64502", 0, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_LOOSE);
    assert_int_equal(f->a.urpf.reason, MRS_URPF_R_TRANSIT_FREE);
}

static void not_in_asrel_is_efp_b(void **state)
{
    fx *f = *state;
    add_link(f, 65000, 64999, MRS_REL_P2C);
    assert_int_equal(build(f, "AS64503", 65000, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_false(f->a.in_asrel);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_EFP_B);
    assert_int_equal(f->a.urpf.reason, MRS_URPF_R_NOT_IN_ASREL);
    static const char *const want[] = {"45.30.0.0/24"};
    expect_permits(&f->a, want, 1);
}

/* ---------------------------------------------------------------- sources, drops, denies */

static void bogons_and_short_prefixes_are_dropped(void **state)
{
    fx *f = *state;
    add_link(f, 65000, 64510, MRS_REL_P2C);
    assert_int_equal(build(f, "AS64510", 65000, MRS_AS_CUSTOMER_INGRESS), 0);
    /* kept: 45.40.0.0/24 and Teredo 2001::/32 (a globally reachable exception) */
    static const char *const want[] = {"45.40.0.0/24", "2001::/32"};
    expect_permits(&f->a, want, 2);
    assert_int_equal(f->a.n_dropped, 3);
    /* sorted by prefix: 0.0.0.0/0 too short, 10.99.0.0/16 bogon, 192.0.0.0/16 covers a bogon */
    char b[MRS_PREFIX_STRLEN];
    int reasons[3] = {0, 0, 0};
    for (size_t i = 0; i < 3; i++) {
        mrs_prefix_format(&f->a.dropped[i].src.prefix, b);
        if (!strcmp(b, "0.0.0.0/0"))
            reasons[0] = f->a.dropped[i].reason;
        else if (!strcmp(b, "10.99.0.0/16"))
            reasons[1] = f->a.dropped[i].reason;
        else if (!strcmp(b, "192.0.0.0/16"))
            reasons[2] = f->a.dropped[i].reason;
    }
    assert_int_equal(reasons[0], MRS_AS_DROP_TOO_SHORT);
    assert_int_equal(reasons[1], MRS_AS_DROP_BOGON);
    assert_int_equal(reasons[2], MRS_AS_DROP_COVERS_BOGON);
    /* the deny list never overlaps a permit, nor link-local; 2001::/23 was split
     * around the permitted 2001::/32 */
    mrs_prefix teredo = P("2001::/32"), ll = P("fe80::/10"), ietf = P("2001::/23");
    size_t pieces = 0;
    for (size_t i = 0; i < f->a.n_deny; i++) {
        const mrs_prefix *d = &f->a.deny[i].prefix;
        for (size_t k = 0; k < f->a.n_permit; k++)
            assert_false(mrs_prefix_covers(d, &f->a.permit[k].prefix) || mrs_prefix_covers(&f->a.permit[k].prefix, d));
        assert_false(mrs_prefix_covers(d, &ll) || mrs_prefix_covers(&ll, d));
        if (mrs_prefix_covers(&ietf, d)) {
            pieces++;
            assert_string_equal(f->a.deny[i].name, "IETF Protocol Assignments");
        }
    }
    (void)teredo;
    assert_int_equal(pieces, 9);     /* 2001::/23 minus one /32: 9 blocks (/32 .. /24) */
    assert_int_equal(f->a.n_deny4, 15);
}

static void rib_routes_with_counts(void **state)
{
    fx *f = *state;
    add_link(f, 65000, 64520, MRS_REL_P2C);
    mrs_prefix p = P("45.50.0.0/24"), q = P("45.50.1.0/24"), r = P("45.60.0.0/24");
    assert_int_equal(mrs_seen_add(f->rib, &q, 64520, "/x/rib.mrt"), 0);
    assert_int_equal(mrs_seen_add(f->rib, &q, 64520, "/x/rib.mrt"), 0);
    assert_int_equal(mrs_seen_add(f->rib, &p, 64520, "/x/rib.mrt"), 0);
    assert_int_equal(mrs_seen_add(f->rib, &q, 64520, "/x/rib.mrt"), 0);
    assert_int_equal(mrs_seen_add(f->rib, &r, 64999, "/x/rib.mrt"), 0);   /* not in the cone */
    assert_int_equal(build(f, "AS64520", 65000, MRS_AS_CUSTOMER_INGRESS), 0);
    static const char *const want[] = {"45.50.0.0/23"};
    expect_permits(&f->a, want, 1);
    assert_int_equal(f->a.n_rib, 2);
    assert_int_equal(f->a.rib_entries_seen, 4);
    char line[512];
    mrs_as_source_format(&f->a, &f->a.src[2], line, sizeof line);
    assert_string_equal(line, "45.50.1.0/24: seen in the RIB with origin AS64520 (the customer), 3 entries (rib.mrt)");
}

static void as_set_and_edge_mode(void **state)
{
    fx *f = *state;
    add_link(f, 65000, 64500, MRS_REL_P2C);
    add_link(f, 64500, 64501, MRS_REL_P2C);
    assert_int_equal(build(f, "AS-TEST", 65000, MRS_AS_CUSTOMER_INGRESS), 0);
    assert_true(f->a.is_set);
    assert_int_equal(f->a.n_members, 2);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_STRICT);   /* one link (65000 -> 64500), no outside provider */
    char line[512];
    mrs_as_source_format(&f->a, &f->a.src[f->a.permit[0].first + 3], line, sizeof line);
    assert_string_equal(line, "45.10.1.0/24: IRR route object, origin AS64501 (member of AS-TEST), source TEST (test.db:5)");
    char name[64];
    mrs_acl_default_name(&f->a, name, sizeof name);
    assert_string_equal(name, "MANRS-ANTISPOOF-AS-TEST-IN");
    /* edge: own cone, no uRPF mode */
    assert_int_equal(build(f, "AS64500", 0, MRS_AS_EDGE_EGRESS), 0);
    assert_int_equal(f->a.urpf.mode, MRS_URPF_NONE);
    mrs_acl_default_name(&f->a, name, sizeof name);
    assert_string_equal(name, "MANRS-ANTISPOOF-AS64500-OUT");
    assert_int_not_equal(build(f, "AS-TEST", 0, MRS_AS_EDGE_EGRESS), 0);
    assert_string_equal(f->err, "--edge takes an AS number, not \"AS-TEST\"");
}

static void unknown_customer_errors(void **state)
{
    fx *f = *state;
    add_link(f, 65000, 64500, MRS_REL_P2C);
    assert_int_equal(build(f, "AS4200000000", 65000, MRS_AS_CUSTOMER_INGRESS), -1);
    assert_string_equal(f->err, "unknown AS AS4200000000: not in the as-rel data, no route/route6 object, no VRP, "
                                "not seen as an origin in the MRT data");
    assert_int_equal(build(f, "AS-NOPE", 65000, MRS_AS_CUSTOMER_INGRESS), -1);
    assert_string_equal(f->err, "as-set AS-NOPE not found in the IRR sources searched (TEST, OTHER)");
    add_link(f, 65001, 65002, MRS_REL_P2C);
    add_link(f, 65000, 65001, MRS_REL_P2C);
    assert_int_equal(build(f, "AS65001", 0, MRS_AS_CUSTOMER_INGRESS), -1);   /* known, but no prefix */
    assert_string_equal(f->err, "no source prefix found for the 2 ASes of AS65001 (0 dropped as bogon or too short): "
                                "the filter would block all traffic");
}

static void hostile_strings_are_sanitized(void **state)
{
    (void)state;
    char s[] = "RIPE*/ system { root } /*\x01\xff";
    mrs_acl_sanitize_comment(s);
    assert_string_equal(s, "RIPE*? system { root } /*??");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aggregation_fixed_cases),
        cmocka_unit_test(aggregation_is_exact),
        cmocka_unit_test(subtraction_is_exact),
        cmocka_unit_test(hostile_strings_are_sanitized),
        cmocka_unit_test_setup_teardown(single_homed_stub_is_strict, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(single_homed_cone_is_strict, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rfc8704_challenging_scenario_is_efp_b, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rfc8704_scenario3_is_efp_a, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(cone_member_multihomed_elsewhere, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(peer_provider_transit_free_are_loose, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(not_in_asrel_is_efp_b, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bogons_and_short_prefixes_are_dropped, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rib_routes_with_counts, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(as_set_and_edge_mode, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(unknown_customer_errors, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
