/*
 * cmd_stats.c — `manrs stats FILE...`: decode everything, print counts.
 * This is the parse-only path used to measure decoding speed (bench/dump.sh).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/core/diag.h"
#include "manrs/core/hashset.h"
#include "manrs/feeds/mrt.h"

static const char STATS_USAGE[] =
    "usage: manrs stats [--json] [-q] FILE...\n"
    "\n"
    "Decode every record of the MRT files and print counts: records by type/subtype,\n"
    "collector peers, distinct prefixes (IPv4/IPv6), RIB entries, announcements,\n"
    "withdrawals, state changes, distinct origin ASes, and what was skipped as damaged.\n"
    "\n"
    "  -j, --json    print the counts as one JSON object\n"
    "  -q, --quiet   no progress line even on a terminal\n"
    "  -h, --help    this help\n"
    "\n"
    "Exit status: 0 clean, 1 if any input was damaged or unreadable, 2 on usage errors.\n";

struct stats_ctx {
    mrs_set64 pfx4, origins;
    mrs_set192 pfx6, peers;
    /* consecutive events mostly share peer (updates) or prefix (RIB records) */
    mrs_key192 last_peer, last_pfx6;
    uint64_t last_pfx4, last_origin;
    bool have_peer, have_pfx4, have_pfx6, have_origin;
    mrs_set64_ring pfx4_ring, origin_ring;
    uint64_t as_set_origins;
};

