/* OpenSanctions FollowTheMoney JSON lines: real yente fixtures load with
 * every name and document; a hand-made file checks what attaches from other
 * lines (wallets, passports, ownership with its percentage, sanctions,
 * address entities) and that bad lines are skipped and counted. */
#include "test_util.h"

static rf_dataset *load(const char *file, const char *list) {
    rf_error err;
    rf_dataset *ds;
    assert_int_equal(rf_dataset_new(NULL, &ds, &err), RF_OK);
    if (rf_dataset_add_ftm(ds, list, "fixture", file, &err) != RF_OK) fail_msg("%s", err.msg);
    assert_int_equal(rf_dataset_finish(ds, &err), RF_OK);
    return ds;
}

typedef struct totals {
    size_t entities, names, weak, identifiers, wallets, links;
} totals;

static totals count(const rf_dataset *ds) {
    totals t = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < rf_dataset_count(ds); i++) {
        const rf_entity *e = rf_dataset_entity(ds, i);
        t.entities++;
        t.names += e->n_names;
        for (size_t k = 0; k < e->n_names; k++)
            t.weak += e->names[k].weak;
        t.identifiers += e->n_identifiers;
        t.wallets += e->n_wallets;
        t.links += e->n_links;
    }
    return t;
}

static void test_yente_fixtures(void **state) {
    (void)state;
    /* 91 lines: 6 persons and 11 companies, the rest attach to them; 245
     * distinct names (name, alias, weakAlias, previousName, abbreviation),
     * 69 distinct documents, 21 relations seen from both sides */
    rf_dataset *ds = load(RF_TEST_FIXTURES "/ftm/zala_entities.ftm.json", "os_zala");
    totals t = count(ds);
    assert_int_equal(t.entities, 17);
    assert_int_equal(rf_dataset_list(ds, 0)->by_schema[RF_SCHEMA_PERSON], 6);
    assert_int_equal(t.names, 245);
    assert_int_equal(t.weak, 3);
    assert_int_equal(t.identifiers, 69);
    assert_int_equal(t.links, 42);
    assert_int_equal(rf_dataset_list(ds, 0)->n_skipped, 0);
    const rf_entity *z = rf_dataset_find(ds, "os_zala:NK-aU5ybkbRFJucf8YMwsJvDw");
    assert_non_null(z);
    assert_string_equal(z->names[0].text, "Alexander Vyacheslavovich ZAKHAROV");
    assert_int_equal(z->n_birth_dates, 1);
    assert_int_equal(z->birth_dates[0].from.year, 1965);
    assert_string_equal(z->nationalities[0], "RU");
    bool eu = false;
    for (size_t i = 0; i < z->n_programs; i++)
        eu |= !strcmp(z->programs[i], "EU-UKR");
    assert_true(eu); /* from a Sanction entity on another line */
    rf_dataset_free(ds);

    ds = load(RF_TEST_FIXTURES "/ftm/t1_entities.ftm.json", "os_t1");
    t = count(ds);
    assert_int_equal(t.entities, 6);
    assert_int_equal(t.names, 35);
    assert_int_equal(t.identifiers, 2);
    rf_dataset_free(ds);
}

static const rf_link *link_to(const rf_entity *e, const char *relation) {
    for (size_t i = 0; i < e->n_links; i++)
        if (!strcmp(e->links[i].relation, relation)) return &e->links[i];
    return NULL;
}

