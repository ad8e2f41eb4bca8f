/* ICU transliteration chain: Hangul syllables are split and romanised one by
 * one (ICU joins them and writes final consonants as g/d/b: "박" -> "bag";
 * Korean romanisation writes k/t/p), Cyrillic goes through BGN/PCGN, then
 * Any-Latin and Latin-ASCII take every other script to ASCII. Han characters
 * are read one at a time (as ICU does) and each reading is remembered:
 * ICU's Han-Latin costs some 25 us a character, a remembered one nothing. */
#include "text/translit.h"
#include "util/alloc.h"
#include "util/error.h"

#include <string.h>
#include <unicode/uscript.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* A Han character's reading: Any-Latin; Latin-ASCII of it alone. */
#define HAN_SLOTS    8192 /* power of two; filled to 3/4 at most */
#define HAN_TEXT_MAX 14
typedef struct han_reading {
    UChar32 c; /* 0: empty */
    uint8_t len;
    UChar text[HAN_TEXT_MAX];
} han_reading;

struct rf_translit {
    UTransliterator *cyrillic; /* [:Cyrillic:] Russian-Latin/BGN */
    UTransliterator *hangul;   /* Hangul-Latin, one syllable at a time */
    UTransliterator *any;      /* Any-Latin; Latin-ASCII */
    UChar *buf;                /* working text */
    int32_t cap;
    UChar *tmp;
    int32_t tmp_cap;
    han_reading *han; /* per transliterator (per thread), made on first use */
    size_t n_han;
};

static UTransliterator *open_id(const char *id, UErrorCode *ue) {
    UChar uid[128];
    u_uastrcpy(uid, id);
    return utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, ue);
}

void rf_translit_free(rf_translit *t) {
    if (!t) return;
    if (t->cyrillic) utrans_close(t->cyrillic);
    if (t->hangul) utrans_close(t->hangul);
    if (t->any) utrans_close(t->any);
    rf_free(t->buf);
    rf_free(t->tmp);
    rf_free(t->han);
    rf_free(t);
}

rf_status rf_translit_new(rf_translit **out, rf_error *err) {
    *out = NULL;
    rf_translit *t = rf_calloc(1, sizeof *t);
    if (!t) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    UErrorCode ue = U_ZERO_ERROR;
    t->cyrillic = open_id("[:Cyrillic:] Russian-Latin/BGN", &ue);
    if (U_SUCCESS(ue)) t->hangul = open_id("Hangul-Latin", &ue);
    if (U_SUCCESS(ue)) t->any = open_id("Any-Latin; Latin-ASCII", &ue);
    if (U_FAILURE(ue)) {
        rf_translit_free(t);
        return rf_fail(err, RF_E_INTERNAL, NULL, 0,
                       "ICU transliterators are missing (%s): is libicu's data installed?",
                       u_errorName(ue));
    }
    *out = t;
    return RF_OK;
}

rf_status rf_translit_new_id(const char *icu_id, rf_translit **out, rf_error *err) {
    *out = NULL;
    rf_translit *t = rf_calloc(1, sizeof *t);
    if (!t) return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    UErrorCode ue = U_ZERO_ERROR;
    t->any = open_id(icu_id, &ue);
    if (U_FAILURE(ue)) {
        rf_translit_free(t);
        return rf_fail(err, RF_E_INTERNAL, NULL, 0, "ICU transform '%s': %s", icu_id,
                       u_errorName(ue));
    }
    *out = t;
    return RF_OK;
}

rf_translit *rf_translit_clone(const rf_translit *src) {
    rf_translit *t = rf_calloc(1, sizeof *t);
    if (!t) return NULL;
    UErrorCode ue = U_ZERO_ERROR;
    if (src->cyrillic) t->cyrillic = utrans_clone(src->cyrillic, &ue);
    if (U_SUCCESS(ue) && src->hangul) t->hangul = utrans_clone(src->hangul, &ue);
    if (U_SUCCESS(ue) && src->any) t->any = utrans_clone(src->any, &ue);
    if (U_FAILURE(ue)) {
        rf_translit_free(t);
        return NULL;
    }
    return t;
}

bool rf_needs_translit(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return true;
    return false;
}

static bool reserve(UChar **p, int32_t *cap, int32_t need) {
    if (need <= *cap) return true;
    int32_t ncap = *cap ? *cap : 256;
    while (ncap < need)
        ncap *= 2;
    UChar *q = rf_realloc(*p, (size_t)ncap * sizeof *q);
    if (!q) return false;
    *p = q;
    *cap = ncap;
    return true;
}

/* Runs one transliterator over buf[0..*len) in place. */
static bool run(UTransliterator *tr, UChar **buf, int32_t *cap, int32_t *len) {
    for (;;) {
        UErrorCode ue = U_ZERO_ERROR;
        int32_t l = *len, limit = *len;
        utrans_transUChars(tr, *buf, &l, *cap, 0, &limit, &ue);
        if (ue == U_BUFFER_OVERFLOW_ERROR) {
            if (!reserve(buf, cap, l + 16)) return false;
            continue; /* the text was not changed: run again with room */
        }
        if (U_FAILURE(ue)) return false;
        *len = l;
        return true;
    }
}

static bool is_hangul_syllable(UChar c) {
    return c >= 0xAC00 && c <= 0xD7A3;
}

/* Each Hangul syllable becomes " <romanised> ", with ICU's final g/d/b
 * written k/t/p as Korean romanisation does ("박" -> "bak"). */
