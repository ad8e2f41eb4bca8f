/* Hardening (issue 9): what the fuzzers found, and the documented limits of
 * include/redflag/limits.h, each refused with a message for that record
 * while the rest go on. */
#include "test_util.h"

#include "text/normalize.h"
#include "util/str.h"

/* An error quoting a field cut at 40 bytes in the middle of a UTF-8
 * character used to make json_string() fail: the error line lost its
 * "error" field ({"id":"x"}). Found by fuzz_http. */
static void test_error_quoting_cut_utf8_stays_json(void **state) {
    (void)state;
    rf_dataset *ds;
    rf_error err;
    assert_int_equal(rf_dataset_new(NULL, &ds, &err), RF_OK);
    assert_int_equal(rf_dataset_finish(ds, &err), RF_OK);
    const char *q = "{\"id\":\"x\",\"type\":\"a\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96"
                    "\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96"
                    "\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\"}";
    rf_request *req = NULL;
    assert_int_equal(rf_request_parse_json(ds, q, strlen(q), &req, &err), RF_E_INVALID);
    assert_true(rf_utf8_valid(err.msg, strlen(err.msg)));
    assert_non_null(strstr(err.msg, "field \"type\": 'a"));
    char *line = rf_error_json(rf_request_id(req), err.msg);
    assert_non_null(line);
    assert_non_null(strstr(line, "\"error\":\"field \\\"type\\\""));
    free(line);
    rf_request_free(req);
    /* raw bytes (an URL parameter) in the message and the id */
    line = rf_error_json("id\xff", "bad \xc3 value");
    assert_string_equal(line, "{\"id\":\"id?\",\"error\":\"bad ? value\"}");
    free(line);
    rf_dataset_free(ds);
}

static void test_utf8_scrub(void **state) {
    (void)state;
    char a[] = "ok \xd0\x96 \xe2\x82 \xf0\x9f\x98\x80 \xed\xa0\x80 end\xc3";
    rf_utf8_scrub(a);
    assert_string_equal(a, "ok \xd0\x96 ?? \xf0\x9f\x98\x80 ??? end?");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_quoting_cut_utf8_stays_json),
        cmocka_unit_test(test_utf8_scrub),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
