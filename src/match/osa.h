/* Bit-parallel optimal-string-alignment distance (Hyyrö 2003): one string
 * of at most 64 bytes is prepared once as bit masks, then compared with
 * many others in a few word operations per byte. The same distance as
 * rf_osa_distance, for the typo search that compares a query token with
 * thousands of list tokens. */
#ifndef RF_MATCH_OSA_H
#define RF_MATCH_OSA_H

#include <stddef.h>
#include <stdint.h>

#define RF_OSA_MAX_LEN 64

typedef struct rf_osa_pattern {
    uint64_t peq[256]; /* per byte: the positions where the pattern has it */
    size_t len;        /* at most RF_OSA_MAX_LEN (longer is cut, as rf_osa_distance does) */
} rf_osa_pattern;

void rf_osa_prepare(rf_osa_pattern *p, const char *s, size_t n);
/* The OSA distance of the pattern and b, or max + 1 when it exceeds max. */
size_t rf_osa_distance_p(const rf_osa_pattern *p, const char *b, size_t lb, size_t max);

#endif
