/* fuzz_antispoof.c — libFuzzer target for manrs antispoof (src/apps/antispoof/antispoof.c
 * and the acl_*.c printers) on hostile knowledge files: the input is a 9-byte
 * header (customer ASN, local ASN, flags) followed by as-rel text, a NUL byte and
 * RPSL text. Builds the result and checks its invariants (each permit covers
 * exactly its contiguous sources, permits sorted and disjoint, no deny overlaps a
 * permit or IPv6 link-local, no kept source is a bogon), then prints every format,
 * including the Junos comment escaping on hostile IRR source names. Must never
 * crash, leak or trip UBSan. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/antispoof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static void check(const mrs_antispoof *a, const mrs_bogon_set *bs)
{
    for (size_t i = 0; i < a->n_permit; i++) {
        const mrs_as_permit *p = &a->permit[i];
        if (i > 0 && (mrs_prefix_cmp(&a->permit[i - 1].prefix, &p->prefix) >= 0 ||
                      mrs_prefix_covers(&a->permit[i - 1].prefix, &p->prefix)))
            abort();
        for (size_t k = 0; k < p->n; k++)
            if (!mrs_prefix_covers(&p->prefix, &a->src[p->first + k].prefix))
                abort();
        if (i + 1 < a->n_permit && p->first + p->n != a->permit[i + 1].first)
            abort();
        for (size_t j = 0; j < a->n_deny; j++)
            if (mrs_prefix_covers(&a->deny[j].prefix, &p->prefix) || mrs_prefix_covers(&p->prefix, &a->deny[j].prefix))
                abort();
    }
    for (size_t j = 0; j < a->n_deny; j++)
        if (mrs_prefix_covers(&a->deny[j].prefix, &a->link_local6))
            abort();
    for (size_t i = 0; i < a->n_src; i++) {
        mrs_bogon_result br;
        if (a->src[i].kind != MRS_AS_SRC_EXTRA && mrs_bogon_check_prefix(bs, &a->src[i].prefix, &br) != MRS_BOGON_NO)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 9)
        return 0;
    uint32_t cust = get32(data), local = get32(data + 4);
    uint8_t flags = data[8];
    data += 9;
    size -= 9;
    const uint8_t *nul = memchr(data, 0, size);
    size_t n_rel = nul ? (size_t)(nul - data) : size;
    const uint8_t *rpsl = nul ? nul + 1 : data + size;
    size_t n_rpsl = nul ? size - n_rel - 1 : 0;

    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_asrel *rel = mrs_asrel_new();
    irr_db *db = irr_db_new(&d);
    mrs_bogon_set *bs = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    if (!rel || !db || !bs)
        goto out;
    (void)mrs_asrel_load_mem(rel, data, n_rel, "fuzz.asrel", &d);
    (void)irr_db_load_mem(db, rpsl, n_rpsl, "fuzz.db");
    if (irr_db_finalize(db) < 0)
        goto out;
    char subject[32];
    if (flags & 0x10)
        snprintf(subject, sizeof subject, "AS-SET%u", cust % 4);   /* as-set names the RPSL may define */
    else
        snprintf(subject, sizeof subject, "AS%u", cust);
    mrs_antispoof_input in;
    memset(&in, 0, sizeof in);
    in.mode = flags & 1 ? MRS_AS_EDGE_EGRESS : MRS_AS_CUSTOMER_INGRESS;
    in.subject = subject;
    in.local_as = flags & 2 ? local : 0;
    in.asrel = flags & 4 ? NULL : rel;
    in.irr = db;
    in.bogons = bs;
    mrs_antispoof a;
    char err[512];
    if (mrs_antispoof_build(&in, &a, err, sizeof err) == 0) {
        check(&a, bs);
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            mrs_acl_opts o = {NULL, flags & 8 ? "xe-0/0/0.1" : NULL, (size_t)(flags >> 5)};
            for (int f = MRS_ACL_IOS; f <= MRS_ACL_JSON; f++)
                (void)mrs_acl_print(&a, (mrs_acl_format)f, &o, null);
            fclose(null);
        }
        mrs_antispoof_clear(&a);
    }
out:
    mrs_bogon_set_free(bs);
    irr_db_free(db);
    mrs_asrel_free(rel);
    return 0;
}
