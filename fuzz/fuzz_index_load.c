/* The index loader: an index file must be refused when damaged, never
 * trusted. A real index is several hundred KiB (the name knowledge is in
 * it), more than a useful fuzz input, so an input is either
 *  - a whole file (it starts with "RFINDEX"), or
 *  - patches to a real index of the fixture lists built at start-up:
 *    records of a 4-byte little-endian offset (modulo the size), a length
 *    byte n and n bytes written there; n = 0 cuts the file at the offset.
 * Each file is opened as it is (header, size and checksum checks) and with
 * its size field and checksum fixed up, so the damage reaches the section
 * checks behind the checksum. What opens is used: every entity written as
 * JSON and looked up, and a few of its names screened. */
#include "fuzz_common.h"
#include "fuzz_fixture.h"
#include "redflag/index.h"
#include "redflag/screen.h"

#include <xxhash.h>

static rf_results *res;
static uint8_t *base;
static size_t base_len;

static void free_all(void) {
    rf_results_free(res);
    free(base);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    rf_fuzz_fixture();
    rf_error err;
    char path[512];
    snprintf(path, sizeof path, "%s/base.rfx", rf_fuzz_dir());
    if (rf_index_write(rf_fuzz_m, path, &err) != RF_OK) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        abort();
    }
    FILE *f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0) abort();
    base_len = (size_t)ftell(f);
    base = malloc(base_len);
    rewind(f);
    if (!base || fread(base, 1, base_len, f) != base_len) abort();
    fclose(f);
    res = rf_results_new();
    if (!res) abort();
    atexit(free_all);
    return 0;
}

static void open_and_use(const char *path) {
    rf_index *ix;
    rf_error err;
    if (rf_index_open(path, &ix, &err) != RF_OK) return;
    const rf_dataset *ds = rf_index_dataset(ix);
    const rf_matcher *m = rf_index_matcher(ix);
    size_t n = rf_dataset_count(ds);
    for (size_t i = 0; i < n; i++) {
        const rf_entity *e = rf_dataset_entity(ds, i);
        free(rf_entity_json(e));
        (void)rf_dataset_find(ds, e->id);
        if (i < 8 && e->n_names) {
            rf_query q = {0};
            q.name = e->names[0].text;
            if (rf_match_query(m, &q, NULL, res, &err) == RF_OK)
                for (size_t k = 0; k < rf_results_count(res); k++)
                    (void)rf_results_get(res, k)->score;
        }
    }
    rf_index_close(ix);
}

/* Opens buf as it is, then with its size and checksum made right. */
static void both(uint8_t *buf, size_t size) {
    open_and_use(rf_fuzz_file(0, "raw.rfx", buf, size));
    if (size < 32 + 8) return;
    uint64_t total = size, sum;
    memcpy(buf + 24, &total, 8);
    sum = XXH3_64bits(buf, size - 8);
    memcpy(buf + size - 8, &sum, 8);
    open_and_use(rf_fuzz_file(1, "fixed.rfx", buf, size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!res) LLVMFuzzerInitialize(NULL, NULL);
    if (size >= 7 && !memcmp(data, "RFINDEX", 7)) {
        uint8_t *copy = malloc(size);
        if (!copy) abort();
        memcpy(copy, data, size);
        both(copy, size);
        free(copy);
        return 0;
    }
    uint8_t *buf = malloc(base_len);
    if (!buf) abort();
    memcpy(buf, base, base_len);
    size_t len = base_len, i = 0;
    while (i + 5 <= size) {
        uint32_t off;
        memcpy(&off, data + i, 4);
        size_t n = data[i + 4];
        i += 5;
        if (n > size - i) n = size - i;
        off %= (uint32_t)len;
        if (n == 0) {
            len = off;
            if (len == 0) break;
            continue;
        }
        if (n > len - off) n = len - off;
        memcpy(buf + off, data + i, n);
        i += n;
    }
    if (len) both(buf, len);
    free(buf);
    return 0;
}
