/* The dataset: lists and their entities. Parsers add drafts; finish freezes
 * them into an immutable, ordered array with an id lookup table. */
#include "lists/dataset_int.h"
#include "util/error.h"
#include "util/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

rf_status rf_dataset_new(const rf_load_options *opts, rf_dataset **out, rf_error *err) {
    *out = NULL;
    rf_dataset *ds = rf_calloc(1, sizeof *ds);
    if (!ds) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    rf_arena_init(&ds->arena);
    rf_strmap_init(&ds->by_id);
    if (opts) ds->opts = *opts;
    rf_status st = rf_countries_new(&ds->countries, err);
    if (st == RF_OK) st = rf_remarks_table_new(&ds->remarks, err);
    if (st != RF_OK) {
        rf_dataset_free(ds);
        return st;
    }
    *out = ds;
    return RF_OK;
}

static void free_draft(rf_draft *d) {
    if (!d) return;
    RF_VEC_FREE(d->names);
    RF_VEC_FREE(d->programs);
    RF_VEC_FREE(d->birth_dates);
    RF_VEC_FREE(d->birth_places);
    RF_VEC_FREE(d->nationalities);
    RF_VEC_FREE(d->citizenships);
    RF_VEC_FREE(d->addresses);
    RF_VEC_FREE(d->identifiers);
    RF_VEC_FREE(d->wallets);
    RF_VEC_FREE(d->emails);
    RF_VEC_FREE(d->websites);
    RF_VEC_FREE(d->phones);
    RF_VEC_FREE(d->links);
    RF_VEC_FREE(d->incorporation_dates);
    RF_VEC_FREE(d->properties);
    rf_free(d);
}

void rf_dataset_free(rf_dataset *ds) {
    if (!ds) return;
    for (size_t i = 0; i < ds->drafts.n; i++)
        free_draft(ds->drafts.v[i]);
    RF_VEC_FREE(ds->drafts);
    for (size_t i = 0; i < ds->lists.n; i++) {
        RF_VEC_FREE(ds->lists.v[i].files);
        rf_strmap_free(&ds->lists.v[i].by_source_id);
    }
    RF_VEC_FREE(ds->lists);
    rf_free(ds->entities);
    rf_strmap_free(&ds->by_id);
    rf_countries_free(ds->countries);
    rf_remarks_table_free(ds->remarks);
    rf_arena_free(&ds->arena);
    rf_free(ds);
}

rf_status rf_ds_begin_list(rf_dataset *ds, const char *id, const char *title, const char *format,
                           size_t *list_idx, rf_error *err) {
    if (ds->finished) return rf_fail(err, RF_E_INVALID, NULL, 0, "dataset is already finished");
    if (!id || !*id) return rf_fail(err, RF_E_INVALID, NULL, 0, "a list needs an id");
    for (size_t i = 0; i < ds->lists.n; i++)
        if (!strcmp(ds->lists.v[i].info.id, id))
            return rf_fail(err, RF_E_INVALID, NULL, 0, "list '%s' is loaded twice", id);
    bool ok;
    RF_VEC_RESERVE(ds->lists, 1, ok);
    if (!ok) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    rf_list_rec *l = &ds->lists.v[ds->lists.n];
    memset(l, 0, sizeof *l);
    rf_strmap_init(&l->by_source_id);
    l->info.id = rf_ds_cstr(ds, id);
    l->info.title = rf_ds_cstr(ds, title ? title : id);
    l->info.format = rf_ds_cstr(ds, format);
    l->info.published = "";
    if (!l->info.id || !l->info.title || !l->info.format)
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    *list_idx = ds->lists.n++;
    return RF_OK;
}

rf_status rf_ds_add_file(rf_dataset *ds, size_t list_idx, const char *role, const char *path,
                         const char *data, size_t len, rf_error *err) {
    rf_list_rec *l = &ds->lists.v[list_idx];
    rf_source_file f;
    memset(&f, 0, sizeof f);
    f.role = rf_ds_cstr(ds, role);
    f.path = rf_ds_cstr(ds, path);
    f.size = (long long)len;
    rf_sha256_hex(data, len, f.sha256);
    bool ok = f.role && f.path;
    if (ok) RF_VEC_PUSH(l->files, f, ok);
    return ok ? RF_OK : rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
}

