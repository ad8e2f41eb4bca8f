/* The OFAC remarks parser ("DOB 1 Jan 1960; Passport 123 (Iran); ..."),
 * called directly on a draft entity. The dataset (its remarks and country
 * tables take a while to build) is kept for 256 inputs, each on a draft of
 * its own that is then discarded; fuzz_ofac_csv covers remarks through to
 * the finished entity. */
#include "fuzz_common.h"
#include "lists/dataset_int.h"

static rf_dataset *ds;
static size_t list, uses;

static void free_ds(void) {
    rf_dataset_free(ds);
    ds = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rf_error err;
    if (ds && ++uses >= 256) free_ds();
    if (!ds) {
        if (rf_dataset_new(NULL, &ds, &err) != RF_OK) abort();
        if (rf_ds_begin_list(ds, "us_ofac_sdn", "SDN", "ofac_csv", &list, &err) != RF_OK) abort();
        static bool registered;
        if (!registered) {
            atexit(free_ds);
            registered = true;
        }
        uses = 0;
    }
    rf_draft *d = rf_ds_alloc_draft(ds, list);
    if (!d) abort();
    d->e.schema = size && data[0] & 1 ? RF_SCHEMA_PERSON : RF_SCHEMA_ORGANIZATION;
    if (!rf_draft_add_name(ds, d, "FUZZ NAME", 9, RF_NAME_PRIMARY, false)) abort();
    rf_ofac_parse_remarks(ds, d, (const char *)data, size, "fuzz", 1);
    rf_ds_discard_draft(d);
    return 0;
}
