/* The UN consolidated-list XML parser on real records
 * (tests/fixtures/un) and hand-made malformed ones. */
#include "test_util.h"

static rf_dataset *load(const char *path, warn_log *log, rf_status want) {
    rf_load_options opts = {warn_collect, log};
    rf_dataset *ds;
    rf_error err;
    assert_int_equal(rf_dataset_new(&opts, &ds, &err), RF_OK);
    assert_int_equal(rf_dataset_add_un_xml(ds, "un_sc", NULL, path, &err), want);
    if (want != RF_OK) {
        /* the message names the file and the line */
        assert_non_null(strstr(err.msg, path));
        assert_true(err.line > 0);
        rf_dataset_free(ds);
        return NULL;
    }
    assert_int_equal(rf_dataset_finish(ds, &err), RF_OK);
    return ds;
}

static void test_fixture_records(void **state) {
    (void)state;
    warn_log log = {0};
    rf_dataset *ds = load(RF_TEST_FIXTURES "/un/consolidated.xml", &log, RF_OK);
    const rf_list_info *l = rf_dataset_list(ds, 0);
    assert_int_equal(l->n_entities, 7);
    assert_int_equal(l->by_schema[RF_SCHEMA_PERSON], 5);
    assert_int_equal(l->by_schema[RF_SCHEMA_ORGANIZATION], 2);
    assert_string_equal(l->published, "2026-02-27");
    /* the record without DATAID and the invalid date */
    assert_int_equal(log.count, 2);
    assert_non_null(strstr(log.all, "INDIVIDUAL record without DATAID; skipped"));
    assert_non_null(strstr(log.all, "unreadable date of birth (DATE '1970-13-45'"));

    const rf_entity *e = rf_dataset_find(ds, "un_sc:690747");
    assert_non_null(e);
    assert_string_equal(e->names[0].text, "PAEK CHANG-HO");
    assert_int_equal(e->n_names, 3);
    assert_string_equal(e->names[1].text, "Pak Chang-Ho");
    assert_string_equal(e->names[2].text, "Paek Ch'ang-Ho");
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "DPRK");
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0], "KP");
    assert_int_equal(e->birth_dates[0].from.year, 1964);
    assert_int_equal(e->birth_dates[0].from.day, 18);
    assert_string_equal(e->birth_places[0], "Kaesong, Democratic People's Republic of Korea");
    /* the same passport in three languages is one identifier */
    assert_int_equal(e->n_identifiers, 1);
    assert_string_equal(e->identifiers[0].type, "passport");
    assert_string_equal(e->identifiers[0].number, "381420754");
    assert_string_equal(find_property(e, "un_reference"), "KPi.006");

    e = rf_dataset_find(ds, "un_sc:6908640");
    assert_string_equal(e->names[0].text, "CH'OE SO’K MIN");
    assert_string_equal(e->names[1].text, "Choe Sok Min");
    assert_true(e->names[1].weak); /* quality Low */
    assert_string_equal(e->gender, "male");

    e = rf_dataset_find(ds, "un_sc:6908021");
    assert_string_equal(find_property(e, "last_updated"), "2016-10-13");

    e = rf_dataset_find(ds, "un_sc:6908051");
    bool original = false;
    for (size_t i = 0; i < e->n_names; i++)
        if (e->names[i].kind == RF_NAME_ORIGINAL)
            original = !strcmp(e->names[i].text, "عابد حامد محمود التكريتي");
    assert_true(original);
    assert_true(e->birth_dates[0].circa);
    assert_int_equal(e->birth_dates[0].from.year, 1957);

    e = rf_dataset_find(ds, "un_sc:690751");
    assert_int_equal(e->schema, RF_SCHEMA_ORGANIZATION);
    assert_string_equal(e->names[0].text, "KOREA RYONBONG GENERAL CORPORATION");
    bool fka = false;
    for (size_t i = 0; i < e->n_names; i++)
        if (e->names[i].kind == RF_NAME_FKA)
            fka = !strcmp(e->names[i].text, "LYONGAKSAN GENERAL TRADING CORPORATION");
    assert_true(fka);
    assert_true(e->n_addresses >= 1);
    assert_string_equal(e->addresses[0].country, "KP");

    /* BETWEEN 1973 and 1974 */
    bool between = false;
    for (size_t i = 0; i < rf_dataset_count(ds); i++) {
        const rf_entity *x = rf_dataset_entity(ds, i);
        for (size_t k = 0; k < x->n_birth_dates; k++)
            if (x->birth_dates[k].from.year == 1973 && x->birth_dates[k].to.year == 1974)
                between = true;
    }
    assert_true(between);
    rf_dataset_free(ds);
}

static void test_truncated_file_fails(void **state) {
    (void)state;
    warn_log log = {0};
    load(RF_TEST_FIXTURES "/un/truncated.xml", &log, RF_E_PARSE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_records),
        cmocka_unit_test(test_truncated_file_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
