/* OpenSanctions FollowTheMoney entities, one JSON object a line: the format
 * that carries the EU, UK and 300+ other sources. Things (Person, Company,
 * Organization, LegalEntity, Vessel, Airplane) become entities; the other
 * schemata attach to them by id: Sanction (programs), Address, Passport and
 * Identification (documents), CryptoWallet (wallets), and relations
 * (Ownership, Directorship, Family, Associate, UnknownLink...) as links.
 * Those may come before or after the thing they name, so the file is read
 * in two passes: things first, the rest attached after. */
#include "lists/dataset_int.h"
#include "lists/dates.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/file.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The schemata that are entities of their own, and how they are matched. */
static bool thing_schema(const char *s, rf_schema *out) {
    static const struct {
        const char *name;
        rf_schema schema;
    } map[] = {
        {"Person", RF_SCHEMA_PERSON},
        {"Company", RF_SCHEMA_ORGANIZATION},
        {"Organization", RF_SCHEMA_ORGANIZATION},
        {"LegalEntity", RF_SCHEMA_ORGANIZATION},
        {"PublicBody", RF_SCHEMA_ORGANIZATION},
        {"Vessel", RF_SCHEMA_VESSEL},
        {"Airplane", RF_SCHEMA_AIRCRAFT},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(s, map[i].name)) {
            *out = map[i].schema;
            return true;
        }
    return false;
}

/* Relations: the property naming each side and how each side calls the
 * other ("asset" is owned by "owner"). */
typedef struct relation {
    const char *schema, *from, *to, *from_says, *to_says;
} relation;

static const relation relations[] = {
    {"Ownership", "owner", "asset", "owns", "owned_by"},
    {"Directorship", "director", "organization", "director_of", "has_director"},
    {"Family", "person", "relative", "family", "family"},
    {"Associate", "person", "associate", "associate", "associate"},
    {"UnknownLink", "subject", "object", "linked_to", "linked_to"},
    {"Membership", "member", "organization", "member_of", "has_member"},
    {"Employment", "employee", "employer", "employee_of", "employer_of"},
    {"Representation", "agent", "client", "agent_of", "represented_by"},
    {"Succession", "predecessor", "successor", "succeeded_by", "successor_of"},
};

/* Identifier properties of a thing and the kind they are. */
static const struct {
    const char *prop, *type;
} id_props[] = {
    {"idNumber", "national_id"},
    {"passportNumber", "passport"},
    {"taxNumber", "tax_id"},
    {"innCode", "tax_id"},
    {"registrationNumber", "registration"},
    {"ogrnCode", "registration"},
    {"leiCode", "lei"},
    {"swiftBic", "swift_bic"},
    {"imoNumber", "imo"},
    {"mmsi", "mmsi"},
    {"callSign", "call_sign"},
    {"icaoCode", "icao"},
    {"serialNumber", "serial_number"},
    {"vatCode", "vat"},
    {"okpoCode", "registration"},
    {"uniqueEntityId", "registration"},
};

typedef struct ctx {
    rf_dataset *ds;
    size_t list;
    const char *path;
    rf_strmap things; /* FtM id -> index in drafts */
    RF_VEC(rf_draft *) drafts;
    RF_VEC(json_t *) rest; /* the other schemata, for the second pass */
    rf_strmap addresses;   /* Address id -> index in addr */
    RF_VEC(rf_address) addr;
    rf_arena keys;
    bool oom;
} ctx;

static size_t values(json_t *props, const char *key, json_t **arr) {
    *arr = json_object_get(props, key);
    return json_is_array(*arr) ? json_array_size(*arr) : 0;
}

static const char *value(json_t *arr, size_t i, size_t *n) {
    json_t *v = json_array_get(arr, i);
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    *n = s ? json_string_length(v) : 0;
    return s;
}

static const char *first(json_t *props, const char *key) {
    json_t *a;
    size_t n;
    return values(props, key, &a) ? value(a, 0, &n) : NULL;
}

static void names(ctx *c, rf_draft *d, json_t *props, const char *key, rf_name_kind kind,
                  bool weak) {
    json_t *a;
    size_t n, cnt = values(props, key, &a);
    for (size_t i = 0; i < cnt && !c->oom; i++) {
        const char *s = value(a, i, &n);
        if (s && !rf_draft_add_name(c->ds, d, s, n, kind, weak)) c->oom = true;
    }
}

static void dates(ctx *c, rf_draft *d, json_t *props, const char *key, bool birth, long line) {
    json_t *a;
    size_t n, cnt = values(props, key, &a);
    for (size_t i = 0; i < cnt && !c->oom; i++) {
        const char *s = value(a, i, &n);
        rf_date dt;
        if (!s) continue;
        if (!rf_date_parse_iso(s, n > 10 ? 10 : n, &dt)) {
            rf_ds_warn(c->ds, c->list, c->path, line, "%s: not a date: '%.*s'", key, (int)n, s);
            continue;
        }
        rf_date_range r = {dt, dt, false};
        if (!(birth ? rf_draft_add_birth_date(d, &r) : rf_draft_add_incorporation_date(d, &r)))
            c->oom = true;
    }
}

