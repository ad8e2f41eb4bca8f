/* Growable NUL-terminated buffer used for building names, messages and JSON. */
#include "util/buf.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

void rf_buf_init(rf_buf *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->oom = false;
}

void rf_buf_free(rf_buf *b) {
    rf_free(b->data);
    rf_buf_init(b);
}

void rf_buf_reset(rf_buf *b) {
    b->len = 0;
    b->oom = false;
    if (b->data) b->data[0] = '\0';
}

bool rf_buf_reserve(rf_buf *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return true;
    void *p = b->data;
    size_t cap = b->cap;
    if (rf_grow(&p, &cap, b->len + extra + 1, 1) != 0) {
        b->oom = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool rf_buf_append(rf_buf *b, const char *s, size_t n) {
    if (!rf_buf_reserve(b, n)) return false;
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool rf_buf_puts(rf_buf *b, const char *s) {
    return rf_buf_append(b, s, strlen(s));
}

bool rf_buf_putc(rf_buf *b, char c) {
    return rf_buf_append(b, &c, 1);
}

bool rf_buf_printf(rf_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return false;
    if ((size_t)n < sizeof small) return rf_buf_append(b, small, (size_t)n);
    if (!rf_buf_reserve(b, (size_t)n)) return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

const char *rf_buf_str(const rf_buf *b) {
    return b->data ? b->data : "";
}
