/*
 * rtrd.c — the RTR cache server (see rtrd.h for the rules, docs/rtrd.md).
 *
 * Data: a version is a set of records (VRPs sorted as mrs_rpki_vrps sorts them,
 * ASPAs by customer) with its serial; the server keeps the current snapshot and
 * the deltas that led to it (each from serial - 1 to serial: withdrawals first,
 * then announcements). Both are reference counted: a router in a transfer holds
 * the sets it streams, so a reload during a transfer neither frees them nor
 * changes what that router receives.
 *
 * A transfer is a cursor (which set, which record) from which PDUs are produced
 * into the router's output buffer whenever the socket can take more; a router
 * that asks for the whole table costs its buffer (16 KiB), not the table.
 */
#define _GNU_SOURCE
#include "manrs/apps/rtrd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "manrs/core/evloop.h"
#include "manrs/core/grow.h"
#include "manrs/core/ratelog.h"
#include "manrs/kb/kbs.h"
#include "manrs/kb/rtr.h"
#include "manrs/kb/slurm.h"

#define OUT_CHUNK (16u << 10)   /* output produced per socket fill */
#define IN_MAX 65536u           /* the largest PDU accepted from a router (an Error Report) */
#define LOG_LINES 30u
#define LOG_INTERVAL_MS 10000u
#define TICK_MS 1000u

/* ------------------------------------------------------------------ data sets */

typedef struct rset {
    unsigned refs;
    uint32_t serial;
    mrs_vrp *vrp;
    uint8_t *vflag;             /* per VRP: 1 announce, 0 withdraw; NULL: all announced (snapshot) */
    size_t nvrp;
    uint32_t *cust, *poff, *pn; /* ASPA i: customer cust[i], providers prov[poff[i] .. + pn[i]] */
    uint8_t *aflag;
    size_t naspa;
    uint32_t *prov;
    size_t nprov;
    struct rset *newer;         /* deltas: the next one */
} rset;

static void rset_unref(rset *s)
{
    if (!s || --s->refs)
        return;
    free(s->vrp);
    free(s->vflag);
    free(s->cust);
    free(s->poff);
    free(s->pn);
    free(s->aflag);
    free(s->prov);
    free(s);
}


/* Room for n VRPs and m ASPAs with k providers (flags when delta). */
static rset *rset_new(size_t n, size_t m, size_t k, bool delta)
{
    rset *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->refs = 1;
    s->vrp = malloc((n ? n : 1) * sizeof *s->vrp);
    s->cust = malloc((m ? m : 1) * sizeof *s->cust);
    s->poff = malloc((m ? m : 1) * sizeof *s->poff);
    s->pn = malloc((m ? m : 1) * sizeof *s->pn);
    s->prov = malloc((k ? k : 1) * sizeof *s->prov);
    if (delta) {
        s->vflag = malloc(n ? n : 1);
        s->aflag = malloc(m ? m : 1);
    }
    if (!s->vrp || !s->cust || !s->poff || !s->pn || !s->prov || (delta && (!s->vflag || !s->aflag))) {
        rset_unref(s);
        return NULL;
    }
    return s;
}

static void add_vrp(rset *s, const mrs_vrp *v, uint8_t flag)
{
    s->vrp[s->nvrp] = *v;
    if (s->vflag)
        s->vflag[s->nvrp] = flag;
    s->nvrp++;
}

static void add_aspa(rset *s, uint32_t cust, const uint32_t *prov, size_t n, uint8_t flag)
{
    s->cust[s->naspa] = cust;
    s->poff[s->naspa] = (uint32_t)s->nprov;
    s->pn[s->naspa] = (uint32_t)n;
    if (s->aflag)
        s->aflag[s->naspa] = flag;
    memcpy(s->prov + s->nprov, prov, n * sizeof *prov);
    s->nprov += n;
    s->naspa++;
}

static int vrp_qcmp(const void *a, const void *b) { return mrs_vrp_cmp(a, b); }

/* The snapshot of a built RPKI set, with the SLURM exceptions (RFC 8416: the
 * filters first, then the assertions, which are not filtered) when sl is given. */
