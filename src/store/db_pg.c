/*
 * db_pg.c — the store's PostgreSQL back-end (db.h, docs/store.md) over libpq.
 *
 *  - `--db postgresql://user@host:port/dbname?options` (or postgres://): libpq's
 *    URL, with connect_timeout 5 s unless the URL sets one. The tables live in the
 *    connection's current schema (search_path; `options=-csearch_path%3DNAME` in
 *    the URL selects another), so one database can hold several stores.
 *  - The schema version and the store's identity are the one row of the table
 *    manrs_schema (application_id, version): the numbering is SQLite's
 *    PRAGMA user_version, the same migrations run in the same order. Each step is
 *    one transaction (PostgreSQL's DDL is transactional) holding an advisory lock,
 *    so two writers opening a new database at once migrate it once.
 *  - Statements are sent with text parameters (bytea in binary format); a
 *    persistent one is prepared on the server on its first execution, with the
 *    types of that first binding. Results come in text format, or in binary
 *    format for a statement that asks (binary_results: the blobs of a split run,
 *    megabytes that text would double).
 *    Doubles go out as %.17g and come back in the shortest exact form
 *    (extra_float_digits > 0): every value round-trips bit for bit.
 *  - A failed statement inside a transaction aborts it (PQTRANS_INERROR): the
 *    store then never commits that run (tx_usable false), as with SQLite's own
 *    rollbacks.
 *  - Deferred statements (defer: a run's incidents, evidence, networks) go out in
 *    libpq's pipeline mode: a step sends and returns, without waiting for the
 *    server's answer; the answers are read (a sync, then every result up to it)
 *    every DB_DEFER_MAX sends and before anything else uses the connection. One
 *    round trip per batch rather than per row: a run of 16 000 incidents and their
 *    evidence is stored in a fraction of the time. The first failure's message is
 *    kept and reported by the call that read it; the server has aborted the
 *    transaction by then (the rest of the batch is skipped), so the run is never
 *    committed, as before.
 *  - A deferred statement that is a plain INSERT (INSERT INTO t (cols) VALUES
 *    ($1, ..., $n), no ON CONFLICT, no RETURNING, no binary parameter) does not even
 *    go out row by row: its rows are kept as COPY text (NULL as \N; backslash, tab,
 *    newline and carriage return escaped) and sent as one COPY t (cols) FROM STDIN
 *    every DB_COPY_MAX bytes and before anything else uses the connection (COPY is
 *    not allowed in pipeline mode: the pipeline is read first). The server's work
 *    per row is then a fraction of an INSERT's; a refused row (a constraint)
 *    fails the whole COPY, and so the run, as a refused INSERT did.
 */
#include "db.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define PG_MAXP 64
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_FLOAT8 701
#define MRS_PG_LOCK 1296125522 /* "MANR": the migration lock */
#define DB_DEFER_MAX 512       /* deferred sends between two reads of the answers */
#define DB_COPY_MAX (4u << 20) /* bytes of COPY rows kept before they are sent */

struct pg_stmt;

struct pg {
    mrs_db base;
    PGconn *c;
    unsigned next_name;
    bool piped;                /* in pipeline mode, answers not read yet */
    unsigned pending;          /* deferred sends since the last read */
    struct pg_stmt *copies;    /* statements with COPY rows kept */
};

struct pg_stmt {
    mrs_db_stmt base;
    char *sql; /* rewritten for PostgreSQL */
    char name[24];
    bool persistent, prepared;
    int np;
    Oid types[PG_MAXP];
    char *vals[PG_MAXP];
    int lens[PG_MAXP], fmts[PG_MAXP];   /* bytea: its length, binary format */
    bool binres;                        /* results in binary format */
    PGresult *res;
    int row, nrows;
    bool ran;
    bool deferred;                      /* defer: sent in pipeline mode */
    unsigned char *unescaped;           /* col_blob of a text-format bytea */
    char *copy_sql;                     /* a deferred plain INSERT: "COPY t (cols) FROM STDIN" */
    int copy_cols;
    char *cbuf;                         /* its rows, COPY text format */
    size_t clen, ccap;
    struct pg_stmt *next_copy;          /* in struct pg's copies while clen > 0 */
};

