/*
 * proto.c — what the coordinator and the workers exchange besides the analysis
 * codecs (worker.h): the task, the partition subjects, the split run's spec, the
 * seal's inputs and extent, the detection counts. Every decoder here reads data
 * from the network or the store and trusts none of it (fuzz/fuzz_split_proto.c).
 */
#include "manrs/apps/worker.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "manrs/feeds/route_event_codec.h"

/* ------------------------------------------------------------------ the task */

int mrs_task_format(const mrs_task *t, char *out, size_t cap)
{
    if (t->n_parts < 1 || t->n_parts > MRS_TASK_MAX_PARTS)
        return -1;
    int n = snprintf(out, cap, "%d %" PRId64 " %d", t->n_parts == 1 ? 1 : 2, t->split, t->phase);
    for (unsigned i = 0; i < t->n_parts && n >= 0; i++) {
        int k = snprintf(out + ((size_t)n < cap ? (size_t)n : cap), (size_t)n < cap ? cap - (size_t)n : 0,
                         " %" PRIu32, t->parts[i]);
        n = k < 0 ? k : n + k;
    }
    return n;
}

/* A decimal at *p up to end: no sign, no leading zero, at most max. */
static bool dec(const char **p, const char *end, uint64_t max, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    if (s >= end || *s < '0' || *s > '9' || (*s == '0' && s + 1 < end && s[1] >= '0' && s[1] <= '9'))
        return false;
    for (; s < end && *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (d > max || v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *p = s;
    *out = v;
    return true;
}

int mrs_task_parse(const char *data, size_t len, mrs_task *t, char *err, size_t errlen)
{
    const char *p = data, *end = data + len;
    uint64_t v[4];
    static const char *const what[] = {"version", "split run", "phase", "partition"};
    static const uint64_t max[] = {2, INT64_MAX, 2, MRS_REV_PARTITIONS - 2};
    memset(t, 0, sizeof *t);
    if (!data || !len) {
        snprintf(err, errlen, "task: empty");
        return -1;
    }
    for (int i = 0; i < 4; i++) {
        if (i && (p >= end || *p++ != ' ')) {
            snprintf(err, errlen, "task: want \"1 SPLIT PHASE PART\" or \"2 SPLIT PHASE PART PART...\" (no space "
                                  "before the %s)", what[i]);
            return -1;
        }
        if (!dec(&p, end, max[i], &v[i])) {
            snprintf(err, errlen, "task: bad %s (a decimal up to %" PRIu64 ")", what[i], max[i]);
            return -1;
        }
        if (i == 0 && v[0] == 0) {
            snprintf(err, errlen, "task: version 0");
            return -1;
        }
    }
    if (v[1] == 0 || v[2] == 0) {
        snprintf(err, errlen, "task: %s", v[1] == 0 ? "split run 0" : "phase 0");
        return -1;
    }
    t->split = (int64_t)v[1];
    t->phase = (int)v[2];
    t->parts[0] = (uint32_t)v[3];
    t->n_parts = 1;
    while (v[0] == 2 && p < end) {
        uint64_t part;
        if (*p++ != ' ' || !dec(&p, end, MRS_REV_PARTITIONS - 2, &part)) {
            snprintf(err, errlen, "task: bad partition %u (a space, then a decimal up to %d)", t->n_parts + 1,
                     MRS_REV_PARTITIONS - 2);
            return -1;
        }
        if (t->n_parts == MRS_TASK_MAX_PARTS) {
            snprintf(err, errlen, "task: more than %d partitions", MRS_TASK_MAX_PARTS);
            return -1;
        }
        for (unsigned i = 0; i < t->n_parts; i++)
            if (t->parts[i] == part) {
                snprintf(err, errlen, "task: partition %" PRIu64 " twice", part);
                return -1;
            }
        t->parts[t->n_parts++] = (uint32_t)part;
    }
    if (p != end) {
        snprintf(err, errlen, "task: %zu bytes after the partition", (size_t)(end - p));
        return -1;
    }
    if (v[0] == 2 && t->n_parts < 2) {
        snprintf(err, errlen, "task: version 2 with one partition (that is version 1)");
        return -1;
    }
    return 0;
}

int mrs_worker_token(const char *name, char *out)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    size_t n = 0;
    for (const char *p = name; *p && n < 40; p++)
        out[n++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                           *p == '_'
                       ? *p
                       : '_';
    return (int)n + snprintf(out + n, MRS_WORKER_TOKEN_MAX - n, "_%08x", h);
}

int mrs_split_part_subject(const char *base, uint32_t part, char *out, size_t cap)
{
    if (part < 256)
        return snprintf(out, cap, "%s.v4.%u", base, part);
    if (part < 256 + 65536)
        return snprintf(out, cap, "%s.v6.%04x", base, part - 256);
    return snprintf(out, cap, "%s.ctl", base);
}

/* ------------------------------------------------------------------ the spec */

static bool routing_kind(mrs_obs_input k)
{
    return k == MRS_IN_RIB || k == MRS_IN_UPDATES || k == MRS_IN_RIS_LIVE;
}

char *mrs_split_spec_json(const mrs_obs_inputs *in, const mrs_split_spec *sp)
{
    json_t *o = json_object(), *files = json_object();
    if (!o || !files) {
        json_decref(o);
        json_decref(files);
        return NULL;
    }
    json_object_set_new(o, "version", json_integer(1));
    for (unsigned k = 0; k < MRS_IN_N; k++) {
        if (routing_kind((mrs_obs_input)k) || !in->n[k])
            continue;
        json_t *a = json_array();
        for (size_t i = 0; a && i < in->n[k]; i++)
            json_array_append_new(a, json_stringn(in->files[k][i], strlen(in->files[k][i])));
        json_object_set_new(files, mrs_obs_input_name((mrs_obs_input)k), a);
    }
    json_object_set_new(o, "inputs", files);
    json_object_set_new(o, "asrel_ipv6", json_boolean(in->asrel_ipv6));
    json_object_set_new(o, "strict_period", json_boolean(in->strict_period));
    json_object_set_new(o, "from", json_integer(in->from));
    json_object_set_new(o, "to", json_integer(in->to));
    json_object_set_new(o, "data_time", json_integer(sp->data_time));
    json_object_set_new(o, "dated", json_boolean(sp->dated));
    json_object_set_new(o, "knowledge_failed", json_boolean(sp->knowledge_failed));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

static int want_bool(json_t *o, const char *key, bool *out, char *err, size_t errlen)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_boolean(v)) {
        snprintf(err, errlen, "spec: \"%s\" is %s", key, v ? "not a boolean" : "missing");
        return -1;
    }
    *out = json_is_true(v);
    return 0;
}

static int want_u32(json_t *o, const char *key, uint32_t *out, char *err, size_t errlen)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > UINT32_MAX) {
        snprintf(err, errlen, "spec: \"%s\" is %s", key, v ? "not an integer in 0..4294967295" : "missing");
        return -1;
    }
    *out = (uint32_t)json_integer_value(v);
    return 0;
}