static void test_attached_and_bad_lines(void **state) {
    (void)state;
    rf_dataset *ds = load(RF_TEST_FIXTURES "/ftm/handmade.ftm.json", "t");
    assert_int_equal(rf_dataset_count(ds), 3);
    /* not JSON, no properties, a repeated id, an unreadable date and country */
    assert_int_equal(rf_dataset_list(ds, 0)->n_skipped, 5);

    const rf_entity *p = rf_dataset_find(ds, "t:t-person");
    assert_non_null(p);
    assert_int_equal(p->schema, RF_SCHEMA_PERSON);
    assert_int_equal(p->n_names, 3);
    assert_string_equal(p->names[0].text, "KIM Sang Man"); /* the first, not the repeat */
    assert_true(p->names[2].weak);
    assert_string_equal(p->gender, "male");
    assert_int_equal(p->n_wallets, 1);
    assert_string_equal(p->wallets[0].address, "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40");
    assert_int_equal(p->n_identifiers, 1);
    assert_string_equal(p->identifiers[0].type, "passport");
    assert_string_equal(p->identifiers[0].number, "927233154");
    assert_string_equal(p->identifiers[0].country, "KP");
    assert_string_equal(p->nationalities[0], "KP");
    const rf_link *owns = link_to(p, "owns");
    assert_non_null(owns);
    assert_string_equal(owns->name, "CHINYONG IT COOPERATION COMPANY");
    assert_string_equal(owns->entity, "t:t-company");
    assert_float_equal(owns->share, 51.0, 1e-9);

    const rf_entity *c = rf_dataset_find(ds, "t:t-company");
    assert_non_null(c);
    assert_int_equal(c->schema, RF_SCHEMA_ORGANIZATION);
    assert_int_equal(c->n_names, 2);
    assert_int_equal(c->names[1].kind, RF_NAME_FKA);
    assert_int_equal(c->n_programs, 1);
    assert_string_equal(c->programs[0], "DPRK3");
    assert_int_equal(c->n_addresses, 1);
    assert_string_equal(c->addresses[0].city, "Vladivostok");
    assert_string_equal(c->addresses[0].country, "RU");
    assert_int_equal(c->n_incorporation_dates, 1);
    assert_string_equal(link_to(c, "owned_by")->name, "KIM Sang Man");
    assert_string_equal(link_to(c, "owned_by")->entity, "t:t-person");

    /* found by name and by wallet when screening */
    rf_matcher *m;
    rf_error err;
    assert_int_equal(rf_matcher_new(ds, &m, &err), RF_OK);
    rf_results *r = rf_results_new();
    rf_query q = {.name = "Jinyong IT Cooperation Company"};
    assert_int_equal(rf_match_query(m, &q, NULL, r, &err), RF_OK);
    assert_true(rf_results_count(r) > 0);
    assert_ptr_equal(rf_results_get(r, 0)->entity, c);
    rf_query_wallet w = {"ETH", "0xB6F5EC1A0A9CD1526536D3F0426C429529471F40"};
    rf_query qw = {.wallets = &w, .n_wallets = 1};
    assert_int_equal(rf_match_query(m, &qw, NULL, r, &err), RF_OK);
    assert_int_equal(rf_results_count(r), 1);
    assert_ptr_equal(rf_results_get(r, 0)->entity, p);
    rf_results_free(r);
    rf_matcher_free(m);
    rf_dataset_free(ds);
}

/* OFAC's 50 percent rule on ownership chains: unlisted parties owned 50% or
 * more in aggregate by blocked ones alert, the others are kept for the
 * network but never alert. */
static void test_fifty_percent_rule(void **state) {
    (void)state;
    rf_dataset *ds = load(RF_TEST_FIXTURES "/ftm/ownership.ftm.json", "o");
    static const struct {
        const char *id, *name;
        rf_listing listing;
    } want[] = {
        {"o:o-a", "ALPHA HOLDING", RF_LISTING_LISTED},
        {"o:o-b", "BETA CAPITAL", RF_LISTING_LISTED},
        {"o:o-x", "XENON TRADING", RF_LISTING_BLOCKED_50},   /* 30% + 25% */
        {"o:o-y", "YTTRIUM LOGISTICS", RF_LISTING_RELATED},  /* 30% */
        {"o:o-z", "ZIRCON SOFTWARE", RF_LISTING_BLOCKED_50}, /* 60% by XENON */
        {"o:o-w", "WOLFRAM METALS", RF_LISTING_RELATED},     /* 20% by a blocked one */
    };
    rf_matcher *m;
    rf_error err;
    assert_int_equal(rf_matcher_new(ds, &m, &err), RF_OK);
    rf_results *r = rf_results_new();
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const rf_entity *e = rf_dataset_find(ds, want[i].id);
        assert_non_null(e);
        if (e->listing != want[i].listing)
            fail_msg("%s: listing %s, expected %s", want[i].name, rf_listing_str(e->listing),
                     rf_listing_str(want[i].listing));
        rf_query q = {.name = want[i].name};
        assert_int_equal(rf_match_query(m, &q, NULL, r, &err), RF_OK);
        bool alerts = want[i].listing != RF_LISTING_RELATED;
        assert_int_equal(rf_results_count(r) > 0, alerts);
        if (!alerts) continue;
        const rf_match *mt = rf_results_get(r, 0);
        assert_ptr_equal(mt->entity, e);
        bool rule = false;
        for (size_t k = 0; k < mt->n_features; k++)
            rule |= !strcmp(mt->features[k].name, "ofac_50_rule");
        assert_int_equal(rule, want[i].listing == RF_LISTING_BLOCKED_50);
    }
    /* the owners are on the record, with their shares and entity ids */
    const rf_entity *x = rf_dataset_find(ds, "o:o-x");
    double owned = 0;
    for (size_t k = 0; k < x->n_links; k++)
        if (!strcmp(x->links[k].relation, "owned_by") && *x->links[k].entity)
            owned += x->links[k].share;
    assert_float_equal(owned, 55.0, 1e-9);
    rf_results_free(r);
    rf_matcher_free(m);
    rf_dataset_free(ds);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yente_fixtures),
        cmocka_unit_test(test_attached_and_bad_lines),
        cmocka_unit_test(test_fifty_percent_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
