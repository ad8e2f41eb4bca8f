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

/* One side of a comparison. Joined descriptors cat[j] stand for tokens j
 * and (j + 1) % n together (len 0 when absent): n of them, the last one
 * joining the last token with the first. */
typedef struct rf_side {
    const rf_tok *tok;
    const float *w;
    const rf_tok *cat;
    uint32_t n;
    bool person; /* a person's name: a single letter may be an initial */
} rf_side;

/* One aligned pair of the best alignment. */
typedef struct rf_edge {
    uint8_t qa, qb; /* query tokens qa..qb (qb = qa + 1 when joined) */
    uint8_t la, lb; /* list tokens la and lb (lb = (la + 1) % n when joined) */
    float sim;
    uint8_t how;    /* rf_token_how */
} rf_edge;

typedef struct rf_name_score {
    double score;    /* RF_QUERY_SHARE * q_cov + (1 - RF_QUERY_SHARE) * l_cov */
    double q_cov;    /* share of the query explained: sum of sim * weight over
                        matched tokens / (their weight + RF_UNMATCHED_WEIGHT *
                        weight of unmatched tokens) */
    double l_cov;    /* the same for the list name */
    bool org_only;   /* only legal forms or generic words matched: capped */
} rf_name_score;

/* Aligns q with l and scores them. edges (room for q.n + l.n) receives the
 * accepted pairs when non-NULL. */
rf_name_score rf_score_names(const rf_side *q, const rf_side *l, rf_edge *edges, size_t *nedges);

#endif