#define C(db) (((struct pg *)(db))->c)
#define PS(s) ((struct pg_stmt *)(s))

bool mrs_db_is_pg_url(const char *name)
{
    return name && (!strncmp(name, "postgresql://", 13) || !strncmp(name, "postgres://", 11));
}

void mrs_db_pg_redact(const char *url, char *out, size_t outlen)
{
    size_t o = 0;
#define PUT(ch)                                                                                                      \
    do {                                                                                                             \
        if (o + 1 < outlen)                                                                                          \
            out[o++] = (ch);                                                                                         \
    } while (0)
    const char *p = url, *sch = strstr(url, "://");
    if (sch) {
        for (; p < sch + 3; p++)
            PUT(*p);
        size_t alen = strcspn(p, "/?");
        const char *at = NULL;
        for (size_t i = 0; i < alen; i++)
            if (p[i] == '@')
                at = p + i;
        if (at) {
            const char *colon = memchr(p, ':', (size_t)(at - p));
            for (const char *q = p; q < (colon ? colon : at); q++)
                PUT(*q);
            p = at;
        }
    }
    /* the query: drop password=... */
    bool in_query = false;
    while (*p) {
        if (*p == '?' || (in_query && *p == '&')) {
            char sep = *p;
            in_query = true;
            if (!strncmp(p + 1, "password=", 9)) {
                p += 1 + strcspn(p + 1, "&");
                if (sep == '?' && *p == '&') { /* the next parameter opens the query */
                    PUT('?');
                    p++;
                }
                continue;
            }
        }
        PUT(*p);
        p++;
    }
#undef PUT
    if (outlen)
        out[o < outlen ? o : outlen - 1] = 0;
}

/* ------------------------------------------------------------------ dialect */

struct sbuf {
    char *p;
    size_t n, cap;
    bool oom;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->n + n + 1 > cap)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static bool word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && !memcmp(w, lit, n);
}

/* After word [p, p+n): does " NEXT" follow? Returns its end or NULL. */
static const char *followed_by(const char *p, const char *next)
{
    while (*p == ' ')
        p++;
    size_t k = strlen(next);
    if (!strncmp(p, next, k) && !(isalnum((unsigned char)p[k]) || p[k] == '_'))
        return p + k;
    return NULL;
}

