/* The compliance record, on SQLite or PostgreSQL (store/db.h). Every write goes with an audit_log
 * row in the same transaction: hash = sha256(previous hash | seq | time | kind | payload); the
 * newest hash is also kept in meta, so a removed last row is seen too. */
#include "redflag/store.h"
#include "redflag/screen.h"
#include "store/db.h"
#include "util/error.h"
#include "util/file.h"
#include "util/strmap.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rf_store {
    db *d;
    bool in_batch;
};

/* One schema for both engines: {ID} is the row id, {REAL} a double, {INT}
 * a 64-bit integer. Times are ISO 8601 UTC text (they sort as text). */
static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS subjects (id {ID}, subject_key TEXT NOT NULL UNIQUE, query TEXT "
    "NOT NULL, fields_hash TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS screenings (id {ID}, subject_id {INT} NOT NULL REFERENCES "
    "subjects(id), at TEXT NOT NULL, lists TEXT NOT NULL, algorithm TEXT NOT NULL, threshold "
    "{REAL} NOT NULL, result TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS alerts (id {ID}, subject_id {INT} NOT NULL REFERENCES "
    "subjects(id), entity TEXT NOT NULL, score {REAL} NOT NULL, status TEXT NOT NULL, reason TEXT "
    "NOT NULL, subject_hash TEXT NOT NULL, entity_hash TEXT NOT NULL, last_screening {INT}, "
    "opened TEXT NOT NULL, proposed_by TEXT NOT NULL DEFAULT '', UNIQUE (subject_id, entity));"
    "CREATE INDEX IF NOT EXISTS alerts_status ON alerts (status);"
    "CREATE INDEX IF NOT EXISTS alerts_entity ON alerts (entity);"
    "CREATE TABLE IF NOT EXISTS decisions (id {ID}, alert_id {INT} NOT NULL REFERENCES "
    "alerts(id), decision TEXT NOT NULL, reason TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT "
    "NULL);"
    "CREATE INDEX IF NOT EXISTS decisions_alert ON decisions (alert_id);"
    "CREATE TABLE IF NOT EXISTS audit_log (seq {INT} PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT "
    "NULL, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS entity_versions (entity TEXT PRIMARY KEY, hash TEXT NOT NULL);";

/* schema_sql in the engine's words; free() it. */
static char *schema_for(db_kind k) {
    const char *words[][2] = {
        {"{ID}", k == DB_POSTGRES ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY"},
        {"{REAL}", k == DB_POSTGRES ? "DOUBLE PRECISION" : "REAL"},
        {"{INT}", k == DB_POSTGRES ? "BIGINT" : "INTEGER"}};
    size_t cap = strlen(schema_sql) * 2 + 1, o = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    for (const char *p = schema_sql; *p;) {
        bool done = false;
        for (size_t w = 0; w < 3 && !done; w++) {
            size_t n = strlen(words[w][0]);
            if (!strncmp(p, words[w][0], n)) {
                o += (size_t)sprintf(out + o, "%s", words[w][1]);
                p += n;
                done = true;
            }
        }
        if (!done) out[o++] = *p++;
    }
    out[o] = '\0';
    return out;
}

static rf_status db_fail(rf_store *s, rf_error *err, const char *what) {
    return rf_fail(err, RF_E_IO, NULL, 0, "store: %s: %s", what, db_errmsg(s->d));
}

static void now_iso(char out[32]) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%06ldZ", ts.tv_nsec / 1000);
}

static bool exec(rf_store *s, const char *sql) {
    return db_exec(s->d, sql);
}

rf_status rf_store_open(const char *path, rf_store **out, rf_error *err) {
    *out = NULL;
    rf_store *s = calloc(1, sizeof *s);
    if (!s) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    rf_status st = db_open(path, &s->d, err);
    if (st != RF_OK) {
        free(s);
        return st;
    }
    /* under the writers' lock: two processes may create a new store at once */
    char *schema = schema_for(db_kind_of(s->d));
    if (!schema || !db_begin(s->d) || !exec(s, schema) || !exec(s, "COMMIT")) {
        st = rf_fail(err, RF_E_IO, path, 0, "not a redflag store, or unreadable: %s",
                     schema ? db_errmsg(s->d) : "out of memory");
        free(schema);
        rf_store_close(s);
        return st;
    }
    free(schema);
    *out = s;
    return RF_OK;
}

void rf_store_close(rf_store *s) {
    if (!s) return;
    db_close(s->d);
    free(s);
}

rf_status rf_store_begin(rf_store *s, rf_error *err) {
    if (!db_begin(s->d)) return db_fail(s, err, "begin");
    s->in_batch = true;
    return RF_OK;
}

rf_status rf_store_commit(rf_store *s, rf_error *err) {
    s->in_batch = false;
    if (exec(s, "COMMIT")) return RF_OK;
    /* a failed commit (a full disk) must not leave the batch open */
    rf_status st = db_fail(s, err, "commit");
    exec(s, "ROLLBACK"); /* when still open; harmless when not */
    return st;
}

/* A statement's first column as text into out ("" when no row). */
static bool query_text(rf_store *s, const char *sql, const char *arg, char *out, size_t cap) {
    return arg ? db_scalar(s->d, out, cap, sql, "s", arg) : db_scalar(s->d, out, cap, sql, "");
}

static void chain_hash(const char *prev, long long seq, const char *at, const char *kind,
                       const char *payload, char out[65]) {
    size_t n = strlen(prev) + strlen(at) + strlen(kind) + strlen(payload) + 64;
    char *buf = malloc(n);
    if (!buf) {
        out[0] = '\0';
        return;
    }
    int len = snprintf(buf, n, "%s|%lld|%s|%s|%s", prev, seq, at, kind, payload);
    rf_sha256_hex(buf, (size_t)len, out);
    free(buf);
}

/* Appends one audit row (within the caller's transaction). */
static bool audit(rf_store *s, const char *kind, const char *payload) {
    char prev[65] = "", at[32], seqs[32];
    if (!query_text(s, "SELECT value FROM meta WHERE key = 'audit_head'", NULL, prev,
                    sizeof prev) ||
        !query_text(s, "SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log", NULL, seqs, sizeof seqs))
        return false;
    long long seq = atoll(seqs);
    now_iso(at);
    char hash[65];
    chain_hash(prev, seq, at, kind, payload, hash);
    return db_run(s->d, NULL,
                  "INSERT INTO audit_log (seq, at, kind, payload, prev_hash, hash) VALUES (?, ?, "
                  "?, ?, ?, ?)",
                  "isssss", seq, at, kind, payload, prev, hash) &&
           db_run(s->d, NULL,
                  "INSERT INTO meta (key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO "
                  "UPDATE SET value = excluded.value",
                  "s", hash);
}

/* sha256 of a JSON value with sorted keys (the same fields, the same hash). */
static void json_hash(json_t *v, char out[65]) {
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    rf_sha256_hex(s ? s : "", s ? strlen(s) : 0, out);
    free(s);
}

static char *lists_json(const rf_dataset *ds) {
    json_t *a = json_array();
    for (size_t i = 0; i < rf_dataset_list_count(ds); i++) {
        const rf_list_info *l = rf_dataset_list(ds, i);
        json_t *files = json_array();
        for (size_t k = 0; k < l->n_files; k++)
            json_array_append_new(files, json_string(l->files[k].sha256));
        json_array_append_new(a, json_pack("{s:s,s:s,s:o}", "list", l->id, "published",
                                           l->published, "sha256", files));
    }
    char *s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return s;
}

/* Runs a statement with bound values: 'i' int64, 'd' double, 's' text. */
#define run(s, sql, ...) db_run((s)->d, NULL, sql, __VA_ARGS__)

/* The alert of (subject, entity): its fields, or id 0 when none. */
typedef struct alert_row {
    long long id;
    char status[24], subject_hash[65], entity_hash[65];
} alert_row;

static alert_row find_alert(rf_store *s, long long subject, const char *entity) {
    alert_row a = {0, "", "", ""};
    db_rows *r = db_query(s->d,
                          "SELECT id, status, subject_hash, entity_hash FROM alerts WHERE "
                          "subject_id = ? AND entity = ?",
                          "is", subject, entity);
    if (r && db_next(r)) {
        a.id = db_int(r, 0);
        snprintf(a.status, sizeof a.status, "%s", db_text(r, 1));
        snprintf(a.subject_hash, sizeof a.subject_hash, "%s", db_text(r, 2));
        snprintf(a.entity_hash, sizeof a.entity_hash, "%s", db_text(r, 3));
    }
    db_rows_free(r);
    return a;
}

/* A list load or update is a write the examiner sees: the first screening
 * against a new set of list versions appends a "lists" audit row. */
static bool note_lists(rf_store *s, const char *lists) {
    char h[65], seen[65];
    rf_sha256_hex(lists, strlen(lists), h);
    if (!query_text(s, "SELECT value FROM meta WHERE key = 'lists'", NULL, seen, sizeof seen))
        return false;
    return !strcmp(seen, h) ||
           (audit(s, "lists", lists) &&
            run(s,
                "INSERT INTO meta (key, value) VALUES ('lists', ?) ON CONFLICT(key) DO UPDATE SET "
                "value = excluded.value",
                "s", h));
}

static bool record(rf_store *s, const rf_dataset *ds, json_t *q, json_t *res, const char *result,
                   const char *algorithm, double threshold, int *opened) {
    char at[32], subject_hash[65], key[128];
    now_iso(at);
    json_t *id = json_object_get(q, "id");
    if (json_is_integer(id))
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(id));
    else
        snprintf(key, sizeof key, "%s", json_string_value(id));
    json_t *fields = json_deep_copy(q);
    json_object_del(fields, "id");
    json_hash(fields, subject_hash);
    char *qtext = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(fields);
    bool ok =
        qtext && run(s,
                     "INSERT INTO subjects (subject_key, query, fields_hash, created, updated) "
                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT(subject_key) DO UPDATE SET query = "
                     "excluded.query, fields_hash = excluded.fields_hash, updated = "
                     "excluded.updated",
                     "sssss", key, qtext, subject_hash, at, at);
    free(qtext);
    char sid[32];
    ok = ok && query_text(s, "SELECT id FROM subjects WHERE subject_key = ?", key, sid, sizeof sid);
    long long subject = atoll(sid);
    char *lists = ok ? lists_json(ds) : NULL;
    ok = ok && lists && note_lists(s, lists);
    char sc[32] = "";
    ok = ok && db_scalar(s->d, sc, sizeof sc,
                         "INSERT INTO screenings (subject_id, at, lists, algorithm, threshold, "
                         "result) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                         "isssds", subject, at, lists, algorithm, threshold, result);
    free(lists);
    long long screening = atoll(sc);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(res, "matches"), i, m) {
        if (!ok) break;
        const char *entity = json_string_value(json_object_get(m, "entity"));
        double score = json_number_value(json_object_get(m, "score"));
        const rf_entity *e = entity ? rf_dataset_find(ds, entity) : NULL;
        char entity_hash[65] = "";
        char *ej = e ? rf_entity_json(e) : NULL;
        rf_sha256_hex(ej ? ej : "", ej ? strlen(ej) : 0, entity_hash);
        free(ej);
        alert_row a = find_alert(s, subject, entity ? entity : "");
        const char *reason = NULL;
        if (!a.id) {
            reason = "new match";
            ok = run(s,
                     "INSERT INTO alerts (subject_id, entity, score, status, reason, subject_hash, "
                     "entity_hash, last_screening, opened) VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?)",
                     "isdsssis", subject, entity, score, reason, subject_hash, entity_hash,
                     screening, at);
        } else if (!strcmp(a.status, "false_positive") &&
                   (strcmp(a.subject_hash, subject_hash) != 0 ||
                    strcmp(a.entity_hash, entity_hash) != 0)) {
            reason = strcmp(a.subject_hash, subject_hash) != 0
                         ? "re-opened: the subject's fields changed since the decision"
                         : "re-opened: the listed entity's record changed since the decision";
            ok = run(s,
                     "UPDATE alerts SET status = 'open', reason = ?, score = ?, subject_hash = ?, "
                     "entity_hash = ?, last_screening = ? WHERE id = ?",
                     "sdssii", reason, score, subject_hash, entity_hash, screening, a.id);
        } else {
            /* still open, decided a true match, or a suppressed false positive */
            ok = run(s, "UPDATE alerts SET score = ?, last_screening = ? WHERE id = ?", "dii",
                     score, screening, a.id);
        }
        *opened += reason != NULL;
    }
    if (ok) {
        char payload[512];
        snprintf(payload, sizeof payload,
                 "{\"subject\":\"%.100s\",\"screening\":%lld,\"alerts_opened\":%d}", key, screening,
                 *opened);
        ok = audit(s, "screening", payload);
    }
    return ok;
}

