/* The HTTP JSON API (libmicrohttpd) over one loaded dataset and matcher:
 *   POST /v1/screen        one query object -> one result; an array -> an array
 *   GET  /v1/search?q=&type=&list=&program=&country=&min_score=&limit=
 *   GET  /v1/entities/{id} the whole record
 *   GET  /v1/lists         loaded lists, counts, dates, file hashes
 *   GET  /healthz, /readyz, /metrics (Prometheus text)
 *   POST /match/{dataset}  OpenSanctions yente's match API ("default": every list)
 *   with a store: POST /v1/screen?record=1, /v1/alerts..., /v1/report/blocked,
 *   /v1/audit/... (server/record.c)
 *   GET  /                 the analyst page
 * Bad input gets a 4xx with {"error": "..."}; the server keeps serving.
 * The dataset and matcher are shared read-only by the worker threads. */
#ifndef REDFLAG_SERVER_H
#define REDFLAG_SERVER_H

#include "redflag/match.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Loads a new dataset and matcher for a reload (SIGHUP in redflag serve,
 * POST /v1/admin/reload); release(release_ctx) frees them once the last
 * request using them is done. Returns false with err filled. */
typedef bool (*rf_reload_fn)(void *ctx, const rf_dataset **ds, const rf_matcher **m,
                             void (**release)(void *), void **release_ctx, rf_error *err);

typedef struct rf_server_config {
    const char *host;        /* address to listen on (default "127.0.0.1") */
    unsigned port;           /* 0: any free port (see rf_server_port) */
    unsigned threads;        /* worker threads (default 2) */
    size_t max_body;         /* bytes (default 1 MiB) */
    size_t max_batch;        /* queries in one /v1/screen array (default 1000) */
    const char *admin_token; /* "Authorization: Bearer <token>" for /v1/admin/...;
                                NULL or "": the admin routes are off */
    rf_reload_fn reload;     /* how to load new lists (NULL: no reload) */
    void *reload_ctx;
    const char *store; /* the compliance record (redflag/store.h): a SQLite file or
                          a postgres:// URL; NULL: the record's routes are off */
    /* slow and idle clients (redflag/limits.h; 0: the default) */
    unsigned max_connections; /* open connections in all */
    unsigned max_per_ip;      /* open connections from one address */
    unsigned timeout;         /* seconds idle before a connection is closed */
} rf_server_config;

void rf_server_config_init(rf_server_config *c);

typedef struct rf_server rf_server;

rf_status rf_server_start(const rf_dataset *ds, const rf_matcher *m, const rf_server_config *c,
                          rf_server **out, rf_error *err);
/* The port it listens on. */
unsigned rf_server_port(const rf_server *s);
/* Loads new lists with the config's reload function and swaps them in:
 * requests in flight finish on the old ones, which are released after. On
 * failure the old lists stay. Safe from any thread. */
rf_status rf_server_reload(rf_server *s, rf_error *err);
/* Stops accepting, finishes the requests in flight, frees. */
void rf_server_stop(rf_server *s);

#ifdef __cplusplus
}
#endif

#endif
