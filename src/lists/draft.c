/* Entity drafts: parsers add names, dates, documents... one by one while a
 * list loads (OFAC spreads an entity over four files). Values are trimmed,
 * copied into the dataset arena and kept once. */
#include "lists/dataset_int.h"
#include "redflag/limits.h"
#include "util/str.h"

#include <string.h>

const char *rf_ds_str(rf_dataset *ds, const char *s, size_t n) {
    if (!s) return "";
    rf_trim(&s, &n);
    if (n == 0) return "";
    return rf_arena_strndup(&ds->arena, s, n);
}

const char *rf_ds_cstr(rf_dataset *ds, const char *s) {
    return rf_ds_str(ds, s, s ? strlen(s) : 0);
}

const char *rf_ds_country(rf_dataset *ds, const char *s, size_t n) {
    rf_trim(&s, &n);
    return n ? rf_countries_code(ds->countries, s, n) : NULL;
}

static bool has_str(const char *const *v, size_t n, const char *s, size_t len) {
    for (size_t i = 0; i < n; i++)
        if (strlen(v[i]) == len && memcmp(v[i], s, len) == 0) return true;
    return false;
}

/* Trims; false in *skip when empty or already present. */
#define STR_LIST_ADD(ds, vec, s, n)                                                                \
    do {                                                                                           \
        rf_trim(&(s), &(n));                                                                       \
        if ((n) == 0 || has_str((vec).v, (vec).n, (s), (n))) return true;                          \
        const char *copy_ = rf_ds_str((ds), (s), (n));                                             \
        if (!copy_) return false;                                                                  \
        bool ok_;                                                                                  \
        RF_VEC_PUSH((vec), copy_, ok_);                                                            \
        return ok_;                                                                                \
    } while (0)

/* The file a draft's record is being read from (the list's latest), for
 * the limit warnings. */
static const char *draft_file(const rf_dataset *ds, const rf_draft *d) {
    const rf_list_rec *l = &ds->lists.v[d->list];
    return l->files.n ? l->files.v[l->files.n - 1].path : l->info.id;
}

bool rf_draft_add_name(rf_dataset *ds, rf_draft *d, const char *text, size_t n, rf_name_kind kind,
                       bool weak) {
    rf_trim(&text, &n);
    if (n == 0) return true;
    if (n > RF_LIMIT_NAME_BYTES) {
        rf_ds_warn(ds, d->list, draft_file(ds, d), 0,
                   "entity %s: a name of %zu bytes is longer than %d (limit): skipped",
                   d->e.source_id, n, RF_LIMIT_NAME_BYTES);
        return true;
    }
    for (size_t i = 0; i < d->names.n; i++) {
        rf_name *o = &d->names.v[i];
        if (strlen(o->text) == n && memcmp(o->text, text, n) == 0) {
            if (o->weak && !weak) o->weak = false; /* a strong source wins */
            return true;
        }
    }
    if (d->names.n >= RF_LIMIT_NAMES_PER_ENTITY) {
        if (!d->names_capped)
            rf_ds_warn(ds, d->list, draft_file(ds, d), 0,
                       "entity %s: more than %d names (limit): the others are skipped",
                       d->e.source_id, RF_LIMIT_NAMES_PER_ENTITY);
        d->names_capped = true;
        return true;
    }
    rf_name nm = {rf_ds_str(ds, text, n), kind, weak};
    if (!nm.text) return false;
    bool ok;
    RF_VEC_PUSH(d->names, nm, ok);
    return ok;
}

bool rf_draft_add_program(rf_dataset *ds, rf_draft *d, const char *s, size_t n) {
    STR_LIST_ADD(ds, d->programs, s, n);
}

static bool same_range(const rf_date_range *a, const rf_date_range *b) {
    return memcmp(&a->from, &b->from, sizeof a->from) == 0 &&
           memcmp(&a->to, &b->to, sizeof a->to) == 0 && a->circa == b->circa;
}

bool rf_draft_add_birth_date(rf_draft *d, const rf_date_range *r) {
    for (size_t i = 0; i < d->birth_dates.n; i++)
        if (same_range(&d->birth_dates.v[i], r)) return true;
    bool ok;
    RF_VEC_PUSH(d->birth_dates, *r, ok);
    return ok;
}

bool rf_draft_add_incorporation_date(rf_draft *d, const rf_date_range *r) {
    for (size_t i = 0; i < d->incorporation_dates.n; i++)
        if (same_range(&d->incorporation_dates.v[i], r)) return true;
    bool ok;
    RF_VEC_PUSH(d->incorporation_dates, *r, ok);
    return ok;
}