rf_status rf_store_record(rf_store *s, const rf_dataset *ds, const char *query_json,
                          const char *result_json, const char *algorithm, double threshold,
                          rf_error *err) {
    json_t *q = json_loads(query_json, 0, NULL), *res = json_loads(result_json, 0, NULL);
    json_t *id = q ? json_object_get(q, "id") : NULL;
    if (!q || !res || !(json_is_string(id) || json_is_integer(id))) {
        json_decref(q);
        json_decref(res);
        return rf_fail(err, RF_E_INVALID, NULL, 0,
                       "store: a screening is recorded with its query's \"id\" (the subject)");
    }
    /* all of a screening or none: a transaction, or a savepoint in a batch */
    bool own = !s->in_batch;
    if (!(own ? db_begin(s->d) : exec(s, "SAVEPOINT screening"))) {
        json_decref(q);
        json_decref(res);
        return db_fail(s, err, "begin");
    }
    int opened = 0;
    bool ok = record(s, ds, q, res, result_json, algorithm, threshold, &opened);
    json_decref(q);
    json_decref(res);
    if (!ok) {
        rf_status st = db_fail(s, err, "recording a screening");
        exec(s, own ? "ROLLBACK" : "ROLLBACK TO screening; RELEASE screening");
        return st;
    }
    if (!exec(s, own ? "COMMIT" : "RELEASE screening")) return db_fail(s, err, "commit");
    return RF_OK;
}