char *mrs_db_pg_sql(const char *sql)
{
    struct sbuf b = {0};
    int maxp = 0;
    const char *p = sql;
    while (*p) {
        if (*p == '\'') { /* a string literal, verbatim */
            const char *q = p + 1;
            while (*q && !(*q == '\'' && q[1] != '\''))
                q += *q == '\'' ? 2 : 1;
            if (*q)
                q++;
            sb_put(&b, p, (size_t)(q - p));
            p = q;
        } else if (*p == '?') {
            char num[16];
            int k;
            p++;
            if (isdigit((unsigned char)*p)) {
                k = (int)strtol(p, (char **)&p, 10);
            } else
                k = maxp + 1;
            if (k > maxp)
                maxp = k;
            int len = snprintf(num, sizeof num, "$%d", k);
            sb_put(&b, num, (size_t)len);
        } else if (isalpha((unsigned char)*p) || *p == '_') {
            const char *w = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            size_t n = (size_t)(p - w);
            const char *e;
            if (word_is(w, n, "INTEGER") && (e = followed_by(p, "PRIMARY")) && (e = followed_by(e, "KEY"))) {
                static const char id[] = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
                sb_put(&b, id, sizeof id - 1);
                p = e;
            } else if (word_is(w, n, "INTEGER"))
                sb_put(&b, "BIGINT", 6);
            else if (word_is(w, n, "BLOB"))
                sb_put(&b, "BYTEA", 5);
            else if (word_is(w, n, "REAL"))
                sb_put(&b, "DOUBLE PRECISION", 16);
            else if (word_is(w, n, "WITHOUT") && (e = followed_by(p, "ROWID")))
                p = e;
            else
                sb_put(&b, w, n);
        } else {
            sb_put(&b, p, 1);
            p++;
        }
    }
    if (!b.p && !b.oom)
        sb_put(&b, "", 0);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* ------------------------------------------------------------------ errors */

/* One line: libpq's messages end in a newline and may hold several lines
 * (joined with "; "). */
static void flat(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = 0;
    char buf[512];
    size_t o = 0;
    for (const char *c = s; *c && o + 3 < sizeof buf; c++) {
        if (*c == '\n') {
            while (c[1] == ' ' || c[1] == '\t')
                c++;
            buf[o++] = ';';
            buf[o++] = ' ';
        } else
            buf[o++] = *c == '\t' ? ' ' : *c;
    }
    buf[o] = 0;
    memcpy(s, buf, o < n ? o + 1 : n + 1); /* never longer than s: cut to its length */
    s[o < n ? o : n] = 0;
}

static void pg_err_res(mrs_db *db, const PGresult *r)
{
    const char *prim = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *det = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
    if (prim)
        snprintf(db->err, sizeof db->err, "%s%s%s", prim, det ? " (" : "", det ? det : "");
    else
        snprintf(db->err, sizeof db->err, "%s", PQerrorMessage(C(db)));
    if (prim && det && strlen(db->err) + 2 < sizeof db->err)
        strcat(db->err, ")");
    flat(db->err);
}

static void pg_err(mrs_db *db, const char *msg)
{
    snprintf(db->err, sizeof db->err, "%s", msg);
}

/* ------------------------------------------------------------------ the pipeline */

/* Read the answers of the deferred sends: a sync, then every result up to it. 0,
 * or -1 with the first failure's message in db->err (the pipeline is left
 * either way). */
static int pipe_read(mrs_db *db)
{
    struct pg *g = (struct pg *)db;
    if (!g->piped)
        return 0;
    int rc = 0;
    if (PQpipelineSync(g->c) != 1) {
        pg_err(db, PQerrorMessage(g->c));
        flat(db->err);
        rc = -1;
    } else {
        /* every send has its results and a NULL after them; more NULLs than that
         * and no sync: the connection is broken */
        unsigned nulls = 0;
        for (;;) {
            PGresult *r = PQgetResult(g->c);
            if (!r) {
                if (PQstatus(g->c) != CONNECTION_OK || ++nulls > 2 * g->pending + 8) {
                    if (rc == 0) {
                        pg_err(db, *PQerrorMessage(g->c) ? PQerrorMessage(g->c) : "no answer to the pipeline");
                        flat(db->err);
                    }
                    rc = -1;
                    break;
                }
                continue;   /* the end of one statement's results */
            }
            ExecStatusType st = PQresultStatus(r);
            if (st == PGRES_PIPELINE_SYNC) {
                PQclear(r);
                break;
            }
            if (st == PGRES_FATAL_ERROR && rc == 0) {
                pg_err_res(db, r);   /* the first failure; the rest were skipped (aborted) */
                rc = -1;
            }
            PQclear(r);
        }
    }
    if (PQexitPipelineMode(g->c) != 1 && rc == 0) {
        pg_err(db, PQerrorMessage(g->c));
        flat(db->err);
        rc = -1;
    }
    g->piped = false;
    g->pending = 0;
    return rc;
}

/* Send one statement's COPY rows (the pipeline read before): 0, or -1 with the
 * message in db->err unless keep_err (an earlier failure is the one to tell).
 * The rows are gone either way. */
static int copy_send(mrs_db *db, struct pg_stmt *s, bool keep_err)
{
    PGconn *c = C(db);
    int rc = 0;
    PGresult *r = PQexec(c, s->copy_sql);
    if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
        if (!keep_err)
            pg_err_res(db, r);
        PQclear(r);
        rc = -1;
    } else {
        PQclear(r);
        for (size_t at = 0; at < s->clen && rc == 0;) {
            size_t n = s->clen - at < (1u << 20) ? s->clen - at : (1u << 20);
            if (PQputCopyData(c, s->cbuf + at, (int)n) != 1)
                rc = -1;
            at += n;
        }
        if (PQputCopyEnd(c, rc ? "the client could not send the rows" : NULL) != 1)
            rc = -1;
        bool said = false;   /* the server's message, when it gave one */
        while ((r = PQgetResult(c)) != NULL) {
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                if (!keep_err && !said)
                    pg_err_res(db, r);
                said = true;
                rc = -1;
            }
            PQclear(r);
        }
        if (rc && !keep_err && !said) {
            pg_err(db, PQerrorMessage(c));
            flat(db->err);
        }
    }
    s->clen = 0;
    return rc;
}

