/* redflag lists update against a local HTTP server (libmicrohttpd on
 * 127.0.0.1): a good download is swapped in; an HTTP 500, a download cut
 * short, one that hangs and one that would shrink the list replace
 * nothing, and leave no partial file behind. */
#include "test_util.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

static char *g_sdn; /* the fixture sdn.csv */
static size_t g_sdn_len, g_small_len;
static struct MHD_Daemon *g_mhd;
static unsigned g_port;
static char g_dir[] = "/tmp/rf_updateXXXXXX";

/* Sends half the promised bytes, then breaks the connection. */
static ssize_t cut_reader(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)cls;
    if (pos >= g_sdn_len / 2) return MHD_CONTENT_READER_END_WITH_ERROR;
    size_t n = g_sdn_len / 2 - (size_t)pos;
    if (n > max) n = max;
    memcpy(buf, g_sdn + pos, n);
    return (ssize_t)n;
}

/* Sends nothing for up to 20 s (the client gives up first). */
static ssize_t hang_reader(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)pos;
    (void)buf;
    (void)max;
    time_t *start = cls;
    if (time(NULL) - *start > 20) return MHD_CONTENT_READER_END_WITH_ERROR;
    usleep(50000);
    return 0;
}

static void free_start(void *cls) {
    free(cls);
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
    unsigned code = MHD_HTTP_OK;
    if (!strcmp(url, "/sdn.csv")) {
        r = MHD_create_response_from_buffer(g_sdn_len, g_sdn, MHD_RESPMEM_PERSISTENT);
    } else if (!strcmp(url, "/small.csv")) {
        r = MHD_create_response_from_buffer(g_small_len, g_sdn, MHD_RESPMEM_PERSISTENT);
    } else if (!strcmp(url, "/cut.csv")) {
        r = MHD_create_response_from_callback(g_sdn_len, 4096, cut_reader, NULL, NULL);
    } else if (!strcmp(url, "/hang.csv")) {
        time_t *start = malloc(sizeof *start);
        *start = time(NULL);
        r = MHD_create_response_from_callback(g_sdn_len, 4096, hang_reader, start, free_start);
    } else {
        static char oops[] = "oops";
        code = !strcmp(url, "/error") ? MHD_HTTP_INTERNAL_SERVER_ERROR : MHD_HTTP_NOT_FOUND;
        r = MHD_create_response_from_buffer(4, oops, MHD_RESPMEM_PERSISTENT);
    }
    enum MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static int setup(void **state) {
    (void)state;
    g_sdn = test_slurp(RF_TEST_FIXTURES "/ofac/sdn.csv", &g_sdn_len);
    /* the first three records */
    const char *p = g_sdn;
    for (int i = 0; i < 3; i++)
        p = strchr(p, '\n') + 1;
    g_small_len = (size_t)(p - g_sdn);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
                             NULL, NULL, serve, NULL, MHD_OPTION_SOCK_ADDR, &a, MHD_OPTION_END);
    if (!g_mhd) return -1;
    g_port = MHD_get_daemon_info(g_mhd, MHD_DAEMON_INFO_BIND_PORT)->port;
    if (!mkdtemp(g_dir)) return -1;
    return 0;
}

