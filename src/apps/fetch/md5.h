/*
 * md5.h — MD5 (RFC 1321), only to check downloads against the digests their
 * sources publish next to them (NAME.md5). Not for anything that needs a secure
 * hash.
 */
#ifndef MANRS_APPS_FETCH_MD5_H
#define MANRS_APPS_FETCH_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct fetch_md5 {
    uint32_t h[4];
    uint64_t len;           /* bytes hashed so far */
    uint8_t buf[64];
    size_t nbuf;
} fetch_md5;

void fetch_md5_init(fetch_md5 *m);
void fetch_md5_update(fetch_md5 *m, const void *data, size_t len);
void fetch_md5_final(fetch_md5 *m, uint8_t out[16]);
/* The digest of a whole buffer as 32 lowercase hex digits and a NUL. */
void fetch_md5_hex(const void *data, size_t len, char out[33]);
/* The digest of a file, as hex; 0, or -1 when it cannot be read (errno). */
int fetch_md5_file(const char *path, char out[33]);

#endif
