/* The API's routes as plain functions: a request in (method, path, query
 * parameters, body), a status and a body out. server.c does the HTTP. */
#ifndef RF_SERVER_ROUTES_H
#define RF_SERVER_ROUTES_H

#include "redflag/server.h"
#include "redflag/store.h"

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>

typedef struct rf_route_ctx {
    const rf_dataset *ds;
    const rf_matcher *m;
    const rf_server_config *cfg;
    rf_results *res; /* this request's scratch (from the server's pool) */
    /* query parameter by name, or NULL */
    const char *(*param)(void *conn, const char *name);
    void *conn;
    rf_store *store;             /* the compliance record, or NULL: its routes are off */
    pthread_mutex_t *store_lock; /* one request at a time on the store's connection */
} rf_route_ctx;

typedef struct rf_reply {
    unsigned status;
    char *body; /* malloc'd */
    const char *type;
} rf_reply;

/* Route ids, for the metrics. */
enum {
    RF_ROUTE_SCREEN,
    RF_ROUTE_SEARCH,
    RF_ROUTE_ENTITY,
    RF_ROUTE_LISTS,
    RF_ROUTE_HEALTH,
    RF_ROUTE_READY,
    RF_ROUTE_METRICS,
    RF_ROUTE_PAGE,  /* the analyst page and its files */
    RF_ROUTE_YENTE, /* POST /match/{dataset} */
    RF_ROUTE_ADMIN_RELOAD,
    RF_ROUTE_ALERTS,       /* /v1/alerts, /v1/alerts/{id}, /v1/alerts/{id}/decision */
    RF_ROUTE_REPORT,       /* /v1/report/blocked */
    RF_ROUTE_AUDIT,        /* /v1/audit/verify, /v1/audit/export */
    RF_ROUTE_ADMIN_CONFIG, /* /v1/admin/four-eyes */
    RF_ROUTE_OTHER,
    RF_ROUTE_COUNT
};

extern const char *const rf_route_names[RF_ROUTE_COUNT];

/* Which route a method and path are (RF_ROUTE_OTHER: none). */
int rf_route_of(const char *method, const char *path);

/* Answers a request (not /metrics, which the server writes). *alerts
 * counts the alerting results. */
rf_reply rf_route_handle(const rf_route_ctx *c, int route, const char *method, const char *path,
                         const char *body, size_t body_len, size_t *alerts);

/* The record's routes (server/record.c): alerts, decisions, the blocked
 * report and the audit log. */
rf_reply rf_route_record(const rf_route_ctx *c, int route, const char *method, const char *path,
                         const char *body, size_t body_len);

/* Keeps one screening in the record (POST /v1/screen?record=1): NULL when
 * kept, else the error's message (static or in msg). */
const char *rf_route_keep(const rf_route_ctx *c, const char *query, size_t len, const char *result,
                          char *msg, size_t cap);

/* A reply with a JSON body (o is consumed). */
rf_reply rf_reply_json(unsigned status, json_t *o);

/* {"error": msg} with the status. */
rf_reply rf_reply_error(unsigned status, const char *msg);

#endif
