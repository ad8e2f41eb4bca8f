/* The HTTP API on 127.0.0.1 (a free port) over the bundled lists: every
 * route, the bad-input cases (each a 4xx with a JSON error, the server goes
 * on), and requests from several threads at once. */
#include "test_util.h"

#include <errno.h>

#include <curl/curl.h>
#include <jansson.h>
#include <arpa/inet.h>
#include <poll.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static rf_matcher *g_m;
static rf_server *g_srv;
static unsigned g_port;
static bool g_path_as_is; /* send the path as written (no ../ squashing) */

typedef struct reply {
    long status;
    char *body;
    size_t len;
} reply;

static size_t on_data(char *p, size_t size, size_t n, void *ud) {
    reply *r = ud;
    r->body = realloc(r->body, r->len + size * n + 1);
    memcpy(r->body + r->len, p, size * n);
    r->len += size * n;
    r->body[r->len] = '\0';
    return size * n;
}

/* method "GET" or "POST" (body, len) to path. */
static reply call(const char *method, const char *path, const char *body, size_t len) {
    reply r = {0, calloc(1, 1), 0};
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", g_port, path);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    if (g_path_as_is) curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    if (!strcmp(method, "POST")) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
    }
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_cleanup(c);
    return r;
}

static json_t *json_of(const reply *r) {
    json_error_t je;
    json_t *o = json_loads(r->body, 0, &je);
    if (!o) fail_msg("not JSON: %s", r->body);
    return o;
}

static int setup(void **state) {
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rf_error err;
    if (rf_matcher_new(bundled_dataset(), &g_m, &err) != RF_OK) return -1;
    rf_server_config cfg;
    rf_server_config_init(&cfg);
    cfg.port = 0;
    cfg.threads = 2;
    cfg.max_body = 4096;
    cfg.max_batch = 5;
    if (rf_server_start(bundled_dataset(), g_m, &cfg, &g_srv, &err) != RF_OK) return -1;
    g_port = rf_server_port(g_srv);
    return g_port ? 0 : -1;
}

static int teardown(void **state) {
    rf_server_stop(g_srv);
    rf_matcher_free(g_m);
    curl_global_cleanup();
    return free_bundled(state);
}

