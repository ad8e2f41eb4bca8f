/* OFAC's Enhanced XML parser (plain XML or a zip holding it). */
#define FUZZ_FILE_NAME          "SDN_ENHANCED.XML"
#define FUZZ_ADD(ds, path, err) rf_dataset_add_ofac_xml(ds, "us_ofac_sdn", "SDN", path, err)
#include "fuzz_list.h"
