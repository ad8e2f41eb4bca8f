/* Reading one worker record: a JSON object on one line, parsed with jansson
 * and validated field by field. Every field is optional; a field of the
 * wrong type rejects the record with an error naming the line and the
 * field (never the value: worker data stays out of logs). Unknown fields
 * are ignored so callers can extend records. */
#include "workers/workers_int.h"
#include "util/alloc.h"
#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void wk_record_init(wk_record *r) {
    memset(r, 0, sizeof *r);
    rf_arena_init(&r->arena);
}

void wk_record_clear(wk_record *r) {
    json_decref(r->root);
    rf_arena arena = r->arena;
    memset(r, 0, sizeof *r);
    r->arena = arena;
    rf_arena_reset(&r->arena);
}

void wk_record_free(wk_record *r) {
    wk_record_clear(r);
    rf_arena_free(&r->arena);
}

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Timestamps arrive by the million (20 logins a worker): read at fixed
 * positions rather than through sscanf. */
bool wk_parse_time(const char *s, int64_t *out) {
    /* YYYY-MM-DDTHH:MM */
    if (strlen(s) < 17 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
        s[13] != ':')
        return false;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2), h = digits(s + 11, 2),
        mi = digits(s + 14, 2), sec = 0;
    if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
        return false;
    const char *p = s + 16;
    if (*p == ':') {
        if ((sec = digits(p + 1, 2)) < 0 || sec > 60) return false;
        p += 3;
    }
    if (*p == '.') /* fractions of a second are dropped */
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    long offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if ((*p == '+' || *p == '-') && p[3] == ':') {
        int oh = digits(p + 1, 2), om = digits(p + 4, 2);
        if (oh < 0 || om < 0 || oh > 23 || om > 59) return false;
        offset = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return false;
    }
    if (*p) return false;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
    return true;
}

/* ---- MARK: field helpers ---- */

typedef struct parse_ctx {
    wk_record *r;
    const char *file;
    long line;
    rf_error *err;
} parse_ctx;

static rf_status bad(parse_ctx *p, const char *field, const char *what) {
    return rf_fail(p->err, RF_E_INVALID, p->file, p->line, "field \"%s\" %s", field, what);
}

/* An optional string member: absent or null gives NULL. */
static rf_status opt_str(parse_ctx *p, json_t *obj, const char *key, const char *field,
                         const char **out) {
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) return RF_OK;
    if (!json_is_string(v)) return bad(p, field, "must be a string");
    *out = json_string_value(v);
    if (!**out) *out = NULL;
    return RF_OK;
}

static rf_status opt_time(parse_ctx *p, json_t *obj, const char *key, const char *field,
                          int64_t *out, bool *present) {
    const char *s;
    rf_status st = opt_str(p, obj, key, field, &s);
    if (st) return st;
    *present = s != NULL;
    if (s && !wk_parse_time(s, out))
        return bad(p, field, "must be a time like 2025-03-01T02:10:00Z");
    return RF_OK;
}

/* An optional array member: returns its size, NULL arr when absent. */
static rf_status opt_array(parse_ctx *p, json_t *obj, const char *key, json_t **arr, size_t *n) {
    json_t *v = json_object_get(obj, key);
    *arr = NULL;
    *n = 0;
    if (!v || json_is_null(v)) return RF_OK;
    if (!json_is_array(v)) return bad(p, key, "must be an array");
    *arr = v;
    *n = json_array_size(v);
    return RF_OK;
}

static void *alloc_n(parse_ctx *p, size_t n, size_t size) {
    if (n == 0) return NULL;
    return rf_arena_alloc(&p->r->arena, n * size);
}

static rf_status str_array(parse_ctx *p, const char *key, const char ***out, size_t *nout) {
    json_t *arr;
    size_t n;
    rf_status st = opt_array(p, p->r->root, key, &arr, &n);
    if (st || !n) return st;
    const char **v = alloc_n(p, n, sizeof *v);
    if (!v) return rf_fail(p->err, RF_E_NOMEM, p->file, p->line, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        if (!json_is_string(e)) {
            char f[64];
            snprintf(f, sizeof f, "%s[%zu]", key, i);
            return bad(p, f, "must be a string");
        }
        if (*json_string_value(e)) v[k++] = json_string_value(e);
    }
    *out = v;
    *nout = k;
    return RF_OK;
}

