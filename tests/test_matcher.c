/* The first scorer against the bundled lists: the DPRK IT-worker network
 * names, wallets and documents, ordering and limits, query validation. */
#include "test_util.h"

static rf_matcher *g_matcher;
static rf_results *g_res;

static int setup(void **state) {
    (void)state;
    rf_error err;
    if (rf_matcher_new(bundled_dataset(), &g_matcher, &err) != RF_OK) return -1;
    g_res = rf_results_new();
    return g_res ? 0 : -1;
}

static int teardown(void **state) {
    rf_results_free(g_res);
    rf_matcher_free(g_matcher);
    return free_bundled(state);
}

static const rf_match *top(const rf_query *q, const rf_match_options *o) {
    rf_error err;
    assert_int_equal(rf_match_query(g_matcher, q, o, g_res, &err), RF_OK);
    return rf_results_get(g_res, 0);
}

static const rf_match *top_name(const char *name) {
    rf_query q = {.name = name};
    return top(&q, NULL);
}

static void expect_first(const char *name, const char *entity) {
    const rf_match *m = top_name(name);
    assert_non_null(m);
    if (strcmp(m->entity->id, entity) != 0)
        fail_msg("'%s': expected %s first, got %s (%s)", name, entity, m->entity->id,
                 m->entity->names[0].text);
    assert_true(m->score >= RF_DEFAULT_THRESHOLD);
}

static void test_dprk_it_network(void **state) {
    (void)state;
    expect_first("Kim Sang Man", "us_ofac_sdn:43377");
    expect_first("Sangman Kim", "us_ofac_sdn:43377");
    expect_first("Jinyong IT Cooperation Company", "us_ofac_sdn:43379");
    expect_first("Chinyong Information Technology Cooperation Company", "us_ofac_sdn:43379");
    expect_first("Pyongyang University of Automation", "us_ofac_sdn:43336");
    expect_first("Technical Reconnaissance Bureau", "us_ofac_sdn:43337");
    expect_first("110th Research Center", "us_ofac_sdn:43338");
}

static void test_explanation(void **state) {
    (void)state;
    const rf_match *m = top_name("Sangman Kim");
    assert_int_equal(m->basis, RF_BASIS_NAME);
    assert_float_equal(m->score, 1.0, 1e-9);
    assert_string_equal(m->entity->names[m->name_index].text, "KIM, Sangman");
    assert_int_equal(m->n_pairs, 2);
    assert_string_equal(m->pairs[0].query_token, "sangman");
    assert_string_equal(m->pairs[0].list_token, "sangman");
    assert_int_equal(m->pairs[0].how, RF_HOW_EXACT);
    /* a misspelling aligns fuzzily and scores below 1 */
    m = top_name("Kim Sang Mann");
    assert_string_equal(m->entity->id, "us_ofac_sdn:43377");
    assert_true(m->score < 1.0 && m->score > 0.9);
    bool fuzzy = false;
    for (size_t i = 0; i < m->n_pairs; i++)
        if (m->pairs[i].how == RF_HOW_FUZZY) {
            fuzzy = true;
            assert_string_equal(m->pairs[i].query_token, "mann");
            assert_string_equal(m->pairs[i].list_token, "man");
        }
    assert_true(fuzzy);
}

