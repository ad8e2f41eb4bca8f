/* Opening an index file: map it, check magic, version, size and checksum,
 * then rebuild the dataset and matcher around it. Large arrays (postings,
 * names, scan tables) are used in place from the mapping; what holds
 * pointers (entities, hash tables) is rebuilt in memory. Every offset and
 * index read from the file is checked against the section it points into:
 * a damaged or hostile file is refused, never trusted. */
#include "index/format.h"
#include "lists/dataset_int.h"
#include "match/knowledge_int.h"
#include "match/matcher_int.h"
#include "match/sigscan.h"
#include "redflag/index.h"
#include "util/alloc.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

struct rf_index {
    void *map;
    size_t size;
    long long built;
    rf_dataset *ds;
    rf_matcher *m;
};

typedef struct rd {
    const char *path;
    const unsigned char *base;
    const char *pool;
    size_t pool_size;
    const void *sec[SEC_COUNT];
    size_t size[SEC_COUNT];
    rf_error *err;
    rf_status st;
} rd;

static bool bad(rd *r, const char *what) {
    if (r->st == RF_OK)
        r->st = rf_fail(r->err, RF_E_PARSE, r->path, 0,
                        "damaged index (%s); rebuild it with `redflag index build`", what);
    return false;
}

/* Section s as an array of elem-byte records; *n gets their number. */
static const void *arr(rd *r, int s, size_t elem, size_t *n) {
    if (r->size[s] % elem) {
        bad(r, "a section's size is not a whole number of records");
        *n = 0;
        return NULL;
    }
    *n = r->size[s] / elem;
    return r->sec[s];
}

/* A string of the pool ("" for RF_NO_STR); NULL (and the error) when the
 * offset is outside the pool. */
static const char *S(rd *r, uint32_t off) {
    if (off == RF_NO_STR) return "";
    if (off >= r->pool_size) {
        bad(r, "a string offset is out of range");
        return NULL;
    }
    return r->pool + off;
}

/* A pooled string of len bytes at off ends in the pool with its NUL: the
 * readers use the length, so this bounds every access. */
static bool sized_str_ok(const rd *r, uint32_t off, size_t len) {
    return off < r->pool_size && len < r->pool_size - off && r->pool[off + len] == '\0';
}

/* Hash tables are used in place: nothing is copied or scanned at load;
 * lookups check the slots they read (keys in the pool, values below
 * limit). */
static bool load_map(rd *r, int s, rf_strmap *m, uint32_t limit) {
    size_t n;
    const rf_ix_slot *v = arr(r, s, sizeof *v, &n);
    rf_strmap_init(m);
    if (!v && n) return false;
    if (n == 0) return true;
    if (n & (n - 1)) return bad(r, "a hash table's size is not a power of two");
    rf_strmap_borrow(m, v, n, r->pool, r->pool_size, limit);
    return true;
}

static bool check_u32(rd *r, const uint32_t *v, size_t n, uint32_t limit, bool allow_none) {
    for (size_t i = 0; i < n; i++)
        if (v[i] >= limit && !(allow_none && v[i] == UINT32_MAX))
            return bad(r, "an index points outside its table");
    return true;
}

/* ---- dataset ---- */

static bool span_ok(rd *r, rf_ix_span sp, size_t n) {
    if (sp.off > n || sp.n > n - sp.off) return bad(r, "an entity's array is out of range");
    return true;
}

static const char *const *load_strs(rd *r, rf_dataset *ds, rf_ix_span sp) {
    size_t n;
    const uint32_t *v = arr(r, SEC_E_STRS, sizeof *v, &n);
    if (!span_ok(r, sp, n) || !sp.n) return NULL;
    const char **out = rf_arena_alloc(&ds->arena, sp.n * sizeof *out);
    if (!out) return NULL;
    for (uint32_t i = 0; i < sp.n; i++)
        if (!(out[i] = S(r, v[sp.off + i]))) return NULL;
    return out;
}

