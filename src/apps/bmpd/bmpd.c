/*
 * bmpd.c — `manrs bmpd`: BMP in, MRT update files out, rotated by period (see
 * bmpd.h, docs/bmpd.md).
 */
#define _GNU_SOURCE
#include "manrs/apps/bmpd.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "manrs/core/io.h"
#include "manrs/feeds/mrt_write.h"

#define TICK_MS 1000u

typedef struct station {
    const bmpd_opts *o;
    mrs_evloop *loop;
    bmp_listener *bl;
    char pattern[4096];
    unsigned rotate;
    mrt_writer *w;
    uint64_t period;            /* start of the open file's period */
    char final[4200], part[4210];
    bool failed;
    uint64_t files, written, other_rib;
} station;

/* mkdir -p of the directories of path. */
static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* The file name of a period; "-N" before the compression suffix when taken. */
static int name_period(station *st, uint64_t period)
{
    time_t t = (time_t)period;
    struct tm tm;
    gmtime_r(&t, &tm);
    char base[4096];
    /* the operator's pattern is a strftime format by design */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    size_t bl = strftime(base, sizeof base, st->pattern, &tm);
#pragma GCC diagnostic pop
    if (!bl)
        return -1;
    size_t n = strlen(base);
    const char *ext = n > 3 && !strcmp(base + n - 3, ".gz") ? base + n - 3 : base + n;
    int stem = (int)(ext - base);
    snprintf(st->final, sizeof st->final, "%s", base);
    for (unsigned k = 1; exists(st->final) || (snprintf(st->part, sizeof st->part, "%s.part", st->final), exists(st->part));
         k++)
        snprintf(st->final, sizeof st->final, "%.*s-%u%s", stem, base, k, ext);
    snprintf(st->part, sizeof st->part, "%s.part", st->final);
    return 0;
}

static void file_close(station *st)
{
    if (!st->w)
        return;
    bool ok = mrt_writer_close(st->w);
    st->w = NULL;
    if (!ok || rename(st->part, st->final) < 0) {
        fprintf(stderr, "manrs bmpd: %s: %s\n", st->final, ok ? strerror(errno) : "write error");
        st->failed = true;
        mrs_evloop_stop(st->loop);
        return;
    }
    st->files++;
}

static bool file_open(station *st, uint64_t period)
{
    char err[256];
    if (name_period(st, period) < 0 || mrs_mkdir_parents(st->part) < 0 ||
        !(st->w = mrt_writer_open(st->part, err, sizeof err))) {
        fprintf(stderr, "manrs bmpd: %s: cannot write: %s\n", st->part, errno ? strerror(errno) : "bad name");
        st->failed = true;
        mrs_evloop_stop(st->loop);
        return false;
    }
    st->period = period;
    return true;
}

static void on_record(const mrt_record *rec, unsigned ribs, void *user)
{
    station *st = user;
    if (!(ribs & (1u << st->o->rib))) {
        if (!(ribs & (ribs - 1)))
            st->other_rib++;    /* an update (one RIB), not a peer's state change */
        return;
    }
    if (st->failed)
        return;
    uint64_t p = rec->timestamp - rec->timestamp % st->rotate;
    if (st->w && p > st->period)
        file_close(st);
    /* the clock stepped back: the open file takes it */
    if (!st->w && !file_open(st, p > st->period ? p : st->period))
        return;
    if (!mrt_write_record(st->w, rec->timestamp, rec->usec, rec->type, rec->subtype, rec->body, rec->length)) {
        fprintf(stderr, "manrs bmpd: %s: write error\n", st->part);
        st->failed = true;
        mrs_evloop_stop(st->loop);
        return;
    }
    st->written++;
}

static void on_tick(mrs_evloop *l, void *user)
{
    (void)l;
    station *st = user;
    time_t now = time(NULL);
    if (st->w && (uint64_t)now >= st->period + st->rotate)
        file_close(st);
    bmp_listener_tick(st->bl);
}

int bmpd_run(const bmpd_opts *o)
{
    station st;
    memset(&st, 0, sizeof st);
    st.o = o;
    st.rotate = o->rotate_s ? o->rotate_s : 900;
    struct stat sb;
    if (stat(o->mrt_out, &sb) == 0 && S_ISDIR(sb.st_mode))
        snprintf(st.pattern, sizeof st.pattern, "%s/updates.%%Y%%m%%d.%%H%%M.gz", o->mrt_out);
    else
        snprintf(st.pattern, sizeof st.pattern, "%s", o->mrt_out);
    int rc = 1;
    if (!(st.loop = mrs_evloop_new())) {
        fprintf(stderr, "manrs bmpd: cannot set up the event loop: %s\n", strerror(errno));
        return 1;
    }
    bmp_listener_opts lo = {"manrs bmpd", o->listen, o->timeout_s, o->max_routers, on_record, &st};
    if (!(st.bl = bmp_listener_new(st.loop, &lo)) || mrs_evloop_timer(st.loop, TICK_MS, on_tick, &st) < 0)
        goto out;
    const char *addr = o->listen ? o->listen : "127.0.0.1:11019";
    fprintf(stderr, "manrs bmpd: listening on %s (port %d); writing %s updates to %s, a file per %u s\n", addr,
            bmp_listener_port(st.bl), bmp_rib_name(o->rib), st.pattern, st.rotate);
    if (o->port_file && mrs_server_port_file("manrs bmpd", bmp_listener_fd(st.bl), o->port_file) < 0)
        goto out;
    if (mrs_evloop_run(st.loop) < 0) {
        fprintf(stderr, "manrs bmpd: event loop failed: %s\n", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (st.bl) {
        bmp_listener_stats s;
        bmp_listener_free(st.bl, &s);   /* the routers' peers go down: records */
        file_close(&st);
        typedef unsigned long long ull;
        fprintf(stderr,
                "manrs bmpd: %llu router connections (%llu refused; closed: %llu broken stream, %llu slow); "
                "%llu BMP messages, %llu skipped as malformed; Route Monitoring by RIB: pre-policy %llu, "
                "post-policy %llu, loc-rib %llu, out-pre-policy %llu, out-post-policy %llu; %llu records written "
                "to %llu files, %llu updates of other RIBs not written\n",
                (ull)s.connections, (ull)s.refused, (ull)s.closed_bad, (ull)s.closed_slow, (ull)s.messages,
                (ull)s.skipped, (ull)s.by_rib[0], (ull)s.by_rib[1], (ull)s.by_rib[2], (ull)s.by_rib[3],
                (ull)s.by_rib[4], (ull)st.written, (ull)st.files, (ull)st.other_rib);
    }
    file_close(&st);
    if (st.failed)
        rc = 1;
    mrs_evloop_free(st.loop);
    return rc;
}
