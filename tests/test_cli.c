/* The command-line contract: spawn build/redflag, feed it input, check
 * every field of its output and its exit status. */
#include "test_util.h"

#include <fcntl.h>
#include <jansson.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct run_result {
    int status;
    char *out;
    char *err;
} run_result;

static char *slurp(int fd) {
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    lseek(fd, 0, SEEK_SET);
    ssize_t k;
    while ((k = read(fd, buf + n, cap - n - 1)) > 0) {
        n += (size_t)k;
        if (cap - n < 2) buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    return buf;
}

/* Runs the binary with argv (NULL-terminated, without the program name)
 * and input on stdin. */
static run_result run(const char *const *args, const char *input) {
    char in_path[] = "/tmp/rf_cli_inXXXXXX", out_path[] = "/tmp/rf_cli_outXXXXXX",
         err_path[] = "/tmp/rf_cli_errXXXXXX";
    int in = mkstemp(in_path), out = mkstemp(out_path), err = mkstemp(err_path);
    assert_true(in >= 0 && out >= 0 && err >= 0);
    if (input) assert_int_equal(write(in, input, strlen(input)), (ssize_t)strlen(input));
    lseek(in, 0, SEEK_SET);
    const char *argv[32] = {RF_TEST_BINARY};
    size_t n = 1;
    for (; args[n - 1]; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execv(RF_TEST_BINARY, (char *const *)argv);
        _exit(127);
    }
    int wstatus;
    waitpid(pid, &wstatus, 0);
    run_result r = {WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, slurp(out), slurp(err)};
    close(in);
    close(out);
    close(err);
    unlink(in_path);
    unlink(out_path);
    unlink(err_path);
    return r;
}

static void run_free(run_result *r) {
    free(r->out);
    free(r->err);
}

static void test_match_table(void **state) {
    (void)state;
    const char *args[] = {"--data", RF_TEST_DATA, "match", "Kim", "Sang", "Man", NULL};
    run_result r = run(args, NULL);
    assert_int_equal(r.status, 0);
    /* first data row is the right entity, with its explanation line */
    char *row = strstr(r.out, "\n1 ");
    assert_non_null(row);
    assert_non_null(strstr(row, "43377"));
    assert_non_null(strstr(row, "KIM, Sang Man"));
    assert_non_null(strstr(row, "DPRK4"));
    assert_non_null(strstr(row, "kim=kim"));
    run_free(&r);
}

static void test_match_json_record(void **state) {
    (void)state;
    const char *args[] = {"--data", RF_TEST_DATA, "match", "Kim Sang Man", "--json", NULL};
    run_result r = run(args, NULL);
    assert_int_equal(r.status, 0);
    json_error_t je;
    json_t *o = json_loads(r.out, 0, &je);
    assert_non_null(o);
    assert_true(json_is_true(json_object_get(o, "alert")));
    json_t *m = json_array_get(json_object_get(o, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "entity")), "us_ofac_sdn:43377");
    json_t *wallets = json_object_get(json_object_get(m, "record"), "wallets");
    bool found = false;
    for (size_t i = 0; i < json_array_size(wallets); i++) {
        const char *a = json_string_value(json_object_get(json_array_get(wallets, i), "address"));
        found |= !strcmp(a, "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40");
    }
    assert_true(found);
    json_decref(o);
    run_free(&r);
}

