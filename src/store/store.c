/*
 * store.c — the observatory's history (store.h, docs/store.md), in SQLite or in
 * PostgreSQL: the schema, the migrations and every query are here once, in the
 * SQL both accept; db.h holds the two back-ends (db_sqlite.c, db_pg.c).
 *
 * Design:
 *  - The schema version and the store's identity: SQLite's PRAGMA user_version
 *    and application_id = MRS_STORE_APP_ID (so that a foreign SQLite file is never
 *    mistaken for, or migrated into, a manrs store); PostgreSQL's table
 *    manrs_schema, same numbers. Opening a store whose version is newer than
 *    MRS_STORE_SCHEMA_VERSION fails: an old manrs must not write rows a newer one
 *    would misread. migrate() upgrades step by step, one transaction per step
 *    (version 0 = empty store -> 1 creates the schema).
 *  - SQLite: WAL journal, synchronous=NORMAL: readers (manrs report) never block
 *    the writer, and a crash loses at most the open transaction, never corrupts.
 *    PostgreSQL: MVCC gives the same to readers.
 *  - A run: the "running" row is committed first, then one transaction holds all
 *    rows of the run; "complete" is set inside that transaction (atomic with the
 *    rows), "failed" rolls the rows back. So a crash leaves a "running" row and no
 *    rows, which readers report as "incomplete" — never as complete.
 *  - Inserts use statements prepared once per handle. Metric values < 0 ("no
 *    data") are stored as NULL and read back as -1.
 * Assumes one writer per handle and one open run per handle.
 */
#include "manrs/core/diag.h"
#include "manrs/core/grow.h"
#include "manrs/store/store.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "db.h"

#define MRS_STORE_APP_ID 0x4d414e52 /* "MANR" */

/* The double-valued metric columns of the networks table, in column order.
 * Frozen for schema version 1: a new column needs a new version and a migration. */
struct metric_col {
    const char *name;
    size_t off;
};
#define MC(name, field) {name, offsetof(mrs_network_metrics, field)}
static const struct metric_col metric_cols[] = {
    MC("raw_route_leak", raw[MRS_INC_ROUTE_LEAK]),
    MC("raw_hijack_origin", raw[MRS_INC_HIJACK_ORIGIN]),
    MC("raw_hijack_subprefix", raw[MRS_INC_HIJACK_SUBPREFIX]),
    MC("raw_hijack_path", raw[MRS_INC_HIJACK_PATH]),
    MC("raw_bogon_prefix", raw[MRS_INC_BOGON_PREFIX]),
    MC("raw_bogon_asn", raw[MRS_INC_BOGON_ASN]),
    MC("raw_rpki_invalid", raw[MRS_INC_RPKI_INVALID]),
    MC("rawc_route_leak", raw_c[MRS_INC_ROUTE_LEAK]),
    MC("rawc_hijack_origin", raw_c[MRS_INC_HIJACK_ORIGIN]),
    MC("rawc_hijack_subprefix", raw_c[MRS_INC_HIJACK_SUBPREFIX]),
    MC("rawc_hijack_path", raw_c[MRS_INC_HIJACK_PATH]),
    MC("rawc_bogon_prefix", raw_c[MRS_INC_BOGON_PREFIX]),
    MC("rawc_bogon_asn", raw_c[MRS_INC_BOGON_ASN]),
    MC("rawc_rpki_invalid", raw_c[MRS_INC_RPKI_INVALID]),
    MC("m1", m1), MC("m1c", m1c), MC("m2", m2), MC("m2c", m2c),
    MC("m3", m3), MC("m3c", m3c), MC("m4", m4), MC("m4c", m4c),
    MC("m5", m5), MC("m5c", m5c),
    MC("m7irr", m7irr), MC("m7rpki", m7rpki), MC("m7rpkin", m7rpkin),
    MC("action1", action[1]), MC("action2", action[2]), MC("action3", action[3]), MC("action4", action[4]),
};
#undef MC
#define N_METRIC_COLS (sizeof metric_cols / sizeof metric_cols[0])
_Static_assert(MRS_INC_NCLASSES == 7, "networks raw_* columns list every incident class");

/* networks columns after (run, asn, country) and the metric columns */
static const char *const network_tail_cols[] = {
    "m6", "m8", "announced", "irr_covered", "rpki_valid", "rpki_invalid", "status1", "status2", "status3", "status4",
};
#define N_TAIL_COLS (sizeof network_tail_cols / sizeof network_tail_cols[0])

enum { ST_INCIDENT, ST_PROPAGATOR, ST_VICTIM, ST_EVIDENCE, ST_NETWORK, ST_COUNT };
/* read statements, prepared on first use and kept (a server reads the same few
 * queries thousands of times a second) */
enum { RD_RUNS, RD_RUN, RD_NETWORKS, RD_NETWORKS_CC, RD_NETWORK, RD_INCIDENTS, RD_PROPAGATORS, RD_VICTIMS, RD_EVIDENCE,
       RD_COUNT };

struct mrs_store {
    mrs_db *db;
    char *path;                /* for messages: the file, or the URL without its password */
    bool readonly;
    int64_t open_run;          /* run whose transaction is open, 0 if none */
    bool run_damaged;          /* an insert of the open run failed: it cannot be complete */
    char run_err[512];         /* the first such failure */
    mrs_db_stmt *st[ST_COUNT];
    mrs_db_stmt *rd[RD_COUNT];
    char err[512];
};

