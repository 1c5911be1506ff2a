/*
 * whoisd.c — the manrs whoisd server: TCP clients on one event loop
 * (manrs/evloop.h), queries answered by the engine in whois_query.c.
 *
 * Per client: an input buffer holding at most one partial query line (bounded by
 * max_query; a longer line is answered "F query too long" and skipped up to its
 * newline, the connection stays), an output buffer (when unsent output passes
 * max_output, the client's input is no longer read until it drains — a client
 * that pipelines without reading cannot make the server grow without bound), an
 * idle deadline. Pipelined queries are answered in order.
 *
 * SIGHUP: load the files into a new db; only when that fully succeeds is it
 * swapped in (the answers are computed synchronously, so no query ever sees a
 * half-loaded db) and the old one freed; clients stay connected, their !s
 * selection is re-resolved by name on each query. SIGINT/SIGTERM: stop.
 */
#define _GNU_SOURCE
#include "manrs/apps/whoisd.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "manrs/core/evloop.h"

typedef struct client {
    struct client *prev, *next;
    struct server *srv;
    int fd;
    whois_session s;
    char *in;              /* pending bytes (partial line, or lines held back by back-pressure) */
    size_t in_len, in_cap;
    bool discarding;       /* skipping the rest of an over-long line */
    bool eof;              /* the peer closed its side */
    mrs_outbuf out;
    size_t out_off;        /* bytes of out already sent */
    uint64_t last_active;
} client;

typedef struct server {
    const whoisd_opts *o;
    mrs_evloop *loop;
    irr_db *db;
    mrs_diag diag;
    int lfd;
    bool accept_paused;    /* out of fds (EMFILE...): listener not watched until a client goes */
    client *clients;
    size_t n_clients;
    uint64_t queries, reloads;
    char version[64];
    size_t max_query, max_output, max_clients;
    unsigned idle_ms;
} server;

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

static void client_close(client *c)
{
    server *sv = c->srv;
    mrs_evloop_unwatch(sv->loop, c->fd);
    close(c->fd);
    if (c->prev)
        c->prev->next = c->next;
    else
        sv->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    sv->n_clients--;
    if (sv->accept_paused && mrs_evloop_modify(sv->loop, sv->lfd, MRS_EV_READ) == 0)
        sv->accept_paused = false;
    whois_session_clear(&c->s);
    free(c->in);
    free(c->out.buf);
    free(c);
}

/* Send what we can. Returns false if the client was closed. */
static bool client_flush(client *c)
{
    while (c->out_off < c->out.len) {
        ssize_t w = send(c->fd, c->out.buf + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            client_close(c);
            return false;
        }
        c->out_off += (size_t)w;
    }
    if (c->out_off == c->out.len) {
        c->out.len = c->out_off = 0;
        /* Give back the memory of a large answer. */
        if (c->out.cap > (1u << 20)) {
            free(c->out.buf);
            c->out.buf = NULL;
            c->out.cap = 0;
        }
    }
    return true;
}

static void client_io(mrs_evloop *l, int fd, unsigned events, void *user);

static void answer_too_long(client *c, char first)
{
    mrs_outbuf_puts(&c->out, first == '!' ? "F query too long\n" : "%% query too long\n\n");
}

/* Answer the complete lines in c->in while output is below the limit. */
static void client_process(client *c)
{
    server *sv = c->srv;
    size_t pos = 0;
    while (!c->s.quit && c->out.len - c->out_off < sv->max_output) {
        char *nl = memchr(c->in + pos, '\n', c->in_len - pos);
        if (!nl)
            break;
        size_t n = (size_t)(nl - (c->in + pos));
        if (c->discarding) {
            c->discarding = false;
        } else if (n > sv->max_query) {
            answer_too_long(c, c->in[pos]);
        } else {
            sv->queries++;
            whois_answer(sv->db, &c->s, sv->version, c->in + pos, n, &c->out);
            if (c->out.oom) {
                /* part of an answer was dropped: this client's stream cannot be
                 * trusted any more; close it (the others are served on) */
                c->s.quit = true;
                c->out.len = c->out_off;
                break;
            }
        }
        pos += n + 1;
    }
    memmove(c->in, c->in + pos, c->in_len - pos);
    c->in_len -= pos;
    /* An over-long line without newline: answer once, then skip to its end. */
    if (!c->s.quit && c->in_len > sv->max_query && !memchr(c->in, '\n', c->in_len)) {
        if (!c->discarding) {
            answer_too_long(c, c->in[0]);
            c->discarding = true;
        }
        c->in_len = 0;
    }
}

/* After reading or writing: decide what to watch, or close. */
static void client_update(client *c)
{
    server *sv = c->srv;
    if (!client_flush(c))
        return;
    bool pending_out = c->out_off < c->out.len;
    if ((c->s.quit || c->eof) && !pending_out) {
        client_close(c);
        return;
    }
    unsigned ev = 0;
    if (!c->s.quit && !c->eof && c->out.len - c->out_off < sv->max_output)
        ev |= MRS_EV_READ;
    if (pending_out)
        ev |= MRS_EV_WRITE;
    if (mrs_evloop_modify(sv->loop, c->fd, ev) < 0)
        client_close(c);
}

