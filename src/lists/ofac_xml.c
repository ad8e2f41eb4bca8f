/* OFAC's Enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML), plain or in
 * the ZIP OFAC publishes. Names come with their translations (scripts) and
 * alias types; features (birth dates, places, nationalities, wallets,
 * websites, directives...) and identity documents are the same labelled
 * facts the CSV prints in its remarks, so they are written as remark parts
 * ("DOB 1962", "Registration ID 1027700159497 (Russia)") and read by the
 * one remarks parser: both formats give the same entity. */
#include "lists/dataset_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"

#include <expat.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define MAX_DEPTH 16
#define NAME_LEN  40

/* A name of the entity being read, kept until its end (primary first). */
typedef struct pending_name {
    const char *text;
    rf_name_kind kind;
    bool weak;
} pending_name;

typedef struct ox {
    rf_dataset *ds;
    size_t list;
    const char *path;
    XML_Parser p;
    char stack[MAX_DEPTH][NAME_LEN];
    int depth;
    rf_buf text; /* character data of the current element */
    rf_draft *d; /* the entity being read, NULL outside one */
    rf_buf remarks;
    RF_VEC(pending_name) names;
    /* the current name and translation */
    bool name_primary, name_weak, tr_primary, tr_latin;
    rf_name_kind alias_kind;
    rf_buf full_name;
    /* the current address, feature, document, relationship */
    rf_buf street, city, state, postal, country, type, value, number;
    bool oom;
    rf_status st;
    rf_error *err;
} ox;

/* Whether the element up levels above the current one is name. Elements
 * deeper than MAX_DEPTH are not kept (none the parser reads is so deep):
 * they never match. */
static bool is(const ox *c, int up, const char *name) {
    int i = c->depth - 1 - up;
    return i >= 0 && i < MAX_DEPTH && !strcmp(c->stack[i], name);
}

static void set(rf_buf *b, const rf_buf *from) {
    rf_buf_reset(b);
    if (from->len && !rf_buf_append(b, from->data, from->len)) b->len = 0;
}

static bool append_part(rf_buf *b, const char *sep, const rf_buf *v) {
    if (!v->len) return true;
    if (b->len && !rf_buf_append(b, sep, strlen(sep))) return false;
    return rf_buf_append(b, v->data, v->len);
}

/* A remark part "label value" ("; " between parts; a ';' in a value would
 * split it, so it becomes ','). */
static void remark(ox *c, const char *label, size_t ln, const char *v, size_t vn,
                   const char *tail) {
    if (!vn) return;
    bool ok = (!c->remarks.len || rf_buf_append(&c->remarks, "; ", 2)) &&
              rf_buf_append(&c->remarks, label, ln) && rf_buf_putc(&c->remarks, ' ');
    for (size_t i = 0; ok && i < vn; i++)
        ok = rf_buf_putc(&c->remarks, v[i] == ';' ? ',' : v[i]);
    if (ok && tail && *tail) ok = rf_buf_append(&c->remarks, tail, strlen(tail));
    if (!ok) c->oom = true;
}