static rset *snapshot_of(const mrs_rpki *r, const mrs_slurm *sl)
{
    size_t nv = 0, na = r ? mrs_rpki_aspa_count(r) : 0, np = 0;
    const mrs_vrp *v = r ? mrs_rpki_vrps(r, &nv) : NULL;
    size_t nadd = sl ? sl->n_assertions : 0;
    for (size_t i = 0; i < na; i++) {
        const uint32_t *p;
        size_t n;
        mrs_rpki_aspa_at(r, i, &p, &n);
        np += n;
    }
    rset *s = rset_new(nv + nadd, na, np, false);
    if (!s)
        return NULL;
    for (size_t i = 0; i < nv; i++)
        if (!sl || !mrs_slurm_filtered(sl, &v[i].prefix, v[i].asn))
            add_vrp(s, &v[i], 1);
    if (nadd) {
        for (size_t i = 0; i < nadd; i++)
            add_vrp(s, &sl->assertions[i], 1);
        qsort(s->vrp, s->nvrp, sizeof *s->vrp, vrp_qcmp);
        size_t m = 0;   /* an assertion the RPKI already says is one record */
        for (size_t i = 0; i < s->nvrp; i++)
            if (!m || mrs_vrp_cmp(&s->vrp[m - 1], &s->vrp[i]) != 0)
                s->vrp[m++] = s->vrp[i];
        s->nvrp = m;
    }
    for (size_t i = 0; i < na; i++) {
        const uint32_t *p;
        size_t n;
        uint32_t c = mrs_rpki_aspa_at(r, i, &p, &n);
        add_aspa(s, c, p, n, 1);
    }
    return s;
}

static bool same_providers(const rset *a, size_t i, const rset *b, size_t j)
{
    return a->pn[i] == b->pn[j] && !memcmp(a->prov + a->poff[i], b->prov + b->poff[j], a->pn[i] * sizeof *a->prov);
}

/* The delta from snapshot a to snapshot b: withdrawals, then announcements.
 * *empty when they hold the same records. NULL when out of memory. */
static rset *delta_of(const rset *a, const rset *b, bool *empty)
{
    rset *d = rset_new(a->nvrp + b->nvrp, a->naspa + b->naspa, a->nprov + b->nprov, true);
    if (!d)
        return NULL;
    for (int pass = 0; pass < 2; pass++) {   /* 0: withdrawals (in a only), 1: announcements (in b only) */
        size_t i = 0, j = 0;
        while (i < a->nvrp || j < b->nvrp) {
            int c = i == a->nvrp ? 1 : j == b->nvrp ? -1 : mrs_vrp_cmp(&a->vrp[i], &b->vrp[j]);
            if (c < 0) {
                if (pass == 0)
                    add_vrp(d, &a->vrp[i], 0);
                i++;
            } else if (c > 0) {
                if (pass == 1)
                    add_vrp(d, &b->vrp[j], 1);
                j++;
            } else {
                i++;
                j++;
            }
        }
        i = j = 0;
        while (i < a->naspa || j < b->naspa) {
            int c = i == a->naspa ? 1 : j == b->naspa ? -1 : a->cust[i] < b->cust[j] ? -1 : a->cust[i] > b->cust[j];
            bool changed = c == 0 && !same_providers(a, i, b, j);
            if ((c < 0 || changed) && pass == 0)
                add_aspa(d, a->cust[i], a->prov + a->poff[i], a->pn[i], 0);
            if ((c > 0 || changed) && pass == 1)
                add_aspa(d, b->cust[j], b->prov + b->poff[j], b->pn[j], 1);
            if (c <= 0)
                i++;
            if (c >= 0)
                j++;
        }
    }
    *empty = d->nvrp == 0 && d->naspa == 0;
    return d;
}

/* ------------------------------------------------------------------ server */

enum { ST_NEW, ST_READY, ST_CLOSING };

typedef struct client {
    mrs_conn conn;              /* first: the server's list */
    struct server *srv;
    int state;
    int version;                /* -1 until the first PDU */
    unsigned watched;
    char peer[INET6_ADDRSTRLEN + 8];
    uint8_t *in;
    size_t in_len, in_cap;
    uint64_t in_off;            /* bytes received before in[0] */
    uint64_t pdu_start_ms;      /* first byte of an unfinished PDU, 0 = none */
    uint8_t *out;
    size_t out_len, out_off, out_cap;
    uint64_t stalled_ms;        /* output due and unsent since, 0 = none */
    /* transfer: the sets to stream (held), position in the current one */
    rset **xs;
    size_t nxs, xi;
    size_t vi, ai;              /* record positions in xs[xi] */
    unsigned afi;               /* ASPA: 0 IPv4 PDU next, 1 IPv6 */
    bool in_transfer, eod_due;
    bool notify_due;            /* Serial Notify to send once the transfer in progress ends */
} client;

