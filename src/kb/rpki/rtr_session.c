/*
 * rtr_session.c — a router's side of RTR kept open (see rtr.h,
 * mrs_rtr_session): Reset Query once, then Serial Queries when the cache sends
 * Serial Notify or the refresh interval ends (RFC 8210 §8), the changes applied
 * to the table held here, a new built set handed to the caller after each End
 * of Data that changed something. Non-blocking on the caller's event loop (the
 * connect itself waits at most 2 s).
 *
 * Table: VRPs in a hash map (prefix, max length, AS) -> slot, ASPAs by (customer,
 * AFI flag). A withdrawal of an unknown record or a duplicate announcement is a
 * protocol error the RFC wants reported (RFC 8210 §12, codes 6 and 7): counted
 * and ignored here, the table stays what the cache meant.
 */
#include "manrs/kb/rpki.h"
#include "manrs/kb/rtr.h"
#include "manrs/core/evloop.h"
#include "manrs/core/grow.h"
#include "manrs/core/map64.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PDU (16u + 4u * 65535u)
#define CONNECT_MS 2000

typedef struct aspa_rec {
    uint32_t customer;
    uint8_t afi;
    bool live;
    uint32_t *prov;
    uint16_t n;
} aspa_rec;

struct mrs_rtr_session {
    mrs_rtr_session_opts o;
    char name[300];
    mrs_evloop *loop;
    int fd;
    uint8_t version;
    bool have_session, in_transfer, changed, query_due;
    uint16_t session;
    uint32_t serial;
    uint32_t refresh_s;
    time_t next_query, next_connect;
    unsigned backoff_s;
    uint8_t *in;
    size_t in_len, in_cap;
    uint64_t offset;            /* stream offset of in[0] */
    /* the table */
    mrs_vrp *vrp;
    uint8_t *vlive;
    size_t nvrp, cap_vrp, cap_live;
    mrs_map64 vix;              /* VRP hash -> slot (collisions: next seed) */
    aspa_rec *aspa;
    size_t naspa, cap_aspa;
    mrs_map64 aix;              /* customer << 1 | afi -> slot */
    mrs_rtr_session_stats st;
};

static uint64_t vrp_key(const mrs_vrp *v, uint64_t seed)
{
    uint8_t b[24];
    memcpy(b, v->prefix.addr, 16);
    b[16] = v->prefix.afi;
    b[17] = v->prefix.len;
    b[18] = (uint8_t)v->maxlen;
    b[19] = 0;
    memcpy(b + 20, &v->asn, 4);
    return mrs_map64_key_bytes(b, sizeof b, seed);
}

static bool same_vrp(const mrs_vrp *a, const mrs_vrp *b)
{
    return a->asn == b->asn && a->maxlen == b->maxlen && !mrs_prefix_cmp(&a->prefix, &b->prefix);
}

/* 1 added, 0 already there, -1 memory */
static int vrp_add(mrs_rtr_session *s, const mrs_vrp *v)
{
    for (uint64_t seed = 0;; seed++) {
        uint64_t k = vrp_key(v, seed);
        uint32_t *slot = mrs_map64_get(&s->vix, k);
        if (slot) {
            if (!same_vrp(&s->vrp[*slot], v))
                continue;
            if (s->vlive[*slot])
                return 0;
            s->vlive[*slot] = 1;
            return 1;
        }
        mrs_vrp *nv = mrs_grow(s->vrp, &s->cap_vrp, s->nvrp + 1, sizeof *nv, 1024);
        if (!nv)
            return -1;
        s->vrp = nv;
        uint8_t *nl = mrs_grow(s->vlive, &s->cap_live, s->nvrp + 1, 1, 1024);
        if (!nl)
            return -1;
        s->vlive = nl;
        bool found;
        uint32_t *p = mrs_map64_put(&s->vix, k, &found);
        if (!p)
            return -1;
        *p = (uint32_t)s->nvrp;
        s->vrp[s->nvrp] = *v;
        s->vlive[s->nvrp++] = 1;
        return 1;
    }
}

