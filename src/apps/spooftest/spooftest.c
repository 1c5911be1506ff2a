/*
 * spooftest.c — one `manrs spooftest`: build the lab (lab.c), warm it up (ARP
 * and neighbour discovery on every hop), then per run load the filter on pe's
 * customer interface, send every probe `copies` times from the host (raw
 * sockets, forged sources), collect at col, flush; tear everything down on every
 * way out. Bounded: 14 probes x 3 copies x 4 runs plus the warm-up, a few
 * hundred packets; each run waits at most RUN_WAIT_MS for stragglers.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"
#include "manrs/apps/spooftest.h"
#include "manrs/core/prefix.h"

#define WARMUP_MS 5000      /* the lab must forward within this */
#define QUIET_MS 250        /* a run ends this long after the last send and arrival ... */
#define RUN_WAIT_MS 1500    /* ... or this long after the last send */
#define GAP_MS 20           /* between rounds of copies */
#define SPORT 33434

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct ctx {
    lab l;
    const mrs_st_opts *o;
    mrs_st_result *r;
    uint8_t dst4[16], dst6[16];
    bool warm[2];           /* warm-up: the own probe of each family came back */
} ctx;

static bool stopped(const ctx *c)
{
    if (c->o->stop_fd < 0)
        return false;
    struct pollfd p = {c->o->stop_fd, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

static void say(const ctx *c, const char *what)
{
    if (c->o->progress)
        fprintf(stderr, "manrs spooftest: %s\n", what);
}

/* send probe i, copy k, tagged for run (0xff = warm-up) */
static int send_probe(ctx *c, size_t i, unsigned run, unsigned k)
{
    size_t n;
    const mrs_st_probe_def *p = mrs_st_probes(&n) + i;
    const mrs_st_addrs *a = mrs_st_lab_addrs();
    uint8_t src[16], pkt[128], tag[MRS_ST_TAG_LEN];
    unsigned afi;
    if (!mrs_ip_parse(p->source, strlen(p->source), &afi, src))
        return -1;
    mrs_st_tag t = {c->r->nonce, (uint8_t)run, (uint8_t)k, (uint16_t)i};
    mrs_st_tag_encode(&t, tag);
    ssize_t w;
    if (afi == MRS_AFI_IPV4) {
        size_t len = mrs_st_udp4(pkt, sizeof pkt, src, c->dst4, SPORT, a->port,
                                 (uint16_t)(c->r->packets_sent + 1), tag, sizeof tag);
        struct sockaddr_in sa;
        memset(&sa, 0, sizeof sa);
        sa.sin_family = AF_INET;
        memcpy(&sa.sin_addr, c->dst4, 4);
        w = sendto(c->l.raw4, pkt, len, 0, (struct sockaddr *)&sa, sizeof sa);
    } else {
        size_t len = mrs_st_udp6(pkt, sizeof pkt, src, c->dst6, SPORT, a->port, tag, sizeof tag);
        struct sockaddr_in6 sa;
        memset(&sa, 0, sizeof sa);
        sa.sin6_family = AF_INET6;
        memcpy(&sa.sin6_addr, c->dst6, 16);
        w = sendto(c->l.raw6, pkt, len, 0, (struct sockaddr *)&sa, sizeof sa);
    }
    if (w < 0)
        return -1;
    c->r->packets_sent++;
    if (run < MRS_ST_NRUNS)
        c->r->run[run].probe[i].sent++;
    return 0;
}

/* read what the collector holds; run 0xff: warm-up. Returns datagrams read. */
static unsigned drain(ctx *c, unsigned run)
{
    unsigned got = 0;
    int fds[2] = {c->l.udp4, c->l.udp6};
    for (int f = 0; f < 2; f++) {
        for (;;) {
            uint8_t buf[256];
            struct sockaddr_storage from;
            struct iovec iov = {buf, sizeof buf};
            struct msghdr m;
            memset(&m, 0, sizeof m);
            m.msg_name = &from;
            m.msg_namelen = sizeof from;
            m.msg_iov = &iov;
            m.msg_iovlen = 1;
            ssize_t n = recvmsg(fds[f], &m, MSG_DONTWAIT);
            if (n < 0)
                break;
            got++;
            const uint8_t *src;
            unsigned afi;
            if (from.ss_family == AF_INET) {
                src = (const uint8_t *)&((struct sockaddr_in *)&from)->sin_addr;
                afi = MRS_AFI_IPV4;
            } else {
                src = (const uint8_t *)&((struct sockaddr_in6 *)&from)->sin6_addr;
                afi = MRS_AFI_IPV6;
            }
            if (run < MRS_ST_NRUNS) {
                mrs_st_record(c->r, (mrs_st_run_kind)run, buf, (size_t)n, afi, src);
                continue;
            }
            mrs_st_tag t;
            if (mrs_st_tag_decode(buf, (size_t)n, &t) && t.nonce == c->r->nonce && t.run == 0xff)
                c->warm[afi == MRS_AFI_IPV6] = true;
            else
                c->r->stray++;
        }
    }
    return got;
}

/* wait up to ms for the collector (or the stop fd); 1 if stopped */
static int wait_io(ctx *c, int ms)
{
    struct pollfd p[3] = {{c->l.udp4, POLLIN, 0}, {c->l.udp6, POLLIN, 0}, {c->o->stop_fd, POLLIN, 0}};
    int n = c->o->stop_fd >= 0 ? 3 : 2;
    if (poll(p, (nfds_t)n, ms < 0 ? 0 : ms) < 0 && errno != EINTR)
        return 0;
    return stopped(c);
}

static int warm_up(ctx *c, char *err, size_t errlen)
{
    size_t n;
    const mrs_st_probe_def *p = mrs_st_probes(&n);
    int64_t end = now_ms() + WARMUP_MS;
    while (!(c->warm[0] && c->warm[1])) {
        if (now_ms() > end) {
            snprintf(err, errlen, "the lab does not forward: no %s probe with the host's own address reached the "
                                  "collector in %d s", !c->warm[0] ? "IPv4" : "IPv6", WARMUP_MS / 1000);
            return -1;
        }
        for (size_t i = 0; i < n; i++)
            if (p[i].cls == MRS_ST_OWN && !c->warm[p[i].afi == MRS_AFI_IPV6] && send_probe(c, i, 0xff, 0) < 0) {
                snprintf(err, errlen, "cannot send a probe: %s", strerror(errno));
                return -1;
            }
        int64_t t = now_ms() + 100;
        while (!(c->warm[0] && c->warm[1]) && now_ms() < t) {
            if (wait_io(c, (int)(t - now_ms())))
                return 1;
            drain(c, 0xff);
        }
    }
    /* late warm-up copies must not be taken for a run's */
    int64_t t = now_ms() + 100;
    while (now_ms() < t) {
        if (wait_io(c, (int)(t - now_ms())))
            return 1;
        drain(c, 0xff);
    }
    return 0;
}

/* one run: every probe copies times, then collect. 1 if stopped, -1 error. */
static int measure(ctx *c, unsigned run, char *err, size_t errlen)
{
    size_t n;
    mrs_st_probes(&n);
    for (unsigned k = 0; k < c->r->copies; k++) {
        for (size_t i = 0; i < n; i++)
            if (send_probe(c, i, run, k) < 0) {
                snprintf(err, errlen, "cannot send a probe: %s", strerror(errno));
                return -1;
            }
        int64_t t = now_ms() + GAP_MS;
        while (now_ms() < t) {
            if (wait_io(c, (int)(t - now_ms())))
                return 1;
            drain(c, run);
        }
    }
    int64_t last = now_ms(), end = last + RUN_WAIT_MS;
    while (now_ms() < end && now_ms() - last < QUIET_MS) {
        if (wait_io(c, (int)(QUIET_MS - (now_ms() - last))))
            return 1;
        if (drain(c, run))
            last = now_ms();
    }
    return 0;
}

static char *urpf_text(const char *iface, bool strict)
{
    static const char fmt[] = "table inet mrs_urpf {\n"
                              "    chain ingress {\n"
                              "        type filter hook prerouting priority -300; policy accept;\n"
                              "        iifname \"%s\" fib saddr %soif missing counter drop\n"
                              "    }\n"
                              "}\n";
    size_t len = sizeof fmt + strlen(iface) + 8;
    char *t = malloc(len);
    if (t)
        snprintf(t, len, fmt, iface, strict ? ". iif " : "");
    return t;
}

mrs_st_status mrs_st_run(const mrs_st_opts *o, mrs_st_result *r, char *err, size_t errlen)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.r = r;
    uint32_t nonce;
    if (getrandom(&nonce, sizeof nonce, GRND_NONBLOCK) != (ssize_t)sizeof nonce)
        nonce = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16);
    mrs_st_result_init(r, nonce, o->copies ? o->copies : 3);
    lab_init(&c.l, (unsigned)getpid(), o->progress);
    snprintf(r->lab, sizeof r->lab, "%s", c.l.pfx);
    const mrs_st_addrs *a = mrs_st_lab_addrs();
    unsigned afi;
    if (!mrs_ip_parse(a->collector4, strlen(a->collector4), &afi, c.dst4) ||
        !mrs_ip_parse(a->collector6, strlen(a->collector6), &afi, c.dst6)) {
        snprintf(err, errlen, "bad collector address in the plan");
        return MRS_ST_ERROR;
    }
    int64_t t0 = now_ms();
    int removed = mrs_st_cleanup_stale();
    if (removed && o->progress)
        fprintf(stderr, "manrs spooftest: removed %d namespaces of labs whose process is gone\n", removed);
    char aerr[256] = "";
    r->acl_text = mrs_st_acl_text(c.l.pe_customer_if, r->acl_urpf, sizeof r->acl_urpf, &r->acl_permits,
                                  &r->acl_denies, aerr, sizeof aerr);
    mrs_st_status st = MRS_ST_DONE;
    say(&c, "building the lab (4 namespaces, 4 veth pairs)");
    int up = lab_up(&c.l, err, errlen);
    if (up != 0) {
        st = up > 0 ? MRS_ST_NO_LAB : MRS_ST_ERROR;
        goto out;
    }
    if (stopped(&c)) {
        st = MRS_ST_STOPPED;
        goto out;
    }
    say(&c, "warming up (ARP, neighbour discovery)");
    int w = warm_up(&c, err, errlen);
    if (w != 0) {
        st = w > 0 ? MRS_ST_STOPPED : MRS_ST_NO_LAB;
        goto out;
    }
    for (unsigned k = 0; k < MRS_ST_NRUNS; k++) {
        if (stopped(&c)) {
            st = MRS_ST_STOPPED;
            break;
        }
        mrs_st_run_result *rr = &r->run[k];
        rr->attempted = true;
        char *text = NULL;
        int rc = 0;
        switch ((mrs_st_run_kind)k) {
        case MRS_ST_RUN_NONE: rc = lab_nft(&c.l, NULL, rr->error, sizeof rr->error); break;
        case MRS_ST_RUN_ACL:
            if (!r->acl_text) {
                snprintf(rr->error, sizeof rr->error, "the generator built no ruleset: %.200s", aerr);
                rc = -1;
            } else
                rc = lab_nft(&c.l, r->acl_text, rr->error, sizeof rr->error);
            break;
        case MRS_ST_RUN_STRICT:
        case MRS_ST_RUN_LOOSE:
            text = urpf_text(c.l.pe_customer_if, k == MRS_ST_RUN_STRICT);
            if (!text)
                snprintf(rr->error, sizeof rr->error, "out of memory");
            rc = text ? lab_nft(&c.l, text, rr->error, sizeof rr->error) : -1;
            free(text);
            break;
        case MRS_ST_NRUNS: break;
        }
        if (rc != 0) {
            if (o->progress)
                fprintf(stderr, "manrs spooftest: run %s: %s\n", mrs_st_run_name((mrs_st_run_kind)k), rr->error);
            if (!o->keep_going) {
                snprintf(err, errlen, "run %s could not be set up: %s", mrs_st_run_name((mrs_st_run_kind)k),
                         rr->error);
                st = MRS_ST_RUN_FAILED;
                break;
            }
            continue;
        }
        if (o->progress)
            fprintf(stderr, "manrs spooftest: run %s\n", mrs_st_run_name((mrs_st_run_kind)k));
        int m = measure(&c, k, rr->error, sizeof rr->error);
        if (m > 0) {
            st = MRS_ST_STOPPED;
            break;
        }
        if (m < 0) {
            snprintf(err, errlen, "run %s: %s", mrs_st_run_name((mrs_st_run_kind)k), rr->error);
            st = MRS_ST_ERROR;
            break;
        }
        rr->done = true;
    }
    if (st == MRS_ST_DONE) {
        bool failed = false;
        for (unsigned k = 0; k < MRS_ST_NRUNS; k++)
            failed |= r->run[k].attempted && !r->run[k].done;
        if (failed)
            st = MRS_ST_RUN_FAILED;
    }
out:
    if (st == MRS_ST_STOPPED)
        snprintf(err, errlen, "stopped by a signal: the lab is torn down");
    say(&c, "tearing the lab down");
    lab_down(&c.l);
    r->seconds = (double)(now_ms() - t0) / 1000.0;
    return st;
}
