/*
 * bmp_listen.c — routers streaming BMP to a station (see bmpd.h): one
 * bmp_session per TCP connection on the one event loop. BMP flows one way
 * (RFC 7854 §3.3: the station sends nothing), so a connection is only read.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "manrs/apps/bmpd.h"

#define LOG_LINES 30u
#define LOG_INTERVAL_MS 10000u
#define READ_BUF (64u << 10)
#define READS_PER_WAKE 16       /* a busy router does not starve the others */

typedef struct router {
    mrs_conn conn;              /* first: the listener's list */
    bmp_listener *b;
    char peer[INET6_ADDRSTRLEN + 8];
    bmp_session *s;
    uint64_t pending_since;     /* ms: an unfinished message since, 0 = none */
} router;

struct bmp_listener {
    bmp_listener_opts o;
    mrs_evloop *loop;
    mrs_conns routers;          /* of router */
    unsigned timeout_ms;
    size_t max_routers;
    mrs_diag diag;              /* the sessions' messages, into the rate-limited log */
    mrs_ratelog log;
    bmp_listener_stats st;      /* routers closed so far (the live ones are added on demand) */
    uint8_t *buf;
    const char *current;        /* the router whose records are being handed out, or "" */
};

#define LOG(b, ...) mrs_ratelog_line(&(b)->log, __VA_ARGS__)

static void diag_sink(void *ctx, int is_error, const char *msg)
{
    (void)is_error;
    bmp_listener *b = ctx;
    LOG(b, "%s", msg);
}

static void arrival(uint32_t *sec, uint32_t *usec)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    *sec = (uint32_t)ts.tv_sec;
    *usec = (uint32_t)(ts.tv_nsec / 1000);
}

static void add_stats(bmp_listener_stats *t, const bmp_session_stats *s)
{
    t->messages += s->messages;
    t->records += s->records;
    t->skipped += s->skipped;
    for (unsigned i = 0; i < BMP_RIBS; i++)
        t->by_rib[i] += s->by_rib[i];
}

static void router_close(router *r, const char *why)
{
    bmp_listener *b = r->b;
    uint32_t sec, usec;
    arrival(&sec, &usec);
    b->current = r->peer;
    bmp_session_end(r->s, sec, usec, b->o.fn, b->o.user);
    b->current = "";
    const bmp_session_stats *st = bmp_session_get_stats(r->s);
    const char *name = bmp_session_sysname(r->s);
    LOG(b, "%s%s%s%s closed (%s): %llu messages, %llu records, %llu skipped", r->peer, *name ? " (" : "", name,
        *name ? ")" : "", why, (unsigned long long)st->messages, (unsigned long long)st->records,
        (unsigned long long)st->skipped);
    add_stats(&b->st, st);
    bmp_session_free(r->s);
    mrs_conns_close(&b->routers, &r->conn);
    free(r);
}