static const rf_date_range *load_dates(rd *r, rf_dataset *ds, rf_ix_span sp) {
    size_t n;
    const rf_ix_date *v = arr(r, SEC_E_DATES, sizeof *v, &n);
    if (!span_ok(r, sp, n) || !sp.n) return NULL;
    rf_date_range *out = rf_arena_alloc(&ds->arena, sp.n * sizeof *out);
    if (!out) return NULL;
    for (uint32_t i = 0; i < sp.n; i++) {
        const rf_ix_date *d = &v[sp.off + i];
        out[i] = (rf_date_range){{d->from_year, d->from_month, d->from_day},
                                 {d->to_year, d->to_month, d->to_day},
                                 d->circa != 0};
    }
    return out;
}

static bool load_entity(rd *r, rf_dataset *ds, const rf_ix_entity *x, rf_entity *e) {
    memset(e, 0, sizeof *e);
    if (!(e->id = S(r, x->id)) || !(e->list = S(r, x->list)) ||
        !(e->source_id = S(r, x->source_id)) || !(e->gender = S(r, x->gender)) ||
        !(e->title = S(r, x->title)) || !(e->remarks = S(r, x->remarks)))
        return false;
    if (x->schema >= RF_SCHEMA_COUNT) return bad(r, "an entity's schema is unknown");
    e->schema = (rf_schema)x->schema;
    if (x->listing > RF_LISTING_BLOCKED_50) return bad(r, "an entity's listing is unknown");
    e->listing = (rf_listing)x->listing;
    size_t n;
    const rf_ix_name *nv = arr(r, SEC_E_NAMES, sizeof *nv, &n);
    if (!span_ok(r, x->names, n) || x->names.n == 0) return bad(r, "an entity has no name");
    rf_name *names = rf_arena_alloc(&ds->arena, x->names.n * sizeof *names);
    if (!names) return false;
    for (uint32_t i = 0; i < x->names.n; i++) {
        const rf_ix_name *v = &nv[x->names.off + i];
        if (!(names[i].text = S(r, v->text))) return false;
        names[i].kind = (rf_name_kind)(v->kind <= RF_NAME_ORIGINAL ? v->kind : RF_NAME_AKA);
        names[i].weak = v->weak != 0;
    }
    e->names = names;
    e->n_names = x->names.n;
#define STRS(field)                                                                                \
    do {                                                                                           \
        e->field = load_strs(r, ds, x->field);                                                     \
        e->n_##field = e->field ? x->field.n : 0;                                                  \
        if (r->st != RF_OK) return false;                                                          \
    } while (0)
    STRS(programs);
    STRS(birth_places);
    STRS(nationalities);
    STRS(citizenships);
    STRS(emails);
    STRS(websites);
    STRS(phones);
#undef STRS
    e->birth_dates = load_dates(r, ds, x->birth_dates);
    e->n_birth_dates = e->birth_dates ? x->birth_dates.n : 0;
    e->incorporation_dates = load_dates(r, ds, x->incorporation_dates);
    e->n_incorporation_dates = e->incorporation_dates ? x->incorporation_dates.n : 0;
    const rf_ix_str5 *a5 = arr(r, SEC_E_ADDRS, sizeof *a5, &n);
    if (!span_ok(r, x->addresses, n)) return false;
    if (x->addresses.n) {
        rf_address *a = rf_arena_alloc(&ds->arena, x->addresses.n * sizeof *a);
        if (!a) return false;
        for (uint32_t i = 0; i < x->addresses.n; i++) {
            const uint32_t *s = a5[x->addresses.off + i].s;
            if (!(a[i].street = S(r, s[0])) || !(a[i].city = S(r, s[1])) ||
                !(a[i].country = S(r, s[2])) || !(a[i].country_name = S(r, s[3])) ||
                !(a[i].note = S(r, s[4])))
                return false;
        }
        e->addresses = a;
        e->n_addresses = x->addresses.n;
    }
    const rf_ix_str5 *i5 = arr(r, SEC_E_IDS, sizeof *i5, &n);
    if (!span_ok(r, x->identifiers, n)) return false;
    if (x->identifiers.n) {
        rf_identifier *d = rf_arena_alloc(&ds->arena, x->identifiers.n * sizeof *d);
        if (!d) return false;
        for (uint32_t i = 0; i < x->identifiers.n; i++) {
            const uint32_t *s = i5[x->identifiers.off + i].s;
            if (!(d[i].type = S(r, s[0])) || !(d[i].label = S(r, s[1])) ||
                !(d[i].number = S(r, s[2])) || !(d[i].country = S(r, s[3])) ||
                !(d[i].note = S(r, s[4])))
                return false;
        }
        e->identifiers = d;
        e->n_identifiers = x->identifiers.n;
    }
#define PAIRS(field, sec, type, a, b)                                                              \
    do {                                                                                           \
        const rf_ix_str2 *p2 = arr(r, sec, sizeof *p2, &n);                                        \
        if (!span_ok(r, x->field, n)) return false;                                                \
        if (!x->field.n) break;                                                                    \
        type *o = rf_arena_alloc(&ds->arena, x->field.n * sizeof *o);                              \
        if (!o) return false;                                                                      \
        for (uint32_t i = 0; i < x->field.n; i++)                                                  \
            if (!(o[i].a = S(r, p2[x->field.off + i].s[0])) ||                                     \
                !(o[i].b = S(r, p2[x->field.off + i].s[1])))                                       \
                return false;                                                                      \
        e->field = o;                                                                              \
        e->n_##field = x->field.n;                                                                 \
    } while (0)
    PAIRS(wallets, SEC_E_WALLETS, rf_wallet, currency, address);
    PAIRS(properties, SEC_E_PROPS, rf_property, key, value);
#undef PAIRS
    const rf_ix_link *lv = arr(r, SEC_E_LINKS, sizeof *lv, &n);
    if (!span_ok(r, x->links, n)) return false;
    if (x->links.n) {
        rf_link *o = rf_arena_alloc(&ds->arena, x->links.n * sizeof *o);
        if (!o) return false;
        for (uint32_t i = 0; i < x->links.n; i++) {
            const rf_ix_link *l = &lv[x->links.off + i];
            if (!(o[i].relation = S(r, l->relation)) || !(o[i].name = S(r, l->name)) ||
                !(o[i].entity = S(r, l->entity)))
                return false;
            o[i].share = l->share;
        }
        e->links = o;
        e->n_links = x->links.n;
    }
    return r->st == RF_OK;
}

