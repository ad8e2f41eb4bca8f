/* The compliance record (SQLite, one file in WAL mode): subjects and their
 * screenings, alerts and analysts' decisions, and a tamper-evident audit
 * log whose rows each carry a hash chained to the row before.
 *
 * A false-positive decision on (subject, entity) suppresses that alert on
 * later screenings only while the subject's query fields and the entity's
 * record stay the same; a change on either side re-opens it, with the
 * reason. Nothing is deleted. */
#ifndef REDFLAG_STORE_H
#define REDFLAG_STORE_H

#include "redflag/dataset.h"
#include "redflag/match.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rf_store rf_store;

/* Opens (creating when new) the store at path: a file name. */
rf_status rf_store_open(const char *path, rf_store **out, rf_error *err);
void rf_store_close(rf_store *s);

/* Groups the writes until rf_store_commit (a batch: one disk sync). */
rf_status rf_store_begin(rf_store *s, rf_error *err);
rf_status rf_store_commit(rf_store *s, rf_error *err);

/* Records one screening: the query object (its "id" names the subject),
 * the result object (redflag/screen.h), the lists of ds it ran against, the
 * algorithm and threshold. Opens, keeps or re-opens the alerts. */
rf_status rf_store_record(rf_store *s, const rf_dataset *ds, const char *query_json,
                          const char *result_json, const char *algorithm, double threshold,
                          rf_error *err);

typedef struct rf_alert {
    long long id;
    char subject[128];
    char entity[128];
    double score;
    char status[20]; /* "open", "pending_approval", "true_match", "false_positive", "closed" */
    char reason[160];
    char opened[32]; /* when it was first raised, ISO 8601 UTC */
} rf_alert;

/* The alerts (open only when open_only), oldest first; free(*out). */
rf_status rf_store_alerts(rf_store *s, bool open_only, rf_alert **out, size_t *n, rf_error *err);

/* One alert in full, as JSON: alert_id, subject_id, subject (the query
 * fields), entity, score, status, reason, opened, proposed_by, match (the
 * entity's match with its explanation from the latest screening) and
 * decisions [{decision, reason, by, at}]. RF_E_NOTFOUND when there is no
 * such alert. *out is malloc'd: free() it. */
rf_status rf_store_alert_json(rf_store *s, long long id, char **out, rf_error *err);

typedef enum rf_verdict {
    RF_VERDICT_FALSE_POSITIVE = 0,
    RF_VERDICT_TRUE_MATCH,
    RF_VERDICT_APPROVE, /* a second reviewer confirms a pending true match */
    RF_VERDICT_REJECT,  /* ... or sends it back to the queue */
} rf_verdict;

/* An analyst's decision on an alert. With four-eyes on, a true match waits
 * ("pending_approval") until someone else approves it. */
rf_status rf_store_decide(rf_store *s, long long alert_id, rf_verdict v, const char *reason,
                          const char *by, rf_error *err);

/* Four-eyes on true matches (a configuration change: audited). */
rf_status rf_store_set_four_eyes(rf_store *s, bool on, const char *by, rf_error *err);

/* The true matches, for OFAC's blocked and rejected transaction reports
 * (31 CFR 501.603/604): subject and its query, the entity (name, list,
 * programs from ds when it still lists it), score, who decided, when, why.
 * CSV with a header, or a JSON array. *n gets the count. */
rf_status rf_store_report_blocked(rf_store *s, const rf_dataset *ds, bool json, FILE *out,
                                  size_t *n, rf_error *err);

/* What a monitoring run found. */
typedef struct rf_monitor_report {
    size_t entities_new, entities_changed, entities_removed; /* since the last run */
    size_t subjects_screened;
    size_t alerts_opened; /* new, or re-opened by a change */
    size_t alerts_closed; /* on entities that left the lists ("delisted") */
} rf_monitor_report;

/* Re-screens the stored subjects against ds/m and records only what is new
 * since the last run: the entities' records are compared with the versions
 * the last run saw; matches on new or changed entities open (or re-open)
 * alerts, open alerts on entities no longer listed are closed "delisted".
 * When no entity changed, no subject is screened. */
rf_status rf_store_monitor(rf_store *s, const rf_dataset *ds, const rf_matcher *m,
                           rf_monitor_report *rep, rf_error *err);

/* Writes the audit rows whose time is in [from, to] (dates YYYY-MM-DD,
 * inclusive; NULL: open) to out as CSV (seq,at,kind,payload,prev_hash,hash
 * with a header) or, when json, one JSON array. *n gets the row count. */
rf_status rf_store_audit_export(rf_store *s, const char *from, const char *to, bool json, FILE *out,
                                size_t *n, rf_error *err);

/* Checks the audit chain: *intact, and when broken msg says where
 * ("row 12 was edited", "row 7 is missing", "rows after 30 are missing"). */
rf_status rf_store_audit_verify(rf_store *s, bool *intact, char *msg, size_t cap, rf_error *err);

#ifdef __cplusplus
}
#endif

#endif
