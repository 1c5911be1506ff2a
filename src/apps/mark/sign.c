/*
 * sign.c — the mark's cryptography over libsodium (mark.h): Ed25519 keys and
 * their files, SHA-256 of the inputs, signing and verifying the mark file.
 *
 * Every reader is strict: a key file is exactly its format (re-encoded and
 * compared, so no second spelling of the same key is accepted), a signature is
 * exactly 128 lower-case hex digits, and the mark file exactly its canonical
 * form (canon.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manrs/apps/mark.h"

#define SK_HEAD "manrs-mark-secret-key-v1\n"
#define PK_HEAD "manrs-mark-public-key-v1\n"

static int lib_init(char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium could not be initialised");
        return -1;
    }
    return 0;
}

void mark_fingerprint(const unsigned char pk[32], char out[MARK_FP_LEN + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, pk, 32);
    sodium_bin2hex(out, MARK_FP_LEN + 1, h, MARK_FP_LEN / 2);
}

char *mark_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *b = malloc(cap + 1);
    while (b) {
        if (n == cap) {
            if (cap >= MARK_MAX_FILE) {
                snprintf(err, errlen, "%s: larger than %u bytes", path, MARK_MAX_FILE);
                free(b);
                fclose(f);
                return NULL;
            }
            char *nb = realloc(b, cap * 2 + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    if (!b) {
        snprintf(err, errlen, "out of memory");
        fclose(f);
        return NULL;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        free(b);
        fclose(f);
        return NULL;
    }
    fclose(f);
    b[n] = 0;
    *len = n;
    return b;
}

int mark_sha256_file(const char *path, char hex[65], char *err, size_t errlen)
{
    if (lib_init(err, errlen) != 0)
        return -1;
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    crypto_hash_sha256_state s;
    crypto_hash_sha256_init(&s);
    unsigned char *buf = malloc(1u << 16);
    if (!buf) {
        fclose(f);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t r;
    while ((r = fread(buf, 1, 1u << 16, f)) > 0)
        crypto_hash_sha256_update(&s, buf, r);
    free(buf);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s: read error", path);
        return -1;
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&s, h);
    sodium_bin2hex(hex, 65, h, sizeof h);
    return 0;
}

/* ------------------------------------------------------------------ key files */

/* line 2 of a key file: base64 of exactly n bytes, spelled the one way */
static int b64_line(const char *s, size_t slen, unsigned char *out, size_t n)
{
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(out, n, s, slen, NULL, &got, &end, sodium_base64_VARIANT_ORIGINAL) != 0 || got != n ||
        end != s + slen)
        return -1;
    char again[128];
    if (sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) > sizeof again)
        return -1;
    sodium_bin2base64(again, sizeof again, out, n, sodium_base64_VARIANT_ORIGINAL);
    return strlen(again) == slen && memcmp(again, s, slen) == 0 ? 0 : -1;
}

/* the next line of buf (without its "\n"); -1 when there is none */
static int next_line(const char *buf, size_t len, size_t *pos, const char **line, size_t *n)
{
    if (*pos >= len)
        return -1;
    const char *nl = memchr(buf + *pos, '\n', len - *pos);
    if (!nl)
        return -1;
    *line = buf + *pos;
    *n = (size_t)(nl - *line);
    *pos = (size_t)(nl - buf) + 1;
    return 0;
}

int mark_key_parse_secret(const char *buf, size_t len, mark_key *k, char *err, size_t errlen)
{
    memset(k, 0, sizeof *k);
    if (lib_init(err, errlen) != 0)
        return -1;
    size_t hl = strlen(SK_HEAD), pos = hl, n;
    const char *l;
    if (len < hl || memcmp(buf, SK_HEAD, hl) != 0) {
        snprintf(err, errlen, "not a manrs mark secret key (the first line is not manrs-mark-secret-key-v1)");
        return -1;
    }
    if (next_line(buf, len, &pos, &l, &n) != 0 || b64_line(l, n, k->sk, 64) != 0 || pos != len) {
        snprintf(err, errlen, "damaged secret key: the second and last line must be the key in base64");
        return -1;
    }
    unsigned char pk[32], sk[64];
    crypto_sign_seed_keypair(pk, sk, k->sk);   /* the seed is the first half */
    int same = sodium_memcmp(sk, k->sk, 64) == 0;
    sodium_memzero(sk, sizeof sk);
    if (!same) {
        sodium_memzero(k->sk, sizeof k->sk);
        snprintf(err, errlen, "damaged secret key: its public half does not belong to its seed");
        return -1;
    }
    memcpy(k->pk, pk, 32);
    k->has_sk = true;
    mark_fingerprint(k->pk, k->fp);
    return 0;
}

