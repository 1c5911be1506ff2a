/*
 * fetch.c — `manrs fetch` (see fetch.h): the plan (which files a window needs,
 * in the sources' own layouts) and the downloads (libcurl multi, resumable).
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

#define MAX_FILES 100000u
#define CURRENT_MAX_AGE (24 * 3600)

static const char *const kind_names[FETCH_KINDS] = {"ris-rib", "ris-updates", "rv-rib", "rv-updates", "as-rel",
                                                    "as2org", "delegated", "vrps", "peeringdb", "bogons"};

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

static bool current_kind(fetch_kind k)
{
    return k == FETCH_DELEGATED || k == FETCH_VRPS || k == FETCH_PEERINGDB || k == FETCH_BOGONS;
}

/* The cache directory of a kind: the public base URL's host and path. */
static void cache_dir(fetch_kind k, char *out, size_t cap)
{
    const char *b = strstr(default_base[k], "://");
    snprintf(out, cap, "%s", b ? b + 3 : default_base[k]);
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
    if (asprintf(&it->path, "%s/%s/%s", o->out ? o->out : ".", dir, rel) < 0) {
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

static size_t on_header(char *b, size_t size, size_t n, void *user)
{
    job *j = user;
    size_t len = size * n;
    if (len > 9 && !strncmp(b, "HTTP/", 5)) {
        const char *sp = memchr(b, ' ', len);
        if (sp)
            j->status = strtol(sp + 1, NULL, 10);
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

enum { JOB_DONE, JOB_FAILED, JOB_AGAIN };

/* A download has ended: keep what is whole. JOB_AGAIN: the server ignored the
 * Range of a resumed download (curl stops at its 200): fetch it whole. */
static int job_end(CURLM *m, job *j, CURLcode rc, const fetch_opts *o, char *why, size_t whylen)
{
    curl_multi_remove_handle(m, j->c);
    curl_easy_cleanup(j->c);
    j->c = NULL;
    bool ok = false;
    bool write_ok = fclose(j->f) == 0;
    j->f = NULL;
    if (rc == CURLE_OK && (j->status == 200 || j->status == 206) && write_ok)
        ok = rename(j->part, j->it->path) == 0;
    else if (rc == CURLE_OK && j->status == 416 && j->resume)
        ok = rename(j->part, j->it->path) == 0;  /* the .part was whole already */
    if (ok)
        return JOB_DONE;
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
            printf("%s %s%s\n", p->v[i].url, p->v[i].path, fresh(p->v[i].path, p->v[i].kind) ? " (present)" : "");
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
                char why[512];
                CURLcode rc = msg->data.result;
                uint64_t got = js[k].got;
                int end = job_end(m, &js[k], rc, o, why, sizeof why);
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
                } else {
                    st->failed++;
                    fprintf(stderr, "manrs fetch: %s: %s\n", js[k].it->url, why);
                }
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