rf_draft *rf_ds_alloc_draft(rf_dataset *ds, size_t list_idx) {
    rf_draft *d = rf_calloc(1, sizeof *d);
    if (!d) return NULL;
    d->list = list_idx;
    d->e.list = ds->lists.v[list_idx].info.id;
    d->e.gender = d->e.title = d->e.remarks = d->e.source_id = d->e.id = "";
    return d;
}

void rf_ds_discard_draft(rf_draft *d) {
    free_draft(d);
}

bool rf_ds_commit_draft(rf_dataset *ds, rf_draft *d, const char *source_id, size_t n, bool *dup) {
    rf_list_rec *l = &ds->lists.v[d->list];
    uint32_t idx;
    *dup = rf_strmap_get(&l->by_source_id, source_id, n, &idx);
    if (*dup) {
        free_draft(d);
        return true;
    }
    const char *sid = rf_ds_str(ds, source_id, n);
    char *id = sid ? rf_arena_alloc(&ds->arena, strlen(l->info.id) + strlen(sid) + 2) : NULL;
    bool ok = id != NULL;
    if (ok) {
        sprintf(id, "%s:%s", l->info.id, sid);
        d->e.source_id = sid;
        d->e.id = id;
        RF_VEC_PUSH(ds->drafts, d, ok);
    }
    if (ok) {
        ok = rf_strmap_put(&l->by_source_id, sid, strlen(sid), (uint32_t)(ds->drafts.n - 1), NULL,
                           NULL);
        if (!ok) ds->drafts.n--;
    }
    if (!ok) free_draft(d);
    return ok;
}

rf_draft *rf_ds_new_draft(rf_dataset *ds, size_t list_idx, const char *source_id, size_t n,
                          bool *dup) {
    uint32_t idx;
    *dup = rf_strmap_get(&ds->lists.v[list_idx].by_source_id, source_id, n, &idx);
    if (*dup) return ds->drafts.v[idx];
    rf_draft *d = rf_ds_alloc_draft(ds, list_idx);
    if (!d) return NULL;
    bool taken;
    return rf_ds_commit_draft(ds, d, source_id, n, &taken) ? d : NULL;
}

rf_draft *rf_ds_find_draft(rf_dataset *ds, size_t list_idx, const char *source_id, size_t n) {
    uint32_t idx;
    if (!rf_strmap_get(&ds->lists.v[list_idx].by_source_id, source_id, n, &idx)) return NULL;
    return ds->drafts.v[idx];
}

void rf_ds_warn(rf_dataset *ds, size_t list_idx, const char *file, long line, const char *fmt,
                ...) {
    ds->lists.v[list_idx].info.n_skipped++;
    if (!ds->opts.warn) return;
    rf_error w;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rf_fail(&w, RF_E_PARSE, file, line, "%s", msg);
    ds->opts.warn(ds->opts.warn_ctx, &w);
}

rf_status rf_dataset_set_published(rf_dataset *ds, const char *list_id, const char *date,
                                   rf_error *err) {
    for (size_t i = 0; i < ds->lists.n; i++)
        if (!strcmp(ds->lists.v[i].info.id, list_id)) {
            const char *d = rf_ds_cstr(ds, date);
            if (!d) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
            ds->lists.v[i].info.published = d;
            return RF_OK;
        }
    return rf_fail(err, RF_E_NOTFOUND, NULL, 0, "no list '%s' is loaded", list_id);
}

int rf_list_rank(const char *list_id) {
    if (!strcmp(list_id, "us_ofac_sdn")) return 0;
    if (!strcmp(list_id, "us_ofac_cons")) return 1;
    if (!strcmp(list_id, "un_sc")) return 2;
    return 3;
}

/* Numeric ids compare as numbers ("9" < "10"), others as strings. */
static int cmp_source_id(const char *a, const char *b) {
    char *ea, *eb;
    unsigned long long na = strtoull(a, &ea, 10), nb = strtoull(b, &eb, 10);
    if (*a && *b && !*ea && !*eb) return na < nb ? -1 : na > nb;
    return strcmp(a, b);
}

static int cmp_entity(const void *pa, const void *pb) {
    const rf_entity *a = pa, *b = pb;
    int ra = rf_list_rank(a->list), rb = rf_list_rank(b->list);
    if (ra != rb) return ra - rb;
    int c = strcmp(a->list, b->list);
    return c ? c : cmp_source_id(a->source_id, b->source_id);
}