static json_t *line_json(const char *text, size_t i) {
    const char *p = text;
    for (size_t k = 0; k < i; k++) {
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    const char *e = strchr(p, '\n');
    assert_non_null(e);
    json_error_t je;
    json_t *o = json_loadb(p, (size_t)(e - p), 0, &je);
    if (!o) fail_msg("output line %zu is not JSON: %.*s", i, (int)(e - p), p);
    return o;
}

static size_t count_lines(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_screen_jsonl_contract(void **state) {
    (void)state;
    const char *input =
        "{\"id\": \"q1\", \"name\": \"Kim Sang Man\", \"type\": \"person\", "
        "\"birth_date\": \"1965-04-25\", \"country\": \"KP\"}\n"
        "{\"id\": \"q2\", \"wallets\": [{\"currency\": \"ETH\", \"address\": "
        "\"0xB6F5EC1A0A9CD1526536D3F0426C429529471F40\"}]}\n"
        "this is not json\n"
        "\n"
        "{\"name\": \"no id here\"}\n"
        "{\"id\": \"q5\", \"name\": \"Kim Sang Man\", \"birth_date\": \"25/04/1965\"}\n"
        "{\"id\": \"q6\", \"name\": \"Zyxwv Qqqqq\"}\n"
        "{\"id\": 7, \"name\": \"110th Research Center\", \"type\": \"organization\"}\n"
        "{\"id\": \"q8\", \"name\": \"Kim\", \"type\": \"spaceship\"}\n"
        "{\"id\": \"q9\"}\n"
        "{\"id\": \"q10\", \"identifiers\": [{\"type\": \"passport\", \"number\": "
        "\"381420754\"}]}\n";
    const char *args[] = {"--data", RF_TEST_DATA, "screen", NULL};
    run_result r = run(args, input);
    /* some lines failed: status 1, and every non-blank line has its answer */
    assert_int_equal(r.status, 1);
    assert_int_equal(count_lines(r.out), 10);
    assert_non_null(strstr(r.err, "5 of 10 queries failed"));

    json_t *o = line_json(r.out, 0);
    assert_string_equal(json_string_value(json_object_get(o, "id")), "q1");
    assert_true(json_is_true(json_object_get(o, "alert")));
    json_t *m = json_array_get(json_object_get(o, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "entity")), "us_ofac_sdn:43377");
    assert_string_equal(json_string_value(json_object_get(m, "list")), "us_ofac_sdn");
    assert_string_equal(json_string_value(json_object_get(m, "source_id")), "43377");
    assert_string_equal(json_string_value(json_object_get(m, "schema")), "person");
    assert_string_equal(json_string_value(json_object_get(m, "name")), "KIM, Sang Man");
    assert_string_equal(json_string_value(json_object_get(m, "matched_name")), "KIM, Sang Man");
    assert_float_equal(json_real_value(json_object_get(m, "score")), 1.0, 1e-9);
    assert_string_equal(json_string_value(json_array_get(json_object_get(m, "programs"), 0)),
                        "DPRK4");
    assert_non_null(json_object_get(m, "explanation"));
    assert_null(json_object_get(m, "record"));
    json_decref(o);

    o = line_json(r.out, 1);
    assert_string_equal(json_string_value(json_object_get(o, "id")), "q2");
    m = json_array_get(json_object_get(o, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "entity")), "us_ofac_sdn:43377");
    json_t *x = json_object_get(m, "explanation");
    assert_string_equal(json_string_value(json_object_get(x, "basis")), "wallet");
    json_decref(o);

    o = line_json(r.out, 2); /* not JSON: id unknown */
    assert_true(json_is_null(json_object_get(o, "id")));
    assert_non_null(strstr(json_string_value(json_object_get(o, "error")), "line 3"));
    json_decref(o);

    o = line_json(r.out, 3); /* no id */
    assert_true(json_is_null(json_object_get(o, "id")));
    assert_non_null(strstr(json_string_value(json_object_get(o, "error")), "\"id\""));
    json_decref(o);

    o = line_json(r.out, 4);
    assert_string_equal(json_string_value(json_object_get(o, "id")), "q5");
    assert_non_null(strstr(json_string_value(json_object_get(o, "error")), "birth_date"));
    json_decref(o);

    o = line_json(r.out, 5); /* no match: alert false, matches empty */
    assert_string_equal(json_string_value(json_object_get(o, "id")), "q6");
    assert_true(json_is_false(json_object_get(o, "alert")));
    assert_int_equal(json_array_size(json_object_get(o, "matches")), 0);
    assert_null(json_object_get(o, "error"));
    json_decref(o);

    o = line_json(r.out, 6); /* numeric id comes back as a string */
    assert_string_equal(json_string_value(json_object_get(o, "id")), "7");
    m = json_array_get(json_object_get(o, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "entity")), "us_ofac_sdn:43338");
    json_decref(o);

    o = line_json(r.out, 7);
    assert_non_null(strstr(json_string_value(json_object_get(o, "error")), "\"type\""));
    json_decref(o);

    o = line_json(r.out, 8);
    assert_string_equal(json_string_value(json_object_get(o, "id")), "q9");
    assert_non_null(strstr(json_string_value(json_object_get(o, "error")), "needs a"));
    json_decref(o);

    o = line_json(r.out, 9); /* same passport on SDN and UN: SDN first */
    json_t *ms = json_object_get(o, "matches");
    assert_int_equal(json_array_size(ms), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ms, 0), "entity")),
                        "us_ofac_sdn:15667");
    assert_string_equal(json_string_value(json_object_get(json_array_get(ms, 1), "entity")),
                        "un_sc:690747");
    json_decref(o);
    run_free(&r);
}