rf_status rf_store_alerts(rf_store *s, bool open_only, rf_alert **out, size_t *n, rf_error *err) {
    *out = NULL;
    *n = 0;
    db_rows *r = db_query(s->d,
                          "SELECT a.id, s.subject_key, a.entity, a.score, a.status, a.reason, "
                          "a.opened FROM alerts a JOIN subjects s ON s.id = a.subject_id WHERE "
                          "a.status = 'open' OR ? = 0 ORDER BY a.id",
                          "i", (long long)open_only);
    if (!r) return db_fail(s, err, "reading the alerts");
    size_t cap = 0;
    rf_alert *v = NULL;
    while (db_next(r)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            rf_alert *g = realloc(v, cap * sizeof *v);
            if (!g) {
                free(v);
                db_rows_free(r);
                *n = 0;
                return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
            }
            v = g;
        }
        rf_alert *a = &v[(*n)++];
        a->id = db_int(r, 0);
        snprintf(a->subject, sizeof a->subject, "%s", db_text(r, 1));
        snprintf(a->entity, sizeof a->entity, "%s", db_text(r, 2));
        a->score = db_double(r, 3);
        snprintf(a->status, sizeof a->status, "%s", db_text(r, 4));
        snprintf(a->reason, sizeof a->reason, "%s", db_text(r, 5));
        snprintf(a->opened, sizeof a->opened, "%s", db_text(r, 6));
    }
    bool ok = db_rows_ok(r);
    db_rows_free(r);
    *out = v;
    return ok ? RF_OK : db_fail(s, err, "reading the alerts");
}