static bool vrp_del(mrs_rtr_session *s, const mrs_vrp *v)
{
    for (uint64_t seed = 0;; seed++) {
        uint32_t *slot = mrs_map64_get(&s->vix, vrp_key(v, seed));
        if (!slot)
            return false;
        if (same_vrp(&s->vrp[*slot], v)) {
            bool was = s->vlive[*slot];
            s->vlive[*slot] = 0;
            return was;
        }
    }
}

static aspa_rec *aspa_slot(mrs_rtr_session *s, uint32_t customer, uint8_t afi, bool create)
{
    uint64_t k = (uint64_t)customer << 1 | (afi & 1u);
    uint32_t *p = mrs_map64_get(&s->aix, k);
    if (p)
        return &s->aspa[*p];
    if (!create)
        return NULL;
    aspa_rec *na = mrs_grow(s->aspa, &s->cap_aspa, s->naspa + 1, sizeof *na, 64);
    if (!na)
        return NULL;
    s->aspa = na;
    bool found;
    if (!(p = mrs_map64_put(&s->aix, k, &found)))
        return NULL;
    *p = (uint32_t)s->naspa;
    aspa_rec *r = &s->aspa[s->naspa++];
    memset(r, 0, sizeof *r);
    r->customer = customer;
    r->afi = afi & 1u;
    return r;
}

static void table_clear(mrs_rtr_session *s)
{
    s->nvrp = 0;
    mrs_map64_clear(&s->vix);
    mrs_map64_init(&s->vix);
    for (size_t i = 0; i < s->naspa; i++)
        free(s->aspa[i].prov);
    s->naspa = 0;
    mrs_map64_clear(&s->aix);
    mrs_map64_init(&s->aix);
}

/* A built set of the table for the caller. */
static void publish(mrs_rtr_session *s)
{
    mrs_rpki *r = mrs_rpki_new();
    if (!r)
        return;
    size_t nv = 0, na = 0;
    for (size_t i = 0; i < s->nvrp; i++)
        if (s->vlive[i]) {
            mrs_rpki_add_vrp(r, &s->vrp[i].prefix, s->vrp[i].maxlen, s->vrp[i].asn, NULL);
            nv++;
        }
    for (size_t i = 0; i < s->naspa; i++)
        if (s->aspa[i].live) {
            mrs_rpki_add_aspa(r, s->aspa[i].customer, s->aspa[i].prov, s->aspa[i].n);
            na++;
        }
    if (mrs_rpki_build(r) != 0) {
        mrs_rpki_free(r);
        return;
    }
    s->st.updates++;
    s->st.vrps = nv;
    s->st.aspas = na;
    s->st.serial = s->serial;
    s->o.fn(r, s->serial, s->o.user);
}

static void disconnect(mrs_rtr_session *s, const char *why)
{
    if (s->fd >= 0) {
        mrs_evloop_unwatch(s->loop, s->fd);
        close(s->fd);
        s->fd = -1;
        s->st.disconnects++;
    }
    if (why)
        mrs_diag_error_at(s->o.diag, s->name, s->offset, "%s; connecting again in %u s", why,
                          s->backoff_s ? s->backoff_s : 1);
    s->in_len = 0;
    s->in_transfer = false;
    unsigned b = s->backoff_s ? s->backoff_s : 1;
    s->next_connect = time(NULL) + b;
    s->backoff_s = b * 2 > 60 ? 60 : b * 2;
}

static bool send_pdu(mrs_rtr_session *s, const uint8_t *b, size_t n)
{
    ssize_t w = send(s->fd, b, n, MSG_NOSIGNAL);
    if (w != (ssize_t)n) {
        disconnect(s, "cannot send a query");
        return false;
    }
    return true;
}

static void query(mrs_rtr_session *s)
{
    uint8_t b[MRS_RTR_MAX_FIXED];
    size_t n = s->have_session ? mrs_rtr_serial_query(b, s->version, s->session, s->serial)
                               : mrs_rtr_reset_query(b, s->version);
    if (send_pdu(s, b, n)) {
        s->in_transfer = true;
        s->query_due = false;
        s->changed = false;
        if (s->have_session)
            s->st.serial_queries++;
        else
            s->st.reset_queries++;
    }
}

