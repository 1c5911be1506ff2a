/*
 * whoisd.c — the manrs whoisd server: TCP clients on one event loop
 * (manrs/evloop.h), queries answered by the engine in whois_query.c.
 *
 * One bad client must never deny the server to the others:
 *  - One query in flight per client: the next query line is answered only once
 *    the previous answer has been sent completely. A client that pipelines and
 *    never reads holds at most one answer; its further lines wait in a bounded
 *    input buffer (then in the kernel: TCP flow control).
 *  - Answers are computed from a run queue, cheapest client first: each client's
 *    compute time is summed and halved every second, and the queue is served in
 *    slices of SLICE_US before the loop polls again. A client with cheap queries
 *    (!g, !v) is not kept waiting behind clients asking for megabytes.
 *  - A client that is gone (reset, or hung up in both directions) is dropped
 *    before its next query is computed, with its pending input.
 *  - Output memory: one answer is at most max_output bytes (larger: "F Answer too
 *    large", the engine stops building it at the limit); the unsent answers of
 *    all clients together stay within output_budget: when the budget is nearly
 *    spent an answer is built with the room left (at least RESERVE, enough for
 *    the usual small answers); one that does not fit is dropped unsent and its
 *    client parked (not read, not computed) in FIFO order until max_output bytes
 *    of the budget are free again.
 *  - Timers: the idle timer is reset only by a completed query (answer fully
 *    sent), not by bytes received; a query line must end within line_timeout of
 *    its first byte while the server waits for it (slowloris). Connections are
 *    limited per IPv4 address / IPv6 /64 (max_per_addr) and in all (max_clients);
 *    at max_clients a new connection evicts the client that has kept the server
 *    waiting longest (>= 1 s) for a query line, if any. A new connection's first
 *    line is awaited like any other: silent connections go after line_timeout.
 *  - Log lines (the db's expansion warnings included) are rate limited: at most
 *    LOG_LINES per LOG_INTERVAL_MS, then one line with the count suppressed.
 *
 * Per client: an input buffer (a partial line, or lines held back; bounded by
 * max_query + 64 KiB; a longer line is answered "F query too long" and skipped
 * up to its newline, the connection stays), an output buffer, timers.
 *
 * SIGHUP: load the files into a new db; only when that fully succeeds is it
 * swapped in (the answers are computed synchronously, so no query ever sees a
 * half-loaded db) and the old one freed; clients stay connected, their !s
 * selection is re-resolved by name on each query. SIGINT/SIGTERM: stop.
 */
#define _GNU_SOURCE
#include "manrs/apps/whoisd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "manrs/core/evloop.h"
#include "manrs/core/map64.h"
#include "manrs/core/ratelog.h"

#define SLICE_US 10000u          /* compute at most this long before polling again */
#define RESERVE (64u << 10)      /* an answer may always use this much, budget or not */
#define KEEP_BUF (16u << 10)     /* buffers larger than this are freed once empty */
#define LOG_LINES 20u
#define LOG_INTERVAL_MS 10000u

enum { CS_IDLE, CS_RUNNABLE, CS_SENDING, CS_PARKED };

typedef struct client {
    mrs_conn conn;                /* first: all clients */
    struct client *qprev, *qnext; /* run queue (CS_RUNNABLE) or budget queue (CS_PARKED) */
    struct server *srv;
    int state;
    unsigned watched;             /* events asked of the loop */
    uint64_t addr_key;            /* per-address count key */
    whois_session s;
    char *in;                     /* pending bytes (partial line, or lines held back) */
    size_t in_len, in_cap;
    bool discarding;              /* skipping the rest of an over-long line */
    char too_long;                /* first byte of an over-long line to answer, 0 = none */
    bool eof;                     /* the peer closed its side */
    mrs_outbuf out;
    size_t out_off;               /* bytes of out already sent */
    size_t acct;                  /* bytes of the output budget this client holds */
    size_t reserved;              /* budget reserved for its retry after parking */
    uint64_t last_done;           /* ms: connected, or last query answered */
    uint64_t line_start;          /* ms: first byte of the unfinished line, 0 = none */
    uint64_t cost_us;             /* compute time, halved every second */
    char peer[INET6_ADDRSTRLEN];
} client;

