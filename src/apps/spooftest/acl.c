/*
 * acl.c — the ruleset of the manrs-acl run: built by the antispoof library
 * exactly as `manrs antispoof --customer AS64501 --local-as 64500 --asrel ...
 * --vrps ... --extra LINK --interface IF --format nftables` builds it, from the
 * lab's own tiny knowledge, made in memory:
 *   as-rel: AS64500 (pe) and AS64502 (another provider) both provide transit to
 *           the customer AS64501 (multihomed); AS64500 also serves AS64503 (the
 *           other customer); AS64502 serves AS64504 (the adjacent /24's holder);
 *   VRPs:   each of those ASes' prefixes of the address plan;
 *   extra:  the ce--pe interconnect subnets.
 * The bogon list is the IANA list the generator uses by default, without the two
 * blocks the lab uses as its Internet (198.18.0.0/15 RFC 2544, 2001:db8::/32
 * RFC 3849): with them the generator would, rightly, drop the lab customer's
 * prefixes as bogons.
 */
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/antispoof.h"
#include "manrs/apps/spooftest.h"

static bool parse(const char *s, mrs_prefix *p) { return mrs_prefix_parse(s, strlen(s), p, true); }

/* the built-in bogons minus the lab's Internet */
static mrs_bogon_set *lab_bogons(void)
{
    mrs_bogon_set *all = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN), *lab = mrs_bogon_set_new(0);
    mrs_prefix internet[2];
    if (!all || !lab || !parse("198.18.0.0/15", &internet[0]) || !parse("2001:db8::/32", &internet[1]))
        goto fail;
    for (size_t i = 0; i < mrs_bogon_count(all); i++) {
        const mrs_bogon_entry *e = mrs_bogon_entry_at(all, i);
        if (mrs_prefix_equal(&e->prefix, &internet[0]) || mrs_prefix_equal(&e->prefix, &internet[1]))
            continue;
        if (mrs_bogon_add(lab, &e->prefix, e->name, e->source, e->exception) != 0)
            goto fail;
    }
    mrs_bogon_set_free(all);
    return lab;
fail:
    mrs_bogon_set_free(all);
    mrs_bogon_set_free(lab);
    return NULL;
}

char *mrs_st_acl_text(const char *iface, char *urpf, size_t urpf_len, size_t *permits, size_t *denies, char *err,
                      size_t errlen)
{
    const mrs_st_addrs *a = mrs_st_lab_addrs();
    struct {
        const char *p;
        uint32_t as;
    } vrps[] = {
        {a->cust_p1_4, a->customer_as},         {a->cust_p2_4, a->customer_as},
        {a->cust_p1_6, a->customer_as},         {a->cust_p2_6, a->customer_as},
        {a->other_cust4, a->other_customer_as}, {a->other_cust6, a->other_customer_as},
        {a->adjacent4, a->adjacent_as},         {a->adjacent6, a->adjacent_as},
    };
    char *text = NULL;
    size_t len = 0;
    mrs_asrel *rel = mrs_asrel_new();
    mrs_rpki *rpki = mrs_rpki_new();
    mrs_bogon_set *bogons = lab_bogons();
    mrs_antispoof res;
    memset(&res, 0, sizeof res);
    bool built = false;
    mrs_prefix extra[2];
    snprintf(err, errlen, "out of memory");
    if (!rel || !rpki || !bogons)
        goto out;
    if (mrs_asrel_add(rel, a->provider_as, a->customer_as, MRS_REL_P2C) < 0 ||
        mrs_asrel_add(rel, a->second_provider_as, a->customer_as, MRS_REL_P2C) < 0 ||
        mrs_asrel_add(rel, a->provider_as, a->other_customer_as, MRS_REL_P2C) < 0 ||
        mrs_asrel_add(rel, a->second_provider_as, a->adjacent_as, MRS_REL_P2C) < 0 ||
        mrs_asrel_add(rel, a->provider_as, a->second_provider_as, MRS_REL_P2P) < 0 || mrs_asrel_finish(rel) < 0)
        goto out;
    for (size_t i = 0; i < sizeof vrps / sizeof vrps[0]; i++) {
        mrs_prefix p;
        if (!parse(vrps[i].p, &p) || mrs_rpki_add_vrp(rpki, &p, p.len, vrps[i].as, "lab") < 0)
            goto out;
    }
    if (mrs_rpki_build(rpki) < 0 || !parse(a->link4, &extra[0]) || !parse(a->link6, &extra[1]))
        goto out;
    char subject[24];
    snprintf(subject, sizeof subject, "AS%u", (unsigned)a->customer_as);
    mrs_antispoof_input in;
    memset(&in, 0, sizeof in);
    in.mode = MRS_AS_CUSTOMER_INGRESS;
    in.subject = subject;
    in.local_as = a->provider_as;
    in.asrel = rel;
    in.rpki = rpki;
    in.bogons = bogons;
    in.extra = extra;
    in.n_extra = 2;
    if (mrs_antispoof_build(&in, &res, err, errlen) < 0)
        goto out;
    built = true;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        goto out;
    mrs_acl_opts ao = {NULL, iface, 2};
    int rc = mrs_acl_print_nft(&res, &ao, f);
    if (fclose(f) != 0 || rc != 0) {
        snprintf(err, errlen, "cannot print the nftables ruleset");
        free(text);
        text = NULL;
        goto out;
    }
    snprintf(urpf, urpf_len, "%s", mrs_urpf_mode_name(res.urpf.mode));
    *permits = res.n_permit;
    *denies = res.n_deny;
out:
    if (built)
        mrs_antispoof_clear(&res);
    mrs_bogon_set_free(bogons);
    mrs_rpki_free(rpki);
    mrs_asrel_free(rel);
    return text;
}
