/*
 * rtr_client.c — fetching a cache's table over RTR (see rtr.h, mrs_rtr_fetch).
 * One blocking session per attempt on a non-blocking socket with poll()
 * timeouts; the records are kept aside until End of Data, then added to the
 * caller's set at once.
 */
#include "manrs/kb/rpki.h"
#include "manrs/kb/rtr.h"
#include "manrs/core/evloop.h"
#include "manrs/core/grow.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PDU (16u + 4u * 65535u)   /* the largest ASPA PDU */
#define MAX_RECORDS 50000000u         /* a cache that never ends is cut off */

typedef struct pending {
    mrs_vrp *v;
    size_t nv, capv;
    uint32_t *a;                      /* ASPA PDUs: customer, n, providers... */
    size_t na, capa;
    size_t naspa, nkeys;
} pending;

enum { DONE = 0, RETRY = 1, FAILED = -1 };

static bool send_all(int fd, const uint8_t *b, size_t n, int timeout_ms)
{
    while (n) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EAGAIN) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            if (poll(&p, 1, timeout_ms) <= 0)
                return false;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        b += w;
        n -= (size_t)w;
    }
    return true;
}

/* One PDU of the response. Returns 1 to go on, DONE at End of Data, RETRY
 * (with *version lowered), FAILED (reported). */
static int on_pdu(const mrs_rtr_pdu *p, uint8_t *version, bool first, pending *pd, mrs_rtr_fetch_stats *st,
                  mrs_diag *d, const char *name, uint64_t off)
{
    if (first && p->type == MRS_RTR_ERROR_REPORT && p->session == MRS_RTR_ERR_UNSUPPORTED_VERSION && *version > 0) {
        /* the Error Report says the highest version the cache speaks (or we step down) */
        *version = p->version < *version ? p->version : (uint8_t)(*version - 1);
        return RETRY;
    }
    if (first && p->version < *version)
        *version = p->version;   /* a cache answering in a lower version: downgrade to it */
    if (p->version != *version) {
        mrs_diag_error_at(d, name, off, "%s PDU of version %u in a version %u session", mrs_rtr_type_name(p->type),
                          p->version, *version);
        return FAILED;
    }
    switch (p->type) {
    case MRS_RTR_CACHE_RESPONSE: st->session = p->session; return 1;
    case MRS_RTR_SERIAL_NOTIFY: return 1;
    case MRS_RTR_IPV4_PREFIX:
    case MRS_RTR_IPV6_PREFIX: {
        if (!(p->flags & 1)) {
            mrs_diag_error_at(d, name, off, "a withdrawal in the answer to a Reset Query");
            return FAILED;
        }
        mrs_vrp *nv = mrs_grow(pd->v, &pd->capv, pd->nv + 1, sizeof *nv, 4096);
        if (!nv)
            goto oom;
        pd->v = nv;
        mrs_vrp *v = &pd->v[pd->nv++];
        memset(v, 0, sizeof *v);
        v->prefix = p->prefix;
        v->maxlen = p->maxlen;
        v->asn = p->asn;
        return 1;
    }
    case MRS_RTR_ASPA: {
        if (!(p->flags & 1)) {
            mrs_diag_error_at(d, name, off, "an ASPA withdrawal in the answer to a Reset Query");
            return FAILED;
        }
        uint32_t *na = mrs_grow(pd->a, &pd->capa, pd->na + 2 + p->n_providers, sizeof *na, 4096);
        if (!na)
            goto oom;
        pd->a = na;
        pd->a[pd->na++] = p->asn;
        pd->a[pd->na++] = p->n_providers;
        for (uint16_t i = 0; i < p->n_providers; i++) {
            const uint8_t *b = p->providers + 4 * (size_t)i;
            pd->a[pd->na++] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
        }
        pd->naspa++;
        return 1;
    }
    case MRS_RTR_ROUTER_KEY: pd->nkeys++; return 1;
    case MRS_RTR_END_OF_DATA: st->serial = p->serial; return DONE;
    case MRS_RTR_CACHE_RESET:
        mrs_diag_error_at(d, name, off, "the cache answered the Reset Query with Cache Reset");
        return FAILED;
    case MRS_RTR_ERROR_REPORT:
        mrs_diag_error_at(d, name, off, "Error Report from the cache: %s: %.*s", mrs_rtr_error_name(p->session),
                          (int)(p->err_text_len > 200 ? 200 : p->err_text_len), (const char *)p->err_text);
        return FAILED;
    default:
        mrs_diag_error_at(d, name, off, "unexpected %s PDU from a cache", mrs_rtr_type_name(p->type));
        return FAILED;
    }
oom:
    mrs_diag_error_file(d, name, "out of memory");
    return FAILED;
}

