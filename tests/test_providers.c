/* test_providers.c — `manrs providers` (apps/providers.h): the upstreams from
 * as-rel and from the paths seen (merged, labelled, prepending collapsed), a
 * paths-only neighbour labelled with what as-rel calls it, the programme
 * standing, and the exposure: only through providers, only high confidence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "manrs/apps/providers.h"

#define C 64500u

static mrs_asrel *rel_fixture(void)
{
    mrs_asrel *r = mrs_asrel_new();
    assert_non_null(r);
    assert_int_equal(mrs_asrel_add(r, 100, C, MRS_REL_P2C), 0);   /* providers */
    assert_int_equal(mrs_asrel_add(r, 200, C, MRS_REL_P2C), 0);
    assert_int_equal(mrs_asrel_add(r, 300, C, MRS_REL_P2P), 0);   /* a peer */
    assert_int_equal(mrs_asrel_add(r, C, 400, MRS_REL_P2C), 0);   /* a customer */
    assert_int_equal(mrs_asrel_add(r, 100, 200, MRS_REL_P2P), 0);
    assert_int_equal(mrs_asrel_finish(r), 0);
    return r;
}

/* One announcement: peer (its ASN and address byte), prefix 10.0.x.0/24, the path. */
static void announce(mrs_view *v, uint32_t peer_asn, uint8_t x, const uint32_t *asns, uint32_t n)
{
    uint32_t w[16];
    w[0] = MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, n);
    memcpy(w + 1, asns, n * sizeof *asns);
    mrs_route_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = MRS_RE_ANNOUNCE;
    ev.time = 1700000000;
    ev.peer.afi = MRS_AFI_IPV4;
    ev.peer.ip[3] = (uint8_t)peer_asn;
    ev.peer.asn = peer_asn;
    ev.peer_known = true;
    ev.safi = MRS_SAFI_UNICAST;
    ev.prefix.afi = MRS_AFI_IPV4;
    ev.prefix.len = 24;
    ev.prefix.addr[0] = 10;
    ev.prefix.addr[2] = x;
    ev.path = (mrs_as_path){w, n + 1};
    mrs_view_add_event(v, &ev, 0);
}

static mrs_view *view_fixture(void)
{
    mrs_view *v = mrs_view_new();
    assert_non_null(v);
    mrs_view_add_file(v, "t.mrt");
    announce(v, 100, 1, (const uint32_t[]){100, C, C, C}, 4);       /* prepended by the customer */
    announce(v, 100, 2, (const uint32_t[]){100, C}, 2);
    announce(v, 900, 1, (const uint32_t[]){900, 100, C}, 3);        /* 100 again, second peer */
    announce(v, 900, 2, (const uint32_t[]){900, 300, C}, 3);        /* paths-only, as-rel: peer */
    announce(v, 901, 1, (const uint32_t[]){901, 500, 500, C, C}, 5); /* paths-only, no link */
    announce(v, 902, 1, (const uint32_t[]){902, 400, C}, 3);        /* paths-only, as-rel: customer */
    announce(v, C, 3, (const uint32_t[]){C, 7}, 2);                 /* the customer as the collector peer */
    assert_false(mrs_view_oom(v));
    return v;
}

static const prov_upstream *up(const prov_result *r, uint32_t asn)
{
    for (size_t i = 0; i < r->n_up; i++)
        if (r->up[i].asn == asn)
            return &r->up[i];
    return NULL;
}

/* What a printer writes of r, malloc'ed and NUL-terminated. */
static char *printed(int (*print)(const prov_result *, FILE *), const prov_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(print(r, f), 0);
    fclose(f);
    return buf;
}

