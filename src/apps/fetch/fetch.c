/*
 * fetch.c — `manrs fetch` (see fetch.h): the plan (which files a window needs,
 * in the sources' own layouts) and the downloads (libcurl multi, resumable),
 * checked against the MD5 digests the sources publish (md5.c).
 */
#define _GNU_SOURCE
#include "manrs/apps/fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "manrs/core/grow.h"
#include "manrs/core/io.h"
#include "md5.h"

#define MAX_FILES 100000u
#define CURRENT_MAX_AGE (24 * 3600)
#define SUM_MAX (1u << 20)      /* a checksum file larger than this is not one */

static const char *const kind_names[FETCH_KINDS] = {"ris-rib", "ris-updates", "rv-rib", "rv-updates", "as-rel",
                                                    "as2org", "delegated", "vrps", "peeringdb", "bogons",
                                                    "irr", "spoofer"};

/* The public base URL of each kind, and the directory under the cache that
 * mirrors it (its host). */
static const char *const default_base[FETCH_KINDS] = {
    "https://data.ris.ripe.net",
    "https://data.ris.ripe.net",
    "https://archive.routeviews.org",
    "https://archive.routeviews.org",
    "https://publicdata.caida.org/datasets/as-relationships/serial-1",
    "https://publicdata.caida.org/datasets/as-organizations",
    "https://ftp.ripe.net/pub/stats",
    "https://console.rpki-client.org",
    "https://www.peeringdb.com/api",
    "https://www.team-cymru.org/Services/Bogons",
    "https:/",      /* irr: three hosts, each file's path names its host (irr_files) */
    "https://api.spoofer.caida.org",
};

/* The IRR dumps: the source's bit, then the file's host and path. RIPE splits its
 * database by object class; the classes routing needs, and role (contacts). */
static const struct {
    unsigned src;
    const char *rel;
} irr_files[] = {
    {FETCH_IRR_RIPE, "ftp.ripe.net/ripe/dbase/split/ripe.db.aut-num.gz"},
    {FETCH_IRR_RIPE, "ftp.ripe.net/ripe/dbase/split/ripe.db.route.gz"},
    {FETCH_IRR_RIPE, "ftp.ripe.net/ripe/dbase/split/ripe.db.route6.gz"},
    {FETCH_IRR_RIPE, "ftp.ripe.net/ripe/dbase/split/ripe.db.as-set.gz"},
    {FETCH_IRR_RIPE, "ftp.ripe.net/ripe/dbase/split/ripe.db.route-set.gz"},
    {FETCH_IRR_RIPE, "ftp.ripe.net/ripe/dbase/split/ripe.db.role.gz"},
    {FETCH_IRR_RADB, "ftp.radb.net/radb/dbase/radb.db.gz"},
    {FETCH_IRR_ARIN, "ftp.arin.net/pub/rr/arin.db.gz"},
};

const char *fetch_kind_name(fetch_kind k) { return k < FETCH_KINDS ? kind_names[k] : "?"; }

bool fetch_kind_parse(const char *s, fetch_kind *k)
{
    for (unsigned i = 0; i < FETCH_KINDS; i++)
        if (!strcmp(s, kind_names[i])) {
            *k = (fetch_kind)i;
            return true;
        }
    return false;
}

bool fetch_irr_sources_parse(const char *s, unsigned *bits)
{
    static const char *const names[] = {"ripe", "radb", "arin"};
    if (!*s)
        return false;
    for (;;) {
        size_t n = strcspn(s, ",");
        unsigned i = 0;
        while (i < 3 && !(strlen(names[i]) == n && !strncmp(s, names[i], n)))
            i++;
        if (i == 3)
            return false;
        *bits |= 1u << i;
        if (!s[n])
            return true;
        s += n + 1;
    }
}

/* Only the RIRs' delegated statistics are known to have a NAME.md5 next to each
 * file (delegated-RIR-extended-latest.md5); nothing is assumed of the others. */
bool fetch_checksum_default(fetch_kind k) { return k == FETCH_DELEGATED; }

static bool checked_kind(const fetch_opts *o, fetch_kind k)
{
    return o->checksum_given ? o->checksum[k] : fetch_checksum_default(k);
}

static bool current_kind(fetch_kind k)
{
    return k == FETCH_DELEGATED || k == FETCH_VRPS || k == FETCH_PEERINGDB || k == FETCH_BOGONS || k == FETCH_IRR ||
           k == FETCH_SPOOFER;
}

