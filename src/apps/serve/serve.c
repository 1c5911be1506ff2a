/*
 * serve.c — the web observatory's server (serve.h): libmicrohttpd in its
 * external-epoll mode on the one event loop (its epoll descriptor watched for
 * reading, MHD_run on readiness and on a timer for its timeouts), GET and HEAD
 * only, a fixed table of routes; every reply built whole in memory, then handed
 * to MHD. The store is read through one read-only handle from this one thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "manrs/core/json_out.h"
#include "manrs/core/utf8.h"
#include "manrs/output/html.h"
#include "serve_internal.h"

#define TICK_MS 250u
#define VIEW_CHECK_MS 1000u
#define REOPEN_MS 5000u   /* a store that failed is opened again at most this often */
#define LOG_LINES 30u
#define LOG_INTERVAL_MS 10000u

/* No request leaves the machine, whatever a page holds (serve.h). */
static const char CSP[] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
                          "base-uri 'none'; frame-ancestors 'none'";

/* ------------------------------------------------------------------ replies */

FILE *req_reply(req *q, unsigned status, const char *type)
{
    if (q->f) {   /* an earlier reply is replaced */
        fclose(q->f);
        free(q->body);
        q->f = NULL;
        q->body = NULL;
    }
    q->status = status;
    q->type = type;
    q->len = 0;
    q->f = open_memstream(&q->body, &q->len);
    return q->f;
}

void req_error(req *q, unsigned status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    FILE *f = req_reply(q, status, q->api ? "application/json" : "text/html; charset=utf-8");
    if (!f)
        return;
    if (q->api) {
        fprintf(f, "{\"error\": {\"status\": %u, \"message\": ", status);
        mrs_json_fcstr(f, msg);
        fputs("}}\n", f);
    } else
        page_error(f, status, msg);
}

void req_redirect(req *q, const char *path)
{
    snprintf(q->location, sizeof q->location, "%s", path);
    FILE *f = req_reply(q, MHD_HTTP_SEE_OTHER, "text/html; charset=utf-8");
    if (f) {
        fputs("<!DOCTYPE html><title>see other</title><a href=\"", f);
        mrs_html_text(f, path);
        fputs("\">here</a>\n", f);
    }
}

/* ------------------------------------------------------------------ arguments */

/* A query argument's value; *nul when it holds a NUL byte (%00: the C string
 * would silently end there). */
static const char *arg(req *q, const char *name, bool *nul)
{
    const char *v = NULL;
    size_t n = 0;
    *nul = false;
    if (MHD_lookup_connection_value_n(q->c, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v, &n) != MHD_YES)
        return NULL;
    *nul = v && strlen(v) != n;
    return v;
}

bool req_uint(req *q, const char *name, uint64_t max, uint64_t def, uint64_t *out)
{
    bool nul;
    const char *v = arg(q, name, &nul);
    if (!nul && (!v || !*v)) {
        *out = def;
        return true;
    }
    uint64_t x = 0;
    size_t i = 0;
    for (; v[i] >= '0' && v[i] <= '9' && i < 20; i++) {
        uint64_t d = (uint64_t)(v[i] - '0');
        if (d > max || x > (max - d) / 10) {
            i = 21;   /* out of range */
            break;
        }
        x = x * 10 + d;
    }
    if (nul || i == 0 || v[i]) {
        req_error(q, MHD_HTTP_BAD_REQUEST, "%s: a whole number from 0 to %" PRIu64 " is expected", name, max);
        return false;
    }
    *out = x;
    return true;
}

const char *req_text(req *q, const char *name, size_t max, bool *ok)
{
    bool nul;
    const char *v = arg(q, name, &nul);
    *ok = true;
    if (!v && !nul)
        return NULL;
    size_t n = v ? strlen(v) : 0;
    bool good = !nul && n <= max;
    for (size_t i = 0; good && i < n;) {
        unsigned char c = (unsigned char)v[i];
        if (c < 0x20 || c == 0x7f)
            good = false;
        else if (c < 0x80)
            i++;
        else {
            size_t k = mrs_utf8_len((const unsigned char *)v + i, n - i);
            good = k > 0;
            i += k;
        }
    }
    if (!good) {
        req_error(q, MHD_HTTP_BAD_REQUEST, "%s: at most %zu characters of UTF-8 text, no control characters",
                  name, max);
        *ok = false;
        return NULL;
    }
    return v;
}

