/*
 * feed_seal.c — the feed's seal (feed.h): the run's global facts as JSON, parsed
 * back, and fetched from a stream.
 */
#include "manrs/apps/feed.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "manrs/core/diag.h"
#include "manrs/output/json_doc.h"

char *mrs_feed_seal_json(const mrs_feed_seal *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "version", json_integer(s->version));
    json_object_set_new(o, "events", json_integer((json_int_t)s->events));
    json_object_set_new(o, "first_time", json_integer(s->first_time));
    json_object_set_new(o, "last_time", json_integer(s->last_time));
    json_object_set_new(o, "baseline_end", json_integer(s->baseline_end));
    json_object_set_new(o, "baseline_ribs", json_integer((json_int_t)s->baseline_ribs));
    json_object_set_new(o, "rib_files", json_integer((json_int_t)s->rib_files));
    json_object_set_new(o, "update_files", json_integer((json_int_t)s->update_files));
    json_object_set_new(o, "ris_live_files", json_integer((json_int_t)s->ris_live_files));
    json_object_set_new(o, "snapshot", json_boolean(s->snapshot));
    json_object_set_new(o, "damaged", json_integer((json_int_t)s->damaged));
    json_object_set_new(o, "cut", json_integer((json_int_t)s->cut));
    json_object_set_new(o, "failed", json_boolean(s->failed));
    /* file names are bytes: what is not UTF-8 becomes U+FFFD (json_doc.h) */
    char inputs[sizeof s->inputs];
    snprintf(inputs, sizeof inputs, "%s", s->inputs);
    json_object_set_new(o, "inputs", mrs_json_text(inputs));
    json_object_set_new(o, "last_seq", json_integer((json_int_t)s->last_seq));
    json_object_set_new(o, "data_time", json_integer(s->data_time));
    json_object_set_new(o, "dated", json_boolean(s->dated));
    if (s->live) {
        json_object_set_new(o, "live", json_true());
        json_object_set_new(o, "restarts", json_integer((json_int_t)s->restarts));
    }
    char *out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return out;
}

