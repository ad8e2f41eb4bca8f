/* redflag index build: compile the lists into an index file that every
 * command can map with --index FILE. */
#include "cli/cli.h"

#include <getopt.h>
#include <string.h>
#include <time.h>

static void help(FILE *f) {
    fprintf(f, "usage: redflag [--data DIR] index build -o FILE\n"
               "\n"
               "Parses the lists of the data folder, builds everything matching needs and\n"
               "writes it to FILE (atomically: a temporary file renamed into place). Any\n"
               "command then starts in milliseconds with --index FILE.\n");
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int rf_cmd_index(rf_cli *cli, int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "build") != 0) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            help(stdout);
            return RF_EXIT_OK;
        }
        help(stderr);
        return RF_EXIT_ERROR;
    }
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *out = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "o:h", opts, NULL)) != -1) {
        if (c == 'o') {
            out = optarg;
        } else if (c == 'h') {
            help(stdout);
            return RF_EXIT_OK;
        } else {
            help(stderr);
            return RF_EXIT_ERROR;
        }
    }
    if (!out) {
        fprintf(stderr, "redflag index build: give the output file with -o FILE\n");
        return RF_EXIT_ERROR;
    }
    if (cli->index_path) {
        fprintf(stderr, "redflag index build: builds from --data, not from an index\n");
        return RF_EXIT_ERROR;
    }
    double t0 = now();
    if (!rf_cli_load(cli, true)) return RF_EXIT_ERROR;
    double t1 = now();
    rf_error err;
    int rc = RF_EXIT_OK;
    if (rf_index_write(cli->matcher, out, &err) != RF_OK) {
        fprintf(stderr, "redflag index build: %s\n", err.msg);
        rc = RF_EXIT_ERROR;
    } else {
        rf_index *ix;
        if (rf_index_open(out, &ix, &err) != RF_OK) {
            fprintf(stderr, "redflag index build: the index written does not load: %s\n", err.msg);
            rc = RF_EXIT_ERROR;
        } else {
            printf("%s: %zu entities, %.1f MiB, built in %.0f ms (lists and matcher %.0f ms)\n",
                   out, rf_dataset_count(rf_index_dataset(ix)),
                   (double)rf_index_size(ix) / (1024.0 * 1024.0), (now() - t0) * 1e3,
                   (t1 - t0) * 1e3);
            rf_index_close(ix);
        }
    }
    rf_cli_unload(cli);
    return rc;
}