int mrs_split_spec_parse(const char *json, size_t len, mrs_obs_inputs *in, mrs_split_spec *sp, char *err,
                         size_t errlen)
{
    memset(sp, 0, sizeof *sp);
    json_error_t je;
    json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    int rc = -1;
    if (!o) {
        snprintf(err, errlen, "spec: not JSON: %s (offset %d)", je.text, je.position);
        return -1;
    }
    json_t *v = json_object_get(o, "version"), *files = json_object_get(o, "inputs");
    if (!json_is_object(o) || !json_is_integer(v) || json_integer_value(v) != 1) {
        snprintf(err, errlen, "spec: %s", !json_is_object(o) ? "not an object" : "not version 1");
        goto out;
    }
    if (!json_is_object(files)) {
        snprintf(err, errlen, "spec: \"inputs\" is %s", files ? "not an object" : "missing");
        goto out;
    }
    const char *key;
    json_t *a;
    json_object_foreach(files, key, a)
    {
        unsigned k = 0;
        while (k < MRS_IN_N && strcmp(mrs_obs_input_name((mrs_obs_input)k), key) != 0)
            k++;
        if (k == MRS_IN_N || routing_kind((mrs_obs_input)k)) {
            snprintf(err, errlen, "spec: \"%.40s\" is not a kind of knowledge input", key);
            goto out;
        }
        if (!json_is_array(a)) {
            snprintf(err, errlen, "spec: \"%s\" is not an array", key);
            goto out;
        }
        size_t i;
        json_t *f;
        json_array_foreach(a, i, f)
        {
            const char *name = json_string_value(f);
            if (!name || !*name || strlen(name) != json_string_length(f)) {
                snprintf(err, errlen, "spec: \"%s\" item %zu is not a file name", key, i);
                goto out;
            }
            if (mrs_obs_inputs_add(in, (mrs_obs_input)k, name) != 0) {
                snprintf(err, errlen, "out of memory");
                goto out;
            }
        }
    }
    if (want_bool(o, "asrel_ipv6", &in->asrel_ipv6, err, errlen) ||
        want_bool(o, "strict_period", &in->strict_period, err, errlen) ||
        want_u32(o, "from", &in->from, err, errlen) || want_u32(o, "to", &in->to, err, errlen) ||
        want_u32(o, "data_time", &sp->data_time, err, errlen) || want_bool(o, "dated", &sp->dated, err, errlen) ||
        want_bool(o, "knowledge_failed", &sp->knowledge_failed, err, errlen))
        goto out;
    if (in->to && in->from > in->to) {
        snprintf(err, errlen, "spec: \"from\" is after \"to\"");
        goto out;
    }
    rc = 0;
out:
    json_decref(o);
    return rc;
}

