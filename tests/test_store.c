/* test_store.c — the observatory's history (src/store/store.c): round trips of
 * incidents and networks, failed and interrupted runs, schema version checks,
 * migrations, history. Every case runs against both back-ends: SQLite always,
 * PostgreSQL when MANRS_PG_URL names a server (`make test-cluster`), each case in
 * a fresh schema of that database (search_path in the URL). */
#define _GNU_SOURCE /* strcasestr */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "manrs/store/store.h"

/* The back-end of the group being run: NULL for SQLite, else the server's URL.
 * (cmocka's group state does not reach the cases in every version.) */
static const char *pg_base;

/* PostgreSQL: a statement on the test's own connection; the case fails on error. */
static PGconn *pg_connect(const char *url)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("%s: %s", url, PQerrorMessage(c));
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    return c;
}

static void pg_do(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
}

/* A new store's name: a file in the scratch directory, or a new schema of the
 * PostgreSQL database (dropped with everything in it first). */
static const char *db_path(const char *name)
{
    static char p[4][800];
    static int slot;
    char *b = p[slot++ % 4];
    if (pg_base) {
        char schema[64];
        snprintf(schema, sizeof schema, "t_%.*s", (int)strcspn(name, "."), name);
        PGconn *c = pg_connect(pg_base);
        char sql[200];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema, schema);
        pg_do(c, sql);
        PQfinish(c);
        snprintf(b, 800, "%s%soptions=-csearch_path%%3D%s", pg_base, strchr(pg_base, '?') ? "&" : "?", schema);
        return b;
    }
    snprintf(b, 800, "%s/%s", tu_tmpdir(), name);
    unlink(b);
    char side[840];
    snprintf(side, sizeof side, "%s-wal", b);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", b);
    unlink(side);
    return b;
}

