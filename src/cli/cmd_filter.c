/*
 * cmd_filter.c — `manrs filter`: prefix-list and AS-path filter generation from
 * RPSL dumps, bgpq4-compatible flags where they overlap. The generator is
 * src/apps/filter/filter.c (neutral list) + one printer per format (filter_<fmt>.c).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/apps/filter.h"
#include "manrs/kb/irr.h"
#include "manrs/kb/kbs.h"
#include "manrs/routes/seen.h"
#include "manrs/kb/rpki.h"

static const char FILTER_USAGE[] =
    "usage: manrs filter --irr FILE [--irr FILE...] [options] OBJECT...\n"
    "\n"
    "Generate a prefix filter (default) or an AS-path filter from RPSL dumps (read\n"
    "directly, no server), for the OBJECTs: AS numbers, as-sets, route-sets, prefixes.\n"
    "Flags follow bgpq4 where they overlap.\n"
    "\n"
    "Input:\n"
    "  --irr FILE         RPSL dump (plain/gz/bz2/xz/zst), repeatable; required\n"
    "  -S, --irr-sources SOURCES  use only these sources, in this priority order (e.g. RIPE,RADB)\n"
    "  -L DEPTH           limit as-set/route-set nesting (default 32)\n"
    "What:\n"
    "  -4 / -6            IPv4 (default) / IPv6 prefix list\n"
    "  -f ASN             AS-path filter for routes received from peer ASN (its customers' ASNs)\n"
    "  -G ASN             AS-path filter for routes sent (paths ending in the listed ASNs)\n"
    "  -t                 the ASN list itself (json, bird, openbgpd, plain)\n"
    "Prefix list shaping:\n"
    "  -A                 aggregate (exact: accepts the same prefixes, in fewer lines)\n"
    "  -m LEN             drop prefixes longer than LEN\n"
    "  -R LEN             also accept more specifics up to length LEN\n"
    "  -p                 keep private-use, reserved and documentation ASNs (64496-65551,\n"
    "                     4200000000-4294967295) and their prefixes (left out by default, as bgpq4)\n"
    "  -l NAME            name of the generated list (default NN)\n"
    "Beyond bgpq4:\n"
    "  --rpki VRPS        drop (prefix, origin) pairs that are RPKI-invalid (RFC 6811); listed on stderr\n"
    "  --no-bogons        drop bogon prefixes (RFC 6890 registries) and bogon ASNs\n"
    "  --rib MRT          note on stderr the entries no route in these MRT files falls in (repeatable)\n"
    "Output:\n"
    "  --format NAME      output format, or its bgpq4 letter, one of:\n"
    "    cisco (default)  iosxr (-X)  junos (-J)  eos (-e)  bird (-b)  openbgpd (-B)\n"
    "    frr  sros (-n, Nokia SR OS MD-CLI)  routeros (-K7, RouterOS 7)  json (-j)  plain\n"
    "Other:\n"
    "  --help             this help (also -h as the only argument)\n"
    "  -h HOST            refused: no server is queried (bgpq4 -h can query manrs whoisd)\n"
    "  -N                 refused: Nokia SR OS classic CLI is not supported, use -n (MD-CLI)\n"
    "\n"
    "Exit status: 0 ok, 1 unknown object / unreadable input / format cannot express\n"
    "the list / damaged or empty input (the list is still printed, from the rest, as\n"
    "validate does), 2 usage errors.\n";

/* Entries of l that no seen prefix falls in (prefix covered, length in lo..hi). */
static size_t rib_check(const filter_list *l, mrs_seen *s, const char *ribs)
{
    size_t unseen = 0;
    for (size_t i = 0; i < l->n; i++) {
        const filter_range *r = &l->v[i];
        if (!mrs_seen_covered(s, &r->prefix, r->lo, r->hi)) {
            char ps[MRS_PREFIX_STRLEN];
            mrs_prefix_format(&r->prefix, ps);
            if (r->lo == r->prefix.len && r->hi == r->prefix.len)
                fprintf(stderr, "manrs filter: note: %s registered but not seen in %s\n", ps, ribs);
            else
                fprintf(stderr, "manrs filter: note: %s (lengths %u-%u) registered but not seen in %s\n", ps,
                        r->lo, r->hi, ribs);
            unseen++;
        }
    }
    return unseen;
}

static bool parse_uint(const char *s, unsigned max, unsigned *v)
{
    char *end;
    unsigned long x = strtoul(s, &end, 10);
    if (!*s || *end || x > max)
        return false;
    *v = (unsigned)x;
    return true;
}

