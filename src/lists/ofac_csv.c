/* OFAC legacy CSV files (SDN: sdn.csv, add.csv, alt.csv, sdn_comments.csv;
 * consolidated: cons_prim.csv, cons_add.csv, cons_alt.csv,
 * cons_comments.csv). Format per OFAC's dat_spec: no header, Latin-1, CRLF,
 * "-0- " for null, a 0x1A byte at the end. Parsed with libcsv, fed one
 * line at a time so each record knows the line it started on. */
#include "lists/dataset_int.h"
#include "text/normalize.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/str.h"

#include <csv.h>
#include <string.h>

#define OFAC_MAX_FIELDS 16

typedef enum ofac_role { ROLE_PRIMARY, ROLE_ADDRESS, ROLE_ALIAS, ROLE_COMMENTS } ofac_role;

static const struct {
    const char *name;
    size_t fields;
} roles[] = {{"primary", 12}, {"address", 6}, {"alias", 5}, {"comments", 2}};

typedef struct ofac_ctx {
    rf_dataset *ds;
    size_t list;
    ofac_role role;
    const char *path;
    long line;     /* line being fed */
    long rec_line; /* line the current record started on */
    rf_buf field[OFAC_MAX_FIELDS];
    size_t nfields;
    bool overflow; /* more fields than we keep */
    bool oom;
    size_t records; /* rows seen */
    size_t good;    /* rows taken */
} ofac_ctx;

/* A field as UTF-8, trimmed, with OFAC's "-0-" null marker made empty. */
static void on_field(void *s, size_t len, void *data) {
    ofac_ctx *c = data;
    if (c->nfields == 0) c->rec_line = c->line;
    if (c->nfields >= OFAC_MAX_FIELDS) {
        c->overflow = true;
        return;
    }
    rf_buf *b = &c->field[c->nfields++];
    rf_buf_reset(b);
    const char *p = s;
    rf_trim(&p, &len);
    if (len == 3 && memcmp(p, "-0-", 3) == 0) len = 0;
    if (!rf_latin1_to_utf8(p, len, b)) c->oom = true;
}

static const char *fld(ofac_ctx *c, size_t i, size_t *n) {
    *n = c->field[i].len;
    return rf_buf_str(&c->field[i]);
}

static bool is_number(const char *s, size_t n) {
    if (n == 0 || n > 12) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static bool add_programs(rf_dataset *ds, rf_draft *d, const char *s, size_t n) {
    /* "SDGT] [IRGC] [IFSR": OFAC joins programs with "] [" */
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && s[j] != ']' && s[j] != '[')
            j++;
        if (j > i && !rf_draft_add_program(ds, d, s + i, j - i)) return false;
        i = j + 1;
    }
    return true;
}

static bool primary_row(ofac_ctx *c, rf_draft *d) {
    rf_dataset *ds = c->ds;
    size_t n;
    const char *s = fld(c, 1, &n);
    if (!rf_draft_add_name(ds, d, s, n, RF_NAME_PRIMARY, false)) return false;
    s = fld(c, 2, &n);
    if (rf_ieq(s, n, "individual"))
        d->e.schema = RF_SCHEMA_PERSON;
    else if (rf_ieq(s, n, "vessel"))
        d->e.schema = RF_SCHEMA_VESSEL;
    else if (rf_ieq(s, n, "aircraft"))
        d->e.schema = RF_SCHEMA_AIRCRAFT;
    else if (n == 0)
        d->e.schema = RF_SCHEMA_ORGANIZATION;
    else {
        rf_ds_warn(ds, c->list, c->path, c->rec_line, "unknown SDN_Type '%s'; read as organization",
                   s);
        d->e.schema = RF_SCHEMA_ORGANIZATION;
    }
    s = fld(c, 3, &n);
    if (!add_programs(ds, d, s, n)) return false;
    s = fld(c, 4, &n);
    if (n && !(d->e.title = rf_ds_str(ds, s, n))) return false;
    s = fld(c, 5, &n);
    if (n) {
        rf_identifier id = {"call_sign", "Call Sign", s, "", ""};
        if (!rf_draft_add_identifier(ds, d, &id)) return false;
    }
    static const char *const vessel_keys[] = {"vessel_type", "tonnage", "gross_registered_tonnage",
                                              "vessel_flag", "vessel_owner"};
    for (size_t i = 0; i < 5; i++) {
        s = fld(c, 6 + i, &n);
        if (!rf_draft_add_property(ds, d, vessel_keys[i], s, n)) return false;
    }
    s = fld(c, 11, &n);
    if (n && !(d->e.remarks = rf_ds_str(ds, s, n))) return false;
    return true;
}

