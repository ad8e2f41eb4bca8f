/* The UN Security Council consolidated list XML parser. */
#define FUZZ_FILE_NAME          "consolidated.xml"
#define FUZZ_ADD(ds, path, err) rf_dataset_add_un_xml(ds, "un_sc", "UN", path, err)
#include "fuzz_list.h"
