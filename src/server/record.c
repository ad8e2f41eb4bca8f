/* The compliance record over HTTP (redflag/store.h), for the analysts'
 * alert queue and for integrators:
 *   GET  /v1/alerts[?status=open]        the queue, oldest first
 *   GET  /v1/alerts/{id}                 one alert: subject, match, decisions
 *   POST /v1/alerts/{id}/decision        {"decision", "reason", "by"}
 *   GET  /v1/report/blocked[?format=csv] the true matches (31 CFR 501.603/604)
 *   GET  /v1/audit/verify                {"intact", "message"}
 *   GET  /v1/audit/export?from=&to=[&format=csv]
 * The store's connection serves one request at a time (store_lock). */
#include "server/routes.h"
#include "redflag/screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rf_route_keep(const rf_route_ctx *c, const char *query, size_t len, const char *result,
                          char *msg, size_t cap) {
    if (!c->store) return "this server keeps no record: start it with --store";
    char *q = strndup(query, len);
    if (!q) return "out of memory";
    rf_error err;
    pthread_mutex_lock(c->store_lock);
    rf_status st =
        rf_store_record(c->store, c->ds, q, result, "default", RF_DEFAULT_THRESHOLD, &err);
    pthread_mutex_unlock(c->store_lock);
    free(q);
    if (st == RF_OK) return NULL;
    snprintf(msg, cap, "not recorded: %s", err.msg);
    return msg;
}

static unsigned status_of(rf_status st) {
    return st == RF_E_NOTFOUND ? 404 : st == RF_E_INVALID ? 400 : 500;
}

static rf_reply alerts(const rf_route_ctx *c) {
    const char *status = c->param(c->conn, "status");
    bool open_only = status && !strcmp(status, "open");
    rf_alert *v;
    size_t n;
    rf_error err;
    if (rf_store_alerts(c->store, open_only, &v, &n, &err) != RF_OK)
        return rf_reply_error(500, err.msg);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        if (status && !open_only && strcmp(v[i].status, status) != 0) continue;
        const rf_entity *e = rf_dataset_find(c->ds, v[i].entity);
        json_array_append_new(
            arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:f,s:s,s:s,s:s}", "alert_id", (json_int_t)v[i].id,
                           "subject_id", v[i].subject, "entity", v[i].entity, "entity_name",
                           e ? e->names[0].text : "", "list", e ? e->list : "", "score", v[i].score,
                           "status", v[i].status, "reason", v[i].reason, "opened", v[i].opened));
    }
    free(v);
    return rf_reply_json(200, arr);
}

static rf_reply alert(const rf_route_ctx *c, long long id) {
    char *out;
    rf_error err;
    rf_status st = rf_store_alert_json(c->store, id, &out, &err);
    if (st != RF_OK) return rf_reply_error(status_of(st), err.msg);
    return (rf_reply){200, out, "application/json"};
}

static rf_reply decide(const rf_route_ctx *c, long long id, const char *body, size_t len) {
    json_error_t je;
    json_t *o = json_loadb(body, len, 0, &je);
    const char *d = json_string_value(json_object_get(o, "decision")),
               *reason = json_string_value(json_object_get(o, "reason")),
               *by = json_string_value(json_object_get(o, "by"));
    static const char *const names[] = {"false_positive", "true_match", "approve", "reject"};
    int verdict = -1;
    for (int i = 0; d && i < 4; i++)
        if (!strcmp(d, names[i])) verdict = i;
    if (!o || verdict < 0 || !reason || !by) {
        json_decref(o);
        return rf_reply_error(400, "expected {\"decision\": \"false_positive\"|\"true_match\"|"
                                   "\"approve\"|\"reject\", \"reason\": \"...\", \"by\": \"...\"}");
    }
    rf_error err;
    rf_status st = rf_store_decide(c->store, id, (rf_verdict)verdict, reason, by, &err);
    json_decref(o);
    if (st != RF_OK) return rf_reply_error(status_of(st), err.msg);
    return alert(c, id);
}

/* A table the store writes to a FILE (JSON, or CSV with ?format=csv), as
 * the reply's body: the blocked report or the audit export. */
static rf_reply table(const rf_route_ctx *c, bool audit_log) {
    const char *format = c->param(c->conn, "format");
    bool csv = format && !strcmp(format, "csv");
    char *data = NULL;
    size_t len, n;
    FILE *f = open_memstream(&data, &len);
    if (!f) return rf_reply_error(500, "out of memory");
    rf_error err;
    rf_status st = audit_log ? rf_store_audit_export(c->store, c->param(c->conn, "from"),
                                                     c->param(c->conn, "to"), !csv, f, &n, &err)
                             : rf_store_report_blocked(c->store, c->ds, !csv, f, &n, &err);
    fclose(f);
    if (st != RF_OK) {
        free(data);
        return rf_reply_error(status_of(st), err.msg);
    }
    return data ? (rf_reply){200, data, csv ? "text/csv; charset=utf-8" : "application/json"}
                : rf_reply_error(500, "out of memory");
}

static rf_reply verify(const rf_route_ctx *c) {
    bool intact;
    char msg[256];
    rf_error err;
    if (rf_store_audit_verify(c->store, &intact, msg, sizeof msg, &err) != RF_OK)
        return rf_reply_error(500, err.msg);
    return rf_reply_json(200, json_pack("{s:b,s:s}", "intact", intact, "message", msg));
}

static rf_reply dispatch(const rf_route_ctx *c, int route, const char *method, const char *path,
                         const char *body, size_t len) {
    if (route == RF_ROUTE_REPORT || route == RF_ROUTE_AUDIT) {
        if (strcmp(method, "GET") != 0) return rf_reply_error(405, "use GET");
        if (route == RF_ROUTE_REPORT) return table(c, false);
        return !strcmp(path, "/v1/audit/verify") ? verify(c) : table(c, true);
    }
    if (!strcmp(path, "/v1/alerts")) {
        if (strcmp(method, "GET") != 0) return rf_reply_error(405, "use GET");
        return alerts(c);
    }
    /* /v1/alerts/{id} or /v1/alerts/{id}/decision */
    char *end;
    long long id = strtoll(path + 11, &end, 10);
    if (end == path + 11 || id <= 0) return rf_reply_error(404, "no such alert");
    if (!*end) {
        if (strcmp(method, "GET") != 0) return rf_reply_error(405, "use GET");
        return alert(c, id);
    }
    if (strcmp(end, "/decision") != 0) return rf_reply_error(404, "no such route");
    if (strcmp(method, "POST") != 0) return rf_reply_error(405, "use POST");
    return decide(c, id, body ? body : "", len);
}

rf_reply rf_route_record(const rf_route_ctx *c, int route, const char *method, const char *path,
                         const char *body, size_t body_len) {
    if (!c->store) return rf_reply_error(404, "this server keeps no record: start it with --store");
    pthread_mutex_lock(c->store_lock);
    rf_reply r = dispatch(c, route, method, path, body, body_len);
    pthread_mutex_unlock(c->store_lock);
    return r;
}
