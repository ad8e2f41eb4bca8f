/* What the matcher knows about names, loaded from resources/: equivalent
 * spellings (variant groups), romanisation rules, legal forms and other
 * organisation terms, person titles. Built once, immutable, shared by all
 * threads. Also the analyser that turns a raw name into tokens. */
#ifndef RF_MATCH_KNOWLEDGE_H
#define RF_MATCH_KNOWLEDGE_H

#include "redflag/limits.h"
#include "redflag/status.h"
#include "text/translit.h"
#include "util/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Tokens beyond this many in one name are ignored (documented limit). */
#define RF_MAX_TOKENS RF_LIMIT_NAME_TOKENS
/* Longest token kept, in bytes; longer ones are cut. */
#define RF_MAX_TOKEN_LEN RF_LIMIT_TOKEN_BYTES

/* What a token is, for weighting. */
typedef enum rf_tok_class {
    RF_TC_NAME = 0, /* an ordinary name token */
    RF_TC_LEGAL,    /* a legal form: llc, ltd, jsc, co, gmbh... */
    RF_TC_ORGWORD,  /* a generic organisation word: trading, group, it */
    RF_TC_TITLE,    /* a person title: mr, dr, sheikh */
    RF_TC_LINK,     /* in a person's name, a parent's name follows: bin, ould */
} rf_tok_class;

typedef struct rf_kb rf_kb;

rf_status rf_kb_new(rf_kb **out, rf_error *err);
void rf_kb_free(rf_kb *kb);

/* The variant group of a token (0: none). Tokens of one group are
 * equivalent spellings. */
uint32_t rf_kb_group(const rf_kb *kb, const char *tok, size_t n);
/* The generic class of a legal form token (0: none): llc and ooo share one. */
uint32_t rf_kb_legal_class(const rf_kb *kb, const char *tok, size_t n);
/* The romanisation key of a token (see resources/romanization.tsv) into out
 * (NUL-terminated); returns its length (0 if it does not fit). */
size_t rf_kb_rom_key(const rf_kb *kb, const char *tok, size_t n, char *out, size_t cap);
/* A consonant skeleton of the romanisation key ("muhammad" -> "mhmd",
 * "hussein" -> "hsn"): vowels dropped after the first letter, a leading vowel
 * written "a". Same conventions as rf_kb_rom_key. */
size_t rf_kb_phonetic_key(const rf_kb *kb, const char *tok, size_t n, char *out, size_t cap);

/* A name cut into tokens. */
typedef struct rf_name_tokens {
    rf_buf text; /* tokens, each NUL-terminated */
    uint32_t off[RF_MAX_TOKENS];
    uint16_t len[RF_MAX_TOKENS];
    uint8_t cls[RF_MAX_TOKENS];
    uint32_t n;
    bool transliterated; /* the name had a non-Latin script */
    bool truncated;      /* words past RF_MAX_TOKENS were dropped */
    uint8_t script;      /* rf_script of the name as written */
} rf_name_tokens;

void rf_name_tokens_init(rf_name_tokens *t);
void rf_name_tokens_free(rf_name_tokens *t);
static inline const char *rf_name_token(const rf_name_tokens *t, uint32_t i) {
    return t->text.data + t->off[i];
}

/* Analyses a name: transliteration to Latin when it has other scripts (tr
 * may be NULL: then such letters are kept as they are), normalisation
 * (case, accents, punctuation), titles marked, and when org is true (the
 * name may be an organisation's) legal forms and organisation terms read as
 * one token each ("limited liability company" -> "llc"). Returns false on
 * out of memory. */
bool rf_analyze_name(const rf_kb *kb, rf_translit *tr, const char *s, size_t n, bool org,
                     rf_name_tokens *out);

#endif
