/* Bump allocator in chunks of at least 64 KiB; an oversized request gets a
 * chunk of its own so small allocations do not waste the tail. */
#include "util/arena.h"
#include "util/alloc.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#define ARENA_CHUNK (64 * 1024)

struct rf_arena_chunk {
    rf_arena_chunk *next;
    size_t size;
    alignas(max_align_t) unsigned char data[];
};

void rf_arena_init(rf_arena *a) {
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

void rf_arena_free(rf_arena *a) {
    rf_arena_chunk *c = a->head;
    while (c) {
        rf_arena_chunk *next = c->next;
        rf_free(c);
        c = next;
    }
    rf_arena_init(a);
}

void rf_arena_reset(rf_arena *a) {
    if (!a->head) return;
    rf_arena_chunk *c = a->head->next;
    while (c) {
        rf_arena_chunk *next = c->next;
        rf_free(c);
        c = next;
    }
    a->head->next = NULL;
    a->used = 0;
    a->total = 0;
}

void *rf_arena_alloc(rf_arena *a, size_t n) {
    const size_t align = alignof(max_align_t);
    size_t need = (n + align - 1) & ~(align - 1);
    if (need < n) return NULL;
    if (!a->head || a->head->size - a->used < need) {
        size_t size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
        rf_arena_chunk *c = rf_malloc(sizeof(*c) + size);
        if (!c) return NULL;
        c->size = size;
        if (a->head && need > ARENA_CHUNK) {
            /* keep filling the current chunk: put the big one behind it */
            c->next = a->head->next;
            a->head->next = c;
            a->total += need;
            return c->data;
        }
        c->next = a->head;
        a->head = c;
        a->used = 0;
    }
    void *p = a->head->data + a->used;
    a->used += need;
    a->total += need;
    return p;
}

char *rf_arena_strndup(rf_arena *a, const char *s, size_t n) {
    char *d = rf_arena_alloc(a, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *rf_arena_strdup(rf_arena *a, const char *s) {
    return rf_arena_strndup(a, s ? s : "", s ? strlen(s) : 0);
}

void *rf_arena_memdup(rf_arena *a, const void *p, size_t n, size_t elem) {
    if (n == 0) return NULL;
    if (n > SIZE_MAX / elem) return NULL;
    void *d = rf_arena_alloc(a, n * elem);
    if (d) memcpy(d, p, n * elem);
    return d;
}
