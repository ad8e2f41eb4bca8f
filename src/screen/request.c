/* Parsing and validating screening queries (JSON objects or CSV fields)
 * into rf_query. Every problem is reported with the field it concerns. */
#include "lists/dataset_int.h"
#include "lists/dates.h"
#include "redflag/limits.h"
#include "redflag/screen.h"
#include "util/error.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define RF_MAX_QUERY_NAME  RF_LIMIT_NAME_BYTES
#define RF_MAX_QUERY_ITEMS RF_LIMIT_QUERY_ITEMS

struct rf_request {
    char *id;
    char *name;
    char country[3];
    rf_query q;
    rf_query_identifier *ids;
    rf_query_wallet *wallets;
    json_t *root; /* owns the identifier and wallet strings */
};

const char *rf_dataset_country_code(const rf_dataset *ds, const char *name) {
    return rf_countries_code(ds->countries, name, strlen(name));
}

void rf_request_free(rf_request *r) {
    if (!r) return;
    rf_free(r->id);
    rf_free(r->name);
    rf_free(r->ids);
    rf_free(r->wallets);
    if (r->root) json_decref(r->root);
    rf_free(r);
}

const char *rf_request_id(const rf_request *r) {
    return r->id ? r->id : "";
}

const rf_query *rf_request_query(const rf_request *r) {
    return &r->q;
}

static rf_status set_scalars(const rf_dataset *ds, rf_request *r, const char *name,
                             const char *type, const char *birth_date, const char *country,
                             rf_error *err) {
    if (name && *name) {
        if (strlen(name) > RF_MAX_QUERY_NAME)
            return rf_fail(err, RF_E_LIMIT, NULL, 0, "field \"name\": longer than %d bytes",
                           RF_MAX_QUERY_NAME);
        r->name = rf_strdup(name);
        if (!r->name) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        r->q.name = r->name;
    }
    if (type && *type && !rf_schema_parse(type, &r->q.schema))
        return rf_fail(err, RF_E_INVALID, NULL, 0,
                       "field \"type\": '%.40s' is not person, organization, vessel or aircraft",
                       type);
    if (birth_date && *birth_date &&
        !rf_date_parse_iso(birth_date, strlen(birth_date), &r->q.birth_date))
        return rf_fail(err, RF_E_INVALID, NULL, 0,
                       "field \"birth_date\": '%.40s' is not YYYY, YYYY-MM or YYYY-MM-DD",
                       birth_date);
    if (country && *country) {
        const char *code = rf_dataset_country_code(ds, country);
        if (!code)
            return rf_fail(err, RF_E_INVALID, NULL, 0,
                           "field \"country\": '%.40s' is not an ISO 3166 code or a country name",
                           country);
        snprintf(r->country, sizeof r->country, "%s", code);
        r->q.country = r->country;
    }
    return RF_OK;
}

static rf_status check_has_something(const rf_request *r, rf_error *err) {
    if ((r->q.name && *r->q.name) || r->q.n_identifiers || r->q.n_wallets) return RF_OK;
    return rf_fail(err, RF_E_INVALID, NULL, 0,
                   "the query needs a \"name\", \"identifiers\" or \"wallets\"");
}

rf_status rf_request_from_fields(const rf_dataset *ds, const char *id, const char *name,
                                 const char *type, const char *birth_date, const char *country,
                                 rf_request **out, rf_error *err) {
    *out = NULL;
    rf_request *r = rf_calloc(1, sizeof *r);
    if (!r) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    r->id = rf_strdup(id ? id : "");
    if (!r->id) {
        rf_request_free(r);
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    *out = r;
    rf_status st = set_scalars(ds, r, name, type, birth_date, country, err);
    if (st == RF_OK) st = check_has_something(r, err);
    return st;
}

static const char *opt_string(json_t *obj, const char *key, rf_status *st, rf_error *err) {
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_string(v)) {
        *st = rf_fail(err, RF_E_INVALID, NULL, 0, "field \"%s\": expected a string", key);
        return NULL;
    }
    return json_string_value(v);
}

/* "identifiers": [{"type": ..., "number": ...}] or "wallets": [{"currency":
 * ..., "address": ...}]: fills parallel arrays of (kind, value) pointers. */
