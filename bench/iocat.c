/*
 * iocat.c — benchmark helper: decompress a file through mrs_reader and write it
 * to stdout (like zcat), or count lines with -l (mrs_getline). Built by
 * bench/io.sh against build/libmanrs_lib.a; not part of the library or CLI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manrs/core/io.h"

int main(int argc, char **argv)
{
    int lines = argc == 3 && strcmp(argv[1], "-l") == 0;
    if (argc != 2 && !lines) {
        fprintf(stderr, "usage: iocat [-l] FILE\n");
        return 2;
    }
    char err[512];
    mrs_reader *r = mrs_reader_open(argv[argc - 1], err, sizeof err);
    if (!r) {
        fprintf(stderr, "iocat: %s\n", err);
        return 1;
    }
    if (lines) {
        char *line = NULL;
        size_t cap = 0, n = 0;
        while (mrs_getline(r, &line, &cap) >= 0)
            n++;
        free(line);
        printf("%zu\n", n);
    } else {
        static char buf[1 << 20];
        size_t got;
        while ((got = mrs_read(r, buf, sizeof buf)) > 0) {
            if (fwrite(buf, 1, got, stdout) != got) {
                perror("iocat: write");
                return 1;
            }
        }
    }
    int rc = 0;
    if (mrs_reader_error(r)) {
        fprintf(stderr, "iocat: %s: %s\n", mrs_reader_name(r), mrs_reader_errmsg(r));
        rc = 1;
    }
    fprintf(stderr, "iocat: %s %s: %llu bytes from %llu raw\n", mrs_reader_name(r),
            mrs_compression_name(mrs_reader_compression(r)), (unsigned long long)mrs_reader_offset(r),
            (unsigned long long)mrs_reader_raw_offset(r));
    mrs_reader_close(r);
    return rc;
}
