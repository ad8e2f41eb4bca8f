/* Dispatch from store/db.h to the engine the target names. */
#include "store/db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

rf_status db_open(const char *target, db **out, rf_error *err) {
    *out = NULL;
    if (!strncmp(target, "postgres://", 11) || !strncmp(target, "postgresql://", 13))
        return db_open_postgres(target, out, err);
    return db_open_sqlite(target, out, err);
}

void db_close(db *d) {
    if (d) d->ops->close(d);
}

db_kind db_kind_of(const db *d) {
    return d->kind;
}

const char *db_errmsg(db *d) {
    return d->ops->errmsg(d);
}

bool db_begin(db *d) {
    return d->ops->begin(d);
}

bool db_exec(db *d, const char *sql) {
    return d->ops->exec(d, sql);
}

bool db_run(db *d, long long *changes, const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    bool ok = d->ops->run(d, changes, sql, types, ap);
    va_end(ap);
    return ok;
}

db_rows *db_query(db *d, const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    db_rows *r = d->ops->query(d, sql, types, ap);
    va_end(ap);
    if (r) r->d = d;
    return r;
}

bool db_next(db_rows *r) {
    return r->d->ops->next(r);
}

bool db_rows_ok(const db_rows *r) {
    return r->ok;
}

const char *db_text(db_rows *r, int col) {
    return r->d->ops->text(r, col);
}

long long db_int(db_rows *r, int col) {
    return atoll(db_text(r, col));
}

double db_double(db_rows *r, int col) {
    return strtod(db_text(r, col), NULL);
}

void db_rows_free(db_rows *r) {
    if (r) r->d->ops->rows_free(r);
}

bool db_scalar(db *d, char *out, size_t cap, const char *sql, const char *types, ...) {
    out[0] = '\0';
    va_list ap;
    va_start(ap, types);
    db_rows *r = d->ops->query(d, sql, types, ap);
    va_end(ap);
    if (!r) return false;
    r->d = d;
    if (db_next(r)) snprintf(out, cap, "%s", db_text(r, 0));
    bool ok = db_rows_ok(r);
    db_rows_free(r);
    return ok;
}
