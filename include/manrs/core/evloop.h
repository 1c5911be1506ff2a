/*
 * evloop.h — the one event loop of manrs servers (whoisd, rtrd, bmpd, monitor;
 * HTTP next): readiness callbacks on file descriptors, periodic timers and signals,
 * all dispatched from one thread. No thread per client: a server keeps its
 * per-connection state in its own structs and reacts to readiness.
 *
 * Linux epoll (level-triggered) + signalfd; monotonic clock in milliseconds,
 * read once per loop iteration (mrs_evloop_now). Assumptions:
 *  - one thread owns a loop; callbacks may watch/unwatch any fd (including the
 *    one being dispatched) and close it after unwatching; a stale event for an fd
 *    number that was closed and reused within one batch is not delivered (each
 *    registration has a generation number);
 *  - signals handled by mrs_evloop_signal are blocked for the whole process
 *    (call it before starting other threads) and delivered as callbacks;
 *  - the loop does not own the fds it watches.
 * Also here: the socket helpers every server needs (non-blocking TCP listener
 * from "ADDR:PORT", bound port).
 */
#ifndef MANRS_EVLOOP_H
#define MANRS_EVLOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sockaddr_storage;

typedef struct mrs_evloop mrs_evloop;

#define MRS_EV_READ 0x1u
#define MRS_EV_WRITE 0x2u
#define MRS_EV_HUP 0x4u   /* reported only: error or hang-up on the fd */

typedef void (*mrs_ev_fd_fn)(mrs_evloop *l, int fd, unsigned events, void *user);
typedef void (*mrs_ev_timer_fn)(mrs_evloop *l, void *user);
typedef void (*mrs_ev_signal_fn)(mrs_evloop *l, int signo, void *user);

mrs_evloop *mrs_evloop_new(void);   /* NULL on failure (errno set) */
void mrs_evloop_free(mrs_evloop *l);

/* Watch fd for events (MRS_EV_READ | MRS_EV_WRITE), or change the events and
 * callback of an fd already watched. Returns 0 or -1 (errno). */
int mrs_evloop_watch(mrs_evloop *l, int fd, unsigned events, mrs_ev_fd_fn fn, void *user);
/* Change only the events of a watched fd. */
int mrs_evloop_modify(mrs_evloop *l, int fd, unsigned events);
/* Stop watching fd (before closing it). Unknown fds are ignored. */
void mrs_evloop_unwatch(mrs_evloop *l, int fd);

/* A periodic timer every period_ms (> 0). Returns a timer id >= 0, or -1. */
int mrs_evloop_timer(mrs_evloop *l, unsigned period_ms, mrs_ev_timer_fn fn, void *user);
/* Handle signo (SIGHUP, SIGTERM, ...) as a callback. 0 or -1. */
int mrs_evloop_signal(mrs_evloop *l, int signo, mrs_ev_signal_fn fn, void *user);

/* Monotonic milliseconds, as of the current loop iteration. */
uint64_t mrs_evloop_now(const mrs_evloop *l);

/* Dispatch until mrs_evloop_stop. Returns 0, or -1 on a fatal epoll error. */
int mrs_evloop_run(mrs_evloop *l);
void mrs_evloop_stop(mrs_evloop *l);

/* Non-blocking, close-on-exec TCP listener on "ADDR:PORT", "[V6ADDR]:PORT" or
 * ":PORT" (all IPv4 addresses); PORT 0 picks a free port. SO_REUSEADDR is set.
 * Returns the fd, or -1 with a message in err. */
int mrs_tcp_listen(const char *addr_port, int backlog, char *err, size_t errlen);
/* A non-blocking, close-on-exec TCP connection to "HOST:PORT" or "[V6]:PORT" (a
 * name is resolved), established within timeout_ms. Returns the fd, or -1 with the
 * reason in err ("Connection refused"; the caller names the address). */
int mrs_tcp_connect(const char *host_port, int timeout_ms, char *err, size_t errlen);
/* The set-up every manrs server shares: the descriptor limit raised to its hard
 * limit (a descriptor per connection), a listener on addr_port watched by
 * on_accept, SIGINT and SIGTERM stopping the loop ("PROG: signal N: stopping";
 * prog must outlive the loop). Returns the listener, or -1 with the reason
 * printed on stderr as "PROG: ...". */
int mrs_server_listen(mrs_evloop *l, const char *prog, const char *addr_port, mrs_ev_fd_fn on_accept, void *user);
/* Write the bound port of lfd and a newline to path (tests start servers on
 * port 0). 0, or -1 with the reason printed as "PROG: ...". */
int mrs_server_port_file(const char *prog, int lfd, const char *path);
/* A connected, non-blocking, close-on-exec UDP socket to "HOST:PORT" or
 * "[V6]:PORT" (a name is resolved): send() then goes there. -1 with the reason. */
int mrs_udp_connect(const char *host_port, char *err, size_t errlen);
/* The local port of a bound socket, or -1. */
int mrs_sock_port(int fd);
/* Accept one pending connection on a non-blocking listener: the new fd
 * (non-blocking, close-on-exec, its address in *ss), or -1 when none is pending
 * or it failed. Out of descriptors (EMFILE, ENFILE...), the connection stays in
 * the backlog and a level-triggered listener would spin: the listener is then no
 * longer watched (*paused = true) until mrs_tcp_accept_resume (call it when a
 * client closes, or on a timer). */
int mrs_tcp_accept(mrs_evloop *l, int lfd, struct sockaddr_storage *ss, bool *paused);
void mrs_tcp_accept_resume(mrs_evloop *l, int lfd, bool *paused);
/* A peer's address for log lines: "192.0.2.1" or, with_port, "192.0.2.1:4242" /
 * "[2001:db8::1]:4242" (IPv4-mapped IPv6 shown as IPv4). Returns out. */
const char *mrs_sock_peer(const struct sockaddr_storage *ss, bool with_port, char *out, size_t len);

/* A server's connections: an intrusive list that every server (rtrd, whoisd,
 * bmpd) keeps the same way. A server's client struct has an mrs_conn as its
 * FIRST member, so a list entry converts back with a cast. The list knows the
 * listener, so closing a connection resumes an accept paused for want of
 * descriptors (see mrs_tcp_accept). */
typedef struct mrs_conn {
    struct mrs_conn *prev, *next;
    int fd;
} mrs_conn;

typedef struct mrs_conns {
    mrs_evloop *loop;
    int lfd;             /* the listener */
    bool paused;         /* out of descriptors: the listener is not watched */
    mrs_conn *head;      /* newest first */
    size_t n;
} mrs_conns;

/* Accept one pending connection on the listener (mrs_tcp_accept). */
int mrs_conns_accept(mrs_conns *s, struct sockaddr_storage *ss);
/* Link c, whose connection is fd, into the list. */
void mrs_conns_add(mrs_conns *s, mrs_conn *c, int fd);
/* Unwatch and close c's fd and unlink it; the listener accepts again if it was
 * paused. The caller frees the struct that holds c. */
void mrs_conns_close(mrs_conns *s, mrs_conn *c);
/* Resume a paused listener (from a timer: descriptors may be free again). */
void mrs_conns_resume(mrs_conns *s);

#endif
