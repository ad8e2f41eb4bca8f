/* POST /match/{dataset}: OpenSanctions yente's match API, so its clients
 * can point at redflag. Request:
 *   {"queries": {"key": {"schema": "Person", "properties": {"name": [...],
 *    "birthDate": [...], "nationality": [...], "idNumber": [...]}}}}
 * with ?threshold= (a result's "match", default redflag's 0.85), ?cutoff=
 * (lowest score listed, default 0.5) and ?limit= (default 5). Answer:
 *   {"responses": {"key": {"status": 200, "results": [{"id", "caption",
 *    "schema", "properties", "datasets", "score", "match", "features"}],
 *    "total": {"value": n, "relation": "eq"}, "query": {...}}}, "limit": n}
 * Each name of a query is screened; an entity keeps its best score. */
#include "server/yente.h"
#include "lists/dates.h"
#include "redflag/screen.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAMES 8
#define MAX_IDS   8

static rf_schema ftm_schema(const char *s) {
    if (!s || !strcmp(s, "Thing") || !strcmp(s, "LegalEntity")) return RF_SCHEMA_UNKNOWN;
    if (!strcmp(s, "Person")) return RF_SCHEMA_PERSON;
    if (!strcmp(s, "Vessel")) return RF_SCHEMA_VESSEL;
    if (!strcmp(s, "Airplane")) return RF_SCHEMA_AIRCRAFT;
    return RF_SCHEMA_ORGANIZATION; /* Company, Organization, PublicBody */
}

static const char *ftm_schema_of(const rf_entity *e) {
    switch (e->schema) {
    case RF_SCHEMA_PERSON:
        return "Person";
    case RF_SCHEMA_VESSEL:
        return "Vessel";
    case RF_SCHEMA_AIRCRAFT:
        return "Airplane";
    case RF_SCHEMA_ORGANIZATION:
        return "Organization";
    default:
        return "LegalEntity";
    }
}

static json_t *strings(const char *const *v, size_t n) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

/* An entity in FollowTheMoney's shape (the properties yente clients read). */
static json_t *ftm_entity(const rf_entity *e) {
    json_t *p = json_object(), *names = json_array(), *alias = json_array(), *weak = json_array(),
           *dates = json_array(), *ids = json_array(), *wallets = json_array();
    for (size_t i = 0; i < e->n_names; i++)
        json_array_append_new(i == 0             ? names
                              : e->names[i].weak ? weak
                                                 : alias,
                              json_string(e->names[i].text));
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        char d[11];
        rf_date_format(&e->birth_dates[i].from, d);
        json_array_append_new(dates, json_string(d));
    }
    for (size_t i = 0; i < e->n_identifiers; i++)
        json_array_append_new(ids, json_string(e->identifiers[i].number));
    for (size_t i = 0; i < e->n_wallets; i++)
        json_array_append_new(wallets, json_string(e->wallets[i].address));
    json_object_set_new(p, "name", names);
    json_object_set_new(p, "alias", alias);
    json_object_set_new(p, "weakAlias", weak);
    if (e->schema == RF_SCHEMA_PERSON)
        json_object_set_new(p, "birthDate", dates);
    else
        json_decref(dates);
    json_object_set_new(p, "nationality", strings(e->nationalities, e->n_nationalities));
    json_object_set_new(p, "idNumber", ids);
    json_object_set_new(p, "program", strings(e->programs, e->n_programs));
    json_object_set_new(p, "cryptoWallet", wallets);
    json_object_set_new(p, "topics", json_pack("[s]", "sanction"));
    return json_pack("{s:s,s:s,s:s,s:o,s:[s],s:[],s:b}", "id", e->id, "caption", e->names[0].text,
                     "schema", ftm_schema_of(e), "properties", p, "datasets", e->list, "referents",
                     "target", e->listing != RF_LISTING_RELATED);
}