static rf_dataset *load_dataset(rd *r) {
    rf_dataset *ds = rf_calloc(1, sizeof *ds);
    if (!ds) return NULL;
    rf_arena_init(&ds->arena);
    rf_strmap_init(&ds->by_id);
    ds->finished = true;
    if (rf_countries_new(&ds->countries, r->err) != RF_OK) {
        r->st = r->err ? r->err->code : RF_E_INTERNAL;
        return ds;
    }
    size_t nl, nf, ne;
    const rf_ix_list *lv = arr(r, SEC_LISTS, sizeof *lv, &nl);
    const rf_ix_file *fv = arr(r, SEC_FILES, sizeof *fv, &nf);
    const rf_ix_entity *ev = arr(r, SEC_ENTITIES, sizeof *ev, &ne);
    bool ok = r->st == RF_OK;
    if (ok) RF_VEC_RESERVE(ds->lists, nl, ok);
    for (size_t i = 0; ok && i < nl; i++) {
        rf_list_rec *l = &ds->lists.v[ds->lists.n++];
        memset(l, 0, sizeof *l);
        const rf_ix_list *x = &lv[i];
        ok = (l->info.id = S(r, x->id)) && (l->info.title = S(r, x->title)) &&
             (l->info.format = S(r, x->format)) && (l->info.published = S(r, x->published));
        l->info.n_skipped = x->n_skipped;
        l->info.n_duplicates = x->n_duplicates;
        if (ok && (x->first_file > nf || x->n_files > nf - x->first_file))
            ok = bad(r, "a list's files are out of range");
        if (ok && x->n_files) RF_VEC_RESERVE(l->files, x->n_files, ok);
        for (uint32_t k = 0; ok && k < x->n_files; k++) {
            const rf_ix_file *f = &fv[x->first_file + k];
            rf_source_file *o = &l->files.v[l->files.n++];
            memset(o, 0, sizeof *o);
            ok = (o->role = S(r, f->role)) && (o->path = S(r, f->path));
            o->size = f->size;
            memcpy(o->sha256, f->sha256, 64);
            o->sha256[64] = '\0';
        }
        l->info.files = l->files.v;
        l->info.n_files = l->files.n;
    }
    ds->entities = ok ? rf_calloc(ne + 1, sizeof *ds->entities) : NULL;
    ok = ok && ds->entities;
    for (size_t i = 0; ok && i < ne; i++) {
        ok = load_entity(r, ds, &ev[i], &ds->entities[i]);
        if (!ok) break;
        ds->n_entities++;
        const rf_entity *e = &ds->entities[i];
        /* counts per list, as rf_dataset_finish keeps them */
        for (size_t k = 0; k < ds->lists.n; k++)
            if (!strcmp(ds->lists.v[k].info.id, e->list)) {
                rf_list_info *info = &ds->lists.v[k].info;
                info->n_entities++;
                info->by_schema[e->schema]++;
                info->n_names += e->n_names;
                info->n_aliases += e->n_names - 1;
                for (size_t j = 0; j < e->n_names; j++)
                    info->n_weak_aliases += e->names[j].weak;
                break;
            }
    }
    ok = ok && load_map(r, SEC_DS_BY_ID, &ds->by_id, (uint32_t)ne);
    if (ok && ds->by_id.cap < ne) ok = bad(r, "the entity id table is too small");
    if (!ok && r->st == RF_OK) r->st = rf_fail(r->err, RF_E_NOMEM, r->path, 0, "out of memory");
    return ds;
}

