/* The synthetic list of the benchmark's scale mode: N entities in the UN
 * consolidated XML format, built from name parts sampled (with their real
 * frequencies) from the bundled lists, in several scripts, and screening
 * queries that disturb listed names the way analysts see them disturbed. */
#include "scale.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

/* splitmix64: a fixed seed gives the same list on every machine */
static uint64_t next(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t below(uint64_t *s, size_t n) {
    return (size_t)(next(s) % n);
}

typedef struct pool {
    char **v;
    size_t n, cap;
} pool;

static bool pool_add(pool *p, const char *s, size_t n) {
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        char **v = realloc(p->v, cap * sizeof *v);
        if (!v) return false;
        p->v = v;
        p->cap = cap;
    }
    char *c = malloc(n + 1);
    if (!c) return false;
    memcpy(c, s, n);
    c[n] = 0;
    p->v[p->n++] = c;
    return true;
}

static void pool_free(pool *p) {
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
}

static const char *pick(uint64_t *s, const pool *p) {
    return p->v[below(s, p->n)];
}

/* Adds the words of s[0, n) (split on spaces and commas) of at least two
 * letters; first/last: only the first or last word (-1 / 1, 0: all). */
static bool add_words(pool *p, const char *s, size_t n, int which) {
    const char *w[16];
    size_t wl[16], k = 0;
    for (size_t i = 0; i < n && k < 16;) {
        while (i < n && (s[i] == ' ' || s[i] == ','))
            i++;
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != ',')
            i++;
        if (i - b >= 2) {
            w[k] = s + b;
            wl[k++] = i - b;
        }
    }
    for (size_t i = 0; i < k; i++) {
        if (which < 0 && i) break;
        if (which > 0 && i + 1 < k) continue;
        bool letters = true;
        for (size_t j = 0; j < wl[i] && letters; j++)
            letters = (unsigned char)w[i][j] >= 0x80 || isalpha((unsigned char)w[i][j]) ||
                      w[i][j] == '-' || w[i][j] == '\'';
        if (letters && !pool_add(p, w[i], wl[i])) return false;
    }
    return true;
}

struct rf_scale_parts {
    pool given, family; /* Latin persons (OFAC "FAMILY, Given Middle") */
    pool ar_given, ar_family;
    pool org_words, org_generic, org_last; /* distinctive and common words */
    UTransliterator *cyr;                  /* Latin to Cyrillic, for Russian-script aliases */
};

/* Common East Asian surnames and given-name syllables, written natively:
 * the bundled lists carry almost no Hangul or Han names. */
static const char *const ko_family[] = {"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임",
                                        "한", "오", "서", "신", "권", "황", "안", "송", "류", "전"};
static const char *const ko_given[] = {"민", "서", "지", "현", "준", "수", "영", "우", "성", "진",
                                       "상", "만", "혁", "철", "호", "은", "희", "경", "동", "일"};
