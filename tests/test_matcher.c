/* The first scorer against the bundled lists: the DPRK IT-worker network
 * names, wallets and documents, ordering and limits, query validation. */
#include "test_util.h"

#include "match/attributes.h"
#include "match/jaro.h"
#include "match/osa.h"
#include "match/score.h"
#include "match/sigscan.h"

#include <math.h>

#define RF_WEAK_FACTOR_FOR_TEST RF_WEAK_FACTOR

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

static const rf_token_pair *find_pair(const rf_match *m, const char *query_token) {
    for (size_t i = 0; i < m->n_pairs; i++)
        if (m->pairs[i].query_token && !strcmp(m->pairs[i].query_token, query_token))
            return &m->pairs[i];
    return NULL;
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
    /* a misspelling aligns as a typo below 1 */
    m = top_name("Kim Sanh Man");
    assert_string_equal(m->entity->id, "us_ofac_sdn:43377");
    assert_true(m->score < 1.0 && m->score >= RF_DEFAULT_THRESHOLD);
    const rf_token_pair *p = find_pair(m, "sanh");
    assert_non_null(p);
    assert_string_equal(p->list_token, "sang");
    assert_int_equal(p->how, RF_HOW_FUZZY);
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
    assert_float_equal(
        rf_matcher_compare(g_matcher, g_res, "KIM, Sang Man", "Sang Man Kim", RF_SCHEMA_PERSON),
        1.0, 1e-9);
    /* "Kim" is common: alone it explains too little of KIM Sang Man */
    double s = rf_matcher_compare(g_matcher, g_res, "Kim", "Kim Sang Man", RF_SCHEMA_PERSON);
    assert_true(s < RF_DEFAULT_THRESHOLD);
    assert_float_equal(rf_matcher_compare(g_matcher, g_res, "abc", "xyz", RF_SCHEMA_PERSON), 0.0,
                       1e-9);
    s = rf_matcher_compare(g_matcher, g_res, "Chinyong", "Jinyong", RF_SCHEMA_ORGANIZATION);
    assert_true(s > 0.9 && s < 1.0);
    /* a missing middle name costs less than a different one */
    double missing = rf_matcher_compare(g_matcher, g_res, "Vladimir Putin",
                                        "PUTIN, Vladimir Vladimirovich", RF_SCHEMA_PERSON);
    double other = rf_matcher_compare(g_matcher, g_res, "Vladimir Ivanovich Putin",
                                      "PUTIN, Vladimir Vladimirovich", RF_SCHEMA_PERSON);
    assert_true(missing >= RF_DEFAULT_THRESHOLD);
    assert_true(other < missing);
}

/* Issue 3's names: romanisation systems, scripts and the press's spelling. */
static double pair(const char *a, const char *b, rf_schema schema) {
    return rf_matcher_compare(g_matcher, g_res, a, b, schema);
}

/* "X bin Y": a person's own name never pairs with the other's father. */
static void test_name_chains(void **state) {
    (void)state;
    const rf_schema P = RF_SCHEMA_PERSON;
    double t = RF_DEFAULT_THRESHOLD;
    assert_true(pair("SALMAN BIN MUHAMMAD AL-RAWI", "MUHAMMAD BIN SALMAN AL-RAWI", P) < t);
    assert_true(pair("AHMAD BIN HASAN AL-UBAIDI", "HASAN BIN AHMAD AL-UBAIDI", P) < t);
    /* the same chain in another order of parts, or with more parents */
    assert_true(pair("Muhammad bin Salman al Rawi", "AL-RAWI, Muhammad bin Salman", P) >= 0.99);
    assert_true(pair("Usama bin Laden", "BIN LADEN, Usama bin Muhammad bin Awad", P) >= t);
    assert_true(pair("Osama bin Laden", "Usama bin Muhammad ibn Awad ibn Ladin", P) > 0.75);
    /* "Ben" as a given name links nothing */
    assert_true(pair("Ben Smith", "SMITH, Ben", P) >= 0.99);
    /* and the screening path agrees with the pair score */
    expect_first("Usama bin Muhammad bin Awad BIN LADIN", "us_ofac_sdn:6365");
}

/* In Han and Hangul a character is a syllable: names in one of them differ
 * where a character differs, though their romanisations may agree. */
