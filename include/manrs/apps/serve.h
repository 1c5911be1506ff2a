/*
 * serve.h — `manrs serve`: the web observatory over an observatory store
 * (store.h): pages for people and a JSON API (/api/v1/, docs/api.md) for
 * programs, from one HTTP server (libmicrohttpd, driven by the one event loop
 * of core/evloop.h: its epoll descriptor is watched like any other).
 *
 * The store is opened read-only; a newer complete run written by `manrs
 * observe` while serving is picked up within a second. What is published is
 * what the observatory publishes: high-confidence incidents only.
 * No request leaves the machine: pages use no script, font or image from
 * elsewhere (and say so in their Content-Security-Policy).
 */
#ifndef MANRS_APPS_SERVE_H
#define MANRS_APPS_SERVE_H

#include <stddef.h>

struct mrs_obs_inputs;

typedef struct serve_opts {
    const char *db;             /* the store (required) */
    const char *listen;         /* "ADDR:PORT" (default 127.0.0.1:8080) */
    const char *port_file;      /* write the bound port here once listening, or NULL */
    const char *map;            /* world-atlas countries TopoJSON (NULL: SERVE_MAP_DEFAULT; none there: no map) */
    const char *iso_codes;      /* iso-codes' iso_3166-1.json (NULL: SERVE_ISO_DEFAULT) */
    unsigned max_clients;       /* concurrent connections (default 1024) */
    unsigned timeout_s;         /* an idle connection is closed after this (default 30) */
    /* The looking glass (/lg, /api/v1/lg; apps/lg.h): routing data and knowledge
     * loaded once at start with the observatory's loader, then indexed. NULL or
     * without routing data: no looking glass (the page says so, the API is 404). */
    const struct mrs_obs_inputs *lg_inputs;
} serve_opts;

#define SERVE_MAP_DEFAULT "/usr/local/share/manrs/countries-110m.json"
#define SERVE_ISO_DEFAULT "/usr/share/iso-codes/json/iso_3166-1.json"

/* Serve until SIGINT/SIGTERM. 0 after a clean stop, 1 when the store cannot be
 * opened, the looking glass's inputs cannot be loaded or the address not bound. */
int serve_run(const serve_opts *o);

/* For the fuzz target (fuzz/fuzz_serve_request.c): the server without a
 * listener or a running loop; connections (a socket of a socketpair) are handed
 * in, serve_step answers what is ready. NULL when the store cannot be opened. */
typedef struct srv serve_t;
serve_t *serve_open_unbound(const serve_opts *o);
int serve_add_connection(serve_t *s, int fd);
void serve_step(serve_t *s);
void serve_close(serve_t *s);

/* For the fuzz target (fuzz/fuzz_serve_map.c): the world map from TopoJSON and
 * iso-codes JSON in memory; the number of countries drawn, -1 if refused. */
long serve_map_check(const char *topojson, size_t len, const char *iso_codes, size_t iso_len);

#endif
