/* Secondary attribute adjustments. Lists give birth dates as days, months,
 * years, ranges and "circa" years; a query date is compared with the
 * closest of them. */
#include "match/attributes.h"

#include <stdlib.h>
#include <string.h>

/* Days since 0000-03-01 of a (possibly partial) date, taking the first or
 * last day of an unknown month/day. */
static long day_number(int y, int m, int d) {
    if (m <= 2) {
        y--;
        m += 12;
    }
    return 365L * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1;
}

static long range_lo(const rf_date *d, int circa_years) {
    return day_number(d->year - circa_years, d->month ? d->month : 1, d->day ? d->day : 1);
}

static long range_hi(const rf_date *d, int circa_years) {
    int m = d->month ? d->month : 12;
    int day = d->day ? d->day : (m == 2 ? 28 : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31);
    return day_number(d->year + circa_years, m, day);
}

double rf_attr_birth_date(const rf_date *q, const rf_entity *e, const char **detail) {
    *detail = NULL;
    if (!q->year || !e->n_birth_dates) return 0.0;
    double best = -1.0;
    const char *why = NULL;
    long qlo = range_lo(q, 0), qhi = range_hi(q, 0);
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        const rf_date_range *r = &e->birth_dates[i];
        int circa = r->circa ? 2 : 0;
        long lo = range_lo(&r->from, circa), hi = range_hi(&r->to, circa);
        double adj;
        const char *w;
        if (qhi >= lo && qlo <= hi) {
            /* overlapping: exact when both are the same full day */
            bool exact = q->day && r->from.day && !r->circa && lo == hi && qlo == qhi;
            adj = exact ? 0.05 : 0.02;
            w = exact ? "same birth date" : "birth date within the listed date or range";
        } else {
            long gap = qlo > hi ? qlo - hi : lo - qhi;
            double years = (double)gap / 365.25;
            if (years < 1.05) {
                adj = -0.02;
                w = "birth date about a year off";
            } else if (years < 4.95) {
                adj = -0.08;
                w = "birth date 2-4 years off";
            } else if (years < 7.95) {
                adj = -0.15;
                w = "birth date 5-7 years off";
            } else {
                adj = -0.25;
                w = "birth date 8 or more years off";
            }
        }
        if (adj > best) {
            best = adj;
            why = w;
        }
    }
    *detail = why;
    return best;
}

double rf_attr_birth_bound(int qy, int lo, int hi) {
    if (!qy || !lo) return 0.0;
    int d = qy < lo ? lo - qy : qy > hi ? qy - hi : 0;
    /* d years apart leaves a gap of at least (d - 1) * 365 + 1 days */
    return d == 0 ? 0.05 : d <= 2 ? -0.02 : d <= 5 ? -0.08 : d <= 8 ? -0.15 : -0.25;
}

static bool has(const char *const *v, size_t n, const char *c) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], c)) return true;
    return false;
}

double rf_attr_country(const char *q, const rf_entity *e, const char **detail) {
    *detail = NULL;
    if (!q || !*q) return 0.0;
    if (has(e->nationalities, e->n_nationalities, q) ||
        has(e->citizenships, e->n_citizenships, q)) {
        *detail = "nationality matches";
        return 0.03;
    }
    bool addr = false, any_addr = false;
    for (size_t i = 0; i < e->n_addresses; i++) {
        if (!*e->addresses[i].country) continue;
        any_addr = true;
        if (!strcmp(e->addresses[i].country, q)) addr = true;
    }
    if (addr) {
        *detail = "country matches an address";
        return 0.03;
    }
    if (e->n_nationalities || e->n_citizenships) {
        *detail = "other nationality";
        return -0.08;
    }
    if (any_addr) {
        *detail = "other country";
        return -0.03;
    }
    return 0.0;
}

double rf_attr_schema(rf_schema q, rf_schema e, const char **detail) {
    *detail = NULL;
    if (q == RF_SCHEMA_UNKNOWN || e == RF_SCHEMA_UNKNOWN || q == e) return 0.0;
    if (q == RF_SCHEMA_PERSON || e == RF_SCHEMA_PERSON) {
        *detail = q == RF_SCHEMA_PERSON ? "a person against an organisation, vessel or aircraft"
                                        : "an organisation, vessel or aircraft against a person";
        return -0.30;
    }
    return 0.0; /* companies, vessels and aircraft share names */
}