typedef struct cqueue {
    client *head, *tail;
    size_t n;
} cqueue;

typedef struct server {
    const whoisd_opts *o;
    mrs_evloop *loop;
    irr_db *db;
    mrs_diag diag;
    int efd;
    bool efd_set;          /* the run-queue event is pending */
    mrs_conns clients;     /* of client; accepting pauses when out of fds (EMFILE...) */
    cqueue runq, waitq;
    mrs_map64 per_addr;    /* address key -> connections */
    size_t out_used, reserved;
    uint64_t last_decay;
    char version[64];
    size_t max_query, max_output, budget, max_clients, max_per_addr, max_set_size;
    unsigned idle_ms, line_ms, max_depth;
    mrs_ratelog log;       /* rate-limited log lines */
    /* counters, reported at the stop */
    uint64_t queries, reloads, refused_addr, refused_full, evicted, dropped_idle, dropped_line, gone, parked, too_large;
} server;

static uint64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ------------------------------------------------------------------ log */

#define srv_log(sv, ...) mrs_ratelog_line(&(sv)->log, __VA_ARGS__)

/* The db's messages (loading, expansion warnings) go through the same limit. */
static void diag_sink(void *ctx, int is_error, const char *msg)
{
    (void)is_error;
    srv_log((server *)ctx, "%s", msg);
}

irr_db *whoisd_load(const char *const *files, size_t n, const char *source_order, mrs_diag *diag)
{
    irr_db *db = irr_db_new(diag);
    if (!db)
        return NULL;
    if (source_order && irr_db_set_source_order(db, source_order) < 0) {
        fprintf(stderr, "manrs whoisd: bad source order '%s'\n", source_order);
        irr_db_free(db);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t before = irr_db_stats(db)->objects, errors = diag ? diag->errors : 0;
        if (irr_db_load_file(db, files[i]) < 0) {
            irr_db_free(db);
            return NULL;
        }
        if (irr_db_stats(db)->objects == before && diag && diag->errors == errors)
            mrs_diag_error_file(diag, files[i], "no records");
    }
    if (n && irr_db_stats(db)->objects == 0) {
        /* serving nothing would answer every query "not found": an empty filter */
        fprintf(stderr, "manrs whoisd: no objects in the files given: nothing to serve\n");
        irr_db_free(db);
        return NULL;
    }
    if (irr_db_finalize(db) < 0) {
        irr_db_free(db);
        return NULL;
    }
    return db;
}

/* ------------------------------------------------------------------ queues, budget */

static void q_push(cqueue *q, client *c)
{
    c->qnext = NULL;
    c->qprev = q->tail;
    if (q->tail)
        q->tail->qnext = c;
    else
        q->head = c;
    q->tail = c;
    q->n++;
}

static void q_remove(cqueue *q, client *c)
{
    if (c->qprev)
        c->qprev->qnext = c->qnext;
    else
        q->head = c->qnext;
    if (c->qnext)
        c->qnext->qprev = c->qprev;
    else
        q->tail = c->qprev;
    c->qprev = c->qnext = NULL;
    q->n--;
}

static void make_runnable(client *c)
{
    server *sv = c->srv;
    c->state = CS_RUNNABLE;
    q_push(&sv->runq, c);
    if (!sv->efd_set) {
        uint64_t one = 1;
        if (write(sv->efd, &one, sizeof one) == (ssize_t)sizeof one)
            sv->efd_set = true;
    }
}

static size_t budget_room(const server *sv)
{
    size_t used = sv->out_used + sv->reserved;
    return used < sv->budget ? sv->budget - used : 0;
}

/* Count c's output buffer in the budget (only while it holds an answer). */
static void account(client *c)
{
    server *sv = c->srv;
    size_t a = c->out.len ? c->out.cap : 0;
    sv->out_used = sv->out_used - c->acct + a;
    c->acct = a;
}

/* Parked clients retry, oldest first, while max_output bytes of budget are free
 * (reserved for each until it has run). */
