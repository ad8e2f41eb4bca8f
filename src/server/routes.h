/* The API's routes as plain functions: a request in (method, path, query
 * parameters, body), a status and a body out. server.c does the HTTP. */
#ifndef RF_SERVER_ROUTES_H
#define RF_SERVER_ROUTES_H

#include "redflag/server.h"

#include <stddef.h>

typedef struct rf_route_ctx {
    const rf_dataset *ds;
    const rf_matcher *m;
    const rf_server_config *cfg;
    rf_results *res; /* this request's scratch (from the server's pool) */
    /* query parameter by name, or NULL */
    const char *(*param)(void *conn, const char *name);
    void *conn;
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

/* {"error": msg} with the status. */
rf_reply rf_reply_error(unsigned status, const char *msg);

#endif