static void router_io(mrs_evloop *l, int fd, unsigned events, void *user)
{
    router *r = user;
    bmp_listener *b = r->b;
    if (!(events & MRS_EV_READ)) {
        router_close(r, "connection lost");
        return;
    }
    for (int i = 0; i < READS_PER_WAKE; i++) {
        ssize_t n = recv(fd, b->buf, READ_BUF, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            break;
        if (n <= 0) {
            router_close(r, n == 0 ? "end of stream" : strerror(errno));
            return;
        }
        uint32_t sec, usec;
        arrival(&sec, &usec);
        b->current = r->peer;
        int in = bmp_session_input(r->s, b->buf, (size_t)n, sec, usec, b->o.fn, b->o.user);
        b->current = "";
        if (in < 0) {
            b->st.closed_bad++;
            router_close(r, "stream broken");
            return;
        }
        if ((size_t)n < READ_BUF)
            break;
    }
    if (!bmp_session_pending(r->s))
        r->pending_since = 0;
    else if (!r->pending_since)
        r->pending_since = mrs_evloop_now(l);
}

static void on_accept(mrs_evloop *l, int lfd, unsigned events, void *user)
{
    (void)lfd, (void)events;
    bmp_listener *b = user;
    for (;;) {
        struct sockaddr_storage ss;
        int fd = mrs_conns_accept(&b->routers, &ss);
        if (fd < 0) {
            if (b->routers.paused)
                LOG(b, "accept: %s: new connections wait until a router leaves", strerror(errno));
            return;
        }
        char peer[INET6_ADDRSTRLEN + 8];
        mrs_sock_peer(&ss, true, peer, sizeof peer);
        if (b->routers.n >= b->max_routers) {
            LOG(b, "%s refused: %zu routers connected (--max-routers)", peer, b->routers.n);
            b->st.refused++;
            close(fd);
            continue;
        }
        router *r = calloc(1, sizeof *r);
        if (r)
            r->s = bmp_session_new(peer, &b->diag, false);
        if (!r || !r->s || mrs_evloop_watch(l, fd, MRS_EV_READ, router_io, r) < 0) {
            LOG(b, "%s refused: out of memory", peer);
            if (r)
                bmp_session_free(r->s);
            free(r);
            close(fd);
            continue;
        }
        r->b = b;
        memcpy(r->peer, peer, sizeof r->peer);
        mrs_conns_add(&b->routers, &r->conn, fd);
        b->st.connections++;
        LOG(b, "%s connected", peer);
    }
}

bmp_listener *bmp_listener_new(mrs_evloop *l, const bmp_listener_opts *o)
{
    bmp_listener *b = calloc(1, sizeof *b);
    if (!b || !(b->buf = malloc(READ_BUF))) {
        free(b);
        fprintf(stderr, "%s: out of memory\n", o->prog);
        return NULL;
    }
    b->o = *o;
    b->loop = l;
    b->current = "";
    b->timeout_ms = (o->timeout_s ? o->timeout_s : 60) * 1000u;
    b->max_routers = o->max_routers ? o->max_routers : 256;
    mrs_ratelog_init(&b->log, o->prog, LOG_LINES, LOG_INTERVAL_MS);
    mrs_diag_init(&b->diag, NULL);
    b->diag.sink = diag_sink;
    b->diag.sink_ctx = b;
    b->routers.loop = l;
    b->routers.lfd = mrs_server_listen(l, o->prog, o->listen ? o->listen : "127.0.0.1:11019", on_accept, b);
    if (b->routers.lfd < 0) {
        free(b->buf);
        free(b);
        return NULL;
    }
    return b;
}

int bmp_listener_port(const bmp_listener *b) { return mrs_sock_port(b->routers.lfd); }
int bmp_listener_fd(const bmp_listener *b) { return b->routers.lfd; }
const char *bmp_listener_router(const bmp_listener *b) { return b->current; }

void bmp_listener_tick(bmp_listener *b)
{
    uint64_t now = mrs_evloop_now(b->loop);
    mrs_conns_resume(&b->routers);
    for (mrs_conn *k = b->routers.head, *next; k; k = next) {
        next = k->next;
        router *r = (router *)k;
        if (r->pending_since && now - r->pending_since >= b->timeout_ms) {
            char why[96];
            snprintf(why, sizeof why, "a message unfinished for %u s, %zu bytes of it", b->timeout_ms / 1000u,
                     bmp_session_pending(r->s));
            b->st.closed_slow++;
            router_close(r, why);
        }
    }
    mrs_ratelog_roll(&b->log, false);
}

bmp_listener_stats bmp_listener_get_stats(const bmp_listener *b)
{
    bmp_listener_stats t = b->st;
    t.routers = b->routers.n;
    for (const mrs_conn *k = b->routers.head; k; k = k->next) {
        const router *r = (const router *)k;
        add_stats(&t, bmp_session_get_stats(r->s));
        t.peers_up += bmp_session_get_stats(r->s)->peers_up;
    }
    return t;
}

void bmp_listener_free(bmp_listener *b, bmp_listener_stats *final)
{
    if (!b)
        return;
    while (b->routers.head)
        router_close((router *)b->routers.head, "station stopping");
    if (final)
        *final = b->st;
    mrs_evloop_unwatch(b->loop, b->routers.lfd);
    close(b->routers.lfd);
    mrs_ratelog_roll(&b->log, true);
    free(b->buf);
    free(b);
}