static const char *const zh_family[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                        "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
static const char *const zh_given[] = {"伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊",
                                       "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "兰"};
#define COUNT(a) (sizeof(a) / sizeof(a)[0])

static const struct {
    const char *name, *code;
} countries[] = {
    {"Democratic People's Republic of Korea", "KP"},
    {"Russian Federation", "RU"},
    {"Iran (Islamic Republic of)", "IR"},
    {"Syrian Arab Republic", "SY"},
    {"China", "CN"},
    {"Iraq", "IQ"},
    {"Afghanistan", "AF"},
    {"Yemen", "YE"},
    {"Pakistan", "PK"},
    {"Lebanon", "LB"},
    {"Libya", "LY"},
    {"Somalia", "SO"},
    {"Sudan", "SD"},
    {"Belarus", "BY"},
    {"Myanmar", "MM"},
    {"Cuba", "CU"},
    {"Turkey", "TR"},
    {"United Arab Emirates", "AE"},
};

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Moves the words frequent among organisation names (COMPANY, LIMITED,
 * TRADING...) to org_generic, so each generated name can carry at least
 * one distinctive word, as real names do. */
static bool split_generic(rf_scale_parts *p) {
    pool *w = &p->org_words;
    qsort(w->v, w->n, sizeof *w->v, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < w->n;) {
        size_t j = i;
        while (j < w->n && !strcmp(w->v[j], w->v[i]))
            j++;
        bool generic = j - i >= 25;
        for (size_t x = i; x < j; x++) {
            if (!generic) {
                w->v[k++] = w->v[x];
                continue;
            }
            if (!pool_add(&p->org_generic, w->v[x], strlen(w->v[x]))) return false;
            free(w->v[x]);
        }
        i = j;
    }
    w->n = k;
    return true;
}

rf_scale_parts *rf_scale_parts_new(const rf_dataset *ds) {
    rf_scale_parts *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    bool ok = true;
    for (size_t i = 0; ok && i < rf_dataset_count(ds); i++) {
        const rf_entity *e = rf_dataset_entity(ds, i);
        for (size_t k = 0; ok && k < e->n_names; k++) {
            const char *t = e->names[k].text;
            size_t n = strlen(t);
            bool arabic = (unsigned char)t[0] >= 0xd8 && (unsigned char)t[0] <= 0xdb;
            const char *comma = strchr(t, ',');
            if (e->schema == RF_SCHEMA_PERSON && arabic) {
                ok = add_words(&p->ar_given, t, n, -1) && add_words(&p->ar_family, t, n, 1);
            } else if (e->schema == RF_SCHEMA_PERSON && comma && k == 0 &&
                       !strcmp(e->list, "us_ofac_sdn")) {
                ok = add_words(&p->family, t, (size_t)(comma - t), 0) &&
                     add_words(&p->given, comma + 1, strlen(comma + 1), 0);
            } else if (e->schema == RF_SCHEMA_ORGANIZATION && (unsigned char)t[0] < 0x80) {
                ok = add_words(&p->org_words, t, n, 0) && add_words(&p->org_last, t, n, 1);
            }
        }
    }
    if (ok) ok = split_generic(p);
    UErrorCode uerr = U_ZERO_ERROR;
    UChar id[32];
    u_uastrcpy(id, "Latin-Cyrillic");
    p->cyr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &uerr);
    if (!ok || U_FAILURE(uerr) || !p->given.n || !p->family.n || !p->ar_given.n ||
        !p->ar_family.n || !p->org_words.n || !p->org_generic.n || !p->org_last.n) {
        rf_scale_parts_free(p);
        return NULL;
    }
    return p;
}

void rf_scale_parts_free(rf_scale_parts *p) {
    if (!p) return;
    pool_free(&p->given);
    pool_free(&p->family);
    pool_free(&p->ar_given);
    pool_free(&p->ar_family);
    pool_free(&p->org_words);
    pool_free(&p->org_generic);
    pool_free(&p->org_last);
    if (p->cyr) utrans_close(p->cyr);
    free(p);
}

void rf_scale_parts_describe(const rf_scale_parts *p, FILE *out) {
    fprintf(out,
            "name parts from the bundled lists: %zu Latin given, %zu Latin family, %zu Arabic "
            "given, %zu Arabic family, %zu organisation words (%zu common); Hangul and Han "
            "syllables %zu\n",
            p->given.n, p->family.n, p->ar_given.n, p->ar_family.n, p->org_words.n,
            p->org_generic.n, COUNT(ko_given) + COUNT(zh_given));
}

/* Writes s with XML's five special characters escaped. */
static void xml_text(FILE *f, const char *s) {
    for (; *s; s++)
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&apos;", f);
            break;
        default:
            fputc(*s, f);
        }
}

