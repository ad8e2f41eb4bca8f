/* The compliance record: screenings open alerts; a false-positive decision
 * suppresses the alert while both sides are unchanged and re-opens it when
 * the subject's fields or the listed entity's record change (a real SDN
 * update); the audit chain catches an edited and a deleted row. */
#include "test_util.h"

#include <jansson.h>
#include "test_pg.h"
#include <unistd.h>

/* The store under test: a SQLite file, then a PostgreSQL database on the
 * server tests/pg_server.sh started (the same tests, both engines). */
static char g_db[256];
static char g_file[] = "/tmp/rf_storeXXXXXX";
static rf_dataset *g_old, *g_new; /* SDN 2023-12-28 and 2024-05-03 */
static rf_matcher *g_m_old, *g_m_new;

static int setup(void **state) {
    (void)state;
    rf_error err;
    if (rf_dataset_load(RF_TEST_DATA "/history/ofac-sdn-2023-12-28", NULL, &g_old, &err) ||
        rf_dataset_load(RF_TEST_DATA "/history/ofac-sdn-2024-05-03", NULL, &g_new, &err) ||
        rf_matcher_new(g_old, &g_m_old, &err) || rf_matcher_new(g_new, &g_m_new, &err))
        return -1;
    return 0;
}

static int teardown(void **state) {
    (void)state;
    rf_matcher_free(g_m_old);
    rf_matcher_free(g_m_new);
    rf_dataset_free(g_old);
    rf_dataset_free(g_new);
    char p[64];
    unlink(g_file);
    snprintf(p, sizeof p, "%s-wal", g_file);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", g_file);
    unlink(p);
    return 0;
}

static void tamper(const char *sql) {
    db *d;
    rf_error err;
    assert_int_equal(db_open(g_db, &d, &err), RF_OK);
    if (!db_exec(d, sql)) fail_msg("%s: %s", sql, db_errmsg(d));
    db_close(d);
}

/* An empty store at g_db. */
static void fresh_store(void) {
    if (strncmp(g_db, "postgres", 8) != 0)
        unlink(g_db);
    else
        tamper("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
}

/* Screens query (JSON) against one SDN version and records it. */
static void screen(rf_store *s, const char *query, bool newer) {
    const rf_dataset *ds = newer ? g_new : g_old;
    rf_request *req;
    rf_error err;
    assert_int_equal(rf_request_parse_json(ds, query, strlen(query), &req, &err), RF_OK);
    rf_results *res = rf_results_new();
    assert_int_equal(
        rf_match_query(newer ? g_m_new : g_m_old, rf_request_query(req), NULL, res, &err), RF_OK);
    char *out = rf_result_json(req, res, 0);
    assert_int_equal(rf_store_record(s, ds, query, out, "default", RF_DEFAULT_THRESHOLD, &err),
                     RF_OK);
    free(out);
    rf_results_free(res);
    rf_request_free(req);
}

static rf_alert alert_of(rf_store *s, const char *subject, const char *entity) {
    rf_alert *v;
    size_t n;
    rf_error err;
    assert_int_equal(rf_store_alerts(s, false, &v, &n, &err), RF_OK);
    rf_alert a = {0};
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].subject, subject) && !strcmp(v[i].entity, entity)) a = v[i];
    free(v);
    if (!a.id) fail_msg("no alert for %s / %s", subject, entity);
    return a;
}

static size_t open_alerts(rf_store *s) {
    rf_alert *v;
    size_t n;
    rf_error err;
    assert_int_equal(rf_store_alerts(s, true, &v, &n, &err), RF_OK);
    free(v);
    return n;
}

