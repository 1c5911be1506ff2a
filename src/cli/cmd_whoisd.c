/*
 * cmd_whoisd.c — `manrs whoisd`: argument parsing for the IRRd-compatible query
 * server (the server itself is src/apps/whoisd/whoisd.c).
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/apps/whoisd.h"

static const char WHOISD_USAGE[] =
    "usage: manrs whoisd --irr FILE [--irr FILE...] [--listen ADDR:PORT] [options]\n"
    "\n"
    "Serve RPSL dumps (plain, gzip, bz2, xz or zstd; each object's source: attribute names\n"
    "its source) over TCP with the IRRd query language used by bgpq4, peval and friends,\n"
    "and RIPE-style flag queries for plain whois clients. One event loop, many clients.\n"
    "\n"
    "  -i, --irr FILE          RPSL dump to serve (repeatable; at least one)\n"
    "  -l, --listen ADDR:PORT  address to listen on (default 127.0.0.1:4343; port 0 = any free)\n"
    "  -S, --irr-sources LIST  source priority order, e.g. RIPE,RADB (default: order first seen)\n"
    "  -o, --sources LIST      the older spelling of --irr-sources\n"
    "  -p, --port-file FILE    write the bound port to FILE once listening (for scripts)\n"
    "  -h, --help              this help\n"
    "\n"
    "Limits (one bad client must not deny the server to the others; BYTES may end in K, M or G):\n"
    "  -t, --idle-timeout SEC  close a client whose last completed query is this old (default 30;\n"
    "                          !t overrides per client); bytes without a query do not count\n"
    "  -T, --line-timeout SEC  close a client whose query line (or first line after connecting) is\n"
    "                          unfinished after SEC (default 10)\n"
    "  -q, --max-query BYTES   longest query line accepted (default 4096; longer: 'F query too long')\n"
    "  -c, --max-clients N     concurrent clients (default 4096; when full, a new client evicts the\n"
    "                          one with the oldest unfinished line, if any)\n"
    "  -a, --max-per-address N concurrent clients per IPv4 address or IPv6 /64 (default 16)\n"
    "  -A, --max-answer BYTES  largest answer to one query (default 64M; larger: 'F Answer too large')\n"
    "  -B, --output-budget BYTES  unsent answers of all clients together (default 256M); when spent,\n"
    "                          a client whose answer does not fit waits until enough is sent\n"
    "  -d, --max-depth N       set nesting levels expanded by !i,1 and !a (default 32, at most 1000;\n"
    "                          deeper: 'F Set ... is nested deeper than N levels')\n"
    "  -z, --max-set-size N    members of one expanded set (default 1000000; more: 'F ...')\n"
    "\n"
    "Queries (one per line; see docs/whoisd.md):\n"
    "  !!  keep the connection open      !n<client>  name the client    !v  version\n"
    "  !s<SRC,...>  select sources       !s-lc  list selected sources   !j-*  serials\n"
    "  !g<AS>  IPv4 prefixes of origin   !6<AS>  IPv6 prefixes of origin\n"
    "  !i<set>  direct members           !i<set>,1  recursive expansion\n"
    "  !a4<set> / !a6<set>  aggregated prefixes of an as-set or route-set\n"
    "  !r<prefix>[,o|,l|,L|,M]  route objects: exact, origins, one/all less, all more specific\n"
    "  !m<class>,<key>  one object       !t<sec>  idle timeout          !q  close\n"
    "  -i origin AS<n>, -k, -K, -T <classes>, -s <sources>, -x/-l/-L/-M <prefix>, <key>: RIPE style\n"
    "Answers: A<len>\\n<data>\\nC\\n, C\\n (nothing found), D\\n (no such key), F <error>\\n.\n"
    "One query per client is answered at a time: the next once the previous answer is sent.\n"
    "\n"
    "Signals: SIGHUP reloads the files (clients stay connected; on a failed load the\n"
    "previous data stays), SIGINT/SIGTERM stop.\n"
    "A file with no objects is reported (FILE: no records); with no objects at all\n"
    "whoisd does not start (a reload keeps the previous data).\n"
    "Exit status: 0 after a clean stop, 1 if the files cannot be loaded or the address\n"
    "not bound, 2 on usage errors.\n";

/* A byte count with an optional K, M or G suffix; 0 when malformed or out of range. */
static size_t parse_bytes(const char *s)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned shift = 0;
    if (end == s || *s == '-')
        return 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift)
        end++;
    if (*end || v == 0 || v > (1ull << 40) >> shift)
        return 0;
    return (size_t)(v << shift);
}

