/* Helpers shared by the libFuzzer targets in fuzz/: most parsers read files
 * by path, so an input is first written to a scratch file of this process.
 * The same target sources are linked with fuzz/replay.c (a plain main()) so
 * the ctest suites replay fuzz/regressions/ and fuzz/corpus/ without
 * clang's fuzzer runtime. */
#ifndef RF_FUZZ_COMMON_H
#define RF_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A scratch folder of this process (created once, in /dev/shm when there
 * is one), removed at exit. */
static char rf_fuzz_dir_path[256];

static void rf_fuzz_dir_cleanup(void) {
    if (!rf_fuzz_dir_path[0]) return;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", rf_fuzz_dir_path);
    if (system(cmd) != 0) fprintf(stderr, "fuzz: could not remove %s\n", rf_fuzz_dir_path);
}

static inline const char *rf_fuzz_dir(void) {
    if (!rf_fuzz_dir_path[0]) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(rf_fuzz_dir_path, sizeof rf_fuzz_dir_path, "%s/rf-fuzz-XXXXXX", base);
        if (!mkdtemp(rf_fuzz_dir_path)) {
            perror("fuzz: mkdtemp");
            abort();
        }
        atexit(rf_fuzz_dir_cleanup);
    }
    return rf_fuzz_dir_path;
}

/* Writes data to DIR/name and returns the path (static storage per name
 * slot: valid until the next call with the same slot). */
static inline const char *rf_fuzz_file(int slot, const char *name, const uint8_t *data,
                                       size_t size) {
    static char paths[8][320];
    snprintf(paths[slot], sizeof paths[slot], "%s/%s", rf_fuzz_dir(), name);
    FILE *f = fopen(paths[slot], "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror("fuzz: writing the scratch file");
        abort();
    }
    return paths[slot];
}

/* Cuts the input into up to max parts at each "\n====\n" (how the
 * multi-file targets are fed several files at once). Returns the count. */
static inline size_t rf_fuzz_split(const uint8_t *data, size_t size, const uint8_t **part,
                                   size_t *len, size_t max) {
    static const char sep[] = "\n====\n";
    size_t n = 0, start = 0;
    for (size_t i = 0; i + 6 <= size && n + 1 < max; i++) {
        if (memcmp(data + i, sep, 6) == 0) {
            part[n] = data + start;
            len[n++] = i - start;
            start = i + 6;
            i += 5;
        }
    }
    part[n] = data + start;
    len[n++] = size - start;
    return n;
}

#endif