static void test_decisions_and_suppression(void **state) {
    (void)state;
    rf_store *s;
    rf_error err;
    assert_int_equal(rf_store_open(g_db, &s, &err), RF_OK);
    screen(s, "{\"id\": \"c1\", \"name\": \"Kim Sang Man\"}", false);
    screen(s, "{\"id\": \"c2\", \"name\": \"Olivia Nobody\"}", false);
    screen(s, "{\"id\": \"c3\", \"name\": \"Constantino Guveya Chiwenga\"}", false);
    assert_int_equal(open_alerts(s), 2);
    rf_alert kim = alert_of(s, "c1", "us_ofac_sdn:43377");
    assert_string_equal(kim.status, "open");
    assert_string_equal(kim.reason, "new match");

    /* a false positive stays suppressed while nothing changed */
    assert_int_equal(rf_store_decide(s, kim.id, RF_VERDICT_FALSE_POSITIVE,
                                     "another man, other birth date", "ana", &err),
                     RF_OK);
    screen(s, "{\"id\": \"c1\", \"name\": \"Kim Sang Man\"}", false);
    assert_string_equal(alert_of(s, "c1", "us_ofac_sdn:43377").status, "false_positive");
    assert_int_equal(open_alerts(s), 1);
    /* the subject's fields change: re-opened, saying why */
    screen(s, "{\"id\": \"c1\", \"name\": \"Kim Sang Man\", \"country\": \"KP\"}", false);
    kim = alert_of(s, "c1", "us_ofac_sdn:43377");
    assert_string_equal(kim.status, "open");
    assert_non_null(strstr(kim.reason, "subject's fields changed"));

    /* the listed entity's record changes (CHIWENGA in the 2024-05-03 SDN) */
    rf_alert chi = alert_of(s, "c3", "us_ofac_sdn:7489");
    assert_int_equal(rf_store_decide(s, chi.id, RF_VERDICT_FALSE_POSITIVE, "not him", "bo", &err),
                     RF_OK);
    screen(s, "{\"id\": \"c3\", \"name\": \"Constantino Guveya Chiwenga\"}", false);
    assert_string_equal(alert_of(s, "c3", "us_ofac_sdn:7489").status, "false_positive");
    screen(s, "{\"id\": \"c3\", \"name\": \"Constantino Guveya Chiwenga\"}", true);
    chi = alert_of(s, "c3", "us_ofac_sdn:7489");
    assert_string_equal(chi.status, "open");
    assert_non_null(strstr(chi.reason, "entity's record changed"));

    /* a true match, and decisions that cannot be taken */
    assert_int_equal(rf_store_decide(s, chi.id, RF_VERDICT_TRUE_MATCH, "same person", "cy", &err),
                     RF_OK);
    assert_string_equal(alert_of(s, "c3", "us_ofac_sdn:7489").status, "true_match");
    assert_int_equal(rf_store_decide(s, 9999, RF_VERDICT_TRUE_MATCH, "x", "y", &err),
                     RF_E_NOTFOUND);
    assert_int_equal(rf_store_decide(s, chi.id, RF_VERDICT_TRUE_MATCH, "", "y", &err),
                     RF_E_INVALID);
    assert_int_equal(rf_store_record(s, g_old, "{\"name\": \"no id\"}", "{\"matches\": []}",
                                     "default", 0.85, &err),
                     RF_E_INVALID);

    bool intact;
    char msg[256];
    assert_int_equal(rf_store_audit_verify(s, &intact, msg, sizeof msg, &err), RF_OK);
    if (!intact) fail_msg("%s", msg);
    /* two list versions loaded, 7 screenings, 3 decisions */
    assert_non_null(strstr(msg, "12 rows"));
    rf_store_close(s);
}

static void expect_broken(const char *says) {
    rf_store *s;
    rf_error err;
    assert_int_equal(rf_store_open(g_db, &s, &err), RF_OK);
    bool intact = true;
    char msg[256];
    assert_int_equal(rf_store_audit_verify(s, &intact, msg, sizeof msg, &err), RF_OK);
    assert_false(intact);
    if (!strstr(msg, says)) fail_msg("'%s' does not say '%s'", msg, says);
    rf_store_close(s);
}

static void test_audit_catches_tampering(void **state) {
    (void)state;
    /* the record of the test before: 12 rows */
    tamper("UPDATE audit_log SET payload = replace(payload, 'ana', 'eve') WHERE seq = 5");
    expect_broken("row 5 was edited");
    tamper("UPDATE audit_log SET payload = replace(payload, 'eve', 'ana') WHERE seq = 5");
    tamper("DELETE FROM audit_log WHERE seq = 8");
    expect_broken("row 8 is missing");
    tamper("CREATE TABLE t AS SELECT * FROM audit_log; DELETE FROM audit_log; "
           "INSERT INTO audit_log SELECT * FROM t WHERE seq <> 11; DROP TABLE t");
    expect_broken("row 8 is missing"); /* the first break is named */
}