int cmd_whoisd(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"irr", required_argument, NULL, 'i'},          {"listen", required_argument, NULL, 'l'},
        {"sources", required_argument, NULL, 'o'},      {"irr-sources", required_argument, NULL, 'S'},
        {"idle-timeout", required_argument, NULL, 't'}, {"line-timeout", required_argument, NULL, 'T'},
        {"max-query", required_argument, NULL, 'q'},    {"max-clients", required_argument, NULL, 'c'},
        {"max-per-address", required_argument, NULL, 'a'}, {"max-answer", required_argument, NULL, 'A'},
        {"output-budget", required_argument, NULL, 'B'}, {"max-depth", required_argument, NULL, 'd'},
        {"max-set-size", required_argument, NULL, 'z'}, {"port-file", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},               {NULL, 0, NULL, 0}};
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files)
        return 1;
    size_t nf = 0;
    whoisd_opts o;
    memset(&o, 0, sizeof o);
    o.ready_fd = -1;
    const char *port_file = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:l:o:S:t:T:q:c:a:A:B:d:z:p:h", longopts, NULL)) != -1) {
        char *end = NULL;
        long v;
        switch (c) {
        case 'i':
            files[nf++] = optarg;
            break;
        case 'l':
            o.listen = optarg;
            break;
        case 'S':
        case 'o':
            o.source_order = optarg;
            break;
        case 'A':
        case 'B':
            if (!(c == 'A' ? (o.max_output = parse_bytes(optarg)) : (o.output_budget = parse_bytes(optarg)))) {
                fprintf(stderr, "manrs whoisd: bad size '%s'\n", optarg);
                free(files);
                return 2;
            }
            break;
        case 't':
        case 'T':
        case 'q':
        case 'c':
        case 'a':
        case 'd':
        case 'z':
            v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > ((c == 't' || c == 'T') ? 1000000 : c == 'd' ? 1000 : 100000000)) {
                fprintf(stderr, "manrs whoisd: bad number '%s'\n", optarg);
                free(files);
                return 2;
            }
            if (c == 't')
                o.idle_timeout_ms = (unsigned)v * 1000u;
            else if (c == 'T')
                o.line_timeout_ms = (unsigned)v * 1000u;
            else if (c == 'q')
                o.max_query = (size_t)v;
            else if (c == 'c')
                o.max_clients = (size_t)v;
            else if (c == 'a')
                o.max_per_addr = (size_t)v;
            else if (c == 'd')
                o.max_depth = (unsigned)v;
            else
                o.max_set_size = (size_t)v;
            break;
        case 'p':
            port_file = optarg;
            break;
        case 'h':
            fputs(WHOISD_USAGE, stdout);
            free(files);
            return 0;
        default:
            fputs(WHOISD_USAGE, stderr);
            free(files);
            return 2;
        }
    }
    if (optind < argc || nf == 0) {
        fprintf(stderr, "manrs whoisd: %s\n\n", nf ? "unexpected argument" : "no --irr FILE given");
        fputs(WHOISD_USAGE, stderr);
        free(files);
        return 2;
    }
    if (port_file) {
        o.ready_fd = open(port_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (o.ready_fd < 0) {
            perror(port_file);
            free(files);
            return 2;
        }
    }
    o.irr_files = files;
    o.n_irr_files = nf;
    int rc = whoisd_run(&o);
    free(files);
    return rc;
}