#define FIELD(fmt, ...) (snprintf(field, sizeof field, fmt, __VA_ARGS__), field)

static rf_status parse_phones(parse_ctx *p) {
    json_t *arr;
    size_t n;
    rf_status st = opt_array(p, p->r->root, "phones", &arr, &n);
    if (st || !n) return st;
    wk_phone *v = alloc_n(p, n, sizeof *v);
    if (!v) return rf_fail(p->err, RF_E_NOMEM, p->file, p->line, "out of memory");
    char field[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        wk_phone ph = {0};
        if (json_is_string(e)) {
            ph.number = json_string_value(e);
        } else if (json_is_object(e)) {
            if ((st = opt_str(p, e, "number", FIELD("phones[%zu].number", i), &ph.number)))
                return st;
            json_t *voip = json_object_get(e, "voip");
            if (voip && !json_is_boolean(voip) && !json_is_null(voip))
                return bad(p, FIELD("phones[%zu].voip", i), "must be true or false");
            ph.voip = json_is_true(voip);
        } else {
            return bad(p, FIELD("phones[%zu]", i), "must be a string or {\"number\", \"voip\"}");
        }
        if (ph.number && *ph.number) v[k++] = ph;
    }
    p->r->phones = v;
    p->r->n_phones = k;
    return RF_OK;
}

static rf_status parse_payouts(parse_ctx *p) {
    json_t *arr;
    size_t n;
    rf_status st = opt_array(p, p->r->root, "payout_accounts", &arr, &n);
    if (st || !n) return st;
    wk_payout *v = alloc_n(p, n, sizeof *v);
    if (!v) return rf_fail(p->err, RF_E_NOMEM, p->file, p->line, "out of memory");
    char field[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        if (!json_is_object(e))
            return bad(p, FIELD("payout_accounts[%zu]", i), "must be an object");
        wk_payout po = {0};
        const char *iban, *account, *address;
        if ((st = opt_str(p, e, "type", FIELD("payout_accounts[%zu].type", i), &po.type)) ||
            (st = opt_str(p, e, "iban", FIELD("payout_accounts[%zu].iban", i), &iban)) ||
            (st = opt_str(p, e, "account", FIELD("payout_accounts[%zu].account", i), &account)) ||
            (st = opt_str(p, e, "address", FIELD("payout_accounts[%zu].address", i), &address)) ||
            (st = opt_str(p, e, "holder", FIELD("payout_accounts[%zu].holder", i), &po.holder)) ||
            (st = opt_str(p, e, "chain", FIELD("payout_accounts[%zu].chain", i), &po.chain)) ||
            (st = opt_str(p, e, "country", FIELD("payout_accounts[%zu].country", i), &po.country)))
            return st;
        po.crypto = (po.type && !strcasecmp(po.type, "crypto")) || address || po.chain;
        po.iban = iban != NULL;
        po.account = iban ? iban : account ? account : address;
        if (!po.account && !po.holder) continue;
        v[k++] = po;
    }
    p->r->payouts = v;
    p->r->n_payouts = k;
    return RF_OK;
}

static rf_status parse_logins(parse_ctx *p) {
    json_t *arr;
    size_t n;
    rf_status st = opt_array(p, p->r->root, "logins", &arr, &n);
    if (st || !n) return st;
    wk_login *v = alloc_n(p, n, sizeof *v);
    if (!v) return rf_fail(p->err, RF_E_NOMEM, p->file, p->line, "out of memory");
    char field[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        if (!json_is_object(e)) return bad(p, FIELD("logins[%zu]", i), "must be an object");
        wk_login lg = {0};
        bool has_ts;
        const char *cc;
        if ((st = opt_time(p, e, "ts", FIELD("logins[%zu].ts", i), &lg.ts, &has_ts)) ||
            (st = opt_str(p, e, "ip", FIELD("logins[%zu].ip", i), &lg.ip)) ||
            (st = opt_str(p, e, "ip_country", FIELD("logins[%zu].ip_country", i), &cc)))
            return st;
        if (!has_ts) return bad(p, FIELD("logins[%zu].ts", i), "is required");
        if (cc) {
            if (strlen(cc) != 2 || !isalpha((unsigned char)cc[0]) || !isalpha((unsigned char)cc[1]))
                return bad(p, FIELD("logins[%zu].ip_country", i),
                           "must be an ISO 3166 alpha-2 code such as \"US\"");
            char *up = rf_arena_strndup(&p->r->arena, cc, 2);
            if (!up) return rf_fail(p->err, RF_E_NOMEM, p->file, p->line, "out of memory");
            up[0] = (char)toupper((unsigned char)up[0]);
            up[1] = (char)toupper((unsigned char)up[1]);
            lg.country = up;
        }
        json_t *vpn = json_object_get(e, "vpn");
        if (vpn && !json_is_boolean(vpn) && !json_is_null(vpn))
            return bad(p, FIELD("logins[%zu].vpn", i), "must be true or false");
        lg.vpn = json_is_true(vpn);
        v[k++] = lg;
    }
    p->r->logins = v;
    p->r->n_logins = k;
    return RF_OK;
}