/* One session in *version. */
static int session(const char *hp, uint8_t *version, int timeout_ms, pending *pd, mrs_rtr_fetch_stats *st,
                   mrs_diag *d, const char *name)
{
    char err[300];
    int fd = mrs_tcp_connect(hp, timeout_ms, err, sizeof err);
    if (fd < 0) {
        mrs_diag_error_file(d, name, "cannot connect: %s", err);
        return FAILED;
    }
    uint8_t q[MRS_RTR_MAX_FIXED];
    if (!send_all(fd, q, mrs_rtr_reset_query(q, *version), timeout_ms)) {
        mrs_diag_error_file(d, name, "cannot send the Reset Query: %s", strerror(errno));
        close(fd);
        return FAILED;
    }
    size_t cap = 1u << 16, len = 0;
    uint8_t *buf = malloc(cap);
    uint64_t off = 0;   /* stream offset of buf[0] */
    bool first = true;
    int rc = FAILED;
    if (!buf) {
        mrs_diag_error_file(d, name, "out of memory");
        goto out;
    }
    for (;;) {
        /* every complete PDU in the buffer */
        size_t pos = 0;
        for (;;) {
            mrs_rtr_pdu p;
            mrs_rtr_fault f;
            int r = mrs_rtr_parse(buf + pos, len - pos, MAX_PDU, &p, &f);
            if (r == 0)
                break;
            if (r < 0) {
                mrs_diag_error_at(d, name, off + pos, "%s: %s", mrs_rtr_error_name(f.code), f.why);
                goto out;
            }
            if (p.version > MRS_RTR_MAX_VERSION) {
                mrs_diag_error_at(d, name, off + pos, "PDU of protocol version %u", p.version);
                goto out;
            }
            int k = on_pdu(&p, version, first, pd, st, d, name, off + pos);
            first = false;
            pos += p.length;
            if (k != 1) {
                rc = k;
                goto out;
            }
            if (pd->nv + pd->naspa + pd->nkeys > MAX_RECORDS) {
                mrs_diag_error_at(d, name, off + pos, "more than %u records: not a table", MAX_RECORDS);
                goto out;
            }
        }
        memmove(buf, buf + pos, len - pos);
        len -= pos;
        off += pos;
        if (len == cap) {
            uint8_t *nb = cap < 2 * MAX_PDU ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                mrs_diag_error_at(d, name, off, "PDU larger than %u bytes", MAX_PDU);
                goto out;
            }
            buf = nb;
            cap *= 2;
        }
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        int n = poll(&pf, 1, timeout_ms);
        if (n == 0) {
            mrs_diag_error_at(d, name, off + len, "no data for %d ms (End of Data not reached)", timeout_ms);
            goto out;
        }
        ssize_t got = n > 0 ? recv(fd, buf + len, cap - len, 0) : -1;
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got <= 0) {
            mrs_diag_error_at(d, name, off + len, "%s before End of Data",
                              got == 0 ? "the cache closed the session" : strerror(errno));
            goto out;
        }
        len += (size_t)got;
        st->bytes += (uint64_t)got;
    }
out:
    free(buf);
    close(fd);
    return rc;
}

int mrs_rtr_fetch(mrs_rpki *r, const char *host_port, int timeout_ms, mrs_diag *d, mrs_rtr_fetch_stats *st)
{
    mrs_rtr_fetch_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    char name[300];
    snprintf(name, sizeof name, "rtr://%s", host_port);
    uint8_t version = MRS_RTR_MAX_VERSION;
    pending pd;
    int rc;
    for (int attempt = 0;; attempt++) {
        memset(&pd, 0, sizeof pd);
        rc = session(host_port, &version, timeout_ms, &pd, st, d, name);
        if (rc != RETRY || attempt == MRS_RTR_MAX_VERSION)
            break;
        free(pd.v);
        free(pd.a);
    }
    if (rc == RETRY) {
        mrs_diag_error_file(d, name, "no protocol version in common with the cache");
        rc = FAILED;
    }
    st->version = version;
    if (rc == DONE) {
        for (size_t i = 0; i < pd.nv && rc == DONE; i++)
            if (mrs_rpki_add_vrp(r, &pd.v[i].prefix, pd.v[i].maxlen, pd.v[i].asn, NULL) != 0) {
                mrs_diag_error_file(d, name, "out of memory");
                rc = FAILED;
            }
        for (size_t i = 0; i < pd.na && rc == DONE; i += 2 + pd.a[i + 1])
            if (mrs_rpki_add_aspa(r, pd.a[i], pd.a + i + 2, pd.a[i + 1]) != 0) {
                mrs_diag_error_file(d, name, "out of memory");
                rc = FAILED;
            }
        st->vrps = pd.nv;
        st->aspas = pd.naspa;
        st->router_keys = pd.nkeys;
    }
    free(pd.v);
    free(pd.a);
    return rc == DONE ? 0 : -1;
}