static const char *first(json_t *props, const char *key) {
    json_t *v = json_array_get(json_object_get(props, key), 0);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The best result per entity over several runs (one per query name). */
typedef struct best {
    const rf_entity *e;
    double score;
    json_t *features;
} best;

static void keep(best *v, size_t *n, size_t cap, const rf_match *m) {
    best *b = NULL;
    for (size_t i = 0; i < *n && !b; i++)
        if (v[i].e == m->entity) b = &v[i];
    if (b && m->score <= b->score) return;
    if (!b) {
        if (*n == cap) return;
        b = &v[(*n)++];
        b->e = m->entity;
        b->features = NULL;
    }
    json_decref(b->features);
    b->score = m->score;
    b->features = json_object();
    json_object_set_new(b->features, "name_score", json_real(m->name_score));
    for (size_t k = 0; k < m->n_features; k++)
        json_object_set_new(b->features, m->features[k].name, json_real(m->features[k].delta));
}

static int by_score(const void *a, const void *b) {
    const best *x = a, *y = b;
    return x->score < y->score ? 1 : x->score > y->score ? -1 : strcmp(x->e->id, y->e->id);
}

/* One yente query: its response object. */
static json_t *answer(const rf_route_ctx *c, const char *dataset, json_t *q, double threshold,
                      double cutoff, long limit, size_t *alerts) {
    json_t *props = json_object_get(q, "properties");
    if (!json_is_object(props))
        return json_pack("{s:i,s:s}", "status", 400, "detail", "a query needs \"properties\"");
    rf_query base = {0};
    base.schema = ftm_schema(json_string_value(json_object_get(q, "schema")));
    rf_date dob = {0, 0, 0};
    const char *bd = first(props, "birthDate");
    if (bd) {
        int y = 0, mo = 0, d = 0;
        if (sscanf(bd, "%4d-%2d-%2d", &y, &mo, &d) >= 1)
            dob = (rf_date){(int16_t)y, (uint8_t)mo, (uint8_t)d};
    }
    base.birth_date = dob;
    const char *country = first(props, "nationality");
    if (!country) country = first(props, "country");
    base.country = country ? rf_dataset_country_code(c->ds, country) : NULL;
    rf_query_identifier ids[MAX_IDS];
    size_t nids = 0;
    static const char *const id_props[] = {"idNumber", "passportNumber", "registrationNumber",
                                           "taxNumber", "imoNumber"};
    for (size_t k = 0; k < sizeof id_props / sizeof id_props[0]; k++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(props, id_props[k]), i,
                           v) if (json_is_string(v) && nids < MAX_IDS) ids[nids++] =
            (rf_query_identifier){NULL, json_string_value(v)};
    }
    base.identifiers = ids;
    base.n_identifiers = nids;
    json_t *names = json_object_get(props, "name");
    size_t n_names = json_is_array(names) ? json_array_size(names) : 0;
    if (!n_names && !nids)
        return json_pack("{s:i,s:s}", "status", 400, "detail", "a query needs a name or an id");
    rf_match_options o;
    rf_match_options_init(&o);
    o.threshold = cutoff;
    o.limit = 100;
    best found[256];
    size_t nf = 0;
    rf_error err;
    for (size_t i = 0; i < (n_names ? n_names : 1) && i < MAX_NAMES; i++) {
        rf_query qq = base;
        qq.name = n_names ? json_string_value(json_array_get(names, i)) : NULL;
        if (n_names && !qq.name) continue;
        if (rf_match_query(c->m, &qq, &o, c->res, &err) != RF_OK) {
            for (size_t k = 0; k < nf; k++)
                json_decref(found[k].features);
            return json_pack("{s:i,s:s}", "status", 400, "detail", err.msg);
        }
        for (size_t k = 0; k < rf_results_count(c->res); k++) {
            const rf_match *m = rf_results_get(c->res, k);
            if (strcmp(dataset, "default") != 0 && strcmp(m->entity->list, dataset) != 0) continue;
            keep(found, &nf, sizeof found / sizeof found[0], m);
        }
    }
    qsort(found, nf, sizeof *found, by_score);
    json_t *results = json_array();
    bool any = false;
    for (size_t k = 0; k < nf; k++) {
        if ((long)k < limit) {
            json_t *r = ftm_entity(found[k].e);
            json_object_set_new(r, "score", json_real(found[k].score));
            json_object_set_new(r, "match", json_boolean(found[k].score >= threshold));
            json_object_set_new(r, "features", found[k].features);
            any |= found[k].score >= threshold;
            json_array_append_new(results, r);
        } else {
            json_decref(found[k].features);
        }
    }
    *alerts += any;
    return json_pack("{s:i,s:o,s:{s:I,s:s},s:O}", "status", 200, "results", results, "total",
                     "value", (json_int_t)nf, "relation", "eq", "query", q);
}

static bool number(const char *s, double lo, double hi, double *out) {
    if (!s) return true;
    char *end;
    double v = strtod(s, &end);
    if (*end || end == s || v < lo || v > hi) return false;
    *out = v;
    return true;
}

rf_reply rf_route_yente(const rf_route_ctx *c, const char *dataset, const char *body, size_t len,
                        size_t *alerts) {
    if (strcmp(dataset, "default") != 0) {
        bool known = false;
        for (size_t i = 0; i < rf_dataset_list_count(c->ds) && !known; i++)
            known = !strcmp(rf_dataset_list(c->ds, i)->id, dataset);
        if (!known) return rf_reply_error(404, "no such dataset: use default or a list id");
    }
    double threshold = RF_DEFAULT_THRESHOLD, cutoff = 0.5, limit = 5;
    if (!number(c->param(c->conn, "threshold"), 0, 1, &threshold) ||
        !number(c->param(c->conn, "cutoff"), 0, 1, &cutoff) ||
        !number(c->param(c->conn, "limit"), 1, 500, &limit))
        return rf_reply_error(400, "threshold and cutoff are from 0 to 1, limit from 1 to 500");
    json_error_t je;
    json_t *req = json_loadb(body ? body : "", len, 0, &je);
    json_t *queries = req ? json_object_get(req, "queries") : NULL;
    if (!json_is_object(queries)) {
        json_decref(req);
        return rf_reply_error(400, "expected {\"queries\": {\"key\": {\"schema\": ..., "
                                   "\"properties\": {...}}}}");
    }
    if (json_object_size(queries) > c->cfg->max_batch) {
        json_decref(req);
        return rf_reply_error(413, "too many queries in one request");
    }
    json_t *responses = json_object();
    const char *key;
    json_t *q;
    json_object_foreach(queries, key, q) {
        json_object_set_new(
            responses, key,
            json_is_object(q)
                ? answer(c, dataset, q, threshold, cutoff, (long)limit, alerts)
                : json_pack("{s:i,s:s}", "status", 400, "detail", "a query is an object"));
    }
    json_decref(req);
    json_t *out = json_pack("{s:o,s:I}", "responses", responses, "limit", (json_int_t)limit);
    char *s = out ? json_dumps(out, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(out);
    return s ? (rf_reply){200, s, "application/json"} : rf_reply_error(500, "out of memory");
}
