/* The store's SQL connection, the same for SQLite (a file, the embedded
 * default) and PostgreSQL (a "postgres://" URL, for teams sharing one
 * store): the record in store.c is written once against this interface.
 *
 * Statements use "?" placeholders; values are bound from a type string
 * ('i' long long, 'd' double, 's' text). Rows come back as text, as both
 * engines can give them; db_int and db_double convert. */
#ifndef RF_STORE_DB_H
#define RF_STORE_DB_H

#include "redflag/status.h"

#include <stdarg.h>
#include <stdbool.h>

typedef struct db db;
typedef struct db_rows db_rows;

typedef enum db_kind { DB_SQLITE, DB_POSTGRES } db_kind;

/* Opens target: a "postgres://" or "postgresql://" URL, else a SQLite file
 * (created when new). */
rf_status db_open(const char *target, db **out, rf_error *err);
void db_close(db *d);
db_kind db_kind_of(const db *d);

/* The last error's text (valid until the next call on d). */
const char *db_errmsg(db *d);

/* Starts a write transaction that excludes other writers (the audit chain
 * is appended in order): BEGIN IMMEDIATE, or BEGIN plus an advisory lock. */
bool db_begin(db *d);

/* Runs SQL without values; may hold several statements. */
bool db_exec(db *d, const char *sql);

/* Runs one statement with values; *changes (when not NULL) gets the number
 * of rows it changed. */
bool db_run(db *d, long long *changes, const char *sql, const char *types, ...);

/* Runs a query; NULL on error. Iterate with db_next, free with
 * db_rows_free. Columns are valid until the next db_next. */
db_rows *db_query(db *d, const char *sql, const char *types, ...);
bool db_next(db_rows *r);
/* False when the iteration stopped on an error rather than at the end. */
bool db_rows_ok(const db_rows *r);
const char *db_text(db_rows *r, int col); /* "" for NULL */
long long db_int(db_rows *r, int col);
double db_double(db_rows *r, int col);
void db_rows_free(db_rows *r);

/* The first column of the first row into out ("" when no row). */
bool db_scalar(db *d, char *out, size_t cap, const char *sql, const char *types, ...);

#endif
