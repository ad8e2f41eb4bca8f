/* The screening contract shared by `redflag screen`, the HTTP API and
 * outside tools: a JSON query object in, a JSON result object out.
 *
 *   query:  {"id": "q1", "name": "Kim Sang Man", "type": "person",
 *            "birth_date": "1965-04-25", "country": "KP",
 *            "identifiers": [{"type": "passport", "number": "..."}],
 *            "wallets": [{"currency": "ETH", "address": "0x..."}]}
 *   result: {"id": "q1", "alert": true, "matches": [{"entity": ..., "list": ...,
 *            "source_id": ..., "schema": ..., "name": ..., "matched_name": ...,
 *            "score": 0.97, "programs": [...], "explanation": {...}}]}
 *   error:  {"id": "q1" or null, "error": "..."}
 *
 * Strings returned here are allocated with malloc(); the caller frees them
 * with free(). */
#ifndef REDFLAG_SCREEN_H
#define REDFLAG_SCREEN_H

#include "redflag/match.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rf_request rf_request;

/* Parses one JSON query object. On failure returns non-OK with err filled;
 * *out is then still set when the text was a JSON object with a usable
 * "id", so the error line can name it (free it as usual), else NULL.
 * ds resolves country names to codes. */
rf_status rf_request_parse_json(const rf_dataset *ds, const char *text, size_t len,
                                rf_request **out, rf_error *err);

/* Builds a query from text fields (a CSV row: id,name,type,birth_date,
 * country); NULL or "" means absent. Same error convention. */
rf_status rf_request_from_fields(const rf_dataset *ds, const char *id, const char *name,
                                 const char *type, const char *birth_date, const char *country,
                                 rf_request **out, rf_error *err);

void rf_request_free(rf_request *r);
/* The query's id ("" when it had none). */
const char *rf_request_id(const rf_request *r);
const rf_query *rf_request_query(const rf_request *r);

enum {
    RF_JSON_RECORD = 1, /* add each matched entity's whole record as "record" */
};

/* The result object for a request and its results, one line, no newline. */
char *rf_result_json(const rf_request *req, const rf_results *res, unsigned flags);
/* {"id": id, "error": msg}; id NULL gives "id": null. */
char *rf_error_json(const char *id, const char *msg);
/* One entity's whole record as a JSON object. */
char *rf_entity_json(const rf_entity *e);

/* ISO alpha-2 code for a country name or code, or NULL (static storage). */
const char *rf_dataset_country_code(const rf_dataset *ds, const char *name);

#ifdef __cplusplus
}
#endif
#endif