static void set_err(mrs_store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(mrs_store *s, const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(s->err, sizeof s->err, "%s: %s", s->path, what);
    mrs_text_safe_inplace(s->err, sizeof s->err); /* it may quote damaged stored text */
}

static void set_sql_err(mrs_store *s, const char *doing)
{
    set_err(s, "%s: %s", doing, s->db->err);
}

const char *mrs_store_errmsg(const mrs_store *s)
{
    return s ? s->err : "";
}

const char *mrs_store_name(const mrs_store *s)
{
    return s ? s->path : "";
}

static int exec(mrs_store *s, const char *sql)
{
    if (s->db->ops->exec(s->db, sql)) {
        set_err(s, "%s (in: %.60s)", s->db->err, sql);
        return -1;
    }
    return 0;
}

/* A ROLLBACK that keeps the error that led to it. */
static void rollback(mrs_store *s)
{
    char keep[sizeof s->db->err];
    memcpy(keep, s->db->err, sizeof keep);
    s->db->ops->exec(s->db, "ROLLBACK");
    memcpy(s->db->err, keep, sizeof keep);
}

static mrs_db_stmt *prep(mrs_store *s, const char *sql, bool persistent, const char *doing)
{
    mrs_db_stmt *st = s->db->ops->prepare(s->db, sql, persistent);
    if (!st)
        set_sql_err(s, doing);
    return st;
}

static void b_i64(mrs_db_stmt *st, int i, int64_t v) { st->db->ops->bind_int64(st, i, v); }
static void b_dbl(mrs_db_stmt *st, int i, double v) { st->db->ops->bind_double(st, i, v); }
static void b_null(mrs_db_stmt *st, int i) { st->db->ops->bind_null(st, i); }
static void b_txt(mrs_db_stmt *st, int i, const char *v, int len) { st->db->ops->bind_text(st, i, v, len); }
static void b_blob(mrs_db_stmt *st, int i, const void *v, size_t len)
{
    if (v)
        st->db->ops->bind_blob(st, i, v, len);
    else
        st->db->ops->bind_null(st, i);
}
static int step(mrs_db_stmt *st) { return st->db->ops->step(st); }
static bool c_null(mrs_db_stmt *st, int c) { return st->db->ops->col_null(st, c); }
static int64_t c_i64(mrs_db_stmt *st, int c) { return st->db->ops->col_int64(st, c); }
static double c_dbl(mrs_db_stmt *st, int c) { return st->db->ops->col_double(st, c); }
static const char *c_txt(mrs_db_stmt *st, int c) { return st->db->ops->col_text(st, c); }
static const uint8_t *c_blob(mrs_db_stmt *st, int c, size_t *len) { return st->db->ops->col_blob(st, c, len); }
static void reset(mrs_db_stmt *st)
{
    if (st)
        st->db->ops->reset(st);
}
static void fin(mrs_db_stmt *st)
{
    if (st)
        st->db->ops->finalize(st);
}

/* Single integer result of a query; -1 (and err) on failure. */
static int query_int(mrs_store *s, const char *sql, int64_t *out)
{
    mrs_db_stmt *st = prep(s, sql, false, sql);
    if (!st)
        return -1;
    int rc = step(st);
    if (rc == MRS_DB_ROW)
        *out = c_i64(st, 0);
    else if (rc == MRS_DB_DONE)
        *out = 0;
    else
        set_sql_err(s, sql);
    fin(st);
    return rc == MRS_DB_ROW || rc == MRS_DB_DONE ? 0 : -1;
}

/* ------------------------------------------------------------------ schema */

static int create_v1(mrs_store *s)
{
    static const char *const ddl =
        "CREATE TABLE runs ("
        " id INTEGER PRIMARY KEY,"
        " started INTEGER NOT NULL,"
        " finished INTEGER,"
        " window_start INTEGER NOT NULL,"
        " window_end INTEGER NOT NULL,"
        " inputs TEXT NOT NULL,"
        " status TEXT NOT NULL CHECK (status IN ('running','complete','failed')),"
        " reason TEXT,"
        " schema_version INTEGER NOT NULL,"
        " tool_version TEXT NOT NULL);"
        "CREATE TABLE incidents ("
        " run INTEGER NOT NULL REFERENCES runs(id),"
        " id INTEGER NOT NULL,"
        " class TEXT NOT NULL,"
        " culprit INTEGER NOT NULL,"
        " accomplice INTEGER NOT NULL,"
        " prefix TEXT NOT NULL,"
        " start_time INTEGER NOT NULL,"
        " end_time INTEGER NOT NULL,"
        " leak_type INTEGER NOT NULL,"
        " peers INTEGER NOT NULL,"
        " PRIMARY KEY (run, id)) WITHOUT ROWID;"
        "CREATE INDEX incidents_by_culprit ON incidents(run, culprit);"
        "CREATE INDEX incidents_by_accomplice ON incidents(run, accomplice);"
        "CREATE TABLE incident_propagators ("
        " run INTEGER NOT NULL,"
        " incident INTEGER NOT NULL,"
        " asn INTEGER NOT NULL,"
        " PRIMARY KEY (run, incident, asn)) WITHOUT ROWID;"
        "CREATE INDEX propagators_by_asn ON incident_propagators(run, asn);"
        "CREATE TABLE evidence ("
        " run INTEGER NOT NULL,"
        " incident INTEGER NOT NULL,"
        " seq INTEGER NOT NULL,"
        " peer_asn INTEGER NOT NULL,"
        " peer_ip TEXT NOT NULL,"
        " time INTEGER NOT NULL,"
        " as_path TEXT NOT NULL,"
        " file TEXT NOT NULL,"
        " file_offset INTEGER NOT NULL,"
        " note TEXT,"
        " PRIMARY KEY (run, incident, seq)) WITHOUT ROWID;";
    if (exec(s, ddl))
        return -1;
    /* networks: generated from metric_cols so that insert, select and DDL agree */
    char sql[4096];
    size_t o = (size_t)snprintf(sql, sizeof sql,
                                "CREATE TABLE networks (run INTEGER NOT NULL REFERENCES runs(id), asn INTEGER NOT NULL, "
                                "country TEXT NOT NULL");
    for (size_t i = 0; i < N_METRIC_COLS && o < sizeof sql; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, ", %s REAL", metric_cols[i].name);
    for (size_t i = 0; i < N_TAIL_COLS && o < sizeof sql; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, ", %s %s", network_tail_cols[i],
                              i >= 6 ? "TEXT NOT NULL" : "INTEGER NOT NULL");
    if (o < sizeof sql)
        o += (size_t)snprintf(sql + o, sizeof sql - o, ", PRIMARY KEY (run, asn)) WITHOUT ROWID;");
    if (o >= sizeof sql) {
        set_err(s, "internal: networks DDL too long");
        return -1;
    }
    if (exec(s, sql))
        return -1;
    return exec(s, "CREATE INDEX networks_by_country ON networks(run, country);");
}

/* Version 2: every incident's confidence and reasons (analysis/incident.h; rows of
 * version 1 were all published, i.e. high), and a run's warnings about its inputs. */
static int upgrade_1_to_2(mrs_store *s)
{
    return exec(s, "ALTER TABLE incidents ADD COLUMN confidence TEXT NOT NULL DEFAULT 'high' "
                   "CHECK (confidence IN ('high','low'));"
                   "ALTER TABLE incidents ADD COLUMN reasons TEXT NOT NULL DEFAULT '';"
                   "ALTER TABLE runs ADD COLUMN warnings TEXT NOT NULL DEFAULT '';");
}

/* Version 3: the networks an incident harmed (incident.h victims) and the
 * networks' names; runs of version 2 have no victims and no names recorded. */
static int upgrade_2_to_3(mrs_store *s)
{
    return exec(s, "ALTER TABLE networks ADD COLUMN name TEXT NOT NULL DEFAULT '';"
                   "CREATE TABLE incident_victims ("
                   " run INTEGER NOT NULL,"
                   " incident INTEGER NOT NULL,"
                   " asn INTEGER NOT NULL,"
                   " PRIMARY KEY (run, incident, asn)) WITHOUT ROWID;"
                   "CREATE INDEX victims_by_asn ON incident_victims(run, asn);");
}

/* Version 4: the MANRS programme's conformance per period and participant
 * (analysis/programme.h): every committed Action of every ASN, and the
 * participant's enforcement state after the period. */
static int upgrade_3_to_4(mrs_store *s)
{
    return exec(s, "CREATE TABLE conformance ("
                   " period TEXT NOT NULL,"
                   " participant TEXT NOT NULL,"
                   " asn INTEGER NOT NULL,"
                   " action INTEGER NOT NULL,"
                   " verdict TEXT NOT NULL,"
                   " score REAL,"
                   " min REAL NOT NULL,"
                   " basis TEXT NOT NULL,"
                   " incidents TEXT NOT NULL,"
                   " disputed TEXT NOT NULL,"
                   " run INTEGER,"
                   " PRIMARY KEY (period, participant, asn, action)) WITHOUT ROWID;"
                   "CREATE TABLE enforcement ("
                   " participant TEXT NOT NULL,"
                   " period TEXT NOT NULL,"
                   " tier TEXT NOT NULL,"
                   " outcome TEXT NOT NULL,"
                   " state TEXT NOT NULL,"
                   " failing INTEGER NOT NULL,"
                   " ruleset TEXT NOT NULL,"
                   " run INTEGER,"
                   " PRIMARY KEY (participant, period)) WITHOUT ROWID;");
}

/* Version 5: runs split by prefix over workers (docs/scale.md): the split run
 * (the feed's seal, the knowledge, the merged detection facts, the observatory
 * run it ends in), its partitions, and one row per (phase, partition) a worker
 * computed. Used on PostgreSQL by the distributed mode; valid on SQLite too. */
static int upgrade_4_to_5(mrs_store *s)
{
    return exec(s, "CREATE TABLE split_runs ("
                   " id INTEGER PRIMARY KEY,"
                   " key TEXT NOT NULL UNIQUE,"
                   " created INTEGER NOT NULL,"
                   " finished INTEGER,"
                   " stream TEXT NOT NULL,"
                   " feed TEXT NOT NULL,"
                   " seal TEXT NOT NULL,"
                   " spec TEXT NOT NULL,"
                   " inputs TEXT NOT NULL,"
                   " parts INTEGER NOT NULL,"
                   " phase INTEGER NOT NULL CHECK (phase IN (1, 2)),"
                   " status TEXT NOT NULL CHECK (status IN ('running','complete','failed')),"
                   " reason TEXT,"
                   " facts BLOB,"
                   " run INTEGER);"
                   "CREATE INDEX split_runs_by_stream ON split_runs(stream, status);"
                   "CREATE TABLE split_partitions ("
                   " split INTEGER NOT NULL REFERENCES split_runs(id),"
                   " part INTEGER NOT NULL,"
                   " messages INTEGER NOT NULL,"
                   " PRIMARY KEY (split, part)) WITHOUT ROWID;"
                   "CREATE TABLE split_parts ("
                   " split INTEGER NOT NULL REFERENCES split_runs(id),"
                   " phase INTEGER NOT NULL CHECK (phase IN (1, 2)),"
                   " part INTEGER NOT NULL,"
                   " facts BLOB,"
                   " incidents BLOB,"
                   " metrics BLOB,"
                   " counts BLOB,"
                   " events INTEGER NOT NULL,"
                   " messages INTEGER NOT NULL,"
                   " malformed INTEGER NOT NULL,"
                   " worker TEXT NOT NULL,"
                   " seconds REAL NOT NULL,"
                   " finished INTEGER NOT NULL,"
                   " PRIMARY KEY (split, phase, part)) WITHOUT ROWID;");
}

/* Upgrade from version `from` to MRS_STORE_SCHEMA_VERSION, one step per
 * transaction. To add version N+1: write upgrade_N_to_N+1 (ALTER TABLE ... /
 * CREATE ..., in SQL both back-ends accept: db.h), add its `case` below, bump
 * MRS_STORE_SCHEMA_VERSION, document it in docs/store.md. Each step re-reads the
 * version under the write lock: another writer may have migrated meanwhile. */
static int migrate(mrs_store *s, int64_t from)
{
    while (from < MRS_STORE_SCHEMA_VERSION) {
        if (s->db->ops->begin_write(s->db, true)) {
            set_sql_err(s, "migrate");
            return -1;
        }
        int64_t app = 0, objects = 0;
        if (s->db->ops->identity(s->db, &app, &from, &objects)) {
            set_sql_err(s, "migrate");
            rollback(s);
            return -1;
        }
        if (from >= MRS_STORE_SCHEMA_VERSION) {
            rollback(s);
            break;
        }
        int rc = -1;
        switch (from) {
        case 0: rc = create_v1(s); break;
        case 1: rc = upgrade_1_to_2(s); break;
        case 2: rc = upgrade_2_to_3(s); break;
        case 3: rc = upgrade_3_to_4(s); break;
        case 4: rc = upgrade_4_to_5(s); break;
        default: set_err(s, "no migration from schema version %lld", (long long)from); break;
        }
        if (!rc && s->db->ops->set_version(s->db, MRS_STORE_APP_ID, from + 1)) {
            set_sql_err(s, "migrate");
            rc = -1;
        }
        if (rc || exec(s, "COMMIT")) {
            char keep[sizeof s->err];
            memcpy(keep, s->err, sizeof keep);
            rollback(s);
            memcpy(s->err, keep, sizeof keep);
            return -1;
        }
        from++;
    }
    return 0;
}

/* Check the store is a manrs store this program can read; *version gets its version. */
static int check_identity(mrs_store *s, int64_t *version)
{
    int64_t app = 0, tables = 0;
    if (s->db->ops->identity(s->db, &app, version, &tables)) {
        /* e.g. "file is not a database", or a damaged SQLite schema */
        if (s->db->ops->damaged(s->db))
            set_err(s, "database is damaged (%s); restore it from a backup or start a new store", s->db->err);
        else
            set_err(s, "cannot read as an %s database: %s", s->db->ops->name, s->db->err);
        return -1;
    }
    if (*version == 0 && tables == 0 && app == 0)
        return 0; /* empty: a new store */
    if (app != MRS_STORE_APP_ID) {
        set_err(s, "not a manrs store (%s application_id %lld, expected %d)", s->db->ops->name, (long long)app,
                MRS_STORE_APP_ID);
        return -1;
    }
    if (*version > MRS_STORE_SCHEMA_VERSION) {
        set_err(s, "store schema version %lld is newer than this manrs (%s) understands (%d); use a newer manrs",
                (long long)*version, MANRS_VERSION, MRS_STORE_SCHEMA_VERSION);
        return -1;
    }
    if (!s->db->ops->check)
        return 0;
    char what[200];
    int rc = s->db->ops->check(s->db, what, sizeof what);
    if (rc < 0)
        set_sql_err(s, "quick_check");
    else if (rc > 0)
        set_err(s, "database is damaged (%s); restore it from a backup or start a new store", what);
    return rc ? -1 : 0;
}

/* ------------------------------------------------------------------ open / close */

static mrs_store *store_new(const char *path, char *err, size_t errlen)
{
    mrs_store *s = calloc(1, sizeof *s);
    if (s) {
        if (mrs_db_is_pg_url(path)) {
            size_t n = strlen(path) + 1;
            if ((s->path = malloc(n)))
                mrs_db_pg_redact(path, s->path, n);
        } else
            s->path = strdup(path);
    }
    if (!s || !s->path) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    return s;
}

static mrs_store *fail_open(mrs_store *s, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s", s->err);
    mrs_store_close(s);
    return NULL;
}

/* The back-end named by `path`: a PostgreSQL URL or an SQLite file. */
static int connect_db(mrs_store *s, const char *path, bool readonly)
{
    char why[400];
    s->db = mrs_db_is_pg_url(path) ? mrs_db_pg_open(path, readonly, why, sizeof why)
                                   : mrs_db_sqlite_open(path, readonly, why, sizeof why);
    if (!s->db) {
        set_err(s, "%s", why);
        return -1;
    }
    return 0;
}

static int prepare(mrs_store *s, int which, const char *sql)
{
    return (s->st[which] = prep(s, sql, true, "prepare")) ? 0 : -1;
}

static int prepare_writers(mrs_store *s)
{
    char sql[4096];
    size_t o = (size_t)snprintf(sql, sizeof sql, "INSERT INTO networks (run, asn, country");
    for (size_t i = 0; i < N_METRIC_COLS; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, ", %s", metric_cols[i].name);
    for (size_t i = 0; i < N_TAIL_COLS; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, ", %s", network_tail_cols[i]);
    o += (size_t)snprintf(sql + o, sizeof sql - o, ", name) VALUES (?, ?, ?");
    for (size_t i = 0; i < N_METRIC_COLS + N_TAIL_COLS + 1 && o < sizeof sql; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, ", ?");
    if (o + 2 >= sizeof sql) {
        set_err(s, "internal: networks insert too long");
        return -1;
    }
    memcpy(sql + o, ")", 2);
    int rc = prepare(s, ST_NETWORK, sql) ||
           prepare(s, ST_INCIDENT,
                   "INSERT INTO incidents (run, id, class, culprit, accomplice, prefix, start_time, end_time, "
                   "leak_type, peers, confidence, reasons) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)") ||
           prepare(s, ST_PROPAGATOR,
                   "INSERT INTO incident_propagators (run, incident, asn) VALUES (?,?,?)") ||
           prepare(s, ST_VICTIM, "INSERT INTO incident_victims (run, incident, asn) VALUES (?,?,?)") ||
           prepare(s, ST_EVIDENCE,
                   "INSERT INTO evidence (run, incident, seq, peer_asn, peer_ip, time, as_path, file, file_offset, "
                   "note) VALUES (?,?,?,?,?,?,?,?,?,?)")
                 ? -1
                 : 0;
    /* a run's bulk rows: no answer awaited row by row (PostgreSQL pipelines
     * them; a refused row fails the run at mrs_store_end_run at the latest) */
    for (int i = 0; rc == 0 && i < ST_COUNT; i++)
        s->db->ops->defer(s->st[i]);
    return rc;
}

mrs_store *mrs_store_open(const char *path, char *err, size_t errlen)
{
    mrs_store *s = store_new(path, err, errlen);
    if (!s)
        return NULL;
    if (connect_db(s, path, false))
        return fail_open(s, err, errlen);
    int64_t version = 0;
    if (check_identity(s, &version))
        return fail_open(s, err, errlen);
    if ((!mrs_db_is_pg_url(path) &&
         exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;")) ||
        migrate(s, version) || prepare_writers(s))
        return fail_open(s, err, errlen);
    return s;
}

mrs_store *mrs_store_open_readonly(const char *path, char *err, size_t errlen)
{
    bool pg = mrs_db_is_pg_url(path);
    struct stat sb;
    if (!pg && stat(path, &sb) != 0) {
        snprintf(err, errlen, "%s: cannot open store: %s", path, strerror(errno));
        return NULL;
    }
    if (!pg && !S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "%s: cannot open store: not a regular file", path);
        return NULL;
    }
    mrs_store *s = store_new(path, err, errlen);
    if (!s)
        return NULL;
    s->readonly = true;
    if (connect_db(s, path, true))
        return fail_open(s, err, errlen);
    int64_t version = 0;
    if (check_identity(s, &version))
        return fail_open(s, err, errlen);
    if (version < MRS_STORE_SCHEMA_VERSION) {
        set_err(s, version == 0 ? (pg ? "empty database or schema, not a manrs store" : "empty file, not a manrs store")
                                : "store schema version is older than this manrs; open it once with `manrs observe` to migrate");
        return fail_open(s, err, errlen);
    }
    return s;
}

void mrs_store_close(mrs_store *s)
{
    if (!s)
        return;
    if (s->db) {
        if (s->open_run && s->db->ops->in_tx(s->db))
            s->db->ops->exec(s->db, "ROLLBACK"); /* the run stays "running": incomplete */
        for (int i = 0; i < ST_COUNT; i++)
            fin(s->st[i]);
        for (int i = 0; i < RD_COUNT; i++)
            fin(s->rd[i]);
        s->db->ops->close(s->db);
    }
    free(s->path);
    free(s);
}

/* ------------------------------------------------------------------ writing */

static int step_reset(mrs_store *s, mrs_db_stmt *st, const char *doing)
{
    int rc = step(st);
    reset(st);
    if (rc != MRS_DB_DONE) {
        set_sql_err(s, doing);
        return -1;
    }
    return 0;
}

static int check_run(mrs_store *s, int64_t run)
{
    if (s->readonly) {
        set_err(s, "store opened read-only");
        return -1;
    }
    if (!s->open_run || run != s->open_run) {
        set_err(s, "run %lld is not the open run of this handle", (long long)run);
        return -1;
    }
    return 0;
}

int64_t mrs_store_begin_run(mrs_store *s, uint32_t window_start, uint32_t window_end, const char *inputs)
{
    if (s->readonly || s->open_run) {
        set_err(s, s->readonly ? "store opened read-only" : "a run is already open on this handle");
        return -1;
    }
    mrs_db_stmt *st = prep(s,
                           "INSERT INTO runs (started, window_start, window_end, inputs, status, schema_version, "
                           "tool_version) VALUES (?, ?, ?, ?, 'running', ?, ?) RETURNING id",
                           false, "begin run");
    if (!st)
        return -1;
    b_i64(st, 1, (int64_t)time(NULL));
    b_i64(st, 2, window_start);
    b_i64(st, 3, window_end);
    b_txt(st, 4, inputs ? inputs : "", -1);
    b_i64(st, 5, MRS_STORE_SCHEMA_VERSION);
    b_txt(st, 6, MANRS_VERSION, -1);
    int rc = step(st);
    int64_t id = rc == MRS_DB_ROW ? c_i64(st, 0) : 0;
    if (rc == MRS_DB_ROW)
        rc = step(st);
    if (rc != MRS_DB_DONE || id <= 0) {
        set_sql_err(s, "begin run");
        fin(st);
        return -1;
    }
    fin(st);
    /* the run row is committed (autocommit); its rows go into one transaction */
    if (s->db->ops->begin_write(s->db, false)) {
        set_sql_err(s, "begin run");
        return -1;
    }
    s->open_run = id;
    return id;
}

static int run_failure(mrs_store *s)
{
    if (s->open_run && !s->run_damaged) {
        s->run_damaged = true;
        memcpy(s->run_err, s->err, sizeof s->run_err);
    }
    return -1;
}

static int add_incident(mrs_store *s, int64_t run, const mrs_incident *inc);
static int add_network(mrs_store *s, int64_t run, const mrs_network_metrics *m);

int mrs_store_add_incident(mrs_store *s, int64_t run, const mrs_incident *inc)
{
    if (check_run(s, run))
        return -1;
    return add_incident(s, run, inc) ? run_failure(s) : 0;
}

int mrs_store_set_warnings(mrs_store *s, int64_t run, const char *text)
{
    if (check_run(s, run))
        return -1;
    mrs_db_stmt *st = prep(s, "UPDATE runs SET warnings = ? WHERE id = ?", false, "set warnings");
    if (!st)
        return run_failure(s);
    b_txt(st, 1, text ? text : "", -1);
    b_i64(st, 2, run);
    int rc = step(st);
    fin(st);
    if (rc != MRS_DB_DONE) {
        set_sql_err(s, "set warnings");
        return run_failure(s);
    }
    return 0;
}

int mrs_store_add_network(mrs_store *s, int64_t run, const mrs_network_metrics *m)
{
    if (check_run(s, run))
        return -1;
    return add_network(s, run, m) ? run_failure(s) : 0;
}

/* The rows (run, incident, asn) of one of an incident's ASN lists. */
static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* An incident's ASNs, each once (the analysis gives them sorted and unique; a
 * decoded list is made so): plain INSERTs, which PostgreSQL sends as one COPY. */
