/* Internals shared by the dataset and the list parsers: entity drafts that
 * parsers fill, and the dataset they are added to. Parsers only see drafts
 * through the rf_draft_* functions; rf_dataset_finish() freezes them into
 * rf_entity records in the dataset's arena. */
#ifndef RF_LISTS_DATASET_INT_H
#define RF_LISTS_DATASET_INT_H

#include "lists/countries.h"
#include "redflag/dataset.h"
#include "util/arena.h"
#include "util/strmap.h"
#include "util/vec.h"

#include <stdarg.h>

typedef struct rf_remarks_table rf_remarks_table;

typedef RF_VEC(const char *) rf_strvec;

typedef struct rf_draft {
    rf_entity e;       /* scalar fields; arrays are filled at freeze */
    size_t list;       /* index into the dataset's lists */
    long line;         /* line of the source record, for warnings */
    bool names_capped; /* RF_LIMIT_NAMES_PER_ENTITY reached (warned once) */
    RF_VEC(rf_name) names;
    rf_strvec programs;
    RF_VEC(rf_date_range) birth_dates;
    rf_strvec birth_places;
    rf_strvec nationalities;
    rf_strvec citizenships;
    RF_VEC(rf_address) addresses;
    RF_VEC(rf_identifier) identifiers;
    RF_VEC(rf_wallet) wallets;
    rf_strvec emails;
    rf_strvec websites;
    rf_strvec phones;
    RF_VEC(rf_link) links;
    RF_VEC(rf_date_range) incorporation_dates;
    RF_VEC(rf_property) properties;
} rf_draft;

typedef struct rf_list_rec {
    rf_list_info info;
    RF_VEC(rf_source_file) files;
    rf_strmap by_source_id; /* source id -> draft index, while loading */
} rf_list_rec;

struct rf_dataset {
    rf_arena arena;
    rf_load_options opts;
    rf_countries *countries;
    rf_remarks_table *remarks;
    RF_VEC(rf_list_rec) lists;
    RF_VEC(rf_draft *) drafts;
    rf_entity *entities; /* after finish */
    size_t n_entities;
    rf_strmap by_id; /* entity id -> index, after finish */
    bool finished;
};

/* Copies a string into the dataset's arena ("" for NULL). NULL on OOM. */
const char *rf_ds_str(rf_dataset *ds, const char *s, size_t n);
const char *rf_ds_cstr(rf_dataset *ds, const char *s);

/* Starts a list; *list_idx gets its index. */
rf_status rf_ds_begin_list(rf_dataset *ds, const char *id, const char *title, const char *format,
                           size_t *list_idx, rf_error *err);
/* Records a source file read for the list (hashes the bytes). */
rf_status rf_ds_add_file(rf_dataset *ds, size_t list_idx, const char *role, const char *path,
                         const char *data, size_t len, rf_error *err);
/* A new draft in the list with that source id; NULL on OOM. *dup is set when
 * the id already exists in the list (the existing draft is returned). */
rf_draft *rf_ds_new_draft(rf_dataset *ds, size_t list_idx, const char *source_id, size_t n,
                          bool *dup);
/* A draft not yet in the dataset (for parsers that learn the source id
 * late); commit it with rf_ds_commit_draft() or free it with
 * rf_ds_discard_draft(). NULL on OOM. */
rf_draft *rf_ds_alloc_draft(rf_dataset *ds, size_t list_idx);
/* Gives the draft its source id and adds it to the dataset. Returns false on
 * OOM (the draft is then freed) or sets *dup and frees the draft when the id
 * is taken. */
bool rf_ds_commit_draft(rf_dataset *ds, rf_draft *d, const char *source_id, size_t n, bool *dup);
void rf_ds_discard_draft(rf_draft *d);
/* The draft with that source id in the list, or NULL. */
rf_draft *rf_ds_find_draft(rf_dataset *ds, size_t list_idx, const char *source_id, size_t n);
/* Reports a skipped record or ignored field and counts it for the list. */
void rf_ds_warn(rf_dataset *ds, size_t list_idx, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Draft setters. Strings are copied; return false only when out of memory.
 * Empty values are ignored; exact duplicates are kept once. */
bool rf_draft_add_name(rf_dataset *ds, rf_draft *d, const char *text, size_t n, rf_name_kind kind,
                       bool weak);
bool rf_draft_add_program(rf_dataset *ds, rf_draft *d, const char *s, size_t n);
bool rf_draft_add_birth_date(rf_draft *d, const rf_date_range *r);
bool rf_draft_add_incorporation_date(rf_draft *d, const rf_date_range *r);
bool rf_draft_add_birth_place(rf_dataset *ds, rf_draft *d, const char *s, size_t n);
/* Country name or code; unknown names are reported by the caller. Returns
 * false on OOM; *known tells whether the name was recognised. */
bool rf_draft_add_nationality(rf_dataset *ds, rf_draft *d, const char *s, size_t n, bool *known);
bool rf_draft_add_citizenship(rf_dataset *ds, rf_draft *d, const char *s, size_t n, bool *known);
bool rf_draft_add_address(rf_dataset *ds, rf_draft *d, const rf_address *a);
bool rf_draft_add_identifier(rf_dataset *ds, rf_draft *d, const rf_identifier *id);
bool rf_draft_add_wallet(rf_dataset *ds, rf_draft *d, const char *currency, size_t cn,
                         const char *address, size_t an);
bool rf_draft_add_email(rf_dataset *ds, rf_draft *d, const char *s, size_t n);
bool rf_draft_add_website(rf_dataset *ds, rf_draft *d, const char *s, size_t n);
bool rf_draft_add_phone(rf_dataset *ds, rf_draft *d, const char *s, size_t n);
bool rf_draft_add_link(rf_dataset *ds, rf_draft *d, const char *relation, const char *name,
                       size_t n);
/* A link whose party is known: entity is its id (NULL: resolved by name when
 * the dataset is finished), share the percentage owned (-1 unknown). */
bool rf_draft_add_link_to(rf_dataset *ds, rf_draft *d, const char *relation, const char *name,
                          size_t n, const char *entity, double share);
bool rf_draft_add_property(rf_dataset *ds, rf_draft *d, const char *key, const char *value,
                           size_t n);

/* OFAC remarks: parse "part; part; ..." into the draft (lists/ofac_remarks.c). */
rf_status rf_remarks_table_new(rf_remarks_table **out, rf_error *err);
void rf_remarks_table_free(rf_remarks_table *t);
/* Unparsed parts are kept as property "remark". Returns false on OOM. */
bool rf_ofac_parse_remarks(rf_dataset *ds, rf_draft *d, const char *remarks, size_t n,
                           const char *file, long line);

/* Loading one entry of sources.json (a jansson object): paths come from
 * its "files", or from ov for the roles ov names (an update's downloads). */
typedef struct rf_source_paths {
    const char *role[4];
    const char *path[4];
    size_t n;
} rf_source_paths;
struct json_t;
rf_status rf_source_add(rf_dataset *ds, const char *dir, const char *sources, int idx,
                        struct json_t *src, const rf_source_paths *ov, rf_error *err);
/* The file roles of a format (NULL-ended, at most 4; the first required),
 * or NULL for an unknown format. */
const char *const *rf_source_roles(const char *format);

/* Country code for a name or code, or NULL (static storage). */
const char *rf_ds_country(rf_dataset *ds, const char *s, size_t n);

#endif