/* Feature types whose CSV label differs from the XML's name. */
static const char *csv_label(const char *type) {
    static const char *const map[][2] = {
        {"Birthdate", "DOB"},
        {"Place of Birth", "POB"},
        {"Nationality Country", "nationality"},
        {"Citizenship Country", "citizen"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(type, map[i][0])) return map[i][1];
    return type;
}

static void XMLCALL on_start(void *ud, const char *el, const char **attr) {
    ox *c = ud;
    if (c->depth < MAX_DEPTH) {
        snprintf(c->stack[c->depth], NAME_LEN, "%s", el);
    }
    c->depth++;
    rf_buf_reset(&c->text);
    if (c->oom || c->st != RF_OK) return;
    if (!strcmp(el, "entity") && is(c, 1, "entities")) {
        const char *id = NULL;
        for (int i = 0; attr[i]; i += 2)
            if (!strcmp(attr[i], "id")) id = attr[i + 1];
        long line = (long)XML_GetCurrentLineNumber(c->p);
        if (!id || !*id) {
            rf_ds_warn(c->ds, c->list, c->path, line, "entity without an id: skipped");
            return;
        }
        bool dup = false;
        c->d = rf_ds_new_draft(c->ds, c->list, id, strlen(id), &dup);
        if (!c->d) {
            c->oom = true;
            return;
        }
        if (dup) {
            rf_ds_warn(c->ds, c->list, c->path, line, "entity %s: seen before; kept the first", id);
            c->d = NULL;
            return;
        }
        c->d->line = line;
        c->d->e.schema = RF_SCHEMA_ORGANIZATION;
        rf_buf_reset(&c->remarks);
        c->names.n = 0;
    } else if (!c->d) {
        return;
    } else if (!strcmp(el, "name") && is(c, 1, "names")) {
        c->name_primary = c->name_weak = false;
        c->alias_kind = RF_NAME_AKA;
    } else if (!strcmp(el, "translation") && (is(c, 2, "name") || is(c, 2, "address"))) {
        c->tr_primary = c->tr_latin = false;
        rf_buf_reset(&c->full_name);
    } else if (!strcmp(el, "address") && is(c, 1, "addresses")) {
        rf_buf_reset(&c->street);
        rf_buf_reset(&c->city);
        rf_buf_reset(&c->state);
        rf_buf_reset(&c->postal);
        rf_buf_reset(&c->country);
    } else if (!strcmp(el, "feature") || !strcmp(el, "identityDocument") ||
               !strcmp(el, "relationship")) {
        rf_buf_reset(&c->type);
        rf_buf_reset(&c->value);
        rf_buf_reset(&c->number);
        rf_buf_reset(&c->country);
    }
}

static void XMLCALL on_text(void *ud, const char *s, int n) {
    ox *c = ud;
    if (!rf_buf_append(&c->text, s, (size_t)n)) c->oom = true;
}

static bool text_is(const ox *c, const char *s) {
    return c->text.len == strlen(s) && (!c->text.len || !memcmp(c->text.data, s, c->text.len));
}

static void end_entity(ox *c) {
    rf_draft *d = c->d;
    /* the primary name first */
    for (int pass = 0; pass < 2 && !c->oom; pass++)
        for (size_t i = 0; i < c->names.n && !c->oom; i++) {
            const pending_name *n = &c->names.v[i];
            if ((n->kind == RF_NAME_PRIMARY) != (pass == 0)) continue;
            if (!rf_draft_add_name(c->ds, d, n->text, strlen(n->text), n->kind, n->weak))
                c->oom = true;
        }
    if (!c->oom && c->remarks.len &&
        !rf_ofac_parse_remarks(c->ds, d, c->remarks.data, c->remarks.len, c->path, d->line))
        c->oom = true;
    c->d = NULL;
}

static void XMLCALL on_end(void *ud, const char *el) {
    ox *c = ud;
    c->depth--;
    if (c->oom || c->st != RF_OK) return;
    rf_buf *t = &c->text;
    if (!strcmp(el, "dataAsOf") && is(c, 0, "publicationInfo")) {
        if (t->len >= 10) {
            char date[11];
            memcpy(date, t->data, 10);
            date[10] = '\0';
            c->st = rf_dataset_set_published(c->ds, c->ds->lists.v[c->list].info.id, date, c->err);
        }
        return;
    }
    if (!c->d) return;
    rf_draft *d = c->d;
    if (!strcmp(el, "entity")) {
        end_entity(c);
    } else if (!strcmp(el, "entityType") && is(c, 0, "generalInfo")) {
        if (text_is(c, "Individual")) d->e.schema = RF_SCHEMA_PERSON;
        if (text_is(c, "Vessel")) d->e.schema = RF_SCHEMA_VESSEL;
        if (text_is(c, "Aircraft")) d->e.schema = RF_SCHEMA_AIRCRAFT;
    } else if (!strcmp(el, "sanctionsProgram")) {
        if (!rf_draft_add_program(c->ds, d, rf_buf_str(t), t->len)) c->oom = true;
    } else if (!strcmp(el, "isPrimary") && is(c, 0, "name")) {
        c->name_primary = text_is(c, "true");
    } else if (!strcmp(el, "isLowQuality") && is(c, 0, "name")) {
        c->name_weak = text_is(c, "true");
    } else if (!strcmp(el, "aliasType") && is(c, 0, "name")) {
        c->alias_kind = text_is(c, "F.K.A.")   ? RF_NAME_FKA
                        : text_is(c, "N.K.A.") ? RF_NAME_NKA
                        : text_is(c, "D.B.A.") ? RF_NAME_DBA
                                               : RF_NAME_AKA;
    } else if (!strcmp(el, "isPrimary") && is(c, 0, "translation")) {
        c->tr_primary = text_is(c, "true");
    } else if (!strcmp(el, "script") && is(c, 0, "translation")) {
        c->tr_latin = text_is(c, "Latin");
    } else if (!strcmp(el, "formattedFullName")) {
        set(&c->full_name, t);
    } else if (!strcmp(el, "translation") && is(c, 1, "name") && c->full_name.len) {
        pending_name n = {rf_ds_str(c->ds, c->full_name.data, c->full_name.len),
                          !c->tr_latin                       ? RF_NAME_ORIGINAL
                          : c->name_primary && c->tr_primary ? RF_NAME_PRIMARY
                                                             : c->alias_kind,
                          c->name_weak};
        bool ok = n.text != NULL;
        if (ok) RF_VEC_PUSH(c->names, n, ok);
        if (!ok) c->oom = true;
    } else if (!strcmp(el, "country") && is(c, 0, "address")) {
        set(&c->country, t);
    } else if (!strcmp(el, "type") && is(c, 0, "addressPart")) {
        set(&c->type, t);
    } else if (!strcmp(el, "value") && is(c, 0, "addressPart") && c->tr_latin) {
        /* the Latin translation only: the others repeat the address */
        const char *ty = rf_buf_str(&c->type);
        if (!strcmp(ty, "REGION") && !c->country.len) {
            /* a territory without a country: the CSV writes "Region: Gaza" */
            if (!rf_buf_append(&c->country, "Region: ", 8) || !append_part(&c->country, "", t))
                c->oom = true;
            return;
        }
        rf_buf *to = !strcmp(ty, "CITY")             ? &c->city
                     : !strcmp(ty, "STATE/PROVINCE") ? &c->state
                     : !strcmp(ty, "POSTAL CODE")    ? &c->postal
                                                     : &c->street;
        if (!append_part(to, ", ", t)) c->oom = true;
    } else if (!strcmp(el, "address")) {
        /* "City, State Postal", as the CSV writes it */
        if (!append_part(&c->city, ", ", &c->state) || !append_part(&c->city, " ", &c->postal))
            c->oom = true;
        const char *cc =
            c->country.len ? rf_ds_country(c->ds, c->country.data, c->country.len) : NULL;
        rf_address a = {rf_buf_str(&c->street), rf_buf_str(&c->city), cc ? cc : "",
                        rf_buf_str(&c->country), ""};
        if (!rf_draft_add_address(c->ds, d, &a)) c->oom = true;
    } else if (!strcmp(el, "type") &&
               (is(c, 0, "feature") || is(c, 0, "identityDocument") || is(c, 0, "relationship"))) {
        set(&c->type, t);
    } else if (!strcmp(el, "value") && is(c, 0, "feature")) {
        set(&c->value, t);
    } else if (!strcmp(el, "documentNumber")) {
        set(&c->number, t);
    } else if (!strcmp(el, "issuingCountry")) {
        set(&c->country, t);
    } else if (!strcmp(el, "relatedEntity")) {
        set(&c->value, t);
    } else if (!strcmp(el, "feature") && c->type.len) {
        const char *label = csv_label(rf_buf_str(&c->type));
        remark(c, label, strlen(label), c->value.data, c->value.len, NULL);
    } else if (!strcmp(el, "identityDocument") && c->type.len) {
        char tail[96] = "";
        if (c->country.len) snprintf(tail, sizeof tail, " (%s)", rf_buf_str(&c->country));
        remark(c, c->type.data, c->type.len, c->number.data, c->number.len, tail);
    } else if (!strcmp(el, "relationship")) {
        remark(c, "Linked To:", 10, c->value.data, c->value.len, NULL);
    }
}

static rf_status feed(ox *c, const char *data, size_t n, bool last) {
    if (XML_Parse(c->p, data, (int)n, last) == XML_STATUS_ERROR)
        return rf_fail(c->err, RF_E_PARSE, c->path, (long)XML_GetCurrentLineNumber(c->p),
                       "not valid XML: %s", XML_ErrorString(XML_GetErrorCode(c->p)));
    if (c->oom) return rf_fail(c->err, RF_E_NOMEM, NULL, 0, "out of memory");
    return c->st;
}

/* The XML inside OFAC's ZIP, streamed to the parser. */
static rf_status feed_zip(ox *c, const char *data, size_t len) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        rf_status st = rf_fail(c->err, RF_E_PARSE, c->path, 0, "not a readable ZIP file: %s",
                               zip_error_strerror(&ze));
        if (src) zip_source_free(src);
        zip_error_fini(&ze);
        return st;
    }
    zip_error_fini(&ze);
    zip_int64_t entry = -1;
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0) && entry < 0; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        size_t nl = name ? strlen(name) : 0;
        if (nl > 4 && !strcasecmp(name + nl - 4, ".xml")) entry = i;
    }
    rf_status st = RF_OK;
    zip_file_t *f = entry >= 0 ? zip_fopen_index(z, (zip_uint64_t)entry, 0) : NULL;
    if (!f)
        st = rf_fail(c->err, RF_E_PARSE, c->path, 0, "the ZIP file holds no readable .xml file");
    char buf[1 << 16];
    while (st == RF_OK && f) {
        zip_int64_t got = zip_fread(f, buf, sizeof buf);
        if (got < 0) {
            st = rf_fail(c->err, RF_E_PARSE, c->path, 0, "the ZIP file is damaged: %s",
                         zip_strerror(z));
            break;
        }
        st = feed(c, buf, (size_t)got, got == 0);
        if (got == 0) break;
    }
    if (f) zip_fclose(f);
    zip_discard(z);
    return st;
}

