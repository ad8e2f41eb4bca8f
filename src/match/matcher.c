/* The matcher: a query's name is analysed like the list names were, the
 * index proposes candidate names, each candidate is scored by token
 * alignment (score.c), the best name of an entity gets the secondary
 * attributes (attributes.c), and every match carries its explanation.
 * Identity documents and wallets are looked up in hash tables: an equal
 * value is a match of score 1.0 on its own.
 *
 * Candidate generation loses nothing the scorer would alert on: the query
 * tokens are taken rarest first until those left out weigh too little for
 * any name matching only them to reach the threshold (prefix filtering on
 * the score's own upper bound); every list token similar to a taken token,
 * by any kind the scorer knows, contributes its names. */
#include "match/attributes.h"
#include "match/matcher_int.h"
#include "match/dict.h"
#include "match/identifiers.h"
#include "match/ofac.h"
#include "match/score.h"
#include "match/sigscan.h"
#include "redflag/match.h"
#include "text/normalize.h"
#include "text/script.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/stamps.h"
#include "util/strmap.h"
#include "util/vec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

/* The query name, analysed. */
typedef struct qside {
    rf_name_tokens nt;
    rf_tok tok[RF_MAX_TOKENS];
    rf_tok cat[RF_MAX_TOKENS];
    char catbuf[RF_MAX_TOKENS][RF_MAX_TOKEN_LEN * 2 + 1];
    float w[RF_MAX_TOKENS];
    uint32_t n;
    bool initials;  /* some token is a single letter */
    bool has_chars; /* Han or Hangul, one character per token: chars */
    uint32_t chars[RF_MAX_TOKENS];
} qside;

/* A list token similar to a query token, with both similarities and the
 * entry's postings and weight (read here, not from the dictionary, on the
 * walk: the records are sequential, the entries scattered). */
typedef struct simrec {
    uint32_t entry;
    float full, key;
    uint8_t how_full, how_key;
    uint32_t post, npost;
    float weight;
} simrec;

typedef struct tc_item {
    uint32_t off, n; /* records in tc_recs */
} tc_item;

/* The per-thread token cache is emptied past these sizes. */
#define RF_TOKEN_CACHE_TOKENS  20000
#define RF_TOKEN_CACHE_RECORDS 1000000

/* Upper bounds of what a name can match: query weight and list weight. */
typedef struct name_bound {
    float q, l;
} name_bound;

typedef struct cand {
    rf_match m;
    uint32_t name; /* index name that scored best, UINT32_MAX: none */
} cand;

struct rf_results {
    RF_VEC(rf_match) matches;
    RF_VEC(cand) cands;
    RF_VEC(rf_token_pair) pairs;
    RF_VEC(rf_feature) features;
    rf_arena strs;   /* explanation strings of this query */
    rf_translit *tr; /* this thread's transliterator */
    qside q;
    qside other;  /* the list side of rf_matcher_compare */
    rf_buf qnorm; /* the query normalised for the OFAC algorithm */
    /* per entity: best name score and name of this query */
    float *best;
    uint32_t *best_name;
    uint8_t *hit;
    uint32_t *hit_item;
    size_t best_cap;
    RF_VEC(uint32_t) touched;
    /* per index name: the query that last proposed it, and an upper bound
     * of the query weight it can match */
    rf_stamps name_mark;
    name_bound *name_acc;
    RF_VEC(uint32_t) cand_names;
    RF_VEC(uint32_t) entries; /* scratch: similar entries of a token */
    rf_stamps bg_mark;        /* per entry: bg_count is of this token */
    uint16_t *bg_count;
    /* per query: the similarities of each index token met so far to every
     * query token, computed once (common tokens recur in many names);
     * memo_row[e] is valid when entry e is marked in memo_mark */
    rf_stamps memo_mark;
    uint32_t *memo_row;
    RF_VEC(float) memo_sim; /* rows of 3 * n: full, by key, joined query */
    RF_VEC(uint8_t) memo_how;
    /* index mode: rows of the name come from the token lists, not memo */
    bool direct;
    /* per thread, across queries: the list tokens similar to a query token
     * (key: token text + join flag), so repeated tokens cost a lookup */
    rf_strmap tc_map;
    rf_arena tc_keys;
    RF_VEC(tc_item) tc_items;
    RF_VEC(simrec) tc_recs;
    uint64_t tc_stamp;              /* the matcher the cache belongs to */
    rf_stamps seen;                 /* per entry: met by this token walk */
    rf_sims sims;                   /* the rows of the name being scored */
    rf_sims_buf sims_buf;           /* rows for rf_matcher_compare */
    uint32_t lchars[RF_MAX_TOKENS]; /* the list name's characters (Han, Hangul) */
};

void rf_match_options_init(rf_match_options *o) {
    o->threshold = RF_DEFAULT_THRESHOLD;
    o->limit = RF_DEFAULT_LIMIT;
    o->algorithm = RF_ALGO_DEFAULT;
    o->exhaustive = false;
}

const char *rf_algorithm_name(rf_algorithm a) {
    return a == RF_ALGO_OFAC ? "ofac" : "default";
}

bool rf_algorithm_parse(const char *name, rf_algorithm *out) {
    if (!strcmp(name, "default") || !strcmp(name, "redflag"))
        *out = RF_ALGO_DEFAULT;
    else if (!strcmp(name, "ofac"))
        *out = RF_ALGO_OFAC;
    else
        return false;
    return true;
}

const char *rf_match_basis_str(rf_match_basis b) {
    switch (b) {
    case RF_BASIS_IDENTIFIER:
        return "identifier";
    case RF_BASIS_WALLET:
        return "wallet";
    default:
        return "name";
    }
}

const char *rf_token_how_str(rf_token_how h) {
    switch (h) {
    case RF_HOW_EXACT:
        return "exact";
    case RF_HOW_VARIANT:
        return "variant";
    case RF_HOW_ROMANIZATION:
        return "romanization";
    case RF_HOW_PHONETIC:
        return "phonetic";
    case RF_HOW_FUZZY:
        return "typo";
    case RF_HOW_INITIAL:
        return "initial";
    case RF_HOW_JOINED:
        return "joined";
    case RF_HOW_TRANSLITERATED:
        return "transliterated";
    default:
        return "unmatched";
    }
}

/* ---- building ---- */

static bool index_value(rf_strmap *map, posting_vec *post, rf_arena *arena, const char *canon,
                        size_t len, uint32_t entity, uint32_t item) {
    bool ok;
    posting p = {entity, item, UINT32_MAX};
    uint32_t head;
    if (rf_strmap_get(map, canon, len, &head)) {
        /* append to the chain so postings stay in entity order */
        uint32_t k = head;
        while (post->v[k].next != UINT32_MAX)
            k = post->v[k].next;
        RF_VEC_PUSH(*post, p, ok);
        if (ok) post->v[k].next = (uint32_t)(post->n - 1);
        return ok;
    }
    const char *key = rf_arena_strndup(arena, canon, len);
    if (!key) return false;
    RF_VEC_PUSH(*post, p, ok);
    return ok && rf_strmap_put(map, key, len, (uint32_t)(post->n - 1), NULL, NULL);
}

static bool build_ids(rf_matcher *m) {
    char canon[256];
    bool ok = true;
    for (size_t e = 0; ok && e < rf_dataset_count(m->ds); e++) {
        const rf_entity *ent = rf_dataset_entity(m->ds, e);
        for (size_t k = 0; ok && k < ent->n_identifiers; k++) {
            const char *num = ent->identifiers[k].number;
            size_t len = rf_id_canonical(num, strlen(num), canon, sizeof canon);
            if (len >= RF_ID_MIN_LEN)
                ok = index_value(&m->id_map, &m->id_post, &m->arena, canon, len, (uint32_t)e,
                                 (uint32_t)k);
        }
        for (size_t k = 0; ok && k < ent->n_wallets; k++) {
            const char *addr = ent->wallets[k].address;
            size_t len = rf_wallet_canonical(addr, strlen(addr), canon, sizeof canon);
            if (len)
                ok = index_value(&m->wallet_map, &m->wallet_post, &m->arena, canon, len,
                                 (uint32_t)e, (uint32_t)k);
        }
    }
    return ok;
}

/* Padded bigrams ("^k", "ki", ..., "n$") over a-z, 0-9 and the two pads. */
#define RF_BG_SYMS RF_MATCH_BG_SYMS
#define RF_BIGRAMS RF_MATCH_BIGRAMS