static bool split_hangul(rf_translit *t, int32_t *len) {
    bool any = false;
    for (int32_t i = 0; i < *len && !any; i++)
        any = is_hangul_syllable(t->buf[i]);
    if (!any) return true;
    int32_t n = 0;
    if (!reserve(&t->tmp, &t->tmp_cap, *len * 8 + 16)) return false;
    for (int32_t i = 0; i < *len; i++) {
        UChar c = t->buf[i];
        if (!is_hangul_syllable(c)) {
            t->tmp[n++] = c;
            continue;
        }
        UChar syl[16] = {c};
        int32_t sl = 1;
        UChar *sp = syl;
        int32_t scap = 16;
        UErrorCode ue = U_ZERO_ERROR;
        int32_t limit = 1;
        utrans_transUChars(t->hangul, sp, &sl, scap, 0, &limit, &ue);
        if (U_FAILURE(ue)) return false;
        if (sl >= 2) {
            UChar last = syl[sl - 1], prev = syl[sl - 2];
            if (last == 'g' && prev != 'n')
                syl[sl - 1] = 'k';
            else if (last == 'd')
                syl[sl - 1] = 't';
            else if (last == 'b')
                syl[sl - 1] = 'p';
        }
        t->tmp[n++] = ' ';
        for (int32_t k = 0; k < sl; k++)
            t->tmp[n++] = syl[k];
        t->tmp[n++] = ' ';
    }
    if (!reserve(&t->buf, &t->cap, n + 1)) return false;
    memcpy(t->buf, t->tmp, (size_t)n * sizeof *t->buf);
    *len = n;
    return true;
}

/* The reading of Han character c into r (from the table, or ICU once);
 * false when it cannot be had alone (then ICU reads it in the text). */
static bool han_read(rf_translit *t, UChar32 c, const han_reading **r) {
    if (!t->han && !(t->han = rf_calloc(HAN_SLOTS, sizeof *t->han))) return false;
    size_t i = ((uint32_t)c * 2654435761u) & (HAN_SLOTS - 1);
    while (t->han[i].c && t->han[i].c != c)
        i = (i + 1) & (HAN_SLOTS - 1);
    if (t->han[i].c == c) {
        *r = &t->han[i];
        return true;
    }
    UChar one[32];
    int32_t len = 0;
    U16_APPEND_UNSAFE(one, len, c);
    UErrorCode ue = U_ZERO_ERROR;
    int32_t limit = len;
    utrans_transUChars(t->any, one, &len, 32, 0, &limit, &ue);
    if (U_FAILURE(ue) || len > HAN_TEXT_MAX) return false;
    han_reading *slot = t->n_han < HAN_SLOTS / 4 * 3 ? &t->han[i] : NULL;
    if (!slot) return false; /* full: ICU reads the rest in place */
    slot->c = c;
    slot->len = (uint8_t)len;
    memcpy(slot->text, one, (size_t)len * sizeof *one);
    t->n_han++;
    *r = slot;
    return true;
}

/* Each Han character becomes " <reading> " (ICU's own reading of it). */
static bool split_han(rf_translit *t, int32_t *len) {
    bool any = false;
    for (int32_t i = 0; i < *len && !any;) {
        UChar32 c;
        U16_NEXT(t->buf, i, *len, c);
        UErrorCode ue = U_ZERO_ERROR;
        any = uscript_getScript(c, &ue) == USCRIPT_HAN && U_SUCCESS(ue);
    }
    if (!any) return true;
    if (!reserve(&t->tmp, &t->tmp_cap, *len * (HAN_TEXT_MAX + 2) + 16)) return false;
    int32_t n = 0;
    for (int32_t i = 0; i < *len;) {
        int32_t at = i;
        UChar32 c;
        U16_NEXT(t->buf, i, *len, c);
        UErrorCode ue = U_ZERO_ERROR;
        const han_reading *r;
        if (uscript_getScript(c, &ue) == USCRIPT_HAN && U_SUCCESS(ue) && han_read(t, c, &r)) {
            t->tmp[n++] = ' ';
            for (int32_t k = 0; k < r->len; k++)
                t->tmp[n++] = r->text[k];
            t->tmp[n++] = ' ';
            continue;
        }
        while (at < i)
            t->tmp[n++] = t->buf[at++];
    }
    if (!reserve(&t->buf, &t->cap, n + 1)) return false;
    memcpy(t->buf, t->tmp, (size_t)n * sizeof *t->buf);
    *len = n;
    return true;
}

bool rf_translit_run(rf_translit *t, const char *s, size_t n, rf_buf *out) {
    rf_buf_reset(out);
    if (n > (1u << 20)) return false;
    UErrorCode ue = U_ZERO_ERROR;
    int32_t len = 0;
    u_strFromUTF8(NULL, 0, &len, s, (int32_t)n, &ue);
    if (ue != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(ue)) return false;
    if (!reserve(&t->buf, &t->cap, len * 2 + 16)) return false;
    ue = U_ZERO_ERROR;
    u_strFromUTF8(t->buf, t->cap, &len, s, (int32_t)n, &ue);
    if (U_FAILURE(ue)) return false;
    if ((t->hangul && !split_hangul(t, &len)) || (t->hangul && !split_han(t, &len)) ||
        (t->cyrillic && !run(t->cyrillic, &t->buf, &t->cap, &len)) ||
        !run(t->any, &t->buf, &t->cap, &len))
        return false;
    int32_t need = 0;
    ue = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &need, t->buf, len, &ue);
    if (!rf_buf_reserve(out, (size_t)need + 1)) return false;
    ue = U_ZERO_ERROR;
    u_strToUTF8(out->data, (int32_t)out->cap, &need, t->buf, len, &ue);
    if (U_FAILURE(ue)) return false;
    out->len = (size_t)need;
    out->data[out->len] = '\0';
    return true;
}