static void sources_merged_and_labelled(void **state)
{
    (void)state;
    mrs_asrel *rel = rel_fixture();
    mrs_view *v = view_fixture();
    prov_input in = {.asn = C, .asrel = rel, .view = v};
    prov_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(prov_compute(&in, &r), 0);
    assert_true(r.known);
    /* as-rel providers first, then the paths-only neighbours by ASN; 64500 itself
     * (its prepends) and 7 (below it) are no upstreams */
    assert_int_equal(r.n_up, 5);
    const uint32_t order[] = {100, 200, 300, 400, 500};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(r.up[i].asn, order[i]);
    const prov_upstream *u = up(&r, 100);
    assert_true(u->from_asrel && u->from_paths && u->provider);
    assert_int_equal(u->rel, MRS_REL_P2C);
    assert_int_equal(u->peers, 2);     /* peers 100 and 900 */
    assert_int_equal(u->paths, 3);     /* "100 C C C", "100 C", "900 100 C" */
    u = up(&r, 200);
    assert_true(u->from_asrel && !u->from_paths && u->provider);
    assert_int_equal(u->peers, 0);
    u = up(&r, 300);
    assert_true(!u->from_asrel && u->from_paths && !u->provider);
    assert_int_equal(u->rel, MRS_REL_P2P);
    u = up(&r, 400);
    assert_true(!u->from_asrel && u->from_paths && !u->provider);
    assert_int_equal(u->rel, MRS_REL_C2P);
    u = up(&r, 500);   /* prepended upstream, a link as-rel does not know: a provider as seen */
    assert_true(!u->from_asrel && u->from_paths && u->provider);
    assert_int_equal(u->rel, MRS_REL_NONE);
    assert_int_equal(u->paths, 1);
    assert_int_equal(u->peers, 1);

    /* the labels as printed */
    char *buf = printed(prov_print_json, &r);
    assert_non_null(strstr(buf, "\"label\": \"seen upstream in paths (as-rel: peer)\""));
    assert_non_null(strstr(buf, "\"label\": \"seen upstream in paths (as-rel: customer)\""));
    assert_non_null(strstr(buf, "\"label\": \"seen upstream in paths (as-rel: no link)\""));
    assert_non_null(strstr(buf, "{\"asn\": 100, \"sources\": [\"as-rel\", \"paths\"], \"relation\": \"provider\""));
    assert_non_null(strstr(buf, "{\"asn\": 200, \"sources\": [\"as-rel\"]"));
    free(buf);
    prov_result_clear(&r);

    /* as-rel alone: the providers only, paths not given */
    prov_input only = {.asn = C, .asrel = rel};
    memset(&r, 0, sizeof r);
    assert_int_equal(prov_compute(&only, &r), 0);
    assert_int_equal(r.n_up, 2);
    assert_false(r.have_paths);
    assert_true(r.known);
    prov_result_clear(&r);
    /* an AS nobody knows */
    prov_input nobody = {.asn = 65001, .asrel = rel, .view = v};
    memset(&r, 0, sizeof r);
    assert_int_equal(prov_compute(&nobody, &r), 0);
    assert_false(r.known);
    assert_int_equal(r.n_up, 0);
    prov_result_clear(&r);
    mrs_view_free(v);
    mrs_asrel_free(rel);
}

static const char REG[] = "version: 1\nparticipants:\n"
                          "  - organisation: Up One\n    programme: network-operator\n    tier: manrs\n"
                          "    joined: 2019-05-14\n    contact: noc@one.example\n    asns:\n"
                          "      - {asn: 100, actions: [1, 2, 3, 4]}\n"
                          "  - organisation: Up Two\n    programme: network-operator\n    tier: manrs-plus\n"
                          "    joined: 2019-05-14\n    contact: noc@two.example\n    asns:\n"
                          "      - {asn: 200, actions: [1, 4]}\n"
                          "  - organisation: Peer Three\n    programme: network-operator\n    tier: manrs\n"
                          "    joined: 2019-05-14\n    contact: noc@three.example\n    asns:\n"
                          "      - {asn: 300, actions: [1, 4]}\n";

