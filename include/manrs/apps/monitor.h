/*
 * monitor.h — `manrs monitor`: BGPalerter-class monitoring of one's own
 * resources. This part: the configuration, read from BGPalerter's own
 * prefixes.yml format unchanged, so that an operator switches with the file
 * they have:
 *
 *   203.0.113.0/24:              # a prefix monitored, and its more-specifics
 *     description: web farm
 *     asn: 64500                 # the origins allowed: one ASN or a list
 *     ignoreMorespecifics: false # more-specifics are not alerted on
 *     ignore: false              # the prefix is listed but not monitored
 *     group: noc                 # where its alerts go (channels)
 *     path:                      # path rules: alert on routes whose AS path matches
 *       - match: ".*64501,64500$"
 *         notMatch: ".*64666.*"
 *         matchDescription: via the backup upstream
 *         minLength: 2
 *         maxLength: 8
 *   options:
 *     monitorASns:
 *       '64500':                 # prefixes this AS announces that are not listed
 *         group: noc             # are alerted on ("new prefix")
 *         upstreams: [64501]     # neighbours on its left in AS paths; others alerted
 *         downstreams: [64510]   # and on its right
 *
 * Problems are reported as "FILE:LINE: what": a bad prefix or ASN skips its
 * entry (counted), a bad path rule (a regular expression that does not compile)
 * skips that rule, an unknown key is a warning, a file that is not YAML, or not a
 * mapping, fails the load.
 */
#ifndef MANRS_APPS_MONITOR_H
#define MANRS_APPS_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <regex.h>

#include "manrs/core/diag.h"
#include "manrs/core/prefix.h"

/* A BGPalerter path rule: an alert when a route of the prefix has an AS path
 * (its AS_SEQUENCE as "A,B,C", neighbour first) that matches `match`, does not
 * match `notMatch` (POSIX extended regular expressions) and has between minLength
 * and maxLength ASes. */
typedef struct mon_path_rule {
    char *description;          /* matchDescription, "" when absent */
    regex_t match, not_match;
    bool has_match, has_not_match;
    unsigned min_len, max_len;  /* 0: no bound */
    unsigned line;
} mon_path_rule;

typedef struct mon_prefix {
    mrs_prefix prefix;
    mon_path_rule *paths;       /* path rules */
    size_t npaths;
    uint32_t *asns;             /* the origins allowed */
    size_t nasns;
    char *description, *group;  /* never NULL after a load ("" / "default") */
    bool ignore_more_specifics, ignore;
    unsigned line;              /* in the file */
} mon_prefix;

typedef struct mon_asn {
    uint32_t asn;
    char *group;
    unsigned line;
    uint32_t *upstreams, *downstreams;  /* neighbour alerts when given (BGPalerter's lists) */
    size_t nupstreams, ndownstreams;
    bool has_upstreams, has_downstreams;
} mon_asn;

typedef struct mon_config {
    mon_prefix *prefixes;
    size_t nprefixes;
    mon_asn *asns;              /* options.monitorASns */
    size_t nasns;
    size_t skipped;             /* entries skipped as malformed */
} mon_config;

/* Load a prefixes.yml (any compression). 0, or -1 when the file cannot be read
 * or parsed at all (reported). Entries are sorted by prefix. */
int mon_config_load(const char *path, mon_config *c, mrs_diag *d);
int mon_config_load_mem(const char *buf, size_t len, const char *name, mon_config *c, mrs_diag *d);
void mon_config_clear(mon_config *c);

/* ------------------------------------------------------------------ engine
 *
 * The monitor reads neutral route events (any feed: MRT files replayed, BMP,
 * RIS Live) and keeps, for the routes that concern the configuration, which peer
 * holds which route. An alert is a condition held by at least min_peers peers;
 * it is raised once when it starts and "resolved" once when it ends (no peer
 * holds it any more), whatever the number of updates in between:
 *
 *   hijack            a monitored prefix, or a more-specific of it (unless
 *                     ignoreMorespecifics), announced with an origin not listed
 *   newprefix         a more-specific of a monitored prefix announced by a listed
 *                     origin (unless ignoreMorespecifics): a change of configuration?
 *   misconfiguration  a monitored AS (options.monitorASns) announcing a prefix the
 *                     file does not list
 *   visibility        a monitored prefix withdrawn at (or lost with the session
 *                     of) min_peers peers that had it
 *   rpki              with VRPs: a route of a listed origin (or of a monitored AS)
 *                     that is RPKI invalid, or not covered by any ROA (RFC 6811), or
 *                     valid only through ROAs that expire within roa_expiry_s
 *   bogon             such a route for a bogon prefix, or with a bogon AS in its path
 *   leak              such a route whose path is a route leak (RFC 7908): ASPA
 *                     verification Invalid (downstream procedure: no false alarm
 *                     whatever the peer's relationship), or, with AS relationships,
 *                     a valley whose every link is known and that the routes of the
 *                     RIB snapshots read first did not already show (standing
 *                     practice is not a new leak); asn: the leaking AS
 *   neighbor          a monitored AS with upstreams/downstreams lists seen with a
 *                     neighbour not listed (asn: that neighbour)
 *   path              a route of a prefix matching one of its path rules (asn: the
 *                     origin; the description names the rule)
 */

