/* HTTP with libmicrohttpd: a pool of worker threads, each request's body
 * gathered (up to max_body), answered by routes.c on the access handler's
 * last call, and counted for /metrics. A request borrows an rf_results from
 * a small pool; the dataset and matcher are read-only and lock-free. */
#include "redflag/limits.h"
#include "redflag/server.h"
#include "server/routes.h"
#include "util/buf.h"
#include "util/error.h"

#include <jansson.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Latency histogram bounds, seconds. */
static const double buckets[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                 0.01,   0.025,   0.05,   0.1,   0.5,    1.0};
#define N_BUCKETS (sizeof buckets / sizeof buckets[0])

/* Lists in use: requests hold a reference; a reload swaps in a new one and
 * the old is released when its last request is done. */
typedef struct snapshot {
    const rf_dataset *ds;
    const rf_matcher *m;
    size_t refs; /* requests using it, plus one while it is current */
    void (*release)(void *);
    void *release_ctx;
} snapshot;

struct rf_server {
    snapshot *cur;
    pthread_mutex_t snap_lock;   /* cur and the refs: held for a swap of pointers */
    pthread_mutex_t reload_lock; /* one reload at a time */
    rf_server_config cfg;
    struct MHD_Daemon *mhd;
    unsigned port;
    pthread_mutex_t lock; /* the results pool only */
    rf_results **pool;
    size_t n_pool, cap_pool;
    atomic_ullong requests[RF_ROUTE_COUNT];
    atomic_ullong le[RF_ROUTE_COUNT][N_BUCKETS + 1]; /* counts per bucket, +Inf last */
    atomic_ullong micros[RF_ROUTE_COUNT];
    atomic_ullong alerts;
    atomic_ullong errors; /* 4xx and 5xx */
    rf_store *store;      /* the record, or NULL */
    pthread_mutex_t store_lock;
};

void rf_server_config_init(rf_server_config *c) {
    c->host = "127.0.0.1";
    c->port = 8080;
    c->threads = 2;
    c->max_body = RF_LIMIT_BODY_BYTES;
    c->max_batch = RF_LIMIT_BATCH;
    c->admin_token = NULL;
    c->reload = NULL;
    c->reload_ctx = NULL;
    c->store = NULL;
    c->max_connections = RF_LIMIT_CONNECTIONS;
    c->max_per_ip = RF_LIMIT_CONNECTIONS_PER_IP;
    c->timeout = RF_LIMIT_IDLE_SECONDS;
}

static snapshot *snap_take(rf_server *s) {
    pthread_mutex_lock(&s->snap_lock);
    snapshot *p = s->cur;
    p->refs++;
    pthread_mutex_unlock(&s->snap_lock);
    return p;
}

static void snap_drop(rf_server *s, snapshot *p) {
    pthread_mutex_lock(&s->snap_lock);
    bool last = --p->refs == 0;
    pthread_mutex_unlock(&s->snap_lock);
    if (!last) return;
    if (p->release) p->release(p->release_ctx);
    free(p);
}

rf_status rf_server_reload(rf_server *s, rf_error *err) {
    if (!s->cfg.reload)
        return rf_fail(err, RF_E_INVALID, NULL, 0, "this server was started without a reload");
    pthread_mutex_lock(&s->reload_lock);
    snapshot *p = calloc(1, sizeof *p);
    bool ok =
        p && s->cfg.reload(s->cfg.reload_ctx, &p->ds, &p->m, &p->release, &p->release_ctx, err);
    if (!ok) {
        if (!p) rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        free(p);
        pthread_mutex_unlock(&s->reload_lock);
        return err ? err->code : RF_E_INTERNAL;
    }
    p->refs = 1;
    pthread_mutex_lock(&s->snap_lock);
    snapshot *old = s->cur;
    s->cur = p;
    pthread_mutex_unlock(&s->snap_lock);
    snap_drop(s, old); /* its requests still hold it */
    pthread_mutex_unlock(&s->reload_lock);
    return RF_OK;
}

/* One request in progress. */
typedef struct conn_state {
    rf_buf body;
    bool too_big;
    struct timespec start;
} conn_state;

static rf_results *take_results(rf_server *s) {
    pthread_mutex_lock(&s->lock);
    rf_results *r = s->n_pool ? s->pool[--s->n_pool] : NULL;
    pthread_mutex_unlock(&s->lock);
    return r ? r : rf_results_new();
}

