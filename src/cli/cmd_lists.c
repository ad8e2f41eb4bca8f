/* redflag lists: what is loaded, per list: entity counts by schema, names
 * and aliases, records skipped, and each source file's hash and date.
 * redflag lists diff OLD NEW: what changed between two versions. */
#include "cli/cli.h"
#include "redflag/diff.h"
#include "redflag/update.h"

#include <getopt.h>
#include <stdlib.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void help(FILE *f) {
    fprintf(f, "usage: redflag lists [--max-age DAYS]\n"
               "       redflag lists diff OLD NEW [--json]\n"
               "       redflag lists update [--source ID] [--force] [--timeout SECONDS]\n"
               "\n"
               "Prints every loaded list: entities by schema, alias counts, malformed\n"
               "records skipped, and each source file's size and sha256. A list published\n"
               "more than DAYS ago (default 7) is flagged STALE, and so is one whose date\n"
               "is unknown: screening against an old list is a compliance failure.\n"
               "\n"
               "diff compares two versions of the lists, each a data folder (with its\n"
               "sources.json) or an index file, and prints the entities added, removed\n"
               "and changed (which fields). --json prints one object:\n"
               "  {\"added\": [{\"entity\": ..., \"name\": ...}], \"removed\": [...],\n"
               "   \"changed\": [{\"entity\": ..., \"name\": ..., \"fields\": [...]}]}\n"
               "Exits 0 whether or not there are differences, 2 on error.\n"
               "\n"
               "update downloads each source of the data folder's sources.json that has\n"
               "\"urls\" (or only --source ID), parses the download in full, refuses one\n"
               "with more than 10%% fewer entities than the list in use (--force accepts\n"
               "it), then swaps the files in (fsync, rename) and records the date. A failed,\n"
               "cut or hung download (--timeout, default 300 s) replaces nothing. Exits 0\n"
               "when every source updated or had nothing to download, 2 otherwise.\n");
}

/* One side of a diff: a data folder or an index file. */
typedef struct version {
    rf_dataset *ds; /* a folder's */
    rf_index *ix;   /* an index file's */
} version;

static const rf_dataset *version_open(const char *path, version *v) {
    memset(v, 0, sizeof *v);
    struct stat st;
    rf_error err;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "redflag lists diff: %s: no such folder or index file\n", path);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        if (rf_dataset_load(path, NULL, &v->ds, &err) != RF_OK) {
            fprintf(stderr, "redflag lists diff: %s\n", err.msg);
            return NULL;
        }
        return v->ds;
    }
    if (rf_index_open(path, &v->ix, &err) != RF_OK) {
        fprintf(stderr, "redflag lists diff: %s\n", err.msg);
        return NULL;
    }
    return rf_index_dataset(v->ix);
}

static void version_close(version *v) {
    rf_dataset_free(v->ds);
    if (v->ix) rf_index_close(v->ix);
}

static const char *entity_name(const rf_entity *e) {
    return e->n_names ? e->names[0].text : "";
}

static int print_json(const rf_diff *d) {
    json_t *root = json_object(), *arr[3] = {json_array(), json_array(), json_array()};
    static const char *const keys[3] = {"added", "removed", "changed"};
    for (size_t i = 0; i < d->n; i++) {
        const rf_diff_item *it = &d->items[i];
        const rf_entity *e = it->new_entity ? it->new_entity : it->old_entity;
        json_t *o = json_object();
        json_object_set_new(o, "entity", json_string(e->id));
        json_object_set_new(o, "name", json_string(entity_name(e)));
        if (it->kind == RF_DIFF_CHANGED) {
            json_t *f = json_array();
            for (unsigned b = 0; b < RF_FIELD_COUNT; b++)
                if (it->fields & (1u << b))
                    json_array_append_new(f, json_string(rf_diff_field_name(1u << b)));
            json_object_set_new(o, "fields", f);
        }
        json_array_append_new(arr[it->kind], o);
    }
    for (int k = 0; k < 3; k++)
        json_object_set_new(root, keys[k], arr[k]);
    int rc = json_dumpf(root, stdout, JSON_COMPACT | JSON_ENSURE_ASCII) == 0 ? RF_EXIT_OK
                                                                             : RF_EXIT_ERROR;
    printf("\n");
    json_decref(root);
    return rc;
}

static void print_text(const rf_diff *d, const char *old_path, const char *new_path) {
    printf("%s -> %s: %zu added, %zu removed, %zu changed\n", old_path, new_path, d->added,
           d->removed, d->changed);
    static const char marks[3] = {'+', '-', '~'};
    for (size_t i = 0; i < d->n; i++) {
        const rf_diff_item *it = &d->items[i];
        const rf_entity *e = it->new_entity ? it->new_entity : it->old_entity;
        printf("%c %-22s %s", marks[it->kind], e->id, entity_name(e));
        for (unsigned b = 0, first = 1; it->kind == RF_DIFF_CHANGED && b < RF_FIELD_COUNT; b++)
            if (it->fields & (1u << b)) {
                printf("%s%s", first ? "  [" : ", ", rf_diff_field_name(1u << b));
                first = 0;
            }
        printf("%s\n", it->kind == RF_DIFF_CHANGED ? "]" : "");
    }
}

