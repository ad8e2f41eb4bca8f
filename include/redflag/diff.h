/* What changed between two versions of the lists: entities added, removed,
 * and changed (which fields), matched by entity id ("us_ofac_sdn:48260").
 * Fields compare as sets, so a reordered alias list is no change. */
#ifndef REDFLAG_DIFF_H
#define REDFLAG_DIFF_H

#include "redflag/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rf_diff_kind { RF_DIFF_ADDED, RF_DIFF_REMOVED, RF_DIFF_CHANGED } rf_diff_kind;

/* The fields of a changed entity, as bits. */
enum {
    RF_FIELD_NAME = 1 << 0,        /* the primary name */
    RF_FIELD_ALIASES = 1 << 1,     /* other names, with their strength */
    RF_FIELD_SCHEMA = 1 << 2,      /* person, organization, vessel, aircraft */
    RF_FIELD_PROGRAMS = 1 << 3,    /* sanctions programs or regimes */
    RF_FIELD_IDENTIFIERS = 1 << 4, /* documents: type, number, country */
    RF_FIELD_WALLETS = 1 << 5,     /* crypto addresses */
    RF_FIELD_BIRTH_DATES = 1 << 6,
    RF_FIELD_NATIONALITIES = 1 << 7, /* nationalities and citizenships */
    RF_FIELD_ADDRESSES = 1 << 8,
    RF_FIELD_LINKS = 1 << 9, /* linked parties */
    RF_FIELD_COUNT = 10
};

/* The JSON and text name of one field bit ("aliases"). */
const char *rf_diff_field_name(unsigned bit);

typedef struct rf_diff_item {
    rf_diff_kind kind;
    const rf_entity *old_entity; /* NULL when added */
    const rf_entity *new_entity; /* NULL when removed */
    unsigned fields;             /* RF_FIELD_* bits, when changed */
} rf_diff_item;

typedef struct rf_diff {
    rf_diff_item *items; /* removed and changed in the old version's order,
                            then added in the new one's */
    size_t n;
    size_t added, removed, changed;
} rf_diff;

/* Compares two datasets; the items point into them (keep both alive). */
rf_status rf_dataset_diff(const rf_dataset *old_ds, const rf_dataset *new_ds, rf_diff *out,
                          rf_error *err);
void rf_diff_free(rf_diff *d);

#ifdef __cplusplus
}
#endif

#endif
