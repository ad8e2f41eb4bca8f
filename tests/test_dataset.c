/* The bundled data folder end to end: sources.json, exact entity counts per
 * list, the remark field kinds parsed from the real OFAC file, lookups and
 * ordering. */
#include "test_util.h"

static const rf_list_info *list_by_id(const rf_dataset *ds, const char *id) {
    for (size_t i = 0; i < rf_dataset_list_count(ds); i++)
        if (!strcmp(rf_dataset_list(ds, i)->id, id)) return rf_dataset_list(ds, i);
    return NULL;
}

static void test_bundled_counts(void **state) {
    (void)state;
    rf_dataset *ds = bundled_dataset();
    assert_int_equal(rf_dataset_list_count(ds), 3);
    const rf_list_info *sdn = list_by_id(ds, "us_ofac_sdn");
    assert_non_null(sdn);
    assert_int_equal(sdn->n_entities, 13821);
    assert_int_equal(sdn->by_schema[RF_SCHEMA_PERSON], 6646);
    assert_int_equal(sdn->by_schema[RF_SCHEMA_ORGANIZATION], 6033);
    assert_int_equal(sdn->by_schema[RF_SCHEMA_VESSEL], 764);
    assert_int_equal(sdn->by_schema[RF_SCHEMA_AIRCRAFT], 378);
    /* 13,821 primary names + 17,091 alt.csv rows (5 repeat a name) +
     * 3,372 a.k.a.s found only in remarks */
    assert_int_equal(sdn->n_names, 34281);
    assert_int_equal(sdn->n_weak_aliases, 3372);
    assert_string_equal(sdn->published, "2023-12-28");
    assert_string_equal(sdn->files[0].sha256,
                        "d768d28ee9e3ac7b27f9a956c922bf97dc286ebd39eff63faa4ef231f1ef668b");
    const rf_list_info *cons = list_by_id(ds, "us_ofac_cons");
    assert_int_equal(cons->n_entities, 442);
    assert_int_equal(cons->by_schema[RF_SCHEMA_PERSON], 79);
    assert_int_equal(cons->n_files, 4);
    const rf_list_info *un = list_by_id(ds, "un_sc");
    assert_int_equal(un->n_entities, 1003);
    assert_int_equal(un->by_schema[RF_SCHEMA_PERSON], 730);
    assert_int_equal(un->by_schema[RF_SCHEMA_ORGANIZATION], 273);
    assert_string_equal(un->published, "2026-02-27");
    assert_string_equal(un->files[0].sha256,
                        "66b392a4090868d2d39161e8d748efd39138377b0e6e60b7921aa67a4f99c8bf");
    assert_int_equal(rf_dataset_count(ds), 13821 + 442 + 1003);
}

static void test_order_and_lookup(void **state) {
    (void)state;
    rf_dataset *ds = bundled_dataset();
    /* list rank first (sdn, cons, un), then numeric source id */
    const rf_entity *first = rf_dataset_entity(ds, 0);
    assert_string_equal(first->id, "us_ofac_sdn:36");
    const rf_entity *prev = first;
    for (size_t i = 1; i < rf_dataset_count(ds); i++) {
        const rf_entity *e = rf_dataset_entity(ds, i);
        int r = rf_list_rank(e->list) - rf_list_rank(prev->list);
        assert_true(r >= 0);
        if (r == 0)
            assert_true(strtoull(e->source_id, NULL, 10) > strtoull(prev->source_id, NULL, 10));
        assert_ptr_equal(rf_dataset_find(ds, e->id), e);
        assert_int_equal(rf_dataset_index_of(ds, e), i);
        assert_true(e->n_names >= 1);
        assert_int_equal(e->names[0].kind, RF_NAME_PRIMARY);
        prev = e;
    }
    assert_null(rf_dataset_find(ds, "us_ofac_sdn:0"));
    const rf_entity *kim = rf_dataset_find(ds, "us_ofac_sdn:43377");
    assert_string_equal(kim->names[0].text, "KIM, Sang Man");
    bool wallet = false;
    for (size_t i = 0; i < kim->n_wallets; i++)
        wallet |= !strcmp(kim->wallets[i].address, "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40");
    assert_true(wallet);
}

