/* Reading whole files and hashing them. */
#ifndef RF_UTIL_FILE_H
#define RF_UTIL_FILE_H

#include "redflag/status.h"

#include <stdbool.h>

#include <stddef.h>

/* Reads the whole file at path into a NUL-terminated buffer the caller frees
 * with rf_free(). *len gets its size without the NUL. */
rf_status rf_file_read(const char *path, char **out, size_t *len, rf_error *err);

/* Writes the lowercase hex SHA-256 of data into hex (65 bytes). */
void rf_sha256_hex(const void *data, size_t len, char hex[65]);

/* Joins dir and a relative path into out ("dir/rel"); an absolute rel is
 * copied as is. Returns false if it does not fit. */
bool rf_path_join(char *out, size_t size, const char *dir, const char *rel);

#endif
