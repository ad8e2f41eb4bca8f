/* OFAC Enhanced XML: the real consolidated list (zipped, as OFAC publishes
 * it) loads every entity, name and document, and agrees with the CSV edition
 * of the same list; a damaged ZIP or XML is refused with a message. */
#include "test_util.h"

#include <unistd.h>

static rf_dataset *load_xml(const char *path, rf_error *err, rf_status *st) {
    rf_dataset *ds;
    assert_int_equal(rf_dataset_new(NULL, &ds, err), RF_OK);
    *st = rf_dataset_add_ofac_xml(ds, "us_ofac_cons", "OFAC consolidated (XML)", path, err);
    if (*st == RF_OK) assert_int_equal(rf_dataset_finish(ds, err), RF_OK);
    return ds;
}

static void test_consolidated_enhanced(void **state) {
    (void)state;
    rf_error err;
    rf_status st;
    rf_dataset *ds = load_xml(RF_TEST_DATA "/lists/ofac-consolidated/CONS_ENHANCED.ZIP", &err, &st);
    assert_int_equal(st, RF_OK);
    const rf_list_info *l = rf_dataset_list(ds, 0);
    assert_int_equal(l->n_entities, 443); /* 443 <entity> */
    assert_int_equal(l->by_schema[RF_SCHEMA_PERSON], 80);
    assert_int_equal(l->by_schema[RF_SCHEMA_ORGANIZATION], 363);
    assert_string_equal(l->published, "2025-01-10"); /* <dataAsOf> */
    assert_int_equal(l->n_skipped, 0);
    /* every distinct formattedFullName of each entity's names (all scripts) */
    assert_int_equal(l->n_names, 1623);
    size_t ids = 0, with_ids = 0, original = 0;
    for (size_t i = 0; i < rf_dataset_count(ds); i++) {
        const rf_entity *e = rf_dataset_entity(ds, i);
        ids += e->n_identifiers;
        with_ids += e->n_identifiers > 0;
        for (size_t k = 0; k < e->n_names; k++)
            original += e->names[k].kind == RF_NAME_ORIGINAL;
    }
    /* 692 identity documents on 321 entities, and 273 identifier features
     * (ISIN 165, Equity Ticker 69, SWIFT/BIC 33, BIK 6) of which 2 repeat a
     * document */
    assert_int_equal(ids, 963);
    assert_int_equal(with_ids, 334);
    assert_int_equal(original, 45); /* distinct Cyrillic and Chinese translations */

    const rf_entity *vtb = rf_dataset_find(ds, "us_ofac_cons:17013");
    assert_non_null(vtb);
    assert_string_equal(vtb->names[0].text, "VTB BANK PUBLIC JOINT STOCK COMPANY");
    assert_int_equal(vtb->names[0].kind, RF_NAME_PRIMARY);
    bool cyrillic = false, swift = false;
    for (size_t k = 0; k < vtb->n_names; k++)
        cyrillic |=
            vtb->names[k].kind == RF_NAME_ORIGINAL && !strcmp(vtb->names[k].text, "БАНК ВТБ ПАО");
    for (size_t k = 0; k < vtb->n_identifiers; k++)
        swift |= !strcmp(vtb->identifiers[k].type, "swift_bic") &&
                 !strcmp(vtb->identifiers[k].number, "VTBRRUMM");
    assert_true(cyrillic && swift);
    assert_string_equal(vtb->addresses[0].street, "29, Bolshaya Morskaya str.");
    assert_string_equal(vtb->addresses[0].city, "St. Petersburg 190000");
    assert_string_equal(vtb->addresses[0].country, "RU");
    const rf_entity *h = rf_dataset_find(ds, "us_ofac_cons:9639");
    assert_non_null(h);
    assert_int_equal(h->schema, RF_SCHEMA_PERSON);
    assert_string_equal(h->names[0].text, "HANIYA, Ismail Abdul Salah");
    assert_int_equal(h->birth_dates[0].from.year, 1962);
    assert_string_equal(h->birth_places[0], "Shati");
    assert_string_equal(h->programs[0], "NS-PLC");

    /* the CSV edition (about 2025-12, eleven months later) as the same list:
     * one entity delisted since, none added, one primary name changed; the
     * rest are later edits and the XML's extra original-script names */
    rf_dataset *csv;
    assert_int_equal(rf_dataset_new(NULL, &csv, &err), RF_OK);
    rf_ofac_files f = {RF_TEST_DATA "/lists/ofac-consolidated/cons_prim.csv",
                       RF_TEST_DATA "/lists/ofac-consolidated/cons_add.csv",
                       RF_TEST_DATA "/lists/ofac-consolidated/cons_alt.csv",
                       RF_TEST_DATA "/lists/ofac-consolidated/cons_comments.csv"};
    assert_int_equal(rf_dataset_add_ofac_csv(csv, "us_ofac_cons", "csv", &f, &err), RF_OK);
    assert_int_equal(rf_dataset_finish(csv, &err), RF_OK);
    rf_diff d;
    assert_int_equal(rf_dataset_diff(ds, csv, &d, &err), RF_OK);
    assert_int_equal(d.added, 0);
    assert_int_equal(d.removed, 1);
    size_t names = 0, addresses = 0;
    for (size_t i = 0; i < d.n; i++) {
        names += (d.items[i].fields & RF_FIELD_NAME) != 0;
        addresses += (d.items[i].fields & RF_FIELD_ADDRESSES) != 0;
    }
    assert_int_equal(names, 1);
    assert_true(addresses <= 5); /* 526 addresses agree */
    rf_diff_free(&d);
    rf_dataset_free(csv);
    rf_dataset_free(ds);
}

static void test_damaged_files(void **state) {
    (void)state;
    char dir[] = "/tmp/rf_ofac_xmlXXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    /* the first 100,000 bytes of the ZIP: its directory is gone */
    FILE *in = fopen(RF_TEST_DATA "/lists/ofac-consolidated/CONS_ENHANCED.ZIP", "rb");
    assert_non_null(in);
    char buf[100000];
    size_t n = fread(buf, 1, sizeof buf, in);
    fclose(in);
    snprintf(path, sizeof path, "%s/cut.zip", dir);
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    fwrite(buf, 1, n, out);
    fclose(out);
    rf_error err;
    rf_status st;
    rf_dataset *ds = load_xml(path, &err, &st);
    assert_int_equal(st, RF_E_PARSE);
    assert_non_null(strstr(err.msg, "ZIP"));
    rf_dataset_free(ds);
    unlink(path);

    snprintf(path, sizeof path, "%s/broken.xml", dir);
    out = fopen(path, "w");
    assert_non_null(out);
    fputs("<sanctionsData>\n  <entities>\n    <entity id=\"1\">\n  </entities>\n", out);
    fclose(out);
    ds = load_xml(path, &err, &st);
    assert_int_equal(st, RF_E_PARSE);
    assert_non_null(strstr(err.msg, "not valid XML"));
    assert_int_equal(err.line, 4);
    rf_dataset_free(ds);
    unlink(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consolidated_enhanced),
        cmocka_unit_test(test_damaged_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
