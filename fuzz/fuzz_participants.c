/* fuzz_participants.c — libFuzzer target for the MANRS participants registry and
 * the disputes file (src/kb/participants.c, libyaml): any bytes loaded as both;
 * what loads goes through the sign-up rules, the conformance verdicts (no
 * networks: every ASN no data) and the enforcement step. Must never crash, leak
 * or trip UBSan. */
#include <stdint.h>
#include <string.h>

#include "manrs/analysis/programme.h"
#include "manrs/kb/participants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_registry r;
    mrs_dispute_list l;
    int have_l = mrs_disputes_load_mem((const char *)data, size, "fuzz", &l, &d) == 0;
    if (mrs_registry_load_mem((const char *)data, size, "fuzz", &r, &d) == 0) {
        char why[256];
        for (size_t i = 0; i < r.n; i++) {
            const mrs_ruleset *rs = mrs_ruleset_in_force(r.v[i].joined);
            if (rs)
                mrs_signup_check(rs, &r.v[i], why, sizeof why);
            (void)mrs_registry_find(&r, r.v[i].id);
        }
        mrs_network_list none = {NULL, 0};
        mrs_conformance_input ci = {.reg = &r, .nets = &none, .disputes = have_l ? &l : NULL};
        mrs_score_cfg_default(&ci.score);
        mrs_conformance c;
        if (mrs_conformance_compute(&ci, &c) == 0) {
            for (size_t i = 0; i < c.n; i++) {
                mrs_enforcement e = {MRS_ENF_CONFORMANT, 0};
                e = mrs_enforce_step(e, c.v[i].outcome, &r.tiers[c.v[i].p->tier]);
                (void)e;
            }
            mrs_conformance_clear(&c);
        }
        mrs_registry_clear(&r);
    }
    if (have_l)
        mrs_dispute_list_clear(&l);
    return 0;
}
