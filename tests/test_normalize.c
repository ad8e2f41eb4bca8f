/* Name normalisation, Latin-1 decoding, dates and identifier forms. */
#include "test_util.h"

#include "lists/dates.h"
#include "match/identifiers.h"
#include "match/jaro.h"
#include "text/normalize.h"
#include "text/translit.h"

static void expect_norm(const char *in, const char *want) {
    rf_buf b;
    rf_buf_init(&b);
    assert_true(rf_norm_name(in, strlen(in), &b));
    assert_string_equal(rf_buf_str(&b), want);
    rf_buf_free(&b);
}

static void test_norm_names(void **state) {
    (void)state;
    expect_norm("KIM, Sang Man", "kim sang man");
    expect_norm("CH'OE, Ch'un-sik", "choe chun sik");
    expect_norm("PAK, To'-Ch'un", "pak to chun");
    expect_norm("ANGLO-CARIBBEAN CO., LTD.", "anglo caribbean co ltd");
    expect_norm("CECOEX, S.A.", "cecoex sa");
    expect_norm("  110TH   RESEARCH\tCENTER ", "110th research center");
    expect_norm("MÜLLER Straße", "muller strasse");   /* case folding: ß -> ss */
    expect_norm("Ｋｉｍ", "kim");                     /* NFKC: full-width letters */
    expect_norm("Ahmad ‘Abdallah", "ahmad abdallah"); /* typographic apostrophe */
    expect_norm("Ким Сан Ман", "ким сан ман");        /* other scripts are kept */
    expect_norm("!!!", "");
    expect_norm("", "");
}

static void test_norm_invalid_utf8(void **state) {
    (void)state;
    /* a stray byte separates tokens instead of losing the name */
    expect_norm("ab\xff"
                "cd",
                "ab cd");
    expect_norm("Jos\xc3\xa9\xc3", "jose");
}

static void test_latin1(void **state) {
    (void)state;
    rf_buf b;
    rf_buf_init(&b);
    assert_true(rf_latin1_to_utf8("CAF\xc9 M\xdcLLER", 11, &b));
    assert_string_equal(rf_buf_str(&b), "CAFÉ MÜLLER");
    assert_true(rf_utf8_valid(b.data, b.len));
    assert_false(rf_utf8_valid("CAF\xc9", 4));
    rf_buf_free(&b);
}

static void test_dates(void **state) {
    (void)state;
    rf_date_range r;
    assert_true(rf_date_parse_ofac("25 Apr 1965", 11, &r));
    assert_int_equal(r.from.year, 1965);
    assert_int_equal(r.from.month, 4);
    assert_int_equal(r.from.day, 25);
    assert_memory_equal(&r.from, &r.to, sizeof r.from);
    assert_false(r.circa);
    assert_true(rf_date_parse_ofac("circa 1951", 10, &r));
    assert_true(r.circa);
    assert_int_equal(r.from.year, 1951);
    assert_int_equal(r.from.month, 0);
    assert_true(rf_date_parse_ofac("Sep 1938", 8, &r));
    assert_int_equal(r.from.month, 9);
    assert_int_equal(r.from.day, 0);
    const char *range = "01 Jan 1961 to 31 Dec 1962";
    assert_true(rf_date_parse_ofac(range, strlen(range), &r));
    assert_int_equal(r.from.year, 1961);
    assert_int_equal(r.to.year, 1962);
    assert_int_equal(r.to.month, 12);
    assert_int_equal(r.to.day, 31);
    assert_true(rf_date_parse_ofac("circa 1979-1982", 15, &r));
    assert_true(r.circa);
    assert_int_equal(r.from.year, 1979);
    assert_int_equal(r.to.year, 1982);
    assert_false(rf_date_parse_ofac("31 Feb 1970", 11, &r));
    assert_false(rf_date_parse_ofac("1962 to 1960", 12, &r));
    assert_false(rf_date_parse_ofac("sometime", 8, &r));

    rf_date d;
    assert_true(rf_date_parse_iso("1965-04-25", 10, &d));
    assert_int_equal(d.day, 25);
    assert_true(rf_date_parse_iso("2000-02-29", 10, &d)); /* leap year */
    assert_false(rf_date_parse_iso("1900-02-29", 10, &d));
    assert_true(rf_date_parse_iso("1965-04", 7, &d));
    assert_int_equal(d.day, 0);
    assert_false(rf_date_parse_iso("1965-4-25", 9, &d));
    assert_false(rf_date_parse_iso("65", 2, &d));
    char out[11];
    rf_date_format(&d, out);
    assert_string_equal(out, "1965-04");
}

