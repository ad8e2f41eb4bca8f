/* redflag lists: what is loaded, per list: entity counts by schema, names
 * and aliases, records skipped, and each source file's hash and date. */
#include "cli/cli.h"

#include <getopt.h>
#include <string.h>

static void help(FILE *f) {
    fprintf(f, "usage: redflag lists\n"
               "\n"
               "Prints every loaded list: entities by schema, alias counts, malformed\n"
               "records skipped, and each source file's size and sha256.\n");
}

int rf_cmd_lists(rf_cli *cli, int argc, char **argv) {
    static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            help(stdout);
            return RF_EXIT_OK;
        }
        help(stderr);
        return RF_EXIT_ERROR;
    }
    if (!rf_cli_load(cli, false)) return RF_EXIT_ERROR;
    size_t total = 0;
    for (size_t i = 0; i < rf_dataset_list_count(cli->ds); i++) {
        const rf_list_info *l = rf_dataset_list(cli->ds, i);
        total += l->n_entities;
        printf("%s  %s\n", l->id, l->title);
        printf("  published  %s\n", *l->published ? l->published : "unknown");
        printf("  entities   %zu (person %zu, organization %zu, vessel %zu, aircraft %zu)\n",
               l->n_entities, l->by_schema[RF_SCHEMA_PERSON], l->by_schema[RF_SCHEMA_ORGANIZATION],
               l->by_schema[RF_SCHEMA_VESSEL], l->by_schema[RF_SCHEMA_AIRCRAFT]);
        printf("  names      %zu (aliases %zu, of which weak %zu)\n", l->n_names, l->n_aliases,
               l->n_weak_aliases);
        printf("  skipped    %zu malformed records or fields (--verbose shows them)\n",
               l->n_skipped);
        for (size_t k = 0; k < l->n_files; k++)
            printf("  file       %-8s %s  %lld bytes  sha256 %s\n", l->files[k].role,
                   l->files[k].path, l->files[k].size, l->files[k].sha256);
        printf("\n");
    }
    printf("%zu entities in %zu lists\n", total, rf_dataset_list_count(cli->ds));
    rf_cli_unload(cli);
    return RF_EXIT_OK;
}
