/* The HTTP API's request handling without sockets: the input's first line
 * is "METHOD /path?query" and the rest is the body; the route is picked by
 * rf_route_of() and answered by rf_route_handle() (yente's /match too) over
 * the fixture lists, as server.c does after libmicrohttpd has parsed the
 * request. The query string is split on '&' and '=' (not %-decoded:
 * libmicrohttpd hands the routes decoded values, any bytes). */
#include "fuzz_common.h"
#include "fuzz_fixture.h"
#include "server/routes.h"

static rf_results *res;
static rf_server_config cfg;

typedef struct params {
    char *keys[16];
    char *vals[16];
    size_t n;
} params;

static const char *param(void *conn, const char *name) {
    params *p = conn;
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->keys[i], name)) return p->vals[i];
    return NULL;
}

static void free_res(void) {
    rf_results_free(res);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    rf_fuzz_fixture();
    rf_server_config_init(&cfg);
    cfg.max_batch = 20; /* keeps one input's work small */
    res = rf_results_new();
    if (!res) abort();
    atexit(free_res);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!res) LLVMFuzzerInitialize(NULL, NULL);
    const char *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - (const char *)data) : size;
    /* "METHOD PATH": NUL-terminated copies, as libmicrohttpd gives them */
    char *line = malloc(head + 1);
    if (!line) abort();
    memcpy(line, data, head);
    line[head] = '\0';
    if (strlen(line) != head) { /* a NUL in the request line: MHD refuses it */
        free(line);
        return 0;
    }
    char *sp = strchr(line, ' ');
    const char *method = line, *path = sp ? sp + 1 : "/";
    if (sp) *sp = '\0';
    params p = {.n = 0};
    char *q = strchr(path, '?');
    if (q) {
        *q++ = '\0';
        char *save = NULL;
        for (char *kv = strtok_r(q, "&", &save); kv && p.n < 16; kv = strtok_r(NULL, "&", &save)) {
            char *eq = strchr(kv, '=');
            p.keys[p.n] = kv;
            p.vals[p.n++] = eq ? (*eq = '\0', eq + 1) : "";
        }
    }
    size_t body_len = nl ? size - head - 1 : 0;
    char *body = malloc(body_len + 1); /* server.c's body buffer is NUL-terminated */
    if (!body) abort();
    if (body_len) memcpy(body, nl + 1, body_len);
    body[body_len] = '\0';
    int route = rf_route_of(method, path);
    if (route != RF_ROUTE_METRICS && route != RF_ROUTE_ADMIN_RELOAD) {
        rf_route_ctx c = {rf_fuzz_ds, rf_fuzz_m, &cfg, res, param, &p, NULL, NULL};
        size_t alerts = 0;
        rf_reply r = rf_route_handle(&c, route, method, path, body, body_len, &alerts);
        if (!r.body || r.status < 200 || r.status > 599) abort();
        free(r.body);
    }
    free(body);
    free(line);
    return 0;
}