static int teardown(void **state) {
    (void)state;
    MHD_stop_daemon(g_mhd);
    free(g_sdn);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* sources.json: one list t whose sdn.csv comes from path on the server,
 * and one list u without a download address. */
static void configure(const char *path) {
    char file[512];
    snprintf(file, sizeof file, "%s/sources.json", g_dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fprintf(f,
            "{\"sources\": [{\"list\": \"t\", \"format\": \"ofac_csv\", \"published\": "
            "\"2023-12-28\", \"files\": {\"primary\": \"sdn.csv\"}, \"urls\": {\"primary\": "
            "\"http://127.0.0.1:%u%s\"}},\n"
            "{\"list\": \"u\", \"format\": \"ofac_csv\", \"files\": {\"primary\": "
            "\"sdn.csv\"}}]}\n",
            g_port, path);
    fclose(f);
}

static char *in_place(size_t *len) {
    char file[512];
    snprintf(file, sizeof file, "%s/sdn.csv", g_dir);
    return test_slurp(file, len);
}

static bool leftovers(void) {
    char file[512];
    snprintf(file, sizeof file, "%s/sdn.csv.download", g_dir);
    return access(file, F_OK) == 0;
}

/* Runs an update of list t; returns its result. */
static rf_update_result update(const char *path, long timeout, bool force, rf_status *st) {
    configure(path);
    rf_update_options o;
    rf_update_options_init(&o);
    o.source = "t";
    o.timeout_s = timeout;
    o.force = force;
    rf_update_result *res;
    size_t n;
    rf_error err;
    *st = rf_data_update(g_dir, &o, &res, &n, &err);
    assert_int_equal(n, 1);
    rf_update_result r = res[0];
    free(res);
    return r;
}

static void test_failures_replace_nothing(void **state) {
    (void)state;
    /* the list in use: the fixture */
    char file[512];
    snprintf(file, sizeof file, "%s/sdn.csv", g_dir);
    FILE *f = fopen(file, "wb");
    fwrite(g_sdn, 1, g_sdn_len, f);
    fclose(f);
    static const struct {
        const char *path;
        const char *why;
    } cases[] = {
        {"/error", "HTTP 500"},
        {"/missing.csv", "HTTP 404"},
        {"/cut.csv", "truncated"},
        {"/hang.csv", "timed out after 2 s"},
        {"/small.csv", "more than 10% fewer"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_status st;
        rf_update_result r = update(cases[i].path, 2, false, &st);
        assert_int_not_equal(st, RF_OK);
        assert_int_equal(r.state, RF_UPDATE_FAILED);
        if (!strstr(r.message, cases[i].why))
            fail_msg("%s: '%s' does not say '%s'", cases[i].path, r.message, cases[i].why);
        size_t len;
        char *now = in_place(&len);
        assert_int_equal(len, g_sdn_len); /* the good data stays */
        assert_memory_equal(now, g_sdn, len);
        free(now);
        assert_false(leftovers());
    }
}

static void test_good_downloads_swap_in(void **state) {
    (void)state;
    rf_status st;
    /* a list shrinking that much is accepted only when forced */
    rf_update_result r = update("/small.csv", 10, true, &st);
    assert_int_equal(st, RF_OK);
    assert_int_equal(r.state, RF_UPDATE_UPDATED);
    assert_int_equal(r.entities_after, 3);
    assert_true(r.entities_before > 10);
    size_t len;
    char *now = in_place(&len);
    assert_int_equal(len, g_small_len);
    free(now);
    /* and back to the whole list */
    r = update("/sdn.csv", 10, false, &st);
    assert_int_equal(st, RF_OK);
    assert_int_equal(r.state, RF_UPDATE_UPDATED);
    assert_int_equal(r.entities_before, 3);
    now = in_place(&len);
    assert_int_equal(len, g_sdn_len);
    assert_memory_equal(now, g_sdn, len);
    free(now);
    assert_false(leftovers());
    /* the download date is recorded, and the folder still loads */
    char file[512];
    snprintf(file, sizeof file, "%s/sources.json", g_dir);
    size_t sl;
    char *json = test_slurp(file, &sl);
    assert_non_null(strstr(json, "\"downloaded\""));
    free(json);
    rf_dataset *ds;
    rf_error err;
    assert_int_equal(rf_dataset_load(g_dir, NULL, &ds, &err), RF_OK);
    assert_int_equal(rf_dataset_list(ds, 0)->n_entities, r.entities_after);
    rf_dataset_free(ds);

    /* every source: u has no download address */
    configure("/sdn.csv");
    rf_update_result *res;
    size_t n;
    assert_int_equal(rf_data_update(g_dir, NULL, &res, &n, &err), RF_OK);
    assert_int_equal(n, 2);
    assert_int_equal(res[1].state, RF_UPDATE_SKIPPED);
    free(res);
    rf_update_options o;
    rf_update_options_init(&o);
    o.source = "nosuchlist";
    assert_int_equal(rf_data_update(g_dir, &o, &res, &n, &err), RF_E_INVALID);
    assert_non_null(strstr(err.msg, "nosuchlist"));
    free(res);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failures_replace_nothing),
        cmocka_unit_test(test_good_downloads_swap_in),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