static void test_same_script_syllables(void **state) {
    (void)state;
    const rf_schema P = RF_SCHEMA_PERSON;
    double t = RF_DEFAULT_THRESHOLD;
    assert_float_equal(pair("김정은", "김정은", P), 1.0, 1e-9);
    assert_true(pair("김종은", "김정은", P) < t);     /* jong / jeong */
    assert_true(pair("高石早苗", "高市早苗", P) < t); /* both "gao shi zao miao" */
    assert_true(pair("习近朋", "习近平", P) < t);
    /* across scripts the romanisation variants still apply */
    assert_true(pair("Kim Jong Un", "김정은", P) >= t);
    assert_true(pair("Kim Jong Eun", "김정은", P) >= t);
    assert_true(pair("정은 김", "김정은", P) >= 0.99); /* order is free */

    /* the same when screening a list that has names in Hangul */
    rf_error err;
    rf_dataset *ds;
    assert_int_equal(rf_dataset_new(NULL, &ds, &err), RF_OK);
    assert_int_equal(
        rf_dataset_add_un_xml(ds, "t", "test", RF_TEST_FIXTURES "/un/hangul.xml", &err), RF_OK);
    assert_int_equal(rf_dataset_finish(ds, &err), RF_OK);
    rf_matcher *m;
    assert_int_equal(rf_matcher_new(ds, &m, &err), RF_OK);
    rf_query q = {.name = "김정은"};
    assert_int_equal(rf_match_query(m, &q, NULL, g_res, &err), RF_OK);
    assert_int_equal(rf_results_count(g_res), 1);
    assert_string_equal(rf_results_get(g_res, 0)->entity->names[0].text, "ONE");
    assert_float_equal(rf_results_get(g_res, 0)->score, 1.0, 1e-9);
    q.name = "Kim Jong Un"; /* in Latin letters both may be meant */
    assert_int_equal(rf_match_query(m, &q, NULL, g_res, &err), RF_OK);
    assert_int_equal(rf_results_count(g_res), 2);
    rf_matcher_free(m);
    rf_dataset_free(ds);
}

/* Number words compose: "forty four" is 44, "forty 4" too; "40 4" stays. */
static void test_number_words(void **state) {
    (void)state;
    const rf_schema O = RF_SCHEMA_ORGANIZATION;
    double t = RF_DEFAULT_THRESHOLD;
    assert_true(pair("Brigade Forty-Four", "Brigade 44", O) >= t);
    assert_true(pair("Brigade Fourty four", "Brigade 44", O) >= t);
    assert_true(pair("Brigade Forty 4", "Brigade 44", O) >= t);
    assert_true(pair("Brigade 40 4", "Brigade 44", O) < t);
    assert_true(pair("Brigade Forty-Four", "Brigade 45", O) < t);
}

/* The bit-parallel edit distance the typo search uses gives the same
 * distance as the dynamic-programming one, on random strings over small
 * alphabets (many repeats and transpositions) up to the 64-byte limit. */
static void test_osa_bit_parallel(void **state) {
    (void)state;
    uint64_t x = 20231228;
    char a[RF_OSA_MAX_LEN], b[RF_OSA_MAX_LEN];
    for (int it = 0; it < 200000; it++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t rnd = (uint32_t)(x >> 33);
        size_t la = rnd % 13, lb = (rnd >> 4) % 13, alpha = 2 + (rnd >> 8) % 5;
        if (it % 500 == 0) {
            la = 56 + (rnd >> 12) % 9;
            lb = la - 2 + (rnd >> 16) % 3;
        }
        for (size_t i = 0; i < la || i < lb; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            if (i < la) a[i] = (char)('a' + (x >> 40) % alpha);
            if (i < lb) b[i] = (char)('a' + (x >> 50) % alpha);
        }
        size_t max = (rnd >> 20) % 2 ? 100 : (rnd >> 21) % 4;
        rf_osa_pattern p;
        rf_osa_prepare(&p, a, la);
        size_t want = rf_osa_distance(a, la, b, lb, max), got = rf_osa_distance_p(&p, b, lb, max);
        if (want != got)
            fail_msg("'%.*s' / '%.*s' (max %zu): %zu, bit-parallel %zu", (int)la, a, (int)lb, b,
                     max, want, got);
    }
}

/* The vector signature scan (when this CPU has it) keeps exactly the
 * positions the scalar loop keeps, at every alignment and tail length. */