/* SQL straight into the store behind the program's back (old layouts, versions). */
static void raw_exec(const char *path, const char *sql)
{
    if (pg_base) {
        PGconn *c = pg_connect(path);
        pg_do(c, sql);
        PQfinish(c);
        return;
    }
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

static long long raw_int(const char *path, const char *sql)
{
    long long v = 0;
    if (pg_base) {
        PGconn *c = pg_connect(path);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
            fail_msg("%s: %s", sql, PQerrorMessage(c));
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        PQfinish(c);
        return v;
    }
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* `drops` (portable SQL) then the schema version set to `version`. */
static void downgrade(const char *path, const char *drops, int version)
{
    char sql[1024];
    if (pg_base)
        snprintf(sql, sizeof sql, "%s%sUPDATE manrs_schema SET version = %d", drops, *drops ? "; " : "", version);
    else
        snprintf(sql, sizeof sql, "%s%sPRAGMA user_version=%d", drops, *drops ? "; " : "", version);
    raw_exec(path, sql);
}

static void make_incident(mrs_incident *inc, uint64_t id, mrs_incident_class cls, uint32_t culprit, const char *pfx)
{
    memset(inc, 0, sizeof *inc);
    inc->id = id;
    inc->cls = cls;
    inc->culprit = culprit;
    assert_true(mrs_prefix_parse(pfx, strlen(pfx), &inc->prefix, true));
    inc->start = 1700000000;
    inc->end = 1700003600;
    inc->peers = 7;
}

/* An incident with two propagators (given out of order, one twice: stored once
 * each) and two pieces of evidence (IPv4 and IPv6 peer; a file name and a note with
 * the bytes PostgreSQL's COPY escapes, and a literal \N that is not a NULL). */
static void rich_incident(mrs_incident *inc)
{
    make_incident(inc, 42, MRS_INC_ROUTE_LEAK, 64511, "2001:db8:100::/48");
    static uint32_t props[] = {64502, 64500, 64502};
    inc->propagators = props;
    inc->n_propagators = 3;
    inc->accomplice = 64502;
    static uint32_t victims[] = {64496};   /* the leaked route's origin */
    inc->victims = victims;
    inc->n_victims = 1;
    inc->leak_type = 2;
    inc->confidence = MRS_CONF_LOW;
    inc->reasons = MRS_WHY_REL_CONFLICT | MRS_WHY_ONE_PEER;
    static mrs_evidence ev[2];
    memset(ev, 0, sizeof ev);
    ev[0].peer_asn = 3333;
    ev[0].peer_afi = MRS_AFI_IPV4;
    memcpy(ev[0].peer_ip, (uint8_t[4]){193, 0, 0, 56}, 4);
    ev[0].time = 1700000123;
    ev[0].as_path = "3333 64500 64502 64511";
    ev[0].file = "updates\t20231114\\2215\r\n.gz";
    ev[0].offset = 123456789012ull;
    ev[0].note = "valley: provider 64502 -> 64511 -> peer \\N";
    ev[1].peer_asn = 6939;
    ev[1].peer_afi = MRS_AFI_IPV6;
    unsigned afi;
    assert_true(mrs_ip_parse("2001:7f8::1b1b:0:1", 18, &afi, ev[1].peer_ip));
    ev[1].time = 1700000200;
    ev[1].as_path = "6939 64500 64502 64511";
    ev[1].file = "rib.20231114.2200.bz2";
    ev[1].offset = 0;
    ev[1].note = NULL;
    inc->evidence = ev;
    inc->n_evidence = 2;
}

static void make_network(mrs_network_metrics *m, uint32_t asn, const char *cc)
{
    memset(m, 0, sizeof *m);
    m->asn = asn;
    snprintf(m->country, sizeof m->country, "%s", cc);
    for (int i = 0; i < MRS_INC_NCLASSES; i++) {
        m->raw[i] = 0.5 * i;
        m->raw_c[i] = 0.25 * i;
    }
    m->m1 = 100;
    m->m1c = 60;
    m->m2 = 48.55;
    m->m2c = 36;
    m->m3 = 100;
    m->m3c = 100;
    m->m4 = 100;
    m->m4c = 1.0 / 3.0;
    m->m5 = -1;  /* no Spoofer test: no data */
    m->m5c = -1;
    m->m6 = true;
    m->m8 = false;
    m->announced = 10;
    m->irr_covered = 9;
    m->rpki_valid = 8;
    m->rpki_invalid = 1;
    m->m7irr = 90;
    m->m7rpki = 0;
    m->m7rpkin = 10;
    m->action[0] = -1;
    m->action[1] = 36;
    m->action[2] = -1;
    m->action[3] = 0;
    m->action[4] = 0;
    m->status[1] = MRS_LAGGING;
    m->status[2] = MRS_NO_DATA;
    m->status[3] = MRS_LAGGING;
    m->status[4] = MRS_READY;
}

static mrs_store *open_ok(const char *path)
{
    char err[512];
    mrs_store *s = mrs_store_open(path, err, sizeof err);
    if (!s)
        fail_msg("open %s: %s", path, err);
    return s;
}

static void incidents_and_networks_round_trip_exactly(void **state)
{
    (void)state;
    const char *path = db_path("roundtrip.db");
    mrs_store *s = open_ok(path);
    int64_t run = mrs_store_begin_run(s, 1700000000, 1700086400, "rib.mrt.gz updates.mrt.gz");
    assert_int_equal(run, 1);
    mrs_incident inc, plain;
    rich_incident(&inc);
    make_incident(&plain, 43, MRS_INC_BOGON_PREFIX, 64999, "10.0.0.0/8");
    assert_int_equal(mrs_store_add_incident(s, run, &inc), 0);
    assert_int_equal(mrs_store_add_incident(s, run, &plain), 0);
    mrs_network_metrics m, m2;
    make_network(&m, 64511, "NL");
    make_network(&m2, 4200000000u, "");
    m2.action[1] = 100;
    m2.status[1] = MRS_READY;
    assert_int_equal(mrs_store_add_network(s, run, &m2), 0);
    assert_int_equal(mrs_store_add_network(s, run, &m), 0);
    assert_int_equal(mrs_store_set_warnings(s, run, "--asrel x: 3172 days away\nsecond"), 0);
    assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), 0);
    mrs_store_close(s);

    char err[512];
    s = mrs_store_open_readonly(path, err, sizeof err);
    assert_non_null(s);
    mrs_run_info ri;
    assert_int_equal(mrs_store_run(s, 1, &ri), 0);
    assert_string_equal(ri.status, "complete");
    assert_string_equal(ri.inputs, "rib.mrt.gz updates.mrt.gz");
    assert_null(ri.reason);
    assert_int_equal(ri.window_start, 1700000000);
    assert_int_equal(ri.window_end, 1700086400);
    assert_int_equal(ri.schema_version, MRS_STORE_SCHEMA_VERSION);
    assert_string_equal(ri.tool_version, MANRS_VERSION);
    assert_int_equal(ri.n_networks, 2);
    assert_int_equal(ri.n_incidents, 2);
    assert_true(ri.started > 0 && ri.finished >= ri.started);
    assert_string_equal(ri.warnings, "--asrel x: 3172 days away\nsecond");
    mrs_run_info_clear(&ri);

    mrs_network_metrics *nv;
    size_t nn;
    assert_int_equal(mrs_store_networks(s, 1, "", &nv, &nn), 0);
    assert_int_equal(nn, 2);
    assert_int_equal(nv[0].asn, 64511); /* ordered by ASN */
    assert_int_equal(nv[1].asn, 4200000000u);
    /* every field round-trips bit for bit (no-data -1 goes through NULL) */
    assert_memory_equal(&nv[0], &m, sizeof m);
    assert_memory_equal(&nv[1], &m2, sizeof m2);
    free(nv);
    assert_int_equal(mrs_store_networks(s, 1, "NL", &nv, &nn), 0);
    assert_int_equal(nn, 1);
    assert_int_equal(nv[0].asn, 64511);
    free(nv);
    mrs_network_metrics one;
    assert_int_equal(mrs_store_network(s, 1, 4200000000u, &one), 0);
    assert_string_equal(one.country, "");
    assert_int_equal(mrs_store_network(s, 1, 1, &one), 1);

    mrs_incident_list l;
    assert_int_equal(mrs_store_incidents(s, 1, 0, &l), 0);
    assert_int_equal(l.n, 2);
    const mrs_incident *r = &l.v[0];
    assert_int_equal(r->id, 42);
    assert_int_equal(r->cls, MRS_INC_ROUTE_LEAK);
    assert_int_equal(r->culprit, 64511);
    assert_int_equal(r->accomplice, 64502);
    assert_true(mrs_prefix_equal(&r->prefix, &inc.prefix));
    assert_int_equal(r->start, 1700000000);
    assert_int_equal(r->end, 1700003600);
    assert_int_equal(r->leak_type, 2);
    assert_int_equal(r->peers, 7);
    assert_int_equal(r->confidence, MRS_CONF_LOW);
    assert_int_equal(r->reasons, MRS_WHY_REL_CONFLICT | MRS_WHY_ONE_PEER);
    assert_int_equal(l.v[1].confidence, MRS_CONF_HIGH);
    assert_int_equal(l.v[1].reasons, 0);
    assert_int_equal(r->n_propagators, 2);
    assert_int_equal(r->propagators[0], 64500);
    assert_int_equal(r->propagators[1], 64502);
    assert_int_equal(r->n_victims, 1);
    assert_int_equal(r->victims[0], 64496);
    assert_int_equal(l.v[1].n_victims, 0);
    assert_int_equal(r->n_evidence, 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(r->evidence[i].peer_asn, inc.evidence[i].peer_asn);
        assert_int_equal(r->evidence[i].peer_afi, inc.evidence[i].peer_afi);
        assert_memory_equal(r->evidence[i].peer_ip, inc.evidence[i].peer_ip, 16);
        assert_int_equal(r->evidence[i].time, inc.evidence[i].time);
        assert_string_equal(r->evidence[i].as_path, inc.evidence[i].as_path);
        assert_string_equal(r->evidence[i].file, inc.evidence[i].file);
        assert_true(r->evidence[i].offset == inc.evidence[i].offset);
    }
    assert_string_equal(r->evidence[0].note, inc.evidence[0].note);
    assert_null(r->evidence[1].note);
    assert_int_equal(l.v[1].cls, MRS_INC_BOGON_PREFIX);
    assert_int_equal(l.v[1].n_propagators, 0);
    assert_int_equal(l.v[1].n_evidence, 0);
    mrs_incident_list_clear(&l);
    /* by network: culprit, accomplice or propagator */
    assert_int_equal(mrs_store_incidents(s, 1, 64500, &l), 0); /* propagator only */
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].id, 42);
    mrs_incident_list_clear(&l);
    assert_int_equal(mrs_store_incidents(s, 1, 64999, &l), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].id, 43);
    mrs_incident_list_clear(&l);
    assert_int_equal(mrs_store_incidents(s, 1, 64496, &l), 0); /* victim only */
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].id, 42);
    mrs_incident_list_clear(&l);
    assert_int_equal(mrs_store_incidents(s, 1, 3333, &l), 0); /* a collector peer is not involved */
    assert_int_equal(l.n, 0);
    mrs_incident_list_clear(&l);
    /* read-only handle refuses to write */
    assert_int_equal(mrs_store_begin_run(s, 0, 0, ""), -1);
    assert_non_null(strstr(mrs_store_errmsg(s), "read-only"));
    mrs_store_close(s);
}

