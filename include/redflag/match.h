/* Screening a query (a name, identity documents, crypto wallets) against a
 * loaded dataset.
 *
 * An rf_matcher holds what is precomputed from a dataset (normalised names,
 * identifier tables). It is immutable once built: many threads may call
 * rf_match_query() on one matcher at the same time, each with its own
 * rf_results. */
#ifndef REDFLAG_MATCH_H
#define REDFLAG_MATCH_H

#include "redflag/dataset.h"
#include "redflag/entity.h"
#include "redflag/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The one place the default alert threshold is set: a match at or above it
 * is an alert. */
#define RF_DEFAULT_THRESHOLD 0.85
#define RF_DEFAULT_LIMIT     10

typedef struct rf_query_identifier {
    const char *type; /* "passport", "national_id", ... or NULL for any */
    const char *number;
} rf_query_identifier;

typedef struct rf_query_wallet {
    const char *currency; /* "ETH", "XBT"... or NULL for any */
    const char *address;
} rf_query_wallet;

/* What to screen. Every field is optional, but a query needs a name, an
 * identifier or a wallet. Pointers are borrowed for the call. */
typedef struct rf_query {
    const char *name;
    rf_schema schema;    /* RF_SCHEMA_UNKNOWN: any */
    rf_date birth_date;  /* year 0: unknown */
    const char *country; /* ISO alpha-2 or NULL */
    const rf_query_identifier *identifiers;
    size_t n_identifiers;
    const rf_query_wallet *wallets;
    size_t n_wallets;
} rf_query;

typedef enum rf_algorithm {
    RF_ALGO_DEFAULT = 0, /* redflag's matcher */
    RF_ALGO_OFAC,        /* OFAC Sanctions List Search's score, for parity */
} rf_algorithm;

/* "default", "ofac"; rf_algorithm_parse returns false for other names. */
const char *rf_algorithm_name(rf_algorithm a);
bool rf_algorithm_parse(const char *name, rf_algorithm *out);

typedef struct rf_match_options {
    double threshold; /* matches below it are not returned */
    size_t limit;     /* at most this many matches (0: RF_DEFAULT_LIMIT) */
    rf_algorithm algorithm;
    bool exhaustive; /* score every name instead of the candidates the
                        index selects (for verification: same alerts) */
} rf_match_options;

/* Defaults: RF_DEFAULT_THRESHOLD, RF_DEFAULT_LIMIT, RF_ALGO_DEFAULT. */
void rf_match_options_init(rf_match_options *o);

typedef enum rf_match_basis {
    RF_BASIS_NAME = 0,   /* the name scored at or above the threshold */
    RF_BASIS_IDENTIFIER, /* an identity-document number is equal */
    RF_BASIS_WALLET,     /* a crypto wallet address is equal */
} rf_match_basis;

/* "name", "identifier", "wallet". */
const char *rf_match_basis_str(rf_match_basis b);

/* How one query token met one token of the matched name. */
typedef enum rf_token_how {
    RF_HOW_EXACT = 0,
    RF_HOW_VARIANT,        /* equivalent spellings in the variant tables
                              (Pak/Park, Mohammed/Muhammad, LLC/OOO) */
    RF_HOW_ROMANIZATION,   /* same romanisation key (Chinyong/Jinyong) */
    RF_HOW_PHONETIC,       /* same consonant skeleton (Husayn/Hussein) */
    RF_HOW_FUZZY,          /* similar spelling: a typo */
    RF_HOW_INITIAL,        /* an initial stands for the name */
    RF_HOW_JOINED,         /* one token is two of the other joined */
    RF_HOW_TRANSLITERATED, /* equal once the query's script was romanised */
    RF_HOW_UNMATCHED       /* no counterpart */
} rf_token_how;

const char *rf_token_how_str(rf_token_how h);

typedef struct rf_token_pair {
    const char *query_token; /* NULL when a list token had no counterpart */
    const char *list_token;  /* NULL when a query token had no counterpart */
    double similarity;
    rf_token_how how;
} rf_token_pair;

/* A score adjustment with its reason: "weak_alias", "birth_date",
 * "country", "schema". */
typedef struct rf_feature {
    const char *name;
    double delta;       /* added to the name score */
    const char *detail; /* static text */
} rf_feature;

typedef struct rf_match {
    const rf_entity *entity;
    double score; /* in [0, 1] */
    rf_match_basis basis;
    size_t name_index;          /* entity->names[name_index] matched best */
    size_t id_index;            /* for RF_BASIS_IDENTIFIER/WALLET: which one */
    double name_score;          /* the best name's score (0 without a name) */
    const rf_token_pair *pairs; /* name explanation, valid until the
                                   rf_results is reused or freed */
    size_t n_pairs;
    const rf_feature *features; /* adjustments, same lifetime as pairs */
    size_t n_features;
} rf_match;

typedef struct rf_matcher rf_matcher;
typedef struct rf_results rf_results;

/* Precomputes what matching needs from ds, which must outlive the matcher.
 * Caller frees with rf_matcher_free(). */
rf_status rf_matcher_new(const rf_dataset *ds, rf_matcher **out, rf_error *err);
void rf_matcher_free(rf_matcher *m);
const rf_dataset *rf_matcher_dataset(const rf_matcher *m);

/* A reusable result set and scratch space: one per thread. */
rf_results *rf_results_new(void);
void rf_results_free(rf_results *r);
size_t rf_results_count(const rf_results *r);
const rf_match *rf_results_get(const rf_results *r, size_t i);

/* Screens q and fills res (replacing what it held) with the matches at or
 * above opts->threshold, best first; equal scores by list rank, then source
 * id. opts may be NULL for the defaults. Fails with RF_E_INVALID when the
 * query has nothing to screen. */
rf_status rf_match_query(const rf_matcher *m, const rf_query *q, const rf_match_options *opts,
                         rf_results *res, rf_error *err);

/* The name score of query_name against list_name as rf_match_query would
 * give it (before birth date and country), with token weights from the
 * matcher's lists. schema says which kind of names they are (organisation
 * names get legal forms read). Returns a score in [0, 1], or -1 when out of
 * memory. res is scratch space. */
double rf_matcher_compare(const rf_matcher *m, rf_results *res, const char *query_name,
                          const char *list_name, rf_schema schema);
/* The OFAC Sanctions List Search score (0-100) of two names. */
double rf_ofac_score(const char *query_name, const char *list_name);

#ifdef __cplusplus
}
#endif
#endif
