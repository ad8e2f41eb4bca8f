/* redflag: the command-line tool. Parses the global options, dispatches to
 * a command, and loads the lists for it. Commands are thin: the work is
 * done by libredflag. */
#include "cli/cli.h"
#include "redflag/redflag.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fprintf(f,
            "redflag %s: sanctions screening\n"
            "\n"
            "usage: redflag [--data DIR] [--verbose] COMMAND [options]\n"
            "\n"
            "commands:\n"
            "  match NAME     screen one name, print ranked matches\n"
            "  screen         screen JSON Lines (or CSV) queries from stdin\n"
            "  lists          show the loaded lists, counts and file hashes\n"
            "  eval           measure accuracy on the labelled evaluation sets\n"
            "  index build    compile the lists into an index file\n"
            "  serve          the HTTP JSON API (POST /v1/screen, GET /v1/search...)\n"
            "  alerts         the compliance record's alerts (screen --record)\n"
            "  decide         an analyst's decision on an alert\n"
            "  audit verify   check the record's tamper-evident audit log\n"
            "  monitor        re-screen the record's subjects: only what is new\n"
            "  report blocked the true matches, for OFAC's blocked/rejected reports\n"
            "  configure      four-eyes on|off for true matches\n"
            "  workers check  workforce screening: the DPRK IT-worker red flags\n"
            "  help [CMD]     show help\n"
            "\n"
            "global options:\n"
            "  --data DIR     data folder with sources.json (default: $REDFLAG_DATA,\n"
            "                 else the bundled lists)\n"
            "  --index FILE   use a compiled index (redflag index build) instead\n"
            "  --verbose      print each malformed record skipped while loading\n"
            "  --version      print the version\n"
            "\n"
            "Run 'redflag COMMAND --help' for a command's options.\n",
            RF_VERSION);
}

static void on_warning(void *ctx, const rf_error *w) {
    (void)ctx;
    fprintf(stderr, "redflag: warning: %s\n", w->msg);
}

bool rf_cli_load(rf_cli *cli, bool with_matcher) {
    rf_error err;
    rf_error_clear(&err);
    if (cli->index_path) {
        if (rf_index_open(cli->index_path, &cli->index, &err) != RF_OK) {
            fprintf(stderr, "redflag: cannot use the index: %s\n", err.msg);
            return false;
        }
        cli->ds = rf_index_dataset(cli->index);
        cli->matcher = rf_index_matcher(cli->index);
        return true;
    }
    char dir[PATH_MAX];
    if (cli->data_dir) {
        snprintf(dir, sizeof dir, "%s", cli->data_dir);
    } else if (!rf_data_dir_default(dir, sizeof dir)) {
        fprintf(stderr, "redflag: no data folder found; pass --data DIR or set REDFLAG_DATA\n");
        return false;
    }
    rf_load_options opts = {cli->verbose ? on_warning : NULL, NULL};
    if (rf_dataset_load(dir, &opts, &cli->own_ds, &err) != RF_OK) {
        fprintf(stderr, "redflag: cannot load lists: %s\n", err.msg);
        return false;
    }
    cli->ds = cli->own_ds;
    if (with_matcher) {
        if (rf_matcher_new(cli->own_ds, &cli->own_matcher, &err) != RF_OK) {
            fprintf(stderr, "redflag: %s\n", err.msg);
            return false;
        }
        cli->matcher = cli->own_matcher;
    }
    return true;
}

void rf_cli_unload(rf_cli *cli) {
    rf_matcher_free(cli->own_matcher);
    rf_dataset_free(cli->own_ds);
    rf_index_close(cli->index);
    cli->own_matcher = NULL;
    cli->own_ds = NULL;
    cli->index = NULL;
    cli->matcher = NULL;
    cli->ds = NULL;
}

bool rf_cli_parse_threshold(const char *opt, const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0.0 && v <= 1.0)) {
        fprintf(stderr, "redflag: %s takes a number from 0 to 1, not '%s'\n", opt, s);
        return false;
    }
    *out = v;
    return true;
}

