/* Workforce screening (issue 8): the normalisers, the reader's errors, the
 * clusters and their link kinds, every rule, the guardrail on advisory
 * signals, real sanctions data, generated rings, and the command line. */
#include "test_util.h"
#include "workers/workers_int.h"

#include <jansson.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIX RF_TEST_FIXTURES "/workers/"

/* ---- MARK: helpers ---- */

static rf_matcher *g_matcher;

static const rf_matcher *matcher(void) {
    if (!g_matcher) {
        rf_error err;
        if (rf_matcher_new(bundled_dataset(), &g_matcher, &err) != RF_OK) {
            fprintf(stderr, "matcher: %s\n", err.msg);
            abort();
        }
    }
    return g_matcher;
}

static int teardown_all(void **state) {
    rf_matcher_free(g_matcher);
    g_matcher = NULL;
    return free_bundled(state);
}

typedef struct errors {
    int count;
    char all[4096];
} errors;

static void collect_error(void *ctx, const rf_error *e) {
    errors *er = ctx;
    er->count++;
    size_t used = strlen(er->all);
    snprintf(er->all + used, sizeof er->all - used, "%s\n", e->msg);
}

/* Runs the check on path; returns the output lines as a JSON object
 * {"workers": {id: line}, "clusters": [line...]}. */
static json_t *check(const char *path, bool with_matcher, errors *er, rf_workers_summary *sum) {
    rf_workers_options o;
    rf_workers_options_init(&o);
    FILE *out = tmpfile();
    assert_non_null(out);
    o.out = out;
    o.matcher = with_matcher ? matcher() : NULL;
    o.on_error = collect_error;
    o.ctx = er;
    rf_error err;
    rf_workers_summary s;
    assert_int_equal(rf_workers_check(path, &o, sum ? sum : &s, &err), RF_OK);
    rewind(out);
    json_t *res = json_pack("{s:{}, s:[]}", "workers", "clusters");
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, out) > 0) {
        json_error_t je;
        json_t *o2 = json_loads(line, 0, &je);
        assert_non_null(o2);
        if (json_object_get(o2, "members"))
            json_array_append_new(json_object_get(res, "clusters"), o2);
        else
            json_object_set_new(json_object_get(res, "workers"),
                                json_string_value(json_object_get(o2, "id")), o2);
    }
    free(line);
    fclose(out);
    return res;
}

static json_t *worker(json_t *res, const char *id) {
    json_t *w = json_object_get(json_object_get(res, "workers"), id);
    if (!w) fail_msg("no line for worker %s", id);
    return w;
}

/* The flag of rule in worker w (flags or advisory), or NULL. */
static json_t *flag(json_t *w, const char *section, const char *rule) {
    json_t *arr = json_object_get(w, section);
    for (size_t i = 0; i < json_array_size(arr); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(arr, i), "rule")), rule))
            return json_array_get(arr, i);
    return NULL;
}

static const char *severity(json_t *w, const char *rule) {
    json_t *f = flag(w, "flags", rule);
    return f ? json_string_value(json_object_get(f, "severity")) : NULL;
}

static const char *cluster_of(json_t *res, const char *id) {
    json_t *c = json_object_get(worker(res, id), "cluster");
    return json_is_string(c) ? json_string_value(c) : NULL;
}

static json_t *cluster(json_t *res, const char *name) {
    json_t *cl = json_object_get(res, "clusters");
    for (size_t i = 0; i < json_array_size(cl); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(cl, i), "cluster")), name))
            return json_array_get(cl, i);
    return NULL;
}

/* ---- MARK: normalisers ---- */

static void test_norm_email(void **state) {
    (void)state;
    rf_buf b;
    rf_buf_init(&b);
    assert_true(wk_norm_email("Liam.Scott+jobs@GMail.com", &b));
    assert_string_equal(b.data, "liamscott@gmail.com");
    assert_true(wk_norm_email(" l.i.a.m.scott@googlemail.com ", &b));
    assert_string_equal(b.data, "liamscott@gmail.com");
    /* dots matter outside Gmail; plus-tags do not */
    assert_true(wk_norm_email("Anna.Berg+cv@Example.ORG", &b));
    assert_string_equal(b.data, "anna.berg@example.org");
    assert_false(wk_norm_email("not-an-address", &b));
    assert_false(wk_norm_email("@example.org", &b));
    rf_buf_free(&b);
}

