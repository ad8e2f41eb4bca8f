/* The HTTP JSON API (libmicrohttpd) over one loaded dataset and matcher:
 *   POST /v1/screen        one query object -> one result; an array -> an array
 *   GET  /v1/search?q=&type=&list=&program=&country=&min_score=&limit=
 *   GET  /v1/entities/{id} the whole record
 *   GET  /v1/lists         loaded lists, counts, dates, file hashes
 *   GET  /healthz, /readyz, /metrics (Prometheus text)
 *   POST /match/{dataset}  OpenSanctions yente's match API ("default": every list)
 *   GET  /                 the analyst page
 * Bad input gets a 4xx with {"error": "..."}; the server keeps serving.
 * The dataset and matcher are shared read-only by the worker threads. */
#ifndef REDFLAG_SERVER_H
#define REDFLAG_SERVER_H

#include "redflag/match.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rf_server_config {
    const char *host; /* address to listen on (default "127.0.0.1") */
    unsigned port;    /* 0: any free port (see rf_server_port) */
    unsigned threads; /* worker threads (default 2) */
    size_t max_body;  /* bytes (default 1 MiB) */
    size_t max_batch; /* queries in one /v1/screen array (default 1000) */
} rf_server_config;

void rf_server_config_init(rf_server_config *c);

typedef struct rf_server rf_server;

rf_status rf_server_start(const rf_dataset *ds, const rf_matcher *m, const rf_server_config *c,
                          rf_server **out, rf_error *err);
/* The port it listens on. */
unsigned rf_server_port(const rf_server *s);
/* Stops accepting, finishes the requests in flight, frees. */
void rf_server_stop(rf_server *s);

#ifdef __cplusplus
}
#endif

#endif
