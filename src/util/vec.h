/* A typed growable array: RF_VEC(T) declares {T *v; size_t n, cap;}. */
#ifndef RF_UTIL_VEC_H
#define RF_UTIL_VEC_H

#include "util/alloc.h"

#include <stdbool.h>

#define RF_VEC(T)                                                                                  \
    struct {                                                                                       \
        T *v;                                                                                      \
        size_t n, cap;                                                                             \
    }

/* Makes room for `extra` more elements; sets ok to false on out of memory. */
#define RF_VEC_RESERVE(vec, extra, ok)                                                             \
    do {                                                                                           \
        void *rf_p_ = (vec).v;                                                                     \
        if (rf_grow(&rf_p_, &(vec).cap, (vec).n + (extra), sizeof *(vec).v) == 0) {                \
            (vec).v = rf_p_;                                                                       \
            (ok) = true;                                                                           \
        } else {                                                                                   \
            (ok) = false;                                                                          \
        }                                                                                          \
    } while (0)

/* Appends x; sets ok to false on out of memory. */
#define RF_VEC_PUSH(vec, x, ok)                                                                    \
    do {                                                                                           \
        RF_VEC_RESERVE(vec, 1, ok);                                                                \
        if (ok) (vec).v[(vec).n++] = (x);                                                          \
    } while (0)

#define RF_VEC_FREE(vec)                                                                           \
    do {                                                                                           \
        rf_free((vec).v);                                                                          \
        (vec).v = NULL;                                                                            \
        (vec).n = (vec).cap = 0;                                                                   \
    } while (0)

#endif