static rf_status parse_activity(parse_ctx *p) {
    json_t *arr;
    size_t n;
    rf_status st = opt_array(p, p->r->root, "activity", &arr, &n);
    if (st || !n) return st;
    int64_t *v = alloc_n(p, n, sizeof *v);
    if (!v) return rf_fail(p->err, RF_E_NOMEM, p->file, p->line, "out of memory");
    char field[64];
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        if (!json_is_string(e) || !wk_parse_time(json_string_value(e), &v[i]))
            return bad(p, FIELD("activity[%zu]", i), "must be a time like 2025-03-01T02:10:00Z");
    }
    p->r->activity = v;
    p->r->n_activity = n;
    return RF_OK;
}

static rf_status parse_docs(parse_ctx *p) {
    json_t *arr;
    size_t n;
    rf_status st = opt_array(p, p->r->root, "documents", &arr, &n);
    if (st || !n) return st;
    wk_doc *v = alloc_n(p, n, sizeof *v);
    if (!v) return rf_fail(p->err, RF_E_NOMEM, p->file, p->line, "out of memory");
    char field[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        if (!json_is_object(e)) return bad(p, FIELD("documents[%zu]", i), "must be an object");
        wk_doc d = {0};
        if ((st = opt_str(p, e, "type", FIELD("documents[%zu].type", i), &d.type)) ||
            (st = opt_str(p, e, "number", FIELD("documents[%zu].number", i), &d.number)) ||
            (st = opt_str(p, e, "country", FIELD("documents[%zu].country", i), &d.country)))
            return st;
        if (d.number) v[k++] = d;
    }
    p->r->docs = v;
    p->r->n_docs = k;
    return RF_OK;
}

static rf_status parse_ratings(parse_ctx *p) {
    json_t *arr;
    size_t n;
    rf_status st = opt_array(p, p->r->root, "ratings", &arr, &n);
    if (st || !n) return st;
    wk_rating *v = alloc_n(p, n, sizeof *v);
    if (!v) return rf_fail(p->err, RF_E_NOMEM, p->file, p->line, "out of memory");
    char field[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        if (!json_is_object(e)) return bad(p, FIELD("ratings[%zu]", i), "must be an object");
        wk_rating rt = {0};
        bool has_ts;
        if ((st = opt_str(p, e, "client", FIELD("ratings[%zu].client", i), &rt.client)) ||
            (st = opt_time(p, e, "ts", FIELD("ratings[%zu].ts", i), &rt.ts, &has_ts)))
            return st;
        json_t *stars = json_object_get(e, "stars");
        if (stars && !json_is_null(stars)) {
            if (!json_is_number(stars) || json_number_value(stars) < 0 ||
                json_number_value(stars) > 5)
                return bad(p, FIELD("ratings[%zu].stars", i), "must be a number from 0 to 5");
            rt.stars = (int)json_number_value(stars);
        }
        if (rt.client && has_ts) v[k++] = rt;
    }
    p->r->ratings = v;
    p->r->n_ratings = k;
    return RF_OK;
}