static void exposure_through_providers_high_only(void **state)
{
    (void)state;
    mrs_asrel *rel = rel_fixture();
    mrs_view *v = view_fixture();
    mrs_registry reg;
    memset(&reg, 0, sizeof reg);
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    assert_int_equal(mrs_registry_load_mem(REG, strlen(REG), "reg.yml", &reg, &d), 0);
    assert_int_equal(reg.n, 3);

    uint32_t p1[] = {100, 300}, p2[] = {500}, p3[] = {100}, p4[] = {200, 400}, p5[] = {777}, p6[] = {300};
    mrs_evidence ev1[2] = {{.peer_asn = 900, .as_path = "900 300 999", .file = "u.mrt", .offset = 10},
                           {.peer_asn = 903, .as_path = "903 100 999", .file = "u.mrt", .offset = 20}};
    mrs_incident inc[6];
    memset(inc, 0, sizeof inc);
    for (int i = 0; i < 6; i++) {
        inc[i].id = (uint64_t)i + 1;
        inc[i].cls = MRS_INC_ROUTE_LEAK;
        inc[i].culprit = 999;
        inc[i].confidence = MRS_CONF_HIGH;
    }
    inc[0].propagators = p1, inc[0].n_propagators = 2, inc[0].accomplice = 100;   /* via 100 (accomplice) */
    inc[0].evidence = ev1, inc[0].n_evidence = 2;
    inc[1].culprit = 500, inc[1].propagators = p2, inc[1].n_propagators = 1;       /* low: left out */
    inc[1].confidence = MRS_CONF_LOW;
    inc[1].cls = MRS_INC_HIJACK_ORIGIN;
    inc[2].culprit = C, inc[2].propagators = p3, inc[2].n_propagators = 1;         /* the customer's own */
    inc[3].propagators = p4, inc[3].n_propagators = 2;                             /* via 200, not 400 */
    inc[4].propagators = p5, inc[4].n_propagators = 1;                             /* no upstream of C */
    inc[5].culprit = 300, inc[5].propagators = p6, inc[5].n_propagators = 1;       /* a peer's: not a provider */
    mrs_incident_list il = {inc, 6, 6};

    /* verdicts as conformance would give them: 100 conformant, 200 not */
    mrs_participant_verdicts pv[3];
    memset(pv, 0, sizeof pv);
    for (int i = 0; i < 3; i++) {
        pv[i].p = &reg.v[i];
        pv[i].outcome = MRS_VERDICT_CONFORMANT;
        for (int k = 1; k <= 4; k++)
            pv[i].action[k] = MRS_VERDICT_CONFORMANT;
    }
    pv[1].outcome = pv[1].action[1] = MRS_VERDICT_NOT;
    mrs_conformance conf = {pv, 3};

    prov_input in = {.asn = C, .asrel = rel, .view = v, .reg = &reg, .incidents = &il};
    prov_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(prov_compute(&in, &r), 0);
    assert_int_equal(r.n_exp, 2);
    assert_int_equal(r.exp[0].provider, 100);
    assert_int_equal(r.exp[0].inc->id, 1);
    assert_int_equal(r.exp[0].role, PROV_ROLE_ACCOMPLICE);
    assert_ptr_equal(r.exp[0].ev, &ev1[1]);   /* the evidence through AS100 */
    assert_int_equal(r.exp[1].provider, 200);
    assert_int_equal(r.exp[1].inc->id, 4);
    assert_int_equal(r.exp[1].role, PROV_ROLE_PROPAGATOR);
    assert_int_equal(up(&r, 300)->n_exposures, 0);
    assert_int_equal(up(&r, 400)->n_exposures, 0);
    /* standing: participants known, no verdicts without conformance -> not failing */
    assert_non_null(up(&r, 100)->p);
    assert_string_equal(up(&r, 200)->p->id, "up-two");
    assert_null(up(&r, 500)->p);
    assert_null(up(&r, 100)->v);
    assert_false(prov_any_failing(&r));
    /* a stored suspension fails */
    r.up[1].has_state = true;
    r.up[1].state.state = MRS_ENF_SUSPENDED;
    assert_true(prov_any_failing(&r));
    r.up[1].state.state = MRS_ENF_REINSTATED;
    assert_false(prov_any_failing(&r));
    prov_result_clear(&r);

    /* with the verdicts: 200 is not conformant -> failing; the peer 300 not
     * conformant would not count (not a provider) */
    pv[2].outcome = MRS_VERDICT_NOT;
    in.conf = &conf;
    memset(&r, 0, sizeof r);
    assert_int_equal(prov_compute(&in, &r), 0);
    assert_ptr_equal(up(&r, 200)->v, &pv[1]);
    assert_true(prov_any_failing(&r));
    prov_result_clear(&r);
    pv[1].outcome = pv[1].action[1] = MRS_VERDICT_CONFORMANT;
    memset(&r, 0, sizeof r);
    assert_int_equal(prov_compute(&in, &r), 0);
    assert_false(prov_any_failing(&r));

    /* the HTML page: no script, the incident row with the provider's role */
    char *buf = printed(prov_print_html, &r);
    assert_null(strstr(buf, "<script"));
    assert_non_null(strstr(buf, "AS100 accomplice"));
    free(buf);
    prov_result_clear(&r);

    /* --include-low: the low-confidence hijack by AS500 (a provider as seen) too */
    in.include_low = true;
    memset(&r, 0, sizeof r);
    assert_int_equal(prov_compute(&in, &r), 0);
    assert_int_equal(r.n_exp, 3);
    assert_int_equal(up(&r, 500)->n_exposures, 1);
    prov_result_clear(&r);

    mrs_registry_clear(&reg);
    mrs_view_free(v);
    mrs_asrel_free(rel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sources_merged_and_labelled),
        cmocka_unit_test(exposure_through_providers_high_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