static void test_routes(void **state) {
    (void)state;
    reply r = call("GET", "/healthz", NULL, 0);
    assert_int_equal(r.status, 200);
    free(r.body);
    r = call("GET", "/readyz", NULL, 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"entities\":15266"));
    free(r.body);

    r = call("GET", "/v1/lists", NULL, 0);
    assert_int_equal(r.status, 200);
    json_t *o = json_of(&r);
    json_t *lists = json_object_get(o, "lists");
    assert_int_equal(json_array_size(lists), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(lists, 0), "list")),
                        "us_ofac_sdn");
    json_decref(o);
    free(r.body);

    const char *q = "{\"id\": \"q1\", \"name\": \"King San Man\"}";
    r = call("POST", "/v1/screen", q, strlen(q));
    assert_int_equal(r.status, 200);
    o = json_of(&r);
    assert_true(json_is_true(json_object_get(o, "alert")));
    json_t *m = json_array_get(json_object_get(o, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "entity")), "us_ofac_sdn:43377");
    json_decref(o);
    free(r.body);

    /* a batch answers in order, a bad query in it gets its own error */
    const char *batch = "[{\"id\": \"a\", \"name\": \"Kim Sang Man\"}, {\"id\": \"b\", \"name\": "
                        "\"Olivia Nobody\"}, {\"id\": \"c\", \"type\": \"cat\"}]";
    r = call("POST", "/v1/screen", batch, strlen(batch));
    assert_int_equal(r.status, 200);
    o = json_of(&r);
    assert_int_equal(json_array_size(o), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(o, 0), "id")), "a");
    assert_true(json_is_true(json_object_get(json_array_get(o, 0), "alert")));
    assert_true(json_is_false(json_object_get(json_array_get(o, 1), "alert")));
    assert_non_null(json_object_get(json_array_get(o, 2), "error"));
    json_decref(o);
    free(r.body);

    r = call("GET", "/v1/search?q=King%20San%20Man&limit=3", NULL, 0);
    assert_int_equal(r.status, 200);
    o = json_of(&r);
    m = json_array_get(json_object_get(o, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "entity")), "us_ofac_sdn:43377");
    assert_true(json_array_size(json_object_get(o, "matches")) <= 3);
    json_decref(o);
    free(r.body);
    r = call("GET", "/v1/search?q=Mohammed%20Ali&list=un_sc&min_score=0.8", NULL, 0);
    assert_int_equal(r.status, 200);
    o = json_of(&r);
    size_t i;
    json_t *x;
    assert_true(json_array_size(json_object_get(o, "matches")) > 0);
    json_array_foreach(json_object_get(o, "matches"), i, x)
        assert_string_equal(json_string_value(json_object_get(x, "list")), "un_sc");
    json_decref(o);
    free(r.body);

    r = call("GET", "/v1/entities/us_ofac_sdn:43377", NULL, 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40"));
    o = json_of(&r);
    json_t *src = json_object_get(o, "source");
    assert_string_equal(json_string_value(json_object_get(src, "published")), "2023-12-28");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(src, "files"), 0), "sha256")),
                        "d768d28ee9e3ac7b27f9a956c922bf97dc286ebd39eff63faa4ef231f1ef668b");
    json_decref(o);
    free(r.body);

    /* the page and its files */
    r = call("GET", "/", NULL, 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<title>redflag"));
    free(r.body);
    r = call("GET", "/app.js", NULL, 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "/v1/search"));
    free(r.body);

    r = call("GET", "/metrics", NULL, 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "redflag_requests_total{route=\"screen\"} 2"));
    assert_non_null(
        strstr(r.body, "redflag_list_info{list=\"us_ofac_sdn\",published=\"2023-12-28\""));
    assert_non_null(strstr(r.body, "redflag_alerts_total"));
    free(r.body);
}

