/* testutil.h — shared helpers for the cmocka unit tests. */
#ifndef MANRS_TESTUTIL_H
#define MANRS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Path of a file under ../shared/data (MANRS_DATA), or NULL if the data set is
 * absent. Tests that need real data call this and skip() with a clear message. */
const char *tu_data_path(const char *rel, char *buf, size_t buflen);
/* Like tu_data_path, but prints "SKIP: <why>" and calls skip() when absent. */
#define TU_REQUIRE_DATA(rel, buf)                                                       \
    do {                                                                                \
        if (!tu_data_path((rel), (buf), sizeof(buf))) {                                 \
            print_message("SKIP: real data file %s not found (set MANRS_DATA)\n", rel); \
            skip();                                                                     \
        }                                                                               \
    } while (0)

/* A scratch directory for this test run (created on demand). */
const char *tu_tmpdir(void);
/* Write bytes to a new file in the scratch directory; returns its path (static buffer per call slot). */
const char *tu_write_tmp(const char *name, const void *data, size_t len);

#endif