static void test_screen_all_good_and_options(void **state) {
    (void)state;
    const char *input = "{\"id\":\"a\",\"name\":\"Technical Reconnaissance Bureau\"}\n"
                        "{\"id\":\"b\",\"name\":\"Pyongyang University of Automation\"}\n";
    const char *args[] = {"--data", RF_TEST_DATA, "screen", "--limit", "1", NULL};
    run_result r = run(args, input);
    assert_int_equal(r.status, 0);
    assert_int_equal(count_lines(r.out), 2);
    json_t *o = line_json(r.out, 1);
    assert_string_equal(json_string_value(json_object_get(o, "id")), "b");
    assert_int_equal(json_array_size(json_object_get(o, "matches")), 1);
    json_decref(o);
    run_free(&r);

    const char *bad[] = {"--data", RF_TEST_DATA, "screen", "--threshold", "1.5", NULL};
    r = run(bad, "");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--threshold"));
    run_free(&r);
}

/* Several threads give the same lines in the same order as one. */
static void test_screen_threads_keep_order(void **state) {
    (void)state;
    static const char *const names[] = {"Kim Sang Man", "Nobody Special", "Hamas",
                                        "Bank Melli",   "Chinyong",       "Jane Doe",
                                        "Pak To Chun",  "Lab 110"};
    char input[8192];
    size_t off = 0;
    for (int i = 0; i < 200; i++)
        off += (size_t)snprintf(input + off, sizeof input - off,
                                "{\"id\":\"%d\",\"name\":\"%s\"}\n", i, names[i % 8]);
    const char *one[] = {"--data", RF_TEST_DATA, "screen", "--threads", "1", NULL};
    const char *four[] = {"--data", RF_TEST_DATA, "screen", "--threads", "4", NULL};
    run_result a = run(one, input), b = run(four, input);
    assert_int_equal(a.status, 0);
    assert_int_equal(b.status, 0);
    assert_int_equal(count_lines(a.out), 200);
    assert_string_equal(a.out, b.out);
    json_t *o = line_json(b.out, 199);
    assert_string_equal(json_string_value(json_object_get(o, "id")), "199");
    json_decref(o);
    run_free(&a);
    run_free(&b);
}

static void test_screen_csv(void **state) {
    (void)state;
    const char *input = "name,id,country\n"
                        "\"KIM, Sang Man\",c1,KP\n"
                        "Nobody Atall,c2,\n"
                        "\"Kim Sang Man\",,\n";
    const char *args[] = {"--data", RF_TEST_DATA, "screen", "--format", "csv", NULL};
    run_result r = run(args, input);
    assert_int_equal(r.status, 1);
    assert_int_equal(count_lines(r.out), 3);
    json_t *o = line_json(r.out, 0);
    assert_string_equal(json_string_value(json_object_get(o, "id")), "c1");
    assert_true(json_is_true(json_object_get(o, "alert")));
    json_decref(o);
    o = line_json(r.out, 1);
    assert_true(json_is_false(json_object_get(o, "alert")));
    json_decref(o);
    o = line_json(r.out, 2);
    assert_non_null(strstr(json_string_value(json_object_get(o, "error")), "record 3"));
    json_decref(o);
    run_free(&r);
}

