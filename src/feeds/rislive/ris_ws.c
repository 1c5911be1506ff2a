/*
 * ris_ws.c — the RIS Live WebSocket client (see ris_ws.h): libwebsockets on a
 * thread of its own, messages handed over a socket pair (send with MSG_NOSIGNAL:
 * a consumer that went away is an error, not a SIGPIPE).
 */
#define _GNU_SOURCE
#include "manrs/feeds/ris_ws.h"

#include <errno.h>
#include <fcntl.h>
#include <libwebsockets.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_MESSAGE (1u << 20)

struct mrs_ris_ws {
    mrs_ris_ws_opts o;
    char host[256], path[1024];
    int port;
    bool tls;
    int fds[2];                 /* [0] the consumer's, [1] the thread's */
    pthread_t thread;
    struct lws_context *ctx;
    struct lws *wsi;
    lws_sorted_usec_list_t sul; /* the next connection attempt */
    unsigned backoff_s;
    size_t next_sub;            /* subscription to send next */
    char *msg;                  /* the message being received */
    size_t len, cap;
    bool too_big;
    atomic_int stopping;        /* set by the consumer's thread, read by this one */
    atomic_uint connected;      /* connections established, read by the consumer's thread */
    mrs_ris_ws_stats st;
};

static void connect_now(lws_sorted_usec_list_t *sul);

static void schedule(mrs_ris_ws *w)
{
    unsigned max = w->o.reconnect_max_s ? w->o.reconnect_max_s : 60;
    unsigned s = w->backoff_s ? w->backoff_s : 1;
    w->backoff_s = s * 2 > max ? max : s * 2;
    lws_sul_schedule(w->ctx, 0, &w->sul, connect_now, (lws_usec_t)s * LWS_US_PER_SEC);
}

static void connect_now(lws_sorted_usec_list_t *sul)
{
    mrs_ris_ws *w = lws_container_of(sul, mrs_ris_ws, sul);
    if (w->stopping)
        return;
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof ci);
    ci.context = w->ctx;
    ci.address = w->host;
    ci.port = w->port;
    ci.path = w->path;
    ci.host = w->host;
    ci.origin = w->host;
    ci.ssl_connection = w->tls ? LCCSCF_USE_SSL : 0;
    ci.protocol = NULL;
    ci.local_protocol_name = "manrs-ris-live";
    ci.pwsi = &w->wsi;
    ci.userdata = w;
    if (!lws_client_connect_via_info(&ci))
        schedule(w);
}

/* Hand one whole message to the consumer, as a line. */
static void deliver(mrs_ris_ws *w)
{
    for (size_t i = 0; i < w->len; i++)
        if (w->msg[i] == '\n' || w->msg[i] == '\r')
            w->msg[i] = ' ';
    w->msg[w->len++] = '\n';
    size_t off = 0;
    while (off < w->len && !w->stopping) {
        ssize_t n = send(w->fds[1], w->msg + off, w->len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            w->st.dropped++;
            break;
        }
        off += (size_t)n;
    }
    if (off == w->len) {
        w->st.messages++;
        w->st.bytes += w->len;
    }
    w->len = 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    (void)user;
    mrs_ris_ws *w = lws_context_user(lws_get_context(wsi));
    switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        w->st.connects++;
        atomic_fetch_add(&w->connected, 1);
        w->backoff_s = 0;
        w->next_sub = 0;
        w->len = 0;
        w->too_big = false;
        if (w->o.nsubscribe)
            lws_callback_on_writable(wsi);
        break;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        if (w->next_sub < w->o.nsubscribe) {
            const char *d = w->o.subscribe[w->next_sub++];
            size_t n = strlen(d) + sizeof "{\"type\":\"ris_subscribe\",\"data\":}";
            unsigned char *buf = malloc(LWS_PRE + n);
            if (!buf)
                return -1;
            int k = snprintf((char *)buf + LWS_PRE, n, "{\"type\":\"ris_subscribe\",\"data\":%s}", d);
            int wr = lws_write(wsi, buf + LWS_PRE, (size_t)k, LWS_WRITE_TEXT);
            free(buf);
            if (wr < k)
                return -1;
            if (w->next_sub < w->o.nsubscribe)
                lws_callback_on_writable(wsi);
        }
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (!w->too_big) {
            if (w->len + len + 1 > MAX_MESSAGE) {
                w->too_big = true;
                w->st.dropped++;
            } else {
                if (w->len + len + 1 > w->cap) {
                    size_t cap = w->cap ? w->cap : 4096;
                    while (cap < w->len + len + 1)
                        cap *= 2;
                    char *nb = realloc(w->msg, cap);
                    if (!nb) {
                        w->too_big = true;
                        w->st.dropped++;
                        break;
                    }
                    w->msg = nb;
                    w->cap = cap;
                }
                memcpy(w->msg + w->len, in, len);
                w->len += len;
            }
        }
        if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
            if (!w->too_big)
                deliver(w);
            w->len = 0;
            w->too_big = false;
        }
        break;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
    case LWS_CALLBACK_CLIENT_CLOSED:
        w->st.closes++;
        w->wsi = NULL;
        if (!w->stopping)
            schedule(w);
        break;
    default:
        break;
    }
    return 0;
}

