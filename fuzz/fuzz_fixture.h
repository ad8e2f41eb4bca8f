/* A small dataset and matcher for the targets that screen (queries, HTTP,
 * index): the OFAC rows of tests/fixtures/ofac, loaded once per process. */
#ifndef RF_FUZZ_FIXTURE_H
#define RF_FUZZ_FIXTURE_H

#include "redflag/dataset.h"
#include "redflag/match.h"

#include <stdio.h>
#include <stdlib.h>

static rf_dataset *rf_fuzz_ds;
static rf_matcher *rf_fuzz_m;

static void rf_fuzz_fixture_free(void) {
    rf_matcher_free(rf_fuzz_m);
    rf_dataset_free(rf_fuzz_ds);
}

static inline void rf_fuzz_fixture(void) {
    if (rf_fuzz_m) return;
    rf_error err;
    rf_ofac_files f = {RF_FUZZ_FIXTURES "/ofac/sdn.csv", RF_FUZZ_FIXTURES "/ofac/add.csv",
                       RF_FUZZ_FIXTURES "/ofac/alt.csv", NULL};
    if (rf_dataset_new(NULL, &rf_fuzz_ds, &err) != RF_OK ||
        rf_dataset_add_ofac_csv(rf_fuzz_ds, "us_ofac_sdn", "SDN", &f, &err) != RF_OK ||
        rf_dataset_finish(rf_fuzz_ds, &err) != RF_OK ||
        rf_matcher_new(rf_fuzz_ds, &rf_fuzz_m, &err) != RF_OK) {
        fprintf(stderr, "fuzz: loading the fixture: %s\n", err.msg);
        abort();
    }
    atexit(rf_fuzz_fixture_free);
}

#endif
