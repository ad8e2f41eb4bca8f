/* The first scorer: every name of every entity is normalised once when the
 * matcher is built; a query name is normalised, then compared with every
 * list name by token-aligned, order-insensitive Jaro-Winkler. The best name
 * of an entity is its score. Identity documents and wallets are looked up
 * in hash tables: an equal value is a match of score 1.0 on its own. */
#include "match/identifiers.h"
#include "match/jaro.h"
#include "redflag/match.h"
#include "text/normalize.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/strmap.h"
#include "util/vec.h"

#include <stdlib.h>
#include <string.h>

/* Tokens beyond this many in one name are ignored (documented limit). */
#define RF_MAX_TOKENS 32
/* A token pair less similar than this counts as unmatched: Jaro-Winkler
 * gives unrelated short words 0.5-0.7. */
#define PAIR_FLOOR 0.80

typedef struct ptok {
    const char *s; /* NUL-terminated, in the matcher's arena */
    uint32_t len;
} ptok;

typedef struct pname {
    uint32_t entity; /* index in the dataset */
    uint32_t name;   /* index in the entity's names */
    uint32_t tok;    /* first token in toks */
    uint32_t ntok;
} pname;

/* One identifier or wallet value; values sharing a key are chained. */
typedef struct posting {
    uint32_t entity;
    uint32_t item; /* index in the entity's identifiers or wallets */
    uint32_t next; /* next posting with the same key, or UINT32_MAX */
} posting;

typedef RF_VEC(posting) posting_vec;

struct rf_matcher {
    const rf_dataset *ds;
    rf_arena arena;
    RF_VEC(pname) names;
    RF_VEC(ptok) toks;
    rf_strmap id_map;
    posting_vec id_post;
    rf_strmap wallet_map;
    posting_vec wallet_post;
};

/* A match before explanation: which prepared name scored best. */
typedef struct cand {
    rf_match m;
    uint32_t pname; /* UINT32_MAX: no name scored */
} cand;

struct rf_results {
    RF_VEC(rf_match) matches;
    RF_VEC(cand) cands;
    RF_VEC(rf_token_pair) pairs;
    rf_buf qnorm; /* normalised query name, tokens NUL-separated */
    ptok qtok[RF_MAX_TOKENS];
    uint32_t nqtok;
    float *best; /* per entity: best name score this query */
    uint32_t *best_name;
    uint8_t *hit; /* per entity: basis bits of this query */
    uint32_t *hit_item;
    size_t best_cap;
    RF_VEC(uint32_t) touched;
};

void rf_match_options_init(rf_match_options *o) {
    o->threshold = RF_DEFAULT_THRESHOLD;
    o->limit = RF_DEFAULT_LIMIT;
    o->algorithm = RF_ALGO_DEFAULT;
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
    case RF_HOW_FUZZY:
        return "fuzzy";
    default:
        return "unmatched";
    }
}

/* Splits a normalised name ("kim sang man") in place into tokens. */
static uint32_t split_tokens(char *s, size_t len, ptok *out, uint32_t max) {
    uint32_t n = 0;
    size_t i = 0;
    while (i < len && n < max) {
        size_t st = i;
        while (i < len && s[i] != ' ')
            i++;
        out[n].s = s + st;
        out[n].len = (uint32_t)(i - st);
        n++;
        if (i < len) s[i++] = '\0';
    }
    return n;
}

/* Greedy best-first alignment of two token lists. Returns the score and,
 * when pairs is non-NULL, writes the alignment (at most na + nb pairs). */
static double align(const ptok *a, uint32_t na, const ptok *b, uint32_t nb, rf_token_pair *pairs,
                    size_t *npairs) {
    double sim[RF_MAX_TOKENS][RF_MAX_TOKENS];
    bool used_a[RF_MAX_TOKENS] = {false}, used_b[RF_MAX_TOKENS] = {false};
    double total = 0, got = 0;
    for (uint32_t i = 0; i < na; i++)
        total += a[i].len;
    for (uint32_t j = 0; j < nb; j++)
        total += b[j].len;
    for (uint32_t i = 0; i < na; i++)
        for (uint32_t j = 0; j < nb; j++)
            sim[i][j] = rf_jaro_winkler(a[i].s, a[i].len, b[j].s, b[j].len);
    size_t np = 0;
    uint32_t rounds = na < nb ? na : nb;
    for (uint32_t r = 0; r < rounds; r++) {
        double best = PAIR_FLOOR - 1e-9;
        uint32_t bi = 0, bj = 0;
        bool found = false;
        for (uint32_t i = 0; i < na; i++) {
            if (used_a[i]) continue;
            for (uint32_t j = 0; j < nb; j++)
                if (!used_b[j] && sim[i][j] > best) {
                    best = sim[i][j];
                    bi = i;
                    bj = j;
                    found = true;
                }
        }
        if (!found) break;
        used_a[bi] = used_b[bj] = true;
        got += best * (a[bi].len + b[bj].len);
        if (pairs)
            pairs[np++] =
                (rf_token_pair){a[bi].s, b[bj].s, best, best >= 1.0 ? RF_HOW_EXACT : RF_HOW_FUZZY};
    }
    if (pairs) {
        for (uint32_t i = 0; i < na; i++)
            if (!used_a[i]) pairs[np++] = (rf_token_pair){a[i].s, NULL, 0, RF_HOW_UNMATCHED};
        for (uint32_t j = 0; j < nb; j++)
            if (!used_b[j]) pairs[np++] = (rf_token_pair){NULL, b[j].s, 0, RF_HOW_UNMATCHED};
        *npairs = np;
    }
    return total > 0 ? got / total : 0.0;
}