rf_status rf_store_alert_json(rf_store *s, long long id, char **out, rf_error *err) {
    *out = NULL;
    db_rows *r = db_query(s->d,
                          "SELECT a.id, s.subject_key, s.query, a.entity, a.score, a.status, "
                          "a.reason, a.opened, a.proposed_by, sc.result FROM alerts a JOIN "
                          "subjects s ON s.id = a.subject_id LEFT JOIN screenings sc ON sc.id = "
                          "a.last_screening WHERE a.id = ?",
                          "i", id);
    if (!r) return db_fail(s, err, "reading the alert");
    json_t *o = NULL;
    if (db_next(r)) {
        json_t *subject = json_loads(db_text(r, 2), 0, NULL);
        json_t *result = json_loads(db_text(r, 9), 0, NULL), *match = NULL;
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(result, "matches"), i, m) {
            const char *e = json_string_value(json_object_get(m, "entity"));
            if (!match && e && !strcmp(e, db_text(r, 3))) match = json_incref(m);
        }
        json_decref(result);
        o = json_pack("{s:I,s:s,s:o,s:s,s:f,s:s,s:s,s:s,s:s,s:o,s:[]}", "alert_id",
                      (json_int_t)db_int(r, 0), "subject_id", db_text(r, 1), "subject",
                      subject ? subject : json_object(), "entity", db_text(r, 3), "score",
                      db_double(r, 4), "status", db_text(r, 5), "reason", db_text(r, 6), "opened",
                      db_text(r, 7), "proposed_by", db_text(r, 8), "match",
                      match ? match : json_null(), "decisions");
    }
    bool ok = db_rows_ok(r);
    db_rows_free(r);
    if (!ok) {
        json_decref(o);
        return db_fail(s, err, "reading the alert");
    }
    if (!o) return rf_fail(err, RF_E_NOTFOUND, NULL, 0, "no alert %lld", id);
    r = db_query(s->d,
                 "SELECT decision, reason, by, at FROM decisions WHERE alert_id = ? ORDER BY id",
                 "i", id);
    json_t *decisions = json_object_get(o, "decisions");
    while (r && db_next(r))
        json_array_append_new(decisions,
                              json_pack("{s:s,s:s,s:s,s:s}", "decision", db_text(r, 0), "reason",
                                        db_text(r, 1), "by", db_text(r, 2), "at", db_text(r, 3)));
    ok = r && db_rows_ok(r);
    db_rows_free(r);
    *out = ok ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(o);
    if (!ok) return db_fail(s, err, "reading the decisions");
    return *out ? RF_OK : rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
}

static void csv_field(FILE *out, const char *v, bool last);

static bool four_eyes(rf_store *s) {
    char v[8];
    return query_text(s, "SELECT value FROM meta WHERE key = 'four_eyes'", NULL, v, sizeof v) &&
           !strcmp(v, "on");
}