static void failed_run_keeps_no_rows_and_says_why(void **state)
{
    (void)state;
    const char *path = db_path("failed.db");
    mrs_store *s = open_ok(path);
    int64_t run = mrs_store_begin_run(s, 10, 20, "broken.mrt");
    assert_true(run > 0);
    mrs_incident inc;
    make_incident(&inc, 1, MRS_INC_HIJACK_ORIGIN, 64500, "192.0.2.0/24");
    assert_int_equal(mrs_store_add_incident(s, run, &inc), 0);
    mrs_network_metrics m;
    make_network(&m, 64500, "DE");
    assert_int_equal(mrs_store_add_network(s, run, &m), 0);
    /* bad status words are refused, the run stays open */
    assert_int_equal(mrs_store_end_run(s, run, "done", NULL), -1);
    assert_int_equal(mrs_store_end_run(s, run, "failed", "broken.mrt: offset 4096: truncated record"), 0);
    assert_int_equal(mrs_store_latest_complete(s), 0);
    mrs_run_info ri;
    assert_int_equal(mrs_store_run(s, run, &ri), 0);
    assert_string_equal(ri.status, "failed");
    assert_string_equal(ri.reason, "broken.mrt: offset 4096: truncated record");
    assert_int_equal(ri.n_networks, 0);
    assert_int_equal(ri.n_incidents, 0);
    assert_true(ri.finished > 0);
    mrs_run_info_clear(&ri);
    /* writing to an ended run is refused */
    assert_int_equal(mrs_store_add_incident(s, run, &inc), -1);
    mrs_store_close(s);
}

static void run_with_a_failed_insert_is_never_complete(void **state)
{
    (void)state;
    const char *path = db_path("partial.db");
    mrs_store *s = open_ok(path);
    int64_t run = mrs_store_begin_run(s, 1, 2, "x");
    mrs_incident inc;
    make_incident(&inc, 7, MRS_INC_BOGON_ASN, 64500, "192.0.2.0/24");
    assert_int_equal(mrs_store_add_incident(s, run, &inc), 0);
    /* the same incident id twice is an error, not a silent overwrite: at once on
     * SQLite; PostgreSQL pipelines a run's rows (db_pg.c), so its refusal may come
     * with a later row or at the end of the run, never lost */
    int again = mrs_store_add_incident(s, run, &inc);
    if (!pg_base) {
        assert_int_equal(again, -1);
        assert_non_null(strcasestr(mrs_store_errmsg(s), "UNIQUE"));
    }
    /* a caller that ignores the error and asks for "complete" gets a failed run */
    assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), -1);
    assert_non_null(strstr(mrs_store_errmsg(s), "store: "));
    mrs_run_info ri;
    assert_int_equal(mrs_store_run(s, run, &ri), 0);
    assert_string_equal(ri.status, "failed");
    assert_non_null(strstr(ri.reason, pg_base ? "incidents_pkey" : "add incident"));
    assert_non_null(strcasestr(ri.reason, "UNIQUE")); /* PostgreSQL: "unique constraint" */
    assert_int_equal(ri.n_incidents, 0);
    mrs_run_info_clear(&ri);
    assert_int_equal(mrs_store_latest_complete(s), 0);
    /* an invalid class is refused the same way */
    run = mrs_store_begin_run(s, 1, 2, "y");
    inc.cls = MRS_INC_NCLASSES;
    assert_int_equal(mrs_store_add_incident(s, run, &inc), -1);
    assert_non_null(strstr(mrs_store_errmsg(s), "invalid class"));
    assert_int_equal(mrs_store_end_run(s, run, "failed", "gave up"), 0);
    assert_int_equal(mrs_store_run(s, run, &ri), 0);
    assert_string_equal(ri.reason, "gave up");
    mrs_run_info_clear(&ri);
    mrs_store_close(s);
}

/* Thousands of rows (several pipeline batches on PostgreSQL) with one refused
 * in the middle: the run is failed, no row kept, the refusal named; then, on the
 * same handle, a good run (its statements, first used after the refusal, still
 * work) read back whole. */
