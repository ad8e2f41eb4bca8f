/* Dataset diff: entities matched by id; each field compared as a set of
 * its values (order in the source does not matter, a duplicate does not
 * count twice). */
#include "redflag/diff.h"
#include "util/alloc.h"
#include "util/error.h"

#include <string.h>

static const char *const field_names[RF_FIELD_COUNT] = {
    "name",    "aliases",     "schema",        "programs",  "identifiers",
    "wallets", "birth_dates", "nationalities", "addresses", "links",
};

const char *rf_diff_field_name(unsigned bit) {
    for (unsigned i = 0; i < RF_FIELD_COUNT; i++)
        if (bit == 1u << i) return field_names[i];
    return "?";
}

static bool eq_str(const char *a, const char *b) {
    return !strcmp(a ? a : "", b ? b : "");
}

typedef bool (*eq_fn)(const void *a, const void *b);

/* Every element of a is in b and every one of b in a. */
static bool same_set(const void *a, size_t na, const void *b, size_t nb, size_t elem, eq_fn eq) {
    const char *pa = a, *pb = b;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < na; i++) {
            bool found = false;
            for (size_t j = 0; j < nb && !found; j++)
                found = eq(pa + i * elem, pb + j * elem);
            if (!found) return false;
        }
        const char *t = pa;
        pa = pb;
        pb = t;
        size_t tn = na;
        na = nb;
        nb = tn;
    }
    return true;
}

static bool eq_strp(const void *a, const void *b) {
    return eq_str(*(const char *const *)a, *(const char *const *)b);
}

static bool eq_name(const void *a, const void *b) {
    const rf_name *x = a, *y = b;
    return eq_str(x->text, y->text) && x->weak == y->weak;
}

static bool eq_id(const void *a, const void *b) {
    const rf_identifier *x = a, *y = b;
    return eq_str(x->type, y->type) && eq_str(x->number, y->number) &&
           eq_str(x->country, y->country);
}

static bool eq_wallet(const void *a, const void *b) {
    const rf_wallet *x = a, *y = b;
    return eq_str(x->currency, y->currency) && eq_str(x->address, y->address);
}

static bool eq_date(const void *a, const void *b) {
    const rf_date_range *x = a, *y = b;
    return x->from.year == y->from.year && x->from.month == y->from.month &&
           x->from.day == y->from.day && x->to.year == y->to.year && x->to.month == y->to.month &&
           x->to.day == y->to.day && x->circa == y->circa;
}

static bool eq_addr(const void *a, const void *b) {
    const rf_address *x = a, *y = b;
    return eq_str(x->street, y->street) && eq_str(x->city, y->city) &&
           eq_str(x->country, y->country) && eq_str(x->country_name, y->country_name);
}

static bool eq_link(const void *a, const void *b) {
    const rf_link *x = a, *y = b;
    return eq_str(x->relation, y->relation) && eq_str(x->name, y->name);
}

/* The links the entity's own record gives: a "linked_from" is another
 * entity's link seen from this side, so it changes with that entity. */
static bool own_link_in(const rf_link *l, const rf_entity *e) {
    for (size_t i = 0; i < e->n_links; i++)
        if (eq_link(l, &e->links[i])) return true;
    return false;
}

static bool same_links(const rf_entity *a, const rf_entity *b) {
    for (int pass = 0; pass < 2; pass++) {
        const rf_entity *x = pass ? b : a, *y = pass ? a : b;
        for (size_t i = 0; i < x->n_links; i++)
            if (strcmp(x->links[i].relation, "linked_from") != 0 && !own_link_in(&x->links[i], y))
                return false;
    }
    return true;
}

static unsigned changed_fields(const rf_entity *a, const rf_entity *b) {
    unsigned f = 0;
    if (!a->n_names || !b->n_names || !eq_str(a->names[0].text, b->names[0].text))
        f |= RF_FIELD_NAME;
    if (!same_set(a->names + (a->n_names > 0), a->n_names ? a->n_names - 1 : 0,
                  b->names + (b->n_names > 0), b->n_names ? b->n_names - 1 : 0, sizeof(rf_name),
                  eq_name))
        f |= RF_FIELD_ALIASES;
    if (a->schema != b->schema) f |= RF_FIELD_SCHEMA;
    if (!same_set(a->programs, a->n_programs, b->programs, b->n_programs, sizeof(char *), eq_strp))
        f |= RF_FIELD_PROGRAMS;
    if (!same_set(a->identifiers, a->n_identifiers, b->identifiers, b->n_identifiers,
                  sizeof(rf_identifier), eq_id))
        f |= RF_FIELD_IDENTIFIERS;
    if (!same_set(a->wallets, a->n_wallets, b->wallets, b->n_wallets, sizeof(rf_wallet), eq_wallet))
        f |= RF_FIELD_WALLETS;
    if (!same_set(a->birth_dates, a->n_birth_dates, b->birth_dates, b->n_birth_dates,
                  sizeof(rf_date_range), eq_date))
        f |= RF_FIELD_BIRTH_DATES;
    if (!same_set(a->nationalities, a->n_nationalities, b->nationalities, b->n_nationalities,
                  sizeof(char *), eq_strp) ||
        !same_set(a->citizenships, a->n_citizenships, b->citizenships, b->n_citizenships,
                  sizeof(char *), eq_strp))
        f |= RF_FIELD_NATIONALITIES;
    if (!same_set(a->addresses, a->n_addresses, b->addresses, b->n_addresses, sizeof(rf_address),
                  eq_addr))
        f |= RF_FIELD_ADDRESSES;
    if (!same_links(a, b)) f |= RF_FIELD_LINKS;
    return f;
}

static bool push(rf_diff *d, size_t *cap, rf_diff_item it) {
    if (d->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        rf_diff_item *v = rf_realloc(d->items, nc * sizeof *v);
        if (!v) return false;
        d->items = v;
        *cap = nc;
    }
    d->items[d->n++] = it;
    return true;
}

rf_status rf_dataset_diff(const rf_dataset *old_ds, const rf_dataset *new_ds, rf_diff *out,
                          rf_error *err) {
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < rf_dataset_count(old_ds); i++) {
        const rf_entity *a = rf_dataset_entity(old_ds, i);
        const rf_entity *b = rf_dataset_find(new_ds, a->id);
        if (!b) {
            ok = push(out, &cap, (rf_diff_item){RF_DIFF_REMOVED, a, NULL, 0});
            out->removed++;
            continue;
        }
        unsigned f = changed_fields(a, b);
        if (!f) continue;
        ok = push(out, &cap, (rf_diff_item){RF_DIFF_CHANGED, a, b, f});
        out->changed++;
    }
    for (size_t i = 0; ok && i < rf_dataset_count(new_ds); i++) {
        const rf_entity *b = rf_dataset_entity(new_ds, i);
        if (rf_dataset_find(old_ds, b->id)) continue;
        ok = push(out, &cap, (rf_diff_item){RF_DIFF_ADDED, NULL, b, 0});
        out->added++;
    }
    if (!ok) {
        rf_diff_free(out);
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    return RF_OK;
}

void rf_diff_free(rf_diff *d) {
    rf_free(d->items);
    memset(d, 0, sizeof *d);
}