/* A non-negative integer field up to max: 0, or -1 with err said. */
static int get_uint(json_t *o, const char *key, uint64_t max, uint64_t *out, char *err, size_t errlen)
{
    json_t *v = json_object_get(o, key);
    if (!v) {
        snprintf(err, errlen, "seal: no field \"%s\"", key);
        return -1;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max) {
        snprintf(err, errlen, "seal: field \"%s\" is not an integer in 0..%" PRIu64, key, max);
        return -1;
    }
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

static int get_bool(json_t *o, const char *key, bool *out, char *err, size_t errlen)
{
    json_t *v = json_object_get(o, key);
    if (!v) {
        snprintf(err, errlen, "seal: no field \"%s\"", key);
        return -1;
    }
    if (!json_is_boolean(v)) {
        snprintf(err, errlen, "seal: field \"%s\" is not true or false", key);
        return -1;
    }
    *out = json_is_true(v);
    return 0;
}

int mrs_feed_seal_parse(const char *json, size_t len, mrs_feed_seal *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    json_error_t je;
    json_t *o = json ? json_loadb(json, len, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (!o) {
        if (json)
            snprintf(err, errlen, "seal: not JSON: %s (at byte %d)", je.text, je.position);
        else
            snprintf(err, errlen, "seal: no data");
        return -1;
    }
    int rc = -1;
    uint64_t v = 0, t0 = 0, t1 = 0, tb = 0, td = 0;
    if (!json_is_object(o)) {
        snprintf(err, errlen, "seal: not a JSON object");
        goto out;
    }
    if (get_uint(o, "version", UINT32_MAX, &v, err, errlen) != 0)
        goto out;
    if (v != MRS_FEED_SEAL_VERSION) {
        snprintf(err, errlen, "seal: version %" PRIu64 " not understood (this manrs reads version %d)", v,
                 MRS_FEED_SEAL_VERSION);
        goto out;
    }
    out->version = (unsigned)v;
    if (get_uint(o, "events", INT64_MAX, &out->events, err, errlen) != 0 ||
        get_uint(o, "first_time", UINT32_MAX, &t0, err, errlen) != 0 ||
        get_uint(o, "last_time", UINT32_MAX, &t1, err, errlen) != 0 ||
        get_uint(o, "baseline_end", UINT32_MAX, &tb, err, errlen) != 0 ||
        get_uint(o, "baseline_ribs", INT64_MAX, &out->baseline_ribs, err, errlen) != 0 ||
        get_uint(o, "rib_files", INT64_MAX, &out->rib_files, err, errlen) != 0 ||
        get_uint(o, "update_files", INT64_MAX, &out->update_files, err, errlen) != 0 ||
        get_uint(o, "ris_live_files", INT64_MAX, &out->ris_live_files, err, errlen) != 0 ||
        get_bool(o, "snapshot", &out->snapshot, err, errlen) != 0 ||
        get_uint(o, "damaged", INT64_MAX, &out->damaged, err, errlen) != 0 ||
        get_uint(o, "cut", INT64_MAX, &out->cut, err, errlen) != 0 ||
        get_bool(o, "failed", &out->failed, err, errlen) != 0 ||
        get_uint(o, "last_seq", INT64_MAX, &out->last_seq, err, errlen) != 0 ||
        get_uint(o, "data_time", UINT32_MAX, &td, err, errlen) != 0 || get_bool(o, "dated", &out->dated, err, errlen) != 0)
        goto out;
    out->data_time = (uint32_t)td;
    /* a live feed's (optional) */
    if (json_object_get(o, "live") &&
        (get_bool(o, "live", &out->live, err, errlen) != 0 ||
         (out->live && get_uint(o, "restarts", INT64_MAX, &out->restarts, err, errlen) != 0)))
        goto out;
    out->first_time = (uint32_t)t0;
    out->last_time = (uint32_t)t1;
    out->baseline_end = (uint32_t)tb;
    if (out->first_time > out->last_time) {
        snprintf(err, errlen, "seal: first_time %" PRIu32 " is after last_time %" PRIu32, out->first_time,
                 out->last_time);
        goto out;
    }
    if (out->baseline_ribs > out->rib_files) {
        snprintf(err, errlen, "seal: baseline_ribs %" PRIu64 " is more than rib_files %" PRIu64, out->baseline_ribs,
                 out->rib_files);
        goto out;
    }
    json_t *in = json_object_get(o, "inputs");
    if (!in) {
        snprintf(err, errlen, "seal: no field \"inputs\"");
        goto out;
    }
    if (!json_is_string(in)) {
        snprintf(err, errlen, "seal: field \"inputs\" is not a string");
        goto out;
    }
    size_t n = json_string_length(in);
    if (n >= sizeof out->inputs || memchr(json_string_value(in), 0, n)) {
        snprintf(err, errlen, "seal: field \"inputs\" is longer than %zu bytes or holds a NUL",
                 sizeof out->inputs - 1);
        goto out;
    }
    memcpy(out->inputs, json_string_value(in), n);
    out->inputs[n] = 0;
    rc = 0;
out:
    json_decref(o);
    if (rc)
        mrs_text_safe_inplace(err, errlen);
    return rc;
}

int mrs_feed_seal_get(jsCtx *js, const char *stream, const char *feed, mrs_feed_seal *out, char *err,
                      size_t errlen)
{
    stream = stream ? stream : "manrs";
    char subject[256];
    snprintf(subject, sizeof subject, "manrs.ev.%s.seal.%s", stream, feed ? feed : "mrt");
    natsMsg *m = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetLastMsg(&m, js, stream, subject, NULL, &jerr);
    if (jerr == JSNoMessageFoundErr || (s == NATS_NOT_FOUND && jerr != JSStreamNotFoundErr))
        return 0;
    if (s != NATS_OK) {
        snprintf(err, errlen, "stream %s: %s: %s (JetStream error %d)", stream, subject,
                 jerr == JSStreamNotFoundErr ? "no such stream" : natsStatus_GetText(s), (int)jerr);
        return -1;
    }
    char why[400];
    int len = natsMsg_GetDataLength(m);
    int rc = mrs_feed_seal_parse(natsMsg_GetData(m), len < 0 ? 0 : (size_t)len, out, why, sizeof why);
    natsMsg_Destroy(m);
    if (rc != 0) {
        snprintf(err, errlen, "stream %s: %s: %s", stream, subject, why);
        return -1;
    }
    return 1;
}
