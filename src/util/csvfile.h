/* A whole CSV file with a header row, read with libcsv into memory:
 * rows of fields looked up by column name. For evaluation sets and other
 * small tables, not for streaming. */
#ifndef RF_UTIL_CSVFILE_H
#define RF_UTIL_CSVFILE_H

#include "redflag/status.h"

#include <stddef.h>

typedef struct rf_csvfile {
    char **cells;  /* rows * cols, each NUL-terminated ("" when missing) */
    char **header; /* cols names */
    size_t rows, cols;
} rf_csvfile;

rf_status rf_csvfile_read(const char *path, rf_csvfile *out, rf_error *err);
/* The same from bytes in memory (path names them in errors). */
rf_status rf_csvfile_parse(const char *data, size_t len, const char *path, rf_csvfile *out,
                           rf_error *err);
void rf_csvfile_free(rf_csvfile *f);
/* Column index of a header name, or -1. */
int rf_csvfile_col(const rf_csvfile *f, const char *name);
/* The cell (never NULL; "" for col < 0). */
const char *rf_csvfile_get(const rf_csvfile *f, size_t row, int col);

#endif
