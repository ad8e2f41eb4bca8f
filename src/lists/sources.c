/* The data folder: DIR/sources.json names the lists to load, their format
 * and their files (paths relative to DIR, so a copied folder works
 * anywhere). Also finds the default folder. */
#include "lists/dataset_int.h"
#include "util/error.h"
#include "util/file.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SOURCES_FILE "sources.json"

static const char *jstr(json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A source's file for a role: DIR/files.<role>, or the path an update
 * downloaded it to (ov, when it names the role). NULL when not configured. */
static const char *role_path(json_t *files, const char *role, const char *dir,
                             const rf_source_paths *ov, char *buf, size_t size, bool *too_long) {
    *too_long = false;
    for (size_t k = 0; ov && k < ov->n; k++)
        if (!strcmp(ov->role[k], role)) return ov->path[k];
    const char *rel = jstr(files, role);
    if (!rel) return NULL;
    if (!rf_path_join(buf, size, dir, rel)) {
        *too_long = true;
        return NULL;
    }
    return buf;
}

/* The formats: the file roles each reads (the first is required). */
static const struct {
    const char *format;
    const char *roles[4];
} formats[] = {
    {"ofac_csv", {"primary", "address", "alias", "comments"}},
    {"ofac_xml", {"xml"}},
    {"un_xml", {"xml"}},
    {"uk_xlsx", {"xlsx"}},
    {"us_csl", {"csv"}},
    {"ftm_json", {"json"}},
};

const char *const *rf_source_roles(const char *format) {
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (!strcmp(formats[i].format, format)) return formats[i].roles;
    return NULL;
}

rf_status rf_source_add(rf_dataset *ds, const char *dir, const char *sources, int idx, json_t *src,
                        const rf_source_paths *ov, rf_error *err) {
    const char *list = jstr(src, "list"), *format = jstr(src, "format");
    const char *title = jstr(src, "title"), *published = jstr(src, "published");
    json_t *files = json_object_get(src, "files");
    if (!list || !format || !json_is_object(files))
        return rf_fail(err, RF_E_PARSE, sources, 0,
                       "sources[%d]: needs \"list\", \"format\" and a \"files\" object", idx);
    const char *const *roles = rf_source_roles(format);
    if (!roles)
        return rf_fail(err, RF_E_PARSE, sources, 0,
                       "sources[%d] (%s): unknown format \"%s\" (known: ofac_csv, ofac_xml, "
                       "un_xml, uk_xlsx, us_csl, ftm_json)",
                       idx, list, format);
    char paths[4][PATH_MAX];
    const char *p[4] = {NULL, NULL, NULL, NULL};
    for (int r = 0; r < 4 && roles[r]; r++) {
        bool too_long;
        p[r] = role_path(files, roles[r], dir, ov, paths[r], sizeof paths[r], &too_long);
        if (too_long)
            return rf_fail(err, RF_E_LIMIT, sources, 0, "sources[%d].files.%s: path too long", idx,
                           roles[r]);
    }
    if (!p[0])
        return rf_fail(err, RF_E_PARSE, sources, 0, "sources[%d] (%s): %s needs files.%s", idx,
                       list, format, roles[0]);
    rf_status st;
    if (!strcmp(format, "ofac_csv")) {
        rf_ofac_files f = {p[0], p[1], p[2], p[3]};
        st = rf_dataset_add_ofac_csv(ds, list, title, &f, err);
    } else if (!strcmp(format, "ofac_xml")) {
        st = rf_dataset_add_ofac_xml(ds, list, title, p[0], err);
    } else if (!strcmp(format, "un_xml")) {
        st = rf_dataset_add_un_xml(ds, list, title, p[0], err);
    } else if (!strcmp(format, "uk_xlsx")) {
        st = rf_dataset_add_uk_xlsx(ds, list, title, p[0], err);
    } else if (!strcmp(format, "us_csl")) {
        st = rf_dataset_add_us_csl(ds, list, title, p[0], err);
    } else {
        st = rf_dataset_add_ftm(ds, list, title, p[0], err);
    }
    if (st == RF_OK && published) {
        /* a date inside the file (UN dateGenerated) wins over the config */
        const rf_list_info *info = rf_dataset_list(ds, ds->lists.n - 1);
        if (!*info->published) st = rf_dataset_set_published(ds, list, published, err);
    }
    return st;
}

static rf_status load_source(rf_dataset *ds, const char *dir, const char *sources, int idx,
                             json_t *src, rf_error *err) {
    if (json_is_false(json_object_get(src, "enabled"))) return RF_OK;
    return rf_source_add(ds, dir, sources, idx, src, NULL, err);
}

rf_status rf_dataset_load(const char *data_dir, const rf_load_options *opts, rf_dataset **out,
                          rf_error *err) {
    *out = NULL;
    char sources[PATH_MAX];
    if (!rf_path_join(sources, sizeof sources, data_dir, SOURCES_FILE))
        return rf_fail(err, RF_E_LIMIT, data_dir, 0, "data folder path too long");
    char *text;
    size_t len;
    rf_status st = rf_file_read(sources, &text, &len, err);
    if (st != RF_OK) {
        if (err)
            rf_fail(err, st, sources, 0,
                    "cannot read the list configuration (is '%s' a redflag data folder? "
                    "pass --data DIR)",
                    data_dir);
        return st;
    }
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr);
    rf_free(text);
    if (!root) return rf_fail(err, RF_E_PARSE, sources, jerr.line, "invalid JSON: %s", jerr.text);
    json_t *arr = json_object_get(root, "sources");
    if (!json_is_array(arr)) {
        json_decref(root);
        return rf_fail(err, RF_E_PARSE, sources, 0, "expected {\"sources\": [...]}");
    }
    rf_dataset *ds;
    st = rf_dataset_new(opts, &ds, err);
    for (size_t i = 0; st == RF_OK && i < json_array_size(arr); i++)
        st = load_source(ds, data_dir, sources, (int)i, json_array_get(arr, i), err);
    json_decref(root);
    if (st == RF_OK) st = rf_dataset_finish(ds, err);
    if (st != RF_OK) {
        rf_dataset_free(ds);
        return st;
    }
    *out = ds;
    return RF_OK;
}

static bool is_data_dir(const char *dir) {
    char p[PATH_MAX];
    struct stat sb;
    return rf_path_join(p, sizeof p, dir, SOURCES_FILE) && stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

bool rf_data_dir_default(char *buf, size_t size) {
    const char *env = getenv("REDFLAG_DATA");
    if (env && *env) {
        snprintf(buf, size, "%s", env);
        return true;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        /* installed: PREFIX/bin/redflag -> PREFIX/share/redflag/data;
         * built in the tree: build/redflag -> data/ */
        static const char *const rel[] = {"../share/redflag/data", "../data", "../../data"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            char cand[PATH_MAX];
            if (rf_path_join(cand, sizeof cand, exe, rel[i]) && is_data_dir(cand)) {
                char *real = realpath(cand, NULL);
                snprintf(buf, size, "%s", real ? real : cand);
                free(real);
                return true;
            }
        }
    }
#ifdef RF_SOURCE_DATA_DIR
    if (is_data_dir(RF_SOURCE_DATA_DIR)) {
        snprintf(buf, size, "%s", RF_SOURCE_DATA_DIR);
        return true;
    }
#endif
    return false;
}
