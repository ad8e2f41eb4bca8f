/* The one allocation hook. Every heap allocation in libredflag goes through
 * these so tests can count or fail allocations. */
#ifndef RF_UTIL_ALLOC_H
#define RF_UTIL_ALLOC_H

#include <stddef.h>

void *rf_malloc(size_t n);
void *rf_calloc(size_t count, size_t size);
void *rf_realloc(void *p, size_t n);
void rf_free(void *p);
/* Copies s (NULL gives NULL); caller frees with rf_free(). */
char *rf_strdup(const char *s);
char *rf_strndup(const char *s, size_t n);

/* Grows *arr (of *cap elements of elem bytes) to hold at least need
 * elements. Returns 0 on success, -1 when out of memory (arr unchanged). */
int rf_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif
