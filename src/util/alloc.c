/* Allocation hook: thin wrappers over the C library allocator, kept in one
 * place so that an out-of-memory test or another allocator needs one change. */
#include "util/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *rf_malloc(size_t n) {
    return malloc(n ? n : 1);
}

void *rf_calloc(size_t count, size_t size) {
    return calloc(count ? count : 1, size ? size : 1);
}

void *rf_realloc(void *p, size_t n) {
    return realloc(p, n ? n : 1);
}

void rf_free(void *p) {
    free(p);
}

char *rf_strndup(const char *s, size_t n) {
    if (!s) return NULL;
    char *d = rf_malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *rf_strdup(const char *s) {
    return s ? rf_strndup(s, strlen(s)) : NULL;
}

int rf_grow(void **arr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return -1;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elem) return -1;
    void *p = rf_realloc(*arr, ncap * elem);
    if (!p) return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}