/* One PDU from the cache. false: the session was closed. */
static bool on_pdu(mrs_rtr_session *s, const mrs_rtr_pdu *p)
{
    if (p->type == MRS_RTR_ERROR_REPORT) {
        if (p->session == MRS_RTR_ERR_UNSUPPORTED_VERSION && s->version > 0 && !s->have_session) {
            s->version = p->version < s->version ? p->version : (uint8_t)(s->version - 1);
            disconnect(s, NULL);
            s->next_connect = time(NULL);   /* again at once, in the lower version */
            return false;
        }
        if (p->session == MRS_RTR_ERR_NO_DATA) {
            disconnect(s, "the cache has no data yet");
            return false;
        }
        char why[160];
        snprintf(why, sizeof why, "Error Report code %u from the cache: %.*s", p->session,
                 (int)(p->err_text_len < 100 ? p->err_text_len : 100), p->err_text ? (const char *)p->err_text : "");
        disconnect(s, why);
        return false;
    }
    if (p->version != s->version) {
        if (!s->have_session && p->version < s->version) {
            s->version = p->version;    /* RFC 8210 §7: the cache answered in its version */
        } else {
            disconnect(s, "PDU of another protocol version in the session");
            return false;
        }
    }
    switch (p->type) {
    case MRS_RTR_SERIAL_NOTIFY:
        s->st.notifies++;
        if (!s->in_transfer)
            query(s);
        else
            s->query_due = true;
        return s->fd >= 0;
    case MRS_RTR_CACHE_RESPONSE:
        if (!s->have_session || p->session != s->session) {
            /* a Reset Query's answer: the table starts again */
            table_clear(s);
            s->changed = true;
        }
        s->session = p->session;
        return true;
    case MRS_RTR_IPV4_PREFIX:
    case MRS_RTR_IPV6_PREFIX: {
        mrs_vrp v;
        memset(&v, 0, sizeof v);
        v.prefix = p->prefix;
        v.maxlen = p->maxlen;
        v.asn = p->asn;
        if (p->flags & 1) {
            int r = vrp_add(s, &v);
            if (r < 0) {
                disconnect(s, "out of memory");
                return false;
            }
            s->st.duplicates += r == 0;
            s->changed |= r == 1;
        } else if (vrp_del(s, &v)) {
            s->changed = true;
        } else {
            s->st.unknown_withdrawals++;
        }
        return true;
    }
    case MRS_RTR_ASPA: {
        aspa_rec *a = aspa_slot(s, p->asn, p->afi_flags, p->flags & 1);
        if (!a) {
            if (p->flags & 1) {
                disconnect(s, "out of memory");
                return false;
            }
            s->st.unknown_withdrawals++;
            return true;
        }
        free(a->prov);
        a->prov = NULL;
        a->n = 0;
        a->live = p->flags & 1;
        if (a->live && p->n_providers) {
            if (!(a->prov = malloc(p->n_providers * sizeof *a->prov))) {
                disconnect(s, "out of memory");
                return false;
            }
            for (uint16_t i = 0; i < p->n_providers; i++) {
                const uint8_t *q = p->providers + 4u * i;
                a->prov[i] = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
            }
            a->n = p->n_providers;
        }
        s->changed = true;
        return true;
    }
    case MRS_RTR_END_OF_DATA:
        s->serial = p->serial;
        s->have_session = true;
        s->in_transfer = false;
        s->backoff_s = 0;
        if (p->version >= 1 && p->refresh)
            s->refresh_s = p->refresh;
        s->next_query = time(NULL) + (s->refresh_s ? s->refresh_s : 3600);
        if (s->changed || !s->st.updates)
            publish(s);
        if (s->query_due)
            query(s);
        return s->fd >= 0;
    case MRS_RTR_CACHE_RESET:
        s->st.cache_resets++;
        s->have_session = false;
        query(s);
        return s->fd >= 0;
    case MRS_RTR_ROUTER_KEY:
        return true;
    default:
        disconnect(s, "unexpected PDU from the cache");
        return false;
    }
}

