/* String hash map with linear probing; load kept under 1/2 so probes stay
 * short. Stores the 64-bit hash to skip most key compares. */
#include "util/strmap.h"
#include "util/alloc.h"

#include <string.h>
#include <xxhash.h>

uint64_t rf_hash(const void *data, size_t n) {
    return XXH3_64bits(data, n);
}

void rf_strmap_init(rf_strmap *m) {
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
    m->refs = NULL;
    m->base = NULL;
}

void rf_strmap_free(rf_strmap *m) {
    rf_free(m->slots);
    rf_strmap_init(m);
}

static rf_strmap_slot *find_slot(rf_strmap_slot *slots, size_t cap, const char *key, size_t n,
                                 uint64_t h) {
    size_t i = (size_t)h & (cap - 1);
    for (;;) {
        rf_strmap_slot *s = &slots[i];
        if (!s->key) return s;
        if (s->hash == h && s->len == n && memcmp(s->key, key, n) == 0) return s;
        i = (i + 1) & (cap - 1);
    }
}

static bool rehash(rf_strmap *m, size_t ncap) {
    rf_strmap_slot *ns = rf_calloc(ncap, sizeof *ns);
    if (!ns) return false;
    for (size_t i = 0; i < m->cap; i++) {
        rf_strmap_slot *s = &m->slots[i];
        if (!s->key) continue;
        *find_slot(ns, ncap, s->key, s->len, s->hash) = *s;
    }
    rf_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return true;
}

bool rf_strmap_put(rf_strmap *m, const char *key, size_t n, uint32_t value, bool *existed,
                   uint32_t *existing) {
    if (m->refs) return false; /* borrowed maps are read-only */
    if ((m->count + 1) * 2 > m->cap && !rehash(m, m->cap ? m->cap * 2 : 16)) return false;
    uint64_t h = rf_hash(key, n);
    rf_strmap_slot *s = find_slot(m->slots, m->cap, key, n, h);
    if (s->key) {
        if (existed) *existed = true;
        if (existing) *existing = s->value;
        return true;
    }
    s->key = key;
    s->len = (uint32_t)n;
    s->value = value;
    s->hash = h;
    m->count++;
    if (existed) *existed = false;
    return true;
}

void rf_strmap_borrow(rf_strmap *m, const rf_strmap_ref *refs, size_t cap, const char *base,
                      size_t size, uint32_t limit) {
    rf_strmap_init(m);
    m->refs = refs;
    m->base = base;
    m->base_size = size;
    m->limit = limit;
    m->cap = cap;
}

bool rf_strmap_get(const rf_strmap *m, const char *key, size_t n, uint32_t *value) {
    if (!m->cap) return false;
    uint64_t h = rf_hash(key, n);
    if (m->refs) {
        size_t i = (size_t)h & (m->cap - 1);
        for (size_t probes = 0; probes < m->cap; probes++, i = (i + 1) & (m->cap - 1)) {
            const rf_strmap_ref *s = &m->refs[i];
            if (s->key == RF_STRMAP_NO_KEY) return false;
            if (s->hash != h || s->len != n) continue;
            /* a frozen table is checked where it is read */
            if (s->key >= m->base_size || s->len >= m->base_size - s->key) return false;
            if (memcmp(m->base + s->key, key, n) == 0) {
                if (s->value >= m->limit) return false;
                *value = s->value;
                return true;
            }
        }
        return false;
    }
    rf_strmap_slot *s = find_slot(m->slots, m->cap, key, n, h);
    if (!s->key) return false;
    *value = s->value;
    return true;
}
