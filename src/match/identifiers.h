/* Canonical forms of identity-document numbers and crypto wallet addresses,
 * so equal values compare equal however they were typed. */
#ifndef RF_MATCH_IDENTIFIERS_H
#define RF_MATCH_IDENTIFIERS_H

#include <stddef.h>

/* Document numbers: letters and digits only, ASCII upper-cased ("D366 871"
 * and "d366-871" both give "D366871"). Writes at most cap-1 bytes plus a
 * NUL; returns the length, or 0 when nothing is left or it did not fit. */
size_t rf_id_canonical(const char *in, size_t n, char *out, size_t cap);

/* Wallet addresses by their chain's rules: EVM hex (0x + 40 hex digits) and
 * bech32 (bc1/tb1/ltc1...) are case-insensitive and lower-cased; base58 and
 * others are case-sensitive and kept. Surrounding spaces are dropped. Same
 * return convention as rf_id_canonical. */
size_t rf_wallet_canonical(const char *in, size_t n, char *out, size_t cap);

/* Document numbers shorter than this (after canonicalisation) never alert
 * on their own: "365" or "2377" would hit unrelated records. */
#define RF_ID_MIN_LEN 5

#endif