static void test_sigscan_vector_matches_scalar(void **state) {
    (void)state;
    if (!rf_sigscan_simd_available()) skip();
    enum { N = 1000 };
    uint64_t sig[N], x = 7;
    for (size_t i = 0; i < N; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        sig[i] = x & (x >> 13) & (x >> 29); /* sparse, like letter sets */
    }
    uint32_t a[N], b[N];
    for (unsigned need = 0; need < 12; need += 3)
        for (uint32_t from = 0; from < 9; from++)
            for (uint32_t to = N - 9; to <= N; to++) {
                uint64_t q = sig[need * 7 % N] | sig[(need + 1) * 13 % N];
                size_t na = rf_sigscan(sig, from, to, q, need, a, false);
                size_t nb = rf_sigscan(sig, from, to, q, need, b, true);
                assert_int_equal(na, nb);
                assert_memory_equal(a, b, na * sizeof *a);
            }
}

/* The candidate bound's birth-date part never falls below the adjustment
 * itself, for query dates of any precision against ranges, circa years and
 * full days. */
static void test_birth_bound_holds(void **state) {
    (void)state;
    uint64_t x = 1965;
    for (int it = 0; it < 200000; it++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t r = (uint32_t)(x >> 32);
        rf_date q = {(int16_t)(1940 + r % 60), (uint8_t)((r >> 6) % 13), 0};
        if (q.month) q.day = (uint8_t)((r >> 10) % 29);
        rf_date_range d;
        d.from = (rf_date){(int16_t)(1940 + (r >> 15) % 60), (uint8_t)((r >> 21) % 13), 0};
        if (d.from.month) d.from.day = (uint8_t)((r >> 25) % 29);
        d.to = d.from;
        if ((r >> 29) & 1) d.to.year = (int16_t)(d.from.year + (r >> 30) % 4);
        d.circa = (r >> 31) & 1;
        rf_entity e;
        memset(&e, 0, sizeof e);
        e.birth_dates = &d;
        e.n_birth_dates = 1;
        const char *why;
        double exact = rf_attr_birth_date(&q, &e, &why);
        int c = d.circa ? 2 : 0;
        double bound = rf_attr_birth_bound(q.year, d.from.year - c, d.to.year + c);
        if (bound < exact - 1e-12)
            fail_msg("%d-%d-%d vs %d-%d-%d..%d (circa %d): bound %.2f < %.2f", q.year, q.month,
                     q.day, d.from.year, d.from.month, d.from.day, d.to.year, d.circa, bound,
                     exact);
    }
}

static void test_romanisation_and_scripts(void **state) {
    (void)state;
    expect_first("King San Man", "us_ofac_sdn:43377");
    expect_first("Gim Sang-man", "us_ofac_sdn:43377");
    expect_first("Ким Сан Ман", "us_ofac_sdn:43377");
    expect_first("김상만", "us_ofac_sdn:43377");
    expect_first("Jinyong IT Cooperation Co.", "us_ofac_sdn:43379");
    /* McCune-Reischauer and Revised Romanization of one name */
    expect_first("Pak Do Chun", "us_ofac_sdn:15769");
    expect_first("Park To-chun", "us_ofac_sdn:15769");
    expect_first("Choi Chun Sik", "us_ofac_sdn:19498");

    const rf_match *m = top_name("Jinyong Information Technology Cooperation Company");
    assert_string_equal(m->entity->id, "us_ofac_sdn:43379");
    m = top_name("Chinyong");
    (void)m;
    rf_query q = {.name = "Chinyung Information Technology Cooperation Company"};
    m = top(&q, NULL);
    assert_string_equal(m->entity->id, "us_ofac_sdn:43379");

    m = top_name("Ким Сан Ман");
    assert_int_equal(find_pair(m, "kim")->how, RF_HOW_TRANSLITERATED);
    m = top_name("Gim Sang Man");
    assert_int_equal(find_pair(m, "gim")->how, RF_HOW_VARIANT);
    m = top_name("Park Do Chun");
    assert_int_equal(find_pair(m, "park")->how, RF_HOW_VARIANT);
    m = top_name("King San Man");
    assert_int_equal(find_pair(m, "king")->how, RF_HOW_ROMANIZATION);
    /* joined and split tokens */
    m = top_name("Sang-man Kim");
    assert_string_equal(m->entity->id, "us_ofac_sdn:43377");
    assert_float_equal(m->score, 1.0, 1e-9);
    m = top_name("Kim Sangman");
    assert_float_equal(m->score, 1.0, 1e-9);
    m = top_name("KimSang Man");
    assert_string_equal(m->entity->id, "us_ofac_sdn:43377");
    assert_int_equal(find_pair(m, "kimsang")->how, RF_HOW_JOINED);
}

