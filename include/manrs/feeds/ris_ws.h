/*
 * ris_ws.h — RIPE RIS Live over its WebSocket (wss://ris-live.ripe.net/v1/ws/):
 * a client, built on libwebsockets, that subscribes (ris_subscribe messages) and
 * hands every message it receives to the consumer as one JSON line, the form
 * ris_live.h reads from files.
 *
 * libwebsockets runs its own service loop, so the client lives on a thread of its
 * own; the consumer reads the lines from a pipe (mrs_ris_ws_fd, non-blocking),
 * which it watches on its event loop. A slow consumer fills the pipe and holds the
 * client back (TCP pushes back to the server); nothing is queued without bound.
 * The connection is made again after it closes or fails, after 1, 2, 4 ... s (at
 * most reconnect_max_s), and the subscriptions are sent again. A message of more
 * than 1 MiB is dropped and counted; newlines inside a message become spaces.
 */
#ifndef MANRS_FEEDS_RIS_WS_H
#define MANRS_FEEDS_RIS_WS_H

#include <stddef.h>
#include <stdint.h>

typedef struct mrs_ris_ws_opts {
    const char *url;                /* ws://HOST[:PORT]/PATH or wss://HOST[:PORT]/PATH */
    const char *const *subscribe;   /* the "data" objects of the ris_subscribe messages (JSON) */
    size_t nsubscribe;
    unsigned reconnect_max_s;       /* 0 = 60 */
} mrs_ris_ws_opts;

typedef struct mrs_ris_ws_stats {
    uint64_t connects, closes, messages, bytes, dropped;
} mrs_ris_ws_stats;

typedef struct mrs_ris_ws mrs_ris_ws;

/* Parse the URL and start the client thread. NULL with the reason in err. */
mrs_ris_ws *mrs_ris_ws_start(const mrs_ris_ws_opts *o, char *err, size_t errlen);
/* The read end of the message pipe: one JSON message per line. */
int mrs_ris_ws_fd(const mrs_ris_ws *w);
/* Connections established so far (any thread): 0 while the server cannot be reached. */
unsigned mrs_ris_ws_connects(mrs_ris_ws *w);
/* Stop the thread, close the connection and the pipe. */
void mrs_ris_ws_stop(mrs_ris_ws *w, mrs_ris_ws_stats *st);

#endif
