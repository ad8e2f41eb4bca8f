/* Shared includes and helpers for the cmocka tests. */
#ifndef RF_TEST_UTIL_H
#define RF_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redflag/redflag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file at path, NUL-terminated (free() it); *len (when not NULL)
 * gets its size. Fails the test when it cannot be read. */
static inline char *test_slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = '\0';
    if (len) *len = (size_t)n;
    return b;
}

/* Counts warnings reported while loading. */
typedef struct warn_log {
    int count;
    char all[16384]; /* every message, one per line */
} warn_log;

static inline void warn_collect(void *ctx, const rf_error *w) {
    warn_log *log = ctx;
    log->count++;
    size_t used = strlen(log->all);
    snprintf(log->all + used, sizeof log->all - used, "%s\n", w->msg);
}

/* The bundled data folder, loaded once per test program and freed by the
 * group teardown free_bundled(). */
static rf_dataset *g_bundled;

static inline rf_dataset *bundled_dataset(void) {
    if (!g_bundled) {
        rf_error err;
        if (rf_dataset_load(RF_TEST_DATA, NULL, &g_bundled, &err) != RF_OK) {
            fprintf(stderr, "cannot load bundled data: %s\n", err.msg);
            abort();
        }
    }
    return g_bundled;
}

static inline int free_bundled(void **state) {
    (void)state;
    rf_dataset_free(g_bundled);
    g_bundled = NULL;
    return 0;
}

static inline const char *find_property(const rf_entity *e, const char *key) {
    for (size_t i = 0; i < e->n_properties; i++)
        if (!strcmp(e->properties[i].key, key)) return e->properties[i].value;
    return NULL;
}

#endif