static int bg_sym(unsigned char c) {
    return c >= 'a' && c <= 'z' ? c - 'a' : c >= '0' && c <= '9' ? 26 + c - '0' : -1;
}

/* The distinct bigrams of s; -1 when s has a byte outside a-z0-9. */
static int bigrams(const char *s, size_t n, uint16_t *out) {
    int k = 0;
    int prev = 36; /* "^" */
    for (size_t i = 0; i <= n; i++) {
        int cur = i < n ? bg_sym((unsigned char)s[i]) : 37; /* "$" */
        if (cur < 0) return -1;
        uint16_t g = (uint16_t)(prev * RF_BG_SYMS + cur);
        bool seen = false;
        for (int j = 0; j < k && !seen; j++)
            seen = out[j] == g;
        if (!seen) out[k++] = g;
        prev = cur;
    }
    return k;
}

static bool build_bigrams(rf_matcher *m) {
    const rf_dict *d = m->dict;
    m->bg_start = rf_calloc(RF_BIGRAMS + 1, sizeof *m->bg_start);
    if (!m->bg_start) return false;
    uint16_t g[RF_MAX_TOKEN_LEN + 2];
    size_t total = 0;
    bool ok = true;
    for (int pass = 0; pass < 2 && ok; pass++) {
        uint32_t *fill = NULL;
        if (pass == 1) {
            for (size_t b = 0; b < RF_BIGRAMS; b++)
                m->bg_start[b + 1] += m->bg_start[b];
            m->bg_ent = rf_malloc((total + 1) * sizeof *m->bg_ent);
            fill = rf_malloc(RF_BIGRAMS * sizeof *fill);
            if (!m->bg_ent || !fill) {
                rf_free(fill);
                return false;
            }
            memcpy(fill, m->bg_start, RF_BIGRAMS * sizeof *fill);
        }
        /* postings hold scan positions: sig, text and entry at hand */
        for (size_t s = 0; s < m->n_scan && ok; s++) {
            uint32_t i = m->scan_id[s];
            const rf_tok *t = &d->e.v[i].tok;
            if (t->len < 2) continue;
            int k = bigrams(t->s, t->len, g);
            if (k < 0) {
                if (pass == 0) RF_VEC_PUSH(m->bg_always, i, ok);
                continue;
            }
            for (int j = 0; j < k; j++) {
                if (pass == 0) {
                    m->bg_start[g[j] + 1]++;
                    total++;
                } else {
                    m->bg_ent[fill[g[j]]++] = (uint32_t)s;
                }
            }
        }
        rf_free(fill);
    }
    return ok;
}

/* Real tokens for the typo scan, grouped by length (a counting sort). */
static bool build_scan(rf_matcher *m) {
    const rf_dict *d = m->dict;
    size_t n = 0;
    uint32_t count[RF_MAX_TOKEN_LEN + 2] = {0};
    for (size_t i = 0; i < d->e.n; i++)
        if (d->e.v[i].npost && d->e.v[i].tok.len <= RF_MAX_TOKEN_LEN) {
            n++;
            count[d->e.v[i].tok.len]++;
        }
    m->scan_sig = rf_malloc(n * sizeof *m->scan_sig + 1);
    m->scan_sig2 = rf_malloc(n * sizeof *m->scan_sig2 + 1);
    m->scan_heavy = rf_malloc(n + 1);
    m->scan_id = rf_malloc(n * sizeof *m->scan_id + 1);
    if (!m->scan_sig || !m->scan_sig2 || !m->scan_heavy || !m->scan_id) return false;
    uint32_t at = 0;
    size_t text = 0;
    for (size_t l = 0; l <= RF_MAX_TOKEN_LEN + 1; l++) {
        m->scan_start[l] = at;
        at += l <= RF_MAX_TOKEN_LEN ? count[l] : 0;
        text += l <= RF_MAX_TOKEN_LEN ? (size_t)count[l] * l : 0;
    }
    m->scan_text = rf_malloc(text + 1);
    if (!m->scan_text) return false;
    uint32_t fill[RF_MAX_TOKEN_LEN + 1];
    memcpy(fill, m->scan_start, sizeof fill);
    /* heavy tokens first in each length: the scan takes them unfiltered */
    for (int pass = 1; pass >= 0; pass--)
        for (size_t i = 0; i < d->e.n; i++) {
            const rf_dentry *e = &d->e.v[i];
            if (!e->npost || e->tok.len > RF_MAX_TOKEN_LEN || e->tok.heavy != pass) continue;
            uint32_t k = fill[e->tok.len]++;
            m->scan_sig[k] = e->tok.sig;
            m->scan_sig2[k] = e->tok.sig2;
            m->scan_heavy[k] = e->tok.heavy;
            m->scan_id[k] = (uint32_t)i;
        }
    m->n_scan = n;
    rf_matcher_scan_layout(m);
    for (size_t l = 0; l <= RF_MAX_TOKEN_LEN; l++)
        for (uint32_t k = m->scan_start[l]; k < m->scan_start[l + 1]; k++)
            memcpy(m->scan_text + m->scan_text_at[l] + (size_t)(k - m->scan_start[l]) * l,
                   d->e.v[m->scan_id[k]].tok.s, l);
    return true;
}

bool rf_matcher_hints(rf_matcher *m) {
    size_t n = rf_dataset_count(m->ds);
    m->hints = rf_calloc(n + 1, sizeof *m->hints);
    if (!m->hints) return false;
    for (size_t i = 0; i < n; i++) {
        const rf_entity *e = rf_dataset_entity(m->ds, i);
        rf_entity_hint *h = &m->hints[i];
        h->schema = (uint8_t)e->schema;
        for (size_t k = 0; k < e->n_birth_dates; k++) {
            const rf_date_range *r = &e->birth_dates[k];
            int circa = r->circa ? 2 : 0;
            int lo = r->from.year - circa, hi = r->to.year + circa;
            if (!r->from.year) continue;
            if (!h->birth_lo || lo < h->birth_lo) h->birth_lo = (int16_t)lo;
            if (hi > h->birth_hi) h->birth_hi = (int16_t)hi;
        }
    }
    return true;
}

size_t rf_matcher_scan_layout(rf_matcher *m) {
    size_t at = 0;
    for (size_t l = 0; l <= RF_MAX_TOKEN_LEN; l++) {
        uint32_t i = m->scan_start[l];
        while (i < m->scan_start[l + 1] && m->scan_heavy[i])
            i++;
        m->scan_light[l] = i;
        m->scan_text_at[l] = at;
        at += (size_t)(m->scan_start[l + 1] - m->scan_start[l]) * l;
    }
    m->scan_text_at[RF_MAX_TOKEN_LEN + 1] = at;
    return at;
}

static bool build_ofac(rf_matcher *m) {
    size_t n = m->dict->names.n;
    m->ofac_name = rf_arena_alloc(&m->arena, (n + 1) * sizeof *m->ofac_name);
    m->ofac_len = rf_malloc((n + 1) * sizeof *m->ofac_len);
    if (!m->ofac_name || !m->ofac_len) return false;
    rf_buf latin, norm;
    rf_buf_init(&latin);
    rf_buf_init(&norm);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        const rf_dname *dn = &m->dict->names.v[i];
        const char *text = rf_dataset_entity(m->ds, dn->entity)->names[dn->name].text;
        size_t len = strlen(text);
        if (rf_needs_translit(text, len)) {
            ok = rf_translit_run(m->tr, text, len, &latin);
            text = rf_buf_str(&latin);
            len = latin.len;
        }
        ok = ok && rf_norm_name(text, len, &norm);
        m->ofac_name[i] = ok ? rf_arena_strndup(&m->arena, rf_buf_str(&norm), norm.len) : NULL;
        m->ofac_len[i] = (uint32_t)norm.len;
        ok = ok && m->ofac_name[i];
    }
    rf_buf_free(&latin);
    rf_buf_free(&norm);
    return ok;
}

