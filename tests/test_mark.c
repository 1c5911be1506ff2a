/* test_mark.c — the quality mark's building blocks (src/apps/mark/): the canonical
 * JSON (a canonical file parses and serialises back to the same bytes; every other
 * spelling of the same content is refused), the key files (0600, refused
 * overwrite, strict parsing), signing and verifying (every single-byte change of a
 * signed mark fails, a mark signed by one key fails with another). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manrs/apps/mark.h"

static const char canonical[] =
    "{\"a\":[],\"b\":{},\"c\":[1,-2,0,9007199254740991,true,false,null],\"d\":\"tab\\there \\\"q\\\" \\\\ "
    "\\u001f\\u007f / \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"e\":{\"Z\":1,\"a\":{\"x\":\"y\"},\"aa\":2}}\n";

static void canonical_round_trip(void **state)
{
    (void)state;
    char err[256];
    json_t *v = mark_canon_load(canonical, strlen(canonical), err, sizeof err);
    if (!v)
        fail_msg("%s", err);
    size_t n;
    char *c = mark_canon_dump(v, &n);
    assert_non_null(c);
    assert_int_equal(n, strlen(canonical) - 1);
    assert_memory_equal(c, canonical, n);
    free(c);
    /* a tree built in another order serialises to the same bytes */
    json_t *w = json_loads("{\"e\": {\"aa\": 2, \"a\": {\"x\": \"y\"}, \"Z\": 1}, \"d\": \"tab\\there \\\"q\\\" \\\\ "
                           "\\u001F\\u007F \\/ \\u00e9\\u20ac\\ud83d\\ude00\", \"c\": [1, -2, -0, 9007199254740991, "
                           "true, false, null], \"b\": {}, \"a\": []}",
                           0, NULL);
    assert_non_null(w);
    c = mark_canon_dump(w, &n);
    assert_non_null(c);
    assert_int_equal(n, strlen(canonical) - 1);
    assert_memory_equal(c, canonical, n);
    free(c);
    json_decref(w);
    json_decref(v);
}

static void other_spellings_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "{\"a\":1}",                 /* no newline */
        "{\"a\":1}\n\n",             /* two */
        "{\"a\": 1}\n",              /* whitespace */
        " {\"a\":1}\n",
        "{\"b\":1,\"a\":2}\n",       /* key order */
        "{\"a\":1,\"a\":1}\n",       /* duplicate */
        "{\"a\":\"\\u0041\"}\n",     /* needless escape */
        "{\"a\":\"\\/\"}\n",
        "{\"a\":\"\\u001F\"}\n",     /* upper-case hex */
        "{\"a\":\"\x7f\"}\n",        /* DEL must be escaped */
        "{\"a\":1.0}\n",             /* reals */
        "{\"a\":1e2}\n",
        "{\"a\":-0}\n",
        "{\"a\":9007199254740992}\n", /* beyond 2^53 - 1 */
        "{\"a\":01}\n",
        "[1]\n",                     /* not an object */
        "{\"a\":1}x\n",
        "{\"a\":\"\xc3\"}\n",        /* invalid UTF-8 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256];
        json_t *v = mark_canon_load(bad[i], strlen(bad[i]), err, sizeof err);
        if (v)
            fail_msg("accepted as canonical: %s", bad[i]);
    }
    /* reals have no canonical form at all */
    json_t *r = json_pack("{s:f}", "x", 1.5);
    size_t n;
    assert_null(mark_canon_dump(r, &n));
    json_decref(r);
}

static json_t *statement(const char *who)
{
    return json_pack("{s:s,s:i,s:{s:s,s:[i]},s:s,s:{s:s,s:b}}", "format", MARK_FORMAT, "version", MARK_VERSION,
                     "participant", "id", who, "asns", 64500, "period", "2025-12", "verdicts", "outcome",
                     "conformant", "conformant", 1);
}

