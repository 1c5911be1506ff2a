/*
 * fetch.h — `manrs fetch`: the public inputs of the observatory, downloaded by
 * kind and time window into a cache directory that mirrors the sources' own
 * layouts, so that `manrs observe` can be pointed at what was fetched.
 *
 * Kinds and their layouts (a base URL can be replaced per kind: mirrors, tests):
 *
 *   ris-rib      https://data.ris.ripe.net/RRC/YYYY.MM/bview.YYYYMMDD.HHMM.gz     every 8 h
 *   ris-updates  https://data.ris.ripe.net/RRC/YYYY.MM/updates.YYYYMMDD.HHMM.gz   every 5 min
 *   rv-rib       https://archive.routeviews.org/[COLLECTOR/]bgpdata/YYYY.MM/RIBS/rib.YYYYMMDD.HHMM.bz2
 *                every 2 h (route-views2 has no collector directory)
 *   rv-updates   .../bgpdata/YYYY.MM/UPDATES/updates.YYYYMMDD.HHMM.bz2         every 15 min
 *   as-rel       https://publicdata.caida.org/datasets/as-relationships/serial-1/YYYYMM01.as-rel.txt.bz2
 *   as2org       https://publicdata.caida.org/datasets/as-organizations/YYYYMM01.as-org2info.txt.gz
 *                (quarterly: January, April, July, October)
 *   delegated    the five RIRs' delegated-extended "latest" files
 *   vrps         https://console.rpki-client.org/vrps.json (the current set)
 *   peeringdb    https://www.peeringdb.com/api/net and /api/org
 *   bogons       Team Cymru's fullbogons-ipv4.txt and fullbogons-ipv6.txt
 *   irr          IRR database dumps, by source (all three unless chosen):
 *                ripe  https://ftp.ripe.net/ripe/dbase/split/ripe.db.{aut-num,route,route6,
 *                      as-set,route-set,role}.gz
 *                radb  https://ftp.radb.net/radb/dbase/radb.db.gz
 *                arin  https://ftp.arin.net/pub/rr/arin.db.gz
 *                (three hosts: a replaced base URL serves each under BASE/HOST/PATH)
 *   spoofer      https://api.spoofer.caida.org/sessions (CAIDA Spoofer's session list as
 *                the API answers it without parameters: JSON-LD, its first page)
 *
 * Checksums: a kind may be checked against NAME.md5 next to each file (an MD5 in
 * the form of md5sum, BSD `MD5 (NAME) = HEX`, or the digest alone). By default
 * only delegated, whose RIRs publish delegated-*-extended-latest.md5; others on
 * request (fetch_opts.checksum). The .md5 is fetched when the file is whole; a
 * mismatch renames NAME.part to NAME.bad and is an error naming both digests; a
 * .md5 that is not there (404) is said once per kind and is not an error.
 *
 * Downloads: several at once (libcurl multi), each into NAME.part, resumed with a
 * Range request when a .part is there, renamed to NAME when complete; a body
 * shorter than its Content-Length, a status other than 200/206, a server that
 * sends nothing for `stall_s` seconds: an error naming the URL, the .part kept for
 * the next run, the other files go on. A file already complete is not fetched
 * again (except the "current" kinds: vrps, peeringdb, bogons, delegated, irr, spoofer, whose
 * URL does not change with time: they are fetched again when older than a day).
 */
#ifndef MANRS_APPS_FETCH_H
#define MANRS_APPS_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum fetch_kind {
    FETCH_RIS_RIB = 0,
    FETCH_RIS_UPDATES,
    FETCH_RV_RIB,
    FETCH_RV_UPDATES,
    FETCH_ASREL,
    FETCH_AS2ORG,
    FETCH_DELEGATED,
    FETCH_VRPS,
    FETCH_PEERINGDB,
    FETCH_BOGONS,
    FETCH_IRR,
    FETCH_SPOOFER,
    FETCH_KINDS,
} fetch_kind;

