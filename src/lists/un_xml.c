/* The UN Security Council Consolidated List (scsanctions.un.org XML,
 * sc-sanctions.xsd): INDIVIDUAL and ENTITY records with aliases, addresses,
 * dates and places of birth and documents. Streamed with expat; each record
 * is collected into a draft and added when its end tag is seen, so a bad
 * record is skipped alone. A file that is not well-formed XML fails. */
#include "lists/dataset_int.h"
#include "lists/dates.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/str.h"

#include <expat.h>
#include <stdio.h>
#include <string.h>

/* Fields of the sub-record being read (alias, address, date, document...). */
enum {
    F_QUALITY,
    F_ALIAS_NAME,
    F_STREET,
    F_CITY,
    F_STATE,
    F_ZIP,
    F_COUNTRY,
    F_NOTE,
    F_TYPE_OF_DATE,
    F_DATE,
    F_YEAR,
    F_FROM_YEAR,
    F_TO_YEAR,
    F_DOC_TYPE,
    F_DOC_TYPE2,
    F_NUMBER,
    F_ISSUING_COUNTRY,
    F_DATE_OF_ISSUE,
    F_CITY_OF_ISSUE,
    F_COUNTRY_OF_ISSUE,
    F_COUNT
};

static const char *const field_tags[F_COUNT] = {
    "QUALITY",
    "ALIAS_NAME",
    "STREET",
    "CITY",
    "STATE_PROVINCE",
    "ZIP_CODE",
    "COUNTRY",
    "NOTE",
    "TYPE_OF_DATE",
    "DATE",
    "YEAR",
    "FROM_YEAR",
    "TO_YEAR",
    "TYPE_OF_DOCUMENT",
    "TYPE_OF_DOCUMENT2",
    "NUMBER",
    "ISSUING_COUNTRY",
    "DATE_OF_ISSUE",
    "CITY_OF_ISSUE",
    "COUNTRY_OF_ISSUE",
};

typedef enum sub_kind {
    SUB_NONE,
    SUB_ALIAS,
    SUB_ADDRESS,
    SUB_DOB,
    SUB_POB,
    SUB_DOC,
    SUB_VALUES
} sub_kind;

typedef struct un_ctx {
    rf_dataset *ds;
    size_t list;
    const char *path;
    XML_Parser xp;
    rf_buf text; /* character data of the current element */
    int depth;
    rf_draft *d; /* record being read, NULL outside one */
    rf_schema schema;
    long rec_line;
    rf_buf dataid;
    rf_buf names[4]; /* FIRST_NAME..FOURTH_NAME */
    rf_buf original; /* NAME_ORIGINAL_SCRIPT */
    sub_kind sub;
    char values_of[32]; /* NATIONALITY, TITLE, DESIGNATION... for VALUE */
    rf_buf f[F_COUNT];
    bool oom;
    size_t records;
} un_ctx;

static const char *fs(un_ctx *c, int i, size_t *n) {
    *n = c->f[i].len;
    return rf_buf_str(&c->f[i]);
}

static const char *country_of(un_ctx *c, int i) {
    size_t n;
    const char *s = fs(c, i, &n);
    if (!n) return "";
    const char *code = rf_ds_country(c->ds, s, n);
    if (!code)
        rf_ds_warn(c->ds, c->list, c->path, XML_GetCurrentLineNumber(c->xp),
                   "unknown country '%s' kept as text", s);
    return code ? code : "";
}

static void begin_record(un_ctx *c, rf_schema schema) {
    c->d = rf_ds_alloc_draft(c->ds, c->list);
    if (!c->d) {
        c->oom = true;
        return;
    }
    c->d->e.schema = schema;
    c->d->line = c->rec_line = XML_GetCurrentLineNumber(c->xp);
    rf_buf_reset(&c->dataid);
    for (int i = 0; i < 4; i++)
        rf_buf_reset(&c->names[i]);
    rf_buf_reset(&c->original);
    c->records++;
}