typedef struct server {
    const rtrd_opts *o;
    mrs_evloop *loop;
    mrs_conns clients;          /* of client */
    size_t max_clients;
    uint16_t session;
    rset *snap;                 /* current data, serial = snap->serial */
    rset *oldest, *newest;      /* deltas, oldest first */
    size_t n_deltas;
    unsigned history, refresh, retry, expire, timeout_ms, poll_ms, notify_ms;
    uint64_t last_poll, last_notify;
    bool notify_pending;
    struct timespec *mtimes;    /* per file: the mtime and size seen at the last load */
    off_t *sizes;
    mrs_ratelog log;
    uint64_t sessions, resets, serials, notifies, reloads, reload_failures, errors_sent, closed_slow, closed_bad;
    /* upstream caches (--rtr): followed over RTR sessions kept open */
    struct upstream *up;
    size_t n_up;
    mrs_diag up_diag;
} server;

typedef struct upstream {
    server *sv;
    mrs_rtr_session *sess;
    mrs_rpki *table;            /* its latest whole table, NULL until the session has one */
} upstream;

#define LOG(sv, ...) mrs_ratelog_line(&(sv)->log, __VA_ARGS__)

static void client_close(client *c)
{
    server *sv = c->srv;
    mrs_conns_close(&sv->clients, &c->conn);
    for (size_t i = 0; i < c->nxs; i++)
        rset_unref(c->xs[i]);
    free(c->xs);
    free(c->in);
    free(c->out);
    free(c);
}

/* Room for n more output bytes (the buffer grows for one large ASPA). */
static bool out_room(client *c, size_t n)
{
    if (c->out_off && c->out_len + n > c->out_cap) {
        memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
        c->out_len -= c->out_off;
        c->out_off = 0;
    }
    if (c->out_len + n <= c->out_cap)
        return true;
    uint8_t *nb = mrs_grow(c->out, &c->out_cap, c->out_len + n, 1, OUT_CHUNK);
    if (!nb)
        return false;
    c->out = nb;
    return true;
}

static void out_put(client *c, const uint8_t *p, size_t n)
{
    if (!out_room(c, n)) {
        c->state = ST_CLOSING;   /* out of memory: this session cannot be trusted */
        return;
    }
    memcpy(c->out + c->out_len, p, n);
    c->out_len += n;
}

/* An Error Report to c (copying at most 64 bytes of the offending PDU), then close. */
static void send_error(client *c, uint16_t code, const uint8_t *pdu, size_t pdu_len, const char *text)
{
    server *sv = c->srv;
    if (pdu_len > 64)
        pdu_len = 64;
    uint8_t buf[256];
    size_t tl = strlen(text) > 120 ? 120 : strlen(text);
    char t[128];
    memcpy(t, text, tl);
    t[tl] = '\0';
    uint8_t v = c->version < 0 ? MRS_RTR_MAX_VERSION : (uint8_t)c->version;
    size_t n = mrs_rtr_error_report(buf, v, code, pdu, pdu_len, t);
    out_put(c, buf, n);
    c->state = ST_CLOSING;
    sv->errors_sent++;
}

/* Produce PDUs of the transfer until OUT_CHUNK bytes are pending or it ends. */
static void fill(client *c)
{
    server *sv = c->srv;
    uint8_t buf[MRS_RTR_MAX_FIXED];
    uint8_t v = (uint8_t)c->version;
    while (c->in_transfer && c->out_len - c->out_off < OUT_CHUNK && c->state != ST_CLOSING) {
        if (c->xi == c->nxs) {
            /* End of Data with the serial of the last set streamed */
            uint32_t serial = c->nxs ? c->xs[c->nxs - 1]->serial : sv->snap->serial;
            out_put(c, buf, mrs_rtr_end_of_data(buf, v, sv->session, serial, sv->refresh, sv->retry, sv->expire));
            for (size_t i = 0; i < c->nxs; i++)
                rset_unref(c->xs[i]);
            free(c->xs);
            c->xs = NULL;
            c->nxs = c->xi = 0;
            c->in_transfer = false;
            break;
        }
        rset *s = c->xs[c->xi];
        if (c->vi < s->nvrp) {
            const mrs_vrp *r = &s->vrp[c->vi];
            out_put(c, buf, mrs_rtr_prefix(buf, v, s->vflag ? s->vflag[c->vi] : 1, &r->prefix, r->maxlen, r->asn));
            c->vi++;
            continue;
        }
        if (v >= 2 && c->ai < s->naspa) {
            uint32_t n = s->pn[c->ai];
            if (n > UINT16_MAX)
                n = UINT16_MAX;   /* cannot be said in one PDU; loaded sets never get there */
            size_t len = mrs_rtr_aspa_size(n);
            if (!out_room(c, len)) {
                c->state = ST_CLOSING;
                break;
            }
            mrs_rtr_aspa(c->out + c->out_len, s->aflag ? s->aflag[c->ai] : 1, (uint8_t)c->afi, s->cust[c->ai],
                         s->prov + s->poff[c->ai], (uint16_t)n);
            c->out_len += len;
            if (++c->afi == 2) {
                c->afi = 0;
                c->ai++;
            }
            continue;
        }
        c->xi++;
        c->vi = c->ai = 0;
        c->afi = 0;
    }
}