static void bulk_rows_and_a_refused_one(void **state)
{
    (void)state;
    const char *path = db_path("bulk.db");
    mrs_store *s = open_ok(path);
    for (int bad = 1; bad >= 0; bad--) {
        int64_t run = mrs_store_begin_run(s, 1, 2, bad ? "bad" : "good");
        assert_true(run > 0);
        int refused = 0;
        for (uint64_t i = 1; i <= 3000; i++) {
            mrs_incident inc;
            make_incident(&inc, bad && i == 1700 ? 1699 : i, MRS_INC_BOGON_ASN, 64500 + (uint32_t)(i % 7),
                          "192.0.2.0/24");
            if (mrs_store_add_incident(s, run, &inc) != 0)
                refused++;
        }
        mrs_network_metrics m;   /* a statement first used after the refusal */
        make_network(&m, 64500, "NL");
        if (mrs_store_add_network(s, run, &m) != 0)
            refused++;
        if (!bad) {
            assert_int_equal(refused, 0);
            assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), 0);
            mrs_run_info ri;
            assert_int_equal(mrs_store_run(s, run, &ri), 0);
            assert_string_equal(ri.status, "complete");
            assert_int_equal(ri.n_incidents, 3000);
            assert_int_equal(ri.n_networks, 1);
            mrs_run_info_clear(&ri);
        } else {
            /* SQLite: that row; PostgreSQL: the call that read the batch's answers
             * and every later one (the transaction is aborted), or none before the end */
            assert_true(pg_base ? refused <= 3000 - 1699 + 1 : refused == 1);
            assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), -1);
            mrs_run_info ri;
            assert_int_equal(mrs_store_run(s, run, &ri), 0);
            assert_string_equal(ri.status, "failed");
            assert_non_null(strcasestr(ri.reason, "UNIQUE"));
            assert_int_equal(ri.n_incidents, 0);
            mrs_run_info_clear(&ri);
        }
    }
    assert_true(mrs_store_latest_complete(s) > 0);
    mrs_store_close(s);
}

static void interrupted_run_reads_as_incomplete(void **state)
{
    (void)state;
    const char *path = db_path("crash.db");
    /* a complete run first, so that "latest" has something to fall back to */
    mrs_store *s = open_ok(path);
    int64_t r1 = mrs_store_begin_run(s, 1, 2, "a");
    mrs_network_metrics m;
    make_network(&m, 64500, "FR");
    assert_int_equal(mrs_store_add_network(s, r1, &m), 0);
    assert_int_equal(mrs_store_end_run(s, r1, "complete", NULL), 0);
    mrs_store_close(s);
    /* a child process dies in the middle of run 2 without closing anything */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char err[256];
        mrs_store *c = mrs_store_open(path, err, sizeof err);
        if (!c)
            _exit(3);
        int64_t r2 = mrs_store_begin_run(c, 2, 3, "b");
        mrs_network_metrics cm;
        make_network(&cm, 64501, "FR");
        if (r2 != 2 || mrs_store_add_network(c, r2, &cm))
            _exit(4);
        _exit(0); /* crash: no end_run, no close */
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

    s = open_ok(path);
    mrs_run_info *v;
    size_t n;
    assert_int_equal(mrs_store_runs(s, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].status, "complete");
    assert_string_equal(v[1].status, "incomplete");
    assert_int_equal(v[1].n_networks, 0);
    assert_int_equal(v[1].finished, 0);
    mrs_run_infos_free(v, n);
    assert_int_equal(mrs_store_latest_complete(s), 1);
    /* closing a handle with an open run is the same: incomplete, no rows */
    int64_t r3 = mrs_store_begin_run(s, 3, 4, "c");
    assert_int_equal(r3, 3);
    mrs_run_info ri;
    assert_int_equal(mrs_store_run(s, r3, &ri), 0);
    assert_string_equal(ri.status, "running"); /* this handle is still writing it */
    mrs_run_info_clear(&ri);
    assert_int_equal(mrs_store_add_network(s, r3, &m), 0);
    /* only one run at a time */
    assert_int_equal(mrs_store_begin_run(s, 3, 4, "d"), -1);
    mrs_store_close(s);
    s = open_ok(path);
    assert_int_equal(mrs_store_run(s, r3, &ri), 0);
    assert_string_equal(ri.status, "incomplete");
    assert_int_equal(ri.n_networks, 0);
    mrs_run_info_clear(&ri);
    assert_int_equal(mrs_store_latest_complete(s), 1);
    assert_int_equal(mrs_store_run(s, 99, &ri), 1);
    assert_non_null(strstr(mrs_store_errmsg(s), "no run 99"));
    mrs_store_close(s);
}