#define FREEZE(ds, e, d, field)                                                                    \
    do {                                                                                           \
        (e)->n_##field = (d)->field.n;                                                             \
        (e)->field =                                                                               \
            rf_arena_memdup(&(ds)->arena, (d)->field.v, (d)->field.n, sizeof *(d)->field.v);       \
        if ((d)->field.n && !(e)->field) return false;                                             \
    } while (0)

static bool freeze(rf_dataset *ds, rf_draft *d, rf_entity *e) {
    *e = d->e;
    FREEZE(ds, e, d, names);
    FREEZE(ds, e, d, programs);
    FREEZE(ds, e, d, birth_dates);
    FREEZE(ds, e, d, birth_places);
    FREEZE(ds, e, d, nationalities);
    FREEZE(ds, e, d, citizenships);
    FREEZE(ds, e, d, addresses);
    FREEZE(ds, e, d, identifiers);
    FREEZE(ds, e, d, wallets);
    FREEZE(ds, e, d, emails);
    FREEZE(ds, e, d, websites);
    FREEZE(ds, e, d, phones);
    FREEZE(ds, e, d, links);
    FREEZE(ds, e, d, incorporation_dates);
    FREEZE(ds, e, d, properties);
    return true;
}

/* The network between entities, before they are frozen: a link naming its
 * party only ("Linked To: NAME") gets the entity of that name in the same
 * list when exactly one has it; a link to an unknown id loses it; an OFAC
 * link shows from the other side too ("linked_from"); and an entity that is
 * not listed but owned 50% or more in aggregate by blocked parties (listed
 * or blocked themselves, so ownership through a chain counts) is blocked by
 * OFAC's 50 percent rule. */
/* "list<US>name" with the name's letters and digits only, lower case: the
 * remarks parser drops the last period of "Linked To: ... S.A." */
static int name_key(char *key, size_t cap, size_t list, const char *name) {
    int n = snprintf(key, cap, "%zu\x1f", list);
    if (n <= 0 || (size_t)n >= cap) return -1;
    for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
        unsigned char c = *s;
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)) continue;
        if ((size_t)n + 1 >= cap) return -1;
        key[n++] = (char)c;
    }
    key[n] = '\0';
    return n;
}

static bool resolve_network(rf_dataset *ds) {
    rf_strmap by_id, by_name, shared; /* shared: names two entities of a list have */
    rf_arena keys;
    rf_strmap_init(&by_id);
    rf_strmap_init(&by_name);
    rf_strmap_init(&shared);
    rf_arena_init(&keys);
    bool ok = true;
    char key[1024];
    for (size_t i = 0; ok && i < ds->drafts.n; i++) {
        const rf_draft *d = ds->drafts.v[i];
        ok = rf_strmap_put(&by_id, d->e.id, strlen(d->e.id), (uint32_t)i, NULL, NULL);
        for (size_t k = 0; ok && k < d->names.n; k++) {
            int n = name_key(key, sizeof key, d->list, d->names.v[k].text);
            if (n <= 0) continue;
            bool existed;
            uint32_t old;
            const char *kc = rf_arena_strndup(&keys, key, (size_t)n);
            ok = kc && rf_strmap_put(&by_name, kc, (size_t)n, (uint32_t)i, &existed, &old);
            /* a name two entities share resolves to neither */
            if (ok && existed && old != i)
                ok = rf_strmap_put(&shared, kc, (size_t)n, 1, NULL, NULL);
        }
    }
    size_t n_drafts = ds->drafts.n;
    for (size_t i = 0; ok && i < n_drafts; i++) {
        rf_draft *d = ds->drafts.v[i];
        for (size_t k = 0; ok && k < d->links.n; k++) {
            rf_link *l = &d->links.v[k];
            uint32_t t = UINT32_MAX;
            if (*l->entity) {
                if (!rf_strmap_get(&by_id, l->entity, strlen(l->entity), &t)) l->entity = "";
            } else {
                int n = name_key(key, sizeof key, d->list, l->name);
                uint32_t dummy;
                if (n > 0 && rf_strmap_get(&by_name, key, (size_t)n, &t) &&
                    !rf_strmap_get(&shared, key, (size_t)n, &dummy) && t != i)
                    l->entity = ds->drafts.v[t]->e.id;
                else
                    t = UINT32_MAX;
            }
            if (t == UINT32_MAX || t == i || strcmp(l->relation, "linked_to") != 0) continue;
            rf_draft *o = ds->drafts.v[t];
            bool back = false;
            for (size_t j = 0; j < o->links.n && !back; j++)
                back = !strcmp(o->links.v[j].entity, d->e.id);
            if (!back && d->names.n) {
                const char *nm = d->names.v[0].text;
                ok = rf_draft_add_link_to(ds, o, "linked_from", nm, strlen(nm), d->e.id, -1);
            }
        }
    }
    /* the 50 percent rule, to a fixed point */
    for (bool changed = true; ok && changed;) {
        changed = false;
        for (size_t i = 0; i < ds->drafts.n; i++) {
            rf_draft *d = ds->drafts.v[i];
            if (d->e.listing != RF_LISTING_RELATED) continue;
            double owned = 0;
            for (size_t k = 0; k < d->links.n; k++) {
                const rf_link *l = &d->links.v[k];
                uint32_t t;
                if (strcmp(l->relation, "owned_by") != 0 || l->share < 0 || !*l->entity ||
                    !rf_strmap_get(&by_id, l->entity, strlen(l->entity), &t))
                    continue;
                if (ds->drafts.v[t]->e.listing != RF_LISTING_RELATED) owned += l->share;
            }
            if (owned >= 50.0) {
                d->e.listing = RF_LISTING_BLOCKED_50;
                changed = true;
            }
        }
    }
    rf_strmap_free(&by_id);
    rf_strmap_free(&by_name);
    rf_strmap_free(&shared);
    rf_arena_free(&keys);
    return ok;
}