rf_status rf_matcher_new(const rf_dataset *ds, rf_matcher **out, rf_error *err) {
    *out = NULL;
    rf_matcher *m = rf_calloc(1, sizeof *m);
    if (!m) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    m->stamp = rf_matcher_new_stamp(m);
    m->simd = rf_sigscan_simd_available();
    m->ds = ds;
    rf_arena_init(&m->arena);
    rf_strmap_init(&m->id_map);
    rf_strmap_init(&m->wallet_map);
    rf_status st = rf_kb_new(&m->kb, err);
    if (st == RF_OK) st = rf_translit_new(&m->tr, err);
    if (st == RF_OK) st = rf_dict_build(ds, m->kb, &m->dict, err);
    if (st == RF_OK && (!build_ids(m) || !build_scan(m) || !build_bigrams(m) || !build_ofac(m) ||
                        !rf_matcher_hints(m)))
        st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory building the matcher");
    /* the build's transliterator is not needed by queries */
    rf_translit_free(m->tr);
    m->tr = NULL;
    if (st != RF_OK) {
        rf_matcher_free(m);
        return st;
    }
    *out = m;
    return RF_OK;
}

void rf_matcher_free(rf_matcher *m) {
    if (!m) return;
    rf_dict_free(m->dict);
    rf_kb_free(m->kb);
    rf_translit_free(m->tr);
    if (!m->mapped) {
        rf_free(m->ofac_len);
        rf_free(m->bg_start);
        rf_free(m->bg_ent);
        RF_VEC_FREE(m->bg_always);
        rf_free(m->scan_sig);
        rf_free(m->scan_sig2);
        rf_free(m->scan_heavy);
        rf_free(m->scan_id);
        rf_free(m->scan_text);
        RF_VEC_FREE(m->id_post);
        RF_VEC_FREE(m->wallet_post);
    }
    rf_free(m->hints);
    rf_strmap_free(&m->id_map);
    rf_strmap_free(&m->wallet_map);
    rf_arena_free(&m->arena);
    rf_free(m);
}

const rf_dataset *rf_matcher_dataset(const rf_matcher *m) {
    return m->ds;
}

uint64_t rf_matcher_new_stamp(const rf_matcher *m) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t t = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    return XXH3_64bits_withSeed(&m, sizeof m, t);
}

/* ---- per-thread results ---- */

rf_results *rf_results_new(void) {
    rf_results *r = rf_calloc(1, sizeof *r);
    if (!r) return NULL;
    rf_arena_init(&r->strs);
    rf_arena_init(&r->tc_keys);
    rf_name_tokens_init(&r->q.nt);
    rf_name_tokens_init(&r->other.nt);
    rf_buf_init(&r->qnorm);
    return r;
}

void rf_results_free(rf_results *r) {
    if (!r) return;
    RF_VEC_FREE(r->matches);
    RF_VEC_FREE(r->cands);
    RF_VEC_FREE(r->pairs);
    RF_VEC_FREE(r->features);
    RF_VEC_FREE(r->touched);
    RF_VEC_FREE(r->cand_names);
    RF_VEC_FREE(r->entries);
    rf_stamps_free(&r->bg_mark);
    rf_free(r->bg_count);
    rf_stamps_free(&r->seen);
    rf_strmap_free(&r->tc_map);
    rf_arena_free(&r->tc_keys);
    RF_VEC_FREE(r->tc_items);
    RF_VEC_FREE(r->tc_recs);
    rf_stamps_free(&r->memo_mark);
    rf_free(r->memo_row);
    RF_VEC_FREE(r->memo_sim);
    RF_VEC_FREE(r->memo_how);
    rf_arena_free(&r->strs);
    rf_translit_free(r->tr);
    rf_name_tokens_free(&r->q.nt);
    rf_name_tokens_free(&r->other.nt);
    rf_buf_free(&r->qnorm);
    rf_free(r->best);
    rf_free(r->best_name);
    rf_free(r->hit);
    rf_free(r->hit_item);
    rf_stamps_free(&r->name_mark);
    rf_free(r->name_acc);
    rf_free(r);
}

size_t rf_results_count(const rf_results *r) {
    return r->matches.n;
}

const rf_match *rf_results_get(const rf_results *r, size_t i) {
    return i < r->matches.n ? &r->matches.v[i] : NULL;
}

static bool ensure_scratch(const rf_matcher *m, rf_results *r) {
    size_t ne = rf_dataset_count(m->ds);
    if (r->best_cap < ne) {
        rf_free(r->best);
        rf_free(r->best_name);
        rf_free(r->hit);
        rf_free(r->hit_item);
        r->best = rf_malloc((ne + 1) * sizeof *r->best);
        r->best_name = rf_malloc((ne + 1) * sizeof *r->best_name);
        r->hit = rf_calloc(ne + 1, sizeof *r->hit);
        r->hit_item = rf_malloc((ne + 1) * sizeof *r->hit_item);
        if (!r->best || !r->best_name || !r->hit || !r->hit_item) {
            r->best_cap = 0;
            return false;
        }
        for (size_t i = 0; i < ne; i++)
            r->best[i] = -1.0f;
        r->best_cap = ne;
    }
    size_t nd = m->dict->e.n;
    if (r->bg_mark.cap < nd || !r->bg_count) {
        rf_free(r->bg_count);
        r->bg_count = rf_malloc((nd + 1) * sizeof *r->bg_count);
        if (!r->bg_count || !rf_stamps_fit(&r->bg_mark, nd)) {
            rf_stamps_free(&r->bg_mark);
            return false;
        }
    }
    if (!rf_stamps_fit(&r->seen, nd)) return false;
    size_t nn = m->dict->names.n;
    if (r->name_mark.cap < nn || !r->name_acc) {
        rf_free(r->name_acc);
        r->name_acc = rf_malloc((nn + 1) * sizeof *r->name_acc);
        if (!r->name_acc || !rf_stamps_fit(&r->name_mark, nn)) {
            rf_stamps_free(&r->name_mark);
            return false;
        }
    }
    return true;
}

/* ---- the query side ---- */

/* Opens this thread's transliterator the first time a name needs one (it
 * takes ICU some milliseconds; Latin queries never pay for it). */
static bool need_translit(rf_results *r, const char *name) {
    if (r->tr || !rf_needs_translit(name, strlen(name))) return true;
    rf_error err;
    return rf_translit_new(&r->tr, &err) == RF_OK;
}

/* A query token's weight: its own rarity when a list has it; else that of
 * its commonest equivalent spelling (a rare spelling of "Mohammed" is still
 * a common name); else the weight of a token no list has. */
static float query_weight(const rf_dict *d, const rf_tok *t) {
    uint32_t id = rf_dict_find(d, t->s, t->len);
    float w = d->max_weight;
    if (id != UINT32_MAX && d->e.v[id].npost) {
        w = d->e.v[id].weight;
    } else {
        const rf_multimap *maps[] = {&d->by_group, &d->by_rom};
        uint64_t keys[] = {t->group, t->rom};
        for (size_t k = 0; k < 2; k++) {
            if (!keys[k]) continue;
            size_t n;
            const uint32_t *v = rf_multimap_get(maps[k], keys[k], &n);
            for (size_t i = 0; i < n; i++) {
                const rf_dentry *e = &d->e.v[v[i]];
                if (e->npost && e->weight < w) w = e->weight;
            }
        }
    }
    return w * rf_class_factor(t->cls, t->len);
}

/* Analyses a name into q (tokens, joined pairs, weights). wrap adds the
 * join of the last token with the first, as the index does for a listed
 * person's name. */
static bool prepare_side(const rf_matcher *m, rf_translit *tr, const char *name, bool org,
                         bool wrap, qside *q) {
    size_t len = strlen(name);
    if (!rf_analyze_name(m->kb, tr, name, len, org, &q->nt)) return false;
    q->n = q->nt.n;
    q->initials = false;
    q->has_chars = q->nt.script != RF_SCRIPT_OTHER &&
                   rf_text_letters(name, len, q->chars, RF_MAX_TOKENS) == q->n;
    for (uint32_t i = 0; i < q->n; i++) {
        q->initials |= q->nt.len[i] < 2;
        rf_tok_describe(m->kb, rf_name_token(&q->nt, i), q->nt.len[i], q->nt.cls[i], &q->tok[i]);
        q->w[i] = query_weight(m->dict, &q->tok[i]);
    }
    for (uint32_t i = 0; i < q->n; i++) {
        uint32_t j = (i + 1) % q->n;
        size_t a = q->nt.len[i], b = q->nt.len[j];
        q->cat[i].len = 0;
        if (q->n < 2 || (j == 0 && !wrap) || a + b > RF_MAX_TOKEN_LEN) continue;
        memcpy(q->catbuf[i], rf_name_token(&q->nt, i), a);
        memcpy(q->catbuf[i] + a, rf_name_token(&q->nt, j), b);
        q->catbuf[i][a + b] = '\0';
        rf_tok_describe(m->kb, q->catbuf[i], a + b, RF_TC_NAME, &q->cat[i]);
    }
    return true;
}

