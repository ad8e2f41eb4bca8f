/* Writing the index file: every structure the matcher and the dataset
 * hold, as flat sections (format.h). Written to a temporary file, synced,
 * then renamed over the target, so readers see the old file or the new
 * one, never half of one. */
#include "index/format.h"
#include "lists/dataset_int.h"
#include "match/knowledge_int.h"
#include "match/matcher_int.h"
#include "redflag/index.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/strmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

typedef struct wr {
    rf_buf sec[SEC_COUNT];
    rf_buf pool;    /* the STRINGS section */
    rf_strmap seen; /* string -> offset, keys point into `keys` */
    rf_arena keys;
    bool oom;
} wr;

static void put(wr *w, int sec, const void *p, size_t n) {
    if (!rf_buf_append(&w->sec[sec], p, n)) w->oom = true;
}

/* The offset of string s (n bytes) in the pool, adding it once. */
static uint32_t str_n(wr *w, const char *s, size_t n) {
    if (!s) return RF_NO_STR;
    uint32_t off;
    if (rf_strmap_get(&w->seen, s, n, &off)) return off;
    off = (uint32_t)w->pool.len;
    if (!rf_buf_append(&w->pool, s, n) || !rf_buf_putc(&w->pool, '\0')) {
        w->oom = true;
        return RF_NO_STR;
    }
    const char *k = rf_arena_strndup(&w->keys, s, n);
    if (!k || !rf_strmap_put(&w->seen, k, n, off, NULL, NULL)) w->oom = true;
    return off;
}

static uint32_t str(wr *w, const char *s) {
    return s ? str_n(w, s, strlen(s)) : RF_NO_STR;
}

static void put_map(wr *w, int sec, const rf_strmap *m) {
    for (size_t i = 0; i < m->cap; i++) {
        rf_ix_slot x = {RF_STRMAP_NO_KEY, 0, 0, 0, 0};
        if (m->refs) { /* a map borrowed from another index */
            const rf_strmap_ref *s = &m->refs[i];
            if (s->key != RF_STRMAP_NO_KEY && s->key < m->base_size &&
                s->len < m->base_size - s->key && s->value < m->limit)
                x = (rf_ix_slot){str_n(w, m->base + s->key, s->len), s->len, s->value, 0, s->hash};
        } else if (m->slots[i].key) {
            const rf_strmap_slot *s = &m->slots[i];
            x = (rf_ix_slot){str_n(w, s->key, s->len), s->len, s->value, 0, s->hash};
        }
        put(w, sec, &x, sizeof x);
    }
}

static rf_ix_span span(wr *w, int sec, size_t elem) {
    return (rf_ix_span){(uint32_t)(w->sec[sec].len / elem), 0};
}

static rf_ix_span strs(wr *w, const char *const *v, size_t n) {
    rf_ix_span sp = span(w, SEC_E_STRS, sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        uint32_t o = str(w, v[i]);
        put(w, SEC_E_STRS, &o, sizeof o);
    }
    sp.n = (uint32_t)n;
    return sp;
}

static rf_ix_span dates(wr *w, const rf_date_range *v, size_t n) {
    rf_ix_span sp = span(w, SEC_E_DATES, sizeof(rf_ix_date));
    for (size_t i = 0; i < n; i++) {
        rf_ix_date d = {v[i].from.year, v[i].to.year, v[i].from.month, v[i].from.day,
                        v[i].to.month,  v[i].to.day,  v[i].circa,      {0}};
        put(w, SEC_E_DATES, &d, sizeof d);
    }
    sp.n = (uint32_t)n;
    return sp;
}

