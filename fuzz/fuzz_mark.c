/* fuzz_mark.c — libFuzzer target for what `manrs mark verify` and `badge` read
 * from untrusted files (src/apps/mark/): the mark file (canonical JSON, the
 * layout, the signature check against a fixed public key), the public and secret
 * key files, and the badge page of whatever loads. Must never crash, leak or trip
 * UBSan; whatever loads as canonical must serialise back to exactly its bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/mark.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    char err[512];
    mark_key k;
    (void)mark_key_parse_public(buf, size, &k, err, sizeof err);
    (void)mark_key_parse_secret(buf, size, &k, err, sizeof err);
    /* the public key that signed the committed seed marks (fuzz/seeds/fuzz_mark/key.pub;
     * key-test-only.key is its secret half, a seed for the secret-key parser, never a real key) */
    static const unsigned char pk[32] = {
        0x53, 0x4b, 0xf6, 0x73, 0x51, 0x62, 0xb7, 0x49, 0x4a, 0xb5, 0xab, 0xbb, 0xd3, 0x85, 0x10, 0xbd,
        0xe4, 0x4b, 0x90, 0x8e, 0x62, 0xca, 0x0f, 0x30, 0x3a, 0x28, 0x09, 0x13, 0x39, 0x5e, 0xd5, 0x75};
    memset(&k, 0, sizeof k);
    memcpy(k.pk, pk, 32);
    mark_fingerprint(k.pk, k.fp);
    json_t *v = mark_canon_load(buf, size, err, sizeof err);
    if (v) {
        size_t n;
        char *c = mark_canon_dump(v, &n);
        if (!c || n + 1 != size || memcmp(c, buf, n) != 0)
            abort();
        free(c);
        json_decref(v);
    }
    json_t *m = mark_load_mem(buf, size, err, sizeof err);
    if (m) {
        FILE *f = fopen("/dev/null", "w");
        if (f) {
            (void)mark_badge(m, "mark.json", f);
            fclose(f);
        }
        json_decref(m);
    }
    json_t *ok = NULL;
    if (mark_verify_mem(buf, size, &k, &ok, err, sizeof err) == 0 && !ok)
        abort();
    json_decref(ok);
    return 0;
}