rf_status rf_dataset_add_ofac_xml(rf_dataset *ds, const char *list_id, const char *title,
                                  const char *path, rf_error *err) {
    size_t list;
    rf_status st = rf_ds_begin_list(ds, list_id, title, "ofac_xml", &list, err);
    if (st != RF_OK) return st;
    char *data;
    size_t len;
    st = rf_file_read(path, &data, &len, err);
    if (st != RF_OK) return st;
    st = rf_ds_add_file(ds, list, "xml", path, data, len, err);
    ox c;
    memset(&c, 0, sizeof c);
    c.ds = ds;
    c.list = list;
    c.path = path;
    c.err = err;
    rf_buf *bufs[] = {&c.text,   &c.remarks, &c.full_name, &c.street, &c.city,  &c.state,
                      &c.postal, &c.country, &c.type,      &c.value,  &c.number};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        rf_buf_init(bufs[i]);
    c.p = XML_ParserCreate("UTF-8");
    if (!c.p) st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    if (st == RF_OK) {
        XML_SetUserData(c.p, &c);
        XML_SetElementHandler(c.p, on_start, on_end);
        XML_SetCharacterDataHandler(c.p, on_text);
        bool zipped = len >= 4 && !memcmp(data, "PK\x03\x04", 4);
        st = zipped ? feed_zip(&c, data, len) : feed(&c, data, len, true);
    }
    if (c.p) XML_ParserFree(c.p);
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        rf_buf_free(bufs[i]);
    RF_VEC_FREE(c.names);
    rf_free(data);
    return st;
}