static void test_wallet_and_identifier(void **state) {
    (void)state;
    /* EVM addresses compare without case */
    rf_query_wallet w = {"ETH", "0xB6F5EC1A0A9CD1526536D3F0426C429529471F40"};
    rf_query q = {.wallets = &w, .n_wallets = 1};
    const rf_match *m = top(&q, NULL);
    assert_non_null(m);
    assert_string_equal(m->entity->id, "us_ofac_sdn:43377");
    assert_int_equal(m->basis, RF_BASIS_WALLET);
    assert_float_equal(m->score, 1.0, 1e-9);
    assert_string_equal(m->entity->wallets[m->id_index].address,
                        "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40");
    assert_int_equal(rf_results_count(g_res), 1);
    /* base58 is case-sensitive: a changed case is another address */
    rf_query_wallet w2 = {"XBT", "1d6gg9ikehpittcwrjiniuj1jym2hneafj"};
    rf_query q2 = {.wallets = &w2, .n_wallets = 1};
    assert_null(top(&q2, NULL));
    /* a document number, typed with other spacing: on two lists */
    rf_query_identifier id = {"passport", "381-420-754"};
    rf_query q3 = {.identifiers = &id, .n_identifiers = 1};
    m = top(&q3, NULL);
    assert_int_equal(rf_results_count(g_res), 2);
    assert_string_equal(m->entity->id, "us_ofac_sdn:15667");
    assert_string_equal(rf_results_get(g_res, 1)->entity->id, "un_sc:690747");
    assert_int_equal(m->basis, RF_BASIS_IDENTIFIER);
    /* an identifier match alerts even when the name does not */
    rf_query q4 = {.name = "John Smith", .identifiers = &id, .n_identifiers = 1};
    m = top(&q4, NULL);
    assert_non_null(m);
    assert_float_equal(m->score, 1.0, 1e-9);
    assert_true(m->name_score < 0.5);
    /* too short to alert on its own */
    rf_query_identifier short_id = {NULL, "365"};
    rf_query q5 = {.identifiers = &short_id, .n_identifiers = 1};
    assert_null(top(&q5, NULL));
}

static void test_ties_limit_threshold(void **state) {
    (void)state;
    /* the same name on the SDN and the UN list: equal scores, SDN first */
    rf_query q = {.name = "Korea Ryonbong General Corporation"};
    const rf_match *m = top(&q, NULL);
    assert_true(rf_results_count(g_res) >= 2);
    assert_string_equal(m->entity->id, "us_ofac_sdn:9347");
    assert_string_equal(rf_results_get(g_res, 1)->entity->id, "un_sc:690751");
    assert_float_equal(rf_results_get(g_res, 1)->score, 1.0, 1e-9);
    rf_match_options o;
    rf_match_options_init(&o);
    o.limit = 1;
    top(&q, &o);
    assert_int_equal(rf_results_count(g_res), 1);
    /* results are ordered and all at or above the threshold */
    rf_match_options_init(&o);
    o.threshold = 0.7;
    o.limit = 50;
    rf_query k = {.name = "Kim Sang"};
    top(&k, &o);
    assert_true(rf_results_count(g_res) > 1);
    for (size_t i = 0; i < rf_results_count(g_res); i++) {
        const rf_match *x = rf_results_get(g_res, i);
        assert_true(x->score >= 0.7);
        if (i) assert_true(x->score <= rf_results_get(g_res, i - 1)->score);
    }
    /* schema: a person query does not return organisations */
    rf_query p = {.name = "Korea Ryonbong General Corporation", .schema = RF_SCHEMA_PERSON};
    assert_null(top(&p, NULL));
}

static void test_invalid_queries(void **state) {
    (void)state;
    rf_error err;
    rf_query q = {.name = "  ,.;  "};
    assert_int_equal(rf_match_query(g_matcher, &q, NULL, g_res, &err), RF_E_INVALID);
    assert_non_null(strstr(err.msg, "nothing to screen"));
    rf_query empty = {0};
    assert_int_equal(rf_match_query(g_matcher, &empty, NULL, g_res, &err), RF_E_INVALID);
}

static void test_name_similarity(void **state) {
    (void)state;
    assert_float_equal(rf_name_similarity("KIM, Sang Man", "Sang Man Kim"), 1.0, 1e-9);
    /* matched characters over all characters: (3 + 3) / (3 + 10) */
    assert_float_equal(rf_name_similarity("Kim", "Kim Sang Man"), 6.0 / 13.0, 1e-9);
    assert_float_equal(rf_name_similarity("abc", "xyz"), 0.0, 1e-9);
    double s = rf_name_similarity("Chinyong", "Jinyong");
    assert_true(s > 0.8 && s < 1.0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dprk_it_network),       cmocka_unit_test(test_explanation),
        cmocka_unit_test(test_wallet_and_identifier), cmocka_unit_test(test_ties_limit_threshold),
        cmocka_unit_test(test_invalid_queries),       cmocka_unit_test(test_name_similarity),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
