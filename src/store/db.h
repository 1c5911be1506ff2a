/*
 * db.h — the store's two back-ends behind one small interface (internal to the
 * store layer; docs/store.md).
 *
 * store.c holds the schema and every query once, written in the SQL both
 * SQLite and PostgreSQL accept (INSERT ... ON CONFLICT, RETURNING), with `?` or
 * `?N` placeholders and SQLite's column types. The PostgreSQL back-end rewrites
 * the text on the way in (mrs_db_pg_sql): placeholders become `$N`, INTEGER
 * becomes BIGINT, REAL becomes DOUBLE PRECISION, BLOB becomes BYTEA, `INTEGER
 * PRIMARY KEY` an identity column, and `WITHOUT ROWID` goes. What cannot be shared (where the schema
 * version lives, the integrity check, how a migration takes its lock) is a
 * back-end operation below.
 *
 * Statements: bind (1-based), step (MRS_DB_ROW / MRS_DB_DONE / MRS_DB_ERROR),
 * read columns (0-based) of the current row, reset (which also clears the
 * bindings), finalize. A text bound is copied or used before bind returns to the
 * caller's next statement: callers may pass buffers that live until the step.
 */
#ifndef MANRS_STORE_DB_H
#define MANRS_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { MRS_DB_ERROR = -1, MRS_DB_DONE = 0, MRS_DB_ROW = 1 };

typedef struct mrs_db mrs_db;
typedef struct mrs_db_stmt mrs_db_stmt;

struct mrs_db_ops {
    const char *name; /* "SQLite" or "PostgreSQL" */
    void (*close)(mrs_db *db);
    int (*exec)(mrs_db *db, const char *sql);
    /* persistent: kept for the handle's life (prepared once on the server) */
    mrs_db_stmt *(*prepare)(mrs_db *db, const char *sql, bool persistent);
    void (*bind_int64)(mrs_db_stmt *st, int i, int64_t v);
    void (*bind_double)(mrs_db_stmt *st, int i, double v);
    void (*bind_text)(mrs_db_stmt *st, int i, const char *v, int len); /* len < 0: NUL-terminated */
    void (*bind_null)(mrs_db_stmt *st, int i);
    /* bytes (SQLite BLOB, PostgreSQL bytea sent in binary format); copied */
    void (*bind_blob)(mrs_db_stmt *st, int i, const void *v, size_t len);
    /* the results of the next step in binary format (PostgreSQL; SQLite: nothing
     * to do): then only int64, text and blob columns may be read */
    void (*binary_results)(mrs_db_stmt *st);
    /* a statement whose steps return no rows and whose outcome may come later
     * (PostgreSQL: pipelined, the bulk rows of a run; SQLite: nothing to do). Its
     * step sends it and says MRS_DB_DONE; the server's answers are read every
     * DB_DEFER_MAX steps and before anything else is sent on the connection (any
     * other step, exec, finalize, transaction state): a failure is reported there,
     * by that call, with the failed statement's message. */
    void (*defer)(mrs_db_stmt *st);
    /* read the answers of the deferred steps now: 0, or -1 with the first failure */
    int (*flush)(mrs_db *db);
    int (*step)(mrs_db_stmt *st);
    bool (*col_null)(mrs_db_stmt *st, int col);
    int64_t (*col_int64)(mrs_db_stmt *st, int col);
    double (*col_double)(mrs_db_stmt *st, int col);
    const char *(*col_text)(mrs_db_stmt *st, int col); /* NULL for NULL */
    /* the bytes of a BLOB/bytea column (*len its length; NULL and 0 for NULL),
     * valid until the next step, reset or finalize */
    const void *(*col_blob)(mrs_db_stmt *st, int col, size_t *len);
    void (*reset)(mrs_db_stmt *st);
    void (*finalize)(mrs_db_stmt *st);
    /* true when the connection is inside a transaction that can still commit */
    bool (*tx_usable)(mrs_db *db);
    /* true when a transaction (usable or aborted) is open */
    bool (*in_tx)(mrs_db *db);
    /* open a write transaction that serialises schema migrations */
    int (*begin_write)(mrs_db *db, bool migration);
    /* the store's identity: *app (0 if none), *version (0 if none), *objects
     * (tables of any kind in the database or schema) */
    int (*identity)(mrs_db *db, int64_t *app, int64_t *version, int64_t *objects);
    /* record app id and version, inside the migration's transaction */
    int (*set_version)(mrs_db *db, int64_t app, int64_t version);
    /* structural check before use; NULL when the server guarantees it */
    int (*check)(mrs_db *db, char *what, size_t whatlen);
    /* is the last error a damaged-file error (SQLite only) */
    bool (*damaged)(mrs_db *db);
};

struct mrs_db {
    const struct mrs_db_ops *ops;
    char err[400]; /* the last error of the back-end, without the store's name */
};

struct mrs_db_stmt {
    mrs_db *db;
};

/* Is this store name a PostgreSQL URL (postgresql:// or postgres://)? */
bool mrs_db_is_pg_url(const char *name);
/* The URL without its password (user:pass@ and password=...), for messages. */
void mrs_db_pg_redact(const char *url, char *out, size_t outlen);
/* SQLite-dialect SQL rewritten for PostgreSQL; malloc'ed, NULL when out of memory. */
char *mrs_db_pg_sql(const char *sql);

/* Open; NULL with a message in err (no store name prefix). readonly: the
 * connection refuses writes; create: SQLite may create the file. */
mrs_db *mrs_db_sqlite_open(const char *path, bool readonly, char *err, size_t errlen);
mrs_db *mrs_db_pg_open(const char *url, bool readonly, char *err, size_t errlen);

#endif
