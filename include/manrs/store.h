/*
 * store.h — the observatory's history in SQLite (`--db manrs.db`).
 *
 * One run = one observation window over a set of inputs. A run is created
 * "running", filled, and marked "complete" or "failed" at the end: a run that
 * failed or was interrupted is never read as complete. Schema version in
 * PRAGMA user_version; documented in docs/store.md.
 */
#ifndef MANRS_STORE_H
#define MANRS_STORE_H

#include <stdint.h>

#include "manrs/observe.h"

typedef struct mrs_store mrs_store;

/* Open (creating or migrating the schema). NULL with a message in err on failure. */
mrs_store *mrs_store_open(const char *path, char *err, size_t errlen);
void mrs_store_close(mrs_store *s);

/* Start a run over [window_start, window_end]; inputs is a free-text description
 * (file names). Returns the run id, or -1. */
int64_t mrs_store_begin_run(mrs_store *s, uint32_t window_start, uint32_t window_end, const char *inputs);
int mrs_store_add_incident(mrs_store *s, int64_t run, const mrs_incident *inc);
int mrs_store_add_network(mrs_store *s, int64_t run, const mrs_network_metrics *m);
/* status: "complete" or "failed" (with a reason). */
int mrs_store_end_run(mrs_store *s, int64_t run, const char *status, const char *reason);

#endif
