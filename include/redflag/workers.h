/* Workforce screening: the DPRK IT-worker pattern across applicants,
 * contractors and payees (issue 8).
 *
 * rf_workers_check() reads JSON Lines worker records from a file, checks
 * each against the rules in rf_workers_rules() (sanctions, shared
 * identifiers, logins, payouts...), links workers that share identifiers
 * into clusters, and writes one line per worker and then one per cluster:
 *
 *   {"id": "w1", "risk": 0-100, "flags": [{"rule", "severity", "reason",
 *    "evidence"}], "advisory": [...], "cluster": "c1" or null}
 *   {"cluster": "c1", "members": [...], "links": [{"kind", "value",
 *    "workers": [...]}]}
 *
 * Worker data is personal data: nothing is written anywhere but the
 * caller's output streams (no log, no file, no cache), and nothing is kept
 * after the call returns. Bad records are reported (line number and field,
 * never a value) through on_error and the run goes on. */
#ifndef REDFLAG_WORKERS_H
#define REDFLAG_WORKERS_H

#include "redflag/match.h"
#include "redflag/status.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rf_severity {
    RF_SEV_LOW = 0,
    RF_SEV_MEDIUM,
    RF_SEV_HIGH,
    RF_SEV_CRITICAL,
} rf_severity;

/* "low", "medium", "high", "critical". */
const char *rf_severity_str(rf_severity s);

/* One row of the rules table. advisory rules are tied to language,
 * nationality or national origin: they are reported apart and never add to
 * the risk score. */
typedef struct rf_worker_rule {
    const char *id;       /* "sanctions_wallet", ... */
    rf_severity severity; /* for advisory rules: shown, never scored */
    bool advisory;
    const char *reason; /* one line */
    const char *source; /* the advisory or notice the red flag comes from */
} rf_worker_rule;

/* The rules table (static storage) and its length. */
const rf_worker_rule *rf_workers_rules(size_t *n);

typedef enum rf_workers_format {
    RF_WORKERS_JSONL = 0,
    RF_WORKERS_TEXT,
} rf_workers_format;

/* What the caller learns about one worker (borrowed for the callback). */
typedef struct rf_worker_result {
    const char *id;
    int risk;            /* 0-100 */
    int max_severity;    /* highest non-advisory rf_severity, -1: no flag */
    size_t n_flags;      /* non-advisory flags */
    size_t n_advisory;   /* advisory signals */
    const char *cluster; /* "c12" or NULL */
    size_t cluster_size; /* members of that cluster (0 without one) */
} rf_worker_result;

typedef struct rf_workers_options {
    /* Screens names, wallets and documents, and compares payout holder
     * names; NULL skips those rules. Borrowed. */
    const rf_matcher *matcher;
    /* Login countries flagged (ISO alpha-2, comma-separated); NULL for
     * "KP,CN,RU". */
    const char *login_countries;
    rf_workers_format format;
    FILE *out;  /* the worker and cluster lines; NULL: none */
    FILE *html; /* the self-contained HTML report; NULL: none */
    /* A bad record: err names the line and the field, never a value. */
    void (*on_error)(void *ctx, const rf_error *err);
    /* Each worker's outcome, in input order, after clustering. */
    void (*on_result)(void *ctx, const rf_worker_result *r);
    void *ctx;
} rf_workers_options;

/* Defaults: no matcher, KP,CN,RU, JSONL to stdout. */
void rf_workers_options_init(rf_workers_options *o);

typedef struct rf_workers_summary {
    size_t lines;        /* non-blank input lines */
    size_t workers;      /* valid records */
    size_t bad;          /* records rejected with an error */
    size_t clusters;     /* clusters of two or more workers */
    size_t flagged_high; /* workers with a high or critical flag */
} rf_workers_summary;

/* Checks the worker records in the JSON Lines file at path (read twice: to
 * link, then to judge, so memory stays small). summary may be NULL. Fails
 * only when the file cannot be read, an option is invalid or memory runs
 * out; bad records go to on_error. */
rf_status rf_workers_check(const char *path, const rf_workers_options *opts,
                           rf_workers_summary *summary, rf_error *err);

/* A synthetic workforce for tests and benchmarks. */
typedef struct rf_workers_gen_options {
    size_t count;     /* workers in all */
    uint64_t seed;    /* same seed, same file */
    size_t rings;     /* planted rings */
    size_t ring_size; /* members per ring (0: 2 to 6) */
    size_t logins;    /* login events per worker (0: 20) */
    /* Optional: sanctioned wallets to pay a few ring members to (borrowed). */
    const char *const *wallets;
    size_t n_wallets;
} rf_workers_gen_options;

/* Writes opts->count worker records to out, and to truth (if not NULL) one
 * line "id<TAB>ring" per worker ("-" for clean workers), where ring names
 * the planted ring and how it is linked ("r3:wallet"). */
rf_status rf_workers_generate(const rf_workers_gen_options *opts, FILE *out, FILE *truth,
                              rf_error *err);

#ifdef __cplusplus
}
#endif
#endif