/* ---- knowledge, dictionary, matcher ---- */

static rf_kb *load_kb(rd *r) {
    rf_kb *kb = rf_calloc(1, sizeof *kb);
    if (!kb) return NULL;
    rf_arena_init(&kb->arena);
    if (!load_map(r, SEC_KB_GROUPS, &kb->groups, UINT32_MAX) ||
        !load_map(r, SEC_KB_PERSONS, &kb->persons, UINT32_MAX) ||
        !load_map(r, SEC_KB_LEGAL, &kb->legal, UINT32_MAX) ||
        !load_map(r, SEC_KB_TITLES, &kb->titles, UINT32_MAX) ||
        !load_map(r, SEC_KB_LINKS, &kb->links, UINT32_MAX) ||
        !load_map(r, SEC_KB_NUMBERS, &kb->numbers, UINT32_MAX))
        return kb;
    size_t n;
    const rf_ix_org *ov = arr(r, SEC_KB_ORG, sizeof *ov, &n);
    bool ok = r->st == RF_OK;
    if (ok && n) RF_VEC_RESERVE(kb->org, n, ok);
    for (size_t i = 0; ok && i < n; i++) {
        org_phrase p = {S(r, ov[i].canon), ov[i].cls, ov[i].legal};
        ok = p.canon != NULL;
        kb->org.v[kb->org.n++] = p;
    }
    ok = ok && load_map(r, SEC_KB_PHRASES, &kb->phrases, (uint32_t)kb->org.n);
    const rom_rule *rv = arr(r, SEC_KB_RULES, sizeof *rv, &n);
    if (ok && n) RF_VEC_RESERVE(kb->rules, n, ok);
    for (size_t i = 0; ok && i < n; i++) {
        kb->rules.v[kb->rules.n] = rv[i];
        rom_rule *x = &kb->rules.v[kb->rules.n++];
        if (x->from_len == 0 || x->from_len >= sizeof x->from || x->to_len >= sizeof x->to ||
            x->scope > SCOPE_ANY)
            ok = bad(r, "a romanisation rule is malformed");
    }
    size_t nf;
    const uint16_t *fv = arr(r, SEC_KB_RULE_FIRST, sizeof *fv, &nf);
    if (ok && nf != 257) ok = bad(r, "the rule table has the wrong size");
    for (size_t i = 0; ok && i < 257; i++) {
        kb->rule_first[i] = fv[i];
        if (fv[i] > kb->rules.n || (i && fv[i] < fv[i - 1]))
            ok = bad(r, "the rule table is out of order");
    }
    const uint32_t *wv = arr(r, SEC_KB_LEGAL_WORDS, sizeof *wv, &n);
    if (ok && n) RF_VEC_RESERVE(kb->legal_words, n, ok);
    for (size_t i = 0; ok && i < n; i++)
        ok = (kb->legal_words.v[kb->legal_words.n++] = S(r, wv[i])) != NULL;
    if (!ok && r->st == RF_OK) r->st = rf_fail(r->err, RF_E_NOMEM, r->path, 0, "out of memory");
    return kb;
}

