/*
 * slurm.c — SLURM files (RFC 8416; see slurm.h): parsed strictly, since a local
 * exception that is not what its author meant silently changes what routers
 * accept.
 */
#include "manrs/kb/slurm.h"
#include "manrs/core/grow.h"
#include "manrs/core/io.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SLURM (64u << 20)

#define REJECT(...)                                                                                                    \
    do {                                                                                                               \
        mrs_diag_error_file(d, name, __VA_ARGS__);                                                                     \
        goto fail;                                                                                                     \
    } while (0)

void mrs_slurm_clear(mrs_slurm *s)
{
    free(s->filters);
    free(s->assertions);
    memset(s, 0, sizeof *s);
}

/* Only the members listed (RFC 8416 §3: no other member is allowed). */
static const char *unknown_member(const json_t *o, const char *const *known)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v) {
        bool ok = false;
        for (size_t i = 0; known[i] && !ok; i++)
            ok = !strcmp(k, known[i]);
        if (!ok)
            return k;
    }
    return NULL;
}

static bool get_asn(const json_t *j, uint32_t *asn)
{
    if (!json_is_integer(j) || json_integer_value(j) < 0 || json_integer_value(j) > UINT32_MAX)
        return false;
    *asn = (uint32_t)json_integer_value(j);
    return true;
}

static bool get_prefix(const json_t *j, mrs_prefix *p)
{
    const char *s = json_string_value(j);
    return s && strchr(s, '/') && mrs_prefix_parse(s, strlen(s), p, true);
}

static bool get_array(const json_t *parent, const char *key, json_t **out)
{
    *out = json_object_get(parent, key);
    return json_is_array(*out);
}

int mrs_slurm_load_mem(mrs_slurm *s, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    memset(s, 0, sizeof *s);
    json_error_t je;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    json_t *vof, *laa, *pf, *bf, *pa, *ba, *v;
    size_t i, cap;
    const char *u;
    if (!root)
        REJECT("line %d, column %d: %s", je.line, je.column, je.text);
    static const char *const top[] = {"slurmVersion", "validationOutputFilters", "locallyAddedAssertions", NULL};
    static const char *const vo[] = {"prefixFilters", "bgpsecFilters", NULL};
    static const char *const la[] = {"prefixAssertions", "bgpsecAssertions", NULL};
    static const char *const pfk[] = {"prefix", "asn", "comment", NULL};
    static const char *const pak[] = {"asn", "prefix", "maxPrefixLength", "comment", NULL};
    if (!json_is_object(root))
        REJECT("not a JSON object");
    if ((u = unknown_member(root, top)))
        REJECT("unknown member \"%s\" (RFC 8416 §3.2)", u);
    json_t *ver = json_object_get(root, "slurmVersion");
    if (!json_is_integer(ver) || json_integer_value(ver) != 1)
        REJECT("slurmVersion must be 1 (RFC 8416 §3.2)");
    vof = json_object_get(root, "validationOutputFilters");
    laa = json_object_get(root, "locallyAddedAssertions");
    if (!json_is_object(vof) || !json_is_object(laa))
        REJECT("validationOutputFilters and locallyAddedAssertions objects are required (RFC 8416 §3.2)");
    if ((u = unknown_member(vof, vo)) || (u = unknown_member(laa, la)))
        REJECT("unknown member \"%s\" (RFC 8416 §3.3, §3.4)", u);
    if (!get_array(vof, "prefixFilters", &pf) || !get_array(vof, "bgpsecFilters", &bf) ||
        !get_array(laa, "prefixAssertions", &pa) || !get_array(laa, "bgpsecAssertions", &ba))
        REJECT("prefixFilters, bgpsecFilters, prefixAssertions and bgpsecAssertions arrays are required");
    s->bgpsec_ignored = json_array_size(bf) + json_array_size(ba);
    cap = 0;
    json_array_foreach(pf, i, v) {
        mrs_slurm_filter f;
        memset(&f, 0, sizeof f);
        if (!json_is_object(v) || (u = unknown_member(v, pfk)))
            REJECT("prefixFilters[%zu]: not an object of prefix, asn, comment", i);
        json_t *p = json_object_get(v, "prefix"), *a = json_object_get(v, "asn");
        if (!p && !a)
            REJECT("prefixFilters[%zu]: a filter needs a prefix, an asn or both (RFC 8416 §3.3.1)", i);
        if (p && !(f.has_prefix = get_prefix(p, &f.prefix)))
            REJECT("prefixFilters[%zu]: bad prefix (a prefix without host bits set)", i);
        if (a && !(f.has_asn = get_asn(a, &f.asn)))
            REJECT("prefixFilters[%zu]: bad asn (0 to 4294967295)", i);
        mrs_slurm_filter *nf = mrs_grow(s->filters, &cap, s->n_filters + 1, sizeof *nf, 16);
        if (!nf)
            REJECT("out of memory");
        s->filters = nf;
        s->filters[s->n_filters++] = f;
    }
    cap = 0;
    json_array_foreach(pa, i, v) {
        mrs_vrp r;
        memset(&r, 0, sizeof r);
        if (!json_is_object(v) || (u = unknown_member(v, pak)))
            REJECT("prefixAssertions[%zu]: not an object of asn, prefix, maxPrefixLength, comment", i);
        if (!get_prefix(json_object_get(v, "prefix"), &r.prefix) || !get_asn(json_object_get(v, "asn"), &r.asn))
            REJECT("prefixAssertions[%zu]: prefix (without host bits) and asn are required", i);
        json_t *ml = json_object_get(v, "maxPrefixLength");
        unsigned bits = mrs_afi_bits(r.prefix.afi);
        r.maxlen = r.prefix.len;
        if (ml) {
            if (!json_is_integer(ml) || json_integer_value(ml) < r.prefix.len || json_integer_value(ml) > bits)
                REJECT("prefixAssertions[%zu]: maxPrefixLength must be between the prefix length and %u", i, bits);
            r.maxlen = (uint8_t)json_integer_value(ml);
        }
        mrs_vrp *na = mrs_grow(s->assertions, &cap, s->n_assertions + 1, sizeof *na, 16);
        if (!na)
            REJECT("out of memory");
        s->assertions = na;
        s->assertions[s->n_assertions++] = r;
    }
    json_decref(root);
    return 0;
fail:
    json_decref(root);
    mrs_slurm_clear(s);
    return -1;
}

int mrs_slurm_load(mrs_slurm *s, const char *path, mrs_diag *d)
{
    char *buf;
    size_t len;
    memset(s, 0, sizeof *s);
    if (mrs_read_whole_text(path, MAX_SLURM, "a SLURM file", NULL, d, &buf, &len) != 0)
        return -1;
    int rc = mrs_slurm_load_mem(s, buf, len, path, d);
    free(buf);
    return rc;
}

bool mrs_slurm_filtered(const mrs_slurm *s, const mrs_prefix *p, uint32_t asn)
{
    for (size_t i = 0; i < s->n_filters; i++) {
        const mrs_slurm_filter *f = &s->filters[i];
        if ((!f->has_prefix || mrs_prefix_covers(&f->prefix, p)) && (!f->has_asn || f->asn == asn))
            return true;
    }
    return false;
}
