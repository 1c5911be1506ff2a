/*
 * mrt_scan.c — the loop every MRT-reading command shares: frame, decode, call
 * back, show progress on a terminal, and collect the damage figures.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "manrs/feeds/mrt.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void show_progress(mrt_reader *r, const char *path, uint64_t records, double t0, bool final)
{
    uint64_t done, total;
    mrt_reader_progress(r, &done, &total);
    double el = now_s() - t0;
    double rate = el > 0 ? (double)records / el : 0;
    if (total)
        fprintf(stderr, "\r%s: %5.1f%%  %llu records  %.0f records/s ", path, 100.0 * (double)done / (double)total,
                (unsigned long long)records, rate);
    else
        fprintf(stderr, "\r%s: %llu records  %.0f records/s ", path, (unsigned long long)records, rate);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

bool mrt_scan_file(const char *path, mrt_decoder *d, mrs_diag *diag, bool progress, mrt_event_fn fn, void *user,
                   mrt_scan_result *res)
{
    memset(res, 0, sizeof *res);
    char err[512];
    mrt_reader *r = mrt_reader_open(path, diag, err, sizeof err);
    if (!r) {
        mrs_diag_error_file(diag, path, "%s", err);
        res->open_failed = true;
        return false;
    }
    mrt_decoder_begin_file(d, mrt_reader_name(r));
    uint64_t errors0 = diag ? diag->errors : 0;
    uint64_t damaged0 = mrt_decoder_get_stats(d)->records_damaged, cut0 = mrt_decoder_get_stats(d)->records_cut;
    mrt_record rec;
    double t0 = progress ? now_s() : 0, last = t0;
    while (mrt_read(r, &rec)) {
        mrt_decode(d, &rec, fn, user);
        res->records++;
        if (progress && (res->records & 4095) == 0) {
            double t = now_s();
            if (t - last > 0.25) {
                show_progress(r, path, res->records, t0, false);
                last = t;
            }
        }
    }
    if (progress)
        show_progress(r, path, res->records, t0, true);
    const mrt_reader_stats *rs = mrt_reader_get_stats(r);
    res->damaged = mrt_decoder_get_stats(d)->records_damaged - damaged0;
    res->cut = mrt_decoder_get_stats(d)->records_cut - cut0;
    res->bytes_skipped = rs->bytes_skipped;
    res->resyncs = rs->resyncs;
    res->truncated = rs->truncated != 0;
    mrt_reader_close(r);
    /* an empty file (or one of only damage, reported already) is not a clean input */
    if (!res->records && diag && diag->errors == errors0)
        mrs_diag_error_file(diag, path, "no records");
    return true;
}
