/* fuzz_whatif.c — libFuzzer target for `manrs whatif`'s two line formats, the
 * deployment (--policy) and the adoption set (--adopt FILE), src/apps/whatif:
 * any bytes read as both over a small AS graph with a provider cycle, then an
 * origin hijack, a forged origin and a leak routed with the policies and the
 * adopters that loaded, with a short greedy search (ROV+filter+ASPA). Must never
 * crash, leak or trip UBSan. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/whatif.h"
#include "manrs/kb/asrel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t links[][3] = {{1, 2, MRS_REL_P2P}, {1, 3, MRS_REL_P2C}, {1, 4, MRS_REL_P2C},
                                        {2, 5, MRS_REL_P2C}, {3, 6, MRS_REL_P2C}, {4, 7, MRS_REL_P2C},
                                        {5, 7, MRS_REL_P2C}, {5, 8, MRS_REL_P2C}, {10, 11, MRS_REL_P2C},
                                        {11, 12, MRS_REL_P2C}, {12, 10, MRS_REL_P2C}, {1, 10, MRS_REL_P2C},
                                        {6, 9, MRS_REL_S2S}};
    mrs_asrel *rel = mrs_asrel_new();
    if (!rel)
        return 0;
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        mrs_asrel_add(rel, links[i][0], links[i][1], (mrs_rel)links[i][2]);
    mrs_asrel_finish(rel);
    char err[256];
    mrs_pnet *g = mrs_pnet_from_asrel(rel, NULL, err, sizeof err);
    if (!g) {
        mrs_asrel_free(rel);
        return 0;
    }
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    size_t unknown;
    mrs_whatif_policy_mem((const char *)data, size, "fuzz", g, &unknown, &d);
    uint32_t *adopt = NULL;
    ssize_t n = mrs_whatif_adopt_mem((const char *)data, size, "fuzz", &adopt, &d);
    static const mrs_pinc_kind kinds[] = {MRS_PINC_ORIGIN, MRS_PINC_FORGED, MRS_PINC_LEAK, MRS_PINC_SUBPREFIX};
    static const uint32_t culprit[] = {8, 8, 7, 11};
    for (size_t k = 0; k < 4; k++) {
        mrs_whatif_opts o;
        memset(&o, 0, sizeof o);
        o.kind = kinds[k];
        o.culprit_asn = culprit[k];
        o.origin_asn = 6;
        o.action = MRS_POL_ROV | MRS_POL_FILTER | MRS_POL_ASPA;
        o.adopt = adopt;
        o.n_adopt = n > 0 ? (size_t)n : 0;
        o.have_adopt = n > 0;
        o.greedy = 2;
        o.threads = 1;
        o.members = true;
        mrs_whatif_result r;
        mrs_whatif_run(g, &o, &r, err, sizeof err);
        mrs_whatif_result_clear(&r);
    }
    free(adopt);
    mrs_pnet_free(g);
    mrs_asrel_free(rel);
    return 0;
}
