/*
 * validate.h — printing route verdicts (analysis/route_validate.h): the table and
 * the JSON Lines of `manrs validate` (fields: docs/validate.md).
 */
#ifndef MANRS_OUTPUT_VALIDATE_H
#define MANRS_OUTPUT_VALIDATE_H

#include <stdint.h>
#include <stdio.h>

#include "manrs/analysis/route_validate.h"

/* The table's column headers (printed when standard output is a terminal). */
void mrs_validate_print_header(FILE *f);
/* One route as a table row / as one JSON object on one line (line = input line
 * number). Return 0, -1 on a failed write. */
int mrs_validate_print_row(FILE *f, const mrs_route_kbs *k, const mrs_route *r, const mrs_route_verdict *v);
int mrs_validate_print_json(FILE *f, const mrs_route_kbs *k, uint64_t line, const mrs_route *r,
                            const mrs_route_verdict *v);

#endif