/* Every statement's COPY rows sent (the pipeline read first): 0, or -1 with the
 * first failure's message in db->err. */
static int pipe_flush(mrs_db *db)
{
    struct pg *g = (struct pg *)db;
    int rc = pipe_read(db);
    while (g->copies) {
        struct pg_stmt *s = g->copies;
        g->copies = s->next_copy;
        s->next_copy = NULL;
        if (copy_send(db, s, rc != 0))
            rc = -1;
    }
    return rc;
}

/* A COPY text field: NULL as \N, the four special bytes escaped. */
static bool copy_put(struct pg_stmt *s, const char *v, size_t len, char end)
{
    size_t need = s->clen + (v ? 2 * len : 2) + 1;
    if (need > s->ccap) {
        size_t cap = s->ccap ? s->ccap : 65536;
        while (cap < need)
            cap *= 2;
        char *nb = realloc(s->cbuf, cap);
        if (!nb)
            return false;
        s->cbuf = nb;
        s->ccap = cap;
    }
    char *o = s->cbuf + s->clen;
    if (!v) {
        *o++ = '\\';
        *o++ = 'N';
    } else {
        for (size_t i = 0; i < len; i++) {
            char ch = v[i];
            switch (ch) {
            case '\\': *o++ = '\\', *o++ = '\\'; break;
            case '\t': *o++ = '\\', *o++ = 't'; break;
            case '\n': *o++ = '\\', *o++ = 'n'; break;
            case '\r': *o++ = '\\', *o++ = 'r'; break;
            default: *o++ = ch;
            }
        }
    }
    *o++ = end;
    s->clen = (size_t)(o - s->cbuf);
    return true;
}

/* The COPY of a plain INSERT (see the top): "COPY t (cols) FROM STDIN" and the
 * number of columns, or NULL. */
static char *copy_of_insert(const char *sql, int *ncols)
{
    static const char head[] = "INSERT INTO ";
    if (strncmp(sql, head, sizeof head - 1))
        return NULL;
    const char *t = sql + sizeof head - 1, *p = t;
    while (isalnum((unsigned char)*p) || *p == '_')
        p++;
    size_t tlen = (size_t)(p - t);
    if (!tlen || strncmp(p, " (", 2))
        return NULL;
    const char *cols = p + 2, *ce = strchr(cols, ')');
    if (!ce)
        return NULL;
    int n = 1;
    for (const char *q = cols; q < ce; q++) {
        if (*q == ',')
            n++;
        else if (!isalnum((unsigned char)*q) && *q != '_' && *q != ' ')
            return NULL;
    }
    p = ce + 1;
    if (strncmp(p, " VALUES (", 9))
        return NULL;
    p += 9;
    for (int i = 1; i <= n; i++) {   /* $1, $2, ... $n in order, nothing else */
        while (*p == ' ')
            p++;
        char want[16];
        int wl = snprintf(want, sizeof want, "$%d", i);
        if (strncmp(p, want, (size_t)wl) || isdigit((unsigned char)p[wl]))
            return NULL;
        p += wl;
        while (*p == ' ')
            p++;
        if (*p++ != (i < n ? ',' : ')'))
            return NULL;
    }
    if (*p)
        return NULL;   /* ON CONFLICT, RETURNING, ... */
    size_t len = 5 + tlen + 2 + (size_t)(ce - cols) + 13 + 1;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "COPY %.*s (%.*s) FROM STDIN", (int)tlen, t, (int)(ce - cols), cols);
    *ncols = n;
    return out;
}