#define BORROW(vec, sec)                                                                           \
    do {                                                                                           \
        size_t n_;                                                                                 \
        (vec).v = (void *)arr(r, sec, sizeof *(vec).v, &n_);                                       \
        (vec).n = n_;                                                                              \
        (vec).cap = 0;                                                                             \
    } while (0)

static rf_dict *load_dict(rd *r, size_t n_entities, float max_weight) {
    rf_dict *d = rf_calloc(1, sizeof *d);
    if (!d) return NULL;
    d->mapped = true;
    rf_arena_init(&d->arena);
    d->n_entities = n_entities;
    d->max_weight = max_weight;
    size_t ne;
    const rf_ix_entry *ev = arr(r, SEC_D_ENTRIES, sizeof *ev, &ne);
    BORROW(d->postings, SEC_D_POSTINGS);
    BORROW(d->names, SEC_D_NAMES);
    BORROW(d->name_toks, SEC_D_NAME_TOKS);
    BORROW(d->name_cat, SEC_D_NAME_CAT);
    BORROW(d->name_cls, SEC_D_NAME_CLS);
    BORROW(d->name_len, SEC_D_NAME_LEN);
    BORROW(d->name_w, SEC_D_NAME_W);
    bool ok = r->st == RF_OK;
    size_t nt = d->name_toks.n;
    if (ok &&
        (d->name_cat.n != nt || d->name_cls.n != nt || d->name_len.n != nt || d->name_w.n != nt))
        ok = bad(r, "the name token tables differ in size");
    if (ok && ne) RF_VEC_RESERVE(d->e, ne, ok);
    for (size_t i = 0; ok && i < ne; i++) {
        const rf_ix_entry *x = &ev[i];
        rf_dentry *e = &d->e.v[d->e.n++];
        memset(e, 0, sizeof *e);
        const char *s = S(r, x->s);
        ok = s != NULL;
        if (ok && (x->len > RF_MAX_TOKEN_LEN * 2 || !sized_str_ok(r, x->s, x->len)))
            ok = bad(r, "a token's length is wrong");
        if (ok && ((uint64_t)x->post + x->npost > d->postings.n ||
                   (uint64_t)x->cpost + x->ncpost > d->postings.n))
            ok = bad(r, "a token's postings are out of range");
        e->tok = (rf_tok){s,       x->len,   x->cls,   x->heavy != 0, x->sig,
                          x->sig2, x->group, x->legal, x->rom,        x->phon};
        e->df = x->df;
        e->weight = x->weight;
        e->post = x->post;
        e->npost = x->npost;
        e->cpost = x->cpost;
        e->ncpost = x->ncpost;
    }
    ok = ok && load_map(r, SEC_D_BY_STR, &d->by_str, (uint32_t)d->e.n);
    ok = ok && check_u32(r, d->postings.v, d->postings.n, (uint32_t)d->names.n, false) &&
         check_u32(r, d->name_toks.v, nt, (uint32_t)d->e.n, false) &&
         check_u32(r, d->name_cat.v, nt, (uint32_t)d->e.n, true);
    for (size_t i = 0; ok && i < d->names.n; i++) {
        const rf_dname *dn = &d->names.v[i];
        if (dn->entity >= n_entities || dn->ntok == 0 || dn->ntok > RF_MAX_TOKENS ||
            (uint64_t)dn->tok + dn->ntok > nt)
            ok = bad(r, "a name is out of range");
    }
    size_t nsz, nk, nv;
    const uint64_t *sizes = arr(r, SEC_D_MM_SIZES, sizeof *sizes, &nsz);
    const uint64_t *keys = arr(r, SEC_D_MM_KEYS, sizeof *keys, &nk);
    const uint32_t *vals = arr(r, SEC_D_MM_VALS, sizeof *vals, &nv);
    if (ok && (nsz != 5 || nk != nv)) ok = bad(r, "the key tables are malformed");
    rf_multimap *maps[] = {&d->by_group, &d->by_rom, &d->by_phon, &d->by_legal, &d->by_initial};
    size_t at = 0;
    for (size_t i = 0; ok && i < 5; i++) {
        if (sizes[i] > nk - at) {
            ok = bad(r, "the key tables are malformed");
            break;
        }
        maps[i]->keys = (uint64_t *)(keys + at);
        maps[i]->vals = (uint32_t *)(vals + at);
        maps[i]->n = sizes[i];
        ok = check_u32(r, maps[i]->vals, maps[i]->n, (uint32_t)d->e.n, false);
        for (size_t k = 1; ok && k < maps[i]->n; k++)
            if (maps[i]->keys[k] < maps[i]->keys[k - 1]) ok = bad(r, "a key table is unsorted");
        at += sizes[i];
    }
    if (!ok && r->st == RF_OK) r->st = rf_fail(r->err, RF_E_NOMEM, r->path, 0, "out of memory");
    return d;
}

