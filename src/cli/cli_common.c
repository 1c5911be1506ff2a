/*
 * cli_common.c — what every command that runs the observatory does alike: its
 * option loop, --min-peers, a choice among names, the diagnostics, loading the
 * inputs and saying why not, a failed write.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/observatory/observatory.h"
#include "manrs/sim/sim.h"

int cli_next_option(cli_getopt *g, int argc, char **argv)
{
    int ch;
    while ((ch = getopt_long(argc, argv, g->shortopts, g->opts, NULL)) != -1) {
        if (ch == 'w')
            g->world = optarg;
        int e = cli_obs_input_option(g->cmd, ch, optarg, g->in);
        if (!e)
            return ch;
        if (e < 0)
            return CLI_OPT_FAILED;
        g->n_inputs++;
    }
    return -1;
}

bool cli_obs_min_peers(const char *cmd, const char *arg, mrs_obs_cfg *cfg)
{
    if (!cli_min_peers(cmd, arg, &cfg->score.min_peers))
        return false;
    cfg->min_peers_set = true;
    return true;
}

int cli_choice(const char *cmd, const char *opt, const char *arg, const char *const *names)
{
    size_t n = 0;
    while (names[n])
        n++;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(arg, names[i]))
            return (int)i;
    fprintf(stderr, "manrs %s: %s: '%s' is not ", cmd, opt, arg);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "%s%s", names[i], i + 2 < n ? ", " : i + 2 == n ? " or " : "\n");
    return -1;
}

void cli_diags(mrs_diag *kd, mrs_diag *md, unsigned max_print)
{
    mrs_diag_init(kd, stderr);
    mrs_diag_init(md, stderr);
    kd->max_print = md->max_print = max_print;
}

bool cli_obs_load(const char *cmd, const mrs_obs_inputs *in, mrs_diag *kd, mrs_diag *md, mrs_obs_bundle *b)
{
    cli_diags(kd, md, 20);
    memset(b, 0, sizeof *b);
    bool failed = false;
    const char *why = NULL;
    if (mrs_obs_load(in, kd, md, b, &failed, &why) != 0) {
        fprintf(stderr, "manrs %s: %s\n", cmd, why ? why : "cannot load the inputs");
        return false;
    }
    if (failed) {
        fprintf(stderr, "manrs %s: an input could not be used (see above)\n", cmd);
        return false;
    }
    return true;
}

void cli_write_failed(const char *cmd)
{
    if (!ferror(stdout))
        fprintf(stderr, "manrs %s: cannot write the output\n", cmd);
}

const char *cli_world_rs_rib(const char *world, char *buf, size_t cap)
{
    if (!world || snprintf(buf, cap, "%s/%s", world, mrs_world_file_name(MRS_WORLD_RS_RIB)) >= (int)cap)
        return NULL;
    return access(buf, R_OK) == 0 ? buf : NULL;
}
