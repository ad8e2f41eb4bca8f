/* The index file: written from the bundled lists, mapped back, it gives the
 * same entities and the same matches; damaged, foreign and older files are
 * refused with a message saying why. */
#include "test_util.h"

#include "util/strmap.h"

#include <unistd.h>

static rf_matcher *g_matcher;
static char g_path[] = "/tmp/rf_test_indexXXXXXX";

static int setup(void **state) {
    (void)state;
    rf_error err;
    int fd = mkstemp(g_path);
    if (fd < 0) return -1;
    close(fd);
    if (rf_matcher_new(bundled_dataset(), &g_matcher, &err) != RF_OK) return -1;
    return rf_index_write(g_matcher, g_path, &err) == RF_OK ? 0 : -1;
}

static int teardown(void **state) {
    unlink(g_path);
    rf_matcher_free(g_matcher);
    return free_bundled(state);
}

static void test_same_entities(void **state) {
    (void)state;
    rf_index *ix;
    rf_error err;
    assert_int_equal(rf_index_open(g_path, &ix, &err), RF_OK);
    const rf_dataset *a = bundled_dataset(), *b = rf_index_dataset(ix);
    assert_int_equal(rf_dataset_count(b), rf_dataset_count(a));
    for (size_t i = 0; i < rf_dataset_count(a); i++) {
        char *ja = rf_entity_json(rf_dataset_entity(a, i));
        char *jb = rf_entity_json(rf_dataset_entity(b, i));
        if (strcmp(ja, jb) != 0) fail_msg("entity %zu differs:\n%s\n%s", i, ja, jb);
        free(ja);
        free(jb);
    }
    assert_int_equal(rf_dataset_list_count(b), 3);
    for (size_t i = 0; i < 3; i++) {
        const rf_list_info *la = rf_dataset_list(a, i), *lb = rf_dataset_list(b, i);
        assert_string_equal(la->id, lb->id);
        assert_string_equal(la->published, lb->published);
        assert_int_equal(la->n_entities, lb->n_entities);
        assert_int_equal(la->n_names, lb->n_names);
        assert_int_equal(la->n_weak_aliases, lb->n_weak_aliases);
        assert_int_equal(la->n_files, lb->n_files);
        for (size_t k = 0; k < la->n_files; k++)
            assert_string_equal(la->files[k].sha256, lb->files[k].sha256);
    }
    assert_non_null(rf_dataset_find(b, "us_ofac_sdn:43377"));
    assert_true(rf_index_built(ix) > 1700000000);
    rf_index_close(ix);
}

static void test_same_matches(void **state) {
    (void)state;
    static const char *const names[] = {
        "Kim Sang Man",
        "King San Man",
        "김상만",
        "Ким Сан Ман",
        "Jinyong IT Cooperation Co.",
        "Lab 110",
        "Mohammed Ali",
        "Bank Melli",
        "Vladimir Putin",
        "Korea Ryonbong",
        "Pegasus Eighty-Eight Limited", /* number words */
        "Abdallah bin Hamid al-Ali",    /* name links (bin), without birth date */
    };
    rf_index *ix;
    rf_error err;
    assert_int_equal(rf_index_open(g_path, &ix, &err), RF_OK);
    rf_results *ra = rf_results_new(), *rb = rf_results_new();
    rf_match_options o;
    rf_match_options_init(&o);
    o.threshold = 0.7;
    o.limit = 50;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        rf_query q = {.name = names[i], .birth_date = {1965, 4, 25}, .country = "KP"};
        if (strstr(names[i], " bin ")) q = (rf_query){.name = names[i]};
        assert_int_equal(rf_match_query(g_matcher, &q, &o, ra, &err), RF_OK);
        assert_int_equal(rf_match_query(rf_index_matcher(ix), &q, &o, rb, &err), RF_OK);
        assert_int_equal(rf_results_count(ra), rf_results_count(rb));
        assert_true(rf_results_count(ra) > 0);
        for (size_t k = 0; k < rf_results_count(ra); k++) {
            assert_string_equal(rf_results_get(ra, k)->entity->id,
                                rf_results_get(rb, k)->entity->id);
            assert_float_equal(rf_results_get(ra, k)->score, rf_results_get(rb, k)->score, 1e-9);
        }
    }
    /* one results object used with both matchers in turn: its per-thread
     * token cache must not carry one matcher's tokens to the other */
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        rf_query q = {.name = names[i]};
        assert_int_equal(rf_match_query(rf_index_matcher(ix), &q, &o, rb, &err), RF_OK);
        assert_int_equal(rf_match_query(g_matcher, &q, &o, ra, &err), RF_OK);
        assert_int_equal(rf_match_query(rf_index_matcher(ix), &q, &o, ra, &err), RF_OK);
        assert_int_equal(rf_results_count(ra), rf_results_count(rb));
        for (size_t k = 0; k < rf_results_count(ra); k++)
            assert_float_equal(rf_results_get(ra, k)->score, rf_results_get(rb, k)->score, 1e-9);
    }
    /* wallets and documents too */
    rf_query_wallet w = {"ETH", "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40"};
    rf_query qw = {.wallets = &w, .n_wallets = 1};
    assert_int_equal(rf_match_query(rf_index_matcher(ix), &qw, NULL, rb, &err), RF_OK);
    assert_string_equal(rf_results_get(rb, 0)->entity->id, "us_ofac_sdn:43377");
    rf_query_identifier id = {NULL, "381420754"};
    rf_query qi = {.identifiers = &id, .n_identifiers = 1};
    assert_int_equal(rf_match_query(rf_index_matcher(ix), &qi, NULL, rb, &err), RF_OK);
    assert_int_equal(rf_results_count(rb), 2);
    rf_results_free(ra);
    rf_results_free(rb);
    rf_index_close(ix);
}

