/* OFAC remarks: "DOB 25 Apr 1965; POB North Pyongan Province, North Korea;
 * nationality Korea, North; Digital Currency Address - XBT 1D6g...;
 * a.k.a. 'LAB 110'." Each part is matched against the labels of
 * resources/ofac_remarks.tsv (longest first) and becomes a field of the
 * entity; a part no label matches is kept as property "remark". */
#include "lists/dataset_int.h"
#include "lists/dates.h"
#include "util/error.h"
#include "util/resource.h"
#include "util/str.h"
#include "util/tsv.h"

#include <stdlib.h>
#include <string.h>

typedef enum remark_kind {
    K_DOB,
    K_POB,
    K_NATIONALITY,
    K_CITIZENSHIP,
    K_GENDER,
    K_ALIAS,
    K_LINK,
    K_WALLET,
    K_EMAIL,
    K_WEBSITE,
    K_PHONE,
    K_INCORPORATED,
    K_TITLE,
    K_ID,
    K_PROPERTY,
} remark_kind;

static const char *const kind_names[] = {
    "dob",   "pob",     "nationality", "citizenship",  "gender", "alias", "link",     "wallet",
    "email", "website", "phone",       "incorporated", "title",  "id",    "property",
};

typedef struct remark_label {
    char *label;
    size_t len;
    remark_kind kind;
    char *arg;
} remark_label;

struct rf_remarks_table {
    remark_label *v;
    size_t n;
};

static int by_length_desc(const void *a, const void *b) {
    const remark_label *x = a, *y = b;
    return x->len < y->len ? 1 : x->len > y->len ? -1 : 0;
}

void rf_remarks_table_free(rf_remarks_table *t) {
    if (!t) return;
    for (size_t i = 0; i < t->n; i++) {
        rf_free(t->v[i].label);
        rf_free(t->v[i].arg);
    }
    rf_free(t->v);
    rf_free(t);
}

rf_status rf_remarks_table_new(rf_remarks_table **out, rf_error *err) {
    static const char *const file = "resources/ofac_remarks.tsv";
    *out = NULL;
    size_t len;
    const char *data = rf_resource("ofac_remarks.tsv", &len);
    if (!data) return rf_fail(err, RF_E_INTERNAL, file, 0, "resource is missing from the build");
    rf_remarks_table *t = rf_calloc(1, sizeof *t);
    if (!t) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    size_t cap = 0;
    rf_tsv tsv;
    rf_tsv_row row;
    rf_tsv_init(&tsv, data, len);
    while (rf_tsv_next(&tsv, &row)) {
        int kind = -1;
        for (size_t k = 0; row.n >= 2 && k < sizeof kind_names / sizeof kind_names[0]; k++)
            if (rf_eq(row.field[1], row.len[1], kind_names[k])) kind = (int)k;
        bool needs_arg = kind == K_ALIAS || kind == K_LINK || kind == K_ID || kind == K_PROPERTY;
        if (kind < 0 || row.len[0] == 0 || (needs_arg && row.n < 3)) {
            rf_remarks_table_free(t);
            return rf_fail(err, RF_E_PARSE, file, row.line,
                           "expected 'label<TAB>kind[<TAB>arg]' with a known kind");
        }
        void *p = t->v;
        if (rf_grow(&p, &cap, t->n + 1, sizeof *t->v) != 0) {
            rf_remarks_table_free(t);
            return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        }
        t->v = p;
        remark_label *l = &t->v[t->n++];
        l->label = rf_strndup(row.field[0], row.len[0]);
        l->len = row.len[0];
        l->kind = (remark_kind)kind;
        l->arg = row.n >= 3 ? rf_strndup(row.field[2], row.len[2]) : rf_strdup("");
        if (!l->label || !l->arg) {
            rf_remarks_table_free(t);
            return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        }
    }
    qsort(t->v, t->n, sizeof *t->v, by_length_desc);
    *out = t;
    return RF_OK;
}

/* The label matching the start of a part: followed by a space, a colon or
 * the end, so "Passport" does not match "PassportX". */
static const remark_label *match_label(const rf_remarks_table *t, const char *s, size_t n) {
    for (size_t i = 0; i < t->n; i++) {
        const remark_label *l = &t->v[i];
        if (l->len > n || memcmp(s, l->label, l->len) != 0) continue;
        if (l->len == n || s[l->len] == ' ' || s[l->len] == ':' || l->label[l->len - 1] == ':' ||
            l->label[l->len - 1] == '-')
            return l;
    }
    return NULL;
}

static const char *find(const char *s, size_t n, const char *needle) {
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0) return s + i;
    return NULL;
}

/* "109420132 (Korea, North) issued 16 Oct 2019 expires 16 Oct 2024" */
static bool add_id(rf_dataset *ds, rf_draft *d, const remark_label *l, const char *v, size_t n) {
    const char *cut = NULL;
    static const char *const tails[] = {" issued", " expires", ", expired", ", Issue Date"};
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        const char *p = find(v, n, tails[i]);
        if (p && (!cut || p < cut)) cut = p;
    }
    size_t main_len = cut ? (size_t)(cut - v) : n;
    const char *note = cut ? cut : "";
    size_t note_len = cut ? n - main_len : 0;
    rf_trim(&note, &note_len);
    if (note_len && note[0] == ',') note++, note_len--;
    rf_trim(&v, &main_len);
    const char *code = NULL;
    if (main_len && v[main_len - 1] == ')') {
        const char *open = NULL;
        for (size_t i = main_len; i-- > 0;)
            if (v[i] == '(') {
                open = v + i;
                break;
            }
        if (open) {
            code = rf_ds_country(ds, open + 1, (size_t)(v + main_len - 1 - (open + 1)));
            if (code) main_len = (size_t)(open - v);
        }
    }
    rf_trim(&v, &main_len);
    const char *number = rf_ds_str(ds, v, main_len);
    const char *note_s = rf_ds_str(ds, note, note_len);
    if (!number || !note_s) return false;
    rf_identifier id = {l->arg, l->label, number, code ? code : "", note_s};
    return rf_draft_add_identifier(ds, d, &id);
}

