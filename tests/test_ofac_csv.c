/* The OFAC legacy-CSV parser and the remarks parser, on real rows
 * (tests/fixtures/ofac) including hand-made malformed ones. */
#include "test_util.h"

static rf_dataset *load_fixture(warn_log *log) {
    rf_load_options opts = {warn_collect, log};
    rf_dataset *ds;
    rf_error err;
    assert_int_equal(rf_dataset_new(&opts, &ds, &err), RF_OK);
    rf_ofac_files f = {RF_TEST_FIXTURES "/ofac/sdn.csv", RF_TEST_FIXTURES "/ofac/add.csv",
                       RF_TEST_FIXTURES "/ofac/alt.csv", NULL};
    assert_int_equal(rf_dataset_add_ofac_csv(ds, "us_ofac_sdn", NULL, &f, &err), RF_OK);
    assert_int_equal(rf_dataset_finish(ds, &err), RF_OK);
    return ds;
}

static void test_counts_and_bad_rows(void **state) {
    (void)state;
    warn_log log = {0};
    rf_dataset *ds = load_fixture(&log);
    /* 13 real rows + the Latin-1 row; the 5 malformed rows of sdn.csv and
     * 2 of each other file are reported, the rest loads */
    assert_int_equal(rf_dataset_count(ds), 14);
    const rf_list_info *l = rf_dataset_list(ds, 0);
    assert_int_equal(l->n_entities, 14);
    assert_int_equal(l->by_schema[RF_SCHEMA_PERSON], 5);
    assert_int_equal(l->by_schema[RF_SCHEMA_VESSEL], 1);
    assert_int_equal(l->by_schema[RF_SCHEMA_AIRCRAFT], 1);
    assert_int_equal(l->by_schema[RF_SCHEMA_ORGANIZATION], 7);
    /* short row, ABC, duplicate 36, no name, bad DOB, unknown nationality,
     * 2 in add.csv, orphan alias, unknown alias type */
    assert_int_equal(log.count, 10);
    assert_int_equal(l->n_skipped, 10);
    assert_int_equal(l->n_files, 3);
    assert_string_equal(l->files[0].role, "primary");
    assert_int_equal(strlen(l->files[0].sha256), 64);
    /* every entity is ordered by numeric ent_num */
    assert_string_equal(rf_dataset_entity(ds, 0)->source_id, "36");
    assert_string_equal(rf_dataset_entity(ds, 1)->source_id, "306");
    assert_string_equal(rf_dataset_entity(ds, 13)->source_id, "90000002");
    assert_null(rf_dataset_find(ds, "us_ofac_sdn:90000003"));
    assert_null(rf_dataset_find(ds, "us_ofac_sdn:90000001"));
    rf_dataset_free(ds);
}

static void test_warning_names_file_and_line(void **state) {
    (void)state;
    warn_log log = {0};
    rf_dataset *ds = load_fixture(&log);
    assert_non_null(strstr(log.all, "ofac/alt.csv:33: unknown alt_type 'xyz'"));
    assert_non_null(strstr(log.all, "ofac/alt.csv:32: ent_num 99999999 is not in the primary"));
    assert_non_null(
        strstr(log.all, "ofac/sdn.csv:14: expected 12 fields in a primary row, found 4"));
    assert_non_null(strstr(log.all, "ofac/sdn.csv:15: ent_num 'ABC' is not a number"));
    assert_non_null(strstr(log.all, "ofac/sdn.csv:16: ent_num 36 appears twice"));
    assert_non_null(strstr(log.all, "ofac/sdn.csv:17: us_ofac_sdn:90000002: unreadable DOB"));
    assert_non_null(strstr(log.all, "ofac/sdn.csv:18: entry 90000003 has no name"));
    assert_non_null(strstr(log.all, "ofac/add.csv:20: expected 6 fields"));
    rf_dataset_free(ds);
}

static void test_kim_sang_man(void **state) {
    (void)state;
    warn_log log = {0};
    rf_dataset *ds = load_fixture(&log);
    const rf_entity *e = rf_dataset_find(ds, "us_ofac_sdn:43377");
    assert_non_null(e);
    assert_int_equal(e->schema, RF_SCHEMA_PERSON);
    assert_string_equal(e->names[0].text, "KIM, Sang Man");
    assert_int_equal(e->names[0].kind, RF_NAME_PRIMARY);
    /* alt.csv: KIM, Sangman; the "xyz" row is kept as an aka */
    assert_int_equal(e->n_names, 3);
    assert_string_equal(e->names[1].text, "KIM, Sangman");
    assert_false(e->names[1].weak);
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "DPRK4");
    assert_string_equal(e->gender, "male");
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].from.year, 1965);
    assert_int_equal(e->birth_dates[0].from.month, 4);
    assert_int_equal(e->birth_dates[0].from.day, 25);
    assert_int_equal(e->n_birth_places, 1);
    assert_string_equal(e->birth_places[0], "North Pyongan Province, North Korea");
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0], "KP");
    /* XBT x2, ETH x2, USDT, USDC */
    assert_int_equal(e->n_wallets, 6);
    assert_string_equal(e->wallets[0].currency, "XBT");
    assert_string_equal(e->wallets[0].address, "1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ");
    assert_string_equal(e->wallets[3].currency, "ETH");
    assert_string_equal(e->wallets[3].address, "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40");
    assert_string_equal(e->wallets[5].currency, "USDC");
    assert_int_equal(e->n_identifiers, 3);
    assert_string_equal(e->identifiers[0].type, "passport");
    assert_string_equal(e->identifiers[0].number, "109420132");
    assert_string_equal(e->identifiers[0].country, "KP");
    assert_string_equal(e->identifiers[0].note, "issued 16 Oct 2019 expires 16 Oct 2024");
    assert_int_equal(e->n_addresses, 2);
    assert_string_equal(e->addresses[0].country, "RU");
    assert_string_equal(e->addresses[1].country, "KP");
    assert_string_equal(e->addresses[1].country_name, "Korea, North");
    assert_string_equal(find_property(e, "secondary_sanctions_risk"),
                        "North Korea Sanctions Regulations, sections 510.201 and 510.210");
    rf_dataset_free(ds);
}