static int add_asns(mrs_store *s, mrs_db_stmt *st, int64_t run, uint64_t id, const uint32_t *v, size_t n,
                    const char *what)
{
    uint32_t *own = NULL;
    for (size_t i = 1; i < n && !own; i++)
        if (v[i] <= v[i - 1]) {
            if (!(own = malloc(n * sizeof *own))) {
                set_err(s, "out of memory");
                return -1;
            }
            memcpy(own, v, n * sizeof *own);
            qsort(own, n, sizeof *own, cmp_u32);
            size_t k = 0;
            for (size_t j = 0; j < n; j++)
                if (!k || own[j] != own[k - 1])
                    own[k++] = own[j];
            v = own;
            n = k;
        }
    for (size_t i = 0; i < n; i++) {
        b_i64(st, 1, run);
        b_i64(st, 2, (int64_t)id);
        b_i64(st, 3, v[i]);
        if (step_reset(s, st, what)) {
            free(own);
            return -1;
        }
    }
    free(own);
    return 0;
}

static int add_incident(mrs_store *s, int64_t run, const mrs_incident *inc)
{
    if ((unsigned)inc->cls >= MRS_INC_NCLASSES) {
        set_err(s, "incident %llu: invalid class %d", (unsigned long long)inc->id, (int)inc->cls);
        return -1;
    }
    char pfx[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&inc->prefix, pfx);
    mrs_db_stmt *st = s->st[ST_INCIDENT];
    b_i64(st, 1, run);
    b_i64(st, 2, (int64_t)inc->id);
    b_txt(st, 3, mrs_incident_class_name(inc->cls), -1);
    b_i64(st, 4, inc->culprit);
    b_i64(st, 5, inc->accomplice);
    b_txt(st, 6, pfx, -1);
    b_i64(st, 7, inc->start);
    b_i64(st, 8, inc->end);
    b_i64(st, 9, inc->leak_type);
    b_i64(st, 10, inc->peers);
    char why[512];
    mrs_reasons_format(inc->reasons, why, sizeof why);
    b_txt(st, 11, mrs_confidence_name(inc->confidence), -1);
    b_txt(st, 12, why, -1);
    if (step_reset(s, st, "add incident"))
        return -1;
    if (add_asns(s, s->st[ST_PROPAGATOR], run, inc->id, inc->propagators, inc->n_propagators, "add incident propagator") ||
        add_asns(s, s->st[ST_VICTIM], run, inc->id, inc->victims, inc->n_victims, "add incident victim"))
        return -1;
    st = s->st[ST_EVIDENCE];
    for (size_t i = 0; i < inc->n_evidence; i++) {
        const mrs_evidence *e = &inc->evidence[i];
        char ip[MRS_IP_STRLEN] = "";
        if (e->peer_afi == MRS_AFI_IPV4 || e->peer_afi == MRS_AFI_IPV6)
            mrs_ip_format(e->peer_afi, e->peer_ip, ip);
        b_i64(st, 1, run);
        b_i64(st, 2, (int64_t)inc->id);
        b_i64(st, 3, (int64_t)i);
        b_i64(st, 4, e->peer_asn);
        b_txt(st, 5, ip, -1);
        b_i64(st, 6, e->time);
        b_txt(st, 7, e->as_path ? e->as_path : "", -1);
        b_txt(st, 8, e->file ? e->file : "", -1);
        b_i64(st, 9, (int64_t)e->offset);
        if (e->note)
            b_txt(st, 10, e->note, -1);
        else
            b_null(st, 10);
        if (step_reset(s, st, "add evidence"))
            return -1;
    }
    return 0;
}

