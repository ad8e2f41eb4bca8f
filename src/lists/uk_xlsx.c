/* The UK consolidated list (OFSI ConList.xlsx): a spreadsheet with one row
 * per name, rows of one designation sharing a Group ID. An .xlsx file is
 * zipped XML: xl/sharedStrings.xml holds the cell texts, the first sheet
 * the rows; row 1 says when the list was updated, row 2 names the columns
 * (found by name, so a reordered sheet still reads). */
#include "lists/dataset_int.h"
#include "lists/dates.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define MAX_COLS 64

/* The columns read, by their header text. */
enum {
    C_NAME1,
    C_NAME2,
    C_NAME3,
    C_NAME4,
    C_NAME5,
    C_NAME6,
    C_TITLE,
    C_NONLATIN,
    C_DOB,
    C_TOWN,
    C_BIRTH_COUNTRY,
    C_NATIONALITY,
    C_PASSPORT,
    C_PASSPORT_DETAILS,
    C_NATIONAL_ID,
    C_NATIONAL_ID_DETAILS,
    C_POSITION,
    C_ADDR1,
    C_ADDR2,
    C_ADDR3,
    C_ADDR4,
    C_ADDR5,
    C_ADDR6,
    C_POSTCODE,
    C_COUNTRY,
    C_OTHER,
    C_GROUP_TYPE,
    C_ALIAS_TYPE,
    C_ALIAS_QUALITY,
    C_REGIME,
    C_LISTED_ON,
    C_GROUP_ID,
    C_COUNT
};

static const char *const headers[C_COUNT] = {
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Name 6",
    "Title",
    "Name Non-Latin Script",
    "DOB",
    "Town of Birth",
    "Country of Birth",
    "Nationality",
    "Passport Number",
    "Passport Details",
    "National Identification Number",
    "National Identification Details",
    "Position",
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Address 6",
    "Post/Zip Code",
    "Country",
    "Other Information",
    "Group Type",
    "Alias Type",
    "Alias Quality",
    "Regime",
    "Listed On",
    "Group ID",
};

typedef struct xl {
    rf_dataset *ds;
    size_t list;
    const char *path;
    XML_Parser p;
    rf_error *err;
    rf_status st;
    bool oom;
    /* shared strings */
    RF_VEC(const char *) strings;
    rf_buf text;
    bool in_text;
    /* the sheet */
    long row;
    int cell_col;
    bool cell_shared;
    const char *cells[MAX_COLS]; /* this row's texts ("" when empty) */
    int col_of[C_COUNT];         /* header -> column, -1 when absent */
} xl;

static void XMLCALL ss_start(void *ud, const char *el, const char **attr) {
    xl *c = ud;
    (void)attr;
    if (!strcmp(el, "si")) rf_buf_reset(&c->text);
    if (!strcmp(el, "t")) c->in_text = true;
}

static void XMLCALL any_text(void *ud, const char *s, int n) {
    xl *c = ud;
    if (c->in_text && !rf_buf_append(&c->text, s, (size_t)n)) c->oom = true;
}

static void XMLCALL ss_end(void *ud, const char *el) {
    xl *c = ud;
    if (!strcmp(el, "t")) c->in_text = false;
    if (strcmp(el, "si") != 0 || c->oom) return;
    const char *s = rf_ds_str(c->ds, rf_buf_str(&c->text), c->text.len);
    bool ok = s != NULL;
    if (ok) RF_VEC_PUSH(c->strings, s, ok);
    if (!ok) c->oom = true;
}

/* "AB12" -> 27 */
static int column(const char *ref) {
    int col = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++)
        col = col * 26 + (*ref - 'A' + 1);
    return col - 1;
}

static const char *cell(const xl *c, int which) {
    int col = c->col_of[which];
    return col >= 0 && col < MAX_COLS && c->cells[col] ? c->cells[col] : "";
}

/* "dd/mm/yyyy", "mm/yyyy" or "yyyy", with 00 for an unknown part. */
static bool uk_date(const char *s, rf_date *out) {
    int d = 0, m = 0, y = 0;
    size_t n = strlen(s);
    memset(out, 0, sizeof *out);
    if (n == 10 && sscanf(s, "%2d/%2d/%4d", &d, &m, &y) == 3) {
    } else if (n == 7 && sscanf(s, "%2d/%4d", &m, &y) == 2) {
    } else if (n == 4 && sscanf(s, "%4d", &y) == 1) {
    } else {
        return false;
    }
    if (y < 1000 || m < 0 || m > 12 || d < 0 || (m && d > rf_days_in_month(y, m)) || (!m && d))
        return false;
    *out = (rf_date){(int16_t)y, (uint8_t)m, (uint8_t)d};
    return true;
}

