/*
 * fuzz_vrp.c — libFuzzer target for the VRP/ASPA loader (src/kb/rpki/vrp.c): any bytes
 * are fed to mrs_rpki_load_mem (JSON or CSV by content), then the set is built and
 * queried, so that whatever the loader accepted is also safe to validate against;
 * then the time side (src/kb/rpki/vrp_time.c): the validities and the period are
 * read, the set is cut to the VRPs valid at a moment, rebuilt and queried again.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "manrs/kb/rpki.h"

static void query(const mrs_rpki *r)
{
    mrs_prefix p;
    const char *q[] = {"0.0.0.0/0", "10.0.0.0/8", "192.0.2.0/24", "1.1.1.1/32", "::/0", "2001:db8::/48"};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        if (!mrs_prefix_parse(q[i], strlen(q[i]), &p, true))
            continue;
        mrs_rov_result res;
        mrs_rov_validate(r, &p, 64500, false);
        mrs_rov_validate_ex(r, &p, 13335, i % 2 == 0, &res);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_rpki *r = mrs_rpki_new();
    if (!r)
        return 0;
    mrs_rpki_load_stats st;
    if (mrs_rpki_load_mem(r, data, size, "fuzz", &d, &st) == 0 && mrs_rpki_build(r) == 0) {
        query(r);
        const uint32_t path[] = {3, 2, 2, 1};
        mrs_aspa_verify(r, path, 4, false, MRS_ASPA_DOWNSTREAM, NULL);
        mrs_aspa_verify(r, path, 4, false, MRS_ASPA_UPSTREAM, NULL);
        int64_t first, last, nb, na;
        size_t n, dropped;
        mrs_rpki_period(r, &first, &last);
        mrs_rpki_vrps(r, &n);
        for (size_t i = 0; i < n; i++)
            mrs_rpki_vrp_validity(r, i, &nb, &na);
        /* 2016-08-11 16:00 UTC, the moment of issue 11's routing data */
        mrs_rpki_valid_at(r, 1470931200, &dropped);
        if (mrs_rpki_build(r) == 0)
            query(r);
    }
    mrs_rpki_free(r);
    return 0;
}