static void end_record(un_ctx *c) {
    rf_draft *d = c->d;
    c->d = NULL;
    rf_dataset *ds = c->ds;
    rf_buf full;
    rf_buf_init(&full);
    for (int i = 0; i < 4; i++) {
        const char *s = rf_buf_str(&c->names[i]);
        size_t n = c->names[i].len;
        rf_trim(&s, &n);
        if (!n) continue;
        if (full.len) rf_buf_putc(&full, ' ');
        rf_buf_append(&full, s, n);
    }
    if (full.oom) c->oom = true;
    const char *id = rf_buf_str(&c->dataid);
    size_t idn = c->dataid.len;
    rf_trim(&id, &idn);
    bool ok = !c->oom;
    if (ok && (idn == 0 || full.len == 0)) {
        rf_ds_warn(ds, c->list, c->path, c->rec_line, "%s record without %s; skipped",
                   c->schema == RF_SCHEMA_PERSON ? "INDIVIDUAL" : "ENTITY",
                   idn == 0 ? "DATAID" : "a name");
        rf_ds_discard_draft(d);
        rf_buf_free(&full);
        return;
    }
    /* aliases came first in the file; the full name goes to names[0] */
    if (ok) {
        size_t had = d->names.n;
        ok = rf_draft_add_name(ds, d, full.data, full.len, RF_NAME_PRIMARY, false);
        size_t at = had; /* where the primary name is now */
        if (ok && d->names.n == had)
            for (at = 0; at < had && strcmp(d->names.v[at].text, full.data); at++) {
            }
        if (ok && at < d->names.n) {
            rf_name p = d->names.v[at];
            p.kind = RF_NAME_PRIMARY;
            memmove(d->names.v + 1, d->names.v, at * sizeof *d->names.v);
            d->names.v[0] = p;
        }
    }
    if (ok && c->original.len)
        ok = rf_draft_add_name(ds, d, c->original.data, c->original.len, RF_NAME_ORIGINAL, false);
    rf_buf_free(&full);
    bool dup = false;
    if (ok)
        ok = rf_ds_commit_draft(ds, d, id, idn, &dup);
    else
        rf_ds_discard_draft(d);
    if (!ok)
        c->oom = true;
    else if (dup)
        rf_ds_warn(ds, c->list, c->path, c->rec_line, "DATAID %.*s appears twice; later skipped",
                   (int)idn, id);
}

static void begin_sub(un_ctx *c, sub_kind k) {
    c->sub = k;
    for (int i = 0; i < F_COUNT; i++)
        rf_buf_reset(&c->f[i]);
}

static bool end_alias(un_ctx *c) {
    size_t qn, n;
    const char *q = fs(c, F_QUALITY, &qn), *name = fs(c, F_ALIAS_NAME, &n);
    if (!n) return true;
    rf_name_kind kind = rf_ieq(q, qn, "f.k.a.") ? RF_NAME_FKA : RF_NAME_AKA;
    /* UN marks doubtful aliases "Low"; they are weak */
    return rf_draft_add_name(c->ds, c->d, name, n, kind, rf_ieq(q, qn, "low"));
}

static bool end_address(un_ctx *c) {
    rf_buf city;
    rf_buf_init(&city);
    int parts[] = {F_CITY, F_STATE, F_ZIP};
    for (int i = 0; i < 3; i++) {
        size_t n;
        const char *s = fs(c, parts[i], &n);
        rf_trim(&s, &n);
        if (!n) continue;
        if (city.len) rf_buf_puts(&city, ", ");
        rf_buf_append(&city, s, n);
    }
    rf_address a = {rf_buf_str(&c->f[F_STREET]), rf_buf_str(&city), country_of(c, F_COUNTRY),
                    rf_buf_str(&c->f[F_COUNTRY]), rf_buf_str(&c->f[F_NOTE])};
    bool ok = !city.oom && rf_draft_add_address(c->ds, c->d, &a);
    rf_buf_free(&city);
    return ok;
}

static bool end_dob(un_ctx *c) {
    size_t tn, dn, yn, fn, ton;
    const char *type = fs(c, F_TYPE_OF_DATE, &tn), *date = fs(c, F_DATE, &dn),
               *year = fs(c, F_YEAR, &yn), *from = fs(c, F_FROM_YEAR, &fn),
               *to = fs(c, F_TO_YEAR, &ton);
    rf_trim(&date, &dn);
    rf_trim(&year, &yn);
    rf_trim(&from, &fn);
    rf_trim(&to, &ton);
    rf_date_range r;
    memset(&r, 0, sizeof r);
    r.circa = rf_ieq(type, tn, "APPROXIMATELY");
    bool ok;
    if (fn || ton) {
        ok = rf_date_parse_iso(from, fn, &r.from) && rf_date_parse_iso(to, ton, &r.to) &&
             r.from.year <= r.to.year;
    } else if (dn) {
        if (dn > 10) dn = 10; /* some files append a time */
        ok = rf_date_parse_iso(date, dn, &r.from);
        r.to = r.from;
    } else if (yn) {
        ok = rf_date_parse_iso(year, yn, &r.from);
        r.to = r.from;
    } else {
        return true; /* an empty element */
    }
    if (!ok) {
        rf_ds_warn(c->ds, c->list, c->path, XML_GetCurrentLineNumber(c->xp),
                   "unreadable date of birth (DATE '%s', YEAR '%s', FROM_YEAR '%s', TO_YEAR '%s');"
                   " ignored",
                   rf_buf_str(&c->f[F_DATE]), rf_buf_str(&c->f[F_YEAR]),
                   rf_buf_str(&c->f[F_FROM_YEAR]), rf_buf_str(&c->f[F_TO_YEAR]));
        return true;
    }
    return rf_draft_add_birth_date(c->d, &r);
}

