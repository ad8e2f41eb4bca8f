/* A bump allocator: many small, never-freed-alone allocations (strings and
 * arrays of a loaded list) released together. Not thread-safe while
 * allocating; what it holds may be read from any thread afterwards. */
#ifndef RF_UTIL_ARENA_H
#define RF_UTIL_ARENA_H

#include <stddef.h>

typedef struct rf_arena_chunk rf_arena_chunk;

typedef struct rf_arena {
    rf_arena_chunk *head; /* newest chunk first */
    size_t used;          /* bytes used in head */
    size_t total;         /* bytes handed out in all chunks */
} rf_arena;

void rf_arena_init(rf_arena *a);
/* Releases every chunk; the arena can be used again. */
void rf_arena_free(rf_arena *a);
/* Forgets everything allocated but keeps the newest chunk for reuse, so a
 * per-query arena stops allocating once warm. */
void rf_arena_reset(rf_arena *a);
/* n bytes aligned for any type, or NULL when out of memory. */
void *rf_arena_alloc(rf_arena *a, size_t n);
/* Copies n bytes of s and appends a NUL. */
char *rf_arena_strndup(rf_arena *a, const char *s, size_t n);
char *rf_arena_strdup(rf_arena *a, const char *s);
/* Copies n elements of size elem; n == 0 gives NULL. */
void *rf_arena_memdup(rf_arena *a, const void *p, size_t n, size_t elem);

#endif
