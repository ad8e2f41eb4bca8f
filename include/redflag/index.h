/* The compiled index: the loaded lists and everything matching needs,
 * written once to a file and mapped read-only by every process that
 * screens, so start-up takes milliseconds and the page cache is shared.
 *
 * The file carries a magic number, a format version, its build time and
 * the sha256 of every source file; a truncated, foreign, corrupted or
 * older-format file is refused with a message saying which. */
#ifndef REDFLAG_INDEX_H
#define REDFLAG_INDEX_H

#include "redflag/match.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RF_INDEX_FORMAT_VERSION 5

typedef struct rf_index rf_index;

/* Writes the dataset and matcher to path (a temporary file renamed into
 * place, so a failed write never replaces a good index). */
rf_status rf_index_write(const rf_matcher *m, const char *path, rf_error *err);

/* Maps an index file. Caller closes it with rf_index_close(). */
rf_status rf_index_open(const char *path, rf_index **out, rf_error *err);
void rf_index_close(rf_index *ix);

/* The dataset and matcher of an open index, valid until it is closed. */
const rf_dataset *rf_index_dataset(const rf_index *ix);
const rf_matcher *rf_index_matcher(const rf_index *ix);
/* Seconds since the epoch when the index was built. */
long long rf_index_built(const rf_index *ix);
/* Size of the file in bytes. */
long long rf_index_size(const rf_index *ix);

#ifdef __cplusplus
}
#endif
#endif
