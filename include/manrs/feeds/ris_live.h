/*
 * ris_live.h — the RIPE RIS Live JSON stream as a feed: one `ris_message` per line
 * (`{"type":"ris_message","data":{...}}`, as the WebSocket service and its
 * recordings give it), read from a file or standard input.
 *
 * Each UPDATE goes through the one BGP decoder: its "raw" hex (the BGP message
 * as received, when the subscription asked for it) or, without it, a message
 * encoded from the JSON fields (path, origin, announcements with next hop and
 * prefixes, withdrawals, communities) is wrapped in an MRT BGP4MP_ET MESSAGE_AS4
 * record in memory and decoded like an MRT file's: the same events, the same
 * checks, the same `manrs dump -m` lines. RIS_PEER_STATE "down"/"connected" become
 * state changes (Established lost / reached). Other messages (OPEN, KEEPALIVE,
 * NOTIFICATION) are counted. A `ris_error` line is a warning; a line that is not
 * JSON, or not a RIS Live message, is an error "FILE:LINE: what", skipped and
 * counted. The events' offset is the byte offset of their line.
 */
#ifndef MANRS_FEEDS_RIS_LIVE_H
#define MANRS_FEEDS_RIS_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/feeds/mrt.h"
#include "manrs/feeds/route_event.h"

typedef struct mrs_ris_live_stats {
    uint64_t lines;             /* non-empty lines */
    uint64_t updates, updates_raw;  /* UPDATE messages (of which decoded from "raw") */
    uint64_t peer_states, other;    /* RIS_PEER_STATE; OPEN, KEEPALIVE, NOTIFICATION, ... */
    uint64_t ris_errors;        /* ris_error lines (the service's own) */
    uint64_t malformed;         /* lines skipped: not JSON, not a RIS Live message, bad fields */
} mrs_ris_live_stats;

/* Read path ("-" = standard input; any compression) and call fn for every MRT
 * event its messages decode to (mrt.h; d decodes, its statistics count them).
 * False when the file cannot be opened. */
bool mrs_ris_live_scan(const char *path, mrt_decoder *d, mrs_diag *diag, mrt_event_fn fn, void *user,
                       mrs_ris_live_stats *st);
/* The same as neutral route events (route_event.h), for the observatory. */
bool mrs_ris_live_feed(const char *path, mrt_decoder *d, mrs_diag *diag, mrs_route_event_fn fn, void *user,
                       mrs_ris_live_stats *st);
/* The timestamp of the first message (within the first 100 lines), to order
 * inputs by time. False for "-" or when none is found. */
bool mrs_ris_live_first_time(const char *path, uint32_t *t);
/* One line (a message) of the stream; name and lineno for messages, offset for
 * the events. Returns 0, or -1 if it was skipped (reported, counted). */
int mrs_ris_live_line(const char *line, size_t len, const char *name, uint64_t lineno, uint64_t offset,
                      mrt_decoder *d, mrs_diag *diag, mrt_event_fn fn, void *user, mrs_ris_live_stats *st);

/* Lines arriving on a descriptor (a pipe, a socket: the WebSocket client's,
 * ris_ws.h): read what is there, handle the complete lines, keep the rest. name
 * is the source in messages; lines are read as mrs_ris_live_scan reads them
 * (blank ones skipped, a last line without its newline handled at the end, the
 * same line numbers and offsets). Returns 1 when more may come, 0 at the end of the
 * stream, -1 on a read error or when a line exceeds 1 MiB (reported). */
typedef struct mrs_ris_live_stream {
    const char *name;
    char *buf;
    size_t len, cap;
    uint64_t lineno, offset;
} mrs_ris_live_stream;
int mrs_ris_live_stream_read(mrs_ris_live_stream *s, int fd, mrt_decoder *d, mrs_diag *diag, mrt_event_fn fn,
                             void *user, mrs_ris_live_stats *st);
void mrs_ris_live_stream_clear(mrs_ris_live_stream *s);

#endif
