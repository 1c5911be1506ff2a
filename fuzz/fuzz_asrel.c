/* fuzz_asrel.c — libFuzzer target for the CAIDA as-rel (serial-1/-2) and ppdc-ases
 * parsers (src/kb/topo/asrel.c) through the in-memory mrs_reader, followed by cone
 * computation, neighbour lists and valley-free checks on paths made from the
 * input bytes. Must never crash, leak or trip UBSan. */
#include <stdint.h>
#include <string.h>

#include "manrs/kb/asrel.h"
#include "manrs/core/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_asrel *rel = mrs_asrel_new();
    mrs_cone_set *cs = mrs_cone_set_new();
    if (!rel || !cs) {
        mrs_asrel_free(rel);
        mrs_cone_set_free(cs);
        return 0;
    }
    mrs_reader *r = mrs_reader_open_mem(data, size, "fuzz");
    if (r) {
        (void)mrs_asrel_load_reader(rel, r, &d);
        mrs_reader_close(r);
    }
    (void)mrs_cone_load_mem(cs, data, size, "fuzz-ppdc", &d);
    (void)mrs_asrel_cones_compute(rel);
    /* Paths of small ASNs taken from the input so that they hit the loaded links. */
    uint32_t path[16];
    size_t n = size < 16 ? size : 16;
    for (size_t i = 0; i < n; i++)
        path[i] = data[i] % 16;
    mrs_vf_result res;
    (void)mrs_asrel_valley_free(rel, path, n, &res);
    for (size_t i = 0; i < n; i++) {
        const uint32_t *v;
        (void)mrs_asrel_providers(rel, path[i], &v);
        (void)mrs_asrel_customers(rel, path[i], &v);
        size_t cn = mrs_asrel_cone(rel, path[i], &v);
        if (cn)
            (void)v[cn - 1];
        (void)mrs_asrel_in_cone(rel, path[i], path[(i + 1) % n]);
        (void)mrs_cone_contains(cs, path[i], path[(i + 1) % n]);
    }
    mrs_cone_set_free(cs);
    mrs_asrel_free(rel);
    return 0;
}
