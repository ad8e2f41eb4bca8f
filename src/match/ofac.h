/* The OFAC Sanctions List Search score on normalised names (see ofac.c). */
#ifndef RF_MATCH_OFAC_H
#define RF_MATCH_OFAC_H

#include <stddef.h>

/* Score 0-100 of normalised query q against normalised list name r. */
double rf_ofac_score_normalized(const char *q, size_t qn, const char *r, size_t rn);

#endif