/* Start streaming sets[0..n) (references taken) after a Cache Response. */
static bool start_transfer(client *c, rset **sets, size_t n)
{
    server *sv = c->srv;
    uint8_t buf[MRS_RTR_MAX_FIXED];
    rset **xs = n ? malloc(n * sizeof *xs) : NULL;
    if (n && !xs)
        return false;
    for (size_t i = 0; i < n; i++) {
        xs[i] = sets[i];
        xs[i]->refs++;
    }
    c->xs = xs;
    c->nxs = n;
    c->xi = c->vi = c->ai = 0;
    c->afi = 0;
    c->in_transfer = true;
    out_put(c, buf, mrs_rtr_cache_response(buf, (uint8_t)c->version, sv->session));
    return true;
}

static void on_query(client *c, const mrs_rtr_pdu *q)
{
    server *sv = c->srv;
    uint8_t buf[MRS_RTR_MAX_FIXED];
    if (q->type == MRS_RTR_RESET_QUERY) {
        sv->resets++;
        rset *s = sv->snap;
        if (!start_transfer(c, &s, 1))
            c->state = ST_CLOSING;
        return;
    }
    sv->serials++;
    if (q->session != sv->session) {
        out_put(c, buf, mrs_rtr_cache_reset(buf, (uint8_t)c->version));
        return;
    }
    if (q->serial == sv->snap->serial) {   /* up to date */
        if (!start_transfer(c, NULL, 0))
            c->state = ST_CLOSING;
        return;
    }
    /* the deltas after q->serial, if it is one we still have */
    size_t n = 0;
    rset *d = sv->oldest;
    while (d && d->serial - 1 != q->serial)
        d = d->newer;
    if (!d) {
        out_put(c, buf, mrs_rtr_cache_reset(buf, (uint8_t)c->version));
        return;
    }
    for (rset *e = d; e; e = e->newer)
        n++;
    rset **sets = malloc(n * sizeof *sets);
    if (!sets) {
        c->state = ST_CLOSING;
        return;
    }
    n = 0;
    for (rset *e = d; e; e = e->newer)
        sets[n++] = e;
    if (!start_transfer(c, sets, n))
        c->state = ST_CLOSING;
    free(sets);
}

/* Handle the PDUs in c->in while no transfer runs. */
static void process_input(client *c)
{
    server *sv = c->srv;
    size_t pos = 0;
    while (c->state != ST_CLOSING && !c->in_transfer && pos < c->in_len) {
        mrs_rtr_pdu q;
        mrs_rtr_fault f;
        int r = mrs_rtr_parse(c->in + pos, c->in_len - pos, IN_MAX, &q, &f);
        uint64_t off = c->in_off + pos;
        if (r == 0)
            break;
        if (r < 0) {
            LOG(sv, "%s: offset %llu: %s: %s; session closed", c->peer, (unsigned long long)off,
                mrs_rtr_error_name(f.code), f.why);
            sv->closed_bad++;
            send_error(c, f.code, c->in + pos, c->in_len - pos, f.why);
            break;
        }
        const uint8_t *raw = c->in + pos;
        pos += q.length;
        if (q.version > MRS_RTR_MAX_VERSION) {
            char t[96];
            snprintf(t, sizeof t, "protocol version %u is not supported; this cache speaks 0 to %u", q.version,
                     MRS_RTR_MAX_VERSION);
            LOG(sv, "%s: offset %llu: %s", c->peer, (unsigned long long)off, t);
            c->version = -1;   /* the Error Report says the highest version we speak */
            send_error(c, MRS_RTR_ERR_UNSUPPORTED_VERSION, raw, q.length, t);
            break;
        }
        if (c->version < 0) {
            c->version = q.version;
            sv->sessions++;
        } else if (q.version != c->version) {
            char t[96];
            snprintf(t, sizeof t, "PDU of version %u in a version %d session", q.version, c->version);
            LOG(sv, "%s: offset %llu: %s; session closed", c->peer, (unsigned long long)off, t);
            sv->closed_bad++;
            send_error(c, MRS_RTR_ERR_UNEXPECTED_VERSION, raw, q.length, t);
            break;
        }
        switch (q.type) {
        case MRS_RTR_RESET_QUERY:
        case MRS_RTR_SERIAL_QUERY: on_query(c, &q); break;
        case MRS_RTR_ERROR_REPORT:
            /* the router gives up on this session: say why, and close */
            LOG(sv, "%s: Error Report from the router: %s: %.*s", c->peer, mrs_rtr_error_name(q.session),
                (int)(q.err_text_len > 200 ? 200 : q.err_text_len), (const char *)q.err_text);
            c->state = ST_CLOSING;
            break;
        default: {
            char t[96];
            snprintf(t, sizeof t, "a %s PDU is not a query", mrs_rtr_type_name(q.type));
            LOG(sv, "%s: offset %llu: %s; session closed", c->peer, (unsigned long long)off, t);
            sv->closed_bad++;
            send_error(c, MRS_RTR_ERR_INVALID_REQUEST, raw, q.length, t);
            break;
        }
        }
    }
    if (pos) {
        memmove(c->in, c->in + pos, c->in_len - pos);
        c->in_len -= pos;
        c->in_off += pos;
    }
    c->pdu_start_ms = c->in_len ? (c->pdu_start_ms ? c->pdu_start_ms : mrs_evloop_now(sv->loop)) : 0;
}

