/* Tab-separated resource table reader (no quoting: the tables are ours). */
#include "util/tsv.h"

#include <string.h>

void rf_tsv_init(rf_tsv *t, const char *data, size_t len) {
    t->p = data;
    t->end = data + len;
    t->line = 0;
}

bool rf_tsv_next(rf_tsv *t, rf_tsv_row *row) {
    while (t->p < t->end) {
        const char *ls = t->p;
        const char *le = memchr(ls, '\n', (size_t)(t->end - ls));
        if (!le) le = t->end;
        t->p = le < t->end ? le + 1 : le;
        t->line++;
        if (le > ls && le[-1] == '\r') le--;
        if (le == ls || *ls == '#') continue;
        row->n = 0;
        row->line = t->line;
        const char *f = ls;
        for (;;) {
            const char *tab = memchr(f, '\t', (size_t)(le - f));
            const char *fe = tab ? tab : le;
            if (row->n < RF_TSV_MAX_FIELDS) {
                row->field[row->n] = f;
                row->len[row->n] = (size_t)(fe - f);
                row->n++;
            }
            if (!tab) break;
            f = tab + 1;
        }
        return true;
    }
    return false;
}