bool serve_parse_id(const char *s, bool as, uint64_t max, uint64_t *out)
{
    if (as && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's'))
        s += 2;
    uint64_t x = 0;
    size_t i = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++) {
        if (i >= 20)
            return false;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (d > max || x > (max - d) / 10)
            return false;
        x = x * 10 + d;
    }
    if (i == 0 || s[i])
        return false;
    *out = x;
    return true;
}

/* ------------------------------------------------------------------ the view */

static void view_cache_clear(srv *s)
{
    if (s->net_json)
        for (size_t i = 0; i < s->view.n_nets; i++)
            free(s->net_json[i]);
    free(s->net_json);
    free(s->net_len);
    s->net_json = NULL;
    s->net_len = NULL;
    for (int k = 0; k < 8; k++)
        for (int d = 0; d < 2; d++) {
            free(s->order[k][d]);
            s->order[k][d] = NULL;
        }
    free(s->by_asn);
    s->by_asn = NULL;
}

const char *serve_network_json(srv *s, size_t i, size_t *len)
{
    if (!s->net_json) {
        s->net_json = calloc(s->view.n_nets ? s->view.n_nets : 1, sizeof *s->net_json);
        s->net_len = calloc(s->view.n_nets ? s->view.n_nets : 1, sizeof *s->net_len);
        if (!s->net_json || !s->net_len) {
            free(s->net_json);
            free(s->net_len);
            s->net_json = NULL;
            s->net_len = NULL;
            return NULL;
        }
    }
    if (!s->net_json[i]) {
        FILE *f = open_memstream(&s->net_json[i], &s->net_len[i]);
        if (!f)
            return NULL;
        mrs_report_json_network(f, &s->view.nets[i], i + 1);
        if (fclose(f) != 0) {
            free(s->net_json[i]);
            s->net_json[i] = NULL;
            return NULL;
        }
    }
    *len = s->net_len[i];
    return s->net_json[i];
}

/* After a store failure: the store opened again (a PostgreSQL server restarted
 * or a connection cut: libpq does not reconnect by itself), at most every
 * REOPEN_MS, the view served meanwhile. The open blocks the loop for at most the
 * connect timeout (5 s, a server that does not answer); a refused connection
 * returns at once. */
static void store_reopen(srv *s, uint64_t now)
{
    if (now < s->reopen_after)
        return;
    s->reopen_after = now + REOPEN_MS;
    char err[512];
    mrs_store *n = mrs_store_open_readonly(s->o->db, err, sizeof err);
    if (!n) {
        mrs_ratelog_line(&s->log, "%s (serving run %" PRId64 " meanwhile; again in %u s)", err, s->view_run,
                         REOPEN_MS / 1000);
        return;
    }
    mrs_store_close(s->store);
    s->store = n;
    mrs_ratelog_line(&s->log, "%s: opened again", mrs_store_name(n));
}

/* Keep the view on the latest complete run: looked up at most once a second. */
static void view_refresh(srv *s)
{
    uint64_t now = mrs_evloop_now(s->loop);
    if (s->view_checked && now - s->view_checked < VIEW_CHECK_MS)
        return;
    s->view_checked = now ? now : 1;
    int64_t latest = mrs_store_latest_complete(s->store);
    if (latest < 0) {
        mrs_ratelog_line(&s->log, "%s", mrs_store_errmsg(s->store)); /* it starts with the store's name */
        store_reopen(s, now);
        if ((latest = mrs_store_latest_complete(s->store)) < 0)
            return;
    }
    if (latest == s->view_run)
        return;
    mrs_report r;
    mrs_report_opts o;
    memset(&o, 0, sizeof o);
    char err[512];
    if (latest && mrs_report_load(s->store, mrs_store_name(s->store), latest, &o, &r, err, sizeof err) != 0) {
        mrs_ratelog_line(&s->log, "run %" PRId64 ": %s (still serving run %" PRId64 ")", latest, err, s->view_run);
        return;
    }
    view_cache_clear(s);
    if (s->view_run)
        mrs_report_clear(&s->view);
    s->view_run = latest;
    if (latest) {
        s->view = r;
        mrs_ratelog_line(&s->log, "serving run %" PRId64 ": %zu networks, %zu incidents", latest, s->view.n_nets,
                         s->view.inc.n);
    }
}