/* Send what is pending (producing more as the socket drains). false if closed. */
static bool flush(client *c)
{
    server *sv = c->srv;
    for (;;) {
        fill(c);
        if (c->out_off == c->out_len)
            break;
        ssize_t w = send(c->conn.fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (!c->stalled_ms)
                    c->stalled_ms = mrs_evloop_now(sv->loop);
                return true;
            }
            client_close(c);
            return false;
        }
        c->out_off += (size_t)w;
        c->stalled_ms = 0;
    }
    c->out_off = c->out_len = 0;
    c->stalled_ms = 0;
    if (c->out_cap > OUT_CHUNK) {   /* a large ASPA grew it: give it back */
        free(c->out);
        c->out = NULL;
        c->out_cap = 0;
    }
    if (c->state == ST_CLOSING) {
        client_close(c);
        return false;
    }
    if (c->notify_due && !c->in_transfer) {
        uint8_t buf[MRS_RTR_MAX_FIXED];
        c->notify_due = false;
        out_put(c, buf, mrs_rtr_serial_notify(buf, (uint8_t)c->version, sv->session, sv->snap->serial));
        sv->notifies++;
        return flush(c);
    }
    return true;
}

static bool client_watch(client *c)
{
    unsigned ev = 0;
    if (c->state != ST_CLOSING && !c->in_transfer && c->in_len < IN_MAX)
        ev |= MRS_EV_READ;
    if (c->out_off < c->out_len || c->in_transfer)
        ev |= MRS_EV_WRITE;
    if (ev == c->watched)
        return true;
    if (mrs_evloop_modify(c->srv->loop, c->conn.fd, ev) < 0) {
        client_close(c);
        return false;
    }
    c->watched = ev;
    return true;
}

static void client_io(mrs_evloop *l, int fd, unsigned events, void *user)
{
    (void)l;
    client *c = user;
    if (events & MRS_EV_READ) {
        if (c->in_len == c->in_cap) {   /* queries are 8-12 bytes: grow only for long PDUs */
            size_t cap = c->in_cap ? c->in_cap * 4 : 256;
            uint8_t *nb = realloc(c->in, cap < IN_MAX ? cap : IN_MAX);
            if (!nb) {
                client_close(c);
                return;
            }
            c->in = nb;
            c->in_cap = cap < IN_MAX ? cap : IN_MAX;
        }
        ssize_t r = recv(fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            client_close(c);
            return;
        }
        if (r > 0) {
            c->in_len += (size_t)r;
            process_input(c);
        }
    } else if (events & MRS_EV_HUP) {
        client_close(c);
        return;
    }
    if (!flush(c))
        return;
    if (!c->in_transfer && c->in_len && c->state != ST_CLOSING) {
        process_input(c);   /* queries that waited behind a transfer */
        if (!flush(c))
            return;
    }
    client_watch(c);
}

static void on_accept(mrs_evloop *l, int lfd, unsigned events, void *user)
{
    (void)lfd, (void)events;
    server *sv = user;
    for (;;) {
        struct sockaddr_storage ss;
        int fd = mrs_conns_accept(&sv->clients, &ss);
        if (fd < 0) {
            if (sv->clients.paused)
                LOG(sv, "accept: %s: new connections wait until a router leaves", strerror(errno));
            return;
        }
        char peer[INET6_ADDRSTRLEN + 8];
        mrs_sock_peer(&ss, true, peer, sizeof peer);
        if (sv->clients.n >= sv->max_clients) {
            LOG(sv, "%s refused: %zu routers connected (--max-clients)", peer, sv->clients.n);
            close(fd);
            continue;
        }
        client *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->srv = sv;
        c->version = -1;
        memcpy(c->peer, peer, sizeof c->peer);
        c->pdu_start_ms = mrs_evloop_now(l);   /* the first PDU is awaited like an unfinished one */
        if (mrs_evloop_watch(l, fd, MRS_EV_READ, client_io, c) < 0) {
            close(fd);
            free(c);
            continue;
        }
        c->watched = MRS_EV_READ;
        mrs_conns_add(&sv->clients, &c->conn, fd);
    }
}