/* a.k.a. 'LAB 110' -> LAB 110 (first to last quote; names may hold ') */
static void unquote(const char **v, size_t *n) {
    if (*n >= 2 && (*v)[0] == '\'') {
        size_t last = *n - 1;
        while (last > 0 && (*v)[last] != '\'')
            last--;
        if (last > 0) {
            (*v)++;
            *n = last - 1;
        }
    }
}

static bool apply(rf_dataset *ds, rf_draft *d, const remark_label *l, const char *v, size_t n,
                  const char *file, long line) {
    bool known = true;
    rf_date_range r;
    switch (l->kind) {
    case K_DOB:
        if (rf_date_parse_ofac(v, n, &r)) return rf_draft_add_birth_date(d, &r);
        rf_ds_warn(ds, d->list, file, line, "%s: unreadable DOB '%.*s' kept as text", d->e.id,
                   (int)n, v);
        return rf_draft_add_property(ds, d, "dob", v, n);
    case K_INCORPORATED:
        if (rf_date_parse_ofac(v, n, &r)) return rf_draft_add_incorporation_date(d, &r);
        return rf_draft_add_property(ds, d, "incorporation_date", v, n);
    case K_POB:
        return rf_draft_add_birth_place(ds, d, v, n);
    case K_NATIONALITY:
    case K_CITIZENSHIP: {
        bool ok = l->kind == K_NATIONALITY ? rf_draft_add_nationality(ds, d, v, n, &known)
                                           : rf_draft_add_citizenship(ds, d, v, n, &known);
        if (ok && !known) {
            rf_ds_warn(ds, d->list, file, line, "%s: unknown country '%.*s' kept as text", d->e.id,
                       (int)n, v);
            return rf_draft_add_property(ds, d, kind_names[l->kind], v, n);
        }
        return ok;
    }
    case K_GENDER:
        if (rf_ieq(v, n, "male"))
            d->e.gender = "male";
        else if (rf_ieq(v, n, "female"))
            d->e.gender = "female";
        else
            return rf_draft_add_property(ds, d, "gender", v, n);
        return true;
    case K_ALIAS: {
        unquote(&v, &n);
        rf_name_kind k = !strcmp(l->arg, "fka")   ? RF_NAME_FKA
                         : !strcmp(l->arg, "nka") ? RF_NAME_NKA
                         : !strcmp(l->arg, "dba") ? RF_NAME_DBA
                                                  : RF_NAME_AKA;
        return rf_draft_add_name(ds, d, v, n, k, true);
    }
    case K_LINK:
        return rf_draft_add_link(ds, d, l->arg, v, n);
    case K_WALLET: {
        size_t i = 0;
        while (i < n && v[i] != ' ')
            i++;
        return rf_draft_add_wallet(ds, d, v, i, v + i, n - i);
    }
    case K_EMAIL:
        return rf_draft_add_email(ds, d, v, n);
    case K_WEBSITE:
        return rf_draft_add_website(ds, d, v, n);
    case K_PHONE:
        return rf_draft_add_phone(ds, d, v, n);
    case K_TITLE:
        if (!*d->e.title) return (d->e.title = rf_ds_str(ds, v, n)) != NULL;
        return rf_draft_add_property(ds, d, "title", v, n);
    case K_ID:
        return add_id(ds, d, l, v, n);
    case K_PROPERTY:
        return rf_draft_add_property(ds, d, l->arg, v, n);
    }
    return true;
}

bool rf_ofac_parse_remarks(rf_dataset *ds, rf_draft *d, const char *remarks, size_t n,
                           const char *file, long line) {
    const rf_remarks_table *t = ds->remarks;
    rf_trim(&remarks, &n);
    if (n && remarks[n - 1] == '.') n--;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && remarks[j] != ';')
            j++;
        const char *part = remarks + i;
        size_t len = j - i;
        i = j + 1;
        rf_trim(&part, &len);
        if (len == 0) continue;
        const char *p = part;
        size_t pl = len;
        if (rf_starts_with(p, pl, "alt. ")) p += 5, pl -= 5;
        const remark_label *l = match_label(t, p, pl);
        if (!l) {
            if (!rf_draft_add_property(ds, d, "remark", part, len)) return false;
            continue;
        }
        const char *v = p + l->len;
        size_t vl = pl - l->len;
        while (vl && (*v == ' ' || *v == ':'))
            v++, vl--;
        rf_trim(&v, &vl);
        if (vl && v[vl - 1] == '.' && l->kind != K_ALIAS && l->kind != K_ID) vl--;
        if (!apply(ds, d, l, v, vl, file, line)) return false;
    }
    return true;
}