/* "(1) Central African Republic. (2) Chad", "Estonia, Russia" or one
 * name: each country ("Congo (Democratic Republic)" stays one). */
static void countries(xl *c, rf_draft *d, const char *s, bool nationality) {
    bool numbered = strstr(s, "(1)") != NULL;
    while (*s && !c->oom) {
        while (*s == ' ' || *s == '.' || *s == ',')
            s++;
        if (numbered && *s == '(') { /* "(1) " */
            const char *close = strchr(s, ')');
            if (!close) break;
            s = close + 1;
            continue;
        }
        const char *end = s;
        while (*end && !(numbered && *end == '(') &&
               !((*end == ',' || *end == '.') && end[1] == ' '))
            end++;
        size_t n = (size_t)(end - s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '.'))
            n--;
        bool known = true;
        if (n && nationality && !rf_draft_add_nationality(c->ds, d, s, n, &known)) c->oom = true;
        if (n && !nationality && !rf_draft_add_birth_place(c->ds, d, s, n)) c->oom = true;
        if (n && !known)
            rf_ds_warn(c->ds, c->list, c->path, c->row, "Nationality: unknown country '%.*s'",
                       (int)n, s);
        s = end;
    }
}

/* Puts the first primary name first. */
static void primary_first(rf_draft *d) {
    for (size_t i = 1; i < d->names.n; i++)
        if (d->names.v[i].kind == RF_NAME_PRIMARY && d->names.v[0].kind != RF_NAME_PRIMARY) {
            rf_name p = d->names.v[i];
            memmove(&d->names.v[1], &d->names.v[0], i * sizeof p);
            d->names.v[0] = p;
            return;
        }
}

