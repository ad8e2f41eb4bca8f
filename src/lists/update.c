/* redflag lists update: download (libcurl) into "<file>.download" beside
 * each file, parse the new files as the source they will be, compare the
 * entity count with the files in use, then fsync and rename over them and
 * record the date in sources.json (written the same way). */
#include "redflag/update.h"
#include "lists/dataset_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/file.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SOURCES_FILE "sources.json"

void rf_update_options_init(rf_update_options *o) {
    o->source = NULL;
    o->force = false;
    o->max_shrink = 0.10;
    o->timeout_s = 300;
}

/* Flushes a written file (or a folder's entry list) to disk. */
static bool sync_path(const char *path, bool dir) {
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0) return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

static bool sync_parent(const char *path) {
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    return sync_path(dirname(buf), true);
}

/* Where a download is written, and the errno of a failed write (a full
 * disk), which libcurl only reports as "failure writing output". */
typedef struct sink {
    FILE *f;
    int write_errno;
} sink;

static size_t on_bytes(char *p, size_t size, size_t n, void *ud) {
    sink *s = ud;
    size_t w = fwrite(p, size, n, s->f);
    if (w != n && !s->write_errno) s->write_errno = errno ? errno : EIO;
    return w * size;
}

/* Downloads url into path; false with the reason in msg. */
static bool download(const char *url, const char *path, long timeout_s, char *msg, size_t cap) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(msg, cap, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    CURL *c = curl_easy_init();
    if (!c) {
        fclose(f);
        snprintf(msg, cap, "cannot start a download (libcurl)");
        return false;
    }
    char cerr[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    sink s = {f, 0};
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_bytes);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout_s < 30 ? timeout_s : 30L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "redflag-lists-update");
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    bool ok = rc == CURLE_OK;
    int e = 0;
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) ok = false, e = errno;
    if (fclose(f) != 0) ok = false, e = e ? e : errno;
    if (rc == CURLE_WRITE_ERROR || (rc == CURLE_OK && !ok))
        snprintf(msg, cap, "cannot write %s: %s", path,
                 strerror(s.write_errno ? s.write_errno
                          : e           ? e
                                        : EIO));
    else if (rc == CURLE_HTTP_RETURNED_ERROR)
        snprintf(msg, cap, "download of %s failed: HTTP %ld", url, code);
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        snprintf(msg, cap, "download of %s timed out after %ld s", url, timeout_s);
    else if (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR)
        snprintf(msg, cap, "download of %s was cut short (truncated): %s", url,
                 *cerr ? cerr : curl_easy_strerror(rc));
    else if (rc != CURLE_OK)
        snprintf(msg, cap, "download of %s failed: %s", url, *cerr ? cerr : curl_easy_strerror(rc));
    return ok;
}

/* Entities of one source loaded from its files (ov: the downloads); -1 and
 * the reason in err when it does not load. */
static long count_source(const char *dir, const char *sources, int idx, json_t *src,
                         const rf_source_paths *ov, rf_error *err) {
    rf_load_options quiet = {NULL, NULL}; /* warnings only counted */
    rf_dataset *ds;
    if (rf_dataset_new(&quiet, &ds, err) != RF_OK) return -1;
    rf_status st = rf_source_add(ds, dir, sources, idx, src, ov, err);
    if (st == RF_OK) st = rf_dataset_finish(ds, err);
    long n = st == RF_OK ? (long)rf_dataset_count(ds) : -1;
    rf_dataset_free(ds);
    return n;
}

/* sources.json rewritten whole: temp file, fsync, rename. */
static bool write_sources(const char *path, json_t *root) {
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.download", path) >= (int)sizeof tmp) return false;
    if (json_dump_file(root, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) return false;
    FILE *f = fopen(tmp, "a");
    bool ok = f && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0) ok = false;
    ok = ok && sync_path(tmp, false) && rename(tmp, path) == 0 && sync_parent(path);
    if (!ok) unlink(tmp);
    return ok;
}