static bool load_posting_map(rd *r, int msec, int psec, rf_strmap *map, posting_vec *post,
                             size_t n_entities) {
    BORROW(*post, psec);
    if (!load_map(r, msec, map, (uint32_t)post->n)) return false;
    for (size_t i = 0; i < post->n; i++)
        if (post->v[i].entity >= n_entities ||
            (post->v[i].next != UINT32_MAX && post->v[i].next >= post->n))
            return bad(r, "a document or wallet posting is out of range");
    return r->st == RF_OK;
}

static rf_matcher *load_matcher(rd *r, rf_dataset *ds, float max_weight) {
    rf_matcher *m = rf_calloc(1, sizeof *m);
    if (!m) return NULL;
    m->stamp = rf_matcher_new_stamp(m);
    m->simd = rf_sigscan_simd_available();
    m->mapped = true;
    m->ds = ds;
    rf_arena_init(&m->arena);
    rf_strmap_init(&m->id_map);
    rf_strmap_init(&m->wallet_map);
    m->kb = load_kb(r);
    if (r->st != RF_OK || !m->kb) return m;
    m->dict = load_dict(r, ds->n_entities, max_weight);
    if (r->st != RF_OK || !m->dict) return m;
    size_t nn = m->dict->names.n, n;
    const uint32_t *ov = arr(r, SEC_M_OFAC, sizeof *ov, &n);
    bool ok = r->st == RF_OK && n == nn;
    if (r->st == RF_OK && !ok) ok = bad(r, "the OFAC name table has the wrong size");
    m->ofac_name = ok ? rf_arena_alloc(&m->arena, (nn + 1) * sizeof *m->ofac_name) : NULL;
    for (size_t i = 0; ok && i < nn; i++)
        ok = (m->ofac_name[i] = S(r, ov[i])) != NULL;
    m->ofac_len = (uint32_t *)arr(r, SEC_M_OFAC_LEN, sizeof *m->ofac_len, &n);
    if (ok && n != nn) ok = bad(r, "the OFAC name table has the wrong size");
    for (size_t i = 0; ok && i < nn; i++)
        if (!sized_str_ok(r, ov[i], m->ofac_len[i])) ok = bad(r, "an OFAC name's length is wrong");
    size_t ns, n2, nh, ni, nst;
    m->scan_sig = (uint64_t *)arr(r, SEC_M_SCAN_SIG, sizeof *m->scan_sig, &ns);
    m->scan_sig2 = (uint64_t *)arr(r, SEC_M_SCAN_SIG2, sizeof *m->scan_sig2, &n2);
    m->scan_heavy = (uint8_t *)arr(r, SEC_M_SCAN_HEAVY, 1, &nh);
    m->scan_id = (uint32_t *)arr(r, SEC_M_SCAN_ID, sizeof *m->scan_id, &ni);
    const uint32_t *start = arr(r, SEC_M_SCAN_START, sizeof *start, &nst);
    m->n_scan = ns;
    if (ok && (n2 != ns || nh != ns || ni != ns || nst != RF_MAX_TOKEN_LEN + 2))
        ok = bad(r, "the typo tables differ in size");
    for (size_t i = 0; ok && i < nst; i++) {
        m->scan_start[i] = start[i];
        if (start[i] > ns || (i && start[i] < start[i - 1]))
            ok = bad(r, "the typo table is out of order");
    }
    ok = ok && check_u32(r, m->scan_id, ns, (uint32_t)m->dict->e.n, false);
    size_t ntext;
    m->scan_text = (char *)arr(r, SEC_M_SCAN_TEXT, 1, &ntext);
    if (ok && rf_matcher_scan_layout(m) != ntext) ok = bad(r, "the typo text has the wrong size");
    if (ok && !rf_matcher_hints(m)) {
        r->st = rf_fail(r->err, RF_E_NOMEM, r->path, 0, "out of memory");
        ok = false;
    }
    size_t nbs, nbe;
    m->bg_start = (uint32_t *)arr(r, SEC_M_BG_START, sizeof *m->bg_start, &nbs);
    m->bg_ent = (uint32_t *)arr(r, SEC_M_BG_ENT, sizeof *m->bg_ent, &nbe);
    if (ok && nbs != RF_MATCH_BIGRAMS + 1) ok = bad(r, "the bigram table has the wrong size");
    for (size_t i = 0; ok && i < nbs; i++)
        if (m->bg_start[i] > nbe || (i && m->bg_start[i] < m->bg_start[i - 1]))
            ok = bad(r, "the bigram table is out of order");
    ok = ok && check_u32(r, m->bg_ent, nbe, (uint32_t)m->n_scan, false);
    BORROW(m->bg_always, SEC_M_BG_ALWAYS);
    ok = ok && check_u32(r, m->bg_always.v, m->bg_always.n, (uint32_t)m->dict->e.n, false);
    ok =
        ok &&
        load_posting_map(r, SEC_M_ID_MAP, SEC_M_ID_POST, &m->id_map, &m->id_post, ds->n_entities) &&
        load_posting_map(r, SEC_M_WALLET_MAP, SEC_M_WALLET_POST, &m->wallet_map, &m->wallet_post,
                         ds->n_entities);
    if (!ok && r->st == RF_OK) r->st = rf_fail(r->err, RF_E_NOMEM, r->path, 0, "out of memory");
    return m;
}