static int add_network(mrs_store *s, int64_t run, const mrs_network_metrics *m)
{
    mrs_db_stmt *st = s->st[ST_NETWORK];
    int col = 1;
    char cc[sizeof m->country + 1];
    memcpy(cc, m->country, sizeof m->country);
    cc[sizeof m->country] = 0;
    b_i64(st, col++, run);
    b_i64(st, col++, m->asn);
    b_txt(st, col++, cc, -1);
    for (size_t i = 0; i < N_METRIC_COLS; i++, col++) {
        double v;
        memcpy(&v, (const char *)m + metric_cols[i].off, sizeof v);
        if (v < 0 || v != v)
            b_null(st, col);
        else
            b_dbl(st, col, v);
    }
    b_i64(st, col++, m->m6);
    b_i64(st, col++, m->m8);
    b_i64(st, col++, (int64_t)m->announced);
    b_i64(st, col++, (int64_t)m->irr_covered);
    b_i64(st, col++, (int64_t)m->rpki_valid);
    b_i64(st, col++, (int64_t)m->rpki_invalid);
    for (int a = 1; a <= 4; a++)
        b_txt(st, col++, mrs_readiness_name(m->status[a]), -1);
    b_txt(st, col++, m->name, (int)strnlen(m->name, sizeof m->name));
    return step_reset(s, st, "add network");
}

int mrs_store_end_run(mrs_store *s, int64_t run, const char *status, const char *reason)
{
    if (check_run(s, run))
        return -1;
    bool complete = !strcmp(status, "complete");
    if (!complete && strcmp(status, "failed")) {
        set_err(s, "end run: status must be \"complete\" or \"failed\", not \"%s\"", status);
        return -1;
    }
    /* A run whose inserts failed, or whose transaction SQLite already rolled back
     * (e.g. disk full), holds partial rows at best: it is recorded as failed. */
    char why[512];
    bool forced = false;
    if (complete && !s->run_damaged && s->db->ops->flush(s->db)) {
        set_sql_err(s, "store the run's rows");   /* a deferred row refused (PostgreSQL) */
        run_failure(s);
    }
    if (complete && (s->run_damaged || !s->db->ops->tx_usable(s->db))) {
        snprintf(why, sizeof why, "store: %.480s", s->run_damaged ? s->run_err : "transaction rolled back by the database");
        reason = why;
        complete = false;
        status = "failed";
        forced = true;
    }
    if (!complete && s->db->ops->in_tx(s->db) && s->db->ops->exec(s->db, "ROLLBACK")) {
        set_sql_err(s, "roll back failed run");
        return -1;
    }
    s->run_damaged = false;
    s->open_run = 0;
    mrs_db_stmt *st = prep(s, "UPDATE runs SET status = ?, reason = ?, finished = ? WHERE id = ?", false, "end run");
    if (!st)
        goto fail;
    b_txt(st, 1, status, -1);
    if (reason)
        b_txt(st, 2, reason, -1);
    else
        b_null(st, 2);
    b_i64(st, 3, (int64_t)time(NULL));
    b_i64(st, 4, run);
    int rc = step(st);
    fin(st);
    if (rc != MRS_DB_DONE) {
        set_sql_err(s, "end run");
        goto fail;
    }
    if (complete && exec(s, "COMMIT"))
        goto fail;
    if (forced) {
        snprintf(s->err, sizeof s->err, "%.500s", reason);
        return -1; /* the caller asked for complete and did not get it */
    }
    return 0;
fail:
    if (complete) {
        rollback(s);
    }
    return -1;
}

/* ------------------------------------------------------------------ reading */

void mrs_run_info_clear(mrs_run_info *r)
{
    if (!r)
        return;
    free(r->inputs);
    free(r->reason);
    free(r->tool_version);
    free(r->warnings);
    r->inputs = r->reason = r->tool_version = r->warnings = NULL;
}

void mrs_run_infos_free(mrs_run_info *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mrs_run_info_clear(&v[i]);
    free(v);
}

static char *col_strdup(mrs_db_stmt *st, int col, bool *oom)
{
    const char *t = c_txt(st, col);
    if (!t)
        return NULL;
    char *d = strdup((const char *)t);
    if (!d)
        *oom = true;
    return d;
}

#define RUN_COLS                                                                                                     \
    "SELECT id, started, coalesce(finished, 0), window_start, window_end, inputs, status, reason, schema_version, " \
    "tool_version, (SELECT count(*) FROM networks n WHERE n.run = runs.id), "                                      \
    "(SELECT count(*) FROM incidents i WHERE i.run = runs.id), warnings FROM runs "

