/* Script of a name by ICU's character properties. */
#include "text/script.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

rf_script rf_text_script(const char *s, size_t n) {
    rf_script found = RF_SCRIPT_OTHER;
    int32_t i = 0, len = (int32_t)n;
    while (i < len) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c < 0) return RF_SCRIPT_OTHER; /* invalid UTF-8 */
        if (!u_isalpha(c)) continue;
        UErrorCode ue = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &ue);
        if (U_FAILURE(ue)) return RF_SCRIPT_OTHER;
        rf_script this;
        if (sc == USCRIPT_HANGUL)
            this = RF_SCRIPT_HANGUL;
        else if (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA)
            this = RF_SCRIPT_HAN;
        else
            return RF_SCRIPT_OTHER;
        if (found != RF_SCRIPT_OTHER && found != this) return RF_SCRIPT_OTHER;
        found = this;
    }
    return found;
}

size_t rf_text_letters(const char *s, size_t n, uint32_t *out, size_t cap) {
    size_t k = 0;
    int32_t i = 0, len = (int32_t)n;
    while (i < len) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c < 0 || !u_isalpha(c)) continue;
        if (k < cap) out[k] = (uint32_t)c;
        k++;
    }
    return k;
}
