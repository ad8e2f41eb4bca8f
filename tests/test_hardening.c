/* Hardening (issue 9): what the fuzzers found, and the documented limits of
 * include/redflag/limits.h, each refused with a message for that record
 * while the rest go on. */
#include "test_util.h"

#include "text/normalize.h"
#include "util/buf.h"
#include "util/str.h"

#include <sys/wait.h>
#include <unistd.h>

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

/* A query's name: at most RF_LIMIT_NAME_BYTES bytes and
 * RF_LIMIT_NAME_TOKENS words; past either, that query is refused. */
static void test_query_name_limits(void **state) {
    (void)state;
    rf_dataset *ds;
    rf_matcher *m;
    rf_error err;
    rf_ofac_files f = {RF_TEST_FIXTURES "/ofac/sdn.csv", NULL, NULL, NULL};
    assert_int_equal(rf_dataset_new(NULL, &ds, &err), RF_OK);
    assert_int_equal(rf_dataset_add_ofac_csv(ds, "us_ofac_sdn", "SDN", &f, &err), RF_OK);
    assert_int_equal(rf_dataset_finish(ds, &err), RF_OK);
    assert_int_equal(rf_matcher_new(ds, &m, &err), RF_OK);
    rf_results *res = rf_results_new();
    char name[RF_LIMIT_NAME_BYTES + 2];
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = '\0'; /* one byte too many */
    rf_request *req = NULL;
    assert_int_equal(rf_request_from_fields(ds, "q", name, NULL, NULL, NULL, &req, &err),
                     RF_E_LIMIT);
    assert_non_null(strstr(err.msg, "field \"name\": longer than 1024 bytes"));
    rf_request_free(req);
    name[RF_LIMIT_NAME_BYTES] = '\0'; /* exactly the limit */
    assert_int_equal(rf_request_from_fields(ds, "q", name, NULL, NULL, NULL, &req, &err), RF_OK);
    rf_request_free(req);
    /* words: 32 are screened, 33 refused */
    char words[RF_LIMIT_NAME_TOKENS * 4 + 8] = "";
    for (int i = 0; i < RF_LIMIT_NAME_TOKENS; i++)
        strcat(words, "ab ");
    rf_query q = {0};
    q.name = words;
    assert_int_equal(rf_match_query(m, &q, NULL, res, &err), RF_OK);
    strcat(words, "cd");
    assert_int_equal(rf_match_query(m, &q, NULL, res, &err), RF_E_LIMIT);
    assert_string_equal(err.msg, "field \"name\": more than 32 words (limit); shorten it");
    /* the next query on the same scratch is screened as usual */
    q.name = "AEROCARIBBEAN AIRLINES";
    assert_int_equal(rf_match_query(m, &q, NULL, res, &err), RF_OK);
    assert_true(rf_results_count(res) >= 1);
    assert_string_equal(rf_results_get(res, 0)->entity->id, "us_ofac_sdn:36");
    rf_results_free(res);
    rf_matcher_free(m);
    rf_dataset_free(ds);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* A list name longer than RF_LIMIT_NAME_BYTES is skipped with a warning,
 * names past RF_LIMIT_NAMES_PER_ENTITY too (one warning for the entity);
 * the other records load as usual. */
static void test_list_name_limits(void **state) {
    (void)state;
    char dir[] = "/tmp/rf_limitsXXXXXX";
    assert_non_null(mkdtemp(dir));
    char sdn[64], alt[64];
    snprintf(sdn, sizeof sdn, "%s/sdn.csv", dir);
    snprintf(alt, sizeof alt, "%s/alt.csv", dir);
    size_t big = RF_LIMIT_NAME_BYTES + 10;
    char *text = malloc(big + 4096);
    strcpy(text, "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
                 ",-0- ,-0- \r\n7,\"");
    size_t at = strlen(text);
    memset(text + at, 'L', big);
    strcpy(text + at + big, "\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
    write_file(sdn, text);
    free(text);
    /* entity 36: 600 more aliases */
    rf_buf b;
    rf_buf_init(&b);
    for (int i = 0; i < 600; i++)
        rf_buf_printf(&b, "36,%d,\"aka\",\"ALIAS NUMBER %d\",-0- \r\n", 1000 + i, i);
    write_file(alt, rf_buf_str(&b));
    rf_buf_free(&b);
    warn_log log = {0};
    rf_load_options o = {warn_collect, &log};
    rf_dataset *ds;
    rf_error err;
    rf_ofac_files f = {sdn, NULL, alt, NULL};
    assert_int_equal(rf_dataset_new(&o, &ds, &err), RF_OK);
    assert_int_equal(rf_dataset_add_ofac_csv(ds, "us_ofac_sdn", "SDN", &f, &err), RF_OK);
    assert_int_equal(rf_dataset_finish(ds, &err), RF_OK);
    const rf_entity *e = rf_dataset_find(ds, "us_ofac_sdn:36");
    assert_non_null(e);
    assert_int_equal(e->n_names, RF_LIMIT_NAMES_PER_ENTITY);
    assert_string_equal(e->names[0].text, "AEROCARIBBEAN AIRLINES");
    assert_non_null(
        strstr(log.all, "entity 36: more than 500 names (limit): the others are skipped"));
    assert_non_null(
        strstr(log.all, "entity 7: a name of 1034 bytes is longer than 1024 (limit): skipped"));
    /* entity 7 had only that name: left out at finish, said so */
    assert_null(rf_dataset_find(ds, "us_ofac_sdn:7"));
    assert_non_null(strstr(log.all, "entity us_ofac_sdn:7 has no name; skipped"));
    assert_int_equal(log.count, 3);
    unlink(sdn);
    unlink(alt);
    rmdir(dir);
    rf_dataset_free(ds);
}

/* `redflag screen`: a JSON line longer than RF_LIMIT_LINE_BYTES gets an
 * error line (it is never read into memory whole) and the next lines are
 * screened; the same for a CSV record, also one spread over many lines by a
 * quoted field. */
static char *screen_file(const char *args, const char *input_path) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s --data %s screen %s < %s 2>/dev/null", RF_TEST_BINARY,
             RF_TEST_DATA, args, input_path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    rf_buf out;
    rf_buf_init(&out);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        rf_buf_append(&out, chunk, n);
    assert_int_equal(WEXITSTATUS(pclose(p)), 1); /* some lines failed */
    char *s = strdup(rf_buf_str(&out));
    rf_buf_free(&out);
    return s;
}

static bool starts(const char *s, const char *prefix) {
    return !strncmp(s, prefix, strlen(prefix));
}

static void test_screen_line_limit(void **state) {
    (void)state;
    char path[] = "/tmp/rf_linesXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"id\":\"a\",\"name\":\"Kim Sang Man\"}\n{\"id\":\"big\",\"name\":\"", f);
    for (int i = 0; i < RF_LIMIT_LINE_BYTES / 8 + 1; i++)
        fputs("xxxxxxxx", f);
    fputs("\"}\n{\"id\":\"c\",\"name\":\"AEROCARIBBEAN AIRLINES\"}\n", f);
    fclose(f);
    char *out = screen_file("", path);
    char *l2 = strchr(out, '\n');
    assert_non_null(l2);
    assert_true(starts(out, "{\"id\":\"a\",\"alert\":true,"));
    assert_true(starts(l2 + 1, "{\"id\":null,\"error\":\"line 2: longer than 1048576 bytes "
                               "(limit): not read\"}\n{\"id\":\"c\",\"alert\":true,"));
    free(out);
    /* CSV: one long record on a line, one spread over lines by quotes */
    f = fopen(path, "w");
    fputs("id,name\na,Kim Sang Man\nbig,\"", f);
    for (int i = 0; i < RF_LIMIT_LINE_BYTES / 8 + 1; i++)
        fputs("xxxxxxx\n", f);
    fputs("\"\nc,AEROCARIBBEAN AIRLINES\nd,", f);
    for (int i = 0; i < RF_LIMIT_LINE_BYTES / 8 + 1; i++)
        fputs("yyyyyyyy", f);
    fputs("\ne,Kim Sang Man\n", f);
    fclose(f);
    out = screen_file("--format csv", path);
    const char *want[] = {"{\"id\":\"a\",\"alert\":true",
                          "{\"id\":null,\"error\":\"record 2: longer than 1048576 bytes (limit)",
                          "{\"id\":\"c\",\"alert\":true",
                          "{\"id\":null,\"error\":\"record 4: longer than 1048576 bytes (limit)",
                          "{\"id\":\"e\",\"alert\":true"};
    char *line = out;
    for (size_t i = 0; i < 5; i++) {
        assert_non_null(line);
        assert_true(starts(line, want[i]));
        line = strchr(line, '\n');
        if (line) line++;
    }
    assert_true(line && *line == '\0'); /* five result lines, no more */
    free(out);
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_quoting_cut_utf8_stays_json),
        cmocka_unit_test(test_utf8_scrub),
        cmocka_unit_test(test_query_name_limits),
        cmocka_unit_test(test_list_name_limits),
        cmocka_unit_test(test_screen_line_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
