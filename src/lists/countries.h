/* Country names as lists write them ("Korea, North", "Burma", "Democratic
 * People's Republic of Korea") to ISO 3166-1 alpha-2 codes. The English
 * names come from ICU's locale data; resources/countries.tsv adds the
 * spellings sanctions lists use that ICU does not know. */
#ifndef RF_LISTS_COUNTRIES_H
#define RF_LISTS_COUNTRIES_H

#include "redflag/status.h"

#include <stddef.h>

typedef struct rf_countries rf_countries;

rf_status rf_countries_new(rf_countries **out, rf_error *err);
void rf_countries_free(rf_countries *c);

/* The alpha-2 code (static storage) for a country name or code in any case
 * and punctuation, or NULL when unknown. */
const char *rf_countries_code(const rf_countries *c, const char *name, size_t n);
/* The English name of an alpha-2 code, or NULL. */
const char *rf_countries_name(const rf_countries *c, const char *code);

#endif
