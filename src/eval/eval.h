/* Measuring accuracy on labelled sets: screening sets (positives that must
 * alert on the right entity, negatives that must not alert), name pairs
 * (nomenklatura's cases.csv), and OFAC tool scores. Used by `redflag eval`
 * and by the accuracy test in CI. */
#ifndef RF_EVAL_EVAL_H
#define RF_EVAL_EVAL_H

#include "redflag/match.h"
#include "redflag/screen.h"

#include <stdio.h>

/* One screening case. */
typedef struct rf_eval_case {
    rf_request *req;
    char *category;    /* set or category name for the report */
    char *expect;      /* expected entity id, or NULL */
    char *expect_list; /* any entity of this list is right, or NULL */
    bool negative;     /* must not alert */
    /* filled by rf_eval_run */
    float best;      /* highest score of any match (0 none) */
    float exp_score; /* score of the expected entity (-1 not found) */
    bool exp_top;    /* the expected entity ranks first */
    char top[160];   /* the first match: "id NAME" */
} rf_eval_case;

typedef struct rf_eval_set {
    rf_eval_case *v;
    size_t n, cap;
} rf_eval_set;

void rf_eval_set_free(rf_eval_set *s);
/* Frees the cases from the n-th on. */
void rf_eval_set_truncate(rf_eval_set *s, size_t n);

/* yente candidate CSV (full_name, date_of_birth, nationality...): every row
 * a positive expecting a hit on expect_list, or a negative (expect_list
 * NULL). category names the set. */
rf_status rf_eval_load_yente(const rf_dataset *ds, const char *path, const char *category,
                             const char *expect_list, rf_eval_set *set, rf_error *err);
/* JSON Lines of screening queries with "category" and "expect" (an entity
 * id, or null for a case that must not alert). */
rf_status rf_eval_load_jsonl(const rf_dataset *ds, const char *path, rf_eval_set *set,
                             rf_error *err);

/* Screens every case (threads workers) down to min_threshold. */
rf_status rf_eval_run(const rf_matcher *m, rf_eval_set *set, double min_threshold, int threads,
                      rf_algorithm algorithm, rf_error *err);

/* Rates at threshold t over the cases of one category (NULL: all). */
typedef struct rf_eval_rates {
    size_t n;
    double recall;     /* positives: expected entity alerted */
    double top1;       /* positives: and ranked first */
    double alert_rate; /* negatives: any alert */
    bool positive;     /* the category has positives (else negatives) */
} rf_eval_rates;

rf_eval_rates rf_eval_rates_at(const rf_eval_set *set, const char *category, double t);
/* Prints per-category rates at t and a threshold sweep. */
void rf_eval_report(const rf_eval_set *set, double t, FILE *out);
/* Prints up to max failing cases per category at t. */
void rf_eval_failures(const rf_eval_set *set, double t, size_t max, FILE *out);

/* Name pairs: cases.csv (case_group, schema, name1, name2, is_match...). */
typedef struct rf_eval_pairs {
    size_t tp, fp, tn, fn;
    double precision, recall, f1;
} rf_eval_pairs;

rf_status rf_eval_pairs_run(const rf_matcher *m, const char *path, double t, FILE *out,
                            bool failures, rf_eval_pairs *res, rf_error *err);

/* OFAC fixtures: query_name, result_name, ofac_score (-1: absent at 80). */
typedef struct rf_eval_ofac {
    size_t positives, within5; /* rows with a score, and those within 5 */
    size_t negatives, below80; /* rows at -1, and those we score below 80 */
    double mean_abs;
    double share_within5; /* within5 / positives... over all rows */
} rf_eval_ofac;

rf_status rf_eval_ofac_run(const char *path, FILE *out, rf_eval_ofac *res, rf_error *err);

/* Writes the generated variant set (see generate.c) as JSON Lines. */
rf_status rf_eval_generate(const rf_matcher *m, unsigned long long seed, FILE *out, rf_error *err);

#endif
