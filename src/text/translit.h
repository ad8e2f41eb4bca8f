/* Transliteration of any script to Latin ASCII (ICU), for names written in
 * Cyrillic, Hangul, Han, Arabic, Greek... Hangul is read syllable by
 * syllable ("김상만" -> "gim sang man"), Cyrillic with BGN/PCGN rules
 * ("Лукашенко" -> "Lukashenko"), the rest with ICU's Any-Latin.
 *
 * An rf_translit is not thread-safe: give each thread its own clone. */
#ifndef RF_TEXT_TRANSLIT_H
#define RF_TEXT_TRANSLIT_H

#include "redflag/status.h"
#include "util/buf.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct rf_translit rf_translit;

rf_status rf_translit_new(rf_translit **out, rf_error *err);
/* A transliterator for one ICU transform id ("Latin-Russian/BGN"), for
 * tools that write names in other scripts. */
rf_status rf_translit_new_id(const char *icu_id, rf_translit **out, rf_error *err);
/* A copy for another thread. NULL on failure. */
rf_translit *rf_translit_clone(const rf_translit *t);
void rf_translit_free(rf_translit *t);

/* True when s has any byte outside ASCII (only then is transliteration
 * needed). */
bool rf_needs_translit(const char *s, size_t n);

/* Writes the Latin ASCII form of UTF-8 text s into out (replacing it).
 * Returns false on out of memory or invalid input. */
bool rf_translit_run(rf_translit *t, const char *s, size_t n, rf_buf *out);

#endif
