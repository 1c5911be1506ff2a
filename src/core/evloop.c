/*
 * evloop.c — epoll + signalfd event loop and TCP listener helpers (see
 * include/manrs/core/evloop.h for the contract).
 *
 * Watchers live in an array indexed by fd. Each registration gets a generation
 * number, carried in the epoll event data next to the fd, so that an event
 * fetched in the same epoll_wait batch for an fd that a callback closed and a
 * later accept() reused is recognised as stale and dropped.
 */
#define _GNU_SOURCE
#include "manrs/core/evloop.h"
#include "manrs/core/grow.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct watcher {
    mrs_ev_fd_fn fn;
    void *user;
    uint32_t gen;      /* 0 = not watched */
    unsigned events;
} watcher;

typedef struct ev_timer {
    unsigned period;
    uint64_t next;
    mrs_ev_timer_fn fn;
    void *user;
} ev_timer;

#define EV_MAX_SIGNALS 65

struct mrs_evloop {
    int ep;
    watcher *w;
    size_t nw;
    uint32_t next_gen;
    ev_timer *timers;
    size_t ntimers;
    int sigfd;
    sigset_t sigmask;
    mrs_ev_signal_fn sigfn[EV_MAX_SIGNALS];
    void *siguser[EV_MAX_SIGNALS];
    uint64_t now;
    bool stop;
};

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

mrs_evloop *mrs_evloop_new(void)
{
    mrs_evloop *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->ep = epoll_create1(EPOLL_CLOEXEC);
    if (l->ep < 0) {
        free(l);
        return NULL;
    }
    l->sigfd = -1;
    l->next_gen = 1;
    sigemptyset(&l->sigmask);
    l->now = mono_ms();
    return l;
}

void mrs_evloop_free(mrs_evloop *l)
{
    if (!l)
        return;
    if (l->sigfd >= 0)
        close(l->sigfd);
    close(l->ep);
    free(l->w);
    free(l->timers);
    free(l);
}

static uint32_t ep_events(unsigned ev)
{
    uint32_t e = 0;
    if (ev & MRS_EV_READ)
        e |= EPOLLIN;
    if (ev & MRS_EV_WRITE)
        e |= EPOLLOUT;
    return e;
}

int mrs_evloop_watch(mrs_evloop *l, int fd, unsigned events, mrs_ev_fd_fn fn, void *user)
{
    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    if ((size_t)fd >= l->nw) {
        size_t nn = l->nw;   /* slots, indexed by fd: all of them are in use */
        watcher *nv = mrs_grow(l->w, &nn, (size_t)fd + 1, sizeof *nv, 64);
        if (!nv)
            return -1;
        memset(nv + l->nw, 0, (nn - l->nw) * sizeof *nv);
        l->w = nv;
        l->nw = nn;
    }
    watcher *w = &l->w[fd];
    bool add = w->gen == 0;
    uint32_t gen = add ? l->next_gen++ : w->gen;
    if (l->next_gen == 0)
        l->next_gen = 1;
    struct epoll_event ee = {.events = ep_events(events), .data.u64 = ((uint64_t)gen << 32) | (uint32_t)fd};
    if (epoll_ctl(l->ep, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ee) < 0)
        return -1;
    w->fn = fn;
    w->user = user;
    w->gen = gen;
    w->events = events;
    return 0;
}

int mrs_evloop_modify(mrs_evloop *l, int fd, unsigned events)
{
    if (fd < 0 || (size_t)fd >= l->nw || !l->w[fd].gen) {
        errno = ENOENT;
        return -1;
    }
    watcher *w = &l->w[fd];
    if (w->events == events)
        return 0;
    struct epoll_event ee = {.events = ep_events(events), .data.u64 = ((uint64_t)w->gen << 32) | (uint32_t)fd};
    if (epoll_ctl(l->ep, EPOLL_CTL_MOD, fd, &ee) < 0)
        return -1;
    w->events = events;
    return 0;
}

void mrs_evloop_unwatch(mrs_evloop *l, int fd)
{
    if (fd < 0 || (size_t)fd >= l->nw || !l->w[fd].gen)
        return;
    epoll_ctl(l->ep, EPOLL_CTL_DEL, fd, NULL);   /* fails only if fd was closed already: nothing to undo */
    memset(&l->w[fd], 0, sizeof l->w[fd]);
}

int mrs_evloop_timer(mrs_evloop *l, unsigned period_ms, mrs_ev_timer_fn fn, void *user)
{
    if (!period_ms)
        return -1;
    ev_timer *nv = realloc(l->timers, (l->ntimers + 1) * sizeof *nv);
    if (!nv)
        return -1;
    l->timers = nv;
    l->timers[l->ntimers] = (ev_timer){.period = period_ms, .next = mono_ms() + period_ms, .fn = fn, .user = user};
    return (int)l->ntimers++;
}

static void on_signalfd(mrs_evloop *l, int fd, unsigned events, void *user)
{
    (void)events;
    (void)user;
    struct signalfd_siginfo si;
    while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
        int s = (int)si.ssi_signo;
        if (s > 0 && s < EV_MAX_SIGNALS && l->sigfn[s])
            l->sigfn[s](l, s, l->siguser[s]);
    }
}

