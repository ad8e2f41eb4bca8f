/* The knowledge base's internals, for the code that builds it
 * (knowledge.c) and the code that saves and loads it (index/). */
#ifndef RF_MATCH_KNOWLEDGE_INT_H
#define RF_MATCH_KNOWLEDGE_INT_H

#include "match/knowledge.h"
#include "util/arena.h"
#include "util/strmap.h"
#include "util/vec.h"

typedef enum rom_scope { SCOPE_START, SCOPE_END, SCOPE_ANY } rom_scope;

typedef struct rom_rule {
    rom_scope scope;
    char from[8];
    char to[8];
    uint8_t from_len, to_len;
} rom_rule;

typedef struct org_phrase {
    const char *canon; /* single token, spaces removed */
    uint8_t cls;       /* RF_TC_LEGAL or RF_TC_ORGWORD */
    uint32_t legal;    /* generic class id (LLC, JSC...), 0 for words */
} org_phrase;

struct rf_kb {
    rf_arena arena;
    rf_strmap groups;  /* token -> variant group id */
    rf_strmap persons; /* tokens of the person-name variant tables */
    rf_strmap phrases; /* "limited liability company" -> index in org */
    RF_VEC(org_phrase) org;
    rf_strmap legal;   /* canonical legal token -> generic class id */
    rf_strmap classes; /* generic class name -> id */
    rf_strmap titles;  /* person titles */
    rf_strmap links;   /* bin, ibn, ould: a parent's name follows */
    rf_strmap numbers; /* number words and digits -> value ("forty" -> 40) */
    RF_VEC(rom_rule) rules;
    uint16_t rule_first[257];         /* rules starting with byte b: [first[b],
                                         first[b + 1]), longest first */
    RF_VEC(const char *) legal_words; /* single words of org_terms.tsv */
};

#endif
