/* Jaro-Winkler on bytes without allocation: tokens longer than 64 bytes are
 * compared on their first 64 (names have no such tokens; the cap bounds
 * stack use). */
#include "match/jaro.h"

#include <stdbool.h>
#include <string.h>

#define JARO_MAX 64

double rf_jaro(const char *a, size_t la, const char *b, size_t lb) {
    if (la > JARO_MAX) la = JARO_MAX;
    if (lb > JARO_MAX) lb = JARO_MAX;
    if (la == 0 && lb == 0) return 1.0;
    if (la == 0 || lb == 0) return 0.0;
    if (la == lb && memcmp(a, b, la) == 0) return 1.0;
    size_t window = (la > lb ? la : lb) / 2;
    window = window > 0 ? window - 1 : 0;
    bool ma[JARO_MAX] = {false}, mb[JARO_MAX] = {false};
    size_t matches = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < lb ? i + window + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (mb[j] || a[i] != b[j]) continue;
            ma[i] = mb[j] = true;
            matches++;
            break;
        }
    }
    if (matches == 0) return 0.0;
    size_t t = 0, k = 0;
    for (size_t i = 0; i < la; i++) {
        if (!ma[i]) continue;
        while (!mb[k])
            k++;
        if (a[i] != b[k]) t++;
        k++;
    }
    double m = (double)matches;
    return (m / (double)la + m / (double)lb + (m - (double)t / 2.0) / m) / 3.0;
}

double rf_jaro_winkler(const char *a, size_t la, const char *b, size_t lb) {
    double j = rf_jaro(a, la, b, lb);
    if (j <= 0.7) return j;
    size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return j + (double)prefix * 0.1 * (1.0 - j);
}

size_t rf_osa_distance(const char *a, size_t la, const char *b, size_t lb, size_t max) {
    if (la > JARO_MAX) la = JARO_MAX;
    if (lb > JARO_MAX) lb = JARO_MAX;
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > max) return max + 1;
    /* three rolling rows: i-2, i-1, i */
    size_t rows[3][JARO_MAX + 1];
    size_t *pp = rows[0], *p = rows[1], *c = rows[2];
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = i;
        size_t row_min = c[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = p[j - 1] + cost;
            if (p[j] + 1 < v) v = p[j] + 1;
            if (c[j - 1] + 1 < v) v = c[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < row_min) row_min = v;
        }
        if (row_min > max) return max + 1;
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb] > max ? max + 1 : p[lb];
}
