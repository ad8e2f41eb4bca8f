/* The generated evaluation set: variants of the bundled OFAC SDN names in
 * the categories a screener must handle (typos, reordering, dropped middle
 * names, romanisation variants, Cyrillic and Hangul script, legal-form
 * changes, punctuation and spacing) and, as negatives, the exact name of a
 * listed person with a birth date 8-20 years off and another nationality.
 * Deterministic for a seed, so the committed file can be regenerated. */
#include "eval/eval.h"
#include "lists/dates.h"
#include "match/knowledge.h"
#include "text/normalize.h"
#include "text/translit.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/resource.h"
#include "util/strmap.h"
#include "util/tsv.h"

#include <ctype.h>
#include <strings.h>
#include <jansson.h>
#include <string.h>

typedef struct rng {
    unsigned long long s;
} rng;

static unsigned long long next(rng *r) {
    unsigned long long z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t pick(rng *r, size_t n) {
    return n ? (size_t)(next(r) % n) : 0;
}

#define MAXW 24

typedef struct words {
    char w[MAXW][64];
    size_t n;
} words;

static void split(const char *s, words *out) {
    out->n = 0;
    while (*s && out->n < MAXW) {
        while (*s == ' ')
            s++;
        if (!*s) break;
        size_t k = 0;
        while (*s && *s != ' ') {
            if (k < 63) out->w[out->n][k++] = *s;
            s++;
        }
        out->w[out->n][k] = '\0';
        out->n++;
    }
}

static void join(const words *w, char *out, size_t cap) {
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < w->n; i++) {
        int n = snprintf(out + k, cap - k, "%s%s", i ? " " : "", w->w[i]);
        if (n < 0 || (size_t)n >= cap - k) break;
        k += (size_t)n;
    }
}

/* "KIM, Sang Man" -> "Sang Man KIM" */
static void natural(const rf_entity *e, char *out, size_t cap) {
    const char *n = e->names[0].text;
    const char *comma = strchr(n, ',');
    if (e->schema == RF_SCHEMA_PERSON && comma)
        snprintf(out, cap, "%s %.*s", comma + 1 + (comma[1] == ' '), (int)(comma - n), n);
    else
        snprintf(out, cap, "%s", n);
}

typedef struct gen {
    const rf_dataset *ds;
    rf_strmap names; /* token-sorted normalised name -> entity index */
    rf_arena arena;
    rng r;
    FILE *out;
    rf_translit *cyr, *han;
    /* variant groups from resources/name_variants.tsv, upper case */
    char (*grp)[32];
    int *grp_id;
    size_t ngrp;
    size_t count;
} gen;

static bool emit(gen *g, const char *cat, const rf_entity *e, const char *name, bool negative,
                 const char *dob, const char *country) {
    json_t *o = json_object();
    char id[64];
    snprintf(id, sizeof id, "var-%s-%zu", cat, ++g->count);
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "category", json_string(cat));
    json_object_set_new(o, "expect", negative ? json_null() : json_string(e->id));
    json_object_set_new(o, "name", json_string(name));
    if (next(&g->r) & 1) json_object_set_new(o, "type", json_string(rf_schema_name(e->schema)));
    if (dob) json_object_set_new(o, "birth_date", json_string(dob));
    if (country) json_object_set_new(o, "country", json_string(country));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s) return false;
    fprintf(g->out, "%s\n", s);
    free(s);
    return true;
}

/* The entity's own birth date and nationality, on half of the positives,
 * as a customer record would carry them. */
static void own_attributes(gen *g, const rf_entity *e, char *dob, const char **dobp,
                           const char **country) {
    *dobp = NULL;
    *country = NULL;
    if (next(&g->r) & 1) return;
    if (e->n_birth_dates && !e->birth_dates[0].circa &&
        !memcmp(&e->birth_dates[0].from, &e->birth_dates[0].to, sizeof(rf_date))) {
        rf_date_format(&e->birth_dates[0].from, dob);
        *dobp = dob;
    }
    if (e->n_nationalities) *country = e->nationalities[0];
}

/* The primary name in natural order, as words. */
static void natural_words(const rf_entity *e, words *w) {
    char nat[512];
    natural(e, nat, sizeof nat);
    split(nat, w);
}

