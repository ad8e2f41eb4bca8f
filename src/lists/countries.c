/* Country lookup table: ICU's English display names and ISO codes, plus the
 * alias table, all keyed by the normalised form of the name. */
#include "lists/countries.h"
#include "text/normalize.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/resource.h"
#include "util/strmap.h"
#include "util/tsv.h"

#include <stdio.h>
#include <string.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

struct rf_countries {
    rf_arena arena;
    rf_strmap by_name;  /* normalised name -> index into codes */
    const char **codes; /* ICU's code strings (static storage) */
    const char **names; /* English name per code */
    size_t n;
};

static bool add_name(rf_countries *c, rf_buf *tmp, const char *name, size_t len, uint32_t idx) {
    /* ICU writes "Bosnia & Herzegovina"; lists write "and" */
    const char *amp = memchr(name, '&', len);
    if (amp) {
        char with_and[256];
        int n = snprintf(with_and, sizeof with_and, "%.*sand%.*s", (int)(amp - name), name,
                         (int)(len - (size_t)(amp - name) - 1), amp + 1);
        if (n > 0 && (size_t)n < sizeof with_and && !add_name(c, tmp, with_and, (size_t)n, idx))
            return false;
    }
    if (!rf_norm_name(name, len, tmp)) return false;
    if (tmp->len == 0) return true;
    char *key = rf_arena_strndup(&c->arena, tmp->data, tmp->len);
    return key && rf_strmap_put(&c->by_name, key, tmp->len, idx, NULL, NULL);
}

static long code_index(const rf_countries *c, const char *code, size_t n) {
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->codes[i]) == n && strncmp(c->codes[i], code, n) == 0) return (long)i;
    return -1;
}

rf_status rf_countries_new(rf_countries **out, rf_error *err) {
    *out = NULL;
    rf_countries *c = rf_calloc(1, sizeof *c);
    if (!c) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    rf_arena_init(&c->arena);
    rf_strmap_init(&c->by_name);
    rf_buf tmp;
    rf_buf_init(&tmp);
    rf_status st = RF_OK;

    const char *const *iso = uloc_getISOCountries();
    while (iso[c->n])
        c->n++;
    c->codes = rf_arena_alloc(&c->arena, c->n * sizeof *c->codes);
    c->names = rf_arena_alloc(&c->arena, c->n * sizeof *c->names);
    if (!c->codes || !c->names) goto nomem;
    for (size_t i = 0; i < c->n; i++) {
        c->codes[i] = iso[i];
        char loc[8];
        snprintf(loc, sizeof loc, "_%s", iso[i]);
        UChar uname[128];
        UErrorCode ue = U_ZERO_ERROR;
        int32_t ulen = uloc_getDisplayCountry(loc, "en", uname, 128, &ue);
        char name[256];
        int32_t nlen = 0;
        if (U_SUCCESS(ue)) u_strToUTF8(name, sizeof name, &nlen, uname, ulen, &ue);
        if (U_FAILURE(ue) || nlen <= 0 || nlen >= (int32_t)sizeof name) {
            snprintf(name, sizeof name, "%s", iso[i]);
            nlen = (int32_t)strlen(name);
        }
        c->names[i] = rf_arena_strndup(&c->arena, name, (size_t)nlen);
        if (!c->names[i]) goto nomem;
        if (!add_name(c, &tmp, name, (size_t)nlen, (uint32_t)i)) goto nomem;
        if (!add_name(c, &tmp, iso[i], strlen(iso[i]), (uint32_t)i)) goto nomem;
        /* ICU adds qualifiers: "Myanmar (Burma)", "Congo - Kinshasa". The
         * part before them is a name too. */
        const char *cut = strstr(name, " (");
        if (!cut) cut = strstr(name, " - ");
        if (cut && !add_name(c, &tmp, name, (size_t)(cut - name), (uint32_t)i)) goto nomem;
    }

    size_t len;
    const char *tsv = rf_resource("countries.tsv", &len);
    rf_tsv t;
    rf_tsv_row row;
    rf_tsv_init(&t, tsv ? tsv : "", tsv ? len : 0);
    while (rf_tsv_next(&t, &row)) {
        long idx = row.n == 2 ? code_index(c, row.field[1], row.len[1]) : -1;
        if (idx < 0) {
            st = rf_fail(err, RF_E_PARSE, "resources/countries.tsv", row.line,
                         "expected 'name<TAB>alpha-2 code' with a code ICU knows");
            goto done;
        }
        if (!add_name(c, &tmp, row.field[0], row.len[0], (uint32_t)idx)) goto nomem;
    }
    goto done;
nomem:
    st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory building the country table");
done:
    rf_buf_free(&tmp);
    if (st != RF_OK) {
        rf_countries_free(c);
        return st;
    }
    *out = c;
    return RF_OK;
}

void rf_countries_free(rf_countries *c) {
    if (!c) return;
    rf_strmap_free(&c->by_name);
    rf_arena_free(&c->arena);
    rf_free(c);
}

const char *rf_countries_code(const rf_countries *c, const char *name, size_t n) {
    rf_buf tmp;
    rf_buf_init(&tmp);
    uint32_t idx;
    const char *code = NULL;
    if (rf_norm_name(name, n, &tmp) && tmp.len > 0 &&
        rf_strmap_get(&c->by_name, tmp.data, tmp.len, &idx))
        code = c->codes[idx];
    rf_buf_free(&tmp);
    return code;
}

const char *rf_countries_name(const rf_countries *c, const char *code) {
    long i = code ? code_index(c, code, strlen(code)) : -1;
    return i >= 0 ? c->names[i] : NULL;
}
