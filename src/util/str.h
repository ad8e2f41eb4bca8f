/* Small string helpers over (pointer, length) slices. */
#ifndef RF_UTIL_STR_H
#define RF_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>

/* Moves *s and shrinks *n past leading and trailing ASCII white space. */
void rf_trim(const char **s, size_t *n);
/* True when s[0..n) starts with the C string prefix. */
bool rf_starts_with(const char *s, size_t n, const char *prefix);
/* Case-insensitive ASCII equality of a slice and a C string. */
bool rf_ieq(const char *s, size_t n, const char *c);
/* Slice equality with a C string. */
bool rf_eq(const char *s, size_t n, const char *c);
/* Makes the C string s valid UTF-8 in place: every byte of an invalid or
 * cut sequence becomes '?'. For messages that quote outside input (a cut
 * "%.40s" or raw bytes), so they can always be written as JSON. */
void rf_utf8_scrub(char *s);

#endif