static void on_event(const mrt_event *ev, void *user)
{
    struct stats_ctx *c = user;
    if (ev->kind == MRT_EV_STATE)
        return;
    mrs_key192 pk = {0, 0, 0};
    memcpy(&pk.a, ev->peer.ip, 8);
    memcpy(&pk.b, ev->peer.ip + 8, 8);
    pk.c = (uint64_t)ev->peer.asn | (uint64_t)ev->peer.afi << 32;
    if (!c->have_peer || memcmp(&pk, &c->last_peer, sizeof pk)) {
        mrs_set192_add(&c->peers, pk);
        c->last_peer = pk;
        c->have_peer = true;
    }
    const mrs_prefix *p = &ev->prefix.pfx;
    if (p->afi == MRS_AFI_IPV4) {
        uint64_t k = (uint64_t)mrs_get32(p->addr) << 8 | p->len;
        if (!c->have_pfx4 || k != c->last_pfx4) {
            mrs_set64_push(&c->pfx4_ring, k);
            c->last_pfx4 = k;
            c->have_pfx4 = true;
        }
    } else {
        mrs_key192 k;
        memcpy(&k.a, p->addr, 8);
        memcpy(&k.b, p->addr + 8, 8);
        k.c = p->len;
        if (!c->have_pfx6 || memcmp(&k, &c->last_pfx6, sizeof k)) {
            mrs_set192_add(&c->pfx6, k);
            c->last_pfx6 = k;
            c->have_pfx6 = true;
        }
    }
    if (ev->attrs && ev->attrs->path) {
        uint32_t origin;
        if (bgp_path_origin(ev->attrs->path, ev->attrs->path_len, &origin)) {
            if (!c->have_origin || origin != c->last_origin) {
                mrs_set64_push(&c->origin_ring, origin);
                c->last_origin = origin;
                c->have_origin = true;
            }
        } else {
            c->as_set_origins++;
        }
    }
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, quiet = false;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "jqh", opts, NULL)) != -1) {
        switch (ch) {
        case 'j': json = true; break;
        case 'q': quiet = true; break;
        case 'h': fputs(STATS_USAGE, stdout); return 0;
        default: fputs(STATS_USAGE, stderr); return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "manrs stats: no input file\n\n%s", STATS_USAGE);
        return 2;
    }
    mrs_diag diag;
    mrs_diag_init(&diag, stderr);
    diag.max_print = 1000;
    mrt_decoder *dec = mrt_decoder_new(&diag);
    struct stats_ctx c;
    memset(&c, 0, sizeof c);
    mrs_set64_init(&c.pfx4);
    mrs_set64_init(&c.origins);
    mrs_set192_init(&c.pfx6);
    mrs_set192_init(&c.peers);
    mrs_set64_ring_init(&c.pfx4_ring, &c.pfx4);
    mrs_set64_ring_init(&c.origin_ring, &c.origins);
    uint64_t records = 0, damaged = 0, skipped = 0, resyncs = 0, truncated = 0, files_failed = 0;
    bool progress = !quiet && isatty(STDERR_FILENO);
    for (int i = optind; i < argc; i++) {
        mrt_scan_result res;
        if (!mrt_scan_file(argv[i], dec, &diag, progress, on_event, &c, &res))
            files_failed++;
        records += res.records;
        damaged += res.damaged;
        skipped += res.bytes_skipped;
        resyncs += res.resyncs;
        truncated += res.truncated;
    }
    mrs_set64_flush(&c.pfx4_ring);
    mrs_set64_flush(&c.origin_ring);
    const mrt_decoder_stats *s = mrt_decoder_get_stats(dec);
    if (json) {
        printf("{\"files\":%d,\"files_unreadable\":%" PRIu64 ",\"records\":%" PRIu64 ",\"records_by_type\":{", argc - optind,
               files_failed, records);
        bool first = true;
        for (unsigned t = 0; t < 64; t++) {
            if (!s->records_by_type[t])
                continue;
            printf("%s\"%s\":{\"total\":%" PRIu64, first ? "" : ",", t == 63 ? "other" : mrt_type_name((uint16_t)t),
                   s->records_by_type[t]);
            for (unsigned st = 0; st < 16; st++)
                if (s->records_by_subtype[t][st])
                    printf(",\"%s\":%" PRIu64, st == 15 ? "other" : mrt_subtype_name((uint16_t)t, (uint16_t)st),
                           s->records_by_subtype[t][st]);
            printf("}");
            first = false;
        }
        printf("},\"peers\":%zu,\"prefixes_ipv4\":%zu,\"prefixes_ipv6\":%zu,\"rib_entries\":%" PRIu64
               ",\"announcements\":%" PRIu64 ",\"withdrawals\":%" PRIu64 ",\"state_changes\":%" PRIu64
               ",\"other_messages\":%" PRIu64 ",\"origins\":%zu,\"as_set_origins\":%" PRIu64
               ",\"records_unsupported\":%" PRIu64 ",\"records_unknown\":%" PRIu64 ",\"cut_by_collector\":%" PRIu64
               ",\"damaged_skipped\":%" PRIu64
               ",\"bytes_skipped\":%" PRIu64 ",\"resyncs\":%" PRIu64 ",\"truncated_files\":%" PRIu64
               ",\"errors\":%" PRIu64 ",\"warnings\":%" PRIu64 "}\n",
               c.peers.count, c.pfx4.count, c.pfx6.count, s->rib_entries, s->announcements, s->withdrawals,
               s->state_changes, s->messages_other, c.origins.count, c.as_set_origins, s->records_unsupported,
               s->records_unknown, s->records_cut, damaged, skipped, resyncs, truncated, diag.errors, diag.warnings);
    } else {
        printf("files                 %d%s\n", argc - optind, files_failed ? " (some unreadable)" : "");
        printf("records               %" PRIu64 "\n", records);
        for (unsigned t = 0; t < 64; t++)
            if (s->records_by_type[t]) {
                printf("  %-19s %" PRIu64 "\n", t == 63 ? "other" : mrt_type_name((uint16_t)t),
                       s->records_by_type[t]);
                for (unsigned st = 0; st < 16; st++)
                    if (s->records_by_subtype[t][st])
                        printf("    %-27s %" PRIu64 "\n", st == 15 ? "other" : mrt_subtype_name((uint16_t)t, (uint16_t)st),
                               s->records_by_subtype[t][st]);
            }
        printf("peers                 %zu\n", c.peers.count);
        printf("prefixes IPv4         %zu\n", c.pfx4.count);
        printf("prefixes IPv6         %zu\n", c.pfx6.count);
        printf("RIB entries           %" PRIu64 "\n", s->rib_entries);
        printf("announcements         %" PRIu64 "\n", s->announcements);
        printf("withdrawals           %" PRIu64 "\n", s->withdrawals);
        printf("state changes         %" PRIu64 "\n", s->state_changes);
        printf("other BGP messages    %" PRIu64 "\n", s->messages_other);
        printf("origin ASes           %zu (+%" PRIu64 " routes with an AS_SET origin)\n", c.origins.count,
               c.as_set_origins);
        printf("not decoded           %" PRIu64 " unsupported, %" PRIu64 " unknown records\n", s->records_unsupported,
               s->records_unknown);
        if (s->records_cut)
            printf("cut by the collector  %" PRIu64 " BGP messages at 4 096 bytes (old MRT writers), skipped\n",
                   s->records_cut);
        printf("damaged, skipped      %" PRIu64 " records/entries, %" PRIu64 " bytes in %" PRIu64
               " resyncs, %" PRIu64 " truncated files\n",
               damaged, skipped, resyncs, truncated);
        printf("errors / warnings     %" PRIu64 " / %" PRIu64 "\n", diag.errors, diag.warnings);
    }
    bool oom = c.pfx4.oom || c.origins.oom || c.pfx6.oom || c.peers.oom;
    if (oom)
        fprintf(stderr, "manrs stats: out of memory: the distinct peer, prefix and origin counts are too low\n");
    mrs_set64_clear(&c.pfx4);
    mrs_set64_clear(&c.origins);
    mrs_set192_clear(&c.pfx6);
    mrs_set192_clear(&c.peers);
    mrt_decoder_free(dec);
    return diag.errors || oom ? 1 : 0;
}
