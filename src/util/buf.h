/* A growable byte buffer that is always NUL-terminated. */
#ifndef RF_UTIL_BUF_H
#define RF_UTIL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct rf_buf {
    char *data; /* NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;
    bool oom; /* an append failed; contents are truncated */
} rf_buf;

void rf_buf_init(rf_buf *b);
void rf_buf_free(rf_buf *b);
/* Empties the buffer, keeping its memory. */
void rf_buf_reset(rf_buf *b);
bool rf_buf_reserve(rf_buf *b, size_t extra);
bool rf_buf_append(rf_buf *b, const char *s, size_t n);
bool rf_buf_puts(rf_buf *b, const char *s);
bool rf_buf_putc(rf_buf *b, char c);
bool rf_buf_printf(rf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The contents as a C string ("" when empty). */
const char *rf_buf_str(const rf_buf *b);

#endif
