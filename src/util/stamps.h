/* Marks over n items, all cleared in O(1): an item is marked when its stamp
 * equals the current one, and clearing moves to the next stamp (zeroing the
 * array only when the counter wraps). Per-query scratch of the matcher. */
#ifndef RF_UTIL_STAMPS_H
#define RF_UTIL_STAMPS_H

#include "util/alloc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct rf_stamps {
    uint32_t *at;
    size_t cap;
    uint32_t now;
} rf_stamps;

/* Makes room for n items (all unmarked); false when out of memory. */
static inline bool rf_stamps_fit(rf_stamps *s, size_t n) {
    if (s->cap >= n && s->at) return true;
    rf_free(s->at);
    s->at = rf_calloc(n + 1, sizeof *s->at);
    s->cap = s->at ? n : 0;
    s->now = 0;
    return s->at != NULL;
}

static inline void rf_stamps_free(rf_stamps *s) {
    rf_free(s->at);
    s->at = NULL;
    s->cap = 0;
}

/* Unmarks every item. */
static inline void rf_stamps_clear(rf_stamps *s) {
    if (++s->now == 0) {
        memset(s->at, 0, s->cap * sizeof *s->at);
        s->now = 1;
    }
}

static inline bool rf_stamps_has(const rf_stamps *s, size_t i) {
    return s->at[i] == s->now;
}

static inline void rf_stamps_set(rf_stamps *s, size_t i) {
    s->at[i] = s->now;
}

/* Marks item i; returns whether it was marked already. */
static inline bool rf_stamps_mark(rf_stamps *s, size_t i) {
    if (s->at[i] == s->now) return true;
    s->at[i] = s->now;
    return false;
}

#endif