/* ------------------------------------------------------------------ loading */

static rset *load_snapshot(server *sv)
{
    mrs_kbs kb;
    mrs_kbs_init(&kb);
    mrs_diag d;
    mrs_diag_init(&d, stderr);
    rset *s = NULL;
    bool ok = mrs_kbs_require(&kb, MRS_KBS_RPKI) == 0;
    for (size_t i = 0; ok && i < sv->o->n_vrp_files; i++) {
        /* a file that holds nothing is a failed load, not an empty table: serving
         * it would make every router drop its VRPs (a relying party mid-write) */
        if (mrs_kbs_load(&kb, MRS_KB_VRPS, sv->o->vrp_files[i], &d, NULL) != 0)
            ok = false;
    }
    for (size_t i = 0; ok && i < sv->o->n_rtr_sources; i++) {
        if (i < sv->n_up && sv->up[i].table)
            ok = mrs_rpki_add_all(kb.rpki, sv->up[i].table) == 0;   /* the session's latest table */
        else if (mrs_kbs_load(&kb, MRS_KB_RTR, sv->o->rtr_sources[i], &d, NULL) != 0)
            ok = false;     /* at the start: fetched whole, all or nothing (mrs_rtr_fetch) */
    }
    mrs_slurm sl;
    memset(&sl, 0, sizeof sl);
    if (ok && sv->o->slurm && mrs_slurm_load(&sl, sv->o->slurm, &d) != 0)
        ok = false;   /* an invalid SLURM file is not used (RFC 8416), nor the data without it */
    if (ok && mrs_kbs_finish(&kb, NULL) == MRS_KBS_OK) {
        if (mrs_rpki_vrp_count(kb.rpki) == 0 && mrs_rpki_aspa_count(kb.rpki) == 0 && !sl.n_assertions)
            LOG(sv, "no VRP and no ASPA in the files: an empty table is not served");
        else if (!(s = snapshot_of(kb.rpki, sv->o->slurm ? &sl : NULL)))
            LOG(sv, "out of memory");
        if (s && sl.bgpsec_ignored)
            LOG(sv, "%s: %zu BGPsec filters and assertions ignored (no router keys are served)", sv->o->slurm,
                sl.bgpsec_ignored);
    }
    mrs_slurm_clear(&sl);
    mrs_kbs_clear(&kb);
    return s;
}

/* The files watched for changes: the VRP files, then the SLURM file. */
static size_t n_watched(const server *sv) { return sv->o->n_vrp_files + (sv->o->slurm != NULL); }

static const char *watched(const server *sv, size_t i)
{
    return i < sv->o->n_vrp_files ? sv->o->vrp_files[i] : sv->o->slurm;
}

static void note_files(server *sv)
{
    for (size_t i = 0; i < n_watched(sv); i++) {
        struct stat st;
        if (stat(watched(sv, i), &st) == 0) {
            sv->mtimes[i] = st.st_mtim;
            sv->sizes[i] = st.st_size;
        }
    }
}

static void notify_all(server *sv)
{
    uint64_t now = mrs_evloop_now(sv->loop);
    if (sv->notify_ms && sv->last_notify && now - sv->last_notify < sv->notify_ms) {
        sv->notify_pending = true;
        return;
    }
    sv->notify_pending = false;
    sv->last_notify = now;
    for (mrs_conn *k = sv->clients.head, *next; k; k = next) {
        next = k->next;
        client *c = (client *)k;
        if (c->version < 0 || c->state == ST_CLOSING)
            continue;   /* a router in its first transfer hears of the change once it ends */
        c->notify_due = true;
        if (!c->in_transfer && flush(c))
            client_watch(c);
    }
}

