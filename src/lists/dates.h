/* Dates as lists and queries write them. */
#ifndef RF_LISTS_DATES_H
#define RF_LISTS_DATES_H

#include "redflag/entity.h"

#include <stdbool.h>
#include <stddef.h>

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a real calendar date). */
bool rf_date_parse_iso(const char *s, size_t n, rf_date *out);

/* OFAC's forms: "25 Apr 1965", "Apr 1945", "1965", "circa 1951",
 * "1960 to 1962", "01 Jan 1961 to 31 Dec 1962", "circa 1979-1982". */
bool rf_date_parse_ofac(const char *s, size_t n, rf_date_range *out);

/* Writes "YYYY", "YYYY-MM" or "YYYY-MM-DD" (11 bytes suffice). */
void rf_date_format(const rf_date *d, char out[11]);

/* Days in a month of a year (leap years counted). */
int rf_days_in_month(int year, int month);

#endif