static void test_identifiers(void **state) {
    (void)state;
    char out[64];
    assert_int_equal(rf_id_canonical("D366 871", 8, out, sizeof out), 7);
    assert_string_equal(out, "D366871");
    assert_int_equal(rf_id_canonical("d366-871", 8, out, sizeof out), 7);
    assert_string_equal(out, "D366871");
    const char *evm = " 0xB6F5EC1A0A9CD1526536D3F0426C429529471F40 ";
    assert_int_equal(rf_wallet_canonical(evm, strlen(evm), out, sizeof out), 42);
    assert_string_equal(out, "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40");
    /* base58 is case-sensitive: kept as written */
    const char *xbt = "1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ";
    assert_int_equal(rf_wallet_canonical(xbt, strlen(xbt), out, sizeof out), strlen(xbt));
    assert_string_equal(out, xbt);
    const char *bech = "BC1QXY2KGDYGJRSQTZQ2N0YRF2493P83KKFJHX0WLH";
    rf_wallet_canonical(bech, strlen(bech), out, sizeof out);
    assert_string_equal(out, "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh");
}

static void test_jaro_winkler(void **state) {
    (void)state;
    /* textbook values */
    assert_float_equal(rf_jaro("martha", 6, "marhta", 6), 0.9444, 0.0001);
    assert_float_equal(rf_jaro_winkler("martha", 6, "marhta", 6), 0.9611, 0.0001);
    assert_float_equal(rf_jaro_winkler("dwayne", 6, "duane", 5), 0.84, 0.0001);
    assert_float_equal(rf_jaro_winkler("dixon", 5, "dicksonx", 8), 0.8133, 0.0001);
    assert_float_equal(rf_jaro_winkler("abc", 3, "xyz", 3), 0.0, 0.0001);
    assert_float_equal(rf_jaro_winkler("kim", 3, "kim", 3), 1.0, 0.0001);
}

/* Transliteration to Latin, normalised to tokens: Hangul by syllable, Han
 * character by character (each reading remembered: the second time must
 * read the same), Cyrillic by BGN/PCGN, the rest by ICU's Any-Latin. */
static void expect_latin(rf_translit *t, const char *in, const char *want) {
    rf_buf latin, norm;
    rf_buf_init(&latin);
    rf_buf_init(&norm);
    assert_true(rf_translit_run(t, in, strlen(in), &latin));
    assert_true(rf_norm_name(latin.data, latin.len, &norm));
    assert_string_equal(rf_buf_str(&norm), want);
    rf_buf_free(&latin);
    rf_buf_free(&norm);
}

static void test_translit(void **state) {
    (void)state;
    rf_translit *t;
    rf_error err;
    assert_int_equal(rf_translit_new(&t, &err), RF_OK);
    for (int pass = 0; pass < 2; pass++) {
        expect_latin(t, "金相萬", "jin xiang wan");
        expect_latin(t, "习近平", "xi jin ping");
        expect_latin(t, "高橋あすか", "gao qiao asuka");
        expect_latin(t, "贝拉克·奥巴马", "bei la ke ao ba ma");
        expect_latin(t, "김상만", "gim sang man");
        expect_latin(t, "Ким Сан Ман", "kim san man");
        expect_latin(t, "Görgünay Yıldırım", "gorgunay yildirim");
    }
    rf_translit *c = rf_translit_clone(t); /* another thread's: its own readings */
    assert_non_null(c);
    expect_latin(c, "习近平", "xi jin ping");
    rf_translit_free(c);
    rf_translit_free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_norm_names),  cmocka_unit_test(test_norm_invalid_utf8),
        cmocka_unit_test(test_latin1),      cmocka_unit_test(test_dates),
        cmocka_unit_test(test_identifiers), cmocka_unit_test(test_jaro_winkler),
        cmocka_unit_test(test_translit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