static void countries(ctx *c, rf_draft *d, json_t *props, const char *key, bool citizenship,
                      long line) {
    json_t *a;
    size_t n, cnt = values(props, key, &a);
    for (size_t i = 0; i < cnt && !c->oom; i++) {
        const char *s = value(a, i, &n);
        bool known = true;
        if (!s) continue;
        bool ok = citizenship ? rf_draft_add_citizenship(c->ds, d, s, n, &known)
                              : rf_draft_add_nationality(c->ds, d, s, n, &known);
        if (!ok) c->oom = true;
        if (!known)
            rf_ds_warn(c->ds, c->list, c->path, line, "%s: unknown country '%.*s'", key, (int)n, s);
    }
}

static void strings(ctx *c, rf_draft *d, json_t *props, const char *key,
                    bool (*add)(rf_dataset *, rf_draft *, const char *, size_t)) {
    json_t *a;
    size_t n, cnt = values(props, key, &a);
    for (size_t i = 0; i < cnt && !c->oom; i++) {
        const char *s = value(a, i, &n);
        if (s && !add(c->ds, d, s, n)) c->oom = true;
    }
}

/* An ISO code as the entity model keeps it ("ru" -> "RU"), in the
 * dataset's arena; "" when s is not a two-letter code. */
static const char *iso2(ctx *c, const char *s) {
    if (!s || strlen(s) != 2) return "";
    char cc[3] = {(char)(s[0] & ~0x20), (char)(s[1] & ~0x20), 0};
    const char *r = rf_ds_str(c->ds, cc, 2);
    if (!r) c->oom = true;
    return r ? r : "";
}

static void identifier(ctx *c, rf_draft *d, const char *type, const char *label, const char *number,
                       const char *country) {
    rf_identifier id = {type, label, number, iso2(c, country), ""};
    if (number && *number && !rf_draft_add_identifier(c->ds, d, &id)) c->oom = true;
}

/* A thing: its own properties. */
static void add_thing(ctx *c, json_t *o, const char *id, rf_schema schema, long line) {
    bool dup = false;
    rf_draft *d = rf_ds_new_draft(c->ds, c->list, id, strlen(id), &dup);
    if (!d) {
        c->oom = true;
        return;
    }
    if (dup) {
        rf_ds_warn(c->ds, c->list, c->path, line, "id %s: seen before; kept the first", id);
        return;
    }
    d->line = line;
    d->e.schema = schema;
    /* OpenSanctions exports the parties related to its targets too */
    if (json_is_false(json_object_get(o, "target"))) d->e.listing = RF_LISTING_RELATED;
    json_t *p = json_object_get(o, "properties");
    /* the caption is the name OpenSanctions shows: primary when it is one */
    const char *caption = json_string_value(json_object_get(o, "caption"));
    json_t *nm;
    bool caption_is_name = false;
    for (size_t i = 0, cnt = values(p, "name", &nm); caption && i < cnt; i++) {
        size_t n;
        const char *s = value(nm, i, &n);
        caption_is_name |= s && !strcmp(s, caption);
    }
    if (caption_is_name &&
        !rf_draft_add_name(c->ds, d, caption, strlen(caption), RF_NAME_PRIMARY, false))
        c->oom = true;
    names(c, d, p, "name", caption_is_name ? RF_NAME_AKA : RF_NAME_PRIMARY, false);
    names(c, d, p, "alias", RF_NAME_AKA, false);
    names(c, d, p, "abbreviation", RF_NAME_AKA, false);
    names(c, d, p, "previousName", RF_NAME_FKA, false);
    names(c, d, p, "weakAlias", RF_NAME_AKA, true);
    dates(c, d, p, "birthDate", true, line);
    dates(c, d, p, "incorporationDate", false, line);
    countries(c, d, p, "nationality", false, line);
    countries(c, d, p, "citizenship", true, line);
    if (schema != RF_SCHEMA_PERSON) countries(c, d, p, "jurisdiction", false, line);
    strings(c, d, p, "birthPlace", rf_draft_add_birth_place);
    json_t *tp;
    for (size_t i = 0, cnt = values(p, "topics", &tp); i < cnt && !c->oom; i++) {
        size_t n;
        const char *s = value(tp, i, &n); /* "sanction", "role.pep", "crime" */
        if (s && !rf_draft_add_property(c->ds, d, "topic", s, n)) c->oom = true;
    }
    strings(c, d, p, "email", rf_draft_add_email);
    strings(c, d, p, "website", rf_draft_add_website);
    strings(c, d, p, "phone", rf_draft_add_phone);
    const char *gender = first(p, "gender");
    if (gender && !strcmp(gender, "male")) d->e.gender = "male";
    if (gender && !strcmp(gender, "female")) d->e.gender = "female";
    const char *country = first(p, "country");
    for (size_t k = 0; k < sizeof id_props / sizeof id_props[0] && !c->oom; k++) {
        json_t *a;
        size_t n, cnt = values(p, id_props[k].prop, &a);
        for (size_t i = 0; i < cnt; i++) {
            const char *s = value(a, i, &n);
            identifier(c, d, id_props[k].type, id_props[k].prop, s, country);
        }
    }
    /* plain addresses now; address entities once all are read */
    json_t *ad;
    for (size_t i = 0, cnt = values(p, "address", &ad); i < cnt && !c->oom; i++) {
        size_t n;
        const char *s = value(ad, i, &n);
        rf_address a = {s, "", "", "", ""};
        if (s && !rf_draft_add_address(c->ds, d, &a)) c->oom = true;
    }
    const char *k = rf_arena_strndup(&c->keys, id, strlen(id));
    bool ok;
    RF_VEC_PUSH(c->drafts, d, ok);
    if (!k || !ok ||
        !rf_strmap_put(&c->things, k, strlen(k), (uint32_t)(c->drafts.n - 1), NULL, NULL))
        c->oom = true;
}