static bool end_pob(un_ctx *c) {
    rf_buf place;
    rf_buf_init(&place);
    int parts[] = {F_CITY, F_STATE, F_COUNTRY};
    for (int i = 0; i < 3; i++) {
        size_t n;
        const char *s = fs(c, parts[i], &n);
        rf_trim(&s, &n);
        if (!n) continue;
        if (place.len) rf_buf_puts(&place, ", ");
        rf_buf_append(&place, s, n);
    }
    bool ok = !place.oom && rf_draft_add_birth_place(c->ds, c->d, place.data, place.len);
    rf_buf_free(&place);
    return ok;
}

static bool end_doc(un_ctx *c) {
    size_t tn, nn;
    const char *type = fs(c, F_DOC_TYPE, &tn);
    fs(c, F_NUMBER, &nn);
    rf_trim(&type, &tn);
    if (!nn) return true;
    const char *slug = "other";
    if (rf_starts_with(type, tn, "Passport") || rf_starts_with(type, tn, "Número de pasaporte") ||
        rf_starts_with(type, tn, "Numéro de passeport"))
        slug = "passport";
    else if (rf_starts_with(type, tn, "National Identification"))
        slug = "national_id";
    const char *code = country_of(c, F_ISSUING_COUNTRY);
    if (!*code) code = country_of(c, F_COUNTRY_OF_ISSUE);
    rf_buf note;
    rf_buf_init(&note);
    int parts[] = {F_DOC_TYPE2, F_DATE_OF_ISSUE, F_CITY_OF_ISSUE, F_NOTE};
    static const char *const labels[] = {"", "issued ", "in ", ""};
    for (int i = 0; i < 4; i++) {
        size_t n;
        const char *s = fs(c, parts[i], &n);
        rf_trim(&s, &n);
        if (!n) continue;
        if (note.len) rf_buf_puts(&note, "; ");
        rf_buf_puts(&note, labels[i]);
        rf_buf_append(&note, s, n);
    }
    char label[128];
    snprintf(label, sizeof label, "%.*s", (int)tn, type);
    rf_identifier id = {slug, label, rf_buf_str(&c->f[F_NUMBER]), code, rf_buf_str(&note)};
    bool ok = !note.oom && rf_draft_add_identifier(c->ds, c->d, &id);
    rf_buf_free(&note);
    return ok;
}