static void keys_sign_and_verify(void **state)
{
    (void)state;
    char base[512], path[600], err[256];
    snprintf(base, sizeof base, "%s/mark-key", tu_tmpdir());
    snprintf(path, sizeof path, "%s.key", base);
    unlink(path);
    snprintf(path, sizeof path, "%s.pub", base);
    unlink(path);
    mark_key k, sk, pk;
    if (mark_keygen(base, false, &k, err, sizeof err) != 0)
        fail_msg("%s", err);
    struct stat st;
    snprintf(path, sizeof path, "%s.key", base);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(mark_keygen(base, false, &sk, err, sizeof err), -1);   /* no overwrite */
    assert_non_null(strstr(err, "--force"));
    if (mark_key_load_secret(path, &sk, err, sizeof err) != 0)
        fail_msg("%s", err);
    snprintf(path, sizeof path, "%s.pub", base);
    if (mark_key_load_public(path, &pk, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_memory_equal(sk.pk, k.pk, 32);
    assert_memory_equal(pk.pk, k.pk, 32);
    assert_string_equal(pk.fp, k.fp);
    assert_int_equal(strlen(k.fp), MARK_FP_LEN);

    json_t *s = statement("example");
    size_t len;
    char *m = mark_sign(s, &sk, &len, err, sizeof err);
    if (!m)
        fail_msg("%s", err);
    json_t *back = NULL;
    if (mark_verify_mem(m, len, &pk, &back, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_true(json_equal(json_object_get(back, "statement"), s));
    json_decref(back);
    /* the whole file is canonical: parse and serialise give the same bytes */
    json_t *v = mark_canon_load(m, len, err, sizeof err);
    assert_non_null(v);
    json_decref(v);

    /* every single-byte change fails, whichever bit */
    size_t accepted = 0;
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            m[i] ^= (char)(1 << bit);
            if (mark_verify_mem(m, len, &pk, NULL, err, sizeof err) == 0)
                accepted++;
            m[i] ^= (char)(1 << bit);
        }
    assert_int_equal(accepted, 0);
    assert_int_equal(mark_verify_mem(m, len, &pk, NULL, err, sizeof err), 0);
    assert_int_equal(mark_verify_mem(m, len - 1, &pk, NULL, err, sizeof err), -1);

    /* another key: refused, whether it names its own fingerprint or not */
    char base2[512];
    snprintf(base2, sizeof base2, "%s/mark-key2", tu_tmpdir());
    mark_key k2;
    if (mark_keygen(base2, true, &k2, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(mark_verify_mem(m, len, &k2, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "another key"));
    mark_key forged = k2;
    memcpy(forged.fp, k.fp, sizeof forged.fp);   /* the fingerprint matches, the key does not */
    assert_int_equal(mark_verify_mem(m, len, &forged, NULL, err, sizeof err), -1);
    char *m2 = mark_sign(s, &k2, &len, err, sizeof err);
    assert_non_null(m2);
    assert_int_equal(mark_verify_mem(m2, len, &k2, NULL, err, sizeof err), 0);
    assert_int_equal(mark_verify_mem(m2, len, &pk, NULL, err, sizeof err), -1);
    free(m2);
    free(m);
    json_decref(s);
}

static void key_files_are_read_strictly(void **state)
{
    (void)state;
    mark_key k;
    char err[256], base[512], path[600];
    snprintf(base, sizeof base, "%s/mark-key3", tu_tmpdir());
    if (mark_keygen(base, true, &k, err, sizeof err) != 0)
        fail_msg("%s", err);
    snprintf(path, sizeof path, "%s.pub", base);
    size_t len;
    char *pub = mark_read_file(path, &len, err, sizeof err);
    assert_non_null(pub);
    mark_key p;
    assert_int_equal(mark_key_parse_public(pub, len, &p, err, sizeof err), 0);
    size_t accepted = 0;
    for (size_t i = 0; i < len; i++) {
        pub[i] ^= 1;
        accepted += mark_key_parse_public(pub, len, &p, err, sizeof err) == 0;
        pub[i] ^= 1;
    }
    assert_int_equal(accepted, 0);
    assert_int_equal(mark_key_parse_public(pub, len - 1, &p, err, sizeof err), -1);
    free(pub);
    snprintf(path, sizeof path, "%s.key", base);
    char *sec = mark_read_file(path, &len, err, sizeof err);
    assert_non_null(sec);
    assert_int_equal(mark_key_parse_secret(sec, len, &p, err, sizeof err), 0);
    accepted = 0;
    for (size_t i = 0; i < len; i++) {
        sec[i] ^= 1;
        accepted += mark_key_parse_secret(sec, len, &p, err, sizeof err) == 0;
        sec[i] ^= 1;
    }
    assert_int_equal(accepted, 0);
    free(sec);
    /* a public key given as the secret key, and the other way round */
    assert_int_equal(mark_key_load_secret(path, &p, err, sizeof err), 0);
    assert_int_equal(mark_key_load_public(path, &p, err, sizeof err), -1);
}

static void layout_is_checked(void **state)
{
    (void)state;
    char err[256];
    static const char *const bad[] = {
        "{\"statement\":{\"format\":\"manrs-mark\",\"version\":1}}\n",
        "{\"extra\":1,\"signature\":{\"alg\":\"ed25519\",\"key\":\"x\",\"value\":\"y\"},"
        "\"statement\":{\"format\":\"manrs-mark\",\"version\":1}}\n",
        "{\"signature\":{\"alg\":\"rsa\",\"key\":\"x\",\"value\":\"y\"},\"statement\":{\"format\":\"manrs-mark\","
        "\"version\":1}}\n",
        "{\"signature\":{\"alg\":\"ed25519\",\"key\":\"x\",\"value\":\"y\"},\"statement\":{\"format\":\"manrs-mark\","
        "\"version\":2}}\n",
        "{\"signature\":{\"alg\":\"ed25519\",\"key\":1,\"value\":\"y\"},\"statement\":{\"format\":\"manrs-mark\","
        "\"version\":1}}\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *v = mark_load_mem(bad[i], strlen(bad[i]), err, sizeof err);
        if (v)
            fail_msg("accepted as a mark: %s", bad[i]);
    }
    static const char good[] = "{\"signature\":{\"alg\":\"ed25519\",\"key\":\"x\",\"value\":\"y\"},"
                               "\"statement\":{\"format\":\"manrs-mark\",\"version\":1}}\n";
    json_t *v = mark_load_mem(good, strlen(good), err, sizeof err);
    if (!v)
        fail_msg("%s", err);
    json_decref(v);
}

static void sha256_of_a_file(void **state)
{
    (void)state;
    const char *p = tu_write_tmp("mark-abc", "abc", 3);
    char hex[65], err[256];
    assert_int_equal(mark_sha256_file(p, hex, err, sizeof err), 0);
    /* FIPS 180-2, appendix B.1 */
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(mark_sha256_file(tu_tmpdir(), hex, err, sizeof err), -1);   /* a directory */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(canonical_round_trip),
        cmocka_unit_test(other_spellings_are_refused),
        cmocka_unit_test(keys_sign_and_verify),
        cmocka_unit_test(key_files_are_read_strictly),
        cmocka_unit_test(layout_is_checked),
        cmocka_unit_test(sha256_of_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