static void test_tail_deletion(void **state) {
    (void)state;
    fresh_store();
    rf_store *s;
    rf_error err;
    assert_int_equal(rf_store_open(g_db, &s, &err), RF_OK);
    screen(s, "{\"id\": \"d1\", \"name\": \"Kim Sang Man\"}", false);
    screen(s, "{\"id\": \"d2\", \"name\": \"Kim Sang Man\"}", false);
    rf_store_close(s);
    tamper("DELETE FROM audit_log WHERE seq = 3"); /* 1 is the lists' load */
    expect_broken("rows after 2 are missing");
}

/* Monitoring across a real list change (SDN 2023-12-28 -> 2024-05-03): the
 * subject named like ALIS LLC gets exactly one new alert, the alert on a
 * delisted entity is closed, and a run with nothing new screens no one. */
static void test_monitor(void **state) {
    (void)state;
    fresh_store();
    rf_store *s;
    rf_error err;
    assert_int_equal(rf_store_open(g_db, &s, &err), RF_OK);
    screen(s, "{\"id\": \"m1\", \"name\": \"ALIS LLC\", \"type\": \"organization\"}", false);
    screen(s, "{\"id\": \"m2\", \"name\": \"Kim Sang Man\"}", false);
    screen(s, "{\"id\": \"m3\", \"name\": \"Robert Gabriel Mugabe\"}", false);
    assert_int_equal(open_alerts(s), 2); /* KIM, MUGABE */
    rf_monitor_report r;
    assert_int_equal(rf_store_monitor(s, g_old, g_m_old, &r, &err), RF_OK);
    assert_int_equal(r.entities_new, rf_dataset_count(g_old)); /* the first run sees all */
    assert_int_equal(r.alerts_opened, 0);
    assert_int_equal(rf_store_monitor(s, g_new, g_m_new, &r, &err), RF_OK);
    assert_int_equal(r.entities_removed, 112);
    assert_true(r.entities_new >= 1256);
    assert_int_equal(r.alerts_opened, 1);
    assert_int_equal(r.alerts_closed, 1);
    rf_alert alis = alert_of(s, "m1", "us_ofac_sdn:48260");
    assert_string_equal(alis.status, "open");
    rf_alert mugabe = alert_of(s, "m3", "us_ofac_sdn:7480");
    assert_string_equal(mugabe.status, "closed");
    assert_non_null(strstr(mugabe.reason, "delisted"));
    assert_int_equal(rf_store_monitor(s, g_new, g_m_new, &r, &err), RF_OK);
    assert_int_equal(r.subjects_screened, 0);
    assert_int_equal(r.alerts_opened, 0);
    bool intact;
    char msg[256];
    assert_int_equal(rf_store_audit_verify(s, &intact, msg, sizeof msg, &err), RF_OK);
    assert_true(intact);
    /* what an examiner asks for: every row of today, and none of 2020 */
    char *buf = NULL;
    size_t len = 0, n = 0, n_csv = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_int_equal(rf_store_audit_export(s, NULL, NULL, true, mem, &n, &err), RF_OK);
    fclose(mem);
    json_t *rows = json_loads(buf, 0, NULL);
    assert_int_equal(json_array_size(rows), n);
    assert_true(n >= 5); /* 3 screenings, 3 monitor runs, the ALIS screening */
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, n - 1), "kind")),
                        "monitor");
    json_decref(rows);
    free(buf);
    mem = open_memstream(&buf, &len);
    assert_int_equal(rf_store_audit_export(s, "2020-01-01", "2020-12-31", false, mem, &n_csv, &err),
                     RF_OK);
    fclose(mem);
    assert_int_equal(n_csv, 0);
    assert_string_equal(buf, "seq,at,kind,payload,prev_hash,hash\n");
    free(buf);
    rf_store_close(s);
}