static void give_results(rf_server *s, rf_results *r) {
    pthread_mutex_lock(&s->lock);
    if (s->n_pool < s->cap_pool) {
        s->pool[s->n_pool++] = r;
        r = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    rf_results_free(r);
}

static const char *param(void *conn, const char *name) {
    return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

static double since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void count(rf_server *s, int route, double secs, unsigned status) {
    atomic_fetch_add(&s->requests[route], 1);
    atomic_fetch_add(&s->micros[route], (unsigned long long)(secs * 1e6));
    size_t b = 0;
    while (b < N_BUCKETS && secs > buckets[b])
        b++;
    atomic_fetch_add(&s->le[route][b], 1);
    if (status >= 400) atomic_fetch_add(&s->errors, 1);
}

/* The Prometheus text of the counters and the loaded lists. */
static rf_reply metrics(rf_server *s) {
    rf_buf b;
    rf_buf_init(&b);
    char line[512];
    bool ok = true;
#define OUT(...)                                                                                   \
    do {                                                                                           \
        int n_ = snprintf(line, sizeof line, __VA_ARGS__);                                         \
        ok = ok && n_ > 0 && rf_buf_append(&b, line, (size_t)n_);                                  \
    } while (0)
    OUT("# HELP redflag_requests_total HTTP requests answered, by route.\n"
        "# TYPE redflag_requests_total counter\n");
    for (int r = 0; r < RF_ROUTE_COUNT; r++)
        OUT("redflag_requests_total{route=\"%s\"} %llu\n", rf_route_names[r],
            (unsigned long long)atomic_load(&s->requests[r]));
    OUT("# HELP redflag_request_seconds Time to answer, by route.\n"
        "# TYPE redflag_request_seconds histogram\n");
    for (int r = 0; r < RF_ROUTE_COUNT; r++) {
        unsigned long long cum = 0;
        for (size_t k = 0; k <= N_BUCKETS; k++) {
            cum += atomic_load(&s->le[r][k]);
            if (k < N_BUCKETS)
                OUT("redflag_request_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    rf_route_names[r], buckets[k], cum);
            else
                OUT("redflag_request_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                    rf_route_names[r], cum);
        }
        OUT("redflag_request_seconds_sum{route=\"%s\"} %.6f\n", rf_route_names[r],
            (double)atomic_load(&s->micros[r]) / 1e6);
        OUT("redflag_request_seconds_count{route=\"%s\"} %llu\n", rf_route_names[r], cum);
    }
    OUT("# HELP redflag_alerts_total Screened queries that alerted.\n"
        "# TYPE redflag_alerts_total counter\nredflag_alerts_total %llu\n",
        (unsigned long long)atomic_load(&s->alerts));
    OUT("# HELP redflag_errors_total Requests answered with a 4xx or 5xx status.\n"
        "# TYPE redflag_errors_total counter\nredflag_errors_total %llu\n",
        (unsigned long long)atomic_load(&s->errors));
    OUT("# HELP redflag_list_info The loaded lists (value: entities).\n"
        "# TYPE redflag_list_info gauge\n");
    snapshot *snap = snap_take(s);
    for (size_t i = 0; i < rf_dataset_list_count(snap->ds); i++) {
        const rf_list_info *l = rf_dataset_list(snap->ds, i);
        OUT("redflag_list_info{list=\"%s\",published=\"%s\",sha256=\"%.64s\"} %zu\n", l->id,
            l->published, l->n_files ? l->files[0].sha256 : "", l->n_entities);
    }
    snap_drop(s, snap);
#undef OUT
    char *text = ok ? strdup(rf_buf_str(&b)) : NULL;
    rf_buf_free(&b);
    return text ? (rf_reply){200, text, "text/plain; version=0.0.4"}
                : rf_reply_error(500, "out of memory");
}

static enum MHD_Result send_reply(struct MHD_Connection *c, rf_reply r) {
    if (!r.body) { /* out of memory even for the error */
        static char oom[] = "{\"error\":\"out of memory\"}";
        r = (rf_reply){500, oom, "application/json"};
        struct MHD_Response *resp =
            MHD_create_response_from_buffer(strlen(oom), oom, MHD_RESPMEM_PERSISTENT);
        enum MHD_Result ret = MHD_queue_response(c, r.status, resp);
        MHD_destroy_response(resp);
        return ret;
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(r.body), r.body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(r.body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", r.type);
    enum MHD_Result ret = MHD_queue_response(c, r.status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Equal strings, in time that does not depend on where they differ. */
static bool same_secret(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = (unsigned char)(la != lb);
    for (size_t i = 0; i < lb; i++)
        diff |= (unsigned char)(a[i < la ? i : 0] ^ b[i]);
    return diff == 0;
}

/* NULL when the request may use the admin routes, else the refusal. */
static const char *admin_refusal(rf_server *s, struct MHD_Connection *conn, const char *method,
                                 unsigned *status) {
    *status = 404;
    if (!s->cfg.admin_token || !*s->cfg.admin_token)
        return "the admin routes are off (no admin token configured)";
    *status = 405;
    if (strcmp(method, "POST") != 0) return "use POST";
    *status = 401;
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (!auth || strncmp(auth, "Bearer ", 7) != 0 || !same_secret(auth + 7, s->cfg.admin_token))
        return "a valid \"Authorization: Bearer <token>\" is needed";
    return NULL;
}

/* POST /v1/admin/four-eyes {"on": bool, "by": NAME}: a configuration change
 * of the record (audited by the store). */
static rf_reply admin_four_eyes(rf_server *s, struct MHD_Connection *conn, const char *method,
                                const char *body, size_t len) {
    unsigned status;
    const char *no = admin_refusal(s, conn, method, &status);
    if (no) return rf_reply_error(status, no);
    if (!s->store) return rf_reply_error(404, "this server keeps no record: start it with --store");
    json_t *o = json_loadb(body ? body : "", len, 0, NULL);
    json_t *on = json_object_get(o, "on");
    const char *by = json_string_value(json_object_get(o, "by"));
    if (!json_is_boolean(on) || !by) {
        json_decref(o);
        return rf_reply_error(400, "expected {\"on\": true|false, \"by\": \"NAME\"}");
    }
    rf_error err;
    pthread_mutex_lock(&s->store_lock);
    rf_status st = rf_store_set_four_eyes(s->store, json_is_true(on), by, &err);
    pthread_mutex_unlock(&s->store_lock);
    rf_reply r = st == RF_OK ? rf_reply_json(200, json_pack("{s:b}", "four_eyes", json_is_true(on)))
                             : rf_reply_error(st == RF_E_INVALID ? 400 : 500, err.msg);
    json_decref(o);
    return r;
}

static rf_reply admin_reload(rf_server *s, struct MHD_Connection *conn, const char *method) {
    unsigned status;
    const char *no = admin_refusal(s, conn, method, &status);
    if (no) return rf_reply_error(status, no);
    rf_error err;
    if (rf_server_reload(s, &err) != RF_OK) {
        char msg[600];
        snprintf(msg, sizeof msg, "reload failed, the lists in use stay: %s", err.msg);
        return rf_reply_error(500, msg);
    }
    snapshot *snap = snap_take(s);
    char body[128];
    snprintf(body, sizeof body, "{\"status\":\"reloaded\",\"entities\":%zu}",
             rf_dataset_count(snap->ds));
    snap_drop(s, snap);
    char *copy = strdup(body);
    return copy ? (rf_reply){200, copy, "application/json"} : rf_reply_error(500, "out of memory");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
    rf_server *s = cls;
    (void)version;
    conn_state *st = *con_cls;
    if (!st) {
        /* the first call: the headers only; answer on a later call, so the
         * connection can be kept alive */
        st = calloc(1, sizeof *st);
        if (!st) return MHD_NO;
        rf_buf_init(&st->body);
        clock_gettime(CLOCK_MONOTONIC, &st->start);
        *con_cls = st;
        return MHD_YES;
    }
    if (*upload_size) {
        if (st->body.len + *upload_size > s->cfg.max_body)
            st->too_big = true;
        else if (!rf_buf_append(&st->body, upload, *upload_size))
            st->too_big = true;
        *upload_size = 0;
        return MHD_YES;
    }
    int route = rf_route_of(method, url);
    size_t alerts = 0;
    rf_reply r;
    if (st->too_big) {
        char msg[96];
        snprintf(msg, sizeof msg, "the body is larger than %zu bytes", s->cfg.max_body);
        r = rf_reply_error(413, msg);
    } else if (route == RF_ROUTE_METRICS && !strcmp(method, "GET")) {
        r = metrics(s);
    } else if (route == RF_ROUTE_ADMIN_RELOAD) {
        r = admin_reload(s, conn, method);
    } else if (route == RF_ROUTE_ADMIN_CONFIG) {
        r = admin_four_eyes(s, conn, method, st->body.data, st->body.len);
    } else {
        rf_results *res = take_results(s);
        snapshot *snap = snap_take(s);
        rf_route_ctx c = {snap->ds, snap->m, &s->cfg, res, param, conn, s->store, &s->store_lock};
        r = res ? rf_route_handle(&c, route, method, url, st->body.data, st->body.len, &alerts)
                : rf_reply_error(500, "out of memory");
        snap_drop(s, snap);
        if (res) give_results(s, res);
    }
    atomic_fetch_add(&s->alerts, alerts);
    count(s, route, since(&st->start), r.status);
    return send_reply(conn, r);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode code) {
    (void)cls;
    (void)conn;
    (void)code;
    conn_state *st = *con_cls;
    if (!st) return;
    rf_buf_free(&st->body);
    free(st);
    *con_cls = NULL;
}

rf_status rf_server_start(const rf_dataset *ds, const rf_matcher *m, const rf_server_config *cfg,
                          rf_server **out, rf_error *err) {
    *out = NULL;
    rf_server *s = calloc(1, sizeof *s);
    if (!s) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    s->cur = calloc(1, sizeof *s->cur);
    if (!s->cur) {
        free(s);
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    *s->cur = (snapshot){ds, m, 1, NULL, NULL}; /* the caller's: not released here */
    pthread_mutex_init(&s->snap_lock, NULL);
    pthread_mutex_init(&s->reload_lock, NULL);
    rf_server_config_init(&s->cfg);
    if (cfg) s->cfg = *cfg;
    if (!s->cfg.threads) s->cfg.threads = 1;
    if (!s->cfg.max_connections) s->cfg.max_connections = RF_LIMIT_CONNECTIONS;
    if (!s->cfg.max_per_ip) s->cfg.max_per_ip = RF_LIMIT_CONNECTIONS_PER_IP;
    if (!s->cfg.timeout) s->cfg.timeout = RF_LIMIT_IDLE_SECONDS;
    /* libmicrohttpd shares the connection limit out among the threads */
    if (s->cfg.max_connections < s->cfg.threads) s->cfg.max_connections = s->cfg.threads;
    s->cap_pool = s->cfg.threads * 2;
    s->pool = calloc(s->cap_pool, sizeof *s->pool);
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->store_lock, NULL);
    if (s->cfg.store && rf_store_open(s->cfg.store, &s->store, err) != RF_OK) {
        rf_server_stop(s);
        return err ? err->code : RF_E_IO;
    }
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)s->cfg.port);
    if (!s->pool || inet_pton(AF_INET, s->cfg.host ? s->cfg.host : "127.0.0.1", &a.sin_addr) != 1) {
        rf_server_stop(s);
        return rf_fail(err, RF_E_INVALID, NULL, 0,
                       "cannot listen on '%s': give an IPv4 address such as 127.0.0.1",
                       cfg && cfg->host ? cfg->host : "");
    }
    s->mhd = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY, 0, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, &a, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg.threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, s, MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.timeout,
        MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        s->cfg.max_per_ip, MHD_OPTION_END);
    if (!s->mhd) {
        rf_server_stop(s);
        return rf_fail(err, RF_E_IO, NULL, 0, "cannot listen on %s:%u (in use, or not allowed)",
                       cfg && cfg->host ? cfg->host : "127.0.0.1", cfg ? cfg->port : 0);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : s->cfg.port;
    *out = s;
    return RF_OK;
}

unsigned rf_server_port(const rf_server *s) {
    return s->port;
}

void rf_server_stop(rf_server *s) {
    if (!s) return;
    if (s->mhd) MHD_stop_daemon(s->mhd);
    for (size_t i = 0; i < s->n_pool; i++)
        rf_results_free(s->pool[i]);
    free(s->pool);
    if (s->cur) snap_drop(s, s->cur);
    rf_store_close(s->store);
    pthread_mutex_destroy(&s->store_lock);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->snap_lock);
    pthread_mutex_destroy(&s->reload_lock);
    free(s);
}
