/*
 * io.h — streaming input with transparent decompression.
 *
 * Every file manrs reads (MRT dumps, VRP exports, RPSL dumps, as-rel files) goes
 * through one reader. The compression is detected from the first bytes of the
 * stream (magic numbers), never from the file name: plain, gzip (also multi-member,
 * as written by pigz or by appending), bzip2 (also multi-stream, pbzip2), xz and
 * zstd. Memory is bounded: the reader holds one fixed input buffer and the
 * decompressor's state, never the whole file.
 *
 * A damaged compressed stream (cut short, corrupt block) is not fatal for the
 * bytes that were decoded before the damage: mrs_read returns them, then returns
 * short, and mrs_reader_error() tells what happened and at which offsets, so that
 * the caller can name the file and the offset in its error message.
 */
#ifndef MANRS_IO_H
#define MANRS_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "manrs/core/diag.h"

typedef enum mrs_compression {
    MRS_COMP_NONE = 0,
    MRS_COMP_GZIP,
    MRS_COMP_BZIP2,
    MRS_COMP_XZ,
    MRS_COMP_ZSTD
} mrs_compression;

typedef struct mrs_reader mrs_reader;

/* Open a file ("-" is standard input). On failure returns NULL and writes a
 * message naming the file into err (if err != NULL). */
mrs_reader *mrs_reader_open(const char *path, char *err, size_t errlen);
/* The same, but err gets the reason only ("No such file or directory"), for
 * callers that name the file themselves (mrs_diag_error_file(d, path, ...)). */
mrs_reader *mrs_reader_open_why(const char *path, char *why, size_t whylen);

/* Read from a caller-owned memory buffer (tests, fuzzers); name is used in messages.
 * The buffer must outlive the reader. Compression is detected as for files. */
mrs_reader *mrs_reader_open_mem(const void *buf, size_t len, const char *name);

/* Read up to n decompressed bytes into buf. Returns the number of bytes read:
 * less than n only at the end of the stream or when the stream is damaged
 * (then mrs_reader_error() != 0). Never blocks forever on a regular file. */
size_t mrs_read(mrs_reader *r, void *buf, size_t n);

/* Read one line (without the trailing '\n'; a '\r' before it is removed too).
 * *line is (re)allocated as needed and owned by the caller (free it once at the end).
 * Returns the line length, or -1 at end of input / on error. A final line without
 * '\n' is returned as a line. */
ssize_t mrs_getline(mrs_reader *r, char **line, size_t *cap);

/* Nonzero once the stream turned out damaged (truncated or corrupt compressed
 * data, or an I/O error); the message names the kind of damage and the offsets. */
int mrs_reader_error(const mrs_reader *r);
const char *mrs_reader_errmsg(const mrs_reader *r);

const char *mrs_reader_name(const mrs_reader *r);       /* path, "[stdin]" or the mem name */
mrs_compression mrs_reader_compression(const mrs_reader *r);
const char *mrs_compression_name(mrs_compression c);    /* "plain", "gzip", ... */

/* Decompressed bytes delivered so far (the offset of the next byte mrs_read returns). */
uint64_t mrs_reader_offset(const mrs_reader *r);
/* Raw (compressed) bytes consumed from the file so far, and the file size in raw
 * bytes (0 if unknown, e.g. a pipe). Used for "% of file" progress. */
uint64_t mrs_reader_raw_offset(const mrs_reader *r);
uint64_t mrs_reader_raw_size(const mrs_reader *r);

void mrs_reader_close(mrs_reader *r);

/* The next decoded bytes, without consuming them: what one refill gives (up to
 * 128 KiB; fewer from a pipe or at the end), *n = 0 at the end of the input. */
const void *mrs_reader_peek(mrs_reader *r, size_t *n);

/* Longest line mrs_getline returns in text mode. */
#define MRS_LINE_MAX (1u << 20)

/* Judges the first bytes (p, n > 0) of a text file: NULL if they may start the
 * expected format, else why not (a phrase: "JSON must start with '{' or '['"). */
typedef const char *(*mrs_text_sniff)(const char *p, size_t n);
/* JSON: the first character after a UTF-8 BOM and whitespace is '{' or '['. */
const char *mrs_sniff_json(const char *p, size_t n);

/* Call right after opening a file of a text format (`what`: "a VRP export",
 * "an RPSL dump", ...). Wrong or endless input is rejected from its first bytes,
 * before anything is loaded: binary data (a NUL byte, or more than 1 % control
 * bytes in the first chunk: /dev/zero, random data, an MRT dump) and, with
 * sniff, text that cannot start the format. Reported as `FILE: not WHAT: why`
 * and -1 returned. On 0 the reader is in text mode: a NUL byte later in the
 * input, or (mrs_getline) a line longer than MRS_LINE_MAX, ends the stream with
 * an error (mrs_reader_error / mrs_reader_errmsg), so memory and time stay
 * bounded whatever follows a good start. An empty input passes. */
int mrs_reader_expect_text(mrs_reader *r, const char *what, mrs_text_sniff sniff, mrs_diag *d);

/* Read a whole (small) file into memory, decompressed: for the formats that are
 * parsed as one document (PeeringDB JSON, Spoofer CSV). A file that cannot be
 * opened, is damaged or would exceed max bytes is reported through d as
 * `FILE: what` and -1 returned; else 0 with *buf (malloc'ed, owned by the caller)
 * and *len. */
int mrs_read_whole(const char *path, size_t max, mrs_diag *d, char **buf, size_t *len);
/* The same for a text format, checked as by mrs_reader_expect_text first. */
int mrs_read_whole_text(const char *path, size_t max, const char *what, mrs_text_sniff sniff, mrs_diag *d,
                        char **buf, size_t *len);

/* Create the directories of path (not its last component), as `mkdir -p` of its
 * dirname does. 0, or -1 with errno. */
int mrs_mkdir_parents(const char *path);

#endif
