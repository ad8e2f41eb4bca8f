/* redflag workers: workforce screening (the DPRK IT-worker pattern).
 *   check FILE     judge JSON Lines worker records, link them into clusters
 *   generate       write a synthetic workforce with planted rings
 *   rules          print the rules table
 * The work is done by libredflag (src/workers/); this file parses options. */
#include "cli/cli.h"
#include "redflag/workers.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *f) {
    fprintf(
        f, "usage: redflag workers check FILE [--format jsonl|text] [--html OUT]\n"
           "                             [--login-countries KP,CN,RU] [--no-sanctions]\n"
           "       redflag workers generate --count N [--seed S] [--rings R]\n"
           "                             [--ring-size K] [--logins L] [--truth OUT] -o OUT\n"
           "       redflag workers rules\n"
           "\n"
           "check reads worker records (JSON Lines, one object per line; see the README's\n"
           "'Workforce screening' for the fields), screens them against the lists and the\n"
           "DPRK IT-worker red flags, links workers sharing an identifier into clusters and\n"
           "writes one line per worker, then one per cluster:\n"
           "  {\"id\", \"risk\", \"flags\": [{\"rule\", \"severity\", \"reason\", \"evidence\"}],\n"
           "   \"advisory\": [...], \"cluster\"}\n"
           "  {\"cluster\", \"members\", \"links\": [{\"kind\", \"value\", \"workers\"}]}\n"
           "A bad record gets an error line on stderr (line and field) and the run goes on;\n"
           "the exit status is then 1. Advisory signals (language, nationality, national\n"
           "origin) never add to the risk and are never a reason to reject on their own.\n"
           "Nothing is stored: worker data goes only to the outputs you name.\n"
           "\n"
           "check options:\n"
           "  --format F           jsonl (default when stdout is not a terminal) or text\n"
           "  --html OUT           also write a self-contained HTML report with a picture\n"
           "                       of each cluster\n"
           "  --login-countries L  login countries flagged (default KP,CN,RU)\n"
           "  --no-sanctions       skip the lists: no name, wallet, document or payout\n"
           "                       holder checks (faster start)\n"
           "\n"
           "generate options:\n"
           "  --count N            workers in all (1 to 100,000,000)\n"
           "  --seed S             random seed (default 1): same seed, same file\n"
           "  --rings R            planted rings sharing a wallet, a shipping address or a\n"
           "                       login IP (default count/1000)\n"
           "  --ring-size K        members per ring (default 2 to 6)\n"
           "  --logins L           login events per worker (default 20)\n"
           "  --truth OUT          write id<TAB>ring for every worker (\"-\" when clean)\n"
           "  -o OUT               the JSON Lines file to write\n");
}

static bool parse_size(const char *opt, const char *s, size_t max, size_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-' || v > max) {
        fprintf(stderr, "redflag workers: %s takes a whole number from 0 to %zu, not '%s'\n", opt,
                max, s);
        return false;
    }
    *out = (size_t)v;
    return true;
}

static void on_error(void *ctx, const rf_error *e) {
    size_t *n = ctx;
    (*n)++;
    fprintf(stderr, "redflag workers: %s\n", e->msg);
}

static int cmd_check(rf_cli *cli, int argc, char **argv) {
    static const struct option opts[] = {
        {"format", required_argument, 0, 'f'},
        {"html", required_argument, 0, 'H'},
        {"login-countries", required_argument, 0, 'c'},
        {"no-sanctions", no_argument, 0, 'n'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    rf_workers_options wo;
    rf_workers_options_init(&wo);
    wo.format = isatty(STDOUT_FILENO) ? RF_WORKERS_TEXT : RF_WORKERS_JSONL;
    const char *html = NULL;
    bool sanctions = true;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "jsonl")) {
                wo.format = RF_WORKERS_JSONL;
            } else if (!strcmp(optarg, "text")) {
                wo.format = RF_WORKERS_TEXT;
            } else {
                fprintf(stderr, "redflag workers check: --format takes jsonl or text, not '%s'\n",
                        optarg);
                return RF_EXIT_ERROR;
            }
            break;
        case 'H':
            html = optarg;
            break;
        case 'c':
            wo.login_countries = optarg;
            break;
        case 'n':
            sanctions = false;
            break;
        case 'h':
            help(stdout);
            return RF_EXIT_OK;
        default:
            help(stderr);
            return RF_EXIT_ERROR;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "redflag workers check: give one FILE of worker records\n");
        return RF_EXIT_ERROR;
    }
    const char *path = argv[optind];
    if (sanctions) {
        if (!rf_cli_load(cli, true)) return RF_EXIT_ERROR;
        wo.matcher = cli->matcher;
    }
    FILE *hf = NULL;
    if (html && !(hf = fopen(html, "w"))) {
        fprintf(stderr, "redflag workers check: cannot write %s: %s\n", html, strerror(errno));
        rf_cli_unload(cli);
        return RF_EXIT_ERROR;
    }
    size_t bad = 0;
    wo.html = hf;
    wo.on_error = on_error;
    wo.ctx = &bad;
    rf_workers_summary sum;
    rf_error err;
    rf_error_clear(&err);
    rf_status st = rf_workers_check(path, &wo, &sum, &err);
    if (hf && fclose(hf) && st == RF_OK) {
        fprintf(stderr, "redflag workers check: cannot write %s\n", html);
        st = RF_E_IO;
    }
    rf_cli_unload(cli);
    if (st != RF_OK) {
        if (err.msg[0]) fprintf(stderr, "redflag workers check: %s\n", err.msg);
        return RF_EXIT_ERROR;
    }
    if (wo.format == RF_WORKERS_TEXT)
        printf("\n%zu workers checked (%zu bad records), %zu clusters, %zu with a high or "
               "critical flag; workers without any flag are not shown.\n"
               "Advisory signals (language, nationality, national origin) are shown apart, "
               "never add to the risk and are never a reason to reject on their own.\n",
               sum.workers, sum.bad, sum.clusters, sum.flagged_high);
    return bad ? RF_EXIT_RECORDS : RF_EXIT_OK;
}