int cmd_filter(int argc, char **argv)
{
    enum { O_IRR = 1000, O_FORMAT, O_RPKI, O_NO_BOGONS, O_RIB, O_HELP };
    static const struct option longopts[] = {
        {"irr", required_argument, NULL, O_IRR},        {"format", required_argument, NULL, O_FORMAT},
        {"irr-sources", required_argument, NULL, 'S'},
        {"rpki", required_argument, NULL, O_RPKI},      {"no-bogons", no_argument, NULL, O_NO_BOGONS},
        {"rib", required_argument, NULL, O_RIB},        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    const char **irr = calloc((size_t)argc + 1, sizeof *irr);
    const char **ribs = calloc((size_t)argc + 1, sizeof *ribs);
    if (!irr || !ribs) {
        free(irr);
        free(ribs);
        return 1;
    }
    size_t n_irr = 0, n_rib = 0;
    filter_opts fo;
    memset(&fo, 0, sizeof fo);
    fo.kind = FILTER_PREFIX;
    fo.afi = MRS_AFI_IPV4;
    fo.warn = stderr;
    const char *format = "cisco", *sources = NULL, *rpki_file = NULL;
    unsigned v;
    int rc = 2, c;
    mrs_kbs kb;
    mrs_kbs_init(&kb);
    filter_list fl = {0};
    mrs_seen *seen = NULL;
    mrs_outbuf out = {0};
    mrs_diag diag;
    mrs_diag_init(&diag, stderr);
    diag.max_print = 10;   /* set cycles of big real as-sets: a few lines, then counted */
    optind = 1;
    while ((c = getopt_long(argc, argv, "46Am:R:l:f:G:tS:L:pbJXjeBnK:Nh", longopts, NULL)) != -1) {
        switch (c) {
        case '4':
            fo.afi = MRS_AFI_IPV4;
            break;
        case '6':
            fo.afi = MRS_AFI_IPV6;
            break;
        case 'A':
            fo.aggregate = true;
            break;
        case 'm':
        case 'R':
        case 'L':
            if (!parse_uint(optarg, c == 'L' ? 1000 : 128, &v)) {
                fprintf(stderr, "manrs filter: -%c: bad number '%s'\n", c, optarg);
                goto out;
            }
            if (c == 'm')
                fo.max_len = v;
            else if (c == 'R')
                fo.more_specific_to = v;
            else
                fo.max_depth = v;
            break;
        case 'l':
            fo.name = optarg;
            break;
        case 'f':
        case 'G':
            if (!mrs_asn_parse(optarg, strlen(optarg), &fo.peer_asn)) {
                fprintf(stderr, "manrs filter: -%c: bad AS number '%s'\n", c, optarg);
                goto out;
            }
            fo.kind = c == 'f' ? FILTER_ASPATH_IN : FILTER_ASPATH_OUT;
            break;
        case 't':
            fo.kind = FILTER_ASLIST;
            break;
        case 'S':
            sources = optarg;
            break;
        case 'p':
            fo.allow_private = true;
            break;
        case 'b':
            format = "bird";
            break;
        case 'J':
            format = "junos";
            break;
        case 'X':
            format = "iosxr";
            break;
        case 'j':
            format = "json";
            break;
        case 'e':
            format = "eos";
            break;
        case 'B':
            format = "openbgpd";
            break;
        case 'n':
            format = "sros";
            break;
        case 'K':
            if (strcmp(optarg, "7") != 0) {
                fprintf(stderr, "manrs filter: only RouterOS 7 (-K7) is supported\n");
                goto out;
            }
            format = "routeros";
            break;
        case 'N':
            fprintf(stderr, "manrs filter: Nokia SR OS classic CLI (-N) is not supported; use -n (MD-CLI)\n");
            goto out;
        case 'h':
            if (argc == 2) { /* `manrs filter -h` alone: the help, as for every command */
                fputs(FILTER_USAGE, stdout);
                rc = 0;
                goto out;
            }
            fprintf(stderr, "manrs filter: -h: manrs filter reads RPSL files (--irr FILE), it queries no server;\n"
                            "  to query a server use bgpq4 -h, e.g. against manrs whoisd. --help for usage.\n");
            goto out;
        case O_IRR:
            irr[n_irr++] = optarg;
            break;
        case O_FORMAT:
            format = optarg;
            break;
        case O_RPKI:
            rpki_file = optarg;
            break;
        case O_NO_BOGONS:
            fo.no_bogons = true;
            break;
        case O_RIB:
            ribs[n_rib++] = optarg;
            break;
        case O_HELP:
            fputs(FILTER_USAGE, stdout);
            rc = 0;
            goto out;
        default:
            fputs(FILTER_USAGE, stderr);
            goto out;
        }
    }
    const filter_printer *pr = filter_printer_find(format);
    if (!pr) {
        fprintf(stderr, "manrs filter: unknown format '%s'; one of:", format);
        for (const filter_printer *const *p = filter_printers(); *p; p++)
            fprintf(stderr, " %s", (*p)->name);
        fputc('\n', stderr);
        goto out;
    }
    if (!n_irr || optind >= argc) {
        fprintf(stderr, "manrs filter: %s\n\n", n_irr ? "no OBJECT given" : "no --irr FILE given");
        fputs(FILTER_USAGE, stderr);
        goto out;
    }
    rc = 1;
    if (rpki_file && mrs_kbs_load(&kb, MRS_KB_VRPS, rpki_file, &diag, NULL) < 0) {
        fprintf(stderr, "manrs filter: --rpki %s: could not load VRPs\n", rpki_file);
        goto out;
    }
    for (size_t i = 0; i < n_irr; i++)
        if (mrs_kbs_load(&kb, MRS_KB_IRR, irr[i], &diag, NULL) < 0)
            goto out;
    switch (mrs_kbs_finish(&kb, sources)) {
    case MRS_KBS_OK: break;
    case MRS_KBS_VRP_INDEX:
        fprintf(stderr, "manrs filter: --rpki %s: could not load VRPs\n", rpki_file);
        goto out;
    case MRS_KBS_UNKNOWN_SOURCE:
        fprintf(stderr, "manrs filter: -S %s: unknown source; loaded sources:", sources);
        for (unsigned i = 0; i < irr_db_source_count(kb.irr); i++)
            fprintf(stderr, " %s", irr_db_source_name(kb.irr, i));
        fputc('\n', stderr);
        goto out;
    default: goto out;
    }
    uint64_t input_errors = diag.errors; /* damaged records, empty files: exit 1 */
    fo.rpki = kb.rpki;
    irr_db *db = kb.irr;
    if (sources) {
        fo.sel = kb.irr_sel;
        fo.sources_text = sources;
    }
    char err[600];
    filter_stats st;
    if (filter_build(db, &fo, (const char *const *)argv + optind, (size_t)(argc - optind), &fl, &st, err,
                     sizeof err) < 0) {
        fprintf(stderr, "manrs filter: %s\n", err);
        goto out;
    }
    if (st.dropped_private)
        fprintf(stderr, "manrs filter: note: %s%zu private-use or reserved ASN%s (64496-65551, "
                        "4200000000-4294967295) left out; -p keeps them\n",
                fl.kind == FILTER_PREFIX ? "the prefixes of " : "", st.dropped_private,
                st.dropped_private == 1 ? "" : "s");
    if (n_rib && fl.kind == FILTER_PREFIX) {
        mrs_seen_filter every = {NULL, 0, true};   /* any origin, AS_SET origins too */
        if (!(seen = mrs_seen_new()))
            goto out;
        for (size_t i = 0; i < n_rib; i++)
            if (mrs_seen_scan_mrt(seen, ribs[i], &every, &diag) != 0)
                goto out;
        size_t unseen = rib_check(&fl, seen, n_rib == 1 ? ribs[0] : "the RIB files");
        fprintf(stderr, "manrs filter: %zu of %zu entries not seen in the RIB\n", unseen, fl.n);
    }
    mrs_outbuf_init(&out, stdout);
    if (pr->print(&fl, fo.aggregate, &out, err, sizeof err) < 0) {
        fprintf(stderr, "manrs filter: %s: %s\n", pr->name, err);
        out.len = 0;
        mrs_outbuf_close(&out);
        goto out;
    }
    if (fl.kind == FILTER_PREFIX && !fl.n)
        fprintf(stderr, "manrs filter: warning: the generated list %s is empty\n", fl.name);
    rc = mrs_outbuf_close(&out) ? 0 : 1;
    if (input_errors) {
        fprintf(stderr, "manrs filter: %" PRIu64 " input error%s (damaged records skipped or empty files)\n",
                input_errors, input_errors == 1 ? "" : "s");
        rc = 1;
    }
out:
    filter_list_clear(&fl);
    mrs_kbs_clear(&kb);
    mrs_seen_free(seen);
    free(irr);
    free(ribs);
    return rc;
}