static void test_bad_input(void **state) {
    (void)state;
    static char big[5000];
    memset(big, ' ', sizeof big);
    big[0] = '{';
    big[sizeof big - 1] = '}';
    static const char bad_utf8[] = "{\"name\": \"K\xc3\x28m\"}";
    const char *six = "[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"},{\"name\":\"d\"},"
                      "{\"name\":\"e\"},{\"name\":\"f\"}]";
    static const struct {
        const char *method, *path, *body;
        size_t len;
        long status;
        const char *says;
    } cases[] = {
        {"POST", "/v1/screen", "{\"name\": 5", 10, 400, "not JSON"},
        {"POST", "/v1/screen", "\"Kim\"", 5, 400, "query object"},
        {"POST", "/v1/screen", "{\"id\": \"w\", \"name\": 42}", 23, 400, "expected a string"},
        {"POST", "/v1/screen", "{\"name\": \"Kim\"}", 15, 400, "required"},
        {"POST", "/v1/screen", bad_utf8, sizeof bad_utf8 - 1, 400, "not JSON"},
        {"POST", "/v1/screen", big, sizeof big, 413, "larger than 4096"},
        {"GET", "/v1/screen", NULL, 0, 405, "POST"},
        {"POST", "/v1/lists", "{}", 2, 405, "GET"},
        {"GET", "/v1/nothing", NULL, 0, 404, "no such route"},
        {"GET", "/v1/entities/us_ofac_sdn:1", NULL, 0, 404, "no entity"},
        {"GET", "/v1/search", NULL, 0, 400, "q="},
        {"GET", "/v1/search?q=Kim&min_score=2", NULL, 0, 400, "min_score"},
        {"GET", "/v1/search?q=Kim&limit=0", NULL, 0, 400, "limit"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reply r = call(cases[i].method, cases[i].path, cases[i].body, cases[i].len);
        if (r.status != cases[i].status || !strstr(r.body, cases[i].says))
            fail_msg("%s %s: %ld %s (expected %ld saying '%s')", cases[i].method, cases[i].path,
                     r.status, r.body, cases[i].status, cases[i].says);
        json_decref(json_of(&r)); /* every error is a JSON object */
        free(r.body);
    }
    reply r = call("POST", "/v1/screen", six, strlen(six));
    assert_int_equal(r.status, 413);
    assert_non_null(strstr(r.body, "at most 5"));
    free(r.body);
    /* and it still serves */
    r = call("GET", "/healthz", NULL, 0);
    assert_int_equal(r.status, 200);
    free(r.body);
}

/* OpenSanctions yente's /match: existing clients get redflag's answers in
 * yente's shape. */
static void test_yente_match(void **state) {
    (void)state;
    const char *body = "{\"queries\": {\"q1\": {\"schema\": \"Person\", \"properties\": {\"name\": "
                       "[\"King San Man\"], \"birthDate\": [\"1965-04-25\"], \"nationality\": "
                       "[\"kp\"]}}, \"q2\": {\"schema\": \"Company\", \"properties\": {\"name\": "
                       "[\"Jinyong IT Cooperation Co.\"]}}}}";
    reply r = call("POST", "/match/default?limit=3", body, strlen(body));
    assert_int_equal(r.status, 200);
    json_t *o = json_of(&r);
    json_t *q1 = json_object_get(json_object_get(o, "responses"), "q1");
    assert_int_equal(json_integer_value(json_object_get(q1, "status")), 200);
    json_t *top = json_array_get(json_object_get(q1, "results"), 0);
    assert_string_equal(json_string_value(json_object_get(top, "id")), "us_ofac_sdn:43377");
    assert_string_equal(json_string_value(json_object_get(top, "caption")), "KIM, Sang Man");
    assert_string_equal(json_string_value(json_object_get(top, "schema")), "Person");
    assert_true(json_is_true(json_object_get(top, "match")));
    assert_true(json_real_value(json_object_get(top, "score")) >= 0.85);
    assert_non_null(json_object_get(json_object_get(top, "features"), "birth_date"));
    assert_true(json_array_size(json_object_get(q1, "results")) <= 3);
    json_t *q2 = json_object_get(json_object_get(o, "responses"), "q2");
    top = json_array_get(json_object_get(q2, "results"), 0);
    assert_string_equal(json_string_value(json_object_get(top, "id")), "us_ofac_sdn:43379");
    assert_int_equal(json_integer_value(json_object_get(o, "limit")), 3);
    json_decref(o);
    free(r.body);

    /* one list as the dataset */
    const char *un = "{\"queries\": {\"a\": {\"schema\": \"Person\", \"properties\": "
                     "{\"name\": [\"Mohammed Ali\"]}}}}";
    r = call("POST", "/match/un_sc?cutoff=0.7", un, strlen(un));
    assert_int_equal(r.status, 200);
    o = json_of(&r);
    size_t i;
    json_t *x;
    json_t *res = json_object_get(json_object_get(json_object_get(o, "responses"), "a"), "results");
    assert_true(json_array_size(res) > 0);
    json_array_foreach(res, i, x) assert_string_equal(
        json_string_value(json_array_get(json_object_get(x, "datasets"), 0)), "un_sc");
    json_decref(o);
    free(r.body);

    r = call("POST", "/match/nosuchlist", un, strlen(un));
    assert_int_equal(r.status, 404);
    free(r.body);
    r = call("POST", "/match/default", "{\"query\": 1}", 12);
    assert_int_equal(r.status, 400);
    free(r.body);
    r = call("POST", "/match/default?threshold=3", un, strlen(un));
    assert_int_equal(r.status, 400);
    free(r.body);
}

static void *hammer(void *arg) {
    (void)arg;
    const char *q = "{\"id\": \"x\", \"name\": \"Jinyong IT Cooperation Co.\"}";
    long bad = 0;
    for (int i = 0; i < 50; i++) {
        reply r = call("POST", "/v1/screen", q, strlen(q));
        bad += r.status != 200 || !strstr(r.body, "us_ofac_sdn:43379");
        free(r.body);
    }
    return (void *)bad;
}

static void test_concurrent(void **state) {
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, hammer, NULL);
    long bad = 0;
    for (int i = 0; i < 4; i++) {
        void *v;
        pthread_join(t[i], &v);
        bad += (long)v;
    }
    assert_int_equal(bad, 0);
}

