/* The UK OFSI consolidated list spreadsheet (.xlsx: a zip of XML parts). */
#define FUZZ_FILE_NAME          "ConList.xlsx"
#define FUZZ_ADD(ds, path, err) rf_dataset_add_uk_xlsx(ds, "gb_ofsi", "UK", path, err)
#include "fuzz_list.h"