const mrs_report *req_run(req *q, mrs_report *tmp)
{
    srv *s = q->s;
    memset(tmp, 0, sizeof *tmp);
    view_refresh(s);
    uint64_t run;
    if (!req_uint(q, "run", INT64_MAX, 0, &run))
        return NULL;
    if (!run || (int64_t)run == s->view_run) {
        if (!s->view_run) {
            req_error(q, MHD_HTTP_SERVICE_UNAVAILABLE, "the store has no complete run yet");
            return NULL;
        }
        return &s->view;
    }
    mrs_run_info ri;
    int rc = mrs_store_run(s->store, (int64_t)run, &ri);
    if (rc == 1) {
        req_error(q, MHD_HTTP_NOT_FOUND, "no run %" PRIu64 " in the store", run);
        return NULL;
    }
    if (rc == 0)
        mrs_run_info_clear(&ri);
    mrs_report_opts o;
    memset(&o, 0, sizeof o);
    char err[512];
    if (rc != 0 || mrs_report_load(s->store, mrs_store_name(s->store), (int64_t)run, &o, tmp, err, sizeof err) != 0) {
        req_error(q, MHD_HTTP_INTERNAL_SERVER_ERROR, "the store could not be read");
        mrs_ratelog_line(&s->log, "run %" PRIu64 ": %s", run, rc ? mrs_store_errmsg(s->store) : err);
        return NULL;
    }
    return tmp;
}

/* ------------------------------------------------------------------ routes */

/* "/networks/64500" with base "/networks/": the rest, or NULL. The rest must be
 * one segment. */
static const char *segment(const char *path, const char *base)
{
    size_t n = strlen(base);
    if (strncmp(path, base, n) || !path[n] || strchr(path + n, '/'))
        return NULL;
    return path + n;
}