int mark_key_parse_public(const char *buf, size_t len, mark_key *k, char *err, size_t errlen)
{
    memset(k, 0, sizeof *k);
    if (lib_init(err, errlen) != 0)
        return -1;
    size_t hl = strlen(PK_HEAD), pos = hl, n;
    const char *l;
    if (len < hl || memcmp(buf, PK_HEAD, hl) != 0) {
        snprintf(err, errlen, "not a manrs mark public key (the first line is not manrs-mark-public-key-v1)");
        return -1;
    }
    if (next_line(buf, len, &pos, &l, &n) != 0 || b64_line(l, n, k->pk, 32) != 0) {
        snprintf(err, errlen, "damaged public key: the second line must be the key in base64");
        return -1;
    }
    mark_fingerprint(k->pk, k->fp);
    char want[32];
    snprintf(want, sizeof want, "fingerprint %s", k->fp);
    if (next_line(buf, len, &pos, &l, &n) != 0 || n != strlen(want) || memcmp(l, want, n) != 0 || pos != len) {
        snprintf(err, errlen, "damaged public key: the third and last line must be '%s'", want);
        return -1;
    }
    return 0;
}

static int load_key(const char *path, mark_key *k, bool secret, char *err, size_t errlen)
{
    size_t len;
    char e[256];
    char *b = mark_read_file(path, &len, e, sizeof e);
    if (!b) {
        snprintf(err, errlen, "%s", e);
        return -1;
    }
    int rc = secret ? mark_key_parse_secret(b, len, k, e, sizeof e) : mark_key_parse_public(b, len, k, e, sizeof e);
    sodium_memzero(b, len);
    free(b);
    if (rc != 0)
        snprintf(err, errlen, "%s: %s", path, e);
    return rc;
}

int mark_key_load_secret(const char *path, mark_key *k, char *err, size_t errlen)
{
    return load_key(path, k, true, err, errlen);
}

int mark_key_load_public(const char *path, mark_key *k, char *err, size_t errlen)
{
    return load_key(path, k, false, err, errlen);
}

/* write text to path, created with mode (O_EXCL: an existing file was removed
 * first when force, refused otherwise) */