rf_status rf_store_set_four_eyes(rf_store *s, bool on, const char *by, rf_error *err) {
    if (!by || !*by) return rf_fail(err, RF_E_INVALID, NULL, 0, "say who changes the setting");
    if (!db_begin(s->d)) return db_fail(s, err, "begin");
    json_t *p =
        json_pack("{s:s,s:s,s:s}", "setting", "four_eyes", "value", on ? "on" : "off", "by", by);
    char *payload = p ? json_dumps(p, JSON_COMPACT) : NULL;
    json_decref(p);
    bool ok = payload &&
              run(s,
                  "INSERT INTO meta (key, value) VALUES ('four_eyes', ?) ON CONFLICT(key) DO "
                  "UPDATE SET value = excluded.value",
                  "s", on ? "on" : "off") &&
              audit(s, "configuration", payload);
    free(payload);
    if (!ok) {
        rf_status st = db_fail(s, err, "changing the setting");
        exec(s, "ROLLBACK");
        return st;
    }
    return exec(s, "COMMIT") ? RF_OK : db_fail(s, err, "commit");
}

rf_status rf_store_decide(rf_store *s, long long alert_id, rf_verdict v, const char *reason,
                          const char *by, rf_error *err) {
    if (!reason || !*reason || !by || !*by)
        return rf_fail(err, RF_E_INVALID, NULL, 0, "a decision needs a reason and who made it");
    char ids[32], status[24], proposer[128];
    snprintf(ids, sizeof ids, "%lld", alert_id);
    if (!query_text(s, "SELECT status FROM alerts WHERE id = ?", ids, status, sizeof status) ||
        !query_text(s, "SELECT proposed_by FROM alerts WHERE id = ?", ids, proposer,
                    sizeof proposer))
        return db_fail(s, err, "reading the alert");
    if (!*status) return rf_fail(err, RF_E_NOTFOUND, NULL, 0, "no alert %lld", alert_id);
    bool pending = !strcmp(status, "pending_approval");
    const char *decision = NULL, *new_status = NULL;
    switch (v) {
    case RF_VERDICT_FALSE_POSITIVE:
        decision = new_status = "false_positive";
        break;
    case RF_VERDICT_TRUE_MATCH:
        decision = "true_match";
        new_status = four_eyes(s) ? "pending_approval" : "true_match";
        break;
    case RF_VERDICT_APPROVE:
    case RF_VERDICT_REJECT:
        if (!pending)
            return rf_fail(err, RF_E_INVALID, NULL, 0,
                           "alert %lld is not waiting for a second reviewer (it is %s)", alert_id,
                           status);
        if (v == RF_VERDICT_APPROVE && !strcmp(proposer, by))
            return rf_fail(err, RF_E_INVALID, NULL, 0,
                           "four eyes: %s proposed this true match; someone else approves it", by);
        decision = v == RF_VERDICT_APPROVE ? "approve" : "reject";
        new_status = v == RF_VERDICT_APPROVE ? "true_match" : "open";
        break;
    }
    char at[32];
    now_iso(at);
    bool own = !s->in_batch;
    if (own && !db_begin(s->d)) return db_fail(s, err, "begin");
    json_t *p = json_pack("{s:I,s:s,s:s,s:s,s:s}", "alert", (json_int_t)alert_id, "decision",
                          decision, "status", new_status, "reason", reason, "by", by);
    char *payload = p ? json_dumps(p, JSON_COMPACT) : NULL;
    json_decref(p);
    bool ok =
        payload &&
        run(s, "INSERT INTO decisions (alert_id, decision, reason, by, at) VALUES (?, ?, ?, ?, ?)",
            "issss", alert_id, decision, reason, by, at) &&
        run(s, "UPDATE alerts SET status = ?, reason = ?, proposed_by = ? WHERE id = ?", "sssi",
            new_status, reason, v == RF_VERDICT_TRUE_MATCH ? by : "", alert_id) &&
        audit(s, "decision", payload);
    free(payload);
    if (!ok) {
        rf_status st = db_fail(s, err, "recording the decision");
        if (own) exec(s, "ROLLBACK");
        return st;
    }
    if (own && !exec(s, "COMMIT")) return db_fail(s, err, "commit");
    return RF_OK;
}