bool rf_cli_parse_count(const char *opt, const char *s, size_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0 || v > 100000 || *s == '-') {
        fprintf(stderr, "redflag: %s takes a whole number from 1 to 100000, not '%s'\n", opt, s);
        return false;
    }
    *out = (size_t)v;
    return true;
}

int main(int argc, char **argv) {
    rf_cli cli;
    memset(&cli, 0, sizeof cli);
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--data") && i + 1 < argc) {
            cli.data_dir = argv[++i];
        } else if (!strncmp(argv[i], "--data=", 7)) {
            cli.data_dir = argv[i] + 7;
        } else if (!strcmp(argv[i], "--index") && i + 1 < argc) {
            cli.index_path = argv[++i];
        } else if (!strncmp(argv[i], "--index=", 8)) {
            cli.index_path = argv[i] + 8;
        } else if (!strcmp(argv[i], "--verbose")) {
            cli.verbose = true;
        } else if (!strcmp(argv[i], "--version")) {
            printf("redflag %s\n", RF_VERSION);
            return RF_EXIT_OK;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return RF_EXIT_OK;
        } else {
            fprintf(stderr, "redflag: unknown option '%s'\n\n", argv[i]);
            usage(stderr);
            return RF_EXIT_ERROR;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return RF_EXIT_ERROR;
    }
    const char *cmd = argv[i];
    int cargc = argc - i;
    char **cargv = argv + i;
    if (!strcmp(cmd, "help")) {
        if (cargc > 1) {
            char *help[] = {cargv[1], "--help", NULL};
            if (!strcmp(cargv[1], "match")) return rf_cmd_match(&cli, 2, help);
            if (!strcmp(cargv[1], "screen")) return rf_cmd_screen(&cli, 2, help);
            if (!strcmp(cargv[1], "lists")) return rf_cmd_lists(&cli, 2, help);
            if (!strcmp(cargv[1], "eval")) return rf_cmd_eval(&cli, 2, help);
            if (!strcmp(cargv[1], "index")) return rf_cmd_index(&cli, 2, help);
            if (!strcmp(cargv[1], "serve")) return rf_cmd_serve(&cli, 2, help);
            if (!strcmp(cargv[1], "workers")) return rf_cmd_workers(&cli, 2, help);
        }
        usage(stdout);
        return RF_EXIT_OK;
    }
    if (!strcmp(cmd, "match")) return rf_cmd_match(&cli, cargc, cargv);
    if (!strcmp(cmd, "screen")) return rf_cmd_screen(&cli, cargc, cargv);
    if (!strcmp(cmd, "lists")) return rf_cmd_lists(&cli, cargc, cargv);
    if (!strcmp(cmd, "eval")) return rf_cmd_eval(&cli, cargc, cargv);
    if (!strcmp(cmd, "index")) return rf_cmd_index(&cli, cargc, cargv);
    if (!strcmp(cmd, "serve")) return rf_cmd_serve(&cli, cargc, cargv);
    if (!strcmp(cmd, "alerts")) return rf_cmd_alerts(&cli, cargc, cargv);
    if (!strcmp(cmd, "decide")) return rf_cmd_decide(&cli, cargc, cargv);
    if (!strcmp(cmd, "audit")) return rf_cmd_audit(&cli, cargc, cargv);
    if (!strcmp(cmd, "monitor")) return rf_cmd_monitor(&cli, cargc, cargv);
    if (!strcmp(cmd, "configure")) return rf_cmd_configure(&cli, cargc, cargv);
    if (!strcmp(cmd, "report")) return rf_cmd_report(&cli, cargc, cargv);
    if (!strcmp(cmd, "workers")) return rf_cmd_workers(&cli, cargc, cargv);
    fprintf(stderr, "redflag: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return RF_EXIT_ERROR;
}
