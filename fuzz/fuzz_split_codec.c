/*
 * fuzz_split_codec.c — libFuzzer target: the three codecs of a run split by prefix
 * (docs/scale.md) on arbitrary bytes, as the coordinator and the workers read them
 * back from the store: the detection facts (analysis/detect.h), a metrics part
 * (analysis/metrics.h) and an incident list (analysis/incident.h). The first byte
 * picks the codec (mod 3); the rest is decoded, and what decodes is encoded again,
 * which must give back exactly its bytes (the encodings are canonical: a part
 * stored twice is the same row). Seeds: blobs of a real split run (a simulated
 * world of 800 ASes through `manrs worker`).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/analysis/detect.h"
#include "manrs/analysis/incident.h"
#include "manrs/analysis/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned which = data[0] % 3;
    data++;
    size--;
    uint8_t *copy = malloc(size ? size : 1);   /* exact end: ASan sees an over-read */
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    char err[256] = "";
    uint8_t *again = NULL;
    size_t n = 0;
    int rc;
    if (which == 0) {
        mrs_detect_facts f;
        rc = mrs_detect_facts_decode(copy, size, &f, err, sizeof err);
        if (rc == 0) {
            if (mrs_detect_facts_encode(&f, &again, &n) != 0)
                abort();
            mrs_detect_facts f2 = {0};   /* merging into nothing keeps it as it is */
            if (mrs_detect_facts_merge(&f2, &f) != 0)
                abort();
            mrs_detect_facts_clear(&f2);
            mrs_detect_facts_clear(&f);
        }
    } else if (which == 1) {
        mrs_metrics_part p;
        rc = mrs_metrics_part_decode(copy, size, &p, err, sizeof err);
        if (rc == 0) {
            if (mrs_metrics_part_encode(&p, &again, &n) != 0)
                abort();
            (void)mrs_metrics_part_full_feed_peers(&p);
            mrs_metrics_part_clear(&p);
        }
    } else {
        mrs_incident_list l = {0};
        rc = mrs_incident_list_decode(copy, size, &l, err, sizeof err);
        if (rc == 0) {
            if (mrs_incident_list_encode(&l, &again, &n) != 0)
                abort();
            mrs_incident_list_canonical(&l);
        }
        mrs_incident_list_clear(&l);   /* what came before a failure is the caller's too */
    }
    if (rc != 0 && !err[0])
        abort();   /* a refusal says why */
    if (rc == 0 && (n != size || memcmp(again, copy, size) != 0))
        abort();   /* not canonical */
    free(again);
    free(copy);
    return 0;
}