static void route(req *q)
{
    const char *p = q->path, *id;
    uint64_t n;
    q->api = !strncmp(p, "/api/", 5) && strcmp(p, "/api/");
    /* the latest run, and the store opened again if it failed (at most once a
     * second): whatever the page, it reads a store that works when one does */
    view_refresh(q->s);
    if (!strcmp(p, "/"))
        page_overview(q);
    else if (!strcmp(p, "/countries"))
        page_countries(q);
    else if (!strcmp(p, "/networks"))
        page_networks(q);
    else if (!strcmp(p, "/incidents"))
        page_incidents(q);
    else if (!strcmp(p, "/search"))
        page_search(q);
    else if (!strcmp(p, "/lg"))
        page_lg(q);
    else if (!strcmp(p, "/api") || !strcmp(p, "/api/"))
        page_api(q);
    else if (!strcmp(p, "/favicon.svg") || !strcmp(p, "/favicon.ico"))
        page_favicon(q);
    else if ((id = segment(p, "/networks/")))
        serve_parse_id(id, true, UINT32_MAX, &n) ? page_network(q, (uint32_t)n)
                                                 : req_error(q, MHD_HTTP_NOT_FOUND, "no such network");
    else if ((id = segment(p, "/incidents/")))
        serve_parse_id(id, false, INT64_MAX, &n) ? page_incident(q, n)
                                                 : req_error(q, MHD_HTTP_NOT_FOUND, "no such incident");
    else if (!strcmp(p, "/api/v1/runs"))
        api_runs(q);
    else if (!strcmp(p, "/api/v1/summary"))
        api_summary(q);
    else if (!strcmp(p, "/api/v1/networks") || !strcmp(p, "/api/v1/networks.csv"))
        api_networks(q, p[16] == '.');
    else if (!strcmp(p, "/api/v1/incidents") || !strcmp(p, "/api/v1/incidents.csv"))
        api_incidents(q, p[17] == '.');
    else if (!strcmp(p, "/api/v1/countries"))
        api_countries(q);
    else if (!strcmp(p, "/api/v1/lg"))
        api_lg(q);
    else if ((id = segment(p, "/api/v1/networks/")))
        serve_parse_id(id, true, UINT32_MAX, &n) ? api_network(q, (uint32_t)n)
                                                 : req_error(q, MHD_HTTP_NOT_FOUND, "no such network");
    else if ((id = segment(p, "/api/v1/incidents/")))
        serve_parse_id(id, false, INT64_MAX, &n) ? api_incident(q, n)
                                                 : req_error(q, MHD_HTTP_NOT_FOUND, "no such incident");
    else
        req_error(q, MHD_HTTP_NOT_FOUND, "no such page");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version, (void)upload_data, (void)con_cls;
    srv *s = cls;
    req q;
    memset(&q, 0, sizeof q);
    q.s = s;
    q.c = c;
    q.path = url ? url : "";
    s->requests++;
    if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
        *upload_size = 0;
        q.api = !strncmp(q.path, "/api/", 5);
        req_error(&q, MHD_HTTP_METHOD_NOT_ALLOWED, "%s: only GET and HEAD are served", method);
    } else {
        /* MHD has decoded the path (%xx): whatever it now holds (../, NUL cut,
         * bytes that are not UTF-8) only ever matches a route or is a 404 */
        route(&q);
    }
    if (q.f && fclose(q.f) != 0) {
        free(q.body);
        q.body = NULL;
    }
    q.f = NULL;
    if (!q.body) {   /* out of memory building the reply */
        q.status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        q.type = "text/plain";
        q.body = strdup("out of memory\n");
        q.len = q.body ? strlen(q.body) : 0;
    }
    if (q.status >= 500)
        s->server_errors++;
    else if (q.status >= 400)
        s->client_errors++;
    struct MHD_Response *r = MHD_create_response_from_buffer(q.len, q.body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(q.body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, q.type ? q.type : "text/plain");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_SECURITY_POLICY, CSP);
    MHD_add_response_header(r, MHD_HTTP_HEADER_X_CONTENT_TYPE_OPTIONS, "nosniff");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    if (q.api)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    if (q.status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (q.location[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, q.location);
    enum MHD_Result ret = MHD_queue_response(c, q.status, r);
    MHD_destroy_response(r);
    return ret;
}

/* ------------------------------------------------------------------ the loop */

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    srv *s = cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = 0;
    mrs_ratelog_line(&s->log, "http: %s", msg);
}

static void on_mhd(mrs_evloop *l, int fd, unsigned events, void *user)
{
    (void)l, (void)fd, (void)events;
    srv *s = user;
    MHD_run(s->mhd);
}

static void on_tick(mrs_evloop *l, void *user)
{
    (void)l;
    srv *s = user;
    MHD_run(s->mhd);   /* timeouts of idle connections */
    mrs_ratelog_roll(&s->log, false);
}

/* The server without its loop running: store, map, view, MHD on a listener of
 * o->listen (listen), or none (connections handed in with serve_add_connection). */
