/* Filling rf_error records. */
#ifndef RF_UTIL_ERROR_H
#define RF_UTIL_ERROR_H

#include "redflag/status.h"

/* Sets code, file, line and a printf-formatted message; returns code so a
 * caller can write `return rf_fail(err, RF_E_IO, path, 0, "...")`. err may be
 * NULL. The message is prefixed with "file:line: " when they are given. */
rf_status rf_fail(rf_error *err, rf_status code, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