/* An index written from a loaded index (its tables borrowed from the file)
 * is the same file but for the build time and checksum. */
static void test_rewrite_from_loaded(void **state) {
    (void)state;
    rf_index *ix;
    rf_error err;
    char again[] = "/tmp/rf_test_againXXXXXX";
    int fd = mkstemp(again);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(rf_index_open(g_path, &ix, &err), RF_OK);
    assert_int_equal(rf_index_write(rf_index_matcher(ix), again, &err), RF_OK);
    rf_index_close(ix);
    size_t na, nb;
    unsigned char *a = (unsigned char *)test_slurp(g_path, &na),
                  *b = (unsigned char *)test_slurp(again, &nb);
    assert_int_equal(na, nb);
    size_t differ = 0;
    for (size_t i = 0; i < na; i++)
        if (a[i] != b[i] && !(i >= 16 && i < 24) && i < na - 8) differ++;
    assert_int_equal(differ, 0);
    free(a);
    free(b);
    unlink(again);
}

/* A copy of the index with `len` bytes, and byte `at` set to `value` when
 * at >= 0. */
static void damaged_copy(const char *to, size_t len, long at, unsigned char value) {
    FILE *in = fopen(g_path, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    for (size_t i = 0; i < len; i++) {
        int c = fgetc(in);
        if (c == EOF) break;
        if ((long)i == at) c = value;
        fputc(c, out);
    }
    fclose(in);
    fclose(out);
}

static void expect_refused(const char *path, const char *why) {
    rf_index *ix = NULL;
    rf_error err;
    assert_int_not_equal(rf_index_open(path, &ix, &err), RF_OK);
    assert_null(ix);
    if (!strstr(err.msg, why)) fail_msg("'%s' lacks '%s'", err.msg, why);
}

static void test_refuses_bad_files(void **state) {
    (void)state;
    char bad[] = "/tmp/rf_test_badXXXXXX";
    int fd = mkstemp(bad);
    assert_true(fd >= 0);
    close(fd);
    damaged_copy(bad, 100, -1, 0);
    expect_refused(bad, "truncated");
    damaged_copy(bad, (size_t)-1, 2000000, 0x55);
    expect_refused(bad, "checksum");
    damaged_copy(bad, (size_t)-1, 8, 0); /* format version 0 */
    expect_refused(bad, "index format 0");
    damaged_copy(bad, (size_t)-1, 0, 'X');
    expect_refused(bad, "not a redflag index");
    expect_refused(RF_TEST_DATA "/sources.json", "not a redflag index");
    expect_refused("/nonexistent/index", "cannot open");
    unlink(bad);
    /* a failed write leaves the old file in place */
    rf_error err;
    assert_int_not_equal(rf_index_write(g_matcher, "/nonexistent/dir/x.idx", &err), RF_OK);
    assert_non_null(strstr(err.msg, "cannot create"));
}

/* A hash table read in place from a file is checked where it is read: a
 * key outside the pool, a value out of range or a table with no empty slot
 * is a miss, never a read out of bounds or an endless probe. */
static void test_borrowed_map_checks(void **state) {
    (void)state;
    static const char pool[] = "alpha\0beta";
    rf_strmap_ref refs[4];
    for (size_t i = 0; i < 4; i++)
        refs[i] = (rf_strmap_ref){RF_STRMAP_NO_KEY, 0, 0, 0, 0};
    uint64_t ha = rf_hash("alpha", 5), hb = rf_hash("beta", 4);
    refs[ha & 3] = (rf_strmap_ref){0, 5, 7, 0, ha};
    rf_strmap m;
    rf_strmap_borrow(&m, refs, 4, pool, sizeof pool, 10);
    uint32_t v = 0;
    assert_true(rf_strmap_get(&m, "alpha", 5, &v));
    assert_int_equal(v, 7);
    assert_false(rf_strmap_get(&m, "beta", 4, &v));
    /* the value is not below the limit: not trusted */
    rf_strmap_borrow(&m, refs, 4, pool, sizeof pool, 7);
    assert_false(rf_strmap_get(&m, "alpha", 5, &v));
    /* a key past the pool's end */
    size_t free_slot = (hb & 3) == (ha & 3) ? ((hb & 3) + 1) & 3 : hb & 3;
    refs[free_slot] = (rf_strmap_ref){1000, 4, 1, 0, hb};
    rf_strmap_borrow(&m, refs, 4, pool, sizeof pool, 10);
    assert_false(rf_strmap_get(&m, "beta", 4, &v));
    /* every slot full, the key absent: the probe stops */
    for (size_t i = 0; i < 4; i++)
        if (refs[i].key == RF_STRMAP_NO_KEY) refs[i] = (rf_strmap_ref){6, 4, 1, 0, hb};
    assert_false(rf_strmap_get(&m, "gamma", 5, &v));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_entities),       cmocka_unit_test(test_same_matches),
        cmocka_unit_test(test_rewrite_from_loaded), cmocka_unit_test(test_refuses_bad_files),
        cmocka_unit_test(test_borrowed_map_checks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