static void on_io(mrs_evloop *l, int fd, unsigned events, void *user)
{
    (void)l;
    (void)events;
    mrs_rtr_session *s = user;
    if (s->in_cap - s->in_len < 65536) {
        size_t cap = s->in_cap ? s->in_cap * 2 : 131072;
        if (cap > 2 * MAX_PDU + 131072) {
            disconnect(s, "PDU too large");
            return;
        }
        uint8_t *nb = realloc(s->in, cap);
        if (!nb) {
            disconnect(s, "out of memory");
            return;
        }
        s->in = nb;
        s->in_cap = cap;
    }
    ssize_t n = recv(fd, s->in + s->in_len, s->in_cap - s->in_len, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        disconnect(s, n == 0 ? "the cache closed the session" : strerror(errno));
        return;
    }
    s->in_len += (size_t)n;
    s->st.bytes += (size_t)n;
    size_t off = 0;
    while (s->fd >= 0) {
        mrs_rtr_pdu p;
        mrs_rtr_fault f;
        int r = mrs_rtr_parse(s->in + off, s->in_len - off, MAX_PDU, &p, &f);
        if (r == 0)
            break;
        if (r < 0) {
            s->offset += off;
            disconnect(s, f.why);
            return;
        }
        off += p.length;
        if (!on_pdu(s, &p)) {
            if (s->fd < 0)
                return;
        }
    }
    if (s->fd < 0)
        return;
    memmove(s->in, s->in + off, s->in_len - off);
    s->in_len -= off;
    s->offset += off;
}

static void try_connect(mrs_rtr_session *s)
{
    char err[256];
    s->st.connects++;
    int fd = mrs_tcp_connect(s->o.host_port, CONNECT_MS, err, sizeof err);
    if (fd < 0) {
        disconnect(s, err);
        return;
    }
    if (mrs_evloop_watch(s->loop, fd, MRS_EV_READ, on_io, s) < 0) {
        close(fd);
        disconnect(s, strerror(errno));
        return;
    }
    s->fd = fd;
    s->offset = 0;
    s->in_len = 0;
    query(s);
}

mrs_rtr_session *mrs_rtr_session_new(mrs_evloop *l, const mrs_rtr_session_opts *o)
{
    mrs_rtr_session *s = calloc(1, sizeof *s);
    if (!s || mrs_map64_init(&s->vix) < 0 || mrs_map64_init(&s->aix) < 0) {
        free(s);
        return NULL;
    }
    s->o = *o;
    s->loop = l;
    s->fd = -1;
    s->version = MRS_RTR_MAX_VERSION;
    snprintf(s->name, sizeof s->name, "rtr://%s", o->host_port);
    try_connect(s);
    return s;
}

void mrs_rtr_session_tick(mrs_rtr_session *s)
{
    time_t now = time(NULL);
    if (s->fd < 0) {
        if (now >= s->next_connect)
            try_connect(s);
    } else if (!s->in_transfer && s->next_query && now >= s->next_query) {
        query(s);   /* the refresh interval is over (RFC 8210 §6) */
    }
}

mrs_rtr_session_stats mrs_rtr_session_get_stats(const mrs_rtr_session *s)
{
    mrs_rtr_session_stats st = s->st;
    st.version = s->version;
    st.connected = s->fd >= 0;
    return st;
}

void mrs_rtr_session_free(mrs_rtr_session *s)
{
    if (!s)
        return;
    if (s->fd >= 0) {
        mrs_evloop_unwatch(s->loop, s->fd);
        close(s->fd);
    }
    for (size_t i = 0; i < s->naspa; i++)
        free(s->aspa[i].prov);
    free(s->aspa);
    free(s->vrp);
    free(s->vlive);
    free(s->in);
    mrs_map64_clear(&s->vix);
    mrs_map64_clear(&s->aix);
    free(s);
}