/* <NATIONALITY><VALUE>..</VALUE></NATIONALITY> and the like. */
static bool record_value(un_ctx *c, const char *s, size_t n) {
    rf_dataset *ds = c->ds;
    rf_draft *d = c->d;
    rf_trim(&s, &n);
    if (!n) return true;
    if (!strcmp(c->values_of, "NATIONALITY")) {
        bool known;
        if (!rf_draft_add_nationality(ds, d, s, n, &known)) return false;
        if (!known) {
            rf_ds_warn(ds, c->list, c->path, XML_GetCurrentLineNumber(c->xp),
                       "unknown nationality '%.*s' kept as text", (int)n, s);
            return rf_draft_add_property(ds, d, "nationality", s, n);
        }
        return true;
    }
    if (!strcmp(c->values_of, "TITLE"))
        return *d->e.title ? rf_draft_add_property(ds, d, "title", s, n)
                           : (d->e.title = rf_ds_str(ds, s, n)) != NULL;
    if (!strcmp(c->values_of, "DESIGNATION")) return rf_draft_add_property(ds, d, "position", s, n);
    if (!strcmp(c->values_of, "LAST_DAY_UPDATED"))
        return rf_draft_add_property(ds, d, "last_updated", s, n);
    return true; /* LIST_TYPE: always "UN List" */
}

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **attrs) {
    un_ctx *c = data;
    c->depth++;
    rf_buf_reset(&c->text);
    if (c->oom) return;
    if (c->depth == 1) {
        for (int i = 0; attrs[i]; i += 2)
            if (!strcmp(attrs[i], "dateGenerated") && strlen(attrs[i + 1]) >= 10) {
                char date[11];
                memcpy(date, attrs[i + 1], 10);
                date[10] = '\0';
                rf_date d;
                if (rf_date_parse_iso(date, 10, &d)) {
                    const char *s = rf_ds_str(c->ds, date, 10);
                    if (!s)
                        c->oom = true;
                    else
                        c->ds->lists.v[c->list].info.published = s;
                }
            }
        return;
    }
    if (!c->d) {
        if (!strcmp(name, "INDIVIDUAL"))
            begin_record(c, RF_SCHEMA_PERSON);
        else if (!strcmp(name, "ENTITY"))
            begin_record(c, RF_SCHEMA_ORGANIZATION);
        c->schema = c->d ? c->d->e.schema : RF_SCHEMA_UNKNOWN;
        return;
    }
    if (c->sub != SUB_NONE) return;
    if (!strcmp(name, "INDIVIDUAL_ALIAS") || !strcmp(name, "ENTITY_ALIAS"))
        begin_sub(c, SUB_ALIAS);
    else if (!strcmp(name, "INDIVIDUAL_ADDRESS") || !strcmp(name, "ENTITY_ADDRESS"))
        begin_sub(c, SUB_ADDRESS);
    else if (!strcmp(name, "INDIVIDUAL_DATE_OF_BIRTH"))
        begin_sub(c, SUB_DOB);
    else if (!strcmp(name, "INDIVIDUAL_PLACE_OF_BIRTH"))
        begin_sub(c, SUB_POB);
    else if (!strcmp(name, "INDIVIDUAL_DOCUMENT"))
        begin_sub(c, SUB_DOC);
    else if (!strcmp(name, "NATIONALITY") || !strcmp(name, "TITLE") ||
             !strcmp(name, "DESIGNATION") || !strcmp(name, "LIST_TYPE") ||
             !strcmp(name, "LAST_DAY_UPDATED")) {
        begin_sub(c, SUB_VALUES);
        snprintf(c->values_of, sizeof c->values_of, "%s", name);
    }
}

static void XMLCALL on_end(void *data, const XML_Char *name) {
    un_ctx *c = data;
    c->depth--;
    if (c->oom || !c->d) return;
    rf_draft *d = c->d;
    bool ok = true;
    const char *txt = rf_buf_str(&c->text);
    size_t tn = c->text.len;
    if (!strcmp(name, "INDIVIDUAL") || !strcmp(name, "ENTITY")) {
        end_record(c);
        return;
    }
    if (c->sub != SUB_NONE) {
        switch (c->sub) {
        case SUB_ALIAS:
            if (!strcmp(name, "INDIVIDUAL_ALIAS") || !strcmp(name, "ENTITY_ALIAS")) {
                ok = end_alias(c);
                c->sub = SUB_NONE;
            }
            break;
        case SUB_ADDRESS:
            if (!strcmp(name, "INDIVIDUAL_ADDRESS") || !strcmp(name, "ENTITY_ADDRESS")) {
                ok = end_address(c);
                c->sub = SUB_NONE;
            }
            break;
        case SUB_DOB:
            if (!strcmp(name, "INDIVIDUAL_DATE_OF_BIRTH")) {
                ok = end_dob(c);
                c->sub = SUB_NONE;
            }
            break;
        case SUB_POB:
            if (!strcmp(name, "INDIVIDUAL_PLACE_OF_BIRTH")) {
                ok = end_pob(c);
                c->sub = SUB_NONE;
            }
            break;
        case SUB_DOC:
            if (!strcmp(name, "INDIVIDUAL_DOCUMENT")) {
                ok = end_doc(c);
                c->sub = SUB_NONE;
            }
            break;
        case SUB_VALUES:
            if (!strcmp(name, "VALUE"))
                ok = record_value(c, txt, tn);
            else if (!strcmp(name, c->values_of))
                c->sub = SUB_NONE;
            break;
        case SUB_NONE:
            break;
        }
        if (c->sub != SUB_NONE && c->sub != SUB_VALUES)
            for (int i = 0; i < F_COUNT; i++)
                if (!strcmp(name, field_tags[i])) {
                    rf_buf_reset(&c->f[i]);
                    ok = ok && rf_buf_append(&c->f[i], txt, tn);
                }
        if (!ok) c->oom = true;
        return;
    }
    static const char *const name_tags[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                            "FOURTH_NAME"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, name_tags[i])) {
            rf_buf_reset(&c->names[i]);
            ok = rf_buf_append(&c->names[i], txt, tn);
        }
    if (!strcmp(name, "DATAID")) {
        rf_buf_reset(&c->dataid);
        ok = rf_buf_append(&c->dataid, txt, tn);
    } else if (!strcmp(name, "NAME_ORIGINAL_SCRIPT")) {
        rf_buf_reset(&c->original);
        ok = rf_buf_append(&c->original, txt, tn);
    } else if (!strcmp(name, "UN_LIST_TYPE")) {
        ok = rf_draft_add_program(c->ds, d, txt, tn);
    } else if (!strcmp(name, "REFERENCE_NUMBER")) {
        ok = rf_draft_add_property(c->ds, d, "un_reference", txt, tn);
    } else if (!strcmp(name, "LISTED_ON")) {
        ok = rf_draft_add_property(c->ds, d, "listed_on", txt, tn);
    } else if (!strcmp(name, "COMMENTS1")) {
        const char *s = txt;
        size_t n = tn;
        rf_trim(&s, &n);
        if (n && !(d->e.remarks = rf_ds_str(c->ds, s, n))) ok = false;
    } else if (!strcmp(name, "GENDER")) {
        if (rf_ieq(txt, tn, "male"))
            d->e.gender = "male";
        else if (rf_ieq(txt, tn, "female"))
            d->e.gender = "female";
    }
    if (!ok) c->oom = true;
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len) {
    un_ctx *c = data;
    if (c->d && !rf_buf_append(&c->text, s, (size_t)len)) c->oom = true;
}

