/* An open-addressing hash map from strings to 32-bit values, keyed with
 * xxhash. Keys are borrowed: they must outlive the map (they usually live
 * in an arena). Built once, then read by many threads. */
#ifndef RF_UTIL_STRMAP_H
#define RF_UTIL_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rf_strmap_slot {
    const char *key; /* NULL: empty */
    uint32_t len;
    uint32_t value;
    uint64_t hash;
} rf_strmap_slot;

typedef struct rf_strmap {
    rf_strmap_slot *slots;
    size_t cap; /* power of two */
    size_t count;
} rf_strmap;

void rf_strmap_init(rf_strmap *m);
void rf_strmap_free(rf_strmap *m);
/* Inserts key (n bytes) -> value. When the key exists, keeps the old value
 * and returns it in *existing (if non-NULL) with result true. Returns false
 * only when out of memory. */
bool rf_strmap_put(rf_strmap *m, const char *key, size_t n, uint32_t value, bool *existed,
                   uint32_t *existing);
/* Looks key up; returns true and sets *value when found. */
bool rf_strmap_get(const rf_strmap *m, const char *key, size_t n, uint32_t *value);

uint64_t rf_hash(const void *data, size_t n);

#endif