/* The cache directory of a kind: the public base URL's host and path (empty for
 * irr, whose files name their hosts). */
static void cache_dir(fetch_kind k, char *out, size_t cap)
{
    const char *b = strstr(default_base[k], "://");
    snprintf(out, cap, "%s", b ? b + 3 : k == FETCH_IRR ? "" : default_base[k]);
}

static int add(fetch_plan *p, const fetch_opts *o, fetch_kind k, const char *rel)
{
    if (p->n >= MAX_FILES)
        return -1;
    fetch_item *nv = mrs_grow(p->v, &p->cap, p->n + 1, sizeof *nv, 64);
    if (!nv)
        return -1;
    p->v = nv;
    char dir[256];
    cache_dir(k, dir, sizeof dir);
    fetch_item *it = &p->v[p->n];
    it->kind = k;
    if (asprintf(&it->url, "%s/%s", o->base[k] ? o->base[k] : default_base[k], rel) < 0)
        return -1;
    if (asprintf(&it->path, "%s/%s%s%s", o->out ? o->out : ".", dir, *dir ? "/" : "", rel) < 0) {
        free(it->url);
        return -1;
    }
    p->n++;
    return 0;
}

/* Files every `step` seconds from the one at or before `from` to `to`, at
 * PRE YYYY.MM/ SUB NAME.YYYYMMDD.HHMM.EXT */
static int timed(fetch_plan *p, const fetch_opts *o, fetch_kind k, const char *pre, const char *sub, unsigned step,
                 const char *name, const char *ext)
{
    for (uint64_t t = o->from - o->from % step; t <= o->to; t += step) {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        char rel[512];
        snprintf(rel, sizeof rel, "%s%04d.%02d/%s%s.%04d%02d%02d.%02d%02d.%s", pre, tm.tm_year + 1900, tm.tm_mon + 1,
                 sub, name, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, ext);
        if (add(p, o, k, rel) < 0)
            return -1;
    }
    return 0;
}

