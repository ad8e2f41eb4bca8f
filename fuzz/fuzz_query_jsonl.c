/* The query reader of `redflag screen` and POST /v1/screen: the input is
 * JSON lines; each is parsed as a query, screened against the fixture
 * lists and written as a result (or an error) line. Each line also goes
 * through the CSV path's rf_request_from_fields() as a name. */
#include "fuzz_common.h"
#include "fuzz_fixture.h"
#include "redflag/screen.h"

static rf_results *res;

static void free_res(void) {
    rf_results_free(res);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    rf_fuzz_fixture();
    res = rf_results_new();
    if (!res) abort();
    atexit(free_res);
    return 0;
}

static void one(const char *line, size_t len) {
    rf_request *req = NULL;
    rf_error err;
    if (rf_request_parse_json(rf_fuzz_ds, line, len, &req, &err) == RF_OK) {
        if (rf_match_query(rf_fuzz_m, rf_request_query(req), NULL, res, &err) == RF_OK)
            free(rf_result_json(req, res, RF_JSON_RECORD));
        else
            free(rf_error_json(rf_request_id(req), err.msg));
    } else {
        free(rf_error_json(req ? rf_request_id(req) : NULL, err.msg));
    }
    rf_request_free(req);
    /* the CSV reader's path: the line as a name (NUL-terminated copy) */
    char *name = malloc(len + 1);
    if (!name) abort();
    memcpy(name, line, len);
    name[len] = '\0';
    req = NULL;
    if (rf_request_from_fields(rf_fuzz_ds, "csv", name, NULL, NULL, NULL, &req, &err) == RF_OK &&
        rf_match_query(rf_fuzz_m, rf_request_query(req), NULL, res, &err) == RF_OK)
        free(rf_result_json(req, res, 0));
    rf_request_free(req);
    free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!res) LLVMFuzzerInitialize(NULL, NULL);
    const char *s = (const char *)data;
    size_t start = 0, lines = 0;
    /* at most 16 lines an input: each is screened, which is slow */
    for (size_t i = 0; i <= size && lines < 16; i++) {
        if (i == size || s[i] == '\n') {
            if (i > start) one(s + start, i - start), lines++;
            start = i + 1;
        }
    }
    return 0;
}
