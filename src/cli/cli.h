/* Shared pieces of the command-line tool: option parsing helpers and
 * loading the lists. Each command lives in cmd_<name>.c. */
#ifndef RF_CLI_CLI_H
#define RF_CLI_CLI_H

#include "redflag/dataset.h"
#include "redflag/index.h"
#include "redflag/match.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes: 0 success, 1 some input records failed (screen), 2 usage or
 * fatal error. */
enum { RF_EXIT_OK = 0, RF_EXIT_RECORDS = 1, RF_EXIT_ERROR = 2 };

typedef struct rf_cli {
    const char *data_dir;   /* --data, or NULL for the default */
    const char *index_path; /* --index, or NULL: compile the lists at start */
    bool verbose;           /* print every load warning */
    const rf_dataset *ds;
    const rf_matcher *matcher;
    rf_dataset *own_ds; /* what rf_cli_unload frees */
    rf_matcher *own_matcher;
    rf_index *index;
} rf_cli;

/* Loads the lists: maps --index when given, else parses the data folder
 * (and builds the matcher when with_matcher). Prints the error and returns
 * false on failure. */
bool rf_cli_load(rf_cli *cli, bool with_matcher);
void rf_cli_unload(rf_cli *cli);

/* Parses a threshold in [0, 1] / a positive count; prints an error naming
 * the option and returns false when invalid. */
bool rf_cli_parse_threshold(const char *opt, const char *s, double *out);
bool rf_cli_parse_count(const char *opt, const char *s, size_t *out);

int rf_cmd_match(rf_cli *cli, int argc, char **argv);
int rf_cmd_screen(rf_cli *cli, int argc, char **argv);
int rf_cmd_lists(rf_cli *cli, int argc, char **argv);
int rf_cmd_eval(rf_cli *cli, int argc, char **argv);
int rf_cmd_index(rf_cli *cli, int argc, char **argv);
int rf_cmd_serve(rf_cli *cli, int argc, char **argv);
int rf_cmd_alerts(rf_cli *cli, int argc, char **argv);
int rf_cmd_decide(rf_cli *cli, int argc, char **argv);
int rf_cmd_audit(rf_cli *cli, int argc, char **argv);
int rf_cmd_monitor(rf_cli *cli, int argc, char **argv);
int rf_cmd_configure(rf_cli *cli, int argc, char **argv);
int rf_cmd_report(rf_cli *cli, int argc, char **argv);
int rf_cmd_workers(rf_cli *cli, int argc, char **argv);

#endif
