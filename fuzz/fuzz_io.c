/*
 * fuzz_io.c — libFuzzer target for the streaming reader (src/core/io.c).
 *
 * The input is a whole "file" given to mrs_reader_open_mem, so the fuzzer
 * explores magic detection and all four decompressors on hostile data. It is
 * read twice: once with mrs_read in odd-sized chunks (sizes taken from the
 * input itself), once with mrs_getline. Invariants checked: reads never return
 * more than asked, offsets only grow, the error state is the same in both passes
 * and, for undamaged input, both deliver the same byte count. (On corrupt data
 * the byte count may differ: libbz2, for one, writes part of a block before it
 * finds the block bad and how much depends on the output buffer size.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/io.h"

#define CHECK(c) \
    do {         \
        if (!(c)) \
            abort(); \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t sizes[] = {1, 3, 17, 255, 4093, 40961, 131075};
    uint8_t *buf = malloc(131075);
    if (!buf)
        return 0;
    mrs_reader *r = mrs_reader_open_mem(data, size, "fuzz");
    if (!r) {
        free(buf);
        return 0;
    }
    uint64_t total = 0, last_raw = 0;
    for (size_t i = 0;; i++) {
        size_t want = sizes[(i + (size ? data[i % size] : 0)) % 7];
        size_t got = mrs_read(r, buf, want);
        CHECK(got <= want);
        total += got;
        CHECK(mrs_reader_offset(r) == total);
        CHECK(mrs_reader_raw_offset(r) >= last_raw && mrs_reader_raw_offset(r) <= size);
        last_raw = mrs_reader_raw_offset(r);
        if (got < want)
            break;
        if (total > ((uint64_t)64 << 20))
            break; /* decompression bombs: enough is enough */
    }
    int err1 = mrs_reader_error(r);
    CHECK(strlen(mrs_reader_errmsg(r)) == 0 || err1);
    int bomb = total > ((uint64_t)64 << 20);
    mrs_reader_close(r);

    if (!bomb) {
        r = mrs_reader_open_mem(data, size, "fuzz-lines");
        CHECK(r != NULL);
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        while ((len = mrs_getline(r, &line, &cap)) >= 0) {
            CHECK((size_t)len < cap);
            CHECK(line[len] == '\0');
            CHECK(err1 || mrs_reader_offset(r) <= total);
        }
        CHECK(mrs_reader_error(r) == err1);
        CHECK(err1 || mrs_reader_offset(r) == total);
        free(line);
        mrs_reader_close(r);
    }
    free(buf);
    return 0;
}