int mrs_evloop_signal(mrs_evloop *l, int signo, mrs_ev_signal_fn fn, void *user)
{
    if (signo <= 0 || signo >= EV_MAX_SIGNALS)
        return -1;
    sigaddset(&l->sigmask, signo);
    if (sigprocmask(SIG_BLOCK, &l->sigmask, NULL) < 0)
        return -1;
    int fd = signalfd(l->sigfd, &l->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (l->sigfd < 0) {
        l->sigfd = fd;
        if (mrs_evloop_watch(l, fd, MRS_EV_READ, on_signalfd, NULL) < 0)
            return -1;
    }
    l->sigfn[signo] = fn;
    l->siguser[signo] = user;
    return 0;
}

uint64_t mrs_evloop_now(const mrs_evloop *l) { return l->now; }

void mrs_evloop_stop(mrs_evloop *l) { l->stop = true; }

int mrs_evloop_run(mrs_evloop *l)
{
    struct epoll_event ev[256];
    l->stop = false;
    while (!l->stop) {
        l->now = mono_ms();
        int timeout = -1;
        for (size_t i = 0; i < l->ntimers; i++) {
            int64_t d = (int64_t)(l->timers[i].next - l->now);
            if (d < 0)
                d = 0;
            if (timeout < 0 || d < timeout)
                timeout = (int)d;
        }
        int n = epoll_wait(l->ep, ev, (int)(sizeof ev / sizeof ev[0]), timeout);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        l->now = mono_ms();
        for (int i = 0; i < n && !l->stop; i++) {
            int fd = (int)(uint32_t)ev[i].data.u64;
            uint32_t gen = (uint32_t)(ev[i].data.u64 >> 32);
            if ((size_t)fd >= l->nw || l->w[fd].gen != gen)
                continue;   /* unwatched (and maybe reused) since this batch was fetched */
            unsigned e = 0;
            if (ev[i].events & EPOLLIN)
                e |= MRS_EV_READ;
            if (ev[i].events & EPOLLOUT)
                e |= MRS_EV_WRITE;
            if (ev[i].events & (EPOLLERR | EPOLLHUP))
                e |= MRS_EV_HUP | (l->w[fd].events & MRS_EV_READ);
            l->w[fd].fn(l, fd, e, l->w[fd].user);
        }
        for (size_t i = 0; i < l->ntimers && !l->stop; i++) {
            if ((int64_t)(l->timers[i].next - l->now) <= 0) {
                l->timers[i].next = l->now + l->timers[i].period;
                l->timers[i].fn(l, l->timers[i].user);
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ sockets */

/* "ADDR:PORT", "[V6ADDR]:PORT" or ":PORT" into host (empty for ":PORT") and port.
 * false with a message in err. */
static bool split_host_port(const char *addr_port, char host[256], long *port, char *err, size_t errlen)
{
    const char *colon = strrchr(addr_port, ':');
    if (!colon || !colon[1]) {
        snprintf(err, errlen, "'%s': expected ADDR:PORT", addr_port);
        return false;
    }
    size_t hl = (size_t)(colon - addr_port);
    const char *h = addr_port;
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl >= 256) {
        snprintf(err, errlen, "'%s': address too long", addr_port);
        return false;
    }
    memcpy(host, h, hl);
    host[hl] = 0;
    char *end;
    *port = strtol(colon + 1, &end, 10);
    if (*end || *port < 0 || *port > 65535) {
        snprintf(err, errlen, "'%s': bad port", addr_port);
        return false;
    }
    return true;
}

int mrs_tcp_listen(const char *addr_port, int backlog, char *err, size_t errlen)
{
    char host[256];
    long port;
    if (!split_host_port(addr_port, host, &port, err, errlen))
        return -1;
    size_t hl = strlen(host);
    const char *colon = strrchr(addr_port, ':');
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV};
    struct addrinfo *ai = NULL;
    int rc = getaddrinfo(hl ? host : NULL, colon + 1, &hints, &ai);
    if (rc != 0) {
        snprintf(err, errlen, "'%s': %s", addr_port, gai_strerror(rc));
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        freeaddrinfo(ai);
        return -1;
    }
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, backlog) < 0) {
        snprintf(err, errlen, "'%s': %s", addr_port, strerror(errno));
        close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    return fd;
}

int mrs_sock_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
        return -1;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return -1;
}

int mrs_tcp_accept(mrs_evloop *l, int lfd, struct sockaddr_storage *ss, bool *paused)
{
    socklen_t sl = sizeof *ss;
    int fd = accept4(lfd, (struct sockaddr *)ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) &&
        mrs_evloop_modify(l, lfd, 0) == 0)
        *paused = true;
    return fd;
}

void mrs_tcp_accept_resume(mrs_evloop *l, int lfd, bool *paused)
{
    if (*paused && mrs_evloop_modify(l, lfd, MRS_EV_READ) == 0)
        *paused = false;
}