static int read_run_row(mrs_store *s, mrs_db_stmt *st, mrs_run_info *r)
{
    bool oom = false;
    memset(r, 0, sizeof *r);
    r->id = c_i64(st, 0);
    r->started = c_i64(st, 1);
    r->finished = c_i64(st, 2);
    r->window_start = (uint32_t)c_i64(st, 3);
    r->window_end = (uint32_t)c_i64(st, 4);
    r->inputs = col_strdup(st, 5, &oom);
    const char *status = (const char *)c_txt(st, 6);
    if (!status || !strcmp(status, "running"))
        status = r->id == s->open_run ? "running" : "incomplete";
    snprintf(r->status, sizeof r->status, "%s", status);
    mrs_text_safe_inplace(r->status, sizeof r->status);
    r->reason = col_strdup(st, 7, &oom);
    r->schema_version = (int)c_i64(st, 8);
    r->tool_version = col_strdup(st, 9, &oom);
    r->n_networks = (uint64_t)c_i64(st, 10);
    r->n_incidents = (uint64_t)c_i64(st, 11);
    r->warnings = col_strdup(st, 12, &oom);
    if (!r->inputs && !oom)
        r->inputs = strdup("");
    if (!r->tool_version && !oom)
        r->tool_version = strdup("");
    if (!r->warnings && !oom)
        r->warnings = strdup("");
    if (oom || !r->inputs || !r->tool_version || !r->warnings) {
        mrs_run_info_clear(r);
        set_err(s, "out of memory");
        return -1;
    }
    return 0;
}

/* Read statement `which`, prepared on first use; reset with rd_done after use. */
static mrs_db_stmt *rd_stmt(mrs_store *s, int which, const char *sql, const char *doing)
{
    if (!s->rd[which])
        s->rd[which] = prep(s, sql, true, doing);
    return s->rd[which];
}

static void rd_done(mrs_db_stmt *st)
{
    reset(st);
}

int mrs_store_runs(mrs_store *s, mrs_run_info **v, size_t *n)
{
    *v = NULL;
    *n = 0;
    mrs_db_stmt *st = rd_stmt(s, RD_RUNS, RUN_COLS "ORDER BY id", "list runs");
    if (!st)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = step(st)) == MRS_DB_ROW) {
        mrs_run_info *nv = mrs_grow(*v, &cap, *n + 1, sizeof *nv, 16);
        if (!nv) {
            set_err(s, "out of memory");
            goto fail;
        }
        *v = nv;
        if (read_run_row(s, st, &(*v)[*n]))
            goto fail;
        (*n)++;
    }
    if (rc != MRS_DB_DONE) {
        set_sql_err(s, "list runs");
        goto fail;
    }
    rd_done(st);
    return 0;
fail:
    rd_done(st);
    mrs_run_infos_free(*v, *n);
    *v = NULL;
    *n = 0;
    return -1;
}

int mrs_store_run(mrs_store *s, int64_t id, mrs_run_info *out)
{
    memset(out, 0, sizeof *out);
    mrs_db_stmt *st = rd_stmt(s, RD_RUN, RUN_COLS "WHERE id = ?", "read run");
    if (!st)
        return -1;
    b_i64(st, 1, id);
    int rc = step(st), ret;
    if (rc == MRS_DB_ROW)
        ret = read_run_row(s, st, out);
    else if (rc == MRS_DB_DONE) {
        set_err(s, "no run %lld in this store", (long long)id);
        ret = 1;
    } else {
        set_sql_err(s, "read run");
        ret = -1;
    }
    rd_done(st);
    return ret;
}

int64_t mrs_store_latest_complete(mrs_store *s)
{
    int64_t id = 0;
    if (query_int(s, "SELECT coalesce(max(id), 0) FROM runs WHERE status = 'complete'", &id))
        return -1;
    return id;
}

#define NET_SELECT_PREFIX "SELECT asn, country"

static int network_select_sql(char *sql, size_t size, const char *where)
{
    size_t o = (size_t)snprintf(sql, size, NET_SELECT_PREFIX);
    for (size_t i = 0; i < N_METRIC_COLS && o < size; i++)
        o += (size_t)snprintf(sql + o, size - o, ", %s", metric_cols[i].name);
    for (size_t i = 0; i < N_TAIL_COLS && o < size; i++)
        o += (size_t)snprintf(sql + o, size - o, ", %s", network_tail_cols[i]);
    if (o < size)
        o += (size_t)snprintf(sql + o, size - o, ", name FROM networks WHERE %s", where);
    return o < size ? 0 : -1;
}