static srv *serve_open(const serve_opts *o, bool listen)
{
    srv *s = calloc(1, sizeof *s);
    if (!s) {
        fprintf(stderr, "manrs serve: out of memory\n");
        return NULL;
    }
    s->o = o;
    s->lfd = -1;
    mrs_ratelog_init(&s->log, "manrs serve", LOG_LINES, LOG_INTERVAL_MS);
    char err[512];
    if (!(s->store = mrs_store_open_readonly(o->db, err, sizeof err))) {
        fprintf(stderr, "manrs serve: %s\n", err);
        free(s);
        return NULL;
    }
    s->map = serve_map_load(o->map ? o->map : SERVE_MAP_DEFAULT, o->iso_codes ? o->iso_codes : SERVE_ISO_DEFAULT);
    if (serve_lg_open(s) != 0)
        goto fail;
    if (!(s->loop = mrs_evloop_new())) {
        fprintf(stderr, "manrs serve: cannot set up the event loop: %s\n", strerror(errno));
        goto fail;
    }
    const char *addr = o->listen ? o->listen : "127.0.0.1:8080";
    /* mrs_server_listen watches the listener itself; MHD accepts, so it is
     * handed over and no longer watched by the loop */
    if (listen) {
        if ((s->lfd = mrs_server_listen(s->loop, "manrs serve", addr, on_mhd, s)) < 0)
            goto fail;
        mrs_evloop_unwatch(s->loop, s->lfd);
    }
    unsigned max = o->max_clients ? o->max_clients : 1024;
    unsigned timeout = o->timeout_s ? o->timeout_s : 30;
    if (listen)
        s->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, s,
                                  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)s->lfd,
                                  MHD_OPTION_CONNECTION_LIMIT, max, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
                                  MHD_OPTION_PER_IP_CONNECTION_LIMIT, max, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                                  (size_t)64 * 1024, MHD_OPTION_END);
    else
        s->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET, 0, NULL,
                                  NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
                                  MHD_OPTION_CONNECTION_LIMIT, max, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
                                  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_END);
    const union MHD_DaemonInfo *di = s->mhd ? MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
    if (!di || mrs_evloop_watch(s->loop, di->epoll_fd, MRS_EV_READ, on_mhd, s) < 0 ||
        mrs_evloop_timer(s->loop, TICK_MS, on_tick, s) < 0) {
        fprintf(stderr, "manrs serve: cannot start the HTTP server on %s\n", addr);
        goto fail;
    }
    view_refresh(s);
    return s;
fail:
    serve_close(s);
    return NULL;
}

void serve_close(srv *s)
{
    if (!s)
        return;
    if (s->mhd)
        MHD_stop_daemon(s->mhd);   /* closes the listener it was handed */
    else if (s->lfd >= 0)
        close(s->lfd);
    mrs_evloop_free(s->loop);
    mrs_ratelog_roll(&s->log, true);
    view_cache_clear(s);
    if (s->view_run)
        mrs_report_clear(&s->view);
    serve_map_free(s->map);
    serve_lg_close(s);
    mrs_store_close(s->store);
    free(s);
}

srv *serve_open_unbound(const serve_opts *o)
{
    return serve_open(o, false);
}

int serve_add_connection(srv *s, int fd)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return MHD_add_connection(s->mhd, fd, (const struct sockaddr *)&sa, sizeof sa) == MHD_YES ? 0 : -1;
}

void serve_step(srv *s)
{
    MHD_run(s->mhd);
}

int serve_run(const serve_opts *o)
{
    srv *s = serve_open(o, true);
    if (!s)
        return 1;
    int rc = 1;
    const char *addr = o->listen ? o->listen : "127.0.0.1:8080";
    fprintf(stderr, "manrs serve: %s: %s; %s; %s; listening on %s (port %d)\n", mrs_store_name(s->store),
            s->view_run ? "latest complete run loaded" : "no complete run yet",
            s->map ? "world map loaded" : "no world map", s->lg ? "looking glass ready" : "no looking glass", addr,
            mrs_sock_port(s->lfd));
    if (o->port_file && mrs_server_port_file("manrs serve", s->lfd, o->port_file) < 0)
        goto out;
    if (mrs_evloop_run(s->loop) < 0) {
        fprintf(stderr, "manrs serve: event loop failed: %s\n", strerror(errno));
        goto out;
    }
    fprintf(stderr, "manrs serve: %" PRIu64 " requests answered: %" PRIu64 " client errors, %" PRIu64
                    " server errors\n",
            s->requests, s->client_errors, s->server_errors);
    rc = 0;
out:
    serve_close(s);
    return rc;
}
