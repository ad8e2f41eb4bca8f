/* Building the name index: analyse every name, intern its tokens and the
 * joins of adjacent tokens, count document frequencies per entity, then lay
 * out postings and key tables with a counting sort. */
#include "match/dict.h"
#include "util/alloc.h"
#include "util/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

float rf_class_factor(uint8_t cls, size_t len) {
    /* legal forms and generic words weigh little; an initial stands for a
     * name but says little about which */
    float f = cls == RF_TC_LEGAL     ? 0.2f
              : cls == RF_TC_ORGWORD ? 0.4f
              : cls == RF_TC_TITLE   ? 0.1f
                                     : 1.0f;
    return len == 1 ? f * 0.3f : f;
}

void rf_dict_free(rf_dict *d) {
    if (!d) return;
    RF_VEC_FREE(d->e);
    rf_strmap_free(&d->by_str);
    if (!d->mapped) {
        RF_VEC_FREE(d->postings);
        RF_VEC_FREE(d->names);
        RF_VEC_FREE(d->name_toks);
        RF_VEC_FREE(d->name_cat);
        RF_VEC_FREE(d->name_cls);
        RF_VEC_FREE(d->name_len);
        RF_VEC_FREE(d->name_w);
        rf_multimap *maps[] = {&d->by_group, &d->by_rom, &d->by_phon, &d->by_legal, &d->by_initial};
        for (size_t i = 0; i < 5; i++) {
            rf_free(maps[i]->keys);
            rf_free(maps[i]->vals);
        }
    }
    rf_arena_free(&d->arena);
    rf_free(d);
}

uint32_t rf_dict_find(const rf_dict *d, const char *s, size_t n) {
    uint32_t id;
    return rf_strmap_get(&d->by_str, s, n, &id) ? id : UINT32_MAX;
}

const uint32_t *rf_multimap_get(const rf_multimap *m, uint64_t key, size_t *n) {
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < m->n && m->keys[end] == key)
        end++;
    *n = end - lo;
    return m->vals + lo;
}

static uint32_t intern(rf_dict *d, const rf_kb *kb, const char *s, size_t n, uint8_t cls,
                       bool *ok) {
    uint32_t id;
    if (rf_strmap_get(&d->by_str, s, n, &id)) return id;
    const char *copy = rf_arena_strndup(&d->arena, s, n);
    rf_dentry e;
    memset(&e, 0, sizeof e);
    if (!copy) {
        *ok = false;
        return 0;
    }
    rf_tok_describe(kb, copy, n, cls, &e.tok);
    RF_VEC_PUSH(d->e, e, *ok);
    id = (uint32_t)(d->e.n - 1);
    if (*ok) *ok = rf_strmap_put(&d->by_str, copy, n, id, NULL, NULL);
    return id;
}

typedef struct pair {
    uint32_t entry, name;
} pair;

typedef RF_VEC(pair) pair_vec;

/* Lays out postings for pairs grouped by entry; sets (off, n) per entry. */
static bool layout(rf_dict *d, pair_vec *pv, bool concat) {
    size_t ne = d->e.n;
    uint32_t *count = rf_calloc(ne + 1, sizeof *count);
    if (!count) return false;
    for (size_t i = 0; i < pv->n; i++)
        count[pv->v[i].entry]++;
    size_t base = d->postings.n;
    bool ok;
    RF_VEC_RESERVE(d->postings, pv->n, ok);
    if (!ok) {
        rf_free(count);
        return false;
    }
    uint32_t off = (uint32_t)base;
    for (size_t e = 0; e < ne; e++) {
        if (concat) {
            d->e.v[e].cpost = off;
            d->e.v[e].ncpost = 0;
        } else {
            d->e.v[e].post = off;
            d->e.v[e].npost = 0;
        }
        off += count[e];
    }
    for (size_t i = 0; i < pv->n; i++) {
        rf_dentry *e = &d->e.v[pv->v[i].entry];
        uint32_t *at = concat ? &e->ncpost : &e->npost;
        uint32_t start = concat ? e->cpost : e->post;
        d->postings.v[start + (*at)++] = pv->v[i].name;
    }
    d->postings.n = base + pv->n;
    rf_free(count);
    return true;
}

typedef struct kv {
    uint64_t k;
    uint32_t v;
} kv;

static int kv_cmp(const void *a, const void *b) {
    const kv *x = a, *y = b;
    if (x->k != y->k) return x->k < y->k ? -1 : 1;
    return x->v < y->v ? -1 : x->v > y->v;
}

static bool build_map(rf_dict *d, rf_multimap *m, int which) {
    size_t n = 0;
    kv *tmp = rf_malloc(d->e.n * sizeof *tmp);
    if (!tmp) return false;
    for (size_t i = 0; i < d->e.n; i++) {
        const rf_tok *t = &d->e.v[i].tok;
        uint64_t k = which == 0   ? t->group
                     : which == 1 ? t->rom
                     : which == 2 ? t->phon
                     : which == 3 ? t->legal
                                  : (t->len == 1 ? (uint64_t)(unsigned char)t->s[0] : 0);
        if (k) tmp[n++] = (kv){k, (uint32_t)i};
    }
    qsort(tmp, n, sizeof *tmp, kv_cmp);
    m->keys = rf_malloc((n ? n : 1) * sizeof *m->keys);
    m->vals = rf_malloc((n ? n : 1) * sizeof *m->vals);
    if (!m->keys || !m->vals) {
        rf_free(tmp);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        m->keys[i] = tmp[i].k;
        m->vals[i] = tmp[i].v;
    }
    m->n = n;
    rf_free(tmp);
    return true;
}

