/* Normalising the identifiers workers are linked by, so that one value
 * written two ways is one key: emails (case, Gmail dots, plus-tags), phones
 * (E.164 digits), postal addresses (case, accents, punctuation and the
 * abbreviations of resources/workers/workers_address_words.tsv), wallets
 * (hex and bech32 addresses are case-insensitive, base58 is not), account
 * and document numbers (letters and digits). Case folding and accent
 * stripping go through utf8proc. */
#include "workers/workers_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/resource.h"
#include "util/tsv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

/* ---- MARK: tables ---- */

static rf_status load_table(wk_norm *n, const char *name, rf_strmap *map, bool with_values,
                            rf_error *err) {
    size_t len;
    const char *data = rf_resource(name, &len);
    if (!data) return rf_fail(err, RF_E_INTERNAL, name, 0, "resource missing from the build");
    rf_tsv t;
    rf_tsv_row row;
    rf_tsv_init(&t, data, len);
    while (rf_tsv_next(&t, &row)) {
        const char *key = rf_arena_strndup(&n->arena, row.field[0], row.len[0]);
        if (!key) return rf_fail(err, RF_E_NOMEM, name, row.line, "out of memory");
        uint32_t value = 0;
        if (with_values) {
            /* the value is the index of the second column in address_canon,
             * or for calling codes the code and trunk prefix as a string */
            if (row.n < 2) return rf_fail(err, RF_E_PARSE, name, row.line, "expected two columns");
            size_t extra = row.n > 2 ? row.len[2] + 1 : 0;
            char *val = rf_arena_alloc(&n->arena, row.len[1] + 1 + extra);
            if (!val) return rf_fail(err, RF_E_NOMEM, name, row.line, "out of memory");
            memcpy(val, row.field[1], row.len[1]);
            val[row.len[1]] = '\0';
            if (row.n > 2) {
                val[row.len[1]] = '\0';
                memcpy(val + row.len[1] + 1, row.field[2], row.len[2]);
                val[row.len[1] + 1 + row.len[2]] = '\0';
            }
            if (rf_grow((void **)&n->address_canon, &n->cap_address_canon, n->n_address_canon + 1,
                        sizeof *n->address_canon))
                return rf_fail(err, RF_E_NOMEM, name, row.line, "out of memory");
            value = (uint32_t)n->n_address_canon;
            n->address_canon[n->n_address_canon++] = val;
        }
        if (!rf_strmap_put(map, key, row.len[0], value, NULL, NULL))
            return rf_fail(err, RF_E_NOMEM, name, row.line, "out of memory");
    }
    return RF_OK;
}

rf_status wk_norm_init(wk_norm *n, rf_error *err) {
    memset(n, 0, sizeof *n);
    rf_arena_init(&n->arena);
    rf_strmap_init(&n->address_words);
    rf_strmap_init(&n->calling_codes);
    rf_strmap_init(&n->korean_countries);
    rf_status st;
    if ((st = load_table(n, "workers_address_words.tsv", &n->address_words, true, err)) ||
        (st = load_table(n, "workers_calling_codes.tsv", &n->calling_codes, true, err)) ||
        (st = load_table(n, "workers_korean_countries.tsv", &n->korean_countries, false, err))) {
        wk_norm_free(n);
        return st;
    }
    return RF_OK;
}

void wk_norm_free(wk_norm *n) {
    rf_strmap_free(&n->address_words);
    rf_strmap_free(&n->calling_codes);
    rf_strmap_free(&n->korean_countries);
    rf_free(n->address_canon);
    rf_arena_free(&n->arena);
    memset(n, 0, sizeof *n);
}

/* ---- MARK: helpers ---- */

/* Case-folded, accent-free, NFKC copy of s (malloc'd by utf8proc), or NULL
 * for invalid UTF-8. */
static char *fold(const char *s) {
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &dst,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                          UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
    if (n < 0) return NULL;
    return (char *)dst;
}

