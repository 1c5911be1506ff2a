/*
 * mrt_example.h — a small, deterministic MRT data set written with the project's
 * own encoder: a TABLE_DUMP_V2 RIB (IPv4 and IPv6, 4 collector peers) followed by
 * BGP4MP_ET updates (announcements, withdrawals, a session reset). Used by
 * `make demo` (until the simulated Internet writes real-shaped worlds), by the
 * round-trip tests, and as a fuzzing seed.
 */
#ifndef MANRS_MRT_EXAMPLE_H
#define MANRS_MRT_EXAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "manrs/feeds/mrt_write.h"

typedef struct mrt_example_counts {
    unsigned records, rib_entries, announcements, withdrawals, state_changes;
} mrt_example_counts;

/* Write n_prefixes RIB prefixes (at least 1) and their updates to w.
 * counts (optional) receives what was written. */
bool mrt_example_write(mrt_writer *w, unsigned n_prefixes, uint32_t seed, mrt_example_counts *counts);

#endif
