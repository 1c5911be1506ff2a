/*
 * cli_inputs.c — the observatory's input options, shared by the commands that
 * run it (observe, check): one meaning, one help text, one parser.
 */
#include <stdio.h>

#include "cli.h"
#include "manrs/observatory/observatory.h"

int cli_obs_input_option(const char *cmd, int ch, const char *arg, mrs_obs_inputs *in)
{
    mrs_obs_input k;
    switch (ch) {
    case 'r': k = MRS_IN_RIB; break;
    case 'u': k = MRS_IN_UPDATES; break;
    case 'v': k = MRS_IN_VRPS; break;
    case 'i': k = MRS_IN_IRR; break;
    case 'a': k = MRS_IN_ASREL; break;
    case 'd': k = MRS_IN_DELEGATED; break;
    case 'p': k = MRS_IN_PEERINGDB; break;
    case 's': k = MRS_IN_SPOOFER; break;
    case 'o': k = MRS_IN_AS2ORG; break;
    case 'B': k = MRS_IN_BEACONS; break;
    case 'J': k = MRS_IN_RIS_LIVE; break;
    case 'l': {
        char err[512];
        if (mrs_obs_inputs_add_list(in, arg, err, sizeof err) != 0) {
            fprintf(stderr, "manrs %s: %s\n", cmd, err);
            return -1;
        }
        return 1;
    }
    case 'R':   /* HOST:PORT, not a path */
        if (mrs_obs_inputs_add(in, MRS_IN_RTR, arg) != 0) {
            fprintf(stderr, "manrs %s: out of memory\n", cmd);
            return -1;
        }
        return 1;
    case '6': in->asrel_ipv6 = true; return 1;
    case 'P': in->strict_period = true; return 1;
    case 'w': {
        char err[256];
        if (mrs_obs_inputs_add_world(in, arg, err, sizeof err) != 0) {
            fprintf(stderr, "manrs %s: %s\n", cmd, err);
            return -1;
        }
        return 1;
    }
    default: return 0;
    }
    char err[512];
    if (mrs_obs_inputs_add_path(in, k, arg, err, sizeof err) != 0) {
        fprintf(stderr, "manrs %s: --%s %s\n", cmd, mrs_obs_input_name(k), err);
        return -1;
    }
    return 1;
}

bool cli_min_peers(const char *cmd, const char *arg, unsigned *out)
{
    if (cli_parse_uint(arg, 1, 100000, out))
        return true;
    fprintf(stderr, "manrs %s: --min-peers: bad count '%s'\n", cmd, arg);
    return false;
}
