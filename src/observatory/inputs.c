/*
 * inputs.c — the observatory's input lists (observatory.h): files by kind, a
 * simulated world directory expanded into them (the layout of sim.h), and the
 * description a stored run keeps of what it read.
 */
#include "manrs/observatory/observatory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "manrs/core/grow.h"
#include "manrs/sim/sim.h"

const char *mrs_obs_input_name(mrs_obs_input k)
{
    static const char *const names[MRS_IN_N] = {"rib",   "updates",   "vrps",      "irr",
                                                "asrel", "delegated", "peeringdb", "spoofer", "as2org"};
    return (unsigned)k < MRS_IN_N ? names[k] : "";
}

int mrs_obs_inputs_add(mrs_obs_inputs *in, mrs_obs_input k, const char *path)
{
    char **v = mrs_grow(in->files[k], &in->cap[k], in->n[k] + 1, sizeof *v, 4);
    if (!v)
        return -1;
    in->files[k] = v;
    if (!(v[in->n[k]] = strdup(path)))
        return -1;
    in->n[k]++;
    return 0;
}

int mrs_obs_inputs_add_world(mrs_obs_inputs *in, const char *dir, char *err, size_t errlen)
{
    /* input kind -> the world's file of that kind */
    static const mrs_world_file world[MRS_IN_N] = {
        MRS_WORLD_RIB,   MRS_WORLD_UPDATES,   MRS_WORLD_VRPS,      MRS_WORLD_IRR,
        MRS_WORLD_ASREL, MRS_WORLD_DELEGATED, MRS_WORLD_PEERINGDB, MRS_WORLD_SPOOFER, MRS_WORLD_AS2ORG,
    };
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "--world %s: not a directory", dir);
        return -1;
    }
    for (unsigned k = 0; k < MRS_IN_N; k++) {
        char path[4096];
        int w = snprintf(path, sizeof path, "%s/%s", dir, mrs_world_file_name(world[k]));
        if (w < 0 || (size_t)w >= sizeof path) {
            snprintf(err, errlen, "--world %s: path too long", dir);
            return -1;
        }
        if (stat(path, &st) != 0)
            continue;
        if (mrs_obs_inputs_add(in, (mrs_obs_input)k, path) != 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    in->asrel_ipv6 = true;   /* the simulator's as-rel covers both families */
    return 0;
}

size_t mrs_obs_inputs_total(const mrs_obs_inputs *in)
{
    size_t t = 0;
    for (unsigned k = 0; k < MRS_IN_N; k++)
        t += in->n[k];
    return t;
}

void mrs_obs_inputs_describe(const mrs_obs_inputs *in, char *out, size_t max)
{
    size_t n = 0;
    if (!max)
        return;
    out[0] = 0;
    for (unsigned k = 0; k < MRS_IN_N; k++)
        for (size_t i = 0; i < in->n[k] && n < max - 1; i++) {
            int w = snprintf(out + n, max - n, "%s%s=%s", n ? " " : "", mrs_obs_input_name((mrs_obs_input)k),
                             in->files[k][i]);
            if (w < 0)
                return;
            n += (size_t)w;
            if (n >= max)
                n = max - 1;
        }
}

void mrs_obs_inputs_clear(mrs_obs_inputs *in)
{
    for (unsigned k = 0; k < MRS_IN_N; k++) {
        for (size_t i = 0; i < in->n[k]; i++)
            free(in->files[k][i]);
        free(in->files[k]);
    }
    memset(in, 0, sizeof *in);
}
