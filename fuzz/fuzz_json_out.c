/*
 * fuzz_json_out.c — libFuzzer target for the JSON string writer
 * (src/core/json_out.c). The input bytes, as they are and (when the first byte
 * is 0 mod 8) repeated past the writers' slice sizes (512 bytes for FILE, 4096
 * for mrs_outbuf), go through every entry point (mrs_outbuf, FILE, the raw escaper, the C-string forms). Checked:
 *   - all entry points write the same bytes, within the documented bound;
 *   - the output holds no raw control character or DEL;
 *   - jansson (json_loadb, JSON_DECODE_ANY | JSON_ALLOW_NUL: it validates UTF-8)
 *     always accepts it as one string;
 *   - when the input is valid UTF-8 (jansson's json_stringn accepts it) the
 *     string decodes back to the input, byte for byte; otherwise it differs from
 *     the input and holds U+FFFD.
 * Any failure aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "manrs/core/json_out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reused across runs: mrs_outbuf_init allocates 128 KiB, which would dominate. */
static mrs_outbuf ob[2];

static mrs_outbuf *fresh(int k)
{
    if (!ob[k].buf)
        mrs_outbuf_init(&ob[k], NULL);
    ob[k].len = 0;
    return &ob[k];
}

static int has_fffd(const char *v, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (memcmp(v + i, "\xef\xbf\xbd", 3) == 0)
            return 1;
    return 0;
}

static void check(const char *s, size_t n)
{
    mrs_outbuf *o = fresh(0);
    mrs_json_str(o, s, n);
    if (o->len < 2 || o->len > MRS_JSON_ESC_MAX(n) + 2 || o->buf[0] != '"' || o->buf[o->len - 1] != '"')
        abort();
    for (size_t i = 0; i < o->len; i++)
        if ((unsigned char)o->buf[i] < 0x20 || o->buf[i] == 0x7f)
            abort();

    char *raw = malloc(MRS_JSON_ESC_MAX(n) + 1);
    if (!raw)
        abort();
    size_t rn = mrs_json_escape(raw, s, n);
    if (rn + 2 != o->len || memcmp(raw, o->buf + 1, rn) != 0)
        abort();
    free(raw);

    char *fb = NULL;
    size_t fl = 0;
    FILE *f = open_memstream(&fb, &fl);
    if (!f)
        abort();
    mrs_json_fstr(f, s, n);
    if (fclose(f) != 0 || fl != o->len || memcmp(fb, o->buf, fl) != 0)
        abort();
    free(fb);

    json_error_t err;
    json_t *j = json_loadb(o->buf, o->len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!j || !json_is_string(j))
        abort();
    const char *v = json_string_value(j);
    size_t vn = json_string_length(j);
    json_t *in = json_stringn(s, n);
    if (in) { /* valid UTF-8: round trip */
        if (vn != n || memcmp(v, s, n) != 0)
            abort();
        json_decref(in);
    } else if ((vn == n && memcmp(v, s, n) == 0) || !has_fffd(v, vn)) {
        abort();
    }
    json_decref(j);
}

/* The C-string forms stop at the first NUL and agree with the length forms. */
static void check_cstr(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (!c)
        abort();
    memcpy(c, s, n);
    c[n] = 0;
    size_t cn = strlen(c);
    mrs_outbuf *a = fresh(0), *b = fresh(1);
    mrs_json_cstr(a, c);
    mrs_json_str(b, c, cn);
    if (a->len != b->len || memcmp(a->buf, b->buf, a->len) != 0)
        abort();
    char *fb = NULL;
    size_t fl = 0;
    FILE *f = open_memstream(&fb, &fl);
    if (!f)
        abort();
    mrs_json_fcstr(f, c);
    if (fclose(f) != 0 || fl != a->len || memcmp(fb, a->buf, fl) != 0)
        abort();
    free(fb);
    free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    check(s, size);
    check_cstr(s, size);
    /* repeated past both slice sizes; for one input in 8 (by its first byte), as
     * this costs ten times the rest */
    if (size && size < 4200 && (data[0] & 7) == 0) {
        size_t reps = 4200 / size + 1, n = reps * size;
        char *big = malloc(n);
        if (!big)
            abort();
        for (size_t i = 0; i < reps; i++)
            memcpy(big + i * size, s, size);
        check(big, n);
        free(big);
    }
    return 0;
}