static void json_text(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Latin text to Cyrillic into out (size bytes); false when it fails. */
static bool to_cyrillic(const rf_scale_parts *p, const char *s, char *out, size_t size) {
    UChar u[256];
    int32_t len = 0, limit;
    UErrorCode e = U_ZERO_ERROR;
    u_strFromUTF8(u, 256, &len, s, -1, &e);
    if (U_FAILURE(e) || len >= 200) return false;
    limit = len;
    utrans_transUChars(p->cyr, u, &len, 256, 0, &limit, &e);
    if (U_FAILURE(e)) return false;
    int32_t n = 0;
    u_strToUTF8(out, (int32_t)size, &n, u, len, &e);
    return U_SUCCESS(e) && (size_t)n < size;
}

/* One generated entity: its names (the first is the primary) and details. */
typedef struct gen {
    bool person;
    char names[3][256];
    int n_names;
    char original[256]; /* a name in its original script, or "" */
    int year, month, day;
    int country;
} gen;

static void latin_person(uint64_t *s, const rf_scale_parts *p, char *out, size_t size,
                         const char *family) {
    if (below(s, 10) < 4)
        snprintf(out, size, "%s %s %s", pick(s, &p->given), pick(s, &p->given), family);
    else
        snprintf(out, size, "%s %s", pick(s, &p->given), family);
}

static void make_entity(uint64_t *s, const rf_scale_parts *p, gen *g) {
    memset(g, 0, sizeof *g);
    g->person = below(s, 10) < 7;
    g->country = (int)below(s, COUNT(countries));
    if (g->person) {
        g->year = 1940 + (int)below(s, 62);
        g->month = 1 + (int)below(s, 12);
        g->day = 1 + (int)below(s, 28);
        size_t script = below(s, 100);
        if (script < 75) { /* Latin, some with a Cyrillic original */
            const char *family = pick(s, &p->family);
            latin_person(s, p, g->names[0], sizeof g->names[0], family);
            g->n_names = 1;
            if (below(s, 3) == 0) latin_person(s, p, g->names[g->n_names++], 256, family);
            if (script >= 65 && !to_cyrillic(p, g->names[0], g->original, sizeof g->original))
                g->original[0] = 0;
        } else if (script < 85) { /* Arabic */
            snprintf(g->names[0], 256, "%s %s %s", pick(s, &p->ar_given), pick(s, &p->ar_given),
                     pick(s, &p->ar_family));
            g->n_names = 1;
        } else { /* Korean or Chinese: surname and a two-syllable given name */
            bool ko = script < 93;
            const char *const *fam = ko ? ko_family : zh_family;
            const char *const *giv = ko ? ko_given : zh_given;
            size_t nf = ko ? COUNT(ko_family) : COUNT(zh_family);
            size_t ng = ko ? COUNT(ko_given) : COUNT(zh_given);
            snprintf(g->names[0], 256, "%s%s%s", fam[below(s, nf)], giv[below(s, ng)],
                     giv[below(s, ng)]);
            g->n_names = 1;
        }
    } else {
        /* one or two distinctive words, maybe a common one, a last word */
        size_t words = 1 + below(s, 2);
        size_t len = 0;
        for (size_t w = 0; w < words; w++)
            len += (size_t)snprintf(g->names[0] + len, 256 - len, "%s ", pick(s, &p->org_words));
        if (below(s, 2))
            len += (size_t)snprintf(g->names[0] + len, 256 - len, "%s ", pick(s, &p->org_generic));
        snprintf(g->names[0] + len, 256 - len, "%s", pick(s, &p->org_last));
        g->n_names = 1;
        if (below(s, 4) == 0)
            snprintf(g->names[g->n_names++], 256, "%s %s", pick(s, &p->org_words),
                     pick(s, &p->org_last));
    }
}

static void write_entity(FILE *f, const gen *g, size_t id) {
    const char *tag = g->person ? "INDIVIDUAL" : "ENTITY";
    fprintf(f, "<%s><DATAID>%zu</DATAID><FIRST_NAME>", tag, id);
    xml_text(f, g->names[0]);
    fprintf(f, "</FIRST_NAME><UN_LIST_TYPE>SYNTHETIC</UN_LIST_TYPE>");
    if (g->original[0]) {
        fputs("<NAME_ORIGINAL_SCRIPT>", f);
        xml_text(f, g->original);
        fputs("</NAME_ORIGINAL_SCRIPT>", f);
    }
    if (g->person) {
        fputs("<NATIONALITY><VALUE>", f);
        xml_text(f, countries[g->country].name);
        fputs("</VALUE></NATIONALITY>", f);
    }
    for (int k = 1; k < g->n_names; k++) {
        fprintf(f, "<%s_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>", tag);
        xml_text(f, g->names[k]);
        fprintf(f, "</ALIAS_NAME></%s_ALIAS>", tag);
    }
    if (g->person)
        fprintf(f,
                "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE>"
                "<DATE>%04d-%02d-%02d</DATE></INDIVIDUAL_DATE_OF_BIRTH>",
                g->year, g->month, g->day);
    else
        fprintf(f, "<ENTITY_ADDRESS><COUNTRY>%s</COUNTRY></ENTITY_ADDRESS>",
                countries[g->country].name);
    fprintf(f, "</%s>\n", tag);
}

/* A disturbed copy of name: a typo in its longest Latin word, two words
 * swapped, a middle word dropped, or as listed. */
static void disturb(uint64_t *s, const char *name, char *out, size_t size, const char **how) {
    snprintf(out, size, "%s", name);
    char *w[8];
    int k = 0;
    for (char *t = strtok(out, " "); t && k < 8; t = strtok(NULL, " "))
        w[k++] = t;
    size_t kind = below(s, 10);
    char buf[256];
    int longest = -1;
    for (int i = 0; i < k; i++)
        if ((unsigned char)w[i][0] < 0x80 && (longest < 0 || strlen(w[i]) > strlen(w[longest])))
            longest = i;
    *how = "exact";
    if (kind < 3 && longest >= 0 && strlen(w[longest]) >= 5) {
        /* inside a run of letters, not in a particle like the "Al" of
         * "Al-TIKRITI" */
        char *t = w[longest];
        size_t at = 1 + below(s, strlen(t) - 2);
        if (isalpha((unsigned char)t[at - 1]) && isalpha((unsigned char)t[at + 1]) &&
            (at < 2 || isalpha((unsigned char)t[at - 2]))) {
            t[at] = t[at] == 'a' ? 'e' : 'a';
            *how = "typo";
        }
    } else if (kind < 5 && k >= 2) {
        char *t = w[0];
        w[0] = w[k - 1];
        w[k - 1] = t;
        *how = "reordered";
    } else if (kind < 7 && k >= 3) {
        for (int i = 1; i + 1 < k; i++)
            w[i] = w[i + 1];
        k--;
        *how = "middle dropped";
    }
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < k; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? " " : "", w[i]);
    snprintf(out, size, "%s", buf);
}