static void schema_version_and_identity_are_checked(void **state)
{
    (void)state;
    char err[512];
    const char *path = db_path("schema.db");
    mrs_store *s = open_ok(path);
    mrs_store_close(s);
    if (pg_base) {
        assert_int_equal(raw_int(path, "SELECT version FROM manrs_schema"), MRS_STORE_SCHEMA_VERSION);
    } else {
        assert_int_equal(raw_int(path, "PRAGMA user_version"), MRS_STORE_SCHEMA_VERSION);
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
        sqlite3_finalize(st);
        sqlite3_close(db);
    }

    /* reopening the current version is fine */
    s = open_ok(path);
    mrs_store_close(s);
    /* a newer schema: refused by both writer and reader, with the versions named */
    char said[64];
    snprintf(said, sizeof said, "schema version %d is newer", MRS_STORE_SCHEMA_VERSION + 1);
    downgrade(path, "", MRS_STORE_SCHEMA_VERSION + 1);
    assert_null(mrs_store_open(path, err, sizeof err));
    assert_non_null(strstr(err, said));
    assert_non_null(strstr(err, path));
    assert_null(mrs_store_open_readonly(path, err, sizeof err));
    assert_non_null(strstr(err, said));

    /* a foreign database is not taken over */
    const char *foreign = db_path("foreign.db");
    raw_exec(foreign, "CREATE TABLE t(x INTEGER)");
    assert_null(mrs_store_open(foreign, err, sizeof err));
    assert_non_null(strstr(err, "not a manrs store"));
    if (pg_base) {
        /* an empty schema: the reader does not create the store */
        const char *empty = db_path("empty.db");
        assert_null(mrs_store_open_readonly(empty, err, sizeof err));
        assert_non_null(strstr(err, "not a manrs store"));
        assert_int_equal(raw_int(empty, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"), 0);
        return;
    }
    /* not SQLite at all */
    static const char junk_text[] = "this is not a database, just some text bytes, long enough to fill an SQLite header page";
    const char *junk = tu_write_tmp("junk.db", junk_text, sizeof junk_text - 1);
    assert_null(mrs_store_open_readonly(junk, err, sizeof err));
    assert_non_null(strstr(err, "not a database"));
    /* missing file: the reader does not create one */
    const char *missing = db_path("missing.db");
    assert_null(mrs_store_open_readonly(missing, err, sizeof err));
    assert_non_null(strstr(err, "No such file"));
    assert_int_equal(access(missing, F_OK), -1);
}

/* An unreachable PostgreSQL server: a clear error naming the URL (without its
 * password), within the connect timeout. Needs no server. */
static void unreachable_postgresql_is_named(void **state)
{
    (void)state;
    char err[512];
    time_t t0 = time(NULL);
    assert_null(mrs_store_open("postgresql://manrs:s3cret@127.0.0.1:1/x", err, sizeof err));
    assert_non_null(strstr(err, "postgresql://manrs@127.0.0.1:1/x: cannot connect"));
    assert_null(strstr(err, "s3cret"));
    assert_null(mrs_store_open_readonly("postgres://127.0.0.1:1/x?password=s3cret&connect_timeout=1", err, sizeof err));
    assert_non_null(strstr(err, "postgres://127.0.0.1:1/x?connect_timeout=1: cannot connect"));
    assert_null(strstr(err, "s3cret"));
    assert_true(time(NULL) - t0 <= 6);
}

/* A store written by a version-1 manrs (no confidence, reasons or warnings):
 * reading needs the migration, which the writer does; its incidents were all
 * published and come back high. */
static void version_1_store_is_migrated(void **state)
{
    (void)state;
    char err[512];
    const char *path = db_path("v1.db");
    mrs_store *s = open_ok(path);
    int64_t run = mrs_store_begin_run(s, 1700000000, 1700003600, "old");
    mrs_incident plain;
    make_incident(&plain, 1, MRS_INC_BOGON_ASN, 64999, "192.0.2.0/24");
    assert_int_equal(mrs_store_add_incident(s, run, &plain), 0);
    assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), 0);
    mrs_store_close(s);
    /* back to the version-1 layout */
    downgrade(path, "DROP TABLE split_parts; DROP TABLE split_partitions; DROP TABLE split_runs; DROP TABLE conformance; DROP TABLE enforcement; "
                    "DROP TABLE incident_victims; ALTER TABLE networks DROP COLUMN name; "
                    "ALTER TABLE incidents DROP COLUMN confidence; ALTER TABLE incidents DROP COLUMN reasons; "
                    "ALTER TABLE runs DROP COLUMN warnings", 1);
    assert_null(mrs_store_open_readonly(path, err, sizeof err));
    assert_non_null(strstr(err, "older than this manrs"));
    s = open_ok(path);   /* the writer migrates */
    mrs_store_close(s);
    s = mrs_store_open_readonly(path, err, sizeof err);
    assert_non_null(s);
    mrs_incident_list l;
    assert_int_equal(mrs_store_incidents(s, 1, 0, &l), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].confidence, MRS_CONF_HIGH);
    assert_int_equal(l.v[0].reasons, 0);
    assert_int_equal(l.v[0].n_victims, 0);
    mrs_incident_list_clear(&l);
    mrs_run_info ri;
    assert_int_equal(mrs_store_run(s, 1, &ri), 0);
    assert_string_equal(ri.warnings, "");
    mrs_run_info_clear(&ri);
    mrs_store_close(s);
}

/* A store written by a version-2 manrs (no victims, no names): migrated by the
 * writer, its old runs read back with no victims, a new run records them and
 * the networks' names. */
static void version_2_store_gains_victims(void **state)
{
    (void)state;
    char err[512];
    const char *path = db_path("v2.db");
    mrs_store *s = open_ok(path);
    int64_t run = mrs_store_begin_run(s, 1700000000, 1700003600, "old");
    mrs_incident plain;
    make_incident(&plain, 1, MRS_INC_HIJACK_ORIGIN, 64999, "192.0.2.0/24");
    assert_int_equal(mrs_store_add_incident(s, run, &plain), 0);
    assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), 0);
    mrs_store_close(s);
    downgrade(path, "DROP TABLE split_parts; DROP TABLE split_partitions; DROP TABLE split_runs; DROP TABLE conformance; DROP TABLE enforcement; "
                    "DROP TABLE incident_victims; "
                    "ALTER TABLE networks DROP COLUMN name", 2);
    assert_null(mrs_store_open_readonly(path, err, sizeof err));
    assert_non_null(strstr(err, "older than this manrs"));
    s = open_ok(path);
    run = mrs_store_begin_run(s, 1700003600, 1700007200, "new");
    uint32_t victim = 64500;
    plain.victims = &victim;
    plain.n_victims = 1;
    assert_int_equal(mrs_store_add_incident(s, run, &plain), 0);
    mrs_network_metrics nm;
    make_network(&nm, 64500, "NL");
    snprintf(nm.name, sizeof nm.name, "Example Networks B.V. \xc3\xa9");
    assert_int_equal(mrs_store_add_network(s, run, &nm), 0);
    assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), 0);
    mrs_incident_list l;
    assert_int_equal(mrs_store_incidents(s, 1, 64500, &l), 0);
    assert_int_equal(l.n, 0);
    mrs_incident_list_clear(&l);
    assert_int_equal(mrs_store_incidents(s, 2, 64500, &l), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].n_victims, 1);
    assert_int_equal(l.v[0].victims[0], 64500);
    mrs_incident_list_clear(&l);
    mrs_network_metrics back;
    assert_int_equal(mrs_store_network(s, 2, 64500, &back), 0);
    assert_string_equal(back.name, "Example Networks B.V. \xc3\xa9");
    mrs_store_close(s);
}

