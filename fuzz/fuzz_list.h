/* The body of the single-file list targets: the input is written to a
 * scratch file named FUZZ_FILE_NAME, added with FUZZ_ADD(ds, path, err),
 * and when it loads every entity is finished and written as JSON. */
#ifndef RF_FUZZ_LIST_H
#define RF_FUZZ_LIST_H

#include "fuzz_common.h"
#include "redflag/dataset.h"
#include "redflag/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = rf_fuzz_file(0, FUZZ_FILE_NAME, data, size);
    rf_dataset *ds;
    rf_error err;
    if (rf_dataset_new(NULL, &ds, &err) != RF_OK) abort();
    if (FUZZ_ADD(ds, path, &err) == RF_OK && rf_dataset_finish(ds, &err) == RF_OK) {
        for (size_t i = 0; i < rf_dataset_count(ds); i++)
            free(rf_entity_json(rf_dataset_entity(ds, i)));
    }
    rf_dataset_free(ds);
    return 0;
}

#endif
