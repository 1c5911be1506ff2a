/*
 * db_sqlite.c — the embedded back-end of the store (db.h): one file, WAL journal,
 * schema version in PRAGMA user_version, identity in PRAGMA application_id.
 */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

struct lite {
    mrs_db base;
    sqlite3 *h;
};

struct lite_stmt {
    mrs_db_stmt base;
    sqlite3_stmt *st;
};

#define H(db) (((struct lite *)(db))->h)
#define ST(s) (((struct lite_stmt *)(s))->st)

static void lite_err(mrs_db *db, const char *msg)
{
    snprintf(db->err, sizeof db->err, "%s", msg ? msg : sqlite3_errmsg(H(db)));
}

static void lite_close(mrs_db *db)
{
    if (!db)
        return;
    sqlite3_close(H(db));
    free(db);
}

static int lite_exec(mrs_db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(H(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
        lite_err(db, msg);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static mrs_db_stmt *lite_prepare(mrs_db *db, const char *sql, bool persistent)
{
    struct lite_stmt *s = calloc(1, sizeof *s);
    if (!s) {
        lite_err(db, "out of memory");
        return NULL;
    }
    s->base.db = db;
    if (sqlite3_prepare_v3(H(db), sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &s->st, NULL) != SQLITE_OK) {
        lite_err(db, NULL);
        sqlite3_finalize(s->st);
        free(s);
        return NULL;
    }
    return &s->base;
}

static void lite_bind_int64(mrs_db_stmt *st, int i, int64_t v) { sqlite3_bind_int64(ST(st), i, v); }
static void lite_bind_double(mrs_db_stmt *st, int i, double v) { sqlite3_bind_double(ST(st), i, v); }
static void lite_bind_null(mrs_db_stmt *st, int i) { sqlite3_bind_null(ST(st), i); }
static void lite_bind_text(mrs_db_stmt *st, int i, const char *v, int len)
{
    sqlite3_bind_text(ST(st), i, v, len, SQLITE_TRANSIENT);
}

static void lite_bind_blob(mrs_db_stmt *st, int i, const void *v, size_t len)
{
    /* a zero-length blob is an empty value, not NULL */
    sqlite3_bind_blob64(ST(st), i, len ? v : "", (sqlite3_uint64)len, SQLITE_TRANSIENT);
}

static void lite_binary_results(mrs_db_stmt *st) { (void)st; }

static int lite_step(mrs_db_stmt *st)
{
    int rc = sqlite3_step(ST(st));
    if (rc == SQLITE_ROW)
        return MRS_DB_ROW;
    if (rc == SQLITE_DONE)
        return MRS_DB_DONE;
    lite_err(st->db, NULL);
    return MRS_DB_ERROR;
}

static bool lite_col_null(mrs_db_stmt *st, int c) { return sqlite3_column_type(ST(st), c) == SQLITE_NULL; }
static int64_t lite_col_int64(mrs_db_stmt *st, int c) { return sqlite3_column_int64(ST(st), c); }
static double lite_col_double(mrs_db_stmt *st, int c) { return sqlite3_column_double(ST(st), c); }
static const char *lite_col_text(mrs_db_stmt *st, int c) { return (const char *)sqlite3_column_text(ST(st), c); }

static const void *lite_col_blob(mrs_db_stmt *st, int c, size_t *len)
{
    if (sqlite3_column_type(ST(st), c) == SQLITE_NULL) {
        *len = 0;
        return NULL;
    }
    const void *p = sqlite3_column_blob(ST(st), c);
    *len = (size_t)sqlite3_column_bytes(ST(st), c);
    return p ? p : "";
}

static void lite_reset(mrs_db_stmt *st)
{
    sqlite3_reset(ST(st));
    sqlite3_clear_bindings(ST(st));
}

static void lite_finalize(mrs_db_stmt *st)
{
    if (!st)
        return;
    sqlite3_finalize(ST(st));
    free(st);
}

static bool lite_in_tx(mrs_db *db) { return !sqlite3_get_autocommit(H(db)); }
/* SQLite rolls a transaction back by itself on some errors (disk full, I/O): then
 * the connection is back in autocommit */
static bool lite_tx_usable(mrs_db *db) { return !sqlite3_get_autocommit(H(db)); }

static int lite_begin_write(mrs_db *db, bool migration)
{
    (void)migration; /* BEGIN IMMEDIATE takes the file's write lock: migrations serialise */
    return lite_exec(db, "BEGIN IMMEDIATE");
}

static int query_int(mrs_db *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(H(db), sql, -1, &st, NULL) != SQLITE_OK) {
        lite_err(db, NULL);
        return -1;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        *out = 0;
    else
        lite_err(db, NULL);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int lite_identity(mrs_db *db, int64_t *app, int64_t *version, int64_t *objects)
{
    return query_int(db, "PRAGMA application_id", app) || query_int(db, "PRAGMA user_version", version) ||
                   query_int(db, "SELECT count(*) FROM sqlite_master", objects)
               ? -1
               : 0;
}

static int lite_set_version(mrs_db *db, int64_t app, int64_t version)
{
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA application_id=%lld; PRAGMA user_version=%lld;", (long long)app,
             (long long)version);
    return lite_exec(db, sql);
}

static bool lite_damaged(mrs_db *db) { return (sqlite3_errcode(H(db)) & 0xff) == SQLITE_CORRUPT; }

/* A damaged file (bit flips, a torn copy) must not be read as if whole, nor have a
 * run appended: SQLite's quick_check (b-tree structure, record formats, NOT NULL;
 * linear in the file's size, no index cross-check) must answer "ok". 1 with the
 * first problem in `what` when it does not. */
static int lite_check(mrs_db *db, char *what, size_t whatlen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(H(db), "PRAGMA quick_check(20)", -1, &st, NULL) != SQLITE_OK) {
        lite_err(db, NULL);
        return -1;
    }
    char first[160] = "";
    int problems = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (!t || !strcmp(t, "ok"))
            continue;
        /* a row may hold several lines; "*** in database main ***" only heads them */
        for (const char *l = t; *l;) {
            size_t n = strcspn(l, "\n");
            if (n && strncmp(l, "*** in database", 15) != 0 && !problems++)
                snprintf(first, sizeof first, "%.*s", (int)n, l);
            l += n + (l[n] == '\n');
        }
    }
    if (rc != SQLITE_DONE && !problems) {
        /* SQLITE_CORRUPT and friends stop the check itself */
        snprintf(first, sizeof first, "%s", sqlite3_errmsg(H(db)));
        problems = 1;
    }
    sqlite3_finalize(st);
    if (!problems)
        return 0;
    snprintf(what, whatlen, "quick_check: %s%s%d problem%s", first, problems >= 20 ? "; at least " : "; ", problems,
             problems == 1 ? "" : "s");
    return 1;
}

static void lite_defer(mrs_db_stmt *st)
{
    (void)st; /* in-process: a step costs no round trip */
}

static int lite_flush(mrs_db *db)
{
    (void)db;
    return 0;
}

static const struct mrs_db_ops lite_ops = {
    .defer = lite_defer,
    .flush = lite_flush,
    .name = "SQLite",
    .close = lite_close,
    .exec = lite_exec,
    .prepare = lite_prepare,
    .bind_int64 = lite_bind_int64,
    .bind_double = lite_bind_double,
    .bind_text = lite_bind_text,
    .bind_null = lite_bind_null,
    .bind_blob = lite_bind_blob,
    .binary_results = lite_binary_results,
    .step = lite_step,
    .col_null = lite_col_null,
    .col_int64 = lite_col_int64,
    .col_double = lite_col_double,
    .col_text = lite_col_text,
    .col_blob = lite_col_blob,
    .reset = lite_reset,
    .finalize = lite_finalize,
    .tx_usable = lite_tx_usable,
    .in_tx = lite_in_tx,
    .begin_write = lite_begin_write,
    .identity = lite_identity,
    .set_version = lite_set_version,
    .check = lite_check,
    .damaged = lite_damaged,
};

mrs_db *mrs_db_sqlite_open(const char *path, bool readonly, char *err, size_t errlen)
{
    struct lite *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    l->base.ops = &lite_ops;
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &l->h, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open: %s", l->h ? sqlite3_errmsg(l->h) : "out of memory");
        sqlite3_close(l->h);
        free(l);
        return NULL;
    }
    sqlite3_busy_timeout(l->h, 10000);
    return &l->base;
}
