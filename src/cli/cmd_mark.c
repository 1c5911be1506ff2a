/*
 * cmd_mark.c — `manrs mark keygen|issue|verify|badge`: the verifiable MANRS
 * quality mark (apps/mark.h, docs/programme.md "The quality mark"). Argument
 * parsing and printing only.
 * Exit: issue 0 the mark certifies conformance, 3 it was written and certifies
 * that the participant was not conformant (or had no verdict); verify 0 valid,
 * 1 invalid; every subcommand 1 on an input or write error, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "manrs/apps/mark.h"

#define MARK_USAGE                                                                                                     \
    "usage: manrs mark keygen --out KEYBASE [--force]\n"                                                             \
    "       manrs mark issue --key KEYBASE.key --participants FILE --participant NAME|ASN\n"                         \
    "                        [--period YYYY-MM] [--disputes FILE] --out MARK.json\n"                               \
    "                        [--html BADGE.html] (--world DIR | inputs...)\n"                                       \
    "       manrs mark verify MARK.json --pub KEYBASE.pub\n"                                                         \
    "                        [--rerun [--participants FILE] [--disputes FILE] [--world DIR | inputs...]]\n"        \
    "       manrs mark badge MARK.json --out BADGE.html\n"                                                           \
    "  A signed MANRS quality mark: one participant's conformance for one period (the\n"                           \
    "  verdicts of `manrs conformance`), in canonical JSON signed with Ed25519, naming\n"                          \
    "  every input by its SHA-256, so that anyone with the public key can verify it\n"                             \
    "  offline and recompute it from the same inputs. See docs/programme.md.\n"                                    \
    "  keygen: KEYBASE.key (secret, mode 0600) and KEYBASE.pub (with its fingerprint).\n"                          \
    "  issue:  the statement, signed; written even when the participant was not\n"                                 \
    "          conformant (the mark says so).\n"                                                                      \
    "  verify: the file must be exactly the canonical form signed by the key.\n"                                   \
    "  badge:  the HTML page of a mark.\n"                                                                           \
    "\n"                                                                                                             \
    "  --out F            keygen: the key files' base name; issue: the mark; badge: the page\n"                    \
    "  --force            keygen: replace existing key files\n"                                                     \
    "  --key FILE         issue: the secret key (KEYBASE.key)\n"                                                    \
    "  --participants F   the participants registry (YAML); verify --rerun: instead of the\n"                     \
    "                     file named in the mark\n"                                                                  \
    "  --participant P    issue: the participant, by id, organisation or ASN\n"                                    \
    "  --period YYYY-MM   issue: the period (default: the month the routing data starts in)\n"                    \
    "  --disputes FILE    participants' disputes of incidents (YAML)\n"                                            \
    "  --html F           issue: also write the badge page\n"                                                      \
    "  --pub FILE         verify: the issuer's public key (KEYBASE.pub)\n"                                         \
    "  --rerun            verify: recompute the verdicts from the same inputs (the files named\n"                 \
    "                     in the mark, or those given; each must have the recorded SHA-256)\n"                  \
    "  -h, --help         this help\n"                                                                               \
    "\n" CLI_OBS_INPUT_HELP "\n"                                                                                     \
    "Exit status: issue 0 the mark certifies conformance, 3 it certifies that the\n"                               \
    "participant was not conformant (or had no verdict); verify 0 valid, 1 invalid;\n"                              \
    "1 an input or write error; 2 usage error.\n"

enum {
    O_OUT = 1001, O_FORCE, O_KEY, O_PARTICIPANTS, O_PARTICIPANT, O_PERIOD, O_DISPUTES, O_HTML, O_PUB, O_RERUN,
};
/* the options each subcommand takes (bit o - O_OUT; bit 15: the input options) */
#define B(o) (1u << ((o) - O_OUT))
#define B_INPUTS (1u << 15)

enum { SUB_KEYGEN, SUB_ISSUE, SUB_VERIFY, SUB_BADGE };
static const char *const sub_names[] = {"keygen", "issue", "verify", "badge"};
static const unsigned sub_allowed[] = {
    B(O_OUT) | B(O_FORCE),
    B(O_KEY) | B(O_PARTICIPANTS) | B(O_PARTICIPANT) | B(O_PERIOD) | B(O_DISPUTES) | B(O_OUT) | B(O_HTML) | B_INPUTS,
    B(O_PUB) | B(O_RERUN) | B(O_PARTICIPANTS) | B(O_DISPUTES) | B_INPUTS,
    B(O_OUT),
};