static void test_weak_aliases_and_legal_forms(void **state) {
    (void)state;
    /* a weak alias alerts on its own, below an equal strong name */
    const rf_match *m = top_name("Lab 110");
    assert_string_equal(m->entity->id, "us_ofac_sdn:43338");
    assert_true(m->entity->names[m->name_index].weak);
    assert_float_equal(m->score, RF_WEAK_FACTOR_FOR_TEST, 1e-9);
    assert_true(m->score >= RF_DEFAULT_THRESHOLD);
    /* legal forms alone never alert, and never make two names equal */
    rf_query corp = {.name = "CORP"};
    assert_null(top(&corp, NULL));
    rf_query ltd = {.name = "Limited Liability Company"};
    assert_null(top(&ltd, NULL));
    double s =
        rf_matcher_compare(g_matcher, g_res, "EMMA LLC", "EMMA GMBH", RF_SCHEMA_ORGANIZATION);
    assert_true(s < 1.0 && s > 0.9);
    s = rf_matcher_compare(g_matcher, g_res, "EMMA LLC", "EMMA LIMITED LIABILITY COMPANY",
                           RF_SCHEMA_ORGANIZATION);
    assert_float_equal(s, 1.0, 1e-9);
    /* a misspelt legal form costs nothing */
    s = rf_matcher_compare(g_matcher, g_res, "VTB LEASING JOINT STOXK COMPANY", "VTB LEASING JSC",
                           RF_SCHEMA_ORGANIZATION);
    assert_float_equal(s, 1.0, 1e-9);
}

static const rf_feature *find_feature(const rf_match *m, const char *name) {
    for (size_t i = 0; i < m->n_features; i++)
        if (!strcmp(m->features[i].name, name)) return &m->features[i];
    return NULL;
}

static void test_secondary_attributes(void **state) {
    (void)state;
    rf_query q = {.name = "Kim Sang Man", .birth_date = {1965, 4, 25}, .country = "KP"};
    const rf_match *m = top(&q, NULL);
    assert_string_equal(m->entity->id, "us_ofac_sdn:43377");
    assert_float_equal(find_feature(m, "birth_date")->delta, 0.05, 1e-9);
    assert_float_equal(find_feature(m, "country")->delta, 0.03, 1e-9);
    /* another person of the same name: 20 years apart and American */
    rf_match_options o;
    rf_match_options_init(&o);
    o.threshold = 0.0;
    rf_query far = {.name = "Kim Sang Man", .birth_date = {1985, 0, 0}, .country = "US"};
    top(&far, &o);
    m = NULL;
    for (size_t i = 0; i < rf_results_count(g_res); i++)
        if (!strcmp(rf_results_get(g_res, i)->entity->id, "us_ofac_sdn:43377"))
            m = rf_results_get(g_res, i);
    assert_non_null(m);
    assert_true(m->score < RF_DEFAULT_THRESHOLD);
    assert_float_equal(find_feature(m, "birth_date")->delta, -0.25, 1e-9);
    assert_float_equal(find_feature(m, "country")->delta, -0.08, 1e-9);
    assert_null(top(&far, NULL));
    /* a person query against a company is unlikely */
    rf_query p = {.name = "Korea Ryonbong General Corporation", .schema = RF_SCHEMA_PERSON};
    m = top(&p, &o);
    assert_float_equal(find_feature(m, "schema")->delta, -0.30, 1e-9);
}

/* The index proposes every entity the full scan would alert on. */
/* One rf_results used with two matchers in turn answers as a fresh one
 * would: its token cache belongs to the matcher that filled it. */