bool rf_scale_write(const rf_scale_parts *p, size_t n, size_t n_queries, uint64_t seed,
                    const char *xml_path, const char *queries_path) {
    FILE *f = fopen(xml_path, "w");
    FILE *q = fopen(queries_path, "w");
    if (!f || !q) {
        if (f) fclose(f);
        if (q) fclose(q);
        return false;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CONSOLIDATED_LIST "
          "dateGenerated=\"2026-11-26T00:00:00Z\">\n<INDIVIDUALS>\n",
          f);
    /* the queries pick entities at a fixed stride, regenerated below */
    size_t stride = n_queries ? (n / n_queries ? n / n_queries : 1) : 0;
    uint64_t s = seed;
    gen g;
    for (int pass = 0; pass < 2; pass++) {
        bool person_pass = pass == 0;
        s = seed;
        for (size_t i = 0; i < n; i++) {
            make_entity(&s, p, &g);
            if (g.person != person_pass) continue;
            write_entity(f, &g, i + 1);
            if (!stride || i % stride || i / stride >= n_queries) continue;
            uint64_t qs = seed ^ (i * 0x9e3779b97f4a7c15ull);
            char name[256];
            const char *how;
            disturb(&qs, g.names[below(&qs, (size_t)g.n_names)], name, sizeof name, &how);
            fprintf(q, "{\"id\":\"scale-%zu\",\"category\":\"synthetic %s\",", i + 1, how);
            fprintf(q, "\"expect\":\"synthetic:%zu\",\"name\":", i + 1);
            json_text(q, name);
            fprintf(q, ",\"type\":\"%s\"", g.person ? "person" : "organization");
            if (g.person && below(&qs, 2))
                fprintf(q, ",\"birth_date\":\"%04d-%02d-%02d\",\"country\":\"%s\"", g.year, g.month,
                        g.day, countries[g.country].code);
            fputs("}\n", q);
        }
        fputs(person_pass ? "</INDIVIDUALS>\n<ENTITIES>\n" : "</ENTITIES>\n", f);
    }
    fputs("</CONSOLIDATED_LIST>\n", f);
    bool ok = !ferror(f) && !ferror(q);
    ok = (fclose(f) == 0) && ok;
    ok = (fclose(q) == 0) && ok;
    return ok;
}