static void reload(server *sv, const char *why, bool quiet_if_same)
{
    rset *s = load_snapshot(sv);
    note_files(sv);
    if (!s) {
        sv->reload_failures++;
        LOG(sv, "reload (%s) failed: still serving serial %u", why, sv->snap->serial);
        return;
    }
    bool empty = false;
    rset *d = delta_of(sv->snap, s, &empty);
    if (!d) {
        rset_unref(s);
        sv->reload_failures++;
        LOG(sv, "reload (%s): out of memory: still serving serial %u", why, sv->snap->serial);
        return;
    }
    sv->reloads++;
    if (empty) {
        rset_unref(d);
        rset_unref(s);
        if (!quiet_if_same)
            LOG(sv, "reload (%s): no change, serial %u", why, sv->snap->serial);
        return;
    }
    uint32_t serial = sv->snap->serial + 1;   /* wraps at 2^32 (RFC 1982 arithmetic on the router's side) */
    s->serial = d->serial = serial;
    if (sv->newest)
        sv->newest->newer = d;
    else
        sv->oldest = d;
    sv->newest = d;
    sv->n_deltas++;
    while (sv->n_deltas > sv->history) {
        rset *o = sv->oldest;
        sv->oldest = o->newer;
        o->newer = NULL;
        sv->n_deltas--;
        rset_unref(o);
    }
    size_t wv = 0, av = 0;
    for (size_t i = 0; i < d->nvrp; i++)
        wv += !d->vflag[i];
    for (size_t i = 0; i < d->naspa; i++)
        av += !d->aflag[i];
    LOG(sv, "reload (%s): serial %u: %zu VRPs, %zu ASPAs; %zu announced, %zu withdrawn", why, serial, s->nvrp,
        s->naspa, d->nvrp + d->naspa - wv - av, wv + av);
    rset_unref(sv->snap);
    sv->snap = s;
    notify_all(sv);
}

static bool files_changed(server *sv)
{
    for (size_t i = 0; i < n_watched(sv); i++) {
        struct stat st;
        if (stat(watched(sv, i), &st) != 0)
            continue;   /* being replaced: look again next time */
        if (st.st_mtim.tv_sec != sv->mtimes[i].tv_sec || st.st_mtim.tv_nsec != sv->mtimes[i].tv_nsec ||
            st.st_size != sv->sizes[i])
            return true;
    }
    return false;
}

static void on_tick(mrs_evloop *l, void *user)
{
    server *sv = user;
    uint64_t now = mrs_evloop_now(l);
    if (now - sv->last_poll >= sv->poll_ms) {
        sv->last_poll = now;
        if (files_changed(sv))
            reload(sv, "file changed", false);
    }
    for (size_t i = 0; i < sv->n_up; i++)
        mrs_rtr_session_tick(sv->up[i].sess);
    if (sv->notify_pending)
        notify_all(sv);
    mrs_conns_resume(&sv->clients);
    for (mrs_conn *k = sv->clients.head, *next; k; k = next) {
        next = k->next;
        client *c = (client *)k;
        if (c->stalled_ms && now - c->stalled_ms >= sv->timeout_ms) {
            LOG(sv, "%s: not reading for %u s with data due, closed", c->peer, sv->timeout_ms / 1000u);
            sv->closed_slow++;
            client_close(c);
        } else if (c->pdu_start_ms && !c->in_transfer && now - c->pdu_start_ms >= sv->timeout_ms) {
            LOG(sv, "%s: offset %llu: %s after %u s, closed", c->peer, (unsigned long long)c->in_off,
                c->version < 0 && !c->in_len ? "no query" : "PDU unfinished", sv->timeout_ms / 1000u);
            sv->closed_slow++;
            client_close(c);
        }
    }
    mrs_ratelog_roll(&sv->log, false);
}

static void up_log(void *ctx, int is_error, const char *msg)
{
    (void)is_error;
    LOG((server *)ctx, "%s", msg);
}

/* An upstream cache's new table (its session's End of Data): served at once. */
static void on_upstream(mrs_rpki *r, uint32_t serial, void *user)
{
    upstream *u = user;
    mrs_rpki_free(u->table);
    u->table = r;
    char why[96];
    snprintf(why, sizeof why, "upstream cache: serial %u", serial);
    reload(u->sv, why, true);   /* the same table again (a session restarted): no new serial */
}

static void on_hup(mrs_evloop *l, int signo, void *user)
{
    (void)l;
    (void)signo;
    reload(user, "SIGHUP", false);
}

