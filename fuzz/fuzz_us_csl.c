/* The US Consolidated Screening List CSV (plain or gzipped). */
#define FUZZ_FILE_NAME          "consolidated.csv"
#define FUZZ_ADD(ds, path, err) rf_dataset_add_us_csl(ds, "us_csl", "CSL", path, err)
#include "fuzz_list.h"