static void maybe_unpark(server *sv)
{
    while (sv->waitq.head && budget_room(sv) >= sv->max_output) {
        client *c = sv->waitq.head;
        q_remove(&sv->waitq, c);
        c->reserved = sv->max_output;
        sv->reserved += c->reserved;
        make_runnable(c);
    }
}

/* ------------------------------------------------------------------ clients */

static void client_close(client *c)
{
    server *sv = c->srv;
    if (c->state == CS_RUNNABLE)
        q_remove(&sv->runq, c);
    else if (c->state == CS_PARKED)
        q_remove(&sv->waitq, c);
    sv->out_used -= c->acct;
    sv->reserved -= c->reserved;
    uint32_t *cnt = mrs_map64_get(&sv->per_addr, c->addr_key);
    if (cnt && --*cnt == 0)
        mrs_map64_remove(&sv->per_addr, c->addr_key);
    mrs_conns_close(&sv->clients, &c->conn);
    whois_session_clear(&c->s);
    free(c->in);
    free(c->out.buf);
    free(c);
    maybe_unpark(sv);
}

/* Ask the loop for what c needs: input while there is room, output while an
 * answer is unsent. false if c was closed. */
static bool client_watch(client *c)
{
    server *sv = c->srv;
    unsigned ev = 0;
    if (!c->eof && !c->s.quit && c->in_len < sv->max_query + 65536)
        ev |= MRS_EV_READ;
    if (c->state == CS_SENDING)
        ev |= MRS_EV_WRITE;
    if (ev == c->watched)
        return true;
    if (mrs_evloop_modify(sv->loop, c->conn.fd, ev) < 0) {
        client_close(c);
        return false;
    }
    c->watched = ev;
    return true;
}

/* Send what we can. -1: closed (send failed), 0: output left, 1: all sent. */
static int client_flush(client *c)
{
    while (c->out_off < c->out.len) {
        ssize_t w = send(c->conn.fd, c->out.buf + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            c->srv->gone++;
            client_close(c);
            return -1;
        }
        c->out_off += (size_t)w;
    }
    c->out.len = c->out_off = 0;
    if (c->out.cap > KEEP_BUF) {
        /* give back the memory of a large answer */
        free(c->out.buf);
        c->out.buf = NULL;
        c->out.cap = 0;
    }
    account(c);
    maybe_unpark(c->srv);
    return 1;
}

/* The client has nothing in progress: run its next complete line, or wait for
 * input (closing after the peer's end of input). false if c was closed. */
static bool client_next(client *c)
{
    c->state = CS_IDLE;
    if (c->s.quit) {
        client_close(c);
        return false;
    }
    if (c->too_long || memchr(c->in, '\n', c->in_len)) {
        make_runnable(c);
    } else if (c->eof) {
        client_close(c);
        return false;
    }
    return client_watch(c);
}

/* A query has been answered completely (or produced no answer). */
static bool query_done(client *c)
{
    uint64_t now = mrs_evloop_now(c->srv->loop);
    c->last_done = now;
    /* the server now waits for the client: a partial line has line_timeout from here */
    c->line_start = c->in_len && !memchr(c->in, '\n', c->in_len) ? now : 0;
    return client_next(c);
}

static void consume(client *c, size_t n)
{
    memmove(c->in, c->in + n, c->in_len - n);
    c->in_len -= n;
}

