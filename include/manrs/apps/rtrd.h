/*
 * rtrd.h — `manrs rtrd`: an RPKI-to-Router cache server (RFC 6810 v0, RFC 8210
 * v1, draft-ietf-sidrops-8210bis-10 v2 with ASPA; PDUs in kb/rtr.h) serving the
 * VRPs and ASPAs of any file the RPKI loader reads (kb/rpki.h), on the one event
 * loop (core/evloop.h). docs/rtrd.md says every choice; in short:
 *
 *  - version: the router's first PDU sets it (0, 1 or 2); a higher one gets an
 *    Error Report "Unsupported Protocol Version" in version 2, so that the router
 *    can downgrade (RFC 8210 §7); another version later in the session gets
 *    "Unexpected Protocol Version";
 *  - data: a serial per change; a Reset Query gets the whole set, a Serial Query
 *    the changes since its serial (the last `history` versions are kept), an
 *    unknown serial or session a Cache Reset; VRPs are identified by (prefix,
 *    max length, origin), ASPAs by customer (a changed provider set: withdrawal,
 *    then announcement); version 2 sends every ASPA once per address family;
 *  - SLURM (RFC 8416): local filters and assertions applied to every version
 *    served; an invalid SLURM file fails the load like a damaged VRP file;
 *  - reload: SIGHUP, or a changed input file (polled); a load that fails keeps
 *    the data served; a change is announced with Serial Notify to the routers
 *    (after the transfer a router is in), at most once per notify_interval;
 *  - one bad client must not harm the others: output is produced as the socket
 *    drains (a full set is never buffered per router), a router that stops
 *    reading for `timeout` seconds while data is due is closed, a PDU must be
 *    complete within `timeout` seconds of its first byte, a malformed PDU gets an
 *    Error Report and the session closes, every such event is logged (rate
 *    limited) with the peer and the byte offset.
 */
#ifndef MANRS_RTRD_H
#define MANRS_RTRD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rtrd_opts {
    const char *const *vrp_files;   /* VRP/ASPA files (kb/rpki.h formats, any compression) */
    size_t n_vrp_files;
    const char *const *rtr_sources; /* upstream RTR caches "HOST:PORT", fetched whole at start (mrs_rtr_fetch),
                                       then followed over sessions kept open (mrs_rtr_session): a cache
                                       fed by another */
    size_t n_rtr_sources;
    const char *slurm;              /* SLURM file (RFC 8416) applied to what is served, or NULL */
    const char *listen;             /* "ADDR:PORT"; NULL = 127.0.0.1:3323 */
    const char *port_file;          /* write the bound port here once listening, or NULL */
    unsigned refresh, retry, expire;    /* End of Data intervals (s); 0 = 3600, 600, 7200 */
    unsigned poll_s;                /* check the files for changes every poll_s s; 0 = 60 */
    unsigned notify_interval_s;     /* Serial Notify at most this often (s); default 60 (a relying party
                                       rewriting its output often must not make routers query as often);
                                       notify_set says 0 was given */
    bool notify_set;
    unsigned history;               /* versions kept for incremental updates; 0 = 32 */
    unsigned timeout_s;             /* slow reader / unfinished PDU (s); 0 = 60 */
    size_t max_clients;             /* 0 = 10000 */
} rtrd_opts;

/* Load, listen, serve until SIGINT/SIGTERM. Returns the exit status (0, or 1 when
 * the files cannot be loaded or the address cannot be bound). */
int rtrd_run(const rtrd_opts *o);

#endif
