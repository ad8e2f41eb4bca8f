/* The US Consolidated Screening List (trade.gov CSV, plain or gzipped): the
 * Commerce (BIS) and State lists besides OFAC's, one row per party, lists
 * of values "; "-separated. Its Treasury rows are OFAC's own lists, loaded
 * from OFAC's files: they are counted as left out, not loaded twice. */
#include "lists/dataset_int.h"
#include "lists/dates.h"
#include "util/alloc.h"
#include "util/csvfile.h"
#include "util/error.h"
#include "util/file.h"

#include <string.h>
#include <zlib.h>

/* Inflates a gzip file in memory into *out. */
static rf_status gunzip(const char *path, const char *data, size_t len, char **out, size_t *out_len,
                        rf_error *err) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    size_t cap = len * 8 + 1024, n = 0;
    char *buf = rf_malloc(cap);
    int rc = buf ? Z_OK : Z_MEM_ERROR;
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    while (rc == Z_OK) {
        if (n == cap) {
            char *nb = rf_realloc(buf, cap * 2);
            if (!nb) {
                rc = Z_MEM_ERROR;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        z.next_out = (Bytef *)buf + n;
        z.avail_out = (uInt)(cap - n);
        rc = inflate(&z, Z_NO_FLUSH);
        n = cap - z.avail_out;
        if (rc == Z_BUF_ERROR && z.avail_in == 0) break; /* input ended early */
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        rf_free(buf);
        if (rc == Z_MEM_ERROR) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        return rf_fail(err, RF_E_PARSE, path, 0, "damaged or truncated gzip file");
    }
    *out = buf;
    *out_len = n;
    return RF_OK;
}

/* Calls add for each "; "-separated value of s. */
static bool each(rf_dataset *ds, rf_draft *d, const char *s,
                 bool (*add)(rf_dataset *, rf_draft *, const char *, size_t)) {
    while (*s) {
        const char *end = strstr(s, "; ");
        size_t n = end ? (size_t)(end - s) : strlen(s);
        if (n && !add(ds, d, s, n)) return false;
        s += n + (end ? 2 : 0);
    }
    return true;
}

static bool add_alias(rf_dataset *ds, rf_draft *d, const char *s, size_t n) {
    return rf_draft_add_name(ds, d, s, n, RF_NAME_AKA, false);
}

static bool add_nationality(rf_dataset *ds, rf_draft *d, const char *s, size_t n) {
    bool known;
    return rf_draft_add_nationality(ds, d, s, n, &known);
}

static bool add_citizenship(rf_dataset *ds, rf_draft *d, const char *s, size_t n) {
    bool known;
    return rf_draft_add_citizenship(ds, d, s, n, &known);
}

static bool add_address(rf_dataset *ds, rf_draft *d, const char *s, size_t n) {
    /* "street, city, postal code, CC": the last part is the country code */
    const char *comma = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',') comma = s + i;
    size_t street = comma ? (size_t)(comma - s) : n;
    const char *cc = comma ? comma + 1 : "";
    size_t cn = comma ? n - street - 1 : 0;
    while (cn && *cc == ' ') {
        cc++;
        cn--;
    }
    char code[3] = "";
    if (cn == 2) memcpy(code, cc, 2);
    const char *country = cn == 2 ? rf_ds_country(ds, code, 2) : NULL;
    const char *text = rf_ds_str(ds, s, cn == 2 ? street : n);
    if (!text) return false;
    rf_address a = {text, "", country ? country : "", cn == 2 ? rf_ds_str(ds, code, 2) : "", ""};
    return a.country_name && rf_draft_add_address(ds, d, &a);
}

static bool add_dob(rf_dataset *ds, rf_draft *d, const char *s, size_t n) {
    (void)ds;
    rf_date dt;
    rf_date_range r;
    if (rf_date_parse_iso(s, n, &dt)) {
        r = (rf_date_range){dt, dt, false};
        return rf_draft_add_birth_date(d, &r);
    }
    if (rf_date_parse_ofac(s, n, &r)) return rf_draft_add_birth_date(d, &r);
    return true; /* an unreadable date is left out */
}