int rtrd_run(const rtrd_opts *o)
{
    server sv;
    memset(&sv, 0, sizeof sv);
    sv.o = o;
    sv.clients.lfd = -1;
    sv.refresh = o->refresh ? o->refresh : 3600;
    sv.retry = o->retry ? o->retry : 600;
    sv.expire = o->expire ? o->expire : 7200;
    sv.history = o->history ? o->history : 32;
    sv.timeout_ms = (o->timeout_s ? o->timeout_s : 60) * 1000u;
    sv.poll_ms = (o->poll_s ? o->poll_s : 60) * 1000u;
    sv.notify_ms = (o->notify_set ? o->notify_interval_s : 60) * 1000u;
    sv.max_clients = o->max_clients ? o->max_clients : 10000;
    mrs_ratelog_init(&sv.log, "manrs rtrd", LOG_LINES, LOG_INTERVAL_MS);
    int rc = 1;
    sv.mtimes = calloc(o->n_vrp_files + 2, sizeof *sv.mtimes);
    sv.sizes = calloc(o->n_vrp_files + 2, sizeof *sv.sizes);
    if (!sv.mtimes || !sv.sizes)
        goto out;
    note_files(&sv);
    if (!(sv.snap = load_snapshot(&sv))) {
        fprintf(stderr, "manrs rtrd: the VRP files or caches could not be loaded: nothing to serve\n");
        goto out;
    }
    if (getrandom(&sv.session, sizeof sv.session, 0) != (ssize_t)sizeof sv.session)
        sv.session = (uint16_t)(getpid() ^ time(NULL));
    const char *addr = o->listen ? o->listen : "127.0.0.1:3323";
    if (!(sv.loop = mrs_evloop_new())) {
        fprintf(stderr, "manrs rtrd: cannot set up the event loop: %s\n", strerror(errno));
        goto out;
    }
    sv.clients.loop = sv.loop;
    if ((sv.clients.lfd = mrs_server_listen(sv.loop, "manrs rtrd", addr, on_accept, &sv)) < 0)
        goto out;
    if (mrs_evloop_timer(sv.loop, TICK_MS, on_tick, &sv) < 0 || mrs_evloop_signal(sv.loop, SIGHUP, on_hup, &sv) < 0) {
        fprintf(stderr, "manrs rtrd: cannot set up the event loop: %s\n", strerror(errno));
        goto out;
    }
    sv.last_poll = mrs_evloop_now(sv.loop);
    if (o->n_rtr_sources) {
        mrs_diag_init(&sv.up_diag, NULL);
        sv.up_diag.sink = up_log;
        sv.up_diag.sink_ctx = &sv;
        if (!(sv.up = calloc(o->n_rtr_sources, sizeof *sv.up)))
            goto out;
        for (size_t i = 0; i < o->n_rtr_sources; i++) {
            sv.up[i].sv = &sv;
            mrs_rtr_session_opts so = {o->rtr_sources[i], &sv.up_diag, on_upstream, &sv.up[i]};
            if (!(sv.up[i].sess = mrs_rtr_session_new(sv.loop, &so)))
                goto out;
            sv.n_up++;
        }
    }
    int port = mrs_sock_port(sv.clients.lfd);
    fprintf(stderr, "manrs rtrd: serving %zu VRPs and %zu ASPAs on %s (port %d), session %u, serial %u\n",
            sv.snap->nvrp, sv.snap->naspa, addr, port, sv.session, sv.snap->serial);
    if (o->port_file && mrs_server_port_file("manrs rtrd", sv.clients.lfd, o->port_file) < 0)
        goto out;
    if (mrs_evloop_run(sv.loop) < 0) {
        fprintf(stderr, "manrs rtrd: event loop failed: %s\n", strerror(errno));
        goto out;
    }
    mrs_ratelog_roll(&sv.log, true);
    typedef unsigned long long ull;
    fprintf(stderr,
            "manrs rtrd: %llu sessions, %llu reset and %llu serial queries, %llu notifies; %llu reloads (%llu "
            "failed); %llu error reports sent; closed: %llu slow, %llu bad input; serial %u\n",
            (ull)sv.sessions, (ull)sv.resets, (ull)sv.serials, (ull)sv.notifies, (ull)sv.reloads,
            (ull)sv.reload_failures, (ull)sv.errors_sent, (ull)sv.closed_slow, (ull)sv.closed_bad, sv.snap->serial);
    rc = 0;
out:
    for (size_t i = 0; i < sv.n_up; i++) {
        mrs_rtr_session_free(sv.up[i].sess);
        mrs_rpki_free(sv.up[i].table);
    }
    free(sv.up);
    while (sv.clients.head)
        client_close((client *)sv.clients.head);
    if (sv.clients.lfd >= 0)
        close(sv.clients.lfd);
    mrs_evloop_free(sv.loop);
    while (sv.oldest) {
        rset *n = sv.oldest->newer;
        rset_unref(sv.oldest);
        sv.oldest = n;
    }
    rset_unref(sv.snap);
    free(sv.mtimes);
    free(sv.sizes);
    return rc;
}
