/* The API's answers, built on the screening contract (redflag/screen.h):
 * /v1/screen takes the same query objects as `redflag screen`. */
#include "server/routes.h"
#include "server/yente.h"
#include "redflag/screen.h"
#include "util/buf.h"
#include "util/resource.h"
#include "util/str.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rf_route_names[RF_ROUTE_COUNT] = {
    "screen", "search", "entity", "lists",  "healthz", "readyz", "metrics", "page",
    "match",  "reload", "alerts", "report", "audit",   "config", "other",
};

int rf_route_of(const char *method, const char *path) {
    (void)method;
    if (!strcmp(path, "/v1/screen")) return RF_ROUTE_SCREEN;
    if (!strcmp(path, "/v1/search")) return RF_ROUTE_SEARCH;
    if (!strncmp(path, "/v1/entities/", 13)) return RF_ROUTE_ENTITY;
    if (!strcmp(path, "/v1/lists")) return RF_ROUTE_LISTS;
    if (!strcmp(path, "/healthz")) return RF_ROUTE_HEALTH;
    if (!strcmp(path, "/readyz")) return RF_ROUTE_READY;
    if (!strcmp(path, "/metrics")) return RF_ROUTE_METRICS;
    if (!strncmp(path, "/match/", 7) && path[7]) return RF_ROUTE_YENTE;
    if (!strcmp(path, "/v1/admin/reload")) return RF_ROUTE_ADMIN_RELOAD;
    if (!strcmp(path, "/v1/admin/four-eyes")) return RF_ROUTE_ADMIN_CONFIG;
    if (!strcmp(path, "/v1/alerts") || !strncmp(path, "/v1/alerts/", 11)) return RF_ROUTE_ALERTS;
    if (!strcmp(path, "/v1/report/blocked")) return RF_ROUTE_REPORT;
    if (!strcmp(path, "/v1/audit/verify") || !strcmp(path, "/v1/audit/export"))
        return RF_ROUTE_AUDIT;
    if (!strcmp(path, "/") || !strcmp(path, "/app.js") || !strcmp(path, "/style.css"))
        return RF_ROUTE_PAGE;
    return RF_ROUTE_OTHER;
}

rf_reply rf_reply_json(unsigned status, json_t *o) {
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(o);
    if (!s) return rf_reply_error(500, "out of memory");
    return (rf_reply){status, s, "application/json"};
}

rf_reply rf_reply_error(unsigned status, const char *msg) {
    /* messages may quote a raw query parameter: scrub a copy for JSON */
    char *text = strdup(msg);
    if (!text) return (rf_reply){500, NULL, "application/json"};
    rf_utf8_scrub(text);
    json_t *o = json_pack("{s:s}", "error", text);
    free(text);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(o);
    return (rf_reply){status, s, "application/json"};
}

/* One query object: its result object (an error object when bad). */
static char *screen_one(const rf_route_ctx *c, const char *text, size_t len, bool *bad,
                        size_t *alerts) {
    rf_request *req = NULL;
    rf_error err;
    *bad = false;
    if (rf_request_parse_json(c->ds, text, len, &req, &err) != RF_OK) {
        *bad = true;
        char *e = rf_error_json(req ? rf_request_id(req) : NULL, err.msg);
        rf_request_free(req);
        return e;
    }
    char *out = NULL;
    if (rf_match_query(c->m, rf_request_query(req), NULL, c->res, &err) != RF_OK) {
        *bad = err.code != RF_E_NOMEM;
        out = rf_error_json(rf_request_id(req), err.msg);
    } else {
        *alerts += rf_results_count(c->res) > 0;
        out = rf_result_json(req, c->res, 0);
        const char *rec = c->param(c->conn, "record");
        char msg[512];
        const char *why = out && rec && strcmp(rec, "0") != 0
                              ? rf_route_keep(c, text, len, out, msg, sizeof msg)
                              : NULL;
        if (why) {
            /* not kept in the record: the caller must not think it was */
            free(out);
            *bad = true;
            out = rf_error_json(rf_request_id(req), why);
        }
    }
    rf_request_free(req);
    return out;
}