rf_status rf_dict_build(const rf_dataset *ds, const rf_kb *kb, rf_dict **out, rf_error *err) {
    *out = NULL;
    rf_dict *d = rf_calloc(1, sizeof *d);
    if (!d) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    rf_arena_init(&d->arena);
    rf_strmap_init(&d->by_str);
    rf_translit *tr = NULL;
    rf_status st = rf_translit_new(&tr, err);
    if (st != RF_OK) {
        rf_dict_free(d);
        return st;
    }
    rf_name_tokens nt;
    rf_name_tokens_init(&nt);
    pair_vec real = {0}, cat = {0};
    RF_VEC(uint32_t) last_entity = {0}; /* per entry: last entity counted in df */
    bool ok = true;
    char joined[RF_MAX_TOKEN_LEN * 2 + 1];
    d->n_entities = rf_dataset_count(ds);
    for (size_t ei = 0; ok && ei < d->n_entities; ei++) {
        const rf_entity *ent = rf_dataset_entity(ds, ei);
        /* a party known only for its links never alerts: not indexed */
        if (ent->listing == RF_LISTING_RELATED) continue;
        bool org = ent->schema != RF_SCHEMA_PERSON;
        for (size_t k = 0; ok && k < ent->n_names; k++) {
            const char *text = ent->names[k].text;
            ok = rf_analyze_name(kb, tr, text, strlen(text), org, &nt);
            if (!ok || nt.n == 0) continue;
            rf_dname dn;
            memset(&dn, 0, sizeof dn);
            dn.entity = (uint32_t)ei;
            dn.name = (uint16_t)k;
            dn.weak = ent->names[k].weak;
            dn.ntok = (uint8_t)nt.n;
            dn.person = (uint8_t)!org;
            dn.script = nt.script;
            dn.tok = (uint32_t)d->name_toks.n;
            uint32_t name_id = (uint32_t)d->names.n;
            for (uint32_t j = 0; ok && j < nt.n; j++) {
                uint32_t id = intern(d, kb, rf_name_token(&nt, j), nt.len[j], nt.cls[j], &ok);
                if (!ok) break;
                while (ok && last_entity.n < d->e.n) {
                    uint32_t none = UINT32_MAX;
                    RF_VEC_PUSH(last_entity, none, ok);
                }
                if (ok && last_entity.v[id] != ei) {
                    last_entity.v[id] = (uint32_t)ei;
                    d->e.v[id].df++;
                }
                /* token j joined with the next; for a person also the last
                 * with the first ("LAST, First" typed "FirstLast") */
                uint32_t cat_id = UINT32_MAX;
                uint32_t b = (j + 1) % nt.n;
                bool join = nt.n > 1 && (j + 1 < nt.n || !org);
                if (ok && join && nt.len[j] + nt.len[b] <= RF_MAX_TOKEN_LEN) {
                    memcpy(joined, rf_name_token(&nt, j), nt.len[j]);
                    memcpy(joined + nt.len[j], rf_name_token(&nt, b), nt.len[b]);
                    cat_id = intern(d, kb, joined, nt.len[j] + nt.len[b], RF_TC_NAME, &ok);
                    pair pc = {cat_id, name_id};
                    if (ok) RF_VEC_PUSH(cat, pc, ok);
                }
                pair pr = {id, name_id};
                uint8_t cls = nt.cls[j];
                float w0 = 0;
                if (ok) RF_VEC_PUSH(real, pr, ok);
                if (ok) RF_VEC_PUSH(d->name_toks, id, ok);
                if (ok) RF_VEC_PUSH(d->name_cat, cat_id, ok);
                if (ok) RF_VEC_PUSH(d->name_cls, cls, ok);
                if (ok) RF_VEC_PUSH(d->name_len, nt.len[j], ok);
                if (ok) RF_VEC_PUSH(d->name_w, w0, ok); /* set once df is known */
            }
            if (ok) RF_VEC_PUSH(d->names, dn, ok);
        }
    }
    /* weights from document frequencies */
    double n = (double)d->n_entities;
    d->max_weight = (float)log(1.0 + n / 0.5);
    for (size_t i = 0; ok && i < d->e.n; i++)
        d->e.v[i].weight = (float)log(1.0 + n / (d->e.v[i].df + 0.5));
    for (size_t i = 0; ok && i < d->names.n; i++) {
        rf_dname *dn = &d->names.v[i];
        float total = 0;
        for (uint32_t j = 0; j < dn->ntok; j++) {
            uint32_t at = dn->tok + j;
            const rf_dentry *e = &d->e.v[d->name_toks.v[at]];
            d->name_w.v[at] = e->weight * rf_class_factor(d->name_cls.v[at], e->tok.len);
            total += d->name_w.v[at];
        }
        dn->total_w = total;
    }
    ok = ok && layout(d, &real, false) && layout(d, &cat, true);
    ok = ok && build_map(d, &d->by_group, 0) && build_map(d, &d->by_rom, 1) &&
         build_map(d, &d->by_phon, 2) && build_map(d, &d->by_legal, 3) &&
         build_map(d, &d->by_initial, 4);
    RF_VEC_FREE(real);
    RF_VEC_FREE(cat);
    RF_VEC_FREE(last_entity);
    rf_name_tokens_free(&nt);
    rf_translit_free(tr);
    if (!ok) {
        rf_dict_free(d);
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory building the name index");
    }
    *out = d;
    return RF_OK;
}
