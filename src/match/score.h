/* Scoring one query name against one list name: align tokens in any order
 * (one to one, or one to two joined: "sangman" / "sang man"), then weigh
 * what each side explains by token rarity. */
#ifndef RF_MATCH_SCORE_H
#define RF_MATCH_SCORE_H

#include "match/token.h"
#include "redflag/entity.h"

#include <stddef.h>

/* How much the query side counts against the list side. The query is what
 * the customer typed: its tokens should all be found; a list name may carry
 * extra middle names or patronymics the customer left out. */
#define RF_QUERY_SHARE 0.6
/* An unmatched token counts this much of its weight against the score: a
 * missing middle name or patronymic should cost less than a wrong one. */
#define RF_UNMATCHED_WEIGHT 0.5
/* Taken off the score for each name token replaced by a different one. */
#define RF_SUBSTITUTION_PENALTY 0.05
/* A name made only of legal forms, generic words and titles never scores
 * more than this ("CORP" alone never alerts). */
#define RF_ORG_ONLY_CAP 0.5
/* A weak alias scores this fraction of an equally similar strong name. */
#define RF_WEAK_FACTOR 0.97
/* The most the secondary attributes can add (birth date + country). */
#define RF_ATTR_MAX_BONUS 0.08

/* One side of a comparison: per token its weight and class, and whether
 * the name is a person's (a single letter may then be an initial). */
typedef struct rf_side {
    const float *w;
    const uint8_t *cls; /* rf_tok_class */
    const uint16_t *len;
    uint32_t n;
    bool person;
    /* a name written in Han or Hangul, one character per token: chars[i]
     * is token i's character (else NULL). When both sides have them and
     * share the script, tokens match only where the characters are equal. */
    uint8_t script; /* rf_script */
    const uint32_t *chars;
} rf_side;

/* The similarities of the query's tokens to each list token j, as rows of
 * q.n values (row[i] for query token i; 0 is no match): pair[j] against
 * list token j, ljoin[j] against list tokens j and (j + 1) % n joined (NULL:
 * no such join), qjoin[j] (query tokens i and i + 1 joined) against list
 * token j. The *_how rows say which kind (rf_token_how). Rows are borrowed:
 * the matcher points them into its per-query memo. */
typedef struct rf_sims {
    const float *pair[RF_MAX_TOKENS];
    const uint8_t *pair_how[RF_MAX_TOKENS];
    const float *ljoin[RF_MAX_TOKENS];
    const uint8_t *ljoin_how[RF_MAX_TOKENS];
    const float *qjoin[RF_MAX_TOKENS];
    const uint8_t *qjoin_how[RF_MAX_TOKENS];
} rf_sims;

/* Storage for rf_sims_from_tokens. */
typedef struct rf_sims_buf {
    float sim[RF_MAX_TOKENS][3][RF_MAX_TOKENS];
    uint8_t how[RF_MAX_TOKENS][3][RF_MAX_TOKENS];
} rf_sims_buf;

/* One aligned pair of the best alignment. */
typedef struct rf_edge {
    uint8_t qa, qb; /* query tokens qa..qb (qb = qa + 1 when joined) */
    uint8_t la, lb; /* list tokens la and lb (lb = (la + 1) % n when joined) */
    float sim;
    uint8_t how; /* rf_token_how */
} rf_edge;

typedef struct rf_name_score {
    double score;  /* RF_QUERY_SHARE * q_cov + (1 - RF_QUERY_SHARE) * l_cov,
                      less RF_SUBSTITUTION_PENALTY per replaced token */
    double q_cov;  /* share of the query explained: sum of sim * weight over
                      matched tokens / (their weight + RF_UNMATCHED_WEIGHT *
                      weight of unmatched tokens) */
    double l_cov;  /* the same for the list name */
    bool org_only; /* only legal forms or generic words matched: capped */
} rf_name_score;

/* Aligns q with l and scores them from the similarities s. edges (room
 * for q.n + l.n) receives the accepted pairs when non-NULL. */
rf_name_score rf_score_names(const rf_side *q, const rf_side *l, const rf_sims *s, rf_edge *edges,
                             size_t *nedges);

/* Fills s (rows in buf) from token descriptors: cat[j] joins token j with
 * (j + 1) % n (len 0: no such join; qcat or lcat NULL: none at all). */
void rf_sims_from_tokens(const rf_tok *qtok, const rf_tok *qcat, uint32_t nq, const rf_tok *ltok,
                         const rf_tok *lcat, uint32_t nl, bool person, rf_sims_buf *buf,
                         rf_sims *s);

#endif
