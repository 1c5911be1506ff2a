/*
 * fuzz_rpsl_ahead.c — differential libFuzzer target for the RPSL parser run on a
 * second thread (src/kb/irr/rpsl_ahead.c): the same input parsed synchronously and
 * ahead must give exactly the same objects (keys, values, line numbers), the
 * same messages in the same order and the same counts. The first input byte
 * picks the variant: key filter on/off, read size, a small object size limit.
 * A difference aborts (libFuzzer reports it as a crash).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/kb/irr/irr_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct feed {
    const uint8_t *p;
    size_t n, off, chunk;
} feed;

static size_t feed_read(void *ctx, void *buf, size_t n)
{
    feed *f = ctx;
    size_t k = f->n - f->off;
    if (k > n)
        k = n;
    if (k > f->chunk)
        k = f->chunk;
    memcpy(buf, f->p + f->off, k);
    f->off += k;
    return k;
}

typedef struct result {
    char *objs, *msgs;
    size_t objs_len, msgs_len;
    uint64_t objects, skipped, errors;
    int rc;
} result;

static void run(const uint8_t *data, size_t size, uint8_t mode, bool ahead, result *res)
{
    feed f = {data, size, 0, (size_t)1 << (mode & 7)};
    FILE *om = open_memstream(&res->objs, &res->objs_len);
    FILE *mm = open_memstream(&res->msgs, &res->msgs_len);
    if (!om || !mm)
        abort();
    mrs_diag d;
    mrs_diag_init(&d, mm);
    d.max_print = (mode & 0x40) ? 3 : 0;
    rpsl_parser *p = rpsl_parser_new(feed_read, &f, "fuzz.db", &d);
    if (!p)
        abort();
    if (mode & 0x08)
        rpsl_parser_set_key_filter(p, irr_db_key_used);
    if (mode & 0x10)
        rpsl_parser_set_max_object(p, 64);
    rpsl_parser_set_ahead(p, ahead);
    rpsl_object o;
    int r;
    while ((r = rpsl_next_object(p, &o)) > 0) {
        fprintf(om, "L%llu", (unsigned long long)o.line);
        for (size_t i = 0; i < o.n_attrs; i++) {
            /* Exact bytes: values may hold NUL bytes of binary input. */
            fprintf(om, " @%llu:", (unsigned long long)o.attrs[i].line);
            fwrite(o.attrs[i].key, 1, o.attrs[i].key_len + 1, om);
            fwrite(o.attrs[i].value, 1, o.attrs[i].value_len + 1, om);
        }
        fputc('\n', om);
    }
    res->rc = r;
    res->objects = rpsl_parser_objects(p);
    res->skipped = rpsl_parser_skipped(p);
    res->errors = d.errors;
    rpsl_parser_free(p);
    fclose(om);
    fclose(mm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    result a = {0}, b = {0};
    run(data + 1, size - 1, mode, false, &a);
    run(data + 1, size - 1, mode, true, &b);
    if (a.rc != b.rc || a.objects != b.objects || a.skipped != b.skipped || a.errors != b.errors ||
        a.objs_len != b.objs_len || memcmp(a.objs, b.objs, a.objs_len) != 0 || a.msgs_len != b.msgs_len ||
        memcmp(a.msgs, b.msgs, a.msgs_len) != 0) {
        fprintf(stderr, "parse ahead differs from synchronous parsing (mode 0x%02x)\n", mode);
        abort();
    }
    free(a.objs);
    free(a.msgs);
    free(b.objs);
    free(b.msgs);
    return 0;
}
