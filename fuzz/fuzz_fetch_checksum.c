/* fuzz_fetch_checksum.c — libFuzzer target for the checksum files `manrs fetch`
 * reads from the network (src/apps/fetch/fetch.c, fetch_checksum_find): md5sum
 * and BSD lines, lists naming several files, a bare digest, anything else. The
 * first input line is the file name asked for, the rest the checksum file. Must
 * never crash, read out of bounds or trip UBSan; a digest found is 32 lower-case
 * hex digits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = 0;
    char *nl = strchr(buf, '\n');
    const char *name = nl ? buf : "file.gz", *text = nl ? nl + 1 : buf;
    if (nl)
        *nl = 0;
    char out[33];
    if (fetch_checksum_find(text, name, out)) {
        if (strlen(out) != 32 || strspn(out, "0123456789abcdef") != 32)
            abort();
    }
    free(buf);
    return 0;
}