static bool is_alpha_word(const char *w) {
    size_t n = strlen(w);
    if (n < 5) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)w[i])) return false;
    return true;
}

static bool v_typo(gen *g, const rf_entity *e, char *out, size_t cap) {
    words w;
    natural_words(e, &w);
    size_t cand[MAXW], nc = 0;
    for (size_t i = 0; i < w.n; i++)
        if (is_alpha_word(w.w[i])) cand[nc++] = i;
    if (!nc) return false;
    char *t = w.w[cand[pick(&g->r, nc)]];
    size_t n = strlen(t), p = pick(&g->r, n - 1) + 1; /* keep the first letter */
    char letter = (char)('a' + pick(&g->r, 26));
    if (isupper((unsigned char)t[0])) letter = (char)toupper(letter);
    switch (pick(&g->r, 4)) {
    case 0:
        t[p] = letter;
        break; /* substitution */
    case 1:
        memmove(t + p, t + p + 1, n - p);
        break; /* deletion */
    case 2:    /* insertion */
        if (n + 1 >= 63) return false;
        memmove(t + p + 1, t + p, n - p + 1);
        t[p] = letter;
        break;
    default: /* transposition */
        if (p + 1 >= n) p = n - 2;
        char c = t[p];
        t[p] = t[p + 1];
        t[p + 1] = c;
    }
    join(&w, out, cap);
    return true;
}

static bool v_reorder(gen *g, const rf_entity *e, char *out, size_t cap) {
    words w;
    char nat[512];
    natural(e, nat, sizeof nat);
    split(nat, &w);
    if (w.n < 2) return false;
    for (size_t i = w.n - 1; i > 0; i--) {
        size_t j = pick(&g->r, i + 1);
        char tmp[64];
        memcpy(tmp, w.w[i], 64);
        memcpy(w.w[i], w.w[j], 64);
        memcpy(w.w[j], tmp, 64);
    }
    join(&w, out, cap);
    return strcmp(out, nat) != 0;
}

static bool v_drop_middle(gen *g, const rf_entity *e, char *out, size_t cap) {
    words w;
    natural_words(e, &w);
    if (w.n < 3) return false;
    size_t d = 1 + pick(&g->r, w.n - 2);
    for (size_t i = d; i + 1 < w.n; i++)
        memcpy(w.w[i], w.w[i + 1], 64);
    w.n--;
    join(&w, out, cap);
    return true;
}

/* spelling rules that hold across romanisation systems */
static bool respell(gen *g, char *t) {
    static const char *const rules[][2] = {
        {"kh", "h"}, {"y", "i"},   {"ou", "u"},   {"ee", "i"}, {"ph", "f"}, {"ov", "off"},
        {"iy", "y"}, {"ya", "ia"}, {"yu", "iu"},  {"ch", "j"}, {"k", "g"},  {"dj", "j"},
        {"oo", "u"}, {"ss", "s"},  {"ie", "iye"}, {"q", "k"},  {"eo", "o"}, {"j", "zh"},
    };
    size_t start = pick(&g->r, sizeof rules / sizeof rules[0]);
    for (size_t k = 0; k < sizeof rules / sizeof rules[0]; k++) {
        const char *from = rules[(start + k) % (sizeof rules / sizeof rules[0])][0];
        const char *to = rules[(start + k) % (sizeof rules / sizeof rules[0])][1];
        char low[64];
        size_t n = strlen(t);
        for (size_t i = 0; i <= n; i++)
            low[i] = (char)tolower((unsigned char)t[i]);
        char *at = strstr(low, from);
        if (!at) continue;
        size_t pos = (size_t)(at - low), fl = strlen(from), tl = strlen(to);
        if (n - fl + tl >= 63) continue;
        char res[64];
        memcpy(res, t, pos);
        for (size_t i = 0; i < tl; i++)
            res[pos + i] = isupper((unsigned char)t[pos]) ? (char)toupper(to[i]) : to[i];
        strcpy(res + pos + tl, t + pos + fl);
        strcpy(t, res);
        return true;
    }
    return false;
}