static bool safe_name(const char *s)
{
    if (!*s || !strcmp(s, ".") || !strcmp(s, ".."))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

int fetch_plan_make(const fetch_opts *o, fetch_plan *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    static const char *const one_ris[] = {"rrc00"}, *const one_rv[] = {"route-views2"};
    const char *const *ris = o->nris ? o->ris : one_ris, *const *rv = o->nrv ? o->rv : one_rv;
    size_t nris = o->nris ? o->nris : 1, nrv = o->nrv ? o->nrv : 1;
    for (size_t i = 0; i < nris; i++)
        if (!safe_name(ris[i])) {
            snprintf(err, errlen, "'%s' is not a collector name", ris[i]);
            return -1;
        }
    for (size_t i = 0; i < nrv; i++)
        if (!safe_name(rv[i])) {
            snprintf(err, errlen, "'%s' is not a collector name", rv[i]);
            return -1;
        }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < nris; i++) {
        char pre[300];
        snprintf(pre, sizeof pre, "%s/", ris[i]);
        if (o->kinds[FETCH_RIS_RIB])
            rc = timed(p, o, FETCH_RIS_RIB, pre, "", 8 * 3600, "bview", "gz");
        if (rc == 0 && o->kinds[FETCH_RIS_UPDATES])
            rc = timed(p, o, FETCH_RIS_UPDATES, pre, "", 300, "updates", "gz");
    }
    for (size_t i = 0; rc == 0 && i < nrv; i++) {
        /* route-views2 is the archive's root; the others have a directory each */
        char pre[300];
        bool root = !strcmp(rv[i], "route-views2");
        snprintf(pre, sizeof pre, "%s%sbgpdata/", root ? "" : rv[i], root ? "" : "/");
        if (o->kinds[FETCH_RV_RIB])
            rc = timed(p, o, FETCH_RV_RIB, pre, "RIBS/", 2 * 3600, "rib", "bz2");
        if (rc == 0 && o->kinds[FETCH_RV_UPDATES])
            rc = timed(p, o, FETCH_RV_UPDATES, pre, "UPDATES/", 900, "updates", "bz2");
    }
    time_t tf = (time_t)o->from;
    struct tm tm;
    gmtime_r(&tf, &tm);
    char rel[256];
    if (rc == 0 && o->kinds[FETCH_ASREL]) {
        snprintf(rel, sizeof rel, "%04d%02d01.as-rel.txt.bz2", tm.tm_year + 1900, tm.tm_mon + 1);
        rc = add(p, o, FETCH_ASREL, rel);
    }
    if (rc == 0 && o->kinds[FETCH_AS2ORG]) {
        snprintf(rel, sizeof rel, "%04d%02d01.as-org2info.txt.gz", tm.tm_year + 1900, tm.tm_mon / 3 * 3 + 1);
        rc = add(p, o, FETCH_AS2ORG, rel);
    }
    if (rc == 0 && o->kinds[FETCH_DELEGATED]) {
        static const char *const rir[] = {"afrinic", "apnic", "arin", "lacnic", "ripencc"};
        for (size_t i = 0; rc == 0 && i < 5; i++) {
            snprintf(rel, sizeof rel, "%s/delegated-%s-extended-latest", rir[i], rir[i]);
            rc = add(p, o, FETCH_DELEGATED, rel);
        }
    }
    if (rc == 0 && o->kinds[FETCH_VRPS])
        rc = add(p, o, FETCH_VRPS, "vrps.json");
    if (rc == 0 && o->kinds[FETCH_PEERINGDB]) {
        rc = add(p, o, FETCH_PEERINGDB, "net");
        if (rc == 0)
            rc = add(p, o, FETCH_PEERINGDB, "org");
    }
    if (rc == 0 && o->kinds[FETCH_BOGONS]) {
        rc = add(p, o, FETCH_BOGONS, "fullbogons-ipv4.txt");
        if (rc == 0)
            rc = add(p, o, FETCH_BOGONS, "fullbogons-ipv6.txt");
    }
    if (rc == 0 && o->kinds[FETCH_IRR]) {
        unsigned want = o->irr_sources ? o->irr_sources : FETCH_IRR_RIPE | FETCH_IRR_RADB | FETCH_IRR_ARIN;
        for (size_t i = 0; rc == 0 && i < sizeof irr_files / sizeof irr_files[0]; i++)
            if (want & irr_files[i].src)
                rc = add(p, o, FETCH_IRR, irr_files[i].rel);
    }
    if (rc == 0 && o->kinds[FETCH_SPOOFER])
        rc = add(p, o, FETCH_SPOOFER, "sessions");
    if (rc < 0) {
        snprintf(err, errlen, p->n >= MAX_FILES ? "the window holds more than %u files" : "out of memory", MAX_FILES);
        fetch_plan_clear(p);
    }
    return rc;
}

void fetch_plan_clear(fetch_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].url);
        free(p->v[i].path);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* ------------------------------------------------------------------ downloads */

typedef struct job {
    const fetch_item *it;
    CURL *c;
    FILE *f;
    char part[4200];
    uint64_t resume;            /* bytes of the .part when asked */
    long status;
    bool restarted;             /* the server ignored the Range: the .part starts again */
    uint64_t got;
    curl_off_t seen;            /* bytes at the last progress call */
    uint64_t last;              /* when bytes last came (or the start), monotonic ms */
    unsigned stall_s;
    bool stalled;
    /* the second phase of a checked file: its NAME.md5 into memory */
    bool summing;
    char *sum_url;
    char *sum;
    size_t nsum, sumcap;
} job;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A download that receives nothing for stall_s seconds stops (curl's own
 * low-speed check averages over seconds already past: a few bytes at the start
 * would hide a stall for several seconds more). */
static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal;
    (void)ultotal;
    (void)ulnow;
    job *j = user;
    uint64_t now = now_ms();
    if (dlnow != j->seen) {
        j->seen = dlnow;
        j->last = now;
        return 0;
    }
    if (now - j->last >= (uint64_t)j->stall_s * 1000u) {
        j->stalled = true;
        return 1;
    }
    return 0;
}

/* A status line ("HTTP/1.1 206 Partial Content") sets the job's status; true
 * when the header line was one. */
static bool status_line(job *j, const char *b, size_t len)
{
    if (len <= 9 || strncmp(b, "HTTP/", 5))
        return false;
    const char *sp = memchr(b, ' ', len);
    if (sp)
        j->status = strtol(sp + 1, NULL, 10);
    return true;
}

