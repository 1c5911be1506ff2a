/*
 * fuzz_whois_query.c — libFuzzer target for the whois query engine
 * (src/apps/whoisd/whois_query.c) and the filter range compiler. The input is split at
 * '\n' into query lines answered in one persistent session against a small fixed
 * database (sets with a cycle, route-sets with operators, routes in two sources,
 * IPv6); the answer framing is checked (every IRRd-style answer is "A<n>\n" + n
 * bytes + "C\n", "C\n", "D\n" or "F ...\n", and n matches). The same bytes, read
 * as (prefix, lo, hi) triples, also go through filter_compile. Nothing may crash,
 * leak or trip the sanitizers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/filter.h"
#include "manrs/apps/whoisd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char DB[] =
    "as-set: AS-TOP\nmembers: AS3333, AS-MID, AS1\nsource: TEST\n\n"
    "as-set: AS-MID\nmembers: AS2, AS-TOP, AS64500:AS-X\nsource: TEST\n\n"
    "as-set: AS64500:AS-X\nmembers: AS4200000000\nmbrs-by-ref: ANY\nsource: OTHER\n\n"
    "route-set: RS-ONE\nmembers: 192.0.2.0/24^+, RS-TWO^26-28, AS1^-\nmp-members: 2001:db8::/32^48\nsource: TEST\n\n"
    "route-set: RS-TWO\nmembers: 198.51.100.0/24, RS-ONE\nsource: TEST\n\n"
    "route: 192.0.2.0/24\norigin: AS1\nmnt-by: MNT-A\nsource: TEST\n\n"
    "route: 192.0.2.0/25\norigin: AS1\nsource: TEST\n\n"
    "route: 0.0.0.0/0\norigin: AS2\nsource: OTHER\n\n"
    "route6: 2001:db8::/32\norigin: AS1\nsource: TEST\n\n"
    "route6: ::/0\norigin: AS2\nsource: TEST\n\n"
    "aut-num: AS1\nas-name: X\nmember-of: AS64500:AS-X\nmnt-by: MNT-A\nsource: TEST\n\n"
    "person: P\nnic-hdl: P1-TEST\ne-mail: p@example.net\nsource: TEST\n";

static void check_framing(const char *b, size_t n)
{
    if (!n || b[0] != 'A')
        return;
    char *end;
    unsigned long len = strtoul(b + 1, &end, 10);
    size_t hdr = (size_t)(end - b) + 1;
    if (*end != '\n' || hdr + len + 2 != n || b[hdr + len - 1] != '\n' || memcmp(b + hdr + len, "C\n", 2) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    irr_db *db = irr_db_new(&d);
    if (!db)
        return 0;
    if (irr_db_load_mem(db, DB, sizeof DB - 1, "db") < 0 || irr_db_finalize(db) < 0) {
        irr_db_free(db);
        return 0;
    }
    whois_session s;
    whois_session_init(&s);
    mrs_outbuf out;
    mrs_outbuf_init(&out, NULL);
    const char *p = (const char *)data, *end = p + size;
    while (p < end && !s.quit) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        s.persistent = true;   /* keep going after one-shot answers */
        out.len = 0;
        whois_answer(db, &s, "fuzz", p, n, &out);
        if (n && p[0] == '!')
            check_framing(out.buf, out.len);
        p += n + (nl ? 1 : 0);
    }
    whois_session_clear(&s);
    mrs_outbuf_close(&out);
    irr_db_free(db);

    /* The range compiler on arbitrary ranges. */
    size_t nr = size / 20, cap = nr;
    if (nr > 0 && nr < 4096) {
        filter_range *v = calloc(nr, sizeof *v);
        if (!v)
            return 0;
        for (size_t i = 0; i < nr; i++) {
            const uint8_t *q = data + i * 20;
            v[i].prefix.afi = (q[0] & 1) ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
            unsigned bits = mrs_afi_bits(v[i].prefix.afi);
            v[i].prefix.len = (uint8_t)(q[1] % (bits + 1));
            memcpy(v[i].prefix.addr, q + 4, v[i].prefix.afi == MRS_AFI_IPV6 ? 16 : 4);
            mrs_prefix_mask(&v[i].prefix);
            unsigned lo = v[i].prefix.len + q[2] % (bits - v[i].prefix.len + 1);
            unsigned hi = lo + q[3] % (bits - lo + 1);
            v[i].lo = (uint8_t)lo;
            v[i].hi = (uint8_t)hi;
        }
        (void)filter_compile(&v, &nr, &cap, data[0] & 2);
        free(v);
    }
    return 0;
}