static void test_norm_phone(void **state) {
    (void)state;
    wk_norm n;
    rf_error err;
    assert_int_equal(wk_norm_init(&n, &err), RF_OK);
    rf_buf b;
    rf_buf_init(&b);
    assert_true(wk_norm_phone(&n, "(312) 555-0100", "US", &b));
    assert_string_equal(b.data, "13125550100");
    assert_true(wk_norm_phone(&n, "1-312-555-0100", "US", &b));
    assert_string_equal(b.data, "13125550100");
    assert_true(wk_norm_phone(&n, "+1 312 555 0100 ext. 12", NULL, &b));
    assert_string_equal(b.data, "13125550100");
    assert_true(wk_norm_phone(&n, "020 7946 0018", "GB", &b));
    assert_string_equal(b.data, "442079460018");
    assert_true(wk_norm_phone(&n, "0044 20 7946 0018", "FR", &b));
    assert_string_equal(b.data, "442079460018");
    assert_false(wk_norm_phone(&n, "12", "US", &b));
    rf_buf_free(&b);
    wk_norm_free(&n);
}

static void test_norm_address(void **state) {
    (void)state;
    wk_norm n;
    rf_error err;
    assert_int_equal(wk_norm_init(&n, &err), RF_OK);
    rf_buf a, b;
    rf_buf_init(&a);
    rf_buf_init(&b);
    assert_true(wk_norm_address(&n, "4410 North Maple Avenue, Apartment 7, Springfield", &a));
    assert_string_equal(a.data, "4410 n maple ave apt 7 springfield");
    assert_true(wk_norm_address(&n, "4410 N. MAPLE AVE APT 7 springfield", &b));
    assert_string_equal(a.data, b.data);
    assert_true(wk_norm_address(&n, "P.O. Box 12, Zürich", &a));
    assert_true(wk_norm_address(&n, "PO BOX 12 Zurich", &b));
    assert_string_equal(a.data, "po box 12 zurich");
    assert_string_equal(a.data, b.data);
    assert_true(wk_norm_address(&n, "12 Main Street", &a));
    assert_true(wk_norm_address(&n, "12 Main Road", &b));
    assert_string_not_equal(a.data, b.data);
    rf_buf_free(&a);
    rf_buf_free(&b);
    wk_norm_free(&n);
}