static void trim(const char **s, size_t *n) {
    while (*n && isspace((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* ---- MARK: normalisers ---- */

bool wk_norm_email(const char *s, rf_buf *out) {
    rf_buf_reset(out);
    char *f = fold(s);
    if (!f) return false;
    const char *p = f;
    size_t n = strlen(f);
    trim(&p, &n);
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '@') at = p + i;
    if (!at || at == p || at == p + n - 1) {
        free(f);
        return false;
    }
    const char *domain = at + 1;
    size_t dlen = (size_t)(p + n - domain);
    bool gmail = (dlen == 9 && !memcmp(domain, "gmail.com", 9)) ||
                 (dlen == 14 && !memcmp(domain, "googlemail.com", 14));
    for (const char *q = p; q < at; q++) {
        if (*q == '+') break; /* a plus-tag reaches the same mailbox */
        if (gmail && *q == '.') continue;
        rf_buf_putc(out, *q);
    }
    rf_buf_putc(out, '@');
    if (gmail)
        rf_buf_puts(out, "gmail.com");
    else
        rf_buf_append(out, domain, dlen);
    free(f);
    return out->len > 1 && !out->oom;
}

bool wk_norm_phone(const wk_norm *n, const char *s, const char *country, rf_buf *out) {
    rf_buf_reset(out);
    const char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    bool intl = false;
    if (*p == '+') {
        intl = true;
        p++;
    }
    char digits[40];
    size_t nd = 0;
    for (; *p && nd < sizeof digits - 1; p++) {
        if (isdigit((unsigned char)*p))
            digits[nd++] = *p;
        else if (isalpha((unsigned char)*p))
            break; /* "ext. 12": an extension is not part of the number */
    }
    digits[nd] = '\0';
    const char *d = digits;
    if (!intl && nd > 2 && d[0] == '0' && d[1] == '0') { /* 00 international prefix */
        intl = true;
        d += 2;
    }
    if (!intl && country) {
        uint32_t idx;
        if (rf_strmap_get(&n->calling_codes, country, strlen(country), &idx)) {
            const char *code = n->address_canon[idx];
            const char *trunk = code + strlen(code) + 1;
            size_t tl = strlen(trunk), cl = strlen(code);
            if (tl && !strncmp(d, trunk, tl) && strlen(d) > 7 + tl &&
                !(cl == tl && !strncmp(d, code, cl) && strlen(d) == 11))
                d += tl; /* national trunk prefix */
            else if (cl == tl && !strncmp(d, code, cl) && strlen(d) == 11)
                d += cl; /* NANP 1-312-555-0100: the code already there */
            rf_buf_puts(out, code);
        }
    }
    rf_buf_puts(out, d);
    return out->len >= 6 && !out->oom;
}

bool wk_norm_address(const wk_norm *n, const char *s, rf_buf *out) {
    rf_buf_reset(out);
    char *f = fold(s);
    if (!f) return false;
    const char *p = f;
    while (*p) {
        /* a word: letters, digits and any non-ASCII byte */
        while (*p && (unsigned char)*p < 0x80 && !isalnum((unsigned char)*p))
            p++;
        const char *w = p;
        while (*p && ((unsigned char)*p >= 0x80 || isalnum((unsigned char)*p)))
            p++;
        if (p == w) continue;
        uint32_t idx;
        const char *word = w;
        size_t len = (size_t)(p - w);
        if (rf_strmap_get(&n->address_words, w, len, &idx)) {
            word = n->address_canon[idx];
            len = strlen(word);
        }
        if (!len) continue;
        if (out->len) rf_buf_putc(out, ' ');
        rf_buf_append(out, word, len);
    }
    free(f);
    return out->len > 0 && !out->oom;
}

bool wk_norm_wallet(const char *s, rf_buf *out) {
    rf_buf_reset(out);
    size_t n = strlen(s);
    trim(&s, &n);
    bool nocase = (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ||
                  !strncasecmp(s, "bc1", 3) || !strncasecmp(s, "ltc1", 4) ||
                  !strncasecmp(s, "tb1", 3);
    for (size_t i = 0; i < n; i++)
        rf_buf_putc(out, nocase ? (char)tolower((unsigned char)s[i]) : s[i]);
    return out->len > 0 && !out->oom;
}

bool wk_norm_alnum(const char *s, rf_buf *out) {
    rf_buf_reset(out);
    for (; *s; s++)
        if (isalnum((unsigned char)*s)) rf_buf_putc(out, (char)toupper((unsigned char)*s));
    return out->len > 0 && !out->oom;
}

bool wk_norm_token(const char *s, rf_buf *out) {
    rf_buf_reset(out);
    size_t n = strlen(s);
    trim(&s, &n);
    for (size_t i = 0; i < n; i++)
        rf_buf_putc(out, (char)tolower((unsigned char)s[i]));
    return out->len > 0 && !out->oom;
}
