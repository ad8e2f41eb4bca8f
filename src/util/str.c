/* Slice helpers used by the parsers. */
#include "util/str.h"

#include <string.h>
#include <utf8proc.h>

static bool space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

void rf_trim(const char **s, size_t *n) {
    while (*n && space(**s))
        (*s)++, (*n)--;
    while (*n && space((*s)[*n - 1]))
        (*n)--;
}

bool rf_starts_with(const char *s, size_t n, const char *prefix) {
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

bool rf_ieq(const char *s, size_t n, const char *c) {
    size_t k = strlen(c);
    if (k != n) return false;
    for (size_t i = 0; i < n; i++) {
        char a = s[i], b = c[i];
        if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
        if (b >= 'A' && b <= 'Z') b = (char)(b + 32);
        if (a != b) return false;
    }
    return true;
}

bool rf_eq(const char *s, size_t n, const char *c) {
    return strlen(c) == n && memcmp(s, c, n) == 0;
}

void rf_utf8_scrub(char *s) {
    size_t n = strlen(s), i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            s[i++] = '?';
            continue;
        }
        i += (size_t)k;
    }
}
