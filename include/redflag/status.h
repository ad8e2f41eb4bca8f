/* Status codes and the error record every fallible redflag function fills.
 * A function returns an rf_status; when it is not RF_OK and the caller passed
 * an rf_error, that record says what went wrong and where (file, line, field)
 * in words a user can act on. */
#ifndef REDFLAG_STATUS_H
#define REDFLAG_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rf_status {
    RF_OK = 0,
    RF_E_NOMEM,   /* an allocation failed */
    RF_E_IO,      /* a file could not be opened, read or written */
    RF_E_PARSE,   /* input is malformed (bad CSV, XML, JSON, date...) */
    RF_E_INVALID, /* an argument or a field value is not acceptable */
    RF_E_NOTFOUND,
    RF_E_LIMIT, /* input exceeds a documented limit */
    RF_E_INTERNAL
} rf_status;

/* Filled by a failing call. msg is owned by the record (a fixed buffer), so
 * it stays valid until the record is reused; no need to free anything. */
typedef struct rf_error {
    rf_status code;
    char file[256]; /* the input file concerned, or "" */
    long line;      /* 1-based line in that file, or 0 */
    char msg[512];  /* a sentence for the user, includes file/line/field */
} rf_error;

/* A short constant English name for a status ("out of memory", ...). */
const char *rf_status_str(rf_status st);

/* Resets err to "no error". Accepts NULL. */
void rf_error_clear(rf_error *err);

#ifdef __cplusplus
}
#endif
#endif
