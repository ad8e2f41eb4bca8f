/* Secondary attributes: birth date, country, schema. Each gives a score
 * adjustment (agreement raises a little, clear disagreement lowers a lot)
 * and a short reason for the explanation. */
#ifndef RF_MATCH_ATTRIBUTES_H
#define RF_MATCH_ATTRIBUTES_H

#include "redflag/entity.h"

/* Birth date: exact day +0.05, within the listed year/range +0.02, a year
 * or two off (typos, approximate dates) small, 5+ years off -0.15, 8+ years
 * off -0.25. 0 when either side has no date. */
double rf_attr_birth_date(const rf_date *q, const rf_entity *e, const char **detail);
/* Country or nationality: matches a nationality, citizenship or address
 * country +0.03; the entity has nationalities and none matches -0.08; only
 * address countries and none matches -0.03. */
double rf_attr_country(const char *q, const rf_entity *e, const char **detail);
/* The most rf_attr_birth_date can give when the query's year is qy and the
 * entity's dates span the years lo..hi (circa widened; lo 0: no dates). */
double rf_attr_birth_bound(int qy, int lo, int hi);
/* Schema: a person against an organisation, vessel or aircraft -0.30. */
double rf_attr_schema(rf_schema q, rf_schema e, const char **detail);

#endif
