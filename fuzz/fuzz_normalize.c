/* The text pipeline of every name: UTF-8 check, Latin-1 conversion,
 * normalisation, ICU transliteration and the analyser that cuts a name
 * into classified tokens (person and organisation readings). */
#include "fuzz_common.h"
#include "match/knowledge.h"
#include "text/normalize.h"
#include "text/translit.h"

static rf_translit *tr;
static rf_kb *kb;

static void free_all(void) {
    rf_translit_free(tr);
    rf_kb_free(kb);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    rf_error err;
    if (rf_translit_new(&tr, &err) != RF_OK || rf_kb_new(&kb, &err) != RF_OK) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        abort();
    }
    atexit(free_all);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!tr) LLVMFuzzerInitialize(NULL, NULL);
    const char *s = (const char *)data;
    rf_buf a, b;
    rf_buf_init(&a);
    rf_buf_init(&b);
    rf_utf8_valid(s, size);
    rf_latin1_to_utf8(s, size, &a);
    rf_norm_name(s, size, &b);
    if (rf_needs_translit(s, size)) rf_translit_run(tr, s, size, &b);
    for (int org = 0; org < 2; org++) {
        rf_name_tokens t;
        rf_name_tokens_init(&t);
        if (rf_analyze_name(kb, tr, s, size, org, &t)) {
            for (uint32_t i = 0; i < t.n; i++) {
                char key[128];
                const char *tok = rf_name_token(&t, i);
                rf_kb_group(kb, tok, t.len[i]);
                rf_kb_rom_key(kb, tok, t.len[i], key, sizeof key);
                rf_kb_phonetic_key(kb, tok, t.len[i], key, sizeof key);
            }
        }
        rf_name_tokens_free(&t);
    }
    rf_buf_free(&a);
    rf_buf_free(&b);
    return 0;
}