/* ------------------------------------------------------------------ the ops */

static void pg_close(mrs_db *db)
{
    if (!db)
        return;
    PQfinish(C(db));
    free(db);
}

static int pg_exec_raw(mrs_db *db, const char *sql)
{
    if (pipe_flush(db))
        return -1;
    PGresult *r = PQexec(C(db), sql);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        pg_err_res(db, r);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    return 0;
}

static int pg_exec(mrs_db *db, const char *sql)
{
    char *t = mrs_db_pg_sql(sql);
    if (!t) {
        pg_err(db, "out of memory");
        return -1;
    }
    int rc = pg_exec_raw(db, t);
    free(t);
    return rc;
}

static mrs_db_stmt *pg_prepare(mrs_db *db, const char *sql, bool persistent)
{
    struct pg_stmt *s = calloc(1, sizeof *s);
    if (s)
        s->sql = mrs_db_pg_sql(sql);
    if (!s || !s->sql) {
        free(s);
        pg_err(db, "out of memory");
        return NULL;
    }
    s->base.db = db;
    s->persistent = persistent;
    if (persistent)
        snprintf(s->name, sizeof s->name, "mrs%u", ((struct pg *)db)->next_name++);
    return &s->base;
}

static void set_val(mrs_db_stmt *st, int i, Oid type, const char *v, size_t len)
{
    struct pg_stmt *s = PS(st);
    if (i < 1 || i > PG_MAXP)
        return;
    free(s->vals[i - 1]);
    s->vals[i - 1] = NULL;
    s->lens[i - 1] = 0;
    s->fmts[i - 1] = 0;
    if (v && len > (size_t)INT32_MAX - 1)
        v = NULL; /* beyond a protocol message: sent as NULL, the NOT NULL column refuses it */
    if (v) {
        char *d = malloc(len + 1);
        if (d) {
            memcpy(d, v, len);
            d[len] = 0;
            s->lens[i - 1] = (int)len;
            s->fmts[i - 1] = type == OID_BYTEA;
        }
        s->vals[i - 1] = d; /* out of memory: sent as NULL, the NOT NULL column refuses it */
    }
    if (type && !s->prepared)
        s->types[i - 1] = type; /* a NULL leaves the type to the server */
    if (i > s->np)
        s->np = i;
}

static void pg_bind_int64(mrs_db_stmt *st, int i, int64_t v)
{
    char b[24];
    int n = snprintf(b, sizeof b, "%lld", (long long)v);
    set_val(st, i, OID_INT8, b, (size_t)n);
}

static void pg_bind_double(mrs_db_stmt *st, int i, double v)
{
    char b[40];
    int n = snprintf(b, sizeof b, "%.17g", v);
    set_val(st, i, OID_FLOAT8, b, (size_t)n);
}

static void pg_bind_text(mrs_db_stmt *st, int i, const char *v, int len)
{
    set_val(st, i, OID_TEXT, v, len < 0 ? strlen(v) : (size_t)len);
}

static void pg_bind_null(mrs_db_stmt *st, int i) { set_val(st, i, 0, NULL, 0); }

static void pg_bind_blob(mrs_db_stmt *st, int i, const void *v, size_t len)
{
    set_val(st, i, OID_BYTEA, v ? v : "", len);
}

static void pg_binary_results(mrs_db_stmt *st) { PS(st)->binres = true; }

static void pg_defer(mrs_db_stmt *st)
{
    struct pg_stmt *s = PS(st);
    s->deferred = true;
    if (!s->copy_sql)
        s->copy_sql = copy_of_insert(s->sql, &s->copy_cols);
}

#define COPY_NOT 2   /* step_copy: send this row as an INSERT */

/* A deferred plain INSERT's step: its row kept for the next COPY; COPY_NOT: send it
 * as an INSERT instead (a binary parameter, out of memory). */
