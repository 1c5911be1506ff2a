/*
 * dumpfmt.h — printing route events as text: the one-line format of
 * `bgpdump -m` (byte-compatible with bgpdump 1.6.2, see docs/dump-format.md for
 * the exact rules and the documented deviations) and JSON Lines.
 */
#ifndef MANRS_DUMPFMT_H
#define MANRS_DUMPFMT_H

#include "manrs/feeds/mrt.h"
#include "manrs/core/outbuf.h"

/* Append the bgpdump -m line for ev (nothing for events bgpdump does not print). */
void dumpfmt_bgpdump(mrs_outbuf *o, const mrt_event *ev);

/* The same, reusing the text shared by the prefixes of one UPDATE (type, time, peer,
 * attributes) from c: byte-identical output, several times faster on update files.
 * Call dumpfmt_cache_reset(c) before each new file (records are keyed by offset). */
typedef struct dumpfmt_cache dumpfmt_cache;
dumpfmt_cache *dumpfmt_cache_new(void);
void dumpfmt_cache_reset(dumpfmt_cache *c);
void dumpfmt_cache_free(dumpfmt_cache *c);
void dumpfmt_bgpdump_cached(mrs_outbuf *o, dumpfmt_cache *c, const mrt_event *ev);

/* Append one JSON object (one line) for ev. file may be NULL. */
void dumpfmt_json(mrs_outbuf *o, const mrt_event *ev, const char *file);

/* The AS path as bgpdump prints it ("1 2 {3,4} (5 6)"), into o. */
void dumpfmt_aspath(mrs_outbuf *o, const bgp_attrs *a);

#endif