static void test_norm_wallet_and_numbers(void **state) {
    (void)state;
    rf_buf b;
    rf_buf_init(&b);
    assert_true(wk_norm_wallet(" 0xAbC123 ", &b));
    assert_string_equal(b.data, "0xabc123");
    assert_true(wk_norm_wallet("BC1QXY2KGDYGJRSQTZQ2N0YRF2493P83KKFJHX0WLH", &b));
    assert_string_equal(b.data, "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh");
    /* base58 is case-sensitive: kept as written */
    assert_true(wk_norm_wallet("1BoatSLRHtKNngkdXEeobR76b53LETtpyT", &b));
    assert_string_equal(b.data, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
    assert_true(wk_norm_alnum("fr76 3000-6000 0112", &b));
    assert_string_equal(b.data, "FR76300060000112");
    rf_buf_free(&b);
}

static void test_parse_time(void **state) {
    (void)state;
    int64_t t;
    assert_true(wk_parse_time("2025-03-01T02:10:00Z", &t));
    assert_int_equal(t, 1740795000);
    assert_true(wk_parse_time("2025-03-01T11:10:00+09:00", &t));
    assert_int_equal(t, 1740795000);
    assert_true(wk_parse_time("2025-03-01T02:10:00.123Z", &t));
    assert_int_equal(t, 1740795000);
    assert_true(wk_parse_time("2024-02-29T00:00Z", &t)); /* leap day, no seconds */
    assert_int_equal(t, 1709164800);
    assert_true(wk_parse_time("1969-12-31T19:00:00-05:00", &t));
    assert_int_equal(t, 0);
    assert_false(wk_parse_time("2025-03-01 02:10", &t));
    assert_false(wk_parse_time("2025-03-01T02:10:00", &t)); /* no zone */
    assert_false(wk_parse_time("2025-03-01T02:10:00Zjunk", &t));
    assert_false(wk_parse_time("2025-13-01T02:10:00Z", &t));
}

/* ---- MARK: reader ---- */

static void test_bad_records(void **state) {
    (void)state;
    errors er = {0};
    rf_workers_summary sum;
    json_t *res = check(FIX "bad.jsonl", false, &er, &sum);
    /* the good records on either side of the bad ones are judged */
    assert_int_equal(json_object_size(json_object_get(res, "workers")), 2);
    worker(res, "ok1");
    worker(res, "ok2");
    assert_int_equal(er.count, 7);
    assert_int_equal(sum.bad, 7);
    assert_int_equal(sum.lines, 9);
    assert_int_equal(sum.workers, 2);
    /* line and field named; values never */
    assert_non_null(strstr(er.all, "line 2: field \"logins[0].ts\""));
    assert_non_null(strstr(er.all, "line 3: not JSON"));
    assert_non_null(strstr(er.all, "line 5: field \"claimed_country\""));
    assert_non_null(strstr(er.all, "line 6: field \"id\" is required"));
    assert_non_null(strstr(er.all, "line 7: field \"emails\" must be an array"));
    assert_non_null(strstr(er.all, "line 8: not a JSON object"));
    assert_non_null(strstr(er.all, "line 10: field \"timezone\" must be an IANA timezone"));
    assert_null(strstr(er.all, "Olympus"));
    assert_null(strstr(er.all, "secret@example.org"));
    assert_null(strstr(er.all, "yesterday"));
    assert_null(strstr(er.all, "Nowhere"));
    json_decref(res);
    /* a file that cannot be read fails the run, naming it */
    rf_workers_options o;
    rf_workers_options_init(&o);
    rf_error err;
    assert_int_equal(rf_workers_check(FIX "missing.jsonl", &o, NULL, &err), RF_E_IO);
    assert_non_null(strstr(err.msg, "missing.jsonl: cannot open"));
    /* a pipe cannot be read twice: said before anything is read */
    assert_int_equal(rf_workers_check("/dev/null", &o, NULL, &err), RF_E_INVALID);
    assert_non_null(strstr(err.msg, "not a regular file"));
}

/* ---- MARK: clusters ---- */

static void test_clusters(void **state) {
    (void)state;
    errors er = {0};
    rf_workers_summary sum;
    json_t *res = check(FIX "small.jsonl", true, &er, &sum);
    assert_int_equal(er.count, 0);
    assert_int_equal(sum.workers, 9);
    assert_int_equal(sum.clusters, 3);
    /* a wallet written in two cases, with spaces */
    const char *ca = cluster_of(res, "a1");
    assert_non_null(ca);
    assert_string_equal(ca, cluster_of(res, "a2"));
    assert_string_equal(ca, "c1");
    json_t *c1 = cluster(res, "c1");
    assert_int_equal(json_array_size(json_object_get(c1, "members")), 2);
    json_t *link = json_array_get(json_object_get(c1, "links"), 0);
    assert_string_equal(json_string_value(json_object_get(link, "kind")), "wallet");
    assert_string_equal(json_string_value(json_object_get(link, "value")),
                        "0xabcdef0123456789abcdef0123456789abcdef01");
    assert_string_equal(severity(worker(res, "a1"), "shared_wallet"), "high");
    /* one shipping address written three ways: a laptop farm */
    const char *cb = cluster_of(res, "b1");
    assert_string_equal(cb, "c2");
    assert_string_equal(cluster_of(res, "b2"), cb);
    assert_string_equal(cluster_of(res, "b3"), cb);
    json_t *c2 = cluster(res, "c2");
    assert_int_equal(json_array_size(json_object_get(c2, "members")), 3);
    link = json_array_get(json_object_get(c2, "links"), 0);
    assert_string_equal(json_string_value(json_object_get(link, "kind")), "shipping_address");
    assert_string_equal(json_string_value(json_object_get(link, "value")),
                        "4410 n maple ave apt 7 springfield");
    assert_int_equal(json_array_size(json_object_get(link, "workers")), 3);
    json_t *fb = flag(worker(res, "b2"), "flags", "shared_shipping_address");
    assert_non_null(fb);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(fb, "evidence"), "workers")), 3);
    assert_string_equal(severity(worker(res, "b2"), "shipping_not_home"), "low");
    /* a Gmail mailbox with dots, case and a plus-tag */
    assert_string_equal(cluster_of(res, "c1"), "c3");
    assert_string_equal(cluster_of(res, "c2"), "c3");
    link = json_array_get(json_object_get(cluster(res, "c3"), "links"), 0);
    assert_string_equal(json_string_value(json_object_get(link, "kind")), "email");
    assert_string_equal(json_string_value(json_object_get(link, "value")), "liamscott@gmail.com");
    /* clean workers stay quiet: no flag, no cluster, risk 0 */
    for (const char *const *id = (const char *const[]){"d1", "d2", NULL}; *id; id++) {
        json_t *w = worker(res, *id);
        assert_int_equal(json_integer_value(json_object_get(w, "risk")), 0);
        assert_int_equal(json_array_size(json_object_get(w, "flags")), 0);
        assert_int_equal(json_array_size(json_object_get(w, "advisory")), 0);
        assert_true(json_is_null(json_object_get(w, "cluster")));
    }
    json_decref(res);
}