static void client_io(mrs_evloop *l, int fd, unsigned events, void *user)
{
    (void)fd;
    client *c = user;
    server *sv = c->srv;
    c->last_active = mrs_evloop_now(l);
    if (events & MRS_EV_WRITE) {
        if (!client_flush(c))
            return;
        /* Output drained below the limit: answer lines held back. */
        if (c->out.len - c->out_off < sv->max_output)
            client_process(c);
    }
    if (events & MRS_EV_READ) {
        /* Input buffer: starts at 4 KiB (idle clients stay cheap), grows to at
         * most max_query + 64 KiB (a partial line plus one read of pipelined ones). */
        size_t room = sv->max_query + 65536;
        if (c->in_len == c->in_cap && c->in_cap < room) {
            /* not mrs_grow: the doubling stops at room, the per-client limit */
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
        ssize_t r = c->in_len < c->in_cap ? recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0) : -2;
        if (r == -2) {
            /* buffer full of held-back lines: read again once they are answered */
        } else if (r == 0) {
            c->eof = true;
        } else if (r < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                client_close(c);
                return;
            }
        } else {
            c->in_len += (size_t)r;
        }
        client_process(c);
    } else if (events & MRS_EV_HUP) {
        c->eof = true;
    }
    client_update(c);
}

static void on_accept(mrs_evloop *l, int lfd, unsigned events, void *user)
{
    (void)events;
    server *sv = user;
    for (int k = 0; k < 64; k++) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            /* Out of descriptors: the pending connection stays in the backlog and a
             * level-triggered listener would spin; pause accepting until a client
             * closes or the next tick. */
            if ((errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) &&
                mrs_evloop_modify(l, lfd, 0) == 0)
                sv->accept_paused = true;
            return;
        }
        if (sv->n_clients >= sv->max_clients) {
            static const char busy[] = "F too many clients, try again later\n";
            (void)!send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL);
            close(fd);
            continue;
        }
        client *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->srv = sv;
        c->fd = fd;
        whois_session_init(&c->s);
        c->last_active = mrs_evloop_now(l);
        if (mrs_evloop_watch(l, fd, MRS_EV_READ, client_io, c) < 0) {
            close(fd);
            free(c);
            continue;
        }
        c->next = sv->clients;
        if (sv->clients)
            sv->clients->prev = c;
        sv->clients = c;
        sv->n_clients++;
    }
}

static void on_tick(mrs_evloop *l, void *user)
{
    server *sv = user;
    uint64_t now = mrs_evloop_now(l);
    client *next;
    if (sv->accept_paused && mrs_evloop_modify(l, sv->lfd, MRS_EV_READ) == 0)
        sv->accept_paused = false;
    for (client *c = sv->clients; c; c = next) {
        next = c->next;
        uint64_t limit = c->s.timeout_s ? (uint64_t)c->s.timeout_s * 1000u : sv->idle_ms;
        if (now - c->last_active >= limit)
            client_close(c);
    }
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
            (unsigned long long)st->objects, (unsigned long long)st->malformed, sv->n_clients);
}

static void on_stop(mrs_evloop *l, int signo, void *user)
{
    (void)user;
    fprintf(stderr, "manrs whoisd: signal %d: stopping\n", signo);
    mrs_evloop_stop(l);
}

int whoisd_run(const whoisd_opts *o)
{
    server sv;
    memset(&sv, 0, sizeof sv);
    sv.o = o;
    sv.lfd = -1;
    sv.max_query = o->max_query ? o->max_query : 4096;
    sv.max_output = o->max_output ? o->max_output : (16u << 20);
    sv.max_clients = o->max_clients ? o->max_clients : 4096;
    sv.idle_ms = o->idle_timeout_ms ? o->idle_timeout_ms : 30000;
    snprintf(sv.version, sizeof sv.version, "manrs whoisd %s", MANRS_VERSION);
    mrs_diag_init(&sv.diag, stderr);
    sv.diag.max_print = 100;
    int rc = 1;

    sv.db = whoisd_load(o->irr_files, o->n_irr_files, o->source_order, &sv.diag);
    if (!sv.db)
        return 1;
    const irr_stats *st = irr_db_stats(sv.db);
    char err[256];
    const char *addr = o->listen ? o->listen : "127.0.0.1:4343";
    sv.lfd = mrs_tcp_listen(addr, 1024, err, sizeof err);
    if (sv.lfd < 0) {
        fprintf(stderr, "manrs whoisd: cannot listen on %s\n", err);
        goto out;
    }
    sv.loop = mrs_evloop_new();
    if (!sv.loop || mrs_evloop_watch(sv.loop, sv.lfd, MRS_EV_READ, on_accept, &sv) < 0 ||
        mrs_evloop_timer(sv.loop, sv.idle_ms < 4000 ? (sv.idle_ms + 3) / 4 : 1000, on_tick, &sv) < 0 ||
        mrs_evloop_signal(sv.loop, SIGHUP, on_reload, &sv) < 0 ||
        mrs_evloop_signal(sv.loop, SIGINT, on_stop, &sv) < 0 ||
        mrs_evloop_signal(sv.loop, SIGTERM, on_stop, &sv) < 0) {
        fprintf(stderr, "manrs whoisd: event loop setup failed: %s\n", strerror(errno));
        goto out;
    }
    int port = mrs_sock_port(sv.lfd);
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
    fprintf(stderr, "manrs whoisd: %llu queries answered, %llu reloads\n", (unsigned long long)sv.queries,
            (unsigned long long)sv.reloads);
    rc = 0;
out:
    while (sv.clients)
        client_close(sv.clients);
    if (sv.lfd >= 0)
        close(sv.lfd);
    mrs_evloop_free(sv.loop);
    irr_db_free(sv.db);
    return rc;
}
