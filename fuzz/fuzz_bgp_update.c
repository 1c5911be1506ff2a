/*
 * fuzz_bgp_update.c — libFuzzer target: the BGP UPDATE decoder (shared by MRT and
 * BMP) on arbitrary bytes. The first byte picks the decoding options; every NLRI
 * run, attribute and AS path walk is exercised.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "manrs/feeds/bgp.h"
#include "manrs/output/dumpfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bgp_decoder *dec;
    static bgp_update u;
    if (!dec)
        dec = malloc(sizeof *dec);
    if (!dec || size < 1)
        return 0;
    bgp_decode_opts o = {(data[0] & 1) ? 4 : 2, (data[0] & 2) != 0, (data[0] & 4) != 0, (data[0] & 8) != 0};
    /* the buffer is copied so that reads past the end are caught by ASan */
    uint8_t *buf = malloc(size - 1 ? size - 1 : 1);
    if (!buf)
        return 0;
    for (size_t i = 1; i < size; i++)
        buf[i - 1] = data[i];
    bgp_update_decode(dec, buf, (uint32_t)(size - 1), &o, 0, &u);
    bgp_prefix p;
    uint32_t off = 0;
    while (bgp_nlri_next(&u.withdrawn, &off, &p) == 1)
        ;
    off = 0;
    while (bgp_nlri_next(&u.nlri, &off, &p) == 1)
        ;
    for (unsigned i = 0; i < u.attrs.n_mp_reach; i++) {
        off = 0;
        while (bgp_nlri_next(&u.attrs.mp_reach[i].nlri, &off, &p) == 1)
            ;
    }
    for (unsigned i = 0; i < u.attrs.n_mp_unreach; i++) {
        off = 0;
        while (bgp_nlri_next(&u.attrs.mp_unreach[i], &off, &p) == 1)
            ;
    }
    mrs_outbuf ob;
    mrs_outbuf_init(&ob, NULL);
    dumpfmt_aspath(&ob, &u.attrs);
    uint32_t origin;
    if (u.attrs.path)
        bgp_path_origin(u.attrs.path, u.attrs.path_len, &origin);
    mrs_outbuf_close(&ob);
    free(buf);
    return 0;
}
