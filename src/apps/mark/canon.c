/*
 * canon.c — the mark's canonical JSON (mark.h, docs/programme.md): one byte
 * sequence per content, so that a signature over it is a signature over the
 * content, and a reader can demand that a file be exactly that sequence.
 *
 * The writer walks a jansson tree; the reader parses with jansson (duplicate keys
 * refused) and then requires the file to equal the writer's output for what it
 * parsed, byte for byte: whitespace, key order, escapes, number forms and
 * anything after the document are thereby all refused by one comparison.
 */
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/mark.h"
#include "manrs/core/json_out.h"

#define CANON_INT_MAX 9007199254740991LL     /* 2^53 - 1: exact in every JSON reader */

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int canon(const json_t *v, mrs_outbuf *o, int depth)
{
    if (depth > 64)
        return -1;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        size_t n = json_object_size(v), i = 0;
        const char **keys = malloc((n ? n : 1) * sizeof *keys);
        if (!keys)
            return -1;
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) keys[i++] = k;
        qsort(keys, n, sizeof *keys, cmp_keys);
        mrs_outbuf_putc(o, '{');
        int rc = 0;
        for (i = 0; i < n && rc == 0; i++) {
            if (i)
                mrs_outbuf_putc(o, ',');
            mrs_json_cstr(o, keys[i]);
            mrs_outbuf_putc(o, ':');
            rc = canon(json_object_get(v, keys[i]), o, depth + 1);
        }
        mrs_outbuf_putc(o, '}');
        free(keys);
        return rc;
    }
    case JSON_ARRAY:
        mrs_outbuf_putc(o, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                mrs_outbuf_putc(o, ',');
            if (canon(json_array_get(v, i), o, depth + 1) != 0)
                return -1;
        }
        mrs_outbuf_putc(o, ']');
        return 0;
    case JSON_STRING:
        mrs_json_str(o, json_string_value(v), json_string_length(v));
        return 0;
    case JSON_INTEGER: {
        json_int_t n = json_integer_value(v);
        if (n > CANON_INT_MAX || n < -CANON_INT_MAX)
            return -1;
        if (n < 0) {
            mrs_outbuf_putc(o, '-');
            n = -n;
        }
        mrs_outbuf_u64(o, (uint64_t)n);
        return 0;
    }
    case JSON_TRUE: mrs_outbuf_puts(o, "true"); return 0;
    case JSON_FALSE: mrs_outbuf_puts(o, "false"); return 0;
    case JSON_NULL: mrs_outbuf_puts(o, "null"); return 0;
    default: return -1;     /* reals have no canonical form here */
    }
}

int mark_canon_write(const json_t *v, mrs_outbuf *o)
{
    if (!v)
        return -1;
    int rc = canon(v, o, 0);
    return rc == 0 && !o->failed ? 0 : -1;
}

char *mark_canon_dump(const json_t *v, size_t *len)
{
    mrs_outbuf o;
    mrs_outbuf_init(&o, NULL);
    if (mark_canon_write(v, &o) != 0 || !mrs_outbuf_reserve(&o, 1)) {
        mrs_outbuf_close(&o);
        return NULL;
    }
    o.buf[o.len] = 0;
    *len = o.len;
    return o.buf;   /* out == NULL: the buffer is the caller's now */
}

json_t *mark_canon_load(const char *buf, size_t len, char *err, size_t errlen)
{
    if (!len || buf[len - 1] != '\n') {
        snprintf(err, errlen, "not canonical: the file does not end in one newline");
        return NULL;
    }
    json_error_t je;
    json_t *v = json_loadb(buf, len - 1, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        snprintf(err, errlen, "not JSON: byte %d: %s", je.position, je.text);
        return NULL;
    }
    if (!json_is_object(v)) {
        snprintf(err, errlen, "not a JSON object");
        json_decref(v);
        return NULL;
    }
    size_t n = 0;
    char *c = mark_canon_dump(v, &n);
    if (!c) {
        snprintf(err, errlen, "not canonical: a number that is not an integer below 2^53, or out of memory");
        json_decref(v);
        return NULL;
    }
    size_t i = 0;
    while (i < n && i < len - 1 && c[i] == buf[i])
        i++;
    free(c);
    if (i != n || n != len - 1) {
        snprintf(err, errlen, "not canonical: byte %zu differs from the canonical form", i);
        json_decref(v);
        return NULL;
    }
    return v;
}