static rf_status items(json_t *root, const char *field, const char *kind_key, const char *value_key,
                       const char ***kinds, const char ***values, size_t *n, rf_error *err) {
    json_t *arr = json_object_get(root, field);
    *n = 0;
    if (!arr || json_is_null(arr)) return RF_OK;
    if (!json_is_array(arr))
        return rf_fail(err, RF_E_INVALID, NULL, 0, "field \"%s\": expected an array", field);
    size_t count = json_array_size(arr);
    if (count > RF_MAX_QUERY_ITEMS)
        return rf_fail(err, RF_E_LIMIT, NULL, 0, "field \"%s\": more than %d items", field,
                       RF_MAX_QUERY_ITEMS);
    *kinds = rf_calloc(count, sizeof **kinds);
    *values = rf_calloc(count, sizeof **values);
    if (!*kinds || !*values) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < count; i++) {
        json_t *it = json_array_get(arr, i);
        json_t *k = json_object_get(it, kind_key), *v = json_object_get(it, value_key);
        if (!json_is_object(it) || !json_is_string(v) ||
            (k && !json_is_null(k) && !json_is_string(k)))
            return rf_fail(err, RF_E_INVALID, NULL, 0,
                           "field \"%s\"[%zu]: expected {\"%s\": string, \"%s\": string}", field, i,
                           kind_key, value_key);
        (*kinds)[i] = json_is_string(k) ? json_string_value(k) : NULL;
        (*values)[i] = json_string_value(v);
    }
    *n = count;
    return RF_OK;
}

rf_status rf_request_parse_json(const rf_dataset *ds, const char *text, size_t len,
                                rf_request **out, rf_error *err) {
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return rf_fail(err, RF_E_PARSE, NULL, 0, "invalid JSON at column %d: %s", jerr.column,
                       jerr.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return rf_fail(err, RF_E_PARSE, NULL, 0, "expected a JSON object");
    }
    rf_request *r = rf_calloc(1, sizeof *r);
    if (!r) {
        json_decref(root);
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    r->root = root;
    json_t *jid = json_object_get(root, "id");
    char num[32];
    const char *id = NULL;
    if (json_is_string(jid))
        id = json_string_value(jid);
    else if (json_is_integer(jid)) {
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(jid));
        id = num;
    }
    if (!id) {
        rf_request_free(r);
        return rf_fail(err, RF_E_INVALID, NULL, 0, "field \"id\": required, a string or integer");
    }
    r->id = rf_strdup(id);
    if (!r->id) {
        rf_request_free(r);
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    *out = r; /* from here on the caller can name the query in the error */
    rf_status st = RF_OK;
    const char *name = opt_string(root, "name", &st, err);
    const char *type = st == RF_OK ? opt_string(root, "type", &st, err) : NULL;
    const char *bd = st == RF_OK ? opt_string(root, "birth_date", &st, err) : NULL;
    const char *country = st == RF_OK ? opt_string(root, "country", &st, err) : NULL;
    if (st == RF_OK) st = set_scalars(ds, r, name, type, bd, country, err);
    const char **kinds = NULL, **values = NULL;
    size_t n = 0;
    if (st == RF_OK) st = items(root, "identifiers", "type", "number", &kinds, &values, &n, err);
    if (st == RF_OK && n) {
        r->ids = rf_calloc(n, sizeof *r->ids);
        if (!r->ids) st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        for (size_t i = 0; st == RF_OK && i < n; i++)
            r->ids[i] = (rf_query_identifier){kinds[i], values[i]};
        r->q.identifiers = r->ids;
        r->q.n_identifiers = r->ids ? n : 0;
    }
    rf_free(kinds);
    rf_free(values);
    kinds = values = NULL;
    if (st == RF_OK) st = items(root, "wallets", "currency", "address", &kinds, &values, &n, err);
    if (st == RF_OK && n) {
        r->wallets = rf_calloc(n, sizeof *r->wallets);
        if (!r->wallets) st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        for (size_t i = 0; st == RF_OK && i < n; i++)
            r->wallets[i] = (rf_query_wallet){kinds[i], values[i]};
        r->q.wallets = r->wallets;
        r->q.n_wallets = r->wallets ? n : 0;
    }
    rf_free(kinds);
    rf_free(values);
    if (st == RF_OK) st = check_has_something(r, err);
    return st;
}