static size_t on_header(char *b, size_t size, size_t n, void *user)
{
    job *j = user;
    size_t len = size * n;
    if (status_line(j, b, len)) {
        if (j->status == 200 && j->resume && !j->restarted) {
            /* a whole body after all: the .part is written again from its start */
            if (ftruncate(fileno(j->f), 0) == 0) {
                rewind(j->f);
                j->restarted = true;
            }
        }
    }
    return len;
}

static size_t on_body(char *b, size_t size, size_t n, void *user)
{
    job *j = user;
    if (j->status != 200 && j->status != 206)
        return size * n;    /* an error page: not the file */
    size_t w = fwrite(b, 1, size * n, j->f);
    j->got += w;
    return w;
}

/* The body of a checksum file, kept in memory (SUM_MAX at most). */
static size_t on_sum_body(char *b, size_t size, size_t n, void *user)
{
    job *j = user;
    size_t len = size * n;
    if (j->status != 200)
        return len;
    if (j->nsum + len + 1 > SUM_MAX)
        return 0;   /* not a checksum file: the transfer stops with a write error */
    if (j->nsum + len + 1 > j->sumcap) {
        size_t cap = j->sumcap ? j->sumcap : 4096;
        while (cap < j->nsum + len + 1)
            cap *= 2;
        char *nb = realloc(j->sum, cap);
        if (!nb)
            return 0;
        j->sum = nb;
        j->sumcap = cap;
    }
    memcpy(j->sum + j->nsum, b, len);
    j->nsum += len;
    j->sum[j->nsum] = 0;
    return len;
}

static size_t on_sum_header(char *b, size_t size, size_t n, void *user)
{
    status_line(user, b, size * n);
    return size * n;
}

static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* The MD5 that a checksum file gives for `name`: the digest of the line that names
 * it (md5sum's "HEX  NAME" or "HEX *NAME", BSD's "MD5 (NAME) = HEX"), else the
 * file's only digest (a bare "HEX"). false when there is none, or several and none
 * for `name`. */
bool fetch_checksum_find(const char *text, const char *name, char out[33])
{
    size_t nlen = strlen(name), count = 0;
    char first[33] = "";
    for (const char *line = text; *line;) {
        size_t ll = strcspn(line, "\n");
        const char *d = NULL;
        for (size_t i = 0; i + 32 <= ll && !d; i++)
            if ((i == 0 || !is_hex(line[i - 1])) && (i + 32 == ll || !is_hex(line[i + 32]))) {
                size_t h = 0;
                while (h < 32 && is_hex(line[i + h]))
                    h++;
                if (h == 32)
                    d = line + i;
            }
        if (d) {
            char hex[33];
            for (unsigned i = 0; i < 32; i++)
                hex[i] = (char)(d[i] >= 'A' && d[i] <= 'F' ? d[i] - 'A' + 'a' : d[i]);
            hex[32] = 0;
            if (!count++)
                memcpy(first, hex, sizeof first);
            for (size_t i = 0; nlen && i + nlen <= ll; i++) {
                char before = i ? line[i - 1] : ' ', after = i + nlen < ll ? line[i + nlen] : ' ';
                if (!memcmp(line + i, name, nlen) && strchr(" \t(*/", before) && strchr(" \t)\r", after)) {
                    memcpy(out, hex, 33);
                    return true;
                }
            }
        }
        line += ll;
        if (*line)
            line++;
    }
    if (count == 1)
        memcpy(out, first, 33);
    return count == 1;
}

static bool fresh(const char *path, fetch_kind k)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    return !current_kind(k) || time(NULL) - st.st_mtime < CURRENT_MAX_AGE;
}

