/* The store's connection on SQLite: one file in WAL mode, synchronous=FULL
 * (a recorded screening survives a power cut), a busy timeout so a second
 * process waits for the writer instead of failing. */
#include "store/db_int.h"
#include "util/error.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sqlite_db {
    db base;
    sqlite3 *h;
} sqlite_db;

typedef struct sqlite_rows {
    db_rows base;
    sqlite3_stmt *st;
} sqlite_rows;

static sqlite3 *handle(db *d) {
    return ((sqlite_db *)d)->h;
}

static const char *s_errmsg(db *d) {
    return sqlite3_errmsg(handle(d));
}

static bool s_exec(db *d, const char *sql) {
    return sqlite3_exec(handle(d), sql, NULL, NULL, NULL) == SQLITE_OK;
}

static bool s_begin(db *d) {
    return s_exec(d, "BEGIN IMMEDIATE");
}

static sqlite3_stmt *prepare(db *d, const char *sql, const char *types, va_list ap) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(handle(d), sql, -1, &st, NULL) != SQLITE_OK) return NULL;
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i')
            sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
        else if (types[i] == 'd')
            sqlite3_bind_double(st, i + 1, va_arg(ap, double));
        else
            sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
    }
    return st;
}

static bool s_run(db *d, long long *changes, const char *sql, const char *types, va_list ap) {
    sqlite3_stmt *st = prepare(d, sql, types, ap);
    if (!st) return false;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (changes) *changes = sqlite3_changes(handle(d));
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

static db_rows *s_query(db *d, const char *sql, const char *types, va_list ap) {
    sqlite3_stmt *st = prepare(d, sql, types, ap);
    if (!st) return NULL;
    sqlite_rows *r = calloc(1, sizeof *r);
    if (!r) {
        sqlite3_finalize(st);
        return NULL;
    }
    r->st = st;
    r->base.ok = true;
    return &r->base;
}

static bool s_next(db_rows *base) {
    sqlite_rows *r = (sqlite_rows *)base;
    int rc = sqlite3_step(r->st);
    if (rc != SQLITE_ROW) r->base.ok = rc == SQLITE_DONE;
    return rc == SQLITE_ROW;
}

static const char *s_text(db_rows *base, int col) {
    const unsigned char *t = sqlite3_column_text(((sqlite_rows *)base)->st, col);
    return t ? (const char *)t : "";
}

static void s_rows_free(db_rows *base) {
    sqlite3_finalize(((sqlite_rows *)base)->st);
    free(base);
}

static void s_close(db *d) {
    sqlite3_close(handle(d));
    free(d);
}

static const db_ops sqlite_ops = {s_close, s_errmsg, s_begin, s_exec,     s_run,
                                  s_query, s_next,   s_text,  s_rows_free};

rf_status db_open_sqlite(const char *path, db **out, rf_error *err) {
    sqlite_db *d = calloc(1, sizeof *d);
    if (!d) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    d->base.ops = &sqlite_ops;
    d->base.kind = DB_SQLITE;
    if (sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rf_status st = rf_fail(err, RF_E_IO, path, 0, "cannot open the store: %s",
                               d->h ? sqlite3_errmsg(d->h) : "out of memory");
        s_close(&d->base);
        return st;
    }
    sqlite3_busy_timeout(d->h, 10000);
    if (!s_exec(&d->base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")) {
        rf_status st = rf_fail(err, RF_E_IO, path, 0, "not a redflag store, or unreadable: %s",
                               sqlite3_errmsg(d->h));
        s_close(&d->base);
        return st;
    }
    *out = &d->base;
    return RF_OK;
}