double rf_name_similarity(const char *x, const char *y) {
    rf_buf a, b;
    rf_buf_init(&a);
    rf_buf_init(&b);
    double s = 0;
    if (rf_norm_name(x, strlen(x), &a) && rf_norm_name(y, strlen(y), &b) && a.len && b.len) {
        ptok ta[RF_MAX_TOKENS], tb[RF_MAX_TOKENS];
        uint32_t na = split_tokens(a.data, a.len, ta, RF_MAX_TOKENS);
        uint32_t nb = split_tokens(b.data, b.len, tb, RF_MAX_TOKENS);
        s = align(ta, na, tb, nb, NULL, NULL);
    }
    rf_buf_free(&a);
    rf_buf_free(&b);
    return s;
}

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

rf_status rf_matcher_new(const rf_dataset *ds, rf_matcher **out, rf_error *err) {
    *out = NULL;
    rf_matcher *m = rf_calloc(1, sizeof *m);
    if (!m) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    m->ds = ds;
    rf_arena_init(&m->arena);
    rf_strmap_init(&m->id_map);
    rf_strmap_init(&m->wallet_map);
    rf_buf norm;
    rf_buf_init(&norm);
    bool ok = true;
    char canon[256];
    for (size_t e = 0; ok && e < rf_dataset_count(ds); e++) {
        const rf_entity *ent = rf_dataset_entity(ds, e);
        for (size_t k = 0; ok && k < ent->n_names; k++) {
            const char *t = ent->names[k].text;
            ok = rf_norm_name(t, strlen(t), &norm);
            if (!ok || norm.len == 0) continue;
            char *s = rf_arena_strndup(&m->arena, norm.data, norm.len);
            ptok tmp[RF_MAX_TOKENS];
            uint32_t nt = s ? split_tokens(s, norm.len, tmp, RF_MAX_TOKENS) : 0;
            ok = s != NULL;
            pname pn = {(uint32_t)e, (uint32_t)k, (uint32_t)m->toks.n, nt};
            if (ok) RF_VEC_RESERVE(m->toks, nt, ok);
            if (ok) {
                memcpy(m->toks.v + m->toks.n, tmp, nt * sizeof *tmp);
                m->toks.n += nt;
                RF_VEC_PUSH(m->names, pn, ok);
            }
        }
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
    rf_buf_free(&norm);
    if (!ok) {
        rf_matcher_free(m);
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory building the matcher");
    }
    *out = m;
    return RF_OK;
}

void rf_matcher_free(rf_matcher *m) {
    if (!m) return;
    RF_VEC_FREE(m->names);
    RF_VEC_FREE(m->toks);
    rf_strmap_free(&m->id_map);
    rf_strmap_free(&m->wallet_map);
    RF_VEC_FREE(m->id_post);
    RF_VEC_FREE(m->wallet_post);
    rf_arena_free(&m->arena);
    rf_free(m);
}

const rf_dataset *rf_matcher_dataset(const rf_matcher *m) {
    return m->ds;
}

rf_results *rf_results_new(void) {
    rf_results *r = rf_calloc(1, sizeof *r);
    if (r) rf_buf_init(&r->qnorm);
    return r;
}

void rf_results_free(rf_results *r) {
    if (!r) return;
    RF_VEC_FREE(r->matches);
    RF_VEC_FREE(r->cands);
    RF_VEC_FREE(r->pairs);
    RF_VEC_FREE(r->touched);
    rf_buf_free(&r->qnorm);
    rf_free(r->best);
    rf_free(r->best_name);
    rf_free(r->hit);
    rf_free(r->hit_item);
    rf_free(r);
}

size_t rf_results_count(const rf_results *r) {
    return r->matches.n;
}

const rf_match *rf_results_get(const rf_results *r, size_t i) {
    return i < r->matches.n ? &r->matches.v[i] : NULL;
}

static bool ensure_scratch(rf_results *r, size_t n) {
    if (r->best_cap >= n) return true;
    rf_free(r->best);
    rf_free(r->best_name);
    rf_free(r->hit);
    rf_free(r->hit_item);
    r->best = rf_malloc(n * sizeof *r->best);
    r->best_name = rf_malloc(n * sizeof *r->best_name);
    r->hit = rf_calloc(n, sizeof *r->hit);
    r->hit_item = rf_malloc(n * sizeof *r->hit_item);
    if (!r->best || !r->best_name || !r->hit || !r->hit_item) {
        r->best_cap = 0;
        return false;
    }
    for (size_t i = 0; i < n; i++)
        r->best[i] = -1.0f;
    r->best_cap = n;
    return true;
}

/* Whether a query of schema qs may match an entity of schema es. */
static bool schema_compatible(rf_schema qs, rf_schema es) {
    if (qs == RF_SCHEMA_UNKNOWN || es == RF_SCHEMA_UNKNOWN || qs == es) return true;
    if (qs == RF_SCHEMA_PERSON || es == RF_SCHEMA_PERSON) return false;
    return true; /* organisations, vessels and aircraft are often named alike */
}

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

rf_status rf_match_query(const rf_matcher *m, const rf_query *q, const rf_match_options *opts,
                         rf_results *res, rf_error *err) {
    rf_match_options defaults;
    if (!opts) {
        rf_match_options_init(&defaults);
        opts = &defaults;
    }
    size_t limit = opts->limit ? opts->limit : RF_DEFAULT_LIMIT;
    res->matches.n = res->cands.n = res->pairs.n = 0;
    res->nqtok = 0;
    const rf_dataset *ds = m->ds;
    size_t ne = rf_dataset_count(ds);
    if (!ensure_scratch(res, ne)) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");

    if (q->name && *q->name) {
        if (!rf_norm_name(q->name, strlen(q->name), &res->qnorm))
            return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        res->nqtok = split_tokens(res->qnorm.data, res->qnorm.len, res->qtok, RF_MAX_TOKENS);
    }
    bool has_ids = false;
    for (size_t i = 0; i < q->n_identifiers; i++)
        if (q->identifiers[i].number && *q->identifiers[i].number) has_ids = true;
    for (size_t i = 0; i < q->n_wallets; i++)
        if (q->wallets[i].address && *q->wallets[i].address) has_ids = true;
    if (res->nqtok == 0 && !has_ids)
        return rf_fail(err, RF_E_INVALID, NULL, 0,
                       "nothing to screen: give a name (with letters or digits), an identifier "
                       "or a wallet");

    rf_status st = RF_OK;
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
    /* every name of every entity: the first scorer has no index */
    for (size_t i = 0; ok && res->nqtok && i < m->names.n; i++) {
        const pname *pn = &m->names.v[i];
        const rf_entity *ent = rf_dataset_entity(ds, pn->entity);
        if (!schema_compatible(q->schema, ent->schema)) continue;
        double s = align(res->qtok, res->nqtok, m->toks.v + pn->tok, pn->ntok, NULL, NULL);
        if (s < opts->threshold && !res->hit[pn->entity]) continue;
        if (!touch(res, pn->entity))
            ok = false;
        else if (s > res->best[pn->entity]) {
            res->best[pn->entity] = (float)s;
            res->best_name[pn->entity] = (uint32_t)i;
        }
    }
    for (size_t t = 0; ok && t < res->touched.n; t++) {
        uint32_t e = res->touched.v[t];
        double ns = res->best[e] >= 0 ? res->best[e] : 0.0;
        rf_match mt;
        memset(&mt, 0, sizeof mt);
        mt.entity = rf_dataset_entity(ds, e);
        mt.name_score = ns;
        mt.score = ns;
        mt.basis = RF_BASIS_NAME;
        if (res->hit[e]) {
            mt.score = 1.0;
            mt.basis = res->hit[e] & HIT_WALLET ? RF_BASIS_WALLET : RF_BASIS_IDENTIFIER;
            mt.id_index = res->hit_item[e];
        }
        if (mt.score >= opts->threshold) {
            /* name_index: the best name, or the primary name without one */
            mt.name_index = res->best[e] >= 0 ? m->names.v[res->best_name[e]].name : 0;
            cand c = {mt, res->best[e] >= 0 ? res->best_name[e] : UINT32_MAX};
            RF_VEC_PUSH(res->cands, c, ok);
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
    qsort(res->cands.v, res->cands.n, sizeof *res->cands.v, cmp_cand);
    size_t n = res->cands.n < limit ? res->cands.n : limit;
    RF_VEC_RESERVE(res->matches, n, ok);
    size_t npairs = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t w = res->cands.v[i].pname;
        if (w != UINT32_MAX) npairs += res->nqtok + m->names.v[w].ntok;
    }
    if (ok) RF_VEC_RESERVE(res->pairs, npairs, ok);
    for (size_t i = 0; ok && i < n; i++) {
        rf_match *mt = &res->matches.v[res->matches.n++];
        *mt = res->cands.v[i].m;
        uint32_t w = res->cands.v[i].pname;
        if (w == UINT32_MAX || !res->nqtok) continue;
        const pname *pn = &m->names.v[w];
        mt->pairs = res->pairs.v + res->pairs.n;
        align(res->qtok, res->nqtok, m->toks.v + pn->tok, pn->ntok, res->pairs.v + res->pairs.n,
              &mt->n_pairs);
        res->pairs.n += mt->n_pairs;
    }
    if (!ok) st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    return st;
}