/* Reload under load: the lists are swapped ten times while four threads
 * screen; every request is answered, on the old lists or the new. */
typedef struct small {
    rf_dataset *ds;
    rf_matcher *m;
} small;

static void release_small(void *p) {
    small *x = p;
    rf_matcher_free(x->m);
    rf_dataset_free(x->ds);
    free(x);
}

static bool reload_small(void *ctx, const rf_dataset **ds, const rf_matcher **m,
                         void (**release)(void *), void **release_ctx, rf_error *err) {
    int *n = ctx;
    small *x = calloc(1, sizeof *x);
    const char *file =
        ++*n % 2 ? RF_TEST_FIXTURES "/un/hangul.xml" : RF_TEST_FIXTURES "/un/consolidated.xml";
    if (rf_dataset_new(NULL, &x->ds, err) != RF_OK ||
        rf_dataset_add_un_xml(x->ds, "un_sc", "UN", file, err) != RF_OK ||
        rf_dataset_finish(x->ds, err) != RF_OK || rf_matcher_new(x->ds, &x->m, err) != RF_OK) {
        release_small(x);
        return false;
    }
    *ds = x->ds;
    *m = x->m;
    *release = release_small;
    *release_ctx = x;
    return true;
}

static atomic_int g_stop;

static void *screen_until_stopped(void *arg) {
    (void)arg;
    const char *q = "{\"id\": \"x\", \"name\": \"Paek Chang Ho\"}";
    long bad = 0;
    while (!atomic_load(&g_stop)) {
        reply r = call("POST", "/v1/screen", q, strlen(q));
        bad += r.status != 200 || !strstr(r.body, "\"alert\"");
        free(r.body);
    }
    return (void *)bad;
}

static void test_reload_under_load(void **state) {
    (void)state;
    unsigned main_port = g_port;
    int loads = 0;
    rf_server_config cfg;
    rf_server_config_init(&cfg);
    cfg.port = 0;
    cfg.admin_token = "t0k3n";
    cfg.reload = reload_small;
    cfg.reload_ctx = &loads;
    rf_server *srv;
    rf_error err;
    assert_int_equal(rf_server_start(bundled_dataset(), g_m, &cfg, &srv, &err), RF_OK);
    g_port = rf_server_port(srv);
    atomic_store(&g_stop, 0);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, screen_until_stopped, NULL);
    CURL *c = curl_easy_init();
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/v1/admin/reload", g_port);
    for (int i = 0; i < 10; i++) {
        reply r = {0, calloc(1, 1), 0};
        struct curl_slist *h = curl_slist_append(NULL, "Authorization: Bearer t0k3n");
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
        assert_int_equal(curl_easy_perform(c), CURLE_OK);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
        curl_slist_free_all(h);
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body, "reloaded"));
        free(r.body);
    }
    curl_easy_cleanup(c);
    atomic_store(&g_stop, 1);
    long bad = 0;
    for (int i = 0; i < 4; i++) {
        void *v;
        pthread_join(t[i], &v);
        bad += (long)v;
    }
    assert_int_equal(bad, 0);
    assert_int_equal(loads, 10);
    /* the last load (even: the UN fixture) is in use */
    reply r = call("GET", "/readyz", NULL, 0);
    assert_non_null(strstr(r.body, "\"entities\":"));
    assert_null(strstr(r.body, "\"entities\":15266"));
    free(r.body);
    /* a wrong token is refused, and a server without one has no admin route */
    r = call("POST", "/v1/admin/reload", "", 0);
    assert_int_equal(r.status, 401);
    free(r.body);
    rf_server_stop(srv);
    g_port = main_port;
    r = call("POST", "/v1/admin/reload", "", 0);
    assert_int_equal(r.status, 404);
    free(r.body);
}

