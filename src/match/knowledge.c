/* Loading the name knowledge tables and analysing names into tokens.
 *
 * Every table entry is normalised with the same code as names (and
 * transliterated when written in another script), so a table line and a
 * name meet in one form. */
#include "match/knowledge_int.h"
#include "match/jaro.h"
#include "text/normalize.h"
#include "text/script.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/resource.h"
#include "util/strmap.h"
#include "util/str.h"
#include "util/tsv.h"
#include "util/vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Phrases of more tokens than this are not looked for. */
#define MAX_PHRASE_TOKENS 6

/* ---- union-find over variant tokens while loading ---- */

typedef struct uf {
    rf_strmap ids; /* token -> index */
    RF_VEC(uint32_t) parent;
    RF_VEC(const char *) tok;
} uf;

static uint32_t uf_find(uf *u, uint32_t x) {
    while (u->parent.v[x] != x) {
        u->parent.v[x] = u->parent.v[u->parent.v[x]];
        x = u->parent.v[x];
    }
    return x;
}

static bool uf_add(uf *u, rf_arena *a, const char *s, size_t n, uint32_t *id) {
    if (rf_strmap_get(&u->ids, s, n, id)) return true;
    const char *k = rf_arena_strndup(a, s, n);
    bool ok = k != NULL;
    uint32_t x = (uint32_t)u->parent.n;
    if (ok) RF_VEC_PUSH(u->parent, x, ok);
    if (ok) RF_VEC_PUSH(u->tok, k, ok);
    if (ok) ok = rf_strmap_put(&u->ids, k, n, x, NULL, NULL);
    *id = x;
    return ok;
}

static void uf_union(uf *u, uint32_t a, uint32_t b) {
    a = uf_find(u, a);
    b = uf_find(u, b);
    if (a != b) u->parent.v[b] = a;
}

/* Normalises a table value the way names are: transliteration for other
 * scripts, then rf_norm_name. */
static bool norm_value(rf_translit *tr, const char *s, size_t n, rf_buf *tmp, rf_buf *out) {
    if (rf_needs_translit(s, n)) {
        if (!rf_translit_run(tr, s, n, tmp)) return false;
        s = tmp->data;
        n = tmp->len;
    }
    return rf_norm_name(s, n, out);
}

