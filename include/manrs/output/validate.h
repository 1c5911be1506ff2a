/*
 * validate.h — printing route verdicts (analysis/route_validate.h): the table and
 * the JSON Lines of `manrs validate` (fields: docs/validate.md).
 */
#ifndef MANRS_OUTPUT_VALIDATE_H
#define MANRS_OUTPUT_VALIDATE_H

#include <stdint.h>

#include "manrs/analysis/route_validate.h"
#include "manrs/core/outbuf.h"

/* The table's column headers (printed when standard output is a terminal). */
void mrs_validate_print_header(mrs_outbuf *o);
/* One route as a table row / as one JSON object on one line (line = input line
 * number), appended to o. Return 0, -1 once o has failed (write error, no memory). */
int mrs_validate_print_row(mrs_outbuf *o, const mrs_route_kbs *k, const mrs_route *r, const mrs_route_verdict *v);
int mrs_validate_print_json(mrs_outbuf *o, const mrs_route_kbs *k, uint64_t line, const mrs_route *r,
                            const mrs_route_verdict *v);

#endif
