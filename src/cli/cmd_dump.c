/*
 * cmd_dump.c — `manrs dump [-m|--json] FILE...`: print every route event.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/core/diag.h"
#include "manrs/output/dumpfmt.h"
#include "manrs/feeds/bmp.h"
#include "manrs/feeds/mrt.h"
#include "manrs/feeds/ris_live.h"

static const char DUMP_USAGE[] =
    "usage: manrs dump [-m | --json] [--ris-live | --bmp [--rib RIB]] [-q] FILE...\n"
    "\n"
    "Decode MRT files (RFC 6396: TABLE_DUMP, TABLE_DUMP_V2, BGP4MP, BGP4MP_ET, and the\n"
    "deprecated BGP type; RFC 8050 ADD-PATH), plain or gzip/bzip2/xz/zstd compressed\n"
    "(detected from the data; '-' reads standard input), and print one line per route event.\n"
    "\n"
    "  -m, --machine   bgpdump -m compatible lines (the default)\n"
    "  -j, --json      one JSON object per event (JSON Lines)\n"
    "      --ris-live  the FILEs are RIPE RIS Live JSON lines (ris_message; '-' = stdin),\n"
    "                  decoded by the same BGP decoder (as BGP4MP_ET records)\n"
    "      --bmp       the FILEs are recorded BMP streams (RFC 7854: the bytes one router\n"
    "                  sent a station), decoded as `manrs bmpd` records them\n"
    "      --rib RIB   with --bmp, only this RIB: pre-policy, post-policy, loc-rib,\n"
    "                  out-pre-policy, out-post-policy (default: all)\n"
    "  -q, --quiet     no progress line even on a terminal\n"
    "  -h, --help      this help\n"
    "\n"
    "Damaged input is reported on stderr as 'FILE: offset N: what'; the damaged record is\n"
    "skipped and reading continues. Exit status: 0 clean, 1 if any input was damaged or\n"
    "unreadable, 2 on usage errors.\n";

struct dump_ctx {
    mrs_outbuf out;
    dumpfmt_cache *cache;       /* text shared by the prefixes of one UPDATE */
    bool json;
    const char *file;
};

static void on_event(const mrt_event *ev, void *user)
{
    struct dump_ctx *c = user;
    if (c->json)
        dumpfmt_json(&c->out, ev, c->file);
    else
        dumpfmt_bgpdump_cached(&c->out, c->cache, ev);
}

int cmd_dump(int argc, char **argv)
{
    static const struct option opts[] = {
        {"machine", no_argument, NULL, 'm'}, {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},   {"help", no_argument, NULL, 'h'},
        {"ris-live", no_argument, NULL, 'R'}, {"bmp", no_argument, NULL, 'B'},
        {"rib", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    struct dump_ctx c = {.json = false};
    bool quiet = false, ris = false, bmp = false;
    unsigned ribs = 0;
    bmp_rib rib;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "mjqh", opts, NULL)) != -1) {
        switch (ch) {
        case 'm': c.json = false; break;
        case 'j': c.json = true; break;
        case 'q': quiet = true; break;
        case 'R': ris = true; break;
        case 'B': bmp = true; break;
        case 'r':
            if (!bmp_rib_parse(optarg, &rib)) {
                fprintf(stderr, "manrs dump: --rib %s: not one of pre-policy, post-policy, loc-rib, out-pre-policy, "
                                "out-post-policy\n", optarg);
                return 2;
            }
            ribs |= 1u << rib;
            break;
        case 'h': fputs(DUMP_USAGE, stdout); return 0;
        default: fputs(DUMP_USAGE, stderr); return 2;
        }
    }
    if (ris && bmp) {
        fprintf(stderr, "manrs dump: --ris-live and --bmp exclude each other\n");
        return 2;
    }
    if (ribs && !bmp) {
        fprintf(stderr, "manrs dump: --rib needs --bmp\n");
        return 2;
    }
    if (optind >= argc) {
        fprintf(stderr, "manrs dump: no input file\n\n%s", DUMP_USAGE);
        return 2;
    }
    mrs_diag diag;
    mrs_diag_init(&diag, stderr);
    diag.max_print = 1000;
    mrt_decoder *dec = mrt_decoder_new(&diag);
    c.cache = dumpfmt_cache_new();
    if (!dec || !c.cache) {
        mrt_decoder_free(dec);
        dumpfmt_cache_free(c.cache);
        fprintf(stderr, "manrs dump: out of memory\n");
        return 1;
    }
    mrs_outbuf_init(&c.out, stdout);
    bool progress = !quiet && isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
    for (int i = optind; i < argc; i++) {
        mrt_scan_result res;
        c.file = argv[i];
        dumpfmt_cache_reset(c.cache);
        mrs_outbuf_flush(&c.out);
        if (ris) {
            mrs_ris_live_stats st;
            mrs_ris_live_scan(argv[i], dec, &diag, on_event, &c, &st);
            if (st.malformed)
                fprintf(stderr, "manrs dump: %s: %" PRIu64 " lines, %" PRIu64 " skipped as malformed\n", argv[i],
                        st.lines, st.malformed);
            continue;
        }
        if (bmp) {
            bmp_session_stats st;
            mrs_bmp_scan(argv[i], ribs, dec, &diag, on_event, &c, &st);
            if (st.skipped)
                fprintf(stderr, "manrs dump: %s: %" PRIu64 " BMP messages, %" PRIu64 " skipped as malformed\n",
                        argv[i], st.messages, st.skipped);
            continue;
        }
        mrt_scan_file(argv[i], dec, &diag, progress, on_event, &c, &res);
        if (res.damaged || res.bytes_skipped || res.truncated)
            fprintf(stderr,
                    "manrs dump: %s: %" PRIu64 " records read, %" PRIu64 " damaged records/entries skipped, %" PRIu64
                    " bytes skipped in %" PRIu64 " resynchronisations%s\n",
                    argv[i], res.records, res.damaged, res.bytes_skipped, res.resyncs,
                    res.truncated ? ", input truncated" : "");
    }
    bool ok = mrs_outbuf_close(&c.out);
    mrt_decoder_free(dec);
    dumpfmt_cache_free(c.cache);
    if (!ok)
        return 1; /* main says "write error" */
    return diag.errors ? 1 : 0;
}