rf_status rf_dataset_finish(rf_dataset *ds, rf_error *err) {
    if (ds->finished) return RF_OK;
    if (!resolve_network(ds)) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    size_t n = 0;
    ds->entities = rf_calloc(ds->drafts.n, sizeof *ds->entities);
    if (!ds->entities) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < ds->drafts.n; i++) {
        rf_draft *d = ds->drafts.v[i];
        if (d->names.n == 0) {
            /* parsers only create drafts for rows with a name; keep the
             * invariant names[0] exists for every entity */
            rf_ds_warn(ds, d->list, NULL, 0, "entity %s has no name; skipped", d->e.id);
            continue;
        }
        if (!freeze(ds, d, &ds->entities[n]))
            return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        rf_list_info *info = &ds->lists.v[d->list].info;
        info->n_entities++;
        info->by_schema[d->e.schema]++;
        info->n_names += d->names.n;
        info->n_aliases += d->names.n - 1;
        for (size_t k = 0; k < d->names.n; k++)
            info->n_weak_aliases += d->names.v[k].weak;
        n++;
    }
    for (size_t i = 0; i < ds->drafts.n; i++)
        free_draft(ds->drafts.v[i]);
    RF_VEC_FREE(ds->drafts);
    for (size_t i = 0; i < ds->lists.n; i++) {
        rf_list_rec *l = &ds->lists.v[i];
        rf_strmap_free(&l->by_source_id);
        l->info.files = l->files.v;
        l->info.n_files = l->files.n;
    }
    qsort(ds->entities, n, sizeof *ds->entities, cmp_entity);
    ds->n_entities = n;
    for (size_t i = 0; i < n; i++) {
        const char *id = ds->entities[i].id;
        if (!rf_strmap_put(&ds->by_id, id, strlen(id), (uint32_t)i, NULL, NULL))
            return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    ds->finished = true;
    return RF_OK;
}

size_t rf_dataset_count(const rf_dataset *ds) {
    return ds->n_entities;
}

const rf_entity *rf_dataset_entity(const rf_dataset *ds, size_t i) {
    return i < ds->n_entities ? &ds->entities[i] : NULL;
}

const rf_entity *rf_dataset_find(const rf_dataset *ds, const char *entity_id) {
    uint32_t idx;
    if (!rf_strmap_get(&ds->by_id, entity_id, strlen(entity_id), &idx)) return NULL;
    return &ds->entities[idx];
}

size_t rf_dataset_index_of(const rf_dataset *ds, const rf_entity *e) {
    return (size_t)(e - ds->entities);
}

size_t rf_dataset_list_count(const rf_dataset *ds) {
    return ds->lists.n;
}

const rf_list_info *rf_dataset_list(const rf_dataset *ds, size_t i) {
    return i < ds->lists.n ? &ds->lists.v[i].info : NULL;
}
