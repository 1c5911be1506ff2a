/*
 * json_out.h — THE JSON string writer for streamed output (dump --json lines,
 * report --format json, antispoof -f json, filter -j). Documents that are built
 * whole (observe --json, check --json, validate --json) use jansson instead; every
 * other JSON string manrs prints goes through here, so there is one escaping rule.
 *
 * The rule, RFC 8259 section 7, output always valid JSON and valid UTF-8:
 *
 *   - '"' and '\' are escaped as \" and \\;
 *   - control characters U+0000..U+001F are escaped: \b \f \n \r \t in their short
 *     forms, the others as \u00XX (lower-case hex); DEL (0x7f) is written as \u007f
 *     as well (not required by the RFC, but keeps ASCII input printable ASCII);
 *   - '/' is NOT escaped; every other printable ASCII byte is copied;
 *   - well-formed UTF-8 (RFC 3629: 2-, 3- and 4-byte sequences) is copied unchanged;
 *   - every byte that is not part of well-formed UTF-8 — a stray continuation byte,
 *     an overlong form (C0, C1, E0 80..9F, F0 80..8F), a UTF-16 surrogate
 *     (ED A0..BF, i.e. U+D800..U+DFFF), a code point above U+10FFFF (F4 90.., F5..FF)
 *     or a truncated sequence — is replaced by U+FFFD, written as the escape
 *     \ufffd, one per offending byte.
 *
 * Why replace rather than copy: the strings come from data (file names given on the
 * command line, IRR source names, store text, MRT-derived text) that may hold any
 * bytes. JSON text must be UTF-8 (RFC 8259 section 8.1); a single raw invalid byte
 * makes strict parsers (jansson, Python's json with strict decoding, jq) reject the
 * whole document. Replacing keeps every output parseable whatever the input holds,
 * and loses only bytes that had no meaning as text. Reading a Latin-1 byte as a
 * code point (writing \u00e9 for 0xE9) would instead silently turn UTF-8 text into
 * mojibake ("é" -> "Ã©"), so that is never done.
 *
 * Speed: runs of plain ASCII are found 8 bytes at a time (then with a table) and
 * copied in one call; the mrs_outbuf variants reserve once per string (or per 4 KiB
 * slice of a long one) and write straight into the buffer, the FILE variants make
 * one fwrite per string (or per 512-byte slice).
 */
#ifndef MANRS_JSON_OUT_H
#define MANRS_JSON_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "manrs/core/outbuf.h"

/* s[0..n) as a quoted JSON string; s may hold NUL bytes (written as \u0000). */
void mrs_json_str(mrs_outbuf *o, const char *s, size_t n);
/* NUL-terminated s as a quoted JSON string; NULL is written as null. */
void mrs_json_cstr(mrs_outbuf *o, const char *s);

/* The same for a stdio stream; write errors are left in ferror(f). */
void mrs_json_fstr(FILE *f, const char *s, size_t n);
void mrs_json_fcstr(FILE *f, const char *s);

/* The escaped body (no quotes) of s[0..n) into dst, which must have room for
 * MRS_JSON_ESC_MAX(n) bytes; returns the number of bytes written. */
#define MRS_JSON_ESC_MAX(n) (6 * (size_t)(n))
size_t mrs_json_escape(char *dst, const char *s, size_t n);

/* For documents built with jansson (whose json_string refuses invalid UTF-8 and
 * returns NULL, which would silently drop the key): a malloc'ed copy of s with
 * every byte that is not part of well-formed UTF-8 replaced by U+FFFD, by the same
 * rule as above. NULL when out of memory. */
char *mrs_utf8_text(const char *s);

#endif
