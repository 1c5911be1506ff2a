/*
 * fuzz_rpsl.c — libFuzzer target for the IRR code: the input bytes are an RPSL
 * dump (through mrs_reader_open_mem, so compressed inputs reach the
 * decompressors too). It is loaded into an irr_db, finalized, and a few queries
 * run on names and prefixes taken from the loaded data: as-set and route-set
 * expansion (with a small depth limit so that deep chains are cut), and the
 * route-origin check. Nothing may crash, leak or trip the sanitizers.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "manrs/kb/irr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_reader *r = mrs_reader_open_mem(data, size, "fuzz.db");
    if (!r)
        return 0;
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    irr_db *db = irr_db_new(&d);
    if (!db) {
        mrs_reader_close(r);
        return 0;
    }
    (void)irr_db_set_source_order(db, "RIPE, RADB");
    (void)irr_db_load_reader(db, r);
    mrs_reader_close(r);
    if (irr_db_finalize(db) == 0) {
        irr_asn_list al = {0};
        irr_range_list rl = {0};
        irr_origin_result res = {0};
        irr_expand_opts o = {.max_depth = 8};
        static const char *const as_names[] = {"AS-FOO", "AS-A", "AS1:AS-X", "AS64500"};
        static const char *const rs_names[] = {"RS-FOO", "RS-A", "AS1:RS-X"};
        for (size_t i = 0; i < sizeof as_names / sizeof *as_names; i++)
            (void)irr_expand_as_set(db, as_names[i], &o, &al);
        for (size_t i = 0; i < sizeof rs_names / sizeof *rs_names; i++)
            (void)irr_expand_route_set(db, rs_names[i], &o, &rl);
        /* Names found in the input itself: the first few as-set / route-set keys. */
        const char *s = (const char *)data;
        for (size_t i = 0, tries = 0; i + 8 < size && tries < 4; i++) {
            int as = memcmp(s + i, "as-set:", 7) == 0, rs = i + 10 < size && memcmp(s + i, "route-set:", 10) == 0;
            if (!as && !rs)
                continue;
            size_t j = i + (as ? 7 : 10);
            while (j < size && (s[j] == ' ' || s[j] == '\t'))
                j++;
            char name[64];
            size_t k = 0;
            while (j < size && k < sizeof name - 1 && s[j] > ' ' && s[j] != '#')
                name[k++] = s[j++];
            name[k] = '\0';
            if (as)
                (void)irr_expand_as_set(db, name, &o, &al);
            else
                (void)irr_expand_route_set(db, name, &o, &rl);
            tries++;
        }
        static const char *const pfx[] = {"192.0.2.0/24", "10.0.0.0/8", "0.0.0.0/0", "2001:db8::/32", "::/0"};
        for (size_t i = 0; i < sizeof pfx / sizeof *pfx; i++) {
            mrs_prefix p;
            if (mrs_prefix_parse(pfx[i], strlen(pfx[i]), &p, true))
                (void)irr_check_origin(db, &p, 64500, NULL, &res);
        }
        for (size_t i = 0; i < irr_db_aut_num_count(db) && i < 4; i++)
            (void)irr_db_aut_num(db, irr_db_aut_num_at(db, i)->asn, NULL);
        irr_asn_list_clear(&al);
        irr_range_list_clear(&rl);
        irr_origin_result_clear(&res);
    }
    irr_db_free(db);
    return 0;
}