static void test_links_union_find(void **state) {
    (void)state;
    /* 0-1 share a, 1-2 share b, 3 alone, 4-5 share c: two clusters,
     * numbered in input order */
    wk_links l;
    wk_links_init(&l);
    assert_true(wk_links_add(&l, 0, WK_WALLET, 100));
    assert_true(wk_links_add(&l, 1, WK_WALLET, 100));
    assert_true(wk_links_add(&l, 1, WK_PHONE, 200));
    assert_true(wk_links_add(&l, 2, WK_PHONE, 200));
    assert_true(wk_links_add(&l, 2, WK_PHONE, 200)); /* twice by one worker */
    assert_true(wk_links_add(&l, 3, WK_EMAIL, 300));
    assert_true(wk_links_add(&l, 4, WK_LOGIN_IP, 400));
    assert_true(wk_links_add(&l, 5, WK_LOGIN_IP, 400));
    assert_true(wk_links_build(&l, 6, 100));
    assert_int_equal(l.n_clusters, 2);
    assert_int_equal(l.n_groups, 3);
    assert_int_equal(l.cluster[0], 1);
    assert_int_equal(l.cluster[1], 1);
    assert_int_equal(l.cluster[2], 1);
    assert_int_equal(l.cluster[3], 0);
    assert_int_equal(l.cluster[4], 2);
    assert_int_equal(l.cluster[5], 2);
    assert_int_equal(l.cluster_size[0], 3);
    wk_group *g = wk_links_find(&l, 200);
    assert_non_null(g);
    assert_int_equal(g->count, 2);
    assert_null(wk_links_find(&l, 300));
    wk_links_free(&l);
    /* many keys across every bucket of the sort: worker w holds value
     * w % 1000 (spread over the whole hash range) and its own value; 1,000
     * shared values of 5 workers each, 1,000 clusters of 5 */
    wk_links_init(&l);
    for (uint32_t w = 5000; w-- > 0;) {
        assert_true(
            wk_links_add(&l, w, WK_PHONE, (uint64_t)(w % 1000 + 1) * 0x9E3779B97F4A7C15ULL));
        assert_true(wk_links_add(&l, w, WK_EMAIL, (uint64_t)(w + 7) * 0xC2B2AE3D27D4EB4FULL));
    }
    assert_true(wk_links_build(&l, 5000, 100));
    assert_int_equal(l.n_groups, 1000);
    assert_int_equal(l.n_clusters, 1000);
    for (uint32_t v = 0; v < 1000; v++) {
        wk_group *gv = wk_links_find(&l, (uint64_t)(v + 1) * 0x9E3779B97F4A7C15ULL);
        assert_non_null(gv);
        assert_int_equal(gv->count, 5);
        for (uint32_t m = 0; m < 5; m++) /* members in worker order */
            assert_int_equal(l.members[gv->first + m], v + 1000 * m);
        assert_int_equal(l.cluster[v], l.cluster[v + 4000]);
    }
    assert_int_equal(l.cluster[0], 1);
    assert_int_equal(l.cluster[999], 1000);
    wk_links_free(&l);
    /* a value held by more workers than max_share links nobody */
    wk_links_init(&l);
    for (uint32_t w = 0; w < 5; w++)
        assert_true(wk_links_add(&l, w, WK_LOGIN_IP, 7));
    assert_true(wk_links_build(&l, 5, 4));
    assert_int_equal(l.n_clusters, 0);
    assert_int_equal(wk_links_find(&l, 7)->count, 5);
    wk_links_free(&l);
}

/* ---- MARK: rules ---- */

