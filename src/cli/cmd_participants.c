/*
 * cmd_participants.c — `manrs participants check FILE [--rules R] [inputs]`: the
 * registry validated, each participant's commitment against a sign-up rule set,
 * and (with routing inputs) what the observatory measures of every committed
 * Action; `manrs participants rules`: the rule sets. docs/programme.md.
 * Exit: 0 every participant valid and meeting its rule; 3 one does not meet it;
 * 1 a registry entry was skipped (FILE:LINE reported) or an input error; 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manrs/apps/programme.h"

#define PART_USAGE                                                                                                     \
    "usage: manrs participants check [--rules NAME|at-join] [--json] [--min-peers N]\n"                             \
    "                                [inputs: --world DIR | --rib ...] FILE\n"                                     \
    "       manrs participants rules\n"                                                                             \
    "  check: validate a participants registry (YAML; FILE:LINE for what is wrong, the\n"                          \
    "  participant skipped and counted), apply the programme's sign-up rule to every\n"                            \
    "  commitment, and with routing inputs show what the observatory measures of each\n"                           \
    "  committed Action (and which ASNs no input knows).\n"                                                       \
    "  rules: the sign-up rule sets, oldest first; the last is the default.\n"                                    \
    "\n"                                                                                                             \
    "  --rules R          a rule set by name (manrs participants rules), or at-join: each\n"                      \
    "                     participant by the rule set in force on its join date\n"                                 \
    "  --json             one JSON object instead of the table\n"                                                    \
    "  --min-peers N      announced = seen by at least N collector peers (default 5, adapted)\n"                  \
    "  -h, --help         this help\n"                                                                               \
    "\n" CLI_OBS_INPUT_HELP "\n"                                                                                     \
    "Exit status: 0 every participant valid and meeting its rule; 3 at least one does not\n"                       \
    "meet it; 1 an entry was skipped or an input could not be used; 2 usage error.\n"

static int print_rules(void)
{
    for (size_t i = 0; i < mrs_ruleset_count(); i++) {
        const mrs_ruleset *r = mrs_ruleset_at_index(i);
        uint32_t d = mrs_ruleset_since(r);
        printf("%s (from %04u-%02u)%s\n", mrs_ruleset_name(r), d / 10000, d / 100 % 100,
               r == mrs_ruleset_current() ? ", the default" : "");
        for (int p = 0; p < MRS_PROG_N; p++) {
            const char *s = mrs_ruleset_summary(r, (mrs_programme)p);
            printf("    %-16s %s\n", mrs_programme_name((mrs_programme)p), s ? s : "(no such programme yet)");
        }
    }
    return ferror(stdout) ? 1 : 0;
}

int cmd_participants(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_OBS_INPUT_OPTIONS,
        {"rules", required_argument, NULL, 1001},
        {"json", no_argument, NULL, 1002},
        {"min-peers", required_argument, NULL, 1003},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(PART_USAGE, stdout);
        return 0;
    }
    if (argc < 2 || (strcmp(argv[1], "check") && strcmp(argv[1], "rules"))) {
        fprintf(stderr, "manrs participants: say check or rules\n\n%s", PART_USAGE);
        return 2;
    }
    if (!strcmp(argv[1], "rules")) {
        if (argc != 2) {
            fputs(PART_USAGE, stderr);
            return 2;
        }
        return print_rules();
    }
    argc--;
    argv++;
    mrs_obs_inputs in;
    memset(&in, 0, sizeof in);
    prog_opts po;
    memset(&po, 0, sizeof po);
    mrs_score_cfg_default(&po.cfg.score);
    prog_rules_mode mode = PROG_RULES_NAMED;
    const mrs_ruleset *named = mrs_ruleset_current();
    bool json = false;
    int ch, rc = 2;
    cli_getopt g = {.cmd = "participants", .shortopts = "h", .opts = opts, .in = &in};
    optind = 1;
    while ((ch = cli_next_option(&g, argc, argv)) != -1) {
        switch (ch) {
        case CLI_OPT_FAILED: rc = 1; goto out;
        case 1001:
            if (!strcmp(optarg, "at-join"))
                mode = PROG_RULES_AT_JOIN;
            else if (!(named = mrs_ruleset_by_name(optarg))) {
                fprintf(stderr, "manrs participants: --rules: no rule set '%s' (manrs participants rules)\n", optarg);
                goto out;
            }
            break;
        case 1002: json = true; break;
        case 1003:
            if (!cli_obs_min_peers("participants", optarg, &po.cfg))
                goto out;
            break;
        case 'h': fputs(PART_USAGE, stdout); rc = 0; goto out;
        default: fputs(PART_USAGE, stderr); goto out;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "manrs participants check: exactly one registry FILE expected\n\n%s", PART_USAGE);
        goto out;
    }
    const char *file = argv[optind];
    rc = 1;
    mrs_diag kd, md;
    cli_diags(&kd, &md, 50);
    prog_result r;
    memset(&r, 0, sizeof r);
    char err[512];
    const mrs_conformance *c = NULL;
    if (mrs_obs_inputs_total(&in)) {
        if (prog_conformance(file, &in, &po, NULL, &kd, &md, &r, err, sizeof err) != 0) {
            fprintf(stderr, "manrs participants: %s\n", err);
            goto done;
        }
        c = &r.conf;
    } else if (mrs_registry_load(file, &r.reg, &kd) != 0) {
        goto done;
    }
    size_t failing = 0;
    if (prog_print_signup(&r.reg, mode, named, c, json, stdout, &failing) != 0) {
        cli_write_failed("participants");
    } else if (r.reg.skipped) {
        fprintf(stderr, "manrs participants: %llu entries of %s were skipped (see above)\n",
                (unsigned long long)r.reg.skipped, file);
    } else if (c && r.obs.failed) {
        fprintf(stderr, "manrs participants: an input could not be used (see above)\n");
    } else
        rc = failing ? 3 : 0;
done:
    prog_result_clear(&r);
out:
    mrs_obs_inputs_clear(&in);
    return rc;
}