/* Answer c's next line (c has just been taken off the run queue). */
static void run_one(server *sv, client *c)
{
    /* Gone (reset, or hung up both ways)? Then its pending input is abandoned. */
    struct pollfd p = {.fd = c->conn.fd, .events = POLLIN};
    if (poll(&p, 1, 0) > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL))) {
        sv->gone++;
        client_close(c);
        return;
    }
    sv->reserved -= c->reserved;
    c->reserved = 0;
    c->state = CS_IDLE;
    for (;;) {
        char *nl = memchr(c->in, '\n', c->in_len);
        if (c->too_long) {
            /* a line longer than max_query, its rest being skipped */
            mrs_outbuf_puts(&c->out, c->too_long == '!' ? "F query too long\n" : "%% query too long\n\n");
            c->too_long = 0;
            break;
        }
        if (!nl) {
            client_next(c);
            return;
        }
        size_t n = (size_t)(nl - c->in);
        const char *q = c->in;
        if (c->discarding) {
            c->discarding = false;
            consume(c, n + 1);
            continue;
        }
        size_t k = 0;
        while (k < n && (q[k] == ' ' || q[k] == '\t' || q[k] == '\r'))
            k++;
        if (k == n) {   /* empty lines are ignored (IRRd) and complete nothing */
            consume(c, n + 1);
            continue;
        }
        if (n > sv->max_query) {
            mrs_outbuf_puts(&c->out, q[0] == '!' ? "F query too long\n" : "%% query too long\n\n");
        } else {
            size_t room = budget_room(sv), limit = sv->max_output;
            bool by_budget = room < limit;
            if (by_budget)
                limit = room > RESERVE ? room : RESERVE;
            c->s.answer_limit = limit;
            bool quit0 = c->s.quit, pers0 = c->s.persistent;
            uint64_t t0 = mono_us();
            whois_answer(sv->db, &c->s, sv->version, q, n, &c->out);
            c->cost_us += mono_us() - t0;
            sv->queries++;
            if (c->s.scratch.cap > KEEP_BUF)
                whois_session_clear(&c->s);
            if (c->s.over_limit && by_budget) {
                /* no room for this answer now: drop it, retry the line later */
                c->out.len = 0;
                if (c->out.cap > KEEP_BUF) {
                    free(c->out.buf);
                    c->out.buf = NULL;
                    c->out.cap = 0;
                }
                c->s.quit = quit0;
                c->s.persistent = pers0;
                account(c);
                c->state = CS_PARKED;
                q_push(&sv->waitq, c);
                sv->parked++;
                srv_log(sv, "output budget spent (%zu of %zu bytes unsent): client %s waits", sv->out_used,
                        sv->budget, c->peer);
                client_watch(c);
                return;
            }
            if (c->s.over_limit) {
                sv->too_large++;
                srv_log(sv, "answer to client %s over %zu bytes refused", c->peer, sv->max_output);
            }
            if (c->out.oom) {
                /* part of an answer was dropped: this client's stream cannot be
                 * trusted any more; close it (the others are served on) */
                c->s.quit = true;
                c->out.len = 0;
            }
        }
        consume(c, n + 1);
        break;
    }
    account(c);
    int r = client_flush(c);
    if (r < 0)
        return;
    if (r == 1) {
        query_done(c);
        return;
    }
    c->state = CS_SENDING;
    client_watch(c);
}

/* The run queue: the cheapest clients first, for at most SLICE_US. */
static void on_run(mrs_evloop *l, int fd, unsigned events, void *user)
{
    (void)l;
    (void)events;
    server *sv = user;
    uint64_t t0 = mono_us();
    while (sv->runq.head) {
        client *best = sv->runq.head;
        for (client *c = best->qnext; c; c = c->qnext)
            if (c->cost_us < best->cost_us)
                best = c;
        q_remove(&sv->runq, best);
        run_one(sv, best);
        if (mono_us() - t0 >= SLICE_US)
            break;
    }
    if (!sv->runq.head && sv->efd_set) {
        uint64_t v;
        if (read(fd, &v, sizeof v) == (ssize_t)sizeof v)
            sv->efd_set = false;
    }
}

