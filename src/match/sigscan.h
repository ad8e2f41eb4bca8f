/* The first filter of the typo search: the list tokens of one length whose
 * letter signature shares enough letters with the query token's. A tight
 * loop over a packed array; with AVX-512 (VPOPCNTDQ) eight tokens a step. */
#ifndef RF_MATCH_SIGSCAN_H
#define RF_MATCH_SIGSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when this CPU can run the vector loop (asked once per matcher). */
bool rf_sigscan_simd_available(void);

/* Writes to out (room for to - from) every position i in [from, to) with
 * popcount(sig[i] & q) >= need, in order; returns how many. simd selects
 * the vector loop (only when rf_sigscan_simd_available()). */
size_t rf_sigscan(const uint64_t *sig, uint32_t from, uint32_t to, uint64_t q, unsigned need,
                  uint32_t *out, bool simd);

#endif