rf_status rf_store_report_blocked(rf_store *s, const rf_dataset *ds, bool json, FILE *out,
                                  size_t *n, rf_error *err) {
    *n = 0;
    db_rows *r =
        db_query(s->d,
                 "SELECT s.subject_key, s.query, a.entity, a.score, d.by, d.at, d.reason FROM "
                 "alerts a JOIN subjects s ON s.id = a.subject_id JOIN decisions d ON d.id = "
                 "(SELECT MAX(id) FROM decisions WHERE alert_id = a.id) WHERE a.status = "
                 "'true_match' ORDER BY d.at",
                 "");
    if (!r) return db_fail(s, err, "reading the true matches");
    json_t *arr = json_array();
    while (db_next(r)) {
        const char *col[7];
        for (int k = 0; k < 7; k++)
            col[k] = db_text(r, k);
        const rf_entity *e = rf_dataset_find(ds, col[2]);
        json_t *subject = json_loads(col[1], 0, NULL);
        if (!subject) subject = json_object();
        json_t *programs = json_array();
        for (size_t k = 0; e && k < e->n_programs; k++)
            json_array_append_new(programs, json_string(e->programs[k]));
        json_array_append_new(arr, json_pack("{s:s,s:o,s:s,s:s,s:s,s:o,s:f,s:s,s:s,s:s}",
                                             "subject_id", col[0], "subject", subject, "entity",
                                             col[2], "entity_name", e ? e->names[0].text : "",
                                             "list", e ? e->list : "", "programs", programs,
                                             "score", db_double(r, 3), "decided_by", col[4],
                                             "decided_at", col[5], "reason", col[6]));
        (*n)++;
    }
    bool ok = db_rows_ok(r);
    db_rows_free(r);
    if (json) {
        json_dumpf(arr, out, JSON_INDENT(1) | JSON_ENSURE_ASCII);
        fputc('\n', out);
    } else {
        fputs("subject_id,subject_name,entity,entity_name,list,programs,score,decided_by,"
              "decided_at,reason\n",
              out);
        size_t i;
        json_t *r;
        json_array_foreach(arr, i, r) {
            char score[32], progs[512] = "";
            snprintf(score, sizeof score, "%.4f", json_real_value(json_object_get(r, "score")));
            size_t k;
            json_t *p;
            json_array_foreach(json_object_get(r, "programs"), k, p) {
                size_t used = strlen(progs);
                snprintf(progs + used, sizeof progs - used, "%s%s", k ? ";" : "",
                         json_string_value(p));
            }
            const char *name =
                json_string_value(json_object_get(json_object_get(r, "subject"), "name"));
            const char *vals[10] = {json_string_value(json_object_get(r, "subject_id")),
                                    name ? name : "",
                                    json_string_value(json_object_get(r, "entity")),
                                    json_string_value(json_object_get(r, "entity_name")),
                                    json_string_value(json_object_get(r, "list")),
                                    progs,
                                    score,
                                    json_string_value(json_object_get(r, "decided_by")),
                                    json_string_value(json_object_get(r, "decided_at")),
                                    json_string_value(json_object_get(r, "reason"))};
            for (int c = 0; c < 10; c++)
                csv_field(out, vals[c], c == 9);
        }
    }
    json_decref(arr);
    return ok ? RF_OK : db_fail(s, err, "reading the true matches");
}

rf_status rf_store_audit_verify(rf_store *s, bool *intact, char *msg, size_t cap, rf_error *err) {
    *intact = false;
    db_rows *r = db_query(
        s->d, "SELECT seq, at, kind, payload, prev_hash, hash FROM audit_log ORDER BY seq", "");
    if (!r) return db_fail(s, err, "reading the audit log");
    char prev[65] = "";
    long long expect = 1;
    bool broken = false;
    while (!broken && db_next(r)) {
        long long seq = db_int(r, 0);
        const char *at = db_text(r, 1), *kind = db_text(r, 2), *payload = db_text(r, 3),
                   *prev_hash = db_text(r, 4), *hash = db_text(r, 5);
        char want[65];
        chain_hash(prev, seq, at ? at : "", kind ? kind : "", payload ? payload : "", want);
        if (seq != expect) {
            snprintf(msg, cap, "row %lld is missing (the log jumps from %lld to %lld)", expect,
                     expect - 1, seq);
            broken = true;
        } else if (strcmp(prev_hash ? prev_hash : "", prev) != 0 ||
                   strcmp(hash ? hash : "", want) != 0) {
            snprintf(msg, cap, "row %lld was edited or inserted (its hash does not chain)", seq);
            broken = true;
        }
        snprintf(prev, sizeof prev, "%s", hash ? hash : "");
        expect++;
    }
    bool ok = db_rows_ok(r);
    db_rows_free(r);
    if (!ok) return db_fail(s, err, "reading the audit log");
    if (broken) return RF_OK;
    char head[65];
    if (!query_text(s, "SELECT value FROM meta WHERE key = 'audit_head'", NULL, head, sizeof head))
        return db_fail(s, err, "reading the audit head");
    if (strcmp(head, prev) != 0) {
        snprintf(msg, cap,
                 "rows after %lld are missing (the last hash recorded is not the "
                 "last row's)",
                 expect - 1);
        return RF_OK;
    }
    snprintf(msg, cap, "%lld rows, chain intact", expect - 1);
    *intact = true;
    return RF_OK;
}

/* ---- monitoring ---- */

static void entity_hash(const rf_entity *e, char out[65]) {
    char *j = rf_entity_json(e);
    rf_sha256_hex(j ? j : "", j ? strlen(j) : 0, out);
    free(j);
}

/* The entities new or changed since the last run into fresh (entity ids,
 * arena-free: borrowed from ds), removed ones closed; versions updated. */