static bool v_romanization(gen *g, const rf_entity *e, char *out, size_t cap) {
    words w;
    natural_words(e, &w);
    if (!w.n) return false;
    size_t i0 = pick(&g->r, w.n);
    for (size_t k = 0; k < w.n; k++) {
        char *t = w.w[(i0 + k) % w.n];
        /* a spelling from the variant tables, else a rule */
        char up[64];
        size_t n = strlen(t);
        for (size_t i = 0; i <= n; i++)
            up[i] = (char)toupper((unsigned char)t[i]);
        for (size_t a = 0; a < g->ngrp; a++) {
            if (strcmp(g->grp[a], up) != 0) continue;
            size_t others[64], no = 0;
            for (size_t b = 0; b < g->ngrp && no < 64; b++)
                if (b != a && g->grp_id[b] == g->grp_id[a]) others[no++] = b;
            if (no) {
                snprintf(t, 64, "%s", g->grp[others[pick(&g->r, no)]]);
                join(&w, out, cap);
                return true;
            }
        }
        if (respell(g, t)) {
            join(&w, out, cap);
            return true;
        }
    }
    return false;
}

static bool v_script(rf_translit *t, const rf_entity *e, char *out, size_t cap) {
    char nat[512];
    natural(e, nat, sizeof nat);
    for (char *p = nat; *p; p++) {
        *p = (char)tolower((unsigned char)*p);
        if (*p == '-' || *p == '\'') *p = ' ';
    }
    rf_buf b;
    rf_buf_init(&b);
    bool ok = rf_translit_run(t, nat, strlen(nat), &b) && b.len < cap;
    if (ok) snprintf(out, cap, "%s", b.data);
    rf_buf_free(&b);
    return ok && rf_needs_translit(out, strlen(out));
}

static bool v_legal(gen *g, const rf_entity *e, char *out, size_t cap) {
    static const char *const pairs[][2] = {
        {"LIMITED LIABILITY COMPANY", "LLC"},
        {"JOINT STOCK COMPANY", "JSC"},
        {"COMPANY LIMITED", "CO., LTD."},
        {"CO., LTD.", "COMPANY LIMITED"},
        {"LIMITED", "LTD"},
        {"LTD.", "LIMITED"},
        {"COMPANY", "CO."},
        {"CORPORATION", "CORP."},
        {"INCORPORATED", "INC."},
        {"S.A.", "SA"},
        {"LLC", "LIMITED LIABILITY COMPANY"},
        {"CO.", "COMPANY"},
    };
    const char *n = e->names[0].text;
    size_t start = pick(&g->r, sizeof pairs / sizeof pairs[0]);
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        const char *from = pairs[(start + k) % (sizeof pairs / sizeof pairs[0])][0];
        const char *to = pairs[(start + k) % (sizeof pairs / sizeof pairs[0])][1];
        const char *at = strstr(n, from);
        if (!at) continue;
        const char *after = at + strlen(from);
        /* whole words only */
        if ((at > n && isalnum((unsigned char)at[-1])) || isalnum((unsigned char)*after)) continue;
        if (next(&g->r) % 4 == 0) to = ""; /* the form dropped */
        snprintf(out, cap, "%.*s%s%s", (int)(at - n), n, to, after);
        return true;
    }
    return false;
}

static bool v_punct(gen *g, const rf_entity *e, char *out, size_t cap) {
    char nat[512];
    natural(e, nat, sizeof nat);
    words w;
    switch (pick(&g->r, 4)) {
    case 0: { /* punctuation removed */
        size_t k = 0;
        bool changed = false;
        for (const char *p = e->names[0].text; *p && k + 1 < cap; p++) {
            if (ispunct((unsigned char)*p) && *p != '\'') {
                changed = true;
                continue;
            }
            out[k++] = *p;
        }
        out[k] = '\0';
        return changed;
    }
    case 1: /* two tokens joined */
    case 2: /* two tokens hyphenated */
        split(nat, &w);
        if (w.n < 2) return false;
        {
            size_t i = pick(&g->r, w.n - 1);
            char joined[130];
            snprintf(joined, sizeof joined, "%s%s%s", w.w[i], (next(&g->r) & 1) ? "-" : "",
                     w.w[i + 1]);
            size_t jl = strlen(joined);
            if (jl >= 63) return false;
            memcpy(w.w[i], joined, jl + 1);
            for (size_t k = i + 1; k + 1 < w.n; k++)
                memcpy(w.w[k], w.w[k + 1], 64);
            w.n--;
        }
        join(&w, out, cap);
        return true;
    default: /* a long token split */
        split(nat, &w);
        for (size_t i = 0; i < w.n && w.n < MAXW; i++) {
            size_t n = strlen(w.w[i]);
            if (n < 8) continue;
            size_t cut = 3 + pick(&g->r, n - 5);
            for (size_t k = w.n; k > i + 1; k--)
                memcpy(w.w[k], w.w[k - 1], 64);
            snprintf(w.w[i + 1], 64, "%s", w.w[i] + cut);
            w.w[i][cut] = '\0';
            w.n++;
            join(&w, out, cap);
            return true;
        }
        return false;
    }
}