static void record(xl *c) {
    const char *gid = cell(c, C_GROUP_ID);
    if (!*gid) {
        rf_ds_warn(c->ds, c->list, c->path, c->row, "no Group ID: row skipped");
        return;
    }
    rf_draft *d = rf_ds_find_draft(c->ds, c->list, gid, strlen(gid));
    if (!d) {
        bool dup;
        d = rf_ds_new_draft(c->ds, c->list, gid, strlen(gid), &dup);
        if (!d) {
            c->oom = true;
            return;
        }
        d->line = c->row;
        const char *gt = cell(c, C_GROUP_TYPE);
        d->e.schema = !strcmp(gt, "Individual") ? RF_SCHEMA_PERSON
                      : !strcmp(gt, "Ship")     ? RF_SCHEMA_VESSEL
                                                : RF_SCHEMA_ORGANIZATION;
    }
    /* the name: given names 1-5 then the family name (6) */
    char name[1024];
    size_t n = 0;
    for (int k = C_NAME1; k <= C_NAME6; k++) {
        const char *part = cell(c, k);
        if (!*part) continue;
        n += (size_t)snprintf(name + n, n < sizeof name ? sizeof name - n : 0, "%s%s", n ? " " : "",
                              part);
    }
    if (n >= sizeof name) n = sizeof name - 1;
    const char *at = cell(c, C_ALIAS_TYPE);
    rf_name_kind kind = !strcmp(at, "Primary name") ? RF_NAME_PRIMARY
                        : !strcmp(at, "FKA")        ? RF_NAME_FKA
                                                    : RF_NAME_AKA;
    bool weak = !strcmp(cell(c, C_ALIAS_QUALITY), "Low quality");
    if (n && !rf_draft_add_name(c->ds, d, name, n, kind, weak)) c->oom = true;
    const char *nl = cell(c, C_NONLATIN);
    if (*nl && !rf_draft_add_name(c->ds, d, nl, strlen(nl), RF_NAME_ORIGINAL, weak)) c->oom = true;
    primary_first(d);
    const char *regime = cell(c, C_REGIME);
    if (*regime && !rf_draft_add_program(c->ds, d, regime, strlen(regime))) c->oom = true;
    rf_date dob;
    const char *ds = cell(c, C_DOB);
    if (*ds && uk_date(ds, &dob)) {
        rf_date_range r = {dob, dob, false};
        if (!rf_draft_add_birth_date(d, &r)) c->oom = true;
    } else if (*ds) {
        rf_ds_warn(c->ds, c->list, c->path, c->row, "DOB: not a date: '%s'", ds);
    }
    countries(c, d, cell(c, C_NATIONALITY), true);
    const char *town = cell(c, C_TOWN);
    if (*town && !rf_draft_add_birth_place(c->ds, d, town, strlen(town))) c->oom = true;
    const char *pp = cell(c, C_PASSPORT), *nid = cell(c, C_NATIONAL_ID);
    rf_identifier a = {"passport", "Passport Number", pp, "", cell(c, C_PASSPORT_DETAILS)};
    rf_identifier b = {"national_id", "National Identification Number", nid, "",
                       cell(c, C_NATIONAL_ID_DETAILS)};
    if ((*pp && !rf_draft_add_identifier(c->ds, d, &a)) ||
        (*nid && !rf_draft_add_identifier(c->ds, d, &b)))
        c->oom = true;
    /* the address: lines 1-6 as street, the post code as the CSV city field */
    char street[1024];
    size_t sn = 0;
    for (int k = C_ADDR1; k <= C_ADDR6; k++) {
        const char *part = cell(c, k);
        if (!*part) continue;
        sn += (size_t)snprintf(street + sn, sn < sizeof street ? sizeof street - sn : 0, "%s%s",
                               sn ? ", " : "", part);
    }
    if (sn >= sizeof street) sn = sizeof street - 1;
    street[sn] = '\0';
    const char *country = cell(c, C_COUNTRY);
    const char *cc = *country ? rf_ds_country(c->ds, country, strlen(country)) : NULL;
    rf_address ad = {street, cell(c, C_POSTCODE), cc ? cc : "", country, ""};
    if ((sn || *country) && !rf_draft_add_address(c->ds, d, &ad)) c->oom = true;
    const char *pos = cell(c, C_POSITION);
    if (*pos && !rf_draft_add_property(c->ds, d, "position", pos, strlen(pos))) c->oom = true;
    const char *other = cell(c, C_OTHER);
    if (*other && !rf_draft_add_property(c->ds, d, "remark", other, strlen(other))) c->oom = true;
    const char *title = cell(c, C_TITLE);
    if (*title && !rf_draft_add_property(c->ds, d, "title", title, strlen(title))) c->oom = true;
    const char *listed = cell(c, C_LISTED_ON);
    if (*listed && !rf_draft_add_property(c->ds, d, "listed_on", listed, strlen(listed)))
        c->oom = true;
}

static void XMLCALL sh_start(void *ud, const char *el, const char **attr) {
    xl *c = ud;
    if (!strcmp(el, "row")) {
        c->row = 0;
        for (int i = 0; attr[i]; i += 2)
            if (!strcmp(attr[i], "r")) c->row = atol(attr[i + 1]);
        memset(c->cells, 0, sizeof c->cells);
    } else if (!strcmp(el, "c")) {
        c->cell_col = -1;
        c->cell_shared = false;
        for (int i = 0; attr[i]; i += 2) {
            if (!strcmp(attr[i], "r")) c->cell_col = column(attr[i + 1]);
            if (!strcmp(attr[i], "t")) c->cell_shared = !strcmp(attr[i + 1], "s");
        }
        rf_buf_reset(&c->text);
    } else if (!strcmp(el, "v") || !strcmp(el, "t")) {
        c->in_text = true;
    }
}