static bool address_row(ofac_ctx *c, rf_draft *d) {
    size_t n1, n2, n3, n4;
    const char *street = fld(c, 2, &n1), *city = fld(c, 3, &n2), *country = fld(c, 4, &n3),
               *note = fld(c, 5, &n4);
    const char *code = rf_ds_country(c->ds, country, n3);
    if (n3 && !code)
        rf_ds_warn(c->ds, c->list, c->path, c->rec_line, "unknown country '%s' kept as text",
                   country);
    rf_address a = {street, city, code ? code : "", country, note};
    return rf_draft_add_address(c->ds, d, &a);
}

static bool alias_row(ofac_ctx *c, rf_draft *d) {
    size_t n, tn;
    const char *type = fld(c, 2, &tn);
    const char *name = fld(c, 3, &n);
    rf_name_kind kind = RF_NAME_AKA;
    if (rf_ieq(type, tn, "fka"))
        kind = RF_NAME_FKA;
    else if (rf_ieq(type, tn, "nka"))
        kind = RF_NAME_NKA;
    else if (!rf_ieq(type, tn, "aka"))
        rf_ds_warn(c->ds, c->list, c->path, c->rec_line, "unknown alt_type '%s'; read as aka",
                   type);
    if (n == 0) {
        rf_ds_warn(c->ds, c->list, c->path, c->rec_line, "alias without a name; skipped");
        return true;
    }
    /* OFAC writes weak aliases only in remarks; alt.csv ones are strong */
    return rf_draft_add_name(c->ds, d, name, n, kind, false);
}

static bool comments_row(ofac_ctx *c, rf_draft *d) {
    size_t n;
    const char *s = fld(c, 1, &n);
    if (!n) return true;
    /* the extension continues remarks OFAC cut at 1,000 characters */
    size_t old = strlen(d->e.remarks);
    char *joined = rf_arena_alloc(&c->ds->arena, old + n + 1);
    if (!joined) return false;
    memcpy(joined, d->e.remarks, old);
    memcpy(joined + old, s, n);
    joined[old + n] = '\0';
    d->e.remarks = joined;
    return true;
}

static void on_record(int term, void *data) {
    (void)term;
    ofac_ctx *c = data;
    size_t nf = c->nfields;
    c->nfields = 0;
    bool overflow = c->overflow;
    c->overflow = false;
    if (c->oom) return;
    if (nf == 1 && c->field[0].len == 0) return; /* blank line */
    c->records++;
    size_t want = roles[c->role].fields;
    if (overflow || nf != want) {
        rf_ds_warn(c->ds, c->list, c->path, c->rec_line,
                   "expected %zu fields in a %s row, found %s%zu; row skipped", want,
                   roles[c->role].name, overflow ? "more than " : "", nf);
        return;
    }
    size_t n;
    const char *ent = fld(c, 0, &n);
    if (!is_number(ent, n)) {
        rf_ds_warn(c->ds, c->list, c->path, c->rec_line,
                   "ent_num '%.40s' is not a number; row skipped", ent);
        return;
    }
    rf_draft *d;
    if (c->role == ROLE_PRIMARY) {
        size_t nn;
        fld(c, 1, &nn);
        if (nn == 0) {
            rf_ds_warn(c->ds, c->list, c->path, c->rec_line, "entry %s has no name; row skipped",
                       ent);
            return;
        }
        bool dup;
        d = rf_ds_new_draft(c->ds, c->list, ent, n, &dup);
        if (!d) {
            c->oom = true;
            return;
        }
        if (dup) {
            rf_ds_warn(c->ds, c->list, c->path, c->rec_line,
                       "ent_num %s appears twice; later row skipped", ent);
            return;
        }
        d->line = c->rec_line;
        if (!primary_row(c, d)) c->oom = true;
        c->good++;
        return;
    }
    d = rf_ds_find_draft(c->ds, c->list, ent, n);
    if (!d) {
        rf_ds_warn(c->ds, c->list, c->path, c->rec_line,
                   "ent_num %s is not in the primary file; row skipped", ent);
        return;
    }
    bool ok = c->role == ROLE_ADDRESS ? address_row(c, d)
              : c->role == ROLE_ALIAS ? alias_row(c, d)
                                      : comments_row(c, d);
    if (!ok) c->oom = true;
    c->good++;
}