static void test_weak_aliases_and_links(void **state) {
    (void)state;
    warn_log log = {0};
    rf_dataset *ds = load_fixture(&log);
    const rf_entity *e = rf_dataset_find(ds, "us_ofac_sdn:43338");
    assert_non_null(e);
    assert_string_equal(e->names[0].text, "110TH RESEARCH CENTER");
    /* a.k.a. 'LAB 110'; a.k.a. 'UNIT 110' appear only in remarks: weak */
    size_t weak = 0;
    bool lab110 = false;
    for (size_t i = 0; i < e->n_names; i++) {
        weak += e->names[i].weak;
        if (!strcmp(e->names[i].text, "LAB 110")) lab110 = e->names[i].weak;
    }
    assert_true(lab110);
    assert_int_equal(weak, 2);
    const rf_entity *alis = rf_dataset_find(ds, "us_ofac_sdn:43379");
    assert_non_null(alis);
    assert_string_equal(alis->names[1].text, "JINYONG IT COOPERATION COMPANY");
    const rf_entity *air = rf_dataset_find(ds, "us_ofac_sdn:15431");
    assert_int_equal(air->schema, RF_SCHEMA_AIRCRAFT);
    assert_int_equal(air->n_links, 1);
    assert_string_equal(air->links[0].name, "POUYA AIR");
    assert_string_equal(find_property(air, "aircraft_model"), "IL76-TD");
    bool msn = false;
    for (size_t i = 0; i < air->n_identifiers; i++)
        if (!strcmp(air->identifiers[i].type, "aircraft_msn"))
            msn = !strcmp(air->identifiers[i].number, "1023409321");
    assert_true(msn);
    rf_dataset_free(ds);
}

static void test_dob_forms_and_latin1(void **state) {
    (void)state;
    warn_log log = {0};
    rf_dataset *ds = load_fixture(&log);
    const rf_entity *e = rf_dataset_find(ds, "us_ofac_sdn:11748");
    /* DOB circa 1979-1982; alt. DOB 1982 */
    assert_int_equal(e->n_birth_dates, 2);
    assert_true(e->birth_dates[0].circa);
    assert_int_equal(e->birth_dates[0].from.year, 1979);
    assert_int_equal(e->birth_dates[0].to.year, 1982);
    assert_false(e->birth_dates[1].circa);
    assert_int_equal(e->birth_dates[1].from.year, 1982);
    e = rf_dataset_find(ds, "us_ofac_sdn:15962");
    assert_int_equal(e->birth_dates[0].from.year, 1961);
    assert_int_equal(e->birth_dates[0].to.year, 1962);
    assert_int_equal(e->birth_dates[0].to.day, 31);
    e = rf_dataset_find(ds, "us_ofac_sdn:90000002");
    assert_string_equal(e->names[0].text, "CAFÉ MÜLLER TRADING");
    assert_int_equal(e->n_birth_dates, 0);
    assert_string_equal(find_property(e, "dob"), "31 Feb 1970");
    assert_string_equal(find_property(e, "nationality"), "Atlantis");
    /* vessel columns */
    e = rf_dataset_find(ds, "us_ofac_sdn:15036");
    assert_int_equal(e->schema, RF_SCHEMA_VESSEL);
    assert_string_equal(find_property(e, "vessel_type"), "Crude/Oil Products Tanker");
    assert_string_equal(find_property(e, "vessel_flag"), "Iran");
    rf_dataset_free(ds);
}

static void test_missing_file_fails(void **state) {
    (void)state;
    rf_dataset *ds;
    rf_error err;
    assert_int_equal(rf_dataset_new(NULL, &ds, &err), RF_OK);
    rf_ofac_files f = {RF_TEST_FIXTURES "/ofac/no-such.csv", NULL, NULL, NULL};
    assert_int_equal(rf_dataset_add_ofac_csv(ds, "us_ofac_sdn", NULL, &f, &err), RF_E_IO);
    assert_non_null(strstr(err.msg, "no-such.csv"));
    rf_dataset_free(ds);
    /* a UN XML file given as OFAC CSV: rejected, not half-loaded */
    assert_int_equal(rf_dataset_new(NULL, &ds, &err), RF_OK);
    rf_ofac_files g = {RF_TEST_FIXTURES "/un/consolidated.xml", NULL, NULL, NULL};
    assert_int_not_equal(rf_dataset_add_ofac_csv(ds, "x", NULL, &g, &err), RF_OK);
    rf_dataset_free(ds);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_bad_rows),
        cmocka_unit_test(test_warning_names_file_and_line),
        cmocka_unit_test(test_kim_sang_man),
        cmocka_unit_test(test_weak_aliases_and_links),
        cmocka_unit_test(test_dob_forms_and_latin1),
        cmocka_unit_test(test_missing_file_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