static void client_io(mrs_evloop *l, int fd, unsigned events, void *user)
{
    (void)fd;
    client *c = user;
    server *sv = c->srv;
    if (events & MRS_EV_HUP) {
        /* reset, or hung up both ways: nothing can be sent any more */
        sv->gone++;
        client_close(c);
        return;
    }
    if ((events & MRS_EV_WRITE) && c->state == CS_SENDING) {
        int r = client_flush(c);
        if (r < 0 || (r == 1 && !query_done(c)))
            return;
    }
    if (events & MRS_EV_READ) {
        /* Input buffer: starts at 4 KiB (idle clients stay cheap), grows to at
         * most max_query + 64 KiB (a partial line plus one read of pipelined ones). */
        size_t room = sv->max_query + 65536;
        if (c->in_len == c->in_cap && c->in_cap < room) {
            size_t nc = c->in_cap ? c->in_cap * 2 : 4096;
            if (nc > room)
                nc = room;
            char *nb = realloc(c->in, nc);
            if (!nb) {
                client_close(c);
                return;
            }
            c->in = nb;
            c->in_cap = nc;
        }
        if (c->in_len < c->in_cap) {
            ssize_t r = recv(c->conn.fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
            if (r == 0) {
                c->eof = true;
            } else if (r < 0) {
                if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    sv->gone++;
                    client_close(c);
                    return;
                }
            } else {
                size_t old = c->in_len;
                c->in_len += (size_t)r;
                const char *last = memrchr(c->in + old, '\n', (size_t)r);
                if (last)
                    c->line_start = last + 1 < c->in + c->in_len ? mrs_evloop_now(l) : 0;
                else if (!c->line_start)
                    c->line_start = mrs_evloop_now(l);
            }
        }
        /* An over-long line without newline: answered "query too long" once
         * its turn comes, and skipped up to its newline. */
        if (c->in_len > sv->max_query && !memchr(c->in, '\n', c->in_len)) {
            if (!c->discarding) {
                c->too_long = c->in[0] == '!' ? '!' : '%';
                c->discarding = true;
            }
            c->in_len = 0;
        }
        if (c->state == CS_IDLE && !client_next(c))
            return;
    }
    client_watch(c);
}

/* A map key per IPv4 address or IPv6 /64 (an IPv4-mapped address is IPv4). */
static uint64_t addr_key(const struct sockaddr_storage *ss, char *txt, size_t tl)
{
    const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
    const unsigned char *a = NULL;
    uint64_t k = 0;
    mrs_sock_peer(ss, false, txt, tl);
    if (ss->ss_family == AF_INET) {
        a = (const unsigned char *)&((const struct sockaddr_in *)ss)->sin_addr;
    } else if (ss->ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
        a = s6->sin6_addr.s6_addr + 12;
    } else if (ss->ss_family == AF_INET6) {
        for (int i = 0; i < 8; i++)
            k = k << 8 | s6->sin6_addr.s6_addr[i];
        return k == MRS_MAP64_FREE ? k - 1 : k;
    }
    if (a)
        k = 0xFFFF000000000000ull | (uint64_t)a[0] << 24 | (uint64_t)a[1] << 16 | (uint64_t)a[2] << 8 | a[3];
    return k;
}

static void refuse(int fd, const char *msg)
{
    (void)!send(fd, msg, strlen(msg), MSG_NOSIGNAL);
    close(fd);
}

/* At max_clients: the client that has kept the server waiting longest for a
 * query line (slowloris, or connected and silent) for at least 1 s, or NULL. */
static client *eviction_victim(server *sv, uint64_t now)
{
    client *v = NULL;
    for (mrs_conn *k = sv->clients.head; k; k = k->next) {
        client *c = (client *)k;
        if (c->state == CS_IDLE && c->line_start && now - c->line_start >= 1000 &&
            (!v || c->line_start < v->line_start))
            v = c;
    }
    return v;
}

static void on_accept(mrs_evloop *l, int lfd, unsigned events, void *user)
{
    (void)lfd, (void)events;
    server *sv = user;
    for (int k = 0; k < 64; k++) {
        struct sockaddr_storage ss;
        int fd = mrs_conns_accept(&sv->clients, &ss);   /* paused: until a client closes or the tick */
        if (fd < 0)
            return;
        char peer[INET6_ADDRSTRLEN];
        uint64_t key = addr_key(&ss, peer, sizeof peer);
        client *victim = sv->clients.n >= sv->max_clients ? eviction_victim(sv, mrs_evloop_now(l)) : NULL;
        if (victim) {
            sv->evicted++;
            srv_log(sv, "%zu clients: %s, waited on for a query line, closed for %s", sv->clients.n, victim->peer,
                    peer);
            client_close(victim);
        }
        if (sv->clients.n >= sv->max_clients) {
            sv->refused_full++;
            srv_log(sv, "%zu clients: %s refused", sv->clients.n, peer);
            refuse(fd, "F too many clients, try again later\n");
            continue;
        }
        uint32_t *cnt = mrs_map64_get(&sv->per_addr, key);
        if (cnt && *cnt >= sv->max_per_addr) {
            sv->refused_addr++;
            srv_log(sv, "%u connections from %s: one more refused", *cnt, peer);
            refuse(fd, "F too many connections from your address, try again later\n");
            continue;
        }
        client *c = calloc(1, sizeof *c);
        bool found;
        cnt = c ? mrs_map64_put(&sv->per_addr, key, &found) : NULL;
        if (!cnt) {
            free(c);
            close(fd);
            continue;
        }
        *cnt = found ? *cnt + 1 : 1;
        c->srv = sv;
        c->addr_key = key;
        memcpy(c->peer, peer, sizeof peer);
        whois_session_init(&c->s);
        c->s.max_depth = sv->max_depth;
        c->s.max_set_size = sv->max_set_size;
        c->last_done = c->line_start = mrs_evloop_now(l);   /* the first line is awaited */
        c->watched = MRS_EV_READ;
        mrs_conns_add(&sv->clients, &c->conn, fd);
        if (mrs_evloop_watch(l, fd, MRS_EV_READ, client_io, c) < 0)
            client_close(c);
    }
}

