/* Text normalisation for matching: any UTF-8 name in, a string of lowercase
 * tokens separated by single spaces out. */
#ifndef RF_TEXT_NORMALIZE_H
#define RF_TEXT_NORMALIZE_H

#include "util/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* Appends the UTF-8 encoding of Latin-1 bytes to out. */
bool rf_latin1_to_utf8(const char *in, size_t n, rf_buf *out);

/* True when s[0..n) is valid UTF-8. */
bool rf_utf8_valid(const char *s, size_t n);

/* Normalises a name for comparison: NFKC, case folding, accents stripped,
 * apostrophes dropped ("Ch'oe" -> "choe"), dots of initialisms joined
 * ("S.A." -> "sa"), any other punctuation, symbol or space run becomes one
 * space; no leading or trailing space. Replaces out's contents. Invalid
 * UTF-8 bytes are treated as separators. Returns false on out of memory. */
bool rf_norm_name(const char *s, size_t n, rf_buf *out);

#endif
