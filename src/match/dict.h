/* The compiled name index of a dataset: every name analysed once into
 * tokens, a dictionary of distinct tokens with their rarity (IDF) weights,
 * postings from tokens to names, and lookup tables from spelling keys to
 * tokens for candidate generation. Immutable once built. */
#ifndef RF_MATCH_DICT_H
#define RF_MATCH_DICT_H

#include "match/knowledge.h"
#include "match/token.h"
#include "redflag/dataset.h"
#include "util/arena.h"
#include "util/strmap.h"
#include "util/vec.h"

typedef struct rf_dentry {
    rf_tok tok;    /* the token and its spelling keys */
    uint32_t df;   /* entities with this token in a name */
    float weight;  /* rarity weight: ln(1 + N / (df + 0.5)) */
    uint32_t post; /* names with this token: postings[post .. post+npost) */
    uint32_t npost;
    uint32_t cpost; /* names where it is two adjacent tokens joined */
    uint32_t ncpost;
} rf_dentry;

typedef struct rf_dname {
    uint32_t entity; /* index in the dataset */
    uint32_t tok;    /* first token in name_toks/name_cls/name_w/name_cat */
    float total_w;   /* sum of name_w over its tokens */
    uint16_t name;   /* index in the entity's names */
    uint8_t weak;
    uint8_t ntok;
    uint8_t person; /* the entity is a person: initials count */
    uint8_t script; /* rf_script of the name as written */
    uint8_t pad[2]; /* explicit: the record is written to index files */
} rf_dname;

/* (key, entry) pairs sorted by key: several entries per key. */
typedef struct rf_multimap {
    uint64_t *keys;
    uint32_t *vals;
    size_t n;
} rf_multimap;

typedef struct rf_dict {
    bool mapped; /* postings, names and multimaps point into an index file */
    rf_arena arena;
    RF_VEC(rf_dentry) e;
    rf_strmap by_str; /* token -> entry */
    RF_VEC(uint32_t) postings;
    RF_VEC(rf_dname) names;
    RF_VEC(uint32_t) name_toks; /* entry per token */
    RF_VEC(uint32_t) name_cat;  /* entry of token j joined with (j+1) % n */
    RF_VEC(uint8_t) name_cls;
    RF_VEC(uint16_t) name_len; /* length of the token in bytes */
    RF_VEC(float) name_w;      /* weight of the token in this name */
    rf_multimap by_group, by_rom, by_phon, by_legal, by_initial;
    size_t n_entities;
    float max_weight; /* the weight of a token no list has */
} rf_dict;

/* Builds the index; kb must outlive it. */
rf_status rf_dict_build(const rf_dataset *ds, const rf_kb *kb, rf_dict **out, rf_error *err);
void rf_dict_free(rf_dict *d);

/* The entry of a token, or UINT32_MAX. */
uint32_t rf_dict_find(const rf_dict *d, const char *s, size_t n);
/* Entries under a key: *n of them from the returned pointer. */
const uint32_t *rf_multimap_get(const rf_multimap *m, uint64_t key, size_t *n);

/* The weight of a token in a name: rarity times a class factor. */
float rf_class_factor(uint8_t cls, size_t len);

#endif