static void test_record_rules(void **state) {
    (void)state;
    errors er = {0};
    json_t *res = check(FIX "signals.jsonl", true, &er, NULL);
    json_t *s1 = worker(res, "s1");
    assert_string_equal(severity(s1, "login_risk_country"), "high");
    assert_string_equal(severity(s1, "impossible_travel"), "medium");
    assert_string_equal(severity(s1, "login_many_countries"), "medium");
    assert_string_equal(severity(s1, "login_vpn"), "medium");
    assert_string_equal(severity(s1, "activity_off_hours"), "medium");
    assert_string_equal(severity(s1, "payout_holder_mismatch"), "high");
    assert_string_equal(severity(s1, "payout_country_mismatch"), "medium");
    assert_string_equal(severity(s1, "crypto_payment_request"), "medium");
    assert_string_equal(severity(s1, "rating_burst"), "medium");
    assert_string_equal(severity(s1, "voip_phone"), "low");
    assert_string_equal(severity(s1, "remote_access_tool"), "high");
    /* evidence carries the facts */
    json_t *ev = json_object_get(flag(s1, "flags", "activity_off_hours"), "evidence");
    assert_int_equal(json_integer_value(json_object_get(ev, "outside_hours")), 6);
    ev = json_object_get(flag(s1, "flags", "impossible_travel"), "evidence");
    assert_string_equal(json_string_value(json_object_get(ev, "from")), "KP");
    assert_int_equal(json_integer_value(json_object_get(ev, "minutes")), 20);
    ev = json_object_get(flag(s1, "flags", "payout_country_mismatch"), "evidence");
    assert_string_equal(json_string_value(json_object_get(ev, "bank_country")), "CN");
    /* risk: three high flags (x0.5 each), seven medium (x0.8), one low
     * (x0.95): 100 * (1 - 0.0249) = 98 */
    assert_int_equal(json_array_size(json_object_get(s1, "flags")), 11);
    assert_int_equal(json_integer_value(json_object_get(s1, "risk")), 98);
    /* Korean language: advisory, apart from the flags */
    assert_non_null(flag(s1, "advisory", "korean_language"));
    assert_null(flag(s1, "flags", "korean_language"));
    /* a Korean worker in Korea working Seoul hours: nothing */
    json_t *s2 = worker(res, "s2");
    assert_int_equal(json_array_size(json_object_get(s2, "flags")), 0);
    assert_int_equal(json_array_size(json_object_get(s2, "advisory")), 0);
    /* the guardrail: an advisory signal alone scores nothing */
    json_t *s3 = worker(res, "s3");
    assert_non_null(flag(s3, "advisory", "korean_language"));
    assert_int_equal(json_array_size(json_object_get(s3, "flags")), 0);
    assert_int_equal(json_integer_value(json_object_get(s3, "risk")), 0);
    /* one client rates four workers highly within 19 hours, across the edge
     * of an aligned window (the offset tiling catches it): each is flagged,
     * none is clustered for it */
    for (const char *const *id = (const char *const[]){"r1", "r2", "r3", "r4", NULL}; *id; id++) {
        json_t *w = worker(res, *id);
        assert_string_equal(severity(w, "client_rating_burst"), "medium");
        json_t *ev = json_object_get(flag(w, "flags", "client_rating_burst"), "evidence");
        assert_int_equal(json_integer_value(json_object_get(ev, "workers")), 4);
        assert_true(json_is_null(json_object_get(w, "cluster")));
    }
    /* the same client weeks later, or with 2 stars: not part of it */
    assert_null(flag(worker(res, "r5"), "flags", "client_rating_burst"));
    assert_int_equal(json_array_size(json_object_get(res, "clusters")), 0);
    json_decref(res);
}

static void test_login_countries_option(void **state) {
    (void)state;
    rf_workers_options o;
    rf_workers_options_init(&o);
    o.out = NULL;
    o.login_countries = "NL";
    rf_workers_summary sum;
    rf_error err;
    assert_int_equal(rf_workers_check(FIX "signals.jsonl", &o, &sum, &err), RF_OK);
    /* NL only: s1's KP login no longer counts, its NL one does */
    FILE *out = tmpfile();
    o.out = out;
    assert_int_equal(rf_workers_check(FIX "signals.jsonl", &o, &sum, &err), RF_OK);
    rewind(out);
    char line[8192];
    assert_non_null(fgets(line, sizeof line, out));
    assert_non_null(strstr(line, "\"countries\":[\"NL\"]"));
    fclose(out);
    o.login_countries = "KP,Narnia";
    assert_int_equal(rf_workers_check(FIX "signals.jsonl", &o, &sum, &err), RF_E_INVALID);
    assert_non_null(strstr(err.msg, "alpha-2"));
}