static bool load_groups(gen *g) {
    size_t len;
    const char *data = rf_resource("name_variants.tsv", &len);
    if (!data) return false;
    size_t cap = 0;
    int gid = 0;
    rf_tsv t;
    rf_tsv_row row;
    rf_tsv_init(&t, data, len);
    while (rf_tsv_next(&t, &row)) {
        gid++;
        words w;
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)row.len[0], row.field[0]);
        split(line, &w);
        for (size_t i = 0; i < w.n; i++) {
            if (g->ngrp == cap) {
                size_t nc = cap ? cap * 2 : 256;
                void *a = rf_realloc(g->grp, nc * sizeof *g->grp);
                if (!a) return false;
                g->grp = a;
                void *b = rf_realloc(g->grp_id, nc * sizeof *g->grp_id);
                if (!b) return false;
                g->grp_id = b;
                cap = nc;
            }
            size_t n = strlen(w.w[i]);
            for (size_t k = 0; k < n && k < 31; k++)
                g->grp[g->ngrp][k] = (char)toupper((unsigned char)w.w[i][k]);
            g->grp[g->ngrp][n < 31 ? n : 31] = '\0';
            g->grp_id[g->ngrp++] = gid;
        }
    }
    return true;
}

/* The normalised tokens of a name, sorted, as one key: "KIM, Sang Man" and
 * "Sang Man Kim" give the same key. */
static size_t name_key(const char *name, char *out, size_t cap) {
    rf_buf b;
    rf_buf_init(&b);
    size_t k = 0;
    if (rf_norm_name(name, strlen(name), &b) && b.len < cap) {
        words w;
        split(b.data, &w);
        for (size_t i = 1; i < w.n; i++)
            for (size_t j = i; j > 0 && strcmp(w.w[j - 1], w.w[j]) > 0; j--) {
                char t[64];
                memcpy(t, w.w[j], 64);
                memcpy(w.w[j], w.w[j - 1], 64);
                memcpy(w.w[j - 1], t, 64);
            }
        join(&w, out, cap);
        k = strlen(out);
    }
    rf_buf_free(&b);
    return k;
}

static bool build_names(gen *g) {
    char key[512];
    for (size_t i = 0; i < rf_dataset_count(g->ds); i++) {
        const rf_entity *e = rf_dataset_entity(g->ds, i);
        for (size_t k = 0; k < e->n_names; k++) {
            size_t n = name_key(e->names[k].text, key, sizeof key);
            if (!n) continue;
            uint32_t prev;
            if (rf_strmap_get(&g->names, key, n, &prev)) {
                /* several entities: mark the key as shared */
                if (prev != (uint32_t)i) {
                    const char *kk = rf_arena_strndup(&g->arena, key, n);
                    if (!kk) return false;
                    rf_strmap_put(&g->names, kk, n, UINT32_MAX, NULL, NULL);
                }
                continue;
            }
            const char *kk = rf_arena_strndup(&g->arena, key, n);
            if (!kk || !rf_strmap_put(&g->names, kk, n, (uint32_t)i, NULL, NULL)) return false;
        }
    }
    return true;
}

/* True when the variant is exactly a name of another listed entity: such a
 * case would test nothing but a homonym. */
