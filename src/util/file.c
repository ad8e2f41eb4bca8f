/* Whole-file reads (list files are a few MB: one read, then parse in memory,
 * which also lets fuzzers drive the parsers from buffers) and SHA-256 via
 * nettle for list provenance. */
#include "util/file.h"
#include "util/alloc.h"
#include "util/error.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

rf_status rf_file_read(const char *path, char **out, size_t *len, rf_error *err) {
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return rf_fail(err, RF_E_IO, path, 0, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = rf_malloc(cap);
    if (!buf) {
        fclose(f);
        return rf_fail(err, RF_E_NOMEM, path, 0, "out of memory reading the file");
    }
    for (;;) {
        if (cap - n < 2) {
            void *p = buf;
            if (rf_grow(&p, &cap, cap + 1, 1) != 0) {
                rf_free(buf);
                fclose(f);
                return rf_fail(err, RF_E_NOMEM, path, 0, "out of memory reading the file");
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        rf_free(buf);
        return rf_fail(err, RF_E_IO, path, 0, "read error");
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return RF_OK;
}

void rf_sha256_hex(const void *data, size_t len, char hex[65]) {
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, sizeof digest, digest);
    static const char *const digits = "0123456789abcdef";
    for (size_t i = 0; i < sizeof digest; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
}

bool rf_path_join(char *out, size_t size, const char *dir, const char *rel) {
    int n;
    if (rel[0] == '/' || !dir || !*dir)
        n = snprintf(out, size, "%s", rel);
    else
        n = snprintf(out, size, "%s/%s", dir, rel);
    return n >= 0 && (size_t)n < size;
}
