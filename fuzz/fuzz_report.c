/* fuzz_report.c — libFuzzer target for the observatory store and the report
 * printers (src/store/store.c, src/output/report/report_*.c). The input drives a
 * store file in /dev/shm: networks and incidents with hostile values (any double
 * including NaN and negatives, any ASN, control characters, quotes and markup in
 * AS paths, file names, notes and run inputs), a run ended complete or failed,
 * then optionally one column of the stored rows overwritten with raw fuzz text
 * (unknown class, bad prefix, bad status, bad address: what a damaged or hostile
 * file holds). Every run is reported in every format and every scope; the JSON
 * must parse (jansson) whenever loading succeeded. Must never crash, leak or trip
 * UBSan. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "manrs/output/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct cursor {
    const uint8_t *p;
    size_t n;
};

static uint8_t u8(struct cursor *c)
{
    if (!c->n)
        return 0;
    c->n--;
    return *c->p++;
}

static uint32_t u32(struct cursor *c)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | u8(c);
    return v;
}

static double dbl(struct cursor *c)
{
    uint8_t k = u8(c);
    switch (k % 8) {
    case 0: return -1;
    case 1: return NAN;
    case 2: return 1e300;
    case 3: return -0.0;
    default: return (double)(k * 7 % 101) + (double)u8(c) / 256.0;
    }
}

/* A NUL-terminated string of up to 40 fuzz bytes (owned by buf). */
static char *str(struct cursor *c, char *buf, size_t cap)
{
    size_t n = u8(c) % 41;
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++) {
        buf[i] = (char)u8(c);
        if (!buf[i])
            buf[i] = '"';
    }
    buf[n] = 0;
    return buf;
}

static void report_all(mrs_store *s, int64_t run, uint32_t asn, FILE *sink)
{
    mrs_report_opts scopes[4];
    memset(scopes, 0, sizeof scopes);
    scopes[1].asn = asn ? asn : 1;
    memcpy(scopes[2].country, "NL", 3);
    scopes[3].top = 2;
    for (int k = 0; k < 4; k++) {
        mrs_report r;
        char err[256];
        if (mrs_report_load(s, ":memory:", run, &scopes[k], &r, err, sizeof err))
            continue;
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
            abort();
        if (mrs_report_json(f, &r))
            abort();
        fclose(f);
        json_error_t je;
        json_t *doc = json_loads(buf, 0, &je);
        if (!doc) { /* the JSON printer must always print valid JSON */
            fprintf(stderr, "invalid JSON: line %d col %d: %s\n%s\n", je.line, je.column, je.text, buf);
            abort();
        }
        json_decref(doc);
        free(buf);
        mrs_report_table(sink, &r, k & 1);
        mrs_report_csv(sink, &r);
        mrs_report_markdown(sink, &r);
        mrs_report_html(sink, &r);
        mrs_report_clear(&r);
    }
}

static const char *const damage[] = {
    "UPDATE incidents SET class = ?1",   "UPDATE incidents SET prefix = ?1",  "UPDATE networks SET status2 = ?1",
    "UPDATE evidence SET peer_ip = ?1",  "UPDATE networks SET country = ?1",  "UPDATE evidence SET as_path = NULL",
    "UPDATE networks SET m2 = ?1",       "UPDATE runs SET status = ?1",       "DELETE FROM incident_propagators",
    "UPDATE incidents SET start_time = -5, end_time = ?1",
};