static bool job_start(CURLM *m, job *j, const fetch_opts *o, char *why, size_t whylen)
{
    snprintf(j->part, sizeof j->part, "%s.part", j->it->path);
    if (mrs_mkdir_parents(j->part) < 0 || !(j->f = fopen(j->part, "ab"))) {
        snprintf(why, whylen, "%.400s: %s", j->part, strerror(errno));
        return false;
    }
    struct stat st;
    j->resume = fstat(fileno(j->f), &st) == 0 ? (uint64_t)st.st_size : 0;
    if (!(j->c = curl_easy_init())) {
        fclose(j->f);
        snprintf(why, whylen, "libcurl cannot start");
        return false;
    }
    curl_easy_setopt(j->c, CURLOPT_URL, j->it->url);
    curl_easy_setopt(j->c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(j->c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(j->c, CURLOPT_CONNECTTIMEOUT, (long)(o->timeout_s ? o->timeout_s : 30));
    j->stall_s = o->stall_s ? o->stall_s : 60;
    j->last = now_ms();
    curl_easy_setopt(j->c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(j->c, CURLOPT_XFERINFODATA, j);
    curl_easy_setopt(j->c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(j->c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(j->c, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(j->c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(j->c, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(j->c, CURLOPT_USERAGENT, "manrs-fetch");
    if (j->resume)
        curl_easy_setopt(j->c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)j->resume);
    curl_multi_add_handle(m, j->c);
    return true;
}

/* The second phase of a file to check: its NAME.md5, into memory. */
static bool sum_start(CURLM *m, job *j, const fetch_opts *o)
{
    if (asprintf(&j->sum_url, "%s.md5", j->it->url) < 0) {
        j->sum_url = NULL;
        return false;
    }
    if (!(j->c = curl_easy_init()))
        return false;
    j->summing = true;
    j->status = 0;
    j->seen = 0;
    j->stalled = false;
    j->last = now_ms();
    curl_easy_setopt(j->c, CURLOPT_URL, j->sum_url);
    curl_easy_setopt(j->c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(j->c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(j->c, CURLOPT_CONNECTTIMEOUT, (long)(o->timeout_s ? o->timeout_s : 30));
    curl_easy_setopt(j->c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(j->c, CURLOPT_XFERINFODATA, j);
    curl_easy_setopt(j->c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(j->c, CURLOPT_HEADERFUNCTION, on_sum_header);
    curl_easy_setopt(j->c, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(j->c, CURLOPT_WRITEFUNCTION, on_sum_body);
    curl_easy_setopt(j->c, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(j->c, CURLOPT_USERAGENT, "manrs-fetch");
    curl_multi_add_handle(m, j->c);
    return true;
}

static void job_free(job *j)
{
    free(j->sum_url);
    free(j->sum);
    j->sum_url = j->sum = NULL;
    j->nsum = j->sumcap = 0;
}

enum { JOB_DONE, JOB_FAILED, JOB_AGAIN, JOB_SUM };

/* The .part is whole: renamed to NAME, or, for a checked kind, its NAME.md5
 * fetched first (JOB_SUM). */
static int job_whole(CURLM *m, job *j, const fetch_opts *o, char *why, size_t whylen)
{
    if (checked_kind(o, j->it->kind)) {
        if (sum_start(m, j, o))
            return JOB_SUM;
        snprintf(why, whylen, "libcurl cannot start the checksum download; the file is kept as .part");
        return JOB_FAILED;
    }
    if (rename(j->part, j->it->path) == 0)
        return JOB_DONE;
    snprintf(why, whylen, "%.400s: %s", j->it->path, strerror(errno));
    return JOB_FAILED;
}

/* The checksum file has come (or not): the .part kept as NAME when its MD5 is the
 * one published, or when none is published (said once per kind, in *said); set
 * apart as NAME.bad when it differs; kept as .part (checked again by the next
 * run, which finds it whole) when the checksum file could not be had. */
static int sum_end(CURLM *m, job *j, CURLcode rc, const fetch_opts *o, bool *said, char *why, size_t whylen)
{
    curl_multi_remove_handle(m, j->c);
    curl_easy_cleanup(j->c);
    j->c = NULL;
    if (rc == CURLE_OK && (j->status == 404 || j->status == 410)) {
        if (!*said) {
            *said = true;
            fprintf(stderr, "manrs fetch: %s: no checksum published (%s: HTTP status %ld); its files are not verified\n",
                    fetch_kind_name(j->it->kind), j->sum_url, j->status);
        }
        if (rename(j->part, j->it->path) == 0)
            return JOB_DONE;
        snprintf(why, whylen, "%.400s: %s", j->it->path, strerror(errno));
        return JOB_FAILED;
    }
    if (rc != CURLE_OK || j->status != 200) {
        char what[200];
        if (j->stalled || rc == CURLE_OPERATION_TIMEDOUT)
            snprintf(what, sizeof what, "nothing received for %u s", o->stall_s ? o->stall_s : 60);
        else if (rc == CURLE_WRITE_ERROR)
            snprintf(what, sizeof what, "larger than %u bytes: not a checksum file", SUM_MAX);
        else if (rc != CURLE_OK)
            snprintf(what, sizeof what, "%s", curl_easy_strerror(rc));
        else
            snprintf(what, sizeof what, "HTTP status %ld", j->status);
        snprintf(why, whylen, "its checksum %.400s: %s; the file is kept as .part and checked by the next run",
                 j->sum_url, what);
        return JOB_FAILED;
    }
    const char *name = strrchr(j->it->url, '/');
    name = name ? name + 1 : j->it->url;
    char want[33], have[33];
    if (!fetch_checksum_find(j->sum ? j->sum : "", name, want)) {
        snprintf(why, whylen, "its checksum %.400s has no MD5 digest for %.200s; the file is kept as .part",
                 j->sum_url, name);
        return JOB_FAILED;
    }
    if (fetch_md5_file(j->part, have) < 0) {
        snprintf(why, whylen, "%.400s: %s", j->part, strerror(errno));
        return JOB_FAILED;
    }
    if (!strcmp(want, have)) {
        if (rename(j->part, j->it->path) == 0)
            return JOB_DONE;
        snprintf(why, whylen, "%.400s: %s", j->it->path, strerror(errno));
        return JOB_FAILED;
    }
    char bad[4200];
    snprintf(bad, sizeof bad, "%s.bad", j->it->path);
    bool kept = rename(j->part, bad) == 0;
    if (!kept)
        unlink(j->part);
    snprintf(why, whylen, "MD5 mismatch: the file has %s, %.400s says %s; %s %.400s", have, j->sum_url, want,
             kept ? "set apart as" : "deleted, not kept as", bad);
    return JOB_FAILED;
}

/* A download has ended: keep what is whole. JOB_AGAIN: the server ignored the
 * Range of a resumed download (curl stops at its 200): fetch it whole. */
static int job_end(CURLM *m, job *j, CURLcode rc, const fetch_opts *o, char *why, size_t whylen)
{
    curl_multi_remove_handle(m, j->c);
    curl_easy_cleanup(j->c);
    j->c = NULL;
    bool write_ok = fclose(j->f) == 0;
    j->f = NULL;
    if ((rc == CURLE_OK && (j->status == 200 || j->status == 206) && write_ok) ||
        (rc == CURLE_OK && j->status == 416 && j->resume))    /* 416: the .part was whole already */
        return job_whole(m, j, o, why, whylen);
    if (rc == CURLE_RANGE_ERROR && j->resume) {
        unlink(j->part);
        return JOB_AGAIN;
    }
    if (!write_ok)
        snprintf(why, whylen, "%.400s: write error", j->part);
    else if (rc == CURLE_PARTIAL_FILE)
        snprintf(why, whylen, "the body is shorter than its Content-Length; what came is kept for the next run");
    else if (j->stalled || rc == CURLE_OPERATION_TIMEDOUT)
        snprintf(why, whylen, "nothing received for %u s; what came is kept for the next run",
                 o->stall_s ? o->stall_s : 60);
    else if (rc != CURLE_OK)
        snprintf(why, whylen, "%s", curl_easy_strerror(rc));
    else
        snprintf(why, whylen, "HTTP status %ld", j->status);
    struct stat st;
    if (stat(j->part, &st) == 0 && st.st_size == 0)
        unlink(j->part);
    return JOB_FAILED;
}

int fetch_run(const fetch_opts *o, const fetch_plan *p, fetch_stats *st)
{
    memset(st, 0, sizeof *st);
    st->files = p->n;
    if (o->dry_run) {
        for (size_t i = 0; i < p->n; i++)
            printf("%s %s%s%s%s%s\n", p->v[i].url, p->v[i].path, fresh(p->v[i].path, p->v[i].kind) ? " (present)" : "",
                   checked_kind(o, p->v[i].kind) ? " (md5 " : "", checked_kind(o, p->v[i].kind) ? p->v[i].url : "",
                   checked_kind(o, p->v[i].kind) ? ".md5)" : "");
        return 0;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        fprintf(stderr, "manrs fetch: libcurl cannot start\n");
        return 1;
    }
    CURLM *m = curl_multi_init();
    unsigned jobs = o->jobs ? o->jobs : 4;
    job *js = calloc(jobs, sizeof *js);
    if (!m || !js) {
        fprintf(stderr, "manrs fetch: out of memory\n");
        free(js);
        curl_multi_cleanup(m);
        curl_global_cleanup();
        return 1;
    }
    size_t next = 0, running = 0;
    bool said[FETCH_KINDS] = {false};   /* "no checksum published", once per kind */
    time_t last_progress = 0;
    for (;;) {
        /* start downloads while slots are free */
        for (unsigned k = 0; k < jobs && next < p->n; k++) {
            if (js[k].c)
                continue;
            while (next < p->n && fresh(p->v[next].path, p->v[next].kind)) {
                st->present++;
                next++;
            }
            if (next >= p->n)
                break;
            memset(&js[k], 0, sizeof js[k]);
            js[k].it = &p->v[next++];
            char why[512];
            if (!job_start(m, &js[k], o, why, sizeof why)) {
                fprintf(stderr, "manrs fetch: %s: %s\n", js[k].it->url, why);
                st->failed++;
                js[k].c = NULL;
                continue;
            }
            running++;
        }
        if (!running) {
            if (next >= p->n)
                break;
            continue;   /* every slot failed to start: go on with the next files */
        }
        int still;
        curl_multi_perform(m, &still);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            for (unsigned k = 0; k < jobs; k++) {
                if (js[k].c != msg->easy_handle)
                    continue;
                char why[1200];
                CURLcode rc = msg->data.result;
                uint64_t got = js[k].got;
                bool summed = js[k].summing;
                int end = summed ? sum_end(m, &js[k], rc, o, &said[js[k].it->kind], why, sizeof why)
                                 : job_end(m, &js[k], rc, o, why, sizeof why);
                if (end == JOB_SUM)
                    break;      /* the same slot goes on with the checksum */
                running--;
                if (end == JOB_AGAIN) {
                    const fetch_item *it = js[k].it;
                    memset(&js[k], 0, sizeof js[k]);
                    js[k].it = it;
                    if (job_start(m, &js[k], o, why, sizeof why)) {
                        running++;
                        break;
                    }
                    end = JOB_FAILED;
                    js[k].c = NULL;
                }
                if (end == JOB_DONE) {
                    st->fetched++;
                    st->bytes += got;
                    if (summed && js[k].nsum)
                        st->verified++;
                } else {
                    st->failed++;
                    fprintf(stderr, "manrs fetch: %s: %s\n", js[k].it->url, why);
                }
                job_free(&js[k]);
                break;
            }
        }
        if (o->progress && time(NULL) != last_progress) {
            last_progress = time(NULL);
            fprintf(stderr, "\rmanrs fetch: %zu of %zu files, %.1f MB, %zu failed ", st->fetched + st->present,
                    p->n, (double)st->bytes / 1e6, st->failed);
        }
        if (running)
            curl_multi_poll(m, NULL, 0, 200, NULL);
    }
    if (o->progress)
        fputc('\n', stderr);
    free(js);
    curl_multi_cleanup(m);
    curl_global_cleanup();
    return st->failed ? 1 : 0;
}

int fetch_window(fetch_opts *o, fetch_plan *p, bool have_asrel, bool have_as2org, bool quiet)
{
    if (!o->nris && !o->nrv) {
        o->kinds[FETCH_RIS_RIB] = o->kinds[FETCH_RIS_UPDATES] = true;
    } else {
        o->kinds[FETCH_RIS_RIB] = o->kinds[FETCH_RIS_UPDATES] = o->nris > 0;
        o->kinds[FETCH_RV_RIB] = o->kinds[FETCH_RV_UPDATES] = o->nrv > 0;
    }
    o->kinds[FETCH_ASREL] = !have_asrel;
    o->kinds[FETCH_AS2ORG] = !have_as2org;   /* siblings, and the networks' names */
    char err[256];
    if (fetch_plan_make(o, p, err, sizeof err) < 0) {
        fprintf(stderr, "manrs observe: --fetch: %s\n", err);
        return 1;
    }
    fetch_stats fs;
    if (fetch_run(o, p, &fs) != 0) {
        fprintf(stderr, "manrs observe: --fetch: %zu of %zu files could not be fetched: not observing an "
                        "incomplete window (run again: what came is resumed)\n", fs.failed, fs.files);
        return 1;
    }
    if (!quiet)
        fprintf(stderr, "manrs observe: --fetch: %zu files (%zu fetched, %zu already in %s)\n", fs.files, fs.fetched,
                fs.present, o->out);
    return 0;
}
