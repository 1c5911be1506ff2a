/*
 * run_json.h — an observatory run (observatory.h) as one JSON document, in the
 * field names of the simulator's truth.json (docs/observe.md, "JSON output").
 */
#ifndef MANRS_OUTPUT_RUN_JSON_H
#define MANRS_OUTPUT_RUN_JSON_H

#include <stdint.h>

#include "manrs/observatory/observatory.h"

/* Write the run to path ("-" = standard output). Returns 0, -1 on a failed write. */
int mrs_run_json_write(const char *path, const mrs_obs_result *r, unsigned min_peers, uint64_t decode_errors);

#endif