static void test_lists_and_errors(void **state) {
    (void)state;
    const char *args[] = {"--data", RF_TEST_DATA, "lists", NULL};
    run_result r = run(args, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "entities   13821 (person 6646, organization 6033, vessel 764, "
                                  "aircraft 378)"));
    assert_non_null(
        strstr(r.out, "d768d28ee9e3ac7b27f9a956c922bf97dc286ebd39eff63faa4ef231f1ef668b"));
    assert_non_null(strstr(r.out, "15266 entities in 3 lists"));
    /* the bundled lists are years old: flagged, and the OFAC consolidated
     * files carry no date at all */
    assert_non_null(strstr(r.out, "published  2023-12-28  STALE: "));
    assert_non_null(strstr(r.out, "published  unknown  STALE?"));
    assert_non_null(strstr(r.err, "3 of 3 lists are older than 7 days or undated"));
    run_free(&r);

    const char *lenient[] = {"--data", RF_TEST_DATA, "lists", "--max-age", "100000", NULL};
    r = run(lenient, NULL);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "2023-12-28  STALE"));
    assert_non_null(strstr(r.err, "1 of 3 lists"));
    run_free(&r);

    const char *nodata[] = {"--data", "/nonexistent/redflag", "lists", NULL};
    r = run(nodata, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "/nonexistent/redflag/sources.json"));
    run_free(&r);

    const char *unknown[] = {"frobnicate", NULL};
    r = run(unknown, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unknown command"));
    run_free(&r);

    const char *help[] = {"screen", "--help", NULL};
    r = run(help, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--format"));
    run_free(&r);
}

/* lists diff between two SDN publications: the May 2023 network's later
 * additions (ALIS, PIONEER BENCONT) appear as added; a folder and an index
 * file of the same lists do not differ. */
static void test_lists_diff(void **state) {
    (void)state;
    const char *args[] = {"lists",
                          "diff",
                          "--json",
                          RF_TEST_DATA "/history/ofac-sdn-2023-12-28",
                          RF_TEST_DATA "/history/ofac-sdn-2024-05-03",
                          NULL};
    run_result r = run(args, NULL);
    assert_int_equal(r.status, 0);
    json_error_t je;
    json_t *o = json_loads(r.out, 0, &je);
    assert_non_null(o);
    json_t *added = json_object_get(o, "added"), *removed = json_object_get(o, "removed"),
           *changed = json_object_get(o, "changed");
    /* 13,821 entries then, 14,965 in May 2024 */
    assert_int_equal(json_array_size(added), 1256);
    assert_int_equal(json_array_size(removed), 112);
    assert_int_equal(json_array_size(changed), 47);
    bool alis = false, pioneer = false, mugabe = false;
    for (size_t i = 0; i < json_array_size(added); i++) {
        json_t *x = json_array_get(added, i);
        const char *id = json_string_value(json_object_get(x, "entity"));
        const char *name = json_string_value(json_object_get(x, "name"));
        alis |= !strcmp(id, "us_ofac_sdn:48260") && !strcmp(name, "LIMITED LIABILITY COMPANY ALIS");
        pioneer |=
            !strcmp(id, "us_ofac_sdn:48261") && !strcmp(name, "PIONEER BENCONT STAR REAL ESTATE");
    }
    for (size_t i = 0; i < json_array_size(removed); i++)
        mugabe |= !strcmp(json_string_value(json_object_get(json_array_get(removed, i), "entity")),
                          "us_ofac_sdn:7480");
    assert_true(alis && pioneer && mugabe);
    json_t *fields = NULL;
    for (size_t i = 0; i < json_array_size(changed); i++) {
        json_t *x = json_array_get(changed, i);
        if (!strcmp(json_string_value(json_object_get(x, "entity")), "us_ofac_sdn:10392"))
            fields = json_object_get(x, "fields");
    }
    assert_non_null(fields); /* MINISTRY OF DEFENSE AND ARMED FORCES LOGISTICS */
    assert_int_equal(json_array_size(fields), 2);
    assert_string_equal(json_string_value(json_array_get(fields, 0)), "programs");
    assert_string_equal(json_string_value(json_array_get(fields, 1)), "links");
    json_decref(o);
    run_free(&r);

    /* the same lists as a folder and as an index file: no difference */
    char idx[] = "/tmp/rf_diff_indexXXXXXX";
    int fd = mkstemp(idx);
    assert_true(fd >= 0);
    close(fd);
    const char *build[] = {
        "--data", RF_TEST_DATA "/history/ofac-sdn-2023-12-28", "index", "build", "-o", idx, NULL};
    r = run(build, NULL);
    assert_int_equal(r.status, 0);
    run_free(&r);
    const char *same[] = {"lists", "diff", RF_TEST_DATA "/history/ofac-sdn-2023-12-28", idx, NULL};
    r = run(same, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ": 0 added, 0 removed, 0 changed"));
    run_free(&r);
    unlink(idx);

    const char *missing[] = {"lists", "diff", RF_TEST_DATA, "/nonexistent/lists", NULL};
    r = run(missing, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "/nonexistent/lists"));
    run_free(&r);
}

static void test_copied_data_folder(void **state) {
    (void)state;
    /* paths in sources.json are relative: a copied folder works anywhere */
    char dir[] = "/tmp/rf_data_copyXXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp -r '%s/.' '%s/'", RF_TEST_DATA, dir);
    assert_int_equal(system(cmd), 0);
    const char *args[] = {"--data", dir, "match", "110th Research Center", NULL};
    run_result r = run(args, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "43338"));
    run_free(&r);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_table),
        cmocka_unit_test(test_match_json_record),
        cmocka_unit_test(test_screen_jsonl_contract),
        cmocka_unit_test(test_screen_all_good_and_options),
        cmocka_unit_test(test_screen_csv),
        cmocka_unit_test(test_screen_threads_keep_order),
        cmocka_unit_test(test_lists_and_errors),
        cmocka_unit_test(test_lists_diff),
        cmocka_unit_test(test_copied_data_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
