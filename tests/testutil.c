/* testutil.c — see testutil.h */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tu_data_path(const char *rel, char *buf, size_t buflen)
{
    const char *root = getenv("MANRS_DATA");
    if (!root || !*root)
        root = "../shared/data";
    snprintf(buf, buflen, "%s/%s", root, rel);
    return access(buf, R_OK) == 0 ? buf : NULL;
}

const char *tu_tmpdir(void)
{
    static char dir[512];
    if (!dir[0]) {
        const char *base = getenv("MANRS_TMP");
        snprintf(dir, sizeof dir, "%s/t%ld", base && *base ? base : "/tmp/manrs-test", (long)getpid());
        char cmd[600];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
        if (system(cmd) != 0)
            fail_msg("cannot create %s", dir);
    }
    return dir;
}

const char *tu_write_tmp(const char *name, const void *data, size_t len)
{
    static char paths[8][600];
    static int slot;
    char *p = paths[slot++ % 8];
    snprintf(p, 600, "%s/%s", tu_tmpdir(), name);
    FILE *f = fopen(p, "wb");
    if (!f)
        fail_msg("cannot write %s", p);
    if (len && fwrite(data, 1, len, f) != len)
        fail_msg("short write %s", p);
    fclose(f);
    return p;
}