/* ---- similarity memo ---- */

static bool memo_reset(const rf_matcher *m, rf_results *r) {
    size_t ne = m->dict->e.n;
    if (r->memo_mark.cap < ne || !r->memo_row) {
        rf_free(r->memo_row);
        r->memo_row = rf_malloc((ne + 1) * sizeof *r->memo_row);
        if (!r->memo_row || !rf_stamps_fit(&r->memo_mark, ne)) {
            rf_stamps_free(&r->memo_mark);
            return false;
        }
    }
    rf_stamps_clear(&r->memo_mark);
    r->memo_sim.n = 0;
    r->memo_how.n = 0;
    return true;
}

/* The row (3 * n similarities) of index entry e against the query's
 * tokens: full similarity, by key only, and two query tokens joined. */
static uint32_t memo_row(const rf_matcher *m, rf_results *r, uint32_t e, bool *ok) {
    if (rf_stamps_has(&r->memo_mark, e)) return r->memo_row[e];
    const qside *q = &r->q;
    uint32_t n = q->n;
    RF_VEC_RESERVE(r->memo_sim, 3 * n, *ok);
    if (*ok) RF_VEC_RESERVE(r->memo_how, 3 * n, *ok);
    if (!*ok) return 0;
    uint32_t row = (uint32_t)(r->memo_sim.n / (3 * (n ? n : 1)));
    float *sim = r->memo_sim.v + r->memo_sim.n;
    uint8_t *how = r->memo_how.v + r->memo_how.n;
    const rf_tok *t = &m->dict->e.v[e].tok;
    for (uint32_t i = 0; i < n; i++) {
        rf_token_how h;
        sim[i] = (float)rf_tok_sim(&q->tok[i], t, true, &h);
        how[i] = (uint8_t)h;
        sim[n + i] = (float)rf_tok_sim_key(&q->tok[i], t, &h);
        how[n + i] = (uint8_t)(h == RF_HOW_EXACT ? RF_HOW_JOINED : h);
        sim[2 * n + i] = 0;
        how[2 * n + i] = RF_HOW_UNMATCHED;
        if (i + 1 < n && q->cat[i].len) {
            sim[2 * n + i] = (float)rf_tok_sim_key(&q->cat[i], t, &h);
            how[2 * n + i] = (uint8_t)(h == RF_HOW_EXACT ? RF_HOW_JOINED : h);
        }
    }
    r->memo_sim.n += 3 * n;
    r->memo_how.n += 3 * n;
    rf_stamps_set(&r->memo_mark, e);
    r->memo_row[e] = row;
    return row;
}

/* ---- candidate generation ---- */

/* Adds weight w to the bound of every name in postings[off, off + n). */
/* Adds w of query weight and lw of list weight to the bounds of the names
 * in postings [off, off + n). */
static bool add_names(rf_results *r, const rf_dict *d, uint32_t off, uint32_t n, float w, float lw,
                      bool grow) {
    if (!grow) {
        /* a tail token: only names a heavier token found can still pass */
        for (uint32_t k = 0; k < n; k++) {
            uint32_t name = d->postings.v[off + k];
            if (!rf_stamps_has(&r->name_mark, name)) continue;
            r->name_acc[name].q += w;
            r->name_acc[name].l += lw;
        }
        return true;
    }
    for (uint32_t k = 0; k < n; k++) {
        uint32_t name = d->postings.v[off + k];
        if (rf_stamps_mark(&r->name_mark, name)) {
            r->name_acc[name].q += w;
            r->name_acc[name].l += lw;
            continue;
        }
        r->name_acc[name] = (name_bound){w, lw};
        bool ok;
        RF_VEC_PUSH(r->cand_names, name, ok);
        if (!ok) return false;
    }
    return true;
}

static bool push_entry(rf_results *r, uint32_t id) {
    bool ok;
    RF_VEC_PUSH(r->entries, id, ok);
    return ok;
}

/* Entries that share a key with t (exact, romanisation, phonetic, and when
 * full also variant group, legal class and initial). */
static bool keyed_entries(const rf_dict *d, const rf_tok *t, bool full, rf_results *r) {
    uint32_t id = rf_dict_find(d, t->s, t->len);
    if (id != UINT32_MAX && !push_entry(r, id)) return false;
    const rf_multimap *maps[5] = {&d->by_rom, &d->by_phon, &d->by_group, &d->by_legal,
                                  &d->by_initial};
    uint64_t keys[5] = {t->rom, t->phon, t->group, t->legal,
                        t->len > 1 ? (uint64_t)(unsigned char)t->s[0] : 0};
    for (size_t k = 0; k < (full ? 5u : 2u); k++) {
        if (!keys[k]) continue;
        size_t n;
        const uint32_t *v = rf_multimap_get(maps[k], keys[k], &n);
        for (size_t i = 0; i < n; i++)
            if (!push_entry(r, v[i])) return false;
    }
    return true;
}

/* Every list token that may be similar to t: those sharing a key (exact,
 * romanisation, phonetic; for a token also variant group, legal class,
 * initial) and, for a token, the real tokens within typo reach. Tokens
 * within d edits share at least (distinct bigrams of t) - 3d padded bigrams
 * (an edit breaks at most three): when that count is useful the bigram
 * postings find them, else every token of a length within reach is read
 * (length and letter-count bounds first). Fills r->entries, each once. */
static bool similar_entries(const rf_matcher *m, rf_results *r, const rf_tok *t,
                            const rf_osa_pattern *pat, bool join) {
    const rf_dict *d = m->dict;
    r->entries.n = 0;
    if (!keyed_entries(d, t, !join, r)) return false;
    if (!join && t->len > 1) {
        size_t dmax = 0;
        for (size_t lb = 2; lb <= RF_MAX_TOKEN_LEN; lb++) {
            size_t dm = rf_tok_max_edits(t->len, lb);
            size_t diff = t->len > lb ? t->len - lb : lb - t->len;
            if (diff <= dm && dm > dmax) dmax = dm;
        }
        uint16_t g[RF_MAX_TOKEN_LEN + 2];
        int ng = bigrams(t->s, t->len, g);
        int need = ng - 3 * (int)dmax;
        /* the cheaper way: postings to count, or tokens to read */
        size_t lo = 2;
        if (t->len > dmax + 2) lo = t->len - dmax;
        size_t hi = t->len + dmax > RF_MAX_TOKEN_LEN ? RF_MAX_TOKEN_LEN : t->len + dmax;
        size_t scan_cost = m->scan_start[hi + 1] - m->scan_start[lo], bg_cost = 0;
        for (int k = 0; need > 0 && k < ng; k++)
            bg_cost += m->bg_start[g[k] + 1] - m->bg_start[g[k]];
        if (need >= 2 && bg_cost * 2 < scan_cost) {
            rf_stamps_clear(&r->bg_mark);
            for (int k = 0; k < ng; k++)
                for (uint32_t p = m->bg_start[g[k]]; p < m->bg_start[g[k] + 1]; p++) {
                    uint32_t s = m->bg_ent[p];
                    if (!rf_stamps_mark(&r->bg_mark, s)) r->bg_count[s] = 0;
                    if (++r->bg_count[s] != (uint16_t)need) continue;
                    /* the token's length from its scan position (lengths
                     * out of reach first), then the edit distance */
                    if (s < m->scan_start[lo] || s >= m->scan_start[hi + 1]) continue;
                    size_t lb = lo;
                    while (m->scan_start[lb + 1] <= s)
                        lb++;
                    size_t dm = rf_tok_max_edits(t->len, lb);
                    size_t diff = t->len > lb ? t->len - lb : lb - t->len;
                    if (diff > dm) continue;
                    const char *text =
                        m->scan_text + m->scan_text_at[lb] + (size_t)(s - m->scan_start[lb]) * lb;
                    if (rf_osa_distance_p(pat, text, lb, dm) <= dm && !push_entry(r, m->scan_id[s]))
                        return false;
                }
            for (size_t k = 0; k < m->bg_always.n; k++)
                if (!push_entry(r, m->bg_always.v[k])) return false;
        } else {
            /* the letters t has three or four times: at most this many more */
            /* the letters t has three or four times: at most this many more */
            size_t extra = (size_t)__builtin_popcountll(t->sig2);
            const uint64_t *sig = m->scan_sig, *sig2 = m->scan_sig2;
            const uint32_t *ids = m->scan_id;
            uint64_t ts = t->sig, ts2 = t->sig2;
            bool th = t->heavy; /* letters the signature cannot hold: no filter */
            for (size_t lb = lo; lb <= hi; lb++) {
                size_t l = t->len > lb ? t->len : lb;
                size_t dm = rf_tok_max_edits(t->len, lb);
                size_t diff = t->len > lb ? t->len - lb : lb - t->len;
                if (diff > dm) continue;
                size_t common = l > dm ? l - dm : 0;
                size_t need1 = common > extra ? common - extra : 0;
                uint32_t from = m->scan_start[lb], light = m->scan_light[lb],
                         to = m->scan_start[lb + 1];
                bool ok;
                RF_VEC_RESERVE(r->entries, to - from, ok);
                if (!ok) return false;
                uint32_t *out = r->entries.v + r->entries.n;
                size_t got = 0;
                /* heavy tokens (first) and a heavy t: no letter bound; the
                 * rest pass the letter test first; then the edit distance */
                const char *text = m->scan_text + m->scan_text_at[lb];
                uint32_t bounded = th ? to : light;
                for (uint32_t i = from; i < bounded; i++)
                    if (rf_osa_distance_p(pat, text + (size_t)(i - from) * lb, lb, dm) <= dm)
                        out[got++] = ids[i];
                /* positions passing one popcount, written after the heavy
                 * ones found so far and compacted in place to entries */
                uint32_t *pos = out + got;
                size_t npos = rf_sigscan(sig, bounded, to, ts, (unsigned)need1, pos, m->simd);
                for (size_t k = 0; k < npos; k++) {
                    uint32_t i = pos[k]; /* out[got] never passes pos[k] */
                    size_t c1 = (size_t)__builtin_popcountll(ts & sig[i]);
                    if (c1 + (size_t)__builtin_popcountll(ts2 & sig2[i]) < common) continue;
                    if (rf_osa_distance_p(pat, text + (size_t)(i - from) * lb, lb, dm) <= dm)
                        out[got++] = ids[i];
                }
                r->entries.n += got;
            }
        }
    }
    /* each entry once: the maps and the typo search overlap */
    rf_stamps_clear(&r->seen);
    size_t k = 0;
    for (size_t i = 0; i < r->entries.n; i++) {
        uint32_t id = r->entries.v[i];
        if (rf_stamps_mark(&r->seen, id)) continue;
        r->entries.v[k++] = id;
    }
    r->entries.n = k;
    return true;
}

