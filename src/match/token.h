/* Token descriptors and token-to-token similarity: exact, variant (same
 * group in the variant tables, or legal forms of one class), romanisation
 * (same romanisation key), phonetic (same consonant skeleton), fuzzy
 * (edit distance: typos), initial. The matcher's scores are built on these. */
#ifndef RF_MATCH_TOKEN_H
#define RF_MATCH_TOKEN_H

#include "match/knowledge.h"
#include "match/osa.h"
#include "redflag/match.h"

#include <stdbool.h>
#include <stdint.h>

/* Similarities of the kinds of agreement (tuned on the evaluation sets). */
#define RF_SIM_VARIANT  0.95
#define RF_SIM_ROMAN    0.93
#define RF_SIM_LEGAL    0.90
#define RF_SIM_PHONETIC 0.88
#define RF_SIM_INITIAL  0.80
/* Below this a pair is no match at all. */
#define RF_SIM_FLOOR 0.80
/* A typo match needs 1 - edits / (longer length + 1) at least this: one
 * edit from 3 letters, two from 7, three from 11 (a partial match: it counts
 * that fraction of the token's weight). */
#define RF_SIM_FUZZY_FLOOR 0.75

typedef struct rf_tok {
    const char *s;
    uint16_t len;
    uint8_t cls;    /* rf_tok_class */
    bool heavy;     /* letters repeat more than sig records: no bound */
    uint64_t sig;   /* letter signature: per letter "1+", "2+"; digits "1+" */
    uint64_t sig2;  /* per letter "3+", "4+"; digits "2+" */
    uint32_t group; /* variant group, 0 none */
    uint32_t legal; /* legal-form class, 0 none */
    uint64_t rom;   /* hash of the romanisation key, 0 none */
    uint64_t phon;  /* hash of the phonetic key, 0 when too short to use */
} rf_tok;

/* Fills a descriptor for token s (borrowed: must outlive d). */
void rf_tok_describe(const rf_kb *kb, const char *s, size_t n, uint8_t cls, rf_tok *d);

/* Full similarity of two tokens (all kinds; an initial only when initials
 * is true: in a person's name). *how says which kind won. */
double rf_tok_sim(const rf_tok *a, const rf_tok *b, bool initials, rf_token_how *how);
/* The same with a prepared for the edit distance (pa: rf_osa_prepare of a's
 * text), when a is compared with many tokens. */
double rf_tok_sim_p(const rf_tok *a, const rf_osa_pattern *pa, const rf_tok *b, bool initials,
                    rf_token_how *how);
/* Similarity by keys only (exact, romanisation, phonetic), used when one
 * side is two tokens joined: fuzzy spelling is not stacked on a join. */
double rf_tok_sim_key(const rf_tok *a, const rf_tok *b, rf_token_how *how);
/* False when lengths and letter signatures already show more edits than a
 * fuzzy match allows (a cheap filter before the edit distance). */
bool rf_tok_fuzzy_possible(const rf_tok *a, const rf_tok *b);
/* The most edits a typo match between tokens of these lengths may have:
 * similarity is 1 - d / (L + 1) with L the longer length, so one edit
 * passes from 3 letters, two from 7, three from 11. */
static inline size_t rf_tok_max_edits(size_t la, size_t lb) {
    size_t l = la > lb ? la : lb;
    return (size_t)((double)(l + 1) * (1.0 - RF_SIM_FUZZY_FLOOR) + 1e-9);
}

#endif