static void XMLCALL sh_end(void *ud, const char *el) {
    xl *c = ud;
    if (!strcmp(el, "v") || !strcmp(el, "t")) {
        c->in_text = false;
    } else if (!strcmp(el, "c")) {
        if (c->cell_col < 0 || c->cell_col >= MAX_COLS || !c->text.len) return;
        const char *v = NULL;
        if (c->cell_shared) {
            unsigned long k = strtoul(rf_buf_str(&c->text), NULL, 10);
            v = k < c->strings.n ? c->strings.v[k] : NULL;
            if (!v) rf_ds_warn(c->ds, c->list, c->path, c->row, "cell refers to a missing string");
        } else {
            v = rf_ds_str(c->ds, rf_buf_str(&c->text), c->text.len);
            if (!v) c->oom = true;
        }
        c->cells[c->cell_col] = v;
    } else if (!strcmp(el, "row") && !c->oom && c->st == RF_OK) {
        if (c->row == 1 && c->cells[0] && !strcmp(c->cells[0], "Last Updated") && c->cells[1]) {
            rf_date d;
            char iso[11];
            if (uk_date(c->cells[1], &d) && d.day) {
                rf_date_format(&d, iso);
                c->st =
                    rf_dataset_set_published(c->ds, c->ds->lists.v[c->list].info.id, iso, c->err);
            }
        } else if (c->col_of[C_GROUP_ID] < 0) {
            /* the header row: columns by name */
            for (int k = 0; k < C_COUNT; k++)
                for (int col = 0; col < MAX_COLS; col++)
                    if (c->cells[col] && !strcmp(c->cells[col], headers[k])) c->col_of[k] = col;
        } else {
            record(c);
        }
    }
}

/* Parses one member of the workbook with the given handlers. */
static rf_status parse_member(xl *c, zip_t *z, const char *member, XML_StartElementHandler s,
                              XML_EndElementHandler e) {
    zip_file_t *f = zip_fopen(z, member, 0);
    if (!f) return rf_fail(c->err, RF_E_PARSE, c->path, 0, "not a UK list workbook: no %s", member);
    c->p = XML_ParserCreate("UTF-8");
    if (!c->p) {
        zip_fclose(f);
        return rf_fail(c->err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    XML_SetUserData(c->p, c);
    XML_SetElementHandler(c->p, s, e);
    XML_SetCharacterDataHandler(c->p, any_text);
    rf_status st = RF_OK;
    char buf[1 << 16];
    for (;;) {
        zip_int64_t got = zip_fread(f, buf, sizeof buf);
        if (got < 0) {
            st = rf_fail(c->err, RF_E_PARSE, c->path, 0, "%s: damaged: %s", member,
                         zip_file_strerror(f));
            break;
        }
        if (XML_Parse(c->p, buf, (int)got, got == 0) == XML_STATUS_ERROR) {
            st = rf_fail(c->err, RF_E_PARSE, c->path, 0, "%s line %lu: not valid XML: %s", member,
                         XML_GetCurrentLineNumber(c->p), XML_ErrorString(XML_GetErrorCode(c->p)));
            break;
        }
        if (c->oom) st = rf_fail(c->err, RF_E_NOMEM, NULL, 0, "out of memory");
        if (st == RF_OK) st = c->st;
        if (st != RF_OK || got == 0) break;
    }
    XML_ParserFree(c->p);
    c->p = NULL;
    zip_fclose(f);
    return st;
}

rf_status rf_dataset_add_uk_xlsx(rf_dataset *ds, const char *list_id, const char *title,
                                 const char *path, rf_error *err) {
    size_t list;
    rf_status st = rf_ds_begin_list(ds, list_id, title, "uk_xlsx", &list, err);
    if (st != RF_OK) return st;
    char *data;
    size_t len;
    st = rf_file_read(path, &data, &len, err);
    if (st != RF_OK) return st;
    st = rf_ds_add_file(ds, list, "xlsx", path, data, len, err);
    xl c;
    memset(&c, 0, sizeof c);
    c.ds = ds;
    c.list = list;
    c.path = path;
    c.err = err;
    for (int k = 0; k < C_COUNT; k++)
        c.col_of[k] = -1;
    rf_buf_init(&c.text);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = st == RF_OK ? zip_source_buffer_create(data, len, 0, &ze) : NULL;
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (st == RF_OK && !z) {
        st = rf_fail(err, RF_E_PARSE, path, 0, "not a readable .xlsx (ZIP) file: %s",
                     zip_error_strerror(&ze));
        if (src) zip_source_free(src);
    }
    zip_error_fini(&ze);
    if (st == RF_OK) st = parse_member(&c, z, "xl/sharedStrings.xml", ss_start, ss_end);
    if (st == RF_OK) st = parse_member(&c, z, "xl/worksheets/sheet1.xml", sh_start, sh_end);
    if (st == RF_OK && c.col_of[C_GROUP_ID] < 0)
        st = rf_fail(err, RF_E_PARSE, path, 0, "no header row with a \"Group ID\" column");
    if (z) zip_discard(z);
    rf_buf_free(&c.text);
    RF_VEC_FREE(c.strings);
    rf_free(data);
    return st;
}