static rf_status load_groups(rf_kb *kb, rf_translit *tr, uf *u, rf_error *err) {
    rf_buf tmp, norm;
    rf_buf_init(&tmp);
    rf_buf_init(&norm);
    rf_status st = RF_OK;
    static const char *const files[] = {"name_variants.tsv", "name_variants_rigour.tsv"};
    for (size_t f = 0; f < 2 && st == RF_OK; f++) {
        size_t len;
        const char *data = rf_resource(files[f], &len);
        if (!data) {
            st = rf_fail(err, RF_E_INTERNAL, files[f], 0, "resource missing from the build");
            break;
        }
        /* a group is one line; its tokens are separated by tabs or spaces */
        rf_tsv t;
        rf_tsv_row row;
        rf_tsv_init(&t, data, len);
        while (st == RF_OK && rf_tsv_next(&t, &row)) {
            uint32_t first = UINT32_MAX;
            /* each field may itself hold several space-separated forms */
            for (size_t k = 0; k < row.n && st == RF_OK; k++) {
                if (!norm_value(tr, row.field[k], row.len[k], &tmp, &norm)) {
                    st = rf_fail(err, RF_E_NOMEM, files[f], row.line, "out of memory");
                    break;
                }
                const char *p = norm.data ? norm.data : "";
                size_t pn = norm.len;
                if (row.n > 1 && memchr(p, ' ', pn)) continue; /* multi-word form */
                size_t i = 0;
                while (i < pn) {
                    size_t j = i;
                    while (j < pn && p[j] != ' ')
                        j++;
                    uint32_t id;
                    if (!uf_add(u, &kb->arena, p + i, j - i, &id) ||
                        !rf_strmap_put(&kb->persons, u->tok.v[id], j - i, 1, NULL, NULL)) {
                        st = rf_fail(err, RF_E_NOMEM, files[f], row.line, "out of memory");
                        break;
                    }
                    if (first == UINT32_MAX)
                        first = id;
                    else
                        uf_union(u, first, id);
                    i = j + 1;
                }
            }
        }
    }
    /* org_symbols.tsv: form<TAB>symbol; forms of one symbol are variants */
    size_t len;
    const char *data = rf_resource("org_symbols.tsv", &len);
    rf_strmap sym_first;
    rf_strmap_init(&sym_first);
    rf_tsv t;
    rf_tsv_row row;
    rf_tsv_init(&t, data ? data : "", data ? len : 0);
    while (st == RF_OK && rf_tsv_next(&t, &row)) {
        if (row.n < 2) continue;
        if (!norm_value(tr, row.field[0], row.len[0], &tmp, &norm)) {
            st = rf_fail(err, RF_E_NOMEM, "org_symbols.tsv", row.line, "out of memory");
            break;
        }
        if (norm.len == 0 || memchr(norm.data, ' ', norm.len)) continue;
        uint32_t id, first;
        if (!uf_add(u, &kb->arena, norm.data, norm.len, &id)) {
            st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
            break;
        }
        const char *sym = rf_arena_strndup(&kb->arena, row.field[1], row.len[1]);
        if (!sym) {
            st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
            break;
        }
        if (rf_strmap_get(&sym_first, sym, row.len[1], &first))
            uf_union(u, first, id);
        else if (!rf_strmap_put(&sym_first, sym, row.len[1], id, NULL, NULL))
            st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    rf_strmap_free(&sym_first);
    rf_buf_free(&tmp);
    rf_buf_free(&norm);
    return st;
}

/* Person-name tokens that are also legal-form abbreviations somewhere
 * ("yu" is a Korean surname and a Serbian company form) stay names. */
static bool is_person_token(const rf_kb *kb, const char *s, size_t n) {
    uint32_t dummy;
    return rf_strmap_get(&kb->persons, s, n, &dummy);
}

static rf_status load_org(rf_kb *kb, rf_translit *tr, const char *file, rf_error *err) {
    size_t len;
    const char *data = rf_resource(file, &len);
    if (!data) return rf_fail(err, RF_E_INTERNAL, file, 0, "resource missing from the build");
    rf_buf tmp, norm, canon;
    rf_buf_init(&tmp);
    rf_buf_init(&norm);
    rf_buf_init(&canon);
    rf_status st = RF_OK;
    rf_tsv t;
    rf_tsv_row row;
    rf_tsv_init(&t, data, len);
    while (st == RF_OK && rf_tsv_next(&t, &row)) {
        if (row.n < 3) {
            st = rf_fail(err, RF_E_PARSE, file, row.line,
                         "expected 'phrase<TAB>canonical<TAB>class'");
            break;
        }
        if (!norm_value(tr, row.field[0], row.len[0], &tmp, &norm) ||
            !norm_value(tr, row.field[1], row.len[1], &tmp, &canon)) {
            st = rf_fail(err, RF_E_NOMEM, file, row.line, "out of memory");
            break;
        }
        if (norm.len == 0 || canon.len == 0) continue;
        size_t words = 1;
        for (size_t i = 0; i < norm.len; i++)
            words += norm.data[i] == ' ';
        if (words > MAX_PHRASE_TOKENS) continue;
        if (words == 1 && is_person_token(kb, norm.data, norm.len)) continue;
        uint32_t existing;
        if (rf_strmap_get(&kb->phrases, norm.data, norm.len, &existing)) continue;
        /* the canonical form is one token: "sa de cv" -> "sadecv" */
        size_t k = 0;
        for (size_t i = 0; i < canon.len; i++)
            if (canon.data[i] != ' ') canon.data[k++] = canon.data[i];
        canon.len = k;
        canon.data[k] = '\0';
        org_phrase ph;
        ph.canon = rf_arena_strndup(&kb->arena, canon.data, canon.len);
        bool word = rf_eq(row.field[2], row.len[2], "WORD");
        ph.cls = word ? RF_TC_ORGWORD : RF_TC_LEGAL;
        ph.legal = 0;
        if (!word && row.len[2]) {
            uint32_t cid;
            if (!rf_strmap_get(&kb->classes, row.field[2], row.len[2], &cid)) {
                const char *cname = rf_arena_strndup(&kb->arena, row.field[2], row.len[2]);
                cid = (uint32_t)kb->classes.count + 1;
                if (!cname || !rf_strmap_put(&kb->classes, cname, row.len[2], cid, NULL, NULL)) {
                    st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
                    break;
                }
            }
            ph.legal = cid;
            if (ph.canon && !rf_strmap_put(&kb->legal, ph.canon, canon.len, cid, NULL, NULL)) {
                st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
                break;
            }
        }
        const char *key = rf_arena_strndup(&kb->arena, norm.data, norm.len);
        bool ok = key && ph.canon;
        /* every word of redflag's own terms is one a typo is corrected to */
        for (size_t i = 0; ok && !strcmp(file, "org_terms.tsv") && i < norm.len;) {
            size_t j = i;
            while (j < norm.len && norm.data[j] != ' ')
                j++;
            bool known = false;
            for (size_t w = 0; w < kb->legal_words.n && !known; w++)
                known = strlen(kb->legal_words.v[w]) == j - i &&
                        !memcmp(kb->legal_words.v[w], norm.data + i, j - i);
            if (j - i >= 5 && !known) {
                const char *word = rf_arena_strndup(&kb->arena, norm.data + i, j - i);
                ok = word != NULL;
                if (ok) RF_VEC_PUSH(kb->legal_words, word, ok);
            }
            i = j + 1;
        }
        if (ok) RF_VEC_PUSH(kb->org, ph, ok);
        if (ok)
            ok = rf_strmap_put(&kb->phrases, key, norm.len, (uint32_t)(kb->org.n - 1), NULL, NULL);
        if (!ok) st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    rf_buf_free(&tmp);
    rf_buf_free(&norm);
    rf_buf_free(&canon);
    return st;
}

/* A one-column table of single words into set (titles: less the words that
 * are also common name parts). */
static rf_status load_words(rf_kb *kb, rf_translit *tr, const char *file, rf_strmap *set,
                            bool skip_names, rf_error *err) {
    size_t len;
    const char *data = rf_resource(file, &len);
    if (!data) return rf_fail(err, RF_E_INTERNAL, file, 0, "resource missing");
    rf_buf tmp, norm;
    rf_buf_init(&tmp);
    rf_buf_init(&norm);
    rf_status st = RF_OK;
    rf_tsv t;
    rf_tsv_row row;
    rf_tsv_init(&t, data, len);
    while (st == RF_OK && rf_tsv_next(&t, &row)) {
        if (!norm_value(tr, row.field[0], row.len[0], &tmp, &norm)) {
            st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
            break;
        }
        if (!norm.len || memchr(norm.data, ' ', norm.len)) continue;
        if (skip_names && is_person_token(kb, norm.data, norm.len)) continue;
        const char *k = rf_arena_strndup(&kb->arena, norm.data, norm.len);
        if (!k || !rf_strmap_put(set, k, norm.len, 1, NULL, NULL))
            st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    rf_buf_free(&tmp);
    rf_buf_free(&norm);
    return st;
}

static int rule_cmp(const void *a, const void *b) {
    const rom_rule *x = a, *y = b;
    unsigned char fx = (unsigned char)x->from[0], fy = (unsigned char)y->from[0];
    if (fx != fy) return fx < fy ? -1 : 1;
    return (int)y->from_len - (int)x->from_len;
}

static rf_status load_rules(rf_kb *kb, rf_error *err) {
    static const char *const file = "romanization.tsv";
    size_t len;
    const char *data = rf_resource(file, &len);
    if (!data) return rf_fail(err, RF_E_INTERNAL, file, 0, "resource missing from the build");
    rf_tsv t;
    rf_tsv_row row;
    rf_tsv_init(&t, data, len);
    while (rf_tsv_next(&t, &row)) {
        rom_rule r;
        memset(&r, 0, sizeof r);
        bool ok =
            row.n == 3 && row.len[1] > 0 && row.len[1] < sizeof r.from && row.len[2] < sizeof r.to;
        if (ok && rf_eq(row.field[0], row.len[0], "start"))
            r.scope = SCOPE_START;
        else if (ok && rf_eq(row.field[0], row.len[0], "end"))
            r.scope = SCOPE_END;
        else if (ok && rf_eq(row.field[0], row.len[0], "any"))
            r.scope = SCOPE_ANY;
        else
            ok = false;
        if (!ok)
            return rf_fail(err, RF_E_PARSE, file, row.line,
                           "expected 'start|end|any<TAB>from<TAB>to' (from: 1-7 letters)");
        memcpy(r.from, row.field[1], row.len[1]);
        memcpy(r.to, row.field[2], row.len[2]);
        r.from_len = (uint8_t)row.len[1];
        r.to_len = (uint8_t)row.len[2];
        RF_VEC_PUSH(kb->rules, r, ok);
        if (!ok) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    /* by first byte, then longest first; file order breaks ties (stable) */
    for (size_t i = 1; i < kb->rules.n; i++)
        for (size_t j = i; j > 0 && rule_cmp(&kb->rules.v[j - 1], &kb->rules.v[j]) > 0; j--) {
            rom_rule tmp = kb->rules.v[j];
            kb->rules.v[j] = kb->rules.v[j - 1];
            kb->rules.v[j - 1] = tmp;
        }
    size_t at = 0;
    for (int b = 0; b <= 256; b++) {
        kb->rule_first[b] = (uint16_t)at;
        while (b < 256 && at < kb->rules.n && (unsigned char)kb->rules.v[at].from[0] == b)
            at++;
    }
    return RF_OK;
}

/* Number words: every token of a variant group that holds a number in
 * digits reads as that number ("forty", "fourty", "40th" -> 40). */
static rf_status load_numbers(rf_kb *kb, uf *u, rf_error *err) {
    uint32_t *val = rf_calloc(u->tok.n + 1, sizeof *val); /* root -> number + 1 */
    if (!val) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < u->tok.n; i++) {
        const char *k = u->tok.v[i];
        size_t n = strlen(k);
        if (n < 1 || n > 3 || strspn(k, "0123456789") != n) continue;
        val[uf_find(u, (uint32_t)i)] = (uint32_t)atoi(k) + 1;
    }
    rf_status st = RF_OK;
    for (size_t i = 0; st == RF_OK && i < u->tok.n; i++) {
        uint32_t v = val[uf_find(u, (uint32_t)i)];
        const char *k = u->tok.v[i];
        if (v && !rf_strmap_put(&kb->numbers, k, strlen(k), v - 1, NULL, NULL))
            st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    rf_free(val);
    return st;
}

void rf_kb_free(rf_kb *kb) {
    if (!kb) return;
    rf_strmap_free(&kb->groups);
    rf_strmap_free(&kb->persons);
    rf_strmap_free(&kb->phrases);
    rf_strmap_free(&kb->legal);
    rf_strmap_free(&kb->classes);
    rf_strmap_free(&kb->titles);
    rf_strmap_free(&kb->links);
    rf_strmap_free(&kb->numbers);
    RF_VEC_FREE(kb->org);
    RF_VEC_FREE(kb->rules);
    RF_VEC_FREE(kb->legal_words);
    rf_arena_free(&kb->arena);
    rf_free(kb);
}

rf_status rf_kb_new(rf_kb **out, rf_error *err) {
    *out = NULL;
    rf_kb *kb = rf_calloc(1, sizeof *kb);
    if (!kb) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    rf_arena_init(&kb->arena);
    rf_translit *tr = NULL;
    uf u;
    memset(&u, 0, sizeof u);
    rf_status st = rf_translit_new(&tr, err);
    if (st == RF_OK) st = load_groups(kb, tr, &u, err);
    /* freeze the groups: token -> root + 1 */
    for (size_t i = 0; st == RF_OK && i < u.tok.n; i++) {
        const char *k = u.tok.v[i];
        if (!rf_strmap_put(&kb->groups, k, strlen(k), uf_find(&u, (uint32_t)i) + 1, NULL, NULL))
            st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    if (st == RF_OK) st = load_numbers(kb, &u, err);
    rf_strmap_free(&u.ids);
    RF_VEC_FREE(u.parent);
    RF_VEC_FREE(u.tok);
    if (st == RF_OK) st = load_org(kb, tr, "org_terms.tsv", err);
    if (st == RF_OK) st = load_org(kb, tr, "org_types.tsv", err);
    if (st == RF_OK) st = load_words(kb, tr, "person_titles.tsv", &kb->titles, true, err);
    if (st == RF_OK) st = load_words(kb, tr, "name_links.tsv", &kb->links, false, err);
    if (st == RF_OK) st = load_rules(kb, err);
    rf_translit_free(tr);
    if (st != RF_OK) {
        rf_kb_free(kb);
        return st;
    }
    *out = kb;
    return RF_OK;
}

uint32_t rf_kb_group(const rf_kb *kb, const char *tok, size_t n) {
    uint32_t g;
    return rf_strmap_get(&kb->groups, tok, n, &g) ? g : 0;
}

uint32_t rf_kb_legal_class(const rf_kb *kb, const char *tok, size_t n) {
    uint32_t c;
    return rf_strmap_get(&kb->legal, tok, n, &c) ? c : 0;
}

size_t rf_kb_rom_key(const rf_kb *kb, const char *tok, size_t n, char *out, size_t cap) {
    size_t k = 0;
    size_t i = 0;
    while (i < n) {
        const rom_rule *hit = NULL;
        unsigned char c0 = (unsigned char)tok[i];
        for (size_t r = kb->rule_first[c0]; r < kb->rule_first[c0 + 1]; r++) {
            const rom_rule *x = &kb->rules.v[r];
            if (x->from_len > n - i || memcmp(tok + i, x->from, x->from_len) != 0) continue;
            if (x->scope == SCOPE_START && i != 0) continue;
            if (x->scope == SCOPE_END && i + x->from_len != n) continue;
            hit = x;
            break;
        }
        const char *add = hit ? hit->to : tok + i;
        size_t add_len = hit ? hit->to_len : 1;
        i += hit ? hit->from_len : 1;
        for (size_t a = 0; a < add_len; a++) {
            if (k > 0 && out[k - 1] == add[a]) continue; /* doubled letters once */
            if (k + 1 >= cap) return 0;
            out[k++] = add[a];
        }
    }
    if (cap) out[k] = '\0';
    return k;
}

static bool vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

size_t rf_kb_phonetic_key(const rf_kb *kb, const char *tok, size_t n, char *out, size_t cap) {
    char rom[RF_MAX_TOKEN_LEN * 2 + 1];
    size_t rl = rf_kb_rom_key(kb, tok, n, rom, sizeof rom);
    if (rl == 0 || cap < 2) return 0;
    size_t k = 0;
    out[k++] = vowel(rom[0]) ? 'a' : rom[0];
    for (size_t i = 1; i < rl; i++) {
        char c = rom[i];
        if (vowel(c) || c == 'h') continue; /* h after a consonant: kh, sh, th */
        if (out[k - 1] == c) continue;
        if (k + 1 >= cap) return 0;
        out[k++] = c;
    }
    out[k] = '\0';
    return k;
}

void rf_name_tokens_init(rf_name_tokens *t) {
    memset(t, 0, sizeof *t);
    rf_buf_init(&t->text);
}

void rf_name_tokens_free(rf_name_tokens *t) {
    rf_buf_free(&t->text);
}

bool rf_analyze_name(const rf_kb *kb, rf_translit *tr, const char *s, size_t n, bool org,
                     rf_name_tokens *out) {
    out->n = 0;
    out->transliterated = false;
    out->truncated = false;
    out->script = RF_SCRIPT_OTHER;
    rf_buf latin, norm;
    rf_buf_init(&latin);
    rf_buf_init(&norm);
    bool ok = true;
    if (tr && rf_needs_translit(s, n)) {
        ok = rf_translit_run(tr, s, n, &latin);
        if (ok) {
            out->script = (uint8_t)rf_text_script(s, n);
            s = latin.data ? latin.data : "";
            n = latin.len;
            out->transliterated = true;
        }
    }
    ok = ok && rf_norm_name(s, n, &norm);
    /* cut into tokens */
    const char *tok[RF_MAX_TOKENS * 2];
    size_t tl[RF_MAX_TOKENS * 2];
    size_t nt = 0;
    size_t i = 0;
    while (ok && i < norm.len && nt < RF_MAX_TOKENS * 2) {
        size_t j = i;
        while (j < norm.len && norm.data[j] != ' ')
            j++;
        tok[nt] = norm.data + i;
        tl[nt] = j - i > RF_MAX_TOKEN_LEN ? RF_MAX_TOKEN_LEN : j - i;
        nt++;
        i = j + 1;
    }
    out->truncated = i < norm.len;
    /* a tens word and a unit are one number: "forty four", "forty 4" -> 44 */
    char composed[RF_MAX_TOKENS][4];
    size_t nc = 0;
    for (size_t t = 0; t + 1 < nt && nc < RF_MAX_TOKENS; t++) {
        uint32_t a, b;
        if (!rf_strmap_get(&kb->numbers, tok[t], tl[t], &a) || a < 20 || a > 90 || a % 10 ||
            !rf_strmap_get(&kb->numbers, tok[t + 1], tl[t + 1], &b) || b < 1 || b > 9)
            continue;
        if (strspn(tok[t], "0123456789") == tl[t] && strspn(tok[t + 1], "0123456789") == tl[t + 1])
            continue; /* "40 4" in digits is two numbers */
        snprintf(composed[nc], sizeof composed[nc], "%u", a + b);
        tok[t] = composed[nc];
        tl[t] = 2;
        nc++;
        memmove(&tok[t + 1], &tok[t + 2], (nt - t - 2) * sizeof *tok);
        memmove(&tl[t + 1], &tl[t + 2], (nt - t - 2) * sizeof *tl);
        nt--;
    }
    /* in an organisation's name, a misspelt legal word is read as the word */
    for (size_t t = 0; org && t < nt; t++) {
        if (tl[t] < 5) continue;
        uint32_t dummy;
        if (rf_strmap_get(&kb->phrases, tok[t], tl[t], &dummy)) continue;
        for (size_t w = 0; w < kb->legal_words.n; w++) {
            const char *lw = kb->legal_words.v[w];
            size_t ll = strlen(lw);
            if (lw[0] != tok[t][0]) continue;
            size_t max = ll >= 9 ? 2 : 1;
            if (rf_osa_distance(tok[t], tl[t], lw, ll, max) <= max) {
                tok[t] = lw;
                tl[t] = ll;
                break;
            }
        }
    }
    rf_buf_reset(&out->text);
    char key[RF_MAX_TOKEN_LEN * MAX_PHRASE_TOKENS + MAX_PHRASE_TOKENS];
    size_t t = 0;
    for (; ok && t < nt && out->n < RF_MAX_TOKENS;) {
        /* the longest organisation phrase starting here */
        size_t used = 1;
        const org_phrase *ph = NULL;
        size_t maxw = !org ? 0 : nt - t < MAX_PHRASE_TOKENS ? nt - t : MAX_PHRASE_TOKENS;
        for (size_t w = maxw; w >= 1; w--) {
            size_t kl = 0;
            for (size_t x = 0; x < w; x++) {
                if (x) key[kl++] = ' ';
                memcpy(key + kl, tok[t + x], tl[t + x]);
                kl += tl[t + x];
            }
            uint32_t idx;
            if (rf_strmap_get(&kb->phrases, key, kl, &idx)) {
                ph = &kb->org.v[idx];
                used = w;
                break;
            }
        }
        const char *ts = ph ? ph->canon : tok[t];
        size_t tn = ph ? strlen(ph->canon) : tl[t];
        uint8_t cls = ph ? ph->cls : RF_TC_NAME;
        uint32_t dummy;
        if (!ph && rf_strmap_get(&kb->links, ts, tn, &dummy)) cls = RF_TC_LINK;
        if (!ph && rf_strmap_get(&kb->titles, ts, tn, &dummy)) cls = RF_TC_TITLE;
        out->off[out->n] = (uint32_t)out->text.len;
        out->len[out->n] = (uint16_t)tn;
        out->cls[out->n] = cls;
        ok = rf_buf_append(&out->text, ts, tn) && rf_buf_putc(&out->text, '\0');
        out->n++;
        t += used;
    }
    if (t < nt) out->truncated = true;
    rf_buf_free(&latin);
    rf_buf_free(&norm);
    return ok;
}
