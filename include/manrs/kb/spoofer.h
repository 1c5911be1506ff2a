/*
 * spoofer.h — Spoofer-style source-address-validation test results (MANRS
 * Action 2, metric M5): which networks let spoofed packets out. Hostile input is
 * expected: every bad line is reported `FILE:LINE: what` through mrs_diag, skipped
 * and counted; the rest loads. Files go through mrs_reader (any compression).
 */
#ifndef MANRS_KB_SPOOFER_H
#define MANRS_KB_SPOOFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"

/* ---- Spoofer-style CSV: session,timestamp,asn,client_prefix,country,nat,spoof_private,spoof_routed */
typedef struct mrs_spoof_test {
    uint32_t asn;
    uint32_t time;
    mrs_prefix client;
    bool leaked;                /* spoof_private or spoof_routed = received */
} mrs_spoof_test;

typedef struct mrs_spoofer {
    mrs_spoof_test *v;
    size_t n, cap;
} mrs_spoofer;

/* Header line required (columns found by name, any order). Bad lines:
 * `FILE:LINE: what`, skipped and counted. Returns 0, -1 (no/bad header, I/O). */
int mrs_spoofer_load_mem(mrs_spoofer *s, const void *buf, size_t len, const char *name, mrs_diag *d);
int mrs_spoofer_load_file(mrs_spoofer *s, const char *path, mrs_diag *d);
void mrs_spoofer_clear(mrs_spoofer *s);

#endif