static void on_tick(mrs_evloop *l, void *user)
{
    server *sv = user;
    uint64_t now = mrs_evloop_now(l);
    bool decay = now - sv->last_decay >= 1000;
    if (decay)
        sv->last_decay = now;
    mrs_conns_resume(&sv->clients);
    for (mrs_conn *k = sv->clients.head, *next; k; k = next) {
        next = k->next;
        client *c = (client *)k;
        if (decay)
            c->cost_us >>= 1;
        uint64_t limit = c->s.timeout_s ? (uint64_t)c->s.timeout_s * 1000u : sv->idle_ms;
        /* idle: no query completed for limit ms (a client waiting in the run
         * queue waits for the server, not the other way round) */
        if (c->state != CS_RUNNABLE && now - c->last_done >= limit) {
            sv->dropped_idle++;
            client_close(c);
        } else if (c->state == CS_IDLE && c->line_start && now - c->line_start >= sv->line_ms) {
            sv->dropped_line++;
            srv_log(sv, "client %s: query line unfinished after %u ms, closed", c->peer, sv->line_ms);
            client_close(c);
        }
    }
    maybe_unpark(sv);
    mrs_ratelog_roll(&sv->log, false);
}

static void on_reload(mrs_evloop *l, int signo, void *user)
{
    (void)l;
    (void)signo;
    server *sv = user;
    fprintf(stderr, "manrs whoisd: SIGHUP: reloading %zu file(s)\n", sv->o->n_irr_files);
    irr_db *ndb = whoisd_load(sv->o->irr_files, sv->o->n_irr_files, sv->o->source_order, &sv->diag);
    if (!ndb) {
        fprintf(stderr, "manrs whoisd: reload failed; still serving the previous data\n");
        return;
    }
    irr_db *old = sv->db;
    sv->db = ndb;
    irr_db_free(old);
    sv->reloads++;
    const irr_stats *st = irr_db_stats(ndb);
    fprintf(stderr, "manrs whoisd: reloaded: %llu objects read, %llu malformed; %zu clients kept\n",
            (unsigned long long)st->objects, (unsigned long long)st->malformed, sv->clients.n);
}

static unsigned min_u(unsigned a, unsigned b) { return a < b ? a : b; }