static bool names_another(gen *g, const rf_entity *e, const char *variant) {
    char key[512];
    size_t n = name_key(variant, key, sizeof key);
    uint32_t who;
    if (!n || !rf_strmap_get(&g->names, key, n, &who)) return false;
    return who == UINT32_MAX || rf_dataset_entity(g->ds, who) != e;
}

static bool unique_name(const rf_dataset *ds, const rf_entity *e) {
    for (size_t i = 0; i < rf_dataset_count(ds); i++) {
        const rf_entity *o = rf_dataset_entity(ds, i);
        if (o == e) continue;
        for (size_t k = 0; k < o->n_names; k++)
            if (!strcasecmp(o->names[k].text, e->names[0].text)) return false;
    }
    return true;
}

static const char *other_country(gen *g, const rf_entity *e) {
    static const char *const pool[] = {"US", "FR", "DE", "BR", "IN", "JP", "MX", "NG",
                                       "GB", "CA", "AU", "ES", "IT", "PL", "SE", "KE"};
    for (;;) {
        const char *c = pool[pick(&g->r, sizeof pool / sizeof pool[0])];
        bool own = false;
        for (size_t i = 0; i < e->n_nationalities; i++)
            own |= !strcmp(e->nationalities[i], c);
        for (size_t i = 0; i < e->n_citizenships; i++)
            own |= !strcmp(e->citizenships[i], c);
        if (!own) return c;
    }
}

typedef enum pool_kind {
    POOL_PERSON,
    POOL_ORG,
    POOL_ANY,
    POOL_DPRK_PERSON,
    POOL_RU_PERSON
} pool_kind;

/* A Korean family name first ("KIM, Sang Man"): only such names are ever
 * written in Hangul. */
static bool korean_name(const rf_entity *e) {
    static const char *const surnames[] = {
        "KIM",   "RI",   "PAK",   "CHOE", "JONG",  "JON", "CHO", "KANG", "HAN",  "HWANG",
        "O",     "SO",   "RYU",   "YUN",  "IM",    "HO",  "NO",  "MUN",  "SIN",  "SON",
        "KWON",  "KO",   "HONG",  "NAM",  "YANG",  "KIL", "CHU", "KYE",  "JANG", "PAEK",
        "CHANG", "CHON", "CHONG", "YU",   "SONG",  "AN",  "U",   "HYON", "PYON", "JU",
        "TONG",  "MUN",  "CHA",   "JO",   "RYANG", "RIM", "SIM"};
    const char *n = e->names[0].text;
    const char *comma = strchr(n, ',');
    if (!comma) return false;
    for (size_t i = 0; i < sizeof surnames / sizeof surnames[0]; i++)
        if (strlen(surnames[i]) == (size_t)(comma - n) &&
            !strncasecmp(n, surnames[i], (size_t)(comma - n)))
            return true;
    return false;
}

static bool in_pool(const rf_entity *e, pool_kind k) {
    if (strcmp(e->list, "us_ofac_sdn") != 0) return false;
    bool person = e->schema == RF_SCHEMA_PERSON, org = e->schema == RF_SCHEMA_ORGANIZATION;
    bool dprk = false, ru = false;
    for (size_t i = 0; i < e->n_programs; i++) {
        dprk |= !strncmp(e->programs[i], "DPRK", 4);
        ru |= !strncmp(e->programs[i], "RUSSIA", 6) || !strncmp(e->programs[i], "UKRAINE", 7) ||
              !strcmp(e->programs[i], "CAATSA - RUSSIA");
    }
    switch (k) {
    case POOL_PERSON:
        return person;
    case POOL_ORG:
        return org;
    case POOL_DPRK_PERSON:
        return person && dprk && korean_name(e);
    case POOL_RU_PERSON:
        return person && ru;
    default:
        return person || org;
    }
}

typedef enum vkind {
    V_EXACT,
    V_REORDER,
    V_TYPO,
    V_DROP,
    V_ROMAN,
    V_CYR,
    V_HANGUL,
    V_LEGAL,
    V_PUNCT,
    V_MISMATCH
} vkind;