static int read_network_row(mrs_store *s, mrs_db_stmt *st, mrs_network_metrics *m)
{
    memset(m, 0, sizeof *m);
    int col = 0;
    m->asn = (uint32_t)c_i64(st, col++);
    const char *cc = c_txt(st, col++);
    snprintf(m->country, sizeof m->country, "%s", cc ? (const char *)cc : "");
    for (char *c = m->country; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
            *c = '?'; /* a damaged file: a country code is two ASCII letters */
    for (size_t i = 0; i < N_METRIC_COLS; i++, col++) {
        double v = c_null(st, col) ? -1.0 : c_dbl(st, col);
        memcpy((char *)m + metric_cols[i].off, &v, sizeof v);
    }
    m->m6 = (int)c_i64(st, col++) != 0;
    m->m8 = (int)c_i64(st, col++) != 0;
    m->announced = (uint64_t)c_i64(st, col++);
    m->irr_covered = (uint64_t)c_i64(st, col++);
    m->rpki_valid = (uint64_t)c_i64(st, col++);
    m->rpki_invalid = (uint64_t)c_i64(st, col++);
    m->action[0] = -1;
    m->status[0] = MRS_NO_DATA;
    for (int a = 1; a <= 4; a++, col++) {
        const char *t = c_txt(st, col);
        if (!t || !mrs_readiness_parse((const char *)t, &m->status[a])) {
            set_err(s, "AS%u: unknown readiness status \"%s\" in action %d", m->asn, t ? (const char *)t : "(null)", a);
            return -1;
        }
    }
    const char *nm = c_txt(st, col++);
    snprintf(m->name, sizeof m->name, "%s", nm ? (const char *)nm : "");
    return 0;
}

int mrs_store_networks(mrs_store *s, int64_t run, const char *country, mrs_network_metrics **v, size_t *n)
{
    *v = NULL;
    *n = 0;
    bool all = !country || !*country;
    char sql[4096];
    if (network_select_sql(sql, sizeof sql, all ? "run = ?1 ORDER BY asn" : "run = ?1 AND country = ?2 ORDER BY asn")) {
        set_err(s, "internal: networks query too long");
        return -1;
    }
    mrs_db_stmt *st = rd_stmt(s, all ? RD_NETWORKS : RD_NETWORKS_CC, sql, "read networks");
    if (!st)
        return -1;
    b_i64(st, 1, run);
    if (!all)
        b_txt(st, 2, country, -1);
    size_t cap = 0;
    int rc;
    while ((rc = step(st)) == MRS_DB_ROW) {
        mrs_network_metrics *nv = mrs_grow(*v, &cap, *n + 1, sizeof *nv, 256);
        if (!nv) {
            set_err(s, "out of memory");
            goto fail;
        }
        *v = nv;
        if (read_network_row(s, st, &(*v)[*n]))
            goto fail;
        (*n)++;
    }
    if (rc != MRS_DB_DONE) {
        set_sql_err(s, "read networks");
        goto fail;
    }
    rd_done(st);
    return 0;
fail:
    rd_done(st);
    free(*v);
    *v = NULL;
    *n = 0;
    return -1;
}

int mrs_store_network(mrs_store *s, int64_t run, uint32_t asn, mrs_network_metrics *out)
{
    char sql[4096];
    if (network_select_sql(sql, sizeof sql, "run = ?1 AND asn = ?2")) {
        set_err(s, "internal: networks query too long");
        return -1;
    }
    mrs_db_stmt *st = rd_stmt(s, RD_NETWORK, sql, "read network");
    if (!st)
        return -1;
    b_i64(st, 1, run);
    b_i64(st, 2, asn);
    int rc = step(st), ret;
    if (rc == MRS_DB_ROW)
        ret = read_network_row(s, st, out);
    else if (rc == MRS_DB_DONE)
        ret = 1;
    else {
        set_sql_err(s, "read network");
        ret = -1;
    }
    rd_done(st);
    return ret;
}

/* One of an incident's ASN lists (propagators, victims) into *v, *n. */
static int load_asns(mrs_store *s, mrs_db_stmt *st, int64_t run, uint64_t id, uint32_t **v, size_t *n,
                     const char *what)
{
    b_i64(st, 1, run);
    b_i64(st, 2, (int64_t)id);
    size_t cap = 0;
    int rc;
    while ((rc = step(st)) == MRS_DB_ROW) {
        uint32_t *nv = mrs_grow(*v, &cap, *n + 1, sizeof *nv, 8);
        if (!nv) {
            set_err(s, "out of memory");
            reset(st);
            return -1;
        }
        *v = nv;
        (*v)[(*n)++] = (uint32_t)c_i64(st, 0);
    }
    reset(st);
    if (rc != MRS_DB_DONE) {
        set_sql_err(s, what);
        return -1;
    }
    return 0;
}

static int load_evidence(mrs_store *s, mrs_db_stmt *st, int64_t run, mrs_incident *inc)
{
    b_i64(st, 1, run);
    b_i64(st, 2, (int64_t)inc->id);
    size_t cap = 0;
    int rc;
    while ((rc = step(st)) == MRS_DB_ROW) {
        mrs_evidence *nv = mrs_grow(inc->evidence, &cap, inc->n_evidence + 1, sizeof *nv, 4);
        if (!nv)
            goto oom;
        inc->evidence = nv;
        mrs_evidence *e = &inc->evidence[inc->n_evidence];
        memset(e, 0, sizeof *e);
        inc->n_evidence++;
        bool oom = false;
        e->peer_asn = (uint32_t)c_i64(st, 0);
        const char *ip = (const char *)c_txt(st, 1);
        unsigned afi = 0;
        if (ip && *ip && mrs_ip_parse(ip, strlen(ip), &afi, e->peer_ip))
            e->peer_afi = (uint16_t)afi;
        e->time = (uint32_t)c_i64(st, 2);
        e->as_path = col_strdup(st, 3, &oom);
        e->file = col_strdup(st, 4, &oom);
        e->offset = (uint64_t)c_i64(st, 5);
        e->note = col_strdup(st, 6, &oom);
        if (oom)
            goto oom;
    }
    reset(st);
    if (rc != MRS_DB_DONE) {
        set_sql_err(s, "read evidence");
        return -1;
    }
    return 0;
oom:
    reset(st);
    set_err(s, "out of memory");
    return -1;
}

static int read_incident_row(mrs_store *s, mrs_db_stmt *st, mrs_incident *inc)
{
    memset(inc, 0, sizeof *inc);
    inc->id = (uint64_t)c_i64(st, 0);
    const char *cls = (const char *)c_txt(st, 1);
    if (!cls || !mrs_incident_class_parse(cls, &inc->cls)) {
        set_err(s, "incident %llu: unknown class \"%s\"", (unsigned long long)inc->id, cls ? cls : "(null)");
        return -1;
    }
    inc->culprit = (uint32_t)c_i64(st, 2);
    inc->accomplice = (uint32_t)c_i64(st, 3);
    const char *pfx = (const char *)c_txt(st, 4);
    if (!pfx || !mrs_prefix_parse(pfx, strlen(pfx), &inc->prefix, false)) {
        set_err(s, "incident %llu: bad prefix \"%s\"", (unsigned long long)inc->id, pfx ? pfx : "(null)");
        return -1;
    }
    inc->start = (uint32_t)c_i64(st, 5);
    inc->end = (uint32_t)c_i64(st, 6);
    inc->leak_type = (unsigned)c_i64(st, 7);
    inc->peers = (unsigned)c_i64(st, 8);
    const char *conf = (const char *)c_txt(st, 9);
    if (!conf || !mrs_confidence_parse(conf, &inc->confidence)) {
        set_err(s, "incident %llu: unknown confidence \"%s\"", (unsigned long long)inc->id, conf ? conf : "(null)");
        return -1;
    }
    const char *why = (const char *)c_txt(st, 10);
    inc->reasons = why ? mrs_reasons_parse(why) : 0;
    return 0;
}

int mrs_store_incidents(mrs_store *s, int64_t run, uint32_t asn, mrs_incident_list *out)
{
    memset(out, 0, sizeof *out);
    mrs_db_stmt *st = rd_stmt(s, RD_INCIDENTS,
                               "SELECT id, class, culprit, accomplice, prefix, start_time, end_time, leak_type, peers, "
                               "confidence, reasons FROM incidents WHERE run = ?1 AND (?2 = 0 OR culprit = ?2 OR "
                               "accomplice = ?2 OR id IN (SELECT incident FROM incident_propagators WHERE run = ?1 AND "
                               "asn = ?2) OR id IN (SELECT incident FROM incident_victims WHERE run = ?1 AND asn = ?2)) "
                               "ORDER BY id",
                               "read incidents");
    mrs_db_stmt *pst = st ? rd_stmt(s, RD_PROPAGATORS,
                                     "SELECT asn FROM incident_propagators WHERE run = ? AND incident = ? ORDER BY asn",
                                     "read incidents")
                           : NULL;
    mrs_db_stmt *vst = pst ? rd_stmt(s, RD_VICTIMS,
                                      "SELECT asn FROM incident_victims WHERE run = ? AND incident = ? ORDER BY asn",
                                      "read incidents")
                            : NULL;
    mrs_db_stmt *est = vst ? rd_stmt(s, RD_EVIDENCE,
                                      "SELECT peer_asn, peer_ip, time, as_path, file, file_offset, note FROM evidence "
                                      "WHERE run = ? AND incident = ? ORDER BY seq",
                                      "read incidents")
                            : NULL;
    int ret = -1;
    if (!est)
        goto done;
    b_i64(st, 1, run);
    b_i64(st, 2, asn);
    int rc;
    while ((rc = step(st)) == MRS_DB_ROW) {
        mrs_incident *nv = mrs_grow(out->v, &out->cap, out->n + 1, sizeof *nv, 64);
        if (!nv) {
            set_err(s, "out of memory");
            goto done;
        }
        out->v = nv;
        mrs_incident *inc = &out->v[out->n];
        if (read_incident_row(s, st, inc))
            goto done;
        out->n++;
        if (load_asns(s, pst, run, inc->id, &inc->propagators, &inc->n_propagators, "read propagators") ||
            load_asns(s, vst, run, inc->id, &inc->victims, &inc->n_victims, "read victims") ||
            load_evidence(s, est, run, inc))
            goto done;
    }
    if (rc != MRS_DB_DONE) {
        set_sql_err(s, "read incidents");
        goto done;
    }
    ret = 0;
done:
    rd_done(st);
    rd_done(pst);
    rd_done(vst);
    rd_done(est);
    if (ret)
        mrs_incident_list_clear(out);
    return ret;
}

/* ------------------------------------------------------------------ the programme */

/* The ids as "1,2,3", every one of them (malloc'd; NULL when out of memory). */
static char *ids_text(const uint64_t *v, size_t n)
{
    size_t max = n * 21 + 1, o = 0;
    char *out = malloc(max);
    if (!out)
        return NULL;
    out[0] = 0;
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(out + o, max - o, "%s%llu", i ? "," : "", (unsigned long long)v[i]);
    return out;
}

int mrs_store_put_conformance(mrs_store *s, const char *period, int64_t run, const mrs_conformance *c,
                              const mrs_enforcement *enf, const char *ruleset)
{
    mrs_db_stmt *del = NULL, *row = NULL, *est = NULL;
    if (s->readonly) {
        set_err(s, "store opened read-only");
        return -1;
    }
    if (s->db->ops->begin_write(s->db, false)) {
        set_sql_err(s, "store conformance");
        return -1;
    }
    if (!(del = prep(s, "DELETE FROM conformance WHERE period = ? AND participant = ?", false, "store conformance")) ||
        !(row = prep(s,
                     "INSERT INTO conformance (period, participant, asn, action, verdict, score, min, basis, "
                     "incidents, disputed, run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     false, "store conformance")) ||
        !(est = prep(s,
                     "INSERT INTO enforcement (participant, period, tier, outcome, state, failing, ruleset, run) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (participant, period) DO UPDATE SET "
                     "tier = excluded.tier, outcome = excluded.outcome, state = excluded.state, "
                     "failing = excluded.failing, ruleset = excluded.ruleset, run = excluded.run",
                     false, "store conformance")))
        goto fail;
    for (size_t i = 0; i < c->n; i++) {
        const mrs_participant_verdicts *pv = &c->v[i];
        reset(del);
        b_txt(del, 1, period, -1);
        b_txt(del, 2, pv->p->id, -1);
        if (step(del) != MRS_DB_DONE) {
            set_sql_err(s, "store conformance");
            goto fail;
        }
        for (mrs_commit_iter it = {0}; mrs_commit_next(pv, &it);) {
            const mrs_asn_verdicts *av = it.av;
            const mrs_action_verdict *a = it.a;
            unsigned k = it.k;
            char *inc = ids_text(a->incidents, a->n_incidents), *dis = ids_text(a->disputed, a->n_disputed);
            if (!inc || !dis) {
                free(inc);
                free(dis);
                set_err(s, "store conformance: out of memory");
                goto fail;
            }
            reset(row);
            b_txt(row, 1, period, -1);
            b_txt(row, 2, pv->p->id, -1);
            b_i64(row, 3, av->asn);
            b_i64(row, 4, (int)k);
            b_txt(row, 5, mrs_verdict_name(a->verdict), -1);
            if (a->score < 0)
                b_null(row, 6);
            else
                b_dbl(row, 6, a->score);
            b_dbl(row, 7, a->min);
            b_txt(row, 8, a->basis, -1);
            b_txt(row, 9, inc, -1);
            b_txt(row, 10, dis, -1);
            if (run > 0)
                b_i64(row, 11, run);
            else
                b_null(row, 11);
            int st = step(row);
            free(inc);
            free(dis);
            if (st != MRS_DB_DONE) {
                set_sql_err(s, "store conformance");
                goto fail;
            }
        }
        reset(est);
        b_txt(est, 1, pv->p->id, -1);
        b_txt(est, 2, period, -1);
        b_txt(est, 3, mrs_tier_name(pv->p->tier), -1);
        b_txt(est, 4, mrs_verdict_name(pv->outcome), -1);
        b_txt(est, 5, mrs_enf_state_name(enf[i].state), -1);
        b_i64(est, 6, (int)enf[i].failing);
        b_txt(est, 7, ruleset, -1);
        if (run > 0)
            b_i64(est, 8, run);
        else
            b_null(est, 8);
        if (step(est) != MRS_DB_DONE) {
            set_sql_err(s, "store enforcement");
            goto fail;
        }
    }
    fin(del);
    fin(row);
    fin(est);
    return exec(s, "COMMIT");
fail:
    fin(del);
    fin(row);
    fin(est);
    rollback(s);
    return -1;
}

int mrs_store_enforcement_before(mrs_store *s, const char *participant, const char *period, mrs_enforcement *out,
                                 char prev_period[8])
{
    mrs_db_stmt *st = prep(s,
                           "SELECT state, failing, period FROM enforcement WHERE participant = ? AND period < ? "
                           "ORDER BY period DESC LIMIT 1",
                           false, "read enforcement");
    if (!st)
        return -1;
    b_txt(st, 1, participant, -1);
    b_txt(st, 2, period, -1);
    int rc = step(st), ret = 1;
    memset(out, 0, sizeof *out);
    if (prev_period)
        prev_period[0] = 0;
    if (rc == MRS_DB_ROW) {
        const char *state = (const char *)c_txt(st, 0);
        const char *per = (const char *)c_txt(st, 2);
        if (!state || !mrs_enf_state_parse(state, &out->state)) {
            set_err(s, "enforcement of %s: unknown state \"%s\"", participant, state ? state : "");
            ret = -1;
        } else {
            int64_t f = c_i64(st, 1);
            out->failing = f < 0 || f > 1000 ? 1000 : (unsigned)f;
            if (prev_period)
                snprintf(prev_period, 8, "%s", per ? per : "");
            ret = 0;
        }
    } else if (rc != MRS_DB_DONE) {
        set_sql_err(s, "read enforcement");
        ret = -1;
    }
    fin(st);
    return ret;
}

/* ------------------------------------------------------------------ split runs */

void mrs_split_info_clear(mrs_split_info *r)
{
    if (!r)
        return;
    free(r->stream);
    free(r->feed);
    free(r->seal);
    free(r->spec);
    free(r->inputs);
    free(r->reason);
    memset(r, 0, sizeof *r);
}

/* Not while a run is open on the handle (its transaction holds the rows), not
 * read-only for writes. */
static int split_ok(mrs_store *s, bool write)
{
    if (write && s->readonly) {
        set_err(s, "store opened read-only");
        return -1;
    }
    if (s->open_run) {
        set_err(s, "a run is open on this handle");
        return -1;
    }
    return 0;
}

static uint64_t mix_str(uint64_t h, const char *t)
{
    for (; *t; t++) {
        h ^= (uint8_t)*t;
        h *= 0x100000001b3ULL;
    }
    h ^= 0xff; /* the end of one string is not the start of the next */
    h *= 0x100000001b3ULL;
    return h;
}

#define SPLIT_COLS                                                                                                   \
    "SELECT id, created, coalesce(finished, 0), stream, feed, seal, spec, inputs, parts, phase, status, reason, "   \
    "coalesce(run, 0) FROM split_runs "

static int read_split_row(mrs_store *s, mrs_db_stmt *st, mrs_split_info *r)
{
    bool oom = false;
    memset(r, 0, sizeof *r);
    r->id = c_i64(st, 0);
    r->created = c_i64(st, 1);
    r->finished = c_i64(st, 2);
    r->stream = col_strdup(st, 3, &oom);
    r->feed = col_strdup(st, 4, &oom);
    r->seal = col_strdup(st, 5, &oom);
    r->spec = col_strdup(st, 6, &oom);
    r->inputs = col_strdup(st, 7, &oom);
    int64_t parts = c_i64(st, 8);
    r->n_parts = parts < 0 ? 0 : (uint64_t)parts;
    r->phase = (int)c_i64(st, 9);
    snprintf(r->status, sizeof r->status, "%s", c_txt(st, 10) ? c_txt(st, 10) : "");
    r->reason = col_strdup(st, 11, &oom);
    r->run = c_i64(st, 12);
    if (oom || !r->stream || !r->feed || !r->seal || !r->spec || !r->inputs) {
        set_err(s, oom ? "out of memory" : "split run %lld: a NULL where text is required", (long long)r->id);
        mrs_split_info_clear(r);
        return -1;
    }
    return 0;
}

int mrs_store_split_get(mrs_store *s, int64_t id, mrs_split_info *out)
{
    memset(out, 0, sizeof *out);
    if (split_ok(s, false))
        return -1;
    mrs_db_stmt *st = prep(s, SPLIT_COLS "WHERE id = ?", false, "read split run");
    if (!st)
        return -1;
    b_i64(st, 1, id);
    int rc = step(st), ret = 1;
    if (rc == MRS_DB_ROW)
        ret = read_split_row(s, st, out);
    else if (rc != MRS_DB_DONE) {
        set_sql_err(s, "read split run");
        ret = -1;
    }
    fin(st);
    return ret;
}

int64_t mrs_store_split_create(mrs_store *s, const mrs_split_info *in, const uint32_t *parts,
                               const uint64_t *messages, size_t n, bool *existed)
{
    *existed = false;
    if (split_ok(s, true))
        return -1;
    uint64_t h = 0xcbf29ce484222325ULL;
    h = mix_str(h, in->stream);
    h = mix_str(h, in->feed);
    h = mix_str(h, in->seal);
    h = mix_str(h, in->spec);
    char key[40];
    snprintf(key, sizeof key, "%016llx", (unsigned long long)h);
    if (s->db->ops->begin_write(s->db, false)) {
        set_sql_err(s, "create split run");
        return -1;
    }
    int64_t id = 0;
    mrs_db_stmt *st = prep(s,
                           "INSERT INTO split_runs (key, created, stream, feed, seal, spec, inputs, parts, phase, "
                           "status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 'running') ON CONFLICT (key) DO NOTHING "
                           "RETURNING id",
                           false, "create split run");
    if (!st)
        goto fail;
    b_txt(st, 1, key, -1);
    b_i64(st, 2, (int64_t)time(NULL));
    b_txt(st, 3, in->stream, -1);
    b_txt(st, 4, in->feed, -1);
    b_txt(st, 5, in->seal, -1);
    b_txt(st, 6, in->spec, -1);
    b_txt(st, 7, in->inputs ? in->inputs : "", -1);
    b_i64(st, 8, (int64_t)n);
    int rc = step(st);
    if (rc == MRS_DB_ROW)
        id = c_i64(st, 0);
    else if (rc != MRS_DB_DONE) {
        set_sql_err(s, "create split run");
        fin(st);
        goto fail;
    }
    fin(st);
    if (!id) {
        /* the same seal with the same knowledge: that run (a second coordinator) */
        *existed = true;
        st = prep(s, "SELECT id FROM split_runs WHERE key = ?", false, "find split run");
        if (!st)
            goto fail;
        b_txt(st, 1, key, -1);
        if (step(st) == MRS_DB_ROW)
            id = c_i64(st, 0);
        else
            set_sql_err(s, "find split run");
        fin(st);
        if (!id)
            goto fail;
    } else {
        st = prep(s, "INSERT INTO split_partitions (split, part, messages) VALUES (?, ?, ?)", false,
                  "add split partitions");
        if (!st)
            goto fail;
        for (size_t i = 0; i < n; i++) {
            b_i64(st, 1, id);
            b_i64(st, 2, parts[i]);
            b_i64(st, 3, (int64_t)(messages ? messages[i] : 0));
            if (step_reset(s, st, "add split partitions")) {
                fin(st);
                goto fail;
            }
        }
        fin(st);
    }
    if (exec(s, "COMMIT"))
        goto fail;
    return id;
fail:
    rollback(s);
    return -1;
}

/* The partitions of a split run [without a row of phase `phase`], ascending. */
static int split_list(mrs_store *s, int64_t split, int phase, uint32_t **parts, uint64_t **messages, size_t *n)
{
    *parts = NULL;
    if (messages)
        *messages = NULL;
    *n = 0;
    if (split_ok(s, false))
        return -1;
    mrs_db_stmt *st = prep(s,
                           phase ? "SELECT part, messages FROM split_partitions sp WHERE split = ?1 AND NOT EXISTS "
                                   "(SELECT 1 FROM split_parts p WHERE p.split = ?1 AND p.phase = ?2 AND p.part = "
                                   "sp.part) ORDER BY messages DESC, part"
                                 : "SELECT part, messages FROM split_partitions WHERE split = ?1 ORDER BY part",
                           false, "list split partitions");
    if (!st)
        return -1;
    b_i64(st, 1, split);
    if (phase)
        b_i64(st, 2, phase);
    size_t cap = 0, cap2 = 0;
    int rc;
    while ((rc = step(st)) == MRS_DB_ROW) {
        uint32_t *np = mrs_grow(*parts, &cap, *n + 1, sizeof *np, 256);
        if (!np) {
            set_err(s, "out of memory");
            rc = MRS_DB_ERROR;
            break;
        }
        *parts = np;
        if (messages) {
            uint64_t *nm = mrs_grow(*messages, &cap2, *n + 1, sizeof *nm, 256);
            if (!nm) {
                set_err(s, "out of memory");
                rc = MRS_DB_ERROR;
                break;
            }
            *messages = nm;
            (*messages)[*n] = (uint64_t)c_i64(st, 1);
        }
        (*parts)[(*n)++] = (uint32_t)c_i64(st, 0);
    }
    if (rc == MRS_DB_ERROR && !strstr(s->err, "out of memory"))
        set_sql_err(s, "list split partitions");
    fin(st);
    if (rc != MRS_DB_DONE) {
        free(*parts);
        *parts = NULL;
        if (messages) {
            free(*messages);
            *messages = NULL;
        }
        *n = 0;
        return -1;
    }
    return 0;
}

int mrs_store_split_partitions(mrs_store *s, int64_t split, uint32_t **parts, uint64_t **messages, size_t *n)
{
    return split_list(s, split, 0, parts, messages, n);
}

int mrs_store_split_workers(mrs_store *s, int64_t split, int phase, mrs_store_split_worker_fn fn, void *ctx)
{
    if (split_ok(s, false))
        return -1;
    mrs_db_stmt *st = prep(s, "SELECT part, worker FROM split_parts WHERE split = ? AND phase = ? ORDER BY part",
                           false, "list split part workers");
    if (!st)
        return -1;
    b_i64(st, 1, split);
    b_i64(st, 2, phase);
    int rc;
    while ((rc = step(st)) == MRS_DB_ROW) {
        const char *w = c_txt(st, 1);
        fn((uint32_t)c_i64(st, 0), w ? w : "", ctx);
    }
    if (rc != MRS_DB_DONE)
        set_sql_err(s, "list split part workers");
    fin(st);
    return rc == MRS_DB_DONE ? 0 : -1;
}

int mrs_store_split_missing(mrs_store *s, int64_t split, int phase, uint32_t **parts, size_t *n)
{
    if (phase != 1 && phase != 2) {
        set_err(s, "split run: no phase %d", phase);
        return -1;
    }
    return split_list(s, split, phase, parts, NULL, n);
}

int mrs_store_split_progress(mrs_store *s, int64_t split, int phase, uint64_t *done, uint64_t *malformed)
{
    *done = 0;
    if (malformed)
        *malformed = 0;
    if (split_ok(s, false))
        return -1;
    mrs_db_stmt *st = prep(s, "SELECT count(*), coalesce(sum(malformed), 0) FROM split_parts WHERE split = ? AND "
                              "phase = ?", false, "split run progress");
    if (!st)
        return -1;
    b_i64(st, 1, split);
    b_i64(st, 2, phase);
    int rc = step(st);
    if (rc == MRS_DB_ROW) {
        *done = (uint64_t)c_i64(st, 0);
        if (malformed)
            *malformed = (uint64_t)c_i64(st, 1);
    } else
        set_sql_err(s, "split run progress");
    fin(st);
    return rc == MRS_DB_ROW ? 0 : -1;
}

int mrs_store_split_put_part(mrs_store *s, const mrs_split_part *p)
{
    if (split_ok(s, true))
        return -1;
    if (p->phase != 1 && p->phase != 2) {
        set_err(s, "split run %lld: no phase %d", (long long)p->split, p->phase);
        return -1;
    }
    /* one statement, one row: the part's results arrive whole or not at all; the
     * first row of a (split, phase, part) stays (a redelivered task's twin is dropped) */
    mrs_db_stmt *st = prep(s,
                           "INSERT INTO split_parts (split, phase, part, facts, incidents, metrics, counts, events, "
                           "messages, malformed, worker, seconds, finished) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                           "ON CONFLICT DO NOTHING RETURNING part",
                           false, "store split part");
    if (!st)
        return -1;
    b_i64(st, 1, p->split);
    b_i64(st, 2, p->phase);
    b_i64(st, 3, p->part);
    b_blob(st, 4, p->facts, p->n_facts);
    b_blob(st, 5, p->incidents, p->n_incidents);
    b_blob(st, 6, p->metrics, p->n_metrics);
    b_blob(st, 7, p->counts, p->n_counts);
    b_i64(st, 8, (int64_t)p->events);
    b_i64(st, 9, (int64_t)p->messages);
    b_i64(st, 10, (int64_t)p->malformed);
    b_txt(st, 11, p->worker ? p->worker : "", -1);
    b_dbl(st, 12, p->seconds);
    b_i64(st, 13, (int64_t)time(NULL));
    int rc = step(st), ret = 1;
    if (rc == MRS_DB_ROW) {
        ret = 0;
        rc = step(st);
    }
    if (rc != MRS_DB_DONE) {
        set_sql_err(s, "store split part");
        ret = -1;
    }
    fin(st);
    return ret;
}

int mrs_store_split_has_part(mrs_store *s, int64_t split, int phase, uint32_t part)
{
    if (split_ok(s, false))
        return -1;
    mrs_db_stmt *st = prep(s, "SELECT count(*) FROM split_parts WHERE split = ? AND phase = ? AND part = ?", false,
                           "read split part");
    if (!st)
        return -1;
    b_i64(st, 1, split);
    b_i64(st, 2, phase);
    b_i64(st, 3, part);
    int rc = step(st), ret = -1;
    if (rc == MRS_DB_ROW)
        ret = c_i64(st, 0) > 0;
    else
        set_sql_err(s, "read split part");
    fin(st);
    return ret;
}

int mrs_store_split_each_part(mrs_store *s, int64_t split, int phase,
                              int (*fn)(const mrs_split_part *p, void *ctx, char *err, size_t errlen), void *ctx)
{
    if (split_ok(s, false))
        return -1;
    mrs_db_stmt *st = prep(s,
                           "SELECT part, facts, incidents, metrics, counts, events, messages, malformed, worker "
                           "FROM split_parts WHERE split = ? AND phase = ? ORDER BY part",
                           false, "read split parts");
    if (!st)
        return -1;
    s->db->ops->binary_results(st);
    b_i64(st, 1, split);
    b_i64(st, 2, phase);
    int rc;
    while ((rc = step(st)) == MRS_DB_ROW) {
        mrs_split_part p;
        memset(&p, 0, sizeof p);
        p.split = split;
        p.phase = phase;
        p.part = (uint32_t)c_i64(st, 0);
        p.facts = c_blob(st, 1, &p.n_facts);
        p.incidents = c_blob(st, 2, &p.n_incidents);
        p.metrics = c_blob(st, 3, &p.n_metrics);
        p.counts = c_blob(st, 4, &p.n_counts);
        p.events = (uint64_t)c_i64(st, 5);
        p.messages = (uint64_t)c_i64(st, 6);
        p.malformed = (uint64_t)c_i64(st, 7);
        p.worker = c_txt(st, 8);
        char why[300] = "";
        if (fn(&p, ctx, why, sizeof why) != 0) {
            set_err(s, "split run %lld, phase %d, part %u: %s", (long long)split, phase, p.part, why);
            fin(st);
            return -1;
        }
    }
    if (rc != MRS_DB_DONE)
        set_sql_err(s, "read split parts");
    fin(st);
    return rc == MRS_DB_DONE ? 0 : -1;
}

int mrs_store_split_set_facts(mrs_store *s, int64_t split, const uint8_t *facts, size_t len)
{
    if (split_ok(s, true))
        return -1;
    mrs_db_stmt *st = prep(s, "UPDATE split_runs SET facts = ?, phase = 2 WHERE id = ?", false, "store merged facts");
    if (!st)
        return -1;
    b_blob(st, 1, facts ? facts : (const uint8_t *)"", len);
    b_i64(st, 2, split);
    int rc = step(st);
    if (rc != MRS_DB_DONE)
        set_sql_err(s, "store merged facts");
    fin(st);
    return rc == MRS_DB_DONE ? 0 : -1;
}

int mrs_store_split_facts(mrs_store *s, int64_t split, uint8_t **facts, size_t *len)
{
    *facts = NULL;
    *len = 0;
    if (split_ok(s, false))
        return -1;
    mrs_db_stmt *st = prep(s, "SELECT facts FROM split_runs WHERE id = ?", false, "read merged facts");
    if (!st)
        return -1;
    s->db->ops->binary_results(st);
    b_i64(st, 1, split);
    int rc = step(st), ret = 1;
    if (rc == MRS_DB_ROW) {
        size_t n = 0;
        const uint8_t *b = c_blob(st, 0, &n);
        if (b) {
            if (!(*facts = malloc(n ? n : 1))) {
                set_err(s, "out of memory");
                ret = -1;
            } else {
                memcpy(*facts, b, n);
                *len = n;
                ret = 0;
            }
        }
    } else if (rc != MRS_DB_DONE) {
        set_sql_err(s, "read merged facts");
        ret = -1;
    }
    fin(st);
    return ret;
}

int mrs_store_split_end(mrs_store *s, int64_t split, const char *status, const char *reason, int64_t run)
{
    if (split_ok(s, true))
        return -1;
    if (strcmp(status, "complete") && strcmp(status, "failed") && strcmp(status, "running")) {
        set_err(s, "split run: status \"%s\"", status);
        return -1;
    }
    mrs_db_stmt *st = prep(s, "UPDATE split_runs SET status = ?, reason = ?, run = ?, finished = ? WHERE id = ?",
                           false, "end split run");
    if (!st)
        return -1;
    b_txt(st, 1, status, -1);
    if (reason)
        b_txt(st, 2, reason, -1);
    else
        b_null(st, 2);
    if (run > 0)
        b_i64(st, 3, run);
    else
        b_null(st, 3);
    if (strcmp(status, "running"))
        b_i64(st, 4, (int64_t)time(NULL));
    else
        b_null(st, 4);
    b_i64(st, 5, split);
    int rc = step(st);
    if (rc != MRS_DB_DONE)
        set_sql_err(s, "end split run");
    fin(st);
    return rc == MRS_DB_DONE ? 0 : -1;
}

int mrs_store_split_waiting(mrs_store *s, const char *stream, int64_t split, int64_t *waiting, int64_t *total)
{
    *waiting = *total = 0;
    if (split_ok(s, false))
        return -1;
    /* a split run needs workers while it runs and phase 2 is not all in */
    mrs_db_stmt *st = prep(s,
                           "SELECT count(*), coalesce(sum(CASE WHEN r.status = 'running' AND (r.phase = 1 OR "
                           "(SELECT count(*) FROM split_parts p WHERE p.split = r.id AND p.phase = 2) < r.parts) "
                           "THEN 1 ELSE 0 END), 0) FROM split_runs r WHERE (?1 = 0 OR r.id = ?1) AND (?2 = '' OR "
                           "r.stream = ?2)",
                           false, "split runs waiting");
    if (!st)
        return -1;
    b_i64(st, 1, split);
    b_txt(st, 2, stream ? stream : "", -1);
    int rc = step(st);
    if (rc == MRS_DB_ROW) {
        *total = c_i64(st, 0);
        *waiting = c_i64(st, 1);
    } else
        set_sql_err(s, "split runs waiting");
    fin(st);
    return rc == MRS_DB_ROW ? 0 : -1;
}