static void test_results_shared_across_matchers(void **state) {
    (void)state;
    rf_error err;
    rf_dataset *small;
    assert_int_equal(rf_dataset_new(NULL, &small, &err), RF_OK);
    assert_int_equal(
        rf_dataset_add_un_xml(small, "un_sc", "UN", RF_TEST_FIXTURES "/un/consolidated.xml", &err),
        RF_OK);
    assert_int_equal(rf_dataset_finish(small, &err), RF_OK);
    rf_matcher *m2;
    assert_int_equal(rf_matcher_new(small, &m2, &err), RF_OK);
    rf_results *fresh = rf_results_new();
    static const char *const names[] = {"Korea Ryonbong General Corporation", "Paek Chang Ho",
                                        "Choe Sok Min"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        rf_query q = {.name = names[i]};
        assert_int_equal(rf_match_query(g_matcher, &q, NULL, g_res, &err), RF_OK);
        assert_int_equal(rf_match_query(m2, &q, NULL, g_res, &err), RF_OK);
        assert_int_equal(rf_match_query(m2, &q, NULL, fresh, &err), RF_OK);
        assert_true(rf_results_count(fresh) > 0);
        assert_int_equal(rf_results_count(g_res), rf_results_count(fresh));
        for (size_t k = 0; k < rf_results_count(fresh); k++) {
            assert_ptr_equal(rf_results_get(g_res, k)->entity, rf_results_get(fresh, k)->entity);
            assert_float_equal(rf_results_get(g_res, k)->score, rf_results_get(fresh, k)->score,
                               1e-9);
        }
    }
    rf_results_free(fresh);
    rf_matcher_free(m2);
    rf_dataset_free(small);
}

static void test_index_matches_exhaustive(void **state) {
    (void)state;
    static const char *const names[] = {
        "Kim Sang Man",
        "King San Man",
        "Mohammed Ali",
        "Ahmad Hassan",
        "Sergey Ivanov",
        "Jinyong IT Cooperation Co.",
        "Bank Melli",
        "Hezbollah",
        "Ahmed Mohamed Ahmed",
        "Vladimir Putin",
        "Hamas",
        "Usama bin Laden",
        "Pak",
        "Korea Kwangson Banking Corp",
    };
    rf_results *ex = rf_results_new();
    rf_match_options o, x;
    rf_match_options_init(&o);
    o.limit = 1000;
    o.threshold = 0.75;
    x = o;
    x.exhaustive = true;
    rf_error err;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        rf_query q = {.name = names[i]};
        assert_int_equal(rf_match_query(g_matcher, &q, &o, g_res, &err), RF_OK);
        assert_int_equal(rf_match_query(g_matcher, &q, &x, ex, &err), RF_OK);
        if (rf_results_count(g_res) != rf_results_count(ex))
            fail_msg("'%s': index %zu matches, exhaustive %zu", names[i], rf_results_count(g_res),
                     rf_results_count(ex));
        for (size_t k = 0; k < rf_results_count(ex); k++) {
            assert_ptr_equal(rf_results_get(g_res, k)->entity, rf_results_get(ex, k)->entity);
            assert_float_equal(rf_results_get(g_res, k)->score, rf_results_get(ex, k)->score, 1e-9);
        }
    }
    rf_results_free(ex);
}

static void test_ofac_algorithm(void **state) {
    (void)state;
    /* rows of OFAC's own tool (nomenklatura ofac_fixtures.csv) */
    assert_float_equal(rf_ofac_score("VLADIMIR PUTIN", "PUTIN, Vladimir"), 100.0, 0.01);
    assert_true(fabs(rf_ofac_score("VLADIMIR PUTIN", "VLADIMIR BILIY") - 90) <= 5);
    assert_true(fabs(rf_ofac_score("GEORGE BUSH", "GEORGIOU, Georgios") - 86) <= 5);
    rf_match_options o;
    rf_match_options_init(&o);
    o.algorithm = RF_ALGO_OFAC;
    rf_query q = {.name = "VLADIMIR PUTIN"};
    const rf_match *m = top(&q, &o);
    assert_string_equal(m->entity->id, "us_ofac_sdn:35096");
    assert_float_equal(m->score, 1.0, 1e-9);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dprk_it_network),
        cmocka_unit_test(test_explanation),
        cmocka_unit_test(test_wallet_and_identifier),
        cmocka_unit_test(test_ties_limit_threshold),
        cmocka_unit_test(test_invalid_queries),
        cmocka_unit_test(test_name_similarity),
        cmocka_unit_test(test_romanisation_and_scripts),
        cmocka_unit_test(test_osa_bit_parallel),
        cmocka_unit_test(test_birth_bound_holds),
        cmocka_unit_test(test_sigscan_vector_matches_scalar),
        cmocka_unit_test(test_name_chains),
        cmocka_unit_test(test_same_script_syllables),
        cmocka_unit_test(test_number_words),
        cmocka_unit_test(test_weak_aliases_and_legal_forms),
        cmocka_unit_test(test_secondary_attributes),
        cmocka_unit_test(test_index_matches_exhaustive),
        cmocka_unit_test(test_results_shared_across_matchers),
        cmocka_unit_test(test_ofac_algorithm),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