static int step_copy(struct pg_stmt *s)
{
    mrs_db *db = s->base.db;
    struct pg *g = (struct pg *)db;
    for (int i = 0; i < s->copy_cols; i++)
        if (i < s->np && s->fmts[i])
            return COPY_NOT;
    size_t mark = s->clen;
    for (int i = 0; i < s->copy_cols; i++)
        if (!copy_put(s, i < s->np ? s->vals[i] : NULL, i < s->np && s->vals[i] ? (size_t)s->lens[i] : 0,
                      i + 1 < s->copy_cols ? '\t' : '\n')) {
            s->clen = mark;
            return COPY_NOT;
        }
    if (!mark) {
        s->next_copy = g->copies;
        g->copies = s;
    }
    s->ran = true;
    s->nrows = 0;
    s->row = 0;
    if (s->clen >= DB_COPY_MAX && pipe_flush(db))
        return MRS_DB_ERROR;
    return MRS_DB_DONE;
}

/* A persistent statement prepared on the server (outside any pipeline): 0, or -1
 * with the server's message. */
static int prepare_once(struct pg_stmt *s)
{
    mrs_db *db = s->base.db;
    PGresult *r = PQprepare(C(db), s->name, s->sql, s->np, s->types);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        pg_err_res(db, r);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    s->prepared = true;
    return 0;
}

/* A deferred statement's step: sent, its answer read later (pipe_flush). */
static int step_deferred(struct pg_stmt *s)
{
    mrs_db *db = s->base.db;
    struct pg *g = (struct pg *)db;
    if (s->copy_sql) {
        int c = step_copy(s);
        if (c != COPY_NOT)
            return c;
    }
    if (s->persistent && !s->prepared) {
        /* prepared outside the pipeline, waiting for the answer: a prepare skipped
         * in an aborted pipeline would leave the statement unknown to the server
         * for the handle's next run */
        if (pipe_flush(db) || prepare_once(s))
            return MRS_DB_ERROR;
    }
    if (!g->piped) {
        if (PQenterPipelineMode(g->c) != 1) {
            pg_err(db, PQerrorMessage(g->c));
            flat(db->err);
            return MRS_DB_ERROR;
        }
        g->piped = true;
    }
    int ok = s->persistent ? PQsendQueryPrepared(g->c, s->name, s->np, (const char *const *)s->vals, s->lens,
                                                 s->fmts, 0)
                           : PQsendQueryParams(g->c, s->sql, s->np, s->types, (const char *const *)s->vals, s->lens,
                                               s->fmts, 0);
    if (!ok) {
        char keep[sizeof db->err];
        snprintf(keep, sizeof keep, "%s", PQerrorMessage(g->c));
        flat(keep);
        if (pipe_flush(db) == 0)   /* else an earlier failure: the one to tell */
            memcpy(db->err, keep, sizeof keep);
        return MRS_DB_ERROR;
    }
    s->ran = true;
    s->nrows = 0;
    s->row = 0;
    if (++g->pending >= DB_DEFER_MAX && pipe_read(db))
        return MRS_DB_ERROR;
    return MRS_DB_DONE;
}

static int pg_step(mrs_db_stmt *st)
{
    struct pg_stmt *s = PS(st);
    mrs_db *db = st->db;
    if (s->deferred && !s->ran)
        return step_deferred(s);
    if (s->deferred)
        return MRS_DB_DONE;
    if (!s->ran && pipe_flush(db))
        return MRS_DB_ERROR;
    if (!s->ran) {
        PGresult *r;
        if (s->persistent && !s->prepared && prepare_once(s))
            return MRS_DB_ERROR;
        if (s->persistent)
            r = PQexecPrepared(C(db), s->name, s->np, (const char *const *)s->vals, s->lens, s->fmts, s->binres);
        else
            r = PQexecParams(C(db), s->sql, s->np, s->types, (const char *const *)s->vals, s->lens, s->fmts,
                             s->binres);
        ExecStatusType rs = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
            pg_err_res(db, r);
            PQclear(r);
            return MRS_DB_ERROR;
        }
        s->res = r;
        s->ran = true;
        s->nrows = rs == PGRES_TUPLES_OK ? PQntuples(r) : 0;
        s->row = -1;
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return MRS_DB_ROW;
    }
    s->row = s->nrows;
    return MRS_DB_DONE;
}