static rf_reply screen(const rf_route_ctx *c, const char *body, size_t len, size_t *alerts) {
    json_error_t je;
    json_t *v = json_loadb(body, len, JSON_DECODE_ANY, &je);
    if (!v) {
        char msg[256];
        snprintf(msg, sizeof msg, "the body is not JSON (line %d: %s)", je.line, je.text);
        return rf_reply_error(400, msg);
    }
    if (json_is_object(v)) {
        json_decref(v);
        bool bad;
        char *out = screen_one(c, body, len, &bad, alerts);
        return out ? (rf_reply){bad ? 400u : 200u, out, "application/json"}
                   : rf_reply_error(500, "out of memory");
    }
    if (!json_is_array(v)) {
        json_decref(v);
        return rf_reply_error(400, "the body must be a query object or an array of them");
    }
    size_t n = json_array_size(v);
    if (n > c->cfg->max_batch) {
        json_decref(v);
        char msg[128];
        snprintf(msg, sizeof msg, "a batch holds at most %zu queries, this one %zu",
                 c->cfg->max_batch, n);
        return rf_reply_error(413, msg);
    }
    /* results in order, each element screened on its own */
    rf_buf out;
    rf_buf_init(&out);
    bool ok = rf_buf_putc(&out, '[');
    for (size_t i = 0; ok && i < n; i++) {
        char *text = json_dumps(json_array_get(v, i), JSON_COMPACT | JSON_ENCODE_ANY);
        bool bad;
        char *one = text ? screen_one(c, text, strlen(text), &bad, alerts) : NULL;
        ok = one && (!i || rf_buf_putc(&out, ',')) && rf_buf_append(&out, one, strlen(one));
        free(text);
        free(one);
    }
    json_decref(v);
    ok = ok && rf_buf_putc(&out, ']');
    char *s = ok ? strdup(rf_buf_str(&out)) : NULL;
    rf_buf_free(&out);
    return s ? (rf_reply){200, s, "application/json"} : rf_reply_error(500, "out of memory");
}

static bool has_string(json_t *arr, const char *s) {
    size_t i;
    json_t *x;
    json_array_foreach(arr, i,
                       x) if (json_is_string(x) && !strcmp(json_string_value(x), s)) return true;
    return false;
}

static rf_reply search(const rf_route_ctx *c, size_t *alerts) {
    const char *q = c->param(c->conn, "q"), *type = c->param(c->conn, "type"),
               *list = c->param(c->conn, "list"), *program = c->param(c->conn, "program"),
               *country = c->param(c->conn, "country"), *min = c->param(c->conn, "min_score"),
               *lim = c->param(c->conn, "limit");
    if (!q || !*q) return rf_reply_error(400, "give the name to search as q=");
    rf_match_options o;
    rf_match_options_init(&o);
    if (min) {
        char *end;
        o.threshold = strtod(min, &end);
        if (*end || end == min || o.threshold < 0 || o.threshold > 1)
            return rf_reply_error(400, "min_score is a number from 0 to 1");
    }
    long limit = 20;
    if (lim) {
        char *end;
        limit = strtol(lim, &end, 10);
        if (*end || end == lim || limit < 1 || limit > 200)
            return rf_reply_error(400, "limit is a whole number from 1 to 200");
    }
    /* more than asked, for the list and program filters */
    o.limit = (size_t)(list || program ? 1000 : limit);
    rf_request *req;
    rf_error err;
    if (rf_request_from_fields(c->ds, "search", q, type, NULL, country, &req, &err) != RF_OK) {
        rf_request_free(req);
        return rf_reply_error(400, err.msg);
    }
    if (rf_match_query(c->m, rf_request_query(req), &o, c->res, &err) != RF_OK) {
        rf_request_free(req);
        return rf_reply_error(err.code == RF_E_NOMEM ? 500 : 400, err.msg);
    }
    char *text = rf_result_json(req, c->res, 0);
    rf_request_free(req);
    json_t *r = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (!r) return rf_reply_error(500, "out of memory");
    json_t *matches = json_object_get(r, "matches"), *kept = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(matches, i, m) {
        if ((long)json_array_size(kept) >= limit) break;
        if (list && strcmp(json_string_value(json_object_get(m, "list")), list) != 0) continue;
        if (program && !has_string(json_object_get(m, "programs"), program)) continue;
        json_array_append(kept, m);
    }
    *alerts += json_array_size(kept) > 0;
    json_object_set_new(r, "matches", kept);
    char *id = strdup(q); /* raw bytes of the URL: scrubbed for JSON */
    if (id) rf_utf8_scrub(id);
    json_object_set_new(r, "id", json_string(id ? id : ""));
    free(id);
    return rf_reply_json(200, r);
}