const char *mrs_sock_peer(const struct sockaddr_storage *ss, bool with_port, char *out, size_t len)
{
    char a[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    bool v6 = false;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &s4->sin_addr, a, sizeof a);
        port = ntohs(s4->sin_port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
        if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
            inet_ntop(AF_INET, s6->sin6_addr.s6_addr + 12, a, sizeof a);
        } else {
            inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof a);
            v6 = true;
        }
        port = ntohs(s6->sin6_port);
    }
    if (!with_port)
        snprintf(out, len, "%s", a);
    else
        snprintf(out, len, v6 ? "[%s]:%u" : "%s:%u", a, port);
    return out;
}

/* The addresses of "HOST:PORT" for a socket type (a name is resolved). */
static struct addrinfo *resolve(const char *host_port, int socktype, char *err, size_t errlen)
{
    char host[256];
    long port;
    if (!split_host_port(host_port, host, &port, err, errlen))
        return NULL;
    if (!host[0] || port == 0) {
        snprintf(err, errlen, "'%s': expected HOST:PORT", host_port);
        return NULL;
    }
    char ps[8];
    snprintf(ps, sizeof ps, "%ld", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = socktype, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *ai = NULL;
    int rc = getaddrinfo(host, ps, &hints, &ai);
    if (rc != 0) {
        snprintf(err, errlen, "%s", gai_strerror(rc));
        return NULL;
    }
    return ai;
}

int mrs_tcp_connect(const char *host_port, int timeout_ms, char *err, size_t errlen)
{
    struct addrinfo *ai = resolve(host_port, SOCK_STREAM, err, errlen);
    if (!ai)
        return -1;
    int fd = -1;
    snprintf(err, errlen, "no address");
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            snprintf(err, errlen, "socket: %s", strerror(errno));
            continue;
        }
        int e = 0;
        if (connect(fd, a->ai_addr, a->ai_addrlen) < 0) {
            e = errno;
            if (e == EINPROGRESS) {
                struct pollfd p = {.fd = fd, .events = POLLOUT};
                int n = poll(&p, 1, timeout_ms);
                socklen_t el = sizeof e;
                if (n == 0)
                    e = ETIMEDOUT;
                else if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
                    e = errno;
            }
        }
        if (e) {
            snprintf(err, errlen, "%s", strerror(e));
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    return fd;
}

int mrs_udp_connect(const char *host_port, char *err, size_t errlen)
{
    struct addrinfo *ai = resolve(host_port, SOCK_DGRAM, err, errlen);
    if (!ai)
        return -1;
    int fd = -1;
    snprintf(err, errlen, "no address");
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) < 0) {
            snprintf(err, errlen, "%s", strerror(errno));
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    return fd;
}

static void stop_loop(mrs_evloop *l, int signo, void *user)
{
    fprintf(stderr, "%s: signal %d: stopping\n", (const char *)user, signo);
    mrs_evloop_stop(l);
}

int mrs_server_listen(mrs_evloop *l, const char *prog, const char *addr_port, mrs_ev_fd_fn on_accept, void *user)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
    }
    char err[256];
    int fd = mrs_tcp_listen(addr_port, 1024, err, sizeof err);
    if (fd < 0) {
        fprintf(stderr, "%s: cannot listen on %s\n", prog, err);
        return -1;
    }
    if (mrs_evloop_watch(l, fd, MRS_EV_READ, on_accept, user) < 0 || mrs_evloop_signal(l, SIGINT, stop_loop, (void *)prog) < 0 ||
        mrs_evloop_signal(l, SIGTERM, stop_loop, (void *)prog) < 0) {
        fprintf(stderr, "%s: cannot set up the event loop: %s\n", prog, strerror(errno));
        mrs_evloop_unwatch(l, fd);
        close(fd);
        return -1;
    }
    return fd;
}

int mrs_server_port_file(const char *prog, int lfd, const char *path)
{
    FILE *f = fopen(path, "w");
    bool bad = !f;
    if (f) {
        bad = fprintf(f, "%d\n", mrs_sock_port(lfd)) < 0;
        bad |= fclose(f) != 0;
    }
    if (bad) {
        fprintf(stderr, "%s: cannot write %s\n", prog, path);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ connections */

int mrs_conns_accept(mrs_conns *s, struct sockaddr_storage *ss)
{
    return mrs_tcp_accept(s->loop, s->lfd, ss, &s->paused);
}

void mrs_conns_add(mrs_conns *s, mrs_conn *c, int fd)
{
    c->fd = fd;
    c->prev = NULL;
    c->next = s->head;
    if (s->head)
        s->head->prev = c;
    s->head = c;
    s->n++;
}

void mrs_conns_close(mrs_conns *s, mrs_conn *c)
{
    mrs_evloop_unwatch(s->loop, c->fd);
    close(c->fd);
    c->fd = -1;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    s->n--;
    mrs_conns_resume(s);
}

void mrs_conns_resume(mrs_conns *s)
{
    if (s->lfd >= 0)
        mrs_tcp_accept_resume(s->loop, s->lfd, &s->paused);
}
