/* Crash safety of `redflag screen --record`: killed with SIGKILL in the
 * middle of a batch, the record is consistent (whole batches only) and its
 * audit chain verifies; running the batch again completes it. */
#include "test_util.h"

#include <signal.h>
#include "test_pg.h"
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QUERIES 6000

static long count(const char *target, const char *sql) {
    db *d;
    rf_error err;
    assert_int_equal(db_open(target, &d, &err), RF_OK);
    char v[32];
    if (!db_scalar(d, v, sizeof v, sql, "")) fail_msg("%s: %s", sql, db_errmsg(d));
    db_close(d);
    return atol(v);
}

/* Runs redflag screen --record with input on stdin, output to a file; kills
 * it once out has at least kill_after bytes (0: lets it finish). */
static int run_record(const char *input, const char *db, const char *out, long kill_after) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        freopen(input, "r", stdin);
        freopen(out, "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(RF_TEST_BINARY, RF_TEST_BINARY, "--data", RF_TEST_DATA, "screen", "--record",
              "--store", db, "--threads", "2", (char *)NULL);
        _exit(127);
    }
    int status;
    if (kill_after > 0) {
        for (int i = 0; i < 6000; i++) { /* up to 60 s */
            FILE *f = fopen(out, "r");
            long size = 0;
            if (f) {
                fseek(f, 0, SEEK_END);
                size = ftell(f);
                fclose(f);
            }
            if (size >= kill_after || waitpid(pid, &status, WNOHANG) == pid) break;
            usleep(10000);
        }
        kill(pid, SIGKILL);
    }
    waitpid(pid, &status, 0);
    return status;
}

/* The store: a SQLite file in the test's folder, or a PostgreSQL URL. */
static char g_store[256];

static void test_kill_mid_batch(void **state) {
    (void)state;
    char dir[] = "/tmp/rf_crashXXXXXX";
    assert_non_null(mkdtemp(dir));
    char input[128], db[256], out[128];
    snprintf(input, sizeof input, "%s/in.jsonl", dir);
    if (*g_store)
        snprintf(db, sizeof db, "%s", g_store);
    else
        snprintf(db, sizeof db, "%s/record.db", dir);
    snprintf(out, sizeof out, "%s/out.jsonl", dir);
    FILE *f = fopen(input, "w");
    assert_non_null(f);
    for (int i = 0; i < QUERIES; i++)
        fprintf(f, "{\"id\": \"s%d\", \"name\": \"%s %d\"}\n", i,
                i % 3 ? "Olivia Nobody" : "Kim Sang Man", i);
    fclose(f);

    /* killed after some 2,500 results: between two commits */
    int st = run_record(input, db, out, 2500L * 150);
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    long subjects = count(db, "SELECT COUNT(*) FROM subjects");
    long screenings = count(db, "SELECT COUNT(*) FROM screenings");
    long audit = count(db, "SELECT COUNT(*) FROM audit_log");
    assert_true(screenings >= 1000 && screenings < QUERIES);
    assert_int_equal(screenings % 1000, 0); /* whole batches only */
    assert_int_equal(subjects, screenings);
    assert_int_equal(audit, screenings + 1); /* and the lists' load */
    /* the chain verifies */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s audit verify --store %s >/dev/null", RF_TEST_BINARY, db);
    assert_int_equal(system(cmd), 0);

    /* the batch again: every subject recorded, the chain still whole */
    st = run_record(input, db, out, 0);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM subjects"), QUERIES);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM screenings"), screenings + QUERIES);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_mid_batch),
    };
    int failed = cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
    db *admin;
    if (!test_pg_create("rf_crash", g_store, sizeof g_store, &admin)) return 1;
    failed += cmocka_run_group_tests_name("postgres", tests, NULL, NULL);
    test_pg_drop(admin, "rf_crash");
    return failed;
}
