/* redflag serve: the HTTP API over the loaded lists until SIGINT/SIGTERM;
 * SIGHUP (or POST /v1/admin/reload with $REDFLAG_ADMIN_TOKEN) loads the
 * lists again and swaps them in without dropping a request. */
#include "cli/cli.h"
#include "redflag/server.h"
#include "util/error.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *f) {
    fprintf(f,
            "usage: redflag serve [--listen HOST:PORT] [--index FILE | --data DIR] [--threads N]\n"
            "                     [--store FILE|URL]\n"
            "\n"
            "Serves the analyst page at / and the HTTP JSON API over the lists (an index\n"
            "file, or a data folder; default the bundled lists) until Ctrl-C:\n"
            "  POST /v1/screen         a query object (as redflag screen), or an array\n"
            "  GET  /v1/search?q=NAME&type=&list=&program=&country=&min_score=&limit=\n"
            "  GET  /v1/entities/ID    the whole record\n"
            "  GET  /v1/lists, /healthz, /readyz, /metrics\n"
            "  POST /match/DATASET      OpenSanctions yente's match API\n"
            "  POST /v1/admin/reload    with \"Authorization: Bearer $REDFLAG_ADMIN_TOKEN\"\n"
            "                           (off when that variable is unset); or send SIGHUP\n"
            "  with a record (--store, or $REDFLAG_STORE):\n"
            "  POST /v1/screen?record=1 screens and keeps each screening (queries need an id)\n"
            "  GET  /v1/alerts[?status=open], /v1/alerts/ID; POST /v1/alerts/ID/decision\n"
            "  GET  /v1/report/blocked, /v1/audit/verify, /v1/audit/export?from=&to=\n"
            "  POST /v1/admin/four-eyes {\"on\": true, \"by\": NAME} (admin token)\n"
            "\n"
            "options:\n"
            "  --listen HOST:PORT  address (default 127.0.0.1:8080; port 0: any free)\n"
            "  --index FILE        serve an index file (redflag index build)\n"
            "  --data DIR          serve a data folder's lists\n"
            "  --threads N         worker threads (default: the number of cores)\n");
}

/* A reload's lists, freed when the last request using them is done. */
typedef struct loaded {
    rf_dataset *ds;
    rf_matcher *m;
    rf_index *ix;
} loaded;

static void release_loaded(void *p) {
    loaded *l = p;
    rf_matcher_free(l->m);
    rf_dataset_free(l->ds);
    if (l->ix) rf_index_close(l->ix);
    free(l);
}

/* Loads the lists again from where they came (--index or the data folder). */
static bool reload_lists(void *ctx, const rf_dataset **ds, const rf_matcher **m,
                         void (**release)(void *), void **release_ctx, rf_error *err) {
    const rf_cli *cli = ctx;
    loaded *l = calloc(1, sizeof *l);
    if (!l) {
        rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        return false;
    }
    if (cli->index_path) {
        if (rf_index_open(cli->index_path, &l->ix, err) != RF_OK) {
            free(l);
            return false;
        }
        *ds = rf_index_dataset(l->ix);
        *m = rf_index_matcher(l->ix);
    } else {
        char dir[4096];
        if (cli->data_dir)
            snprintf(dir, sizeof dir, "%s", cli->data_dir);
        else if (!rf_data_dir_default(dir, sizeof dir)) {
            free(l);
            rf_fail(err, RF_E_NOTFOUND, NULL, 0, "no data folder found");
            return false;
        }
        if (rf_dataset_load(dir, NULL, &l->ds, err) != RF_OK ||
            rf_matcher_new(l->ds, &l->m, err) != RF_OK) {
            release_loaded(l);
            return false;
        }
        *ds = l->ds;
        *m = l->m;
    }
    *release = release_loaded;
    *release_ctx = l;
    return true;
}

/* "127.0.0.1:8080" into host and port. */
static bool parse_listen(const char *s, char *host, size_t cap, unsigned *port) {
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= cap || colon == s) return false;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (*end || end == colon + 1 || p > 65535) return false;
    *port = (unsigned)p;
    return true;
}

int rf_cmd_serve(rf_cli *cli, int argc, char **argv) {
    static const struct option opts[] = {{"listen", required_argument, 0, 'l'},
                                         {"threads", required_argument, 0, 't'},
                                         {"index", required_argument, 0, 'i'},
                                         {"data", required_argument, 0, 'd'},
                                         {"store", required_argument, 0, 's'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    rf_server_config cfg;
    rf_server_config_init(&cfg);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    cfg.threads = cores > 0 ? (unsigned)cores : 1;
    char host[256] = "127.0.0.1";
    size_t threads;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'l') {
            if (!parse_listen(optarg, host, sizeof host, &cfg.port)) {
                fprintf(stderr, "redflag serve: --listen takes HOST:PORT, not '%s'\n", optarg);
                return RF_EXIT_ERROR;
            }
        } else if (c == 't') {
            if (!rf_cli_parse_count("--threads", optarg, &threads)) return RF_EXIT_ERROR;
            cfg.threads = (unsigned)threads;
        } else if (c == 'i') {
            cli->index_path = optarg;
        } else if (c == 'd') {
            cli->data_dir = optarg;
        } else if (c == 's') {
            cfg.store = optarg;
        } else {
            help(c == 'h' ? stdout : stderr);
            return c == 'h' ? RF_EXIT_OK : RF_EXIT_ERROR;
        }
    }
    cfg.host = host;
    cfg.admin_token = getenv("REDFLAG_ADMIN_TOKEN");
    if (!cfg.store) cfg.store = getenv("REDFLAG_STORE");
    cfg.reload = reload_lists;
    cfg.reload_ctx = cli;
    /* signals are taken by sigwait below, not by a handler */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (!rf_cli_load(cli, true)) return RF_EXIT_ERROR;
    rf_server *s;
    rf_error err;
    if (rf_server_start(cli->ds, cli->matcher, &cfg, &s, &err) != RF_OK) {
        fprintf(stderr, "redflag serve: %s\n", err.msg);
        rf_cli_unload(cli);
        return RF_EXIT_ERROR;
    }
    printf("redflag serving %zu entities on http://%s:%u/ (Ctrl-C stops)\n",
           rf_dataset_count(cli->ds), host, rf_server_port(s));
    if (!cfg.store)
        fprintf(stderr, "redflag serve: no record kept (--store or $REDFLAG_STORE turns on the "
                        "alert queue)\n");
    fflush(stdout);
    int sig;
    while (sigwait(&set, &sig) == 0 && sig == SIGHUP) {
        if (rf_server_reload(s, &err) == RF_OK)
            fprintf(stderr, "redflag serve: lists reloaded\n");
        else
            fprintf(stderr, "redflag serve: reload failed, the lists in use stay: %s\n", err.msg);
    }
    rf_server_stop(s);
    rf_cli_unload(cli);
    return RF_EXIT_OK;
}
