/* The UK consolidated list spreadsheet: every group and every distinct name
 * of the real ConList.xlsx, the update date of row 1, and refusals of files
 * that are not the workbook. */
#include "test_util.h"

#include <unistd.h>

static rf_dataset *load(const char *path, rf_status *st, rf_error *err) {
    rf_dataset *ds;
    assert_int_equal(rf_dataset_new(NULL, &ds, err), RF_OK);
    *st = rf_dataset_add_uk_xlsx(ds, "gb_ofsi", "UK consolidated list", path, err);
    if (*st == RF_OK) assert_int_equal(rf_dataset_finish(ds, err), RF_OK);
    return ds;
}

static void test_conlist(void **state) {
    (void)state;
    rf_error err;
    rf_status st;
    rf_dataset *ds = load(RF_TEST_DATA "/lists/uk/ConList.xlsx", &st, &err);
    assert_int_equal(st, RF_OK);
    const rf_list_info *l = rf_dataset_list(ds, 0);
    /* 18,798 rows in 4,688 groups; names 1-6 joined, plus the non-Latin
     * column: 15,966 distinct per group */
    assert_int_equal(l->n_entities, 4688);
    assert_int_equal(l->by_schema[RF_SCHEMA_PERSON], 3663);
    assert_int_equal(l->by_schema[RF_SCHEMA_ORGANIZATION], 1010);
    assert_int_equal(l->by_schema[RF_SCHEMA_VESSEL], 15);
    assert_int_equal(l->n_names, 15966);
    assert_int_equal(l->n_weak_aliases, 642); /* "Low quality" */
    assert_string_equal(l->published, "2025-04-14");
    /* two nationalities misspelt in the source ("Belrus", "Repubic of Moldova") */
    assert_int_equal(l->n_skipped, 2);

    /* every distinct passport and national identification number of a group */
    size_t ids = 0;
    for (size_t i = 0; i < rf_dataset_count(ds); i++)
        ids += rf_dataset_entity(ds, i)->n_identifiers;
    assert_int_equal(ids, 862);
    const rf_entity *e = rf_dataset_find(ds, "gb_ofsi:10893");
    assert_non_null(e);
    assert_string_equal(e->names[0].text, "KOREA RYONBONG GENERAL CORPORATION");
    assert_int_equal(e->names[0].kind, RF_NAME_PRIMARY);
    assert_string_equal(e->programs[0], "Democratic People's Republic of Korea");
    assert_string_equal(e->addresses[0].country, "KP");
    rf_dataset_free(ds);
}

static void test_not_a_workbook(void **state) {
    (void)state;
    char path[] = "/tmp/rf_ukXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "Name 6,Name 1\n", 14), 14);
    close(fd);
    rf_error err;
    rf_status st;
    rf_dataset *ds = load(path, &st, &err);
    assert_int_equal(st, RF_E_PARSE);
    assert_non_null(strstr(err.msg, "not a readable .xlsx"));
    rf_dataset_free(ds);
    ds = load(RF_TEST_DATA "/lists/ofac-consolidated/CONS_ENHANCED.ZIP", &st,
              &err); /* a ZIP, not a workbook */
    assert_int_equal(st, RF_E_PARSE);
    assert_non_null(strstr(err.msg, "xl/sharedStrings.xml"));
    rf_dataset_free(ds);
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conlist),
        cmocka_unit_test(test_not_a_workbook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
