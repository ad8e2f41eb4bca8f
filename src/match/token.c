/* Token similarity: exact, variant, romanisation and phonetic keys, typos
 * by edit distance, initials. */
#include "match/token.h"
#include "match/jaro.h"
#include "util/strmap.h"

#include <string.h>

/* Bits for "letter occurs at least k times", k = 1..4 (digits 1..2): the
 * popcount of two signatures ANDed is the number of characters the tokens
 * share, counted with repeats. */
static uint64_t signature(const char *s, size_t n, uint64_t *sig2, bool *heavy) {
    uint8_t count[36] = {0};
    *heavy = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int k = c >= 'a' && c <= 'z' ? c - 'a' : c >= '0' && c <= '9' ? 26 + c - '0' : -1;
        if (k < 0) {
            *heavy = true; /* a byte the signature cannot hold */
            continue;
        }
        count[k]++;
    }
    uint64_t sig = 0;
    *sig2 = 0;
    for (int k = 0; k < 26; k++) {
        if (count[k] >= 1) sig |= 1ull << k;
        if (count[k] >= 2) sig |= 1ull << (26 + k);
        if (count[k] >= 3) *sig2 |= 1ull << k;
        if (count[k] >= 4) *sig2 |= 1ull << (26 + k);
        if (count[k] >= 5) *heavy = true;
    }
    for (int k = 26; k < 36; k++) {
        if (count[k] >= 1) sig |= 1ull << (52 + k - 26);
        if (count[k] >= 2) *sig2 |= 1ull << (52 + k - 26);
        if (count[k] >= 3) *heavy = true;
    }
    return sig;
}

void rf_tok_describe(const rf_kb *kb, const char *s, size_t n, uint8_t cls, rf_tok *d) {
    d->s = s;
    d->len = (uint16_t)n;
    d->cls = cls;
    d->sig = signature(s, n, &d->sig2, &d->heavy);
    d->group = rf_kb_group(kb, s, n);
    d->legal = rf_kb_legal_class(kb, s, n);
    char key[RF_MAX_TOKEN_LEN * 2 + 1];
    size_t kl = rf_kb_rom_key(kb, s, n, key, sizeof key);
    d->rom = kl ? rf_hash(key, kl) | 1 : 0;
    kl = rf_kb_phonetic_key(kb, s, n, key, sizeof key);
    /* a skeleton of one or two letters says too little */
    d->phon = kl >= 3 && n >= 4 ? rf_hash(key, kl) | 1 : 0;
}

bool rf_tok_fuzzy_possible(const rf_tok *a, const rf_tok *b) {
    size_t d = rf_tok_max_edits(a->len, b->len);
    size_t l = a->len > b->len ? a->len : b->len;
    size_t diff = a->len > b->len ? a->len - b->len : b->len - a->len;
    if (diff > d) return false;
    if (a->heavy || b->heavy) return true;
    /* each edit fixes at most one character of the longer token */
    size_t common =
        (size_t)(__builtin_popcountll(a->sig & b->sig) + __builtin_popcountll(a->sig2 & b->sig2));
    return common + d >= l;
}

double rf_tok_sim_key(const rf_tok *a, const rf_tok *b, rf_token_how *how) {
    if (a->len == b->len && memcmp(a->s, b->s, a->len) == 0) {
        *how = RF_HOW_EXACT;
        return 1.0;
    }
    if (a->rom && a->rom == b->rom) {
        *how = RF_HOW_ROMANIZATION;
        return RF_SIM_ROMAN;
    }
    /* a short token's skeleton says little: "alis" and "elsa" share "als";
     * below six letters the first letters must agree too. The key is cut
     * short, so tokens of very different lengths ("bryanyoung", "parnia")
     * can share it: a sound-alike differs by a few letters at most. */
    size_t longer = a->len > b->len ? a->len : b->len;
    size_t diff = a->len > b->len ? a->len - b->len : b->len - a->len;
    if (a->phon && a->phon == b->phon && ((a->len >= 6 && b->len >= 6) || a->s[0] == b->s[0]) &&
        diff <= (longer / 4 > 2 ? longer / 4 : 2)) {
        *how = RF_HOW_PHONETIC;
        return RF_SIM_PHONETIC;
    }
    *how = RF_HOW_UNMATCHED;
    return 0.0;
}

double rf_tok_sim(const rf_tok *a, const rf_tok *b, bool initials, rf_token_how *how) {
    return rf_tok_sim_p(a, NULL, b, initials, how);
}

double rf_tok_sim_p(const rf_tok *a, const rf_osa_pattern *pa, const rf_tok *b, bool initials,
                    rf_token_how *how) {
    double best = rf_tok_sim_key(a, b, how);
    if (best >= 1.0) return best;
    if (a->group && a->group == b->group && RF_SIM_VARIANT > best) {
        best = RF_SIM_VARIANT;
        *how = RF_HOW_VARIANT;
    }
    if (a->legal && a->legal == b->legal && RF_SIM_LEGAL > best) {
        best = RF_SIM_LEGAL;
        *how = RF_HOW_VARIANT;
    }
    if (best < RF_SIM_VARIANT && a->len > 1 && b->len > 1 && rf_tok_fuzzy_possible(a, b)) {
        size_t max = rf_tok_max_edits(a->len, b->len);
        size_t d = pa ? rf_osa_distance_p(pa, b->s, b->len, max)
                      : rf_osa_distance(a->s, a->len, b->s, b->len, max);
        size_t l = a->len > b->len ? a->len : b->len;
        double sim = 1.0 - (double)d / (double)(l + 1);
        if (d <= max && sim > best) {
            best = sim;
            *how = RF_HOW_FUZZY;
        }
    }
    if (initials && best < RF_SIM_INITIAL && (a->len == 1 || b->len == 1) && a->s[0] == b->s[0]) {
        best = RF_SIM_INITIAL;
        *how = RF_HOW_INITIAL;
    }
    if (best <= 0) *how = RF_HOW_UNMATCHED;
    return best;
}
