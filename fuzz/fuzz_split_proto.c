/*
 * fuzz_split_proto.c — libFuzzer target: the decoders of the distributed
 * observatory's own messages (apps/worker.h, src/apps/worker/proto.c) on arbitrary
 * bytes: a task from the work stream, a split run's spec and seal from the store,
 * the seal's inputs description, a part's detection counts. The first byte picks
 * one (mod 5). What parses must come back the same: the task and the counts
 * re-encode to their exact bytes, a spec and an inputs description parse again to
 * the same thing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/worker.h"

static void same_inputs(const mrs_obs_inputs *a, const mrs_obs_inputs *b)
{
    for (unsigned k = 0; k < MRS_IN_N; k++) {
        if (a->n[k] != b->n[k])
            abort();
        for (size_t i = 0; i < a->n[k]; i++)
            if (strcmp(a->files[k][i], b->files[k][i]) != 0)
                abort();
    }
    if (a->asrel_ipv6 != b->asrel_ipv6 || a->from != b->from || a->to != b->to ||
        a->strict_period != b->strict_period)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned which = data[0] % 5;
    data++;
    size--;
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = 0;   /* the text parsers get it NUL-terminated (the store's text), the others by length */
    char err[600] = "";
    int rc;
    if (which == 0) {
        mrs_task t;
        rc = mrs_task_parse(copy, size, &t, err, sizeof err);
        if (rc == 0) {
            char out[MRS_TASK_MAX];
            int n = mrs_task_format(&t, out, sizeof out);
            if (n < 0 || (size_t)n != size || memcmp(out, copy, size) != 0)
                abort();
        }
    } else if (which == 1) {
        mrs_obs_inputs in, in2;
        memset(&in, 0, sizeof in);
        memset(&in2, 0, sizeof in2);
        mrs_split_spec sp, sp2;
        rc = mrs_split_spec_parse(copy, size, &in, &sp, err, sizeof err);
        if (rc == 0) {
            char *j = mrs_split_spec_json(&in, &sp);
            if (!j || mrs_split_spec_parse(j, strlen(j), &in2, &sp2, err, sizeof err) != 0)
                abort();
            same_inputs(&in, &in2);
            if (memcmp(&sp, &sp2, sizeof sp) != 0)
                abort();
            free(j);
        }
        mrs_obs_inputs_clear(&in);
        mrs_obs_inputs_clear(&in2);
    } else if (which == 2) {
        mrs_obs_inputs in, in2;
        memset(&in, 0, sizeof in);
        memset(&in2, 0, sizeof in2);
        rc = size == strlen(copy) ? mrs_split_inputs_parse(copy, &in, err, sizeof err) : -2;
        if (rc == 0) {
            char d[MRS_OBS_DESCRIBE_MAX * 2];
            mrs_obs_inputs_describe(&in, d, sizeof d);
            if (strlen(d) < sizeof d - 1) {   /* not cut */
                if (mrs_split_inputs_parse(d, &in2, err, sizeof err) != 0)
                    abort();
                same_inputs(&in, &in2);
            }
        }
        mrs_obs_inputs_clear(&in);
        mrs_obs_inputs_clear(&in2);
        if (rc == -2)
            rc = 0, err[0] = 'x';   /* a NUL inside: the store's text never holds one */
    } else if (which == 3) {
        mrs_feed_seal seal;
        mrs_obs_extent x;
        rc = mrs_split_seal_extent(copy, size, &seal, &x, err, sizeof err);
        if (rc == 0 && (x.events != seal.events || x.first_time > x.last_time || x.dated != seal.dated))
            abort();
    } else {
        mrs_detect_stats st;
        rc = mrs_split_counts_decode((const uint8_t *)copy, size, &st, err, sizeof err);
        if (rc == 0) {
            uint8_t out[MRS_SPLIT_COUNTS_LEN];
            mrs_split_counts_encode(&st, out);
            if (size != sizeof out || memcmp(out, copy, size) != 0)
                abort();
        }
    }
    if (rc != 0 && !err[0])
        abort();   /* a refusal says why */
    free(copy);
    return 0;
}