rf_status rf_dataset_add_us_csl(rf_dataset *ds, const char *list_id, const char *title,
                                const char *path, rf_error *err) {
    size_t list;
    rf_status st = rf_ds_begin_list(ds, list_id, title, "us_csl", &list, err);
    if (st != RF_OK) return st;
    char *data, *csv = NULL;
    size_t len, csv_len = 0;
    st = rf_file_read(path, &data, &len, err);
    if (st != RF_OK) return st;
    st = rf_ds_add_file(ds, list, "csv", path, data, len, err);
    bool gz = len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b;
    if (st == RF_OK && gz) st = gunzip(path, data, len, &csv, &csv_len, err);
    rf_csvfile f;
    memset(&f, 0, sizeof f);
    if (st == RF_OK) st = rf_csvfile_parse(gz ? csv : data, gz ? csv_len : len, path, &f, err);
    rf_free(csv);
    rf_free(data);
    if (st != RF_OK) return st;
    int c_id = rf_csvfile_col(&f, "_id"), c_src = rf_csvfile_col(&f, "source"),
        c_type = rf_csvfile_col(&f, "type"), c_name = rf_csvfile_col(&f, "name"),
        c_alt = rf_csvfile_col(&f, "alt_names"), c_prog = rf_csvfile_col(&f, "programs"),
        c_addr = rf_csvfile_col(&f, "addresses"), c_dob = rf_csvfile_col(&f, "dates_of_birth"),
        c_nat = rf_csvfile_col(&f, "nationalities"), c_cit = rf_csvfile_col(&f, "citizenships"),
        c_pob = rf_csvfile_col(&f, "places_of_birth"), c_title = rf_csvfile_col(&f, "title"),
        c_rem = rf_csvfile_col(&f, "remarks");
    if (c_id < 0 || c_src < 0 || c_name < 0) {
        rf_csvfile_free(&f);
        return rf_fail(err, RF_E_PARSE, path, 1,
                       "not the US screening list: needs columns _id, source and name");
    }
    bool ok = true;
    rf_list_rec *rec = &ds->lists.v[list];
    for (size_t i = 0; ok && i < f.rows; i++) {
        long line = (long)i + 2;
        const char *src = rf_csvfile_get(&f, i, c_src), *id = rf_csvfile_get(&f, i, c_id);
        size_t sl = strlen(src);
        if (sl >= 21 && !strcmp(src + sl - 21, "- Treasury Department")) {
            rec->info.n_duplicates++; /* OFAC's, from OFAC's own files */
            continue;
        }
        const char *name = rf_csvfile_get(&f, i, c_name);
        if (!*id || !*name) {
            rf_ds_warn(ds, list, path, line, "no _id or name: row skipped");
            continue;
        }
        bool dup = false;
        rf_draft *d = rf_ds_new_draft(ds, list, id, strlen(id), &dup);
        if (!d) {
            ok = false;
            break;
        }
        if (dup) {
            rf_ds_warn(ds, list, path, line, "_id %s: seen before; kept the first", id);
            continue;
        }
        d->line = line;
        const char *type = rf_csvfile_get(&f, i, c_type);
        d->e.schema = !strcmp(type, "Individual") ? RF_SCHEMA_PERSON
                      : !strcmp(type, "Entity")   ? RF_SCHEMA_ORGANIZATION
                      : !strcmp(type, "Vessel")   ? RF_SCHEMA_VESSEL
                      : !strcmp(type, "Aircraft") ? RF_SCHEMA_AIRCRAFT
                                                  : RF_SCHEMA_UNKNOWN;
        ok = rf_draft_add_name(ds, d, name, strlen(name), RF_NAME_PRIMARY, false) &&
             each(ds, d, rf_csvfile_get(&f, i, c_alt), add_alias) &&
             each(ds, d, rf_csvfile_get(&f, i, c_prog), rf_draft_add_program) &&
             each(ds, d, rf_csvfile_get(&f, i, c_addr), add_address) &&
             each(ds, d, rf_csvfile_get(&f, i, c_dob), add_dob) &&
             each(ds, d, rf_csvfile_get(&f, i, c_nat), add_nationality) &&
             each(ds, d, rf_csvfile_get(&f, i, c_cit), add_citizenship) &&
             each(ds, d, rf_csvfile_get(&f, i, c_pob), rf_draft_add_birth_place) &&
             rf_draft_add_property(ds, d, "source_list", src, sl);
        const char *t = rf_csvfile_get(&f, i, c_title), *rem = rf_csvfile_get(&f, i, c_rem);
        if (ok && *t) ok = rf_draft_add_property(ds, d, "title", t, strlen(t));
        if (ok && *rem) ok = rf_draft_add_property(ds, d, "remark", rem, strlen(rem));
    }
    rf_csvfile_free(&f);
    return ok ? RF_OK : rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
}
