/* Identifier canonicalisation. */
#include "match/identifiers.h"
#include "util/str.h"

#include <stdbool.h>
#include <string.h>

size_t rf_id_canonical(const char *in, size_t n, char *out, size_t cap) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c >= 'a' && c <= 'z') c = (unsigned char)(c - 32);
        bool keep = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (!keep) continue;
        if (k + 1 >= cap) return 0;
        out[k++] = (char)c;
    }
    if (cap) out[k < cap ? k : cap - 1] = '\0';
    return k;
}

static bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool case_insensitive_chain(const char *s, size_t n) {
    if (n == 42 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        for (size_t i = 2; i < n; i++)
            if (!is_hex(s[i])) return false;
        return true;
    }
    /* bech32 human-readable parts followed by the separator '1' */
    static const char *const hrp[] = {"bc1", "tb1", "ltc1", "bitcoincash:", "bnb1", "cosmos1"};
    for (size_t i = 0; i < sizeof hrp / sizeof hrp[0]; i++) {
        size_t k = strlen(hrp[i]);
        if (n > k && rf_ieq(s, k, hrp[i])) return true;
    }
    return false;
}

size_t rf_wallet_canonical(const char *in, size_t n, char *out, size_t cap) {
    rf_trim(&in, &n);
    if (n == 0 || n + 1 > cap) return 0;
    bool fold = case_insensitive_chain(in, n);
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (fold && c >= 'A' && c <= 'Z') c = (char)(c + 32);
        out[i] = c;
    }
    out[n] = '\0';
    return n;
}