/* ---- the file ---- */

static rf_status check_header(rd *r, size_t size, long long *built) {
    const unsigned char *b = r->base;
    if (size < RF_INDEX_HEADER + 8 || memcmp(b, RF_INDEX_MAGIC, 8) != 0)
        return rf_fail(r->err, RF_E_PARSE, r->path, 0,
                       "not a redflag index (no RFINDEX header); build one with `redflag index "
                       "build -o FILE`");
    uint32_t version, nsec;
    uint64_t total;
    int64_t t;
    memcpy(&version, b + 8, 4);
    memcpy(&nsec, b + 12, 4);
    memcpy(&t, b + 16, 8);
    memcpy(&total, b + 24, 8);
    uint16_t probe = 1;
    if (*(unsigned char *)&probe != 1)
        return rf_fail(r->err, RF_E_INVALID, r->path, 0,
                       "index files are little-endian; this machine is not");
    if (version != RF_INDEX_FORMAT_VERSION)
        return rf_fail(r->err, RF_E_PARSE, r->path, 0,
                       "index format %u, this redflag reads format %u: rebuild it with `redflag "
                       "index build`",
                       version, RF_INDEX_FORMAT_VERSION);
    if (total != size)
        return rf_fail(r->err, RF_E_PARSE, r->path, 0,
                       "truncated or extended index: %zu bytes, its header says %llu; rebuild it",
                       size, (unsigned long long)total);
    uint64_t sum;
    memcpy(&sum, b + size - 8, 8);
    if (XXH3_64bits(b, size - 8) != sum)
        return rf_fail(r->err, RF_E_PARSE, r->path, 0,
                       "index checksum mismatch: the file is damaged; rebuild it");
    if (nsec != SEC_COUNT - 1 || RF_INDEX_HEADER + (uint64_t)nsec * 24 > size - 8)
        return rf_fail(r->err, RF_E_PARSE, r->path, 0, "index section table is malformed");
    for (uint32_t i = 0; i < nsec; i++) {
        uint32_t id;
        uint64_t off, len;
        memcpy(&id, b + RF_INDEX_HEADER + i * 24, 4);
        memcpy(&off, b + RF_INDEX_HEADER + i * 24 + 8, 8);
        memcpy(&len, b + RF_INDEX_HEADER + i * 24 + 16, 8);
        if (id != i + 1 || off % 8 || off > size - 8 || len > size - 8 - off)
            return rf_fail(r->err, RF_E_PARSE, r->path, 0, "index section %u is out of bounds",
                           i + 1);
        r->sec[id] = b + off;
        r->size[id] = len;
    }
    r->pool = r->sec[SEC_STRINGS];
    r->pool_size = r->size[SEC_STRINGS];
    if (r->pool_size && r->pool[r->pool_size - 1] != '\0')
        return rf_fail(r->err, RF_E_PARSE, r->path, 0, "index string pool is not terminated");
    if (r->size[SEC_META] != sizeof(rf_ix_meta))
        return rf_fail(r->err, RF_E_PARSE, r->path, 0, "index header block is malformed");
    *built = t;
    return RF_OK;
}

