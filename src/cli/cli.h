/* cli.h — the subcommand table shared by main.c and the cmd_*.c files. */
#ifndef MANRS_CLI_H
#define MANRS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mrs_command {
    const char *name;
    int (*fn)(int argc, char **argv); /* argv[0] is the subcommand name */
    const char *summary;
};


/* A decimal number in [lo, hi] (an option's value). False if s is not one. */
bool cli_parse_uint(const char *s, long lo, long hi, unsigned *out);
/* --min-peers N (1..100000: "announced" = seen by at least N collector peers); false
 * after saying "manrs CMD: --min-peers: bad count 'ARG'". */
bool cli_min_peers(const char *cmd, const char *arg, unsigned *out);

/* A moment in time as every command accepts it: Unix seconds or ISO 8601 in UTC
 * (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]). False if it is neither. */
bool cli_parse_time(const char *s, uint32_t *out);
#define CLI_TIME_HELP "Unix seconds or ISO 8601 (2025-12-01, 2025-12-01T12:00:00Z)"

/* The observatory's input options (observe, check): option letters r u v i a d p
 * s o l w 6 P of the commands' struct option tables. Returns 1 if ch was one of them
 * (applied), 0 if not, -1 after printing why it failed. */
struct mrs_obs_inputs;
int cli_obs_input_option(const char *cmd, int ch, const char *arg, struct mrs_obs_inputs *in);
#define CLI_OBS_INPUT_HELP                                                                                             \
    "  --world DIR        every file `manrs sim` wrote into DIR (and --asrel-ipv6)\n"                                \
    "  --rib FILE         MRT RIB dump: the baseline when dumped before the first update\n"                           \
    "  --updates FILE     MRT updates (any number; read in time order, whatever the order given)\n"                \
    "  --ris-live FILE    RIPE RIS Live JSON lines (ris_message; '-' = stdin): updates too\n"                     \
    "  --vrps FILE        VRPs (rpki-client, Routinator, StayRTR JSON or CSV)\n"                                     \
    "  --rtr HOST:PORT    VRPs and ASPAs fetched from an RTR cache (RFC 6810, 8210, 8210bis)\n"                    \
    "  --irr FILE         RPSL dump (route objects, aut-nums, contacts)\n"                                           \
    "  --asrel FILE       CAIDA AS relationships (serial-1 or serial-2)\n"                                           \
    "  --delegated FILE   RIR delegated-extended statistics (countries, allocations)\n"                              \
    "  --peeringdb FILE   PeeringDB networks (API /net?depth=2 JSON): contacts; /ixpfx,\n"                          \
    "                     /ixlan, /ix?depth=2 JSON: IXP peering LANs (never hijacks)\n"                           \
    "  --spoofer FILE     CAIDA Spoofer results (CSV): anti-spoofing evidence\n"                                     \
    "  --as2org FILE      CAIDA AS-to-Organization (pipe or JSON Lines): siblings are one network\n"             \
    "  --beacons FILE     routing beacons, 'prefix [origin]' per line, beyond the built-in RIS list\n"         \
    "  --files-from F     MRT files listed in F ('-': stdin), one per line; RIB or updates by content\n"        \
    "                     FILE: a file, a directory (every file in it) or a quoted pattern (*.gz)\n"            \
    "  --asrel-ipv6       apply the as-rel checks to IPv6 routes too (default IPv4 only)\n"                         \
    "  --strict-period    an input more than six months from the routing data is an error\n"

/* getopt_long over a command's option table (opts, shortopts) with the input options
 * above applied on the way: the commands' one option loop.
 *
 *     cli_getopt g = {.cmd = "check", .shortopts = "jh", .opts = opts, .in = &in};
 *     optind = 1;
 *     while ((ch = cli_next_option(&g, argc, argv)) != -1)
 *         switch (ch) { case CLI_OPT_FAILED: rc = 1; goto out; ... }
 *
 * Returns the next option that is not an input option (as getopt_long), -1 at the
 * end, CLI_OPT_FAILED after an input option failed (cli_obs_input_option said why).
 * g->world is the last --world DIR, g->n_inputs the input options given. */
struct option;
typedef struct cli_getopt {
    const char *cmd, *shortopts;
    const struct option *opts;
    struct mrs_obs_inputs *in;
    const char *world;
    unsigned n_inputs;
} cli_getopt;
#define CLI_OPT_FAILED (-2)
int cli_next_option(cli_getopt *g, int argc, char **argv);

/* --min-peers N for the observatory's run (cfg->score.min_peers, kept as given:
 * cfg->min_peers_set); false after cli_min_peers said why. */
struct mrs_obs_cfg;
bool cli_obs_min_peers(const char *cmd, const char *arg, struct mrs_obs_cfg *cfg);

/* An option's value among names (NULL-terminated): its index, or -1 after saying
 * "manrs CMD: OPT: 'ARG' is not a, b or c". */
int cli_choice(const char *cmd, const char *opt, const char *arg, const char *const *names);

/* The knowledge and MRT diagnostics of a run (kd, md), on stderr, each printing
 * at most max_print lines. */
struct mrs_diag;
void cli_diags(struct mrs_diag *kd, struct mrs_diag *md, unsigned max_print);

/* mrs_obs_load of in into b, diagnostics into cli_diags(kd, md, 20); true if every
 * input was used, else false after saying why ("manrs CMD: ..."). b is to be
 * cleared either way. */
struct mrs_obs_bundle;
bool cli_obs_load(const char *cmd, const struct mrs_obs_inputs *in, struct mrs_diag *kd, struct mrs_diag *md,
                  struct mrs_obs_bundle *b);

/* After a printer failed: "manrs CMD: cannot write the output", unless stdout's
 * error flag is set (main then says "write error"). */
void cli_write_failed(const char *cmd);

/* A simulated world's route-server RIB (sim.h, rs.mrt.gz) in buf when world names a
 * directory that has one, else NULL. */
const char *cli_world_rs_rib(const char *world, char *buf, size_t cap);

/* The struct option entries of those input options, for a command's table. */
#define CLI_OBS_INPUT_OPTIONS                                                                                          \
    {"rib", required_argument, NULL, 'r'}, {"updates", required_argument, NULL, 'u'},                                \
        {"vrps", required_argument, NULL, 'v'}, {"irr", required_argument, NULL, 'i'},                               \
        {"asrel", required_argument, NULL, 'a'}, {"delegated", required_argument, NULL, 'd'},                        \
        {"peeringdb", required_argument, NULL, 'p'}, {"spoofer", required_argument, NULL, 's'},                      \
        {"world", required_argument, NULL, 'w'}, {"asrel-ipv6", no_argument, NULL, '6'},                             \
        {"strict-period", no_argument, NULL, 'P'}, {"as2org", required_argument, NULL, 'o'},                         \
        {"files-from", required_argument, NULL, 'l'}, {"beacons", required_argument, NULL, 'B'},                     \
        {"rtr", required_argument, NULL, 'R'}, {"ris-live", required_argument, NULL, 'J'}

int cmd_dump(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_example(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_antispoof(int argc, char **argv);
int cmd_whoisd(int argc, char **argv);
int cmd_rtrd(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_bmpd(int argc, char **argv);
int cmd_feed(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_filter(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_observe(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_participants(int argc, char **argv);
int cmd_conformance(int argc, char **argv);
int cmd_lg(int argc, char **argv);
int cmd_ixp(int argc, char **argv);
int cmd_providers(int argc, char **argv);
int cmd_whatif(int argc, char **argv);
int cmd_mark(int argc, char **argv);
int cmd_spooftest(int argc, char **argv);

#endif
