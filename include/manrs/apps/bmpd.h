/*
 * bmpd.h — `manrs bmpd`: a BMP monitoring station (RFC 7854). Routers connect and
 * stream BMP; each connection is a bmp_session (feeds/bmp.h) whose records are
 * written to MRT update files rotated like RouteViews' (a file per 15 minutes by
 * default), so that every other command, and bgpdump, reads what the routers
 * saw. docs/bmpd.md says every choice; in short:
 *
 *  - one RIB per output (default Adj-RIB-In pre-policy, what collectors record):
 *    MRT has no field saying which RIB a message comes from; the updates of the
 *    other RIBs are counted;
 *  - a file is written under a temporary name (NAME.part) and renamed to NAME
 *    when its period ends (or at exit): a reader that sees NAME sees it whole.
 *    A name that exists already (a restart within the period) gets "-1", "-2"...
 *    before its compression suffix; nothing is overwritten;
 *  - records are stamped with their arrival time (the station's clock, as a
 *    collector stamps the messages it receives), which also picks the file;
 *  - a router whose connection ends takes its peers down (a state change each);
 *  - bad input: a message that does not parse is logged (peer, byte offset) and
 *    skipped; a stream that cannot be framed, or a message left unfinished for
 *    `timeout` seconds, closes that router's connection; the others go on. Logs
 *    are rate limited.
 *
 * The listener part (bmp_listener) is shared with `manrs monitor`, which decodes
 * the records instead of writing them, and `manrs feed --bmp-listen`, which
 * publishes their route events (apps/feed.h).
 */
#ifndef MANRS_APPS_BMPD_H
#define MANRS_APPS_BMPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/evloop.h"
#include "manrs/core/ratelog.h"
#include "manrs/feeds/bmp.h"

/* ------------------------------------------------------------------ listener */

typedef struct bmp_listener_opts {
    const char *prog;               /* "manrs bmpd": the log prefix */
    const char *listen;             /* "ADDR:PORT"; NULL = 127.0.0.1:11019 */
    unsigned timeout_s;             /* unfinished message; 0 = 60 */
    size_t max_routers;             /* 0 = 256 */
    bmp_record_fn fn;               /* every record of every router */
    void *user;
} bmp_listener_opts;

typedef struct bmp_listener_stats {
    uint64_t connections, refused, closed_bad, closed_slow;
    uint64_t messages, records, skipped;
    uint64_t by_rib[BMP_RIBS];
    size_t routers;                 /* connected now */
    size_t peers_up;                /* BGP peers the connected routers report up */
} bmp_listener_stats;

typedef struct bmp_listener bmp_listener;

/* Listen on the loop (SIGINT/SIGTERM stop it). NULL when the address cannot be
 * bound (said on stderr). */
bmp_listener *bmp_listener_new(mrs_evloop *l, const bmp_listener_opts *o);
int bmp_listener_port(const bmp_listener *b);
int bmp_listener_fd(const bmp_listener *b);
/* Within the record callback: the router whose stream the record comes from,
 * "ADDR:PORT" of its connection ("" outside a callback). */
const char *bmp_listener_router(const bmp_listener *b);
/* Check timeouts; call once a second. */
void bmp_listener_tick(bmp_listener *b);
/* Close every router (their peers go down: records) and the listener; the
 * totals then in *final when not NULL. */
void bmp_listener_free(bmp_listener *b, bmp_listener_stats *final);
bmp_listener_stats bmp_listener_get_stats(const bmp_listener *b);

/* ------------------------------------------------------------------ bmpd */

typedef struct bmpd_opts {
    const char *listen;             /* NULL = 127.0.0.1:11019 */
    const char *mrt_out;            /* strftime(3) pattern in UTC, or an existing directory (then
                                       DIR/updates.%Y%m%d.%H%M.gz); ".gz" compresses */
    unsigned rotate_s;              /* file period, aligned to the epoch; 0 = 900 */
    bmp_rib rib;                    /* the RIB written */
    const char *port_file;
    unsigned timeout_s;
    size_t max_routers;
} bmpd_opts;

/* Listen, write, until SIGINT/SIGTERM. Returns 0, or 1 when the address cannot
 * be bound or an output file cannot be written. */
int bmpd_run(const bmpd_opts *o);

#endif
