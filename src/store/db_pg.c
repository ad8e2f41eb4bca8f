/* The store's connection on PostgreSQL (libpq), for teams that share one
 * store. Values travel as text; "?" placeholders become $1, $2...; writers
 * take a transaction-scoped advisory lock so the audit chain is appended by
 * one writer at a time, as SQLite's BEGIN IMMEDIATE does. */
#include "store/db_int.h"
#include "util/error.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any fixed number: the lock every redflag writer takes ("rflg"). */
#define RF_PG_WRITE_LOCK 0x72666c67

typedef struct pg_db {
    db base;
    PGconn *c;
    char msg[512];
} pg_db;

typedef struct pg_rows {
    db_rows base;
    PGresult *res;
    int row, n;
} pg_rows;

static pg_db *pg(db *d) {
    return (pg_db *)d;
}

static void keep_error(pg_db *p, PGresult *res) {
    const char *m = res ? PQresultErrorMessage(res) : "";
    if (!m || !*m) m = PQerrorMessage(p->c);
    snprintf(p->msg, sizeof p->msg, "%s", m);
    size_t n = strlen(p->msg);
    while (n && (p->msg[n - 1] == '\n' || p->msg[n - 1] == ' '))
        p->msg[--n] = '\0';
}

static const char *p_errmsg(db *d) {
    return pg(d)->msg;
}

static bool result_ok(pg_db *p, PGresult *res) {
    ExecStatusType t = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    bool ok = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
    if (!ok) keep_error(p, res);
    return ok;
}

static bool p_exec(db *d, const char *sql) {
    PGresult *res = PQexec(pg(d)->c, sql);
    bool ok = result_ok(pg(d), res);
    PQclear(res);
    return ok;
}

static bool p_begin(db *d) {
    char sql[96];
    snprintf(sql, sizeof sql, "BEGIN; SELECT pg_advisory_xact_lock(%d)", RF_PG_WRITE_LOCK);
    return p_exec(d, sql);
}

/* sql with "?" (outside quotes) numbered $1..$n; NULL when out of memory. */
static char *number_params(const char *sql) {
    size_t n = strlen(sql), q = 0;
    for (size_t i = 0; i < n; i++)
        q += sql[i] == '?';
    char *out = malloc(n + q * 4 + 1), *o = out;
    if (!out) return NULL;
    bool quoted = false;
    int k = 0;
    for (const char *s = sql; *s; s++) {
        if (*s == '\'') quoted = !quoted;
        if (*s == '?' && !quoted)
            o += sprintf(o, "$%d", ++k);
        else
            *o++ = *s;
    }
    *o = '\0';
    return out;
}

enum { MAX_PARAMS = 16 };

static PGresult *exec_params(db *d, const char *sql, const char *types, va_list ap) {
    char nums[MAX_PARAMS][32];
    const char *vals[MAX_PARAMS];
    int n = 0;
    for (; types[n] && n < MAX_PARAMS; n++) {
        if (types[n] == 'i') {
            snprintf(nums[n], sizeof nums[n], "%lld", va_arg(ap, long long));
            vals[n] = nums[n];
        } else if (types[n] == 'd') {
            snprintf(nums[n], sizeof nums[n], "%.17g", va_arg(ap, double));
            vals[n] = nums[n];
        } else {
            vals[n] = va_arg(ap, const char *);
        }
    }
    char *q = number_params(sql);
    if (!q) return NULL;
    PGresult *res = PQexecParams(pg(d)->c, q, n, NULL, vals, NULL, NULL, 0);
    free(q);
    return res;
}

static bool p_run(db *d, long long *changes, const char *sql, const char *types, va_list ap) {
    PGresult *res = exec_params(d, sql, types, ap);
    bool ok = result_ok(pg(d), res);
    if (ok && changes) *changes = atoll(PQcmdTuples(res));
    PQclear(res);
    return ok;
}

static db_rows *p_query(db *d, const char *sql, const char *types, va_list ap) {
    PGresult *res = exec_params(d, sql, types, ap);
    if (!result_ok(pg(d), res)) {
        PQclear(res);
        return NULL;
    }
    pg_rows *r = calloc(1, sizeof *r);
    if (!r) {
        PQclear(res);
        return NULL;
    }
    r->res = res;
    r->row = -1;
    r->n = PQntuples(res);
    r->base.ok = true;
    return &r->base;
}

static bool p_next(db_rows *base) {
    pg_rows *r = (pg_rows *)base;
    return ++r->row < r->n;
}

static const char *p_text(db_rows *base, int col) {
    pg_rows *r = (pg_rows *)base;
    if (r->row < 0 || r->row >= r->n || col >= PQnfields(r->res)) return "";
    return PQgetvalue(r->res, r->row, col);
}

static void p_rows_free(db_rows *base) {
    PQclear(((pg_rows *)base)->res);
    free(base);
}

static void p_close(db *d) {
    PQfinish(pg(d)->c);
    free(d);
}

/* CREATE ... IF NOT EXISTS says "already exists, skipping" as a notice:
 * not for the user's terminal. */
static void quiet(void *arg, const char *message) {
    (void)arg;
    (void)message;
}

static const db_ops pg_ops = {p_close, p_errmsg, p_begin, p_exec,     p_run,
                              p_query, p_next,   p_text,  p_rows_free};

rf_status db_open_postgres(const char *url, db **out, rf_error *err) {
    pg_db *p = calloc(1, sizeof *p);
    if (!p) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    p->base.ops = &pg_ops;
    p->base.kind = DB_POSTGRES;
    p->c = PQconnectdb(url);
    if (!p->c || PQstatus(p->c) != CONNECTION_OK) {
        /* the message names the host and what failed, never the password */
        rf_status st = rf_fail(err, RF_E_IO, NULL, 0, "cannot connect to the PostgreSQL store: %s",
                               p->c ? PQerrorMessage(p->c) : "out of memory");
        p_close(&p->base);
        return st;
    }
    PQsetNoticeProcessor(p->c, quiet, NULL);
    *out = &p->base;
    return RF_OK;
}
