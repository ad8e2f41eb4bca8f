/* The OFAC legacy CSV parser: the input is up to four files (primary,
 * address, alias, comments) joined by "\n====\n" lines. */
#include "fuzz_common.h"
#include "redflag/dataset.h"
#include "redflag/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *part[4];
    size_t len[4];
    size_t n = rf_fuzz_split(data, size, part, len, 4);
    static const char *names[4] = {"sdn.csv", "add.csv", "alt.csv", "comments.csv"};
    const char *path[4] = {NULL, NULL, NULL, NULL};
    for (size_t i = 0; i < n; i++)
        path[i] = rf_fuzz_file((int)i, names[i], part[i], len[i]);
    rf_ofac_files files = {path[0], path[1], path[2], path[3]};
    rf_dataset *ds;
    rf_error err;
    if (rf_dataset_new(NULL, &ds, &err) != RF_OK) abort();
    if (rf_dataset_add_ofac_csv(ds, "us_ofac_sdn", "SDN", &files, &err) == RF_OK &&
        rf_dataset_finish(ds, &err) == RF_OK) {
        for (size_t i = 0; i < rf_dataset_count(ds); i++)
            free(rf_entity_json(rf_dataset_entity(ds, i)));
    }
    rf_dataset_free(ds);
    return 0;
}