/* The record over HTTP: POST /v1/screen?record=1 keeps screenings and
 * opens alerts; the queue, one alert with its explanation, a decision,
 * four-eyes through the admin route, the blocked report, the audit chain. */
static void test_record_routes(void **state) {
    (void)state;
    unsigned main_port = g_port;
    /* without a store the record's routes say how to get one */
    reply r = call("GET", "/v1/alerts", NULL, 0);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "--store"));
    free(r.body);
    const char *one_query = "{\"id\":\"a\",\"name\":\"Kim Sang Man\"}";
    r = call("POST", "/v1/screen?record=1", one_query, strlen(one_query));
    assert_int_equal(r.status, 400);
    free(r.body);

    char db[] = "/tmp/rf_srv_storeXXXXXX";
    int fd = mkstemp(db);
    assert_true(fd >= 0);
    close(fd);
    unlink(db);
    rf_server_config cfg;
    rf_server_config_init(&cfg);
    cfg.port = 0;
    cfg.store = db;
    cfg.admin_token = "adm";
    rf_server *srv;
    rf_error err;
    assert_int_equal(rf_server_start(bundled_dataset(), g_m, &cfg, &srv, &err), RF_OK);
    g_port = rf_server_port(srv);

    const char *batch = "[{\"id\":\"w1\",\"name\":\"Kim Sang Man\"},"
                        "{\"id\":\"w2\",\"name\":\"Olivia Nobody\"},{\"name\":\"Kim Sang Man\"}]";
    r = call("POST", "/v1/screen?record=1", batch, strlen(batch));
    assert_int_equal(r.status, 200);
    json_t *res = json_of(&r);
    assert_true(json_is_true(json_object_get(json_array_get(res, 0), "alert")));
    /* a query without an id (no subject) is refused alone; the others are kept */
    assert_non_null(
        strstr(json_string_value(json_object_get(json_array_get(res, 2), "error")), "\"id\""));
    json_decref(res);
    free(r.body);

    r = call("GET", "/v1/alerts?status=open", NULL, 0);
    assert_int_equal(r.status, 200);
    json_t *q = json_of(&r);
    assert_int_equal(json_array_size(q), 1);
    json_t *a = json_array_get(q, 0);
    assert_string_equal(json_string_value(json_object_get(a, "subject_id")), "w1");
    assert_string_equal(json_string_value(json_object_get(a, "entity")), "us_ofac_sdn:43377");
    assert_string_equal(json_string_value(json_object_get(a, "entity_name")), "KIM, Sang Man");
    json_int_t id = json_integer_value(json_object_get(a, "alert_id"));
    json_decref(q);
    free(r.body);

    char path[64];
    snprintf(path, sizeof path, "/v1/alerts/%lld", (long long)id);
    r = call("GET", path, NULL, 0);
    assert_int_equal(r.status, 200);
    json_t *one = json_of(&r);
    json_t *expl = json_object_get(json_object_get(one, "match"), "explanation");
    assert_string_equal(json_string_value(json_object_get(expl, "basis")), "name");
    assert_string_equal(json_string_value(json_object_get(json_object_get(one, "subject"), "name")),
                        "Kim Sang Man");
    json_decref(one);
    free(r.body);

    /* four-eyes on (admin token), then a true match waits for a second person */
    const char *fe = "{\"on\": true, \"by\": \"head of compliance\"}";
    r = call("POST", "/v1/admin/four-eyes", fe, strlen(fe));
    assert_int_equal(r.status, 401);
    free(r.body);
    CURL *c = curl_easy_init();
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/v1/admin/four-eyes", g_port);
    struct curl_slist *h = curl_slist_append(NULL, "Authorization: Bearer adm");
    reply ar = {0, calloc(1, 1), 0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, fe);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &ar);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &ar.status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    assert_int_equal(ar.status, 200);
    free(ar.body);

    snprintf(path, sizeof path, "/v1/alerts/%lld/decision", (long long)id);
    const char *d1 = "{\"decision\":\"true_match\",\"reason\":\"same DOB\",\"by\":\"ana\"}";
    r = call("POST", path, d1, strlen(d1));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"status\":\"pending_approval\""));
    free(r.body);
    const char *self = "{\"decision\":\"approve\",\"reason\":\"ok\",\"by\":\"ana\"}";
    r = call("POST", path, self, strlen(self));
    assert_int_equal(r.status, 400); /* not by the same person */
    free(r.body);
    const char *d2 = "{\"decision\":\"approve\",\"reason\":\"agreed\",\"by\":\"bo\"}";
    r = call("POST", path, d2, strlen(d2));
    assert_int_equal(r.status, 200);
    json_t *done = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(done, "status")), "true_match");
    assert_int_equal(json_array_size(json_object_get(done, "decisions")), 2);
    json_decref(done);
    free(r.body);
    const char *maybe = "{\"decision\":\"maybe\"}";
    r = call("POST", path, maybe, strlen(maybe));
    assert_int_equal(r.status, 400);
    free(r.body);
    r = call("GET", "/v1/alerts/999/decision", NULL, 0);
    assert_int_equal(r.status, 405);
    free(r.body);
    r = call("GET", "/v1/alerts/999", NULL, 0);
    assert_int_equal(r.status, 404);
    free(r.body);

    r = call("GET", "/v1/report/blocked", NULL, 0);
    assert_int_equal(r.status, 200);
    json_t *rep = json_of(&r);
    assert_int_equal(json_array_size(rep), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rep, 0), "decided_by")),
                        "bo");
    json_decref(rep);
    free(r.body);

    r = call("GET", "/v1/audit/verify", NULL, 0);
    assert_int_equal(r.status, 200);
    /* lists, 2 screenings, the setting, 2 decisions */
    assert_non_null(strstr(r.body, "\"intact\":true"));
    assert_non_null(strstr(r.body, "6 rows"));
    free(r.body);
    r = call("GET", "/v1/audit/export?format=csv&from=2000-01-01", NULL, 0);
    assert_int_equal(r.status, 200);
    const char *head = "seq,at,kind,payload,prev_hash,hash\n1,";
    assert_memory_equal(r.body, head, strlen(head));
    free(r.body);
    r = call("GET", "/v1/audit/export?to=yesterday", NULL, 0);
    assert_int_equal(r.status, 400);
    free(r.body);

    rf_server_stop(srv);
    g_port = main_port;
    char p[64];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
}

