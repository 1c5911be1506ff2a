/*
 * whois_load.c — load generator for manrs whoisd (bench/whoisd.sh): C clients,
 * each a persistent IRRd session ("!!") that sends one !g query, waits for the
 * complete answer (A<n>...C, C or D), then sends the next (closed loop, one query
 * in flight per client — the hardest case for the server: no batching), for S
 * seconds. The ASNs cycle through the list in ASNFILE (one per line). Prints
 * queries, answers per second and answer bytes. One epoll loop, no threads.
 * Usage: whois_load HOST PORT CLIENTS SECONDS ASNFILE
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct cl {
    int fd;
    char buf[1 << 16];
    size_t len;
    size_t need;       /* bytes of the current A answer still expected after its header, 0 = header */
    int in_data;
    unsigned long next;
} cl;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t *asns;
static size_t n_asns;

static int send_query(cl *c)
{
    char q[32];
    int n = snprintf(q, sizeof q, "!gas%u\n", asns[c->next++ % n_asns]);
    return send(c->fd, q, (size_t)n, MSG_NOSIGNAL) == n ? 0 : -1;
}

/* Consume complete answers from c->buf; returns the number completed. */
static int parse(cl *c, unsigned long long *bytes)
{
    int done = 0;
    size_t pos = 0;
    for (;;) {
        if (!c->in_data) {
            char *nl = memchr(c->buf + pos, '\n', c->len - pos);
            if (!nl)
                break;
            if (c->buf[pos] == 'A') {
                c->need = strtoul(c->buf + pos + 1, NULL, 10) + 2;   /* data + "C\n" */
                c->in_data = 1;
            } else {
                done++;   /* C, D or F */
            }
            pos = (size_t)(nl - c->buf) + 1;
        } else {
            size_t have = c->len - pos;
            if (have < c->need) {
                c->need -= have;
                *bytes += have;
                pos = c->len;
                break;
            }
            pos += c->need;
            *bytes += c->need;
            c->need = 0;
            c->in_data = 0;
            done++;
        }
    }
    memmove(c->buf, c->buf + pos, c->len - pos);
    c->len -= pos;
    return done;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: whois_load HOST PORT CLIENTS SECONDS ASNFILE\n");
        return 2;
    }
    int nc = atoi(argv[3]);
    double secs = atof(argv[4]);
    FILE *f = fopen(argv[5], "r");
    if (!f || nc < 1 || nc > 10000 || secs <= 0)
        return 2;
    size_t cap = 1024;
    asns = malloc(cap * sizeof *asns);
    unsigned a;
    while (asns && fscanf(f, "%u", &a) == 1) {
        if (n_asns == cap) {
            cap *= 2;
            uint32_t *na = realloc(asns, cap * sizeof *asns);
            if (!na)
                return 1;
            asns = na;
        }
        asns[n_asns++] = a;
    }
    fclose(f);
    if (!n_asns)
        return 1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
    if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1)
        return 2;
    int ep = epoll_create1(0);
    cl *c = calloc((size_t)nc, sizeof *c);
    if (!c || ep < 0)
        return 1;
    for (int i = 0; i < nc; i++) {
        c[i].fd = socket(AF_INET, SOCK_STREAM, 0);
        if (c[i].fd < 0 || connect(c[i].fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
            perror("connect");
            return 1;
        }
        int one = 1;
        setsockopt(c[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c[i].next = (unsigned long)i * 7919u;
        if (send(c[i].fd, "!!\n", 3, MSG_NOSIGNAL) != 3 || send_query(&c[i]) < 0)
            return 1;
        fcntl(c[i].fd, F_SETFL, O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev);
    }
    unsigned long long answers = 0, bytes = 0;
    double t0 = now(), end = t0 + secs;
    struct epoll_event evs[256];
    while (now() < end) {
        int n = epoll_wait(ep, evs, 256, 100);
        for (int k = 0; k < n; k++) {
            cl *x = &c[evs[k].data.u32];
            ssize_t r = recv(x->fd, x->buf + x->len, sizeof x->buf - x->len, 0);
            if (r <= 0) {
                if (r < 0 && errno == EAGAIN)
                    continue;
                fprintf(stderr, "client %u: connection closed by server\n", evs[k].data.u32);
                return 1;
            }
            x->len += (size_t)r;
            int d = parse(x, &bytes);
            answers += (unsigned long long)d;
            for (int j = 0; j < d; j++)
                if (send_query(x) < 0)
                    return 1;
        }
    }
    double dt = now() - t0;
    printf("%d clients, %.1f s: %llu !g answers, %.0f answers/s, %.1f MB/s of answers\n", nc, dt, answers,
           (double)answers / dt, (double)bytes / dt / 1e6);
    for (int i = 0; i < nc; i++)
        close(c[i].fd);
    free(c);
    free(asns);
    close(ep);
    return 0;
}