const char *fetch_kind_name(fetch_kind k);
bool fetch_kind_parse(const char *s, fetch_kind *k);

/* The IRR sources of kind irr, as bits of fetch_opts.irr_sources (0: all). */
enum { FETCH_IRR_RIPE = 1, FETCH_IRR_RADB = 2, FETCH_IRR_ARIN = 4 };
/* "ripe", "radb", "arin", or a comma-separated list of them: its bits ORed into
 * *bits. false on anything else. */
bool fetch_irr_sources_parse(const char *s, unsigned *bits);

/* The kinds checked against a published NAME.md5 when not chosen: delegated. */
bool fetch_checksum_default(fetch_kind k);
/* The MD5 (32 lower-case hex digits) that a checksum file's text gives for the
 * file `name`: the digest on the line naming it (md5sum's "HEX  NAME" or
 * "HEX *NAME", BSD's "MD5 (NAME) = HEX"), else the text's only digest. false when
 * there is none, or several and none for `name`. */
bool fetch_checksum_find(const char *text, const char *name, char out[33]);

/* One file to get: its URL and its path under the cache directory. */
typedef struct fetch_item {
    fetch_kind kind;
    char *url, *path;
} fetch_item;

typedef struct fetch_plan {
    fetch_item *v;
    size_t n, cap;
} fetch_plan;

typedef struct fetch_opts {
    bool kinds[FETCH_KINDS];
    const char *const *ris;         /* RIS collectors ("rrc00"); none: rrc00 */
    size_t nris;
    const char *const *rv;          /* RouteViews collectors ("route-views2", "route-views.linx"); none: route-views2 */
    size_t nrv;
    uint32_t from, to;              /* the time window, Unix seconds (inclusive) */
    const char *base[FETCH_KINDS];  /* base URL per kind, NULL: the public one */
    unsigned irr_sources;           /* FETCH_IRR_* bits; 0: all three */
    bool checksum_given;            /* false: fetch_checksum_default() says which kinds */
    bool checksum[FETCH_KINDS];     /* with checksum_given: check these kinds' NAME.md5 */
    const char *out;                /* cache directory */
    unsigned jobs;                  /* downloads at once; 0 = 4 */
    unsigned timeout_s;             /* connect timeout; 0 = 30 */
    unsigned stall_s;               /* no byte for this long: failed; 0 = 60 */
    bool dry_run, progress;
} fetch_opts;

/* The files of the window, in time order per kind and collector. 0, or -1 when out
 * of memory or the window holds more than 100 000 files (said in err). */
int fetch_plan_make(const fetch_opts *o, fetch_plan *p, char *err, size_t errlen);
void fetch_plan_clear(fetch_plan *p);

typedef struct fetch_stats {
    size_t files, fetched, present, failed;
    size_t verified;                /* of the fetched, checked against a published MD5 */
    uint64_t bytes;
} fetch_stats;

/* Fetch the plan (or, dry_run, print it: "URL PATH", then " (present)" when
 * there, " (md5 URL.md5)" when it is to be checked). Returns 0, or 1 when any
 * file failed (each said on stderr; a checksum mismatch is a failure). */
int fetch_run(const fetch_opts *o, const fetch_plan *p, fetch_stats *st);

/* The routing data of an observatory window (`manrs observe --fetch DIR`): o has
 * out, from, to and the collectors (ris, rv) set. Fetches the RIS collectors' RIBs
 * and updates (rrc00 when no collector is named; the RouteViews ones' when named),
 * and the AS relationships and organisations unless have_asrel, have_as2org. The
 * plan (p, cleared by the caller) lists what came, each file's path and kind. 0; 1
 * after saying why on stderr ("manrs observe: --fetch: ..."): a window that could
 * not be planned, or files that could not be fetched (what came is resumed by the
 * next run). quiet: no summary line. */
int fetch_window(fetch_opts *o, fetch_plan *p, bool have_asrel, bool have_as2org, bool quiet);

#endif