static void tc_flush(rf_results *r) {
    rf_strmap_free(&r->tc_map);
    rf_arena_reset(&r->tc_keys);
    r->tc_items.n = 0;
    r->tc_recs.n = 0;
}

/* The list tokens similar to query token t (join: to two query tokens
 * joined, by key only), with their similarities: complete, since every
 * kind the scorer knows is searched. Cached per thread by the token's text,
 * so a name seen again costs nothing; the cache is emptied when large. */
static const simrec *token_list(const rf_matcher *m, rf_results *r, const rf_tok *t, bool join,
                                uint32_t *count, bool *ok) {
    char key[RF_MAX_TOKEN_LEN * 2 + 2];
    size_t kl = 0;
    key[kl++] = join ? 'j' : 't';
    memcpy(key + kl, t->s, t->len);
    kl += t->len;
    uint32_t item;
    if (r->tc_stamp != m->stamp) { /* another matcher's tokens */
        tc_flush(r);
        r->tc_stamp = m->stamp;
    }
    if (rf_strmap_get(&r->tc_map, key, kl, &item)) {
        *count = r->tc_items.v[item].n;
        /* no records yet: tc_recs.v may be NULL, and NULL + 0 is undefined */
        return *count ? r->tc_recs.v + r->tc_items.v[item].off : NULL;
    }
    if (r->tc_items.n >= RF_TOKEN_CACHE_TOKENS || r->tc_recs.n >= RF_TOKEN_CACHE_RECORDS)
        tc_flush(r);
    rf_osa_pattern pat; /* t against every entry: its bit masks once */
    if (!join) rf_osa_prepare(&pat, t->s, t->len);
    if (!similar_entries(m, r, t, &pat, join)) {
        *ok = false;
        return NULL;
    }
    tc_item it = {(uint32_t)r->tc_recs.n, 0};
    for (size_t i = 0; *ok && i < r->entries.n; i++) {
        uint32_t id = r->entries.v[i];
        const rf_tok *e = &m->dict->e.v[id].tok;
        rf_token_how hf = RF_HOW_UNMATCHED, hk;
        float full = join ? 0.0f : (float)rf_tok_sim_p(t, &pat, e, true, &hf);
        float k = (float)rf_tok_sim_key(t, e, &hk);
        if (full <= 0 && k <= 0) continue;
        const rf_dentry *de = &m->dict->e.v[id];
        simrec rec = {id,
                      full,
                      k,
                      (uint8_t)hf,
                      (uint8_t)(hk == RF_HOW_EXACT ? RF_HOW_JOINED : hk),
                      de->post,
                      de->npost,
                      de->weight};
        RF_VEC_PUSH(r->tc_recs, rec, *ok);
        it.n++;
    }
    const char *stored = *ok ? rf_arena_strndup(&r->tc_keys, key, kl) : NULL;
    if (*ok) RF_VEC_PUSH(r->tc_items, it, *ok);
    if (*ok && (!stored ||
                !rf_strmap_put(&r->tc_map, stored, kl, (uint32_t)(r->tc_items.n - 1), NULL, NULL)))
        *ok = false;
    *count = it.n;
    return it.n ? r->tc_recs.v + it.off : NULL;
}

/* The per-query row of entry e for the lists (a zero row until set). */
static uint32_t list_row(rf_results *r, uint32_t e, bool *ok) {
    if (rf_stamps_has(&r->memo_mark, e)) return r->memo_row[e];
    uint32_t n = r->q.n;
    RF_VEC_RESERVE(r->memo_sim, 3 * n, *ok);
    if (*ok) RF_VEC_RESERVE(r->memo_how, 3 * n, *ok);
    if (!*ok) return 0;
    uint32_t row = (uint32_t)(r->memo_sim.n / (3 * (n ? n : 1)));
    memset(r->memo_sim.v + r->memo_sim.n, 0, 3 * n * sizeof *r->memo_sim.v);
    memset(r->memo_how.v + r->memo_how.n, RF_HOW_UNMATCHED, 3 * n);
    r->memo_sim.n += 3 * n;
    r->memo_how.n += 3 * n;
    rf_stamps_set(&r->memo_mark, e);
    r->memo_row[e] = row;
    return row;
}

/* Walks the lists of every query token: fills the rows, and adds to each
 * name's bound of matched query weight (see gen_candidates). need: the
 * query weight a name must match (initials aside). The lightest tokens
 * whose weights together stay below need are the tail: a name none of the
 * others reaches matches at most their sum (each query token is aligned
 * once) and cannot pass, so the tail's postings only add to names already
 * found, never start new ones (the large postings of "company", "trading"
 * are walked without growing the candidates). */
