/*
 * inputs.c — the observatory's input lists (observatory.h): files by kind, a
 * simulated world directory expanded into them (the layout of sim.h), and the
 * description a stored run keeps of what it read.
 */
#include "manrs/observatory/observatory.h"

#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "manrs/core/grow.h"
#include "manrs/feeds/mrt_feed.h"
#include "manrs/sim/sim.h"

const char *mrs_obs_input_name(mrs_obs_input k)
{
    static const char *const names[MRS_IN_N] = {"rib",   "updates",   "vrps",      "irr",
                                                "asrel", "delegated", "peeringdb", "spoofer", "as2org", "beacons", "rtr", "ris-live"};
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

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every regular, non-hidden file of directory dir, in name order. */
static int add_dir(mrs_obs_inputs *in, mrs_obs_input k, const char *dir, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: cannot read the directory", dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(len), **nv = mrs_grow(names, &cap, n + 1, sizeof *nv, 64);
        if (!p || !nv) {
            free(p);
            rc = -1;
            break;
        }
        names = nv;
        snprintf(p, len, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            names[n++] = p;
        else
            free(p);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && mrs_obs_inputs_add(in, k, names[i]) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    if (rc)
        snprintf(err, errlen, "out of memory");
    else if (!n) {
        snprintf(err, errlen, "%s: no file in the directory", dir);
        rc = -1;
    }
    return rc;
}

int mrs_obs_inputs_add_path(mrs_obs_inputs *in, mrs_obs_input k, const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return add_dir(in, k, path, err, errlen);
    if (strcmp(path, "-") == 0 || !strpbrk(path, "*?[") || stat(path, &st) == 0) {
        if (mrs_obs_inputs_add(in, k, path) == 0)
            return 0;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    glob_t g;
    int gr = glob(path, 0, NULL, &g);
    if (gr == GLOB_NOMATCH) {
        snprintf(err, errlen, "%s: no file matches", path);
        return -1;
    }
    int rc = gr == 0 ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < g.gl_pathc; i++)
        rc = mrs_obs_inputs_add(in, k, g.gl_pathv[i]);
    globfree(&g);
    if (rc)
        snprintf(err, errlen, gr == GLOB_NOSPACE || gr == 0 ? "out of memory" : "%s: cannot expand the pattern", path);
    return rc;
}

int mrs_obs_inputs_add_mrt(mrs_obs_inputs *in, const char *path, char *err, size_t errlen)
{
    mrs_obs_inputs tmp;
    memset(&tmp, 0, sizeof tmp);
    int rc = mrs_obs_inputs_add_path(&tmp, MRS_IN_UPDATES, path, err, errlen);
    for (size_t i = 0; rc == 0 && i < tmp.n[MRS_IN_UPDATES]; i++) {
        const char *f = tmp.files[MRS_IN_UPDATES][i];
        uint32_t t;
        bool rib = false;
        if (!mrs_mrt_file_peek(f, &t, &rib))
            rib = false;
        if ((rc = mrs_obs_inputs_add(in, rib ? MRS_IN_RIB : MRS_IN_UPDATES, f)) != 0)
            snprintf(err, errlen, "out of memory");
    }
    mrs_obs_inputs_clear(&tmp);
    return rc;
}

int mrs_obs_inputs_add_list(mrs_obs_inputs *in, const char *list, char *err, size_t errlen)
{
    FILE *f = strcmp(list, "-") ? fopen(list, "r") : stdin;
    if (!f) {
        snprintf(err, errlen, "--files-from %s: cannot open", list);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
            line[--len] = '\0';
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        if ((rc = mrs_obs_inputs_add_mrt(in, p, err, errlen)) != 0) {
            char why[200];
            snprintf(why, sizeof why, "%s", err);
            snprintf(err, errlen, "--files-from %s:%lu: %s", list, lineno, why);
        }
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

int mrs_obs_inputs_add_world(mrs_obs_inputs *in, const char *dir, char *err, size_t errlen)
{
    /* input kind -> the world's file of that kind */
    static const mrs_world_file world[MRS_IN_N] = {
        MRS_WORLD_RIB,   MRS_WORLD_UPDATES,   MRS_WORLD_VRPS,      MRS_WORLD_IRR,
        MRS_WORLD_ASREL, MRS_WORLD_DELEGATED, MRS_WORLD_PEERINGDB, MRS_WORLD_SPOOFER, MRS_WORLD_AS2ORG,
        MRS_WORLD_BEACONS, MRS_WORLD_NFILES /* rtr: no file */, MRS_WORLD_NFILES /* ris-live */,
    };
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "--world %s: not a directory", dir);
        return -1;
    }
    for (unsigned k = 0; k < MRS_IN_N; k++) {
        if (world[k] == MRS_WORLD_NFILES)
            continue;
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