int whoisd_run(const whoisd_opts *o)
{
    server sv;
    memset(&sv, 0, sizeof sv);
    sv.o = o;
    sv.clients.lfd = sv.efd = -1;
    sv.max_query = o->max_query ? o->max_query : 4096;
    sv.max_output = o->max_output ? o->max_output : ((size_t)64 << 20);
    sv.budget = o->output_budget ? o->output_budget : ((size_t)256 << 20);
    if (sv.max_output > sv.budget)
        sv.max_output = sv.budget;   /* one answer never needs more than the whole budget */
    sv.max_clients = o->max_clients ? o->max_clients : 4096;
    sv.max_per_addr = o->max_per_addr ? o->max_per_addr : 16;
    sv.idle_ms = o->idle_timeout_ms ? o->idle_timeout_ms : 30000;
    sv.line_ms = o->line_timeout_ms ? o->line_timeout_ms : 10000;
    sv.max_depth = o->max_depth ? o->max_depth : IRR_DEFAULT_MAX_DEPTH;
    sv.max_set_size = o->max_set_size ? o->max_set_size : 1000000;
    snprintf(sv.version, sizeof sv.version, "manrs whoisd %s", MANRS_VERSION);
    mrs_diag_init(&sv.diag, stderr);
    sv.diag.sink = diag_sink;
    sv.diag.sink_ctx = &sv;
    mrs_ratelog_init(&sv.log, "manrs whoisd", LOG_LINES, LOG_INTERVAL_MS);
    int rc = 1;

    sv.db = whoisd_load(o->irr_files, o->n_irr_files, o->source_order, &sv.diag);
    if (!sv.db)
        return 1;
    /* Answers are large and short-lived: keep them out of the heap (mmap above
     * 256 KiB, a fixed threshold) so that their memory goes back when freed. */
    mallopt(M_MMAP_THRESHOLD, 256 << 10);
    const irr_stats *st = irr_db_stats(sv.db);
    const char *addr = o->listen ? o->listen : "127.0.0.1:4343";
    unsigned tick = min_u(1000, min_u(sv.idle_ms < 4000 ? (sv.idle_ms + 3) / 4 : 1000,
                                      sv.line_ms < 4000 ? (sv.line_ms + 3) / 4 : 1000));
    if (!(sv.loop = mrs_evloop_new())) {
        fprintf(stderr, "manrs whoisd: event loop setup failed: %s\n", strerror(errno));
        goto out;
    }
    sv.clients.loop = sv.loop;
    if ((sv.clients.lfd = mrs_server_listen(sv.loop, "manrs whoisd", addr, on_accept, &sv)) < 0)
        goto out;
    sv.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (sv.efd < 0 || mrs_map64_init(&sv.per_addr) < 0 ||
        mrs_evloop_watch(sv.loop, sv.efd, MRS_EV_READ, on_run, &sv) < 0 ||
        mrs_evloop_timer(sv.loop, tick, on_tick, &sv) < 0 || mrs_evloop_signal(sv.loop, SIGHUP, on_reload, &sv) < 0) {
        fprintf(stderr, "manrs whoisd: event loop setup failed: %s\n", strerror(errno));
        goto out;
    }
    int port = mrs_sock_port(sv.clients.lfd);
    fprintf(stderr, "manrs whoisd: %llu objects (%zu sources) loaded; listening on %s (port %d)\n",
            (unsigned long long)st->objects, irr_db_source_count(sv.db), addr, port);
    if (o->ready_fd >= 0) {
        char pb[16];
        int pl = snprintf(pb, sizeof pb, "%d\n", port);
        if (write(o->ready_fd, pb, (size_t)pl) != pl)
            fprintf(stderr, "manrs whoisd: could not write the port file\n");
        close(o->ready_fd);
    }
    if (mrs_evloop_run(sv.loop) < 0) {
        fprintf(stderr, "manrs whoisd: event loop failed: %s\n", strerror(errno));
        goto out;
    }
    mrs_ratelog_roll(&sv.log, true);
    typedef unsigned long long ull;
    fprintf(stderr,
            "manrs whoisd: %llu queries answered, %llu reloads; refused: %llu over the per-address limit, "
            "%llu over the client limit; closed: %llu idle, %llu slow line, %llu evicted, %llu gone; "
            "%llu parked for the output budget, %llu answers too large\n",
            (ull)sv.queries, (ull)sv.reloads, (ull)sv.refused_addr, (ull)sv.refused_full, (ull)sv.dropped_idle,
            (ull)sv.dropped_line, (ull)sv.evicted, (ull)sv.gone, (ull)sv.parked, (ull)sv.too_large);
    rc = 0;
out:
    while (sv.clients.head)
        client_close((client *)sv.clients.head);
    if (sv.clients.lfd >= 0)
        close(sv.clients.lfd);
    if (sv.efd >= 0)
        close(sv.efd);
    mrs_evloop_free(sv.loop);
    mrs_map64_clear(&sv.per_addr);
    irr_db_free(sv.db);
    return rc;
}