#include "manrs/feeds/route_event.h"

struct mrs_rpki;
struct mrs_asrel;
struct mrs_bogon_set;

typedef struct mon_opts {
    unsigned min_peers;             /* 0 = 2 */
    const struct mrs_rpki *rpki;    /* built; NULL: no rpki alerts (and no ASPA) */
    unsigned repeat_s;              /* an alert still active is said again after this many seconds
                                       (of the feed's time: event times, or mon_engine_tick); 0 = never */
    const struct mrs_asrel *asrel;  /* AS relationships for leak alerts; NULL: ASPA only */
    const struct mrs_bogon_set *bogons; /* bogon prefixes; NULL: none (bogon ASNs: the built-in table) */
    unsigned roa_expiry_s;          /* rpki alert when the VRPs that make one's own route valid all end
                                       within this many seconds (their ends known: rpki-client's
                                       "expires"); 0 = never */
} mon_opts;

typedef struct mon_alert {
    const char *type;               /* "hijack", "newprefix", "misconfiguration", "visibility", "rpki",
                                       "bogon", "leak", "neighbor", "path" */
    mrs_prefix prefix;              /* the prefix announced (or withdrawn; neighbor, leak: the first one) */
    uint32_t asn;                   /* the offending AS (visibility: the prefix's first listed origin) */
    uint32_t as2;                   /* neighbor: the monitored AS; leak: the AS the leaker had it from */
    uint32_t time;                  /* of the event that raised or resolved it */
    unsigned peers;                 /* peers holding the condition now */
    bool resolved;
    const char *description;        /* one sentence, BGPalerter style */
    const mon_prefix *rule;         /* the entry concerned, NULL for misconfiguration */
    const char *group;              /* the entry's (or the monitored AS's) group */
    const mrs_route_event *ev;      /* the event that raised or resolved it (NULL: a repeat, or new VRPs) */
    bool repeated;                  /* said again: still active after repeat_s */
} mon_alert;

typedef void (*mon_alert_fn)(const mon_alert *a, void *user);

typedef struct mon_stats {
    uint64_t events, relevant;      /* events read; of which concerning the configuration */
    uint64_t raised, resolved, repeated;
    size_t held;                    /* routes held */
} mon_stats;

typedef struct mon_engine mon_engine;

/* c and o->rpki must outlive the engine. NULL when out of memory. */
mon_engine *mon_engine_new(const mon_config *c, const mon_opts *o, mon_alert_fn fn, void *user);
/* A mrs_route_event_fn: pass the engine as user. */
void mon_engine_event(const mrs_route_event *ev, void *engine);
mon_stats mon_engine_stats(const mon_engine *e);
/* New VRPs (and ASPAs), e.g. from an RTR session: the RPKI state of one's own
 * routes held is checked again at once (a ROA that disappears raises "rpki";
 * alerts so raised or resolved have no event, their time is now). The caller
 * frees the previous set after the call. */
void mon_engine_set_rpki(mon_engine *e, const struct mrs_rpki *rpki, uint32_t now);
/* The feed's clock moved to now without an event (a quiet live feed): repeats due. */
void mon_engine_tick(mon_engine *e, uint32_t now);
/* Alerts active now (for summaries): calls fn for each. */
void mon_engine_active(const mon_engine *e, mon_alert_fn fn, void *user);
void mon_engine_free(mon_engine *e);

/* One alert as a JSON object on one line (JSON Lines): type, prefix, asn, time
 * (RFC 3339 UTC), description, resolved, peers, group, monitored (the entry's
 * prefix), expected (its origins), and the evidence (source, offset, peer, path). */
struct mrs_outbuf;
void mon_alert_json(struct mrs_outbuf *o, const mon_alert *a);

/* ------------------------------------------------------------------ channels
 *
 * Webhooks (HTTP POST of {"text": "...", "alert": {...}}: the "text" member is
 * what Slack, Mattermost and Microsoft Teams incoming webhooks show) and e-mail
 * (SMTP, one message per alert), delivered by libcurl on a thread of their own
 * so that a slow receiver never delays the feeds: alerts wait in a bounded queue
 * (full: dropped and counted). A target "GROUP=URL" (or "GROUP=ADDRESS") only
 * gets the alerts of that group (prefixes.yml `group`). */

