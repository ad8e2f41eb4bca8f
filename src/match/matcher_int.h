/* The matcher's internals, for the code that builds it (matcher.c) and
 * the code that saves and loads it (index/). */
#ifndef RF_MATCH_MATCHER_INT_H
#define RF_MATCH_MATCHER_INT_H

#include "match/dict.h"
#include "match/knowledge.h"
#include "redflag/match.h"
#include "text/translit.h"
#include "util/arena.h"
#include "util/strmap.h"
#include "util/vec.h"

/* One identifier or wallet value; values sharing a key are chained. */
typedef struct posting {
    uint32_t entity;
    uint32_t item; /* index in the entity's identifiers or wallets */
    uint32_t next; /* next posting with the same key, or UINT32_MAX */
} posting;

typedef RF_VEC(posting) posting_vec;

/* Padded bigrams over a-z, 0-9 and the two pads (the typo filter). */
#define RF_MATCH_BG_SYMS 38
#define RF_MATCH_BIGRAMS (RF_MATCH_BG_SYMS * RF_MATCH_BG_SYMS)

/* Per entity, what the candidate bound needs of its attributes without
 * reading the entity: the years its birth dates span (circa widened; 0, 0
 * when none) and its schema. */
typedef struct rf_entity_hint {
    int16_t birth_lo, birth_hi;
    uint8_t schema;
} rf_entity_hint;

struct rf_matcher {
    bool mapped; /* arrays point into an index file: not freed here */
    bool simd;   /* the CPU runs the vector signature scan (rf_sigscan) */
    /* tells matchers apart for the token cache of an rf_results, which may
     * outlive one matcher and meet another at the same address */
    uint64_t stamp;
    const rf_dataset *ds;
    rf_kb *kb;
    rf_dict *dict;
    rf_translit *tr; /* prototype: each rf_results clones it */
    rf_arena arena;
    const char **ofac_name; /* per index name: normalised for --algorithm ofac */
    uint32_t *ofac_len;
    /* real tokens packed for the fuzzy scan */
    uint64_t *scan_sig;
    uint64_t *scan_sig2;
    uint8_t *scan_heavy;
    uint32_t *scan_id;
    uint32_t scan_start[RF_MAX_TOKEN_LEN + 2]; /* first token of each length */
    uint32_t scan_light[RF_MAX_TOKEN_LEN + 1]; /* first non-heavy one (heavy come first) */
    /* the tokens' bytes in scan order, so a survivor of the letter test is
     * measured without touching its dictionary entry; length l's tokens
     * start at scan_text_at[l], l bytes each */
    char *scan_text;
    size_t scan_text_at[RF_MAX_TOKEN_LEN + 2];
    size_t n_scan;
    /* bigram postings over the real tokens, for the typo filter: tokens
     * within d edits share at least (distinct bigrams) - 3d of them */
    uint32_t *bg_start;         /* RF_BIGRAMS + 1 offsets into bg_ent */
    uint32_t *bg_ent;           /* positions in the scan arrays */
    RF_VEC(uint32_t) bg_always; /* tokens with bytes outside a-z0-9 */
    rf_entity_hint *hints;      /* per entity (heap, also for a mapped index) */
    rf_strmap id_map;
    posting_vec id_post;
    rf_strmap wallet_map;
    posting_vec wallet_post;
};

/* Fills m->hints from m->ds; false when out of memory. */
bool rf_matcher_hints(rf_matcher *m);

/* Sets scan_light and scan_text_at from scan_start and scan_heavy;
 * returns the size scan_text must have. */
size_t rf_matcher_scan_layout(rf_matcher *m);

/* A stamp for a new matcher: the time and address make reuse unlikely. */
uint64_t rf_matcher_new_stamp(const rf_matcher *m);

#endif