/* Version 4 (the programme's conformance per period): a version 3 store is
 * migrated; a period's verdicts replace that period's, and the enforcement state
 * carries over to the next period, never from a later one. */
static void version_3_store_gains_conformance(void **state)
{
    (void)state;
    char err[512];
    const char *path = db_path("v3.db");
    mrs_store *s = open_ok(path);
    mrs_store_close(s);
    downgrade(path, "DROP TABLE split_parts; DROP TABLE split_partitions; DROP TABLE split_runs; DROP TABLE conformance; DROP TABLE enforcement", 3);
    assert_null(mrs_store_open_readonly(path, err, sizeof err));
    s = open_ok(path);
    static const char reg_yaml[] = "version: 1\nparticipants:\n"
                                   "  - {organisation: A, programme: network-operator, tier: manrs, joined: 2020-01-01,"
                                   " contact: noc@a.example, asns: [{asn: 64500, actions: [1, 4]}]}\n";
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mrs_registry reg;
    assert_int_equal(mrs_registry_load_mem(reg_yaml, sizeof reg_yaml - 1, "reg.yml", &reg, &d), 0);
    assert_int_equal(reg.n, 1);
    mrs_network_metrics nm;
    make_network(&nm, 64500, "NL");
    nm.announced = 10;
    nm.m1 = nm.m1c = nm.m2 = nm.m2c = nm.m3 = nm.m3c = nm.m4 = nm.m4c = 100;
    nm.m7rpki = 50;
    nm.m7irr = 80;
    mrs_network_list nets = {&nm, 1};
    mrs_conformance_input ci = {.reg = &reg, .nets = &nets};
    mrs_score_cfg_default(&ci.score);
    mrs_conformance c;
    assert_int_equal(mrs_conformance_compute(&ci, &c), 0);
    assert_int_equal(c.v[0].outcome, MRS_VERDICT_NOT);
    /* a long list of incidents is stored whole (it was cut at 4 KB once) */
    mrs_action_verdict *a1 = &c.v[0].asns[0].a[1];
    free(a1->incidents);
    a1->incidents = malloc(1000 * sizeof *a1->incidents);
    assert_non_null(a1->incidents);
    for (unsigned i = 0; i < 1000; i++)
        a1->incidents[i] = 1000000000000ULL + i; /* 13 digits each */
    a1->n_incidents = 1000;
    mrs_enforcement e, prev;
    char pp[8];
    assert_int_equal(mrs_store_enforcement_before(s, "a", "2025-11", &prev, pp), 1);
    e = mrs_enforce_step(prev, c.v[0].outcome, &reg.tiers[MRS_TIER_MANRS]);
    assert_int_equal(mrs_store_put_conformance(s, "2025-11", 0, &c, &e, "manrs-2020"), 0);
    /* the same period again replaces it */
    assert_int_equal(mrs_store_put_conformance(s, "2025-11", 0, &c, &e, "manrs-2020"), 0);
    assert_int_equal(mrs_store_enforcement_before(s, "a", "2025-11", &prev, pp), 1);
    assert_int_equal(mrs_store_enforcement_before(s, "a", "2025-12", &prev, pp), 0);
    assert_string_equal(pp, "2025-11");
    assert_int_equal(prev.state, MRS_ENF_NOTICE);
    assert_int_equal(prev.failing, 1);
    e = mrs_enforce_step(prev, c.v[0].outcome, &reg.tiers[MRS_TIER_MANRS]);
    assert_int_equal(e.state, MRS_ENF_GRACE);
    assert_int_equal(mrs_store_put_conformance(s, "2026-01", 0, &c, &e, "manrs-2020"), 0);
    assert_int_equal(mrs_store_enforcement_before(s, "a", "2025-12", &prev, pp), 0);
    assert_string_equal(pp, "2025-11");     /* never from a later period */
    assert_int_equal(mrs_store_enforcement_before(s, "a", "2026-02", &prev, pp), 0);
    assert_string_equal(pp, "2026-01");
    assert_int_equal(prev.state, MRS_ENF_GRACE);
    mrs_store_close(s);
    /* two committed Actions of one ASN: two rows per period */
    assert_int_equal(raw_int(path, "SELECT count(*) FROM conformance"), 4);
    assert_int_equal(raw_int(path, "SELECT max(length(incidents)) FROM conformance"), 1000 * 13 + 999);
    /* Action 4 (80 < 90) in both periods */
    assert_int_equal(raw_int(path, "SELECT count(*) FROM conformance WHERE verdict = 'not-conformant'"), 2);
    mrs_conformance_clear(&c);
    mrs_registry_clear(&reg);
}

static void second_run_adds_to_history(void **state)
{
    (void)state;
    const char *path = db_path("history.db");
    for (int k = 0; k < 2; k++) {
        mrs_store *s = open_ok(path);
        int64_t run = mrs_store_begin_run(s, 1000u * (unsigned)k, 1000u * (unsigned)k + 999, k ? "window 2" : "window 1");
        assert_int_equal(run, k + 1);
        mrs_network_metrics m;
        make_network(&m, 64500, "JP");
        m.action[4] = 50 + 25 * k;
        assert_int_equal(mrs_store_add_network(s, run, &m), 0);
        mrs_incident inc;
        make_incident(&inc, 1, MRS_INC_RPKI_INVALID, 64500, k ? "198.51.100.0/24" : "203.0.113.0/24");
        assert_int_equal(mrs_store_add_incident(s, run, &inc), 0); /* same id, other run */
        assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), 0);
        mrs_store_close(s);
    }
    mrs_store *s = open_ok(path);
    assert_int_equal(mrs_store_latest_complete(s), 2);
    mrs_network_metrics a, b;
    assert_int_equal(mrs_store_network(s, 1, 64500, &a), 0);
    assert_int_equal(mrs_store_network(s, 2, 64500, &b), 0);
    assert_true(a.action[4] == 50 && b.action[4] == 75);
    mrs_incident_list l;
    assert_int_equal(mrs_store_incidents(s, 1, 0, &l), 0);
    assert_int_equal(l.n, 1);
    char pb[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&l.v[0].prefix, pb);
    assert_string_equal(pb, "203.0.113.0/24");
    mrs_incident_list_clear(&l);
    mrs_store_close(s);
}