static rf_draft *thing(ctx *c, const char *id) {
    uint32_t i;
    return id && rf_strmap_get(&c->things, id, strlen(id), &i) ? c->drafts.v[i] : NULL;
}

static const char *caption_of(const rf_draft *d) {
    return d->names.n ? d->names.v[0].text : "";
}

/* Second pass: what attaches to things. */
static void attach(ctx *c, json_t *o, long line) {
    const char *schema = json_string_value(json_object_get(o, "schema"));
    json_t *p = json_object_get(o, "properties");
    if (!strcmp(schema, "Sanction")) {
        rf_draft *d = thing(c, first(p, "entity"));
        if (!d) return;
        const char *prog = first(p, "programId");
        if (!prog) prog = first(p, "program");
        if (!prog) prog = first(p, "authority");
        if (prog && !rf_draft_add_program(c->ds, d, prog, strlen(prog))) c->oom = true;
        return;
    }
    if (!strcmp(schema, "Passport") || !strcmp(schema, "Identification")) {
        rf_draft *d = thing(c, first(p, "holder"));
        const char *type = !strcmp(schema, "Passport") ? "passport" : first(p, "type");
        if (d)
            identifier(c, d, type ? type : "national_id", schema, first(p, "number"),
                       first(p, "country"));
        return;
    }
    if (!strcmp(schema, "CryptoWallet")) {
        rf_draft *d = thing(c, first(p, "holder"));
        const char *addr = first(p, "publicKey");
        if (!addr) addr = first(p, "address");
        const char *cur = first(p, "currency");
        if (d && addr &&
            !rf_draft_add_wallet(c->ds, d, cur ? cur : "", cur ? strlen(cur) : 0, addr,
                                 strlen(addr)))
            c->oom = true;
        return;
    }
    for (size_t r = 0; r < sizeof relations / sizeof relations[0]; r++) {
        const relation *rel = &relations[r];
        if (strcmp(schema, rel->schema) != 0) continue;
        rf_draft *a = thing(c, first(p, rel->from)), *b = thing(c, first(p, rel->to));
        /* an ownership keeps its percentage ("51", "51.5") */
        const char *pct = !strcmp(schema, "Ownership") ? first(p, "percentage") : NULL;
        char *end;
        double share = pct ? strtod(pct, &end) : -1;
        if (pct && (end == pct || share < 0 || share > 100)) share = -1;
        if (a && b) {
            const char *na = caption_of(a), *nb = caption_of(b);
            if (!rf_draft_add_link_to(c->ds, a, rel->from_says, nb, strlen(nb), b->e.id, share) ||
                !rf_draft_add_link_to(c->ds, b, rel->to_says, na, strlen(na), a->e.id, share))
                c->oom = true;
        }
        return;
    }
    (void)line;
}

/* An Address entity, kept for the things that name it. */
static void add_address(ctx *c, json_t *o, const char *id) {
    json_t *p = json_object_get(o, "properties");
    const char *full = first(p, "full"), *street = first(p, "street"), *city = first(p, "city"),
               *country = first(p, "country");
    rf_address a = {rf_ds_cstr(c->ds, full     ? full
                                      : street ? street
                                               : ""),
                    rf_ds_cstr(c->ds, city ? city : ""), iso2(c, country),
                    rf_ds_cstr(c->ds, country), ""};
    const char *k = rf_arena_strndup(&c->keys, id, strlen(id));
    bool ok;
    RF_VEC_PUSH(c->addr, a, ok);
    if (!k || !ok || !a.street || !a.city || !a.country || !a.country_name ||
        !rf_strmap_put(&c->addresses, k, strlen(k), (uint32_t)(c->addr.n - 1), NULL, NULL))
        c->oom = true;
}