static const char *cell(mrs_db_stmt *st, int c)
{
    struct pg_stmt *s = PS(st);
    if (!s->res || s->row < 0 || s->row >= s->nrows || c >= PQnfields(s->res) || PQgetisnull(s->res, s->row, c))
        return NULL;
    return PQgetvalue(s->res, s->row, c);
}

static bool pg_col_null(mrs_db_stmt *st, int c) { return cell(st, c) == NULL; }

/* A binary-format cell: network byte order */
static uint64_t be(const char *v, int n)
{
    uint64_t x = 0;
    for (int i = 0; i < n; i++)
        x = x << 8 | (unsigned char)v[i];
    return x;
}

static bool binary_cell(mrs_db_stmt *st, int c)
{
    return PS(st)->res && PQfformat(PS(st)->res, c) == 1;
}

static int64_t pg_col_int64(mrs_db_stmt *st, int c)
{
    const char *v = cell(st, c);
    if (!v)
        return 0;
    if (binary_cell(st, c)) {
        struct pg_stmt *s = PS(st);
        int n = PQgetlength(s->res, s->row, c);
        Oid t = PQftype(s->res, c);
        if ((t == OID_INT8 && n == 8) || (t == OID_INT4 && n == 4) || (t == OID_INT2 && n == 2)) {
            uint64_t x = be(v, n);
            if (n < 8 && (x >> (8 * n - 1)) & 1)
                x |= ~0ULL << (8 * n); /* sign extension */
            return (int64_t)x;
        }
        return 0;
    }
    return (int64_t)strtoll(v, NULL, 10);
}

static const void *pg_col_blob(mrs_db_stmt *st, int c, size_t *len)
{
    struct pg_stmt *s = PS(st);
    const char *v = cell(st, c);
    *len = 0;
    if (!v)
        return NULL;
    if (binary_cell(st, c)) {
        *len = (size_t)PQgetlength(s->res, s->row, c);
        return v;
    }
    /* text format: bytea's hex (or escape) form */
    PQfreemem(s->unescaped);
    size_t n = 0;
    s->unescaped = PQunescapeBytea((const unsigned char *)v, &n);
    if (!s->unescaped)
        return NULL;
    *len = n;
    return s->unescaped;
}

static double pg_col_double(mrs_db_stmt *st, int c)
{
    const char *v = cell(st, c);
    if (v && binary_cell(st, c)) {
        struct pg_stmt *s = PS(st);
        if (PQftype(s->res, c) != OID_FLOAT8 || PQgetlength(s->res, s->row, c) != 8)
            return 0.0;
        uint64_t x = be(v, 8);
        double d;
        memcpy(&d, &x, sizeof d);
        return d;
    }
    return v ? strtod(v, NULL) : 0.0;
}

static const char *pg_col_text(mrs_db_stmt *st, int c) { return cell(st, c); }

static void pg_reset(mrs_db_stmt *st)
{
    struct pg_stmt *s = PS(st);
    PQclear(s->res);
    s->res = NULL;
    PQfreemem(s->unescaped);
    s->unescaped = NULL;
    s->ran = false;
    s->row = s->nrows = 0;
    for (int i = 0; i < s->np; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
        s->lens[i] = s->fmts[i] = 0;
    }
    if (s->prepared)
        return; /* the count and types are the server's now */
    s->np = 0;
    memset(s->types, 0, sizeof s->types);
}

static void pg_finalize(mrs_db_stmt *st)
{
    if (!st)
        return;
    struct pg_stmt *s = PS(st);
    PQclear(s->res);
    PQfreemem(s->unescaped);
    for (int i = 0; i < PG_MAXP; i++)
        free(s->vals[i]);
    pipe_flush(st->db);   /* a failure there was the run's: told by whoever asks next */
    if (s->prepared && PQstatus(C(st->db)) == CONNECTION_OK &&
        PQtransactionStatus(C(st->db)) != PQTRANS_INERROR) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
        PQclear(PQexec(C(st->db), sql));
    }
    free(s->sql);
    free(s->copy_sql);
    free(s->cbuf);
    free(s);
}