static rf_reply lists(const rf_route_ctx *c) {
    json_t *arr = json_array();
    for (size_t i = 0; i < rf_dataset_list_count(c->ds); i++) {
        const rf_list_info *l = rf_dataset_list(c->ds, i);
        json_t *files = json_array();
        for (size_t k = 0; k < l->n_files; k++)
            json_array_append_new(files,
                                  json_pack("{s:s,s:s,s:I,s:s}", "role", l->files[k].role, "path",
                                            l->files[k].path, "size", (json_int_t)l->files[k].size,
                                            "sha256", l->files[k].sha256));
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:o}", "list", l->id,
                                             "title", l->title, "format", l->format, "published",
                                             l->published, "entities", (json_int_t)l->n_entities,
                                             "names", (json_int_t)l->n_names, "files", files));
    }
    return rf_reply_json(200, json_pack("{s:o}", "lists", arr));
}

rf_reply rf_route_handle(const rf_route_ctx *c, int route, const char *method, const char *path,
                         const char *body, size_t body_len, size_t *alerts) {
    bool post = route == RF_ROUTE_SCREEN || route == RF_ROUTE_YENTE;
    if (route == RF_ROUTE_OTHER) return rf_reply_error(404, "no such route");
    if (route == RF_ROUTE_ALERTS || route == RF_ROUTE_REPORT || route == RF_ROUTE_AUDIT)
        return rf_route_record(c, route, method, path, body, body_len);
    if (strcmp(method, post ? "POST" : "GET") != 0)
        return rf_reply_error(405, post ? "use POST" : "use GET");
    switch (route) {
    case RF_ROUTE_SCREEN:
        return screen(c, body ? body : "", body_len, alerts);
    case RF_ROUTE_SEARCH:
        return search(c, alerts);
    case RF_ROUTE_YENTE:
        return rf_route_yente(c, path + 7, body, body_len, alerts);
    case RF_ROUTE_ENTITY: {
        const rf_entity *e = rf_dataset_find(c->ds, path + 13);
        if (!e) return rf_reply_error(404, "no entity with that id");
        char *s = rf_entity_json(e);
        json_t *o = s ? json_loads(s, 0, NULL) : NULL;
        free(s);
        if (!o) return rf_reply_error(500, "out of memory");
        /* the list version it comes from: the examiner's "screened against what" */
        for (size_t i = 0; i < rf_dataset_list_count(c->ds); i++) {
            const rf_list_info *l = rf_dataset_list(c->ds, i);
            if (strcmp(l->id, e->list) != 0) continue;
            json_t *files = json_array();
            for (size_t k = 0; k < l->n_files; k++)
                json_array_append_new(files,
                                      json_pack("{s:s,s:s,s:s}", "role", l->files[k].role, "path",
                                                l->files[k].path, "sha256", l->files[k].sha256));
            json_object_set_new(o, "source",
                                json_pack("{s:s,s:s,s:s,s:o}", "list", l->id, "title", l->title,
                                          "published", l->published, "files", files));
        }
        return rf_reply_json(200, o);
    }
    case RF_ROUTE_LISTS:
        return lists(c);
    case RF_ROUTE_HEALTH:
        return rf_reply_json(200, json_pack("{s:s}", "status", "ok"));
    case RF_ROUTE_PAGE: {
        /* the page's files are compiled in (resources/web) */
        const char *name = !strcmp(path, "/") ? "index.html" : path + 1;
        size_t len;
        const char *data = rf_resource(name, &len);
        char *copy = data ? malloc(len + 1) : NULL;
        if (!copy) return rf_reply_error(data ? 500 : 404, data ? "out of memory" : "no page");
        memcpy(copy, data, len + 1);
        const char *type = strstr(name, ".html")  ? "text/html; charset=utf-8"
                           : strstr(name, ".css") ? "text/css; charset=utf-8"
                                                  : "text/javascript; charset=utf-8";
        return (rf_reply){200, copy, type};
    }
    case RF_ROUTE_READY:
        return rf_reply_json(200, json_pack("{s:s,s:I}", "status", "ready", "entities",
                                            (json_int_t)rf_dataset_count(c->ds)));
    default:
        return rf_reply_error(404, "no such route");
    }
}