static bool produce(gen *g, vkind v, const char *cat, pool_kind pk, size_t quota) {
    const rf_dataset *ds = g->ds;
    size_t n = rf_dataset_count(ds);
    size_t made = 0, tries = 0;
    while (made < quota && tries < n * 3) {
        tries++;
        const rf_entity *e = rf_dataset_entity(ds, pick(&g->r, n));
        if (!in_pool(e, pk)) continue;
        char name[512], dob[11];
        const char *dobp = NULL, *country = NULL;
        bool ok;
        switch (v) {
        case V_EXACT:
            natural(e, name, sizeof name);
            ok = true;
            break;
        case V_REORDER:
            ok = v_reorder(g, e, name, sizeof name);
            break;
        case V_TYPO:
            ok = v_typo(g, e, name, sizeof name);
            break;
        case V_DROP:
            ok = v_drop_middle(g, e, name, sizeof name);
            break;
        case V_ROMAN:
            ok = v_romanization(g, e, name, sizeof name);
            break;
        case V_CYR:
            ok = v_script(g->cyr, e, name, sizeof name);
            break;
        case V_HANGUL:
            ok = v_script(g->han, e, name, sizeof name);
            break;
        case V_LEGAL:
            ok = v_legal(g, e, name, sizeof name);
            break;
        case V_PUNCT:
            ok = v_punct(g, e, name, sizeof name);
            break;
        default: {
            /* the listed name, another person's birth date and nationality */
            ok = e->n_birth_dates && e->n_nationalities && unique_name(ds, e);
            if (!ok) break;
            natural(e, name, sizeof name);
            rf_date d = e->birth_dates[0].from;
            int shift = (int)(8 + pick(&g->r, 13));
            d.year = (int16_t)(d.year + ((next(&g->r) & 1) ? shift : -shift));
            if (d.month == 2 && d.day == 29) d.day = 28;
            rf_date_format(&d, dob);
            dobp = dob;
            country = other_country(g, e);
            if (!emit(g, cat, e, name, true, dobp, country)) return false;
            made++;
            continue;
        }
        }
        if (!ok || !*name || names_another(g, e, name)) continue;
        own_attributes(g, e, dob, &dobp, &country);
        if (!emit(g, cat, e, name, false, dobp, country)) return false;
        made++;
    }
    return true;
}

rf_status rf_eval_generate(const rf_matcher *m, unsigned long long seed, FILE *out, rf_error *err) {
    gen g;
    memset(&g, 0, sizeof g);
    g.ds = rf_matcher_dataset(m);
    g.r.s = seed;
    g.out = out;
    rf_strmap_init(&g.names);
    rf_arena_init(&g.arena);
    rf_status st = build_names(&g) ? RF_OK : rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    if (st == RF_OK) st = rf_translit_new_id("Latin-Russian/BGN", &g.cyr, err);
    if (st == RF_OK) st = rf_translit_new_id("Latin-Hangul", &g.han, err);
    if (st == RF_OK && !load_groups(&g)) st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    static const struct {
        vkind v;
        const char *cat;
        pool_kind pool;
        size_t quota;
    } plan[] = {
        {V_EXACT, "exact", POOL_ANY, 150},
        {V_REORDER, "reordered", POOL_PERSON, 150},
        {V_TYPO, "typo", POOL_ANY, 300},
        {V_DROP, "dropped_middle_name", POOL_PERSON, 150},
        {V_ROMAN, "romanization", POOL_PERSON, 200},
        {V_CYR, "cyrillic_script", POOL_RU_PERSON, 150},
        {V_HANGUL, "hangul_script", POOL_DPRK_PERSON, 80},
        {V_LEGAL, "legal_form", POOL_ORG, 150},
        {V_PUNCT, "punctuation_spacing", POOL_ANY, 200},
        {V_MISMATCH, "other_dob_and_nationality", POOL_PERSON, 200},
    };
    for (size_t i = 0; st == RF_OK && i < sizeof plan / sizeof plan[0]; i++)
        if (!produce(&g, plan[i].v, plan[i].cat, plan[i].pool, plan[i].quota))
            st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    rf_translit_free(g.cyr);
    rf_translit_free(g.han);
    rf_free(g.grp);
    rf_free(g.grp_id);
    rf_strmap_free(&g.names);
    rf_arena_free(&g.arena);
    return st;
}