static bool diff_entities(rf_store *s, const rf_dataset *ds, rf_strmap *fresh,
                          rf_monitor_report *rep) {
    bool ok = exec(s, "CREATE TEMP TABLE IF NOT EXISTS cur (entity TEXT PRIMARY KEY, hash TEXT); "
                      "DELETE FROM cur");
    for (size_t i = 0; ok && i < rf_dataset_count(ds); i++) {
        const rf_entity *e = rf_dataset_entity(ds, i);
        char h[65];
        entity_hash(e, h);
        ok = run(s, "INSERT INTO cur VALUES (?, ?)", "ss", e->id, h);
    }
    db_rows *r = ok ? db_query(s->d,
                               "SELECT c.entity, CASE WHEN v.hash IS NULL THEN 1 ELSE 0 END FROM "
                               "cur c LEFT JOIN entity_versions v ON v.entity = c.entity WHERE "
                               "v.hash IS NULL OR v.hash <> c.hash",
                               "")
                    : NULL;
    ok = r != NULL;
    while (ok && db_next(r)) {
        const rf_entity *e = rf_dataset_find(ds, db_text(r, 0));
        if (!e) continue;
        ok = rf_strmap_put(fresh, e->id, strlen(e->id), 1, NULL, NULL);
        if (db_int(r, 1))
            rep->entities_new++;
        else
            rep->entities_changed++;
    }
    ok = ok && db_rows_ok(r);
    db_rows_free(r);
    r = ok ? db_query(s->d,
                      "SELECT v.entity FROM entity_versions v LEFT JOIN cur c ON c.entity = "
                      "v.entity WHERE c.entity IS NULL",
                      "")
           : NULL;
    ok = r != NULL;
    while (ok && db_next(r)) {
        long long closed = 0;
        rep->entities_removed++;
        ok = db_run(s->d, &closed,
                    "UPDATE alerts SET status = 'closed', reason = 'delisted: the entity left the "
                    "lists' WHERE entity = ? AND status = 'open'",
                    "s", db_text(r, 0));
        rep->alerts_closed += (size_t)closed;
    }
    ok = ok && db_rows_ok(r);
    db_rows_free(r);
    return ok && exec(s, "DELETE FROM entity_versions; INSERT INTO entity_versions SELECT entity, "
                         "hash FROM cur");
}

/* Re-screens one stored subject; records the matches on fresh entities. */
static bool monitor_subject(rf_store *s, const rf_dataset *ds, const rf_matcher *m,
                            const rf_strmap *fresh, const char *key, const char *query,
                            rf_results *res, rf_monitor_report *rep) {
    json_t *q = json_loads(query, 0, NULL);
    if (!q) return true;
    json_object_set_new(q, "id", json_string(key));
    char *qtext = json_dumps(q, JSON_COMPACT);
    json_decref(q);
    rf_request *req = NULL;
    rf_error e2;
    if (!qtext || rf_request_parse_json(ds, qtext, strlen(qtext), &req, &e2) != RF_OK ||
        rf_match_query(m, rf_request_query(req), NULL, res, &e2) != RF_OK) {
        rf_request_free(req);
        free(qtext);
        return true; /* a stored query the lists can no longer read: skipped */
    }
    rep->subjects_screened++;
    /* only the matches on new or changed entities are news */
    bool news = false, ok = true;
    for (size_t k = 0; k < rf_results_count(res) && !news; k++) {
        uint32_t dummy;
        const char *id = rf_results_get(res, k)->entity->id;
        news = rf_strmap_get(fresh, id, strlen(id), &dummy);
    }
    if (news) {
        char *result = rf_result_json(req, res, 0);
        json_t *qj = json_loads(qtext, 0, NULL), *rj = result ? json_loads(result, 0, NULL) : NULL;
        json_t *matches = rj ? json_object_get(rj, "matches") : NULL, *kept = json_array();
        size_t i;
        json_t *mm;
        json_array_foreach(matches, i, mm) {
            const char *id = json_string_value(json_object_get(mm, "entity"));
            uint32_t dummy;
            if (id && rf_strmap_get(fresh, id, strlen(id), &dummy)) json_array_append(kept, mm);
        }
        if (rj)
            json_object_set_new(rj, "matches", kept);
        else
            json_decref(kept);
        int opened = 0;
        ok = qj && rj && exec(s, "SAVEPOINT subject") &&
             record(s, ds, qj, rj, result, "default", RF_DEFAULT_THRESHOLD, &opened) &&
             exec(s, "RELEASE subject");
        rep->alerts_opened += (size_t)opened;
        json_decref(qj);
        json_decref(rj);
        free(result);
    }
    rf_request_free(req);
    free(qtext);
    return ok;
}