static void write_entity(wr *w, const rf_entity *e) {
    rf_ix_entity x;
    memset(&x, 0, sizeof x);
    x.id = str(w, e->id);
    x.list = str(w, e->list);
    x.source_id = str(w, e->source_id);
    x.gender = str(w, e->gender);
    x.title = str(w, e->title);
    x.remarks = str(w, e->remarks);
    x.schema = e->schema;
    x.listing = e->listing;
    x.names = span(w, SEC_E_NAMES, sizeof(rf_ix_name));
    for (size_t i = 0; i < e->n_names; i++) {
        rf_ix_name nm = {
            str(w, e->names[i].text), (uint8_t)e->names[i].kind, e->names[i].weak, {0}};
        put(w, SEC_E_NAMES, &nm, sizeof nm);
    }
    x.names.n = (uint32_t)e->n_names;
    x.programs = strs(w, e->programs, e->n_programs);
    x.birth_dates = dates(w, e->birth_dates, e->n_birth_dates);
    x.birth_places = strs(w, e->birth_places, e->n_birth_places);
    x.nationalities = strs(w, e->nationalities, e->n_nationalities);
    x.citizenships = strs(w, e->citizenships, e->n_citizenships);
    x.addresses = span(w, SEC_E_ADDRS, sizeof(rf_ix_str5));
    for (size_t i = 0; i < e->n_addresses; i++) {
        const rf_address *a = &e->addresses[i];
        rf_ix_str5 r = {{str(w, a->street), str(w, a->city), str(w, a->country),
                         str(w, a->country_name), str(w, a->note)}};
        put(w, SEC_E_ADDRS, &r, sizeof r);
    }
    x.addresses.n = (uint32_t)e->n_addresses;
    x.identifiers = span(w, SEC_E_IDS, sizeof(rf_ix_str5));
    for (size_t i = 0; i < e->n_identifiers; i++) {
        const rf_identifier *d = &e->identifiers[i];
        rf_ix_str5 r = {{str(w, d->type), str(w, d->label), str(w, d->number), str(w, d->country),
                         str(w, d->note)}};
        put(w, SEC_E_IDS, &r, sizeof r);
    }
    x.identifiers.n = (uint32_t)e->n_identifiers;
    x.wallets = span(w, SEC_E_WALLETS, sizeof(rf_ix_str2));
    for (size_t i = 0; i < e->n_wallets; i++) {
        rf_ix_str2 r = {{str(w, e->wallets[i].currency), str(w, e->wallets[i].address)}};
        put(w, SEC_E_WALLETS, &r, sizeof r);
    }
    x.wallets.n = (uint32_t)e->n_wallets;
    x.emails = strs(w, e->emails, e->n_emails);
    x.websites = strs(w, e->websites, e->n_websites);
    x.phones = strs(w, e->phones, e->n_phones);
    x.links = span(w, SEC_E_LINKS, sizeof(rf_ix_link));
    for (size_t i = 0; i < e->n_links; i++) {
        const rf_link *l = &e->links[i];
        rf_ix_link r = {str(w, l->relation), str(w, l->name), str(w, l->entity), (float)l->share};
        put(w, SEC_E_LINKS, &r, sizeof r);
    }
    x.links.n = (uint32_t)e->n_links;
    x.incorporation_dates = dates(w, e->incorporation_dates, e->n_incorporation_dates);
    x.properties = span(w, SEC_E_PROPS, sizeof(rf_ix_str2));
    for (size_t i = 0; i < e->n_properties; i++) {
        rf_ix_str2 r = {{str(w, e->properties[i].key), str(w, e->properties[i].value)}};
        put(w, SEC_E_PROPS, &r, sizeof r);
    }
    x.properties.n = (uint32_t)e->n_properties;
    put(w, SEC_ENTITIES, &x, sizeof x);
}

static void write_dataset(wr *w, const rf_dataset *ds) {
    for (size_t i = 0; i < ds->lists.n; i++) {
        const rf_list_info *l = &ds->lists.v[i].info;
        rf_ix_list x = {
            str(w, l->id),        str(w, l->title),
            str(w, l->format),    str(w, l->published),
            l->n_skipped,         (uint32_t)(w->sec[SEC_FILES].len / sizeof(rf_ix_file)),
            (uint32_t)l->n_files, l->n_duplicates};
        put(w, SEC_LISTS, &x, sizeof x);
        for (size_t k = 0; k < l->n_files; k++) {
            rf_ix_file f;
            memset(&f, 0, sizeof f);
            f.role = str(w, l->files[k].role);
            f.path = str(w, l->files[k].path);
            f.size = l->files[k].size;
            memcpy(f.sha256, l->files[k].sha256, 65);
            put(w, SEC_FILES, &f, sizeof f);
        }
    }
    for (size_t i = 0; i < ds->n_entities; i++)
        write_entity(w, &ds->entities[i]);
    put_map(w, SEC_DS_BY_ID, &ds->by_id);
}