bool rf_draft_add_birth_place(rf_dataset *ds, rf_draft *d, const char *s, size_t n) {
    STR_LIST_ADD(ds, d->birth_places, s, n);
}

static bool add_country(rf_dataset *ds, rf_strvec *vec, const char *s, size_t n, bool *known) {
    const char *code = rf_ds_country(ds, s, n);
    *known = code != NULL;
    if (!code || has_str(vec->v, vec->n, code, strlen(code))) return true;
    bool ok;
    RF_VEC_PUSH(*vec, code, ok);
    return ok;
}

bool rf_draft_add_nationality(rf_dataset *ds, rf_draft *d, const char *s, size_t n, bool *known) {
    return add_country(ds, &d->nationalities, s, n, known);
}

bool rf_draft_add_citizenship(rf_dataset *ds, rf_draft *d, const char *s, size_t n, bool *known) {
    return add_country(ds, &d->citizenships, s, n, known);
}

bool rf_draft_add_address(rf_dataset *ds, rf_draft *d, const rf_address *a) {
    rf_address c = {rf_ds_cstr(ds, a->street), rf_ds_cstr(ds, a->city),
                    a->country ? a->country : "", rf_ds_cstr(ds, a->country_name),
                    rf_ds_cstr(ds, a->note)};
    if (!c.street || !c.city || !c.country_name || !c.note) return false;
    if (!*c.street && !*c.city && !*c.country && !*c.country_name && !*c.note) return true;
    bool ok;
    RF_VEC_PUSH(d->addresses, c, ok);
    return ok;
}

bool rf_draft_add_identifier(rf_dataset *ds, rf_draft *d, const rf_identifier *id) {
    rf_identifier c = {rf_ds_cstr(ds, id->type), rf_ds_cstr(ds, id->label),
                       rf_ds_cstr(ds, id->number), id->country ? id->country : "",
                       rf_ds_cstr(ds, id->note)};
    if (!c.type || !c.label || !c.number || !c.note) return false;
    if (!*c.number) return true;
    for (size_t i = 0; i < d->identifiers.n; i++) {
        rf_identifier *o = &d->identifiers.v[i];
        if (!strcmp(o->type, c.type) && !strcmp(o->number, c.number) &&
            !strcmp(o->country, c.country))
            return true;
    }
    bool ok;
    RF_VEC_PUSH(d->identifiers, c, ok);
    return ok;
}

bool rf_draft_add_wallet(rf_dataset *ds, rf_draft *d, const char *currency, size_t cn,
                         const char *address, size_t an) {
    rf_trim(&address, &an);
    if (an == 0) return true;
    rf_wallet w = {rf_ds_str(ds, currency, cn), rf_ds_str(ds, address, an)};
    if (!w.currency || !w.address) return false;
    for (size_t i = 0; i < d->wallets.n; i++)
        if (!strcmp(d->wallets.v[i].currency, w.currency) &&
            !strcmp(d->wallets.v[i].address, w.address))
            return true;
    bool ok;
    RF_VEC_PUSH(d->wallets, w, ok);
    return ok;
}

bool rf_draft_add_email(rf_dataset *ds, rf_draft *d, const char *s, size_t n) {
    STR_LIST_ADD(ds, d->emails, s, n);
}

bool rf_draft_add_website(rf_dataset *ds, rf_draft *d, const char *s, size_t n) {
    STR_LIST_ADD(ds, d->websites, s, n);
}

bool rf_draft_add_phone(rf_dataset *ds, rf_draft *d, const char *s, size_t n) {
    STR_LIST_ADD(ds, d->phones, s, n);
}

bool rf_draft_add_link(rf_dataset *ds, rf_draft *d, const char *relation, const char *name,
                       size_t n) {
    return rf_draft_add_link_to(ds, d, relation, name, n, NULL, -1);
}

bool rf_draft_add_link_to(rf_dataset *ds, rf_draft *d, const char *relation, const char *name,
                          size_t n, const char *entity, double share) {
    rf_trim(&name, &n);
    if (n == 0) return true;
    rf_link l = {rf_ds_cstr(ds, relation), rf_ds_str(ds, name, n), rf_ds_cstr(ds, entity), share};
    if (!l.relation || !l.name || !l.entity) return false;
    bool ok;
    RF_VEC_PUSH(d->links, l, ok);
    return ok;
}

bool rf_draft_add_property(rf_dataset *ds, rf_draft *d, const char *key, const char *value,
                           size_t n) {
    rf_trim(&value, &n);
    if (n == 0) return true;
    rf_property p = {rf_ds_cstr(ds, key), rf_ds_str(ds, value, n)};
    if (!p.key || !p.value) return false;
    bool ok;
    RF_VEC_PUSH(d->properties, p, ok);
    return ok;
}