static void test_rules_table(void **state) {
    (void)state;
    size_t n;
    const rf_worker_rule *r = rf_workers_rules(&n);
    assert_int_equal(n, R_RULE_COUNT);
    size_t advisory = 0;
    for (size_t i = 0; i < n; i++) {
        assert_non_null(r[i].id);
        assert_true(strlen(r[i].reason) > 10);
        assert_true(strlen(r[i].source) > 10);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(r[i].id, r[k].id);
        advisory += r[i].advisory;
    }
    assert_int_equal(advisory, 1);
    assert_string_equal(r[R_KOREAN_LANGUAGE].id, "korean_language");
    assert_true(r[R_KOREAN_LANGUAGE].advisory);
    assert_int_equal(r[R_SANCTIONS_WALLET].severity, RF_SEV_CRITICAL);
}

/* ---- MARK: real sanctions data ---- */

static char *write_temp(const char *text) {
    char *path = strdup("/tmp/rf_workers_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_sanctions_real(void **state) {
    (void)state;
    /* Lazarus Group's ETH address from the bundled SDN list, written in
     * lower case; a worker named like a listed DPRK person (JANG, Yong Son,
     * KOMID, SDN 17615) with that person's birth date; a clean worker */
    char *path = write_temp(
        "{\"id\":\"p1\",\"legal_name\":\"Madison Clark\",\"claimed_country\":\"US\","
        "\"payout_accounts\":[{\"type\":\"crypto\",\"chain\":\"ETH\",\"address\":"
        "\"0x098b716b8aaf21512996dc57eb0615e2383e2f96\"}]}\n"
        "{\"id\":\"p2\",\"legal_name\":\"Yong-son Jang\",\"birth_date\":\"1957-02-20\"}\n"
        "{\"id\":\"p3\",\"legal_name\":\"Madison Clark\",\"birth_date\":\"1990-05-05\"}\n"
        "{\"id\":\"p4\",\"legal_name\":\"Yong-son Jang\",\"birth_date\":\"1994-08-01\"}\n");
    errors er = {0};
    rf_workers_summary sum;
    json_t *res = check(path, true, &er, &sum);
    json_t *p1 = worker(res, "p1");
    assert_string_equal(severity(p1, "sanctions_wallet"), "critical");
    assert_int_equal(json_integer_value(json_object_get(p1, "risk")), 100);
    json_t *ev = json_object_get(flag(p1, "flags", "sanctions_wallet"), "evidence");
    assert_string_equal(json_string_value(json_object_get(ev, "source_id")), "27307");
    assert_string_equal(json_string_value(json_object_get(ev, "listed_name")), "LAZARUS GROUP");
    json_t *p2 = worker(res, "p2");
    assert_string_equal(severity(p2, "sanctions_name"), "high");
    ev = json_object_get(flag(p2, "flags", "sanctions_name"), "evidence");
    assert_string_equal(json_string_value(json_object_get(ev, "source_id")), "17615");
    assert_true(json_is_true(json_object_get(ev, "birth_date_agrees")));
    /* the same name born 37 years later: not high (a name alone is weak) */
    const char *p4 = severity(worker(res, "p4"), "sanctions_name");
    assert_true(p4 == NULL || !strcmp(p4, "medium"));
    assert_int_equal(json_array_size(json_object_get(worker(res, "p3"), "flags")), 0);
    assert_int_equal(sum.flagged_high, 2);
    json_decref(res);
    unlink(path);
    free(path);
}

/* ---- MARK: generated workforce ---- */

typedef struct gen_stats {
    json_t *truth;        /* id -> ring label */
    json_t *ring_cluster; /* ring -> cluster of its first member seen */
    json_t *ring_split;   /* rings whose members are not in one cluster */
    size_t clean, clean_high, clean_flagged;
} gen_stats;

static void on_result(void *ctx, const rf_worker_result *r) {
    gen_stats *g = ctx;
    const char *ring = json_string_value(json_object_get(g->truth, r->id));
    assert_non_null(ring);
    if (!strcmp(ring, "-")) {
        g->clean++;
        if (r->max_severity >= RF_SEV_HIGH) g->clean_high++;
        if (r->n_flags) g->clean_flagged++;
        return;
    }
    json_t *c = json_object_get(g->ring_cluster, ring);
    if (!r->cluster) {
        json_object_set_new(g->ring_split, ring, json_true());
    } else if (!c) {
        json_object_set_new(g->ring_cluster, ring, json_string(r->cluster));
    } else if (strcmp(json_string_value(c), r->cluster)) {
        json_object_set_new(g->ring_split, ring, json_true());
    }
}

static void test_generated_rings(void **state) {
    (void)state;
    char wpath[] = "/tmp/rf_workers_genXXXXXX", tpath[] = "/tmp/rf_workers_truthXXXXXX";
    int wfd = mkstemp(wpath), tfd = mkstemp(tpath);
    assert_true(wfd >= 0 && tfd >= 0);
    FILE *w = fdopen(wfd, "w"), *t = fdopen(tfd, "w+");
    rf_workers_gen_options go = {.count = 3000, .seed = 42, .rings = 30};
    const char *wallet = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96";
    go.wallets = &wallet;
    go.n_wallets = 1;
    rf_error err;
    assert_int_equal(rf_workers_generate(&go, w, t, &err), RF_OK);
    fclose(w);
    rewind(t);
    gen_stats g = {json_object(), json_object(), json_object(), 0, 0, 0};
    char id[64], ring[64];
    size_t rings_members = 0;
    while (fscanf(t, "%63s\t%63s", id, ring) == 2) {
        json_object_set_new(g.truth, id, json_string(ring));
        rings_members += strcmp(ring, "-") != 0;
    }
    fclose(t);
    assert_int_equal(json_object_size(g.truth), 3000);
    assert_true(rings_members >= 60);
    rf_workers_options o;
    rf_workers_options_init(&o);
    o.out = NULL;
    o.matcher = matcher();
    o.on_result = on_result;
    o.ctx = &g;
    rf_workers_summary sum;
    assert_int_equal(rf_workers_check(wpath, &o, &sum, &err), RF_OK);
    assert_int_equal(sum.workers, 3000);
    assert_int_equal(sum.bad, 0);
    /* every planted ring is one cluster */
    assert_int_equal(json_object_size(g.ring_cluster), 30);
    assert_int_equal(json_object_size(g.ring_split), 0);
    /* clean workers stay quiet: at most 1% flagged high */
    assert_int_equal(g.clean, 3000 - rings_members);
    assert_true(g.clean_high * 100 <= g.clean);
    assert_true(g.clean_flagged * 20 <= g.clean);
    /* the same seed gives the same file */
    char w2path[] = "/tmp/rf_workers_gen2XXXXXX";
    int w2fd = mkstemp(w2path);
    FILE *w2 = fdopen(w2fd, "w");
    assert_int_equal(rf_workers_generate(&go, w2, NULL, &err), RF_OK);
    fclose(w2);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", wpath, w2path);
    assert_int_equal(system(cmd), 0);
    json_decref(g.truth);
    json_decref(g.ring_cluster);
    json_decref(g.ring_split);
    unlink(wpath);
    unlink(w2path);
    unlink(tpath);
}

/* ---- MARK: HTML report ---- */

static void test_html_escapes(void **state) {
    (void)state;
    /* ids and values are the caller's text: nothing in them becomes markup */
    char *path = write_temp(
        "{\"id\":\"<script>alert(1)</script>\",\"payout_accounts\":[{\"type\":\"paypal\","
        "\"account\":\"x\\\"><img src=y>\"}]}\n"
        "{\"id\":\"ok&fine\",\"payout_accounts\":[{\"type\":\"paypal\",\"account\":"
        "\"X\\\"><IMG SRC=Y>\"}]}\n");
    FILE *h = tmpfile();
    rf_workers_options o;
    rf_workers_options_init(&o);
    o.out = NULL;
    o.html = h;
    rf_workers_summary sum;
    rf_error err;
    assert_int_equal(rf_workers_check(path, &o, &sum, &err), RF_OK);
    assert_int_equal(sum.clusters, 1);
    long n = ftell(h);
    rewind(h);
    char *page = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(page, 1, (size_t)n, h), (size_t)n);
    fclose(h);
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "<img"));
    assert_non_null(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(page, "ok&amp;fine"));
    /* the shared PayPal id, lower-cased, escaped, in c1's table */
    assert_non_null(strstr(page, "x&quot;&gt;&lt;img src=y&gt;"));
    free(page);
    unlink(path);
    free(path);
}