static int cmd_generate(int argc, char **argv) {
    static const struct option opts[] = {
        {"count", required_argument, 0, 'n'},
        {"seed", required_argument, 0, 's'},
        {"rings", required_argument, 0, 'r'},
        {"ring-size", required_argument, 0, 'k'},
        {"logins", required_argument, 0, 'l'},
        {"truth", required_argument, 0, 't'},
        {"output", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    rf_workers_gen_options go;
    memset(&go, 0, sizeof go);
    go.seed = 1;
    size_t seed = 1;
    bool rings_set = false;
    const char *out = NULL, *truth = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (!parse_size("--count", optarg, 100000000, &go.count)) return RF_EXIT_ERROR;
            break;
        case 's':
            if (!parse_size("--seed", optarg, SIZE_MAX, &seed)) return RF_EXIT_ERROR;
            go.seed = seed;
            break;
        case 'r':
            if (!parse_size("--rings", optarg, 10000000, &go.rings)) return RF_EXIT_ERROR;
            rings_set = true;
            break;
        case 'k':
            if (!parse_size("--ring-size", optarg, 1000, &go.ring_size)) return RF_EXIT_ERROR;
            if (go.ring_size == 1) {
                fprintf(stderr, "redflag workers generate: a ring needs 2 or more workers\n");
                return RF_EXIT_ERROR;
            }
            break;
        case 'l':
            if (!parse_size("--logins", optarg, 10000, &go.logins)) return RF_EXIT_ERROR;
            break;
        case 't':
            truth = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            help(stdout);
            return RF_EXIT_OK;
        default:
            help(stderr);
            return RF_EXIT_ERROR;
        }
    }
    if (!go.count || !out) {
        fprintf(stderr, "redflag workers generate: --count N and -o FILE are required\n");
        return RF_EXIT_ERROR;
    }
    if (!rings_set) go.rings = go.count / 1000;
    FILE *f = fopen(out, "w"), *tf = NULL;
    if (!f || (truth && !(tf = fopen(truth, "w")))) {
        fprintf(stderr, "redflag workers generate: cannot write %s: %s\n", f ? truth : out,
                strerror(errno));
        if (f) fclose(f);
        return RF_EXIT_ERROR;
    }
    rf_error err;
    rf_error_clear(&err);
    rf_status st = rf_workers_generate(&go, f, tf, &err);
    bool closed = fclose(f) == 0 && (!tf || fclose(tf) == 0);
    if (st != RF_OK || !closed) {
        fprintf(stderr, "redflag workers generate: %s\n",
                st != RF_OK ? err.msg : "cannot finish writing the files");
        return RF_EXIT_ERROR;
    }
    return RF_EXIT_OK;
}

static int cmd_rules(void) {
    size_t n;
    const rf_worker_rule *r = rf_workers_rules(&n);
    printf("%-26s %-9s %s\n", "rule", "severity", "reason (source)");
    for (size_t i = 0; i < n; i++)
        printf("%-26s %-9s %s (%s)\n", r[i].id,
               r[i].advisory ? "advisory" : rf_severity_str(r[i].severity), r[i].reason,
               r[i].source);
    return RF_EXIT_OK;
}

int rf_cmd_workers(rf_cli *cli, int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        help(argc < 2 ? stderr : stdout);
        return argc < 2 ? RF_EXIT_ERROR : RF_EXIT_OK;
    }
    if (!strcmp(argv[1], "check")) return cmd_check(cli, argc - 1, argv + 1);
    if (!strcmp(argv[1], "generate")) return cmd_generate(argc - 1, argv + 1);
    if (!strcmp(argv[1], "rules")) return cmd_rules();
    fprintf(stderr, "redflag workers: unknown subcommand '%s' (check, generate or rules)\n",
            argv[1]);
    return RF_EXIT_ERROR;
}