static void write_kb(wr *w, const rf_kb *kb) {
    put_map(w, SEC_KB_GROUPS, &kb->groups);
    put_map(w, SEC_KB_PERSONS, &kb->persons);
    put_map(w, SEC_KB_PHRASES, &kb->phrases);
    put_map(w, SEC_KB_LEGAL, &kb->legal);
    put_map(w, SEC_KB_TITLES, &kb->titles);
    put_map(w, SEC_KB_LINKS, &kb->links);
    put_map(w, SEC_KB_NUMBERS, &kb->numbers);
    for (size_t i = 0; i < kb->org.n; i++) {
        rf_ix_org o = {str(w, kb->org.v[i].canon), kb->org.v[i].legal, kb->org.v[i].cls, {0}};
        put(w, SEC_KB_ORG, &o, sizeof o);
    }
    put(w, SEC_KB_RULES, kb->rules.v, kb->rules.n * sizeof *kb->rules.v);
    put(w, SEC_KB_RULE_FIRST, kb->rule_first, sizeof kb->rule_first);
    for (size_t i = 0; i < kb->legal_words.n; i++) {
        uint32_t o = str(w, kb->legal_words.v[i]);
        put(w, SEC_KB_LEGAL_WORDS, &o, sizeof o);
    }
}

static void write_dict(wr *w, const rf_dict *d) {
    for (size_t i = 0; i < d->e.n; i++) {
        const rf_dentry *e = &d->e.v[i];
        rf_ix_entry x = {str_n(w, e->tok.s, e->tok.len),
                         e->tok.len,
                         e->tok.cls,
                         e->tok.heavy,
                         e->tok.sig,
                         e->tok.sig2,
                         e->tok.group,
                         e->tok.legal,
                         e->tok.rom,
                         e->tok.phon,
                         e->df,
                         e->weight,
                         e->post,
                         e->npost,
                         e->cpost,
                         e->ncpost};
        put(w, SEC_D_ENTRIES, &x, sizeof x);
    }
    put_map(w, SEC_D_BY_STR, &d->by_str);
    put(w, SEC_D_POSTINGS, d->postings.v, d->postings.n * sizeof *d->postings.v);
    put(w, SEC_D_NAMES, d->names.v, d->names.n * sizeof *d->names.v);
    put(w, SEC_D_NAME_TOKS, d->name_toks.v, d->name_toks.n * sizeof *d->name_toks.v);
    put(w, SEC_D_NAME_CAT, d->name_cat.v, d->name_cat.n * sizeof *d->name_cat.v);
    put(w, SEC_D_NAME_CLS, d->name_cls.v, d->name_cls.n * sizeof *d->name_cls.v);
    put(w, SEC_D_NAME_LEN, d->name_len.v, d->name_len.n * sizeof *d->name_len.v);
    put(w, SEC_D_NAME_W, d->name_w.v, d->name_w.n * sizeof *d->name_w.v);
    const rf_multimap *maps[] = {&d->by_group, &d->by_rom, &d->by_phon, &d->by_legal,
                                 &d->by_initial};
    for (size_t i = 0; i < 5; i++) {
        uint64_t n = maps[i]->n;
        put(w, SEC_D_MM_SIZES, &n, sizeof n);
        put(w, SEC_D_MM_KEYS, maps[i]->keys, maps[i]->n * sizeof *maps[i]->keys);
        put(w, SEC_D_MM_VALS, maps[i]->vals, maps[i]->n * sizeof *maps[i]->vals);
    }
}

static void write_matcher(wr *w, const rf_matcher *m) {
    size_t nn = m->dict->names.n;
    for (size_t i = 0; i < nn; i++) {
        uint32_t o = str_n(w, m->ofac_name[i], m->ofac_len[i]);
        put(w, SEC_M_OFAC, &o, sizeof o);
    }
    put(w, SEC_M_OFAC_LEN, m->ofac_len, nn * sizeof *m->ofac_len);
    put(w, SEC_M_SCAN_SIG, m->scan_sig, m->n_scan * sizeof *m->scan_sig);
    put(w, SEC_M_SCAN_SIG2, m->scan_sig2, m->n_scan * sizeof *m->scan_sig2);
    put(w, SEC_M_SCAN_TEXT, m->scan_text, m->scan_text_at[RF_MAX_TOKEN_LEN + 1]);
    put(w, SEC_M_SCAN_HEAVY, m->scan_heavy, m->n_scan * sizeof *m->scan_heavy);
    put(w, SEC_M_SCAN_ID, m->scan_id, m->n_scan * sizeof *m->scan_id);
    put(w, SEC_M_SCAN_START, m->scan_start, sizeof m->scan_start);
    put(w, SEC_M_BG_START, m->bg_start, (RF_MATCH_BIGRAMS + 1) * sizeof *m->bg_start);
    put(w, SEC_M_BG_ENT, m->bg_ent, m->bg_start[RF_MATCH_BIGRAMS] * sizeof *m->bg_ent);
    put(w, SEC_M_BG_ALWAYS, m->bg_always.v, m->bg_always.n * sizeof *m->bg_always.v);
    put_map(w, SEC_M_ID_MAP, &m->id_map);
    put(w, SEC_M_ID_POST, m->id_post.v, m->id_post.n * sizeof *m->id_post.v);
    put_map(w, SEC_M_WALLET_MAP, &m->wallet_map);
    put(w, SEC_M_WALLET_POST, m->wallet_post.v, m->wallet_post.n * sizeof *m->wallet_post.v);
}

