/* Which writing system a name is in, where that changes how names compare:
 * in Han and Hangul each character is a whole syllable, so two names both
 * written in one of them differ wherever a character differs, whatever
 * their romanisations share ("김정은" is not "김종은", though "jeong" and
 * "jong" are one name in Latin letters). */
#ifndef RF_TEXT_SCRIPT_H
#define RF_TEXT_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

typedef enum rf_script {
    RF_SCRIPT_OTHER = 0, /* Latin, alphabets, mixed: compared as romanised */
    RF_SCRIPT_HAN,       /* Chinese characters, with Japanese kana */
    RF_SCRIPT_HANGUL,
} rf_script;

/* The script of UTF-8 text s: RF_SCRIPT_HAN or RF_SCRIPT_HANGUL only when
 * every letter is of it (ASCII letters or other scripts: RF_SCRIPT_OTHER). */
rf_script rf_text_script(const char *s, size_t n);

/* The letters of UTF-8 text s as code points into out (room for cap);
 * returns how many there are (more than cap: only cap written). */
size_t rf_text_letters(const char *s, size_t n, uint32_t *out, size_t cap);

#endif
