/* Date parsing for OFAC remarks, UN XML and queries. Unknown parts stay 0;
 * a partial date is never padded into a fake full date. */
#include "lists/dates.h"

#include <stdio.h>
#include <string.h>

int rf_days_in_month(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
    return days[month - 1];
}

static bool digits(const char *s, size_t n, int *out) {
    int v = 0;
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool valid(int y, int m, int d) {
    if (y < 1000 || y > 2999) return false;
    if (m == 0) return d == 0;
    if (m < 1 || m > 12) return false;
    return d == 0 || (d >= 1 && d <= rf_days_in_month(y, m));
}

bool rf_date_parse_iso(const char *s, size_t n, rf_date *out) {
    int y = 0, m = 0, d = 0;
    if (n == 4) {
        if (!digits(s, 4, &y)) return false;
    } else if (n == 7) {
        if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m)) return false;
    } else if (n == 10) {
        if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
            !digits(s + 8, 2, &d))
            return false;
    } else {
        return false;
    }
    if (!valid(y, m, d) || (n == 10 && d == 0) || (n >= 7 && m == 0)) return false;
    out->year = (int16_t)y;
    out->month = (uint8_t)m;
    out->day = (uint8_t)d;
    return true;
}

static int month_of(const char *s, size_t n) {
    static const char *const names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
    if (n < 3) return 0;
    for (int i = 0; i < 12; i++) {
        bool eq = true;
        for (int k = 0; k < 3; k++) {
            char c = s[k];
            if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
            if (c != names[i][k]) eq = false;
        }
        if (eq) return i + 1;
    }
    return 0;
}

/* One OFAC date: "[DD ]Mon YYYY" or "YYYY". Words are space-separated. */
static bool parse_one(const char *s, size_t n, rf_date *out) {
    const char *w[3];
    size_t wl[3];
    size_t nw = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n) break;
        size_t st = i;
        while (i < n && s[i] != ' ')
            i++;
        if (nw == 3) return false;
        w[nw] = s + st;
        wl[nw] = i - st;
        nw++;
    }
    int y = 0, m = 0, d = 0;
    if (nw == 1) {
        if (wl[0] != 4 || !digits(w[0], 4, &y)) return false;
    } else if (nw == 2) {
        m = month_of(w[0], wl[0]);
        if (!m || wl[1] != 4 || !digits(w[1], 4, &y)) return false;
    } else if (nw == 3) {
        m = month_of(w[1], wl[1]);
        if (wl[0] > 2 || !digits(w[0], wl[0], &d) || !m || wl[2] != 4 || !digits(w[2], 4, &y))
            return false;
    } else {
        return false;
    }
    if (!valid(y, m, d)) return false;
    out->year = (int16_t)y;
    out->month = (uint8_t)m;
    out->day = (uint8_t)d;
    return true;
}

static const char *find(const char *s, size_t n, const char *needle) {
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0) return s + i;
    return NULL;
}

bool rf_date_parse_ofac(const char *s, size_t n, rf_date_range *out) {
    memset(out, 0, sizeof *out);
    while (n && s[n - 1] == ' ')
        n--;
    while (n && *s == ' ')
        s++, n--;
    if (n >= 6 && strncmp(s, "circa ", 6) == 0) {
        out->circa = true;
        s += 6;
        n -= 6;
    }
    const char *to = find(s, n, " to ");
    size_t sep = 4;
    if (!to && n == 9 && s[4] == '-') { /* "1979-1982" */
        to = s + 4;
        sep = 1;
    }
    if (to) {
        if (!parse_one(s, (size_t)(to - s), &out->from)) return false;
        const char *r = to + sep;
        if (!parse_one(r, n - (size_t)(r - s), &out->to)) return false;
        return out->from.year <= out->to.year;
    }
    if (!parse_one(s, n, &out->from)) return false;
    out->to = out->from;
    return true;
}

void rf_date_format(const rf_date *d, char out[11]) {
    unsigned y = (unsigned)(d->year > 0 ? d->year : 0) % 10000u, m = d->month % 100u,
             dd = d->day % 100u;
    if (m && dd)
        snprintf(out, 11, "%04u-%02u-%02u", y, m, dd);
    else if (m)
        snprintf(out, 11, "%04u-%02u", y, m);
    else
        snprintf(out, 11, "%04u", y);
}