static void cleanup(const char *path)
{
    char side[128];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cursor c = {data, size};
    char err[256];
    char path[96];
    snprintf(path, sizeof path, "/dev/shm/fuzz_report_%ld.db", (long)getpid());
    cleanup(path);
    mrs_store *s = mrs_store_open(path, err, sizeof err);
    if (!s)
        return 0;
    FILE *sink = fopen("/dev/null", "w");
    if (!sink)
        abort();
    char inputs[64];
    int64_t run = mrs_store_begin_run(s, u32(&c), u32(&c), str(&c, inputs, sizeof inputs));
    unsigned nnet = u8(&c) % 6, ninc = u8(&c) % 6;
    uint32_t some_asn = 0;
    for (unsigned i = 0; i < nnet; i++) {
        mrs_network_metrics m;
        memset(&m, 0, sizeof m);
        m.asn = u32(&c);
        some_asn = m.asn;
        uint8_t cc = u8(&c);
        snprintf(m.country, sizeof m.country, "%s", cc & 1 ? "NL" : cc & 2 ? "" : "\x1b[");
        for (int k = 0; k < MRS_INC_NCLASSES; k++)
            m.raw[k] = m.raw_c[k] = dbl(&c);
        m.m1 = dbl(&c), m.m2 = dbl(&c), m.m2c = dbl(&c), m.m3 = dbl(&c), m.m5 = dbl(&c);
        m.m7irr = dbl(&c), m.m7rpki = dbl(&c), m.m7rpkin = dbl(&c);
        m.m6 = cc & 4, m.m8 = cc & 8;
        m.announced = u32(&c), m.irr_covered = u32(&c), m.rpki_valid = u32(&c), m.rpki_invalid = u32(&c);
        for (int a = 1; a <= 4; a++) {
            m.action[a] = dbl(&c);
            m.status[a] = (mrs_readiness)(u8(&c) % 4);
        }
        mrs_store_add_network(s, run, &m); /* duplicates fail: fine */
    }
    for (unsigned i = 0; i < ninc; i++) {
        mrs_incident inc;
        memset(&inc, 0, sizeof inc);
        inc.id = u8(&c);
        inc.cls = (mrs_incident_class)(u8(&c) % (MRS_INC_NCLASSES + 1));
        inc.culprit = u8(&c) & 1 ? some_asn : u32(&c);
        inc.accomplice = u32(&c);
        inc.prefix.afi = u8(&c) & 1 ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        inc.prefix.len = (uint8_t)(u8(&c) % (mrs_afi_bits(inc.prefix.afi) + 1));
        for (int k = 0; k < 16; k++)
            inc.prefix.addr[k] = k < (inc.prefix.afi == MRS_AFI_IPV6 ? 16 : 4) ? u8(&c) : 0;
        mrs_prefix_mask(&inc.prefix);
        inc.start = u32(&c), inc.end = u32(&c), inc.leak_type = u8(&c), inc.peers = u8(&c);
        uint32_t props[3] = {u32(&c), some_asn, u32(&c)};
        inc.propagators = props;
        inc.n_propagators = u8(&c) % 4;
        char aspath[64], file[64], note[64];
        mrs_evidence ev[2];
        memset(ev, 0, sizeof ev);
        inc.n_evidence = u8(&c) % 3;
        for (size_t k = 0; k < inc.n_evidence; k++) {
            ev[k].peer_asn = u32(&c);
            ev[k].peer_afi = (uint16_t)(u8(&c) % 4);
            for (int b = 0; b < 16; b++)
                ev[k].peer_ip[b] = u8(&c);
            ev[k].time = u32(&c);
            ev[k].as_path = str(&c, aspath, sizeof aspath);
            ev[k].file = str(&c, file, sizeof file);
            ev[k].note = u8(&c) & 1 ? str(&c, note, sizeof note) : NULL;
            ev[k].offset = (uint64_t)u32(&c) << 20;
        }
        inc.evidence = ev;
        mrs_store_add_incident(s, run, &inc);
    }
    char reason[64];
    mrs_store_end_run(s, run, u8(&c) & 1 ? "failed" : "complete", str(&c, reason, sizeof reason));
    mrs_store_close(s);
    uint8_t d = u8(&c);
    if (d & 0x80) {
        /* damage the stored rows as a hostile or broken file would */
        char text[64];
        str(&c, text, sizeof text);
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        if (sqlite3_open(path, &db) == SQLITE_OK &&
            sqlite3_prepare_v2(db, damage[d % (sizeof damage / sizeof damage[0])], -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_bind_parameter_count(st))
                sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
            sqlite3_step(st);
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    s = mrs_store_open_readonly(path, err, sizeof err);
    if (s) {
        report_all(s, run, some_asn, sink);
        report_all(s, run + 1, some_asn, sink); /* no such run */
        mrs_store_close(s);
    }
    fclose(sink);
    cleanup(path);
    return 0;
}
