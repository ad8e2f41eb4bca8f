/* OpenSanctions FollowTheMoney entities, one JSON object a line. */
#define FUZZ_FILE_NAME          "entities.ftm.json"
#define FUZZ_ADD(ds, path, err) rf_dataset_add_ftm(ds, "ftm", "FtM", path, err)
#include "fuzz_list.h"