typedef struct mark_args {
    const char *out, *key, *registry, *participant, *period, *disputes, *html, *pub, *file;
    const char *world;          /* --world DIR: its route server's RIB too (sim.h, rs.mrt.gz) */
    bool force, rerun;
} mark_args;

static void say_err(const char *sub, const char *err)
{
    char e[1024];
    snprintf(e, sizeof e, "%s", err);
    mrs_text_safe_inplace(e, sizeof e);
    fprintf(stderr, "manrs mark %s: %s\n", sub, e);
}

static int do_keygen(const mark_args *a)
{
    mark_key k;
    char err[512];
    if (mark_keygen(a->out, a->force, &k, err, sizeof err) != 0) {
        say_err("keygen", err);
        return 1;
    }
    printf("%s.key (secret: keep it so) and %s.pub written; fingerprint %s\n", a->out, a->out, k.fp);
    memset(&k, 0, sizeof k);
    return 0;
}

static int do_issue(const mark_args *a, const mrs_obs_inputs *in)
{
    mark_key k;
    char err[600];
    if (mark_key_load_secret(a->key, &k, err, sizeof err) != 0) {
        say_err("issue", err);
        return 1;
    }
    mrs_diag kd, md;
    cli_diags(&kd, &md, 20);
    char rsbuf[4096];
    const char *rs = cli_world_rs_rib(a->world, rsbuf, sizeof rsbuf);
    mark_issue o = {.registry = a->registry, .participant = a->participant, .disputes = a->disputes,
                    .period = a->period, .in = in, .rs_ribs = &rs, .n_rs_ribs = rs ? 1 : 0,
                    .issued = (int64_t)time(NULL)};
    json_t *st = NULL;
    mrs_verdict outcome = MRS_VERDICT_NO_DATA;
    int rc = 1;
    if (mark_issue_write(&o, &k, a->out, a->html, &kd, &md, &st, &outcome, err, sizeof err) != 0) {
        say_err("issue", err);
    } else {
        const json_t *p = json_object_get(st, "participant");
        printf("%s: mark of %s for %s: %s; signed by key %s\n", a->out, json_string_value(json_object_get(p, "id")),
               json_string_value(json_object_get(st, "period")), mrs_verdict_name(outcome), k.fp);
        rc = outcome == MRS_VERDICT_CONFORMANT ? 0 : 3;
    }
    memset(&k, 0, sizeof k);
    json_decref(st);
    return rc;
}

static int do_verify(const mark_args *a, const mrs_obs_inputs *in)
{
    mark_key k;
    char err[700];
    json_t *mark = NULL;
    if (mark_key_load_public(a->pub, &k, err, sizeof err) != 0 ||
        mark_verify_file(a->file, &k, &mark, err, sizeof err) != 0) {
        say_err("verify", err);
        return 1;
    }
    int rc = 1;
    mark_print_valid(stdout, a->file, mark, &k);
    if (a->rerun) {
        mrs_diag kd, md;
        cli_diags(&kd, &md, 20);
        char rsbuf[4096], why[512];
        const char *rs = cli_world_rs_rib(a->world, rsbuf, sizeof rsbuf);
        const json_t *st = json_object_get(mark, "statement");
        if (mark_rerun(st, in, a->registry, a->disputes, rs, &kd, &md, why, sizeof why) != 0) {
            snprintf(err, sizeof err, "%s: --rerun: %s", a->file, why);
            say_err("verify", err);
            goto out;
        }
        printf("rerun: the verdicts recomputed from the same inputs are identical\n");
    }
    rc = 0;
out:
    json_decref(mark);
    return rc;
}

static int do_badge(const mark_args *a)
{
    char err[700];
    if (mark_badge_from_file(a->file, a->out, err, sizeof err) == 0)
        return 0;
    say_err("badge", err);
    return 1;
}

