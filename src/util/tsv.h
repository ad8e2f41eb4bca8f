/* Reading the line-based resource tables: '#' starts a comment line, blank
 * lines are skipped, fields are separated by tabs. */
#ifndef RF_UTIL_TSV_H
#define RF_UTIL_TSV_H

#include <stdbool.h>
#include <stddef.h>

#define RF_TSV_MAX_FIELDS 8

typedef struct rf_tsv_row {
    const char *field[RF_TSV_MAX_FIELDS]; /* pointers into the caller's copy */
    size_t len[RF_TSV_MAX_FIELDS];
    size_t n;
    long line; /* 1-based */
} rf_tsv_row;

typedef struct rf_tsv {
    const char *p, *end;
    long line;
} rf_tsv;

void rf_tsv_init(rf_tsv *t, const char *data, size_t len);
/* Next data row; false at the end. Fields are not NUL-terminated. */
bool rf_tsv_next(rf_tsv *t, rf_tsv_row *row);

#endif