/* The kinds of OFAC remark parts redflag parses, counted over the bundled
 * SDN file. Each kind becomes a field of the entity model; parts no label
 * matches stay as property "remark". */
static void test_remark_kinds(void **state) {
    (void)state;
    rf_dataset *ds = bundled_dataset();
    size_t dob = 0, pob = 0, nat = 0, cit = 0, gender = 0, weak = 0, links = 0, wallets = 0,
           emails = 0, websites = 0, phones = 0, inc = 0, ids = 0, passports = 0, tax = 0,
           national = 0, imo = 0, remark = 0, props = 0, circa = 0, ranges = 0, resolved = 0,
           back = 0;
    for (size_t i = 0; i < rf_dataset_count(ds); i++) {
        const rf_entity *e = rf_dataset_entity(ds, i);
        if (strcmp(e->list, "us_ofac_sdn") != 0) continue;
        dob += e->n_birth_dates;
        for (size_t k = 0; k < e->n_birth_dates; k++) {
            circa += e->birth_dates[k].circa;
            ranges += e->birth_dates[k].from.year != e->birth_dates[k].to.year;
        }
        pob += e->n_birth_places;
        nat += e->n_nationalities;
        cit += e->n_citizenships;
        gender += *e->gender != '\0';
        for (size_t k = 0; k < e->n_names; k++)
            weak += e->names[k].weak;
        for (size_t k = 0; k < e->n_links; k++) {
            links += !strcmp(e->links[k].relation, "linked_to");
            resolved += !strcmp(e->links[k].relation, "linked_to") && *e->links[k].entity;
            back += !strcmp(e->links[k].relation, "linked_from");
        }
        wallets += e->n_wallets;
        emails += e->n_emails;
        websites += e->n_websites;
        phones += e->n_phones;
        inc += e->n_incorporation_dates;
        ids += e->n_identifiers;
        for (size_t k = 0; k < e->n_identifiers; k++) {
            const char *t = e->identifiers[k].type;
            passports += !strcmp(t, "passport");
            tax += !strcmp(t, "tax_id");
            national += !strcmp(t, "national_id");
            imo += !strcmp(t, "imo");
        }
        for (size_t k = 0; k < e->n_properties; k++) {
            props++;
            remark += !strcmp(e->properties[k].key, "remark");
        }
    }
    printf("OFAC SDN 2023-12-28 remark kinds parsed:\n"
           "  dob %zu (circa %zu, ranges %zu)  pob %zu  nationality %zu  citizenship %zu\n"
           "  gender %zu  weak alias %zu  linked_to %zu  wallet %zu  email %zu  website %zu\n"
           "  phone %zu  incorporated %zu  identifiers %zu (passport %zu, national_id %zu,\n"
           "  tax_id %zu, imo %zu)  properties %zu (unlabelled remark %zu)\n",
           dob, circa, ranges, pob, nat, cit, gender, weak, links, wallets, emails, websites,
           phones, inc, ids, passports, national, tax, imo, props, remark);
    assert_int_equal(weak, 3372);
    assert_int_equal(wallets, 270);
    assert_int_equal(gender, 4003);
    assert_int_equal(dob, 7311);
    assert_int_equal(links, 5963);
    printf("  linked_to resolved to an entity %zu, shown back as linked_from %zu\n", resolved,
           back);
    assert_true(resolved > links * 9 / 10); /* names that two entities share stay open */
    assert_true(back > 0 && back <= resolved);
    assert_int_equal(passports, 2080);
    assert_int_equal(imo, 885);
    assert_int_equal(remark, 2243);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_counts),
        cmocka_unit_test(test_order_and_lookup),
        cmocka_unit_test(test_remark_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, free_bundled);
}
