/* Fault tests (issue 9): a full disk during an index build and during a
 * list update, and `redflag lists update` killed with SIGKILL mid-download.
 * Each must leave the previous index or lists usable and say what
 * happened; a full disk during `screen --record` too. The full disk is a
 * small tmpfs, so those tests need root (they
 * are skipped with a message otherwise). The truncated index is refused in
 * test_index.c; a batch killed mid-record in test_record_crash.c. */
#include "test_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *g_big; /* the bundled 2023-12-28 sdn.csv, 3.4 MB */
static size_t g_big_len;
static struct MHD_Daemon *g_mhd;
static unsigned g_port;

/* /slow.csv: the first 256 KiB at once, then a trickle (the test kills the
 * client long before the end). */
static ssize_t slow_reader(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)cls;
    if (pos >= g_big_len) return MHD_CONTENT_READER_END_OF_STREAM;
    if (pos >= 256 * 1024) usleep(200000);
    size_t n = g_big_len - (size_t)pos;
    if (n > max) n = max;
    if (pos >= 256 * 1024 && n > 64) n = 64;
    memcpy(buf, g_big + pos, n);
    return (ssize_t)n;
}

static enum MHD_Result serve(void *cls, struct MHD_Connection *c, const char *url,
                             const char *method, const char *version, const char *upload,
                             size_t *upload_size, void **con_cls) {
    (void)cls;
    (void)method;
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)con_cls;
    struct MHD_Response *r;
    if (!strcmp(url, "/big.csv"))
        r = MHD_create_response_from_buffer(g_big_len, g_big, MHD_RESPMEM_PERSISTENT);
    else
        r = MHD_create_response_from_callback(g_big_len, 4096, slow_reader, NULL, NULL);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static int setup(void **state) {
    (void)state;
    g_big = test_slurp(RF_TEST_DATA "/lists/ofac-sdn/2023-12-28/sdn.csv", &g_big_len);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
                             NULL, NULL, serve, NULL, MHD_OPTION_SOCK_ADDR, &a, MHD_OPTION_END);
    if (!g_mhd) return -1;
    g_port = MHD_get_daemon_info(g_mhd, MHD_DAEMON_INFO_BIND_PORT)->port;
    return 0;
}

static int teardown(void **state) {
    (void)state;
    MHD_stop_daemon(g_mhd);
    free(g_big);
    return 0;
}

/* A tmpfs of size bytes on a new folder (in *dir), or false (and why) when
 * this process may not mount one. */
static bool small_disk(char *dir, size_t size) {
    if (geteuid() != 0) {
        fprintf(stderr, "SKIP: a full-disk test needs root to mount a tmpfs\n");
        return false;
    }
    strcpy(dir, "/tmp/rf_fullXXXXXX");
    assert_non_null(mkdtemp(dir));
    char opts[64];
    snprintf(opts, sizeof opts, "size=%zu", size);
    if (mount("tmpfs", dir, "tmpfs", 0, opts) != 0) {
        fprintf(stderr, "SKIP: cannot mount a tmpfs: %s\n", strerror(errno));
        rmdir(dir);
        return false;
    }
    return true;
}