static bool write_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n) {
        ssize_t k = write(fd, c, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        c += k;
        n -= (size_t)k;
    }
    return true;
}

rf_status rf_index_write(const rf_matcher *m, const char *path, rf_error *err) {
    wr w;
    memset(&w, 0, sizeof w);
    for (int i = 0; i < SEC_COUNT; i++)
        rf_buf_init(&w.sec[i]);
    rf_buf_init(&w.pool);
    rf_strmap_init(&w.seen);
    rf_arena_init(&w.keys);
    const rf_dataset *ds = m->ds;
    rf_ix_meta meta = {ds->n_entities, ds->lists.n, m->dict->max_weight, 0};
    put(&w, SEC_META, &meta, sizeof meta);
    write_dataset(&w, ds);
    write_kb(&w, m->kb);
    write_dict(&w, m->dict);
    write_matcher(&w, m);
    /* lay out: header, table, sections padded to 8, checksum */
    rf_buf out;
    rf_buf_init(&out);
    uint32_t nsec = SEC_COUNT - 1;
    size_t off = RF_INDEX_HEADER + (size_t)nsec * 24;
    uint64_t offs[SEC_COUNT], sizes[SEC_COUNT];
    for (int i = 1; i < SEC_COUNT; i++) {
        const rf_buf *b = i == SEC_STRINGS ? &w.pool : &w.sec[i];
        offs[i] = off;
        sizes[i] = b->len;
        off += (b->len + 7) & ~(size_t)7;
    }
    uint64_t total = off + 8;
    char head[RF_INDEX_HEADER];
    memset(head, 0, sizeof head);
    memcpy(head, RF_INDEX_MAGIC, 8);
    uint32_t version = RF_INDEX_FORMAT_VERSION;
    int64_t built = (int64_t)time(NULL);
    memcpy(head + 8, &version, 4);
    memcpy(head + 12, &nsec, 4);
    memcpy(head + 16, &built, 8);
    memcpy(head + 24, &total, 8);
    rf_buf_append(&out, head, sizeof head);
    for (uint32_t i = 1; i < SEC_COUNT; i++) {
        uint32_t id = i, reserved = 0;
        rf_buf_append(&out, (const char *)&id, 4);
        rf_buf_append(&out, (const char *)&reserved, 4);
        rf_buf_append(&out, (const char *)&offs[i], 8);
        rf_buf_append(&out, (const char *)&sizes[i], 8);
    }
    static const char zeros[8] = {0};
    for (int i = 1; i < SEC_COUNT; i++) {
        const rf_buf *b = i == SEC_STRINGS ? &w.pool : &w.sec[i];
        rf_buf_append(&out, rf_buf_str(b), b->len);
        rf_buf_append(&out, zeros, ((b->len + 7) & ~(size_t)7) - b->len);
    }
    uint64_t sum = XXH3_64bits(out.data, out.len);
    rf_buf_append(&out, (const char *)&sum, 8);
    rf_status st = RF_OK;
    if (w.oom || out.oom || out.len != total) {
        st = rf_fail(err, RF_E_NOMEM, path, 0, "out of memory writing the index");
    } else {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            st = rf_fail(err, RF_E_IO, tmp, 0, "cannot create: %s", strerror(errno));
        } else {
            bool ok = write_all(fd, out.data, out.len) && fsync(fd) == 0;
            int e = errno;
            ok = close(fd) == 0 && ok;
            if (!ok) {
                unlink(tmp);
                st = rf_fail(err, RF_E_IO, path, 0, "cannot write the index: %s", strerror(e));
            } else if (rename(tmp, path) != 0) {
                e = errno;
                unlink(tmp);
                st = rf_fail(err, RF_E_IO, path, 0, "cannot put the index in place: %s",
                             strerror(e));
            }
        }
    }
    rf_buf_free(&out);
    for (int i = 0; i < SEC_COUNT; i++)
        rf_buf_free(&w.sec[i]);
    rf_buf_free(&w.pool);
    rf_strmap_free(&w.seen);
    rf_arena_free(&w.keys);
    return st;
}
