/*
 * metrics.c — the monitor's Prometheus endpoint: `GET /metrics` answered in the
 * text exposition format (version 0.0.4) on the monitor's event loop. The
 * smallest HTTP/1.1 server that does this and nothing else: one request per
 * connection (Connection: close), 4 KiB of request head at most, 5 s to send it,
 * 64 scrapers at once; anything else gets 400, 404 or 405.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "manrs/apps/monitor.h"
#include "manrs/core/evloop.h"
#include "manrs/core/outbuf.h"

#define HEAD_MAX 4096u
#define TIMEOUT_MS 5000u
#define MAX_CONNS 64u

typedef struct conn {
    struct conn *next;
    mon_metrics *m;
    int fd;
    char in[HEAD_MAX];
    size_t in_len;
    char *out;
    size_t out_len, out_off;
    uint64_t since;
} conn;

struct mon_metrics {
    mrs_evloop *loop;
    int lfd;
    bool paused;
    conn *conns;
    size_t nconns;
    mon_metrics_fn fn;
    void *user;
};

int mon_http_request(const char *buf, size_t len)
{
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end)
        end = memmem(buf, len, "\n\n", 2);
    if (!end)
        return len >= HEAD_MAX ? 400 : 0;
    /* the head's end is "\r\n\r\n" or "\n\n": the first line ends at or before its first '\n' */
    const char *eol = memchr(buf, '\n', (size_t)(end - buf) + 2);
    size_t n = (size_t)(eol - buf);
    if (n && buf[n - 1] == '\r')
        n--;
    /* METHOD SP request-target SP HTTP/1.x (RFC 9112 §3) */
    const char *sp1 = memchr(buf, ' ', n);
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - buf)) : NULL;
    if (!sp1 || !sp2 || sp1 == buf || sp2 == sp1 + 1 || (size_t)(buf + n - (sp2 + 1)) != 8 ||
        memcmp(sp2 + 1, "HTTP/1.", 7) || (sp2[8] != '0' && sp2[8] != '1'))
        return 400;
    size_t ml = (size_t)(sp1 - buf), tl = (size_t)(sp2 - sp1 - 1);
    const char *target = sp1 + 1;
    bool metrics = (tl == 8 && !memcmp(target, "/metrics", 8)) || (tl > 8 && !memcmp(target, "/metrics?", 9));
    if (!metrics)
        return 404;
    if (!(ml == 3 && !memcmp(buf, "GET", 3)) && !(ml == 4 && !memcmp(buf, "HEAD", 4)))
        return 405;
    return ml == 4 ? 201 : 200;     /* 201: HEAD (answered 200 without a body) */
}

static void conn_close(conn *c)
{
    mon_metrics *m = c->m;
    mrs_evloop_unwatch(m->loop, c->fd);
    close(c->fd);
    for (conn **p = &m->conns; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    m->nconns--;
    free(c->out);
    free(c);
    mrs_tcp_accept_resume(m->loop, m->lfd, &m->paused);
}

/* Returns false when the connection was closed (and c freed). */
static bool respond(conn *c, int verdict)
{
    mrs_outbuf body;
    mrs_outbuf_init(&body, NULL);
    const char *status = "200 OK", *type = "text/plain; version=0.0.4; charset=utf-8";
    if (verdict == 200 || verdict == 201)
        c->m->fn(&body, c->m->user);
    else {
        status = verdict == 404 ? "404 Not Found" : verdict == 405 ? "405 Method Not Allowed" : "400 Bad Request";
        type = "text/plain; charset=utf-8";
        mrs_outbuf_puts(&body, status);
        mrs_outbuf_puts(&body, "\n");
    }
    char *out = NULL;
    int n = asprintf(&out, "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n%.*s",
                     status, type, body.len, verdict == 405 ? "Allow: GET, HEAD\r\n" : "",
                     verdict == 201 ? 0 : (int)body.len, body.buf ? body.buf : "");
    mrs_outbuf_close(&body);
    if (n < 0) {
        conn_close(c);
        return false;
    }
    c->out = out;
    c->out_len = (size_t)n;
    return true;
}

static void conn_io(mrs_evloop *l, int fd, unsigned events, void *user)
{
    (void)l;
    conn *c = user;
    if (!c->out && (events & MRS_EV_READ)) {
        ssize_t r = recv(fd, c->in + c->in_len, HEAD_MAX - c->in_len, 0);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
            conn_close(c);
            return;
        }
        if (r > 0)
            c->in_len += (size_t)r;
        int v = mon_http_request(c->in, c->in_len);
        if (!v)
            return;
        if (!respond(c, v))
            return;   /* closed: c is freed */
        mrs_evloop_modify(c->m->loop, fd, MRS_EV_WRITE);
    } else if (events & MRS_EV_HUP && !(events & MRS_EV_WRITE)) {
        conn_close(c);
        return;
    }
    if (c->out) {
        ssize_t w = send(fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN && errno != EINTR) {
            conn_close(c);
            return;
        }
        if (w > 0)
            c->out_off += (size_t)w;
        if (c->out_off == c->out_len)
            conn_close(c);
    }
}

static void on_accept(mrs_evloop *l, int lfd, unsigned events, void *user)
{
    (void)events;
    mon_metrics *m = user;
    for (;;) {
        struct sockaddr_storage ss;
        int fd = mrs_tcp_accept(l, lfd, &ss, &m->paused);
        if (fd < 0)
            return;
        conn *c = m->nconns < MAX_CONNS ? calloc(1, sizeof *c) : NULL;
        if (!c || mrs_evloop_watch(l, fd, MRS_EV_READ, conn_io, c) < 0) {
            free(c);
            close(fd);
            continue;
        }
        c->m = m;
        c->fd = fd;
        c->since = mrs_evloop_now(l);
        c->next = m->conns;
        m->conns = c;
        m->nconns++;
    }
}

mon_metrics *mon_metrics_new(mrs_evloop *l, const char *listen, mon_metrics_fn fn, void *user, char *err,
                             size_t errlen)
{
    mon_metrics *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->loop = l;
    m->fn = fn;
    m->user = user;
    if ((m->lfd = mrs_tcp_listen(listen, 64, err, errlen)) < 0) {
        free(m);
        return NULL;
    }
    if (mrs_evloop_watch(l, m->lfd, MRS_EV_READ, on_accept, m) < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        close(m->lfd);
        free(m);
        return NULL;
    }
    return m;
}

int mon_metrics_fd(const mon_metrics *m) { return m->lfd; }

void mon_metrics_tick(mon_metrics *m)
{
    uint64_t now = mrs_evloop_now(m->loop);
    for (conn *c = m->conns, *next; c; c = next) {
        next = c->next;
        if (now - c->since >= TIMEOUT_MS)
            conn_close(c);
    }
    mrs_tcp_accept_resume(m->loop, m->lfd, &m->paused);
}

void mon_metrics_free(mon_metrics *m)
{
    if (!m)
        return;
    while (m->conns)
        conn_close(m->conns);
    mrs_evloop_unwatch(m->loop, m->lfd);
    close(m->lfd);
    free(m);
}