int cmd_mark(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_OBS_INPUT_OPTIONS,
        {"out", required_argument, NULL, O_OUT},
        {"force", no_argument, NULL, O_FORCE},
        {"key", required_argument, NULL, O_KEY},
        {"participants", required_argument, NULL, O_PARTICIPANTS},
        {"participant", required_argument, NULL, O_PARTICIPANT},
        {"period", required_argument, NULL, O_PERIOD},
        {"disputes", required_argument, NULL, O_DISPUTES},
        {"html", required_argument, NULL, O_HTML},
        {"pub", required_argument, NULL, O_PUB},
        {"rerun", no_argument, NULL, O_RERUN},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(MARK_USAGE, stdout);
        return 0;
    }
    int sub = -1;
    for (int i = 0; argc >= 2 && i < 4; i++)
        if (!strcmp(argv[1], sub_names[i]))
            sub = i;
    if (sub < 0) {
        fprintf(stderr, "manrs mark: say keygen, issue, verify or badge\n\n%s", MARK_USAGE);
        return 2;
    }
    argc--;
    argv++;
    mrs_obs_inputs in;
    memset(&in, 0, sizeof in);
    mark_args a;
    memset(&a, 0, sizeof a);
    unsigned given = 0;
    int ch, rc = 2;
    cli_getopt g = {.cmd = "mark", .shortopts = "h", .opts = opts, .in = &in};
    optind = 1;
    while ((ch = cli_next_option(&g, argc, argv)) != -1) {
        if (ch >= O_OUT && ch <= O_RERUN)
            given |= B(ch);
        switch (ch) {
        case CLI_OPT_FAILED: rc = 1; goto out;
        case O_OUT: a.out = optarg; break;
        case O_FORCE: a.force = true; break;
        case O_KEY: a.key = optarg; break;
        case O_PARTICIPANTS: a.registry = optarg; break;
        case O_PARTICIPANT: a.participant = optarg; break;
        case O_PERIOD: a.period = optarg; break;
        case O_DISPUTES: a.disputes = optarg; break;
        case O_HTML: a.html = optarg; break;
        case O_PUB: a.pub = optarg; break;
        case O_RERUN: a.rerun = true; break;
        case 'h': fputs(MARK_USAGE, stdout); rc = 0; goto out;
        default: fputs(MARK_USAGE, stderr); goto out;
        }
    }
    a.world = g.world;
    if (g.n_inputs)
        given |= B_INPUTS;
    const char *sn = sub_names[sub];
    unsigned extra = given & ~sub_allowed[sub];
    if (extra) {
        const char *what = "the input options (--world, --rib, ...) are";
        char buf[64];
        for (const struct option *o = opts; o->name; o++)
            if (o->val >= O_OUT && o->val <= O_RERUN && (extra & B(o->val))) {
                snprintf(buf, sizeof buf, "--%s is", o->name);
                what = buf;
                break;
            }
        fprintf(stderr, "manrs mark %s: %s not an option of mark %s\n\n%s", sn, what, sn, MARK_USAGE);
        goto out;
    }
    bool positional = sub == SUB_VERIFY || sub == SUB_BADGE;
    if (argc - optind != (positional ? 1 : 0)) {
        if (positional && optind >= argc)
            fprintf(stderr, "manrs mark %s: MARK.json is required\n\n%s", sn, MARK_USAGE);
        else
            fprintf(stderr, "manrs mark %s: unexpected argument '%s'\n\n%s", sn, argv[optind + positional], MARK_USAGE);
        goto out;
    }
    if (positional)
        a.file = argv[optind];
    const char *missing = NULL;
    if ((sub == SUB_KEYGEN || sub == SUB_ISSUE || sub == SUB_BADGE) && !a.out)
        missing = "--out";
    else if (sub == SUB_ISSUE && !a.key)
        missing = "--key KEYBASE.key";
    else if (sub == SUB_ISSUE && !a.registry)
        missing = "--participants FILE";
    else if (sub == SUB_ISSUE && !a.participant)
        missing = "--participant NAME|ASN";
    else if (sub == SUB_VERIFY && !a.pub)
        missing = "--pub KEYBASE.pub";
    if (missing) {
        fprintf(stderr, "manrs mark %s: %s is required\n\n%s", sn, missing, MARK_USAGE);
        goto out;
    }
    if (sub == SUB_ISSUE && !mrs_obs_inputs_total(&in)) {
        fprintf(stderr, "manrs mark issue: no input (--world or the individual files)\n\n%s", MARK_USAGE);
        goto out;
    }
    if (sub == SUB_ISSUE && a.period && !mrs_period_parse(a.period, NULL, NULL)) {
        fprintf(stderr, "manrs mark issue: --period: '%s' is not a month YYYY-MM\n", a.period);
        goto out;
    }
    if (sub == SUB_VERIFY && !a.rerun && (given & (B(O_PARTICIPANTS) | B(O_DISPUTES) | B_INPUTS))) {
        fprintf(stderr, "manrs mark verify: inputs, --participants and --disputes go with --rerun\n\n%s", MARK_USAGE);
        goto out;
    }
    switch (sub) {
    case SUB_KEYGEN: rc = do_keygen(&a); break;
    case SUB_ISSUE: rc = do_issue(&a, &in); break;
    case SUB_VERIFY: rc = do_verify(&a, &in); break;
    default: rc = do_badge(&a); break;
    }
out:
    mrs_obs_inputs_clear(&in);
    return rc;
}