static rf_status parse_payment_requests(parse_ctx *p) {
    json_t *arr;
    size_t n;
    rf_status st = opt_array(p, p->r->root, "payment_requests", &arr, &n);
    if (st || !n) return st;
    int64_t *v = alloc_n(p, n, sizeof *v);
    if (!v) return rf_fail(p->err, RF_E_NOMEM, p->file, p->line, "out of memory");
    char field[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        if (!json_is_object(e))
            return bad(p, FIELD("payment_requests[%zu]", i), "must be an object");
        const char *method;
        int64_t ts = 0;
        bool has_ts;
        if ((st = opt_str(p, e, "method", FIELD("payment_requests[%zu].method", i), &method)) ||
            (st = opt_time(p, e, "ts", FIELD("payment_requests[%zu].ts", i), &ts, &has_ts)))
            return st;
        if (method && (!strcasecmp(method, "crypto") || !strcasecmp(method, "cryptocurrency") ||
                       !strcasecmp(method, "usdt") || !strcasecmp(method, "btc") ||
                       !strcasecmp(method, "eth")))
            v[k++] = ts;
    }
    p->r->crypto_requests = v;
    p->r->n_crypto_requests = k;
    p->r->n_payment_requests = n;
    return RF_OK;
}

rf_status wk_record_parse(wk_record *r, const char *text, size_t len, long line, rf_error *err) {
    wk_record_clear(r);
    json_error_t jerr;
    r->root = json_loadb(text, len, 0, &jerr);
    if (!r->root)
        return rf_fail(err, RF_E_PARSE, NULL, line, "line %ld: not JSON (column %d): %s", line,
                       jerr.column, jerr.text);
    if (!json_is_object(r->root))
        return rf_fail(err, RF_E_PARSE, NULL, line, "line %ld: not a JSON object", line);
    parse_ctx p = {r, NULL, line, err};
    /* the file name is added by the caller; the line goes first here */
    char lf[32];
    snprintf(lf, sizeof lf, "line %ld", line);
    p.file = lf;
    p.line = 0;
    rf_status st;
    json_t *id = json_object_get(r->root, "id");
    if (json_is_integer(id)) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(id));
        r->id = rf_arena_strdup(&r->arena, buf);
    } else if ((st = opt_str(&p, r->root, "id", "id", &r->id))) {
        return st;
    }
    if (!r->id) return bad(&p, "id", "is required");
    if ((st = opt_str(&p, r->root, "legal_name", "legal_name", &r->legal_name)) ||
        (st = opt_str(&p, r->root, "birth_date", "birth_date", &r->birth_date)) ||
        (st = opt_str(&p, r->root, "claimed_country", "claimed_country", &r->claimed_country)) ||
        (st = opt_str(&p, r->root, "claimed_city", "claimed_city", &r->claimed_city)) ||
        (st = opt_str(&p, r->root, "timezone", "timezone", &r->timezone)) ||
        (st = opt_str(&p, r->root, "home_address", "home_address", &r->home_address)) ||
        (st = opt_str(&p, r->root, "shipping_address", "shipping_address", &r->shipping_address)) ||
        (st = opt_str(&p, r->root, "photo_hash", "photo_hash", &r->photo_hash)) ||
        (st = opt_str(&p, r->root, "profile_text_hash", "profile_text_hash",
                      &r->profile_text_hash)) ||
        (st = opt_str(&p, r->root, "referrer", "referrer", &r->referrer)) ||
        (st = str_array(&p, "other_names", &r->other_names, &r->n_other_names)) ||
        (st = str_array(&p, "emails", &r->emails, &r->n_emails)) ||
        (st = str_array(&p, "languages", &r->languages, &r->n_languages)) ||
        (st = str_array(&p, "remote_access", &r->remote_access, &r->n_remote_access)) ||
        (st = parse_phones(&p)) || (st = parse_payouts(&p)) || (st = parse_logins(&p)) ||
        (st = parse_activity(&p)) || (st = parse_docs(&p)) || (st = parse_ratings(&p)) ||
        (st = parse_payment_requests(&p)))
        return st;
    if (r->claimed_country &&
        (strlen(r->claimed_country) != 2 || !isalpha((unsigned char)r->claimed_country[0]) ||
         !isalpha((unsigned char)r->claimed_country[1])))
        return bad(&p, "claimed_country", "must be an ISO 3166 alpha-2 code such as \"US\"");
    if (r->claimed_country) {
        char *up = rf_arena_strndup(&r->arena, r->claimed_country, 2);
        if (!up) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        up[0] = (char)toupper((unsigned char)up[0]);
        up[1] = (char)toupper((unsigned char)up[1]);
        r->claimed_country = up;
    }
    if (r->birth_date) {
        int y, m, d;
        if (sscanf(r->birth_date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
            d > 31)
            return bad(&p, "birth_date", "must be a date like 1990-04-25");
    }
    return RF_OK;
}