static void class_names_are_those_of_truth_json(void **state)
{
    (void)state;
    static const char *const want[] = {"route-leak", "hijack-origin", "hijack-subprefix", "hijack-path",
                                       "bogon-prefix", "bogon-asn", "rpki-invalid"};
    for (int i = 0; i < MRS_INC_NCLASSES; i++) {
        assert_string_equal(mrs_incident_class_name((mrs_incident_class)i), want[i]);
        mrs_incident_class c;
        assert_true(mrs_incident_class_parse(want[i], &c));
        assert_int_equal(c, i);
    }
    mrs_incident_class c;
    assert_false(mrs_incident_class_parse("hijack", &c));
    assert_string_equal(mrs_incident_class_name(MRS_INC_NCLASSES), "unknown");
    mrs_readiness r;
    assert_true(mrs_readiness_parse("aspiring", &r) && r == MRS_ASPIRING);
    assert_false(mrs_readiness_parse("Ready", &r));
}

/* Version 5: runs split by prefix over workers (store.h "split"). A version-4
 * store gains the tables; a split run is created once per (stream, feed, seal,
 * spec); a part row is kept as first written, its blobs (zero bytes, every byte
 * value, a megabyte, none, empty) read back bit for bit; the merged facts; the
 * progress, the missing partitions and whether workers are still needed. */
static int collect_part(const mrs_split_part *p, void *ctx, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    uint8_t **big = ctx;
    if (p->part == 7) {
        assert_non_null(p->facts);
        assert_int_equal(p->n_facts, 1 << 20);
        memcpy(*big, p->facts, p->n_facts);
        assert_null(p->incidents);
        assert_int_equal(p->n_incidents, 0);
        assert_string_equal(p->worker, "w1");
        assert_int_equal(p->events, 123456789012ULL);
        assert_int_equal(p->malformed, 2);
    } else {
        assert_int_equal(p->part, 300);
        assert_non_null(p->facts);
        assert_int_equal(p->n_facts, 0);   /* empty, not NULL */
        assert_int_equal(p->n_incidents, 256);
        for (int i = 0; i < 256; i++)
            assert_int_equal(p->incidents[i], i);
    }
    return 0;
}

static int refuse_part(const mrs_split_part *p, void *ctx, char *err, size_t errlen)
{
    (void)p;
    (void)ctx;
    snprintf(err, errlen, "bad bytes");
    return -1;
}

static void collect_worker(uint32_t part, const char *worker, void *ctx)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 64 - n, "%u=%s ", part, worker);
}

