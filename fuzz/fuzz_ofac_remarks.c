/* The OFAC remarks parser ("DOB 1 Jan 1960; Passport 123 (Iran); ..."),
 * called directly on a draft entity. */
#include "fuzz_common.h"
#include "lists/dataset_int.h"
#include "redflag/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rf_dataset *ds;
    rf_error err;
    size_t list;
    if (rf_dataset_new(NULL, &ds, &err) != RF_OK) abort();
    if (rf_ds_begin_list(ds, "us_ofac_sdn", "SDN", "ofac_csv", &list, &err) != RF_OK) abort();
    bool dup;
    rf_draft *d = rf_ds_new_draft(ds, list, "1", 1, &dup);
    if (!d) abort();
    d->e.schema = RF_SCHEMA_PERSON;
    if (!rf_draft_add_name(ds, d, "FUZZ NAME", 9, RF_NAME_PRIMARY, false)) abort();
    rf_ofac_parse_remarks(ds, d, (const char *)data, size, "fuzz", 1);
    if (rf_dataset_finish(ds, &err) == RF_OK && rf_dataset_count(ds))
        free(rf_entity_json(rf_dataset_entity(ds, 0)));
    rf_dataset_free(ds);
    return 0;
}