static void drop_disk(const char *dir) {
    assert_int_equal(umount(dir), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* Files in dir other than those named (NULL-ended); for leftovers. */
static int other_files(const char *dir, const char *const *keep) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls -A %s", dir);
    FILE *p = popen(cmd, "r");
    char name[256];
    int n = 0;
    while (fgets(name, sizeof name, p)) {
        name[strcspn(name, "\n")] = '\0';
        bool kept = false;
        for (size_t i = 0; keep[i]; i++)
            kept |= !strcmp(name, keep[i]);
        if (!kept) {
            fprintf(stderr, "leftover: %s/%s\n", dir, name);
            n++;
        }
    }
    pclose(p);
    return n;
}

static rf_dataset *fixture_dataset(void) {
    rf_dataset *ds;
    rf_error err;
    rf_ofac_files f = {RF_TEST_FIXTURES "/ofac/sdn.csv", RF_TEST_FIXTURES "/ofac/add.csv",
                       RF_TEST_FIXTURES "/ofac/alt.csv", NULL};
    assert_int_equal(rf_dataset_new(NULL, &ds, &err), RF_OK);
    assert_int_equal(rf_dataset_add_ofac_csv(ds, "us_ofac_sdn", "SDN", &f, &err), RF_OK);
    assert_int_equal(rf_dataset_finish(ds, &err), RF_OK);
    return ds;
}

/* The disk fills while a new index is written over a good one: the write
 * fails saying so, the good index still opens and screens, and no
 * temporary file is left. */
static void test_disk_full_index_build(void **state) {
    (void)state;
    rf_dataset *ds = fixture_dataset();
    rf_matcher *m;
    rf_error err;
    assert_int_equal(rf_matcher_new(ds, &m, &err), RF_OK);
    /* the size of this index, to make a disk that holds one but not two */
    char probe[] = "/tmp/rf_probeXXXXXX";
    int fd = mkstemp(probe);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(rf_index_write(m, probe, &err), RF_OK);
    struct stat sb;
    assert_int_equal(stat(probe, &sb), 0);
    unlink(probe);
    char dir[64];
    if (!small_disk(dir, (size_t)sb.st_size * 3 / 2 + 65536)) {
        rf_matcher_free(m);
        rf_dataset_free(ds);
        return;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/lists.rfx", dir);
    assert_int_equal(rf_index_write(m, path, &err), RF_OK);
    assert_int_equal(rf_index_write(m, path, &err), RF_E_IO);
    assert_non_null(strstr(err.msg, "cannot write the index: No space left on device"));
    const char *keep[] = {"lists.rfx", NULL};
    assert_int_equal(other_files(dir, keep), 0);
    rf_index *ix;
    assert_int_equal(rf_index_open(path, &ix, &err), RF_OK);
    rf_results *res = rf_results_new();
    rf_query q = {0};
    q.name = "AEROCARIBBEAN AIRLINES";
    assert_int_equal(rf_match_query(rf_index_matcher(ix), &q, NULL, res, &err), RF_OK);
    assert_string_equal(rf_results_get(res, 0)->entity->id, "us_ofac_sdn:36");
    rf_results_free(res);
    rf_index_close(ix);
    drop_disk(dir);
    rf_matcher_free(m);
    rf_dataset_free(ds);
}

/* A data folder with the fixture sdn.csv as list t, downloaded from path
 * on the test server. */
static void make_data_dir(const char *dir, const char *url_path) {
    char file[256];
    size_t len;
    char *sdn = test_slurp(RF_TEST_FIXTURES "/ofac/sdn.csv", &len);
    snprintf(file, sizeof file, "%s/sdn.csv", dir);
    FILE *f = fopen(file, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(sdn, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(sdn);
    snprintf(file, sizeof file, "%s/sources.json", dir);
    f = fopen(file, "w");
    assert_non_null(f);
    fprintf(f,
            "{\"sources\": [{\"list\": \"t\", \"format\": \"ofac_csv\", \"published\": "
            "\"2023-12-28\", \"files\": {\"primary\": \"sdn.csv\"}, \"urls\": {\"primary\": "
            "\"http://127.0.0.1:%u%s\"}}]}\n",
            g_port, url_path);
    assert_int_equal(fclose(f), 0);
}

/* The lists of dir load, with the fixture's entities (the previous lists). */
static void assert_previous_lists(const char *dir) {
    rf_dataset *ds;
    rf_error err;
    assert_int_equal(rf_dataset_load(dir, NULL, &ds, &err), RF_OK);
    rf_dataset *fx = fixture_dataset();
    assert_int_equal(rf_dataset_count(ds), rf_dataset_count(fx));
    assert_non_null(rf_dataset_find(ds, "t:36"));
    rf_dataset_free(fx);
    rf_dataset_free(ds);
}

/* The disk fills during a list update: the update fails saying so, the
 * lists in use are untouched and no partial download is left. */
static void test_disk_full_update(void **state) {
    (void)state;
    char dir[64];
    if (!small_disk(dir, 1024 * 1024)) return; /* the download is 3.4 MB */
    make_data_dir(dir, "/big.csv");
    rf_update_options o;
    rf_update_options_init(&o);
    o.timeout_s = 30;
    rf_update_result *res;
    size_t n;
    rf_error err;
    assert_int_not_equal(rf_data_update(dir, &o, &res, &n, &err), RF_OK);
    assert_int_equal(n, 1);
    assert_int_equal(res[0].state, RF_UPDATE_FAILED);
    assert_non_null(strstr(res[0].message, "sdn.csv.download: No space left on device"));
    free(res);
    const char *keep[] = {"sdn.csv", "sources.json", NULL};
    assert_int_equal(other_files(dir, keep), 0);
    assert_previous_lists(dir);
    drop_disk(dir);
}

/* `redflag lists update` killed with SIGKILL while it downloads: the lists
 * in use are untouched and load; the next update replaces the leftover
 * download and succeeds. */
static void test_kill_during_update(void **state) {
    (void)state;
    char dir[] = "/tmp/rf_killXXXXXX";
    assert_non_null(mkdtemp(dir));
    make_data_dir(dir, "/slow.csv");
    char download[128];
    snprintf(download, sizeof download, "%s/sdn.csv.download", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(RF_TEST_BINARY, RF_TEST_BINARY, "--data", dir, "lists", "update", (char *)NULL);
        _exit(127);
    }
    /* wait until the download has started (its file has bytes) */
    struct stat sb;
    bool started = false;
    for (int i = 0; i < 300 && !started; i++) {
        usleep(50000);
        started = stat(download, &sb) == 0 && sb.st_size > 0;
    }
    assert_true(started);
    assert_int_equal(kill(pid, SIGKILL), 0);
    int ws;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    assert_true(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
    assert_previous_lists(dir);
    /* the next update (a complete download) goes through */
    make_data_dir(dir, "/big.csv");
    rf_update_options o;
    rf_update_options_init(&o);
    rf_update_result *res;
    size_t n;
    rf_error err;
    assert_int_equal(rf_data_update(dir, &o, &res, &n, &err), RF_OK);
    assert_int_equal(res[0].state, RF_UPDATE_UPDATED);
    assert_true(res[0].entities_after > 10000);
    free(res);
    assert_int_not_equal(access(download, F_OK), 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* Runs the binary with args (NULL-ended), stdin from in, stdout and stderr
 * to files under dir; returns the exit status and fills err (stderr). */
static int run_cli(const char *const *args, const char *in, char *err, size_t cap) {
    char out_path[] = "/tmp/rf_faults_outXXXXXX", err_path[] = "/tmp/rf_faults_errXXXXXX";
    int out = mkstemp(out_path), errfd = mkstemp(err_path);
    assert_true(out >= 0 && errfd >= 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int infd = open(in ? in : "/dev/null", O_RDONLY);
        dup2(infd, 0);
        dup2(out, 1);
        dup2(errfd, 2);
        execv(RF_TEST_BINARY, (char *const *)args);
        _exit(127);
    }
    int ws;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    lseek(errfd, 0, SEEK_SET);
    ssize_t n = read(errfd, err, cap - 1);
    err[n > 0 ? n : 0] = '\0';
    close(out);
    close(errfd);
    unlink(out_path);
    unlink(err_path);
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

/* The disk fills during `redflag screen --record`: the run fails saying
 * how many screenings are not in the record, the record keeps whole
 * batches, its audit chain verifies, and with space again the same batch
 * goes through. */
static void test_disk_full_record(void **state) {
    (void)state;
    char dir[64];
    if (!small_disk(dir, 1024 * 1024)) return;
    char db[128], small[] = "/tmp/rf_faults_smallXXXXXX", big[] = "/tmp/rf_faults_bigXXXXXX";
    snprintf(db, sizeof db, "%s/record.db", dir);
    FILE *f = fdopen(mkstemp(small), "w");
    for (int i = 0; i < 20; i++)
        fprintf(f, "{\"id\": \"s%d\", \"name\": \"Kim Sang Man\"}\n", i);
    fclose(f);
    f = fdopen(mkstemp(big), "w");
    for (int i = 0; i < 3000; i++)
        fprintf(f, "{\"id\": \"b%d\", \"name\": \"AEROCARIBBEAN AIRLINES %d\"}\n", i, i);
    fclose(f);
    const char *screen[] = {RF_TEST_BINARY, "--data",  RF_TEST_DATA, "screen",
                            "--record",     "--store", db,           NULL};
    const char *verify[] = {RF_TEST_BINARY, "audit", "verify", "--store", db, NULL};
    char err[8192];
    assert_int_equal(run_cli(screen, small, err, sizeof err), 0);
    assert_int_equal(run_cli(screen, big, err, sizeof err), 2);
    assert_non_null(strstr(err, "a batch of 1000 screenings not recorded: store: commit: database "
                                "or disk is full"));
    assert_non_null(strstr(err, "3000 of 3000 screenings were printed but are not in the record"));
    /* the record as it was before: the lists' load and 20 screenings */
    char out_path[] = "/tmp/rf_faults_verifyXXXXXX";
    close(mkstemp(out_path));
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s audit verify --store %s > %s 2>&1", RF_TEST_BINARY, db, out_path);
    assert_int_equal(system(cmd), 0);
    size_t len;
    char *text = test_slurp(out_path, &len);
    assert_non_null(strstr(text, "audit log: 21 rows, chain intact"));
    free(text);
    /* room again: the batch is recorded */
    assert_int_equal(mount("tmpfs", dir, "tmpfs", MS_REMOUNT, "size=64m"), 0);
    assert_int_equal(run_cli(screen, big, err, sizeof err), 0);
    assert_int_equal(run_cli(verify, NULL, err, sizeof err), 0);
    assert_int_equal(system(cmd), 0);
    text = test_slurp(out_path, &len);
    assert_non_null(strstr(text, "audit log: 3021 rows, chain intact"));
    free(text);
    unlink(out_path);
    unlink(small);
    unlink(big);
    drop_disk(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disk_full_index_build),
        cmocka_unit_test(test_disk_full_update),
        cmocka_unit_test(test_kill_during_update),
        cmocka_unit_test(test_disk_full_record),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