/* Four-eyes on true matches, and the blocked report fed by them. */
static void test_four_eyes_and_report(void **state) {
    (void)state;
    fresh_store();
    rf_store *s;
    rf_error err;
    assert_int_equal(rf_store_open(g_db, &s, &err), RF_OK);
    screen(s, "{\"id\": \"k1\", \"name\": \"Kim Sang Man\"}", false);
    screen(s,
           "{\"id\": \"k2\", \"name\": \"Chinyong Information Technology Cooperation "
           "Company\"}",
           false);
    assert_int_equal(rf_store_set_four_eyes(s, true, "boss", &err), RF_OK);
    rf_alert kim = alert_of(s, "k1", "us_ofac_sdn:43377");
    assert_int_equal(
        rf_store_decide(s, kim.id, RF_VERDICT_TRUE_MATCH, "passport matches", "ana", &err), RF_OK);
    assert_string_equal(alert_of(s, "k1", "us_ofac_sdn:43377").status, "pending_approval");
    assert_int_equal(rf_store_decide(s, kim.id, RF_VERDICT_APPROVE, "agree", "ana", &err),
                     RF_E_INVALID); /* not the same reviewer */
    assert_non_null(strstr(err.msg, "someone else"));
    assert_int_equal(rf_store_decide(s, kim.id, RF_VERDICT_APPROVE, "agree", "bo", &err), RF_OK);
    assert_string_equal(alert_of(s, "k1", "us_ofac_sdn:43377").status, "true_match");
    rf_alert chi = alert_of(s, "k2", "us_ofac_sdn:43379");
    assert_int_equal(rf_store_decide(s, chi.id, RF_VERDICT_TRUE_MATCH, "name", "ana", &err), RF_OK);
    assert_int_equal(rf_store_decide(s, chi.id, RF_VERDICT_REJECT, "check the address", "bo", &err),
                     RF_OK);
    assert_string_equal(alert_of(s, "k2", "us_ofac_sdn:43379").status, "open");
    assert_int_equal(rf_store_decide(s, chi.id, RF_VERDICT_APPROVE, "x", "bo", &err), RF_E_INVALID);

    char *buf = NULL;
    size_t len = 0, n = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_int_equal(rf_store_report_blocked(s, g_old, true, mem, &n, &err), RF_OK);
    fclose(mem);
    assert_int_equal(n, 1);
    json_t *rows = json_loads(buf, 0, NULL);
    json_t *r = json_array_get(rows, 0);
    assert_string_equal(json_string_value(json_object_get(r, "subject_id")), "k1");
    assert_string_equal(json_string_value(json_object_get(r, "entity")), "us_ofac_sdn:43377");
    assert_string_equal(json_string_value(json_object_get(r, "entity_name")), "KIM, Sang Man");
    assert_string_equal(json_string_value(json_array_get(json_object_get(r, "programs"), 0)),
                        "DPRK4");
    assert_string_equal(json_string_value(json_object_get(r, "decided_by")), "bo");
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "subject"), "name")),
                        "Kim Sang Man");
    json_decref(rows);
    free(buf);
    bool intact;
    char msg[256];
    assert_int_equal(rf_store_audit_verify(s, &intact, msg, sizeof msg, &err), RF_OK);
    assert_true(intact);
    rf_store_close(s);
}

/* A store that cannot be used says why and which, and nothing is created:
 * a file that is not a database, a PostgreSQL server that is not there. */
static void test_bad_stores(void **state) {
    (void)state;
    char junk[] = "/tmp/rf_junk_storeXXXXXX";
    int fd = mkstemp(junk);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "not a database at all, just text\n", 33), 33);
    close(fd);
    rf_store *s = NULL;
    rf_error err;
    assert_int_equal(rf_store_open(junk, &s, &err), RF_E_IO);
    assert_null(s);
    assert_non_null(strstr(err.msg, junk));
    assert_non_null(strstr(err.msg, "not a redflag store"));
    unlink(junk);
    assert_int_equal(rf_store_open("postgres://redflag@127.0.0.1:1/none", &s, &err), RF_E_IO);
    assert_null(s);
    assert_non_null(strstr(err.msg, "cannot connect to the PostgreSQL store"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decisions_and_suppression),
        cmocka_unit_test(test_audit_catches_tampering),
        cmocka_unit_test(test_tail_deletion),
        cmocka_unit_test(test_monitor),
        cmocka_unit_test(test_four_eyes_and_report),
        cmocka_unit_test(test_bad_stores),
    };
    int fd = mkstemp(g_file);
    if (fd < 0) return 1;
    close(fd);
    unlink(g_file);
    snprintf(g_db, sizeof g_db, "%s", g_file);
    int failed = cmocka_run_group_tests_name("sqlite", tests, setup, teardown);

    db *admin;
    if (!test_pg_create("rf_store", g_db, sizeof g_db, &admin)) return 1;
    failed += cmocka_run_group_tests_name("postgres", tests, setup, teardown);
    test_pg_drop(admin, "rf_store");
    return failed;
}
