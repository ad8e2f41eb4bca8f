/* Updating a data folder from the publishers: each source of sources.json
 * with "urls" (one per file role) is downloaded next to its files, parsed in
 * full, checked against the list it replaces (not shrinking by more than a
 * set fraction unless forced), then swapped in (fsync, rename). A failed,
 * truncated, hung or unparsable download never replaces the files in use. */
#ifndef REDFLAG_UPDATE_H
#define REDFLAG_UPDATE_H

#include "redflag/status.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rf_update_options {
    const char *source; /* the list id to update; NULL: every source with urls */
    bool force;         /* accept a list that shrank more than max_shrink */
    double max_shrink;  /* largest accepted drop in entities (default 0.10) */
    long timeout_s;     /* per file, whole transfer (default 300) */
} rf_update_options;

void rf_update_options_init(rf_update_options *o);

typedef enum rf_update_state {
    RF_UPDATE_UPDATED, /* new files in place */
    RF_UPDATE_FAILED,  /* nothing replaced; message says why */
    RF_UPDATE_SKIPPED, /* no download address configured */
} rf_update_state;

typedef struct rf_update_result {
    char list[64];
    rf_update_state state;
    size_t entities_before, entities_after;
    char message[640];
} rf_update_result;

/* Updates data_dir. *results (free() it) gets one entry per source looked
 * at. Returns RF_OK when none failed, else the first failure's status (err
 * says which list and why); the other sources are still tried. */
rf_status rf_data_update(const char *data_dir, const rf_update_options *o,
                         rf_update_result **results, size_t *n, rf_error *err);

#ifdef __cplusplus
}
#endif

#endif