/* A slow client: connects to port and sends half a request's headers. */
static int slow_client(unsigned port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    const char *half = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    assert_int_equal(send(fd, half, strlen(half), MSG_NOSIGNAL), (ssize_t)strlen(half));
    return fd;
}

/* Whether the server closes fd within secs (recv sees the end, or a reset)
 * rather than leaving it open. */
static bool closed_within(int fd, int secs) {
    struct timeval tv = {.tv_sec = secs};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char b[256];
    ssize_t n = recv(fd, b, sizeof b, 0);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Slow and idle clients do not starve the others: a request is answered
 * while slow clients hold connections; past the per-address cap a new
 * connection is closed at once; idle ones are closed after the timeout,
 * which frees their places. */
static void test_slow_clients(void **state) {
    (void)state;
    rf_server_config cfg;
    rf_server_config_init(&cfg);
    assert_int_equal(cfg.max_connections, RF_LIMIT_CONNECTIONS);
    assert_int_equal(cfg.max_per_ip, RF_LIMIT_CONNECTIONS_PER_IP);
    assert_int_equal(cfg.timeout, RF_LIMIT_IDLE_SECONDS);
    cfg.port = 0;
    cfg.threads = 2;
    cfg.max_per_ip = 4;
    cfg.timeout = 6; /* well apart from the refusal's wait, on a loaded machine */
    rf_server *srv;
    rf_error err;
    assert_int_equal(rf_server_start(bundled_dataset(), g_m, &cfg, &srv, &err), RF_OK);
    unsigned main_port = g_port;
    g_port = rf_server_port(srv);
    int slow[3];
    for (int i = 0; i < 3; i++)
        slow[i] = slow_client(g_port);
    double t0 = now_s();
    reply r = call("GET", "/healthz", NULL, 0);
    assert_int_equal(r.status, 200);
    assert_true(now_s() - t0 < 1.5); /* not held up by the slow ones */
    free(r.body);
    /* two more: one is past the cap for the address (4) and is closed at
     * once; which one depends on the order the pool's threads accept them */
    int fds[5] = {slow[0], slow[1], slow[2], slow_client(g_port), slow_client(g_port)};
    bool gone[5] = {false};
    int closed = 0;
    double t1 = now_s();
    while (closed == 0 && now_s() - t1 < 3) {
        struct pollfd pf[5];
        for (int i = 0; i < 5; i++)
            pf[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
        poll(pf, 5, 100);
        for (int i = 0; i < 5; i++)
            if (!gone[i] && (pf[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
                closed_within(fds[i], 1)) {
                gone[i] = true;
                closed++;
            }
    }
    /* refused at once (a just-closed connection may still count: then two) */
    assert_true(closed >= 1);
    /* the idle ones are closed after the timeout (6 s) */
    for (int i = 0; i < 5; i++) {
        if (!gone[i]) assert_true(closed_within(fds[i], 15));
        close(fds[i]);
    }
    r = call("GET", "/healthz", NULL, 0);
    assert_int_equal(r.status, 200);
    free(r.body);
    rf_server_stop(srv);
    g_port = main_port;
}

/* The page's files are compiled in and looked up by exact path: no path
 * reaches the file system. */
static void test_no_path_traversal(void **state) {
    (void)state;
    const char *paths[] = {"/../../../../etc/passwd",
                           "/%2e%2e/%2e%2e/etc/passwd",
                           "/app.js/../../../etc/passwd",
                           "/..%2f..%2fetc%2fpasswd",
                           "//etc/passwd",
                           "/v1/entities/../../etc/passwd"};
    g_path_as_is = true;
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        reply r = call("GET", paths[i], NULL, 0);
        if (r.status != 404) fail_msg("%s: status %ld", paths[i], r.status);
        assert_null(strstr(r.body, "root:"));
        free(r.body);
    }
    /* libmicrohttpd decodes %00, which ends the path: still only the page's
     * own stylesheet */
    reply n = call("GET", "/style.css%00/../../etc/passwd", NULL, 0);
    reply css = call("GET", "/style.css", NULL, 0);
    assert_string_equal(n.body, css.body);
    free(n.body);
    free(css.body);
    g_path_as_is = false;
    reply r = call("GET", "/app.js", NULL, 0);
    assert_int_equal(r.status, 200);
    free(r.body);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slow_clients),
        cmocka_unit_test(test_no_path_traversal),
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_yente_match),
        cmocka_unit_test(test_concurrent),
        cmocka_unit_test(test_reload_under_load),
        cmocka_unit_test(test_record_routes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
