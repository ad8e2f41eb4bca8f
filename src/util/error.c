/* Status names and the helper that fills an rf_error with file and line. */
#include "util/error.h"
#include "util/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *rf_status_str(rf_status st) {
    switch (st) {
    case RF_OK:
        return "ok";
    case RF_E_NOMEM:
        return "out of memory";
    case RF_E_IO:
        return "input/output error";
    case RF_E_PARSE:
        return "malformed input";
    case RF_E_INVALID:
        return "invalid argument";
    case RF_E_NOTFOUND:
        return "not found";
    case RF_E_LIMIT:
        return "limit exceeded";
    case RF_E_INTERNAL:
        return "internal error";
    }
    return "unknown status";
}

void rf_error_clear(rf_error *err) {
    if (!err) return;
    err->code = RF_OK;
    err->file[0] = '\0';
    err->line = 0;
    err->msg[0] = '\0';
}

rf_status rf_fail(rf_error *err, rf_status code, const char *file, long line, const char *fmt,
                  ...) {
    if (!err) return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    size_t off = 0;
    if (file && *file) {
        int n = line > 0 ? snprintf(err->msg, sizeof err->msg, "%s:%ld: ", file, line)
                         : snprintf(err->msg, sizeof err->msg, "%s: ", file);
        off = n > 0 && (size_t)n < sizeof err->msg ? (size_t)n : 0;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + off, sizeof err->msg - off, fmt, ap);
    va_end(ap);
    /* a message quotes input ("'%.40s'"): keep it valid UTF-8 for JSON */
    rf_utf8_scrub(err->msg);
    rf_utf8_scrub(err->file);
    return code;
}
