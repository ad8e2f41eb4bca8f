/* The two engines behind store/db.h: each fills a table of operations. */
#ifndef RF_STORE_DB_INT_H
#define RF_STORE_DB_INT_H

#include "store/db.h"

typedef struct db_ops {
    void (*close)(db *d);
    const char *(*errmsg)(db *d);
    bool (*begin)(db *d);
    bool (*exec)(db *d, const char *sql);
    bool (*run)(db *d, long long *changes, const char *sql, const char *types, va_list ap);
    db_rows *(*query)(db *d, const char *sql, const char *types, va_list ap);
    bool (*next)(db_rows *r);
    const char *(*text)(db_rows *r, int col);
    void (*rows_free)(db_rows *r);
} db_ops;

struct db {
    const db_ops *ops;
    db_kind kind;
};

struct db_rows {
    db *d;
    bool ok; /* false once a step failed */
};

rf_status db_open_sqlite(const char *path, db **out, rf_error *err);
rf_status db_open_postgres(const char *url, db **out, rf_error *err);

#endif