/* One source: download, validate, swap. */
static void update_one(const char *dir, const char *sources, int idx, json_t *src,
                       const rf_update_options *o, rf_update_result *r, bool *changed) {
    json_t *urls = json_object_get(src, "urls"), *files = json_object_get(src, "files");
    const char *format = json_string_value(json_object_get(src, "format"));
    const char *const *roles = format ? rf_source_roles(format) : NULL;
    if (!json_is_object(urls) || !json_object_size(urls)) {
        r->state = RF_UPDATE_SKIPPED;
        snprintf(r->message, sizeof r->message, "no \"urls\" in %s: nothing to download",
                 SOURCES_FILE);
        return;
    }
    r->state = RF_UPDATE_FAILED;
    if (!roles || !json_is_object(files)) {
        snprintf(r->message, sizeof r->message, "sources[%d]: unknown format or no files", idx);
        return;
    }
    char target[4][PATH_MAX], temp[4][PATH_MAX];
    rf_source_paths ov = {{NULL}, {NULL}, 0};
    bool ok = true;
    for (int k = 0; ok && k < 4 && roles[k]; k++) {
        const char *url = json_string_value(json_object_get(urls, roles[k]));
        const char *rel = json_string_value(json_object_get(files, roles[k]));
        if (!url) continue;
        if (!rel || !rf_path_join(target[ov.n], sizeof target[0], dir, rel)) {
            snprintf(r->message, sizeof r->message, "urls.%s has no files.%s to replace", roles[k],
                     roles[k]);
            ok = false;
            break;
        }
        if (snprintf(temp[ov.n], sizeof temp[0], "%s.download", target[ov.n]) >=
            (int)sizeof temp[0]) {
            snprintf(r->message, sizeof r->message, "files.%s: path too long", roles[k]);
            ok = false;
            break;
        }
        ov.role[ov.n] = roles[k];
        ov.path[ov.n] = temp[ov.n];
        ov.n++;
        ok = download(url, temp[ov.n - 1], o->timeout_s, r->message, sizeof r->message);
    }
    rf_error err;
    long after = -1, before = -1;
    if (ok) {
        after = count_source(dir, sources, idx, src, &ov, &err);
        if (after < 0) {
            snprintf(r->message, sizeof r->message, "the download does not read as %s: %s", format,
                     err.msg);
            ok = false;
        }
    }
    if (ok) {
        before = count_source(dir, sources, idx, src, NULL, &err);
        if (before < 0) before = 0; /* nothing usable in place: anything is better */
        r->entities_before = (size_t)before;
        r->entities_after = (size_t)after;
        if (!o->force && (double)after < (double)before * (1.0 - o->max_shrink)) {
            snprintf(r->message, sizeof r->message,
                     "the download has %ld entities where the list in use has %ld (more than "
                     "%.0f%% fewer): not replaced; --force accepts it",
                     after, before, 100 * o->max_shrink);
            ok = false;
        }
    }
    for (size_t k = 0; ok && k < ov.n; k++)
        if (rename(temp[k], target[k]) != 0 || !sync_parent(target[k])) {
            snprintf(r->message, sizeof r->message, "cannot move %.300s into place: %s", temp[k],
                     strerror(errno));
            ok = false;
        }
    for (size_t k = 0; k < ov.n; k++)
        unlink(temp[k]); /* gone after a rename; a failed download's leftovers */
    if (!ok) return;
    r->state = RF_UPDATE_UPDATED;
    snprintf(r->message, sizeof r->message, "%ld -> %ld entities", before, after);
    /* the files carry no date of their own (OFAC CSV): the download's counts */
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char day[16], stamp[32];
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_object_set_new(src, "published", json_string(day));
    json_object_set_new(src, "downloaded", json_string(stamp));
    *changed = true;
}

rf_status rf_data_update(const char *data_dir, const rf_update_options *opts,
                         rf_update_result **results, size_t *n, rf_error *err) {
    rf_update_options defaults;
    if (!opts) {
        rf_update_options_init(&defaults);
        opts = &defaults;
    }
    *results = NULL;
    *n = 0;
    char sources[PATH_MAX];
    if (!rf_path_join(sources, sizeof sources, data_dir, SOURCES_FILE))
        return rf_fail(err, RF_E_LIMIT, data_dir, 0, "data folder path too long");
    json_error_t je;
    json_t *root = json_load_file(sources, JSON_PRESERVE_ORDER, &je);
    json_t *arr = root ? json_object_get(root, "sources") : NULL;
    if (!json_is_array(arr)) {
        json_decref(root);
        return rf_fail(err, RF_E_PARSE, sources, root ? 0 : je.line, "%s",
                       root ? "expected {\"sources\": [...]}" : je.text);
    }
    size_t cnt = json_array_size(arr);
    rf_update_result *res = rf_calloc(cnt + 1, sizeof *res);
    if (!res) {
        json_decref(root);
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rf_status st = RF_OK;
    bool changed = false, found = false;
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        json_t *src = json_array_get(arr, i);
        const char *list = json_string_value(json_object_get(src, "list"));
        if (!list || (opts->source && strcmp(opts->source, list) != 0)) continue;
        if (!opts->source && json_is_false(json_object_get(src, "enabled"))) continue;
        found = true;
        rf_update_result *r = &res[k++];
        snprintf(r->list, sizeof r->list, "%s", list);
        update_one(data_dir, sources, (int)i, src, opts, r, &changed);
        if (r->state == RF_UPDATE_FAILED && st == RF_OK)
            st = rf_fail(err, RF_E_IO, sources, 0, "%s: %s", r->list, r->message);
    }
    curl_global_cleanup();
    if (opts->source && !found && st == RF_OK)
        st = rf_fail(err, RF_E_INVALID, sources, 0, "no source with list id \"%s\"", opts->source);
    if (changed && !write_sources(sources, root) && st == RF_OK)
        st = rf_fail(err, RF_E_IO, sources, 0,
                     "the lists were updated but %s could not be rewritten: %s", SOURCES_FILE,
                     strerror(errno));
    json_decref(root);
    *results = res;
    *n = k;
    return st;
}