/* ------------------------------------------------------------------ the seal's inputs */

/* The routing kind whose "NAME=" starts at p, or MRS_IN_N. */
static mrs_obs_input token_kind(const char *p, size_t *name_len)
{
    static const mrs_obs_input kinds[] = {MRS_IN_RIB, MRS_IN_UPDATES, MRS_IN_RIS_LIVE};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const char *n = mrs_obs_input_name(kinds[i]);
        size_t l = strlen(n);
        if (!strncmp(p, n, l) && p[l] == '=') {
            *name_len = l + 1;
            return kinds[i];
        }
    }
    return MRS_IN_N;
}

int mrs_split_inputs_parse(const char *desc, mrs_obs_inputs *in, char *err, size_t errlen)
{
    const char *p = desc;
    size_t skip;
    if (!*p) {
        snprintf(err, errlen, "inputs: empty");
        return -1;
    }
    while (*p) {
        mrs_obs_input k = token_kind(p, &skip);
        if (k == MRS_IN_N) {
            snprintf(err, errlen, "inputs: offset %zu: not rib=, updates= or ris-live=", (size_t)(p - desc));
            return -1;
        }
        const char *name = p + skip, *e = name;
        /* the name runs to the next " KIND=" */
        for (;; e++) {
            size_t l;
            if (!*e || (*e == ' ' && token_kind(e + 1, &l) != MRS_IN_N))
                break;
        }
        if (e == name) {
            snprintf(err, errlen, "inputs: offset %zu: an empty file name", (size_t)(name - desc));
            return -1;
        }
        char *f = strndup(name, (size_t)(e - name));
        if (!f || mrs_obs_inputs_add(in, k, f) != 0) {
            free(f);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        free(f);
        p = *e ? e + 1 : e;
    }
    return 0;
}

/* ------------------------------------------------------------------ the seal's extent */

int mrs_split_seal_extent(const char *json, size_t len, mrs_feed_seal *seal, mrs_obs_extent *x, char *err,
                          size_t errlen)
{
    memset(x, 0, sizeof *x);
    if (mrs_feed_seal_parse(json, len, seal, err, errlen) != 0)
        return -1;
    x->events = seal->events;
    x->first_time = seal->first_time;
    x->last_time = seal->last_time;
    x->baseline_end = seal->baseline_end;
    x->baseline_ribs = (size_t)seal->baseline_ribs;
    x->snapshot = seal->snapshot;
    x->data_time = seal->data_time;
    x->dated = seal->dated;
    x->damaged = seal->damaged;
    x->cut = seal->cut;
    x->failed = seal->failed;
    return 0;
}

/* ------------------------------------------------------------------ the detection counts */

static void counts_list(const mrs_detect_stats *st, const uint64_t **v)
{
    size_t k = 0;
    v[k++] = &st->routes;
    v[k++] = &st->events;
    v[k++] = &st->zero_duration;
    for (unsigned c = 0; c < MRS_INC_NCLASSES; c++)
        v[k++] = &st->per_class[c];
    for (unsigned c = 0; c < MRS_INC_NCLASSES; c++)
        v[k++] = &st->high[c];
    v[k++] = &st->short_routes;
    v[k++] = &st->default_peers;
    v[k++] = &st->beacon_routes;
    v[k++] = &st->ixp_lan_routes;
    v[k++] = &st->blackhole_routes;
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

void mrs_split_counts_encode(const mrs_detect_stats *st, uint8_t out[MRS_SPLIT_COUNTS_LEN])
{
    const uint64_t *v[MRS_SPLIT_COUNTS_N];
    counts_list(st, v);
    memcpy(out, "MRSC", 4);
    out[4] = 1;
    out[5] = out[6] = out[7] = 0;
    out[8] = MRS_SPLIT_COUNTS_N;
    out[9] = out[10] = out[11] = 0;
    for (size_t i = 0; i < MRS_SPLIT_COUNTS_N; i++)
        put64(out + 12 + 8 * i, *v[i]);
}

int mrs_split_counts_decode(const uint8_t *p, size_t len, mrs_detect_stats *st, char *err, size_t errlen)
{
    memset(st, 0, sizeof *st);
    if (len != MRS_SPLIT_COUNTS_LEN || !p) {
        snprintf(err, errlen, "counts: %zu bytes, not %d", len, MRS_SPLIT_COUNTS_LEN);
        return -1;
    }
    if (memcmp(p, "MRSC", 4) != 0 || get64(p + 4) != (1 | (uint64_t)MRS_SPLIT_COUNTS_N << 32)) {
        snprintf(err, errlen, "counts: %s", memcmp(p, "MRSC", 4) ? "not MRSC" : "not version 1 with 22 counters");
        return -1;
    }
    const uint64_t *v[MRS_SPLIT_COUNTS_N];
    counts_list(st, v);
    for (size_t i = 0; i < MRS_SPLIT_COUNTS_N; i++)
        *(uint64_t *)v[i] = get64(p + 12 + 8 * i);
    return 0;
}

void mrs_split_counts_add(mrs_detect_stats *into, const mrs_detect_stats *add)
{
    const uint64_t *a[MRS_SPLIT_COUNTS_N], *b[MRS_SPLIT_COUNTS_N];
    counts_list(into, a);
    counts_list(add, b);
    for (size_t i = 0; i < MRS_SPLIT_COUNTS_N; i++)
        *(uint64_t *)a[i] += *b[i];
}

_Static_assert(MRS_SPLIT_COUNTS_N == 22, "every mrs_detect_stats counter");
_Static_assert(sizeof(mrs_detect_stats) == MRS_SPLIT_COUNTS_N * sizeof(uint64_t), "counts_list lists them all");
