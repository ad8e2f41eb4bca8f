/* The US Consolidated Screening List: the Commerce and State parties load,
 * the Treasury rows (OFAC's own lists) are left out and counted, and a cut
 * gzip file is refused. */
#include "test_util.h"

#include <unistd.h>

static rf_dataset *load(const char *path, rf_status *st, rf_error *err) {
    rf_dataset *ds;
    assert_int_equal(rf_dataset_new(NULL, &ds, err), RF_OK);
    *st = rf_dataset_add_us_csl(ds, "us_csl", "US screening list", path, err);
    if (*st == RF_OK) assert_int_equal(rf_dataset_finish(ds, err), RF_OK);
    return ds;
}

static void test_csl(void **state) {
    (void)state;
    rf_error err;
    rf_status st;
    rf_dataset *ds = load(RF_TEST_DATA "/lists/us-csl/consolidated.csv.gz", &st, &err);
    assert_int_equal(st, RF_OK);
    const rf_list_info *l = rf_dataset_list(ds, 0);
    /* 14,160 rows: 10,535 from Treasury lists (SDN 10,026, SSI 290, PLC 78,
     * CMIC 68, CAPTA 53, NS-MBS 17, FSE 3), 3,625 from Commerce and State;
     * their names and "; "-separated alt_names: 5,935 distinct */
    assert_int_equal(l->n_duplicates, 10535);
    assert_int_equal(l->n_entities, 3625);
    assert_int_equal(l->n_names, 5935);
    assert_int_equal(l->n_skipped, 0);
    const rf_entity *e = rf_dataset_find(ds, "us_csl:4398d33e9e93c7477af39f1e0bfffc13ddd47bcc");
    assert_non_null(e);
    assert_string_equal(e->names[0].text, "140 Repair Plant JSC");
    assert_string_equal(e->addresses[0].country, "BY");
    bool el = false;
    for (size_t i = 0; i < e->n_properties; i++)
        el |= !strcmp(e->properties[i].key, "source_list") &&
              !strcmp(e->properties[i].value, "Entity List (EL) - Bureau of Industry and Security");
    assert_true(el);
    rf_dataset_free(ds);
}

static void test_cut_gzip(void **state) {
    (void)state;
    FILE *in = fopen(RF_TEST_DATA "/lists/us-csl/consolidated.csv.gz", "rb");
    assert_non_null(in);
    static char buf[200000];
    size_t n = fread(buf, 1, sizeof buf, in);
    fclose(in);
    char path[] = "/tmp/rf_cslXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, buf, n), (ssize_t)n);
    close(fd);
    rf_error err;
    rf_status st;
    rf_dataset *ds = load(path, &st, &err);
    assert_int_equal(st, RF_E_PARSE);
    assert_non_null(strstr(err.msg, "truncated gzip"));
    rf_dataset_free(ds);
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csl),
        cmocka_unit_test(test_cut_gzip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
