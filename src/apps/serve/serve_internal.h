/*
 * serve_internal.h — what the files of `manrs serve` share (not an API):
 *   serve.c        the server: libmicrohttpd on the event loop, the routes, the
 *                  request's arguments and its reply, the view of the latest run
 *   serve_api.c    /api/v1/: JSON and CSV
 *   serve_pages.c  the pages (HTML, no script)
 *   serve_map.c    the world map: country shapes from world-atlas TopoJSON,
 *                  projected once at start, coloured per request
 *   serve_lg.c     the looking glass: /lg and /api/v1/lg over apps/lg.h
 */
#ifndef MANRS_SERVE_INTERNAL_H
#define MANRS_SERVE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "manrs/apps/lg.h"
#include "manrs/apps/serve.h"
#include "manrs/core/evloop.h"
#include "manrs/core/ratelog.h"
#include "manrs/output/report.h"

struct MHD_Daemon;
struct MHD_Connection;

typedef struct serve_map serve_map;

typedef struct srv {
    const serve_opts *o;
    mrs_evloop *loop;
    struct MHD_Daemon *mhd;
    int lfd;
    mrs_store *store;
    /* the latest complete run, loaded whole (landscape, high confidence), and
     * checked for a newer one at most once a second */
    mrs_report view;
    int64_t view_run;           /* 0: no complete run */
    uint64_t view_checked;      /* ms, 0 = never */
    uint64_t reopen_after;      /* ms: the store is opened again after a failure no sooner */
    /* per view, built on first use (the API answers from them): each network's
     * JSON object in rank order, and the network order per sort key and
     * direction */
    char **net_json;
    size_t *net_len;
    size_t *order[8][2];
    size_t *by_asn;             /* network indices by ASN */
    serve_map *map;             /* NULL: no map data */
    /* the looking glass: its inputs loaded and indexed once at start (NULL: not
     * configured) */
    struct mrs_obs_bundle *lgb;
    mrs_lg *lg;
    mrs_diag lg_kd, lg_md;      /* the loader's diagnostics */
    mrs_ratelog log;
    uint64_t requests, client_errors, server_errors;
} srv;

/* One request and its reply. */
typedef struct req {
    srv *s;
    struct MHD_Connection *c;
    const char *path;
    bool api;                   /* under /api/: errors as JSON */
    unsigned status;
    const char *type;           /* Content-Type */
    char *body;
    size_t len;
    FILE *f;                    /* open onto body while it is written */
    char location[160];         /* a redirect's target */
} req;

/* ---- serve.c */
/* Start the reply: status and Content-Type; returns the stream to write the
 * body to (NULL when out of memory: the request then fails with 500). */
FILE *req_reply(req *q, unsigned status, const char *type);
/* An error reply (JSON under /api/, else a page) with a one-line message. */
void req_error(req *q, unsigned status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A 303 redirect to a path of this site. */
void req_redirect(req *q, const char *path);
/* Query arguments. A number: absent -> def; not a decimal number within
 * [0, max] -> a 400 reply and false. Text: NULL when absent; longer than max or
 * not UTF-8 -> a 400 reply and *ok = false. */
bool req_uint(req *q, const char *name, uint64_t max, uint64_t def, uint64_t *out);
const char *req_text(req *q, const char *name, size_t max, bool *ok);
/* The report for ?run=N (the latest complete run without it): the cached view,
 * or a report loaded into *tmp (which this empties first; mrs_report_clear it
 * after use either way). NULL with a reply sent
 * (404 no such run, 503 no complete run yet, 500 store error). */
const mrs_report *req_run(req *q, mrs_report *tmp);
/* A path segment as an unsigned number (ASN or incident id; "AS" allowed when
 * as). false if it is not one, or above max. */
bool serve_parse_id(const char *s, bool as, uint64_t max, uint64_t *out);

/* ---- serve_api.c */
void api_runs(req *q);
void api_summary(req *q);
void api_networks(req *q, bool csv);
void api_network(req *q, uint32_t asn);
void api_incidents(req *q, bool csv);
void api_incident(req *q, uint64_t id);
void api_countries(req *q);

/* ---- serve_pages.c */
void page_overview(req *q);
void page_countries(req *q);
void page_networks(req *q);
void page_network(req *q, uint32_t asn);
void page_incidents(req *q);
void page_incident(req *q, uint64_t id);
void page_search(req *q);
void page_api(req *q);
void page_favicon(req *q);   /* an SVG icon, /favicon.svg and /favicon.ico */
/* A page's head (title, navigation; r: the run's line, or NULL) and foot. */
void page_head(FILE *f, const char *title, const mrs_report *r);
void page_foot(FILE *f);
/* An error page with one message. */
void page_error(FILE *f, unsigned status, const char *msg);

/* ---- shared by the API and the pages */
/* The networks of r in the order asked by ?sort= (rank, asn, country, a1..a4,
 * irr) and ?order= (asc, desc), filtered by ?country=: indices into r->nets,
 * *n of them (malloc'ed). NULL with a reply sent on a bad argument. */
size_t *serve_networks_order(req *q, const mrs_report *r, size_t *n, const char **sort, bool *desc);
/* The incidents of r filtered by ?class= and ?asn=, in the order of ?sort= (id,
 * start, duration, peers, class, prefix) and ?order= (pointers, malloc'ed). NULL
 * with a reply sent on a bad argument. */
const mrs_incident **serve_incidents_filter(req *q, const mrs_report *r, size_t *n, int *cls, uint32_t *asn,
                                            const char **sort, bool *desc);
/* The JSON object of network i of the view (rank order), rendered once; NULL
 * when out of memory. */
const char *serve_network_json(srv *s, size_t i, size_t *len);
/* An incident of r by id (binary search: r's incidents are ordered by id). */
const mrs_incident *serve_incident_find(const mrs_report *r, uint64_t id);
/* A network's rank in the view (1-based), 0 if absent. */
size_t serve_rank(srv *s, uint32_t asn);

/* ---- serve_lg.c */
/* Load o->lg_inputs and index them (nothing when there are none). 0, or -1 after
 * saying why on stderr. */
int serve_lg_open(srv *s);
void serve_lg_close(srv *s);
#define SERVE_LG_LIMIT_MAX 1000u     /* ?limit= at most (and the API's default) */
#define SERVE_LG_PAGE_LIMIT 100u     /* the page's default limit */
#define SERVE_LG_PATH_MAX 256u       /* ?path= at most this many bytes */
/* The query of ?prefix= &match= &origin= &transit= &path= &at= &from= &to=
 * &limit= (empty values are absent) into *lq; *re is compiled when ?path= is
 * given (then *have_re; regfree it). text (n bytes) gets the query as the JSON
 * document's "query". Returns 1 with a query, 0 when no criterion was given, -1
 * with a 400 reply sent. */
int serve_lg_query(req *q, mrs_lg_query *lq, regex_t *re, bool *have_re, size_t limit_def, char *text, size_t n);
void api_lg(req *q);
void page_lg(req *q);

/* ---- serve_map.c */
/* Load the shapes; NULL (and a note on stderr) when the files are not there or
 * cannot be read: the countries page then has no map. */
serve_map *serve_map_load(const char *topojson, const char *iso_codes);
void serve_map_free(serve_map *m);
size_t serve_map_countries(const serve_map *m);
/* The map as inline SVG, each country coloured by the share of its networks
 * ready in `action` (1..4), linked to its networks. */
void serve_map_svg(FILE *f, const serve_map *m, const mrs_report *r, int action);

#endif