static int cmd_diff(int argc, char **argv) {
    static const struct option opts[] = {
        {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    bool json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'j') {
            json = true;
            continue;
        }
        help(c == 'h' ? stdout : stderr);
        return c == 'h' ? RF_EXIT_OK : RF_EXIT_ERROR;
    }
    if (argc - optind != 2) {
        help(stderr);
        return RF_EXIT_ERROR;
    }
    version a, b;
    const rf_dataset *old_ds = version_open(argv[optind], &a);
    const rf_dataset *new_ds = old_ds ? version_open(argv[optind + 1], &b) : NULL;
    int rc = RF_EXIT_ERROR;
    rf_diff d;
    rf_error err;
    if (new_ds && rf_dataset_diff(old_ds, new_ds, &d, &err) != RF_OK)
        fprintf(stderr, "redflag lists diff: %s\n", err.msg);
    else if (new_ds) {
        if (json)
            rc = print_json(&d);
        else {
            print_text(&d, argv[optind], argv[optind + 1]);
            rc = RF_EXIT_OK;
        }
        rf_diff_free(&d);
    }
    if (new_ds) version_close(&b);
    if (old_ds) version_close(&a);
    return rc;
}

/* Days from a "YYYY-MM-DD..." date to now; -1 when it cannot be read. */
static long days_since(const char *date) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!date || sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    if (t == (time_t)-1) return -1;
    return (long)((time(NULL) - t) / 86400);
}

static int cmd_update(rf_cli *cli, int argc, char **argv) {
    static const struct option opts[] = {{"source", required_argument, 0, 's'},
                                         {"force", no_argument, 0, 'f'},
                                         {"timeout", required_argument, 0, 't'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    rf_update_options o;
    rf_update_options_init(&o);
    size_t timeout;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 's')
            o.source = optarg;
        else if (c == 'f')
            o.force = true;
        else if (c == 't') {
            if (!rf_cli_parse_count("--timeout", optarg, &timeout)) return RF_EXIT_ERROR;
            o.timeout_s = (long)timeout;
        } else {
            help(c == 'h' ? stdout : stderr);
            return c == 'h' ? RF_EXIT_OK : RF_EXIT_ERROR;
        }
    }
    if (optind != argc) {
        help(stderr);
        return RF_EXIT_ERROR;
    }
    char dir[4096];
    const char *data = cli->data_dir;
    if (!data) {
        if (!rf_data_dir_default(dir, sizeof dir)) {
            fprintf(stderr, "redflag lists update: no data folder found: pass --data DIR\n");
            return RF_EXIT_ERROR;
        }
        data = dir;
    }
    rf_update_result *res;
    size_t n;
    rf_error err;
    rf_status st = rf_data_update(data, &o, &res, &n, &err);
    static const char *const words[] = {"updated", "FAILED", "skipped"};
    for (size_t i = 0; i < n; i++)
        printf("%-16s %-8s %s\n", res[i].list, words[res[i].state], res[i].message);
    free(res);
    if (st != RF_OK) fprintf(stderr, "redflag lists update: %s\n", err.msg);
    return st == RF_OK ? RF_EXIT_OK : RF_EXIT_ERROR;
}

int rf_cmd_lists(rf_cli *cli, int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "diff")) return cmd_diff(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "update")) return cmd_update(cli, argc - 1, argv + 1);
    static const struct option opts[] = {
        {"max-age", required_argument, 0, 'a'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    size_t max_age = 7;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'a') {
            if (!rf_cli_parse_count("--max-age", optarg, &max_age)) return RF_EXIT_ERROR;
            continue;
        }
        if (c == 'h') {
            help(stdout);
            return RF_EXIT_OK;
        }
        help(stderr);
        return RF_EXIT_ERROR;
    }
    if (!rf_cli_load(cli, false)) return RF_EXIT_ERROR;
    size_t total = 0, stale = 0;
    for (size_t i = 0; i < rf_dataset_list_count(cli->ds); i++) {
        const rf_list_info *l = rf_dataset_list(cli->ds, i);
        total += l->n_entities;
        printf("%s  %s\n", l->id, l->title);
        long age = days_since(l->published);
        if (age < 0)
            printf("  published  unknown  STALE? the date is unknown (check the source)\n");
        else if ((size_t)age > max_age)
            printf("  published  %s  STALE: %ld days ago (more than %zu)\n", l->published, age,
                   max_age);
        else
            printf("  published  %s  (%ld days ago)\n", l->published, age);
        stale += age < 0 || (size_t)age > max_age;
        printf("  entities   %zu (person %zu, organization %zu, vessel %zu, aircraft %zu)\n",
               l->n_entities, l->by_schema[RF_SCHEMA_PERSON], l->by_schema[RF_SCHEMA_ORGANIZATION],
               l->by_schema[RF_SCHEMA_VESSEL], l->by_schema[RF_SCHEMA_AIRCRAFT]);
        printf("  names      %zu (aliases %zu, of which weak %zu)\n", l->n_names, l->n_aliases,
               l->n_weak_aliases);
        printf("  skipped    %zu malformed records or fields (--verbose shows them)\n",
               l->n_skipped);
        if (l->n_duplicates)
            printf("  left out   %zu records another list already holds (OFAC's, in the US "
                   "screening list)\n",
                   l->n_duplicates);
        for (size_t k = 0; k < l->n_files; k++)
            printf("  file       %-8s %s  %lld bytes  sha256 %s\n", l->files[k].role,
                   l->files[k].path, l->files[k].size, l->files[k].sha256);
        printf("\n");
    }
    printf("%zu entities in %zu lists\n", total, rf_dataset_list_count(cli->ds));
    if (stale)
        fprintf(stderr,
                "redflag lists: warning: %zu of %zu lists are older than %zu days or undated; "
                "update them before screening\n",
                stale, rf_dataset_list_count(cli->ds), max_age);
    rf_cli_unload(cli);
    return RF_EXIT_OK;
}