static bool walk_lists(const rf_matcher *m, rf_results *r, double need) {
    const rf_dict *d = m->dict;
    const qside *q = &r->q;
    uint32_t n = q->n;
    bool ok = true;
    bool tail[RF_MAX_TOKENS] = {false};
    double tail_w = 0;
    for (;;) {
        uint32_t best = UINT32_MAX;
        for (uint32_t i = 0; i < n; i++)
            if (!tail[i] && q->tok[i].len >= 2 && (best == UINT32_MAX || q->w[i] < q->w[best]))
                best = i;
        if (best == UINT32_MAX || tail_w + q->w[best] >= need * (1.0 - 1e-6)) break;
        tail[best] = true;
        tail_w += q->w[best];
    }
    /* row 0 stays all zero: entries no query token is similar to */
    RF_VEC_RESERVE(r->memo_sim, 3 * n, ok);
    if (ok) RF_VEC_RESERVE(r->memo_how, 3 * n, ok);
    if (!ok) return false;
    memset(r->memo_sim.v, 0, 3 * n * sizeof *r->memo_sim.v);
    memset(r->memo_how.v, RF_HOW_UNMATCHED, 3 * n);
    r->memo_sim.n = r->memo_how.n = 3 * n;
    /* the tokens and joins that find names first, then the tail's */
    for (int phase = 0; ok && phase < 2; phase++) {
        for (uint32_t i = 0; ok && i < n; i++) {
            if (q->tok[i].len < 2) continue; /* initials are scored directly */
            if (tail[i] != (phase == 1)) continue;
            uint32_t cnt;
            const simrec *v = token_list(m, r, &q->tok[i], false, &cnt, &ok);
            float w = q->w[i];
            for (uint32_t k = 0; ok && k < cnt; k++) {
                uint32_t row = list_row(r, v[k].entry, &ok);
                if (!ok) break;
                float *sim = r->memo_sim.v + (size_t)row * 3 * n;
                uint8_t *how = r->memo_how.v + (size_t)row * 3 * n;
                sim[i] = v[k].full;
                how[i] = v[k].how_full;
                sim[n + i] = v[k].key;
                how[n + i] = v[k].how_key;
                /* a list token's weight in a name is at most its entry's;
                 * a join's two tokens are not known here: no list bound */
                if (v[k].npost && v[k].full > 0)
                    ok = add_names(r, d, v[k].post, v[k].npost, v[k].full * w,
                                   v[k].full * v[k].weight, !tail[i]);
                if (ok && v[k].key > 0) {
                    const rf_dentry *e = &d->e.v[v[k].entry];
                    if (e->ncpost)
                        ok = add_names(r, d, e->cpost, e->ncpost, v[k].key * w, INFINITY, !tail[i]);
                }
            }
            /* the lists live in the cache: a refill may move them, so no
             * pointer into them is kept past this loop */
        }
        for (uint32_t i = 0; ok && i + 1 < n; i++) {
            if (!q->cat[i].len) continue;
            if ((tail[i] && tail[i + 1]) != (phase == 1)) continue;
            uint32_t cnt;
            const simrec *v = token_list(m, r, &q->cat[i], true, &cnt, &ok);
            float w = q->w[i] + q->w[i + 1];
            for (uint32_t k = 0; ok && k < cnt; k++) {
                uint32_t row = list_row(r, v[k].entry, &ok);
                if (!ok) break;
                r->memo_sim.v[(size_t)row * 3 * n + 2 * n + i] = v[k].key;
                r->memo_how.v[(size_t)row * 3 * n + 2 * n + i] = v[k].how_key;
                if (v[k].npost && v[k].key > 0)
                    ok = add_names(r, d, v[k].post, v[k].npost, v[k].key * w,
                                   v[k].key * v[k].weight, !(tail[i] && tail[i + 1]));
            }
        }
    }
    return ok;
}

/* Fills r->cand_names with every name that can reach the threshold; sets
 * *all when every name must be scored instead.
 *
 * A name's score is at most share * g(M) + (1 - share) + bonus, where M is
 * the query weight it matches (similarity times weight, summed) and
 *   g(M) = M / (M + u * (W - M))      (W: query weight, u: RF_UNMATCHED_WEIGHT)
 * bounds the query coverage (score.c). So a name needs M >= Mmin, solved
 * from g(M) >= c. Walking the postings of every list token similar to each
 * query token (by any kind the scorer knows) adds up an upper bound of M
 * per name; only names whose bound reaches Mmin are scored. Initials are
 * not walked (every name has a token starting with some letter): their
 * weight is counted as matched for every name.
 *
 * The list side bounds the same way: l_cov <= g_l(L) with L the list weight
 * matched (each similar token's entry weight times similarity, which is at
 * least its weight in the name) and T the name's total weight; so a name
 * whose query part could pass is kept only when
 *   share * g(M) + (1 - share) * g_l(L) + bonus >= threshold.
 * Joins and query initials give no list bound (g_l taken as 1). */
static bool gen_candidates(const rf_matcher *m, rf_results *r, const rf_query *query,
                           double threshold, bool *all) {
    const qside *q = &r->q;
    *all = false;
    r->cand_names.n = 0;
    rf_stamps_clear(&r->name_mark);
    double total = 0, initials = 0;
    for (uint32_t i = 0; i < q->n; i++) {
        total += q->w[i];
        if (q->tok[i].len < 2) initials += q->w[i]; /* at most exact */
    }
    double bonus = (query->birth_date.year ? 0.05 : 0) + (query->country ? 0.03 : 0);
    double c = (threshold - bonus - (1.0 - RF_QUERY_SHARE)) / RF_QUERY_SHARE;
    if (c <= 0 || total <= 0) {
        *all = true;
        return true;
    }
    double u = RF_UNMATCHED_WEIGHT;
    double need = c >= 1 ? total : c * u * total / (1.0 - c + c * u);
    need = need * (1.0 - 1e-6) - initials;
    if (!walk_lists(m, r, need)) return false;
    /* keep the names whose bounds reach the need and the threshold: the
     * entity's own birth date, country and schema adjust the final score
     * whichever name matched, so they replace the largest bonus here (an
     * entity found by a document or wallet keeps every name: one explains) */
    const rf_dname *names = m->dict->names.v;
    size_t k = 0;
    for (size_t i = 0; i < r->cand_names.n; i++) {
        uint32_t name = r->cand_names.v[i];
        const name_bound *b = &r->name_acc[name];
        if (b->q < need) continue;
        uint32_t e = names[name].entity;
        if (!r->hit[e]) {
            double t = names[name].total_w, l = b->l;
            double mq = b->q + initials < total ? b->q + initials : total;
            double gq = mq / (mq + u * (total - mq));
            double gl = initials == 0 && l < t ? l / (l + u * (t - l)) : 1.0;
            double base = RF_QUERY_SHARE * gq + (1.0 - RF_QUERY_SHARE) * gl;
            if (base + bonus < threshold * (1.0 - 1e-6)) continue;
            /* the entity's attributes bounded from its hint, then exactly */
            const rf_entity_hint *h = &m->hints[e];
            double most = rf_attr_birth_bound(query->birth_date.year, h->birth_lo, h->birth_hi) +
                          (query->country && *query->country ? 0.03 : 0.0);
            const char *why;
            most += rf_attr_schema(query->schema, (rf_schema)h->schema, &why);
            if (base + most < threshold * (1.0 - 1e-6)) continue;
            const rf_entity *ent = rf_dataset_entity(m->ds, e);
            double attrs = rf_attr_birth_date(&query->birth_date, ent, &why) +
                           rf_attr_country(query->country, ent, &why) +
                           rf_attr_schema(query->schema, ent->schema, &why);
            if (base + attrs < threshold * (1.0 - 1e-6)) continue;
        }
        r->cand_names.v[k++] = name;
    }
    r->cand_names.n = k;
    return true;
}

/* ---- scoring ---- */

/* The score of the query against index name `name`; -1 on out of memory.
 * The token similarities are rows: from the lists of the query's tokens
 * (walk_lists), or, when every name is scored, computed here (memo_row). */