rf_status rf_store_monitor(rf_store *s, const rf_dataset *ds, const rf_matcher *m,
                           rf_monitor_report *rep, rf_error *err) {
    memset(rep, 0, sizeof *rep);
    rf_strmap fresh;
    rf_strmap_init(&fresh);
    if (!db_begin(s->d)) return db_fail(s, err, "begin");
    bool ok = diff_entities(s, ds, &fresh, rep);
    rf_results *res = rf_results_new();
    ok = ok && res;
    /* a page of subjects at a time, committed as it goes: a long run keeps
     * the record current, and no read stays open across a commit */
    enum { PAGE = 1000 };
    long long after = 0;
    while (ok && fresh.count) {
        db_rows *r = db_query(s->d,
                              "SELECT id, subject_key, query FROM subjects WHERE id > ? ORDER BY "
                              "id LIMIT ?",
                              "ii", after, (long long)PAGE);
        if (!r) {
            ok = false;
            break;
        }
        size_t rows = 0;
        char **page = calloc(2 * PAGE, sizeof *page);
        while (page && db_next(r) && rows < PAGE) {
            after = db_int(r, 0);
            page[2 * rows] = strdup(db_text(r, 1));
            page[2 * rows + 1] = strdup(db_text(r, 2));
            rows++;
        }
        ok = page && db_rows_ok(r);
        db_rows_free(r);
        for (size_t i = 0; ok && i < rows; i++)
            ok = page[2 * i] && page[2 * i + 1] &&
                 monitor_subject(s, ds, m, &fresh, page[2 * i], page[2 * i + 1], res, rep);
        for (size_t i = 0; page && i < 2 * rows; i++)
            free(page[i]);
        free(page);
        if (rows < PAGE) break;
        ok = ok && exec(s, "COMMIT") && db_begin(s->d);
    }
    rf_results_free(res);
    rf_strmap_free(&fresh);
    if (ok) {
        char payload[256];
        snprintf(payload, sizeof payload,
                 "{\"new\":%zu,\"changed\":%zu,\"removed\":%zu,\"screened\":%zu,"
                 "\"opened\":%zu,\"closed\":%zu}",
                 rep->entities_new, rep->entities_changed, rep->entities_removed,
                 rep->subjects_screened, rep->alerts_opened, rep->alerts_closed);
        ok = audit(s, "monitor", payload);
    }
    if (!ok) {
        rf_status stt = db_fail(s, err, "monitoring");
        exec(s, "ROLLBACK");
        return stt;
    }
    return exec(s, "COMMIT") ? RF_OK : db_fail(s, err, "commit");
}

/* A CSV field, quoted when it needs to be (RFC 4180). */
static void csv_field(FILE *out, const char *v, bool last) {
    if (strpbrk(v, ",\"\r\n")) {
        fputc('"', out);
        for (; *v; v++) {
            if (*v == '"') fputc('"', out);
            fputc(*v, out);
        }
        fputc('"', out);
    } else {
        fputs(v, out);
    }
    fputc(last ? '\n' : ',', out);
}

/* The day after date (YYYY-MM-DD) into out: the exclusive upper bound of
 * "up to and including date". */
static bool day_after(const char *date, char out[32]) {
    struct tm tm = {0};
    int y, m, d, used = 0;
    if (sscanf(date, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || date[used] || m < 1 || m > 12 ||
        d < 1 || d > 31)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d + 1;
    time_t t = timegm(&tm);
    gmtime_r(&t, &tm);
    return strftime(out, 32, "%Y-%m-%d", &tm) > 0;
}

rf_status rf_store_audit_export(rf_store *s, const char *from, const char *to, bool json, FILE *out,
                                size_t *n, rf_error *err) {
    *n = 0;
    char lo[32] = "", hi[32] = "9999";
    if (from) snprintf(lo, sizeof lo, "%s", from);
    if (to && !day_after(to, hi))
        return rf_fail(err, RF_E_INVALID, NULL, 0, "--to %s: expected a date YYYY-MM-DD", to);
    db_rows *r = db_query(s->d,
                          "SELECT seq, at, kind, payload, prev_hash, hash FROM audit_log WHERE at "
                          ">= ? AND at < ? ORDER BY seq",
                          "ss", lo, hi);
    if (!r) return db_fail(s, err, "reading the audit log");
    json_t *arr = json ? json_array() : NULL;
    if (!json) fputs("seq,at,kind,payload,prev_hash,hash\n", out);
    while (db_next(r)) {
        const char *col[6];
        for (int k = 0; k < 6; k++)
            col[k] = db_text(r, k);
        if (json)
            json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "seq",
                                                 (json_int_t)db_int(r, 0), "at", col[1], "kind",
                                                 col[2], "payload", col[3], "prev_hash", col[4],
                                                 "hash", col[5]));
        else
            for (int k = 0; k < 6; k++)
                csv_field(out, col[k], k == 5);
        (*n)++;
    }
    bool ok = db_rows_ok(r);
    db_rows_free(r);
    if (json) {
        json_dumpf(arr, out, JSON_INDENT(1) | JSON_ENSURE_ASCII);
        fputc('\n', out);
        json_decref(arr);
    }
    return ok ? RF_OK : db_fail(s, err, "reading the audit log");
}
