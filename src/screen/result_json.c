/* Result, error and entity records as JSON (jansson), one compact line. */
#include "lists/dates.h"
#include "redflag/screen.h"
#include "util/str.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))

/* Scores are shown to 4 decimals: more would suggest false precision. */
static json_t *score_json(double s) {
    return json_real(round(s * 10000.0) / 10000.0);
}

static json_t *str_array(const char *const *v, size_t n) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *date_range_json(const rf_date_range *r) {
    char from[11], to[11];
    rf_date_format(&r->from, from);
    rf_date_format(&r->to, to);
    json_t *o = json_object();
    if (!strcmp(from, to)) {
        json_object_set_new(o, "date", json_string(from));
    } else {
        json_object_set_new(o, "from", json_string(from));
        json_object_set_new(o, "to", json_string(to));
    }
    if (r->circa) json_object_set_new(o, "circa", json_true());
    return o;
}

static json_t *entity_obj(const rf_entity *e) {
    json_t *o = json_object();
    json_object_set_new(o, "entity", json_string(e->id));
    json_object_set_new(o, "list", json_string(e->list));
    json_object_set_new(o, "source_id", json_string(e->source_id));
    json_object_set_new(o, "schema", json_string(rf_schema_name(e->schema)));
    json_object_set_new(o, "listing", json_string(rf_listing_str(e->listing)));
    json_object_set_new(o, "name", json_string(e->names[0].text));
    json_t *names = json_array();
    for (size_t i = 0; i < e->n_names; i++) {
        json_t *n = json_object();
        json_object_set_new(n, "name", json_string(e->names[i].text));
        json_object_set_new(n, "kind", json_string(rf_name_kind_str(e->names[i].kind)));
        json_object_set_new(n, "strength", json_string(e->names[i].weak ? "weak" : "strong"));
        json_array_append_new(names, n);
    }
    json_object_set_new(o, "names", names);
    json_object_set_new(o, "programs", str_array(e->programs, e->n_programs));
    if (*e->gender) json_object_set_new(o, "gender", json_string(e->gender));
    if (*e->title) json_object_set_new(o, "title", json_string(e->title));
    json_t *dates = json_array();
    for (size_t i = 0; i < e->n_birth_dates; i++)
        json_array_append_new(dates, date_range_json(&e->birth_dates[i]));
    json_object_set_new(o, "birth_dates", dates);
    json_object_set_new(o, "birth_places", str_array(e->birth_places, e->n_birth_places));
    json_object_set_new(o, "nationalities", str_array(e->nationalities, e->n_nationalities));
    json_object_set_new(o, "citizenships", str_array(e->citizenships, e->n_citizenships));
    json_t *addrs = json_array();
    for (size_t i = 0; i < e->n_addresses; i++) {
        const rf_address *a = &e->addresses[i];
        json_t *x = json_object();
        json_object_set_new(x, "street", json_string(a->street));
        json_object_set_new(x, "city", json_string(a->city));
        json_object_set_new(x, "country", json_string(a->country));
        json_object_set_new(x, "country_name", json_string(a->country_name));
        if (*a->note) json_object_set_new(x, "note", json_string(a->note));
        json_array_append_new(addrs, x);
    }
    json_object_set_new(o, "addresses", addrs);
    json_t *ids = json_array();
    for (size_t i = 0; i < e->n_identifiers; i++) {
        const rf_identifier *d = &e->identifiers[i];
        json_t *x = json_object();
        json_object_set_new(x, "type", json_string(d->type));
        json_object_set_new(x, "label", json_string(d->label));
        json_object_set_new(x, "number", json_string(d->number));
        json_object_set_new(x, "country", json_string(d->country));
        if (*d->note) json_object_set_new(x, "note", json_string(d->note));
        json_array_append_new(ids, x);
    }
    json_object_set_new(o, "identifiers", ids);
    json_t *wallets = json_array();
    for (size_t i = 0; i < e->n_wallets; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "currency", json_string(e->wallets[i].currency));
        json_object_set_new(x, "address", json_string(e->wallets[i].address));
        json_array_append_new(wallets, x);
    }
    json_object_set_new(o, "wallets", wallets);
    json_object_set_new(o, "emails", str_array(e->emails, e->n_emails));
    json_object_set_new(o, "websites", str_array(e->websites, e->n_websites));
    json_object_set_new(o, "phones", str_array(e->phones, e->n_phones));
    json_t *links = json_array();
    for (size_t i = 0; i < e->n_links; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "relation", json_string(e->links[i].relation));
        json_object_set_new(x, "name", json_string(e->links[i].name));
        if (*e->links[i].entity) json_object_set_new(x, "entity", json_string(e->links[i].entity));
        if (e->links[i].share >= 0) json_object_set_new(x, "share", json_real(e->links[i].share));
        json_array_append_new(links, x);
    }
    json_object_set_new(o, "links", links);
    json_t *inc = json_array();
    for (size_t i = 0; i < e->n_incorporation_dates; i++)
        json_array_append_new(inc, date_range_json(&e->incorporation_dates[i]));
    json_object_set_new(o, "incorporation_dates", inc);
    json_t *props = json_array();
    for (size_t i = 0; i < e->n_properties; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "key", json_string(e->properties[i].key));
        json_object_set_new(x, "value", json_string(e->properties[i].value));
        json_array_append_new(props, x);
    }
    json_object_set_new(o, "properties", props);
    if (*e->remarks) json_object_set_new(o, "remarks", json_string(e->remarks));
    return o;
}