static rf_status parse_un(rf_dataset *ds, size_t list, const char *path, const char *data,
                          size_t len, rf_error *err) {
    un_ctx c;
    memset(&c, 0, sizeof c);
    c.ds = ds;
    c.list = list;
    c.path = path;
    rf_buf_init(&c.text);
    rf_buf_init(&c.dataid);
    rf_buf_init(&c.original);
    for (int i = 0; i < 4; i++)
        rf_buf_init(&c.names[i]);
    for (int i = 0; i < F_COUNT; i++)
        rf_buf_init(&c.f[i]);
    rf_status st = RF_OK;
    c.xp = XML_ParserCreate("UTF-8");
    if (!c.xp) return rf_fail(err, RF_E_NOMEM, path, 0, "out of memory");
    XML_SetUserData(c.xp, &c);
    XML_SetElementHandler(c.xp, on_start, on_end);
    XML_SetCharacterDataHandler(c.xp, on_text);
    /* feed in pieces: XML_Parse takes an int length */
    size_t pos = 0;
    do {
        size_t chunk = len - pos > (1u << 20) ? (1u << 20) : len - pos;
        bool final = pos + chunk == len;
        if (XML_Parse(c.xp, data + pos, (int)chunk, final) == XML_STATUS_ERROR) {
            st = rf_fail(err, RF_E_PARSE, path, (long)XML_GetCurrentLineNumber(c.xp),
                         "not well-formed XML: %s", XML_ErrorString(XML_GetErrorCode(c.xp)));
            break;
        }
        pos += chunk;
    } while (pos < len && !c.oom);
    if (c.d) rf_ds_discard_draft(c.d);
    XML_ParserFree(c.xp);
    rf_buf_free(&c.text);
    rf_buf_free(&c.dataid);
    rf_buf_free(&c.original);
    for (int i = 0; i < 4; i++)
        rf_buf_free(&c.names[i]);
    for (int i = 0; i < F_COUNT; i++)
        rf_buf_free(&c.f[i]);
    if (c.oom) return rf_fail(err, RF_E_NOMEM, path, 0, "out of memory");
    if (st == RF_OK && c.records == 0)
        return rf_fail(err, RF_E_PARSE, path, 0,
                       "no INDIVIDUAL or ENTITY records; is this the UN consolidated list?");
    return st;
}

rf_status rf_dataset_add_un_xml(rf_dataset *ds, const char *list_id, const char *title,
                                const char *path, rf_error *err) {
    size_t list;
    rf_status st = rf_ds_begin_list(ds, list_id, title, "un_xml", &list, err);
    if (st != RF_OK) return st;
    char *data;
    size_t len;
    st = rf_file_read(path, &data, &len, err);
    if (st != RF_OK) return st;
    st = rf_ds_add_file(ds, list, "xml", path, data, len, err);
    if (st == RF_OK) st = parse_un(ds, list, path, data, len, err);
    rf_free(data);
    return st;
}