static void split_runs_round_trip(void **state)
{
    (void)state;
    const char *path = db_path("split.db");
    mrs_store *s = open_ok(path);
    mrs_store_close(s);
    downgrade(path, "DROP TABLE split_parts; DROP TABLE split_partitions; DROP TABLE split_runs", 4);
    s = open_ok(path);   /* migrated to 5 */
    uint32_t parts[3] = {7, 10, 300};
    uint64_t msgs[3] = {5, 1, 9};
    mrs_split_info in = {.stream = "s1", .feed = "mrt", .seal = "{\"version\":1}", .spec = "{\"k\":1}",
                         .inputs = "rib=a updates=b"};
    bool existed = true;
    int64_t id = mrs_store_split_create(s, &in, parts, msgs, 3, &existed);
    assert_int_equal(id, 1);
    assert_false(existed);
    assert_int_equal(mrs_store_split_create(s, &in, parts, msgs, 3, &existed), 1);
    assert_true(existed);
    in.spec = "{\"k\":2}";   /* other knowledge: another run */
    int64_t id2 = mrs_store_split_create(s, &in, parts, NULL, 1, &existed);
    assert_true(id2 > id);   /* PostgreSQL's identity may skip the number a conflict took */
    assert_false(existed);
    mrs_split_info info;
    assert_int_equal(mrs_store_split_get(s, 1, &info), 0);
    assert_string_equal(info.stream, "s1");
    assert_string_equal(info.seal, "{\"version\":1}");
    assert_string_equal(info.spec, "{\"k\":1}");
    assert_string_equal(info.inputs, "rib=a updates=b");
    assert_string_equal(info.status, "running");
    assert_int_equal(info.phase, 1);
    assert_int_equal(info.n_parts, 3);
    assert_int_equal(info.run, 0);
    mrs_split_info_clear(&info);
    assert_int_equal(mrs_store_split_get(s, 99, &info), 1);
    uint32_t *v;
    uint64_t *m;
    size_t n;
    assert_int_equal(mrs_store_split_partitions(s, 1, &v, &m, &n), 0);
    assert_int_equal(n, 3);
    assert_true(v[0] == 7 && v[1] == 10 && v[2] == 300 && m[2] == 9);
    free(v);
    free(m);
    int64_t waiting, total;
    assert_int_equal(mrs_store_split_waiting(s, "s1", 0, &waiting, &total), 0);
    assert_true(waiting == 2 && total == 2);
    assert_int_equal(mrs_store_split_waiting(s, "other", 0, &waiting, &total), 0);
    assert_true(waiting == 0 && total == 0);
    /* rows: a megabyte of every byte value, none, empty */
    uint8_t *big = malloc(1 << 20), *back = malloc(1 << 20), bytes[256];
    assert_true(big && back);
    for (size_t i = 0; i < (1u << 20); i++)
        big[i] = (uint8_t)(i * 2654435761u >> 13);
    for (int i = 0; i < 256; i++)
        bytes[i] = (uint8_t)i;
    mrs_split_part p = {.split = 1, .phase = 1, .part = 7, .facts = big, .n_facts = 1 << 20, .events = 123456789012ULL,
                        .messages = 5, .malformed = 2, .worker = "w1", .seconds = 0.25};
    assert_int_equal(mrs_store_split_has_part(s, 1, 1, 7), 0);
    assert_int_equal(mrs_store_split_put_part(s, &p), 0);
    assert_int_equal(mrs_store_split_has_part(s, 1, 1, 7), 1);
    p.worker = "w2";   /* a task delivered twice: the first row stays */
    p.malformed = 9;
    assert_int_equal(mrs_store_split_put_part(s, &p), 1);
    mrs_split_part q = {.split = 1, .phase = 1, .part = 300, .facts = bytes, .n_facts = 0, .incidents = bytes,
                        .n_incidents = 256, .worker = "w2"};
    assert_int_equal(mrs_store_split_put_part(s, &q), 0);
    q.phase = 3;
    assert_int_equal(mrs_store_split_put_part(s, &q), -1);
    /* who computed what: the first row's worker */
    char who[64] = "";
    assert_int_equal(mrs_store_split_workers(s, 1, 1, collect_worker, who), 0);
    assert_string_equal(who, "7=w1 300=w2 ");
    who[0] = 0;
    assert_int_equal(mrs_store_split_workers(s, 1, 2, collect_worker, who), 0);
    assert_string_equal(who, "");
    uint64_t done, malformed;
    assert_int_equal(mrs_store_split_progress(s, 1, 1, &done, &malformed), 0);
    assert_true(done == 2 && malformed == 2);
    assert_int_equal(mrs_store_split_missing(s, 1, 1, &v, &n), 0);
    assert_true(n == 1 && v[0] == 10);
    free(v);
    assert_int_equal(mrs_store_split_missing(s, 1, 2, &v, &n), 0);
    assert_int_equal(n, 3);   /* the largest first */
    assert_true(v[0] == 300 && v[1] == 7 && v[2] == 10);
    free(v);
    memset(back, 0, 1 << 20);
    assert_int_equal(mrs_store_split_each_part(s, 1, 1, collect_part, &back), 0);
    assert_memory_equal(back, big, 1 << 20);
    assert_int_equal(mrs_store_split_each_part(s, 1, 1, refuse_part, NULL), -1);
    assert_non_null(strstr(mrs_store_errmsg(s), "split run 1, phase 1, part 7: bad bytes"));
    /* the merged facts */
    uint8_t *f;
    size_t fl;
    assert_int_equal(mrs_store_split_facts(s, 1, &f, &fl), 1);
    assert_int_equal(mrs_store_split_set_facts(s, 1, big, 1 << 20), 0);
    assert_int_equal(mrs_store_split_facts(s, 1, &f, &fl), 0);
    assert_int_equal(fl, 1 << 20);
    assert_memory_equal(f, big, fl);
    free(f);
    assert_int_equal(mrs_store_split_get(s, 1, &info), 0);
    assert_int_equal(info.phase, 2);
    mrs_split_info_clear(&info);
    /* phase 2 in: workers are no longer needed for run 1 */
    for (int i = 0; i < 3; i++) {
        mrs_split_part r = {.split = 1, .phase = 2, .part = parts[i], .worker = "w1"};
        assert_int_equal(mrs_store_split_put_part(s, &r), 0);
    }
    assert_int_equal(mrs_store_split_waiting(s, "s1", 1, &waiting, &total), 0);
    assert_true(waiting == 0 && total == 1);
    assert_int_equal(mrs_store_split_waiting(s, NULL, 0, &waiting, &total), 0);
    assert_true(waiting == 1 && total == 2);
    /* the end, with the observatory run; a run open on the handle refuses split calls */
    int64_t run = mrs_store_begin_run(s, 1, 2, "x");
    assert_true(run > 0);
    assert_int_equal(mrs_store_split_end(s, 1, "complete", NULL, run), -1);
    assert_int_equal(mrs_store_end_run(s, run, "complete", NULL), 0);
    assert_int_equal(mrs_store_split_end(s, 1, "complete", NULL, run), 0);
    assert_int_equal(mrs_store_split_end(s, id2, "done", NULL, 0), -1);
    assert_int_equal(mrs_store_split_get(s, 1, &info), 0);
    assert_string_equal(info.status, "complete");
    assert_int_equal(info.run, run);
    assert_true(info.finished > 0);
    mrs_split_info_clear(&info);
    mrs_store_close(s);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM split_parts"), 5);
    free(big);
    free(back);
}

static int use_sqlite(void **state)
{
    (void)state;
    pg_base = NULL;
    return 0;
}

static int use_postgresql(void **state)
{
    (void)state;
    pg_base = getenv("MANRS_PG_URL");
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(incidents_and_networks_round_trip_exactly),
        cmocka_unit_test(failed_run_keeps_no_rows_and_says_why),
        cmocka_unit_test(run_with_a_failed_insert_is_never_complete),
        cmocka_unit_test(bulk_rows_and_a_refused_one),
        cmocka_unit_test(interrupted_run_reads_as_incomplete),
        cmocka_unit_test(schema_version_and_identity_are_checked),
        cmocka_unit_test(version_2_store_gains_victims),
        cmocka_unit_test(version_3_store_gains_conformance),
        cmocka_unit_test(version_1_store_is_migrated),
        cmocka_unit_test(second_run_adds_to_history),
        cmocka_unit_test(split_runs_round_trip),
    };
    const struct CMUnitTest once[] = {
        cmocka_unit_test(class_names_are_those_of_truth_json),
        cmocka_unit_test(unreachable_postgresql_is_named),
    };
    int fails = cmocka_run_group_tests_name("store on SQLite", tests, use_sqlite, NULL);
    fails += cmocka_run_group_tests_name("store", once, NULL, NULL);
    const char *url = getenv("MANRS_PG_URL");
    if (url && *url)
        fails += cmocka_run_group_tests_name("store on PostgreSQL", tests, use_postgresql, NULL);
    else
        printf("[  SKIPPED ] store on PostgreSQL: MANRS_PG_URL not set (make test-cluster sets it)\n");
    return fails;
}