/* ---- MARK: command line ---- */

static void test_cli_text_and_html(void **state) {
    (void)state;
    char cmd[1024];
    const char *html = "/tmp/rf_workers_test.html", *txt = "/tmp/rf_workers_test.txt",
               *jl = "/tmp/rf_workers_test.jsonl", *errf = "/tmp/rf_workers_test.err";
    snprintf(cmd, sizeof cmd, "%s --data %s workers check %s --format text --html %s > %s 2> %s",
             RF_TEST_BINARY, RF_TEST_DATA, FIX "small.jsonl", html, txt, errf);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    char *t = test_slurp(txt, NULL);
    assert_non_null(strstr(t, "a1  risk 50  cluster c1"));
    assert_non_null(strstr(t, "cluster c2: b1, b2, b3"));
    assert_non_null(strstr(t, "  shipping_address 4410 n maple ave apt 7 springfield: b1, b2, b3"));
    assert_non_null(strstr(t, "never a reason to reject"));
    assert_null(strstr(t, "d1  risk")); /* clean workers are not listed */
    char *h = test_slurp(html, NULL);
    assert_non_null(strstr(h, "<!DOCTYPE html>"));
    assert_non_null(strstr(h, "<section class=cluster id=\"c2\">"));
    assert_non_null(strstr(h, "<svg"));
    assert_non_null(strstr(h, "advisory only"));
    assert_null(strstr(h, "<script"));
    /* three members: three circles and two edges in c2's picture */
    char *c2 = strstr(h, "id=\"c2\""), *end = strstr(c2, "</svg>");
    size_t circles = 0, lines = 0;
    for (char *p = c2; (p = strstr(p, "<circle")) && p < end; p++)
        circles++;
    for (char *p = c2; (p = strstr(p, "<line")) && p < end; p++)
        lines++;
    assert_int_equal(circles, 3);
    assert_int_equal(lines, 2);
    /* nodes filled by risk: a1 and a2 (one high flag: 50) orange */
    char *c1 = strstr(h, "id=\"c1\"");
    assert_non_null(strstr(c1, "fill=\"#ffcc80\" stroke=\"#212121\" stroke-width=\"2\"><title>a1"));
    free(t);
    free(h);
    /* JSONL when stdout is not a terminal; bad records: status 1, line on stderr */
    snprintf(cmd, sizeof cmd, "%s workers check --no-sanctions %s > %s 2> %s", RF_TEST_BINARY,
             FIX "bad.jsonl", jl, errf);
    st = system(cmd);
    assert_int_equal(WEXITSTATUS(st), 1);
    char *j = test_slurp(jl, NULL), *e = test_slurp(errf, NULL);
    assert_true(j[0] == '{' && strstr(j, "\"id\":\"ok1\",\"risk\":0,\"flags\":[]"));
    assert_non_null(strstr(e, "bad.jsonl: line 2: field \"logins[0].ts\""));
    free(j);
    free(e);
    snprintf(cmd, sizeof cmd, "%s workers check --format xml %s > /dev/null 2> %s", RF_TEST_BINARY,
             FIX "bad.jsonl", errf);
    assert_int_equal(WEXITSTATUS(system(cmd)), 2);
    snprintf(cmd, sizeof cmd, "%s workers rules > %s", RF_TEST_BINARY, txt);
    assert_int_equal(WEXITSTATUS(system(cmd)), 0);
    t = test_slurp(txt, NULL);
    assert_non_null(strstr(t, "sanctions_wallet           critical"));
    assert_non_null(strstr(t, "korean_language            advisory"));
    free(t);
    unlink(html);
    unlink(txt);
    unlink(jl);
    unlink(errf);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_norm_email),        cmocka_unit_test(test_norm_phone),
        cmocka_unit_test(test_norm_address),      cmocka_unit_test(test_norm_wallet_and_numbers),
        cmocka_unit_test(test_parse_time),        cmocka_unit_test(test_bad_records),
        cmocka_unit_test(test_links_union_find),  cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_record_rules),      cmocka_unit_test(test_login_countries_option),
        cmocka_unit_test(test_rules_table),       cmocka_unit_test(test_sanctions_real),
        cmocka_unit_test(test_generated_rings),   cmocka_unit_test(test_html_escapes),
        cmocka_unit_test(test_cli_text_and_html),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_all);
}