static double name_score(const rf_matcher *m, rf_results *r, uint32_t name, rf_edge *edges,
                         size_t *nedges) {
    const rf_dict *d = m->dict;
    const rf_dname *dn = &d->names.v[name];
    const qside *q = &r->q;
    uint32_t n = q->n;
    uint32_t rows[RF_MAX_TOKENS], cats[RF_MAX_TOKENS];
    bool ok = true;
    for (uint32_t j = 0; j < dn->ntok && ok; j++) {
        uint32_t e = d->name_toks.v[dn->tok + j], c = d->name_cat.v[dn->tok + j];
        cats[j] = UINT32_MAX;
        if (!r->direct) {
            rows[j] = rf_stamps_has(&r->memo_mark, e) ? r->memo_row[e] : 0;
            if (c != UINT32_MAX && rf_stamps_has(&r->memo_mark, c)) cats[j] = r->memo_row[c];
            continue;
        }
        rows[j] = memo_row(m, r, e, &ok);
        if (c == UINT32_MAX || !ok) continue;
        /* a join only matches by key: skip it when no query token shares
         * its romanisation or phonetic key (exact implies the same key) */
        const rf_tok *ct = &d->e.v[c].tok;
        bool maybe = false;
        for (uint32_t i = 0; i < n && !maybe; i++)
            maybe = q->tok[i].rom == ct->rom || (ct->phon && q->tok[i].phon == ct->phon);
        if (maybe) cats[j] = memo_row(m, r, c, &ok);
    }
    if (!ok) return -1;
    rf_sims *sm = &r->sims;
    size_t stride = (size_t)3 * n;
    for (uint32_t j = 0; j < dn->ntok; j++) {
        const float *row = r->memo_sim.v + rows[j] * stride;
        const uint8_t *how = r->memo_how.v + rows[j] * stride;
        sm->pair[j] = row;
        sm->pair_how[j] = how;
        sm->qjoin[j] = row + 2 * n;
        sm->qjoin_how[j] = how + 2 * n;
        sm->ljoin[j] = cats[j] == UINT32_MAX ? NULL : r->memo_sim.v + cats[j] * stride + n;
        sm->ljoin_how[j] = cats[j] == UINT32_MAX ? NULL : r->memo_how.v + cats[j] * stride + n;
    }
    if (!r->direct && q->initials) {
        /* the lists leave initials out: score them against this name here */
        for (uint32_t j = 0; j < dn->ntok; j++) {
            float *row = r->sims_buf.sim[j][0];
            uint8_t *how = r->sims_buf.how[j][0];
            memcpy(row, sm->pair[j], n * sizeof *row);
            memcpy(how, sm->pair_how[j], n);
            const rf_tok *e = &d->e.v[d->name_toks.v[dn->tok + j]].tok;
            for (uint32_t i = 0; i < n; i++)
                if (q->tok[i].len < 2) {
                    rf_token_how h;
                    row[i] = (float)rf_tok_sim(&q->tok[i], e, true, &h);
                    how[i] = (uint8_t)h;
                }
            sm->pair[j] = row;
            sm->pair_how[j] = how;
        }
    }
    rf_side qs = {
        q->w, q->nt.cls, q->nt.len, q->n, true, q->nt.script, q->has_chars ? q->chars : NULL};
    rf_side ls = {d->name_w.v + dn->tok,
                  d->name_cls.v + dn->tok,
                  d->name_len.v + dn->tok,
                  dn->ntok,
                  dn->person,
                  dn->script,
                  NULL};
    if (q->has_chars && dn->script == q->nt.script) {
        /* rare (both names in Han or Hangul): read the list name as written */
        const char *text = rf_dataset_entity(m->ds, dn->entity)->names[dn->name].text;
        if (rf_text_letters(text, strlen(text), r->lchars, RF_MAX_TOKENS) == dn->ntok)
            ls.chars = r->lchars;
    }
    rf_name_score s = rf_score_names(&qs, &ls, sm, edges, nedges);
    return dn->weak ? s.score * RF_WEAK_FACTOR : s.score;
}

double rf_matcher_compare(const rf_matcher *m, rf_results *res, const char *query_name,
                          const char *list_name, rf_schema schema) {
    if (!ensure_scratch(m, res)) return -1;
    bool org = schema != RF_SCHEMA_PERSON;
    if (!need_translit(res, query_name) || !need_translit(res, list_name) ||
        !prepare_side(m, res->tr, query_name, org, false, &res->q) ||
        !prepare_side(m, res->tr, list_name, org, !org, &res->other))
        return -1;
    /* the list side weighs its tokens like the index does */
    qside *o = &res->other;
    rf_side qs = {res->q.w,
                  res->q.nt.cls,
                  res->q.nt.len,
                  res->q.n,
                  true,
                  res->q.nt.script,
                  res->q.has_chars ? res->q.chars : NULL};
    rf_side ls = {
        o->w, o->nt.cls, o->nt.len, o->n, !org, o->nt.script, o->has_chars ? o->chars : NULL};
    rf_sims_from_tokens(res->q.tok, res->q.cat, res->q.n, o->tok, o->cat, o->n, !org,
                        &res->sims_buf, &res->sims);
    return rf_score_names(&qs, &ls, &res->sims, NULL, NULL).score;
}

/* ---- explanation ---- */

static const char *join_tokens(rf_results *r, const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *s = rf_arena_alloc(&r->strs, la + lb + 2);
    if (!s) return a;
    memcpy(s, a, la);
    s[la] = ' ';
    memcpy(s + la + 1, b, lb);
    s[la + lb + 1] = '\0';
    return s;
}

static bool explain_name(const rf_matcher *m, rf_results *r, uint32_t name, rf_match *mt) {
    rf_edge edges[RF_MAX_TOKENS * 2];
    size_t ne = 0;
    if (name_score(m, r, name, edges, &ne) < 0) return false;
    const rf_dname *dn = &m->dict->names.v[name];
    const uint32_t *lt = m->dict->name_toks.v + dn->tok;
    bool ok;
    RF_VEC_RESERVE(r->pairs, ne + r->q.n + dn->ntok, ok);
    if (!ok) return false;
    size_t start = r->pairs.n;
    bool qused[RF_MAX_TOKENS] = {false}, lused[RF_MAX_TOKENS] = {false};
    const qside *q = &r->q;
    for (size_t k = 0; k < ne; k++) {
        const rf_edge *e = &edges[k];
        const char *qs = rf_name_token(&q->nt, e->qa);
        if (e->qb != e->qa) qs = join_tokens(r, qs, rf_name_token(&q->nt, e->qb));
        const char *ls = m->dict->e.v[lt[e->la]].tok.s;
        if (e->lb != e->la) ls = join_tokens(r, ls, m->dict->e.v[lt[e->lb]].tok.s);
        rf_token_how how = (rf_token_how)e->how;
        if (how == RF_HOW_EXACT && q->nt.transliterated) how = RF_HOW_TRANSLITERATED;
        r->pairs.v[r->pairs.n++] = (rf_token_pair){qs, ls, e->sim, how};
        qused[e->qa] = qused[e->qb] = lused[e->la] = lused[e->lb] = true;
    }
    for (uint32_t i = 0; i < q->n; i++)
        if (!qused[i])
            r->pairs.v[r->pairs.n++] =
                (rf_token_pair){rf_name_token(&q->nt, i), NULL, 0, RF_HOW_UNMATCHED};
    for (uint32_t j = 0; j < dn->ntok; j++)
        if (!lused[j])
            r->pairs.v[r->pairs.n++] =
                (rf_token_pair){NULL, m->dict->e.v[lt[j]].tok.s, 0, RF_HOW_UNMATCHED};
    mt->n_pairs = r->pairs.n - start;
    mt->pairs = (const rf_token_pair *)(uintptr_t)start; /* fixed up at the end */
    return true;
}

/* ---- the query ---- */

enum { HIT_ID = 1, HIT_WALLET = 2 };

static bool touch(rf_results *r, uint32_t e) {
    if (r->best[e] >= 0 || r->hit[e]) return true;
    bool ok;
    RF_VEC_PUSH(r->touched, e, ok);
    return ok;
}

static bool lookup(rf_results *r, const rf_strmap *map, const posting_vec *post, const char *canon,
                   size_t len, uint8_t bit) {
    uint32_t k;
    if (!rf_strmap_get(map, canon, len, &k)) return true;
    for (; k != UINT32_MAX; k = post->v[k].next) {
        uint32_t e = post->v[k].entity;
        if (!touch(r, e)) return false;
        if (!(r->hit[e] & (HIT_ID | HIT_WALLET))) r->hit_item[e] = post->v[k].item;
        r->hit[e] |= bit;
    }
    return true;
}

static int cmp_cand(const void *pa, const void *pb) {
    const rf_match *a = &((const cand *)pa)->m, *b = &((const cand *)pb)->m;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    /* dataset order is list rank, then source id */
    return a->entity < b->entity ? -1 : a->entity > b->entity;
}

static void score_name(const rf_matcher *m, rf_results *r, uint32_t name, double s) {
    const rf_dname *names = m->dict->names.v;
    uint32_t e = names[name].entity;
    float f = (float)s;
    /* equal scores, whatever order the candidates came in: the name whose
     * token count is nearest the query's ("Sangman Kim" shows KIM, Sangman,
     * "Kim Sang Man" KIM, Sang Man), then the entity's earlier name */
    bool better = f > r->best[e];
    if (!better && f == r->best[e]) {
        uint32_t qn = r->q.n, an = names[name].ntok, bn = names[r->best_name[e]].ntok;
        uint32_t da = an > qn ? an - qn : qn - an, db = bn > qn ? bn - qn : qn - bn;
        better = da < db || (da == db && name < r->best_name[e]);
    }
    if (better) {
        r->best[e] = f;
        r->best_name[e] = name;
    }
}