void rf_index_close(rf_index *ix) {
    if (!ix) return;
    rf_matcher_free(ix->m);
    rf_dataset_free(ix->ds);
    if (ix->map) munmap(ix->map, ix->size);
    rf_free(ix);
}

rf_status rf_index_open(const char *path, rf_index **out, rf_error *err) {
    *out = NULL;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return rf_fail(err, RF_E_IO, path, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return rf_fail(err, RF_E_IO, path, 0, "not a regular file");
    }
    rf_index *ix = rf_calloc(1, sizeof *ix);
    if (!ix) {
        close(fd);
        return rf_fail(err, RF_E_NOMEM, path, 0, "out of memory");
    }
    ix->size = (size_t)sb.st_size;
    if (ix->size == 0) {
        close(fd);
        rf_free(ix);
        return rf_fail(err, RF_E_PARSE, path, 0, "empty file: not a redflag index");
    }
    ix->map = mmap(NULL, ix->size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (ix->map == MAP_FAILED) {
        ix->map = NULL;
        rf_index_close(ix);
        return rf_fail(err, RF_E_IO, path, 0, "cannot map: %s", strerror(errno));
    }
    rd r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.base = ix->map;
    r.err = err;
    rf_status st = check_header(&r, ix->size, &ix->built);
    if (st == RF_OK) {
        rf_ix_meta meta;
        memcpy(&meta, r.sec[SEC_META], sizeof meta);
        ix->ds = load_dataset(&r);
        if (!ix->ds && r.st == RF_OK) r.st = rf_fail(err, RF_E_NOMEM, path, 0, "out of memory");
        if (r.st == RF_OK &&
            (ix->ds->n_entities != meta.n_entities || ix->ds->lists.n != meta.n_lists))
            bad(&r, "entity or list counts differ from the header");
        if (r.st == RF_OK) {
            ix->m = load_matcher(&r, ix->ds, meta.max_weight);
            if (!ix->m && r.st == RF_OK) r.st = rf_fail(err, RF_E_NOMEM, path, 0, "out of memory");
        }
        st = r.st;
    }
    if (st != RF_OK) {
        rf_index_close(ix);
        return st;
    }
    *out = ix;
    return RF_OK;
}

const rf_dataset *rf_index_dataset(const rf_index *ix) {
    return ix->ds;
}

const rf_matcher *rf_index_matcher(const rf_index *ix) {
    return ix->m;
}

long long rf_index_built(const rf_index *ix) {
    return ix->built;
}

long long rf_index_size(const rf_index *ix) {
    return (long long)ix->size;
}
