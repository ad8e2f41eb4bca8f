/* The data folder's sources.json: the input is written as DIR/sources.json
 * next to small list files (copied from tests/fixtures) it may name, and
 * the folder is loaded with rf_dataset_load(). */
#include "fuzz_common.h"
#include "redflag/dataset.h"

static const char *dir;

static void copy(const char *from, const char *to) {
    FILE *in = fopen(from, "rb");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, to);
    FILE *out = fopen(path, "wb");
    if (!in || !out) abort();
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) abort();
    fclose(in);
    if (fclose(out) != 0) abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    dir = rf_fuzz_dir();
    char sub[512];
    snprintf(sub, sizeof sub, "%s/lists", dir);
    if (mkdir(sub, 0700) != 0) abort();
    copy(RF_FUZZ_FIXTURES "/ofac/sdn.csv", "lists/sdn.csv");
    copy(RF_FUZZ_FIXTURES "/ofac/add.csv", "lists/add.csv");
    copy(RF_FUZZ_FIXTURES "/ofac/alt.csv", "lists/alt.csv");
    copy(RF_FUZZ_FIXTURES "/un/hangul.xml", "lists/un.xml");
    copy(RF_FUZZ_FIXTURES "/ftm/handmade.ftm.json", "lists/ftm.json");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!dir) LLVMFuzzerInitialize(NULL, NULL);
    rf_fuzz_file(0, "sources.json", data, size);
    rf_dataset *ds = NULL;
    rf_error err;
    if (rf_dataset_load(dir, NULL, &ds, &err) == RF_OK)
        for (size_t i = 0; i < rf_dataset_list_count(ds); i++)
            (void)rf_dataset_list(ds, i)->id;
    rf_dataset_free(ds);
    return 0;
}
