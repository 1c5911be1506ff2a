/*
 * main.c — the `manrs` command: dispatch to one cmd_<name>.c per subcommand.
 * Each subcommand owns its argument parsing and printing, nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct mrs_command commands[] = {
    {"dump", cmd_dump, "print MRT routing data (bgpdump -m compatible, or JSON Lines)"},
    {"stats", cmd_stats, "decode MRT files and print record, peer and prefix counts"},
    {"sim", cmd_sim, "write a simulated Internet with ground truth (MRT, RPKI, IRR, ...)"},
    {"example-mrt", cmd_example, "write a small deterministic example MRT file"},
    {"observe", cmd_observe, "observe routing: incidents with evidence and every network's MANRS metrics"},
    {"participants", cmd_participants, "the MANRS participants registry: validate it, apply the sign-up rules"},
    {"conformance", cmd_conformance, "a period's MANRS conformance per participant, enforcement, stored per period"},
    {"providers", cmd_providers, "a customer's view of its providers: MANRS standing, incidents passed on"},
    {"whatif", cmd_whatif, "who must act to stop an incident: its capture with ROV, filtering, ASPA"},
    {"mark", cmd_mark, "a signed, verifiable MANRS quality mark: keygen, issue, verify, badge"},
    {"check", cmd_check, "MANRS self-assessment of one AS: per action PASS/FAIL, evidence, remediation"},
    {"lg", cmd_lg, "looking glass over the routes seen: per peer, at a moment and over time, with verdicts"},
    {"validate", cmd_validate, "validate routes: RPKI ROV, ASPA, IRR, bogons, valley-free (with evidence)"},
    {"antispoof", cmd_antispoof, "anti-spoofing filters (BCP 38/84) and uRPF mode for a customer or edge"},
    {"spooftest", cmd_spooftest, "test the generated anti-spoofing ACL for real in a lab of network namespaces"},
    {"whoisd", cmd_whoisd, "serve RPSL dumps with the IRRd query language (bgpq4-compatible)"},
    {"rtrd", cmd_rtrd, "serve VRPs and ASPAs to routers over RTR (RFC 6810, 8210, 8210bis with ASPA)"},
    {"serve", cmd_serve, "the web observatory: pages and a JSON API over the store"},
    {"feed", cmd_feed, "publish route events on NATS JetStream, partitioned by prefix; read them back"},
    {"worker", cmd_worker, "compute parts of observatory runs split by prefix (NATS, PostgreSQL)"},
    {"bmpd", cmd_bmpd, "receive BMP from routers (RFC 7854, 9069, 8671) and write MRT update files"},
    {"monitor", cmd_monitor, "alert on hijacks, more-specifics, visibility loss, RPKI invalids of own prefixes"},
    {"fetch", cmd_fetch, "download public inputs (RIS, RouteViews, CAIDA, RIRs, RPKI, PeeringDB) by time window"},
    {"report", cmd_report, "print the observatory's MANRS readiness: landscape, country or one network"},
    {"filter", cmd_filter, "generate prefix / AS-path filters from RPSL (bgpq4-like)"},
    {"ixp", cmd_ixp, "MANRS IXP Action 1 on route-server RIB dumps: what the RS accepted, per member"},
};

static void usage(FILE *f)
{
    fprintf(f, "manrs %s — measure and act on the Mutually Agreed Norms for Routing Security\n\n", MANRS_VERSION);
    fprintf(f, "usage: manrs <command> [options] [args]\n\ncommands:\n");
    int w = 0;   /* the longest name sets the column */
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        w = (int)strlen(commands[i].name) > w ? (int)strlen(commands[i].name) : w;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-*s %s\n", w, commands[i].name, commands[i].summary);
    fprintf(f, "\n'manrs help <command>' or 'manrs <command> --help' for details; man manrs(1).\n");
}

/* A closed standard descriptor (`manrs stats f >&-`) must not be taken by the next
 * file opened, or output would land in that file: put /dev/null there, opened so
 * that using it fails (writes to 1 and 2, reads from 0 get EBADF) and is reported. */
static void guard_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int n = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
        if (n >= 0 && n != fd) {
            dup2(n, fd);
            close(n);
        }
    }
}

/* Every command's standard output is checked here, after it returns: what is still
 * buffered is flushed and the stream closed; any write that failed on the way
 * (ENOSPC on /dev/full, EBADF on a closed stdout, EPIPE ...) makes the exit status 1
 * with one message. Commands that write files check those themselves. */
static int finish(const char *cmd, int rc)
{
    errno = 0;
    int err = 0;
    if (fflush(stdout) != 0)
        err = errno ? errno : EIO;
    else if (ferror(stdout)) {
        /* an earlier write failed and nothing is pending: ask the descriptor why */
        errno = 0;
        err = write(fileno(stdout), "", 0) < 0 && errno ? errno : EIO;
    }
    errno = 0;
    if (fclose(stdout) != 0 && !err)
        err = errno ? errno : EIO;
    if (!err)
        return rc;
    fprintf(stderr, "manrs%s%s: write error: %s\n", cmd ? " " : "", cmd ? cmd : "", strerror(err));
    return 1;
}

int main(int argc, char **argv)
{
    guard_std_fds();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    int help = 0;
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        usage(stdout);
        return finish(NULL, 0);
    }
    if (!strcmp(name, "--version")) {
        printf("manrs %s\n", MANRS_VERSION);
        return finish(NULL, 0);
    }
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            usage(stdout);
            return finish("help", 0);
        }
        name = argv[2];
        help = 1;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (commands[i].fn && !strcmp(commands[i].name, name)) {
            if (help) {
                char *hargv[] = {(char *)name, "--help", NULL};
                return finish(name, commands[i].fn(2, hargv));
            }
            return finish(name, commands[i].fn(argc - 1, argv + 1));
        }
    }
    fprintf(stderr, "manrs: unknown command '%s'\n\n", name);
    usage(stderr);
    return 2;
}
