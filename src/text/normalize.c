/* Name normalisation. ASCII input (most queries and most list names) takes a
 * byte loop; anything else goes through utf8proc for NFKC + case folding +
 * mark stripping, then the same token rules. */
#include "text/normalize.h"
#include "util/alloc.h"

#include <string.h>
#include <utf8proc.h>

bool rf_latin1_to_utf8(const char *in, size_t n, rf_buf *out) {
    if (!rf_buf_reserve(out, n * 2)) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c < 0x80) {
            out->data[out->len++] = (char)c;
        } else {
            out->data[out->len++] = (char)(0xC0 | (c >> 6));
            out->data[out->len++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out->data[out->len] = '\0';
    return true;
}

bool rf_utf8_valid(const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) return false;
        i += (size_t)k;
    }
    return true;
}

/* Token builder state shared by the ASCII and Unicode paths. */
typedef struct tok_state {
    rf_buf *out;
    bool pending_space; /* a separator was seen since the last character */
    size_t seg_len;     /* characters in the current token segment */
    bool ok;
} tok_state;

static void emit_bytes(tok_state *t, const char *b, size_t n) {
    if (t->pending_space && t->out->len > 0) {
        t->ok &= rf_buf_putc(t->out, ' ');
        t->seg_len = 0;
    }
    t->pending_space = false;
    t->ok &= rf_buf_append(t->out, b, n);
    t->seg_len++;
}

static void separator(tok_state *t) {
    t->pending_space = true;
}

/* A dot joins an initialism ("s.a." -> "sa") and separates anything else.
 * next_is_alnum tells whether a letter or digit follows directly. */
static void dot(tok_state *t, bool next_is_alnum) {
    if (!(t->seg_len == 1 && next_is_alnum && !t->pending_space))
        separator(t);
    else
        t->seg_len = 0;
}

static bool ascii_alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_apostrophe(utf8proc_int32_t cp) {
    return cp == '\'' || cp == '`' || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC ||
           cp == 0x02BB || cp == 0x00B4 || cp == 0x02B9 || cp == 0x02BF || cp == 0x02BE;
}

static bool ascii_alpha(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A digit between two letters is a letter in disguise ("Ig0r Sech1n"). */
static char homoglyph(const char *s, size_t n, size_t i) {
    static const char map[] = "oizeasgtbg"; /* 0-9 */
    if (i == 0 || i + 1 >= n || !ascii_alpha((unsigned char)s[i - 1]) ||
        !ascii_alpha((unsigned char)s[i + 1]))
        return 0;
    return map[s[i] - '0'];
}

static bool norm_ascii(const char *s, size_t n, tok_state *t) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (ascii_alnum(c)) {
            char lc = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            if (c >= '0' && c <= '9' && homoglyph(s, n, i)) lc = homoglyph(s, n, i);
            emit_bytes(t, &lc, 1);
        } else if (c == '&') {
            /* "AT&T", "L & H": the ampersand is the word */
            separator(t);
            emit_bytes(t, "and", 3);
            separator(t);
        } else if (c == '\'' || c == '`') {
            /* dropped: Ch'oe -> choe, O'Brien -> obrien */
        } else if (c == '.') {
            dot(t, i + 1 < n && ascii_alnum((unsigned char)s[i + 1]));
        } else {
            separator(t);
        }
    }
    return t->ok;
}

static bool cp_is_alnum(utf8proc_int32_t cp) {
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MN: /* marks kept by scripts where they are vowels */
    case UTF8PROC_CATEGORY_MC:
        return true;
    default:
        return false;
    }
}

static bool norm_unicode(const char *s, size_t n, tok_state *t) {
    const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                   UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE |
                                   UTF8PROC_LUMP;
    utf8proc_int32_t small[512];
    utf8proc_int32_t *cps = small;
    utf8proc_ssize_t cap = (utf8proc_ssize_t)(sizeof small / sizeof small[0]);
    utf8proc_ssize_t len;
    /* Invalid bytes: normalise valid runs separately, treating the bad
     * bytes as separators, so one bad byte never discards the name. */
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k =
                utf8proc_iterate((const utf8proc_uint8_t *)s + j, (utf8proc_ssize_t)(n - j), &cp);
            if (k <= 0) break;
            j += (size_t)k;
        }
        if (j > i) {
            for (;;) {
                len = utf8proc_decompose((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(j - i),
                                         cps, cap, opts);
                if (len < 0) {
                    len = 0;
                    break;
                }
                if (len <= cap) break;
                if (cps != small) rf_free(cps);
                cps = rf_malloc((size_t)len * sizeof *cps);
                if (!cps) return false;
                cap = len;
            }
            len = utf8proc_normalize_utf32(cps, len, opts);
            if (len < 0) len = 0;
            for (utf8proc_ssize_t k = 0; k < len; k++) {
                utf8proc_int32_t cp = cps[k];
                if (cp < 0x80 && ascii_alnum((unsigned char)cp)) {
                    char lc = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
                    emit_bytes(t, &lc, 1);
                } else if (is_apostrophe(cp)) {
                    /* dropped, as in the ASCII path */
                } else if (cp == '.') {
                    dot(t, k + 1 < len && cp_is_alnum(cps[k + 1]));
                } else if (cp == '&') {
                    separator(t);
                    emit_bytes(t, "and", 3);
                    separator(t);
                } else if (cp_is_alnum(cp)) {
                    utf8proc_uint8_t enc[4];
                    utf8proc_ssize_t el = utf8proc_encode_char(cp, enc);
                    emit_bytes(t, (const char *)enc, (size_t)el);
                } else {
                    separator(t);
                }
            }
        }
        if (j < n) {
            separator(t);
            j++;
        }
        i = j;
    }
    if (cps != small) rf_free(cps);
    return t->ok;
}

bool rf_norm_name(const char *s, size_t n, rf_buf *out) {
    rf_buf_reset(out);
    if (!rf_buf_reserve(out, n)) return false;
    out->data[0] = '\0';
    tok_state t = {out, false, 0, true};
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) {
            ascii = false;
            break;
        }
    return ascii ? norm_ascii(s, n, &t) : norm_unicode(s, n, &t);
}