/* Parses one file of the list from memory. */
static rf_status parse_file(rf_dataset *ds, size_t list, ofac_role role, const char *path,
                            const char *data, size_t len, rf_error *err) {
    /* OFAC ends the file with a DOS end-of-file byte (0x1A) */
    while (len && (data[len - 1] == 0x1A || data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    ofac_ctx c;
    memset(&c, 0, sizeof c);
    c.ds = ds;
    c.list = list;
    c.role = role;
    c.path = path;
    for (size_t i = 0; i < OFAC_MAX_FIELDS; i++)
        rf_buf_init(&c.field[i]);
    struct csv_parser p;
    rf_status st = RF_OK;
    if (csv_init(&p, 0) != 0) return rf_fail(err, RF_E_NOMEM, path, 0, "out of memory");
    size_t pos = 0;
    while (pos < len && !c.oom) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) + 1 : len;
        c.line++;
        if (csv_parse(&p, data + pos, end - pos, on_field, on_record, &c) != end - pos) {
            st = rf_fail(err, csv_error(&p) == CSV_ENOMEM ? RF_E_NOMEM : RF_E_PARSE, path, c.line,
                         "CSV error: %s", csv_strerror(csv_error(&p)));
            break;
        }
        pos = end;
    }
    if (st == RF_OK && !c.oom) csv_fini(&p, on_field, on_record, &c);
    csv_free(&p);
    for (size_t i = 0; i < OFAC_MAX_FIELDS; i++)
        rf_buf_free(&c.field[i]);
    if (c.oom) return rf_fail(err, RF_E_NOMEM, path, c.line, "out of memory");
    if (st == RF_OK && role == ROLE_PRIMARY && c.good == 0)
        return rf_fail(err, RF_E_PARSE, path, 0,
                       "no valid OFAC records in %zu rows; is this an OFAC CSV file?", c.records);
    return st;
}

static rf_status load_file(rf_dataset *ds, size_t list, ofac_role role, const char *path,
                           rf_error *err) {
    char *data;
    size_t len;
    rf_status st = rf_file_read(path, &data, &len, err);
    if (st != RF_OK) return st;
    st = rf_ds_add_file(ds, list, roles[role].name, path, data, len, err);
    if (st == RF_OK) st = parse_file(ds, list, role, path, data, len, err);
    rf_free(data);
    return st;
}

rf_status rf_dataset_add_ofac_csv(rf_dataset *ds, const char *list_id, const char *title,
                                  const rf_ofac_files *files, rf_error *err) {
    if (!files || !files->primary)
        return rf_fail(err, RF_E_INVALID, NULL, 0, "list '%s': the primary file is required",
                       list_id);
    size_t list;
    size_t first_draft = ds->drafts.n;
    rf_status st = rf_ds_begin_list(ds, list_id, title, "ofac_csv", &list, err);
    if (st != RF_OK) return st;
    const char *paths[] = {files->primary, files->address, files->alias, files->comments};
    for (int r = ROLE_PRIMARY; r <= ROLE_COMMENTS && st == RF_OK; r++)
        if (paths[r]) st = load_file(ds, list, (ofac_role)r, paths[r], err);
    /* remarks last: the comments file may have extended them */
    for (size_t i = first_draft; i < ds->drafts.n && st == RF_OK; i++) {
        rf_draft *d = ds->drafts.v[i];
        if (*d->e.remarks && !rf_ofac_parse_remarks(ds, d, d->e.remarks, strlen(d->e.remarks),
                                                    files->primary, d->line))
            st = rf_fail(err, RF_E_NOMEM, files->primary, 0, "out of memory parsing remarks");
    }
    return st;
}