static bool push_feature(rf_results *r, const char *name, double delta, const char *detail) {
    bool ok;
    rf_feature f = {name, delta, detail};
    RF_VEC_PUSH(r->features, f, ok);
    return ok;
}

rf_status rf_match_query(const rf_matcher *m, const rf_query *q, const rf_match_options *opts,
                         rf_results *res, rf_error *err) {
    rf_match_options defaults;
    if (!opts) {
        rf_match_options_init(&defaults);
        opts = &defaults;
    }
    size_t limit = opts->limit ? opts->limit : RF_DEFAULT_LIMIT;
    double threshold = opts->threshold;
    res->matches.n = res->cands.n = res->pairs.n = res->features.n = 0;
    res->q.n = 0;
    rf_arena_reset(&res->strs);
    const rf_dataset *ds = m->ds;
    const rf_dict *d = m->dict;
    if (!ensure_scratch(m, res) || !memo_reset(m, res))
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    bool ofac = opts->algorithm == RF_ALGO_OFAC;
    bool has_name = false;
    if (q->name && *q->name) {
        bool org = q->schema != RF_SCHEMA_PERSON;
        if (!need_translit(res, q->name) || !prepare_side(m, res->tr, q->name, org, false, &res->q))
            return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        if (res->q.nt.truncated)
            return rf_fail(err, RF_E_LIMIT, NULL, 0,
                           "field \"name\": more than %d words (limit); shorten it",
                           RF_LIMIT_NAME_TOKENS);
        has_name = res->q.n > 0;
    }
    bool has_ids = false;
    for (size_t i = 0; i < q->n_identifiers; i++)
        if (q->identifiers[i].number && *q->identifiers[i].number) has_ids = true;
    for (size_t i = 0; i < q->n_wallets; i++)
        if (q->wallets[i].address && *q->wallets[i].address) has_ids = true;
    if (!has_name && !has_ids)
        return rf_fail(err, RF_E_INVALID, NULL, 0,
                       "nothing to screen: give a name (with letters or digits), an identifier "
                       "or a wallet");

    bool ok = true;
    char canon[256];
    for (size_t i = 0; ok && i < q->n_identifiers; i++) {
        const char *num = q->identifiers[i].number;
        size_t len = num ? rf_id_canonical(num, strlen(num), canon, sizeof canon) : 0;
        if (len >= RF_ID_MIN_LEN) ok = lookup(res, &m->id_map, &m->id_post, canon, len, HIT_ID);
    }
    for (size_t i = 0; ok && i < q->n_wallets; i++) {
        const char *addr = q->wallets[i].address;
        size_t len = addr ? rf_wallet_canonical(addr, strlen(addr), canon, sizeof canon) : 0;
        if (len) ok = lookup(res, &m->wallet_map, &m->wallet_post, canon, len, HIT_WALLET);
    }

    if (ok && has_name && ofac) {
        /* the OFAC tool compares every name */
        const char *text = q->name;
        size_t len = strlen(text);
        rf_buf latin;
        rf_buf_init(&latin);
        if (rf_needs_translit(text, len) && need_translit(res, text) &&
            rf_translit_run(res->tr, text, len, &latin)) {
            text = rf_buf_str(&latin);
            len = latin.len;
        }
        ok = rf_norm_name(text, len, &res->qnorm);
        rf_buf_free(&latin);
        for (size_t i = 0; ok && i < d->names.n; i++) {
            double s = rf_ofac_score_normalized(res->qnorm.data, res->qnorm.len, m->ofac_name[i],
                                                m->ofac_len[i]) /
                       100.0;
            uint32_t e = d->names.v[i].entity;
            if (s < threshold && !res->hit[e] && res->best[e] < 0) continue;
            if ((ok = touch(res, e))) score_name(m, res, (uint32_t)i, s);
        }
    } else if (ok && has_name) {
        bool all = opts->exhaustive;
        res->direct = all;
        if (!all) ok = gen_candidates(m, res, q, threshold, &all);
        if (all && !res->direct) {
            /* the bound could not prune: score every name, rows computed */
            res->direct = true;
            ok = ok && memo_reset(m, res);
        }
        size_t n = all ? d->names.n : res->cand_names.n;
        for (size_t k = 0; ok && k < n; k++) {
            uint32_t name = all ? (uint32_t)k : res->cand_names.v[k];
            double s = name_score(m, res, name, NULL, NULL);
            if (s < 0) {
                ok = false;
                break;
            }
            uint32_t e = d->names.v[name].entity;
            if (s + RF_ATTR_MAX_BONUS < threshold && !res->hit[e]) continue;
            if ((ok = touch(res, e))) score_name(m, res, name, s);
        }
    }

    for (size_t t = 0; ok && t < res->touched.n; t++) {
        uint32_t e = res->touched.v[t];
        const rf_entity *ent = rf_dataset_entity(ds, e);
        double ns = res->best[e] >= 0 ? res->best[e] : 0.0;
        rf_match mt;
        memset(&mt, 0, sizeof mt);
        mt.entity = ent;
        mt.name_score = ns;
        mt.basis = RF_BASIS_NAME;
        double score = ns;
        size_t fstart = res->features.n;
        if (res->best[e] >= 0 && !ofac) {
            const char *why;
            double a = rf_attr_birth_date(&q->birth_date, ent, &why);
            if (why) ok = ok && push_feature(res, "birth_date", a, why);
            double c = rf_attr_country(q->country, ent, &why);
            if (why) ok = ok && push_feature(res, "country", c, why);
            double sc = rf_attr_schema(q->schema, ent->schema, &why);
            if (why) ok = ok && push_feature(res, "schema", sc, why);
            if (d->names.v[res->best_name[e]].weak)
                ok = ok && push_feature(res, "weak_alias", ns - ns / RF_WEAK_FACTOR,
                                        "matched a weak alias");
            if (ent->listing == RF_LISTING_BLOCKED_50)
                ok = ok && push_feature(res, "ofac_50_rule", 0,
                                        "not listed itself, but owned 50% or more by blocked "
                                        "parties (see its owned_by links)");
            score = ns + a + c + sc;
            score = score < 0 ? 0 : score > 1 ? 1 : score;
        }
        if (res->hit[e]) {
            score = 1.0;
            mt.basis = res->hit[e] & HIT_WALLET ? RF_BASIS_WALLET : RF_BASIS_IDENTIFIER;
            mt.id_index = res->hit_item[e];
        }
        mt.score = score;
        if (score >= threshold) {
            mt.name_index = res->best[e] >= 0 ? d->names.v[res->best_name[e]].name : 0;
            mt.features = (const rf_feature *)(uintptr_t)fstart;
            mt.n_features = res->features.n - fstart;
            cand c = {mt, res->best[e] >= 0 ? res->best_name[e] : UINT32_MAX};
            RF_VEC_PUSH(res->cands, c, ok);
        } else {
            res->features.n = fstart;
        }
    }
    /* reset scratch for the next query */
    for (size_t t = 0; t < res->touched.n; t++) {
        uint32_t e = res->touched.v[t];
        res->best[e] = -1.0f;
        res->hit[e] = 0;
    }
    res->touched.n = 0;
    if (!ok) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");

    /* order, cut to the limit, then explain only what is returned */
    if (res->cands.n) qsort(res->cands.v, res->cands.n, sizeof *res->cands.v, cmp_cand);
    size_t n = res->cands.n < limit ? res->cands.n : limit;
    RF_VEC_RESERVE(res->matches, n, ok);
    for (size_t i = 0; ok && i < n; i++) {
        rf_match *mt = &res->matches.v[res->matches.n++];
        *mt = res->cands.v[i].m;
        uint32_t w = res->cands.v[i].name;
        mt->pairs = NULL;
        mt->n_pairs = 0;
        if (w != UINT32_MAX && !ofac && res->q.n) ok = explain_name(m, res, w, mt);
    }
    /* pointers into the vectors only now that they stop growing */
    for (size_t i = 0; ok && i < res->matches.n; i++) {
        rf_match *mt = &res->matches.v[i];
        mt->pairs = mt->n_pairs ? res->pairs.v + (uintptr_t)mt->pairs : NULL;
        mt->features = mt->n_features ? res->features.v + (uintptr_t)mt->features : NULL;
    }
    return ok ? RF_OK : rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
}