static const struct lws_protocols protocols[] = {
    {"manrs-ris-live", callback, 0, 65536, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void *run(void *arg)
{
    mrs_ris_ws *w = arg;
    connect_now(&w->sul);
    while (!w->stopping)
        if (lws_service(w->ctx, 0) < 0)
            break;
    return NULL;
}

mrs_ris_ws *mrs_ris_ws_start(const mrs_ris_ws_opts *o, char *err, size_t errlen)
{
    mrs_ris_ws *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->o = *o;
    w->fds[0] = w->fds[1] = -1;
    char url[1300];
    snprintf(url, sizeof url, "%s", o->url);
    const char *prot, *ads, *path;
    if (lws_parse_uri(url, &prot, &ads, &w->port, &path) || (strcmp(prot, "ws") && strcmp(prot, "wss")) || !*ads) {
        snprintf(err, errlen, "%s: not a ws:// or wss:// URL", o->url);
        free(w);
        return NULL;
    }
    w->tls = !strcmp(prot, "wss");
    snprintf(w->host, sizeof w->host, "%s", ads);
    snprintf(w->path, sizeof w->path, "/%s", path);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, w->fds) < 0 ||
        fcntl(w->fds[0], F_SETFL, fcntl(w->fds[0], F_GETFL) | O_NONBLOCK) < 0) {
        snprintf(err, errlen, "socketpair: %s", strerror(errno));
        goto fail;
    }
    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.user = w;
    info.options = w->tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
    if (!(w->ctx = lws_create_context(&info))) {
        snprintf(err, errlen, "libwebsockets cannot start");
        goto fail;
    }
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        snprintf(err, errlen, "cannot start the client thread");
        lws_context_destroy(w->ctx);
        goto fail;
    }
    return w;
fail:
    if (w->fds[0] >= 0) {
        close(w->fds[0]);
        close(w->fds[1]);
    }
    free(w);
    return NULL;
}

int mrs_ris_ws_fd(const mrs_ris_ws *w) { return w->fds[0]; }
unsigned mrs_ris_ws_connects(mrs_ris_ws *w) { return atomic_load(&w->connected); }

void mrs_ris_ws_stop(mrs_ris_ws *w, mrs_ris_ws_stats *st)
{
    if (!w)
        return;
    atomic_store(&w->stopping, 1);
    shutdown(w->fds[0], SHUT_RDWR);     /* a thread blocked handing over a message gets an error */
    lws_cancel_service(w->ctx);
    pthread_join(w->thread, NULL);
    lws_context_destroy(w->ctx);
    if (st)
        *st = w->st;
    close(w->fds[0]);
    close(w->fds[1]);
    free(w->msg);
    free(w);
}
