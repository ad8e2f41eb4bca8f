/* String similarity: Jaro, Jaro-Winkler, and edit distance. */
#ifndef RF_MATCH_JARO_H
#define RF_MATCH_JARO_H

#include <stddef.h>

/* Jaro similarity of two byte strings, in [0, 1]. */
double rf_jaro(const char *a, size_t la, const char *b, size_t lb);
/* Jaro-Winkler: Jaro plus a bonus of 0.1 per common leading byte (up to 4)
 * when Jaro exceeds 0.7. */
double rf_jaro_winkler(const char *a, size_t la, const char *b, size_t lb);

/* Optimal-string-alignment distance (Levenshtein plus adjacent
 * transposition) of two byte strings, or max + 1 when it exceeds max. */
size_t rf_osa_distance(const char *a, size_t la, const char *b, size_t lb, size_t max);

#endif