char *rf_entity_json(const rf_entity *e) {
    json_t *o = entity_obj(e);
    char *s = json_dumps(o, DUMP_FLAGS);
    json_decref(o);
    return s;
}

static json_t *explanation(const rf_match *m) {
    const rf_entity *e = m->entity;
    json_t *x = json_object();
    json_object_set_new(x, "basis", json_string(rf_match_basis_str(m->basis)));
    if (m->basis == RF_BASIS_IDENTIFIER) {
        const rf_identifier *d = &e->identifiers[m->id_index];
        json_t *o = json_object();
        json_object_set_new(o, "type", json_string(d->type));
        json_object_set_new(o, "number", json_string(d->number));
        json_object_set_new(o, "country", json_string(d->country));
        json_object_set_new(x, "identifier", o);
    } else if (m->basis == RF_BASIS_WALLET) {
        const rf_wallet *w = &e->wallets[m->id_index];
        json_t *o = json_object();
        json_object_set_new(o, "currency", json_string(w->currency));
        json_object_set_new(o, "address", json_string(w->address));
        json_object_set_new(x, "wallet", o);
    }
    json_object_set_new(x, "name_score", score_json(m->name_score));
    const rf_name *n = &e->names[m->name_index];
    json_object_set_new(x, "name_kind", json_string(rf_name_kind_str(n->kind)));
    json_object_set_new(x, "name_strength", json_string(n->weak ? "weak" : "strong"));
    json_t *tokens = json_array();
    for (size_t i = 0; i < m->n_pairs; i++) {
        const rf_token_pair *p = &m->pairs[i];
        json_t *t = json_object();
        json_object_set_new(t, "query", p->query_token ? json_string(p->query_token) : json_null());
        json_object_set_new(t, "list", p->list_token ? json_string(p->list_token) : json_null());
        json_object_set_new(t, "how", json_string(rf_token_how_str(p->how)));
        json_object_set_new(t, "similarity", score_json(p->similarity));
        json_array_append_new(tokens, t);
    }
    json_object_set_new(x, "tokens", tokens);
    json_t *feats = json_array();
    for (size_t i = 0; i < m->n_features; i++) {
        const rf_feature *f = &m->features[i];
        json_t *o = json_object();
        json_object_set_new(o, "feature", json_string(f->name));
        json_object_set_new(o, "delta", score_json(f->delta));
        json_object_set_new(o, "detail", json_string(f->detail ? f->detail : ""));
        json_array_append_new(feats, o);
    }
    json_object_set_new(x, "attributes", feats);
    return x;
}

char *rf_result_json(const rf_request *req, const rf_results *res, unsigned flags) {
    json_t *o = json_object();
    size_t n = rf_results_count(res);
    json_object_set_new(o, "id", json_string(rf_request_id(req)));
    json_object_set_new(o, "alert", json_boolean(n > 0));
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const rf_match *m = rf_results_get(res, i);
        const rf_entity *e = m->entity;
        json_t *x = json_object();
        json_object_set_new(x, "entity", json_string(e->id));
        json_object_set_new(x, "list", json_string(e->list));
        json_object_set_new(x, "source_id", json_string(e->source_id));
        json_object_set_new(x, "schema", json_string(rf_schema_name(e->schema)));
        json_object_set_new(x, "name", json_string(e->names[0].text));
        json_object_set_new(x, "matched_name", json_string(e->names[m->name_index].text));
        json_object_set_new(x, "score", score_json(m->score));
        json_object_set_new(x, "programs", str_array(e->programs, e->n_programs));
        json_object_set_new(x, "explanation", explanation(m));
        if (flags & RF_JSON_RECORD) json_object_set_new(x, "record", entity_obj(e));
        json_array_append_new(arr, x);
    }
    json_object_set_new(o, "matches", arr);
    char *s = json_dumps(o, DUMP_FLAGS);
    json_decref(o);
    return s;
}

char *rf_error_json(const char *id, const char *msg) {
    /* the id and message may quote raw input: scrubbed copies, so the
     * error object always has both fields */
    char *sid = id ? strdup(id) : NULL, *smsg = strdup(msg ? msg : "");
    if ((id && !sid) || !smsg) {
        free(sid);
        free(smsg);
        return NULL;
    }
    if (sid) rf_utf8_scrub(sid);
    rf_utf8_scrub(smsg);
    json_t *o = json_object();
    json_object_set_new(o, "id", sid ? json_string(sid) : json_null());
    json_object_set_new(o, "error", json_string(smsg));
    free(sid);
    free(smsg);
    char *s = json_dumps(o, DUMP_FLAGS);
    json_decref(o);
    return s;
}
