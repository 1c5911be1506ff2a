/* fuzz_rtr_pdu.c — libFuzzer target for the RTR PDU parser (src/kb/rpki/rtr_pdu.c):
 * the input is a byte stream as a router or a cache would send it, parsed PDU by
 * PDU as the server and the client do (stop at the first malformed one, or when
 * more bytes are needed); every parsed PDU is encoded again where an encoder
 * exists and must parse to the same fields. Must never crash, leak or trip UBSan. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/kb/rtr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void again(const mrs_rtr_pdu *p)
{
    uint8_t b[MRS_RTR_MAX_FIXED];
    size_t n = 0;
    switch (p->type) {
    case MRS_RTR_SERIAL_QUERY: n = mrs_rtr_serial_query(b, p->version, p->session, p->serial); break;
    case MRS_RTR_SERIAL_NOTIFY: n = mrs_rtr_serial_notify(b, p->version, p->session, p->serial); break;
    case MRS_RTR_IPV4_PREFIX:
    case MRS_RTR_IPV6_PREFIX: n = mrs_rtr_prefix(b, p->version, p->flags, &p->prefix, p->maxlen, p->asn); break;
    case MRS_RTR_END_OF_DATA:
        n = mrs_rtr_end_of_data(b, p->version, p->session, p->serial, p->refresh, p->retry, p->expire);
        break;
    default: return;
    }
    mrs_rtr_pdu q;
    mrs_rtr_fault f;
    if (mrs_rtr_parse(b, n, 65536, &q, &f) != 1 || q.type != p->type || q.length != n || q.asn != p->asn ||
        q.serial != p->serial)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t pos = 0;
    while (pos < size) {
        mrs_rtr_pdu p;
        mrs_rtr_fault f;
        int r = mrs_rtr_parse(data + pos, size - pos, 65536, &p, &f);
        if (r <= 0)
            break;
        if (p.version <= MRS_RTR_MAX_VERSION)
            again(&p);
        if (p.type == MRS_RTR_ASPA) {
            uint32_t sum = 0;
            for (uint16_t i = 0; i < p.n_providers; i++)
                sum += p.providers[4 * (size_t)i + 3];
            (void)sum;
        }
        if (p.type == MRS_RTR_ERROR_REPORT && p.err_text_len) {
            volatile uint8_t x = p.err_text[p.err_text_len - 1];
            (void)x;
        }
        pos += p.length;
    }
    return 0;
}