static rf_status parse(ctx *c, const char *data, size_t len, rf_error *err) {
    size_t at = 0;
    long line = 0;
    while (at < len && !c->oom) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - data) : len;
        line++;
        size_t n = end - at;
        const char *s = data + at;
        at = end + 1;
        if (n == 0 || (n == 1 && s[0] == '\r')) continue;
        json_error_t je;
        json_t *o = json_loadb(s, n, 0, &je);
        const char *id = o ? json_string_value(json_object_get(o, "id")) : NULL;
        const char *schema = o ? json_string_value(json_object_get(o, "schema")) : NULL;
        if (!o || !id || !schema || !json_is_object(json_object_get(o, "properties"))) {
            rf_ds_warn(c->ds, c->list, c->path, line,
                       o ? "needs \"id\", \"schema\" and a \"properties\" object"
                         : "not a JSON object: %s",
                       o ? "" : je.text);
            json_decref(o);
            continue;
        }
        rf_schema sc;
        if (thing_schema(schema, &sc)) {
            add_thing(c, o, id, sc, line);
            json_decref(o);
        } else if (!strcmp(schema, "Address")) {
            add_address(c, o, id);
            json_decref(o);
        } else {
            json_object_set_new(o, "_line", json_integer(line));
            bool ok;
            RF_VEC_PUSH(c->rest, o, ok);
            if (!ok) {
                json_decref(o);
                c->oom = true;
            }
        }
    }
    for (size_t i = 0; i < c->rest.n && !c->oom; i++)
        attach(c, c->rest.v[i], (long)json_integer_value(json_object_get(c->rest.v[i], "_line")));
    /* things that name address entities */
    (void)err;
    return c->oom ? rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory") : RF_OK;
}

static bool contains(const char *s, size_t n, const char *needle) {
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (s[i] == needle[0] && !memcmp(s + i, needle, k)) return true;
    return false;
}

/* Address entities named by things (addressEntity), now all are read. */
static rf_status resolve_addresses(ctx *c, const char *data, size_t len, rf_error *err) {
    size_t at = 0;
    while (at < len && !c->oom) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - data) : len;
        const char *s = data + at;
        size_t n = end - at;
        at = end + 1;
        /* only lines that name an address entity are parsed again */
        if (!contains(s, n, "\"addressEntity\"")) continue;
        json_t *o = json_loadb(s, n, 0, NULL);
        rf_draft *d = o ? thing(c, json_string_value(json_object_get(o, "id"))) : NULL;
        json_t *a;
        size_t cnt = d ? values(json_object_get(o, "properties"), "addressEntity", &a) : 0;
        for (size_t i = 0; i < cnt && !c->oom; i++) {
            size_t k;
            const char *ref = value(a, i, &k);
            uint32_t idx;
            if (ref && rf_strmap_get(&c->addresses, ref, k, &idx) &&
                !rf_draft_add_address(c->ds, d, &c->addr.v[idx]))
                c->oom = true;
        }
        json_decref(o);
    }
    return c->oom ? rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory") : RF_OK;
}

rf_status rf_dataset_add_ftm(rf_dataset *ds, const char *list_id, const char *title,
                             const char *path, rf_error *err) {
    size_t list;
    rf_status st = rf_ds_begin_list(ds, list_id, title, "ftm_json", &list, err);
    if (st != RF_OK) return st;
    char *data;
    size_t len;
    st = rf_file_read(path, &data, &len, err);
    if (st != RF_OK) return st;
    st = rf_ds_add_file(ds, list, "json", path, data, len, err);
    ctx c;
    memset(&c, 0, sizeof c);
    c.ds = ds;
    c.list = list;
    c.path = path;
    rf_strmap_init(&c.things);
    rf_strmap_init(&c.addresses);
    rf_arena_init(&c.keys);
    if (st == RF_OK) st = parse(&c, data, len, err);
    if (st == RF_OK) st = resolve_addresses(&c, data, len, err);
    for (size_t i = 0; i < c.rest.n; i++)
        json_decref(c.rest.v[i]);
    RF_VEC_FREE(c.rest);
    RF_VEC_FREE(c.drafts);
    RF_VEC_FREE(c.addr);
    rf_strmap_free(&c.things);
    rf_strmap_free(&c.addresses);
    rf_arena_free(&c.keys);
    rf_free(data);
    return st;
}