static bool pg_in_tx(mrs_db *db)
{
    pipe_flush(db);
    PGTransactionStatusType t = PQtransactionStatus(C(db));
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

static bool pg_tx_usable(mrs_db *db)
{
    /* a deferred statement that failed has aborted the transaction: INERROR after the read */
    return pipe_flush(db) == 0 && PQtransactionStatus(C(db)) == PQTRANS_INTRANS;
}

static int pg_begin_write(mrs_db *db, bool migration)
{
    if (pipe_flush(db))
        return -1;
    if (pg_exec_raw(db, "BEGIN"))
        return -1;
    if (migration) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%d)", MRS_PG_LOCK);
        if (pg_exec_raw(db, sql)) {
            PQclear(PQexec(C(db), "ROLLBACK"));
            return -1;
        }
    }
    return 0;
}

static int query_int(mrs_db *db, const char *sql, int64_t *out)
{
    if (pipe_flush(db))
        return -1;
    PGresult *r = PQexec(C(db), sql);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_err_res(db, r);
        PQclear(r);
        return -1;
    }
    *out = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? (int64_t)strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
    return 0;
}

static int pg_identity(mrs_db *db, int64_t *app, int64_t *version, int64_t *objects)
{
    int64_t has = 0;
    *app = *version = 0;
    if (query_int(db,
                  "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
                  objects) ||
        query_int(db, "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                      "c.relnamespace WHERE n.nspname = current_schema() AND c.relname = 'manrs_schema'",
                  &has))
        return -1;
    if (!has)
        return 0;
    return query_int(db, "SELECT application_id FROM manrs_schema", app) ||
                   query_int(db, "SELECT max(version) FROM manrs_schema", version)
               ? -1
               : 0;
}

static int pg_set_version(mrs_db *db, int64_t app, int64_t version)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS manrs_schema (application_id BIGINT NOT NULL, version BIGINT NOT NULL);"
             "DELETE FROM manrs_schema; INSERT INTO manrs_schema VALUES (%lld, %lld);",
             (long long)app, (long long)version);
    return pg_exec_raw(db, sql);
}

static bool pg_damaged(mrs_db *db)
{
    (void)db;
    return false;
}

static const struct mrs_db_ops pg_ops = {
    .name = "PostgreSQL",
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .bind_blob = pg_bind_blob,
    .binary_results = pg_binary_results,
    .defer = pg_defer,
    .flush = pipe_flush,
    .step = pg_step,
    .col_null = pg_col_null,
    .col_int64 = pg_col_int64,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .tx_usable = pg_tx_usable,
    .in_tx = pg_in_tx,
    .begin_write = pg_begin_write,
    .identity = pg_identity,
    .set_version = pg_set_version,
    .check = NULL,
    .damaged = pg_damaged,
};

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* NOTICEs (CREATE TABLE IF NOT EXISTS ...) are not the user's business */
}

mrs_db *mrs_db_pg_open(const char *url, bool readonly, char *err, size_t errlen)
{
    struct pg *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    g->base.ops = &pg_ops;
    /* our defaults first: the URL's own settings (expanded from dbname) win */
    static const char *const kw[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *const val[] = {"5", "manrs", url, NULL};
    g->c = PQconnectdbParams(kw, val, 1);
    if (!g->c || PQstatus(g->c) != CONNECTION_OK) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s", g->c ? PQerrorMessage(g->c) : "out of memory");
        flat(msg);
        snprintf(err, errlen, "cannot connect: %s", msg);
        PQfinish(g->c);
        free(g);
        return NULL;
    }
    PQsetNoticeProcessor(g->c, quiet, NULL);
    if (pg_exec_raw(&g->base, "SET client_encoding = 'UTF8'; SET extra_float_digits = 3; "
                              "SET client_min_messages = warning") ||
        (readonly && pg_exec_raw(&g->base, "SET default_transaction_read_only = on"))) {
        snprintf(err, errlen, "cannot set up the session: %s", g->base.err);
        pg_close(&g->base);
        return NULL;
    }
    return &g->base;
}