static int write_new(const char *path, const char *text, mode_t mode, bool force, char *err, size_t errlen)
{
    if (force && unlink(path) != 0 && errno != ENOENT) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s%s", path, strerror(errno), errno == EEXIST ? " (--force replaces it)" : "");
        return -1;
    }
    size_t n = strlen(text), off = 0;
    while (off < n) {
        ssize_t w = write(fd, text + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(err, errlen, "%s: write error: %s", path, strerror(w < 0 ? errno : ENOSPC));
            close(fd);
            unlink(path);
            return -1;
        }
        off += (size_t)w;
    }
    if (fchmod(fd, mode) != 0 || close(fd) != 0) {
        snprintf(err, errlen, "%s: write error: %s", path, strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;
}

int mark_keygen(const char *base, bool force, mark_key *k, char *err, size_t errlen)
{
    memset(k, 0, sizeof *k);
    if (lib_init(err, errlen) != 0)
        return -1;
    size_t bl = strlen(base);
    char *kp = malloc(bl + 5), *pp = malloc(bl + 5);
    if (!kp || !pp) {
        free(kp);
        free(pp);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(kp, bl + 5, "%s.key", base);
    snprintf(pp, bl + 5, "%s.pub", base);
    int rc = -1;
    struct stat st;
    if (!force && (lstat(kp, &st) == 0 || lstat(pp, &st) == 0)) {
        snprintf(err, errlen, "%s: exists (--force replaces it)", lstat(kp, &st) == 0 ? kp : pp);
        goto out;
    }
    crypto_sign_keypair(k->pk, k->sk);
    k->has_sk = true;
    mark_fingerprint(k->pk, k->fp);
    char sk64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
    char pk64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(sk64, sizeof sk64, k->sk, 64, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(pk64, sizeof pk64, k->pk, 32, sodium_base64_VARIANT_ORIGINAL);
    char text[256];
    snprintf(text, sizeof text, "%s%s\n", SK_HEAD, sk64);
    int w = write_new(kp, text, 0600, force, err, errlen);
    sodium_memzero(text, sizeof text);
    sodium_memzero(sk64, sizeof sk64);
    if (w != 0)
        goto out;
    snprintf(text, sizeof text, "%s%s\nfingerprint %s\n", PK_HEAD, pk64, k->fp);
    if (write_new(pp, text, 0644, force, err, errlen) != 0) {
        unlink(kp);
        goto out;
    }
    rc = 0;
out:
    free(kp);
    free(pp);
    return rc;
}

/* ------------------------------------------------------------------ the mark file */

static unsigned char *signed_message(const json_t *statement, size_t *len)
{
    size_t n;
    char *c = mark_canon_dump(statement, &n);
    if (!c)
        return NULL;
    size_t hl = strlen(MARK_SIGN_CONTEXT);
    unsigned char *m = malloc(hl + n);
    if (m) {
        memcpy(m, MARK_SIGN_CONTEXT, hl);
        memcpy(m + hl, c, n);
        *len = hl + n;
    }
    free(c);
    return m;
}

char *mark_sign(const json_t *statement, const mark_key *k, size_t *len, char *err, size_t errlen)
{
    if (lib_init(err, errlen) != 0)
        return NULL;
    if (!k->has_sk) {
        snprintf(err, errlen, "no secret key");
        return NULL;
    }
    size_t mlen;
    unsigned char *m = signed_message(statement, &mlen);
    if (!m) {
        snprintf(err, errlen, "the statement has no canonical form (a real number?) or out of memory");
        return NULL;
    }
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, m, mlen, k->sk);
    free(m);
    char hex[2 * crypto_sign_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, sig, sizeof sig);
    json_t *root = json_pack("{s:{s:s,s:s,s:s},s:O}", "signature", "alg", "ed25519", "key", k->fp, "value", hex,
                             "statement", statement);
    size_t n;
    char *c = root ? mark_canon_dump(root, &n) : NULL;
    json_decref(root);
    char *out = c ? realloc(c, n + 2) : NULL;
    if (!out) {
        free(c);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    out[n] = '\n';
    out[n + 1] = 0;
    *len = n + 1;
    return out;
}

static bool only_keys(const json_t *o, const char *const *keys, size_t n)
{
    if (!json_is_object(o) || json_object_size(o) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!json_object_get(o, keys[i]))
            return false;
    return true;
}

json_t *mark_load_mem(const char *buf, size_t len, char *err, size_t errlen)
{
    char e[256];
    json_t *root = mark_canon_load(buf, len, e, sizeof e);
    if (!root) {
        snprintf(err, errlen, "%s", e);
        return NULL;
    }
    static const char *const top[] = {"signature", "statement"}, *const sig[] = {"alg", "key", "value"};
    const json_t *s = json_object_get(root, "signature"), *st = json_object_get(root, "statement");
    const char *why = NULL;
    if (!only_keys(root, top, 2))
        why = "not a mark: the object must hold exactly \"signature\" and \"statement\"";
    else if (!only_keys(s, sig, 3))
        why = "not a mark: the signature must hold exactly \"alg\", \"key\" and \"value\"";
    else if (!json_is_string(json_object_get(s, "alg")) || strcmp(json_string_value(json_object_get(s, "alg")), "ed25519"))
        why = "the signature's algorithm is not ed25519";
    else if (!json_is_string(json_object_get(s, "key")) || !json_is_string(json_object_get(s, "value")))
        why = "the signature's key and value must be strings";
    else if (!json_is_object(st) || !json_is_string(json_object_get(st, "format")) ||
             strcmp(json_string_value(json_object_get(st, "format")), MARK_FORMAT) ||
             !json_is_integer(json_object_get(st, "version")))
        why = "not a mark: the statement's format is not " MARK_FORMAT;
    else if (json_integer_value(json_object_get(st, "version")) != MARK_VERSION)
        why = "a mark of another version than 1";
    if (why) {
        snprintf(err, errlen, "%s", why);
        json_decref(root);
        return NULL;
    }
    return root;
}

int mark_verify_mem(const char *buf, size_t len, const mark_key *k, json_t **mark, char *err, size_t errlen)
{
    if (mark)
        *mark = NULL;
    if (lib_init(err, errlen) != 0)
        return -1;
    json_t *root = mark_load_mem(buf, len, err, errlen);
    if (!root)
        return -1;
    const json_t *s = json_object_get(root, "signature");
    const char *fp = json_string_value(json_object_get(s, "key"));
    const char *hex = json_string_value(json_object_get(s, "value"));
    unsigned char sig[crypto_sign_BYTES];
    char again[2 * crypto_sign_BYTES + 1];
    size_t got = 0, mlen = 0;
    unsigned char *m = NULL;
    const char *why = NULL;
    char other[160];
    if (strcmp(fp, k->fp) != 0) {
        bool hex16 = strlen(fp) == MARK_FP_LEN && strspn(fp, "0123456789abcdef") == MARK_FP_LEN;
        snprintf(other, sizeof other, "signed by another key (the mark names key %s, the public key is %s)",
                 hex16 ? fp : "(not a fingerprint)", k->fp);
        why = other;
    } else if (strlen(hex) != 2 * crypto_sign_BYTES ||
             sodium_hex2bin(sig, sizeof sig, hex, strlen(hex), NULL, &got, NULL) != 0 || got != sizeof sig ||
             (sodium_bin2hex(again, sizeof again, sig, sizeof sig), strcmp(again, hex) != 0))
        why = "the signature is not 128 lower-case hex digits";
    else if (!(m = signed_message(json_object_get(root, "statement"), &mlen)))
        why = "out of memory";
    else if (crypto_sign_verify_detached(sig, m, mlen, k->pk) != 0)
        why = "the signature does not match the statement (the mark was changed, or not signed by this key)";
    free(m);
    if (why) {
        snprintf(err, errlen, "%s", why);
        json_decref(root);
        return -1;
    }
    if (mark)
        *mark = root;
    else
        json_decref(root);
    return 0;
}