typedef struct mon_notify_opts {
    const char *const *webhooks;    /* "[GROUP=]URL" */
    size_t nwebhooks;
    const char *smtp_url;           /* "smtp://HOST:PORT" (or smtps://) */
    const char *mail_from;
    const char *const *mail_to;     /* "[GROUP=]ADDRESS" */
    size_t nmail_to;
    unsigned timeout_s;             /* per delivery; 0 = 10 */
    size_t queue_max;               /* 0 = 1000 */
} mon_notify_opts;

typedef struct mon_notify_stats {
    uint64_t sent, failed, dropped;
} mon_notify_stats;

typedef struct mon_notify mon_notify;

/* NULL with the reason in err (libcurl cannot start, no memory). */
mon_notify *mon_notify_start(const mon_notify_opts *o, char *err, size_t errlen);
/* Queue an alert for every target of its group (formatted now, sent later). */
void mon_notify_alert(mon_notify *n, const mon_alert *a);
mon_notify_stats mon_notify_get_stats(mon_notify *n);
/* Deliver what is queued (at most drain_s seconds more), stop the thread, free. */
void mon_notify_stop(mon_notify *n, unsigned drain_s, mon_notify_stats *st);

/* ------------------------------------------------------------------ /metrics
 * A Prometheus endpoint (GET /metrics, text format 0.0.4) on the monitor's event
 * loop; fn writes the metrics. */
struct mrs_evloop;
typedef struct mon_metrics mon_metrics;
typedef void (*mon_metrics_fn)(struct mrs_outbuf *o, void *user);
mon_metrics *mon_metrics_new(struct mrs_evloop *l, const char *listen, mon_metrics_fn fn, void *user, char *err,
                             size_t errlen);
int mon_metrics_fd(const mon_metrics *m);
void mon_metrics_tick(mon_metrics *m);      /* once a second: slow scrapers closed */
void mon_metrics_free(mon_metrics *m);
/* A request head: 0 incomplete, 200 GET /metrics, 201 HEAD /metrics, 400, 404, 405. */
int mon_http_request(const char *buf, size_t len);

/* ------------------------------------------------------------------ the command */

typedef struct monitor_opts {
    const char *config;                     /* prefixes.yml */
    const char *const *mrt;                 /* MRT files replayed as a feed: RIB dumps first, then */
    size_t nmrt;                            /* the rest by their first record's time */
    const char *const *ris_live;            /* RIS Live JSON lines files ("-" = stdin), replayed */
    size_t nris;                            /* with the MRT files in time order */
    const char *const *follow;              /* MRT files followed as they grow, or directories whose */
    size_t nfollow;                         /* new files are read as they appear (mrt.h), live */
    const char *const *ris_ws;              /* RIS Live WebSocket URLs (ws://, wss://), live */
    size_t nris_ws;
    const char *bmp_listen;                 /* "ADDR:PORT": routers' BMP, live; NULL = none */
    const char *port_file;                  /* the BMP listener's port, once listening */
    unsigned timeout_s;                     /* BMP: unfinished message (0 = 60) */
    const char *const *vrps;                /* VRP files (rpki alerts) */
    size_t nvrps;
    const char *const *rtr;                 /* RTR caches "HOST:PORT" (fetched once) */
    size_t nrtr;
    unsigned min_peers;                     /* 0 = 2 */
    const char *asrel;                      /* AS relationships (leak alerts), or NULL */
    const char *const *bogons;              /* bogon lists on top of the built-in registries */
    size_t nbogons;
    const char *output;                     /* alerts appended to this file too (JSON Lines) */
    bool syslog;                            /* and to syslog(3), facility daemon */
    const char *syslog_server;              /* and to a syslog server "HOST:PORT" over UDP (RFC 5424, 5426) */
    bool quiet;                             /* not to stdout */
    mon_notify_opts notify;                 /* webhooks and e-mail */
    const char *metrics_listen;             /* "ADDR:PORT" of /metrics (live feeds only); NULL = none */
    unsigned roa_expiry_s;                  /* see mon_opts; 0 = never */
    unsigned repeat_s;                      /* an alert still active is repeated this often
                                               (its time: the feed's); 0 = never */
} monitor_opts;

/* Replay the files, then (with bmp_listen) go on live until SIGINT/SIGTERM.
 * Returns 0; 1 when the configuration or an input cannot be used, or input was
 * damaged (reported). */
int monitor_run(const monitor_opts *o);

#endif
