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

/* A slot of a frozen map as stored in a file: the key is an offset into a
 * string pool. */
#define RF_STRMAP_NO_KEY UINT32_MAX
typedef struct rf_strmap_ref {
    uint32_t key; /* offset into the pool, RF_STRMAP_NO_KEY: empty */
    uint32_t len;
    uint32_t value;
    uint32_t pad;
    uint64_t hash;
} rf_strmap_ref;

typedef struct rf_strmap {
    rf_strmap_slot *slots;
    size_t cap; /* power of two */
    size_t count;
    /* a borrowed, read-only map (rf_strmap_borrow): slots is NULL */
    const rf_strmap_ref *refs;
    const char *base;
    size_t base_size;
    uint32_t limit; /* values at or above it are not trusted */
} rf_strmap;

void rf_strmap_init(rf_strmap *m);
void rf_strmap_free(rf_strmap *m);
/* Inserts key (n bytes) -> value. When the key exists, keeps the old value
 * and returns it in *existing (if non-NULL) with result true. Returns false
 * only when out of memory. */
bool rf_strmap_put(rf_strmap *m, const char *key, size_t n, uint32_t value, bool *existed,
                   uint32_t *existing);
/* Makes m a read-only view of cap (a power of two) frozen slots whose keys
 * should lie in base[0, size) and values below limit: nothing is copied or
 * read now (a file maps in milliseconds). Lookups check each slot they
 * touch: a key outside the pool, a value at or above limit or a probe
 * longer than the table is a miss, never a read out of bounds. count is
 * not known for a borrowed map. */
void rf_strmap_borrow(rf_strmap *m, const rf_strmap_ref *refs, size_t cap, const char *base,
                      size_t size, uint32_t limit);
/* Looks key up; returns true and sets *value when found. */
bool rf_strmap_get(const rf_strmap *m, const char *key, size_t n, uint32_t *value);

uint64_t rf_hash(const void *data, size_t n);

#endif
